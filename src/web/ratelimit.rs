//! Per-client and global limits on the public form, built once at start-up and shared
//! by every worker thread (building a limiter twice would make two independent limits).

use std::hash::Hash;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client::ClientKey;
use crate::config::RateLimits;

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

pub struct Limiters {
    enabled: bool,
    requests: DefaultKeyedRateLimiter<ClientKey>,
    submissions: DefaultKeyedRateLimiter<ClientKey>,
    submissions_global: DefaultDirectRateLimiter,
    onion_submissions: DefaultDirectRateLimiter,
    inbox_clients: DefaultKeyedRateLimiter<ClientKey>,
    inbox_codes: DefaultKeyedRateLimiter<[u8; 32]>,
    signin_accounts: DefaultKeyedRateLimiter<[u8; 32]>,
    signin_clients: DefaultKeyedRateLimiter<ClientKey>,
    decrypts: DefaultKeyedRateLimiter<String>,
}

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
            submissions_global: RateLimiter::direct(Quota::per_hour(nz(
                limits.submissions_per_hour
            ))),
            onion_submissions: RateLimiter::direct(Quota::per_hour(nz(
                limits.onion_submissions_per_hour
            ))),
            inbox_clients: RateLimiter::keyed(Quota::per_minute(nz(
                limits.inbox_attempts_per_minute
            ))),
            inbox_codes: RateLimiter::keyed(Quota::per_minute(
                nz(limits.inbox_attempts_per_minute),
            )),
            signin_accounts: RateLimiter::keyed(Quota::per_minute(nz(
                limits.signin_attempts_per_account_per_minute
            ))),
            signin_clients: RateLimiter::keyed(Quota::per_minute(nz(
                limits.signin_attempts_per_client_per_minute
            ))),
            decrypts: RateLimiter::keyed(Quota::per_hour(nz(limits.decrypts_per_user_per_hour))),
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Any request at all.
    pub fn allow_request(&self, client: &ClientKey) -> bool {
        // The onion bucket is shared by all Tor visitors; its submissions have their own
        // quota below, so plain page views are not limited there.
        !self.enabled || *client == ClientKey::Onion || self.requests.check_key(client).is_ok()
    }

    /// One accepted submission: the client's quota, then the global one.
    pub fn allow_submission(&self, client: &ClientKey) -> bool {
        if !self.enabled {
            return true;
        }
        let client_ok = match client {
            ClientKey::Onion => self.onion_submissions.check().is_ok(),
            _ => self.submissions.check_key(client).is_ok(),
        };
        client_ok && self.submissions_global.check().is_ok()
    }

    /// One reply-inbox sign-in attempt, limited per client and per reference code (so
    /// rotating addresses does not help against one code).
    pub fn allow_inbox_attempt(&self, client: &ClientKey, code_hash: &[u8; 32]) -> bool {
        if !self.enabled {
            return true;
        }
        let by_client = *client == ClientKey::Onion || self.inbox_clients.check_key(client).is_ok();
        by_client && self.inbox_codes.check_key(code_hash).is_ok()
    }

    /// One staff sign-in attempt (password or second factor) for the account named by
    /// `account` (a hash of the typed email, whether or not such an account exists, so
    /// the limit itself reveals nothing). Always on, even with `HAVEN_RATE_LIMIT=off`:
    /// it guards accounts, not capacity.
    pub fn allow_signin(&self, client: &ClientKey, account: &[u8; 32]) -> bool {
        let by_account = self.signin_accounts.check_key(account).is_ok();
        let by_client = self.signin_clients.check_key(client).is_ok();
        by_account && by_client
    }

    /// One decrypting read by a staff member (ASVS 11.1.3): an insider, or a stolen
    /// session, working through every enquiry is stopped and shows up in the audit log.
    /// Always on, like the sign-in limits.
    pub fn allow_decrypt(&self, user_id: &str) -> bool {
        self.decrypts.check_key(&user_id.to_owned()).is_ok()
    }

    /// Forgets keys whose buckets are full again, so the maps stay bounded.
    pub fn prune(&self) {
        prune(&self.requests);
        prune(&self.submissions);
        prune(&self.inbox_clients);
        prune(&self.inbox_codes);
        prune(&self.signin_accounts);
        prune(&self.signin_clients);
        prune(&self.decrypts);
    }

    /// Keys held across every keyed limiter (for tests and metrics).
    pub fn tracked_keys(&self) -> usize {
        self.requests.len()
            + self.submissions.len()
            + self.inbox_clients.len()
            + self.inbox_codes.len()
            + self.signin_accounts.len()
            + self.signin_clients.len()
            + self.decrypts.len()
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

fn prune<K: Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    fn limits(per_client: u32) -> RateLimits {
        RateLimits {
            submissions_per_client_per_hour: per_client,
            ..RateLimits::default()
        }
    }

    #[test]
    fn one_client_is_stopped_while_another_gets_through() {
        let l = Limiters::new(&limits(3));
        let a = ClientKey::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        let b = ClientKey::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
        assert!((0..3).all(|_| l.allow_submission(&a)));
        assert!(!l.allow_submission(&a));
        assert!(l.allow_submission(&b));
    }

    #[test]
    fn switched_off_limits_allow_everything() {
        let l = Limiters::new(&RateLimits {
            enabled: false,
            ..limits(1)
        });
        let a = ClientKey::Unknown;
        assert!((0..100).all(|_| l.allow_submission(&a)));
    }

    #[test]
    fn inbox_attempts_are_limited_per_code_even_across_addresses() {
        let l = Limiters::new(&RateLimits::default());
        let code = [7u8; 32];
        let allowed = (0..20u8)
            .filter(|i| {
                l.allow_inbox_attempt(
                    &ClientKey::Ip(IpAddr::V4(Ipv4Addr::new(198, 51, 100, *i))),
                    &code,
                )
            })
            .count();
        assert_eq!(
            allowed,
            RateLimits::default().inbox_attempts_per_minute as usize
        );
    }

    #[test]
    fn keyed_state_stays_bounded_after_many_distinct_clients() {
        let l = Limiters::new(&RateLimits {
            requests_per_client_per_minute: 1_000_000,
            ..RateLimits::default()
        });
        for i in 0..100_000u32 {
            let ip = IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i));
            assert!(l.allow_request(&ClientKey::Ip(ip)));
        }
        assert!(l.tracked_keys() >= 100_000);
        // A bucket of a million a minute refills one request's worth in 60 µs.
        std::thread::sleep(Duration::from_millis(5));
        l.prune();
        assert_eq!(l.tracked_keys(), 0);
    }
}
