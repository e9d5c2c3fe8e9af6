//! Retention: deleting what a programme no longer needs to keep.
//!
//! An enquiry past its programme's retention period goes, with everything about it
//! (notes, replies, outbox rows, campaign membership, what the person wrote back, its
//! address's confirmation, caller checks), in one transaction, unless a
//! legal hold keeps it or a message to that person is still waiting to be sent (it
//! goes at the next run, once delivered: purging never drops an outbound message).

use sqlx::Row;

use super::{Backend, Store, StoreError};
use crate::audit::{Actor, AuditAction, Entry};

/// What one purge removed from one programme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeCounts {
    pub enquiries: u64,
    pub notes: u64,
    pub replies: u64,
    pub messages: u64,
}

/// The enquiries to purge: `$1` programme, `$2` cut-off hour.
macro_rules! expired {
    () => {
        "SELECT e.id FROM enquiries e WHERE e.programme_id = $1 AND e.created_hour < $2 \
         AND e.legal_hold = 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.enquiry_id = e.id \
         AND o.state IN ('queued', 'sending'))"
    };
}

impl Store {
    /// Purges one programme's enquiries created before `cutoff` (Unix seconds), and
    /// audits the counts in the same transaction.
    pub async fn purge_expired(
        &self,
        programme_id: &str,
        slug: &str,
        cutoff: i64,
        actor: &Actor,
    ) -> Result<PurgeCounts, StoreError> {
        let mut tx = self.begin_write().await?;
        let messages = sqlx::query(concat!(
            "DELETE FROM outbox WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let replies = sqlx::query(concat!(
            "DELETE FROM replies WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let notes = sqlx::query(concat!(
            "DELETE FROM notes WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        // What the person wrote back from their inbox (migration 0130) goes with it.
        sqlx::query(concat!(
            "DELETE FROM person_messages WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        sqlx::query(concat!(
            "DELETE FROM campaign_enquiries WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        // Draft locks and duplicate marks (either side) name nothing once it is gone.
        for sql in [
            concat!(
                "DELETE FROM draft_locks WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM enquiry_duplicates WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM enquiry_duplicates WHERE duplicate_of IN (",
                expired!(),
                ")"
            ),
            // An address's confirmation and a caller's checks go with it too; the
            // send counts of its address as well, unless a kept enquiry shares it.
            concat!(
                "DELETE FROM contact_requests WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM contact_codes WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM caller_checks WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM caller_answers WHERE enquiry_id IN (",
                expired!(),
                ")"
            ),
            concat!(
                "DELETE FROM contact_sends WHERE contact_index IN (SELECT x.contact_index \
                 FROM enquiries x WHERE x.id IN (",
                expired!(),
                ")) AND NOT EXISTS (SELECT 1 FROM enquiries k \
                 WHERE k.contact_index = contact_sends.contact_index AND k.id NOT IN (",
                expired!(),
                "))"
            ),
        ] {
            sqlx::query(sql)
                .bind(programme_id)
                .bind(cutoff)
                .execute(&mut *tx)
                .await?;
        }
        // "What you sent" (issue 21, item 6) goes with its enquiry.
        sqlx::query(concat!(
            "DELETE FROM own_copies WHERE enquiry_id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        let enquiries = sqlx::query(concat!(
            "DELETE FROM enquiries WHERE id IN (",
            expired!(),
            ")"
        ))
        .bind(programme_id)
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let counts = PurgeCounts {
            enquiries,
            notes,
            replies,
            messages,
        };
        if counts != PurgeCounts::default() {
            super::audit::append(
                &mut tx,
                &Entry::new(
                    actor,
                    AuditAction::RetentionPurge,
                    &format!("programme:{slug}"),
                )
                .detail(serde_json::json!({
                    "enquiries": counts.enquiries, "notes": counts.notes,
                    "replies": counts.replies, "messages": counts.messages, "before": cutoff,
                })),
            )
            .await?;
        }
        tx.commit().await?;
        if self.backend == Backend::Sqlite && counts.enquiries > 0 {
            // secure_delete overwrote the freed pages in the database file; the WAL may
            // still hold their old images until a checkpoint, so take one now.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(counts)
    }

    pub async fn set_legal_hold(
        &self,
        enquiry_id: &str,
        hold: bool,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE enquiries SET legal_hold = $1 WHERE id = $2")
            .bind(i64::from(hold))
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn legal_hold(&self, enquiry_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT legal_hold FROM enquiries WHERE id = $1")
            .bind(enquiry_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64, _>("legal_hold"))
            .transpose()?
            .unwrap_or(0)
            != 0)
    }
}
