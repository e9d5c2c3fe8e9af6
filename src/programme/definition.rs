//! A crisis programme as an administrator writes it: the TOML file applied by
//! `haven programme apply` and exported by `haven programme export`.
//!
//! `ProgrammeFile` is the raw, deserialised shape (what serde reads and writes);
//! `Programme` is the validated form that the rest of Haven uses. The only way
//! from one to the other is [`Programme::parse`], so code holding a `Programme`
//! can rely on every cross-reference (queues in rules, fields in conditions,
//! languages in texts) being sound.
//!
//! The doc comments of these types are also the programme file's JSON Schema
//! (`haven programme schema`, [`super::schema`]): editors show them as hover text,
//! so they are written for the administrator who edits the file.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::limits::{
    self, MAX_BASES, MAX_FIELD_LENGTH, MAX_FIELDS, MAX_LABEL, MAX_OPTIONS, MAX_PARTNERS,
    MAX_RETENTION_DAYS, MAX_TEMPLATES,
};

/// Texts per language, keyed by language tag (`en`, `fr`, `fa-AF`, `ps`, …).
pub type Localised = BTreeMap<String, String>;

/// Where the programme is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProgrammeStatus {
    /// Being prepared: the public form answers "not found"; admins can preview it.
    Draft,
    /// The form is public and takes enquiries.
    Open,
    /// The form shows `closed_message` instead; staff keep working on the enquiries.
    Closed,
    /// For good: the form answers "not found" and imports are refused. Use
    /// `haven programme archive`, which can also destroy the programme's keys.
    Archived,
}

/// How the person may be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ContactMode {
    /// The person may give an email address, or choose the reply inbox only.
    EmailOptional,
    /// No email address is asked for: replies are read in the reply inbox only.
    InboxOnly,
}

/// What kind of answer a question takes, and so how the form shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    /// One line of text (at most 200 characters unless `max_length` says otherwise).
    Text,
    /// Several lines of text (at most 5,000 characters unless `max_length` says otherwise).
    Textarea,
    /// An email address, checked as one.
    Email,
    /// A phone number, as the person writes it.
    Phone,
    /// A drop-down list: one of `options`.
    Select,
    /// Radio buttons: one of `options`.
    Radio,
    /// With options: a group of checkboxes (any number may be ticked).
    /// Without options: one yes/no box (e.g. consent).
    Checkbox,
    /// A country, from Haven's own list (no `options`).
    Country,
    /// A date (year, month, day).
    Date,
}

/// One choice of a select, radio or checkbox field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldOption {
    /// What is stored and what routing conditions test: 1 to 60 of A-Z, a-z, 0-9, `_`
    /// and `-`, unique within the field. Changing it later breaks the rules that use it.
    #[schemars(regex(pattern = limits::OPTION_VALUE))]
    pub value: String,
    /// What the person sees, per language (at most 300 characters each).
    #[schemars(schema_with = "limits::label", extend("minProperties" = 1))]
    pub label: Localised,
}

/// One question of the form, shown in the order of `[[fields]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Stable machine name: `[a-z][a-z0-9_]{0,39}`, unique in the programme. Rules,
    /// partners' profiles and stored answers refer to it, so keep it once people have
    /// answered. Not one of the form's own names: `contact_email`, `contact_mode`,
    /// `csrf`, `lang`, `website`.
    #[schemars(regex(pattern = limits::FIELD_KEY), extend("not" = { "enum": limits::RESERVED_FIELD_KEYS }))]
    pub key: String,
    /// What kind of answer the question takes.
    pub kind: FieldKind,
    /// Whether the form refuses to be sent without an answer (for a single checkbox:
    /// ticked). Default `false`.
    #[serde(default)]
    pub required: bool,
    /// The longest answer accepted, in characters (1 to 20,000); only for `text`,
    /// `textarea`, `email` and `phone`. Default: 200 for text, 5,000 for a textarea.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = MAX_FIELD_LENGTH))]
    pub max_length: Option<usize>,
    /// The question, per language (at most 300 characters each).
    #[schemars(schema_with = "limits::label", extend("minProperties" = 1))]
    pub label: Localised,
    /// Help shown under the question, per language (at most 1,000 characters each).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "limits::hint")]
    pub hint: Localised,
    /// The choices: required for `select` and `radio`; for `checkbox`, a group of
    /// boxes (without options: one yes/no box). Other kinds have none. At most 200.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_OPTIONS))]
    pub options: Vec<FieldOption>,
    /// What the form says when this required question is left unanswered, instead of
    /// Haven's own message ("Enter an answer for …"). Optional; when given, give it in
    /// every language of the programme. At most 300 characters each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "limits::label")]
    pub error: Localised,
    /// For a `country` question only: the countries listed first, in this order, above
    /// the rest (the person's own country and its neighbours, so that nobody scrolls
    /// through 249 names on a small phone). ISO 3166-1 alpha-2 codes such as `AF`, each
    /// once, at most 20.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_COUNTRIES_FIRST), inner(regex(pattern = "^[A-Z]{2}$")))]
    #[schemars(extend("uniqueItems" = true))]
    pub first: Vec<String>,
}

