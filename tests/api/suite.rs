//! The suite's own rules, read from its sources: nothing is skipped without saying so.

/// Every `.rs` file of the suite.
fn sources() -> Vec<(std::path::PathBuf, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("tests/api readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api"),
        &mut out,
    );
    out
}

/// `cargo test` on SQLite lists a PostgreSQL-only test as ignored, with its reason;
/// `.ci/run` runs the suite on PostgreSQL with `--include-ignored`. So an ignored test
/// must be a PostgreSQL-only one (timings go to `ops/bench`), and no test may pass by
/// returning early on the wrong backend.
#[test]
fn ignored_tests_are_postgresql_only_and_none_returns_early_on_a_backend() {
    // Spelled in parts so this file does not find itself.
    let ignore = concat!("#[", "ignore");
    let early = concat!("on_postgres", "() {");
    for (path, text) in sources() {
        for (at, _) in text.match_indices(ignore) {
            assert!(
                text[at..].starts_with(concat!("#[", "ignore = \"PostgreSQL only")),
                "{}: an ignored test that is not PostgreSQL-only (or gives no reason)",
                path.display()
            );
        }
        for (n, line) in text.lines().enumerate() {
            if line.contains(early) {
                let next: String = text.lines().skip(n + 1).take(4).collect();
                assert!(
                    !next.contains("return"),
                    "{}:{}: a test returns early on one backend; ignore it with a reason instead",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}
