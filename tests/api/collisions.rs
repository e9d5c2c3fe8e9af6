//! Call-centre agents side by side (issue 22, items 5 to 7), through real HTTP on
//! SQLite and PostgreSQL: a second agent sees the first one's claim and draft lock, the
//! lock lapses on the console's clock (moved, not slept), a reply on someone else's
//! claim needs "reply anyway" (and is audited with it), the other enquiries sharing an
//! address are listed exactly (blind index, one programme, a reason, audited,
//! rate-limited, 404 elsewhere), a supervisor's duplicate mark shows on both and comes
//! off, and a Dari (or Ukrainian) console shows the programme's queue names in Dari
//! (or Ukrainian).

use std::collections::BTreeSet;

use haven::casework::ProgrammeRole::*;
use haven::domain::Language;
use haven::programme::Programme;
use reqwest::StatusCode;

use crate::helpers::{EXAMPLE, SLUG, TestApp, html_unescape};
use crate::replies::{OTHER, Person, audit_actions, enquire, haven};
use crate::staff::{Page, Staff, signed_in};

async fn staff(app: &TestApp, email: &str, role: haven::casework::ProgrammeRole) -> Staff {
    signed_in(app, email, role, Some(SLUG)).await
}

fn has_id(page: &Page, id: &str) -> bool {
    page.body.contains(&format!("id=\"{id}\""))
}

/// The text of the element with this id, tags and entities removed.
fn text_of(page: &Page, id: &str) -> String {
    html_unescape(&crate::helpers::extract_by_id(&page.body, id).unwrap_or_default())
}

#[tokio::test]
async fn collisions_a_second_agent_sees_the_claim_and_the_draft_lock_until_it_lapses() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let mut first = staff(&app, "first@example.org", Agent).await;
    let mut second = staff(&app, "second@example.org", Agent).await;
    let ana = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let e = format!("/console/e/{}", ana.id);

    // Nobody on it: no warning for either.
    let page = second.get(&e).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!has_id(&page, "claimed-by-other") && !has_id(&page, "draft-lock"));

    // The first claims it: the second sees who, the first does not see a warning.
    let claim = first.post(&e, &format!("{e}/claim"), &[]).await;
    assert_eq!(claim.status, StatusCode::SEE_OTHER);
    let page = second.get(&e).await;
    assert!(
        text_of(&page, "claimed-by-other").contains("first@example.org"),
        "{}",
        page.body
    );
    let mine = first.get(&e).await;
    assert!(!has_id(&mine, "claimed-by-other"));
    // After claiming, the status list pre-selects nothing (no misleading status).
    assert!(
        mine.body.contains(
            r#"<select id="status-to" name="to" required><option value="" selected disabled>"#
        ),
        "{}",
        mine.body
    );

    // The first opens the reply box: the second sees the draft lock, the first their own.
    let writing = first.post(&e, &format!("{e}/writing"), &[]).await;
    assert_eq!(writing.status, StatusCode::SEE_OTHER);
    assert!(writing.location.unwrap().contains("done=writing"));
    let page = second.get(&e).await;
    assert!(
        text_of(&page, "draft-lock").contains("first@example.org"),
        "{}",
        page.body
    );
    assert!(has_id(&first.get(&e).await, "own-draft-lock"));
    // The second cannot take it over while it holds.
    let taken = second.post(&e, &format!("{e}/writing"), &[]).await;
    assert!(taken.location.unwrap().contains("done=conflict"));
    let pid = app.programme_id().await;
    let locks = app
        .store
        .draft_locks_in_programme(&pid, app.session_clock.now())
        .await
        .unwrap();
    assert_eq!(locks, vec![(ana.id.clone(), first.id.clone())]);

    // Five minutes later (the console's clock, moved) it has lapsed.
    app.session_clock.advance(haven::collisions::LOCK_SECS + 1);
    let page = second.get(&e).await;
    assert!(!has_id(&page, "draft-lock"), "{}", page.body);
    assert!(has_id(&page, "claimed-by-other"), "the claim stays");
    assert!(
        app.store
            .draft_locks_in_programme(&pid, app.session_clock.now())
            .await
            .unwrap()
            .is_empty()
    );

    // Starting a reply from a template takes it again; "stop writing" drops it.
    let page = first.get(&format!("{e}?template=acknowledgement")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(has_id(&second.get(&e).await, "draft-lock"));
    let stop = first.post(&e, &format!("{e}/writing/stop"), &[]).await;
    assert_eq!(stop.status, StatusCode::SEE_OTHER);
    assert!(!has_id(&second.get(&e).await, "draft-lock"));
}

fn reply_fields(text: &str, anyway: bool) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("template", String::new()),
        ("subject", "Hello".to_string()),
        ("text", text.to_string()),
    ];
    if anyway {
        f.push(("anyway", "1".to_string()));
    }
    f
}

