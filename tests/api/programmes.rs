//! The programme editor (`/admin/programmes`): an admin opens a new programme from a
//! blank form or a copy, edits each part of it, tries the routing rules, edits the
//! TOML, and moves it from draft to open, closed and archived. What `haven programme
//! export` prints is the proof of each change; the audit log records each one.

use haven::casework::ProgrammeRole::{self, *};
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, apply, extract_input, html_unescape, spawn_app, spawn_with,
};
use crate::staff::{PASSWORD, Staff, signed_in, submit_enquiry};

const NEW: &str = "sudan-2026";

/// Runs the real binary against the app's database. Every export it prints is checked
/// against the committed JSON Schema.
pub(crate) fn cli(app: &TestApp, args: &[&str]) -> (Option<i32>, String) {
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", url)
        .output()
        .unwrap();
    if args.starts_with(&["programme", "export"]) && out.status.success() {
        crate::schema::assert_valid_export(&String::from_utf8_lossy(&out.stdout));
    }
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// What `haven programme export SLUG` prints now, checked against the committed JSON
/// Schema (so every export the suite makes, after every kind of edit, is).
pub(crate) async fn exported(app: &TestApp, slug: &str) -> String {
    let definition = app
        .store
        .programme_by_slug(slug)
        .await
        .unwrap()
        .expect("programme exists")
        .definition;
    let text = haven::programme::schema::exported(&definition);
    crate::schema::assert_valid_export(&text);
    text
}

pub(crate) async fn version_of(app: &TestApp, slug: &str) -> i64 {
    app.store
        .programme_by_slug(slug)
        .await
        .unwrap()
        .expect("programme exists")
        .version
}

pub(crate) async fn audit(app: &TestApp, action: &str) -> Vec<haven::audit::Record> {
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

pub(crate) async fn admin(app: &TestApp) -> Staff {
    signed_in(app, "admin@example.org", Admin, None).await
}

pub(crate) fn page_of(slug: &str) -> String {
    format!("/admin/programmes/{slug}")
}

/// Posts a form of the programme page at `slug` with the page's CSRF token and the
/// version it shows.
pub(crate) async fn edit(
    staff: &mut Staff,
    slug: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> crate::staff::Page {
    let page = staff.get(&page_of(slug)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = extract_input(&page.body, "version").expect("a version field");
    let mut all: Vec<(&str, String)> = vec![("version", version)];
    all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
    staff
        .post(&page_of(slug), &format!("{}{path}", page_of(slug)), &all)
        .await
}

pub(crate) fn saved(page: &crate::staff::Page) {
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "expected a save: {}",
        page.body
    );
    assert!(
        page.location
            .as_deref()
            .is_some_and(|l| l.contains("done=saved")),
        "{:?}",
        page.location
    );
}

/// Posts the "open a new programme" form, with the admin's password unless `fields` has one.
async fn create(staff: &mut Staff, fields: &[(&str, &str)]) -> crate::staff::Page {
    let mut all: Vec<(&str, String)> = fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    if !fields.iter().any(|(k, _)| *k == "current_password") {
        all.push(("current_password", PASSWORD.to_owned()));
    }
    staff
        .post("/admin/programmes", "/admin/programmes", &all)
        .await
}

#[tokio::test]
async fn an_admin_opens_a_blank_programme_and_takes_it_through_every_state() {
    // Each step asks for the password again; more than the default five a minute here.
    let app = spawn_with(Settings {
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Default::default()
    })
    .await;
    let mut admin = admin(&app).await;
    let list = admin.get("/admin/programmes").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(SLUG));

    // A wrong password creates nothing, and keeps what was typed.
    let refused = create(
        &mut admin,
        &[
            ("from", ""),
            ("slug", NEW),
            ("title", "Sudan: help"),
            ("language", "en"),
            ("current_password", "not my password at all"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Your password is not right"));
    assert!(refused.body.contains("value=\"Sudan: help\""));
    assert!(app.store.programme_by_slug(NEW).await.unwrap().is_none());

    let made = create(
        &mut admin,
        &[
            ("from", ""),
            ("slug", NEW),
            ("title", "Sudan: help"),
            ("language", "en"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(
        made.location.as_deref(),
        Some("/admin/programmes/sudan-2026?done=created")
    );
    let text = exported(&app, NEW).await;
    assert!(text.contains("status = \"draft\""), "{text}");
    assert!(text.contains("Sudan: help"));
    let created = audit(&app, "programme.create").await;
    let entry = created
        .iter()
        .find(|e| e.subject == format!("programme:{NEW}"))
        .expect("audited");
    assert_eq!(entry.actor, format!("user:{}", admin.id));
    assert!(
        entry.detail.contains("\"change\":\"create\""),
        "{}",
        entry.detail
    );

    // The same slug again is refused.
    let again = create(
        &mut admin,
        &[
            ("from", ""),
            ("slug", NEW),
            ("title", "x"),
            ("language", "en"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already exists"));

    // A draft is not reachable publicly.
    let public = format!("/p/{NEW}");
    assert_eq!(app.get(&public).await.status(), StatusCode::NOT_FOUND);

    // Nobody holds a role in it yet: opening is refused, naming that.
    let refused = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "open"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains(&format!("href=\"/admin/programmes/{NEW}/staff\"")),
        "{}",
        refused.body
    );
    crate::launch::give_role(&app, &mut admin, NEW, "first.agent@example.org", "agent").await;

    // Open: the form is live at once.
    let opened = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "open"), ("current_password", PASSWORD)],
    )
    .await;
    saved(&opened);
    let res = app.get(&public).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("How can we help you?"));

    // Open cannot go straight back to draft, and the status needs the password.
    let bad = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "draft"), ("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let no_pw = edit(
        &mut admin,
        NEW,
        "/status",
        &[("to", "closed"), ("current_password", "wrong wrong wrong")],
    )
    .await;
    assert_eq!(no_pw.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(exported(&app, NEW).await.contains("status = \"open\""));

    // Closed: a page saying so, where to go instead.
    saved(
        &edit(
            &mut admin,
            NEW,
            "/general",
            &[
                ("languages", "en"),
                ("default_language", "en"),
                ("title.en", "Sudan: help"),
                ("intro.en", "Tell us."),
                ("privacy_notice.en", "Encrypted."),
                ("closed_message.en", "Write to the Khartoum desk instead."),
                ("retention_days", "90"),
                ("contact", "inbox-only"),
                ("email", "minimal"),
                ("name_field", ""),
            ],
        )
        .await,
    );
    saved(
        &edit(
            &mut admin,
            NEW,
            "/status",
            &[("to", "closed"), ("current_password", PASSWORD)],
        )
        .await,
    );
    let res = app.get(&public).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Write to the Khartoum desk instead.")
    );

    // Archived: gone for good.
    saved(
        &edit(
            &mut admin,
            NEW,
            "/status",
            &[("to", "archived"), ("current_password", PASSWORD)],
        )
        .await,
    );
    assert_eq!(app.get(&public).await.status(), StatusCode::NOT_FOUND);
    let overview = admin.get(&page_of(NEW)).await;
    assert!(
        !overview.body.contains("id=\"status-to\""),
        "archived is final"
    );

    let statuses: Vec<String> = audit(&app, "programme.update")
        .await
        .into_iter()
        .filter(|e| {
            e.subject == format!("programme:{NEW}") && e.detail.contains("\"change\":\"status\"")
        })
        .map(|e| e.detail)
        .collect();
    assert_eq!(statuses.len(), 3, "{statuses:?}");
    assert_eq!(audit(&app, "reauth.failed").await.len(), 2);
}

#[tokio::test]
async fn cloning_copies_form_queues_rules_and_templates_into_a_draft_with_its_own_key() {
    let app = spawn_app().await;
    submit_enquiry(&app, SLUG).await;
    let mut admin = admin(&app).await;
    let asked = create(
        &mut admin,
        &[
            ("from", SLUG),
            ("slug", NEW),
            ("title", ""),
            ("language", "en"),
        ],
    )
    .await;
    // What the copy would share with people outside its staff is listed first; ticked,
    // it all comes along.
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let made = create(
        &mut admin,
        &[
            ("copy_reviewed", "1"),
            ("from", SLUG),
            ("slug", NEW),
            ("title", ""),
            ("language", "en"),
            ("keep", "partners.statistics"),
            ("keep", "partners.resettlement-ngo"),
            ("keep", "referrals.show_in_inbox"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);

    let source = exported(&app, SLUG).await;
    let copy = exported(&app, NEW).await;
    assert_eq!(
        copy,
        source
            .replacen(
                &format!("slug = \"{SLUG}\""),
                &format!("slug = \"{NEW}\""),
                1
            )
            .replacen("status = \"open\"", "status = \"draft\"", 1)
    );
    let a = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let b = app.store.programme_by_slug(NEW).await.unwrap().unwrap();
    assert_ne!(a.key_id, b.key_id);
    assert_ne!(a.recipient, b.recipient);
    assert!(
        app.store
            .enquiries_of_programme(&b.id)
            .await
            .unwrap()
            .is_empty()
    );
    let entry = audit(&app, "programme.create")
        .await
        .into_iter()
        .find(|e| e.subject == format!("programme:{NEW}"))
        .unwrap();
    assert!(
        entry
            .detail
            .contains(&format!("\"cloned_from\":\"{SLUG}\"")),
        "{}",
        entry.detail
    );

    // The programme page links to its history in the audit log.
    let overview = admin.get(&page_of(NEW)).await;
    let history = format!("/admin/audit?subject=programme%3A{NEW}");
    assert!(
        overview.body.contains(&history.replace('&', "&amp;")),
        "{}",
        overview.body
    );
    let log = admin.get(&history).await;
    assert!(
        log.body.contains("programme.create") && !log.body.contains(&format!("programme:{SLUG}<"))
    );

    // The preview shows the copy as the public would see it, in each language (after
    // the admin read the copy's handling rules, as everyone does at first sight).
    admin.acknowledge_rules(NEW).await;
    let preview = admin
        .get(&format!("/console/p/{NEW}/preview?lang=ps"))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.body.contains("lang=\"ps\"") && preview.body.contains("f-full_name"));
}

#[tokio::test]
async fn each_section_of_the_editor_changes_what_export_prints() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;

    // General.
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/general",
            &[
                ("languages", "en"),
                ("languages", "fr"),
                ("languages", "uk"),
                ("default_language", "en"),
                ("title.en", "Afghanistan: help to leave"),
                ("title.fr", "Afghanistan : aide"),
                ("intro.en", "Intro\r\nsecond line"),
                ("privacy_notice.en", "Privacy"),
                ("retention_days", "30"),
                ("contact", "inbox-only"),
                ("email", "full"),
                ("name_field", "full_name"),
                // A language added while answers leave for partners, and emails that
                // carry the reply: both widen, so the password comes with them.
                ("current_password", PASSWORD),
            ],
        )
        .await,
    );
    let text = exported(&app, SLUG).await;
    assert!(
        text.contains("languages = [\n    \"en\",\n    \"fr\",\n    \"uk\",\n]")
            || text.contains("languages = [\"en\", \"fr\", \"uk\"]"),
        "{text}"
    );
    assert!(
        !text.contains("ps ="),
        "Pashto texts went with the language: {text}"
    );
    assert!(text.contains("retention_days = 30"));
    assert!(text.contains("contact = \"inbox-only\""));
    assert!(text.contains("email = \"full\""));
    assert!(
        text.contains("Intro\nsecond line"),
        "line endings normalised"
    );

    // Fields: add, edit, move, remove.
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/fields",
            &[
                ("key", "languages_spoken"),
                ("kind", "checkbox"),
                ("label", "Languages you speak"),
                ("opt.0.value", "dari"),
                ("opt.0.label.en", "Dari"),
                ("opt.1.value", "pashto"),
                ("opt.1.label.en", "Pashto"),
                ("opt.2.value", ""),
                ("opt.2.label.en", ""),
            ],
        )
        .await,
    );
    let text = exported(&app, SLUG).await;
    assert!(text.contains("key = \"languages_spoken\""), "{text}");
    assert!(text.contains("value = \"pashto\""));

    let field_page = admin
        .get(&format!("{}/fields/languages_spoken", page_of(SLUG)))
        .await;
    assert_eq!(field_page.status, StatusCode::OK);
    let version = extract_input(&field_page.body, "version").unwrap();
    let res = admin
        .post(
            &format!("{}/fields/languages_spoken", page_of(SLUG)),
            &format!("{}/fields/languages_spoken", page_of(SLUG)),
            &[
                ("version", version),
                ("kind", "checkbox".into()),
                ("required", "yes".into()),
                ("label.en", "Languages you speak".into()),
                ("label.fr", "Langues parlées".into()),
                ("hint.en", "Tick all that apply".into()),
                // One row per option, one input per language.
                ("opt.0.value", "dari".into()),
                ("opt.0.label.en", "Dari".into()),
                ("opt.0.label.fr", "Dari".into()),
                ("opt.1.value", "pashto".into()),
                ("opt.1.label.en", "Pashto".into()),
                ("opt.1.label.fr", "Pachto".into()),
                ("opt.2.value", "urdu".into()),
                ("opt.2.label.en", "Urdu".into()),
                ("opt.2.label.fr", "".into()),
            ],
        )
        .await;
    saved(&res);
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    let field = file.field("languages_spoken").unwrap();
    assert!(field.required);
    assert_eq!(
        field.label.get("fr").map(String::as_str),
        Some("Langues parlées")
    );
    assert_eq!(field.options.len(), 3);
    assert_eq!(
        field.options[1].label.get("fr").map(String::as_str),
        Some("Pachto")
    );
    let last = file.file().fields.len() - 1;
    assert_eq!(file.file().fields[last].key, "languages_spoken");

    saved(&edit(&mut admin, SLUG, &format!("/fields/{last}/up"), &[]).await);
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert_eq!(file.file().fields[last - 1].key, "languages_spoken");
    saved(
        &edit(
            &mut admin,
            SLUG,
            &format!("/fields/{}/remove", last - 1),
            &[],
        )
        .await,
    );
    assert!(!exported(&app, SLUG).await.contains("languages_spoken"));

    // Removing a field a rule depends on is refused, with the reason.
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    let danger = file
        .file()
        .fields
        .iter()
        .position(|f| f.key == "in_danger")
        .unwrap();
    let refused = edit(&mut admin, SLUG, &format!("/fields/{danger}/remove"), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html_unescape(&refused.body).contains("there is no question with the key “in_danger”"),
        "{}",
        refused.body
    );
    assert!(exported(&app, SLUG).await.contains("key = \"in_danger\""));

    // Queues.
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/queues",
            &[("key", "medical"), ("name", "Medical")],
        )
        .await,
    );
    assert!(exported(&app, SLUG).await.contains("key = \"medical\""));
    let qpage = admin
        .get(&format!("{}/queues/medical", page_of(SLUG)))
        .await;
    let version = extract_input(&qpage.body, "version").unwrap();
    saved(
        &admin
            .post(
                &format!("{}/queues/medical", page_of(SLUG)),
                &format!("{}/queues/medical", page_of(SLUG)),
                &[
                    ("version", version),
                    ("name.en", "Medical cases".into()),
                    ("name.fr", "Cas médicaux".into()),
                ],
            )
            .await,
    );
    assert!(exported(&app, SLUG).await.contains("Cas médicaux"));

    // Routing: defaults, a new rule, an edited rule, order.
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/routing",
            &[("default_queue", "medical"), ("default_priority", "4")],
        )
        .await,
    );
    let text = exported(&app, SLUG).await;
    assert!(text.contains("default_queue = \"medical\"") && text.contains("default_priority = 4"));
    let new_rule = admin.get(&format!("{}/new-rule", page_of(SLUG))).await;
    let version = extract_input(&new_rule.body, "version").unwrap();
    saved(
        &admin
            .post(
                &format!("{}/new-rule", page_of(SLUG)),
                &format!("{}/new-rule", page_of(SLUG)),
                &[
                    ("version", version),
                    ("name", "Medical need".into()),
                    ("queue", "medical".into()),
                    ("priority", "2".into()),
                    ("match", "any".into()),
                    ("when.field", "situation".into()),
                    ("when.op", "contains".into()),
                    ("when.value", "hospital".into()),
                    ("when.field", "help_category".into()),
                    ("when.op", "in".into()),
                    ("when.value", "at_risk, family_reunion".into()),
                    ("when.field", "".into()),
                    ("when.op", "equals".into()),
                    ("when.value", "".into()),
                ],
            )
            .await,
    );
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    let rule = file.file().routing.rules.last().unwrap();
    assert_eq!(rule.name, "Medical need");
    assert_eq!(rule.match_, haven::programme::Match::Any);
    assert_eq!(rule.when.len(), 2);
    assert_eq!(rule.when[0].contains.as_deref(), Some("hospital"));
    assert_eq!(
        rule.when[1].one_of.as_deref(),
        Some(&["at_risk".to_owned(), "family_reunion".to_owned()][..])
    );
    let index = file.file().routing.rules.len() - 1;
    saved(&edit(&mut admin, SLUG, &format!("/rules/{index}/up"), &[]).await);
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert_eq!(file.file().routing.rules[index - 1].name, "Medical need");

    // Templates: add, edit, remove.
    let tpage = admin.get(&format!("{}/new-template", page_of(SLUG))).await;
    let version = extract_input(&tpage.body, "version").unwrap();
    saved(
        &admin
            .post(
                &format!("{}/new-template", page_of(SLUG)),
                &format!("{}/new-template", page_of(SLUG)),
                &[
                    ("version", version),
                    ("key", "medical-ack".into()),
                    ("name", "Medical acknowledgement".into()),
                    ("subject.en", "About {reference}".into()),
                    ("body.en", "Dear {name}, we read it.".into()),
                ],
            )
            .await,
    );
    assert!(exported(&app, SLUG).await.contains("key = \"medical-ack\""));
    let tpage = admin
        .get(&format!("{}/templates/medical-ack", page_of(SLUG)))
        .await;
    let version = extract_input(&tpage.body, "version").unwrap();
    let bad = admin
        .post(
            &format!("{}/templates/medical-ack", page_of(SLUG)),
            &format!("{}/templates/medical-ack", page_of(SLUG)),
            &[
                ("version", version),
                ("name", "Medical acknowledgement".into()),
                ("subject.en", "About {reference}".into()),
                ("body.en", "Write to {email}".into()),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("{email} is not a placeholder"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("Write to {email}"), "typed text kept");
    let file = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    let at = file
        .file()
        .templates
        .iter()
        .position(|t| t.key == "medical-ack")
        .unwrap();
    saved(&edit(&mut admin, SLUG, &format!("/templates/{at}/remove"), &[]).await);
    assert!(!exported(&app, SLUG).await.contains("medical-ack"));

    // Every save was audited with the part it changed, each a new version.
    let updates = audit(&app, "programme.update").await;
    for part in [
        "general",
        "add-field",
        "fields",
        "add-queue",
        "queues",
        "routing",
        "rules",
        "templates",
    ] {
        assert!(
            updates
                .iter()
                .any(|e| e.detail.contains(&format!("\"change\":\"{part}\""))),
            "{part} not audited"
        );
    }
    assert_eq!(version_of(&app, SLUG).await, 1 + updates.len() as i64);

    // Web edits → export → apply is a no-op.
    let file = app.config.data_dir.join("exported.toml");
    let (code, out) = cli(&app, &["programme", "export", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    std::fs::write(&file, &out).unwrap();
    let (code, out) = cli(&app, &["programme", "apply", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "{SLUG} unchanged (version {})",
            version_of(&app, SLUG).await
        )),
        "{out}"
    );
}

#[tokio::test]
async fn the_rules_test_box_shows_where_sample_answers_would_go_and_saves_nothing() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let before = version_of(&app, SLUG).await;
    let res = admin
        .post(
            &page_of(SLUG),
            &format!("{}/rules-test", page_of(SLUG)),
            &[
                ("t.help_category", "former_staff".into()),
                ("t.in_danger", "yes".into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains("It would go to the queue “Urgent: immediate danger” with priority 1"),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains("Decided by the rule “In immediate danger”")
    );
    assert!(
        res.body.contains("value=\"former_staff\" selected"),
        "answers kept"
    );

    let res = admin
        .post(
            &page_of(SLUG),
            &format!("{}/rules-test", page_of(SLUG)),
            &[
                ("t.help_category", "former_staff".into()),
                ("t.in_danger", "no".into()),
            ],
        )
        .await;
    assert!(
        res.body.contains("Decided by the rule “Former staff”"),
        "{}",
        res.body
    );

    let res = admin
        .post(
            &page_of(SLUG),
            &format!("{}/rules-test", page_of(SLUG)),
            &[("t.date_of_birth", "yesterday".into())],
        )
        .await;
    assert!(res.body.contains("No rule matched"));
    assert!(res.body.contains("Enter a real date"), "{}", res.body);
    assert_eq!(version_of(&app, SLUG).await, before);
}

#[tokio::test]
async fn toml_edits_run_the_apply_checks_name_the_line_and_keep_the_text() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let toml_page = format!("{}/toml", page_of(SLUG));
    let shown = admin.get(&toml_page).await;
    assert_eq!(shown.status, StatusCode::OK);
    let current = exported(&app, SLUG).await;
    assert!(
        html_unescape(&shown.body).contains(&current),
        "the textarea holds what export prints"
    );
    let version_before = version_of(&app, SLUG).await;

    let mut lines: Vec<String> = current.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == "key = \"full_name\"")
        .unwrap();
    lines.insert(at + 1, "requird = true".into());
    let typo = lines.join("\n");
    let res = admin
        .post(
            &toml_page,
            &toml_page,
            &[
                ("version", version_before.to_string()),
                ("definition", typo.clone()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = html_unescape(&res.body);
    assert!(
        body.contains(&format!(
            "Line {}. Question 1: “requird” is not a setting",
            at + 2
        )),
        "{body}"
    );
    assert!(body.contains(&typo), "the typed text is kept");
    assert_eq!(version_of(&app, SLUG).await, version_before);

    // Neither the slug nor the status changes from here.
    for (from, to) in [
        (
            format!("slug = \"{SLUG}\""),
            "slug = \"elsewhere\"".to_owned(),
        ),
        (
            "status = \"open\"".to_owned(),
            "status = \"archived\"".to_owned(),
        ),
    ] {
        let res = admin
            .post(
                &toml_page,
                &toml_page,
                &[
                    ("version", version_before.to_string()),
                    ("definition", current.replacen(&from, &to, 1)),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{to}");
    }
    assert!(
        app.store
            .programme_by_slug("elsewhere")
            .await
            .unwrap()
            .is_none()
    );

    let changed = current.replacen("retention_days = 365", "retention_days = 200", 1);
    let res = admin
        .post(
            &toml_page,
            &toml_page,
            &[
                ("version", version_before.to_string()),
                ("definition", changed.replace('\n', "\r\n")),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(exported(&app, SLUG).await, changed);
    let entry = audit(&app, "programme.update").await.pop().unwrap();
    assert!(entry.detail.contains("\"change\":\"toml\""));

    // A page drawn from an older version cannot overwrite the newer one.
    let res = admin
        .post(
            &toml_page,
            &toml_page,
            &[
                ("version", version_before.to_string()),
                ("definition", current.clone()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("Someone else saved this programme"),
        "{}",
        res.body
    );
    assert_eq!(exported(&app, SLUG).await, changed);
}

#[tokio::test]
async fn an_old_enquiry_keeps_the_form_version_it_was_sent_with() {
    let app = spawn_app().await;
    let (old_id, _) = submit_enquiry(&app, SLUG).await;
    let mut admin = admin(&app).await;
    // The question is reworded and the "in danger" choices relabelled.
    let text = exported(&app, SLUG).await;
    let reworded = text.replacen(
        "en = \"Full name\"",
        "en = \"Your name as in your passport\"",
        1,
    );
    assert_ne!(reworded, text, "the example has this label");
    let toml_page = format!("{}/toml", page_of(SLUG));
    let v1 = version_of(&app, SLUG).await;
    let res = admin
        .post(
            &toml_page,
            &toml_page,
            &[
                ("version", v1.to_string()),
                ("definition", reworded),
                // The question's answers leave for a partner: rewording it widens.
                ("current_password", PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (new_id, _) = submit_enquiry(&app, SLUG).await;

    let old = app.store.enquiry(&old_id).await.unwrap().unwrap();
    let new = app.store.enquiry(&new_id).await.unwrap().unwrap();
    assert_eq!(old.form_version, v1);
    assert_eq!(new.form_version, v1 + 1);

    let page = admin.get(&format!("/console/e/{old_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("Form version {v1}")));
    assert!(
        page.body.contains("<dt dir=\"auto\">Full name</dt>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Your name as in your passport"));
    let page = admin.get(&format!("/console/e/{new_id}")).await;
    assert!(
        page.body
            .contains("<dt dir=\"auto\">Your name as in your passport</dt>")
    );
}

#[tokio::test]
async fn only_admins_of_a_programme_may_edit_it_and_everyone_else_gets_not_found() {
    let app = spawn_app().await;
    let other = EXAMPLE.replace(SLUG, NEW);
    apply(&app.store, &app.config, &other).await;
    let mut own_admin =
        signed_in(&app, "padmin@example.org", ProgrammeRole::Admin, Some(SLUG)).await;
    let mut strangers = vec![
        signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await,
        signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await,
        signed_in(
            &app,
            "other-admin@example.org",
            ProgrammeRole::Admin,
            Some(NEW),
        )
        .await,
    ];
    let before = version_of(&app, SLUG).await;
    // The programme admin's own page, for its forms' tokens.
    let mine = own_admin.get(&page_of(SLUG)).await;
    assert_eq!(mine.status, StatusCode::OK);
    for staff in &mut strangers {
        for path in [
            page_of(SLUG),
            format!("{}/toml", page_of(SLUG)),
            format!("{}/fields/full_name", page_of(SLUG)),
        ] {
            assert_eq!(
                staff.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{} {path}",
                staff.email
            );
        }
        // Posting with a token of their own session.
        let own = staff.get("/console").await;
        let token = extract_input(&own.body, "csrf").unwrap();
        let res = staff
            .post_raw(
                &format!("{}/routing", page_of(SLUG)),
                &[
                    ("csrf", token),
                    ("version", before.to_string()),
                    ("default_queue", "urgent".into()),
                    ("default_priority", "1".into()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", staff.email);
    }
    // Agents and supervisors have no programme list; the other admin sees only theirs.
    assert_eq!(
        strangers[0].get("/admin/programmes").await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = strangers[2].get("/admin/programmes").await;
    assert!(
        theirs.body.contains(NEW) && !theirs.body.contains(&format!("/admin/programmes/{SLUG}\""))
    );

    // A programme admin edits their own programme but cannot create programmes.
    saved(
        &edit(
            &mut own_admin,
            SLUG,
            "/routing",
            &[("default_queue", "urgent"), ("default_priority", "1")],
        )
        .await,
    );
    assert!(
        !own_admin
            .get("/admin/programmes")
            .await
            .body
            .contains("id=\"new\"")
    );
    let res = create(
        &mut own_admin,
        &[
            ("from", SLUG),
            ("slug", "their-own"),
            ("title", ""),
            ("language", "en"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(
        app.store
            .programme_by_slug("their-own")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(version_of(&app, SLUG).await, before + 1);
}

#[tokio::test]
async fn an_edit_without_the_page_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let before = version_of(&app, SLUG).await;
    for (path, fields) in [
        (
            "/routing",
            vec![
                ("default_queue", "urgent".to_owned()),
                ("default_priority", "1".to_owned()),
            ],
        ),
        (
            "/toml",
            vec![(
                "definition",
                exported(&app, SLUG).await.replace("365", "10"),
            )],
        ),
        (
            "/status",
            vec![
                ("to", "closed".to_owned()),
                ("current_password", PASSWORD.to_owned()),
            ],
        ),
    ] {
        let mut all = vec![
            ("version", before.to_string()),
            ("csrf", "forged".to_owned()),
        ];
        all.extend(fields.into_iter());
        let res = admin
            .post_raw(&format!("{}{path}", page_of(SLUG)), &all)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let res = admin
        .post_raw(
            "/admin/programmes",
            &[
                ("slug", NEW.to_owned()),
                ("from", SLUG.to_owned()),
                ("current_password", PASSWORD.to_owned()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(version_of(&app, SLUG).await, before);
    assert!(app.store.programme_by_slug(NEW).await.unwrap().is_none());
    assert!(audit(&app, "programme.update").await.is_empty());
}

#[tokio::test]
async fn every_editor_page_renders_in_every_shipped_language() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let base = page_of(SLUG);
    let pages = [
        "/admin/programmes".to_owned(),
        base.clone(),
        format!("{base}/toml"),
        format!("{base}/fields/help_category"),
        format!("{base}/queues/urgent"),
        format!("{base}/rules/0"),
        format!("{base}/new-rule"),
        format!("{base}/templates/acknowledgement"),
        format!("{base}/new-template"),
    ];
    for (tag, dir, word) in [
        ("en", "ltr", "Programmes"),
        ("fr", "ltr", "Programmes"),
        ("fa-AF", "rtl", "برنامه‌ها"),
        ("ps", "rtl", "پروګرامونه"),
        ("uk", "ltr", "Програми"),
        ("ar", "rtl", "البرامج"),
    ] {
        for path in &pages {
            let page = admin.get(&format!("{path}?lang={tag}")).await;
            assert_eq!(page.status, StatusCode::OK, "{path} in {tag}");
            assert!(
                page.body
                    .contains(&format!("<html lang=\"{tag}\" dir=\"{dir}\">")),
                "{path} in {tag}"
            );
            assert!(
                !page.body.contains("Unknown localization"),
                "{path} in {tag}"
            );
            assert!(page.body.contains(word), "{path} in {tag}: the nav link");
        }
    }
}
