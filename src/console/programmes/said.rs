//! The programme parser's errors in words, in the admin's language, for the editor's
//! pages: where (the question, rule, template or setting, by its name) and what is
//! wrong, with a link to the page where it is fixed. The parser's own messages name
//! paths (`routing.rules[2].when[0].equals`), which is right for a file on the command
//! line and wrong for a form.

use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::DefinitionErrors;
use crate::programme::definition::{Localised, ProgrammeFile};
use crate::programme::problems::{Problem, Unit, Unreadable, Want};

use super::Editing;
use super::widgets::linked;

/// Each error as one sentence (with the line of the text first when `with_lines`: the
/// TOML page), and a link where the item has a page. `text`: the definition as posted,
/// which names what the paths point at.
pub(super) fn in_words(
    ed: &Editing,
    text: &str,
    errors: &DefinitionErrors,
    with_lines: bool,
) -> Vec<String> {
    said(
        &Context {
            lang: ed.lang,
            base: ed.base(),
            stored: Some(ed.programme.file()),
        },
        text,
        errors,
        with_lines,
    )
}

/// [`in_words`] for a programme not stored yet (a new one): no links.
pub(super) fn new_in_words(lang: Language, text: &str, errors: &DefinitionErrors) -> Vec<String> {
    said(
        &Context {
            lang,
            base: String::new(),
            stored: None,
        },
        text,
        errors,
        false,
    )
}

/// Who reads, and the programme as stored (whose pages the links go to).
struct Context<'a> {
    lang: Language,
    base: String,
    stored: Option<&'a ProgrammeFile>,
}

fn said(ed: &Context<'_>, text: &str, errors: &DefinitionErrors, with_lines: bool) -> Vec<String> {
    let posted: Option<ProgrammeFile> = toml::from_str(text).ok();
    errors
        .0
        .iter()
        .map(|e| {
            // A key unknown or missing is named in the sentence: the place is where
            // it was (or belongs), not the key again.
            let path = match &e.problem {
                Problem::Unreadable(
                    Unreadable::UnknownKey { .. } | Unreadable::MissingKey { .. },
                ) => e.path.rsplit_once('.').map_or("", |(parent, _)| parent),
                _ => e.path.as_str(),
            };
            let place = place(ed, posted.as_ref(), path);
            let what = what(ed.lang, posted.as_ref(), &e.problem);
            let mut sentence = t_args(
                ed.lang,
                "said-sentence",
                &[("where", place.words), ("what", what)],
            );
            if let (true, Some(line)) = (with_lines, e.line) {
                sentence = t_args(
                    ed.lang,
                    "said-on-line",
                    &[("line", line.to_string()), ("sentence", sentence)],
                );
            }
            match place.link.filter(|_| ed.stored.is_some()) {
                Some(href) => linked(&sentence, &href),
                None => sentence,
            }
        })
        .collect()
}

struct Place {
    words: String,
    link: Option<String>,
}

/// A step of a path: `fields[2]` is `("fields", Some(2))`.
fn steps(path: &str) -> Vec<(&str, Option<usize>)> {
    if path.is_empty() {
        return Vec::new();
    }
    path.split('.')
        .map(|step| match step.split_once('[') {
            Some((name, index)) => (name, index.trim_end_matches(']').parse().ok()),
            None => (step, None),
        })
        .collect()
}

/// A text in `lang`, else in the first language that has one.
fn local(texts: &Localised, lang: Language) -> Option<String> {
    texts
        .get(lang.tag())
        .or_else(|| texts.values().next())
        .filter(|s| !s.trim().is_empty())
        .cloned()
}

