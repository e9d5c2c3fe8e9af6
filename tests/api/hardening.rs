//! Security hardening (ASVS Level 2), through real HTTP: what an attacker tries and
//! what they get. Each test names the control it proves in
//! `docs/SECURITY-CONTROLS.md`.

use std::time::Duration;

use haven::casework::ProgrammeRole::{Admin, Agent};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{
    SLUG, Settings, TestApp, extract_input, spawn_app, spawn_with, valid_answers,
};
use crate::staff::{PASSWORD, Staff, add_user, signed_in};

async fn submit_at(app: &TestApp, base: &str, forwarded_for: Option<&str>) -> StatusCode {
    let path = format!("/p/{SLUG}");
    let page = app
        .client
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut fields = valid_answers();
    fields.push(("csrf", extract_input(&page, "csrf").unwrap()));
    let mut req = app.client.post(format!("{base}{path}")).form(&fields);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn onion_visitors_share_their_own_quota_and_cannot_read_the_metrics() {
    let app = spawn_with(Settings {
        env: [("HAVEN_ONION_LISTEN", "127.0.0.1:0".to_string())].into(),
        config_file: Some("[rate_limits]\nonion_submissions_per_hour = 2\n".into()),
        ..Settings::default()
    })
    .await;
    let onion = app.onion.clone().expect("an onion listener");

    // Tor hands every visitor over from loopback: on that listener, /metrics is not there.
    let scrape = app
        .client
        .get(format!("{onion}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scrape.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/metrics").await.status(), StatusCode::OK);
    // Nor are the staff pages, even in a process that runs every role.
    for path in ["/console/sign-in", "/admin/users", "/console"] {
        let res = app
            .client
            .get(format!("{onion}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        app.get("/console/sign-in").await.status(),
        StatusCode::OK,
        "clearnet listener"
    );

    // Everyone on the onion shares one submission bucket, apart from the clearnet's.
    assert_eq!(submit_at(&app, &onion, None).await, StatusCode::OK);
    assert_eq!(submit_at(&app, &onion, None).await, StatusCode::OK);
    assert_eq!(
        submit_at(&app, &onion, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(submit_at(&app, &app.addr, None).await, StatusCode::OK);
    assert_eq!(app.count().await, 3);
}

#[tokio::test]
async fn behind_the_configured_proxy_the_hop_it_added_is_the_client() {
    let app = spawn_with(Settings {
        env: [("HAVEN_TRUSTED_PROXIES", "127.0.0.1".to_string())].into(),
        config_file: Some("[rate_limits]\nsubmissions_per_client_per_hour = 2\n".into()),
        ..Settings::default()
    })
    .await;
    // The client prefills a different address each time; the proxy appends the one
    // it saw. Only the right-most counts.
    let mut statuses = Vec::new();
    for prefilled in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        let xff = format!("{prefilled}, 203.0.113.5");
        statuses.push(submit_at(&app, &app.addr, Some(&xff)).await.as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
    let other = submit_at(&app, &app.addr, Some("198.51.100.3, 203.0.113.6")).await;
    assert_eq!(other, StatusCode::OK, "another client behind the proxy");
}

/// Opens a connection, sends a request head promising `length` bytes and the first
/// bytes of the body, then keeps trickling one byte at a time.
async fn trickle(addr: &str, path: &str, length: usize) -> tokio::task::JoinHandle<Vec<u8>> {
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(
        format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {length}\r\n\r\nfull_name="
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    tokio::spawn(async move {
        let (mut read, mut write) = conn.into_split();
        let dribble = tokio::spawn(async move {
            // The attacker's pace: a byte every 200 ms, never finishing.
            while write.write_all(b"a").await.is_ok() {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        let mut answer = Vec::new();
        // Returns at end of stream: the server closed the connection.
        let _ = read.read_to_end(&mut answer).await;
        dribble.abort();
        answer
    })
}

#[tokio::test]
async fn a_trickled_body_is_answered_408_and_cut_off_while_others_are_served() {
    let app = spawn_with(Settings {
        env: [("HAVEN_BODY_TIMEOUT", "2".to_string())].into(),
        ..Settings::default()
    })
    .await;
    let addr = app.addr.trim_start_matches("http://").to_string();
    let public = trickle(&addr, &format!("/p/{SLUG}"), 100_000).await;
    let console = trickle(&addr, "/console/sign-in", 100_000).await;

    // While both dribble, other people are served.
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/p/{SLUG}")).await.status(),
            StatusCode::OK
        );
    }

    // Each slow client gets the 408 page and its connection is closed. (The outer
    // timeout only keeps a broken build from hanging the suite.)
    for (what, conn) in [("public form", public), ("console form", console)] {
        let answer = tokio::time::timeout(Duration::from_secs(60), conn)
            .await
            .unwrap_or_else(|_| panic!("{what}: the connection was never cut off"))
            .unwrap();
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{what}: {text}");
        assert!(
            text.contains("The connection was too slow"),
            "{what}: a page"
        );
    }
    assert_eq!(app.count().await, 0);
    assert_eq!(
        app.get(&format!("/p/{SLUG}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_extractor_error_is_a_page_never_actix_plain_text() {
    let app = spawn_app().await;
    let console_form = |content_type: &'static str, body: Vec<u8>| {
        app.client
            .post(app.url("/console/sign-in"))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases = vec![
        (
            "a form body of the wrong type",
            console_form("text/plain", b"email=a".to_vec())
                .await
                .unwrap(),
        ),
        (
            "a form body over the limit",
            console_form("application/x-www-form-urlencoded", vec![b'a'; 300 * 1024])
                .await
                .unwrap(),
        ),
        ("a malformed path", app.get("/p/%FF%FE").await),
        ("an unknown path", app.get("/p/no-such/thing/here").await),
        (
            "a refused method",
            app.client
                .delete(app.url("/console/sign-in"))
                .send()
                .await
                .unwrap(),
        ),
    ];
    for (what, res) in cases {
        let status = res.status();
        assert!(status.is_client_error(), "{what}: {status}");
        assert_eq!(
            res.headers()["content-type"],
            "text/html; charset=utf-8",
            "{what}"
        );
        let body = res.text().await.unwrap();
        assert!(body.starts_with("<!DOCTYPE html>"), "{what}: {body}");
        for actix_text in ["Content type error", "URL encoded", "payload", "Payload"] {
            assert!(!body.contains(actix_text), "{what}: {body}");
        }
    }
}

#[tokio::test]
async fn an_idle_session_expires_on_the_clock_and_a_busy_one_at_twelve_hours() {
    let app = spawn_app().await;
    let mut s = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    app.session_clock.advance(29 * 60);
    assert_eq!(s.get("/console").await.status, StatusCode::OK);
    app.session_clock.advance(29 * 60);
    assert_eq!(
        s.get("/console").await.status,
        StatusCode::OK,
        "each request restarts the idle time"
    );
    app.session_clock.advance(30 * 60);
    let res = s.get("/console").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "idle for 30 minutes");
    assert_eq!(res.location.as_deref(), Some("/console/sign-in"));

    // Kept busy, a session still ends 12 hours after sign-in.
    s.sign_in().await;
    let mut busy_for = 0;
    while s.get("/console").await.status == StatusCode::OK {
        app.session_clock.advance(20 * 60);
        busy_for += 20 * 60;
        assert!(busy_for <= 13 * 3600, "the session never ended");
    }
    assert!(
        (12 * 3600..12 * 3600 + 20 * 60 + 1).contains(&busy_for),
        "ended after {busy_for} s"
    );
}

#[tokio::test]
async fn after_sign_out_the_old_cookie_is_refused_and_the_browser_is_told_to_forget() {
    let app = spawn_app().await;
    let mut s = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let old = s.cookie.clone();
    let out = s.post("/console", "/console/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(
        out.headers["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    assert!(
        out.set_cookie
            .iter()
            .any(|c| c.starts_with("__Host-haven=;") && c.contains("Max-Age=0")),
        "{:?}",
        out.set_cookie
    );
    let mut replay = Staff::new(&app, "x", "x");
    replay.cookie = old;
    assert_eq!(replay.get("/console").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        replay.get("/console/account").await.status,
        StatusCode::SEE_OTHER
    );
}

/// The page, its status and every header but `date`, with the form token blanked:
/// what an observer can compare.
async fn observable(res: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = res.status().as_u16();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str() != "date")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").to_owned()))
        .collect();
    headers.sort();
    let body = res.text().await.unwrap();
    let token = extract_input(&body, "csrf").unwrap_or_default();
    (status, headers, body.replace(&token, "TOKEN"))
}

#[tokio::test]
async fn an_unknown_account_and_a_wrong_password_get_byte_identical_answers() {
    let app = spawn_app().await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            let token = app.csrf_token("/console/sign-in").await;
            let res = app
                .client
                .post(app.url("/console/sign-in"))
                .form(&[
                    ("csrf", token),
                    ("email", email.to_string()),
                    ("password", "a wrong password, typed".to_string()),
                ])
                .send()
                .await
                .unwrap();
            observable(res).await
        }
    };
    // The same address typed before and after the account exists.
    let unknown = attempt("someone@example.org").await;
    add_user(&app, "someone@example.org", Agent, Some(SLUG)).await;
    let wrong = attempt("someone@example.org").await;
    assert_eq!(unknown.0, 401);
    assert_eq!(unknown, wrong);
}

/// Another Haven (every role) on the same database and keys as `first`, as a second
/// console instance behind a load balancer would be.
pub(crate) async fn second_instance(first: &TestApp, config_file: Option<String>) -> TestApp {
    let url = match &first.config.database {
        haven::config::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        haven::config::DatabaseUrl::Postgres(url) => url.clone(),
    };
    spawn_with(Settings {
        env: [
            ("HAVEN_DATABASE_URL", url),
            (
                "HAVEN_MASTER_KEY_FILE",
                first.config.master_key_file.display().to_string(),
            ),
            (
                "HAVEN_INTAKE_KEY_FILE",
                first.config.intake_key_file.display().to_string(),
            ),
        ]
        .into(),
        config_file,
        apply_example: false,
        ..Settings::default()
    })
    .await
}

#[tokio::test]
async fn the_account_throttle_is_shared_by_every_console_instance() {
    let first = spawn_app().await;
    let second = second_instance(&first, None).await;
    let id = add_user(&first, "agent@example.org", Agent, Some(SLUG)).await;
    let mut on_first = Staff::new(&first, "agent@example.org", &id);
    let mut on_second = Staff::new(&second, "agent@example.org", &id);
    let mut statuses = Vec::new();
    for i in 0..6 {
        let s = if i % 2 == 0 {
            &mut on_first
        } else {
            &mut on_second
        };
        statuses.push(s.password_step("guess after guess").await.status.as_u16());
    }
    // Five a minute per account in all, not five per instance.
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    assert_eq!(
        on_second.password_step(PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn staff_are_emailed_at_their_own_address_when_a_factor_changes() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = spawn_with(Settings {
        env: [
            ("HAVEN_SMTP_URL", sink.url()),
            ("HAVEN_MAIL_FROM", crate::replies::FROM.to_string()),
            ("HAVEN_STAFF_NOTICES", "on".to_string()),
        ]
        .into(),
        ..Settings::default()
    })
    .await;
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let id = add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut agent = Staff::new(&app, "agent@example.org", &id);
    let enrolled = agent.sign_in().await;
    let secret = agent.totp.as_ref().unwrap().base32();
    let recovery: Vec<String> = enrolled
        .body
        .split("<li class=\"code\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();

    // A recovery code used at sign-in.
    agent.cookie = None;
    agent.password_step(PASSWORD).await;
    let used = agent
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", recovery[0].clone())],
        )
        .await;
    assert_eq!(used.location.as_deref(), Some("/console"));

    // A lost phone: the admin resets the factor.
    let reset = admin
        .post(
            "/admin/users",
            &format!("/admin/users/{id}/reset-2fa"),
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(reset.location.as_deref(), Some("/admin/users?done=reset"));

    assert_eq!(
        app.store.notices_of(&id).await.unwrap().len(),
        3,
        "queued with each change"
    );
    // The admin's own enrolment, the notice to the admin (an instance admin) that the
    // agent was given a role, and the agent's three changes.
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 5, "one notice per change");
    let to_agent: Vec<_> = sink
        .accepted()
        .into_iter()
        .filter(|t| t.rcpt == ["agent@example.org"])
        .collect();
    assert_eq!(to_agent.len(), 3);
    let mut said = Vec::new();
    for t in &to_agent {
        let text = String::from_utf8_lossy(&t.data).to_string();
        assert!(
            text.contains("Subject: Your Haven account changed"),
            "{text}"
        );
        assert!(!text.contains("admin@example.org"), "no other address");
        assert!(!text.contains(&secret) && !recovery.iter().any(|c| text.contains(c)));
        for (kind, phrase) in [
            ("enrolled", "Two-step verification was set up"),
            ("recovery", "recovery codes was used"),
            ("reset", "An administrator reset"),
        ] {
            if text.contains(phrase) {
                said.push(kind);
            }
        }
    }
    said.sort_unstable();
    assert_eq!(said, ["enrolled", "recovery", "reset"]);
    // Each is recorded as sent.
    assert!(
        app.store
            .notices_of(&id)
            .await
            .unwrap()
            .iter()
            .all(|(_, state)| state == "sent")
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_database_and_its_directory_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    // Its own SQLite database, whichever backend the suite runs on.
    let outside = tempfile::tempdir().unwrap();
    let db = outside.path().join("state/haven.db");
    let app = spawn_with(Settings {
        env: [("HAVEN_DATABASE_URL", format!("sqlite://{}", db.display()))].into(),
        ..Settings::default()
    })
    .await;
    assert_eq!(app.submit(&valid_answers()).await.0, StatusCode::OK);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700, "data directory");
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[tokio::test]
async fn the_form_shows_its_privacy_notice_before_anything_is_typed() {
    let app = spawn_app().await;
    for lang in ["en", "ps"] {
        let page = app
            .get(&format!("/p/{SLUG}?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        let notice = page
            .find("id=\"privacy-heading\"")
            .expect("a privacy notice");
        let first_field = page.find("<input").expect("a field");
        assert!(notice < first_field, "{lang}: the notice comes first");
    }
}

#[tokio::test]
async fn clear_columns_about_an_enquiry_hold_only_the_hour() {
    use sqlx::Row;
    let app = spawn_app().await;
    assert_eq!(app.submit(&valid_answers()).await.0, StatusCode::OK);
    let row = haven::store::test_support::fetch_one(
        &app.store,
        "SELECT created_hour, updated_hour FROM enquiries",
        &[],
    )
    .await
    .unwrap();
    for column in ["created_hour", "updated_hour"] {
        let at: i64 = row.try_get(column).unwrap();
        assert!(at > 0 && at % 3600 == 0, "{column} = {at}");
    }
}

#[tokio::test]
async fn one_client_trying_many_accounts_is_throttled_while_another_client_is_not() {
    let app = spawn_with(Settings {
        env: [("HAVEN_TRUSTED_PROXIES", "127.0.0.1".to_string())].into(),
        config_file: Some("[rate_limits]\nsignin_attempts_per_client_per_minute = 3\n".into()),
        ..Settings::default()
    })
    .await;
    let attempt = |email: String, client: &'static str| {
        let app = &app;
        async move {
            let token = app.csrf_token("/console/sign-in").await;
            app.client
                .post(app.url("/console/sign-in"))
                .header("x-forwarded-for", client)
                .form(&[
                    ("csrf", token),
                    ("email", email),
                    ("password", "password spraying".to_string()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut statuses = Vec::new();
    for i in 0..4 {
        statuses.push(attempt(format!("user{i}@example.org"), "203.0.113.9").await);
    }
    // A different account each time: only the per-client limit can stop this.
    assert_eq!(statuses, [401, 401, 401, 429]);
    assert_eq!(
        attempt("user9@example.org".into(), "198.51.100.4").await,
        401
    );
}

#[tokio::test]
async fn an_account_that_never_set_up_its_second_factor_in_time_cannot_sign_in() {
    let app = spawn_app().await;
    let id = add_user(&app, "late@example.org", Agent, Some(SLUG)).await;
    haven::store::test_support::execute(
        &app.store,
        "UPDATE users SET enrol_by = $1 WHERE id = $2",
        &[(haven::store::now() - 1).into(), (&id).into()],
    )
    .await
    .unwrap();
    let mut s = Staff::new(&app, "late@example.org", &id);
    let page = s.password_step(PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "the right password");
    assert!(s.cookie.is_none(), "no session");
    let failed = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "signin.failed".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert!(
        failed.iter().any(|e| e.detail.contains("enrolment-lapsed")),
        "{failed:?}"
    );
}

#[tokio::test]
async fn the_decrypt_cap_is_shared_by_every_console_instance() {
    let limit = Some("[rate_limits]\ndecrypts_per_user_per_hour = 2\n".to_string());
    let first = spawn_with(Settings {
        config_file: limit.clone(),
        ..Settings::default()
    })
    .await;
    let second = second_instance(&first, limit).await;
    let mut agent = signed_in(&first, "agent@example.org", Agent, Some(SLUG)).await;
    let (id, _) = crate::staff::submit_enquiry(&first, SLUG).await;
    let page = format!("/console/e/{id}");
    assert_eq!(agent.get(&page).await.status, StatusCode::OK);
    // The same session, through the other instance (sessions live in the database).
    agent.base = second.addr.clone();
    assert_eq!(agent.get(&page).await.status, StatusCode::OK);
    let third = agent.get(&page).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "two an hour in all, not two per instance"
    );
    agent.base = first.addr.clone();
    assert_eq!(agent.get(&page).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_totp_seed_is_stored_only_sealed_to_the_master_key() {
    use sqlx::Row;
    let app = spawn_app().await;
    let agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let secret = agent.totp.as_ref().unwrap();
    let row = haven::store::test_support::fetch_one(
        &app.store,
        "SELECT totp_ciphertext FROM users WHERE id = $1",
        &[(&agent.id).into()],
    )
    .await
    .unwrap();
    let stored: Vec<u8> = row.try_get("totp_ciphertext").unwrap();
    assert!(
        !stored
            .windows(secret.bytes().len())
            .any(|w| w == secret.bytes()),
        "the raw seed is not in the column"
    );
    assert!(!String::from_utf8_lossy(&stored).contains(&secret.base32()));
    let opened = app.keyring().await.open_totp_seed(&stored).unwrap();
    assert_eq!(
        secrecy::ExposeSecret::expose_secret(&opened).as_slice(),
        secret.bytes()
    );
}
