//! The person's own data and own codes (issue 21, item 6; issue 22, item 1).
//!
//! - **What you sent** ([`OwnCopy`]): where the programme opts in
//!   (`show_sent_in_inbox`), the answers without contact details are sealed at
//!   submission to the person's inbox key only, so the reply inbox can show them
//!   while the public role still holds no key (it derives the inbox identity for one
//!   request from what the person types, as for replies).
//! - **A new passphrase** and **withdrawal**: the public role verifies the person and
//!   only *records* the request (`inbox_requests`; on PostgreSQL it may only INSERT);
//!   [`carry_out`], a worker job run every few seconds, applies it. A new passphrase:
//!   its hash and inbox recipient replace the old ones, every reply is re-sealed (from
//!   the programme key, in the keyring) to the programme and the new inbox key, and
//!   "what you sent" is replaced by the copy the public role re-sealed to the new key
//!   while the person was there; after that the old passphrase opens nothing. A
//!   withdrawal deletes every ciphertext of the enquiry (`Store::withdraw_enquiry`),
//!   unless a legal hold keeps it: then it waits, audited once, and happens at the
//!   first poll after the hold ends.
//! - **Staff** ask for a withdrawal on a person's request through [`staff_withdrawal`]
//!   (a supervisor, `casework::permit`), audited; the worker carries it out the same way.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::audit::{Actor, AuditAction, Entry, SystemTask};
use crate::crypto::CryptoError;
use crate::domain::{Language, ProgrammeSlug};
use crate::keyring::{GateError, Keyring};
use crate::programme::live::{LiveProgrammes, Verifying};
use crate::programme::{Answer, Answers, FieldKind, Programme};
use crate::store::{InboxRequest, ReplySealed, RequestKind, Resealed, Store, StoreError};

/// How often the worker looks for requests: the person is told "within a minute".
pub const POLL: Duration = Duration::from_secs(15);

/// "What you sent": the answers without contact details, in the language they were
/// given in. Sealed to the person's inbox key only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnCopy {
    pub language: String,
    pub answers: Answers,
}