/// At most this many countries are listed first in a country question.
pub const MAX_COUNTRIES_FIRST: usize = 20;

/// A queue staff work from; routing puts each enquiry in one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Queue {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`, unique in the programme; rules
    /// and `routing.default_queue` name it.
    #[schemars(regex(pattern = limits::KEY))]
    pub key: String,
    /// What staff see, per language (at most 300 characters each): any language the
    /// console speaks (en, fr, uk, ar, fa-AF, ps), not only the programme's own; the
    /// text in the default language is required.
    #[schemars(schema_with = "limits::label", extend("minProperties" = 1))]
    pub name: Localised,
}

/// One test on one answer. Exactly one of `equals`, `in`, `contains` and `answered`
/// is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The key of the field whose answer is tested.
    pub field: String,
    /// The answer equals this value (for checkbox groups: this value is ticked). For
    /// a field with options, one of its option values. Not for a single checkbox: test
    /// it with `answered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub equals: Option<String>,
    /// The answer is one of these values (checkbox groups: any of them is ticked).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "in")]
    #[schemars(length(min = 1), inner(length(min = 1)))]
    pub one_of: Option<Vec<String>>,
    /// The answer contains this text, ignoring case (text and textarea fields only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = limits::NOT_BLANK))]
    pub contains: Option<String>,
    /// `true`: the field was answered; `false`: it was left empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<bool>,
}

/// How a rule combines its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Match {
    /// Every condition holds.
    #[default]
    All,
    /// At least one condition holds.
    Any,
}

/// A routing rule: when its conditions hold, the enquiry goes to `queue` with
/// `priority`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    /// Shown to staff on every enquiry it routes, and in errors: unique, at most 200
    /// characters.
    #[schemars(regex(pattern = limits::NOT_BLANK))]
    pub name: String,
    /// The key of the queue the enquiry goes to.
    pub queue: String,
    /// 1 is most urgent, 9 least.
    #[schemars(range(min = 1, max = 9))]
    pub priority: u8,
    /// `all` (the default): every condition must hold; `any`: one is enough.
    #[serde(default, rename = "match")]
    pub match_: Match,
    /// The conditions, at least one: `{ field = "…", equals = "…" }`.
    #[schemars(length(min = 1))]
    pub when: Vec<Condition>,
}

/// Which queue each enquiry goes to, and how urgent it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// The key of the queue an enquiry goes to when no rule matches.
    pub default_queue: String,
    /// The priority when no rule matches: 1 is most urgent, 9 least.
    #[schemars(range(min = 1, max = 9))]
    pub default_priority: u8,
    /// Evaluated in order; the first rule that matches decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RoutingRule>,
}

