//! Templates are checked before use (issue 19, item 6), through real HTTP: "Send me a
//! test" reaches the SMTP sink once, to the staff member's own address only, with
//! sample data and never an enquiry's; the template lists name the languages a
//! template lacks; a single reply from a template lacking the person's language is
//! held until the agent chooses the fallback language or to write by hand.

use haven::casework::ProgrammeRole::*;
use haven::domain::Language;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, apply, extract_by_id, extract_input, html_unescape};
use crate::replies::{
    Person, assert_replied, audit_actions, count, enquire, haven, header_names, post_reply,
    programme, readable_text, reply_fields, to_addresses,
};
use crate::smtp_sink::SmtpSink;
use crate::staff::{Page, signed_in};

/// The example programme in full mode, its "documents" template without French.
async fn setup() -> (TestApp, SmtpSink) {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let text = programme(SLUG, "full");
    let subject = "subject.fr = \"Nous avons besoin de quelques documents\"\n";
    let start = text
        .find("body.fr = \"\"\"\nBonjour {name},\n\nPour avancer")
        .expect("the example's French documents text");
    let end = start + text[start..].find("body.fa-AF").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..]).replacen(subject, "", 1);
    assert!(!text.contains(subject));
    apply(&app.store, &app.config, &text).await;
    (app, sink)
}

fn test_send_path(key: &str) -> String {
    format!("/console/p/{SLUG}/templates/{key}/test")
}

fn templates_page() -> String {
    format!("/console/p/{SLUG}/templates")
}

