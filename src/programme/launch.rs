//! The launch checklist: what a programme still needs before its form goes live, part
//! by part (GOV.UK Forms' task list is the model), and the gate that keeps a staff
//! member from opening it before then.
//!
//! Each part is done, to review, or missing. *Missing* stops the programme from
//! opening ([`gaps`], which [`super::editing::save`] asks whenever a staff member's
//! save would open it): a language of the programme without one of its texts (title,
//! introduction, privacy notice, closed message, handling rules, a question's label,
//! a hint or error message the question has in another language, an option's label,
//! a template's subject or body), or nobody holding a role in the programme. People
//! who read Arabic must not get an English form laid out right to left, and a form
//! nobody reads must not take enquiries. *To review* does not stop it: an item copied
//! from another programme (or Haven's defaults for a blank one) that has been neither
//! edited nor confirmed since ([`Mark`]), and routing rules not tried since they last
//! changed.
//!
//! Everything here is pure: the console gathers the [`Facts`] (who holds a role, the
//! marks) and renders what comes back.

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::definition::{Localised, ProgrammeFile};
use crate::domain::Language;

/// How far along one part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    Done,
    ToReview,
    Missing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Done => "done",
            State::ToReview => "review",
            State::Missing => "missing",
        }
    }
}

/// The parts of the checklist, in the order the page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Title, introduction, privacy notice, closed message, handling rules.
    Texts,
    /// The questions: labels, hints, error messages and options.
    Questions,
    /// Queues and routing rules, tried in the test box.
    Routing,
    /// Reply templates in every language.
    Templates,
    /// Someone holds a role in the programme.
    Staff,
    Retention,
    Partners,
    /// How people are answered: contact mode, what emails say, the name field.
    Contact,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Texts,
        Section::Questions,
        Section::Routing,
        Section::Templates,
        Section::Staff,
        Section::Retention,
        Section::Partners,
        Section::Contact,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Texts => "texts",
            Section::Questions => "questions",
            Section::Routing => "routing",
            Section::Templates => "templates",
            Section::Staff => "staff",
            Section::Retention => "retention",
            Section::Partners => "partners",
            Section::Contact => "contact",
        }
    }
}

/// One text of the programme, as a language may lack it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Text {
    Title,
    Intro,
    PrivacyNotice,
    ClosedMessage,
    HandlingRules,
    Label { field: String },
    Hint { field: String },
    Error { field: String },
    Option { field: String, value: String },
    Subject { template: String },
    Body { template: String },
}

impl Text {
    /// Its path in the programme file, with the language: `fields.full_name.hint.ps`.
    pub fn path(&self, lang: Language) -> String {
        let tag = lang.tag();
        match self {
            Text::Title => format!("title.{tag}"),
            Text::Intro => format!("intro.{tag}"),
            Text::PrivacyNotice => format!("privacy_notice.{tag}"),
            Text::ClosedMessage => format!("closed_message.{tag}"),
            Text::HandlingRules => format!("handling_rules.{tag}"),
            Text::Label { field } => format!("fields.{field}.label.{tag}"),
            Text::Hint { field } => format!("fields.{field}.hint.{tag}"),
            Text::Error { field } => format!("fields.{field}.error.{tag}"),
            Text::Option { field, value } => format!("fields.{field}.options.{value}.label.{tag}"),
            Text::Subject { template } => format!("templates.{template}.subject.{tag}"),
            Text::Body { template } => format!("templates.{template}.body.{tag}"),
        }
    }

    fn section(&self) -> Section {
        match self {
            Text::Title
            | Text::Intro
            | Text::PrivacyNotice
            | Text::ClosedMessage
            | Text::HandlingRules => Section::Texts,
            Text::Label { .. } | Text::Hint { .. } | Text::Error { .. } | Text::Option { .. } => {
                Section::Questions
            }
            Text::Subject { .. } | Text::Body { .. } => Section::Templates,
        }
    }
}

/// Something that stops the programme from opening.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gap {
    /// A text is not there in `language`.
    Untranslated { language: Language, text: Text },
    /// Nobody holds a role in the programme: nobody would read what arrives.
    NoStaff,
}

impl Gap {
    /// A name for the audit log and the command line: the text's path, or `staff`.
    pub fn name(&self) -> String {
        match self {
            Gap::Untranslated { language, text } => text.path(*language),
            Gap::NoStaff => "staff".into(),
        }
    }

    fn section(&self) -> Section {
        match self {
            Gap::Untranslated { text, .. } => text.section(),
            Gap::NoStaff => Section::Staff,
        }
    }
}

