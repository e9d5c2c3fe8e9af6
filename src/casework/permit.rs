//! Who may do what: one function, [`permit`], that handlers ask before acting and
//! pages ask before offering an action (a page shows a button exactly when the handler
//! behind it would allow it). Membership itself is checked before this: a non-member
//! never learns that the thing exists.

use super::{ProgrammeRole, Status};
use crate::states::{CampaignState, Delivery, ReferralState};

/// Who is acting: a staff member and their role in the programme of what they act on.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub user: &'a str,
    pub role: ProgrammeRole,
}

impl Member<'_> {
    fn supervisor(&self) -> bool {
        self.role >= ProgrammeRole::Supervisor
    }
}

/// The facts a decision needs about an enquiry.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub status: Status,
    pub assigned_to: Option<&'a str>,
}

/// What is acted on.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Enquiry(Case<'a>),
    /// A programme as a whole (its campaigns list, register, form preview, keys…).
    Programme,
    Campaign {
        created_by: &'a str,
        state: CampaignState,
    },
    Referral {
        requested_by: &'a str,
        state: ReferralState,
        delivery: Delivery,
    },
    /// The instance as a whole: its accounts, its audit log, its list of programmes.
    /// The member's `role` is then their highest role in any programme, and
    /// `instance_admin` says whether they are an instance admin (admin of every
    /// programme, which no programme role says).
    Instance {
        instance_admin: bool,
    },
}

/// Something a staff member does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // An enquiry.
    View,
    Claim,
    /// Give up one's own claim, or (supervisor) clear anyone's.
    Unclaim,
    /// Give the enquiry to a named member of the programme.
    Assign,
    ChangeStatus,
    Note,
    Transfer,
    /// Write to the enquirer (reply inbox, and email if they gave one); also what
    /// referring an enquiry to a partner needs.
    Reply,
    /// Keep it past retention, or lift that (supervisors).
    Hold,
    // A programme.
    PrepareCampaign,
    SeeRegister,
    PreviewForm,
    ImportMail,
    ManageKeys,
    Archive,
    /// Give or take away a role in the programme from its staff page (what exactly, and
    /// whether at once or as a request, is `staffing::decide`'s).
    ManageStaff,
    /// Incident response (issue 20): list who received something, open and keep an
    /// incident record (supervisors and admins).
    Incident,
    // A campaign.
    ApproveCampaign,
    CancelCampaign,
    /// Pause, resume or stop a dispatched campaign (issue 19's stop buttons).
    StopCampaign,
    // A referral.
    ApproveReferral,
    CancelReferral,
    DownloadReferral,
    // A programme (its editor pages and what they change).
    EditProgramme,
    // The instance.
    /// The users page: accounts, their roles, second factors, disabling.
    ManageAccounts,
    ReadAuditLog,
    CreateProgramme,
    /// Reach the programme editor at all (an instance admin, or some programme's admin).
    EditProgrammes,
    /// See every programme's queues without a membership in each.
    WorkInEveryProgramme,
    /// The emergency stop for all outbound mail.
    StopOutbound,
    /// Enter an enquiry for a caller (issue 22): any member of the programme.
    PhoneIntake,
    /// Show a one-time number to verify a caller about an enquiry (issue 22).
    VerifyCaller,
    /// Approve a bulk reply larger than its programme's `[outbound] max_campaign`.
    ApproveLargeCampaign,
    // An enquiry again (issue 22).
    /// Reply to an enquiry someone else claimed, having ticked "reply anyway" (any
    /// member of the programme; `collisions::reply_clearance` asks for the tick).
    ReplyAnyway,
    /// List the other enquiries that share this one's address (any member).
    SeeRelated,
    /// Mark an enquiry a duplicate of another, or take the mark off (supervisors).
    MarkDuplicate,
    /// Withdraw and delete an enquiry on the person's request (supervisors; issue 21).
    Withdraw,
    /// Remove an enquiry's email address, with a reason (supervisors; issue 19 item 1).
    /// Never set one: only the person gives an address.
    RemoveContact,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only a supervisor can do that")]
    NeedsSupervisor,
    #[error("only a programme admin can do that")]
    NeedsAdmin,
    #[error("someone else is working on this enquiry")]
    ClaimedByOther,
    #[error("this enquiry is already claimed")]
    AlreadyClaimed,
    #[error("nobody has claimed this enquiry")]
    NotClaimed,
    #[error("the enquiry cannot move from that status to that one")]
    BadTransition,
    /// A second person approves: never the one who asked.
    #[error("someone other than the one who asked must approve it")]
    OwnRequest,
    #[error("only the one who asked for it can do that")]
    NotRequester,
    /// It is no longer (or not yet) in a state that allows it.
    #[error("not in a state that allows this")]
    WrongState,
    #[error("that cannot be done to this")]
    NotApplicable,
    #[error("only an instance admin can do that")]
    NeedsInstanceAdmin,
}

