//! Signing in: password (`password`), then a TOTP or recovery code (`second_factor`)
//! or, the first time, setting up TOTP (`enrolment`); signing out and one's own
//! sessions (`account`). This module holds what the steps share: the throttle, the
//! audit ceiling for unauthenticated events, and starting each step's session.
//!
//! Every step that accepts a secret is throttled per account and per client before
//! the secret is even looked at, so while an account is throttled a right password
//! gets exactly the answer a wrong one gets. Unknown accounts cost the same argon2
//! work and get the same page as wrong passwords. Each step issues a new session
//! token, so a token planted before sign-in is useless after it.

mod account;
mod enrolment;
pub mod password;
pub mod second_factor;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Console, see_other};
use crate::audit::Entry;
use crate::auth::current_session;
use crate::auth::session::{self, Stage};
use crate::domain::Language;
use crate::error::AppError;
use crate::store::{NewSession, SessionRecord, UserRecord, now};
use crate::web::client::client_key;
use crate::web::ratelimit::SigninCheck;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/sign-in")
            .route(web::get().to(password::show_sign_in))
            .route(web::post().to(password::sign_in)),
    )
    .service(
        web::resource("/sign-in/code")
            .route(web::get().to(second_factor::show_code))
            .route(web::post().to(second_factor::check_code)),
    )
    .service(
        web::resource("/enrol")
            .route(web::get().to(enrolment::show_enrol))
            .route(web::post().to(enrolment::enrol)),
    )
    .route("/sign-out", web::post().to(account::sign_out))
    .route("/account", web::get().to(account::account))
    .route(
        "/account/sign-out-others",
        web::post().to(account::sign_out_others),
    );
}

const SIGN_IN_SCOPE: &str = "staff-sign-in";
const ISSUER: &str = "Haven";
/// The throttled message, the same at both steps.
const THROTTLED: &str = "console-signin-throttled";

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

pub fn recovery_hash(console: &Console, user_id: &str, code: &str) -> Vec<u8> {
    console
        .mac
        .mac(
            "haven/recovery-code",
            &[user_id.as_bytes(), code.as_bytes()],
        )
        .to_vec()
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}
