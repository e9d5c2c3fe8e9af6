//! Archiving a programme from the web, optionally with crypto-shredding: a programme
//! admin, their own password again, and the slug typed to confirm. The work is
//! [`crate::archive`], shared with `haven programme archive`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, error_summary, flash_box, render};
use super::queues::Done;
use super::{Console, page, see_other};
use crate::archive::{self, ArchiveError, Confirmed};
use crate::auth::Staff;
use crate::casework::{Action, Subject, permit};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::ProgrammeStatus;
use crate::programme::live::LiveProgramme;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/programmes/{slug}/archive")
            .route(web::get().to(show))
            .route(web::post().to(submit)),
    );
}

#[derive(Deserialize, Default)]
pub struct ArchiveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    shred: String,
    #[serde(default)]
    current_password: String,
}

/// The programme, for one of its admins (anyone else: it does not exist).
async fn programme_admin(
    console: &Console,
    staff: &Staff,
    slug: &str,
) -> Result<std::sync::Arc<LiveProgramme>, AppError> {
    let (live, role) = console.programme_for(staff, slug).await?;
    permit(
        super::member(staff, role),
        Action::Archive,
        Subject::Programme,
    )
    .map_err(|_| AppError::NotFound)?;
    Ok(live)
}

fn archive_page(
    staff: &Staff,
    live: &LiveProgramme,
    typed: &ArchiveForm,
    errors: &[(&str, String)],
    done: Option<&str>,
) -> Markup {
    let lang = staff.lang;
    let slug = live.programme.slug().as_str();
    let title = t(lang, "archive-title");
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            (flash_box(lang, done))
            (error_summary(lang, errors))
            p { a href={ "/console/p/" (slug) } { (live.programme.text(&live.programme.file().title, crate::domain::Language::En)) } }
            h1 { (title) }
            @if live.programme.status() == ProgrammeStatus::Archived {
                p class="notice" { (t(lang, "archive-already")) }
            }
            p { (t(lang, "archive-intro")) }
            form method="post" action={ "/admin/programmes/" (slug) "/archive" } novalidate {
                (csrf_field(&staff.csrf))
                div class="field" {
                    input type="checkbox" id="shred" name="shred" value="1" checked[typed.shred == "1"] aria-describedby="shred-hint";
                    " "
                    label for="shred" { (t(lang, "archive-shred-label")) }
                    p class="hint" id="shred-hint" { (t(lang, "archive-shred-hint")) }
                }
                div class=@if error_for("confirm").is_some() { "field has-error" } @else { "field" } {
                    label for="confirm" { (t_args(lang, "archive-confirm-label", &[("slug", slug.to_owned())])) }
                    @if let Some(e) = error_for("confirm") { p class="error-message" id="confirm-error" { (e) } }
                    input type="text" id="confirm" name="confirm" value=(typed.confirm) autocomplete="off" spellcheck="false"
                        aria-describedby=[error_for("confirm").map(|_| "confirm-error")];
                }
                div class=@if error_for("current_password").is_some() { "field has-error" } @else { "field" } {
                    label for="current_password" { (t(lang, "admin-confirm-password")) }
                    @if let Some(e) = error_for("current_password") { p class="error-message" id="current_password-error" { (e) } }
                    input type="password" id="current_password" name="current_password" autocomplete="current-password"
                        aria-describedby=[error_for("current_password").map(|_| "current_password-error")];
                }
                button type="submit" class="danger" { (t(lang, "archive-submit")) }
            }
        },
    )
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    Ok(page(
        StatusCode::OK,
        archive_page(&staff, &live, &ArchiveForm::default(), &[], done.as_deref()),
    ))
}

async fn submit(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<ArchiveForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let live = programme_admin(&console, &staff, &slug).await?;
    let lang = staff.lang;
    let slug = live.programme.slug().as_str().to_owned();
    // What was typed comes back (the password never does).
    let again = |errors: Vec<(&'static str, String)>| {
        let typed = ArchiveForm {
            csrf: String::new(),
            confirm: form.confirm.clone(),
            shred: form.shred.clone(),
            current_password: String::new(),
        };
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            archive_page(&staff, &live, &typed, &errors, None),
        )
    };
    let mut errors = Vec::new();
    let confirmed = Confirmed::parse(&slug, &form.confirm);
    if confirmed.is_err() {
        errors.push(("confirm", t(lang, "archive-error-confirm")));
    }
    let reauth =
        super::admin::reauthenticate(&console, &req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        errors.push((
            "current_password",
            super::admin::reauth_message(lang, reauth, "admin-error-wrong-password"),
        ));
    }
    let confirmed = match confirmed {
        Ok(c) if errors.is_empty() => c,
        _ => return Ok(again(errors)),
    };
    let shred = form.shred == "1";
    match archive::archive(
        &console.store,
        &console.keyring.programme_signer(),
        &slug,
        confirmed,
        shred,
        &console.config.data_dir,
        crate::programme::editing::Author::Staff {
            id: &staff.id,
            instance_admin: staff.is_admin,
            confirmed: None,
        },
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/admin/programmes/{slug}/archive?done={}",
            if shred { "shredded" } else { "archived" }
        ))),
        Err(ArchiveError::UnknownProgramme(_)) => Err(AppError::NotFound),
        Err(ArchiveError::NotConfirmed) => Err(AppError::BadRequest),
        Err(ArchiveError::Store(e)) => Err(e.into()),
        Err(ArchiveError::Crypto(e)) => Err(e.into()),
        Err(ArchiveError::Save(e)) => Err(AppError::Internal(e.to_string())),
    }
}
