//! Storage: one interface over SQLite (the embedded default) and PostgreSQL (the
//! scale-out backend), chosen by the database URL at start-up.
//!
//! Both backends run through sqlx's `Any` driver with the same SQL text (`$1`
//! placeholders, integers for booleans and times, blobs for ciphertexts); the few
//! places where the dialects differ are marked with `Backend` matches in this module
//! tree and nowhere else. Each backend has its own migrations folder.

#[macro_use]
mod enquiries;
mod casework;
mod imports;
mod keys;
mod outbox;
mod programmes;
mod referrals;
mod replies;
mod retention;
mod staff;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::config::DatabaseUrl;

pub use casework::{NewNote, NoteRecord, QueueStat, StatusFilter};
pub use enquiries::{EnquiryRecord, NewEnquiry};
pub use imports::{ImportOutcome, NewImport};
pub use keys::{KeyUsage, SealedTable, StaleRow};
pub use outbox::{
    ClaimedRow, NewOutboxRow, OutboxCounts, OutboxMark, OutboxStatus, Settlement, insert_outbox,
};
pub use programmes::{
    ApplyOutcome, Precondition, ProgrammeKeyRecord, ProgrammeRecord, SaveRefused,
};
pub use referrals::{NewReferral, ReferralRecord};
pub use replies::{CampaignRecord, NewCampaign, ReplyRecord};
pub use retention::PurgeCounts;
pub use staff::{Membership, NewUser, SessionRecord, UserRecord};
pub use writer::{SubmissionWriter, WriterError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("stored data is inconsistent: {0}")]
    Corrupt(&'static str),
    #[error("cannot lock {path} for migrating: {source}")]
    MigrationLock {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: a file beside the database that migrating processes lock.
    migration_lock: Option<std::path::PathBuf>,
}

/// Waits for an exclusive advisory lock on `path` (created if missing, mode 0600);
/// held until the returned file is dropped, or the process dies.
async fn lock_file(path: std::path::PathBuf) -> Result<std::fs::File, StoreError> {
    let at = path.clone();
    let locked = tokio::task::spawn_blocking(move || {
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&at)?;
        file.lock()?;
        Ok::<_, std::io::Error>(file)
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    locked.map_err(|source| StoreError::MigrationLock { path, source })
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
                        path: dir.to_owned(),
                        source,
                    })?;
                }
                let options =
                    AnyConnectOptions::from_str(&format!("sqlite://{}?mode=rwc", path.display()))?;
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL lets readers run beside the one writer; synchronous=FULL
                            // makes every commit durable (fsync) before a receipt is shown;
                            // secure_delete overwrites purged rows instead of leaving them
                            // in free pages.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?;
                let mut lock = path.as_os_str().to_owned();
                lock.push(".migrate-lock");
                Ok(Self {
                    pool,
                    backend: Backend::Sqlite,
                    migration_lock: Some(lock.into()),
                })
            }
            DatabaseUrl::Postgres(url) => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok(Self {
                    pool,
                    backend: Backend::Postgres,
                    migration_lock: None,
                })
            }
        }
    }

    /// Applies pending migrations. On PostgreSQL sqlx holds an advisory lock while it
    /// migrates, so several instances starting at once do not race. sqlx's SQLite
    /// driver takes no lock: two processes would both see a migration as pending and
    /// the second would fail applying it again (the public, console and worker roles
    /// start together on one machine), so they queue on an exclusive file lock here.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let _held = match &self.migration_lock {
                    Some(path) => Some(lock_file(path.clone()).await?),
                    None => None,
                };
                SQLITE_MIGRATIONS.run(&self.pool).await?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock at `BEGIN`
    /// (IMMEDIATE): a deferred transaction that reads first and writes later cannot
    /// wait for another writer and fails at once with "database is locked".
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// For `/readyz`: the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A time coarsened to the hour, for clear columns about enquiries.
pub fn hour_of(unix: i64) -> i64 {
    unix - unix.rem_euclid(3600)
}
