//! One's own account: signing out, the account page with one's sessions, ending the
//! other sessions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::CsrfOnly;
use crate::audit::{AuditAction, Entry};
use crate::auth::session;
use crate::console::pages::{Shell, csrf_field, render};
use crate::console::{Console, page, see_other};
use crate::error::AppError;
use crate::i18n::t;

pub(super) async fn sign_out(
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

pub(super) async fn account(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let sessions = console.store.sessions_of(&staff.id).await?;
    let recovery_left = console.store.unused_recovery_codes(&staff.id).await?;
    let done = web::Query::<crate::console::queues::Done>::from_query(req.query_string())
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
                (crate::console::pages::flash_box(lang, done.as_deref()))
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
                                td { (crate::console::pages::datetime(s.created_at)) " UTC" }
                                td { (crate::console::pages::datetime(s.last_seen_at)) " UTC" }
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

pub(super) async fn sign_out_others(
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
