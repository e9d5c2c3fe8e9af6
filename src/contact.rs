//! Confirmed contact addresses (issue 19, item 1).
//!
//! An address a person typed is unconfirmed until they type, in their reply inbox, the
//! code Haven mailed to it. Until then the worker emails it nothing but that
//! confirmation (`Store::outbox_may_reach`): replies wait in the inbox. So a stranger at
//! a mistyped address, or a link scanner, cannot confirm it: the message carries no
//! link that does anything, and the code counts only when typed after the reference
//! code and passphrase.
//!
//! The public role cannot update anything on PostgreSQL, and holds no key that opens
//! the address. So the inbox (and the form at submission, and the console for a
//! supervisor's removal) only *ask*: [`request`] leaves a row in `contact_requests`,
//! and the worker, which holds the keys, applies it within one poll
//! ([`ContactJob::run`]): it mails a new code, checks a typed code's keyed hash against
//! the live one, or re-seals the enquiry without its address. A stolen public host can
//! ask for codes to be mailed (within the limits below) but cannot mark an address
//! confirmed without the code that reached it.
//!
//! Limits: [`PER_ADDRESS_PER_DAY`] codes to one address (by its blind index, so two
//! enquiries naming one address share it) and [`PER_HOUR`] codes overall; a code dies
//! after [`MAX_WRONG`] wrong tries, once used, and when a new one is sent.

use std::time::Duration;

use subtle::ConstantTimeEq;

use crate::audit::{Actor, AuditAction, Entry, SystemTask};
use crate::crypto::IntakeKey;
use crate::domain::{EmailAddress, Language, ProgrammeSlug};
use crate::i18n::t_args;
use crate::keyring::{GateError, Keyring, Read};
use crate::letters::{self, Letterhead};
use crate::outbound::{OutboundError, Recipient, Rendered};
use crate::programme::live::{LiveProgrammes, Verifying};
use crate::store::{ContactRequest, ContactRequestKind, IssuedCode, Store, StoreError, now};

/// Symbols of a confirmation code: no 0/O, 1/I/L or U, so it can be read off a screen.
const ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
/// Symbols in a code (about 39 bits).
pub const CODE_LEN: usize = 8;
/// Wrong codes before a code is spent.
pub const MAX_WRONG: i64 = 5;
/// Codes mailed to one address in 24 hours.
pub const PER_ADDRESS_PER_DAY: i64 = 3;
/// Codes mailed per hour, to anyone.
pub const PER_HOUR: i64 = 200;
/// Requests applied per poll.
const BATCH: i64 = 100;

/// A new code, e.g. `K7QM-3HXA` (the dash only for reading).
pub fn new_code() -> String {
    let mut bytes = [0u8; CODE_LEN];
    let mut out = String::with_capacity(CODE_LEN + 1);
    let mut i = 0;
    while i < CODE_LEN {
        getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
        for b in bytes {
            // Rejection sampling: 240 = 8 × 30, so every symbol is equally likely.
            if b < 240 && i < CODE_LEN {
                if i == CODE_LEN / 2 {
                    out.push('-');
                }
                out.push(ALPHABET[(b % 30) as usize] as char);
                i += 1;
            }
        }
    }
    out
}

/// What was typed, as the code's symbols: case, spaces and dashes do not matter.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The keyed hash (intake key) of a code for one enquiry: what the request carries
/// and `contact_codes` keeps. Never the code itself.
pub fn code_hash(key: &IntakeKey, enquiry_id: &str, typed: &str) -> [u8; 32] {
    key.mac(
        "haven/contact-code",
        &[enquiry_id.as_bytes(), normalise_code(typed).as_bytes()],
    )
}

/// `r•••@gmail.com`: the first character of the local part and the domain.
pub fn masked(email: &EmailAddress) -> String {
    let (local, domain) = email.as_str().split_once('@').unwrap_or(("", ""));
    let first: String = local.chars().take(1).collect();
    format!("{first}•••@{domain}")
}

/// Asks the worker to do `kind` for `enquiry_id` (at submission: `Send`; from the inbox:
/// `Send`, `Code` with the typed code, `Remove`; from the console: `Remove`). The only
/// write the public role makes here.
pub async fn request(
    store: &Store,
    key: &IntakeKey,
    enquiry_id: &str,
    kind: ContactRequestKind,
    typed_code: Option<&str>,
) -> Result<(), StoreError> {
    let hash = typed_code.map(|c| code_hash(key, enquiry_id, c));
    store
        .request_contact(enquiry_id, kind, hash.as_ref().map(|h| &h[..]), now())
        .await
}

