//! The programme editor (`/admin/programmes`): open a new programme from a blank
//! template or as a copy of another, change its form, queues, routing rules, reply
//! templates and settings, move it through draft → open → closed → archived, or edit
//! its TOML directly.
//!
//! Instance admins may edit every programme, a programme's admins their own; for
//! anyone else these pages do not exist (404). Creating, cloning and changing the
//! status ask for the admin's password again. Every change, whichever page it comes
//! from, is a new definition saved through [`crate::programme::editing::save`], the
//! path `haven programme apply` takes: the same checks, a new version, one audit entry
//! in the same transaction. Each form carries the version it was drawn from, so a
//! save on top of someone else's newer one is refused rather than lost.

mod checklist;
mod confirm;
mod create;
mod fields;
mod list;
mod options;
mod partners;
mod partners_section;
mod parts;
mod remove;
mod rules;
mod said;
mod sections;
mod shown;
mod staff;
mod tabs;
mod text;
mod widgets;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use super::pages::{Shell, render};
use super::{Console, page, see_other};
use crate::auth::Staff;
use crate::auth::reauth::Reauthenticated;
use crate::casework::Action;
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::editing::{self, Expect, SaveError};
use crate::programme::{Programme, ProgrammeFile};
use crate::store::{ApplyOutcome, ProgrammeRecord};
use list::list_page;
use widgets::Posted;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/programmes")
            // A whole programme file is posted from the TOML page.
            .app_data(
                web::FormConfig::default()
                    .limit(256 * 1024)
                    .error_handler(crate::web::errors::extractor_error),
            )
            .route("", web::get().to(list::list))
            .route("", web::post().to(create::create))
            .route("/{slug}", web::get().to(checklist::overview))
            .route("/{slug}/status", web::post().to(checklist::change_status))
            .route(
                "/{slug}/open-without",
                web::post().to(checklist::open_without),
            )
            .route(
                "/{slug}/launch/confirm",
                web::post().to(checklist::confirm_item),
            )
            .route("/{slug}/toml", web::get().to(text::show))
            .route("/{slug}/toml", web::post().to(text::save))
            .route("/{slug}/partners", web::get().to(partners::page))
            .configure(staff::routes)
            .configure(fields::routes)
            .configure(rules::routes)
            .configure(partners::routes)
            .configure(sections::routes),
    );
}

/// A programme open in the editor, as stored now.
pub(crate) struct Editing {
    pub staff: Staff,
    pub lang: Language,
    pub record: ProgrammeRecord,
    pub programme: Programme,
    /// The request being served: a save that needs the password again is confirmed
    /// by posting the same form to the same address.
    pub req: HttpRequest,
}

impl Editing {
    fn slug(&self) -> &ProgrammeSlug {
        self.programme.slug()
    }

    fn base(&self) -> String {
        format!("/admin/programmes/{}", self.slug())
    }

    fn file(&self) -> &ProgrammeFile {
        self.programme.file()
    }
}

