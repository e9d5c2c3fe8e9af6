//! A programme admin brings a mailbox in through the console
//! (`/console/p/{slug}/import`): the summary, re-uploads, refusals (token, password,
//! size, role), the audit trail; and staff download the attachments kept with an
//! imported enquiry.

use haven::casework::ProgrammeRole::{self, Admin, Agent, Supervisor};
use reqwest::StatusCode;

use crate::helpers::{EXAMPLE, SLUG, Settings, TestApp, apply, extract_input, spawn_with};
use crate::import::{attachment_bytes, corpus, crlf, mbox, programme, simple};
use crate::replies::{assert_not_stored_in_clear, audit_actions};
use crate::staff::{PASSWORD, Page, Staff, signed_in};

const OTHER: &str = "other-programme";
const UPLOAD: &str = "/console/p/afghanistan-2021/import";

/// The example programme set up for imports (`keep` or `drop` attachments), and a
/// second programme beside it; `config` is a settings file, if any.
async fn app(attachments: &str, config: Option<&str>) -> TestApp {
    let app = spawn_with(Settings {
        apply_example: false,
        config_file: config.map(str::to_owned),
        ..Settings::default()
    })
    .await;
    apply(&app.store, &app.config, &programme(attachments)).await;
    apply(&app.store, &app.config, &EXAMPLE.replace(SLUG, OTHER)).await;
    app
}

/// One part of a multipart body: a field, or a file with its name.
enum Part<'a> {
    Field(&'a str, &'a str),
    File(&'a str, &'a [u8]),
}

