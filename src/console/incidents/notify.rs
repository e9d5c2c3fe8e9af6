//! An incident's notifications, containment and actions (issue 20, items 4 and 5):
//! prepare a notice to exactly the affected set, approve it as a second supervisor
//! (with the tick for addresses never confirmed), see who was reached which way; the
//! stop buttons (pause, resume or cancel a bulk reply; the emergency stop) used from
//! the incident and recorded in its actions. What a notification is: `incident::notify`.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::incident_for;
use crate::audit::{Actor, AuditAction, Entry, Filter, Record};
use crate::auth::Staff;
use crate::campaigns::{self, Approval, CampaignError, Stop};
use crate::casework::{Action, Refusal};
use crate::console::pages::{csrf_field, datetime};
use crate::console::{Console, member, see_other};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::incident::notify::{self, Way};
use crate::store::{CampaignRecord, IncidentNotice, IncidentRecord};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/incidents/{id}/notify", web::post().to(prepare))
        .route("/incidents/{id}/notify/approve", web::post().to(approve))
        .route("/incidents/{id}/contain", web::post().to(contain));
}

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

fn back(id: &str, done: &str) -> HttpResponse {
    see_other(&format!("/console/incidents/{id}?done={done}#notify"))
}

async fn prepare(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let template = match field(&f, "template") {
        "" => notify::TEMPLATE,
        t => t,
    };
    let done = notify::prepare(
        &console.store,
        &live,
        member(&staff, role),
        &record,
        template,
        !field(&f, "unconfirmed").is_empty(),
    )
    .await?;
    Ok(match done {
        Ok(_) => back(&record.id, "notify-prepared"),
        Err(p) => back(&record.id, p.message_id()),
    })
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let notice = console
        .store
        .incident_notice(field(&f, "campaign"))
        .await?
        .filter(|n| n.incident_id == record.id)
        .ok_or(AppError::NotFound)?;
    let c = console
        .store
        .campaign(&notice.campaign_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let approval = notify::approve(
        &console.store,
        &console.keyring,
        &live,
        &notice,
        &c,
        member(&staff, role),
        field(&f, "seen"),
        !field(&f, "unconfirmed").is_empty(),
        &crate::console::replies::mail_settings(&console),
    )
    .await;
    let done = match approval {
        Ok(Approval::Dispatched) => "notify-dispatched",
        Ok(Approval::Conflict) => "notify-conflict",
        Ok(Approval::TextChanged) => "notify-changed",
        Err(CampaignError::Refused(Refusal::OwnRequest)) => "notify-own",
        Err(e) => return Err(e.into()),
    };
    Ok(back(&record.id, done))
}

/// A stop button used from the incident: the stop itself is audited as it always
/// is, and the incident's actions record it (`incident.contain`).
async fn contain(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let what = field(&f, "what");
    let reason = field(&f, "reason").trim();
    if reason.is_empty() && what != "resume" {
        return Ok(back(&record.id, "contain-reason"));
    }
    let done = if what == "emergency" {
        if !staff.may(Action::StopOutbound) {
            return Err(AppError::Forbidden);
        }
        crate::outbound::stop::pause_all(&console.store, &staff.actor(), reason).await?
    } else {
        let stop = match what {
            "pause" => Stop::Pause,
            "resume" => Stop::Resume,
            "cancel" => Stop::Cancel,
            _ => return Err(AppError::BadRequest),
        };
        let c = console
            .store
            .campaign(field(&f, "campaign"))
            .await?
            .filter(|c| c.programme_id == live.id)
            .ok_or(AppError::BadRequest)?;
        campaigns::stop(&console.store, &c, member(&staff, role), stop, reason).await?
    };
    let entry = Entry::new(
        &Actor::staff(&staff.id),
        AuditAction::IncidentContain,
        &format!("incident:{}", record.id),
    )
    .detail(serde_json::json!({
        "what": what, "campaign": field(&f, "campaign"), "changed": done,
        "reason": reason.chars().take(500).collect::<String>(),
    }));
    console.store.record_audit(&entry).await?;
    Ok(back(
        &record.id,
        if done {
            "contain-done"
        } else {
            "contain-unchanged"
        },
    ))
}

/// What the incident page shows of notifications and containment.
pub(super) struct Section<'a> {
    pub staff: &'a Staff,
    pub record: &'a IncidentRecord,
    pub live: &'a crate::programme::live::LiveProgramme,
    pub notices: &'a [(IncidentNotice, CampaignRecord)],
    pub ways: &'a BTreeMap<Way, usize>,
    pub campaigns: &'a [CampaignRecord],
    pub actions: &'a [Record],
}

