//! Phone intake's write (the enquiry and its audit entry together) and caller
//! verification's two tables (issue 22): `caller_checks`, the one-time numbers the
//! console issued (keyed hashes), and `caller_answers`, what reply inboxes recorded
//! (keyed hashes; the public role may only insert them).

use sqlx::Row;

use super::enquiries::insert_enquiry;
use super::{NewEnquiry, Store, StoreError};
use crate::audit::Entry;

/// How long issued numbers and recorded answers are kept at all.
const KEPT_SECS: i64 = 24 * 3600;

/// An answer's id: the time in nanoseconds first, so that answers of one second still
/// sort in the order they came (only the first few count), then random.
fn answer_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:032x}{}", &crate::crypto::random_id()[..16])
}

/// A one-time number issued to verify a caller.
#[derive(Debug, Clone)]
pub struct CallerCheck {
    pub id: String,
    pub enquiry_id: String,
    pub staff_id: String,
    pub number_hash: Vec<u8>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A number typed into a reply inbox, as its keyed hash.
#[derive(Debug, Clone)]
pub struct CallerAnswer {
    pub number_hash: Vec<u8>,
    pub answered_at: i64,
}

impl Store {
    /// An enquiry taken by phone and its audit entry (who entered it), in one
    /// transaction: there is never one without the other.
    pub async fn insert_phone_enquiry(
        &self,
        enquiry: &NewEnquiry,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_enquiry(&mut tx, enquiry).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new check (with its audit entry), replacing the staff member's earlier
    /// one for the enquiry, and drops checks and answers older than a day.
    pub async fn insert_caller_check(
        &self,
        check: &CallerCheck,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let old = check.created_at - KEPT_SECS;
        sqlx::query("DELETE FROM caller_checks WHERE created_at < $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM caller_answers WHERE answered_at < $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
        // A new number replaces this staff member's earlier one for the enquiry: one
        // check per call, whatever the clock's resolution.
        sqlx::query("DELETE FROM caller_checks WHERE enquiry_id = $1 AND staff_id = $2")
            .bind(&check.enquiry_id)
            .bind(&check.staff_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO caller_checks (id, enquiry_id, staff_id, number_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&check.id)
        .bind(&check.enquiry_id)
        .bind(&check.staff_id)
        .bind(&check.number_hash)
        .bind(check.created_at)
        .bind(check.expires_at)
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest check this staff member issued for this enquiry.
    pub async fn latest_caller_check(
        &self,
        enquiry_id: &str,
        staff_id: &str,
    ) -> Result<Option<CallerCheck>, StoreError> {
        let row = sqlx::query(
            "SELECT id, enquiry_id, staff_id, number_hash, created_at, expires_at FROM caller_checks \
             WHERE enquiry_id = $1 AND staff_id = $2 ORDER BY created_at DESC, id LIMIT 1",
        )
        .bind(enquiry_id)
        .bind(staff_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(CallerCheck {
                id: r.try_get("id")?,
                enquiry_id: r.try_get("enquiry_id")?,
                staff_id: r.try_get("staff_id")?,
                number_hash: r.try_get("number_hash")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// What the enquiry's inbox recorded from `since` on, oldest first.
    pub async fn caller_answers(
        &self,
        enquiry_id: &str,
        since: i64,
    ) -> Result<Vec<CallerAnswer>, StoreError> {
        let rows = sqlx::query(
            "SELECT number_hash, answered_at FROM caller_answers \
             WHERE enquiry_id = $1 AND answered_at >= $2 ORDER BY answered_at, id",
        )
        .bind(enquiry_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CallerAnswer {
                    number_hash: r.try_get("number_hash")?,
                    answered_at: r.try_get("answered_at")?,
                })
            })
            .collect()
    }

    /// The reply inbox records a typed number (public role: INSERT only).
    pub async fn insert_caller_answer(
        &self,
        enquiry_id: &str,
        number_hash: &[u8],
        at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO caller_answers (id, enquiry_id, number_hash, answered_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(answer_id())
        .bind(enquiry_id)
        .bind(number_hash)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