/// An item a copy (or a blank programme's defaults) brings along, which the checklist
/// asks the admin to look at until it is edited or confirmed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// Title, introduction, privacy notice, closed message and handling rules.
    Texts,
    /// A question's hint (in every language).
    Hint(String),
    Template(String),
    Partner(String),
    Retention,
    /// Contact mode, what emails about a reply say, and which answer is the name.
    Contact,
}

impl Item {
    /// The name stored with the mark.
    pub fn key(&self) -> String {
        match self {
            Item::Texts => "texts".into(),
            Item::Hint(k) => format!("hint:{k}"),
            Item::Template(k) => format!("template:{k}"),
            Item::Partner(k) => format!("partner:{k}"),
            Item::Retention => "retention".into(),
            Item::Contact => "contact".into(),
        }
    }

    pub fn parse(key: &str) -> Option<Item> {
        Some(match key.split_once(':') {
            None if key == "texts" => Item::Texts,
            None if key == "retention" => Item::Retention,
            None if key == "contact" => Item::Contact,
            Some(("hint", k)) => Item::Hint(k.to_owned()),
            Some(("template", k)) => Item::Template(k.to_owned()),
            Some(("partner", k)) => Item::Partner(k.to_owned()),
            _ => return None,
        })
    }

    /// The checklist part it belongs to.
    pub fn section(&self) -> Section {
        match self {
            Item::Texts => Section::Texts,
            Item::Hint(_) => Section::Questions,
            Item::Template(_) => Section::Templates,
            Item::Partner(_) => Section::Partners,
            Item::Retention => Section::Retention,
            Item::Contact => Section::Contact,
        }
    }

    /// The SHA-256 of the item's content in `file`; `None` when the item is gone.
    pub fn fingerprint(&self, file: &ProgrammeFile) -> Option<[u8; 32]> {
        match self {
            Item::Texts => Some(digest(&(
                &file.title,
                &file.intro,
                &file.privacy_notice,
                &file.closed_message,
                &file.handling_rules,
            ))),
            Item::Hint(k) => file
                .fields
                .iter()
                .find(|f| f.key == *k)
                .map(|f| digest(&f.hint)),
            Item::Template(k) => file.templates.iter().find(|t| t.key == *k).map(digest),
            Item::Partner(k) => file.partners.iter().find(|p| p.key == *k).map(digest),
            Item::Retention => Some(digest(&file.retention_days)),
            Item::Contact => Some(digest(&(&file.contact, &file.outbound))),
        }
    }
}

/// What a staff member acknowledges: the handling rules in every language. Rules that
/// change are asked again.
pub fn rules_fingerprint(rules: &Localised) -> [u8; 32] {
    digest(rules)
}

/// The marks name for the routing rules as last tried.
pub const TRIED: &str = "tried:routing";

/// What the routing rules decide with: the questions' keys, kinds and option values,
/// the queues and the rules. Labels and hints do not change where an enquiry goes.
pub fn routing_fingerprint(file: &ProgrammeFile) -> [u8; 32] {
    let fields: Vec<(&str, &super::FieldKind, Vec<&str>)> = file
        .fields
        .iter()
        .map(|f| {
            (
                f.key.as_str(),
                &f.kind,
                f.options.iter().map(|o| o.value.as_str()).collect(),
            )
        })
        .collect();
    let queues: Vec<&str> = file.queues.iter().map(|q| q.key.as_str()).collect();
    digest(&(fields, queues, &file.routing))
}

fn digest(value: &impl Serialize) -> [u8; 32] {
    // serde_json of these types cannot fail (string keys, no floats).
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(bytes).into()
}

/// The marks that a new copy of `source` (or a blank programme) starts with: every
/// item it brings that an admin should read before opening.
pub fn marks_for_copy(file: &ProgrammeFile) -> Vec<(Item, [u8; 32])> {
    let mut items = vec![Item::Texts, Item::Retention, Item::Contact];
    items.extend(
        file.fields
            .iter()
            .filter(|f| !f.hint.is_empty())
            .map(|f| Item::Hint(f.key.clone())),
    );
    items.extend(file.templates.iter().map(|t| Item::Template(t.key.clone())));
    items.extend(file.partners.iter().map(|p| Item::Partner(p.key.clone())));
    items
        .into_iter()
        .filter_map(|i| i.fingerprint(file).map(|f| (i, f)))
        .collect()
}

