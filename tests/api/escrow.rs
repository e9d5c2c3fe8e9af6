//! Escrow: a programme with an offline escrow recipient seals every ciphertext to it
//! too, so that after the master key is lost the escrow identity still opens
//! everything (`haven escrow open`); rotation keeps it; without escrow nothing changes.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;
use secrecy::ExposeSecret;

use crate::helpers::{EXAMPLE, SLUG, Settings, TestApp, apply, spawn_app, spawn_with};
use crate::programmes::cli;
use crate::staff::{signed_in, submit_enquiry};

/// The key ceremony's escrow key pair: the identity goes to a file, as offline.
fn escrow_key(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let identity = age::x25519::Identity::generate();
    let path = dir.join("escrow.key");
    std::fs::write(
        &path,
        format!(
            "# created: offline\n# public key: {}\n{}\n",
            identity.to_public(),
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    (path, identity.to_public().to_string())
}

fn with_escrow(recipient: &str) -> String {
    EXAMPLE.replacen(
        "retention_days = 365\n",
        &format!("retention_days = 365\nescrow = \"{recipient}\"\n"),
        1,
    )
}

fn escrow_open(app: &TestApp, identity: &std::path::Path, out: &std::path::Path) -> String {
    let (code, output) = cli(
        app,
        &[
            "escrow",
            "open",
            "--identity",
            identity.to_str().unwrap(),
            "--programme",
            SLUG,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{output}");
    output
}

#[tokio::test]
async fn with_escrow_the_offline_identity_opens_enquiries_notes_and_replies_even_after_rotation() {
    let app = spawn_with(Settings {
        apply_example: false,
        ..Default::default()
    })
    .await;
    let keys = tempfile::tempdir().unwrap();
    let (identity, recipient) = escrow_key(keys.path());
    apply(&app.store, &app.config, &with_escrow(&recipient)).await;

    let (id, _) = submit_enquiry(&app, SLUG).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let page = format!("/console/e/{id}");
    agent
        .post(
            &page,
            &format!("{page}/note"),
            &[("text", "ESCROWNOTE-7 called back".into())],
        )
        .await;
    let r = agent
        .post(
            &page,
            &format!("{page}/reply"),
            &[
                ("subject", "About your enquiry".into()),
                ("text", "ESCROWREPLY-7 we will call".into()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let out = keys.path().join("recovered.jsonl");
    let said = escrow_open(&app, &identity, &out);
    assert!(
        said.contains("opened 1 enquiries, 1 notes, 1 replies") && said.contains("0 could not"),
        "{said}"
    );
    let recovered = std::fs::read_to_string(&out).unwrap();
    for typed in [
        "I worked as an interpreter",
        "ESCROWNOTE-7",
        "ESCROWREPLY-7",
        &id,
    ] {
        assert!(recovered.contains(typed), "{typed} in {recovered}");
    }
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&out).unwrap().permissions())
            & 0o777,
        0o600
    );
    // Never over an existing file: it could be someone else's export.
    let (code, said) = cli(
        &app,
        &[
            "escrow",
            "open",
            "--identity",
            identity.to_str().unwrap(),
            "--programme",
            SLUG,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{said}");

    // The escrow recipient is in the exported definition, and its arrival is audited.
    let (_, exported) = cli(&app, &["programme", "export", SLUG]);
    assert!(
        exported.contains(&format!("escrow = \"{recipient}\"")),
        "{exported}"
    );
    let opened = app
        .store
        .search_audit(
            &haven::audit::Filter {
                action: "escrow.open".into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(opened.len(), 1, "the refused one opened nothing");
    assert!(
        opened[0].detail.contains("\"enquiries\":1"),
        "{}",
        opened[0].detail
    );

    // Rotation re-seals to the new key and keeps the escrow recipient.
    let (code, rotated) = cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{rotated}");
    assert!(rotated.contains("re-sealed 3 ciphertexts"), "{rotated}");
    let after = keys.path().join("after-rotation.jsonl");
    let said = escrow_open(&app, &identity, &after);
    assert!(
        said.contains("opened 1 enquiries, 1 notes, 1 replies"),
        "{said}"
    );
    assert!(
        std::fs::read_to_string(&after)
            .unwrap()
            .contains("ESCROWREPLY-7")
    );
    // Staff still read it with the programme key.
    let view = agent.get(&page).await;
    assert!(view.body.contains("ESCROWNOTE-7") && view.body.contains("interpreter"));
}

#[tokio::test]
async fn without_escrow_nothing_opens_with_an_escrow_identity_and_staff_are_unaffected() {
    let app = spawn_app().await;
    let keys = tempfile::tempdir().unwrap();
    let (identity, _) = escrow_key(keys.path());
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let out = keys.path().join("nothing.jsonl");
    let said = escrow_open(&app, &identity, &out);
    assert!(
        said.contains("opened 0 enquiries") && said.contains("1 could not"),
        "{said}"
    );
    assert!(
        !std::fs::read_to_string(&out)
            .unwrap()
            .contains("interpreter")
    );
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    assert!(
        agent
            .get(&format!("/console/e/{id}"))
            .await
            .body
            .contains("interpreter")
    );
}

#[test]
fn an_escrow_that_is_not_an_age_public_key_is_refused_naming_its_line() {
    let file = with_escrow("age1-not-a-key");
    let line = 1 + file
        .lines()
        .position(|l| l.starts_with("escrow ="))
        .unwrap();
    let errors = haven::programme::Programme::parse(&file).unwrap_err();
    let text = errors
        .0
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("escrow") && text.contains("age public key"),
        "{text}"
    );
    assert!(
        text.contains(&format!("line {line}: escrow")),
        "the line of escrow: {text}"
    );
}
