//! One enquiry: reading it (decrypts, audited), claiming, assigning, status, notes,
//! transfers; and finding one by reference code.
//!
//! Handlers follow one shape: who is asking, may they see this enquiry at all (else
//! 404), may they do this to it ([`crate::casework::permit`]), then one conditional
//! update that names the state the page showed, so a stale page cannot overwrite a
//! newer change. The update and its audit entry commit together.
//!
//! The enquiry page's markup is in `page`; this module holds only handlers (one per
//! case-work action, each short), which is why it is longer than a page module.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::pages::{Shell, render};
use super::{Console, member, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::casework::notes::{self, NOTE_MAX, Note, NoteKind};
use crate::casework::{Action, Case, Status, Subject, permit};
use crate::domain::{Language, ReferenceCode};
use crate::error::AppError;
use crate::i18n::t;
use crate::keyring::{GateError, Read};
use crate::programme::Programme;
use crate::store::{EnquiryRecord, NewNote};

pub mod collisions;
mod contact;
mod page;
mod withdraw;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/e/{id}", web::get().to(view))
        .route("/e/{id}/claim", web::post().to(claim))
        .route("/e/{id}/unclaim", web::post().to(unclaim))
        .route("/e/{id}/assign", web::post().to(assign))
        .route("/e/{id}/status", web::post().to(set_status))
        .route("/e/{id}/note", web::post().to(add_note))
        .route("/e/{id}/transfer", web::post().to(transfer))
        .route("/e/{id}/hold", web::post().to(legal_hold))
        .route("/e/{id}/draft", web::post().to(insert_template))
        // Not `/withdraw`: that withdraws a queued reply (`console::replies`).
        .route(
            "/e/{id}/delete-on-request",
            web::post().to(withdraw::withdraw),
        )
        .route("/e/{id}/remove-contact", web::post().to(contact::remove))
        .route("/search", web::post().to(search))
        .configure(collisions::routes);
}

fn subject(id: &str) -> String {
    format!("enquiry:{id}")
}

pub(super) fn case(record: &EnquiryRecord) -> Case<'_> {
    Case {
        status: record.status,
        assigned_to: record.assigned_to.as_deref(),
    }
}

/// Back to the enquiry, saying whether the change happened or someone got there first.
pub(super) fn back(record_id: &str, changed: bool, done: &str) -> HttpResponse {
    see_other(&done_url(
        record_id,
        if changed { done } else { "conflict" },
    ))
}

pub(super) fn refused(refusal: crate::casework::Refusal) -> AppError {
    tracing::debug!(%refusal, "case work action refused");
    AppError::Forbidden
}

async fn view(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    let query = web::Query::<ViewQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    show(
        &console,
        &staff,
        (&record, &live, role),
        query.template.as_deref(),
        None,
        query.done.as_deref(),
    )
    .await
}

#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    insert_template: String,
}

/// "Use template" on the reply form posts the draft here: the enquiry page comes back
/// with what was typed and the template appended (issue 22, item 4). Nothing is sent.
async fn insert_template(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<DraftForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = match staff_or_kept_text(&console, &req, &form.csrf, &id, &form.text).await? {
        Ok(s) => s,
        Err(page) => return Ok(page),
    };
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Reply,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let typed = crate::replies::Draft {
        subject: form.subject,
        text: form.text,
        template_key: Some(form.template).filter(|t| live.programme.template(t).is_some()),
    };
    let template = Some(form.insert_template.as_str()).filter(|t| !t.is_empty());
    show(
        &console,
        &staff,
        (&record, &live, role),
        template,
        Some(typed),
        None,
    )
    .await
}

/// The enquiry page (opening the case, audited): with the draft `typed` if the staff
/// member was writing one, and the template `template` appended to it (or as the draft).
async fn show(
    console: &Console,
    staff: &Staff,
    (record, live, role): (
        &EnquiryRecord,
        &crate::programme::live::LiveProgramme,
        crate::casework::ProgrammeRole,
    ),
    template: Option<&str>,
    typed: Option<crate::replies::Draft>,
    done: Option<&str>,
) -> Result<HttpResponse, AppError> {
    permit(
        member(staff, role),
        Action::View,
        Subject::Enquiry(case(record)),
    )
    .map_err(refused)?;
    // The keyring counts the read against the cap and audits it before opening.
    let opened = match console
        .keyring
        .open_case(&staff.actor(), Read::new(AuditAction::EnquiryView), record)
        .await
    {
        Err(GateError::KeyDestroyed) => return Ok(page::shredded(staff)),
        other => other?,
    };
    let around = Around::load(console, live, record).await?;
    let handle = console.store.display_handle(&record.id).await?;
    let mail = super::replies::mail_settings(console);
    let from_template =
        template.and_then(|key| crate::replies::from_template(live, key, &opened.content, &mail));
    if from_template.is_some() {
        // Starting a reply from a template opens the reply box: the others see it.
        collisions::take_lock(console, staff, &record.id).await?;
    }
    let draft = match (typed, from_template) {
        (Some(typed), Some(t)) => Some(crate::replies::append_template(typed, t)),
        (typed, t) => t.or(typed),
    };
    let collisions = collisions::section(console, staff, role, record, &around.team).await?;
    let may_refer = permit(
        member(staff, role),
        Action::Reply,
        Subject::Enquiry(case(record)),
    );
    let referrals = super::referrals::section(
        console,
        staff,
        live,
        role,
        record,
        &around.referred,
        may_refer.is_ok(),
    )
    .await?;
    let markup = page::enquiry(&page::EnquiryView {
        staff,
        live,
        role,
        record,
        case: case(record),
        opened: &opened,
        around: &around,
        draft: draft.as_ref(),
        referrals,
        done,
        handle: handle.as_deref(),
        collisions,
    });
    Ok(super::page(StatusCode::OK, markup))
}

