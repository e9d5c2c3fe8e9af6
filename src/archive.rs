//! Archiving a programme for good: its form answers "not found" and imports are
//! refused (a new programme version with the status `archived`), and, when asked,
//! every key of the programme is destroyed (crypto-shredding), after which nothing
//! it ever sealed can be opened. Both are confirmed by typing the programme's slug,
//! and audited. Shared by `haven programme archive` and the admin page.

use crate::audit::{AuditAction, Entry, Outcome};
use crate::crypto::CryptoError;
use crate::domain::ProgrammeSlug;
use crate::programme::editing::{self, Author, Expect, SaveError};
use crate::programme::{Programme, ProgrammeStatus};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("the confirmation must repeat the programme's slug exactly")]
    NotConfirmed,
    #[error("there is no programme {0:?}")]
    UnknownProgramme(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The archived version could not be saved (someone saved another meanwhile).
    #[error(transparent)]
    Save(SaveError),
}

/// The typed confirmation, parsed: only the exact slug confirms.
#[derive(Debug)]
pub struct Confirmed(());

impl Confirmed {
    pub fn parse(slug: &str, typed: &str) -> Result<Self, ArchiveError> {
        if typed.trim() == slug && !slug.is_empty() {
            Ok(Self(()))
        } else {
            Err(ArchiveError::NotConfirmed)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Archived {
    /// False when it was archived already (nothing changed but, perhaps, the keys).
    pub newly: bool,
    /// Keys destroyed now (0 without shredding).
    pub keys_destroyed: u64,
}

/// Archives `slug`, and destroys all its keys when `shred`. `signer` signs the
/// archived state (a programme save takes a fresh key pair it does not use). The
/// archived status is saved through [`editing::save`] like every other change.
/// Shredding also deletes the file outbox's clear copies under `data_dir` of what can
/// no longer be opened (a worker on another host sweeps its own within the hour).
pub async fn archive(
    store: &Store,
    signer: &crate::crypto::ProgrammeSigner,
    slug: &str,
    _confirmed: Confirmed,
    shred: bool,
    data_dir: &std::path::Path,
    author: Author<'_>,
) -> Result<Archived, ArchiveError> {
    let actor = &author.actor();
    let record = store
        .programme_by_slug(slug)
        .await?
        .ok_or_else(|| ArchiveError::UnknownProgramme(slug.to_owned()))?;
    let programme = Programme::parse(&record.definition)
        .map_err(|_| StoreError::Corrupt("a stored programme definition does not parse"))?;
    let newly = programme.status() != ProgrammeStatus::Archived;
    if newly {
        // The archived status is a new version like any edit (`programme.update`).
        let slug_parsed = ProgrammeSlug::parse(slug)
            .map_err(|_| StoreError::Corrupt("a stored programme slug is invalid"))?;
        editing::save(
            store,
            signer,
            &programme.archived().to_toml(),
            Expect::Edit {
                slug: &slug_parsed,
                version: record.version,
                status_change: true,
            },
            author,
            editing::change("status"),
        )
        .await
        .map_err(|e| match e {
            SaveError::Store(e) => ArchiveError::Store(e),
            SaveError::Crypto(e) => ArchiveError::Crypto(e),
            other => ArchiveError::Save(other),
        })?;
    }
    let keys_destroyed = if shred {
        store
            .destroy_all_keys(
                &record.id,
                &Entry::new(
                    actor,
                    AuditAction::ProgrammeShred,
                    &format!("programme:{slug}"),
                )
                .outcome(Outcome::Alert),
            )
            .await?
    } else {
        0
    };
    if shred {
        crate::outbound::sweep_file_outbox(data_dir, store).await?;
    }
    Ok(Archived {
        newly,
        keys_destroyed,
    })
}
