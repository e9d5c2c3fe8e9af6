//! Opening a new programme: from a blank form, or as a copy of another.
//!
//! A copy never carries over silently what lets people outside the programme's staff
//! read its data (an escrow key, partners, agents without a second factor, emails that
//! carry replies, partners named in the reply inbox): when the source has any, a page
//! lists each with what it means, and only the ticked ones are kept. The copy is then
//! saved through `editing::save` like any new programme (its audit entry lists what
//! it grants), and its copied texts, hints, templates, partners and settings are
//! marked "to review" on the launch checklist until edited or confirmed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::super::pages::csrf_field;
use super::widgets::{self, Posted, errors_box};
use super::{Console, Editing, editable, list_page, reauth, see_other, shell_page};
use crate::auth::Staff;
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::ProgrammeFile;
use crate::programme::editing::{self, Expect, SaveError};
use crate::programme::widening::Widening;

/// Marks a post from the page that lists what a copy would bring along.
const COPY_MARK: &str = "copy_reviewed";

pub(super) async fn create(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let staff = console.staff_posting(&req, posted.text("csrf")).await?;
    let lang = staff.lang;
    if !staff.may(crate::casework::Action::CreateProgramme) {
        return Err(AppError::NotFound);
    }
    let again = |errors: Vec<String>| {
        let console = console.clone();
        let staff = staff.clone();
        let typed = posted.without_secrets();
        async move { list_page(&console, &staff, lang, &typed, &errors, None).await }
    };
    let Ok(slug) = ProgrammeSlug::parse(posted.text("slug").trim()) else {
        return again(vec![t(lang, "pe-error-slug")]).await;
    };
    let source = match posted.text("from") {
        "" => None,
        from => Some(editable(&console, &req, staff.clone(), lang, from).await?),
    };
    let offered = source
        .as_ref()
        .map(|s| editing::copy_choices(s.programme.file()))
        .unwrap_or_default();
    if !offered.is_empty() && !posted.has(COPY_MARK) {
        return Ok(copy_page(&staff, &posted, &offered, None));
    }
    let proof = match reauth(&console, &req, &staff, lang, &posted).await? {
        Ok(proof) => proof,
        Err(refused) if posted.has(COPY_MARK) => {
            return Ok(copy_page(&staff, &posted, &offered, Some(&refused)));
        }
        Err(refused) => return again(vec![refused]).await,
    };
    let (file, detail) = match &source {
        None => match blank(&posted, &slug, lang) {
            Some(new) => new,
            None => return again(vec![t(lang, "pe-error-name")]).await,
        },
        Some(source) => copied(source, &offered, &posted, &slug),
    };
    let text = editing::to_text(&file).map_err(|e| AppError::Internal(e.to_string()))?;
    match editing::save(
        &console.store,
        &console.keyring.programme_signer(),
        &text,
        Expect::New,
        editing::Author::Staff {
            id: &staff.id,
            instance_admin: staff.is_admin,
            confirmed: Some(&proof),
        },
        detail,
    )
    .await
    {
        // The copied items' "to review" marks were written with the programme.
        Ok(_) => Ok(see_other(&format!("/admin/programmes/{slug}?done=created"))),
        Err(SaveError::Exists) => again(vec![t(lang, "pe-error-exists")]).await,
        Err(SaveError::Invalid(errors)) => {
            again(super::said::new_in_words(lang, &text, &errors)).await
        }
        Err(SaveError::Store(e)) => Err(e.into()),
        Err(SaveError::Crypto(e)) => Err(e.into()),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

/// A blank programme as `slug`, with its name and first language from the form;
/// `None` without a name.
fn blank(
    posted: &Posted,
    slug: &ProgrammeSlug,
    lang: Language,
) -> Option<(ProgrammeFile, serde_json::Map<String, serde_json::Value>)> {
    let title = posted.text("title").trim();
    if title.is_empty() {
        return None;
    }
    let language = Language::parse(posted.text("language")).unwrap_or(lang);
    Some((
        editing::blank(slug, title, language),
        editing::change("create"),
    ))
}

/// The copy of `source` as `slug`, keeping what was ticked of what it `offered`, and
/// the audit detail naming what was withheld.
fn copied(
    source: &Editing,
    offered: &[Widening],
    posted: &Posted,
    slug: &ProgrammeSlug,
) -> (ProgrammeFile, serde_json::Map<String, serde_json::Value>) {
    let keep: Vec<String> = posted.all("keep").map(str::to_owned).collect();
    let mut detail = editing::change("clone");
    detail.insert("cloned_from".into(), source.slug().as_str().into());
    detail.insert(
        "withheld".into(),
        offered
            .iter()
            .map(Widening::name)
            .filter(|n| !keep.contains(n))
            .collect::<Vec<_>>()
            .into(),
    );
    (editing::clone_as(&source.programme, slug, &keep), detail)
}

/// What the copy would bring along that widens who can read its data, each with a box
/// to keep it (none ticked), and the password.
fn copy_page(
    staff: &Staff,
    posted: &Posted,
    offered: &[Widening],
    error: Option<&str>,
) -> HttpResponse {
    let lang = staff.lang;
    let title = t(lang, "launch-copy-title");
    let errors: Vec<String> = error.map(str::to_owned).into_iter().collect();
    let carried = ["from", "slug", "title", "language"];
    let kept: Vec<&str> = posted.all("keep").collect();
    shell_page(
        staff,
        lang,
        &title,
        StatusCode::OK,
        html! {
            (errors_box(lang, &errors))
            p { a href="/admin/programmes" { (t(lang, "pe-list-title")) } }
            h1 { (title) }
            p { (t_args(lang, "launch-copy-intro", &[("slug", posted.text("from").to_owned())])) }
            form method="post" action="/admin/programmes" novalidate {
                (csrf_field(&staff.csrf))
                input type="hidden" name=(COPY_MARK) value="1";
                @for name in carried {
                    input type="hidden" name=(name) value=(posted.text(name));
                }
                fieldset class="field" {
                    legend { (t(lang, "launch-copy-legend")) }
                    @for (i, w) in offered.iter().enumerate() {
                        div class="choice" {
                            input type="checkbox" id={ "keep-" (i) } name="keep" value=(w.name()) checked[kept.contains(&w.name().as_str())];
                            label for={ "keep-" (i) } {
                                code dir="ltr" { (w.name()) } " – " (super::confirm::explain(lang, w))
                            }
                        }
                    }
                }
                p { (t(lang, "launch-copy-review")) }
                (widgets::password(lang, "copy"))
                button type="submit" { (t(lang, "pe-new-submit")) }
            }
        },
    )
}
