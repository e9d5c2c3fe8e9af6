//! The person's own data and own codes in the reply inbox (issue 21, item 6; issue 22,
//! item 1): "What you sent", choosing a new passphrase, withdrawing the enquiry.
//!
//! The inbox keeps no session: each of these pages asks for the reference code and
//! the passphrase again, checks them as signing in does (same throttle, same answer
//! for every failure), and then only *records* the request (`inbox_requests`): the
//! public role may add rows and nothing more. The worker carries it out within a poll
//! (`crate::own::carry_out`), and the page says so.
//!
//! A new passphrase is machine-made (80 random bits, as at submission): the page shows
//! one and carries it with a tag under the intake key, so the POST accepts only a
//! passphrase this server made. The public role re-seals "what you sent" to the new
//! inbox key itself (it opened it with the old one for this request); the replies are
//! re-sealed by the worker, from the programme key.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::form::{CSRF, LANG};
use super::{Intake, html as page, no_store, posted_language, read_form, submission};
use crate::crypto::inbox::{inbox_identity, inbox_recipient};
use crate::domain::{Language, Passphrase, ReferenceCode};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::own::OwnCopy;
use crate::programme::Programme;
use crate::programme::live::LiveProgramme;
use crate::store::{NewPassphrase, RequestKind, Store, now};
use crate::web::client::client_key;
use crate::web::layout::{Page, render};
use crate::web::{csrf, request_language};

pub const PASSPHRASE_PATH: &str = "/inbox/passphrase";
pub const WITHDRAW_PATH: &str = "/inbox/withdraw";
/// How long backups are kept (`ops/backup/*.sh --keep-days`, OPERATOR-GUIDE section 8):
/// a withdrawn enquiry's ciphertexts are gone from them after this many days.
pub const BACKUP_DAYS: u32 = 30;
const SCOPE: &str = "inbox-own:*";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(PASSPHRASE_PATH)
            .route(web::get().to(show_passphrase))
            .route(web::post().to(change_passphrase)),
    );
    cfg.service(
        web::resource(WITHDRAW_PATH)
            .route(web::get().to(show_withdraw))
            .route(web::post().to(withdraw)),
    );
}

/// What the inbox shows of the person's own data, once signed in.
#[derive(Debug, Default)]
pub struct OwnView {
    /// "What you sent", opened with the person's key (the programme opted in).
    pub sent: Option<OwnCopy>,
    /// A phone intake whose person has not chosen their own passphrase yet.
    pub must_choose: bool,
    pub pending: Vec<RequestKind>,
    pub legal_hold: bool,
}

/// The inbox's own part, for the enquiry `enquiry_id` opened with `identity`.
pub async fn view(
    store: &Store,
    live: &LiveProgramme,
    enquiry_id: &str,
    identity: &age::x25519::Identity,
) -> Result<OwnView, crate::store::StoreError> {
    let Some(state) = store.own_state(enquiry_id).await? else {
        return Ok(OwnView::default());
    };
    let must_choose = state.source == "phone" && !state.passphrase_chosen;
    let sent = if live.programme.file().show_sent_in_inbox && !must_choose {
        match store.own_copy(enquiry_id).await? {
            Some(sealed) => OwnCopy::open(identity, &sealed).ok(),
            None => None,
        }
    } else {
        None
    };
    Ok(OwnView {
        sent,
        must_choose,
        pending: state.pending,
        legal_hold: state.legal_hold,
    })
}

/// The inbox page's section: the forced change's notice, "What you sent", and the
/// links to a new passphrase and to withdrawal.
pub fn inbox_section(lang: Language, programme: &Programme, own: &OwnView) -> Markup {
    let q = format!("?lang={}", lang.tag());
    html! {
        @if own.must_choose {
            div class="notice" role="alert" id="must-choose" {
                p { (t(lang, "own-must-choose")) }
                p { a href={ (PASSPHRASE_PATH) (q) } { (t(lang, "own-choose-link")) } }
            }
        }
        @if let Some(sent) = &own.sent {
            h2 { (t(lang, "own-sent-heading")) }
            dl id="what-you-sent" {
                @for (label, words) in sent.shown(programme, lang) {
                    dt dir="auto" { (label) }
                    dd class="preserve" dir="auto" { (words) }
                }
            }
        }
        @if own.pending.contains(&RequestKind::Withdraw) {
            p class="notice" id="withdrawal-pending" {
                @if own.legal_hold { (t(lang, "own-withdraw-held")) } @else { (t(lang, "own-withdraw-soon")) }
            }
        }
        h2 { (t(lang, "own-heading")) }
        ul {
            li { a id="change-passphrase" href={ (PASSPHRASE_PATH) (q) } { (t(lang, "own-choose-link")) } }
            li { a id="withdraw" href={ (WITHDRAW_PATH) (q) } { (t(lang, "own-withdraw-link")) } }
        }
    }
}

