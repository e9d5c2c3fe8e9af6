//! Replies to one enquiry, through real HTTP: the reply form (empty, or from a
//! template), what is stored (sealed), what is queued (one outbox row per reply to an
//! email address), what the SMTP sink receives from Haven's own worker, what the
//! person reads in the reply inbox, the exposure guard and the access rules.
//!
//! The helpers here (a Haven whose worker sends to the sink, enquirers who keep their
//! receipt codes, checks on received messages) are shared with `campaigns.rs`.

use std::collections::{BTreeSet, HashSet};

use haven::casework::ProgrammeRole::{self, *};
use haven::domain::{Passphrase, ReferenceCode};
use haven::outbound::{find_addresses, find_reference_codes};
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, apply, extract_by_id, extract_input, html_unescape,
    on_postgres, spawn_with, valid_answers,
};
use crate::smtp_sink::{SmtpSink, Transaction};
use crate::staff::{Page, Staff, signed_in};

/// `HAVEN_MAIL_FROM` in these tests.
pub const FROM: &str = "help@haven.example";
/// `HAVEN_PUBLIC_URL`: the origin of links in emails.
pub const PUBLIC: &str = "https://help.example.org";
/// A programme like the example but with `email = "full"`.
pub const FULL: &str = "afghanistan-full";
/// Another programme, for the access rules.
pub const OTHER: &str = "other-programme";

/// The example programme under `slug`, with `[outbound] email = mode`, and with its
/// English acknowledgement also naming the person's reference code (so that tests can
/// see that a template is rendered for the right enquiry, and that minimal emails leave
/// the code out even when the reply has it).
pub fn programme(slug: &str, mode: &str) -> String {
    let anchor = "and passphrase.\n\nPlease do not send";
    let minimal = "email = \"minimal\"";
    assert!(
        EXAMPLE.contains(anchor),
        "the example's acknowledgement changed"
    );
    assert!(
        EXAMPLE.contains(minimal),
        "the example has no email = \"minimal\""
    );
    EXAMPLE
        .replace(
            anchor,
            "and passphrase. Your reference code is {reference}.\n\nPlease do not send",
        )
        .replace(minimal, &format!("email = \"{mode}\""))
        .replace(SLUG, slug)
}

/// A Haven with all roles (its own worker sending to `sink`), the given programmes
/// applied as `(slug, email mode)`. The first must be `SLUG`.
pub async fn haven(programmes: &[(&str, &str)]) -> (TestApp, SmtpSink) {
    assert_eq!(programmes[0].0, SLUG);
    let sink = SmtpSink::start().await;
    let mut settings = Settings {
        apply_example: false,
        ..Settings::default()
    };
    for (k, v) in [
        ("HAVEN_RATE_LIMIT", "off".to_string()),
        ("HAVEN_MAIL_FROM", FROM.to_string()),
        ("HAVEN_PUBLIC_URL", PUBLIC.to_string()),
        ("HAVEN_SMTP_URL", sink.url()),
        ("HAVEN_SMTP_RATE", "off".to_string()),
        // These tests count every message the sink receives as one to an enquirer;
        // the emails to staff about their own accounts are proved in `hardening`.
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
    ] {
        settings.env.insert(k, v);
    }
    let app = spawn_with(settings).await;
    for (slug, mode) in programmes {
        apply(&app.store, &app.config, &programme(slug, mode)).await;
    }
    (app, sink)
}

/// Someone who sent an enquiry and kept their receipt.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    /// As shown on the receipt (`ABCDE-FGHJK-…`).
    pub reference: String,
    pub passphrase: String,
    pub email: Option<String>,
    pub name: String,
    pub lang: String,
    /// The queue routing put it in.
    pub queue: String,
}

impl Person {
    pub fn canonical_reference(&self) -> String {
        ReferenceCode::parse(&self.reference)
            .expect("a receipt code parses")
            .canonical()
            .to_owned()
    }
}

pub async fn enquiry_ids(app: &TestApp, slug: &str) -> BTreeSet<String> {
    let pid = app.store.programme_by_slug(slug).await.unwrap().unwrap().id;
    app.store
        .enquiries_of_programme(&pid)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}

