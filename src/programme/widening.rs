//! What a change to a programme widens: who can read its data, or whose data leaves
//! and how much of it.
//!
//! Every save of a programme ([`super::editing::save`]: each editor section, the TOML
//! page, creating and cloning, `haven programme apply`, archiving) compares the stored
//! definition with the new one here. A change that widens anything needs the password
//! again and is audited with each item by name ([`Widening::name`], a path in the
//! programme file); escrow and `[staff]` are an instance admin's
//! ([`instance_settings`]); and a field keeps its kind once people answered it or a
//! partner receives it ([`kind_changes`]), because what was stored is classified by
//! the form it was sent with, and a partner's profile by what it carries.
//!
//! Narrowing is free: removing a partner, an option, a language or a text, dropping
//! escrow (an instance admin's call), requiring a second factor, minimal emails.

use std::collections::BTreeSet;

use super::definition::{
    ContactMode, EmailDisclosure, Field, FieldKind, ImportReplies, ProgrammeFile, Sender,
};
use super::sharing::{Pseudo, personal_entries};

/// One way a change lets more, or other, people read a programme's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widening {
    /// An offline key that opens every new ciphertext (and, after a key rotation, the
    /// old ones), outside the decrypt cap and the audit log: added or replaced.
    Escrow,
    /// A partner that was not there.
    PartnerAdded(String),
    /// Referrals to this partner go to another mailbox.
    PartnerAddress(String),
    /// Packages for this partner are sealed to another key.
    PartnerRecipient(String),
    /// The partner's profile carries entries it did not, or an entry became personal.
    PartnerProfile { partner: String, added: Vec<String> },
    /// The consent a personal profile depends on was dropped or moved to another box.
    Consent,
    /// A question whose answers leave for a partner, or the consent box, asks
    /// something else now (its kind, texts, options, length, or it became required).
    SharedField(String),
    /// A language was added while answers leave for partners: people writing in it
    /// have theirs shared too.
    Language(String),
    /// The reply inbox tells whoever opens it which partners the case went to.
    InboxShowsReferrals,
    /// Agents may sign in without a second factor.
    AgentsWithoutSecondFactor,
    /// Emails about a reply carry the reply itself.
    EmailCarriesReplies,
    /// An answer (a name) is put into replies and emails, or another answer is.
    NameInMessages,
    /// People may give an email address, and replies are announced to a mailbox.
    ContactByEmail,
    /// Answers to imported mail carry the reply itself.
    ImportRepliesCarryText,
    /// Imported mail's text now goes into a field a partner receives.
    ImportTextShared,
    /// Emails to enquirers name the programme (From name, `{programme}`): a mailbox
    /// read by someone else learns what the person wrote about.
    SenderNamesProgramme,
}

impl Widening {
    /// The item's path in the programme file, as the audit log and the pages name it.
    pub fn name(&self) -> String {
        match self {
            Widening::Escrow => "escrow".into(),
            Widening::PartnerAdded(p) => format!("partners.{p}"),
            Widening::PartnerAddress(p) => format!("partners.{p}.address"),
            Widening::PartnerRecipient(p) => format!("partners.{p}.recipient"),
            Widening::PartnerProfile { partner, .. } => format!("partners.{partner}.fields"),
            Widening::Consent => "referrals.consent_field".into(),
            Widening::SharedField(f) => format!("fields.{f}"),
            Widening::Language(l) => format!("languages.{l}"),
            Widening::InboxShowsReferrals => "referrals.show_in_inbox".into(),
            Widening::AgentsWithoutSecondFactor => STAFF_TWO_FACTOR.into(),
            Widening::EmailCarriesReplies => "outbound.email".into(),
            Widening::NameInMessages => "outbound.name_field".into(),
            Widening::ContactByEmail => "contact".into(),
            Widening::ImportRepliesCarryText => "import.replies".into(),
            Widening::ImportTextShared => "import.text_field".into(),
            Widening::SenderNamesProgramme => SENDER.into(),
        }
    }

