//! Confirming contact addresses (issue 19): the requests the inbox (public role) and
//! the console leave for the worker, the worker's record of each enquiry's code, and
//! the send counts behind the limits. See `crate::contact` for the rules.

use sqlx::Row;

use super::{Store, StoreError, hour_of};
use crate::crypto::Sealed;
use crate::store::NewOutboxRow;

/// What a request asks the worker to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactRequestKind {
    /// Mail a (new) confirmation code.
    Send,
    /// Check a typed code (its keyed hash travels with the request).
    Code,
    /// Forget the address.
    Remove,
    /// Use the address sealed in the request instead (unconfirmed, a new code).
    Change,
}

impl ContactRequestKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Code => "code",
            Self::Remove => "remove",
            Self::Change => "change",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "send" => Some(Self::Send),
            "code" => Some(Self::Code),
            "remove" => Some(Self::Remove),
            "change" => Some(Self::Change),
            _ => None,
        }
    }
}

/// A request waiting for the worker.
#[derive(Debug, Clone)]
pub struct ContactRequest {
    pub id: String,
    pub enquiry_id: String,
    pub kind: Option<ContactRequestKind>,
    pub code_hash: Option<Vec<u8>>,
    /// The new address of a `Change`, sealed to the programme key.
    pub sealed: Option<Sealed>,
}

/// The worker's record of one enquiry's confirmation.
#[derive(Debug, Clone)]
pub struct ContactCode {
    pub code_hash: Option<Vec<u8>>,
    pub attempts: i64,
    pub confirmed: bool,
}

/// What the inbox shows: whether the address is confirmed, and the masked address
/// sealed to the person's inbox key (`None` before the first code went out).
#[derive(Debug, Clone)]
pub struct ContactShown {
    pub confirmed: bool,
    pub masked: Option<Sealed>,
}

/// Everything one confirmation send writes, in one transaction.
pub struct IssuedCode<'a> {
    pub enquiry_id: &'a str,
    pub code_hash: &'a [u8],
    pub masked: &'a Sealed,
    pub contact_index: &'a [u8],
    pub outbox: &'a NewOutboxRow,
    pub at: i64,
}

