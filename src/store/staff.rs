//! Staff accounts, their roles per programme, and their sessions. Every change to an
//! account is audited in the same transaction as the change.

use sqlx::Row;
use sqlx::any::AnyRow;

use super::notices::{NoticeKind, queue_grant_notices, queue_notice};
use super::{Store, StoreError, now};
use crate::audit::Entry;
use crate::casework::ProgrammeRole;

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub totp_ciphertext: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
    pub enrol_by: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub enrol_by: i64,
}

/// A session about to be stored: the hash of its token, never the token.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub id_hash: &'a [u8],
    pub user_id: &'a str,
    /// `auth::session::Stage::as_str`.
    pub stage: &'a str,
    pub at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub programme_id: String,
    pub slug: String,
    pub role: ProgrammeRole,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id_hash: Vec<u8>,
    pub user_id: String,
    pub stage: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub reauth_at: i64,
}

macro_rules! user_columns {
    () => {
        "id, email, password_hash, is_admin, totp_ciphertext, totp_last_step, enrol_by, disabled, created_at"
    };
}

fn user_from_row(r: &AnyRow) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        password_hash: r.try_get("password_hash")?,
        is_admin: r.try_get::<i64, _>("is_admin")? != 0,
        totp_ciphertext: r.try_get("totp_ciphertext")?,
        totp_last_step: r.try_get("totp_last_step")?,
        enrol_by: r.try_get("enrol_by")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

fn session_from_row(r: &AnyRow) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        id_hash: r.try_get("id_hash")?,
        user_id: r.try_get("user_id")?,
        stage: r.try_get("stage")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
        reauth_at: r.try_get("reauth_at")?,
    })
}

