//! The reply inbox key: an age X25519 identity that only the person who sent an
//! enquiry can make, from their reference code and passphrase.
//!
//! At submission the public role derives it, keeps only its public recipient (beside
//! the enquiry), and forgets it. Replies are sealed to the programme's key *and* to
//! this recipient, so staff can read them and so can the person, while the public
//! role, which opens the reply inbox, never holds a key that could read anything
//! else: it re-derives this one identity for the length of one request, from secrets
//! the person types. The passphrase carries 80 random bits, so a fast keyed hash is
//! a sound derivation (a slow one would only protect human-chosen secrets).
//!
//! No server key goes into it: the stored recipient is a function of the code and
//! passphrase alone, and a guessed pair can be checked against it by anyone who has
//! the database. The passphrase's 80 random bits, not a key, are what make that
//! useless (ARCHITECTURE.md says so where it lists what a stolen database reveals).

use std::str::FromStr;

use age::x25519;
use bech32::{Bech32, Hrp};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::CryptoError;
use crate::domain::{Passphrase, ReferenceCode};

const LABEL: &[u8] = b"haven/inbox-identity/v1";

/// The person's inbox identity. Derived, never stored.
pub fn inbox_identity(
    reference: &ReferenceCode,
    passphrase: &Passphrase,
) -> Result<x25519::Identity, CryptoError> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(passphrase.expose_canonical().as_bytes())
        .map_err(|_| CryptoError::MalformedKey)?;
    mac.update(LABEL);
    mac.update(reference.canonical().as_bytes());
    let secret = Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()));
    let hrp = Hrp::parse("age-secret-key-").map_err(|_| CryptoError::MalformedKey)?;
    let encoded = Zeroizing::new(
        bech32::encode::<Bech32>(hrp, secret.as_slice())
            .map_err(|_| CryptoError::MalformedKey)?
            .to_uppercase(),
    );
    x25519::Identity::from_str(&encoded).map_err(|_| CryptoError::MalformedKey)
}

/// The public half, stored with the enquiry.
pub fn inbox_recipient(
    reference: &ReferenceCode,
    passphrase: &Passphrase,
) -> Result<String, CryptoError> {
    Ok(inbox_identity(reference, passphrase)?
        .to_public()
        .to_string())
}

/// Seals `plaintext` to an inbox recipient alone ("what you sent", issue 21 item 6):
/// only the person, with their two codes, can open it.
pub fn seal_to_inbox(recipient: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let recipient =
        x25519::Recipient::from_str(recipient).map_err(|_| CryptoError::MalformedKey)?;
    age::encrypt(&recipient, plaintext).map_err(|_| CryptoError::Encrypt)
}

/// Opens what [`seal_to_inbox`] sealed, with the identity derived for one request.
pub fn open_from_inbox(
    identity: &x25519::Identity,
    ciphertext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    age::decrypt(identity, ciphertext).map_err(|_| CryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_is_determined_by_both_secrets() {
        let (r, p) = (ReferenceCode::generate(), Passphrase::generate());
        let a = inbox_recipient(&r, &p).unwrap();
        assert_eq!(a, inbox_recipient(&r, &p).unwrap());
        assert!(a.starts_with("age1"));
        assert_ne!(a, inbox_recipient(&r, &Passphrase::generate()).unwrap());
        assert_ne!(a, inbox_recipient(&ReferenceCode::generate(), &p).unwrap());
    }

    #[test]
    fn what_is_sealed_to_the_recipient_opens_with_the_derived_identity() {
        let (r, p) = (ReferenceCode::generate(), Passphrase::generate());
        let recipient = x25519::Recipient::from_str(&inbox_recipient(&r, &p).unwrap()).unwrap();
        let sealed = age::encrypt(&recipient, b"a reply").unwrap();
        let opened = age::decrypt(&inbox_identity(&r, &p).unwrap(), &sealed).unwrap();
        assert_eq!(opened, b"a reply");
        assert!(
            age::decrypt(
                &inbox_identity(&r, &Passphrase::generate()).unwrap(),
                &sealed
            )
            .is_err()
        );
    }
}
