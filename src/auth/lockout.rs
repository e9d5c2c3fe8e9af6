//! Escalation after repeated wrong second-factor codes.
//!
//! The code step is throttled per account (5 tries a minute), but at that pace a
//! six-digit code would fall within weeks to someone who already has the password. So
//! wrong codes also add up across minutes, and every [`FAILURES_PER_LOCK`]-th one
//! locks the second factor for a while (doubling each time, up to a day), emails the
//! account's own address and writes an `alert` to the audit log.
//!
//! Only a session that got past the password reaches the code step: a stranger cannot
//! start this, and someone who can is holding the password (the email says so). A
//! right code ends the run.

/// Wrong codes (since the last right one) that lock the second factor.
pub const FAILURES_PER_LOCK: i64 = 10;

/// The longest lock.
pub const MAX_LOCK_SECS: i64 = 24 * 3600;

/// How long the `nth` lock of a run lasts (the first is one hour, then doubling).
pub fn lock_secs(nth: i64) -> i64 {
    let doublings = (nth.max(1) - 1).min(16) as u32;
    (3600_i64 << doublings).min(MAX_LOCK_SECS)
}

/// What one more wrong code does, given the run so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Counted; `left` more before a lock.
    Counted { left: i64 },
    /// This failure locks the second factor until `until` (the `nth` lock of the run).
    Locked { until: i64, nth: i64 },
}

/// The rule, given the failures counted before this one and the locks of this run.
pub fn after_failure(failures_before: i64, locks_before: i64, at: i64) -> AfterFailure {
    let failures = failures_before + 1;
    if failures >= FAILURES_PER_LOCK {
        let nth = locks_before + 1;
        AfterFailure::Locked {
            until: at + lock_secs(nth),
            nth,
        }
    } else {
        AfterFailure::Counted {
            left: FAILURES_PER_LOCK - failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenth_wrong_code_locks_and_each_lock_of_a_run_is_longer() {
        assert_eq!(after_failure(0, 0, 100), AfterFailure::Counted { left: 9 });
        assert_eq!(after_failure(8, 0, 100), AfterFailure::Counted { left: 1 });
        assert_eq!(
            after_failure(9, 0, 100),
            AfterFailure::Locked {
                until: 100 + 3600,
                nth: 1
            }
        );
        assert_eq!(lock_secs(1), 3600);
        assert_eq!(lock_secs(2), 7200);
        assert_eq!(lock_secs(5), 16 * 3600);
        assert_eq!(lock_secs(6), MAX_LOCK_SECS);
        assert_eq!(lock_secs(1000), MAX_LOCK_SECS);
    }

    #[test]
    fn at_most_a_few_dozen_guesses_a_day_once_locks_are_long() {
        // After five locks, ten guesses a day: a 1-in-100,000 chance a day against a
        // code accepted within ±1 step (3 codes of 10^6).
        let per_day = FAILURES_PER_LOCK as f64 * (86_400.0 / lock_secs(6) as f64);
        assert!(per_day <= 10.0);
    }
}
