//! Turning a valid submission into a stored enquiry: route it, seal it, hash what must
//! be looked up later. Runs in the public role, so it uses only the programme's
//! public recipient and the intake key.

use crate::crypto::{CryptoError, IntakeKey, random_id};
use crate::domain::{Language, Passphrase, ReferenceCode};
use crate::enquiry::{ContactChoice, EnquiryContent, MailDetails};
use crate::intake::form::ValidSubmission;
use crate::programme::Answers;
use crate::programme::live::LiveProgramme;
use crate::store::{NewEnquiry, hour_of};
use crate::triage::route;

/// What the person is shown once their enquiry is committed. Shown once, never stored
/// in the clear.
#[derive(Debug)]
pub struct Receipt {
    pub reference: ReferenceCode,
    pub passphrase: Passphrase,
}

pub fn reference_hash(key: &IntakeKey, code: &ReferenceCode) -> [u8; 32] {
    key.mac("haven/reference", &[code.canonical().as_bytes()])
}

/// `salt ‖ tag`. The passphrase is machine-made with 80 bits of entropy, so a keyed
/// fast hash is enough (a slow password hash would only defend human-chosen secrets,
/// and would cap intake at a few submissions a second).
pub fn passphrase_hash(key: &IntakeKey, pass: &Passphrase) -> Vec<u8> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random number generator failed");
    let tag = key.mac(
        "haven/passphrase",
        &[&salt, pass.expose_canonical().as_bytes()],
    );
    [salt.as_slice(), tag.as_slice()].concat()
}

pub fn passphrase_matches(key: &IntakeKey, stored: &[u8], pass: &Passphrase) -> bool {
    if stored.len() != 48 {
        return false;
    }
    let (salt, tag) = stored.split_at(16);
    key.verify(
        "haven/passphrase",
        &[salt, pass.expose_canonical().as_bytes()],
        tag,
    )
}

/// What an enquiry is made of before it is sealed, however it arrived: the web form
/// (after validation) or an imported email.
#[derive(Debug)]
pub struct NewIntake {
    pub answers: Answers,
    pub contact: ContactChoice,
    pub language: Language,
    /// `web`, `imported` or `phone` (a clear column: staff see how it arrived).
    pub source: &'static str,
    pub mail: Option<MailDetails>,
}

/// The one path from what a person sent to a sealed enquiry: routing by the
/// programme's rules, a new reference code and passphrase, the reply-inbox key, and
/// one age ciphertext of everything personal. No email blind index: its key is
/// derived from the master key, which this code (run by the public role) never has;
/// the worker computes it from the sealed contact (`contact_index`).
pub fn seal(
    live: &LiveProgramme,
    intake: NewIntake,
    key: &IntakeKey,
    now: i64,
) -> Result<(NewEnquiry, Receipt), CryptoError> {
    seal_amended(live, intake, key, now, |_| {})
}

/// As [`seal`], with `amend` adding to the content before it is sealed (a phone
/// intake's call details, `intake::phone`).
pub fn seal_amended(
    live: &LiveProgramme,
    intake: NewIntake,
    key: &IntakeKey,
    now: i64,
    amend: impl FnOnce(&mut EnquiryContent),
) -> Result<(NewEnquiry, Receipt), CryptoError> {
    let reference = ReferenceCode::generate();
    let passphrase = Passphrase::generate();
    let route = route(&live.programme.file().routing, &intake.answers);
    let has_email = matches!(intake.contact, ContactChoice::Email(_));
    let mut content = EnquiryContent::new(
        &reference,
        intake.language.tag(),
        intake.answers,
        &intake.contact,
    );
    content.mail = intake.mail;
    amend(&mut content);
    let inbox_recipient = crate::crypto::inbox::inbox_recipient(&reference, &passphrase)?;
    // "What you sent" (issue 21, item 6), where the programme shows it: the answers
    // without contact details, sealed to the inbox key alone. Imported mail has no
    // inbox the person knows of.
    let own_copy = if live.programme.file().show_sent_in_inbox && intake.source != "imported" {
        Some(
            crate::own::OwnCopy::without_contact(
                &live.programme,
                intake.language,
                &content.answers,
            )
            .seal_to(&inbox_recipient)?,
        )
    } else {
        None
    };
    let enquiry = NewEnquiry {
        id: random_id(),
        programme_id: live.id.clone(),
        form_version: live.version,
        reference_hash: reference_hash(key, &reference).to_vec(),
        passphrase_hash: passphrase_hash(key, &passphrase),
        queue: route.queue,
        priority: i64::from(route.priority),
        language: intake.language.tag().to_owned(),
        source: intake.source,
        has_email,
        contact_index: None,
        inbox_recipient: Some(inbox_recipient),
        sealed: content.seal(&live.sealer)?,
        created_hour: hour_of(now),
        own_copy,
    };
    Ok((
        enquiry,
        Receipt {
            reference,
            passphrase,
        },
    ))
}

/// A validated web submission, sealed.
pub fn prepare(
    live: &LiveProgramme,
    valid: ValidSubmission,
    lang: Language,
    key: &IntakeKey,
    now: i64,
) -> Result<(NewEnquiry, Receipt), CryptoError> {
    seal(
        live,
        NewIntake {
            answers: valid.answers,
            contact: valid.contact,
            language: lang,
            source: "web",
            mail: None,
        },
        key,
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_matches_only_itself() {
        let key = IntakeKey::generate();
        let p = Passphrase::generate();
        let stored = passphrase_hash(&key, &p);
        assert!(passphrase_matches(&key, &stored, &p));
        assert!(!passphrase_matches(&key, &stored, &Passphrase::generate()));
        assert!(!passphrase_matches(&IntakeKey::generate(), &stored, &p));
        // Two hashes of one passphrase differ (salted).
        assert_ne!(stored, passphrase_hash(&key, &p));
    }
}
