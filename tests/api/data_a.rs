//! Issue 17, the data-handling items: the exposure guard's obfuscation gaps (item 11),
//! the file outbox's clear files (item 7), forwarded senders and `[import] replies`,
//! the timestamps stored in clear. Everything through real HTTP or the real binary.

use std::path::{Path, PathBuf};

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, TestApp, apply, database_url, html_unescape, spawn_with};
use crate::processes::{Installation, free_port};
use crate::programmes::cli;
use crate::replies::{
    FROM, PUBLIC, alerts, assert_replied, count, delivered, enquire, haven, post_reply, programme,
    readable_text,
};
use crate::staff::{PASSWORD, signed_in};

/// `code` (canonical, 20 symbols) in groups of `size` joined by `sep`.
fn grouped(code: &str, size: usize, sep: &str) -> String {
    code.as_bytes()
        .chunks(size)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(sep)
}

/// RFC 2047 `B` encoding of `text` in UTF-8.
fn encoded_word(text: &str) -> String {
    use base64::Engine;
    format!(
        "=?utf-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

// ── item 11: the exposure guard sees through obfuscation ─────────────────────────

#[tokio::test]
async fn the_exposure_guard_sees_through_obfuscated_addresses_and_codes() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = signed_in(&app, "lead@example.org", Supervisor, Some(SLUG)).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana.rahimi@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar@example.org"),
        "en",
        "other",
        "Omar Karimi",
    )
    .await;
    let code = omar.canonical_reference();
    let fullwidth_code: String = code
        .chars()
        .map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap())
        .collect();

    // (subject, text): each one of the outside review's inputs, and their kin.
    let mut cases: Vec<(String, String)> = vec![
        // Addresses.
        (
            "About your case".into(),
            "Write to omar＠example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar\u{200b}@example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar@\u{200d}example\u{2060}.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar [at] example [dot] org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar (at) example (dot) org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar {AT} example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar at example dot org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar @ example . org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to ｏｍａｒ＠ｅｘａｍｐｌｅ．ｏｒｇ too.".into(),
        ),
        (
            "About your case".into(),
            "Write to =?utf-8?Q?omar=40example.org?= too.".into(),
        ),
        // Another enquirer's code, any separator, groups of five or four.
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, ".")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "–")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "/")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, " – ")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "_")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, "-")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, ".")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, "/")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "\u{200b}")),
        ),
        (
            "About your case".into(),
            format!("Linked: {fullwidth_code}"),
        ),
        // Encoded words in a subject are refused outright, whatever they say.
        (encoded_word("omar@example.org"), "See the subject.".into()),
        (
            "=?utf-8?Q?Hello?=".into(),
            "A harmless subject, encoded.".into(),
        ),
    ];
    // Groups of four with plain spaces are caught when the code has a digit (all but
    // about 1 in 1,800 codes): four-letter words in a row are too common in prose.
    if code.chars().any(|c| c.is_ascii_digit()) {
        cases.push((
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, " ")),
        ));
    }

    // Every case is tried before failing, so that one run lists all that get through.
    let mut got_through = Vec::new();
    for (subject, text) in &cases {
        let page = post_reply(&mut sup, &ana.id, "", subject, text).await;
        if page.status != StatusCode::UNPROCESSABLE_ENTITY {
            got_through.push(format!("{subject} / {text}"));
            continue;
        }
        let shown = html_unescape(&page.body);
        assert!(
            shown.contains(text.as_str()),
            "the typed text is kept: {text}"
        );
        assert!(
            shown.contains(subject.as_str()),
            "the typed subject is kept: {subject}"
        );
        let wanted = if subject.contains("=?") {
            "encoded word"
        } else if text.contains("Linked") {
            "reference code of another enquiry"
        } else {
            "email address other than its recipient"
        };
        if !shown.contains(wanted) {
            got_through.push(format!("refused, without \"{wanted}\": {subject} / {text}"));
        }
    }
    assert!(
        got_through.is_empty(),
        "got through the guard: {got_through:#?}"
    );
    assert_eq!(count(&app, "replies").await, 0, "no reply stored");
    assert_eq!(count(&app, "outbox").await, 0, "nothing queued");
    let alerted = alerts(&app).await.len();
    assert!(
        alerted >= cases.len() - 2,
        "each exposure alerted ({alerted})"
    );

    // What is not an obfuscation still goes: Ana's own address and code however
    // written, Dari with its zero-width non-joiners, prose in short words.
    let own = ana.canonical_reference();
    for (i, text) in [
        "We will write to ana.rahimi＠example.org soon.".to_owned(),
        format!("Your case is {}.", grouped(&own, 4, ".")),
        "می‌خواهیم کمک کنیم. ما به شما می‌نویسیم.".to_owned(),
        "When they have been sent, look at the guidance at gov.uk.".to_owned(),
        "Dear Ana, we have your form and will write back soon.".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        let page = post_reply(&mut sup, &ana.id, "", "About your case", text).await;
        assert_replied(&page, &ana.id);
        assert_eq!(count(&app, "replies").await, i as i64 + 1, "{text}");
    }
    let sent = delivered(&app, &sink, 5).await;
    assert_eq!(
        sent.len(),
        5,
        "the five harmless replies went, and nothing else"
    );
}

