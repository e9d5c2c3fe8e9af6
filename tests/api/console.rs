//! The staff console through real HTTP: sign-in with TOTP, sessions, CSRF, throttling,
//! the access-control matrix, case work and the audit trail it leaves.

use haven::casework::ProgrammeRole::{self, *};
use reqwest::StatusCode;

use crate::helpers::{EXAMPLE, SLUG, TestApp, apply, extract_input, spawn_app};
use crate::staff::{PASSWORD, Staff, add_user, signed_in, submit_enquiry};

const OTHER: &str = "other-programme";

async fn audit_actions(app: &TestApp, action: &str) -> Vec<haven::audit::Record> {
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

fn without_tokens(body: &str) -> String {
    // Pages differ only in their fresh CSRF token.
    let mut out = body.to_owned();
    while let Some(at) = out.find("name=\"csrf\" value=\"") {
        let start = at + "name=\"csrf\" value=\"".len();
        let end = start + out[start..].find('"').unwrap();
        out.replace_range(at..end, "CSRF");
    }
    out
}

#[tokio::test]
async fn console_pages_need_a_signed_in_session() {
    let app = spawn_app().await;
    for path in [
        "/console",
        "/console/account",
        &format!("/console/p/{SLUG}"),
        "/admin/users",
        "/admin/audit",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.headers()["location"], "/console/sign-in", "{path}");
    }
    let res = app.get("/console/sign-in").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(
        res.headers().get("content-encoding").is_none(),
        "staff pages are not compressed"
    );
}

#[tokio::test]
async fn first_sign_in_enrols_totp_then_every_sign_in_needs_a_fresh_code() {
    let app = spawn_app().await;
    let id = add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut s = Staff::new(&app, "agent@example.org", &id);
    let first = s.password_step(PASSWORD).await;
    assert_eq!(first.location.as_deref(), Some("/console/enrol"));
    let cookie = first
        .set_cookie
        .iter()
        .find(|c| c.starts_with("__Host-haven="))
        .expect("cookie");
    for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    // Half signed in is not signed in.
    assert_eq!(s.get("/console").await.status, StatusCode::SEE_OTHER);

    // Enrolment: QR as inline SVG, a code from the app, recovery codes shown once.
    let enrol = s.get("/console/enrol").await;
    assert!(
        enrol.body.contains("<svg"),
        "QR code is rendered server-side"
    );
    let pending_cookie = s.cookie.clone();
    let mut fresh = Staff::new(&app, "agent@example.org", &id);
    fresh.cookie = pending_cookie;
    let done = {
        s.totp = Some(haven::auth::totp::TotpSecret::from_bytes(
            totp_rs::Secret::Encoded(extract_input(&enrol.body, "secret").unwrap())
                .to_bytes()
                .unwrap(),
        ));
        let code = s.next_code();
        s.post_raw(
            "/console/enrol",
            &[
                ("csrf", extract_input(&enrol.body, "csrf").unwrap()),
                ("secret", extract_input(&enrol.body, "secret").unwrap()),
                (
                    "secret_mac",
                    extract_input(&enrol.body, "secret_mac").unwrap(),
                ),
                ("code", code),
            ],
        )
        .await
    };
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        done.body.matches("class=\"code\"").count(),
        10,
        "ten recovery codes"
    );
    assert_ne!(
        s.cookie, fresh.cookie,
        "a new session id once fully signed in"
    );
    assert_eq!(
        fresh.get("/console").await.status,
        StatusCode::SEE_OTHER,
        "the pre-enrolment token is dead"
    );
    assert_eq!(s.get("/console").await.status, StatusCode::OK);

    // Next sign-in: password, then a code; the same code again is refused and alerted.
    s.cookie = None;
    assert_eq!(
        s.password_step(PASSWORD).await.location.as_deref(),
        Some("/console/sign-in/code")
    );
    s.pretend_time_passed().await;
    let code = s.next_code();
    let ok = s
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", code.clone())],
        )
        .await;
    assert_eq!(ok.location.as_deref(), Some("/console"));
    s.cookie = None;
    s.password_step(PASSWORD).await;
    let replay = s
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", code)],
        )
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    let alerts = audit_actions(&app, "signin.failed").await;
    assert!(
        alerts
            .iter()
            .any(|e| e.outcome == "alert" && e.detail.contains("totp-reused"))
    );

    // A recovery code works once.
    let codes: Vec<String> = done
        .body
        .split("<li class=\"code\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    let rec = s
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", codes[0].clone())],
        )
        .await;
    assert_eq!(rec.location.as_deref(), Some("/console"), "{}", rec.body);
    s.cookie = None;
    s.password_step(PASSWORD).await;
    let again = s
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", codes[0].clone())],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_planted_session_id_is_replaced_at_sign_in() {
    let app = spawn_app().await;
    let id = add_user(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let mut s = Staff::new(&app, "sup@example.org", &id);
    let planted = "ab".repeat(32);
    s.cookie = Some(planted.clone());
    s.sign_in().await;
    assert_ne!(s.cookie.as_deref(), Some(planted.as_str()));
    let mut attacker = Staff::new(&app, "x", "x");
    attacker.cookie = Some(planted);
    assert_eq!(attacker.get("/console").await.status, StatusCode::SEE_OTHER);
    assert_eq!(s.get("/console").await.status, StatusCode::OK);
}

