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
