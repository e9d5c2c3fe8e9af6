use crate::casework::Status;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError};
use crate::crypto::Sealed;

/// An enquiry ready to be written: everything personal is already inside `sealed`.
#[derive(Debug, Clone)]
pub struct NewEnquiry {
    pub id: String,
    pub programme_id: String,
    pub form_version: i64,
    pub reference_hash: Vec<u8>,
    pub passphrase_hash: Vec<u8>,
    pub queue: String,
    pub priority: i64,
    pub language: String,
    /// `web` or `imported`.
    pub source: &'static str,
    pub has_email: bool,
    pub contact_index: Option<Vec<u8>>,
    /// The enquirer's own age recipient, for replies they can read (None: no inbox).
    pub inbox_recipient: Option<String>,
    pub sealed: Sealed,
    pub created_hour: i64,
    /// "What you sent", sealed to the inbox recipient alone (issue 21, item 6), where
    /// the programme shows it; stored in `own_copies` in the enquiry's transaction.
    pub own_copy: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct EnquiryRecord {
    pub id: String,
    pub programme_id: String,
    pub form_version: i64,
    pub passphrase_hash: Vec<u8>,
    pub queue: String,
    pub priority: i64,
    pub status: Status,
    pub language: String,
    pub source: String,
    pub has_email: bool,
    pub sealed: Sealed,
    pub created_hour: i64,
    pub updated_hour: i64,
    /// The staff member working on it, if anyone.
    pub assigned_to: Option<String>,
    pub inbox_recipient: Option<String>,
}

/// A macro, not a const, so queries stay string literals (sqlx refuses dynamic SQL).
macro_rules! enquiry_columns {
    () => {
        "id, programme_id, form_version, passphrase_hash, queue, priority, status, language, \
         source, has_email, key_id, format_version, ciphertext, created_hour, updated_hour, assigned_to, inbox_recipient"
    };
}

pub(super) fn enquiry_from_row(r: &AnyRow) -> Result<EnquiryRecord, StoreError> {
    Ok(EnquiryRecord {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        form_version: r.try_get("form_version")?,
        passphrase_hash: r.try_get("passphrase_hash")?,
        queue: r.try_get("queue")?,
        priority: r.try_get("priority")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)
            .ok_or(StoreError::Corrupt("unknown enquiry status"))?,
        language: r.try_get("language")?,
        source: r.try_get("source")?,
        has_email: r.try_get::<i64, _>("has_email")? != 0,
        sealed: Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        created_hour: r.try_get("created_hour")?,
        updated_hour: r.try_get("updated_hour")?,
        assigned_to: r.try_get("assigned_to")?,
        inbox_recipient: r.try_get("inbox_recipient")?,
    })
}

pub(super) async fn insert_enquiry(
    conn: &mut sqlx::AnyConnection,
    e: &NewEnquiry,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO enquiries (id, programme_id, form_version, reference_hash, passphrase_hash, queue, \
         priority, status, language, source, has_email, contact_index, key_id, format_version, ciphertext, \
         created_hour, updated_hour, inbox_recipient, display_handle) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17)",
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
    // Every insert path (form, phone intake) comes through here: each gets its handle.
    .bind(super::queues::new_display_handle())
    .execute(&mut *conn)
    .await?;
    if let Some(copy) = &e.own_copy {
        sqlx::query("INSERT INTO own_copies (enquiry_id, ciphertext) VALUES ($1, $2)")
            .bind(&e.id)
            .bind(copy)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    pub async fn enquiry_by_reference_hash(
        &self,
        programme_id: &str,
        reference_hash: &[u8],
    ) -> Result<Option<EnquiryRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            enquiry_columns!(),
            " FROM enquiries WHERE programme_id = $1 AND reference_hash = $2"
        ))
        .bind(programme_id)
        .bind(reference_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(enquiry_from_row).transpose()
    }

    /// The enquiry with this reference code hash, in whichever programme.
    /// The programme of the enquiry with this reference-code hash: the slug-free inbox
    /// (`/inbox`) finds the programme this way. Only columns the public account may read.
    pub async fn programme_of_reference(
        &self,
        reference_hash: &[u8],
    ) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT programme_id FROM enquiries WHERE reference_hash = $1")
            .bind(reference_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get("programme_id")?)).transpose()
    }

    pub async fn enquiry_by_reference(
        &self,
        reference_hash: &[u8],
    ) -> Result<Option<EnquiryRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            enquiry_columns!(),
            " FROM enquiries WHERE reference_hash = $1"
        ))
        .bind(reference_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(enquiry_from_row).transpose()
    }

    pub async fn enquiry(&self, id: &str) -> Result<Option<EnquiryRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            enquiry_columns!(),
            " FROM enquiries WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(enquiry_from_row).transpose()
    }

    /// Enquiries of a programme, most urgent first, then oldest first.
    pub async fn enquiries_of_programme(
        &self,
        programme_id: &str,
    ) -> Result<Vec<EnquiryRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            enquiry_columns!(),
            " FROM enquiries WHERE programme_id = $1 ORDER BY priority, created_hour, id"
        ))
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(enquiry_from_row).collect()
    }

    pub async fn count_enquiries(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM enquiries")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}

impl Store {
    /// Up to `limit` enquiries with an address whose blind index is not computed yet
    /// (the public role stores none: it has no key for it), with their ciphertexts.
    pub async fn contacts_to_index(&self, limit: i64) -> Result<Vec<(String, Sealed)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, key_id, format_version, ciphertext FROM enquiries \
             WHERE has_email = 1 AND contact_index IS NULL ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    Sealed {
                        key_id: r.try_get("key_id")?,
                        format_version: r.try_get("format_version")?,
                        ciphertext: r.try_get("ciphertext")?,
                    },
                ))
            })
            .collect()
    }

    /// Stores computed blind indexes, each only where none is stored yet.
    pub async fn set_contact_indexes(
        &self,
        indexes: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (id, index) in indexes {
            sqlx::query(
                "UPDATE enquiries SET contact_index = $1 WHERE id = $2 AND contact_index IS NULL",
            )
            .bind(index)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
