//! Purging what programmes no longer need: `haven purge`, and the same every hour in
//! the worker role.

use std::time::Duration;

use crate::audit::{Actor, SystemTask};
use crate::programme::Programme;
use crate::store::{PurgeCounts, Store, StoreError, hour_of, now};

/// How often the server purges.
pub const EVERY: Duration = Duration::from_secs(3600);

/// Purges every programme by its own retention period; returns what went, by slug.
pub async fn purge_all(
    store: &Store,
    actor: &Actor,
) -> Result<Vec<(String, PurgeCounts)>, StoreError> {
    let mut out = Vec::new();
    for (id, slug) in store.programme_ids().await? {
        let Some(record) = store.programme_by_slug(&slug).await? else {
            continue;
        };
        let programme = Programme::parse(&record.definition)
            .map_err(|_| StoreError::Corrupt("a stored programme definition does not parse"))?;
        let days = i64::from(programme.file().retention_days);
        // Clear times are hours, so the cut-off is too: nothing is kept longer than
        // its period plus the hour it arrived in.
        let cutoff = hour_of(now()) - days * 86_400;
        out.push((
            slug.clone(),
            store.purge_expired(&id, &slug, cutoff, actor).await?,
        ));
    }
    Ok(out)
}

/// Runs [`purge_all`] every [`EVERY`] (first run a minute after start), then deletes
/// the file outbox's copies of messages whose rows are gone or unreadable (purged
/// now, or by another process since the last run).
pub fn spawn_schedule(store: Store, data_dir: std::path::PathBuf) {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            match purge_all(&store, &Actor::System(SystemTask::Purge)).await {
                Ok(done) => {
                    let enquiries: u64 = done.iter().map(|(_, c)| c.enquiries).sum();
                    if enquiries > 0 {
                        tracing::info!(enquiries, "purged enquiries past their retention period");
                    }
                }
                Err(e) => tracing::error!(error = %e, "scheduled purge failed"),
            }
            if let Err(e) = crate::outbound::sweep_file_outbox(&data_dir, &store).await {
                tracing::error!(error = %e, "sweeping the file outbox failed");
            }
        }
    });
}
