//! What an audit entry records as its action: one variant per kind of event, each
//! stored as the dotted name the audit log has always held. The names are part of the
//! log's meaning (operators filter `/admin/audit` by them, scripts grep them, old
//! entries keep them), so a variant's string never changes; a new kind of event is a
//! new variant.

use std::fmt;
use std::str::FromStr;

macro_rules! actions {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)+) => {
        /// An audited kind of event (`AuditAction::as_str` is what is stored).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $variant,)+
        }

        impl AuditAction {
            /// Every action, in the order declared.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)+];

            /// The stored name, e.g. `enquiry.view`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $name,)+
                }
            }
        }

        impl FromStr for AuditAction {
            type Err = UnknownAction;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(AuditAction::$variant),)+
                    _ => Err(UnknownAction),
                }
            }
        }
    };
}

actions! {
    /// An admin read the audit log (with the filters used).
    AuditView => "audit.view",
    /// A supervisor approved a bulk reply (or was refused: the creator, a lesser role).
    CampaignApprove => "campaign.approve",
    CampaignCancel => "campaign.cancel",
    CampaignCreate => "campaign.create",
    /// Every enquiry of a bulk reply was opened, at its approval, to render each
    /// person's message (one read by the approver, counted once; nobody sees them).
    CampaignExpand => "campaign.expand",
    /// An enquiry was opened to preview a bulk reply's text for it.
    CampaignPreview => "campaign.preview",
    /// The referral register was exported (CSV, metadata only).
    DisclosuresExport => "disclosures.export",
    EnquiryAssign => "enquiry.assign",
    /// An attachment of an imported enquiry was downloaded (or refused by the cap).
    EnquiryAttachment => "enquiry.attachment",
    EnquiryClaim => "enquiry.claim",
    /// A legal hold was put on an enquiry (retention keeps it).
    EnquiryHold => "enquiry.hold",
    EnquiryNote => "enquiry.note",
    /// An enquiry was opened for work other than reading it on its page (the detail's
    /// `for`: a reply, a referral's request, approval or download), or refused by the
    /// hourly cap; written before anything is decrypted.
    EnquiryRead => "enquiry.read",
    EnquiryReleaseHold => "enquiry.release-hold",
    EnquiryReply => "enquiry.reply",
    /// A look-up by reference code, found or not.
    EnquirySearch => "enquiry.search",
    EnquiryStatus => "enquiry.status",
    EnquiryTransfer => "enquiry.transfer",
    EnquiryUnclaim => "enquiry.unclaim",
    /// An enquiry was decrypted for a staff member (or refused by the hourly cap).
    EnquiryView => "enquiry.view",
    /// `haven escrow open` wrote a programme's data out with the escrow identity.
    EscrowOpen => "escrow.open",
    /// One batch of imported mail was stored (committed with its enquiries).
    ImportBatch => "import.batch",
    /// An import run ended (`haven import` or an upload), with its counts.
    ImportRun => "import.run",
    /// The worker refused to send a message (the guard or the header check).
    OutboundRefused => "outbound.refused",
    ProgrammeCreate => "programme.create",
    ProgrammeDestroyKey => "programme.destroy-key",
    /// A batch of ciphertexts under an older key was re-sealed to the current one
    /// (written, with the count, before the batch is opened).
    ProgrammeReseal => "programme.reseal",
    ProgrammeRotateKey => "programme.rotate-key",
    /// Every key of a programme was destroyed (crypto-shredding).
    ProgrammeShred => "programme.shred",
    ProgrammeUpdate => "programme.update",
    /// An admin confirmed, on the launch checklist, an item a copy brought along.
    ProgrammeReview => "programme.review",
    /// An admin's password check before a sensitive change failed or was throttled.
    ReauthFailed => "reauth.failed",
    ReferralApprove => "referral.approve",
    ReferralCancel => "referral.cancel",
    ReferralDownload => "referral.download",
    /// An enquiry was opened to preview what a referral would carry.
    ReferralPreview => "referral.preview",
    ReferralRequest => "referral.request",
    /// A referral was stopped because its destination changed.
    ReferralStopped => "referral.stopped",
    /// Enquiries past their retention period were deleted (counts only).
    RetentionPurge => "retention.purge",
    /// A staff member read and acknowledged a programme's handling rules.
    RulesAcknowledge => "rules.acknowledge",
    SessionRevokeOthers => "session.revoke-others",
    SigninFailed => "signin.failed",
    /// A role was given in a programme from its staff page (directly, or approving a
    /// request), or taken away; a programme admin's request for one; its refusal or
    /// withdrawal.
    StaffGrant => "staff.grant",
    StaffRemove => "staff.remove",
    StaffRequest => "staff.request",
    StaffRequestRefuse => "staff.request.refuse",
    StaffRequestWithdraw => "staff.request.withdraw",
    SigninOk => "signin.ok",
    /// Ten wrong second-factor codes after a right password locked the second factor
    /// (outcome `alert`; the account's own address is emailed too).
    SigninSecondFactorLocked => "signin.second-factor-locked",
    SigninThrottled => "signin.throttled",
    Signout => "signout",
    TotpEnrol => "totp.enrol",
    UserAdd => "user.add",
    UserDisable => "user.disable",
    UserEnable => "user.enable",
    UserGrant => "user.grant",
    /// An admin reset a staff member's lost second factor.
    UserReset2fa => "user.reset-2fa",
    /// An operator signed a programme's stored state as it stands, after it was
    /// refused for a signature that did not verify (outcome `alert`; the detail names
    /// the recipient and escrow vouched for).
    ProgrammeReSign => "programme.re-sign",
    /// The worker opened a batch of new enquiries to compute their email blind index
    /// (counts only; the plaintext never leaves the keyring).
    EnquiryIndexContact => "enquiry.index-contact",
    /// Issue 19: an instance admin (or the command line) stopped all outbound mail.
    OutboundPause => "outbound.pause",
    OutboundResume => "outbound.resume",
    /// A supervisor paused, resumed or stopped a dispatched campaign.
    CampaignPause => "campaign.pause",
    CampaignResume => "campaign.resume",
    CampaignStop => "campaign.stop",
    /// A queued reply's email was withdrawn before it was sent.
    ReplyWithdraw => "reply.withdraw",
    /// Issue 20: a list of who received something (campaign, template, reply, address).
    IncidentRecipients => "incident.recipients",
    IncidentOpen => "incident.open",
    IncidentUpdate => "incident.update",
    /// An incident record's sealed text opened (the keyring's gate).
    IncidentRead => "incident.read",
    IncidentReport => "incident.report",
    /// An enquiry taken by phone in the console (issue 22): who entered it.
    PhoneIntake => "phone.intake",
    /// The agent confirmed the codes were read back to the caller.
    PhoneReadBack => "phone.read-back",
    /// A one-time number shown to verify a caller (its hash stored, never the number).
    CallerCheckIssued => "caller.check-issued",
    /// A caller check looked at (the detail says whether it verified).
    CallerCheck => "caller.check",
    /// Issue 19 item 4: a campaign's recipients opened for its approver's page (masked
    /// addresses, the keyring's gate), or downloaded as CSV.
    CampaignReview => "campaign.review",
    CampaignRecipientsCsv => "campaign.recipients-csv",
    /// Issue 19 item 6: a template sent, with sample data, to the staff member's own
    /// address.
    TemplateTestSend => "template.test-send",
    /// Issue 22, item 6: the other enquiries sharing an address were listed (with a reason).
    EnquiryRelated => "enquiry.related",
    /// A supervisor marked an enquiry a duplicate of another, or took the mark off.
    EnquiryDuplicate => "enquiry.duplicate",
    EnquiryDuplicateUndo => "enquiry.duplicate-undo",
    /// Issue 21 item 6: a supervisor asked, on a person's behalf, to withdraw their
    /// enquiry (the worker carries it out).
    WithdrawalRequest => "withdrawal.request",
    /// A withdrawal waits for a legal hold to end (recorded once).
    WithdrawalHeld => "withdrawal.held",
    /// An enquiry withdrawn: its ciphertexts deleted, with the counts.
    WithdrawalDone => "withdrawal.done",
    /// A person's new passphrase carried out: their replies and "what you sent"
    /// re-sealed to the new inbox key.
    InboxPassphraseChange => "inbox.passphrase-change",
    /// Issue 20 item 4: a notification to an incident's affected people prepared, and
    /// approved by a second supervisor (the campaign's own entries are written too).
    IncidentNotify => "incident.notify",
    IncidentNotifyApprove => "incident.notify-approve",
    /// Issue 20 item 5: a stop button used from an incident's page.
    IncidentContain => "incident.contain",
    /// Issue 19: the worker opened an enquiry's address to mail it a confirmation code.
    ContactSend => "contact.send",
    /// A confirmation code typed in the inbox matched: the address is confirmed.
    ContactConfirm => "contact.confirm",
    /// An address removed (by the person in the inbox, or by a supervisor).
    ContactRemove => "contact.remove",
    /// The person gave another address in the inbox.
    ContactChange => "contact.change",
}