/// Sends an enquiry through the public form, as a person would. `category` is a
/// `help_category` value (`other` → queue `general`, `family_reunion` → `family`,
/// `former_staff` → `former-staff`). Its address (and every other) counts as
/// confirmed, as these tests are about what is sent once it is
/// (`enquire_unconfirmed` for the tests of confirmation itself).
pub async fn enquire(
    app: &TestApp,
    slug: &str,
    email: Option<&str>,
    lang: &str,
    category: &str,
    name: &str,
) -> Person {
    let person = enquire_unconfirmed(app, slug, email, lang, category, name).await;
    crate::helpers::confirmed::confirm_every_address(app).await;
    person
}

/// As [`enquire`], the address left unconfirmed: its confirmation code is mailed.
pub async fn enquire_unconfirmed(
    app: &TestApp,
    slug: &str,
    email: Option<&str>,
    lang: &str,
    category: &str,
    name: &str,
) -> Person {
    let before = enquiry_ids(app, slug).await;
    let mut fields = valid_answers();
    fields.retain(|(k, _)| !["lang", "full_name", "help_category", "contact_mode"].contains(k));
    fields.push(("lang", lang.into()));
    fields.push(("full_name", name.into()));
    fields.push(("help_category", category.into()));
    match email {
        Some(e) => {
            fields.push(("contact_mode", "email".into()));
            fields.push(("contact_email", e.into()));
        }
        None => fields.push(("contact_mode", "inbox".into())),
    }
    let res = app.post_form(&format!("/p/{slug}"), &fields).await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "submission refused: {body}");
    let reference = extract_by_id(&body, "reference-code").expect("receipt code");
    let passphrase = extract_by_id(&body, "passphrase").expect("receipt passphrase");
    let after = enquiry_ids(app, slug).await;
    let new: Vec<&String> = after.difference(&before).collect();
    assert_eq!(new.len(), 1, "one new enquiry");
    let record = app.store.enquiry(new[0]).await.unwrap().unwrap();
    assert_eq!(record.has_email, email.is_some());
    Person {
        id: new[0].clone(),
        reference,
        passphrase,
        email: email.map(str::to_owned),
        name: name.to_owned(),
        lang: lang.to_owned(),
        queue: record.queue,
    }
}

/// The reply form of an enquiry page: from its `action` to its `</form>`.
pub fn reply_form<'a>(page: &'a str, enquiry_id: &str) -> Option<&'a str> {
    let at = page.find(&format!("action=\"/console/e/{enquiry_id}/reply\""))?;
    let rest = &page[at..];
    let end = rest.find("</form>")?;
    Some(&rest[..end])
}

/// The content of `<textarea name="NAME">…</textarea>`.
pub fn extract_textarea(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find("</textarea>")?;
    Some(html_unescape(&rest[start..start + end]))
}

/// What the reply form holds: (template, subject, text).
pub fn reply_fields(page: &Page, enquiry_id: &str) -> (String, String, String) {
    let form = reply_form(&page.body, enquiry_id)
        .unwrap_or_else(|| panic!("no reply form ({}): {}", page.status, page.body));
    (
        extract_input(form, "template").unwrap_or_default(),
        extract_input(form, "subject").unwrap_or_default(),
        extract_textarea(form, "text").expect("a text area for the reply"),
    )
}

/// Posts a reply with the session's token, as the enquiry page's form would.
pub async fn post_reply(
    staff: &mut Staff,
    enquiry_id: &str,
    template: &str,
    subject: &str,
    text: &str,
) -> Page {
    staff
        .post(
            "/console",
            &format!("/console/e/{enquiry_id}/reply"),
            &[
                ("template", template.to_owned()),
                ("subject", subject.to_owned()),
                ("text", text.to_owned()),
            ],
        )
        .await
}

pub fn assert_replied(page: &Page, enquiry_id: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.as_deref().unwrap_or("");
    let expected = format!("/console/e/{enquiry_id}?done=replied");
    assert!(
        location == expected || location.starts_with(&format!("{expected}#")),
        "redirected to {location}"
    );
}

/// The reply inbox, opened with these codes: (status, page).
pub async fn open_inbox(
    app: &TestApp,
    slug: &str,
    reference: &str,
    passphrase: &str,
) -> (StatusCode, String) {
    let res = app
        .post_form(
            &format!("/p/{slug}/status"),
            &[
                ("reference", reference.to_owned()),
                ("passphrase", passphrase.to_owned()),
            ],
        )
        .await;
    let status = res.status();
    (status, html_unescape(&res.text().await.unwrap()))
}