fn multipart(parts: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "----haven-test-boundary-8f2c1d";
    let mut body = Vec::new();
    for part in parts {
        body.extend(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Field(name, value) => {
                body.extend(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
                body.extend(value.as_bytes());
            }
            Part::File(name, bytes) => {
                body.extend(
                    format!(
                        "Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend(*bytes);
            }
        }
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(staff: &mut Staff, path: &str, parts: &[Part<'_>]) -> Page {
    let (content_type, body) = multipart(parts);
    let req = staff
        .client
        .post(format!("{}{path}", staff.base))
        .header("content-type", content_type)
        .body(body);
    let res = staff.with_cookie(req).send().await.expect("POST");
    staff.finish(res).await
}

/// What the admin's browser sends, in the form's order: the page's token, the files,
/// their password.
async fn upload(staff: &mut Staff, files: &[(&str, &[u8])]) -> Page {
    let form = staff.get(UPLOAD).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = extract_input(&form.body, "csrf").expect("a token on the form");
    let mut parts = vec![Part::Field("csrf", &token)];
    parts.extend(files.iter().map(|(name, bytes)| Part::File(name, bytes)));
    parts.push(Part::Field("current_password", PASSWORD));
    post_multipart(staff, UPLOAD, &parts).await
}

async fn admin(app: &TestApp) -> Staff {
    signed_in(app, "admin@ngo.example", Admin, Some(SLUG)).await
}

/// Four people, two with a Message-ID, and one message with no sender.
fn mailbox() -> Vec<u8> {
    let mut messages: Vec<Vec<u8>> = (1..=4).map(|n| simple(n, n % 2 == 0)).collect();
    messages.push(crlf("Subject: nobody\n\nNo sender here.\n"));
    mbox(&messages)
}

fn summary_line(page: &Page) -> String {
    crate::helpers::extract_by_id(&page.body, "import-summary")
        .unwrap_or_else(|| panic!("no summary ({}): {}", page.status, page.body))
}

#[tokio::test]
async fn an_admin_uploads_a_mailbox_sees_the_summary_and_a_second_upload_adds_nothing() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    let dashboard = admin.get(&format!("/console/p/{SLUG}")).await;
    assert!(dashboard.body.contains(UPLOAD), "the dashboard links to it");
    let form = admin.get(UPLOAD).await;
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let eml = corpus()
        .into_iter()
        .find(|c| c.file == "03-attachment.eml")
        .unwrap()
        .raw;

    let done = upload(
        &mut admin,
        &[("inbox.mbox", &mailbox()), ("documents.eml", &eml)],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        summary_line(&done),
        "6 messages in 2 files: 5 imported, 0 duplicates, 1 failed."
    );
    // The failure names the upload, the message and the reason, never the sender.
    assert!(
        done.body.contains("upload #1 (inbox.mbox) #5"),
        "{}",
        done.body
    );
    assert!(done.body.contains("no sender address"), "{}", done.body);
    assert!(!done.body.contains("person1@example.org"));
    assert_eq!(app.count().await, 5);
    let records = app
        .store
        .enquiries_of_programme(&app.programme_id().await)
        .await
        .unwrap();
    assert!(
        records
            .iter()
            .all(|r| r.source == "imported" && r.has_email)
    );

    // The run is audited as the CLI's is, naming the admin and the counts.
    let runs = audit_actions(&app, "import.run").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].actor, format!("user:{}", admin.id));
    assert_eq!(runs[0].subject, format!("programme:{SLUG}"));
    for part in ["\"via\":\"upload\"", "\"imported\":5", "\"failed\":1"] {
        assert!(runs[0].detail.contains(part), "{}", runs[0].detail);
    }

    // The same files again: every message is already in Haven.
    let again = upload(
        &mut admin,
        &[("inbox.mbox", &mailbox()), ("documents.eml", &eml)],
    )
    .await;
    assert_eq!(
        summary_line(&again),
        "6 messages in 2 files: 0 imported, 5 duplicates, 1 failed."
    );
    assert_eq!(app.count().await, 5);
    assert_eq!(audit_actions(&app, "import.run").await.len(), 2);

    // What was uploaded is nowhere at rest in the clear: not the senders, not the
    // text, not the file names.
    for secret in [
        "person3@example.org",
        "attach.sender@example.org",
        "This is request number 2",
        "passport.pdf",
        "inbox.mbox",
    ] {
        assert_not_stored_in_clear(&app, secret).await;
    }
}

fn detail(record: &haven::audit::Record) -> serde_json::Value {
    serde_json::from_str(&record.detail).unwrap()
}

#[tokio::test]
async fn each_batch_of_an_import_is_audited_in_the_transaction_that_stores_it() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    // More than one batch (256 enquiries to a transaction).
    let messages: Vec<Vec<u8>> = (0..300).map(|n| simple(n, true)).collect();
    let done = upload(&mut admin, &[("big.mbox", &mbox(&messages))]).await;
    assert_eq!(
        summary_line(&done),
        "300 messages in 1 files: 300 imported, 0 duplicates, 0 failed."
    );
    let runs = audit_actions(&app, "import.run").await;
    assert_eq!(runs.len(), 1);
    let run = detail(&runs[0]);
    let mut batches = audit_actions(&app, "import.batch").await;
    batches.reverse();
    // A batch takes what the reader has ready, up to 256: how many there are varies.
    assert_eq!(run["batches"], batches.len());
    assert!(batches.len() >= 2);
    let imported: Vec<u64> = batches
        .iter()
        .map(|b| detail(b)["imported"].as_u64().unwrap())
        .collect();
    assert_eq!(imported.iter().sum::<u64>(), 300);
    assert!(imported.iter().all(|n| *n <= 256), "{imported:?}");
    for (n, b) in batches.iter().enumerate() {
        assert_eq!(b.actor, format!("user:{}", admin.id));
        assert_eq!(b.subject, format!("programme:{SLUG}"));
        assert_eq!(
            detail(b)["run"],
            run["run"],
            "one run id ties them together"
        );
        assert_eq!(detail(b)["batch"], n + 1);
        assert!(b.seq < runs[0].seq);
    }
    // Nothing new, nothing to record for a batch.
    upload(&mut admin, &[("big.mbox", &mbox(&messages))]).await;
    assert_eq!(
        audit_actions(&app, "import.batch").await.len(),
        batches.len()
    );
    assert_eq!(audit_actions(&app, "import.run").await.len(), 2);
}

/// Makes the database refuse `import.batch` audit entries.
async fn refuse_batch_entries(app: &TestApp) {
    let sql = if crate::helpers::on_postgres() {
        "CREATE FUNCTION refuse_batch() RETURNS trigger AS $$ BEGIN \
           IF NEW.action = 'import.batch' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
           RETURN NEW; END $$ LANGUAGE plpgsql; \
         CREATE TRIGGER refuse_batch BEFORE INSERT ON audit_log \
           FOR EACH ROW EXECUTE FUNCTION refuse_batch()"
    } else {
        "CREATE TRIGGER refuse_batch BEFORE INSERT ON audit_log WHEN NEW.action = 'import.batch' \
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    };
    haven::store::test_support::execute(&app.store, sql, &[])
        .await
        .unwrap();
}

#[tokio::test]
async fn an_imported_enquiry_whose_audit_entry_cannot_be_written_is_not_stored() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    refuse_batch_entries(&app).await;
    let done = upload(&mut admin, &[("inbox.mbox", &mailbox())]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        summary_line(&done),
        "5 messages in 1 files: 0 imported, 0 duplicates, 5 failed."
    );
    assert_eq!(app.count().await, 0, "no enquiry without its entry");
    assert!(audit_actions(&app, "import.batch").await.is_empty());
    let runs = audit_actions(&app, "import.run").await;
    assert_eq!(detail(&runs[0])["failed"], 5);
}

#[tokio::test]
async fn the_summary_is_in_the_admins_language() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    let form = admin.get(&format!("{UPLOAD}?lang=fr")).await;
    let token = extract_input(&form.body, "csrf").unwrap();
    // The form posts back in the language it was shown in.
    assert!(
        form.body.contains(&format!("action=\"{UPLOAD}?lang=fr\"")),
        "{}",
        form.body
    );
    let mail = mailbox();
    let done = post_multipart(
        &mut admin,
        &format!("{UPLOAD}?lang=fr"),
        &[
            Part::Field("csrf", &token),
            Part::Field("current_password", PASSWORD),
            Part::File("boîte.mbox", &mail),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(
        summary_line(&done),
        "5 messages dans 1 fichiers : 4 importés, 0 doublons, 1 en échec."
    );
    assert!(
        crate::helpers::html_unescape(&done.body).contains("pas d'adresse d'expéditeur"),
        "{}",
        done.body
    );
    assert!(done.body.contains("lang=\"fr\""));
}

#[tokio::test]
async fn uploads_without_the_token_or_the_password_import_nothing() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    let mail = mailbox();
    let form = admin.get(UPLOAD).await;
    let token = extract_input(&form.body, "csrf").unwrap();

    for (case, parts) in [
        (
            "no token",
            vec![
                Part::Field("current_password", PASSWORD),
                Part::File("inbox.mbox", &mail),
            ],
        ),
        (
            "a wrong token",
            vec![
                Part::Field("csrf", "not-the-token"),
                Part::Field("current_password", PASSWORD),
                Part::File("inbox.mbox", &mail),
            ],
        ),
        (
            "the token after the file",
            vec![
                Part::Field("current_password", PASSWORD),
                Part::File("inbox.mbox", &mail),
                Part::Field("csrf", &token),
            ],
        ),
    ] {
        let page = post_multipart(&mut admin, UPLOAD, &parts).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{case}: {}", page.body);
    }
    // A cross-site post carrying a stolen token is refused too.
    let (content_type, body) = multipart(&[
        Part::Field("csrf", &token),
        Part::Field("current_password", PASSWORD),
        Part::File("inbox.mbox", &mail),
    ]);
    let req = admin
        .client
        .post(format!("{}{UPLOAD}", admin.base))
        .header("content-type", content_type)
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .body(body);
    let res = admin.with_cookie(req).send().await.unwrap();
    let cross = admin.finish(res).await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count().await, 0);

    // A wrong password: the form again, saying so, and nothing imported.
    let wrong = post_multipart(
        &mut admin,
        UPLOAD,
        &[
            Part::Field("csrf", &token),
            Part::Field("current_password", "not my password at all"),
            Part::File("inbox.mbox", &mail),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Your password is not right; nothing was imported."),
        "{}",
        wrong.body
    );
    assert_eq!(audit_actions(&app, "reauth.failed").await.len(), 1);

    // No file chosen (a browser still sends an empty part).
    let empty = post_multipart(
        &mut admin,
        UPLOAD,
        &[
            Part::Field("csrf", &token),
            Part::Field("current_password", PASSWORD),
            Part::File("", b""),
        ],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("Choose at least one .eml or mbox file.")
    );

    assert_eq!(app.count().await, 0);
    assert!(audit_actions(&app, "import.run").await.is_empty());
}

#[tokio::test]
async fn a_too_large_upload_is_refused_with_a_page_and_nothing_stored() {
    let app = app("keep", None).await;
    let mut admin = admin(&app).await;
    // Valid mail, just too much of it: 65 MiB.
    let one = simple(1, true);
    let mut big = Vec::with_capacity(65 << 20);
    while big.len() < 65 << 20 {
        big.extend(mbox(std::slice::from_ref(&one)));
    }
    let page = upload(&mut admin, &[("huge.mbox", &big)]).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.body.contains("The upload is too large") && page.body.contains("64 MiB"),
        "{}",
        page.body
    );
    assert_eq!(app.count().await, 0);
    assert!(audit_actions(&app, "import.run").await.is_empty());
    // The session is still good and the next, smaller upload works.
    let done = upload(&mut admin, &[("small.mbox", &mbox(&[one]))]).await;
    assert_eq!(
        summary_line(&done),
        "1 messages in 1 files: 1 imported, 0 duplicates, 0 failed."
    );
}

#[tokio::test]
async fn only_admins_of_the_programme_reach_the_upload_page() {
    let app = app("keep", None).await;
    let mail = mailbox();
    let roles: [(&str, ProgrammeRole, Option<&str>); 3] = [
        ("agent@ngo.example", Agent, Some(SLUG)),
        ("sup@ngo.example", Supervisor, Some(SLUG)),
        ("other-admin@ngo.example", Admin, Some(OTHER)),
    ];
    for (email, role, programme) in roles {
        let mut staff = signed_in(&app, email, role, programme).await;
        assert_eq!(
            staff.get(UPLOAD).await.status,
            StatusCode::NOT_FOUND,
            "{email}"
        );
        // Even with a valid token of their own session.
        let console = staff.get("/console").await;
        let token = extract_input(&console.body, "csrf").unwrap();
        let page = post_multipart(
            &mut staff,
            UPLOAD,
            &[
                Part::Field("csrf", &token),
                Part::Field("current_password", PASSWORD),
                Part::File("inbox.mbox", &mail),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{email}");
        let dashboard = staff.get(&format!("/console/p/{SLUG}")).await;
        assert!(!dashboard.body.contains(UPLOAD), "{email}: no link");
    }
    assert_eq!(app.count().await, 0);
    // An instance admin is an admin of every programme.
    let mut instance = signed_in(&app, "root@ngo.example", Admin, None).await;
    let done = upload(&mut instance, &[("inbox.mbox", &mail)]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(app.count().await, 4);
    // Signed out: the sign-in page, not the form.
    let anonymous = app.get(UPLOAD).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
}

/// Uploads the corpus's message with a 3,000-byte PDF; returns the enquiry's id.
pub(crate) async fn import_attachment(app: &TestApp) -> String {
    let mut admin = admin(app).await;
    let eml = corpus()
        .into_iter()
        .find(|c| c.file == "03-attachment.eml")
        .unwrap()
        .raw;
    let done = upload(&mut admin, &[("documents.eml", &eml)]).await;
    assert!(summary_line(&done).contains("1 imported"), "{}", done.body);
    app.only_enquiry().await.id
}

#[tokio::test]
async fn a_kept_attachment_downloads_for_members_only_and_is_audited() {
    let app = app("keep", None).await;
    let id = import_attachment(&app).await;
    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let link = format!("/console/e/{id}/attachments/1");
    let page = agent.get(&format!("/console/e/{id}")).await;
    assert!(
        page.body.contains(&format!("href=\"{link}\"")),
        "{}",
        page.body
    );

    let res = agent
        .with_cookie(agent.client.get(format!("{}{link}", agent.base)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/octet-stream");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"enquiry-attachment-1.pdf\""
    );
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(res.bytes().await.unwrap().to_vec(), attachment_bytes(3000));
    let reads = audit_actions(&app, "enquiry.attachment").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].outcome, "ok");
    assert_eq!(reads[0].actor, format!("user:{}", agent.id));
    assert_eq!(reads[0].subject, format!("enquiry:{id}"));
    assert!(
        reads[0].detail.contains("\"attachment\":1"),
        "{}",
        reads[0].detail
    );

    // Nothing else in the list, and nothing that is not a place in it. Only opening
    // the enquiry tells whether it has a second attachment: asking for one is a read,
    // audited and counted before anything is opened; the others are refused unread.
    for bad in ["2", "0", "x", "-1", "passport.pdf"] {
        assert_eq!(
            agent
                .get(&format!("/console/e/{id}/attachments/{bad}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    // Staff of another programme: as if it did not exist.
    let mut outsider = signed_in(&app, "outsider@ngo.example", Admin, Some(OTHER)).await;
    let refused = outsider.get(&link).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("%PDF"));
    assert_eq!(audit_actions(&app, "enquiry.attachment").await.len(), 2);
}

#[tokio::test]
async fn downloads_count_against_the_hourly_decrypt_cap() {
    let app = app(
        "keep",
        Some("[rate_limits]\ndecrypts_per_user_per_hour = 2\n"),
    )
    .await;
    let id = import_attachment(&app).await;
    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let link = format!("/console/e/{id}/attachments/1");
    assert_eq!(
        agent.get(&format!("/console/e/{id}")).await.status,
        StatusCode::OK
    );
    assert_eq!(agent.get(&link).await.status, StatusCode::OK);
    let third = agent.get(&link).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    let reads = audit_actions(&app, "enquiry.attachment").await;
    assert_eq!(reads.iter().filter(|r| r.outcome == "ok").count(), 1);
    assert_eq!(reads.iter().filter(|r| r.outcome == "alert").count(), 1);
}

#[tokio::test]
async fn a_dropped_attachment_is_listed_but_cannot_be_downloaded() {
    let app = app("drop", None).await;
    let id = import_attachment(&app).await;
    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let page = agent.get(&format!("/console/e/{id}")).await;
    assert!(page.body.contains("passport.pdf"));
    assert!(!page.body.contains("/attachments/1"));
    assert_eq!(
        agent
            .get(&format!("/console/e/{id}/attachments/1"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