/// A stored action name that no variant has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an audit action")]
pub struct UnknownAction;

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_action_round_trips_through_its_stored_name() {
        for &action in AuditAction::ALL {
            assert_eq!(action.as_str().parse::<AuditAction>(), Ok(action));
            assert_eq!(action.to_string(), action.as_str());
        }
        assert_eq!("enquiry.viewed".parse::<AuditAction>(), Err(UnknownAction));
        assert_eq!("".parse::<AuditAction>(), Err(UnknownAction));
    }

    /// The names Haven wrote before actions were a type, taken from every call site
    /// then. Old entries hold them and `/admin/audit` filters by them: none may be
    /// renamed or dropped.
    #[test]
    fn the_stored_names_are_the_ones_the_log_always_held() {
        let stored: BTreeSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        let before: BTreeSet<&str> = [
            "audit.view",
            "campaign.approve",
            "campaign.cancel",
            "campaign.create",
            "campaign.preview",
            "disclosures.export",
            "enquiry.assign",
            "enquiry.attachment",
            "enquiry.claim",
            "enquiry.hold",
            "enquiry.note",
            "enquiry.release-hold",
            "enquiry.reply",
            "enquiry.search",
            "enquiry.status",
            "enquiry.transfer",
            "enquiry.unclaim",
            "enquiry.view",
            "escrow.open",
            "import.run",
            "outbound.refused",
            "programme.create",
            "programme.destroy-key",
            "programme.rotate-key",
            "programme.shred",
            "programme.update",
            "reauth.failed",
            "referral.approve",
            "referral.cancel",
            "referral.download",
            "referral.preview",
            "referral.request",
            "referral.stopped",
            "retention.purge",
            "session.revoke-others",
            "signin.failed",
            "signin.ok",
            "signin.throttled",
            "signout",
            "totp.enrol",
            "user.add",
            "user.disable",
            "user.enable",
            "user.grant",
            "user.reset-2fa",
        ]
        .into_iter()
        // Added since, each a new kind of event (issue 18: imports audit each batch).
        .chain(["import.batch"])
        // Issue 18's keyring: reads and re-sealing audited before anything is opened.
        .chain(["enquiry.read", "campaign.expand", "programme.reseal"])
        // Issue 23: launching a programme (the checklist, staff from the web).
        .chain([
            "programme.review",
            "rules.acknowledge",
            "staff.grant",
            "staff.remove",
            "staff.request",
            "staff.request.refuse",
            "staff.request.withdraw",
        ])
        // Issue 17: ten wrong second-factor codes after a right password.
        .chain(["signin.second-factor-locked"])
        // Issue 17 item 13: signed programme states.
        .chain(["programme.re-sign", "enquiry.index-contact"])
        // Issue 19: stop buttons for outbound mail.
        .chain([
            "outbound.pause",
            "outbound.resume",
            "campaign.pause",
            "campaign.resume",
            "campaign.stop",
            "reply.withdraw",
        ])
        // Issue 20: incident response.
        .chain([
            "incident.recipients",
            "incident.open",
            "incident.update",
            "incident.read",
            "incident.report",
        ])
        // Issue 22: phone intake and caller verification.
        .chain([
            "phone.intake",
            "phone.read-back",
            "caller.check-issued",
            "caller.check",
        ])
        // Issue 19 item 4 and 6: the second look at a campaign, template test-sends.
        .chain([
            "campaign.review",
            "campaign.recipients-csv",
            "template.test-send",
        ])
        // Issue 22: call-centre agents (related enquiries, duplicate marks).
        .chain([
            "enquiry.related",
            "enquiry.duplicate",
            "enquiry.duplicate-undo",
        ])
        // Issue 21 item 6: withdrawal and the person's own passphrase.
        .chain([
            "withdrawal.request",
            "withdrawal.held",
            "withdrawal.done",
            "inbox.passphrase-change",
        ])
        // Issue 20 items 4 and 5: notifications and containment from an incident.
        .chain([
            "incident.notify",
            "incident.notify-approve",
            "incident.contain",
        ])
        // Issue 19: confirmed contact addresses.
        .chain([
            "contact.send",
            "contact.confirm",
            "contact.remove",
            "contact.change",
        ])
        .collect();
        assert_eq!(stored, before);
        assert_eq!(
            stored.len(),
            AuditAction::ALL.len(),
            "two variants share a name"
        );
    }

    #[test]
    fn a_family_filter_still_finds_its_actions() {
        // `/admin/audit` filters by an exact name or a family ending in `.`.
        let enquiry: Vec<_> = AuditAction::ALL
            .iter()
            .filter(|a| a.as_str().starts_with("enquiry."))
            .collect();
        assert_eq!(enquiry.len(), 17);
    }
}
