use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::x25519;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretBox, SecretString};
use sha2::Sha256;

use super::CryptoError;

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read key file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create key file {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("key file {path} does not hold a valid {what}")]
    Malformed { path: PathBuf, what: &'static str },
    #[error("key file {path} can be read by other users (mode {mode:o}): run `chmod 600 {path}`")]
    TooOpen { path: PathBuf, mode: u32 },
}

/// A new random identifier: 128 bits from the OS, as 32 lowercase hex digits.
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the operating system's random number generator failed");
    hex::encode(b)
}

/// Creates `dir` and any missing parents owner-only (0700), whatever the umask.
/// Directories that already exist keep their mode: an operator may have set it.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn write_new_secret_file(path: &Path, contents: &[u8]) -> Result<(), KeyFileError> {
    let err = |source| KeyFileError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(err)?;
    }
    // Written whole under a temporary name, then linked into place. Processes that
    // start together (the roles, once nothing serialises their start-up) either find
    // no file or a whole key, never part of one; the link fails with `AlreadyExists`
    // rather than replace a key another process made first.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.{}.partial", random_id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let written = opts.open(&partial).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&partial, path));
    let _ = std::fs::remove_file(&partial);
    linked.map_err(err)
}

/// Whether creating a key file failed because another process created it first.
fn created_meanwhile(e: &KeyFileError) -> bool {
    matches!(e, KeyFileError::Create { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists)
}

fn read_secret_file(path: &Path) -> Result<SecretString, KeyFileError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(KeyFileError::TooOpen {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
    }
    std::fs::read_to_string(path)
        .map(SecretString::from)
        .map_err(|source| KeyFileError::Read {
            path: path.to_owned(),
            source,
        })
}

/// The instance master key: an age identity that wraps every programme's identity.
/// Lives in a file outside the database; the public role never opens it.
pub struct MasterKey {
    identity: x25519::Identity,
}

impl MasterKey {
    pub fn generate() -> Self {
        Self {
            identity: x25519::Identity::generate(),
        }
    }

    fn read(path: &Path) -> Result<Self, KeyFileError> {
        let text = read_secret_file(path)?;
        let line = text
            .expose_secret()
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("AGE-SECRET-KEY-"))
            .unwrap_or("");
        let identity = x25519::Identity::from_str(line).map_err(|_| KeyFileError::Malformed {
            path: path.to_owned(),
            what: "age identity (AGE-SECRET-KEY-…)",
        })?;
        Ok(Self { identity })
    }

    /// Loads the key, or creates it (mode 0600) when the file does not exist yet.
    /// Returns whether it was created, so the caller can warn the operator.
    ///
    /// The one way to load the master key, and only `app::keyring` may call it (a
    /// clippy `disallowed-methods` entry with one `#[allow]`): the key goes straight
    /// into the [`crate::keyring::Keyring`], which never hands it out.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyFileError> {
        if path.exists() {
            return Ok((Self::read(path)?, false));
        }
        match Self::create(path) {
            Ok(key) => Ok((key, true)),
            Err(e) if created_meanwhile(&e) => Ok((Self::read(path)?, false)),
            Err(e) => Err(e),
        }
    }

    fn create(path: &Path) -> Result<Self, KeyFileError> {
        let key = Self::generate();
        let contents = format!(
            "# Haven master key. Whoever holds this file can read every enquiry.\n# Keep it off the database server and out of backups of the database.\n# public: {}\n{}\n",
            key.recipient(),
            key.identity.to_string().expose_secret()
        );
        write_new_secret_file(path, contents.as_bytes())?;
        Ok(key)
    }

    pub fn recipient(&self) -> x25519::Recipient {
        self.identity.to_public()
    }

    /// A 256-bit key for one purpose (`label`), derived from the master key, so that
    /// staff-side secrets (the password pepper, session-bound CSRF tokens, recovery
    /// code hashes) need no key file of their own and rotate with the master key.
    pub(crate) fn derive(&self, label: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(
            self.identity.to_string().expose_secret().as_bytes(),
        )
        .expect("HMAC takes keys of any length");
        mac.update(b"haven/derive/");
        mac.update(label.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A derived key as a MAC key (see [`MasterKey::derive`]).
    pub(crate) fn mac_key(&self, label: &str) -> MacKey {
        MacKey(SecretBox::new(Box::new(self.derive(label))))
    }

    /// Encrypts a small secret (a TOTP seed) to the master key itself.
    pub(crate) fn seal_secret(&self, secret: &[u8]) -> Result<Vec<u8>, CryptoError> {
        age::encrypt(&self.recipient(), secret).map_err(|_| CryptoError::Encrypt)
    }

    pub(crate) fn open_secret(&self, sealed: &[u8]) -> Result<SecretBox<Vec<u8>>, CryptoError> {
        age::decrypt(&self.identity, sealed)
            .map(|v| SecretBox::new(Box::new(v)))
            .map_err(|_| CryptoError::Decrypt)
    }

    /// Unwraps a programme identity stored in the database.
    pub(crate) fn unwrap_identity(&self, wrapped: &[u8]) -> Result<x25519::Identity, CryptoError> {
        let plain = SecretBox::new(Box::new(
            age::decrypt(&self.identity, wrapped).map_err(|_| CryptoError::Decrypt)?,
        ));
        let text =
            std::str::from_utf8(plain.expose_secret()).map_err(|_| CryptoError::MalformedKey)?;
        x25519::Identity::from_str(text.trim()).map_err(|_| CryptoError::MalformedKey)
    }
}

/// A programme's own key pair, freshly generated, with the identity already wrapped
/// to the master key. (An escrow recipient gets every ciphertext instead: see
/// [`super::Sealer::with_escrow`].)
pub struct ProgrammeKeyPair {
    pub key_id: String,
    pub recipient: String,
    pub wrapped_identity: Vec<u8>,
}

impl ProgrammeKeyPair {
    /// Wrapping needs only the master *recipient*, so the identity leaves this
    /// function encrypted and is then dropped (and zeroised by age).
    pub fn generate(master: &x25519::Recipient) -> Result<Self, CryptoError> {
        let identity = x25519::Identity::generate();
        let wrapped_identity =
            age::encrypt(master, identity.to_string().expose_secret().as_bytes())
                .map_err(|_| CryptoError::Encrypt)?;
        Ok(Self {
            key_id: random_id(),
            recipient: identity.to_public().to_string(),
            wrapped_identity,
        })
    }
}

/// The intake key: 256 random bits that key the HMACs the public role needs (CSRF
/// tokens, the reference-code pepper). Not the email blind index: that is keyed from
/// the master key ([`ContactIndexKey`]), out of the public role's reach. It cannot decrypt
/// anything; it is kept apart from the database so a stolen database alone cannot
/// test guesses against the hashes.
pub struct IntakeKey(SecretBox<[u8; 32]>);

impl IntakeKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }

    pub fn generate() -> Self {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).expect("the operating system's random number generator failed");
        Self::from_bytes(b)
    }

    /// A second copy for work that must own its key (an import's reader thread); it
    /// is zeroised when dropped, like the first. Deliberately not `Clone`.
    pub fn duplicate(&self) -> Self {
        Self::from_bytes(*self.0.expose_secret())
    }

    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let text = read_secret_file(path)?;
        let malformed = || KeyFileError::Malformed {
            path: path.to_owned(),
            what: "intake key (64 hex digits)",
        };
        let line = text
            .expose_secret()
            .lines()
            .map(str::trim)
            .find(|l| !l.starts_with('#') && !l.is_empty())
            .ok_or_else(malformed)?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(line, &mut bytes).map_err(|_| malformed())?;
        Ok(Self::from_bytes(bytes))
    }

    pub fn load_or_create(path: &Path) -> Result<(Self, bool), KeyFileError> {
        if path.exists() {
            return Ok((Self::load(path)?, false));
        }
        let key = Self::generate();
        let contents = format!(
            "# Haven intake key: keys reference-code hashes and form tokens.\n{}\n",
            hex::encode(key.0.expose_secret())
        );
        match write_new_secret_file(path, contents.as_bytes()) {
            Ok(()) => Ok((key, true)),
            Err(e) if created_meanwhile(&e) => Ok((Self::load(path)?, false)),
            Err(e) => Err(e),
        }
    }

    /// HMAC-SHA-256 of `parts` under this key, for `domain`.
    pub fn mac(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        keyed(&self.0, domain, parts).finalize().into_bytes().into()
    }

    /// Constant-time check of a tag made by [`IntakeKey::mac`] (at least 16 bytes of it).
    pub fn verify(&self, domain: &str, parts: &[&[u8]], tag: &[u8]) -> bool {
        tag.len() >= 16
            && keyed(&self.0, domain, parts)
                .verify_truncated_left(tag)
                .is_ok()
    }
}

