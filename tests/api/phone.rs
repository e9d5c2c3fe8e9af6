//! Issue 22, items 1 and 2: an agent takes an enquiry by phone in the console
//! (`/console/p/{slug}/new`), reads the codes aloud from a receipt that cannot be left
//! before "read back" is ticked, and verifies a later caller with a one-time number
//! typed into the caller's reply inbox. Real HTTP, real database (SQLite, or PostgreSQL
//! with `HAVEN_TEST_POSTGRES_URL`), and for the canary the real binary and its logs.

use haven::casework::ProgrammeRole;
use haven::store::test_support::{execute, fetch_all, scalar};
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{
    SLUG, Settings, TestApp, database_url, extract_by_id, extract_input, on_postgres, open_enquiry,
    spawn_app, spawn_with, valid_answers,
};
use crate::processes::Installation;
use crate::staff::{PASSWORD, Staff, signed_in};

const NEW: &str = "/console/p/afghanistan-2021/new";

/// The example programme's answers, in Pashto, with the call questions answered.
fn call_fields(situation: &str, call_back: &str) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&str, String)> = valid_answers()
        .into_iter()
        .filter(|(k, _)| *k != "lang" && *k != "situation" && *k != "in_danger")
        .collect();
    fields.extend([
        ("lang", "ps".to_owned()),
        ("situation", situation.to_owned()),
        // The example's rules send this to the "urgent" queue at priority 1.
        ("in_danger", "yes".to_owned()),
        ("call_safe", "yes".to_owned()),
        ("call_back", call_back.to_owned()),
    ]);
    fields
}

async fn agent(app: &TestApp, email: &str) -> Staff {
    signed_in(app, email, ProgrammeRole::Agent, Some(SLUG)).await
}

async fn audit_count(app: &TestApp, action: &'static str, actor: &str, subject: &str) -> i64 {
    let rows = fetch_all(
        &app.store,
        "SELECT actor, subject FROM audit_log WHERE action = $1",
        &[action.to_owned().into()],
    )
    .await
    .unwrap();
    rows.iter()
        .filter(|r| {
            let a: String = r.try_get("actor").unwrap();
            let s: String = r.try_get("subject").unwrap();
            a.contains(actor) && s == subject
        })
        .count() as i64
}

#[tokio::test]
async fn phone_intake_in_pashto_is_sealed_routed_marked_phone_and_its_author_audited() {
    let app = spawn_app().await;
    let mut a = agent(&app, "agent@example.org").await;
    let form = a.get(&format!("{NEW}?caller=ps")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains(r#"lang="ps" dir="rtl""#),
        "{}",
        form.body
    );
    assert!(form.body.contains("name=\"call_safe\""));
    // The first question comes before the programme's own.
    assert!(form.body.find("call_safe").unwrap() < form.body.find("full_name").unwrap());

    let tag = &haven::crypto::random_id()[..12];
    let canary = format!("CANARY{tag}situation");
    let canary_back = format!("CANARY{tag}callback");
    let receipt = a.post(NEW, NEW, &call_fields(&canary, &canary_back)).await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.body);
    assert_eq!(receipt.headers["cache-control"], "no-store");
    let reference = extract_by_id(&receipt.body, "reference-code").expect("code shown");
    let passphrase = extract_by_id(&receipt.body, "passphrase").expect("passphrase shown");
    assert_eq!(reference.len(), 23, "{reference}");
    assert_eq!(passphrase.len(), 19, "{passphrase}");
    // Spelled for reading aloud: Pashto digits, NATO letters.
    assert!(receipt.body.contains("class=\"spelling\" lang=\"ps\""));
    let first = reference.chars().next().unwrap();
    let word = match first {
        '0' => "صفر",
        '1' => "یو",
        '2' => "دوه",
        '3' => "درې",
        '4' => "څلور",
        '5' => "پنځه",
        '6' => "شپږ",
        '7' => "اووه",
        '8' => "اته",
        '9' => "نهه",
        c => haven::intake::spelling::word(haven::domain::Language::En, c).unwrap(),
    };
    assert!(receipt.body.contains(word), "{word} for {first}");

    let record = app.only_enquiry().await;
    assert_eq!(record.source, "phone");
    assert_eq!(record.language, "ps");
    assert_eq!(record.queue, "urgent", "routed by the programme's rules");
    assert_eq!(record.priority, 1);
    assert_eq!(
        audit_count(
            &app,
            "phone.intake",
            &a.id,
            &format!("enquiry:{}", record.id)
        )
        .await,
        1,
        "who entered it is audited"
    );
    // Sealed: the console side opens it, the database holds no trace of the words.
    let content = open_enquiry(&app.keyring().await, &record).await.unwrap();
    assert_eq!(
        content.answers.get("situation"),
        Some(&haven::programme::Answer::Text(canary.clone()))
    );
    let call = content.call.expect("call details sealed with the answers");
    assert!(call.safe_to_talk);
    assert_eq!(call.call_back, canary_back);
    assert_eq!(call.entered_by, a.id);
    for table in [
        "SELECT COUNT(*) FROM enquiries WHERE CAST(ciphertext AS TEXT) LIKE $1",
        "SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1 OR subject LIKE $1",
    ] {
        assert_eq!(
            scalar(&app.store, table, &[format!("%{tag}%").into()])
                .await
                .unwrap(),
            0,
            "{table}"
        );
    }
}

