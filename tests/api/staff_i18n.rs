//! Every staff and admin page in every shipped language: a staff member picks a
//! language once with the switch and every page after that is in it, right to left
//! where the language is, with no missing-translation marker and none of Haven's
//! English wording left over (texts from the programme file stay as it wrote them).

use std::collections::BTreeSet;

use haven::casework::ProgrammeRole::*;
use haven::domain::Language;
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, extract_input, html_unescape, spawn_with, valid_answers,
};
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
    // In each file, everything after its "Staff console and administration" heading.
    let files = ftl_files(Language::En);
    let blocks: Vec<&str> = files
        .iter()
        .filter_map(|t| t.split_once("## Staff console and administration"))
        .map(|(_, block)| block)
        .collect();
    assert!(
        !blocks.is_empty(),
        "the English files have the console block"
    );
    blocks
        .into_iter()
        .flat_map(str::lines)
        .filter_map(|l| l.split_once(" = "))
        .filter(|(_, v)| !v.contains('{') && v.split(' ').count() >= 3)
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

const AUDIT_OUTCOMES: &[&str] = &["denied", "failed", "alert"];

/// What this story types into the console, shown back on its pages as typed.
/// (`test` is the actor the helpers' set-up writes in the audit log.)
const TYPED: &[&str] = &["First call done", "Hello", "test"];

/// Words of at least three letters, lower-cased, each once (a name with `_` is a
/// code, not a word).
fn words(text: &str) -> BTreeSet<String> {
    // Tokens with a digit or in capitals only are codes, not words: a random reference
    // code such as `DJ2X6-S3SEE-…` must not read as the English word "see".
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.chars().count() >= 3 && !w.contains('_'))
        .filter(|w| !w.chars().any(|c| c.is_numeric()))
        .filter(|w| !w.chars().all(|c| c.is_uppercase()))
        .map(str::to_lowercase)
        .collect()
}

/// The values of a Fluent file's messages, without their placeables.
fn ftl_values(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let value = match line.split_once(" = ") {
            Some((_, v)) if !line.starts_with(' ') => v,
            _ => line,
        };
        let mut depth = 0;
        for c in value.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

/// The strings of a programme file (its texts, names and values), without its keys
/// and comments, which are Haven's English and never shown as programme text.
fn toml_strings(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    for line in text.lines() {
        if !in_string && line.trim_start().starts_with('#') {
            continue;
        }
        for c in line.chars() {
            match c {
                '"' => {
                    in_string = !in_string;
                    out.push(' ');
                }
                '#' if !in_string => break,
                _ if in_string => out.push(c),
                _ => {}
            }
        }
        out.push('\n');
    }
    out
}

/// Every Fluent file of `lang`'s folder (features keep their texts in files of their
/// own; the loader reads them all).
fn ftl_files(lang: Language) -> Vec<String> {
    let dir = format!("{}/locales/{}", env!("CARGO_MANIFEST_DIR"), lang.tag());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("the language folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable ftl"))
        .collect()
}

fn ftl(lang: Language) -> String {
    ftl_files(lang).join("\n")
}

/// Words Haven's English wording uses that a page in `lang` has no reason to show:
/// not in `lang`'s own file (French shares many), not in the programme file (its
/// texts stay as written), not typed by this story, no language's own name. A
/// literal left in a template is English too, but only the .ftl check knows its
/// sentence; its words are caught here.
fn english_only_words(lang: Language) -> BTreeSet<String> {
    let mut allowed = words(&ftl_values(&ftl(lang)));
    allowed.extend(words(&toml_strings(EXAMPLE)));
    for (_, typed) in valid_answers() {
        allowed.extend(words(&typed));
    }
    for typed in TYPED {
        allowed.extend(words(typed));
    }
    for l in Language::ALL {
        allowed.extend(words(l.endonym()));
    }
    words(&ftl_values(&ftl(Language::En)))
        .difference(&allowed)
        .cloned()
        .collect()
}

