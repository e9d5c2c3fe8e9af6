//! Retention: `haven purge` removes enquiries past their programme's period with
//! everything about them, keeps those under legal hold and those with a message still
//! to send, and audits counts only.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, on_postgres, spawn_app};
use crate::staff::{signed_in, submit_enquiry};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn age_by_days(app: &TestApp, id: &str, days: i64) {
    haven::store::test_support::execute(
        &app.store,
        "UPDATE enquiries SET created_hour = created_hour - $1 WHERE id = $2",
        &[(days * 86_400).into(), id.into()],
    )
    .await
    .unwrap();
}

fn purge_cli(app: &TestApp) -> (bool, String) {
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("purge")
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", url)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Rows of the confirmation and caller-check tables about enquiry `$1`.
const SEEDED: [&str; 6] = [
    // The address's blind index, as the worker would compute it (any distinct bytes).
    "UPDATE enquiries SET contact_index = reference_hash WHERE id = $1",
    "INSERT INTO contact_codes (enquiry_id, code_hash, attempts, issued_hour, confirmed) \
     VALUES ($1, NULL, 0, 0, 1)",
    "INSERT INTO contact_requests (id, enquiry_id, kind, created_at) \
     SELECT 'req-' || id, id, 'send', 0 FROM enquiries WHERE id = $1",
    "INSERT INTO contact_sends (contact_index, sent_hour) \
     SELECT contact_index, 0 FROM enquiries WHERE id = $1",
    "INSERT INTO caller_checks (id, enquiry_id, staff_id, number_hash, created_at, expires_at) \
     SELECT 'check-' || id, id, 'staff', reference_hash, 0, 0 FROM enquiries WHERE id = $1",
    "INSERT INTO caller_answers (id, enquiry_id, number_hash, answered_at) \
     SELECT 'answer-' || id, id, reference_hash, 0 FROM enquiries WHERE id = $1",
];

const SEEDED_TABLES: [&str; 4] = [
    "contact_codes",
    "contact_requests",
    "caller_checks",
    "caller_answers",
];

/// How many rows of `table` are about `id`.
async fn seeded(app: &TestApp, table: &str, id: &str) -> i64 {
    let sql: &'static str = match table {
        "contact_codes" => "SELECT COUNT(*) FROM contact_codes WHERE enquiry_id = $1",
        "contact_requests" => "SELECT COUNT(*) FROM contact_requests WHERE enquiry_id = $1",
        "caller_checks" => "SELECT COUNT(*) FROM caller_checks WHERE enquiry_id = $1",
        _ => "SELECT COUNT(*) FROM caller_answers WHERE enquiry_id = $1",
    };
    haven::store::test_support::scalar(&app.store, sql, &[id.into()])
        .await
        .unwrap()
}

