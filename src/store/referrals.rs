//! Referrals and the disclosure register. Every change is one conditional update
//! naming the state the page showed, committed with its audit entry (and, for an
//! emailed package, with its outbox row), so a referral leaves at most once and a
//! personal one never without a second person (the table's CHECKs say so too).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::outbox::insert_outbox;
use super::{Delivery, NewOutboxRow, OutboxState, ReferralState, Store, StoreError, hour_of, now};
use crate::audit::Entry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRecord {
    pub id: String,
    pub programme_id: String,
    pub enquiry_id: String,
    pub partner_key: String,
    pub partner_name: String,
    /// What leaves: field and pseudo-field names, in profile order.
    pub fields: Vec<String>,
    pub personal: bool,
    pub basis: String,
    pub delivery: Delivery,
    pub state: ReferralState,
    pub requested_by: String,
    pub requested_hour: i64,
    pub decided_by: Option<String>,
    pub decided_hour: Option<i64>,
    pub disclosed_hour: Option<i64>,
    pub outbox_id: Option<String>,
    /// Where it was asked to go (`None`: asked for before Haven recorded it).
    pub partner_address: Option<String>,
    pub partner_recipient: Option<String>,
    /// Why Haven stopped it (see [`crate::referrals::Stop`]); `None` otherwise.
    pub stopped_reason: Option<String>,
}

impl ReferralRecord {
    /// Whether something has left Haven (or is on its way to the partner).
    pub fn disclosed(&self) -> bool {
        self.state.disclosed()
    }
}

/// A referral as asked for. `state` is where it starts: `pending` when it needs
/// approval, else `queued` (with its outbox row) or `ready`.
#[derive(Debug, Clone)]
pub struct NewReferral {
    pub id: String,
    pub programme_id: String,
    pub enquiry_id: String,
    pub partner_key: String,
    pub partner_name: String,
    /// The partner's address and key as they are now: the only ones it may go to.
    pub partner_address: String,
    pub partner_recipient: String,
    pub fields: Vec<String>,
    pub personal: bool,
    pub basis: String,
    pub delivery: Delivery,
    pub state: ReferralState,
    pub requested_by: String,
}

macro_rules! referral_columns {
    () => {
        "id, programme_id, enquiry_id, partner_key, partner_name, fields, personal, basis, \
         delivery, state, requested_by, requested_hour, decided_by, decided_hour, \
         disclosed_hour, outbox_id, partner_address, partner_recipient, stopped_reason"
    };
}

fn from_row(r: &AnyRow) -> Result<ReferralRecord, StoreError> {
    let fields: String = r.try_get("fields")?;
    Ok(ReferralRecord {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        enquiry_id: r.try_get("enquiry_id")?,
        partner_key: r.try_get("partner_key")?,
        partner_name: r.try_get("partner_name")?,
        fields: fields.split_whitespace().map(str::to_owned).collect(),
        personal: r.try_get::<i64, _>("personal")? != 0,
        basis: r.try_get("basis")?,
        delivery: super::stored::<Delivery>(r, "delivery")?,
        state: super::stored::<ReferralState>(r, "state")?,
        requested_by: r.try_get("requested_by")?,
        requested_hour: r.try_get("requested_hour")?,
        decided_by: r.try_get("decided_by")?,
        decided_hour: r.try_get("decided_hour")?,
        disclosed_hour: r.try_get("disclosed_hour")?,
        outbox_id: r.try_get("outbox_id")?,
        partner_address: r.try_get("partner_address")?,
        partner_recipient: r.try_get("partner_recipient")?,
        stopped_reason: r.try_get("stopped_reason")?,
    })
}

