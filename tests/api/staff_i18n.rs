//! Every staff and admin page in every shipped language: a staff member picks a
//! language once with the switch and every page after that is in it, right to left
//! where the language is, with no missing-translation marker and none of Haven's
//! English wording left over (texts from the programme file stay as it wrote them).

use haven::casework::ProgrammeRole::*;
use haven::domain::Language;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, TestApp, extract_input, html_unescape, spawn_with};
use crate::staff::{PASSWORD, Page, Staff, add_user, signed_in, submit_enquiry};

/// Every staff member in this story signs in several times within a minute.
const GENEROUS_LIMITS: &str = "[rate_limits]
signin_attempts_per_account_per_minute = 1000
signin_attempts_per_client_per_minute = 1000
requests_per_client_per_minute = 100000
";

async fn haven() -> TestApp {
    spawn_with(Settings {
        config_file: Some(GENEROUS_LIMITS.into()),
        ..Default::default()
    })
    .await
}

/// The staff wording in English, read from the shipped file: every message of the
/// console's block without arguments and long enough not to be a programme's word.
fn english_sentences() -> Vec<(String, String)> {
    let text = include_str!("../../locales/en/haven.ftl");
    let block = text
        .split("## Staff console and administration")
        .nth(1)
        .expect("the English file has the console block");
    block
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(_, v)| !v.contains('{') && v.split(' ').count() >= 3)
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// What must hold for every page in `lang`.
fn assert_in_language(lang: Language, what: &str, page: &Page) {
    assert_eq!(
        page.status,
        StatusCode::OK,
        "{what} in {}: {}",
        lang.tag(),
        page.body
    );
    let opening = format!(r#"<html lang="{}" dir="{}">"#, lang.tag(), lang.dir());
    assert!(
        page.body.contains(&opening),
        "{what} in {}: no {opening}",
        lang.tag()
    );
    let body = html_unescape(&page.body);
    for marker in ["Unknown localization", "{$", "{???}"] {
        assert!(
            !body.contains(marker),
            "{what} in {}: missing-translation marker {marker:?}",
            lang.tag()
        );
    }
    if lang == Language::En {
        return;
    }
    for (key, english) in english_sentences() {
        // A language may rightly use the same words (a product name, say).
        if haven::i18n::t(lang, &key) == english {
            continue;
        }
        assert!(
            !body.contains(&english),
            "{what} in {}: English left over ({key}: {english:?})",
            lang.tag()
        );
    }
}

/// Password step for `who` with the language switch; returns the next step's path.
async fn password_step(who: &mut Staff, lang: Language) -> String {
    let path = format!("/console/sign-in?lang={}", lang.tag());
    let form = who.get(&path).await;
    assert_in_language(lang, "sign-in", &form);
    let token = extract_input(&form.body, "csrf").unwrap();
    let next = who
        .post_raw(
            &path,
            &[
                ("csrf", token),
                ("email", who.email.clone()),
                ("password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.body);
    next.location.expect("the next step")
}

#[tokio::test]
async fn every_staff_page_is_in_the_chosen_language_in_every_shipped_language() {
    let app = haven().await;
    let admin_id = add_user(&app, "admin@example.org", Admin, None).await;
    let mut supervisor = signed_in(&app, "sup@example.org", Supervisor, Some(SLUG)).await;
    let (enquiry, _) = submit_enquiry(&app, SLUG).await;
    let note = format!("/console/e/{enquiry}");
    supervisor
        .post(
            &note,
            &format!("{note}/note"),
            &[("text", "First call done".into())],
        )
        .await;
    let created = supervisor
        .post(
            &format!("/console/p/{SLUG}/campaigns"),
            &format!("/console/p/{SLUG}/campaigns"),
            &[
                ("template", "acknowledgement".into()),
                ("queue", String::new()),
                ("status", String::new()),
                ("language", String::new()),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let campaign = created.location.unwrap();
    let campaign = campaign.split('?').next().unwrap().to_owned();
    let queue = app.store.enquiry(&enquiry).await.unwrap().unwrap().queue;

    let mut admin = Staff::new(&app, "admin@example.org", &admin_id);
    admin.sign_in().await;

    for lang in Language::ALL {
        // Sign-in steps: the switch is carried from one step to the next.
        let mut newcomer = Staff::new(
            &app,
            &format!("new-{}@example.org", lang.tag().to_lowercase()),
            &add_user(
                &app,
                &format!("new-{}@example.org", lang.tag().to_lowercase()),
                Agent,
                Some(SLUG),
            )
            .await,
        );
        let enrol = password_step(&mut newcomer, lang).await;
        assert_eq!(enrol, format!("/console/enrol?lang={}", lang.tag()));
        let form = newcomer.get(&enrol).await;
        assert_in_language(lang, "enrolment", &form);
        let secret = extract_input(&form.body, "secret").unwrap();
        let bytes = totp_rs::Secret::Encoded(secret.clone()).to_bytes().unwrap();
        let code = haven::auth::totp::code_at(
            &haven::auth::totp::TotpSecret::from_bytes(bytes),
            haven::store::now(),
        );
        let codes = newcomer
            .post_raw(
                &enrol,
                &[
                    ("csrf", extract_input(&form.body, "csrf").unwrap()),
                    ("secret", secret),
                    (
                        "secret_mac",
                        extract_input(&form.body, "secret_mac").unwrap(),
                    ),
                    ("code", code),
                ],
            )
            .await;
        assert_in_language(lang, "recovery codes", &codes);

        let mut second_browser = Staff::new(&app, "admin@example.org", &admin_id);
        let step = password_step(&mut second_browser, lang).await;
        assert_eq!(step, format!("/console/sign-in/code?lang={}", lang.tag()));
        assert_in_language(lang, "code step", &second_browser.get(&step).await);

        // Signed in: chosen once, remembered for every page after.
        let home = admin.get(&format!("/console?lang={}", lang.tag())).await;
        assert_in_language(lang, "console home", &home);
        for path in [
            "/console".to_owned(),
            format!("/console/p/{SLUG}"),
            format!("/console/p/{SLUG}/q/{queue}"),
            format!("/console/p/{SLUG}/q/{queue}?status=all"),
            format!("/console/e/{enquiry}"),
            format!("/console/e/{enquiry}?template=acknowledgement"),
            format!("/console/p/{SLUG}/templates"),
            format!("/console/p/{SLUG}/campaigns"),
            campaign.clone(),
            "/console/account".to_owned(),
            "/admin/users".to_owned(),
            "/admin/audit".to_owned(),
            format!("/admin/programmes/{SLUG}/archive"),
            format!("/admin/programmes/{SLUG}/keys"),
        ] {
            assert_in_language(lang, &path, &admin.get(&path).await);
        }
        // Pages that answer a form.
        let mut not_found = admin
            .post(
                "/console",
                "/console/search",
                &[("reference", "NOPE".into())],
            )
            .await;
        assert_eq!(not_found.status, StatusCode::NOT_FOUND);
        not_found.status = StatusCode::OK;
        assert_in_language(lang, "failed search", &not_found);
        let mut refused = admin
            .post(
                &note,
                &format!("{note}/reply"),
                &[("subject", "Hello".into()), ("text", String::new())],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        refused.status = StatusCode::OK;
        assert_in_language(lang, "reply not sent", &refused);
        let mut wrong = admin
            .post(
                "/admin/users",
                "/admin/users",
                &[
                    ("email", "someone@example.org".into()),
                    ("role", "agent".into()),
                    ("programme", SLUG.into()),
                    ("password", "short".into()),
                    ("current_password", "not my password".into()),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        wrong.status = StatusCode::OK;
        assert_in_language(lang, "users with an error", &wrong);
    }
}

#[tokio::test]
async fn accept_language_is_the_first_guess_and_the_switch_wins_and_is_remembered() {
    let app = haven().await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let res = agent
        .client
        .get(format!("{}/console", agent.base))
        .header(
            "cookie",
            format!("__Host-haven={}", agent.cookie.clone().unwrap()),
        )
        .header("accept-language", "uk-UA,uk;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"<html lang="uk" dir="ltr">"#), "{body}");
    assert!(body.contains("Черги"));

    let chosen = agent.get("/console?lang=ps").await;
    assert!(chosen.body.contains(r#"<html lang="ps" dir="rtl">"#));
    // The choice outlives the browser's guess and the session.
    let res = agent
        .client
        .get(format!("{}/console/account", agent.base))
        .header(
            "cookie",
            format!("__Host-haven={}", agent.cookie.clone().unwrap()),
        )
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert!(
        res.text()
            .await
            .unwrap()
            .contains(r#"<html lang="ps" dir="rtl">"#)
    );
    let out = agent.post("/console", "/console/sign-out", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/console/sign-in?lang=ps"));
    let sign_in = agent.get("/console/sign-in?lang=ps").await;
    assert!(sign_in.body.contains(r#"<html lang="ps" dir="rtl">"#));
    agent.pretend_time_passed().await;
    agent.sign_in().await;
    assert!(
        agent
            .get("/console")
            .await
            .body
            .contains(r#"<html lang="ps" dir="rtl">"#)
    );
    // Error pages follow the choice too.
    let missing = agent
        .get("/console/e/0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.body.contains(r#"<html lang="ps" dir="rtl">"#),
        "{}",
        missing.body
    );
    // An unknown tag is not a choice.
    assert!(
        agent
            .get("/console?lang=xx")
            .await
            .body
            .contains(r#"<html lang="ps" dir="rtl">"#)
    );
}
