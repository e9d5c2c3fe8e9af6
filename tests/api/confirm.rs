//! Confirmed contact addresses (issue 19, item 1), through the real form, inbox,
//! console, worker and SMTP sink: an unconfirmed address gets nothing but its
//! confirmation code, however many replies are written; the code counts only when
//! typed in the inbox; a wrong or reused code and every URL of the message confirm
//! nothing; the send limit per address holds; the person can change or remove the
//! address. Runs on SQLite, and on PostgreSQL with `HAVEN_TEST_POSTGRES_URL`.

use haven::casework::ProgrammeRole::Agent;
use reqwest::StatusCode;

use crate::helpers::staff::{Staff, signed_in};
use crate::helpers::{SLUG, TestApp, extract_input, html_unescape};
use crate::replies::{
    FULL, Person, assert_replied, delivered, enquire_unconfirmed as enquire, haven, open_inbox,
    post_reply, readable_text,
};
use crate::smtp_sink::{SmtpSink, Transaction};

/// The confirmation code in a message (`XXXX-XXXX` from the code alphabet).
pub fn code_in(t: &Transaction) -> Option<String> {
    let text = readable_text(&t.data);
    let ok = |c: char| "ABCDEFGHJKMNPQRSTVWXYZ23456789".contains(c);
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(8)).find_map(|i| {
        let w = &chars[i..i + 9];
        let before_ok = i == 0 || !chars[i - 1].is_alphanumeric();
        let after_ok = chars.get(i + 9).is_none_or(|c| !c.is_alphanumeric());
        (before_ok
            && after_ok
            && w[4] == '-'
            && w[..4].iter().all(|c| ok(*c))
            && w[5..].iter().all(|c| ok(*c)))
        .then(|| w.iter().collect())
    })
}

fn to_of(t: &Transaction) -> String {
    t.rcpt.join(",")
}

