//! A crisis programme as an administrator writes it: the TOML file applied by
//! `haven programme apply` and exported by `haven programme export`.
//!
//! `ProgrammeFile` is the raw, deserialised shape (what serde reads and writes);
//! `Programme` is the validated form that the rest of Haven uses. The only way
//! from one to the other is [`Programme::parse`], so code holding a `Programme`
//! can rely on every cross-reference (queues in rules, fields in conditions,
//! languages in texts) being sound.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Texts per language, keyed by language tag (`en`, `fr`, `fa-AF`, `ps`, …).
pub type Localised = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProgrammeStatus {
    Draft,
    Open,
    Closed,
    Archived,
}

/// How the person may be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactMode {
    /// The person may give an email address, or choose the reply inbox only.
    EmailOptional,
    /// No email address is asked for: replies are read in the reply inbox only.
    InboxOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    Text,
    Textarea,
    Email,
    Phone,
    Select,
    Radio,
    /// With options: a group of checkboxes (any number may be ticked).
    /// Without options: one yes/no box (e.g. consent).
    Checkbox,
    Country,
    Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOption {
    pub value: String,
    pub label: Localised,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Stable machine name: `[a-z][a-z0-9_]{0,39}`.
    pub key: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    /// Characters (Unicode scalar values). Defaults depend on the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    pub label: Localised,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hint: Localised,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
    /// What the form says when this required question is left unanswered, instead of
    /// Haven's own message ("Enter an answer for …"). Optional; when given, give it in
    /// every language of the programme.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub error: Localised,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`.
    pub key: String,
    pub name: Localised,
}

/// One test on one answer. Exactly one of the operators is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    /// The answer equals this value (for checkbox groups: this value is ticked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// The answer is one of these values (checkbox groups: any of them is ticked).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "in")]
    pub one_of: Option<Vec<String>>,
    /// The answer contains this text, ignoring case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// `true`: the field was answered; `false`: it was left empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Match {
    /// Every condition holds.
    #[default]
    All,
    /// At least one condition holds.
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// Shown to staff and in errors.
    pub name: String,
    pub queue: String,
    /// 1 is most urgent. 1..=9.
    pub priority: u8,
    #[serde(default, rename = "match")]
    pub match_: Match,
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Where an enquiry goes when no rule matches.
    pub default_queue: String,
    pub default_priority: u8,
    /// Evaluated in order; the first rule that matches decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RoutingRule>,
}

/// The file as written. Field order here is the order of `programme export`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    pub slug: String,
    pub status: ProgrammeStatus,
    /// First entry is the default language.
    pub languages: Vec<String>,
    pub retention_days: u32,
    /// An offline age recipient (`age1…`) that every ciphertext of the programme is
    /// also sealed to, so that its identity, kept off-line, can recover the data if the
    /// master key is lost (the key ceremony in `ops/OPERATOR-GUIDE.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escrow: Option<String>,
    pub contact: ContactMode,
    pub title: Localised,
    pub intro: Localised,
    pub privacy_notice: Localised,
    /// Shown instead of the form when the programme is closed: where to go instead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub closed_message: Localised,
    /// The rules for handling this programme's enquiries, which every staff member
    /// reads and acknowledges before their first look at its queues (and again after
    /// they change): a short text, in each language of the programme.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub handling_rules: Localised,
    pub fields: Vec<Field>,
    pub queues: Vec<Queue>,
    pub routing: Routing,
    #[serde(default, skip_serializing_if = "StaffSettings::is_default")]
    pub staff: StaffSettings,
    #[serde(default, skip_serializing_if = "OutboundSettings::is_default")]
    pub outbound: OutboundSettings,
    #[serde(default, skip_serializing_if = "ImportSettings::is_default")]
    pub import: ImportSettings,
    /// Reply templates staff start from (and campaigns send).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    #[serde(default, skip_serializing_if = "ReferralSettings::is_default")]
    pub referrals: ReferralSettings,
    /// Organisations an enquiry may be referred to, each with what may leave for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
}

/// How referrals to partners work in this programme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralSettings {
    /// The reasons or legal bases an agent chooses from when referring (one line each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<String>,
    /// A single checkbox of the form: a profile with personal data may only be used
    /// for an enquiry whose sender ticked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_field: Option<String>,
    /// Whether the reply inbox tells the person which partners their case went to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub show_in_inbox: bool,
}

impl ReferralSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A partner organisation and its sharing profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`.
    pub key: String,
    pub name: String,
    /// The one address referrals are emailed to.
    pub address: String,
    /// The partner's age X25519 recipient (`age1…`): packages are sealed to it alone.
    pub recipient: String,
    /// What may leave: field keys, and the pseudo-fields `reference`, `language`,
    /// `received` and `contact_email`. Nothing else ever does.
    pub fields: Vec<String>,
    /// Must be written, as a deliberate act, when `fields` include personal data
    /// (free text, names, dates, phone numbers, the email address): such referrals
    /// need a second person's approval and, if the programme says so, consent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub personal_data: bool,
}

/// What an email about a reply may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmailDisclosure {
    /// The email only says there is a reply and where to read it (the reply inbox):
    /// a mailbox read by someone else learns almost nothing. The default.
    #[default]
    Minimal,
    /// The email carries the reply itself.
    Full,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboundSettings {
    #[serde(default)]
    pub email: EmailDisclosure,
    /// The field whose answer `{name}` stands for (a text field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_field: Option<String>,
}

impl OutboundSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// What `haven import` does with attachments of imported mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttachmentPolicy {
    /// Stored inside the enquiry's ciphertext, up to a bound per enquiry; larger ones
    /// are listed (name, size) but not kept. The default: nothing is lost silently.
    #[default]
    Keep,
    /// Listed (name, size) but never stored.
    Drop,
}

/// What an email answering imported mail may say. People who wrote to an ordinary
/// mailbox never saw a receipt: they have no reference code or passphrase, so the
/// reply inbox is closed to them, and `[outbound] email` does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportReplies {
    /// The email carries the reply, as the mailbox's answers always did: the only way
    /// they can read it. The default, so an imported enquiry can be answered at all.
    #[default]
    Full,
    /// The email says only that there is an answer, and asks them to write again
    /// through the form (which gives them a reply inbox): for programmes where a
    /// mailbox read by someone else must learn nothing of the answer.
    Minimal,
}

/// How mail brought in with `haven import` becomes an enquiry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// The field the message text goes into (a textarea or text field). Default: the
    /// first textarea field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_field: Option<String>,
    #[serde(default)]
    pub attachments: AttachmentPolicy,
    #[serde(default)]
    pub replies: ImportReplies,
}

impl ImportSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A reply template, in the programme's languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`.
    pub key: String,
    /// What staff see in the template list.
    pub name: String,
    /// One line. Placeholders: `{reference}`, `{name}`, `{inbox_url}`, `{programme}`.
    pub subject: Localised,
    pub body: Localised,
}

/// How staff work on this programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffSettings {
    /// Whether agents must use a second factor (supervisors and admins always must).
    /// On by default; a programme staffed by volunteers on shared phones may turn it off.
    #[serde(default = "yes")]
    pub agents_require_two_factor: bool,
}

fn yes() -> bool {
    true
}

impl Default for StaffSettings {
    fn default() -> Self {
        Self {
            agents_require_two_factor: true,
        }
    }
}

impl StaffSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
