//! The public form as data: decoding a posted body strictly, and validating it against
//! the programme's fields. No HTTP here, so every rule is testable on its own.

use std::collections::BTreeSet;

use crate::domain::EmailAddress;
use crate::enquiry::ContactChoice;
use crate::i18n::Msg;
use crate::programme::countries::is_country;
use crate::programme::{Answer, Answers, ContactMode, Field, FieldKind, Programme};

/// Names the form itself uses beside the programme's fields.
pub const CSRF: &str = "csrf";
pub const LANG: &str = "lang";
pub const HONEYPOT: &str = "website";
pub const CONTACT_MODE: &str = "contact_mode";
pub const CONTACT_EMAIL: &str = "contact_email";
/// A language button inside the form: redraw it in that language, keep what was typed.
pub const SWITCH_LANG: &str = "switch_lang";

/// Most name=value pairs a form may carry (checkbox groups make it more than fields).
const MAX_PAIRS: usize = 1_000;

/// A date question is three boxes, day, month and year (the GOV.UK pattern: no date
/// picker, which old phones and screen readers handle badly): `KEY.day`, `KEY.month`,
/// `KEY.year`. A single `KEY` holding `YYYY-MM-DD` is still accepted.
pub const DATE_PARTS: [&str; 3] = ["day", "month", "year"];

/// The form name of one box of a date question.
pub fn date_part(key: &str, part: &str) -> String {
    format!("{key}.{part}")
}
/// Longest value accepted at all, before field rules (the body limit bounds the total).
const MAX_VALUE: usize = 60_000;

/// A decoded `application/x-www-form-urlencoded` body: what the person typed, kept so
/// that it can be shown back to them whatever is wrong with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawForm {
    pairs: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the body is not valid form encoding")]
    Malformed,
    #[error("the body is not valid UTF-8")]
    NotUtf8,
    #[error("the form has too many values")]
    TooMany,
    #[error("the form has a field this programme does not have")]
    UnknownField,
    #[error("a single-answer field was sent twice")]
    Repeated,
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding that refuses invalid UTF-8 instead of replacing it, so nothing a
/// person did not type is ever stored as if they had.
fn unescape(raw: &[u8]) -> Result<String, DecodeError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = raw.get(i + 1).copied().and_then(hex_val);
                let lo = raw.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(DecodeError::Malformed),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

impl RawForm {
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut pairs = Vec::new();
        for part in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            if pairs.len() == MAX_PAIRS {
                return Err(DecodeError::TooMany);
            }
            let (name, value) = match part.iter().position(|b| *b == b'=') {
                Some(eq) => (&part[..eq], &part[eq + 1..]),
                None => (part, &b""[..]),
            };
            let (name, value) = (unescape(name)?, unescape(value)?);
            if name.len() > 100 || value.len() > MAX_VALUE {
                return Err(DecodeError::Malformed);
            }
            pairs.push((name, value));
        }
        Ok(Self { pairs })
    }

    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }

    /// The same form without the pairs named in `names` (a phone intake's own
    /// questions, checked apart from the programme's fields).
    pub fn without(&self, names: &[&str]) -> Self {
        Self {
            pairs: self
                .pairs
                .iter()
                .filter(|(n, _)| !names.contains(&n.as_str()))
                .cloned()
                .collect(),
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses names the programme's form does not have, and repeated single-answer
    /// fields: a browser never sends either, so whoever did is not filling in the form.
    pub fn check_shape(&self, programme: &Programme) -> Result<(), DecodeError> {
        let mut seen = BTreeSet::new();
        for (name, _) in &self.pairs {
            let multi = match name.as_str() {
                CSRF | LANG | HONEYPOT | CONTACT_MODE | CONTACT_EMAIL | SWITCH_LANG => false,
                key if is_date_part(programme, key) => false,
                key => match programme.field(key) {
                    Some(f) => f.kind == FieldKind::Checkbox && !f.options.is_empty(),
                    None => return Err(DecodeError::UnknownField),
                },
            };
            if !seen.insert(name.as_str()) && !multi {
                return Err(DecodeError::Repeated);
            }
        }
        Ok(())
    }
}

fn is_date_part(programme: &Programme, name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(key, part)| {
        DATE_PARTS.contains(&part)
            && programme
                .field(key)
                .is_some_and(|f| f.kind == FieldKind::Date)
    })
}

