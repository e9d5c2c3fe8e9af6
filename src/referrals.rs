//! Referrals: handing a case to a partner organisation with only what that partner
//! needs, readable only by that partner, and written down in a register.
//!
//! A partner's sharing profile (in the programme file) names what may leave. Everything
//! here works from that list: [`preview`] shows staff the values that would leave and
//! what is withheld, [`package`] seals exactly the profile's entries to the partner's
//! own age key (the programme's key cannot open it, and Haven keeps no plaintext copy),
//! and [`email`] wraps the package as the one attachment of one message to the
//! partner's one address. The register (`referrals` table) holds field names and who
//! did what, never values.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::audit::{Actor, AuditAction, Outcome};
use crate::crypto::CryptoError;
use crate::domain::Language;
use crate::enquiry::EnquiryContent;
use crate::outbound::{Attachment, OutboundError, OutboundMessage, Recipient, Rendered};
use crate::programme::sharing::{Pseudo, is_personal_kind, personal_entries};
use crate::programme::{Answer, FieldKind, Partner, Programme};
use crate::replies::MailSettings;

mod register;
pub mod workflow;

pub use register::{export_register, register_csv};
pub use workflow::{Approved, Downloaded, FlowError, RequestProblem, Requested};

pub use crate::store::{Delivery, ReferralState};

#[derive(Debug, thiserror::Error)]
pub enum ReferralError {
    #[error(
        "this partner's profile includes personal data, and the person did not consent to sharing"
    )]
    NoConsent,
    #[error("the partner's key is not a valid age recipient")]
    BadRecipient,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Outbound(#[from] OutboundError),
}

/// Whether `partner`'s profile is personal by today's definition (what the partners
/// page says of it). For one enquiry, [`discloses_personal`] decides.
pub fn is_personal(programme: &Programme, partner: &Partner) -> bool {
    !personal_entries(programme.file(), &partner.fields).is_empty()
}

/// Whether referring this enquiry to `partner` discloses personal data, and so needs
/// a second person's approval and the person's consent. Decided by what was stored,
/// not by today's definition alone (issue 17): an entry is personal if today's
/// definition says so, if the form the enquiry was sent with (`sent_with`; `None`
/// when it cannot be read) asked it as a personal kind, or if the stored answer is
/// text that is not one of that form's fixed choices. Free text stays free text
/// whatever the field became later.
pub fn discloses_personal(
    programme: &Programme,
    sent_with: Option<&Programme>,
    partner: &Partner,
    content: &EnquiryContent,
) -> bool {
    is_personal(programme, partner)
        || partner
            .fields
            .iter()
            .any(|name| stored_is_personal(sent_with, name, content))
}

/// Whether the stored answer to `name` can identify or locate a person, judged by
/// the form it was given to. Without that form, any text or list is.
fn stored_is_personal(sent_with: Option<&Programme>, name: &str, content: &EnquiryContent) -> bool {
    if Pseudo::parse(name).is_some() {
        // Facts about the enquiry, not answers: today's kinds decide ([`is_personal`]).
        return false;
    }
    let Some(answer) = content.answers.get(name).filter(|a| a.is_answered()) else {
        return false;
    };
    let field = sent_with.and_then(|p| p.field(name));
    match (answer, field) {
        (Answer::Flag(_), _) => false,
        (_, Some(f)) if is_personal_kind(f.kind) => true,
        (Answer::Text(value), Some(f)) => !is_fixed_choice(f, value),
        (Answer::Choices(values), Some(f)) => values
            .iter()
            .any(|v| !f.options.iter().any(|o| o.value == *v)),
        (Answer::Text(_) | Answer::Choices(_), None) => true,
    }
}

/// A value a person picked from a list rather than typed.
fn is_fixed_choice(field: &crate::programme::Field, value: &str) -> bool {
    match field.kind {
        FieldKind::Select | FieldKind::Radio => field.options.iter().any(|o| o.value == value),
        FieldKind::Country => crate::programme::countries::COUNTRIES
            .iter()
            .any(|(code, _)| *code == value),
        _ => false,
    }
}

/// The definition of the form `record` was sent with (`None` if it can no longer be
/// read): what its answers were given to.
pub async fn form_sent_with(
    store: &crate::store::Store,
    live: &crate::programme::live::LiveProgramme,
    record: &crate::store::EnquiryRecord,
) -> Result<Option<Programme>, crate::store::StoreError> {
    if record.form_version == live.version {
        return Ok(Some(live.programme.clone()));
    }
    Ok(store
        .programme_version(&live.id, record.form_version)
        .await?
        .and_then(|text| Programme::parse(&text).ok()))
}

