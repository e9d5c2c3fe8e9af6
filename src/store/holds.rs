//! Stops for outbound mail (`outbound_holds`): the instance-wide emergency stop, a
//! dispatched campaign paused or stopped, a queued message withdrawn. A claim takes no
//! row a stop holds (`outbox::not_held`), and the worker asks [`Store::outbound_hold`]
//! again just before each SMTP transaction. Each change is written with its audit
//! entry in one transaction.

use sqlx::Row;

use super::{Store, StoreError};
use crate::audit::Entry;

/// What a stop applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldScope {
    /// Every outbound message.
    Instance,
    Campaign(String),
    /// One outbox row.
    Message(String),
}

impl HoldScope {
    pub fn key(&self) -> String {
        match self {
            HoldScope::Instance => "instance".into(),
            HoldScope::Campaign(id) => format!("campaign:{id}"),
            HoldScope::Message(id) => format!("outbox:{id}"),
        }
    }
}

/// A stop in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub scope: String,
    /// `paused` (until resumed) or `cancelled` (for good).
    pub state: String,
    pub reason: String,
    pub held_by: String,
    pub held_at: i64,
}

impl Hold {
    pub fn is_cancelled(&self) -> bool {
        self.state == "cancelled"
    }
}

fn hold_from_row(r: &sqlx::any::AnyRow) -> Result<Hold, StoreError> {
    Ok(Hold {
        scope: r.try_get("scope")?,
        state: r.try_get("state")?,
        reason: r.try_get("reason")?,
        held_by: r.try_get("held_by")?,
        held_at: r.try_get("held_at")?,
    })
}

impl Store {
    /// The stop on `scope`, if one is in force.
    pub async fn hold(&self, scope: &HoldScope) -> Result<Option<Hold>, StoreError> {
        let row = sqlx::query(
            "SELECT scope, state, reason, held_by, held_at FROM outbound_holds WHERE scope = $1",
        )
        .bind(scope.key())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(hold_from_row).transpose()
    }

    /// The stop that holds this outbox row now, if any: a cancelled one first (the
    /// row will never go), then the instance's, the campaign's or the row's own.
    pub async fn outbound_hold(
        &self,
        outbox_id: &str,
        campaign_id: Option<&str>,
    ) -> Result<Option<Hold>, StoreError> {
        let rows = sqlx::query(
            "SELECT scope, state, reason, held_by, held_at FROM outbound_holds \
             WHERE scope IN ('instance', $1, $2) ORDER BY state",
        )
        .bind(format!("outbox:{outbox_id}"))
        .bind(campaign_id.map_or_else(String::new, |c| format!("campaign:{c}")))
        .fetch_all(&self.pool)
        .await?;
        rows.first().map(hold_from_row).transpose()
    }

    /// Puts a stop on `scope`, or turns a pause into a cancellation, with its audit
    /// entry. Returns false when that stop (or a cancellation) was already in force: a
    /// cancellation is for good.
    pub async fn put_hold(
        &self,
        scope: &HoldScope,
        state: &str,
        reason: &str,
        held_by: &str,
        at: i64,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO outbound_holds (scope, state, reason, held_by, held_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (scope) DO UPDATE SET state = excluded.state, reason = excluded.reason, \
             held_by = excluded.held_by, held_at = excluded.held_at \
             WHERE outbound_holds.state = 'paused' AND excluded.state = 'cancelled'",
        )
        .bind(scope.key())
        .bind(state)
        .bind(reason)
        .bind(held_by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if state == "cancelled" {
            // What was still waiting will never go: settled now, so the campaign's
            // page and the delivery tables say so.
            let error = match scope {
                HoldScope::Message(_) => "withdrawn",
                _ => "stopped",
            };
            let sql = match scope {
                HoldScope::Instance => None,
                HoldScope::Campaign(_) => Some(
                    "UPDATE outbox SET state = 'failed', last_error = $1, lease_until = NULL, \
                     leased_by = NULL WHERE campaign_id = $2 AND state = 'queued'",
                ),
                HoldScope::Message(_) => Some(
                    "UPDATE outbox SET state = 'failed', last_error = $1, lease_until = NULL, \
                     leased_by = NULL WHERE id = $2 AND state = 'queued'",
                ),
            };
            let id = match scope {
                HoldScope::Instance => String::new(),
                HoldScope::Campaign(id) | HoldScope::Message(id) => id.clone(),
            };
            if let Some(sql) = sql {
                sqlx::query(sql)
                    .bind(error)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Lifts a paused stop on `scope`, with its audit entry. A cancelled one stays:
    /// returns false then, or when nothing was paused.
    pub async fn lift_hold(
        &self,
        scope: &HoldScope,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM outbound_holds WHERE scope = $1 AND state = 'paused'")
            .bind(scope.key())
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
