//! The email blind index (`enquiries.contact_index`): lets staff find earlier enquiries
//! from the same address without the address being readable in the database. Keyed
//! from the master key, so it is computed here, by the worker (and on demand by the
//! test suite's job runner), from the sealed contact: never by the public role, which
//! stores the sealed contact only and has no key that could test "did this address
//! ask for help?" against the column.

use std::time::Duration;

use crate::audit::{Actor, SystemTask};
use crate::keyring::{GateError, Keyring};
use crate::store::Store;

/// Enquiries opened per audited batch.
const BATCH: i64 = 200;

/// Computes the index of every enquiry that has an address and no index yet, batch by
/// batch (each audited before it opens); returns how many were indexed.
pub async fn index_pending(store: &Store, keyring: &Keyring) -> Result<usize, GateError> {
    let reader = Actor::System(SystemTask::ContactIndex);
    let mut total = 0;
    loop {
        let pending = store.contacts_to_index(BATCH).await?;
        if pending.is_empty() {
            return Ok(total);
        }
        let indexed = keyring.index_contacts(&reader, &pending).await?;
        // An enquiry whose ciphertext holds no address after all gets an empty index,
        // so that it is not opened again every minute.
        let rows: Vec<(String, Vec<u8>)> = indexed
            .into_iter()
            .map(|(id, index)| (id, index.unwrap_or_default()))
            .collect();
        total += rows.len();
        store.set_contact_indexes(&rows).await?;
        if (pending.len() as i64) < BATCH {
            return Ok(total);
        }
    }
}

/// The worker role's job: every minute, index what arrived since.
pub fn spawn_schedule(store: Store, keyring: Keyring) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match index_pending(&store, &keyring).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(indexed = n, "computed email blind indexes"),
                Err(e) => tracing::warn!(error = %e, "could not compute email blind indexes"),
            }
        }
    });
}
