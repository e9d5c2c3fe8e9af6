//! Programmes as the request handlers need them: parsed, with their sealer, cached for
//! a few seconds so a busy form does not re-read its definition on every request,
//! while an edit made on another instance still shows up quickly.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::Programme;
use crate::crypto::Sealer;
use crate::domain::ProgrammeSlug;
use crate::store::{Store, StoreError};

pub struct LiveProgramme {
    pub id: String,
    pub version: i64,
    pub programme: Programme,
    pub sealer: Sealer,
}

/// Each programme read, and when.
type Cache = HashMap<ProgrammeSlug, (Instant, Arc<LiveProgramme>)>;

/// Clones share one cache, so that the roles of one process see an edit at once.
#[derive(Clone)]
pub struct LiveProgrammes {
    store: Store,
    ttl: Duration,
    cache: Arc<RwLock<Cache>>,
}

impl LiveProgrammes {
    pub fn new(store: Store, ttl: Duration) -> Self {
        Self {
            store,
            ttl,
            cache: Arc::new(RwLock::new(HashMap::new())),
        }
    }

    /// After a save: the next request reads the new version (other instances within the TTL).
    pub fn forget(&self, slug: &ProgrammeSlug) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(slug);
        }
    }

    pub async fn get(
        &self,
        slug: &ProgrammeSlug,
    ) -> Result<Option<Arc<LiveProgramme>>, StoreError> {
        if let Ok(cache) = self.cache.read()
            && let Some((at, live)) = cache.get(slug)
            && at.elapsed() < self.ttl
        {
            return Ok(Some(live.clone()));
        }
        let Some(record) = self.store.programme_by_slug(slug.as_str()).await? else {
            if let Ok(mut cache) = self.cache.write() {
                cache.remove(slug);
            }
            return Ok(None);
        };
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
            cache.insert(slug.clone(), (Instant::now(), live.clone()));
        }
        Ok(Some(live))
    }
}
