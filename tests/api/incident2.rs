//! Incident response, the rest of issue 20 (items 4, 5, 6): THE DRILL through real
//! HTTP on the configured database (SQLite, or PostgreSQL with
//! `HAVEN_TEST_POSTGRES_URL`): 636 people write in through the public form, a bulk
//! reply reaches them (loopback SMTP sink), an incident is opened from that bulk reply,
//! and the notification goes out, after a second supervisor approves, as 636 messages,
//! one recipient each, each to the right person in their language; the report counts
//! 636 and holds no address or reference code. Also: addresses never confirmed, and
//! the stop buttons used from the incident.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use haven::casework::ProgrammeRole::*;
use haven::domain::ReferenceCode;
use haven::outbound::find_addresses;
use reqwest::StatusCode;

use crate::helpers::confirmed::confirm_every_address;
use crate::helpers::{SLUG, TestApp, extract_by_id, extract_input, valid_answers};
use crate::replies::{OTHER, enquiry_ids, haven, readable_text};
use crate::smtp_sink::{SmtpSink, Transaction};
use crate::staff::{Page, Staff, signed_in};

const LANGS: [&str; 4] = ["en", "fr", "fa-AF", "ps"];

/// One person of the drill, as they wrote in.
#[derive(Debug, Clone)]
struct Writer {
    email: String,
    name: String,
    lang: &'static str,
    reference: String,
}

/// Writes in through the public form (GET for its token, POST, the receipt), as a
/// browser would; returns what the receipt showed.
async fn write_in(app: &TestApp, i: usize, email: Option<&str>) -> Writer {
    let lang = LANGS[i % LANGS.len()];
    let name = format!("Person Number{i:04}");
    let mut fields = valid_answers();
    fields.retain(|(k, _)| !["lang", "full_name", "help_category", "contact_mode"].contains(k));
    fields.push(("lang", lang.into()));
    fields.push(("full_name", name.clone()));
    fields.push(("help_category", "other".into()));
    match email {
        Some(e) => {
            fields.push(("contact_mode", "email".into()));
            fields.push(("contact_email", e.into()));
        }
        None => fields.push(("contact_mode", "inbox".into())),
    }
    let res = app.post_form(&format!("/p/{SLUG}"), &fields).await;
    let status = res.status();
    let body = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "submission refused: {body}");
    Writer {
        email: email.unwrap_or_default().to_owned(),
        name,
        lang,
        reference: extract_by_id(&body, "reference-code").expect("receipt code"),
    }
}

/// Runs the worker until the sink holds `n` messages (or it stops making progress).
async fn sink_reaches(app: &TestApp, sink: &SmtpSink, n: usize) -> Vec<Transaction> {
    let mut last = usize::MAX;
    while sink.accepted_count() < n && sink.accepted_count() != last {
        last = sink.accepted_count();
        app.run_pending_jobs().await;
    }
    assert_eq!(sink.accepted_count(), n, "messages at the sink");
    sink.accepted()
}

fn new_campaign_id(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location
        .as_deref()
        .unwrap()
        .strip_prefix("/console/c/")
        .unwrap()
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_owned()
}

