//! The person's side, continued (issue 21, items 2 and 4): date questions as day, month
//! and year boxes, a country question's own country and neighbours first, discreet
//! mode (a neutral address and title), and the receipt as a text file where the
//! programme offers it.

use reqwest::StatusCode;

use crate::helpers::{SLUG, TestApp, cookies_of, spawn_app, valid_answers};
use crate::person::{
    answers, codes, fetch_form_at, get_with, in_every_language, no_store, post_at,
};

const DISCREET: &str = "k7q2m9x4";

/// The example programme with `[public]` settings added.
async fn with_public(app: &TestApp, settings: &str) {
    let text = format!("{}\n[public]\n{settings}\n", crate::helpers::EXAMPLE);
    crate::helpers::apply(&app.store, &app.config, &text).await;
}

/// A browser that sends the form at `/p/{name}` and follows to the receipt: the receipt
/// page and the cookies that show it.
async fn send_and_read_receipt(app: &TestApp, name: &str) -> (String, String, String) {
    let (token, cookies) = fetch_form_at(app, name, "fa-AF").await;
    let sent = post_at(app, name, &answers(&token, "fa-AF"), &cookies).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/p/{name}/receipt"));
    let all = format!("{cookies}; {}", cookies_of(&sent));
    let page = get_with(app, &location, &all).await.text().await.unwrap();
    (page, all, location)
}

