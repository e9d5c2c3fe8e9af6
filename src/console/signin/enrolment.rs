//! Setting up TOTP the first time (the stage a right password leads to when the
//! account must have a second factor and has none), and the recovery codes shown once.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::{ISSUER, pending, recovery_hash, start_session, step_language};
use crate::audit::{Actor, AuditAction, Entry};
use crate::auth::session::{self, Stage};
use crate::auth::totp::{self, TotpSecret};
use crate::console::pages::{Shell, csrf_field, error_summary, render};
use crate::console::{Console, page};
use crate::error::AppError;
use crate::i18n::t;
use crate::store::{SessionRecord, UserRecord, now};
use crate::web::csrf;

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

pub(super) async fn show_enrol(
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

pub(super) async fn enrol(
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
    let Ok(step) = totp::verify(&secret, &form.code, now(), None) else {
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
    };
    let codes = set_up(&console, &user, &secret, step).await?;
    let actor = Actor::staff(&user.id);
    let signed_in = Entry::new(&actor, AuditAction::SigninOk, &actor.to_string())
        .detail(serde_json::json!({ "factors": 2, "second": "enrolment" }));
    let res = start_session(
        &console,
        &req,
        &user.id,
        Stage::Full,
        "/console",
        Some(signed_in),
    )
    .await?;
    // Shown once, never stored in the clear: the page replaces the redirect.
    Ok(instead_of_redirect(res, recovery_codes_page(&req, &codes)))
}

/// Stores `secret` (sealed) as `user`'s TOTP, its first accepted `step`, and a fresh
/// set of recovery codes (keyed hashes), with the `totp.enrol` entry; returns the
/// codes, which exist in the clear only until the page showing them is sent.
async fn set_up(
    console: &Console,
    user: &UserRecord,
    secret: &TotpSecret,
    step: i64,
) -> Result<Vec<String>, AppError> {
    let codes = totp::generate_recovery_codes();
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .filter_map(|c| totp::normalise_recovery_code(c))
        .map(|c| recovery_hash(console, &user.id, &c))
        .collect();
    let actor = Actor::staff(&user.id);
    console
        .store
        .enrol_totp(
            &user.id,
            &console.keyring.seal_totp_seed(secret.bytes())?,
            step,
            &hashes,
            &Entry::new(&actor, AuditAction::TotpEnrol, &actor.to_string())
                .detail(serde_json::json!({ "recovery_codes": hashes.len() })),
        )
        .await?;
    Ok(codes)
}

fn recovery_codes_page(req: &HttpRequest, codes: &[String]) -> Markup {
    let (lang, carry) = step_language(req);
    render(
        &Shell {
            title: &t(lang, "console-recovery-title"),
            staff: None,
            lang,
        },
        html! {
            h1 { (t(lang, "console-recovery-heading")) }
            p { (t(lang, "console-recovery-intro")) }
            ul class="recovery-codes" {
                @for c in codes { li class="code" { (c) } }
            }
            p { a class="button" href={ "/console" (carry) } { (t(lang, "console-recovery-continue")) } }
        },
    )
}

/// `res` (a redirect carrying the new session's cookie) turned into `body` with 200.
fn instead_of_redirect(mut res: HttpResponse, body: Markup) -> HttpResponse {
    *res.status_mut() = StatusCode::OK;
    res.headers_mut().remove("location");
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_TYPE,
        actix_web::http::header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    crate::web::errors::mark_rendered(
        res.set_body(actix_web::body::BoxBody::new(body.into_string())),
    )
}
