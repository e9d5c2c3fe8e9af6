//! Re-authentication: a staff member types their password again before an action
//! that needs it (ASVS 3.7.1). A [`Reauthenticated`] is the proof, and only this
//! module makes one, after the password matched an active account; functions that
//! must not run without it (a programme change that widens who can read data,
//! [`crate::programme::editing::save`]) take it as an argument, so no caller can
//! forget to ask.
//!
//! Throttling is the caller's, before the password is looked at: the console shares
//! the sign-in limiter and window; the command line ([`confirm_by_email`]) counts in
//! the same per-account window, so neither is a side door for guessing.

use std::sync::Arc;

use sha2::Digest;

use super::password::Hasher;
use crate::store::{Store, StoreError, UserRecord, now};

/// Proof that the account `user_id` typed its password for this request.
#[derive(Debug)]
pub struct Reauthenticated {
    user_id: String,
    instance_admin: bool,
}

impl Reauthenticated {
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The account is an instance admin (not only a programme's admin).
    pub fn instance_admin(&self) -> bool {
        self.instance_admin
    }
}

/// Where a re-authentication's hash runs: a place the server's [`PasswordGate`]
/// admitted (the console: every hash of a server goes through the gate), or a blocking
/// thread of its own (the command line).
///
/// [`PasswordGate`]: super::gate::PasswordGate
pub trait CheckPassword {
    /// Whether `candidate` matches `phc`; with no stored hash, the same work and `false`.
    /// `None` if the hashing task stopped.
    fn check(
        self,
        phc: Option<String>,
        candidate: zeroize::Zeroizing<String>,
    ) -> impl Future<Output = Option<bool>> + Send;
}

impl CheckPassword for super::gate::Admission {
    async fn check(
        self,
        phc: Option<String>,
        candidate: zeroize::Zeroizing<String>,
    ) -> Option<bool> {
        self.verify(phc, candidate.to_string()).await.ok()
    }
}

impl CheckPassword for &Arc<Hasher> {
    async fn check(
        self,
        phc: Option<String>,
        candidate: zeroize::Zeroizing<String>,
    ) -> Option<bool> {
        let hasher = self.clone();
        tokio::task::spawn_blocking(move || match phc {
            Some(phc) => hasher.verify(&phc, &candidate),
            None => {
                hasher.verify_dummy(&candidate);
                false
            }
        })
        .await
        .ok()
    }
}

/// Checks `password` against `user_id`'s; `None` if it does not match, or the account
/// is gone or disabled. The hash runs off the async threads (`CheckPassword`).
pub async fn confirm(
    store: &Store,
    checker: impl CheckPassword,
    user_id: &str,
    password: &str,
) -> Result<Option<Reauthenticated>, StoreError> {
    let user = store.user(user_id).await?;
    Ok(verify(checker, user, password).await)
}

async fn verify(
    checker: impl CheckPassword,
    user: Option<UserRecord>,
    password: &str,
) -> Option<Reauthenticated> {
    let password = zeroize::Zeroizing::new(password.to_owned());
    // Disabled accounts are checked too, so timing says nothing.
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let matches = checker.check(phc, password).await?;
    match user {
        Some(user) if matches && !user.disabled => Some(Reauthenticated {
            user_id: user.id,
            instance_admin: user.is_admin,
        }),
        _ => None,
    }
}

/// The per-account throttle key shared by sign-in and re-authentication.
pub fn account_key(user_id: &str) -> [u8; 32] {
    sha2::Sha256::new()
        .chain_update(crate::audit::Actor::staff(user_id).to_string())
        .finalize()
        .into()
}

/// The shared per-account window (seconds), as sign-in counts it.
pub const WINDOW_SECS: i64 = 60;

/// Why the command line's re-authentication did not go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Wrong password, unknown or disabled account.
    Denied,
    /// Too many attempts for the account in the window: not checked.
    Throttled,
}

/// Re-authentication on the command line (`programme apply --as EMAIL`): the account
/// named by `email`, its password, counted in the account's sign-in window
/// (`attempts_per_minute`) before anything is checked. `Err` carries the account id
/// when there is one, for the audit entry.
pub async fn confirm_by_email(
    store: &Store,
    hasher: &Arc<Hasher>,
    email: &str,
    password: &str,
    attempts_per_minute: u32,
) -> Result<Result<Reauthenticated, (Refused, Option<String>)>, StoreError> {
    let user = store.user_by_email(email.trim()).await?;
    let id = user.as_ref().map(|u| u.id.clone());
    if let Some(id) = &id {
        let key = [b"signin:".as_slice(), &account_key(id)].concat();
        if store.count_in_window(&key, now(), WINDOW_SECS).await? > i64::from(attempts_per_minute) {
            return Ok(Err((Refused::Throttled, Some(id.clone()))));
        }
    }
    Ok(verify(hasher, user, password)
        .await
        .ok_or((Refused::Denied, id)))
}
