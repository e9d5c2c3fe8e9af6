//! Replies and campaigns. A reply, its email (one outbox row) and its audit entry
//! commit together; a campaign's dispatch writes every reply and every email of the
//! campaign in one transaction, conditional on the campaign still being pending, so a
//! double click or two approvers at once dispatch it once.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::outbox::{NewOutboxRow, insert_outbox};
use super::{CampaignState, Store, StoreError, hour_of, now};
use crate::audit::Entry;
use crate::crypto::Sealed;

/// A reply ready to be written.
#[derive(Debug, Clone)]
pub struct NewReply {
    pub id: String,
    pub enquiry_id: String,
    pub author_id: String,
    pub campaign_id: Option<String>,
    pub template_key: Option<String>,
    pub sealed: Sealed,
    pub created_at: i64,
}

/// One enquiry's reply and, if they gave an address, its one email.
#[derive(Debug, Clone)]
pub struct PreparedReply {
    pub reply: NewReply,
    pub outbox: Option<NewOutboxRow>,
    /// What the email was made from, written on its outbox row (issue 20).
    pub stamp: Option<super::OutboxStamp>,
}

#[derive(Debug, Clone)]
pub struct ReplyRecord {
    pub id: String,
    pub enquiry_id: String,
    pub author_id: String,
    pub campaign_id: Option<String>,
    pub template_key: Option<String>,
    pub sealed: Sealed,
    pub emailed: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub id: String,
    pub programme_id: String,
    pub template_key: String,
    pub filter_queue: String,
    pub filter_status: String,
    pub filter_language: String,
    pub created_by: String,
    pub enquiry_ids: Vec<String>,
    /// What it will send, fixed now (`campaigns::PinnedText` as JSON).
    pub template_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRecord {
    pub id: String,
    pub programme_id: String,
    pub template_key: String,
    pub filter_queue: String,
    pub filter_status: String,
    pub filter_language: String,
    pub enquiry_count: i64,
    pub state: CampaignState,
    pub created_by: String,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    /// What it sends, fixed when it was prepared; `None` for campaigns from before
    /// Haven stored it (they cannot be approved).
    pub template_text: Option<String>,
}

fn reply_from_row(r: &AnyRow) -> Result<ReplyRecord, StoreError> {
    Ok(ReplyRecord {
        id: r.try_get("id")?,
        enquiry_id: r.try_get("enquiry_id")?,
        author_id: r.try_get("author_id")?,
        campaign_id: r.try_get("campaign_id")?,
        template_key: r.try_get("template_key")?,
        sealed: Sealed {
            key_id: r.try_get("key_id")?,
            format_version: r.try_get("format_version")?,
            ciphertext: r.try_get("ciphertext")?,
        },
        emailed: r.try_get::<i64, _>("emailed")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn campaign_from_row(r: &AnyRow) -> Result<CampaignRecord, StoreError> {
    Ok(CampaignRecord {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        template_key: r.try_get("template_key")?,
        filter_queue: r.try_get("filter_queue")?,
        filter_status: r.try_get("filter_status")?,
        filter_language: r.try_get("filter_language")?,
        enquiry_count: r.try_get("enquiry_count")?,
        state: super::stored::<CampaignState>(r, "state")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        template_text: r.try_get("template_text")?,
    })
}

macro_rules! campaign_columns {
    () => {
        "id, programme_id, template_key, filter_queue, filter_status, filter_language, \
         enquiry_count, state, created_by, created_at, decided_by, decided_at, template_text"
    };
}

async fn insert_reply(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    reply: &NewReply,
    emailed: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO replies (id, enquiry_id, author_id, campaign_id, template_key, key_id, \
         format_version, ciphertext, emailed, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&reply.id)
    .bind(&reply.enquiry_id)
    .bind(&reply.author_id)
    .bind(&reply.campaign_id)
    .bind(&reply.template_key)
    .bind(&reply.sealed.key_id)
    .bind(reply.sealed.format_version)
    .bind(&reply.sealed.ciphertext)
    .bind(i64::from(emailed))
    // The hour only: the exact time is inside the ciphertext (`ReplyContent::sent_at`).
    .bind(super::hour_of(reply.created_at))
    .execute(&mut **tx)
    .await?;
    // Answered: the enquiry now waits for the person (unless it was closed).
    sqlx::query(
        "UPDATE enquiries SET status = 'awaiting_reply', updated_hour = $1 \
         WHERE id = $2 AND status IN ('new', 'in_progress')",
    )
    .bind(hour_of(now()))
    .bind(&reply.enquiry_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn write_prepared(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    prepared: &PreparedReply,
) -> Result<(), StoreError> {
    insert_reply(tx, &prepared.reply, prepared.outbox.is_some()).await?;
    if let Some(row) = &prepared.outbox {
        insert_outbox(tx, row).await?;
        if let Some(stamp) = &prepared.stamp {
            super::incidents::stamp_outbox(tx, &row.id, stamp).await?;
        }
    }
    Ok(())
}

impl Store {
    /// Writes one reply (and its email, if any) with its audit entry.
    pub async fn add_reply(
        &self,
        prepared: &PreparedReply,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        write_prepared(&mut tx, prepared).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn replies_of(&self, enquiry_id: &str) -> Result<Vec<ReplyRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, enquiry_id, author_id, campaign_id, template_key, key_id, format_version, \
             ciphertext, emailed, created_at FROM replies WHERE enquiry_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(enquiry_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(reply_from_row).collect()
    }

    /// Records a campaign awaiting approval, with the enquiries it will go to.
    pub async fn create_campaign(
        &self,
        c: &NewCampaign,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO campaigns (id, programme_id, template_key, filter_queue, filter_status, \
             filter_language, enquiry_count, state, created_by, created_at, template_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10)",
        )
        .bind(&c.id)
        .bind(&c.programme_id)
        .bind(&c.template_key)
        .bind(&c.filter_queue)
        .bind(&c.filter_status)
        .bind(&c.filter_language)
        .bind(c.enquiry_ids.len() as i64)
        .bind(&c.created_by)
        .bind(super::hour_of(now()))
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
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The enquiries a campaign would address now; `''` in a filter means any, except
    /// that closed enquiries are in only when the status chosen is `closed`.
    pub async fn campaign_selection(
        &self,
        programme_id: &str,
        queue: &str,
        status: &str,
        language: &str,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT id FROM enquiries WHERE programme_id = $1 AND ($2 = '' OR queue = $2) \
             AND (status = $3 OR ($3 = '' AND status <> 'closed')) \
             AND ($4 = '' OR language = $4) \
             ORDER BY priority, created_hour, id",
        )
        .bind(programme_id)
        .bind(queue)
        .bind(status)
        .bind(language)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// A campaign's messages that failed for good (for its delivery log).
    pub async fn failed_of_campaign(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT enquiry_id, last_error FROM outbox WHERE campaign_id = $1 AND state = 'failed' \
             ORDER BY created_at, id LIMIT 500",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("enquiry_id")?, r.try_get("last_error")?)))
            .collect()
    }

    pub async fn campaign(&self, id: &str) -> Result<Option<CampaignRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            campaign_columns!(),
            " FROM campaigns WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(campaign_from_row).transpose()
    }

    pub async fn campaigns_of(
        &self,
        programme_id: &str,
    ) -> Result<Vec<CampaignRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            campaign_columns!(),
            " FROM campaigns WHERE programme_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(campaign_from_row).collect()
    }

    pub async fn campaign_enquiry_ids(&self, campaign_id: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT enquiry_id FROM campaign_enquiries WHERE campaign_id = $1 ORDER BY enquiry_id",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("enquiry_id")?)).collect()
    }

    /// Approves and expands a pending campaign: every reply and email in one
    /// transaction. `false` if it was no longer pending (already dispatched or
    /// cancelled), in which case nothing is written. The database also refuses an
    /// approver who created it.
    pub async fn dispatch_campaign(
        &self,
        campaign_id: &str,
        approver: &str,
        prepared: &[PreparedReply],
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE campaigns SET state = 'dispatched', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND state = 'pending' AND created_by <> $1",
        )
        .bind(approver)
        .bind(super::hour_of(now()))
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        for p in prepared {
            write_prepared(&mut tx, p).await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn cancel_campaign(
        &self,
        campaign_id: &str,
        by: &str,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE campaigns SET state = 'cancelled', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND state = 'pending'",
        )
        .bind(by)
        .bind(super::hour_of(now()))
        .bind(campaign_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }
}