#[tokio::test]
async fn a_date_is_typed_in_day_month_and_year_boxes_in_any_digits_and_stored_in_ascii() {
    use haven::programme::Answer;
    let app = in_every_language().await;
    let page = app
        .get(&format!("/p/{SLUG}?lang=fa-AF"))
        .await
        .text()
        .await
        .unwrap();
    // Three labelled boxes in a fieldset, no date picker; the day box carries the id
    // the error summary links to.
    for (id, name) in [
        ("f-date_of_birth", "date_of_birth.day"),
        ("f-date_of_birth-month", "date_of_birth.month"),
        ("f-date_of_birth-year", "date_of_birth.year"),
    ] {
        assert!(page.contains(&format!(r#"<label for="{id}">"#)), "{id}");
        assert!(page.contains(&format!(r#"name="{name}""#)), "{name}");
    }
    assert!(!page.contains(r#"type="date""#));

    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "date_of_birth");
    fields.extend([
        ("date_of_birth.day", "۵".to_owned()),
        ("date_of_birth.month", "٠٨".to_owned()),
        ("date_of_birth.year", "۱۹۹۰".to_owned()),
    ]);
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let e = app.only_enquiry().await;
    let content = crate::helpers::open_enquiry(&app.keyring().await, &e)
        .await
        .unwrap();
    assert_eq!(
        content.answers.get("date_of_birth"),
        Some(&Answer::Text("1990-08-05".into()))
    );

    // A date that does not exist comes back with the boxes as typed and the error.
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "date_of_birth");
    fields.extend([
        ("date_of_birth.day", "31".to_owned()),
        ("date_of_birth.month", "2".to_owned()),
        ("date_of_birth.year", "1990".to_owned()),
    ]);
    let (status, page) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains(r##"href="#f-date_of_birth""##), "{page}");
    assert!(
        page.contains(r#"name="date_of_birth.day" value="31""#),
        "{page}"
    );
    assert!(
        page.contains(r#"name="date_of_birth.month" value="2""#),
        "{page}"
    );
    assert_eq!(app.count().await, 1);
}

#[tokio::test]
async fn the_programmes_own_countries_come_first_in_the_readers_language() {
    let app = in_every_language().await;
    for (lang, afghanistan, pakistan) in [
        ("en", "Afghanistan", "Pakistan"),
        ("fa-AF", "افغانستان", "پاکستان"),
        ("ps", "افغانستان", "پاکستان"),
    ] {
        let page = app
            .get(&format!("/p/{SLUG}?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        let at = page.find(r#"id="f-current_country""#).unwrap();
        let select = &page[at..at + page[at..].find("</select>").unwrap()];
        let first = select.find("<optgroup").expect("a group listed first");
        let rest = select.rfind("<optgroup").unwrap();
        assert!(first < rest, "{lang}: two groups");
        let head = &select[first..rest];
        // The example lists Afghanistan and its six neighbours, in its own order.
        assert_eq!(head.matches("<option ").count(), 7, "{lang}");
        let af = head.find(&format!(r#"<option value="AF">{afghanistan}</option>"#));
        let pk = head.find(&format!(r#"<option value="PK">{pakistan}</option>"#));
        assert!(af.is_some() && pk.is_some() && af < pk, "{lang}: {head}");
        // Every country once: 249 and the "choose" line.
        assert_eq!(select.matches("<option value=\"").count(), 250, "{lang}");
    }
}

#[test]
fn countries_first_only_in_a_country_question_with_real_codes_once() {
    use haven::programme::Programme;
    let example = crate::helpers::EXAMPLE;
    let line = r#"first = ["AF", "PK", "IR", "TJ", "UZ", "TM", "CN"]"#;
    assert!(example.contains(line));
    for bad in [
        r#"first = ["AF", "AF"]"#,
        r#"first = ["ZZ"]"#,
        r#"first = ["af"]"#,
    ] {
        let text = example.replace(line, bad);
        let errors = Programme::parse(&text).unwrap_err();
        assert!(errors.to_string().contains("first"), "{bad}: {errors}");
    }
    // On a text question: refused too.
    let moved = example.replace(line, "").replace(
        "key = \"current_location\"",
        &format!("key = \"current_location\"\n{line}"),
    );
    assert!(Programme::parse(&moved).is_err());
}

#[tokio::test]
async fn in_discreet_mode_the_form_lives_at_a_neutral_address_with_a_neutral_title() {
    let app = spawn_app().await;
    with_public(&app, &format!("discreet_address = \"{DISCREET}\"")).await;
    let title = "Afghanistan: request for help to leave and resettle";

    // The slug's address shows nothing, as if there were no programme.
    assert_eq!(
        app.get(&format!("/p/{SLUG}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/p/{SLUG}/status")).await.status(),
        StatusCode::NOT_FOUND
    );
    let page = app
        .get(&format!("/p/{DISCREET}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    let head = &page[..page.find("</title>").unwrap()];
    assert!(head.ends_with("<title>Form – Haven"), "{head}");
    assert!(
        !head.contains("Afghanistan") && !page.contains(SLUG),
        "{page}"
    );
    assert!(page.contains(&format!(r#"action="/p/{DISCREET}""#)));
    assert!(
        page.contains(title),
        "the page itself still says what it is for"
    );

    // The whole flow stays at the neutral address.
    let (receipt, _, location) = send_and_read_receipt(&app, DISCREET).await;
    assert!(location.starts_with(&format!("/p/{DISCREET}/")));
    let (reference, passphrase) = codes(&receipt);
    assert!(!receipt.contains(SLUG));
    assert_eq!(app.count().await, 1);

    // The person opens their reply inbox at the slug-free `/inbox` like anyone else:
    // the code finds the programme, whose hidden slug must not lock them out.
    let opened = app
        .post_form(
            "/inbox",
            &[("reference", reference), ("passphrase", passphrase)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(opened.contains(r#"id="enquiry-status""#), "{opened}");
    assert!(!opened.contains(SLUG), "{opened}");

    // Without it the programme is back at its slug, and the neutral address is gone.
    crate::helpers::apply(&app.store, &app.config, crate::helpers::EXAMPLE).await;
    app.refresh_programme(SLUG);
    assert_eq!(
        app.get(&format!("/p/{SLUG}")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_discreet_address_must_be_a_slug_like_word_other_than_the_slug() {
    use haven::programme::Programme;
    for bad in [SLUG, "Has Space", "x", "-k7q2"] {
        let text = format!(
            "{}\n[public]\ndiscreet_address = \"{bad}\"\n",
            crate::helpers::EXAMPLE
        );
        let errors = Programme::parse(&text).unwrap_err();
        assert!(
            errors.to_string().contains("public.discreet_address"),
            "{bad}: {errors}"
        );
    }
}

#[tokio::test]
async fn the_receipt_is_saved_as_text_only_where_the_programme_offers_it() {
    let app = spawn_app().await;
    // Off by default: no button, and no file.
    let (page, cookies, _) = send_and_read_receipt(&app, SLUG).await;
    assert!(!page.contains("receipt.txt"), "{page}");
    let none = get_with(&app, &format!("/p/{SLUG}/receipt.txt"), &cookies).await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);

    with_public(&app, "save_as_text = true").await;
    app.refresh_programme(SLUG);
    let (page, cookies, _) = send_and_read_receipt(&app, SLUG).await;
    let (reference, passphrase) = codes(&page);
    assert!(
        page.contains(&format!(r#"href="/p/{SLUG}/receipt.txt""#)),
        "{page}"
    );
    let file = get_with(&app, &format!("/p/{SLUG}/receipt.txt"), &cookies).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(no_store(&file));
    assert_eq!(
        file.headers()["content-disposition"],
        "attachment; filename=\"note.txt\""
    );
    let text = file.text().await.unwrap();
    // The inbox's address and the two codes under Dari labels; nothing else.
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains(&reference) && text.contains(&passphrase),
        "{text}"
    );
    assert!(
        text.contains("/inbox") && text.contains("کود مرجع"),
        "{text}"
    );
    for word in [SLUG, "Afghanistan", "افغانستان", "Ana Rahimi"] {
        assert!(!text.contains(word), "{word} in {text}");
    }
    // Another browser (no receipt cookie) gets nothing.
    let elsewhere = app.get(&format!("/p/{SLUG}/receipt.txt")).await;
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
}
