//! The person's side of the public form (issue 21): submit once, the receipt by
//! POST → 303 → GET, and a language switch that keeps what was typed.

use reqwest::StatusCode;

use crate::helpers::{
    SLUG, TestApp, cookies_of, extract_by_id, extract_input, spawn_app, valid_answers,
};
use crate::processes::Installation;

const LANGS: [&str; 6] = ["en", "fr", "uk", "ar", "fa-AF", "ps"];

/// The example programme, offered in every language Haven ships (it offers four).
pub(crate) async fn in_every_language() -> TestApp {
    let app = spawn_app().await;
    let all = crate::helpers::EXAMPLE.replace(
        r#"languages = ["en", "fr", "fa-AF", "ps"]"#,
        r#"languages = ["en", "fr", "fa-AF", "ps", "ar", "uk"]"#,
    );
    assert_ne!(all, crate::helpers::EXAMPLE);
    crate::helpers::apply(&app.store, &app.config, &all).await;
    app
}

/// A browser's first steps: the form page's token and the cookies it set.
async fn fetch_form(app: &TestApp, lang: &str) -> (String, String) {
    fetch_form_at(app, SLUG, lang).await
}

/// The same at `/p/{name}` (a discreet address).
pub(crate) async fn fetch_form_at(app: &TestApp, name: &str, lang: &str) -> (String, String) {
    let res = app.get(&format!("/p/{name}?lang={lang}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cookies = cookies_of(&res);
    let page = res.text().await.unwrap();
    (extract_input(&page, "csrf").unwrap(), cookies)
}

pub(crate) fn answers(token: &str, lang: &str) -> Vec<(&'static str, String)> {
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "lang");
    fields.push(("lang", lang.into()));
    fields.push(("csrf", token.into()));
    fields
}

async fn post(app: &TestApp, fields: &[(&str, String)], cookies: &str) -> reqwest::Response {
    post_at(app, SLUG, fields, cookies).await
}

pub(crate) async fn post_at(
    app: &TestApp,
    name: &str,
    fields: &[(&str, String)],
    cookies: &str,
) -> reqwest::Response {
    let mut req = app.client.post(app.url(&format!("/p/{name}"))).form(fields);
    if !cookies.is_empty() {
        req = req.header("cookie", cookies);
    }
    req.send().await.unwrap()
}

/// A GET as a browser sends it, asking for gzip: the receipt must not be compressed
/// (its codes repeat on every reload; BREACH).
pub(crate) async fn get_with(app: &TestApp, path: &str, cookies: &str) -> reqwest::Response {
    let res = app
        .client
        .get(app.url(path))
        .header("cookie", cookies)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(
        res.headers()
            .get("content-encoding")
            .is_none_or(|e| e != "gzip"),
        "{path} was compressed"
    );
    res
}

pub(crate) fn no_store(res: &reqwest::Response) -> bool {
    res.headers()
        .get("cache-control")
        .is_some_and(|v| v.to_str().unwrap().contains("no-store"))
}

pub(crate) fn codes(page: &str) -> (String, String) {
    (
        extract_by_id(page, "reference-code").expect("reference on the receipt"),
        extract_by_id(page, "passphrase").expect("passphrase on the receipt"),
    )
}

#[tokio::test]
async fn the_same_post_twice_stores_one_enquiry_and_the_receipt_reloads_with_the_same_codes() {
    let app = spawn_app().await;
    let (token, form_cookies) = fetch_form(&app, "en").await;
    assert!(form_cookies.contains("haven_cookies="), "{form_cookies}");
    let fields = answers(&token, "en");

    let first = post(&app, &fields, &form_cookies).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert!(no_store(&first));
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/p/{SLUG}/receipt"));
    let receipt_cookie = cookies_of(&first);
    assert!(receipt_cookie.contains("haven_receipt="));
    let set_cookie = first.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Max-Age=900"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert_eq!(app.count().await, 1);

    // The same POST again, same token and same cookies: nothing new is stored, and
    // the answer says so with the way to the inbox.
    let again = post(&app, &fields, &form_cookies).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(no_store(&again));
    let page = again.text().await.unwrap();
    assert!(page.contains("This form was already sent"), "{page}");
    assert!(page.contains("href=\"/inbox?lang=en\""), "{page}");
    assert!(!page.contains("id=\"passphrase\""));
    assert_eq!(app.count().await, 1);

    // The receipt's GET, twice: the same codes, still one enquiry, never cached, and
    // no code in any URL.
    let all_cookies = format!("{form_cookies}; {receipt_cookie}");
    let shown = get_with(&app, &location, &all_cookies).await;
    assert_eq!(shown.status(), StatusCode::OK);
    assert!(no_store(&shown));
    let (reference, passphrase) = codes(&shown.text().await.unwrap());
    let reload = get_with(&app, &location, &all_cookies).await;
    assert!(no_store(&reload));
    assert_eq!(
        codes(&reload.text().await.unwrap()),
        (reference.clone(), passphrase.clone())
    );
    assert!(!location.contains(&passphrase) && !location.contains(&reference));
    assert_eq!(app.count().await, 1);

    // Back and resubmit in the browser that holds the receipt: the same receipt.
    let resent = post(&app, &fields, &all_cookies).await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    assert_eq!(resent.headers()["location"], location.as_str());
    assert_eq!(app.count().await, 1);

    // The codes open the inbox of the one stored enquiry.
    let inbox = app
        .post_form(
            &format!("/p/{SLUG}/status"),
            &[("reference", reference), ("passphrase", passphrase)],
        )
        .await;
    assert_eq!(inbox.status(), StatusCode::OK);
    assert!(
        inbox
            .text()
            .await
            .unwrap()
            .contains("id=\"enquiry-status\"")
    );

    // Without the cookie (another browser, or after it expired): no codes, the inbox link.
    let elsewhere = app.get(&location).await;
    assert_eq!(elsewhere.status(), StatusCode::OK);
    let page = elsewhere.text().await.unwrap();
    assert!(!page.contains("id=\"passphrase\""));
    assert!(page.contains("href=\"/inbox?lang=en\""), "{page}");
    assert!(!page.contains("/status"), "{page}");
}

#[tokio::test]
async fn without_cookies_the_post_answers_with_the_receipt_and_the_token_still_sends_once() {
    let app = in_every_language().await;
    for (i, lang) in LANGS.iter().enumerate() {
        let (token, _) = fetch_form(&app, lang).await;
        let fields = answers(&token, lang);
        let res = post(&app, &fields, "").await;
        assert_eq!(res.status(), StatusCode::OK, "{lang}");
        assert!(no_store(&res));
        let page = res.text().await.unwrap();
        codes(&page);
        assert!(page.contains(&format!("lang=\"{lang}\"")));
        let again = post(&app, &fields, "").await;
        assert_eq!(again.status(), StatusCode::CONFLICT, "{lang}");
        let page = again.text().await.unwrap();
        assert!(!page.contains("id=\"passphrase\""));
        assert!(
            page.contains(&format!("href=\"/inbox?lang={lang}\"")),
            "{page}"
        );
        assert_eq!(app.count().await, i as i64 + 1, "{lang}");
    }
}

#[tokio::test]
async fn a_double_tap_sends_one_enquiry() {
    let app = spawn_app().await;
    let (token, cookies) = fetch_form(&app, "ps").await;
    let fields = answers(&token, "ps");
    let (a, b, c) = tokio::join!(
        post(&app, &fields, &cookies),
        post(&app, &fields, &cookies),
        post(&app, &fields, &cookies)
    );
    let mut statuses = [a.status(), b.status(), c.status()].map(|s| s.as_u16());
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409, 409]);
    assert_eq!(app.count().await, 1);
}

