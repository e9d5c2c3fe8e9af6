//! The staff sign-in under abuse: a flood of made-up sign-ins is bounded in memory and
//! leaves the public form and real staff working; unauthenticated clients cannot grow
//! the audit log; wrong second-factor codes after a right password escalate.

use haven::casework::ProgrammeRole::Agent;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, TestApp, extract_input, spawn_with};
use crate::processes::Installation;
use crate::staff::{PASSWORD, Staff, add_user};

/// The peak resident memory of a process (`VmHWM`), in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// One sign-in with a made-up address, as the client `from` (behind the proxy).
async fn made_up_sign_in(client: &reqwest::Client, base: &str, token: &str, from: &str) -> u16 {
    let email = format!("{}@example.org", haven::crypto::random_id());
    client
        .post(format!("{base}/console/sign-in"))
        .header("x-forwarded-for", from)
        .form(&[
            ("csrf", token),
            ("email", email.as_str()),
            ("password", "not the password at all"),
        ])
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The reproduction, on the real binary at the production hash cost (64 MiB
/// each): 90 concurrent sign-ins with random addresses from 3 clients, three times over,
/// while a visitor loads the form and a staff member signs in. Before the hashing gate
/// this took gigabytes; now at most one hash per core runs, the rest are refused at once.
#[tokio::test]
async fn a_flood_of_made_up_sign_ins_stays_small_and_leaves_the_form_and_staff_working() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(dir.path()).await;
    let install = Installation::new(dir.path(), &url)
        .with("HAVEN_PASSWORD_HASH", "standard")
        .with("HAVEN_TRUSTED_PROXIES", "127.0.0.1");
    install.apply_example();
    install.add_user("agent@example.org", "agent", PASSWORD);
    let server = install.serve("flooded", &[]).await;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{base}/console/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = extract_input(&page, "csrf").unwrap();

    let attackers = ["203.0.113.1", "198.51.100.1", "192.0.2.1"];
    let flood = |round: usize| {
        let client = client.clone();
        let base = base.clone();
        let token = token.clone();
        async move {
            futures_util::future::join_all((0..90).map(|i| {
                let from = attackers[(i + round) % 3];
                made_up_sign_in(&client, &base, &token, from)
            }))
            .await
        }
    };
    let visitor_and_staff = async {
        let mut form_statuses = Vec::new();
        let mut staff = Staff::at(&base, "agent@example.org");
        let mut tries = 0;
        let signed_in = loop {
            tries += 1;
            form_statuses.push(
                client
                    .get(format!("{base}/p/{SLUG}"))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0),
            );
            let step = staff.password_step(PASSWORD).await;
            if step.status == StatusCode::SEE_OTHER {
                break true;
            }
            // Busy (the gate was full) is the only acceptable refusal.
            assert_eq!(
                step.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{}",
                step.body
            );
            if tries == 30 {
                break false;
            }
        };
        (form_statuses, signed_in, tries, staff)
    };
    let (rounds, (form_statuses, signed_in, tries, mut staff)) = tokio::join!(
        async {
            let mut all = Vec::new();
            for round in 0..3 {
                all.extend(flood(round).await);
            }
            all
        },
        visitor_and_staff
    );

    let busy = rounds.iter().filter(|s| **s == 503).count();
    let wrong = rounds.iter().filter(|s| **s == 401).count();
    let peak_mib = peak_rss_kib(server.pid()) / 1024;
    println!(
        "sign-in flood: {} attempts ({busy} busy, {wrong} checked), staff in after {tries} \
         tries, public form {form_statuses:?}, peak RSS {peak_mib} MiB",
        rounds.len()
    );
    assert!(peak_mib < 512, "peak RSS {peak_mib} MiB");
    assert!(signed_in, "the staff member got in within 30 tries");
    // The pending session is real: the next step of signing in opens.
    assert_eq!(staff.get("/console/enrol").await.status, StatusCode::OK);
    assert!(
        form_statuses.iter().all(|s| *s == 200),
        "the public form answered every time: {form_statuses:?}"
    );
    assert_eq!(
        busy + wrong + rounds.iter().filter(|s| **s == 429).count(),
        rounds.len(),
        "only refusals: {rounds:?}"
    );
    assert!(busy > 0, "the gate refused some at once");
}

async fn app_behind_proxy(limits: &str) -> TestApp {
    spawn_with(Settings {
        env: [("HAVEN_TRUSTED_PROXIES", "127.0.0.1".to_string())].into(),
        config_file: Some(format!("[rate_limits]\n{limits}")),
        ..Settings::default()
    })
    .await
}

