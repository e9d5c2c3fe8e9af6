//! How both outbound queues (the outbox and staff notices) retry: a temporary failure
//! waits an exponentially growing, jittered delay, up to a number of attempts, after
//! which the message is failed for good.

use std::time::Duration;

/// The retry rules a worker applies to what it claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Back-off after the first temporary failure; doubles with each attempt.
    pub base: Duration,
    pub max: Duration,
    /// Claims before a message is given up as failed.
    pub max_attempts: i64,
    /// How long a claim holds what it took.
    pub lease: Duration,
}

impl RetryPolicy {
    /// The lease in whole seconds, as stored (at least one).
    pub fn lease_seconds(&self) -> i64 {
        self.lease.as_secs().max(1) as i64
    }
}

/// The delay before attempt `attempts + 1`: `base · 2^(attempts−1)`, capped at `max`,
/// then a random point in its upper half, so that messages that failed together (a
/// relay outage) do not all come back together.
pub fn backoff(attempts: i64, base: Duration, max: Duration) -> Duration {
    let exponent = attempts.clamp(1, 32) as u32 - 1;
    let full = base.saturating_mul(2u32.saturating_pow(exponent)).min(max);
    let mut r = [0u8; 8];
    // Without randomness the back-off is merely not jittered.
    let _ = getrandom::fill(&mut r);
    let fraction = (u64::from_le_bytes(r) >> 11) as f64 / (1u64 << 53) as f64;
    full.mul_f64(0.5 + 0.5 * fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_is_capped_and_jittered_in_its_upper_half() {
        let base = Duration::from_secs(30);
        let max = Duration::from_secs(3600);
        for (attempts, full) in [(1, 30), (2, 60), (3, 120), (8, 3600), (40, 3600)] {
            for _ in 0..50 {
                let d = backoff(attempts, base, max).as_secs_f64();
                assert!(
                    d >= full as f64 / 2.0 && d <= full as f64,
                    "{attempts}: {d}"
                );
            }
        }
        let spread: std::collections::BTreeSet<u128> =
            (0..20).map(|_| backoff(3, base, max).as_millis()).collect();
        assert!(spread.len() > 1, "jittered");
        assert_eq!(backoff(3, Duration::ZERO, max), Duration::ZERO);
    }
}