/// Posts one of the inbox's email forms (`do` = code, send, change, remove) with the
/// token and secrets the inbox page gave it; returns (status, page).
async fn contact_form(
    app: &TestApp,
    person: &Person,
    action: &str,
    extra: &[(&str, String)],
) -> (StatusCode, String) {
    let (status, inbox) = open_inbox(app, FULL, &person.reference, &person.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{inbox}");
    let section = &inbox[inbox.find("id=\"contact\"").expect("the email section")..];
    let mut fields = vec![
        ("csrf", extract_input(section, "csrf").expect("a token")),
        ("lang", person.lang.clone()),
        ("reference", person.reference.clone()),
        ("passphrase", person.passphrase.clone()),
        ("do", action.to_owned()),
    ];
    fields.extend(extra.iter().cloned());
    let res = app
        .client
        .post(app.url("/inbox/contact"))
        .header("origin", &app.addr)
        .form(&fields)
        .send()
        .await
        .expect("POST");
    let status = res.status();
    (status, html_unescape(&res.text().await.unwrap()))
}

async fn type_code(app: &TestApp, person: &Person, code: &str) -> StatusCode {
    contact_form(app, person, "code", &[("code", code.to_owned())])
        .await
        .0
}

async fn confirmed(app: &TestApp, id: &str) -> bool {
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

async fn reply(app: &TestApp, agent: &mut Staff, person: &Person, canary: &str) {
    let done = post_reply(agent, &person.id, "", "About your enquiry", canary).await;
    assert_replied(&done, &person.id);
    let _ = app;
}

async fn setup() -> (TestApp, SmtpSink, Staff) {
    let (app, sink) = haven(&[(SLUG, "minimal"), (FULL, "full")]).await;
    let agent = signed_in(&app, "agent@example.org", Agent, Some(FULL)).await;
    (app, sink, agent)
}

#[tokio::test]
async fn confirm_an_unconfirmed_address_gets_only_its_code_until_the_code_is_typed_in_the_inbox() {
    let (app, sink, mut agent) = setup().await;
    let lena = enquire(
        &app,
        FULL,
        Some("lena@example.fr"),
        "fr",
        "other",
        "Lena Haidari",
    )
    .await;
    for i in 0..3 {
        reply(&app, &mut agent, &lena, &format!("REPLYCANARY-{i} bonjour")).await;
    }
    let sent = delivered(&app, &sink, 1).await;
    // Only the confirmation: the three replies wait in the inbox.
    assert_eq!(
        sent.len(),
        1,
        "{:?}",
        sent.iter().map(to_of).collect::<Vec<_>>()
    );
    let confirmation = &sent[0];
    assert_eq!(to_of(confirmation), "lena@example.fr");
    let text = readable_text(&confirmation.data);
    assert!(!text.contains("REPLYCANARY"), "{text}");
    assert!(
        !text.contains(FULL) && !text.contains("Lena"),
        "neutral: {text}"
    );
    let code = code_in(confirmation).expect("a code in the message");
    app.expect_failed_jobs(3);
    let (_, inbox) = open_inbox(&app, FULL, &lena.reference, &lena.passphrase).await;
    assert!(
        inbox.contains("REPLYCANARY-2"),
        "the replies wait in the inbox"
    );
    assert!(
        inbox.contains("l•••@example.fr"),
        "masked address shown: {inbox}"
    );
    assert!(!inbox.contains("lena@example.fr"));

    // Every URL in the message, fetched as a link scanner would, confirms nothing.
    for word in text.split_whitespace() {
        let url = word.trim_end_matches(['.', ',', ')']);
        if let Some(path) = url
            .split_once("/inbox")
            .map(|(_, rest)| format!("/inbox{rest}"))
        {
            let _ = app.get(&path).await;
            let _ = app.get(&format!("{path}?code={code}")).await;
        }
    }
    let _ = app.get(&format!("/inbox/contact?code={code}")).await;
    app.run_pending_jobs().await;
    assert!(!confirmed(&app, &lena.id).await, "a GET confirms nothing");

    // A wrong code does nothing.
    let wrong = if code.starts_with('A') {
        "BBBB-BBBB"
    } else {
        "AAAA-AAAA"
    };
    assert_eq!(type_code(&app, &lena, wrong).await, StatusCode::OK);
    app.run_pending_jobs().await;
    assert!(
        !confirmed(&app, &lena.id).await,
        "a wrong code confirms nothing"
    );
    reply(&app, &mut agent, &lena, "REPLYCANARY-still-waiting").await;
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 1, "still only the confirmation");
    app.expect_failed_jobs(4);

    // The right code, typed in the inbox, confirms; the next reply is emailed.
    assert_eq!(
        type_code(&app, &lena, &code.to_lowercase()).await,
        StatusCode::OK
    );
    app.run_pending_jobs().await;
    assert!(confirmed(&app, &lena.id).await);
    let (_, inbox) = open_inbox(&app, FULL, &lena.reference, &lena.passphrase).await;
    assert!(inbox.contains("id=\"contact-state\""), "{inbox}");
    reply(&app, &mut agent, &lena, "REPLYCANARY-after bonjour").await;
    let sent = delivered(&app, &sink, 2).await;
    assert_eq!(sent.len(), 2);
    assert!(readable_text(&sent[1].data).contains("REPLYCANARY-after"));
    assert_eq!(to_of(&sent[1]), "lena@example.fr");
    let actions = crate::replies::audit_actions(&app, "contact.confirm").await;
    assert_eq!(actions.len(), 1, "the confirmation is audited");
}

#[tokio::test]
async fn confirm_a_reused_code_or_one_typed_after_too_many_wrong_ones_does_nothing() {
    let (app, sink, _agent) = setup().await;
    let ana = enquire(
        &app,
        FULL,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let sent = delivered(&app, &sink, 1).await;
    let code = code_in(&sent[0]).expect("a code");
    // Five wrong codes spend it: the right one typed after them confirms nothing.
    let wrong = if code.starts_with('A') {
        "BBBB-BBBB"
    } else {
        "AAAA-AAAA"
    };
    for _ in 0..haven::contact::MAX_WRONG {
        type_code(&app, &ana, wrong).await;
    }
    app.run_pending_jobs().await;
    type_code(&app, &ana, &code).await;
    app.run_pending_jobs().await;
    assert!(
        !confirmed(&app, &ana.id).await,
        "a spent code confirms nothing"
    );

    // A new code asked from the inbox works once; the same code again changes nothing
    // (and removing the address then shows the code is not live any more).
    let (status, page) = contact_form(&app, &ana, "send", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let sent = delivered(&app, &sink, 2).await;
    let second = code_in(&sent[1]).expect("a second code");
    type_code(&app, &ana, &second).await;
    app.run_pending_jobs().await;
    assert!(confirmed(&app, &ana.id).await);
    let row = app.store.contact_code(&ana.id).await.unwrap().unwrap();
    assert!(row.code_hash.is_none(), "a used code is gone");
    type_code(&app, &ana, &second).await;
    app.run_pending_jobs().await;
    assert!(confirmed(&app, &ana.id).await);
    assert_eq!(sink.accepted_count(), 2);
}

#[tokio::test]
async fn confirm_codes_to_one_address_are_limited_per_day() {
    let (app, sink, _agent) = setup().await;
    let ana = enquire(
        &app,
        FULL,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    // A second enquiry naming the same address (someone using the form against
    // her) shares her limit.
    let other = enquire(
        &app,
        FULL,
        Some("ANA@example.org"),
        "en",
        "other",
        "Someone",
    )
    .await;
    app.run_pending_jobs().await;
    for _ in 0..5 {
        contact_form(&app, &ana, "send", &[]).await;
        contact_form(&app, &other, "send", &[]).await;
        app.run_pending_jobs().await;
    }
    let per_day = usize::try_from(haven::contact::PER_ADDRESS_PER_DAY).unwrap();
    assert_eq!(sink.accepted_count(), per_day, "the limit holds");
}

#[tokio::test]
async fn confirm_the_person_changes_then_removes_the_address_in_the_inbox() {
    let (app, sink, mut agent) = setup().await;
    let lena = enquire(
        &app,
        FULL,
        Some("lena@example.fr"),
        "fr",
        "other",
        "Lena Haidari",
    )
    .await;
    let sent = delivered(&app, &sink, 1).await;
    let code = code_in(&sent[0]).unwrap();
    type_code(&app, &lena, &code).await;
    app.run_pending_jobs().await;
    assert!(confirmed(&app, &lena.id).await);

    // A new address: unconfirmed again, with a new code to the new address only.
    let (status, page) = contact_form(
        &app,
        &lena,
        "change",
        &[("email", "lena.new@example.org".into())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let sent = delivered(&app, &sink, 2).await;
    assert_eq!(to_of(&sent[1]), "lena.new@example.org");
    assert!(
        !confirmed(&app, &lena.id).await,
        "a new address starts unconfirmed"
    );
    reply(&app, &mut agent, &lena, "REPLYCANARY-waits").await;
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 2, "the reply waits");
    app.expect_failed_jobs(1);
    let new_code = code_in(&sent[1]).unwrap();
    type_code(&app, &lena, &new_code).await;
    app.run_pending_jobs().await;
    assert!(confirmed(&app, &lena.id).await);
    reply(&app, &mut agent, &lena, "REPLYCANARY-new").await;
    let sent = delivered(&app, &sink, 3).await;
    assert_eq!(to_of(&sent[2]), "lena.new@example.org");

    // Removed: nothing more is emailed, and the stored enquiry has no address.
    let (status, _) = contact_form(&app, &lena, "remove", &[]).await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;
    let record = app.store.enquiry(&lena.id).await.unwrap().unwrap();
    assert!(!record.has_email);
    let keyring = app.keyring().await;
    let content = crate::helpers::open_enquiry(&keyring, &record)
        .await
        .unwrap();
    assert_eq!(content.email, None);
    let done = post_reply(
        &mut agent,
        &lena.id,
        "",
        "About your enquiry",
        "REPLYCANARY-gone",
    )
    .await;
    assert_replied(&done, &lena.id);
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 3);
}

#[tokio::test]
async fn confirm_a_typed_code_needs_the_passphrase() {
    let (app, sink, _agent) = setup().await;
    let ana = enquire(
        &app,
        FULL,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let sent = delivered(&app, &sink, 1).await;
    let code = code_in(&sent[0]).unwrap();
    let token = {
        let (_, inbox) = open_inbox(&app, FULL, &ana.reference, &ana.passphrase).await;
        let section = &inbox[inbox.find("id=\"contact\"").unwrap()..];
        extract_input(section, "csrf").unwrap()
    };
    let res = app
        .client
        .post(app.url("/inbox/contact"))
        .header("origin", &app.addr)
        .form(&[
            ("csrf", token),
            ("reference", ana.reference.clone()),
            ("passphrase", "WRONG-WRONG-WRONG-WRONG".to_owned()),
            ("do", "code".to_owned()),
            ("code", code),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    app.run_pending_jobs().await;
    assert!(!confirmed(&app, &ana.id).await);
}
