//! Every email to an enquirer is composed here: who it says it is from, what
//! `{programme}` and `{inbox_url}` stand for, and the line every such email ends with.
//!
//! The mere arrival of a message can tell whoever reads a person's mailbox (a
//! relative, an employer, an official at a checkpoint) who they wrote to. So by
//! default nothing in an email, its headers or its envelope names the programme: the
//! From name is the instance's neutral name (`HAVEN_MAIL_FROM_NAME`), `{programme}`
//! stands for that same name, and the reply inbox is the slug-free `/inbox`, given as
//! an address to type rather than a link (a message with a link is what a phisher
//! sends; the person learns never to follow one). An instance admin may let one
//! programme name itself (`[outbound] sender = "programme"`, a widening: password and
//! audit). The Message-ID host and the EHLO name are the sending domain's, set in
//! `outbound`, for every message.

use crate::domain::{EmailAddress, Language, ReferenceCode};
use crate::i18n::t_args;
use crate::outbound::template::{html_from_text, one_line};
use crate::outbound::{OutboundError, OutboundMessage, Recipient, Rendered};
use crate::programme::{Programme, Sender};

/// The slug-free reply inbox: one for every programme (the reference code finds it).
pub const INBOX_PATH: &str = "/inbox";

/// Where emails to enquirers come from.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub from: EmailAddress,
    /// The neutral From name (`HAVEN_MAIL_FROM_NAME`).
    pub from_name: String,
    /// The public origin, for the inbox address (`None`: the path alone).
    pub public_url: Option<String>,
    /// Keys the hash of each email's text on its outbox row (`crate::stamp`).
    pub text_key: crate::stamp::TextKey,
}

/// Whether an instance admin let this programme name itself in emails.
pub fn names_programme(programme: &Programme) -> bool {
    programme.file().outbound.sender == Sender::Programme
}

/// The From display name of an email about `programme` in `lang`.
pub fn sender_name(head: &Letterhead, programme: &Programme, lang: Language) -> String {
    if names_programme(programme) {
        one_line(programme.text(&programme.file().title, lang))
    } else {
        head.from_name.clone()
    }
}

/// What `{programme}` stands for in a template: the neutral name unless the
/// programme opted in.
pub fn programme_name(head: &Letterhead, programme: &Programme, lang: Language) -> String {
    if names_programme(programme) {
        programme.text(&programme.file().title, lang).to_owned()
    } else {
        head.from_name.clone()
    }
}

/// The reply inbox as an address to type: the host and `/inbox`, without a scheme
/// (which mail clients turn into a link) and without the programme's slug.
pub fn inbox_address(public_url: Option<&str>) -> String {
    let origin = public_url.unwrap_or("").trim_end_matches('/');
    let host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    format!("{host}{INBOX_PATH}")
}

/// The line every email to an enquirer ends with, in their language.
pub fn footer(head: &Letterhead, lang: Language) -> String {
    t_args(
        lang,
        "mail-footer-never-asks",
        &[("inbox", inbox_address(head.public_url.as_deref()))],
    )
}

/// The one way to build an email to an enquirer: `rendered` (subject and text; its
/// HTML is made again from the text) with the fixed last line, from the neutral
/// sender unless the programme opted in.
pub fn letter(
    head: &Letterhead,
    programme: &Programme,
    lang: Language,
    recipient: Recipient,
    rendered: &Rendered,
    own_reference: Option<&ReferenceCode>,
) -> Result<OutboundMessage, OutboundError> {
    let text = format!(
        "{}\n\n--\n{}\n",
        rendered.text.trim_end(),
        footer(head, lang)
    );
    let rendered = Rendered {
        subject: one_line(&rendered.subject),
        html: Some(html_from_text(&text)),
        text,
    };
    OutboundMessage::new(
        &head.from,
        &sender_name(head, programme, lang),
        recipient,
        &rendered,
        own_reference,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inbox_address_has_no_scheme_and_no_slug() {
        assert_eq!(
            inbox_address(Some("https://help.example.org")),
            "help.example.org/inbox"
        );
        assert_eq!(inbox_address(Some("http://abc.onion/")), "abc.onion/inbox");
        assert_eq!(inbox_address(None), "/inbox");
    }

    #[test]
    fn the_footer_names_the_inbox_in_every_language() {
        let head = Letterhead {
            from: EmailAddress::parse("help@haven.example").unwrap(),
            from_name: "Haven".into(),
            public_url: Some("https://help.example.org".into()),
            text_key: crate::stamp::TextKey::generate(),
        };
        for lang in Language::ALL {
            let line = footer(&head, lang);
            assert!(line.contains("help.example.org/inbox"), "{lang:?}: {line}");
            assert!(!line.contains('{') && !line.contains("https://"), "{line}");
        }
    }
}