/// Whether `who` may do `action` to `on`.
pub fn permit(who: Member<'_>, action: Action, on: Subject<'_>) -> Result<(), Refusal> {
    match on {
        Subject::Enquiry(case) => enquiry(who, action, case),
        Subject::Programme => programme(who, action),
        Subject::Campaign { created_by, state } => campaign(who, action, created_by, state),
        Subject::Referral {
            requested_by,
            state,
            delivery,
        } => referral(who, action, requested_by, state, delivery),
        Subject::Instance { instance_admin } => instance(who, action, instance_admin),
    }
}

fn enquiry(who: Member<'_>, action: Action, case: Case<'_>) -> Result<(), Refusal> {
    use Action::*;
    let supervisor = who.supervisor();
    let mine = case.assigned_to == Some(who.user);
    let someone_elses = case.assigned_to.is_some() && !mine;
    match action {
        View | Note | VerifyCaller => Ok(()),
        Claim if case.assigned_to.is_some() => Err(Refusal::AlreadyClaimed),
        Claim => Ok(()),
        Unclaim if case.assigned_to.is_none() => Err(Refusal::NotClaimed),
        Unclaim if someone_elses && !supervisor => Err(Refusal::ClaimedByOther),
        Unclaim => Ok(()),
        Assign | Hold | Withdraw | RemoveContact if !supervisor => Err(Refusal::NeedsSupervisor),
        Assign | Hold | Withdraw | RemoveContact => Ok(()),
        // An agent works on what is theirs or nobody's; a supervisor on anything.
        ChangeStatus | Transfer | Reply if someone_elses && !supervisor => {
            Err(Refusal::ClaimedByOther)
        }
        ChangeStatus | Transfer | Reply => Ok(()),
        ReplyAnyway if someone_elses => Ok(()),
        SeeRelated => Ok(()),
        MarkDuplicate if !supervisor => Err(Refusal::NeedsSupervisor),
        MarkDuplicate => Ok(()),
        _ => Err(Refusal::NotApplicable),
    }
}

fn programme(who: Member<'_>, action: Action) -> Result<(), Refusal> {
    use Action::*;
    match action {
        PrepareCampaign | SeeRegister | PreviewForm | Incident if who.supervisor() => Ok(()),
        PrepareCampaign | SeeRegister | PreviewForm | Incident => Err(Refusal::NeedsSupervisor),
        ImportMail | ManageKeys | Archive | ManageStaff if who.role == ProgrammeRole::Admin => {
            Ok(())
        }
        ImportMail | ManageKeys | Archive | ManageStaff => Err(Refusal::NeedsAdmin),
        // The programme editor: its pages and what they save.
        EditProgramme if who.role == ProgrammeRole::Admin => Ok(()),
        EditProgramme => Err(Refusal::NeedsAdmin),
        // Agents take calls: every role of the programme may.
        PhoneIntake => Ok(()),
        _ => Err(Refusal::NotApplicable),
    }
}

