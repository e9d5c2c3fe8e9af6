//! One database account per Haven role (issue 17, item 13): on PostgreSQL the public,
//! console and worker processes each connect as their own account, granted only what
//! their role uses (`ops/postgres/roles.sql`, `store::access`). Each role does its job
//! under its own account through the real binary; what a stolen public host would try
//! next is refused by PostgreSQL itself; every table has a decision for every account.

use std::collections::BTreeSet;
use std::time::Duration;

use haven::store::access::{ACCOUNTS, Privilege, TABLES, privileges};
use sqlx::{Connection, Row};

use crate::helpers::{SLUG, database_url, extract_input, on_postgres};
use crate::processes::{Installation, Server, inbox_status, submit_form};
use crate::smtp_sink::SmtpSink;

const PG_ONLY: &str = "set HAVEN_TEST_POSTGRES_URL: database accounts exist only on PostgreSQL";

/// The same database, reached as `account` (trust authentication in the test cluster;
/// an operator's URL carries a password or a certificate).
fn as_account(url: &str, account: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{account}@{host}")
}

/// Runs `sql` as `account`: `Err(SQLSTATE)` if PostgreSQL refused it.
async fn run_as(url: &str, account: &str, sql: &str) -> Result<(), String> {
    let mut conn = sqlx::PgConnection::connect(&as_account(url, account))
        .await
        .unwrap_or_else(|e| panic!("{account} cannot connect: {e}"));
    let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await;
    conn.close().await.ok();
    match done {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) => Err(e.code().map(|c| c.into_owned()).unwrap_or_default()),
        Err(e) => panic!("{sql}: {e}"),
    }
}

/// `sql` as `account` must be refused for want of a privilege (SQLSTATE 42501).
async fn assert_refused(url: &str, account: &str, sql: &str) {
    let got = run_as(url, account, sql).await;
    assert_eq!(
        got,
        Err("42501".to_owned()),
        "{account} was not refused: {sql}"
    );
}

fn no_permission_errors(server: &Server) {
    let log = server.log_text();
    assert!(
        !log.contains("permission denied"),
        "{} hit a missing grant:\n{log}",
        server.name
    );
}

