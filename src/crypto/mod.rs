//! Keys and encryption. Haven uses age for everything it stores about a person and
//! HMAC-SHA-256 for look-ups; no cryptography is written here beyond calling them.
//!
//! The split that matters: [`Sealer`] (a programme's public recipient) is all the
//! public role ever holds; [`MasterKey`] and [`Opener`] (secret identities) exist only
//! inside [`crate::keyring::Keyring`], in the console and worker roles. The intake key
//! ([`IntakeKey`], on every instance) and the console's keys derived from the master
//! key ([`MacKey`]) are different types, so one cannot be passed where the other is
//! meant.

mod envelope;
pub mod inbox;
mod keys;
mod signing;

pub use envelope::{FORMAT_VERSION, Opener, Sealed, Sealer, open_with_escrow};
pub(crate) use keys::ContactIndexKey;
pub use keys::{
    IntakeKey, KeyFileError, Keyed, MacKey, MasterKey, ProgrammeKeyPair, create_private_dir,
    random_id,
};
pub use signing::{ProgrammeSigner, ProgrammeState, ProgrammeVerifier};

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// Deliberately unspecific: which check failed is no business of whoever caused it.
    #[error("decryption failed")]
    Decrypt,
    #[error("encryption failed")]
    Encrypt,
    #[error("stored key material is malformed")]
    MalformedKey,
    #[error("that key was destroyed")]
    KeyDestroyed,
}
