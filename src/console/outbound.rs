//! The emergency stop for all outbound mail, for instance admins (`/admin/outbound`):
//! its state, and pause or resume with a reason. The same as `haven outbound
//! pause|resume|status` (`outbound::stop`); both audited with who and why.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, render};
use super::{Console, page, see_other};
use crate::auth::Staff;
use crate::casework::Action;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::outbound::stop;
use crate::store::Hold;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/outbound", web::get().to(show))
        .route("/outbound/pause", web::post().to(pause))
        .route("/outbound/resume", web::post().to(resume));
}

#[derive(Deserialize)]
pub struct StopForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// Resuming sends mail again: the staff member's password, typed again.
    #[serde(default)]
    password: String,
}

impl StopForm {
    pub(super) fn csrf(&self) -> &str {
        &self.csrf
    }

    pub(super) fn reason(&self) -> &str {
        &self.reason
    }

    pub(super) fn password(&self) -> &str {
        &self.password
    }
}

/// A stop's state line: who, when and why (a staff actor shown by address).
pub(super) async fn describe(
    console: &Console,
    staff: &Staff,
    hold: &Hold,
    key: &str,
) -> Result<String, AppError> {
    let who = match hold.held_by.strip_prefix("user:") {
        Some(id) => console
            .store
            .list_users()
            .await?
            .into_iter()
            .find(|u| u.id == id)
            .map_or_else(|| hold.held_by.clone(), |u| u.email),
        None => hold.held_by.clone(),
    };
    Ok(t_args(
        staff.lang,
        key,
        &[
            ("who", who),
            ("time", datetime(hold.held_at)),
            ("reason", hold.reason.clone()),
        ],
    ))
}

/// The reason field and a button, posting to `action`.
pub(super) fn stop_form(staff: &Staff, action: &str, button: &str, id: &str) -> Markup {
    reason_form(staff, action, button, id, false)
}

/// [`stop_form`] with a password field too: resuming widens sending again.
pub(super) fn resume_form(staff: &Staff, action: &str, button: &str, id: &str) -> Markup {
    reason_form(staff, action, button, id, true)
}

fn reason_form(staff: &Staff, action: &str, button: &str, id: &str, password: bool) -> Markup {
    let lang = staff.lang;
    html! {
        form method="post" action=(action) novalidate {
            (csrf_field(&staff.csrf))
            div class="field" {
                label for=(id) { (t(lang, "mail-stop-reason")) }
                input type="text" id=(id) name="reason" maxlength="500";
            }
            @if password {
                div class="field" {
                    label for={ (id) "-password" } { (t(lang, "review-resume-password")) }
                    input type="password" id={ (id) "-password" } name="password" autocomplete="current-password";
                }
            }
            button type="submit" class="warning" { (t(lang, button)) }
        }
    }
}

async fn admin(console: &Console, req: &HttpRequest) -> Result<Staff, AppError> {
    let staff = console.staff(req).await?;
    if staff.may(Action::StopOutbound) {
        Ok(staff)
    } else {
        Err(AppError::NotFound)
    }
}

async fn outbound_page(
    console: &Console,
    staff: &Staff,
    status: StatusCode,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let lang = staff.lang;
    let hold = stop::status(&console.store).await?;
    let state = match &hold {
        Some(h) => describe(console, staff, h, "mail-outbound-paused").await?,
        None => t(lang, "mail-outbound-sending"),
    };
    let title = t(lang, "mail-outbound-title");
    let body = html! {
        h1 { (title) }
        @if let Some(problem) = &problem {
            div class="error-summary" role="alert" { p { (problem) } }
        }
        p id="outbound-state" class=(if hold.is_some() { "warning" } else { "" }) { (state) }
        p { (t(lang, "mail-outbound-intro")) }
        @if hold.is_some() {
            (resume_form(staff, "/admin/outbound/resume", "mail-outbound-resume", "reason"))
        } @else {
            (stop_form(staff, "/admin/outbound/pause", "mail-outbound-pause", "reason"))
        }
    };
    Ok(page(
        status,
        render(
            &Shell {
                title: &title,
                staff: Some(staff),
                lang,
            },
            body,
        ),
    ))
}

async fn show(console: web::Data<Console>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let staff = admin(&console, &req).await?;
    outbound_page(&console, &staff, StatusCode::OK, None).await
}

async fn change(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<StopForm>,
    pausing: bool,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    if !staff.may(Action::StopOutbound) {
        return Err(AppError::NotFound);
    }
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if form.reason.trim().is_empty() {
        let said = t(staff.lang, "mail-stop-reason-missing");
        return outbound_page(&console, &staff, refused, Some(said)).await;
    }
    // Resuming lets every held message go: the password again (issue 19 item 5).
    if !pausing
        && let Err(outcome) =
            super::admin::reauthenticate_for(&console, &req, &staff, &form.password).await?
    {
        let said = super::admin::reauth_message(staff.lang, outcome, "review-password-wrong");
        return outbound_page(&console, &staff, refused, Some(said)).await;
    }
    if pausing {
        stop::pause_all(&console.store, &staff.actor(), &form.reason).await?;
    } else {
        stop::resume_all(&console.store, &staff.actor(), &form.reason).await?;
    }
    Ok(see_other("/admin/outbound"))
}

async fn pause(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<StopForm>,
) -> Result<HttpResponse, AppError> {
    change(console, req, form, true).await
}

async fn resume(
    console: web::Data<Console>,
    req: HttpRequest,
    form: web::Form<StopForm>,
) -> Result<HttpResponse, AppError> {
    change(console, req, form, false).await
}
