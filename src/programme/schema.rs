//! The programme file's JSON Schema, generated from the types in [`super::definition`]
//! (their doc comments become the descriptions editors show on hover).
//!
//! `haven programme schema` prints it; `ops/examples/programme.schema.json` is a
//! committed copy (a test keeps the two equal). Programme files name it in their
//! first line, the `#:schema` directive that TOML language servers (Taplo, Tombi)
//! read, so editors complete keys and flag mistakes while the file is written.
//!
//! The schema is a first line of defence, never the judge: [`super::Programme::parse`]
//! decides. So the schema must never refuse a file that `parse` accepts (the tests
//! check this on every example, every export and thousands of mutated files), while
//! `parse` is stricter where a schema cannot follow: cross-references between parts
//! of the file (a rule's queue, a condition's field and option values, the texts'
//! languages against `languages`), uniqueness of keys, and the checks made by
//! parsers of their own (email addresses, age keys, template placeholders).
//! README, "Editing a programme file in an editor", lists them.

use schemars::transform::{Transform, transform_subschemas};
use schemars::{Schema, SchemaGenerator, generate::SchemaSettings, json_schema};
use serde_json::{Value, json};

use super::definition::{FieldKind, ProgrammeFile};
use super::parse::{
    MAX_HINT, MAX_LABEL, MAX_LONG_TEXT, MAX_SUBJECT, MAX_TEMPLATE_BODY, MAX_TITLE, has_length,
    has_options, needs_options,
};
use crate::domain::Language;

pub(super) use super::parse::RESERVED_FIELD_KEYS;

/// The name the schema has beside the programme files that use it.
pub const FILE_NAME: &str = "programme.schema.json";

/// The first line of every programme file Haven writes (`programme export`) and ships
/// (`ops/examples/`). A path relative to the file, not a URL: editors then never
/// fetch anything from a third party (which would tell it that someone is editing a
/// Haven programme), and the schema matches the Haven that wrote it, because it is
/// written beside the file with `haven programme schema > programme.schema.json`.
pub const DIRECTIVE: &str = "#:schema ./programme.schema.json";

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

/// The programme file's JSON Schema (draft-07: the draft TOML language servers and
/// most editors support best).
pub fn json_schema() -> Value {
    let generator = SchemaSettings::draft07()
        .with_transform(ForToml)
        .into_generator();
    generator.into_root_schema_for::<ProgrammeFile>().to_value()
}

/// What `haven programme schema` prints: the schema as indented JSON and a newline.
pub fn text() -> String {
    let mut text =
        serde_json::to_string_pretty(&json_schema()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// What `haven programme export` prints for a stored definition: the `#:schema`
/// directive, then the definition. The directive is a TOML comment, so the export
/// applies unchanged; definitions are stored without it (see [`super::Programme::to_toml`]),
/// so applying an export is a no-op.
pub fn exported(definition: &str) -> String {
    format!("{DIRECTIVE}\n{definition}")
}

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

const KINDS: [FieldKind; 9] = [
    FieldKind::Text,
    FieldKind::Textarea,
    FieldKind::Email,
    FieldKind::Phone,
    FieldKind::Select,
    FieldKind::Radio,
    FieldKind::Checkbox,
    FieldKind::Country,
    FieldKind::Date,
];

/// `{"enum": [...]}` of the kinds for which `test` holds.
fn kinds_where(test: impl Fn(FieldKind) -> bool) -> Value {
    let names: Vec<Value> = KINDS
        .into_iter()
        .filter(|&k| test(k))
        .map(|k| serde_json::to_value(k).expect("a kind serialises"))
        .collect();
    json!({ "required": ["kind"], "properties": { "kind": { "enum": names } } })
}

/// A field's options and `max_length` depend on its kind, as `parse` decides.
pub(super) fn field_kind_rules(schema: &mut Schema) {
    schema.insert(
        "allOf".to_owned(),
        json!([
            {
                "if": kinds_where(needs_options),
                "then": { "required": ["options"], "properties": { "options": { "minItems": 1 } } },
            },
            {
                "if": kinds_where(|k| !has_options(k)),
                "then": { "properties": { "options": { "maxItems": 0 } } },
            },
            {
                "if": kinds_where(|k| !has_length(k)),
                "then": { "not": { "required": ["max_length"] } },
            },
        ]),
    );
}

/// A condition has exactly one operator.
pub(super) fn one_operator(schema: &mut Schema) {
    schema.insert(
        "oneOf".to_owned(),
        json!([
            { "required": ["equals"] },
            { "required": ["in"] },
            { "required": ["contains"] },
            { "required": ["answered"] },
        ]),
    );
}

/// Tidies what schemars writes for Rust types into what a TOML file can hold. TOML
/// has no null: an optional key is left out, never set to null, but schemars
/// describes `Option<T>` as "T or null", which editors would then offer. And the
/// integer formats it adds (`uint8`, …) are not JSON Schema's: the `minimum` and
/// `maximum` beside them say the range.
#[derive(Debug, Clone)]
struct ForToml;

impl Transform for ForToml {
    fn transform(&mut self, schema: &mut Schema) {
        if schema
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"))
        {
            schema.remove("format");
        }
        if let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                schema.insert("type".to_owned(), only);
            }
        }
        if let Some(Value::Array(variants)) = schema.get_mut("anyOf") {
            variants.retain(|v| v.get("type").is_none_or(|t| t != "null"));
        }
        transform_subschemas(self, schema);
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
