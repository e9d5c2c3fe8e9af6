//! Mail that does not say who the person wrote to (issue 19, items 2 and 3): every
//! email to an enquirer (a notice of a reply, a full reply, a campaign's message) comes
//! from the neutral sender, names neither the programme's title, nor its slug, nor a
//! queue, in any header or in its text, gives the slug-free inbox as an address to
//! type, and ends with the line that Haven never asks for the passphrase by email.
//! A programme may name itself only when an instance admin opts in, with their
//! password, audited by name. Through real HTTP, Haven's own worker and the SMTP sink.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::campaigns::{created, decide};
use crate::helpers::{SLUG, html_unescape};
use crate::programmes::{audit, exported, page_of, version_of};
use crate::replies::{
    FROM, FULL, OTHER, PUBLIC, Person, assert_replied, delivered, enquire, enquire_unconfirmed,
    haven, open_inbox, post_reply, readable_text, reply_fields,
};
use crate::smtp_sink::Transaction;
use crate::staff::{PASSWORD, Staff, signed_in};

/// The example programme's titles in every language it has, and its queues' names.
const TITLES: [&str; 4] = [
    "Afghanistan: request for help to leave and resettle",
    "Afghanistan : demande d'aide pour quitter le pays et se réinstaller",
    "افغانستان: درخواست کمک برای خروج از کشور و اسکان مجدد",
    "افغانستان: له هېواده د وتلو او بیا مېشتېدو لپاره د مرستې غوښتنه",
];
const QUEUE_NAMES: [&str; 5] = [
    "Urgent: immediate danger",
    "Former staff and interpreters",
    "Family reunion",
    "General enquiries",
    "Demandes générales",
];

/// The From header's display name, decoded.
fn from_name(raw: &[u8]) -> String {
    let parsed = mail_parser::MessageParser::default().parse(raw).unwrap();
    parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|m| m.name())
        .unwrap_or("")
        .to_owned()
}

fn header(raw: &[u8], name: &str) -> String {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let prefix = format!("{}:", name.to_ascii_lowercase());
    head.split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_owned())
        .unwrap_or_default()
}

/// One email to `to`: from the neutral sender, naming nothing of `slug`'s programme
/// (its title, its slug, any queue, the person's own queue key), giving the inbox as
/// an address to type, and ending with the line against phishing.
fn assert_neutral(t: &Transaction, to: &Person, slug: &str) {
    assert_eq!(t.rcpt, vec![to.email.clone().unwrap()]);
    assert_eq!(t.from, FROM);
    assert_eq!(from_name(&t.data), "Haven", "the neutral sender name");
    let message_id = header(&t.data, "message-id");
    assert!(
        message_id.ends_with("@haven.example>"),
        "the Message-ID host is the sending domain: {message_id}"
    );
    let text = readable_text(&t.data);
    let lower = text.to_lowercase();
    for needle in TITLES.iter().chain(QUEUE_NAMES.iter()) {
        assert!(
            !text.contains(needle),
            "{needle:?} in the email to {}",
            to.name
        );
    }
    for needle in [slug, "afghanistan", "/p/", &format!("queue: {}", to.queue)] {
        assert!(
            !lower.contains(needle),
            "{needle:?} in the email to {}: {text}",
            to.name
        );
    }
    // The inbox as text to type: the host and `/inbox`, no scheme, no link.
    assert!(text.contains("help.example.org/inbox"), "{text}");
    assert!(!text.contains(&format!("{PUBLIC}/inbox")), "{text}");
    assert!(!lower.contains("href"), "a link in the email: {text}");
    assert!(
        text.contains("We will never ask for your passphrase by email")
            || text.contains("Nous ne vous demanderons jamais votre phrase secrète"),
        "the line against phishing: {text}"
    );
}

async fn transactions_to(
    app: &crate::helpers::TestApp,
    sink: &crate::smtp_sink::SmtpSink,
    n: usize,
    to: &Person,
) -> Vec<Transaction> {
    delivered(app, sink, n)
        .await
        .into_iter()
        .filter(|t| t.rcpt.first() == to.email.as_ref())
        .collect()
}

