//! Who may give whom which role in a programme, from the web.
//!
//! A role grant widens who can read a programme's data, so:
//! - a programme's admins give and take away the *agent* role, for existing accounts
//!   that hold no other role there, after typing their password again;
//! - a supervisor or admin role, removing one, or a new account, is an instance
//!   admin's: a programme admin can only *request* it, and the request waits for an
//!   instance admin other than the requester. A programme admin therefore cannot make
//!   their own second approver (the second supervisor who approves their referrals
//!   and bulk replies);
//! - every grant, however it is made, tells every instance admin (a staff notice, in
//!   the grant's transaction: `Store::change_role`, `Store::approve_role_request`);
//! - everything is audited: `staff.grant`, `staff.remove`, `staff.request`,
//!   `staff.request.refuse`, `staff.request.withdraw`.
//!
//! [`decide`] is the rule, pure and tested here; the functions below it look up what
//! it needs, take the proof of re-authentication, and write through the store.

use crate::audit::{Actor, AuditAction, Entry};
use crate::auth::accounts::HashPassword;
use crate::auth::password::{NewPassword, PasswordRejected};
use crate::auth::reauth::Reauthenticated;
use crate::casework::{Action, Member, ProgrammeRole, Subject, permit};
use crate::crypto::random_id;
use crate::domain::EmailAddress;
use crate::store::{
    Approval, ApprovalRefused, NewRoleRequest, NewUser, RequestState, RoleChange, RoleRequest,
    Store, StoreError, now,
};

/// Who acts.
#[derive(Debug, Clone, Copy)]
pub struct Granter<'a> {
    pub id: &'a str,
    pub instance_admin: bool,
    /// Their role in the programme (an instance admin's is admin everywhere): whether
    /// they may manage its staff at all is `casework::permit`'s answer.
    pub role: Option<ProgrammeRole>,
}

/// The account acted on, as it is now.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub id: &'a str,
    pub current: Option<ProgrammeRole>,
    pub disabled: bool,
}

/// How a change may happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// At once.
    Direct,
    /// As a request an instance admin approves.
    Request,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only a programme's admins change its staff")]
    NotAdmin,
    #[error("nobody changes their own role")]
    OwnAccount,
    #[error("the account already holds that role")]
    AlreadyHolds,
    #[error("the account holds no role in this programme")]
    NoRole,
    #[error("the account is disabled")]
    Disabled,
    /// An instance admin creates accounts on the users page, with a first password.
    #[error("there is no account with that address")]
    NoAccount,
    #[error("that is not an email address")]
    InvalidEmail,
    #[error("only an instance admin other than the one who asked may decide")]
    NotApprover,
    #[error("the request is no longer pending")]
    NotPending,
    #[error("the account's role changed since the request; ask again")]
    RoleChanged,
    #[error("an account with that address exists by now; ask for a role instead")]
    AccountExists,
    #[error("the first password is not acceptable: {0}")]
    Password(#[from] PasswordRejected),
}

/// Whether `by` may make `change` to `target` (`None`: no account has the address yet,
/// an invitation), and how.
pub fn decide(by: &Granter, target: Option<&Target>, change: RoleChange) -> Result<Way, Refusal> {
    let member = by.role.map(|role| Member { user: by.id, role });
    if member.is_none_or(|m| permit(m, Action::ManageStaff, Subject::Programme).is_err()) {
        return Err(Refusal::NotAdmin);
    }
    let Some(target) = target else {
        return match (change, by.instance_admin) {
            (RoleChange::Remove, _) => Err(Refusal::NoRole),
            (_, true) => Err(Refusal::NoAccount),
            (_, false) => Ok(Way::Request),
        };
    };
    if target.id == by.id {
        return Err(Refusal::OwnAccount);
    }
    // A disabled account gets nothing new, but what it holds can still be taken away:
    // re-enabled, it would otherwise come back with every role it had.
    if target.disabled && change != RoleChange::Remove {
        return Err(Refusal::Disabled);
    }
    match change {
        RoleChange::Grant(role) if target.current == Some(role) => Err(Refusal::AlreadyHolds),
        RoleChange::Remove if target.current.is_none() => Err(Refusal::NoRole),
        _ if by.instance_admin => Ok(Way::Direct),
        RoleChange::Grant(ProgrammeRole::Agent) if target.current.is_none() => Ok(Way::Direct),
        RoleChange::Remove if target.current == Some(ProgrammeRole::Agent) => Ok(Way::Direct),
        _ => Ok(Way::Request),
    }
}

