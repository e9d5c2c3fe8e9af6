//! The public role: the form at `/p/{slug}`, its receipt, and the reply inbox at the
//! slug-free `/inbox` (every public page links there) and at `/p/{slug}/status`. Handlers here read the request, call the domain functions in
//! `form`, `submission` and `inbox`, and render a page; the state they get holds
//! no secret key.

pub mod caller;
pub mod contact;
pub mod form;
pub mod inbox;
pub mod own;
pub mod pages;
pub mod phone;
pub mod receipt;
pub mod spelling;
pub mod submission;
pub mod write_back;

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ContentType, HeaderValue, LOCATION, RETRY_AFTER,
};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use crate::config::Config;
use crate::crypto::IntakeKey;
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::programme::live::{LiveProgramme, LiveProgrammes};
use crate::programme::{Programme, ProgrammeStatus};
use crate::store::{Store, SubmissionStored, SubmissionWriter, UsedToken, now};
use crate::web::client::client_key;
use crate::web::errors::mark_rendered;
use crate::web::ratelimit::{Limit, Limiters, Refused};
use crate::web::{body::read_limited, csrf, request_language};
use form::{CSRF, DecodeError, LANG, RawForm, SWITCH_LANG};

/// Largest form body accepted. The longest programme field allows 20,000 characters
/// (up to 80 KB of UTF-8, three times that percent-encoded); real forms stay far below.
pub const FORM_BODY_LIMIT: usize = 256 * 1024;
/// How long a body may take to arrive after the request head (slow links included).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// Everything the public handlers may use. Deliberately no `Keyring` (nor anything that
/// could hold the master key or an identity): the public role can seal enquiries to a
/// programme's recipient but cannot open anything (`keyring::tests` checks the fields).
pub struct Intake {
    pub store: Store,
    pub writer: SubmissionWriter,
    pub programmes: LiveProgrammes,
    pub intake_key: IntakeKey,
    pub limiters: Arc<Limiters>,
    pub config: Arc<Config>,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    own::routes(cfg);
    cfg.route(contact::PATH, web::post().to(contact::post));
    cfg.service(
        web::resource(crate::letters::INBOX_PATH)
            .wrap(actix_web::middleware::Compress::default())
            .route(web::get().to(show_any_inbox_sign_in))
            .route(web::head().to(show_any_inbox_sign_in))
            .route(web::post().to(open_any_inbox)),
    );
    // Writing back from the inbox (`write_back`): never compressed, as the receipt's
    // GET, since the reference code it carries repeats on every answer.
    cfg.service(web::resource(write_back::PATH).route(web::post().to(write_back::write)));
    cfg.service(
        web::scope("/p")
            // Slow links and Tor: the form is about 5 KB gzipped instead of 18 KB. Safe
            // from BREACH here because no secret repeats across these responses (tokens,
            // codes and passphrases are fresh each time); staff pages with session-bound
            // tokens are deliberately not compressed, and neither is the receipt's GET,
            // whose codes repeat on every reload (`show_receipt`).
            .wrap(actix_web::middleware::Compress::default())
            .service(
                web::resource("/{slug}")
                    .route(web::get().to(show_form))
                    .route(web::head().to(show_form))
                    .route(web::post().to(submit)),
            )
            .service(
                web::resource("/{slug}/receipt.txt")
                    .route(web::get().to(show_receipt_text))
                    .route(web::head().to(show_receipt_text)),
            )
            .service(
                web::resource("/{slug}/receipt")
                    .route(web::get().to(show_receipt))
                    .route(web::head().to(show_receipt)),
            )
            .service(
                web::resource("/{slug}/status")
                    .route(web::get().to(show_inbox_sign_in))
                    .route(web::head().to(show_inbox_sign_in))
                    .route(web::post().to(open_inbox)),
            ),
    );
}

fn html(status: StatusCode, markup: Markup) -> HttpResponse {
    mark_rendered(
        HttpResponse::build(status)
            .content_type(ContentType::html())
            .body(markup.into_string()),
    )
}