#[tokio::test]
async fn purge_removes_expired_enquiries_and_everything_about_them_but_keeps_holds() {
    let app = spawn_app().await;
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let (old, _) = submit_enquiry(&app, SLUG).await;
    let (held, _) = submit_enquiry(&app, SLUG).await;
    let (fresh, _) = submit_enquiry(&app, SLUG).await;
    let old_page = format!("/console/e/{old}");
    sup.post(
        &old_page,
        &format!("{old_page}/note"),
        &[("text", "note on the old one".into())],
    )
    .await;
    let r = sup
        .post(
            &old_page,
            &format!("{old_page}/reply"),
            &[("subject", "Hello".into()), ("text", "A reply".into())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let held_page = format!("/console/e/{held}");
    let h = sup
        .post(
            &held_page,
            &format!("{held_page}/hold"),
            &[("hold", "1".into())],
        )
        .await;
    assert_eq!(h.status, StatusCode::SEE_OTHER);
    let old_ciphertext = app
        .store
        .enquiry(&old)
        .await
        .unwrap()
        .unwrap()
        .sealed
        .ciphertext;
    // What other tables hold about the old one (and, as a control, the fresh one): a
    // confirmation, a request to the worker, a send counted against the address, a
    // caller check and its answer.
    for id in [&old, &fresh] {
        for sql in SEEDED {
            let n = haven::store::test_support::execute(&app.store, sql, &[id.as_str().into()])
                .await
                .unwrap();
            assert_eq!(n, 1, "{sql}");
        }
    }
    // The example keeps enquiries 365 days.
    age_by_days(&app, &old, 366).await;
    age_by_days(&app, &held, 400).await;
    age_by_days(&app, &fresh, 364).await;

    let (ok, out) = purge_cli(&app);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!(
            "{SLUG}: 1 enquiries, 1 notes, 1 replies, 0 messages purged"
        )),
        "{out}"
    );
    assert!(app.store.enquiry(&old).await.unwrap().is_none());
    assert!(app.store.notes(&old).await.unwrap().is_empty());
    assert!(app.store.replies_of(&old).await.unwrap().is_empty());
    assert!(
        app.store.enquiry(&held).await.unwrap().is_some(),
        "legal hold keeps it"
    );
    assert!(
        app.store.enquiry(&fresh).await.unwrap().is_some(),
        "within the period"
    );
    for (id, left) in [(&old, 0), (&fresh, 1)] {
        for table in SEEDED_TABLES {
            assert_eq!(seeded(&app, table, id).await, left, "{table} of {id}");
        }
    }
    // The send counted against the old address went; the fresh one's stays.
    let sends = |sql: &'static str| {
        let store = app.store.clone();
        let fresh = fresh.clone();
        async move {
            haven::store::test_support::scalar(&store, sql, &[fresh.as_str().into()])
                .await
                .unwrap()
        }
    };
    assert_eq!(
        sends(
            "SELECT COUNT(*) FROM contact_sends s JOIN enquiries e \
             ON e.contact_index = s.contact_index WHERE e.id = $1"
        )
        .await,
        1
    );
    assert_eq!(
        sends("SELECT COUNT(*) FROM contact_sends WHERE $1 <> ''").await,
        1
    );

    let purges = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "retention.purge".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(purges.len(), 1);
    assert!(purges[0].detail.contains("\"enquiries\":1") && !purges[0].detail.contains(&old));
    assert_eq!(purges[0].actor, "cli");
    let holds = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "enquiry.hold".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(holds.len(), 1);

    // Gone from the files too, not only from queries.
    let sample = &old_ciphertext[old_ciphertext.len() - 64..];
    // A control: the kept enquiry's bytes are found the same way.
    let kept = app
        .store
        .enquiry(&held)
        .await
        .unwrap()
        .unwrap()
        .sealed
        .ciphertext;
    let kept = &kept[kept.len() - 64..];
    if on_postgres() {
        let url = match &app.config.database {
            haven::config::DatabaseUrl::Postgres(u) => u.clone(),
            _ => unreachable!(),
        };
        let dump = std::process::Command::new("pg_dump")
            .arg("--no-owner")
            .arg(&url)
            .output()
            .unwrap();
        assert!(dump.status.success());
        // bytea is dumped as hex. (The enquiry's id stays in the audit log, as metadata.)
        assert!(
            contains(&dump.stdout, hex::encode(kept).as_bytes()),
            "the check can see ciphertexts"
        );
        assert!(
            !contains(&dump.stdout, hex::encode(sample).as_bytes()),
            "purged ciphertext in pg_dump"
        );
    } else {
        let mut seen_kept = false;
        for name in ["haven.db", "haven.db-wal"] {
            let bytes = std::fs::read(app.config.data_dir.join(name)).unwrap_or_default();
            seen_kept |= contains(&bytes, kept);
            assert!(
                !contains(&bytes, sample),
                "purged ciphertext still in {name}"
            );
        }
        assert!(seen_kept, "the check can see ciphertexts");
    }

    // A second run finds nothing more and writes no audit entry.
    let (ok, out) = purge_cli(&app);
    assert!(ok && out.contains("0 enquiries"), "{out}");
    let purges = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "retention.purge".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(purges.len(), 1);
}

#[tokio::test]
async fn an_enquiry_with_a_message_still_to_send_waits_for_it() {
    // No worker here, so the email stays queued.
    let app = crate::helpers::spawn_with(crate::helpers::Settings {
        roles: haven::app::Roles::only(&[haven::app::Role::Public, haven::app::Role::Console]),
        ..Default::default()
    })
    .await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut answers = crate::helpers::valid_answers();
    answers.retain(|(k, _)| *k != "contact_mode");
    answers.push(("contact_mode", "email".into()));
    answers.push(("contact_email", "ana@example.org".into()));
    let res = app.post_form(&format!("/p/{SLUG}"), &answers).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = app.only_enquiry().await.id;
    let page = format!("/console/e/{id}");
    let r = agent
        .post(
            &page,
            &format!("{page}/reply"),
            &[("subject", "Hello".into()), ("text", "A reply".into())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    age_by_days(&app, &id, 400).await;
    let (ok, out) = purge_cli(&app);
    assert!(ok && out.contains("0 enquiries"), "{out}");
    assert!(app.store.enquiry(&id).await.unwrap().is_some());
    // Once sent, it goes.
    haven::store::test_support::execute(&app.store, "UPDATE outbox SET state = 'sent'", &[])
        .await
        .unwrap();
    let (ok, out) = purge_cli(&app);
    assert!(ok && out.contains("1 enquiries"), "{out}");
    assert!(app.store.enquiry(&id).await.unwrap().is_none());
}