/// Whether the person ticked the programme's consent box. A programme without one
/// asks for no consent (approval still applies to personal data).
pub fn consented(programme: &Programme, content: &EnquiryContent) -> bool {
    match &programme.file().referrals.consent_field {
        None => true,
        Some(key) => matches!(content.answers.get(key), Some(Answer::Flag(true))),
    }
}

/// Refuses a referral the rules forbid for this enquiry (sent with `sent_with`).
pub fn check(
    programme: &Programme,
    sent_with: Option<&Programme>,
    partner: &Partner,
    content: &EnquiryContent,
) -> Result<(), ReferralError> {
    if discloses_personal(programme, sent_with, partner, content) && !consented(programme, content)
    {
        return Err(ReferralError::NoConsent);
    }
    Ok(())
}

/// Why a referral that has not left yet can no longer leave: the destination it was
/// asked (and approved) for is not the partner's any more. Nothing is sent to the new
/// address or sealed to the new key, because nobody approved those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    PartnerRemoved,
    AddressChanged,
    KeyChanged,
    /// Asked for before Haven recorded destinations: it cannot be known where it was
    /// approved to go.
    Unrecorded,
}

impl Stop {
    /// The stored reason (`referrals.stopped_reason`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PartnerRemoved => "partner-removed",
            Self::AddressChanged => "partner-address-changed",
            Self::KeyChanged => "partner-key-changed",
            Self::Unrecorded => "destination-unrecorded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::PartnerRemoved,
            Self::AddressChanged,
            Self::KeyChanged,
            Self::Unrecorded,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Whether `current` (the partner as the programme has it now, `None` if it is gone)
/// is still exactly where the referral was asked to go.
pub fn same_destination(
    recorded_address: Option<&str>,
    recorded_recipient: Option<&str>,
    current: Option<&Partner>,
) -> Result<(), Stop> {
    let current = current.ok_or(Stop::PartnerRemoved)?;
    let (Some(address), Some(recipient)) = (recorded_address, recorded_recipient) else {
        return Err(Stop::Unrecorded);
    };
    if current.address != address {
        return Err(Stop::AddressChanged);
    }
    if current.recipient != recipient {
        return Err(Stop::KeyChanged);
    }
    Ok(())
}

/// The partner of a stored referral as its programme defines it now.
fn current_partner<'a>(
    programme: Option<&'a Programme>,
    r: &crate::store::ReferralRecord,
) -> Option<&'a Partner> {
    programme.and_then(|p| p.partner(&r.partner_key))
}

/// Called by the outbound worker for an outbox row that carries a referral, just
/// before it is sent: `Ok(None)` sends it; `Ok(Some(reason))` must not be sent. A
/// referral whose partner changed since is stopped here, with its audit entry.
pub async fn may_send(
    store: &crate::store::Store,
    outbox_id: &str,
    actor: &Actor,
) -> Result<Option<String>, crate::store::StoreError> {
    let Some((r, definition)) = store.referral_by_outbox(outbox_id).await? else {
        return Ok(Some("no referral carries this message".into()));
    };
    if r.state != ReferralState::Queued {
        return Ok(Some(format!("the referral is {}", r.state)));
    }
    let programme = Programme::parse(&definition).ok();
    let current = current_partner(programme.as_ref(), &r);
    let Err(stop) = same_destination(
        r.partner_address.as_deref(),
        r.partner_recipient.as_deref(),
        current,
    ) else {
        return Ok(None);
    };
    let entry = stopped_entry(actor, &r, stop);
    store.stop_referral(&r.id, stop.as_str(), &entry).await?;
    Ok(Some(format!("not sent: {}", stop.as_str())))
}

/// The audit entry of a stopped referral: which partner and why, never an address.
pub fn stopped_entry(
    actor: &Actor,
    r: &crate::store::ReferralRecord,
    stop: Stop,
) -> crate::audit::Entry {
    crate::audit::Entry::new(
        actor,
        AuditAction::ReferralStopped,
        &format!("referral:{}", r.id),
    )
    .outcome(Outcome::Denied)
    .detail(serde_json::json!({
        "enquiry": r.enquiry_id, "partner": r.partner_key, "reason": stop.as_str(),
        "was": r.state,
    }))
}

