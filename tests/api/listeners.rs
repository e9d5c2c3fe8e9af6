//! Which listener a request arrived on decides what it may reach, never the path text.
//! On the onion listener (Tor visitors, who all arrive from loopback), the staff console,
//! administration and monitoring do not exist, however the path is spelled.

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{SLUG, Settings, TestApp, spawn_with};

/// Sends `head` as written (no client-side normalisation of the path) and returns the
/// status code and the body of the answer.
pub async fn raw_request(base: &str, head: &str) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(addr).await.expect("connect");
    conn.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let _ = conn.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

pub async fn raw_get(base: &str, path: &str) -> (u16, String) {
    let host = base.trim_start_matches("http://");
    raw_request(
        base,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

async fn onion_app() -> (TestApp, String) {
    let app = spawn_with(Settings {
        env: [("HAVEN_ONION_LISTEN", "127.0.0.1:0".to_string())].into(),
        ..Settings::default()
    })
    .await;
    let onion = app.onion.clone().expect("an onion listener");
    (app, onion)
}

/// Every spelling of a staff or monitoring path a router or a proxy might decode.
const DISGUISES: &[&str] = &[
    "/console/sign-in",
    "/%63onsole/sign-in",
    "/%63%6f%6e%73%6f%6c%65/sign-in",
    "/%2563onsole/sign-in",
    "/console%2fsign-in",
    "/p/../console/sign-in",
    "/p/%2e%2e/console/sign-in",
    "/./console/sign-in",
    "//console/sign-in",
    "/console//sign-in",
    "/Console/sign-in",
    "/CONSOLE/sign-in",
    "/console/sign-in/",
    "/console/sign-in?lang=en",
    "/console",
    "/%61dmin/users",
    "/admin/users",
    "/%41dmin/users",
    "//admin/users",
    "/metrics",
    "/%6detrics",
    "/%6Detrics",
    "//metrics",
    "/p/../metrics",
    "/readyz",
    "/%72eadyz",
];

#[tokio::test]
async fn no_spelling_of_a_staff_or_monitoring_path_reaches_a_handler_on_the_onion_listener() {
    let (app, onion) = onion_app().await;
    // The same process serves these on its own listener: the refusal is the listener's.
    for path in [
        "/console/sign-in",
        "/%63onsole/sign-in",
        "/metrics",
        "/readyz",
    ] {
        let (status, _) = raw_get(&app.addr, path).await;
        assert_eq!(status, 200, "{path} on the main listener");
    }
    let mut reached = Vec::new();
    for path in DISGUISES {
        let (status, body) = raw_get(&onion, path).await;
        // Nothing on the onion listener may answer with a staff page, a redirect into
        // the console, or the metrics text.
        let leaked = status != 404
            || body.contains("/console/sign-in")
            || body.contains("haven_http_responses");
        if leaked {
            reached.push(format!("{path} → {status}"));
        }
    }
    assert!(
        reached.is_empty(),
        "reached on the onion listener: {reached:#?}"
    );

    // A POST to a disguised sign-in is refused as well (before any password is read).
    let host = onion.trim_start_matches("http://");
    let body = "csrf=x&email=a%40example.org&password=xxxxxxxxxxxxxxxx";
    let (status, _) = raw_request(
        &onion,
        &format!(
            "POST /%63onsole/sign-in HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert_eq!(
        status, 404,
        "POST to a disguised sign-in on the onion listener"
    );

    // The public form is served there, under its own names only.
    let (status, _) = raw_get(&onion, &format!("/p/{SLUG}")).await;
    assert_eq!(status, 200);
    let res = app
        .client
        .get(format!("{onion}/static/haven.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}
