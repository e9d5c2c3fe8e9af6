//! The keyring: the one holder of the instance master key, and the one gate through
//! which anything sealed to a programme is opened.
//!
//! Only `app::keyring` loads the master key (clippy's `disallowed-methods` refuses
//! `MasterKey::load_or_create` anywhere else), and it goes straight in here; nothing
//! hands it out again. What the console and the worker need from it is a method of
//! [`Keyring`]:
//!
//! - [`Keyring::open_enquiry`], [`Keyring::open_case`] and [`Keyring::open_campaign`]:
//!   a staff member (or a named part of Haven) reading sealed data. Each checks, in
//!   this order and before anything is decrypted: that the key still exists (a
//!   crypto-shredded programme is not a read), the reader's shared hourly cap
//!   (`decrypts_per_user_per_hour`, one database window every console instance
//!   counts in; a refusal is audited as an `alert`), and then writes the read's audit
//!   row. A read that cannot be audited does not happen. Each opens only the
//!   ciphertexts of the enquiries it names.
//! - [`Keyring::courier`]: the outbound worker opens queued messages (the outbox row is
//!   the record: it was audited when it was queued).
//! - [`Keyring::resealing`]: key rotation opens stale ciphertexts and seals them
//!   again; the plaintext never leaves the keyring. Each batch is audited first.
//! - The staff side's own secrets: the password pepper, the console's MAC key (a
//!   [`MacKey`], never an intake key), TOTP seeds, and the master *recipient* that new
//!   programme keys are wrapped to.

use std::collections::HashMap;
use std::sync::Arc;

use age::x25519;
use secrecy::SecretBox;
use tokio::sync::Mutex;
use zeroize::Zeroizing;

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::password::{HashCost, Hasher};
use crate::casework::notes::Note;
use crate::crypto::{
    ContactIndexKey, CryptoError, MacKey, MasterKey, Opener, ProgrammeSigner, Sealed, Sealer,
};
use crate::domain::EmailAddress;
use crate::enquiry::EnquiryContent;
use crate::replies::ReplyContent;
use crate::store::{EnquiryRecord, NoteRecord, ReplyRecord, Store, StoreError};

/// Length of the decrypt cap's window.
const HOUR: i64 = 3600;

/// The hourly window a reader's decrypts count in: staff members only (a part of
/// Haven, a command, is audited under its own name and not capped).
fn cap_bucket(reader: &Actor) -> Option<Vec<u8>> {
    match reader {
        Actor::Staff(id) => Some(format!("decrypt:{id}").into_bytes()),
        _ => None,
    }
}

/// Why a read did not happen.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The reader used up their hourly allowance; the refusal is audited.
    #[error("hourly decrypt limit reached")]
    Capped,
    /// The programme's key was destroyed (crypto-shredding): nothing can be opened.
    #[error("that key was destroyed")]
    KeyDestroyed,
    /// A sealed record names a key the database does not have.
    #[error("a sealed record refers to a missing key")]
    MissingKey,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(CryptoError),
}

impl From<CryptoError> for GateError {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::KeyDestroyed => Self::KeyDestroyed,
            other => Self::Crypto(other),
        }
    }
}

/// One read: what it is (the audit action), and what the audit row says besides.
#[derive(Debug, Clone)]
pub struct Read {
    pub action: AuditAction,
    pub detail: serde_json::Value,
}

