//! A person fills in the public form: what they see, what is stored, what they get back.

use crate::helpers::open_enquiry;
use haven::programme::Answer;
use reqwest::StatusCode;

use crate::helpers::{SLUG, extract_by_id, extract_input, spawn_app, valid_answers};

fn with(
    mut fields: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value.to_string()));
    fields
}

fn without(mut fields: Vec<(&'static str, String)>, key: &str) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != key);
    fields
}

#[tokio::test]
async fn the_form_is_served_in_each_language_with_rtl_for_dari_and_pashto() {
    let app = spawn_app().await;
    for (lang, dir) in [
        ("en", "ltr"),
        ("fr", "ltr"),
        ("fa-AF", "rtl"),
        ("ps", "rtl"),
    ] {
        let res = app.get(&format!("/p/{SLUG}?lang={lang}")).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = res.text().await.unwrap();
        assert!(
            page.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")),
            "{lang}"
        );
        assert!(page.contains("name=\"csrf\""), "{lang}");
        assert!(!page.contains("<script"), "no script on the public form");
    }
    // Without ?lang the browser's preference is the first guess.
    let res = app
        .client
        .get(app.url(&format!("/p/{SLUG}")))
        .header("accept-language", "ps-AF;q=0.9, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("<html lang=\"ps\" dir=\"rtl\">")
    );
}

#[tokio::test]
async fn an_accepted_enquiry_is_routed_sealed_and_can_be_opened_by_the_console_side() {
    let app = spawn_app().await;
    let fields = with(valid_answers(), "in_danger", "yes");
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let reference = extract_by_id(&page, "reference-code").expect("reference on receipt");
    let passphrase = extract_by_id(&page, "passphrase").expect("passphrase on receipt");
    assert_eq!(reference.len(), 23);
    assert_eq!(passphrase.len(), 19);

    let enquiries = app
        .store
        .enquiries_of_programme(&app.programme_id().await)
        .await
        .unwrap();
    assert_eq!(enquiries.len(), 1);
    let e = &enquiries[0];
    assert_eq!(e.queue, "urgent", "in danger goes to the urgent queue");
    assert_eq!(e.priority, 1);
    assert_eq!(e.status, "new");
    assert!(!e.has_email);
    assert_eq!(e.created_hour % 3600, 0, "clear timestamps are coarse");

    let content = open_enquiry(&app.keyring().await, e).await.unwrap();
    assert_eq!(content.reference, reference);
    assert_eq!(content.email, None);
    assert_eq!(
        content.answers.get("full_name"),
        Some(&Answer::Text("Ana Rahimi".into()))
    );
    assert_eq!(
        content.answers.get("consent_partners"),
        Some(&Answer::Flag(true))
    );
}

#[tokio::test]
async fn routing_follows_the_programme_rules() {
    let app = spawn_app().await;
    let cases = [
        (
            vec![("in_danger", "no"), ("help_category", "former_staff")],
            "former-staff",
        ),
        (
            vec![("in_danger", "no"), ("help_category", "family_reunion")],
            "family",
        ),
        (
            vec![("in_danger", "no"), ("help_category", "other")],
            "general",
        ),
        (
            vec![("in_danger", "yes"), ("help_category", "family_reunion")],
            "urgent",
        ),
    ];
    for (answers, _) in &cases {
        let mut fields = valid_answers();
        for (k, v) in answers {
            fields = with(fields, k, v);
        }
        assert_eq!(app.submit(&fields).await.0, StatusCode::OK);
    }
    let mut queues: Vec<String> = app
        .store
        .enquiries_of_programme(&app.programme_id().await)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.queue)
        .collect();
    queues.sort();
    let mut expected: Vec<String> = cases.iter().map(|(_, q)| q.to_string()).collect();
    expected.sort();
    assert_eq!(queues, expected);
}

#[tokio::test]
async fn an_email_contact_is_sealed_and_indexed_not_stored_in_clear() {
    let app = spawn_app().await;
    let fields = with(
        with(valid_answers(), "contact_mode", "email"),
        "contact_email",
        "Ana@Example.org",
    );
    assert_eq!(app.submit(&fields).await.0, StatusCode::OK);
    let e = app.only_enquiry().await;
    assert!(e.has_email);
    let content = open_enquiry(&app.keyring().await, &e).await.unwrap();
    assert_eq!(content.email.as_deref(), Some("Ana@example.org"));
}

#[tokio::test]
async fn choosing_the_inbox_drops_a_typed_email_address() {
    let app = spawn_app().await;
    let fields = with(valid_answers(), "contact_email", "typed-anyway@example.org");
    assert_eq!(app.submit(&fields).await.0, StatusCode::OK);
    let e = app.only_enquiry().await;
    assert!(!e.has_email);
    let content = open_enquiry(&app.keyring().await, &e).await.unwrap();
    assert_eq!(content.email, None);
}

#[tokio::test]
async fn missing_and_invalid_answers_come_back_with_errors_and_the_typed_text() {
    let app = spawn_app().await;
    let fields = with(
        with(
            without(valid_answers(), "full_name"),
            "situation",
            "My words <b>stay</b> & are kept",
        ),
        "contact_mode",
        "email",
    );
    let fields = with(fields, "contact_email", "not an address");
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("There is a problem"));
    assert!(
        page.contains("href=\"#f-full_name\""),
        "summary links to the field"
    );
    assert!(page.contains("id=\"f-full_name-error\""), "inline error");
    assert!(page.contains("Enter an email address in the right format"));
    // The typed text is back, escaped.
    assert!(page.contains("My words &lt;b&gt;stay&lt;/b&gt; &amp; are kept"));
    assert_eq!(
        extract_input(&page, "contact_email").as_deref(),
        Some("not an address")
    );
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn errors_are_shown_in_the_persons_language() {
    let app = spawn_app().await;
    let fields = with(without(valid_answers(), "full_name"), "lang", "ps");
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("<html lang=\"ps\" dir=\"rtl\">"));
    assert!(!page.contains("There is a problem"));
}

