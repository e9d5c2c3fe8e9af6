//! Case work on enquiries: who may do what ([`permit`], for enquiries and for the
//! campaigns, referrals and programme pages around them), and how an enquiry's status
//! may move. Pure rules with no I/O, so every decision the console makes is tested
//! here without HTTP or a database.

pub mod notes;
mod permit;

pub use permit::{Action, Case, Member, Refusal, Subject, permit};

use std::fmt;

/// A staff member's role in one programme. Ordered: each role can do everything the
/// one before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum ProgrammeRole {
    Agent,
    Supervisor,
    Admin,
}

impl ProgrammeRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent" => Some(Self::Agent),
            "supervisor" => Some(Self::Supervisor),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for ProgrammeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an enquiry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    New,
    InProgress,
    AwaitingReply,
    /// The person wrote back in their reply inbox: only the system moves an enquiry
    /// here (never a member of staff), and it goes back to the top of its queue.
    PersonReplied,
    Closed,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Audit details and exports carry the stored word.
impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Status {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::AwaitingReply,
        Status::PersonReplied,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::AwaitingReply => "awaiting_reply",
            Self::PersonReplied => "person_replied",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The Fluent message naming this status to staff.
    pub fn label_id(self) -> &'static str {
        match self {
            Self::New => "console-status-new",
            Self::InProgress => "console-status-in-progress",
            Self::AwaitingReply => "console-status-awaiting-reply",
            Self::PersonReplied => "console-status-person-replied",
            Self::Closed => "console-status-closed",
        }
    }

    /// The moves staff may make. Reopening a closed enquiry puts it back in progress;
    /// nothing goes back to `new`, which means "nobody has looked at it yet".
    pub fn can_move_to(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (New, InProgress)
                | (New, Closed)
                | (InProgress, AwaitingReply)
                | (InProgress, Closed)
                | (AwaitingReply, InProgress)
                | (AwaitingReply, Closed)
                | (PersonReplied, InProgress)
                | (PersonReplied, AwaitingReply)
                | (PersonReplied, Closed)
                | (Closed, InProgress)
        )
    }

    /// The statuses reachable from this one, in display order.
    pub fn next(self) -> Vec<Status> {
        Self::ALL
            .into_iter()
            .filter(|to| self.can_move_to(*to))
            .collect()
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }
}

/// How long ago, for the console ("3 h", "2 d" in English): coarse, like the timestamps.
pub fn age_label(seconds: i64) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    let s = seconds.max(0);
    match s {
        s if s < 3600 => Msg::new("console-age-under-hour"),
        s if s < 48 * 3600 => Msg::new("console-age-hours").arg("n", (s / 3600).to_string()),
        s => Msg::new("console-age-days").arg("n", (s / 86_400).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn status_moves_follow_the_workflow() {
        let allowed = [
            (New, InProgress),
            (New, Closed),
            (InProgress, AwaitingReply),
            (InProgress, Closed),
            (AwaitingReply, InProgress),
            (AwaitingReply, Closed),
            (PersonReplied, InProgress),
            (PersonReplied, AwaitingReply),
            (PersonReplied, Closed),
            (Closed, InProgress),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_move_to(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn ages_are_coarse() {
        let en = |s| age_label(s).render(crate::domain::Language::En);
        assert_eq!(en(-5), "< 1 h");
        assert_eq!(en(3599), "< 1 h");
        assert_eq!(en(7200), "2 h");
        assert_eq!(en(47 * 3600), "47 h");
        assert_eq!(en(3 * 86_400 + 5), "3 d");
    }
}
