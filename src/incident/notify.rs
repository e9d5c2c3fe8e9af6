//! Notifying each affected person (issue 20, item 4). A notification is a bulk reply
//! ([`crate::campaigns`]) whose enquiries are exactly the incident's affected set (those
//! still stored), with the text pinned when it is prepared and sent only after a second
//! supervisor approves: one reply per person in their reply inbox, in their language,
//! and one email per person whose address is confirmed.
//!
//! An address never confirmed gets no email, unless both the preparer and the approver
//! ticked "also addresses never confirmed" for this incident: then it gets one neutral,
//! minimal notice pointing to the reply inbox (never the notice's words), on an outbox
//! row marked `unconfirmed_ok`. [`progress`] says, per person, which way they were
//! reached.

use std::collections::{BTreeMap, BTreeSet};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::campaigns::{self, Approval, CampaignError, PinnedText};
use crate::casework::{Action, Member, Refusal, Subject, permit};
use crate::crypto::random_id;
use crate::domain::Language;
use crate::i18n::t_args;
use crate::keyring::{Keyring, Read};
use crate::programme::live::LiveProgramme;
use crate::replies::{self, Draft, MailSettings, ReplyError};
use crate::store::{
    CampaignRecord, IncidentNotice, IncidentRecord, NewCampaign, RecipientQuery, Store,
};

use super::Reached;

/// The template the example programme ships for this.
pub const TEMPLATE: &str = "incident-notice";

/// Why a notification was not prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The programme has no such template.
    Template,
    /// Nobody in the affected set is still stored.
    Empty,
    /// The incident is closed.
    Closed,
    /// A notification of this incident is still waiting for approval.
    Pending,
}

impl Problem {
    pub fn message_id(self) -> &'static str {
        match self {
            Problem::Template => "incident2-problem-template",
            Problem::Empty => "incident2-problem-empty",
            Problem::Closed => "incident2-problem-closed",
            Problem::Pending => "incident2-problem-pending",
        }
    }
}

/// Prepares a notification of `incident` from template `template`; `unconfirmed` is
/// the preparer's tick. Audited as the campaign's creation and on the incident.
pub async fn prepare(
    store: &Store,
    live: &LiveProgramme,
    who: Member<'_>,
    incident: &IncidentRecord,
    template: &str,
    unconfirmed: bool,
) -> Result<Result<String, Problem>, CampaignError> {
    permit(who, Action::Incident, Subject::Programme).map_err(CampaignError::Refused)?;
    permit(who, Action::PrepareCampaign, Subject::Programme).map_err(CampaignError::Refused)?;
    if incident.closed_at.is_some() {
        return Ok(Err(Problem::Closed));
    }
    let Some(pinned) = PinnedText::of(&live.programme, template) else {
        return Ok(Err(Problem::Template));
    };
    for n in store.incident_notices(&incident.id).await? {
        if let Some(c) = store.campaign(&n.campaign_id).await?
            && c.state.is_pending()
        {
            return Ok(Err(Problem::Pending));
        }
    }
    let ids: Vec<String> = store
        .incident_reachable(&incident.id)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    if ids.is_empty() {
        return Ok(Err(Problem::Empty));
    }
    let campaign = NewCampaign {
        id: random_id(),
        programme_id: live.id.clone(),
        template_key: template.to_owned(),
        filter_queue: String::new(),
        filter_status: String::new(),
        filter_language: String::new(),
        created_by: who.user.to_owned(),
        enquiry_ids: ids,
        template_text: pinned.to_json(),
    };
    let actor = Actor::staff(who.user);
    let created = Entry::new(
        &actor,
        AuditAction::CampaignCreate,
        &format!("campaign:{}", campaign.id),
    )
    .detail(serde_json::json!({
        "programme": live.programme.slug().as_str(), "template": template,
        "text": pinned.digest(), "enquiries": campaign.enquiry_ids.len(),
        "incident": incident.id,
    }));
    let noted = Entry::new(
        &actor,
        AuditAction::IncidentNotify,
        &format!("incident:{}", incident.id),
    )
    .detail(serde_json::json!({
        "campaign": campaign.id, "template": template,
        "enquiries": campaign.enquiry_ids.len(), "unconfirmed": unconfirmed,
    }));
    store
        .create_incident_notice(&campaign, &incident.id, unconfirmed, &[&created, &noted])
        .await?;
    Ok(Ok(campaign.id))
}

/// The neutral notice an address never confirmed gets (both ticks): it says only that
/// there is a message in the reply inbox.
fn neutral(lang: Language, mail: &MailSettings) -> Draft {
    let inbox = crate::letters::inbox_address(mail.public_url.as_deref());
    Draft {
        subject: t_args(lang, "incident2-neutral-subject", &[]),
        text: t_args(lang, "incident2-neutral-body", &[("inbox_url", inbox)]),
        template_key: None,
    }
}

