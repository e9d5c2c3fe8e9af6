//! Emails to staff about their own account: a second factor was set up, reset by an
//! admin, or a recovery code was used (ASVS 2.5.5). If it was not them, they learn of
//! it from a channel the intruder does not hold.
//!
//! Each goes to exactly one address, the account's own, through
//! [`OutboundMessage::new`] like every other message. The text is fixed per kind,
//! written in the language the recipient reads the console in, and names no secret,
//! no code and no enquiry.

use super::message::{OutboundMessage, Recipient, Rendered};
use super::retry::{RetryPolicy, backoff};
use super::transport::{SendError, Transport};
use crate::domain::{EmailAddress, Language};
use crate::i18n::{t, t_args};
use crate::store::{ClaimedNotice, GrantNotice, GrantedBy, NoticeKind, NoticeOutcome, Store, now};

/// Most notices taken in one claim (they are rare; this bounds a backlog's burst).
const CLAIM: i64 = 16;

/// The email for one notice, in `lang`: the language the recipient reads the console
/// in (English for an account that never chose one).
pub fn render(kind: NoticeKind, at: i64, grant: Option<&GrantNotice>, lang: Language) -> Rendered {
    let when = format!("{} UTC", crate::domain::datetime(at));
    if let (NoticeKind::RoleGranted, Some(g)) = (kind, grant) {
        // To an instance admin: which role where, and what kind of account gave it, so
        // a grant made with a stolen session, or one nobody expected, is seen by someone
        // who can undo it. No address: who it was is on the staff page and in the log.
        let by = t(
            lang,
            match g.by {
                GrantedBy::InstanceAdmin => "staff-notice-by-instance-admin",
                GrantedBy::ProgrammeAdmin => "staff-notice-by-programme-admin",
                GrantedBy::CommandLine => "staff-notice-by-command-line",
            },
        );
        let what = t_args(
            lang,
            "staff-notice-role-granted",
            &[
                ("time", when),
                ("role", role_label(lang, &g.role)),
                ("programme", g.programme.clone()),
                ("by", by),
            ],
        );
        let check = t_args(
            lang,
            "staff-notice-grant-check",
            &[("page", format!("/admin/programmes/{}/staff", g.programme))],
        );
        return Rendered {
            subject: t(lang, "staff-notice-grant-subject"),
            text: format!("{what}\n\n{check}\n"),
            html: None,
        };
    }
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

/// A role as the console names it in `lang` (the stored name if it is none we know).
fn role_label(lang: Language, role: &str) -> String {
    match crate::casework::ProgrammeRole::parse(role) {
        Some(role) => t(lang, &format!("admin-role-{}", role.as_str())),
        None => role.to_owned(),
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
        &render(
            notice.kind,
            notice.created_at,
            notice.grant.as_ref(),
            notice
                .language
                .as_deref()
                .and_then(|tag| Language::parse(tag).ok())
                .unwrap_or(Language::En),
        ),
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
            let r = render(kind, 1_764_600_000, None, Language::En);
            assert!(!r.subject.contains('\n'));
            assert!(r.text.contains("2025-12-01 14:40 UTC"), "{}", r.text);
            assert!(r.text.contains("admin"), "{}", r.text);
            assert!(!r.text.contains("{"), "unfilled placeholder: {}", r.text);
        }
    }

    #[test]
    fn a_grant_notice_names_the_role_and_programme_and_no_address() {
        let grant = GrantNotice {
            programme: "sudan-2026".into(),
            role: "agent".into(),
            by: GrantedBy::ProgrammeAdmin,
        };
        let r = render(
            NoticeKind::RoleGranted,
            1_764_600_000,
            Some(&grant),
            Language::En,
        );
        for part in [
            "“agent”",
            "sudan-2026",
            "programme admins",
            "2025-12-01 14:40 UTC",
            "/admin/programmes/sudan-2026/staff",
        ] {
            assert!(r.text.contains(part), "{part}: {}", r.text);
        }
        assert!(!r.text.contains('@') && !r.text.contains('{'), "{}", r.text);
        assert!(!r.subject.contains('\n'));
        let cli = render(
            NoticeKind::RoleGranted,
            1_764_600_000,
            Some(&GrantNotice {
                by: GrantedBy::CommandLine,
                ..grant
            }),
            Language::En,
        );
        assert!(cli.text.contains("command line"), "{}", cli.text);
    }

    #[test]
    fn every_notice_speaks_the_recipients_language() {
        let grant = GrantNotice {
            programme: "sudan-2026".into(),
            role: "supervisor".into(),
            by: GrantedBy::InstanceAdmin,
        };
        let r = render(
            NoticeKind::RoleGranted,
            1_764_600_000,
            Some(&grant),
            Language::Ar,
        );
        assert_eq!(r.subject, t(Language::Ar, "staff-notice-grant-subject"));
        assert!(
            r.text.contains(&t(Language::Ar, "admin-role-supervisor")),
            "{}",
            r.text
        );
        assert!(!r.text.contains("supervisor"), "{}", r.text);
        for kind in [NoticeKind::TotpReset, NoticeKind::SecondFactorLocked] {
            let r = render(kind, 1_764_600_000, None, Language::Ar);
            assert_eq!(r.subject, t(Language::Ar, "staff-notice-subject"));
            assert!(r.text.contains(&t(Language::Ar, "staff-notice-not-you")));
        }
    }
}