/// Records the routing rules as tried now (the test box was used).
pub async fn record_tried(
    store: &crate::store::Store,
    programme_id: &str,
    file: &ProgrammeFile,
) -> Result<(), crate::store::StoreError> {
    store
        .put_launch_marks(
            programme_id,
            &[(TRIED.to_owned(), routing_fingerprint(file).to_vec())],
        )
        .await
}

/// A stored mark.
pub use crate::store::LaunchMark as Mark;

/// What the checklist needs besides the definition.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Active accounts holding a role in the programme.
    pub staff: usize,
    pub marks: Vec<Mark>,
}

/// Something to look at that does not stop the programme from opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// Copied and neither edited nor confirmed since.
    Copied(Item),
    /// The rules were not tried in the test box since they (or the questions and queues
    /// they use) last changed.
    RulesUntried,
}

/// One part of the checklist.
#[derive(Debug, Clone)]
pub struct Part {
    pub section: Section,
    pub state: State,
    pub gaps: Vec<Gap>,
    pub reviews: Vec<Review>,
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub parts: Vec<Part>,
}

impl Checklist {
    pub fn of(file: &ProgrammeFile, languages: &[Language], facts: &Facts) -> Checklist {
        let mut gaps = gaps(file, languages, facts.staff);
        let mut reviews: Vec<Review> = facts
            .marks
            .iter()
            .filter_map(|m| {
                let item = Item::parse(&m.item)?;
                let now = item.fingerprint(file)?;
                (now.as_slice() == m.fingerprint.as_slice()).then_some(Review::Copied(item))
            })
            .collect();
        // In the order the file lists them, as the admin reads the form.
        let place = |review: &Review| match review {
            Review::Copied(Item::Hint(k)) => file.fields.iter().position(|f| f.key == *k),
            Review::Copied(Item::Template(k)) => file.templates.iter().position(|t| t.key == *k),
            Review::Copied(Item::Partner(k)) => file.partners.iter().position(|p| p.key == *k),
            _ => None,
        };
        reviews.sort_by_key(|r| place(r).unwrap_or(0));
        let tried = facts
            .marks
            .iter()
            .any(|m| m.item == TRIED && m.fingerprint == routing_fingerprint(file));
        if !tried {
            reviews.push(Review::RulesUntried);
        }
        let parts = Section::ALL
            .iter()
            .map(|&section| {
                let (mine, rest): (Vec<Gap>, Vec<Gap>) =
                    gaps.drain(..).partition(|g| g.section() == section);
                gaps = rest;
                let mine_reviews: Vec<Review> = reviews
                    .iter()
                    .filter(|r| match r {
                        Review::Copied(item) => item.section() == section,
                        Review::RulesUntried => section == Section::Routing,
                    })
                    .cloned()
                    .collect();
                let state = if !mine.is_empty() {
                    State::Missing
                } else if !mine_reviews.is_empty() {
                    State::ToReview
                } else {
                    State::Done
                };
                Part {
                    section,
                    state,
                    gaps: mine,
                    reviews: mine_reviews,
                }
            })
            .collect();
        Checklist { parts }
    }

    pub fn part(&self, section: Section) -> Option<&Part> {
        self.parts.iter().find(|p| p.section == section)
    }

    /// Every gap, in checklist order.
    pub fn gaps(&self) -> impl Iterator<Item = &Gap> {
        self.parts.iter().flat_map(|p| p.gaps.iter())
    }

    pub fn ready(&self) -> bool {
        self.gaps().next().is_none()
    }

    /// How many parts are done, of how many.
    pub fn done(&self) -> (usize, usize) {
        (
            self.parts.iter().filter(|p| p.state == State::Done).count(),
            self.parts.len(),
        )
    }
}

/// The languages that lack a text, in the programme's order.
pub fn incomplete_languages(gaps: &[Gap], languages: &[Language]) -> Vec<Language> {
    languages
        .iter()
        .copied()
        .filter(|l| {
            gaps.iter()
                .any(|g| matches!(g, Gap::Untranslated { language, .. } if language == l))
        })
        .collect()
}

