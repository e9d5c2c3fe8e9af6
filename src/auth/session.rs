//! Server-side staff sessions. The cookie holds 256 random bits; the database holds
//! only their SHA-256, so a copy of the database cannot be used to sign in. A new
//! token is issued at every step of signing in (password, then second factor), so a
//! token planted before sign-in is worthless after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use sha2::{Digest, Sha256};

use crate::crypto::MacKey;
use crate::store::SessionRecord;

/// `__Host-` makes browsers insist on `Secure`, `Path=/` and no `Domain`, so no
/// other host (or sub-domain) can set or overwrite it.
pub const COOKIE: &str = "__Host-haven";
/// Idle and absolute limits (ASVS 3.3).
pub const IDLE_SECS: i64 = 30 * 60;
pub const ABSOLUTE_SECS: i64 = 12 * 3600;
/// Between the password and the second factor.
pub const PENDING_SECS: i64 = 10 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; a TOTP or recovery code is still needed.
    SecondFactor,
    /// The password was right; the account must set up TOTP before anything else.
    Enrol,
    Full,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SecondFactor => "second-factor",
            Self::Enrol => "enrol",
            Self::Full => "full",
        }
    }

    pub fn lifetime(self) -> i64 {
        match self {
            Self::Full => ABSOLUTE_SECS,
            Self::SecondFactor | Self::Enrol => PENDING_SECS,
        }
    }
}

/// The time sessions are judged by: the system clock, plus an offset that only tests
/// move (to let a session go idle for 30 minutes without waiting 30 minutes).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> i64 {
        crate::store::now() + self.offset.load(Ordering::Relaxed)
    }

    pub fn advance(&self, secs: i64) {
        self.offset.fetch_add(secs, Ordering::Relaxed);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    Expired,
}

pub fn check(record: &SessionRecord, now: i64) -> Validity {
    if now >= record.expires_at || now - record.last_seen_at >= IDLE_SECS {
        Validity::Expired
    } else {
        Validity::Valid
    }
}

/// A fresh session token (64 hex digits).
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random number generator failed");
    hex::encode(b)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub fn token_from(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn cookie(token: &str) -> Cookie<'static> {
    Cookie::build(COOKIE, token.to_owned())
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Strict)
        .finish()
}

pub fn removal_cookie() -> Cookie<'static> {
    let mut c = cookie("");
    c.make_removal();
    c
}

/// The CSRF token for forms in this session: a MAC of the session, so it needs no
/// storage and dies with the session.
pub fn csrf_token(mac: &MacKey, session_hash: &[u8]) -> String {
    hex::encode(&mac.mac("haven/staff-csrf", &[session_hash])[..16])
}

pub fn csrf_ok(mac: &MacKey, session_hash: &[u8], token: &str) -> bool {
    match hex::decode(token) {
        Ok(tag) if tag.len() == 16 => mac.verify("haven/staff-csrf", &[session_hash], &tag),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(created: i64, last_seen: i64) -> SessionRecord {
        SessionRecord {
            id_hash: vec![1; 32],
            user_id: "u".into(),
            stage: "full".into(),
            created_at: created,
            last_seen_at: last_seen,
            expires_at: created + ABSOLUTE_SECS,
            reauth_at: created,
        }
    }

    #[test]
    fn sessions_end_when_idle_or_too_old() {
        let r = record(1_000, 1_000);
        assert_eq!(check(&r, 1_000 + IDLE_SECS - 1), Validity::Valid);
        assert_eq!(check(&r, 1_000 + IDLE_SECS), Validity::Expired);
        // Kept busy, it still ends at the absolute limit.
        let busy = record(1_000, 1_000 + ABSOLUTE_SECS - 10);
        assert_eq!(check(&busy, 1_000 + ABSOLUTE_SECS - 5), Validity::Valid);
        assert_eq!(check(&busy, 1_000 + ABSOLUTE_SECS), Validity::Expired);
    }

    #[test]
    fn csrf_tokens_belong_to_one_session() {
        let mac = MacKey::generate();
        let t = csrf_token(&mac, &[1; 32]);
        assert!(csrf_ok(&mac, &[1; 32], &t));
        assert!(!csrf_ok(&mac, &[2; 32], &t));
        assert!(!csrf_ok(&MacKey::generate(), &[1; 32], &t));
        assert!(!csrf_ok(&mac, &[1; 32], ""));
        assert!(!csrf_ok(&mac, &[1; 32], "zz"));
    }

    #[test]
    fn tokens_are_fresh_and_cookies_locked_down() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        let c = cookie(&a).to_string();
        for part in [
            "__Host-haven=",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!c.contains("Domain"));
    }
}
