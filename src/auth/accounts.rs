//! Creating staff accounts and giving them roles: one implementation for
//! `haven user add` and the admin page, so both apply the same rules.

use std::sync::Arc;

use super::password::{Hasher, NewPassword, PasswordRejected};
use crate::audit::{Actor, AuditAction, Entry};
use crate::casework::ProgrammeRole;
use crate::crypto::random_id;
use crate::domain::EmailAddress;
use crate::store::{NewUser, Store, StoreError, now};

/// How long a new account (or one whose second factor was reset) has to sign in and
/// set up TOTP: first-login secrets expire (ASVS 2.3.1).
pub const ENROL_WITHIN_SECS: i64 = 72 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("that is not a valid email address")]
    InvalidEmail,
    #[error(transparent)]
    Password(#[from] PasswordRejected),
    #[error("an agent or supervisor needs a programme (--programme SLUG)")]
    ProgrammeRequired,
    #[error("there is no programme {0:?}")]
    UnknownProgramme(String),
    #[error("an account with that email address already exists")]
    Exists,
    #[error("no such account")]
    UnknownUser,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct AccountRequest<'a> {
    pub email: &'a str,
    pub role: ProgrammeRole,
    /// `None` with the admin role: an instance admin (every programme, users, audit).
    pub programme: Option<&'a str>,
    pub password: &'a str,
}

/// Where a new password is hashed: a `Hasher` of its own (the command line), or a
/// place admitted by the server's `PasswordGate` (the admin page).
pub trait HashPassword {
    fn hash_password(self, password: NewPassword) -> impl Future<Output = Option<String>> + Send;
}

impl HashPassword for Arc<Hasher> {
    async fn hash_password(self, password: NewPassword) -> Option<String> {
        tokio::task::spawn_blocking(move || self.hash(&password))
            .await
            .ok()
    }
}

impl HashPassword for super::gate::Admission {
    async fn hash_password(self, password: NewPassword) -> Option<String> {
        self.hash(password).await.ok()
    }
}

/// Creates the account; returns its id. The password is hashed off the async threads.
pub async fn create_account(
    store: &Store,
    hasher: impl HashPassword,
    request: AccountRequest<'_>,
    actor: &Actor,
) -> Result<String, AccountError> {
    let email = EmailAddress::parse(request.email)
        .map_err(|_| AccountError::InvalidEmail)?
        .normalised();
    let password = NewPassword::parse(request.password)?;
    let programme = match (request.programme, request.role) {
        (None, ProgrammeRole::Admin) => None,
        (None, _) => return Err(AccountError::ProgrammeRequired),
        (Some(slug), _) => Some(programme_id(store, slug).await?),
    };
    if store.user_by_email(&email).await?.is_some() {
        return Err(AccountError::Exists);
    }
    let password_hash = hasher
        .hash_password(password)
        .await
        .ok_or(StoreError::Corrupt("password hashing stopped"))?;
    let id = random_id();
    let user = NewUser {
        id: id.clone(),
        email,
        password_hash,
        is_admin: programme.is_none(),
        enrol_by: now() + ENROL_WITHIN_SECS,
    };
    let entry = Entry::new(actor, AuditAction::UserAdd, &Actor::staff(&id).to_string()).detail(
        serde_json::json!({
            "role": request.role.as_str(),
            "programme": request.programme,
        }),
    );
    store
        .create_user(
            &user,
            programme.as_deref().map(|p| (p, request.role)),
            &entry,
        )
        .await?;
    Ok(id)
}

/// Gives an existing account a role in a programme.
pub async fn grant(
    store: &Store,
    email: &str,
    role: ProgrammeRole,
    programme: &str,
    actor: &Actor,
) -> Result<(), AccountError> {
    let user = store
        .user_by_email(&email.trim().to_lowercase())
        .await?
        .ok_or(AccountError::UnknownUser)?;
    let programme_id = programme_id(store, programme).await?;
    let entry = Entry::new(
        actor,
        AuditAction::UserGrant,
        &Actor::staff(&user.id).to_string(),
    )
    .detail(serde_json::json!({ "role": role.as_str(), "programme": programme }));
    store.grant(&user.id, &programme_id, role, &entry).await?;
    Ok(())
}

async fn programme_id(store: &Store, slug: &str) -> Result<String, AccountError> {
    store
        .programme_by_slug(slug)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| AccountError::UnknownProgramme(slug.to_owned()))
}
