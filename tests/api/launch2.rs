//! Launching a programme (issue 23), the gaps closed after the first build: a copy's
//! "to review" marks are written with the copy; a disabled account's roles can be
//! taken away from the programme's staff page; staff notices speak each recipient's
//! console language; every error the programme parser returns reaches the editor in
//! words, in the admin's language, without a file path.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, TestApp, html_unescape, spawn_with};
use crate::programmes::{admin, audit, page_of};
use crate::staff::{PASSWORD, Staff, add_user, signed_in};
use crate::widening::{form_fields, set};

const NEW: &str = "sudan-2026";

/// A Haven where admins may type their password more than five times a minute.
async fn roomy() -> TestApp {
    spawn_with(Settings {
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Default::default()
    })
    .await
}

/// Copies the example programme as `slug` from the web, keeping nothing that widens
/// access: the final post's answer.
async fn copy_example(admin: &mut Staff, slug: &str) -> crate::staff::Page {
    let asked = admin
        .post(
            "/admin/programmes",
            "/admin/programmes",
            &[
                ("from", SLUG.into()),
                ("slug", slug.into()),
                ("title", String::new()),
                ("language", "en".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let mut fields = form_fields(&asked.body, "/admin/programmes");
    set(&mut fields, "current_password", PASSWORD);
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    admin.post_raw("/admin/programmes", &fields).await
}

/// Makes the database refuse every checklist mark, as a failing disk or a lost
/// connection would refuse the write.
async fn refuse_marks(app: &TestApp, refuse: bool) {
    use haven::store::test_support::execute;
    let sql = match (crate::helpers::on_postgres(), refuse) {
        (false, true) => {
            "CREATE TRIGGER refuse_marks BEFORE INSERT ON launch_marks \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        }
        (false, false) => "DROP TRIGGER refuse_marks",
        (true, true) => {
            "CREATE FUNCTION refuse_marks() RETURNS trigger AS $$ BEGIN \
               RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_marks BEFORE INSERT ON launch_marks \
               FOR EACH ROW EXECUTE FUNCTION refuse_marks()"
        }
        (true, false) => "DROP TRIGGER refuse_marks ON launch_marks; DROP FUNCTION refuse_marks()",
    };
    execute(&app.store, sql, &[]).await.unwrap();
}

// ── A copy and its marks ─────────────────────────────────────────────────────

#[tokio::test]
async fn a_copy_and_its_to_review_marks_are_written_together_or_not_at_all() {
    let app = roomy().await;
    let mut admin = admin(&app).await;

    // The marks cannot be written: neither is the copy (before, the copy stayed,
    // every copied text looking reviewed).
    refuse_marks(&app, true).await;
    let failed = copy_example(&mut admin, NEW).await;
    assert_eq!(
        failed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        failed.body
    );
    assert!(
        app.store.programme_by_slug(NEW).await.unwrap().is_none(),
        "a copy without its marks was left behind"
    );

    refuse_marks(&app, false).await;
    let made = copy_example(&mut admin, NEW).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let record = app.store.programme_by_slug(NEW).await.unwrap().unwrap();
    let marks: Vec<String> = app
        .store
        .launch_marks(&record.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.item)
        .collect();
    for item in ["texts", "retention", "contact"] {
        assert!(marks.iter().any(|m| m == item), "{item}: {marks:?}");
    }
    assert!(
        marks.iter().any(|m| m.starts_with("template:")),
        "{marks:?}"
    );
}

// ── A disabled account's roles ───────────────────────────────────────────────

#[tokio::test]
async fn a_disabled_accounts_role_is_listed_and_removed_from_the_staff_page() {
    let app = roomy().await;
    let mut lead = signed_in(&app, "lead@example.org", Admin, Some(SLUG)).await;
    let gone = add_user(&app, "gone@example.org", Agent, Some(SLUG)).await;
    let disabled = haven::audit::Entry::new(
        &haven::audit::Actor::Cli,
        haven::audit::AuditAction::UserDisable,
        &format!("user:{gone}"),
    );
    app.store
        .set_user_disabled(&gone, true, &disabled)
        .await
        .unwrap();

    // Listed, marked as disabled, with its Remove form (before: not listed at all, and
    // the removal refused "the account is disabled").
    let staff_page = format!("{}/staff", page_of(SLUG));
    let shown = html_unescape(&lead.get(&staff_page).await.body);
    assert!(shown.contains("gone@example.org"), "{shown}");
    let remove = format!("{staff_page}/{gone}/remove");
    assert!(shown.contains(&format!("action=\"{remove}\"")), "{shown}");
    assert!(
        shown.contains(&haven::i18n::t(
            haven::domain::Language::En,
            "launch-staff-disabled"
        )),
        "{shown}"
    );

    let res = lead
        .post(
            &staff_page,
            &remove,
            &[("current_password", PASSWORD.into())],
        )
        .await;
    assert_eq!(
        res.location.as_deref(),
        Some(format!("{staff_page}?done=removed").as_str()),
        "{}",
        res.body
    );
    let memberships = app.store.memberships(&gone).await.unwrap();
    assert!(memberships.is_empty(), "{memberships:?}");
    let entry = audit(&app, "staff.remove")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(entry.subject, format!("user:{gone}"));
    // Still not given anything new while disabled.
    let res = lead
        .post(
            &staff_page,
            &format!("{staff_page}/grant"),
            &[
                ("email", "gone@example.org".into()),
                ("role", "agent".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store.memberships(&gone).await.unwrap().is_empty());
}

// ── Staff notices in the recipient's language ────────────────────────────────

#[tokio::test]
async fn a_grant_notice_reaches_each_instance_admin_in_their_console_language() {
    use haven::domain::Language;
    use haven::i18n::t;
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
    let arabic = add_user(&app, "root.ar@example.org", Admin, None).await;
    app.store.set_user_language(&arabic, "ar").await.unwrap();
    add_user(&app, "root.en@example.org", Admin, None).await;
    let mut other = haven::programme::Programme::parse(crate::helpers::EXAMPLE)
        .unwrap()
        .file()
        .clone();
    other.slug = "other-programme".into();
    let text = haven::programme::editing::to_text(&other).unwrap();
    crate::helpers::apply(&app.store, &app.config, &text).await;
    add_user(
        &app,
        "volunteer@example.org",
        Agent,
        Some("other-programme"),
    )
    .await;
    let mut lead = signed_in(&app, "lead@example.org", Admin, Some(SLUG)).await;
    app.run_pending_jobs().await;
    let before = sink.accepted().len();
    crate::launch::give_role(&app, &mut lead, SLUG, "volunteer@example.org", "agent").await;
    app.run_pending_jobs().await;

    let parsed = |email: &str| -> Vec<(String, String)> {
        sink.accepted()[before..]
            .iter()
            .filter(|m| m.rcpt == [email])
            .map(|m| {
                let message = mail_parser::MessageParser::default()
                    .parse(&m.data)
                    .expect("a message");
                (
                    message.subject().unwrap_or_default().to_owned(),
                    message.body_text(0).unwrap_or_default().into_owned(),
                )
            })
            .collect()
    };
    // The web grant, in Arabic to the admin who reads the console in Arabic.
    let to_arabic = parsed("root.ar@example.org");
    assert_eq!(to_arabic.len(), 1, "{to_arabic:?}");
    for (subject, body) in &to_arabic {
        assert_eq!(subject, &t(Language::Ar, "staff-notice-grant-subject"));
        assert!(
            body.contains(&t(Language::Ar, "admin-role-agent")),
            "the role in Arabic: {body}"
        );
        assert!(
            !body.contains("“agent”") && !body.contains("instance admin"),
            "{body}"
        );
        assert!(body.contains(SLUG), "{body}");
    }
    assert!(
        to_arabic
            .iter()
            .any(|(_, b)| b.contains(&t(Language::Ar, "staff-notice-by-programme-admin"))),
        "{to_arabic:?}"
    );
    // The other admin reads English, as before.
    let to_english = parsed("root.en@example.org");
    assert_eq!(to_english.len(), 1);
    assert!(
        to_english
            .iter()
            .all(|(s, b)| s == "A role was given in Haven" && b.contains("“agent”"))
    );
}

// ── Errors in words ──────────────────────────────────────────────────────────

/// One way to break the example programme's file.
type Break = Box<dyn Fn(&mut haven::programme::ProgrammeFile)>;

/// Every kind of error the programme parser returns, each made once from the example.
fn broken_files() -> Vec<(&'static str, String)> {
    use haven::programme::definition::{Condition, FieldKind, FieldOption};
    let example = haven::programme::Programme::parse(crate::helpers::EXAMPLE)
        .unwrap()
        .file()
        .clone();
    let text = |f: &haven::programme::ProgrammeFile| haven::programme::editing::to_text(f).unwrap();
    let condition = |field: &str| Condition {
        field: field.into(),
        equals: None,
        one_of: None,
        contains: None,
        answered: None,
    };
    let cases: Vec<(&'static str, Break)> = vec![
        ("slug", Box::new(|f| f.slug = "Not A Slug".into())),
        ("no languages", Box::new(|f| f.languages.clear())),
        (
            "unsupported language",
            Box::new(|f| f.languages.push("xx".into())),
        ),
        (
            "language twice",
            Box::new(|f| f.languages.push("fr".into())),
        ),
        ("escrow", Box::new(|f| f.escrow = Some("not-a-key".into()))),
        ("retention", Box::new(|f| f.retention_days = 0)),
        ("title missing", Box::new(|f| f.title.clear())),
        (
            "text empty",
            Box::new(|f| {
                f.title.insert("fr".into(), "  ".into());
            }),
        ),
        (
            "text too long",
            Box::new(|f| {
                f.title.insert("en".into(), "x".repeat(201));
            }),
        ),
        (
            "text in another language",
            Box::new(|f| {
                f.intro.insert("uk".into(), "Вступ".into());
            }),
        ),
        (
            "default language missing",
            Box::new(|f| {
                f.intro.remove("en");
            }),
        ),
        (
            "no fields",
            Box::new(|f| {
                f.fields.clear();
                f.routing.rules.clear();
                f.outbound.name_field = None;
                f.referrals.consent_field = None;
                f.partners.clear();
                f.import.text_field = None;
            }),
        ),
        (
            "field key",
            Box::new(|f| f.fields[6].key = "Family Members".into()),
        ),
        (
            "reserved key",
            Box::new(|f| f.fields[6].key = "website".into()),
        ),
        (
            "field key twice",
            Box::new(|f| f.fields[6].key = "full_name".into()),
        ),
        (
            "max length on a radio",
            Box::new(|f| f.fields[5].max_length = Some(10)),
        ),
        (
            "max length out of range",
            Box::new(|f| f.fields[6].max_length = Some(0)),
        ),
        (
            "options needed",
            Box::new(move |f| {
                f.fields[5].options.clear();
                f.routing.rules.remove(0);
            }),
        ),
        (
            "options not allowed",
            Box::new(|f| {
                let o = f.fields[5].options[0].clone();
                f.fields[6].options.push(o);
            }),
        ),
        (
            "option value",
            Box::new(|f| {
                f.fields[5].options.push(FieldOption {
                    value: "no way".into(),
                    label: [("en".to_owned(), "No way".to_owned())]
                        .into_iter()
                        .collect(),
                });
            }),
        ),
        (
            "option value twice",
            Box::new(|f| {
                let o = f.fields[5].options[0].clone();
                f.fields[5].options.push(o);
            }),
        ),
        ("no queues", Box::new(|f| f.queues.clear())),
        ("queue key", Box::new(|f| f.queues[2].key = "Family".into())),
        (
            "queue key twice",
            Box::new(|f| f.queues[2].key = "urgent".into()),
        ),
        (
            "default queue",
            Box::new(|f| f.routing.default_queue = "nowhere".into()),
        ),
        (
            "default priority",
            Box::new(|f| f.routing.default_priority = 0),
        ),
        (
            "rule name empty",
            Box::new(|f| f.routing.rules[1].name = " ".into()),
        ),
        (
            "rule name too long",
            Box::new(|f| f.routing.rules[1].name = "r".repeat(201)),
        ),
        (
            "rule name twice",
            Box::new(|f| f.routing.rules[1].name = "In immediate danger".into()),
        ),
        (
            "rule queue",
            Box::new(|f| f.routing.rules[1].queue = "nowhere".into()),
        ),
        (
            "rule priority",
            Box::new(|f| f.routing.rules[1].priority = 12),
        ),
        (
            "rule without conditions",
            Box::new(|f| f.routing.rules[1].when.clear()),
        ),
        (
            "condition field",
            Box::new(|f| f.routing.rules[1].when[0].field = "gone".into()),
        ),
        (
            "two operators",
            Box::new(|f| f.routing.rules[1].when[0].answered = Some(true)),
        ),
        (
            "single checkbox tested for a value",
            Box::new(move |f| {
                let mut c = condition("consent_partners");
                c.equals = Some("yes".into());
                f.routing.rules[1].when.push(c);
            }),
        ),
        (
            "empty value",
            Box::new(|f| f.routing.rules[1].when[0].equals = Some(String::new())),
        ),
        (
            "removed option",
            Box::new(|f| f.routing.rules[2].when[0].equals = Some("former_staffer".into())),
        ),
        (
            "empty list",
            Box::new(|f| {
                f.routing.rules[1].when[0].equals = None;
                f.routing.rules[1].when[0].one_of = Some(Vec::new());
            }),
        ),
        (
            "removed option in a list",
            Box::new(|f| {
                f.routing.rules[1].when[0].equals = None;
                f.routing.rules[1].when[0].one_of = Some(vec!["at_risk".into(), "gone".into()]);
            }),
        ),
        (
            "contains on a radio",
            Box::new(|f| {
                f.routing.rules[1].when[0].equals = None;
                f.routing.rules[1].when[0].contains = Some("x".into());
            }),
        ),
        (
            "contains empty",
            Box::new(move |f| {
                let mut c = condition("situation");
                c.contains = Some(" ".into());
                f.routing.rules[1].when.push(c);
            }),
        ),
        (
            "basis empty",
            Box::new(|f| f.referrals.bases.push(" ".into())),
        ),
        (
            "basis twice",
            Box::new(|f| {
                let b = f.referrals.bases[0].clone();
                f.referrals.bases.push(b);
            }),
        ),
        (
            "too many bases",
            Box::new(|f| f.referrals.bases = (0..21).map(|i| format!("basis {i}")).collect()),
        ),
        (
            "consent field kind",
            Box::new(|f| f.referrals.consent_field = Some("full_name".into())),
        ),
        (
            "consent field missing",
            Box::new(|f| f.referrals.consent_field = Some("gone".into())),
        ),
        (
            "partners without bases",
            Box::new(|f| f.referrals.bases.clear()),
        ),
        (
            "partner key",
            Box::new(|f| f.partners[0].key = "Stats".into()),
        ),
        (
            "partner key twice",
            Box::new(|f| {
                let k = f.partners[1].key.clone();
                f.partners[0].key = k;
            }),
        ),
        (
            "partner name",
            Box::new(|f| f.partners[0].name = String::new()),
        ),
        (
            "partner address",
            Box::new(|f| f.partners[0].address = "not an address".into()),
        ),
        (
            "partner recipient",
            Box::new(|f| f.partners[0].recipient = "age1nope".into()),
        ),
        (
            "partner fields empty",
            Box::new(|f| f.partners[0].fields.clear()),
        ),
        (
            "partner field both",
            Box::new(|f| {
                f.fields[6].key = "reference".into();
            }),
        ),
        (
            "partner field neither",
            Box::new(|f| f.partners[0].fields.push("gone".into())),
        ),
        (
            "partner field twice",
            Box::new(|f| f.partners[0].fields.push("language".into())),
        ),
        (
            "personal data unconfirmed",
            Box::new(|f| {
                f.partners[0].fields.push("full_name".into());
                f.partners[0].personal_data = false;
            }),
        ),
        (
            "personal data without any",
            Box::new(|f| {
                f.partners[0].fields = vec!["reference".into()];
                f.partners[0].personal_data = true;
            }),
        ),
        (
            "import field kind",
            Box::new(|f| f.import.text_field = Some("in_danger".into())),
        ),
        (
            "import field missing",
            Box::new(|f| f.import.text_field = Some("gone".into())),
        ),
        (
            "name field kind",
            Box::new(|f| f.outbound.name_field = Some("situation".into())),
        ),
        (
            "name field missing",
            Box::new(|f| f.outbound.name_field = Some("gone".into())),
        ),
        (
            "template key",
            Box::new(|f| f.templates[1].key = "Docs".into()),
        ),
        (
            "template key twice",
            Box::new(|f| f.templates[1].key = "acknowledgement".into()),
        ),
        (
            "template name",
            Box::new(|f| f.templates[1].name = String::new()),
        ),
        (
            "subject on two lines",
            Box::new(|f| {
                f.templates[1]
                    .subject
                    .insert("en".into(), "One\nTwo".into());
            }),
        ),
        (
            "unknown placeholder",
            Box::new(|f| {
                f.templates[1]
                    .body
                    .insert("en".into(), "Hello {nme}".into());
            }),
        ),
        (
            "unclosed brace",
            Box::new(|f| {
                f.templates[1]
                    .body
                    .insert("en".into(), "Hello {name".into());
            }),
        ),
        (
            "unopened brace",
            Box::new(|f| {
                f.templates[1]
                    .body
                    .insert("en".into(), "Hello name}".into());
            }),
        ),
        (
            "name without a name field",
            Box::new(|f| {
                f.outbound.name_field = None;
                f.templates[1]
                    .body
                    .insert("en".into(), "Hello {name}".into());
            }),
        ),
        (
            "kind of a field",
            Box::new(|f| f.fields[6].kind = FieldKind::Select),
        ),
        (
            "label in another language",
            Box::new(move |f| {
                // Queue names may be in any console language (staff read them); a
                // question's label only in the form's languages.
                f.fields[0].label.insert("uk".into(), "Ім'я".into());
            }),
        ),
    ];
    let mut files: Vec<(&'static str, String)> = cases
        .into_iter()
        .map(|(name, change)| {
            let mut f = example.clone();
            change(&mut f);
            (name, text(&f))
        })
        .collect();
    // What serde and the TOML reader refuse, before any check of ours.
    let good = text(&example);
    let raw: [(&'static str, String); 6] = [
        (
            "syntax",
            good.replacen("retention_days = ", "retention_days == ", 1),
        ),
        (
            "unknown key",
            good.replacen(
                "key = \"full_name\"",
                "key = \"full_name\"\nrequird = true",
                1,
            ),
        ),
        ("missing key", good.replacen("kind = \"date\"\n", "", 1)),
        (
            "wrong type",
            good.replacen("retention_days = ", "retention_days = \"ninety\" #", 1),
        ),
        (
            "unknown variant",
            good.replacen("kind = \"date\"", "kind = \"dait\"", 1),
        ),
        ("list for a table", format!("import = []\n{good}")),
    ];
    for (name, broken) in raw {
        assert_ne!(broken, good, "{name}: the replacement happened");
        files.push((name, broken));
    }
    files
}

/// The error summary of an editor page: the text of its items.
fn error_items(page: &str) -> Vec<String> {
    let Some(at) = page.find("class=\"error-summary\"") else {
        return Vec::new();
    };
    let summary = &page[at..];
    let summary = &summary[..summary.find("</ul>").unwrap_or(summary.len())];
    summary
        .split("<li")
        .skip(1)
        .map(|item| {
            let item = &item[item.find('>').map_or(0, |i| i + 1)..];
            let item = &item[..item.find("</li>").unwrap_or(item.len())];
            // The text without its tags (a link to the tab is a tag).
            let mut text = String::new();
            let mut in_tag = false;
            for c in item.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            html_unescape(&text)
        })
        .collect()
}

/// A file path as the parser writes it: `fields[2]`, `routing.rules`, `label.en`.
fn path_in(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    for i in 1..chars.len().saturating_sub(1) {
        let before = chars[i - 1];
        let after = chars[i + 1];
        let indexed = chars[i] == '['
            && word(before)
            && chars[i + 1..]
                .iter()
                .take_while(|c| **c != ']')
                .all(char::is_ascii_digit);
        let dotted = chars[i] == '.' && word(before) && after.is_ascii_alphabetic();
        if indexed || dotted {
            let from = i.saturating_sub(20);
            return Some(chars[from..(i + 20).min(chars.len())].iter().collect());
        }
    }
    None
}

#[tokio::test]
async fn every_parser_error_reaches_the_toml_page_in_words_in_the_admins_language() {
    // About 160 pages in a row from one client.
    let app = spawn_with(Settings {
        config_file: Some(
            "[rate_limits]\nsignin_attempts_per_account_per_minute = 100\nrequests_per_client_per_minute = 1000\n"
                .into(),
        ),
        ..Default::default()
    })
    .await;
    let mut admin = admin(&app).await;
    let toml_page = format!("{}/toml", page_of(SLUG));
    let files = broken_files();
    let mut english: Vec<Vec<String>> = Vec::new();
    for lang in ["en", "ar"] {
        admin.get(&format!("{}?lang={lang}", page_of(SLUG))).await;
        for (i, (name, text)) in files.iter().enumerate() {
            let version = crate::programmes::version_of(&app, SLUG).await;
            let res = admin
                .post(
                    &toml_page,
                    &toml_page,
                    &[
                        ("version", version.to_string()),
                        ("definition", text.clone()),
                    ],
                )
                .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{name}: {}",
                res.body
            );
            let body = html_unescape(&res.body);
            assert!(
                body.contains(text.trim_end()),
                "{name}: the typed text comes back"
            );
            let items = error_items(&res.body);
            assert!(!items.is_empty(), "{name}: {body}");
            for item in &items {
                assert!(
                    path_in(item).is_none(),
                    "{name} ({lang}): a path in {item:?}"
                );
                if lang == "ar" {
                    assert!(
                        item.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                        "{name}: not in Arabic: {item:?}"
                    );
                }
            }
            if lang == "en" {
                english.push(items);
            } else {
                assert_ne!(
                    items, english[i],
                    "{name}: the same words in Arabic as in English"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_rule_testing_for_a_removed_option_is_said_in_words_with_a_link_to_the_rule() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let toml_page = format!("{}/toml", page_of(SLUG));
    let version = crate::programmes::version_of(&app, SLUG).await;
    let text = crate::programmes::exported(&app, SLUG).await.replacen(
        "equals = \"former_staff\"",
        "equals = \"former_staffer\"",
        1,
    );
    let res = admin
        .post(
            &toml_page,
            &toml_page,
            &[("version", version.to_string()), ("definition", text)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let items = error_items(&res.body);
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].contains("rule “Former staff”")
            && items[0].contains("“former_staffer”")
            && items[0].contains("“What kind of help are you asking for?”"),
        "{items:?}"
    );
    assert!(
        res.body
            .contains(&format!("href=\"{}/rules/2\"", page_of(SLUG))),
        "a link to the rule: {}",
        res.body
    );
}

#[tokio::test]
async fn an_error_of_a_web_section_is_said_in_words_and_the_typed_input_comes_back() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    // A template body with a placeholder that does not exist.
    let page = format!("{}/templates/documents", page_of(SLUG));
    let res = crate::widening::change_form(&mut admin, &page, &page, |f| {
        set(f, "body.en", "Hello {nme}, send your papers")
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let items = error_items(&res.body);
    assert!(!items.is_empty());
    for item in &items {
        assert!(path_in(item).is_none(), "a path in {item:?}");
    }
    assert!(
        html_unescape(&res.body).contains("Hello {nme}, send your papers"),
        "the typed text comes back"
    );
}