    /// What kind of widening, for a page to explain in its own language.
    pub fn kind(&self) -> &'static str {
        match self {
            Widening::Escrow => "escrow",
            Widening::PartnerAdded(_) => "partner-added",
            Widening::PartnerAddress(_) => "partner-address",
            Widening::PartnerRecipient(_) => "partner-recipient",
            Widening::PartnerProfile { .. } => "partner-profile",
            Widening::Consent => "consent",
            Widening::SharedField(_) => "shared-field",
            Widening::Language(_) => "language",
            Widening::InboxShowsReferrals => "inbox-referrals",
            Widening::AgentsWithoutSecondFactor => "two-factor",
            Widening::EmailCarriesReplies => "email-full",
            Widening::NameInMessages => "name-field",
            Widening::ContactByEmail => "contact-email",
            Widening::ImportRepliesCarryText => "import-replies-full",
            Widening::ImportTextShared => "import-text-shared",
            Widening::SenderNamesProgramme => "sender-programme",
        }
    }
}

const STAFF_TWO_FACTOR: &str = "staff.agents_require_two_factor";
const SENDER: &str = "outbound.sender";

/// The names of `widenings`, as an audit entry lists them.
pub fn names(widenings: &[Widening]) -> Vec<String> {
    widenings.iter().map(Widening::name).collect()
}

/// How `after` widens `before`, sorted by name; empty when it does not.
pub fn widenings(before: &ProgrammeFile, after: &ProgrammeFile) -> Vec<Widening> {
    let mut found = Vec::new();
    if after.escrow.is_some() && after.escrow != before.escrow {
        found.push(Widening::Escrow);
    }
    if before.contact == ContactMode::InboxOnly && after.contact == ContactMode::EmailOptional {
        found.push(Widening::ContactByEmail);
    }
    if before.staff.agents_require_two_factor && !after.staff.agents_require_two_factor {
        found.push(Widening::AgentsWithoutSecondFactor);
    }
    if before.outbound.email == EmailDisclosure::Minimal
        && after.outbound.email == EmailDisclosure::Full
    {
        found.push(Widening::EmailCarriesReplies);
    }
    if before.outbound.sender == Sender::Neutral && after.outbound.sender == Sender::Programme {
        found.push(Widening::SenderNamesProgramme);
    }
    if after.outbound.name_field.is_some()
        && after.outbound.name_field != before.outbound.name_field
    {
        found.push(Widening::NameInMessages);
    }
    if before.import.replies == ImportReplies::Minimal
        && after.import.replies == ImportReplies::Full
    {
        found.push(Widening::ImportRepliesCarryText);
    }
    let shared_after = shared_fields(after);
    if let Some(text) = import_text_field(after)
        && import_text_field(before) != Some(text)
        && shared_after.contains(text)
    {
        found.push(Widening::ImportTextShared);
    }
    if let Some(consent) = &before.referrals.consent_field
        && after.referrals.consent_field.as_ref() != Some(consent)
    {
        found.push(Widening::Consent);
    }
    if !before.referrals.show_in_inbox && after.referrals.show_in_inbox {
        found.push(Widening::InboxShowsReferrals);
    }
    if answers_leave(after) {
        found.extend(
            after
                .languages
                .iter()
                .filter(|l| !before.languages.contains(l))
                .map(|l| Widening::Language(l.clone())),
        );
    }
    let consent_after = after.referrals.consent_field.as_deref();
    for field in &after.fields {
        let watched =
            shared_after.contains(field.key.as_str()) || consent_after == Some(&field.key);
        if watched
            && let Some(old) = before.fields.iter().find(|f| f.key == field.key)
            && field_widened(old, field, &after.languages)
        {
            found.push(Widening::SharedField(field.key.clone()));
        }
    }
    for partner in &after.partners {
        let Some(old) = before.partners.iter().find(|p| p.key == partner.key) else {
            found.push(Widening::PartnerAdded(partner.key.clone()));
            continue;
        };
        if old.address != partner.address {
            found.push(Widening::PartnerAddress(partner.key.clone()));
        }
        if old.recipient != partner.recipient {
            found.push(Widening::PartnerRecipient(partner.key.clone()));
        }
        let personal_before = personal_entries(before, &old.fields);
        let added: Vec<String> = partner
            .fields
            .iter()
            .filter(|f| {
                !old.fields.contains(f)
                    || (personal_entries(after, std::slice::from_ref(f)).len() == 1
                        && !personal_before.contains(&f.as_str()))
            })
            .cloned()
            .collect();
        if !added.is_empty() {
            found.push(Widening::PartnerProfile {
                partner: partner.key.clone(),
                added,
            });
        }
    }
    found.sort_by_key(Widening::name);
    found.dedup_by_key(|w| w.name());
    found
}