fn grouped(code: &str) -> Markup {
    html! {
        @for (i, group) in code.split('-').enumerate() {
            @if i > 0 { "-" wbr; }
            span class="group" { (group) }
        }
    }
}

/// The tag that proves this server made `new` (so the POST takes only such).
fn tag_of(intake: &Intake, new: &Passphrase) -> [u8; 32] {
    intake
        .intake_key
        .mac("haven/new-passphrase", &[new.expose_canonical().as_bytes()])
}

/// What a form shows again: the typed code, an error, the offered passphrase.
struct Shown<'a> {
    lang: Language,
    token: &'a str,
    reference: &'a str,
    error: Option<String>,
}

fn codes_fields(s: &Shown<'_>) -> Markup {
    let lang = s.lang;
    html! {
        @if let Some(error) = &s.error {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (t(lang, "error-summary-title")) }
                ul { li { a href="#f-reference" { (error) } } }
            }
        }
        input type="hidden" name=(CSRF) value=(s.token);
        input type="hidden" name=(LANG) value=(lang.tag());
        div class="field" {
            label for="f-reference" { (t(lang, "inbox-reference-label")) }
            input type="text" id="f-reference" name="reference" dir="ltr" spellcheck="false" autocapitalize="characters" value=(s.reference);
        }
        div class="field" {
            label for="f-passphrase" { (t(lang, "own-current-passphrase")) }
            input type="password" id="f-passphrase" name="passphrase" dir="ltr" spellcheck="false" autocapitalize="characters";
        }
    }
}

fn passphrase_page(s: &Shown<'_>, new: &Passphrase, tag: &[u8; 32]) -> Markup {
    let lang = s.lang;
    let title = t(lang, "own-passphrase-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (t(lang, "own-passphrase-intro")) }
            form method="post" action=(PASSPHRASE_PATH) novalidate autocomplete="off" {
                (codes_fields(s))
                p { (t(lang, "own-new-passphrase")) }
                p { strong class="code" id="new-passphrase" dir="ltr" { (grouped(&new.expose_display())) } }
                input type="hidden" name="new_passphrase" value=(new.expose_canonical());
                input type="hidden" name="new_tag" value=(hex::encode(tag));
                div class="field checkbox" {
                    input type="checkbox" id="f-written" name="written" value="yes";
                    label for="f-written" { (t(lang, "own-written-down")) }
                }
                button type="submit" { (t(lang, "own-passphrase-submit")) }
            }
            p { a href={ (crate::letters::INBOX_PATH) "?lang=" (lang.tag()) } { (t(lang, "own-back")) } }
        },
    )
}

fn withdraw_page(s: &Shown<'_>) -> Markup {
    let lang = s.lang;
    let title = t(lang, "own-withdraw-title");
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (t(lang, "own-withdraw-intro")) }
            p { (t_args(lang, "own-withdraw-backups", &[("days", BACKUP_DAYS.to_string())])) }
            form method="post" action=(WITHDRAW_PATH) novalidate autocomplete="off" {
                (codes_fields(s))
                div class="field checkbox" {
                    input type="checkbox" id="f-confirm" name="confirm" value="yes";
                    label for="f-confirm" { (t(lang, "own-withdraw-confirm")) }
                }
                button type="submit" class="warning" { (t(lang, "own-withdraw-submit")) }
            }
            p { a href={ (crate::letters::INBOX_PATH) "?lang=" (lang.tag()) } { (t(lang, "own-back")) } }
        },
    )
}

