//! Changes that widen who can read a programme's data (issue 17, item 1): every path
//! that saves a programme — each editor section, the TOML page, cloning and `haven
//! programme apply` — runs the same classifier; a widening change asks for the password
//! again (on the command line: `--as` an instance admin, the password on stdin), escrow
//! and `[staff]` are for instance admins only on the web, and the audit entry names
//! each widened item. Through real HTTP and the real binary.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, Settings, TestApp, html_unescape, spawn_with};
use crate::programmes::{admin, audit, cli, exported, page_of, saved, version_of};
use crate::staff::{PASSWORD, Staff, add_user, signed_in};

/// The example's resettlement NGO: its address and age key.
const NGO_KEY: &str = "age1r7rmakd5jx63ztn783fl25uuenwz8243k9g09mrpptpcllmlwqdscd9mad";
const NGO_ADDRESS: &str = "referrals@ngo.example";

/// A Haven where re-authentication is not throttled within a test's few attempts.
async fn roomy() -> TestApp {
    spawn_with(Settings {
        config_file: Some("[rate_limits]\nsignin_attempts_per_account_per_minute = 100\n".into()),
        ..Default::default()
    })
    .await
}

fn attacker_key() -> String {
    age::x25519::Identity::generate().to_public().to_string()
}

/// What the review posted: an escrow key of the attacker's, the NGO partner's address
/// and key replaced by the attacker's, and agents' second factor turned off.
fn the_reviews_change(current: &str, attacker: &str) -> String {
    assert!(current.contains(NGO_ADDRESS) && current.contains(NGO_KEY));
    let changed = current
        .replacen(
            "retention_days = 365\n",
            &format!("retention_days = 365\nescrow = \"{attacker}\"\n"),
            1,
        )
        .replace(NGO_ADDRESS, "mine@attacker.example")
        .replace(NGO_KEY, attacker);
    let changed = format!("{changed}\n[staff]\nagents_require_two_factor = false\n");
    haven::programme::Programme::parse(&changed).expect("the review's file is a valid programme");
    changed
}

/// The items the newest `programme.update` entry names as widened, and the entry.
async fn last_update(app: &TestApp) -> (Vec<String>, haven::audit::Record) {
    let entry = audit(app, "programme.update")
        .await
        .into_iter()
        .next()
        .expect("a programme.update entry");
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).expect("JSON detail");
    let widened = detail["widened"]
        .as_array()
        .unwrap_or_else(|| panic!("no widened list: {}", entry.detail))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    (widened, entry)
}