#[tokio::test]
async fn collisions_a_reply_on_someone_elses_claim_needs_reply_anyway_and_is_audited() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let mut owner = staff(&app, "owner@example.org", Agent).await;
    let mut other = staff(&app, "other@example.org", Agent).await;
    let mut sup = staff(&app, "sup@example.org", Supervisor).await;
    let ana = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let e = format!("/console/e/{}", ana.id);
    let reply = format!("{e}/reply");
    assert_eq!(
        owner.post(&e, &format!("{e}/claim"), &[]).await.status,
        StatusCode::SEE_OTHER
    );

    // The other agent sees the reply form with the box to tick.
    let page = other.get(&e).await;
    assert!(has_id(&page, "reply-anyway"), "{}", page.body);
    assert!(!has_id(&owner.get(&e).await, "reply-anyway"));

    // Without it: refused, the typed text comes back with the box, nothing stored.
    for s in [&mut other, &mut sup] {
        let res = s
            .post(&e, &reply, &reply_fields("typed by hand", false))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", s.email);
        assert!(res.body.contains("typed by hand"), "the draft is kept");
        assert!(has_id(&res, "reply-anyway"));
    }
    assert!(app.store.replies_of(&ana.id).await.unwrap().is_empty());

    // With it: sent, and the audit entry names whose claim it went past.
    let res = other
        .post(&e, &reply, &reply_fields("sent anyway", true))
        .await;
    crate::replies::assert_replied(&res, &ana.id);
    // The owner's own reply needs no tick.
    let res = owner.post(&e, &reply, &reply_fields("mine", false)).await;
    crate::replies::assert_replied(&res, &ana.id);
    let entries = audit_actions(&app, "enquiry.reply").await;
    assert_eq!(entries.len(), 2);
    let anyway: Vec<(String, serde_json::Value)> = entries
        .iter()
        .map(|r| {
            let d: serde_json::Value = serde_json::from_str(&r.detail).unwrap();
            (r.actor.clone(), d["anyway"].clone())
        })
        .collect();
    assert!(anyway.contains(&(
        format!("user:{}", other.id),
        serde_json::json!(format!("user:{}", owner.id))
    )));
    assert!(anyway.contains(&(format!("user:{}", owner.id), serde_json::Value::Null)));
}

/// The ids listed on a related-enquiries page.
fn listed(page: &Page) -> BTreeSet<String> {
    page.body
        .split("data-id=\"")
        .skip(1)
        .map(|s| s[..32].to_owned())
        .collect()
}

async fn related(s: &mut Staff, id: &str, reason: &str) -> Page {
    let e = format!("/console/e/{id}");
    // The token from the console's home: another programme's staff cannot open `e`.
    s.post(
        "/console",
        &format!("{e}/related"),
        &[("reason", reason.to_owned())],
    )
    .await
}

#[tokio::test]
async fn collisions_related_enquiries_share_the_address_in_one_programme_with_a_reason() {
    let (app, _sink) = haven(&[(SLUG, "minimal"), (OTHER, "minimal")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent).await;
    let mut outsider = signed_in(&app, "out@example.org", Agent, Some(OTHER)).await;
    let lawyer = "lawyer@firm.example.org";
    let one = enquire(&app, SLUG, Some(lawyer), "en", "other", "Ana Rahimi").await;
    let two = enquire(&app, SLUG, Some(lawyer), "fa-AF", "other", "Omar Karimi").await;
    let three = enquire(&app, SLUG, Some(lawyer), "en", "family_reunion", "Leila").await;
    let _someone = enquire(&app, SLUG, Some("else@example.org"), "en", "other", "Bo").await;
    let _inbox_only = enquire(&app, SLUG, None, "en", "other", "Dawood").await;
    let _elsewhere = enquire(&app, OTHER, Some(lawyer), "en", "other", "Zahra").await;
    // The worker computes the blind index of new enquiries.
    app.run_pending_jobs().await;

    // The page offers it, and says shared addresses are common.
    let page = agent.get(&format!("/console/e/{}", one.id)).await;
    assert!(has_id(&page, "related-reason"));
    assert!(html_unescape(&page.body).contains("does not mean the same person"));

    // No reason: refused, nothing listed, nothing audited.
    let res = related(&mut agent, &one.id, "  ").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(listed(&res).is_empty());
    assert!(audit_actions(&app, "enquiry.related").await.is_empty());

    // With one: exactly the others of this programme with that address.
    let res = related(&mut agent, &one.id, "same lawyer as the caller said").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let ids = |ps: &[&Person]| ps.iter().map(|p| p.id.clone()).collect::<BTreeSet<_>>();
    assert_eq!(listed(&res), ids(&[&two, &three]));
    let res = related(&mut agent, &three.id, "checking the family").await;
    assert_eq!(listed(&res), ids(&[&one, &two]));
    let entries = audit_actions(&app, "enquiry.related").await;
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|r| r.actor == format!("user:{}", agent.id))
    );
    assert!(
        entries
            .iter()
            .all(|r| !r.detail.contains("lawyer") && !r.detail.contains("family")),
        "the reason's words are not logged"
    );

    // Another programme's staff: not found.
    let res = related(&mut outsider, &one.id, "curious about it").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // Rate-limited: 20 an hour, the next refused and audited as an alert.
    for _ in 2..haven::collisions::RELATED_PER_HOUR {
        let res = related(&mut agent, &two.id, "working through them").await;
        assert_eq!(res.status, StatusCode::OK);
    }
    let res = related(&mut agent, &two.id, "one more time").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(listed(&res).is_empty());
    let alerts: Vec<_> = audit_actions(&app, "enquiry.related")
        .await
        .into_iter()
        .filter(|r| r.outcome == "alert")
        .collect();
    assert_eq!(alerts.len(), 1);
}

