//! The person's own data and own codes (issue 21, item 6; issue 22, item 1), through
//! real HTTP: "What you sent" (off by default, without contact details when shown), a
//! new passphrase that re-seals everything sealed to the old inbox key, the phone
//! intake's forced change, and withdrawal (every ciphertext of the enquiry gone from
//! the SQLite file and WAL, or from PostgreSQL's pages after VACUUM; a legal hold
//! makes it wait; a supervisor can ask for it, an agent cannot).

use haven::casework::ProgrammeRole::{Agent, Supervisor};
use haven::domain::{Passphrase, ReferenceCode};
use haven::store::test_support::{self, Arg};
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, apply, extract_input, on_postgres};
use crate::replies::{Person, audit_actions, enquire, haven, open_inbox, post_reply, programme};
use crate::staff::signed_in;

/// A programme like the example that shows "What you sent".
const OPTIN: &str = "afghanistan-own";

async fn with_opt_in(app: &TestApp) {
    let text = programme(OPTIN, "minimal").replace(
        "status = \"open\"",
        "status = \"open\"\nshow_sent_in_inbox = true",
    );
    assert!(text.contains("show_sent_in_inbox = true"));
    apply(&app.store, &app.config, &text).await;
}

async fn scalar(app: &TestApp, sql: &'static str, id: &str) -> i64 {
    test_support::scalar(&app.store, sql, &[Arg::Text(id.to_owned())])
        .await
        .unwrap()
}

async fn bytes(app: &TestApp, sql: &'static str, id: &str) -> Vec<Vec<u8>> {
    test_support::fetch_all(&app.store, sql, &[Arg::Text(id.to_owned())])
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::try_get::<Vec<u8>, _>(r, 0).unwrap())
        .collect()
}

/// Asks for a new passphrase in the inbox; returns it (as the page showed it).
async fn change_passphrase(app: &TestApp, person: &Person) -> String {
    let form = app.get("/inbox/passphrase?lang=en").await;
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.unwrap();
    let new = extract_input(&form, "new_passphrase").expect("a new passphrase offered");
    let tag = extract_input(&form, "new_tag").expect("its tag");
    let csrf = extract_input(&form, "csrf").expect("a token");
    // Not ticked "written down": refused, nothing recorded.
    let mut fields = vec![
        ("csrf", csrf),
        ("lang", "en".to_owned()),
        ("reference", person.reference.clone()),
        ("passphrase", person.passphrase.clone()),
        ("new_passphrase", new.clone()),
        ("new_tag", tag),
    ];
    let res = app.post_form("/inbox/passphrase", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A passphrase of the person's own making (no tag from this server): refused.
    let mut forged = fields.clone();
    forged[4].1 = "aaaa-bbbb-cccc-dddd".into();
    forged.push(("written", "yes".into()));
    let res = app.post_form("/inbox/passphrase", &forged).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM inbox_requests WHERE enquiry_id = $1",
            &person.id
        )
        .await,
        0
    );
    fields.push(("written", "yes".into()));
    let res = app.post_form("/inbox/passphrase", &fields).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get("cache-control").unwrap(),
        "no-store",
        "the new passphrase is never cached"
    );
    let page = res.text().await.unwrap();
    assert!(page.contains("within a minute"), "{page}");
    new
}

// ── What you sent ───────────────────────────────────────────────────────────────

