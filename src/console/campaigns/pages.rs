//! The campaign pages: the list with the form that prepares one, and a campaign's
//! page (its text as it will be sent, a preview, progress, the decision). Markup only.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::CampaignForm;
use crate::auth::Staff;
use crate::campaigns::{self, CampaignState, PinnedText, Problem};
use crate::casework::{Action, ProgrammeRole, Status, Subject, permit};
use crate::console::member;
use crate::console::pages::{csrf_field, datetime, error_summary, flash_box};
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::replies::Draft;
use crate::store::{CampaignRecord, OutboxCounts};

pub(super) fn list_page(
    staff: &Staff,
    live: &LiveProgramme,
    role: ProgrammeRole,
    campaigns: &[(CampaignRecord, OutboxCounts)],
    typed: &CampaignForm,
    errors: &[(&str, String)],
) -> Markup {
    let p = &live.programme;
    let lang = staff.lang;
    html! {
        (error_summary(lang, errors))
        p { a href={ "/console/p/" (p.slug()) } { (p.text(&p.file().title, Language::En)) } }
        h1 { (t(lang, "console-campaigns-title")) }
        p { (t(lang, "console-campaigns-intro")) }
        @if campaigns.is_empty() {
            p { (t(lang, "console-campaigns-none")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (t(lang, "console-created-utc")) } th scope="col" { (t(lang, "console-template")) } th scope="col" class="num" { (t(lang, "console-enquiries")) }
                    th scope="col" { (t(lang, "console-delivery-state")) } th scope="col" class="num" { (t(lang, "console-sent")) } th scope="col" class="num" { (t(lang, "console-failed")) } th scope="col" { "" }
                } }
                tbody {
                    @for (c, counts) in campaigns {
                        tr {
                            td { (datetime(c.created_at)) }
                            td { (p.template(&c.template_key).map_or(c.template_key.as_str(), |t| t.name.as_str())) }
                            td class="num" { (c.enquiry_count) }
                            td { (campaign_state(lang, &c.state)) }
                            td class="num" { (counts.sent) }
                            td class="num" { (counts.failed) }
                            td { a href={ "/console/c/" (c.id) } { (t(lang, "console-open-link")) } }
                        }
                    }
                }
            }
        }
        @if permit(member(staff, role), Action::PrepareCampaign, Subject::Programme).is_ok() {
            h2 { (t(lang, "console-campaign-new")) }
            @if p.file().templates.is_empty() {
                p { (t(lang, "console-templates-none")) }
            } @else {
                form method="post" action={ "/console/p/" (p.slug()) "/campaigns" } novalidate {
                    (csrf_field(&staff.csrf))
                    div class="field" {
                        label for="template" { (t(lang, "console-template")) }
                        select id="template" name="template" {
                            @for t in &p.file().templates {
                                option value=(t.key) selected[typed.template == t.key] { (t.name) }
                            }
                        }
                    }
                    div class="field-row" {
                        div class="field" {
                            label for="queue" { (t(lang, "console-queue")) }
                            select id="queue" name="queue" {
                                option value="" { (t(lang, "console-any")) }
                                @for q in &p.file().queues {
                                    option value=(q.key) selected[typed.queue == q.key] { (p.text(&q.name, Language::En)) }
                                }
                            }
                        }
                        div class="field" {
                            label for="status" { (t(lang, "console-status")) }
                            select id="status" name="status" {
                                option value="" { (t(lang, "console-any")) }
                                @for s in Status::ALL {
                                    option value=(s.as_str()) selected[typed.status == s.as_str()] { (t(lang, s.label_id())) }
                                }
                            }
                        }
                        div class="field" {
                            label for="language" { (t(lang, "language-switch")) }
                            select id="language" name="language" {
                                option value="" { (t(lang, "console-any")) }
                                @for l in p.languages() {
                                    option value=(l.tag()) selected[typed.language == l.tag()] { (l.endonym()) }
                                }
                            }
                        }
                    }
                    p class="hint" { (t(lang, "review-closed-hint")) }
                    button type="submit" { (t(lang, "console-campaign-prepare")) }
                }
            }
        }
    }
}

/// A campaign's state for staff (the stored words stay English).
fn campaign_state(lang: Language, state: &CampaignState) -> String {
    t(
        lang,
        match state {
            CampaignState::Pending => "console-campaign-state-pending",
            CampaignState::Dispatched => "console-campaign-state-dispatched",
            CampaignState::Cancelled => "console-campaign-state-cancelled",
        },
    )
}