/// A date question's answer as one text: the three boxes as `YYYY-MM-DD` (a one-digit
/// day or month is padded; what is not a number is left for the check to refuse), or
/// the single value when the boxes were not sent.
fn date_text(field: &Field, form: &RawForm) -> String {
    let part = |p: &str| {
        form.get(&date_part(&field.key, p))
            .map(|v| ascii_digits(v.trim()))
    };
    match (part("day"), part("month"), part("year")) {
        (None, None, None) => form.get(&field.key).unwrap_or("").to_owned(),
        (d, m, y) => {
            let (d, m, y) = (
                d.unwrap_or_default(),
                m.unwrap_or_default(),
                y.unwrap_or_default(),
            );
            if d.is_empty() && m.is_empty() && y.is_empty() {
                return String::new();
            }
            let pad = |v: &str| match v.len() {
                1 => format!("0{v}"),
                _ => v.to_owned(),
            };
            format!("{y}-{}-{}", pad(&m), pad(&d))
        }
    }
}

/// One problem with one answer, shown beside the field and in the summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The form name of the field (a field key, or `contact_mode`/`contact_email`/`website`).
    pub name: String,
    pub message: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSubmission {
    pub answers: Answers,
    pub contact: ContactChoice,
}

/// What is wrong with a text as typed; `None` when it is fine. Also normalises line
/// endings and trims.
pub(crate) fn clean_text(value: &str, multiline: bool) -> Result<String, &'static str> {
    let text = value.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    for c in text.chars() {
        if c == '\n' && !multiline {
            return Err("error-single-line");
        }
        if c.is_control() && c != '\n' && c != '\t' {
            return Err("error-invalid-characters");
        }
        // Unassigned-looking and non-characters have no business in an enquiry.
        if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
            return Err("error-invalid-characters");
        }
    }
    Ok(text.to_owned())
}

pub(crate) fn default_max(kind: FieldKind) -> usize {
    match kind {
        FieldKind::Textarea => 10_000,
        FieldKind::Email => 254,
        FieldKind::Phone => 40,
        _ => 500,
    }
}

/// Persian (۰–۹, what a Dari or Pashto keyboard types) and Arabic-Indic (٠–٩) digits as
/// ASCII digits, so a number or a date is accepted as typed and stored one way.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            c => c,
        })
        .collect()
}

fn valid_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '-' | '.'))
}

fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

/// The messages for a required question left unanswered: a programme may say these in
/// its own words (`error` of the field).
const REQUIRED_MISSING: [&str; 3] = [
    "error-required-choice",
    "error-required-box",
    "error-required-text",
];

