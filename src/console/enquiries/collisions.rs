//! The enquiry page's "who else is on it" part (issue 22, items 5 and 6): someone
//! else's claim and draft lock, shown on every page load; taking and dropping one's own
//! draft lock; the related enquiries that share the address (asked for with a reason);
//! supervisors' duplicate marks. The rules are `crate::collisions`'; this draws and
//! routes.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Csrf, case, refused};
use crate::audit::{AuditAction, Entry};
use crate::auth::Staff;
use crate::casework::{Action, ProgrammeRole, Subject, permit};
use crate::collisions::{self, LOCK_SECS, REASON_MAX, RelatedError};
use crate::console::pages::{Shell, csrf_field, datetime, render};
use crate::console::{Console, member, page, see_other};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::store::{EnquiryRecord, RelatedEnquiry};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/e/{id}/writing", web::post().to(writing))
        .route("/e/{id}/writing/stop", web::post().to(stop_writing))
        .route("/e/{id}/related", web::post().to(related))
        .route("/e/{id}/duplicate", web::post().to(duplicate))
        .route("/e/{id}/duplicate/undo", web::post().to(undo_duplicate));
}

/// Takes (or renews) the staff member's draft lock: opening the reply box, saving or
/// starting a draft (a template) call this too.
pub async fn take_lock(
    console: &Console,
    staff: &Staff,
    enquiry_id: &str,
) -> Result<bool, AppError> {
    let now = console.clock.now();
    Ok(console
        .store
        .take_draft_lock(enquiry_id, &staff.id, now, now + LOCK_SECS)
        .await?)
}

/// The part of the enquiry page about others: their claim, their draft lock, the
/// duplicate marks, the related-enquiries request and one's own lock.
pub(super) async fn section(
    console: &Console,
    staff: &Staff,
    role: ProgrammeRole,
    record: &EnquiryRecord,
    team: &[(String, String, ProgrammeRole)],
) -> Result<Markup, AppError> {
    let lang = staff.lang;
    let lock = console
        .store
        .draft_lock(&record.id, console.clock.now())
        .await?;
    let marks = console.store.duplicate_marks(&record.id).await?;
    let name_of = |id: &str| {
        team.iter()
            .find(|(uid, _, _)| uid == id)
            .map(|(_, email, _)| email.clone())
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let claimed_by_other = record.assigned_to.as_deref().filter(|id| *id != staff.id);
    let supervisor = permit(
        member(staff, role),
        Action::MarkDuplicate,
        Subject::Enquiry(case(record)),
    )
    .is_ok();
    let base = format!("/console/e/{}", record.id);
    Ok(html! {
        div id="collisions" {
            @if let Some(other) = claimed_by_other {
                div class="notice warning" role="status" id="claimed-by-other" {
                    p { (t_args(lang, "agents-c-claimed-by-other", &[("name", name_of(other))])) }
                }
            }
            @match &lock {
                Some(l) if l.user_id != staff.id => {
                    div class="notice warning" role="status" id="draft-lock" {
                        p { (t_args(lang, "agents-c-draft-lock", &[
                            ("name", l.email.clone().unwrap_or_else(|| t(lang, "console-former-member"))),
                            ("until", datetime(l.expires_at)),
                        ])) }
                    }
                }
                Some(l) => {
                    div class="notice" id="own-draft-lock" {
                        p { (t_args(lang, "agents-c-own-lock", &[("until", datetime(l.expires_at))])) }
                        form method="post" action={ (base) "/writing/stop" } class="inline" {
                            (csrf_field(&staff.csrf))
                            button type="submit" class="secondary" { (t(lang, "agents-c-stop-writing")) }
                        }
                    }
                }
                None => {
                    form method="post" action={ (base) "/writing" } class="inline" id="start-writing" {
                        (csrf_field(&staff.csrf))
                        button type="submit" class="secondary" { (t(lang, "agents-c-start-writing")) }
                    }
                }
            }
            @if let Some(of) = &marks.duplicate_of {
                div class="notice" id="duplicate-of" {
                    p { (t(lang, "agents-c-duplicate-of")) " " a href={ "/console/e/" (of) } { (short(of)) } }
                    @if supervisor {
                        form method="post" action={ (base) "/duplicate/undo" } class="inline" {
                            (csrf_field(&staff.csrf))
                            button type="submit" class="secondary" { (t(lang, "agents-c-duplicate-undo")) }
                        }
                    }
                }
            }
            @if !marks.duplicates.is_empty() {
                div class="notice" id="duplicates" {
                    p { (t(lang, "agents-c-has-duplicates")) }
                    ul { @for d in &marks.duplicates { li { a href={ "/console/e/" (d) } { (short(d)) } } } }
                }
            }
            @if record.has_email {
                (related_form(staff, &base, ""))
            }
        }
    })
}

/// A short, stable label for an enquiry in lists: the start of its random id.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

fn related_form(staff: &Staff, base: &str, typed: &str) -> Markup {
    let lang = staff.lang;
    html! {
        details id="related" open[!typed.is_empty()] {
            summary { (t(lang, "agents-c-related-heading")) }
            p class="hint" id="related-hint" { (t(lang, "agents-c-related-shared")) }
            form method="post" action={ (base) "/related" } {
                (csrf_field(&staff.csrf))
                div class="field" {
                    label for="related-reason" { (t(lang, "agents-c-related-reason")) }
                    textarea id="related-reason" name="reason" rows="2" maxlength=(REASON_MAX)
                        aria-describedby="related-hint" required dir="auto" { (typed) }
                }
                button type="submit" class="secondary" { (t(lang, "agents-c-related-submit")) }
            }
        }
    }
}

async fn writing(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Csrf>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, _) = console.enquiry_for(&staff, &id).await?;
    let taken = take_lock(&console, &staff, &record.id).await?;
    let done = if taken { "writing" } else { "conflict" };
    Ok(see_other(&format!(
        "{}#replies",
        super::done_url(&record.id, done)
    )))
}

