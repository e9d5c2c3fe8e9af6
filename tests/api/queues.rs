//! Queue pages an agent works from (issue 22, items 3 and 4): rows of clear metadata
//! that need no decrypt, keyset paging at its boundaries, "take next" under
//! concurrency, "save and next", and a template inserted into a typed draft. On SQLite
//! and, with `HAVEN_TEST_POSTGRES_URL`, on PostgreSQL (the same tests).

use std::collections::BTreeSet;

use haven::casework::ProgrammeRole::*;
use haven::crypto::{Sealed, random_id};
use haven::store::test_support::{self, Arg};
use haven::store::{ClaimFilter, Contact, NewEnquiry, QueueFilter, StatusFilter};
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, html_unescape, spawn_app};
use crate::staff::{Staff, signed_in, submit_enquiry};

/// `n` enquiries written straight into `queue` (as the benchmark fills a programme):
/// `shape(i)` gives each its priority, arrival hour and source.
async fn fill(
    app: &TestApp,
    queue: &str,
    n: usize,
    shape: impl Fn(usize) -> (i64, i64, &'static str),
) -> Vec<String> {
    let programme = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let rows: Vec<NewEnquiry> = (0..n)
        .map(|i| {
            let (priority, created_hour, source) = shape(i);
            NewEnquiry {
                id: random_id(),
                programme_id: programme.id.clone(),
                form_version: programme.version,
                reference_hash: random_id().into_bytes(),
                passphrase_hash: vec![0; 32],
                queue: queue.to_owned(),
                priority,
                language: if i % 2 == 0 { "en" } else { "fa-AF" }.to_owned(),
                source,
                has_email: i % 3 == 0,
                contact_index: None,
                inbox_recipient: None,
                own_copy: None,
                sealed: Sealed {
                    key_id: programme.key_id.clone(),
                    format_version: 1,
                    ciphertext: vec![7; 64],
                },
                created_hour,
            }
        })
        .collect();
    test_support::insert_enquiries(&app.store, &rows)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.id).collect()
}

async fn audit_count(app: &TestApp, action: &str) -> usize {
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
        .len()
}

/// The enquiry ids a queue page links to, in table order.
fn linked_ids(body: &str) -> Vec<String> {
    body.split("href=\"/console/e/")
        .skip(1)
        .map(|rest| rest[..32].to_owned())
        .collect()
}

fn next_link(body: &str) -> Option<String> {
    let at = body.find("rel=\"next\"")?;
    let start = body[..at].rfind("href=\"")? + "href=\"".len();
    let end = start + body[start..].find('"')?;
    Some(html_unescape(&body[start..end]))
}

async fn hour(app: &TestApp) -> i64 {
    let _ = app;
    haven::store::hour_of(haven::store::now())
}

