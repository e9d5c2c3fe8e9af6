//! Replying to one enquiry from the console (the template previews are in
//! `console::templates`).
//!
//! Longer than 500 lines: the reply handler, its refusals (someone else's claim, the
//! exposure guard), the language question of a template lacking the person's language
//! (issue 19, item 6) and the reply section the enquiry page draws share one form and
//! its words; the form page shown again (`form_again` and its callers) is the part to
//! split out next.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, render};
use super::{Console, member, page, see_other};
use crate::audit::{AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::casework::{Action, Case, Subject, permit};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{Msg, t, t_args};
use crate::keyring::Read;
use crate::outbound::{Exposure, OutboundError};
use crate::programme::live::LiveProgramme;
use crate::replies::{self, Draft, MailSettings, ReplyContent, ReplyError};
use crate::store::{EnquiryRecord, OutboxState};
use crate::template_checks::{self, LanguageChoice};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/e/{id}/reply", web::post().to(reply))
        .route("/e/{id}/withdraw", web::post().to(withdraw));
}

pub fn mail_settings(console: &Console) -> MailSettings {
    MailSettings {
        from: console.config.mail_from.clone(),
        from_name: console.config.mail_from_name.clone(),
        public_url: console.config.public_url.clone(),
        text_key: console.keyring.text_key(),
    }
}

/// The replies sent to an enquiry, and the deliveries of their emails.
pub type Sent<'a> = (
    &'a [(crate::store::ReplyRecord, ReplyContent)],
    &'a [crate::store::OutboxStatus],
);

/// What the reply section of an enquiry page shows.
pub struct Section<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub record: &'a EnquiryRecord,
    /// The replies sent and their deliveries; `None`: not shown (a refused reply's
    /// page, which opens nothing to show them).
    pub sent: Option<Sent<'a>>,
    pub draft: Option<&'a Draft>,
    pub problem: Option<&'a str>,
    pub may_reply: bool,
    /// What the person wrote back (opened with the case), shown in the thread.
    pub heard: &'a [crate::conversation::Heard],
    /// Who else claimed the enquiry: the form then asks for "reply anyway" (issue 22).
    pub claimed_by: Option<String>,
    /// A template lacking the person's language: the form asks (issue 19, item 6), or
    /// remembers that the agent chose to write by hand.
    pub language: LanguageChoice,
}