/// SIGKILL of the real binary between the POST and the receipt's GET: the receipt
/// shows from a process started afterwards (on PostgreSQL, another instance), and
/// nothing is stored twice.
#[tokio::test]
async fn a_kill_between_the_post_and_the_receipt_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::database_url(dir.path()).await;
    let install = Installation::new(dir.path(), &url);
    install.apply_example();
    let mut first = install.serve("public", &["public"]).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{}/p/{SLUG}?lang=fa-AF", first.base))
        .send()
        .await
        .unwrap();
    let form_cookies = cookies_of(&form);
    let token = extract_input(&form.text().await.unwrap(), "csrf").unwrap();
    let fields = answers(&token, "fa-AF");
    let sent = client
        .post(format!("{}/p/{SLUG}", first.base))
        .header("cookie", &form_cookies)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().unwrap().to_owned();
    let cookies = format!("{form_cookies}; {}", cookies_of(&sent));
    first.kill_9();

    let second = install.serve("restarted", &["public"]).await;
    let shown = client
        .get(format!("{}{location}", second.base))
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let page = shown.text().await.unwrap();
    assert!(page.contains("lang=\"fa-AF\""));
    let (reference, passphrase) = codes(&page);
    // The same POST sent again to the new process stores nothing.
    let again = client
        .post(format!("{}/p/{SLUG}", second.base))
        .header("cookie", &form_cookies)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let store = haven::store::Store::connect(&haven::config::DatabaseUrl::parse(&url).unwrap())
        .await
        .unwrap();
    assert_eq!(store.count_enquiries().await.unwrap(), 1);
    let status = crate::processes::inbox_status(
        &client,
        &second.base,
        &crate::processes::Receipt {
            reference,
            passphrase,
        },
    )
    .await;
    assert!(!status.is_empty());
}

