//! Per-client and shared limits, built once at start-up and shared by every worker
//! thread (building a limiter twice would make two independent limits).
//!
//! Shared quotas degrade gracefully: a submission is counted against its client (an
//! IPv4 address, an IPv6 /64, a Tor circuit), then its network's share (an IPv4 /24,
//! an IPv6 /48, the onion service), and only then against the global quota. A flood
//! from one network uses up that network's share and stops there, so people elsewhere
//! still get through; only a flood from many networks at once reaches the global
//! figure, which raises a soft alarm (a warning in the log, a gauge in `/metrics`)
//! before it refuses anyone.
//!
//! Every refusal says how long until the limit that refused lets the next one through
//! ([`Refused::wait`]): the pages tell people the true wait.

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client::{ClientKey, NetworkKey};
use crate::config::RateLimits;

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

/// Which limit refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// This client's own budget.
    Client,
    /// The share of the client's network (or of the onion service).
    Network,
    /// Everyone's, together.
    Global,
    /// One reference code's ceiling (the reply inbox).
    Code,
}

impl Limit {
    /// For metrics labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Network => "network",
            Self::Global => "global",
            Self::Code => "code",
        }
    }
}

/// What the two sign-in limits said about one attempt (both are always counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigninCheck {
    pub account: bool,
    pub client: bool,
}

impl SigninCheck {
    pub fn allowed(self) -> bool {
        self.account && self.client
    }
}

/// A refusal, and how long until the limit that refused would let one through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub limit: Limit,
    pub wait: Duration,
}

impl Refused {
    /// The wait in whole minutes, at least one (what the pages say).
    pub fn minutes(&self) -> u64 {
        self.wait.as_secs().div_ceil(60).max(1)
    }

    /// The wait in whole seconds, at least one (the `Retry-After` header).
    pub fn seconds(&self) -> u64 {
        self.wait.as_secs_f64().ceil().max(1.0) as u64
    }
}

type GlobalLimiter = RateLimiter<NotKeyed, InMemoryState, DefaultClock, StateInformationMiddleware>;

/// How full the global submission quota is, and when the log last said so.
struct Alarm {
    capacity: u32,
    /// Remaining burst capacity after the last accepted submission.
    remaining: AtomicU32,
    /// The last level logged and when: a warning per level at most every ten minutes.
    logged: Mutex<(u8, Option<Instant>)>,
}

const ALARM_REPEAT: Duration = Duration::from_secs(600);

impl Alarm {
    fn new(capacity: u32) -> Self {
        Self {
            capacity,
            remaining: AtomicU32::new(capacity),
            logged: Mutex::new((0, None)),
        }
    }

    /// 0: fine; 1: half used; 2: nine tenths used; 3: used up (refusing).
    fn level(&self, remaining: u32) -> u8 {
        let used = self.capacity.saturating_sub(remaining);
        if remaining == 0 {
            3
        } else if u64::from(used) * 10 >= u64::from(self.capacity) * 9 {
            2
        } else if u64::from(used) * 2 >= u64::from(self.capacity) {
            1
        } else {
            0
        }
    }

    fn observe(&self, remaining: u32) {
        self.remaining.store(remaining, Ordering::Relaxed);
        let level = self.level(remaining);
        if level == 0 {
            return;
        }
        let Ok(mut logged) = self.logged.lock() else {
            return;
        };
        let now = Instant::now();
        let repeat_due = logged
            .1
            .is_none_or(|at| now.duration_since(at) >= ALARM_REPEAT);
        if level > logged.0 || repeat_due {
            *logged = (level, Some(now));
            drop(logged);
            // Figures only: no client, no programme, nothing a person sent.
            let used = self.capacity.saturating_sub(remaining);
            match level {
                3 => tracing::warn!(
                    capacity = self.capacity,
                    "the global submission quota is used up: new submissions are refused \
                     until it refills (a flood from many networks; see the operator guide)"
                ),
                2 => tracing::warn!(
                    used,
                    capacity = self.capacity,
                    "nine tenths of the global submission quota are used"
                ),
                _ => tracing::warn!(
                    used,
                    capacity = self.capacity,
                    "half of the global submission quota is used"
                ),
            }
        }
    }
}