#[tokio::test]
async fn queue_rows_show_clear_metadata_without_opening_any_enquiry() {
    let app = spawn_app().await;
    let (id, reference) = submit_enquiry(&app, SLUG).await;
    let record = app.store.enquiry(&id).await.unwrap().unwrap();
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let views = audit_count(&app, "enquiry.view").await;
    let reads = audit_count(&app, "enquiry.read").await;

    let page = agent
        .get(&format!("/console/p/{SLUG}/q/{}", record.queue))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let handle = app.store.display_handle(&id).await.unwrap().unwrap();
    assert_eq!(handle.len(), 9, "{handle}");
    assert_eq!(&handle[4..5], "-");
    assert!(page.body.contains(&handle), "the row shows its handle");
    assert!(page.body.contains(&format!("/console/e/{id}")));
    assert!(!page.body.contains(&reference), "never the reference code");
    for shown in ["Web form", "English", "Reply inbox only", "Take next"] {
        assert!(page.body.contains(shown), "{shown}");
    }
    assert!(
        !page.body.contains("Open enquiry 1"),
        "rows say what they are"
    );
    // The person wrote back: the row says so.
    test_support::execute(
        &app.store,
        "UPDATE enquiries SET status = 'person_replied' WHERE id = $1",
        &[Arg::from(&id)],
    )
    .await
    .unwrap();
    let page = agent
        .get(&format!("/console/p/{SLUG}/q/{}", record.queue))
        .await;
    assert!(page.body.contains("class=\"person-replied\""));
    assert!(page.body.contains("Person replied"));

    // Listing, filtering and paging opened nothing.
    for query in [
        "?status=all",
        "?source=web&lang=en&contact=inbox&claim=unclaimed",
    ] {
        let p = agent
            .get(&format!("/console/p/{SLUG}/q/{}{query}", record.queue))
            .await;
        assert_eq!(p.status, StatusCode::OK, "{query}");
        assert!(p.body.contains(&handle), "{query}");
    }
    assert_eq!(audit_count(&app, "enquiry.view").await, views);
    assert_eq!(audit_count(&app, "enquiry.read").await, reads);
    // The dashboard and the console home likewise.
    assert_eq!(
        agent.get(&format!("/console/p/{SLUG}")).await.status,
        StatusCode::OK
    );
    assert_eq!(agent.get("/console").await.status, StatusCode::OK);
    assert_eq!(audit_count(&app, "enquiry.view").await, views);

    // A filter the page does not offer is refused, not ignored.
    for bad in [
        "?status=lost",
        "?source=fax",
        "?contact=pigeon",
        "?after=1.2.x'y",
    ] {
        let p = agent
            .get(&format!("/console/p/{SLUG}/q/{}{bad}", record.queue))
            .await;
        assert_eq!(p.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn every_insert_gives_a_random_handle_not_derived_from_the_code() {
    let app = spawn_app().await;
    let (a, _) = submit_enquiry(&app, SLUG).await;
    let (b, _) = submit_enquiry(&app, SLUG).await;
    let ha = app.store.display_handle(&a).await.unwrap().unwrap();
    let hb = app.store.display_handle(&b).await.unwrap().unwrap();
    assert_ne!(ha, hb);
    let filled = fill(&app, "general", 50, |_| (1, 0, "imported")).await;
    let mut seen = BTreeSet::new();
    for id in &filled {
        let h = app.store.display_handle(id).await.unwrap().unwrap();
        assert_eq!(h.len(), 9);
        seen.insert(h);
    }
    assert_eq!(seen.len(), 50, "fifty rows, fifty handles");
}

#[tokio::test]
async fn keyset_paging_walks_every_row_once_across_page_boundaries() {
    let app = spawn_app().await;
    let now = hour(&app).await;
    // 201 rows with ties on priority and hour, so the random id decides at boundaries.
    let ids = fill(&app, "general", 201, |i| {
        ((i % 3) as i64, now - 3600 * (i % 4) as i64, "web")
    })
    .await;
    let programme = app.programme_id().await;
    let mut expected: Vec<(i64, i64, String)> = Vec::new();
    for id in &ids {
        let e = app.store.enquiry(id).await.unwrap().unwrap();
        expected.push((e.priority, e.created_hour, e.id));
    }
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(_, _, id)| id).collect();

    // Through the store: a page size that divides the rows exactly, and one that does not.
    for limit in [67_i64, 100, 201, 202] {
        let mut after = None;
        let mut walked = Vec::new();
        let mut pages = 0;
        loop {
            let page = app
                .store
                .queue_page(
                    &programme,
                    "general",
                    &QueueFilter::default(),
                    after.as_ref(),
                    limit,
                )
                .await
                .unwrap();
            pages += 1;
            assert!(page.items.len() as i64 <= limit);
            walked.extend(page.items.iter().map(|i| i.id.clone()));
            match page.next {
                Some(next) => {
                    assert_eq!(
                        page.items.len() as i64,
                        limit,
                        "only a full page has a next"
                    );
                    after = Some(next);
                }
                None => break,
            }
        }
        assert_eq!(walked, expected, "limit {limit}");
        assert_eq!(pages, 201_usize.div_ceil(limit as usize), "limit {limit}");
    }

    // Through the pages, following the "next" links.
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut path = Some(format!("/console/p/{SLUG}/q/general"));
    let mut walked = Vec::new();
    let mut sizes = Vec::new();
    while let Some(p) = path {
        let page = agent.get(&p).await;
        assert_eq!(page.status, StatusCode::OK, "{p}");
        let ids = linked_ids(&page.body);
        sizes.push(ids.len());
        walked.extend(ids);
        path = next_link(&page.body);
        if path.is_some() {
            assert!(page.body.contains("First page") || sizes.len() == 1);
        }
    }
    assert_eq!(sizes, vec![100, 100, 1]);
    assert_eq!(walked, expected);
}

#[tokio::test]
async fn filters_keep_only_their_rows() {
    let app = spawn_app().await;
    let now = hour(&app).await;
    let ids = fill(&app, "family", 30, |i| {
        (1, now, if i % 5 == 0 { "phone" } else { "web" })
    })
    .await;
    let programme = app.programme_id().await;
    let list = |filter: QueueFilter| {
        let store = app.store.clone();
        let programme = programme.clone();
        async move {
            store
                .queue_page(&programme, "family", &filter, None, 100)
                .await
                .unwrap()
                .items
        }
    };
    let phone = list(QueueFilter {
        source: Some("phone".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(phone.len(), 6);
    assert!(phone.iter().all(|i| i.source == "phone"));
    let dari = list(QueueFilter {
        language: Some("fa-AF".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(dari.len(), 15);
    let inbox = list(QueueFilter {
        contact: Some(Contact::InboxOnly),
        ..Default::default()
    })
    .await;
    assert_eq!(inbox.len(), 20);
    let unconfirmed = list(QueueFilter {
        contact: Some(Contact::EmailUnconfirmed),
        ..Default::default()
    })
    .await;
    assert_eq!(unconfirmed.len(), 10);
    // Closed rows leave "open" and appear under "closed" and "all".
    test_support::execute(
        &app.store,
        "UPDATE enquiries SET status = 'closed' WHERE id = $1",
        &[Arg::from(&ids[0])],
    )
    .await
    .unwrap();
    assert_eq!(list(QueueFilter::default()).await.len(), 29);
    let closed = list(QueueFilter {
        status: StatusFilter::Only(haven::casework::Status::Closed),
        ..Default::default()
    })
    .await;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].id, ids[0]);
    assert_eq!(
        list(QueueFilter {
            status: StatusFilter::All,
            ..Default::default()
        })
        .await
        .len(),
        30
    );
    let unclaimed = list(QueueFilter {
        claim: ClaimFilter::Unclaimed,
        ..Default::default()
    })
    .await;
    assert_eq!(unclaimed.len(), 29);
}

#[tokio::test]
async fn take_next_under_concurrency_gives_ten_agents_ten_different_enquiries() {
    let app = spawn_app().await;
    let now = hour(&app).await;
    // Ten in the queue, the most urgent and longest waiting first.
    let ids = fill(&app, "family", 10, |i| {
        ((i % 2) as i64, now - 3600 * i as i64, "web")
    })
    .await;
    let mut agents: Vec<Staff> = Vec::new();
    for n in 0..10 {
        agents.push(signed_in(&app, &format!("agent{n}@example.org"), Agent, Some(SLUG)).await);
    }
    let queue = format!("/console/p/{SLUG}/q/family");
    let mut tokens = Vec::new();
    for a in &mut agents {
        let page = a.get(&queue).await;
        tokens.push(crate::helpers::extract_input(&page.body, "csrf").unwrap());
    }
    let claims = agents.iter_mut().zip(tokens).map(|(a, token)| {
        let next = format!("{queue}/next");
        async move {
            let page = a.post_raw(&next, &[("csrf", token)]).await;
            (a.id.clone(), page)
        }
    });
    let results = futures_util::future::join_all(claims).await;
    let mut taken = BTreeSet::new();
    for (agent, page) in &results {
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let location = page.location.clone().unwrap();
        let id = location
            .strip_prefix("/console/e/")
            .and_then(|l| l.strip_suffix("?done=taken"))
            .unwrap_or_else(|| panic!("{location}"))
            .to_owned();
        let record = app.store.enquiry(&id).await.unwrap().unwrap();
        assert_eq!(record.assigned_to.as_deref(), Some(agent.as_str()));
        assert_eq!(record.status, haven::casework::Status::InProgress);
        taken.insert(id);
    }
    assert_eq!(taken.len(), 10, "each agent got a different one");
    assert_eq!(taken, ids.iter().cloned().collect());
    assert_eq!(audit_count(&app, "enquiry.claim").await, 10);

    // Nothing left: the queue says so.
    let page = agents[0].post(&queue, &format!("{queue}/next"), &[]).await;
    assert_eq!(
        page.location.as_deref(),
        Some(format!("{queue}?done=nothing-to-take").as_str())
    );
}

#[tokio::test]
async fn take_next_through_the_store_under_concurrency() {
    let app = spawn_app().await;
    let now = hour(&app).await;
    fill(&app, "urgent", 10, |i| (0, now - i as i64 * 3600, "web")).await;
    let programme = app.programme_id().await;
    let mut users = Vec::new();
    for n in 0..10 {
        users.push(
            crate::staff::add_user(&app, &format!("s{n}@example.org"), Agent, Some(SLUG)).await,
        );
    }
    let takes = users.iter().map(|u| {
        let store = app.store.clone();
        let programme = programme.clone();
        let u = u.clone();
        tokio::spawn(async move {
            store
                .take_next(&programme, "urgent", &u, |id| {
                    haven::audit::Entry::new(
                        &haven::audit::Actor::staff(&u),
                        haven::audit::AuditAction::EnquiryClaim,
                        &format!("enquiry:{id}"),
                    )
                })
                .await
                .unwrap()
        })
    });
    let got: Vec<Option<String>> = futures_util::future::join_all(takes)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let distinct: BTreeSet<_> = got.iter().flatten().collect();
    assert_eq!(distinct.len(), 10, "{got:?}");
}

#[tokio::test]
async fn save_and_next_moves_on_to_the_next_enquiry() {
    let app = spawn_app().await;
    // Two real enquiries (the page opens them), in the queue the form routes them to.
    let (a, _) = submit_enquiry(&app, SLUG).await;
    let (b, _) = submit_enquiry(&app, SLUG).await;
    let ra = app.store.enquiry(&a).await.unwrap().unwrap();
    let rb = app.store.enquiry(&b).await.unwrap().unwrap();
    let mut order = [
        (ra.priority, ra.created_hour, a.clone()),
        (rb.priority, rb.created_hour, b.clone()),
    ];
    order.sort();
    let ids = [order[1].2.clone(), order[0].2.clone()];
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let queue = format!("/console/p/{SLUG}/q/{}", ra.queue);
    let first = agent.post(&queue, &format!("{queue}/next"), &[]).await;
    // The most urgent, longest waiting first (then by the random id).
    assert_eq!(
        first.location.as_deref(),
        Some(format!("/console/e/{}?done=taken", ids[1]).as_str())
    );
    let e = format!("/console/e/{}", ids[1]);
    let page = agent.get(&e).await;
    assert!(
        page.body.contains("/draft\""),
        "template insert posts the draft"
    );
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "case-layout",
        "case-text",
        "case-reply",
        "case-actions",
        "id=\"shortcuts\"",
        "accesskey=\"s\"",
    ] {
        assert!(page.body.contains(part), "{part}");
    }
    let next = agent
        .post(
            &e,
            &format!("{e}/status"),
            &[
                ("from", "in_progress".into()),
                ("to", "awaiting_reply".into()),
                ("then", "next".into()),
            ],
        )
        .await;
    assert_eq!(
        next.location.as_deref(),
        Some(format!("/console/e/{}?done=taken", ids[0]).as_str())
    );
    let moved = app.store.enquiry(&ids[1]).await.unwrap().unwrap();
    assert_eq!(moved.status, haven::casework::Status::AwaitingReply);
}

#[tokio::test]
async fn inserting_a_template_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let e = format!("/console/e/{id}");
    agent.post(&e, &format!("{e}/claim"), &[]).await;
    let page = agent
        .post(
            &e,
            &format!("{e}/draft"),
            &[
                ("template", String::new()),
                ("subject", "My own subject".into()),
                ("text", "Words I typed before choosing.".into()),
                ("insert_template", "acknowledgement".into()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = html_unescape(&page.body);
    let typed = body
        .find("Words I typed before choosing.")
        .expect("typed text kept");
    let appended = body
        .find("We have received your enquiry to")
        .expect("template appended");
    assert!(typed < appended, "the template comes after what was typed");
    assert!(
        body.contains("value=\"My own subject\""),
        "typed subject kept"
    );
    assert!(body.contains("value=\"acknowledgement\""));
    // Nothing was sent.
    assert_eq!(
        test_support::scalar(&app.store, "SELECT COUNT(*) FROM replies", &[])
            .await
            .unwrap(),
        0
    );
}
