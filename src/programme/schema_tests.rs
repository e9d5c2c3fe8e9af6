//! The schema against the parser: every example and a sweep of changed files, so
//! that the schema never refuses what `apply` accepts.

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::domain::Language;
use crate::programme::Programme;
use crate::programme::limits::LANGUAGE_TAG;

const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::draft7::new(&json_schema()).unwrap_or_else(|e| panic!("{e}")))
}

/// A TOML text as the JSON value a TOML language server validates.
fn as_json(text: &str) -> Value {
    toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn schema_errors(text: &str) -> Vec<String> {
    let value = as_json(text);
    validator()
        .iter_errors(&value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn matches(pattern: &str, text: &str) -> bool {
    let validator = jsonschema::draft7::new(&json!({ "pattern": pattern }))
        .unwrap_or_else(|e| panic!("{pattern}: {e}"));
    validator.is_valid(&json!(text))
}

#[test]
fn language_tags_are_the_ones_parse_accepts() {
    for lang in Language::ALL {
        assert!(matches(LANGUAGE_TAG, lang.tag()), "{lang:?}");
        assert!(
            matches(LANGUAGE_TAG, &lang.tag().to_uppercase()),
            "{lang:?}"
        );
    }
    for alias in ["fa", "PRS", "Fa-aF"] {
        assert!(Language::parse(alias).is_ok());
        assert!(matches(LANGUAGE_TAG, alias), "{alias}");
    }
    for other in ["de", "fa-IR", "en-GB", "", "e n", " en"] {
        assert!(Language::parse(other).is_err());
        assert!(!matches(LANGUAGE_TAG, other), "{other}");
    }
}

#[test]
fn the_schema_describes_the_file_from_its_doc_comments() {
    let schema = json_schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["title"], "Haven programme file");
    let slug = &schema["properties"]["slug"];
    assert!(
        slug["description"]
            .as_str()
            .is_some_and(|d| d.contains("web addresses")),
        "{slug}"
    );
    assert!(text().ends_with("}\n"));
    assert!(!text().contains("\"null\""), "TOML has no null");
}

/// `parse` refuses a list where the file has a table (serde alone would read it);
/// its list of those places must name every object of the schema.
#[test]
fn parse_knows_every_table_of_the_schema() {
    fn resolve<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
        loop {
            if let Some(pointer) = s.get("$ref").and_then(Value::as_str) {
                s = root
                    .pointer(pointer.trim_start_matches('#'))
                    .unwrap_or(&Value::Null);
            } else if let (None, Some(Value::Array(all))) = (s.get("properties"), s.get("allOf")) {
                s = all.first().unwrap_or(&Value::Null);
            } else {
                return s;
            }
        }
    }
    fn walk(root: &Value, s: &Value, at: &str, out: &mut Vec<String>) {
        let s = resolve(root, s);
        if s.get("additionalProperties") == Some(&Value::Bool(false)) && !at.is_empty() {
            out.push(at.to_owned());
        }
        if let Some(Value::Object(properties)) = s.get("properties") {
            for (name, child) in properties {
                let here = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                let child = resolve(root, child);
                match child.get("items") {
                    Some(items) => walk(root, items, &format!("{here}[]"), out),
                    None => walk(root, child, &here, out),
                }
            }
        }
    }
    let schema = json_schema();
    let mut found = Vec::new();
    walk(&schema, &schema, "", &mut found);
    found.sort();
    let mut known: Vec<String> = super::super::parse::TABLES.map(str::to_owned).to_vec();
    known.sort();
    assert_eq!(found, known);
}

#[test]
fn an_export_starts_with_the_directive_and_parses_as_the_definition() {
    let text = exported("slug = \"x\"\n");
    assert!(text.starts_with("#:schema ./programme.schema.json\n"));
    assert_eq!(
        toml::from_str::<toml::Table>(&text).ok(),
        toml::from_str::<toml::Table>("slug = \"x\"\n").ok()
    );
}

#[test]
fn every_example_starts_with_the_directive_validates_and_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ops/examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().next(), Some(DIRECTIVE), "{}", path.display());
        assert_eq!(
            schema_errors(&text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        Programme::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
    }
    assert!(seen >= 1, "no example in {}", dir.display());
    assert!(
        dir.join(FILE_NAME).exists(),
        "the examples' directive names {FILE_NAME} beside them"
    );
}

/// Every place in `value` a mutation can touch, as JSON pointers (the root aside).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                pointers(child, here, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(child, here, out);
            }
        }
        _ => {}
    }
}

