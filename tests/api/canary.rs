//! Canary: a unique string typed into every free-text field must not appear in the
//! database file, its WAL, a PostgreSQL dump, or the logs, while the console side can
//! still read it back. Runs the real binary so the logs are the real logs.

use std::process::{Command, Stdio};
use std::time::Duration;

use haven::config::DatabaseUrl;
use haven::programme::Answer;
use haven::store::Store;

use crate::helpers::{EXAMPLE, SLUG, database_url, extract_input, on_postgres};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn submitted_text_appears_nowhere_at_rest_or_in_logs_but_opens_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let port = free_port();
    let log_path = dir.path().join("haven.log");
    let env = |cmd: &mut Command| {
        cmd.env_clear()
            .env("HAVEN_DATA_DIR", dir.path())
            .env("HAVEN_DATABASE_URL", &db)
            .env("HAVEN_LISTEN", format!("127.0.0.1:{port}"))
            // The most talkative logging there is: still nothing personal may appear.
            .env("HAVEN_LOG", "trace")
            .env("HAVEN_PASSWORD_HASH", "test");
    };
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    let mut apply = Command::new(env!("CARGO_BIN_EXE_haven"));
    env(&mut apply);
    assert!(
        apply
            .args(["programme", "apply", file.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );

    let mut serve = Command::new(env!("CARGO_BIN_EXE_haven"));
    env(&mut serve);
    let mut server = serve
        .arg("serve")
        .stdout(Stdio::from(
            std::fs::File::create(dir.path().join("haven.out")).unwrap(),
        ))
        .stderr(Stdio::from(std::fs::File::create(&log_path).unwrap()))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut page = None;
    for _ in 0..100 {
        if let Ok(res) = client.get(format!("{base}/p/{SLUG}")).send().await {
            page = Some(res.text().await.unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let token = extract_input(&page.expect("server came up"), "csrf").unwrap();

    let tag = &haven::crypto::random_id()[..12];
    let canary = |field: &str| format!("CANARY{tag}{field}");
    let phone_digits: String = tag.bytes().map(|b| char::from(b'0' + b % 10)).collect();
    let phone = format!("+93 {phone_digits}");
    let email = format!("canary{tag}@example.org");
    let fields = vec![
        ("csrf", token),
        ("lang", "en".to_string()),
        ("full_name", canary("name")),
        ("date_of_birth", "1987-06-05".to_string()),
        ("current_country", "AF".to_string()),
        ("current_location", canary("location")),
        ("help_category", "at_risk".to_string()),
        ("in_danger", "yes".to_string()),
        ("family_members", canary("family")),
        (
            "situation",
            format!(
                "{}\nsecond line ﻿ دری {}",
                canary("situation"),
                canary("more")
            ),
        ),
        ("phone", phone.clone()),
        ("contact_mode", "email".to_string()),
        ("contact_email", email.clone()),
    ];
    let res = client
        .post(format!("{base}/p/{SLUG}"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let receipt = res.text().await.unwrap();
    let reference = crate::helpers::extract_by_id(&receipt, "reference-code").unwrap();

    // The person writes back from their reply inbox (issue 21, item 5): sealed like the
    // form, so it must be as absent as the rest.
    let passphrase = crate::helpers::extract_by_id(&receipt, "passphrase").unwrap();
    let signin = client.get(format!("{base}/inbox")).send().await.unwrap();
    let signin = signin.text().await.unwrap();
    let opened = client
        .post(format!("{base}/inbox"))
        .form(&[
            ("csrf", extract_input(&signin, "csrf").unwrap()),
            ("reference", reference.clone()),
            ("passphrase", passphrase.clone()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = &opened[opened.find("id=\"write-back\"").expect("the inbox opened")..];
    let wrote = client
        .post(format!("{base}/inbox/message"))
        .form(&[
            ("csrf", extract_input(form, "csrf").unwrap()),
            ("reference", extract_input(form, "reference").unwrap()),
            ("passphrase", passphrase.clone()),
            ("message", canary("writeback")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrote.status(), 200);

    // The console side: an agent is created, signs in (enrolling TOTP), finds the
    // enquiry by its code, reads it, and writes a note and a transfer reason.
    let password = format!("pw{tag} staff password");
    let mut add = Command::new(env!("CARGO_BIN_EXE_haven"));
    env(&mut add);
    let mut child = add
        .args([
            "user",
            "add",
            "--email",
            "agent@example.org",
            "--role",
            "agent",
        ])
        .args(["--programme", SLUG, "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), password.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    let mut agent = crate::staff::Staff::at(&base, "agent@example.org");
    let step = agent.password_step(&password).await;
    assert_eq!(step.location.as_deref(), Some("/console/enrol"));
    let enrol = agent.get("/console/enrol").await;
    let totp_secret = extract_input(&enrol.body, "secret").unwrap();
    agent.totp = haven::auth::totp::TotpSecret::from_base32(&totp_secret);
    let code = agent.next_code();
    let done = agent
        .post_raw(
            "/console/enrol",
            &[
                ("csrf", extract_input(&enrol.body, "csrf").unwrap()),
                ("secret", totp_secret.clone()),
                (
                    "secret_mac",
                    extract_input(&enrol.body, "secret_mac").unwrap(),
                ),
                ("code", code),
            ],
        )
        .await;
    assert_eq!(done.status, 200);
    agent.acknowledge_rules(SLUG).await;
    let found = agent
        .post(
            "/console",
            "/console/search",
            &[("reference", reference.clone())],
        )
        .await;
    let enquiry_page = found.location.expect("found by reference");
    let view = agent.get(&enquiry_page).await;
    assert!(
        view.body.contains(&canary("situation")),
        "the agent reads it"
    );
    assert!(
        view.body.contains(&canary("writeback")),
        "the agent reads what the person wrote back"
    );
    agent
        .post(
            &enquiry_page,
            &format!("{enquiry_page}/note"),
            &[("text", canary("note"))],
        )
        .await;
    let moved = agent
        .post(
            &enquiry_page,
            &format!("{enquiry_page}/transfer"),
            &[
                ("from", "urgent".into()),
                ("to", "general".into()),
                ("reason", canary("reason")),
            ],
        )
        .await;
    assert!(moved.location.unwrap().ends_with("done=transferred"));
    assert!(
        agent
            .get(&enquiry_page)
            .await
            .body
            .contains(&canary("reason"))
    );

    // A referral to the partner whose profile has no personal data (the canary
    // enquiry gave no consent): its register row and the worker that sends it must
    // not carry a value either.
    let referred = agent
        .post(
            &format!("{enquiry_page}/refer?partner=statistics"),
            &format!("{enquiry_page}/refer"),
            &[
                ("partner", "statistics".into()),
                ("basis", "Consent of the person (GDPR art. 6(1)(a))".into()),
                ("delivery", "email".into()),
            ],
        )
        .await;
    assert!(
        referred
            .location
            .as_deref()
            .is_some_and(|l| l.ends_with("done=referral-queued")),
        "{}",
        referred.body
    );

    let secrets: Vec<String> = vec![
        canary("note"),
        canary("reason"),
        canary("writeback"),
        password.clone(),
        totp_secret.clone(),
        canary("name"),
        canary("location"),
        canary("family"),
        canary("situation"),
        canary("more"),
        phone_digits.clone(),
        email.clone(),
        format!("canary{tag}"),
        reference.clone(),
        reference.replace('-', ""),
    ];
    let check = |what: &str, bytes: &[u8]| {
        for s in &secrets {
            assert!(!contains(bytes, s), "{s:?} found in {what}");
        }
    };

    // While the server runs, the WAL holds the newest pages.
    if !on_postgres() {
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(bytes) = std::fs::read(dir.path().join(format!("haven.db{suffix}"))) {
                check(&format!("haven.db{suffix} (running)"), &bytes);
            }
        }
    }

    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = tokio::time::timeout(Duration::from_secs(15), async {
        while server.try_wait().unwrap().is_none() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let _ = server.kill();

    check("the log", &std::fs::read(&log_path).unwrap());
    check(
        "stdout",
        &std::fs::read(dir.path().join("haven.out")).unwrap(),
    );
    if on_postgres() {
        let dump = Command::new("pg_dump")
            .arg("--no-owner")
            .arg(&db)
            .output()
            .expect("pg_dump runs");
        assert!(
            dump.status.success(),
            "{}",
            String::from_utf8_lossy(&dump.stderr)
        );
        assert!(contains(&dump.stdout, "enquiries"), "the dump is real");
        check("pg_dump", &dump.stdout);
    } else {
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(bytes) = std::fs::read(dir.path().join(format!("haven.db{suffix}"))) {
                check(&format!("haven.db{suffix}"), &bytes);
            }
        }
    }
    // The log is real too: it recorded the request.
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("/p/{slug}"),
        "the access log has the route pattern"
    );

    // The console side, holding the master key, reads every canary back.
    let store = Store::connect(&DatabaseUrl::parse(&db).unwrap())
        .await
        .unwrap();
    let programme = store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let record = store
        .enquiries_of_programme(&programme.id)
        .await
        .unwrap()
        .remove(0);
    let keyring = crate::helpers::keyring_at(&store, &dir.path().join("master.key")).await;
    let content = crate::helpers::open_enquiry(&keyring, &record)
        .await
        .unwrap();
    assert_eq!(
        content.answers.get("full_name"),
        Some(&Answer::Text(canary("name")))
    );
    assert_eq!(content.email.as_deref(), Some(email.as_str()));
    assert_eq!(content.reference, reference);
    assert!(
        matches!(content.answers.get("situation"), Some(Answer::Text(t)) if t.contains(&canary("more")))
    );
}