async fn stop_writing(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Csrf>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, _) = console.enquiry_for(&staff, &id).await?;
    console
        .store
        .release_draft_lock(&record.id, &staff.id)
        .await?;
    Ok(see_other(&format!("/console/e/{}", record.id)))
}

#[derive(Deserialize)]
pub struct RelatedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn related(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<RelatedForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::SeeRelated,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let found = collisions::related(
        &console.store,
        &staff.actor(),
        &staff.id,
        &record.programme_id,
        &record.id,
        &form.reason,
        console.clock.now(),
    )
    .await;
    let (status, found, problem) = match found {
        Ok(found) => (StatusCode::OK, Some(found), None),
        Err(RelatedError::NoReason) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some("agents-c-related-no-reason"),
        ),
        Err(RelatedError::Limited) => (
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some("agents-c-related-limited"),
        ),
        Err(RelatedError::Store(e)) => return Err(e.into()),
    };
    let may_mark = permit(
        member(&staff, role),
        Action::MarkDuplicate,
        Subject::Enquiry(case(&record)),
    )
    .is_ok();
    let view = RelatedView {
        staff: &staff,
        live: &live,
        record: &record,
        found: found.as_deref(),
        problem,
        typed: &form.reason,
        may_mark,
    };
    Ok(page(status, related_page(&view)))
}

struct RelatedView<'a> {
    staff: &'a Staff,
    live: &'a LiveProgramme,
    record: &'a EnquiryRecord,
    found: Option<&'a [RelatedEnquiry]>,
    problem: Option<&'static str>,
    typed: &'a str,
    may_mark: bool,
}

fn related_page(v: &RelatedView<'_>) -> Markup {
    let (staff, record) = (v.staff, v.record);
    let lang = staff.lang;
    let p = &v.live.programme;
    let base = format!("/console/e/{}", record.id);
    let title = t(lang, "agents-c-related-heading");
    let status_label = |s: &str| {
        crate::casework::Status::parse(s)
            .map(|s| t(lang, s.label_id()))
            .unwrap_or_else(|| s.to_owned())
    };
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            p { a href=(base) { (t(lang, "console-back-to-enquiry")) } }
            h1 { (title) }
            p class="hint" { (t(lang, "agents-c-related-shared")) }
            @if let Some(problem) = v.problem {
                div class="error-summary" role="alert" tabindex="-1" {
                    p { (t(lang, problem)) }
                }
                (related_form(staff, &base, v.typed))
            }
            @if let Some(found) = v.found {
                @if found.is_empty() {
                    p id="related-none" { (t(lang, "agents-c-related-none")) }
                } @else {
                    table id="related-list" {
                        thead { tr {
                            th scope="col" { (t(lang, "agents-c-related-enquiry")) }
                            th scope="col" { (t(lang, "console-queue")) }
                            th scope="col" { (t(lang, "console-priority")) }
                            th scope="col" { (t(lang, "console-status")) }
                            th scope="col" { (t(lang, "console-received")) }
                            @if v.may_mark { th scope="col" { (t(lang, "agents-c-duplicate-heading")) } }
                        } }
                        tbody {
                            @for r in found {
                                tr {
                                    td { a href={ "/console/e/" (r.id) } data-id=(r.id) { (short(&r.id)) } }
                                    td { (crate::console::labels::queue_name(p, &r.queue, lang)) }
                                    td class="num" { (r.priority) }
                                    td { (status_label(&r.status)) }
                                    td { (datetime(r.created_hour)) }
                                    @if v.may_mark {
                                        td {
                                            form method="post" action={ (base) "/duplicate" } class="inline" {
                                                (csrf_field(&staff.csrf))
                                                input type="hidden" name="of" value=(r.id);
                                                button type="submit" class="secondary" { (t(lang, "agents-c-duplicate-mark")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct DuplicateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    of: String,
}

/// A supervisor marks this enquiry a duplicate of another of the same programme.
async fn duplicate(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<DuplicateForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::MarkDuplicate,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    // The other one: in the same programme, and not this one.
    let (original, _, _) = console.enquiry_for(&staff, &form.of).await?;
    if original.programme_id != record.programme_id || original.id == record.id {
        return Err(AppError::BadRequest);
    }
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::EnquiryDuplicate,
        &format!("enquiry:{}", record.id),
    )
    .detail(serde_json::json!({ "of": original.id }));
    console
        .store
        .mark_duplicate(
            &record.id,
            &original.id,
            &staff.id,
            console.clock.now(),
            &entry,
        )
        .await?;
    Ok(see_other(&super::done_url(&record.id, "duplicate")))
}

async fn undo_duplicate(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Csrf>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::MarkDuplicate,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let marks = console.store.duplicate_marks(&record.id).await?;
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::EnquiryDuplicateUndo,
        &format!("enquiry:{}", record.id),
    )
    .detail(serde_json::json!({ "of": marks.duplicate_of }));
    let done = console.store.unmark_duplicate(&record.id, &entry).await?;
    Ok(super::back(&record.id, done, "duplicate-undone"))
}

/// The reply form's "reply anyway" box, when someone else claimed the enquiry.
pub fn reply_anyway_field(lang: crate::domain::Language, claimed_by: &str) -> Markup {
    html! {
        div class="field checkbox" id="reply-anyway-field" {
            input type="checkbox" id="reply-anyway" name="anyway" value="1";
            " "
            label for="reply-anyway" { (t_args(lang, "agents-c-reply-anyway", &[("name", claimed_by.to_owned())])) }
        }
    }
}