/// Values chosen to sit on either side of each rule the schema states.
fn values() -> Vec<Value> {
    let age = "age18zkd4tcyta29xj6uv7qcltl75k4znt3grdnsjupxmp5l7t4t83jqpxwpp9";
    let mut strings: Vec<String> = [
        "",
        " ",
        "\u{a0}",
        "\u{feff}",
        "\u{85}",
        "\u{3000}x",
        "x",
        "EN",
        "fa",
        "prs",
        "Fa-Af",
        "de",
        "en-GB",
        "Test Prog",
        "a--b",
        "ab-",
        "ab",
        "abc",
        "ok-key",
        "ok_key",
        "UPPER",
        "1abc",
        "-x",
        "line\nbreak",
        "\r",
        " one line ",
        "{name}",
        "{bogus}",
        "{{x}}",
        "a@b.cd",
        " a@b.cd ",
        "a@b",
        "not an address",
        "age1nope",
        "lang",
        "website",
        "reference",
        "contact_email",
        "yes",
        "no",
        "general",
        "urgent",
        "danger",
        "draft",
        "open",
        "closed",
        "archived",
        "text",
        "textarea",
        "email",
        "phone",
        "select",
        "radio",
        "checkbox",
        "country",
        "date",
        "email-optional",
        "inbox-only",
        "minimal",
        "full",
        "keep",
        "drop",
        "all",
        "any",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    strings.extend([
        age.to_owned(),
        age.to_uppercase(),
        age.replace("age1", "AGE1"),
        "a".repeat(40),
        "a".repeat(41),
        "A".repeat(60),
        "A".repeat(61),
        "x".repeat(200),
        "x".repeat(201),
        "x".repeat(300),
        "x".repeat(301),
        "x".repeat(1001),
        "x".repeat(5001),
        format!("{}@b.cd", "a".repeat(260)),
    ]);
    let mut values: Vec<Value> = strings.into_iter().map(Value::String).collect();
    values.extend(
        [
            -1i64,
            0,
            1,
            5,
            9,
            10,
            255,
            256,
            3650,
            3651,
            20_000,
            20_001,
            i64::MAX,
        ]
        .map(Value::from),
    );
    values.extend([json!(1.0), json!(2.5), json!(true), json!(false)]);
    values.extend([
        json!([]),
        json!({}),
        json!(["en"]),
        json!(["en", "en"]),
        json!(["en", "fa", "fa-AF"]),
        json!(["reference", "reference"]),
        json!({ "en": "x" }),
        json!({ "en": " " }),
        json!({ "de": "x" }),
        json!({ "fr": "x" }),
        json!([{ "field": "danger", "equals": "yes" }]),
        json!([{ "field": "danger" }]),
        json!([{ "field": "danger", "equals": "yes", "answered": true }]),
        json!([{ "value": "x", "label": { "en": "X" } }]),
        json!([{ "value": "x y", "label": { "en": "X" } }]),
    ]);
    values
}

const KEYS: [&str; 16] = [
    "requird",
    "en",
    "FR",
    "de",
    "in",
    "equals",
    "answered",
    "contains",
    "options",
    "max_length",
    "hint",
    "escrow",
    "match",
    "personal_data",
    "staff",
    "import",
];

fn split(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

fn remove(document: &mut Value, pointer: &str) {
    let (parent, last) = split(pointer);
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&last);
        }
        Some(Value::Array(items)) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < items.len()) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

fn set(document: &mut Value, pointer: &str, value: &Value) {
    if let Some(slot) = document.pointer_mut(pointer) {
        *slot = value.clone();
    }
}

/// Replaces the string at `pointer` everywhere it occurs (a key and the places
/// that refer to it), so that keys can change without breaking references.
fn rename(document: &mut Value, pointer: &str, value: &Value) {
    fn each(v: &mut Value, old: &str, new: &Value) {
        match v {
            Value::String(s) if s == old => *v = new.clone(),
            Value::Object(map) => map.values_mut().for_each(|c| each(c, old, new)),
            Value::Array(items) => items.iter_mut().for_each(|c| each(c, old, new)),
            _ => {}
        }
    }
    if let Some(Value::String(old)) = document.pointer(pointer).cloned() {
        each(document, &old, value);
    }
}

