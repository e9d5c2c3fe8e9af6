//! What the reply inbox reads: the public role's only reads of stored enquiries. Each
//! query names just the columns the inbox uses, because on PostgreSQL the public
//! account may read nothing else (`access`): not an enquiry's ciphertext, contact
//! index or case work, not who wrote a reply, not the referral register.

use sqlx::Row;

use super::{Store, StoreError, stored};
use crate::crypto::Sealed;
use crate::states::ReferralState;

/// The enquiry an inbox attempt names, as much as checking it needs.
#[derive(Debug, Clone)]
pub struct InboxEnquiry {
    pub id: String,
    pub passphrase_hash: Vec<u8>,
    pub status: crate::casework::Status,
}

impl Store {
    /// The enquiry of `programme_id` with this reference code hash.
    pub async fn inbox_enquiry(
        &self,
        programme_id: &str,
        reference_hash: &[u8],
    ) -> Result<Option<InboxEnquiry>, StoreError> {
        let row = sqlx::query(
            "SELECT id, passphrase_hash, status FROM enquiries \
             WHERE programme_id = $1 AND reference_hash = $2",
        )
        .bind(programme_id)
        .bind(reference_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(InboxEnquiry {
                id: r.try_get("id")?,
                passphrase_hash: r.try_get("passphrase_hash")?,
                status: crate::casework::Status::parse(&r.try_get::<String, _>("status")?)
                    .ok_or(StoreError::Corrupt("unknown enquiry status"))?,
            })
        })
        .transpose()
    }

    /// An enquiry's replies as sealed, oldest first (the inbox opens those sealed to
    /// the enquirer's inbox key too).
    pub async fn inbox_replies(&self, enquiry_id: &str) -> Result<Vec<Sealed>, StoreError> {
        let rows = sqlx::query(
            "SELECT key_id, format_version, ciphertext FROM replies WHERE enquiry_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Sealed {
                    key_id: r.try_get("key_id")?,
                    format_version: r.try_get("format_version")?,
                    ciphertext: r.try_get("ciphertext")?,
                })
            })
            .collect()
    }

    /// The partners an enquiry was referred to, by name, once each: only referrals
    /// that left (or are on their way). Not in the order asked: when is not the
    /// public role's to read.
    pub async fn disclosed_partners(&self, enquiry_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT partner_name, state FROM referrals WHERE enquiry_id = $1 \
             ORDER BY partner_name",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        let mut names: Vec<String> = Vec::new();
        for r in &rows {
            let state: ReferralState = stored(r, "state")?;
            let name: String = r.try_get("partner_name")?;
            if state.disclosed() && !names.contains(&name) {
                names.push(name);
            }
        }
        Ok(names)
    }
}