/// Whether giving `role` to an account that holds no role in the programme yet would
/// wait for an instance admin (what the staff page says beside each role): `decide`'s
/// answer for such an account.
pub fn grant_waits(by: &Granter, role: ProgrammeRole) -> bool {
    let newcomer = Target {
        id: "",
        current: None,
        disabled: false,
    };
    decide(by, Some(&newcomer), RoleChange::Grant(role)) == Ok(Way::Request)
}

/// Whether `by` may decide `request`: an instance admin who did not ask for it.
pub fn may_decide(by: &Granter, request: &RoleRequest) -> Result<(), Refusal> {
    if !by.instance_admin || by.id == request.requested_by {
        return Err(Refusal::NotApprover);
    }
    Ok(())
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Granted,
    Removed,
    /// Waits for an instance admin.
    Requested,
}

/// The programme acted in.
#[derive(Debug, Clone, Copy)]
pub struct InProgramme<'a> {
    pub id: &'a str,
    pub slug: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum StaffingError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn actor(id: &str) -> Actor {
    Actor::staff(id)
}

/// Changes the role of the account with `email` in `programme`, or files the request
/// for it, as [`decide`] says; `proof`: the granter typed their password for it.
pub async fn change(
    store: &Store,
    by: &Granter<'_>,
    proof: &Reauthenticated,
    programme: InProgramme<'_>,
    email: &str,
    change: RoleChange,
) -> Result<Done, StaffingError> {
    if proof.user_id() != by.id {
        return Err(Refusal::NotAdmin.into());
    }
    let email = EmailAddress::parse(email.trim())
        .map_err(|_| Refusal::InvalidEmail)?
        .normalised();
    let user = store.user_by_email(&email).await?;
    let current = match &user {
        Some(u) => store
            .memberships(&u.id)
            .await?
            .into_iter()
            .find(|m| m.programme_id == programme.id)
            .map(|m| m.role),
        None => None,
    };
    let target = user.as_ref().map(|u| Target {
        id: &u.id,
        current,
        disabled: u.disabled,
    });
    let way = decide(by, target.as_ref(), change)?;
    let detail = serde_json::json!({
        "programme": programme.slug,
        "role": change.as_str(),
        "from": current.map(ProgrammeRole::as_str),
    });
    match (way, &user) {
        (Way::Direct, Some(user)) => {
            let action = match change {
                RoleChange::Remove => AuditAction::StaffRemove,
                RoleChange::Grant(_) => AuditAction::StaffGrant,
            };
            let entry =
                Entry::new(&actor(by.id), action, &format!("user:{}", user.id)).detail(detail);
            if !store
                .change_role(&user.id, programme.id, current, change.role(), &entry)
                .await?
            {
                return Err(Refusal::RoleChanged.into());
            }
            Ok(match change {
                RoleChange::Remove => Done::Removed,
                RoleChange::Grant(_) => Done::Granted,
            })
        }
        (Way::Direct, None) => Err(Refusal::NoAccount.into()),
        (Way::Request, _) => {
            let entry = Entry::new(&actor(by.id), AuditAction::StaffRequest, "role-request")
                .detail(serde_json::json!({
                    "programme": programme.slug,
                    "role": change.as_str(),
                    "from": current.map(ProgrammeRole::as_str),
                    "user": user.as_ref().map(|u| format!("user:{}", u.id)),
                    "invitation": user.is_none(),
                }));
            store
                .request_role(
                    &NewRoleRequest {
                        programme_id: programme.id,
                        user_id: user.as_ref().map(|u| u.id.as_str()),
                        email: &email,
                        change,
                        requested_by: by.id,
                    },
                    &entry,
                )
                .await?;
            Ok(Done::Requested)
        }
    }
}

