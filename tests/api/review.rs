//! Issue 19 item 4: the second look at a bulk reply. The approver's page and CSV list
//! exactly the people the worker then writes to (sets compared with the SMTP sink);
//! approving needs the password; a campaign over `[outbound] max_campaign` is refused
//! with the reason unless an instance admin approves it; `[outbound] max_per_hour` holds
//! across two workers on one database. Real HTTP, real database, real SMTP sink.

use std::collections::BTreeSet;
use std::time::Duration;

use haven::casework::ProgrammeRole::*;
use haven::incident::recipients::mask;
use haven::store::test_support::{execute, scalar};
use reqwest::StatusCode;

use crate::campaigns::{created, decide};
use crate::helpers::{SLUG, TestApp, apply, extract_input, html_unescape};
use crate::replies::{Person, audit_actions, enquire, haven, programme};
use crate::smtp_sink::SmtpSink;
use crate::staff::{PASSWORD, signed_in};

/// A Haven whose programme sends full text and has these `[outbound]` lines too.
async fn with_outbound(lines: &str) -> (TestApp, SmtpSink) {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    if !lines.is_empty() {
        let text = programme(SLUG, "full")
            .replace("email = \"full\"", &format!("email = \"full\"\n{lines}"));
        apply(&app.store, &app.config, &text).await;
    }
    (app, sink)
}

/// Every `data-enquiry` id the page lists.
fn listed(html: &str) -> BTreeSet<String> {
    html.split("data-enquiry=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn people(app: &TestApp, n: usize) -> Vec<Person> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("p{i:02}@d{i:02}.example.org");
        out.push(
            enquire(
                app,
                SLUG,
                Some(&email),
                "en",
                "other",
                &format!("Person {i:02}"),
            )
            .await,
        );
    }
    out
}