impl Store {
    /// Records a referral; an emailed one that needs no approval is queued with it.
    pub async fn create_referral(
        &self,
        r: &NewReferral,
        outbox: Option<&NewOutboxRow>,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let hour = hour_of(now());
        let mut tx = self.begin_write().await?;
        if let Some(row) = outbox {
            insert_outbox(&mut tx, row).await?;
        }
        let disclosed = (r.state == ReferralState::Queued).then_some(hour);
        sqlx::query(
            "INSERT INTO referrals (id, programme_id, enquiry_id, partner_key, partner_name, \
             fields, personal, basis, delivery, state, requested_by, requested_hour, \
             disclosed_hour, outbox_id, partner_address, partner_recipient) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(&r.id)
        .bind(&r.programme_id)
        .bind(&r.enquiry_id)
        .bind(&r.partner_key)
        .bind(&r.partner_name)
        .bind(r.fields.join(" "))
        .bind(i64::from(r.personal))
        .bind(&r.basis)
        .bind(r.delivery.as_str())
        .bind(r.state.as_str())
        .bind(&r.requested_by)
        .bind(hour)
        .bind(disclosed)
        .bind(outbox.map(|o| o.id.clone()))
        .bind(&r.partner_address)
        .bind(&r.partner_recipient)
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves a pending referral: to `queued` with its outbox row, or to `ready` for
    /// download. `false` (nothing written) if it was no longer pending or the approver
    /// is the requester.
    pub async fn approve_referral(
        &self,
        id: &str,
        approver: &str,
        outbox: Option<&NewOutboxRow>,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let hour = hour_of(now());
        let mut tx = self.begin_write().await?;
        let state = if outbox.is_some() { "queued" } else { "ready" };
        let done = sqlx::query(
            "UPDATE referrals SET state = $1, decided_by = $2, decided_hour = $3, \
             disclosed_hour = $4, outbox_id = $5 \
             WHERE id = $6 AND state = 'pending' AND requested_by <> $2 \
             AND delivery = $7",
        )
        .bind(state)
        .bind(approver)
        .bind(hour)
        .bind(outbox.map(|_| hour))
        .bind(outbox.map(|o| o.id.clone()))
        .bind(id)
        .bind(if outbox.is_some() {
            "email"
        } else {
            "download"
        })
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(row) = outbox {
            insert_outbox(&mut tx, row).await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Cancels a referral that has not left yet.
    pub async fn cancel_referral(
        &self,
        id: &str,
        by: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE referrals SET state = 'cancelled', decided_by = $1, decided_hour = $2 \
             WHERE id = $3 AND state IN ('pending', 'ready')",
        )
        .bind(by)
        .bind(hour_of(now()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Stops a referral that has not left (pending, ready, or queued and not yet sent)
    /// because its partner changed: it is cancelled with `reason`, nothing counts as
    /// disclosed, and its message (if any) is failed so no worker sends it. `false`
    /// (nothing written) if it was no longer in one of those states.
    pub async fn stop_referral(
        &self,
        id: &str,
        reason: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE referrals SET state = 'cancelled', stopped_reason = $1, \
             decided_hour = COALESCE(decided_hour, $2), disclosed_hour = NULL \
             WHERE id = $3 AND (state IN ('pending', 'ready') OR (state = 'queued' AND \
             outbox_id IN (SELECT id FROM outbox WHERE state IN ('queued', 'sending'))))",
        )
        .bind(reason)
        .bind(hour_of(now()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = $1, lease_until = NULL, \
             leased_by = NULL WHERE state IN ('queued', 'sending') \
             AND id = (SELECT outbox_id FROM referrals WHERE id = $2)",
        )
        .bind(format!("not sent: {reason}"))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The referral an outbox row carries, with its programme's current definition.
    pub async fn referral_by_outbox(
        &self,
        outbox_id: &str,
    ) -> Result<Option<(ReferralRecord, String)>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            referral_columns!(),
            ", (SELECT definition FROM programmes p WHERE p.id = referrals.programme_id) \
             AS definition FROM referrals WHERE outbox_id = $1"
        ))
        .bind(outbox_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((from_row(&r)?, r.try_get("definition")?)))
            .transpose()
    }

    /// How many referrals to a partner have not left yet (pending, ready, or queued
    /// and not yet sent): a change of its address or key would stop them.
    pub async fn referrals_in_flight(
        &self,
        programme_id: &str,
        partner_key: &str,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM referrals r WHERE r.programme_id = $1 AND r.partner_key = $2 \
             AND (r.state IN ('pending', 'ready') OR (r.state = 'queued' AND r.outbox_id IN \
             (SELECT id FROM outbox WHERE state IN ('queued', 'sending'))))",
        )
        .bind(programme_id)
        .bind(partner_key)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Marks a ready package downloaded by its requester; `true` only the first time.
    /// The caller builds the package only after this committed.
    pub async fn consume_download(
        &self,
        id: &str,
        by: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE referrals SET state = 'downloaded', disclosed_hour = $1 \
             WHERE id = $2 AND state = 'ready' AND delivery = 'download' AND requested_by = $3",
        )
        .bind(hour_of(now()))
        .bind(id)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn referral(&self, id: &str) -> Result<Option<ReferralRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            referral_columns!(),
            " FROM referrals WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn referrals_of_enquiry(
        &self,
        enquiry_id: &str,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            referral_columns!(),
            " FROM referrals WHERE enquiry_id = $1 ORDER BY requested_hour, id"
        ))
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn referrals_of_programme(
        &self,
        programme_id: &str,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            referral_columns!(),
            " FROM referrals WHERE programme_id = $1 ORDER BY requested_hour, id"
        ))
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The outbox state (`queued`, `sending`, `sent`, `failed`) of each emailed
    /// referral of a programme, by outbox row id.
    pub async fn referral_deliveries(
        &self,
        programme_id: &str,
    ) -> Result<std::collections::HashMap<String, OutboxState>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.state FROM outbox o JOIN referrals r ON r.outbox_id = o.id \
             WHERE r.programme_id = $1",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let state = super::stored::<OutboxState>(r, "state")?;
                Ok((r.try_get("id")?, state))
            })
            .collect()
    }
}
