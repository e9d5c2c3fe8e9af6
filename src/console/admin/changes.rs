//! The changes to one account from the users page: a role in a programme, resetting
//! the second factor, disabling and enabling. Each asks for the admin's password and
//! never applies to the admin's own account.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::users::{AddUserForm, users_page};
use super::{admin_posting, reauth_message, reauthenticate};
use crate::audit::{Actor, AuditAction, Entry};
use crate::auth::Staff;
use crate::auth::accounts::{self, AccountError, ENROL_WITHIN_SECS};
use crate::casework::ProgrammeRole;
use crate::console::{Console, page, see_other};
use crate::error::AppError;
use crate::store::{UserRecord, now};

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    programme: String,
}

/// The common start of every per-user change: an admin, their password, a real target
/// that is not themselves.
async fn target(
    console: &Console,
    req: &HttpRequest,
    id: &str,
    form: &ConfirmForm,
) -> Result<Result<(Staff, UserRecord), HttpResponse>, AppError> {
    let staff = admin_posting(console, req, &form.csrf).await?;
    let user = console.store.user(id).await?.ok_or(AppError::NotFound)?;
    if user.id == staff.id {
        return Err(AppError::BadRequest);
    }
    let reauth = reauthenticate(console, req, &staff, &form.current_password).await?;
    if !reauth.confirmed() {
        return Ok(Err(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            users_page(
                console,
                &staff,
                &AddUserForm::default(),
                &[(
                    "current_password",
                    reauth_message(staff.lang, reauth, "admin-error-wrong-password-unchanged"),
                )],
                None,
            )
            .await?,
        )));
    }
    Ok(Ok((staff, user)))
}

pub(super) async fn grant(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    let role = ProgrammeRole::parse(&form.role).ok_or(AppError::BadRequest)?;
    match accounts::grant(
        &console.store,
        &user.email,
        role,
        &form.programme,
        &staff.actor(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/admin/users?done=user-added")),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(_) => Err(AppError::BadRequest),
    }
}

pub(super) async fn reset_totp(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    console
        .store
        .reset_totp(
            &user.id,
            now() + ENROL_WITHIN_SECS,
            &Entry::new(
                &staff.actor(),
                AuditAction::UserReset2fa,
                &Actor::staff(&user.id).to_string(),
            ),
        )
        .await?;
    Ok(see_other("/admin/users?done=reset"))
}

async fn set_disabled(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let (staff, user) = match target(&console, &req, &id, &form).await? {
        Ok(t) => t,
        Err(res) => return Ok(res),
    };
    let action = if disabled {
        AuditAction::UserDisable
    } else {
        AuditAction::UserEnable
    };
    console
        .store
        .set_user_disabled(
            &user.id,
            disabled,
            &Entry::new(&staff.actor(), action, &Actor::staff(&user.id).to_string()),
        )
        .await?;
    Ok(see_other(if disabled {
        "/admin/users?done=disabled"
    } else {
        "/admin/users?done=enabled"
    }))
}

pub(super) async fn disable(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(console, req, id, form, true).await
}

pub(super) async fn enable(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(console, req, id, form, false).await
}
