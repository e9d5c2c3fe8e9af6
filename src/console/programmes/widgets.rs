//! Pieces the editor's pages share: the posted form as name/value pairs, inputs with
//! their labels, the error and flash boxes.

use maud::{Markup, html};

use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::{Localised, ProgrammeStatus};

/// A posted form as the browser sent it, repeated names included (checkbox groups,
/// condition rows), so that whatever is wrong can be shown back as typed.
#[derive(Debug, Clone, Default)]
pub struct Posted(Vec<(String, String)>);

impl Posted {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value, or empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Every posted pair, in the order posted.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The pairs whose names start with `prefix`, with the prefix taken off.
    pub fn under(&self, prefix: &str) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter_map(|(k, v)| k.strip_prefix(prefix).map(|k| (k.to_owned(), v.clone())))
            .collect()
    }

    /// What may be shown back in a page: never a password.
    pub fn without_secrets(&self) -> Posted {
        Posted(
            self.0
                .iter()
                .filter(|(k, _)| !k.contains("password") && k != "csrf")
                .cloned()
                .collect(),
        )
    }

    /// Texts per language from inputs named `{prefix}.{tag}`; empty ones are left out
    /// (a text may not be empty, only absent).
    pub fn localised(&self, prefix: &str, languages: &[Language]) -> Localised {
        languages
            .iter()
            .filter_map(|l| {
                let value = self.text(&format!("{prefix}.{}", l.tag())).trim();
                (!value.is_empty()).then(|| (l.tag().to_owned(), normalise(value)))
            })
            .collect()
    }
}

/// Browsers send line breaks in textareas as CRLF; programme files use LF.
pub fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub fn status_value(s: ProgrammeStatus) -> &'static str {
    match s {
        ProgrammeStatus::Draft => "draft",
        ProgrammeStatus::Open => "open",
        ProgrammeStatus::Closed => "closed",
        ProgrammeStatus::Archived => "archived",
    }
}

pub fn status_label(lang: Language, s: ProgrammeStatus) -> String {
    t(lang, &format!("pe-status-{}", status_value(s)))
}

/// Messages after a redirect, from a fixed list: nothing typed into a URL is shown.
pub fn flash_box(lang: Language, done: Option<&str>) -> Markup {
    let id = match done {
        Some("created") => "pe-done-created",
        Some("saved") => "pe-done-saved",
        Some("unchanged") => "pe-done-unchanged",
        Some("granted") => "launch-done-granted",
        Some("removed") => "launch-done-removed",
        Some("requested") => "launch-done-requested",
        Some("approved") => "launch-done-approved",
        Some("refused") => "launch-done-refused",
        Some("withdrawn") => "launch-done-withdrawn",
        Some("confirmed") => "launch-done-confirmed",
        _ => return html! {},
    };
    html! { div class="notice" role="status" { p { (t(lang, id)) } } }
}

