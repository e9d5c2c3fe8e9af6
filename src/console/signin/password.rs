//! The first step of signing in: the address and password.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{
    SIGN_IN_SCOPE, THROTTLED, account_key, check_attempt, first_in_window, record_throttled,
    start_session, step_language,
};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::session::Stage;
use crate::auth::signin::{self, Refusal};
use crate::auth::{Staff, current_session};
use crate::console::pages::{Shell, csrf_field, error_summary, render};
use crate::console::{Console, page, see_other};
use crate::error::AppError;
use crate::i18n::t;
use crate::metrics::Metrics;
use crate::store::{UserRecord, now};
use crate::web::client::{ClientKey, client_key};
use crate::web::csrf;

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

pub(super) async fn show_sign_in(console: web::Data<Console>, req: HttpRequest) -> HttpResponse {
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
const BUSY: &str = "console-signin-busy";

/// What a password attempt came to.
pub enum SignIn {
    /// No place to hash the password now: nothing was counted.
    Busy,
    /// The account's or the client's limit refused; the password was not looked at.
    Throttled,
    /// Not let in (recorded as the refusal says).
    Refused(Refusal),
    /// The password matched an account that may sign in; it goes on to `stage`.
    Authenticated { user: UserRecord, stage: Stage },
}

pub(super) async fn sign_in(
    console: web::Data<Console>,
    metrics: web::Data<Metrics>,
    req: HttpRequest,
    form: web::Form<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let email = form.email.trim().to_lowercase();
    let fresh = csrf::issue(&console.mac, SIGN_IN_SCOPE, now());
    let refused = |status: StatusCode, problem: &str| -> Result<HttpResponse, AppError> {
        Ok(page(
            status,
            sign_in_page(&req, &fresh, &email, Some(problem)),
        ))
    };
    if !csrf::same_origin(&req) || !csrf::verify(&console.mac, SIGN_IN_SCOPE, &form.csrf, now()) {
        return refused(StatusCode::FORBIDDEN, "console-signin-expired");
    }
    let client = client_key(&req, &console.config.trusted_proxies);
    match attempt(&console, &metrics, &req, client, &email, form.password).await? {
        SignIn::Busy => {
            let mut res = page(
                StatusCode::SERVICE_UNAVAILABLE,
                sign_in_page(&req, &fresh, &email, Some(BUSY)),
            );
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("5"),
            );
            Ok(res)
        }
        SignIn::Throttled => refused(StatusCode::TOO_MANY_REQUESTS, THROTTLED),
        SignIn::Refused(_) => refused(StatusCode::UNAUTHORIZED, WRONG),
        SignIn::Authenticated { user, stage } => {
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
    }
}

/// One password attempt for the typed address `email` from `client`: a place at the
/// password gate, then the limits, then the hash; refusals are counted and recorded
/// here (a refusal for an account that does not exist once per window).
pub async fn attempt(
    console: &Console,
    metrics: &Metrics,
    req: &HttpRequest,
    client: ClientKey,
    email: &str,
    password: String,
) -> Result<SignIn, AppError> {
    // The gate first: a place is refused before anything is counted or hashed, so a
    // staff member retrying while it is full does not use up their own attempts.
    let Ok(admission) = console.gate.admit(client) else {
        metrics.signin_refusal("busy");
        return Ok(SignIn::Busy);
    };
    let account = account_key(email);
    let check = check_attempt(console, req, &account).await?;
    if !check.allowed() {
        drop(admission);
        record_throttled(
            console,
            req,
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
        return Ok(SignIn::Throttled);
    }
    if password.chars().count() > crate::auth::password::MAX_CHARS {
        return Ok(SignIn::Refused(Refusal::Oversized));
    }
    let user = console.store.user_by_email(email).await?;
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let matches = admission
        .verify(phc, password)
        .await
        .map_err(|_| AppError::Internal("password check did not finish".into()))?;
    if let Err(refusal) = signin::judge(user.as_ref(), matches, now()) {
        let (actor, subject) = match &user {
            Some(u) => (Actor::staff(&u.id), Actor::staff(&u.id).to_string()),
            None => (Actor::Anonymous, "account:unknown".into()),
        };
        // A failure for an account that does not exist says nothing about anyone:
        // counted, and written once per window (like throttling), so made-up
        // addresses cannot grow the audit log.
        let unknown = refusal == Refusal::UnknownAccount;
        if unknown {
            metrics.signin_refusal("unknown-account");
        }
        if !unknown || first_in_window(console, b"unknown-account").await? {
            console
                .store
                .record_audit(
                    &Entry::new(&actor, AuditAction::SigninFailed, &subject)
                        .outcome(Outcome::Denied)
                        .detail(serde_json::json!({ "reason": refusal.reason() })),
                )
                .await?;
        }
        metrics.signin_failures.inc();
        return Ok(SignIn::Refused(refusal));
    }
    let user = user.ok_or_else(|| AppError::Internal("judged without an account".into()))?;
    let needs = user.totp_ciphertext.is_none() && needs_second_factor(console, &user).await?;
    let stage = signin::stage_after_password(&user, needs);
    Ok(SignIn::Authenticated { user, stage })
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
