//! The decrypt gate, through real HTTP: every console route that opens a ciphertext
//! writes an audit row and counts one read against the staff member's shared hourly
//! cap (`decrypts_per_user_per_hour`), whichever route and whichever console instance
//! it goes through; validation that needs no plaintext answers before anything opens.

use haven::casework::ProgrammeRole::{Admin, Supervisor};
use reqwest::StatusCode;

use crate::hardening::second_instance;
use crate::helpers::{SLUG, Settings, TestApp, apply, html_unescape, spawn_with};
use crate::import::programme;
use crate::replies::{Person, enquire};
use crate::staff::{Page, Staff, signed_in};

/// The decrypting reads the walk below makes (one per route, and each counts once).
const READS: u32 = 11;

fn cap(n: u32) -> String {
    format!("[rate_limits]\ndecrypts_per_user_per_hour = {n}\n")
}

/// Reads counted in `staff`'s current window (the database row every instance shares).
async fn counted(app: &TestApp, staff: &Staff) -> i64 {
    haven::store::test_support::scalar(
        &app.store,
        "SELECT COALESCE(MAX(hits), 0) FROM throttle_windows WHERE bucket = $1",
        &[format!("decrypt:{}", staff.id).into_bytes().into()],
    )
    .await
    .unwrap()
}

/// Audit rows written by `staff` so far.
async fn audited(app: &TestApp, staff: &Staff) -> Vec<haven::audit::Record> {
    app.store
        .search_audit(
            &haven::audit::Filter {
                actor: format!("user:{}", staff.id),
                ..Default::default()
            },
            10_000,
        )
        .await
        .unwrap()
}

/// One step of the walk: does `go`, then checks that exactly one read was counted and
/// that at least one new audit row by `staff` names `id` (the enquiry, campaign or
/// referral read, as its subject or in its detail).
async fn one_read<F>(app: &TestApp, staff: &mut Staff, route: &str, id: &str, go: F) -> Page
where
    F: AsyncFnOnce(&mut Staff) -> Page,
{
    let hits = counted(app, staff).await;
    let rows = audited(app, staff).await.len();
    let page = go(staff).await;
    assert_eq!(
        counted(app, staff).await,
        hits + 1,
        "{route} counts one read against the shared cap"
    );
    let now = audited(app, staff).await;
    // Newest first.
    let new = &now[..now.len() - rows];
    assert!(
        new.iter()
            .any(|r| (r.subject.ends_with(id) || r.detail.contains(id)) && r.outcome == "ok"),
        "{route} audits its read of {id}: {new:?}"
    );
    page
}

async fn post(staff: &mut Staff, path: &str, fields: &[(&str, &str)]) -> Page {
    let fields: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, v.to_string())).collect();
    staff.post("/console", path, &fields).await
}

