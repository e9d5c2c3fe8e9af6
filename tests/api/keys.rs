//! Key rotation through the command line: new submissions use the new key, older
//! ciphertexts (enquiries, notes, replies) are re-sealed and still open, the reply
//! inbox keeps working, and the old key can then be destroyed.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, extract_by_id, extract_input, spawn_app, valid_answers};
use crate::staff::signed_in;

const SYSTEM: haven::audit::Actor = haven::audit::Actor::Cli;

/// Writes an age identity as a key file (0600), as `haven` writes its master key.
fn write_key_file(path: &std::path::Path, identity: &age::x25519::Identity) {
    use secrecy::ExposeSecret;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .unwrap();
    std::io::Write::write_all(
        &mut file,
        format!("{}\n", identity.to_string().expose_secret()).as_bytes(),
    )
    .unwrap();
}

pub(crate) fn cli(app: &TestApp, args: &[&str]) -> (Option<i32>, String) {
    cli_env(app, args, &[])
}

fn cli_env(
    app: &TestApp,
    args: &[&str],
    env: &[(&str, &std::path::Path)],
) -> (Option<i32>, String) {
    let url = match &app.config.database {
        haven::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        haven::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(args)
        .env_clear()
        .env("HAVEN_DATA_DIR", &app.config.data_dir)
        .env("HAVEN_DATABASE_URL", url)
        .envs(env.iter().map(|(k, v)| (k, v.as_os_str())))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Submits through the form; returns (enquiry id, reference, passphrase).
async fn submit(app: &TestApp) -> (String, String, String) {
    let before = app.store.count_enquiries().await.unwrap();
    let res = app.post_form(&format!("/p/{SLUG}"), &valid_answers()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert_eq!(app.store.count_enquiries().await.unwrap(), before + 1);
    let reference = extract_by_id(&body, "reference-code").unwrap();
    let passphrase = extract_by_id(&body, "passphrase").unwrap();
    let pid = app.programme_id().await;
    let hash = haven::intake::submission::reference_hash(
        &haven::crypto::IntakeKey::load(&app.config.intake_key_file).unwrap(),
        &haven::domain::ReferenceCode::parse(&reference).unwrap(),
    );
    let id = app
        .store
        .enquiry_by_reference_hash(&pid, &hash)
        .await
        .unwrap()
        .unwrap()
        .id;
    (id, reference, passphrase)
}

async fn inbox(app: &TestApp, reference: &str, passphrase: &str) -> String {
    let path = format!("/p/{SLUG}/status");
    let token = extract_input(&app.get(&path).await.text().await.unwrap(), "csrf").unwrap();
    app.client
        .post(app.url(&path))
        .form(&[
            ("csrf", token),
            ("reference", reference.into()),
            ("passphrase", passphrase.into()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn rotation_reseals_everything_and_the_old_key_can_then_be_destroyed() {
    let app = spawn_app().await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let (old_id, reference, passphrase) = submit(&app).await;
    let page = format!("/console/e/{old_id}");
    agent
        .post(
            &page,
            &format!("{page}/note"),
            &[("text", "KEYNOTE-1 before rotation".into())],
        )
        .await;
    let r = agent
        .post(
            &page,
            &format!("{page}/reply"),
            &[
                ("subject", "About your enquiry".into()),
                ("text", "KEYREPLY-1 sealed to the old key".into()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let old_key = app
        .store
        .enquiry(&old_id)
        .await
        .unwrap()
        .unwrap()
        .sealed
        .key_id;

    let (code, out) = cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("re-sealed 3 ciphertexts"),
        "enquiry, note, reply: {out}"
    );
    let new_key = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    assert_ne!(new_key, old_key);
    assert_eq!(
        app.store
            .enquiry(&old_id)
            .await
            .unwrap()
            .unwrap()
            .sealed
            .key_id,
        new_key
    );
    assert!(
        app.store
            .notes(&old_id)
            .await
            .unwrap()
            .iter()
            .all(|n| n.sealed.key_id == new_key)
    );
    assert!(
        app.store
            .replies_of(&old_id)
            .await
            .unwrap()
            .iter()
            .all(|r| r.sealed.key_id == new_key)
    );

    // Re-sealed data still opens: for staff, and in the person's own inbox.
    let view = agent.get(&page).await.body;
    assert!(
        view.contains("KEYNOTE-1") && view.contains("KEYREPLY-1") && view.contains("interpreter")
    );
    assert!(
        inbox(&app, &reference, &passphrase)
            .await
            .contains("KEYREPLY-1")
    );

    // New submissions use the new key once the programme cache has refreshed (within
    // 5 s; the test does not wait for it).
    app.refresh_programme(SLUG);
    let (new_id, _, _) = submit(&app).await;
    assert_eq!(
        app.store
            .enquiry(&new_id)
            .await
            .unwrap()
            .unwrap()
            .sealed
            .key_id,
        new_key
    );

    let (_, keys) = cli(&app, &["programme", "keys", SLUG]);
    assert!(
        keys.contains(&format!("{old_key}\told\t0 ciphertexts (can be destroyed)")),
        "{keys}"
    );
    assert!(
        keys.contains(&format!("{new_key}\tcurrent\t4 ciphertexts")),
        "both enquiries, the note and the reply: {keys}"
    );

    // Destroying: the confirmation must repeat the id; the current key never goes.
    let (code, _) = cli(
        &app,
        &[
            "programme",
            "destroy-key",
            SLUG,
            &old_key,
            "--confirm",
            "yes",
        ],
    );
    assert_eq!(code, Some(2));
    let (code, out) = cli(
        &app,
        &[
            "programme",
            "destroy-key",
            SLUG,
            &new_key,
            "--confirm",
            &new_key,
        ],
    );
    assert_eq!(code, Some(1), "{out}");
    let (code, out) = cli(
        &app,
        &[
            "programme",
            "destroy-key",
            SLUG,
            &old_key,
            "--confirm",
            &old_key,
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    let old = app.store.programme_key(&old_key).await.unwrap().unwrap();
    assert!(old.wrapped_identity.is_none(), "crypto-shredded");
    assert_eq!(
        agent.get(&page).await.status,
        StatusCode::OK,
        "still readable under the new key"
    );
    for action in ["programme.rotate-key", "programme.destroy-key"] {
        let entries = app
            .store
            .search_audit(
                &haven::audit::Filter {
                    action: action.into(),
                    ..Default::default()
                },
                10,
            )
            .await
            .unwrap();
        assert_eq!(entries.len(), 1, "{action}");
    }
}

#[tokio::test]
async fn a_key_still_in_use_is_not_destroyed() {
    let app = spawn_app().await;
    submit(&app).await;
    let old_key = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    // Rotate without re-sealing: what the server's background job would do later.
    let master = app.keyring().await;
    let pid = app.programme_id().await;
    let key = haven::crypto::ProgrammeKeyPair::generate(&master.recipient()).unwrap();
    app.store
        .rotate_programme_key(
            &pid,
            &key,
            &master.programme_signer(),
            &haven::audit::Entry::new(
                &haven::audit::Actor::Cli,
                haven::audit::AuditAction::ProgrammeRotateKey,
                "p",
            ),
        )
        .await
        .unwrap();
    let (code, out) = cli(
        &app,
        &[
            "programme",
            "destroy-key",
            SLUG,
            &old_key,
            "--confirm",
            &old_key,
        ],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("still use it"), "{out}");
    assert!(
        app.store
            .programme_key(&old_key)
            .await
            .unwrap()
            .unwrap()
            .wrapped_identity
            .is_some()
    );
    // The background batch re-seals it; then the key can go.
    let slug = haven::domain::ProgrammeSlug::parse(SLUG).unwrap();
    assert_eq!(
        haven::rotation::reseal_batch(&app.store, &master, &SYSTEM, &slug, 100)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        haven::rotation::reseal_batch(&app.store, &master, &SYSTEM, &slug, 100)
            .await
            .unwrap(),
        0
    );
    let (code, out) = cli(
        &app,
        &[
            "programme",
            "destroy-key",
            SLUG,
            &old_key,
            "--confirm",
            &old_key,
        ],
    );
    assert_eq!(code, Some(0), "{out}");
}

#[tokio::test]
async fn rotating_with_the_wrong_master_key_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let (id, _, _) = submit(&app).await;
    let before = app.programme_id().await;
    let key_before = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    // An operator pointing HAVEN_MASTER_KEY_FILE at some other instance's key.
    let other = tempfile::tempdir().unwrap();
    let wrong = other.path().join("master.key");
    write_key_file(&wrong, &age::x25519::Identity::generate());

    let (code, out) = cli_env(
        &app,
        &["programme", "rotate-key", SLUG],
        &[("HAVEN_MASTER_KEY_FILE", &wrong)],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("cannot open the programme's current key"),
        "{out}"
    );
    let after = app.store.programme_by_slug(SLUG).await.unwrap().unwrap();
    assert_eq!(after.id, before);
    assert_eq!(after.key_id, key_before, "no new key was made current");
    assert_eq!(
        app.store.enquiry(&id).await.unwrap().unwrap().sealed.key_id,
        key_before
    );

    // With the real master key the same command works.
    let (code, out) = cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{out}");
}

#[tokio::test]
async fn a_programme_admin_rotates_from_the_web_and_watches_re_sealing_finish() {
    let app = spawn_app().await;
    let (id, _, _) = submit(&app).await;
    let page = format!("/admin/programmes/{SLUG}/keys");
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    assert_eq!(agent.get(&page).await.status, StatusCode::NOT_FOUND);
    agent
        .post(
            &format!("/console/e/{id}"),
            &format!("/console/e/{id}/note"),
            &[("text", "WEBKEYNOTE before rotation".into())],
        )
        .await;
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    let before = admin.get(&page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before.body.contains(r#"<dd id="keys-resealed">2</dd>"#),
        "{}",
        before.body
    );
    let old_key = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;

    let refused = admin
        .post(
            &page,
            &page,
            &[("current_password", "not my password at all".into())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Your password is not right."));
    let same = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    assert_eq!(same, old_key, "nothing rotated");

    let done = admin
        .post(
            &page,
            &page,
            &[("current_password", crate::staff::PASSWORD.into())],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let new_key = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    assert_ne!(new_key, old_key);
    // The page shows progress and refreshes itself until re-sealing is done.
    let progress = admin.get(&format!("{page}?done=rotated")).await;
    if !progress.body.contains(r#"<dd id="keys-remaining">0</dd>"#) {
        assert_eq!(progress.headers.get("refresh").unwrap(), "5");
    }
    // Re-sealing as the worker's job runs it (the page started it already too).
    app.run_pending_jobs().await;
    let finished = admin.get(&format!("{page}?done=rotated")).await;
    assert!(
        finished.body.contains(r#"<dd id="keys-remaining">0</dd>"#),
        "re-sealing finished"
    );
    assert!(finished.headers.get("refresh").is_none());
    assert!(
        finished.body.contains(r#"<dd id="keys-resealed">2</dd>"#),
        "{}",
        finished.body
    );
    assert!(finished.body.contains("The programme has a new key."));
    let view = agent.get(&format!("/console/e/{id}")).await;
    assert!(view.body.contains("WEBKEYNOTE") && view.body.contains("interpreter"));
    let rotations = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "programme.rotate-key".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(rotations.len(), 1);
    assert_eq!(rotations[0].actor, format!("user:{}", admin.id));
}
