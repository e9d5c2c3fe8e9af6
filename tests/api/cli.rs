//! The operator's command line, run as the real binary.

use std::process::Command;

use crate::helpers::{EXAMPLE, database_url};

/// Runs the real binary; every export it prints is checked against the JSON Schema.
fn haven(data_dir: &std::path::Path, db: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", data_dir)
        .env("HAVEN_DATABASE_URL", db)
        .output()
        .expect("run haven");
    if args.starts_with(&["programme", "export"]) && out.status.success() {
        crate::schema::assert_valid_export(&String::from_utf8_lossy(&out.stdout));
    }
    out
}

#[tokio::test]
async fn apply_then_export_round_trips_and_a_second_apply_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    let out = haven(
        dir.path(),
        &db,
        &["programme", "apply", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("created afghanistan-2021 (version 1)"));

    let out = haven(
        dir.path(),
        &db,
        &["programme", "export", "afghanistan-2021"],
    );
    assert!(out.status.success());
    let exported = String::from_utf8(out.stdout).unwrap();
    std::fs::write(&file, &exported).unwrap();
    let out = haven(
        dir.path(),
        &db,
        &["programme", "apply", file.to_str().unwrap()],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("unchanged (version 1)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let out = haven(dir.path(), &db, &["programme", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("afghanistan-2021\topen\tversion 1"));
}

#[tokio::test]
async fn a_bad_programme_file_names_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    assert!(
        haven(
            dir.path(),
            &db,
            &["programme", "apply", file.to_str().unwrap()]
        )
        .status
        .success()
    );

    // A typo in a field, on a known line.
    let mut lines: Vec<String> = EXAMPLE.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == "key = \"full_name\"")
        .unwrap();
    lines.insert(at + 1, "requird = true".into());
    let bad = lines
        .join("\n")
        .replacen("retention_days = 365", "retention_days = 30", 1);
    std::fs::write(&file, bad).unwrap();
    let out = haven(
        dir.path(),
        &db,
        &["programme", "apply", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("line {}", at + 2)), "{stderr}");
    assert!(stderr.contains("requird"), "{stderr}");

    // Nothing half-applied: the stored definition is still the first one.
    let out = haven(
        dir.path(),
        &db,
        &["programme", "export", "afghanistan-2021"],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("retention_days = 365"));
}

#[tokio::test]
async fn bad_configuration_stops_start_up_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["serve"])
        .env_clear()
        .env("HAVEN_DATA_DIR", dir.path())
        .env("HAVEN_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HAVEN_LISTEN"), "{stderr}");
}

fn haven_with_stdin(
    data_dir: &std::path::Path,
    db: &str,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", data_dir)
        .env("HAVEN_DATABASE_URL", db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run haven");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_checks_role_and_policy() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    assert!(
        haven(
            dir.path(),
            &db,
            &["programme", "apply", file.to_str().unwrap()]
        )
        .status
        .success()
    );
    let add = |args: &[&str], password: &str| {
        let mut all = vec!["user", "add"];
        all.extend_from_slice(args);
        all.push("--password-stdin");
        haven_with_stdin(dir.path(), &db, &all, password)
    };
    let refusals: [(&[&str], &str, &str); 5] = [
        (
            &["--email", "a@example.org", "--role", "agent"],
            "a long enough password\n",
            "needs a programme",
        ),
        (
            &[
                "--email",
                "a@example.org",
                "--role",
                "agent",
                "--programme",
                "nope",
            ],
            "a long enough password\n",
            "no programme",
        ),
        (
            &["--email", "a@example.org", "--role", "admin"],
            "short\n",
            "at least 12",
        ),
        (
            &["--email", "a@example.org", "--role", "admin"],
            "password1234\n",
            "common",
        ),
        (
            &["--email", "not-an-address", "--role", "admin"],
            "a long enough password\n",
            "not a valid email",
        ),
    ];
    for (args, password, message) in refusals {
        let out = add(args, password);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let out = add(
        &["--email", "Admin@Example.org", "--role", "admin"],
        "a long enough password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = add(
        &["--email", "admin@example.org", "--role", "admin"],
        "a long enough password\n",
    );
    assert_eq!(out.status.code(), Some(1), "no duplicate accounts");
    let out = haven(
        dir.path(),
        &db,
        &[
            "user",
            "grant",
            "--email",
            "admin@example.org",
            "--role",
            "supervisor",
            "--programme",
            "afghanistan-2021",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let store = haven::store::Store::connect(&haven::config::DatabaseUrl::parse(&db).unwrap())
        .await
        .unwrap();
    let user = store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .expect("created");
    assert!(user.is_admin && user.totp_ciphertext.is_none() && user.enrol_by.is_some());
    // The production cost, peppered with a key derived from the master key; the
    // trailing newline from stdin is not part of the password.
    assert!(
        user.password_hash
            .starts_with("$argon2id$v=19$m=65536,t=4,p=2$"),
        "{}",
        user.password_hash
    );
    let keyring = crate::helpers::keyring_at(&store, &dir.path().join("master.key")).await;
    let hasher = keyring.password_hasher(haven::auth::password::HashCost::Test);
    assert!(hasher.verify(&user.password_hash, "a long enough password"));
    assert!(!hasher.verify(&user.password_hash, "a long enough password\n"));
    let memberships = store.memberships(&user.id).await.unwrap();
    assert_eq!(memberships.len(), 1);
    assert_eq!(
        memberships[0].role,
        haven::casework::ProgrammeRole::Supervisor
    );
    let audit = store
        .search_audit(
            &haven::audit::Filter {
                action: "user.".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "user.add and user.grant are audited");
    assert!(
        audit
            .iter()
            .all(|e| e.actor == "cli" && !e.detail.contains("password"))
    );
}