fn referral_id(page: &Page) -> String {
    let location = page.location.as_deref().unwrap_or_else(|| {
        panic!("no redirect ({}): {}", page.status, page.body);
    });
    let rest = location
        .strip_prefix("/console/r/")
        .expect("to the referral");
    rest.split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn every_decrypting_route_is_audited_and_counted_against_one_cap_across_instances() {
    let first = spawn_with(Settings {
        apply_example: false,
        config_file: Some(cap(READS)),
        ..Settings::default()
    })
    .await;
    apply(&first.store, &first.config, &programme("keep")).await;
    let second = second_instance(&first, Some(cap(READS))).await;
    // An imported enquiry with a kept attachment, and two sent through the form.
    let imported = crate::import_upload::import_attachment(&first).await;
    let ana: Person = enquire(&first, SLUG, Some("ana@example.org"), "en", "other", "Ana").await;
    let omar: Person = enquire(&first, SLUG, None, "en", "other", "Omar").await;

    // Someone else asks for a personal referral and prepares a campaign, for the
    // reader to approve.
    let mut asker = signed_in(&first, "asker@example.org", Supervisor, Some(SLUG)).await;
    asker.get(&format!("/console/e/{}/refer", ana.id)).await;
    let asked = post(
        &mut asker,
        &format!("/console/e/{}/refer", ana.id),
        &[
            ("partner", "resettlement-ngo"),
            ("basis", "Consent of the person (GDPR art. 6(1)(a))"),
            ("delivery", "email"),
        ],
    )
    .await;
    let pending = referral_id(&asked);
    let made = post(
        &mut asker,
        &format!("/console/p/{SLUG}/campaigns"),
        &[("template", "acknowledgement"), ("queue", "general")],
    )
    .await;
    let location = made.location.clone().expect("campaign created");
    let campaign = location
        .strip_prefix("/console/c/")
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();

    let mut reader = signed_in(&first, "reader@example.org", Admin, Some(SLUG)).await;
    let instances = [first.addr.clone(), second.addr.clone()];
    let mut turn = 0;
    let mut next = |s: &mut Staff| {
        s.base = instances[turn % 2].clone();
        turn += 1;
    };

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "the enquiry page",
        &ana.id,
        async |s| s.get(&format!("/console/e/{}", ana.id)).await,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);

    next(&mut reader);
    let page = one_read(&first, &mut reader, "an attachment", &imported, async |s| {
        s.get(&format!("/console/e/{imported}/attachments/1")).await
    })
    .await;
    assert_eq!(page.status, StatusCode::OK);

    next(&mut reader);
    let page = one_read(&first, &mut reader, "a reply", &ana.id, async |s| {
        let path = format!("/console/e/{}/reply", ana.id);
        post(
            s,
            &path,
            &[("subject", "Hello"), ("text", "We read your enquiry.")],
        )
        .await
    })
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    next(&mut reader);
    let naming_omar = format!("Your case is linked to {}.", omar.reference);
    let page = one_read(&first, &mut reader, "a refused reply", &ana.id, async |s| {
        let path = format!("/console/e/{}/reply", ana.id);
        post(s, &path, &[("subject", "Hello"), ("text", &naming_omar)]).await
    })
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);

    // An empty reply needs no plaintext to refuse: nothing opens, nothing counts.
    next(&mut reader);
    let hits = counted(&first, &reader).await;
    let path = format!("/console/e/{}/reply", ana.id);
    let page = post(&mut reader, &path, &[("subject", "Hello"), ("text", " ")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counted(&first, &reader).await, hits);
    assert!(!html_unescape(&page.body).contains(&ana.reference));

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "the referral form",
        &ana.id,
        async |s| {
            s.get(&format!("/console/e/{}/refer?partner=statistics", ana.id))
                .await
        },
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "a referral request",
        &ana.id,
        async |s| {
            let path = format!("/console/e/{}/refer", ana.id);
            post(
                s,
                &path,
                &[
                    ("partner", "statistics"),
                    ("basis", "Consent of the person (GDPR art. 6(1)(a))"),
                    ("delivery", "download"),
                ],
            )
            .await
        },
    )
    .await;
    let ready = referral_id(&page);

    next(&mut reader);
    let subject = format!("referral:{ready}");
    let page = one_read(
        &first,
        &mut reader,
        "a package download",
        &subject,
        async |s| post(s, &format!("/console/r/{ready}/download"), &[]).await,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "a referral to approve",
        &ana.id,
        async |s| s.get(&format!("/console/r/{pending}")).await,
    )
    .await;
    assert!(
        page.body.contains("id=\"leaving\""),
        "the approver sees the values"
    );

    next(&mut reader);
    let subject = format!("referral:{pending}");
    let page = one_read(
        &first,
        &mut reader,
        "a referral approval",
        &subject,
        async |s| post(s, &format!("/console/r/{pending}/approve"), &[]).await,
    )
    .await;
    assert!(
        page.location
            .as_deref()
            .unwrap_or("")
            .contains("referral-approved"),
        "{:?}",
        page.location
    );

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "a campaign preview",
        &campaign,
        async |s| s.get(&format!("/console/c/{campaign}")).await,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let seen = crate::helpers::extract_input(&page.body, "seen").expect("the text's digest");

    next(&mut reader);
    let page = one_read(
        &first,
        &mut reader,
        "a campaign approval",
        &campaign,
        async |s| {
            let path = format!("/console/c/{campaign}/approve");
            post(
                s,
                &path,
                &[("seen", &seen), ("password", crate::staff::PASSWORD)],
            )
            .await
        },
    )
    .await;
    assert!(
        page.location
            .as_deref()
            .unwrap_or("")
            .contains("dispatched"),
        "{:?}",
        page.location
    );

    // READS reads in all: the next one is refused, on either instance and any route,
    // before anything is opened, and the refusal is an alert.
    assert_eq!(counted(&first, &reader).await, i64::from(READS));
    for (n, path) in [
        format!("/console/e/{}", ana.id),
        format!("/console/e/{imported}/attachments/1"),
    ]
    .iter()
    .enumerate()
    {
        reader.base = instances[n % 2].clone();
        let refused = reader.get(path).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(!html_unescape(&refused.body).contains(&ana.reference));
        assert!(!refused.body.contains("%PDF"));
    }
    reader.base = instances[1].clone();
    let replies = crate::replies::count(&first, "replies").await;
    let refused = post(
        &mut reader,
        &format!("/console/e/{}/reply", omar.id),
        &[("subject", "Hello"), ("text", "A reply")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(crate::replies::count(&first, "replies").await, replies);
    let alerts = audited(&first, &reader)
        .await
        .into_iter()
        .filter(|r| r.outcome == "alert" && r.detail.contains("hourly decrypt limit"))
        .count();
    assert_eq!(alerts, 3, "each refused read is an alert");
    // What the walk queued (the reply, the referral, the bulk reply) goes out.
    first.run_pending_jobs().await;
}

#[tokio::test]
async fn an_empty_reply_is_refused_without_opening_the_enquiry() {
    let (app, _sink) = crate::replies::haven(&[(SLUG, "full")]).await;
    let ana = enquire(&app, SLUG, Some("ana@example.org"), "en", "other", "Ana").await;
    let mut agent = signed_in(&app, "agent@example.org", Supervisor, Some(SLUG)).await;
    let path = format!("/console/e/{}/reply", ana.id);
    let sent = post(
        &mut agent,
        &path,
        &[("subject", "First"), ("text", "EARLIER-REPLY-CANARY")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let rows = audited(&app, &agent).await.len();
    let hits = counted(&app, &agent).await;

    for blank in ["", "   \r\n  "] {
        let page = post(
            &mut agent,
            &path,
            &[("subject", "Typed subject"), ("text", blank)],
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let shown = html_unescape(&page.body);
        assert!(shown.contains("Typed subject"), "the typed subject is kept");
        assert!(
            !shown.contains(&ana.reference) && !shown.contains(&ana.canonical_reference()),
            "the reference code is not shown: nothing was opened"
        );
        assert!(
            !shown.contains("EARLIER-REPLY-CANARY"),
            "earlier replies are not shown: nothing was opened"
        );
    }
    assert_eq!(counted(&app, &agent).await, hits, "no read was counted");
    assert_eq!(audited(&app, &agent).await.len(), rows, "and none happened");
    app.run_pending_jobs().await;
}
