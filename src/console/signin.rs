//! Signing in: password, then a TOTP or recovery code (or, the first time, setting up
//! TOTP); signing out; one's own sessions.
//!
//! Every step that accepts a secret is throttled per account and per client before
//! the secret is even looked at, so while an account is throttled a right password
//! gets exactly the answer a wrong one gets. Unknown accounts cost the same argon2
//! work and get the same page as wrong passwords. Each step issues a new session
//! token, so a token planted before sign-in is useless after it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::pages::{Shell, csrf_field, error_summary, render};
use super::{Console, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::lockout::{self, AfterFailure};
use crate::auth::session::{self, Stage};
use crate::auth::totp::{self, TotpError, TotpSecret};
use crate::auth::{Staff, current_session};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::store::{NewSession, SecondFactorLock, SessionRecord, UserRecord, now};
use crate::web::client::client_key;
use crate::web::csrf;
use crate::web::ratelimit::SigninCheck;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sign-in")
            .route(web::get().to(show_sign_in))
            .route(web::post().to(sign_in)),
    )
    .service(
        web::resource("/sign-in/code")
            .route(web::get().to(show_code))
            .route(web::post().to(check_code)),
    )
    .service(
        web::resource("/enrol")
            .route(web::get().to(show_enrol))
            .route(web::post().to(enrol)),
    )
    .route("/sign-out", web::post().to(sign_out))
    .route("/account", web::get().to(account))
    .route("/account/sign-out-others", web::post().to(sign_out_others));
}

const SIGN_IN_SCOPE: &str = "staff-sign-in";
const ISSUER: &str = "Haven";

/// What the throttle counts attempts against: the typed address, whether or not an
/// account has it.
fn account_key(email: &str) -> [u8; 32] {
    Sha256::digest(email.trim().to_lowercase().as_bytes()).into()
}

/// One attempt at a secret (password or code) for `account`: per client and per
/// account in this process (governor), and per account in the database, so that N
/// console instances together allow the same tries as one. Both are counted whatever
/// the outcome; the answer says which refused.
pub(super) async fn check_attempt(
    console: &Console,
    req: &HttpRequest,
    account: &[u8; 32],
) -> Result<SigninCheck, AppError> {
    let client = client_key(req, &console.config.trusted_proxies);
    let mut check = console.limiters.allow_signin(&client, account);
    let key = [b"signin:".as_slice(), account].concat();
    let everywhere = console
        .store
        .count_in_window(&key, now(), SIGNIN_WINDOW_SECS)
        .await?
        <= i64::from(
            console
                .config
                .rate_limits
                .signin_attempts_per_account_per_minute,
        );
    check.account &= everywhere;
    Ok(check)
}

/// Entries of one kind (throttled attempts, failures for unknown accounts) the audit
/// log takes per window in all, whatever the accounts and clients.
const AUDIT_ONCE_PER_WINDOW_CEILING: i64 = 10;

/// Whether this is the first time in the current window that `what` happened (and the
/// ceiling for all such entries is not reached): unauthenticated clients must not be
/// able to grow the chained audit log with every request. Shared by every instance.
pub(super) async fn first_in_window(console: &Console, what: &[u8]) -> Result<bool, AppError> {
    let at = now();
    let once = [b"audit-once:".as_slice(), what].concat();
    if console
        .store
        .count_in_window(&once, at, SIGNIN_WINDOW_SECS)
        .await?
        != 1
    {
        return Ok(false);
    }
    let all = console
        .store
        .count_in_window(b"audit-once:*", at, SIGNIN_WINDOW_SECS)
        .await?;
    Ok(all <= AUDIT_ONCE_PER_WINDOW_CEILING)
}