async fn ana(app: &TestApp) -> Person {
    enquire(
        app,
        SLUG,
        Some("ana.rahimi@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await
}

#[tokio::test]
async fn templates_check_a_test_send_reaches_only_the_staff_members_own_address() {
    let (app, sink) = setup().await;
    let ana = ana(&app).await;
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let before = sink.transactions().len();

    let done = sup
        .post(
            &templates_page(),
            &test_send_path("acknowledgement"),
            &[("lang", "en".to_owned())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(
        done.location.as_deref().unwrap_or("").contains("test=sent"),
        "{:?}",
        done.location
    );

    let all = sink.transactions();
    let new: Vec<_> = all[before..].iter().collect();
    assert_eq!(new.len(), 1, "exactly one message: {new:?}");
    let msg = new[0];
    assert!(msg.accepted);
    assert_eq!(msg.rcpt, vec!["sup@example.org".to_owned()]);
    assert_eq!(to_addresses(&msg.data), vec!["sup@example.org".to_owned()]);
    let headers = header_names(&msg.data);
    assert!(
        !headers.iter().any(|h| h == "cc" || h == "bcc"),
        "{headers:?}"
    );
    let raw = String::from_utf8_lossy(&msg.data);
    assert!(
        raw.contains("Subject: [TEST] We have your enquiry"),
        "{raw}"
    );
    let text = readable_text(&msg.data);
    assert!(text.contains("TEST-0000-0000"), "{text}");
    assert!(text.contains("Sample Name"), "{text}");
    assert!(!text.contains(&ana.reference) && !text.contains(&ana.canonical_reference()));
    assert!(
        !text.contains("Ana") && !text.contains("ana.rahimi"),
        "{text}"
    );

    // Audited: who, which template and language; no address.
    let rows = audit_actions(&app, "template.test-send").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor, format!("user:{}", sup.id));
    assert_eq!(rows[0].outcome, "ok");
    let detail: serde_json::Value = serde_json::from_str(&rows[0].detail).unwrap();
    assert_eq!(detail["template"], "acknowledgement");
    assert_eq!(detail["language"], "en");
    assert!(!rows[0].detail.contains('@'), "{}", rows[0].detail);

    // The page says so.
    let page = sup.get(done.location.as_deref().unwrap()).await;
    assert!(extract_by_id(&page.body, "test-notice").is_some());
}

#[tokio::test]
async fn templates_check_an_agent_may_not_send_a_test() {
    let (app, sink) = setup().await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let page = agent.get(&templates_page()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains(&test_send_path("acknowledgement")));
    let before = sink.transactions().len();
    let refused = agent
        .post(
            &templates_page(),
            &test_send_path("acknowledgement"),
            &[("lang", "en".to_owned())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(sink.transactions().len(), before);
    assert!(audit_actions(&app, "template.test-send").await.is_empty());
}

#[tokio::test]
async fn templates_check_the_template_lists_name_the_languages_a_template_lacks() {
    let (app, _sink) = setup().await;
    let french = Language::Fr.endonym();
    let mut admin = signed_in(&app, "admin@example.org", Admin, Some(SLUG)).await;
    for (path, id) in [
        (templates_page(), "missing-documents"),
        (
            format!("/admin/programmes/{SLUG}/templates"),
            "missing-documents",
        ),
    ] {
        let page = admin.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let missing = html_unescape(&extract_by_id(&page.body, id).expect(id));
        assert!(missing.contains(french), "{path}: {missing}");
        let whole = html_unescape(
            &extract_by_id(&page.body, "complete-acknowledgement").expect("acknowledgement"),
        );
        assert!(!page.body.contains("id=\"missing-acknowledgement\""));
        assert!(
            !whole.contains(french) && whole.contains("all the programme"),
            "{path}: {whole}"
        );
    }
}

async fn reply_with(staff: &mut crate::staff::Staff, id: &str, fields: &[(&str, &str)]) -> Page {
    let fields: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    staff
        .post(
            &format!("/console/e/{id}"),
            &format!("/console/e/{id}/reply"),
            &fields,
        )
        .await
}

async fn reply_detail(app: &TestApp) -> serde_json::Value {
    let rows = audit_actions(app, "enquiry.reply").await;
    serde_json::from_str(&rows[0].detail).unwrap()
}

#[tokio::test]
async fn templates_check_a_reply_lacking_the_persons_language_is_held_then_sent_in_the_fallback() {
    let (app, _sink) = setup().await;
    let lena = enquire(&app, SLUG, Some("lena@example.fr"), "fr", "other", "Léna").await;
    let ana = ana(&app).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let outbox = count(&app, "outbox").await;

    // Ana wrote in English, which the template has: sent at once.
    let done = post_reply(&mut agent, &ana.id, "documents", "Docs", "Hello Ana.").await;
    assert_replied(&done, &ana.id);
    assert_eq!(count(&app, "outbox").await, outbox + 1);
    assert_eq!(
        reply_detail(&app).await["language"],
        serde_json::Value::Null
    );

    // Léna wrote in French, which it lacks: held, with what was typed.
    let typed = "Hello Léna. TYPED-7731";
    let held = post_reply(&mut agent, &lena.id, "documents", "Docs", typed).await;
    assert_eq!(held.status, StatusCode::CONFLICT, "{}", held.body);
    let warning = html_unescape(&extract_by_id(&held.body, "language-choice").expect("a warning"));
    assert!(
        warning.contains("Français") && warning.contains("English"),
        "{warning}"
    );
    let (template, subject, text) = reply_fields(&held, &lena.id);
    assert_eq!((template.as_str(), subject.as_str()), ("documents", "Docs"));
    assert_eq!(text.trim(), typed);
    assert!(held.body.contains("name=\"fallback\" value=\"yes\""));
    assert!(held.body.contains("name=\"by_hand\" value=\"yes\""));
    assert_eq!(count(&app, "outbox").await, outbox + 1);
    assert!(app.store.replies_of(&lena.id).await.unwrap().is_empty());

    // A refusal after the choice (another person's address) keeps the choice made.
    let refused = reply_with(
        &mut agent,
        &lena.id,
        &[
            ("template", "documents"),
            ("subject", "Docs"),
            ("text", "Write to ana.rahimi@example.org"),
            ("fallback", "yes"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = crate::replies::reply_form(&refused.body, &lena.id).unwrap();
    assert_eq!(extract_input(form, "fallback").as_deref(), Some("yes"));
    assert!(extract_by_id(&refused.body, "language-choice").is_none());
    assert_eq!(count(&app, "outbox").await, outbox + 1);

    // "Send in English": sent, and the choice is in the audit log.
    let done = reply_with(
        &mut agent,
        &lena.id,
        &[
            ("template", "documents"),
            ("subject", "Docs"),
            ("text", typed),
            ("fallback", "yes"),
        ],
    )
    .await;
    assert_replied(&done, &lena.id);
    assert_eq!(count(&app, "outbox").await, outbox + 2);
    assert_eq!(reply_detail(&app).await["language"], "fallback");
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn templates_check_write_by_hand_drops_the_template_and_keeps_the_text() {
    let (app, _sink) = setup().await;
    let lena = enquire(&app, SLUG, Some("lena@example.fr"), "fr", "other", "Léna").await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let outbox = count(&app, "outbox").await;
    let typed = "Hello Léna. TYPED-7731";

    let page = reply_with(
        &mut agent,
        &lena.id,
        &[
            ("template", "documents"),
            ("subject", "Docs"),
            ("text", typed),
            ("by_hand", "yes"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (template, subject, text) = reply_fields(&page, &lena.id);
    assert_eq!((template.as_str(), subject.as_str()), ("", "Docs"));
    assert_eq!(text.trim(), typed);
    assert!(extract_by_id(&page.body, "language-choice").is_none());
    let form = crate::replies::reply_form(&page.body, &lena.id).unwrap();
    assert_eq!(extract_input(form, "by_hand").as_deref(), Some("yes"));
    assert_eq!(count(&app, "outbox").await, outbox);

    // Written in French by hand and sent: no template, the choice audited.
    let done = reply_with(
        &mut agent,
        &lena.id,
        &[
            ("template", ""),
            ("subject", "Documents"),
            ("text", "Bonjour Léna, écrit à la main."),
            ("by_hand", "yes"),
        ],
    )
    .await;
    assert_replied(&done, &lena.id);
    assert_eq!(count(&app, "outbox").await, outbox + 1);
    let replies = app.store.replies_of(&lena.id).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].template_key, None);
    assert_eq!(reply_detail(&app).await["language"], "by-hand");
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn templates_check_test_sends_are_limited_per_staff_member_an_hour() {
    let (app, sink) = setup().await;
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let before = sink.transactions().len();
    for i in 0..=haven::template_checks::TESTS_PER_HOUR {
        let done = sup
            .post(
                &templates_page(),
                &test_send_path("documents"),
                &[("lang", "fr".to_owned())],
            )
            .await;
        let location = done.location.unwrap_or_default();
        let expected = if i < haven::template_checks::TESTS_PER_HOUR {
            "test=sent"
        } else {
            "test=limit"
        };
        assert!(location.contains(expected), "{i}: {location}");
    }
    assert_eq!(
        sink.transactions().len() - before,
        haven::template_checks::TESTS_PER_HOUR
    );
    assert_eq!(
        audit_actions(&app, "template.test-send").await.len(),
        haven::template_checks::TESTS_PER_HOUR
    );
}