fn place(ed: &Context<'_>, posted: Option<&ProgrammeFile>, path: &str) -> Place {
    let lang = ed.lang;
    let base = &ed.base;
    let stored = ed.stored;
    let steps = steps(path);
    let mut words: Vec<String> = Vec::new();
    let mut link = None;
    let n = |i: usize| (i + 1).to_string();
    let mut rest: &[(&str, Option<usize>)] = &steps;
    match steps.as_slice() {
        [] => words.push(t(lang, "said-file")),
        [
            (
                name @ ("title" | "intro" | "privacy_notice" | "closed_message" | "handling_rules"),
                None,
            ),
            more @ ..,
        ] => {
            words.push(t(lang, &format!("said-text-{name}")));
            link = Some(format!("{base}/general"));
            rest = more;
        }
        [
            (
                name @ ("slug" | "status" | "languages" | "escrow" | "retention_days" | "contact"),
                index,
            ),
            more @ ..,
        ] => {
            words.push(t(lang, &format!("said-{name}")));
            if let Some(i) = index {
                words.push(t_args(lang, "said-entry", &[("n", n(*i))]));
            }
            link = Some(format!("{base}/general"));
            rest = more;
        }
        [(name @ ("outbound" | "import" | "staff"), None), more @ ..] => {
            words.push(t(lang, &format!("said-{name}")));
            link = Some(format!("{base}/general"));
            rest = more;
        }
        [("fields", None)] => {
            words.push(t(lang, "said-questions"));
            link = Some(format!("{base}/fields"));
            rest = &[];
        }
        [("fields", Some(i)), more @ ..] => {
            let field = posted.and_then(|f| f.fields.get(*i));
            words.push(match field.and_then(|f| local(&f.label, lang)) {
                Some(label) => t_args(lang, "said-question", &[("name", label)]),
                None => t_args(lang, "said-question-n", &[("n", n(*i))]),
            });
            link = Some(
                match field
                    .filter(|f| stored.is_some_and(|st| st.fields.iter().any(|s| s.key == f.key)))
                {
                    Some(f) => format!("{base}/fields/{}", f.key),
                    None => format!("{base}/fields"),
                },
            );
            rest = more;
            if let [("options", Some(j)), after @ ..] = more {
                let option = field.and_then(|f| f.options.get(*j));
                words.push(match option.filter(|o| !o.value.is_empty()) {
                    Some(o) => t_args(lang, "said-option", &[("value", o.value.clone())]),
                    None => t_args(lang, "said-option-n", &[("n", n(*j))]),
                });
                rest = after;
            }
        }
        [("queues", None)] => {
            words.push(t(lang, "said-queues"));
            link = Some(format!("{base}/queues"));
            rest = &[];
        }
        [("queues", Some(i)), more @ ..] => {
            let queue = posted.and_then(|f| f.queues.get(*i));
            words.push(match queue.and_then(|q| local(&q.name, lang)) {
                Some(name) => t_args(lang, "said-queue", &[("name", name)]),
                None => t_args(lang, "said-queue-n", &[("n", n(*i))]),
            });
            link = Some(
                match queue
                    .filter(|q| stored.is_some_and(|st| st.queues.iter().any(|s| s.key == q.key)))
                {
                    Some(q) => format!("{base}/queues/{}", q.key),
                    None => format!("{base}/queues"),
                },
            );
            rest = more;
        }
        [("routing", None), ("rules", Some(i)), more @ ..] => {
            let rule = posted.and_then(|f| f.routing.rules.get(*i));
            words.push(match rule.filter(|r| !r.name.trim().is_empty()) {
                Some(r) => t_args(lang, "said-rule", &[("name", r.name.trim().to_owned())]),
                None => t_args(lang, "said-rule-n", &[("n", n(*i))]),
            });
            link = Some(if stored.is_some_and(|st| *i < st.routing.rules.len()) {
                format!("{base}/rules/{i}")
            } else {
                format!("{base}/routing")
            });
            rest = more;
            if let [("when", Some(j)), after @ ..] = more {
                words.push(t_args(lang, "said-condition", &[("n", n(*j))]));
                rest = after;
            }
        }
        [("routing", None), more @ ..] => {
            words.push(t(lang, "said-routing"));
            link = Some(format!("{base}/routing"));
            rest = more;
        }
        [("templates", None)] => {
            words.push(t(lang, "said-templates"));
            link = Some(format!("{base}/templates"));
            rest = &[];
        }
        [("templates", Some(i)), more @ ..] => {
            let template = posted.and_then(|f| f.templates.get(*i));
            words.push(match template.filter(|t| !t.name.trim().is_empty()) {
                Some(tp) => t_args(
                    lang,
                    "said-template",
                    &[("name", tp.name.trim().to_owned())],
                ),
                None => t_args(lang, "said-template-n", &[("n", n(*i))]),
            });
            link = Some(
                match template.filter(|tp| {
                    stored.is_some_and(|st| st.templates.iter().any(|s| s.key == tp.key))
                }) {
                    Some(tp) => format!("{base}/templates/{}", tp.key),
                    None => format!("{base}/templates"),
                },
            );
            rest = more;
        }
        [("referrals", None), more @ ..] => {
            words.push(t(lang, "said-referrals"));
            link = Some(format!("{base}/partners"));
            rest = more;
        }
        [("partners", None)] => {
            words.push(t(lang, "said-partners"));
            link = Some(format!("{base}/partners"));
            rest = &[];
        }
        [("partners", Some(i)), more @ ..] => {
            let partner = posted.and_then(|f| f.partners.get(*i));
            words.push(match partner.filter(|p| !p.name.trim().is_empty()) {
                Some(p) => t_args(lang, "said-partner", &[("name", p.name.trim().to_owned())]),
                None => t_args(lang, "said-partner-n", &[("n", n(*i))]),
            });
            link = Some(
                match partner
                    .filter(|p| stored.is_some_and(|st| st.partners.iter().any(|s| s.key == p.key)))
                {
                    Some(p) => format!("{base}/partners/{}", p.key),
                    None => format!("{base}/partners"),
                },
            );
            rest = more;
        }
        _ => {}
    }
    // What is left: a part of the item (its key, a text in one language, an entry of
    // a list), each said by its own name.
    for (name, index) in rest {
        match Language::parse(name) {
            Ok(language) if index.is_none() => words.push(t_args(
                lang,
                "said-in-language",
                &[("language", language.endonym().to_owned())],
            )),
            _ => {
                let id = format!("said-part-{name}");
                words.push(if crate::i18n::is_translated(lang, &id) {
                    t(lang, &id)
                } else {
                    t_args(lang, "said-setting", &[("name", (*name).to_owned())])
                });
                if let Some(i) = index {
                    words.push(t_args(lang, "said-entry", &[("n", n(*i))]));
                }
            }
        }
    }
    Place {
        words: words.join(&t(lang, "said-separator")),
        link,
    }
}