/// Posts the TOML page as `staff`, with `extra` fields (a password).
async fn post_toml(
    staff: &mut Staff,
    version: i64,
    text: &str,
    extra: &[(&'static str, &str)],
) -> crate::staff::Page {
    let toml_page = format!("{}/toml", page_of(SLUG));
    let mut fields = vec![
        ("version", version.to_string()),
        ("definition", text.to_owned()),
    ];
    fields.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    staff.post(&toml_page, &toml_page, &fields).await
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
async fn a_programme_admin_cannot_widen_access_from_the_toml_page() {
    let app = roomy().await;
    let mut padmin = signed_in(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let before = exported(&app, SLUG).await;
    let version = version_of(&app, SLUG).await;
    let attacker = attacker_key();
    let change = the_reviews_change(&before, &attacker);

    // The review's exact request: one POST, no password.
    let body = refused(&post_toml(&mut padmin, version, &change, &[]).await);
    for item in ["escrow", "staff.agents_require_two_factor"] {
        assert!(body.contains(item), "{item}: {body}");
    }
    assert_eq!(exported(&app, SLUG).await, before, "nothing changed");
    assert_eq!(version_of(&app, SLUG).await, version);
    assert!(audit(&app, "programme.update").await.is_empty());

    // Their password does not help: escrow and staff settings are an instance admin's.
    let body = refused(
        &post_toml(
            &mut padmin,
            version,
            &change,
            &[("current_password", PASSWORD)],
        )
        .await,
    );
    assert!(body.contains("instance admin"), "{body}");
    assert_eq!(exported(&app, SLUG).await, before);

    // The partner part alone is theirs to change, after the password.
    let partner_only = before
        .replace(NGO_ADDRESS, "mine@attacker.example")
        .replace(NGO_KEY, &attacker);
    let body = refused(&post_toml(&mut padmin, version, &partner_only, &[]).await);
    for item in [
        "partners.resettlement-ngo.address",
        "partners.resettlement-ngo.recipient",
    ] {
        assert!(body.contains(item), "{item}: {body}");
    }
    assert_eq!(exported(&app, SLUG).await, before);
    let res = post_toml(
        &mut padmin,
        version,
        &partner_only,
        &[("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let (widened, entry) = last_update(&app).await;
    assert_eq!(
        widened,
        [
            "partners.resettlement-ngo.address",
            "partners.resettlement-ngo.recipient"
        ]
    );
    assert_eq!(entry.actor, format!("user:{}", padmin.id));
    assert!(entry.detail.contains("\"reauthenticated\":true"));
}

#[tokio::test]
async fn an_instance_admin_widens_access_only_with_the_password_and_the_audit_names_each_item() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let before = exported(&app, SLUG).await;
    let version = version_of(&app, SLUG).await;
    let attacker = attacker_key();
    let change = the_reviews_change(&before, &attacker);

    // Without the password: a page that names what would widen and asks for it.
    let body = refused(&post_toml(&mut admin, version, &change, &[]).await);
    for item in [
        "escrow",
        "partners.resettlement-ngo.address",
        "partners.resettlement-ngo.recipient",
        "staff.agents_require_two_factor",
    ] {
        assert!(body.contains(item), "{item}: {body}");
    }
    assert!(body.contains("name=\"current_password\""), "{body}");
    assert_eq!(exported(&app, SLUG).await, before);
    // A wrong one is refused and audited.
    let body = refused(
        &post_toml(
            &mut admin,
            version,
            &change,
            &[("current_password", "not my password")],
        )
        .await,
    );
    assert!(body.contains("Your password is not right"), "{body}");
    assert_eq!(exported(&app, SLUG).await, before);
    assert_eq!(audit(&app, "reauth.failed").await.len(), 1);

    let res = post_toml(
        &mut admin,
        version,
        &change,
        &[("current_password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let now = haven::programme::Programme::parse(&exported(&app, SLUG).await).unwrap();
    assert_eq!(now.file().escrow.as_deref(), Some(attacker.as_str()));
    assert!(!now.file().staff.agents_require_two_factor);
    let (widened, entry) = last_update(&app).await;
    assert_eq!(
        widened,
        [
            "escrow",
            "partners.resettlement-ngo.address",
            "partners.resettlement-ngo.recipient",
            "staff.agents_require_two_factor",
        ]
    );
    assert_eq!(entry.actor, format!("user:{}", admin.id));
    assert!(entry.detail.contains("\"reauthenticated\":true"));
}

/// `haven programme apply` with `stdin` as standard input.
fn apply_with_stdin(app: &TestApp, args: &[&str], stdin: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run haven");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test]
async fn programme_apply_refuses_a_widening_change_unless_an_instance_admin_confirms_it() {
    let app = roomy().await;
    let before = exported(&app, SLUG).await;
    let attacker = attacker_key();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("programme.toml");
    std::fs::write(&file, the_reviews_change(&before, &attacker)).unwrap();
    let file = file.to_str().unwrap();

    let (code, out) = cli(&app, &["programme", "apply", file]);
    assert_eq!(code, Some(1), "{out}");
    for item in [
        "escrow",
        "partners.resettlement-ngo.address",
        "partners.resettlement-ngo.recipient",
        "staff.agents_require_two_factor",
        "--as",
    ] {
        assert!(out.contains(item), "{item}: {out}");
    }
    assert_eq!(exported(&app, SLUG).await, before, "nothing changed");

    // Only an instance admin's account, with its password, confirms it.
    add_user(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let admin_id = add_user(&app, "admin@example.org", Admin, None).await;
    for (who, password) in [
        ("padmin@example.org", PASSWORD),
        ("admin@example.org", "not my password"),
        ("nobody@example.org", PASSWORD),
    ] {
        let (code, out) = apply_with_stdin(
            &app,
            &["programme", "apply", "--as", who, file],
            &format!("{password}\n"),
        );
        assert_eq!(code, Some(1), "{who}: {out}");
        assert_eq!(exported(&app, SLUG).await, before, "{who}");
    }
    assert!(!audit(&app, "reauth.failed").await.is_empty());

    let (code, out) = apply_with_stdin(
        &app,
        &["programme", "apply", "--as", "admin@example.org", file],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("updated afghanistan-2021"), "{out}");
    let (widened, entry) = last_update(&app).await;
    assert_eq!(
        widened,
        [
            "escrow",
            "partners.resettlement-ngo.address",
            "partners.resettlement-ngo.recipient",
            "staff.agents_require_two_factor",
        ]
    );
    assert_eq!(entry.actor, format!("user:{admin_id}"));
    assert!(entry.detail.contains("\"via\":\"cli\""), "{}", entry.detail);

    // A change that widens nothing needs no one's password.
    let narrower =
        exported(&app, SLUG)
            .await
            .replacen("retention_days = 365", "retention_days = 200", 1);
    std::fs::write(file, &narrower).unwrap();
    let (code, out) = cli(&app, &["programme", "apply", file]);
    assert_eq!(code, Some(0), "{out}");
    let (widened, entry) = last_update(&app).await;
    assert!(widened.is_empty());
    assert_eq!(entry.actor, "cli");
}

// ── Each section of the editor ───────────────────────────────────────────────

/// The fields a browser would post from the form whose `action` is `action` on `page`:
/// inputs with a value (tick boxes and radios only when checked), text areas, and the
/// selected option of each select.
pub(crate) fn form_fields(page: &str, action: &str) -> Vec<(String, String)> {
    let at = page
        .find(&format!("action=\"{action}\""))
        .unwrap_or_else(|| panic!("no form posting to {action}: {page}"));
    let form = &page[at..at + page[at..].find("</form>").expect("form end")];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')?;
        Some(html_unescape(&tag[start..start + end]))
    };
    let has = |tag: &str, name: &str| {
        tag.split(|c: char| c.is_whitespace() || c == '>')
            .any(|w| w == name)
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = attr(tag, "name")
                && (!matches!(kind.as_str(), "checkbox" | "radio") || has(tag, "checked"))
            {
                out.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            let body_end = rest.find("</textarea>").expect("textarea end");
            if let Some(name) = attr(tag, "name") {
                out.push((name, html_unescape(&rest[end + 1..body_end])));
            }
        } else if tag.starts_with("<select") {
            let select_end = rest.find("</select>").expect("select end");
            let options = &rest[..select_end];
            if let Some(name) = attr(tag, "name") {
                let mut chosen = None;
                for option in options.split("<option").skip(1) {
                    let option_tag = &option[..option.find('>').unwrap_or(option.len())];
                    if has(option_tag, "selected") {
                        chosen = attr(&format!(" {option_tag}"), "value");
                    }
                }
                out.push((name, chosen.unwrap_or_default()));
            }
        }
        rest = &rest[1..];
    }
    out
}

pub(crate) fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
}

/// Opens `page`, changes its form (posting to `action`) with `change`, and posts it.
pub(crate) async fn change_form(
    staff: &mut Staff,
    page: &str,
    action: &str,
    change: impl FnOnce(&mut Vec<(String, String)>),
) -> crate::staff::Page {
    let shown = staff.get(page).await;
    assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
    let mut fields = form_fields(&shown.body, action);
    change(&mut fields);
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    staff.post_raw(action, &fields).await
}

/// A change to a form's fields.
type Change = Box<dyn FnOnce(&mut Vec<(String, String)>)>;

#[tokio::test]
async fn every_editor_section_asks_the_password_for_what_widens_and_names_it() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let base = page_of(SLUG);
    let field_page = format!("{base}/fields/full_name");
    let stats_page = format!("{base}/partners/statistics");
    let cases: Vec<(&str, String, String, Change)> = vec![
        (
            "outbound.email",
            format!("{base}/general"),
            format!("{base}/general"),
            Box::new(|f| set(f, "email", "full")),
        ),
        (
            "languages.uk",
            format!("{base}/general"),
            format!("{base}/general"),
            Box::new(|f| f.push(("languages".into(), "uk".into()))),
        ),
        (
            // A question whose answers leave for a partner is reworded.
            "fields.full_name",
            field_page.clone(),
            field_page.clone(),
            Box::new(|f| set(f, "label.en", "Full name and every other name you use")),
        ),
        (
            "referrals.consent_field",
            format!("{base}/partners"),
            format!("{base}/referrals"),
            Box::new(|f| set(f, "consent_field", "")),
        ),
        (
            "partners.statistics.address",
            stats_page.clone(),
            stats_page.clone(),
            Box::new(|f| set(f, "address", "other@partner.example")),
        ),
    ];
    for (item, page, action, change) in cases {
        let before = exported(&app, SLUG).await;
        let res = change_form(&mut admin, &page, &action, change).await;
        let body = refused(&res);
        assert!(body.contains(item), "{item}: {body}");
        assert_eq!(
            exported(&app, SLUG).await,
            before,
            "{item}: nothing changed"
        );

        // The confirmation page carries the change; with the password it is saved.
        let mut again = form_fields(&res.body, &action);
        set(&mut again, "current_password", PASSWORD);
        let again: Vec<(&str, String)> =
            again.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        saved(&admin.post_raw(&action, &again).await);
        assert_ne!(exported(&app, SLUG).await, before, "{item}: saved");
        let (widened, entry) = last_update(&app).await;
        assert_eq!(widened, [item], "{}", entry.detail);
        assert!(entry.detail.contains("\"reauthenticated\":true"));
    }

    // What widens nothing saves without a password: a queue renamed, a field added.
    let queue_page = format!("{base}/queues/general");
    saved(
        &change_form(&mut admin, &queue_page, &queue_page, |f| {
            set(f, "name.en", "Everything else")
        })
        .await,
    );
    let (widened, entry) = last_update(&app).await;
    assert!(widened.is_empty(), "{}", entry.detail);
    assert!(entry.detail.contains("\"reauthenticated\":false"));
}

#[tokio::test]
async fn a_programme_admin_cannot_turn_off_agents_second_factor_from_any_page() {
    let app = roomy().await;
    let mut padmin = signed_in(&app, "padmin@example.org", Admin, Some(SLUG)).await;
    let before = exported(&app, SLUG).await;
    let relaxed = format!("{before}\n[staff]\nagents_require_two_factor = false\n");
    let version = version_of(&app, SLUG).await;
    let body = refused(
        &post_toml(
            &mut padmin,
            version,
            &relaxed,
            &[("current_password", PASSWORD)],
        )
        .await,
    );
    assert!(body.contains("staff.agents_require_two_factor"), "{body}");
    assert_eq!(exported(&app, SLUG).await, before);
}

#[tokio::test]
async fn a_clone_is_checked_too_and_its_audit_entry_names_what_it_shares() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let res = admin
        .post(
            "/admin/programmes",
            "/admin/programmes",
            &[
                ("from", SLUG.to_owned()),
                ("slug", "sudan-2026".to_owned()),
                ("title", String::new()),
                ("language", "en".to_owned()),
                ("current_password", PASSWORD.to_owned()),
            ],
        )
        .await;
    // What the copy would share is listed first, and comes along only when ticked.
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut fields = form_fields(&res.body, "/admin/programmes");
    for partner in ["partners.statistics", "partners.resettlement-ngo"] {
        fields.push(("keep".into(), partner.into()));
    }
    set(&mut fields, "current_password", PASSWORD);
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    let res = admin.post_raw("/admin/programmes", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let entry = audit(&app, "programme.create")
        .await
        .into_iter()
        .next()
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    let widened: Vec<&str> = detail["widened"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", entry.detail))
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for item in ["partners.statistics", "partners.resettlement-ngo"] {
        assert!(widened.contains(&item), "{item}: {}", entry.detail);
    }
    assert!(entry.detail.contains("\"reauthenticated\":true"));
}

/// Queue names are for staff, whose console may be in a language the programme's form
/// is not offered in (the example names its queues in Ukrainian and Arabic too): the
/// editor shows every shipped language and renaming in English keeps the others.
#[tokio::test]
async fn renaming_a_queue_keeps_its_names_in_languages_the_form_is_not_offered_in() {
    let app = roomy().await;
    let mut admin = admin(&app).await;
    let page = format!("{}/queues/general", page_of(SLUG));
    let before = exported(&app, SLUG).await;
    assert!(before.contains("Загальні звернення"), "{before}");
    let shown = admin.get(&page).await;
    assert!(shown.body.contains("name=\"name.ar\""), "an Arabic field");
    saved(
        &change_form(&mut admin, &page, &page, |f| {
            set(f, "name.en", "Everything else")
        })
        .await,
    );
    let after = exported(&app, SLUG).await;
    assert!(after.contains("Everything else"), "{after}");
    for kept in ["Загальні звернення", "طلبات عامة"] {
        assert!(after.contains(kept), "{kept} kept: {after}");
    }
}
