//! The two-way reply inbox (issue 21, item 5): what a person writes back, and the
//! conversation both sides see.
//!
//! - `intake::write_back::check` reads a typed message as the form reads a long text
//!   (same cleaning, same 10,000-character limit, the same error messages).
//! - [`seal`] seals it to the programme's key *and* to the person's inbox key, derived
//!   from the reference code and passphrase they just typed (the public role holds no
//!   key: the identity lives for one request, as in `intake::inbox`). The clear columns
//!   say only which enquiry and which hour.
//! - The public role only INSERTs the message; the worker's [`requeue_pending`] (every
//!   poll, `spawn_schedule`) moves each enquiry written on to `person_replied`, which
//!   `queue_enquiries` sorts to the top of its queue.
//! - [`Thread`] merges staff replies and the person's messages in the order they were
//!   written (the exact times are sealed inside), each side labelled; staff open it in
//!   the same audited read as the rest of the case (`Keyring::open_case`), the person
//!   with their inbox identity.
//! - [`person_status`] words a status for the person, not for staff.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::casework::Status;
use crate::crypto::{CryptoError, Opener, Sealed, random_id};
use crate::domain::{Passphrase, ReferenceCode};
use crate::programme::live::LiveProgramme;
use crate::replies::ReplyContent;
use crate::store::{NewPersonMessage, PersonMessageRecord, Store, StoreError};

/// The sealed layout of a person's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonMessageContent {
    pub text: String,
    pub sent_at: i64,
}

impl PersonMessageContent {
    /// Staff side: opened by the keyring, in a case read.
    pub(crate) fn open(opener: &Opener, sealed: &Sealed) -> Result<Self, CryptoError> {
        let json = Zeroizing::new(opener.open(sealed)?);
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }

    /// The person's side: opened with their own inbox identity.
    pub fn open_with(
        identity: &age::x25519::Identity,
        sealed: &Sealed,
    ) -> Result<Self, CryptoError> {
        let json = Zeroizing::new(
            age::decrypt(identity, &sealed.ciphertext).map_err(|_| CryptoError::Decrypt)?,
        );
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }
}

/// Seals a checked message for `enquiry_id`, to the programme and to the inbox key of
/// the codes the person typed (checked by the caller against the enquiry's hashes).
pub fn seal(
    live: &LiveProgramme,
    enquiry_id: &str,
    reference: &ReferenceCode,
    passphrase: &Passphrase,
    text: String,
    at: i64,
) -> Result<NewPersonMessage, CryptoError> {
    let inbox = crate::crypto::inbox::inbox_recipient(reference, passphrase)?;
    let plain = PersonMessageContent { text, sent_at: at };
    let json = Zeroizing::new(serde_json::to_vec(&plain).map_err(|_| CryptoError::Encrypt)?);
    Ok(NewPersonMessage {
        id: random_id(),
        enquiry_id: enquiry_id.to_owned(),
        sealed: live.sealer.seal_with(Some(&inbox), &json)?,
        created_at: at,
    })
}

/// The person's messages of one enquiry that their identity opens, oldest first.
pub async fn open_for_person(
    store: &Store,
    enquiry_id: &str,
    identity: &age::x25519::Identity,
) -> Result<Vec<PersonMessageContent>, StoreError> {
    let mut out: Vec<_> = store
        .person_messages(enquiry_id)
        .await?
        .iter()
        // One sealed to an older passphrase's key cannot be shown here.
        .filter_map(|m| PersonMessageContent::open_with(identity, &m.sealed).ok())
        .collect();
    out.sort_by_key(|m| m.sent_at);
    Ok(out)
}

/// Who wrote one entry of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Staff,
    Person,
}

/// One entry of the conversation.
#[derive(Debug, Clone, Copy)]
pub enum Said<'a> {
    Staff(&'a ReplyContent),
    Person(&'a PersonMessageContent),
}

impl Said<'_> {
    pub fn side(&self) -> Side {
        match self {
            Said::Staff(_) => Side::Staff,
            Said::Person(_) => Side::Person,
        }
    }

    pub fn sent_at(&self) -> i64 {
        match self {
            Said::Staff(r) => r.sent_at,
            Said::Person(m) => m.sent_at,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Said::Staff(r) => &r.text,
            Said::Person(m) => &m.text,
        }
    }
}

/// Both sides in the order they were written (a tie: staff first, as a reply answered
/// before the person's message arrived).
pub struct Thread<'a>(pub Vec<Said<'a>>);

impl<'a> Thread<'a> {
    pub fn new(
        replies: impl IntoIterator<Item = &'a ReplyContent>,
        messages: impl IntoIterator<Item = &'a PersonMessageContent>,
    ) -> Self {
        let mut all: Vec<Said<'a>> = replies.into_iter().map(Said::Staff).collect();
        all.extend(messages.into_iter().map(Said::Person));
        // Stable: within one side the stored order stays.
        all.sort_by_key(|s| (s.sent_at(), s.side() == Side::Person));
        Self(all)
    }

