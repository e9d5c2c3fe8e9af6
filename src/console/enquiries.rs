//! One enquiry: reading it (decrypts, audited), claiming, assigning, status, notes,
//! transfers; and finding one by reference code.
//!
//! Handlers follow one shape: who is asking, may they see this enquiry at all (else
//! 404), may they do this to it ([`crate::casework::permit`]), then one conditional
//! update that names the state the page showed, so a stale page cannot overwrite a
//! newer change. The update and its audit entry commit together.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

use super::pages::{Shell, csrf_field, datetime, flash_box, render};
use super::{Console, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::casework::{Action, Case, Status, permit};
use crate::crypto::random_id;
use crate::domain::{Language, ReferenceCode};
use crate::enquiry::EnquiryContent;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::{Answer, FieldKind, Programme};
use crate::store::{EnquiryRecord, NewNote};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/e/{id}", web::get().to(view))
        .route("/e/{id}/claim", web::post().to(claim))
        .route("/e/{id}/unclaim", web::post().to(unclaim))
        .route("/e/{id}/assign", web::post().to(assign))
        .route("/e/{id}/status", web::post().to(set_status))
        .route("/e/{id}/note", web::post().to(add_note))
        .route("/e/{id}/transfer", web::post().to(transfer))
        .route("/e/{id}/hold", web::post().to(legal_hold))
        .route("/search", web::post().to(search));
}

/// Longest note or transfer reason, in characters.
const NOTE_MAX: usize = 20_000;

/// A note's sealed content.
#[derive(Debug, Serialize, Deserialize)]
struct NoteContent {
    /// `note` or `transfer`.
    kind: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from_queue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to_queue: Option<String>,
}

fn subject(id: &str) -> String {
    format!("enquiry:{id}")
}

pub(super) fn case(record: &EnquiryRecord) -> Result<Case<'_>, AppError> {
    Ok(Case {
        status: Status::parse(&record.status)
            .ok_or(AppError::Internal("unknown enquiry status".into()))?,
        assigned_to: record.assigned_to.as_deref(),
    })
}

/// Back to the enquiry, saying whether the change happened or someone got there first.
fn back(record_id: &str, changed: bool, done: &str) -> HttpResponse {
    see_other(&format!(
        "/console/e/{record_id}?done={}",
        if changed { done } else { "conflict" }
    ))
}

pub(super) fn refused(refusal: crate::casework::Refusal) -> AppError {
    tracing::debug!(%refusal, "case work action refused");
    AppError::Forbidden
}

fn answer_text(lang: Language, p: &Programme, key: &str, answer: &Answer) -> String {
    let label_of = |value: &str| {
        p.field(key)
            .and_then(|f| f.options.iter().find(|o| o.value == value))
            .map(|o| p.text(&o.label, Language::En).to_owned())
            .unwrap_or_else(|| value.to_owned())
    };
    match answer {
        Answer::Text(t) => match p.field(key).map(|f| f.kind) {
            Some(FieldKind::Select | FieldKind::Radio) => label_of(t),
            Some(FieldKind::Country) => crate::programme::countries::COUNTRIES
                .iter()
                .find(|(code, _)| code == t)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_else(|| t.clone()),
            _ => t.clone(),
        },
        Answer::Choices(c) => c.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
        Answer::Flag(true) => t(lang, "console-yes"),
        Answer::Flag(false) => t(lang, "console-no"),
    }
}

/// One decrypting read (ASVS 11.1.3), counted in this process (governor, smooth) and
/// in the database (an hourly window every console instance shares).
async fn allow_decrypt(console: &Console, staff: &Staff) -> Result<bool, AppError> {
    let here = console.limiters.allow_decrypt(&staff.id);
    let key = format!("decrypt:{}", staff.id);
    let everywhere = console
        .store
        .count_in_window(key.as_bytes(), crate::store::now(), 3600)
        .await?
        <= i64::from(console.config.rate_limits.decrypts_per_user_per_hour);
    Ok(here && everywhere)
}

