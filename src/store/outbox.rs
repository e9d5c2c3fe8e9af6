//! The outbox: one row per message to one recipient, with the message sealed inside.
//!
//! Workers take rows with a lease: a claim marks rows `sending` until `lease_until` and
//! names the claim in `leased_by`. Only the holder of that claim may settle a row (sent,
//! retry, failed); a row whose lease ran out while `sending` (its worker crashed or
//! hung) is due again and the next claim takes it. So a message is never lost, and is
//! sent twice only when a worker died between handing it to the relay and recording
//! that it did.
//!
//! `attempts` counts claims, not failures: a crash mid-send is an attempt too, so a
//! message that crashes workers cannot loop for ever.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Backend, OutboxState, Store, StoreError};
use crate::crypto::Sealed;

/// A row to enqueue. `sealed` holds the whole message (see `outbound::outbox`).
#[derive(Debug, Clone)]
pub struct NewOutboxRow {
    pub id: String,
    pub enquiry_id: String,
    pub campaign_id: Option<String>,
    /// Enqueuing the same key twice queues one message: a retried request or a
    /// campaign dispatched twice does not write to anyone twice.
    pub idempotency_key: String,
    pub sealed: Sealed,
    pub created_at: i64,
}

/// A row a worker holds a lease on.
#[derive(Debug, Clone)]
pub struct ClaimedRow {
    pub id: String,
    pub enquiry_id: String,
    pub campaign_id: Option<String>,
    /// `referral:{id}` for a referral package, which is checked once more before it
    /// is sent.
    pub idempotency_key: String,
    pub sealed: Sealed,
    /// Including this claim.
    pub attempts: i64,
}

/// How a claimed row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    Sent {
        at: i64,
    },
    /// Back to `queued`, due at `next_attempt_at`.
    Retry {
        next_attempt_at: i64,
        error: String,
    },
    /// Permanent: never tried again.
    Failed {
        error: String,
    },
    /// A stop (`outbound_holds`) came into force after the claim: back to `queued`
    /// without counting the attempt, claimed again once the stop is lifted.
    Held,
    /// The programme's hourly limit of bulk-reply sends is reached (`outbound::rate`):
    /// back to `queued` without counting the attempt, due at `next_attempt_at`.
    Deferred {
        next_attempt_at: i64,
    },
}

/// One settlement, valid only while `lease` is still the row's claim.
#[derive(Debug, Clone)]
pub struct OutboxMark {
    pub id: String,
    pub lease: String,
    pub settlement: Settlement,
}

/// A row's state without its ciphertext (for the console, metrics and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxStatus {
    pub id: String,
    pub enquiry_id: String,
    pub campaign_id: Option<String>,
    pub state: OutboxState,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub lease_until: Option<i64>,
    pub leased_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
}

impl OutboxCounts {
    pub fn total(&self) -> i64 {
        self.queued + self.sending + self.sent + self.failed
    }

    fn from_rows(rows: &[AnyRow]) -> Result<Self, StoreError> {
        let mut counts = Self::default();
        for r in rows {
            let n: i64 = r.try_get("n")?;
            match super::stored::<OutboxState>(r, "state")? {
                OutboxState::Queued => counts.queued = n,
                OutboxState::Sending => counts.sending = n,
                OutboxState::Sent => counts.sent = n,
                OutboxState::Failed => counts.failed = n,
            }
        }
        Ok(counts)
    }
}

/// The rows no stop holds (`store::holds`): not while all outbound mail is paused, nor
/// a paused or stopped campaign's, nor a withdrawn message, nor anything about an
/// enquiry whose withdrawal was asked for (issue 21: nothing more leaves once the person
/// asked, even while a legal hold keeps the enquiry).
macro_rules! not_held {
    () => {
        " AND NOT EXISTS (SELECT 1 FROM outbound_holds h WHERE h.scope = 'instance' \
         OR h.scope = 'campaign:' || outbox.campaign_id OR h.scope = 'outbox:' || outbox.id) \
         AND NOT EXISTS (SELECT 1 FROM inbox_requests w WHERE w.enquiry_id = outbox.enquiry_id \
         AND w.kind = 'withdraw')"
    };
}