/// What stops the programme from opening: texts missing in a language, or nobody with
/// a role in it (`staff`: active accounts holding one). Empty: it may open.
pub fn gaps(file: &ProgrammeFile, languages: &[Language], staff: usize) -> Vec<Gap> {
    let mut found = Vec::new();
    for &language in languages {
        let mut need = |texts: &Localised, text: Text| {
            if !texts.contains_key(language.tag()) {
                found.push(Gap::Untranslated {
                    language,
                    text: text.clone(),
                });
            }
        };
        need(&file.title, Text::Title);
        need(&file.intro, Text::Intro);
        need(&file.privacy_notice, Text::PrivacyNotice);
        need(&file.closed_message, Text::ClosedMessage);
        need(&file.handling_rules, Text::HandlingRules);
        for field in &file.fields {
            let key = || field.key.clone();
            need(&field.label, Text::Label { field: key() });
            // A hint or an error message is optional, but one given in one language
            // is needed in all of them.
            if !field.hint.is_empty() {
                need(&field.hint, Text::Hint { field: key() });
            }
            if !field.error.is_empty() {
                need(&field.error, Text::Error { field: key() });
            }
            for option in &field.options {
                need(
                    &option.label,
                    Text::Option {
                        field: key(),
                        value: option.value.clone(),
                    },
                );
            }
        }
        for template in &file.templates {
            let key = || template.key.clone();
            need(&template.subject, Text::Subject { template: key() });
            need(&template.body, Text::Body { template: key() });
        }
    }
    if staff == 0 {
        found.push(Gap::NoStaff);
    }
    found
}