/// What the enquiry page shows besides the sealed case: the programme's team, the
/// form version the enquiry was sent with, its hold, referrals and emails.
pub(super) struct Around {
    pub team: Vec<(String, String, crate::casework::ProgrammeRole)>,
    /// The programme as the person saw it, when the form changed since.
    pub submitted_with: Option<Programme>,
    pub held: bool,
    pub referred: Vec<crate::store::ReferralRecord>,
    /// Emails to the person (messages to partners are listed with their referral).
    pub deliveries: Vec<crate::store::OutboxStatus>,
}

impl Around {
    async fn load(
        console: &Console,
        live: &crate::programme::live::LiveProgramme,
        record: &EnquiryRecord,
    ) -> Result<Self, AppError> {
        let store = &console.store;
        // The questions as the person saw them: the form may have changed since.
        let submitted_with = match record.form_version {
            v if v == live.version => None,
            v => store
                .programme_version(&live.id, v)
                .await?
                .and_then(|text| Programme::parse(&text).ok()),
        };
        let referred = store.referrals_of_enquiry(&record.id).await?;
        let deliveries = store
            .outbox_of_enquiry(&record.id)
            .await?
            .into_iter()
            .filter(|d| !referred.iter().any(|r| r.outbox_id.as_ref() == Some(&d.id)))
            .collect();
        Ok(Self {
            team: store.programme_staff(&live.id).await?,
            submitted_with,
            held: store.legal_hold(&record.id).await?,
            referred,
            deliveries,
        })
    }
}

#[derive(Deserialize, Default)]
pub struct ViewQuery {
    done: Option<String>,
    template: Option<String>,
}

#[derive(Deserialize)]
pub struct Csrf {
    #[serde(default)]
    csrf: String,
}

async fn claim(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Csrf>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    let base = format!("/console/e/{}", record.id);
    if let Err(r) = permit(
        member(&staff, role),
        Action::Claim,
        Subject::Enquiry(case(&record)),
    ) {
        if r == crate::casework::Refusal::AlreadyClaimed {
            return Ok(see_other(&format!("{base}?done=conflict")));
        }
        return Err(refused(r));
    }
    let won = console
        .store
        .claim(
            &record.id,
            &staff.id,
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryClaim,
                &subject(&record.id),
            ),
        )
        .await?;
    Ok(back(&record.id, won, "claimed"))
}

#[derive(Deserialize)]
pub struct UnclaimForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
}

async fn unclaim(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<UnclaimForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Unclaim,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let done = console
        .store
        .unclaim(
            &record.id,
            &form.current,
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryUnclaim,
                &subject(&record.id),
            ),
        )
        .await?;
    Ok(back(&record.id, done, "unclaimed"))
}

#[derive(Deserialize)]
pub struct ToForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// `next`: "save and next", take the queue's next enquiry after this change.
    #[serde(default)]
    then: String,
}

async fn assign(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ToForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Assign,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    // Only to someone who works on this programme.
    let team = console.store.programme_staff(&live.id).await?;
    if !team.iter().any(|(uid, _, _)| *uid == form.to) {
        return Err(AppError::BadRequest);
    }
    console
        .store
        .assign(
            &record.id,
            &form.to,
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryAssign,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "to": Actor::staff(&form.to).to_string() })),
        )
        .await?;
    Ok(see_other(&done_url(&record.id, "assigned")))
}

async fn set_status(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ToForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::ChangeStatus,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let (Some(from), Some(to)) = (Status::parse(&form.from), Status::parse(&form.to)) else {
        return Err(AppError::BadRequest);
    };
    if !from.can_move_to(to) {
        return Err(AppError::BadRequest);
    }
    let done = console
        .store
        .set_status(
            &record.id,
            from.as_str(),
            to.as_str(),
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryStatus,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "from": from.as_str(), "to": to.as_str() })),
        )
        .await?;
    if done && form.then == "next" {
        return super::queue_list::take_next_for(&console, &staff, &live, role, &record.queue)
            .await;
    }
    Ok(back(&record.id, done, "status"))
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

fn note_text(raw: &str) -> Result<&str, AppError> {
    notes::text(raw).ok_or(AppError::BadRequest)
}

