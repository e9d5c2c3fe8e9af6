//! The operator's command line, run as the real binary.

use std::process::Command;

use crate::helpers::{EXAMPLE, database_url};

fn haven(data_dir: &std::path::Path, db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", data_dir)
        .env("HAVEN_DATABASE_URL", db)
        .output()
        .expect("run haven")
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
