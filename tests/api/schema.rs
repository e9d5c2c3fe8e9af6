//! The programme file's JSON Schema (`haven programme schema`, committed as
//! `ops/examples/programme.schema.json`), checked with a real validator: the committed
//! copy is what the binary prints; every example and every export the suite makes is
//! valid; each known-bad file is refused by the schema and by `apply`, at the same
//! place; and the files in `tests/programmes/parser-only/` show where `apply` is
//! stricter than a schema can be (they pass the schema, `apply` refuses them).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::helpers::{SLUG, database_url, spawn_app};
use crate::programmes::{admin, cli, edit, exported, saved, version_of};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The committed schema, as editors read it.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let path = root().join("ops/examples/programme.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// What the schema says about a TOML text: each error as `pointer: message`.
fn schema_errors(text: &str) -> Vec<(String, String)> {
    let value: Value = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    validator()
        .iter_errors(&value)
        .map(|e| (e.instance_path().to_string(), e.to_string()))
        .collect()
}

/// An export starts with the `#:schema` line and is valid against the schema.
pub(crate) fn assert_valid_export(text: &str) {
    assert_eq!(
        text.lines().next(),
        Some(haven::programme::schema::DIRECTIVE),
        "an export starts with the #:schema line:\n{text}"
    );
    let errors = schema_errors(text);
    assert!(
        errors.is_empty(),
        "an export the schema refuses: {errors:?}\n{text}"
    );
}

fn haven(data_dir: &Path, db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", data_dir)
        .env("HAVEN_DATABASE_URL", db)
        .output()
        .expect("run haven")
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no files in {dir}");
    files
}

/// The value of a `# name: value` line at the top of a test file.
fn said(text: &str, name: &str) -> String {
    let prefix = format!("# {name}:");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line"))
        .trim()
        .to_owned()
}

#[test]
fn the_committed_schema_is_what_haven_programme_schema_prints() {
    // No database and no key: the command needs neither.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["programme", "schema"])
        .env_clear()
        .env("HAVEN_DATA_DIR", dir.path().join("absent"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let committed =
        std::fs::read_to_string(root().join("ops/examples/programme.schema.json")).unwrap();
    assert!(
        printed == committed,
        "ops/examples/programme.schema.json is out of date: \
         cargo run -- programme schema > ops/examples/programme.schema.json"
    );
    assert!(!dir.path().join("absent").exists(), "nothing was created");
    let schema: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[tokio::test]
async fn every_example_is_valid_applies_and_exports_to_a_no_op() {
    for path in toml_files("ops/examples") {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some(haven::programme::schema::DIRECTIVE),
            "{}",
            path.display()
        );
        assert_eq!(schema_errors(&text), [], "{}", path.display());

        let dir = tempfile::tempdir().unwrap();
        let db = database_url(dir.path()).await;
        let out = haven(
            dir.path(),
            &db,
            &["programme", "apply", path.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let slug = haven::programme::Programme::parse(&text)
            .unwrap()
            .slug()
            .to_string();
        let out = haven(dir.path(), &db, &["programme", "export", &slug]);
        let export = String::from_utf8(out.stdout).unwrap();
        assert_valid_export(&export);
        let file = dir.path().join("exported.toml");
        std::fs::write(&file, &export).unwrap();
        let out = haven(
            dir.path(),
            &db,
            &["programme", "apply", file.to_str().unwrap()],
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains(&format!("{slug} unchanged (version 1)")),
            "{stdout}"
        );
    }
}

#[tokio::test]
async fn known_bad_files_are_refused_by_the_schema_and_by_apply_at_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    for path in toml_files("tests/programmes/bad") {
        let name = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        let pointer = said(&text, "schema");
        let errors = schema_errors(&text);
        assert!(
            errors.iter().any(|(at, _)| *at == pointer),
            "{name}: the schema should refuse {pointer:?}; it said {errors:?}"
        );
        let out = haven(
            dir.path(),
            &db,
            &["programme", "apply", path.to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        let place = said(&text, "apply");
        assert!(
            stderr.contains(&place),
            "{name}: apply should name {place:?}: {stderr}"
        );
    }
    let out = haven(dir.path(), &db, &["programme", "list"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("bad-file"));
}

#[tokio::test]
async fn where_apply_is_stricter_than_the_schema_the_file_passes_the_schema_and_apply_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    for path in toml_files("tests/programmes/parser-only") {
        let name = path.display();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(schema_errors(&text), [], "{name}");
        let out = haven(
            dir.path(),
            &db,
            &["programme", "apply", path.to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        let place = said(&text, "apply");
        assert!(
            stderr.contains(&place),
            "{name}: apply should name {place:?}: {stderr}"
        );
    }
}

#[tokio::test]
async fn a_programme_edited_in_the_web_editor_exports_a_valid_file_that_applies_unchanged() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/fields",
            &[
                ("key", "staying_at"),
                ("kind", "text"),
                ("label", "Where are you staying now?"),
            ],
        )
        .await,
    );
    // `exported` and `cli` check every export against the schema themselves; this
    // test makes sure one of them is of a web-edited programme.
    let text = exported(&app, SLUG).await;
    assert!(text.contains("key = \"staying_at\""), "{text}");
    let (code, out) = cli(&app, &["programme", "export", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    assert_valid_export(&out);
    let file = app.config.data_dir.join("edited.toml");
    std::fs::write(&file, &out).unwrap();
    let (code, out) = cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    let version = version_of(&app, SLUG).await;
    assert!(
        out.contains(&format!("{SLUG} unchanged (version {version})")),
        "{out}"
    );
}