/// Adds (or replaces) `key` in the table at or above `pointer`.
fn add(document: &mut Value, pointer: &str, key: &str, value: &Value) {
    let mut pointer = pointer;
    loop {
        if let Some(Value::Object(map)) = document.pointer_mut(pointer) {
            map.insert(key.to_owned(), value.clone());
            return;
        }
        if pointer.is_empty() {
            return;
        }
        pointer = split(pointer).0;
    }
}

/// Checks one changed document: if the schema refuses it, `parse` must too.
/// Returns whether the schema refused it.
fn agree(document: &Value) -> bool {
    // Every document here has a TOML spelling (no null, a table at the top).
    let text = toml::to_string(document).unwrap_or_else(|e| panic!("{e}: {document}"));
    let refused = schema_errors(&text);
    assert!(
        refused.is_empty() || Programme::parse(&text).is_err(),
        "the schema refuses what apply accepts: {refused:?}\n{text}"
    );
    !refused.is_empty()
}

const EVERY_PART: &str = include_str!("../../tests/programmes/every-part.toml");

/// Every kind of place in a programme that uses every part of the format (each
/// path once, array indices aside), removed, set to each value, renamed
/// throughout, and each table given each extra key.
#[test]
fn what_the_schema_refuses_apply_refuses_at_every_place() {
    let base = as_json(EVERY_PART);
    assert_eq!(schema_errors(EVERY_PART), Vec::<String>::new());
    Programme::parse(EVERY_PART).unwrap_or_else(|e| panic!("{e}"));
    let mut places = Vec::new();
    pointers(&base, String::new(), &mut places);
    let mut kinds = std::collections::HashSet::new();
    let general = |p: &str| {
        p.split('/')
            .map(|part| {
                if part.parse::<usize>().is_ok() {
                    "*"
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    places.retain(|p| kinds.insert(general(p)));
    let values = values();
    let (mut cases, mut refused) = (0, 0);
    let mut check = |document: Value| {
        cases += 1;
        refused += usize::from(agree(&document));
    };
    for place in &places {
        let mut document = base.clone();
        remove(&mut document, place);
        check(document);
        for value in &values {
            let mut document = base.clone();
            set(&mut document, place, value);
            check(document);
            if base.pointer(place).is_some_and(Value::is_string) && value.is_string() {
                let mut document = base.clone();
                rename(&mut document, place, value);
                check(document);
            }
        }
        if base.pointer(place).is_some_and(Value::is_object) {
            for key in KEYS {
                for value in [json!("x"), json!(1), json!(true), json!({}), json!(["en"])] {
                    let mut document = base.clone();
                    add(&mut document, place, key, &value);
                    check(document);
                }
            }
        }
    }
    // The sweep must mostly find what the schema refuses, or it proves nothing.
    assert!(refused * 2 > cases, "{refused} of {cases} refused");
}

#[derive(Debug, Clone)]
enum Mutation {
    Remove(prop::sample::Index),
    Set(prop::sample::Index, prop::sample::Index),
    Rename(prop::sample::Index, prop::sample::Index),
    Add(
        prop::sample::Index,
        prop::sample::Index,
        prop::sample::Index,
    ),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use prop::sample::Index;
    prop_oneof![
        any::<Index>().prop_map(Mutation::Remove),
        any::<(Index, Index)>().prop_map(|(at, v)| Mutation::Set(at, v)),
        any::<(Index, Index)>().prop_map(|(at, v)| Mutation::Rename(at, v)),
        any::<(Index, Index, Index)>().prop_map(|(at, k, v)| Mutation::Add(at, k, v)),
    ]
}

fn mutate(document: &mut Value, mutation: &Mutation, values: &[Value]) {
    let mut places = Vec::new();
    pointers(document, String::new(), &mut places);
    match mutation {
        Mutation::Remove(at) => remove(document, at.get::<String>(&places)),
        Mutation::Set(at, v) => set(document, at.get::<String>(&places), v.get(values)),
        Mutation::Rename(at, v) => rename(document, at.get::<String>(&places), v.get(values)),
        Mutation::Add(at, k, v) => add(
            document,
            at.get::<String>(&places),
            k.get::<&str>(&KEYS),
            v.get(values),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// The same on the example, one to three changes at a time.
    #[test]
    fn what_the_schema_refuses_apply_refuses(
        mutations in proptest::collection::vec(mutation(), 1..=3)
    ) {
        let values = values();
        let mut document = as_json(EXAMPLE);
        for m in &mutations {
            mutate(&mut document, m, &values);
        }
        agree(&document);
    }
}