#[tokio::test]
async fn review_the_page_and_csv_list_exactly_the_recipients_then_sent_to() {
    let (app, sink) = with_outbound("").await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let alice = enquire(
        &app,
        SLUG,
        Some("alice@alpha.org"),
        "en",
        "other",
        "Alice Rev",
    )
    .await;
    let bruno = enquire(
        &app,
        SLUG,
        Some("bruno@bravo.net"),
        "fr",
        "other",
        "Bruno Rev",
    )
    .await;
    let carla = enquire(
        &app,
        SLUG,
        Some("carla@charlie.io"),
        "en",
        "other",
        "Carla Rev",
    )
    .await;
    let dan = enquire(&app, SLUG, None, "fr", "other", "Dan Rev").await;
    execute(
        &app.store,
        "UPDATE enquiries SET status = 'closed' WHERE id = $1",
        &[carla.id.clone().into()],
    )
    .await
    .unwrap();
    crate::helpers::confirmed::confirm_every_address(&app).await;

    let c = created(&mut sup_a, "acknowledgement", "", "", "").await;
    let want: BTreeSet<String> = [&alice, &bruno, &dan]
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let fixed: BTreeSet<String> = app
        .store
        .campaign_enquiry_ids(&c)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(fixed, want, "closed enquiries only when chosen");

    // The other supervisor's home page says one waits for approval.
    let home = sup_b.get("/console").await;
    assert!(
        home.body.contains("data-pending-approvals=\"1\""),
        "{}",
        home.body
    );

    let page = sup_b.get(&format!("/console/c/{c}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(listed(&page.body), want);
    let text = html_unescape(&page.body);
    for p in [&alice, &bruno] {
        let email = p.email.as_deref().unwrap();
        assert!(text.contains(&mask(email)), "masked address of {}", p.name);
        assert!(!text.contains(email), "a whole address on the page");
    }
    assert!(!text.contains(&carla.id));

    let csv = sup_b.get(&format!("/console/c/{c}/recipients.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut csv_ids = BTreeSet::new();
    let mut csv_masked = BTreeSet::new();
    for line in csv.body.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        csv_ids.insert(f[0].to_owned());
        if f[3].starts_with("email") {
            csv_masked.insert(f[4].to_owned());
        }
    }
    assert_eq!(csv_ids, want);
    assert_eq!(
        audit_actions(&app, "campaign.recipients-csv").await.len(),
        1
    );
    assert!(!audit_actions(&app, "campaign.review").await.is_empty());

    // A wrong password approves nothing.
    let seen = extract_input(&page.body, "seen").unwrap();
    let refused = sup_b
        .post(
            "/console",
            &format!("/console/c/{c}/approve"),
            &[("seen", seen), ("password", "not it".into())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store
            .campaign(&c)
            .await
            .unwrap()
            .unwrap()
            .state
            .to_string(),
        "pending"
    );

    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    app.run_pending_jobs().await;
    let sent: BTreeSet<String> = sink
        .transactions()
        .iter()
        .map(|t| {
            assert_eq!(t.rcpt.len(), 1);
            mask(&t.rcpt[0])
        })
        .collect();
    assert_eq!(
        sent, csv_masked,
        "the CSV's addresses are the ones written to"
    );
    assert_eq!(sent.len(), 2);
    let home = sup_b.get("/console").await;
    assert!(!home.body.contains("data-pending-approvals"));
}

#[tokio::test]
async fn review_a_campaign_over_the_cap_is_refused_with_the_reason_but_an_instance_admin_may() {
    let (app, sink) = with_outbound("max_campaign = 2").await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut root = signed_in(&app, "root@example.org", Admin, None).await;
    people(&app, 3).await;
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let c = created(&mut sup_a, "acknowledgement", "", "", "").await;

    let shown = sup_b.get(&format!("/console/c/{c}")).await;
    assert!(shown.body.contains("id=\"review-cap\""));
    let refused = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html_unescape(&refused.body).contains("more than this programme's limit of 2"),
        "{}",
        refused.body
    );
    assert_eq!(
        app.store
            .campaign(&c)
            .await
            .unwrap()
            .unwrap()
            .state
            .to_string(),
        "pending"
    );
    let denied = audit_actions(&app, "campaign.approve").await;
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].outcome, "denied");
    assert!(denied[0].detail.contains("cap"));
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 0);

    let approved = decide(&mut root, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 3);
}

#[tokio::test]
async fn review_max_per_hour_holds_across_two_workers() {
    use haven::outbound::{Transport, Worker, WorkerSettings};
    let (app, sink) = with_outbound("max_per_hour = 3").await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    people(&app, 8).await;
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let c = created(&mut sup_a, "acknowledgement", "", "", "").await;
    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);

    let keyring = app.keyring().await;
    let mut workers = Vec::new();
    for name in ["instance-a", "instance-b"] {
        let settings = WorkerSettings {
            name: name.into(),
            concurrency: 4,
            batch_size: 4,
            poll_interval: Duration::from_millis(20),
            rate: None,
            ..WorkerSettings::default()
        };
        workers.push(Worker::spawn(
            haven::store::Store::connect(&app.config.database)
                .await
                .unwrap(),
            &keyring,
            Transport::smtp(&sink.url(), 4).unwrap(),
            settings,
        ));
    }
    assert!(sink.wait_for_accepted(3, Duration::from_secs(30)).await);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        sink.accepted_count(),
        3,
        "three in this hour, by both workers"
    );
    let counts = app.store.outbox_counts_for_campaign(&c).await.unwrap();
    assert_eq!((counts.sent, counts.queued), (3, 5), "{counts:?}");
    for w in workers {
        w.stop().await;
    }

    // The next hour: three more, and none twice.
    execute(&app.store, "DELETE FROM campaign_send_budget", &[])
        .await
        .unwrap();
    execute(
        &app.store,
        "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'queued'",
        &[],
    )
    .await
    .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 6);
    let rcpts: BTreeSet<String> = sink
        .transactions()
        .iter()
        .map(|t| t.rcpt[0].clone())
        .collect();
    assert_eq!(rcpts.len(), 6, "nobody twice");
    assert_eq!(
        scalar(
            &app.store,
            "SELECT COUNT(*) FROM outbox WHERE state = 'queued'",
            &[]
        )
        .await
        .unwrap(),
        2
    );
    // And the hour after: the last two, each person written to exactly once.
    execute(&app.store, "DELETE FROM campaign_send_budget", &[])
        .await
        .unwrap();
    execute(
        &app.store,
        "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'queued'",
        &[],
    )
    .await
    .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 8);
    let rcpts: BTreeSet<String> = sink
        .transactions()
        .iter()
        .map(|t| t.rcpt[0].clone())
        .collect();
    assert_eq!(rcpts.len(), 8, "nobody twice");
}

