//! Bulk replies ("campaigns") through real HTTP: a supervisor prepares one over a
//! selection fixed at that moment, a second supervisor approves it, and Haven's own
//! worker sends one separate message per person to the SMTP sink. Assertions are on
//! database rows, audit entries and the bytes the sink received.

use std::collections::{BTreeMap, BTreeSet};

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, html_unescape};
use crate::replies::{
    OTHER, Person, audit_actions, check_message, count, delivered, enquire, enquiry_status, haven,
    open_inbox, readable_text,
};
use crate::smtp_sink::SmtpSink;
use crate::staff::{Page, Staff, signed_in};

const CAMPAIGNS: &str = "/console/p/afghanistan-2021/campaigns";

/// Posts the "new campaign" form; `(page, campaign id if it was created)`.
async fn create(
    staff: &mut Staff,
    template: &str,
    queue: &str,
    status: &str,
    language: &str,
) -> (Page, Option<String>) {
    let page = staff
        .post(
            CAMPAIGNS,
            CAMPAIGNS,
            &[
                ("template", template.to_owned()),
                ("queue", queue.to_owned()),
                ("status", status.to_owned()),
                ("language", language.to_owned()),
            ],
        )
        .await;
    let id = (page.status == StatusCode::SEE_OTHER).then(|| {
        let location = page.location.clone().expect("a redirect");
        let rest = location
            .strip_prefix("/console/c/")
            .unwrap_or_else(|| panic!("redirected to {location}, not to the campaign"));
        rest.split(['?', '#']).next().unwrap().to_owned()
    });
    (page, id)
}

pub(crate) async fn created(
    staff: &mut Staff,
    template: &str,
    queue: &str,
    status: &str,
    language: &str,
) -> String {
    let (page, id) = create(staff, template, queue, status, language).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    id.unwrap()
}