/// A refused selection, in the staff member's language, at its field.
pub(super) fn problem_text(lang: Language, problem: &Problem) -> String {
    match problem {
        Problem::Template => t(lang, "console-campaign-error-template"),
        Problem::Queue => t(lang, "console-campaign-error-queue"),
        Problem::Status => t(lang, "console-campaign-error-status"),
        Problem::Language => t(lang, "console-campaign-error-language"),
        Problem::Empty => t(lang, "console-campaign-error-empty"),
        Problem::TooMany(n) => t_args(
            lang,
            "console-campaign-error-too-many",
            &[
                ("n", n.to_string()),
                ("max", campaigns::MAX_CAMPAIGN.to_string()),
            ],
        ),
    }
}

/// What a campaign's page shows.
pub(super) struct CampaignView<'a> {
    pub staff: &'a Staff,
    pub live: &'a LiveProgramme,
    pub role: ProgrammeRole,
    pub c: &'a CampaignRecord,
    pub pinned: Option<&'a PinnedText>,
    /// The template no longer reads as pinned (or nothing was pinned): no approval.
    pub changed: bool,
    pub preview: Option<&'a Draft>,
    pub counts: &'a OutboxCounts,
    pub failed: &'a [(String, Option<String>)],
    pub names: &'a BTreeMap<String, String>,
    pub done: Option<&'a str>,
    /// A pause or stop of this campaign, described (who, when, why), and whether it
    /// is for good.
    pub hold: Option<(String, bool)>,
    /// The second look (a supervisor, while it waits for approval).
    pub review: Option<&'a crate::campaign_review::Review>,
    /// Why an approval just failed (wrong password, over the cap).
    pub problem: Option<&'a str>,
}

