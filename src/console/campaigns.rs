//! Bulk replies ("campaigns"): one template to many enquiries, sent as one message per
//! person, and only after a second supervisor approves.
//!
//! Creating a campaign fixes its enquiries (the approver approves exactly the list the
//! creator saw); approving expands it, in one transaction, into one reply and at most
//! one outbox row per enquiry, each rendered with that enquiry's own context and
//! checked by the exposure guard. The database refuses an approval by the creator.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, error_summary, flash_box, render};
use super::queues::Done;
use super::{Console, page, see_other};
use crate::audit::{Actor, AuditAction, Entry, Outcome};
use crate::auth::Staff;
use crate::casework::{ProgrammeRole, Status};
use crate::crypto::random_id;
use crate::domain::{Language, ProgrammeSlug};
use crate::enquiry::EnquiryContent;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::replies::{self, Draft};
use crate::store::{CampaignRecord, NewCampaign};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/campaigns")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .route("/c/{id}", web::get().to(show))
    .route("/c/{id}/approve", web::post().to(approve))
    .route("/c/{id}/cancel", web::post().to(cancel));
}

/// Most enquiries one campaign may address.
const MAX_CAMPAIGN: usize = 20_000;

#[derive(Deserialize, Default)]
pub struct CampaignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    template: String,
    #[serde(default)]
    queue: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    language: String,
}

fn list_page(
    staff: &Staff,
    live: &LiveProgramme,
    role: ProgrammeRole,
    campaigns: &[(CampaignRecord, crate::store::OutboxCounts)],
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
        @if role >= ProgrammeRole::Supervisor {
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
                    button type="submit" { (t(lang, "console-campaign-prepare")) }
                }
            }
        }
    }
}

/// A campaign's state for staff; the English words are the stored ones.
fn campaign_state(lang: Language, state: &str) -> String {
    match state {
        "pending" => t(lang, "console-campaign-state-pending"),
        "dispatched" => t(lang, "console-campaign-state-dispatched"),
        "cancelled" => t(lang, "console-campaign-state-cancelled"),
        other => other.to_owned(),
    }
}

async fn campaigns_with_counts(
    console: &Console,
    live: &LiveProgramme,
) -> Result<Vec<(CampaignRecord, crate::store::OutboxCounts)>, AppError> {
    let mut out = Vec::new();
    for c in console.store.campaigns_of(&live.id).await? {
        let counts = console.store.outbox_counts_for_campaign(&c.id).await?;
        out.push((c, counts));
    }
    Ok(out)
}

async fn list(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let campaigns = campaigns_with_counts(&console, &live).await?;
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(staff.lang, "console-campaigns-title"),
                staff: Some(&staff),
                lang: staff.lang,
            },
            list_page(
                &staff,
                &live,
                role,
                &campaigns,
                &CampaignForm::default(),
                &[],
            ),
        ),
    ))
}

async fn create(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    if role < ProgrammeRole::Supervisor {
        return Err(AppError::Forbidden);
    }
    let p = &live.programme;
    let lang = staff.lang;
    let mut errors: Vec<(&str, String)> = Vec::new();
    if p.template(&form.template).is_none() {
        errors.push(("template", t(lang, "console-campaign-error-template")));
    }
    if !form.queue.is_empty() && !p.file().queues.iter().any(|q| q.key == form.queue) {
        errors.push(("queue", t(lang, "console-campaign-error-queue")));
    }
    if !form.status.is_empty() && Status::parse(&form.status).is_none() {
        errors.push(("status", t(lang, "console-campaign-error-status")));
    }
    if !form.language.is_empty() && !p.languages().iter().any(|l| l.tag() == form.language) {
        errors.push(("language", t(lang, "console-campaign-error-language")));
    }
    let ids = if errors.is_empty() {
        let ids = console
            .store
            .campaign_selection(&live.id, &form.queue, &form.status, &form.language)
            .await?;
        if ids.is_empty() {
            errors.push(("queue", t(lang, "console-campaign-error-empty")));
        } else if ids.len() > MAX_CAMPAIGN {
            errors.push((
                "queue",
                t_args(
                    lang,
                    "console-campaign-error-too-many",
                    &[
                        ("n", ids.len().to_string()),
                        ("max", MAX_CAMPAIGN.to_string()),
                    ],
                ),
            ));
        }
        ids
    } else {
        Vec::new()
    };
    if !errors.is_empty() {
        let campaigns = campaigns_with_counts(&console, &live).await?;
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(
                &Shell {
                    title: &t(lang, "console-campaigns-title"),
                    staff: Some(&staff),
                    lang,
                },
                list_page(&staff, &live, role, &campaigns, &form, &errors),
            ),
        ));
    }
    let campaign = NewCampaign {
        id: random_id(),
        programme_id: live.id.clone(),
        template_key: form.template.clone(),
        filter_queue: form.queue.clone(),
        filter_status: form.status.clone(),
        filter_language: form.language.clone(),
        created_by: staff.id.clone(),
        enquiry_ids: ids,
    };
    let entry = Entry::new(&staff.actor(), AuditAction::CampaignCreate, &format!("campaign:{}", campaign.id))
        .detail(serde_json::json!({
            "programme": p.slug().as_str(),
            "template": campaign.template_key,
            "enquiries": campaign.enquiry_ids.len(),
            "queue": campaign.filter_queue, "status": campaign.filter_status, "language": campaign.filter_language,
        }));
    console.store.create_campaign(&campaign, &entry).await?;
    Ok(see_other(&format!(
        "/console/c/{}?done=campaign-created",
        campaign.id
    )))
}

