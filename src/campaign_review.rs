//! The second look at a bulk reply (issue 19, item 4): what its approver sees before
//! approving, and the caps an approval must respect.
//!
//! [`review`] opens the campaign's enquiries once, through the keyring's gate (one
//! audited read, counted against the reader's hourly cap), and gives per enquiry its
//! console id, language, status, how it will be contacted ([`Contact`]) and its
//! address masked (`r•••@g•••.com`). Reference codes are not listed: Haven stores them
//! only as keyed hashes, so no one (not the approver either) can read them back; the
//! console id names the enquiry instead. [`Review::to_csv`] is the downloadable list.
//!
//! [`approve_reviewed`] is the approval the console (and incident notifications) call:
//! it needs the approver's password typed again (the [`Reauthenticated`] proof),
//! refuses a campaign larger than the programme's `[outbound] max_campaign` unless the
//! approver is an instance admin, and then approves through [`campaigns::approve`].

use std::collections::{BTreeMap, BTreeSet};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::reauth::Reauthenticated;
use crate::campaigns::{self, Approval, CampaignError};
use crate::casework::{Action, Member, permit};
use crate::domain::EmailAddress;
use crate::enquiry::EnquiryContent;
use crate::keyring::{Keyring, Read};
use crate::programme::Programme;
use crate::programme::definition::{EmailDisclosure, ImportReplies};
use crate::programme::live::LiveProgramme;
use crate::replies::MailSettings;
use crate::store::{CampaignRecord, EnquiryRecord, Store};

/// The most recipients one campaign may have without an instance admin approving it,
/// when the programme's `[outbound] max_campaign` does not say.
pub const DEFAULT_MAX_CAMPAIGN: u32 = 1_000;

/// How a campaign's message reaches one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Contact {
    /// An email carrying the message itself.
    EmailFull,
    /// An email saying only that there is a reply in the inbox.
    EmailNotice,
    /// No address: the message waits in the reply inbox.
    InboxOnly,
    /// An address not confirmed yet: nothing but the confirmation is emailed to it,
    /// the message waits in the inbox.
    Unconfirmed,
}

impl Contact {
    pub const ALL: [Contact; 4] = [
        Contact::EmailFull,
        Contact::EmailNotice,
        Contact::InboxOnly,
        Contact::Unconfirmed,
    ];

    /// The word in the CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Contact::EmailFull => "email-full",
            Contact::EmailNotice => "email-notice",
            Contact::InboxOnly => "inbox-only",
            Contact::Unconfirmed => "unconfirmed",
        }
    }

    /// The message id of its label in the console.
    pub fn label_id(self) -> &'static str {
        match self {
            Contact::EmailFull => "review-contact-email-full",
            Contact::EmailNotice => "review-contact-email-notice",
            Contact::InboxOnly => "review-contact-inbox-only",
            Contact::Unconfirmed => "review-contact-unconfirmed",
        }
    }

    /// As `replies::prepare` will decide for this enquiry.
    pub fn of(
        p: &Programme,
        record: &EnquiryRecord,
        content: &EnquiryContent,
        confirmed: bool,
    ) -> Self {
        let has_email = content
            .email
            .as_deref()
            .is_some_and(|e| EmailAddress::parse(e).is_ok());
        if !has_email {
            return Contact::InboxOnly;
        }
        if !confirmed {
            return Contact::Unconfirmed;
        }
        let forwarded = content.mail.as_ref().is_some_and(|m| m.forwarded);
        let full = match (record.source == "imported", p.file().import.replies) {
            (false, _) => p.file().outbound.email == EmailDisclosure::Full,
            (true, ImportReplies::Full) => !forwarded,
            (true, _) => false,
        };
        if full {
            Contact::EmailFull
        } else {
            Contact::EmailNotice
        }
    }
}

/// One recipient of a campaign, as its approver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The console id (`/console/e/{id}`); reference codes cannot be listed.
    pub enquiry_id: String,
    pub language: String,
    pub status: String,
    pub contact: Contact,
    /// `a•••@e•••.org`; empty without an address.
    pub masked: String,
}

/// What an approver sees of a campaign's recipients.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub rows: Vec<ReviewRow>,
}

