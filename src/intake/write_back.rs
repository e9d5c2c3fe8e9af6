//! Writing back from the reply inbox (issue 21, item 5), as the public role does it:
//! the conversation on the inbox page, the form under it, and `POST /inbox/message`.
//!
//! The inbox keeps no session: each page is the answer to a POST with the codes. So the
//! form carries the reference code (hidden) and asks for the passphrase again (never
//! put into the page: it would repeat, compressed, in every answer). The handler
//! checks the codes as the sign-in does (same throttle), then the message as the form
//! checks a long text, then the quotas (`Limiters::allow_person_message`: per enquiry,
//! then the form's per client, network and everyone), seals it
//! (`conversation::seal`) and INSERTs it, and answers with the inbox, the message in
//! it. Every refusal answers with a page holding what was typed and a clear error.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::{CSRF, LANG, RawForm};
use super::inbox::{self, Attempt, Inbox};
use super::{AppError, Intake, html as page, no_store, pages, with_retry_after};
use crate::conversation::{self, PersonMessageContent, Said, Thread};
use crate::domain::Language;
use crate::i18n::{Msg, t, t_args};
use crate::programme::Programme;
use crate::replies::ReplyContent;
use crate::store::now;
use crate::web::client::client_key;
use crate::web::csrf;
use crate::web::layout::{Page, render};

/// Where the form posts, for every programme (the code finds it, as at `/inbox`).
pub const PATH: &str = "/inbox/message";
const SCOPE: &str = "inbox-message";
const MESSAGE: &str = "message";
const REFERENCE: &str = "reference";
const PASSPHRASE: &str = "passphrase";

/// Longest message, in characters: the form's limit for a long text.
pub fn max_chars() -> usize {
    super::form::default_max(crate::programme::FieldKind::Textarea)
}

/// Why a typed message was not accepted: the Fluent message to show (with `label` and
/// `max` arguments, as the form's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem(pub &'static str);

/// The message as it will be stored: cleaned as the form cleans a long text, so a
/// refusal says what the form would say.
pub fn check(typed: &str) -> Result<String, Problem> {
    let text = super::form::clean_text(typed, true).map_err(Problem)?;
    if text.is_empty() {
        return Err(Problem("talk-error-empty"));
    }
    if text.chars().count() > max_chars() {
        return Err(Problem("error-too-long"));
    }
    Ok(text)
}

/// The write-back form as drawn: what was typed, and what was wrong with it.
pub struct WriteForm<'a> {
    pub lang: Language,
    pub csrf_token: &'a str,
    pub reference: &'a str,
    pub message: &'a str,
    pub problem: Option<(Msg, &'static str)>,
    /// Ask for the reference code too (the page on its own, after a refusal).
    pub ask_reference: bool,
}

fn form(v: &WriteForm<'_>) -> Markup {
    let lang = v.lang;
    let bad = |field: &str| v.problem.as_ref().is_some_and(|(_, f)| *f == field);
    let max = max_chars();
    html! {
        @if let Some((problem, field)) = &v.problem {
            div class="error-summary" role="alert" aria-labelledby="write-error-title" tabindex="-1" {
                h2 id="write-error-title" { (t(lang, "error-summary-title")) }
                ul { li { a href={ "#f-" (field) } { (problem.render(lang)) } } }
            }
        }
        form method="post" action=(PATH) novalidate autocomplete="off" id="write-back" {
            input type="hidden" name=(CSRF) value=(v.csrf_token);
            input type="hidden" name=(LANG) value=(lang.tag());
            @if v.ask_reference {
                div class={ "field" @if bad(REFERENCE) { " has-error" } } {
                    label for="f-reference" { (t(lang, "inbox-reference-label")) }
                    input type="text" id="f-reference" name=(REFERENCE) dir="ltr" spellcheck="false"
                        autocapitalize="characters" value=(v.reference);
                }
            } @else {
                input type="hidden" name=(REFERENCE) value=(v.reference);
            }
            div class={ "field" @if bad(PASSPHRASE) { " has-error" } } {
                label for="f-passphrase" { (t(lang, "inbox-passphrase-label")) }
                span class="hint" id="f-passphrase-hint" { (t(lang, "talk-passphrase-hint")) }
                input type="password" id="f-passphrase" name=(PASSPHRASE) dir="ltr" spellcheck="false"
                    autocapitalize="characters" aria-describedby="f-passphrase-hint";
            }
            div class={ "field" @if bad(MESSAGE) { " has-error" } } {
                label for="f-message" { (t(lang, "talk-message-label")) }
                span class="hint" id="f-message-hint" {
                    (t_args(lang, "talk-message-hint", &[("max", max.to_string())]))
                }
                textarea id="f-message" name=(MESSAGE) rows="8" dir="auto" aria-describedby="f-message-hint" { (v.message) }
            }
            button type="submit" { (t(lang, "talk-send")) }
        }
    }
}