/// Records an attempt the limits refused: always in the metrics, and in the audit log
/// once per account (or, when the client's limit refused, once per client) and window.
pub(super) async fn record_throttled(
    console: &Console,
    req: &HttpRequest,
    check: SigninCheck,
    account: &[u8; 32],
    entry: Entry,
) -> Result<(), AppError> {
    let (reason, limit, what) = if !check.account {
        (
            "throttled-account",
            "account",
            [b"account:".as_slice(), account].concat(),
        )
    } else {
        // The client, as a keyed hash: the throttle table never holds an address.
        let client = client_key(req, &console.config.trusted_proxies);
        let hidden = console
            .mac
            .mac("haven/throttled-client", &[&client.to_bytes()]);
        (
            "throttled-client",
            "client",
            [b"client:".as_slice(), &hidden].concat(),
        )
    };
    if let Some(metrics) = req.app_data::<web::Data<crate::metrics::Metrics>>() {
        metrics.signin_refusal(reason);
    }
    if first_in_window(console, &what).await? {
        console
            .store
            .record_audit(
                &entry.detail(
                    serde_json::json!({ "limit": limit, "window_secs": SIGNIN_WINDOW_SECS }),
                ),
            )
            .await?;
    }
    Ok(())
}

/// The shared per-account window.
pub const SIGNIN_WINDOW_SECS: i64 = 60;

/// The language of a sign-in page, and the `?lang=` to carry to the next step when it
/// was chosen with the switch (at the end it becomes the account's choice).
fn step_language(req: &HttpRequest) -> (Language, String) {
    let lang = crate::web::request_language(req, &Language::ALL);
    let carry = crate::web::explicit_language(req, &Language::ALL)
        .map(|l| format!("?lang={}", l.tag()))
        .unwrap_or_default();
    (lang, carry)
}

