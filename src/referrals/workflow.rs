//! A referral's life, decided here and nowhere else: [`request`] (what state it starts
//! in: `pending` for personal data, else `queued` with its message or `ready` to
//! download), [`approve`] by a second supervisor, the requester's one [`download`],
//! [`cancel`], and [`stop_moved`], which stops any referral whose partner's address or
//! key is no longer the one it was asked for. Every step opens the enquiry through the
//! keyring's gate, checks with `casework::permit`, and commits its change with its
//! audit entry.

use std::collections::HashMap;

use super::{
    Delivery, PackageMeta, Preview, ReferralError, ReferralState, Stop, check, discloses_personal,
    email, form_sent_with, is_personal, package, preview, same_destination, stopped_entry,
};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::casework::{Action, Member, Refusal, Subject, permit};
use crate::crypto::random_id;
use crate::enquiry::EnquiryContent;
use crate::keyring::{GateError, Keyring, Read};
use crate::programme::live::LiveProgramme;
use crate::programme::{Partner, Programme};
use crate::replies::MailSettings;
use crate::store::{
    EnquiryRecord, NewOutboxRow, NewReferral, OutboxState, ReferralRecord, Store, StoreError,
};

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// Not allowed (refused approvals are audited).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The form named no partner of the programme.
    #[error("no such partner")]
    NoSuchPartner,
    #[error(transparent)]
    Gate(#[from] GateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A validated programme has parseable keys and addresses; anything else here is
    /// a bug, and nothing leaves.
    #[error(transparent)]
    Referral(#[from] ReferralError),
}

impl From<crate::crypto::CryptoError> for FlowError {
    fn from(e: crate::crypto::CryptoError) -> Self {
        Self::Referral(ReferralError::Crypto(e))
    }
}

/// The referral's subject for [`permit`].
pub fn subject(r: &ReferralRecord) -> Subject<'_> {
    Subject::Referral {
        requested_by: &r.requested_by,
        state: r.state,
        delivery: r.delivery,
    }
}

fn actor(who: Member<'_>) -> Actor {
    Actor::staff(who.user)
}

/// An enquiry opened for referral work `what` (audited as `enquiry.read`).
async fn open_for(
    keyring: &Keyring,
    who: Member<'_>,
    record: &EnquiryRecord,
    what: &str,
    mut detail: serde_json::Value,
) -> Result<EnquiryContent, GateError> {
    if let Some(map) = detail.as_object_mut() {
        map.insert("for".into(), what.into());
    }
    keyring
        .open_enquiry(
            &Actor::staff(who.user),
            Read::new(AuditAction::EnquiryRead).detail(detail),
            record,
        )
        .await
}

/// Why a referral request was not made (each is shown at a field of the form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestProblem {
    Basis,
    Delivery,
    /// A profile with personal data, and the person did not consent (audited).
    NoConsent,
}

/// How a request ended.
pub enum Requested {
    Made {
        id: String,
        state: ReferralState,
    },
    /// Not made: the form comes back with the preview of the (opened) enquiry.
    Refused {
        content: Box<EnquiryContent>,
        /// The form it was sent with (what decides what is personal).
        sent_with: Option<Box<Programme>>,
        problems: Vec<RequestProblem>,
    },
}

