//! The tamper-evident audit log. Every entry's hash covers its own fields and the
//! previous entry's hash, so changing, removing or reordering any entry breaks every
//! link after it; `haven audit verify` walks the chain and names the first break.
//!
//! Entries carry metadata only (who, what, which record, outcome, counts): never what
//! a person wrote or how to reach them.

mod action;
mod actor;

pub use action::{AuditAction, UnknownAction};
pub use actor::{Actor, Outcome, SystemTask, UnknownActor};

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::store::{Store, StoreError, now};

/// One event to record: who did what to which record, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub actor: Actor,
    pub action: AuditAction,
    /// The record acted on, e.g. `enquiry:3f2a…` or `programme:afghanistan-2021`.
    pub subject: String,
    pub outcome: Outcome,
    /// Further metadata as JSON (counts, versions, field names): no personal data.
    pub detail: serde_json::Value,
}

impl Entry {
    pub fn new(actor: &Actor, action: AuditAction, subject: &str) -> Self {
        Self {
            actor: actor.clone(),
            action,
            subject: subject.to_owned(),
            outcome: Outcome::Ok,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn detail(mut self, detail: impl Serialize) -> Self {
        self.detail = serde_json::to_value(detail).unwrap_or_default();
        self
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

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

/// The hash that links an entry into the chain. Each field is length-prefixed so no
/// two different entries encode alike.
pub fn link_hash(prev: &[u8], seq: i64, at: i64, fields: [&str; 5]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"haven-audit-v1");
    h.update(prev);
    h.update(seq.to_be_bytes());
    h.update(at.to_be_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    h.finalize().to_vec()
}

/// Appends `entry` inside the caller's transaction, so the entry exists exactly when
/// the action it records was committed.
pub async fn append(
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

/// Appends `entry` in a transaction of its own.
pub async fn record(store: &Store, entry: &Entry) -> Result<i64, StoreError> {
    let mut tx = store.begin_write().await?;
    let seq = append(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(seq)
}

/// What the audit viewer asks for. Empty strings and `None` mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: String,
    /// An exact action, or a family ending in `.` (e.g. `enquiry.`).
    pub action: String,
    pub subject: String,
    pub outcome: String,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Entries before this sequence number (the next page).
    pub before: Option<i64>,
}

/// Newest first, at most `limit` entries.
pub async fn search(store: &Store, f: &Filter, limit: i64) -> Result<Vec<Record>, StoreError> {
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
    .fetch_all(store.pool())
    .await?;
    rows.iter().map(record_from_row).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds; `entries` were checked, ending at `head`.
    Intact { entries: i64, head: String },
    /// The first entry whose link does not hold, and why.
    Broken { seq: i64, reason: &'static str },
}

/// Walks the whole chain in order, in pages, and reports the first broken link.
pub async fn verify(store: &Store) -> Result<Verdict, StoreError> {
    let mut prev = vec![0u8; 32];
    let mut expected_seq = 1i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, outcome, detail, prev_hash, hash \
             FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 1000",
        )
        .bind(expected_seq)
        .fetch_all(store.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let r = record_from_row(row)?;
            if r.seq != expected_seq {
                return Ok(Verdict::Broken {
                    seq: expected_seq,
                    reason: "entry missing",
                });
            }
            if r.prev_hash != prev {
                return Ok(Verdict::Broken {
                    seq: r.seq,
                    reason: "does not follow the previous entry",
                });
            }
            let computed = link_hash(
                &r.prev_hash,
                r.seq,
                r.at,
                [&r.actor, &r.action, &r.subject, &r.outcome, &r.detail],
            );
            if computed != r.hash {
                return Ok(Verdict::Broken {
                    seq: r.seq,
                    reason: "contents changed after it was written",
                });
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    // The head must point at the last entry: removing entries from the end shows here.
    let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_one(store.pool())
        .await?;
    let head_seq: i64 = head.try_get("seq")?;
    let head_hash: Vec<u8> = head.try_get("hash")?;
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Ok(Verdict::Broken {
            seq: expected_seq,
            reason: "entries after this point were removed",
        });
    }
    Ok(Verdict::Intact {
        entries: expected_seq - 1,
        head: hex::encode(prev),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_hash_depends_on_every_field_and_the_previous_hash() {
        let fields = ["a", "b", "c", "ok", "{}"];
        let base = link_hash(&[0; 32], 1, 100, fields);
        let variants: [(&[u8], i64, i64, [&str; 5]); 5] = [
            (&[1; 32], 1, 100, fields),
            (&[0; 32], 2, 100, fields),
            (&[0; 32], 1, 101, fields),
            (&[0; 32], 1, 100, ["ab", "", "c", "ok", "{}"]),
            (&[0; 32], 1, 100, ["a", "b", "c", "ok", "{ }"]),
        ];
        for (prev, seq, at, fields) in variants {
            assert_ne!(
                base,
                link_hash(prev, seq, at, fields),
                "{seq} {at} {fields:?}"
            );
        }
    }
}