/// A question by its label, for a sentence.
fn question(lang: Language, posted: Option<&ProgrammeFile>, key: &str) -> String {
    posted
        .and_then(|f| f.fields.iter().find(|f| f.key == key))
        .and_then(|f| local(&f.label, lang))
        .unwrap_or_else(|| key.to_owned())
}

fn what(lang: Language, posted: Option<&ProgrammeFile>, problem: &Problem) -> String {
    let one = |id: &str, name: &'static str, value: String| t_args(lang, id, &[(name, value)]);
    match problem {
        Problem::Unreadable(u) => match u {
            Unreadable::UnknownKey { key } => one("said-unknown-key", "key", key.clone()),
            Unreadable::MissingKey { key } => one("said-missing-key", "key", key.clone()),
            Unreadable::UnknownValue { value } => one("said-unknown-value", "value", value.clone()),
            Unreadable::WrongType => t(lang, "said-wrong-type"),
            Unreadable::Duplicate => t(lang, "said-duplicate"),
            Unreadable::Syntax => t(lang, "said-syntax"),
        },
        Problem::NotATable => t(lang, "said-not-a-table"),
        Problem::TooMany { max } => one("said-too-many", "max", max.to_string()),
        Problem::OneLine { max } => one("said-one-line", "max", max.to_string()),
        Problem::ListedTwice { value } => one("said-twice", "value", value.clone()),
        Problem::NotSingleCheckbox => t(lang, "said-not-single-checkbox"),
        Problem::NoSuchField { key } => one("said-no-such-question", "key", key.clone()),
        Problem::BasesNeeded => t(lang, "said-bases-needed"),
        Problem::Key { dashes: true } => t(lang, "said-key-dashes"),
        Problem::Key { dashes: false } => t(lang, "said-key"),
        Problem::KeyTaken { key } => one("said-key-taken", "key", key.clone()),
        Problem::Email => t(lang, "said-email"),
        Problem::PartnerRecipient => t(lang, "said-partner-recipient"),
        Problem::PartnerFieldsEmpty => t(lang, "said-partner-fields-empty"),
        Problem::FieldAndFact { name } => one("said-field-and-fact", "name", name.clone()),
        Problem::NeitherFieldNorFact { name } => {
            one("said-neither-field-nor-fact", "name", name.clone())
        }
        Problem::PersonalUnconfirmed { names } => one(
            "said-personal-unconfirmed",
            "names",
            names.join(&t(lang, "said-list-separator")),
        ),
        Problem::NotPersonal => t(lang, "said-not-personal"),
        Problem::WrongKind { want: Want::Text } => t(lang, "said-want-text"),
        Problem::WrongKind {
            want: Want::TextOrTextarea,
        } => t(lang, "said-want-text-or-textarea"),
        Problem::NameLength { max } => one("said-name-length", "max", max.to_string()),
        Problem::SubjectOneLine => t(lang, "said-subject-one-line"),
        Problem::UnknownPlaceholder { name } => {
            one("said-unknown-placeholder", "name", format!("{{{name}}}"))
        }
        Problem::Unclosed => t(lang, "said-unclosed"),
        Problem::Unopened => t(lang, "said-unopened"),
        Problem::NameWithoutField => t(lang, "said-name-without-field"),
        Problem::NoLanguages => t(lang, "said-no-languages"),
        Problem::UnsupportedLanguage { tag } => {
            one("said-unsupported-language", "tag", tag.clone())
        }
        Problem::TextMissing { .. } => t(lang, "said-text-missing"),
        Problem::TextEmpty => t(lang, "said-text-empty"),
        Problem::TooLong { max } => one("said-too-long", "max", max.to_string()),
        Problem::SecondText { tag } => one("said-second-text", "language", endonym(tag)),
        Problem::NotALanguage { tag } => one("said-not-a-language", "language", endonym(tag)),
        Problem::DefaultMissing { tag } => one("said-default-missing", "language", endonym(tag)),
        Problem::NoFields => t(lang, "said-no-fields"),
        Problem::Reserved { key } => one("said-reserved", "key", key.clone()),
        Problem::NoMaxLength => t(lang, "said-no-max-length"),
        Problem::Range { max, unit } => t_args(
            lang,
            match unit {
                Unit::Days => "said-range-days",
                Unit::Characters => "said-range-characters",
                Unit::Priority => "said-range-priority",
            },
            &[("max", max.to_string())],
        ),
        Problem::OptionsNeeded => t(lang, "said-options-needed"),
        Problem::OptionsNotAllowed => t(lang, "said-options-not-allowed"),
        Problem::OptionValue => t(lang, "said-option-value"),
        Problem::NoQueues => t(lang, "said-no-queues"),
        Problem::NotAQueue { key } => one("said-not-a-queue", "key", key.clone()),
        Problem::RuleNameEmpty => t(lang, "said-rule-name-empty"),
        Problem::NoConditions => t(lang, "said-no-conditions"),
        Problem::OneOperator => t(lang, "said-one-operator"),
        Problem::CheckboxAnswered => t(lang, "said-checkbox-answered"),
        Problem::EmptyValue => t(lang, "said-empty-value"),
        Problem::NotAnOption { value, field } => t_args(
            lang,
            "said-not-an-option",
            &[
                ("value", value.clone()),
                ("question", question(lang, posted, field)),
            ],
        ),
        Problem::EmptyList => t(lang, "said-empty-list"),
        Problem::ContainsKind => t(lang, "said-contains-kind"),
        Problem::Empty => t(lang, "said-empty"),
        Problem::Slug => t(lang, "said-bad-slug"),
        Problem::Escrow => t(lang, "said-bad-escrow"),
        Problem::CountriesFirst => t(lang, "said-countries-first"),
        Problem::DiscreetAddress => t(lang, "said-discreet-address"),
    }
}

/// A language by its own name, or the tag as written if Haven does not know it.
fn endonym(tag: &str) -> String {
    Language::parse(tag).map_or_else(|_| tag.to_owned(), |l| l.endonym().to_owned())
}