/// A Haven programme file: one crisis programme's form, queues, routing, reply
/// templates and partners. `haven programme apply FILE` creates or updates the
/// programme; `haven programme export SLUG` prints it back in this form.
// Field order here is the order of `programme export`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Haven programme file")]
pub struct ProgrammeFile {
    /// The programme's name in web addresses (`/p/SLUG`): 3 to 40 of a-z, 0-9 and
    /// inner `-`, starting with a letter. It identifies the programme: applying a
    /// file with another slug creates another programme.
    #[schemars(regex(pattern = limits::SLUG), length(min = 3, max = 40))]
    pub slug: String,
    /// `draft`, `open`, `closed` or `archived`.
    pub status: ProgrammeStatus,
    /// The languages the form is offered in: `en`, `fr`, `fa-AF` (Dari), `ps`
    /// (Pashto), `uk`, `ar`. The first is the default: every text must be given in
    /// it, and it is shown where a text lacks the reader's language.
    #[schemars(schema_with = "limits::languages")]
    pub languages: Vec<String>,
    /// Days an enquiry is kept after it arrives (1 to 3,650); then `haven purge` (and
    /// the worker, hourly) deletes it, unless it is under legal hold.
    #[schemars(range(min = 1, max = MAX_RETENTION_DAYS))]
    pub retention_days: u32,
    /// An offline age recipient (`age1…`) that every ciphertext of the programme is
    /// also sealed to, so that its identity, kept off-line, can recover the data if the
    /// master key is lost (the key ceremony in `ops/OPERATOR-GUIDE.md`). Changing it
    /// needs an instance admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = limits::AGE_RECIPIENT))]
    pub escrow: Option<String>,
    /// `email-optional`: the person may give an email address for replies;
    /// `inbox-only`: replies are read in the reply inbox only.
    pub contact: ContactMode,
    /// Where the public pages live and what they offer.
    #[serde(default, skip_serializing_if = "PublicSettings::is_default")]
    pub public: PublicSettings,
    /// The form's title, per language (at most 200 characters each).
    #[schemars(schema_with = "limits::title", extend("minProperties" = 1))]
    pub title: Localised,
    /// The text above the form, per language (at most 5,000 characters each): who
    /// the programme is for, what it can and cannot do.
    #[schemars(schema_with = "limits::long_text", extend("minProperties" = 1))]
    pub intro: Localised,
    /// What happens to what the person writes, per language (at most 5,000 characters
    /// each): who reads it, how long it is kept, who it may be shared with.
    #[schemars(schema_with = "limits::long_text", extend("minProperties" = 1))]
    pub privacy_notice: Localised,
    /// Shown instead of the form when the programme is closed: where to go instead.
    /// Per language, at most 5,000 characters each.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "limits::long_text")]
    pub closed_message: Localised,
    /// The rules for handling this programme's enquiries, which every staff member
    /// reads and acknowledges before their first look at its queues (and again after
    /// they change): a short text, in each language of the programme (at most 5,000
    /// characters each).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(schema_with = "limits::long_text")]
    pub handling_rules: Localised,
    /// The form's questions, in order (1 to 100).
    #[schemars(length(min = 1, max = MAX_FIELDS))]
    pub fields: Vec<Field>,
    /// The queues enquiries are routed to (at least one).
    #[schemars(length(min = 1))]
    pub queues: Vec<Queue>,
    /// Which queue each enquiry goes to, and its priority.
    pub routing: Routing,
    /// How staff work on this programme.
    #[serde(default, skip_serializing_if = "StaffSettings::is_default")]
    pub staff: StaffSettings,
    /// What reply emails may say.
    #[serde(default, skip_serializing_if = "OutboundSettings::is_default")]
    pub outbound: OutboundSettings,
    /// How `haven import` turns mail from an ordinary mailbox into enquiries.
    #[serde(default, skip_serializing_if = "ImportSettings::is_default")]
    pub import: ImportSettings,
    /// Reply templates staff start from (and campaigns send); at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_TEMPLATES))]
    pub templates: Vec<Template>,
    /// How referrals to partner organisations work (needed once there are partners).
    #[serde(default, skip_serializing_if = "ReferralSettings::is_default")]
    pub referrals: ReferralSettings,
    /// Organisations an enquiry may be referred to, each with what may leave for it;
    /// at most 50.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_PARTNERS))]
    pub partners: Vec<Partner>,
    /// `true`: the reply inbox shows the person "What you sent", their answers without
    /// contact details (no email address, no answer to an email or phone question),
    /// sealed at submission to their own inbox key. Off by default: anyone who holds the
    /// two codes (a seized phone, a shared notebook) would read it too. A phone intake
    /// shows it only once the person has chosen their own passphrase.
    #[serde(default, skip_serializing_if = "is_false")]
    pub show_sent_in_inbox: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The public pages: where they live, and what they offer a person on a phone that may
/// be seen or taken.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicSettings {
    /// Discreet mode: the form lives at `/p/ADDRESS` instead of `/p/SLUG`, and its
    /// pages' titles name no programme, so a browser's history and tabs say nothing
    /// about what the person asked for. The slug's address then shows nothing. The same
    /// rules as a slug (3 to 40 of a-z, 0-9 and inner `-`, starting with a letter);
    /// choose a word that means nothing, and differs from every programme's slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = limits::SLUG), length(min = 3, max = 40))]
    pub discreet_address: Option<String>,
    /// Whether the receipt offers "Save as a text file" (the reply inbox's address and
    /// the two codes, nothing else). Off by default: a file on a phone that is taken
    /// is one more thing to find.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub save_as_text: bool,
}

impl PublicSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// How referrals to partners work in this programme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralSettings {
    /// The reasons or legal bases an agent chooses from when referring (one line of
    /// at most 300 characters each, at most 20, each once). Required once there are
    /// partners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_BASES), inner(regex(pattern = limits::ONE_LINE), length(max = MAX_LABEL)))]
    #[schemars(extend("uniqueItems" = true))]
    pub bases: Vec<String>,
    /// The key of a single checkbox of the form (a checkbox field without options): a
    /// profile with personal data may only be used for an enquiry whose sender ticked it.
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