/// Asks for a referral of `record` to the partner `partner_key`, on `basis`, by
/// `delivery` (`email` or `download`). Decides the state it starts in and, for an
/// emailed one that needs no approval, queues its one message with it.
#[allow(clippy::too_many_arguments)]
pub async fn request(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    who: Member<'_>,
    partner_key: &str,
    basis: &str,
    delivery: &str,
    mail: &MailSettings,
) -> Result<Requested, FlowError> {
    let p = &live.programme;
    let partner = p.partner(partner_key).ok_or(FlowError::NoSuchPartner)?;
    let content = open_for(
        keyring,
        who,
        record,
        "referral.request",
        serde_json::json!({ "partner": partner.key }),
    )
    .await?;
    let mut problems = Vec::new();
    if !p.file().referrals.bases.iter().any(|b| b == basis) {
        problems.push(RequestProblem::Basis);
    }
    let delivery = Delivery::parse(delivery);
    if delivery.is_none() {
        problems.push(RequestProblem::Delivery);
    }
    // Personal by what was stored: the form it was sent with, and the answers.
    let sent_with = form_sent_with(store, live, record).await?;
    let personal = discloses_personal(p, sent_with.as_ref(), partner, &content);
    if matches!(
        check(p, sent_with.as_ref(), partner, &content),
        Err(ReferralError::NoConsent)
    ) {
        store
            .record_audit(
                &Entry::new(
                    &actor(who),
                    AuditAction::ReferralRequest,
                    &format!("enquiry:{}", record.id),
                )
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({ "partner": partner.key, "reason": "no consent" })),
            )
            .await?;
        problems.push(RequestProblem::NoConsent);
    }
    let (true, Some(delivery)) = (problems.is_empty(), delivery) else {
        return Ok(Requested::Refused {
            content: Box::new(content),
            sent_with: sent_with.map(Box::new),
            problems,
        });
    };
    let id = random_id();
    let state = match (personal, delivery) {
        (true, _) => ReferralState::Pending,
        (false, Delivery::Email) => ReferralState::Queued,
        (false, Delivery::Download) => ReferralState::Ready,
    };
    let outbox = match state {
        ReferralState::Queued => {
            let package = build(live, partner, record, &content, &id, basis)?;
            Some(outbox_row(live, partner, record, &id, package, mail)?)
        }
        _ => None,
    };
    let new = NewReferral {
        id: id.clone(),
        programme_id: live.id.clone(),
        enquiry_id: record.id.clone(),
        partner_key: partner.key.clone(),
        partner_name: partner.name.clone(),
        partner_address: partner.address.clone(),
        partner_recipient: partner.recipient.clone(),
        fields: partner.fields.clone(),
        personal,
        basis: basis.to_owned(),
        delivery,
        state,
        requested_by: who.user.to_owned(),
    };
    let entry = Entry::new(
        &actor(who),
        AuditAction::ReferralRequest,
        &format!("enquiry:{}", record.id),
    )
    .detail(serde_json::json!({
        "referral": id, "programme": p.slug().as_str(), "partner": partner.key,
        "fields": partner.fields, "personal_data": personal, "basis": basis,
        "delivery": delivery, "state": state,
    }));
    store.create_referral(&new, outbox.as_ref(), &entry).await?;
    Ok(Requested::Made { id, state })
}

/// The package of a referral, sealed to the partner alone, built now.
fn build(
    live: &LiveProgramme,
    partner: &Partner,
    record: &EnquiryRecord,
    content: &EnquiryContent,
    referral_id: &str,
    basis: &str,
) -> Result<Vec<u8>, ReferralError> {
    package(
        &live.programme,
        partner,
        content,
        record.created_hour,
        &PackageMeta {
            referral_id,
            basis,
            at: crate::store::now(),
        },
    )
}

/// The one message carrying a package to the partner's one address, as an outbox row.
fn outbox_row(
    live: &LiveProgramme,
    partner: &Partner,
    record: &EnquiryRecord,
    referral_id: &str,
    package: Vec<u8>,
    mail: &MailSettings,
) -> Result<NewOutboxRow, FlowError> {
    let message = email(&live.programme, partner, referral_id, package, mail)?;
    Ok(crate::outbound::seal_row(
        &live.sealer,
        &record.id,
        None,
        &format!("referral:{referral_id}"),
        &message,
    )?)
}

/// The partner as it is now, carrying exactly the fields the register recorded;
/// `None` if the partner is gone or its profile no longer allows all of them (then
/// nothing leaves: the referral must be asked for again).
pub fn partner_as_recorded(live: &LiveProgramme, r: &ReferralRecord) -> Option<Partner> {
    let current = live.programme.partner(&r.partner_key)?;
    if !r.fields.iter().all(|f| current.fields.contains(f)) {
        return None;
    }
    let partner = Partner {
        fields: r.fields.clone(),
        ..current.clone()
    };
    // A field that became personal since (its kind changed) was never approved as such.
    if is_personal(&live.programme, &partner) && !r.personal {
        return None;
    }
    Some(partner)
}

/// Whether the package of `r` may be built now: the rules still allow it for this
/// enquiry, and what leaves is no more personal than the register recorded (a
/// referral recorded as not personal was never approved by a second person).
async fn may_build(
    store: &Store,
    live: &LiveProgramme,
    record: &EnquiryRecord,
    r: &ReferralRecord,
    partner: &Partner,
    content: &EnquiryContent,
) -> Result<bool, StoreError> {
    let sent_with = form_sent_with(store, live, record).await?;
    let sent_with = sent_with.as_ref();
    Ok(check(&live.programme, sent_with, partner, content).is_ok()
        && (r.personal || !discloses_personal(&live.programme, sent_with, partner, content)))
}