pub(super) fn campaign_page(v: &CampaignView<'_>) -> Markup {
    let (staff, c, p) = (v.staff, v.c, &v.live.programme);
    let lang = staff.lang;
    let who = |id: &str| {
        v.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let any = |value: &str| {
        if value.is_empty() {
            t(lang, "console-any-lower")
        } else {
            value.to_owned()
        }
    };
    let may = |a: Action| permit(member(staff, v.role), a, campaigns::subject(c)).is_ok();
    let counts = v.counts;
    html! {
        (flash_box(lang, v.done))
        @if let Some(problem) = v.problem {
            div class="error-summary" role="alert" id="campaign-problem" { p { (problem) } }
        }
        p { a href={ "/console/p/" (p.slug()) "/campaigns" } { (t_args(lang, "console-campaigns-of", &[("programme", p.text(&p.file().title, Language::En).to_owned())])) } }
        h1 { (t(lang, "console-campaign-title")) }
        dl class="summary" {
            dt { (t(lang, "console-template")) } dd { (p.template(&c.template_key).map_or(c.template_key.as_str(), |t| t.name.as_str())) }
            dt { (t(lang, "console-campaign-selection")) } dd {
                (t_args(lang, "console-campaign-selection-value", &[
                    ("queue", any(&c.filter_queue)),
                    ("status", any(&c.filter_status)),
                    ("language", any(&c.filter_language)),
                ]))
            }
            dt { (t(lang, "console-enquiries")) } dd id="campaign-count" { (c.enquiry_count) }
            dt { (t(lang, "console-created")) } dd { (who(&c.created_by)) ", " (datetime(c.created_at)) " UTC" }
            dt { (t(lang, "console-delivery-state")) } dd id="campaign-state" { (campaign_state(lang, &c.state)) }
            @if let (Some(by), Some(at)) = (&c.decided_by, c.decided_at) {
                dt { @if c.state == CampaignState::Cancelled { (t(lang, "console-campaign-cancelled")) } @else { (t(lang, "console-campaign-approved")) } } dd { (who(by)) ", " (datetime(at)) " UTC" }
            }
        }
        @if c.state == CampaignState::Dispatched {
            h2 { (t(lang, "console-progress")) }
            p { (t(lang, "console-campaign-progress-intro")) }
            dl class="summary" id="campaign-progress" {
                dt { (t(lang, "console-emails")) } dd { (counts.total()) }
                dt { (t(lang, "console-waiting")) } dd id="progress-queued" { (counts.queued) }
                dt { (t(lang, "console-sending")) } dd id="progress-sending" { (counts.sending) }
                dt { (t(lang, "console-sent")) } dd id="progress-sent" { (counts.sent) }
                dt { (t(lang, "console-failed")) } dd id="progress-failed" { (counts.failed) }
            }
            @if counts.queued + counts.sending > 0 {
                p class="hint" { (t(lang, "console-refreshes")) }
            }
            @if let Some((said, _)) = &v.hold {
                p id="campaign-hold" class="warning" { (said) }
            }
            @if may(Action::StopCampaign) && !v.hold.as_ref().is_some_and(|h| h.1)
                && (counts.queued + counts.sending > 0 || v.hold.is_some()) {
                h3 { (t(lang, "mail-stop-heading")) }
                p { (t(lang, "mail-stop-intro")) }
                @if v.hold.is_some() {
                    (crate::console::outbound::resume_form(staff, &format!("/console/c/{}/resume", c.id), "mail-stop-resume", "resume-reason"))
                } @else {
                    (crate::console::outbound::stop_form(staff, &format!("/console/c/{}/pause", c.id), "mail-stop-pause", "pause-reason"))
                }
                (crate::console::outbound::stop_form(staff, &format!("/console/c/{}/stop", c.id), "mail-stop-cancel", "stop-reason"))
            }
            @if !v.failed.is_empty() {
                h3 { (t(lang, "console-campaign-failed-heading")) }
                p { (t(lang, "console-campaign-failed-intro")) }
                table {
                    thead { tr { th scope="col" { (t(lang, "console-enquiry-heading")) } th scope="col" { (t(lang, "console-error")) } } }
                    tbody {
                        @for (enquiry, error) in v.failed {
                            tr {
                                td { a href={ "/console/e/" (enquiry) } { (t(lang, "console-open-link")) } }
                                td { (error.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
        @if c.state == CampaignState::Pending && v.changed {
            div class="error-summary" role="alert" id="campaign-changed" {
                p { (t(lang, "campaign-text-changed")) }
            }
        }
        @if let Some(d) = v.preview {
            h2 { (t(lang, "console-campaign-preview")) }
            div class="preview" {
                p { strong { (d.subject) } }
                p class="preserve" dir="auto" { (d.text) }
            }
        }
        @if let Some(review) = v.review {
            (super::review_page::review_section(lang, c, review))
        }
        @if let Some(pinned) = v.pinned {
            (pinned_texts(lang, pinned))
        }
        @if c.state == CampaignState::Pending {
            h2 { (t(lang, "console-decision")) }
            @if may(Action::ApproveCampaign) && !v.changed {
                @if let Some(pinned) = v.pinned {
                    (super::review_page::approve_form(staff, c, v.live, pinned, v.review, v.problem))
                }
            } @else if c.created_by == staff.id {
                p { (t(lang, "console-campaign-other-supervisor")) }
            }
            @if may(Action::CancelCampaign) {
                form method="post" action={ "/console/c/" (c.id) "/cancel" } class="inline" {
                    (csrf_field(&staff.csrf))
                    button type="submit" class="secondary" { (t(lang, "console-cancel")) }
                }
            }
        }
    }
}

/// The text a campaign sends, in each language, exactly as stored (placeholders in
/// braces are filled for each person).
fn pinned_texts(lang: Language, pinned: &PinnedText) -> Markup {
    let name = |tag: &str| {
        Language::parse(tag)
            .map(|l| l.endonym().to_owned())
            .unwrap_or_else(|_| tag.to_owned())
    };
    // Languages the template has no text of its own in get the default's: shown once.
    let same = pinned.same_as_default();
    html! {
        h2 { (t(lang, "campaign-text-heading")) }
        p class="hint" { (t(lang, "campaign-text-intro")) }
        @if !same.is_empty() {
            p class="hint" {
                (t_args(lang, "campaign-text-fallback", &[
                    ("languages", same.iter().map(|tag| name(tag)).collect::<Vec<_>>().join(", ")),
                    ("default", name(&pinned.default)),
                ]))
            }
        }
        @for (tag, text) in pinned.texts.iter().filter(|(tag, _)| !same.contains(&tag.as_str())) {
            @let l = Language::parse(tag).ok();
            div class="preview" lang=(tag) dir=(l.map_or("auto", |l| l.dir())) {
                h3 { (name(tag)) }
                p { strong { (text.subject) } }
                p class="preserve" { (text.body) }
            }
        }
    }
}
