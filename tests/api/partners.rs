//! Partners and referral settings in the programme editor: an admin adds, changes and
//! removes the organisations an enquiry may be referred to, and what may leave for
//! each. What `haven programme export` prints and the console's partners page are the
//! proof of each change; the audit log says what was widened and that the admin's
//! password was asked for.

use haven::casework::ProgrammeRole::{self, *};
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, apply, extract_input, html_unescape, spawn_app, spawn_with,
};
use crate::programmes::{admin, audit, cli, edit, exported, page_of, saved, version_of};
use crate::staff::{PASSWORD, Staff, signed_in};

fn new_recipient() -> String {
    age::x25519::Identity::generate().to_public().to_string()
}

/// The definition's partners as `programme export` prints them.
async fn partners_of(app: &TestApp) -> Vec<haven::programme::Partner> {
    haven::programme::Programme::parse(&exported(app, SLUG).await)
        .unwrap()
        .file()
        .partners
        .clone()
}

async fn partner(app: &TestApp, key: &str) -> Option<haven::programme::Partner> {
    partners_of(app).await.into_iter().find(|p| p.key == key)
}

/// The "add a partner" form, filled in for a statistics office that gets the
/// reference code and the country only; `changes` replace or add fields.
fn census_office<'a>(
    recipient: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("key", "census"),
        ("name", "Census office"),
        ("address", "intake@census.example"),
        ("recipient", recipient),
        ("fields", "reference"),
        ("fields", "current_country"),
        ("current_password", PASSWORD),
    ];
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name || *name == "fields");
        fields.push((name, value));
    }
    fields
}

fn refused(page: &crate::staff::Page) -> String {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "expected a refusal: {}",
        page.body
    );
    html_unescape(&page.body)
}

#[tokio::test]
async fn an_admin_adds_a_partner_which_export_the_console_and_the_audit_log_show() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let form = admin.get(&format!("{}/new-partner", page_of(SLUG))).await;
    assert_eq!(form.status, StatusCode::OK);
    // Each choice says whether it is personal data, as `programme::sharing` decides.
    let body = html_unescape(&form.body);
    for (key, personal) in [
        ("reference", false),
        ("contact_email", true),
        ("full_name", true),
        ("current_country", false),
        ("situation", true),
        ("help_category", false),
    ] {
        let at = body.find(&format!("value=\"{key}\"")).expect(key);
        let choice = &body[at..at + body[at..].find("</div>").unwrap()];
        assert_eq!(
            choice.contains("personal data"),
            personal,
            "{key}: {choice}"
        );
    }

    let recipient = new_recipient();
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/new-partner",
            &census_office(&recipient, &[]),
        )
        .await,
    );

    let census = partner(&app, "census")
        .await
        .expect("the partner was saved");
    assert_eq!(census.name, "Census office");
    assert_eq!(census.address, "intake@census.example");
    assert_eq!(census.recipient, recipient);
    assert_eq!(census.fields, ["reference", "current_country"]);
    assert!(!census.personal_data);
    // The example's two partners are still there, in front of it.
    let keys: Vec<String> = partners_of(&app).await.into_iter().map(|p| p.key).collect();
    assert_eq!(keys, ["statistics", "resettlement-ngo", "census"]);

    // Staff see it on the console's partners page, and the editor lists it.
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let listed = html_unescape(&agent.get(&format!("/console/p/{SLUG}/partners")).await.body);
    assert!(listed.contains("Census office") && listed.contains(&recipient));
    let overview = html_unescape(&admin.get(&format!("{}/partners", page_of(SLUG))).await.body);
    assert!(overview.contains(&format!("{}/partners/census\"", page_of(SLUG))));

    // One audit entry, naming the partner and that it was added after the password.
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .find(|e| e.detail.contains("\"change\":\"partners\""))
        .expect("the save was audited");
    assert_eq!(entry.subject, format!("programme:{SLUG}"));
    for part in [
        "\"partner\":\"census\"",
        "\"widened\":[\"partners.census\"]",
        "\"reauthenticated\":true",
    ] {
        assert!(entry.detail.contains(part), "{part}: {}", entry.detail);
    }

    // Web edit → export → apply is a no-op.
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
async fn a_bad_address_or_age_key_is_refused_with_what_was_typed_kept() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let before = version_of(&app, SLUG).await;

    let page = edit(
        &mut admin,
        SLUG,
        "/new-partner",
        &census_office("age1notakey", &[("address", "intake at census")]),
    )
    .await;
    let body = refused(&page);
    assert!(
        body.contains("Enter the partner's address as an email address"),
        "{body}"
    );
    assert!(
        body.contains("The encryption key is not an age public key"),
        "{body}"
    );
    assert_eq!(
        extract_input(&page.body, "address").as_deref(),
        Some("intake at census")
    );
    assert_eq!(
        extract_input(&page.body, "recipient").as_deref(),
        Some("age1notakey")
    );
    assert_eq!(
        extract_input(&page.body, "name").as_deref(),
        Some("Census office")
    );
    assert_eq!(extract_input(&page.body, "key").as_deref(), Some("census"));
    assert!(
        body.contains("value=\"current_country\" checked"),
        "the profile is kept"
    );
    // The password is never shown back.
    assert!(!page.body.contains(PASSWORD));

    // An age secret key pasted by mistake is named as such and forgotten: it is not
    // shown back anywhere in the page.
    let secret = age::x25519::Identity::generate();
    let secret = secrecy::ExposeSecret::expose_secret(&secret.to_string()).to_owned();
    assert!(secret.starts_with("AGE-SECRET-KEY-1"));
    let page = edit(
        &mut admin,
        SLUG,
        "/new-partner",
        &census_office(&secret, &[]),
    )
    .await;
    let body = refused(&page);
    assert!(body.contains("That is a secret key"), "{body}");
    assert!(
        !body.contains(&secret[15..]),
        "the secret key was shown back"
    );
    assert_eq!(extract_input(&page.body, "recipient").as_deref(), Some(""));
    assert_eq!(
        extract_input(&page.body, "address").as_deref(),
        Some("intake@census.example")
    );

    assert_eq!(version_of(&app, SLUG).await, before);
    assert!(partner(&app, "census").await.is_none());
}

