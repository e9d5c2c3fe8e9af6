//! What a person writes back from their reply inbox (`person_messages`, migration
//! 0130). The public role adds a sealed message and reads the sealed messages of the
//! one inbox it opened; the console reads them to open in the thread; the worker moves
//! their enquiries to `person_replied` ([`Store::requeue_person_messages`]).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError, hour_of};
use crate::crypto::Sealed;

/// A message ready to be written (by the public role).
#[derive(Debug, Clone)]
pub struct NewPersonMessage {
    pub id: String,
    pub enquiry_id: String,
    pub sealed: Sealed,
    pub created_at: i64,
}

/// A stored message, sealed. `created_hour` is all the clear columns say of when.
#[derive(Debug, Clone)]
pub struct PersonMessageRecord {
    pub id: String,
    pub enquiry_id: String,
    pub sealed: Sealed,
    pub created_hour: i64,
}

fn message_from_row(r: &AnyRow) -> Result<PersonMessageRecord, StoreError> {
    Ok(PersonMessageRecord {
        id: r.try_get("id")?,
        enquiry_id: r.try_get("enquiry_id")?,
        sealed: Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        created_hour: r.try_get("created_hour")?,
    })
}

impl Store {
    /// Adds a person's message (the public role: an INSERT and nothing else).
    pub async fn add_person_message(&self, m: &NewPersonMessage) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO person_messages (id, enquiry_id, key_id, format_version, ciphertext, \
             created_hour) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&m.id)
        .bind(&m.enquiry_id)
        .bind(&m.sealed.key_id)
        .bind(m.sealed.format_version)
        .bind(&m.sealed.ciphertext)
        .bind(hour_of(m.created_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// An enquiry's messages from the person, sealed, by hour (the exact time sealed
    /// inside orders them). Names only columns the public account may read.
    pub async fn person_messages(
        &self,
        enquiry_id: &str,
    ) -> Result<Vec<PersonMessageRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, enquiry_id, key_id, format_version, ciphertext, created_hour \
             FROM person_messages WHERE enquiry_id = $1 ORDER BY created_hour, id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    /// The worker's part: every enquiry with a message not yet acted on moves to
    /// `person_replied` (back to the top of its queue: `queue_enquiries` puts that
    /// status first) with its `updated_hour` set to now, and the messages are marked
    /// done, in one transaction. Returns how many enquiries moved. A message on an
    /// enquiry a member of staff closed re-opens it: the person is waiting.
    pub async fn requeue_person_messages(&self, at: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let pending: Vec<String> = sqlx::query(
            "SELECT DISTINCT enquiry_id FROM person_messages WHERE requeued = 0 ORDER BY enquiry_id",
        )
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("enquiry_id"))
        .collect::<Result<_, _>>()?;
        let mut moved = 0;
        for id in &pending {
            moved += sqlx::query(
                "UPDATE enquiries SET status = 'person_replied', updated_hour = $1 WHERE id = $2",
            )
            .bind(hour_of(at))
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE person_messages SET requeued = 1 WHERE enquiry_id = $1 AND requeued = 0",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(moved)
    }
}