/// An HMAC key the console derives from the master key for one staff-side purpose
/// (session-bound CSRF tokens, recovery-code hashes). A type of its own, not an
/// [`IntakeKey`]: the intake key sits on every public instance, and nothing keyed for
/// the console may be computed with it, or stand in for it.
pub struct MacKey(SecretBox<[u8; 32]>);

impl MacKey {
    /// A random key, for tests of what is keyed with one.
    pub fn generate() -> Self {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).expect("the operating system's random number generator failed");
        Self(SecretBox::new(Box::new(b)))
    }

    /// HMAC-SHA-256 of `parts` under this key, for `domain`.
    pub fn mac(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        keyed(&self.0, domain, parts).finalize().into_bytes().into()
    }

    /// Constant-time check of a tag made by [`MacKey::mac`] (at least 16 bytes of it).
    pub fn verify(&self, domain: &str, parts: &[&[u8]], tag: &[u8]) -> bool {
        tag.len() >= 16
            && keyed(&self.0, domain, parts)
                .verify_truncated_left(tag)
                .is_ok()
    }
}

/// The key of the email blind index (`enquiries.contact_index`), derived from the
/// master key: the worker and the console compute the index, the public role cannot
/// (it would let a stolen public host test "did this address ask for help?"). Only
/// the keyring makes one, and it never leaves the keyring.
pub(crate) struct ContactIndexKey(SecretBox<[u8; 32]>);