#[tokio::test]
async fn personal_fields_leave_only_with_the_explicit_confirmation() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let recipient = new_recipient();
    let with_names = census_office(
        &recipient,
        &[("fields", "full_name"), ("fields", "contact_email")],
    );

    let page = edit(&mut admin, SLUG, "/new-partner", &with_names).await;
    let body = refused(&page);
    assert!(body.contains("contact_email, full_name"), "{body}");
    assert!(body.contains("Personal data is ticked"), "{body}");
    assert!(
        body.contains("value=\"full_name\" checked"),
        "the ticks are kept"
    );
    assert!(partner(&app, "census").await.is_none());

    let mut confirmed = with_names.clone();
    confirmed.push(("personal_data", "yes"));
    saved(&edit(&mut admin, SLUG, "/new-partner", &confirmed).await);
    let census = partner(&app, "census").await.unwrap();
    assert!(census.personal_data);
    assert_eq!(
        census.fields,
        ["reference", "contact_email", "full_name", "current_country"]
    );
    assert!(exported(&app, SLUG).await.contains("personal_data = true"));

    // Narrowing back to non-personal fields drops the confirmation from the file,
    // even if the box stays ticked (the file would refuse a confirmation of nothing).
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/partners/census",
            &[
                ("name", "Census office"),
                ("address", "intake@census.example"),
                ("recipient", &recipient),
                ("fields", "reference"),
                ("personal_data", "yes"),
            ],
        )
        .await,
    );
    let census = partner(&app, "census").await.unwrap();
    assert_eq!(census.fields, ["reference"]);
    assert!(!census.personal_data);
}

/// A Haven where re-authentication is not throttled within a test's few attempts.
async fn roomy() -> TestApp {
    spawn_with(Settings {
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Default::default()
    })
    .await
}

/// The statistics partner's form as stored, with `changes` replacing its inputs (all
/// `fields` ticks at once when `changes` has any).
fn statistics_form(
    stats: &haven::programme::Partner,
    changes: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = vec![
        ("name", stats.name.clone()),
        ("address", stats.address.clone()),
        ("recipient", stats.recipient.clone()),
    ];
    fields.extend(stats.fields.iter().map(|f| ("fields", f.clone())));
    let replaced: Vec<&str> = changes.iter().map(|(k, _)| *k).collect();
    fields.retain(|(k, _)| !replaced.contains(k));
    fields.extend(changes.iter().cloned());
    fields
}

