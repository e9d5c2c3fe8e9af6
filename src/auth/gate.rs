//! A bound on password hashing, in front of every argon2 run a server makes.
//!
//! One verification takes 64 MiB and a core for a few hundred milliseconds, and the
//! sign-in form is open to anyone: without a bound, a few dozen concurrent sign-ins
//! with made-up addresses took gigabytes and starved the public form. So at most
//! `HAVEN_PASSWORD_HASHES` hashes run at once (one per core by default), a few more may
//! wait for a core, and anything beyond that is refused at once, before any hashing,
//! with a page that says to try again in a few seconds.
//!
//! Admission is also shared fairly: one client (an IPv4 address, an IPv6 /64) holds at
//! most one place, running or waiting, and one network (a /24, a /48) at most two, so
//! a flood from a handful of addresses leaves places for a staff member elsewhere.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::Semaphore;

use super::password::{Hasher, NewPassword};
use crate::web::client::{ClientKey, NetworkKey};

/// Places one client may hold (running or waiting).
const PER_CLIENT: u8 = 1;
/// Places one network may hold.
const PER_NETWORK: u8 = 2;
/// Places in all, per core: one running and two waiting.
const PLACES_PER_CORE: usize = 3;

/// The gate was full, or this client or network already holds its places: nothing was
/// hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("password hashing is busy")]
pub struct Busy;

#[derive(Debug, thiserror::Error)]
#[error("the password hashing task stopped")]
pub struct Stopped;

#[derive(Default)]
struct Places {
    total: usize,
    clients: HashMap<ClientKey, u8>,
    networks: HashMap<NetworkKey, u8>,
}

struct Inner {
    hasher: Arc<Hasher>,
    cores: Arc<Semaphore>,
    capacity: usize,
    places: Mutex<Places>,
    admitted: Gauge,
    refused: Counter,
}

/// Shared by every handler of a process that checks or sets passwords.
#[derive(Clone)]
pub struct PasswordGate {
    inner: Arc<Inner>,
}

impl PasswordGate {
    pub fn new(hasher: Arc<Hasher>, concurrent: NonZeroU32) -> Self {
        Self::observed(hasher, concurrent, Gauge::default(), Counter::default())
    }

    /// A gate that reports admissions and refusals into these (`metrics::Metrics`).
    pub fn observed(
        hasher: Arc<Hasher>,
        concurrent: NonZeroU32,
        admitted: Gauge,
        refused: Counter,
    ) -> Self {
        let running = concurrent.get() as usize;
        Self {
            inner: Arc::new(Inner {
                hasher,
                cores: Arc::new(Semaphore::new(running)),
                capacity: running * PLACES_PER_CORE,
                places: Mutex::new(Places::default()),
                admitted,
                refused,
            }),
        }
    }

    /// A place for one hash for `client`, or [`Busy`] at once.
    pub fn admit(&self, client: ClientKey) -> Result<Admission, Busy> {
        let network = client.network();
        let mut places = self.inner.places.lock().map_err(|_| Busy)?;
        let by_client = places.clients.get(&client).copied().unwrap_or(0);
        let by_network = places.networks.get(&network).copied().unwrap_or(0);
        if places.total >= self.inner.capacity
            || by_client >= PER_CLIENT
            || by_network >= PER_NETWORK
        {
            drop(places);
            self.inner.refused.inc();
            return Err(Busy);
        }
        places.total += 1;
        *places.clients.entry(client).or_default() += 1;
        *places.networks.entry(network).or_default() += 1;
        self.inner.admitted.inc();
        Ok(Admission {
            inner: self.inner.clone(),
            client,
            network,
        })
    }

    /// Places taken now (for tests).
    pub fn admitted(&self) -> usize {
        self.inner.places.lock().map_or(0, |p| p.total)
    }
}

/// One admitted hash. Dropping it unused gives the place back.
pub struct Admission {
    inner: Arc<Inner>,
    client: ClientKey,
    network: NetworkKey,
}