/// Gaps grouped by language, for a page that lists what each language lacks.
pub fn by_language(gaps: &[Gap]) -> BTreeMap<Language, Vec<&Text>> {
    let mut out: BTreeMap<Language, Vec<&Text>> = BTreeMap::new();
    for gap in gaps {
        if let Gap::Untranslated { language, text } = gap {
            out.entry(*language).or_default().push(text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::Programme;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    fn example() -> Programme {
        Programme::parse(EXAMPLE).unwrap()
    }

    fn names(gaps: &[Gap]) -> Vec<String> {
        gaps.iter().map(Gap::name).collect()
    }

    #[test]
    fn the_example_programme_is_complete_in_every_language() {
        let p = example();
        assert_eq!(p.languages().len(), 4);
        assert_eq!(
            names(&gaps(p.file(), p.languages(), 1)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn nobody_with_a_role_stops_the_opening() {
        let p = example();
        assert_eq!(names(&gaps(p.file(), p.languages(), 0)), ["staff"]);
    }

    #[test]
    fn every_kind_of_missing_text_is_named_in_its_language() {
        let p = example();
        let mut file = p.file().clone();
        file.title.remove("ps");
        file.closed_message.remove("fr");
        file.handling_rules.remove("fa-AF");
        let f = &mut file.fields[0];
        f.label.remove("ps");
        f.hint.remove("fr");
        let danger = file
            .fields
            .iter_mut()
            .find(|f| f.key == "in_danger")
            .unwrap();
        danger.error.remove("ps");
        danger.options[1].label.remove("fa-AF");
        file.templates[0].body.remove("ps");
        let mut found = names(&gaps(&file, p.languages(), 3));
        found.sort();
        let mut expected = [
            "closed_message.fr",
            "fields.full_name.hint.fr",
            "fields.full_name.label.ps",
            "fields.in_danger.error.ps",
            "fields.in_danger.options.no.label.fa-AF",
            "handling_rules.fa-AF",
            "templates.acknowledgement.body.ps",
            "title.ps",
        ];
        expected.sort();
        assert_eq!(found, expected);
        // Each language is named with exactly what it lacks.
        let all = gaps(&file, p.languages(), 3);
        let by = by_language(&all);
        assert_eq!(by[&Language::Fr].len(), 2);
        assert_eq!(by[&Language::FaAf].len(), 2);
        assert_eq!(by[&Language::Ps].len(), 4);
        assert!(!by.contains_key(&Language::En));
    }

    #[test]
    fn an_optional_text_absent_in_every_language_is_no_gap() {
        let p = example();
        let mut file = p.file().clone();
        for f in &mut file.fields {
            f.hint.clear();
            f.error.clear();
        }
        file.templates.clear();
        assert!(gaps(&file, p.languages(), 1).is_empty());
        // But the closed message and the handling rules are needed.
        file.closed_message.clear();
        file.handling_rules.clear();
        assert_eq!(gaps(&file, p.languages(), 1).len(), 8);
    }

    #[test]
    fn dropping_an_incomplete_language_makes_the_programme_ready() {
        let p = example();
        let mut file = p.file().clone();
        file.templates[1].body.remove("ps");
        file.title.remove("fr");
        let found = gaps(&file, p.languages(), 2);
        let incomplete = incomplete_languages(&found, p.languages());
        assert_eq!(incomplete, [Language::Fr, Language::Ps]);
        super::super::editing::drop_languages(&mut file, &incomplete);
        assert_eq!(file.languages, ["en", "fa-AF"]);
        let text = super::super::editing::to_text(&file).unwrap();
        let dropped = Programme::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(gaps(dropped.file(), dropped.languages(), 2).is_empty());
        // The default language stays, even when asked to go.
        super::super::editing::drop_languages(&mut file, &[Language::En]);
        assert_eq!(file.languages, ["en", "fa-AF"]);
    }

    #[test]
    fn a_copy_is_to_review_until_each_item_is_edited_or_its_mark_goes() {
        let p = example();
        let mut file = p.file().clone();
        let marks: Vec<Mark> = marks_for_copy(&file)
            .into_iter()
            .map(|(i, f)| Mark {
                item: i.key(),
                fingerprint: f.to_vec(),
            })
            .collect();
        let keys: Vec<&str> = marks.iter().map(|m| m.item.as_str()).collect();
        assert!(keys.contains(&"texts") && keys.contains(&"partner:resettlement-ngo"));
        assert!(keys.contains(&"hint:full_name") && !keys.contains(&"hint:help_category"));
        assert!(keys.contains(&"template:acknowledgement"));
        let facts = Facts {
            staff: 1,
            marks: marks.clone(),
        };
        let list = Checklist::of(&file, p.languages(), &facts);
        assert!(list.ready(), "marks do not stop the opening");
        for s in [
            Section::Texts,
            Section::Questions,
            Section::Templates,
            Section::Partners,
            Section::Retention,
            Section::Contact,
            Section::Routing,
        ] {
            assert_eq!(list.part(s).unwrap().state, State::ToReview, "{s:?}");
        }
        assert_eq!(list.part(Section::Staff).unwrap().state, State::Done);

        // Editing an item ends its mark; the others stay.
        file.title.insert("en".into(), "Sudan 2026".into());
        file.fields[0]
            .hint
            .insert("en".into(), "As in your passport.".into());
        let list = Checklist::of(&file, p.languages(), &facts);
        assert_eq!(list.part(Section::Texts).unwrap().state, State::Done);
        let questions = list.part(Section::Questions).unwrap();
        assert!(
            !questions
                .reviews
                .contains(&Review::Copied(Item::Hint("full_name".into())))
        );
        assert_eq!(questions.state, State::ToReview, "other hints remain");

        // Trying the rules marks routing done, until the rules change.
        let mut facts = facts;
        facts.marks.push(Mark {
            item: TRIED.into(),
            fingerprint: routing_fingerprint(&file).to_vec(),
        });
        let list = Checklist::of(&file, p.languages(), &facts);
        assert_eq!(list.part(Section::Routing).unwrap().state, State::Done);
        file.fields[0].label.insert("en".into(), "Name".into());
        let list = Checklist::of(&file, p.languages(), &facts);
        assert_eq!(
            list.part(Section::Routing).unwrap().state,
            State::Done,
            "a label does not change routing"
        );
        file.routing.rules.pop();
        let list = Checklist::of(&file, p.languages(), &facts);
        assert_eq!(list.part(Section::Routing).unwrap().state, State::ToReview);
    }

    #[test]
    fn a_missing_part_outranks_review_and_names_its_gaps() {
        let p = example();
        let mut file = p.file().clone();
        file.intro.remove("ps");
        let facts = Facts {
            staff: 0,
            marks: marks_for_copy(&file)
                .into_iter()
                .map(|(i, f)| Mark {
                    item: i.key(),
                    fingerprint: f.to_vec(),
                })
                .collect(),
        };
        let list = Checklist::of(&file, p.languages(), &facts);
        let texts = list.part(Section::Texts).unwrap();
        assert_eq!(texts.state, State::Missing);
        assert_eq!(names(&texts.gaps), ["intro.ps"]);
        assert_eq!(list.part(Section::Staff).unwrap().state, State::Missing);
        assert!(!list.ready());
        assert_eq!(list.done().1, Section::ALL.len());
    }

    #[test]
    fn item_names_read_back() {
        for item in [
            Item::Texts,
            Item::Hint("a_b".into()),
            Item::Template("t-1".into()),
            Item::Partner("p".into()),
            Item::Retention,
            Item::Contact,
        ] {
            assert_eq!(Item::parse(&item.key()), Some(item));
        }
        assert_eq!(Item::parse(TRIED), None);
        assert_eq!(Item::parse("nonsense"), None);
    }
}
