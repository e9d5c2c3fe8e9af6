//! Launching a programme safely (issue 23, items 1–3), as an admin does it through the
//! web: the launch checklist and the gate on Open (a language without a text, nobody
//! with a role), dropping an unfinished language to open at once, a copy that leaves
//! out what widens access and marks what it copied to review; staff from the web (a
//! programme admin gives the agent role, asks an instance admin for more; every grant
//! reported to the instance admins; the handling rules acknowledged at first sight);
//! an editor that respects the admin (the preview leaves the console's language alone,
//! an option a rule tests for is not removed behind its back, Remove asks first).

use haven::casework::ProgrammeRole::*;
use haven::programme::{Programme, ProgrammeFile, ProgrammeStatus};
use reqwest::StatusCode;

use crate::helpers::{EXAMPLE, SLUG, Settings, TestApp, apply, html_unescape, spawn_with};
use crate::programmes::{admin, audit, edit, exported, page_of, saved};
use crate::staff::{PASSWORD, Staff, add_user, signed_in};
use crate::widening::{form_fields, set};

const NEW: &str = "sudan-2026";
const OTHER: &str = "other-programme";

/// A Haven where admins may type their password more than five times a minute.
async fn roomy() -> TestApp {
    spawn_with(Settings {
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Default::default()
    })
    .await
}

fn example() -> ProgrammeFile {
    Programme::parse(EXAMPLE).unwrap().file().clone()
}

/// Applies `file` under `slug` as a draft.
async fn apply_draft(app: &TestApp, slug: &str, mut file: ProgrammeFile) {
    file.slug = slug.into();
    file.status = ProgrammeStatus::Draft;
    let text = haven::programme::editing::to_text(&file).unwrap();
    apply(&app.store, &app.config, &text).await;
}

fn status_of(text: &str) -> ProgrammeStatus {
    Programme::parse(text).unwrap().status()
}

