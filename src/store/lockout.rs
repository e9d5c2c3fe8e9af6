//! The second factor's escalation state (`auth::lockout` decides; this records).

use sqlx::Row;

use super::{NoticeKind, Store, StoreError, queue_notice};
use crate::audit::Entry;

/// A lock of the second factor that one more wrong code caused: until when, and which
/// lock of the current run it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecondFactorLock {
    pub until: i64,
    pub nth: i64,
}

impl Store {
    /// Until when the account's second factor is locked, if it is (at `at`).
    pub async fn second_factor_locked_until(
        &self,
        user_id: &str,
        at: i64,
    ) -> Result<Option<i64>, StoreError> {
        let row =
            sqlx::query("SELECT second_factor_locked_until AS until FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        let until: Option<i64> = match row {
            Some(r) => r.try_get("until")?,
            None => None,
        };
        Ok(until.filter(|u| *u > at))
    }

    /// Counts one wrong code. `decide` is told the failures counted before this one and
    /// the locks of the run so far, and says whether this one locks (`auth::lockout`).
    /// When it does, the lock, a notice to the account's own address and `lock_entry`
    /// (an `alert`) commit together.
    pub async fn record_second_factor_failure(
        &self,
        user_id: &str,
        at: i64,
        decide: impl FnOnce(i64, i64) -> Option<SecondFactorLock>,
        lock_entry: impl FnOnce(SecondFactorLock) -> Entry,
    ) -> Result<Option<SecondFactorLock>, StoreError> {
        let mut tx = self.begin_write().await?;
        // One statement counts and locks the row (PostgreSQL) or runs under the write
        // lock (SQLite): two wrong codes at once are both counted.
        let row = sqlx::query(
            "UPDATE users SET second_factor_failures = second_factor_failures + 1 WHERE id = $1 \
             RETURNING second_factor_failures AS failures, second_factor_locks AS locks",
        )
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        let failures: i64 = row.try_get("failures")?;
        let lock = decide(failures - 1, row.try_get("locks")?);
        if let Some(lock) = lock {
            let SecondFactorLock { until, nth } = lock;
            sqlx::query(
                "UPDATE users SET second_factor_failures = 0, second_factor_locks = $1, \
                 second_factor_locked_until = $2 WHERE id = $3",
            )
            .bind(nth)
            .bind(until)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            queue_notice(&mut tx, user_id, NoticeKind::SecondFactorLocked, at).await?;
            super::audit::append(&mut tx, &lock_entry(lock)).await?;
        }
        tx.commit().await?;
        Ok(lock)
    }

    /// A right code ends the run of failures and locks.
    pub async fn clear_second_factor_failures(&self, user_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET second_factor_failures = 0, second_factor_locks = 0, \
             second_factor_locked_until = NULL \
             WHERE id = $1 AND (second_factor_failures <> 0 OR second_factor_locks <> 0)",
        )
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