async fn post_statistics(
    admin: &mut Staff,
    fields: &[(&'static str, String)],
) -> crate::staff::Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    edit(admin, SLUG, "/partners/statistics", &borrowed).await
}

#[tokio::test]
async fn widening_a_profile_or_changing_where_it_goes_asks_for_the_password_narrowing_does_not() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let stats = partner(&app, "statistics").await.unwrap();
    let mut wider: Vec<(&'static str, String)> =
        stats.fields.iter().map(|f| ("fields", f.clone())).collect();
    wider.push(("fields", "in_danger".into()));
    for (what, changes) in [
        (
            "address",
            vec![("address", "other@partner.example".to_owned())],
        ),
        ("recipient", vec![("recipient", new_recipient())]),
        ("fields", wider.clone()),
    ] {
        // Without the password: the page asking for it, naming what widens.
        let mut fields = statistics_form(&stats, &changes);
        fields.push(("current_password", String::new()));
        let body = refused(&post_statistics(&mut admin, &fields).await);
        assert!(
            body.contains(&format!("partners.statistics.{what}"))
                && body.contains("name=\"current_password\""),
            "{what}: {body}"
        );
        // A wrong one: the partner's form again, saying so.
        let mut fields = statistics_form(&stats, &changes);
        fields.push(("current_password", "not my password".into()));
        let body = refused(&post_statistics(&mut admin, &fields).await);
        assert!(
            body.contains("Your password is not right"),
            "{what}: {body}"
        );
        assert_eq!(
            partner(&app, "statistics").await.as_ref(),
            Some(&stats),
            "{what}"
        );
    }
    // The wrong passwords were audited as failed re-authentications.
    assert_eq!(audit(&app, "reauth.failed").await.len(), 3);

    // With the password, the wider profile is saved and the audit entry says so.
    let mut fields = statistics_form(&stats, &wider);
    fields.push(("current_password", PASSWORD.into()));
    saved(&post_statistics(&mut admin, &fields).await);
    let now = partner(&app, "statistics").await.unwrap();
    assert_eq!(now.fields.last().map(String::as_str), Some("in_danger"));
    let last = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        last.detail
            .contains("\"widened\":[\"partners.statistics.fields\"]")
            && last.detail.contains("\"reauthenticated\":true"),
        "{}",
        last.detail
    );

    // Renaming and narrowing need no password: less can leave, to the same people.
    let narrower = [
        ("name", "Statistics unit".to_owned()),
        ("fields", "reference".to_owned()),
    ];
    saved(&post_statistics(&mut admin, &statistics_form(&stats, &narrower)).await);
    let now = partner(&app, "statistics").await.unwrap();
    assert_eq!(now.name, "Statistics unit");
    assert_eq!(now.fields, ["reference"]);
    assert_eq!(
        (now.address, now.recipient),
        (stats.address, stats.recipient)
    );
    let last = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        last.detail.contains("\"widened\":[]") && last.detail.contains("\"reauthenticated\":false"),
        "{}",
        last.detail
    );
    assert_eq!(audit(&app, "reauth.failed").await.len(), 3);
}

#[tokio::test]
async fn a_throttled_password_check_says_so_instead_of_blaming_the_password() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let recipient = new_recipient();
    let mut told = Vec::new();
    // The sign-in quota (per account, per minute) is shared with sign-in itself; keep
    // trying until it runs out, which must happen within a few attempts.
    for _ in 0..10 {
        let page = edit(
            &mut admin,
            SLUG,
            "/new-partner",
            &census_office(&recipient, &[("current_password", "wrong guess")]),
        )
        .await;
        let body = refused(&page);
        let throttled = body.contains("Too many password attempts");
        assert_ne!(
            throttled,
            body.contains("Your password is not right"),
            "{body}"
        );
        told.push(throttled);
        if throttled {
            break;
        }
    }
    assert_eq!(
        told.last(),
        Some(&true),
        "the throttle never applied: {told:?}"
    );
    assert!(told.iter().filter(|t| !**t).count() >= 1, "{told:?}");

    // The right password does not get past the throttle either, and is not blamed.
    let page = edit(
        &mut admin,
        SLUG,
        "/new-partner",
        &census_office(&recipient, &[]),
    )
    .await;
    let body = refused(&page);
    assert!(body.contains("Too many password attempts"), "{body}");
    assert!(!body.contains("Your password is not right"), "{body}");
    assert!(partner(&app, "census").await.is_none());
    assert!(
        audit(&app, "reauth.failed")
            .await
            .iter()
            .any(|e| e.outcome == "throttled")
    );
}