/// A bulk reply with `template` to everyone, prepared by `a` and approved by `b`.
async fn bulk_reply(a: &mut Staff, b: &mut Staff, template: &str) -> String {
    let path = format!("/console/p/{SLUG}/campaigns");
    let fields = [
        ("template", template.to_owned()),
        ("queue", String::new()),
        ("status", String::new()),
        ("language", String::new()),
    ];
    let id = new_campaign_id(&a.post(&path, &path, &fields).await);
    let shown = b.get(&format!("/console/c/{id}")).await;
    let seen = extract_input(&shown.body, "seen").unwrap_or_default();
    let done = b
        .post(
            "/console",
            &format!("/console/c/{id}/approve"),
            &[
                ("seen", seen),
                ("password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    id
}

/// Opens an incident from a bulk reply's recipients; returns its id.
async fn open_from_campaign(sup: &mut Staff, campaign: &str) -> String {
    let path = format!("/console/p/{SLUG}/incidents");
    let page = sup
        .post(
            &path,
            &path,
            &[
                ("campaign", campaign.to_owned()),
                (
                    "what_happened",
                    "A bulk reply went out with a wrong text.".into(),
                ),
                ("category-contact", "on".into()),
                ("likelihood", "medium".into()),
                ("severity", "high".into()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location
        .unwrap()
        .strip_prefix("/console/incidents/")
        .unwrap()
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_owned()
}

fn affected_on_page(page: &Page) -> BTreeSet<String> {
    page.body
        .split("<li data-enquiry=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_owned())
        .collect()
}

/// The number the page shows for a way of reaching people (`email`, `inbox-only`…).
fn way(page: &Page, w: &str) -> usize {
    let at = page
        .body
        .find(&format!("id=\"way-{w}\">"))
        .unwrap_or_else(|| panic!("no count of {w}"));
    let rest = &page.body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</td>").unwrap();
    rest[start..end].trim().parse().unwrap()
}

/// The pending notification shown on the incident page: (campaign id, digest seen).
fn pending_notice(page: &Page) -> (String, String) {
    let form = page
        .body
        .split("/notify/approve\"")
        .nth(1)
        .expect("an approval form");
    let campaign = extract_input(form, "campaign").unwrap();
    let seen = extract_input(form, "seen").unwrap();
    (campaign, seen)
}

async fn prepare(sup: &mut Staff, incident: &str, unconfirmed: bool) -> Page {
    let page = format!("/console/incidents/{incident}");
    let mut fields = vec![("template", "incident-notice".to_owned())];
    if unconfirmed {
        fields.push(("unconfirmed", "on".into()));
    }
    sup.post(&page, &format!("{page}/notify"), &fields).await
}

async fn approve(sup: &mut Staff, incident: &str, unconfirmed: bool) -> Page {
    let path = format!("/console/incidents/{incident}");
    let shown = sup.get(&path).await;
    let (campaign, seen) = pending_notice(&shown);
    let mut fields = vec![("campaign", campaign), ("seen", seen)];
    if unconfirmed {
        fields.push(("unconfirmed", "on".into()));
    }
    sup.post(&path, &format!("{path}/notify/approve"), &fields)
        .await
}

fn done_of(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let loc = page.location.clone().unwrap();
    loc.split("done=")
        .nth(1)
        .unwrap()
        .split(['&', '#'])
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_drill_636_people_one_notice_each_in_their_language_after_a_second_approval() {
    const N: usize = 636;
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut outsider = signed_in(&app, "x@example.org", Supervisor, Some(OTHER)).await;

    let started = Instant::now();
    let mut people = Vec::with_capacity(N);
    for i in 0..N {
        let email = format!("drill{i:04}@example{}.org", i % 7);
        people.push(write_in(&app, i, Some(&email)).await);
    }
    eprintln!("{N} enquiries through the form: {:?}", started.elapsed());
    confirm_every_address(&app).await;
    let everyone = enquiry_ids(&app, SLUG).await;
    assert_eq!(everyone.len(), N);
    let by_email: BTreeMap<String, &Writer> =
        people.iter().map(|p| (p.email.to_lowercase(), p)).collect();

    // The message that went wrong: a bulk reply to all of them.
    let wrong = bulk_reply(&mut sup_a, &mut sup_b, "acknowledgement").await;
    let first = sink_reaches(&app, &sink, N).await;
    eprintln!("bulk reply delivered: {:?}", started.elapsed());

    // An agent cannot list who received it nor open an incident; another
    // programme's supervisor does not find this one's incident.
    let recipients = format!("/console/p/{SLUG}/incident/recipients?campaign={wrong}");
    assert_eq!(agent.get(&recipients).await.status, StatusCode::FORBIDDEN);
    let incidents = format!("/console/p/{SLUG}/incidents");
    assert_eq!(agent.get(&incidents).await.status, StatusCode::FORBIDDEN);

    let incident = open_from_campaign(&mut sup_a, &wrong).await;
    let page = sup_a.get(&format!("/console/incidents/{incident}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(affected_on_page(&page), everyone, "exactly those {N}");
    assert_eq!(way(&page, "not-notified"), N);
    let path = format!("/console/incidents/{incident}");
    for who in [&mut agent, &mut outsider] {
        let seen = who.get(&path).await.status;
        assert!(
            seen == StatusCode::FORBIDDEN || seen == StatusCode::NOT_FOUND,
            "{seen}"
        );
    }
    assert_eq!(
        outsider.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "another programme's staff"
    );

    // Prepared by one supervisor: nothing goes out, and they cannot approve it.
    assert_eq!(
        done_of(&prepare(&mut sup_a, &incident, false).await),
        "notify-prepared"
    );
    app.run_pending_jobs().await;
    assert_eq!(
        sink.accepted_count(),
        N,
        "nothing before the second approval"
    );
    assert_eq!(
        done_of(&approve(&mut sup_a, &incident, false).await),
        "notify-own"
    );
    assert_eq!(sink.accepted_count(), N);
    // Nor an agent, nor another programme's supervisor (its form is not theirs).
    let shown = sup_b.get(&path).await;
    let (campaign, seen) = pending_notice(&shown);
    let fields = [("campaign", campaign.clone()), ("seen", seen)];
    let agent_try = agent
        .post("/console", &format!("{path}/notify/approve"), &fields)
        .await;
    assert_eq!(agent_try.status, StatusCode::FORBIDDEN);
    let outsider_try = outsider
        .post("/console", &format!("{path}/notify/approve"), &fields)
        .await;
    assert_eq!(outsider_try.status, StatusCode::NOT_FOUND);

    // The second supervisor approves: 636 messages, one recipient each.
    assert_eq!(
        done_of(&approve(&mut sup_b, &incident, false).await),
        "notify-dispatched"
    );
    let all = sink_reaches(&app, &sink, 2 * N).await;
    eprintln!("notification delivered: {:?}", started.elapsed());
    let notices: Vec<&Transaction> = all.iter().skip(first.len()).collect();
    assert_eq!(notices.len(), N);
    let mut reached = BTreeSet::new();
    for t in &notices {
        assert_eq!(t.rcpt.len(), 1, "one recipient per message");
        let to = t.rcpt[0].to_lowercase();
        let person = by_email
            .get(&to)
            .unwrap_or_else(|| panic!("a notice to an address nobody gave"));
        assert!(reached.insert(to.clone()), "one notice per person");
        let text = readable_text(&t.data);
        // Their own name, their own language's words, nobody else's address.
        assert!(text.contains(&person.name), "the right person");
        let words = match person.lang {
            "en" => "We must tell you about a mistake",
            "fr" => "Nous devons vous informer",
            "fa-AF" => "باید شما را از اشتباهی",
            _ => "باید تاسو ته زموږ له خوا",
        };
        assert!(text.contains(words), "in {}: {text}", person.lang);
        for a in find_addresses(&text) {
            let a = a.to_lowercase();
            assert!(
                a == to || a.ends_with("haven.example"),
                "a stranger's address: {a}"
            );
        }
    }
    assert_eq!(reached.len(), N);

    let page = sup_a.get(&path).await;
    assert_eq!(way(&page, "email"), N, "everyone reached by email");
    assert_eq!(way(&page, "not-notified"), 0);
    assert!(
        page.body
            .contains("data-action=\"incident.notify-approve\"")
    );

    // The report: 636, how they were reached, no address, no reference code.
    let report = sup_a.get(&format!("{path}/report")).await;
    assert_eq!(report.status, StatusCode::OK);
    let text = &report.body;
    assert!(text.contains(&format!("Affected enquiries: {N}")), "{text}");
    assert!(text.contains(&format!("| email | {N} |")), "{text}");
    assert!(text.contains("incident.notify-approve"), "{text}");
    assert!(find_addresses(text).is_empty(), "an address in the report");
    for p in &people {
        let canonical = ReferenceCode::parse(&p.reference).unwrap();
        assert!(!text.contains(&p.reference) && !text.contains(canonical.canonical()));
        assert!(!text.contains(&p.name) && !text.contains(&p.email));
    }
    eprintln!("drill done: {:?}", started.elapsed());
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn addresses_never_confirmed_get_a_neutral_notice_only_when_both_approvers_tick_it() {
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut people = Vec::new();
    for i in 0..4 {
        people.push(write_in(&app, i, Some(&format!("u{i}@example.org"))).await);
    }
    people.push(write_in(&app, 4, None).await);
    confirm_every_address(&app).await;
    let wrong = bulk_reply(&mut sup_a, &mut sup_b, "acknowledgement").await;
    let first = sink_reaches(&app, &sink, 4).await.len();
    // Two of them never confirmed (as if they had not yet).
    haven::store::test_support::execute(
        &app.store,
        "UPDATE enquiries SET email_confirmed = 0 WHERE id IN \
         (SELECT id FROM enquiries ORDER BY id LIMIT 2) AND has_email = 1",
        &[],
    )
    .await
    .unwrap();
    let incident = open_from_campaign(&mut sup_a, &wrong).await;
    let path = format!("/console/incidents/{incident}");

    // The preparer asks, the approver does not: unconfirmed get nothing by email.
    assert_eq!(
        done_of(&prepare(&mut sup_a, &incident, true).await),
        "notify-prepared"
    );
    assert_eq!(
        done_of(&approve(&mut sup_b, &incident, false).await),
        "notify-dispatched"
    );
    app.run_pending_jobs().await;
    let page = sup_a.get(&path).await;
    let confirmed_emails = sink.accepted_count() - first;
    let unconfirmed = way(&page, "inbox-only") - 1; // the one without an address
    assert_eq!(way(&page, "email"), confirmed_emails);
    assert_eq!(way(&page, "unconfirmed-notice"), 0);
    assert_eq!(confirmed_emails + unconfirmed, 4);
    assert!(unconfirmed >= 1, "some addresses were unconfirmed");

    // Again, both tick it: the unconfirmed get one neutral notice, nothing of its words.
    assert_eq!(
        done_of(&prepare(&mut sup_a, &incident, true).await),
        "notify-prepared"
    );
    assert_eq!(
        done_of(&approve(&mut sup_b, &incident, true).await),
        "notify-dispatched"
    );
    let before = sink.accepted_count();
    app.run_pending_jobs().await;
    let sent: Vec<Transaction> = sink.accepted().into_iter().skip(before).collect();
    assert_eq!(sent.len(), 4, "every address this time");
    let neutral: Vec<&Transaction> = sent
        .iter()
        // The notice greets the person by name, in any language; the neutral one not.
        .filter(|t| !readable_text(&t.data).contains("Person Number"))
        .collect();
    assert_eq!(neutral.len(), unconfirmed);
    for t in neutral {
        let text = readable_text(&t.data);
        assert!(
            !text.contains("mistake") && !text.contains("Person Number"),
            "{text}"
        );
    }
    let page = sup_a.get(&path).await;
    assert_eq!(way(&page, "unconfirmed-notice"), unconfirmed);
    let report = sup_a.get(&format!("{path}/report")).await.body;
    assert!(report.contains("both approvers chose it"), "{report}");
    assert!(report.contains(&format!("| unconfirmed-notice | {unconfirmed} |")));
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn the_stop_buttons_used_from_an_incident_are_its_actions() {
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    for i in 0..3 {
        write_in(&app, i, Some(&format!("s{i}@example.org"))).await;
    }
    confirm_every_address(&app).await;
    // Not sent yet (the worker has not run): pausing it holds the rest.
    let wrong = bulk_reply(&mut sup_a, &mut sup_b, "acknowledgement").await;
    let incident = open_from_campaign(&mut sup_a, &wrong).await;
    let path = format!("/console/incidents/{incident}");
    let page = sup_a.get(&path).await;
    assert!(page.body.contains(&format!("href=\"/console/c/{wrong}\"")));
    let pause = [
        ("campaign", wrong.clone()),
        ("what", "pause".to_owned()),
        ("reason", "Wrong text".to_owned()),
    ];
    let refused = agent
        .post("/console", &format!("{path}/contain"), &pause)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let done = sup_a.post(&path, &format!("{path}/contain"), &pause).await;
    assert_eq!(done_of(&done), "contain-done");
    let again = sup_a.post(&path, &format!("{path}/contain"), &pause).await;
    assert_eq!(done_of(&again), "contain-unchanged");
    let page = sup_a.get(&path).await;
    assert_eq!(
        page.body
            .matches("data-action=\"incident.contain\"")
            .count(),
        2
    );
    let report = sup_a.get(&format!("{path}/report")).await.body;
    assert!(report.contains("incident.contain"), "{report}");
    assert!(report.contains("\"what\":\"pause\""), "{report}");
    // Resumed from the incident too, the held messages leave.
    let resume = [("campaign", wrong.clone()), ("what", "resume".to_owned())];
    let done = sup_a.post(&path, &format!("{path}/contain"), &resume).await;
    assert_eq!(done_of(&done), "contain-done");
    app.run_pending_jobs().await;
    assert_eq!(sink.accepted_count(), 3);
}

/// The enquiry ids a recipients page lists.
fn listed(page: &Page) -> BTreeSet<String> {
    page.body
        .split("<tr data-enquiry=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_leaked_key_lists_exactly_the_enquiries_it_opens() {
    let (app, _sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    for i in 0..3 {
        write_in(&app, i, None).await;
    }
    // Another programme's enquiry is never in this programme's list.
    let other = app
        .post_form(&format!("/p/{OTHER}"), &valid_answers())
        .await;
    assert_eq!(other.status(), StatusCode::OK);
    let ours = enquiry_ids(&app, SLUG).await;
    assert_eq!(ours.len(), 3);
    let pid = app.store.programme_by_slug(SLUG).await.unwrap().unwrap().id;
    let keys = app.store.key_usage(&pid).await.unwrap();
    let current = keys.iter().find(|k| k.current).unwrap().key_id.clone();
    let base = format!("/console/p/{SLUG}/incident/recipients");

    let page = sup.get(&format!("{base}?key={current}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(listed(&page), ours);
    let page = sup.get(&format!("{base}?key=master")).await;
    assert_eq!(listed(&page), ours);
    let unknown = "0123456789abcdef0123456789abcdef";
    let page = sup.get(&format!("{base}?key={unknown}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(listed(&page).is_empty());
    let bad = sup.get(&format!("{base}?key=not-a-key")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An agent is refused, and the refusal is audited.
    let refused = agent.get(&format!("{base}?key=master")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // An incident opened from it holds exactly those.
    let path = format!("/console/p/{SLUG}/incidents");
    let opened = sup
        .post(
            &path,
            &path,
            &[
                ("key", current.clone()),
                (
                    "what_happened",
                    "A key file was found on a shared drive.".into(),
                ),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let page = sup.get(opened.location.as_deref().unwrap()).await;
    assert_eq!(affected_on_page(&page), ours);
    app.run_pending_jobs().await;
}