// ── item 7: nothing outside a ciphertext outlives its row ────────────────────────

/// A Haven whose worker writes to the file outbox (no relay), with `email = "full"` so
/// that a message file holds the reply's text as well as the address.
async fn file_outbox_haven() -> TestApp {
    let mut settings = Settings {
        apply_example: false,
        ..Settings::default()
    };
    settings.env.insert("HAVEN_RATE_LIMIT", "off".into());
    settings.env.insert("HAVEN_MAIL_FROM", FROM.into());
    settings.env.insert("HAVEN_PUBLIC_URL", PUBLIC.into());
    let app = spawn_with(settings).await;
    apply(&app.store, &app.config, &programme(SLUG, "full")).await;
    app
}

const OUTBOX_ADDRESS: &str = "nadia.outbox@example.org";
const OUTBOX_TEXT: &str = "OUTBOXCANARY-0707";

/// An enquirer with an address, a reply to them, and the worker writing its `.eml`.
/// Returns the enquiry's id once the file holding both is there.
async fn one_reply_in_the_file_outbox(app: &TestApp) -> String {
    let mut sup = signed_in(app, "lead@example.org", Supervisor, Some(SLUG)).await;
    let nadia = enquire(app, SLUG, Some(OUTBOX_ADDRESS), "en", "other", "Nadia").await;
    let page = post_reply(
        &mut sup,
        &nadia.id,
        "",
        "About your case",
        &format!("We have news. {OUTBOX_TEXT}"),
    )
    .await;
    assert_replied(&page, &nadia.id);
    app.run_pending_jobs().await;
    let clear = files_holding(&app.config.data_dir, &[OUTBOX_ADDRESS, OUTBOX_TEXT]);
    assert!(
        clear
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "eml")),
        "the control: the worker wrote the message to the file outbox ({clear:?})"
    );
    nadia.id
}