impl Store {
    /// Leaves a request for the worker (the public role's and the console's only
    /// write here).
    pub async fn request_contact(
        &self,
        enquiry_id: &str,
        kind: ContactRequestKind,
        code_hash: Option<&[u8]>,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO contact_requests (id, enquiry_id, kind, code_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(crate::crypto::random_id())
        .bind(enquiry_id)
        .bind(kind.as_str())
        .bind(code_hash)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The person asked to use another address: it travels sealed to the programme
    /// key, for the worker to open.
    pub async fn request_contact_change(
        &self,
        enquiry_id: &str,
        sealed: &Sealed,
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO contact_requests (id, enquiry_id, kind, key_id, format_version, \
             ciphertext, created_at) VALUES ($1, $2, 'change', $3, $4, $5, $6)",
        )
        .bind(crate::crypto::random_id())
        .bind(enquiry_id)
        .bind(&sealed.key_id)
        .bind(sealed.format_version)
        .bind(&sealed.ciphertext)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Requests waiting, oldest first.
    pub async fn contact_requests(&self, limit: i64) -> Result<Vec<ContactRequest>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, enquiry_id, kind, code_hash, key_id, \
             CAST(format_version AS BIGINT) AS format_version, ciphertext FROM contact_requests \
             ORDER BY created_at, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ContactRequest {
                    id: r.try_get("id")?,
                    enquiry_id: r.try_get("enquiry_id")?,
                    kind: ContactRequestKind::parse(&r.try_get::<String, _>("kind")?),
                    code_hash: r.try_get("code_hash")?,
                    sealed: match (
                        r.try_get::<Option<String>, _>("key_id")?,
                        r.try_get::<Option<i64>, _>("format_version")?,
                        r.try_get::<Option<Vec<u8>>, _>("ciphertext")?,
                    ) {
                        (Some(key_id), Some(format_version), Some(ciphertext)) => Some(Sealed {
                            key_id,
                            format_version,
                            ciphertext,
                        }),
                        _ => None,
                    },
                })
            })
            .collect()
    }

    pub async fn contact_requests_waiting(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM contact_requests")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// A request is done (applied or ignored).
    pub async fn drop_contact_request(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM contact_requests WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn contact_code(&self, enquiry_id: &str) -> Result<Option<ContactCode>, StoreError> {
        let row = sqlx::query(
            "SELECT code_hash, CAST(attempts AS BIGINT) AS attempts, \
             CAST(confirmed AS BIGINT) AS confirmed FROM contact_codes WHERE enquiry_id = $1",
        )
        .bind(enquiry_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ContactCode {
                code_hash: r.try_get("code_hash")?,
                attempts: r.try_get("attempts")?,
                confirmed: r.try_get::<i64, _>("confirmed")? != 0,
            })
        })
        .transpose()
    }

    /// For the inbox (the public role reads these columns only).
    pub async fn contact_shown(
        &self,
        enquiry_id: &str,
    ) -> Result<Option<ContactShown>, StoreError> {
        let row = sqlx::query(
            "SELECT CAST(confirmed AS BIGINT) AS confirmed, key_id, \
             CAST(format_version AS BIGINT) AS format_version, masked \
             FROM contact_codes WHERE enquiry_id = $1",
        )
        .bind(enquiry_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let key_id: Option<String> = r.try_get("key_id")?;
            let format_version: Option<i64> = r.try_get("format_version")?;
            let masked: Option<Vec<u8>> = r.try_get("masked")?;
            Ok(ContactShown {
                confirmed: r.try_get::<i64, _>("confirmed")? != 0,
                masked: match (key_id, format_version, masked) {
                    (Some(key_id), Some(format_version), Some(ciphertext)) => Some(Sealed {
                        key_id,
                        format_version,
                        ciphertext,
                    }),
                    _ => None,
                },
            })
        })
        .transpose()
    }

    /// Confirmation messages queued to this blind index since `since`, and to anyone
    /// in the hour of `at`.
    pub async fn contact_sends(
        &self,
        contact_index: &[u8],
        since: i64,
        at: i64,
    ) -> Result<(i64, i64), StoreError> {
        let to_this = sqlx::query(
            "SELECT COUNT(*) AS n FROM contact_sends WHERE contact_index = $1 AND sent_hour >= $2",
        )
        .bind(contact_index)
        .bind(hour_of(since))
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        let this_hour = sqlx::query("SELECT COUNT(*) AS n FROM contact_sends WHERE sent_hour = $1")
            .bind(hour_of(at))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok((to_this, this_hour))
    }

    /// A new code: its hash replaces any earlier one (which no longer confirms), the
    /// masked address is stored for the inbox, the send is counted, and the message is
    /// queued, together.
    pub async fn issue_contact_code(&self, issued: &IssuedCode<'_>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO contact_codes (enquiry_id, code_hash, attempts, issued_hour, confirmed, \
             key_id, format_version, masked) VALUES ($1, $2, 0, $3, 0, $4, $5, $6) \
             ON CONFLICT (enquiry_id) DO UPDATE SET code_hash = $2, attempts = 0, \
             issued_hour = $3, key_id = $4, format_version = $5, masked = $6",
        )
        .bind(issued.enquiry_id)
        .bind(issued.code_hash)
        .bind(hour_of(issued.at))
        .bind(&issued.masked.key_id)
        .bind(issued.masked.format_version)
        .bind(&issued.masked.ciphertext)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO contact_sends (contact_index, sent_hour) VALUES ($1, $2)")
            .bind(issued.contact_index)
            .bind(hour_of(issued.at))
            .execute(&mut *tx)
            .await?;
        super::outbox::insert_outbox(&mut tx, issued.outbox).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A wrong code typed: counted; at `max` wrong codes the code is spent.
    pub async fn wrong_contact_code(&self, enquiry_id: &str, max: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE contact_codes SET attempts = attempts + 1, \
             code_hash = CASE WHEN attempts + 1 >= $2 THEN NULL ELSE code_hash END \
             WHERE enquiry_id = $1",
        )
        .bind(enquiry_id)
        .bind(max)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The right code: the address is confirmed and the code can never be used again.
    pub async fn confirm_contact(&self, enquiry_id: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE contact_codes SET code_hash = NULL, confirmed = 1 WHERE enquiry_id = $1",
        )
        .bind(enquiry_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE enquiries SET email_confirmed = 1 WHERE id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The address is gone: the enquiry is sealed again without it, and nothing is
    /// mailed to it any more.
    pub async fn remove_contact(
        &self,
        enquiry_id: &str,
        sealed: &Sealed,
    ) -> Result<(), StoreError> {
        self.reseal_contact(enquiry_id, sealed, false).await
    }

    /// Another address: the enquiry sealed again with it, unconfirmed, its old code
    /// and blind index gone (the index job computes the new one).
    pub async fn change_contact(
        &self,
        enquiry_id: &str,
        sealed: &Sealed,
    ) -> Result<(), StoreError> {
        self.reseal_contact(enquiry_id, sealed, true).await
    }

    /// Either way the address on record is new (or none): unconfirmed, no blind index,
    /// no live code.
    async fn reseal_contact(
        &self,
        enquiry_id: &str,
        sealed: &Sealed,
        has_email: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE enquiries SET key_id = $2, format_version = $3, ciphertext = $4, \
             has_email = $5, email_confirmed = 0, contact_index = NULL WHERE id = $1",
        )
        .bind(enquiry_id)
        .bind(&sealed.key_id)
        .bind(sealed.format_version)
        .bind(&sealed.ciphertext)
        .bind(i64::from(has_email))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM contact_codes WHERE enquiry_id = $1")
            .bind(enquiry_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a claimed outbox row may leave: a confirmation message always; any
    /// other row only to a confirmed address, or when both approvers of an incident
    /// notice chose to send it unconfirmed (`unconfirmed_ok`).
    pub async fn outbox_may_reach(&self, outbox_id: &str) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT o.id FROM outbox o LEFT JOIN enquiries e ON e.id = o.enquiry_id \
             WHERE o.id = $1 AND (o.unconfirmed_ok = 1 OR e.email_confirmed = 1)",
        )
        .bind(outbox_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }
}