impl OwnCopy {
    /// The answers minus every contact detail: email and phone questions (the email
    /// address the person gave for replies is not among the answers at all).
    pub fn without_contact(programme: &Programme, language: Language, answers: &Answers) -> Self {
        let answers = answers
            .iter()
            .filter(|(key, _)| {
                programme
                    .field(key)
                    .is_some_and(|f| !matches!(f.kind, FieldKind::Email | FieldKind::Phone))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Self {
            language: language.tag().to_owned(),
            answers,
        }
    }

    /// Sealed to `inbox_recipient` alone.
    pub fn seal_to(&self, inbox_recipient: &str) -> Result<Vec<u8>, CryptoError> {
        let json = Zeroizing::new(serde_json::to_vec(self).map_err(|_| CryptoError::Encrypt)?);
        crate::crypto::inbox::seal_to_inbox(inbox_recipient, &json)
    }

    pub fn open(identity: &age::x25519::Identity, sealed: &[u8]) -> Result<Self, CryptoError> {
        let json = Zeroizing::new(crate::crypto::inbox::open_from_inbox(identity, sealed)?);
        serde_json::from_slice(&json).map_err(|_| CryptoError::Decrypt)
    }

    /// Each answer as the person reads it: the question's label and the answer's
    /// words (an option's label, a country's name) in `lang`, in the form's order.
    pub fn shown(&self, programme: &Programme, lang: Language) -> Vec<(String, String)> {
        programme
            .file()
            .fields
            .iter()
            .filter_map(|f| {
                let answer = self.answers.get(&f.key)?;
                let option = |v: &str| {
                    f.options
                        .iter()
                        .find(|o| o.value == v)
                        .map(|o| programme.text(&o.label, lang).to_owned())
                        .unwrap_or_else(|| v.to_owned())
                };
                let words = match answer {
                    Answer::Text(t) => match f.kind {
                        FieldKind::Select | FieldKind::Radio => option(t),
                        FieldKind::Country => crate::programme::countries::in_language(lang)
                            .iter()
                            .find(|(code, _)| code == t)
                            .map(|(_, name)| (*name).to_owned())
                            .unwrap_or_else(|| t.clone()),
                        _ => t.clone(),
                    },
                    Answer::Choices(c) => {
                        c.iter().map(|v| option(v)).collect::<Vec<_>>().join(", ")
                    }
                    Answer::Flag(true) => crate::i18n::t(lang, "own-yes"),
                    Answer::Flag(false) => crate::i18n::t(lang, "own-no"),
                };
                Some((programme.text(&f.label, lang).to_owned(), words))
            })
            .collect()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OwnError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Gate(#[from] GateError),
}

/// What one run of [`carry_out`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carried {
    pub passphrases: usize,
    pub withdrawals: usize,
    /// Withdrawals waiting for a legal hold to end.
    pub held: usize,
}

/// Carries out every waiting request (the worker role; `JobRunner::run_pending` in
/// tests).
pub async fn carry_out(store: &Store, keyring: &Keyring) -> Result<Carried, OwnError> {
    let programmes = LiveProgrammes::new(
        store.clone(),
        Duration::ZERO,
        Verifying::Key(keyring.programme_signer().verifier()),
        prometheus_client::metrics::counter::Counter::default(),
    );
    let mut carried = Carried::default();
    for request in store.inbox_requests().await? {
        let Some(enquiry) = &request.enquiry else {
            // Its enquiry went meanwhile (retention, or an earlier withdrawal).
            store.drop_inbox_request(&request.id).await?;
            continue;
        };
        match request.kind {
            RequestKind::Passphrase => {
                let Some(slug) = store.programme_slug(&enquiry.programme_id).await? else {
                    continue;
                };
                let Ok(slug) = ProgrammeSlug::parse(&slug) else {
                    continue;
                };
                let live = match programmes.get(&slug).await {
                    Ok(Some(live)) => live,
                    // Unsigned (alarmed by `LiveProgrammes`) or gone: nothing moves.
                    Ok(None) | Err(StoreError::UnsignedProgramme) => continue,
                    Err(e) => return Err(e.into()),
                };
                if change_passphrase(store, keyring, &live, &request).await? {
                    carried.passphrases += 1;
                }
            }
            RequestKind::Withdraw if enquiry.legal_hold => {
                carried.held += 1;
                if !request.held_noted {
                    let entry = Entry::new(
                        &crate::store::requester(&request.requested_by),
                        AuditAction::WithdrawalHeld,
                        &format!("enquiry:{}", request.enquiry_id),
                    );
                    store.note_withdrawal_held(&request.id, &entry).await?;
                }
            }
            RequestKind::Withdraw => {
                if store
                    .withdraw_enquiry(&request.enquiry_id, &request.requested_by)
                    .await?
                    .is_some()
                {
                    carried.withdrawals += 1;
                } else {
                    carried.held += 1;
                }
            }
        }
    }
    Ok(carried)
}

async fn change_passphrase(
    store: &Store,
    keyring: &Keyring,
    live: &crate::programme::live::LiveProgramme,
    request: &InboxRequest,
) -> Result<bool, OwnError> {
    let Some(new) = &request.new_passphrase else {
        store.drop_inbox_request(&request.id).await?;
        return Ok(false);
    };
    // Everything sealed to the old inbox key: replies, what the person wrote back,
    // the masked address of their confirmation.
    let replies = store.replies_to_reseal(&request.enquiry_id).await?;
    let messages: Vec<ReplySealed> = store
        .person_messages(&request.enquiry_id)
        .await?
        .into_iter()
        .map(|m| ReplySealed {
            id: m.id,
            sealed: m.sealed,
        })
        .collect();
    let masked = store
        .contact_shown(&request.enquiry_id)
        .await?
        .and_then(|c| c.masked)
        .map(|sealed| ReplySealed {
            id: request.enquiry_id.clone(),
            sealed,
        });
    let count = replies.len() + messages.len() + usize::from(masked.is_some());
    let mut resealed = Resealed::default();
    if count > 0 {
        // Audited (`programme.reseal`, with the count) before anything opens; the
        // plaintext never leaves the keyring.
        let mut resealing = keyring
            .resealing(
                &Actor::System(SystemTask::OwnRequests),
                live.programme.slug().as_str(),
                live.sealer.key_id(),
                count,
            )
            .await?;
        let to = Some(new.inbox_recipient.as_str());
        for reply in replies {
            let sealed = resealing.reseal(&reply.sealed, &live.sealer, to).await?;
            resealed.replies.push((reply, sealed));
        }
        for message in messages {
            let sealed = resealing.reseal(&message.sealed, &live.sealer, to).await?;
            resealed.messages.push((message, sealed));
        }
        if let Some(masked) = masked {
            let sealed = resealing.reseal(&masked.sealed, &live.sealer, to).await?;
            resealed.masked = Some((masked, sealed));
        }
    }
    let entry = Entry::new(
        &Actor::System(SystemTask::OwnRequests),
        AuditAction::InboxPassphraseChange,
        &format!("enquiry:{}", request.enquiry_id),
    )
    .detail(serde_json::json!({
        "replies": resealed.replies.len(),
        "messages": resealed.messages.len(),
    }));
    Ok(store
        .apply_passphrase_change(request, new, &resealed, &entry)
        .await?)
}

/// A supervisor asks, on the person's behalf, to withdraw and delete their enquiry:
/// recorded with its audit entry; the worker carries it out (or waits for a legal
/// hold) as for the person's own request. The caller has asked `casework::permit`.
pub async fn staff_withdrawal(
    store: &Store,
    staff_id: &str,
    enquiry_id: &str,
) -> Result<(), StoreError> {
    let entry = Entry::new(
        &Actor::staff(staff_id),
        AuditAction::WithdrawalRequest,
        &format!("enquiry:{enquiry_id}"),
    );
    store
        .add_inbox_request(
            enquiry_id,
            RequestKind::Withdraw,
            None,
            staff_id,
            Some(&entry),
        )
        .await
}

/// The worker role's background job.
pub fn spawn_schedule(store: Store, keyring: Keyring) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        loop {
            tick.tick().await;
            match carry_out(&store, &keyring).await {
                Ok(c) if c.passphrases + c.withdrawals > 0 => tracing::info!(
                    passphrases = c.passphrases,
                    withdrawals = c.withdrawals,
                    "carried out requests from the reply inbox"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "carrying out reply-inbox requests failed"),
            }
        }
    });
}