/// Approves a pending notification as `approver`, who was shown the text with digest
/// `seen` and ticked (or not) `unconfirmed`. As [`campaigns::approve`], and: only
/// confirmed addresses are emailed the notice; unconfirmed ones get the neutral notice
/// only when both ticks are set, else the reply waits in their inbox.
#[allow(clippy::too_many_arguments)]
pub async fn approve(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    notice: &IncidentNotice,
    c: &CampaignRecord,
    approver: Member<'_>,
    seen: &str,
    unconfirmed: bool,
    mail: &MailSettings,
) -> Result<Approval, CampaignError> {
    let actor = Actor::staff(approver.user);
    let subject_id = format!("campaign:{}", c.id);
    let denied = |reason: &str| {
        Entry::new(&actor, AuditAction::CampaignApprove, &subject_id)
            .outcome(Outcome::Denied)
            .detail(serde_json::json!({ "reason": reason }))
    };
    match permit(approver, Action::ApproveCampaign, campaigns::subject(c)) {
        Ok(()) => {}
        Err(Refusal::WrongState) => return Ok(Approval::Conflict),
        Err(r) => {
            let reason = if r == Refusal::OwnRequest {
                "creator"
            } else {
                "role"
            };
            store.record_audit(&denied(reason)).await?;
            return Err(CampaignError::Refused(r));
        }
    }
    let Some(pinned) = campaigns::pinned(c).filter(|p| p.digest() == seen) else {
        store.record_audit(&denied("template-changed")).await?;
        return Ok(Approval::TextChanged);
    };
    if !campaigns::template_unchanged(live, c, &pinned) {
        store.record_audit(&denied("template-changed")).await?;
        return Ok(Approval::TextChanged);
    }
    let both = notice.unconfirmed_asked && unconfirmed;
    let confirmed: BTreeMap<String, bool> = store
        .incident_reachable(&notice.incident_id)
        .await?
        .into_iter()
        .collect();
    let mut records = Vec::new();
    let mut seen_ids = BTreeSet::new();
    for id in store.campaign_enquiry_ids(&c.id).await? {
        if seen_ids.insert(id.clone())
            && let Some(record) = store.enquiry(&id).await?
        {
            records.push(record);
        }
    }
    let contents = keyring
        .open_campaign(
            &actor,
            Read::new(AuditAction::CampaignExpand),
            &c.id,
            &records,
        )
        .await?;
    let (mut prepared, mut marked) = (Vec::new(), Vec::new());
    let (mut refused, mut inbox_only) = (0usize, 0usize);
    for (record, content) in records.iter().zip(&contents) {
        let Some(draft) = pinned.render(live, content, mail) else {
            refused += 1;
            continue;
        };
        let draft = Draft {
            template_key: Some(c.template_key.clone()),
            ..draft
        };
        let one = |d: &Draft| {
            replies::prepare(live, record, content, d, approver.user, Some(&c.id), mail)
        };
        let mut p = match one(&draft) {
            Ok(p) => p,
            Err(ReplyError::Crypto(e)) => return Err(e.into()),
            Err(_) => {
                refused += 1;
                continue;
            }
        };
        let is_confirmed = confirmed.get(&record.id).copied().unwrap_or(false);
        if p.outbox.is_some() && !is_confirmed {
            if both {
                let lang = Language::parse(&content.language)
                    .unwrap_or_else(|_| live.programme.default_language());
                match one(&neutral(lang, mail)) {
                    Ok(n) => {
                        p.outbox = n.outbox.map(|mut row| {
                            // The reply's email, as every list reads it.
                            row.idempotency_key = format!("reply:{}", p.reply.id);
                            row
                        });
                        p.stamp = n.stamp;
                        marked.push(record.id.clone());
                    }
                    Err(ReplyError::Crypto(e)) => return Err(e.into()),
                    Err(_) => {
                        p.outbox = None;
                        p.stamp = None;
                        inbox_only += 1;
                    }
                }
            } else {
                p.outbox = None;
                p.stamp = None;
                inbox_only += 1;
            }
        }
        prepared.push(p);
    }
    let emails = prepared.iter().filter(|p| p.outbox.is_some()).count();
    let approved = Entry::new(&actor, AuditAction::CampaignApprove, &subject_id)
        .outcome(if refused > 0 {
            Outcome::Alert
        } else {
            Outcome::Ok
        })
        .detail(serde_json::json!({
            "replies": prepared.len(), "emails": emails, "refused_by_guard": refused,
            "created_by": Actor::staff(&c.created_by).to_string(), "text": pinned.digest(),
        }));
    let noted = Entry::new(
        &actor,
        AuditAction::IncidentNotifyApprove,
        &format!("incident:{}", notice.incident_id),
    )
    .detail(serde_json::json!({
        "campaign": c.id, "replies": prepared.len(), "emails": emails,
        "unconfirmed_notices": marked.len(), "inbox_only_unconfirmed": inbox_only,
        "refused_by_guard": refused, "unconfirmed_both_ticked": both,
    }));
    let done = store
        .dispatch_incident_notice(
            &c.id,
            approver.user,
            &prepared,
            &marked,
            unconfirmed,
            &[&approved, &noted],
        )
        .await?;
    Ok(if done {
        Approval::Dispatched
    } else {
        Approval::Conflict
    })
}