/// The conversation on the inbox page, oldest first, each side labelled, and the form
/// to write back. `sent`: the person's message has just been stored.
pub fn conversation(
    replies: &[ReplyContent],
    messages: &[PersonMessageContent],
    sent: bool,
    write: &WriteForm<'_>,
) -> Markup {
    let lang = write.lang;
    let thread = Thread::new(replies, messages);
    html! {
        h2 id="conversation-heading" { (t(lang, "talk-conversation-heading")) }
        @if sent {
            div class="notice" role="status" id="message-sent" { p { (t(lang, "talk-sent")) } }
        }
        @if thread.0.is_empty() {
            p { (t(lang, "talk-no-messages")) }
        }
        ol id="conversation" class="thread" aria-labelledby="conversation-heading" {
            @for (i, said) in thread.0.iter().enumerate() {
                @let (class, who) = match said {
                    Said::Staff(_) => ("reply from-staff", "talk-from-staff"),
                    Said::Person(_) => ("reply from-person", "talk-from-person"),
                };
                li class=(class) {
                    article aria-labelledby={ "said-" (i) } {
                        h3 id={ "said-" (i) } { (t(lang, who)) }
                        p class="hint" { (t_args(lang, "inbox-reply-date", &[("date", crate::domain::date(said.sent_at()))])) }
                        @if let Said::Staff(r) = said {
                            p dir="auto" { strong { (r.subject) } }
                        }
                        p class="preserve" dir="auto" { (said.text()) }
                    }
                }
            }
        }
        h2 id="write-heading" { (t(lang, "talk-write-heading")) }
        p { (t(lang, "talk-write-intro")) }
        (form(write))
    }
}

/// The opened inbox: status worded for the person, the conversation, the form.
pub(super) fn inbox_page(
    intake: &Intake,
    programme: Option<&Programme>,
    lang: Language,
    opened: &Inbox,
    reference: &str,
    sent: bool,
    sections: Markup,
) -> Markup {
    let thread = Thread::new(&opened.replies, &opened.messages);
    let status = conversation::person_status(opened.status, thread.person_wrote_last());
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    let write = WriteForm {
        lang,
        csrf_token: &token,
        reference,
        message: "",
        problem: None,
        ask_reference: false,
    };
    pages::inbox_page(
        programme,
        lang,
        status,
        &opened.referred_to,
        conversation(&opened.replies, &opened.messages, sent, &write),
        sections,
    )
}

/// The form on a page of its own: a refusal, with everything typed but the passphrase.
fn refused_page(
    intake: &Intake,
    status: StatusCode,
    lang: Language,
    typed: &RawForm,
    problem: (Msg, &'static str),
) -> HttpResponse {
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    let title = t(lang, "talk-write-heading");
    let body = render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (t(lang, "talk-not-sent")) }
            (form(&WriteForm {
                lang,
                csrf_token: &token,
                reference: typed.get(REFERENCE).unwrap_or(""),
                message: typed.get(MESSAGE).unwrap_or(""),
                problem: Some(problem),
                ask_reference: true,
            }))
            p { a href=(format!("{}?lang={}", crate::letters::INBOX_PATH, lang.tag())) { (t(lang, "receipt-inbox-link")) } }
        },
    );
    no_store(page(status, body))
}