/// What a person has typed half-way (some required answers still missing).
fn half_typed(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", token.into()),
        ("lang", "en".into()),
        ("full_name", "نام من <b>&\"".into()),
        ("current_country", "AF".into()),
        ("situation", "line one\nخط دوم".into()),
        ("phone", "+93 70 123 4567".into()),
        ("contact_mode", "email".into()),
        ("contact_email", "me@example.org".into()),
    ]
}

#[tokio::test]
async fn a_language_button_redraws_the_form_right_to_left_with_everything_typed_and_stores_nothing()
{
    let app = spawn_app().await;
    let (token, cookies) = fetch_form(&app, "en").await;
    let form = app
        .get(&format!("/p/{SLUG}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    // One submit button per other language, inside the form, after the form's own.
    let inside = &form[form.find("<form").unwrap()..form.find("</form>").unwrap()];
    assert!(
        inside.contains(r#"name="switch_lang" value="fa-AF""#),
        "no language button inside the form"
    );
    assert!(inside.find(r#"name="switch_lang""#) > inside.find(r#"type="submit""#));

    for (to, dir) in [("fa-AF", "rtl"), ("ps", "rtl"), ("fr", "ltr")] {
        let mut fields = half_typed(&token);
        fields.push(("switch_lang", to.into()));
        let res = post(&app, &fields, &cookies).await;
        assert_eq!(res.status(), StatusCode::OK, "{to}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains(&format!("<html lang=\"{to}\" dir=\"{dir}\">")),
            "{to}"
        );
        assert_eq!(extract_input(&page, "lang").as_deref(), Some(to));
        assert_eq!(
            extract_input(&page, "full_name").as_deref(),
            Some("نام من <b>&\"")
        );
        assert_eq!(
            extract_input(&page, "phone").as_deref(),
            Some("+93 70 123 4567")
        );
        assert_eq!(
            extract_input(&page, "contact_email").as_deref(),
            Some("me@example.org")
        );
        assert!(page.contains("line one\nخط دوم</textarea>"), "{to}");
        assert!(page.contains(r#"value="AF" selected"#), "{to}");
        assert!(page.contains(r#"value="email" checked"#), "{to}");
        assert!(!page.contains("error-summary"), "{to}: errors shown");
        assert!(!page.contains("error-message"), "{to}: errors shown");
        assert_eq!(app.count().await, 0, "{to}: something was stored");
    }

    // The redrawn form, completed and sent: stored once, in the new language.
    let mut fields = half_typed(&token);
    fields.push(("switch_lang", "fa-AF".into()));
    let page = post(&app, &fields, &cookies).await.text().await.unwrap();
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "lang");
    fields.push(("lang", "fa-AF".into()));
    fields.push(("csrf", extract_input(&page, "csrf").unwrap()));
    let sent = post(&app, &fields, "").await;
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(
        sent.text()
            .await
            .unwrap()
            .contains("<html lang=\"fa-AF\" dir=\"rtl\">")
    );
    assert_eq!(app.count().await, 1);
}

/// A Dari or Arabic keyboard types Persian (۰–۹) or Arabic-Indic (٠–٩) digits: phone
/// and date accept them and are stored in ASCII digits.
#[tokio::test]
async fn phone_and_date_in_persian_and_arabic_indic_digits_are_accepted_and_stored_in_ascii() {
    use haven::programme::Answer;
    let app = spawn_app().await;
    let cases = [
        ("+۹۳ ۷۰ ۱۲۳ ۴۵۶۷", "۱۹۸۷-۰۶-۰۵"),
        ("+٩٣ ٧٠ ١٢٣ ٤٥٦٧", "١٩٨٧-٠٦-٠٥"),
        ("+93 ۷۰ 123 ٤٥٦٧", "1987-۰6-٠5"),
    ];
    for (i, (phone, date)) in cases.iter().enumerate() {
        let mut fields = valid_answers();
        fields.retain(|(k, _)| *k != "phone" && *k != "date_of_birth");
        fields.push(("phone", (*phone).into()));
        fields.push(("date_of_birth", (*date).into()));
        let (status, page) = app.submit(&fields).await;
        assert_eq!(status, StatusCode::OK, "{phone} {date}: {page}");
        codes(&page);
        let all = app
            .store
            .enquiries_of_programme(&app.programme_id().await)
            .await
            .unwrap();
        assert_eq!(all.len(), i + 1);
        let keyring = app.keyring().await;
        let mut found = false;
        for e in &all {
            let content = crate::helpers::open_enquiry(&keyring, e).await.unwrap();
            assert_eq!(
                content.answers.get("phone"),
                Some(&Answer::Text("+93 70 123 4567".into()))
            );
            found |=
                content.answers.get("date_of_birth") == Some(&Answer::Text("1987-06-05".into()));
        }
        assert!(found);
    }
}

/// "(optional)" once, in every language the form is offered in, whatever the
/// programme's own label says.
#[tokio::test]
async fn optional_is_said_once_per_label() {
    let app = spawn_app().await;
    for (lang, word) in [
        ("en", "(optional)"),
        ("fr", "(facultatif)"),
        ("fa-AF", "(اختیاری)"),
        ("ps", "(اختیاري)"),
    ] {
        let page = app
            .get(&format!("/p/{SLUG}?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        let at = page.find(r#"<label for="f-phone">"#).expect("phone label");
        let label = &page[at..at + page[at..].find("</label>").unwrap()];
        assert_eq!(label.matches(word).count(), 1, "{lang}: {label}");
        assert!(
            page.matches(word).count() >= 2,
            "{lang}: other optional labels"
        );
    }
}

/// Every message of every `.ftl` file in `locales/<lang>/`, by key (continuation lines
/// joined).
fn messages(lang: &str) -> std::collections::BTreeMap<String, String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut all = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let mut key: Option<String> = None;
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let continued = line.starts_with([' ', '\t']) && !line.trim().is_empty();
            if continued && let Some(k) = &key {
                let text: &mut String = all.get_mut(k).unwrap();
                text.push(' ');
                text.push_str(line.trim());
            } else if let Some((k, v)) = line.split_once('=')
                && !line.starts_with(['#', ' ', '-'])
            {
                key = Some(k.trim().to_owned());
                all.insert(k.trim().to_owned(), v.trim().to_owned());
            } else {
                key = None;
            }
        }
    }
    all
}

/// Every localised text (a table with an `en` string) in a programme file, as the
/// language → text pairs it holds.
fn localised(value: &toml::Value, out: &mut Vec<Vec<(String, String)>>) {
    match value {
        toml::Value::Table(t) => {
            if t.get("en").is_some_and(toml::Value::is_str) {
                out.push(
                    t.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                        .collect(),
                );
            }
            t.values().for_each(|v| localised(v, out));
        }
        toml::Value::Array(a) => a.iter().for_each(|v| localised(v, out)),
        _ => {}
    }
}

#[test]
fn every_text_naming_a_concept_uses_its_glossary_term() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let glossary: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("locales/glossary.toml")).unwrap())
            .unwrap();
    assert!(glossary.contains_key("passphrase") && glossary.contains_key("reference code"));
    // Texts in every language, each as the English and its translations.
    let mut texts: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let english = messages("en");
    let translated: Vec<(&str, std::collections::BTreeMap<String, String>)> =
        LANGS.iter().map(|l| (*l, messages(l))).collect();
    for (key, en) in &english {
        let mut all = vec![("en".to_owned(), en.clone())];
        for (lang, m) in &translated {
            all.push(((*lang).to_owned(), m.get(key).cloned().unwrap_or_default()));
        }
        texts.push((format!("message {key}"), all));
    }
    for entry in std::fs::read_dir(root.join("ops/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let file: toml::Value =
                toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mut found = Vec::new();
            localised(&file, &mut found);
            for t in found {
                texts.push((format!("{} text", path.display()), t));
            }
        }
    }
    let mut wrong = Vec::new();
    for (concept, per_language) in &glossary {
        let forms = |lang: &str| -> Vec<String> {
            per_language[lang]
                .as_array()
                .unwrap_or_else(|| panic!("{concept}: no {lang} entry"))
                .iter()
                .map(|f| f.as_str().unwrap().to_lowercase())
                .collect()
        };
        let english_forms = forms("en");
        for lang in LANGS {
            assert!(!forms(lang).is_empty(), "{concept}: no {lang} term");
        }
        for (what, all) in &texts {
            // Line breaks inside a text are spaces to a reader.
            let flat = |t: &str| {
                t.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            };
            let en = &flat(&all.iter().find(|(l, _)| l == "en").unwrap().1);
            if !english_forms.iter().any(|f| en.contains(f.as_str())) {
                continue;
            }
            for (lang, text) in all {
                let text = flat(text);
                if lang != "en"
                    && !text.is_empty()
                    && !forms(lang).iter().any(|f| text.contains(f.as_str()))
                {
                    wrong.push(format!("{what} [{lang}] names {concept} otherwise: {text}"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The country list in the page's own language (CLDR's names), every code once.
#[tokio::test]
async fn country_names_are_in_the_pages_language() {
    let app = in_every_language().await;
    for (lang, afghanistan, uk) in [
        ("en", "Afghanistan", "United Kingdom"),
        ("fr", "Afghanistan", "Royaume-Uni"),
        ("uk", "Афганістан", "Велика Британія"),
        ("ar", "أفغانستان", "المملكة المتحدة"),
        ("fa-AF", "افغانستان", "بریتانیا"),
        ("ps", "افغانستان", "انګلستان"),
    ] {
        let page = app
            .get(&format!("/p/{SLUG}?lang={lang}"))
            .await
            .text()
            .await
            .unwrap();
        let at = page
            .find(r#"id="f-current_country""#)
            .expect("country select");
        let select = &page[at..at + page[at..].find("</select>").unwrap()];
        assert!(
            select.contains(&format!(r#"<option value="AF">{afghanistan}</option>"#)),
            "{lang}"
        );
        assert!(
            select.contains(&format!(r#"<option value="GB">{uk}</option>"#)),
            "{lang}"
        );
        assert_eq!(select.matches("<option value=\"").count(), 250, "{lang}");
    }
    // The code is what is sent and stored, whatever the language shown.
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "lang");
    fields.push(("lang", "ps".into()));
    let (status, _) = app.submit(&fields).await;
    assert_eq!(status, StatusCode::OK);
}

/// A "Leave quickly" link on every public page (a plain link, no script), and the form
/// links to the reply inbox.
#[tokio::test]
async fn every_public_page_can_be_left_quickly_and_the_form_links_to_the_inbox() {
    let app = spawn_app().await;
    let (_, receipt) = app.submit(&valid_answers()).await;
    let mut pages = vec![("receipt", receipt)];
    for path in [
        format!("/p/{SLUG}"),
        format!("/p/{SLUG}?lang=fa-AF"),
        format!("/p/{SLUG}/status"),
        format!("/p/{SLUG}/receipt"),
        "/p/nowhere".to_owned(),
    ] {
        pages.push(("page", app.get(&path).await.text().await.unwrap()));
    }
    for (what, page) in &pages {
        assert!(
            page.contains(r#"<a class="leave" href="/leave" rel="noreferrer""#),
            "{what}: {page}"
        );
        assert!(!page.contains("<script"));
        // The inbox link is the slug-free one (the programme's own still works).
        assert!(
            !page.contains(&format!(r#"href="/p/{SLUG}/status"#)),
            "{what}: {page}"
        );
    }
    for (lang, form) in [("en", &pages[1].1), ("fa-AF", &pages[2].1)] {
        let before_form = &form[..form.find("<form").unwrap()];
        assert!(
            before_form.contains(&format!(r#"href="/inbox?lang={lang}""#)),
            "{lang}: the form links to the reply inbox"
        );
    }
    assert!(pages[0].1.contains(r#"href="/inbox?lang=en""#));
}

/// The codes break only between their groups (each group unbreakable), left to right
/// and whole in print too, whatever the page's direction.
#[tokio::test]
async fn receipt_codes_break_only_between_groups_and_print_whole() {
    let app = spawn_app().await;
    let mut fields = valid_answers();
    fields.retain(|(k, _)| *k != "lang");
    fields.push(("lang", "fa-AF".into()));
    let (_, page) = app.submit(&fields).await;
    let at = page.find(r#"id="reference-code""#).unwrap();
    let reference = &page[at..at + page[at..].find("</strong>").unwrap()];
    assert_eq!(
        reference.matches(r#"<span class="group">"#).count(),
        4,
        "{reference}"
    );
    assert_eq!(reference.matches("-<wbr>").count(), 3, "{reference}");
    let (code, _) = codes(&page);
    assert_eq!(code.len(), 23);
    let css = app.get("/static/haven.css").await.text().await.unwrap();
    assert!(css.contains(".code .group{white-space:nowrap}"));
    assert!(
        !css.contains("word-break:break-all}"),
        "codes broke anywhere"
    );
    let print = &css[css.find("@media print").expect("a print style")..];
    assert!(print.contains("direction:ltr") && print.contains(".site-header"));
}

/// A receipt may be seen over a shoulder, photographed or left open on a seized phone:
/// it names Haven and the slug-free inbox, never the programme, and says the two codes
/// open everything the inbox shows. Both ways it is delivered (the 303 and its GET, and
/// the POST's own answer for a browser without cookies), in English and Dari.
#[tokio::test]
async fn the_receipt_names_only_haven_and_the_slug_free_inbox() {
    let app = spawn_app().await;
    let example: toml::Value = toml::from_str(crate::helpers::EXAMPLE).unwrap();
    for lang in ["en", "fa-AF"] {
        let title = example["title"][lang].as_str().unwrap();
        let (token, cookies) = fetch_form(&app, lang).await;
        let sent = post(&app, &answers(&token, lang), &cookies).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        let location = sent.headers()["location"].to_str().unwrap().to_owned();
        let all = format!("{cookies}; {}", cookies_of(&sent));
        let redirected = get_with(&app, &location, &all).await.text().await.unwrap();
        let (token, _) = fetch_form(&app, lang).await;
        let direct = post(&app, &answers(&token, lang), "").await;
        assert_eq!(direct.status(), StatusCode::OK);
        let direct = direct.text().await.unwrap();
        let warning = messages(lang)["receipt-codes-open"].clone();
        for page in [&redirected, &direct] {
            codes(page);
            assert!(
                !page.contains(title),
                "{lang}: the title on the receipt: {page}"
            );
            assert!(
                !page.contains(SLUG),
                "{lang}: the slug on the receipt: {page}"
            );
            assert!(
                !page.to_lowercase().contains("afghanistan"),
                "{lang}: {page}"
            );
            assert!(!page.contains("افغانستان"), "{lang}: {page}");
            assert_eq!(
                extract_by_id(page, "inbox-address").as_deref(),
                Some("/inbox"),
                "{lang}: {page}"
            );
            assert!(page.contains(&format!(r#"href="/inbox?lang={lang}""#)));
            assert!(page.contains(&warning), "{lang}: no warning: {page}");
        }
    }
}

/// Leaving goes through `/leave`: a 303 to the same neutral site as before, with
/// `Clear-Site-Data` so the browser drops this site's cache and cookies (the receipt's
/// sealed codes among them) on the way out. No script, and nothing cached of the exit.
#[tokio::test]
async fn leaving_clears_the_sites_cache_and_cookies_and_lands_on_the_neutral_site() {
    let app = spawn_app().await;
    for path in ["/leave", "/leave?from=receipt"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.headers()["location"], "https://www.google.com/");
        assert_eq!(res.headers()["clear-site-data"], r#""cache", "cookies""#);
        assert!(no_store(&res));
        assert!(res.text().await.unwrap().is_empty());
    }
    // The receipt and the inbox (its sign-in and an opened inbox) leave that way.
    let (_, receipt) = app.submit(&valid_answers()).await;
    let (reference, passphrase) = codes(&receipt);
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
    let sign_in = app.get("/inbox").await.text().await.unwrap();
    for page in [&receipt, &opened, &sign_in] {
        assert!(page.contains(r#"<a class="leave" href="/leave""#), "{page}");
    }
}
