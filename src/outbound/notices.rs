//! Emails to staff about their own account: a second factor was set up, reset by an
//! admin, or a recovery code was used (ASVS 2.5.5). If it was not them, they learn of
//! it from a channel the intruder does not hold.
//!
//! Each goes to exactly one address, the account's own, through
//! [`OutboundMessage::new`] like every other message. The text is fixed per kind and
//! names no secret, no code and no enquiry.

use super::message::{OutboundMessage, Recipient, Rendered};
use super::retry::{RetryPolicy, backoff};
use super::transport::{SendError, Transport};
use crate::domain::{EmailAddress, Language};
use crate::i18n::{t, t_args};
use crate::store::{ClaimedNotice, NoticeKind, NoticeOutcome, Store, now};

/// Most notices taken in one claim (they are rare; this bounds a backlog's burst).
const CLAIM: i64 = 16;

/// The email for one notice. Staff pages are in English; so are these.
pub fn render(kind: NoticeKind, at: i64) -> Rendered {
    let lang = Language::En;
    let when = format!("{} UTC", crate::domain::datetime(at));
    let what = t_args(
        lang,
        &format!("staff-notice-{}", kind.as_str()),
        &[("time", when)],
    );
    Rendered {
        subject: t(lang, "staff-notice-subject"),
        text: format!("{what}\n\n{}\n", t(lang, "staff-notice-not-you")),
        html: None,
    }
}

/// Sends every due notice once, from `from`; outcomes are recorded one by one (there
/// are few).
pub(super) async fn deliver_due(
    store: &Store,
    transport: &Transport,
    from: &EmailAddress,
    retry: &RetryPolicy,
) {
    let claimed = match store
        .claim_notices(CLAIM, retry.lease_seconds(), now())
        .await
    {
        Ok(c) => c,
        Err(error) => {
            tracing::warn!(%error, "staff notice claim failed");
            return;
        }
    };
    for notice in claimed {
        let outcome = deliver(transport, retry, from, &notice).await;
        if let Err(error) = store.settle_notice(&notice.id, &outcome, now()).await {
            // The lease runs out and the notice is claimed again: sent twice at worst.
            tracing::warn!(%error, notice = %notice.id, "recording a staff notice failed");
        }
    }
}

async fn deliver(
    transport: &Transport,
    retry: &RetryPolicy,
    from: &EmailAddress,
    notice: &ClaimedNotice,
) -> NoticeOutcome {
    let Ok(address) = EmailAddress::parse(&notice.email) else {
        return NoticeOutcome::Failed {
            error: "the account's address is not an email address".into(),
        };
    };
    let message = match OutboundMessage::new(
        from,
        "Haven",
        Recipient::new(address),
        &render(notice.kind, notice.created_at),
        None,
    ) {
        Ok(m) => m,
        Err(e) => {
            return NoticeOutcome::Failed {
                error: format!("refused: {e}"),
            };
        }
    };
    match transport
        .send(&format!("notice-{}", notice.id), &message)
        .await
    {
        Ok(()) => NoticeOutcome::Sent,
        Err(SendError::Transient(error)) if notice.attempts < retry.max_attempts => {
            let delay = backoff(notice.attempts, retry.base, retry.max);
            NoticeOutcome::Retry {
                next_attempt_at: now() + delay.as_secs() as i64,
                error,
            }
        }
        Err(SendError::Transient(error) | SendError::Permanent(error)) => {
            NoticeOutcome::Failed { error }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_says_what_happened_and_what_to_do_and_nothing_secret() {
        for kind in [
            NoticeKind::TotpEnrolled,
            NoticeKind::TotpReset,
            NoticeKind::RecoveryCodeUsed,
        ] {
            let r = render(kind, 1_764_600_000);
            assert!(!r.subject.contains('\n'));
            assert!(r.text.contains("2025-12-01 14:40 UTC"), "{}", r.text);
            assert!(r.text.contains("admin"), "{}", r.text);
            assert!(!r.text.contains("{"), "unfilled placeholder: {}", r.text);
        }
    }
}