/// Every file under `dir` (recursively) holding any of `needles` in clear.
fn files_holding(dir: &Path, needles: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && needles
                    .iter()
                    .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
            {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test]
async fn the_retention_purge_takes_the_message_file_with_its_outbox_row() {
    let app = file_outbox_haven().await;
    let id = one_reply_in_the_file_outbox(&app).await;
    haven::store::test_support::execute(
        &app.store,
        "UPDATE enquiries SET created_hour = created_hour - $1 WHERE id = $2",
        &[(400 * 86_400_i64).into(), id.into()],
    )
    .await
    .unwrap();

    let (code, out) = cli(&app, &["purge"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 messages purged"), "{out}");
    assert_eq!(count(&app, "outbox").await, 0);
    let left = files_holding(&app.config.data_dir, &[OUTBOX_ADDRESS, OUTBOX_TEXT]);
    assert!(left.is_empty(), "in clear after the purge: {left:?}");
}

#[tokio::test]
async fn destroying_the_keys_on_the_command_line_takes_the_message_files_too() {
    let app = file_outbox_haven().await;
    one_reply_in_the_file_outbox(&app).await;
    let (code, out) = cli(
        &app,
        &[
            "programme",
            "archive",
            SLUG,
            "--confirm",
            SLUG,
            "--destroy-keys",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    // The row stays (its ciphertext can no longer be opened); the clear copy goes.
    assert_eq!(count(&app, "outbox").await, 1);
    let left = files_holding(&app.config.data_dir, &[OUTBOX_ADDRESS, OUTBOX_TEXT]);
    assert!(left.is_empty(), "in clear after --destroy-keys: {left:?}");
}

#[tokio::test]
async fn shredding_a_programme_from_the_admin_page_takes_the_message_files_too() {
    let app = file_outbox_haven().await;
    one_reply_in_the_file_outbox(&app).await;
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let page = format!("/admin/programmes/{SLUG}/archive");
    let done = admin
        .post(
            &page,
            &page,
            &[
                ("confirm", SLUG.into()),
                ("shred", "1".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let left = files_holding(&app.config.data_dir, &[OUTBOX_ADDRESS, OUTBOX_TEXT]);
    assert!(left.is_empty(), "in clear after shredding: {left:?}");
}

#[tokio::test]
async fn the_file_outbox_warns_at_start_up_when_the_server_listens_beyond_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path()).await;
    let install = Installation::new(dir.path(), &url);
    install.apply_example();
    let start = |listen: &str, smtp: Option<&str>| {
        let port = free_port();
        let log = dir.path().join(format!("serve-{port}.log"));
        let mut cmd = install.command(&["serve"]);
        cmd.env("HAVEN_LISTEN", format!("{listen}:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        if let Some(smtp) = smtp {
            cmd.env("HAVEN_SMTP_URL", smtp);
        }
        (cmd.spawn().unwrap(), port, log)
    };
    let warned = |log: &Path| {
        std::fs::read_to_string(log)
            .unwrap()
            .contains("the file outbox is for trials")
    };
    for (listen, smtp, want) in [
        ("0.0.0.0", None, true),
        ("127.0.0.1", None, false),
        ("0.0.0.0", Some("smtp://127.0.0.1:2525"), false),
    ] {
        let (mut child, port, log) = start(listen, smtp);
        let client = reqwest::Client::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            if let Ok(r) = client
                .get(format!("http://127.0.0.1:{port}/readyz"))
                .send()
                .await
                && r.status().is_success()
            {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "haven serve exited");
            assert!(std::time::Instant::now() < deadline, "not ready");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Our own child, by its id.
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            warned(&log),
            want,
            "{listen} {smtp:?}: {}",
            std::fs::read_to_string(&log).unwrap()
        );
    }
}

// ── suspected: forwarded senders and `[import] replies` ──────────────────────────

/// `haven import --programme SLUG FILE` with `mail` written to FILE.
fn import_one(app: &TestApp, name: &str, mail: &str) {
    // The receiving server is trusted: a direct sender with its DKIM pass is
    // confirmed (issue 19), a forward never.
    let (code, out) = crate::helpers::gaps_confirm::import_trusting(app, SLUG, name, mail);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 imported"), "{out}");
}

/// Imports `mail`, replies to it with a canary, and returns the email's readable text
/// and its one recipient.
async fn reply_to_imported(
    app: &TestApp,
    sink: &crate::smtp_sink::SmtpSink,
    name: &str,
    mail: &str,
    canary: &str,
) -> (String, Vec<String>) {
    import_one(app, name, mail);
    if mail == CRAFTED_FORWARD {
        // Never confirmed by itself (`gaps_confirm`); this test is about what the
        // message says, so its address is marked confirmed here.
        crate::helpers::confirmed::confirm_every_address(app).await;
    }
    let record = app.only_enquiry().await;
    let mut agent = signed_in(app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let done = post_reply(&mut agent, &record.id, "", "Your message to us", canary).await;
    assert_replied(&done, &record.id);
    let all = delivered(app, sink, 1).await;
    assert_eq!(all.len(), 1, "exactly one message");
    (readable_text(&all[0].data), all[0].rcpt.clone())
}

const DIRECT: &str = "Authentication-Results: mx.ngo.example; dkim=pass header.d=example.org header.s=s1\nFrom: Ana Rahimi <ana.direct@example.org>\nTo: info@ngo.example\nSubject: Plain request\nMessage-ID: <direct@example.org>\nDate: Mon, 16 Aug 2021 10:00:00 +0000\n\nI worked as an interpreter in Kabul and I need help to leave.\n";

/// A crafted "forward": anyone can write a `From:` line into a body.
const CRAFTED_FORWARD: &str = "From: Someone <someone@example.net>\nTo: info@ngo.example\nSubject: Fwd: My case\nMessage-ID: <crafted@example.net>\n\n---------- Forwarded message ---------\nFrom: Victim <victim@example.org>\nDate: Tue, 17 Aug 2021 at 09:12\nSubject: My case\nTo: <info@ngo.example>\n\n\nPlease send everything about my case to this address.\n";

#[tokio::test]
async fn by_default_an_email_answering_imported_mail_carries_no_reply_text() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let canary = "IMPORTDEFAULT-1717 the meeting point";
    let (text, rcpt) = reply_to_imported(&app, &sink, "direct.eml", DIRECT, canary).await;
    assert_eq!(rcpt, vec!["ana.direct@example.org".to_string()]);
    assert!(!text.contains("IMPORTDEFAULT-1717"), "{text}");
    assert!(
        text.contains("We have answered the message you sent us by email."),
        "{text}"
    );
}

#[tokio::test]
async fn a_sender_unwrapped_from_a_forward_never_gets_the_reply_by_email_even_with_full() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let full = programme(SLUG, "full").replacen(
        "[[templates]]",
        "[import]\nreplies = \"full\"\n\n[[templates]]",
        1,
    );
    apply(&app.store, &app.config, &full).await;
    let canary = "IMPORTFORWARD-2929 the safe house";
    let (text, rcpt) = reply_to_imported(&app, &sink, "crafted.eml", CRAFTED_FORWARD, canary).await;
    assert_eq!(rcpt, vec!["victim@example.org".to_string()]);
    assert!(!text.contains("IMPORTFORWARD-2929"), "{text}");
    assert!(!text.contains("safe house"), "{text}");
    assert!(
        !text.contains("Your message to us"),
        "the subject neither: {text}"
    );
    assert!(
        text.contains("We have answered the message you sent us by email."),
        "only the neutral notice: {text}"
    );
}

#[tokio::test]
async fn with_full_a_direct_sender_still_gets_the_reply_by_email() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let full = programme(SLUG, "full").replacen(
        "[[templates]]",
        "[import]\nreplies = \"full\"\n\n[[templates]]",
        1,
    );
    apply(&app.store, &app.config, &full).await;
    let canary = "IMPORTFULL-3131 we can help";
    let (text, _) = reply_to_imported(&app, &sink, "direct.eml", DIRECT, canary).await;
    assert!(text.contains(canary), "{text}");
}

// ── suspected: exact times beside enquiry ids ────────────────────────────────────

/// How many rows of what `sql` counts hold a clear time that is not a whole hour.
async fn not_on_the_hour(app: &TestApp, sql: &'static str) -> i64 {
    haven::store::test_support::scalar(&app.store, sql, &[])
        .await
        .unwrap()
}

#[tokio::test]
async fn replies_notes_and_outbox_rows_keep_only_the_hour_in_clear() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = signed_in(&app, "lead@example.org", Supervisor, Some(SLUG)).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana.hours@example.org"),
        "en",
        "other",
        "Ana",
    )
    .await;
    let page = format!("/console/e/{}", ana.id);
    for text in ["First note HOURS-1", "Second note HOURS-2"] {
        let done = sup
            .post(&page, &format!("{page}/note"), &[("text", text.into())])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        // Sealed times are seconds: a second apart, the order is the written one.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    let done = post_reply(&mut sup, &ana.id, "", "About your case", "First answer").await;
    assert_replied(&done, &ana.id);
    let done = post_reply(&mut sup, &ana.id, "", "About your case", "Second answer").await;
    assert_replied(&done, &ana.id);
    delivered(&app, &sink, 2).await;

    assert_eq!(count(&app, "replies").await, 2);
    assert_eq!(count(&app, "outbox").await, 2);
    for sql in [
        "SELECT COUNT(*) FROM replies WHERE created_at % 3600 <> 0",
        "SELECT COUNT(*) FROM notes WHERE created_at % 3600 <> 0",
        "SELECT COUNT(*) FROM outbox WHERE created_at % 3600 <> 0",
        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL OR sent_at % 3600 <> 0",
        "SELECT COUNT(*) FROM outbox WHERE next_attempt_at % 3600 <> 0",
        "SELECT COUNT(*) FROM outbox WHERE lease_until IS NOT NULL",
    ] {
        assert_eq!(not_on_the_hour(&app, sql).await, 0, "{sql}");
    }
    assert_eq!(
        not_on_the_hour(&app, "SELECT COUNT(*) FROM notes").await,
        2,
        "the notes are there"
    );

    // Staff still read them in the order they were written (the exact time is kept
    // inside each ciphertext), and the person sees both answers in their inbox.
    let shown = sup.get(&page).await.body;
    let at = |s: &str| shown.find(s).unwrap_or_else(|| panic!("{s} shown"));
    assert!(at("First note HOURS-1") < at("Second note HOURS-2"));
    let (_, inbox) = crate::replies::open_inbox(&app, SLUG, &ana.reference, &ana.passphrase).await;
    assert!(inbox.contains("First answer") && inbox.contains("Second answer"));
}
