//! What signing in decides, apart from how it is asked and answered: which accounts a
//! right password lets in, at which stage, and what each refused attempt is called in
//! the audit log. The console's handlers (`console::signin`) count, hash and store;
//! these rules are theirs to ask, and testable without a database.

use crate::audit::Outcome;
use crate::auth::session::Stage;
use crate::store::UserRecord;

/// Why a password step did not let someone in. Every one gets the same page; they
/// differ in the audit log and the metrics only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Longer than any password can be: refused before hashing, and not recorded.
    Oversized,
    /// An account exists and the password does not match.
    WrongPassword,
    /// No account has the address (a dummy hash ran, so the timing says nothing).
    UnknownAccount,
    /// The right password for a disabled account.
    Disabled,
    /// The right password for an account whose first-login setup expired.
    EnrolmentLapsed,
}

impl Refusal {
    /// The `reason` of the `signin.failed` entry (an unknown account's is "password",
    /// so the log does not tell made-up addresses from mistyped passwords by reason).
    pub fn reason(self) -> &'static str {
        match self {
            Self::Oversized | Self::WrongPassword | Self::UnknownAccount => "password",
            Self::Disabled => "disabled",
            Self::EnrolmentLapsed => "enrolment-lapsed",
        }
    }
}

/// Whether `user` (the account with the typed address, if any) may go on after its
/// password was checked (`matches`) at time `at`.
pub fn judge(user: Option<&UserRecord>, matches: bool, at: i64) -> Result<(), Refusal> {
    match user {
        None => Err(Refusal::UnknownAccount),
        Some(_) if !matches => Err(Refusal::WrongPassword),
        Some(u) if u.disabled => Err(Refusal::Disabled),
        Some(u) if enrolment_lapsed(u, at) => Err(Refusal::EnrolmentLapsed),
        Some(_) => Ok(()),
    }
}

/// First-login secrets expire: an account that never set up its second factor in
/// time must be reset by an admin.
pub fn enrolment_lapsed(user: &UserRecord, at: i64) -> bool {
    user.totp_ciphertext.is_none() && user.enrol_by.is_some_and(|by| at > by)
}

/// The stage a right password leads to: the code when the account has TOTP, setting
/// it up when the account must have a second factor and has none, else signed in.
pub fn stage_after_password(user: &UserRecord, needs_second_factor: bool) -> Stage {
    if user.totp_ciphertext.is_some() {
        Stage::SecondFactor
    } else if needs_second_factor {
        Stage::Enrol
    } else {
        Stage::Full
    }
}

/// The second factor that let someone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Totp,
    RecoveryCode,
}

impl Factor {
    /// The `second` of the `signin.ok` entry.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::RecoveryCode => "recovery-code",
        }
    }
}

/// Why a second-factor code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not the current TOTP code.
    Totp,
    /// A TOTP code already used (here or on another instance).
    TotpReused,
    /// Not an unused recovery code of the account.
    RecoveryCode,
    /// The account has no TOTP and the input is not a recovery code.
    NoFactor,
}

impl CodeRefusal {
    /// The `reason` of the `signin.failed` entry.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::TotpReused => "totp-reused",
            Self::RecoveryCode => "recovery-code",
            Self::NoFactor => "no-factor",
        }
    }

    /// A code used twice may mean someone watched it being typed: an alert.
    pub fn outcome(self) -> Outcome {
        match self {
            Self::TotpReused => Outcome::Alert,
            _ => Outcome::Denied,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> UserRecord {
        UserRecord {
            id: "u1".into(),
            email: "a@example.org".into(),
            password_hash: String::new(),
            is_admin: false,
            totp_ciphertext: Some(vec![1]),
            totp_last_step: None,
            enrol_by: None,
            disabled: false,
            created_at: 0,
        }
    }

    #[test]
    fn a_right_password_for_an_active_account_lets_in() {
        assert_eq!(judge(Some(&user()), true, 100), Ok(()));
    }

    #[test]
    fn unknown_and_wrong_are_told_apart_only_by_the_variant() {
        assert_eq!(judge(None, false, 0), Err(Refusal::UnknownAccount));
        // Even if a dummy check somehow matched, no account means no way in.
        assert_eq!(judge(None, true, 0), Err(Refusal::UnknownAccount));
        assert_eq!(judge(Some(&user()), false, 0), Err(Refusal::WrongPassword));
        assert_eq!(Refusal::UnknownAccount.reason(), "password");
        assert_eq!(Refusal::WrongPassword.reason(), "password");
    }

    #[test]
    fn a_disabled_account_is_refused_only_after_its_password_matched() {
        let disabled = UserRecord {
            disabled: true,
            ..user()
        };
        assert_eq!(judge(Some(&disabled), true, 0), Err(Refusal::Disabled));
        assert_eq!(
            judge(Some(&disabled), false, 0),
            Err(Refusal::WrongPassword)
        );
        assert_eq!(Refusal::Disabled.reason(), "disabled");
    }

    #[test]
    fn first_login_lapses_after_its_deadline_unless_totp_is_set_up() {
        let new = UserRecord {
            totp_ciphertext: None,
            enrol_by: Some(1_000),
            ..user()
        };
        assert_eq!(judge(Some(&new), true, 1_000), Ok(()));
        assert_eq!(
            judge(Some(&new), true, 1_001),
            Err(Refusal::EnrolmentLapsed)
        );
        assert_eq!(Refusal::EnrolmentLapsed.reason(), "enrolment-lapsed");
        let enrolled = UserRecord {
            enrol_by: Some(1_000),
            ..user()
        };
        assert_eq!(judge(Some(&enrolled), true, 5_000), Ok(()));
    }

    #[test]
    fn the_stage_after_the_password() {
        assert_eq!(stage_after_password(&user(), false), Stage::SecondFactor);
        let none = UserRecord {
            totp_ciphertext: None,
            ..user()
        };
        assert_eq!(stage_after_password(&none, true), Stage::Enrol);
        assert_eq!(stage_after_password(&none, false), Stage::Full);
    }

    #[test]
    fn only_a_reused_code_is_an_alert() {
        assert_eq!(CodeRefusal::TotpReused.outcome(), Outcome::Alert);
        for r in [
            CodeRefusal::Totp,
            CodeRefusal::RecoveryCode,
            CodeRefusal::NoFactor,
        ] {
            assert_eq!(r.outcome(), Outcome::Denied);
        }
        assert_eq!(CodeRefusal::TotpReused.reason(), "totp-reused");
        assert_eq!(Factor::RecoveryCode.as_str(), "recovery-code");
    }
}
