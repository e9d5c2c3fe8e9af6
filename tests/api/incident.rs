//! Incident response (issue 20) through real HTTP and the real binary: who received
//! a bulk reply, a template within a time window, or anything sent to one address,
//! compared with what the loopback SMTP sink received; who may ask; what the command
//! line prints.

use std::collections::{BTreeMap, BTreeSet};

use haven::casework::ProgrammeRole::*;
use haven::incident::recipients::mask;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, extract_input, html_unescape};
use crate::replies::{OTHER, Person, audit_actions, delivered, enquire, haven, post_reply};
use crate::staff::{Page, Staff, signed_in};

const RECIPIENTS: &str = "/console/p/afghanistan-2021/incident/recipients";

/// One row of the list as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    enquiry: String,
    outcome: String,
    masked: String,
}

fn rows(page: &Page) -> Vec<Row> {
    let mut out = Vec::new();
    for part in page.body.split("<tr data-enquiry=\"").skip(1) {
        let enquiry = part.split('"').next().unwrap().to_owned();
        let outcome = part
            .split("data-outcome=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let masked = part
            .split("class=\"masked\">")
            .nth(1)
            .and_then(|s| s.split("</td>").next())
            .map(html_unescape)
            .unwrap();
        out.push(Row {
            enquiry,
            outcome,
            masked,
        });
    }
    out
}

/// The count shown on top for `what` (`enquiries`, `messages`, `sent`, `inbox-only`…).
fn shown_count(page: &Page, what: &str) -> usize {
    let at = page
        .body
        .find(&format!("id=\"count-{what}\">"))
        .unwrap_or_else(|| panic!("no count of {what}: {}", page.body));
    let rest = &page.body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</dd>").unwrap();
    rest[start..end].trim().parse().unwrap()
}

/// The enquiries the sink saw a message for, among `transactions`.
fn at_sink(transactions: &[crate::smtp_sink::Transaction], people: &[Person]) -> BTreeSet<String> {
    let by_email: BTreeMap<String, &Person> = people
        .iter()
        .filter_map(|p| p.email.as_ref().map(|e| (e.to_lowercase(), p)))
        .collect();
    transactions
        .iter()
        .map(|t| {
            assert_eq!(t.rcpt.len(), 1);
            by_email
                .get(&t.rcpt[0].to_lowercase())
                .unwrap_or_else(|| panic!("a message to an unknown address"))
                .id
                .clone()
        })
        .collect()
}

fn ids(people: &[&Person]) -> BTreeSet<String> {
    people.iter().map(|p| p.id.clone()).collect()
}

/// Prepares a campaign as the campaigns page does and has `approver` approve it.
async fn campaign(
    prepare: &mut Staff,
    approver: &mut Staff,
    template: &str,
    queue: &str,
) -> String {
    let path = "/console/p/afghanistan-2021/campaigns";
    let page = prepare
        .post(
            path,
            path,
            &[
                ("template", template.to_owned()),
                ("queue", queue.to_owned()),
                ("status", String::new()),
                ("language", String::new()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = page
        .location
        .unwrap()
        .strip_prefix("/console/c/")
        .unwrap()
        .split(['?', '#'])
        .next()
        .unwrap()
        .to_owned();
    let shown = approver.get(&format!("/console/c/{id}")).await;
    let seen = extract_input(&shown.body, "seen").unwrap_or_default();
    let done = approver
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
    assert!(!done.location.unwrap().contains("conflict"));
    id
}

/// The database URL the test app uses, for the real binary.
fn database_url(app: &TestApp) -> String {
    match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(url) => url.clone(),
    }
}

fn cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", database_url(app))
        .output()
        .expect("run haven")
}

#[tokio::test]
async fn a_campaigns_recipients_are_exactly_whom_the_sink_received_and_only_supervisors_see_them() {
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut outsider = signed_in(&app, "x@example.org", Supervisor, Some(OTHER)).await;

    // 6 in "general" (4 with an address, 2 inbox only, two languages), 2 in "family".
    let mut everyone = Vec::new();
    for i in 0..6 {
        let email = (i % 3 != 2).then(|| format!("general{i}@example{}.org", i % 2));
        let lang = if i % 2 == 0 { "en" } else { "fr" };
        everyone.push(
            enquire(
                &app,
                SLUG,
                email.as_deref(),
                lang,
                "other",
                &format!("Person G{i}"),
            )
            .await,
        );
    }
    for i in 0..2 {
        let email = format!("family{i}@example.net");
        everyone.push(
            enquire(
                &app,
                SLUG,
                Some(&email),
                "en",
                "family_reunion",
                &format!("Person F{i}"),
            )
            .await,
        );
    }
    let general: Vec<&Person> = everyone.iter().filter(|p| p.queue == "general").collect();
    assert_eq!(general.len(), 6);
    let c = campaign(&mut sup_a, &mut sup_b, "acknowledgement", "general").await;
    let sent = delivered(&app, &sink, 4).await;
    let received = at_sink(&sent, &everyone);
    assert_eq!(received.len(), 4);

    let page = sup_a.get(&format!("{RECIPIENTS}?campaign={c}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let listed = rows(&page);
    let listed_ids: BTreeSet<String> = listed.iter().map(|r| r.enquiry.clone()).collect();
    assert_eq!(
        listed_ids,
        ids(&general),
        "exactly the campaign's enquiries"
    );
    let sent_ids: BTreeSet<String> = listed
        .iter()
        .filter(|r| r.outcome == "sent")
        .map(|r| r.enquiry.clone())
        .collect();
    assert_eq!(
        sent_ids, received,
        "the ones sent are the ones the sink received"
    );
    for r in &listed {
        let p = everyone.iter().find(|p| p.id == r.enquiry).unwrap();
        match &p.email {
            Some(e) => assert_eq!(r.masked, mask(e), "{}", p.name),
            None => {
                assert_eq!(r.outcome, "inbox-only", "{}", p.name);
                assert_eq!(r.masked, "—");
            }
        }
        // Never the address itself, nor a reference code.
        if let Some(e) = &p.email {
            assert!(!page.body.contains(e.as_str()));
        }
        assert!(!page.body.contains(&p.reference));
    }
    assert_eq!(shown_count(&page, "enquiries"), 6);
    assert_eq!(shown_count(&page, "messages"), 6);
    assert_eq!(shown_count(&page, "sent"), 4);
    assert_eq!(shown_count(&page, "inbox-only"), 2);
    assert_eq!(shown_count(&page, "failed"), 0);
    let audited = audit_actions(&app, "incident.recipients").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, format!("user:{}", sup_a.id));
    assert_eq!(audited[0].outcome, "ok");
    assert!(audited[0].detail.contains(&c), "{}", audited[0].detail);

    // An agent is refused (and that is audited); another programme's staff get 404.
    let refused = agent.get(&format!("{RECIPIENTS}?campaign={c}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(rows(&refused).is_empty());
    let audited = audit_actions(&app, "incident.recipients").await;
    assert_eq!(audited.len(), 2);
    assert!(
        audited
            .iter()
            .any(|a| a.outcome == "denied" && a.actor == format!("user:{}", agent.id))
    );
    let hidden = outsider.get(&format!("{RECIPIENTS}?campaign={c}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(rows(&hidden).is_empty());
    // The outsider's own programme does not list another programme's campaign.
    let other = outsider
        .get(&format!(
            "/console/p/{OTHER}/incident/recipients?campaign={c}"
        ))
        .await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(rows(&other).is_empty());

    // The command line: the same enquiries, no address and no reference code.
    let out = cli(
        &app,
        &[
            "incident",
            "recipients",
            "--programme",
            SLUG,
            "--campaign",
            &c,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "enquiry_id,reply_id,campaign_id,language,template_key,template_version,outcome,sent_at,at"
        )
    );
    let from_cli: BTreeSet<String> = lines
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(from_cli, ids(&general));
    for p in &everyone {
        if let Some(e) = &p.email {
            assert!(!csv.contains(e.as_str()), "an address in the CSV");
            assert!(
                !csv.contains(e.split('@').next().unwrap()),
                "a local part in the CSV"
            );
        }
        assert!(!csv.contains(&p.reference) && !csv.contains(&p.canonical_reference()));
    }
    assert!(!csv.contains('@'));
    assert_eq!(csv.matches(",sent,").count(), 4);
    let audited = audit_actions(&app, "incident.recipients").await;
    assert!(audited.iter().any(|a| a.actor == "cli"), "{audited:?}");
}

/// Now, written to the second as the forms take it.
fn written(t: i64) -> String {
    format!("{}:{:02}", haven::domain::datetime(t), t.rem_euclid(60))
}

async fn wait_for_next_second() -> i64 {
    let start = haven::store::now();
    while haven::store::now() == start {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    haven::store::now()
}

#[tokio::test]
async fn recipients_of_a_template_within_a_window_and_of_an_address_are_exact() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut people = Vec::new();
    for (i, email) in [
        Some("ana@example.org"),
        Some("bo@example.org"),
        Some("ANA@Example.org"), // the same address as the first, written otherwise
        Some("cy@example.org"),
        None,
        Some("di@example.org"),
    ]
    .into_iter()
    .enumerate()
    {
        people.push(enquire(&app, SLUG, email, "en", "other", &format!("Person {i}")).await);
    }
    async fn send(staff: &mut Staff, p: &Person, template: &str) {
        let page = post_reply(
            staff,
            &p.id,
            template,
            "About your enquiry",
            "We are looking at your enquiry.",
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }

    // Replies keep only the hour in clear, so a window means whole hours: what falls
    // outside one is moved to the hour before or after, as if sent then.
    async fn move_replies_of(app: &TestApp, p: &Person, by: i64) {
        use haven::store::test_support::{Arg, execute};
        let moved = execute(
            &app.store,
            "UPDATE replies SET created_at = created_at + $1 WHERE enquiry_id = $2",
            &[Arg::Int(by), Arg::Text(p.id.clone())],
        )
        .await
        .unwrap();
        assert_eq!(moved, 1);
    }
    // Before the window: person 0 from the acknowledgement, an hour earlier.
    send(&mut sup, &people[0], "acknowledgement").await;
    let before = delivered(&app, &sink, 1).await.len();
    move_replies_of(&app, &people[0], -3600).await;
    let since = wait_for_next_second().await;
    // In it: 1, 2 and 4 (inbox only) from the acknowledgement, 3 from another template.
    send(&mut sup, &people[1], "acknowledgement").await;
    send(&mut sup, &people[2], "acknowledgement").await;
    send(&mut sup, &people[4], "acknowledgement").await;
    send(&mut sup, &people[3], "documents").await;
    let during = delivered(&app, &sink, before + 3).await;
    let until = wait_for_next_second().await;
    // After it: 5 from the acknowledgement, its words edited by hand.
    let page = post_reply(
        &mut sup,
        &people[5].id,
        "acknowledgement",
        "About your enquiry",
        "We are looking at your enquiry now.",
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    move_replies_of(&app, &people[5], 3600).await;
    let all = delivered(&app, &sink, during.len() + 1).await;
    assert_eq!(all.len(), 5);

    let in_window: BTreeSet<String> = at_sink(&during[before..], &people)
        .into_iter()
        .filter(|id| *id != people[3].id) // the other template
        .collect();
    assert_eq!(in_window, ids(&[&people[1], &people[2]]));
    let path = format!(
        "{RECIPIENTS}?template=acknowledgement&since={}&until={}",
        written(since),
        written(until)
    );
    let page = sup.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let listed = rows(&page);
    let sent: BTreeSet<String> = listed
        .iter()
        .filter(|r| r.outcome == "sent")
        .map(|r| r.enquiry.clone())
        .collect();
    assert_eq!(sent, in_window, "the window's messages are the sink's");
    let all_listed: BTreeSet<String> = listed.iter().map(|r| r.enquiry.clone()).collect();
    assert_eq!(all_listed, ids(&[&people[1], &people[2], &people[4]]));
    assert_eq!(shown_count(&page, "inbox-only"), 1);
    // Without a window: every acknowledgement.
    let page = sup
        .get(&format!("{RECIPIENTS}?template=acknowledgement"))
        .await;
    let everyone_acked: BTreeSet<String> = rows(&page).into_iter().map(|r| r.enquiry).collect();
    assert_eq!(everyone_acked.len(), 5);
    // The command line agrees with the page.
    let out = cli(
        &app,
        &[
            "incident",
            "recipients",
            "--programme",
            SLUG,
            "--template",
            "acknowledgement",
            "--since",
            &written(since),
            "--until",
            &written(until),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let from_cli: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(from_cli, all_listed);
    // A window the wrong way round is refused, and nothing is looked up.
    let bad = sup
        .get(&format!(
            "{RECIPIENTS}?template=acknowledgement&since={}&until={}",
            written(until),
            written(since)
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Each outbox row records what it was made from, and a keyed hash of its words.
    let stamps = haven::store::test_support::fetch_all(
        &app.store,
        "SELECT template_key, template_version, text_hash FROM outbox ORDER BY created_at, id",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(stamps.len(), 5);
    let mut hashes = BTreeSet::new();
    for row in &stamps {
        let key: Option<String> = sqlx::Row::try_get(row, "template_key").unwrap();
        let version: Option<i64> = sqlx::Row::try_get(row, "template_version").unwrap();
        let hash: Option<Vec<u8>> = sqlx::Row::try_get(row, "text_hash").unwrap();
        assert!(key.is_some() && version.is_some());
        hashes.insert(hash.expect("a text hash"));
    }
    assert_eq!(
        hashes.len(),
        2,
        "the same words hash the same; the one edited by hand stands apart"
    );

    // By address: both enquiries from ana@, however written; the reason is audited,
    // the address is not.
    let refused = sup
        .post(
            RECIPIENTS,
            RECIPIENTS,
            &[
                ("address", "ana@example.org".into()),
                ("reason", " ".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let before_lookups = audit_actions(&app, "incident.recipients").await.len();
    let page = sup
        .post(
            RECIPIENTS,
            RECIPIENTS,
            &[
                ("address", "Ana@EXAMPLE.org".into()),
                (
                    "reason",
                    "She wrote that she got a message meant for someone else".into(),
                ),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let by_address: BTreeSet<String> = rows(&page).into_iter().map(|r| r.enquiry).collect();
    // The sink cannot tell the two enquiries apart (one mailbox): as many messages
    // reached it as the list shows sent, and the enquiries are those of that address.
    let at_ana = all
        .iter()
        .filter(|t| t.rcpt[0].eq_ignore_ascii_case("ana@example.org"))
        .count();
    let listed = rows(&page);
    assert_eq!(
        listed.iter().filter(|r| r.outcome == "sent").count(),
        at_ana
    );
    assert_eq!(at_ana, 2);
    let of_ana: BTreeSet<String> = people
        .iter()
        .filter(|p| {
            p.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case("ana@example.org"))
        })
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(by_address, of_ana);
    assert_eq!(by_address, ids(&[&people[0], &people[2]]));
    let audited = audit_actions(&app, "incident.recipients").await;
    assert_eq!(audited.len(), before_lookups + 1);
    let last = audited
        .iter()
        .find(|a| a.detail.contains("\"address\""))
        .expect("the look-up");
    assert!(last.detail.contains("meant for someone else"));
    assert!(
        !last.detail.to_lowercase().contains("ana@"),
        "{}",
        last.detail
    );
    // An agent cannot look an address up.
    let refused = agent
        .post(
            &format!("/console/p/{SLUG}"),
            RECIPIENTS,
            &[
                ("address", "ana@example.org".into()),
                ("reason", "curious".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(rows(&refused).is_empty());
}

#[tokio::test]
async fn look_ups_are_limited_per_hour() {
    let (app, _sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let reply = "0".repeat(32);
    for _ in 0..haven::incident::recipients::LOOKUPS_PER_HOUR {
        let page = sup.get(&format!("{RECIPIENTS}?reply={reply}")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let page = sup.get(&format!("{RECIPIENTS}?reply={reply}")).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let audited = audit_actions(&app, "incident.recipients").await;
    assert!(audited.iter().any(|a| a.outcome == "alert"));
}

/// Opens an incident as the recipients page's form posts it; returns its id.
async fn open_incident(staff: &mut Staff, fields: &[(&str, String)]) -> String {
    let page = staff
        .post(
            "/console/p/afghanistan-2021/incidents",
            "/console/p/afghanistan-2021/incidents",
            fields,
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location
        .unwrap()
        .strip_prefix("/console/incidents/")
        .unwrap()
        .to_owned()
}

async fn affected(app: &TestApp, incident: &str) -> BTreeSet<String> {
    app.store
        .incident_enquiries(incident)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.enquiry_id)
        .collect()
}

#[tokio::test]
async fn an_incident_opened_from_a_list_freezes_its_set_seals_its_words_and_audits_each_change() {
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut outsider = signed_in(&app, "x@example.org", Supervisor, Some(OTHER)).await;
    let mut everyone = Vec::new();
    for i in 0..4 {
        let email = format!("person{i}@example.org");
        let lang = ["en", "fr", "uk", "ar"][i];
        everyone.push(
            enquire(
                &app,
                SLUG,
                Some(&email),
                lang,
                "other",
                &format!("Person {i}"),
            )
            .await,
        );
    }
    let family = enquire(
        &app,
        SLUG,
        Some("fam@example.net"),
        "en",
        "family_reunion",
        "Person F",
    )
    .await;
    let c = campaign(&mut sup_a, &mut sup_b, "acknowledgement", "general").await;
    delivered(&app, &sink, 4).await;

    // Opened from the campaign's list, discovered 80 hours ago: the clock is overdue.
    let discovered = haven::store::now() - 80 * 3600;
    let secret = "Sent the acknowledgement to the wrong queue by mistake";
    let id = open_incident(
        &mut sup_a,
        &[
            ("campaign", c.clone()),
            ("discovered", written(discovered)),
            ("what_happened", secret.into()),
        ],
    )
    .await;
    let general: BTreeSet<String> = everyone.iter().map(|p| p.id.clone()).collect();
    assert_eq!(
        affected(&app, &id).await,
        general,
        "the campaign's enquiries"
    );
    let page = sup_a.get(&format!("/console/incidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let shown = html_unescape(&page.body);
    assert!(shown.contains(secret), "the words, opened for the page");
    assert!(shown.contains("overdue by 8 h"), "the clock: {shown}");
    assert!(shown.contains(&haven::domain::datetime(discovered + 72 * 3600)));
    crate::replies::assert_not_stored_in_clear(&app, "wrong queue by mistake").await;
    let opened = audit_actions(&app, "incident.open").await;
    assert_eq!(opened.len(), 1);
    assert!(
        opened[0].detail.contains("\"enquiries\":4"),
        "{}",
        opened[0].detail
    );
    assert!(!opened[0].detail.contains("wrong queue"));
    assert_eq!(
        audit_actions(&app, "incident.read").await.len(),
        1,
        "the page's read"
    );

    // Frozen: a later reply from the same template does not join the set by itself.
    let page = post_reply(&mut sup_a, &family.id, "acknowledgement", "About", "Hello").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(affected(&app, &id).await, general);
    // Extended by a look-up of that one reply.
    let reply = app.store.replies_of(&family.id).await.unwrap()[0]
        .id
        .clone();
    let page = sup_b
        .post(
            &format!("/console/incidents/{id}"),
            &format!("/console/incidents/{id}/extend"),
            &[("reply", reply)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut extended = general.clone();
    extended.insert(family.id.clone());
    assert_eq!(affected(&app, &id).await, extended);

    // A change: the audit entry names what changed, never the words.
    let page = sup_b
        .post(
            &format!("/console/incidents/{id}"),
            &format!("/console/incidents/{id}"),
            &[
                ("discovered", written(discovered)),
                ("what_happened", secret.into()),
                ("category-contact", "on".into()),
                ("category-name", "on".into()),
                ("likelihood", "medium".into()),
                ("severity", "high".into()),
                (
                    "harm_reasons",
                    "Names and addresses of people at risk".into(),
                ),
                (
                    "actions",
                    format!(
                        "Campaign cancelled; relay asked to purge; wrote to {} about {}",
                        everyone[0].email.as_deref().unwrap(),
                        everyone[0].reference
                    ),
                ),
                ("reporting", "report".into()),
                ("reporting_reasons", "High risk to the people named".into()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let record = app.store.incident(&id).await.unwrap().unwrap();
    assert_eq!(
        (record.likelihood.as_str(), record.severity.as_str()),
        ("medium", "high")
    );
    assert_eq!(record.categories, "contact,name");
    assert_eq!(record.reporting, "report");
    crate::replies::assert_not_stored_in_clear(&app, "relay asked to purge").await;
    let updates = audit_actions(&app, "incident.update").await;
    let last = updates
        .iter()
        .find(|u| u.detail.contains("harm_reasons"))
        .expect("the change");
    assert!(last.detail.contains("\"actions\"") && last.detail.contains("\"severity\""));
    assert!(
        !last.detail.contains("\"what_happened\""),
        "unchanged: {}",
        last.detail
    );
    assert!(!last.detail.contains("relay asked"), "{}", last.detail);
    assert_eq!(last.actor, format!("user:{}", sup_b.id));

    // The report for the regulator: counts, the assessment, the actions; no name,
    // address or reference code, even one typed into the actions.
    let res = sup_a.get(&format!("/console/incidents/{id}/report")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(
        res.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let out = cli(&app, &["incident", "report", &id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_cli = String::from_utf8(out.stdout).unwrap();
    let mut by_language = BTreeMap::<String, usize>::new();
    for a in app.store.incident_enquiries(&id).await.unwrap() {
        *by_language.entry(a.language).or_default() += 1;
    }
    for report in [&res.body, &from_cli] {
        assert!(report.contains("Affected enquiries: 5"), "{report}");
        for (lang, n) in &by_language {
            assert!(
                report.contains(&format!("({lang}) | {n} |")),
                "{lang}: {report}"
            );
        }
        assert!(
            report.contains("| sent | 4 |") && report.contains("| pending | 1 |"),
            "{report}"
        );
        assert!(report.contains("Likelihood: medium") && report.contains("Severity: high"));
        assert!(report.contains("- contact: 5 enquiries"));
        assert!(report.contains("relay asked to purge"));
        assert!(report.contains("incident.open") && report.contains("incident.update"));
        for p in everyone.iter().chain([&family]) {
            assert!(!report.contains(&p.name), "a name in the report");
            assert!(!report.contains(&p.reference) && !report.contains(&p.canonical_reference()));
            assert!(
                !report.contains(p.email.as_deref().unwrap()),
                "an address in the report"
            );
        }
        assert!(!report.contains('@'), "{report}");
    }
    assert_eq!(audit_actions(&app, "incident.report").await.len(), 2);
    // Closed: no change afterwards.
    let close = |extra: Option<(&'static str, String)>| {
        let mut f = vec![
            ("discovered", written(discovered)),
            ("likelihood", "medium".to_string()),
            ("severity", "high".to_string()),
            ("reporting", "reported".to_string()),
        ];
        f.extend(extra);
        f
    };
    let page = sup_b
        .post(
            &format!("/console/incidents/{id}"),
            &format!("/console/incidents/{id}"),
            &close(Some(("close", "on".into()))),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        app.store
            .incident(&id)
            .await
            .unwrap()
            .unwrap()
            .closed_at
            .is_some()
    );
    let page = sup_b
        .post(
            &format!("/console/incidents/{id}"),
            &format!("/console/incidents/{id}"),
            &close(None),
        )
        .await;
    assert_eq!(
        page.location.as_deref(),
        Some(format!("/console/incidents/{id}?done=closed").as_str())
    );

    // Agents are refused, another programme's staff see nothing.
    assert_eq!(
        agent.get(&format!("/console/incidents/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent
            .get("/console/p/afghanistan-2021/incidents")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        outsider
            .get(&format!("/console/incidents/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        outsider
            .get("/console/p/afghanistan-2021/incidents")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The programme's list shows it.
    let list = sup_a.get("/console/p/afghanistan-2021/incidents").await;
    assert!(list.body.contains(&format!("data-incident=\"{id}\"")));

    // A blank one has an empty set and its discovery time defaults to now.
    let blank = open_incident(&mut sup_a, &[("what_happened", "A laptop was lost".into())]).await;
    assert!(affected(&app, &blank).await.is_empty());
    let record = app.store.incident(&blank).await.unwrap().unwrap();
    assert!((haven::store::now() - record.discovered_at).abs() < 60);
    assert_eq!(record.source, "blank");
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn everything_an_account_opened_in_a_window_is_exactly_what_the_audit_log_holds() {
    let (app, _sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut g = Vec::new();
    for i in 0..4 {
        g.push(enquire(&app, SLUG, None, "en", "other", &format!("Person G{i}")).await);
    }
    let f: Vec<Person> = family(&app, 2).await;
    let view = |id: &str| format!("/console/e/{id}");

    assert_eq!(sup_b.get(&view(&g[0].id)).await.status, StatusCode::OK); // before
    let since = wait_for_next_second().await;
    assert_eq!(sup_b.get(&view(&g[1].id)).await.status, StatusCode::OK);
    assert_eq!(sup_b.get(&view(&g[2].id)).await.status, StatusCode::OK);
    // Approving a bulk reply opens every enquiry of it.
    campaign(&mut sup_a, &mut sup_b, "acknowledgement", "family").await;
    assert_eq!(agent.get(&view(&g[3].id)).await.status, StatusCode::OK); // someone else
    let until = wait_for_next_second().await;
    assert_eq!(sup_b.get(&view(&g[3].id)).await.status, StatusCode::OK); // after

    let path = format!(
        "{RECIPIENTS}?account=sb%40example.org&since={}&until={}",
        written(since),
        written(until)
    );
    let page = sup_a.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let listed: BTreeSet<String> = rows(&page).into_iter().map(|r| r.enquiry).collect();
    let expected: BTreeSet<String> = [&g[1], &g[2], &f[0], &f[1]]
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(listed, expected);
    // The same set, read straight from the log.
    let log = app
        .store
        .search_audit(
            &haven::audit::Filter {
                actor: format!("user:{}", sup_b.id),
                from: Some(since),
                until: Some(until),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap();
    let mut from_log = BTreeSet::new();
    for e in &log {
        if let Some(id) = e.subject.strip_prefix("enquiry:")
            && ["enquiry.view", "campaign.preview"].contains(&e.action.as_str())
        {
            from_log.insert(id.to_owned());
        }
        if let Some(c) = e.subject.strip_prefix("campaign:")
            && e.action == "campaign.expand"
        {
            from_log.extend(app.store.campaign_enquiry_ids(c).await.unwrap());
        }
    }
    assert_eq!(listed, from_log);
    assert_eq!(shown_count(&page, "no-message"), 4);

    // The command line reads the same set from the log.
    let out = cli(
        &app,
        &[
            "incident",
            "recipients",
            "--programme",
            SLUG,
            "--opened-by",
            "sb@example.org",
            "--since",
            &written(since),
            "--until",
            &written(until),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let from_cli: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(from_cli, expected);
    assert!(!csv.contains('@'));
    // An incident opened from that list holds exactly that set.
    let id = open_incident(
        &mut sup_a,
        &[
            ("account", "sb@example.org".into()),
            ("since", written(since)),
            ("until", written(until)),
            ("what_happened", "The laptop of sb was stolen".into()),
        ],
    )
    .await;
    assert_eq!(affected(&app, &id).await, expected);
    assert_eq!(
        app.store.incident(&id).await.unwrap().unwrap().source,
        "opened"
    );

    // A key rotation re-seals the incident's words too: nothing is left on the old
    // key (which could then be destroyed), and the page still reads them.
    let before = app
        .store
        .incident(&id)
        .await
        .unwrap()
        .unwrap()
        .sealed
        .key_id;
    let out = cli(&app, &["programme", "rotate-key", SLUG]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    app.refresh_programme(SLUG);
    let after = app
        .store
        .incident(&id)
        .await
        .unwrap()
        .unwrap()
        .sealed
        .key_id;
    assert_ne!(before, after);
    let pid = app.store.programme_by_slug(SLUG).await.unwrap().unwrap().id;
    let usage = app.store.key_usage(&pid).await.unwrap();
    assert_eq!(
        usage
            .iter()
            .find(|k| k.key_id == before)
            .unwrap()
            .ciphertexts,
        0
    );
    let page = sup_a.get(&format!("/console/incidents/{id}")).await;
    assert!(html_unescape(&page.body).contains("The laptop of sb was stolen"));

    // Enquiries that arrived in a window (by the hour they arrived).
    let hour = haven::store::hour_of(haven::store::now());
    let page = sup_a
        .get(&format!(
            "{RECIPIENTS}?submitted=1&since={}&until={}",
            written(hour),
            written(hour + 3600)
        ))
        .await;
    let all: BTreeSet<String> = rows(&page).into_iter().map(|r| r.enquiry).collect();
    assert_eq!(all, g.iter().chain(&f).map(|p| p.id.clone()).collect());
    let page = sup_a
        .get(&format!(
            "{RECIPIENTS}?submitted=1&since={}&until={}",
            written(hour - 7200),
            written(hour)
        ))
        .await;
    assert!(rows(&page).is_empty());
    app.run_pending_jobs().await;
}

/// Two enquiries in the "family" queue, with addresses.
async fn family(app: &TestApp, n: usize) -> Vec<Person> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("fam{i}@example.net");
        out.push(
            enquire(
                app,
                SLUG,
                Some(&email),
                "en",
                "family_reunion",
                &format!("Person F{i}"),
            )
            .await,
        );
    }
    out
}