impl Read {
    pub fn new(action: AuditAction) -> Self {
        Self {
            action,
            detail: serde_json::json!({}),
        }
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// An enquiry as a case read shows it: its content, notes and replies.
pub struct OpenedCase {
    pub content: EnquiryContent,
    pub notes: Vec<(NoteRecord, Note)>,
    pub replies: Vec<(ReplyRecord, ReplyContent)>,
    /// What the person wrote back from their reply inbox (`conversation`).
    pub messages: Vec<crate::conversation::Heard>,
}

/// Holds the master key; see the module documentation. Cheap to clone (one shared
/// inner value).
#[derive(Clone)]
pub struct Keyring(Arc<Inner>);

struct Inner {
    store: Store,
    master: MasterKey,
    decrypts_per_hour: u32,
}

impl Keyring {
    /// Only `app::keyring` builds one, with the key it loaded.
    pub(crate) fn new(store: Store, master: MasterKey, decrypts_per_hour: u32) -> Self {
        Self(Arc::new(Inner {
            store,
            master,
            decrypts_per_hour,
        }))
    }

    /// The master key's public half: new programme keys are wrapped to it.
    pub fn recipient(&self) -> x25519::Recipient {
        self.0.master.recipient()
    }

    /// The password hasher, peppered with a key derived from the master key (a
    /// stolen database alone cannot be cracked offline).
    pub fn password_hasher(&self, cost: HashCost) -> Hasher {
        Hasher::new(self.0.master.derive("haven/password-pepper"), cost)
    }

    /// The key that signs programme states (every save of a programme, every key
    /// rotation), derived from the master key, with the master recipient new
    /// programme keys are wrapped to. The public role holds only its verifier.
    pub fn programme_signer(&self) -> ProgrammeSigner {
        ProgrammeSigner::from_seed(
            self.0.master.derive("haven/programme-signing"),
            self.0.master.recipient(),
        )
    }

    /// The email blind index of `email`, keyed from the master key: what a console
    /// look-up by address compares with `enquiries.contact_index`. The public role has
    /// no keyring, so it cannot compute one.
    pub fn contact_index(&self, email: &EmailAddress) -> Vec<u8> {
        self.contact_index_key().index(&email.normalised())
    }

    fn contact_index_key(&self) -> ContactIndexKey {
        ContactIndexKey::from_bytes(self.0.master.derive("haven/contact-index"))
    }

    /// Computes the email blind index of `enquiries` (id and ciphertext), for the
    /// worker's job: the batch is audited (`enquiry.index-contact`, the count) before
    /// anything opens, not counted against a cap (nobody reads anything), and only
    /// the index leaves the keyring. An enquiry without an address gets `None`.
    pub async fn index_contacts(
        &self,
        reader: &Actor,
        enquiries: &[(String, Sealed)],
    ) -> Result<Vec<(String, Option<Vec<u8>>)>, GateError> {
        self.check(
            reader,
            &Read::new(AuditAction::EnquiryIndexContact)
                .detail(serde_json::json!({ "rows": enquiries.len() })),
            "enquiries",
            Cap::NotCounted,
        )
        .await?;
        let key = self.contact_index_key();
        let mut openers = Openers::default();
        let mut out = Vec::with_capacity(enquiries.len());
        for (id, sealed) in enquiries {
            let content = EnquiryContent::open(openers.get(self, sealed).await?, sealed)?;
            let index = content.email.as_deref().map(|email| {
                // Stored addresses were parsed when they arrived; the raw text,
                // lowercased, stands in should one not parse again.
                let normalised = EmailAddress::parse(email)
                    .map(|e| e.normalised())
                    .unwrap_or_else(|_| email.to_lowercase());
                key.index(&normalised)
            });
            out.push((id.clone(), index));
        }
        Ok(out)
    }

    /// The console's key for session-bound CSRF tokens and recovery-code hashes.
    pub fn console_mac(&self) -> MacKey {
        self.0.master.mac_key("haven/console")
    }

    /// Keys the hash of each email's text on its outbox row (`crate::stamp`).
    pub fn text_key(&self) -> crate::stamp::TextKey {
        crate::stamp::TextKey::new(self.0.master.mac_key("haven/outbox-text"))
    }

    /// Seals a staff member's TOTP seed to the master key.
    pub fn seal_totp_seed(&self, seed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.0.master.seal_secret(seed)
    }

    /// Opens a TOTP seed to check a code at sign-in. Not a read of anyone's enquiry:
    /// sign-in is throttled and audited on its own.
    pub fn open_totp_seed(&self, sealed: &[u8]) -> Result<SecretBox<Vec<u8>>, CryptoError> {
        self.0.master.open_secret(sealed)
    }

    /// Whether the master key opens the programme key `key_id` (a rotation refuses
    /// a master key that does not, rather than wrap a new key to the wrong one).
    pub async fn opens_key(&self, key_id: &str) -> Result<bool, GateError> {
        let wrapped = self.wrapped(key_id).await?;
        Ok(self.0.master.unwrap_identity(&wrapped).is_ok())
    }

    /// Whether `recipient` is the public half of the programme key `key_id` as the
    /// master key unwraps it: a key this Haven made, not a recipient written beside
    /// it (`haven programme re-sign` shows the answer before it signs).
    pub async fn key_is(&self, key_id: &str, recipient: &str) -> Result<bool, GateError> {
        let wrapped = self.wrapped(key_id).await?;
        Ok(self
            .0
            .master
            .unwrap_identity(&wrapped)
            .is_ok_and(|identity| identity.to_public().to_string() == recipient))
    }

    /// The wrapped identity of a key, without unwrapping it.
    async fn wrapped(&self, key_id: &str) -> Result<Vec<u8>, GateError> {
        let key = self
            .0
            .store
            .programme_key(key_id)
            .await?
            .ok_or(GateError::MissingKey)?;
        key.wrapped_identity.ok_or(GateError::KeyDestroyed)
    }

    async fn opener(&self, key_id: &str) -> Result<Opener, GateError> {
        let wrapped = self.wrapped(key_id).await?;
        Ok(Opener::new(
            key_id,
            self.0.master.unwrap_identity(&wrapped)?,
        ))
    }

    /// The gate's checks, before anything is opened: the reader's cap, then the audit
    /// row. `subject` is what the row names.
    async fn admit(&self, reader: &Actor, read: &Read, subject: &str) -> Result<(), GateError> {
        self.check(reader, read, subject, Cap::Counted).await
    }

    async fn check(
        &self,
        reader: &Actor,
        read: &Read,
        subject: &str,
        cap: Cap,
    ) -> Result<(), GateError> {
        let store = &self.0.store;
        if let (Cap::Counted, Some(bucket)) = (cap, cap_bucket(reader)) {
            let hits = store
                .count_in_window(&bucket, crate::store::now(), HOUR)
                .await?;
            if hits > i64::from(self.0.decrypts_per_hour) {
                let mut detail = read.detail.clone();
                if let Some(map) = detail.as_object_mut() {
                    map.insert("refused".into(), "hourly decrypt limit".into());
                }
                store
                    .record_audit(
                        &Entry::new(reader, read.action, subject)
                            .outcome(Outcome::Alert)
                            .detail(detail),
                    )
                    .await?;
                return Err(GateError::Capped);
            }
        }
        store
            .record_audit(&Entry::new(reader, read.action, subject).detail(&read.detail))
            .await?;
        Ok(())
    }

    /// Reads one enquiry's content.
    pub async fn open_enquiry(
        &self,
        reader: &Actor,
        read: Read,
        record: &EnquiryRecord,
    ) -> Result<EnquiryContent, GateError> {
        self.wrapped(&record.sealed.key_id).await?;
        self.admit(reader, &read, &format!("enquiry:{}", record.id))
            .await?;
        let opener = self.opener(&record.sealed.key_id).await?;
        Ok(EnquiryContent::open(&opener, &record.sealed)?)
    }

    /// Reads one enquiry as case work shows it: the content, every note and every
    /// reply sent. One read (one audit row, one count against the cap); the row's
    /// detail says how many notes it showed.
    pub async fn open_case(
        &self,
        reader: &Actor,
        read: Read,
        record: &EnquiryRecord,
    ) -> Result<OpenedCase, GateError> {
        let store = &self.0.store;
        self.wrapped(&record.sealed.key_id).await?;
        let notes = store.notes(&record.id).await?;
        let replies = store.replies_of(&record.id).await?;
        let messages = store.person_messages(&record.id).await?;
        let mut read = read;
        if let Some(map) = read.detail.as_object_mut() {
            map.insert("notes".into(), notes.len().into());
            map.insert("messages".into(), messages.len().into());
        }
        self.admit(reader, &read, &format!("enquiry:{}", record.id))
            .await?;
        let mut openers = Openers::default();
        let content =
            EnquiryContent::open(openers.get(self, &record.sealed).await?, &record.sealed)?;
        let mut opened_notes = Vec::with_capacity(notes.len());
        // Clear columns hold the hour; the exact time sealed inside each note and
        // reply is what staff see and what orders them.
        for mut n in notes {
            let plain = Zeroizing::new(openers.get(self, &n.sealed).await?.open(&n.sealed)?);
            let (note, at) = Note::parse_timed(&plain)?;
            n.created_at = at.unwrap_or(n.created_at);
            opened_notes.push((n, note));
        }
        opened_notes.sort_by_key(|(n, _)| n.created_at);
        let mut opened_replies = Vec::with_capacity(replies.len());
        for mut r in replies {
            let content = ReplyContent::open(openers.get(self, &r.sealed).await?, &r.sealed)?;
            r.created_at = content.sent_at;
            opened_replies.push((r, content));
        }
        opened_replies.sort_by_key(|(r, _)| r.created_at);
        let mut heard = Vec::with_capacity(messages.len());
        for m in messages {
            let content = crate::conversation::PersonMessageContent::open(
                openers.get(self, &m.sealed).await?,
                &m.sealed,
            )?;
            heard.push((m, content));
        }
        heard.sort_by_key(|(_, c)| c.sent_at);
        Ok(OpenedCase {
            content,
            notes: opened_notes,
            replies: opened_replies,
            messages: heard,
        })
    }

    /// Reads every enquiry of a campaign, to render each person's own message when it
    /// is approved. One read by the approver (who sees none of them), audited under
    /// `campaign:{id}` with the number of enquiries, and counted once.
    pub async fn open_campaign(
        &self,
        reader: &Actor,
        read: Read,
        campaign_id: &str,
        records: &[EnquiryRecord],
    ) -> Result<Vec<EnquiryContent>, GateError> {
        self.open_listed(reader, read, &format!("campaign:{campaign_id}"), records)
            .await
    }

    /// Reads the enquiries of an incident's recipients list, to show each one's
    /// address masked (issue 20). One read by the supervisor, audited under `subject`
    /// with the number of enquiries before any is opened, and counted once against
    /// their hourly cap.
    pub async fn open_listed(
        &self,
        reader: &Actor,
        read: Read,
        subject: &str,
        records: &[EnquiryRecord],
    ) -> Result<Vec<EnquiryContent>, GateError> {
        for key_id in records
            .iter()
            .map(|r| r.sealed.key_id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
        {
            self.wrapped(key_id).await?;
        }
        let mut read = read;
        if let Some(map) = read.detail.as_object_mut() {
            map.insert("enquiries".into(), records.len().into());
        }
        self.admit(reader, &read, subject).await?;
        let mut openers = Openers::default();
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            out.push(EnquiryContent::open(
                openers.get(self, &r.sealed).await?,
                &r.sealed,
            )?);
        }
        Ok(out)
    }

    /// Reads one sealed record that is not an enquiry (an incident's words, issue 20):
    /// the reader's cap and the audit row under `subject` first, as for any read. The
    /// plaintext is wiped when the caller drops it.
    pub async fn open_record(
        &self,
        reader: &Actor,
        read: Read,
        subject: &str,
        sealed: &Sealed,
    ) -> Result<Zeroizing<Vec<u8>>, GateError> {
        self.wrapped(&sealed.key_id).await?;
        self.admit(reader, &read, subject).await?;
        let opener = self.opener(&sealed.key_id).await?;
        Ok(Zeroizing::new(opener.open(sealed)?))
    }

    /// What the outbound worker opens messages with.
    pub fn courier(&self) -> Courier {
        Courier {
            keyring: self.clone(),
            openers: Mutex::new(HashMap::new()),
        }
    }

    /// Starts re-sealing `count` stale ciphertexts of `programme` (a slug) to its
    /// current key: the batch is audited (`programme.reseal`) before anything opens.
    /// Not counted against anyone's cap: nobody reads what is re-sealed, and the
    /// plaintext never leaves the keyring.
    pub async fn resealing(
        &self,
        reader: &Actor,
        programme: &str,
        to_key: &str,
        count: usize,
    ) -> Result<Resealing, GateError> {
        self.check(
            reader,
            &Read::new(AuditAction::ProgrammeReseal)
                .detail(serde_json::json!({ "rows": count, "to": to_key })),
            &format!("programme:{programme}"),
            Cap::NotCounted,
        )
        .await?;
        Ok(Resealing {
            keyring: self.clone(),
            openers: Openers::default(),
        })
    }
}

/// Whether a gate check counts against the reader's cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    Counted,
    NotCounted,
}

/// Unwrapped programme identities, for the length of one read.
#[derive(Default)]
struct Openers(HashMap<String, Opener>);

impl Openers {
    async fn get(&mut self, keyring: &Keyring, sealed: &Sealed) -> Result<&Opener, GateError> {
        let id = sealed.key_id.as_str();
        if !self.0.contains_key(id) {
            let opener = keyring.opener(id).await?;
            self.0.insert(id.to_owned(), opener);
        }
        self.0.get(id).ok_or(GateError::MissingKey)
    }
}

/// Opens queued outbox messages for the outbound worker. The worker reads each with
/// `outbound::outbox::open_message`, which accepts only the outbox layout and returns
/// the message rebuilt through `OutboundMessage::new` (so the guard runs again); the
/// keyring itself does not know that layout (it would import `outbound`, which imports
/// it). Programme identities are unwrapped once per key and kept for the worker's life.
pub struct Courier {
    keyring: Keyring,
    openers: Mutex<HashMap<String, Arc<Opener>>>,
}

impl Courier {
    /// `read(opener, sealed)` with the identity of the key `sealed` names.
    pub async fn open_with<T>(
        &self,
        sealed: &Sealed,
        read: impl FnOnce(&Opener, &Sealed) -> T,
    ) -> Result<T, GateError> {
        let opener = {
            let mut cache = self.openers.lock().await;
            match cache.get(&sealed.key_id) {
                Some(o) => o.clone(),
                None => {
                    let o = Arc::new(self.keyring.opener(&sealed.key_id).await?);
                    cache.insert(sealed.key_id.clone(), o.clone());
                    o
                }
            }
        };
        Ok(read(&opener, sealed))
    }
}

/// A batch of re-sealing under way (see [`Keyring::resealing`]).
pub struct Resealing {
    keyring: Keyring,
    openers: Openers,
}

impl Resealing {
    /// The same plaintext sealed with `sealer` (and to `inbox` too, for a reply the
    /// enquirer reads in the reply inbox). The plaintext is wiped on return.
    pub async fn reseal(
        &mut self,
        sealed: &Sealed,
        sealer: &Sealer,
        inbox: Option<&str>,
    ) -> Result<Sealed, GateError> {
        let plain = Zeroizing::new(
            self.openers
                .get(&self.keyring, sealed)
                .await?
                .open(sealed)?,
        );
        Ok(sealer.seal_with(inbox, &plain)?)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn only_the_start_up_builder_loads_the_master_key() {
        let mut all = Vec::new();
        sources(&root().join("src"), &mut all);
        // Spelled in parts so this test does not find itself.
        let call = concat!("MasterKey::", "load_or_create(");
        let callers: Vec<String> = all
            .iter()
            .filter(|(path, _)| !path.ends_with("crypto/keys.rs"))
            .flat_map(|(path, text)| {
                text.lines()
                    .filter(|l| l.split("//").next().unwrap_or("").contains(call))
                    .map(move |_| path.display().to_string())
            })
            .collect();
        assert_eq!(callers.len(), 1, "{callers:?}");
        assert!(callers[0].ends_with("src/app.rs"), "{callers:?}");
        let clippy = std::fs::read_to_string(root().join("clippy.toml")).unwrap();
        assert!(clippy.contains("\"haven::crypto::MasterKey::load_or_create\""));
    }

    #[test]
    fn the_public_roles_code_cannot_compute_the_email_blind_index() {
        // Its key is derived from the master key inside the keyring; nothing the
        // public role runs names it, or the index's domain label.
        let mut all = Vec::new();
        sources(&root().join("src/intake"), &mut all);
        for (path, text) in &all {
            for name in [
                "ContactIndexKey",
                "contact_index(",
                "haven/contact-index",
                "haven/email",
            ] {
                assert!(!text.contains(name), "{} names {name}", path.display());
            }
        }
    }

    #[test]
    fn the_contact_index_ignores_case_and_is_not_the_intake_keys() {
        let master = crate::crypto::MasterKey::generate();
        let key = super::ContactIndexKey::from_bytes(master.derive("haven/contact-index"));
        let a = super::EmailAddress::parse("Ana@Example.org").unwrap();
        let b = super::EmailAddress::parse("ana@example.ORG").unwrap();
        assert_eq!(key.index(&a.normalised()), key.index(&b.normalised()));
        let other = crate::crypto::MasterKey::generate();
        let elsewhere = super::ContactIndexKey::from_bytes(other.derive("haven/contact-index"));
        assert_ne!(key.index(&a.normalised()), elsewhere.index(&a.normalised()));
    }

    #[test]
    fn the_public_roles_state_has_no_field_for_a_secret_key() {
        let text = std::fs::read_to_string(root().join("src/intake/mod.rs")).unwrap();
        let start = text.find("pub struct Intake {").expect("the public state");
        let fields = &text[start..start + text[start..].find('}').unwrap()];
        for secret in [
            "Keyring",
            "MasterKey",
            "Opener",
            "Identity",
            "MacKey",
            "ContactIndexKey",
            "ProgrammeSigner",
            "Console",
        ] {
            assert!(!fields.contains(secret), "Intake holds a {secret}");
        }
    }
}
