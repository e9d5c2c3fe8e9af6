//! Changing a programme: the one path from a new definition to a stored version, for
//! `haven programme apply`, the web editor's structured sections, its TOML page,
//! creating, cloning and archiving.
//!
//! Every caller hands over TOML text; [`save`] parses it with [`Programme::parse`]
//! (the checks `programme apply` runs, with the same line-numbered errors), compares
//! it with the stored definition ([`super::widening`]: what the change widens, which
//! instance-only settings it touches, which fields would change kind) and stores it
//! as a new version under a precondition bound to the version it was compared with.
//! The store accepts only a [`Reviewed`] definition, which only [`save`] makes (a
//! clippy `disallowed-methods` entry), so a save path cannot skip the review. The structured editors change a copy of the
//! parsed [`ProgrammeFile`] and serialise it with [`to_text`] before saving.

use std::collections::BTreeMap;

use super::definition::{
    ContactMode, EmailDisclosure, Field, FieldKind, Localised, ProgrammeFile, ProgrammeStatus,
    Queue, Routing,
};
use super::launch;
use super::widening::{self, KindChange, Widening};
use super::{DefinitionError, DefinitionErrors, Programme};
use crate::audit::Actor;
use crate::auth::reauth::Reauthenticated;
use crate::crypto::{CryptoError, ProgrammeKeyPair, ProgrammeSigner};
use crate::domain::{Language, ProgrammeSlug};
use crate::store::{ApplyOutcome, Precondition, Reviewed, SaveRefused, Store, StoreError};

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

/// Who saves, and the proof that they typed their password for this save, if they did.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// A staff member in the web editor; `instance_admin`: of every programme.
    Staff {
        id: &'a str,
        instance_admin: bool,
        confirmed: Option<&'a Reauthenticated>,
    },
    /// The operator's command line, which holds the master key. `confirmed`: run with
    /// `--as` an instance admin, whose password was read from standard input.
    CommandLine {
        confirmed: Option<&'a Reauthenticated>,
    },
}

impl Author<'_> {
    /// Whether the password was typed again, by the author themselves (on the command
    /// line: by an instance admin).
    pub fn confirmed(&self) -> bool {
        match self {
            Author::Staff { id, confirmed, .. } => confirmed.is_some_and(|p| p.user_id() == *id),
            Author::CommandLine { confirmed } => confirmed.is_some_and(|p| p.instance_admin()),
        }
    }

    /// Escrow and `[staff]` are for instance admins. The command line holds the
    /// master key, which opens everything anyway: it may change them (a widening
    /// still needs `--as`).
    fn may_change_instance_settings(&self) -> bool {
        match self {
            Author::Staff { instance_admin, .. } => *instance_admin,
            Author::CommandLine { .. } => true,
        }
    }

    /// The audit log's actor: the account, or `cli` for the command line without `--as`.
    pub fn actor(&self) -> Actor {
        match self {
            Author::Staff { id, .. } => Actor::staff(id),
            Author::CommandLine { confirmed: Some(p) } if p.instance_admin() => {
                Actor::staff(p.user_id())
            }
            Author::CommandLine { .. } => Actor::Cli,
        }
    }
}

/// What the store writes for `programme`, reviewed by [`save`] under `precondition`.
/// Made here and nowhere else: the store takes nothing but a [`Reviewed`].
///
/// A programme made in the web editor (`Precondition::Absent`: a copy or a blank one)
/// carries its launch-checklist marks ([`launch::marks_for_copy`]), which the store
/// writes in the transaction that creates it; the command line's `apply` (`Any`) marks
/// nothing, as before.
#[allow(clippy::disallowed_methods)] // The review happened in `save`, the one caller.
fn reviewed(programme: &Programme, precondition: Precondition) -> Reviewed {
    let marks = match precondition {
        Precondition::Absent => launch::marks_for_copy(programme.file())
            .into_iter()
            .map(|(item, fingerprint)| (item.key(), fingerprint.to_vec()))
            .collect(),
        Precondition::Any | Precondition::AtVersion(_) => Vec::new(),
    };
    Reviewed::new(
        programme.slug().as_str().to_owned(),
        match programme.status() {
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::Open => "open",
            ProgrammeStatus::Closed => "closed",
            ProgrammeStatus::Archived => "archived",
        },
        programme.to_toml(),
        programme.file().escrow.clone(),
        precondition,
    )
    .with_marks(marks)
}

