//! Submit once (issue 21): the form's POST answers with a redirect to the receipt,
//! and the receipt's GET shows the codes again on a reload without storing anything.
//!
//! Between the POST and the GET the codes travel in a short-lived cookie sealed
//! (XChaCha20-Poly1305) with a key derived from the intake key, so any instance can show
//! the receipt, a restart between the two loses nothing, and the server keeps no copy
//! of the codes. A browser that refuses cookies (the form's GET sets a probe cookie, and
//! the POST does not bring it back) gets the receipt in the POST's own answer instead.
//! Either way the form token is claimed with the enquiry (`store::UsedToken`), so the
//! same POST sent twice stores one enquiry.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use super::submission::Receipt;
use crate::crypto::IntakeKey;
use crate::domain::{Language, Passphrase, ProgrammeSlug, ReferenceCode};
use crate::store::UsedToken;
use crate::web::csrf;

/// Set by the form's GET; its presence on the POST says the browser keeps cookies.
pub const PROBE_COOKIE: &str = "haven_cookies";
/// The sealed codes, on their way from the POST to the receipt's GET.
pub const RECEIPT_COOKIE: &str = "haven_receipt";
/// How long a reload still shows the codes: long enough to copy them on a slow phone,
/// short enough that a phone picked up later does not show them.
pub const RECEIPT_LIFETIME_SECS: i64 = 15 * 60;

const FORMAT: &str = "haven-receipt-1";

/// What a used form token leaves behind: a keyed hash (so the database alone cannot
/// match it to a form page kept in a browser's cache) and when it may be forgotten.
pub fn used_token(key: &IntakeKey, token: &str, now: i64) -> UsedToken {
    UsedToken {
        hash: key
            .mac("haven/used-form-token", &[token.as_bytes()])
            .to_vec(),
        expires_at: csrf::expires_at(token).unwrap_or(now + 24 * 3600),
    }
}

pub fn receipt_path(slug: &ProgrammeSlug) -> String {
    format!("/p/{slug}/receipt")
}

pub fn receipt_text_path(slug: &ProgrammeSlug) -> String {
    format!("/p/{slug}/receipt.txt")
}

/// A cookie for this programme's pages only, never sent to another site, never read by
/// script (there is none), sent only over HTTPS or an onion service.
fn cookie(name: &'static str, value: String, path: String, max_age: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(Duration::seconds(max_age))
        .finish()
}

pub fn probe_cookie(slug: &ProgrammeSlug) -> Cookie<'static> {
    cookie(PROBE_COOKIE, "1".into(), format!("/p/{slug}"), 24 * 3600)
}

pub fn keeps_cookies(req: &HttpRequest) -> bool {
    req.cookie(PROBE_COOKIE).is_some()
}

fn cipher(key: &IntakeKey) -> XChaCha20Poly1305 {
    let k = key.mac("haven/receipt-cookie", &[]);
    XChaCha20Poly1305::new(&k.into())
}

fn aad(slug: &ProgrammeSlug) -> String {
    format!("{FORMAT}:{slug}")
}

/// A receipt on its way out: the codes, and the address the person gave, masked
/// (`contact::masked`), to show beside them.
pub struct Delivered<'a> {
    pub receipt: &'a Receipt,
    pub masked: Option<&'a str>,
}

/// The receipt as a cookie: the codes, the language, the token that sent them (so a
/// second POST of that token can show them again) and when they stop being shown.
pub fn receipt_cookie(
    key: &IntakeKey,
    slug: &ProgrammeSlug,
    lang: Language,
    delivered: &Delivered<'_>,
    token: &UsedToken,
    now: i64,
) -> Cookie<'static> {
    let receipt = delivered.receipt;
    // The masked address last, and only when given (a few dozen bytes at most).
    let plain = format!(
        "{}\n{}\n{}\n{}\n{}{}",
        now + RECEIPT_LIFETIME_SECS,
        lang.tag(),
        hex::encode(&token.hash),
        receipt.reference.canonical(),
        receipt.passphrase.expose_canonical(),
        delivered
            .masked
            .map(|m| format!("\n{m}"))
            .unwrap_or_default(),
    );
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("the operating system's random number generator failed");
    let aad = aad(slug);
    let sealed = cipher(key)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any message of this size");
    let value = URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat());
    cookie(
        RECEIPT_COOKIE,
        value,
        format!("/p/{slug}"),
        RECEIPT_LIFETIME_SECS,
    )
}

