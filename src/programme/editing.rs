//! Changing a programme: the one path from a new definition to a stored version, for
//! `haven programme apply`, the web editor's structured sections and its TOML page.
//!
//! Every caller hands over TOML text; [`save`] parses it with [`Programme::parse`]
//! (the checks `programme apply` runs, with the same line-numbered errors) and stores
//! it as a new version under a precondition, so the web and the command line cannot
//! accept different programmes. The structured editors change a copy of the parsed
//! [`ProgrammeFile`] and serialise it with [`to_text`] before saving.

use std::collections::BTreeMap;

use super::definition::{
    ContactMode, Field, FieldKind, Localised, ProgrammeFile, ProgrammeStatus, Queue, Routing,
};
use super::{DefinitionError, DefinitionErrors, Programme};
use crate::audit::Actor;
use crate::crypto::{CryptoError, MasterKey, ProgrammeKeyPair};
use crate::domain::{Language, ProgrammeSlug};
use crate::store::{ApplyOutcome, Precondition, SaveRefused, Store, StoreError};

/// What the saver expects to find, so that an edit cannot land on the wrong programme
/// or silently undo someone else's save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect<'a> {
    /// Create or update (the command line).
    Any,
    /// A new programme; the slug must be free.
    New,
    /// An edit of `slug` as it was at `version`. The text may not change the slug,
    /// nor the status unless `status_change` (the status form asks for the password).
    Edit {
        slug: &'a ProgrammeSlug,
        version: i64,
        status_change: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{0}")]
    Invalid(DefinitionErrors),
    #[error("a programme with this slug already exists")]
    Exists,
    #[error("the programme was changed elsewhere (it is now at version {current})")]
    Stale { current: i64 },
    #[error("the programme does not exist")]
    Missing,
    #[error("the slug of an existing programme cannot be changed")]
    SlugChanged,
    #[error("the status is changed with the status buttons, which ask for your password")]
    StatusChanged,
    #[error("the changed programme cannot be written as TOML")]
    Unserialisable,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Validates `text` as `haven programme apply` does and stores it as a new version
/// (audited as `actor`, with `detail` saying what changed). Identical text is a
/// no-op. A new programme gets a key of its own, wrapped to the master key.
pub async fn save(
    store: &Store,
    master: &MasterKey,
    text: &str,
    expect: Expect<'_>,
    actor: &Actor,
    detail: serde_json::Map<String, serde_json::Value>,
) -> Result<(Programme, ApplyOutcome), SaveError> {
    let programme = Programme::parse(text).map_err(SaveError::Invalid)?;
    let precondition = match expect {
        Expect::Any => Precondition::Any,
        Expect::New => Precondition::Absent,
        Expect::Edit {
            slug,
            version,
            status_change,
        } => {
            if programme.slug() != slug {
                return Err(SaveError::SlugChanged);
            }
            if !status_change {
                let current = store
                    .programme_by_slug(slug.as_str())
                    .await?
                    .ok_or(SaveError::Missing)?;
                let before = Programme::parse(&current.definition).map_err(|_| {
                    StoreError::Corrupt("a stored programme definition does not parse")
                })?;
                if before.status() != programme.status() {
                    return Err(SaveError::StatusChanged);
                }
            }
            Precondition::AtVersion(version)
        }
    };
    let key = ProgrammeKeyPair::generate(&master.recipient())?;
    match store
        .save_programme(&programme.to_stored(), key, precondition, actor, detail)
        .await?
    {
        Ok(outcome) => Ok((programme, outcome)),
        Err(SaveRefused::Exists) => Err(SaveError::Exists),
        Err(SaveRefused::Missing) => Err(SaveError::Missing),
        Err(SaveRefused::Stale { current }) => Err(SaveError::Stale { current }),
    }
}

/// A changed definition as text for [`save`], in the order `programme export` prints.
pub fn to_text(file: &ProgrammeFile) -> Result<String, SaveError> {
    toml::to_string_pretty(file).map_err(|_| SaveError::Unserialisable)
}

/// Audit detail naming the part of the programme that an editor changed.
pub fn change(part: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut detail = serde_json::Map::new();
    detail.insert("change".into(), part.into());
    detail
}

/// The smallest programme that passes every check: a draft with one question, one
/// queue and no rules, for an admin to build on.
pub fn blank(slug: &ProgrammeSlug, title: &str, lang: Language) -> ProgrammeFile {
    let one = |text: &str| Localised::from([(lang.tag().to_owned(), text.to_owned())]);
    let say = |id: &str| crate::i18n::t(lang, id);
    ProgrammeFile {
        slug: slug.as_str().to_owned(),
        status: ProgrammeStatus::Draft,
        languages: vec![lang.tag().to_owned()],
        retention_days: 90,
        contact: ContactMode::InboxOnly,
        title: one(title),
        intro: one(&say("programme-blank-intro")),
        privacy_notice: one(&say("programme-blank-privacy")),
        closed_message: BTreeMap::new(),
        fields: vec![Field {
            key: "message".into(),
            kind: FieldKind::Textarea,
            required: true,
            max_length: None,
            label: one(&say("programme-blank-question")),
            hint: BTreeMap::new(),
            options: Vec::new(),
        }],
        queues: vec![Queue {
            key: "general".into(),
            name: one(&say("programme-blank-queue")),
        }],
        routing: Routing {
            default_queue: "general".into(),
            default_priority: 5,
            rules: Vec::new(),
        },
        staff: Default::default(),
        outbound: Default::default(),
        import: Default::default(),
        templates: Vec::new(),
        referrals: Default::default(),
        partners: Vec::new(),
        escrow: None,
    }
}

/// A copy of `source` under a new slug, as a draft: its form, queues, rules and
/// templates, none of its enquiries, and (when saved) a key of its own.
pub fn clone_as(source: &Programme, slug: &ProgrammeSlug) -> ProgrammeFile {
    let mut file = source.file().clone();
    file.slug = slug.as_str().to_owned();
    file.status = ProgrammeStatus::Draft;
    file
}

/// The states a programme may move to from `from` with the status form. Archived is
/// final: an archived programme's enquiries are only kept until they are purged.
pub fn next_states(from: ProgrammeStatus) -> &'static [ProgrammeStatus] {
    use ProgrammeStatus::*;
    match from {
        Draft => &[Open, Archived],
        Open => &[Closed],
        Closed => &[Open, Archived],
        Archived => &[],
    }
}