/// A stored save.
#[derive(Debug)]
pub struct Saved {
    pub programme: Programme,
    pub outcome: ApplyOutcome,
    /// What the change widened (for a new programme: what it grants), by name in the
    /// audit entry.
    pub widened: Vec<Widening>,
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
    /// Fields whose kind would change although people answered them or a partner
    /// receives them: what was stored would be read as something else.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    KindChanged(Vec<KindChange>),
    /// Escrow or `[staff]` changed by someone who is not an instance admin.
    #[error("only an instance admin may change {}", .0.join(", "))]
    InstanceAdminOnly(Vec<&'static str>),
    /// A staff member's save would open a programme that is not ready: a language
    /// lacks a text, or nobody holds a role in it ([`launch::gaps`]).
    #[error("the programme cannot open yet: {}", .0.iter().map(launch::Gap::name).collect::<Vec<_>>().join(", "))]
    NotReady(Vec<launch::Gap>),
    /// The change widens who can read data; nothing was saved. Saving it needs the
    /// author's password again (on the command line: `--as` an instance admin).
    #[error("this change widens who can read the programme's data ({}): it needs the password again", widening::names(.0).join(", "))]
    NeedsReauth(Vec<Widening>),
    /// The stored state does not carry the console's signature (changed in the
    /// database directly): a save would vouch for it, so none is made until an
    /// operator checks it (`haven programme re-sign`).
    #[error(
        "the stored programme does not carry the console's signature (changed in the database directly?): nothing was saved; check it, then run `haven programme re-sign`"
    )]
    Unverified,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Validates `text` as `haven programme apply` does, reviews it against the stored
/// definition and stores it as a new version (audited as `author`, with `detail`
/// saying what changed, plus `widened` and `reauthenticated`). Identical text is a
/// no-op. A new programme gets a key of its own, wrapped to the master key's
/// recipient; every version written is signed by `signer` (the master key's
/// programme-signing key), and a stored state it did not sign is not saved over.
///
/// Refused, with nothing written: a kind change of a field people answered or a
/// partner receives; escrow or `[staff]` changed by a staff member who is not an
/// instance admin; a change that widens who can read data ([`widening::widenings`])
/// without the author's confirmed password. Creating a programme widens nothing
/// already stored; its entry lists what it grants.
pub async fn save(
    store: &Store,
    signer: &ProgrammeSigner,
    text: &str,
    expect: Expect<'_>,
    author: Author<'_>,
    mut detail: serde_json::Map<String, serde_json::Value>,
) -> Result<Saved, SaveError> {
    let programme = Programme::parse(text).map_err(SaveError::Invalid)?;
    let stored = store.programme_by_slug(programme.slug().as_str()).await?;
    let before = match &stored {
        Some(record) => Some(
            Programme::parse(&record.definition)
                .map_err(|_| StoreError::Corrupt("a stored programme definition does not parse"))?,
        ),
        None => None,
    };
    let precondition = match (expect, &stored, &before) {
        (Expect::New, Some(_), _) => return Err(SaveError::Exists),
        (Expect::New | Expect::Any, None, _) => Precondition::Absent,
        (Expect::Any, Some(record), _) => Precondition::AtVersion(record.version),
        (
            Expect::Edit {
                slug,
                version,
                status_change,
            },
            stored,
            before,
        ) => {
            if programme.slug() != slug {
                return Err(SaveError::SlugChanged);
            }
            let (Some(record), Some(before)) = (stored, before) else {
                return Err(SaveError::Missing);
            };
            if record.version != version {
                return Err(SaveError::Stale {
                    current: record.version,
                });
            }
            if !status_change && before.status() != programme.status() {
                return Err(SaveError::StatusChanged);
            }
            Precondition::AtVersion(version)
        }
    };

    let after = programme.file();
    let answered = match &stored {
        Some(record) => answered_forms(store, &record.id, before.as_ref()).await?,
        None => Vec::new(),
    };
    let kinds = widening::kind_changes(before.as_ref().map(Programme::file), &answered, after);
    if !kinds.is_empty() {
        return Err(SaveError::KindChanged(kinds));
    }
    let instance_only = widening::instance_settings(before.as_ref().map(Programme::file), after);
    if !instance_only.is_empty() && !author.may_change_instance_settings() {
        return Err(SaveError::InstanceAdminOnly(instance_only));
    }
    let opening = after.status == ProgrammeStatus::Open
        && before
            .as_ref()
            .is_none_or(|b| b.status() != ProgrammeStatus::Open);
    // The command line is the operator's, who holds the master key and starts
    // programmes from files before any account exists; it prints the gaps instead.
    if opening && matches!(author, Author::Staff { .. }) {
        let staff = match &stored {
            Some(record) => store.programme_staff(&record.id).await?.len(),
            None => 0,
        };
        let gaps = launch::gaps(after, programme.languages(), staff);
        if !gaps.is_empty() {
            return Err(SaveError::NotReady(gaps));
        }
    }
    let widened = match &before {
        Some(before) => widening::widenings(before.file(), after),
        None => widening::granted(after),
    };
    if before.is_some() && !widened.is_empty() && !author.confirmed() {
        return Err(SaveError::NeedsReauth(widened));
    }
    detail.insert("widened".into(), widening::names(&widened).into());
    detail.insert("reauthenticated".into(), author.confirmed().into());
    if matches!(author, Author::CommandLine { confirmed: Some(_) }) {
        detail.insert("via".into(), "cli".into());
    }

    let key = ProgrammeKeyPair::generate(signer.master_recipient())?;
    match store
        .save_programme(
            &reviewed(&programme, precondition),
            key,
            signer,
            &author.actor(),
            detail,
        )
        .await?
    {
        Ok(outcome) => Ok(Saved {
            programme,
            outcome,
            widened,
        }),
        Err(SaveRefused::Exists) => Err(SaveError::Exists),
        Err(SaveRefused::Missing) => Err(SaveError::Missing),
        Err(SaveRefused::Stale { current }) => Err(SaveError::Stale { current }),
        Err(SaveRefused::Unverified) => Err(SaveError::Unverified),
    }
}

