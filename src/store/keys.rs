//! Programme keys over time: rotating to a new key, finding ciphertexts still sealed
//! to an older one, re-sealing them, and destroying a key nothing uses any more.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Store, StoreError, now};
use crate::audit::Entry;
use crate::crypto::{ProgrammeKeyPair, ProgrammeSigner, Sealed};

/// The tables that hold programme-sealed data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedTable {
    Enquiries,
    Notes,
    Replies,
    Outbox,
    /// Incident records' words (issue 20).
    Incidents,
    /// What people wrote back from their reply inbox (issue 21, item 5).
    PersonMessages,
    /// The masked address of a confirmation (`contact_codes.masked`, issue 19), sealed
    /// to the programme key and the person's inbox key; its row id is the enquiry's.
    ContactCodes,
}

impl SealedTable {
    pub const ALL: [SealedTable; 7] = [
        SealedTable::Enquiries,
        SealedTable::Notes,
        SealedTable::Replies,
        SealedTable::Outbox,
        SealedTable::Incidents,
        SealedTable::PersonMessages,
        SealedTable::ContactCodes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Enquiries => "enquiries",
            Self::Notes => "notes",
            Self::Replies => "replies",
            Self::Outbox => "outbox",
            Self::Incidents => "incidents",
            Self::PersonMessages => "person_messages",
            Self::ContactCodes => "contact_codes",
        }
    }
}

/// A ciphertext sealed to a key other than its programme's current one.
#[derive(Debug, Clone)]
pub struct StaleRow {
    pub id: String,
    pub sealed: Sealed,
    /// The enquirer's inbox key: replies must stay readable in the reply inbox.
    pub inbox_recipient: Option<String>,
}

/// One key of a programme and how many ciphertexts still use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUsage {
    pub key_id: String,
    pub created_at: i64,
    pub current: bool,
    pub destroyed: bool,
    pub ciphertexts: i64,
}

fn stale_from_row(r: &AnyRow) -> Result<StaleRow, StoreError> {
    Ok(StaleRow {
        id: r.try_get("id")?,
        sealed: Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        inbox_recipient: r.try_get("inbox_recipient")?,
    })
}

/// `$1` programme, `$2` its current key, `$3` batch size.
macro_rules! stale_in {
    ($table:literal) => {
        concat!(
            "SELECT t.id, t.key_id, t.format_version, t.ciphertext, e.inbox_recipient FROM ",
            $table,
            " t JOIN enquiries e ON e.id = t.enquiry_id WHERE e.programme_id = $1 AND t.key_id <> $2 \
             ORDER BY t.id LIMIT $3"
        )
    };
}

/// `$1` new key, `$2` format, `$3` ciphertext, `$4` row, `$5` the key it had. Only to a
/// key that is still some programme's current one: a job that read the programme just
/// before a rotation must not move rows back to the key being retired.
macro_rules! reseal_in {
    ($table:literal) => {
        concat!(
            "UPDATE ",
            $table,
            " SET key_id = $1, format_version = $2, ciphertext = $3 WHERE id = $4 AND key_id = $5 \
             AND EXISTS (SELECT 1 FROM programmes p WHERE p.current_key_id = $1)"
        )
    };
}

