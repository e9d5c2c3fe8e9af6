//! Shared quotas degrade gracefully, and every refusal tells the truth: a flood from one
//! network (an IPv4 /24, an IPv6 /48, one Tor circuit) stops at its own share while a
//! person elsewhere still gets through; a refused form comes back with everything typed,
//! in the person's language, saying it was not sent and when to send it again.

use reqwest::StatusCode;

use crate::helpers::{
    SLUG, Settings, TestApp, extract_by_id, extract_input, spawn_with, valid_answers,
};
use crate::listeners::raw_request;

fn behind_proxy(limits: &str) -> Settings {
    Settings {
        env: [("HAVEN_TRUSTED_PROXIES", "127.0.0.1".to_string())].into(),
        config_file: Some(format!("[rate_limits]\n{limits}")),
        ..Settings::default()
    }
}

/// Submits the valid answers (with `lang`) as the client `from` behind the proxy.
async fn submit_from(app: &TestApp, from: &str, lang: &str) -> reqwest::Response {
    let path = format!("/p/{SLUG}");
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "lang");
    fields.push(("lang", lang.to_string()));
    fields.push(("csrf", app.csrf_token(&path).await));
    app.client
        .post(app.url(&path))
        .header("x-forwarded-for", from)
        .form(&fields)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn a_refused_submission_comes_back_typed_in_its_language_saying_it_was_not_sent_and_when() {
    let app = spawn_with(behind_proxy("submissions_per_client_per_hour = 2\n")).await;
    for _ in 0..2 {
        assert_eq!(
            submit_from(&app, "203.0.113.9", "fa-AF").await.status(),
            StatusCode::OK
        );
    }
    let res = submit_from(&app, "203.0.113.9", "fa-AF").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Two an hour: the next is due in half an hour, and the header says so.
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1700..=1800).contains(&retry_after), "{retry_after}");
    let page = res.text().await.unwrap();
    assert!(page.contains("lang=\"fa-AF\""), "in Dari");
    assert!(page.contains("dir=\"rtl\""));
    assert!(
        page.contains("درخواست شما فرستاده نشد"),
        "says plainly it was not sent"
    );
    assert!(page.contains("30 دقیقه"), "the true wait, in minutes");
    assert!(!page.contains("امان"), "no claim that anything is safe");
    // Everything typed is still in the form, ready to send again.
    for (name, value) in valid_answers() {
        if name == "lang" {
            continue;
        }
        if name == "date_of_birth" {
            // A date comes back in its day, month and year boxes.
            let parts: Vec<&str> = value.split('-').collect();
            for (part, typed) in ["year", "month", "day"].into_iter().zip(parts) {
                let box_name = format!("date_of_birth.{part}");
                assert_eq!(
                    extract_input(&page, &box_name).as_deref(),
                    Some(typed),
                    "{box_name}"
                );
            }
            continue;
        }
        assert!(
            page.contains(&value) || extract_input(&page, name).as_deref() == Some(&value),
            "{name} kept"
        );
    }
    assert!(page.contains("I worked as an interpreter and need help."));
    assert!(extract_input(&page, "csrf").is_some(), "a fresh token");
    assert_eq!(app.count().await, 2, "nothing stored");
}

