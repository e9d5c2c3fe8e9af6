//! Programmes as the request handlers need them: parsed, with their sealer, cached for
//! a few seconds so a busy form does not re-read its definition on every request,
//! while an edit made on another instance still shows up quickly.
//!
//! A programme is used only if the console's signature over its stored state
//! verifies ([`crate::crypto::ProgrammeState`]): a recipient, escrow key, partner or
//! form swapped in the database behind Haven's back makes the programme unavailable
//! ([`StoreError::UnsignedProgramme`]), raises an alarm in the log and counts in the
//! `haven_programme_states_refused_total` metric; nothing is ever sealed to it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use prometheus_client::metrics::counter::Counter;

use super::Programme;
use crate::crypto::{ProgrammeVerifier, Sealer};
use crate::domain::ProgrammeSlug;
use crate::store::{Store, StoreError};

pub struct LiveProgramme {
    pub id: String,
    pub version: i64,
    pub programme: Programme,
    pub sealer: Sealer,
}

/// Where the key that checks programme states comes from.
#[derive(Clone)]
pub enum Verifying {
    /// Derived from the master key (the console and the worker).
    Key(ProgrammeVerifier),
    /// The public role's verifying-key file (`HAVEN_PROGRAMME_VERIFY_KEY_FILE`), read
    /// when a programme is read: never from the database, whose writer could swap
    /// both. Without the file no programme is used.
    File(PathBuf),
}

/// Each programme read, and when; `None`: its state was refused (checked again after
/// the same time, so an alarm is logged once per programme and period, not per request).
type Cache = HashMap<ProgrammeSlug, (Instant, Option<Arc<LiveProgramme>>)>;

/// Discreet addresses and the slugs they stand for, and when they were read.
type Addresses = (Option<Instant>, HashMap<String, ProgrammeSlug>);

/// Clones share one cache, so that the roles of one process see an edit at once.
#[derive(Clone)]
pub struct LiveProgrammes {
    store: Store,
    ttl: Duration,
    cache: Arc<RwLock<Cache>>,
    addresses: Arc<RwLock<Addresses>>,
    verifying: Verifying,
    refused: Counter,
}

impl LiveProgrammes {
    /// `refused` counts the states refused (`haven_programme_states_refused_total`).
    pub fn new(store: Store, ttl: Duration, verifying: Verifying, refused: Counter) -> Self {
        Self {
            store,
            ttl,
            cache: Arc::new(RwLock::new(HashMap::new())),
            addresses: Arc::new(RwLock::new((None, HashMap::new()))),
            verifying,
            refused,
        }
    }

    fn verifier(&self) -> Option<ProgrammeVerifier> {
        match &self.verifying {
            Verifying::Key(key) => Some(key.clone()),
            Verifying::File(path) => match ProgrammeVerifier::load(path) {
                Ok(key) => Some(key),
                Err(e) => {
                    tracing::error!(error = %e, "no programme verifying key: no programme can be used until the console side's key is copied here (`haven keys export-verify-key`)");
                    None
                }
            },
        }
    }

    /// After a save: the next request reads the new version (other instances within the TTL).
    pub fn forget(&self, slug: &ProgrammeSlug) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(slug);
        }
        // The saved version may have taken or dropped a discreet address.
        if let Ok(mut addresses) = self.addresses.write() {
            addresses.0 = None;
        }
    }

    /// The programme whose public pages live at `/p/{address}` in discreet mode. The
    /// table of addresses is read again at most once per TTL (an unknown address
    /// costs no query then), and what it names is checked like any programme: by its
    /// signed state, and by its own definition naming this address.
    pub async fn by_discreet_address(
        &self,
        address: &ProgrammeSlug,
    ) -> Result<Option<Arc<LiveProgramme>>, StoreError> {
        let fresh = self
            .addresses
            .read()
            .ok()
            .and_then(|a| a.0)
            .is_some_and(|at| at.elapsed() < self.ttl);
        if !fresh {
            let mut found = HashMap::new();
            for (slug, definition) in self.store.programme_definitions().await? {
                let Ok(slug) = ProgrammeSlug::parse(&slug) else {
                    continue;
                };
                if let Ok(p) = Programme::parse(&definition)
                    && let Some(a) = p.file().public.discreet_address.clone()
                {
                    found.entry(a).or_insert(slug);
                }
            }
            if let Ok(mut a) = self.addresses.write() {
                *a = (Some(Instant::now()), found);
            }
        }
        let slug = self
            .addresses
            .read()
            .ok()
            .and_then(|a| a.1.get(address.as_str()).cloned());
        let Some(slug) = slug else {
            return Ok(None);
        };
        Ok(self
            .get(&slug)
            .await?
            .filter(|live| live.programme.public_name() == *address))
    }

    pub async fn get(
        &self,
        slug: &ProgrammeSlug,
    ) -> Result<Option<Arc<LiveProgramme>>, StoreError> {
        if let Ok(cache) = self.cache.read()
            && let Some((at, live)) = cache.get(slug)
            && at.elapsed() < self.ttl
        {
            return live.clone().map(Some).ok_or(StoreError::UnsignedProgramme);
        }
        let Some(record) = self.store.programme_by_slug(slug.as_str()).await? else {
            if let Ok(mut cache) = self.cache.write() {
                cache.remove(slug);
            }
            return Ok(None);
        };
        let verified = self
            .verifier()
            .is_some_and(|v| v.verify(&record.state(), record.signature.as_deref()));
        if !verified {
            // An alarm: someone wrote this programme's state without the console's key
            // (or the verifying key is missing). The slug and version are no one's
            // personal data.
            tracing::error!(
                alarm = "programme-state-unverified",
                programme = %slug,
                version = record.version,
                "ALARM: a programme's stored state does not carry the console's signature; its form is unavailable and nothing is sealed to it"
            );
            self.refused.inc();
            if let Ok(mut cache) = self.cache.write() {
                cache.insert(slug.clone(), (Instant::now(), None));
            }
            return Err(StoreError::UnsignedProgramme);
        }
        let programme = Programme::parse(&record.definition)
            .map_err(|_| StoreError::Corrupt("a stored programme definition does not parse"))?;
        let sealer = Sealer::new(&record.key_id, &record.recipient)
            .and_then(|s| s.with_escrow(programme.file().escrow.as_deref()))
            .map_err(|_| StoreError::Corrupt("a stored programme key is malformed"))?;
        let live = Arc::new(LiveProgramme {
            id: record.id,
            version: record.version,
            programme,
            sealer,
        });
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(slug.clone(), (Instant::now(), Some(live.clone())));
        }
        Ok(Some(live))
    }
}
