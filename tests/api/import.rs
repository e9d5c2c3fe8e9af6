//! `haven import`, run as the real binary against a Haven spawned by the test: a
//! corpus of awkward mail generated here (no binary fixtures), duplicates, deleting
//! sources, answering an imported enquiry by email, and nothing readable at rest or in
//! the logs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use haven::casework::ProgrammeRole::Agent;
use haven::enquiry::EnquiryContent;
use haven::programme::Answer;

use crate::helpers::{EXAMPLE, SLUG, Settings, TestApp, apply, spawn_with};
use crate::replies::{
    assert_not_stored_in_clear, assert_replied, delivered, haven, post_reply, readable_text,
};
use crate::staff::signed_in;

/// The forwarding mailbox that received the mail (never to be written to).
pub const MAILBOX: &str = "intake@ngo.example";

/// The example programme with Arabic added, a rule that routes mail mentioning danger
/// to the urgent queue, and explicit import settings.
pub fn programme(attachments: &str) -> String {
    let rules = "# ── Replies: what an email may say";
    assert!(EXAMPLE.contains(rules));
    let languages = "languages = [\"en\", \"fr\", \"fa-AF\", \"ps\"]";
    assert!(EXAMPLE.contains(languages));
    EXAMPLE
        .replacen(
            rules,
            "[[routing.rules]]\nname = \"Mail about danger\"\nqueue = \"urgent\"\npriority = 1\nwhen = [{ field = \"situation\", contains = \"danger\" }]\n\n# ── Replies: what an email may say",
            1,
        )
        .replacen(
            languages,
            "languages = [\"en\", \"fr\", \"fa-AF\", \"ps\", \"ar\"]",
            1,
        )
        .replacen(
            "[[templates]]",
            &format!("[import]\ntext_field = \"situation\"\nattachments = \"{attachments}\"\n\n[[templates]]"),
            1,
        )
}

pub async fn app_with(attachments: &str) -> TestApp {
    let app = spawn_with(Settings {
        apply_example: false,
        ..Settings::default()
    })
    .await;
    apply(&app.store, &app.config, &programme(attachments)).await;
    app
}

fn database_url(app: &TestApp) -> String {
    match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        haven::config::DatabaseUrl::Postgres(url) => url.clone(),
    }
}

