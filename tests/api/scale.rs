//! Haven as an operator runs it: several real `haven` processes on one database, a
//! server killed with SIGKILL in the middle of a load, roles started apart (the public
//! one unable to read the master key), and the logs they write.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use haven::config::DatabaseUrl;
use haven::crypto::IntakeKey;
use haven::domain::ReferenceCode;
use haven::store::Store;

use crate::helpers::{SLUG, database_url, on_postgres};
use crate::processes::{Installation, Receipt, Server, SubmitError, inbox_status, submit_form};
use crate::smtp_sink::SmtpSink;

async fn connect(db: &str) -> Store {
    Store::connect(&DatabaseUrl::parse(db).expect("database URL"))
        .await
        .expect("connect")
}

/// The enquiry a receipt stands for, found by its reference code as the reply inbox and
/// the console search find it (keyed hash of the code).
async fn stored_for(
    store: &Store,
    intake: &IntakeKey,
    receipt: &Receipt,
) -> Option<haven::store::EnquiryRecord> {
    let code = ReferenceCode::parse(&receipt.reference).expect("a receipt's code parses");
    let hash = haven::intake::submission::reference_hash(intake, &code);
    store.enquiry_by_reference(&hash).await.expect("query")
}

/// Outbox row ids a worker logged as sent (its JSON log, one object a line).
fn sent_by(server: &Server) -> Vec<String> {
    server
        .log_text()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["fields"]["message"] == "sent")
        .filter_map(|v| v["fields"]["outbox"].as_str().map(str::to_owned))
        .collect()
}

async fn scrape(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .expect("scrape")
        .text()
        .await
        .expect("body")
}

/// The value of one sample line (`name{labels} value`), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