async fn view(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(role, &staff.id, case(&record)?, Action::View).map_err(refused)?;
    if !allow_decrypt(&console, &staff).await? {
        console
            .store
            .record_audit(
                &Entry::new(
                    &staff.actor(),
                    AuditAction::EnquiryView,
                    &subject(&record.id),
                )
                .outcome(Outcome::Alert)
                .detail(serde_json::json!({ "refused": "hourly decrypt limit" })),
            )
            .await?;
        return Err(AppError::TooManyRequests);
    }
    let opener = match console.opener(&record.sealed.key_id).await {
        Err(AppError::Crypto(crate::crypto::CryptoError::KeyDestroyed)) => {
            return Ok(shredded_page(&staff));
        }
        other => other?,
    };
    let content = EnquiryContent::open(&opener, &record.sealed)?;
    let mut notes = Vec::new();
    for n in console.store.notes(&record.id).await? {
        let opener = console.opener(&n.sealed.key_id).await?;
        let plain = zeroize::Zeroizing::new(opener.open(&n.sealed)?);
        let note: NoteContent =
            serde_json::from_slice(&plain).map_err(|_| crate::crypto::CryptoError::Decrypt)?;
        notes.push((n, note));
    }
    // Written before the page is sent: a read that cannot be audited does not happen.
    console
        .store
        .record_audit(
            &Entry::new(
                &staff.actor(),
                AuditAction::EnquiryView,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "notes": notes.len() })),
        )
        .await?;
    let lang = staff.lang;
    let team = console.store.programme_staff(&live.id).await?;
    let name_of = |id: &str| {
        team.iter()
            .find(|(uid, _, _)| uid == id)
            .map(|(_, email, _)| email.clone())
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let p = &live.programme;
    // The questions as the person saw them: the form may have changed since.
    let submitted_with = match record.form_version {
        v if v == live.version => None,
        v => console
            .store
            .programme_version(&live.id, v)
            .await?
            .and_then(|text| Programme::parse(&text).ok()),
    };
    let asked = submitted_with.as_ref().unwrap_or(p);
    let status = Status::parse(&record.status).unwrap_or(Status::New);
    let queue_name = |key: &str| {
        p.file()
            .queues
            .iter()
            .find(|q| q.key == key)
            .map(|q| p.text(&q.name, Language::En).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    let query = web::Query::<ViewQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let done = query.done;
    let mail = super::replies::mail_settings(&console);
    let draft = query
        .template
        .as_deref()
        .and_then(|key| crate::replies::from_template(&live, key, &content, &mail));
    let sent = super::replies::history(&console, &record).await?;
    let held = console.store.legal_hold(&record.id).await?;
    let referred = console.store.referrals_of_enquiry(&record.id).await?;
    // Messages to partners are listed with their referral, not as emails to the person.
    let deliveries: Vec<_> = console
        .store
        .outbox_of_enquiry(&record.id)
        .await?
        .into_iter()
        .filter(|d| !referred.iter().any(|r| r.outbox_id.as_ref() == Some(&d.id)))
        .collect();
    let c = case(&record)?;
    let may = |a: Action| permit(role, &staff.id, c, a).is_ok();
    let referrals = super::referrals::section(
        &console,
        &staff,
        &live,
        &record,
        &referred,
        may(Action::Reply),
    )
    .await?;
    let base = format!("/console/e/{}", record.id);
    let title = t_args(
        lang,
        "console-enquiry-title",
        &[("reference", content.reference.clone())],
    );
    let markup = render(
        &Shell {
            title: &title,
            staff: Some(&staff),
            lang,
        },
        html! {
            (flash_box(lang, done.as_deref()))
            p {
                a href={ "/console/p/" (p.slug()) "/q/" (record.queue) } { (t_args(lang, "console-back-to", &[("place", queue_name(&record.queue))])) }
            }
            h1 { (t(lang, "console-enquiry-heading")) " " span class="code" { (content.reference) } }
            dl class="summary" {
                dt { (t(lang, "console-programme")) } dd { (p.text(&p.file().title, Language::En)) }
                dt { (t(lang, "console-queue")) } dd { (queue_name(&record.queue)) }
                dt { (t(lang, "console-priority")) } dd { (record.priority) }
                dt { (t(lang, "console-status")) } dd { (t(lang, status.label_id())) }
                dt { (t(lang, "console-claimed-by")) } dd {
                    @match &record.assigned_to {
                        Some(id) if *id == staff.id => (t(lang, "console-you")),
                        Some(id) => (name_of(id)),
                        None => (t(lang, "console-nobody-yet")),
                    }
                }
                dt { (t(lang, "console-received")) } dd { (t_args(lang, "console-received-at", &[("time", datetime(record.created_hour))])) }
                dt { (t(lang, "console-kept-until")) } dd {
                    @if held { (t(lang, "console-kept-hold")) }
                    @else { (t_args(lang, "console-kept-date", &[("date", super::pages::date(record.created_hour + i64::from(p.file().retention_days) * 86_400))])) }
                }
                dt { (t(lang, "language-switch")) } dd { (content.language) }
                dt { (t(lang, "console-reply-by")) } dd {
                    @match &content.email {
                        Some(e) => { (t(lang, "console-reply-by-email")) " " (e) }
                        None => (t(lang, "console-reply-by-inbox")),
                    }
                }
            }
            @if let Some(mail) = &content.mail {
                h2 { (t(lang, "console-mail-heading")) }
                dl class="summary mail" {
                    dt { (t(lang, "console-subject")) } dd dir="auto" { (mail.subject.clone().unwrap_or_else(|| t(lang, "console-none-paren"))) }
                    @if mail.forwarded {
                        dt { (t(lang, "console-mail-forwarded")) } dd { (t(lang, "console-mail-forwarded-yes")) }
                    }
                    @if let Some(note) = &mail.forward_note {
                        dt { (t(lang, "console-mail-forward-note")) } dd class="preserve" dir="auto" { (note) }
                    }
                    @if mail.truncated {
                        dt { (t(lang, "console-mail-text")) } dd { (t_args(lang, "console-mail-truncated", &[("max", crate::import::mail::MAX_TEXT_CHARS.to_string())])) }
                    }
                    dt { (t(lang, "console-mail-attachments")) } dd {
                        @if mail.attachments.is_empty() { (t(lang, "console-none")) } @else {
                            ul {
                                @for (n, a) in mail.attachments.iter().enumerate() {
                                    li dir="auto" {
                                        // A kept attachment downloads by its place in the list.
                                        @if a.data.is_some() {
                                            a href={ (base) "/attachments/" (n + 1) } download { (a.name) }
                                        } @else { (a.name) }
                                        " ("
                                        (t_args(lang, "console-mail-attachment", &[("type", a.content_type.clone()), ("size", a.size.to_string())]))
                                        @if a.data.is_none() { ", " (t(lang, "console-mail-not-kept")) }
                                        ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (t(lang, "console-what-they-wrote")) }
            p class="hint" id="form-version" { (t_args(lang, "console-form-version", &[("version", record.form_version.to_string())])) }
            dl class="summary answers" {
                @for f in &asked.file().fields {
                    @if let Some(a) = content.answers.get(&f.key) {
                        // The question is the programme's own text, often in another script than the
                        // page: its own direction keeps its punctuation where it belongs.
                        dt dir="auto" { (asked.text(&f.label, Language::En)) }
                        dd class="preserve" dir="auto" { (answer_text(lang, asked, &f.key, a)) }
                    }
                }
                // Answers the form version cannot name (it should always name them all).
                @for (key, a) in &content.answers {
                    @if asked.field(key).is_none() {
                        dt { (key) } dd class="preserve" dir="auto" { (answer_text(lang, asked, key, a)) }
                    }
                }
            }
            h2 { (t(lang, "console-actions")) }
            div class="actions" {
                @if may(Action::Claim) {
                    form method="post" action={ (base) "/claim" } class="inline" {
                        (csrf_field(&staff.csrf))
                        button type="submit" accesskey="c" { (t(lang, "console-claim")) }
                    }
                }
                @if may(Action::Unclaim) {
                    form method="post" action={ (base) "/unclaim" } class="inline" {
                        (csrf_field(&staff.csrf))
                        input type="hidden" name="current" value=[record.assigned_to.as_deref()];
                        button type="submit" class="secondary" { (t(lang, "console-release-claim")) }
                    }
                }
            }
            @if role >= crate::casework::ProgrammeRole::Supervisor {
                form method="post" action={ (base) "/hold" } {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name="hold" value=(if held { "0" } else { "1" });
                    button type="submit" class="secondary" {
                        @if held { (t(lang, "console-hold-lift")) } @else { (t(lang, "console-hold-put")) }
                    }
                }
            }
            @if may(Action::ChangeStatus) && !status.next().is_empty() {
                form method="post" action={ (base) "/status" } {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name="from" value=(status.as_str());
                    div class="field" {
                        label for="status-to" { (t(lang, "console-change-status")) }
                        select id="status-to" name="to" {
                            @for s in status.next() { option value=(s.as_str()) { (t(lang, s.label_id())) } }
                        }
                        " "
                        button type="submit" { (t(lang, "console-change-status")) }
                    }
                }
            }
            @if may(Action::Assign) && !team.is_empty() {
                form method="post" action={ (base) "/assign" } {
                    (csrf_field(&staff.csrf))
                    div class="field" {
                        label for="assign-to" { (t(lang, "console-assign-to")) }
                        select id="assign-to" name="to" {
                            @for (uid, email, r) in &team {
                                option value=(uid) selected[record.assigned_to.as_deref() == Some(uid.as_str())] {
                                    (email) " (" (super::admin::role_label(lang, *r)) ")"
                                }
                            }
                        }
                        " "
                        button type="submit" { (t(lang, "console-assign")) }
                    }
                }
            }
            @if may(Action::Transfer) && p.file().queues.len() > 1 {
                form method="post" action={ (base) "/transfer" } {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name="from" value=(record.queue);
                    div class="field" {
                        label for="transfer-to" { (t(lang, "console-transfer-to")) }
                        select id="transfer-to" name="to" {
                            @for q in p.file().queues.iter().filter(|q| q.key != record.queue) {
                                option value=(q.key) { (p.text(&q.name, Language::En)) }
                            }
                        }
                    }
                    div class="field" {
                        label for="transfer-reason" { (t(lang, "console-transfer-reason")) }
                        textarea id="transfer-reason" name="reason" rows="2" maxlength=(NOTE_MAX) required {}
                    }
                    button type="submit" { (t(lang, "console-transfer-submit")) }
                }
            }
            (super::replies::section(&super::replies::Section {
                staff: &staff,
                live: &live,
                record: &record,
                sent: &sent,
                deliveries: &deliveries,
                draft: draft.as_ref(),
                problem: None,
                may_reply: may(Action::Reply),
            }))
            (referrals)
            h2 { (t(lang, "console-notes")) }
            @if notes.is_empty() {
                p { (t(lang, "console-no-notes")) }
            }
            ol class="notes" {
                @for (n, note) in &notes {
                    li {
                        p class="meta" {
                            (n.author_email.clone().unwrap_or_else(|| t(lang, "console-former-member")))
                            ", " (datetime(n.created_at)) " UTC"
                            @if note.kind == "transfer" {
                                " — " (t_args(lang, "console-note-moved", &[
                                    ("from", note.from_queue.as_deref().map(queue_name).unwrap_or_default()),
                                    ("to", note.to_queue.as_deref().map(queue_name).unwrap_or_default()),
                                ]))
                            }
                        }
                        p class="preserve" dir="auto" { (note.text) }
                    }
                }
            }
            form method="post" action={ (base) "/note" } {
                (csrf_field(&staff.csrf))
                div class="field" {
                    label for="note" { (t(lang, "console-note-label")) }
                    p class="hint" id="note-hint" { (t(lang, "console-note-hint")) }
                    textarea id="note" name="text" rows="4" maxlength=(NOTE_MAX) aria-describedby="note-hint" required {}
                }
                button type="submit" accesskey="n" { (t(lang, "console-note-submit")) }
            }
        },
    );
    Ok(page(StatusCode::OK, markup))
}

/// An enquiry whose programme was crypto-shredded: it exists, and says so plainly.
fn shredded_page(staff: &Staff) -> HttpResponse {
    let lang = staff.lang;
    let title = t(lang, "console-shredded-title");
    page(
        StatusCode::GONE,
        render(
            &Shell {
                title: &title,
                staff: Some(staff),
                lang,
            },
            html! {
                h1 { (title) }
                p { (t(lang, "console-shredded-body")) }
                p { a href="/console" { (t(lang, "console-nav-queues")) } }
            },
        ),
    )
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
    if let Err(r) = permit(role, &staff.id, case(&record)?, Action::Claim) {
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
    permit(role, &staff.id, case(&record)?, Action::Unclaim).map_err(refused)?;
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
}

async fn assign(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ToForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(role, &staff.id, case(&record)?, Action::Assign).map_err(refused)?;
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
    Ok(see_other(&format!(
        "/console/e/{}?done=assigned",
        record.id
    )))
}

async fn set_status(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ToForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _, role) = console.enquiry_for(&staff, &id).await?;
    permit(role, &staff.id, case(&record)?, Action::ChangeStatus).map_err(refused)?;
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
    Ok(back(&record.id, done, "status"))
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// A note or reason could not be saved (expired page, signed out): the text comes back
/// so the work is not lost.
fn kept_text_page(lang: Language, title: &str, text: &str, back: &str) -> Markup {
    render(
        &Shell {
            title,
            staff: None,
            lang,
        },
        html! {
            h1 { (title) }
            p { (t(lang, "console-kept-text-intro")) }
            div class="field" {
                label for="kept" { (t(lang, "console-kept-text-label")) }
                textarea id="kept" rows="8" readonly { (text) }
            }
            p { a href=(back) { (t(lang, "console-kept-text-back")) } }
        },
    )
}

fn note_text(raw: &str) -> Result<&str, AppError> {
    let text = raw.trim();
    if text.is_empty() || text.chars().count() > NOTE_MAX {
        return Err(AppError::BadRequest);
    }
    Ok(text)
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
                kept_text_page(
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
    permit(role, &staff.id, case(&record)?, Action::Note).map_err(refused)?;
    let text = note_text(&form.text)?;
    let note = seal_note(
        &live.sealer,
        &record.id,
        &staff,
        &NoteContent {
            kind: "note".into(),
            text: text.to_owned(),
            from_queue: None,
            to_queue: None,
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
    Ok(see_other(&format!("/console/e/{}?done=note", record.id)))
}

fn seal_note(
    sealer: &crate::crypto::Sealer,
    enquiry_id: &str,
    staff: &Staff,
    content: &NoteContent,
) -> Result<NewNote, AppError> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(content).map_err(|_| crate::crypto::CryptoError::Encrypt)?,
    );
    Ok(NewNote {
        id: random_id(),
        enquiry_id: enquiry_id.to_owned(),
        author_id: staff.id.clone(),
        sealed: sealer.seal(&json)?,
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
    permit(role, &staff.id, case(&record)?, Action::Transfer).map_err(refused)?;
    let queues = &live.programme.file().queues;
    if form.to == form.from || !queues.iter().any(|q| q.key == form.to) {
        return Err(AppError::BadRequest);
    }
    let reason = note_text(&form.reason)?;
    let note = seal_note(
        &live.sealer,
        &record.id,
        &staff,
        &NoteContent {
            kind: "transfer".into(),
            text: reason.to_owned(),
            from_queue: Some(form.from.clone()),
            to_queue: Some(form.to.clone()),
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
    if role < crate::casework::ProgrammeRole::Supervisor {
        return Err(AppError::Forbidden);
    }
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
    Ok(see_other(&format!("/console/e/{}?done=hold", record.id)))
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