pub fn errors_box(lang: Language, errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (t(lang, "pe-error-title")) }
                ul {
                    @for e in errors {
                        li class="preserve" {
                            @match unlinked(e) {
                                (text, Some(href)) => { (text) " " a href=(href) { (t(lang, "said-go")) } }
                                (text, None) => (text),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Sets an error's link to the page where it is fixed, behind [`LINK`]: the errors of
/// a refused save travel as text to whichever page drew the form.
pub fn linked(text: &str, href: &str) -> String {
    format!("{text}{LINK}{href}")
}

/// Stands between an error's text and its link (INVISIBLE SEPARATOR, which nobody types).
const LINK: char = '\u{2063}';

/// An error's text and its link, if it has one that leads to a programme's page: the
/// text may hold what an admin typed, so nothing else becomes a link.
fn unlinked(error: &str) -> (&str, Option<&str>) {
    match error.rsplit_once(LINK) {
        Some((text, href))
            if href.starts_with("/admin/programmes/")
                && href
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_-#".contains(&b)) =>
        {
            (text, Some(href))
        }
        _ => (error, None),
    }
}

pub fn input(id: &str, name: &str, label: &str, hint: Option<&str>, value: &str) -> Markup {
    let hint_id = format!("{id}-hint");
    html! {
        div class="field" {
            label for=(id) { (label) }
            @if let Some(h) = hint { p class="hint" id=(hint_id) { (h) } }
            input type="text" id=(id) name=(name) value=(value) spellcheck="false" autocomplete="off"
                aria-describedby=[hint.map(|_| hint_id.clone())];
        }
    }
}

pub fn number(id: &str, name: &str, label: &str, value: &str) -> Markup {
    html! {
        div class="field" {
            label for=(id) { (label) }
            input type="text" inputmode="numeric" id=(id) name=(name) value=(value) autocomplete="off" class="short";
        }
    }
}

pub fn textarea(id: &str, name: &str, label: &str, hint: Option<&str>, value: &str) -> Markup {
    let hint_id = format!("{id}-hint");
    html! {
        div class="field" {
            label for=(id) { (label) }
            @if let Some(h) = hint { p class="hint" id=(hint_id) { (h) } }
            textarea id=(id) name=(name) rows="4" aria-describedby=[hint.map(|_| hint_id.clone())] { (value) }
        }
    }
}

/// One input per language of the programme for one text, each marked with its own
/// language and direction so it is typed and read correctly.
pub fn localised(
    lang: Language,
    languages: &[Language],
    name: &str,
    label: &str,
    long: bool,
    value: impl Fn(Language) -> String,
) -> Markup {
    html! {
        fieldset class="localised" {
            legend { (label) }
            @for l in languages {
                @let id = format!("{}-{}", name.replace('.', "-"), l.tag());
                @let field_name = format!("{name}.{}", l.tag());
                div class="field" {
                    label for=(id) { (t_args(lang, "pe-in-language", &[("language", l.endonym().to_owned())])) }
                    @if long {
                        textarea id=(id) name=(field_name) rows="4" lang=(l.tag()) dir=(l.dir()) { (value(*l)) }
                    } @else {
                        input type="text" id=(id) name=(field_name) value=(value(*l)) lang=(l.tag()) dir=(l.dir()) autocomplete="off";
                    }
                }
            }
        }
    }
}

/// The admin's own password, asked again before a weighty change.
pub fn password(lang: Language, form: &str) -> Markup {
    let id = format!("pw-{form}");
    html! {
        div class="field" {
            label for=(id) { (t(lang, "pe-password")) }
            input type="password" id=(id) name="current_password" autocomplete="current-password";
        }
    }
}

pub fn version_field(version: i64) -> Markup {
    html! { input type="hidden" name="version" value=(version); }
}

/// A name set in a sentence of the console's language, isolated from it (FSI … PDI): an
/// English name in an Arabic sentence keeps its own direction and leaves the sentence's
/// punctuation where it belongs.
pub fn isolated(name: &str) -> String {
    format!("\u{2068}{name}\u{2069}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message the editor uses, in the block the English file keeps for it.
    fn editor_keys() -> Vec<&'static str> {
        let en = include_str!("../../../locales/en/haven.ftl");
        let block = en
            .split("## Programme editor")
            .nth(1)
            .expect("the English file has the editor's block");
        // Up to the next block (later features append theirs).
        let block = block.split("\n## ").next().unwrap_or(block);
        let keys: Vec<&str> = block
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
            .filter(|k| !k.starts_with(' ') && !k.is_empty())
            .collect();
        assert!(keys.len() > 100, "{}", keys.len());
        keys
    }

    #[test]
    fn every_editor_text_is_translated_into_every_shipped_language() {
        let files = [
            (Language::Fr, include_str!("../../../locales/fr/haven.ftl")),
            (
                Language::FaAf,
                include_str!("../../../locales/fa-AF/haven.ftl"),
            ),
            (Language::Ps, include_str!("../../../locales/ps/haven.ftl")),
            (Language::Uk, include_str!("../../../locales/uk/haven.ftl")),
            (Language::Ar, include_str!("../../../locales/ar/haven.ftl")),
        ];
        for (lang, text) in files {
            let missing: Vec<&str> = editor_keys()
                .into_iter()
                .filter(|k| !text.contains(&format!("\n{k} = ")))
                .collect();
            assert!(missing.is_empty(), "{lang}: {missing:?}");
            // And the bundle loaded them (a syntax error would drop messages).
            let args: Vec<(&'static str, String)> = [
                "slug",
                "version",
                "line",
                "language",
                "languages",
                "status",
                "queue",
                "priority",
                "rule",
                "key",
                "name",
                "fields",
            ]
            .into_iter()
            .map(|a| (a, "x".to_owned()))
            .collect();
            for k in editor_keys() {
                let shown = t_args(lang, k, &args);
                assert!(
                    !shown.is_empty() && !shown.contains("Unknown"),
                    "{lang} {k}: {shown}"
                );
            }
        }
    }

    #[test]
    fn arguments_reach_every_translation() {
        for lang in Language::ALL {
            let text = t_args(lang, "pe-error-stale", &[("version", "917".into())]);
            assert!(text.contains("917"), "{lang}: {text}");
            let text = t(lang, "pe-template-placeholders");
            assert!(
                text.contains("{reference}") && text.contains("{inbox_url}"),
                "{lang}: {text}"
            );
        }
    }

    #[test]
    fn secrets_are_never_shown_back() {
        let posted = Posted::new(vec![
            ("csrf".into(), "t".into()),
            ("current_password".into(), "hunter2".into()),
            ("slug".into(), "x".into()),
        ]);
        let shown = posted.without_secrets();
        assert_eq!(shown.get("current_password"), None);
        assert_eq!(shown.get("csrf"), None);
        assert_eq!(shown.text("slug"), "x");
    }
}