/// The programme behind `slug`, if `staff` administers it; anything else is "not found".
async fn editable(
    console: &Console,
    req: &HttpRequest,
    staff: Staff,
    lang: Language,
    slug: &str,
) -> Result<Editing, AppError> {
    let slug = ProgrammeSlug::parse(slug).map_err(|_| AppError::NotFound)?;
    let record = console
        .store
        .programme_by_slug(slug.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff.may_in(&record.id, Action::EditProgramme) {
        return Err(AppError::NotFound);
    }
    let programme = Programme::parse(&record.definition).map_err(|_| {
        crate::store::StoreError::Corrupt("a stored programme definition does not parse")
    })?;
    Ok(Editing {
        staff,
        lang,
        record,
        programme,
        req: req.clone(),
    })
}

async fn for_get(console: &Console, req: &HttpRequest, slug: &str) -> Result<Editing, AppError> {
    let staff = console.staff(req).await?;
    let lang = staff.lang;
    editable(console, req, staff, lang, slug).await
}

async fn for_post(
    console: &Console,
    req: &HttpRequest,
    slug: &str,
    posted: &Posted,
) -> Result<Editing, AppError> {
    let staff = console.staff_posting(req, posted.text("csrf")).await?;
    let lang = staff.lang;
    editable(console, req, staff, lang, slug).await
}

/// Asks for the admin's password again: the proof, or the message for the page,
/// telling a throttled admin to wait rather than that the password was wrong.
async fn reauth(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    lang: Language,
    posted: &Posted,
) -> Result<Result<Reauthenticated, String>, AppError> {
    use super::admin::{Reauth, reauthenticate_for};
    Ok(
        reauthenticate_for(console, req, staff, posted.text("current_password"))
            .await?
            .map_err(|refused| match refused {
                Reauth::Throttled => t(lang, "reauth-throttled"),
                Reauth::Busy => t(lang, "reauth-busy"),
                _ => t(lang, "pe-error-password"),
            }),
    )
}

/// What became of a save from the editor.
pub(crate) enum Saving {
    Saved(ApplyOutcome),
    /// Not saved: the reasons, for the page the form came from.
    Refused(Vec<String>),
    /// Not saved: the change widens who can read data, and this page asks for the
    /// password (it posts the same form again, with it).
    Confirm(HttpResponse),
    /// Not saved: it would open a programme that is not ready (only the status forms
    /// open one).
    NotReady(Vec<crate::programme::launch::Gap>),
}

impl Saving {
    /// The response: `saved` after a save, `refused` with the reasons, or the page
    /// asking for the password.
    pub(crate) fn respond(
        self,
        saved: impl FnOnce(ApplyOutcome) -> HttpResponse,
        refused: impl FnOnce(Vec<String>) -> HttpResponse,
    ) -> HttpResponse {
        match self {
            Saving::Saved(outcome) => saved(outcome),
            Saving::Refused(errors) => refused(errors),
            Saving::Confirm(page) => page,
            Saving::NotReady(gaps) => refused(
                gaps.iter()
                    .map(crate::programme::launch::Gap::name)
                    .collect(),
            ),
        }
    }
}

/// Saves a changed definition of the programme being edited, as of the version the
/// posted form was drawn from.
async fn save_edit(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    file: &ProgrammeFile,
    part: &str,
) -> Result<Saving, AppError> {
    save_edit_noting(console, ed, posted, file, editing::change(part)).await
}

/// [`save_edit`] with an audit detail of the caller's (what exactly changed).
async fn save_edit_noting(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    file: &ProgrammeFile,
    detail: serde_json::Map<String, serde_json::Value>,
) -> Result<Saving, AppError> {
    let text = editing::to_text(file).map_err(|e| AppError::Internal(e.to_string()))?;
    save_text(console, ed, posted, &text, detail, None, false).await
}

/// Every save of the editor comes here, and goes through [`editing::save`], which
/// reviews what the change widens. When it widens something, the password posted
/// with the form (a form that has a password box, or the confirmation page) is
/// checked and the save tried again with the proof; without one, the confirmation
/// page is the answer. `status_change`: the status form, with its proof.
async fn save_text(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    text: &str,
    detail: serde_json::Map<String, serde_json::Value>,
    status_change: Option<&Reauthenticated>,
    keep_lines: bool,
) -> Result<Saving, AppError> {
    let version = posted
        .text("version")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let signer = console.keyring.programme_signer();
    let attempt = async |confirmed: Option<&Reauthenticated>| {
        editing::save(
            &console.store,
            &signer,
            text,
            Expect::Edit {
                slug: ed.slug(),
                version,
                status_change: status_change.is_some(),
            },
            editing::Author::Staff {
                id: &ed.staff.id,
                instance_admin: ed.staff.is_admin,
                confirmed,
            },
            detail.clone(),
        )
        .await
    };
    let mut saved = attempt(status_change).await;
    let proof;
    let needs = match &saved {
        Err(SaveError::NeedsReauth(widened)) => Some(widened.clone()),
        _ => None,
    };
    if let Some(widened) = &needs {
        if posted.text("current_password").is_empty() {
            return Ok(Saving::Confirm(confirm::page(ed, posted, widened, None)));
        }
        match reauth(console, &ed.req, &ed.staff, ed.lang, posted).await? {
            Ok(p) => {
                proof = p;
                saved = attempt(Some(&proof)).await;
            }
            Err(message) if posted.has(confirm::MARK) => {
                return Ok(Saving::Confirm(confirm::page(
                    ed,
                    posted,
                    widened,
                    Some(&message),
                )));
            }
            Err(message) => return Ok(Saving::Refused(vec![message])),
        }
    }
    match saved {
        Ok(saved) => {
            console.programmes.forget(ed.slug());
            Ok(Saving::Saved(saved.outcome))
        }
        Err(e) => refused(ed, text, keep_lines, e),
    }
}

/// What the editor says about a save `editing::save` refused: the problems to show in
/// words (with their line numbers on the TOML page, `keep_lines`), or the checklist's gaps.
fn refused(ed: &Editing, text: &str, keep_lines: bool, e: SaveError) -> Result<Saving, AppError> {
    let lang = ed.lang;
    match e {
        SaveError::Invalid(errors) => Ok(Saving::Refused(said::in_words(
            ed, text, &errors, keep_lines,
        ))),
        SaveError::Stale { current } => Ok(Saving::Refused(vec![t_args(
            lang,
            "pe-error-stale",
            &[("version", current.to_string())],
        )])),
        SaveError::SlugChanged => Ok(Saving::Refused(vec![t(lang, "pe-error-slug-changed")])),
        SaveError::StatusChanged => Ok(Saving::Refused(vec![t(lang, "pe-error-status-changed")])),
        SaveError::KindChanged(changes) => Ok(Saving::Refused(
            changes
                .iter()
                .map(|c| confirm::kind_held(lang, c))
                .collect(),
        )),
        SaveError::InstanceAdminOnly(settings) => Ok(Saving::Refused(vec![t_args(
            lang,
            "widening-instance-only",
            &[("settings", settings.join(", "))],
        )])),
        SaveError::NotReady(gaps) => Ok(Saving::NotReady(gaps)),
        SaveError::Unverified => Ok(Saving::Refused(vec![t(lang, "signed-state-refused")])),
        SaveError::NeedsReauth(_) => Err(AppError::Internal(
            "a confirmed save still needed the password".into(),
        )),
        SaveError::Missing => Err(AppError::NotFound),
        SaveError::Exists | SaveError::Unserialisable => {
            Err(AppError::Internal("an edit could not be saved".into()))
        }
        SaveError::Store(e) => Err(e.into()),
        SaveError::Crypto(e) => Err(e.into()),
    }
}

/// Back to the page of the part that was changed, after a save.
fn saved(ed: &Editing, outcome: &ApplyOutcome, part: &str) -> HttpResponse {
    let done = match outcome {
        ApplyOutcome::Unchanged { .. } => "unchanged",
        _ => "saved",
    };
    let tab = tabs::Tab::of_form(part);
    let path = match tab {
        // The TOML page's save goes back to the overview, as the status does.
        tabs::Tab::Toml => "",
        other => other.path(),
    };
    see_other(&format!("{}{path}?done={done}", ed.base()))
}

fn shell_page(
    staff: &Staff,
    lang: Language,
    title: &str,
    status: StatusCode,
    main: Markup,
) -> HttpResponse {
    page(
        status,
        render(
            &Shell {
                title,
                staff: Some(staff),
                lang,
            },
            main,
        ),
    )
}

fn done_of(req: &HttpRequest) -> Option<String> {
    web::Query::<super::queues::Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done)
}
