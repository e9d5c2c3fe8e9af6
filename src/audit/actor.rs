//! Who an audit entry says acted, and how it ended. Both are stored as the short
//! strings the log has always held (`user:<id>`, `cli`, `ok`, `denied`, …); the types
//! only make sure every writer spells them the same way.

use std::fmt;
use std::str::FromStr;

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Actor {
    /// A staff member, by user id (`user:<id>`). The same string names a staff member
    /// as an entry's subject, so the viewer can follow one person either way.
    Staff(String),
    /// The operator at the command line (`cli`).
    Cli,
    /// A part of Haven acting on its own schedule (`system:<task>`).
    System(SystemTask),
    /// An outbound worker, by its name (`worker:<name>`).
    Worker(String),
    /// Someone not (yet) known: a sign-in for no account, or before one is named
    /// (`anonymous`).
    Anonymous,
}

/// Background tasks that act without a person behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemTask {
    /// The retention purge run by `haven serve` (`system:purge`).
    Purge,
    /// Re-sealing after a key rotation, in the worker's minute-by-minute batches
    /// (`system:rotation`).
    Rotation,
    /// Computing the email blind index of new enquiries from their sealed contact
    /// (`system:contact-index`).
    ContactIndex,
    /// Carrying out what people asked for in their reply inbox: a new passphrase,
    /// a withdrawal (`system:own-requests`).
    OwnRequests,
    /// Confirming contact addresses: sending codes, applying what the inbox asked
    /// (`system:contact-confirm`).
    ContactConfirm,
}

impl SystemTask {
    pub const fn as_str(self) -> &'static str {
        match self {
            SystemTask::Purge => "purge",
            SystemTask::Rotation => "rotation",
            SystemTask::ContactIndex => "contact-index",
            SystemTask::OwnRequests => "own-requests",
            SystemTask::ContactConfirm => "contact-confirm",
        }
    }
}

impl Actor {
    pub fn staff(user_id: &str) -> Self {
        Actor::Staff(user_id.to_owned())
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Staff(id) => write!(f, "user:{id}"),
            Actor::Cli => f.write_str("cli"),
            Actor::System(task) => write!(f, "system:{}", task.as_str()),
            Actor::Worker(name) => write!(f, "worker:{name}"),
            Actor::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// A stored actor string that is none of the above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an audit actor")]
pub struct UnknownActor;

impl FromStr for Actor {
    type Err = UnknownActor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cli" => return Ok(Actor::Cli),
            "anonymous" => return Ok(Actor::Anonymous),
            "system:purge" => return Ok(Actor::System(SystemTask::Purge)),
            "system:rotation" => return Ok(Actor::System(SystemTask::Rotation)),
            "system:contact-index" => return Ok(Actor::System(SystemTask::ContactIndex)),
            "system:own-requests" => return Ok(Actor::System(SystemTask::OwnRequests)),
            _ => {}
        }
        match s.split_once(':') {
            Some(("user", id)) if !id.is_empty() => Ok(Actor::Staff(id.to_owned())),
            Some(("worker", name)) if !name.is_empty() => Ok(Actor::Worker(name.to_owned())),
            _ => Err(UnknownActor),
        }
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Ok,
    /// Refused by a rule (permission, the second approver, consent).
    Denied,
    /// Attempted and did not happen (a look-up that found nothing).
    Failed,
    /// Something an auditor should look at: a cap hit, a code reused, a guard refusal,
    /// keys destroyed.
    Alert,
    /// Refused by a throttle before any secret was checked.
    Throttled,
}

impl Outcome {
    pub const ALL: &'static [Outcome] = &[
        Outcome::Ok,
        Outcome::Denied,
        Outcome::Failed,
        Outcome::Alert,
        Outcome::Throttled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
            Outcome::Alert => "alert",
            Outcome::Throttled => "throttled",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_actor_round_trips_through_its_stored_string() {
        let cases = [
            (Actor::staff("3f2a9c"), "user:3f2a9c"),
            (Actor::Cli, "cli"),
            (Actor::System(SystemTask::Purge), "system:purge"),
            (Actor::System(SystemTask::Rotation), "system:rotation"),
            (
                Actor::System(SystemTask::ContactIndex),
                "system:contact-index",
            ),
            (Actor::Worker("host-1".into()), "worker:host-1"),
            (Actor::Anonymous, "anonymous"),
        ];
        for (actor, stored) in cases {
            assert_eq!(actor.to_string(), stored);
            assert_eq!(stored.parse::<Actor>(), Ok(actor));
        }
        for bad in ["", "user:", "worker:", "system:other", "test", "User:1"] {
            assert_eq!(bad.parse::<Actor>(), Err(UnknownActor), "{bad}");
        }
    }

    #[test]
    fn outcomes_are_the_stored_words() {
        let words: Vec<_> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(words, ["ok", "denied", "failed", "alert", "throttled"]);
    }
}
