//! Bulk replies ("campaigns"): one template to many enquiries, sent as one message per
//! person, and only after a second supervisor approves.
//!
//! [`prepare`] fixes two things when a campaign is made: its enquiries (the list the
//! creator saw) and its text ([`PinnedText`]: the template's subject and body, and the
//! programme's title, in every language of the programme). The campaign page shows
//! that text and nothing else, and its approval form names it by digest. [`approve`]
//! refuses when the digest is not the one stored, or when the template no longer
//! reads as pinned (someone edited it since); then it renders each person's message
//! from the pinned text, never from the template as it is now, and expands the
//! campaign, in one transaction, into one reply and at most one outbox row per
//! enquiry, each checked by the exposure guard. The database refuses an approval by
//! the creator.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::casework::{Action, Member, Refusal, Status, Subject, permit};
use crate::crypto::{CryptoError, random_id};
use crate::domain::Language;
use crate::enquiry::EnquiryContent;
use crate::keyring::{GateError, Keyring, Read};
use crate::outbound::template;
use crate::programme::Programme;
use crate::programme::live::LiveProgramme;
use crate::replies::{self, Draft, MailSettings, ReplyError};
use crate::store::{CampaignRecord, NewCampaign, Store, StoreError};

pub use crate::store::CampaignState;

/// Most enquiries one campaign may address.
pub const MAX_CAMPAIGN: usize = 20_000;

/// A template's texts in one language, as pinned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub subject: String,
    pub body: String,
    /// What `{programme}` stands for.
    pub programme: String,
}

/// What a campaign sends, fixed when it is prepared: per language tag, the template's
/// subject and body and the programme's title, and which language stands in for one
/// the programme does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedText {
    pub default: String,
    pub texts: BTreeMap<String, Text>,
}

impl PinnedText {
    /// The template `key` of `programme` as it reads now; `None` if it has none.
    pub fn of(programme: &Programme, key: &str) -> Option<Self> {
        let t = programme.template(key)?;
        let texts = programme
            .languages()
            .iter()
            .map(|lang| {
                (
                    lang.tag().to_owned(),
                    Text {
                        subject: programme.text(&t.subject, *lang).to_owned(),
                        body: programme.text(&t.body, *lang).to_owned(),
                        programme: programme.text(&programme.file().title, *lang).to_owned(),
                    },
                )
            })
            .collect();
        Some(Self {
            default: programme.default_language().tag().to_owned(),
            texts,
        })
    }

    /// As stored (`campaigns.template_text`); the same text always gives the same JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn parse(json: &str) -> Option<Self> {
        serde_json::from_str(json).ok()
    }

    /// What the approval form carries: SHA-256 of the stored JSON, in hex.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.to_json().as_bytes()))
    }

    /// The text for `lang`, or the default language's.
    pub fn text(&self, lang: &str) -> Option<&Text> {
        self.texts
            .get(lang)
            .or_else(|| self.texts.get(&self.default))
    }

    /// The languages whose template text is the default language's (the template has
    /// none of its own there): what shows once, under the default language.
    pub fn same_as_default(&self) -> Vec<&str> {
        let Some(default) = self.texts.get(&self.default) else {
            return Vec::new();
        };
        self.texts
            .iter()
            .filter(|(tag, t)| {
                **tag != self.default && t.subject == default.subject && t.body == default.body
            })
            .map(|(tag, _)| tag.as_str())
            .collect()
    }

    /// One person's message, in their language, from the pinned text.
    pub fn render(
        &self,
        live: &LiveProgramme,
        content: &EnquiryContent,
        mail: &MailSettings,
    ) -> Option<Draft> {
        let lang = Language::parse(&content.language)
            .map(|l| l.tag().to_owned())
            .unwrap_or_else(|_| self.default.clone());
        let text = self.text(&lang)?;
        let mut context = replies::context(live, content, mail);
        // The title as pinned, where the programme may name itself at all.
        if crate::letters::names_programme(&live.programme) {
            context.programme = text.programme.clone();
        }
        let rendered = template::render(&text.subject, &text.body, &context);
        Some(Draft {
            subject: rendered.subject,
            text: rendered.text,
            template_key: None,
        })
    }
}

/// What a new campaign addresses, as chosen on the campaigns page (`""`: any).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub template: String,
    pub queue: String,
    pub status: String,
    pub language: String,
}

/// Why a campaign was not prepared (each names the form field it is about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Template,
    Queue,
    Status,
    Language,
    /// Nobody matches the selection.
    Empty,
    TooMany(usize),
}