#[tokio::test]
#[ignore = "PostgreSQL only (database accounts): .ci/run runs it with HAVEN_TEST_POSTGRES_URL and --include-ignored"]
async fn db_roles_each_role_works_under_its_own_account_and_the_public_account_cannot_rewrite_delete_or_probe()
 {
    assert!(on_postgres(), "{PG_ONLY}");
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let sink = SmtpSink::start().await;
    // The operator: migrates (which creates the accounts and grants), applies the
    // programme and adds staff as the database owner.
    let owner = Installation::new(dir.path(), &db)
        .with("HAVEN_SMTP_URL", &sink.url())
        .with("HAVEN_SMTP_RATE", "off")
        .with("HAVEN_PUBLIC_URL", "https://help.example.org");
    let migrated = owner.run(&["migrate"]);
    assert!(String::from_utf8_lossy(&migrated.stdout).contains("haven_public"));
    owner.apply_example();
    owner.add_user("sup@example.org", "supervisor", crate::staff::PASSWORD);
    let under = |account: &str| {
        let mut i = owner.clone();
        i.database_url = as_account(&db, account);
        i
    };

    let public = under("haven_public").serve("public", &["public"]).await;
    let console = under("haven_console").serve("console", &["console"]).await;
    let worker = under("haven_worker")
        .with("HAVEN_LOG", "info,haven::outbound=debug")
        .serve("worker", &["worker"])
        .await;

    // The public role: a submission end to end, and the reply inbox.
    let client = reqwest::Client::new();
    let email = "omar@example.org";
    let receipt = submit_form(
        &client,
        &public.base,
        &[
            ("contact_mode", "email".into()),
            ("contact_email", email.into()),
        ],
    )
    .await
    .expect("the public account stores a submission");
    assert!(
        !inbox_status(&client, &public.base, &receipt)
            .await
            .is_empty()
    );
    let metrics = reqwest::get(format!("{}/metrics", public.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("haven_queue_enquiries{"),
        "the public role's gauges: {metrics}"
    );

    // The console role: a supervisor signs in, reads the enquiry and replies.
    let store = haven::store::Store::connect(&haven::config::DatabaseUrl::parse(&db).unwrap())
        .await
        .unwrap();
    let intake = haven::crypto::IntakeKey::load(&dir.path().join("intake.key")).unwrap();
    let code = haven::domain::ReferenceCode::parse(&receipt.reference).unwrap();
    let hash = haven::intake::submission::reference_hash(&intake, &code);
    let id = store
        .enquiry_by_reference(&hash)
        .await
        .unwrap()
        .expect("stored")
        .id;
    // The worker mails the confirmation code; typed in the inbox (public), the worker
    // confirms the address (issue 19), each under its own account.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(code) = sink
            .accepted()
            .iter()
            .filter(|t| t.rcpt.iter().any(|r| r == email))
            .find_map(crate::confirm::code_in)
        {
            break code;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not send the code:\n{}",
            worker.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let status_path = format!("{}/p/{SLUG}/status", public.base);
    let form = client
        .get(&status_path)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let inbox = client
        .post(&status_path)
        .form(&[
            ("csrf", extract_input(&form, "csrf").unwrap()),
            ("reference", receipt.reference.clone()),
            ("passphrase", receipt.passphrase.clone()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let section = &inbox[inbox.find("id=\"contact\"").expect("the email section")..];
    let typed = client
        .post(format!("{}/inbox/contact", public.base))
        .header("origin", &public.base)
        .form(&[
            ("csrf", extract_input(section, "csrf").unwrap()),
            ("reference", receipt.reference.clone()),
            ("passphrase", receipt.passphrase.clone()),
            ("do", "code".to_owned()),
            ("code", code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        typed.status(),
        reqwest::StatusCode::OK,
        "{}",
        public.log_text()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !store
        .contact_code(&id)
        .await
        .unwrap()
        .is_some_and(|c| c.confirmed)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not confirm the address:\n{}",
            worker.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut sup = crate::staff::Staff::at(&console.base, "sup@example.org");
    sup.sign_in().await;
    sup.acknowledge_rules(SLUG).await;
    let page = sup.get(&format!("/console/e/{id}")).await;
    assert_eq!(page.status, reqwest::StatusCode::OK, "{}", page.body);
    let page = sup
        .get(&format!("/console/e/{id}?template=acknowledgement"))
        .await;
    let (template, subject, _) = crate::replies::reply_fields(&page, &id);
    let said = "Your papers are ready at the consulate, bring this code.";
    let done = crate::replies::post_reply(&mut sup, &id, &template, &subject, said).await;
    crate::replies::assert_replied(&done, &id);

    // The worker role sends it (and the staff notice about the new second factor).
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    // The reply's email comes after the code's.
    while sink
        .accepted()
        .iter()
        .filter(|t| t.rcpt.iter().any(|r| r == email))
        .count()
        < 2
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker did not send the reply:\n{}",
            worker.log_text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The reply inbox shows the reply, opened with the enquirer's own codes.
    let path = format!("{}/p/{SLUG}/status", public.base);
    let form = client
        .get(&path)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let inbox = client
        .post(&path)
        .form(&[
            ("csrf", extract_input(&form, "csrf").unwrap()),
            ("reference", receipt.reference.clone()),
            ("passphrase", receipt.passphrase.clone()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        crate::helpers::html_unescape(&inbox).contains(said),
        "{inbox}"
    );

    for server in [&public, &console, &worker] {
        no_permission_errors(server);
    }

    // What a stolen public host tries next, straight to the database as its account.
    let public_refused = [
        // Seal new enquiries to the attacker's key.
        "UPDATE programme_keys SET recipient = 'age1attacker'",
        "UPDATE programmes SET definition = definition || E'\\nescrow = \"age1attacker\"'",
        "INSERT INTO programme_keys (id, programme_id, recipient, created_at) \
         SELECT 'k2', id, 'age1attacker', 0 FROM programmes",
        // Destroy or change what people sent.
        "DELETE FROM enquiries",
        "UPDATE enquiries SET status = 'closed'",
        "DELETE FROM replies",
        // "Did this address ask for help?" against the blind index.
        "SELECT count(*) FROM enquiries WHERE contact_index IS NOT NULL",
        "SELECT contact_index FROM enquiries",
        "SELECT ciphertext FROM enquiries",
        // Staff, sessions, the audit log, the outbox's contents, notes.
        "SELECT * FROM users",
        "SELECT * FROM sessions",
        "SELECT * FROM recovery_codes",
        "SELECT * FROM audit_log",
        "INSERT INTO audit_log (seq, at, actor, action, subject, outcome, detail, prev_hash, hash) \
         VALUES (999, 0, 'x', 'x', 'x', 'x', '{}', '', '')",
        "SELECT ciphertext FROM outbox",
        "SELECT * FROM notes",
        "SELECT * FROM referrals",
        "SELECT wrapped_identity FROM programme_keys",
        "SELECT * FROM staff_notices",
        "SELECT * FROM throttle_windows",
        // Nor plant anything in the schema.
        "CREATE TABLE planted (x int)",
    ];
    for sql in public_refused {
        assert_refused(&db, "haven_public", sql).await;
    }
    // The console never deletes an enquiry, rewrites a key's recipient or the audit log.
    for sql in [
        "DELETE FROM enquiries",
        "UPDATE programme_keys SET recipient = 'age1attacker'",
        "UPDATE audit_log SET detail = '{}'",
        "DELETE FROM audit_log",
    ] {
        assert_refused(&db, "haven_console", sql).await;
    }
    // The worker appends to the audit log but cannot read it, nor staff secrets, nor
    // edit a programme.
    for sql in [
        "SELECT * FROM audit_log",
        "SELECT password_hash FROM users",
        "SELECT totp_ciphertext FROM users",
        "SELECT * FROM sessions",
        "UPDATE programmes SET definition = ''",
        "UPDATE programme_keys SET recipient = 'age1attacker'",
    ] {
        assert_refused(&db, "haven_worker", sql).await;
    }
    // Nothing above happened: the enquiry and the key are as they were.
    assert_eq!(store.count_enquiries().await.unwrap(), 1);
    let programme = store.programme_by_slug(SLUG).await.unwrap().unwrap();
    assert!(programme.recipient.starts_with("age1") && programme.recipient != "age1attacker");

    // The worker's scheduled jobs, through the same store code its process runs, as
    // its account (each would otherwise wait for an hour to close or a period to
    // pass): a key rotation on the console's account, re-sealing, re-placing arrivals
    // (delete and write again), and the retention purge.
    let connect = |account: &str| {
        let url = as_account(&db, account);
        async move {
            haven::store::Store::connect(&haven::config::DatabaseUrl::parse(&url).unwrap())
                .await
                .unwrap()
        }
    };
    let (as_console, as_worker) = (
        connect("haven_console").await,
        connect("haven_worker").await,
    );
    let master = dir.path().join("master.key");
    let console_keys = crate::helpers::keyring_at(&as_console, &master).await;
    let key = haven::crypto::ProgrammeKeyPair::generate(&console_keys.recipient()).unwrap();
    let rotated = as_console
        .rotate_programme_key(
            &programme.id,
            &key,
            &console_keys.programme_signer(),
            &haven::audit::Entry::new(
                &haven::audit::Actor::Cli,
                haven::audit::AuditAction::ProgrammeRotateKey,
                &format!("programme:{SLUG}"),
            ),
        )
        .await
        .expect("the console's account rotates a key");
    assert!(rotated, "the programme's signed state verified");
    // A rotation from the web re-seals on the console's account: it reads each
    // table's stale rows (the masked address of a confirmation among them) and the
    // key usage, and may rewrite each.
    as_console
        .key_usage(&programme.id)
        .await
        .expect("the console's account counts each key's ciphertexts");
    for table in haven::store::SealedTable::ALL {
        as_console
            .stale_rows(table, &programme.id, &key.key_id, 10)
            .await
            .unwrap_or_else(|e| panic!("the console's account reads {}: {e}", table.name()));
    }
    let untouched = as_console
        .reseal(
            haven::store::SealedTable::ContactCodes,
            "no-such-enquiry",
            "no-such-key",
            &haven::crypto::Sealed {
                key_id: key.key_id.clone(),
                format_version: 1,
                ciphertext: vec![0],
            },
        )
        .await
        .expect("the console's account may re-seal a masked address");
    assert!(!untouched);
    let worker_keys = crate::helpers::keyring_at(&as_worker, &master).await;
    let resealed = haven::rotation::reseal_everything(&as_worker, &worker_keys)
        .await
        .expect("the worker's account re-seals");
    assert!(resealed >= 2, "the enquiry and its reply: {resealed}");
    let placed = as_worker
        .place_arrivals(haven::store::hour_of(haven::store::now()) + 7200)
        .await
        .expect("the worker's account re-places arrivals");
    assert_eq!(placed, 1);
    let purged = as_worker
        .purge_expired(
            &programme.id,
            SLUG,
            haven::store::now() + 86_400,
            &haven::audit::Actor::System(haven::audit::SystemTask::Purge),
        )
        .await
        .expect("the worker's account purges");
    assert_eq!((purged.enquiries, purged.replies), (1, 1));
    assert_eq!(store.count_enquiries().await.unwrap(), 0);
    assert!(matches!(
        store.verify_audit().await.unwrap(),
        haven::audit::Verdict::Intact { .. }
    ));
}

/// Every table PostgreSQL has after the migrations, with the privileges each role
/// account holds on it (table-wide, or per column).
async fn granted(url: &str) -> (BTreeSet<String>, BTreeSet<(String, String, Privilege)>) {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let tables: BTreeSet<String> = sqlx::query(
        "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema()",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("t"))
    .collect();
    let mut held = BTreeSet::new();
    for r in sqlx::query(
        "SELECT c.relname::text AS t, g.rolname::text AS account, a.privilege_type AS p, \
         NULL::text AS col \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN pg_roles g ON g.oid = a.grantee \
         WHERE n.nspname = current_schema() AND g.rolname = ANY($1) \
         UNION ALL \
         SELECT c.relname::text, g.rolname::text, a.privilege_type, att.attname::text \
         FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         CROSS JOIN LATERAL aclexplode(att.attacl) a JOIN pg_roles g ON g.oid = a.grantee \
         WHERE n.nspname = current_schema() AND g.rolname = ANY($1)",
    )
    .bind(ACCOUNTS.map(str::to_owned).to_vec())
    .fetch_all(&mut conn)
    .await
    .unwrap()
    {
        held.insert((
            r.get::<String, _>("t"),
            r.get::<String, _>("account"),
            (r.get::<String, _>("p"), r.get::<Option<String>, _>("col")),
        ));
    }
    conn.close().await.ok();
    (tables, held)
}

#[tokio::test]
#[ignore = "PostgreSQL only (database accounts): .ci/run runs it with HAVEN_TEST_POSTGRES_URL and --include-ignored"]
async fn db_roles_every_table_has_a_decision_for_every_account_and_the_grants_are_exactly_those() {
    assert!(on_postgres(), "{PG_ONLY}");
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    Installation::new(dir.path(), &db).run(&["migrate"]);
    let (tables, held) = granted(&db).await;

    let decided: BTreeSet<String> = TABLES.iter().map(|t| t.table.to_owned()).collect();
    let undecided: Vec<&String> = tables.difference(&decided).collect();
    assert!(
        undecided.is_empty(),
        "tables with no decision for the role accounts (add them to store::access::TABLES \
         and ops/postgres/roles.sql): {undecided:?}"
    );
    let gone: Vec<&String> = decided.difference(&tables).collect();
    assert!(gone.is_empty(), "decided but not in the schema: {gone:?}");

    let mut expected = BTreeSet::new();
    for t in TABLES {
        for account in ACCOUNTS {
            for p in privileges(t.of(account).expect("a role account")) {
                expected.insert((t.table.to_owned(), account.to_owned(), p));
            }
        }
    }
    let extra: Vec<_> = held.difference(&expected).collect();
    let missing: Vec<_> = expected.difference(&held).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "ops/postgres/roles.sql and store::access::TABLES disagree:\n\
         granted but not decided: {extra:?}\ndecided but not granted: {missing:?}"
    );

    // Run again (as every later `haven migrate` does), the grants are the same.
    Installation::new(dir.path(), &db).run(&["migrate"]);
    assert_eq!(granted(&db).await.1, held);
}

/// SQLite has no accounts, but the same tables: a table added on one backend and not
/// decided for the PostgreSQL accounts fails here too, on every test run.
#[tokio::test]
async fn db_roles_every_sqlite_table_is_decided_for_the_postgres_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("haven.db").display());
    let store = haven::store::Store::connect(&haven::config::DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let tables: BTreeSet<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("name"))
    .collect();
    let decided: BTreeSet<String> = TABLES.iter().map(|t| t.table.to_owned()).collect();
    assert_eq!(
        tables, decided,
        "store::access::TABLES must list exactly the tables there are"
    );
}
