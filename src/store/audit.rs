//! The audit log's SQL: appending an entry inside the transaction of the change it
//! records, reading entries for the viewer, and walking the chain for
//! `haven audit verify` (the rules of the chain are `audit`'s).

use sqlx::Row;

use super::{Store, StoreError, now};
use crate::audit::{ChainCheck, Entry, Filter, Record, Verdict, link_hash};

fn record_from_row(row: &sqlx::any::AnyRow) -> Result<Record, StoreError> {
    Ok(Record {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        outcome: row.try_get("outcome")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Appends `entry` inside the caller's transaction, so the entry exists exactly when
/// the action it records was committed.
pub(crate) async fn append(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entry: &Entry,
) -> Result<i64, StoreError> {
    // Taking the head row first serialises concurrent appenders on both backends.
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: Vec<u8> = head.try_get("hash")?;
    let at = now();
    let detail = entry.detail.to_string();
    let actor = entry.actor.to_string();
    let hash = link_hash(
        &prev,
        seq,
        at,
        [
            &actor,
            entry.action.as_str(),
            &entry.subject,
            entry.outcome.as_str(),
            &detail,
        ],
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, outcome, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at)
    .bind(&actor)
    .bind(entry.action.as_str())
    .bind(&entry.subject)
    .bind(entry.outcome.as_str())
    .bind(&detail)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

impl Store {
    /// Records `entry` in a transaction of its own (an event that changes nothing
    /// else: a read, a refusal, a sign-out); returns its sequence number.
    pub async fn record_audit(&self, entry: &Entry) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let seq = append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// Entries matching `f`, newest first, at most `limit`.
    pub async fn search_audit(&self, f: &Filter, limit: i64) -> Result<Vec<Record>, StoreError> {
        let family = f.action.ends_with('.');
        // One statement: each empty filter turns its own condition off.
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, outcome, detail, prev_hash, hash FROM audit_log \
             WHERE ($1 = '' OR actor = $1) \
             AND ($2 = '' OR ($3 = 0 AND action = $2) OR ($3 = 1 AND substr(action, 1, length($2)) = $2)) \
             AND ($4 = '' OR subject = $4) AND ($5 = '' OR outcome = $5) \
             AND at >= $6 AND at < $7 AND seq < $8 \
             ORDER BY seq DESC LIMIT $9",
        )
        .bind(&f.actor)
        .bind(&f.action)
        .bind(i64::from(family))
        .bind(&f.subject)
        .bind(&f.outcome)
        .bind(f.from.unwrap_or(0))
        .bind(f.until.unwrap_or(i64::MAX))
        .bind(f.before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record_from_row).collect()
    }

    /// Walks the whole chain in order, in pages, and reports the first broken link.
    pub async fn verify_audit(&self) -> Result<Verdict, StoreError> {
        let mut chain = ChainCheck::default();
        loop {
            let rows = sqlx::query(
                "SELECT seq, at, actor, action, subject, outcome, detail, prev_hash, hash \
                 FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000",
            )
            .bind(chain.next_seq())
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                if let Err(broken) = chain.check(&record_from_row(row)?) {
                    return Ok(broken);
                }
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: Vec<u8> = head.try_get("hash")?;
        Ok(chain.finish(head_seq, &head_hash))
    }
}