#[tokio::test]
async fn own_what_you_sent_is_off_by_default_and_shown_without_contact_details() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    // Off by default: nothing sealed for it, nothing shown.
    let off = enquire(
        &app,
        SLUG,
        Some("ana.off@example.org"),
        "en",
        "other",
        "Zarmina Offdefault",
    )
    .await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM own_copies WHERE enquiry_id = $1",
            &off.id
        )
        .await,
        0
    );
    let (status, inbox) = open_inbox(&app, SLUG, &off.reference, &off.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!inbox.contains("What you sent"), "{inbox}");
    assert!(!inbox.contains("Zarmina Offdefault"));
    // Opted in: the answers, without the email address or the phone number.
    let on = enquire(
        &app,
        OPTIN,
        Some("ana.on@example.org"),
        "en",
        "other",
        "Zarmina Optedin",
    )
    .await;
    let (status, inbox) = open_inbox(&app, OPTIN, &on.reference, &on.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("What you sent"), "{inbox}");
    assert!(
        inbox.contains("Zarmina Optedin"),
        "the name the person typed"
    );
    assert!(inbox.contains("I worked as an interpreter"), "their text");
    assert!(!inbox.contains("ana.on@example.org"), "no email address");
    assert!(!inbox.contains("123 4567"), "no phone number");
    // Sealed: the answer is nowhere in clear.
    crate::replies::assert_not_stored_in_clear(&app, "Zarmina Optedin").await;
    // Someone else's codes do not open it.
    let (status, _) = open_inbox(&app, OPTIN, &on.reference, &off.passphrase).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // In Dari, at the slug-free inbox too: the section is there, in Dari.
    let dari = enquire(&app, OPTIN, None, "fa-AF", "other", "زرمینه").await;
    let res = app
        .post_form(
            "/inbox?lang=fa-AF",
            &[
                ("lang", "fa-AF".into()),
                ("reference", dari.reference.clone()),
                ("passphrase", dari.passphrase.clone()),
            ],
        )
        .await;
    let page = res.text().await.unwrap();
    assert!(page.contains("آنچه فرستادید"), "{page}");
    assert!(page.contains("dir=\"rtl\""));
}

// ── A new passphrase ────────────────────────────────────────────────────────────

#[tokio::test]
async fn own_a_new_passphrase_reseals_everything_and_the_old_one_opens_nothing() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    let ana = enquire(&app, OPTIN, None, "en", "other", "Ana Newpass").await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(OPTIN)).await;
    let canary = "Canary reply 7Q2 for the new passphrase";
    post_reply(&mut agent, &ana.id, "", "About your enquiry", canary).await;
    let (_, inbox) = open_inbox(&app, OPTIN, &ana.reference, &ana.passphrase).await;
    assert!(inbox.contains(canary));
    let reply_before = bytes(
        &app,
        "SELECT ciphertext FROM replies WHERE enquiry_id = $1",
        &ana.id,
    )
    .await;
    let copy_before = bytes(
        &app,
        "SELECT ciphertext FROM own_copies WHERE enquiry_id = $1",
        &ana.id,
    )
    .await;
    assert_eq!((reply_before.len(), copy_before.len()), (1, 1));

    let new = change_passphrase(&app, &ana).await;
    // Recorded, not yet carried out: the old passphrase still opens the inbox.
    let (status, _) = open_inbox(&app, OPTIN, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;

    let (status, _) = open_inbox(&app, OPTIN, &ana.reference, &ana.passphrase).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old passphrase opens nothing"
    );
    let (status, inbox) = open_inbox(&app, OPTIN, &ana.reference, &new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        inbox.contains(canary),
        "the reply, re-sealed to the new key"
    );
    assert!(
        inbox.contains("Ana Newpass"),
        "what you sent, re-sealed too"
    );
    // At rest: neither ciphertext opens with the old inbox key; both with the new one.
    let reference = ReferenceCode::parse(&ana.reference).unwrap();
    let old_key = haven::crypto::inbox::inbox_identity(
        &reference,
        &Passphrase::parse(&ana.passphrase).unwrap(),
    )
    .unwrap();
    let new_key =
        haven::crypto::inbox::inbox_identity(&reference, &Passphrase::parse(&new).unwrap())
            .unwrap();
    let reply_after = bytes(
        &app,
        "SELECT ciphertext FROM replies WHERE enquiry_id = $1",
        &ana.id,
    )
    .await;
    let copy_after = bytes(
        &app,
        "SELECT ciphertext FROM own_copies WHERE enquiry_id = $1",
        &ana.id,
    )
    .await;
    for sealed in [&reply_after[0], &copy_after[0]] {
        assert!(
            age::decrypt(&old_key, sealed).is_err(),
            "the old key opens nothing"
        );
        assert!(age::decrypt(&new_key, sealed).is_ok());
    }
    assert!(
        age::decrypt(&old_key, &reply_before[0]).is_ok(),
        "the test can fail"
    );
    assert_ne!(reply_before, reply_after);
    assert_eq!(
        audit_actions(&app, "inbox.passphrase-change").await.len(),
        1
    );
    // Staff still read the reply (sealed to the programme too).
    let page = agent.get(&format!("/console/e/{}", ana.id)).await;
    assert!(page.body.contains(canary), "{}", page.body);
}