/// `haven import ARGS…` as an operator runs it (logging everything it would log).
fn import(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("import")
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", database_url(app))
        .env("HAVEN_LOG", "trace")
        .output()
        .expect("run haven import")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn b64(bytes: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    text.as_bytes()
        .chunks(76)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

pub fn crlf(s: &str) -> Vec<u8> {
    s.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes()
}

pub enum Expect {
    Imported {
        sender: &'static str,
        text: &'static str,
        subject: Option<&'static str>,
        lang: &'static str,
        queue: &'static str,
    },
    Failed(&'static str),
}

pub struct Case {
    pub file: &'static str,
    pub raw: Vec<u8>,
    pub expect: Expect,
}

pub fn attachment_bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

pub fn corpus() -> Vec<Case> {
    let windows_1256 = |s: &str| encoding_rs::WINDOWS_1256.encode(s).0.into_owned();
    let latin1 = |s: &str| encoding_rs::WINDOWS_1252.encode(s).0.into_owned();
    let arabic_text = "أنا في كابول وأحتاج إلى مساعدة عاجلة. عائلتي في خطر ويجب أن نغادر البلاد.";
    let arabic_subject = "طلب مساعدة";
    let mut arabic = crlf(&format!(
        "From: =?windows-1256?B?{}?= <arabic.sender@example.org>\nSubject: =?windows-1256?B?{}?=\nMessage-ID: <arabic@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1256\nContent-Transfer-Encoding: 8bit\n\n",
        base64::engine::general_purpose::STANDARD.encode(windows_1256("سلمى")),
        base64::engine::general_purpose::STANDARD.encode(windows_1256(arabic_subject)),
    ));
    arabic.extend(windows_1256(arabic_text));
    arabic.extend(b"\r\n");

    let mut french = crlf(
        "From: Claire <latin1.sender@example.org>\nSubject: =?ISO-8859-1?Q?Tr=E8s_urgent?=\nMessage-ID: <latin1@example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: 8bit\n\n",
    );
    french.extend(latin1(
        "Je suis en très grand danger à Kaboul, aidez-moi s'il vous plaît. Ma famille est menacée chaque jour.\r\n",
    ));

    let pdf = attachment_bytes(3000);
    let big = attachment_bytes(15 << 20);
    vec![
        Case {
            file: "01-plain.eml",
            raw: crlf(
                "From: Ana Rahimi <ana.plain@example.org>\nTo: info@ngo.example\nSubject: Plain request\nMessage-ID: <plain@example.org>\nDate: Mon, 16 Aug 2021 10:00:00 +0000\n\nI worked as an interpreter in Kabul and I need help to leave with my family.\n",
            ),
            expect: Expect::Imported {
                sender: "ana.plain@example.org",
                text: "I worked as an interpreter in Kabul and I need help to leave with my family.",
                subject: Some("Plain request"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "02-html.eml",
            raw: crlf(
                "From: html.sender@example.org\nSubject: Demande\nMessage-ID: <html@example.org>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Bonjour, je suis <b>journaliste</b> et j'ai besoin d'aide pour quitter le pays avec ma famille.</p></body></html>\n",
            ),
            expect: Expect::Imported {
                sender: "html.sender@example.org",
                text: "je suis journaliste et j'ai besoin d'aide pour quitter le pays",
                subject: Some("Demande"),
                lang: "fr",
                queue: "general",
            },
        },
        Case {
            file: "03-attachment.eml",
            raw: crlf(&format!(
                "From: Farid <attach.sender@example.org>\nSubject: My documents\nMessage-ID: <attach@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XYZ\"\n\n--XYZ\nContent-Type: text/plain; charset=utf-8\n\nPlease find my passport attached. I need help with a visa for my family.\n--XYZ\nContent-Type: application/pdf; name=\"passport.pdf\"\nContent-Disposition: attachment; filename=\"passport.pdf\"\nContent-Transfer-Encoding: base64\n\n{}\n--XYZ--\n",
                b64(&pdf)
            )),
            expect: Expect::Imported {
                sender: "attach.sender@example.org",
                text: "Please find my passport attached.",
                subject: Some("My documents"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "04-outlook.eml",
            raw: crlf(&format!(
                "From: Info Box <{MAILBOX}>\nSubject: FW: Urgent\nMessage-ID: <outlook@ngo.example>\n\nPlease handle this one.\n\n-----Original Message-----\nFrom: Omar Khan [mailto:omar.outlook@example.org]\nSent: Monday, August 16, 2021 10:00 AM\nTo: Info Box\nSubject: Urgent\n\nI am in danger in Mazar and need help now. They know where I live.\n"
            )),
            expect: Expect::Imported {
                sender: "omar.outlook@example.org",
                text: "I am in danger in Mazar and need help now.",
                subject: Some("Urgent"),
                lang: "en",
                queue: "urgent",
            },
        },
        Case {
            file: "05-gmail.eml",
            raw: crlf(&format!(
                "From: {MAILBOX}\nSubject: Fwd: Joining my husband\nMessage-ID: <gmail@ngo.example>\nContent-Type: text/plain; charset=UTF-8\n\n---------- Forwarded message ---------\nFrom: Laila Ahmadi <laila.gmail@example.org>\nDate: Tue, 17 Aug 2021 at 09:12\nSubject: Joining my husband\nTo: <{MAILBOX}>\n\n\nMy husband is in Germany and I am still in Herat with our two children. Can you help us join him?\n"
            )),
            expect: Expect::Imported {
                sender: "laila.gmail@example.org",
                text: "My husband is in Germany and I am still in Herat",
                subject: Some("Joining my husband"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "06-nested.eml",
            raw: crlf(&format!(
                "From: {MAILBOX}\nSubject: Fwd: Fwd: help\nMessage-ID: <nested@ngo.example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n--outer\nContent-Type: message/rfc822\n\nFrom: Helper <helper.forwarder@example.net>\nSubject: Fwd: help\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"inner\"\n\n--inner\nContent-Type: text/plain\n\nA friend asked me to send you this.\n--inner\nContent-Type: message/rfc822\n\nFrom: Nasrin <nested.original@example.org>\nSubject: help\nMessage-ID: <nested-original@example.org>\n\nI was a teacher for girls and I am hiding now. Please help me.\n--inner--\n--outer--\n"
            )),
            expect: Expect::Imported {
                sender: "nested.original@example.org",
                text: "I was a teacher for girls and I am hiding now. Please help me.",
                subject: Some("help"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "07-broken-mime.eml",
            raw: crlf(
                "From: broken.mime@example.org\nSubject: Broken\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"never-closed\"\nContent-Transfer-Encoding: base64\n\n--never-closed\nContent-Type: text/plain; charset=no-such-charset\nContent-Transfer-Encoding: quoted-printable\n\nThe boundary of this message is never closed and the charset does not exist =\nbut the text should survive.=ZZ\n--never-clo",
            ),
            expect: Expect::Imported {
                sender: "broken.mime@example.org",
                text: "The boundary of this message is never closed",
                subject: Some("Broken"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "08-latin1.eml",
            raw: french,
            expect: Expect::Imported {
                sender: "latin1.sender@example.org",
                text: "Je suis en très grand danger à Kaboul",
                subject: Some("Très urgent"),
                lang: "fr",
                queue: "urgent",
            },
        },
        Case {
            file: "09-windows-1256.eml",
            raw: arabic,
            expect: Expect::Imported {
                sender: "arabic.sender@example.org",
                text: arabic_text,
                subject: Some(arabic_subject),
                lang: "ar",
                queue: "general",
            },
        },
        Case {
            file: "10-big.eml",
            raw: crlf(&format!(
                "From: big.sender@example.org\nSubject: Scans\nMessage-ID: <big@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\nHere are the scans of all our documents, I hope it helps.\n--B\nContent-Type: image/tiff\nContent-Disposition: attachment; filename=\"scans.tiff\"\nContent-Transfer-Encoding: base64\n\n{}\n--B--\n",
                b64(&big)
            )),
            expect: Expect::Imported {
                sender: "big.sender@example.org",
                text: "Here are the scans of all our documents",
                subject: Some("Scans"),
                lang: "en",
                queue: "general",
            },
        },
        Case {
            file: "11-no-sender.eml",
            raw: crlf("Subject: Who am I\n\nA message without a From header.\n"),
            expect: Expect::Failed("no sender address"),
        },
        Case {
            file: "12-bad-sender.eml",
            raw: crlf(
                "From: not an address at all\nSubject: Bad\n\nThe sender cannot be answered.\n",
            ),
            expect: Expect::Failed("not a valid email address"),
        },
        Case {
            file: "13-empty.eml",
            raw: Vec::new(),
            expect: Expect::Failed("not an email message"),
        },
    ]
}

/// Every enquiry of the programme, opened: (content, queue, language, source).
pub async fn opened(app: &TestApp) -> Vec<(EnquiryContent, haven::store::EnquiryRecord)> {
    let keyring = app.keyring().await;
    let mut out = Vec::new();
    for record in app
        .store
        .enquiries_of_programme(&app.programme_id().await)
        .await
        .unwrap()
    {
        let content = crate::helpers::open_enquiry(&keyring, &record)
            .await
            .unwrap();
        out.push((content, record));
    }
    out
}

fn text_of(content: &EnquiryContent, file: &str) -> String {
    match content.answers.get("situation") {
        Some(Answer::Text(t)) => t.clone(),
        other => panic!("{file}: no text answer: {other:?} in {:?}", content.mail),
    }
}

fn write_corpus(dir: &Path) -> Vec<(PathBuf, Case)> {
    std::fs::create_dir_all(dir).unwrap();
    corpus()
        .into_iter()
        .map(|case| {
            let path = dir.join(case.file);
            std::fs::write(&path, &case.raw).unwrap();
            (path, case)
        })
        .collect()
}

#[tokio::test]
async fn a_corpus_of_awkward_mail_imports_or_fails_with_reasons() {
    let app = app_with("keep").await;
    let dir = tempfile::tempdir().unwrap();
    let cases = write_corpus(dir.path());
    let out = import(&app, &["--programme", SLUG, dir.path().to_str().unwrap()]);
    let shown = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{shown}\n{stderr}");
    assert!(
        shown.contains("13 messages in 13 files: 10 imported, 0 duplicates, 3 failed"),
        "{shown}"
    );

    let enquiries = opened(&app).await;
    assert_eq!(enquiries.len(), 10);
    for (path, case) in &cases {
        match &case.expect {
            Expect::Failed(reason) => {
                let line = format!("failed: {}: ", path.display());
                let found = shown.lines().find(|l| l.starts_with(&line));
                assert!(
                    found.is_some_and(|l| l.contains(reason)),
                    "{}: expected failure {reason:?} in {shown}",
                    case.file
                );
            }
            Expect::Imported {
                sender,
                text,
                subject,
                lang,
                queue,
            } => {
                let (content, record) = enquiries
                    .iter()
                    .find(|(c, _)| c.email.as_deref() == Some(*sender))
                    .unwrap_or_else(|| panic!("{}: no enquiry from {sender}", case.file));
                let got = text_of(content, case.file);
                assert!(got.contains(text), "{}: text {got:?}", case.file);
                let mail = content.mail.as_ref().expect("mail details");
                assert_eq!(mail.subject.as_deref(), *subject, "{}", case.file);
                assert_eq!(content.language, *lang, "{}", case.file);
                assert_eq!(record.language, *lang, "{}", case.file);
                assert_eq!(record.queue, *queue, "{}", case.file);
                assert_eq!(record.source, "imported");
                assert!(record.has_email);
                assert!(record.inbox_recipient.is_some());
                // The forwarding mailbox is nowhere in what staff would act on.
                assert!(!format!("{content:?}").contains(MAILBOX), "{}", case.file);
            }
        }
    }

    let by = |sender: &str| {
        enquiries
            .iter()
            .find(|(c, _)| c.email.as_deref() == Some(sender))
            .unwrap()
            .0
            .clone()
    };
    // The sender's display name fills the programme's name field.
    assert_eq!(
        by("omar.outlook@example.org").answers.get("full_name"),
        Some(&Answer::Text("Omar Khan".into()))
    );
    let outlook = by("omar.outlook@example.org").mail.unwrap();
    assert!(outlook.forwarded);
    assert_eq!(
        outlook.forward_note.as_deref(),
        Some("Please handle this one.")
    );
    assert!(by("nested.original@example.org").mail.unwrap().forwarded);
    // Attachments: kept inside the ciphertext when small, listed only when too large.
    let attached = by("attach.sender@example.org").mail.unwrap().attachments;
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0].name, "passport.pdf");
    assert_eq!(attached[0].content_type, "application/pdf");
    assert_eq!(attached[0].size, 3000);
    let kept = base64::engine::general_purpose::STANDARD
        .decode(attached[0].data.as_deref().expect("kept"))
        .unwrap();
    assert_eq!(kept, attachment_bytes(3000));
    let big = by("big.sender@example.org").mail.unwrap().attachments;
    assert_eq!(big.len(), 1);
    assert_eq!(big[0].size, 15 << 20);
    assert!(big[0].data.is_none(), "over the bound: listed, not kept");

    // The run is audited with its counts.
    let runs = crate::replies::audit_actions(&app, "import.run").await;
    assert_eq!(runs.len(), 1);
    assert!(
        runs[0].detail.contains("\"imported\":10"),
        "{}",
        runs[0].detail
    );
    assert!(
        runs[0].detail.contains("\"failed\":3"),
        "{}",
        runs[0].detail
    );

    // Nothing of what the mail said, or who sent it, is readable at rest or in the
    // logs (which ran at trace level).
    let secrets = [
        "ana.plain@example.org",
        "omar.outlook@example.org",
        "laila.gmail@example.org",
        "nested.original@example.org",
        MAILBOX,
        "Plain request",
        "Joining my husband",
        "interpreter in Kabul",
        "teacher for girls",
        "grand danger",
        "Omar Khan",
        "passport.pdf",
        "plain@example.org",
        "outlook@ngo.example",
    ];
    for secret in secrets {
        assert!(!stderr.contains(secret), "{secret} in the import's logs");
        assert!(!shown.contains(secret), "{secret} in the import's output");
        assert_not_stored_in_clear(&app, secret).await;
    }
}

#[tokio::test]
async fn dropped_attachments_are_listed_not_stored() {
    let app = app_with("drop").await;
    let dir = tempfile::tempdir().unwrap();
    let cases = write_corpus(dir.path());
    let (path, _) = cases
        .iter()
        .find(|(_, c)| c.file == "03-attachment.eml")
        .unwrap();
    let out = import(&app, &["--programme", SLUG, path.to_str().unwrap()]);
    assert!(stdout(&out).contains("1 imported"), "{}", stdout(&out));
    let (content, _) = opened(&app).await.remove(0);
    let listed = content.mail.unwrap().attachments;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].name.as_str(), listed[0].size),
        ("passport.pdf", 3000)
    );
    assert!(listed[0].data.is_none());
}

pub fn mbox(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in messages {
        out.extend(b"From MAILER-DAEMON Mon Aug 16 10:00:00 2021\n");
        let text = String::from_utf8_lossy(m).replace("\r\n", "\n");
        for line in text.lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                out.push(b'>');
            }
            out.extend(line.as_bytes());
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    out
}

pub fn simple(n: usize, with_id: bool) -> Vec<u8> {
    let id = if with_id {
        format!("Message-ID: <m{n}@example.org>\n")
    } else {
        String::new()
    };
    crlf(&format!(
        "From: Person {n} <person{n}@example.org>\nSubject: Request {n}\n{id}\nThis is request number {n}. I need help to leave.\nFrom here it is not safe.\n"
    ))
}

#[tokio::test]
async fn reimporting_imports_nothing_new_and_sources_are_deleted_only_when_complete() {
    let app = app_with("keep").await;
    let dir = tempfile::tempdir().unwrap();

    // An mbox with one message that cannot be imported: never deleted.
    let partial = dir.path().join("partial.mbox");
    let mut messages: Vec<Vec<u8>> = (1..=4).map(|n| simple(n, n % 2 == 0)).collect();
    messages.push(crlf("Subject: nobody\n\nNo sender here.\n"));
    std::fs::write(&partial, mbox(&messages)).unwrap();
    // A directory of .eml files: each deleted once its enquiry is committed.
    let emls = dir.path().join("emls");
    std::fs::create_dir(&emls).unwrap();
    for n in 10..13 {
        std::fs::write(emls.join(format!("{n}.eml")), simple(n, true)).unwrap();
    }
    let out = import(
        &app,
        &[
            "--programme",
            SLUG,
            "--delete-source",
            partial.to_str().unwrap(),
            emls.to_str().unwrap(),
        ],
    );
    let shown = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("8 messages in 4 files: 7 imported, 0 duplicates, 1 failed"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "failed: {} #5: no sender address",
            partial.display()
        )),
        "{shown}"
    );
    assert!(shown.contains("deleted 3 source files"), "{shown}");
    assert!(
        shown.contains(&format!(
            "kept: {}: 1 messages not imported",
            partial.display()
        )),
        "{shown}"
    );
    assert!(partial.exists());
    assert_eq!(std::fs::read_dir(&emls).unwrap().count(), 0);
    assert_eq!(app.count().await, 7);

    // The same mbox again: all duplicates (by Message-ID, or by sender and text).
    let out = import(&app, &["--programme", SLUG, partial.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("5 messages in 1 files: 0 imported, 4 duplicates, 1 failed"),
        "{}",
        stdout(&out)
    );
    assert_eq!(app.count().await, 7);

    // Duplicates count as in Haven: a complete mbox of them is deleted.
    let again = dir.path().join("again.mbox");
    std::fs::write(&again, mbox(&messages[..4])).unwrap();
    let out = import(
        &app,
        &[
            "--programme",
            SLUG,
            "--delete-source",
            again.to_str().unwrap(),
        ],
    );
    assert!(
        stdout(&out).contains("0 imported, 4 duplicates, 0 failed"),
        "{}",
        stdout(&out)
    );
    assert!(!again.exists());
    assert_eq!(app.count().await, 7);
}

#[tokio::test]
async fn usage_errors_exit_1_and_change_nothing() {
    let app = app_with("keep").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.eml");
    std::fs::write(&file, simple(1, true)).unwrap();
    for args in [
        vec!["--programme", "no-such-programme", file.to_str().unwrap()],
        vec!["--programme", SLUG, "/no/such/path.mbox"],
        vec!["--programme", SLUG],
        vec![file.to_str().unwrap()],
    ] {
        let out = import(&app, &args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn an_imported_enquiry_is_answered_by_one_email_to_the_original_sender() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    // `full` is no longer the default (issue 17), and a sender unwrapped from a forward
    // never gets the text by email (`data_a::a_sender_unwrapped_from_a_forward_…`).
    let full = crate::replies::programme(SLUG, "minimal").replacen(
        "[[templates]]",
        "[import]\nreplies = \"full\"\n\n[[templates]]",
        1,
    );
    apply(&app.store, &app.config, &full).await;
    let dir = tempfile::tempdir().unwrap();
    let cases = write_corpus(dir.path());
    let (path, _) = cases
        .iter()
        .find(|(_, c)| c.file == "01-plain.eml")
        .unwrap();
    let out = import(&app, &["--programme", SLUG, path.to_str().unwrap()]);
    assert!(stdout(&out).contains("1 imported"), "{}", stdout(&out));
    // About what the email says, not whether the sender is confirmed (`gaps_confirm`).
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let record = app.only_enquiry().await;

    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let page = agent.get(&format!("/console/e/{}", record.id)).await;
    assert!(page.body.contains("Plain request"), "the subject is shown");
    let canary = "IMPORTREPLY-7731 we can help you";
    let done = post_reply(&mut agent, &record.id, "", "Your message to us", canary).await;
    assert_replied(&done, &record.id);

    let all = delivered(&app, &sink, 1).await;
    assert_eq!(all.len(), 1, "exactly one message");
    let t = &all[0];
    assert!(t.accepted);
    assert_eq!(t.rcpt, vec!["ana.plain@example.org".to_string()]);
    let text = readable_text(&t.data);
    assert!(
        !text.contains(MAILBOX),
        "the forwarding mailbox is not written to"
    );
    // They never saw a receipt, so the email carries the reply itself.
    assert!(text.contains(canary), "{text}");
}

#[tokio::test]
async fn with_import_replies_minimal_the_email_only_points_to_the_form() {
    let (app, sink) = haven(&[(SLUG, "minimal")]).await;
    let strict = crate::replies::programme(SLUG, "minimal").replacen(
        "[[templates]]",
        "[import]\nreplies = \"minimal\"\n\n[[templates]]",
        1,
    );
    apply(&app.store, &app.config, &strict).await;
    let dir = tempfile::tempdir().unwrap();
    let cases = write_corpus(dir.path());
    let (path, _) = cases
        .iter()
        .find(|(_, c)| c.file == "04-outlook.eml")
        .unwrap();
    let out = import(&app, &["--programme", SLUG, path.to_str().unwrap()]);
    assert!(stdout(&out).contains("1 imported"), "{}", stdout(&out));
    // About what the email says, not whether the sender is confirmed (`gaps_confirm`).
    crate::helpers::confirmed::confirm_every_address(&app).await;
    let record = app.only_enquiry().await;

    let mut agent = signed_in(&app, "agent@ngo.example", Agent, Some(SLUG)).await;
    let canary = "IMPORTMINIMAL-4410 the safe house is on the corner";
    let done = post_reply(&mut agent, &record.id, "", "Your message to us", canary).await;
    assert_replied(&done, &record.id);

    let all = delivered(&app, &sink, 1).await;
    assert_eq!(all.len(), 1, "exactly one message");
    assert_eq!(all[0].rcpt, vec!["omar.outlook@example.org".to_string()]);
    let text = readable_text(&all[0].data);
    assert!(!text.contains("IMPORTMINIMAL-4410"), "{text}");
    assert!(!text.contains("safe house"), "{text}");
    assert!(
        text.contains("We have answered the message you sent us by email."),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}/p/{SLUG}?lang=en", crate::replies::PUBLIC)),
        "{text}"
    );
}
