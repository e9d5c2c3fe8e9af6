//! The second step of signing in: a TOTP code or a recovery code, with the lock that
//! repeated wrong codes set (`auth::lockout`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    THROTTLED, account_key, check_attempt, pending, record_throttled, recovery_hash, start_session,
    step_language,
};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::lockout::{self, AfterFailure};
use crate::auth::session::{self, Stage};
use crate::auth::signin::{CodeRefusal, Factor};
use crate::auth::totp::{self, TotpError, TotpSecret};
use crate::console::pages::{Shell, csrf_field, error_summary, render};
use crate::console::{Console, page};
use crate::error::AppError;
use crate::i18n::{Msg, t};
use crate::metrics::Metrics;
use crate::store::{SecondFactorLock, UserRecord, now};
use crate::web::csrf;

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

pub(super) async fn show_code(
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

/// What a second-factor code came to.
pub enum CodeCheck {
    /// The account's or the client's limit refused; the code was not looked at.
    Throttled,
    /// The second factor was already locked until then: the code was not looked at.
    Locked { until: i64 },
    /// Wrong; the failure was recorded and counted towards a lock.
    Wrong(CodeRefusal),
    /// Wrong, and this failure locked the second factor until then.
    LockedNow { until: i64 },
    /// Right: signing in can complete.
    Accepted(Factor),
}

pub(super) async fn check_code(
    console: web::Data<Console>,
    metrics: web::Data<Metrics>,
    req: HttpRequest,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, AppError> {
    let (s, user) = pending(&console, &req, Stage::SecondFactor).await?;
    let token = session::csrf_token(&console.mac, &s.id_hash);
    if !csrf::same_origin(&req) || !session::csrf_ok(&console.mac, &s.id_hash, &form.csrf) {
        return Err(AppError::Forbidden);
    }
    let at = now();
    match check(&console, &metrics, &req, &user, &form.code, at).await? {
        CodeCheck::Throttled => Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            code_page(&req, &token, Some(Msg::new(THROTTLED))),
        )),
        CodeCheck::Locked { until } | CodeCheck::LockedNow { until } => {
            Ok(locked_page(&req, &token, until, at))
        }
        CodeCheck::Wrong(_) => Ok(page(
            StatusCode::UNAUTHORIZED,
            code_page(&req, &token, Some(Msg::new("console-code-wrong"))),
        )),
        CodeCheck::Accepted(factor) => {
            let actor = Actor::staff(&user.id);
            let signed_in = Entry::new(&actor, AuditAction::SigninOk, &actor.to_string())
                .detail(serde_json::json!({ "factors": 2, "second": factor.as_str() }));
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
    }
}

/// One second-factor attempt by `user` at time `at`: the limits, then the lock, then
/// the code (a recovery code if it reads as one, else TOTP). Failures are recorded,
/// and enough of them lock the second factor.
pub async fn check(
    console: &Console,
    metrics: &Metrics,
    req: &HttpRequest,
    user: &UserRecord,
    code: &str,
    at: i64,
) -> Result<CodeCheck, AppError> {
    let actor = Actor::staff(&user.id);
    let subject = actor.to_string();
    let account = account_key(&subject);
    let check = check_attempt(console, req, &account).await?;
    if !check.allowed() {
        record_throttled(
            console,
            req,
            check,
            &account,
            Entry::new(&actor, AuditAction::SigninThrottled, &subject).outcome(Outcome::Denied),
        )
        .await?;
        metrics.signin_failures.inc();
        return Ok(CodeCheck::Throttled);
    }
    // Locked after repeated wrong codes (`auth::lockout`): the code is not even looked at.
    if let Some(until) = console
        .store
        .second_factor_locked_until(&user.id, at)
        .await?
    {
        metrics.signin_failures.inc();
        return Ok(CodeCheck::Locked { until });
    }
    let refusal = match verify(console, user, code, at).await? {
        Ok(factor) => {
            console.store.clear_second_factor_failures(&user.id).await?;
            return Ok(CodeCheck::Accepted(factor));
        }
        Err(refusal) => refusal,
    };
    metrics.signin_failures.inc();
    console
        .store
        .record_audit(
            &Entry::new(&actor, AuditAction::SigninFailed, &subject)
                .outcome(refusal.outcome())
                .detail(
                    serde_json::json!({ "stage": "second-factor", "reason": refusal.reason() }),
                ),
        )
        .await?;
    Ok(match count_failure(console, &actor, &user.id, at).await? {
        Some(lock) => {
            metrics.second_factor_locks.inc();
            CodeCheck::LockedNow { until: lock.until }
        }
        None => CodeCheck::Wrong(refusal),
    })
}

/// Counts a wrong code: they add up across minutes, and enough of them lock the second
/// factor, email the account's own address and raise an alert, in one transaction.
async fn count_failure(
    console: &Console,
    actor: &Actor,
    user_id: &str,
    at: i64,
) -> Result<Option<SecondFactorLock>, AppError> {
    let subject = actor.to_string();
    Ok(console
        .store
        .record_second_factor_failure(
            user_id,
            at,
            |failures, locks| match lockout::after_failure(failures, locks, at) {
                AfterFailure::Locked { until, nth } => Some(SecondFactorLock { until, nth }),
                AfterFailure::Counted { .. } => None,
            },
            |lock| {
                Entry::new(actor, AuditAction::SigninSecondFactorLocked, &subject)
                    .outcome(Outcome::Alert)
                    .detail(serde_json::json!({
                        "failures": lockout::FAILURES_PER_LOCK,
                        "lock": lock.nth,
                        "locked_for_secs": lock.until - at,
                    }))
            },
        )
        .await?)
}

/// Whether `code` is an unused recovery code of `user` (if it reads as one) or its
/// current TOTP code; a right one is used up here (a code works once, on any instance).
async fn verify(
    console: &Console,
    user: &UserRecord,
    code: &str,
    at: i64,
) -> Result<Result<Factor, CodeRefusal>, AppError> {
    Ok(
        match (&user.totp_ciphertext, totp::normalise_recovery_code(code)) {
            (_, Some(recovery)) => {
                if console
                    .store
                    .use_recovery_code(&user.id, &recovery_hash(console, &user.id, &recovery))
                    .await?
                {
                    Ok(Factor::RecoveryCode)
                } else {
                    Err(CodeRefusal::RecoveryCode)
                }
            }
            (Some(sealed), None) => {
                let secret = TotpSecret::from_bytes(
                    secrecy::ExposeSecret::expose_secret(&console.keyring.open_totp_seed(sealed)?)
                        .clone(),
                );
                match totp::verify(&secret, code, at, user.totp_last_step) {
                    Ok(step) if console.store.accept_totp_step(&user.id, step).await? => {
                        Ok(Factor::Totp)
                    }
                    Ok(_) | Err(TotpError::Reused) => Err(CodeRefusal::TotpReused),
                    Err(TotpError::Invalid) => Err(CodeRefusal::Totp),
                }
            }
            (None, None) => Err(CodeRefusal::NoFactor),
        },
    )
}

/// The code page while the second factor is locked: until when, and that the account's
/// address was told.
fn locked_page(req: &HttpRequest, token: &str, until: i64, at: i64) -> HttpResponse {
    let message = Msg::new("console-code-locked").arg(
        "time",
        format!("{} UTC", crate::console::pages::datetime(until)),
    );
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