impl ContactIndexKey {
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(SecretBox::new(Box::new(bytes)))
    }

    /// The index of an address in its normalised form (`EmailAddress::normalised`).
    pub(crate) fn index(&self, normalised: &str) -> Vec<u8> {
        keyed(&self.0, "haven/contact-index", &[normalised.as_bytes()])
            .finalize()
            .into_bytes()
            .to_vec()
    }
}

/// What stateless tokens (`web::csrf`) need of a key: either key type can sign them,
/// each for its own forms. Everything keyed for one purpose takes its own type.
pub trait Keyed {
    fn mac(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32];
    fn verify(&self, domain: &str, parts: &[&[u8]], tag: &[u8]) -> bool;
}

impl Keyed for IntakeKey {
    fn mac(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        IntakeKey::mac(self, domain, parts)
    }
    fn verify(&self, domain: &str, parts: &[&[u8]], tag: &[u8]) -> bool {
        IntakeKey::verify(self, domain, parts, tag)
    }
}

impl Keyed for MacKey {
    fn mac(&self, domain: &str, parts: &[&[u8]]) -> [u8; 32] {
        MacKey::mac(self, domain, parts)
    }
    fn verify(&self, domain: &str, parts: &[&[u8]], tag: &[u8]) -> bool {
        MacKey::verify(self, domain, parts, tag)
    }
}

/// The MAC state for `domain` and `parts`. Each part is length-prefixed so
/// ("ab","c") and ("a","bc") differ; the domain label keeps one use's output from
/// standing in for another's.
fn keyed(key: &SecretBox<[u8; 32]>, domain: &str, parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose_secret())
        .expect("HMAC takes keys of any length");
    mac.update(domain.as_bytes());
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The roles start together and each creates the intake key if it is missing: every
    /// one must end up with the same key, none with an error or half a file.
    #[test]
    fn processes_creating_a_key_file_at_once_all_get_the_one_key() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("intake.key");
            let start = std::sync::Arc::new(std::sync::Barrier::new(8));
            let got: Vec<[u8; 32]> = (0..8)
                .map(|_| {
                    let (path, start) = (path.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        let (key, _) = IntakeKey::load_or_create(&path).expect("a key");
                        key.mac("test", &[])
                    })
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|t| t.join().unwrap())
                .collect();
            assert!(got.windows(2).all(|w| w[0] == w[1]), "two different keys");
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "only the key file is left");
        }
    }

    #[test]
    fn master_key_file_is_created_private_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/master.key");
        let created = MasterKey::create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let loaded = MasterKey::read(&path).unwrap();
        assert!(matches!(
            MasterKey::create(&path),
            Err(KeyFileError::Create { .. })
        ));
        assert_eq!(
            loaded.recipient().to_string(),
            created.recipient().to_string()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        MasterKey::create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(
            MasterKey::read(&path),
            Err(KeyFileError::TooOpen { .. })
        ));
    }

    #[test]
    fn a_programme_identity_round_trips_through_the_master_key() {
        let master = MasterKey::generate();
        let pair = ProgrammeKeyPair::generate(&master.recipient()).unwrap();
        let identity = master.unwrap_identity(&pair.wrapped_identity).unwrap();
        assert_eq!(identity.to_public().to_string(), pair.recipient);
        let other = MasterKey::generate();
        assert!(other.unwrap_identity(&pair.wrapped_identity).is_err());
    }

    #[test]
    fn macs_are_domain_separated_and_verify() {
        let k = IntakeKey::generate();
        let a = k.mac("ref", &[b"abc"]);
        assert_ne!(a, k.mac("email", &[b"abc"]));
        assert_ne!(k.mac("x", &[b"ab", b"c"]), k.mac("x", &[b"a", b"bc"]));
        assert!(k.verify("ref", &[b"abc"], &a[..16]));
        assert!(!k.verify("ref", &[b"abd"], &a[..16]));
        assert!(!k.verify("ref", &[b"abc"], &a[..4]));
    }
}