impl Problem {
    /// The field of the form the problem is shown at.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Template => "template",
            Self::Queue | Self::Empty | Self::TooMany(_) => "queue",
            Self::Status => "status",
            Self::Language => "language",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// Not allowed (audited where it matters).
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Prepares a campaign by `creator`: checks the selection, fixes the enquiries and the
/// text, and records it (audited as `campaign.create`). `Ok(Err(problems))` when the
/// selection is refused.
pub async fn prepare(
    store: &Store,
    live: &LiveProgramme,
    creator: Member<'_>,
    selection: &Selection,
) -> Result<Result<String, Vec<Problem>>, CampaignError> {
    permit(creator, Action::PrepareCampaign, Subject::Programme).map_err(CampaignError::Refused)?;
    let p = &live.programme;
    let mut problems = Vec::new();
    let pinned = PinnedText::of(p, &selection.template);
    if pinned.is_none() {
        problems.push(Problem::Template);
    }
    if !selection.queue.is_empty() && !p.file().queues.iter().any(|q| q.key == selection.queue) {
        problems.push(Problem::Queue);
    }
    if !selection.status.is_empty() && Status::parse(&selection.status).is_none() {
        problems.push(Problem::Status);
    }
    if !selection.language.is_empty()
        && !p.languages().iter().any(|l| l.tag() == selection.language)
    {
        problems.push(Problem::Language);
    }
    let (Some(pinned), true) = (pinned, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let ids = store
        .campaign_selection(
            &live.id,
            &selection.queue,
            &selection.status,
            &selection.language,
        )
        .await?;
    if ids.is_empty() {
        return Ok(Err(vec![Problem::Empty]));
    }
    if ids.len() > MAX_CAMPAIGN {
        return Ok(Err(vec![Problem::TooMany(ids.len())]));
    }
    let campaign = NewCampaign {
        id: random_id(),
        programme_id: live.id.clone(),
        template_key: selection.template.clone(),
        filter_queue: selection.queue.clone(),
        filter_status: selection.status.clone(),
        filter_language: selection.language.clone(),
        created_by: creator.user.to_owned(),
        enquiry_ids: ids,
        template_text: pinned.to_json(),
    };
    let entry = Entry::new(
        &Actor::staff(creator.user),
        AuditAction::CampaignCreate,
        &format!("campaign:{}", campaign.id),
    )
    .detail(serde_json::json!({
        "programme": p.slug().as_str(),
        "template": campaign.template_key,
        "text": pinned.digest(),
        "enquiries": campaign.enquiry_ids.len(),
        "queue": campaign.filter_queue, "status": campaign.filter_status,
        "language": campaign.filter_language,
    }));
    store.create_campaign(&campaign, &entry).await?;
    Ok(Ok(campaign.id))
}

/// The campaign's subject for [`permit`].
pub fn subject(c: &CampaignRecord) -> Subject<'_> {
    Subject::Campaign {
        created_by: &c.created_by,
        state: c.state,
    }
}

/// The pinned text of a campaign, if it has one.
pub fn pinned(c: &CampaignRecord) -> Option<PinnedText> {
    c.template_text.as_deref().and_then(PinnedText::parse)
}

/// Whether the programme's template still reads as the campaign pinned it.
pub fn template_unchanged(live: &LiveProgramme, c: &CampaignRecord, pinned: &PinnedText) -> bool {
    PinnedText::of(&live.programme, &c.template_key).as_ref() == Some(pinned)
}

/// How an approval ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Dispatched,
    /// Someone else decided first (or it is no longer pending).
    Conflict,
    /// The text is not the one the approver was shown, or the template changed since
    /// the campaign was prepared: nothing is sent.
    TextChanged,
}