/// Drops texts in languages the programme no longer has, so that removing a language
/// in the editor does not leave a text behind that would fail validation.
pub fn keep_languages(file: &mut ProgrammeFile) {
    let keep: Vec<String> = file.languages.clone();
    let prune = |texts: &mut Localised| texts.retain(|tag, _| keep.contains(tag));
    prune(&mut file.title);
    prune(&mut file.intro);
    prune(&mut file.privacy_notice);
    prune(&mut file.closed_message);
    for field in &mut file.fields {
        prune(&mut field.label);
        prune(&mut field.hint);
        for option in &mut field.options {
            prune(&mut option.label);
        }
    }
    for queue in &mut file.queues {
        prune(&mut queue.name);
    }
    for template in &mut file.templates {
        prune(&mut template.subject);
        prune(&mut template.body);
    }
}

/// Errors of a structured edit, which has no text to point into: the path says where.
pub fn without_lines(errors: &DefinitionErrors) -> Vec<DefinitionError> {
    errors
        .0
        .iter()
        .map(|e| DefinitionError {
            line: None,
            ..e.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    fn slug(s: &str) -> ProgrammeSlug {
        ProgrammeSlug::parse(s).unwrap()
    }

    #[test]
    fn the_blank_programme_passes_every_check_in_every_language() {
        for lang in Language::ALL {
            let text = to_text(&blank(&slug("new-one"), "A title", lang)).unwrap();
            let p = Programme::parse(&text).unwrap_or_else(|e| panic!("{lang}: {e}\n{text}"));
            assert_eq!(p.status(), ProgrammeStatus::Draft);
            assert_eq!(p.languages(), [lang]);
            assert_eq!(p.text(&p.file().title, lang), "A title");
        }
    }

    #[test]
    fn a_clone_is_a_draft_under_its_new_slug_with_everything_else_kept() {
        let source = Programme::parse(EXAMPLE).unwrap();
        let file = clone_as(&source, &slug("sudan-2026"));
        let copy = Programme::parse(&to_text(&file).unwrap()).unwrap();
        assert_eq!(copy.slug().as_str(), "sudan-2026");
        assert_eq!(copy.status(), ProgrammeStatus::Draft);
        assert_eq!(copy.file().fields, source.file().fields);
        assert_eq!(copy.file().routing, source.file().routing);
        assert_eq!(copy.file().templates, source.file().templates);
    }

    #[test]
    fn removing_a_language_drops_its_texts_so_the_programme_still_validates() {
        let source = Programme::parse(EXAMPLE).unwrap();
        let mut file = source.file().clone();
        file.languages.retain(|l| l != "ps");
        assert!(Programme::parse(&to_text(&file).unwrap()).is_err());
        keep_languages(&mut file);
        let p = Programme::parse(&to_text(&file).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!p.file().title.contains_key("ps"));
        assert!(p.file().fields.iter().all(|f| !f.label.contains_key("ps")));
    }

    #[test]
    fn archived_is_final_and_a_draft_cannot_be_closed() {
        use ProgrammeStatus::*;
        assert!(next_states(Archived).is_empty());
        assert!(!next_states(Draft).contains(&Closed));
        assert!(next_states(Closed).contains(&Open));
    }
}