impl Store {
    /// Makes `key` the programme's current key: new submissions are sealed to it (once
    /// caches refresh, within seconds); older ciphertexts are re-sealed in the background.
    /// The new state is signed; a stored state without a good signature is not
    /// rotated (and so not re-signed): `Ok(false)`, nothing written.
    pub async fn rotate_programme_key(
        &self,
        programme_id: &str,
        key: &ProgrammeKeyPair,
        signer: &ProgrammeSigner,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        if !super::programmes::state_verifies(&mut tx, programme_id, signer).await? {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO programme_keys (id, programme_id, recipient, wrapped_identity, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.key_id)
        .bind(programme_id)
        .bind(&key.recipient)
        .bind(&key.wrapped_identity)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE programmes SET current_key_id = $1, updated_at = $2 WHERE id = $3")
            .bind(&key.key_id)
            .bind(now())
            .bind(programme_id)
            .execute(&mut *tx)
            .await?;
        super::programmes::sign_state(&mut tx, programme_id, signer).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn stale_rows(
        &self,
        table: SealedTable,
        programme_id: &str,
        current_key: &str,
        limit: i64,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let query = match table {
            SealedTable::Enquiries => sqlx::query(
                "SELECT id, key_id, format_version, ciphertext, inbox_recipient FROM enquiries \
                 WHERE programme_id = $1 AND key_id <> $2 ORDER BY id LIMIT $3",
            ),
            SealedTable::Notes => sqlx::query(stale_in!("notes")),
            SealedTable::Replies => sqlx::query(stale_in!("replies")),
            SealedTable::Outbox => sqlx::query(stale_in!("outbox")),
            SealedTable::Incidents => sqlx::query(
                "SELECT id, key_id, format_version, ciphertext, CAST(NULL AS TEXT) AS inbox_recipient \
                 FROM incidents WHERE programme_id = $1 AND key_id <> $2 ORDER BY id LIMIT $3",
            ),
            SealedTable::PersonMessages => sqlx::query(stale_in!("person_messages")),
            SealedTable::ContactCodes => sqlx::query(
                "SELECT t.enquiry_id AS id, t.key_id, CAST(t.format_version AS BIGINT) AS \
                 format_version, t.masked AS ciphertext, e.inbox_recipient FROM contact_codes t \
                 JOIN enquiries e ON e.id = t.enquiry_id WHERE e.programme_id = $1 \
                 AND t.key_id <> $2 AND t.masked IS NOT NULL ORDER BY t.enquiry_id LIMIT $3",
            ),
        };
        let rows = query
            .bind(programme_id)
            .bind(current_key)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stale_from_row).collect()
    }

    /// Replaces one ciphertext if it is still sealed to `old_key`; false if someone
    /// else re-sealed (or deleted) it first.
    pub async fn reseal(
        &self,
        table: SealedTable,
        id: &str,
        old_key: &str,
        sealed: &Sealed,
    ) -> Result<bool, StoreError> {
        let query = match table {
            SealedTable::Enquiries => sqlx::query(reseal_in!("enquiries")),
            SealedTable::Notes => sqlx::query(reseal_in!("notes")),
            SealedTable::Replies => sqlx::query(reseal_in!("replies")),
            SealedTable::Outbox => sqlx::query(reseal_in!("outbox")),
            SealedTable::Incidents => sqlx::query(reseal_in!("incidents")),
            SealedTable::PersonMessages => sqlx::query(reseal_in!("person_messages")),
            SealedTable::ContactCodes => sqlx::query(
                "UPDATE contact_codes SET key_id = $1, format_version = $2, masked = $3 \
                 WHERE enquiry_id = $4 AND key_id = $5 \
                 AND EXISTS (SELECT 1 FROM programmes p WHERE p.current_key_id = $1)",
            ),
        };
        let done = query
            .bind(&sealed.key_id)
            .bind(sealed.format_version)
            .bind(&sealed.ciphertext)
            .bind(id)
            .bind(old_key)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every key of a programme, oldest first, with how many ciphertexts use it. One
    /// statement, so one snapshot: counted table by table while re-sealing runs, a row
    /// moved between two counts would be under neither key (a progress page then read
    /// "0 current, 0 old" and stopped refreshing).
    pub async fn key_usage(&self, programme_id: &str) -> Result<Vec<KeyUsage>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.id, k.created_at, k.wrapped_identity IS NULL AS destroyed, \
             CASE WHEN p.current_key_id = k.id THEN 1 ELSE 0 END AS current, \
             (SELECT COUNT(*) FROM enquiries x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM notes x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM replies x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM outbox x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM incidents x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM person_messages x WHERE x.key_id = k.id) \
             + (SELECT COUNT(*) FROM contact_codes x WHERE x.key_id = k.id) AS ciphertexts \
             FROM programme_keys k JOIN programmes p ON p.id = k.programme_id \
             WHERE k.programme_id = $1 ORDER BY k.created_at, k.id",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let destroyed: bool = match r.try_get::<bool, _>("destroyed") {
                Ok(b) => b,
                Err(_) => r.try_get::<i64, _>("destroyed")? != 0,
            };
            out.push(KeyUsage {
                ciphertexts: r.try_get("ciphertexts")?,
                key_id: r.try_get("id")?,
                created_at: r.try_get("created_at")?,
                current: r.try_get::<i64, _>("current")? != 0,
                destroyed,
            });
        }
        Ok(out)
    }

    /// Crypto-shredding: forgets a key's (wrapped) identity, so nothing ever sealed to
    /// it can be opened again. Refused while any ciphertext still uses it, or if it is
    /// the programme's current key.
    pub async fn destroy_key(
        &self,
        programme_id: &str,
        key_id: &str,
        audit_entry: &Entry,
    ) -> Result<Result<(), &'static str>, StoreError> {
        let usage = self.key_usage(programme_id).await?;
        let Some(key) = usage.iter().find(|k| k.key_id == key_id) else {
            return Ok(Err("no such key in this programme"));
        };
        if key.current {
            return Ok(Err("it is the programme's current key; rotate first"));
        }
        if key.ciphertexts > 0 {
            return Ok(Err(
                "ciphertexts still use it; wait for re-sealing to finish",
            ));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE programme_keys SET wrapped_identity = NULL WHERE id = $1 AND programme_id = $2",
        )
        .bind(key_id)
        .bind(programme_id)
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

impl Store {
    /// Crypto-shredding a whole programme: every one of its keys, the current one
    /// included, is deleted; returns how many were still there.
    pub async fn destroy_all_keys(
        &self,
        programme_id: &str,
        audit_entry: &Entry,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE programme_keys SET wrapped_identity = NULL \
             WHERE programme_id = $1 AND wrapped_identity IS NOT NULL",
        )
        .bind(programme_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let entry = audit_entry
            .clone()
            .detail(serde_json::json!({ "keys_destroyed": done }));
        super::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(done)
    }
}