fn sign_in_page(req: &HttpRequest, token: &str, email: &str, problem: Option<&str>) -> Markup {
    let (lang, carry) = step_language(req);
    let errors: Vec<(&str, String)> = problem
        .map(|p| vec![("email", t(lang, p))])
        .unwrap_or_default();
    let title = t(lang, "console-signin-title");
    render(
        &Shell {
            title: &title,
            staff: None,
            lang,
        },
        html! {
            (error_summary(lang, &errors))
            h1 { (title) }
            form method="post" action={ "/console/sign-in" (carry) } novalidate {
                (csrf_field(token))
                div class="field" {
                    label for="email" { (t(lang, "console-signin-email")) }
                    input type="email" id="email" name="email" value=(email) autocomplete="username" spellcheck="false" required autofocus;
                }
                div class="field" {
                    label for="password" { (t(lang, "console-signin-password")) }
                    input type="password" id="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { (t(lang, "console-continue")) }
            }
        },
    )
}

async fn show_sign_in(console: web::Data<Console>, req: HttpRequest) -> HttpResponse {
    if current_session(&req, &console.store, Stage::Full, console.clock.now())
        .await
        .ok()
        .flatten()
        .is_some()
    {
        return see_other("/console");
    }
    let token = csrf::issue(&console.mac, SIGN_IN_SCOPE, now());
    page(StatusCode::OK, sign_in_page(&req, &token, "", None))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

const WRONG: &str = "console-signin-wrong";
const THROTTLED: &str = "console-signin-throttled";
const BUSY: &str = "console-signin-busy";

async fn sign_in(
    console: web::Data<Console>,
    metrics: web::Data<crate::metrics::Metrics>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let email = form.email.trim().to_lowercase();
    let fresh = csrf::issue(&console.mac, SIGN_IN_SCOPE, now());
    if !csrf::same_origin(&req) || !csrf::verify(&console.mac, SIGN_IN_SCOPE, &form.csrf, now()) {
        return Ok(page(
            StatusCode::FORBIDDEN,
            sign_in_page(&req, &fresh, &email, Some("console-signin-expired")),
        ));
    }
    // The gate first: a place is refused before anything is counted or hashed, so a
    // staff member retrying while it is full does not use up their own attempts.
    let client = client_key(&req, &console.config.trusted_proxies);
    let Ok(admission) = console.gate.admit(client) else {
        metrics.signin_refusal("busy");
        let mut res = page(
            StatusCode::SERVICE_UNAVAILABLE,
            sign_in_page(&req, &fresh, &email, Some(BUSY)),
        );
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("5"),
        );
        return Ok(res);
    };
    let account = account_key(&email);
    let check = check_attempt(&console, &req, &account).await?;
    if !check.allowed() {
        drop(admission);
        record_throttled(
            &console,
            &req,
            check,
            &account,
            Entry::new(
                &Actor::Anonymous,
                AuditAction::SigninThrottled,
                "account:hidden",
            )
            .outcome(Outcome::Denied),
        )
        .await?;
        metrics.signin_failures.inc();
        return Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            sign_in_page(&req, &fresh, &email, Some(THROTTLED)),
        ));
    }
    if form.password.chars().count() > crate::auth::password::MAX_CHARS {
        return Ok(page(
            StatusCode::UNAUTHORIZED,
            sign_in_page(&req, &fresh, &email, Some(WRONG)),
        ));
    }
    let user = console.store.user_by_email(&email).await?;
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let matches = admission
        .verify(phc, form.password)
        .await
        .map_err(|_| AppError::Internal("password check did not finish".into()))?;

    let at = now();
    let user = match user {
        Some(u) if matches && !u.disabled && !enrolment_lapsed(&u, at) => u,
        other => {
            let (actor, subject, reason) = match &other {
                Some(u) => (
                    Actor::staff(&u.id),
                    Actor::staff(&u.id).to_string(),
                    if !matches {
                        "password"
                    } else if u.disabled {
                        "disabled"
                    } else {
                        "enrolment-lapsed"
                    },
                ),
                None => (Actor::Anonymous, "account:unknown".into(), "password"),
            };
            // A failure for an account that does not exist says nothing about anyone:
            // counted, and written once per window (like throttling), so made-up
            // addresses cannot grow the audit log.
            let unknown = other.is_none();
            if unknown {
                metrics.signin_refusal("unknown-account");
            }
            if !unknown || first_in_window(&console, b"unknown-account").await? {
                console
                    .store
                    .record_audit(
                        &Entry::new(&actor, AuditAction::SigninFailed, &subject)
                            .outcome(Outcome::Denied)
                            .detail(serde_json::json!({ "reason": reason })),
                    )
                    .await?;
            }
            metrics.signin_failures.inc();
            return Ok(page(
                StatusCode::UNAUTHORIZED,
                sign_in_page(&req, &fresh, &email, Some(WRONG)),
            ));
        }
    };

    let stage = if user.totp_ciphertext.is_some() {
        Stage::SecondFactor
    } else if needs_second_factor(&console, &user).await? {
        Stage::Enrol
    } else {
        Stage::Full
    };
    let signed_in = (stage == Stage::Full).then(|| {
        Entry::new(
            &Actor::staff(&user.id),
            AuditAction::SigninOk,
            &Actor::staff(&user.id).to_string(),
        )
        .detail(serde_json::json!({ "factors": 1 }))
    });
    let next = match stage {
        Stage::SecondFactor => "/console/sign-in/code",
        Stage::Enrol => "/console/enrol",
        Stage::Full => "/console",
    };
    let next = format!("{next}{}", step_language(&req).1);
    start_session(&console, &req, &user.id, stage, &next, signed_in).await
}

/// First-login secrets expire: an account that never set up its second factor in
/// time must be reset by an admin.
fn enrolment_lapsed(user: &UserRecord, at: i64) -> bool {
    user.totp_ciphertext.is_none() && user.enrol_by.is_some_and(|by| at > by)
}