#[tokio::test]
async fn review_resuming_a_paused_campaign_needs_the_password_and_a_reason() {
    let (app, _sink) = with_outbound("").await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    people(&app, 2).await;
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let c = created(&mut sup_a, "acknowledgement", "", "", "").await;
    decide(&mut sup_b, &c, "approve").await;
    let paused = sup_a
        .post(
            &format!("/console/c/{c}"),
            &format!("/console/c/{c}/pause"),
            &[("reason", "check".into())],
        )
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let scope = haven::store::HoldScope::Campaign(c.clone());
    for (reason, password) in [("go", "wrong"), ("", PASSWORD)] {
        let page = sup_b
            .post(
                &format!("/console/c/{c}"),
                &format!("/console/c/{c}/resume"),
                &[("reason", reason.into()), ("password", password.into())],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{reason}/{password}"
        );
        assert!(app.store.hold(&scope).await.unwrap().is_some());
    }
    let page = sup_b
        .post(
            &format!("/console/c/{c}"),
            &format!("/console/c/{c}/resume"),
            &[("reason", "checked".into()), ("password", PASSWORD.into())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(app.store.hold(&scope).await.unwrap().is_none());
    let resumed = audit_actions(&app, "campaign.resume").await;
    assert_eq!(resumed[0].actor, format!("user:{}", sup_b.id));
    assert!(resumed[0].detail.contains("checked"));
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn review_a_template_lacking_a_recipients_language_warns_and_needs_a_choice() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    // The documents template without its French texts.
    let mut file: toml::Value = toml::from_str(&programme(SLUG, "full")).unwrap();
    let documents = file["templates"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["key"].as_str() == Some("documents"))
        .expect("the documents template");
    for part in ["subject", "body"] {
        documents[part].as_table_mut().unwrap().remove("fr");
    }
    apply(&app.store, &app.config, &toml::to_string(&file).unwrap()).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    enquire(&app, SLUG, Some("eve@echo.org"), "en", "other", "Eve Rev").await;
    enquire(
        &app,
        SLUG,
        Some("fay@foxtrot.org"),
        "fr",
        "other",
        "Fay Rev",
    )
    .await;
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let c = created(&mut sup_a, "documents", "", "", "").await;

    let page = sup_b.get(&format!("/console/c/{c}")).await;
    assert!(
        page.body.contains("id=\"review-missing-languages\""),
        "{}",
        page.body
    );
    assert!(html_unescape(&page.body).contains("Français (1)"));
    // Without the choice: refused, nothing sent.
    let refused = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.store
            .campaign(&c)
            .await
            .unwrap()
            .unwrap()
            .state
            .to_string(),
        "pending"
    );
    // With it: both written to.
    let seen = extract_input(&page.body, "seen").unwrap();
    let approved = sup_b
        .post(
            "/console",
            &format!("/console/c/{c}/approve"),
            &[
                ("seen", seen),
                ("password", PASSWORD.into()),
                ("fallback", "yes".into()),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 2);
}