async fn reply_from_template(agent: &mut Staff, person: &Person) {
    let page = agent
        .get(&format!(
            "/console/e/{}?template=acknowledgement",
            person.id
        ))
        .await;
    let (template, subject, text) = reply_fields(&page, &person.id);
    let done = post_reply(agent, &person.id, &template, &subject, &text).await;
    assert_replied(&done, &person.id);
}

#[tokio::test]
async fn no_email_to_an_enquirer_names_the_programme() {
    let (app, sink) = haven(&[(SLUG, "minimal"), (FULL, "full")]).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut agent_full = signed_in(&app, "agent2@example.org", Agent, Some(FULL)).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;

    // A notice of a reply (minimal), in English and in French.
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana R").await;
    let zoe = enquire(
        &app,
        SLUG,
        Some("zoe@example.fr"),
        "fr",
        "family_reunion",
        "Zoe M",
    )
    .await;
    reply_from_template(&mut agent, &ana).await;
    reply_from_template(&mut agent, &zoe).await;
    // A full reply: the template's `{programme}` and `{inbox_url}` are neutral too.
    let omar = enquire(
        &app,
        FULL,
        Some("omar@example.net"),
        "en",
        "other",
        "Omar K",
    )
    .await;
    reply_from_template(&mut agent_full, &omar).await;

    let all = delivered(&app, &sink, 3).await;
    assert_eq!(all.len(), 3);
    for (person, slug) in [(&ana, SLUG), (&zoe, SLUG), (&omar, FULL)] {
        let mine: Vec<&Transaction> = all
            .iter()
            .filter(|t| t.rcpt.first() == person.email.as_ref())
            .collect();
        assert_eq!(mine.len(), 1, "{}", person.name);
        assert_neutral(mine[0], person, slug);
    }
    let full = readable_text(
        &all.iter()
            .find(|t| t.rcpt[0] == "omar@example.net")
            .unwrap()
            .data,
    );
    assert!(
        full.contains("We have received your enquiry to Haven"),
        "the full reply carries the text, with the neutral name: {full}"
    );

    // A campaign's messages, to the general queue.
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let mine = transactions_to(&app, &sink, 4, &ana).await;
    assert_eq!(mine.len(), 2, "the notice and the campaign's message");
    assert_neutral(&mine[1], &ana, SLUG);

    // The relay was greeted with the sending domain, never the machine's name.
    let hellos = sink.hello_names();
    assert!(!hellos.is_empty());
    assert!(
        hellos.iter().all(|h| h == "haven.example"),
        "EHLO names: {hellos:?}"
    );

    // The address the email gives opens the person's inbox, whatever the programme,
    // and the programme's own address still works.
    for (person, slug) in [(&ana, SLUG), (&omar, FULL)] {
        let (status, page) = open_inbox_at(&app, "/inbox", person).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("We have your enquiry"), "{page}");
        let (status, _) = open_inbox(&app, slug, &person.reference, &person.passphrase).await;
        assert_eq!(status, StatusCode::OK);
    }
}

/// Opens the reply inbox at `path` (`/inbox`) with the person's codes, as its form
/// posts (with the token of the page at that address).
async fn open_inbox_at(
    app: &crate::helpers::TestApp,
    path: &str,
    person: &Person,
) -> (StatusCode, String) {
    open_with(app, path, &person.reference, &person.passphrase).await
}

async fn open_with(
    app: &crate::helpers::TestApp,
    path: &str,
    reference: &str,
    passphrase: &str,
) -> (StatusCode, String) {
    let res = app
        .post_form(
            path,
            &[
                ("reference", reference.to_owned()),
                ("passphrase", passphrase.to_owned()),
            ],
        )
        .await;
    let status = res.status();
    (status, html_unescape(&res.text().await.unwrap()))
}

