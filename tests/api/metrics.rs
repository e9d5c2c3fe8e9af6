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
