//! The programmes page: the programmes a staff member may edit, and for an instance
//! admin the form that opens a new one (blank or copied, `create`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::widgets::{self, Posted, errors_box, flash_box, status_label};
use super::{Console, done_of, shell_page};
use crate::auth::Staff;
use crate::casework::Action;
use crate::console::pages::csrf_field;
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::Programme;

pub(super) async fn list(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let lang = staff.lang;
    list_page(
        &console,
        &staff,
        lang,
        &Posted::default(),
        &[],
        done_of(&req),
    )
    .await
}

pub(super) async fn list_page(
    console: &Console,
    staff: &Staff,
    lang: Language,
    typed: &Posted,
    errors: &[String],
    done: Option<String>,
) -> Result<HttpResponse, AppError> {
    let rows = editable_programmes(console, staff).await?;
    if rows.is_empty() && !staff.may(Action::CreateProgramme) {
        return Err(AppError::NotFound);
    }
    Ok(list_markup(staff, lang, &rows, typed, errors, done))
}

/// The programmes `staff` may edit, each with its stored version.
async fn editable_programmes(
    console: &Console,
    staff: &Staff,
) -> Result<Vec<(Programme, i64)>, AppError> {
    let mut rows = Vec::new();
    for (id, slug) in console.store.programme_ids().await? {
        if !staff.may_in(&id, Action::EditProgramme) {
            continue;
        }
        if let Some(record) = console.store.programme_by_slug(&slug).await?
            && let Ok(p) = Programme::parse(&record.definition)
        {
            rows.push((p, record.version));
        }
    }
    Ok(rows)
}

/// The programmes page (rendering only): the list, and for an instance admin the
/// form that opens a new one.
fn list_markup(
    staff: &Staff,
    lang: Language,
    rows: &[(Programme, i64)],
    typed: &Posted,
    errors: &[String],
    done: Option<String>,
) -> HttpResponse {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = t(lang, "pe-list-title");
    let from = typed.text("from");
    shell_page(
        staff,
        lang,
        &title,
        status,
        html! {
            (flash_box(lang, done.as_deref()))
            (errors_box(lang, errors))
            h1 { (title) }
            @if rows.is_empty() {
                p { (t(lang, "pe-list-empty")) }
            } @else {
                table class="programmes" {
                    thead { tr {
                        th scope="col" { (t(lang, "pe-col-programme")) }
                        th scope="col" { (t(lang, "pe-col-slug")) }
                        th scope="col" { (t(lang, "pe-col-status")) }
                        th scope="col" class="num" { (t(lang, "pe-col-version")) }
                    } }
                    tbody {
                        @for (p, version) in rows {
                            tr {
                                td {
                                    a href={ "/admin/programmes/" (p.slug()) } dir="auto" {
                                        (p.text(&p.file().title, lang))
                                    }
                                }
                                td { span class="code" { (p.slug()) } }
                                td { (status_label(lang, p.status())) }
                                td class="num" { (version) }
                            }
                        }
                    }
                }
            }
            @if staff.may(Action::CreateProgramme) {
                h2 id="new" { (t(lang, "pe-new-title")) }
                p { (t(lang, "pe-new-intro")) }
                form method="post" action="/admin/programmes" novalidate {
                    (csrf_field(&staff.csrf))
                    div class="field" {
                        label for="from" { (t(lang, "pe-new-from")) }
                        select id="from" name="from" {
                            option value="" selected[from.is_empty()] { (t(lang, "pe-new-blank")) }
                            @for (p, _) in rows {
                                option value=(p.slug()) selected[from == p.slug().as_str()] {
                                    (t_args(lang, "pe-new-copy-of", &[("slug", p.slug().to_string())]))
                                }
                            }
                        }
                    }
                    (widgets::input("slug", "slug", &t(lang, "pe-new-slug"), Some(&t(lang, "pe-new-slug-hint")), typed.text("slug")))
                    (widgets::input("title", "title", &t(lang, "pe-new-name"), Some(&t(lang, "pe-new-name-hint")), typed.text("title")))
                    div class="field" {
                        label for="language" { (t(lang, "pe-new-language")) }
                        select id="language" name="language" {
                            @for l in Language::ALL {
                                option value=(l.tag()) selected[typed.text("language") == l.tag() || (typed.text("language").is_empty() && l == lang)] { (l.endonym()) }
                            }
                        }
                    }
                    (widgets::password(lang, "create"))
                    button type="submit" { (t(lang, "pe-new-submit")) }
                }
            }
        },
    )
}