#[tokio::test]
async fn the_slug_free_inbox_finds_the_programme_and_refuses_alike() {
    let (app, _sink) = haven(&[(SLUG, "minimal"), (OTHER, "minimal")]).await;
    let ana = enquire(&app, SLUG, None, "en", "other", "Ana R").await;
    let bo = enquire(&app, OTHER, None, "fr", "other", "Bo L").await;

    let page = app.get("/inbox").await;
    assert_eq!(page.status(), StatusCode::OK);
    let body = html_unescape(&page.text().await.unwrap());
    assert!(body.contains("action=\"/inbox\""), "{body}");
    assert!(
        !body.contains(SLUG) && !body.contains("Afghanistan"),
        "{body}"
    );

    for person in [&ana, &bo] {
        let (status, page) = open_inbox_at(&app, "/inbox", person).await;
        assert_eq!(status, StatusCode::OK, "{}: {page}", person.name);
        assert!(
            page.contains("href=\"/inbox?lang="),
            "signing out stays at /inbox"
        );
        assert!(!page.contains(SLUG) && !page.contains(OTHER), "{page}");
    }
    // A wrong passphrase, or a code nobody has: the same refusal.
    let (wrong, _) = open_with(&app, "/inbox", &ana.reference, &bo.passphrase).await;
    let made_up = haven::domain::ReferenceCode::generate().display();
    let (unknown, _) = open_with(&app, "/inbox", &made_up, &ana.passphrase).await;
    assert_eq!(wrong, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown, StatusCode::UNPROCESSABLE_ENTITY);
    // The per-programme address does not open another programme's inbox.
    let (status, _) = open_inbox(&app, OTHER, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_an_instance_admin_with_their_password_lets_a_programme_name_itself() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut instance_admin = signed_in(&app, "root@example.org", Admin, None).await;
    let mut padmin = signed_in(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana R").await;

    let before = exported(&app, SLUG).await;
    assert!(
        !before.contains("sender = "),
        "neutral is the default: {before}"
    );
    let opted_in = before.replacen("[outbound]\n", "[outbound]\nsender = \"programme\"\n", 1);
    assert_ne!(opted_in, before);
    let toml_page = format!("{}/toml", page_of(SLUG));
    let post = async |staff: &mut Staff, password: Option<&str>| {
        let mut fields = vec![
            ("version", version_of(&app, SLUG).await.to_string()),
            ("definition", opted_in.clone()),
        ];
        if let Some(p) = password {
            fields.push(("current_password", p.to_owned()));
        }
        staff.post(&toml_page, &toml_page, &fields).await
    };

    // A programme admin may not, even with their password.
    let page = post(&mut padmin, Some(PASSWORD)).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(html_unescape(&page.body).contains("outbound.sender"));
    // An instance admin is asked for their password, naming the change.
    let page = post(&mut instance_admin, None).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    let body = html_unescape(&page.body);
    assert!(body.contains("outbound.sender"), "{body}");
    assert!(
        body.contains("emails to enquirers will name the programme"),
        "{body}"
    );
    assert_eq!(exported(&app, SLUG).await, before, "nothing saved yet");
    // With it, saved and audited by name.
    let page = post(&mut instance_admin, Some(PASSWORD)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(
        exported(&app, SLUG)
            .await
            .contains("sender = \"programme\"")
    );
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(entry.actor, format!("user:{}", instance_admin.id));
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert!(
        detail["widened"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "outbound.sender"),
        "{detail}"
    );
    assert_eq!(detail["reauthenticated"], true);

    // Now the email names the programme (it opted in), still with the line.
    reply_from_template(&mut agent, &ana).await;
    let all = delivered(&app, &sink, 1).await;
    assert_eq!(from_name(&all[0].data), TITLES[0]);
    let text = readable_text(&all[0].data);
    assert!(text.contains("We will never ask for your passphrase by email"));
}

// ── Stop buttons (issue 19, item 5) ──────────────────────────────────────────────

/// A Haven like `replies::haven`, whose worker sends one message at a time (one
/// connection), so that a pause lands in the middle of a campaign.
async fn one_at_a_time() -> (crate::helpers::TestApp, crate::smtp_sink::SmtpSink) {
    sending(&[("HAVEN_SMTP_CONNECTIONS", "1"), ("HAVEN_SMTP_RATE", "off")]).await
}

async fn sending(
    extra: &[(&'static str, &str)],
) -> (crate::helpers::TestApp, crate::smtp_sink::SmtpSink) {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let mut settings = crate::helpers::Settings {
        apply_example: false,
        ..Default::default()
    };
    for (k, v) in [
        ("HAVEN_RATE_LIMIT", "off".to_string()),
        ("HAVEN_MAIL_FROM", FROM.to_string()),
        ("HAVEN_PUBLIC_URL", PUBLIC.to_string()),
        ("HAVEN_SMTP_URL", sink.url()),
        ("HAVEN_STAFF_NOTICES", "off".to_string()),
    ] {
        settings.env.insert(k, v);
    }
    for (k, v) in extra {
        settings.env.insert(k, (*v).to_owned());
    }
    let app = crate::helpers::spawn_with(settings).await;
    crate::helpers::apply(
        &app.store,
        &app.config,
        &crate::replies::programme(SLUG, "minimal"),
    )
    .await;
    (app, sink)
}

async fn people(app: &crate::helpers::TestApp, n: usize) -> Vec<Person> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("person{i:02}@example.org");
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

/// Each address's number of messages at the sink.
fn per_address(sink: &crate::smtp_sink::SmtpSink) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for t in sink.accepted() {
        *m.entry(t.rcpt[0].clone()).or_insert(0) += 1;
    }
    m
}

async fn campaign_post(staff: &mut Staff, c: &str, what: &str, reason: &str) -> crate::staff::Page {
    staff
        .post(
            &format!("/console/c/{c}"),
            &format!("/console/c/{c}/{what}"),
            // Resuming asks for the password again (the others ignore it).
            &[
                ("reason", reason.to_owned()),
                ("password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await
}

async fn outbox_states(app: &crate::helpers::TestApp, c: &str) -> haven::store::OutboxCounts {
    app.store.outbox_counts_for_campaign(c).await.unwrap()
}

#[tokio::test]
async fn a_paused_campaign_stops_sending_and_resumes_sending_the_rest_once_each() {
    let (app, sink) = one_at_a_time().await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let everyone = people(&app, 8).await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);

    // The worker runs while a supervisor pauses after the second message arrived.
    sink.set_delay(std::time::Duration::from_millis(300));
    let pause = async {
        assert!(
            sink.wait_for_accepted(2, std::time::Duration::from_secs(30))
                .await
        );
        let page = campaign_post(&mut sup_a, &c, "pause", "wrong template").await;
        // The pause has committed: what the sink has now, and what was in flight.
        (page, sink.accepted_count())
    };
    let ((), (paused, at_pause)) = tokio::join!(app.run_pending_jobs(), pause);
    assert_eq!(paused.status, StatusCode::SEE_OTHER, "{}", paused.body);
    // Whatever the worker still runs now sends nothing more.
    app.run_pending_jobs().await;
    let sent_while_paused = sink.accepted_count();
    assert!(
        sent_while_paused <= at_pause + 1 && sent_while_paused < 8,
        "at most the one message in flight (one connection) left after the pause: \
         {sent_while_paused} sent, {at_pause} when the pause committed"
    );
    let counts = outbox_states(&app, &c).await;
    assert_eq!(counts.sent as usize, sent_while_paused);
    assert_eq!(counts.queued as usize, 8 - sent_while_paused, "{counts:?}");
    let page = sup_b.get(&format!("/console/c/{c}")).await;
    let body = html_unescape(&page.body);
    assert!(body.contains("Paused by sa@example.org"), "{body}");
    assert!(body.contains("wrong template"));
    // An agent may not resume it.
    let refused = campaign_post(&mut agent, &c, "resume", "go").await;
    assert!(
        refused.status == StatusCode::FORBIDDEN || refused.status == StatusCode::NOT_FOUND,
        "{}",
        refused.status
    );
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), sent_while_paused);

    // Resumed: the rest, each exactly once.
    sink.set_delay(std::time::Duration::ZERO);
    let resumed = campaign_post(&mut sup_b, &c, "resume", "template checked").await;
    assert_eq!(resumed.status, StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    let got = per_address(&sink);
    assert_eq!(got.len(), 8, "{got:?}");
    for p in &everyone {
        assert_eq!(got.get(p.email.as_ref().unwrap()), Some(&1), "{}", p.name);
    }
    let paused = crate::replies::audit_actions(&app, "campaign.pause").await;
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0].actor, format!("user:{}", sup_a.id));
    assert!(paused[0].detail.contains("wrong template"));
    let resumed = crate::replies::audit_actions(&app, "campaign.resume").await;
    assert_eq!(resumed[0].actor, format!("user:{}", sup_b.id));
    assert!(resumed[0].detail.contains("template checked"));
}

#[tokio::test]
async fn a_stopped_campaign_never_sends_the_rest() {
    let (app, sink) = one_at_a_time().await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    people(&app, 5).await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    decide(&mut sup_b, &c, "approve").await;

    // A stop needs a reason.
    let page = campaign_post(&mut sup_a, &c, "stop", "  ").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.store
            .hold(&haven::store::HoldScope::Campaign(c.clone()))
            .await
            .unwrap()
            .is_none()
    );
    let page = campaign_post(&mut sup_a, &c, "stop", "sent to the wrong queue").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // Resuming a stopped campaign does nothing.
    campaign_post(&mut sup_b, &c, "resume", "oops").await;
    app.expect_failed_jobs(5);
    app.run_pending_jobs().await;
    assert_eq!(
        sink.accepted_count(),
        0,
        "nothing of a stopped campaign leaves"
    );
    let counts = outbox_states(&app, &c).await;
    assert_eq!((counts.failed, counts.queued, counts.sent), (5, 0, 0));
    let page = sup_b.get(&format!("/console/c/{c}")).await;
    assert!(html_unescape(&page.body).contains("Stopped for good by sa@example.org"));
    assert!(
        crate::replies::audit_actions(&app, "campaign.resume")
            .await
            .is_empty()
    );
    assert_eq!(
        crate::replies::audit_actions(&app, "campaign.stop")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn the_emergency_stop_holds_across_a_restart_and_every_worker_until_resumed() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut root = signed_in(&app, "root@example.org", Admin, None).await;
    let mut padmin = signed_in(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let everyone = people(&app, 3).await;

    // Pressed on the command line (another process), with a reason.
    let (code, out) = crate::programmes::cli(
        &app,
        &["outbound", "pause", "--reason", "relay compromised"],
    );
    assert_eq!(code, Some(0), "{out}");
    for p in &everyone {
        reply_from_template(&mut agent, p).await;
    }
    app.run_pending_jobs().await;
    // A worker started afresh (a restart) reads the same stop.
    let restarted = haven::outbound::Worker::on_demand(
        haven::store::Store::connect(&app.config.database)
            .await
            .unwrap(),
        &app.keyring().await,
        haven::outbound::Transport::smtp(&sink.url(), 2).unwrap(),
        haven::outbound::WorkerSettings::default(),
        std::sync::Arc::new(haven::metrics::Metrics::new()),
    );
    restarted.run_until_idle().await.unwrap();
    assert_eq!(sink.accepted_count(), 0, "nothing leaves while stopped");
    let (code, out) = crate::programmes::cli(&app, &["outbound", "status"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("paused since") && out.contains("relay compromised"),
        "{out}"
    );

    // The instance admin's page says so; a programme admin has no such page.
    assert_eq!(
        padmin.get("/admin/outbound").await.status,
        StatusCode::NOT_FOUND
    );
    let page = root.get("/admin/outbound").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(html_unescape(&page.body).contains("relay compromised"));
    // Resuming needs a reason too.
    let page = root
        .post(
            "/admin/outbound",
            "/admin/outbound/resume",
            &[("reason", String::new())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = root
        .post(
            "/admin/outbound",
            "/admin/outbound/resume",
            &[
                ("reason", "new relay".into()),
                ("password", crate::staff::PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.run_pending_jobs().await;
    let got = per_address(&sink);
    assert_eq!(got.len(), 3);
    assert!(got.values().all(|n| *n == 1), "{got:?}");

    // The button stops it again, audited with who and why.
    let page = root
        .post(
            "/admin/outbound",
            "/admin/outbound/pause",
            &[("reason", "drill".into())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let (_, out) = crate::programmes::cli(&app, &["outbound", "status"]);
    assert!(
        out.contains("drill") && out.contains(&format!("user:{}", root.id)),
        "{out}"
    );
    let paused = crate::replies::audit_actions(&app, "outbound.pause").await;
    assert_eq!(paused.len(), 2);
    assert_eq!(paused[0].actor, format!("user:{}", root.id));
    assert_eq!(paused[1].actor, "cli");
    assert!(paused[1].detail.contains("relay compromised"));
    let resumed = crate::replies::audit_actions(&app, "outbound.resume").await;
    assert_eq!(resumed[0].actor, format!("user:{}", root.id));
    assert!(resumed[0].detail.contains("new relay"));
    let (code, _) = crate::programmes::cli(&app, &["outbound", "resume", "--reason", "drill over"]);
    assert_eq!(code, Some(0));
}

#[tokio::test]
async fn a_queued_reply_can_be_withdrawn_before_it_is_sent() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana R").await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar@example.org"),
        "en",
        "other",
        "Omar K",
    )
    .await;
    reply_from_template(&mut agent, &ana).await;
    reply_from_template(&mut agent, &omar).await;
    let ana_row = app.store.outbox_of_enquiry(&ana.id).await.unwrap()[0]
        .id
        .clone();
    let omar_row = app.store.outbox_of_enquiry(&omar.id).await.unwrap()[0]
        .id
        .clone();

    // The enquiry page offers it while it waits.
    let page = agent.get(&format!("/console/e/{}", ana.id)).await;
    assert!(
        page.body.contains(&format!("value=\"{ana_row}\"")),
        "{}",
        page.body
    );
    // Another enquiry's message cannot be withdrawn through this one.
    let wrong = agent
        .post(
            &format!("/console/e/{}", ana.id),
            &format!("/console/e/{}/withdraw", ana.id),
            &[("outbox", omar_row.clone())],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let done = agent
        .post(
            &format!("/console/e/{}", ana.id),
            &format!("/console/e/{}/withdraw", ana.id),
            &[("outbox", ana_row.clone())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    app.expect_failed_jobs(1);
    app.run_pending_jobs().await;
    let got = per_address(&sink);
    assert_eq!(got.get("omar@example.org"), Some(&1));
    assert_eq!(
        got.get("ana@example.org"),
        None,
        "the withdrawn email never left"
    );
    let rows = app.store.outbox_of_enquiry(&ana.id).await.unwrap();
    assert_eq!(rows[0].last_error.as_deref(), Some("withdrawn"));
    // The reply itself is still in her inbox.
    let (status, inbox) = open_inbox(&app, SLUG, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("We have your enquiry"));
    let audited = crate::replies::audit_actions(&app, "reply.withdraw").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, format!("user:{}", agent.id));
    assert_eq!(audited[0].subject, format!("enquiry:{}", ana.id));
}

/// Two workers (each its own connection pool, as two instances would have), each
/// sending two at a time: once a supervisor's pause commits, at most the four messages
/// already being handed to the relay leave; resumed, the rest go exactly once each.
#[tokio::test]
async fn a_pause_holds_two_workers_within_their_connections_and_resume_sends_each_once() {
    use haven::outbound::{Transport, Worker, WorkerSettings};
    use std::time::Duration;
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let everyone = people(&app, 16).await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    decide(&mut sup_b, &c, "approve").await;

    sink.set_delay(Duration::from_millis(200));
    let keyring = app.keyring().await;
    let mut workers = Vec::new();
    for name in ["instance-a", "instance-b"] {
        let settings = WorkerSettings {
            name: name.into(),
            concurrency: 2,
            batch_size: 2,
            poll_interval: Duration::from_millis(20),
            rate: None,
            ..WorkerSettings::default()
        };
        workers.push(Worker::spawn(
            haven::store::Store::connect(&app.config.database)
                .await
                .unwrap(),
            &keyring,
            Transport::smtp(&sink.url(), 2).unwrap(),
            settings,
        ));
    }
    assert!(sink.wait_for_accepted(3, Duration::from_secs(30)).await);
    let paused = campaign_post(&mut sup_a, &c, "pause", "check the text").await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let at_pause = sink.accepted_count();
    // Well past the sends in flight and many polls of both workers.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let held = sink.accepted_count();
    assert!(
        held <= at_pause + 4 && held < 16,
        "after the pause: {held} sent, {at_pause} when it committed (bound: 2 workers × 2)"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.accepted_count(), held, "nothing more while paused");

    sink.set_delay(Duration::ZERO);
    campaign_post(&mut sup_b, &c, "resume", "text checked").await;
    assert!(sink.wait_for_accepted(16, Duration::from_secs(30)).await);
    for w in workers {
        w.stop().await;
    }
    let got = per_address(&sink);
    assert_eq!(got.len(), 16);
    for p in &everyone {
        assert_eq!(got.get(p.email.as_ref().unwrap()), Some(&1), "{}", p.name);
    }
    assert_eq!(outbox_states(&app, &c).await.sent, 16);
}

// ── Templates checked before use (issue 19, item 6, the first part) ───────────────

#[tokio::test]
async fn the_template_list_names_the_languages_a_template_lacks() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    // The documents template without its French texts.
    let before = exported(&app, SLUG).await;
    let mut file: toml::Value = toml::from_str(&before).unwrap();
    let templates = file["templates"].as_array_mut().unwrap();
    let documents = templates
        .iter_mut()
        .find(|t| t["key"].as_str() == Some("documents"))
        .expect("the documents template");
    for part in ["subject", "body"] {
        assert!(
            documents[part]
                .as_table_mut()
                .unwrap()
                .remove("fr")
                .is_some()
        );
    }
    let changed = toml::to_string(&file).unwrap();
    let file = app.config.data_dir.join("lacking.toml");
    std::fs::write(&file, &changed).unwrap();
    let (code, out) = crate::programmes::cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    app.refresh_programme(SLUG);

    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let page = agent.get(&format!("/console/p/{SLUG}/templates")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = html_unescape(&page.body);
    let at = body
        .find("id=\"missing-documents\"")
        .unwrap_or_else(|| panic!("{body}"));
    let line = &body[at..at + body[at..].find("</p>").unwrap()];
    assert!(line.contains("Français"), "{line}");
    assert!(!line.contains("English"), "{line}");
    assert!(!body.contains("id=\"missing-acknowledgement\""), "{body}");
}

/// Messages already claimed by the worker but waiting (here for the send rate) are
/// checked again just before their SMTP transaction: a pause that commits while they
/// wait holds them, not only the rows not claimed yet.
#[tokio::test]
async fn claimed_messages_waiting_to_be_sent_are_held_by_a_pause() {
    let (app, sink) = sending(&[("HAVEN_SMTP_CONNECTIONS", "4"), ("HAVEN_SMTP_RATE", "1")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    people(&app, 4).await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    decide(&mut sup_b, &c, "approve").await;
    let pause = async {
        // The first message went at once; the other three are claimed and wait
        // about a second each for the rate.
        assert!(
            sink.wait_for_accepted(1, std::time::Duration::from_secs(30))
                .await
        );
        let page = campaign_post(&mut sup_a, &c, "pause", "hold on").await;
        (page, sink.accepted_count())
    };
    let ((), (paused, at_pause)) = tokio::join!(app.run_pending_jobs(), pause);
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    let sent = sink.accepted_count();
    assert!(
        sent <= at_pause + 1 && sent < 4,
        "claimed rows waiting for the rate left after the pause: {sent} sent, {at_pause} at the pause"
    );
    campaign_post(&mut sup_b, &c, "resume", "go").await;
    app.run_pending_jobs().await;
    assert_eq!(per_address(&sink).len(), 4);
    assert!(per_address(&sink).values().all(|n| *n == 1));
}

/// The first message a new address gets, its confirmation code, is as neutral as any
/// other: the neutral sender, nothing of the programme, the inbox as text, the line
/// against phishing, in the person's language.
#[tokio::test]
async fn the_confirmation_message_names_nothing_of_the_programme_either() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let people = [
        enquire_unconfirmed(
            &app,
            SLUG,
            Some("nadia@example.org"),
            "en",
            "other",
            "Nadia Karimi",
        )
        .await,
        enquire_unconfirmed(
            &app,
            SLUG,
            Some("omar@example.fr"),
            "fr",
            "other",
            "Omar Haidari",
        )
        .await,
    ];
    let sent = delivered(&app, &sink, 2).await;
    assert_eq!(sent.len(), 2, "one confirmation each");
    for person in &people {
        let t = sent
            .iter()
            .find(|t| t.rcpt == [person.email.clone().unwrap()])
            .expect("a confirmation to each address");
        assert_neutral(t, person, SLUG);
    }
}