/// One field's answer, `Ok(None)` when optional and left empty.
fn validate_field(field: &Field, form: &RawForm) -> Result<Option<Answer>, &'static str> {
    let label_required = match field.kind {
        FieldKind::Select | FieldKind::Radio | FieldKind::Country => "error-required-choice",
        FieldKind::Checkbox if field.options.is_empty() => "error-required-box",
        FieldKind::Checkbox => "error-required-choice",
        _ => "error-required-text",
    };
    let missing = |required: bool| {
        if required {
            Err(label_required)
        } else {
            Ok(None)
        }
    };

    if field.kind == FieldKind::Checkbox {
        if field.options.is_empty() {
            let ticked = form.get(&field.key).is_some_and(|v| !v.is_empty());
            return match ticked {
                true => Ok(Some(Answer::Flag(true))),
                false => missing(field.required),
            };
        }
        let ticked: BTreeSet<&str> = form.all(&field.key).filter(|v| !v.is_empty()).collect();
        if ticked
            .iter()
            .any(|v| !field.options.iter().any(|o| o.value == *v))
        {
            return Err("error-invalid-choice");
        }
        let choices: Vec<String> = field
            .options
            .iter()
            .filter(|o| ticked.contains(o.value.as_str()))
            .map(|o| o.value.clone())
            .collect();
        return match choices.is_empty() {
            true => missing(field.required),
            false => Ok(Some(Answer::Choices(choices))),
        };
    }

    let date;
    let raw = match field.kind {
        FieldKind::Date => {
            date = date_text(field, form);
            date.as_str()
        }
        _ => form.get(&field.key).unwrap_or(""),
    };
    let mut text = clean_text(raw, field.kind == FieldKind::Textarea)?;
    if matches!(field.kind, FieldKind::Phone | FieldKind::Date) {
        text = ascii_digits(&text);
    }
    if text.is_empty() {
        return missing(field.required);
    }
    let max = field.max_length.unwrap_or_else(|| default_max(field.kind));
    if text.chars().count() > max {
        return Err("error-too-long");
    }
    match field.kind {
        FieldKind::Select | FieldKind::Radio if !field.options.iter().any(|o| o.value == text) => {
            Err("error-invalid-choice")
        }
        FieldKind::Country if !is_country(&text) => Err("error-invalid-country"),
        FieldKind::Email => EmailAddress::parse(&text)
            .map(|e| Some(Answer::Text(e.as_str().to_owned())))
            .map_err(|_| "error-invalid-email"),
        FieldKind::Phone if !valid_phone(&text) => Err("error-invalid-phone"),
        FieldKind::Date if !valid_date(&text) => Err("error-invalid-date"),
        _ => Ok(Some(Answer::Text(text))),
    }
}

/// Answers for trying out routing rules in the editor: each field checked as the form
/// checks it, except that nothing is required. Problems come back per field.
pub fn sample_answers(
    programme: &Programme,
    form: &RawForm,
    lang: crate::domain::Language,
) -> (Answers, Vec<FieldError>) {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for field in &programme.file().fields {
        let optional = Field {
            required: false,
            ..field.clone()
        };
        match validate_field(&optional, form) {
            Ok(Some(answer)) => {
                answers.insert(field.key.clone(), answer);
            }
            Ok(None) => {}
            Err(id) => errors.push(FieldError {
                name: field.key.clone(),
                message: Msg::new(id)
                    .arg("label", programme.text(&field.label, lang))
                    .arg(
                        "max",
                        field
                            .max_length
                            .unwrap_or_else(|| default_max(field.kind))
                            .to_string(),
                    ),
            }),
        }
    }
    (answers, errors)
}

