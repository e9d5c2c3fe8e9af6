//! Notices to staff members about their own account (a factor changed), and the
//! throttle windows that every console instance shares.
//!
//! A notice row holds no address and no secret: the address is read from `users`
//! when the worker sends it, and the text is fixed per kind. It is written in the
//! transaction of the change it reports, so a change without its notice (or the other
//! way round) cannot commit. Workers claim a row with a conditional update, so two
//! workers never both hold one.

use sqlx::Row;

use super::{Store, StoreError};
use crate::crypto::random_id;

/// What happened to the account. The text of each is in the locales
/// (`staff-notice-<kind>-…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    TotpEnrolled,
    TotpReset,
    RecoveryCodeUsed,
    /// To an instance admin: someone was given a role in a programme.
    RoleGranted,
    /// Wrong second-factor codes after a right password locked the second factor.
    SecondFactorLocked,
}

impl NoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TotpEnrolled => "totp-enrolled",
            Self::TotpReset => "totp-reset",
            Self::RecoveryCodeUsed => "recovery-code-used",
            Self::RoleGranted => "role-granted",
            Self::SecondFactorLocked => "second-factor-locked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::TotpEnrolled,
            Self::TotpReset,
            Self::RecoveryCodeUsed,
            Self::RoleGranted,
            Self::SecondFactorLocked,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// What a role-granted notice says: which role in which programme, and what kind of
/// account gave it. No address at all: the exposure guard lets a message name only its
/// own recipient, and the instance admin finds who on the programme's staff page and
/// in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantNotice {
    pub programme: String,
    pub role: String,
    pub by: GrantedBy,
}

/// Who gave a role, as a notice says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantedBy {
    /// An instance admin (directly, or approving a programme admin's request).
    InstanceAdmin,
    /// One of the programme's admins (the agent role).
    ProgrammeAdmin,
    /// `haven user add` / `haven user grant`.
    CommandLine,
}