/// What a person reads on a page: its text and the attributes read out or shown,
/// leaving out code, the TOML being edited, addresses and links.
fn readable_text(lang: Language, html: &str) -> String {
    // Content marked as being in another language (a template's preview in its own
    // language, the language switch) is not left over.
    let foreign = |tag: &str| {
        tag.split_once(" lang=\"")
            .and_then(|(_, v)| v.split('"').next())
            .is_some_and(|l| l != lang.tag())
    };
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "img", "input", "link", "meta", "hr", "wbr",
    ];
    const SKIP: &[&str] = &["code", "pre", "textarea", "script", "style"];
    let mut out = String::new();
    // Open elements, and whether their content is skipped.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        if !open.iter().any(|(_, skip)| *skip) {
            out.push_str(&rest[..start]);
            out.push(' ');
        }
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        if let Some(closing) = tag.strip_prefix('/') {
            let name = closing.trim().to_lowercase();
            if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_lowercase();
        for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push_str(value.split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        let skip = SKIP.contains(&name.as_str()) || tag.contains("class=\"code") || foreign(tag);
        open.push((name, skip));
    }
    if !open.iter().any(|(_, skip)| *skip) {
        out.push_str(rest);
    }
    html_unescape(&out)
        .split_whitespace()
        // Addresses, paths, keys and dotted names (audit actions) are codes.
        .filter(|w| !w.contains(['@', '/', '_']))
        .filter(|w| {
            !w.trim_end_matches(['.', ',', ':', ';', ')'])
                .contains(['.', ':'])
        })
        .collect::<Vec<_>>()
        .join(" ")
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
    let english = english_only_words(lang);
    let text = readable_text(lang, &page.body);
    let mut left: Vec<String> = words(&text).intersection(&english).cloned().collect();
    if what == "/admin/audit" {
        // The log's outcomes are its vocabulary, filtered on as stored, like its actions.
        left.retain(|w| !AUDIT_OUTCOMES.contains(&w.as_str()));
    }
    assert!(
        left.is_empty(),
        "{what} in {}: English words {left:?} in {text:?}",
        lang.tag()
    );
}

const NGO: &str = "resettlement-ngo";
const STATS: &str = "statistics";

