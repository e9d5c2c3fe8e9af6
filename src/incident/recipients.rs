//! Who received it: the exact list of enquiries a campaign, a template (within a time
//! window), a single reply or an address reached, with each message's outcome.
//!
//! A list is built from clear columns (replies, their outbox rows, the enquiries'
//! language and blind index). Only a supervisor or admin of the programme may ask;
//! each look-up counts against an hourly limit per person and is audited before it
//! is shown (as the keyring's read when the page shows masked addresses, which needs
//! the enquiries opened). A look-up by address needs a stated reason, kept in the
//! audit entry; the address itself is never stored, only compared by its blind index.

use std::collections::{BTreeMap, BTreeSet};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::casework::{Action, Member, Refusal, Subject, permit};
use crate::domain::EmailAddress;
use crate::keyring::{GateError, Keyring, Read};
use crate::store::{RecipientQuery, RecipientRow, Store, StoreError, now};

/// Look-ups one staff member may make per hour.
pub const LOOKUPS_PER_HOUR: i64 = 30;
/// Longest stated reason, in characters.
pub const MAX_REASON: usize = 500;

/// What a list is built from.
#[derive(Debug, Clone)]
pub enum Source {
    Campaign(String),
    /// Replies from a template, written from `since` (inclusive) to `until`
    /// (exclusive), Unix seconds; `None`: open-ended.
    Template {
        key: String,
        since: Option<i64>,
        until: Option<i64>,
    },
    Reply(String),
    /// Through the blind index; `reason` is why the address is looked up.
    Address {
        email: EmailAddress,
        reason: String,
    },
    /// Everything a staff account opened in `[since, until)`, by the audit log (a
    /// phished or lost account).
    OpenedBy {
        account: String,
        since: i64,
        until: i64,
    },
    /// Every enquiry that arrived in `[since, until)` (whole hours: a host known to be
    /// compromised then).
    Submitted {
        since: i64,
        until: i64,
    },
    /// Every enquiry a leaked key opens: a programme key (its id), or the master key
    /// (`None`: every enquiry of the programme).
    SealedUnder(Option<String>),
}

impl Source {
    /// How the audit entry describes the look-up (never the address).
    fn detail(&self) -> serde_json::Value {
        match self {
            Source::Campaign(id) => serde_json::json!({ "by": "campaign", "campaign": id }),
            Source::Template { key, since, until } => serde_json::json!({
                "by": "template", "template": key, "since": since, "until": until,
            }),
            Source::Reply(id) => serde_json::json!({ "by": "reply", "reply": id }),
            Source::Address { reason, .. } => {
                serde_json::json!({ "by": "address", "reason": reason })
            }
            Source::OpenedBy {
                account,
                since,
                until,
            } => serde_json::json!({
                "by": "opened", "account": account, "since": since, "until": until,
            }),
            Source::Submitted { since, until } => {
                serde_json::json!({ "by": "submitted", "since": since, "until": until })
            }
            Source::SealedUnder(key) => {
                serde_json::json!({ "by": "key", "key": key.as_deref().unwrap_or("master") })
            }
        }
    }
}

/// How one message ended, for the person it was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// Accepted by the mail relay.
    Sent,
    /// Queued or being sent.
    Pending,
    /// Given up on.
    Failed,
    /// Taken back before it was sent (a stop button).
    Withdrawn,
    /// No email: the reply waits in the person's reply inbox.
    InboxOnly,
    /// Not a message: found in the audit log or by its time of arrival.
    NoMessage,
}

impl Reached {
    pub const ALL: [Reached; 6] = [
        Reached::Sent,
        Reached::Pending,
        Reached::Failed,
        Reached::Withdrawn,
        Reached::InboxOnly,
        Reached::NoMessage,
    ];

    /// From the outbox row's state word as stored (read as text, so a state added
    /// later by the stop buttons is still listed: as not delivered).
    fn of(delivery: Option<&str>) -> Self {
        match delivery {
            None => Reached::InboxOnly,
            Some("sent") => Reached::Sent,
            Some("failed") => Reached::Failed,
            Some("withdrawn" | "cancelled") => Reached::Withdrawn,
            Some(_) => Reached::Pending,
        }
    }

    /// From the word [`Reached::as_str`] writes (an unknown word: not delivered).
    pub fn of_word(word: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == word)
            .unwrap_or(Reached::Pending)
    }

    /// The word in the CSV and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Reached::Sent => "sent",
            Reached::Pending => "pending",
            Reached::Failed => "failed",
            Reached::Withdrawn => "withdrawn",
            Reached::InboxOnly => "inbox-only",
            Reached::NoMessage => "no-message",
        }
    }

    /// The message id of its label in the console.
    pub fn label_id(self) -> &'static str {
        match self {
            Reached::Sent => "incident-reached-sent",
            Reached::Pending => "incident-reached-pending",
            Reached::Failed => "incident-reached-failed",
            Reached::Withdrawn => "incident-reached-withdrawn",
            Reached::InboxOnly => "incident-reached-inbox-only",
            Reached::NoMessage => "incident-reached-no-message",
        }
    }
}