fn done_page(lang: Language, title_id: &str, lines: &[String], new: Option<&Passphrase>) -> Markup {
    let title = t(lang, title_id);
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            @if let Some(new) = new {
                p { (t(lang, "own-new-passphrase")) }
                p { strong class="code" id="new-passphrase" dir="ltr" { (grouped(&new.expose_display())) } }
            }
            @for line in lines { p class="done" { (line) } }
            p { a href={ (crate::letters::INBOX_PATH) "?lang=" (lang.tag()) } { (t(lang, "own-back")) } }
        },
    )
}

fn shown_language(req: &HttpRequest) -> Language {
    request_language(req, &Language::ALL[..])
}

async fn show_passphrase(intake: web::Data<Intake>, req: HttpRequest) -> HttpResponse {
    let lang = shown_language(&req);
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    let new = Passphrase::generate();
    let tag = tag_of(&intake, &new);
    no_store(page(
        StatusCode::OK,
        passphrase_page(
            &Shown {
                lang,
                token: &token,
                reference: "",
                error: None,
            },
            &new,
            &tag,
        ),
    ))
}

async fn show_withdraw(intake: web::Data<Intake>, req: HttpRequest) -> HttpResponse {
    let lang = shown_language(&req);
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    no_store(page(
        StatusCode::OK,
        withdraw_page(&Shown {
            lang,
            token: &token,
            reference: "",
            error: None,
        }),
    ))
}

/// The person whose codes these are: the enquiry's id, its programme and their
/// current inbox identity; `Err(page)` for a refused attempt (throttled, wrong codes).
struct Verified {
    enquiry_id: String,
    reference: ReferenceCode,
    identity: age::x25519::Identity,
}

enum Checked {
    Yes(Verified),
    Throttled(u64),
    No,
}

async fn check_codes(
    intake: &Intake,
    req: &HttpRequest,
    typed: &super::form::RawForm,
) -> Result<Checked, AppError> {
    // Hashed as `inbox::Attempt` does (even a malformed code), and throttled by the
    // same limits as signing in.
    let typed_reference = typed.get("reference").unwrap_or("");
    let code_hash = match ReferenceCode::parse(typed_reference) {
        Ok(r) => submission::reference_hash(&intake.intake_key, &r),
        Err(_) => intake
            .intake_key
            .mac("haven/reference", &[typed_reference.as_bytes()]),
    };
    let client = client_key(req, &intake.config.trusted_proxies);
    if let Err(refused) = intake.limiters.allow_inbox_attempt(&client, &code_hash) {
        return Ok(Checked::Throttled(refused.minutes()));
    }
    let (Ok(reference), Ok(passphrase)) = (
        ReferenceCode::parse(typed.get("reference").unwrap_or("")),
        Passphrase::parse(typed.get("passphrase").unwrap_or("")),
    ) else {
        return Ok(Checked::No);
    };
    let Some(live) = super::programme_of_code(intake, &code_hash).await? else {
        return Ok(Checked::No);
    };
    let Some(record) = intake.store.inbox_enquiry(&live.id, &code_hash).await? else {
        return Ok(Checked::No);
    };
    if !submission::passphrase_matches(&intake.intake_key, &record.passphrase_hash, &passphrase) {
        return Ok(Checked::No);
    }
    let identity = inbox_identity(&reference, &passphrase)?;
    Ok(Checked::Yes(Verified {
        enquiry_id: record.id,
        reference,
        identity,
    }))
}

/// Reads the POST, checks its token and origin; the form and its language.
async fn posted(
    intake: &Intake,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<(super::form::RawForm, Language), AppError> {
    let typed = read_form(req, payload).await?;
    let lang = posted_language(&typed, &Language::ALL[..], req);
    let token_ok = typed
        .get(CSRF)
        .is_some_and(|t| csrf::verify(&intake.intake_key, SCOPE, t, now()));
    if !token_ok || !csrf::same_origin(req) {
        return Err(AppError::Forbidden);
    }
    Ok((typed, lang))
}

fn refusal(checked: &Checked, lang: Language) -> (StatusCode, String) {
    match checked {
        Checked::Throttled(minutes) => (
            StatusCode::TOO_MANY_REQUESTS,
            t_args(lang, "inbox-throttled", &[("minutes", minutes.to_string())]),
        ),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, t(lang, "inbox-failed")),
    }
}