/// A programme that the public may see: open, or closed (which shows where to go).
async fn public_programme(intake: &Intake, slug: &str) -> Result<Arc<LiveProgramme>, AppError> {
    let name = ProgrammeSlug::parse(slug).map_err(|_| AppError::NotFound)?;
    // A discreet programme answers at its discreet address only: its slug's address
    // shows nothing, as if there were no such programme.
    let live = match intake.programmes.get(&name).await? {
        Some(live) if live.programme.is_discreet() => None,
        Some(live) => Some(live),
        None => intake.programmes.by_discreet_address(&name).await?,
    }
    .ok_or(AppError::NotFound)?;
    if publicly_visible(live.programme.status()) {
        Ok(live)
    } else {
        Err(AppError::NotFound)
    }
}

/// Open, or closed (which shows where to go); never a draft or an archived programme.
fn publicly_visible(status: ProgrammeStatus) -> bool {
    match status {
        ProgrammeStatus::Open | ProgrammeStatus::Closed => true,
        ProgrammeStatus::Draft | ProgrammeStatus::Archived => false,
    }
}

fn form_scope(slug: &ProgrammeSlug) -> String {
    format!("form:{slug}")
}

fn inbox_scope(programme: Option<&Programme>) -> String {
    match programme {
        Some(p) => format!("inbox:{}", p.slug()),
        None => "inbox:*".to_owned(),
    }
}

async fn show_form(
    intake: web::Data<Intake>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    let p = &live.programme;
    let lang = request_language(&req, p.languages());
    if p.status() == ProgrammeStatus::Closed {
        return Ok(html(StatusCode::GONE, pages::closed_page(p, lang)));
    }
    let token = csrf::issue(&intake.intake_key, &form_scope(p.slug()), now());
    let mut page = html(
        StatusCode::OK,
        pages::form_page(&pages::FormView {
            programme: p,
            lang,
            csrf_token: &token,
            typed: &RawForm::default(),
            errors: &[],
            notice: None,
        }),
    );
    // Whether this browser keeps cookies decides how the receipt is delivered.
    page.add_cookie(&receipt::probe_cookie(&p.public_name()))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(page)
}

/// The posted body as a form, or the reason it is not one.
pub(crate) async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<RawForm, AppError> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = read_limited(payload, FORM_BODY_LIMIT, BODY_TIMEOUT).await?;
    RawForm::decode(&body).map_err(|_| AppError::BadRequest)
}

fn posted_language(typed: &RawForm, offered: &[Language], req: &HttpRequest) -> Language {
    typed
        .get(LANG)
        .and_then(|l| Language::parse(l).ok())
        .filter(|l| offered.contains(l))
        .unwrap_or_else(|| request_language(req, offered))
}

async fn submit(
    intake: web::Data<Intake>,
    metrics: web::Data<crate::metrics::Metrics>,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    let p = &live.programme;
    if p.status() == ProgrammeStatus::Closed {
        return Err(AppError::Gone);
    }
    let typed = read_form(&req, payload).await?;
    typed.check_shape(p).map_err(|e| match e {
        DecodeError::TooMany => AppError::PayloadTooLarge,
        _ => AppError::BadRequest,
    })?;
    let lang = posted_language(&typed, p.languages(), &req);
    let at = now();
    let scope = form_scope(p.slug());
    if let Some(page) = switch_language(&intake, p, &typed, at) {
        return Ok(page);
    }
    // Every refusal draws the form again with everything typed, and a fresh token.
    let redraw = |status, errors: &[form::FieldError], notice| {
        let token = csrf::issue(&intake.intake_key, &scope, at);
        html(
            status,
            pages::form_page(&pages::FormView {
                programme: p,
                lang,
                csrf_token: &token,
                typed: &typed,
                errors,
                notice,
            }),
        )
    };

    let token_ok = typed
        .get(CSRF)
        .is_some_and(|t| csrf::verify(&intake.intake_key, &scope, t, at));
    if !token_ok || !csrf::same_origin(&req) {
        metrics.reject("csrf");
        // Keep what they typed: a stale form must never cost a frightened person their words.
        let notice = Some(Msg::new("error-form-expired"));
        return Ok(redraw(StatusCode::FORBIDDEN, &[], notice));
    }

    let used = receipt::used_token(&intake.intake_key, typed.get(CSRF).unwrap_or(""), at);
    if intake.store.form_token_used(&used.hash).await? {
        metrics.reject("token_used");
        return Ok(already_sent(&intake, &req, p, lang, &used, at));
    }

    let valid = match form::validate(p, &typed, lang) {
        Ok(valid) => valid,
        Err(errors) => {
            metrics.reject("validation");
            return Ok(redraw(StatusCode::UNPROCESSABLE_ENTITY, &errors, None));
        }
    };

    let client = client_key(&req, &intake.config.trusted_proxies);
    if let Err(refused) = intake.limiters.allow_submission(&client) {
        metrics.reject("rate_limited");
        metrics.quota_refusal(refused.limit);
        // Nothing was stored. Say so plainly, keep every word they typed, and give the
        // wait of the limit that refused (not a blanket "an hour").
        let page = redraw(StatusCode::TOO_MANY_REQUESTS, &[], Some(not_sent(refused)));
        return Ok(with_retry_after(page, refused));
    }
    // The receipt shows the address masked (`r•••@gmail.com`), never whole.
    let masked = match &valid.contact {
        crate::enquiry::ContactChoice::Email(email) => Some(crate::contact::masked(email)),
        _ => None,
    };
    let (enquiry, receipt) = submission::prepare(&live, valid, lang, &intake.intake_key, at)?;
    let confirm = enquiry.has_email.then(|| enquiry.id.clone());
    if intake
        .writer
        .submit_once(enquiry, Some(used.clone()))
        .await?
        == SubmissionStored::TokenUsed
    {
        // The same form sent twice at once (a double tap): the other request stored it.
        metrics.reject("token_used");
        return Ok(already_sent(&intake, &req, p, lang, &used, at));
    }
    metrics.submissions.inc();
    if let Some(id) = confirm {
        // One confirmation code, mailed by the worker (`crate::contact`).
        crate::contact::request_confirmation(&intake.store, &id).await?;
    }
    let shown = receipt::Delivered {
        receipt: &receipt,
        masked: masked.as_deref(),
    };
    Ok(deliver_receipt(&intake, &req, p, lang, &shown, &used, at))
}