/// One message of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub enquiry_id: String,
    pub reply_id: String,
    pub campaign_id: Option<String>,
    pub language: String,
    pub template_key: Option<String>,
    pub template_version: Option<i64>,
    pub reached: Reached,
    /// When it was sent, if it was; else when the reply was written.
    pub at: i64,
    pub sent_at: Option<i64>,
    /// The address as `a•••@e•••.org`, on the console's page only.
    pub masked: Option<String>,
}

impl Recipient {
    fn found(f: crate::store::FoundEnquiry) -> Self {
        Self {
            enquiry_id: f.enquiry_id,
            reply_id: String::new(),
            campaign_id: None,
            language: f.language,
            template_key: None,
            template_version: None,
            reached: Reached::NoMessage,
            at: f.at,
            sent_at: None,
            masked: None,
        }
    }

    fn from_row(r: RecipientRow) -> Self {
        let reached = Reached::of(r.delivery.as_deref());
        Self {
            at: r
                .sent_at
                .filter(|_| reached == Reached::Sent)
                .unwrap_or(r.replied_at),
            sent_at: r.sent_at.filter(|_| reached == Reached::Sent),
            enquiry_id: r.enquiry_id,
            reply_id: r.reply_id,
            campaign_id: r.campaign_id,
            language: r.language,
            template_key: r.template_key,
            template_version: r.template_version,
            reached,
            masked: None,
        }
    }
}

/// A list, and its counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipients {
    pub rows: Vec<Recipient>,
}

impl Recipients {
    /// The enquiries of the list, each once.
    pub fn enquiries(&self) -> BTreeSet<&str> {
        self.rows.iter().map(|r| r.enquiry_id.as_str()).collect()
    }

    /// Messages by how they ended (every outcome, zero included).
    pub fn counts(&self) -> BTreeMap<Reached, usize> {
        let mut out: BTreeMap<Reached, usize> = Reached::ALL.iter().map(|r| (*r, 0)).collect();
        for r in &self.rows {
            *out.entry(r.reached).or_default() += 1;
        }
        out
    }

    /// Enquiries by language.
    pub fn languages(&self) -> BTreeMap<&str, usize> {
        let mut seen = BTreeSet::new();
        let mut out = BTreeMap::new();
        for r in &self.rows {
            if seen.insert(r.enquiry_id.as_str()) {
                *out.entry(r.language.as_str()).or_default() += 1;
            }
        }
        out
    }