/// A receipt opened from its cookie.
pub struct Shown {
    pub lang: Language,
    pub token_hash: Vec<u8>,
    pub receipt: Receipt,
    /// The address given, masked (`r•••@gmail.com`).
    pub masked: Option<String>,
}

/// The receipt in the request's cookie, if it was sealed for this programme with this
/// intake key and has not expired.
pub fn open(key: &IntakeKey, slug: &ProgrammeSlug, req: &HttpRequest, now: i64) -> Option<Shown> {
    let value = req.cookie(RECEIPT_COOKIE)?;
    let raw = URL_SAFE_NO_PAD.decode(value.value()).ok()?;
    if raw.len() < 24 + 16 {
        return None;
    }
    let (nonce, sealed) = raw.split_at(24);
    let aad = aad(slug);
    let plain = cipher(key)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: aad.as_bytes(),
            },
        )
        .ok()?;
    let plain = String::from_utf8(plain).ok()?;
    let mut parts = plain.split('\n');
    let expires: i64 = parts.next()?.parse().ok()?;
    if now > expires {
        return None;
    }
    let lang = Language::parse(parts.next()?).ok()?;
    let token_hash = hex::decode(parts.next()?).ok()?;
    let reference = ReferenceCode::parse(parts.next()?).ok()?;
    let passphrase = Passphrase::parse(parts.next()?).ok()?;
    let masked = parts
        .next()
        .filter(|m| !m.is_empty() && m.len() <= 300)
        .map(str::to_owned);
    Some(Shown {
        lang,
        token_hash,
        receipt: Receipt {
            reference,
            passphrase,
        },
        masked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request_with(c: &Cookie<'_>) -> HttpRequest {
        TestRequest::get()
            .cookie(Cookie::new(c.name().to_owned(), c.value().to_owned()))
            .to_http_request()
    }

    #[test]
    fn the_cookie_opens_only_with_its_key_for_its_programme_and_while_fresh() {
        let key = IntakeKey::generate();
        let slug = ProgrammeSlug::parse("afghanistan-2021").unwrap();
        let other = ProgrammeSlug::parse("sudan-2023").unwrap();
        let receipt = Receipt {
            reference: ReferenceCode::generate(),
            passphrase: Passphrase::generate(),
        };
        let token = used_token(&key, &csrf::issue(&key, "form:x", 1_000), 1_000);
        let delivered = Delivered {
            receipt: &receipt,
            masked: Some("r•••@gmail.com"),
        };
        let c = receipt_cookie(&key, &slug, Language::FaAf, &delivered, &token, 1_000);
        assert!(!c.value().contains("gmail"));
        // The codes are not readable in the cookie.
        assert!(!c.value().contains(receipt.reference.canonical()));
        let req = request_with(&c);
        let shown = open(&key, &slug, &req, 1_000 + RECEIPT_LIFETIME_SECS).expect("opens");
        assert_eq!(
            shown.receipt.reference.canonical(),
            receipt.reference.canonical()
        );
        assert_eq!(
            shown.receipt.passphrase.expose_canonical(),
            receipt.passphrase.expose_canonical()
        );
        assert_eq!(shown.lang, Language::FaAf);
        assert_eq!(shown.token_hash, token.hash);
        assert_eq!(shown.masked.as_deref(), Some("r•••@gmail.com"));
        assert!(open(&key, &slug, &req, 1_001 + RECEIPT_LIFETIME_SECS).is_none());
        assert!(open(&key, &other, &req, 1_000).is_none());
        assert!(open(&IntakeKey::generate(), &slug, &req, 1_000).is_none());
        // Another instance with the same intake key opens it.
        assert!(open(&key.duplicate(), &slug, &req, 1_000).is_some());
    }

    #[test]
    fn a_used_token_is_forgotten_when_the_token_would_be_refused_anyway() {
        let key = IntakeKey::generate();
        let t = csrf::issue(&key, "form:x", 5_000);
        let used = used_token(&key, &t, 9_999);
        assert!(!csrf::verify(&key, "form:x", &t, used.expires_at + 1));
        assert!(csrf::verify(&key, "form:x", &t, used.expires_at - 300));
        assert_ne!(used.hash, used_token(&IntakeKey::generate(), &t, 0).hash);
    }
}
