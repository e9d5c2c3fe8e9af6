//! Key rotation: after a programme moves to a new key, everything still sealed to an
//! older one is opened and sealed again, in batches, by the worker role (and by
//! `haven programme rotate-key` itself, which waits and shows progress). Replies are
//! re-sealed to the enquirer's inbox key as well, so the reply inbox keeps working.

use std::time::Duration;

use crate::audit::{Actor, SystemTask};
use crate::crypto::CryptoError;
use crate::domain::ProgrammeSlug;
use crate::keyring::{GateError, Keyring};
use crate::programme::live::LiveProgrammes;
use crate::store::{SealedTable, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(
        "this master key cannot open the programme's current key (key {0}): is HAVEN_MASTER_KEY_FILE the instance's master key?"
    )]
    WrongMasterKey(String),
}

/// Refuses a master key that cannot open the programme's current key. A rotation
/// wraps the new key to the master key it is given: with a wrong one it would store a
/// key the real master key cannot open, and re-sealing would then fail for ever.
pub async fn check_master_opens(keyring: &Keyring, key_id: &str) -> Result<(), RotationError> {
    match keyring.opens_key(key_id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(RotationError::WrongMasterKey(key_id.to_owned())),
        Err(GateError::MissingKey) => {
            Err(StoreError::Corrupt("a programme refers to a missing key").into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Re-seals up to `batch` stale ciphertexts per table of one programme; returns how
/// many were re-sealed (0: nothing left to do).
pub async fn reseal_batch(
    store: &Store,
    keyring: &Keyring,
    reader: &Actor,
    slug: &ProgrammeSlug,
    batch: i64,
) -> Result<usize, RotationError> {
    // A fresh read, not the 5-second cache: the new key must be the one used.
    let programmes = LiveProgrammes::new(
        store.clone(),
        Duration::ZERO,
        crate::programme::live::Verifying::Key(keyring.programme_signer().verifier()),
        prometheus_client::metrics::counter::Counter::default(),
    );
    let Some(live) = programmes.get(slug).await? else {
        return Ok(0);
    };
    let current = live.sealer.key_id().to_owned();
    let mut stale = Vec::new();
    for table in SealedTable::ALL {
        for row in store.stale_rows(table, &live.id, &current, batch).await? {
            stale.push((table, row));
        }
    }
    if stale.is_empty() {
        return Ok(0);
    }
    // Audited (with the count) before anything is opened; the plaintext stays in the
    // keyring.
    let mut resealing = keyring
        .resealing(reader, slug.as_str(), &current, stale.len())
        .await?;
    let mut done = 0;
    for (table, row) in stale {
        let inbox = match table {
            SealedTable::Replies | SealedTable::PersonMessages | SealedTable::ContactCodes => {
                row.inbox_recipient.as_deref()
            }
            _ => None,
        };
        let sealed = resealing.reseal(&row.sealed, &live.sealer, inbox).await?;
        if store
            .reseal(table, &row.id, &row.sealed.key_id, &sealed)
            .await?
        {
            done += 1;
        }
    }
    Ok(done)
}

/// Re-seals everything of one programme; `progress` is told the running total.
pub async fn reseal_all(
    store: &Store,
    keyring: &Keyring,
    reader: &Actor,
    slug: &ProgrammeSlug,
    mut progress: impl FnMut(usize),
) -> Result<usize, RotationError> {
    let mut total = 0;
    loop {
        let n = reseal_batch(store, keyring, reader, slug, 500).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
        progress(total);
    }
}

/// Re-seals everything of every programme that is still under an older key; returns
/// how many ciphertexts were re-sealed.
pub async fn reseal_everything(store: &Store, keyring: &Keyring) -> Result<usize, RotationError> {
    let reader = Actor::System(SystemTask::Rotation);
    let mut total = 0;
    for (_, slug) in store.programme_ids().await? {
        let Ok(slug) = ProgrammeSlug::parse(&slug) else {
            continue;
        };
        match reseal_all(store, keyring, &reader, &slug, |_| {}).await {
            Ok(n) => total += n,
            // Refused and alarmed by `LiveProgrammes`; nothing moves to a key the
            // console did not sign, and the other programmes are still re-sealed.
            Err(RotationError::Store(StoreError::UnsignedProgramme)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

/// The worker role's background job: every minute, a batch for every programme.
pub fn spawn_schedule(store: Store, keyring: Keyring) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let Ok(programmes) = store.programme_ids().await else {
                continue;
            };
            for (_, slug) in programmes {
                let Ok(slug) = ProgrammeSlug::parse(&slug) else {
                    continue;
                };
                let reader = Actor::System(SystemTask::Rotation);
                match reseal_batch(&store, &keyring, &reader, &slug, 500).await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(programme = %slug, resealed = n, "re-sealed to the current key")
                    }
                    Err(e) => tracing::error!(programme = %slug, error = %e, "re-sealing failed"),
                }
            }
        }
    });
}