/// The bytes at `sql` (one row for `id`) open with `yes` and not with `no`.
async fn opens_with(
    app: &TestApp,
    sql: &'static str,
    id: &str,
    yes: &age::x25519::Identity,
    no: &age::x25519::Identity,
) {
    let found = bytes(app, sql, id).await;
    assert_eq!(found.len(), 1, "{sql}");
    assert!(age::decrypt(no, &found[0]).is_err(), "{sql}: the old key");
    assert!(age::decrypt(yes, &found[0]).is_ok(), "{sql}: the new key");
}

#[tokio::test]
async fn own_a_new_passphrase_reseals_what_the_person_wrote_and_their_masked_address() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    let ana = crate::replies::enquire_unconfirmed(
        &app,
        OPTIN,
        Some("nadia.wrote@example.org"),
        "en",
        "other",
        "Nadia Wroteback",
    )
    .await;
    // The worker mails the confirmation code and keeps the masked address, sealed to
    // the programme key and to her inbox key.
    app.run_pending_jobs().await;
    let masked = "n•••@example.org";
    let (status, page) = open_inbox(&app, OPTIN, &ana.reference, &ana.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(masked), "the masked address shown: {page}");
    let canary = format!("OWNTALK{}", &haven::crypto::random_id()[..10]);
    let (status, after) = crate::talk::write_back(&app, &page, &ana.passphrase, &canary).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(after.contains(&canary));
    app.run_pending_jobs().await;

    let new = change_passphrase(&app, &ana).await;
    app.run_pending_jobs().await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM inbox_requests WHERE enquiry_id = $1",
            &ana.id
        )
        .await,
        0,
        "carried out"
    );

    let (status, _) = open_inbox(&app, OPTIN, &ana.reference, &ana.passphrase).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old one opens nothing"
    );
    let (status, inbox) = open_inbox(&app, OPTIN, &ana.reference, &new).await;
    assert_eq!(status, StatusCode::OK, "{inbox}");
    assert!(inbox.contains(&canary), "her own words, re-sealed: {inbox}");
    assert!(
        inbox.contains(masked),
        "her masked address, re-sealed: {inbox}"
    );
    // At rest: each opens with the new inbox key, none with the old one.
    let reference = ReferenceCode::parse(&ana.reference).unwrap();
    let key = |p: &str| {
        haven::crypto::inbox::inbox_identity(&reference, &Passphrase::parse(p).unwrap()).unwrap()
    };
    let (old_key, new_key) = (key(&ana.passphrase), key(&new));
    for sql in [
        "SELECT ciphertext FROM person_messages WHERE enquiry_id = $1",
        "SELECT masked FROM contact_codes WHERE enquiry_id = $1",
    ] {
        opens_with(&app, sql, &ana.id, &new_key, &old_key).await;
    }
    let change = audit_actions(&app, "inbox.passphrase-change").await;
    assert_eq!(change.len(), 1);
    // Staff still read what she wrote (sealed to the programme too).
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(OPTIN)).await;
    let page = agent.get(&format!("/console/e/{}", ana.id)).await;
    assert!(page.body.contains(&canary), "{}", page.body);
}

