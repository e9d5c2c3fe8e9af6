//! The states Haven stores as words (`campaigns.state`, `referrals.state`,
//! `referrals.delivery`, `outbox.state`), as enums. The store parses a row once as it
//! reads it (an unknown word is a corrupt row, not a string compared somewhere later);
//! the stored words are unchanged (the SQL, CHECK constraints and exports use them),
//! and a state compares equal to its word, so `state == "pending"` still reads as it
//! did. A leaf module: the store, case work and the pages all use these types.

/// A state stored as a word: what the store needs to read one back.
pub trait Stored: Sized {
    fn parse_stored(word: &str) -> Option<Self>;
    /// The store's error for a row holding a word that is none of these.
    const UNKNOWN: &'static str;
}

macro_rules! stored_state {
    ($(#[$doc:meta])* $name:ident, $what:literal, { $($(#[$vdoc:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(word: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|s| s.as_str() == word)
            }

        }

        impl Stored for $name {
            fn parse_stored(word: &str) -> Option<Self> {
                Self::parse(word)
            }
            const UNKNOWN: &'static str = concat!("unknown ", $what);
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Audit details and exports carry the stored word.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
    };
}

stored_state!(
    /// Where a campaign is: waiting for a second supervisor, sent, or cancelled.
    CampaignState, "campaign state", {
        Pending => "pending",
        Dispatched => "dispatched",
        Cancelled => "cancelled",
    }
);

stored_state!(
    /// Where a referral is in the register.
    ReferralState, "referral state", {
        /// Personal data: waiting for a second supervisor.
        Pending => "pending",
        /// Approved (or needing no approval), to be downloaded by its requester.
        Ready => "ready",
        /// Its one message is in the outbox (or sent).
        Queued => "queued",
        Downloaded => "downloaded",
        /// By a person, or stopped by Haven (`stopped_reason` says why).
        Cancelled => "cancelled",
    }
);

stored_state!(
    /// How a referral's package reaches the partner.
    Delivery, "referral delivery", {
        /// One message to the partner's address, sent by the outbound worker.
        Email => "email",
        /// Downloaded by the agent who asked for it, once.
        Download => "download",
    }
);

stored_state!(
    /// Where an outbox row is.
    OutboxState, "outbox state", {
        Queued => "queued",
        /// Claimed by a worker, under a lease.
        Sending => "sending",
        Sent => "sent",
        /// For good (a refusal, 5xx, or too many attempts).
        Failed => "failed",
    }
);

impl CampaignState {
    pub fn is_pending(self) -> bool {
        self == Self::Pending
    }
}

impl ReferralState {
    /// Whether something has left Haven (or is on its way to the partner).
    pub fn disclosed(self) -> bool {
        matches!(self, Self::Queued | Self::Downloaded)
    }

    /// Whether it has not left and may still be cancelled by a person.
    pub fn cancellable(self) -> bool {
        matches!(self, Self::Pending | Self::Ready)
    }
}

impl OutboxState {
    /// Still to be sent (or being sent).
    pub fn in_flight(self) -> bool {
        matches!(self, Self::Queued | Self::Sending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_through_its_stored_word() {
        for s in CampaignState::ALL {
            assert_eq!(CampaignState::parse(s.as_str()), Some(*s));
        }
        for s in ReferralState::ALL {
            assert_eq!(ReferralState::parse(s.as_str()), Some(*s));
        }
        for s in OutboxState::ALL {
            assert_eq!(OutboxState::parse(s.as_str()), Some(*s));
        }
        for s in Delivery::ALL {
            assert_eq!(Delivery::parse(s.as_str()), Some(*s));
        }
        assert_eq!(ReferralState::Pending, "pending");
        assert_eq!(ReferralState::parse("sent"), None);
        assert_eq!(CampaignState::parse("Pending"), None);
    }
}