fn instance(who: Member<'_>, action: Action, instance_admin: bool) -> Result<(), Refusal> {
    use Action::*;
    match action {
        ManageAccounts | ReadAuditLog | CreateProgramme | WorkInEveryProgramme | StopOutbound
        | ApproveLargeCampaign
            if instance_admin =>
        {
            Ok(())
        }
        ManageAccounts | ReadAuditLog | CreateProgramme | WorkInEveryProgramme | StopOutbound
        | ApproveLargeCampaign => Err(Refusal::NeedsInstanceAdmin),
        EditProgrammes if instance_admin || who.role == ProgrammeRole::Admin => Ok(()),
        EditProgrammes => Err(Refusal::NeedsAdmin),
        _ => Err(Refusal::NotApplicable),
    }
}

fn campaign(
    who: Member<'_>,
    action: Action,
    created_by: &str,
    state: CampaignState,
) -> Result<(), Refusal> {
    use Action::*;
    match action {
        ApproveCampaign | CancelCampaign if !who.supervisor() => Err(Refusal::NeedsSupervisor),
        ApproveCampaign if created_by == who.user => Err(Refusal::OwnRequest),
        ApproveCampaign | CancelCampaign if !state.is_pending() => Err(Refusal::WrongState),
        ApproveCampaign | CancelCampaign => Ok(()),
        StopCampaign if !who.supervisor() => Err(Refusal::NeedsSupervisor),
        StopCampaign if state != CampaignState::Dispatched => Err(Refusal::WrongState),
        StopCampaign => Ok(()),
        _ => Err(Refusal::NotApplicable),
    }
}