#[tokio::test]
async fn too_long_answers_are_refused_with_the_limit_named() {
    let app = spawn_app().await;
    let fields = with(valid_answers(), "full_name", &"a".repeat(201));
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("200 characters or fewer"), "{page}");
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn an_expired_or_forged_token_keeps_the_typed_answers() {
    let app = spawn_app().await;
    let fields = with(
        with(valid_answers(), "csrf", &"0".repeat(64)),
        "situation",
        "Please keep this text",
    );
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Please keep this text"));
    let fresh = extract_input(&page, "csrf").unwrap();
    assert_ne!(fresh, "0".repeat(64), "a fresh token to send again with");
    assert_eq!(app.count().await, 0);
    // Sending again with the fresh token works.
    let fields = with(valid_answers(), "csrf", &fresh);
    assert_eq!(app.submit(&fields).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = spawn_app().await;
    let token = app.csrf_token(&format!("/p/{SLUG}")).await;
    let mut fields = valid_answers();
    fields.push(("csrf", token));
    let res = app
        .client
        .post(app.url(&format!("/p/{SLUG}")))
        .header("origin", "https://attacker.example")
        .header("sec-fetch-site", "cross-site")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn malformed_requests_get_pages_not_server_errors_and_store_nothing() {
    let app = spawn_app().await;
    let form = "application/x-www-form-urlencoded";
    let path = format!("/p/{SLUG}");
    let token = app.csrf_token(&path).await;
    let cases: Vec<(&str, String, Vec<u8>, StatusCode)> = vec![
        (
            "invalid UTF-8",
            form.into(),
            format!("csrf={token}&full_name=%FF%FE").into_bytes(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "bad escape",
            form.into(),
            b"full_name=%ZZ".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "unknown field",
            form.into(),
            format!("csrf={token}&is_admin=1").into_bytes(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "repeated field",
            form.into(),
            b"full_name=a&full_name=b".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "oversized body",
            form.into(),
            vec![b'a'; 300 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "json",
            "application/json".into(),
            b"{\"full_name\":\"x\"}".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "multipart",
            "multipart/form-data; boundary=x".into(),
            b"--x--".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (what, ct, body, expected) in cases {
        let res = app.post_raw(&path, &ct, body).await;
        assert_eq!(res.status(), expected, "{what}");
        let ctype = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(ctype, "text/html; charset=utf-8", "{what}");
        let page = res.text().await.unwrap();
        assert!(page.contains("<h1>"), "{what}: a page, not a bare message");
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn unknown_draft_and_closed_programmes() {
    let app = spawn_app().await;
    let res = app.get("/p/no-such-programme").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("Page not found"));
    assert_eq!(
        app.get("/p/..%2F..%2Fetc").await.status(),
        StatusCode::NOT_FOUND
    );

    let closed = crate::helpers::EXAMPLE
        .replacen("status = \"open\"", "status = \"closed\"", 1)
        .replacen("slug = \"afghanistan-2021\"", "slug = \"closed-one\"", 1);
    crate::helpers::apply(&app.store, &app.config, &closed).await;
    let res = app.get("/p/closed-one").await;
    assert_eq!(res.status(), StatusCode::GONE);
    let page = res.text().await.unwrap();
    assert!(page.contains("This form is closed"));
    let res = app
        .post_raw(
            "/p/closed-one",
            "application/x-www-form-urlencoded",
            b"full_name=x".to_vec(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::GONE);

    let draft = crate::helpers::EXAMPLE
        .replacen("status = \"open\"", "status = \"draft\"", 1)
        .replacen("slug = \"afghanistan-2021\"", "slug = \"draft-one\"", 1);
    crate::helpers::apply(&app.store, &app.config, &draft).await;
    assert_eq!(
        app.get("/p/draft-one").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn the_receipt_codes_open_the_reply_inbox_and_nothing_else_does() {
    let app = spawn_app().await;
    let (_, page) = app.submit(&valid_answers()).await;
    let reference = extract_by_id(&page, "reference-code").unwrap();
    let passphrase = extract_by_id(&page, "passphrase").unwrap();
    let inbox = format!("/p/{SLUG}/status");

    let res = app
        .post_form(
            &inbox,
            &[
                ("reference", reference.to_lowercase()),
                ("passphrase", passphrase.replace('-', " ")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert_eq!(
        extract_by_id(&page, "enquiry-status").as_deref(),
        Some("We are reviewing your enquiry")
    );

    let res = app
        .post_form(
            &inbox,
            &[
                ("reference", reference.clone()),
                ("passphrase", "AAAA-AAAA-AAAA-AAAA".into()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("We could not open an inbox"));
    assert!(!page.contains("enquiry-status"));
}

#[tokio::test]
async fn the_honeypot_stops_a_bot_and_stores_nothing() {
    let app = spawn_app().await;
    let fields = with(valid_answers(), "website", "http://spam.example");
    let (status, _) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_form_is_compressed_for_slow_links() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url(&format!("/p/{SLUG}")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let wire = res.bytes().await.unwrap().len();
    assert!(wire < 15 * 1024, "form page is {wire} bytes on the wire");
}