/// The reply section of the enquiry page: what was sent, and the form.
pub fn section(v: &Section<'_>) -> Markup {
    let Section {
        staff,
        live,
        record,
        sent,
        draft,
        problem,
        may_reply,
        heard,
        ref claimed_by,
        language,
    } = *v;
    let p = &live.programme;
    let lang = staff.lang;
    let base = format!("/console/e/{}", record.id);
    html! {
        h2 id="replies" { (t(lang, "console-replies")) }
        @if let Some((sent, deliveries)) = sent {
            @if sent.is_empty() {
                p { (t(lang, "console-no-reply")) }
            }
            // Both sides in order: what the person wrote back too (`conversation`).
            (super::conversation::thread(lang, sent, heard))
            @if !deliveries.is_empty() {
                h3 { (t(lang, "console-email-delivery")) }
                (delivery_table(lang, deliveries))
                @if may_reply {
                    @for d in deliveries.iter().filter(|d| d.state == OutboxState::Queued && d.campaign_id.is_none()) {
                        form method="post" action={ (base) "/withdraw" } class="inline" {
                            (csrf_field(&staff.csrf))
                            input type="hidden" name="outbox" value=(d.id);
                            button type="submit" class="secondary" { (t_args(lang, "mail-withdraw-button", &[("time", datetime(d.created_at))])) }
                        }
                    }
                }
            }
        }
        @if may_reply {
            form method="post" action={ (base) "/reply" } novalidate {
                (csrf_field(&staff.csrf))
                // Inserting a template posts the draft with it: the page comes back with
                // what was typed and the template appended (no script needed).
                @if !p.file().templates.is_empty() {
                    div class="field template-insert" {
                        label for="template" { (t(lang, "console-template-start")) }
                        select id="template" name="insert_template" {
                            @for t in &p.file().templates {
                                option value=(t.key) selected[draft.and_then(|d| d.template_key.as_deref()) == Some(t.key.as_str())] { (t.name) }
                            }
                        }
                        " "
                        button type="submit" formaction={ (base) "/draft" } class="secondary" { (t(lang, "console-template-use")) }
                    }
                }
                input type="hidden" name="template" value=(draft.and_then(|d| d.template_key.clone()).unwrap_or_default());
                @if let Some(problem) = problem {
                    div class="error-summary" role="alert" tabindex="-1" {
                        h2 { (t(lang, "console-reply-not-sent")) }
                        p { (problem) }
                    }
                }
                (language_choice(lang, language))
                div class="field" {
                    label for="reply-subject" { (t(lang, "console-subject")) }
                    input type="text" id="reply-subject" name="subject" maxlength=(replies::MAX_SUBJECT)
                        value=(draft.map(|d| d.subject.as_str()).unwrap_or(""));
                }
                div class="field" {
                    label for="reply-text" { (t(lang, "console-reply-label")) }
                    p class="hint" id="reply-hint" {
                        (t(lang, "console-reply-hint")) " "
                        @match p.file().outbound.email {
                            crate::programme::EmailDisclosure::Minimal => (t(lang, "console-reply-hint-minimal")),
                            crate::programme::EmailDisclosure::Full => (t(lang, "console-reply-hint-full")),
                        }
                    }
                    textarea id="reply-text" name="text" rows="10" maxlength=(replies::MAX_TEXT) aria-describedby="reply-hint" dir="auto" {
                        (draft.map(|d| d.text.as_str()).unwrap_or(""))
                    }
                }
                @if let Some(other) = claimed_by {
                    (crate::console::enquiries::collisions::reply_anyway_field(lang, other))
                }
                button type="submit" accesskey="r" { (t(lang, "console-reply-submit")) }
                " "
                button type="submit" name="then" value="next" class="secondary" { (t(lang, "agents-b-send-and-next")) }
            }
        }
    }
}

/// The question a reply from a template lacking the person's language asks (both
/// answers are submit buttons of the reply form: no script needed), or the hidden
/// field that remembers the answer while the draft is fixed (a refusal shows the form
/// again) until the reply is sent.
fn language_choice(lang: Language, choice: LanguageChoice) -> Markup {
    html! {
        @match choice {
            LanguageChoice::Ask { person, fallback } => {
                div class="error-summary" role="alert" tabindex="-1" id="language-choice" {
                    h2 { (t(lang, "reply-language-held")) }
                    p { (t_args(lang, "reply-language-warning", &[("language", person.endonym().to_owned()), ("fallback", fallback.endonym().to_owned())])) }
                    button type="submit" name="fallback" value="yes" { (t_args(lang, "reply-language-fallback", &[("fallback", fallback.endonym().to_owned())])) }
                    " "
                    button type="submit" name="by_hand" value="yes" class="secondary" { (t(lang, "reply-language-by-hand")) }
                }
            }
            LanguageChoice::ByHand => {
                input type="hidden" name="by_hand" value="yes";
                p class="hint" id="language-by-hand" { (t(lang, "reply-language-by-hand-hint")) }
            }
            LanguageChoice::Fallback => {
                input type="hidden" name="fallback" value="yes";
            }
            LanguageChoice::NotNeeded => {}
        }
    }
}