/// One entry of a preview: what staff see, and what the readable part of a package says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub key: String,
    pub label: String,
    /// `None`: not answered.
    pub value: Option<String>,
    /// A tick box's answer, for a page to say yes or no in its own language.
    pub flag: Option<bool>,
}

/// What a referral to one partner would carry, and what it would not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub leaving: Vec<Item>,
    /// Everything else Haven holds about the enquiry (values are shown to staff only).
    pub withheld: Vec<Item>,
}

/// An answer as a person reads it: option labels, country names, yes/no.
fn display(programme: &Programme, key: &str, answer: &Answer) -> String {
    let lang = programme.default_language();
    let label_of = |value: &str| {
        programme
            .field(key)
            .and_then(|f| f.options.iter().find(|o| o.value == value))
            .map(|o| programme.text(&o.label, lang).to_owned())
            .unwrap_or_else(|| value.to_owned())
    };
    match answer {
        Answer::Text(t) => match programme.field(key).map(|f| f.kind) {
            Some(FieldKind::Select | FieldKind::Radio) => label_of(t),
            Some(FieldKind::Country) => crate::programme::countries::COUNTRIES
                .iter()
                .find(|(code, _)| code == t)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_else(|| t.clone()),
            _ => t.clone(),
        },
        Answer::Choices(c) => c.iter().map(|v| label_of(v)).collect::<Vec<_>>().join(", "),
        Answer::Flag(true) => "Yes".into(),
        Answer::Flag(false) => "No".into(),
    }
}

fn pseudo_value(p: Pseudo, content: &EnquiryContent, received_hour: i64) -> Option<String> {
    match p {
        Pseudo::Reference => Some(content.reference.clone()),
        Pseudo::Language => Some(content.language.clone()),
        Pseudo::Received => Some(crate::domain::date(received_hour)),
        Pseudo::ContactEmail => content.email.clone(),
    }
}

fn item(programme: &Programme, name: &str, content: &EnquiryContent, received: i64) -> Item {
    match Pseudo::parse(name) {
        Some(p) => Item {
            key: name.to_owned(),
            label: p.label().to_owned(),
            value: pseudo_value(p, content, received),
            flag: None,
        },
        None => Item {
            key: name.to_owned(),
            label: programme.field(name).map_or_else(
                || name.to_owned(),
                |f| {
                    programme
                        .text(&f.label, programme.default_language())
                        .to_owned()
                },
            ),
            value: content
                .answers
                .get(name)
                .filter(|a| a.is_answered())
                .map(|a| display(programme, name, a)),
            flag: match content.answers.get(name) {
                Some(Answer::Flag(f)) => Some(*f),
                _ => None,
            },
        },
    }
}

/// Splits everything Haven holds about an enquiry into what the partner would get and
/// what stays.
pub fn preview(
    programme: &Programme,
    partner: &Partner,
    content: &EnquiryContent,
    received_hour: i64,
) -> Preview {
    let leaving = partner
        .fields
        .iter()
        .map(|name| item(programme, name, content, received_hour))
        .collect();
    let mut withheld = Vec::new();
    let all = Pseudo::ALL
        .iter()
        .map(|p| p.key().to_owned())
        .chain(programme.file().fields.iter().map(|f| f.key.clone()))
        // Answers to fields a later version of the form no longer has stay too.
        .chain(
            content
                .answers
                .keys()
                .filter(|k| programme.field(k).is_none())
                .cloned(),
        );
    for name in all {
        if !partner.fields.contains(&name) {
            withheld.push(item(programme, &name, content, received_hour));
        }
    }
    Preview { leaving, withheld }
}

/// Who referred what, on which basis: the register entry, as the package states it.
#[derive(Debug, Clone)]
pub struct PackageMeta<'a> {
    pub referral_id: &'a str,
    pub basis: &'a str,
    /// Unix seconds (shown to the day).
    pub at: i64,
}

/// The machine-readable half of a package.
#[derive(Serialize)]
struct PackageJson<'a> {
    format: &'static str,
    referral: &'a str,
    programme: &'a str,
    partner: &'a str,
    basis: &'a str,
    referred_on: String,
    /// Exactly the profile's entries; `null` where the person gave no answer.
    fields: BTreeMap<&'a str, serde_json::Value>,
}

/// Where the JSON half of a package starts, after the readable text.
pub const JSON_MARKER: &str = "-----BEGIN HAVEN REFERRAL JSON-----";
pub const JSON_END: &str = "-----END HAVEN REFERRAL JSON-----";

