//! Launching a programme: the launch checklist's review marks, role requests waiting
//! for an instance admin, and staff members' acknowledgements of a programme's
//! handling rules. Every change that grants or removes access commits with its audit
//! entry (and, for a grant, the notices to instance admins).

use sqlx::Row;
use sqlx::any::AnyRow;

use super::notices::queue_grant_notices;
use super::staff::set_membership;
use super::{NewUser, Store, StoreError, now};
use crate::audit::Entry;
use crate::casework::ProgrammeRole;
use crate::crypto::random_id;

/// A launch checklist mark as stored: an item's name and the fingerprint of its content
/// when it was marked (`crate::programme::launch` reads them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchMark {
    pub item: String,
    pub fingerprint: Vec<u8>,
}

/// What a role request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChange {
    Grant(ProgrammeRole),
    Remove,
}

impl RoleChange {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleChange::Grant(r) => r.as_str(),
            RoleChange::Remove => "remove",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "remove" => Some(RoleChange::Remove),
            other => ProgrammeRole::parse(other).map(RoleChange::Grant),
        }
    }

    /// The role it leaves the account with.
    pub fn role(self) -> Option<ProgrammeRole> {
        match self {
            RoleChange::Grant(r) => Some(r),
            RoleChange::Remove => None,
        }
    }
}

/// Where a role request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    Approved,
    Refused,
    Withdrawn,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Refused => "refused",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            RequestState::Pending,
            RequestState::Approved,
            RequestState::Refused,
            RequestState::Withdrawn,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A programme admin's request for what only an instance admin may do.
#[derive(Debug, Clone)]
pub struct RoleRequest {
    pub id: String,
    pub programme_id: String,
    pub slug: String,
    /// `None`: an invitation of a new account.
    pub user_id: Option<String>,
    pub email: String,
    pub change: RoleChange,
    pub requested_by: String,
    pub requested_by_email: String,
    pub state: RequestState,
    pub created_at: i64,
}

/// A new request, before it is stored.
#[derive(Debug, Clone)]
pub struct NewRoleRequest<'a> {
    pub programme_id: &'a str,
    pub user_id: Option<&'a str>,
    pub email: &'a str,
    pub change: RoleChange,
    pub requested_by: &'a str,
}

/// What an approval does besides deciding the request.
#[derive(Debug)]
pub enum Approval {
    /// Set the account's role (or remove it), if it is still `from`.
    Membership { from: Option<ProgrammeRole> },
    /// Create the invited account, with the request's role.
    NewAccount(NewUser),
}

/// Why an approval did not go through (nothing was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalRefused {
    /// Decided, withdrawn, or asked for by the approver themselves.
    NotPending,
    /// The account's role changed since the request was made.
    RoleChanged,
    /// The invited address has an account by now.
    AccountExists,
}

fn request_from_row(r: &AnyRow) -> Result<RoleRequest, StoreError> {
    let change: String = r.try_get("change")?;
    let state: String = r.try_get("state")?;
    Ok(RoleRequest {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        slug: r.try_get("slug")?,
        user_id: r.try_get("user_id")?,
        email: r.try_get("email")?,
        change: RoleChange::parse(&change)
            .ok_or(StoreError::Corrupt("unknown change in role_requests"))?,
        requested_by: r.try_get("requested_by")?,
        requested_by_email: r.try_get("requested_by_email")?,
        state: RequestState::parse(&state)
            .ok_or(StoreError::Corrupt("unknown state in role_requests"))?,
        created_at: r.try_get("created_at")?,
    })
}

macro_rules! request_select {
    () => {
        "SELECT r.id, r.programme_id, p.slug, r.user_id, r.email, r.change, \
         r.requested_by, u.email AS requested_by_email, r.state, r.created_at \
         FROM role_requests r JOIN programmes p ON p.id = r.programme_id \
         JOIN users u ON u.id = r.requested_by"
    };
}

impl Store {
    // ── Review marks ────────────────────────────────────────────────────────

