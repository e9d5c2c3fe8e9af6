//! Where an enquiry is stored must not say when it arrived.
//!
//! Clear columns hold the hour (`created_hour`), but physical order is a clock of its
//! own: SQLite numbered rows as they came (rowid), PostgreSQL appends them to its heap
//! in arrival order, stamps each with the id of the transaction that wrote it (`xmin`)
//! and gives out-of-line values ever-growing TOAST ids. Lined up with any record of
//! when requests came in, that order gives each enquiry its exact arrival time back.
//!
//! So on SQLite the table is keyed by the random id (WITHOUT ROWID, migration 0031):
//! rows sit in id order from the start. And on both backends, once an hour has closed,
//! the worker re-places that hour's enquiries: it deletes them and writes them again
//! in random order, in one transaction (`Store::place_arrivals`). Afterwards they share
//! one transaction id, sit in random order, and their overflow pages (SQLite) or TOAST
//! ids (PostgreSQL) were handed out in random order. What the order of the current
//! hour still shows until then, and what the files and the write-ahead log keep, is in
//! ARCHITECTURE.md ("Arrival order").

use std::time::Duration;

use crate::store::{Store, StoreError, hour_of, now};

/// How often the worker looks for a closed hour to place: an hour's enquiries are
/// re-placed within this much of the hour's end.
pub const EVERY: Duration = Duration::from_secs(300);

/// Re-places every enquiry that arrived before the current hour.
pub async fn place_closed_hours(store: &Store) -> Result<u64, StoreError> {
    store.place_arrivals(hour_of(now())).await
}

/// Runs [`place_closed_hours`] every [`EVERY`] in the worker role.
pub fn spawn_schedule(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match place_closed_hours(&store).await {
                // Counts only: how many arrived in an hour is in the clear columns anyway.
                Ok(0) => {}
                Ok(n) => tracing::debug!(enquiries = n, "re-placed the enquiries of closed hours"),
                Err(e) => {
                    tracing::warn!(error = %e, "re-placing enquiries failed; next run retries")
                }
            }
        }
    });
}
