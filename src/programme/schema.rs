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

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use serde_json::{Value, json};

use super::definition::{FieldKind, ProgrammeFile};
use super::parse::{has_length, has_options, needs_options};

/// The name the schema has beside the programme files that use it.
pub const FILE_NAME: &str = "programme.schema.json";

/// The first line of every programme file Haven writes (`programme export`) and ships
/// (`ops/examples/`). A path relative to the file, not a URL: editors then never
/// fetch anything from a third party (which would tell it that someone is editing a
/// Haven programme), and the schema matches the Haven that wrote it, because it is
/// written beside the file with `haven programme schema > programme.schema.json`.
pub const DIRECTIVE: &str = "#:schema ./programme.schema.json";

/// The programme file's JSON Schema (draft-07: the draft TOML language servers and
/// most editors support best).
pub fn json_schema() -> Value {
    let generator = SchemaSettings::draft07()
        .with_transform(ForToml)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<ProgrammeFile>().to_value();
    // Rules across a table's keys, which attributes on one key cannot state.
    let definitions = &mut schema["definitions"];
    definitions["Field"]["allOf"] = field_kind_rules();
    definitions["Condition"]["oneOf"] = one_operator();
    schema
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
fn field_kind_rules() -> Value {
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
    ])
}

/// A condition has exactly one operator.
fn one_operator() -> Value {
    json!([
        { "required": ["equals"] },
        { "required": ["in"] },
        { "required": ["contains"] },
        { "required": ["answered"] },
    ])
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
