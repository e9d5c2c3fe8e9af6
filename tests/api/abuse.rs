//! The abuse suite: ten thousand malformed or malicious requests against a running
//! Haven. Not one may be answered 5xx, the server must stay up, nothing may be stored
//! but what was acknowledged with a receipt, and script typed into a form must come
//! back escaped in the console.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, spawn_with, valid_answers};
use crate::staff::signed_in;

/// xorshift64*: a reproducible stream of choices (the seed is printed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "'; DROP TABLE enquiries; --",
    "Robert\"); DELETE FROM audit_log; --",
    "line\r\nBcc: victim@example.org\r\n",
    "%0d%0aSet-Cookie: x=y",
    "{{reference}} {name} ${jndi:ldap://x}",
    "../../../../etc/passwd",
    "\u{202e}gnp.exe",
    "\u{0000}nul",
    "𝕳𝖆𝖛𝖊𝖓 ﷽ دری",
    "",
    " ",
];

fn percent(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// One abusive request: method, path, content type, body, extra header.
type Hostile = (
    reqwest::Method,
    String,
    Option<&'static str>,
    Vec<u8>,
    Option<(&'static str, String)>,
);

/// One abusive request.
fn request(rng: &mut Rng, token: &str) -> Hostile {
    use reqwest::Method;
    let form = "application/x-www-form-urlencoded";
    match rng.next() % 10 {
        // The form with hostile values in every field, with or without a valid token.
        0..=2 => {
            let mut body = String::new();
            for (k, v) in valid_answers() {
                let value = if rng.next().is_multiple_of(2) {
                    rng.pick(PAYLOADS).to_string()
                } else {
                    v
                };
                body.push_str(&format!("{k}={}&", percent(&value)));
            }
            if !rng.next().is_multiple_of(3) {
                body.push_str(&format!("csrf={token}"));
            }
            (
                Method::POST,
                format!("/p/{SLUG}"),
                Some(form),
                body.into_bytes(),
                None,
            )
        }
        // Broken encodings: invalid UTF-8, raw bytes, repeated and unknown fields.
        3 => {
            let bodies: [&[u8]; 6] = [
                b"full_name=%FF%FE%FD&csrf=x",
                b"full_name=a&full_name=b",
                b"\xff\xfe\x00\x01=\x02",
                b"unknown_field=1&another=2",
                b"%%%%%=&&&==",
                b"situation=%E2%82",
            ];
            (
                Method::POST,
                format!("/p/{SLUG}"),
                Some(form),
                rng.pick(&bodies).to_vec(),
                None,
            )
        }
        // Wrong content types and oversized bodies.
        4 => {
            let kinds = [
                "application/json",
                "multipart/form-data; boundary=x",
                "text/plain",
                "application/xml",
            ];
            let size = [0usize, 10, 70_000, 300_000][(rng.next() % 4) as usize];
            (
                Method::POST,
                format!("/p/{SLUG}"),
                Some(*rng.pick(&kinds)),
                vec![b'{'; size],
                None,
            )
        }
        // Path traversal and hostile paths.
        5 => {
            let paths = [
                "/p/..%2F..%2Fetc%2Fpasswd",
                "/static/../Cargo.toml",
                "/static/..%2f..%2fCargo.toml",
                "/p/%00",
                "/p/afghanistan-2021%0d%0aX: y",
                "/console/e/'%20OR%201=1%20--",
                "/console/e/..%2F..%2F",
                "/admin/users/%3Cscript%3E/disable",
                "/p/afghanistan-2021/status?lang=%3Cscript%3E",
                "/p/afghanistan-2021?lang=ps%22%3E%3Cscript%3E",
            ];
            let mut path = rng.pick(&paths).to_string();
            if rng.next().is_multiple_of(5) {
                path.push_str(&"a".repeat(8_000));
            }
            (Method::GET, path, None, Vec::new(), None)
        }
        // Methods Haven does not answer.
        6 => {
            let methods = [
                Method::PUT,
                Method::DELETE,
                Method::PATCH,
                Method::OPTIONS,
                Method::TRACE,
            ];
            (
                rng.pick(&methods).clone(),
                format!("/p/{SLUG}"),
                None,
                Vec::new(),
                None,
            )
        }
        // Hostile headers.
        7 => {
            let headers = [
                ("cookie", format!("__Host-haven={}", "<script>".repeat(100))),
                ("cookie", "__Host-haven=../../etc".to_string()),
                ("accept-language", "x".repeat(4_000)),
                (
                    "accept-language",
                    "*;q=NaN, ps;q=-1, ar;q=1e400".to_string(),
                ),
                ("x-forwarded-for", "not-an-ip, , ::::".to_string()),
                ("origin", "null".to_string()),
                ("sec-fetch-site", "cross-site".to_string()),
            ];
            let (name, value) = rng.pick(&headers).clone();
            (
                Method::GET,
                "/console".into(),
                None,
                Vec::new(),
                Some((name, value)),
            )
        }
        // The reply inbox and staff sign-in with junk.
        8 => {
            let payload: &&str = rng.pick(PAYLOADS);
            let value = percent(payload);
            let body = format!("csrf={token}&reference={value}&passphrase={value}");
            (
                Method::POST,
                format!("/p/{SLUG}/status"),
                Some(form),
                body.into_bytes(),
                None,
            )
        }
        _ => {
            let payload: &&str = rng.pick(PAYLOADS);
            let value = percent(payload);
            let body = format!("csrf={value}&email={value}&password={value}");
            (
                Method::POST,
                "/console/sign-in".into(),
                Some(form),
                body.into_bytes(),
                None,
            )
        }
    }
}

#[tokio::test]
async fn ten_thousand_hostile_requests_get_no_server_error_and_store_nothing_unacknowledged() {
    let app = spawn_with(Settings {
        env: [("HAVEN_RATE_LIMIT", "off".to_string())].into(),
        ..Default::default()
    })
    .await;
    let token = app.csrf_token(&format!("/p/{SLUG}")).await;
    let seed = std::env::var("HAVEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| haven::store::now() as u64 | 1);
    println!("abuse seed: {seed} (HAVEN_TEST_SEED to replay)");
    let mut rng = Rng(seed);
    let requests: Vec<_> = (0..10_000).map(|_| request(&mut rng, &token)).collect();
    let receipts = Arc::new(AtomicUsize::new(0));
    let server_errors = Arc::new(AtomicUsize::new(0));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let chunks: Vec<Vec<_>> = requests.chunks(625).map(|c| c.to_vec()).collect();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in chunks {
        let (client, base) = (client.clone(), app.addr.clone());
        let (receipts, server_errors) = (receipts.clone(), server_errors.clone());
        tasks.spawn(async move {
            for (method, path, content_type, body, header) in chunk {
                let mut req = client
                    .request(method.clone(), format!("{base}{path}"))
                    .body(body);
                if let Some(ct) = content_type {
                    req = req.header("content-type", ct);
                }
                if let Some((name, value)) = header {
                    req = req.header(name, value);
                }
                // A request the client library itself cannot send (a CR in a path) is
                // not an answer from Haven; skip it.
                let Ok(res) = req.send().await else { continue };
                let status = res.status();
                if status.is_server_error() {
                    server_errors.fetch_add(1, Ordering::Relaxed);
                    eprintln!("{status} for {method} {}", &path[..path.len().min(80)]);
                }
                let text = res.text().await.unwrap_or_default();
                if status == StatusCode::OK && text.contains("id=\"reference-code\"") {
                    receipts.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    let accepted = receipts.load(Ordering::Relaxed);
    println!("{accepted} hostile-but-valid submissions were accepted");
    assert!(
        accepted > 0,
        "some requests were valid submissions, so the count below means something"
    );
    assert_eq!(
        server_errors.load(Ordering::Relaxed),
        0,
        "no 5xx (seed {seed})"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        StatusCode::OK,
        "still up"
    );
    assert_eq!(
        app.count().await,
        receipts.load(Ordering::Relaxed) as i64,
        "exactly the acknowledged submissions are stored (seed {seed})"
    );
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        haven::audit::Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn script_typed_into_the_form_is_shown_escaped_to_staff() {
    let app = crate::helpers::spawn_app().await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let xss = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let mut answers = valid_answers();
    for (k, v) in answers.iter_mut() {
        if matches!(*k, "full_name" | "situation" | "family_members") {
            *v = xss.to_string();
        }
    }
    let res = app.post_form(&format!("/p/{SLUG}"), &answers).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = app.only_enquiry().await.id;
    let page = agent.get(&format!("/console/e/{id}")).await.body;
    assert!(
        page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "escaped"
    );
    assert!(!page.contains("<script>") && !page.contains("<img src=x"));
    // A note and a reply with script are stored and shown escaped too.
    let e = format!("/console/e/{id}");
    agent
        .post(&e, &format!("{e}/note"), &[("text", xss.into())])
        .await;
    agent
        .post(
            &e,
            &format!("{e}/reply"),
            &[("subject", xss.into()), ("text", xss.into())],
        )
        .await;
    let page = agent.get(&e).await.body;
    assert!(!page.contains("<script>") && !page.contains("<img src=x"));
}