    pub async fn launch_marks(&self, programme_id: &str) -> Result<Vec<LaunchMark>, StoreError> {
        let rows = sqlx::query(
            "SELECT item, fingerprint FROM launch_marks WHERE programme_id = $1 ORDER BY item",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LaunchMark {
                    item: r.try_get("item")?,
                    fingerprint: r.try_get("fingerprint")?,
                })
            })
            .collect()
    }

    /// Sets marks (replacing one of the same name).
    pub async fn put_launch_marks(
        &self,
        programme_id: &str,
        marks: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_marks(&mut tx, programme_id, marks, now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An admin confirmed a copied item as it is.
    pub async fn remove_launch_mark(
        &self,
        programme_id: &str,
        item: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM launch_marks WHERE programme_id = $1 AND item = $2")
            .bind(programme_id)
            .bind(item)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ── Handling rules ──────────────────────────────────────────────────────

    /// The fingerprint of the handling rules `user_id` last acknowledged in a programme.
    pub async fn acknowledged_rules(
        &self,
        user_id: &str,
        programme_id: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row = sqlx::query(
            "SELECT fingerprint FROM handling_acknowledgements \
             WHERE user_id = $1 AND programme_id = $2",
        )
        .bind(user_id)
        .bind(programme_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("fingerprint")).transpose()?)
    }

    /// Records that `user_id` read and acknowledged the rules with `fingerprint`, with
    /// its audit entry.
    pub async fn acknowledge_rules(
        &self,
        user_id: &str,
        programme_id: &str,
        fingerprint: &[u8],
        audit_entry: &Entry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO handling_acknowledgements (user_id, programme_id, fingerprint, acknowledged_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, programme_id) \
             DO UPDATE SET fingerprint = excluded.fingerprint, acknowledged_at = excluded.acknowledged_at",
        )
        .bind(user_id)
        .bind(programme_id)
        .bind(fingerprint)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    // ── Role requests ───────────────────────────────────────────────────────

    pub async fn request_role(
        &self,
        request: &NewRoleRequest<'_>,
        audit_entry: &Entry,
    ) -> Result<String, StoreError> {
        let id = random_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO role_requests (id, programme_id, user_id, email, change, requested_by, \
             state, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
        )
        .bind(&id)
        .bind(request.programme_id)
        .bind(request.user_id)
        .bind(request.email)
        .bind(request.change.as_str())
        .bind(request.requested_by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let mut entry = audit_entry.clone();
        entry.subject = format!("role-request:{id}");
        super::audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Pending requests, of one programme or (`None`) of all, oldest first.
    pub async fn pending_role_requests(
        &self,
        programme_id: Option<&str>,
    ) -> Result<Vec<RoleRequest>, StoreError> {
        let rows =
            match programme_id {
                Some(p) => sqlx::query(concat!(
                    request_select!(),
                    " WHERE r.state = 'pending' AND r.programme_id = $1 ORDER BY r.created_at, r.id"
                ))
                .bind(p)
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query(concat!(
                        request_select!(),
                        " WHERE r.state = 'pending' ORDER BY r.created_at, r.id"
                    ))
                    .fetch_all(&self.pool)
                    .await?
                }
            };
        rows.iter().map(request_from_row).collect()
    }

    pub async fn role_request(&self, id: &str) -> Result<Option<RoleRequest>, StoreError> {
        let row = sqlx::query(concat!(request_select!(), " WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// Approves a pending request by `approver` (never its requester: the update is
    /// conditional on both, and a CHECK constraint says the same) and does what it
    /// asks, all in one transaction with the audit entry and, for a grant, the
    /// notices to instance admins.
    pub async fn approve_role_request(
        &self,
        request: &RoleRequest,
        approver: &str,
        approval: Approval,
        audit_entry: &Entry,
    ) -> Result<Result<(), ApprovalRefused>, StoreError> {
        let at = now();
        let mut tx = self.begin_write().await?;
        let decided = sqlx::query(
            "UPDATE role_requests SET state = 'approved', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND state = 'pending' AND requested_by <> $1",
        )
        .bind(approver)
        .bind(at)
        .bind(&request.id)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() != 1 {
            return Ok(Err(ApprovalRefused::NotPending));
        }
        let user_id = match approval {
            Approval::Membership { from } => {
                let Some(user_id) = request.user_id.clone() else {
                    return Ok(Err(ApprovalRefused::NotPending));
                };
                let current = sqlx::query(
                    "SELECT role FROM memberships WHERE user_id = $1 AND programme_id = $2",
                )
                .bind(&user_id)
                .bind(&request.programme_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<String, _>("role"))
                .transpose()?;
                if current.as_deref() != from.map(ProgrammeRole::as_str) {
                    return Ok(Err(ApprovalRefused::RoleChanged));
                }
                user_id
            }
            Approval::NewAccount(user) => {
                let taken = sqlx::query("SELECT id FROM users WHERE email = $1")
                    .bind(&user.email)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Ok(Err(ApprovalRefused::AccountExists));
                }
                sqlx::query(
                    "INSERT INTO users (id, email, password_hash, is_admin, enrol_by, disabled, \
                     created_at, updated_at) VALUES ($1, $2, $3, 0, $4, 0, $5, $5)",
                )
                .bind(&user.id)
                .bind(&user.email)
                .bind(&user.password_hash)
                .bind(user.enrol_by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
                user.id
            }
        };
        let role = request.change.role();
        set_membership(&mut tx, &user_id, &request.programme_id, role).await?;
        if let Some(role) = role {
            queue_grant_notices(
                &mut tx,
                &user_id,
                &request.programme_id,
                role,
                Some(approver),
                at,
            )
            .await?;
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Refuses a pending request (an instance admin who did not ask for it), or its
    /// requester withdraws it. `false`: it was not pending (or not theirs to decide).
    pub async fn close_role_request(
        &self,
        id: &str,
        by: &str,
        state: RequestState,
        audit_entry: &Entry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            match state {
                RequestState::Refused => sqlx::query(
                    "UPDATE role_requests SET state = 'refused', decided_by = $1, decided_at = $2 \
                     WHERE id = $3 AND state = 'pending' AND requested_by <> $1",
                )
                .bind(by)
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?,
                RequestState::Withdrawn => {
                    sqlx::query(
                        "UPDATE role_requests SET state = 'withdrawn', decided_at = $2 \
                     WHERE id = $3 AND state = 'pending' AND requested_by = $1",
                    )
                    .bind(by)
                    .bind(now())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                }
                _ => return Ok(false),
            };
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        super::audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Sets marks (replacing one of the same name) inside the caller's transaction.
pub(super) async fn insert_marks(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    programme_id: &str,
    marks: &[(String, Vec<u8>)],
    at: i64,
) -> Result<(), StoreError> {
    for (item, fingerprint) in marks {
        sqlx::query(
            "INSERT INTO launch_marks (programme_id, item, fingerprint, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (programme_id, item) \
             DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at",
        )
        .bind(programme_id)
        .bind(item)
        .bind(fingerprint)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
