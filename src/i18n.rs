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

/// Whether `lang` has its own translation of `id` (no fallback). A message that needs
/// arguments fails to format without them, but it is there.
pub fn is_translated(lang: Language, id: &str) -> bool {
    // fluent-templates does not export its error type; its formatting errors are the
    // ones that say "Fluent errors" (a missing message says "Couldn't retrieve").
    match LOCALES.lookup_single_language::<&str>(id_of(lang), id, None) {
        Ok(_) => true,
        Err(e) => e.to_string().starts_with("Fluent errors"),
    }
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
        assert!(
            is_translated(Language::Fr, "error-too-long"),
            "needs arguments"
        );
        assert!(!is_translated(Language::Fr, "no-such-message"));
        assert_eq!(
            Msg::new("error-too-long")
                .arg("label", "Full name")
                .arg("max", "200")
                .render(Language::En),
            "“Full name” must be 200 characters or fewer"
        );
    }

    #[test]
    fn every_english_message_has_its_own_translation_in_every_shipped_language() {
        // Every `.ftl` file of the English folder: features keep their texts in files of
        // their own (`haven.ftl`, `inbox.ftl`, …), and the loader reads them all.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en");
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(dir).expect("locales/en exists") {
            let path = entry.expect("readable entry").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                texts.push(std::fs::read_to_string(&path).expect("readable ftl"));
            }
        }
        let ids: Vec<&str> = texts
            .iter()
            .flat_map(|t| t.lines())
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next())
            .collect();
        assert!(
            ids.len() > 300,
            "the parse found the messages: {}",
            ids.len()
        );
        let mut missing = Vec::new();
        for lang in Language::ALL {
            for id in &ids {
                if !is_translated(lang, id) {
                    missing.push(format!("{}: {id}", lang.tag()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated: {missing:#?}");
    }
}
