//! The reply inbox's email section (issue 19, item 1): the address masked
//! (`r•••@gmail.com`), whether it is confirmed, and forms to type the code Haven
//! mailed to it, ask for a new code, change the address or remove it.
//!
//! The public role holds no key that opens the address and may not update anything:
//! the masked form comes sealed to the person's own inbox key (the worker wrote it
//! when it sent the code), and every form here only leaves a request for the worker
//! (`crate::contact`), after the reference code and passphrase are checked again as at
//! sign-in (same throttle). The forms carry the two secrets the person just typed as
//! hidden fields of this never-cached page, as the inbox itself has no session.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::{CSRF, LANG};
use super::{Intake, html as page, inbox, read_form};
use crate::domain::{EmailAddress, Language};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::store::{ContactRequestKind, now};
use crate::web::client::client_key;
use crate::web::csrf;
use crate::web::layout::{Page, render};

/// Where the section's forms post.
pub const PATH: &str = "/inbox/contact";
/// The anti-forgery scope of the section's forms.
const SCOPE: &str = "inbox-contact";

pub use super::inbox::ContactPanel as Panel;

/// The two secrets the section's forms carry back.
pub struct Secrets<'a> {
    pub reference: &'a str,
    pub passphrase: &'a str,
}

fn hidden(lang: Language, token: &str, secrets: &Secrets<'_>, action: &str) -> Markup {
    html! {
        input type="hidden" name=(CSRF) value=(token);
        input type="hidden" name=(LANG) value=(lang.tag());
        input type="hidden" name="reference" value=(secrets.reference);
        input type="hidden" name="passphrase" value=(secrets.passphrase);
        input type="hidden" name="do" value=(action);
    }
}

/// The anti-forgery token of the section's forms.
pub fn token(key: &crate::crypto::IntakeKey, at: i64) -> String {
    csrf::issue(key, SCOPE, at)
}

/// The inbox's email section (`token` from [`token`]).
pub fn section(lang: Language, panel: &Panel, secrets: &Secrets<'_>, token: &str) -> Markup {
    let token = token.to_owned();
    html! {
        section id="contact" aria-labelledby="contact-email-heading" {
            h2 id="contact-email-heading" { (t(lang, "contact-email-heading")) }
            @if !panel.known {
                p { (t(lang, "contact-none")) }
            } @else {
                @if let Some(masked) = &panel.masked {
                    p id="contact-address" dir="auto" { (t_args(lang, "contact-address", &[("address", masked.clone())])) }
                }
                @if panel.confirmed {
                    p id="contact-state" { (t(lang, "contact-confirmed")) }
                } @else {
                    p id="contact-state" { (t(lang, "contact-unconfirmed")) }
                    form method="post" action=(PATH) novalidate autocomplete="off" {
                        (hidden(lang, &token, secrets, "code"))
                        div class="field" {
                            label for="f-contact-code" { (t(lang, "contact-code-label")) }
                            input type="text" id="f-contact-code" name="code" dir="ltr" spellcheck="false" autocapitalize="characters";
                        }
                        button type="submit" { (t(lang, "contact-code-submit")) }
                    }
                    form method="post" action=(PATH) {
                        (hidden(lang, &token, secrets, "send"))
                        p class="hint" { (t(lang, "contact-resend-hint")) }
                        button type="submit" class="secondary" { (t(lang, "contact-resend")) }
                    }
                }
                form method="post" action=(PATH) {
                    (hidden(lang, &token, secrets, "remove"))
                    button type="submit" class="secondary" { (t(lang, "contact-remove")) }
                }
            }
            form method="post" action=(PATH) novalidate autocomplete="off" {
                (hidden(lang, &token, secrets, "change"))
                div class="field" {
                    label for="f-contact-email" { (t(lang, "contact-change-label")) }
                    input type="email" id="f-contact-email" name="email" dir="ltr" spellcheck="false" autocomplete="off";
                }
                button type="submit" class="secondary" { (t(lang, "contact-change-submit")) }
            }
        }
    }
}

/// What the person asked, checked.
enum Asked {
    Code(String),
    Send,
    Change(EmailAddress),
    Remove,
}