#[tokio::test]
async fn collisions_a_supervisor_marks_a_duplicate_and_takes_the_mark_off() {
    let (app, _sink) = haven(&[(SLUG, "minimal"), (OTHER, "minimal")]).await;
    let mut agent = staff(&app, "agent@example.org", Agent).await;
    let mut sup = staff(&app, "sup@example.org", Supervisor).await;
    let first = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let again = enquire(&app, SLUG, None, "en", "other", "Ana Rahimi").await;
    let elsewhere = enquire(&app, OTHER, None, "en", "other", "Ana Rahimi").await;
    let e = format!("/console/e/{}", again.id);
    let mark = format!("{e}/duplicate");

    // Agents may not.
    let res = agent.post(&e, &mark, &[("of", first.id.clone())]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Not to another programme's enquiry, nor to itself.
    let res = sup.post(&e, &mark, &[("of", elsewhere.id.clone())]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = sup.post(&e, &mark, &[("of", again.id.clone())]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);

    let res = sup.post(&e, &mark, &[("of", first.id.clone())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Shown on both, to anyone of the programme.
    let page = agent.get(&e).await;
    assert!(text_of(&page, "duplicate-of").contains(&first.id[..8]));
    assert!(
        page.body
            .contains(&format!("href=\"/console/e/{}\"", first.id))
    );
    let page = agent.get(&format!("/console/e/{}", first.id)).await;
    assert!(text_of(&page, "duplicates").contains(&again.id[..8]));
    assert!(
        page.body
            .contains(&format!("href=\"/console/e/{}\"", again.id))
    );
    // Threads are not merged: both enquiries are still there, each as it was.
    assert!(app.store.enquiry(&first.id).await.unwrap().is_some());
    assert!(app.store.enquiry(&again.id).await.unwrap().is_some());

    // Reversible, by a supervisor only.
    let undo = format!("{e}/duplicate/undo");
    assert_eq!(
        agent.post(&e, &undo, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(sup.post(&e, &undo, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!has_id(&agent.get(&e).await, "duplicate-of"));
    assert!(!has_id(
        &agent.get(&format!("/console/e/{}", first.id)).await,
        "duplicates"
    ));
    let marked = audit_actions(&app, "enquiry.duplicate").await;
    assert_eq!(marked.len(), 1);
    assert!(marked[0].detail.contains(&first.id));
    assert_eq!(marked[0].subject, format!("enquiry:{}", again.id));
    assert_eq!(audit_actions(&app, "enquiry.duplicate-undo").await.len(), 1);
}

#[tokio::test]
async fn collisions_a_dari_console_shows_the_programmes_dari_queue_names() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let p = Programme::parse(EXAMPLE).unwrap();
    let ana = enquire(&app, SLUG, None, "en", "family_reunion", "Ana Rahimi").await;
    for (lang, email) in [
        (Language::FaAf, "dari@example.org"),
        (Language::Uk, "uk@example.org"),
    ] {
        let mut s = staff(&app, email, Agent).await;
        app.store
            .set_user_language(&s.id, lang.tag())
            .await
            .unwrap();
        let home = html_unescape(&s.get("/console").await.body);
        for q in &p.file().queues {
            let name = q.name.get(lang.tag()).expect("the example names it");
            assert!(home.contains(name.as_str()), "{lang:?} home lacks {name}");
            let english = &q.name["en"];
            assert!(!home.contains(english.as_str()), "{english} on {lang:?}");
        }
        let queue = html_unescape(&s.get(&format!("/console/p/{SLUG}/q/family")).await.body);
        assert!(queue.contains(q_name(&p, "family", lang)));
        let page = html_unescape(&s.get(&format!("/console/e/{}", ana.id)).await.body);
        assert!(page.contains(q_name(&p, "family", lang)), "{page}");
        assert!(!page.contains(q_name(&p, "family", Language::En)));
    }
}

fn q_name<'a>(p: &'a Programme, key: &str, lang: Language) -> &'a str {
    let q = p.file().queues.iter().find(|q| q.key == key).unwrap();
    &q.name[lang.tag()]
}