/// Columns a claim returns (a macro so queries stay literals).
macro_rules! claimed_columns {
    () => {
        "id, enquiry_id, campaign_id, idempotency_key, key_id, format_version, ciphertext, \
         attempts"
    };
}

fn claimed_from_row(r: &AnyRow) -> Result<ClaimedRow, StoreError> {
    Ok(ClaimedRow {
        id: r.try_get("id")?,
        enquiry_id: r.try_get("enquiry_id")?,
        campaign_id: r.try_get("campaign_id")?,
        idempotency_key: r.try_get("idempotency_key")?,
        sealed: Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        attempts: r.try_get("attempts")?,
    })
}

/// Inserts one row inside the caller's transaction (so that a reply, its audit entry
/// and its message commit together). Returns `false` if a row with the same
/// idempotency key already exists; nothing is written then.
pub(crate) async fn insert_outbox(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    row: &NewOutboxRow,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO outbox (id, enquiry_id, campaign_id, idempotency_key, key_id, format_version, \
         ciphertext, state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 0, $8, $8) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&row.id)
    .bind(&row.enquiry_id)
    .bind(&row.campaign_id)
    .bind(&row.idempotency_key)
    .bind(&row.sealed.key_id)
    .bind(row.sealed.format_version)
    .bind(&row.sealed.ciphertext)
    // The hour only, as due time too: a new row is due at once either way, and its
    // exact time would date the reply beside it.
    .bind(super::hour_of(row.created_at))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Takes up to `limit` due rows (queued and due, or `sending` with an expired
    /// lease) and leases them to `lease` until `now + lease_seconds`. Concurrent
    /// claims never return the same row.
    pub async fn claim_outbox(
        &self,
        lease: &str,
        limit: i64,
        lease_seconds: i64,
        now: i64,
    ) -> Result<Vec<ClaimedRow>, StoreError> {
        let until = now + lease_seconds;
        let rows = match self.backend {
            // SKIP LOCKED: concurrent workers pass over each other's rows instead of
            // queueing behind them. The CTE is evaluated once, so the LIMIT holds.
            Backend::Postgres => {
                sqlx::query(concat!(
                    "WITH due AS (SELECT id FROM outbox \
                     WHERE state IN ('queued', 'sending') AND next_attempt_at <= $3",
                    not_held!(),
                    " ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
                     UPDATE outbox SET state = 'sending', attempts = outbox.attempts + 1, \
                     lease_until = $1, next_attempt_at = $1, leased_by = $2 \
                     FROM due WHERE outbox.id = due.id RETURNING ",
                    "outbox.id, outbox.enquiry_id, outbox.campaign_id, outbox.idempotency_key, \
                     outbox.key_id, outbox.format_version, outbox.ciphertext, outbox.attempts"
                ))
                .bind(until)
                .bind(lease)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            // One statement: SQLite takes the write lock before it reads, so two
            // claims run one after the other and the second sees the first's lease.
            Backend::Sqlite => {
                sqlx::query(concat!(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, \
                     lease_until = $1, next_attempt_at = $1, leased_by = $2 \
                     WHERE id IN (SELECT id FROM outbox \
                     WHERE state IN ('queued', 'sending') AND next_attempt_at <= $3",
                    not_held!(),
                    " ORDER BY next_attempt_at LIMIT $4) RETURNING ",
                    claimed_columns!()
                ))
                .bind(until)
                .bind(lease)
                .bind(now)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(claimed_from_row).collect()
    }

    /// Records how claimed rows ended, in one transaction (one commit for a whole
    /// batch of sends). A mark whose lease is no longer the row's claim is skipped:
    /// another worker took the row over and will settle it. Returns how many applied.
    pub async fn settle_outbox(&self, marks: &[OutboxMark]) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut applied = 0u64;
        for mark in marks {
            let done = match &mark.settlement {
                Settlement::Sent { at } => {
                    sqlx::query(
                        "UPDATE outbox SET state = 'sent', sent_at = $1, next_attempt_at = $1, \
                         lease_until = NULL, leased_by = NULL, last_error = NULL \
                         WHERE id = $2 AND leased_by = $3 AND state = 'sending'",
                    )
                    // Settled rows keep the hour: exact times live only while a row
                    // is in flight (leases, back-off), where the worker needs them.
                    .bind(super::hour_of(*at))
                    .bind(&mark.id)
                    .bind(&mark.lease)
                    .execute(&mut *tx)
                    .await?
                }
                Settlement::Retry {
                    next_attempt_at,
                    error,
                } => sqlx::query(
                    "UPDATE outbox SET state = 'queued', next_attempt_at = $1, last_error = $2, \
                         lease_until = NULL, leased_by = NULL \
                         WHERE id = $3 AND leased_by = $4 AND state = 'sending'",
                )
                .bind(next_attempt_at)
                .bind(error)
                .bind(&mark.id)
                .bind(&mark.lease)
                .execute(&mut *tx)
                .await?,
                Settlement::Held => {
                    sqlx::query(
                        "UPDATE outbox SET state = 'queued', attempts = attempts - 1, \
                         next_attempt_at = 0, lease_until = NULL, leased_by = NULL \
                         WHERE id = $1 AND leased_by = $2 AND state = 'sending'",
                    )
                    .bind(&mark.id)
                    .bind(&mark.lease)
                    .execute(&mut *tx)
                    .await?
                }
                Settlement::Deferred { next_attempt_at } => {
                    sqlx::query(
                        "UPDATE outbox SET state = 'queued', attempts = attempts - 1, \
                         next_attempt_at = $1, lease_until = NULL, leased_by = NULL \
                         WHERE id = $2 AND leased_by = $3 AND state = 'sending'",
                    )
                    .bind(next_attempt_at)
                    .bind(&mark.id)
                    .bind(&mark.lease)
                    .execute(&mut *tx)
                    .await?
                }
                Settlement::Failed { error } => {
                    sqlx::query(
                        "UPDATE outbox SET state = 'failed', last_error = $1, lease_until = NULL, \
                         leased_by = NULL, next_attempt_at = $4 \
                         WHERE id = $2 AND leased_by = $3 AND state = 'sending'",
                    )
                    .bind(error)
                    .bind(&mark.id)
                    .bind(&mark.lease)
                    .bind(super::hour_of(super::now()))
                    .execute(&mut *tx)
                    .await?
                }
            };
            applied += done.rows_affected();
        }
        tx.commit().await?;
        Ok(applied as usize)
    }

    /// How many rows a claim at `at` could take: queued and due, or sending with an
    /// expired lease.
    pub async fn outbox_due(&self, at: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT COUNT(*) AS n FROM outbox \
             WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1",
            not_held!()
        ))
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
            .fetch_all(&self.pool)
            .await?;
        OutboxCounts::from_rows(&rows)
    }

    pub async fn outbox_counts_for_campaign(
        &self,
        campaign_id: &str,
    ) -> Result<OutboxCounts, StoreError> {
        let rows = sqlx::query(
            "SELECT state, COUNT(*) AS n FROM outbox WHERE campaign_id = $1 GROUP BY state",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        OutboxCounts::from_rows(&rows)
    }

    /// Whether outbox row `id` exists and can still be opened (its key not destroyed):
    /// the file outbox keeps a message's clear copy exactly that long.
    pub async fn outbox_row_readable(&self, id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM outbox o JOIN programme_keys k ON k.id = o.key_id \
             WHERE o.id = $1 AND k.wrapped_identity IS NOT NULL",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// The messages queued for one enquiry, oldest first.
    pub async fn outbox_of_enquiry(
        &self,
        enquiry_id: &str,
    ) -> Result<Vec<OutboxStatus>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, enquiry_id, campaign_id, state, attempts, next_attempt_at, lease_until, \
             leased_by, last_error, created_at, sent_at FROM outbox WHERE enquiry_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxStatus {
                    id: r.try_get("id")?,
                    enquiry_id: r.try_get("enquiry_id")?,
                    campaign_id: r.try_get("campaign_id")?,
                    state: super::stored::<OutboxState>(r, "state")?,
                    attempts: r.try_get("attempts")?,
                    next_attempt_at: r.try_get("next_attempt_at")?,
                    lease_until: r.try_get("lease_until")?,
                    leased_by: r.try_get("leased_by")?,
                    last_error: r.try_get("last_error")?,
                    created_at: r.try_get("created_at")?,
                    sent_at: r.try_get("sent_at")?,
                })
            })
            .collect()
    }
}
