//! Asking for the admin's (or a programme admin's) own password again before a change,
//! throttled like sign-in.

use actix_web::HttpRequest;

use crate::audit::{AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::console::Console;
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::t;
use crate::store::now;

/// The outcome of asking for the admin's password again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reauth {
    Confirmed,
    /// The password was wrong (or the account is gone).
    Refused,
    /// Too many attempts for this account or address within the sign-in window: the
    /// password was not even checked, so saying "not right" would be untrue and would
    /// send the admin retyping a correct password into the same wall.
    Throttled,
    /// Password hashing was full (`auth::gate`): not checked either; try again soon.
    Busy,
}

impl Reauth {
    pub(crate) fn confirmed(self) -> bool {
        self == Reauth::Confirmed
    }
}

/// Re-authentication: the admin's own password, throttled like sign-in (the same
/// limiter and quota, so re-authentication is no side door for guessing).
pub(crate) async fn reauthenticate(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    password: &str,
) -> Result<Reauth, AppError> {
    Ok(
        match reauthenticate_for(console, req, staff, password).await? {
            Ok(_) => Reauth::Confirmed,
            Err(refused) => refused,
        },
    )
}

/// [`reauthenticate`], with the proof that functions which must not run without it
/// take ([`crate::auth::reauth::Reauthenticated`]).
pub(crate) async fn reauthenticate_for(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    password: &str,
) -> Result<Result<crate::auth::reauth::Reauthenticated, Reauth>, AppError> {
    let key = crate::auth::reauth::account_key(&staff.id);
    // A place for the hash first, as at sign-in: refused before anything is counted.
    let client = crate::web::client::client_key(req, &console.config.trusted_proxies);
    let Ok(admission) = console.gate.admit(client) else {
        return Ok(Err(Reauth::Busy));
    };
    let check = crate::console::signin::check_attempt(console, req, &key).await?;
    if !check.allowed() {
        drop(admission);
        crate::console::signin::record_throttled(
            console,
            req,
            check,
            &key,
            Entry::new(
                &staff.actor(),
                AuditAction::ReauthFailed,
                &staff.actor().to_string(),
            )
            .outcome(Outcome::Throttled),
        )
        .await?;
        return Ok(Err(Reauth::Throttled));
    }
    match crate::auth::reauth::confirm(&console.store, admission, &staff.id, password).await? {
        Some(proof) => {
            console
                .store
                .mark_reauthenticated(&staff.session_hash, now())
                .await?;
            Ok(Ok(proof))
        }
        None => {
            console
                .store
                .record_audit(
                    &Entry::new(
                        &staff.actor(),
                        AuditAction::ReauthFailed,
                        &staff.actor().to_string(),
                    )
                    .outcome(Outcome::Denied),
                )
                .await?;
            Ok(Err(Reauth::Refused))
        }
    }
}

/// The English message for a refused re-authentication on the admin pages.
/// Why a re-authentication did not go through, in `lang`: throttled (the password was
/// not checked), or the message `wrong` for a password that is not right.
pub(crate) fn reauth_message(lang: Language, outcome: Reauth, wrong: &str) -> String {
    match outcome {
        Reauth::Throttled => t(lang, "reauth-throttled"),
        Reauth::Busy => t(lang, "reauth-busy"),
        _ => t(lang, wrong),
    }
}
