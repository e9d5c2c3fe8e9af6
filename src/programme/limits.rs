//! The programme file's limits and patterns, which both the parser
//! ([`super::parse`]) and the file's JSON Schema ([`super::schema`]) state: the
//! definition types name them in their `#[schemars(...)]` attributes. A leaf: it knows
//! nothing of the definition types, so that they can use it.
//!
//! Limits keep one programme's page and database rows bounded, whatever an
//! administrator (or a compromised admin account) writes.

use schemars::{Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::domain::Language;

pub(super) const MAX_TITLE: usize = 200;
pub(super) const MAX_LONG_TEXT: usize = 5000;
pub(super) const MAX_LABEL: usize = 300;
pub(super) const MAX_HINT: usize = 1000;
pub(super) const MAX_RULE_NAME: usize = 200;
pub(super) const MAX_FIELDS: usize = 100;
pub(super) const MAX_OPTIONS: usize = 200;
pub(super) const MAX_FIELD_LENGTH: usize = 20_000;
pub(super) const MAX_RETENTION_DAYS: u32 = 3650;
pub(super) const PRIORITIES: std::ops::RangeInclusive<u8> = 1..=9;
pub(super) const MAX_TEMPLATES: usize = 100;
pub(super) const MAX_SUBJECT: usize = 200;
pub(super) const MAX_TEMPLATE_BODY: usize = 10_000;
pub(super) const MAX_PARTNERS: usize = 50;
pub(super) const MAX_BASES: usize = 20;

/// Field keys the form itself posts; a programme field with one of these names
/// would collide with them in the submitted form body.
pub(super) const RESERVED_FIELD_KEYS: [&str; 5] =
    ["contact_email", "contact_mode", "csrf", "lang", "website"];

// Patterns. JSON Schema regular expressions are ECMA-262; these use only what every
// validator and editor understands (classes, `\uXXXX`, bounded repeats, no look-around).

/// A programme slug: 3 to 40 characters (with `minLength`/`maxLength`) of a-z, 0-9 and
/// single inner `-`, starting with a letter ([`crate::domain::ProgrammeSlug`]).
pub(super) const SLUG: &str = "^[a-z](?:-?[a-z0-9])*$";
/// A field key (`parse::is_field_key`).
pub(super) const FIELD_KEY: &str = "^[a-z][a-z0-9_]{0,39}$";
/// A queue, template or partner key (`parse::is_queue_key`).
pub(super) const KEY: &str = "^[a-z][a-z0-9_-]{0,39}$";
/// An option value (`parse::is_option_value`).
pub(super) const OPTION_VALUE: &str = "^[A-Za-z0-9_-]{1,60}$";
/// Holds a character that is not white space as Rust's `str::trim` knows it (the
/// Unicode `White_Space` property, spelled out: ECMA's `\s` differs).
pub(super) const NOT_BLANK: &str = "[^\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";
/// One line (no CR or LF) that is not blank.
pub(super) const ONE_LINE: &str = "^[^\\r\\n]*[^\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\r\\n]*$";
/// The shape every address [`crate::domain::EmailAddress`] accepts has (it checks more).
pub(super) const EMAIL: &str = "^[^@]+@[^@]+\\.[^@]+$";
/// An age X25519 recipient: `age1` and 58 Bech32 characters, in one case
/// (age checks the checksum and length of the key too).
pub(super) const AGE_RECIPIENT: &str = "^(?:age1[02-9ac-hj-np-z]{58}|AGE1[02-9AC-HJ-NP-Z]{58})$";
/// A language tag [`Language::parse`] accepts: any case, with the aliases `fa` and
/// `prs` for Dari.
pub(super) const LANGUAGE_TAG: &str =
    "^(?:[Ee][Nn]|[Ff][Rr]|[Ff][Aa]-[Aa][Ff]|[Ff][Aa]|[Pp][Rr][Ss]|[Pp][Ss]|[Uu][Kk]|[Aa][Rr])$";

fn english_name(lang: Language) -> &'static str {
    match lang {
        Language::En => "English",
        Language::Fr => "French",
        Language::FaAf => "Dari (Afghan Persian)",
        Language::Ps => "Pashto",
        Language::Uk => "Ukrainian",
        Language::Ar => "Arabic",
    }
}

/// `languages`: at least one supported tag, none twice.
pub(super) fn languages(_: &mut SchemaGenerator) -> Schema {
    let tags: Vec<&str> = Language::ALL.iter().map(|l| l.tag()).collect();
    json_schema!({
        "type": "array",
        "minItems": 1,
        "uniqueItems": true,
        "items": {
            "type": "string",
            // The canonical tags for completion; the pattern for the spellings
            // `parse` also accepts (any case, `fa`, `prs`).
            "anyOf": [{ "enum": tags }, { "pattern": LANGUAGE_TAG }],
        },
    })
}

/// A set of translations (`Localised`) of texts of at most `max` characters, as a
/// named definition: one key per language, with the language's name as its
/// description, so editors offer the tags and say what each is.
fn texts(
    generator: &mut SchemaGenerator,
    name: &str,
    description: &str,
    max: usize,
    pattern: &str,
) -> Schema {
    if !generator.definitions().contains_key(name) {
        let text = |description: String| {
            json!({
                "type": "string",
                "description": description,
                "maxLength": max,
                "pattern": pattern,
            })
        };
        let properties: serde_json::Map<String, Value> = Language::ALL
            .iter()
            .map(|&lang| {
                let about = format!("The text in {}.", english_name(lang));
                (lang.tag().to_owned(), text(about))
            })
            .collect();
        let definition = json!({
            "type": "object",
            "description": format!(
                "{description} Keyed by language tag (one of the programme's `languages`); \
                 the text in the default language (the first) is required."
            ),
            "properties": properties,
            "propertyNames": { "pattern": LANGUAGE_TAG },
            "additionalProperties": text("The text in this language.".to_owned()),
        });
        generator
            .definitions_mut()
            .insert(name.to_owned(), definition);
    }
    let pointer = format!("#/definitions/{name}");
    json_schema!({ "$ref": pointer })
}

pub(super) fn title(generator: &mut SchemaGenerator) -> Schema {
    let about = format!("Short texts per language, at most {MAX_TITLE} characters each.");
    texts(generator, "ShortText", &about, MAX_TITLE, NOT_BLANK)
}

pub(super) fn long_text(generator: &mut SchemaGenerator) -> Schema {
    let about = format!("Texts per language, at most {MAX_LONG_TEXT} characters each.");
    texts(generator, "LongText", &about, MAX_LONG_TEXT, NOT_BLANK)
}

pub(super) fn label(generator: &mut SchemaGenerator) -> Schema {
    let about = format!("Labels per language, at most {MAX_LABEL} characters each.");
    texts(generator, "Label", &about, MAX_LABEL, NOT_BLANK)
}

pub(super) fn hint(generator: &mut SchemaGenerator) -> Schema {
    let about = format!("Hints per language, at most {MAX_HINT} characters each.");
    texts(generator, "Hint", &about, MAX_HINT, NOT_BLANK)
}

pub(super) fn subject(generator: &mut SchemaGenerator) -> Schema {
    let about =
        format!("Subject lines per language: one line, at most {MAX_SUBJECT} characters each.");
    texts(generator, "Subject", &about, MAX_SUBJECT, ONE_LINE)
}

pub(super) fn body(generator: &mut SchemaGenerator) -> Schema {
    let about = format!("Email texts per language, at most {MAX_TEMPLATE_BODY} characters each.");
    texts(generator, "Body", &about, MAX_TEMPLATE_BODY, NOT_BLANK)
}
