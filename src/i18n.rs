//! Interface text through Fluent. Programme texts (questions, titles) come from the
//! programme file instead; this is only Haven's own wording.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::domain::Language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Arguments are labels in the page's own language and numbers; isolation marks
        // would only add invisible characters to copy-pasted text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static IDS: LazyLock<Vec<(Language, LanguageIdentifier)>> = LazyLock::new(|| {
    Language::ALL
        .iter()
        .map(|l| {
            (
                *l,
                l.tag()
                    .parse()
                    .expect("every shipped tag is a valid language id"),
            )
        })
        .collect()
});

fn id_of(lang: Language) -> &'static LanguageIdentifier {
    &IDS.iter()
        .find(|(l, _)| *l == lang)
        .expect("IDS covers Language::ALL")
        .1
}

/// The message `id` in `lang` (falling back to English).
pub fn t(lang: Language, id: &str) -> String {
    LOCALES.lookup(id_of(lang), id)
}

/// The message `id` in `lang` with named arguments.
pub fn t_args(lang: Language, id: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
        .collect();
    LOCALES.lookup_with_args(id_of(lang), id, &args)
}

/// Whether `lang` has its own translation of `id` (no fallback).
pub fn is_translated(lang: Language, id: &str) -> bool {
    LOCALES
        .lookup_single_language::<&str>(id_of(lang), id, None)
        .is_ok()
}

/// A message to be shown in the reader's language later: an id and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }

    pub fn render(&self, lang: Language) -> String {
        t_args(lang, self.id, &self.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_messages_resolve_with_arguments() {
        assert_eq!(t(Language::En, "form-submit"), "Send enquiry");
        assert_eq!(
            Msg::new("error-too-long")
                .arg("label", "Full name")
                .arg("max", "200")
                .render(Language::En),
            "“Full name” must be 200 characters or fewer"
        );
    }
}