#[tokio::test]
async fn during_a_flood_from_one_network_a_client_elsewhere_still_submits() {
    let app = spawn_with(behind_proxy(
        "submissions_per_client_per_hour = 3\n\
         submissions_per_network_per_hour = 6\n\
         submissions_per_hour = 20\n",
    ))
    .await;
    // One /24: every address stays within its own quota, together far over the global one.
    let mut accepted = 0;
    for host in 1..=10 {
        for _ in 0..3 {
            let from = format!("203.0.113.{host}");
            if submit_from(&app, &from, "en").await.status() == StatusCode::OK {
                accepted += 1;
            }
        }
    }
    assert_eq!(accepted, 6, "the /24 stopped at its share");
    // One IPv6 /48, walking through /64s: the same.
    let mut accepted_v6 = 0;
    for subnet in 1..=10 {
        let from = format!("2001:db8:7:{subnet:x}::1");
        for _ in 0..3 {
            if submit_from(&app, &from, "en").await.status() == StatusCode::OK {
                accepted_v6 += 1;
            }
        }
    }
    assert_eq!(accepted_v6, 6, "the /48 stopped at its share");
    // One /64 is one client, whichever of its addresses it uses.
    let mut accepted_one_64 = 0;
    for host in 1..=5 {
        let from = format!("2001:db8:9:1::{host:x}");
        if submit_from(&app, &from, "en").await.status() == StatusCode::OK {
            accepted_one_64 += 1;
        }
    }
    assert_eq!(accepted_one_64, 3, "a /64 is one client");

    // Someone elsewhere is not locked out by any of it.
    assert_eq!(
        submit_from(&app, "198.51.100.7", "en").await.status(),
        StatusCode::OK
    );
    assert_eq!(app.count().await, 16);

    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains("haven_submission_quota_refusals_total{quota=\"network\"} 48"),
        "{metrics}"
    );
    assert!(
        metrics.contains("haven_submission_quota_refusals_total{quota=\"client\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("haven_submissions_global_remaining 4"),
        "the global figure: {metrics}"
    );
}

/// A POST of the public form over one connection to the onion listener, as Tor sends it
/// with `HiddenServiceExportCircuitID haproxy`: first the PROXY line naming the circuit.
async fn submit_on_circuit(app: &TestApp, onion: &str, circuit: u32) -> u16 {
    let token = app.csrf_token(&format!("/p/{SLUG}")).await;
    let mut fields = valid_answers();
    fields.push(("csrf", token));
    let body = serde_urlencoded::to_string(&fields).unwrap();
    let host = onion.trim_start_matches("http://");
    let source = haven::web::proxy_protocol::tor_circuit_address(circuit);
    let head = format!(
        "PROXY TCP6 {source} ::1 {} 0\r\n\
         POST /p/{SLUG} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        circuit & 0xffff,
        body.len()
    );
    raw_request(onion, &head).await.0
}