pub async fn audit_actions(app: &TestApp, action: &str) -> Vec<haven::audit::Record> {
    app.store
        .search_audit(
            &haven::audit::Filter {
                action: action.into(),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap()
}

pub async fn alerts(app: &TestApp) -> Vec<haven::audit::Record> {
    app.store
        .search_audit(
            &haven::audit::Filter {
                outcome: "alert".into(),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap()
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    // Literal SQL only (the store's rule, and `test_support`'s).
    let sql = match table {
        "campaigns" => "SELECT COUNT(*) FROM campaigns",
        "outbox" => "SELECT COUNT(*) FROM outbox",
        "referrals" => "SELECT COUNT(*) FROM referrals",
        "replies" => "SELECT COUNT(*) FROM replies",
        other => panic!("no count for table {other}"),
    };
    haven::store::test_support::scalar(&app.store, sql, &[])
        .await
        .unwrap()
}

/// Runs the worker's jobs until nothing is due (every queued message sent, retried
/// for later or failed, and recorded), then returns every transaction the sink saw,
/// of which there must be at least `n`. A message that should not have gone would
/// have gone by now: nothing is left to send it later.
pub async fn delivered(app: &TestApp, sink: &SmtpSink, n: usize) -> Vec<Transaction> {
    app.run_pending_jobs().await;
    assert!(
        sink.accepted_count() >= n,
        "only {} of {n} messages arrived",
        sink.accepted_count()
    );
    sink.transactions()
}

/// Header names (unfolded, lowercase) of a raw message.
pub fn header_names(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    head.split("\r\n")
        .filter(|l| !l.starts_with([' ', '\t']) && !l.is_empty())
        .map(|l| l.split(':').next().unwrap_or("").to_ascii_lowercase())
        .collect()
}

/// Everything the recipient could read: the raw bytes and the decoded parts.
pub fn readable_text(raw: &[u8]) -> String {
    let parsed = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("message parses");
    let mut text = String::from_utf8_lossy(raw).into_owned();
    for i in 0..parsed.text_body_count() {
        text.push('\n');
        text.push_str(&parsed.body_text(i).unwrap_or_default());
    }
    for i in 0..parsed.html_body_count() {
        text.push('\n');
        text.push_str(&parsed.body_html(i).unwrap_or_default());
    }
    text.push('\n');
    text.push_str(parsed.subject().unwrap_or(""));
    text
}

pub fn to_addresses(raw: &[u8]) -> Vec<String> {
    let parsed = mail_parser::MessageParser::default().parse(raw).unwrap();
    parsed
        .to()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.address())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// One message to one person and nobody else: one envelope recipient, one address in
/// To, no Cc or Bcc, and no other enquirer's address or reference code in its bytes or
/// its decoded text.
pub fn check_message(t: &Transaction, to: &Person, everyone: &[Person]) {
    let email = to.email.as_deref().expect("a person with an email address");
    assert!(t.accepted);
    assert_eq!(t.rcpt, vec![email.to_owned()], "exactly one RCPT TO");
    assert_eq!(t.from, FROM, "MAIL FROM is HAVEN_MAIL_FROM");
    assert_eq!(
        to_addresses(&t.data),
        vec![email.to_owned()],
        "one address in To"
    );
    let names = header_names(&t.data);
    assert_eq!(names.iter().filter(|n| *n == "to").count(), 1, "{names:?}");
    assert!(!names.iter().any(|n| n == "cc" || n == "bcc"), "{names:?}");
    let parsed = mail_parser::MessageParser::default()
        .parse(&t.data)
        .unwrap();
    assert!(parsed.cc().is_none() && parsed.bcc().is_none());

    let text = readable_text(&t.data);
    let own_address = email.to_lowercase();
    let others: HashSet<String> = everyone
        .iter()
        .filter(|p| p.id != to.id)
        .filter_map(|p| p.email.as_ref().map(|e| e.to_lowercase()))
        .collect();
    for address in find_addresses(&text) {
        assert!(
            address == own_address || !others.contains(&address),
            "another enquirer's address in the message to {email}"
        );
    }
    let own_code = to.canonical_reference();
    let other_codes: HashSet<String> = everyone
        .iter()
        .filter(|p| p.id != to.id)
        .map(Person::canonical_reference)
        .collect();
    for code in find_reference_codes(&text) {
        assert!(
            code == own_code || !other_codes.contains(&code),
            "another enquiry's reference code in the message to {email}"
        );
    }
    for p in everyone.iter().filter(|p| p.id != to.id) {
        assert!(
            !text.contains(&p.reference),
            "another enquiry's reference code in the message to {email}"
        );
    }
}

/// `needle` appears nowhere in the database in clear: not in SQLite's files, not in a
/// PostgreSQL dump.
pub async fn assert_not_stored_in_clear(app: &TestApp, needle: &str) {
    let contains = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    if on_postgres() {
        let haven::config::DatabaseUrl::Postgres(url) = &app.config.database else {
            panic!("on PostgreSQL")
        };
        let dump = std::process::Command::new("pg_dump")
            .arg("--no-owner")
            .arg(url)
            .output()
            .expect("pg_dump runs");
        assert!(
            dump.status.success(),
            "{}",
            String::from_utf8_lossy(&dump.stderr)
        );
        assert!(contains_bytes(&dump.stdout, b"replies"), "the dump is real");
        assert!(!contains(&dump.stdout), "{needle} in the PostgreSQL dump");
    } else {
        let mut seen = 0;
        for name in ["haven.db", "haven.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.config.data_dir.join(name)) {
                seen += bytes.len();
                assert!(!contains(&bytes), "{needle} in {name} in clear");
            }
        }
        assert!(seen > 0, "the database files exist");
    }
}

fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub async fn enquiry_status(app: &TestApp, id: &str) -> String {
    app.store
        .enquiry(id)
        .await
        .unwrap()
        .unwrap()
        .status
        .to_string()
}

async fn staff(app: &TestApp, email: &str, role: ProgrammeRole, slug: &str) -> Staff {
    signed_in(app, email, role, Some(slug)).await
}

// ── 1 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn replies_from_a_template_in_minimal_mode_the_email_only_links_the_inbox() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent, SLUG).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana.rahimi@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar.k@mail.example.af"),
        "en",
        "other",
        "Omar Karimi",
    )
    .await;
    let everyone = vec![ana.clone(), omar.clone()];
    let e = format!("/console/e/{}", ana.id);

    // Without a template the form is empty.
    let page = agent.get(&e).await;
    assert_eq!(page.status, StatusCode::OK);
    let (template, subject, text) = reply_fields(&page, &ana.id);
    assert_eq!(
        (template.as_str(), subject.as_str(), text.trim()),
        ("", "", "")
    );

    // From a template: rendered for this enquiry (name, reference, inbox link).
    let page = agent.get(&format!("{e}?template=acknowledgement")).await;
    assert_eq!(page.status, StatusCode::OK);
    let (template, subject, text) = reply_fields(&page, &ana.id);
    assert_eq!(template, "acknowledgement");
    assert_eq!(subject, "We have your enquiry");
    assert!(text.contains("Hello Ana Rahimi,"), "{text}");
    assert!(
        text.contains(&ana.reference),
        "the person's own reference: {text}"
    );
    assert!(
        text.contains("help.example.org/inbox") && !text.contains(SLUG),
        "the slug-free inbox address: {text}"
    );
    assert!(
        text.contains("We have received your enquiry to Haven"),
        "the neutral name, not the programme's title: {text}"
    );
    assert!(!text.contains('{') && !text.contains(&omar.reference) && !text.contains("Omar"));

    let canary = "REPLYCANARY-5521 we will call you on Tuesday";
    let typed = format!("{text}\n\n{canary}.");
    let done = post_reply(&mut agent, &ana.id, &template, &subject, &typed).await;
    assert_replied(&done, &ana.id);

    // Stored sealed, with its template; one email queued, for Ana only.
    let replies = app.store.replies_of(&ana.id).await.unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].template_key.as_deref(), Some("acknowledgement"));
    assert_eq!(replies[0].campaign_id, None);
    assert_eq!(replies[0].author_id, agent.id);
    assert!(replies[0].emailed);
    assert!(!contains_bytes(
        &replies[0].sealed.ciphertext,
        canary.as_bytes()
    ));
    assert!(app.store.replies_of(&omar.id).await.unwrap().is_empty());
    assert_eq!(app.store.outbox_of_enquiry(&ana.id).await.unwrap().len(), 1);
    assert_eq!(count(&app, "outbox").await, 1, "exactly one outbox row");
    assert_eq!(enquiry_status(&app, &ana.id).await, "awaiting_reply");
    assert_eq!(enquiry_status(&app, &omar.id).await, "new");

    // Audited, without content.
    let audited = audit_actions(&app, "enquiry.reply").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].outcome, "ok");
    assert_eq!(audited[0].actor, format!("user:{}", agent.id));
    assert_eq!(audited[0].subject, format!("enquiry:{}", ana.id));
    for needle in [
        "REPLYCANARY",
        "Ana Rahimi",
        "ana.rahimi",
        ana.reference.as_str(),
    ] {
        assert!(
            !audited[0].detail.contains(needle),
            "{needle} in the audit detail"
        );
    }

    // What the SMTP server received: one message, to Ana only, saying only that
    // there is a reply and where to read it.
    let transactions = delivered(&app, &sink, 1).await;
    assert_eq!(transactions.len(), 1, "exactly one SMTP transaction");
    let t = &transactions[0];
    check_message(t, &ana, &everyone);
    let body = readable_text(&t.data);
    assert!(
        body.contains("help.example.org/inbox") && !body.contains(SLUG),
        "the email gives the slug-free reply inbox: {body}"
    );
    assert!(
        !body.contains("REPLYCANARY"),
        "minimal: no reply text in the email"
    );
    assert!(
        !body.contains("We have received your enquiry"),
        "minimal: no reply text"
    );
    assert!(
        !body.contains("We have your enquiry"),
        "minimal: not even the reply's subject"
    );
    assert!(!body.contains(&ana.reference), "minimal: no reference code");
    assert!(
        !find_reference_codes(&body).contains(&ana.canonical_reference()),
        "minimal: no reference code, in any spelling"
    );
    let rows = app.store.outbox_of_enquiry(&ana.id).await.unwrap();
    assert_eq!(rows[0].state, "sent");

    // Ana reads the reply in her inbox…
    let (status, inbox) = open_inbox(&app, SLUG, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains(canary), "the reply text in the inbox");
    assert!(inbox.contains("Hello Ana Rahimi,"));
    assert!(
        inbox.contains("We have your enquiry"),
        "the reply's subject in the inbox"
    );
    // …nobody without her passphrase does (Omar's is a valid one, just not hers)…
    for wrong in [
        omar.passphrase.clone(),
        Passphrase::generate().expose_display(),
    ] {
        let (status, page) = open_inbox(&app, SLUG, &ana.reference, &wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!page.contains("REPLYCANARY") && !page.contains("Ana Rahimi"));
    }
    // …and Omar's own inbox does not show it.
    let (status, page) = open_inbox(&app, SLUG, &omar.reference, &omar.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("REPLYCANARY") && !page.contains("Ana Rahimi"));

    // Nowhere in the database in clear.
    assert_not_stored_in_clear(&app, "REPLYCANARY-5521").await;
}