#[tokio::test]
async fn own_a_phone_intake_must_choose_a_new_passphrase_at_first_sign_in() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    let caller = enquire(&app, OPTIN, None, "ps", "other", "Gul Phonecall").await;
    // As the phone intake stores it (helper `agents-a` builds the console form).
    test_support::execute(
        &app.store,
        "UPDATE enquiries SET source = 'phone' WHERE id = $1",
        &[Arg::Text(caller.id.clone())],
    )
    .await
    .unwrap();
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(OPTIN)).await;
    post_reply(&mut agent, &caller.id, "", "Call", "Canary phone reply 4K").await;
    let (status, inbox) = open_inbox(&app, OPTIN, &caller.reference, &caller.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("id=\"must-choose\""), "{inbox}");
    assert!(inbox.contains("Canary phone reply 4K"), "replies only");
    assert!(!inbox.contains("Gul Phonecall"), "not what they sent, yet");
    let new = change_passphrase(&app, &caller).await;
    app.run_pending_jobs().await;
    let (status, _) = open_inbox(&app, OPTIN, &caller.reference, &caller.passphrase).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the agent's passphrase opens nothing"
    );
    let (status, inbox) = open_inbox(&app, OPTIN, &caller.reference, &new).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!inbox.contains("id=\"must-choose\""));
    assert!(inbox.contains("Gul Phonecall"), "what they sent, now");
    assert!(inbox.contains("Canary phone reply 4K"));
}

// ── Withdrawal ──────────────────────────────────────────────────────────────────

async fn withdraw(app: &TestApp, person: &Person, confirm: bool) -> (StatusCode, String) {
    let mut fields = vec![
        ("lang", "en".to_owned()),
        ("reference", person.reference.clone()),
        ("passphrase", person.passphrase.clone()),
    ];
    if confirm {
        fields.push(("confirm", "yes".into()));
    }
    let res = app.post_form("/inbox/withdraw", &fields).await;
    (res.status(), res.text().await.unwrap())
}

/// Every ciphertext stored about `id`, from each table that holds one.
async fn ciphertexts(app: &TestApp, id: &str) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for sql in [
        "SELECT ciphertext FROM enquiries WHERE id = $1",
        "SELECT ciphertext FROM replies WHERE enquiry_id = $1",
        "SELECT ciphertext FROM notes WHERE enquiry_id = $1",
        "SELECT ciphertext FROM outbox WHERE enquiry_id = $1",
        "SELECT ciphertext FROM own_copies WHERE enquiry_id = $1",
        "SELECT ciphertext FROM person_messages WHERE enquiry_id = $1",
    ] {
        let found = bytes(app, sql, id).await;
        assert!(
            !found.is_empty(),
            "the test stores something in each: {sql}"
        );
        all.extend(found);
    }
    all
}

/// Whether any of `needles` (a 48-byte piece from the middle of each) is still on disk:
/// the SQLite file and its WAL, or every page of the tables on PostgreSQL.
async fn still_on_disk(app: &TestApp, needles: &[Vec<u8>]) -> Vec<usize> {
    let pieces: Vec<&[u8]> = needles
        .iter()
        .map(|n| &n[n.len() / 2 - 24..n.len() / 2 + 24])
        .collect();
    let mut disk = Vec::new();
    if on_postgres() {
        let haven::config::DatabaseUrl::Postgres(url) = &app.config.database else {
            panic!("on PostgreSQL")
        };
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
            .await
            .unwrap();
        // Plain VACUUM marks the dead tuples free; VACUUM FULL writes each table anew,
        // so what the withdrawal deleted is in no page of it.
        for sql in [
            "CREATE EXTENSION IF NOT EXISTS pageinspect",
            "VACUUM",
            "VACUUM FULL",
            "CHECKPOINT",
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        for table in [
            "enquiries",
            "replies",
            "notes",
            "outbox",
            "own_copies",
            "person_messages",
        ] {
            let toast: Option<String> = sqlx::query_scalar(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = $1::regclass AND reltoastrelid <> 0",
            )
            .bind(table)
            .fetch_optional(&mut conn)
            .await
            .unwrap();
            for rel in std::iter::once(table.to_owned()).chain(toast) {
                let blocks: i64 =
                    sqlx::query_scalar("SELECT pg_relation_size($1::regclass) / 8192")
                        .bind(&rel)
                        .fetch_one(&mut conn)
                        .await
                        .unwrap();
                for n in 0..blocks {
                    let page: Vec<u8> =
                        sqlx::query_scalar("SELECT get_raw_page($1, 'main', $2::int)")
                            .bind(&rel)
                            .bind(n as i32)
                            .fetch_one(&mut conn)
                            .await
                            .unwrap();
                    disk.extend(page);
                }
            }
        }
    } else {
        let mode = test_support::scalar(&app.store, "PRAGMA secure_delete", &[])
            .await
            .unwrap();
        assert_eq!(mode, 1, "secure_delete is on");
        for name in ["haven.db", "haven.db-wal"] {
            if let Ok(b) = std::fs::read(app.config.data_dir.join(name)) {
                disk.extend(b);
            }
        }
    }
    assert!(!disk.is_empty(), "something was read");
    pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| disk.windows(p.len()).any(|w| w == **p))
        .map(|(i, _)| i)
        .collect()
}