pub struct Limiters {
    enabled: bool,
    requests: DefaultKeyedRateLimiter<ClientKey>,
    submissions: DefaultKeyedRateLimiter<ClientKey>,
    submissions_network: DefaultKeyedRateLimiter<NetworkKey>,
    onion_submissions: DefaultDirectRateLimiter,
    submissions_global: GlobalLimiter,
    alarm: Alarm,
    inbox_clients: DefaultKeyedRateLimiter<ClientKey>,
    inbox_code_clients: DefaultKeyedRateLimiter<([u8; 32], ClientKey)>,
    inbox_codes: DefaultKeyedRateLimiter<[u8; 32]>,
    signin_accounts: DefaultKeyedRateLimiter<[u8; 32]>,
    signin_clients: DefaultKeyedRateLimiter<ClientKey>,
    /// Messages a person writes back from one reply inbox (per enquiry, by code hash).
    person_messages: DefaultKeyedRateLimiter<[u8; 32]>,
}

/// How much more a client may try in the reply inbox across codes than on one code: a
/// family may hold several codes; nobody needs more (and 80-bit codes cannot be found
/// by trying).
const INBOX_CODES_PER_CLIENT: u32 = 4;

impl Limiters {
    pub fn new(limits: &RateLimits) -> Arc<Self> {
        Arc::new(Self {
            enabled: limits.enabled,
            requests: RateLimiter::keyed(Quota::per_minute(nz(
                limits.requests_per_client_per_minute
            ))),
            submissions: RateLimiter::keyed(Quota::per_hour(nz(
                limits.submissions_per_client_per_hour
            ))),
            submissions_network: RateLimiter::keyed(Quota::per_hour(nz(
                limits.submissions_per_network_per_hour
            ))),
            onion_submissions: RateLimiter::direct(Quota::per_hour(nz(
                limits.onion_submissions_per_hour
            ))),
            submissions_global: RateLimiter::direct(Quota::per_hour(nz(
                limits.submissions_per_hour
            )))
            .with_middleware::<StateInformationMiddleware>(),
            alarm: Alarm::new(limits.submissions_per_hour.max(1)),
            inbox_clients: RateLimiter::keyed(Quota::per_minute(nz(limits
                .inbox_attempts_per_minute
                .saturating_mul(INBOX_CODES_PER_CLIENT)))),
            inbox_code_clients: RateLimiter::keyed(Quota::per_minute(nz(
                limits.inbox_attempts_per_minute
            ))),
            inbox_codes: RateLimiter::keyed(Quota::per_hour(nz(
                limits.inbox_attempts_per_code_per_hour
            ))),
            signin_accounts: RateLimiter::keyed(Quota::per_minute(nz(
                limits.signin_attempts_per_account_per_minute
            ))),
            signin_clients: RateLimiter::keyed(Quota::per_minute(nz(
                limits.signin_attempts_per_client_per_minute
            ))),
            // As many an hour on one enquiry as one client may send forms.
            person_messages: RateLimiter::keyed(Quota::per_hour(nz(
                limits.submissions_per_client_per_hour
            ))),
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Any request at all.
    pub fn allow_request(&self, client: &ClientKey) -> Result<(), Refused> {
        // The shared onion bucket is everyone on Tor without a circuit id: its
        // submissions have their own quota, so plain page views are not limited there.
        if !self.enabled || *client == ClientKey::Onion {
            return Ok(());
        }
        keyed(&self.requests, client, Limit::Client)
    }

    /// One submission: the client's quota, its network's share, then the global quota.
    /// A refusal by an earlier one leaves the later ones untouched, so a refused flood
    /// costs nobody else anything.
    pub fn allow_submission(&self, client: &ClientKey) -> Result<(), Refused> {
        if !self.enabled {
            return Ok(());
        }
        // The shared onion key is not one person: only the onion share applies to it.
        if *client != ClientKey::Onion {
            keyed(&self.submissions, client, Limit::Client)?;
        }
        if client.is_onion() {
            direct(&self.onion_submissions, Limit::Network)?;
        } else {
            keyed(&self.submissions_network, &client.network(), Limit::Network)?;
        }
        match self.submissions_global.check() {
            Ok(snapshot) => {
                self.alarm.observe(snapshot.remaining_burst_capacity());
                Ok(())
            }
            Err(not_until) => {
                self.alarm.observe(0);
                Err(Refused {
                    limit: Limit::Global,
                    wait: not_until.wait_time_from(self.submissions_global.clock().now()),
                })
            }
        }
    }

    /// How many more submissions the global quota would take right now (for metrics).
    pub fn global_submissions_remaining(&self) -> u32 {
        self.alarm.remaining.load(Ordering::Relaxed)
    }

    /// One reply-inbox sign-in attempt: per reference code and client, per client
    /// across codes, and a slow ceiling per code whoever tries. An attacker hammering
    /// one code from a handful of addresses stops at their own limits and leaves the
    /// owner, elsewhere, able to sign in (passphrases have 80 bits: the ceiling is
    /// not what stops guessing).
    pub fn allow_inbox_attempt(
        &self,
        client: &ClientKey,
        code_hash: &[u8; 32],
    ) -> Result<(), Refused> {
        if !self.enabled {
            return Ok(());
        }
        if *client != ClientKey::Onion {
            keyed(
                &self.inbox_code_clients,
                &(*code_hash, *client),
                Limit::Client,
            )?;
            keyed(&self.inbox_clients, client, Limit::Client)?;
        }
        keyed(&self.inbox_codes, code_hash, Limit::Code)
    }

    /// One message written back from a reply inbox (the codes already checked): the
    /// enquiry's own quota (as many an hour as a client may send forms), then the
    /// form's quotas for the client, its network and everyone, as a submission. Writing
    /// back is sending, and costs what sending a form costs.
    pub fn allow_person_message(
        &self,
        client: &ClientKey,
        code_hash: &[u8; 32],
    ) -> Result<(), Refused> {
        if !self.enabled {
            return Ok(());
        }
        keyed(&self.person_messages, code_hash, Limit::Code)?;
        self.allow_submission(client)
    }

    /// One staff sign-in attempt (password or second factor) for the account named by
    /// `account` (a hash of the typed email, whether or not such an account exists, so
    /// the limit itself reveals nothing). Always on, even with `HAVEN_RATE_LIMIT=off`:
    /// it guards accounts, not capacity.
    pub fn allow_signin(&self, client: &ClientKey, account: &[u8; 32]) -> SigninCheck {
        SigninCheck {
            account: self.signin_accounts.check_key(account).is_ok(),
            client: self.signin_clients.check_key(client).is_ok(),
        }
    }

    /// Forgets keys whose buckets are full again, so the maps stay bounded.
    pub fn prune(&self) {
        prune(&self.requests);
        prune(&self.submissions);
        prune(&self.submissions_network);
        prune(&self.inbox_clients);
        prune(&self.inbox_code_clients);
        prune(&self.inbox_codes);
        prune(&self.signin_accounts);
        prune(&self.signin_clients);
        prune(&self.person_messages);
    }

    /// Keys held across every keyed limiter (for tests and metrics).
    pub fn tracked_keys(&self) -> usize {
        self.requests.len()
            + self.submissions.len()
            + self.submissions_network.len()
            + self.inbox_clients.len()
            + self.inbox_code_clients.len()
            + self.inbox_codes.len()
            + self.signin_accounts.len()
            + self.signin_clients.len()
            + self.person_messages.len()
    }

    /// Prunes every `every` until the limiters are dropped.
    pub fn spawn_pruner(self: &Arc<Self>, every: Duration) {
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(limiters) => limiters.prune(),
                    None => break,
                }
            }
        });
    }
}