async fn needs_second_factor(console: &Console, user: &UserRecord) -> Result<bool, AppError> {
    let memberships = console.store.memberships(&user.id).await?;
    let mut exempt = std::collections::HashMap::new();
    for m in &memberships {
        let slug = crate::domain::ProgrammeSlug::parse(&m.slug)
            .map_err(|_| AppError::Internal("stored slug is invalid".into()))?;
        let agents_free = console
            .programmes
            .get(&slug)
            .await?
            .is_some_and(|p| !p.programme.file().staff.agents_require_two_factor);
        exempt.insert(m.programme_id.clone(), agents_free);
    }
    Ok(Staff::needs_second_factor(user, &memberships, |id| {
        exempt.get(id).copied().unwrap_or(false)
    }))
}

/// Replaces whatever session the browser had with a new one at `stage`.
/// Issues a new session token for `stage` (the pending one, if any, is ended in the
/// same transaction). `signed_in` is the `signin.ok` entry when this completes signing
/// in: it commits with the session, so neither exists without the other.
async fn start_session(
    console: &Console,
    req: &HttpRequest,
    user_id: &str,
    stage: Stage,
    next: &str,
    signed_in: Option<Entry>,
) -> Result<HttpResponse, AppError> {
    let old = session::token_from(req).map(|old| session::hash_token(&old));
    let token = session::new_token();
    let id_hash = session::hash_token(&token);
    let at = console.clock.now();
    console
        .store
        .create_session(
            &NewSession {
                id_hash: &id_hash,
                user_id,
                stage: stage.as_str(),
                at,
                expires_at: at + stage.lifetime(),
            },
            old.as_deref(),
            signed_in.as_ref(),
        )
        .await?;
    let mut res = see_other(next);
    res.add_cookie(&session::cookie(&token))
        .map_err(|_| AppError::Internal("cookie".into()))?;
    Ok(res)
}