// ── 2 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn in_full_mode_the_email_carries_the_reply_in_the_persons_language() {
    let (app, sink) = haven(&[(SLUG, "minimal"), (FULL, "full")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent, FULL).await;
    let lena = enquire(
        &app,
        FULL,
        Some("lena.haidari@example.fr"),
        "fr",
        "other",
        "Lena Haidari",
    )
    .await;
    let ana = enquire(
        &app,
        FULL,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let everyone = vec![lena.clone(), ana.clone()];

    let page = agent
        .get(&format!("/console/e/{}?template=acknowledgement", lena.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let (template, subject, text) = reply_fields(&page, &lena.id);
    assert_eq!(template, "acknowledgement");
    assert_eq!(subject, "Nous avons reçu votre demande", "in her language");
    assert!(text.contains("Bonjour Lena Haidari,"), "{text}");
    assert!(
        text.contains("help.example.org/inbox") && !text.contains(FULL),
        "{text}"
    );

    let typed = format!("{text}\n\nREPLYCANARY-8830 nous vous appellerons mardi.");
    let done = post_reply(&mut agent, &lena.id, &template, &subject, &typed).await;
    assert_replied(&done, &lena.id);
    assert_eq!(
        app.store.outbox_of_enquiry(&lena.id).await.unwrap().len(),
        1
    );
    assert_eq!(count(&app, "outbox").await, 1);

    let transactions = delivered(&app, &sink, 1).await;
    assert_eq!(transactions.len(), 1);
    let t = &transactions[0];
    check_message(t, &lena, &everyone);
    let parsed = mail_parser::MessageParser::default()
        .parse(&t.data)
        .unwrap();
    assert_eq!(parsed.subject(), Some("Nous avons reçu votre demande"));
    let body = readable_text(&t.data);
    assert!(
        body.contains("REPLYCANARY-8830 nous vous appellerons mardi."),
        "{body}"
    );
    assert!(body.contains("Bonjour Lena Haidari,"), "{body}");
    assert!(!body.contains("Ana Rahimi"));

    let (status, inbox) = open_inbox(&app, FULL, &lena.reference, &lena.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("REPLYCANARY-8830"));
}

// ── 3 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn an_inbox_only_enquiry_gets_its_replies_in_the_inbox_and_no_email() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent, SLUG).await;
    let zoe = enquire(&app, SLUG, None, "en", "other", "Zoe Ahmadi").await;

    let done = post_reply(
        &mut agent,
        &zoe.id,
        "",
        "First answer",
        "Hello Zoe, REPLYCANARY-3141 we have your enquiry.",
    )
    .await;
    assert_replied(&done, &zoe.id);
    let page = agent
        .get(&format!("/console/e/{}?template=documents", zoe.id))
        .await;
    let (template, subject, text) = reply_fields(&page, &zoe.id);
    assert_eq!(template, "documents");
    assert!(text.contains("Hello Zoe Ahmadi,"));
    let done = post_reply(&mut agent, &zoe.id, &template, &subject, &text).await;
    assert_replied(&done, &zoe.id);

    let replies = app.store.replies_of(&zoe.id).await.unwrap();
    assert_eq!(replies.len(), 2);
    assert!(replies.iter().all(|r| !r.emailed));
    assert_eq!(
        count(&app, "outbox").await,
        0,
        "no email for an inbox-only enquiry"
    );
    assert_eq!(enquiry_status(&app, &zoe.id).await, "awaiting_reply");

    let (status, inbox) = open_inbox(&app, SLUG, &zoe.reference, &zoe.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [
        "First answer",
        "REPLYCANARY-3141 we have your enquiry.",
        "We need some documents",
        "Hello Zoe Ahmadi,",
    ] {
        assert!(inbox.contains(shown), "{shown} in the inbox");
    }
    let (status, page) = open_inbox(
        &app,
        SLUG,
        &zoe.reference,
        &Passphrase::generate().expose_display(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.contains("REPLYCANARY") && !page.contains("First answer"));

    app.run_pending_jobs().await;
    assert!(sink.transactions().is_empty(), "nothing was sent");
    assert_not_stored_in_clear(&app, "REPLYCANARY-3141").await;
}

// ── 4 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn the_exposure_guard_refuses_a_reply_naming_another_enquirer() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = staff(&app, "lead@example.org", Supervisor, SLUG).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana.rahimi@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar.k@mail.example.af"),
        "en",
        "other",
        "Omar Karimi",
    )
    .await;
    let zoe = enquire(&app, SLUG, None, "en", "other", "Zoe Ahmadi").await;
    let everyone = vec![ana.clone(), omar.clone(), zoe.clone()];
    let omar_email = omar.email.clone().unwrap();
    let grouped_lower = omar.reference.to_lowercase().replace('-', " ");

    let cases: Vec<(&Person, String, String)> = vec![
        (
            &ana,
            "About your case".into(),
            format!("Please also write to {omar_email} about it. GUARD-A1"),
        ),
        (
            &ana,
            "About your case".into(),
            format!("Your case is linked to {}. GUARD-B2", omar.reference),
        ),
        (
            &ana,
            "About your case".into(),
            format!("Linked case: {grouped_lower} GUARD-C3"),
        ),
        (
            &ana,
            format!("Re: {}", omar_email.to_uppercase()),
            "See the subject. GUARD-D4".into(),
        ),
        (
            &ana,
            format!("Case {}", omar.canonical_reference()),
            "See the subject. GUARD-E5".into(),
        ),
        // Even a reply read only in the inbox names nobody else.
        (
            &zoe,
            "About your case".into(),
            format!("Omar is at <mailto:{omar_email}>. GUARD-F6"),
        ),
        (
            &zoe,
            "About your case".into(),
            format!("Same family as {}. GUARD-G7", ana.reference),
        ),
    ];
    for (to, subject, text) in &cases {
        let alerts_before = alerts(&app).await.len();
        let page = post_reply(&mut sup, &to.id, "", subject, text).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{subject} / {text}"
        );
        let shown = html_unescape(&page.body);
        assert!(
            shown.contains(text.as_str()),
            "the typed text is kept: {text}"
        );
        assert!(
            shown.contains(subject.as_str()),
            "the typed subject is kept: {subject}"
        );
        assert!(
            reply_form(&page.body, &to.id).is_some(),
            "the form is shown again"
        );
        assert!(
            app.store.replies_of(&to.id).await.unwrap().is_empty(),
            "no reply stored"
        );
        assert_eq!(count(&app, "replies").await, 0);
        assert_eq!(count(&app, "outbox").await, 0, "nothing queued");
        let now_alerts = alerts(&app).await;
        assert_eq!(now_alerts.len(), alerts_before + 1, "an alert for {text}");
        // The alert says what happened, not what it caught.
        let alert = &now_alerts[0];
        for leaked in [
            omar_email.as_str(),
            omar.reference.as_str(),
            &omar.canonical_reference(),
            ana.reference.as_str(),
            "GUARD-",
        ] {
            assert!(
                !alert.detail.to_lowercase().contains(&leaked.to_lowercase())
                    && !alert.subject.contains(leaked),
                "{leaked} in the alert"
            );
        }
    }
    assert_eq!(enquiry_status(&app, &ana.id).await, "new");
    assert!(
        audit_actions(&app, "enquiry.reply")
            .await
            .iter()
            .all(|e| e.outcome == "alert")
    );

    // An empty reply is refused too (not an alert).
    for blank in ["", "   \r\n  "] {
        let page = post_reply(&mut sup, &ana.id, "", "About your case", blank).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count(&app, "replies").await, 0);
    }

    // Ana's own address and code are fine in a reply to Ana.
    let own = format!(
        "We will write to {} about case {}. GUARD-OK",
        ana.email.clone().unwrap(),
        ana.reference
    );
    let page = post_reply(&mut sup, &ana.id, "", "About your case", &own).await;
    assert_replied(&page, &ana.id);
    assert_eq!(count(&app, "replies").await, 1);
    assert_eq!(count(&app, "outbox").await, 1);
    let transactions = delivered(&app, &sink, 1).await;
    assert_eq!(transactions.len(), 1);
    check_message(&transactions[0], &ana, &everyone);
    assert!(readable_text(&transactions[0].data).contains("GUARD-OK"));
}