/// The campaign, if it belongs to a programme the staff member has a role in.
async fn campaign_for(
    console: &Console,
    staff: &Staff,
    id: &str,
) -> Result<(CampaignRecord, std::sync::Arc<LiveProgramme>, ProgrammeRole), AppError> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let c = console
        .store
        .campaign(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = staff.role_in(&c.programme_id).ok_or(AppError::NotFound)?;
    let slug = console
        .store
        .programme_slug(&c.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = ProgrammeSlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let live = console
        .programmes
        .get(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((c, live, role))
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (c, live, role) = campaign_for(&console, &staff, &id).await?;
    let p = &live.programme;
    let ids = console.store.campaign_enquiry_ids(&c.id).await?;
    let counts = console.store.outbox_counts_for_campaign(&c.id).await?;
    // A preview for one real enquiry of the selection (audited: it decrypts one).
    let mut preview = None;
    if let Some(first) = ids.first()
        && let Some(record) = console.store.enquiry(first).await?
    {
        let opener = console.opener(&record.sealed.key_id).await?;
        let content = EnquiryContent::open(&opener, &record.sealed)?;
        console
            .store
            .record_audit(
                &Entry::new(
                    &staff.actor(),
                    AuditAction::CampaignPreview,
                    &format!("enquiry:{}", record.id),
                )
                .detail(serde_json::json!({ "campaign": c.id })),
            )
            .await?;
        preview = replies::from_template(
            &live,
            &c.template_key,
            &content,
            &super::replies::mail_settings(&console),
        );
    }
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let emailed = counts.total();
    let failed = if counts.failed > 0 {
        console.store.failed_of_campaign(&c.id).await?
    } else {
        Vec::new()
    };
    let in_flight = c.state == "dispatched" && counts.queued + counts.sending > 0;
    let supervisor = role >= ProgrammeRole::Supervisor;
    let mine = c.created_by == staff.id;
    let names: std::collections::BTreeMap<String, String> = console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let lang = staff.lang;
    let who = |id: &str| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| t(lang, "console-former-member"))
    };
    let any = |v: &str| {
        if v.is_empty() {
            t(lang, "console-any-lower")
        } else {
            v.to_owned()
        }
    };
    let markup = html! {
        (flash_box(lang, done.as_deref()))
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
                dt { @if c.state == "cancelled" { (t(lang, "console-campaign-cancelled")) } @else { (t(lang, "console-campaign-approved")) } } dd { (who(by)) ", " (datetime(at)) " UTC" }
            }
        }
        @if c.state == "dispatched" {
            h2 { (t(lang, "console-progress")) }
            p { (t(lang, "console-campaign-progress-intro")) }
            dl class="summary" id="campaign-progress" {
                dt { (t(lang, "console-emails")) } dd { (emailed) }
                dt { (t(lang, "console-waiting")) } dd id="progress-queued" { (counts.queued) }
                dt { (t(lang, "console-sending")) } dd id="progress-sending" { (counts.sending) }
                dt { (t(lang, "console-sent")) } dd id="progress-sent" { (counts.sent) }
                dt { (t(lang, "console-failed")) } dd id="progress-failed" { (counts.failed) }
            }
            @if in_flight {
                p class="hint" { (t(lang, "console-refreshes")) }
            }
            @if !failed.is_empty() {
                h3 { (t(lang, "console-campaign-failed-heading")) }
                p { (t(lang, "console-campaign-failed-intro")) }
                table {
                    thead { tr { th scope="col" { (t(lang, "console-enquiry-heading")) } th scope="col" { (t(lang, "console-error")) } } }
                    tbody {
                        @for (enquiry, error) in &failed {
                            tr {
                                td { a href={ "/console/e/" (enquiry) } { (t(lang, "console-open-link")) } }
                                td { (error.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(d) = &preview {
            h2 { (t(lang, "console-campaign-preview")) }
            div class="preview" {
                p { strong { (d.subject) } }
                p class="preserve" dir="auto" { (d.text) }
            }
        }
        @if c.state == "pending" {
            h2 { (t(lang, "console-decision")) }
            @if supervisor && !mine {
                form method="post" action={ "/console/c/" (c.id) "/approve" } class="inline" {
                    (csrf_field(&staff.csrf))
                    button type="submit" { (t_args(lang, "console-campaign-approve", &[("n", c.enquiry_count.to_string())])) }
                }
                " "
            } @else if mine {
                p { (t(lang, "console-campaign-other-supervisor")) }
            }
            @if supervisor {
                form method="post" action={ "/console/c/" (c.id) "/cancel" } class="inline" {
                    (csrf_field(&staff.csrf))
                    button type="submit" class="secondary" { (t(lang, "console-cancel")) }
                }
            }
        }
    };
    let mut res = page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(lang, "console-campaign-title"),
                staff: Some(&staff),
                lang,
            },
            markup,
        ),
    );
    if in_flight {
        // Live progress without JavaScript.
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("refresh"),
            actix_web::http::header::HeaderValue::from_static("5"),
        );
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (c, live, role) = campaign_for(&console, &staff, &id).await?;
    if role < ProgrammeRole::Supervisor || c.created_by == staff.id {
        console.store.record_audit(&Entry::new(&staff.actor(), AuditAction::CampaignApprove, &format!("campaign:{}", c.id))
                .outcome(Outcome::Denied)
                .detail(serde_json::json!({ "reason": if c.created_by == staff.id { "creator" } else { "role" } })),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    if c.state != "pending" {
        return Ok(see_other(&format!("/console/c/{}?done=conflict", c.id)));
    }
    let mail = super::replies::mail_settings(&console);
    let mut prepared = Vec::new();
    let mut refused = 0usize;
    let mut seen = BTreeSet::new();
    for enquiry_id in console.store.campaign_enquiry_ids(&c.id).await? {
        // One message per enquiry, whatever the list holds.
        if !seen.insert(enquiry_id.clone()) {
            continue;
        }
        let Some(record) = console.store.enquiry(&enquiry_id).await? else {
            continue; // purged since the campaign was prepared
        };
        let opener = console.opener(&record.sealed.key_id).await?;
        let content = EnquiryContent::open(&opener, &record.sealed)?;
        let Some(draft) = replies::from_template(&live, &c.template_key, &content, &mail) else {
            return Err(AppError::BadRequest);
        };
        let draft = Draft {
            template_key: Some(c.template_key.clone()),
            ..draft
        };
        match replies::prepare(
            &live,
            &record,
            &content,
            &draft,
            &staff.id,
            Some(&c.id),
            &mail,
        ) {
            Ok(p) => prepared.push(p),
            Err(replies::ReplyError::Crypto(e)) => return Err(e.into()),
            // The guard refused this one (e.g. an address typed into a name): it is
            // left out and counted, never sent.
            Err(_) => refused += 1,
        }
    }
    let emails = prepared.iter().filter(|p| p.outbox.is_some()).count();
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::CampaignApprove,
        &format!("campaign:{}", c.id),
    )
    .outcome(if refused > 0 {
        Outcome::Alert
    } else {
        Outcome::Ok
    })
    .detail(serde_json::json!({
        "replies": prepared.len(), "emails": emails, "refused_by_guard": refused,
        "created_by": Actor::staff(&c.created_by).to_string(),
    }));
    let done = console
        .store
        .dispatch_campaign(&c.id, &staff.id, &prepared, &entry)
        .await?;
    Ok(see_other(&format!(
        "/console/c/{}?done={}",
        c.id,
        if done { "dispatched" } else { "conflict" }
    )))
}

async fn cancel(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (c, _, role) = campaign_for(&console, &staff, &id).await?;
    if role < ProgrammeRole::Supervisor {
        return Err(AppError::Forbidden);
    }
    let done = console
        .store
        .cancel_campaign(
            &c.id,
            &staff.id,
            &Entry::new(
                &staff.actor(),
                AuditAction::CampaignCancel,
                &format!("campaign:{}", c.id),
            ),
        )
        .await?;
    Ok(see_other(&format!(
        "/console/c/{}?done={}",
        c.id,
        if done { "cancelled" } else { "conflict" }
    )))
}