/// Approve or cancel, with the session's token (the page may show neither button),
/// as the campaign's page would post it: an approval names the text it showed.
pub(crate) async fn decide(staff: &mut Staff, campaign: &str, what: &str) -> Page {
    let shown = staff.get(&format!("/console/c/{campaign}")).await;
    let seen = crate::helpers::extract_input(&shown.body, "seen").unwrap_or_default();
    staff
        .post(
            "/console",
            &format!("/console/c/{campaign}/{what}"),
            &[
                ("seen", seen),
                ("password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await
}

fn assert_dispatched_redirect(page: &Page, campaign: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.as_deref().unwrap_or("");
    assert!(
        location.starts_with(&format!("/console/c/{campaign}")) && !location.contains("conflict"),
        "{location}"
    );
}

/// A second approval (or an approval of something no longer pending): a conflict
/// redirect or 409, never a success.
fn assert_not_dispatched_again(page: &Page, campaign: &str) {
    match page.status {
        StatusCode::CONFLICT => {}
        StatusCode::SEE_OTHER => {
            let location = page.location.as_deref().unwrap_or("");
            assert_eq!(location, format!("/console/c/{campaign}?done=conflict"));
        }
        other => panic!("unexpected {other}: {}", page.body),
    }
}

/// The words of a page without its markup.
fn page_text(html: &str) -> Vec<String> {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    html_unescape(&out)
        .split_whitespace()
        .map(|w| w.trim_matches([':', ',', '.', '(', ')']).to_lowercase())
        .collect()
}

/// Whether the page shows `n` next to the word `label` ("Sent 8", "8 sent").
fn shows_count(html: &str, label: &str, n: usize) -> bool {
    let words = page_text(html);
    let n = n.to_string();
    words.iter().enumerate().any(|(i, w)| {
        w == label && (words.get(i + 1) == Some(&n) || (i > 0 && words.get(i - 1) == Some(&n)))
    })
}

async fn campaign_state(app: &TestApp, id: &str) -> String {
    app.store
        .campaign(id)
        .await
        .unwrap()
        .expect("campaign")
        .state
        .to_string()
}

async fn rows_of_campaign(app: &TestApp, id: &str) -> i64 {
    app.store
        .outbox_counts_for_campaign(id)
        .await
        .unwrap()
        .total()
}

async fn replies_of_campaign(app: &TestApp, id: &str) -> i64 {
    haven::store::test_support::scalar(
        &app.store,
        "SELECT COUNT(*) FROM replies WHERE campaign_id = $1",
        &[id.into()],
    )
    .await
    .unwrap()
}

fn ids(people: &[&Person]) -> BTreeSet<String> {
    people.iter().map(|p| p.id.clone()).collect()
}

/// The checks after a dispatch: one reply per selected enquiry and none elsewhere,
/// one outbox row per selected enquiry with an email, and exactly those messages at
/// the sink (counted from `already` on), each to one person only.
async fn assert_sent_to_exactly(
    app: &TestApp,
    sink: &SmtpSink,
    campaign: &str,
    selected: &[&Person],
    everyone: &[Person],
    already: usize,
) {
    let selected_ids = ids(selected);
    for p in everyone {
        let replies = app.store.replies_of(&p.id).await.unwrap();
        let from_this: Vec<_> = replies
            .iter()
            .filter(|r| r.campaign_id.as_deref() == Some(campaign))
            .collect();
        let rows = app.store.outbox_of_enquiry(&p.id).await.unwrap();
        let rows_here = rows
            .iter()
            .filter(|r| r.campaign_id.as_deref() == Some(campaign))
            .count();
        if selected_ids.contains(&p.id) {
            assert_eq!(from_this.len(), 1, "one reply for {}", p.name);
            assert_eq!(from_this[0].emailed, p.email.is_some());
            assert_eq!(rows_here, usize::from(p.email.is_some()), "{}", p.name);
        } else {
            assert!(from_this.is_empty(), "{} is not in the selection", p.name);
            assert_eq!(rows_here, 0, "{} is not in the selection", p.name);
        }
    }
    let with_email: Vec<&&Person> = selected.iter().filter(|p| p.email.is_some()).collect();
    assert_eq!(
        replies_of_campaign(app, campaign).await,
        selected.len() as i64
    );
    assert_eq!(
        rows_of_campaign(app, campaign).await,
        with_email.len() as i64
    );

    let all = delivered(app, sink, already + with_email.len()).await;
    let new = &all[already..];
    assert_eq!(
        new.len(),
        with_email.len(),
        "SMTP transactions = enquiries with an email address"
    );
    let by_email: BTreeMap<&str, &Person> = everyone
        .iter()
        .filter_map(|p| p.email.as_deref().map(|e| (e, p)))
        .collect();
    let mut seen = BTreeSet::new();
    for t in new {
        assert_eq!(t.rcpt.len(), 1, "one RCPT TO");
        let to = by_email
            .get(t.rcpt[0].as_str())
            .unwrap_or_else(|| panic!("a message to an unknown address"));
        assert!(
            selected_ids.contains(&to.id),
            "a message to {} who was not selected",
            to.name
        );
        assert!(seen.insert(to.id.clone()), "two messages to {}", to.name);
        check_message(t, to, everyone);
        // Rendered for this person: their name, and nobody else's.
        let text = readable_text(&t.data);
        assert!(text.contains(&to.name), "{}'s own name", to.name);
        for other in everyone.iter().filter(|o| o.id != to.id) {
            assert!(
                !text.contains(&other.name),
                "{} in {}'s message",
                other.name,
                to.name
            );
        }
    }
    assert_eq!(seen.len(), with_email.len());
}

/// The campaign's page once the worker has run: it must show `n` sent.
async fn page_shows_sent(app: &TestApp, staff: &mut Staff, campaign: &str, n: usize) -> Page {
    app.run_pending_jobs().await;
    let page = staff.get(&format!("/console/c/{campaign}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        shows_count(&page.body, "sent", n),
        "the campaign page does not show {n} sent: {:?}",
        page_text(&page.body).join(" ")
    );
    page
}

// ── 7 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn campaigns_need_a_second_supervisor_and_send_one_message_per_person() {
    let (app, sink) = haven(&[(SLUG, "full"), (OTHER, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut outsider = signed_in(&app, "x@example.org", Supervisor, Some(OTHER)).await;

    // 12 in "general" (8 with email, 4 inbox-only) and 4 in "family" that must not be
    // included.
    let mut everyone = Vec::new();
    for i in 0..12 {
        let email = (i % 3 != 2).then(|| format!("general{i:02}@example{}.org", i % 4));
        everyone.push(
            enquire(
                &app,
                SLUG,
                email.as_deref(),
                "en",
                "other",
                &format!("Person G{i:02}"),
            )
            .await,
        );
    }
    for i in 0..4 {
        let email = (i % 2 == 0).then(|| format!("family{i:02}@example.net"));
        everyone.push(
            enquire(
                &app,
                SLUG,
                email.as_deref(),
                "en",
                "family_reunion",
                &format!("Person F{i:02}"),
            )
            .await,
        );
    }
    let general: Vec<&Person> = everyone.iter().filter(|p| p.queue == "general").collect();
    assert_eq!(general.len(), 12);
    assert_eq!(general.iter().filter(|p| p.email.is_some()).count(), 8);

    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    let record = app.store.campaign(&c).await.unwrap().unwrap();
    assert_eq!(record.state, "pending");
    assert_eq!(record.enquiry_count, 12);
    assert_eq!(record.created_by, sup_a.id);
    assert_eq!(record.template_key, "acknowledgement");
    let fixed: BTreeSet<String> = app
        .store
        .campaign_enquiry_ids(&c)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(fixed, ids(&general), "exactly the general queue");
    let audited = audit_actions(&app, "campaign.create").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, format!("user:{}", sup_a.id));

    // The campaign page: count, template, state, and a preview for one real person of
    // the selection.
    let page = sup_b.get(&format!("/console/c/{c}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = html_unescape(&page.body);
    assert!(shown.contains("pending"));
    assert!(shown.contains("Acknowledgement") || shown.contains("acknowledgement"));
    assert!(
        shows_count(&page.body, "enquiries", 12) || shown.contains(">12<"),
        "the count"
    );
    assert!(
        shown.contains("We have received your enquiry to Haven"),
        "a preview"
    );
    assert!(
        general
            .iter()
            .any(|p| shown.contains(&format!("Hello {},", p.name))),
        "the preview is for a person of the selection"
    );
    assert!(
        !everyone
            .iter()
            .any(|p| p.queue == "family" && shown.contains(&p.name))
    );

    // Another programme's staff: not found.
    assert_eq!(
        outsider.get(&format!("/console/c/{c}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        decide(&mut outsider, &c, "approve").await.status,
        StatusCode::NOT_FOUND
    );
    // The creator cannot approve, nor can an agent.
    assert_eq!(
        decide(&mut sup_a, &c, "approve").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        decide(&mut agent, &c, "approve").await.status,
        StatusCode::FORBIDDEN
    );
    // Nothing before approval, with every job run.
    app.run_pending_jobs().await;
    assert_eq!(campaign_state(&app, &c).await, "pending");
    assert_eq!(
        count(&app, "outbox").await,
        0,
        "nothing queued before approval"
    );
    assert_eq!(count(&app, "replies").await, 0);
    assert!(sink.transactions().is_empty());
    assert!(general.iter().all(|p| p.queue == "general"));
    for p in &everyone {
        assert_eq!(enquiry_status(&app, &p.id).await, "new");
    }

    // A second supervisor approves: one reply each, one email each with an address.
    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_dispatched_redirect(&approved, &c);
    let record = app.store.campaign(&c).await.unwrap().unwrap();
    assert_eq!(record.state, "dispatched");
    assert_eq!(record.decided_by.as_deref(), Some(sup_b.id.as_str()));
    let approvals: Vec<_> = audit_actions(&app, "campaign.approve")
        .await
        .into_iter()
        .filter(|e| e.outcome == "ok")
        .collect();
    assert_eq!(approvals.len(), 1);
    assert_eq!(approvals[0].actor, format!("user:{}", sup_b.id));
    assert_sent_to_exactly(&app, &sink, &c, &general, &everyone, 0).await;
    for p in &everyone {
        let expected = if p.queue == "general" {
            "awaiting_reply"
        } else {
            "new"
        };
        assert_eq!(enquiry_status(&app, &p.id).await, expected, "{}", p.name);
    }
    // Full mode, and the template names the reference: each email has its own.
    for t in sink.transactions() {
        let to = everyone
            .iter()
            .find(|p| p.email.as_deref() == Some(t.rcpt[0].as_str()))
            .unwrap();
        assert!(
            readable_text(&t.data).contains(&to.reference),
            "{}'s own reference",
            to.name
        );
    }

    let page = page_shows_sent(&app, &mut sup_a, &c, 8).await;
    assert!(html_unescape(&page.body).contains("dispatched"));
    assert!(shows_count(&page.body, "failed", 0));

    // The programme's list shows it with its state and progress; others cannot see it.
    let list = sup_b.get(CAMPAIGNS).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&format!("/console/c/{c}")));
    assert!(list.body.contains("dispatched"));
    assert_eq!(outsider.get(CAMPAIGNS).await.status, StatusCode::NOT_FOUND);

    // An inbox-only person reads it in the reply inbox.
    let zoe = general.iter().find(|p| p.email.is_none()).unwrap();
    let (status, inbox) = open_inbox(&app, SLUG, &zoe.reference, &zoe.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains(&format!("Hello {},", zoe.name)));
    assert!(inbox.contains("We have your enquiry"));

    // Approving again, by the same or a third supervisor, adds nothing.
    let mut sup_c = signed_in(&app, "sc@example.org", Supervisor, Some(SLUG)).await;
    assert_not_dispatched_again(&decide(&mut sup_b, &c, "approve").await, &c);
    assert_not_dispatched_again(&decide(&mut sup_c, &c, "approve").await, &c);
    app.run_pending_jobs().await;
    assert_eq!(count(&app, "replies").await, 12);
    assert_eq!(count(&app, "outbox").await, 8);
    assert_eq!(sink.transactions().len(), 8);
    assert_eq!(
        app.store
            .campaign(&c)
            .await
            .unwrap()
            .unwrap()
            .decided_by
            .as_deref(),
        Some(sup_b.id.as_str())
    );
}

// ── 8 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn enquiries_that_arrive_after_a_campaign_is_prepared_are_not_in_it() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut everyone = vec![
        enquire(
            &app,
            SLUG,
            Some("early1@example.org"),
            "en",
            "other",
            "Early One",
        )
        .await,
        enquire(
            &app,
            SLUG,
            Some("early2@example.org"),
            "en",
            "other",
            "Early Two",
        )
        .await,
        enquire(&app, SLUG, None, "en", "other", "Early Three").await,
    ];
    let c = created(&mut sup_a, "documents", "general", "", "").await;
    everyone.push(
        enquire(
            &app,
            SLUG,
            Some("late1@example.org"),
            "en",
            "other",
            "Late One",
        )
        .await,
    );
    everyone.push(enquire(&app, SLUG, None, "en", "other", "Late Two").await);

    let approved = decide(&mut sup_b, &c, "approve").await;
    assert_dispatched_redirect(&approved, &c);
    let early: Vec<&Person> = everyone
        .iter()
        .filter(|p| p.name.starts_with("Early"))
        .collect();
    assert_eq!(
        app.store.campaign(&c).await.unwrap().unwrap().enquiry_count,
        3
    );
    assert_sent_to_exactly(&app, &sink, &c, &early, &everyone, 0).await;
    for late in everyone.iter().filter(|p| p.name.starts_with("Late")) {
        assert!(app.store.replies_of(&late.id).await.unwrap().is_empty());
        assert_eq!(enquiry_status(&app, &late.id).await, "new");
    }
    assert_eq!(count(&app, "outbox").await, 2);
}

// ── 9 ────────────────────────────────────────────────────────────────────────────

#[tokio::test]
async fn a_cancelled_campaign_cannot_be_approved_and_sends_nothing() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut everyone = Vec::new();
    for (i, email) in [Some("c1@example.org"), Some("c2@example.org"), None, None]
        .into_iter()
        .enumerate()
    {
        everyone.push(enquire(&app, SLUG, email, "en", "other", &format!("Person C{i}")).await);
    }

    // The creator cancels; an agent could not.
    let first = created(&mut sup_a, "acknowledgement", "", "", "").await;
    assert_eq!(
        decide(&mut agent, &first, "cancel").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(campaign_state(&app, &first).await, "pending");
    let cancelled = decide(&mut sup_a, &first, "cancel").await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(campaign_state(&app, &first).await, "cancelled");
    // …and then nobody can approve it.
    let refused = decide(&mut sup_b, &first, "approve").await;
    assert!(
        matches!(
            refused.status,
            StatusCode::SEE_OTHER | StatusCode::CONFLICT | StatusCode::FORBIDDEN
        ),
        "{}",
        refused.status
    );
    if refused.status == StatusCode::SEE_OTHER {
        assert_eq!(
            refused.location.as_deref(),
            Some(format!("/console/c/{first}?done=conflict").as_str())
        );
    }
    assert_eq!(campaign_state(&app, &first).await, "cancelled");

    // Another supervisor may cancel one they did not create.
    let second = created(&mut sup_a, "documents", "general", "new", "en").await;
    assert_eq!(
        decide(&mut sup_b, &second, "cancel").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(campaign_state(&app, &second).await, "cancelled");
    let refused = decide(&mut sup_b, &second, "approve").await;
    assert_ne!(refused.status, StatusCode::OK);
    assert_eq!(campaign_state(&app, &second).await, "cancelled");

    app.run_pending_jobs().await;
    assert_eq!(count(&app, "replies").await, 0);
    assert_eq!(count(&app, "outbox").await, 0);
    assert!(
        sink.transactions().is_empty(),
        "a cancelled campaign sends nothing"
    );
    for p in &everyone {
        assert_eq!(enquiry_status(&app, &p.id).await, "new");
    }

    // Only pending campaigns can be cancelled: a dispatched one stays dispatched.
    let third = created(&mut sup_a, "acknowledgement", "", "", "").await;
    assert_dispatched_redirect(&decide(&mut sup_b, &third, "approve").await, &third);
    let late = decide(&mut sup_a, &third, "cancel").await;
    assert_ne!(late.status, StatusCode::OK);
    assert_eq!(campaign_state(&app, &third).await, "dispatched");
    let all: Vec<&Person> = everyone.iter().collect();
    assert_sent_to_exactly(&app, &sink, &third, &all, &everyone, 0).await;
}

#[tokio::test]
async fn only_supervisors_prepare_campaigns_and_an_empty_selection_is_refused() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let mut sup = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    enquire(
        &app,
        SLUG,
        Some("ana@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;

    let page = agent.get(CAMPAIGNS).await;
    assert_eq!(page.status, StatusCode::OK, "members see the list");
    let (page, _) = create(&mut agent, "acknowledgement", "", "", "").await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "an agent cannot prepare one"
    );

    for (queue, status, language) in [("family", "", ""), ("", "closed", ""), ("", "", "fr")] {
        let (page, id) = create(&mut sup, "acknowledgement", queue, status, language).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{queue}/{status}/{language}"
        );
        assert!(id.is_none());
        assert!(page.body.contains("error"), "an error is shown");
    }
    assert_eq!(count(&app, "campaigns").await, 0);
    assert!(audit_actions(&app, "campaign.create").await.is_empty());
}

// ── 10 ───────────────────────────────────────────────────────────────────────────

/// xorshift64*: enough randomness for choosing selections, reproducible from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[(self.next() % from.len() as u64) as usize]
    }
}

#[tokio::test]
async fn random_campaigns_send_exactly_one_message_to_each_selected_address() {
    let seed = std::env::var("HAVEN_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("random campaigns: HAVEN_TEST_SEED={seed}");
    let mut rng = Rng(seed);
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;

    let categories = ["other", "family_reunion", "former_staff"];
    let mut everyone = Vec::new();
    for i in 0..18 {
        let category = *rng.pick(&categories);
        let lang = *rng.pick(&["en", "fr"]);
        let email = (rng.next() % 5 < 3)
            .then(|| format!("r{i:02}.{}@example{}.org", rng.next() % 1000, i % 3));
        everyone.push(
            enquire(
                &app,
                SLUG,
                email.as_deref(),
                lang,
                category,
                &format!("Random R{i:02}"),
            )
            .await,
        );
    }

    let mut sent_so_far = 0;
    for round in 0..4 {
        let queue = *rng.pick(&["", "general", "family", "former-staff"]);
        let status = *rng.pick(&["", "new", "awaiting_reply"]);
        let language = *rng.pick(&["", "en", "fr"]);
        let template = *rng.pick(&["acknowledgement", "documents"]);
        let what = format!(
            "seed {seed}, round {round}: queue={queue:?} status={status:?} language={language:?}"
        );
        let mut selected = Vec::new();
        for p in &everyone {
            let current = enquiry_status(&app, &p.id).await;
            if (queue.is_empty() || p.queue == queue)
                // Closed enquiries only when chosen (issue 19 item 4).
                && (if status.is_empty() { current != "closed" } else { current == status })
                && (language.is_empty() || p.lang == language)
            {
                selected.push(p);
            }
        }
        let (page, id) = create(&mut sup_a, template, queue, status, language).await;
        if selected.is_empty() {
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
            continue;
        }
        let c = id.unwrap_or_else(|| panic!("{what}: {} {}", page.status, page.body));
        let fixed: BTreeSet<String> = app
            .store
            .campaign_enquiry_ids(&c)
            .await
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(fixed, ids(&selected), "{what}");
        assert_dispatched_redirect(&decide(&mut sup_b, &c, "approve").await, &c);
        assert_sent_to_exactly(&app, &sink, &c, &selected, &everyone, sent_so_far).await;
        sent_so_far += selected.iter().filter(|p| p.email.is_some()).count();
    }
    assert_eq!(sink.transactions().len(), sent_so_far);
}

/// The approver approves the text they saw, or nothing: a template edited after the
/// campaign was prepared (here, between the approver's preview and the approval) is not
/// what goes out.
#[tokio::test]
async fn a_template_edited_after_the_preview_is_never_what_a_campaign_sends() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let mut admin = crate::programmes::admin(&app).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana").await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;

    // The approver reads the preview…
    let preview = sup_b.get(&format!("/console/c/{c}")).await;
    assert!(html_unescape(&preview.body).contains("We have received your enquiry"));
    let seen = crate::helpers::extract_input(&preview.body, "seen").unwrap_or_default();

    // …someone edits the template…
    let definition = crate::programmes::exported(&app, SLUG).await;
    let original = "We have received your enquiry to {programme}";
    assert!(definition.contains(original));
    let edited = definition.replace(
        original,
        "PHISHING-CANARY: confirm your identity at https://evil.example/{reference}",
    );
    crate::programmes::saved(
        &crate::programmes::edit(
            &mut admin,
            SLUG,
            "/toml",
            &[("definition", edited.as_str())],
        )
        .await,
    );

    // …and the approval, of what the approver saw, is refused: nothing goes out.
    let approved = sup_b
        .post(
            "/console",
            &format!("/console/c/{c}/approve"),
            &[
                ("seen", seen),
                ("password", crate::staff::PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(
        approved.location.as_deref(),
        Some(format!("/console/c/{c}?done=campaign-changed").as_str())
    );
    assert_eq!(campaign_state(&app, &c).await, "pending");
    assert_eq!(count(&app, "replies").await, 0);
    assert_eq!(count(&app, "outbox").await, 0);
    let refused = audit_actions(&app, "campaign.approve").await;
    assert!(
        refused
            .iter()
            .any(|e| e.outcome == "denied" && e.detail.contains("template-changed")),
        "{refused:?}"
    );
    // The page says why, still shows the text it was prepared with, and offers no
    // approval; an approval posted anyway (with any claimed text) is refused too.
    let page = sup_b.get(&format!("/console/c/{c}")).await;
    let shown = html_unescape(&page.body);
    assert!(shown.contains("id=\"campaign-changed\""), "{shown}");
    assert!(shown.contains("We have received your enquiry"));
    assert!(!shown.contains("PHISHING-CANARY"));
    assert!(!shown.contains(&format!("/console/c/{c}/approve")));
    let forced = decide(&mut sup_b, &c, "approve").await;
    assert_eq!(
        forced.location.as_deref(),
        Some(format!("/console/c/{c}?done=campaign-changed").as_str())
    );
    assert_eq!(count(&app, "outbox").await, 0);

    // A campaign prepared now carries the new text, and sends exactly that.
    let again = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    assert_dispatched_redirect(&decide(&mut sup_b, &again, "approve").await, &again);
    let received = delivered(&app, &sink, 1).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].rcpt, vec![ana.email.clone().unwrap()]);
    assert!(readable_text(&received[0].data).contains("PHISHING-CANARY"));
}

/// What is sent is the text pinned when the campaign was prepared, whatever the
/// template says by the time the approval is expanded.
#[tokio::test]
async fn a_campaign_sends_the_text_it_was_prepared_with() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let mut sup_b = signed_in(&app, "sb@example.org", Supervisor, Some(SLUG)).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "fr", "other", "Ana").await;
    let c = created(&mut sup_a, "acknowledgement", "general", "", "").await;
    let pinned = app.store.campaign(&c).await.unwrap().unwrap();
    let texts = pinned
        .template_text
        .expect("the text is stored with the campaign");
    assert!(
        texts.contains("Nous avons bien reçu votre demande"),
        "{texts}"
    );
    assert_dispatched_redirect(&decide(&mut sup_b, &c, "approve").await, &c);
    let received = delivered(&app, &sink, 1).await;
    assert_eq!(received[0].rcpt, vec![ana.email.clone().unwrap()]);
    let text = readable_text(&received[0].data);
    assert!(
        text.contains("Nous avons bien reçu votre demande"),
        "{text}"
    );
    assert!(text.contains("Bonjour Ana,"), "{text}");
}
