//! The person's own data and own codes (issue 21, item 6): "what you sent" sealed to
//! their inbox key (`own_copies`), and what they ask for in the reply inbox
//! (`inbox_requests`: a new passphrase, withdrawing the enquiry). The public role only
//! adds rows; the worker carries each request out (`crate::own`), each in one
//! transaction with its audit entry, and deletes the request as it does.

use sqlx::Row;

use super::{Backend, Store, StoreError, hour_of, now};
use crate::audit::{Actor, AuditAction, Entry};
use crate::crypto::{Sealed, random_id};

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// A new passphrase (and so a new inbox key).
    Passphrase,
    /// Withdraw and delete the enquiry.
    Withdraw,
}

impl RequestKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            RequestKind::Passphrase => "passphrase",
            RequestKind::Withdraw => "withdraw",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "passphrase" => Some(RequestKind::Passphrase),
            "withdraw" => Some(RequestKind::Withdraw),
            _ => None,
        }
    }
}

/// A new passphrase, as the public role records it: its keyed hash, the inbox
/// recipient derived from it, and "what you sent" sealed to that recipient (if the
/// enquiry has one).
#[derive(Debug, Clone)]
pub struct NewPassphrase {
    pub passphrase_hash: Vec<u8>,
    pub inbox_recipient: String,
    pub own_copy: Option<Vec<u8>>,
}

/// A request waiting for the worker, with what it needs of its enquiry.
#[derive(Debug, Clone)]
pub struct InboxRequest {
    pub id: String,
    pub enquiry_id: String,
    pub kind: RequestKind,
    pub new_passphrase: Option<NewPassphrase>,
    /// `person`, or the staff account's id.
    pub requested_by: String,
    pub held_noted: bool,
    /// The enquiry: `None` once it is gone (purged meanwhile).
    pub enquiry: Option<RequestedEnquiry>,
}

#[derive(Debug, Clone)]
pub struct RequestedEnquiry {
    pub programme_id: String,
    pub legal_hold: bool,
}

/// What the inbox needs to know of an enquiry beyond `InboxEnquiry`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnState {
    pub source: String,
    pub passphrase_chosen: bool,
    pub legal_hold: bool,
    /// Kinds of requests waiting for the worker.
    pub pending: Vec<RequestKind>,
}

/// What a withdrawal deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Withdrawn {
    pub replies: u64,
    pub notes: u64,
    pub messages: u64,
    pub referrals_stopped: u64,
}

/// A reply as the passphrase change re-seals it (also a person's message, and the
/// masked address, whose `id` is then the enquiry's).
#[derive(Debug, Clone)]
pub struct ReplySealed {
    pub id: String,
    pub sealed: Sealed,
}

/// Everything sealed to the person's inbox key, each as read and as re-sealed to the
/// new one: replies, what they wrote back (`person_messages`), the masked address of
/// their confirmation (`contact_codes.masked`).
#[derive(Debug, Clone, Default)]
pub struct Resealed {
    pub replies: Vec<(ReplySealed, Sealed)>,
    pub messages: Vec<(ReplySealed, Sealed)>,
    pub masked: Option<(ReplySealed, Sealed)>,
}

/// The confirmation sends counted against the address of enquiry `$1`, unless another
/// enquiry has the same address (its limits still count them).
const CONTACT_SENDS_OF: &str = "DELETE FROM contact_sends WHERE contact_index IN \
     (SELECT e.contact_index FROM enquiries e WHERE e.id = $1 AND e.contact_index IS NOT NULL \
     AND NOT EXISTS (SELECT 1 FROM enquiries o WHERE o.contact_index = e.contact_index \
     AND o.id <> e.id))";

