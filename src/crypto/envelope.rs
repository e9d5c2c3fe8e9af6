use std::str::FromStr;

use age::x25519;

use super::CryptoError;

/// Version of the plaintext layout inside a ciphertext, stored beside it so the
/// layout can change without guessing.
pub const FORMAT_VERSION: i64 = 1;

/// A ciphertext with the id of the programme key it was sealed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub format_version: i64,
    pub ciphertext: Vec<u8>,
}

/// Encrypts to one programme's public recipient. This is the only key material the
/// public role has: it can seal, never open.
#[derive(Clone)]
pub struct Sealer {
    key_id: String,
    recipient: x25519::Recipient,
    /// The programme's offline escrow key, if it has one: every ciphertext is sealed
    /// to it too, whatever programme key is current.
    escrow: Option<x25519::Recipient>,
}

impl Sealer {
    pub fn new(key_id: &str, recipient: &str) -> Result<Self, CryptoError> {
        Ok(Self {
            key_id: key_id.to_owned(),
            recipient: x25519::Recipient::from_str(recipient)
                .map_err(|_| CryptoError::MalformedKey)?,
            escrow: None,
        })
    }

    /// Also seals everything to `escrow` (an `age1…` recipient), when given.
    pub fn with_escrow(mut self, escrow: Option<&str>) -> Result<Self, CryptoError> {
        self.escrow = escrow
            .map(|e| x25519::Recipient::from_str(e).map_err(|_| CryptoError::MalformedKey))
            .transpose()?;
        Ok(self)
    }

    pub fn has_escrow(&self) -> bool {
        self.escrow.is_some()
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Seals to this programme's key and, when given, to one person's inbox key (a
    /// reply they can read in the reply inbox). One ciphertext, two recipients (three
    /// with the escrow key). Every ciphertext of a programme is made here.
    pub fn seal_with(&self, inbox: Option<&str>, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let person = inbox
            .map(|i| x25519::Recipient::from_str(i).map_err(|_| CryptoError::MalformedKey))
            .transpose()?;
        let mut recipients: Vec<&dyn age::Recipient> = vec![&self.recipient];
        if let Some(person) = &person {
            recipients.push(person);
        }
        if let Some(escrow) = &self.escrow {
            recipients.push(escrow);
        }
        let encryptor = age::Encryptor::with_recipients(recipients.into_iter())
            .map_err(|_| CryptoError::Encrypt)?;
        let mut ciphertext = Vec::with_capacity(plaintext.len() + 512);
        let mut writer = encryptor
            .wrap_output(&mut ciphertext)
            .map_err(|_| CryptoError::Encrypt)?;
        std::io::Write::write_all(&mut writer, plaintext).map_err(|_| CryptoError::Encrypt)?;
        writer.finish().map_err(|_| CryptoError::Encrypt)?;
        Ok(Sealed {
            key_id: self.key_id.clone(),
            format_version: FORMAT_VERSION,
            ciphertext,
        })
    }

    pub fn seal(&self, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        self.seal_with(None, plaintext)
    }
}

/// Opens any ciphertext sealed while the programme had this escrow recipient, with
/// the escrow identity brought from its offline store (`haven escrow open`).
pub fn open_with_escrow(
    identity: &x25519::Identity,
    sealed: &Sealed,
) -> Result<Vec<u8>, CryptoError> {
    if sealed.format_version != FORMAT_VERSION {
        return Err(CryptoError::Decrypt);
    }
    age::decrypt(identity, &sealed.ciphertext).map_err(|_| CryptoError::Decrypt)
}

/// Decrypts with one programme key's identity. Only the keyring makes one (it alone
/// can unwrap the identity), and keeps it: nothing outside it holds an `Opener`.
pub struct Opener {
    key_id: String,
    identity: x25519::Identity,
}

impl Opener {
    pub(crate) fn new(key_id: &str, identity: x25519::Identity) -> Self {
        Self {
            key_id: key_id.to_owned(),
            identity,
        }
    }

    pub fn open(&self, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        if sealed.key_id != self.key_id || sealed.format_version != FORMAT_VERSION {
            return Err(CryptoError::Decrypt);
        }
        age::decrypt(&self.identity, &sealed.ciphertext).map_err(|_| CryptoError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_is_not_in_the_ciphertext_and_opens_with_the_identity() {
        let identity = x25519::Identity::generate();
        let sealer = Sealer::new("k1", &identity.to_public().to_string()).unwrap();
        let sealed = sealer.seal(b"canary-4f1e9 in Kabul").unwrap();
        assert!(!sealed.ciphertext.windows(5).any(|w| w == b"canar"));
        let opener = Opener::new("k1", identity);
        assert_eq!(opener.open(&sealed).unwrap(), b"canary-4f1e9 in Kabul");
    }

    #[test]
    fn a_ciphertext_for_another_key_does_not_open() {
        let a = x25519::Identity::generate();
        let b = x25519::Identity::generate();
        let sealed = Sealer::new("a", &a.to_public().to_string())
            .unwrap()
            .seal(b"x")
            .unwrap();
        assert!(Opener::new("b", b).open(&sealed).is_err());
        let mut relabelled = sealed.clone();
        relabelled.key_id = "b".into();
        assert!(Opener::new("a", a).open(&relabelled).is_err());
    }

    #[test]
    fn with_escrow_the_offline_identity_opens_every_ciphertext_and_the_programme_key_still_does() {
        let programme = x25519::Identity::generate();
        let escrow = x25519::Identity::generate();
        let person = x25519::Identity::generate();
        let sealer = Sealer::new("k1", &programme.to_public().to_string())
            .unwrap()
            .with_escrow(Some(&escrow.to_public().to_string()))
            .unwrap();
        assert!(sealer.has_escrow());
        let note = sealer.seal(b"a note").unwrap();
        let reply = sealer
            .seal_with(Some(&person.to_public().to_string()), b"a reply")
            .unwrap();
        assert_eq!(open_with_escrow(&escrow, &note).unwrap(), b"a note");
        assert_eq!(open_with_escrow(&escrow, &reply).unwrap(), b"a reply");
        assert_eq!(
            age::decrypt(&person, &reply.ciphertext).unwrap(),
            b"a reply"
        );
        let opener = Opener::new("k1", programme);
        assert_eq!(opener.open(&note).unwrap(), b"a note");
        assert_eq!(opener.open(&reply).unwrap(), b"a reply");
    }

    #[test]
    fn without_escrow_an_escrow_identity_opens_nothing() {
        let programme = x25519::Identity::generate();
        let escrow = x25519::Identity::generate();
        let sealer = Sealer::new("k1", &programme.to_public().to_string())
            .unwrap()
            .with_escrow(None)
            .unwrap();
        assert!(!sealer.has_escrow());
        let sealed = sealer.seal(b"x").unwrap();
        assert!(open_with_escrow(&escrow, &sealed).is_err());
        assert!(
            Sealer::new("k1", &programme.to_public().to_string())
                .unwrap()
                .with_escrow(Some("age1notakey"))
                .is_err()
        );
    }
}
