//! The outbox, the worker and the transports, against a real SMTP server (the sink in
//! `smtp_sink.rs`) and a real database (SQLite, or PostgreSQL when
//! `HAVEN_TEST_POSTGRES_URL` is set).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use haven::app::{Role, Roles};
use haven::crypto::{Sealer, random_id};
use haven::domain::{EmailAddress, ReferenceCode};
use haven::enquiry::{ContactChoice, EnquiryContent};
use haven::outbound::{
    OutboundMessage, Recipient, Rendered, Transport, Worker, WorkerSettings, find_addresses,
    find_reference_codes,
};
use haven::programme::Answers;
use haven::store::{NewEnquiry, OutboxStatus, Store, SubmissionWriter, hour_of, now};

use crate::helpers::{SLUG, Settings, TestApp, spawn_with, valid_answers};
use crate::smtp_sink::{Fault, SmtpSink, Transaction};

const FROM: &str = "help@haven.example";

/// One enquiry as its author sees it: where replies go, and its reference code.
#[derive(Clone)]
struct Enquirer {
    enquiry_id: String,
    email: String,
    reference: ReferenceCode,
}

struct Fixture {
    app: TestApp,
    sealer: Sealer,
}

/// Public and console roles only: the tests start the workers they need themselves.
async fn fixture() -> Fixture {
    fixture_with(Roles::only(&[Role::Public, Role::Console]), &[]).await
}

