use std::fmt;

use serde::{Deserialize, Serialize};

/// An interface language Haven ships translations for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Language {
    En,
    Fr,
    /// Dari, as written in Afghanistan.
    FaAf,
    Ps,
    Uk,
    Ar,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unsupported language {0:?}: use one of en, fr, fa-AF, ps, uk, ar")]
pub struct UnsupportedLanguage(pub String);

impl Language {
    pub const ALL: [Language; 6] = [
        Language::En,
        Language::Fr,
        Language::FaAf,
        Language::Ps,
        Language::Uk,
        Language::Ar,
    ];

    /// The BCP 47 tag, as used in `lang=""`, in programme files and in `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::FaAf => "fa-AF",
            Language::Ps => "ps",
            Language::Uk => "uk",
            Language::Ar => "ar",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::FaAf => "دری",
            Language::Ps => "پښتو",
            Language::Uk => "Українська",
            Language::Ar => "العربية",
        }
    }

    pub fn is_rtl(self) -> bool {
        matches!(self, Language::FaAf | Language::Ps | Language::Ar)
    }

    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// Parses a tag case-insensitively. `fa` and `prs` (Dari's own code) mean Dari.
    pub fn parse(tag: &str) -> Result<Self, UnsupportedLanguage> {
        match tag.to_ascii_lowercase().as_str() {
            "en" => Ok(Language::En),
            "fr" => Ok(Language::Fr),
            "fa-af" | "fa" | "prs" => Ok(Language::FaAf),
            "ps" => Ok(Language::Ps),
            "uk" => Ok(Language::Uk),
            "ar" => Ok(Language::Ar),
            _ => Err(UnsupportedLanguage(tag.chars().take(20).collect())),
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality,
    /// among `offered`.
    pub fn negotiate(accept_language: &str, offered: &[Language]) -> Option<Language> {
        let mut ranked: Vec<(f32, usize, Language)> = Vec::new();
        for (i, item) in accept_language.split(',').take(20).enumerate() {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = Language::parse(tag).ok().or_else(|| {
                // `fr-CA` → `fr`; but `fa-IR` is Farsi, not Dari, and stays unmatched
                // unless bare `fa` is offered by the browser.
                let primary = tag.split('-').next().unwrap_or("");
                (primary != "fa")
                    .then(|| Language::parse(primary).ok())
                    .flatten()
            });
            if let Some(lang) = lang.filter(|l| offered.contains(l))
                && q > 0.0
            {
                ranked.push((q, i, lang));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2)
    }
}

impl TryFrom<String> for Language {
    type Error = UnsupportedLanguage;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.tag().to_owned()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality_among_offered_languages() {
        let offered = [Language::En, Language::Fr, Language::Ps];
        assert_eq!(
            Language::negotiate("ps;q=0.9, fr-CA;q=0.95, en;q=0.1", &offered),
            Some(Language::Fr)
        );
        assert_eq!(Language::negotiate("de, uk", &offered), None);
        assert_eq!(Language::negotiate("", &offered), None);
        assert_eq!(Language::negotiate("en;q=0", &offered), None);
    }

    #[test]
    fn rtl_languages_are_marked() {
        assert_eq!(Language::Ps.dir(), "rtl");
        assert_eq!(Language::FaAf.dir(), "rtl");
        assert_eq!(Language::Uk.dir(), "ltr");
    }
}
