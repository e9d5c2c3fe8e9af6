//! Call-centre agents side by side (issue 22, items 5 and 6), without HTTP: who else is
//! on an enquiry (a claim, a draft lock), whether a reply on someone else's claim may go
//! ("reply anyway"), the related enquiries that share an address (reason, rate limit,
//! audit), and duplicate marks. The console's pages call these and only draw.
//!
//! A draft lock is advisory: it tells the others "someone is writing a reply" on every
//! page load (no JavaScript), lapses after [`LOCK_SECS`] unless renewed, and never stops
//! anyone from acting: a claim does that, and "reply anyway" is the explicit way past it.

use crate::audit::{AuditAction, Entry, Outcome};
use crate::casework::{Action, Case, Member, Refusal, Subject, permit};
use crate::store::{RelatedEnquiry, Store, StoreError};

/// How long a draft lock lasts after the reply box was opened or a draft saved.
pub const LOCK_SECS: i64 = 5 * 60;

/// How many related-enquiry look-ups one staff member may make in an hour.
pub const RELATED_PER_HOUR: i64 = 20;

/// The most related enquiries one look-up lists.
pub const RELATED_MAX: i64 = 50;

/// The shortest and longest reason for a look-up, in characters.
pub const REASON_MIN: usize = 3;
pub const REASON_MAX: usize = 500;

/// How a reply may go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyClearance {
    /// Nobody else claimed the enquiry (or the rules let this member reply anyway).
    Free,
    /// Someone else claimed it and the member ticked "reply anyway".
    Anyway { claimed_by: String },
}

impl ReplyClearance {
    /// For the reply's audit entry: whose claim it went past, if any.
    pub fn past_claim_of(&self) -> Option<String> {
        match self {
            Self::Anyway { claimed_by } => Some(crate::audit::Actor::staff(claimed_by).to_string()),
            Self::Free => None,
        }
    }
}

/// Whether `who` may reply to `case`: on someone else's claim only with `anyway`
/// ticked (`Refusal::ClaimedByOther` otherwise), whatever their role.
pub fn reply_clearance(
    who: Member<'_>,
    case: Case<'_>,
    anyway: bool,
) -> Result<ReplyClearance, Refusal> {
    match case.assigned_to {
        Some(other) if other != who.user => {
            if !anyway {
                return Err(Refusal::ClaimedByOther);
            }
            permit(who, Action::ReplyAnyway, Subject::Enquiry(case))?;
            Ok(ReplyClearance::Anyway {
                claimed_by: other.to_owned(),
            })
        }
        _ => permit(who, Action::Reply, Subject::Enquiry(case)).map(|()| ReplyClearance::Free),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RelatedError {
    #[error("a reason is needed")]
    NoReason,
    #[error("too many look-ups this hour")]
    Limited,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The typed reason, trimmed, when it is long enough and not too long.
pub fn reason(raw: &str) -> Option<&str> {
    let r = raw.trim();
    let n = r.chars().count();
    (REASON_MIN..=REASON_MAX).contains(&n).then_some(r)
}

/// Lists the other enquiries of `programme_id` sharing `enquiry_id`'s address through
/// the blind index. The caller has checked the asker works on that programme. Refused
/// without a reason; limited per hour (the refusal audited as an alert); each look-up
/// audited with its reason's length (the reason itself is the asker's words about a
/// person: it is not written to the log in clear) and how many were found.
pub async fn related(
    store: &Store,
    actor: &crate::audit::Actor,
    user_id: &str,
    programme_id: &str,
    enquiry_id: &str,
    raw_reason: &str,
    now: i64,
) -> Result<Vec<RelatedEnquiry>, RelatedError> {
    let subject = format!("enquiry:{enquiry_id}");
    let Some(reason) = reason(raw_reason) else {
        return Err(RelatedError::NoReason);
    };
    let bucket = format!("related-lookup:{user_id}").into_bytes();
    if store.count_in_window(&bucket, now, 3600).await? > RELATED_PER_HOUR {
        store
            .record_audit(
                &Entry::new(actor, AuditAction::EnquiryRelated, &subject)
                    .outcome(Outcome::Alert)
                    .detail(serde_json::json!({ "refused": "hourly look-up limit" })),
            )
            .await?;
        return Err(RelatedError::Limited);
    }
    let found = store
        .related_by_contact(programme_id, enquiry_id, RELATED_MAX)
        .await?;
    store
        .record_audit(
            &Entry::new(actor, AuditAction::EnquiryRelated, &subject).detail(serde_json::json!({
                "reason_chars": reason.chars().count(),
                "found": found.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            })),
        )
        .await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::{ProgrammeRole, Status};

    fn member(role: ProgrammeRole, user: &str) -> Member<'_> {
        Member { user, role }
    }

    #[test]
    fn a_reply_on_someone_elses_claim_needs_reply_anyway_whatever_the_role() {
        let theirs = Case {
            status: Status::InProgress,
            assigned_to: Some("other"),
        };
        let mine = Case {
            status: Status::InProgress,
            assigned_to: Some("me"),
        };
        let free = Case {
            status: Status::New,
            assigned_to: None,
        };
        for role in [ProgrammeRole::Agent, ProgrammeRole::Supervisor] {
            let me = member(role, "me");
            assert_eq!(
                reply_clearance(me, theirs, false),
                Err(Refusal::ClaimedByOther)
            );
            assert_eq!(
                reply_clearance(me, theirs, true),
                Ok(ReplyClearance::Anyway {
                    claimed_by: "other".into()
                })
            );
            for anyway in [false, true] {
                assert_eq!(reply_clearance(me, mine, anyway), Ok(ReplyClearance::Free));
                assert_eq!(reply_clearance(me, free, anyway), Ok(ReplyClearance::Free));
            }
        }
    }

    #[test]
    fn a_reason_is_a_few_characters_at_least() {
        assert_eq!(reason("  "), None);
        assert_eq!(reason("ab"), None);
        assert_eq!(reason(" same lawyer "), Some("same lawyer"));
        assert_eq!(reason(&"x".repeat(REASON_MAX + 1)), None);
    }
}
