//! Signed programme states: what the public role seals submissions with (the form,
//! the languages, the programme's recipient, escrow and partners' keys, all in the
//! definition, plus the current key) is signed by a key only the console side holds,
//! and checked before use. A database writer who is not the console (a stolen public
//! host, on a backend where it can write) cannot swap a recipient without the public
//! role refusing the programme.
//!
//! Ed25519 (`ed25519-dalek`): a signature scheme, not a MAC, because the public role
//! must check signatures without being able to make them. The signing key is derived
//! from the master key ([`ProgrammeSigner`], console and worker only); the public role
//! gets the [`ProgrammeVerifier`] from a file of its own configuration, never from the
//! database (a database writer would swap both).

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use super::keys::KeyFileError;

/// Domain label: a signature over a programme state cannot stand for anything else.
const DOMAIN: &[u8] = b"haven/programme-state/v1";

/// What a signature covers: everything the public role uses to build and seal a
/// submission. The definition (by its SHA-256) holds the form, the languages, the
/// status, escrow and the partners' recipients; the current key is a separate row.
#[derive(Debug, Clone, Copy)]
pub struct ProgrammeState<'a> {
    pub programme_id: &'a str,
    pub slug: &'a str,
    pub version: i64,
    pub definition: &'a str,
    pub key_id: &'a str,
    pub recipient: &'a str,
}

impl ProgrammeState<'_> {
    /// The canonical encoding: the domain, then each part length-prefixed, so no two
    /// states encode alike.
    fn message(&self) -> Vec<u8> {
        let digest = Sha256::digest(self.definition.as_bytes());
        let version = self.version.to_be_bytes();
        let parts: [&[u8]; 6] = [
            self.programme_id.as_bytes(),
            self.slug.as_bytes(),
            &version,
            &digest,
            self.key_id.as_bytes(),
            self.recipient.as_bytes(),
        ];
        let mut out = DOMAIN.to_vec();
        for part in parts {
            out.extend_from_slice(&(part.len() as u64).to_be_bytes());
            out.extend_from_slice(part);
        }
        out
    }
}

/// Signs programme states. Made only by the keyring, from the master key
/// (`Keyring::programme_signer`); carries the master recipient too, since whoever
/// saves a programme may also need to wrap a new programme key to it.
pub struct ProgrammeSigner {
    key: SigningKey,
    master: age::x25519::Recipient,
}

impl ProgrammeSigner {
    pub(crate) fn from_seed(seed: [u8; 32], master: age::x25519::Recipient) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
            master,
        }
    }

    pub fn sign(&self, state: &ProgrammeState<'_>) -> Vec<u8> {
        self.key.sign(&state.message()).to_bytes().to_vec()
    }

    pub fn verifier(&self) -> ProgrammeVerifier {
        ProgrammeVerifier(self.key.verifying_key())
    }

    /// The master key's recipient: new programme keys are wrapped to it.
    pub fn master_recipient(&self) -> &age::x25519::Recipient {
        &self.master
    }
}

/// Checks programme-state signatures: all the public role holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeVerifier(VerifyingKey);

const FILE_HEADER: &str = "# Haven programme verifying key. Public, not secret: copy it to every public host\n# (`haven keys export-verify-key`). It must come from the console side, never the database.\n";

impl ProgrammeVerifier {
    pub fn verify(&self, state: &ProgrammeState<'_>, signature: Option<&[u8]>) -> bool {
        let Some(Ok(signature)) = signature.map(Signature::from_slice) else {
            return false;
        };
        self.0.verify(&state.message(), &signature).is_ok()
    }

    /// The key as one line of 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut bytes).ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(Self)
    }

    /// The file's text: a comment, then the key.
    pub fn file_text(&self) -> String {
        format!("{FILE_HEADER}{}\n", self.to_hex())
    }

    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        text.lines()
            .map(str::trim)
            .find(|l| !l.starts_with('#') && !l.is_empty())
            .and_then(Self::from_hex)
            .ok_or_else(|| KeyFileError::Malformed {
                path: path.to_owned(),
                what: "programme verifying key (64 hex digits)",
            })
    }

    /// Writes the file, replacing nothing: returns `Ok(false)` when one is there
    /// already (the caller compares it).
    pub fn write_new(&self, path: &Path) -> Result<bool, KeyFileError> {
        let err = |source| KeyFileError::Create {
            path: PathBuf::from(path),
            source,
        };
        if path.exists() {
            return Ok(false);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            super::create_private_dir(dir).map_err(err)?;
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, self.file_text()).map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(seed: u8) -> ProgrammeSigner {
        ProgrammeSigner::from_seed([seed; 32], age::x25519::Identity::generate().to_public())
    }

    fn state<'a>(recipient: &'a str, definition: &'a str) -> ProgrammeState<'a> {
        ProgrammeState {
            programme_id: "p1",
            slug: "s",
            version: 3,
            definition,
            key_id: "k1",
            recipient,
        }
    }

    #[test]
    fn a_signature_covers_every_part_of_the_state() {
        let s = signer(1);
        let v = s.verifier();
        let good = state("age1a", "slug = \"s\"");
        let sig = s.sign(&good);
        assert!(v.verify(&good, Some(&sig)));
        assert!(!v.verify(&state("age1b", "slug = \"s\""), Some(&sig)));
        assert!(!v.verify(&state("age1a", "slug = \"s\"\nescrow = \"x\""), Some(&sig)));
        assert!(!v.verify(&ProgrammeState { version: 4, ..good }, Some(&sig)));
        assert!(!v.verify(
            &ProgrammeState {
                key_id: "k2",
                ..good
            },
            Some(&sig)
        ));
        assert!(!v.verify(&ProgrammeState { slug: "t", ..good }, Some(&sig)));
        assert!(!v.verify(&good, None));
        assert!(!v.verify(&good, Some(&sig[..10])));
        assert!(!signer(2).verifier().verify(&good, Some(&sig)));
    }

    #[test]
    fn the_verifying_key_file_round_trips_and_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/programme-verify.key");
        let v = signer(1).verifier();
        assert!(v.write_new(&path).unwrap());
        assert!(!signer(2).verifier().write_new(&path).unwrap());
        assert_eq!(ProgrammeVerifier::load(&path).unwrap(), v);
    }
}
