//! Archiving a programme, from the admin page (password again, slug typed) and the
//! command line: the form disappears; with crypto-shredding every key goes and the
//! console says plainly that an enquiry can no longer be read.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, html_unescape, spawn_app};
use crate::programmes::cli;
use crate::staff::{PASSWORD, signed_in, submit_enquiry};

const PAGE: &str = "/admin/programmes/afghanistan-2021/archive";

/// The public form once the public role reads the programme as stored (its cache
/// would within 5 s; the test has it read again instead of waiting).
async fn form_status_becomes(app: &TestApp, wanted: StatusCode) {
    app.refresh_programme(SLUG);
    assert_eq!(app.get(&format!("/p/{SLUG}")).await.status(), wanted);
}

async fn actions(app: &TestApp, action: &str) -> Vec<haven::audit::Record> {
    app.store
        .search_audit(
            &haven::audit::Filter {
                action: action.into(),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_archives_and_shreds_after_typing_the_slug_and_the_console_says_it_is_gone() {
    let app = spawn_app().await;
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    assert_eq!(
        agent.get(PAGE).await.status,
        StatusCode::NOT_FOUND,
        "agents cannot"
    );
    let mut admin = signed_in(&app, "admin@example.org", Admin, None).await;
    assert!(
        admin
            .get(&format!("/console/p/{SLUG}"))
            .await
            .body
            .contains(PAGE)
    );

    // A slip of the keyboard archives nothing, and what was typed comes back.
    let slip = admin
        .post(
            PAGE,
            PAGE,
            &[
                ("confirm", "afghanistan-2012".into()),
                ("shred", "1".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(slip.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = html_unescape(&slip.body);
    assert!(
        body.contains("Type the programme's short name exactly as shown."),
        "{body}"
    );
    assert!(body.contains(r#"value="afghanistan-2012""#), "{body}");
    assert!(body.contains(r#"name="shred" value="1" checked"#), "{body}");
    let wrong_password = admin
        .post(
            PAGE,
            PAGE,
            &[
                ("confirm", SLUG.into()),
                ("shred", "1".into()),
                ("current_password", "not my password at all".into()),
            ],
        )
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong_password.body.contains("Your password is not right."));
    assert!(actions(&app, "programme.shred").await.is_empty());
    form_status_becomes(&app, StatusCode::OK).await;

    let done = admin
        .post(
            PAGE,
            PAGE,
            &[
                ("confirm", SLUG.into()),
                ("shred", "1".into()),
                ("current_password", PASSWORD.into()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some(&*format!("{PAGE}?done=shredded"))
    );
    form_status_becomes(&app, StatusCode::NOT_FOUND).await;

    let pid = app.programme_id().await;
    let keys = app.store.key_usage(&pid).await.unwrap();
    assert!(
        !keys.is_empty() && keys.iter().all(|k| k.destroyed),
        "every key destroyed"
    );
    let view = agent.get(&format!("/console/e/{id}")).await;
    assert_eq!(view.status, StatusCode::GONE, "{}", view.body);
    assert!(view.body.contains("This enquiry can no longer be read"));
    assert!(!view.body.contains("interpreter"));

    let shred = actions(&app, "programme.shred").await;
    assert_eq!(shred.len(), 1);
    assert_eq!(shred[0].actor, format!("user:{}", admin.id));
    assert!(
        shred[0].detail.contains("\"keys_destroyed\":1"),
        "{}",
        shred[0].detail
    );
    assert_eq!(
        actions(&app, "programme.update").await.len(),
        1,
        "archived as a new version"
    );
}

#[tokio::test]
async fn the_command_line_archives_only_with_the_slug_repeated_and_keeps_keys_unless_asked() {
    let app = spawn_app().await;
    let (id, _) = submit_enquiry(&app, SLUG).await;
    let (code, out) = cli(&app, &["programme", "archive", SLUG, "--confirm", "yes"]);
    assert_eq!(code, Some(2), "{out}");
    let (_, exported) = cli(&app, &["programme", "export", SLUG]);
    assert!(!exported.contains("status = \"archived\""), "{exported}");

    let (code, out) = cli(&app, &["programme", "archive", SLUG, "--confirm", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("afghanistan-2021: archived"), "{out}");
    let (_, exported) = cli(&app, &["programme", "export", SLUG]);
    assert!(exported.contains("status = \"archived\""), "{exported}");
    form_status_becomes(&app, StatusCode::NOT_FOUND).await;
    // Without --destroy-keys staff still read what is stored.
    let mut agent = signed_in(&app, "agent@example.org", Agent, Some(SLUG)).await;
    let view = agent.get(&format!("/console/e/{id}")).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.body.contains("interpreter"));

    let (code, out) = cli(
        &app,
        &[
            "programme",
            "archive",
            SLUG,
            "--confirm",
            SLUG,
            "--destroy-keys",
        ],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("already archived") && out.contains("1 keys destroyed"),
        "{out}"
    );
    assert_eq!(
        agent.get(&format!("/console/e/{id}")).await.status,
        StatusCode::GONE
    );
}
