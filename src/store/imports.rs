//! Writing imported mail: each enquiry with its keyed de-duplication hashes, many to a
//! transaction, where a duplicate is a row the unique indexes turn away (so two imports
//! running at once cannot both store the same message).

use super::{NewEnquiry, Store, StoreError};
use crate::audit::Entry;

/// An enquiry made from one email, with the keyed hashes that recognise it again.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub enquiry: NewEnquiry,
    /// Keyed hash of the Message-ID, if the message had one.
    pub id_hash: Option<Vec<u8>>,
    /// Keyed hash of the sender and the text.
    pub content_hash: Vec<u8>,
    /// The sender's address counts as confirmed (a trusted, aligned DKIM pass;
    /// `import::trust`): replies may be emailed to it.
    pub email_confirmed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Inserted,
    /// The programme already has this message (same Message-ID, or same sender and text).
    Duplicate,
}

async fn insert_import<'c, E>(executor: E, i: &NewImport) -> Result<ImportOutcome, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let e = &i.enquiry;
    let done = sqlx::query(
        "INSERT INTO enquiries (id, programme_id, form_version, reference_hash, passphrase_hash, queue, \
         priority, status, language, source, has_email, contact_index, key_id, format_version, ciphertext, \
         created_hour, updated_hour, inbox_recipient, import_id_hash, import_content_hash, display_handle, \
         email_confirmed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19, $20) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&e.id)
    .bind(&e.programme_id)
    .bind(e.form_version)
    .bind(&e.reference_hash)
    .bind(&e.passphrase_hash)
    .bind(&e.queue)
    .bind(e.priority)
    .bind(&e.language)
    .bind(e.source)
    .bind(i64::from(e.has_email))
    .bind(&e.contact_index)
    .bind(&e.sealed.key_id)
    .bind(e.sealed.format_version)
    .bind(&e.sealed.ciphertext)
    .bind(e.created_hour)
    .bind(&e.inbox_recipient)
    .bind(&i.id_hash)
    .bind(&i.content_hash)
    .bind(super::queues::new_display_handle())
    .bind(i64::from(i.email_confirmed))
    .execute(executor)
    .await?;
    Ok(if done.rows_affected() == 1 {
        ImportOutcome::Inserted
    } else {
        ImportOutcome::Duplicate
    })
}

impl Store {
    /// Writes `batch` in one transaction: every row is stored, or (on an error) none.
    /// A duplicate is not an error; it is reported and skipped. `audit` makes the
    /// batch's entry from what the inserts found (`None` when nothing changed), and the
    /// entry commits with the rows it records.
    pub async fn insert_imports(
        &self,
        batch: &[NewImport],
        audit: impl FnOnce(&[ImportOutcome]) -> Option<Entry>,
    ) -> Result<Vec<ImportOutcome>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for i in batch {
            outcomes.push(insert_import(&mut *tx, i).await?);
        }
        if let Some(entry) = audit(&outcomes) {
            super::audit::append(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(outcomes)
    }
}