/// Why a referral can no longer go where it was asked to go, if it cannot.
fn moved(live: &LiveProgramme, r: &ReferralRecord) -> Option<Stop> {
    same_destination(
        r.partner_address.as_deref(),
        r.partner_recipient.as_deref(),
        live.programme.partner(&r.partner_key),
    )
    .err()
}

/// Stops `r` (audited as `who`'s) if its partner moved; `Some(stopped)` then.
async fn stop_if_moved(
    store: &Store,
    live: &LiveProgramme,
    r: &ReferralRecord,
    who: Member<'_>,
) -> Result<Option<bool>, FlowError> {
    let Some(stop) = moved(live, r) else {
        return Ok(None);
    };
    let entry = stopped_entry(&actor(who), r, stop);
    Ok(Some(
        store.stop_referral(&r.id, stop.as_str(), &entry).await?,
    ))
}

/// Referrals shown to staff that have not left and whose partner moved are stopped
/// as they are shown (audited as the viewer's), so the page says what happened
/// rather than offering an approval or download that would be refused. `deliveries`:
/// the outbox state of each emailed referral. Returns whether any was stopped (the
/// rows are then read again).
pub async fn stop_moved(
    store: &Store,
    live: &LiveProgramme,
    who: Member<'_>,
    rows: &mut [ReferralRecord],
    deliveries: &HashMap<String, OutboxState>,
) -> Result<bool, FlowError> {
    let mut stopped = false;
    for r in rows.iter_mut() {
        let unsent = match r.state {
            ReferralState::Pending | ReferralState::Ready => true,
            ReferralState::Queued => r
                .outbox_id
                .as_ref()
                .and_then(|id| deliveries.get(id))
                .is_some_and(|d| d.in_flight()),
            ReferralState::Downloaded | ReferralState::Cancelled => false,
        };
        let Some(stop) = unsent.then(|| moved(live, r)).flatten() else {
            continue;
        };
        let entry = stopped_entry(&actor(who), r, stop);
        if store.stop_referral(&r.id, stop.as_str(), &entry).await?
            && let Some(now) = store.referral(&r.id).await?
        {
            *r = now;
            stopped = true;
        }
    }
    Ok(stopped)
}

/// What an approver is shown before approving: the values that would leave, from
/// the enquiry opened through the gate (audited as `referral.preview`). `None` when
/// `who` may not approve it, or there is nothing to approve any more.
pub async fn approval_preview(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    r: &ReferralRecord,
    who: Member<'_>,
) -> Result<Option<Preview>, FlowError> {
    if permit(who, Action::ApproveReferral, subject(r)).is_err() {
        return Ok(None);
    }
    let (Some(record), Some(partner)) = (
        store.enquiry(&r.enquiry_id).await?,
        partner_as_recorded(live, r),
    ) else {
        return Ok(None);
    };
    let read = Read::new(AuditAction::ReferralPreview)
        .detail(serde_json::json!({ "referral": r.id, "partner": r.partner_key }));
    let content = keyring
        .open_enquiry(&Actor::staff(who.user), read, &record)
        .await?;
    Ok(Some(preview(
        &live.programme,
        &partner,
        &content,
        record.created_hour,
    )))
}

/// How an approval (or a download) ended.
#[derive(Debug)]
pub enum Approved {
    Approved,
    /// Its partner moved: stopped instead (`false`: someone else got there first).
    Stopped(bool),
    /// Not pending any more, or the enquiry or profile no longer allows it.
    Conflict,
}