/// `who` refers `enquiry` to `partner` on the example's first basis; the referral id.
async fn refer(who: &mut Staff, enquiry: &str, partner: &str, delivery: &str) -> String {
    let form = format!("/console/e/{enquiry}/refer?partner={partner}");
    let basis = EXAMPLE
        .split("bases = [")
        .nth(1)
        .and_then(|b| b.split('"').nth(1))
        .expect("the example has a basis")
        .to_owned();
    let done = who
        .post(
            &form,
            &format!("/console/e/{enquiry}/refer"),
            &[
                ("partner", partner.into()),
                ("basis", basis),
                ("delivery", delivery.into()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let location = done.location.expect("the referral's page");
    location
        .strip_prefix("/console/r/")
        .and_then(|r| r.split('?').next())
        .expect("a referral id")
        .to_owned()
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
    // One referral waiting for approval (personal data, to be downloaded) and one
    // whose message is queued: every state and delivery the pages name.
    let pending = refer(&mut supervisor, &enquiry, NGO, "download").await;
    let emailed = refer(&mut supervisor, &enquiry, STATS, "email").await;
    // And one Haven stops on sight: the partner's key is no longer the one it was
    // asked for.
    let stopped = refer(&mut supervisor, &enquiry, STATS, "download").await;
    haven::store::test_support::execute(
        &app.store,
        "UPDATE referrals SET partner_recipient = 'age1before' WHERE id = $1",
        &[(&stopped).into()],
    )
    .await
    .unwrap();

    let mut admin = Staff::new(&app, "admin@example.org", &admin_id);
    admin.sign_in().await;
    admin.acknowledge_rules(SLUG).await;
    // A programme admin's request waiting for an instance admin, and a draft that is
    // not ready to open (no Pashto title, nobody with a role).
    let mut lead = signed_in(&app, "lead@example.org", Admin, Some(SLUG)).await;
    let staff_page = format!("/admin/programmes/{SLUG}/staff");
    let asked = lead
        .post(
            &staff_page,
            &format!("{staff_page}/grant"),
            &[
                ("email", "sup@example.org".into()),
                ("role", "admin".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let draft = EXAMPLE
        .replacen(&format!("slug = \"{SLUG}\""), "slug = \"sudan-2026\"", 1)
        .replacen("status = \"open\"", "status = \"draft\"", 1)
        .replacen(
            "ps = \"افغانستان: له هېواده د وتلو او بیا مېشتېدو لپاره د مرستې غوښتنه\"\n",
            "",
            1,
        );
    crate::helpers::apply(&app.store, &app.config, &draft).await;

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
        let newcomer_rules = format!("/console/p/{SLUG}/rules");
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
        // Before their first look at the programme: its handling rules.
        let first = newcomer
            .get(&format!("/console/p/{SLUG}?lang={}", lang.tag()))
            .await;
        assert_eq!(first.location.as_deref(), Some(newcomer_rules.as_str()));
        assert_in_language(lang, "handling rules", &newcomer.get(&newcomer_rules).await);

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
            format!("/console/e/{enquiry}/refer"),
            format!("/console/e/{enquiry}/refer?partner={NGO}"),
            format!("/console/r/{pending}"),
            format!("/console/r/{emailed}"),
            format!("/console/r/{stopped}"),
            format!("/console/p/{SLUG}/partners"),
            format!("/console/p/{SLUG}/disclosures"),
            format!("/console/p/{SLUG}/import"),
            "/admin/programmes".to_owned(),
            format!("/admin/programmes/{SLUG}"),
            format!("/admin/programmes/{SLUG}/fields/help_category"),
            // With the warning that a pending referral would be stopped.
            format!("/admin/programmes/{SLUG}/partners/{NGO}"),
            format!("/admin/programmes/{SLUG}/queues/urgent"),
            format!("/admin/programmes/{SLUG}/rules/0"),
            format!("/admin/programmes/{SLUG}/new-rule"),
            format!("/admin/programmes/{SLUG}/templates/acknowledgement"),
            format!("/admin/programmes/{SLUG}/new-template"),
            format!("/admin/programmes/{SLUG}/toml"),
            format!("/admin/programmes/{SLUG}/general"),
            format!("/admin/programmes/{SLUG}/fields"),
            format!("/admin/programmes/{SLUG}/queues"),
            format!("/admin/programmes/{SLUG}/routing"),
            format!("/admin/programmes/{SLUG}/templates"),
            format!("/admin/programmes/{SLUG}/partners"),
            // With a request waiting for an instance admin.
            format!("/admin/programmes/{SLUG}/staff"),
            format!("/admin/programmes/{SLUG}/fields/5/remove"),
            format!("/admin/programmes/{SLUG}/queues/0/remove"),
            format!("/admin/programmes/{SLUG}/partners/{NGO}/remove"),
            // The checklist of a draft with something missing.
            "/admin/programmes/sudan-2026".to_owned(),
        ] {
            assert_in_language(lang, &path, &admin.get(&path).await);
        }
        // The requester sees their referral waiting for someone else.
        let waiting = supervisor
            .get(&format!("/console/r/{pending}?lang={}", lang.tag()))
            .await;
        assert_in_language(lang, "the requester's pending referral", &waiting);
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
        let mut unreferred = admin
            .post(
                &format!("/console/e/{enquiry}/refer?partner={NGO}"),
                &format!("/console/e/{enquiry}/refer"),
                &[
                    ("partner", NGO.into()),
                    ("basis", String::new()),
                    ("delivery", String::new()),
                ],
            )
            .await;
        assert_eq!(unreferred.status, StatusCode::UNPROCESSABLE_ENTITY);
        unreferred.status = StatusCode::OK;
        assert_in_language(lang, "referral not asked for", &unreferred);
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
        // Opening refused, naming what is missing.
        let mut not_ready = crate::programmes::edit(
            &mut admin,
            "sudan-2026",
            "/status",
            &[("to", "open"), ("current_password", PASSWORD)],
        )
        .await;
        assert_eq!(not_ready.status, StatusCode::UNPROCESSABLE_ENTITY);
        not_ready.status = StatusCode::OK;
        assert_in_language(lang, "opening refused", &not_ready);
        // A copy: what it would bring along, to keep or leave.
        let copy = admin
            .post(
                "/admin/programmes",
                "/admin/programmes",
                &[
                    ("from", SLUG.into()),
                    ("slug", "kabul-2027".into()),
                    ("title", String::new()),
                    ("language", "en".into()),
                    ("current_password", PASSWORD.into()),
                ],
            )
            .await;
        assert_in_language(lang, "what a copy brings along", &copy);
        // A change that widens access: the page asking for the password, naming it.
        let overview = format!("/admin/programmes/{SLUG}");
        let mut confirm = crate::widening::change_form(
            &mut admin,
            &format!("{overview}/partners"),
            &format!("{overview}/referrals"),
            |f| crate::widening::set(f, "consent_field", ""),
        )
        .await;
        assert_eq!(confirm.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(confirm.body.contains("referrals.consent_field"));
        confirm.status = StatusCode::OK;
        assert_in_language(lang, "a widening change to confirm", &confirm);
        // A field a partner receives keeps its kind.
        let field = format!("{overview}/fields/help_category");
        let mut kept = crate::widening::change_form(&mut admin, &field, &field, |f| {
            crate::widening::set(f, "kind", "select")
        })
        .await;
        assert_eq!(kept.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(kept.body.contains("help_category"));
        kept.status = StatusCode::OK;
        assert_in_language(lang, "a kind change refused", &kept);
    }
    // What the pages queued (a reply, an emailed referral) goes out, as the worker
    // would send it.
    app.run_pending_jobs().await;
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