/// An instance admin approves `request`, with their password; an invitation creates
/// the account with `first_password` (hashed off the async threads), to be changed at
/// first sign-in like any new account's.
pub async fn approve(
    store: &Store,
    hasher: impl HashPassword,
    by: &Granter<'_>,
    proof: &Reauthenticated,
    request: &RoleRequest,
    first_password: &str,
) -> Result<(), StaffingError> {
    if proof.user_id() != by.id {
        return Err(Refusal::NotApprover.into());
    }
    may_decide(by, request)?;
    let approval = match &request.user_id {
        Some(user_id) => {
            let current = store
                .memberships(user_id)
                .await?
                .into_iter()
                .find(|m| m.programme_id == request.programme_id)
                .map(|m| m.role);
            if current == request.change.role() {
                return Err(Refusal::AlreadyHolds.into());
            }
            Approval::Membership { from: current }
        }
        None => {
            let password = NewPassword::parse(first_password).map_err(Refusal::from)?;
            let password_hash = hasher
                .hash_password(password)
                .await
                .ok_or(StoreError::Corrupt("password hashing stopped"))?;
            Approval::NewAccount(NewUser {
                id: random_id(),
                email: request.email.clone(),
                password_hash,
                is_admin: false,
                enrol_by: now() + crate::auth::accounts::ENROL_WITHIN_SECS,
            })
        }
    };
    let subject = match (&request.user_id, &approval) {
        (Some(id), _) => format!("user:{id}"),
        (None, Approval::NewAccount(user)) => format!("user:{}", user.id),
        (None, _) => "user:".into(),
    };
    let action = match request.change {
        RoleChange::Remove => AuditAction::StaffRemove,
        RoleChange::Grant(_) => AuditAction::StaffGrant,
    };
    let entry = Entry::new(&actor(by.id), action, &subject).detail(serde_json::json!({
        "programme": request.slug,
        "role": request.change.as_str(),
        "request": request.id,
        "requested_by": actor(&request.requested_by).to_string(),
        "invitation": request.user_id.is_none(),
    }));
    match store
        .approve_role_request(request, by.id, approval, &entry)
        .await?
    {
        Ok(()) => Ok(()),
        Err(ApprovalRefused::NotPending) => Err(Refusal::NotPending.into()),
        Err(ApprovalRefused::RoleChanged) => Err(Refusal::RoleChanged.into()),
        Err(ApprovalRefused::AccountExists) => Err(Refusal::AccountExists.into()),
    }
}

