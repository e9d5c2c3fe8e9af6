//! Verifying a caller without learning their secret (issue 22, item 2). An agent shows
//! a one-time number on the enquiry's verify page; the caller types it into their
//! reply inbox (which only they can open, with their code and passphrase); the agent's
//! page then says "verified". Neither side stores the number: the console keeps its
//! keyed hash ([`number_hash`], bound to the enquiry, so a number issued for another
//! enquiry never matches), the inbox inserts the keyed hash of what was typed, and
//! [`verdict`] compares them: only answers inside the number's lifetime count, and only
//! the first [`MAX_ATTEMPTS`] of them.

use subtle::ConstantTimeEq;

use crate::crypto::IntakeKey;
use crate::store::{CallerAnswer, CallerCheck};

/// Digits in a number: short enough to read out and type on a phone.
pub const DIGITS: usize = 6;
/// How long a number may be typed in.
pub const LIFETIME_SECS: i64 = 5 * 60;
/// Answers counted per number: after that many wrong ones the number is spent.
pub const MAX_ATTEMPTS: usize = 3;
/// The inbox sign-in form's optional field.
pub const FIELD: &str = "caller_number";

/// A fresh number, uniform over `000000..=999999`.
pub fn generate() -> String {
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).expect("the operating system's random number generator failed");
        let n = u32::from_le_bytes(b);
        // Reject the top sliver so every number is equally likely.
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// What was typed, as the digits of a number (spaces and dashes dropped, Eastern
/// Arabic and Persian digits read as digits); `None` if it is not a number at all.
pub fn parse(typed: &str) -> Option<String> {
    let digits = super::form::ascii_digits(typed);
    let digits: String = digits
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The keyed hash of a number for one enquiry (intake key: the console and the inbox
/// both hold it; the database alone cannot test guesses).
pub fn number_hash(key: &IntakeKey, enquiry_id: &str, number: &str) -> [u8; 32] {
    key.mac(
        "haven/caller-check",
        &[enquiry_id.as_bytes(), number.as_bytes()],
    )
}

/// Where a check stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The right number was typed in time.
    Verified,
    /// Nothing right yet, and the number may still be typed.
    Waiting,
    /// Its lifetime passed without the right number.
    Expired,
    /// Too many wrong numbers: it is spent.
    TooManyAttempts,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Waiting => "waiting",
            Self::Expired => "expired",
            Self::TooManyAttempts => "too-many-attempts",
        }
    }
}

/// The verdict on `check` from what the enquiry's inbox recorded, at `now`.
pub fn verdict(check: &CallerCheck, answers: &[CallerAnswer], now: i64) -> Verdict {
    let in_time: Vec<&CallerAnswer> = answers
        .iter()
        .filter(|a| a.answered_at >= check.created_at && a.answered_at <= check.expires_at)
        .collect();
    let counted = in_time.iter().take(MAX_ATTEMPTS);
    if counted
        .clone()
        .any(|a| bool::from(a.number_hash.ct_eq(&check.number_hash)))
    {
        return Verdict::Verified;
    }
    if in_time.len() >= MAX_ATTEMPTS {
        Verdict::TooManyAttempts
    } else if now > check.expires_at {
        Verdict::Expired
    } else {
        Verdict::Waiting
    }
}

/// The reply inbox's side, after a successful sign-in: records what was typed in the
/// optional number field (nothing when it was left empty). A malformed number is
/// recorded too, as a wrong one: it counts against the attempts.
pub async fn record(
    store: &crate::store::Store,
    key: &IntakeKey,
    programme_id: &str,
    code_hash: &[u8],
    typed: Option<&str>,
    now: i64,
) -> Result<(), crate::store::StoreError> {
    let typed = typed.map(str::trim).unwrap_or("");
    if typed.is_empty() {
        return Ok(());
    }
    let Some(record) = store.inbox_enquiry(programme_id, code_hash).await? else {
        return Ok(());
    };
    let number = parse(typed).unwrap_or_else(|| typed.chars().take(40).collect());
    store
        .insert_caller_answer(&record.id, &number_hash(key, &record.id, &number), now)
        .await
}

/// The inbox sign-in form's optional field: a number a staff member gave on the phone.
pub fn sign_in_field(lang: crate::domain::Language) -> maud::Markup {
    use crate::i18n::t;
    maud::html! {
        div class="field" {
            label for="f-caller-number" { (t(lang, "caller-number-label")) " " (t(lang, "field-optional")) }
            span class="hint" id="f-caller-number-hint" { (t(lang, "caller-number-hint")) }
            input type="text" id="f-caller-number" name=(FIELD) dir="ltr" inputmode="numeric"
                autocomplete="off" spellcheck="false" aria-describedby="f-caller-number-hint";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(key: &IntakeKey, number: &str) -> CallerCheck {
        CallerCheck {
            id: "c".into(),
            enquiry_id: "e1".into(),
            staff_id: "s".into(),
            number_hash: number_hash(key, "e1", number).to_vec(),
            created_at: 1_000,
            expires_at: 1_000 + LIFETIME_SECS,
        }
    }

    fn answer(key: &IntakeKey, enquiry: &str, number: &str, at: i64) -> CallerAnswer {
        CallerAnswer {
            number_hash: number_hash(key, enquiry, number).to_vec(),
            answered_at: at,
        }
    }

    #[test]
    fn only_the_right_number_for_this_enquiry_in_time_and_within_the_attempts_verifies() {
        let key = IntakeKey::generate();
        let c = check(&key, "123456");
        assert_eq!(verdict(&c, &[], 1_001), Verdict::Waiting);
        assert_eq!(verdict(&c, &[], 2_000), Verdict::Expired);
        let right = answer(&key, "e1", "123456", 1_010);
        assert_eq!(
            verdict(&c, std::slice::from_ref(&right), 1_011),
            Verdict::Verified
        );
        // Another enquiry's number, a wrong number, a late one.
        let other = answer(&key, "e2", "123456", 1_010);
        assert_eq!(verdict(&c, &[other], 1_011), Verdict::Waiting);
        let late = answer(&key, "e1", "123456", 1_001 + LIFETIME_SECS);
        assert_eq!(verdict(&c, &[late], 2_000), Verdict::Expired);
        // Three wrong ones spend it; the right one after them does not count.
        let wrong: Vec<_> = (0..3)
            .map(|i| answer(&key, "e1", "000000", 1_001 + i))
            .chain([right])
            .collect();
        assert_eq!(verdict(&c, &wrong, 1_100), Verdict::TooManyAttempts);
    }

    #[test]
    fn numbers_are_six_digits_and_typed_ones_are_read_leniently() {
        for _ in 0..100 {
            let n = generate();
            assert_eq!(parse(&n).as_deref(), Some(n.as_str()));
        }
        assert_eq!(parse("123 456").as_deref(), Some("123456"));
        assert_eq!(parse("۱۲۳-۴۵۶").as_deref(), Some("123456"));
        assert_eq!(parse("12345"), None);
        assert_eq!(parse("abcdef"), None);
    }
}
