//! Where the helpers' tables meet key rotation: the masked address of a confirmation
//! (`contact_codes.masked`, sealed to the programme key and the person's inbox key) is
//! re-sealed with everything else, counts as a ciphertext of its key, and the reply
//! inbox still shows it. SQLite, and PostgreSQL when `HAVEN_TEST_POSTGRES_URL` is set.

use haven::store::test_support::{self, Arg};
use reqwest::StatusCode;

use crate::helpers::SLUG;
use crate::keys::cli;
use crate::replies::{enquire_unconfirmed, haven, open_inbox};

#[tokio::test]
async fn gaps_rotation_reseals_the_masked_address_and_the_inbox_still_shows_it() {
    let (app, _sink) = haven(&[(SLUG, "minimal")]).await;
    let person = enquire_unconfirmed(
        &app,
        SLUG,
        Some("rotated.address@example.org"),
        "en",
        "other",
        "Rota Person",
    )
    .await;
    // The worker mails the code and keeps the masked address.
    app.run_pending_jobs().await;
    let masked_key = || {
        let (store, id) = (app.store.clone(), person.id.clone());
        async move {
            let row = test_support::fetch_one(
                &store,
                "SELECT key_id FROM contact_codes WHERE enquiry_id = $1 AND masked IS NOT NULL",
                &[Arg::Text(id)],
            )
            .await
            .expect("a masked address stored");
            sqlx::Row::try_get::<String, _>(&row, 0).unwrap()
        }
    };
    let old_key = masked_key().await;
    let masked = "r•••@example.org";
    let (status, page) = open_inbox(&app, SLUG, &person.reference, &person.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(masked), "{page}");

    let (code, out) = cli(&app, &["programme", "rotate-key", SLUG]);
    assert_eq!(code, Some(0), "{out}");
    let new_key = app
        .store
        .programme_by_slug(SLUG)
        .await
        .unwrap()
        .unwrap()
        .key_id;
    assert_ne!(new_key, old_key);
    assert_eq!(masked_key().await, new_key, "the masked address re-sealed");
    let (_, keys) = cli(&app, &["programme", "keys", SLUG]);
    assert!(
        keys.contains(&format!("{old_key}\told\t0 ciphertexts (can be destroyed)")),
        "{keys}"
    );
    // Still sealed to the person's inbox key too.
    let (status, page) = open_inbox(&app, SLUG, &person.reference, &person.passphrase).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(masked), "{page}");
}