/// Approves a pending campaign as `approver`, who was shown the text with digest
/// `seen`. Refusals by role or by being its creator are audited (`denied`) and
/// returned as [`CampaignError::Refused`].
pub async fn approve(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    c: &CampaignRecord,
    approver: Member<'_>,
    seen: &str,
    mail: &MailSettings,
) -> Result<Approval, CampaignError> {
    let actor = Actor::staff(approver.user);
    let subject_id = format!("campaign:{}", c.id);
    let denied = |reason: &str| {
        Entry::new(&actor, AuditAction::CampaignApprove, &subject_id)
            .outcome(Outcome::Denied)
            .detail(serde_json::json!({ "reason": reason }))
    };
    match permit(approver, Action::ApproveCampaign, subject(c)) {
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
    let Some(pinned) = pinned(c).filter(|p| p.digest() == seen) else {
        store.record_audit(&denied("template-changed")).await?;
        return Ok(Approval::TextChanged);
    };
    if !template_unchanged(live, c, &pinned) {
        store.record_audit(&denied("template-changed")).await?;
        return Ok(Approval::TextChanged);
    }
    let mut records = Vec::new();
    let mut seen_ids = BTreeSet::new();
    for enquiry_id in store.campaign_enquiry_ids(&c.id).await? {
        // One message per enquiry, whatever the list holds.
        if !seen_ids.insert(enquiry_id.clone()) {
            continue;
        }
        if let Some(record) = store.enquiry(&enquiry_id).await? {
            records.push(record); // else purged since the campaign was prepared
        }
    }
    // One read of every enquiry, by the approver, audited and counted once before any
    // is opened; nobody sees them: each is rendered into its own message.
    let contents = keyring
        .open_campaign(
            &Actor::staff(approver.user),
            Read::new(AuditAction::CampaignExpand),
            &c.id,
            &records,
        )
        .await?;
    let mut prepared = Vec::new();
    let mut refused = 0usize;
    for (record, content) in records.iter().zip(&contents) {
        let Some(draft) = pinned.render(live, content, mail) else {
            refused += 1;
            continue;
        };
        let draft = Draft {
            template_key: Some(c.template_key.clone()),
            ..draft
        };
        match replies::prepare(
            live,
            record,
            content,
            &draft,
            approver.user,
            Some(&c.id),
            mail,
        ) {
            Ok(p) => prepared.push(p),
            Err(ReplyError::Crypto(e)) => return Err(e.into()),
            // The guard refused this one (e.g. an address typed into a name): it is
            // left out and counted, never sent.
            Err(_) => refused += 1,
        }
    }
    let emails = prepared.iter().filter(|p| p.outbox.is_some()).count();
    let entry = Entry::new(&actor, AuditAction::CampaignApprove, &subject_id)
        .outcome(if refused > 0 {
            Outcome::Alert
        } else {
            Outcome::Ok
        })
        .detail(serde_json::json!({
            "replies": prepared.len(), "emails": emails, "refused_by_guard": refused,
            "created_by": Actor::staff(&c.created_by).to_string(), "text": pinned.digest(),
        }));
    let done = store
        .dispatch_campaign(&c.id, approver.user, &prepared, &entry)
        .await?;
    Ok(if done {
        Approval::Dispatched
    } else {
        Approval::Conflict
    })
}

/// Cancels a pending campaign; `false` if someone decided first.
pub async fn cancel(
    store: &Store,
    c: &CampaignRecord,
    by: Member<'_>,
) -> Result<bool, CampaignError> {
    match permit(by, Action::CancelCampaign, subject(c)) {
        Ok(()) => {}
        Err(Refusal::WrongState) => return Ok(false),
        Err(r) => return Err(CampaignError::Refused(r)),
    }
    Ok(store
        .cancel_campaign(
            &c.id,
            by.user,
            &Entry::new(
                &Actor::staff(by.user),
                AuditAction::CampaignCancel,
                &format!("campaign:{}", c.id),
            ),
        )
        .await?)
}

/// What a supervisor can do to a dispatched campaign's messages not sent yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Held until resumed.
    Pause,
    Resume,
    /// Never sent: for good.
    Cancel,
}

/// Pauses, resumes or stops a dispatched campaign (a supervisor of its programme);
/// `false` when it changes nothing (already so, stopped for good, or not dispatched).
/// The worker checks before every SMTP transaction, so once this commits at most the
/// sends already under way leave.
pub async fn stop(
    store: &Store,
    c: &CampaignRecord,
    by: Member<'_>,
    what: Stop,
    reason: &str,
) -> Result<bool, CampaignError> {
    match crate::casework::permit(by, crate::casework::Action::StopCampaign, subject(c)) {
        Ok(()) => {}
        // Not dispatched (pending, cancelled): there is nothing on its way to stop.
        Err(Refusal::WrongState) => return Ok(false),
        Err(r) => return Err(CampaignError::Refused(r)),
    }
    let scope = crate::store::HoldScope::Campaign(c.id.clone());
    let reason: String = reason.trim().chars().take(500).collect();
    let (action, state) = match what {
        Stop::Pause => (AuditAction::CampaignPause, "paused"),
        Stop::Resume => (AuditAction::CampaignResume, ""),
        Stop::Cancel => (AuditAction::CampaignStop, "cancelled"),
    };
    let entry = Entry::new(
        &Actor::staff(by.user),
        action,
        &format!("campaign:{}", c.id),
    )
    .detail(serde_json::json!({ "reason": reason }));
    Ok(match what {
        Stop::Resume => store.lift_hold(&scope, &entry).await?,
        _ => {
            store
                .put_hold(
                    &scope,
                    state,
                    &reason,
                    &Actor::staff(by.user).to_string(),
                    crate::store::now(),
                    &entry,
                )
                .await?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../ops/examples/afghanistan-2021.toml");

    #[test]
    fn the_pinned_text_holds_every_language_and_its_digest_follows_any_edit() {
        let p = Programme::parse(EXAMPLE).unwrap();
        let pinned = PinnedText::of(&p, "acknowledgement").unwrap();
        assert_eq!(pinned.texts.len(), p.languages().len());
        assert!(
            pinned
                .text("fr")
                .unwrap()
                .body
                .starts_with("Bonjour {name},")
        );
        // A language the programme does not have reads as its default.
        assert_eq!(pinned.text("xx"), pinned.text(&pinned.default));
        assert_eq!(PinnedText::parse(&pinned.to_json()).as_ref(), Some(&pinned));
        assert_eq!(
            pinned.digest(),
            PinnedText::of(&p, "acknowledgement").unwrap().digest()
        );

        let edited = Programme::parse(&EXAMPLE.replace(
            "We have received your enquiry",
            "We have received your enquiry!",
        ))
        .unwrap();
        let now = PinnedText::of(&edited, "acknowledgement").unwrap();
        assert_ne!(now, pinned);
        assert_ne!(now.digest(), pinned.digest());
        assert!(PinnedText::of(&p, "no-such-template").is_none());
    }
}