/// Gives the account `email` (made here, with a role in the example programme if it
/// does not exist yet) `role` in `slug` from the programme's staff page.
pub(crate) async fn give_role(
    app: &TestApp,
    admin: &mut Staff,
    slug: &str,
    email: &str,
    role: &str,
) -> crate::staff::Page {
    if app.store.user_by_email(email).await.unwrap().is_none() {
        add_user(app, email, Agent, Some(SLUG)).await;
    }
    let page = format!("{}/staff", page_of(slug));
    let res = admin
        .post(
            &page,
            &format!("{page}/grant"),
            &[
                ("email", email.into()),
                ("role", role.into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res
}

/// Posts the form of `page` that posts to `action`, as the browser shows it, changed.
async fn post_changed(
    staff: &mut Staff,
    page: &str,
    action: &str,
    change: impl FnOnce(&mut Vec<(String, String)>),
) -> crate::staff::Page {
    crate::widening::change_form(staff, page, action, change).await
}

// ── The checklist and the gate on Open ───────────────────────────────────────

#[tokio::test]
async fn opening_with_a_missing_translation_or_no_staff_is_refused_naming_each_and_opens_once_fixed()
 {
    let app = roomy().await;
    let mut file = example();
    file.title.remove("ps");
    file.templates[0].body.remove("fa-AF");
    apply_draft(&app, NEW, file).await;
    let mut admin = admin(&app).await;

    // The checklist says what is missing, part by part.
    let overview = html_unescape(&admin.get(&page_of(NEW)).await.body);
    assert!(overview.contains("id=\"part-texts\""), "{overview}");
    for missing in [
        format!("{}/general#title-ps", page_of(NEW)),
        format!("{}/templates/acknowledgement#body-fa-AF", page_of(NEW)),
        format!("{}/staff", page_of(NEW)),
    ] {
        assert!(overview.contains(&missing), "{missing}: {overview}");
    }
    assert!(overview.contains("class=\"tag state-missing\""));

    // Open is refused, naming and linking each missing item; nothing is saved.
    let before = exported(&app, NEW).await;
    let refused = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "open"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = html_unescape(&refused.body);
    let summary = &body[body.find("class=\"error-summary\"").expect("a summary")..];
    let summary = &summary[..summary.find("</div>").unwrap()];
    for named in [
        "Missing in پښتو:",
        "the title",
        "Missing in دری:",
        "the text of the template “\u{2068}Acknowledgement\u{2069}”",
        "Nobody holds a role in this programme yet",
        "/general#title-ps",
        "/templates/acknowledgement#body-fa-AF",
        "/staff",
    ] {
        assert!(summary.contains(named), "{named}: {summary}");
    }
    assert_eq!(exported(&app, NEW).await, before);
    assert_eq!(status_of(&before), ProgrammeStatus::Draft);

    // Fixed where the links point: the title in Pashto, the template in Dari, a person.
    let general = format!("{}/general", page_of(NEW));
    saved(
        &post_changed(&mut admin, &general, &general, |f| {
            set(f, "title.ps", "سوډان ۲۰۲۶: د مرستې غوښتنه")
        })
        .await,
    );
    // Still one thing missing: still refused.
    let still = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "open"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(still.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!html_unescape(&still.body).contains("/general#title-ps"));
    let template = format!("{}/templates/acknowledgement", page_of(NEW));
    saved(
        &post_changed(&mut admin, &template, &template, |f| {
            set(f, "body.fa-AF", "سلام {name}، درخواست شما به ما رسید.")
        })
        .await,
    );
    give_role(&app, &mut admin, NEW, "agent@example.org", "agent").await;
    let overview = html_unescape(&admin.get(&page_of(NEW)).await.body);
    assert!(!overview.contains("state-missing"), "{overview}");

    saved(
        &edit(
            &mut admin,
            NEW,
            "/status",
            &[("to", "open"), ("current_password", PASSWORD)],
        )
        .await,
    );
    assert_eq!(status_of(&exported(&app, NEW).await), ProgrammeStatus::Open);
    let public = app.get(&format!("/p/{NEW}?lang=ps")).await;
    assert_eq!(public.status(), StatusCode::OK);
    assert!(public.text().await.unwrap().contains("سوډان ۲۰۲۶"));
}

#[tokio::test]
async fn in_a_hurry_the_unfinished_languages_are_dropped_and_the_programme_opens() {
    let app = roomy().await;
    let mut file = example();
    file.intro.remove("ps");
    file.fields[0].hint.remove("fr");
    apply_draft(&app, NEW, file).await;
    let mut admin = admin(&app).await;
    give_role(&app, &mut admin, NEW, "agent@example.org", "agent").await;

    let overview = html_unescape(&admin.get(&page_of(NEW)).await.body);
    let fields = form_fields(&overview, &format!("{}/open-without", page_of(NEW)));
    let dropped: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "drop")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        dropped,
        ["fr", "ps"],
        "the default language is never offered"
    );
    assert!(
        overview.contains("Drop Français, پښتو and open"),
        "{overview}"
    );

    let res = edit(
        &mut admin,
        NEW,
        "/open-without",
        &[
            ("drop", "fr"),
            ("drop", "ps"),
            ("current_password", PASSWORD),
        ],
    )
    .await;
    saved(&res);
    let p = Programme::parse(&exported(&app, NEW).await).unwrap();
    assert_eq!(p.status(), ProgrammeStatus::Open);
    assert_eq!(p.file().languages, ["en", "fa-AF"]);
    assert!(!p.file().title.contains_key("ps") && !p.file().title.contains_key("fr"));
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        entry
            .detail
            .contains("\"dropped_languages\":[\"fr\",\"ps\"]"),
        "{}",
        entry.detail
    );
}