/// Why a reply was not sent, in the staff member's language.
pub fn problem_message(e: &ReplyError) -> Msg {
    match e {
        ReplyError::Empty => Msg::new("console-reply-error-empty"),
        ReplyError::TooLong => {
            Msg::new("console-reply-error-too-long").arg("max", replies::MAX_TEXT.to_string())
        }
        ReplyError::BadSubject => {
            Msg::new("console-reply-error-subject").arg("max", replies::MAX_SUBJECT.to_string())
        }
        ReplyError::Refused(OutboundError::Exposure(Exposure::OtherAddress)) => {
            Msg::new("console-reply-error-other-address")
        }
        ReplyError::Refused(OutboundError::Exposure(Exposure::OtherReference)) => {
            Msg::new("console-reply-error-other-reference")
        }
        ReplyError::Refused(OutboundError::Exposure(Exposure::EncodedWord)) => {
            Msg::new("console-reply-error-encoded-word")
        }
        ReplyError::Refused(OutboundError::HeaderInjection) => {
            Msg::new("console-reply-error-subject").arg("max", replies::MAX_SUBJECT.to_string())
        }
        ReplyError::Refused(OutboundError::Build | OutboundError::Attachment)
        | ReplyError::Crypto(_) => Msg::new("console-reply-error-build"),
        ReplyError::ClaimedByOther => Msg::new("agents-c-reply-claimed"),
    }
}

/// An outbox row's state in the page's language (stored as the English word).
pub fn outbox_state(lang: Language, state: &OutboxState) -> String {
    t(
        lang,
        match state {
            OutboxState::Queued => "console-outbox-queued",
            OutboxState::Sending => "console-outbox-sending",
            OutboxState::Sent => "console-outbox-sent",
            OutboxState::Failed => "console-outbox-failed",
        },
    )
}