    /// Whether the person wrote last (their message waits for an answer).
    pub fn person_wrote_last(&self) -> bool {
        self.0.last().is_some_and(|s| s.side() == Side::Person)
    }
}

/// The status as the person reads it (a Fluent message id). Staff words ("awaiting
/// reply") say whose turn it is from the agent's side; the person reads what happened.
/// Their own message, last in the thread, reads "We have your message" at once, before
/// the worker has moved the enquiry (and after staff moved it on without answering yet).
pub fn person_status(status: Status, person_wrote_last: bool) -> &'static str {
    match status {
        Status::Closed if !person_wrote_last => "talk-status-closed",
        _ if person_wrote_last => "talk-status-received",
        Status::PersonReplied => "talk-status-received",
        Status::AwaitingReply => "talk-status-answered",
        Status::New | Status::InProgress | Status::Closed => "talk-status-reviewing",
    }
}

/// The worker's job: enquiries with a new message from the person move to
/// `person_replied` (and so to the top of their queue). Returns how many moved.
pub async fn requeue_pending(store: &Store) -> Result<u64, StoreError> {
    store.requeue_person_messages(crate::store::now()).await
}

/// How often the worker looks (the brief: within one poll).
pub const POLL: Duration = Duration::from_secs(15);

/// Runs [`requeue_pending`] every [`POLL`] (the worker role, `haven serve`).
pub fn spawn_schedule(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        loop {
            tick.tick().await;
            match requeue_pending(&store).await {
                Ok(0) => {}
                // A count only: nothing of who or what.
                Ok(n) => tracing::info!(enquiries = n, "people wrote back: enquiries re-queued"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not re-queue enquiries people wrote back on")
                }
            }
        }
    });
}

/// A stored message, opened by staff (see `Keyring::open_case`).
pub type Heard = (PersonMessageRecord, PersonMessageContent);

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(at: i64) -> ReplyContent {
        ReplyContent {
            subject: "s".into(),
            text: format!("staff {at}"),
            sent_at: at,
        }
    }

    fn said(at: i64) -> PersonMessageContent {
        PersonMessageContent {
            text: format!("person {at}"),
            sent_at: at,
        }
    }

    #[test]
    fn the_thread_is_in_the_order_written_each_side_labelled() {
        let replies = [reply(10), reply(30)];
        let messages = [said(20), said(40), said(30)];
        let thread = Thread::new(&replies, &messages);
        let order: Vec<_> = thread.0.iter().map(|s| (s.side(), s.sent_at())).collect();
        assert_eq!(
            order,
            [
                (Side::Staff, 10),
                (Side::Person, 20),
                (Side::Staff, 30),
                (Side::Person, 30),
                (Side::Person, 40)
            ]
        );
        assert!(thread.person_wrote_last());
        assert!(!Thread::new(&replies, &messages[..1]).person_wrote_last());
        assert!(!Thread::new(&[], &[]).person_wrote_last());
    }

    #[test]
    fn statuses_are_worded_for_the_person() {
        assert_eq!(person_status(Status::New, false), "talk-status-reviewing");
        assert_eq!(
            person_status(Status::InProgress, false),
            "talk-status-reviewing"
        );
        assert_eq!(
            person_status(Status::AwaitingReply, false),
            "talk-status-answered"
        );
        assert_eq!(
            person_status(Status::PersonReplied, false),
            "talk-status-received"
        );
        assert_eq!(
            person_status(Status::AwaitingReply, true),
            "talk-status-received"
        );
        assert_eq!(person_status(Status::Closed, false), "talk-status-closed");
        // Written on after closing: the worker re-opens it; say it arrived.
        assert_eq!(person_status(Status::Closed, true), "talk-status-received");
    }

    #[test]
    fn a_sealed_message_opens_with_the_persons_inbox_key_only() {
        let (r, p) = (ReferenceCode::generate(), Passphrase::generate());
        let recipient = crate::crypto::inbox::inbox_recipient(&r, &p).unwrap();
        let plain = serde_json::to_vec(&said(5)).unwrap();
        let r2: age::x25519::Recipient = recipient.parse().unwrap();
        let sealed = Sealed {
            key_id: "k".into(),
            format_version: 1,
            ciphertext: age::encrypt(&r2, &plain).unwrap(),
        };
        let mine = crate::crypto::inbox::inbox_identity(&r, &p).unwrap();
        assert_eq!(
            PersonMessageContent::open_with(&mine, &sealed).unwrap(),
            said(5)
        );
        let other = crate::crypto::inbox::inbox_identity(&r, &Passphrase::generate()).unwrap();
        assert!(PersonMessageContent::open_with(&other, &sealed).is_err());
    }
}
