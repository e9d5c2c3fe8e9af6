//! Issue 17 item 13: what a writer of the database who is not the console (a stolen
//! public host) can no longer do. Programme states are signed by the console and
//! checked before the public role seals anything; a recipient, escrow key or form
//! swapped in the database makes the form "not available" instead.

use haven::programme::editing::{self, Author, Expect, SaveError};
use haven::store::test_support::{self, Arg};
use reqwest::StatusCode;

use crate::helpers::{
    EXAMPLE, SLUG, Settings, TestApp, apply, spawn_app, spawn_with, valid_answers,
};

/// A key of the attacker's own.
fn attacker() -> age::x25519::Identity {
    age::x25519::Identity::generate()
}

/// Submits with a token fetched before anything was tampered with (the form page
/// itself answers "not available" afterwards).
async fn submit_with(app: &TestApp, token: &str) -> (StatusCode, String) {
    let mut fields = valid_answers();
    fields.push(("csrf", token.to_owned()));
    let res = app.post_form(&format!("/p/{SLUG}"), &fields).await;
    let status = res.status();
    (status, res.text().await.unwrap())
}

async fn assert_not_available(app: &TestApp) {
    let res = app.get(&format!("/p/{SLUG}")).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let page = res.text().await.unwrap();
    assert!(page.contains("This form is not available"), "{page}");
}

async fn refused_count(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("haven_programme_states_refused_total "))
        .map(|v| v.trim().parse().unwrap())
        .expect("the metric is exported")
}

/// Every stored enquiry opens with the programme's own keys, none with `identity`.
async fn none_sealed_to(app: &TestApp, identity: &age::x25519::Identity) {
    let rows = test_support::fetch_all(&app.store, "SELECT ciphertext FROM enquiries", &[])
        .await
        .unwrap();
    for row in rows {
        let ciphertext: Vec<u8> = sqlx::Row::try_get(&row, "ciphertext").unwrap();
        assert!(
            age::decrypt(identity, &ciphertext).is_err(),
            "an enquiry was sealed to the attacker's key"
        );
    }
}

/// The example with its English title changed: a change that widens nothing.
fn retitled() -> String {
    let text = EXAMPLE.replacen(
        "en = \"Afghanistan: request",
        "en = \"Afghanistan (edited): request",
        1,
    );
    assert!(text != EXAMPLE, "the example has that title");
    text
}

async fn saves_as_apply(app: &TestApp, text: &str) -> Result<(), SaveError> {
    let signer = app.keyring().await.programme_signer();
    editing::save(
        &app.store,
        &signer,
        text,
        Expect::Any,
        Author::CommandLine { confirmed: None },
        serde_json::Map::new(),
    )
    .await
    .map(|_| ())
}

#[tokio::test]
async fn a_recipient_swapped_in_the_database_is_refused_and_nothing_is_sealed_to_it() {
    let app = spawn_app().await;
    let token = app.csrf_token(&format!("/p/{SLUG}")).await;
    let (status, page) = submit_with(&app, &token).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(refused_count(&app).await, 0);

    // What a public host's database account could do: point the current key at a
    // recipient of the attacker's own.
    let evil = attacker();
    let changed = test_support::execute(
        &app.store,
        "UPDATE programme_keys SET recipient = $1 \
         WHERE id = (SELECT current_key_id FROM programmes WHERE slug = $2)",
        &[Arg::from(evil.to_public().to_string()), Arg::from(SLUG)],
    )
    .await
    .unwrap();
    assert_eq!(changed, 1);
    app.refresh_programme(SLUG);

    assert_not_available(&app).await;
    let (status, page) = submit_with(&app, &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(page.contains("This form is not available"), "{page}");
    assert_eq!(app.count().await, 1, "nothing was stored");
    none_sealed_to(&app, &evil).await;
    assert!(refused_count(&app).await >= 1, "the refusal is counted");

    // An unrelated save does not launder the swapped key by signing it.
    let retitled = retitled();
    assert!(matches!(
        saves_as_apply(&app, &retitled).await,
        Err(SaveError::Unverified)
    ));
    let (code, out) = crate::programmes::cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("signature"), "{out}");
    assert_not_available(&app).await;
}