async fn fixture_with(roles: Roles, env: &[(&'static str, &str)]) -> Fixture {
    let mut settings = Settings {
        roles,
        ..Settings::default()
    };
    settings.env.insert("HAVEN_RATE_LIMIT", "off".to_string());
    for (k, v) in env {
        settings.env.insert(k, v.to_string());
    }
    let app = spawn_with(settings).await;
    let programme = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .expect("programme");
    let sealer = Sealer::new(&programme.key_id, &programme.recipient).unwrap();
    Fixture { app, sealer }
}

fn test_settings(name: &str) -> WorkerSettings {
    WorkerSettings {
        name: name.to_owned(),
        concurrency: 8,
        batch_size: 32,
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        rate: None,
        retry_base: Duration::ZERO,
        retry_max: Duration::ZERO,
        max_attempts: 6,
        stop_timeout: Duration::from_secs(5),
        mail_from: None,
    }
}

impl Fixture {
    fn store(&self) -> &Store {
        &self.app.store
    }

    async fn worker(&self, sink: &SmtpSink, settings: WorkerSettings) -> Worker {
        self.worker_on(self.store().clone(), sink, settings).await
    }

    /// Runs a worker with `settings` until nothing is due (`Worker::run_until_idle`):
    /// every row sent, failed, or retried for later, and recorded. Retries in these
    /// settings have no back-off, so a row retried by mistake is sent again before
    /// this returns.
    async fn drain(&self, sink: &SmtpSink, settings: WorkerSettings) {
        self.try_drain(sink, settings).await.unwrap();
    }

    async fn try_drain(
        &self,
        sink: &SmtpSink,
        settings: WorkerSettings,
    ) -> Result<(), haven::outbound::DrainError> {
        Worker::on_demand(
            self.store().clone(),
            &self.app.keyring().await,
            Transport::smtp(&sink.url(), settings.concurrency as u32).unwrap(),
            settings,
            std::sync::Arc::new(haven::metrics::Metrics::new()),
        )
        .run_until_idle()
        .await
    }

    async fn worker_on(&self, store: Store, sink: &SmtpSink, settings: WorkerSettings) -> Worker {
        Worker::spawn(
            store,
            &self.app.keyring().await,
            Transport::smtp(&sink.url(), settings.concurrency as u32).unwrap(),
            settings,
        )
    }

    /// Posts the public form choosing email replies, as a person would, and reads the
    /// enquiry back as the console would.
    async fn enquire_over_http(&self, emails: &[&str]) -> Vec<Enquirer> {
        for email in emails {
            let mut fields = valid_answers();
            fields.retain(|(k, _)| *k != "contact_mode");
            fields.push(("contact_mode", "email".into()));
            fields.push(("contact_email", email.to_string()));
            let (status, _) = self.app.submit(&fields).await;
            assert_eq!(status, reqwest::StatusCode::OK);
        }
        let keyring = self.app.keyring().await;
        let mut out = Vec::new();
        for record in self
            .store()
            .enquiries_of_programme(&self.app.programme_id().await)
            .await
            .unwrap()
        {
            let content = crate::helpers::open_enquiry(&keyring, &record)
                .await
                .unwrap();
            out.push(Enquirer {
                enquiry_id: record.id,
                email: content.email.expect("email contact"),
                reference: ReferenceCode::parse(&content.reference).unwrap(),
            });
        }
        assert_eq!(out.len(), emails.len());
        // Tests of sending, not of confirming: every address is one the person confirmed
        // (which also drops the confirmation codes the form asked for).
        crate::helpers::confirmed::confirm_every_address(&self.app).await;
        out
    }

    /// Writes sealed enquiries straight through the store (what intake would write),
    /// for tests that need many.
    async fn enquire_directly(&self, n: usize) -> Vec<Enquirer> {
        let programme_id = self.app.programme_id().await;
        let writer = SubmissionWriter::spawn(self.store().clone());
        let mut pending = tokio::task::JoinSet::new();
        let mut out = Vec::new();
        for i in 0..n {
            let reference = ReferenceCode::generate();
            let email = format!("person{i}.{}@example{}.org", &random_id()[..6], i % 7);
            let contact = ContactChoice::Email(EmailAddress::parse(&email).unwrap());
            let content = EnquiryContent::new(&reference, "en", Answers::default(), &contact);
            let id = random_id();
            let enquiry = NewEnquiry {
                id: id.clone(),
                programme_id: programme_id.clone(),
                form_version: 1,
                reference_hash: random_id().into_bytes(),
                passphrase_hash: random_id().into_bytes(),
                queue: "general".into(),
                priority: 3,
                language: "en".into(),
                source: "web",
                has_email: true,
                contact_index: None,
                inbox_recipient: None,
                sealed: content.seal(&self.sealer).unwrap(),
                created_hour: hour_of(now()),
                own_copy: None,
            };
            let writer = writer.clone();
            pending.spawn(async move { writer.submit(enquiry).await });
            out.push(Enquirer {
                enquiry_id: id,
                email,
                reference,
            });
        }
        while let Some(done) = pending.join_next().await {
            done.unwrap().unwrap();
        }
        // Tests of sending, not of confirming: every address is one the person confirmed.
        crate::helpers::confirmed::confirm_every_address(&self.app).await;
        out
    }

    /// Queues one reply per enquirer, as a campaign: one transaction.
    async fn queue_replies(&self, enquirers: &[Enquirer]) -> String {
        let messages: Vec<(String, OutboundMessage)> = enquirers
            .iter()
            .map(|e| (e.enquiry_id.clone(), reply_to(e)))
            .collect();
        let campaign = random_id();
        let new = crate::helpers::queue_campaign(
            self.store(),
            &self.sealer,
            &campaign,
            messages.iter().map(|(id, m)| (id.as_str(), m)),
        )
        .await;
        assert_eq!(new, enquirers.len());
        campaign
    }

    async fn rows_of(&self, e: &Enquirer) -> Vec<OutboxStatus> {
        self.store().outbox_of_enquiry(&e.enquiry_id).await.unwrap()
    }

    /// Waits until no row is queued or being sent, for the tests of workers running
    /// on their own schedule (two at once, one killed and its leases running out),
    /// where there is nothing to drain: the workers under test do the work.
    async fn wait_settled(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let c = self.store().outbox_counts().await.unwrap();
            if c.queued == 0 && c.sending == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "outbox not settled in time: {c:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn reply_to(e: &Enquirer) -> OutboundMessage {
    let rendered = Rendered {
        subject: "A reply to your enquiry".into(),
        text: format!(
            "Hello,\n\nThere is a reply to your enquiry {}.\nSign in with your reference code and passphrase to read it.\n",
            e.reference
        ),
        html: Some(format!(
            "<p>There is a reply to your enquiry <b>{}</b>.</p>",
            e.reference
        )),
    };
    OutboundMessage::new(
        &EmailAddress::parse(FROM).unwrap(),
        "Haven help desk",
        Recipient::new(EmailAddress::parse(&e.email).unwrap()),
        &rendered,
        Some(&e.reference),
    )
    .unwrap()
}

/// Header lines (unfolded) of a raw message.
fn header_names(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    head.split("\r\n")
        .filter(|l| !l.starts_with([' ', '\t']) && !l.is_empty())
        .map(|l| l.split(':').next().unwrap_or("").to_ascii_lowercase())
        .collect()
}

/// Everything the recipient could read: the raw bytes and the decoded parts.
fn readable_text(raw: &[u8]) -> String {
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

/// The checks every message the sink receives must pass: one envelope recipient,
/// one address in To, no Cc or Bcc, no other enquirer's address or code.
fn check_one_recipient(
    t: &Transaction,
    expected: &Enquirer,
    all_addresses: &HashSet<String>,
    all_codes: &HashSet<String>,
) {
    assert_eq!(t.rcpt.len(), 1, "exactly one RCPT TO");
    assert_eq!(t.rcpt[0], expected.email);
    assert_eq!(t.from, FROM);
    let parsed = mail_parser::MessageParser::default()
        .parse(&t.data)
        .expect("message parses");
    let to: Vec<String> = parsed
        .to()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.address())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(to, vec![expected.email.clone()], "one address in To");
    assert!(parsed.cc().is_none() && parsed.bcc().is_none());
    let names = header_names(&t.data);
    assert_eq!(names.iter().filter(|n| *n == "to").count(), 1);
    assert!(!names.iter().any(|n| n == "cc" || n == "bcc"), "{names:?}");

    let text = readable_text(&t.data);
    let own = expected.email.to_lowercase();
    for address in find_addresses(&text) {
        assert!(
            address == own || !all_addresses.contains(&address),
            "another enquirer's address in a message"
        );
    }
    for code in find_reference_codes(&text) {
        assert!(
            code == expected.reference.canonical() || !all_codes.contains(&code),
            "another enquiry's reference code in a message"
        );
    }
    assert!(text.contains(&expected.reference.display()));
}

fn by_recipient(transactions: &[Transaction]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for t in transactions {
        for r in &t.rcpt {
            *counts.entry(r.clone()).or_insert(0) += 1;
        }
    }
    counts
}

#[tokio::test]
async fn outbound_thousand_enquiries_get_one_message_each_and_nothing_else() {
    let f = fixture().await;
    // A few through the real form, the rest written directly (1,000 form posts would
    // dominate the suite's time in a debug build without testing anything new here).
    let mut enquirers = f
        .enquire_over_http(&["Ana@example.org", "omar.k@mail.example.af"])
        .await;
    enquirers.extend(f.enquire_directly(998).await);
    let campaign = f.queue_replies(&enquirers).await;
    let counts = f
        .store()
        .outbox_counts_for_campaign(&campaign)
        .await
        .unwrap();
    assert_eq!(counts.queued, 1000);

    let sink = SmtpSink::start().await;
    f.drain(
        &sink,
        WorkerSettings {
            concurrency: 16,
            batch_size: 64,
            ..test_settings("w1")
        },
    )
    .await;

    let transactions = sink.transactions();
    assert_eq!(transactions.len(), 1000, "exactly 1000 SMTP transactions");
    let all_addresses: HashSet<String> = enquirers.iter().map(|e| e.email.to_lowercase()).collect();
    let all_codes: HashSet<String> = enquirers
        .iter()
        .map(|e| e.reference.canonical().to_owned())
        .collect();
    let by_email: HashMap<&str, &Enquirer> =
        enquirers.iter().map(|e| (e.email.as_str(), e)).collect();
    let mut seen = HashSet::new();
    for t in &transactions {
        assert!(t.accepted);
        let expected = by_email[t.rcpt[0].as_str()];
        check_one_recipient(t, expected, &all_addresses, &all_codes);
        assert!(seen.insert(expected.enquiry_id.clone()), "sent twice");
    }
    assert_eq!(seen.len(), 1000);
    let counts = f
        .store()
        .outbox_counts_for_campaign(&campaign)
        .await
        .unwrap();
    assert_eq!((counts.sent, counts.total()), (1000, 1000));
}

#[tokio::test]
async fn outbound_temporary_refusals_are_retried_and_delivered_once() {
    let f = fixture().await;
    let e = f.enquire_over_http(&["ana@example.org"]).await;
    let sink = SmtpSink::start().await;
    sink.fail_nth(1, Fault::Reply(421));
    sink.fail_nth(2, Fault::Reply(451));
    f.queue_replies(&e).await;
    f.drain(&sink, test_settings("w1")).await;

    assert_eq!(sink.accepted_count(), 1, "delivered exactly once");
    let tries: Vec<bool> = sink.transactions().iter().map(|t| t.accepted).collect();
    assert_eq!(tries, vec![false, false, true]);
    let rows = f.rows_of(&e[0]).await;
    assert_eq!(rows[0].state, "sent");
    assert!(rows[0].attempts >= 3);
    assert_eq!(rows[0].last_error, None);
}

#[tokio::test]
async fn outbound_permanent_refusal_fails_with_a_reason_and_is_not_retried() {
    let f = fixture().await;
    let e = f
        .enquire_over_http(&["gone@example.org", "ana@example.org"])
        .await;
    let sink = SmtpSink::start().await;
    sink.fail_recipient("gone@example.org", usize::MAX, Fault::Reply(550));
    f.queue_replies(&e).await;
    // A wrongly retried message would be due at once (no back-off here), and sent
    // again before the drain returns.
    f.drain(&sink, test_settings("w1")).await;
    f.app.expect_failed_jobs(1);

    let gone = e.iter().find(|x| x.email == "gone@example.org").unwrap();
    let rows = f.rows_of(gone).await;
    assert_eq!(rows[0].state, "failed");
    assert_eq!(rows[0].attempts, 1);
    let reason = rows[0].last_error.clone().unwrap();
    assert!(reason.contains("550"), "{reason}");
    assert!(!reason.contains('@'), "no address in the reason: {reason}");
    let counts = by_recipient(&sink.transactions());
    assert_eq!(counts["gone@example.org"], 1, "not retried");
    assert_eq!(counts["ana@example.org"], 1);
    let totals = f.store().outbox_counts().await.unwrap();
    assert_eq!((totals.sent, totals.failed), (1, 1));
}

#[tokio::test]
async fn outbound_a_connection_dropped_mid_data_is_retried_and_delivered() {
    let f = fixture().await;
    let e = f.enquire_over_http(&["ana@example.org"]).await;
    let sink = SmtpSink::start().await;
    sink.fail_nth(1, Fault::DropMidData);
    f.queue_replies(&e).await;
    f.drain(&sink, test_settings("w1")).await;

    assert_eq!(sink.accepted_count(), 1);
    assert!(!sink.transactions()[0].accepted);
    assert_eq!(f.rows_of(&e[0]).await[0].state, "sent");
}

#[tokio::test]
async fn outbound_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_what_was_in_flight() {
    let f = fixture().await;
    let enquirers = f.enquire_directly(120).await;
    f.queue_replies(&enquirers).await;
    let sink = SmtpSink::start().await;
    // Slow acceptance keeps messages in flight when the worker dies.
    sink.set_delay(Duration::from_millis(100));
    // The dead worker's rows come back when its lease ends: keep it short. (Leases are
    // whole seconds, so a 1 s lease can end at once and the worker would retake rows
    // it is still sending.)
    let short_lease = WorkerSettings {
        lease: Duration::from_secs(3),
        ..test_settings("first")
    };
    let first = f.worker(&sink, short_lease).await;
    assert!(sink.wait_for_accepted(30, Duration::from_secs(60)).await);
    // Sends finish together (same delay), so between two rounds nothing may be in
    // flight: kill it while the sink holds a message unanswered.
    assert!(sink.wait_for_pending(Duration::from_secs(10)).await);
    first.abort().await;
    let in_flight = f.store().outbox_counts().await.unwrap().sending;
    let delivered_before = sink.accepted_count();
    assert!(delivered_before < 120, "killed before the end");
    assert!(in_flight > 0, "killed with messages in flight");

    sink.set_delay(Duration::ZERO);
    let second = f.worker(&sink, test_settings("second")).await;
    assert!(sink.wait_for_accepted(120, Duration::from_secs(60)).await);
    f.wait_settled(Duration::from_secs(30)).await;
    second.stop().await;

    let counts = by_recipient(&sink.accepted());
    for e in &enquirers {
        assert!(counts.get(&e.email).copied().unwrap_or(0) >= 1, "lost");
    }
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    assert!(
        duplicates as i64 <= in_flight,
        "{duplicates} duplicates but only {in_flight} rows were in flight"
    );
    assert_eq!(f.store().outbox_counts().await.unwrap().sent, 120);
}

#[tokio::test]
async fn outbound_two_workers_on_one_database_never_send_a_row_twice() {
    let f = fixture().await;
    let enquirers = f.enquire_directly(300).await;
    f.queue_replies(&enquirers).await;
    let sink = SmtpSink::start().await;
    // Two connection pools, as two processes would have.
    let other_store = Store::connect(&f.app.config.database).await.unwrap();
    let small_batches = |name: &str| WorkerSettings {
        batch_size: 4,
        concurrency: 4,
        ..test_settings(name)
    };
    let a = f.worker(&sink, small_batches("a")).await;
    let b = f
        .worker_on(other_store.clone(), &sink, small_batches("b"))
        .await;
    assert!(sink.wait_for_accepted(300, Duration::from_secs(120)).await);
    f.wait_settled(Duration::from_secs(30)).await;
    a.stop().await;
    b.stop().await;

    let transactions = sink.transactions();
    assert_eq!(transactions.len(), 300);
    let counts = by_recipient(&transactions);
    assert_eq!(counts.len(), 300);
    assert!(counts.values().all(|n| *n == 1), "a row was sent twice");
    other_store.close().await;
}

#[tokio::test]
async fn outbound_without_a_relay_messages_land_as_files_one_per_row() {
    // All roles, as `haven serve` runs: the built-in worker (run here when the test
    // says) sends to the file outbox.
    let f = fixture_with(Roles::all(), &[("HAVEN_SMTP_RATE", "off")]).await;
    let e = f
        .enquire_over_http(&["ana@example.org", "omar@example.af", "lena@example.ua"])
        .await;
    f.queue_replies(&e).await;
    f.app.run_pending_jobs().await;

    let dir = f.app.config.data_dir.join("outbox");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = Vec::new();
    for x in &e {
        let rows = f.rows_of(x).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].state, "sent");
        expected.push(format!("{}.eml", rows[0].id));
        let raw = std::fs::read(dir.join(format!("{}.eml", rows[0].id))).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let to = parsed
            .to()
            .unwrap()
            .first()
            .unwrap()
            .address()
            .unwrap()
            .to_owned();
        assert_eq!(to, x.email);
    }
    expected.sort();
    assert_eq!(names, expected, "one file per row and no temporary files");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(&names[0]))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "outbox files are private");
    }
}

