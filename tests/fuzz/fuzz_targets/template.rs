//! The template renderer: placeholders are checked or refused; rendering never panics;
//! a rendered subject is one line whatever the values hold.
#![no_main]

use haven::outbound::template::{Context, placeholders, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, &str)| {
    let (subject, body, name) = input;
    let _ = placeholders(subject);
    let _ = placeholders(body);
    let ctx = Context {
        reference: "ABCDE-FGHJK-MNPQR-STVWX".into(),
        name: Some(name.to_owned()),
        inbox_url: "https://help.example/p/x/status".into(),
        programme: "Help".into(),
    };
    let r = render(subject, body, &ctx);
    assert!(!r.subject.contains(['\r', '\n']), "a subject is one line");
    assert!(
        r.html.is_some_and(|h| !h.contains("<script")),
        "the HTML is escaped text"
    );
});