/// What a new programme grants, against one that shares nothing: no escrow, no
/// partners, agents with a second factor, minimal emails, the reply inbox only. For
/// the audit entry of a creation or a clone (nothing is stored yet that it could
/// widen).
pub fn granted(after: &ProgrammeFile) -> Vec<Widening> {
    let mut closed = after.clone();
    closed.escrow = None;
    closed.partners.clear();
    closed.staff = Default::default();
    closed.outbound = Default::default();
    closed.import.replies = ImportReplies::Minimal;
    closed.contact = ContactMode::InboxOnly;
    closed.referrals.show_in_inbox = false;
    widenings(&closed, after)
}

/// Settings only an instance admin may change on the web, whichever way: the escrow
/// key (who holds the offline key to everything) and `[staff]` (who must use a second
/// factor); and one only they may turn on: `[outbound] sender = "programme"` (emails
/// naming the programme). `before` is `None` for a new programme.
pub fn instance_settings(
    before: Option<&ProgrammeFile>,
    after: &ProgrammeFile,
) -> Vec<&'static str> {
    let (escrow, staff) = match before {
        Some(b) => (&b.escrow, b.staff.clone()),
        None => (&None, Default::default()),
    };
    let mut changed = Vec::new();
    if *escrow != after.escrow {
        changed.push("escrow");
    }
    if staff != after.staff {
        changed.push(STAFF_TWO_FACTOR);
    }
    let sender_before = before.map_or(Sender::Neutral, |b| b.outbound.sender);
    if sender_before != Sender::Programme && after.outbound.sender == Sender::Programme {
        changed.push(SENDER);
    }
    changed
}

/// Why a field may not change its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindHeld {
    /// People answered it (in a form version of which enquiries are stored).
    Answered,
    /// A partner's profile names it.
    Shared,
}

/// A change of a field's kind that is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindChange {
    pub field: String,
    pub from: FieldKind,
    pub to: FieldKind,
    pub held: KindHeld,
}

impl std::fmt::Display for KindChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = |k: FieldKind| {
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        write!(
            f,
            "fields.{}: the kind cannot change from {} to {}: {}; add a new field instead",
            self.field,
            kind(self.from),
            kind(self.to),
            match self.held {
                KindHeld::Answered => "people have answered it",
                KindHeld::Shared => "a partner's profile names it",
            }
        )
    }
}

/// Changes of a field's kind that `after` makes and that are refused: where people
/// answered the field (`answered`: the form versions of stored enquiries) or a partner
/// receives it (in `before` or `after`). Between `text` and `textarea` is no change:
/// both store free text and both are personal. A field removed and added again with
/// another kind counts too. A kind that already differs in `before` (written by an
/// older Haven) is not a change of this save.
pub fn kind_changes(
    before: Option<&ProgrammeFile>,
    answered: &[ProgrammeFile],
    after: &ProgrammeFile,
) -> Vec<KindChange> {
    let shared: BTreeSet<&str> = before
        .map(shared_fields)
        .unwrap_or_default()
        .union(&shared_fields(after))
        .copied()
        .collect();
    let mut refused = Vec::new();
    for field in &after.fields {
        let old = before.and_then(|b| b.fields.iter().find(|f| f.key == field.key));
        if let Some(old) = old {
            if same_storage(old.kind, field.kind) {
                continue;
            }
            if shared.contains(field.key.as_str()) {
                refused.push(KindChange {
                    field: field.key.clone(),
                    from: old.kind,
                    to: field.kind,
                    held: KindHeld::Shared,
                });
                continue;
            }
        }
        let answered_as = answered
            .iter()
            .filter_map(|v| v.fields.iter().find(|f| f.key == field.key))
            .find(|f| !same_storage(f.kind, field.kind));
        if let Some(was) = answered_as {
            refused.push(KindChange {
                field: field.key.clone(),
                from: old.map_or(was.kind, |o| o.kind),
                to: field.kind,
                held: KindHeld::Answered,
            });
        }
    }
    refused
}

fn same_storage(a: FieldKind, b: FieldKind) -> bool {
    use FieldKind::{Text, Textarea};
    a == b || matches!((a, b), (Text, Textarea) | (Textarea, Text))
}

