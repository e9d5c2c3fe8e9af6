//! The codes a phone intake's receipt shows, carried in its own "Done" form until the
//! agent ticks "read back": sealed (XChaCha20-Poly1305, a key derived from the console
//! MAC key for this staff member), so they never travel in clear, never in a URL, and
//! only the same agent's session can show them again, for an hour at most.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::crypto::MacKey;
use crate::domain::{Language, Passphrase, ProgrammeSlug, ReferenceCode};
use crate::intake::submission::Receipt;

/// How long the receipt may be redrawn (a long call included).
pub const LIFETIME_SECS: i64 = 3600;

/// A receipt opened from its form.
pub struct Held {
    pub lang: Language,
    pub enquiry_id: String,
    pub receipt: Receipt,
}

fn cipher(mac: &MacKey, staff_id: &str) -> XChaCha20Poly1305 {
    let k = mac.mac("haven/phone-receipt", &[staff_id.as_bytes()]);
    XChaCha20Poly1305::new(&k.into())
}

fn aad(slug: &ProgrammeSlug) -> String {
    format!("haven-phone-receipt-1:{slug}")
}

pub fn seal(mac: &MacKey, staff_id: &str, slug: &ProgrammeSlug, held: &Held, now: i64) -> String {
    let plain = zeroize::Zeroizing::new(format!(
        "{}\n{}\n{}\n{}\n{}",
        now + LIFETIME_SECS,
        held.lang.tag(),
        held.enquiry_id,
        held.receipt.reference.canonical(),
        held.receipt.passphrase.expose_canonical(),
    ));
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("the operating system's random number generator failed");
    let aad = aad(slug);
    let sealed = cipher(mac, staff_id)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain.as_bytes(),
                aad: aad.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any message of this size");
    URL_SAFE_NO_PAD.encode([nonce.as_slice(), &sealed].concat())
}

/// The receipt sealed in `value`, if this staff member sealed it for this programme
/// less than [`LIFETIME_SECS`] ago.
pub fn open(
    mac: &MacKey,
    staff_id: &str,
    slug: &ProgrammeSlug,
    value: &str,
    now: i64,
) -> Option<Held> {
    let raw = URL_SAFE_NO_PAD.decode(value).ok()?;
    if raw.len() < 24 + 16 {
        return None;
    }
    let (nonce, sealed) = raw.split_at(24);
    let aad = aad(slug);
    let plain = cipher(mac, staff_id)
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: aad.as_bytes(),
            },
        )
        .ok()?;
    let plain = zeroize::Zeroizing::new(String::from_utf8(plain).ok()?);
    let mut parts = plain.split('\n');
    let expires: i64 = parts.next()?.parse().ok()?;
    if now > expires {
        return None;
    }
    Some(Held {
        lang: Language::parse(parts.next()?).ok()?,
        enquiry_id: parts.next()?.to_owned(),
        receipt: Receipt {
            reference: ReferenceCode::parse(parts.next()?).ok()?,
            passphrase: Passphrase::parse(parts.next()?).ok()?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_staff_member_opens_it_for_the_same_programme_within_the_hour() {
        let mac = MacKey::generate();
        let slug = ProgrammeSlug::parse("afghanistan-2021").unwrap();
        let held = Held {
            lang: Language::Ps,
            enquiry_id: "e1".into(),
            receipt: Receipt {
                reference: ReferenceCode::generate(),
                passphrase: Passphrase::generate(),
            },
        };
        let v = seal(&mac, "s1", &slug, &held, 1_000);
        assert!(!v.contains(held.receipt.reference.canonical()));
        let back = open(&mac, "s1", &slug, &v, 1_000 + LIFETIME_SECS).expect("opens");
        assert_eq!(back.lang, Language::Ps);
        assert_eq!(back.enquiry_id, "e1");
        assert_eq!(
            back.receipt.passphrase.expose_canonical(),
            held.receipt.passphrase.expose_canonical()
        );
        assert!(open(&mac, "s2", &slug, &v, 1_000).is_none());
        let other = ProgrammeSlug::parse("sudan-2023").unwrap();
        assert!(open(&mac, "s1", &other, &v, 1_000).is_none());
        assert!(open(&mac, "s1", &slug, &v, 1_001 + LIFETIME_SECS).is_none());
        assert!(open(&MacKey::generate(), "s1", &slug, &v, 1_000).is_none());
    }
}
