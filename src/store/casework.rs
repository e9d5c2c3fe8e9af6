//! Case work on enquiries: queues and their counts, claiming, status, transfers and
//! encrypted notes. Every change is a conditional update (it names the state it
//! expects), so two staff acting at once cannot both succeed, and each successful
//! change is audited in its own transaction.

use sqlx::Row;

use super::enquiries::enquiry_from_row;
use super::{EnquiryRecord, Store, StoreError, hour_of, now};
use crate::audit::Entry;
use crate::crypto::Sealed;

/// Enquiries of one queue in one status: how many, and when the oldest arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStat {
    pub queue: String,
    pub status: crate::casework::Status,
    pub count: i64,
    pub oldest_hour: i64,
}

#[derive(Debug, Clone)]
pub struct NewNote {
    pub id: String,
    pub enquiry_id: String,
    pub author_id: String,
    pub sealed: Sealed,
}

#[derive(Debug, Clone)]
pub struct NoteRecord {
    pub id: String,
    pub author_id: String,
    pub author_email: Option<String>,
    pub sealed: Sealed,
    pub created_at: i64,
}

/// Which enquiries a queue view lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Open,
    Only(crate::casework::Status),
    All,
}

impl Store {
    pub async fn queue_stats(&self, programme_id: &str) -> Result<Vec<QueueStat>, StoreError> {
        let rows = sqlx::query(
            "SELECT queue, status, COUNT(*) AS n, MIN(created_hour) AS oldest FROM enquiries \
             WHERE programme_id = $1 GROUP BY queue, status ORDER BY queue, status",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(QueueStat {
                    queue: r.try_get("queue")?,
                    status: crate::casework::Status::parse(&r.try_get::<String, _>("status")?)
                        .ok_or(StoreError::Corrupt("unknown enquiry status"))?,
                    count: r.try_get("n")?,
                    oldest_hour: r.try_get("oldest")?,
                })
            })
            .collect()
    }

    /// One queue: those the person wrote back on first (`person_replied`: back to the
    /// top), then most urgent, then oldest.
    pub async fn queue_enquiries(
        &self,
        programme_id: &str,
        queue: &str,
        filter: StatusFilter,
        limit: i64,
    ) -> Result<Vec<EnquiryRecord>, StoreError> {
        let (closed, status) = match filter {
            StatusFilter::Open => (0, ""),
            StatusFilter::Only(s) => (2, s.as_str()),
            StatusFilter::All => (1, ""),
        };
        // One statement for every filter: $3 says which condition applies.
        let rows = sqlx::query(concat!(
            "SELECT ",
            enquiry_columns!(),
            " FROM enquiries WHERE programme_id = $1 AND queue = $2 AND \
             (($3 = 0 AND status <> 'closed') OR $3 = 1 OR ($3 = 2 AND status = $4)) \
             ORDER BY CASE WHEN status = 'person_replied' THEN 0 ELSE 1 END, \
             priority, created_hour, id LIMIT $5"
        ))
        .bind(programme_id)
        .bind(queue)
        .bind(closed as i64)
        .bind(status)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(enquiry_from_row).collect()
    }

    /// Enquiries received per day since `since` (Unix seconds): (day start, count).
    pub async fn daily_counts(
        &self,
        programme_id: &str,
        since: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT (created_hour / 86400) * 86400 AS day, COUNT(*) AS n FROM enquiries \
             WHERE programme_id = $1 AND created_hour >= $2 GROUP BY (created_hour / 86400) * 86400 \
             ORDER BY day",
        )
        .bind(programme_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("day")?, r.try_get("n")?)))
            .collect()
    }

    /// Claims an unclaimed enquiry. False if someone else got there first.
    pub async fn claim(
        &self,
        enquiry_id: &str,
        user_id: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        self.conditional_update(
            sqlx::query(
                "UPDATE enquiries SET assigned_to = $1, updated_hour = $2, \
                 status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END \
                 WHERE id = $3 AND assigned_to IS NULL",
            )
            .bind(user_id.to_owned())
            .bind(hour_of(now()))
            .bind(enquiry_id.to_owned()),
            audit_entry,
        )
        .await
    }

    /// Clears the claim if it is still `current` (so a stale page cannot clear a newer one).
    pub async fn unclaim(
        &self,
        enquiry_id: &str,
        current: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        self.conditional_update(
            sqlx::query(
                "UPDATE enquiries SET assigned_to = NULL, updated_hour = $1 \
                 WHERE id = $2 AND assigned_to = $3",
            )
            .bind(hour_of(now()))
            .bind(enquiry_id.to_owned())
            .bind(current.to_owned()),
            audit_entry,
        )
        .await
    }

    pub async fn assign(
        &self,
        enquiry_id: &str,
        to_user: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        self.conditional_update(
            sqlx::query(
                "UPDATE enquiries SET assigned_to = $1, updated_hour = $2, \
                 status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END \
                 WHERE id = $3",
            )
            .bind(to_user.to_owned())
            .bind(hour_of(now()))
            .bind(enquiry_id.to_owned()),
            audit_entry,
        )
        .await
    }

    /// Moves the status if it is still `from`.
    pub async fn set_status(
        &self,
        enquiry_id: &str,
        from: &str,
        to: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        self.conditional_update(
            sqlx::query(
                "UPDATE enquiries SET status = $1, updated_hour = $2 WHERE id = $3 AND status = $4",
            )
            .bind(to.to_owned())
            .bind(hour_of(now()))
            .bind(enquiry_id.to_owned())
            .bind(from.to_owned()),
            audit_entry,
        )
        .await
    }

    /// Moves the enquiry to another queue if it is still in `from`, with the reason as
    /// an encrypted note, in one transaction.
    pub async fn transfer(
        &self,
        enquiry_id: &str,
        from: &str,
        to: &str,
        reason: &NewNote,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE enquiries SET queue = $1, updated_hour = $2 WHERE id = $3 AND queue = $4",
        )
        .bind(to)
        .bind(hour_of(now()))
        .bind(enquiry_id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        insert_note(&mut tx, reason).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn add_note(&self, note: &NewNote, audit_entry: &Entry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_note(&mut tx, note).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn notes(&self, enquiry_id: &str) -> Result<Vec<NoteRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.author_id, u.email, n.key_id, n.format_version, n.ciphertext, n.created_at \
             FROM notes n LEFT JOIN users u ON u.id = n.author_id \
             WHERE n.enquiry_id = $1 ORDER BY n.created_at, n.id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NoteRecord {
                    id: r.try_get("id")?,
                    author_id: r.try_get("author_id")?,
                    author_email: r.try_get("email")?,
                    sealed: Sealed {
                        key_id: r.try_get("key_id")?,
                        format_version: r.try_get("format_version")?,
                        ciphertext: r.try_get("ciphertext")?,
                    },
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    async fn conditional_update(
        &self,
        query: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = query.execute(&mut *tx).await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_note(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    note: &NewNote,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notes (id, enquiry_id, author_id, key_id, format_version, ciphertext, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&note.id)
    .bind(&note.enquiry_id)
    .bind(&note.author_id)
    .bind(&note.sealed.key_id)
    .bind(note.sealed.format_version)
    .bind(&note.sealed.ciphertext)
    // The hour only: the exact time is inside the ciphertext (`casework::notes`).
    .bind(super::hour_of(now()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