/// The same flow against the real binary at its most talkative: neither the words nor
/// the codes reach its log, its stdout or the database files.
#[tokio::test]
async fn a_phone_intakes_words_and_codes_appear_in_no_log_and_nowhere_at_rest() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path()).await;
    let install = Installation::new(dir.path(), &url).with("HAVEN_LOG", "trace");
    install.apply_example();
    install.add_user("caller-agent@example.org", "agent", PASSWORD);
    let server = install.serve("all", &[]).await;
    let mut a = Staff::at(&server.base, "caller-agent@example.org");
    a.sign_in().await;
    a.acknowledge_rules(SLUG).await;
    let tag = &haven::crypto::random_id()[..12];
    let canary = format!("CANARY{tag}situation");
    let receipt = a
        .post(NEW, NEW, &call_fields(&canary, &format!("CANARY{tag}back")))
        .await;
    assert_eq!(receipt.status, StatusCode::OK, "{}", receipt.body);
    let reference = extract_by_id(&receipt.body, "reference-code").unwrap();
    let passphrase = extract_by_id(&receipt.body, "passphrase").unwrap();
    let sealed = extract_input(&receipt.body, "receipt").unwrap();
    let done = a
        .post_raw(
            &format!("{NEW}/done"),
            &[
                ("csrf", extract_input(&receipt.body, "csrf").unwrap()),
                ("receipt", sealed),
                ("read_back", "yes".into()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let secrets = [
        canary.clone(),
        reference.replace('-', ""),
        reference.clone(),
        passphrase.replace('-', ""),
        passphrase.clone(),
    ];
    let check = |what: &str, bytes: &[u8]| {
        for s in &secrets {
            assert!(
                !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                "{what} holds a secret of the call"
            );
        }
    };
    let log = server.log_text();
    assert!(
        log.contains("/console/p/{slug}/new"),
        "the log is real: {log}"
    );
    check("the log", log.as_bytes());
    if on_postgres() {
        let dump = std::process::Command::new("pg_dump")
            .arg("--no-owner")
            .arg(&url)
            .output()
            .expect("pg_dump runs");
        assert!(dump.status.success());
        check("pg_dump", &dump.stdout);
    } else {
        for suffix in ["", "-wal", "-shm"] {
            if let Ok(bytes) = std::fs::read(dir.path().join(format!("haven.db{suffix}"))) {
                check(&format!("haven.db{suffix}"), &bytes);
            }
        }
    }
}

#[tokio::test]
async fn fifty_phone_intakes_in_a_row_are_not_rate_limited_while_a_public_client_is() {
    let app = spawn_app().await;
    let mut a = agent(&app, "busy-agent@example.org").await;
    let token = extract_input(&a.get(NEW).await.body, "csrf").unwrap();
    for i in 0..50 {
        let mut fields = vec![("csrf", token.clone())];
        fields.extend(call_fields(&format!("call number {i}"), ""));
        let page = a.post_raw(NEW, &fields).await;
        assert_eq!(page.status, StatusCode::OK, "call {i}: {}", page.body);
        assert!(extract_by_id(&page.body, "reference-code").is_some());
    }
    assert_eq!(app.count().await, 50);
    // The public form from one client is still limited (10 an hour by default).
    let mut refused = None;
    for i in 0..15 {
        let (status, _) = app.submit(&valid_answers()).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(i);
            break;
        }
    }
    assert_eq!(refused, Some(10), "the public client is refused after 10");
}

#[tokio::test]
async fn bad_input_comes_back_with_everything_typed_and_stores_nothing() {
    let app = spawn_app().await;
    let mut a = agent(&app, "careful-agent@example.org").await;
    let mut fields: Vec<(&str, String)> = call_fields("Words the caller said", "after dark")
        .into_iter()
        .filter(|(k, _)| !["call_safe", "full_name", "contact_mode"].contains(k))
        .collect();
    fields.push(("contact_mode", "email".into()));
    let page = a.post(NEW, NEW, &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Words the caller said"));
    assert!(page.body.contains("value=\"after dark\""));
    assert!(page.body.contains("href=\"#f-call_safe\""), "{}", page.body);
    assert!(page.body.contains("href=\"#f-full_name\""));
    assert_eq!(app.count().await, 0);
    // Another agent's programme page, or none: not found; a public visitor: sign in.
    let outsider = app.client.get(app.url(NEW)).send().await.unwrap();
    assert_ne!(outsider.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_receipt_cannot_be_left_through_done_until_read_back_is_ticked() {
    let app = spawn_app().await;
    let mut a = agent(&app, "reader@example.org").await;
    let receipt = a.post(NEW, NEW, &call_fields("read me back", "")).await;
    assert_eq!(receipt.status, StatusCode::OK);
    let reference = extract_by_id(&receipt.body, "reference-code").unwrap();
    let csrf = extract_input(&receipt.body, "csrf").unwrap();
    let sealed = extract_input(&receipt.body, "receipt").unwrap();
    assert!(!sealed.contains(&reference.replace('-', "")));
    let done = format!("{NEW}/done");

    let refused = a
        .post_raw(
            &done,
            &[("csrf", csrf.clone()), ("receipt", sealed.clone())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.headers["cache-control"], "no-store");
    assert!(refused.body.contains("href=\"#f-read-back\""));
    // The same codes again, to read back.
    assert_eq!(
        extract_by_id(&refused.body, "reference-code").as_deref(),
        Some(reference.as_str())
    );
    let record = app.only_enquiry().await;
    let subject = format!("enquiry:{}", record.id);
    assert_eq!(
        audit_count(&app, "phone.read-back", &a.id, &subject).await,
        0
    );

    // Another agent cannot open this receipt.
    let mut b = agent(&app, "other-reader@example.org").await;
    let stolen = b
        .post(
            NEW,
            &done,
            &[("receipt", sealed.clone()), ("read_back", "yes".into())],
        )
        .await;
    assert_eq!(stolen.status, StatusCode::SEE_OTHER);
    assert!(!stolen.body.contains(&reference));

    let left = a
        .post_raw(
            &done,
            &[
                ("csrf", csrf),
                ("receipt", sealed),
                ("read_back", "yes".into()),
            ],
        )
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(
        left.location.as_deref(),
        Some("/console/p/afghanistan-2021/new?caller=ps")
    );
    assert_eq!(
        audit_count(&app, "phone.read-back", &a.id, &subject).await,
        1
    );
    assert_eq!(
        audit_count(&app, "phone.read-back", &b.id, &subject).await,
        0
    );
}

/// A public enquiry: (id, reference, passphrase).
async fn public_enquiry(app: &TestApp) -> (String, String, String) {
    let before: Vec<String> = ids(app).await;
    let res = app.post_form(&format!("/p/{SLUG}"), &valid_answers()).await;
    let body = res.text().await.unwrap();
    let reference = extract_by_id(&body, "reference-code").unwrap();
    let passphrase = extract_by_id(&body, "passphrase").unwrap();
    let id = ids(app)
        .await
        .into_iter()
        .find(|i| !before.contains(i))
        .unwrap();
    (id, reference, passphrase)
}

async fn ids(app: &TestApp) -> Vec<String> {
    let pid = app.programme_id().await;
    app.store
        .enquiries_of_programme(&pid)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// The caller types `number` into their reply inbox.
async fn type_in_inbox(app: &TestApp, reference: &str, passphrase: &str, number: &str) {
    let res = app
        .post_form(
            "/inbox",
            &[
                ("lang", "en".into()),
                ("reference", reference.into()),
                ("passphrase", passphrase.into()),
                ("caller_number", number.into()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "the inbox opened");
}

fn verdict(page: &str) -> String {
    let at = page.find("data-verdict=\"").expect("a verdict") + 14;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_caller_is_verified_only_by_the_right_number_in_time_for_their_own_enquiry() {
    // The caller signs in to their inbox more often than a person would in a minute.
    let app = spawn_with(Settings {
        config_file: Some("[rate_limits]\ninbox_attempts_per_minute = 100\n".into()),
        ..Settings::default()
    })
    .await;
    let (id, reference, passphrase) = public_enquiry(&app).await;
    let (other_id, _, _) = public_enquiry(&app).await;
    let mut a = agent(&app, "verifier@example.org").await;
    let verify = format!("/console/e/{id}/verify");

    // The enquiry page links here; before any number, nothing may be said.
    let enquiry = a.get(&format!("/console/e/{id}")).await;
    assert!(enquiry.body.contains(&verify));
    let page = a.get(&verify).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(verdict(&page.body), "none");
    assert!(page.body.contains("id=\"no-detail\""));

    // A number for the other enquiry, then one for this call.
    let other = a
        .post(
            &format!("/console/e/{other_id}/verify"),
            &format!("/console/e/{other_id}/verify"),
            &[],
        )
        .await;
    let other_number = extract_by_id(&other.body, "caller-number")
        .unwrap()
        .replace(' ', "");
    let shown = a.post(&verify, &verify, &[]).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.headers["cache-control"], "no-store");
    let number = extract_by_id(&shown.body, "caller-number")
        .unwrap()
        .replace(' ', "");
    assert_eq!(number.len(), 6);
    let wrong = if number == "000000" {
        "111111"
    } else {
        "000000"
    };
    assert!(
        !shown.location.unwrap_or_default().contains(&number),
        "never in a URL"
    );

    // The other enquiry's number, typed into this inbox: not verified.
    if other_number != number {
        type_in_inbox(&app, &reference, &passphrase, &other_number).await;
    }
    let page = a.get(&verify).await;
    assert_eq!(verdict(&page.body), "waiting");
    assert!(page.body.contains("id=\"no-detail\""));
    // A wrong number: still not.
    type_in_inbox(&app, &reference, &passphrase, wrong).await;
    assert_eq!(verdict(&a.get(&verify).await.body), "waiting");
    // The right one: verified.
    type_in_inbox(&app, &reference, &passphrase, &number).await;
    let page = a.get(&verify).await;
    assert_eq!(verdict(&page.body), "verified");
    assert!(!page.body.contains("id=\"no-detail\""));
    // The database holds only keyed hashes.
    let stored = fetch_all(&app.store, "SELECT number_hash FROM caller_checks", &[])
        .await
        .unwrap();
    for r in &stored {
        let h: Vec<u8> = r.try_get("number_hash").unwrap();
        assert_eq!(h.len(), 32);
        assert!(!h.windows(6).any(|w| w == number.as_bytes()));
    }

    // A new number that expires before the caller types it: not verified.
    let shown = a.post(&verify, &verify, &[]).await;
    let late = extract_by_id(&shown.body, "caller-number")
        .unwrap()
        .replace(' ', "");
    execute(
        &app.store,
        // A new number replaced the earlier one: this is the only check of the enquiry.
        "UPDATE caller_checks SET created_at = created_at - 600, expires_at = expires_at - 600 \
         WHERE enquiry_id = $1",
        &[id.clone().into()],
    )
    .await
    .unwrap();
    type_in_inbox(&app, &reference, &passphrase, &late).await;
    assert_eq!(verdict(&a.get(&verify).await.body), "expired");

    // Three wrong numbers spend a fresh one; the right one after them is not enough.
    let shown = a.post(&verify, &verify, &[]).await;
    let fresh = extract_by_id(&shown.body, "caller-number")
        .unwrap()
        .replace(' ', "");
    let wrong = if fresh == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..3 {
        type_in_inbox(&app, &reference, &passphrase, wrong).await;
    }
    type_in_inbox(&app, &reference, &passphrase, &fresh).await;
    assert_eq!(verdict(&a.get(&verify).await.body), "too-many-attempts");

    let subject = format!("enquiry:{id}");
    assert_eq!(
        audit_count(&app, "caller.check-issued", &a.id, &subject).await,
        3
    );
    assert!(audit_count(&app, "caller.check", &a.id, &subject).await >= 5);
}
