//! Headers, methods and limits, asserted exactly: a change to any of them must be a
//! deliberate change to this file.

use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, spawn_app, spawn_with, valid_answers};

const EXPECTED: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("x-robots-tag", "noindex, nofollow"),
    (
        "permissions-policy",
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(), \
         geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), \
         picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), \
         usb=(), xr-spatial-tracking=()",
    ),
    ("cache-control", "no-store"),
    ("content-type", "text/html; charset=utf-8"),
];

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    for (name, value) in EXPECTED {
        assert_eq!(
            res.headers().get(*name).and_then(|v| v.to_str().ok()),
            Some(*value),
            "{what}: header {name}"
        );
    }
    assert!(
        res.headers().get("server").is_none(),
        "{what}: no Server header"
    );
    // The public side's only cookies: the probe that says the browser keeps cookies,
    // and the sealed receipt between the form's POST and its GET (issue 21). Each is
    // locked down and scoped to one programme's pages.
    for cookie in res.headers().get_all("set-cookie") {
        let cookie = cookie.to_str().unwrap();
        assert!(
            cookie.starts_with("haven_cookies=") || cookie.starts_with("haven_receipt="),
            "{what}: an unexpected cookie {cookie}"
        );
        for attribute in [
            "HttpOnly",
            "Secure",
            "SameSite=Strict",
            "Path=/p/",
            "Max-Age=",
        ] {
            assert!(
                cookie.contains(attribute),
                "{what}: {cookie} lacks {attribute}"
            );
        }
        assert!(!cookie.contains("Domain="), "{what}: {cookie}");
    }
}