pub(super) async fn write(
    intake: web::Data<Intake>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let typed = super::read_form(&req, payload).await?;
    let mut lang = super::posted_language(&typed, &Language::ALL, &req);
    let at = now();
    let token_ok = typed
        .get(CSRF)
        .is_some_and(|t| csrf::verify(&intake.intake_key, SCOPE, t, at));
    if !token_ok || !csrf::same_origin(&req) {
        let expired = (Msg::new("talk-form-expired"), MESSAGE);
        return Ok(refused_page(
            &intake,
            StatusCode::FORBIDDEN,
            lang,
            &typed,
            expired,
        ));
    }
    let reference = typed.get(REFERENCE).unwrap_or("");
    let attempt = Attempt::parse(
        &intake.intake_key,
        reference,
        typed.get(PASSPHRASE).unwrap_or(""),
    );
    // Guessing codes here costs what it costs at the sign-in.
    let client = client_key(&req, &intake.config.trusted_proxies);
    if let Err(refused) = intake
        .limiters
        .allow_inbox_attempt(&client, &attempt.code_hash)
    {
        let msg = Msg::new("inbox-throttled").arg("minutes", refused.minutes().to_string());
        let res = refused_page(
            &intake,
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            &typed,
            (msg, PASSPHRASE),
        );
        return Ok(with_retry_after(res, refused));
    }
    let live = super::programme_of_code(&intake, &attempt.code_hash).await?;
    let opened = match &live {
        Some(live) => open(&intake, live, &attempt).await?,
        None => None,
    };
    let (Some(live), Some(opened)) = (live, opened) else {
        let failed = (Msg::new("inbox-failed"), PASSPHRASE);
        return Ok(refused_page(
            &intake,
            StatusCode::UNPROCESSABLE_ENTITY,
            lang,
            &typed,
            failed,
        ));
    };
    if !live.programme.languages().contains(&lang) {
        lang = live.programme.default_language();
    }
    let text = match check(typed.get(MESSAGE).unwrap_or("")) {
        Ok(text) => text,
        Err(Problem(id)) => {
            let msg = Msg::new(id)
                .arg("label", t(lang, "talk-message-label"))
                .arg("max", max_chars().to_string());
            let res = refused_page(
                &intake,
                StatusCode::UNPROCESSABLE_ENTITY,
                lang,
                &typed,
                (msg, MESSAGE),
            );
            return Ok(res);
        }
    };
    if let Err(refused) = intake
        .limiters
        .allow_person_message(&client, &attempt.code_hash)
    {
        let msg = Msg::new("talk-not-sent-limit").arg("minutes", refused.minutes().to_string());
        let res = refused_page(
            &intake,
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            &typed,
            (msg, MESSAGE),
        );
        return Ok(with_retry_after(res, refused));
    }
    let (Some(code), Some(passphrase)) = (&attempt.reference, &attempt.passphrase) else {
        return Err(AppError::BadRequest);
    };
    let message = conversation::seal(&live, &opened.enquiry_id, code, passphrase, text, at)?;
    intake.store.add_person_message(&message).await?;
    // The inbox again, from the store: what they see is what was kept.
    let opened = open(&intake, &live, &attempt)
        .await?
        .ok_or(AppError::NotFound)?;
    let own = super::own::inbox_section(lang, &live.programme, &opened.own);
    // The email panel needs the codes typed at sign-in: after writing back, the
    // person signs in again to change their address.
    let body = inbox_page(&intake, None, lang, &opened, code.canonical(), true, own);
    Ok(no_store(page(StatusCode::OK, body)))
}

async fn open(
    intake: &Intake,
    live: &crate::programme::live::LiveProgramme,
    attempt: &Attempt,
) -> Result<Option<Inbox>, AppError> {
    inbox::open(&intake.store, &intake.intake_key, live, attempt)
        .await
        .map_err(|e| match e {
            inbox::InboxError::Store(e) => AppError::Store(e),
            inbox::InboxError::Crypto(e) => AppError::Crypto(e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_checked_as_the_form_checks_a_long_text() {
        assert_eq!(check("  hello\r\nthere "), Ok("hello\nthere".to_owned()));
        assert_eq!(check("   "), Err(Problem("talk-error-empty")));
        assert_eq!(
            check(&"a".repeat(max_chars() + 1)),
            Err(Problem("error-too-long"))
        );
        assert!(check(&"a".repeat(max_chars())).is_ok());
        assert_eq!(check("bad\u{7}"), Err(Problem("error-invalid-characters")));
    }
}