#[tokio::test]
async fn an_escrow_key_or_a_partner_added_in_the_database_is_refused() {
    let app = spawn_app().await;
    let token = app.csrf_token(&format!("/p/{SLUG}")).await;
    let record = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    let evil = attacker();
    // Escrow is a top-level key: first in the file is inside no table.
    let with_escrow = format!("escrow = \"{}\"\n{}", evil.to_public(), record.definition);
    haven::programme::Programme::parse(&with_escrow).expect("still a valid programme");
    test_support::execute(
        &app.store,
        "UPDATE programmes SET definition = $1 WHERE slug = $2",
        &[Arg::from(with_escrow.as_str()), Arg::from(SLUG)],
    )
    .await
    .unwrap();
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;
    let (status, _) = submit_with(&app, &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.count().await, 0);

    // The version alone, too (an older signed state replayed under a newer number
    // would otherwise pass).
    test_support::execute(
        &app.store,
        "UPDATE programmes SET definition = $1, version = version + 1 WHERE slug = $2",
        &[Arg::from(record.definition.as_str()), Arg::from(SLUG)],
    )
    .await
    .unwrap();
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;
}

#[tokio::test]
async fn properly_saved_changes_and_rotations_are_signed_and_still_seal() {
    let app = spawn_app().await;
    let first = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    // A change saved as `programme apply` saves it.
    let retitled = retitled();
    apply(&app.store, &app.config, &retitled).await;
    app.refresh_programme(SLUG);
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");

    // A key rotation by the real binary signs the new key.
    let (code, out) = crate::programmes::cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    app.refresh_programme(SLUG);
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let now = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    assert_ne!(now.key_id, first.key_id);
    assert!(now.version > first.version);
    assert_eq!(app.count().await, 2);
    assert_eq!(refused_count(&app).await, 0);
}

#[tokio::test]
async fn the_operator_can_re_sign_a_refused_state_after_checking_it_and_rotate_away() {
    let app = spawn_app().await;
    let evil = attacker();
    test_support::execute(
        &app.store,
        "UPDATE programme_keys SET recipient = $1 \
         WHERE id = (SELECT current_key_id FROM programmes WHERE slug = $2)",
        &[Arg::from(evil.to_public().to_string()), Arg::from(SLUG)],
    )
    .await
    .unwrap();
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;

    let (code, out) =
        crate::programmes::cli(&app, &["programme", "re-sign", SLUG, "--confirm", "x"]);
    assert_eq!(code, Some(2), "{out}");
    let (code, out) =
        crate::programmes::cli(&app, &["programme", "re-sign", SLUG, "--confirm", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    // It shows what it vouches for, and that the key is not one Haven made.
    assert!(out.contains(&evil.to_public().to_string()), "{out}");
    assert!(out.contains("not the one the master key opens"), "{out}");
    // Then a rotation replaces the key with one Haven made, and the form seals again.
    let (code, out) = crate::programmes::cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    app.refresh_programme(SLUG);
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    none_sealed_to(&app, &evil).await;
    let audit = test_support::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'programme.re-sign' AND outcome = 'alert'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn unsigned_rows_are_signed_once_when_the_verifying_key_is_first_written_and_never_after() {
    let app = spawn_app().await;
    // A signature removed in the database is not accepted, and a restart of the
    // console (its keyring built again) does not sign it back.
    test_support::execute(
        &app.store,
        "UPDATE programmes SET state_signature = NULL WHERE slug = $1",
        &[Arg::from(SLUG)],
    )
    .await
    .unwrap();
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;
    let _ = app.keyring().await;
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;

    // An instance from before states were signed: no verifying-key file yet. The
    // first console start writes it and signs what is there.
    std::fs::remove_file(&app.config.programme_verify_key_file).unwrap();
    let _ = app.keyring().await;
    assert!(app.config.programme_verify_key_file.exists());
    app.refresh_programme(SLUG);
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
}

#[tokio::test]
async fn a_public_host_uses_only_its_own_verifying_key_file() {
    use haven::app::{Role, Roles};
    let console_keys = tempfile::tempdir().unwrap();
    let public_key_file = console_keys.path().join("public-host/programme-verify.key");
    let mut settings = Settings {
        apply_example: false,
        roles: Roles::only(&[Role::Public]),
        ..Settings::default()
    };
    settings.env.insert(
        "HAVEN_MASTER_KEY_FILE",
        console_keys
            .path()
            .join("absent/master.key")
            .display()
            .to_string(),
    );
    settings.env.insert(
        "HAVEN_PROGRAMME_VERIFY_KEY_FILE",
        public_key_file.display().to_string(),
    );
    let app = spawn_with(settings).await;

    // The console side, with its own key and files, launches the programme.
    let mut console = app.config.clone();
    console.master_key_file = console_keys.path().join("master.key");
    console.programme_verify_key_file = console_keys.path().join("console/programme-verify.key");
    apply(&app.store, &console, EXAMPLE).await;
    assert!(console.programme_verify_key_file.exists());

    // Without the key file, the public host seals nothing.
    assert_not_available(&app).await;

    // A key that is not the console's (as a database writer would plant) is no better.
    let other = console_keys.path().join("other.key");
    write_private(
        &other,
        secrecy::ExposeSecret::expose_secret(&attacker().to_string()),
    );
    let (code, out) = export_verify_key(&app, &other, &public_key_file);
    assert_eq!(code, Some(0), "{out}");
    app.refresh_programme(SLUG);
    assert_not_available(&app).await;
    std::fs::remove_file(&public_key_file).unwrap();

    // The operator copies the console's key over, as the command writes it.
    let (code, out) = export_verify_key(&app, &console.master_key_file, &public_key_file);
    assert_eq!(code, Some(0), "{out}");
    app.refresh_programme(SLUG);
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(app.count().await, 1);
}

fn write_private(path: &std::path::Path, text: &str) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .unwrap();
    writeln!(file, "{text}").unwrap();
}

/// `haven keys export-verify-key --out FILE`, by the real binary, with `master` as
/// the master key.
fn export_verify_key(
    app: &TestApp,
    master: &std::path::Path,
    out: &std::path::Path,
) -> (Option<i32>, String) {
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let scratch = tempfile::tempdir().unwrap();
    let res = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["keys", "export-verify-key", "--out"])
        .arg(out)
        .env_clear()
        .env("HAVEN_DATA_DIR", scratch.path())
        .env("HAVEN_DATABASE_URL", url)
        .env("HAVEN_MASTER_KEY_FILE", master)
        .output()
        .unwrap();
    (
        res.status.code(),
        String::from_utf8_lossy(&res.stdout).into_owned() + &String::from_utf8_lossy(&res.stderr),
    )
}

/// The example's answers, with `email` to reply to.
fn answers_with_email(email: &str) -> Vec<(&'static str, String)> {
    let mut answers = valid_answers();
    answers.retain(|(k, _)| *k != "contact_mode");
    answers.push(("contact_mode", "email".into()));
    answers.push(("contact_email", email.into()));
    answers
}

/// Every enquiry's `has_email` and `contact_index`, by id.
async fn contact_indexes(app: &TestApp) -> Vec<(i64, Option<Vec<u8>>)> {
    test_support::fetch_all(
        &app.store,
        "SELECT has_email, contact_index FROM enquiries ORDER BY id",
        &[],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            sqlx::Row::try_get(r, "has_email").unwrap(),
            sqlx::Row::try_get(r, "contact_index").unwrap(),
        )
    })
    .collect()
}

