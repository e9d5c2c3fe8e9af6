//! Templates checked before use (issue 19, item 6): which of the programme's languages
//! a template lacks, what a single reply from a template does when the person's
//! language is one of them, and the test message a staff member sends to their own
//! address to see a template as a person would.
//!
//! A test message is filled with fixed sample data ([`SAMPLE_REFERENCE`], a sample
//! name), never an enquiry's, and goes to exactly one address: the staff member's own.

use crate::domain::{EmailAddress, Language};
use crate::i18n::{t, t_args};
use crate::letters::{self, Letterhead};
use crate::outbound::template::{self, Context};
use crate::outbound::{OutboundError, OutboundMessage, Recipient, Rendered};
use crate::programme::{Programme, Template};

/// The reference code a test message shows: no real code has this shape.
pub const SAMPLE_REFERENCE: &str = "TEST-0000-0000";

/// Test messages one staff member may send in an hour.
pub const TESTS_PER_HOUR: usize = 10;

/// Whether `template` has no text of its own (subject and body) in `lang`.
pub fn lacks(template: &Template, lang: Language) -> bool {
    !(template.subject.contains_key(lang.tag()) && template.body.contains_key(lang.tag()))
}

/// The programme's languages `template` lacks, in the programme's order.
pub fn missing(p: &Programme, template: &Template) -> Vec<Language> {
    p.languages()
        .iter()
        .copied()
        .filter(|l| lacks(template, *l))
        .collect()
}

/// What a single reply from a template does about the person's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageChoice {
    /// No template, or the template has the person's language: nothing to choose.
    NotNeeded,
    /// The template lacks the person's language and nobody chose yet: the reply is
    /// held and the form asks.
    Ask {
        person: Language,
        fallback: Language,
    },
    /// The agent chose to send the template's fallback-language text.
    Fallback,
    /// The agent chose to write by hand: the template choice goes, the text stays.
    ByHand,
}

impl LanguageChoice {
    /// What the reply's audit entry records (`None`: there was nothing to choose).
    pub fn audited(self) -> Option<&'static str> {
        match self {
            Self::NotNeeded | Self::Ask { .. } => None,
            Self::Fallback => Some("fallback"),
            Self::ByHand => Some("by-hand"),
        }
    }
}

/// Decides for a reply from `template_key` to someone who wrote in `person` (a
/// language tag as stored with the enquiry). `fallback`: "send in the fallback
/// language" was chosen; `by_hand`: "write by hand" was.
pub fn language_choice(
    p: &Programme,
    template_key: Option<&str>,
    person: &str,
    fallback: bool,
    by_hand: bool,
) -> LanguageChoice {
    if by_hand {
        return LanguageChoice::ByHand;
    }
    let Some(template) = template_key.and_then(|k| p.template(k)) else {
        return LanguageChoice::NotNeeded;
    };
    let person = Language::parse(person).unwrap_or_else(|_| p.default_language());
    if !lacks(template, person) {
        return LanguageChoice::NotNeeded;
    }
    if fallback {
        return LanguageChoice::Fallback;
    }
    LanguageChoice::Ask {
        person,
        fallback: p.default_language(),
    }
}

/// The test message of `template` in `lang`, to `to` (the staff member's own
/// address), with its subject marked as a test in `ui` (the staff member's language).
pub fn test_message(
    mail: &Letterhead,
    p: &Programme,
    template: &Template,
    lang: Language,
    ui: Language,
    to: EmailAddress,
) -> Result<OutboundMessage, OutboundError> {
    let ctx = Context {
        reference: SAMPLE_REFERENCE.to_owned(),
        name: Some(t(lang, "console-sample-name")),
        inbox_url: letters::inbox_address(mail.public_url.as_deref()),
        programme: letters::programme_name(mail, p, lang),
    };
    let r = template::render(
        p.text(&template.subject, lang),
        p.text(&template.body, lang),
        &ctx,
    );
    let note = t_args(
        ui,
        "template-test-note",
        &[
            ("template", template.name.clone()),
            ("language", lang.endonym().to_owned()),
        ],
    );
    let rendered = Rendered {
        subject: format!("[{}] {}", t(ui, "template-test-tag"), r.subject),
        text: format!("{note}\n\n{}", r.text),
        html: None,
    };
    letters::letter(mail, p, lang, Recipient::new(to), &rendered, None)
}
