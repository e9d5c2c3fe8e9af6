//! The two-way reply inbox (issue 21, item 5), through real HTTP with JavaScript off
//! (reqwest runs none): the person writes back, it reaches the agent's thread sealed,
//! the worker re-queues the enquiry, both sides read the conversation in order, each
//! side labelled; a wrong passphrase cannot write; a refused message keeps its text.
//! SQLite, and PostgreSQL when `HAVEN_TEST_POSTGRES_URL` is set.

use haven::casework::ProgrammeRole::Agent;
use haven::casework::Status;
use haven::config::DatabaseUrl;
use haven::store::StatusFilter;
use haven::store::test_support::{Arg, fetch_all, scalar};
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, extract_by_id, extract_input, html_unescape, spawn_app};
use crate::replies::{Person, enquire, haven, open_inbox, post_reply};
use crate::staff::signed_in;

/// Writes back from the inbox page `page` (as opened with `person`'s codes): the form's
/// token and hidden reference, the passphrase typed again. (status, page).
pub(crate) async fn write_back(
    app: &TestApp,
    page: &str,
    passphrase: &str,
    message: &str,
) -> (StatusCode, String) {
    let form = &page[page
        .find("id=\"write-back\"")
        .expect("a form to write back")..];
    let res = app
        .client
        .post(app.url("/inbox/message"))
        .form(&[
            ("csrf", extract_input(form, "csrf").unwrap()),
            ("lang", extract_input(form, "lang").unwrap()),
            ("reference", extract_input(form, "reference").unwrap()),
            ("passphrase", passphrase.to_owned()),
            ("message", message.to_owned()),
        ])
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, html_unescape(&res.text().await.unwrap()))
}

