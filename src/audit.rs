//! The tamper-evident audit log: what an entry says (typed actions, actors, outcomes),
//! how entries link into a chain, and what makes the chain intact. Every entry's hash
//! covers its own fields and the previous entry's hash, so changing, removing or
//! reordering any entry breaks every link after it; `haven audit verify` walks the
//! chain and names the first break. The SQL lives in `store::audit`
//! (`Store::record_audit`, `search_audit`, `verify_audit`, and the append that store
//! methods make inside the transaction of the change they record).
//!
//! Entries carry metadata only (who, what, which record, outcome, counts): never what
//! a person wrote or how to reach them.

mod action;
mod actor;

pub use action::{AuditAction, UnknownAction};
pub use actor::{Actor, Outcome, SystemTask, UnknownActor};

use serde::Serialize;
use sha2::{Digest, Sha256};

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

/// An entry as stored. Its fields stay strings: the log also holds entries written
/// by older versions, and verifying hashes exactly what was stored.
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every link holds; `entries` were checked, ending at `head`.
    Intact { entries: i64, head: String },
    /// The first entry whose link does not hold, and why.
    Broken { seq: i64, reason: &'static str },
}

/// Checks a chain read in order of `seq`, in pages: feed it every record from
/// [`ChainCheck::next_seq`] on, then the head row.
#[derive(Debug, Clone)]
pub struct ChainCheck {
    prev: Vec<u8>,
    expected_seq: i64,
}

impl Default for ChainCheck {
    fn default() -> Self {
        Self {
            prev: vec![0u8; 32],
            expected_seq: 1,
        }
    }
}

impl ChainCheck {
    /// The sequence number the next record must have.
    pub fn next_seq(&self) -> i64 {
        self.expected_seq
    }

    /// The next record: `Err` holds the verdict naming the first broken link.
    pub fn check(&mut self, r: &Record) -> Result<(), Verdict> {
        if r.seq != self.expected_seq {
            return Err(Verdict::Broken {
                seq: self.expected_seq,
                reason: "entry missing",
            });
        }
        if r.prev_hash != self.prev {
            return Err(Verdict::Broken {
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
            return Err(Verdict::Broken {
                seq: r.seq,
                reason: "contents changed after it was written",
            });
        }
        self.prev = r.hash.clone();
        self.expected_seq += 1;
        Ok(())
    }

    /// After the last record: the head must point at it, so removing entries from
    /// the end shows here.
    pub fn finish(self, head_seq: i64, head_hash: &[u8]) -> Verdict {
        if head_seq != self.expected_seq - 1 || head_hash != self.prev {
            return Verdict::Broken {
                seq: self.expected_seq,
                reason: "entries after this point were removed",
            };
        }
        Verdict::Intact {
            entries: self.expected_seq - 1,
            head: hex::encode(self.prev),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Record> {
        let mut prev = vec![0u8; 32];
        (1..=n)
            .map(|seq| {
                let hash = link_hash(&prev, seq, 100 + seq, ["cli", "x.y", "s", "ok", "{}"]);
                Record {
                    seq,
                    at: 100 + seq,
                    actor: "cli".into(),
                    action: "x.y".into(),
                    subject: "s".into(),
                    outcome: "ok".into(),
                    detail: "{}".into(),
                    prev_hash: std::mem::replace(&mut prev, hash.clone()),
                    hash,
                }
            })
            .collect()
    }

    fn walk(records: &[Record], head_seq: i64, head_hash: &[u8]) -> Verdict {
        let mut check = ChainCheck::default();
        for r in records {
            if let Err(broken) = check.check(r) {
                return broken;
            }
        }
        check.finish(head_seq, head_hash)
    }

    #[test]
    fn an_intact_chain_and_each_kind_of_break_are_told_apart() {
        let c = chain(4);
        let head = c[3].hash.clone();
        assert!(matches!(
            walk(&c, 4, &head),
            Verdict::Intact { entries: 4, .. }
        ));
        assert!(matches!(
            walk(&[], 0, &[0u8; 32]),
            Verdict::Intact { entries: 0, .. }
        ));

        let mut missing = c.clone();
        missing.remove(1);
        assert_eq!(
            walk(&missing, 4, &head),
            Verdict::Broken {
                seq: 2,
                reason: "entry missing"
            }
        );
        let mut changed = c.clone();
        changed[2].actor = "user:someone-else".into();
        assert_eq!(
            walk(&changed, 4, &head),
            Verdict::Broken {
                seq: 3,
                reason: "contents changed after it was written"
            }
        );
        assert_eq!(
            walk(&c[..3], 4, &head),
            Verdict::Broken {
                seq: 4,
                reason: "entries after this point were removed"
            }
        );
    }

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
