//! What the second look at a campaign reads (issue 19, item 4): which of its
//! enquiries have a confirmed address, and how many campaigns wait for approval.

use std::collections::BTreeSet;

use sqlx::Row;

use super::{Store, StoreError};

impl Store {
    /// The enquiries of a campaign whose address the person confirmed
    /// (`enquiries.email_confirmed`).
    pub async fn confirmed_in_campaign(
        &self,
        campaign_id: &str,
    ) -> Result<BTreeSet<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id FROM enquiries e JOIN campaign_enquiries ce ON ce.enquiry_id = e.id \
             WHERE ce.campaign_id = $1 AND e.email_confirmed = 1",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    /// How many campaigns of the programme wait for a second supervisor.
    pub async fn pending_campaigns(&self, programme_id: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM campaigns WHERE programme_id = $1 AND state = 'pending'",
        )
        .bind(programme_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// The programme of an enquiry, and its current definition (the worker's rate
    /// limit of bulk replies).
    pub async fn programme_of_enquiry(
        &self,
        enquiry_id: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT p.id, p.definition FROM enquiries e JOIN programmes p ON p.id = e.programme_id \
             WHERE e.id = $1",
        )
        .bind(enquiry_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("id")?, r.try_get("definition")?)))
            .transpose()
    }

    /// Takes one send of the programme's `hour` if fewer than `max` were taken (one
    /// statement: concurrent workers on any instance never pass `max` together).
    /// Drops counts older than a day.
    pub async fn take_campaign_send(
        &self,
        programme_id: &str,
        hour: i64,
        max: u32,
    ) -> Result<bool, StoreError> {
        if max == 0 {
            return Ok(false);
        }
        let done = sqlx::query(
            "INSERT INTO campaign_send_budget (programme_id, hour, used) VALUES ($1, $2, 1) \
             ON CONFLICT (programme_id, hour) DO UPDATE SET used = campaign_send_budget.used + 1 \
             WHERE campaign_send_budget.used < $3",
        )
        .bind(programme_id)
        .bind(hour)
        .bind(i64::from(max))
        .execute(&self.pool)
        .await?;
        sqlx::query("DELETE FROM campaign_send_budget WHERE hour < $1")
            .bind(hour - 86_400)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A campaign's enquiries by language (clear column; nothing is opened).
    pub async fn campaign_languages(
        &self,
        campaign_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.language, COUNT(*) AS n FROM enquiries e \
             JOIN campaign_enquiries ce ON ce.enquiry_id = e.id \
             WHERE ce.campaign_id = $1 GROUP BY e.language ORDER BY e.language",
        )
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("language")?, r.try_get("n")?)))
            .collect()
    }
}