/// A language button was pressed: the same form in that language, with everything typed
/// and no error (nothing was sent, so nothing is wrong yet). Stores nothing and checks
/// no token: a redraw is harmless whoever asks for it.
fn switch_language(
    intake: &Intake,
    p: &crate::programme::Programme,
    typed: &RawForm,
    at: i64,
) -> Option<HttpResponse> {
    let to = typed
        .get(SWITCH_LANG)
        .and_then(|l| Language::parse(l).ok())
        .filter(|l| p.languages().contains(l))?;
    let token = csrf::issue(&intake.intake_key, &form_scope(p.slug()), at);
    Some(html(
        StatusCode::OK,
        pages::form_page(&pages::FormView {
            programme: p,
            lang: to,
            csrf_token: &token,
            typed,
            errors: &[],
            notice: None,
        }),
    ))
}

/// The answer to a stored enquiry: a redirect to the receipt with the codes in a sealed
/// cookie (a reload then shows the same receipt and sends nothing), or, for a browser
/// that keeps no cookies, the receipt itself, never cached.
fn deliver_receipt(
    intake: &Intake,
    req: &HttpRequest,
    p: &crate::programme::Programme,
    lang: Language,
    shown: &receipt::Delivered<'_>,
    used: &UsedToken,
    at: i64,
) -> HttpResponse {
    if !receipt::keeps_cookies(req) {
        let inbox = crate::letters::inbox_address(intake.config.public_url.as_deref());
        return no_store(html(
            StatusCode::OK,
            pages::receipt_page(lang, &inbox, shown.receipt, None, shown.masked),
        ));
    }
    let cookie =
        receipt::receipt_cookie(&intake.intake_key, &p.public_name(), lang, shown, used, at);
    HttpResponse::SeeOther()
        .insert_header((LOCATION, receipt::receipt_path(&p.public_name())))
        .insert_header((CACHE_CONTROL, "no-store"))
        .cookie(cookie)
        .finish()
}

fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A used form token sent again (Back and resubmit, a reload of the POST): the receipt
/// again if this browser still holds it for that very token, else a page that says the
/// form was already sent and where the replies will be.
fn already_sent(
    intake: &Intake,
    req: &HttpRequest,
    p: &crate::programme::Programme,
    lang: Language,
    used: &UsedToken,
    at: i64,
) -> HttpResponse {
    if receipt::open(&intake.intake_key, &p.public_name(), req, at)
        .is_some_and(|shown| shown.token_hash == used.hash)
    {
        return HttpResponse::SeeOther()
            .insert_header((LOCATION, receipt::receipt_path(&p.public_name())))
            .insert_header((CACHE_CONTROL, "no-store"))
            .finish();
    }
    no_store(html(
        StatusCode::CONFLICT,
        pages::already_sent_page(p, lang),
    ))
}