/// Validates every answer and the contact choice, collecting every problem at once.
pub fn validate(
    programme: &Programme,
    form: &RawForm,
    lang: crate::domain::Language,
) -> Result<ValidSubmission, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut answers = Answers::new();

    for field in &programme.file().fields {
        match validate_field(field, form) {
            Ok(Some(answer)) => {
                answers.insert(field.key.clone(), answer);
            }
            Ok(None) => {}
            Err(id) => {
                let label = programme.text(&field.label, lang).to_owned();
                let max = field
                    .max_length
                    .unwrap_or_else(|| default_max(field.kind))
                    .to_string();
                let message = match REQUIRED_MISSING.contains(&id) && !field.error.is_empty() {
                    // The programme's own words for a question left unanswered.
                    true => {
                        Msg::new("error-programme").arg("text", programme.text(&field.error, lang))
                    }
                    false => Msg::new(id).arg("label", label).arg("max", max),
                };
                errors.push(FieldError {
                    name: field.key.clone(),
                    message,
                });
            }
        }
    }

    let contact = match programme.file().contact {
        ContactMode::InboxOnly => ContactChoice::InboxOnly,
        ContactMode::EmailOptional => match form.get(CONTACT_MODE) {
            Some("inbox") => ContactChoice::InboxOnly,
            Some("email") => match form.get(CONTACT_EMAIL).map(str::trim).unwrap_or("") {
                "" => {
                    errors.push(FieldError {
                        name: CONTACT_EMAIL.into(),
                        message: Msg::new("error-contact-missing-email"),
                    });
                    ContactChoice::InboxOnly
                }
                typed => match EmailAddress::parse(typed) {
                    Ok(email) => ContactChoice::Email(email),
                    Err(_) => {
                        errors.push(FieldError {
                            name: CONTACT_EMAIL.into(),
                            message: Msg::new("error-invalid-email"),
                        });
                        ContactChoice::InboxOnly
                    }
                },
            },
            _ => {
                errors.push(FieldError {
                    name: CONTACT_MODE.into(),
                    message: Msg::new("error-contact-mode"),
                });
                ContactChoice::InboxOnly
            }
        },
    };

    if form.get(HONEYPOT).is_some_and(|v| !v.is_empty()) {
        errors.push(FieldError {
            name: HONEYPOT.into(),
            message: Msg::new("error-honeypot"),
        });
    }

    if errors.is_empty() {
        Ok(ValidSubmission { answers, contact })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    #[test]
    fn persian_and_arabic_indic_digits_become_ascii_and_nothing_else_changes() {
        assert_eq!(ascii_digits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(ascii_digits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(ascii_digits("+93 (۷۰) ٤٥-6.7 دری"), "+93 (70) 45-6.7 دری");
    }

    fn programme() -> Programme {
        Programme::parse(include_str!("../../ops/examples/afghanistan-2021.toml")).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> RawForm {
        RawForm::from_pairs(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn decoding_is_strict_about_encoding() {
        let f = RawForm::decode(b"a=x+y%20z&b=%D8%A7%D9%81&c").unwrap();
        assert_eq!(f.get("a"), Some("x y z"));
        assert_eq!(f.get("b"), Some("اف"));
        assert_eq!(f.get("c"), Some(""));
        assert_eq!(RawForm::decode(b"a=%FF%FE"), Err(DecodeError::NotUtf8));
        assert_eq!(RawForm::decode(b"a=%Z1"), Err(DecodeError::Malformed));
        assert_eq!(RawForm::decode(b"a=%4"), Err(DecodeError::Malformed));
        let many = "a=1&".repeat(MAX_PAIRS + 1);
        assert_eq!(RawForm::decode(many.as_bytes()), Err(DecodeError::TooMany));
    }

    #[test]
    fn unknown_and_repeated_fields_are_refused() {
        let p = programme();
        assert_eq!(
            form(&[("nonsense", "1")]).check_shape(&p),
            Err(DecodeError::UnknownField)
        );
        let first = p.file().fields[0].key.as_str();
        assert_eq!(
            form(&[(first, "a"), (first, "b")]).check_shape(&p),
            Err(DecodeError::Repeated)
        );
        assert_eq!(form(&[(first, "a"), (CSRF, "t")]).check_shape(&p), Ok(()));
    }

    #[test]
    fn an_empty_form_reports_every_required_field_and_the_contact_choice() {
        let p = programme();
        let errors = validate(&p, &RawForm::default(), Language::En).unwrap_err();
        let required: Vec<&str> = p
            .file()
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key.as_str())
            .collect();
        for key in &required {
            assert!(errors.iter().any(|e| e.name == *key), "no error for {key}");
        }
        assert!(errors.iter().any(|e| e.name == CONTACT_MODE));
        assert_eq!(errors.len(), required.len() + 1);
    }

    #[test]
    fn texts_are_cleaned_and_bounded() {
        assert_eq!(clean_text("  a\r\nb \r c ", true).unwrap(), "a\nb \n c");
        assert_eq!(clean_text("a\nb", false), Err("error-single-line"));
        assert_eq!(clean_text("a\u{0}b", true), Err("error-invalid-characters"));
        assert_eq!(
            clean_text("a\u{1b}[31m", true),
            Err("error-invalid-characters")
        );
        assert_eq!(clean_text("دری\tPashto", false).unwrap(), "دری\tPashto");
    }

    #[test]
    fn dates_and_phones() {
        assert!(valid_date("2021-08-15"));
        assert!(valid_date("2000-02-29"));
        assert!(!valid_date("2021-02-29"));
        assert!(!valid_date("2021-13-01"));
        assert!(!valid_date("15/08/2021"));
        assert!(!valid_date("1800-01-01"));
        assert!(valid_phone("+93 (0)70 123 4567"));
        assert!(!valid_phone("call me"));
        assert!(!valid_phone("12"));
    }

    #[test]
    fn a_date_comes_in_three_boxes_in_any_digits_or_as_one_value() {
        let p = programme();
        let field = p.field("date_of_birth").unwrap();
        let answer = |pairs: &[(&str, &str)]| validate_field(field, &form(pairs));
        let text = |s: &str| Ok(Some(Answer::Text(s.into())));
        assert_eq!(
            answer(&[
                ("date_of_birth.day", "5"),
                ("date_of_birth.month", "8"),
                ("date_of_birth.year", "1990")
            ]),
            text("1990-08-05")
        );
        // A Dari keyboard's digits, and Arabic-Indic ones, are stored as ASCII.
        assert_eq!(
            answer(&[
                ("date_of_birth.day", "۱۵"),
                ("date_of_birth.month", "٠٨"),
                ("date_of_birth.year", "۱۹۹۰")
            ]),
            text("1990-08-15")
        );
        assert_eq!(
            answer(&[("date_of_birth", "1990-08-15")]),
            text("1990-08-15")
        );
        assert_eq!(
            answer(&[
                ("date_of_birth.day", ""),
                ("date_of_birth.month", ""),
                ("date_of_birth.year", "")
            ]),
            Ok(None)
        );
        for bad in [
            ("31", "2", "1990"),
            ("1", "13", "1990"),
            ("1", "1", "90"),
            ("x", "1", "1990"),
            ("", "1", "1990"),
        ] {
            assert_eq!(
                answer(&[
                    ("date_of_birth.day", bad.0),
                    ("date_of_birth.month", bad.1),
                    ("date_of_birth.year", bad.2)
                ]),
                Err("error-invalid-date"),
                "{bad:?}"
            );
        }
        assert!(form(&[("date_of_birth.day", "1")]).check_shape(&p).is_ok());
        assert_eq!(
            form(&[("date_of_birth.hour", "1")]).check_shape(&p),
            Err(DecodeError::UnknownField)
        );
        assert_eq!(
            form(&[("full_name.day", "1")]).check_shape(&p),
            Err(DecodeError::UnknownField)
        );
    }

    #[test]
    fn an_email_choice_needs_a_valid_address_and_the_inbox_choice_drops_one() {
        let p = programme();
        let errs = validate(
            &p,
            &form(&[(CONTACT_MODE, "email"), (CONTACT_EMAIL, "not-an-address")]),
            Language::En,
        )
        .unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.name == CONTACT_EMAIL && e.message.id == "error-invalid-email")
        );
        let errs = validate(&p, &form(&[(CONTACT_MODE, "email")]), Language::En).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.message.id == "error-contact-missing-email")
        );
    }

    #[test]
    fn the_honeypot_is_an_error() {
        let p = programme();
        let errs = validate(&p, &form(&[(HONEYPOT, "http://spam")]), Language::En).unwrap_err();
        assert!(errs.iter().any(|e| e.name == HONEYPOT));
    }
}