impl Store {
    /// The inbox's view of an enquiry's own state (the public role reads these columns).
    pub async fn own_state(&self, enquiry_id: &str) -> Result<Option<OwnState>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT source, passphrase_chosen, legal_hold FROM enquiries WHERE id = $1",
        )
        .bind(enquiry_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let pending = sqlx::query("SELECT kind FROM inbox_requests WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .filter_map(|r| {
                r.try_get::<String, _>("kind")
                    .ok()
                    .and_then(|k| RequestKind::parse(&k))
            })
            .collect();
        Ok(Some(OwnState {
            source: row.try_get("source")?,
            passphrase_chosen: row.try_get::<i64, _>("passphrase_chosen")? != 0,
            legal_hold: row.try_get::<i64, _>("legal_hold")? != 0,
            pending,
        }))
    }

    /// "What you sent", as sealed to the person's inbox key.
    pub async fn own_copy(&self, enquiry_id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query("SELECT ciphertext FROM own_copies WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("ciphertext")).transpose()?)
    }

    /// Records what the person (or, for a withdrawal, a supervisor) asked for. A staff
    /// request commits with its audit entry.
    pub async fn add_inbox_request(
        &self,
        enquiry_id: &str,
        kind: RequestKind,
        new_passphrase: Option<&NewPassphrase>,
        requested_by: &str,
        audit_entry: Option<&Entry>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO inbox_requests (id, enquiry_id, kind, passphrase_hash, inbox_recipient, \
             own_copy, requested_by, requested_hour) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(random_id())
        .bind(enquiry_id)
        .bind(kind.as_str())
        .bind(new_passphrase.map(|n| n.passphrase_hash.clone()))
        .bind(new_passphrase.map(|n| n.inbox_recipient.clone()))
        .bind(new_passphrase.and_then(|n| n.own_copy.clone()))
        .bind(requested_by)
        .bind(hour_of(now()))
        .execute(&mut *tx)
        .await?;
        if let Some(entry) = audit_entry {
            super::audit::append(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every request waiting for the worker, passphrases first.
    pub async fn inbox_requests(&self) -> Result<Vec<InboxRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.enquiry_id, r.kind, r.passphrase_hash, r.inbox_recipient, r.own_copy, \
             r.requested_by, r.held_noted, e.programme_id, e.legal_hold \
             FROM inbox_requests r LEFT JOIN enquiries e ON e.id = r.enquiry_id \
             ORDER BY r.kind, r.requested_hour, r.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind = RequestKind::parse(&r.try_get::<String, _>("kind")?)
                    .ok_or(StoreError::Corrupt("unknown inbox request"))?;
                let hash: Option<Vec<u8>> = r.try_get("passphrase_hash")?;
                let recipient: Option<String> = r.try_get("inbox_recipient")?;
                let programme_id: Option<String> = r.try_get("programme_id")?;
                Ok(InboxRequest {
                    id: r.try_get("id")?,
                    enquiry_id: r.try_get("enquiry_id")?,
                    kind,
                    new_passphrase: match (hash, recipient) {
                        (Some(passphrase_hash), Some(inbox_recipient)) => Some(NewPassphrase {
                            passphrase_hash,
                            inbox_recipient,
                            own_copy: r.try_get("own_copy")?,
                        }),
                        _ => None,
                    },
                    requested_by: r.try_get("requested_by")?,
                    held_noted: r.try_get::<i64, _>("held_noted")? != 0,
                    enquiry: match programme_id {
                        Some(programme_id) => Some(RequestedEnquiry {
                            programme_id,
                            legal_hold: r.try_get::<Option<i64>, _>("legal_hold")?.unwrap_or(0)
                                != 0,
                        }),
                        None => None,
                    },
                })
            })
            .collect()
    }

    /// Drops a request that can no longer be carried out (its enquiry is gone).
    pub async fn drop_inbox_request(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM inbox_requests WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A withdrawal waits for a legal hold: audited once.
    pub async fn note_withdrawal_held(
        &self,
        id: &str,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE inbox_requests SET held_noted = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The replies of an enquiry as sealed, for re-sealing to a new inbox key.
    pub async fn replies_to_reseal(
        &self,
        enquiry_id: &str,
    ) -> Result<Vec<ReplySealed>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, key_id, format_version, ciphertext FROM replies WHERE enquiry_id = $1",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReplySealed {
                    id: r.try_get("id")?,
                    sealed: Sealed {
                        key_id: r.try_get("key_id")?,
                        format_version: r.try_get("format_version")?,
                        ciphertext: r.try_get("ciphertext")?,
                    },
                })
            })
            .collect()
    }

    /// Carries out a passphrase change: the new hash and recipient, every reply, every
    /// message the person wrote and the masked address re-sealed (`resealed`: each with
    /// the key id it was read under), "what you sent"
    /// replaced (or dropped, when the request brought none: the old key opened it), the
    /// request deleted, the entry appended. `false` (nothing changed) when a reply or
    /// message arrived, a code was issued, or one was re-sealed meanwhile: the next poll tries again.
    pub async fn apply_passphrase_change(
        &self,
        request: &InboxRequest,
        new: &NewPassphrase,
        resealed: &Resealed,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE enquiries SET passphrase_hash = $1, inbox_recipient = $2, \
             passphrase_chosen = 1 WHERE id = $3",
        )
        .bind(&new.passphrase_hash)
        .bind(&new.inbox_recipient)
        .bind(&request.enquiry_id)
        .execute(&mut *tx)
        .await?;
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM replies WHERE enquiry_id = $1")
            .bind(&request.enquiry_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        let messages: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM person_messages WHERE enquiry_id = $1")
                .bind(&request.enquiry_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        let masked: Option<Vec<u8>> =
            sqlx::query("SELECT masked FROM contact_codes WHERE enquiry_id = $1")
                .bind(&request.enquiry_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<Option<Vec<u8>>, _>("masked"))
                .transpose()?
                .flatten();
        let masked_read = resealed
            .masked
            .as_ref()
            .map(|(old, _)| &old.sealed.ciphertext);
        if count != resealed.replies.len() as i64
            || messages != resealed.messages.len() as i64
            || masked.as_ref() != masked_read
        {
            tx.rollback().await?;
            return Ok(false);
        }
        for (sql, rows) in [
            (
                "UPDATE replies SET key_id = $1, format_version = $2, ciphertext = $3 \
                 WHERE id = $4 AND key_id = $5 AND enquiry_id = $6",
                &resealed.replies,
            ),
            (
                "UPDATE person_messages SET key_id = $1, format_version = $2, ciphertext = $3 \
                 WHERE id = $4 AND key_id = $5 AND enquiry_id = $6",
                &resealed.messages,
            ),
        ] {
            for (old, sealed) in rows {
                let done = sqlx::query(sql)
                    .bind(&sealed.key_id)
                    .bind(sealed.format_version)
                    .bind(&sealed.ciphertext)
                    .bind(&old.id)
                    .bind(&old.sealed.key_id)
                    .bind(&request.enquiry_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
            }
        }
        if let Some((_, sealed)) = &resealed.masked {
            sqlx::query(
                "UPDATE contact_codes SET key_id = $1, format_version = $2, masked = $3 \
                 WHERE enquiry_id = $4",
            )
            .bind(&sealed.key_id)
            .bind(sealed.format_version)
            .bind(&sealed.ciphertext)
            .bind(&request.enquiry_id)
            .execute(&mut *tx)
            .await?;
        }
        match &new.own_copy {
            Some(copy) => {
                sqlx::query("UPDATE own_copies SET ciphertext = $1 WHERE enquiry_id = $2")
                    .bind(copy)
                    .bind(&request.enquiry_id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM own_copies WHERE enquiry_id = $1")
                    .bind(&request.enquiry_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("DELETE FROM inbox_requests WHERE id = $1")
            .bind(&request.id)
            .execute(&mut *tx)
            .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        self.checkpoint().await?;
        Ok(true)
    }

    /// Withdraws an enquiry for good: its ciphertexts (the enquiry, "what you sent",
    /// notes, replies, every outbox row about it, so mail not yet sent is cancelled;
    /// what the person wrote back, their address's confirmation, caller checks, draft
    /// locks and duplicate marks)
    /// deleted, referrals not yet gone stopped (the register keeps each row, which
    /// never held values), an incident's affected list untouched (it holds the id, the
    /// language and how delivery ended), its requests gone, and `withdrawal.done`
    /// appended with the counts and who asked (`requested_by`: `person` or a staff
    /// account's id). Refused (`None`) under legal hold.
    pub async fn withdraw_enquiry(
        &self,
        enquiry_id: &str,
        requested_by: &str,
    ) -> Result<Option<Withdrawn>, StoreError> {
        let mut tx = self.begin_write().await?;
        let held = sqlx::query("SELECT legal_hold FROM enquiries WHERE id = $1")
            .bind(enquiry_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get::<i64, _>("legal_hold"))
            .transpose()?;
        match held {
            Some(0) => {}
            Some(_) => {
                tx.rollback().await?;
                return Ok(None);
            }
            None => {
                tx.rollback().await?;
                return Ok(Some(Withdrawn::default()));
            }
        }
        let referrals_stopped = sqlx::query(
            "UPDATE referrals SET state = 'cancelled', stopped_reason = 'withdrawn', \
             outbox_id = NULL WHERE enquiry_id = $1 AND state IN ('pending', 'ready', 'queued')",
        )
        .bind(enquiry_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let mut counts = Withdrawn {
            referrals_stopped,
            ..Withdrawn::default()
        };
        counts.messages = sqlx::query("DELETE FROM outbox WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        counts.replies = sqlx::query("DELETE FROM replies WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        counts.notes = sqlx::query("DELETE FROM notes WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        for sql in [
            "DELETE FROM campaign_enquiries WHERE enquiry_id = $1",
            "DELETE FROM own_copies WHERE enquiry_id = $1",
            // What the person wrote back, their address's confirmation, the caller
            // checks, draft locks and duplicate marks (either side) go with it.
            "DELETE FROM person_messages WHERE enquiry_id = $1",
            "DELETE FROM contact_requests WHERE enquiry_id = $1",
            "DELETE FROM contact_codes WHERE enquiry_id = $1",
            CONTACT_SENDS_OF,
            "DELETE FROM caller_checks WHERE enquiry_id = $1",
            "DELETE FROM caller_answers WHERE enquiry_id = $1",
            "DELETE FROM draft_locks WHERE enquiry_id = $1",
            "DELETE FROM enquiry_duplicates WHERE enquiry_id = $1 OR duplicate_of = $1",
            "DELETE FROM inbox_requests WHERE enquiry_id = $1",
            "DELETE FROM enquiries WHERE id = $1",
        ] {
            sqlx::query(sql).bind(enquiry_id).execute(&mut *tx).await?;
        }
        let entry = Entry::new(
            &Actor::System(crate::audit::SystemTask::OwnRequests),
            AuditAction::WithdrawalDone,
            &format!("enquiry:{enquiry_id}"),
        )
        .detail(serde_json::json!({
            "requested_by": match requested_by {
                "person" => "person".to_owned(),
                id => format!("user:{id}"),
            },
            "replies": counts.replies, "notes": counts.notes,
            "messages": counts.messages, "referrals_stopped": counts.referrals_stopped,
        }));
        super::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        self.checkpoint().await?;
        Ok(Some(counts))
    }

    /// On SQLite, secure_delete overwrote the freed pages in the database file; the
    /// WAL may still hold their old images until a checkpoint, so take one now.
    async fn checkpoint(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

/// Who asked, as an audit actor: `person` is the reply inbox (no account), recorded as
/// the system task that carries it out; otherwise the supervisor's account.
pub fn requester(requested_by: &str) -> Actor {
    match requested_by {
        "person" => Actor::System(crate::audit::SystemTask::OwnRequests),
        id => Actor::staff(id),
    }
}