/// Loads what [`section`] shows.
pub(super) async fn load(
    console: &Console,
    record: &IncidentRecord,
) -> Result<
    (
        Vec<(IncidentNotice, CampaignRecord)>,
        BTreeMap<Way, usize>,
        Vec<Record>,
    ),
    AppError,
> {
    let mut notices = Vec::new();
    for n in console.store.incident_notices(&record.id).await? {
        if let Some(c) = console.store.campaign(&n.campaign_id).await? {
            notices.push((n, c));
        }
    }
    let ways = notify::counts(&notify::progress(&console.store, record).await?);
    let actions = console
        .store
        .search_audit(
            &Filter {
                subject: format!("incident:{}", record.id),
                ..Default::default()
            },
            500,
        )
        .await?
        .into_iter()
        .filter(|e| !matches!(e.action.as_str(), "incident.read" | "incident.report"))
        .collect::<Vec<_>>();
    // Key rotations of the programme while the incident is open are its actions too.
    let mut actions = actions;
    if let Some(slug) = console.store.programme_slug(&record.programme_id).await? {
        actions.extend(
            console
                .store
                .search_audit(
                    &Filter {
                        subject: format!("programme:{slug}"),
                        action: "programme.rotate-key".into(),
                        from: Some(record.opened_at),
                        until: record.closed_at,
                        ..Default::default()
                    },
                    100,
                )
                .await?,
        );
        actions.sort_by_key(|e| std::cmp::Reverse(e.seq));
    }
    Ok((notices, ways, actions))
}

fn stops(v: &Section<'_>) -> Markup {
    let lang = v.staff.lang;
    let r = v.record;
    let dispatched: Vec<&CampaignRecord> = v
        .campaigns
        .iter()
        .filter(|c| c.state == crate::store::CampaignState::Dispatched)
        .collect();
    html! {
        h2 id="contain" { (t(lang, "incident2-contain-heading")) }
        p { (t(lang, "incident2-contain-intro")) }
        @if !dispatched.is_empty() {
            form method="post" action={ "/console/incidents/" (r.id) "/contain" } novalidate {
                (csrf_field(&v.staff.csrf))
                div class="field-row" {
                    div class="field" {
                        label for="contain-campaign" { (t(lang, "incident-campaign")) }
                        select id="contain-campaign" name="campaign" {
                            @for c in &dispatched { option value=(c.id) { (datetime(c.created_at)) " · " (c.template_key) } }
                        }
                    }
                    div class="field" {
                        label for="contain-what" { (t(lang, "incident2-contain-what")) }
                        select id="contain-what" name="what" {
                            @for w in ["pause", "resume", "cancel"] { option value=(w) { (t(lang, &format!("incident2-contain-{w}"))) } }
                        }
                    }
                }
                div class="field" {
                    label for="contain-reason" { (t(lang, "incident-reason")) }
                    input type="text" id="contain-reason" name="reason" autocomplete="off";
                }
                button type="submit" { (t(lang, "incident2-contain-button")) }
            }
            ul { @for c in &dispatched { li { a href={ "/console/c/" (c.id) } { (t(lang, "incident2-campaign-page")) " · " (datetime(c.created_at)) " · " (c.template_key) } } } }
        }
        p { a href={ "/admin/programmes/" (v.live.programme.slug().as_str()) "/keys" } { (t(lang, "incident2-rotate-link")) } }
        @if v.staff.may(Action::StopOutbound) {
            form method="post" action={ "/console/incidents/" (r.id) "/contain" } novalidate {
                (csrf_field(&v.staff.csrf))
                input type="hidden" name="what" value="emergency";
                div class="field" {
                    label for="emergency-reason" { (t(lang, "incident-reason")) }
                    input type="text" id="emergency-reason" name="reason" autocomplete="off";
                }
                button type="submit" class="warning" { (t(lang, "incident2-emergency-button")) }
            }
        } @else {
            p { (t(lang, "incident2-emergency-admin")) }
        }
    }
}

