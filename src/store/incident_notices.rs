//! Incident notifications (issue 20, item 4): a campaign tied to an incident, with the
//! two ticks that let never-confirmed addresses get one neutral notice. The campaign
//! and its link are written together; its dispatch writes every reply and email, marks
//! the outbox rows both approvers allowed to reach an unconfirmed address
//! (`unconfirmed_ok`), and records the approver's tick, in one transaction.

use sqlx::Row;

use super::replies::{NewCampaign, PreparedReply, write_prepared};
use super::{Store, StoreError, hour_of, now};
use crate::audit::Entry;

/// A notification campaign of an incident, and its ticks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentNotice {
    pub campaign_id: String,
    pub incident_id: String,
    pub unconfirmed_asked: bool,
    pub unconfirmed_approved: bool,
}

impl Store {
    /// Records a notification campaign (pending) for `incident_id` with its audit
    /// entries (the campaign's creation and the incident's), in one transaction.
    pub async fn create_incident_notice(
        &self,
        c: &NewCampaign,
        incident_id: &str,
        unconfirmed_asked: bool,
        entries: &[&Entry],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO campaigns (id, programme_id, template_key, filter_queue, filter_status, \
             filter_language, enquiry_count, state, created_by, created_at, template_text) \
             VALUES ($1, $2, $3, '', '', '', $4, 'pending', $5, $6, $7)",
        )
        .bind(&c.id)
        .bind(&c.programme_id)
        .bind(&c.template_key)
        .bind(c.enquiry_ids.len() as i64)
        .bind(&c.created_by)
        .bind(hour_of(now()))
        .bind(&c.template_text)
        .execute(&mut *tx)
        .await?;
        for id in &c.enquiry_ids {
            sqlx::query("INSERT INTO campaign_enquiries (campaign_id, enquiry_id) VALUES ($1, $2)")
                .bind(&c.id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO incident_notices (campaign_id, incident_id, unconfirmed_asked) \
             VALUES ($1, $2, $3)",
        )
        .bind(&c.id)
        .bind(incident_id)
        .bind(i64::from(unconfirmed_asked))
        .execute(&mut *tx)
        .await?;
        for e in entries {
            super::audit::append(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// An incident's notification campaigns, oldest first.
    pub async fn incident_notices(
        &self,
        incident_id: &str,
    ) -> Result<Vec<IncidentNotice>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.campaign_id, n.incident_id, n.unconfirmed_asked, n.unconfirmed_approved \
             FROM incident_notices n JOIN campaigns c ON c.id = n.campaign_id \
             WHERE n.incident_id = $1 ORDER BY c.created_at, n.campaign_id",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IncidentNotice {
                    campaign_id: r.try_get("campaign_id")?,
                    incident_id: r.try_get("incident_id")?,
                    unconfirmed_asked: r.try_get::<i64, _>("unconfirmed_asked")? != 0,
                    unconfirmed_approved: r.try_get::<i64, _>("unconfirmed_approved")? != 0,
                })
            })
            .collect()
    }

    /// The notification a campaign is, if it is one.
    pub async fn incident_notice(
        &self,
        campaign_id: &str,
    ) -> Result<Option<IncidentNotice>, StoreError> {
        let row = sqlx::query(
            "SELECT campaign_id, incident_id, unconfirmed_asked, unconfirmed_approved \
             FROM incident_notices WHERE campaign_id = $1",
        )
        .bind(campaign_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(IncidentNotice {
                campaign_id: r.try_get("campaign_id")?,
                incident_id: r.try_get("incident_id")?,
                unconfirmed_asked: r.try_get::<i64, _>("unconfirmed_asked")? != 0,
                unconfirmed_approved: r.try_get::<i64, _>("unconfirmed_approved")? != 0,
            })
        })
        .transpose()
    }

    /// Of an incident's affected enquiries, those still stored (a purged one cannot be
    /// written to), with whether the person confirmed their address.
    pub async fn incident_reachable(
        &self,
        incident_id: &str,
    ) -> Result<Vec<(String, bool)>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id AS id, e.email_confirmed AS confirmed FROM incident_enquiries i \
             JOIN enquiries e ON e.id = i.enquiry_id WHERE i.incident_id = $1 ORDER BY e.id",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get::<i64, _>("confirmed")? != 0)))
            .collect()
    }

    /// The enquiries of a notification whose outbox row may reach an unconfirmed
    /// address (both approvers ticked it).
    pub async fn unconfirmed_ok_of(&self, campaign_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT enquiry_id FROM outbox WHERE campaign_id = $1 AND unconfirmed_ok = 1 \
             ORDER BY enquiry_id",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("enquiry_id")?)).collect()
    }

    /// Dispatches a pending notification: as `dispatch_campaign`, and in the same
    /// transaction marks the outbox rows of `unconfirmed_ok` (enquiry ids) and records
    /// the approver's tick. `false`: no longer pending, or the approver created it.
    pub async fn dispatch_incident_notice(
        &self,
        campaign_id: &str,
        approver: &str,
        prepared: &[PreparedReply],
        unconfirmed_ok: &[String],
        approved_tick: bool,
        entries: &[&Entry],
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE campaigns SET state = 'dispatched', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND state = 'pending' AND created_by <> $1",
        )
        .bind(approver)
        .bind(hour_of(now()))
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        for p in prepared {
            write_prepared(&mut tx, p).await?;
        }
        for id in unconfirmed_ok {
            sqlx::query(
                "UPDATE outbox SET unconfirmed_ok = 1 WHERE campaign_id = $1 AND enquiry_id = $2",
            )
            .bind(campaign_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE incident_notices SET unconfirmed_approved = $1 WHERE campaign_id = $2")
            .bind(i64::from(approved_tick))
            .bind(campaign_id)
            .execute(&mut *tx)
            .await?;
        for e in entries {
            super::audit::append(&mut tx, e).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The enquiries of a programme that a leaked key opens (issue 20, item 2): with
    /// `key_id`, every enquiry whose ciphertext, a note, a reply or an email of it is
    /// sealed under that programme key; with `None` (the master key, which unwraps
    /// every programme key), every enquiry of the programme. `at` is its hour of
    /// arrival.
    pub async fn sealed_under(
        &self,
        programme_id: &str,
        key_id: Option<&str>,
    ) -> Result<Vec<super::FoundEnquiry>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id AS id, e.language AS language, e.created_hour AS at FROM enquiries e \
             WHERE e.programme_id = $1 AND ($2 = '' OR e.key_id = $2 \
             OR EXISTS (SELECT 1 FROM notes n WHERE n.enquiry_id = e.id AND n.key_id = $2) \
             OR EXISTS (SELECT 1 FROM replies r WHERE r.enquiry_id = e.id AND r.key_id = $2) \
             OR EXISTS (SELECT 1 FROM outbox o WHERE o.enquiry_id = e.id AND o.key_id = $2)) \
             ORDER BY e.id",
        )
        .bind(programme_id)
        .bind(key_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(super::FoundEnquiry {
                    enquiry_id: r.try_get("id")?,
                    language: r.try_get("language")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