impl Review {
    /// Enquiries by language tag.
    pub fn by_language(&self) -> BTreeMap<&str, usize> {
        count(self.rows.iter().map(|r| r.language.as_str()))
    }

    /// Enquiries by status word.
    pub fn by_status(&self) -> BTreeMap<&str, usize> {
        count(self.rows.iter().map(|r| r.status.as_str()))
    }

    /// Enquiries by contact (every kind, zero included).
    pub fn by_contact(&self) -> BTreeMap<Contact, usize> {
        let mut out: BTreeMap<Contact, usize> = Contact::ALL.iter().map(|c| (*c, 0)).collect();
        for r in &self.rows {
            *out.entry(r.contact).or_default() += 1;
        }
        out
    }

    /// The languages used, each once.
    pub fn languages(&self) -> BTreeSet<&str> {
        self.rows.iter().map(|r| r.language.as_str()).collect()
    }

    /// The list as CSV: console id, language, status, contact, masked address.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("enquiry_id,language,status,contact,address_masked\n");
        for r in &self.rows {
            let fields = [
                r.enquiry_id.as_str(),
                r.language.as_str(),
                r.status.as_str(),
                r.contact.as_str(),
                r.masked.as_str(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}

fn count<'a>(items: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut out = BTreeMap::new();
    for i in items {
        *out.entry(i).or_default() += 1;
    }
    out
}

fn csv_field(s: &str) -> String {
    // A leading formula character is defused as well as quoted (spreadsheets).
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(['=', '+', '-', '@']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A review, and the first enquiry of the list opened (the page's preview is rendered
/// from it, so the page is one read).
pub struct Opened {
    pub review: Review,
    pub first: Option<EnquiryContent>,
}

/// Why the list is opened: the approver's page, or the CSV download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Page,
    Csv,
}

/// The campaign's recipients for `reader` (a supervisor of its programme): one read of
/// every enquiry through the keyring's gate, audited under `campaign:{id}` as
/// `campaign.review` or `campaign.recipients-csv`.
pub async fn review(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    c: &CampaignRecord,
    reader: Member<'_>,
    purpose: Purpose,
) -> Result<Opened, CampaignError> {
    permit(
        reader,
        Action::PrepareCampaign,
        crate::casework::Subject::Programme,
    )
    .map_err(CampaignError::Refused)?;
    let records = records_of(store, c).await?;
    let confirmed = store.confirmed_in_campaign(&c.id).await?;
    let action = match purpose {
        Purpose::Page => AuditAction::CampaignReview,
        Purpose::Csv => AuditAction::CampaignRecipientsCsv,
    };
    let contents = keyring
        .open_listed(
            &Actor::staff(reader.user),
            Read::new(action),
            &format!("campaign:{}", c.id),
            &records,
        )
        .await?;
    let p = &live.programme;
    let rows = records
        .iter()
        .zip(&contents)
        .map(|(record, content)| {
            let contact = Contact::of(p, record, content, confirmed.contains(&record.id));
            ReviewRow {
                enquiry_id: record.id.clone(),
                language: record.language.clone(),
                status: record.status.as_str().to_owned(),
                contact,
                masked: content
                    .email
                    .as_deref()
                    .filter(|e| EmailAddress::parse(e).is_ok())
                    .map(crate::incident::recipients::mask)
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(Opened {
        review: Review { rows },
        first: contents.into_iter().next(),
    })
}

/// The campaign's enquiries still stored, each once, in its list's order.
async fn records_of(
    store: &Store,
    c: &CampaignRecord,
) -> Result<Vec<EnquiryRecord>, CampaignError> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for id in store.campaign_enquiry_ids(&c.id).await? {
        if seen.insert(id.clone())
            && let Some(record) = store.enquiry(&id).await?
        {
            out.push(record);
        }
    }
    Ok(out)
}

/// The programme's `[outbound] max_campaign`, or [`DEFAULT_MAX_CAMPAIGN`].
pub fn max_campaign(p: &Programme) -> usize {
    p.file()
        .outbound
        .max_campaign
        .unwrap_or(DEFAULT_MAX_CAMPAIGN) as usize
}

/// Whether an approver may approve a campaign of `n` recipients: above the cap only
/// an instance admin may.
pub fn within_cap(n: usize, max: usize, instance_admin: bool) -> bool {
    n <= max || instance_admin
}

/// The languages of the campaign's recipients that its template has no text of its
/// own in (they would get the default language's), with how many recipients each.
pub async fn missing_languages(
    store: &Store,
    c: &CampaignRecord,
) -> Result<Vec<(String, i64)>, CampaignError> {
    let Some(pinned) = campaigns::pinned(c) else {
        return Ok(Vec::new());
    };
    let same = pinned.same_as_default();
    Ok(store
        .campaign_languages(&c.id)
        .await?
        .into_iter()
        .filter(|(lang, _)| {
            *lang != pinned.default
                && (same.contains(&lang.as_str()) || !pinned.texts.contains_key(lang))
        })
        .collect())
}

/// How an approval through [`approve_reviewed`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewed {
    Approval(Approval),
    /// More recipients than `max`: an instance admin must approve it (audited, nothing
    /// sent).
    OverCap {
        n: usize,
        max: usize,
    },
    /// Some recipients write in a language the template lacks, and the approver did
    /// not choose to send them the default language's text: nothing sent.
    NeedsLanguageChoice,
}

/// Approves a pending campaign after the second look: the approver typed their
/// password (`proof`), the size is within the programme's cap (or the approver is an
/// instance admin), then [`campaigns::approve`].
#[allow(clippy::too_many_arguments)]
pub async fn approve_reviewed(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    c: &CampaignRecord,
    approver: Member<'_>,
    proof: &Reauthenticated,
    seen: &str,
    fallback_chosen: bool,
    mail: &MailSettings,
) -> Result<Reviewed, CampaignError> {
    if proof.user_id() != approver.user {
        return Err(CampaignError::Refused(
            crate::casework::Refusal::NotRequester,
        ));
    }
    let n = c.enquiry_count as usize;
    let max = max_campaign(&live.programme);
    let allowed = permit(approver, Action::ApproveCampaign, campaigns::subject(c)).is_ok();
    let instance = crate::casework::Subject::Instance {
        instance_admin: proof.instance_admin(),
    };
    let big = permit(approver, Action::ApproveLargeCampaign, instance).is_ok();
    if allowed && !within_cap(n, max, big) {
        store
            .record_audit(
                &Entry::new(
                    &Actor::staff(approver.user),
                    AuditAction::CampaignApprove,
                    &format!("campaign:{}", c.id),
                )
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({ "reason": "cap", "enquiries": n, "max": max })),
            )
            .await?;
        return Ok(Reviewed::OverCap { n, max });
    }
    if allowed && !fallback_chosen && !missing_languages(store, c).await?.is_empty() {
        return Ok(Reviewed::NeedsLanguageChoice);
    }
    Ok(Reviewed::Approval(
        campaigns::approve(store, keyring, live, c, approver, seen, mail).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_lets_only_an_instance_admin_past() {
        assert!(within_cap(1_000, 1_000, false));
        assert!(!within_cap(1_001, 1_000, false));
        assert!(within_cap(1_001, 1_000, true));
    }

    #[test]
    fn the_csv_lists_ids_and_masked_addresses_and_defuses_formulas() {
        let review = Review {
            rows: vec![
                ReviewRow {
                    enquiry_id: "e1".into(),
                    language: "fr".into(),
                    status: "new".into(),
                    contact: Contact::EmailFull,
                    masked: "a•••@e•••.org".into(),
                },
                ReviewRow {
                    enquiry_id: "=e2".into(),
                    language: "en".into(),
                    status: "closed".into(),
                    contact: Contact::InboxOnly,
                    masked: String::new(),
                },
            ],
        };
        let csv = review.to_csv();
        assert_eq!(
            csv,
            "enquiry_id,language,status,contact,address_masked\n\
             e1,fr,new,email-full,a•••@e•••.org\n\
             \"'=e2\",en,closed,inbox-only,\n"
        );
        assert_eq!(review.by_contact()[&Contact::EmailFull], 1);
        assert_eq!(review.by_contact()[&Contact::Unconfirmed], 0);
        assert_eq!(review.by_language()["fr"], 1);
        assert_eq!(review.by_status()["closed"], 1);
    }
}