fn asked(form: &super::form::RawForm) -> Result<Asked, &'static str> {
    match form.get("do").unwrap_or("") {
        "code" => {
            let typed = form.get("code").unwrap_or("");
            if crate::contact::normalise_code(typed).chars().count() == crate::contact::CODE_LEN {
                Ok(Asked::Code(typed.to_owned()))
            } else {
                Err("contact-error-code")
            }
        }
        "send" => Ok(Asked::Send),
        "remove" => Ok(Asked::Remove),
        "change" => EmailAddress::parse(form.get("email").unwrap_or("").trim())
            .map(Asked::Change)
            .map_err(|_| "contact-error-email"),
        _ => Err("contact-error-code"),
    }
}

/// `POST /inbox/contact`: checks the reference code and passphrase as sign-in does,
/// leaves the request for the worker, and says what will happen.
pub async fn post(
    intake: web::Data<Intake>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let typed = read_form(&req, payload).await?;
    let at = now();
    let token_ok = typed
        .get(CSRF)
        .is_some_and(|t| csrf::verify(&intake.intake_key, SCOPE, t, at));
    if !token_ok || !csrf::same_origin(&req) {
        return Err(AppError::Forbidden);
    }
    let reference = typed.get("reference").unwrap_or("");
    let passphrase = typed.get("passphrase").unwrap_or("");
    let attempt = inbox::Attempt::parse(&intake.intake_key, reference, passphrase);
    let client = client_key(&req, &intake.config.trusted_proxies);
    if intake
        .limiters
        .allow_inbox_attempt(&client, &attempt.code_hash)
        .is_err()
    {
        return Err(AppError::TooManyRequests);
    }
    // Found by the code, as at `/inbox`: the page's forms name no programme.
    let live = super::programme_of_code(&intake, &attempt.code_hash)
        .await?
        .ok_or(AppError::Forbidden)?;
    let Some(opened) = inbox::open(&intake.store, &intake.intake_key, &live, &attempt)
        .await
        .map_err(|e| match e {
            inbox::InboxError::Store(e) => AppError::Store(e),
            inbox::InboxError::Crypto(e) => AppError::Crypto(e),
        })?
    else {
        return Err(AppError::Forbidden);
    };
    let lang = typed
        .get(LANG)
        .and_then(|l| Language::parse(l).ok())
        .filter(|l| live.programme.languages().contains(l))
        .unwrap_or_else(|| live.programme.default_language());
    let store = &intake.store;
    let id = &opened.enquiry_id;
    let (status, said) = match asked(&typed) {
        Err(error) => (StatusCode::UNPROCESSABLE_ENTITY, error),
        Ok(Asked::Code(code)) => {
            crate::contact::request(
                store,
                &intake.intake_key,
                id,
                ContactRequestKind::Code,
                Some(&code),
            )
            .await?;
            (StatusCode::OK, "contact-asked-code")
        }
        Ok(Asked::Send) => {
            crate::contact::request_confirmation(store, id).await?;
            (StatusCode::OK, "contact-asked-send")
        }
        Ok(Asked::Remove) => {
            crate::contact::request(
                store,
                &intake.intake_key,
                id,
                ContactRequestKind::Remove,
                None,
            )
            .await?;
            (StatusCode::OK, "contact-asked-remove")
        }
        Ok(Asked::Change(email)) => {
            let sealed = live.sealer.seal(email.as_str().as_bytes())?;
            store.request_contact_change(id, &sealed, at).await?;
            (StatusCode::OK, "contact-asked-change")
        }
    };
    let back = csrf::issue(&intake.intake_key, &super::inbox_scope(None), at);
    let title = t(lang, "contact-email-heading");
    let markup = render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            @if status == StatusCode::OK {
                p id="contact-said" role="status" { (t(lang, said)) }
            } @else {
                div class="error-summary" role="alert" tabindex="-1" {
                    p id="contact-said" { (t(lang, said)) }
                }
            }
            form method="post" action=(crate::letters::INBOX_PATH) {
                input type="hidden" name=(CSRF) value=(back);
                input type="hidden" name=(LANG) value=(lang.tag());
                input type="hidden" name="reference" value=(reference);
                input type="hidden" name="passphrase" value=(passphrase);
                button type="submit" { (t(lang, "contact-back")) }
            }
        },
    );
    let mut res = page(status, markup);
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
