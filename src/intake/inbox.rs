//! The reply inbox, as the public role opens it: a person types their reference code
//! and passphrase, and reads the replies sealed to their own inbox key.
//!
//! [`Attempt::parse`] reads what was typed and hashes the code (even a malformed one,
//! so every failure costs the same and is throttled alike: the handler limits attempts
//! per client and per code hash before anything is looked up). [`open`] finds the
//! enquiry, checks the passphrase against its keyed hash, derives the person's inbox
//! identity from the two secrets for this one request, and opens their replies with
//! it. The public role holds no key that opens anything else.

use super::submission;
use crate::crypto::Sealed;
use crate::crypto::{CryptoError, IntakeKey};
use crate::domain::{Passphrase, ReferenceCode};
use crate::programme::live::LiveProgramme;
use crate::replies::ReplyContent;
use crate::store::{Store, StoreError};

/// One sign-in attempt, parsed.
pub struct Attempt {
    pub(super) reference: Option<ReferenceCode>,
    pub(super) passphrase: Option<Passphrase>,
    /// What the attempt is throttled by (the code's keyed hash).
    pub code_hash: [u8; 32],
}

impl Attempt {
    pub fn parse(key: &IntakeKey, typed_reference: &str, typed_passphrase: &str) -> Self {
        let reference = ReferenceCode::parse(typed_reference).ok();
        let passphrase = Passphrase::parse(typed_passphrase).ok();
        // Hash even a malformed code so every failure costs the same and is throttled alike.
        let code_hash = match &reference {
            Some(r) => submission::reference_hash(key, r),
            None => key.mac("haven/reference", &[typed_reference.as_bytes()]),
        };
        Self {
            reference,
            passphrase,
            code_hash,
        }
    }
}

/// What a person sees in their inbox.
pub struct Inbox {
    /// The email section (`super::contact`).
    pub contact: ContactPanel,
    pub status: crate::casework::Status,
    pub replies: Vec<ReplyContent>,
    /// The partners it was referred to, if the programme says so (names only).
    pub referred_to: Vec<String>,
    /// The enquiry these are of (writing back adds to it: `write_back`).
    pub enquiry_id: String,
    /// What the person wrote back, oldest first (`conversation`).
    pub messages: Vec<crate::conversation::PersonMessageContent>,
    /// "What you sent", a phone intake's new passphrase, withdrawal (`intake::own`).
    pub own: super::own::OwnView,
}

#[derive(Debug, thiserror::Error)]
pub enum InboxError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// The inbox `attempt` opens in `live`'s programme; `None` for a wrong or unknown code
/// or passphrase (the same answer for each).
pub async fn open(
    store: &Store,
    key: &IntakeKey,
    live: &LiveProgramme,
    attempt: &Attempt,
) -> Result<Option<Inbox>, InboxError> {
    let (Some(reference), Some(passphrase)) = (&attempt.reference, &attempt.passphrase) else {
        return Ok(None);
    };
    let Some(record) = store.inbox_enquiry(&live.id, &attempt.code_hash).await? else {
        return Ok(None);
    };
    if !submission::passphrase_matches(key, &record.passphrase_hash, passphrase) {
        return Ok(None);
    }
    // The person's own key, derived from what they typed, for this request only.
    let identity = crate::crypto::inbox::inbox_identity(reference, passphrase)?;
    let mut replies = Vec::new();
    for sealed in store.inbox_replies(&record.id).await? {
        // A reply sealed before the enquiry had an inbox key cannot be shown here.
        if let Ok(c) = ReplyContent::open_with(&identity, &sealed) {
            replies.push(c);
        }
    }
    // Stored by the hour; the exact time sealed inside orders them.
    replies.sort_by_key(|c| c.sent_at);
    // Only names of partners, and only if the programme chose to say so.
    let own = super::own::view(store, live, &record.id, &identity).await?;
    // A phone intake shows replies only until the person chose their own passphrase.
    let referred_to = if live.programme.file().referrals.show_in_inbox && !own.must_choose {
        store.disclosed_partners(&record.id).await?
    } else {
        Vec::new()
    };
    let messages = crate::conversation::open_for_person(store, &record.id, &identity).await?;
    let contact = contact_panel(store, &record.id, &identity).await?;
    Ok(Some(Inbox {
        enquiry_id: record.id.clone(),
        contact,
        status: record.status,
        replies,
        referred_to,
        messages,
        own,
    }))
}

/// What the inbox's email section (`super::contact`) shows.
#[derive(Debug, Clone, Default)]
pub struct ContactPanel {
    /// A code was sent to an address (the worker's record exists).
    pub known: bool,
    pub confirmed: bool,
    pub masked: Option<String>,
}

/// The section's state for `enquiry_id`, opening the masked address with the
/// person's inbox identity (derived for this request only).
pub async fn contact_panel(
    store: &Store,
    enquiry_id: &str,
    identity: &age::x25519::Identity,
) -> Result<ContactPanel, StoreError> {
    let Some(shown) = store.contact_shown(enquiry_id).await? else {
        return Ok(ContactPanel::default());
    };
    let masked = shown.masked.as_ref().and_then(|s| open_masked(identity, s));
    Ok(ContactPanel {
        known: true,
        confirmed: shown.confirmed,
        masked,
    })
}

fn open_masked(identity: &age::x25519::Identity, sealed: &Sealed) -> Option<String> {
    let bytes = age::decrypt(identity, &sealed.ciphertext).ok()?;
    String::from_utf8(bytes).ok()
}
