//! Phone intake (issue 22, item 1): an agent fills the programme's form in the console
//! while talking to the caller. The same validation ([`form::validate`]), routing and
//! sealing ([`submission::seal_amended`]) as the public form; what differs is the
//! source (`phone`), the two questions asked first ("is it safe to talk now, and when
//! may we call back?", sealed with the answers), and who entered it (sealed too, and
//! audited by the console). No HTTP here: `console::phone` is the handler.

use super::form::{self, FieldError, RawForm, ValidSubmission};
use super::submission::{self, NewIntake, Receipt};
use crate::crypto::{CryptoError, IntakeKey};
use crate::domain::Language;
use crate::enquiry::CallDetails;
use crate::i18n::Msg;
use crate::programme::live::LiveProgramme;
use crate::store::NewEnquiry;

/// "Is it safe to talk now?": `yes` or `no`.
pub const CALL_SAFE: &str = "call_safe";
/// "When may we call back?" (free text, optional).
pub const CALL_BACK: &str = "call_back";
/// Longest "when may we call back" answer.
pub const CALL_BACK_MAX: usize = 500;
/// The source stored in the clear column: staff see how it arrived.
pub const SOURCE: &str = "phone";

/// The phone form's own fields, which the programme's form does not have.
pub const OWN_FIELDS: [&str; 2] = [CALL_SAFE, CALL_BACK];

/// What was typed, checked: the programme's answers and the call's details.
#[derive(Debug)]
pub struct ValidCall {
    pub submission: ValidSubmission,
    pub safe_to_talk: bool,
    pub call_back: String,
}

/// Checks the call questions and then every programme field, collecting every problem.
pub fn validate(
    live: &LiveProgramme,
    typed: &RawForm,
    lang: Language,
) -> Result<ValidCall, Vec<FieldError>> {
    let mut errors = Vec::new();
    let safe = match typed.get(CALL_SAFE) {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => {
            errors.push(FieldError {
                name: CALL_SAFE.into(),
                message: Msg::new("phone-error-safe"),
            });
            None
        }
    };
    let call_back = match form::clean_text(typed.get(CALL_BACK).unwrap_or(""), false) {
        Ok(text) if text.chars().count() <= CALL_BACK_MAX => text,
        Ok(_) => {
            errors.push(FieldError {
                name: CALL_BACK.into(),
                message: Msg::new("phone-error-call-back-long")
                    .arg("max", CALL_BACK_MAX.to_string()),
            });
            String::new()
        }
        Err(_) => {
            errors.push(FieldError {
                name: CALL_BACK.into(),
                message: Msg::new("phone-error-call-back"),
            });
            String::new()
        }
    };
    let programme_part = typed.without(&OWN_FIELDS);
    let submission = match form::validate(&live.programme, &programme_part, lang) {
        Ok(valid) => Some(valid),
        Err(more) => {
            errors.extend(more);
            None
        }
    };
    match (errors.is_empty(), submission, safe) {
        (true, Some(submission), Some(safe_to_talk)) => Ok(ValidCall {
            submission,
            safe_to_talk,
            call_back,
        }),
        _ => Err(errors),
    }
}

/// A checked call, sealed to the programme: routed by its rules, `source = phone`,
/// the call details and `entered_by` inside the ciphertext.
pub fn seal(
    live: &LiveProgramme,
    call: ValidCall,
    lang: Language,
    entered_by: &str,
    key: &IntakeKey,
    now: i64,
) -> Result<(NewEnquiry, Receipt), CryptoError> {
    let details = CallDetails {
        safe_to_talk: call.safe_to_talk,
        call_back: call.call_back,
        entered_by: entered_by.to_owned(),
    };
    submission::seal_amended(
        live,
        NewIntake {
            answers: call.submission.answers,
            contact: call.submission.contact,
            language: lang,
            source: SOURCE,
            mail: None,
        },
        key,
        now,
        |content| content.call = Some(details),
    )
}