/// An instance admin refuses a request, or its requester withdraws it.
pub async fn close(
    store: &Store,
    by: &Granter<'_>,
    request: &RoleRequest,
) -> Result<(), StaffingError> {
    let (state, action) = if by.id == request.requested_by {
        (RequestState::Withdrawn, AuditAction::StaffRequestWithdraw)
    } else {
        may_decide(by, request)?;
        (RequestState::Refused, AuditAction::StaffRequestRefuse)
    };
    let entry = Entry::new(
        &actor(by.id),
        action,
        &format!("role-request:{}", request.id),
    )
    .detail(serde_json::json!({ "programme": request.slug, "role": request.change.as_str() }));
    if store
        .close_role_request(&request.id, by.id, state, &entry)
        .await?
    {
        Ok(())
    } else {
        Err(Refusal::NotPending.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProgrammeRole::*;

    const ADMIN: Granter = Granter {
        id: "padmin",
        instance_admin: false,
        role: Some(Admin),
    };
    const INSTANCE: Granter = Granter {
        id: "iadmin",
        instance_admin: true,
        role: Some(Admin),
    };

    fn target(current: Option<ProgrammeRole>) -> Target<'static> {
        Target {
            id: "someone",
            current,
            disabled: false,
        }
    }

    #[test]
    fn a_programme_admin_grants_and_removes_the_agent_role_at_once() {
        assert_eq!(
            decide(&ADMIN, Some(&target(None)), RoleChange::Grant(Agent)),
            Ok(Way::Direct)
        );
        assert_eq!(
            decide(&ADMIN, Some(&target(Some(Agent))), RoleChange::Remove),
            Ok(Way::Direct)
        );
    }

    #[test]
    fn supervisor_admin_removal_of_them_and_new_accounts_wait_for_an_instance_admin() {
        for role in [Supervisor, Admin] {
            assert_eq!(
                decide(&ADMIN, Some(&target(None)), RoleChange::Grant(role)),
                Ok(Way::Request)
            );
            assert_eq!(
                decide(&ADMIN, Some(&target(Some(role))), RoleChange::Remove),
                Ok(Way::Request)
            );
        }
        // Moving a supervisor down to agent is a change to a supervisor, too.
        assert_eq!(
            decide(
                &ADMIN,
                Some(&target(Some(Supervisor))),
                RoleChange::Grant(Agent)
            ),
            Ok(Way::Request)
        );
        assert_eq!(
            decide(&ADMIN, None, RoleChange::Grant(Agent)),
            Ok(Way::Request)
        );
        // An instance admin does all of it at once (accounts on the users page).
        assert_eq!(
            decide(
                &INSTANCE,
                Some(&target(None)),
                RoleChange::Grant(Supervisor)
            ),
            Ok(Way::Direct)
        );
        assert_eq!(
            decide(&INSTANCE, None, RoleChange::Grant(Agent)),
            Err(Refusal::NoAccount)
        );
    }

    #[test]
    fn nobody_else_and_nothing_odd() {
        for role in [None, Some(Agent), Some(Supervisor)] {
            let other = Granter {
                id: "x",
                instance_admin: false,
                role,
            };
            assert_eq!(
                decide(&other, Some(&target(None)), RoleChange::Grant(Agent)),
                Err(Refusal::NotAdmin)
            );
        }
        let me = Target {
            id: ADMIN.id,
            current: Some(Admin),
            disabled: false,
        };
        assert_eq!(
            decide(&ADMIN, Some(&me), RoleChange::Remove),
            Err(Refusal::OwnAccount)
        );
        assert_eq!(
            decide(&ADMIN, Some(&target(Some(Agent))), RoleChange::Grant(Agent)),
            Err(Refusal::AlreadyHolds)
        );
        assert_eq!(
            decide(&ADMIN, Some(&target(None)), RoleChange::Remove),
            Err(Refusal::NoRole)
        );
        let disabled = Target {
            disabled: true,
            ..target(None)
        };
        assert_eq!(
            decide(&INSTANCE, Some(&disabled), RoleChange::Grant(Agent)),
            Err(Refusal::Disabled)
        );
    }

    #[test]
    fn only_an_instance_admin_who_did_not_ask_decides_a_request() {
        let request = RoleRequest {
            id: "r".into(),
            programme_id: "p".into(),
            slug: "s".into(),
            user_id: Some("u".into()),
            email: "u@example.org".into(),
            change: RoleChange::Grant(Supervisor),
            requested_by: INSTANCE.id.into(),
            requested_by_email: "i@example.org".into(),
            state: RequestState::Pending,
            created_at: 0,
        };
        assert_eq!(may_decide(&INSTANCE, &request), Err(Refusal::NotApprover));
        assert_eq!(may_decide(&ADMIN, &request), Err(Refusal::NotApprover));
        let other = Granter {
            id: "second",
            ..INSTANCE
        };
        assert_eq!(may_decide(&other, &request), Ok(()));
    }
}