/// A partner organisation and its sharing profile. Adding one, or changing its
/// address, key or fields, widens who can read the programme's data: it needs the
/// password of the admin who saves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`, unique in the programme.
    #[schemars(regex(pattern = limits::KEY))]
    pub key: String,
    /// The organisation's name as staff see it (one line, at most 300 characters).
    #[schemars(regex(pattern = limits::ONE_LINE), length(max = MAX_LABEL))]
    pub name: String,
    /// The one address referrals are emailed to.
    #[schemars(regex(pattern = limits::EMAIL))]
    pub address: String,
    /// The partner's age X25519 recipient (`age1…`): packages are sealed to it alone.
    #[schemars(regex(pattern = limits::AGE_RECIPIENT))]
    pub recipient: String,
    /// What may leave: field keys, and the pseudo-fields `reference`, `language`,
    /// `received` and `contact_email`. Nothing else ever does. At least one, each once.
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub fields: Vec<String>,
    /// Must be written, as a deliberate act, when `fields` include personal data
    /// (free text, names, dates, phone numbers, the email address): such referrals
    /// need a second person's approval and, if the programme says so, consent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub personal_data: bool,
}

/// What an email about a reply may say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EmailDisclosure {
    /// The email only says there is a reply and where to read it (the reply inbox):
    /// a mailbox read by someone else learns almost nothing. The default.
    #[default]
    Minimal,
    /// The email carries the reply itself.
    Full,
}

/// What reply emails may say.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboundSettings {
    /// `minimal` (the default): the email says only that there is a reply and links
    /// to the reply inbox; `full`: the email carries the reply itself.
    #[serde(default)]
    pub email: EmailDisclosure,
    /// The key of the text field whose answer `{name}` stands for in templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_field: Option<String>,
    /// `neutral` (the default): emails to enquirers say nothing of the programme (the
    /// instance's neutral sender name, `HAVEN_MAIL_FROM_NAME`); `programme`: the From
    /// name and `{programme}` are the programme's title. Only an instance admin may
    /// choose `programme`, with their password.
    #[serde(default, skip_serializing_if = "Sender::is_neutral")]
    pub sender: Sender,
    /// Most recipients of one bulk reply a supervisor may approve (default 1,000);
    /// a larger one needs an instance admin as its approver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_campaign: Option<u32>,
    /// Most bulk-reply emails of this programme sent in one hour, by every worker of
    /// every instance together; none: no limit beyond the relay's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_hour: Option<u32>,
}

/// Who an email to an enquirer says it is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Sender {
    /// The instance's neutral name: a mailbox read by someone else learns nothing of
    /// which programme, or what subject, the person wrote about. The default.
    #[default]
    Neutral,
    /// The programme's title, in the person's language.
    Programme,
}

impl Sender {
    fn is_neutral(&self) -> bool {
        *self == Self::Neutral
    }
}

impl OutboundSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// What `haven import` does with attachments of imported mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
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
/// reply inbox is closed to them, and `[outbound] email` does not apply. A sender
/// taken from a forwarded message (a `From:` line in a body, or an attached message)
/// is whatever the forwarder wrote: they only ever get the notice, whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImportReplies {
    /// The email carries the reply, as the mailbox's answers always did: the only way
    /// they can read it. Anyone else who reads that mailbox reads the answer too.
    Full,
    /// The email says only that there is an answer, and asks them to write again
    /// through the form (which gives them a reply inbox). The default: a mailbox read
    /// by someone else, or an address a crafted message pointed at, learns nothing of
    /// the answer.
    #[default]
    Minimal,
}

/// How mail brought in with `haven import` becomes an enquiry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    /// The key of the field the message text goes into (a textarea or text field).
    /// Default: the first textarea field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_field: Option<String>,
    /// `keep` (the default): attachments are stored, sealed, with the enquiry (up to
    /// 10 MiB each enquiry); `drop`: only their names and sizes are listed.
    #[serde(default)]
    pub attachments: AttachmentPolicy,
    /// What an email answering imported mail may say: `minimal` (the default) or
    /// `full` (never for a sender taken from a forwarded message).
    #[serde(default)]
    pub replies: ImportReplies,
}

impl ImportSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A reply template, in the programme's languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable machine name: `[a-z][a-z0-9_-]{0,39}`, unique in the programme.
    #[schemars(regex(pattern = limits::KEY))]
    pub key: String,
    /// What staff see in the template list (at most 300 characters).
    #[schemars(regex(pattern = limits::NOT_BLANK), length(max = MAX_LABEL))]
    pub name: String,
    /// The email's subject per language: one line of at most 200 characters. The
    /// placeholders `{reference}`, `{name}`, `{inbox_url}` and `{programme}` are
    /// filled in; write `{{` and `}}` for braces.
    #[schemars(schema_with = "limits::subject", extend("minProperties" = 1))]
    pub subject: Localised,
    /// The email's text per language (at most 10,000 characters each), with the same
    /// placeholders as the subject.
    #[schemars(schema_with = "limits::body", extend("minProperties" = 1))]
    pub body: Localised,
}

/// How staff work on this programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffSettings {
    /// Whether agents must use a second factor (supervisors and admins always must).
    /// On by default; a programme staffed by volunteers on shared phones may turn it off.
    /// Changing it needs an instance admin.
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