/// The queue gauges of one instance's `/metrics`, as (labels, value) lines.
async fn queue_gauges(base: &str) -> BTreeMap<String, String> {
    scrape(base)
        .await
        .lines()
        .filter(|l| l.starts_with("haven_queue_enquiries{"))
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test]
#[ignore = "PostgreSQL only (several instances share a database only there): .ci/run runs it with HAVEN_TEST_POSTGRES_URL and --include-ignored"]
async fn scale_two_servers_and_two_workers_on_one_postgres_store_each_submission_once_and_send_each_message_once()
 {
    assert!(
        on_postgres(),
        "several instances share a database only on PostgreSQL; set HAVEN_TEST_POSTGRES_URL"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let sink = SmtpSink::start().await;
    // Slow enough that one worker alone could not drain the outbox before the other
    // one polls (each polls once a second when idle).
    sink.set_delay(Duration::from_millis(100));
    let installation = Installation::new(dir.path(), &db)
        .with("HAVEN_SMTP_URL", &sink.url())
        .with("HAVEN_SMTP_RATE", "off")
        .with("HAVEN_SMTP_CONNECTIONS", "2")
        .with("HAVEN_PUBLIC_URL", "https://help.example.org")
        .with("HAVEN_LOG_FORMAT", "json")
        // The sink's every message must be one to an enquirer; the emails to staff about
        // their own accounts are proved in `hardening`.
        .with("HAVEN_STAFF_NOTICES", "off");
    installation.apply_example();
    let workers_log = installation
        .clone()
        .with("HAVEN_LOG", "info,haven::outbound=debug");

    // All four start at once, as a deployment does.
    let mut servers = [
        installation.spawn_server("server-a", &["public", "console"], |_| {}),
        installation.spawn_server("server-b", &["public", "console"], |_| {}),
    ];
    let mut workers = [
        workers_log.spawn_server("worker-a", &["worker"], |_| {}),
        workers_log.spawn_server("worker-b", &["worker"], |_| {}),
    ];
    for s in servers.iter_mut().chain(workers.iter_mut()) {
        s.wait_ready().await;
    }

    // People send the form through both servers at the same time.
    let mut tasks = tokio::task::JoinSet::new();
    for (s, server) in servers.iter().enumerate() {
        for t in 0..6 {
            let base = server.base.clone();
            tasks.spawn(async move {
                let client = reqwest::Client::new();
                let mut got = Vec::new();
                for i in 0..5 {
                    let email = format!("person.{s}.{t}.{i}@example.org");
                    let receipt = submit_form(
                        &client,
                        &base,
                        &[
                            ("contact_mode", "email".into()),
                            ("contact_email", email.clone()),
                        ],
                    )
                    .await
                    .unwrap_or_else(|e| panic!("submission refused: {e:?}"));
                    got.push((receipt, email));
                }
                got
            });
        }
    }
    let mut receipts: Vec<(Receipt, String)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        receipts.extend(done.unwrap());
    }
    assert_eq!(receipts.len(), 60);

    // Every acknowledged submission is stored, exactly once.
    let store = connect(&db).await;
    let intake = IntakeKey::load(&dir.path().join("intake.key")).unwrap();
    assert_eq!(store.count_enquiries().await.unwrap(), 60);
    let mut ids = BTreeSet::new();
    for (receipt, _) in &receipts {
        let record = stored_for(&store, &intake, receipt)
            .await
            .unwrap_or_else(|| panic!("receipt {} has no enquiry", receipt.reference));
        assert!(ids.insert(record.id), "two receipts, one enquiry");
    }

    // Both instances report the same queues, and they add up to what was sent.
    let a = queue_gauges(&servers[0].base).await;
    let b = queue_gauges(&servers[1].base).await;
    assert_eq!(a, b, "instances disagree about the shared queues");
    let total: i64 = a.values().map(|v| v.parse::<i64>().unwrap()).sum();
    assert_eq!(total, 60, "{a:?}");

    // A supervisor on one server prepares a bulk reply to all of them; a second
    // supervisor, signed in on the other server, approves it. Sessions live in the
    // shared database, so neither server needs to be the one the other used.
    installation.add_user("sup.a@example.org", "supervisor", crate::staff::PASSWORD);
    installation.add_user("sup.b@example.org", "supervisor", crate::staff::PASSWORD);
    let mut sup_a = crate::staff::Staff::at(&servers[0].base, "sup.a@example.org");
    let mut sup_b = crate::staff::Staff::at(&servers[1].base, "sup.b@example.org");
    sup_a.sign_in().await;
    sup_b.sign_in().await;
    // Each reads the programme's handling rules before its first queue page.
    sup_a.acknowledge_rules(SLUG).await;
    sup_b.acknowledge_rules(SLUG).await;
    let campaigns = format!("/console/p/{SLUG}/campaigns");
    let created = sup_a
        .post(
            &campaigns,
            &campaigns,
            &[
                ("template", "acknowledgement".into()),
                ("queue", "former-staff".into()),
                ("status", String::new()),
                ("language", String::new()),
            ],
        )
        .await;
    let location = created
        .location
        .unwrap_or_else(|| panic!("campaign not created: {}", created.body));
    let campaign = location
        .strip_prefix("/console/c/")
        .and_then(|rest| rest.split(['?', '#']).next())
        .expect("redirected to the campaign")
        .to_owned();
    // Approved as its page shows it: the approval names the text it was shown.
    let shown = sup_b.get(&format!("/console/c/{campaign}")).await;
    let seen = crate::helpers::extract_input(&shown.body, "seen").expect("the text's digest");
    let approved = sup_b
        .post(
            "/console",
            &format!("/console/c/{campaign}/approve"),
            &[
                ("seen", seen),
                ("password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(approved.status, reqwest::StatusCode::SEE_OTHER);
    let record = store.campaign(&campaign).await.unwrap().unwrap();
    assert_eq!(record.state, "dispatched");
    assert_eq!(record.enquiry_count, 60);
    let rows = store.outbox_counts_for_campaign(&campaign).await.unwrap();
    assert_eq!(rows.total(), 60, "one message per person: {rows:?}");

    assert!(
        sink.wait_for_accepted(60, Duration::from_secs(60)).await,
        "only {} of 60 messages arrived",
        sink.accepted_count()
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let c = store.outbox_counts().await.unwrap();
        if c.queued == 0 && c.sending == 0 {
            assert_eq!(c.sent, 60, "{c:?}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not settled: {c:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Every process, workers included, reports the same outbox; the workers' own
    // counters add up to the messages sent.
    let mut sent_counted = 0.0;
    for process in servers.iter().chain(&workers) {
        let text = scrape(&process.base).await;
        assert!(
            text.contains("haven_outbox_messages{state=\"sent\"} 60"),
            "{}: {text}",
            process.name
        );
        sent_counted +=
            sample(&text, "haven_outbound_messages_total{outcome=\"sent\"}").unwrap_or(0.0);
    }
    assert_eq!(sent_counted, 60.0);

    // Each person got exactly one message, and nobody else did.
    let mut per_recipient: BTreeMap<String, usize> = BTreeMap::new();
    for t in sink.transactions() {
        assert_eq!(t.rcpt.len(), 1);
        *per_recipient.entry(t.rcpt[0].clone()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = receipts.iter().map(|(_, e)| (e.clone(), 1)).collect();
    assert_eq!(per_recipient, expected);

    // Both workers sent, and no row was sent by both.
    let (by_a, by_b) = (sent_by(&workers[0]), sent_by(&workers[1]));
    let (set_a, set_b): (BTreeSet<_>, BTreeSet<_>) = (by_a.iter().collect(), by_b.iter().collect());
    assert_eq!(set_a.len(), by_a.len(), "worker a sent a row twice");
    assert_eq!(set_b.len(), by_b.len(), "worker b sent a row twice");
    assert!(set_a.is_disjoint(&set_b), "a row was sent by both workers");
    assert_eq!(by_a.len() + by_b.len(), 60);
    assert!(
        !by_a.is_empty() && !by_b.is_empty(),
        "one worker sent everything: a {}, b {}",
        by_a.len(),
        by_b.len()
    );
}

#[tokio::test]
async fn scale_migrations_started_by_several_processes_at_once_apply_each_migration_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let installation = Installation::new(dir.path(), &db);
    let migrators: Vec<_> = (0..6)
        .map(|_| {
            installation
                .command(&["migrate"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start haven migrate")
        })
        .collect();
    for child in migrators {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a migrator failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let store = connect(&db).await;
    let rows: Vec<(i64, i64)> = haven::store::test_support::fetch_all(
        &store,
        "SELECT version, COUNT(*) FROM _sqlx_migrations WHERE success GROUP BY version ORDER BY version",
        &[],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
    .collect();
    let folder = if on_postgres() { "postgres" } else { "sqlite" };
    let files = std::fs::read_dir(format!(
        "{}/migrations/{folder}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .count();
    assert_eq!(rows.len(), files, "every migration applied: {rows:?}");
    assert!(rows.iter().all(|(_, n)| *n == 1), "{rows:?}");
    // And the schema works.
    assert_eq!(store.count_enquiries().await.unwrap(), 0);
}

#[tokio::test]
async fn scale_a_server_killed_with_sigkill_mid_load_kept_every_receipt_it_gave() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let installation = Installation::new(dir.path(), &db);
    installation.apply_example();
    let mut server = installation.serve("public", &["public"]).await;

    // A small load generator: a few people sending the form without pause.
    let receipts: Arc<Mutex<Vec<Receipt>>> = Arc::default();
    let attempts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut load = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (base, receipts, attempts) = (server.base.clone(), receipts.clone(), attempts.clone());
        load.spawn(async move {
            let client = reqwest::Client::new();
            loop {
                attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                match submit_form(&client, &base, &[]).await {
                    Ok(receipt) => receipts.lock().unwrap().push(receipt),
                    // The server is gone: this person got no receipt.
                    Err(SubmitError::Transport) => return,
                    Err(SubmitError::Refused(status)) => {
                        panic!("a valid submission was refused with {status}")
                    }
                }
            }
        });
    }
    let wanted = 40;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while receipts.lock().unwrap().len() < wanted {
        assert!(std::time::Instant::now() < deadline, "the load stalled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill_9();
    while let Some(done) = load.join_next().await {
        done.unwrap();
    }
    let receipts = receipts.lock().unwrap().clone();
    let attempted = attempts.load(std::sync::atomic::Ordering::SeqCst);
    assert!(receipts.len() >= wanted);
    assert!(
        attempted > receipts.len(),
        "the kill interrupted submissions in flight"
    );

    // Back up, on the same database: every receipt handed out is there.
    let server = installation.serve("restarted", &["public"]).await;
    let store = connect(&db).await;
    let intake = IntakeKey::load(&dir.path().join("intake.key")).unwrap();
    let stored = store.count_enquiries().await.unwrap() as usize;
    assert!(
        stored >= receipts.len() && stored <= attempted,
        "{stored} stored, {} receipts, {attempted} attempts",
        receipts.len()
    );
    for receipt in &receipts {
        assert!(
            stored_for(&store, &intake, receipt).await.is_some(),
            "receipt {} was given but its enquiry is gone",
            receipt.reference
        );
    }
    // And the people themselves can still sign in to their reply inbox.
    let client = reqwest::Client::new();
    for receipt in [&receipts[0], &receipts[receipts.len() - 1]] {
        let status = inbox_status(&client, &server.base, receipt).await;
        assert!(!status.is_empty());
    }
}

/// Who runs the public role in the role-split test: as root (the test suite usually
/// runs as root in CI) file modes do not stop reads, so the public role runs as
/// `nobody` and the master key stays root's own 0600 file, as in production where
/// the console runs under another account; otherwise the key's read bit is removed.
struct Unprivileged {
    as_nobody: bool,
}

const NOBODY: u32 = 65534;

impl Unprivileged {
    fn for_this_process(probe_dir: &std::path::Path) -> Self {
        use std::os::unix::fs::MetadataExt;
        let probe = probe_dir.join("whoami");
        std::fs::write(&probe, b"").unwrap();
        let as_nobody = std::fs::metadata(&probe).unwrap().uid() == 0;
        std::fs::remove_file(&probe).unwrap();
        Self { as_nobody }
    }

    /// Makes the data (not the master key) usable by the unprivileged account.
    fn hand_over(&self, data_dir: &std::path::Path, master_key: &std::path::Path) {
        use std::os::unix::fs::PermissionsExt;
        if self.as_nobody {
            std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            for entry in std::fs::read_dir(data_dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    std::os::unix::fs::chown(&path, Some(NOBODY), Some(NOBODY)).unwrap();
                }
            }
            std::os::unix::fs::chown(data_dir, Some(NOBODY), Some(NOBODY)).unwrap();
        } else {
            std::fs::set_permissions(master_key, std::fs::Permissions::from_mode(0o000)).unwrap();
        }
    }

    fn apply(&self, cmd: &mut std::process::Command) {
        use std::os::unix::process::CommandExt;
        if self.as_nobody {
            cmd.uid(NOBODY).gid(NOBODY);
        }
    }

    fn restore(&self, master_key: &std::path::Path) {
        use std::os::unix::fs::PermissionsExt;
        if !self.as_nobody {
            std::fs::set_permissions(master_key, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
}

#[tokio::test]
async fn scale_the_public_role_serves_without_read_access_to_the_master_key_and_the_console_reads_what_it_took()
 {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let keys = dir.path().join("keys");
    std::fs::create_dir(&data).unwrap();
    std::fs::create_dir(&keys).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o755)).unwrap();
    let master_key = keys.join("master.key");
    let db = database_url(&data).await;
    let installation =
        Installation::new(&data, &db).with("HAVEN_MASTER_KEY_FILE", master_key.to_str().unwrap());
    installation.apply_example();
    assert!(master_key.exists());

    let who = Unprivileged::for_this_process(&data);
    who.hand_over(&data, &master_key);

    // First, proof that the key really cannot be read: the console role, which needs
    // it, refuses to start under the same account.
    let mut console =
        installation.spawn_server("console-without-key", &["console"], |c| who.apply(c));
    let status = console.exit_status().await;
    assert!(!status.success());
    let log = console.log_text();
    assert!(
        log.contains("master.key") && log.to_lowercase().contains("permission denied"),
        "{log}"
    );

    // The public role starts under that account and takes an enquiry.
    let public = installation
        .serve_with("public", &["public"], |c| who.apply(c))
        .await;
    let client = reqwest::Client::new();
    let situation = format!("Need help {}", &haven::crypto::random_id()[..10]);
    let receipt = submit_form(&client, &public.base, &[("situation", situation.clone())])
        .await
        .expect("the public role took the submission");

    // The console, which may read the key, opens it for an agent.
    who.restore(&master_key);
    let console = installation.serve("console", &["console"]).await;
    installation.add_user("agent@example.org", "agent", crate::staff::PASSWORD);
    let mut agent = crate::staff::Staff::at(&console.base, "agent@example.org");
    agent.sign_in().await;
    agent.acknowledge_rules(SLUG).await;
    let found = agent
        .post(
            "/console",
            "/console/search",
            &[("reference", receipt.reference.clone())],
        )
        .await;
    let page = found.location.expect("found by its reference code");
    let view = agent.get(&page).await;
    assert!(view.body.contains(&situation), "the agent reads it");
}

/// Every line a process logged, parsed; a line that is not one JSON object fails.
fn json_lines(server: &Server) -> Vec<serde_json::Value> {
    server
        .log_text()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {l}"))
        })
        .collect()
}

#[tokio::test]
async fn scale_json_logs_carry_a_random_request_id_on_every_access_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let installation = Installation::new(dir.path(), &db).with("HAVEN_LOG_FORMAT", "json");
    installation.apply_example();
    let mut server = installation.serve("json", &["public"]).await;
    let client = reqwest::Client::new();
    // The same person sends the same thing twice, and asks for the same page twice:
    // an id derived from the request would repeat.
    let canary = format!("JSONCANARY{}", &haven::crypto::random_id()[..8]);
    for _ in 0..2 {
        submit_form(&client, &server.base, &[("situation", canary.clone())])
            .await
            .expect("receipt");
    }
    server.stop().await;

    let lines = json_lines(&server);
    let access: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|v| v["fields"]["message"] == "request")
        .collect();
    // The same form page twice (plus the readiness polls). The submissions themselves
    // leave no line (their exact times would date each enquiry: ARCHITECTURE.md,
    // "Arrival order").
    let views: Vec<&&serde_json::Value> = access
        .iter()
        .filter(|v| v["fields"]["route"] == "/p/{slug}" && v["fields"]["method"] == "GET")
        .collect();
    assert_eq!(views.len(), 2, "{access:?}");
    assert!(
        !access.iter().any(|v| v["fields"]["method"] == "POST"),
        "{access:?}"
    );
    let mut ids = BTreeSet::new();
    for line in &access {
        assert_eq!(line["level"], "INFO");
        assert!(line["timestamp"].is_string());
        let id = line["span"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no request id: {line}"));
        assert!(
            id.len() == 12 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(ids.insert(id.to_owned()), "request id {id} repeated");
    }
    assert!(!server.log_text().contains(&canary));
}

#[tokio::test]
async fn scale_a_process_that_sends_email_warns_when_the_public_url_is_unset() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let installation = Installation::new(dir.path(), &db).with("HAVEN_LOG_FORMAT", "json");
    installation.apply_example();
    let warned = |server: &Server| {
        json_lines(server).iter().any(|v| {
            v["level"] == "WARN"
                && v["fields"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("HAVEN_PUBLIC_URL"))
        })
    };
    for roles in [&["worker"][..], &["console"][..], &[][..]] {
        let mut server = installation.serve("no-url", roles).await;
        server.stop().await;
        assert!(warned(&server), "{roles:?}: {}", server.log_text());
    }
    // The public role sends no email; with the URL set nobody warns.
    let mut public = installation.serve("public", &["public"]).await;
    public.stop().await;
    assert!(!warned(&public), "{}", public.log_text());
    let with_url = installation
        .clone()
        .with("HAVEN_PUBLIC_URL", "https://help.example.org");
    let mut server = with_url.serve("with-url", &[]).await;
    server.stop().await;
    assert!(!warned(&server), "{}", server.log_text());
}

fn on_path(tool: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn script(name: &str, args: &[&str]) -> String {
    let path = format!("{}/ops/backup/{name}", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("bash")
        .arg(&path)
        .args(args)
        .output()
        .expect("run the script");
    assert!(
        out.status.success(),
        "{name} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn scale_an_online_backup_restores_to_a_haven_that_opens_every_inbox_it_held() {
    let tools: &[&str] = if on_postgres() {
        &["pg_dump", "pg_restore", "psql"]
    } else {
        &["sqlite3"]
    };
    if let Some(missing) = tools.iter().find(|t| !on_path(t)) {
        // CI installs them, and must not pass without running this.
        assert!(
            std::env::var_os("HAVEN_TEST_REQUIRE_TOOLS").is_none(),
            "the backup scripts need {missing}, which is not installed"
        );
        eprintln!("skipped: the backup scripts need {missing}, which is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = database_url(&data).await;
    let installation = Installation::new(&data, &db);
    installation.apply_example();
    let mut server = installation.serve("live", &["public"]).await;
    let client = reqwest::Client::new();
    let mut before = Vec::new();
    for _ in 0..3 {
        before.push(submit_form(&client, &server.base, &[]).await.unwrap());
    }

    // The backup runs while the server is up, as the nightly job would.
    let backups = dir.path().join("backups");
    let written = if on_postgres() {
        script("pg-backup.sh", &[&db, backups.to_str().unwrap()])
    } else {
        script(
            "sqlite-backup.sh",
            &[
                data.join("haven.db").to_str().unwrap(),
                backups.to_str().unwrap(),
            ],
        )
    };
    assert!(written.starts_with("backup written: "), "{written}");
    let after = submit_form(&client, &server.base, &[]).await.unwrap();
    server.stop().await;
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("haven-")
        })
        .expect("a backup file");
    let names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "the database only, no keys: {names:?}");

    // The drill: a new data directory, the keys brought back from where they are kept.
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    for key in ["master.key", "intake.key"] {
        std::fs::copy(data.join(key), restored.join(key)).unwrap();
    }
    let restored_db = if on_postgres() {
        let db = database_url(&restored).await;
        script("pg-restore.sh", &[file.to_str().unwrap(), &db]);
        db
    } else {
        let path = restored.join("haven.db");
        script(
            "sqlite-restore.sh",
            &[file.to_str().unwrap(), path.to_str().unwrap()],
        );
        format!("sqlite://{}", path.display())
    };
    let drill = Installation::new(&restored, &restored_db);
    let verified = drill.run(&["audit", "verify"]);
    assert!(String::from_utf8_lossy(&verified.stdout).contains("audit log intact"));
    // The public role checks programme states with the console's verifying key: not
    // a secret, and made again from the master key.
    let verify_key = restored.join("programme-verify.key");
    let exported = drill.run(&[
        "keys",
        "export-verify-key",
        "--out",
        verify_key.to_str().unwrap(),
    ]);
    assert!(exported.status.success(), "{exported:?}");
    let server = drill.serve("restored", &["public"]).await;
    for receipt in &before {
        let status = inbox_status(&client, &server.base, receipt).await;
        assert!(!status.is_empty());
    }
    let store = connect(&restored_db).await;
    let intake = IntakeKey::load(&restored.join("intake.key")).unwrap();
    assert_eq!(store.count_enquiries().await.unwrap(), 3);
    assert!(
        stored_for(&store, &intake, &after).await.is_none(),
        "what arrived after the backup is not in it"
    );
}
