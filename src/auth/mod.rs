//! Staff authentication: passwords, the TOTP second factor, server-side sessions and
//! session-bound CSRF tokens, and the roles a signed-in staff member holds.

pub mod accounts;
pub mod gate;
pub mod lockout;
pub mod password;
pub mod reauth;
pub mod session;
pub mod signin;
pub mod totp;

use actix_web::{HttpMessage, HttpRequest};

use crate::casework::{Action, Member, ProgrammeRole, Subject, permit};
use crate::crypto::MacKey;
use crate::domain::Language;
use crate::error::AppError;
use crate::store::{Membership, Store, StoreError, UserRecord};
use session::{Stage, Validity};

/// A signed-in staff member, as every console handler sees them.
#[derive(Debug, Clone)]
pub struct Staff {
    pub id: String,
    pub email: String,
    /// Instance admin: admin of every programme, manages users, reads the audit log.
    pub is_admin: bool,
    pub memberships: Vec<Membership>,
    pub session_hash: Vec<u8>,
    /// This session's CSRF token, for the forms on the page.
    pub csrf: String,
    pub has_totp: bool,
    /// The language of this staff member's pages.
    pub lang: Language,
}

impl Staff {
    /// This staff member as the actor of an audit entry (`user:<id>`).
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::staff(&self.id)
    }

    /// The role in a programme; `None` means the programme must look as if it did
    /// not exist.
    pub fn role_in(&self, programme_id: &str) -> Option<ProgrammeRole> {
        if self.is_admin {
            return Some(ProgrammeRole::Admin);
        }
        self.memberships
            .iter()
            .find(|m| m.programme_id == programme_id)
            .map(|m| m.role)
    }

    /// Whether this staff member may do `action` to the instance as a whole
    /// (`casework::permit` on `Subject::Instance`, with their highest role anywhere).
    pub fn may(&self, action: Action) -> bool {
        let highest = if self.is_admin {
            Some(ProgrammeRole::Admin)
        } else {
            self.memberships.iter().map(|m| m.role).max()
        };
        let who = Member {
            user: &self.id,
            role: highest.unwrap_or(ProgrammeRole::Agent),
        };
        let on = Subject::Instance {
            instance_admin: self.is_admin,
        };
        permit(who, action, on).is_ok()
    }

    /// Whether this staff member may do `action` to the programme `programme_id` as a
    /// whole; never if they have no role in it.
    pub fn may_in(&self, programme_id: &str, action: Action) -> bool {
        self.role_in(programme_id).is_some_and(|role| {
            let who = Member {
                user: &self.id,
                role,
            };
            permit(who, action, Subject::Programme).is_ok()
        })
    }

    /// Whether this account must use a second factor. Supervisors and admins always;
    /// agents unless every programme they work in lets agents go without.
    pub fn needs_second_factor(
        user: &UserRecord,
        memberships: &[Membership],
        agents_exempt: impl Fn(&str) -> bool,
    ) -> bool {
        user.is_admin
            || memberships.is_empty()
            || memberships
                .iter()
                .any(|m| m.role > ProgrammeRole::Agent || !agents_exempt(&m.programme_id))
    }
}

/// The session behind the request's cookie, if it is valid and at `stage` at time `at`.
pub async fn current_session(
    req: &HttpRequest,
    store: &Store,
    stage: Stage,
    at: i64,
) -> Result<Option<crate::store::SessionRecord>, StoreError> {
    let Some(token) = session::token_from(req) else {
        return Ok(None);
    };
    let hash = session::hash_token(&token);
    let Some(record) = store.session(&hash).await? else {
        return Ok(None);
    };
    match session::check(&record, at) {
        Validity::Valid if record.stage == stage.as_str() => {
            // Write the idle clock at most once a minute: a busy page does not become a
            // busy database.
            if at - record.last_seen_at >= 60 {
                store.touch_session(&hash, at).await?;
            }
            Ok(Some(record))
        }
        Validity::Valid => Ok(None),
        Validity::Expired => {
            store.delete_session(&hash).await?;
            Ok(None)
        }
    }
}

/// What `?lang=` on a staff page means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageSwitch {
    /// The staff member's choice for their pages, remembered for the account.
    Remember,
    /// Something else's language (a form previewed in Arabic): the staff member's own
    /// language stays as it was.
    Ignore,
}

/// The signed-in staff member, or a redirect to the sign-in page.
pub async fn signed_in(
    req: &HttpRequest,
    store: &Store,
    mac: &MacKey,
    at: i64,
) -> Result<Staff, AppError> {
    signed_in_with(req, store, mac, at, LanguageSwitch::Remember).await
}

/// [`signed_in`], saying what a `?lang=` on the request means.
pub async fn signed_in_with(
    req: &HttpRequest,
    store: &Store,
    mac: &MacKey,
    at: i64,
    switch: LanguageSwitch,
) -> Result<Staff, AppError> {
    let session = current_session(req, store, Stage::Full, at)
        .await?
        .ok_or(AppError::SignInRequired)?;
    let user = store
        .user(&session.user_id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or(AppError::SignInRequired)?;
    let memberships = store.memberships(&user.id).await?;
    let lang = staff_language(req, store, &user.id, switch).await?;
    req.extensions_mut()
        .insert(crate::web::ChosenLanguage(lang));
    Ok(Staff {
        lang,
        csrf: session::csrf_token(mac, &session.id_hash),
        session_hash: session.id_hash,
        has_totp: user.totp_ciphertext.is_some(),
        id: user.id,
        email: user.email,
        is_admin: user.is_admin,
        memberships,
    })
}

/// A staff member's language: the switch (`?lang=`, which is also remembered for
/// the account, so links and forms need not carry it), else the one they chose
/// before, else the browser's `Accept-Language`. The session cookie is
/// `SameSite=Strict`, so another site cannot change the choice with a link.
async fn staff_language(
    req: &HttpRequest,
    store: &Store,
    user_id: &str,
    switch: LanguageSwitch,
) -> Result<Language, AppError> {
    let stored = store
        .user_language(user_id)
        .await?
        .and_then(|tag| Language::parse(&tag).ok());
    let explicit = match switch {
        LanguageSwitch::Remember => crate::web::explicit_language(req, &Language::ALL),
        LanguageSwitch::Ignore => None,
    };
    if let Some(chosen) = explicit {
        if stored != Some(chosen) {
            store.set_user_language(user_id, chosen.tag()).await?;
        }
        return Ok(chosen);
    }
    Ok(stored.unwrap_or_else(|| crate::web::request_language(req, &Language::ALL)))
}

/// For state-changing requests: the session's own CSRF token, and a same-site request.
pub fn check_csrf(req: &HttpRequest, mac: &MacKey, staff: &Staff, token: &str) -> bool {
    crate::web::csrf::same_origin(req) && session::csrf_ok(mac, &staff.session_hash, token)
}