/// The receipt after the redirect: shown again on every reload while its cookie lasts,
/// then a page that points to the inbox.
async fn show_receipt(
    intake: web::Data<Intake>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    let p = &live.programme;
    let mut res = no_store(
        match receipt::open(&intake.intake_key, &p.public_name(), &req, now()) {
            Some(shown) => html(
                StatusCode::OK,
                pages::receipt_page(
                    shown.lang,
                    &crate::letters::inbox_address(intake.config.public_url.as_deref()),
                    &shown.receipt,
                    p.file()
                        .public
                        .save_as_text
                        .then(|| receipt::receipt_text_path(&p.public_name()))
                        .as_deref(),
                    shown.masked.as_deref(),
                ),
            ),
            None => html(
                StatusCode::OK,
                pages::receipt_gone_page(request_language(&req, p.languages())),
            ),
        },
    );
    // The same codes on every reload: never compressed, so their length cannot leak
    // through a compressed size (BREACH).
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_ENCODING,
        HeaderValue::from_static("identity"),
    );
    Ok(res)
}

/// The receipt as a text file to keep (`[public] save_as_text`): read from the same
/// sealed cookie as the receipt page, so it exists only while the receipt does.
async fn show_receipt_text(
    intake: web::Data<Intake>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    let p = &live.programme;
    if !p.file().public.save_as_text {
        return Err(AppError::NotFound);
    }
    let Some(shown) = receipt::open(&intake.intake_key, &p.public_name(), &req, now()) else {
        return Err(AppError::NotFound);
    };
    let inbox = crate::letters::inbox_address(intake.config.public_url.as_deref());
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"note.txt\"",
        ))
        // The codes again: never compressed (see `show_receipt`).
        .insert_header((actix_web::http::header::CONTENT_ENCODING, "identity"))
        .body(pages::receipt_text(shown.lang, &inbox, &shown.receipt)))
}

/// What the form says when a quota refused it: that it was not sent, why in a word,
/// and when to send it again.
fn not_sent(refused: Refused) -> Msg {
    let id = match refused.limit {
        Limit::Client => "form-not-sent-client",
        Limit::Network | Limit::Code => "form-not-sent-network",
        Limit::Global => "form-not-sent-global",
    };
    Msg::new(id).arg("minutes", refused.minutes().to_string())
}

fn with_retry_after(mut res: HttpResponse, refused: Refused) -> HttpResponse {
    if let Ok(value) = HeaderValue::from_str(&refused.seconds().to_string()) {
        res.headers_mut().insert(RETRY_AFTER, value);
    }
    res
}

async fn show_inbox_sign_in(
    intake: web::Data<Intake>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    Ok(inbox_sign_in(&intake, &req, Some(&live.programme)))
}

/// The slug-free reply inbox, one for every programme: emails give this address, so
/// that nothing in them names the programme (see `letters`).
async fn show_any_inbox_sign_in(
    intake: web::Data<Intake>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    Ok(inbox_sign_in(&intake, &req, None))
}

fn inbox_sign_in(
    intake: &Intake,
    req: &HttpRequest,
    programme: Option<&Programme>,
) -> HttpResponse {
    let lang = request_language(req, programme.map_or(&Language::ALL[..], |p| p.languages()));
    let token = csrf::issue(&intake.intake_key, &inbox_scope(programme), now());
    html(
        StatusCode::OK,
        pages::inbox_sign_in_page(&pages::InboxView {
            programme,
            lang,
            csrf_token: &token,
            typed_reference: "",
            failed: false,
            throttled: None,
        }),
    )
}

async fn open_inbox(
    intake: web::Data<Intake>,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let live = public_programme(&intake, &slug).await?;
    sign_in(&intake, &req, payload, Some(live)).await
}

async fn open_any_inbox(
    intake: web::Data<Intake>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    sign_in(&intake, &req, payload, None).await
}

