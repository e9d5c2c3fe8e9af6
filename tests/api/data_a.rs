//! Issue 17, the data-handling items: the exposure guard's obfuscation gaps (item 11),
//! the file outbox's clear files (item 7), forwarded senders and `[import] replies`,
//! the timestamps stored in clear. Everything through real HTTP or the real binary.

use haven::casework::ProgrammeRole::*;
use reqwest::StatusCode;

use crate::helpers::{SLUG, html_unescape};
use crate::replies::{alerts, assert_replied, count, delivered, enquire, haven, post_reply};
use crate::staff::signed_in;

/// `code` (canonical, 20 symbols) in groups of `size` joined by `sep`.
fn grouped(code: &str, size: usize, sep: &str) -> String {
    code.as_bytes()
        .chunks(size)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(sep)
}

/// RFC 2047 `B` encoding of `text` in UTF-8.
fn encoded_word(text: &str) -> String {
    use base64::Engine;
    format!(
        "=?utf-8?B?{}?=",
        base64::engine::general_purpose::STANDARD.encode(text)
    )
}

// ── item 11: the exposure guard sees through obfuscation ─────────────────────────

#[tokio::test]
async fn the_exposure_guard_sees_through_obfuscated_addresses_and_codes() {
    let (app, sink) = haven(&[(SLUG, "full")]).await;
    let mut sup = signed_in(&app, "lead@example.org", Supervisor, Some(SLUG)).await;
    let ana = enquire(
        &app,
        SLUG,
        Some("ana.rahimi@example.org"),
        "en",
        "other",
        "Ana Rahimi",
    )
    .await;
    let omar = enquire(
        &app,
        SLUG,
        Some("omar@example.org"),
        "en",
        "other",
        "Omar Karimi",
    )
    .await;
    let code = omar.canonical_reference();
    let fullwidth_code: String = code
        .chars()
        .map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap())
        .collect();

    // (subject, text): each one of the outside review's inputs, and their kin.
    let mut cases: Vec<(String, String)> = vec![
        // Addresses.
        (
            "About your case".into(),
            "Write to omar＠example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar\u{200b}@example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar@\u{200d}example\u{2060}.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar [at] example [dot] org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar (at) example (dot) org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar {AT} example.org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar at example dot org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to omar @ example . org too.".into(),
        ),
        (
            "About your case".into(),
            "Write to ｏｍａｒ＠ｅｘａｍｐｌｅ．ｏｒｇ too.".into(),
        ),
        (
            "About your case".into(),
            "Write to =?utf-8?Q?omar=40example.org?= too.".into(),
        ),
        // Another enquirer's code, any separator, groups of five or four.
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, ".")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "–")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "/")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, " – ")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "_")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, "-")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, ".")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, "/")),
        ),
        (
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 5, "\u{200b}")),
        ),
        (
            "About your case".into(),
            format!("Linked: {fullwidth_code}"),
        ),
        // Encoded words in a subject are refused outright, whatever they say.
        (encoded_word("omar@example.org"), "See the subject.".into()),
        (
            "=?utf-8?Q?Hello?=".into(),
            "A harmless subject, encoded.".into(),
        ),
    ];
    // Groups of four with plain spaces are caught when the code has a digit (all but
    // about 1 in 1,800 codes): four-letter words in a row are too common in prose.
    if code.chars().any(|c| c.is_ascii_digit()) {
        cases.push((
            "About your case".into(),
            format!("Linked: {}", grouped(&code, 4, " ")),
        ));
    }

    // Every case is tried before failing, so that one run lists all that get through.
    let mut got_through = Vec::new();
    for (subject, text) in &cases {
        let page = post_reply(&mut sup, &ana.id, "", subject, text).await;
        if page.status != StatusCode::UNPROCESSABLE_ENTITY {
            got_through.push(format!("{subject} / {text}"));
            continue;
        }
        let shown = html_unescape(&page.body);
        assert!(
            shown.contains(text.as_str()),
            "the typed text is kept: {text}"
        );
        assert!(
            shown.contains(subject.as_str()),
            "the typed subject is kept: {subject}"
        );
        let wanted = if subject.contains("=?") {
            "encoded word"
        } else if text.contains("Linked") {
            "reference code of another enquiry"
        } else {
            "email address other than its recipient"
        };
        if !shown.contains(wanted) {
            got_through.push(format!("refused, without \"{wanted}\": {subject} / {text}"));
        }
    }
    assert!(
        got_through.is_empty(),
        "got through the guard: {got_through:#?}"
    );
    assert_eq!(count(&app, "replies").await, 0, "no reply stored");
    assert_eq!(count(&app, "outbox").await, 0, "nothing queued");
    let alerted = alerts(&app).await.len();
    assert!(
        alerted >= cases.len() - 2,
        "each exposure alerted ({alerted})"
    );

    // What is not an obfuscation still goes: Ana's own address and code however
    // written, Dari with its zero-width non-joiners, prose in short words.
    let own = ana.canonical_reference();
    for (i, text) in [
        "We will write to ana.rahimi＠example.org soon.".to_owned(),
        format!("Your case is {}.", grouped(&own, 4, ".")),
        "می‌خواهیم کمک کنیم. ما به شما می‌نویسیم.".to_owned(),
        "When they have been sent, look at the guidance at gov.uk.".to_owned(),
        "Dear Ana, we have your form and will write back soon.".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        let page = post_reply(&mut sup, &ana.id, "", "About your case", text).await;
        assert_replied(&page, &ana.id);
        assert_eq!(count(&app, "replies").await, i as i64 + 1, "{text}");
    }
    let sent = delivered(&app, &sink, 5).await;
    assert_eq!(
        sent.len(),
        5,
        "the five harmless replies went, and nothing else"
    );
}