// ── 5 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn line_breaks_in_a_typed_subject_never_make_a_header() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent, SLUG).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar@example.af"),
        "en",
        "other",
        "Omar Karimi",
    )
    .await;
    let everyone = vec![ana.clone(), omar.clone()];
    // Bcc to Ana's own address gets past the exposure guard; only the header check
    // can stop it.
    let subjects = [
        "Your documents\r\nBcc: ana@example.org\r\nX-Injected: yes",
        "Your documents\nBcc: ana@example.org",
        "Your documents\rX-Injected: yes",
        "Your documents\r\n\r\nInjected body",
    ];
    let mut accepted = 0;
    for subject in subjects {
        let page = post_reply(&mut agent, &ana.id, "", subject, "Hello Ana. HEADERCANARY").await;
        match page.status {
            StatusCode::SEE_OTHER => accepted += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {}
            other => panic!("{subject:?}: {other}"),
        }
        assert_eq!(count(&app, "outbox").await, accepted as i64);
        assert_eq!(count(&app, "replies").await, accepted as i64);
    }
    let transactions = delivered(&app, &sink, accepted).await;
    assert_eq!(
        transactions.len(),
        accepted,
        "one message per accepted reply"
    );
    for t in &transactions {
        check_message(t, &ana, &everyone);
        let names = header_names(&t.data);
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("x-injected") || n == "bcc" || n == "cc"),
            "{names:?}"
        );
        assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
        let parsed = mail_parser::MessageParser::default()
            .parse(&t.data)
            .unwrap();
        let subject = parsed.subject().unwrap_or("");
        assert!(!subject.contains(['\r', '\n']), "{subject:?}");
        assert!(subject.starts_with("Your documents"), "{subject:?}");
        assert!(parsed.header("X-Injected").is_none());
    }
}

