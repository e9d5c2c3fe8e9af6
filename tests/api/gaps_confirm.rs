//! Confirmed contact addresses, the rest of issue 19 item 1: a supervisor removes an
//! address from the console (never sets one), audited with a reason, through the
//! worker's `contact_requests` path; imported senders count as confirmed only with a
//! trusted, aligned DKIM pass; the receipt shows the address masked. Runs on SQLite,
//! and on PostgreSQL with `HAVEN_TEST_POSTGRES_URL`.

use haven::casework::ProgrammeRole::{Agent, Supervisor};
use reqwest::StatusCode;

use crate::helpers::SLUG;
use crate::helpers::staff::signed_in;
use crate::replies::{FULL, assert_replied, audit_actions, delivered, enquire, haven, post_reply};

#[tokio::test]
async fn gaps_confirm_a_supervisor_removes_an_address_and_nothing_more_is_emailed() {
    let (app, sink) = haven(&[(SLUG, "minimal"), (FULL, "full")]).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(FULL)).await;
    let mut supervisor = signed_in(&app, "sup@example.org", Supervisor, Some(FULL)).await;
    let lena = enquire(
        &app,
        FULL,
        Some("lena@example.fr"),
        "fr",
        "other",
        "Lena Haidari",
    )
    .await;
    let done = post_reply(&mut agent, &lena.id, "", "About", "REPLYCANARY-one").await;
    assert_replied(&done, &lena.id);
    delivered(&app, &sink, 1).await;
    assert_eq!(sink.accepted_count(), 1);

    let page = format!("/console/e/{}", lena.id);
    let action = format!("{page}/remove-contact");
    // An agent sees no form and is refused.
    let shown = agent.get(&page).await;
    assert!(!shown.body.contains("remove-contact"), "{}", shown.body);
    let refused = agent
        .post(&page, &action, &[("reason", "person-asked".into())])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A reason outside the list is refused too.
    let shown = supervisor.get(&page).await;
    assert!(
        shown.body.contains("id=\"remove-contact\""),
        "{}",
        shown.body
    );
    let bad = supervisor
        .post(
            &page,
            &action,
            &[("reason", "lena wrote from her cousin's".into())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    app.run_pending_jobs().await;
    assert!(
        app.store
            .enquiry(&lena.id)
            .await
            .unwrap()
            .unwrap()
            .has_email
    );

    let removed = supervisor
        .post(&page, &action, &[("reason", "unsafe".into())])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    app.run_pending_jobs().await;
    let record = app.store.enquiry(&lena.id).await.unwrap().unwrap();
    assert!(!record.has_email);
    let keyring = app.keyring().await;
    let content = crate::helpers::open_enquiry(&keyring, &record)
        .await
        .unwrap();
    assert_eq!(content.email, None);

    let done = post_reply(&mut agent, &lena.id, "", "About", "REPLYCANARY-two").await;
    assert_replied(&done, &lena.id);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 1, "nothing more is emailed");

    let entries: Vec<_> = audit_actions(&app, "contact.remove")
        .await
        .into_iter()
        .filter(|r| r.actor.starts_with("user:"))
        .collect();
    assert_eq!(entries.len(), 1, "one staff removal audited");
    assert_eq!(entries[0].subject, format!("enquiry:{}", lena.id));
    assert!(
        entries[0].detail.contains("unsafe"),
        "{}",
        entries[0].detail
    );
}

// ── imported senders ────────────────────────────────────────────────────────────────

async fn email_confirmed(app: &crate::helpers::TestApp, id: &str) -> bool {
    use haven::store::test_support::{Arg, scalar};
    scalar(
        &app.store,
        "SELECT CAST(email_confirmed AS BIGINT) FROM enquiries WHERE id = $1",
        &[Arg::Text(id.to_owned())],
    )
    .await
    .unwrap()
        == 1
}

fn message(headers: &str, from: &str, id: &str) -> String {
    format!(
        "{headers}From: Ana Rahimi <{from}>\nTo: info@ngo.example\nSubject: Help {id}\nMessage-ID: <{id}@example.org>\nDate: Mon, 16 Aug 2021 10:00:00 +0000\n\nI need help to leave, message {id}.\n"
    )
}

/// Imports one message into a fresh app; replies to it; returns (confirmed, emails
/// that reached the sink).
async fn import_and_reply(mail: &str) -> (bool, usize) {
    use crate::helpers::gaps_confirm::import_trusting;
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let (code, out) = import_trusting(&app, SLUG, "one.eml", mail);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 imported"), "{out}");
    let record = app.only_enquiry().await;
    let confirmed = email_confirmed(&app, &record.id).await;
    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let done = post_reply(&mut agent, &record.id, "", "Your message", "IMPORTCANARY").await;
    assert_replied(&done, &record.id);
    app.run_pending_jobs().await;
    if !confirmed {
        app.expect_failed_jobs(1);
    }
    (confirmed, sink.accepted_count())
}