/// A notice a worker holds, with the address it goes to.
#[derive(Debug, Clone)]
pub struct ClaimedNotice {
    pub id: String,
    pub kind: NoticeKind,
    pub email: String,
    pub created_at: i64,
    /// Including this claim.
    pub attempts: i64,
    /// For [`NoticeKind::RoleGranted`].
    pub grant: Option<GrantNotice>,
    /// The language tag the recipient chose for the console, if any: the notice's.
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeOutcome {
    Sent,
    Retry { next_attempt_at: i64, error: String },
    Failed { error: String },
}

/// Queues a role-granted notice to every active instance admin, inside the caller's
/// transaction (the grant's): a grant without its notices cannot commit.
pub async fn queue_grant_notices(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    about_user: &str,
    programme_id: &str,
    role: crate::casework::ProgrammeRole,
    granted_by: Option<&str>,
    at: i64,
) -> Result<(), StoreError> {
    let admins = sqlx::query("SELECT id FROM users WHERE is_admin = 1 AND disabled = 0")
        .fetch_all(&mut **tx)
        .await?;
    for admin in admins {
        let admin: String = admin.try_get("id")?;
        sqlx::query(
            "INSERT INTO staff_notices (id, user_id, kind, state, attempts, next_attempt_at, \
             created_at, about_user_id, programme_id, role, granted_by) \
             VALUES ($1, $2, $3, 'queued', 0, $4, $4, $5, $6, $7, $8)",
        )
        .bind(random_id())
        .bind(&admin)
        .bind(NoticeKind::RoleGranted.as_str())
        .bind(at)
        .bind(about_user)
        .bind(programme_id)
        .bind(role.as_str())
        .bind(granted_by)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Queues a notice inside the caller's transaction.
pub async fn queue_notice(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    kind: NoticeKind,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO staff_notices (id, user_id, kind, state, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, 'queued', 0, $4, $4)",
    )
    .bind(random_id())
    .bind(user_id)
    .bind(kind.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// How many notices a claim at `at` could take.
    pub async fn notices_due(&self, at: i64) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM staff_notices \
             WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1",
        )
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Takes up to `limit` due notices for `lease_secs`.
    pub async fn claim_notices(
        &self,
        limit: i64,
        lease_secs: i64,
        at: i64,
    ) -> Result<Vec<ClaimedNotice>, StoreError> {
        let due = sqlx::query(
            "SELECT id FROM staff_notices \
             WHERE state IN ('queued', 'sending') AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at LIMIT $2",
        )
        .bind(at)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in due {
            let id: String = row.try_get("id")?;
            // Conditional on the state this claim saw: another worker that took the
            // row first leaves nothing to update here.
            let got = sqlx::query(
                "UPDATE staff_notices SET state = 'sending', attempts = attempts + 1, \
                 lease_until = $1, next_attempt_at = $1 \
                 WHERE id = $2 AND state IN ('queued', 'sending') AND next_attempt_at <= $3",
            )
            .bind(at + lease_secs)
            .bind(&id)
            .bind(at)
            .execute(&self.pool)
            .await?;
            if got.rows_affected() != 1 {
                continue;
            }
            let row = sqlx::query(
                "SELECT n.kind, n.attempts, n.created_at, u.email, u.language, n.role, \
                 p.slug AS programme, g.is_admin AS by_instance_admin, n.granted_by \
                 FROM staff_notices n JOIN users u ON u.id = n.user_id \
                 LEFT JOIN programmes p ON p.id = n.programme_id \
                 LEFT JOIN users g ON g.id = n.granted_by WHERE n.id = $1",
            )
            .bind(&id)
            .fetch_one(&self.pool)
            .await?;
            let kind: String = row.try_get("kind")?;
            let kind =
                NoticeKind::parse(&kind).ok_or(StoreError::Corrupt("unknown staff notice kind"))?;
            let grant = match kind {
                NoticeKind::RoleGranted => {
                    let by: Option<String> = row.try_get("granted_by")?;
                    let instance: Option<i64> = row.try_get("by_instance_admin")?;
                    Some(GrantNotice {
                        programme: row
                            .try_get::<Option<String>, _>("programme")?
                            .unwrap_or_default(),
                        role: row
                            .try_get::<Option<String>, _>("role")?
                            .unwrap_or_default(),
                        by: match (by, instance) {
                            (None, _) => GrantedBy::CommandLine,
                            (Some(_), Some(1)) => GrantedBy::InstanceAdmin,
                            (Some(_), _) => GrantedBy::ProgrammeAdmin,
                        },
                    })
                }
                _ => None,
            };
            claimed.push(ClaimedNotice {
                id,
                kind,
                email: row.try_get("email")?,
                created_at: row.try_get("created_at")?,
                attempts: row.try_get("attempts")?,
                grant,
                language: row.try_get("language")?,
            });
        }
        Ok(claimed)
    }

    pub async fn settle_notice(
        &self,
        id: &str,
        outcome: &NoticeOutcome,
        at: i64,
    ) -> Result<(), StoreError> {
        let (state, next, error, sent_at) = match outcome {
            NoticeOutcome::Sent => ("sent", at, None, Some(at)),
            NoticeOutcome::Retry {
                next_attempt_at,
                error,
            } => ("queued", *next_attempt_at, Some(error.as_str()), None),
            NoticeOutcome::Failed { error } => ("failed", at, Some(error.as_str()), None),
        };
        sqlx::query(
            "UPDATE staff_notices SET state = $1, next_attempt_at = $2, last_error = $3, \
             sent_at = $4, lease_until = NULL WHERE id = $5 AND state = 'sending'",
        )
        .bind(state)
        .bind(next)
        .bind(error)
        .bind(sent_at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Notices of one account, oldest first, as (kind, state): for the tests and the
    /// account page.
    pub async fn notices_of(&self, user_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, state FROM staff_notices WHERE user_id = $1 ORDER BY created_at, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("kind")?, r.try_get("state")?)))
            .collect()
    }

    /// Counts one hit against `key` in its current window of `window_secs` and
    /// returns the hits in that window, this one included. One statement, so
    /// concurrent hits on any number of instances are all counted.
    pub async fn count_in_window(
        &self,
        key: &[u8],
        at: i64,
        window_secs: i64,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO throttle_windows (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
               hits = CASE WHEN throttle_windows.window_start <= $3 THEN 1 \
                      ELSE throttle_windows.hits + 1 END, \
               window_start = CASE WHEN throttle_windows.window_start <= $3 THEN $2 \
                              ELSE throttle_windows.window_start END \
             RETURNING hits",
        )
        .bind(key)
        .bind(at)
        .bind(at - window_secs)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("hits")?)
    }

    /// Forgets windows that started more than `older_than_secs` ago (longer than any
    /// window), so the table holds only recent keys.
    pub async fn prune_throttle_windows(
        &self,
        at: i64,
        older_than_secs: i64,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM throttle_windows WHERE window_start <= $1")
            .bind(at - older_than_secs)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