#[tokio::test]
async fn a_flood_through_one_tor_circuit_leaves_the_onion_service_to_everyone_else() {
    let app = spawn_with(Settings {
        env: [
            ("HAVEN_ONION_LISTEN", "127.0.0.1:0".to_string()),
            ("HAVEN_ONION_PROXY_PROTOCOL", "on".to_string()),
        ]
        .into(),
        config_file: Some(
            "[rate_limits]\nsubmissions_per_client_per_hour = 2\nonion_submissions_per_hour = 5\n"
                .into(),
        ),
        ..Settings::default()
    })
    .await;
    let onion = app.onion.clone().expect("an onion listener");
    let flood: Vec<u16> = futures_util::future::join_all(
        (0..6).map(|_| submit_on_circuit(&app, &onion, 0x0001_0001)),
    )
    .await;
    assert_eq!(
        flood.iter().filter(|s| **s == 200).count(),
        2,
        "one circuit gets one visitor's quota: {flood:?}"
    );
    assert_eq!(flood.iter().filter(|s| **s == 429).count(), 4);
    // Other circuits, other visitors: they still submit.
    assert_eq!(submit_on_circuit(&app, &onion, 7).await, 200);
    assert_eq!(submit_on_circuit(&app, &onion, 8).await, 200);
    assert_eq!(app.count().await, 4);

    // Without Tor's header the listener does not answer at all: it is not Tor.
    let host = onion.trim_start_matches("http://");
    let addr = onion.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    conn.write_all(format!("GET /p/{SLUG} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer).await;
    assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
}

/// Submits one enquiry and returns its reference code and passphrase.
async fn receipt(app: &TestApp) -> (String, String) {
    let res = app.post_form(&format!("/p/{SLUG}"), &valid_answers()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    (
        extract_by_id(&page, "reference-code").unwrap(),
        extract_by_id(&page, "passphrase").unwrap(),
    )
}

async fn open_inbox_from(
    app: &TestApp,
    from: &str,
    reference: &str,
    passphrase: &str,
) -> reqwest::Response {
    let path = format!("/p/{SLUG}/status");
    let fields = [
        ("lang", "en".to_string()),
        ("reference", reference.to_string()),
        ("passphrase", passphrase.to_string()),
        ("csrf", app.csrf_token(&path).await),
    ];
    app.client
        .post(app.url(&path))
        .header("x-forwarded-for", from)
        .form(&fields)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn someone_hammering_a_reference_code_from_many_addresses_does_not_lock_its_owner_out() {
    let app = spawn_with(behind_proxy("")).await;
    let (reference, passphrase) = receipt(&app).await;
    let wrong = "AAAA-AAAA-AAAA-AAAA";
    for attacker in 1..=6 {
        let from = format!("203.0.113.{attacker}");
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(
                open_inbox_from(&app, &from, &reference, wrong)
                    .await
                    .status()
                    .as_u16(),
            );
        }
        // Five tries on one code from one address, then their own limit.
        assert_eq!(statuses, [422, 422, 422, 422, 422, 429], "{from}");
    }
    let res = open_inbox_from(&app, "198.51.100.20", &reference, &passphrase).await;
    assert_eq!(res.status(), StatusCode::OK, "the owner, from elsewhere");
    assert!(res.text().await.unwrap().contains("Status of your enquiry"));
}

#[tokio::test]
async fn the_inbox_throttle_page_states_its_true_wait_and_keeps_the_typed_code() {
    let app = spawn_with(behind_proxy("")).await;
    let (reference, _) = receipt(&app).await;
    for _ in 0..5 {
        open_inbox_from(&app, "203.0.113.5", &reference, "AAAA-AAAA-AAAA-AAAA").await;
    }
    let res = open_inbox_from(&app, "203.0.113.5", &reference, "AAAA-AAAA-AAAA-AAAA").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=60).contains(&retry_after),
        "a one-minute window: {retry_after}"
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("Try again in 1 min"), "{page}");
    assert!(!page.contains("hour"), "not 'wait an hour'");
    assert_eq!(
        extract_input(&page, "reference").as_deref(),
        Some(reference.as_str())
    );
}

/// The real binary: the global quota's use raises a warning at a half and when it
/// refuses, with figures only (no address, no programme, nothing typed).
#[tokio::test]
async fn the_global_quota_warns_in_the_log_before_and_when_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(dir.path()).await;
    let config = dir.path().join("limits.toml");
    std::fs::write(&config, "[rate_limits]\nsubmissions_per_hour = 4\n").unwrap();
    let install = crate::processes::Installation::new(dir.path(), &url)
        .with("HAVEN_RATE_LIMIT", "on")
        .with("HAVEN_TRUSTED_PROXIES", "127.0.0.1")
        .with("HAVEN_CONFIG", config.to_str().unwrap());
    install.apply_example();
    let server = install.serve("alarmed", &["public"]).await;
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for i in 1..=5 {
        let from = format!("198.51.{i}.7");
        let form = client
            .get(format!("{}/p/{SLUG}", server.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut fields = valid_answers();
        fields.push(("csrf", extract_input(&form, "csrf").unwrap()));
        let res = client
            .post(format!("{}/p/{SLUG}", server.base))
            .header("x-forwarded-for", &from)
            .form(&fields)
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429]);
    let log = server.log_text();
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("global submission quota"))
        .collect();
    assert!(
        warnings.iter().any(|l| l.contains("half of the global")),
        "{log}"
    );
    assert!(warnings.iter().any(|l| l.contains("used up")), "{log}");
    for line in &warnings {
        assert!(!line.contains("198.51."), "an address in the log: {line}");
        assert!(!line.contains(SLUG), "{line}");
    }
}

#[tokio::test]
async fn the_request_budgets_429_page_says_its_true_wait_and_claims_nothing() {
    let app = spawn_with(behind_proxy("requests_per_client_per_minute = 3\n")).await;
    let get = || {
        app.client
            .get(app.url(&format!("/p/{SLUG}")))
            .header("x-forwarded-for", "203.0.113.44")
            .send()
    };
    for _ in 0..3 {
        assert_eq!(get().await.unwrap().status(), StatusCode::OK);
    }
    let res = get().await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry_after), "3 a minute: {retry_after}");
    let page = res.text().await.unwrap();
    assert!(page.contains("Try again in 1 min"), "{page}");
    assert!(
        !page.contains("an hour") && !page.contains("is safe"),
        "{page}"
    );
}