#[tokio::test]
async fn every_public_page_carries_the_full_header_set() {
    let app = spawn_app().await;
    let res = app.get(&format!("/p/{SLUG}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_security_headers(&res, "form");
    assert!(
        res.headers().get("strict-transport-security").is_none(),
        "no HSTS without TLS"
    );
    let (_, _) = app.submit(&valid_answers()).await;
    let res = app.post_form(&format!("/p/{SLUG}"), &valid_answers()).await;
    assert_security_headers(&res, "receipt");
    assert_security_headers(&app.get("/nowhere").await, "404 page");
    assert_security_headers(
        &app.get(&format!("/p/{SLUG}/status")).await,
        "inbox sign-in",
    );
}

#[tokio::test]
async fn hsts_is_sent_when_the_public_url_is_https() {
    let mut settings = Settings::default();
    settings
        .env
        .insert("HAVEN_PUBLIC_URL", "https://help.example.org".into());
    let app = spawn_with(settings).await;
    let res = app.get(&format!("/p/{SLUG}")).await;
    assert_eq!(
        res.headers()["strict-transport-security"].to_str().unwrap(),
        "max-age=63072000; includeSubDomains"
    );
}

#[tokio::test]
async fn only_get_post_and_head_are_answered() {
    let app = spawn_app().await;
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        let res = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&format!("/p/{SLUG}")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert!(res.headers().get("access-control-allow-origin").is_none());
    }
    let res = app
        .client
        .head(app.url(&format!("/p/{SLUG}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_flooding_client_is_stopped_with_a_friendly_page_while_another_gets_through() {
    let mut settings = Settings::default();
    settings
        .env
        .insert("HAVEN_TRUSTED_PROXIES", "127.0.0.1".into());
    settings.config_file = Some("[rate_limits]\nsubmissions_per_client_per_hour = 3\n".into());
    let app = spawn_with(settings).await;
    let path = format!("/p/{SLUG}");
    // A fresh form each time, as a person sending again does (a token submits once).
    let send = async |client_ip: &'static str| {
        let mut fields = valid_answers();
        fields.push(("csrf", app.csrf_token(&path).await));
        app.client
            .post(app.url(&path))
            .header("x-forwarded-for", client_ip)
            .form(&fields)
            .send()
            .await
    };
    for _ in 0..3 {
        assert_eq!(send("203.0.113.7").await.unwrap().status(), StatusCode::OK);
    }
    let res = send("203.0.113.7").await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get("retry-after").is_some());
    assert!(res.text().await.unwrap().contains("has not been sent"));
    assert_eq!(
        send("198.51.100.20").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(app.count().await, 4);
}

#[tokio::test]
async fn a_spoofed_forwarded_header_from_an_untrusted_peer_does_not_dodge_the_limit() {
    let settings = Settings {
        config_file: Some("[rate_limits]\nsubmissions_per_client_per_hour = 2\n".into()),
        ..Settings::default()
    };
    let app = spawn_with(settings).await;
    let path = format!("/p/{SLUG}");
    let mut statuses = Vec::new();
    for i in 0..4 {
        let mut fields = valid_answers();
        fields.push(("csrf", app.csrf_token(&path).await));
        let res = app
            .client
            .post(app.url(&path))
            .header("x-forwarded-for", format!("192.0.2.{i}"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429, 429]);
}

#[tokio::test]
async fn the_public_role_serves_and_seals_without_ever_touching_the_master_key() {
    use haven::app::{Role, Roles};
    let console_keys = tempfile::tempdir().unwrap();
    let absent = console_keys.path().join("not-here/master.key");
    let mut settings = Settings {
        apply_example: false,
        roles: Roles::only(&[Role::Public]),
        ..Settings::default()
    };
    settings
        .env
        .insert("HAVEN_MASTER_KEY_FILE", absent.display().to_string());
    let app = spawn_with(settings).await;

    // The console side, with its own key, launches the programme.
    let mut console = app.config.clone();
    console.master_key_file = console_keys.path().join("master.key");
    crate::helpers::apply(&app.store, &console, crate::helpers::EXAMPLE).await;

    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        !absent.exists(),
        "the public role never created or read a master key"
    );
    assert!(!absent.parent().unwrap().exists());

    let record = app.only_enquiry().await;
    let keyring = crate::helpers::keyring_at(&app.store, &console.master_key_file).await;
    let content = crate::helpers::open_enquiry(&keyring, &record)
        .await
        .unwrap();
    assert_eq!(
        content.answers.get("full_name"),
        Some(&haven::programme::Answer::Text("Ana Rahimi".into()))
    );
    // And no route of the other roles answers here.
    assert_eq!(app.get("/console").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn staff_pages_carry_the_same_headers_and_the_cookie_is_locked_down() {
    use crate::staff::{PASSWORD, Staff, add_user};
    let app = spawn_app().await;
    let sign_in = app.get("/console/sign-in").await;
    assert_eq!(sign_in.status(), StatusCode::OK);
    assert_security_headers(&sign_in, "sign-in page");
    let id = add_user(
        &app,
        "agent@example.org",
        haven::casework::ProgrammeRole::Agent,
        Some(SLUG),
    )
    .await;
    let mut staff = Staff::new(&app, "agent@example.org", &id);
    let step = staff.password_step(PASSWORD).await;
    let cookie = step
        .set_cookie
        .iter()
        .find(|c| c.starts_with("__Host-haven="))
        .expect("a session cookie");
    // Exactly these attributes, in any order: no Domain, no Max-Age/Expires (it ends
    // with the browser session, and the server ends it sooner).
    let mut attributes: Vec<&str> = cookie.split("; ").skip(1).collect();
    attributes.sort_unstable();
    assert_eq!(
        attributes,
        ["HttpOnly", "Path=/", "SameSite=Strict", "Secure"],
        "{cookie}"
    );
    staff.sign_in().await;
    let res = app
        .client
        .get(app.url("/console"))
        .header(
            "cookie",
            format!("__Host-haven={}", staff.cookie.clone().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    for (name, value) in EXPECTED {
        assert_eq!(
            res.headers().get(*name).and_then(|v| v.to_str().ok()),
            Some(*value),
            "console: header {name}"
        );
    }
    assert!(res.headers().get("server").is_none());
    assert!(
        res.headers().get("content-encoding").is_none(),
        "staff pages are never compressed"
    );
}

#[tokio::test]
async fn the_account_throttle_holds_when_the_attacker_rotates_addresses() {
    use crate::staff::{PASSWORD, add_user};
    // Behind a trusted proxy each request may claim a different client address.
    let app = spawn_with(Settings {
        env: [("HAVEN_TRUSTED_PROXIES", "127.0.0.1".to_string())].into(),
        ..Default::default()
    })
    .await;
    add_user(
        &app,
        "agent@example.org",
        haven::casework::ProgrammeRole::Agent,
        Some(SLUG),
    )
    .await;
    let mut statuses = Vec::new();
    for i in 0..8u8 {
        let page = app.get("/console/sign-in").await.text().await.unwrap();
        let token = crate::helpers::extract_input(&page, "csrf").unwrap();
        let password = if i == 7 {
            PASSWORD.to_string()
        } else {
            format!("wrong password {i}")
        };
        let res = app
            .client
            .post(app.url("/console/sign-in"))
            .header("x-forwarded-for", format!("198.51.100.{}", 10 + i))
            .form(&[
                ("csrf", token),
                ("email", "agent@example.org".into()),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    // Five tries a minute per account, from whatever address: the sixth on is refused,
    // the right password included.
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
}