fn referral(
    who: Member<'_>,
    action: Action,
    requested_by: &str,
    state: ReferralState,
    delivery: Delivery,
) -> Result<(), Refusal> {
    use Action::*;
    let mine = requested_by == who.user;
    match action {
        ApproveReferral if !who.supervisor() => Err(Refusal::NeedsSupervisor),
        ApproveReferral if mine => Err(Refusal::OwnRequest),
        ApproveReferral if state != ReferralState::Pending => Err(Refusal::WrongState),
        ApproveReferral => Ok(()),
        CancelReferral if !mine && !who.supervisor() => Err(Refusal::NotRequester),
        CancelReferral if !state.cancellable() => Err(Refusal::WrongState),
        CancelReferral => Ok(()),
        DownloadReferral if !mine => Err(Refusal::NotRequester),
        DownloadReferral if state != ReferralState::Ready || delivery != Delivery::Download => {
            Err(Refusal::WrongState)
        }
        DownloadReferral => Ok(()),
        _ => Err(Refusal::NotApplicable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;
    use ProgrammeRole::*;
    use Status::*;

    fn as_(user: &str, role: ProgrammeRole) -> Member<'_> {
        Member { user, role }
    }

    #[test]
    fn permissions_by_role_and_claim() {
        let free = Case {
            status: New,
            assigned_to: None,
        };
        let mine = Case {
            status: InProgress,
            assigned_to: Some("me"),
        };
        let theirs = Case {
            status: InProgress,
            assigned_to: Some("other"),
        };
        // (role, case, action, expected)
        let table: &[(ProgrammeRole, Case<'_>, Action, Result<(), Refusal>)] = &[
            (Agent, free, View, Ok(())),
            (Agent, theirs, View, Ok(())),
            (Agent, theirs, Note, Ok(())),
            (Agent, free, Claim, Ok(())),
            (Agent, mine, Claim, Err(Refusal::AlreadyClaimed)),
            (Supervisor, theirs, Claim, Err(Refusal::AlreadyClaimed)),
            (Agent, mine, Unclaim, Ok(())),
            (Agent, free, Unclaim, Err(Refusal::NotClaimed)),
            (Agent, theirs, Unclaim, Err(Refusal::ClaimedByOther)),
            (Supervisor, theirs, Unclaim, Ok(())),
            (Agent, free, Assign, Err(Refusal::NeedsSupervisor)),
            (Supervisor, theirs, Assign, Ok(())),
            (Admin, free, Assign, Ok(())),
            (Agent, free, ChangeStatus, Ok(())),
            (Agent, mine, ChangeStatus, Ok(())),
            (Agent, theirs, ChangeStatus, Err(Refusal::ClaimedByOther)),
            (Supervisor, theirs, ChangeStatus, Ok(())),
            (Agent, theirs, Transfer, Err(Refusal::ClaimedByOther)),
            (Agent, mine, Transfer, Ok(())),
            (Admin, theirs, Transfer, Ok(())),
            (Agent, free, Reply, Ok(())),
            (Agent, mine, Reply, Ok(())),
            (Agent, theirs, Reply, Err(Refusal::ClaimedByOther)),
            (Supervisor, theirs, Reply, Ok(())),
            (Agent, mine, Hold, Err(Refusal::NeedsSupervisor)),
            (Supervisor, theirs, Hold, Ok(())),
            (Agent, mine, Withdraw, Err(Refusal::NeedsSupervisor)),
            (Supervisor, theirs, Withdraw, Ok(())),
            (Admin, free, ApproveCampaign, Err(Refusal::NotApplicable)),
            (Agent, theirs, VerifyCaller, Ok(())),
            (Agent, free, PhoneIntake, Err(Refusal::NotApplicable)),
        ];
        for (role, case, action, expected) in table {
            assert_eq!(
                permit(as_("me", *role), *action, Subject::Enquiry(*case)),
                *expected,
                "{role:?} {case:?} {action:?}"
            );
        }
    }

    #[test]
    fn programme_pages_by_role() {
        for (role, action, expected) in [
            (Agent, PrepareCampaign, Err(Refusal::NeedsSupervisor)),
            (Supervisor, PrepareCampaign, Ok(())),
            (Agent, SeeRegister, Err(Refusal::NeedsSupervisor)),
            (Supervisor, PreviewForm, Ok(())),
            (Supervisor, ImportMail, Err(Refusal::NeedsAdmin)),
            (Admin, ImportMail, Ok(())),
            (Supervisor, ManageKeys, Err(Refusal::NeedsAdmin)),
            (Admin, Archive, Ok(())),
            (Supervisor, ManageStaff, Err(Refusal::NeedsAdmin)),
            (Admin, ManageStaff, Ok(())),
            (Admin, View, Err(Refusal::NotApplicable)),
            (Agent, PhoneIntake, Ok(())),
            (Supervisor, PhoneIntake, Ok(())),
            (Agent, VerifyCaller, Err(Refusal::NotApplicable)),
        ] {
            assert_eq!(
                permit(as_("me", role), action, Subject::Programme),
                expected,
                "{role:?} {action:?}"
            );
        }
    }

    #[test]
    fn a_campaign_is_approved_by_a_second_supervisor_while_pending() {
        let pending = |by| Subject::Campaign {
            created_by: by,
            state: CampaignState::Pending,
        };
        let sup = as_("me", Supervisor);
        assert_eq!(permit(sup, ApproveCampaign, pending("other")), Ok(()));
        assert_eq!(
            permit(sup, ApproveCampaign, pending("me")),
            Err(Refusal::OwnRequest)
        );
        assert_eq!(permit(sup, CancelCampaign, pending("me")), Ok(()));
        assert_eq!(
            permit(as_("me", Agent), ApproveCampaign, pending("other")),
            Err(Refusal::NeedsSupervisor)
        );
        let sent = Subject::Campaign {
            created_by: "other",
            state: CampaignState::Dispatched,
        };
        assert_eq!(permit(sup, ApproveCampaign, sent), Err(Refusal::WrongState));
        assert_eq!(permit(sup, CancelCampaign, sent), Err(Refusal::WrongState));
    }

    #[test]
    fn a_referral_is_approved_by_another_and_downloaded_by_its_requester() {
        let r = |by, state, delivery| Subject::Referral {
            requested_by: by,
            state,
            delivery,
        };
        use ReferralState as S;
        let sup = as_("me", Supervisor);
        let agent = as_("me", Agent);
        for (who, action, on, expected) in [
            (
                sup,
                ApproveReferral,
                r("other", S::Pending, Delivery::Email),
                Ok(()),
            ),
            (
                sup,
                ApproveReferral,
                r("me", S::Pending, Delivery::Email),
                Err(Refusal::OwnRequest),
            ),
            (
                agent,
                ApproveReferral,
                r("other", S::Pending, Delivery::Email),
                Err(Refusal::NeedsSupervisor),
            ),
            (
                sup,
                ApproveReferral,
                r("other", S::Ready, Delivery::Download),
                Err(Refusal::WrongState),
            ),
            (
                agent,
                CancelReferral,
                r("me", S::Ready, Delivery::Download),
                Ok(()),
            ),
            (
                agent,
                CancelReferral,
                r("other", S::Pending, Delivery::Email),
                Err(Refusal::NotRequester),
            ),
            (
                sup,
                CancelReferral,
                r("other", S::Pending, Delivery::Email),
                Ok(()),
            ),
            (
                sup,
                CancelReferral,
                r("other", S::Queued, Delivery::Email),
                Err(Refusal::WrongState),
            ),
            (
                agent,
                DownloadReferral,
                r("me", S::Ready, Delivery::Download),
                Ok(()),
            ),
            (
                sup,
                DownloadReferral,
                r("other", S::Ready, Delivery::Download),
                Err(Refusal::NotRequester),
            ),
            (
                agent,
                DownloadReferral,
                r("me", S::Downloaded, Delivery::Download),
                Err(Refusal::WrongState),
            ),
            (
                agent,
                DownloadReferral,
                r("me", S::Ready, Delivery::Email),
                Err(Refusal::WrongState),
            ),
        ] {
            assert_eq!(permit(who, action, on), expected, "{action:?} {on:?}");
        }
    }

    #[test]
    fn the_instance_is_its_admins_and_the_editor_also_programme_admins() {
        let everyone = [Agent, Supervisor, Admin];
        for action in [
            ManageAccounts,
            ReadAuditLog,
            CreateProgramme,
            WorkInEveryProgramme,
            StopOutbound,
            ApproveLargeCampaign,
        ] {
            for role in everyone {
                let plain = Subject::Instance {
                    instance_admin: false,
                };
                let admin = Subject::Instance {
                    instance_admin: true,
                };
                assert_eq!(
                    permit(as_("u", role), action, plain),
                    Err(Refusal::NeedsInstanceAdmin),
                    "{action:?} as {role:?}"
                );
                assert_eq!(permit(as_("u", role), action, admin), Ok(()));
            }
        }
        let plain = Subject::Instance {
            instance_admin: false,
        };
        assert_eq!(permit(as_("u", Admin), EditProgrammes, plain), Ok(()));
        assert_eq!(
            permit(as_("u", Supervisor), EditProgrammes, plain),
            Err(Refusal::NeedsAdmin)
        );
        assert_eq!(
            permit(
                as_("u", Agent),
                EditProgrammes,
                Subject::Instance {
                    instance_admin: true
                }
            ),
            Ok(())
        );
        // Programme actions mean nothing to the instance, and the reverse.
        assert_eq!(
            permit(as_("u", Admin), ImportMail, plain),
            Err(Refusal::NotApplicable)
        );
        assert_eq!(
            permit(as_("u", Admin), ManageAccounts, Subject::Programme),
            Err(Refusal::NotApplicable)
        );
        assert_eq!(
            permit(as_("u", Admin), EditProgramme, Subject::Programme),
            Ok(())
        );
        assert_eq!(
            permit(as_("u", Supervisor), EditProgramme, Subject::Programme),
            Err(Refusal::NeedsAdmin)
        );
    }
}