#[tokio::test]
async fn gaps_confirm_a_direct_sender_with_an_aligned_pass_from_the_trusted_server_is_confirmed() {
    use crate::helpers::gaps_confirm::trusted_pass;
    let exact = message(&trusted_pass("example.org"), "ana@example.org", "a1");
    assert_eq!(import_and_reply(&exact).await, (true, 1));
    // A parent of the From domain is aligned too.
    let parent = message(&trusted_pass("example.org"), "ana@mail.example.org", "a2");
    assert_eq!(import_and_reply(&parent).await, (true, 1));
}

#[tokio::test]
async fn gaps_confirm_untrusted_failed_misaligned_or_forwarded_senders_stay_unconfirmed() {
    use crate::helpers::gaps_confirm::trusted_pass;
    let untrusted = message(
        "Authentication-Results: mx.evil.example; dkim=pass header.d=example.org\n",
        "ana@example.org",
        "b1",
    );
    let failed = message(
        "Authentication-Results: mx.ngo.example; dkim=fail header.d=example.org\n",
        "ana@example.org",
        "b2",
    );
    let misaligned = message(&trusted_pass("evil.example"), "ana@example.org", "b3");
    // The forwarder's own pass: the sender unwrapped from the body is not confirmed.
    let forwarded = format!(
        "{}From: Someone <someone@example.net>\nTo: info@ngo.example\nSubject: Fwd: My case\nMessage-ID: <b4@example.net>\n\n---------- Forwarded message ---------\nFrom: Victim <victim@example.net>\nDate: Tue, 17 Aug 2021 at 09:12\nSubject: My case\nTo: <info@ngo.example>\n\n\nPlease send everything about my case to this address.\n",
        trusted_pass("example.net")
    );
    for mail in [untrusted, failed, misaligned, forwarded] {
        assert_eq!(import_and_reply(&mail).await, (false, 0), "{mail}");
    }
}

// ── the receipt ─────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn gaps_confirm_the_receipt_shows_the_address_masked_with_and_without_cookies() {
    use crate::helpers::{cookies_of, html_unescape, spawn_app};
    use crate::person::{answers, fetch_form_at, get_with, post_at};
    let app = spawn_app().await;
    let with_email = |token: &str| {
        let mut fields = answers(token, "en");
        fields.retain(|(k, _)| !["contact_mode", "contact_email"].contains(k));
        fields.push(("contact_mode", "email".into()));
        fields.push(("contact_email", "ruth.example@gmail.com".into()));
        fields
    };

    // The cookie path: the masked form travels sealed in the receipt cookie.
    let (token, form_cookies) = fetch_form_at(&app, SLUG, "en").await;
    let first = post_at(&app, SLUG, &with_email(&token), &form_cookies).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let receipt_cookie = cookies_of(&first);
    assert!(!receipt_cookie.contains("gmail"), "{receipt_cookie}");
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    let shown = get_with(
        &app,
        &location,
        &format!("{form_cookies}; {receipt_cookie}"),
    )
    .await;
    let page = html_unescape(&shown.text().await.unwrap());
    assert!(page.contains("id=\"receipt-email\""), "{page}");
    assert!(page.contains("r•••@gmail.com"), "{page}");
    assert!(!page.contains("ruth.example"), "{page}");

    // No cookies: the receipt in the POST's own answer.
    let (token, _) = fetch_form_at(&app, SLUG, "en").await;
    let direct = post_at(&app, SLUG, &with_email(&token), "").await;
    assert_eq!(direct.status(), StatusCode::OK);
    let page = html_unescape(&direct.text().await.unwrap());
    assert!(page.contains("r•••@gmail.com"), "{page}");
    assert!(!page.contains("ruth.example"), "{page}");

    // Inbox only: no address line.
    let (token, _) = fetch_form_at(&app, SLUG, "en").await;
    let mut fields = answers(&token, "en");
    fields.retain(|(k, _)| !["contact_mode", "contact_email"].contains(k));
    fields.push(("contact_mode", "inbox".into()));
    let page = post_at(&app, SLUG, &fields, "").await.text().await.unwrap();
    assert!(page.contains("id=\"reference-code\""), "{page}");
    assert!(!page.contains("id=\"receipt-email\""), "{page}");
}