async fn inbox(app: &TestApp, p: &Person) -> String {
    let (status, page) = open_inbox(app, SLUG, &p.reference, &p.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

async fn messages(app: &TestApp) -> i64 {
    scalar(&app.store, "SELECT COUNT(*) FROM person_messages", &[])
        .await
        .unwrap()
}

/// Every stored byte there is: the SQLite file and its WAL, or a PostgreSQL dump.
fn at_rest(app: &TestApp) -> Vec<u8> {
    match &app.config.database {
        DatabaseUrl::Sqlite(path) => ["", "-wal"]
            .iter()
            .filter_map(|s| std::fs::read(format!("{}{s}", path.display())).ok())
            .flatten()
            .collect(),
        DatabaseUrl::Postgres(url) => {
            let dump = std::process::Command::new("pg_dump")
                .arg("--no-owner")
                .arg(url)
                .output()
                .expect("pg_dump runs");
            assert!(dump.status.success());
            assert!(
                String::from_utf8_lossy(&dump.stdout).contains("person_messages"),
                "the dump is real"
            );
            dump.stdout
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn talk_a_reply_from_the_person_reaches_the_agents_thread_sealed_and_requeues_the_enquiry() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    // Three in one queue, alike but for their ids: the one with the largest id would
    // be last in the queue if writing back did not bring it to the top.
    let mut people = Vec::new();
    for name in ["Ana One", "Ana Two", "Ana Three"] {
        people.push(enquire(&app, SLUG, None, "en", "other", name).await);
    }
    people.sort_by(|a, b| a.id.cmp(&b.id));
    let person = people.last().unwrap().clone();
    let pid = app.programme_id().await;
    let queue = |app: &TestApp| {
        let (pid, q) = (pid.clone(), person.queue.clone());
        let store = app.store.clone();
        async move {
            store
                .queue_enquiries(&pid, &q, StatusFilter::Open, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(queue(&app).await.last(), Some(&person.id));

    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let asked = "STAFFQUESTION: which city are you in now?";
    let replied = post_reply(&mut agent, &person.id, "", "A question", asked).await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);

    // The person reads the question, labelled, and a status worded for them.
    let page = inbox(&app, &person).await;
    assert!(!page.contains("<script"), "works without JavaScript");
    assert!(page.contains(asked), "{page}");
    assert!(page.contains("From us"));
    assert_eq!(
        extract_by_id(&page, "enquiry-status").as_deref(),
        Some("We have answered. Read our reply below; you can write back.")
    );

    let canary = format!("TALKCANARY{}", &haven::crypto::random_id()[..12]);
    let said = format!("{canary} I am in Herat now, with my family.");
    let (status, after) = write_back(&app, &page, &person.passphrase, &said).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(after.contains("id=\"message-sent\""), "{after}");
    assert!(after.contains(&said), "the person sees what they wrote");
    assert_eq!(
        extract_by_id(&after, "enquiry-status").as_deref(),
        Some("We have your message")
    );
    assert_eq!(messages(&app).await, 1);

    // Sealed at rest: the words appear nowhere in the database, and the stored row is
    // an age file.
    assert!(
        !contains(&at_rest(&app), &canary),
        "the message is stored in clear"
    );
    let rows = fetch_all(
        &app.store,
        "SELECT ciphertext FROM person_messages WHERE enquiry_id = $1",
        &[Arg::Text(person.id.clone())],
    )
    .await
    .unwrap();
    let sealed: Vec<u8> = sqlx::Row::try_get(&rows[0], 0).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1"));

    // The public role only added a row: the worker moves the enquiry, within one poll.
    let record = app.store.enquiry(&person.id).await.unwrap().unwrap();
    assert_ne!(record.status, Status::PersonReplied);
    app.run_pending_jobs().await;
    let record = app.store.enquiry(&person.id).await.unwrap().unwrap();
    assert_eq!(record.status, Status::PersonReplied);
    let order = queue(&app).await;
    assert_eq!(
        order.first(),
        Some(&person.id),
        "back to the top of its queue"
    );
    assert_eq!(order.len(), 3);

    // The agent's thread: the question, then the answer, each side labelled; opening it
    // is one audited read that counted the message.
    let view = agent.get(&format!("/console/e/{}", person.id)).await;
    assert_eq!(view.status, StatusCode::OK);
    let body = html_unescape(&view.body);
    let (q, a) = (
        body.find(asked).expect("staff reply in the thread"),
        body.find(&said)
            .expect("the person's message in the thread"),
    );
    assert!(q < a, "in the order written");
    assert!(body.contains("From the person (written in their reply inbox)"));
    assert!(body.contains("Reply from staff"));
    assert!(
        body.contains("Person replied"),
        "the agent's word for the status"
    );
    let reads = crate::replies::audit_actions(&app, "enquiry.view").await;
    assert!(
        reads
            .iter()
            .any(|r| r.subject == format!("enquiry:{}", person.id)
                && serde_json::from_str::<serde_json::Value>(&r.detail)
                    .ok()
                    .and_then(|d| d.get("messages").and_then(|m| m.as_i64()))
                    == Some(1)),
        "the read is audited with the messages it opened"
    );

    // The person sees both sides in order, in their thread.
    let page = inbox(&app, &person).await;
    let (q, a) = (page.find(asked).unwrap(), page.find(&said).unwrap());
    assert!(q < a);
    assert!(page.contains("You wrote"));
    assert_eq!(
        extract_by_id(&page, "enquiry-status").as_deref(),
        Some("We have your message")
    );
    // Nobody else's inbox shows it.
    let other = inbox(&app, &people[0]).await;
    assert!(!other.contains(&canary));
}

#[tokio::test]
async fn talk_a_wrong_passphrase_cannot_write_and_keeps_what_was_typed() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let person = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let page = inbox(&app, &person).await;
    let said = "Please call me after six.";
    let (status, refused) = write_back(&app, &page, "AAAA-AAAA-AAAA-AAAA", said).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("We could not open an inbox"), "{refused}");
    assert!(refused.contains(said), "the typed message is kept");
    assert!(
        !refused.contains("enquiry-status"),
        "nothing of the inbox shown"
    );
    assert_eq!(messages(&app).await, 0);
    // The page asks for the code again: with the right passphrase it goes through.
    let (status, sent) = write_back(&app, &refused, &person.passphrase, said).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert_eq!(messages(&app).await, 1);
}

#[tokio::test]
async fn talk_a_message_too_long_or_empty_returns_the_typed_text_with_an_error() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let person = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let page = inbox(&app, &person).await;
    let long = format!("START{}END", "x".repeat(10_000));
    let (status, refused) = write_back(&app, &page, &person.passphrase, &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("“Your message” must be 10000 characters or fewer"),
        "{}",
        &refused[..2000.min(refused.len())]
    );
    assert!(refused.contains(&long), "the typed text comes back");
    let (status, refused) = write_back(&app, &page, &person.passphrase, "   ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Write a message first"));
    assert_eq!(messages(&app).await, 0);
    // Exactly the limit is accepted.
    let (status, _) = write_back(&app, &page, &person.passphrase, &"y".repeat(10_000)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(messages(&app).await, 1);
}

#[tokio::test]
async fn talk_writing_back_is_rate_limited_and_a_refusal_keeps_the_text() {
    // Rate limits on (the default).
    let app = spawn_app().await;
    let person = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let page = inbox(&app, &person).await;
    let mut refused = None;
    for i in 0..15 {
        let said = format!("message number {i}");
        let (status, answer) = write_back(&app, &page, &person.passphrase, &said).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(answer.contains(&said), "the refused text is kept");
            assert!(answer.contains("was not sent") || answer.contains("Too many"));
            refused = Some(i);
            break;
        }
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    let at = refused.expect("writing back is limited");
    assert!(at >= 1, "a first message goes through");
    assert_eq!(messages(&app).await, at as i64);
}

#[tokio::test]
async fn talk_the_write_form_refuses_a_missing_token_and_keeps_the_text() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let person = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let res = app
        .client
        .post(app.url("/inbox/message"))
        .form(&[
            ("reference", person.reference.clone()),
            ("passphrase", person.passphrase.clone()),
            ("message", "kept words".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("kept words"));
    assert_eq!(messages(&app).await, 0);
}