impl Store {
    /// Creates an account, with its first membership if `membership` is given.
    pub async fn create_user(
        &self,
        user: &NewUser,
        membership: Option<(&str, ProgrammeRole)>,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, is_admin, enrol_by, disabled, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(i64::from(user.is_admin))
        .bind(user.enrol_by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if let Some((programme_id, role)) = membership {
            upsert_membership(&mut tx, &user.id, programme_id, role).await?;
            queue_grant_notices(
                &mut tx,
                &user.id,
                programme_id,
                role,
                granted_by(audit_entry),
                at,
            )
            .await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives `user_id` `role` in a programme (replacing any role they had there). Every
    /// instance admin is told, in the same transaction.
    pub async fn grant(
        &self,
        user_id: &str,
        programme_id: &str,
        role: ProgrammeRole,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        upsert_membership(&mut tx, user_id, programme_id, role).await?;
        queue_grant_notices(
            &mut tx,
            user_id,
            programme_id,
            role,
            granted_by(audit_entry),
            now(),
        )
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes `user_id`'s role in a programme from `from` to `to` (`None`: no role),
    /// only if it is still `from` when the transaction runs: two admins acting at once
    /// cannot both succeed on what each saw. A grant tells every instance admin; all of
    /// it commits with the audit entry. `false`: the role had changed meanwhile.
    pub async fn change_role(
        &self,
        user_id: &str,
        programme_id: &str,
        from: Option<ProgrammeRole>,
        to: Option<ProgrammeRole>,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let current =
            sqlx::query("SELECT role FROM memberships WHERE user_id = $1 AND programme_id = $2")
                .bind(user_id)
                .bind(programme_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<String, _>("role"))
                .transpose()?;
        if current.as_deref() != from.map(ProgrammeRole::as_str) {
            return Ok(false);
        }
        set_membership(&mut tx, user_id, programme_id, to).await?;
        if let Some(role) = to {
            queue_grant_notices(
                &mut tx,
                user_id,
                programme_id,
                role,
                granted_by(audit_entry),
                now(),
            )
            .await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn user(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn list_users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users ORDER BY email"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn memberships(&self, user_id: &str) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.programme_id, p.slug, m.role FROM memberships m \
             JOIN programmes p ON p.id = m.programme_id WHERE m.user_id = $1 ORDER BY p.slug",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(Membership {
                    programme_id: r.try_get("programme_id")?,
                    slug: r.try_get("slug")?,
                    role: ProgrammeRole::parse(&role)
                        .ok_or(StoreError::Corrupt("unknown role in memberships"))?,
                })
            })
            .collect()
    }

    /// Active staff who can work on a programme (members and instance admins), for
    /// the assign list: (user id, email, role).
    pub async fn programme_staff(
        &self,
        programme_id: &str,
    ) -> Result<Vec<(String, String, ProgrammeRole)>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.programme_id = $1 AND u.disabled = 0 ORDER BY u.email",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok((
                    r.try_get("id")?,
                    r.try_get("email")?,
                    ProgrammeRole::parse(&role)
                        .ok_or(StoreError::Corrupt("unknown role in memberships"))?,
                ))
            })
            .collect()
    }

    /// Every account holding a role in the programme, disabled ones too (with `true`),
    /// for the staff page, where a disabled account's role can still be removed.
    pub async fn programme_members(
        &self,
        programme_id: &str,
    ) -> Result<Vec<(String, String, ProgrammeRole, bool)>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.id, u.email, m.role, u.disabled FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.programme_id = $1 ORDER BY u.disabled, u.email",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                let disabled: i64 = r.try_get("disabled")?;
                Ok((
                    r.try_get("id")?,
                    r.try_get("email")?,
                    ProgrammeRole::parse(&role)
                        .ok_or(StoreError::Corrupt("unknown role in memberships"))?,
                    disabled != 0,
                ))
            })
            .collect()
    }

    /// Stores a confirmed TOTP enrolment and fresh recovery codes (replacing old ones).
    pub async fn enrol_totp(
        &self,
        user_id: &str,
        totp_ciphertext: &[u8],
        accepted_step: i64,
        recovery_hashes: &[Vec<u8>],
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE users SET totp_ciphertext = $1, totp_last_step = $2, enrol_by = NULL, \
             updated_at = $3 WHERE id = $4",
        )
        .bind(totp_ciphertext)
        .bind(accepted_step)
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        queue_notice(&mut tx, user_id, NoticeKind::TotpEnrolled, now()).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records `step` as used if it is later than the last accepted one. Atomic, so two
    /// instances cannot both accept the same code.
    pub async fn accept_totp_step(&self, user_id: &str, step: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Uses up a recovery code; false if there is no such unused code. The account's
    /// owner is told (a recovery code in someone else's hands is a lost factor).
    pub async fn use_recovery_code(&self, user_id: &str, hash: &[u8]) -> Result<bool, StoreError> {
        let at = now();
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(at)
        .bind(user_id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        let used = done.rows_affected() == 1;
        if used {
            queue_notice(&mut tx, user_id, NoticeKind::RecoveryCodeUsed, at).await?;
        }
        tx.commit().await?;
        Ok(used)
    }

    pub async fn unused_recovery_codes(&self, user_id: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// An admin's reset of a lost second factor: the user must enrol again (within
    /// `enrol_by`), and every session of theirs ends.
    pub async fn reset_totp(
        &self,
        user_id: &str,
        enrol_by: i64,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE users SET totp_ciphertext = NULL, totp_last_step = NULL, enrol_by = $1, \
             updated_at = $2 WHERE id = $3",
        )
        .bind(enrol_by)
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        for q in [
            "DELETE FROM recovery_codes WHERE user_id = $1",
            "DELETE FROM sessions WHERE user_id = $1",
        ] {
            sqlx::query(q).bind(user_id).execute(&mut *tx).await?;
        }
        queue_notice(&mut tx, user_id, NoticeKind::TotpReset, now()).await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (or re-enables) an account; disabling ends its sessions.
    pub async fn set_user_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(now())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The interface language a staff member chose (a language tag), if any.
    pub async fn user_language(&self, user_id: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|r| r.try_get::<Option<String>, _>(0).ok().flatten()))
    }

    /// Remembers a staff member's interface language. Not audited: it changes how
    /// pages look to them, nothing about data or access.
    pub async fn set_user_language(&self, user_id: &str, tag: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(tag)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Starts a session, ending the one the browser held (`replaces`, a pending step of
    /// signing in) and recording `audit` (a completed sign-in) in the same transaction:
    /// a session exists exactly when its `signin.ok` entry does.
    pub async fn create_session(
        &self,
        session: &NewSession<'_>,
        replaces: Option<&[u8]>,
        audit: Option<&Entry>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(old)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, stage, created_at, last_seen_at, expires_at, reauth_at) \
             VALUES ($1, $2, $3, $4, $4, $5, $4)",
        )
        .bind(session.id_hash)
        .bind(session.user_id)
        .bind(session.stage)
        .bind(session.at)
        .bind(session.expires_at)
        .execute(&mut *tx)
        .await?;
        if let Some(entry) = audit {
            super::audit::append(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn session(&self, id_hash: &[u8]) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id_hash, user_id, stage, created_at, last_seen_at, expires_at, reauth_at \
             FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    pub async fn sessions_of(&self, user_id: &str) -> Result<Vec<SessionRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id_hash, user_id, stage, created_at, last_seen_at, expires_at, reauth_at \
             FROM sessions WHERE user_id = $1 AND stage = 'full' ORDER BY created_at DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    pub async fn touch_session(&self, id_hash: &[u8], at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(at)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn mark_reauthenticated(&self, id_hash: &[u8], at: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET reauth_at = $1 WHERE id_hash = $2")
            .bind(at)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &[u8]) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of a user but `keep`; returns how many ended.
    pub async fn delete_other_sessions(
        &self,
        user_id: &str,
        keep: &[u8],
    ) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Removes sessions past their absolute expiry or idle limit.
    pub async fn prune_sessions(&self, idle_secs: i64) -> Result<u64, StoreError> {
        let at = now();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(at)
            .bind(at - idle_secs)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

/// The granting account named by an audit entry's actor (`user:<id>`); `None` for the
/// command line.
fn granted_by(entry: &Entry) -> Option<&str> {
    match &entry.actor {
        crate::audit::Actor::Staff(id) => Some(id),
        _ => None,
    }
}

/// Sets a membership to `role`, or removes it (`None`), inside the caller's transaction.
pub(super) async fn set_membership(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    programme_id: &str,
    role: Option<ProgrammeRole>,
) -> Result<(), StoreError> {
    match role {
        Some(role) => upsert_membership(tx, user_id, programme_id, role).await,
        None => {
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND programme_id = $2")
                .bind(user_id)
                .bind(programme_id)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
    }
}

async fn upsert_membership(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
    programme_id: &str,
    role: ProgrammeRole,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND programme_id = $2")
        .bind(user_id)
        .bind(programme_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, programme_id, role, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(programme_id)
    .bind(role.as_str())
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