/// The delivery log of some outbox rows: states, attempts and relay errors. Addresses
/// are not stored in clear anywhere, so none are shown here either.
pub fn delivery_table(lang: Language, rows: &[crate::store::OutboxStatus]) -> Markup {
    html! {
        table class="deliveries" {
            thead { tr {
                th scope="col" { (t(lang, "console-delivery-queued")) } th scope="col" { (t(lang, "console-delivery-state")) } th scope="col" class="num" { (t(lang, "console-delivery-attempts")) }
                th scope="col" { (t(lang, "console-delivery-sent")) } th scope="col" { (t(lang, "console-delivery-error")) }
            } }
            tbody {
                @for d in rows {
                    tr {
                        td { (datetime(d.created_at)) }
                        td { (outbox_state(lang, &d.state)) }
                        td class="num" { (d.attempts) }
                        td { @if let Some(at) = d.sent_at { (datetime(at)) } @else { "–" } }
                        td { (d.last_error.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
    /// `next`: "send and next".
    #[serde(default)]
    then: String,
    /// "Reply anyway": ticked to reply on someone else's claim (issue 22).
    #[serde(default)]
    anyway: String,
    /// `yes`: send a template lacking the person's language in the fallback language.
    #[serde(default)]
    fallback: String,
    /// `yes`: the agent chose to write by hand instead of such a template.
    #[serde(default)]
    by_hand: String,
}

async fn reply(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ReplyForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    let case = Case {
        status: record.status,
        assigned_to: record.assigned_to.as_deref(),
    };
    let at: At<'_> = (&console, &staff, &live, &record);
    let draft = Draft {
        subject: form.subject,
        text: form.text,
        template_key: Some(form.template).filter(|t| live.programme.template(t).is_some()),
    };
    let clearance =
        match crate::collisions::reply_clearance(member(&staff, role), case, form.anyway == "1") {
            Ok(c) => c,
            Err(crate::casework::Refusal::ClaimedByOther) => {
                // Someone else's claim and no "reply anyway": the draft comes back with it.
                let e = ReplyError::ClaimedByOther;
                return not_sent(at, &draft, &e, LanguageChoice::NotNeeded).await;
            }
            Err(_) => return Err(AppError::Forbidden),
        };
    // What can be refused without the enquiry is refused before anything is opened.
    if let Err(e) = replies::check(&draft) {
        return not_sent(at, &draft, &e, LanguageChoice::NotNeeded).await;
    }
    let choice = template_checks::language_choice(
        &live.programme,
        draft.template_key.as_deref(),
        &record.language,
        form.fallback == "yes",
        form.by_hand == "yes",
    );
    if let Some(held) = held(at, &draft, choice).await? {
        return Ok(held);
    }
    let read = Read::new(AuditAction::EnquiryRead).detail(serde_json::json!({ "for": "reply" }));
    let content = console
        .keyring
        .open_enquiry(&staff.actor(), read, &record)
        .await?;
    let actor = staff.actor();
    let subject = format!("enquiry:{}", record.id);
    match replies::prepare(
        &live,
        &record,
        &content,
        &draft,
        &staff.id,
        None,
        &mail_settings(&console),
    ) {
        Ok(prepared) => {
            let entry =
                Entry::new(&actor, AuditAction::EnquiryReply, &subject).detail(serde_json::json!({
                    "reply": prepared.reply.id,
                    "template": draft.template_key,
                    "emailed": prepared.outbox.is_some(),
                    "anyway": clearance.past_claim_of(),
                    "language": choice.audited(),
                }));
            console.store.add_reply(&prepared, &entry).await?;
            sent(
                &console,
                &staff,
                (&live, role, &record),
                form.then == "next",
            )
            .await
        }
        Err(ReplyError::Crypto(e)) => Err(e.into()),
        Err(e) => {
            audit_refused(&console, &actor, &subject, &e).await?;
            not_sent(at, &draft, &e, choice).await
        }
    }
}

/// After a reply is stored: the draft lock goes, and the agent sees the enquiry again
/// or, with "send and next", the next enquiry of the queue.
async fn sent(
    console: &Console,
    staff: &Staff,
    (live, role, record): (
        &LiveProgramme,
        crate::casework::ProgrammeRole,
        &EnquiryRecord,
    ),
    next: bool,
) -> Result<HttpResponse, AppError> {
    console
        .store
        .release_draft_lock(&record.id, &staff.id)
        .await?;
    if next {
        return super::queue_list::take_next_for(console, staff, live, role, &record.queue).await;
    }
    Ok(see_other(&format!(
        "/console/e/{}?done=replied#replies",
        record.id
    )))
}

/// A reply the outbound rules refused is an alert in the audit log.
async fn audit_refused(
    console: &Console,
    actor: &crate::audit::Actor,
    subject: &str,
    e: &ReplyError,
) -> Result<(), AppError> {
    if matches!(e, ReplyError::Refused(_)) {
        console
            .store
            .record_audit(
                &Entry::new(actor, AuditAction::EnquiryReply, subject)
                    .outcome(Outcome::Alert)
                    .detail(serde_json::json!({ "refused": e.to_string() })),
            )
            .await?;
    }
    Ok(())
}

/// A reply held for the language question: from a template lacking the person's
/// language and nothing chosen yet (the form asks), or "write by hand" just chosen
/// (the form again, the template choice gone, the text kept). Nothing is opened.
async fn held(
    at: At<'_>,
    draft: &Draft,
    choice: LanguageChoice,
) -> Result<Option<HttpResponse>, AppError> {
    let (console, staff, live, record) = at;
    let (status, draft) = match choice {
        LanguageChoice::Ask { .. } => (StatusCode::CONFLICT, draft.clone()),
        LanguageChoice::ByHand if draft.template_key.is_some() => (
            StatusCode::OK,
            Draft {
                template_key: None,
                ..draft.clone()
            },
        ),
        _ => return Ok(None),
    };
    let title = t(staff.lang, "reply-language-held");
    let form = Form {
        draft: &draft,
        problem: None,
        language: choice,
    };
    Ok(Some(
        form_again(console, staff, live, record, &title, &form, status).await?,
    ))
}

/// Where a reply form is shown again: the console, who, the programme and the enquiry.
type At<'a> = (&'a Console, &'a Staff, &'a LiveProgramme, &'a EnquiryRecord);

/// What the reply form shows again.
struct Form<'a> {
    draft: &'a Draft,
    problem: Option<&'a str>,
    language: LanguageChoice,
}

/// The reply form again, with what was typed and why it was not sent. It shows
/// nothing of the enquiry (no reference code, no earlier replies): a refused draft
/// is no reason to read the enquiry.
async fn not_sent(
    at: At<'_>,
    draft: &Draft,
    e: &ReplyError,
    language: LanguageChoice,
) -> Result<HttpResponse, AppError> {
    let (console, staff, live, record) = at;
    let status = match e {
        ReplyError::ClaimedByOther => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let problem = problem_message(e).render(staff.lang);
    let form = Form {
        draft,
        problem: Some(&problem),
        // A language choice made stays made while the draft is fixed.
        language,
    };
    let title = t(staff.lang, "console-reply-not-sent");
    form_again(console, staff, live, record, &title, &form, status).await
}

/// The reply form page, as [`not_sent`] and [`held`] show it.
async fn form_again(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    title: &str,
    form: &Form<'_>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    // Still writing: the others keep seeing the draft lock.
    crate::console::enquiries::collisions::take_lock(console, staff, &record.id).await?;
    let claimed_by = match record.assigned_to.as_deref() {
        Some(other) if other != staff.id => Some(
            console
                .store
                .programme_staff(&live.id)
                .await?
                .into_iter()
                .find(|(uid, _, _)| uid == other)
                .map(|(_, email, _)| email)
                .unwrap_or_else(|| t(staff.lang, "console-former-member")),
        ),
        _ => None,
    };
    let lang = staff.lang;
    let body = render(
        &Shell {
            title,
            staff: Some(staff),
            lang,
        },
        html! {
            p { a href={ "/console/e/" (record.id) } { (t(lang, "console-back-to-enquiry")) } }
            h1 { (t(lang, "console-reply-to")) }
            (section(&Section {
                staff,
                live,
                record,
                sent: None,
                draft: Some(form.draft),
                problem: form.problem,
                may_reply: true,
                heard: &[],
                claimed_by,
                language: form.language,
            }))
        },
    );
    Ok(page(status, body))
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outbox: String,
}

/// Withdraws a reply's email that has not been sent yet (the reply stays in the
/// person's inbox). Whoever may reply to the enquiry may; audited. The worker checks
/// again just before sending, so a message claimed a moment ago does not leave either.
async fn withdraw(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, _live, role) = console.enquiry_for(&staff, &id).await?;
    let case = Case {
        status: record.status,
        assigned_to: record.assigned_to.as_deref(),
    };
    permit(member(&staff, role), Action::Reply, Subject::Enquiry(case))
        .map_err(|_| AppError::Forbidden)?;
    // Only this enquiry's own reply emails, and only while they wait.
    let row = console
        .store
        .outbox_of_enquiry(&record.id)
        .await?
        .into_iter()
        .find(|r| r.id == form.outbox && r.campaign_id.is_none())
        .ok_or(AppError::NotFound)?;
    if matches!(row.state, OutboxState::Queued | OutboxState::Sending) {
        let entry = crate::audit::Entry::new(
            &staff.actor(),
            AuditAction::ReplyWithdraw,
            &format!("enquiry:{}", record.id),
        )
        .detail(serde_json::json!({ "outbox": row.id }));
        console
            .store
            .put_hold(
                &crate::store::HoldScope::Message(row.id.clone()),
                "cancelled",
                "withdrawn",
                &staff.actor().to_string(),
                crate::store::now(),
                &entry,
            )
            .await?;
    }
    Ok(super::see_other(&format!(
        "/console/e/{}#replies",
        record.id
    )))
}