/// How one person was reached by an incident's notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Way {
    /// Their notice was emailed (confirmed address) and accepted by the relay.
    Email,
    /// The neutral notice reached their unconfirmed address (both ticks).
    UnconfirmedNotice,
    /// Still queued or being sent.
    Pending,
    /// The email failed or was withdrawn: the notice waits in their inbox only.
    Failed,
    /// No email: the notice waits in their reply inbox.
    InboxOnly,
    /// Not notified (no approved notification yet, or purged since).
    NotNotified,
}

impl Way {
    pub const ALL: [Way; 6] = [
        Way::Email,
        Way::UnconfirmedNotice,
        Way::Pending,
        Way::Failed,
        Way::InboxOnly,
        Way::NotNotified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Way::Email => "email",
            Way::UnconfirmedNotice => "unconfirmed-notice",
            Way::Pending => "pending",
            Way::Failed => "failed",
            Way::InboxOnly => "inbox-only",
            Way::NotNotified => "not-notified",
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Way::Email => "incident2-way-email",
            Way::UnconfirmedNotice => "incident2-way-unconfirmed-notice",
            Way::Pending => "incident2-way-pending",
            Way::Failed => "incident2-way-failed",
            Way::InboxOnly => "incident2-way-inbox-only",
            Way::NotNotified => "incident2-way-not-notified",
        }
    }
}

/// Per affected enquiry, the best way any of the incident's notifications reached
/// them (read from clear columns only: replies, their outbox rows).
pub async fn progress(
    store: &Store,
    incident: &IncidentRecord,
) -> Result<BTreeMap<String, Way>, crate::store::StoreError> {
    let mut out: BTreeMap<String, Way> = store
        .incident_enquiries(&incident.id)
        .await?
        .into_iter()
        .map(|a| (a.enquiry_id, Way::NotNotified))
        .collect();
    for n in store.incident_notices(&incident.id).await? {
        let marked: BTreeSet<String> = store
            .unconfirmed_ok_of(&n.campaign_id)
            .await?
            .into_iter()
            .collect();
        let rows = store
            .recipients(
                &incident.programme_id,
                &RecipientQuery::Campaign(&n.campaign_id),
            )
            .await?;
        for r in rows {
            let way = match super::recipients::Reached::of_word(r.delivery.as_deref().map_or(
                "inbox-only",
                |d| match d {
                    "sent" => "sent",
                    "failed" => "failed",
                    "withdrawn" | "cancelled" => "withdrawn",
                    _ => "pending",
                },
            )) {
                Reached::Sent if marked.contains(&r.enquiry_id) => Way::UnconfirmedNotice,
                Reached::Sent => Way::Email,
                Reached::Failed | Reached::Withdrawn => Way::Failed,
                Reached::InboxOnly | Reached::NoMessage => Way::InboxOnly,
                Reached::Pending => Way::Pending,
            };
            let entry = out.entry(r.enquiry_id).or_insert(Way::NotNotified);
            if way < *entry {
                *entry = way;
            }
        }
    }
    Ok(out)
}

/// Counts of [`progress`] by way.
pub fn counts(progress: &BTreeMap<String, Way>) -> BTreeMap<Way, usize> {
    let mut out = BTreeMap::new();
    for w in progress.values() {
        *out.entry(*w).or_default() += 1;
    }
    out
}

/// The message id that tells what a notification or stop button did (the `done` word
/// the incident page is sent back with); `None` for a word it does not know.
pub fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "notify-prepared" => "incident2-done-prepared",
        "notify-dispatched" => "incident2-done-dispatched",
        "notify-conflict" => "incident2-done-conflict",
        "notify-changed" => "incident2-done-changed",
        "notify-own" => "incident2-done-own",
        "contain-done" => "incident2-done-contained",
        "contain-unchanged" => "incident2-done-unchanged",
        "contain-reason" => "incident2-done-reason",
        "incident2-problem-template" => "incident2-problem-template",
        "incident2-problem-empty" => "incident2-problem-empty",
        "incident2-problem-closed" => "incident2-problem-closed",
        "incident2-problem-pending" => "incident2-problem-pending",
        _ => return None,
    })
}