fn keyed<K: Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    limit: Limit,
) -> Result<(), Refused> {
    limiter.check_key(key).map_err(|not_until| Refused {
        limit,
        wait: not_until.wait_time_from(limiter.clock().now()),
    })
}

fn direct(limiter: &DefaultDirectRateLimiter, limit: Limit) -> Result<(), Refused> {
    limiter.check().map_err(|not_until| Refused {
        limit,
        wait: not_until.wait_time_from(limiter.clock().now()),
    })
}

fn prune<K: Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn v4(a: u8, b: u8, c: u8, d: u8) -> ClientKey {
        ClientKey::from_ip(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
    }

    fn limits(per_client: u32) -> RateLimits {
        RateLimits {
            submissions_per_client_per_hour: per_client,
            ..RateLimits::default()
        }
    }

    #[test]
    fn one_client_is_stopped_while_another_gets_through() {
        let l = Limiters::new(&limits(3));
        let a = v4(192, 0, 2, 1);
        let b = v4(192, 0, 2, 2);
        assert!((0..3).all(|_| l.allow_submission(&a).is_ok()));
        let refused = l.allow_submission(&a).unwrap_err();
        assert_eq!(refused.limit, Limit::Client);
        // 3 an hour: the next one is due in 20 minutes, not "an hour".
        assert!(
            (19..=20).contains(&refused.minutes()),
            "{refused:?} minutes {}",
            refused.minutes()
        );
        assert!(l.allow_submission(&b).is_ok());
    }

    #[test]
    fn a_flood_from_one_network_stops_at_its_share_and_leaves_the_global_quota() {
        let l = Limiters::new(&RateLimits {
            submissions_per_client_per_hour: 2,
            submissions_per_network_per_hour: 5,
            submissions_per_hour: 8,
            ..RateLimits::default()
        });
        let mut accepted = 0;
        for host in 0..=255u8 {
            for _ in 0..3 {
                if l.allow_submission(&v4(203, 0, 113, host)).is_ok() {
                    accepted += 1;
                }
            }
        }
        assert_eq!(accepted, 5, "the /24's share");
        assert_eq!(l.global_submissions_remaining(), 3);
        assert!(l.allow_submission(&v4(198, 51, 100, 7)).is_ok());
        // An IPv6 /48 is one network, whatever /64s it walks through.
        let six = |i: u16| {
            ClientKey::from_ip(IpAddr::V6(std::net::Ipv6Addr::new(
                0x2001, 0xdb8, 7, i, 0, 0, 0, 1,
            )))
        };
        let from_v6 = (0..50)
            .filter(|i| l.allow_submission(&six(*i)).is_ok())
            .count();
        assert_eq!(from_v6, 2, "the global quota's last two");
        let refused = l.allow_submission(&v4(192, 0, 2, 9)).unwrap_err();
        assert_eq!(refused.limit, Limit::Global);
    }

    #[test]
    fn onion_circuits_have_their_own_budgets_inside_the_onion_share() {
        let l = Limiters::new(&RateLimits {
            submissions_per_client_per_hour: 2,
            onion_submissions_per_hour: 5,
            ..RateLimits::default()
        });
        let c1 = ClientKey::Circuit(1);
        assert!(l.allow_submission(&c1).is_ok());
        assert!(l.allow_submission(&c1).is_ok());
        assert_eq!(l.allow_submission(&c1).unwrap_err().limit, Limit::Client);
        assert!(l.allow_submission(&ClientKey::Circuit(2)).is_ok());
        // Without circuit ids every onion visitor shares the onion share.
        assert!(l.allow_submission(&ClientKey::Onion).is_ok());
        assert!(l.allow_submission(&ClientKey::Onion).is_ok());
        assert_eq!(
            l.allow_submission(&ClientKey::Onion).unwrap_err().limit,
            Limit::Network
        );
        assert!(l.allow_submission(&v4(192, 0, 2, 1)).is_ok(), "clearnet");
    }

    #[test]
    fn switched_off_limits_allow_everything() {
        let l = Limiters::new(&RateLimits {
            enabled: false,
            ..limits(1)
        });
        let a = ClientKey::Unknown;
        assert!((0..100).all(|_| l.allow_submission(&a).is_ok()));
    }

    #[test]
    fn an_attacker_on_one_code_is_stopped_by_their_own_limits_not_the_owners() {
        let l = Limiters::new(&RateLimits::default());
        let code = [7u8; 32];
        let per = RateLimits::default().inbox_attempts_per_minute as usize;
        for attacker in 1..=20u8 {
            let tried = (0..10)
                .filter(|_| {
                    l.allow_inbox_attempt(&v4(203, 0, 113, attacker), &code)
                        .is_ok()
                })
                .count();
            assert_eq!(tried, per, "each address gets its own few tries");
        }
        assert!(l.allow_inbox_attempt(&v4(198, 51, 100, 1), &code).is_ok());
    }

    #[test]
    fn the_slow_ceiling_per_code_holds_across_addresses() {
        let l = Limiters::new(&RateLimits {
            inbox_attempts_per_code_per_hour: 12,
            ..RateLimits::default()
        });
        let code = [9u8; 32];
        let allowed = (0..40u8)
            .filter(|i| l.allow_inbox_attempt(&v4(198, 51, 100, *i), &code).is_ok())
            .count();
        assert_eq!(allowed, 12);
        let refused = l.allow_inbox_attempt(&v4(192, 0, 2, 1), &code).unwrap_err();
        assert_eq!(refused.limit, Limit::Code);
        assert!(l.allow_inbox_attempt(&v4(192, 0, 2, 1), &[1u8; 32]).is_ok());
    }

    #[test]
    fn the_alarm_levels_follow_the_global_figure() {
        let a = Alarm::new(100);
        assert_eq!(a.level(100), 0);
        assert_eq!(a.level(51), 0);
        assert_eq!(a.level(50), 1);
        assert_eq!(a.level(10), 2);
        assert_eq!(a.level(0), 3);
    }

    #[test]
    fn keyed_state_stays_bounded_after_many_distinct_clients() {
        let l = Limiters::new(&RateLimits {
            requests_per_client_per_minute: 1_000_000,
            ..RateLimits::default()
        });
        for i in 0..100_000u32 {
            let ip = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            assert!(l.allow_request(&ClientKey::from_ip(ip)).is_ok());
        }
        assert!(l.tracked_keys() >= 100_000);
        // A bucket of a million a minute refills one request's worth in 60 µs.
        std::thread::sleep(Duration::from_millis(5));
        l.prune();
        assert_eq!(l.tracked_keys(), 0);
    }

    #[test]
    fn writing_back_is_limited_per_enquiry_and_costs_the_forms_quota() {
        let l = Limiters::new(&RateLimits {
            submissions_per_client_per_hour: 3,
            submissions_per_network_per_hour: 1_000,
            ..RateLimits::default()
        });
        let (one, two) = ([1u8; 32], [2u8; 32]);
        // One enquiry, from many clients: its own quota stops it.
        for i in 0..3 {
            assert!(l.allow_person_message(&v4(198, 51, 100, i), &one).is_ok());
        }
        let refused = l
            .allow_person_message(&v4(198, 51, 100, 9), &one)
            .unwrap_err();
        assert_eq!(refused.limit, Limit::Code);
        // Another enquiry is not held up by it.
        assert!(l.allow_person_message(&v4(198, 51, 100, 9), &two).is_ok());
        // One client across enquiries: the form's client quota (its forms count too).
        let c = v4(203, 0, 113, 5);
        assert!(l.allow_submission(&c).is_ok());
        assert!(l.allow_person_message(&c, &[3u8; 32]).is_ok());
        assert!(l.allow_person_message(&c, &[4u8; 32]).is_ok());
        let refused = l.allow_person_message(&c, &[5u8; 32]).unwrap_err();
        assert_eq!(refused.limit, Limit::Client);
    }
}