async fn staff_or_kept_text(
    console: &Console,
    req: &HttpRequest,
    csrf: &str,
    id: &str,
    text: &str,
) -> Result<Result<Staff, HttpResponse>, AppError> {
    match console.staff_posting(req, csrf).await {
        Ok(staff) => Ok(Ok(staff)),
        Err(AppError::Forbidden | AppError::SignInRequired) => {
            // No staff member to take a language from: the browser's.
            let lang = crate::web::request_language(req, &Language::ALL);
            Ok(Err(page(
                StatusCode::FORBIDDEN,
                page::kept_text_page(
                    lang,
                    &t(lang, "console-kept-text-title"),
                    text,
                    &format!("/console/e/{id}"),
                ),
            )))
        }
        Err(e) => Err(e),
    }
}

async fn add_note(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, AppError> {
    let staff = match staff_or_kept_text(&console, &req, &form.csrf, &id, &form.text).await? {
        Ok(s) => s,
        Err(page) => return Ok(page),
    };
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Note,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let text = note_text(&form.text)?;
    let note = seal_note(
        &live.sealer,
        &record.id,
        &staff,
        Note {
            kind: NoteKind::Note,
            text: text.to_owned(),
        },
    )?;
    console
        .store
        .add_note(
            &note,
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryNote,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "note": note.id })),
        )
        .await?;
    Ok(see_other(&done_url(&record.id, "note")))
}

/// The enquiry's page after an action, with the word that says what was done.
pub(in crate::console) fn done_url(id: &str, done: &str) -> String {
    format!("/console/e/{id}?done={done}")
}

fn seal_note(
    sealer: &crate::crypto::Sealer,
    enquiry_id: &str,
    staff: &Staff,
    note: Note,
) -> Result<NewNote, AppError> {
    Ok(NewNote {
        id: crate::crypto::random_id(),
        enquiry_id: enquiry_id.to_owned(),
        author_id: staff.id.clone(),
        sealed: note.seal(sealer)?,
    })
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

async fn transfer(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<TransferForm>,
) -> Result<HttpResponse, AppError> {
    let staff = match staff_or_kept_text(&console, &req, &form.csrf, &id, &form.reason).await? {
        Ok(s) => s,
        Err(page) => return Ok(page),
    };
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Transfer,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let queues = &live.programme.file().queues;
    if form.to == form.from || !queues.iter().any(|q| q.key == form.to) {
        return Err(AppError::BadRequest);
    }
    let reason = note_text(&form.reason)?;
    let note = seal_note(
        &live.sealer,
        &record.id,
        &staff,
        Note {
            kind: NoteKind::Transfer {
                from: form.from.clone(),
                to: form.to.clone(),
            },
            text: reason.to_owned(),
        },
    )?;
    let done = console
        .store
        .transfer(
            &record.id,
            &form.from,
            &form.to,
            &note,
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryTransfer,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "from": form.from, "to": form.to, "note": note.id })),
        )
        .await?;
    Ok(back(&record.id, done, "transferred"))
}

#[derive(Deserialize)]
pub struct HoldForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hold: String,
}

/// A legal hold keeps an enquiry past its programme's retention period (supervisors).
async fn legal_hold(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<HoldForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Hold,
        Subject::Enquiry(case(&record)),
    )
    .map_err(refused)?;
    let hold = match form.hold.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest),
    };
    console
        .store
        .set_legal_hold(
            &record.id,
            hold,
            &Entry::new(
                &staff.actor(),
                if hold {
                    AuditAction::EnquiryHold
                } else {
                    AuditAction::EnquiryReleaseHold
                },
                &subject(&record.id),
            ),
        )
        .await?;
    Ok(see_other(&done_url(&record.id, "hold")))
}

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reference: String,
}

/// The reference code travels in the POST body only, never in a URL; the redirect
/// goes to the enquiry's random id.
async fn search(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<SearchForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let found = match ReferenceCode::parse(&form.reference) {
        Ok(code) => {
            let hash = crate::intake::submission::reference_hash(&console.intake_key, &code);
            console
                .store
                .enquiry_by_reference(&hash)
                .await?
                // Someone else's programme: exactly like no match at all.
                .filter(|e| staff.role_in(&e.programme_id).is_some())
        }
        Err(_) => None,
    };
    let entry = match &found {
        Some(e) => Entry::new(&staff.actor(), AuditAction::EnquirySearch, &subject(&e.id)),
        None => Entry::new(&staff.actor(), AuditAction::EnquirySearch, "enquiry:none")
            .outcome(Outcome::Failed),
    };
    console.store.record_audit(&entry).await?;
    match found {
        Some(e) => Ok(see_other(&format!("/console/e/{}", e.id))),
        None => Ok(page(
            StatusCode::NOT_FOUND,
            render(
                &Shell {
                    title: &t(staff.lang, "console-search-none-title"),
                    staff: Some(&staff),
                    lang: staff.lang,
                },
                html! {
                    h1 { (t(staff.lang, "console-search-none-heading")) }
                    (super::queues::search_form(
                        &staff,
                        Some(&t(staff.lang, "console-search-none")),
                    ))
                },
            ),
        )),
    }
}