/// At intake (the web form, and any other path that stores an address the person
/// typed and can then open the inbox for): mail one confirmation code.
pub async fn request_confirmation(store: &Store, enquiry_id: &str) -> Result<(), StoreError> {
    store
        .request_contact(enquiry_id, ContactRequestKind::Send, None, now())
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum ContactError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Outbound(#[from] OutboundError),
    #[error(transparent)]
    Crypto(#[from] crate::crypto::CryptoError),
}

/// The worker's side: applies what was asked.
pub struct ContactJob {
    pub store: Store,
    pub keyring: Keyring,
    pub intake_key: IntakeKey,
    pub letterhead: Letterhead,
}

impl ContactJob {
    fn reader() -> Actor {
        Actor::System(SystemTask::ContactConfirm)
    }

    /// Applies every waiting request; returns how many were taken.
    pub async fn run(&self) -> Result<usize, ContactError> {
        let mut total = 0;
        loop {
            let batch = self.store.contact_requests(BATCH).await?;
            if batch.is_empty() {
                return Ok(total);
            }
            for request in &batch {
                if let Err(error) = self.apply(request).await {
                    // A request that cannot be applied is dropped, not retried for
                    // ever; the person can ask again from the inbox.
                    tracing::warn!(%error, "a contact request could not be applied");
                }
                self.store.drop_contact_request(&request.id).await?;
            }
            total += batch.len();
            if (batch.len() as i64) < BATCH {
                return Ok(total);
            }
        }
    }

    async fn apply(&self, request: &ContactRequest) -> Result<(), ContactError> {
        match request.kind {
            Some(ContactRequestKind::Send) => self.send(&request.enquiry_id, &request.id).await,
            Some(ContactRequestKind::Code) => {
                self.check(&request.enquiry_id, request.code_hash.as_deref())
                    .await
            }
            Some(ContactRequestKind::Remove) => self.remove(&request.enquiry_id).await,
            Some(ContactRequestKind::Change) => match &request.sealed {
                Some(sealed) => self.change(&request.enquiry_id, &request.id, sealed).await,
                None => Ok(()),
            },
            None => Ok(()),
        }
    }

    async fn live(
        &self,
        programme_id: &str,
    ) -> Result<Option<std::sync::Arc<crate::programme::live::LiveProgramme>>, StoreError> {
        let Some(slug) = self.store.programme_slug(programme_id).await? else {
            return Ok(None);
        };
        let Ok(slug) = ProgrammeSlug::parse(&slug) else {
            return Ok(None);
        };
        let programmes = LiveProgrammes::new(
            self.store.clone(),
            Duration::ZERO,
            Verifying::Key(self.keyring.programme_signer().verifier()),
            prometheus_client::metrics::counter::Counter::default(),
        );
        programmes.get(&slug).await
    }

    /// Mails a new code, within the limits.
    async fn send(&self, enquiry_id: &str, request_id: &str) -> Result<(), ContactError> {
        let Some(record) = self.store.enquiry(enquiry_id).await? else {
            return Ok(());
        };
        if !record.has_email || record.source == "imported" {
            return Ok(());
        }
        if self
            .store
            .contact_code(enquiry_id)
            .await?
            .is_some_and(|c| c.confirmed)
        {
            return Ok(());
        }
        let Some(live) = self.live(&record.programme_id).await? else {
            return Ok(());
        };
        let content = self
            .keyring
            .open_enquiry(
                &Self::reader(),
                Read::new(AuditAction::ContactSend),
                &record,
            )
            .await?;
        let Some(email) = content
            .email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok())
        else {
            return Ok(());
        };
        let at = now();
        let index = self.keyring.contact_index(&email);
        let (to_this, this_hour) = self.store.contact_sends(&index, at - 24 * 3600, at).await?;
        if to_this >= PER_ADDRESS_PER_DAY || this_hour >= PER_HOUR {
            tracing::info!(
                to_this,
                this_hour,
                "confirmation code not sent: send limit reached"
            );
            return Ok(());
        }
        let lang = Language::parse(&content.language)
            .unwrap_or_else(|_| live.programme.default_language());
        let code = new_code();
        let rendered = Rendered {
            subject: t_args(lang, "contact-confirm-subject", &[]),
            text: t_args(
                lang,
                "contact-confirm-body",
                &[
                    ("code", code.clone()),
                    (
                        "inbox",
                        letters::inbox_address(self.letterhead.public_url.as_deref()),
                    ),
                ],
            ),
            html: None,
        };
        let message = letters::letter(
            &self.letterhead,
            &live.programme,
            lang,
            Recipient::new(email.clone()),
            &rendered,
            None,
        )?;
        let outbox = crate::outbound::seal_row(
            &live.sealer,
            enquiry_id,
            None,
            &format!("contact:{request_id}"),
            &message,
        )?;
        let masked = live
            .sealer
            .seal_with(record.inbox_recipient.as_deref(), masked(&email).as_bytes())?;
        let hash = code_hash(&self.intake_key, enquiry_id, &code);
        self.store
            .issue_contact_code(&IssuedCode {
                enquiry_id,
                code_hash: &hash,
                masked: &masked,
                contact_index: &index,
                outbox: &outbox,
                at,
            })
            .await?;
        Ok(())
    }

    /// A typed code: confirms when it is the live code; otherwise counts a wrong try.
    async fn check(&self, enquiry_id: &str, typed: Option<&[u8]>) -> Result<(), ContactError> {
        let Some(code) = self.store.contact_code(enquiry_id).await? else {
            return Ok(());
        };
        let (Some(live), Some(typed)) = (code.code_hash.as_deref(), typed) else {
            return Ok(());
        };
        if code.confirmed {
            return Ok(());
        }
        if bool::from(live.ct_eq(typed)) {
            self.store.confirm_contact(enquiry_id).await?;
            let entry = Entry::new(
                &Self::reader(),
                AuditAction::ContactConfirm,
                &format!("enquiry:{enquiry_id}"),
            );
            self.store.record_audit(&entry).await?;
        } else {
            self.store.wrong_contact_code(enquiry_id, MAX_WRONG).await?;
        }
        Ok(())
    }

    /// Seals the enquiry again without its address.
    async fn remove(&self, enquiry_id: &str) -> Result<(), ContactError> {
        let Some(record) = self.store.enquiry(enquiry_id).await? else {
            return Ok(());
        };
        let Some(live) = self.live(&record.programme_id).await? else {
            return Ok(());
        };
        let mut content = self
            .keyring
            .open_enquiry(
                &Self::reader(),
                Read::new(AuditAction::ContactRemove),
                &record,
            )
            .await?;
        content.email = None;
        let sealed = content.seal(&live.sealer)?;
        self.store.remove_contact(enquiry_id, &sealed).await?;
        Ok(())
    }
}

impl ContactJob {
    /// Seals the enquiry again with the new address, unconfirmed, and mails it a code.
    async fn change(
        &self,
        enquiry_id: &str,
        request_id: &str,
        new: &crate::crypto::Sealed,
    ) -> Result<(), ContactError> {
        let Some(record) = self.store.enquiry(enquiry_id).await? else {
            return Ok(());
        };
        let Some(live) = self.live(&record.programme_id).await? else {
            return Ok(());
        };
        let subject = format!("enquiry:{enquiry_id}");
        let typed = self
            .keyring
            .open_record(
                &Self::reader(),
                Read::new(AuditAction::ContactChange),
                &subject,
                new,
            )
            .await?;
        let Some(email) = std::str::from_utf8(&typed)
            .ok()
            .and_then(|e| EmailAddress::parse(e).ok())
        else {
            return Ok(());
        };
        let mut content = self
            .keyring
            .open_enquiry(
                &Self::reader(),
                Read::new(AuditAction::ContactChange),
                &record,
            )
            .await?;
        content.email = Some(email.as_str().to_owned());
        let sealed = content.seal(&live.sealer)?;
        self.store.change_contact(enquiry_id, &sealed).await?;
        self.send(enquiry_id, request_id).await
    }
}

/// The worker role's job: apply what the inbox asked every `every`.
pub fn spawn_schedule(job: ContactJob, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match job.run().await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(requests = n, "applied contact requests"),
                Err(e) => tracing::warn!(error = %e, "could not apply contact requests"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_eight_unambiguous_symbols_and_reads_back_however_typed() {
        for _ in 0..200 {
            let code = new_code();
            let symbols = normalise_code(&code);
            assert_eq!(symbols.len(), CODE_LEN, "{code}");
            assert!(symbols.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        }
        assert_eq!(normalise_code(" k7qm - 3hxa "), "K7QM3HXA");
        let key = IntakeKey::generate();
        assert_eq!(
            code_hash(&key, "e1", "K7QM-3HXA"),
            code_hash(&key, "e1", "k7qm3hxa")
        );
        assert_ne!(
            code_hash(&key, "e1", "K7QM-3HXA"),
            code_hash(&key, "e2", "K7QM-3HXA")
        );
    }

    #[test]
    fn the_masked_address_keeps_one_letter_and_the_domain() {
        let e = EmailAddress::parse("rahima@gmail.com").unwrap();
        assert_eq!(masked(&e), "r•••@gmail.com");
    }
}