/// The definitions of the form versions that stored enquiries were sent with. One
/// that no longer reads as a programme file stands for "every field of the stored
/// definition was answered", so that nothing it held can change kind unnoticed.
async fn answered_forms(
    store: &Store,
    programme_id: &str,
    before: Option<&Programme>,
) -> Result<Vec<ProgrammeFile>, StoreError> {
    Ok(store
        .answered_definitions(programme_id)
        .await?
        .iter()
        .filter_map(|text| {
            toml::from_str::<ProgrammeFile>(text)
                .ok()
                .or_else(|| before.map(|b| b.file().clone()))
        })
        .collect())
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
        public: Default::default(),
        title: one(title),
        intro: one(&say("programme-blank-intro")),
        privacy_notice: one(&say("programme-blank-privacy")),
        closed_message: one(&say("programme-blank-closed")),
        handling_rules: one(&say("programme-blank-handling")),
        fields: vec![Field {
            key: "message".into(),
            kind: FieldKind::Textarea,
            required: true,
            max_length: None,
            label: one(&say("programme-blank-question")),
            hint: BTreeMap::new(),
            options: Vec::new(),
            error: BTreeMap::new(),
            first: Vec::new(),
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
        show_sent_in_inbox: false,
        escrow: None,
    }
}

/// What a copy of `file` would bring along that widens who can read the copy's data
/// and that a copy may leave out: the escrow key, each partner, agents without a
/// second factor, emails carrying replies, partners named in the reply inbox. The
/// editor lists them, and keeps only those the admin ticks.
pub fn copy_choices(file: &ProgrammeFile) -> Vec<Widening> {
    widening::granted(file)
        .into_iter()
        .filter(|w| {
            matches!(
                w,
                Widening::Escrow
                    | Widening::PartnerAdded(_)
                    | Widening::AgentsWithoutSecondFactor
                    | Widening::EmailCarriesReplies
                    | Widening::InboxShowsReferrals
            )
        })
        .collect()
}

/// A copy of `source` under a new slug, as a draft: its form, queues, rules and
/// templates, none of its enquiries, and (when saved) a key of its own. Of what
/// [`copy_choices`] lists, only the items named in `keep` come along.
pub fn clone_as(source: &Programme, slug: &ProgrammeSlug, keep: &[String]) -> ProgrammeFile {
    let mut file = source.file().clone();
    file.slug = slug.as_str().to_owned();
    file.status = ProgrammeStatus::Draft;
    // An instance admin's choice for one programme, not for its copies.
    file.outbound.sender = Default::default();
    // A discreet address names one programme's pages: a copy chooses its own.
    file.public.discreet_address = None;
    for choice in copy_choices(&file) {
        if keep.contains(&choice.name()) {
            continue;
        }
        match choice {
            Widening::Escrow => file.escrow = None,
            Widening::PartnerAdded(key) => file.partners.retain(|p| p.key != key),
            Widening::AgentsWithoutSecondFactor => file.staff = Default::default(),
            Widening::EmailCarriesReplies => file.outbound.email = EmailDisclosure::Minimal,
            Widening::InboxShowsReferrals => file.referrals.show_in_inbox = false,
            _ => {}
        }
    }
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
    prune(&mut file.handling_rules);
    for field in &mut file.fields {
        prune(&mut field.label);
        prune(&mut field.hint);
        prune(&mut field.error);
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

/// `file` without `drop` among its languages and without their texts: the admin's
/// way to open at once, leaving an unfinished translation out. The default language
/// (the first) is never dropped.
pub fn drop_languages(file: &mut ProgrammeFile, drop: &[Language]) {
    let default = file.languages.first().cloned();
    file.languages
        .retain(|tag| Some(tag) == default.as_ref() || !drop.iter().any(|l| l.tag() == tag));
    keep_languages(file);
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
    fn a_clone_is_a_draft_under_its_new_slug_with_its_form_kept() {
        let source = Programme::parse(EXAMPLE).unwrap();
        let file = clone_as(&source, &slug("sudan-2026"), &[]);
        let copy = Programme::parse(&to_text(&file).unwrap()).unwrap();
        assert_eq!(copy.slug().as_str(), "sudan-2026");
        assert_eq!(copy.status(), ProgrammeStatus::Draft);
        assert_eq!(copy.file().fields, source.file().fields);
        assert_eq!(copy.file().routing, source.file().routing);
        assert_eq!(copy.file().templates, source.file().templates);
        assert_eq!(copy.file().handling_rules, source.file().handling_rules);
    }

    #[test]
    fn a_clone_leaves_out_what_widens_access_unless_it_is_kept() {
        let mut source = Programme::parse(EXAMPLE).unwrap().file().clone();
        source.escrow =
            Some("age18zkd4tcyta29xj6uv7qcltl75k4znt3grdnsjupxmp5l7t4t83jqpxwpp9".into());
        source.staff.agents_require_two_factor = false;
        source.outbound.email = EmailDisclosure::Full;
        let source = Programme::parse(&to_text(&source).unwrap()).unwrap();
        let offered: Vec<String> = copy_choices(source.file())
            .iter()
            .map(Widening::name)
            .collect();
        assert_eq!(
            offered,
            [
                "escrow",
                "outbound.email",
                "partners.resettlement-ngo",
                "partners.statistics",
                "referrals.show_in_inbox",
                "staff.agents_require_two_factor",
            ]
        );
        let bare = clone_as(&source, &slug("sudan-2026"), &[]);
        assert!(bare.escrow.is_none() && bare.partners.is_empty());
        assert!(bare.staff.agents_require_two_factor && !bare.referrals.show_in_inbox);
        assert_eq!(bare.outbound.email, EmailDisclosure::Minimal);
        assert!(copy_choices(&bare).is_empty());
        Programme::parse(&to_text(&bare).unwrap()).unwrap_or_else(|e| panic!("{e}"));
        let kept = clone_as(
            &source,
            &slug("sudan-2026"),
            &["partners.statistics".into(), "escrow".into()],
        );
        assert_eq!(kept.partners.len(), 1);
        assert_eq!(kept.escrow, source.file().escrow);
        assert!(kept.staff.agents_require_two_factor);
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

    /// The store writes a definition only in `Store::save_programme`, which takes a
    /// `Reviewed` (made only by `save`): a new way to write one would have to add SQL
    /// elsewhere, and this finds it.
    #[test]
    fn programme_definitions_are_written_in_one_place() {
        fn walk(dir: &std::path::Path, needles: &[&str], hits: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, needles, hits);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("store/programmes.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for (i, line) in text.lines().enumerate() {
                        let code = line.split("//").next().unwrap_or("");
                        if needles.iter().any(|n| code.contains(n)) {
                            hits.push(format!("{}:{}", path.display(), i + 1));
                        }
                    }
                }
            }
        }
        let mut hits = Vec::new();
        // Spelled in parts so this test does not find itself.
        let needles = [
            concat!("INTO programme", "_versions"),
            concat!("INTO programme", "s ("),
            concat!("definition", " = $"),
        ];
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &needles,
            &mut hits,
        );
        assert!(hits.is_empty(), "programme definitions written at {hits:?}");
    }

    #[test]
    fn archived_is_final_and_a_draft_cannot_be_closed() {
        use ProgrammeStatus::*;
        assert!(next_states(Archived).is_empty());
        assert!(!next_states(Draft).contains(&Closed));
        assert!(next_states(Closed).contains(&Open));
    }
}