/// Makes the database refuse every complete (`full`) session, as a failing disk or a
/// lost connection would refuse the write.
async fn refuse_full_sessions(app: &TestApp, refuse: bool) {
    use haven::store::test_support::execute;
    let sql = match (crate::helpers::on_postgres(), refuse) {
        (false, true) => {
            "CREATE TRIGGER refuse_full BEFORE INSERT ON sessions WHEN NEW.stage = 'full' \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        }
        (false, false) => "DROP TRIGGER refuse_full",
        (true, true) => {
            "CREATE FUNCTION refuse_full() RETURNS trigger AS $$ BEGIN \
               IF NEW.stage = 'full' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
               RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_full BEFORE INSERT ON sessions \
               FOR EACH ROW EXECUTE FUNCTION refuse_full()"
        }
        (true, false) => "DROP TRIGGER refuse_full ON sessions; DROP FUNCTION refuse_full()",
    };
    execute(&app.store, sql, &[]).await.unwrap();
}

#[tokio::test]
async fn a_sign_in_is_recorded_exactly_when_its_session_is_stored() {
    let app = spawn_app().await;
    let mut s = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    assert_eq!(audit_actions(&app, "signin.ok").await.len(), 1);
    s.post("/console", "/console/sign-out", &[]).await;

    // The code is right, but the session cannot be stored: no `signin.ok` claims that
    // someone got in.
    refuse_full_sessions(&app, true).await;
    assert_eq!(
        s.password_step(PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    s.pretend_time_passed().await;
    let code = s.next_code();
    let refused = s
        .post(
            "/console/sign-in/code",
            "/console/sign-in/code",
            &[("code", code)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(audit_actions(&app, "signin.ok").await.len(), 1);
    let sessions = haven::store::test_support::scalar(
        &app.store,
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND stage = 'full'",
        &[(&s.id).into()],
    )
    .await
    .unwrap();
    assert_eq!(sessions, 0);

    // Once the database takes it, both are there.
    refuse_full_sessions(&app, false).await;
    s.cookie = None;
    s.sign_in().await;
    assert_eq!(s.get("/console").await.status, StatusCode::OK);
    assert_eq!(audit_actions(&app, "signin.ok").await.len(), 2);
}

#[tokio::test]
async fn sign_out_and_timeouts_end_sessions() {
    let app = spawn_app().await;
    let mut s = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let stolen = s.cookie.clone();

    let out = s.post("/console", "/console/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.headers.get("clear-site-data").is_some());
    let mut thief = Staff::new(&app, "x", "x");
    thief.cookie = stolen;
    assert_eq!(
        thief.get("/console").await.status,
        StatusCode::SEE_OTHER,
        "sign-out revokes the session server-side"
    );
    let signouts = audit_actions(&app, "signout").await;
    assert_eq!(signouts.len(), 1);

    // Idle for 30 minutes.
    s.sign_in().await;
    assert_eq!(s.get("/console").await.status, StatusCode::OK);
    haven::store::test_support::execute(
        &app.store,
        "UPDATE sessions SET last_seen_at = last_seen_at - 1801",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(s.get("/console").await.status, StatusCode::SEE_OTHER);

    // Past the absolute limit, however busy.
    s.sign_in().await;
    haven::store::test_support::execute(
        &app.store,
        "UPDATE sessions SET expires_at = $1",
        &[(haven::store::now() - 1).into()],
    )
    .await
    .unwrap();
    assert_eq!(s.get("/console").await.status, StatusCode::SEE_OTHER);

    // "Sign out everywhere else" keeps only this session.
    s.sign_in().await;
    let mut other = Staff::new(&app, "agent@example.org", &s.id);
    other.totp = s
        .totp
        .as_ref()
        .map(|t| haven::auth::totp::TotpSecret::from_bytes(t.bytes().to_vec()));
    other.sign_in().await;
    let res = s
        .post("/console/account", "/console/account/sign-out-others", &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(other.get("/console").await.status, StatusCode::SEE_OTHER);
    assert_eq!(s.get("/console").await.status, StatusCode::OK);
}

#[tokio::test]
async fn repeated_failures_are_throttled_and_a_right_password_then_reveals_nothing() {
    let app = spawn_app().await;
    let id = add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let mut s = Staff::new(&app, "agent@example.org", &id);

    // Unknown account and wrong password: the same page.
    let wrong = s.password_step("not the password at all").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let mut ghost = Staff::new(&app, "nobody@example.org", "x");
    let unknown = ghost.password_step("not the password at all").await;
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        without_tokens(&unknown.body).replace("nobody@example.org", "E"),
        without_tokens(&wrong.body).replace("agent@example.org", "E")
    );

    for _ in 0..4 {
        assert_eq!(
            s.password_step("still wrong, still wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked_wrong = s.password_step("still wrong, still wrong").await;
    let locked_right = s.password_step(PASSWORD).await;
    assert_eq!(locked_wrong.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked_right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        without_tokens(&locked_right.body),
        without_tokens(&locked_wrong.body)
    );
    assert!(
        locked_right.location.is_none() && s.cookie.is_none(),
        "no session while throttled"
    );
    assert!(!audit_actions(&app, "signin.throttled").await.is_empty());
    let failed = audit_actions(&app, "signin.failed").await;
    assert_eq!(failed.len(), 6, "each wrong password is audited");
    assert!(
        failed
            .iter()
            .all(|e| !e.detail.contains("example.org") && !e.subject.contains("example.org"))
    );
}

/// Every state-changing staff POST refuses a missing or foreign token, and a
/// cross-site request even with the right token.
#[tokio::test]
async fn every_state_changing_post_needs_the_sessions_csrf_token() {
    let app = spawn_app().await;
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let agent_id = add_user(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (eid, reference) = submit_enquiry(&app, SLUG).await;
    let e = format!("/console/e/{eid}");
    let posts: Vec<(String, Vec<(&str, String)>)> = vec![
        (format!("{e}/claim"), vec![]),
        (format!("{e}/unclaim"), vec![("current", admin.id.clone())]),
        (format!("{e}/assign"), vec![("to", agent_id.clone())]),
        (
            format!("{e}/status"),
            vec![("from", "new".into()), ("to", "closed".into())],
        ),
        (format!("{e}/note"), vec![("text", "a note".into())]),
        (
            format!("{e}/transfer"),
            vec![
                ("from", "former-staff".into()),
                ("to", "general".into()),
                ("reason", "r".into()),
            ],
        ),
        (
            "/console/search".into(),
            vec![("reference", reference.clone())],
        ),
        ("/console/sign-out".into(), vec![]),
        ("/console/account/sign-out-others".into(), vec![]),
        (
            "/admin/users".into(),
            vec![
                ("email", "new@example.org".into()),
                ("role", "agent".into()),
                ("programme", SLUG.into()),
                ("password", PASSWORD.into()),
                ("current_password", PASSWORD.into()),
            ],
        ),
        (
            format!("/admin/users/{agent_id}/disable"),
            vec![("current_password", PASSWORD.into())],
        ),
        (
            format!("/admin/users/{agent_id}/reset-2fa"),
            vec![("current_password", PASSWORD.into())],
        ),
    ];
    let mut other = signed_in(&app, "admin2@example.org", Admin, None).await;
    let foreign = extract_input(&other.get("/console").await.body, "csrf").unwrap();
    let audit_before = audit_actions(&app, "").await.len();
    for (path, fields) in &posts {
        for token in [None, Some(foreign.clone()), Some("0".repeat(32))] {
            let mut all = fields.clone();
            if let Some(t) = token.clone() {
                all.push(("csrf", t));
            }
            let res = admin.post_raw(path, &all).await;
            assert_eq!(
                res.status,
                StatusCode::FORBIDDEN,
                "{path} with token {token:?}"
            );
        }
    }
    // The right token from another site.
    let mine = extract_input(&admin.get("/console").await.body, "csrf").unwrap();
    let res = admin
        .client
        .post(format!("{}{e}/claim", admin.base))
        .header(
            "cookie",
            format!("__Host-haven={}", admin.cookie.clone().unwrap()),
        )
        .header("origin", "https://evil.example")
        .form(&[("csrf", mine)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let record = app.store.enquiry(&eid).await.unwrap().unwrap();
    assert_eq!(
        (record.status.as_str(), record.assigned_to),
        ("new", None),
        "nothing changed"
    );
    assert_eq!(app.store.count_users().await.unwrap(), 3);
    // Only the audit viewer's own reads were added (none of the refused posts).
    let added = audit_actions(&app, "").await;
    assert_eq!(
        added.len(),
        audit_before,
        "refused posts leave no trace of a change"
    );
    // A refused note keeps the typed text.
    let res = admin
        .post_raw(&format!("{e}/note"), &[("text", "my careful note".into())])
        .await;
    assert!(res.body.contains("my careful note"));
    other.get("/console").await;
}

struct World {
    app: TestApp,
    agent_a: Staff,
    agent_a2: Staff,
    sup_a: Staff,
    agent_b: Staff,
    admin: Staff,
    enquiry_a: String,
    enquiry_b: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    apply(&app.store, &app.config, &EXAMPLE.replace(SLUG, OTHER)).await;
    let agent_a = signed_in(&app, "a1@example.org", Agent, Some(SLUG)).await;
    let agent_a2 = signed_in(&app, "a2@example.org", Agent, Some(SLUG)).await;
    let sup_a = signed_in(&app, "sa@example.org", Supervisor, Some(SLUG)).await;
    let agent_b = signed_in(&app, "b1@example.org", Agent, Some(OTHER)).await;
    let admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let (enquiry_a, _) = submit_enquiry(&app, SLUG).await;
    let (enquiry_b, _) = submit_enquiry(&app, OTHER).await;
    World {
        app,
        agent_a,
        agent_a2,
        sup_a,
        agent_b,
        admin,
        enquiry_a,
        enquiry_b,
    }
}

/// role × programme × route → status. Another programme's pages answer 404, exactly as
/// pages that do not exist.
#[tokio::test]
async fn access_control_matrix() {
    let mut w = world().await;
    let a = w.enquiry_a.clone();
    let b = w.enquiry_b.clone();
    let gets: Vec<(String, [u16; 4])> = vec![
        // (path, [agent A, supervisor A, agent B, instance admin])
        ("/console".into(), [200, 200, 200, 200]),
        (format!("/console/p/{SLUG}"), [200, 200, 404, 200]),
        (
            format!("/console/p/{SLUG}/q/former-staff"),
            [200, 200, 404, 200],
        ),
        (format!("/console/p/{SLUG}/daily.svg"), [200, 200, 404, 200]),
        (
            format!("/console/p/{SLUG}/backlog.svg"),
            [200, 200, 404, 200],
        ),
        (format!("/console/p/{OTHER}"), [404, 404, 200, 200]),
        (format!("/console/e/{a}"), [200, 200, 404, 200]),
        (format!("/console/e/{b}"), [404, 404, 200, 200]),
        (
            format!("/console/e/{}", "0".repeat(32)),
            [404, 404, 404, 404],
        ),
        ("/console/e/..%2Fetc".into(), [404, 404, 404, 404]),
        ("/console/p/no-such-programme".into(), [404, 404, 404, 404]),
        ("/admin/users".into(), [404, 404, 404, 200]),
        ("/admin/audit".into(), [404, 404, 404, 200]),
    ];
    for (path, expected) in &gets {
        let who: [&mut Staff; 4] = [&mut w.agent_a, &mut w.sup_a, &mut w.agent_b, &mut w.admin];
        for (s, want) in who.into_iter().zip(expected) {
            let page = s.get(path).await;
            assert_eq!(page.status.as_u16(), *want, "{} GET {path}", s.email);
        }
    }
    // Another programme's 404 is byte-for-byte the not-found page.
    let missing = w
        .agent_b
        .get(&format!("/console/e/{}", "0".repeat(32)))
        .await;
    let foreign = w.agent_b.get(&format!("/console/e/{a}")).await;
    assert_eq!(missing.body, foreign.body);

    // Lists and counts: agent B's overview does not mention programme A at all.
    let home_b = w.agent_b.get("/console").await.body;
    assert!(!home_b.contains(SLUG), "programme A is invisible to B");
    let home_a = w.agent_a.get("/console").await.body;
    assert!(home_a.contains(SLUG) && !home_a.contains(OTHER));

    // IDOR on writes: B cannot claim, note or close A's enquiry by its id.
    for action in ["claim", "note", "status", "transfer", "assign"] {
        let res = w
            .agent_b
            .post(
                "/console",
                &format!("/console/e/{a}/{action}"),
                &[
                    ("text", "x".into()),
                    ("from", "new".into()),
                    ("to", "closed".into()),
                    ("reason", "x".into()),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "B {action} on A's enquiry"
        );
    }
    // Search cannot find another programme's enquiry either.
    let record_a = w.app.store.enquiry(&a).await.unwrap().unwrap();
    assert_eq!(
        (record_a.status.as_str(), record_a.assigned_to.as_deref()),
        ("new", None)
    );

    // Role limits inside a programme: an agent cannot assign; a supervisor can.
    let res = w
        .agent_a
        .post(
            "/console",
            &format!("/console/e/{a}/assign"),
            &[("to", w.agent_a2.id.clone())],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = w
        .sup_a
        .post(
            "/console",
            &format!("/console/e/{a}/assign"),
            &[("to", w.agent_a2.id.clone())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // …and an agent cannot move someone else's enquiry.
    let res = w
        .agent_a
        .post(
            "/console",
            &format!("/console/e/{a}/status"),
            &[("from", "in_progress".into()), ("to", "closed".into())],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // Nobody but an instance admin can add users.
    let res = w
        .sup_a
        .post(
            "/console",
            "/admin/users",
            &[
                ("email", "x@example.org".into()),
                ("role", "admin".into()),
                ("password", PASSWORD.into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn two_agents_claiming_at_once_one_wins() {
    let w = world().await;
    let id = w.enquiry_a.clone();
    for _ in 0..3 {
        haven::store::test_support::execute(
            &w.app.store,
            "UPDATE enquiries SET assigned_to = NULL, status = 'new' WHERE id = $1",
            &[(&id).into()],
        )
        .await
        .unwrap();
        let claims_before = audit_actions(&w.app, "enquiry.claim").await.len();
        let mut a1 = Staff::new(&w.app, "", "");
        a1.cookie = w.agent_a.cookie.clone();
        let mut a2 = Staff::new(&w.app, "", "");
        a2.cookie = w.agent_a2.cookie.clone();
        let t1 = extract_input(&a1.get("/console").await.body, "csrf").unwrap();
        let t2 = extract_input(&a2.get("/console").await.body, "csrf").unwrap();
        let path = format!("/console/e/{id}/claim");
        let (f1, f2) = ([("csrf", t1)], [("csrf", t2)]);
        let (r1, r2) = tokio::join!(a1.post_raw(&path, &f1), a2.post_raw(&path, &f2));
        let outcomes = [r1.location.unwrap(), r2.location.unwrap()];
        let won = outcomes
            .iter()
            .filter(|l| l.ends_with("done=claimed"))
            .count();
        let lost = outcomes
            .iter()
            .filter(|l| l.ends_with("done=conflict"))
            .count();
        assert_eq!((won, lost), (1, 1), "{outcomes:?}");
        let record = w.app.store.enquiry(&id).await.unwrap().unwrap();
        let winner = if outcomes[0].ends_with("claimed") {
            &w.agent_a.id
        } else {
            &w.agent_a2.id
        };
        assert_eq!(record.assigned_to.as_ref(), Some(winner));
        assert_eq!(
            audit_actions(&w.app, "enquiry.claim").await.len(),
            claims_before + 1
        );
    }
}

#[tokio::test]
async fn an_agent_works_an_enquiry_from_queue_to_closed_and_back() {
    let mut w = world().await;
    let app = &w.app;
    let id = w.enquiry_a.clone();
    let e = format!("/console/e/{id}");
    let queue = w
        .agent_a
        .get(&format!("/console/p/{SLUG}/q/former-staff"))
        .await;
    assert!(queue.body.contains(&id), "the new enquiry is in its queue");

    let views_before = audit_actions(app, "enquiry.view").await.len();
    let page = w.agent_a.get(&e).await;
    assert!(
        page.body
            .contains("I worked as an interpreter and need help."),
        "decrypted answers"
    );
    assert!(
        page.body.contains("Former staff") || page.body.contains("former"),
        "labels, not codes"
    );
    let views = audit_actions(app, "enquiry.view").await;
    assert_eq!(views.len(), views_before + 1, "every read is audited");
    assert_eq!(views[0].actor, format!("user:{}", w.agent_a.id));
    assert_eq!(views[0].subject, format!("enquiry:{id}"));

    let claim = w.agent_a.post(&e, &format!("{e}/claim"), &[]).await;
    assert_eq!(claim.location.unwrap(), format!("{e}?done=claimed"));
    let note_text = "Called back; family of four, passports pending. NOTECANARY-7731";
    w.agent_a
        .post(&e, &format!("{e}/note"), &[("text", note_text.into())])
        .await;
    w.agent_a
        .post(
            &e,
            &format!("{e}/status"),
            &[
                ("from", "in_progress".into()),
                ("to", "awaiting_reply".into()),
            ],
        )
        .await;
    // A status move from a stale page does nothing.
    let stale = w
        .agent_a
        .post(
            &e,
            &format!("{e}/status"),
            &[("from", "in_progress".into()), ("to", "closed".into())],
        )
        .await;
    assert!(stale.location.unwrap().ends_with("done=conflict"));
    // An impossible move is refused outright.
    let bad = w
        .agent_a
        .post(
            &e,
            &format!("{e}/status"),
            &[("from", "awaiting_reply".into()), ("to", "new".into())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let moved = w
        .agent_a
        .post(
            &e,
            &format!("{e}/transfer"),
            &[
                ("from", "former-staff".into()),
                ("to", "urgent".into()),
                ("reason", "Now in danger".into()),
            ],
        )
        .await;
    assert!(moved.location.unwrap().ends_with("done=transferred"));
    w.agent_a
        .post(
            &e,
            &format!("{e}/status"),
            &[("from", "awaiting_reply".into()), ("to", "closed".into())],
        )
        .await;
    w.agent_a
        .post(
            &e,
            &format!("{e}/status"),
            &[("from", "closed".into()), ("to", "in_progress".into())],
        )
        .await;

    let record = app.store.enquiry(&id).await.unwrap().unwrap();
    assert_eq!(
        (record.queue.as_str(), record.status.as_str()),
        ("urgent", "in_progress")
    );
    let page = w.agent_a.get(&e).await.body;
    assert!(page.contains("NOTECANARY-7731") && page.contains("Now in danger"));

    // Notes are sealed: the text is nowhere in the database in clear.
    let notes = app.store.notes(&id).await.unwrap();
    assert_eq!(notes.len(), 2);
    for n in &notes {
        assert!(!String::from_utf8_lossy(&n.sealed.ciphertext).contains("NOTECANARY"));
    }
    if !crate::helpers::on_postgres() {
        for name in ["haven.db", "haven.db-wal"] {
            let f = app.config.data_dir.join(name);
            let bytes = std::fs::read(&f).unwrap_or_default();
            assert!(
                !bytes.windows(15).any(|w| w == b"NOTECANARY-7731"),
                "{}",
                f.display()
            );
        }
    }
    // The audit trail names each step and holds no content.
    for action in [
        "enquiry.claim",
        "enquiry.note",
        "enquiry.status",
        "enquiry.transfer",
    ] {
        let entries = audit_actions(app, action).await;
        assert!(!entries.is_empty(), "{action}");
        for entry in entries {
            assert!(!entry.detail.contains("NOTECANARY") && !entry.detail.contains("danger"));
        }
    }
    assert!(matches!(
        app.store.verify_audit().await.unwrap(),
        haven::audit::Verdict::Intact { .. }
    ));

    // Release, then the supervisor can assign it on.
    let rel = w
        .agent_a
        .post(
            &e,
            &format!("{e}/unclaim"),
            &[("current", w.agent_a.id.clone())],
        )
        .await;
    assert!(rel.location.unwrap().ends_with("done=unclaimed"));
    let assigned = w
        .sup_a
        .post(&e, &format!("{e}/assign"), &[("to", w.agent_a2.id.clone())])
        .await;
    assert!(assigned.location.unwrap().ends_with("done=assigned"));
    let record = app.store.enquiry(&id).await.unwrap().unwrap();
    assert_eq!(record.assigned_to.as_ref(), Some(&w.agent_a2.id));
}

#[tokio::test]
async fn search_by_reference_code_finds_only_ones_own_programmes() {
    let mut w = world().await;
    let (id, reference) = submit_enquiry(&w.app, SLUG).await;
    let found = w
        .agent_a
        .post(
            "/console",
            "/console/search",
            &[("reference", reference.to_lowercase())],
        )
        .await;
    assert_eq!(found.location.unwrap(), format!("/console/e/{id}"));
    let hidden = w
        .agent_b
        .post(
            "/console",
            "/console/search",
            &[("reference", reference.clone())],
        )
        .await;
    let nonsense = w
        .agent_b
        .post(
            "/console",
            "/console/search",
            &[("reference", "no such code".into())],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(without_tokens(&hidden.body), without_tokens(&nonsense.body));
    // The code never appears in a URL or the audit log.
    for e in audit_actions(&w.app, "enquiry.search").await {
        assert!(!e.subject.contains(&reference) && !e.detail.contains(&reference));
    }
}

#[tokio::test]
async fn dashboard_shows_counts_and_svg_charts() {
    let mut w = world().await;
    submit_enquiry(&w.app, SLUG).await;
    let page = w.agent_a.get(&format!("/console/p/{SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("daily.svg") && page.body.contains("backlog.svg"));
    assert!(page.body.contains("Former staff"), "queues by name");
    for chart in ["daily.svg", "backlog.svg"] {
        let svg = w.agent_a.get(&format!("/console/p/{SLUG}/{chart}")).await;
        assert_eq!(svg.headers["content-type"], "image/svg+xml; charset=utf-8");
        assert!(svg.body.contains("<svg"), "{chart}");
    }
    // Counts by status: two new enquiries in former-staff.
    let home = w.agent_a.get("/console").await.body;
    let row = home
        .split("former-staff\"")
        .nth(1)
        .expect("former-staff row");
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split('<').next().unwrap())
        .take(4)
        .collect();
    assert_eq!(
        cells,
        ["2", "0", "0", "0"],
        "new, in progress, awaiting reply, closed"
    );
}

#[tokio::test]
async fn admins_add_users_reset_factors_and_read_the_audit_log_with_filters() {
    let mut w = world().await;
    let res = w
        .admin
        .post(
            "/admin/users",
            "/admin/users",
            &[
                ("email", "New.Agent@Example.org".into()),
                ("role", "agent".into()),
                ("programme", SLUG.into()),
                ("password", "short".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("at least 12") && res.body.contains("New.Agent@Example.org"),
        "error and typed email back"
    );
    let res = w
        .admin
        .post(
            "/admin/users",
            "/admin/users",
            &[
                ("email", "New.Agent@Example.org".into()),
                ("role", "agent".into()),
                ("programme", SLUG.into()),
                ("password", PASSWORD.into()),
                ("current_password", "wrong password here".into()),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "re-authentication is required"
    );
    let res = w
        .admin
        .post(
            "/admin/users",
            "/admin/users",
            &[
                ("email", "New.Agent@Example.org".into()),
                ("role", "agent".into()),
                ("programme", SLUG.into()),
                ("password", PASSWORD.into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some("/admin/users?done=user-added"),
        "{}",
        res.body
    );
    let user = w
        .app
        .store
        .user_by_email("new.agent@example.org")
        .await
        .unwrap()
        .expect("created");
    let mut newcomer = Staff::new(&w.app, "new.agent@example.org", &user.id);
    newcomer.sign_in().await;
    newcomer.acknowledge_rules(SLUG).await;
    assert_eq!(
        newcomer.get(&format!("/console/p/{SLUG}")).await.status,
        StatusCode::OK
    );

    // A lost phone: the admin resets the factor; the user's sessions end.
    let res = w
        .admin
        .post(
            "/admin/users",
            &format!("/admin/users/{}/reset-2fa", user.id),
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/users?done=reset"));
    assert_eq!(newcomer.get("/console").await.status, StatusCode::SEE_OTHER);
    let again = newcomer.password_step(PASSWORD).await;
    assert_eq!(again.location.as_deref(), Some("/console/enrol"));

    // Disabled accounts cannot sign in.
    w.admin
        .post(
            "/admin/users",
            &format!("/admin/users/{}/disable", w.agent_b.id),
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(
        w.agent_b.get("/console").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        w.agent_b.password_step(PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The audit log, filtered by action family and by actor.
    let log = w.admin.get("/admin/audit?action=user.").await.body;
    assert!(log.contains("The chain is intact"));
    assert!(
        log.contains("user.add") && log.contains("user.reset-2fa") && log.contains("user.disable")
    );
    assert!(!log.contains("signin.ok"));
    let mine = w
        .admin
        .get(&format!(
            "/admin/audit?actor=user:{}&action=signin.ok",
            w.agent_a.id
        ))
        .await
        .body;
    assert!(mine.contains("signin.ok"));
    assert!(!mine.contains("user.add"));
}

#[tokio::test]
async fn agents_may_skip_the_second_factor_only_where_the_programme_allows() {
    let app = spawn_app().await;
    let relaxed = EXAMPLE.replace(SLUG, OTHER) + "\n[staff]\nagents_require_two_factor = false\n";
    apply(&app.store, &app.config, &relaxed).await;
    let id = add_user(&app, "volunteer@example.org", Agent, Some(OTHER)).await;
    let mut v = Staff::new(&app, "volunteer@example.org", &id);
    assert_eq!(
        v.password_step(PASSWORD).await.location.as_deref(),
        Some("/console")
    );
    v.acknowledge_rules(OTHER).await;
    assert_eq!(
        v.get(&format!("/console/p/{OTHER}")).await.status,
        StatusCode::OK
    );
    // Supervisors there still need it; agents of the strict programme too.
    let sid = add_user(&app, "lead@example.org", Supervisor, Some(OTHER)).await;
    let mut s = Staff::new(&app, "lead@example.org", &sid);
    assert_eq!(
        s.password_step(PASSWORD).await.location.as_deref(),
        Some("/console/enrol")
    );
    let aid = add_user(&app, "strict@example.org", ProgrammeRole::Agent, Some(SLUG)).await;
    let mut a = Staff::new(&app, "strict@example.org", &aid);
    assert_eq!(
        a.password_step(PASSWORD).await.location.as_deref(),
        Some("/console/enrol")
    );
}

#[tokio::test]
async fn decrypting_reads_are_capped_per_person_and_the_excess_is_alerted() {
    let app = crate::helpers::spawn_with(crate::helpers::Settings {
        config_file: Some("[rate_limits]\ndecrypts_per_user_per_hour = 2\n".into()),
        ..Default::default()
    })
    .await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let e = format!("/console/e/{id}");
    assert_eq!(agent.get(&e).await.status, StatusCode::OK);
    assert_eq!(agent.get(&e).await.status, StatusCode::OK);
    let third = agent.get(&e).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        !third.body.contains("interpreter"),
        "nothing decrypted is shown"
    );
    let views = audit_actions(&app, "enquiry.view").await;
    assert_eq!(views.iter().filter(|v| v.outcome == "ok").count(), 2);
    assert_eq!(views.iter().filter(|v| v.outcome == "alert").count(), 1);
    // Another person's allowance is their own.
    let mut other = signed_in(&app, "other@example.org", Agent, Some(SLUG)).await;
    assert_eq!(other.get(&e).await.status, StatusCode::OK);
}

#[tokio::test]
async fn supervisors_preview_a_draft_form_in_each_language_that_the_public_cannot_see() {
    let app = spawn_app().await;
    let draft = EXAMPLE
        .replace(SLUG, OTHER)
        .replacen("status = \"open\"", "status = \"draft\"", 1);
    apply(&app.store, &app.config, &draft).await;
    assert_eq!(
        app.get(&format!("/p/{OTHER}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let mut sup = signed_in(&app, "sup@example.org", Supervisor, Some(OTHER)).await;
    let ps = sup
        .get(&format!("/console/p/{OTHER}/preview?lang=ps"))
        .await;
    assert_eq!(ps.status, StatusCode::OK);
    assert!(ps.body.contains("dir=\"rtl\"") && ps.body.contains("lang=\"ps\""));
    assert!(ps.body.contains("f-full_name"), "the real form");
    let en = sup
        .get(&format!("/console/p/{OTHER}/preview?lang=en"))
        .await;
    assert!(en.body.contains("Preview for staff"));
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(OTHER)).await;
    assert_eq!(
        agent
            .get(&format!("/console/p/{OTHER}/preview"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