/// Form fields some partner's profile names.
fn shared_fields(file: &ProgrammeFile) -> BTreeSet<&str> {
    file.partners
        .iter()
        .flat_map(|p| p.fields.iter())
        .filter(|name| Pseudo::parse(name).is_none())
        .map(String::as_str)
        .collect()
}

/// Whether anything a person wrote leaves for a partner (beyond the reference code,
/// the language and the day).
fn answers_leave(file: &ProgrammeFile) -> bool {
    file.partners
        .iter()
        .flat_map(|p| p.fields.iter())
        .any(|name| {
            !matches!(
                Pseudo::parse(name),
                Some(Pseudo::Reference | Pseudo::Language | Pseudo::Received)
            )
        })
}

/// The field imported mail's text goes into (as [`super::Programme::import_text_field`]).
fn import_text_field(file: &ProgrammeFile) -> Option<&str> {
    match &file.import.text_field {
        Some(key) => Some(key.as_str()),
        None => file
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Textarea)
            .map(|f| f.key.as_str()),
    }
}

/// Whether `after` asks more of people than `before` did, or something else: another
/// kind, a new option, a longer answer, required now, or a text (in a language the
/// programme keeps) that is new or reworded. Removing a text or an option does not.
fn field_widened(before: &Field, after: &Field, languages: &[String]) -> bool {
    let texts_changed = |old: &super::Localised, new: &super::Localised| {
        new.iter()
            .any(|(lang, text)| languages.contains(lang) && old.get(lang) != Some(text))
    };
    let longer = match (before.max_length, after.max_length) {
        (Some(b), Some(a)) => a > b,
        (Some(_), None) => true,
        _ => false,
    };
    after.kind != before.kind
        || (after.required && !before.required)
        || longer
        || texts_changed(&before.label, &after.label)
        || texts_changed(&before.hint, &after.hint)
        || after.options.iter().any(|o| {
            before
                .options
                .iter()
                .find(|b| b.value == o.value)
                .is_none_or(|b| texts_changed(&b.label, &o.label))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::Programme;

    const EXAMPLE: &str = include_str!("../../ops/examples/afghanistan-2021.toml");

    fn example() -> ProgrammeFile {
        Programme::parse(EXAMPLE).unwrap().file().clone()
    }

    fn names_of(before: &ProgrammeFile, after: &ProgrammeFile) -> Vec<String> {
        names(&widenings(before, after))
    }

    fn ngo(file: &mut ProgrammeFile) -> &mut crate::programme::Partner {
        file.partners
            .iter_mut()
            .find(|p| p.key == "resettlement-ngo")
            .unwrap()
    }

    fn field<'a>(file: &'a mut ProgrammeFile, key: &str) -> &'a mut Field {
        file.fields.iter_mut().find(|f| f.key == key).unwrap()
    }

    #[test]
    fn the_reviews_change_widens_escrow_the_partner_and_the_second_factor() {
        let before = example();
        let mut after = before.clone();
        after.escrow = Some("age1attacker".into());
        ngo(&mut after).address = "mine@attacker.example".into();
        ngo(&mut after).recipient = "age1attacker".into();
        after.staff.agents_require_two_factor = false;
        assert_eq!(
            names_of(&before, &after),
            [
                "escrow",
                "partners.resettlement-ngo.address",
                "partners.resettlement-ngo.recipient",
                "staff.agents_require_two_factor",
            ]
        );
        assert_eq!(
            instance_settings(Some(&before), &after),
            ["escrow", "staff.agents_require_two_factor"]
        );
    }

    #[test]
    fn an_unchanged_programme_widens_nothing() {
        assert!(widenings(&example(), &example()).is_empty());
        assert!(instance_settings(Some(&example()), &example()).is_empty());
    }

    #[test]
    fn escrow_added_or_replaced_widens_removed_does_not_but_is_an_instance_admins() {
        let none = example();
        let mut one = none.clone();
        one.escrow = Some("age1one".into());
        let mut other = none.clone();
        other.escrow = Some("age1other".into());
        assert_eq!(widenings(&none, &one), [Widening::Escrow]);
        assert_eq!(widenings(&one, &other), [Widening::Escrow]);
        assert!(widenings(&one, &none).is_empty());
        assert_eq!(instance_settings(Some(&one), &none), ["escrow"]);
    }

    #[test]
    fn partners_widen_when_added_moved_rekeyed_or_given_more() {
        let before = example();
        let mut after = before.clone();
        let mut census = after.partners[0].clone();
        census.key = "census".into();
        after.partners.push(census);
        assert_eq!(names_of(&before, &after), ["partners.census"]);

        let mut after = before.clone();
        after.partners[0].fields.push("in_danger".into());
        assert_eq!(
            widenings(&before, &after),
            [Widening::PartnerProfile {
                partner: "statistics".into(),
                added: vec!["in_danger".into()]
            }]
        );
        // Same entries in another order, another name, fewer entries: nothing.
        let mut after = before.clone();
        after.partners[0].fields.reverse();
        after.partners[0].name = "Renamed".into();
        ngo(&mut after).fields.retain(|f| f != "phone");
        assert!(widenings(&before, &after).is_empty());
        // Removing a partner narrows.
        let mut after = before.clone();
        after.partners.truncate(1);
        assert!(widenings(&before, &after).is_empty());
    }

    #[test]
    fn a_profile_entry_that_became_personal_widens_the_profile() {
        let mut before = example();
        field(&mut before, "help_category").kind = FieldKind::Radio;
        let mut after = before.clone();
        field(&mut after, "help_category").kind = FieldKind::Text;
        let found = widenings(&before, &after);
        assert!(
            found.contains(&Widening::PartnerProfile {
                partner: "statistics".into(),
                added: vec!["help_category".into()]
            }),
            "{found:?}"
        );
    }

    #[test]
    fn consent_dropped_or_moved_widens_added_does_not() {
        let before = example();
        let mut dropped = before.clone();
        dropped.referrals.consent_field = None;
        assert_eq!(widenings(&before, &dropped), [Widening::Consent]);
        let mut moved = before.clone();
        moved.referrals.consent_field = Some("other_box".into());
        assert_eq!(widenings(&before, &moved), [Widening::Consent]);
        assert!(widenings(&dropped, &before).is_empty());
        // The consent box itself made required (nobody can send without ticking it)
        // or reworded.
        let mut required = before.clone();
        field(&mut required, "consent_partners").required = true;
        assert_eq!(names_of(&before, &required), ["fields.consent_partners"]);
    }

    #[test]
    fn second_factor_relaxed_widens_required_again_does_not_and_both_are_instance_settings() {
        let before = example();
        let mut relaxed = before.clone();
        relaxed.staff.agents_require_two_factor = false;
        assert_eq!(
            widenings(&before, &relaxed),
            [Widening::AgentsWithoutSecondFactor]
        );
        assert!(widenings(&relaxed, &before).is_empty());
        assert_eq!(
            instance_settings(Some(&relaxed), &before),
            ["staff.agents_require_two_factor"]
        );
    }

    #[test]
    fn emails_that_carry_replies_names_or_reach_a_mailbox_widen() {
        let mut before = example();
        before.contact = ContactMode::InboxOnly;
        before.import.replies = ImportReplies::Minimal;
        before.outbound.name_field = None;
        let mut after = before.clone();
        after.outbound.email = EmailDisclosure::Full;
        after.outbound.name_field = Some("full_name".into());
        after.contact = ContactMode::EmailOptional;
        after.import.replies = ImportReplies::Full;
        assert_eq!(
            names_of(&before, &after),
            [
                "contact",
                "import.replies",
                "outbound.email",
                "outbound.name_field"
            ]
        );
        assert!(
            widenings(&after, &before).is_empty(),
            "the way back narrows"
        );
    }

    #[test]
    fn a_language_widens_only_where_answers_leave_for_partners() {
        let before = example();
        let mut after = before.clone();
        after.languages.push("uk".into());
        assert_eq!(names_of(&before, &after), ["languages.uk"]);
        let mut no_answers_leave = before.clone();
        for p in &mut no_answers_leave.partners {
            p.fields.retain(|f| f == "reference" || f == "language");
            p.personal_data = false;
        }
        let mut with_uk = no_answers_leave.clone();
        with_uk.languages.push("uk".into());
        assert!(widenings(&no_answers_leave, &with_uk).is_empty());
        // Removing a language, and its texts with it, narrows.
        let mut fewer = before.clone();
        fewer.languages.retain(|l| l != "ps");
        crate::programme::editing::keep_languages(&mut fewer);
        assert!(widenings(&before, &fewer).is_empty());
    }

    #[test]
    fn a_shared_question_reworded_or_given_options_widens_an_unshared_one_does_not() {
        let before = example();
        let mut after = before.clone();
        field(&mut after, "full_name")
            .label
            .insert("en".into(), "Every name you have used".into());
        assert_eq!(names_of(&before, &after), ["fields.full_name"]);
        let mut after = before.clone();
        let option = field(&mut after, "help_category").options[0].clone();
        field(&mut after, "help_category")
            .options
            .push(crate::programme::FieldOption {
                value: "journalist".into(),
                ..option
            });
        assert_eq!(names_of(&before, &after), ["fields.help_category"]);
        // `situation` is no partner's: rewording it widens nothing; nor does
        // dropping a shared field's hint or making it optional.
        let mut after = before.clone();
        field(&mut after, "situation")
            .label
            .insert("en".into(), "Anything else".into());
        field(&mut after, "full_name").hint.clear();
        field(&mut after, "full_name").required = false;
        assert!(widenings(&before, &after).is_empty());
    }

    #[test]
    fn imported_text_moving_into_a_shared_field_or_the_inbox_naming_partners_widens() {
        let mut before = example();
        before.referrals.show_in_inbox = false;
        let mut after = before.clone();
        after.import.text_field = Some("family_members".into());
        after.referrals.show_in_inbox = true;
        assert_eq!(
            names_of(&before, &after),
            ["import.text_field", "referrals.show_in_inbox"]
        );
        let mut unshared = before.clone();
        unshared.import.text_field = Some("current_location".into());
        assert!(widenings(&before, &unshared).is_empty());
    }

    #[test]
    fn a_new_programme_lists_what_it_grants() {
        let granted = names(&granted(&example()));
        for item in [
            "partners.statistics",
            "partners.resettlement-ngo",
            "contact",
        ] {
            assert!(granted.iter().any(|g| g == item), "{item}: {granted:?}");
        }
        assert!(!granted.iter().any(|g| g == "escrow"));
        // `[import] replies` defaults to `minimal` (issue 17): only `full` grants.
        assert!(!granted.iter().any(|g| g == "import.replies"));
        let mut full = example();
        full.import.replies = ImportReplies::Full;
        assert!(
            names(&super::granted(&full))
                .iter()
                .any(|g| g == "import.replies")
        );
        assert!(instance_settings(None, &example()).is_empty());
    }

    #[test]
    fn a_field_keeps_its_kind_once_answered_or_shared() {
        let before = example();
        // Shared with the NGO: refused even without answers.
        let mut after = before.clone();
        field(&mut after, "family_members").kind = FieldKind::Select;
        let refused = kind_changes(Some(&before), &[], &after);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].held, KindHeld::Shared);
        assert!(refused[0].to_string().contains("fields.family_members"));
        // Answered, not shared.
        let mut after = before.clone();
        field(&mut after, "current_location").kind = FieldKind::Select;
        assert!(kind_changes(Some(&before), &[], &after).is_empty());
        let refused = kind_changes(Some(&before), std::slice::from_ref(&before), &after);
        assert_eq!(refused[0].held, KindHeld::Answered);
        // Text and textarea store the same thing.
        let mut after = before.clone();
        field(&mut after, "family_members").kind = FieldKind::Textarea;
        assert!(kind_changes(Some(&before), std::slice::from_ref(&before), &after).is_empty());
        // Removed, then added again with another kind: the stored answers remember.
        let mut removed = before.clone();
        removed.fields.retain(|f| f.key != "current_location");
        let mut again = removed.clone();
        let mut back = before
            .fields
            .iter()
            .find(|f| f.key == "current_location")
            .unwrap()
            .clone();
        back.kind = FieldKind::Date;
        again.fields.push(back);
        assert_eq!(
            kind_changes(Some(&removed), std::slice::from_ref(&before), &again)[0].held,
            KindHeld::Answered
        );
        // A kind an older Haven already changed is not this save's change.
        let mut legacy = before.clone();
        field(&mut legacy, "current_location").kind = FieldKind::Select;
        assert!(kind_changes(Some(&legacy), std::slice::from_ref(&before), &legacy).is_empty());
    }
}