#[tokio::test]
async fn a_copy_leaves_what_widens_access_behind_unless_ticked_and_marks_what_it_copied() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let asked = admin
        .post(
            "/admin/programmes",
            "/admin/programmes",
            &[
                ("from", SLUG.into()),
                ("slug", NEW.into()),
                ("title", String::new()),
                ("language", "en".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    for listed in [
        "partners.statistics",
        "partners.resettlement-ngo",
        "referrals.show_in_inbox",
    ] {
        assert!(asked.body.contains(listed), "{listed}");
    }
    assert!(
        app.store.programme_by_slug(NEW).await.unwrap().is_none(),
        "nothing is created before the choice"
    );
    // Nothing ticked: the copy shares nothing.
    let mut fields = form_fields(&asked.body, "/admin/programmes");
    set(&mut fields, "current_password", PASSWORD);
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let made = admin.post_raw("/admin/programmes", &fields).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let copy = Programme::parse(&exported(&app, NEW).await).unwrap();
    assert!(copy.file().partners.is_empty());
    assert!(!copy.file().referrals.show_in_inbox);
    assert_eq!(copy.file().fields, example().fields, "the form comes along");
    let entry = audit(&app, "programme.create")
        .await
        .into_iter()
        .find(|e| e.subject == format!("programme:{NEW}"))
        .unwrap();
    assert!(
        entry.detail.contains("\"withheld\":[\"partners.resettlement-ngo\",\"partners.statistics\",\"referrals.show_in_inbox\"]"),
        "{}",
        entry.detail
    );

    // What it copied is to review; editing an item or confirming it ends that.
    let overview = html_unescape(&admin.get(&page_of(NEW)).await.body);
    let part = |page: &str, name: &str| {
        let at = page.find(&format!("id=\"part-{name}\"")).unwrap();
        let rest = &page[at..];
        rest[..rest.find("</li>\n").unwrap_or(rest.len())].to_owned()
    };
    for name in ["texts", "questions", "templates", "retention", "contact"] {
        assert!(
            part(&overview, name).contains("state-review"),
            "{name}: {overview}"
        );
    }
    let general = format!("{}/general", page_of(NEW));
    saved(
        &post_changed(&mut admin, &general, &general, |f| {
            set(f, "title.en", "Sudan 2026: request for help")
        })
        .await,
    );
    let confirm = admin
        .post(
            &page_of(NEW),
            &format!("{}/launch/confirm", page_of(NEW)),
            &[("item", "retention".into())],
        )
        .await;
    assert_eq!(confirm.status, StatusCode::SEE_OTHER);
    let overview = html_unescape(&admin.get(&page_of(NEW)).await.body);
    let texts = part(&overview, "texts");
    let retention = part(&overview, "retention");
    assert!(texts.contains("state-done"), "{texts}");
    assert!(retention.contains("state-done"), "{retention}");
    assert!(part(&overview, "templates").contains("state-review"));
    assert!(
        audit(&app, "programme.review")
            .await
            .iter()
            .any(|e| e.detail.contains("\"confirmed\":\"retention\""))
    );
}

// ── Staff from the web ───────────────────────────────────────────────────────

/// The example programme, a second one, and a programme admin of each.
async fn two_programmes() -> (TestApp, Staff, Staff) {
    let app = roomy().await;
    let mut other = example();
    other.slug = OTHER.into();
    let text = haven::programme::editing::to_text(&other).unwrap();
    apply(&app.store, &app.config, &text).await;
    let mine = signed_in(&app, "lead@example.org", Admin, Some(SLUG)).await;
    let theirs = signed_in(&app, "other.lead@example.org", Admin, Some(OTHER)).await;
    (app, mine, theirs)
}

fn grant_form(email: &str, role: &str) -> Vec<(&'static str, String)> {
    vec![
        ("email", email.into()),
        ("role", role.into()),
        ("current_password", PASSWORD.into()),
    ]
}

#[tokio::test]
async fn a_programme_admin_gives_an_existing_account_the_agent_role_and_the_agent_sees_the_queue() {
    let (app, mut lead, _) = two_programmes().await;
    let operator = signed_in(&app, "root@example.org", Admin, None).await;
    // An account that works elsewhere.
    let id = add_user(&app, "volunteer@example.org", Agent, Some(OTHER)).await;
    let mut volunteer = Staff::new(&app, "volunteer@example.org", &id);
    volunteer.sign_in().await;
    let queue = format!("/console/p/{SLUG}/q/general");
    assert_eq!(volunteer.get(&queue).await.status, StatusCode::NOT_FOUND);

    let staff_page = format!("{}/staff", page_of(SLUG));
    // A wrong password gives nothing.
    let mut wrong = grant_form("volunteer@example.org", "agent");
    wrong[2].1 = "not my password at all".into();
    let res = lead
        .post(&staff_page, &format!("{staff_page}/grant"), &wrong)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(volunteer.get(&queue).await.status, StatusCode::NOT_FOUND);

    let res = lead
        .post(
            &staff_page,
            &format!("{staff_page}/grant"),
            &grant_form("volunteer@example.org", "agent"),
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=granted").as_str()),
        "{}",
        res.body
    );
    let entry = audit(&app, "staff.grant").await.into_iter().next().unwrap();
    assert_eq!(entry.actor, format!("user:{}", lead.id));
    assert_eq!(entry.subject, format!("user:{id}"));
    assert!(
        entry.detail.contains("\"role\":\"agent\""),
        "{}",
        entry.detail
    );
    // Every instance admin is told, in the grant's transaction.
    let notices = app.store.notices_of(&operator.id).await.unwrap();
    assert!(
        notices.iter().any(|(kind, _)| kind == "role-granted"),
        "{notices:?}"
    );

    // The agent reads the programme's handling rules first, then sees the queue.
    let first = volunteer.get(&queue).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(
        first.location.as_deref(),
        Some(format!("/console/p/{SLUG}/rules").as_str())
    );
    let rules = volunteer.get(&format!("/console/p/{SLUG}/rules")).await;
    assert!(
        html_unescape(&rules.body).contains("Read an enquiry only to help the person who sent it")
    );
    volunteer.acknowledge_rules(SLUG).await;
    assert_eq!(volunteer.get(&queue).await.status, StatusCode::OK);
    let ack = audit(&app, "rules.acknowledge")
        .await
        .into_iter()
        .find(|e| e.actor == format!("user:{id}"))
        .expect("the acknowledgement is audited");
    assert_eq!(ack.subject, format!("programme:{SLUG}"));

    // And the role is taken away from the same page.
    let res = lead
        .post(
            &staff_page,
            &format!("{staff_page}/{id}/remove"),
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=removed").as_str())
    );
    assert_eq!(volunteer.get(&queue).await.status, StatusCode::NOT_FOUND);
    assert!(!audit(&app, "staff.remove").await.is_empty());
}

#[tokio::test]
async fn a_programme_admin_of_another_programme_cannot_touch_its_staff() {
    let (app, _, mut theirs) = two_programmes().await;
    add_user(&app, "volunteer@example.org", Agent, Some(OTHER)).await;
    let staff_page = format!("{}/staff", page_of(SLUG));
    assert_eq!(theirs.get(&staff_page).await.status, StatusCode::NOT_FOUND);
    // Their own page's token, posted to this programme's address.
    let res = theirs
        .post(
            &format!("{}/staff", page_of(OTHER)),
            &format!("{staff_page}/grant"),
            &grant_form("volunteer@example.org", "agent"),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(audit(&app, "staff.grant").await.is_empty());
}

#[tokio::test]
async fn a_programme_admin_cannot_grant_supervisor_or_admin_and_their_request_waits_for_an_instance_admin()
 {
    let (app, mut lead, _) = two_programmes().await;
    let id = add_user(&app, "volunteer@example.org", Agent, Some(OTHER)).await;
    let staff_page = format!("{}/staff", page_of(SLUG));
    let role_here = |app: &TestApp, id: String| {
        let store = app.store.clone();
        async move {
            store
                .memberships(&id)
                .await
                .unwrap()
                .into_iter()
                .find(|m| m.slug == SLUG)
                .map(|m| m.role)
        }
    };
    for role in ["supervisor", "admin"] {
        let res = lead
            .post(
                &staff_page,
                &format!("{staff_page}/grant"),
                &grant_form("volunteer@example.org", role),
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some(format!("{staff_page}?done=requested").as_str()),
            "{}",
            res.body
        );
        assert_eq!(
            role_here(&app, id.clone()).await,
            None,
            "{role}: not granted"
        );
    }
    let pending = app.store.pending_role_requests(None).await.unwrap();
    assert_eq!(pending.len(), 2);
    assert!(audit(&app, "staff.grant").await.is_empty());

    // The requester cannot approve their own request, not even by forcing the row.
    // Requests of one second are listed in no particular order: find each by what it asks.
    let asking = |role| {
        pending
            .iter()
            .find(|r| r.change == haven::store::RoleChange::Grant(role))
            .expect("the request")
            .clone()
    };
    let request = asking(Supervisor);
    let approve = format!("{}/requests/{}/approve", page_of(SLUG), request.id);
    let res = lead
        .post(
            &staff_page,
            &approve,
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role_here(&app, id.clone()).await, None);
    let forced = haven::store::test_support::execute(
        &app.store,
        "UPDATE role_requests SET state = 'approved', decided_by = requested_by, \
         decided_at = 0 WHERE id = $1",
        &[haven::store::test_support::Arg::Text(request.id.clone())],
    )
    .await;
    assert!(
        forced.is_err(),
        "the CHECK constraint refuses a self-approval"
    );

    // An instance admin approves: the role is given, and every instance admin is told.
    let mut operator = signed_in(&app, "root@example.org", Admin, None).await;
    let second = signed_in(&app, "root2@example.org", Admin, None).await;
    // Instance admins see what waits for them on the users page too.
    let users = operator.get("/admin/users").await.body;
    assert!(
        users.contains(&format!("/staff#request-{}", request.id)),
        "{users}"
    );
    let res = operator
        .post(
            &staff_page,
            &approve,
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=approved").as_str()),
        "{}",
        res.body
    );
    assert_eq!(role_here(&app, id.clone()).await, Some(Supervisor));
    let entry = audit(&app, "staff.grant").await.into_iter().next().unwrap();
    assert_eq!(entry.actor, format!("user:{}", operator.id));
    assert!(
        entry
            .detail
            .contains(&format!("\"requested_by\":\"user:{}\"", lead.id))
    );
    for admin in [&operator.id, &second.id] {
        assert!(
            app.store
                .notices_of(admin)
                .await
                .unwrap()
                .iter()
                .any(|(k, _)| k == "role-granted")
        );
    }
    // The other request is refused; deciding it twice is refused too.
    let other = asking(Admin);
    let refuse = format!("{}/requests/{}/refuse", page_of(SLUG), other.id);
    let res = operator.post(&staff_page, &refuse, &[]).await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=refused").as_str())
    );
    let again = operator.post(&staff_page, &refuse, &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(role_here(&app, id).await, Some(Supervisor));
}

#[tokio::test]
async fn an_invitation_waits_for_an_instance_admin_who_creates_the_account() {
    let (app, mut lead, _) = two_programmes().await;
    let staff_page = format!("{}/staff", page_of(SLUG));
    let res = lead
        .post(
            &staff_page,
            &format!("{staff_page}/grant"),
            &grant_form("newcomer@example.org", "agent"),
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=requested").as_str()),
        "{}",
        res.body
    );
    assert!(
        app.store
            .user_by_email("newcomer@example.org")
            .await
            .unwrap()
            .is_none()
    );
    let request = app.store.pending_role_requests(None).await.unwrap()[0].clone();
    assert!(request.user_id.is_none());
    let mut operator = signed_in(&app, "root@example.org", Admin, None).await;
    let shown = operator.get(&staff_page).await;
    assert!(shown.body.contains(&format!("id=\"first-{}\"", request.id)));
    let res = operator
        .post(
            &staff_page,
            &format!("{}/requests/{}/approve", page_of(SLUG), request.id),
            &[
                ("first_password", "a first password for the newcomer".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let user = app
        .store
        .user_by_email("newcomer@example.org")
        .await
        .unwrap()
        .expect("created");
    let roles = app.store.memberships(&user.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!((roles[0].slug.as_str(), roles[0].role), (SLUG, Agent));
    assert!(
        user.enrol_by.is_some(),
        "a second factor is set up at first sign-in"
    );
}

#[tokio::test]
async fn every_instance_admin_gets_one_message_about_a_grant_naming_no_secret() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let app = spawn_with(Settings {
        env: [
            ("HAVEN_SMTP_URL", sink.url()),
            ("HAVEN_MAIL_FROM", crate::replies::FROM.to_string()),
            ("HAVEN_STAFF_NOTICES", "on".to_string()),
        ]
        .into(),
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Settings::default()
    })
    .await;
    let first = add_user(&app, "root@example.org", Admin, None).await;
    let second = add_user(&app, "root2@example.org", Admin, None).await;
    let mut other = example();
    other.slug = OTHER.into();
    let text = haven::programme::editing::to_text(&other).unwrap();
    apply(&app.store, &app.config, &text).await;
    // Made with a role (a grant: one message to each instance admin), and the lead
    // likewise (two more, and one about their own second factor).
    add_user(&app, "volunteer@example.org", Agent, Some(OTHER)).await;
    let mut lead = signed_in(&app, "lead@example.org", Admin, Some(SLUG)).await;
    give_role(&app, &mut lead, SLUG, "volunteer@example.org", "agent").await;
    app.run_pending_jobs().await;
    assert_eq!(
        sink.accepted_count(),
        7,
        "six grant notices and the lead's own"
    );
    let about: Vec<_> = sink
        .accepted()
        .into_iter()
        .filter(|t| String::from_utf8_lossy(&t.data).contains("A role was given in Haven"))
        .collect();
    assert_eq!(
        about.len(),
        6,
        "three grants, one message to each of two admins"
    );
    for (admin, email) in [(first, "root@example.org"), (second, "root2@example.org")] {
        let mine: Vec<String> = about
            .iter()
            .filter(|t| t.rcpt == [email])
            .map(|t| quoted_printable(&String::from_utf8_lossy(&t.data)))
            .collect();
        assert_eq!(mine.len(), 3, "{admin}: one message per grant");
        let web: Vec<&String> = mine
            .iter()
            .filter(|text| text.contains("by one of its programme admins"))
            .collect();
        assert_eq!(web.len(), 1, "{admin}: the web grant");
        let text = web[0];
        assert!(text.contains(SLUG) && text.contains("“agent”"), "{text}");
        assert!(
            text.contains(&format!("/admin/programmes/{SLUG}/staff")),
            "{text}"
        );
        // The text names no address (the guard allows only the recipient's) and no secret.
        let body = &text[text.find("Content-Transfer-Encoding").unwrap()..];
        assert!(!body.contains('@') && !body.contains(PASSWORD), "{body}");
    }
    // Nobody but the instance admins hears of it.
    assert!(about.iter().all(|t| t.rcpt[0].starts_with("root")));
}

/// The text of a message as its reader sees it: quoted-printable soft line breaks
/// joined and `=XX` bytes decoded.
fn quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn changed_handling_rules_are_asked_again() {
    let app = roomy().await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let dashboard = format!("/console/p/{SLUG}");
    assert_eq!(agent.get(&dashboard).await.status, StatusCode::OK);
    let mut admin = admin(&app).await;
    let general = format!("{}/general", page_of(SLUG));
    saved(
        &post_changed(&mut admin, &general, &general, |f| {
            set(f, "handling_rules.en", "New rules: never print an enquiry.")
        })
        .await,
    );
    // The console's cache of the programme lives five seconds; a new save clears it.
    let again = agent.get(&dashboard).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    let rules = agent.get(&format!("/console/p/{SLUG}/rules")).await;
    let body = html_unescape(&rules.body);
    assert!(body.contains("never print an enquiry") && body.contains("changed since"));
    agent.acknowledge_rules(SLUG).await;
    assert_eq!(agent.get(&dashboard).await.status, StatusCode::OK);
}

// ── The editor ───────────────────────────────────────────────────────────────

#[tokio::test]
async fn previewing_the_form_in_arabic_leaves_the_admins_language_unchanged() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let made = admin
        .post(
            "/admin/programmes",
            "/admin/programmes",
            &[
                ("from", String::new()),
                ("slug", NEW.into()),
                ("title", "السودان ٢٠٢٦".into()),
                ("language", "ar".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    admin.acknowledge_rules(NEW).await;
    assert!(
        admin
            .get("/console")
            .await
            .body
            .contains("<html lang=\"en\"")
    );

    let preview = admin
        .get(&format!("/console/p/{NEW}/preview?lang=ar"))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("<html lang=\"ar\" dir=\"rtl\""));
    assert!(preview.body.contains("السودان ٢٠٢٦"));

    // The console is still in English, and so is the stored choice.
    for page in ["/console", "/admin/programmes"] {
        let body = admin.get(page).await.body;
        assert!(
            body.contains("<html lang=\"en\" dir=\"ltr\""),
            "{page}: {body}"
        );
    }
    let stored = app.store.user_language(&admin.id).await.unwrap();
    assert_ne!(stored.as_deref(), Some("ar"));
}

#[tokio::test]
async fn removing_an_option_a_rule_tests_for_is_said_in_words_and_fixed_in_the_same_save() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    // One row per option, one input per language, each with its direction.
    let shared = format!("{}/fields/help_category", page_of(SLUG));
    let body = html_unescape(&admin.get(&shared).await.body);
    assert!(
        body.contains("name=\"opt.1.value\" value=\"former_staff\""),
        "{body}"
    );
    assert!(
        body.contains("name=\"opt.1.label.fa-AF\" value=\"برای نیروهای نظامی یا سفارت ما، یا همراه با آن‌ها کار کرده‌ام\" lang=\"fa-AF\" dir=\"rtl\""),
        "{body}"
    );
    assert!(body.contains("name=\"opt.1.label.en\" value=\"I worked for or with our armed forces or our embassy\" lang=\"en\" dir=\"ltr\""));
    // The rules that test its answers are on the same page.
    assert!(body.contains("name=\"cond.2.0.value\""), "{body}");

    let page = format!("{}/fields/in_danger", page_of(SLUG));
    let before = exported(&app, SLUG).await;
    let res = post_changed(&mut admin, &page, &page, |f| {
        f.push(("opt.0.remove".into(), "yes".into()))
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let body = html_unescape(&res.body);
    assert!(
        body.contains("The rule “In immediate danger” tests whether the answer to “Are you in immediate danger now?” is yes, which is no longer one of its answers."),
        "{body}"
    );
    assert!(
        body.contains("href=\"#cond-0-0-value\""),
        "a link to the row that fixes it"
    );
    assert!(body.contains(&format!("href=\"{}/rules/0\"", page_of(SLUG))));
    assert!(!body.contains("routing.rules[0]"), "no paths");
    assert_eq!(exported(&app, SLUG).await, before, "nothing saved");

    // One save changes an option's value and the rule that tests for it.
    let res = post_changed(&mut admin, &page, &page, |f| {
        set(f, "opt.0.value", "yes_now");
        set(f, "cond.0.0.value", "yes_now");
    })
    .await;
    saved(&res);
    let p = Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert_eq!(p.field("in_danger").unwrap().options[0].value, "yes_now");
    assert_eq!(
        p.file().routing.rules[0].when[0].equals.as_deref(),
        Some("yes_now")
    );

    // The refused page kept what was typed; one save removes the option and the rule.
    let res = post_changed(&mut admin, &page, &page, |f| {
        f.push(("opt.0.remove".into(), "yes".into()))
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = form_fields(&res.body, &page);
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "opt.0.remove" && v == "yes"),
        "kept as typed"
    );
    fields.push(("cond.0.0.remove".into(), "yes".into()));
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    saved(&admin.post_raw(&page, &fields).await);
    let p = Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert_eq!(p.field("in_danger").unwrap().options.len(), 1);
    assert!(
        p.file()
            .routing
            .rules
            .iter()
            .all(|r| r.name != "In immediate danger")
    );
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        entry
            .detail
            .contains("\"rules_removed\":[\"In immediate danger\"]"),
        "{}",
        entry.detail
    );
}

#[tokio::test]
async fn remove_asks_first_and_names_what_uses_the_question() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let list = admin.get(&format!("{}/fields", page_of(SLUG))).await.body;
    // A link to a page that asks, not a button that acts.
    assert!(list.contains(&format!("href=\"{}/fields/5/remove\"", page_of(SLUG))));
    assert!(!list.contains(&format!("action=\"{}/fields/5/remove\"", page_of(SLUG))));
    let ask = format!("{}/fields/5/remove", page_of(SLUG));
    let page = html_unescape(&admin.get(&ask).await.body);
    assert!(
        page.contains("Remove the question “\u{2068}Are you in immediate danger now?\u{2069}”?"),
        "{page}"
    );
    assert!(
        page.contains("In immediate danger") && page.contains("this rule has no other condition")
    );
    assert!(page.contains("name=\"drop_conditions\""));
    // A question a partner receives: the page says so, with a link.
    let shared = html_unescape(
        &admin
            .get(&format!("{}/fields/4/remove", page_of(SLUG)))
            .await
            .body,
    );
    assert!(
        shared.contains("its answers are sent to the partner “Resettlement NGO”"),
        "{shared}"
    );
    // Confirmed: the question goes, and with it the rule that tested it.
    let res = admin
        .post(
            &ask,
            &ask,
            &[("version", "1".into()), ("drop_conditions", "yes".into())],
        )
        .await;
    saved(&res);
    let p = Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert!(p.field("in_danger").is_none());
    assert_eq!(
        p.file().routing.rules.len(),
        3,
        "{:?}",
        p.file().routing.rules
    );
}

#[tokio::test]
async fn the_example_programme_passes_the_checklist_in_all_its_languages() {
    let p = Programme::parse(EXAMPLE).unwrap();
    assert_eq!(p.languages().len(), 4);
    let gaps = haven::programme::launch::gaps(p.file(), p.languages(), 1);
    assert!(
        gaps.is_empty(),
        "{:?}",
        gaps.iter().map(|g| g.name()).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn programme_apply_of_an_open_programme_says_what_its_checklist_lacks() {
    let app = roomy().await;
    let mut file = example();
    file.slug = NEW.into();
    file.handling_rules.remove("fr");
    let text = haven::programme::editing::to_text(&file).unwrap();
    let path = app.config.data_dir.join("sudan.toml");
    std::fs::write(&path, text).unwrap();
    let (code, out) = crate::programmes::cli(&app, &["programme", "apply", path.to_str().unwrap()]);
    // The operator's command line applies it (it holds the master key, and starts
    // programmes before anyone has an account), and says what the web would refuse.
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("created sudan-2026"), "{out}");
    assert!(out.contains("launch checklist is not complete"), "{out}");
    assert!(out.contains("missing: handling_rules.fr"), "{out}");
    assert!(out.contains("missing: staff"), "{out}");
}