async fn pending(
    console: &Console,
    req: &HttpRequest,
    stage: Stage,
) -> Result<(SessionRecord, UserRecord), AppError> {
    let s = current_session(req, &console.store, stage, console.clock.now())
        .await?
        .ok_or(AppError::SignInRequired)?;
    let user = console
        .store
        .user(&s.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(AppError::SignInRequired)?;
    Ok((s, user))
}

fn code_page(req: &HttpRequest, token: &str, problem: Option<Msg>) -> Markup {
    let (lang, carry) = step_language(req);
    let errors: Vec<(&str, String)> = problem
        .map(|p| vec![("code", p.render(lang))])
        .unwrap_or_default();
    let title = t(lang, "console-code-title");
    render(
        &Shell {
            title: &title,
            staff: None,
            lang,
        },
        html! {
            (error_summary(lang, &errors))
            h1 { (title) }
            form method="post" action={ "/console/sign-in/code" (carry) } novalidate {
                (csrf_field(token))
                div class="field" {
                    label for="code" { (t(lang, "console-code-label")) }
                    p class="hint" id="code-hint" { (t(lang, "console-code-hint")) }
                    input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" aria-describedby="code-hint" spellcheck="false" required autofocus;
                }
                button type="submit" { (t(lang, "console-code-submit")) }
            }
        },
    )
}

async fn show_code(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (s, _) = pending(&console, &req, Stage::SecondFactor).await?;
    Ok(page(
        StatusCode::OK,
        code_page(&req, &session::csrf_token(&console.mac, &s.id_hash), None),
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub fn recovery_hash(console: &Console, user_id: &str, code: &str) -> Vec<u8> {
    console
        .mac
        .mac(
            "haven/recovery-code",
            &[user_id.as_bytes(), code.as_bytes()],
        )
        .to_vec()
}

async fn check_code(
    console: web::Data<Console>,
    metrics: web::Data<crate::metrics::Metrics>,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let (s, user) = pending(&console, &req, Stage::SecondFactor).await?;
    let token = session::csrf_token(&console.mac, &s.id_hash);
    if !csrf::same_origin(&req) || !session::csrf_ok(&console.mac, &s.id_hash, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::staff(&user.id);
    let subject = actor.to_string();
    let account = account_key(&subject);
    let check = check_attempt(&console, &req, &account).await?;
    if !check.allowed() {
        record_throttled(
            &console,
            &req,
            check,
            &account,
            Entry::new(&actor, AuditAction::SigninThrottled, &subject).outcome(Outcome::Denied),
        )
        .await?;
        metrics.signin_failures.inc();
        return Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            code_page(&req, &token, Some(Msg::new(THROTTLED))),
        ));
    }
    let at = now();
    // Locked after repeated wrong codes (`auth::lockout`): the code is not even looked at.
    if let Some(until) = console
        .store
        .second_factor_locked_until(&user.id, at)
        .await?
    {
        metrics.signin_failures.inc();
        return Ok(locked_page(&req, &token, until, at));
    }
    let outcome = match (
        &user.totp_ciphertext,
        totp::normalise_recovery_code(&form.code),
    ) {
        (_, Some(recovery)) => {
            if console
                .store
                .use_recovery_code(&user.id, &recovery_hash(&console, &user.id, &recovery))
                .await?
            {
                Ok("recovery-code")
            } else {
                Err("recovery-code")
            }
        }
        (Some(sealed), None) => {
            let secret = TotpSecret::from_bytes(
                secrecy::ExposeSecret::expose_secret(&console.keyring.open_totp_seed(sealed)?)
                    .clone(),
            );
            match totp::verify(&secret, &form.code, at, user.totp_last_step) {
                Ok(step) if console.store.accept_totp_step(&user.id, step).await? => Ok("totp"),
                Ok(_) | Err(TotpError::Reused) => Err("totp-reused"),
                Err(TotpError::Invalid) => Err("totp"),
            }
        }
        (None, None) => Err("no-factor"),
    };
    match outcome {
        Ok(factor) => {
            console.store.clear_second_factor_failures(&user.id).await?;
            let signed_in = Entry::new(&actor, AuditAction::SigninOk, &subject)
                .detail(serde_json::json!({ "factors": 2, "second": factor }));
            let next = format!("/console{}", step_language(&req).1);
            start_session(
                &console,
                &req,
                &user.id,
                Stage::Full,
                &next,
                Some(signed_in),
            )
            .await
        }
        Err(reason) => {
            metrics.signin_failures.inc();
            // A code used twice may mean someone watched it being typed: an alert.
            let outcome = if reason == "totp-reused" {
                Outcome::Alert
            } else {
                Outcome::Denied
            };
            console
                .store
                .record_audit(
                    &Entry::new(&actor, AuditAction::SigninFailed, &subject)
                        .outcome(outcome)
                        .detail(serde_json::json!({ "stage": "second-factor", "reason": reason })),
                )
                .await?;
            // Wrong codes add up across minutes; enough of them lock the second factor,
            // email the account's own address and raise an alert, in one transaction.
            let lock = console
                .store
                .record_second_factor_failure(
                    &user.id,
                    at,
                    |failures, locks| match lockout::after_failure(failures, locks, at) {
                        AfterFailure::Locked { until, nth } => {
                            Some(SecondFactorLock { until, nth })
                        }
                        AfterFailure::Counted { .. } => None,
                    },
                    |lock| {
                        Entry::new(&actor, AuditAction::SigninSecondFactorLocked, &subject)
                            .outcome(Outcome::Alert)
                            .detail(serde_json::json!({
                                "failures": lockout::FAILURES_PER_LOCK,
                                "lock": lock.nth,
                                "locked_for_secs": lock.until - at,
                            }))
                    },
                )
                .await?;
            if let Some(lock) = lock {
                metrics.second_factor_locks.inc();
                return Ok(locked_page(&req, &token, lock.until, at));
            }
            Ok(page(
                StatusCode::UNAUTHORIZED,
                code_page(&req, &token, Some(Msg::new("console-code-wrong"))),
            ))
        }
    }
}

/// The code page while the second factor is locked: until when, and that the account's
/// address was told.
fn locked_page(req: &HttpRequest, token: &str, until: i64, at: i64) -> HttpResponse {
    let message = Msg::new("console-code-locked")
        .arg("time", format!("{} UTC", super::pages::datetime(until)));
    let mut res = page(
        StatusCode::TOO_MANY_REQUESTS,
        code_page(req, token, Some(message)),
    );
    if let Ok(value) =
        actix_web::http::header::HeaderValue::from_str(&(until - at).max(1).to_string())
    {
        res.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, value);
    }
    res
}

/// The secret being enrolled travels in the form (it is on the page anyway), tied to
/// this session by a MAC so nobody can swap in a secret of their choosing.
fn enrol_mac(console: &Console, s: &SessionRecord, secret_b32: &str) -> String {
    hex::encode(
        &console
            .mac
            .mac("haven/totp-enrol", &[&s.id_hash, secret_b32.as_bytes()])[..16],
    )
}

fn enrol_page(
    req: &HttpRequest,
    console: &Console,
    s: &SessionRecord,
    user: &UserRecord,
    secret: &TotpSecret,
    problem: Option<&str>,
) -> Markup {
    let (lang, carry) = step_language(req);
    let b32 = secret.base32();
    let uri = totp::otpauth_uri(secret, ISSUER, &user.email);
    let errors: Vec<(&str, String)> = problem
        .map(|p| vec![("code", t(lang, p))])
        .unwrap_or_default();
    let title = t(lang, "console-enrol-title");
    render(
        &Shell {
            title: &title,
            staff: None,
            lang,
        },
        html! {
            (error_summary(lang, &errors))
            h1 { (title) }
            p { (t(lang, "console-enrol-intro")) }
            div class="qr" { (maud::PreEscaped(totp::qr_svg(&uri))) }
            p { (t(lang, "console-enrol-manual")) }
            p class="code" { (b32) }
            form method="post" action={ "/console/enrol" (carry) } novalidate {
                (csrf_field(&session::csrf_token(&console.mac, &s.id_hash)))
                input type="hidden" name="secret" value=(b32);
                input type="hidden" name="secret_mac" value=(enrol_mac(console, s, &b32));
                div class="field" {
                    label for="code" { (t(lang, "console-enrol-code")) }
                    input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" required;
                }
                button type="submit" { (t(lang, "console-enrol-submit")) }
            }
        },
    )
}

async fn show_enrol(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (s, user) = pending(&console, &req, Stage::Enrol).await?;
    let secret = TotpSecret::generate();
    Ok(page(
        StatusCode::OK,
        enrol_page(&req, &console, &s, &user, &secret, None),
    ))
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    secret_mac: String,
    #[serde(default)]
    code: String,
}

async fn enrol(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<EnrolForm>,
) -> Result<HttpResponse, AppError> {
    let (s, user) = pending(&console, &req, Stage::Enrol).await?;
    if !csrf::same_origin(&req)
        || !session::csrf_ok(&console.mac, &s.id_hash, &form.csrf)
        || enrol_mac(&console, &s, &form.secret) != form.secret_mac
    {
        return Err(AppError::Forbidden);
    }
    let secret = TotpSecret::from_base32(&form.secret).ok_or(AppError::BadRequest)?;
    let step = match totp::verify(&secret, &form.code, now(), None) {
        Ok(step) => step,
        Err(_) => {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                enrol_page(
                    &req,
                    &console,
                    &s,
                    &user,
                    &secret,
                    Some("console-enrol-wrong"),
                ),
            ));
        }
    };
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .filter_map(|c| totp::normalise_recovery_code(c))
        .map(|c| recovery_hash(&console, &user.id, &c))
        .collect();
    let actor = Actor::staff(&user.id);
    let subject = actor.to_string();
    console
        .store
        .enrol_totp(
            &user.id,
            &console.keyring.seal_totp_seed(secret.bytes())?,
            step,
            &hashes,
            &Entry::new(&actor, AuditAction::TotpEnrol, &subject)
                .detail(serde_json::json!({ "recovery_codes": hashes.len() })),
        )
        .await?;
    let signed_in = Entry::new(&actor, AuditAction::SigninOk, &subject)
        .detail(serde_json::json!({ "factors": 2, "second": "enrolment" }));
    let mut res = start_session(
        &console,
        &req,
        &user.id,
        Stage::Full,
        "/console",
        Some(signed_in),
    )
    .await?;
    let (lang, carry) = step_language(&req);
    // Shown once, never stored in the clear: the page replaces the redirect.
    let body = render(
        &Shell {
            title: &t(lang, "console-recovery-title"),
            staff: None,
            lang,
        },
        html! {
            h1 { (t(lang, "console-recovery-heading")) }
            p { (t(lang, "console-recovery-intro")) }
            ul class="recovery-codes" {
                @for c in &codes { li class="code" { (c) } }
            }
            p { a class="button" href={ "/console" (carry) } { (t(lang, "console-recovery-continue")) } }
        },
    );
    *res.status_mut() = StatusCode::OK;
    res.headers_mut().remove("location");
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_TYPE,
        actix_web::http::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(crate::web::errors::mark_rendered(res.set_body(
        actix_web::body::BoxBody::new(body.into_string()),
    )))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

async fn sign_out(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    console.store.delete_session(&staff.session_hash).await?;
    console
        .store
        .record_audit(&Entry::new(
            &staff.actor(),
            AuditAction::Signout,
            &staff.actor().to_string(),
        ))
        .await?;
    // The sign-in page stays in the language they were using.
    let mut res = see_other(&format!("/console/sign-in?lang={}", staff.lang.tag()));
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("clear-site-data"),
        actix_web::http::header::HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
    );
    res.add_cookie(&session::removal_cookie())
        .map_err(|_| AppError::Internal("cookie".into()))?;
    Ok(res)
}