/// The notifications, containment and actions of an incident's page.
pub(super) fn section(v: &Section<'_>) -> Markup {
    let lang = v.staff.lang;
    let r = v.record;
    let closed = r.closed_at.is_some();
    let pending = v.notices.iter().find(|(_, c)| c.state.is_pending());
    let templates = &v.live.programme.file().templates;
    html! {
        h2 id="notify" { (t(lang, "incident2-notify-heading")) }
        p { (t(lang, "incident2-notify-intro")) }
        table {
            caption { (t(lang, "incident2-ways")) }
            tbody {
                @for w in Way::ALL {
                    tr { th scope="row" { (t(lang, w.label_id())) } td class="num" id={ "way-" (w.as_str()) } { (v.ways.get(&w).copied().unwrap_or(0)) } }
                }
            }
        }
        @for (n, c) in v.notices {
            p data-notice=(c.id) {
                (datetime(c.created_at)) " · " (c.template_key) " · "
                (t_args(lang, "incident-enquiries-n", &[("n", c.enquiry_count.to_string())])) " · "
                (t(lang, &format!("incident2-state-{}", c.state.as_str())))
                @if n.unconfirmed_asked { " · " (t(lang, "incident2-unconfirmed-asked")) }
                " · " a href={ "/console/c/" (c.id) } { (t(lang, "incident2-campaign-page")) }
            }
        }
        @if let Some((n, c)) = pending {
            h3 { (t(lang, "incident2-approve-heading")) }
            @if let Some(pinned) = campaigns::pinned(c) {
                details {
                    summary { (t(lang, "incident2-approve-text")) }
                    @for (tag, text) in &pinned.texts {
                        h4 lang=(tag) { (tag) }
                        p lang=(tag) { strong { (text.subject) } }
                        pre lang=(tag) class="template-body" { (text.body) }
                    }
                }
                form method="post" action={ "/console/incidents/" (r.id) "/notify/approve" } novalidate {
                    (csrf_field(&v.staff.csrf))
                    input type="hidden" name="campaign" value=(c.id);
                    input type="hidden" name="seen" value=(pinned.digest());
                    @if n.unconfirmed_asked {
                        div class="checkbox" {
                            input type="checkbox" id="approve-unconfirmed" name="unconfirmed" value="on";
                            label for="approve-unconfirmed" { (t(lang, "incident2-unconfirmed-approve")) }
                        }
                    }
                    button type="submit" { (t(lang, "incident2-approve-button")) }
                }
            }
        } @else if !closed {
            h3 { (t(lang, "incident2-prepare-heading")) }
            form method="post" action={ "/console/incidents/" (r.id) "/notify" } novalidate {
                (csrf_field(&v.staff.csrf))
                div class="field" {
                    label for="notify-template" { (t(lang, "incident2-template")) }
                    select id="notify-template" name="template" {
                        @for tpl in templates { option value=(tpl.key) selected[tpl.key == notify::TEMPLATE] { (tpl.name) } }
                    }
                }
                div class="checkbox" {
                    input type="checkbox" id="notify-unconfirmed" name="unconfirmed" value="on";
                    label for="notify-unconfirmed" { (t(lang, "incident2-unconfirmed-ask")) }
                }
                button type="submit" { (t(lang, "incident2-prepare-button")) }
            }
        }
        (stops(v))
        h2 id="actions" { (t(lang, "incident2-actions-heading")) }
        @if v.actions.is_empty() { p { (t(lang, "incident2-actions-none")) } }
        @else {
            table {
                thead { tr { th { (t(lang, "incident-col-time")) } th { (t(lang, "incident2-col-action")) } th { (t(lang, "incident-col-outcome")) } } }
                tbody { @for e in v.actions { tr data-action=(e.action) { td { (datetime(e.at)) } td { code { (e.action) } } td { (e.outcome) } } } }
            }
        }
    }
}
