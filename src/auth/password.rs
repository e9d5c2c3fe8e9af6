//! Staff passwords: the policy for new ones (OWASP ASVS 2.1) and their storage as
//! peppered argon2id hashes (ASVS 2.4).
//!
//! Hashing is deliberately slow (hundreds of milliseconds with [`HashCost::Standard`])
//! and takes 64 MiB while it runs: callers on an async runtime should run it on a
//! blocking thread.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretBox, SecretString};

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

/// Lowercased, most common first; see the file's header for where it comes from.
static COMMON_LIST: &str = include_str!("common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON_LIST
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Whether a password is on the shipped list of common ones (compared lowercased).
pub fn is_common(candidate: &str) -> bool {
    COMMON.contains(candidate.to_lowercase().as_str())
}

/// A password that meets the policy (length, not a common one).
#[derive(Debug)]
pub struct NewPassword(SecretString);

impl NewPassword {
    /// Any Unicode is allowed and there are no composition rules (ASVS 2.1.9); the
    /// length is counted in characters, not bytes, so that a passphrase in a script
    /// with multi-byte characters is not held to a stricter limit. Nothing is trimmed
    /// or normalised: what is typed is what is hashed.
    pub fn parse(candidate: &str) -> Result<Self, PasswordRejected> {
        let chars = candidate.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordRejected::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordRejected::TooLong);
        }
        // One character held down is in every guessing dictionary, whatever its length.
        let mut it = candidate.chars();
        let repeated = it.next().is_some_and(|first| it.all(|c| c == first));
        if repeated || is_common(candidate) {
            return Err(PasswordRejected::Common);
        }
        Ok(Self(SecretString::from(candidate)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashCost {
    /// argon2id m=64 MiB, t=4, p=2 (SecureDrop's choice).
    Standard,
    /// Much cheaper, for the test suite only.
    Test,
}

impl HashCost {
    pub fn params(self) -> Params {
        match self {
            HashCost::Standard => STANDARD_PARAMS,
            HashCost::Test => TEST_PARAMS,
        }
    }
}

// Evaluated at compile time, so the fallback can never be reached at run time; the
// tests check that the PHC strings carry exactly these numbers.
const STANDARD_PARAMS: Params = match Params::new(64 * 1024, 4, 2, Some(32)) {
    Ok(p) => p,
    Err(_) => Params::DEFAULT,
};
const TEST_PARAMS: Params = match Params::new(1024, 1, 1, Some(32)) {
    Ok(p) => p,
    Err(_) => Params::DEFAULT,
};

/// Stored hashes asking for more than this are refused rather than computed: a
/// tampered row must not be able to make one sign-in allocate gigabytes.
const MAX_M_COST: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 32;
const MAX_P_COST: u32 = 16;

/// Why [`Hasher::try_hash`] failed; with the parameters used here it cannot.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(argon2::password_hash::Error);

/// Hashes and verifies staff passwords with argon2id and a server-side pepper (the
/// argon2 secret input), so that a copy of the database alone is not enough to
/// start guessing.
pub struct Hasher {
    pepper: SecretBox<[u8; 32]>,
    params: Params,
}

impl Hasher {
    pub fn new(pepper: [u8; 32], cost: HashCost) -> Self {
        Self {
            pepper: SecretBox::new(Box::new(pepper)),
            params: cost.params(),
        }
    }

    fn argon2(&self, params: Params) -> Result<Argon2<'_>, argon2::Error> {
        Argon2::new_with_secret(
            self.pepper.expose_secret(),
            Algorithm::Argon2id,
            Version::V0x13,
            params,
        )
    }

    /// The PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) to store.
    pub fn try_hash(&self, password: &NewPassword) -> Result<String, HashError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).expect("the operating system's random number generator failed");
        let salt = SaltString::encode_b64(&salt).map_err(HashError)?;
        let argon2 = self
            .argon2(self.params.clone())
            .map_err(|e| HashError(e.into()))?;
        let hash = argon2
            .hash_password(password.0.expose_secret().as_bytes(), &salt)
            .map_err(HashError)?;
        Ok(hash.to_string())
    }

    /// The PHC string to store. Hashing cannot fail with the fixed parameters used
    /// here; if it ever did, the result is a string that no password verifies
    /// against, and the failure is logged.
    pub fn hash(&self, password: &NewPassword) -> String {
        self.try_hash(password).unwrap_or_else(|e| {
            tracing::error!(error = %e, "password hashing failed");
            String::from("!unusable")
        })
    }

    /// Whether `candidate` is the password behind `phc`. The parameters come from the
    /// PHC string, so hashes made with an older cost still verify. The final
    /// comparison is constant-time (password-hash compares its `Output`s with
    /// `subtle`). Anything malformed is `false`, after the same work as a real
    /// verification, so an account whose stored hash is unusable is not told apart.
    pub fn verify(&self, phc: &str, candidate: &str) -> bool {
        match self.parse_stored(phc) {
            Some((hash, params)) => self
                .argon2(params)
                .is_ok_and(|a| a.verify_password(candidate.as_bytes(), &hash).is_ok()),
            None => {
                self.verify_dummy(candidate);
                false
            }
        }
    }

    fn parse_stored<'a>(&self, phc: &'a str) -> Option<(PasswordHash<'a>, Params)> {
        let hash = PasswordHash::new(phc).ok()?;
        if hash.algorithm != argon2::ARGON2ID_IDENT || hash.hash.is_none() {
            return None;
        }
        let params = Params::try_from(&hash).ok()?;
        let within_limits = params.m_cost() <= MAX_M_COST
            && params.t_cost() <= MAX_T_COST
            && params.p_cost() <= MAX_P_COST;
        within_limits.then_some((hash, params))
    }

    /// The work of one [`verify`](Self::verify) at the current cost, for a sign-in
    /// to an account that does not exist, so that timing does not tell whether it
    /// does. Verifying is hashing plus a comparison of 32 bytes, so hashing alone
    /// costs the same.
    pub fn verify_dummy(&self, candidate: &str) {
        const DUMMY_SALT: &[u8; 16] = b"haven-dummy-salt";
        let mut out = [0u8; 32];
        if let Ok(argon2) = self.argon2(self.params.clone()) {
            let _ = argon2.hash_password_into(candidate.as_bytes(), DUMMY_SALT, &mut out);
        }
        std::hint::black_box(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEPPER: [u8; 32] = [7; 32];

    fn good() -> NewPassword {
        NewPassword::parse("a rather long staff passphrase").unwrap()
    }

    #[test]
    fn length_edges_count_characters() {
        let s = |n: usize| "ab1".chars().cycle().take(n).collect::<String>();
        assert_eq!(
            NewPassword::parse(&s(11)).unwrap_err(),
            PasswordRejected::TooShort
        );
        assert!(NewPassword::parse(&s(12)).is_ok());
        assert!(NewPassword::parse(&s(128)).is_ok());
        assert_eq!(
            NewPassword::parse(&s(129)).unwrap_err(),
            PasswordRejected::TooLong
        );
        assert_eq!(
            NewPassword::parse("").unwrap_err(),
            PasswordRejected::TooShort
        );
    }

    #[test]
    fn multibyte_characters_count_as_one() {
        // 11 characters but 33 bytes: still too short.
        let eleven = "日本語のパスワードです";
        assert_eq!(eleven.chars().count(), 11);
        assert_eq!(
            NewPassword::parse(eleven).unwrap_err(),
            PasswordRejected::TooShort
        );
        let twelve = "日本語のパスワードですね";
        assert!(NewPassword::parse(twelve).is_ok());
        // 128 four-byte characters (512 bytes) are allowed, 129 are not.
        let emoji = |n| "🔑🌻".chars().cycle().take(n).collect::<String>();
        assert!(NewPassword::parse(&emoji(128)).is_ok());
        assert_eq!(
            NewPassword::parse(&emoji(129)).unwrap_err(),
            PasswordRejected::TooLong
        );
        // Combining marks are characters of their own: no normalisation.
        assert!(NewPassword::parse("e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}").is_ok());
    }

    #[test]
    fn common_passwords_rejected_case_insensitively() {
        for p in [
            "qwertyuiop123",
            "Password1234",
            "PASSWORD1234",
            "1q2w3e4r5t6y",
            "passwordpassword",
            "CorrectHorseBatteryStaple",
        ] {
            assert_eq!(
                NewPassword::parse(p).unwrap_err(),
                PasswordRejected::Common,
                "{p}"
            );
        }
        assert!(NewPassword::parse("violet tractor under rain").is_ok());
    }

    #[test]
    fn common_list_is_large_and_well_formed() {
        assert!(COMMON.len() > 50_000, "{}", COMMON.len());
        for p in COMMON.iter() {
            assert!(p.chars().count() >= MIN_CHARS, "{p}");
            assert_eq!(p.to_lowercase(), *p);
            assert_eq!(p.trim(), *p);
        }
    }

    #[test]
    fn one_repeated_character_rejected() {
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaaaaaaaaaa").unwrap_err(),
            PasswordRejected::Common
        );
        assert_eq!(
            NewPassword::parse("éééééééééééé").unwrap_err(),
            PasswordRejected::Common
        );
        assert_eq!(
            NewPassword::parse("            ").unwrap_err(),
            PasswordRejected::Common
        );
        assert!(NewPassword::parse("aaaaaaaaaaab").is_ok());
    }

    #[test]
    fn hash_verify_round_trip() {
        let h = Hasher::new(PEPPER, HashCost::Test);
        let phc = h.hash(&good());
        assert!(h.verify(&phc, "a rather long staff passphrase"));
        // A fresh salt each time.
        assert_ne!(phc, h.hash(&good()));
    }

    #[test]
    fn wrong_password_fails() {
        let h = Hasher::new(PEPPER, HashCost::Test);
        let phc = h.hash(&good());
        assert!(!h.verify(&phc, "a rather long staff passphrasE"));
        assert!(!h.verify(&phc, "a rather long staff passphrase "));
        assert!(!h.verify(&phc, ""));
    }

    #[test]
    fn wrong_pepper_fails() {
        let phc = Hasher::new(PEPPER, HashCost::Test).hash(&good());
        let other = Hasher::new([8; 32], HashCost::Test);
        assert!(!other.verify(&phc, "a rather long staff passphrase"));
        // Nor does plain argon2id without any pepper.
        let unpeppered = Argon2::new(Algorithm::Argon2id, Version::V0x13, TEST_PARAMS);
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(
            unpeppered
                .verify_password(b"a rather long staff passphrase", &parsed)
                .is_err()
        );
    }

    #[test]
    fn malformed_phc_is_false() {
        let h = Hasher::new(PEPPER, HashCost::Test);
        let phc = h.hash(&good());
        let pw = "a rather long staff passphrase";
        let truncated = &phc[..phc.len() - 5];
        let argon2i = phc.replacen("$argon2id$", "$argon2i$", 1);
        let no_hash = phc.rsplit_once('$').unwrap().0.to_owned();
        let greedy = phc.replacen("m=1024", "m=4000000", 1);
        for bad in [
            "",
            "!unusable",
            "$argon2id$",
            "$argon2id$v=19$m=1024,t=1,p=1$$",
            "plaintext",
            truncated,
            &argon2i,
            &no_hash,
            &greedy,
        ] {
            assert!(!h.verify(bad, pw), "{bad}");
        }
    }

    #[test]
    fn verify_reads_params_from_the_phc_string() {
        let test_phc = Hasher::new(PEPPER, HashCost::Test).hash(&good());
        // A hasher now configured with another cost still verifies older hashes.
        let standard = Hasher::new(PEPPER, HashCost::Standard);
        assert!(standard.verify(&test_phc, "a rather long staff passphrase"));
    }

    #[test]
    fn phc_strings_carry_the_expected_params() {
        let test_phc = Hasher::new(PEPPER, HashCost::Test).hash(&good());
        assert!(
            test_phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"),
            "{test_phc}"
        );
        let standard_phc = Hasher::new(PEPPER, HashCost::Standard).hash(&good());
        assert!(
            standard_phc.starts_with("$argon2id$v=19$m=65536,t=4,p=2$"),
            "{standard_phc}"
        );
        for phc in [&test_phc, &standard_phc] {
            let parsed = PasswordHash::new(phc).unwrap();
            assert_eq!(parsed.salt.unwrap().as_str().len(), 22); // 16 bytes
            assert_eq!(parsed.hash.unwrap().len(), 32);
        }
    }

    #[test]
    fn verify_dummy_runs() {
        Hasher::new(PEPPER, HashCost::Test).verify_dummy("anything at all");
    }
}
