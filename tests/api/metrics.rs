//! `/metrics`: counters move with what happens, gauges show the shared queues and
//! outbox, no label carries anything a person typed, and only the machine itself may
//! scrape it.

use reqwest::StatusCode;

use crate::helpers::{SLUG, spawn_app, valid_answers};

#[tokio::test]
async fn metrics_move_with_submissions_and_never_carry_what_was_typed() {
    let app = spawn_app().await;
    let scrape = || async {
        let res = app.get("/metrics").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/openmetrics-text")
        );
        res.text().await.unwrap()
    };
    let before = scrape().await;
    assert!(before.contains("haven_submissions_total 0"), "{before}");
    assert!(before.ends_with("# EOF\n"));

    let canary = format!("METRICSCANARY{}", &haven::crypto::random_id()[..8]);
    let mut answers = valid_answers();
    for (k, v) in answers.iter_mut() {
        if *k == "situation" {
            *v = canary.clone();
        }
    }
    let res = app.post_form(&format!("/p/{SLUG}"), &answers).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut missing = valid_answers();
    missing.retain(|(k, _)| *k != "full_name");
    let res = app.post_form(&format!("/p/{SLUG}"), &missing).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let after = scrape().await;
    assert!(after.contains("haven_submissions_total 1"), "{after}");
    assert!(
        after.contains("haven_submissions_rejected_total{reason=\"validation\"} 1"),
        "{after}"
    );
    assert!(
        after.contains(&format!(
            "haven_queue_enquiries{{programme=\"{SLUG}\",queue=\"former-staff\",status=\"new\"}} 1"
        )),
        "{after}"
    );
    assert!(
        after.contains("haven_queue_oldest_open_seconds{"),
        "{after}"
    );
    assert!(
        after.contains("haven_outbox_messages{state=\"queued\"} 0"),
        "{after}"
    );
    assert!(
        after.contains("haven_http_responses_total{class=\"2xx\"}"),
        "{after}"
    );
    assert!(!after.contains(&canary) && !after.contains("Ana Rahimi") && !after.contains("Kabul"));
}

#[tokio::test]
async fn metrics_are_not_served_through_a_proxy() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The value of one sample line (`name{labels} value`), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_rate_limited_requests_by_route_pattern() {
    let app = crate::helpers::spawn_with(crate::helpers::Settings {
        config_file: Some("[rate_limits]\nsubmissions_per_client_per_hour = 1\n".into()),
        ..Default::default()
    })
    .await;
    let (status, _) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(
        sample(
            &text,
            "haven_rate_limited_requests_total{route=\"/p/{slug}\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "haven_submissions_rejected_total{reason=\"rate_limited\"}"
        ),
        Some(1.0)
    );
    assert_eq!(sample(&text, "haven_submissions_total"), Some(1.0));
}

#[tokio::test]
async fn metrics_show_each_send_and_how_long_the_relay_took() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let mut settings = crate::helpers::Settings::default();
    settings.env.insert("HAVEN_SMTP_URL", sink.url());
    settings.env.insert("HAVEN_SMTP_RATE", "off".into());
    let app = crate::helpers::spawn_with(settings).await;
    let mut answers = valid_answers();
    answers.retain(|(k, _)| *k != "contact_mode");
    answers.push(("contact_mode", "email".into()));
    answers.push(("contact_email", "ana@example.org".into()));
    let (status, _) = app.submit(&answers).await;
    assert_eq!(status, StatusCode::OK);
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let before = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(
        sample(&before, "haven_outbound_send_seconds_count"),
        Some(0.0),
        "{before}"
    );

    let queued = crate::processes::queue_a_reply_to_each(&app.store, &app.keyring().await).await;
    assert_eq!(queued, 1);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 1);
    // The worker counted the send, with how long the relay took.
    let after = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(
        sample(&after, "haven_outbound_send_seconds_count"),
        Some(1.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, "haven_outbound_messages_total{outcome=\"sent\"}"),
        Some(1.0),
        "{after}"
    );
    let took = sample(&after, "haven_outbound_send_seconds_sum").unwrap();
    assert!(took > 0.0, "{after}");
    // A cumulative bucket counts it, and the widest one always does.
    assert_eq!(
        sample(&after, "haven_outbound_send_seconds_bucket{le=\"+Inf\"}"),
        Some(1.0),
        "{after}"
    );
    assert!(!after.contains("ana@example.org") && !after.contains("Ana Rahimi"));
}
