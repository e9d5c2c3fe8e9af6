//! Notices to staff members about their own account (a factor changed), and the
//! throttle windows that every console instance shares.
//!
//! A notice row holds no address and no secret: the address is read from `users`
//! when the worker sends it, and the text is fixed per kind. It is written in the
//! transaction of the change it reports, so a change without its notice (or the other
//! way round) cannot commit. Workers claim a row with a conditional update, so two
//! workers never both hold one.

use sqlx::Row;

use super::{Store, StoreError};
use crate::crypto::random_id;

/// What happened to the account. The text of each is in the locales
/// (`staff-notice-<kind>-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    TotpEnrolled,
    TotpReset,
    RecoveryCodeUsed,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TotpEnrolled => "totp-enrolled",
            Self::TotpReset => "totp-reset",
            Self::RecoveryCodeUsed => "recovery-code-used",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::TotpEnrolled, Self::TotpReset, Self::RecoveryCodeUsed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A notice a worker holds, with the address it goes to.
#[derive(Debug, Clone)]
pub struct ClaimedNotice {
    pub id: String,
    pub kind: NoticeKind,
    pub email: String,
    pub created_at: i64,
    /// Including this claim.
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    Sent,
    Retry { next_attempt_at: i64, error: String },
    Failed { error: String },
}

/// Queues a notice inside the caller's transaction.
pub async fn queue_notice(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    kind: NoticeKind,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO staff_notices (id, user_id, kind, state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $4)",
    )
    .bind(random_id())
    .bind(user_id)
    .bind(kind.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// How many notices a claim at `at` could take.
    pub async fn notices_due(&self, at: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM staff_notices \
             WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1",
        )
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Takes up to `limit` due notices for `lease_secs`.
    pub async fn claim_notices(
        &self,
        limit: i64,
        lease_secs: i64,
        at: i64,
    ) -> Result<Vec<ClaimedNotice>, StoreError> {
        let due = sqlx::query(
            "SELECT id FROM staff_notices \
             WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(at)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in due {
            let id: String = row.try_get("id")?;
            // Conditional on the state this claim saw: another worker that took the
            // row first leaves nothing to update here.
            let got = sqlx::query(
                "UPDATE staff_notices SET state = 'sending', attempts = attempts + 1, \
                 lease_until = $1, next_attempt_at = $1 \
                 WHERE id = $2 AND state IN ('queued', 'sending') AND next_attempt_at <= $3",
            )
            .bind(at + lease_secs)
            .bind(&id)
            .bind(at)
            .execute(&self.pool)
            .await?;
            if got.rows_affected() != 1 {
                continue;
            }
            let row = sqlx::query(
                "SELECT n.kind, n.attempts, n.created_at, u.email FROM staff_notices n \
                 JOIN users u ON u.id = n.user_id WHERE n.id = $1",
            )
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
            let kind: String = row.try_get("kind")?;
            claimed.push(ClaimedNotice {
                id,
                kind: NoticeKind::parse(&kind)
                    .ok_or(StoreError::Corrupt("unknown staff notice kind"))?,
                email: row.try_get("email")?,
                created_at: row.try_get("created_at")?,
                attempts: row.try_get("attempts")?,
            });
        }
        Ok(claimed)
    }

    pub async fn settle_notice(
        &self,
        id: &str,
        outcome: &NoticeOutcome,
        at: i64,
    ) -> Result<(), StoreError> {
        let (state, next, error, sent_at) = match outcome {
            NoticeOutcome::Sent => ("sent", at, None, Some(at)),
            NoticeOutcome::Retry {
                next_attempt_at,
                error,
            } => ("queued", *next_attempt_at, Some(error.as_str()), None),
            NoticeOutcome::Failed { error } => ("failed", at, Some(error.as_str()), None),
        };
        sqlx::query(
            "UPDATE staff_notices SET state = $1, next_attempt_at = $2, last_error = $3, \
             sent_at = $4, lease_until = NULL WHERE id = $5 AND state = 'sending'",
        )
        .bind(state)
        .bind(next)
        .bind(error)
        .bind(sent_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Notices of one account, oldest first, as (kind, state): for the tests and the
    /// account page.
    pub async fn notices_of(&self, user_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, state FROM staff_notices WHERE user_id = $1 ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("state")?)))
            .collect()
    }

    /// Counts one hit against `key` in its current window of `window_secs` and
    /// returns the hits in that window, this one included. One statement, so
    /// concurrent hits on any number of instances are all counted.
    pub async fn count_in_window(
        &self,
        key: &[u8],
        at: i64,
        window_secs: i64,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO throttle_windows (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
               hits = CASE WHEN throttle_windows.window_start <= $3 THEN 1 \
                      ELSE throttle_windows.hits + 1 END, \
               window_start = CASE WHEN throttle_windows.window_start <= $3 THEN $2 \
                              ELSE throttle_windows.window_start END \
             RETURNING hits",
        )
        .bind(key)
        .bind(at)
        .bind(at - window_secs)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("hits")?)
    }

    /// Forgets windows that started more than `older_than_secs` ago (longer than any
    /// window), so the table holds only recent keys.
    pub async fn prune_throttle_windows(
        &self,
        at: i64,
        older_than_secs: i64,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM throttle_windows WHERE window_start <= $1")
            .bind(at - older_than_secs)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