#[tokio::test]
async fn the_email_blind_index_is_computed_by_the_worker_under_a_key_the_public_role_lacks() {
    let app = spawn_app().await;
    let (status, page) = app
        .submit(&answers_with_email("Ana.Rahimi@Example.org"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, page) = app
        .submit(&answers_with_email("ana.rahimi@example.ORG"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, page) = app.submit(&valid_answers()).await;
    assert_eq!(status, StatusCode::OK, "{page}");

    // What the public role stored: the sealed contact, and no index.
    let stored = contact_indexes(&app).await;
    assert_eq!(stored.iter().filter(|(has, _)| *has == 1).count(), 2);
    assert!(
        stored.iter().all(|(_, index)| index.is_none()),
        "the public role computed a blind index"
    );

    // The worker computes it, from the ciphertext, in an audited batch.
    app.run_pending_jobs().await;
    let indexed = contact_indexes(&app).await;
    let indexes: Vec<Vec<u8>> = indexed
        .iter()
        .filter(|(has, _)| *has == 1)
        .map(|(_, index)| index.clone().expect("indexed by the worker"))
        .collect();
    assert_eq!(indexes.len(), 2);
    assert_eq!(indexes[0], indexes[1], "one address, whatever its case");
    assert!(
        indexed
            .iter()
            .any(|(has, index)| *has == 0 && index.is_none()),
        "no index without an address"
    );
    let email = haven::domain::EmailAddress::parse("ana.rahimi@example.org").unwrap();
    assert_eq!(indexes[0], app.keyring().await.contact_index(&email));

    // What a stolen public host holds cannot reproduce it.
    let intake = haven::crypto::IntakeKey::load(&app.config.intake_key_file).unwrap();
    for domain in ["haven/email", "haven/contact-index"] {
        let guess = intake.mac(domain, &[email.normalised().as_bytes()]);
        assert_ne!(
            indexes[0],
            guess.to_vec(),
            "reproducible with the intake key"
        );
    }
    let audited = test_support::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'enquiry.index-contact' AND actor = 'system:contact-index'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(audited, 1, "one batch, audited once");
    // Nothing left to do: a second run opens nothing.
    app.run_pending_jobs().await;
    let again = test_support::scalar(
        &app.store,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'enquiry.index-contact'",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(again, 1);
}
