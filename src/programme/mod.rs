//! Crisis programmes: their definition file, the answers people give, and their validation.

mod answers;
pub mod countries;
mod country_names;
pub mod definition;
pub mod editing;
pub mod launch;
mod limits;
pub mod live;
mod parse;
pub mod problems;
pub mod schema;
pub mod sharing;
pub mod uses;
pub mod widening;

pub use answers::{Answer, Answers};
pub use definition::{
    AttachmentPolicy, Condition, ContactMode, EmailDisclosure, Field, FieldKind, FieldOption,
    ImportReplies, ImportSettings, Localised, Match, OutboundSettings, Partner, ProgrammeFile,
    ProgrammeStatus, PublicSettings, Queue, ReferralSettings, Routing, RoutingRule, Sender,
    Template,
};
pub use parse::{DefinitionError, DefinitionErrors};

use crate::domain::{Language, ProgrammeSlug};

/// A programme definition that has passed every check in [`Programme::parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    file: ProgrammeFile,
    slug: ProgrammeSlug,
    languages: Vec<Language>,
}

impl Programme {
    pub fn file(&self) -> &ProgrammeFile {
        &self.file
    }

    pub fn slug(&self) -> &ProgrammeSlug {
        &self.slug
    }

    /// The name in the public pages' addresses (`/p/NAME`): the discreet address where
    /// the programme has one, else the slug.
    pub fn public_name(&self) -> ProgrammeSlug {
        self.file
            .public
            .discreet_address
            .as_deref()
            .and_then(|a| ProgrammeSlug::parse(a).ok())
            .unwrap_or_else(|| self.slug.clone())
    }

    /// Whether the public pages hide the programme (`[public] discreet_address`).
    pub fn is_discreet(&self) -> bool {
        self.file.public.discreet_address.is_some()
    }

    pub fn status(&self) -> ProgrammeStatus {
        self.file.status
    }

    /// The same definition with the status `archived` (still valid: status is free).
    pub fn archived(&self) -> Programme {
        let mut p = self.clone();
        p.file.status = ProgrammeStatus::Archived;
        p
    }

    /// Never empty; the first is the default.
    pub fn languages(&self) -> &[Language] {
        &self.languages
    }

    pub fn default_language(&self) -> Language {
        self.languages[0]
    }

    pub fn template(&self, key: &str) -> Option<&Template> {
        self.file.templates.iter().find(|t| t.key == key)
    }

    pub fn partner(&self, key: &str) -> Option<&Partner> {
        self.file.partners.iter().find(|p| p.key == key)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.file.fields.iter().find(|f| f.key == key)
    }

    /// The field imported mail's text goes into: `[import] text_field`, else the first
    /// textarea. `None`: this programme cannot take imported mail.
    pub fn import_text_field(&self) -> Option<&Field> {
        match &self.file.import.text_field {
            Some(key) => self.field(key),
            None => self
                .file
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Textarea),
        }
    }

    /// A programme text in `lang`, falling back to the default language (which
    /// validation guarantees is present for every required text).
    pub fn text<'a>(&self, texts: &'a Localised, lang: Language) -> &'a str {
        texts
            .get(lang.tag())
            .or_else(|| texts.get(self.default_language().tag()))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The canonical TOML form, as `haven programme export` prints it.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(&self.file).expect("a validated programme always serialises")
    }
}
