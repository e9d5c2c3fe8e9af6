//! Call-centre agents working side by side (issue 22, items 5 and 6): draft locks (who
//! is writing a reply to an enquiry, until when), enquiries that share an email address
//! through the blind index, and supervisors' duplicate marks. Times are passed in, so
//! the console's test clock decides when a lock has expired.

use sqlx::Row;

use super::{Store, StoreError, hour_of};
use crate::audit::Entry;

/// Someone writing a reply: their account, address and when the lock lapses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLock {
    pub user_id: String,
    pub email: Option<String>,
    pub expires_at: i64,
}

/// Another enquiry of the same programme with the same address: only clear columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedEnquiry {
    pub id: String,
    pub queue: String,
    pub priority: i64,
    pub status: String,
    pub created_hour: i64,
}

/// The duplicate marks around one enquiry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuplicateMarks {
    /// The enquiry this one was marked a duplicate of.
    pub duplicate_of: Option<String>,
    /// Enquiries marked as duplicates of this one.
    pub duplicates: Vec<String>,
}

impl Store {
    /// Takes or renews the draft lock on an enquiry for `user_id` until `expires_at`,
    /// unless someone else holds one that has not lapsed at `now`. True when taken.
    pub async fn take_draft_lock(
        &self,
        enquiry_id: &str,
        user_id: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO draft_locks (enquiry_id, user_id, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (enquiry_id) DO UPDATE SET user_id = $2, expires_at = $3 \
             WHERE draft_locks.user_id = $2 OR draft_locks.expires_at <= $4",
        )
        .bind(enquiry_id)
        .bind(user_id)
        .bind(expires_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Drops `user_id`'s draft lock on an enquiry (a reply sent, or "stop writing").
    pub async fn release_draft_lock(
        &self,
        enquiry_id: &str,
        user_id: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM draft_locks WHERE enquiry_id = $1 AND user_id = $2")
            .bind(enquiry_id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The draft lock on an enquiry that has not lapsed at `now`.
    pub async fn draft_lock(
        &self,
        enquiry_id: &str,
        now: i64,
    ) -> Result<Option<DraftLock>, StoreError> {
        let row = sqlx::query(
            "SELECT l.user_id, u.email, l.expires_at FROM draft_locks l \
             LEFT JOIN users u ON u.id = l.user_id \
             WHERE l.enquiry_id = $1 AND l.expires_at > $2",
        )
        .bind(enquiry_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(DraftLock {
                user_id: r.try_get("user_id")?,
                email: r.try_get("email")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Every live draft lock in a programme, `(enquiry id, user id)`: for a queue's
    /// "being written" column. There are at most as many as agents at work.
    pub async fn draft_locks_in_programme(
        &self,
        programme_id: &str,
        now: i64,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT l.enquiry_id, l.user_id FROM draft_locks l \
             JOIN enquiries e ON e.id = l.enquiry_id \
             WHERE e.programme_id = $1 AND l.expires_at > $2 ORDER BY l.enquiry_id",
        )
        .bind(programme_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("enquiry_id")?, r.try_get("user_id")?)))
            .collect()
    }

    /// Other enquiries of the same programme whose email blind index equals this
    /// one's (none when it has no address, or its index is not computed yet), oldest
    /// first, at most `limit`.
    pub async fn related_by_contact(
        &self,
        programme_id: &str,
        enquiry_id: &str,
        limit: i64,
    ) -> Result<Vec<RelatedEnquiry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id, e.queue, e.priority, e.status, e.created_hour FROM enquiries e \
             JOIN enquiries me ON me.contact_index = e.contact_index \
             WHERE me.id = $1 AND me.programme_id = $2 AND e.programme_id = $2 \
             AND me.contact_index IS NOT NULL AND e.id <> me.id \
             ORDER BY e.created_hour, e.id LIMIT $3",
        )
        .bind(enquiry_id)
        .bind(programme_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RelatedEnquiry {
                    id: r.try_get("id")?,
                    queue: r.try_get("queue")?,
                    priority: r.try_get("priority")?,
                    status: r.try_get("status")?,
                    created_hour: r.try_get("created_hour")?,
                })
            })
            .collect()
    }

    /// Marks `enquiry_id` a duplicate of `original` (replacing an earlier mark), with
    /// its audit entry, in one transaction.
    pub async fn mark_duplicate(
        &self,
        enquiry_id: &str,
        original: &str,
        by: &str,
        at: i64,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM enquiry_duplicates WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO enquiry_duplicates (enquiry_id, duplicate_of, marked_by, marked_hour) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(enquiry_id)
        .bind(original)
        .bind(by)
        .bind(hour_of(at))
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the mark off; false (and nothing audited) when there was none.
    pub async fn unmark_duplicate(
        &self,
        enquiry_id: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM enquiry_duplicates WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn duplicate_marks(&self, enquiry_id: &str) -> Result<DuplicateMarks, StoreError> {
        let of = sqlx::query("SELECT duplicate_of FROM enquiry_duplicates WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.try_get::<String, _>("duplicate_of"))
            .transpose()?;
        let rows = sqlx::query(
            "SELECT enquiry_id FROM enquiry_duplicates WHERE duplicate_of = $1 ORDER BY enquiry_id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(DuplicateMarks {
            duplicate_of: of,
            duplicates: rows
                .iter()
                .map(|r| r.try_get("enquiry_id"))
                .collect::<Result<_, _>>()?,
        })
    }
}
