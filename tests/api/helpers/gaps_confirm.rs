//! `haven import` of one message, with the receiving server Haven trusts set
//! (`HAVEN_IMPORT_TRUSTED_AUTHSERV_ID`), for the tests of imported senders' addresses.

use super::TestApp;

/// The authserv-id the tests configure as trusted.
pub const TRUSTED: &str = "mx.ngo.example";

/// The header the trusted server adds for a DKIM pass by `domain`.
#[allow(dead_code)] // not every test binary uses it
pub fn trusted_pass(domain: &str) -> String {
    format!("Authentication-Results: {TRUSTED}; dkim=pass header.d={domain} header.s=s1\n")
}

/// Imports `mail` (written with CRLF) into `slug` with `TRUSTED` configured; returns
/// the exit code and output.
#[allow(dead_code)]
pub fn import_trusting(app: &TestApp, slug: &str, name: &str, mail: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, mail.replace('\n', "\r\n")).unwrap();
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["import", "--programme", slug, file.to_str().unwrap()])
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", url)
        .env("HAVEN_IMPORT_TRUSTED_AUTHSERV_ID", TRUSTED)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}