#[tokio::test]
async fn outbound_line_breaks_in_a_subject_or_name_never_make_a_header() {
    let f = fixture().await;
    let e = f
        .enquire_over_http(&["ana@example.org", "omar@example.af"])
        .await;
    let from = EmailAddress::parse(FROM).unwrap();
    let ana = e.iter().find(|x| x.email == "ana@example.org").unwrap();
    let omar = e.iter().find(|x| x.email == "omar@example.af").unwrap();

    // CR or LF anywhere in a header text: no message at all.
    for (subject, name) in [
        ("Hi\r\nBcc: omar@example.af", "Haven"),
        ("Hi\nX-Injected: yes", "Haven"),
        ("Hi\rX-Injected: yes", "Haven"),
        ("Hi", "Haven\r\nX-Injected: yes"),
    ] {
        let r = OutboundMessage::new(
            &from,
            name,
            Recipient::new(EmailAddress::parse(&ana.email).unwrap()),
            &Rendered {
                subject: subject.into(),
                text: "x".into(),
                html: None,
            },
            None,
        );
        assert!(r.is_err(), "{subject:?} / {name:?} was accepted");
    }

    // Other line-breaking characters are encoded, not obeyed.
    let subject = "Reply\u{2028}X-Injected: yes\u{85}X-Other: no\u{2029}, \t «تماس» — a long subject that has to be folded over more than one line by the encoder";
    let name = "Haven \"help\"\u{2028}X-Injected: yes";
    let message = OutboundMessage::new(
        &from,
        name,
        Recipient::new(EmailAddress::parse(&ana.email).unwrap()),
        &Rendered {
            subject: subject.into(),
            text: "Body".into(),
            html: None,
        },
        None,
    )
    .unwrap();
    crate::helpers::queue_message(f.store(), &f.sealer, &ana.enquiry_id, "reply:a", &message).await;

    // A row queued by something that skipped the checks (anyone with the programme's
    // public key can seal): the worker's rebuild refuses it, and it is audited.
    let forged = serde_json::json!({
        "to": omar.email, "from": FROM, "from_name": "Haven",
        "subject": "Hi\r\nBcc: ana@example.org", "text": "x", "html": null, "reference": null,
    });
    let row = haven::store::NewOutboxRow {
        id: random_id(),
        enquiry_id: omar.enquiry_id.clone(),
        campaign_id: None,
        idempotency_key: "forged".into(),
        sealed: f.sealer.seal(forged.to_string().as_bytes()).unwrap(),
        created_at: now(),
    };
    haven::store::test_support::queue_outbox(f.store(), &[row])
        .await
        .unwrap();

    let sink = SmtpSink::start().await;
    f.drain(&sink, test_settings("w1")).await;
    f.app.expect_failed_jobs(1);

    let transactions = sink.transactions();
    assert_eq!(
        transactions.len(),
        1,
        "only the well-formed message was sent"
    );
    let t = &transactions[0];
    assert_eq!(t.rcpt, vec![ana.email.clone()]);
    let names = header_names(&t.data);
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("x-") || n == "bcc" || n == "cc"),
        "{names:?}"
    );
    assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
    let parsed = mail_parser::MessageParser::default()
        .parse(&t.data)
        .unwrap();
    // The subject survives as text (whitespace between RFC 2047 encoded words is not
    // significant, so compare without it).
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    assert_eq!(parsed.subject().map(squash), Some(squash(subject)));

    let forged_rows = f.rows_of(omar).await;
    assert_eq!(forged_rows[0].state, "failed");
    assert!(
        forged_rows[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("refused")
    );
    let audited: i64 = haven::store::test_support::scalar(
        f.store(),
        "SELECT COUNT(*) FROM audit_log WHERE action = 'outbound.refused' AND outcome = 'denied'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn outbound_enqueueing_is_idempotent_and_the_rate_limit_holds() {
    let f = fixture().await;
    let e = f.enquire_directly(30).await;
    let campaign = f.queue_replies(&e).await;
    // The same campaign dispatched again queues nothing new.
    let again: Vec<(String, OutboundMessage)> = e
        .iter()
        .map(|x| (x.enquiry_id.clone(), reply_to(x)))
        .collect();
    let new = crate::helpers::queue_campaign(
        f.store(),
        &f.sealer,
        &campaign,
        again.iter().map(|(id, m)| (id.as_str(), m)),
    )
    .await;
    assert_eq!(new, 0);
    assert!(
        !crate::helpers::queue_message(
            f.store(),
            &f.sealer,
            &e[0].enquiry_id,
            &format!("campaign:{campaign}:{}", e[0].enquiry_id),
            &again[0].1,
        )
        .await
    );
    assert_eq!(f.store().outbox_counts().await.unwrap().queued, 30);

    // 20 per second, burst 20: the last 10 need at least half a second more.
    let sink = SmtpSink::start().await;
    let started = Instant::now();
    let worker = f
        .worker(
            &sink,
            WorkerSettings {
                rate: std::num::NonZeroU32::new(20),
                ..test_settings("w1")
            },
        )
        .await;
    assert!(sink.wait_for_accepted(30, Duration::from_secs(30)).await);
    let took = started.elapsed();
    worker.stop().await;
    assert!(took >= Duration::from_millis(450), "took only {took:?}");
    assert_eq!(sink.transactions().len(), 30);
}

// ── The check every test ends with ─────────────────────────────────────────────

#[tokio::test]
#[should_panic(expected = "background jobs were left unprocessed")]
async fn a_test_that_leaves_a_queued_message_unsent_fails_when_it_ends() {
    let f = fixture_with(Roles::all(), &[]).await;
    let e = f.enquire_directly(1).await;
    f.queue_replies(&e).await;
}

#[tokio::test]
#[should_panic(expected = "background jobs that failed")]
async fn a_test_whose_message_failed_unexpectedly_fails_when_it_ends() {
    let f = fixture_with(Roles::all(), &[]).await;
    let e = f.enquire_directly(1).await;
    // Sealed without the checks: the worker refuses it and fails the row.
    let forged = serde_json::json!({
        "to": e[0].email, "from": FROM, "from_name": "Haven",
        "subject": "Hi\r\nBcc: x@example.org", "text": "x", "html": null, "reference": null,
    });
    let row = haven::store::NewOutboxRow {
        id: random_id(),
        enquiry_id: e[0].enquiry_id.clone(),
        campaign_id: None,
        idempotency_key: "forged".into(),
        sealed: f.sealer.seal(forged.to_string().as_bytes()).unwrap(),
        created_at: now(),
    };
    haven::store::test_support::queue_outbox(f.store(), &[row])
        .await
        .unwrap();
    f.app.run_pending_jobs().await;
    assert_eq!(f.store().outbox_counts().await.unwrap().failed, 1);
}

#[tokio::test]
async fn a_drain_whose_claims_keep_failing_says_so_instead_of_spinning() {
    let f = fixture().await;
    let e = f.enquire_directly(1).await;
    f.queue_replies(&e).await;
    let (refuse, allow) = if crate::helpers::on_postgres() {
        (
            "CREATE FUNCTION refuse_claims() RETURNS trigger AS $$ BEGIN \
               RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_claims BEFORE UPDATE ON outbox \
               FOR EACH ROW EXECUTE FUNCTION refuse_claims()",
            "DROP TRIGGER refuse_claims ON outbox; DROP FUNCTION refuse_claims()",
        )
    } else {
        (
            "CREATE TRIGGER refuse_claims BEFORE UPDATE ON outbox \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
            "DROP TRIGGER refuse_claims",
        )
    };
    haven::store::test_support::execute(f.store(), refuse, &[])
        .await
        .unwrap();
    let sink = SmtpSink::start().await;
    let stuck = f.try_drain(&sink, test_settings("w1")).await;
    assert!(
        matches!(stuck, Err(haven::outbound::DrainError::Stuck(1))),
        "{stuck:?}"
    );
    // With claims working again, the same drain sends it.
    haven::store::test_support::execute(f.store(), allow, &[])
        .await
        .unwrap();
    f.drain(&sink, test_settings("w1")).await;
    assert_eq!(sink.accepted_count(), 1);
}