/// The programme of the enquiry whose code hash this is, if the public may see it.
pub(super) async fn programme_of_code(
    intake: &Intake,
    code_hash: &[u8],
) -> Result<Option<Arc<LiveProgramme>>, AppError> {
    let Some(programme_id) = intake.store.programme_of_reference(code_hash).await? else {
        return Ok(None);
    };
    let Some(slug) = intake.store.programme_slug(&programme_id).await? else {
        return Ok(None);
    };
    let Ok(slug) = ProgrammeSlug::parse(&slug) else {
        return Ok(None);
    };
    // By its slug, discreet or not: here the code names the programme, not an address.
    // (`public_programme` hides a discreet programme's slug, which would lock its people
    // out of `/inbox` and of the pages that check their codes the same way.)
    Ok(intake
        .programmes
        .get(&slug)
        .await?
        .filter(|live| publicly_visible(live.programme.status())))
}

/// Signs in to the reply inbox of `fixed` (its own address), or, at `/inbox`, of the
/// programme the typed code belongs to. Both answer a wrong code, a code of another
/// programme and a wrong passphrase alike.
async fn sign_in(
    intake: &Intake,
    req: &HttpRequest,
    payload: web::Payload,
    fixed: Option<Arc<LiveProgramme>>,
) -> Result<HttpResponse, AppError> {
    let shown = fixed.as_ref().map(|l| &l.programme);
    let offered = shown.map_or(&Language::ALL[..], |p| p.languages());
    let typed = read_form(req, payload).await?;
    let lang = posted_language(&typed, offered, req);
    let at = now();
    let scope = inbox_scope(shown);
    let token_ok = typed
        .get(CSRF)
        .is_some_and(|t| csrf::verify(&intake.intake_key, &scope, t, at));
    if !token_ok || !csrf::same_origin(req) {
        return Err(AppError::Forbidden);
    }
    let typed_reference = typed.get("reference").unwrap_or("");
    let attempt = inbox::Attempt::parse(
        &intake.intake_key,
        typed_reference,
        typed.get("passphrase").unwrap_or(""),
    );
    let client = client_key(req, &intake.config.trusted_proxies);
    if let Err(refused) = intake
        .limiters
        .allow_inbox_attempt(&client, &attempt.code_hash)
    {
        let token = csrf::issue(&intake.intake_key, &scope, at);
        let page = html(
            StatusCode::TOO_MANY_REQUESTS,
            pages::inbox_sign_in_page(&pages::InboxView {
                programme: shown,
                lang,
                csrf_token: &token,
                typed_reference,
                failed: false,
                throttled: Some(
                    Msg::new("inbox-throttled").arg("minutes", refused.minutes().to_string()),
                ),
            }),
        );
        return Ok(with_retry_after(page, refused));
    }
    let live = match fixed.clone() {
        Some(live) => Some(live),
        None => programme_of_code(intake, &attempt.code_hash).await?,
    };
    let opened = match &live {
        Some(live) => inbox::open(&intake.store, &intake.intake_key, live, &attempt)
            .await
            .map_err(|e| match e {
                inbox::InboxError::Store(e) => AppError::Store(e),
                inbox::InboxError::Crypto(e) => AppError::Crypto(e),
            })?,
        None => None,
    };
    match (opened, live) {
        (Some(inbox), Some(live)) => {
            // A number a staff member gave on the phone (issue 22): recorded, not shown.
            caller::record(
                &intake.store,
                &intake.intake_key,
                &live.id,
                &attempt.code_hash,
                typed.get(caller::FIELD),
                at,
            )
            .await?;
            // At `/inbox` the page is in a language the person's programme offers.
            let lang = match shown {
                Some(_) => lang,
                None if live.programme.languages().contains(&lang) => lang,
                None => live.programme.default_language(),
            };
            // The conversation and the form to write back (`write_back`), then the
            // email address (`contact`) and the person's own data and codes (`own`).
            let reference = attempt.reference.as_ref().map_or("", |r| r.canonical());
            let secrets = contact::Secrets {
                reference: typed_reference,
                passphrase: typed.get("passphrase").unwrap_or(""),
            };
            let token = contact::token(&intake.intake_key, at);
            let sections = maud::html! {
                (contact::section(lang, &inbox.contact, &secrets, &token))
                (own::inbox_section(lang, &live.programme, &inbox.own))
            };
            Ok(no_store(html(
                StatusCode::OK,
                write_back::inbox_page(intake, shown, lang, &inbox, reference, false, sections),
            )))
        }
        _ => {
            let token = csrf::issue(&intake.intake_key, &scope, at);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::inbox_sign_in_page(&pages::InboxView {
                    programme: shown,
                    lang,
                    csrf_token: &token,
                    typed_reference,
                    failed: true,
                    throttled: None,
                }),
            ))
        }
    }
}
