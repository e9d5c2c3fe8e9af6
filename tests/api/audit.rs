//! The audit log as an operator and an attacker meet it: appends from many tasks stay
//! one unbroken chain, and any change made behind Haven's back is named by
//! `haven audit verify`.

use std::process::Command;

use haven::audit::{Actor, AuditAction, Entry, Verdict};

use crate::helpers::spawn_app;

fn verify_cli(app: &crate::helpers::TestApp) -> (Option<i32>, String) {
    let db = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["audit", "verify"])
        .env_clear()
        .env("HAVEN_DATABASE_URL", db)
        .env("HAVEN_DATA_DIR", app.config.data_dir.as_os_str())
        .output()
        .expect("run haven");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn concurrent_appends_form_one_unbroken_chain() {
    let app = spawn_app().await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = app.store.clone();
            tokio::spawn(async move {
                store
                    .record_audit(&Entry::new(
                        &Actor::staff("test"),
                        AuditAction::EnquiryView,
                        &format!("enquiry:{i}"),
                    ))
                    .await
                    .expect("append")
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for t in tasks {
        seqs.push(t.await.unwrap());
    }
    seqs.sort();
    seqs.dedup();
    assert_eq!(seqs.len(), 40, "every append got its own sequence number");
    // Applying the example wrote the first entry.
    match app.store.verify_audit().await.unwrap() {
        Verdict::Intact { entries, .. } => assert_eq!(entries, 41),
        broken => panic!("{broken:?}"),
    }
    let (code, out) = verify_cli(&app);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("intact: 41 entries"), "{out}");
}

#[tokio::test]
async fn a_row_changed_in_the_database_is_named_by_verify() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.store
            .record_audit(&Entry::new(
                &Actor::staff("a"),
                AuditAction::EnquiryNote,
                &format!("enquiry:{i}"),
            ))
            .await
            .unwrap();
    }
    haven::store::test_support::execute(
        &app.store,
        "UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 3",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        app.store.verify_audit().await.unwrap(),
        Verdict::Broken {
            seq: 3,
            reason: "contents changed after it was written"
        }
    );
    let (code, out) = verify_cli(&app);
    assert_eq!(code, Some(1));
    assert!(out.contains("BROKEN at entry 3"), "{out}");
}

#[tokio::test]
async fn removed_entries_are_detected_in_the_middle_and_at_the_end() {
    let app = spawn_app().await;
    for i in 0..5 {
        app.store
            .record_audit(&Entry::new(
                &Actor::staff("a"),
                AuditAction::EnquiryView,
                &format!("enquiry:{i}"),
            ))
            .await
            .unwrap();
    }
    haven::store::test_support::execute(&app.store, "DELETE FROM audit_log WHERE seq = 6", &[])
        .await
        .unwrap();
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        Verdict::Broken { seq: 6, .. }
    ));
    haven::store::test_support::execute(&app.store, "DELETE FROM audit_log WHERE seq = 4", &[])
        .await
        .unwrap();
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        Verdict::Broken {
            seq: 4,
            reason: "entry missing"
        }
    ));
}

#[tokio::test]
async fn programme_changes_are_audited_without_content() {
    let app = spawn_app().await;
    let rows = haven::store::test_support::fetch_all(
        &app.store,
        "SELECT actor, action, subject, detail FROM audit_log ORDER BY seq",
        &[],
    )
    .await
    .unwrap();
    use sqlx::Row;
    let first: (String, String, String, String) = (
        rows[0].get("actor"),
        rows[0].get("action"),
        rows[0].get("subject"),
        rows[0].get("detail"),
    );
    assert_eq!(
        (first.0.as_str(), first.1.as_str(), first.2.as_str()),
        ("cli", "programme.create", "programme:afghanistan-2021")
    );
    // The version and the names of what the new programme grants (paths in the file),
    // never a text of it.
    let detail: serde_json::Value = serde_json::from_str(&first.3).unwrap();
    assert_eq!(detail["version"], 1);
    assert!(
        detail["widened"]
            .as_array()
            .unwrap()
            .contains(&"partners.resettlement-ngo".into()),
        "{detail}"
    );
    assert!(!first.3.contains("Afghanistan"), "{detail}");
}