#[tokio::test]
async fn removing_a_partner_stops_sharing_with_it_and_is_audited() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    saved(&edit(&mut admin, SLUG, "/partners/resettlement-ngo/remove", &[]).await);
    let keys: Vec<String> = partners_of(&app).await.into_iter().map(|p| p.key).collect();
    assert_eq!(keys, ["statistics"]);
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let listed = html_unescape(&agent.get(&format!("/console/p/{SLUG}/partners")).await.body);
    assert!(!listed.contains("Resettlement NGO"), "{listed}");
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        entry.detail.contains("\"change\":\"partners\"")
            && entry.detail.contains("\"partner\":\"resettlement-ngo\"")
            && entry.detail.contains("\"removed\":true"),
        "{}",
        entry.detail
    );
    // A partner that is not there cannot be removed or opened.
    let page = edit(&mut admin, SLUG, "/partners/resettlement-ngo/remove", &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin
            .get(&format!("{}/partners/resettlement-ngo", page_of(SLUG)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_referral_settings_are_edited_on_the_partners_page() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let overview = html_unescape(&admin.get(&format!("{}/partners", page_of(SLUG))).await.body);
    // Only single checkboxes can record consent.
    let at = overview.find("name=\"consent_field\"").unwrap();
    let select = &overview[at..at + overview[at..].find("</select>").unwrap()];
    assert!(
        select.contains("value=\"consent_partners\" selected"),
        "{select}"
    );
    assert!(!select.contains("value=\"full_name\""), "{select}");

    // Bases and the inbox notice change without a password while consent stays.
    saved(
        &edit(
            &mut admin,
            SLUG,
            "/referrals",
            &[
                (
                    "bases",
                    "Consent of the person\r\n\r\n  Legal obligation  \r\n",
                ),
                ("consent_field", "consent_partners"),
            ],
        )
        .await,
    );
    let settings = haven::programme::Programme::parse(&exported(&app, SLUG).await)
        .unwrap()
        .file()
        .referrals
        .clone();
    assert_eq!(
        settings.bases,
        ["Consent of the person", "Legal obligation"]
    );
    assert_eq!(settings.consent_field.as_deref(), Some("consent_partners"));
    assert!(!settings.show_in_inbox);

    // With partners, the bases cannot be emptied; the typed settings are kept.
    let page = edit(
        &mut admin,
        SLUG,
        "/referrals",
        &[
            ("bases", ""),
            ("consent_field", "consent_partners"),
            ("show_in_inbox", "yes"),
        ],
    )
    .await;
    let body = refused(&page);
    assert!(
        body.contains("The referral settings, the reasons for a referral: list the reasons"),
        "{body}"
    );
    assert!(
        body.contains("id=\"show_in_inbox\" name=\"show_in_inbox\" value=\"yes\" checked"),
        "{body}"
    );

    // Dropping the consent requirement weakens what protects people: password first.
    let drop = |password: &'static str| {
        vec![
            ("bases", "Consent of the person"),
            ("consent_field", ""),
            ("show_in_inbox", "yes"),
            ("current_password", password),
        ]
    };
    let body = refused(&edit(&mut admin, SLUG, "/referrals", &drop("nope")).await);
    assert!(body.contains("Your password is not right"), "{body}");
    assert!(
        exported(&app, SLUG)
            .await
            .contains("consent_field = \"consent_partners\"")
    );
    saved(&edit(&mut admin, SLUG, "/referrals", &drop(PASSWORD)).await);
    let text = exported(&app, SLUG).await;
    assert!(!text.contains("consent_field"), "{text}");
    assert!(text.contains("show_in_inbox = true"), "{text}");
    let entry = audit(&app, "programme.update")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        entry.detail.contains("\"change\":\"referrals\"")
            && entry.detail.contains("\"referrals.consent_field\"")
            && entry.detail.contains("\"reauthenticated\":true"),
        "{}",
        entry.detail
    );
}

