//! Instance administration: staff accounts (`users`, `changes`) and the audit log
//! (`audit`).
//! Only instance admins reach these pages; to anyone else they do not exist (404).
//! Every change asks for the admin's own password again (`reauth`, ASVS 3.7.1) and is
//! audited with the change.

mod audit;
mod changes;
mod reauth;
mod users;

use actix_web::{HttpRequest, web};

pub(super) use reauth::{Reauth, reauth_message, reauthenticate, reauthenticate_for};

use super::Console;
use crate::auth::Staff;
use crate::casework::{Action, ProgrammeRole};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::t;
use crate::store::{UserRecord, now};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/users")
            .route(web::get().to(users::users))
            .route(web::post().to(users::add_user)),
    )
    .route("/users/{id}/grant", web::post().to(changes::grant))
    .route("/users/{id}/reset-2fa", web::post().to(changes::reset_totp))
    .route("/users/{id}/disable", web::post().to(changes::disable))
    .route("/users/{id}/enable", web::post().to(changes::enable))
    .route("/audit", web::get().to(audit::audit_log));
}

/// The signed-in staff member, if they may do `action` to the instance; to anyone
/// else the page does not exist.
pub(super) async fn admin(
    console: &Console,
    req: &HttpRequest,
    action: Action,
) -> Result<Staff, AppError> {
    let staff = console.staff(req).await?;
    if staff.may(action) {
        Ok(staff)
    } else {
        Err(AppError::NotFound)
    }
}

pub(super) async fn admin_posting(
    console: &Console,
    req: &HttpRequest,
    csrf: &str,
) -> Result<Staff, AppError> {
    let staff = console.staff_posting(req, csrf).await?;
    if staff.may(Action::ManageAccounts) {
        Ok(staff)
    } else {
        Err(AppError::NotFound)
    }
}

pub(crate) fn role_label(lang: Language, role: ProgrammeRole) -> String {
    t(
        lang,
        match role {
            ProgrammeRole::Agent => "admin-role-agent",
            ProgrammeRole::Supervisor => "admin-role-supervisor",
            ProgrammeRole::Admin => "admin-role-admin",
        },
    )
}

/// The message naming an account's state.
pub(crate) fn state(u: &UserRecord) -> &'static str {
    if u.disabled {
        "admin-state-disabled"
    } else if u.totp_ciphertext.is_none() && u.enrol_by.is_some_and(|by| now() > by) {
        "admin-state-lapsed"
    } else if u.totp_ciphertext.is_none() {
        "admin-state-waiting"
    } else {
        "admin-state-active"
    }
}