async fn account(console: web::Data<Console>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let sessions = console.store.sessions_of(&staff.id).await?;
    let recovery_left = console.store.unused_recovery_codes(&staff.id).await?;
    let done = web::Query::<super::queues::Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let lang = staff.lang;
    let title = t(lang, "console-account-title");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang,
            },
            html! {
                (super::pages::flash_box(lang, done.as_deref()))
                h1 { (title) }
                dl class="summary" {
                    dt { (t(lang, "console-account-email")) } dd { (staff.email) }
                    dt { (t(lang, "console-account-two-step")) } dd { @if staff.has_totp { (t(lang, "console-on")) } @else { (t(lang, "console-off")) } }
                    dt { (t(lang, "console-account-recovery-left")) } dd { (recovery_left) }
                    dt { (t(lang, "language-switch")) } dd lang=(lang.tag()) { (lang.endonym()) }
                }
                h2 { (t(lang, "console-account-sessions")) }
                table {
                    thead { tr { th scope="col" { (t(lang, "console-account-signed-in")) } th scope="col" { (t(lang, "console-account-last-active")) } th scope="col" { "" } } }
                    tbody {
                        @for s in &sessions {
                            tr {
                                td { (super::pages::datetime(s.created_at)) " UTC" }
                                td { (super::pages::datetime(s.last_seen_at)) " UTC" }
                                td { @if s.id_hash == staff.session_hash { (t(lang, "console-account-this-session")) } }
                            }
                        }
                    }
                }
                form method="post" action="/console/account/sign-out-others" {
                    (csrf_field(&staff.csrf))
                    button type="submit" class="secondary" { (t(lang, "console-account-sign-out-others")) }
                }
            },
        ),
    ))
}

async fn sign_out_others(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let ended = console
        .store
        .delete_other_sessions(&staff.id, &staff.session_hash)
        .await?;
    console
        .store
        .record_audit(
            &Entry::new(
                &staff.actor(),
                AuditAction::SessionRevokeOthers,
                &staff.actor().to_string(),
            )
            .detail(serde_json::json!({ "sessions": ended })),
        )
        .await?;
    Ok(see_other("/console/account?done=signed-out-everywhere"))
}