async fn sign_in_from(app: &TestApp, email: &str, password: &str, from: &str) -> StatusCode {
    let token = app.csrf_token("/console/sign-in").await;
    app.client
        .post(app.url("/console/sign-in"))
        .header("x-forwarded-for", from)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

async fn audit_count(app: &TestApp, action: &str, subject: &str) -> usize {
    app.store
        .search_audit(
            &haven::audit::Filter {
                action: action.into(),
                subject: subject.into(),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap()
        .len()
}

fn metric(text: &str, line_start: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line_start))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{line_start} in {text}"))
}

#[tokio::test]
async fn unauthenticated_sign_ins_cannot_grow_the_audit_log_and_are_counted_instead() {
    let app = app_behind_proxy("").await;
    add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;

    // Guessing one account's password from twenty addresses: 5 are checked, then the
    // account's limit (a window may turn over during the test and let a few more in).
    let mut guessed = Vec::new();
    for i in 1..=20 {
        let from = format!("203.0.113.{i}");
        guessed.push(sign_in_from(&app, "agent@example.org", "wrong password here", &from).await);
    }
    let checked = guessed
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled_account = guessed.len() - checked;
    assert!((5..=10).contains(&checked), "{guessed:?}");
    assert!(
        guessed
            .iter()
            .all(|s| matches!(*s, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS))
    );
    // Spraying made-up accounts from one address: 30 checked, then that client's limit.
    let mut sprayed = Vec::new();
    for i in 1..=40 {
        let email = format!("nobody-{i}@example.org");
        sprayed.push(sign_in_from(&app, &email, "wrong password here", "198.51.100.9").await);
    }
    let unknown_checked = sprayed
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled_client = sprayed.len() - unknown_checked;
    assert!((30..=36).contains(&unknown_checked), "{sprayed:?}");

    // Each kind of refusal is in the audit log once per account or client and window
    // (a window may turn over during the test: at most twice), not once per request.
    let throttled = audit_count(&app, "signin.throttled", "").await;
    assert!(
        (2..=4).contains(&throttled),
        "{throttled} throttled entries"
    );
    let unknown = audit_count(&app, "signin.failed", "account:unknown").await;
    assert!(
        (1..=2).contains(&unknown),
        "{unknown} unknown-account entries"
    );
    // A real account's wrong passwords stay one entry each: someone is trying it.
    let user_failures = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "signin.failed".into(),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap()
        .iter()
        .filter(|r| r.subject.starts_with("user:"))
        .count();
    assert_eq!(user_failures, checked);

    // The counts are all in the metrics.
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(
        metric(
            &text,
            "haven_signin_refusals_total{reason=\"throttled-account\"} "
        ),
        throttled_account as u64
    );
    assert_eq!(
        metric(
            &text,
            "haven_signin_refusals_total{reason=\"unknown-account\"} "
        ),
        unknown_checked as u64
    );
    assert_eq!(
        metric(
            &text,
            "haven_signin_refusals_total{reason=\"throttled-client\"} "
        ),
        throttled_client as u64
    );
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        haven::audit::Verdict::Intact { .. }
    ));
}

/// A code that is not valid now (nor one step either side).
fn wrong_code(staff: &Staff) -> String {
    let now = haven::store::now();
    let secret = staff.totp.as_ref().unwrap();
    let valid: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|d| haven::auth::totp::code_at(secret, now + d))
        .collect();
    ["000000", "111111", "222222", "333333"]
        .into_iter()
        .find(|c| !valid.iter().any(|v| v == c))
        .unwrap()
        .to_string()
}

async fn code_attempt(staff: &mut Staff, code: &str) -> crate::staff::Page {
    staff
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", code.to_string())],
        )
        .await
}

/// Signs in once (enrolling TOTP), then stops at the code step of a second sign-in.
async fn at_the_code_step(app: &TestApp) -> Staff {
    let id = add_user(app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut staff = Staff::new(app, "agent@example.org", &id);
    staff.sign_in().await;
    staff.cookie = None;
    let step = staff.password_step(PASSWORD).await;
    assert_eq!(step.location.as_deref(), Some("/console/sign-in/code"));
    staff
}

#[tokio::test]
async fn wrong_codes_after_the_right_password_lock_the_second_factor_email_the_owner_and_alert() {
    // The per-minute limit is raised so the test need not wait minutes between tries.
    let app = app_behind_proxy("signin_attempts_per_account_per_minute = 100\n").await;
    let mut staff = at_the_code_step(&app).await;
    for i in 1..=9 {
        let code = wrong_code(&staff);
        let page = code_attempt(&mut staff, &code).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "wrong code {i}");
    }
    let code = wrong_code(&staff);
    let locked = code_attempt(&mut staff, &code).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("paused until"), "{}", locked.body);
    let retry: i64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&retry), "an hour: {retry}");

    // While locked even the right code is not looked at.
    staff.pretend_time_passed().await;
    let right = staff.next_code();
    let page = code_attempt(&mut staff, &right).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);

    // The owner is told at their own address, and the audit log has an alert.
    let notices = app.store.notices_of(&staff.id).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|(kind, _)| kind == "second-factor-locked"),
        "{notices:?}"
    );
    let alerts = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "signin.second-factor-locked".into(),
                outcome: "alert".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].subject, format!("user:{}", staff.id));
}

#[tokio::test]
async fn a_stranger_without_the_password_cannot_lock_a_staff_members_second_factor() {
    let app = app_behind_proxy("signin_attempts_per_account_per_minute = 100\n").await;
    let id = add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut staff = Staff::new(&app, "agent@example.org", &id);
    staff.sign_in().await;
    // Fifty wrong passwords from a stranger never reach the code step.
    for i in 0..50 {
        let from = format!("203.0.113.{}", i % 200 + 1);
        let status = sign_in_from(&app, "agent@example.org", "a wrong password!!", &from).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The owner signs in as always: password, then a code.
    staff.cookie = None;
    let done = staff.sign_in().await;
    assert_eq!(done.location.as_deref(), Some("/console"));
    assert!(
        !app.store
            .notices_of(&id)
            .await
            .unwrap()
            .iter()
            .any(|(kind, _)| kind == "second-factor-locked")
    );
}