// ── 6 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn who_may_reply_and_see_templates() {
    let (app, sink) = haven(&[(SLUG, "minimal"), (OTHER, "minimal")]).await;
    let mut agent_a = staff(&app, "a1@example.org", Agent, SLUG).await;
    let mut agent_a2 = staff(&app, "a2@example.org", Agent, SLUG).await;
    let mut sup_a = staff(&app, "sa@example.org", Supervisor, SLUG).await;
    let mut agent_b = staff(&app, "b1@example.org", Agent, OTHER).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(&app, SLUG, None, "en", "other", "Omar Karimi").await;
    let e = format!("/console/e/{}", ana.id);
    let reply = format!("{e}/reply");
    let fields = |text: &str| {
        vec![
            ("template", String::new()),
            ("subject", "Hello".to_string()),
            ("text", text.to_string()),
        ]
    };

    // Another programme: not found, whether reading the form or posting.
    assert_eq!(
        agent_b
            .get(&format!("{e}?template=acknowledgement"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = agent_b.post("/console", &reply, &fields("from B")).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // Templates: members see each template rendered for a sample; others, 404.
    let templates = format!("/console/p/{SLUG}/templates");
    assert_eq!(agent_b.get(&templates).await.status, StatusCode::NOT_FOUND);
    for s in [&mut agent_a, &mut sup_a] {
        let page = s.get(&templates).await;
        assert_eq!(page.status, StatusCode::OK, "{}", s.email);
        let body = html_unescape(&page.body);
        for shown in [
            "Acknowledgement",
            "Ask for documents",
            "We have your enquiry",
            "We need some documents",
            "We have received your enquiry to Haven",
            "To go further with your enquiry",
        ] {
            assert!(body.contains(shown), "{shown} on the templates page");
        }
    }

    // No token, a made-up token, or another session's token: forbidden.
    let token_b = extract_input(&agent_b.get("/console").await.body, "csrf").unwrap();
    let mut without: Vec<(&str, String)> = fields("no token");
    let res = agent_a.post_raw(&reply, &without).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    for token in ["forged".to_string(), token_b] {
        without.push(("csrf", token));
        let res = agent_a.post_raw(&reply, &without).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        without.pop();
    }
    assert_eq!(count(&app, "replies").await, 0);

    // Unclaimed: any agent of the programme may reply.
    let res = agent_a
        .post(
            "/console",
            &format!("/console/e/{}/reply", omar.id),
            &fields("to an unclaimed one"),
        )
        .await;
    assert_replied(&res, &omar.id);

    // Claimed by a2: a1 may not, a2 and the supervisor may.
    let claim = agent_a2.post(&e, &format!("{e}/claim"), &[]).await;
    assert_eq!(claim.status, StatusCode::SEE_OTHER);
    let res = agent_a.post("/console", &reply, &fields("not mine")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.replies_of(&ana.id).await.unwrap().is_empty());
    let res = agent_a2.post("/console", &reply, &fields("mine")).await;
    assert_replied(&res, &ana.id);
    // Someone else's claim: the supervisor too ticks "reply anyway" (issue 22).
    let res = sup_a
        .post("/console", &reply, &fields("from the supervisor"))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let mut anyway = fields("from the supervisor");
    anyway.push(("anyway", "1".to_string()));
    let res = sup_a.post("/console", &reply, &anyway).await;
    assert_replied(&res, &ana.id);

    let authors: BTreeSet<String> = app
        .store
        .replies_of(&ana.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.author_id)
        .collect();
    assert_eq!(
        authors,
        BTreeSet::from([agent_a2.id.clone(), sup_a.id.clone()])
    );
    assert_eq!(count(&app, "replies").await, 3);
    assert_eq!(count(&app, "outbox").await, 2, "one email per reply to Ana");
    assert_eq!(audit_actions(&app, "enquiry.reply").await.len(), 3);
    // And they go out, as the worker would send them.
    assert_eq!(delivered(&app, &sink, 2).await.len(), 2);
}
