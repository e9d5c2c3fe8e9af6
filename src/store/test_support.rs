//! Raw SQL for the API tests and the benchmarks, and for nothing else: they plant what
//! time, an older version or someone with write access to the database would leave
//! behind (a session idle for an hour, a tampered audit row, a trigger that makes a
//! write fail) and read back what Haven stored. Haven's own code never calls this
//! module (`no_production_code_uses_it` below reads the sources); it reaches the
//! database through `Store`'s methods only, and the pool itself stays private.
//!
//! Besides raw SQL, one shortcut: [`queue_outbox`] puts sealed outbox rows in place
//! without a reply or a campaign around them, for the worker's tests and benchmark.

use sqlx::any::AnyRow;

use super::outbox::{NewOutboxRow, insert_outbox};
use super::{Store, StoreError};

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Arg::Bytes(v)
    }
}

// SQL is `&'static str` here as everywhere in `src/`: a literal written in the test,
// every value bound (`store::tests::no_sql_is_built_from_strings_at_run_time`).
fn query<'q>(
    sql: &'static str,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(sql);
    for arg in args {
        q = match arg {
            Arg::Int(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.as_str()),
            Arg::Bytes(v) => q.bind(v.as_slice()),
        };
    }
    q
}

/// Runs one statement with `args`, or, without arguments, several separated by `;`
/// (e.g. a PostgreSQL function and the trigger that calls it); returns the rows changed.
pub async fn execute(store: &Store, sql: &'static str, args: &[Arg]) -> Result<u64, StoreError> {
    let done = if args.is_empty() {
        sqlx::Executor::execute(&store.pool, sql).await?
    } else {
        query(sql, args).execute(&store.pool).await?
    };
    Ok(done.rows_affected())
}

/// The one row a query returns.
pub async fn fetch_one(
    store: &Store,
    sql: &'static str,
    args: &[Arg],
) -> Result<AnyRow, StoreError> {
    Ok(query(sql, args).fetch_one(&store.pool).await?)
}

/// Every row a query returns.
pub async fn fetch_all(
    store: &Store,
    sql: &'static str,
    args: &[Arg],
) -> Result<Vec<AnyRow>, StoreError> {
    Ok(query(sql, args).fetch_all(&store.pool).await?)
}

/// The first column of the one row a query returns, as an integer (`COUNT(*)` …).
pub async fn scalar(store: &Store, sql: &'static str, args: &[Arg]) -> Result<i64, StoreError> {
    let row = fetch_one(store, sql, args).await?;
    Ok(sqlx::Row::try_get(&row, 0)?)
}

/// Queues `rows` in one transaction, all or none, as a reply or a campaign's approval
/// would with its other writes. Returns how many were new: a row whose idempotency key
/// is already queued is skipped, exactly as in production.
pub async fn queue_outbox(store: &Store, rows: &[NewOutboxRow]) -> Result<usize, StoreError> {
    let mut tx = store.begin_write().await?;
    let mut new = 0;
    for row in rows {
        new += usize::from(insert_outbox(&mut tx, row).await?);
    }
    tx.commit().await?;
    Ok(new)
}

/// Writes `rows` as enquiries in one transaction through the store's own insert (so
/// each gets its display handle), without the submission writer around them: the
/// queue tests and the queue benchmark fill a programme this way (`ops/bench/queues`).
pub async fn insert_enquiries(store: &Store, rows: &[super::NewEnquiry]) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await?;
    for e in rows {
        super::enquiries::insert_enquiry(&mut tx, e).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Every `.rs` file under `src/` except this one.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn no_production_code_uses_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&root, &mut files);
        let this = root.join("store").join("test_support.rs");
        let mod_rs = root.join("store").join("mod.rs");
        let users: Vec<_> = files
            .iter()
            .filter(|f| **f != this)
            .filter(|f| {
                let text = std::fs::read_to_string(f).expect("readable");
                // `store/mod.rs` declares the module; nothing may call into it.
                let uses = text.matches("test_support").count();
                let declares = usize::from(**f == mod_rs);
                uses > declares
            })
            .collect();
        assert!(users.is_empty(), "test_support used by {users:?}");
        assert!(files.len() > 50, "the scan found the sources");
    }
}