async fn change_passphrase(
    intake: web::Data<Intake>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (typed, lang) = posted(&intake, &req, payload).await?;
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    let reference_typed = typed.get("reference").unwrap_or("");
    // The offered passphrase, if this server made it; else a fresh one.
    let offered = Passphrase::parse(typed.get("new_passphrase").unwrap_or(""))
        .ok()
        .filter(|p| {
            hex::decode(typed.get("new_tag").unwrap_or("")).is_ok_and(|tag| {
                intake.intake_key.verify(
                    "haven/new-passphrase",
                    &[p.expose_canonical().as_bytes()],
                    &tag,
                )
            })
        });
    let again = |status: StatusCode, error: String, new: Passphrase| {
        let tag = tag_of(&intake, &new);
        let shown = Shown {
            lang,
            token: &token,
            reference: reference_typed,
            error: Some(error),
        };
        no_store(page(status, passphrase_page(&shown, &new, &tag)))
    };
    let Some(new) = offered else {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "own-offer-expired"),
            Passphrase::generate(),
        ));
    };
    let checked = check_codes(&intake, &req, &typed).await?;
    let Checked::Yes(who) = checked else {
        let (status, error) = refusal(&checked, lang);
        return Ok(again(status, error, new));
    };
    if typed.get("written") != Some("yes") {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "own-written-missing"),
            new,
        ));
    }
    let state = intake
        .store
        .own_state(&who.enquiry_id)
        .await?
        .unwrap_or_default();
    if !state.pending.contains(&RequestKind::Passphrase) {
        let recipient = inbox_recipient(&who.reference, &new)?;
        // "What you sent", opened with the old key for this request and sealed to the
        // new one; the worker replaces the stored copy with it.
        let own_copy = match intake.store.own_copy(&who.enquiry_id).await? {
            Some(sealed) => match OwnCopy::open(&who.identity, &sealed) {
                Ok(copy) => Some(copy.seal_to(&recipient)?),
                Err(_) => None,
            },
            None => None,
        };
        let request = NewPassphrase {
            passphrase_hash: submission::passphrase_hash(&intake.intake_key, &new),
            inbox_recipient: recipient,
            own_copy,
        };
        intake
            .store
            .add_inbox_request(
                &who.enquiry_id,
                RequestKind::Passphrase,
                Some(&request),
                "person",
                None,
            )
            .await?;
    }
    Ok(no_store(page(
        StatusCode::OK,
        done_page(
            lang,
            "own-passphrase-done-title",
            &[t(lang, "own-passphrase-done")],
            Some(&new),
        ),
    )))
}

async fn withdraw(
    intake: web::Data<Intake>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (typed, lang) = posted(&intake, &req, payload).await?;
    let token = csrf::issue(&intake.intake_key, SCOPE, now());
    let reference_typed = typed.get("reference").unwrap_or("");
    let again = |status: StatusCode, error: String| {
        let shown = Shown {
            lang,
            token: &token,
            reference: reference_typed,
            error: Some(error),
        };
        no_store(page(status, withdraw_page(&shown)))
    };
    let checked = check_codes(&intake, &req, &typed).await?;
    let Checked::Yes(who) = checked else {
        let (status, error) = refusal(&checked, lang);
        return Ok(again(status, error));
    };
    if typed.get("confirm") != Some("yes") {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            t(lang, "own-confirm-missing"),
        ));
    }
    let state = intake
        .store
        .own_state(&who.enquiry_id)
        .await?
        .unwrap_or_default();
    if !state.pending.contains(&RequestKind::Withdraw) {
        intake
            .store
            .add_inbox_request(&who.enquiry_id, RequestKind::Withdraw, None, "person", None)
            .await?;
    }
    let backups = t_args(
        lang,
        "own-withdraw-backups",
        &[("days", BACKUP_DAYS.to_string())],
    );
    let lines = if state.legal_hold {
        [t(lang, "own-withdraw-held"), backups]
    } else {
        [t(lang, "own-withdraw-soon"), backups]
    };
    Ok(no_store(page(
        StatusCode::OK,
        done_page(lang, "own-withdraw-done-title", &lines, None),
    )))
}