fn json_value(name: &str, content: &EnquiryContent, received: i64) -> serde_json::Value {
    use serde_json::Value;
    match Pseudo::parse(name) {
        Some(p) => pseudo_value(p, content, received).map_or(Value::Null, Value::String),
        None => match content.answers.get(name) {
            None => Value::Null,
            Some(Answer::Text(t)) if t.is_empty() => Value::Null,
            Some(Answer::Text(t)) => Value::String(t.clone()),
            Some(Answer::Choices(c)) => {
                Value::Array(c.iter().cloned().map(Value::String).collect())
            }
            Some(Answer::Flag(f)) => Value::Bool(*f),
        },
    }
}

/// The package plaintext: a readable text, then the same entries as JSON. Built only
/// from the profile's names, so nothing outside the profile can slip in.
fn plaintext(
    programme: &Programme,
    partner: &Partner,
    content: &EnquiryContent,
    received_hour: i64,
    meta: &PackageMeta<'_>,
) -> Result<Zeroizing<String>, CryptoError> {
    let lang = programme.default_language();
    let day = crate::domain::date(meta.at);
    let mut text = Zeroizing::new(String::new());
    // Writing to a String cannot fail.
    let _ = writeln!(text, "Referral from Haven");
    let _ = writeln!(
        text,
        "Programme: {}",
        programme.text(&programme.file().title, lang)
    );
    let _ = writeln!(text, "To: {}", partner.name);
    let _ = writeln!(text, "Basis: {}", meta.basis);
    let _ = writeln!(text, "Referred on: {day}");
    let _ = writeln!(text, "Referral: {}", meta.referral_id);
    let _ = writeln!(text);
    for name in &partner.fields {
        let i = item(programme, name, content, received_hour);
        let _ = writeln!(
            text,
            "{}: {}",
            i.label,
            i.value.as_deref().unwrap_or("(not answered)")
        );
    }
    let json = PackageJson {
        format: "haven-referral/1",
        referral: meta.referral_id,
        programme: programme.slug().as_str(),
        partner: &partner.key,
        basis: meta.basis,
        referred_on: day,
        fields: partner
            .fields
            .iter()
            .map(|name| (name.as_str(), json_value(name, content, received_hour)))
            .collect(),
    };
    let json =
        Zeroizing::new(serde_json::to_string_pretty(&json).map_err(|_| CryptoError::Encrypt)?);
    let _ = write!(text, "\n{JSON_MARKER}\n{}\n{JSON_END}\n", json.as_str());
    Ok(text)
}

/// The package: the profile's entries, age-encrypted to the partner's recipient only
/// (binary age format).
pub fn package(
    programme: &Programme,
    partner: &Partner,
    content: &EnquiryContent,
    received_hour: i64,
    meta: &PackageMeta<'_>,
) -> Result<Vec<u8>, ReferralError> {
    let recipient: age::x25519::Recipient = partner
        .recipient
        .parse()
        .map_err(|_| ReferralError::BadRecipient)?;
    let text = plaintext(programme, partner, content, received_hour, meta)?;
    Ok(age::encrypt(&recipient, text.as_bytes()).map_err(|_| CryptoError::Encrypt)?)
}

/// The file name of a package: it says nothing about the person.
pub fn file_name(referral_id: &str) -> String {
    let short: String = referral_id.chars().take(8).collect();
    format!("referral-{short}.age")
}