async fn a_full_enquiry(app: &TestApp, name: &str, email: &str) -> (Person, crate::staff::Staff) {
    let person = enquire(app, OPTIN, Some(email), "en", "other", name).await;
    crate::helpers::confirmed::confirm_every_address(app).await;
    let mut agent = signed_in(
        app,
        &format!("agent.{}@example.org", &person.id[..6]),
        Agent,
        Some(OPTIN),
    )
    .await;
    let page = agent
        .post(
            &format!("/console/e/{}", person.id),
            &format!("/console/e/{}/note", person.id),
            &[("text", "A note about the case".to_owned())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    // A reply whose email is still queued when the person withdraws.
    post_reply(&mut agent, &person.id, "", "Reply", "Queued reply text").await;
    // And the person wrote back through their inbox.
    let (status, inbox) = open_inbox(app, OPTIN, &person.reference, &person.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{inbox}");
    let (status, page) = crate::talk::write_back(
        app,
        &inbox,
        &person.passphrase,
        &format!("A message back from {name}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    (person, agent)
}

#[tokio::test]
async fn own_withdrawing_deletes_every_ciphertext_of_the_enquiry() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    let (person, _agent) =
        a_full_enquiry(&app, "Withdrawn Person", "withdraw.me@example.org").await;
    let (keep, _) = a_full_enquiry(&app, "Kept Person", "keep.me@example.org").await;
    let gone = ciphertexts(&app, &person.id).await;
    let kept = ciphertexts(&app, &keep.id).await;
    // A referral in the register, and an incident's affected list, name the enquiry.
    let partner_row = test_support::execute(
        &app.store,
        "INSERT INTO referrals (id, programme_id, enquiry_id, partner_key, partner_name, fields, \
         personal, basis, delivery, state, requested_by, requested_hour) \
         SELECT 'ref-own', programme_id, id, 'p', 'Partner', 'full_name', 0, 'Consent', 'download', \
         'ready', (SELECT id FROM users LIMIT 1), 0 FROM enquiries WHERE id = $1",
        &[Arg::Text(person.id.clone())],
    )
    .await
    .unwrap();
    assert_eq!(partner_row, 1);
    // What the other helpers' tables hold about it: a confirmation (its masked address
    // and a send counted against its address), a caller check and its answer, a draft
    // lock, and a duplicate mark on each side (the kept enquiry marked a duplicate of
    // it, it of the kept one).
    let other_tables = [
        // The address's blind index, as the worker would compute it (any distinct bytes).
        "UPDATE enquiries SET contact_index = reference_hash WHERE id = $1",
        "INSERT INTO contact_codes (enquiry_id, code_hash, attempts, issued_hour, confirmed, \
         key_id, format_version, masked) SELECT id, NULL, 0, 0, 1, key_id, format_version, \
         ciphertext FROM enquiries WHERE id = $1",
        "INSERT INTO contact_sends (contact_index, sent_hour) \
         SELECT contact_index, 0 FROM enquiries WHERE id = $1",
        "INSERT INTO caller_checks (id, enquiry_id, staff_id, number_hash, created_at, expires_at) \
         SELECT 'check-own', id, 'staff', reference_hash, 0, 0 FROM enquiries WHERE id = $1",
        "INSERT INTO caller_answers (id, enquiry_id, number_hash, answered_at) \
         SELECT 'answer-own', id, reference_hash, 0 FROM enquiries WHERE id = $1",
        "INSERT INTO draft_locks (enquiry_id, user_id, expires_at) VALUES ($1, 'staff', 0)",
        "INSERT INTO enquiry_duplicates (enquiry_id, duplicate_of, marked_by, marked_hour) \
         VALUES ($1, 'elsewhere', 'staff', 0)",
    ];
    for sql in other_tables {
        let n = test_support::execute(&app.store, sql, &[Arg::Text(person.id.clone())])
            .await
            .unwrap();
        assert_eq!(n, 1, "{sql}");
    }
    // The kept enquiry's address has a send counted too: that one stays.
    for sql in &other_tables[..3] {
        let n = test_support::execute(&app.store, sql, &[Arg::Text(keep.id.clone())])
            .await
            .unwrap();
        assert_eq!(n, 1, "{sql}");
    }
    let n = test_support::execute(
        &app.store,
        "INSERT INTO enquiry_duplicates (enquiry_id, duplicate_of, marked_by, marked_hour) \
         VALUES ($1, $2, 'staff', 0)",
        &[Arg::Text(keep.id.clone()), Arg::Text(person.id.clone())],
    )
    .await
    .unwrap();
    assert_eq!(n, 1);

    assert_eq!(
        sink.accepted().len(),
        0,
        "nothing sent before the withdrawal"
    );
    // The confirmation step: without the tick, nothing is recorded.
    let (status, page) = withdraw(&app, &person, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM inbox_requests WHERE enquiry_id = $1",
            &person.id
        )
        .await,
        0
    );
    let (status, page) = withdraw(&app, &person, true).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("deleted within a minute"), "{page}");
    assert!(page.contains("30 days"), "the backups' retention: {page}");
    app.run_pending_jobs().await;

    for (table, sql) in [
        ("enquiries", "SELECT COUNT(*) FROM enquiries WHERE id = $1"),
        (
            "replies",
            "SELECT COUNT(*) FROM replies WHERE enquiry_id = $1",
        ),
        ("notes", "SELECT COUNT(*) FROM notes WHERE enquiry_id = $1"),
        (
            "outbox",
            "SELECT COUNT(*) FROM outbox WHERE enquiry_id = $1",
        ),
        (
            "own_copies",
            "SELECT COUNT(*) FROM own_copies WHERE enquiry_id = $1",
        ),
        (
            "inbox_requests",
            "SELECT COUNT(*) FROM inbox_requests WHERE enquiry_id = $1",
        ),
        (
            "person_messages",
            "SELECT COUNT(*) FROM person_messages WHERE enquiry_id = $1",
        ),
        (
            "contact_codes",
            "SELECT COUNT(*) FROM contact_codes WHERE enquiry_id = $1",
        ),
        (
            "contact_requests",
            "SELECT COUNT(*) FROM contact_requests WHERE enquiry_id = $1",
        ),
        (
            "caller_checks",
            "SELECT COUNT(*) FROM caller_checks WHERE enquiry_id = $1",
        ),
        (
            "caller_answers",
            "SELECT COUNT(*) FROM caller_answers WHERE enquiry_id = $1",
        ),
        (
            "draft_locks",
            "SELECT COUNT(*) FROM draft_locks WHERE enquiry_id = $1",
        ),
        (
            "enquiry_duplicates",
            "SELECT COUNT(*) FROM enquiry_duplicates WHERE enquiry_id = $1 OR duplicate_of = $1",
        ),
    ] {
        assert_eq!(scalar(&app, sql, &person.id).await, 0, "{table}");
    }
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM contact_sends s JOIN enquiries e \
             ON e.contact_index = s.contact_index WHERE e.id = $1",
            &keep.id
        )
        .await,
        1,
        "the kept address's send still counts"
    );
    assert_eq!(
        test_support::scalar(&app.store, "SELECT COUNT(*) FROM contact_sends", &[])
            .await
            .unwrap(),
        1,
        "the send counted against the withdrawn address is gone"
    );
    // The register keeps its record (names of fields, never values), stopped.
    let state = test_support::fetch_one(
        &app.store,
        "SELECT state FROM referrals WHERE enquiry_id = $1",
        &[Arg::Text(person.id.clone())],
    )
    .await
    .unwrap();
    assert_eq!(
        sqlx::Row::try_get::<String, _>(&state, 0).unwrap(),
        "cancelled"
    );
    // The audit log records it; the other person's enquiry is untouched.
    let done = audit_actions(&app, "withdrawal.done").await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].subject, format!("enquiry:{}", person.id));
    assert_eq!(kept, ciphertexts(&app, &keep.id).await);
    // The queued email to them was cancelled: only the other person's reply left.
    let sent = sink.accepted();
    let to = |who: &str| {
        sent.iter()
            .filter(|m| m.rcpt.iter().any(|r| r.contains(who)))
            .count()
    };
    assert_eq!(to("keep.me@"), 1, "the other person's reply went out");
    assert_eq!(
        to("withdraw.me@"),
        0,
        "nothing reached the withdrawn person"
    );
    // The exact bytes are gone from disk; the kept enquiry's are still there (so the
    // search can find what is there).
    assert_eq!(
        still_on_disk(&app, &gone).await,
        Vec::<usize>::new(),
        "withdrawn ciphertexts on disk"
    );
    assert_eq!(
        still_on_disk(&app, &kept).await.len(),
        kept.len(),
        "the search finds stored bytes"
    );
    // And the codes open nothing any more.
    let (status, _) = open_inbox(&app, OPTIN, &person.reference, &person.passphrase).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn own_under_legal_hold_the_withdrawal_waits_then_happens() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    with_opt_in(&app).await;
    let held = enquire(&app, OPTIN, None, "en", "other", "Held Person").await;
    let mut supervisor = signed_in(&app, "sup@example.org", Supervisor, Some(OPTIN)).await;
    let page = supervisor
        .post(
            &format!("/console/e/{}", held.id),
            &format!("/console/e/{}/hold", held.id),
            &[("hold", "1".to_owned())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (status, page) = withdraw(&app, &held, true).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("legal obligation"),
        "the person is told: {page}"
    );
    app.run_pending_jobs().await;
    app.run_pending_jobs().await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM enquiries WHERE id = $1",
            &held.id
        )
        .await,
        1
    );
    assert_eq!(
        audit_actions(&app, "withdrawal.held").await.len(),
        1,
        "recorded once"
    );
    let (status, inbox) = open_inbox(&app, OPTIN, &held.reference, &held.passphrase).await;
    assert_eq!(status, StatusCode::OK);
    assert!(inbox.contains("id=\"withdrawal-pending\""), "{inbox}");
    // The hold ends: the next poll carries the withdrawal out.
    let page = supervisor
        .post(
            &format!("/console/e/{}", held.id),
            &format!("/console/e/{}/hold", held.id),
            &[("hold", "0".to_owned())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM enquiries WHERE id = $1",
            &held.id
        )
        .await,
        0
    );
    assert_eq!(audit_actions(&app, "withdrawal.done").await.len(), 1);
}

#[tokio::test]
async fn own_a_supervisor_withdraws_on_the_persons_request_and_an_agent_cannot() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let person = enquire(&app, SLUG, None, "en", "other", "Asked By Phone").await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let path = format!("/console/e/{}", person.id);
    let page = agent.get(&path).await;
    assert!(
        !page.body.contains("/delete-on-request\""),
        "no form for an agent"
    );
    let page = agent
        .post(
            &path,
            &format!("{path}/delete-on-request"),
            &[("confirm", "yes".to_owned())],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut supervisor = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let page = supervisor.get(&path).await;
    assert!(page.body.contains("withdraw-on-request"), "{}", page.body);
    let page = supervisor
        .post(
            &path,
            &format!("{path}/delete-on-request"),
            &[("confirm", "yes".to_owned())],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let asked = audit_actions(&app, "withdrawal.request").await;
    assert_eq!(asked.len(), 1);
    assert!(asked[0].actor.starts_with("user:"));
    app.run_pending_jobs().await;
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM enquiries WHERE id = $1",
            &person.id
        )
        .await,
        0
    );
}
