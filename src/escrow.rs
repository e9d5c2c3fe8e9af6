//! Recovery with a programme's escrow key: when the master key is lost, the escrow
//! identity (generated and kept off-line, see the key ceremony in
//! `ops/OPERATOR-GUIDE.md`) opens every ciphertext the programme sealed while it had
//! that escrow recipient. `haven escrow open` writes what it opened to a new file
//! (mode 0600) for the operator to move to a new Haven or hand over, and audits the
//! opening with counts only.

use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use age::x25519;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::crypto::{Sealed, open_with_escrow};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum EscrowError {
    #[error("cannot read the escrow identity {path}: {source}")]
    ReadIdentity {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} holds no age identity (an AGE-SECRET-KEY-1… line)")]
    NoIdentity(String),
    #[error("there is no programme {0:?}")]
    UnknownProgramme(String),
    #[error("cannot write {path}: {source} (it must not exist yet)")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The escrow identity from an `age-keygen` file (comments ignored).
pub fn load_identity(path: &Path) -> Result<x25519::Identity, EscrowError> {
    let text = SecretString::from(std::fs::read_to_string(path).map_err(|source| {
        EscrowError::ReadIdentity {
            path: path.display().to_string(),
            source,
        }
    })?);
    text.expose_secret()
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .and_then(|l| x25519::Identity::from_str(l).ok())
        .ok_or_else(|| EscrowError::NoIdentity(path.display().to_string()))
}

/// How an escrow opening went.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub enquiries: usize,
    pub notes: usize,
    pub replies: usize,
    /// Ciphertexts the identity could not open (sealed before the programme had this
    /// escrow recipient, or to another one).
    pub unreadable: usize,
}

fn open_json(identity: &x25519::Identity, sealed: &Sealed) -> Option<Value> {
    let plain = zeroize::Zeroizing::new(open_with_escrow(identity, sealed).ok()?);
    serde_json::from_slice(&plain).ok()
}

/// Opens every enquiry of `slug` with its notes and replies and writes them, one JSON
/// object per line, to `out`, which must not exist yet. Audited before anything is
/// written: an opening that cannot be recorded leaves nothing behind.
pub async fn open_programme(
    store: &Store,
    identity: &x25519::Identity,
    slug: &str,
    out: &Path,
    actor: &Actor,
) -> Result<Opened, EscrowError> {
    let programme = store
        .programme_by_slug(slug)
        .await?
        .ok_or_else(|| EscrowError::UnknownProgramme(slug.to_owned()))?;
    let write_error = |source| EscrowError::Write {
        path: out.display().to_string(),
        source,
    };
    let mut file = create_private(out).map_err(write_error)?;
    let mut counts = Opened::default();
    let mut lines = Vec::new();
    for e in store.enquiries_of_programme(&programme.id).await? {
        let Some(content) = open_json(identity, &e.sealed) else {
            counts.unreadable += 1;
            continue;
        };
        counts.enquiries += 1;
        let mut notes = Vec::new();
        for n in store.notes(&e.id).await? {
            match open_json(identity, &n.sealed) {
                Some(v) => {
                    counts.notes += 1;
                    notes.push(
                        json!({ "created_at": n.created_at, "author": n.author_email, "note": v }),
                    );
                }
                None => counts.unreadable += 1,
            }
        }
        let mut replies = Vec::new();
        for r in store.replies_of(&e.id).await? {
            match open_json(identity, &r.sealed) {
                Some(v) => {
                    counts.replies += 1;
                    replies.push(json!({ "created_at": r.created_at, "reply": v }));
                }
                None => counts.unreadable += 1,
            }
        }
        lines.push(zeroize::Zeroizing::new(
            json!({
                "id": e.id,
                "queue": e.queue,
                "status": e.status,
                "priority": e.priority,
                "created_hour": e.created_hour,
                "enquiry": content,
                "notes": notes,
                "replies": replies,
            })
            .to_string(),
        ));
    }
    let audited = store
        .record_audit(
            &Entry::new(actor, AuditAction::EscrowOpen, &format!("programme:{slug}"))
                .outcome(Outcome::Alert)
                .detail(json!({
                    "enquiries": counts.enquiries,
                    "notes": counts.notes,
                    "replies": counts.replies,
                    "unreadable": counts.unreadable,
                })),
        )
        .await;
    if let Err(e) = audited {
        drop(file);
        let _ = std::fs::remove_file(out);
        return Err(e.into());
    }
    for line in &lines {
        file.write_all(line.as_bytes()).map_err(write_error)?;
        file.write_all(b"\n").map_err(write_error)?;
    }
    file.sync_all().map_err(write_error)?;
    Ok(counts)
}

/// Creates `path`, never over an existing file, readable by its owner only.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