/// The one message that carries a package to the partner's one address. Its texts
/// say only that a referral is attached and how to open it.
pub fn email(
    programme: &Programme,
    partner: &Partner,
    referral_id: &str,
    package: Vec<u8>,
    mail: &MailSettings,
) -> Result<OutboundMessage, ReferralError> {
    let address =
        crate::domain::EmailAddress::parse(&partner.address).map_err(|_| OutboundError::Build)?;
    let title =
        crate::outbound::template::one_line(programme.text(&programme.file().title, Language::En));
    let file = file_name(referral_id);
    let text = format!(
        "{title} has referred a case to {}.\n\n\
         The attached file {file} is encrypted to your organisation's age key. \
         Open it with:\n\n    age --decrypt -i YOUR-KEY-FILE {file}\n\n\
         It holds only what your sharing profile allows: a readable summary, then the \
         same as JSON. Handle it under your agreement with {title}.\n",
        partner.name
    );
    let rendered = Rendered {
        subject: crate::outbound::template::one_line(&format!("Referral from {title}")),
        html: Some(crate::outbound::template::html_from_text(&text)),
        text,
    };
    Ok(OutboundMessage::with_attachment(
        &mail.from,
        &title,
        Recipient::new(address),
        &rendered,
        Attachment::age(&file, package)?,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(address: &str, recipient: &str) -> Partner {
        Partner {
            key: "ngo".into(),
            name: "NGO".into(),
            address: address.into(),
            recipient: recipient.into(),
            fields: vec!["reference".into()],
            personal_data: false,
        }
    }

    #[test]
    fn a_referral_goes_only_where_it_was_asked_to_go() {
        let now = partner("a@ngo.example", "age1key");
        let same = same_destination(Some("a@ngo.example"), Some("age1key"), Some(&now));
        assert_eq!(same, Ok(()));
        for (address, recipient, current, stop) in [
            (
                Some("a@ngo.example"),
                Some("age1key"),
                None,
                Stop::PartnerRemoved,
            ),
            (
                Some("b@ngo.example"),
                Some("age1key"),
                Some(&now),
                Stop::AddressChanged,
            ),
            (
                Some("a@ngo.example"),
                Some("age1old"),
                Some(&now),
                Stop::KeyChanged,
            ),
            (None, Some("age1key"), Some(&now), Stop::Unrecorded),
            (Some("a@ngo.example"), None, Some(&now), Stop::Unrecorded),
        ] {
            assert_eq!(same_destination(address, recipient, current), Err(stop));
            assert_eq!(Stop::parse(stop.as_str()), Some(stop));
        }
    }

    const EXAMPLE: &str = include_str!("../ops/examples/afghanistan-2021.toml");

    /// The example with `family_members` a choice (none/one/more) in the statistics
    /// profile, as the review left it.
    fn as_a_choice() -> Programme {
        let mut file = Programme::parse(EXAMPLE).unwrap().file().clone();
        let field = file
            .fields
            .iter_mut()
            .find(|f| f.key == "family_members")
            .unwrap();
        field.kind = FieldKind::Select;
        field.max_length = None;
        field.options = ["none", "one", "more"]
            .into_iter()
            .map(|v| crate::programme::FieldOption {
                value: v.into(),
                label: [("en".to_owned(), v.to_owned())].into(),
            })
            .collect();
        file.partners[0].fields.push("family_members".into());
        Programme::parse(&crate::programme::editing::to_text(&file).unwrap()).unwrap()
    }

    fn content(answers: &[(&str, Answer)]) -> EnquiryContent {
        EnquiryContent {
            reference: "R".into(),
            language: "en".into(),
            answers: answers
                .iter()
                .map(|(k, a)| ((*k).to_owned(), a.clone()))
                .collect(),
            email: None,
            mail: None,
            call: None,
        }
    }

    #[test]
    fn free_text_stored_before_a_kind_change_is_personal_whatever_the_definition_says() {
        let old = Programme::parse(EXAMPLE).unwrap();
        let now = as_a_choice();
        let stats = now.partner("statistics").unwrap();
        assert!(!is_personal(&now, stats), "today's definition says no");
        let typed = content(&[(
            "family_members",
            Answer::Text("Ahmad (4) and Mina (7)".into()),
        )]);
        // Sent with the old form, where it was free text.
        assert!(discloses_personal(&now, Some(&old), stats, &typed));
        // Even read against the new form: it is not one of its choices.
        assert!(discloses_personal(&now, Some(&now), stats, &typed));
        // And when the form it was sent with cannot be read.
        assert!(discloses_personal(&now, None, stats, &typed));
        // Consent then counts.
        assert!(matches!(
            check(&now, Some(&old), stats, &typed),
            Err(ReferralError::NoConsent)
        ));
    }

    #[test]
    fn a_choice_from_the_form_it_was_sent_with_is_not_personal() {
        let now = as_a_choice();
        let stats = now.partner("statistics").unwrap();
        let picked = content(&[
            ("family_members", Answer::Text("one".into())),
            ("current_country", Answer::Text("AF".into())),
            ("help_category", Answer::Text("former_staff".into())),
            ("consent_partners", Answer::Flag(false)),
        ]);
        assert!(!discloses_personal(&now, Some(&now), stats, &picked));
        assert!(check(&now, Some(&now), stats, &picked).is_ok());
        // A country field holding text that is no country code is free text.
        let typed_country = content(&[(
            "current_country",
            Answer::Text("Kabul, near the bazaar".into()),
        )]);
        assert!(discloses_personal(&now, Some(&now), stats, &typed_country));
        // An unanswered field discloses nothing.
        assert!(!discloses_personal(&now, None, stats, &content(&[])));
    }
}