#[tokio::test]
async fn partner_pages_do_not_exist_for_agents_supervisors_or_another_programmes_admin() {
    let app = spawn_app().await;
    let other = EXAMPLE.replace(SLUG, "sudan-2026");
    apply(&app.store, &app.config, &other).await;
    let before = version_of(&app, SLUG).await;
    let mut strangers: Vec<Staff> = vec![
        signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await,
        signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await,
        signed_in(
            &app,
            "other@example.org",
            ProgrammeRole::Admin,
            Some("sudan-2026"),
        )
        .await,
    ];
    let base = page_of(SLUG);
    for staff in &mut strangers {
        for path in [
            format!("{base}/new-partner"),
            format!("{base}/partners/statistics"),
        ] {
            assert_eq!(
                staff.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{} {path}",
                staff.email
            );
        }
        let own = staff.get("/console").await;
        let token = extract_input(&own.body, "csrf").unwrap();
        for path in [
            format!("{base}/new-partner"),
            format!("{base}/partners/statistics"),
            format!("{base}/partners/statistics/remove"),
            format!("{base}/referrals"),
        ] {
            let res = staff
                .post_raw(
                    &path,
                    &[
                        ("csrf", token.clone()),
                        ("version", before.to_string()),
                        ("key", "census".into()),
                        ("name", "Census".into()),
                        ("address", "a@census.example".into()),
                        ("recipient", new_recipient()),
                        ("fields", "reference".into()),
                        ("bases", "x".into()),
                        ("current_password", PASSWORD.into()),
                    ],
                )
                .await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{} {path}", staff.email);
        }
    }
    // The programme's own admin may.
    let mut own = signed_in(&app, "padmin@example.org", ProgrammeRole::Admin, Some(SLUG)).await;
    assert_eq!(
        own.get(&format!("{base}/partners/statistics")).await.status,
        StatusCode::OK
    );
    assert_eq!(version_of(&app, SLUG).await, before);
    assert_eq!(partners_of(&app).await.len(), 2);
}

#[tokio::test]
async fn a_partner_change_without_the_page_token_is_refused() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let before = version_of(&app, SLUG).await;
    let base = page_of(SLUG);
    for path in [
        format!("{base}/new-partner"),
        format!("{base}/partners/statistics"),
        format!("{base}/partners/statistics/remove"),
        format!("{base}/referrals"),
    ] {
        let res = admin
            .post_raw(
                &path,
                &[
                    ("csrf", "forged".into()),
                    ("version", before.to_string()),
                    ("key", "census".into()),
                    ("name", "Census".into()),
                    ("address", "a@census.example".into()),
                    ("recipient", new_recipient()),
                    ("fields", "reference".into()),
                    ("bases", "x".into()),
                    ("current_password", PASSWORD.into()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(version_of(&app, SLUG).await, before);
    assert!(audit(&app, "programme.update").await.is_empty());
}

#[tokio::test]
async fn partner_pages_render_in_every_shipped_language() {
    let app = spawn_app().await;
    let mut admin = admin(&app).await;
    let base = page_of(SLUG);
    for (tag, dir) in [
        ("en", "ltr"),
        ("fr", "ltr"),
        ("fa-AF", "rtl"),
        ("ps", "rtl"),
        ("uk", "ltr"),
        ("ar", "rtl"),
    ] {
        for path in [
            format!("{base}/new-partner"),
            format!("{base}/partners/resettlement-ngo"),
            base.clone(),
        ] {
            let page = admin.get(&format!("{path}?lang={tag}")).await;
            assert_eq!(page.status, StatusCode::OK, "{path} in {tag}");
            assert!(
                page.body
                    .contains(&format!("<html lang=\"{tag}\" dir=\"{dir}\">"))
            );
            assert!(
                !page.body.contains("Unknown localization"),
                "{path} in {tag}"
            );
            assert!(
                !page.body.contains("pe-partner"),
                "{path} in {tag}: a missing text"
            );
        }
    }
}

#[tokio::test]
async fn a_first_partner_waits_for_the_referral_bases() {
    let app = spawn_app().await;
    let without = EXAMPLE[..EXAMPLE.find("[referrals]").unwrap()].replace(SLUG, "sudan-2026");
    apply(&app.store, &app.config, &without).await;
    let mut admin = admin(&app).await;
    let recipient = new_recipient();
    let body = refused(
        &edit(
            &mut admin,
            "sudan-2026",
            "/new-partner",
            &census_office(&recipient, &[]),
        )
        .await,
    );
    assert!(
        body.contains("First list the reasons or legal bases"),
        "{body}"
    );
    saved(
        &edit(
            &mut admin,
            "sudan-2026",
            "/referrals",
            &[("bases", "Consent of the person")],
        )
        .await,
    );
    saved(
        &edit(
            &mut admin,
            "sudan-2026",
            "/new-partner",
            &census_office(&recipient, &[]),
        )
        .await,
    );
    let text = exported(&app, "sudan-2026").await;
    assert!(text.contains("[[partners]]\nkey = \"census\""), "{text}");
}