impl Drop for Admission {
    fn drop(&mut self) {
        if let Ok(mut places) = self.inner.places.lock() {
            places.total = places.total.saturating_sub(1);
            release(&mut places.clients, &self.client);
            release(&mut places.networks, &self.network);
        }
        self.inner.admitted.dec();
    }
}

fn release<K: std::hash::Hash + Eq>(map: &mut HashMap<K, u8>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl Admission {
    /// Waits for a core, then runs `work` on a blocking thread. The core and the place
    /// go with the work, so they are held for exactly as long as it runs, even if the
    /// request that asked for it is gone meanwhile.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&Hasher) -> T + Send + 'static,
    ) -> Result<T, Stopped> {
        let core = self
            .inner
            .cores
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Stopped)?;
        tokio::task::spawn_blocking(move || {
            let out = work(&self.inner.hasher);
            drop(core);
            drop(self);
            out
        })
        .await
        .map_err(|_| Stopped)
    }

    /// Whether `candidate` is the password behind `phc`; with no stored hash (an
    /// unknown account), the same work and `false`.
    pub async fn verify(self, phc: Option<String>, candidate: String) -> Result<bool, Stopped> {
        self.run(move |hasher| match phc {
            Some(phc) => hasher.verify(&phc, &candidate),
            None => {
                hasher.verify_dummy(&candidate);
                false
            }
        })
        .await
    }

    /// The PHC string to store for a new password.
    pub async fn hash(self, password: NewPassword) -> Result<String, Stopped> {
        self.run(move |hasher| hasher.hash(&password)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::password::HashCost;

    fn gate(cores: u32) -> PasswordGate {
        PasswordGate::new(
            Arc::new(Hasher::new([7; 32], HashCost::Test)),
            NonZeroU32::new(cores).unwrap(),
        )
    }

    fn ip(s: &str) -> ClientKey {
        ClientKey::from_ip(s.parse().unwrap())
    }

    #[test]
    fn one_place_per_client_two_per_network_three_per_core() {
        let g = gate(2);
        let a = g.admit(ip("198.51.100.1")).unwrap();
        assert_eq!(g.admit(ip("198.51.100.1")).err(), Some(Busy), "per client");
        let _b = g.admit(ip("198.51.100.2")).unwrap();
        assert_eq!(
            g.admit(ip("198.51.100.3")).err(),
            Some(Busy),
            "per network (/24)"
        );
        // An IPv6 /64 is one client.
        let _c = g.admit(ip("2001:db8:0:1::1")).unwrap();
        assert_eq!(g.admit(ip("2001:db8:0:1::2")).err(), Some(Busy));
        let _d = g.admit(ip("203.0.113.1")).unwrap();
        let _e = g.admit(ip("192.0.2.1")).unwrap();
        let _f = g.admit(ip("2001:db8:9::1")).unwrap();
        assert_eq!(g.admitted(), 6);
        assert_eq!(g.admit(ip("10.1.2.3")).err(), Some(Busy), "full");
        drop(a);
        assert!(g.admit(ip("10.1.2.3")).is_ok(), "a place came back");
    }

    #[tokio::test]
    async fn a_hash_holds_its_place_until_it_is_done() {
        let g = gate(1);
        let admission = g.admit(ip("198.51.100.1")).unwrap();
        assert_eq!(g.admitted(), 1);
        let phc = admission
            .hash(NewPassword::parse("correct horse battery").unwrap())
            .await
            .unwrap();
        assert_eq!(g.admitted(), 0);
        let check = g.admit(ip("198.51.100.1")).unwrap();
        assert!(
            check
                .verify(Some(phc), "correct horse battery".into())
                .await
                .unwrap()
        );
        let unknown = g.admit(ip("198.51.100.1")).unwrap();
        assert!(!unknown.verify(None, "anything".into()).await.unwrap());
        assert_eq!(g.admitted(), 0);
    }
}