/// Approves a pending referral as `who` (a supervisor who did not ask for it). A
/// refusal by role or by being the requester is audited.
pub async fn approve(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    r: &ReferralRecord,
    who: Member<'_>,
    mail: &MailSettings,
) -> Result<Approved, FlowError> {
    let subject_id = format!("referral:{}", r.id);
    match permit(who, Action::ApproveReferral, subject(r)) {
        Ok(()) => {}
        Err(Refusal::WrongState) => return Ok(Approved::Conflict),
        Err(refusal) => {
            let reason = if refusal == Refusal::OwnRequest {
                "requester"
            } else {
                "role"
            };
            store
                .record_audit(
                    &Entry::new(&actor(who), AuditAction::ReferralApprove, &subject_id)
                        .outcome(Outcome::Denied)
                        .detail(serde_json::json!({ "reason": reason })),
                )
                .await?;
            return Err(FlowError::Refused(refusal));
        }
    }
    if let Some(done) = stop_if_moved(store, live, r, who).await? {
        return Ok(Approved::Stopped(done));
    }
    let (Some(record), Some(partner)) = (
        store.enquiry(&r.enquiry_id).await?,
        partner_as_recorded(live, r),
    ) else {
        return Ok(Approved::Conflict);
    };
    let detail = serde_json::json!({ "referral": r.id, "partner": r.partner_key });
    let content = open_for(keyring, who, &record, "referral.approve", detail).await?;
    if !may_build(store, live, &record, r, &partner, &content).await? {
        return Ok(Approved::Conflict);
    }
    let outbox = match r.delivery {
        Delivery::Email => {
            let package = build(live, &partner, &record, &content, &r.id, &r.basis)?;
            Some(outbox_row(live, &partner, &record, &r.id, package, mail)?)
        }
        Delivery::Download => None,
    };
    let entry = Entry::new(&actor(who), AuditAction::ReferralApprove, &subject_id).detail(
        serde_json::json!({
            "enquiry": r.enquiry_id, "partner": r.partner_key, "fields": r.fields,
            "requested_by": Actor::staff(&r.requested_by).to_string(), "delivery": r.delivery,
        }),
    );
    Ok(
        if store
            .approve_referral(&r.id, who.user, outbox.as_ref(), &entry)
            .await?
        {
            Approved::Approved
        } else {
            Approved::Conflict
        },
    )
}

/// How a download ended.
pub enum Downloaded {
    /// The package, to send now: its download was recorded (it leaves at most once).
    Package(Vec<u8>),
    Stopped(bool),
    Conflict,
}

/// The requester's one download of a `ready` referral.
pub async fn download(
    store: &Store,
    keyring: &Keyring,
    live: &LiveProgramme,
    r: &ReferralRecord,
    who: Member<'_>,
) -> Result<Downloaded, FlowError> {
    match permit(who, Action::DownloadReferral, subject(r)) {
        Ok(()) => {}
        Err(Refusal::WrongState) => return Ok(Downloaded::Conflict),
        Err(refusal) => return Err(FlowError::Refused(refusal)),
    }
    if let Some(done) = stop_if_moved(store, live, r, who).await? {
        return Ok(Downloaded::Stopped(done));
    }
    let (Some(record), Some(partner)) = (
        store.enquiry(&r.enquiry_id).await?,
        partner_as_recorded(live, r),
    ) else {
        return Ok(Downloaded::Conflict);
    };
    let detail = serde_json::json!({ "referral": r.id, "partner": r.partner_key });
    let content = open_for(keyring, who, &record, "referral.download", detail).await?;
    if !may_build(store, live, &record, r, &partner, &content).await? {
        return Ok(Downloaded::Conflict);
    }
    // Built before it is marked downloaded, so a failure here leaves it downloadable;
    // sent only after the mark committed, so it leaves at most once.
    let package = build(live, &partner, &record, &content, &r.id, &r.basis)?;
    let entry = Entry::new(
        &actor(who),
        AuditAction::ReferralDownload,
        &format!("referral:{}", r.id),
    )
    .detail(serde_json::json!({
        "enquiry": r.enquiry_id, "partner": r.partner_key, "fields": r.fields,
    }));
    Ok(if store.consume_download(&r.id, who.user, &entry).await? {
        Downloaded::Package(package)
    } else {
        Downloaded::Conflict
    })
}

/// Cancels a referral that has not left (its requester, or a supervisor); `false`
/// if it had moved on meanwhile.
pub async fn cancel(store: &Store, r: &ReferralRecord, who: Member<'_>) -> Result<bool, FlowError> {
    match permit(who, Action::CancelReferral, subject(r)) {
        Ok(()) => {}
        Err(Refusal::WrongState) => return Ok(false),
        Err(refusal) => return Err(FlowError::Refused(refusal)),
    }
    Ok(store
        .cancel_referral(
            &r.id,
            who.user,
            &Entry::new(
                &actor(who),
                AuditAction::ReferralCancel,
                &format!("referral:{}", r.id),
            ),
        )
        .await?)
}
