//! Storage: one interface over SQLite (the embedded default) and PostgreSQL (the
//! scale-out backend), chosen by the database URL at start-up.
//!
//! Both backends run through sqlx's `Any` driver with the same SQL text (`$1`
//! placeholders, integers for booleans and times, blobs for ciphertexts); the few
//! places where the dialects differ are marked with `Backend` matches in this module
//! tree and nowhere else. Each backend has its own migrations folder.

#[macro_use]
mod enquiries;
pub mod access;
mod audit;
mod callers;
mod casework;
mod collisions;
mod contact;
mod conversation;
mod form_tokens;
mod holds;
mod imports;
mod inbox;
mod incident_notices;
mod incidents;
mod keys;
mod launch;
mod lockout;
mod notices;
mod outbox;
mod own;
mod placement;
mod programmes;
mod queues;
mod referrals;
mod replies;
mod retention;
mod review;
mod staff;
#[doc(hidden)]
pub mod test_support;
mod writer;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

use crate::config::DatabaseUrl;

pub use crate::states::{CampaignState, Delivery, OutboxState, ReferralState};
pub use callers::{CallerAnswer, CallerCheck};
pub use casework::{NewNote, NoteRecord, QueueStat, StatusFilter};
pub use collisions::{DraftLock, DuplicateMarks, RelatedEnquiry};
pub use enquiries::{EnquiryRecord, NewEnquiry};
pub use holds::{Hold, HoldScope};
pub use imports::{ImportOutcome, NewImport};
pub use inbox::InboxEnquiry;
pub use incident_notices::IncidentNotice;
pub use incidents::{
    Affected, FoundEnquiry, IncidentFields, IncidentRecord, OutboxStamp, RecipientQuery,
    RecipientRow,
};
pub use keys::{KeyUsage, SealedTable, StaleRow};
pub use launch::{
    Approval, ApprovalRefused, LaunchMark, NewRoleRequest, RequestState, RoleChange, RoleRequest,
};
pub use lockout::SecondFactorLock;
pub use notices::{
    ClaimedNotice, GrantNotice, GrantedBy, NoticeKind, NoticeOutcome, queue_grant_notices,
    queue_notice,
};
pub use outbox::{ClaimedRow, NewOutboxRow, OutboxCounts, OutboxMark, OutboxStatus, Settlement};
pub use own::{
    InboxRequest, NewPassphrase, OwnState, ReplySealed, RequestKind, Withdrawn, requester,
};
pub use programmes::{
    ApplyOutcome, Precondition, ProgrammeKeyRecord, ProgrammeRecord, Reviewed, SaveRefused,
};
pub use referrals::{NewReferral, ReferralRecord};
pub use replies::{CampaignRecord, NewCampaign, NewReply, PreparedReply, ReplyRecord};
pub use retention::PurgeCounts;
pub use staff::{Membership, NewSession, NewUser, SessionRecord, UserRecord};

/// A state word read from `column` of a row, or the row is corrupt.
pub(crate) fn stored<T: crate::states::Stored>(
    r: &sqlx::any::AnyRow,
    column: &str,
) -> Result<T, StoreError> {
    use sqlx::Row;
    T::parse_stored(&r.try_get::<String, _>(column)?).ok_or(StoreError::Corrupt(T::UNKNOWN))
}
pub use contact::{ContactCode, ContactRequest, ContactRequestKind, ContactShown, IssuedCode};
pub use conversation::{NewPersonMessage, PersonMessageRecord};
pub use form_tokens::UsedToken;
pub use queues::{
    ClaimFilter, Contact, QueueCursor, QueueFilter, QueueItem, QueuePage, new_display_handle,
};
pub use writer::{Stored as SubmissionStored, SubmissionWriter, WriterError};

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
    /// A programme whose stored state does not verify against the console's
    /// signing key (`programme::live`): it is not used.
    #[error("a programme's stored state does not carry the console's signature")]
    UnsignedProgramme,
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
                private_files(path)?;
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
                                 PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;",
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
            // A role's own account may not migrate (nor create sqlx's table): it finds
            // the schema current and goes on. Whoever migrates also grants, so the
            // accounts' privileges follow every schema change (`access`).
            Backend::Postgres => {
                if !self.schema_current().await? {
                    POSTGRES_MIGRATIONS.run(&self.pool).await?;
                    self.apply_access().await?;
                }
            }
        }
        Ok(())
    }

    /// A transaction that will write. On SQLite it takes the write lock at `BEGIN`
    /// (IMMEDIATE): a deferred transaction that reads first and writes later cannot
    /// wait for another writer and fails at once with "database is locked".
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// The pool, for the store's own modules only: outside `src/store` nothing sees
    /// the driver (tests have their own module for that).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
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

/// The database file and its directory are created owner-only (0700, 0600) whatever
/// the umask: the file holds staff addresses, keyed hashes and sealed data, and on a
/// shared host nobody else needs even that. SQLite gives the WAL and shared-memory
/// files the database file's mode, so they follow. Files left more open by an older
/// version are tightened at start-up.
fn private_files(db: &std::path::Path) -> Result<(), StoreError> {
    let dir = db.parent().filter(|d| !d.as_os_str().is_empty());
    let err = |path: &std::path::Path| {
        let path = path.to_owned();
        move |source| StoreError::DataDir { path, source }
    };
    if let Some(dir) = dir {
        crate::crypto::create_private_dir(dir).map_err(err(dir))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(db)
            .map_err(err(db))?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let file = std::path::PathBuf::from(name);
            match std::fs::metadata(&file) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                        .map_err(err(&file))?;
                }
                _ => {}
            }
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    /// sqlx accepts only `&'static str` as SQL unless a call site wraps a built string
    /// in `AssertSqlSafe`: with no such call (and no `raw_sql`) in `src/`, every
    /// statement is a literal and every value a bound parameter (ASVS 5.3.4).
    #[test]
    fn no_sql_is_built_from_strings_at_run_time() {
        fn walk(dir: &std::path::Path, needles: &[&str], hits: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, needles, hits);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        if needles.iter().any(|n| code.contains(n)) {
                            hits.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        let mut hits = Vec::new();
        // Spelled in parts so this test does not find itself.
        let needles = [concat!("Assert", "SqlSafe"), concat!("raw", "_sql(")];
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &needles,
            &mut hits,
        );
        assert!(hits.is_empty(), "SQL built at run time: {hits:?}");
    }
}
