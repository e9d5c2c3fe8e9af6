//! Staff passwords. (Being written: see the helper's brief.)

use secrecy::SecretString;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRejected {
    #[error("a password needs at least 12 characters")]
    TooShort,
    #[error("a password may have at most 128 characters")]
    TooLong,
    #[error("that password is on the list of common passwords")]
    Common,
}

/// A password that meets the policy (length, not a common one).
pub struct NewPassword(SecretString);

impl NewPassword {
    pub fn parse(_candidate: &str) -> Result<Self, PasswordRejected> {
        todo!()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCost {
    /// argon2id m=64 MiB, t=4, p=2 (SecureDrop's choice).
    Standard,
    /// Much cheaper, for the test suite only.
    Test,
}

pub struct Hasher {}

impl Hasher {
    pub fn new(_pepper: [u8; 32], _cost: HashCost) -> Self {
        todo!()
    }
    pub fn hash(&self, _password: &NewPassword) -> String {
        todo!()
    }
    pub fn verify(&self, _phc: &str, _candidate: &str) -> bool {
        todo!()
    }
    pub fn verify_dummy(&self, _candidate: &str) {
        todo!()
    }
}