    /// The list as CSV: enquiry ids and delivery metadata, never an address or a
    /// reference code (those are half of a person's credentials, and their contact).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "enquiry_id,reply_id,campaign_id,language,template_key,template_version,outcome,sent_at,at\n",
        );
        for r in &self.rows {
            let fields = [
                r.enquiry_id.clone(),
                r.reply_id.clone(),
                r.campaign_id.clone().unwrap_or_default(),
                r.language.clone(),
                r.template_key.clone().unwrap_or_default(),
                r.template_version
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                r.reached.as_str().to_owned(),
                r.sent_at.map(crate::domain::datetime).unwrap_or_default(),
                crate::domain::datetime(r.at),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    // A leading formula character is defused as well as quoted (spreadsheets).
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(['=', '+', '-', '@']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// An address as the list shows it: its first letters and the last part of its domain.
pub fn mask(email: &str) -> String {
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let tld = domain.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
    format!("{}•••@{}•••.{}", first(local), first(domain), tld)
}

/// Who asks.
#[derive(Debug, Clone, Copy)]
pub enum Asker<'a> {
    /// A staff member in the console, with their role in the programme.
    Staff(Member<'a>),
    /// `haven incident recipients` (an operator on the server; no addresses).
    Cli,
}

impl Asker<'_> {
    fn actor(&self) -> Actor {
        match self {
            Asker::Staff(m) => Actor::staff(m.user),
            Asker::Cli => Actor::Cli,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error("{0}")]
    Refused(Refusal),
    #[error("too many look-ups in the last hour")]
    Limited,
    #[error("a look-up by address needs a reason")]
    NoReason,
    /// A look-up by address without the intake key (the blind index's key).
    #[error("a look-up by address needs the intake key")]
    NoIndexKey,
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The programme a look-up is in.
#[derive(Debug, Clone, Copy)]
pub struct In<'a> {
    pub programme_id: &'a str,
    pub slug: &'a str,
}

/// Builds the list `source` names in a programme (by address: with the keyring). With `keyring`, each row's address
/// is masked (one read of the listed enquiries through the keyring's gate, which is
/// then the look-up's audit entry); without, one `incident.recipients` entry.
pub async fn look_up(
    store: &Store,
    keyring: Option<&Keyring>,
    asker: Asker<'_>,
    at: In<'_>,
    source: &Source,
) -> Result<Recipients, LookupError> {
    let actor = asker.actor();
    let subject = format!("programme:{}", at.slug);
    let mut detail = source.detail();
    if let Asker::Staff(member) = asker {
        if let Err(r) = permit(member, Action::Incident, Subject::Programme) {
            store
                .record_audit(
                    &Entry::new(&actor, AuditAction::IncidentRecipients, &subject)
                        .outcome(Outcome::Denied)
                        .detail(&detail),
                )
                .await?;
            return Err(LookupError::Refused(r));
        }
        let bucket = format!("incident-lookup:{}", member.user).into_bytes();
        if store.count_in_window(&bucket, now(), 3600).await? > LOOKUPS_PER_HOUR {
            store
                .record_audit(
                    &Entry::new(&actor, AuditAction::IncidentRecipients, &subject)
                        .outcome(Outcome::Alert)
                        .detail(serde_json::json!({ "refused": "hourly look-up limit" })),
                )
                .await?;
            return Err(LookupError::Limited);
        }
    }
    let index;
    let query = match source {
        Source::Campaign(id) => RecipientQuery::Campaign(id),
        Source::Template { key, since, until } => RecipientQuery::Template {
            key,
            since: since.unwrap_or(i64::MIN),
            until: until.unwrap_or(i64::MAX),
        },
        Source::Reply(id) => RecipientQuery::Reply(id),
        Source::Address { email, reason } => {
            if reason.trim().is_empty() || reason.chars().count() > MAX_REASON {
                return Err(LookupError::NoReason);
            }
            // The blind index is keyed from the master key (the worker computes the
            // stored values): only a process with the keyring can look an address up.
            index = keyring.ok_or(LookupError::NoIndexKey)?.contact_index(email);
            RecipientQuery::Contact(&index)
        }
        Source::OpenedBy { .. } | Source::Submitted { .. } | Source::SealedUnder(_) => {
            RecipientQuery::Reply("")
        }
    };
    let rows = match source {
        Source::OpenedBy {
            account,
            since,
            until,
        } => match store.user_by_email(account.trim()).await? {
            Some(user) => store
                .opened_by(
                    at.programme_id,
                    &Actor::staff(&user.id).to_string(),
                    *since,
                    *until,
                )
                .await?
                .into_iter()
                .map(Recipient::found)
                .collect(),
            None => Vec::new(),
        },
        Source::Submitted { since, until } => store
            .submitted_during(at.programme_id, *since, *until)
            .await?
            .into_iter()
            .map(Recipient::found)
            .collect(),
        Source::SealedUnder(key) => store
            .sealed_under(at.programme_id, key.as_deref())
            .await?
            .into_iter()
            .map(Recipient::found)
            .collect(),
        _ => store
            .recipients(at.programme_id, &query)
            .await?
            .into_iter()
            .map(Recipient::from_row)
            .collect(),
    };
    let mut list = Recipients { rows };
    if let Some(map) = detail.as_object_mut() {
        map.insert("messages".into(), list.rows.len().into());
        map.insert("enquiries".into(), list.enquiries().len().into());
    }
    match keyring {
        Some(keyring) if !list.rows.is_empty() => {
            let mut records = Vec::new();
            for id in list.enquiries() {
                if let Some(r) = store.enquiry(id).await? {
                    records.push(r);
                }
            }
            let contents = keyring
                .open_listed(
                    &actor,
                    Read::new(AuditAction::IncidentRecipients).detail(detail),
                    &subject,
                    &records,
                )
                .await?;
            let masked: BTreeMap<&str, String> = records
                .iter()
                .zip(&contents)
                .filter_map(|(r, c)| c.email.as_deref().map(|e| (r.id.as_str(), mask(e))))
                .collect();
            for row in &mut list.rows {
                row.masked = masked.get(row.enquiry_id.as_str()).cloned();
            }
        }
        _ => {
            store
                .record_audit(
                    &Entry::new(&actor, AuditAction::IncidentRecipients, &subject).detail(detail),
                )
                .await?;
        }
    }
    Ok(list)
}

/// `haven incident recipients`: the list as CSV (enquiry ids and delivery metadata
/// only), audited under the command line's name; `None` if there is no such programme.
pub async fn recipients_csv(
    store: &Store,
    slug: &str,
    source: &Source,
) -> Result<Option<String>, LookupError> {
    let Some(p) = store.programme_by_slug(slug).await? else {
        return Ok(None);
    };
    let list = look_up(
        store,
        None,
        Asker::Cli,
        In {
            programme_id: &p.id,
            slug: &p.slug,
        },
        source,
    )
    .await?;
    Ok(Some(list.to_csv()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_a_letter_and_the_last_part_of_the_domain() {
        assert_eq!(mask("ana@example.org"), "a•••@e•••.org");
        assert_eq!(mask("x@localhost"), "x•••@l•••.");
    }

    #[test]
    fn outcomes_from_stored_words_and_csv_without_formulas() {
        assert_eq!(Reached::of(None), Reached::InboxOnly);
        assert_eq!(Reached::of(Some("sent")), Reached::Sent);
        assert_eq!(Reached::of(Some("sending")), Reached::Pending);
        assert_eq!(Reached::of(Some("withdrawn")), Reached::Withdrawn);
        assert_eq!(csv_field("=1+1"), "\"'=1+1\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
