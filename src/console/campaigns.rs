//! Bulk replies ("campaigns") in the console: the list and the form that prepares one,
//! a campaign's page, and the approve and cancel buttons. What a campaign is, who may
//! decide it, and what approving it sends are `crate::campaigns`; this module parses
//! the requests and draws the pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, datetime, error_summary, flash_box, render};
use super::queues::Done;
use super::{Console, member, page, see_other};
use crate::auth::Staff;
use crate::campaigns::{self, Approval, CampaignError, CampaignState, PinnedText, Problem};
use crate::casework::{Action, ProgrammeRole, Refusal, Status, Subject, permit};
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::keyring::Read;
use crate::programme::live::LiveProgramme;
use crate::replies::Draft;
use crate::store::CampaignRecord;

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

impl From<CampaignError> for AppError {
    fn from(e: CampaignError) -> Self {
        match e {
            CampaignError::Refused(_) => AppError::Forbidden,
            CampaignError::Gate(e) => e.into(),
            CampaignError::Store(e) => e.into(),
            CampaignError::Crypto(e) => e.into(),
        }
    }
}

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
fn problem_text(lang: Language, problem: &Problem) -> String {
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
    let selection = campaigns::Selection {
        template: form.template.clone(),
        queue: form.queue.clone(),
        status: form.status.clone(),
        language: form.language.clone(),
    };
    match campaigns::prepare(&console.store, &live, member(&staff, role), &selection).await? {
        Ok(id) => Ok(see_other(&format!("/console/c/{id}?done=campaign-created"))),
        Err(problems) => {
            let lang = staff.lang;
            let errors: Vec<(&str, String)> = problems
                .iter()
                .map(|p| (p.field(), problem_text(lang, p)))
                .collect();
            let campaigns = campaigns_with_counts(&console, &live).await?;
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(
                    &Shell {
                        title: &t(lang, "console-campaigns-title"),
                        staff: Some(&staff),
                        lang,
                    },
                    list_page(&staff, &live, role, &campaigns, &form, &errors),
                ),
            ))
        }
    }
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
    let pinned = campaigns::pinned(&c);
    let changed = !pinned
        .as_ref()
        .is_some_and(|p| campaigns::template_unchanged(&live, &c, p));
    // A preview for one real enquiry of the selection, from the text the campaign
    // sends (a read, counted and audited by the keyring).
    let mut preview = None;
    if let Some(pinned) = &pinned
        && let Some(first) = console.store.campaign_enquiry_ids(&c.id).await?.first()
        && let Some(record) = console.store.enquiry(first).await?
    {
        let read = Read::new("campaign.preview").detail(serde_json::json!({ "campaign": c.id }));
        let content = console
            .keyring
            .open_enquiry(&super::reader(&staff), read, &record)
            .await?;
        preview = pinned.render(&live, &content, &super::replies::mail_settings(&console));
    }
    let counts = console.store.outbox_counts_for_campaign(&c.id).await?;
    let failed = if counts.failed > 0 {
        console.store.failed_of_campaign(&c.id).await?
    } else {
        Vec::new()
    };
    let names: std::collections::BTreeMap<String, String> = console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let view = CampaignView {
        staff: &staff,
        live: &live,
        role,
        c: &c,
        pinned: pinned.as_ref(),
        changed,
        preview: preview.as_ref(),
        counts: &counts,
        failed: &failed,
        names: &names,
        done: done.as_deref(),
    };
    let in_flight = c.state == CampaignState::Dispatched && counts.queued + counts.sending > 0;
    let mut res = page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(staff.lang, "console-campaign-title"),
                staff: Some(&staff),
                lang: staff.lang,
            },
            campaign_page(&view),
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

/// What a campaign's page shows.
struct CampaignView<'a> {
    staff: &'a Staff,
    live: &'a LiveProgramme,
    role: ProgrammeRole,
    c: &'a CampaignRecord,
    pinned: Option<&'a PinnedText>,
    /// The template no longer reads as pinned (or nothing was pinned): no approval.
    changed: bool,
    preview: Option<&'a Draft>,
    counts: &'a crate::store::OutboxCounts,
    failed: &'a [(String, Option<String>)],
    names: &'a std::collections::BTreeMap<String, String>,
    done: Option<&'a str>,
}

fn campaign_page(v: &CampaignView<'_>) -> Markup {
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
        @if let Some(pinned) = v.pinned {
            (pinned_texts(lang, pinned))
        }
        @if c.state == CampaignState::Pending {
            h2 { (t(lang, "console-decision")) }
            @if may(Action::ApproveCampaign) && !v.changed {
                @if let Some(pinned) = v.pinned {
                    form method="post" action={ "/console/c/" (c.id) "/approve" } class="inline" {
                        (csrf_field(&staff.csrf))
                        input type="hidden" name="seen" value=(pinned.digest());
                        button type="submit" { (t_args(lang, "console-campaign-approve", &[("n", c.enquiry_count.to_string())])) }
                    }
                    " "
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
    html! {
        h2 { (t(lang, "campaign-text-heading")) }
        p class="hint" { (t(lang, "campaign-text-intro")) }
        @for (tag, text) in &pinned.texts {
            @let l = Language::parse(tag).ok();
            div class="preview" lang=(tag) dir=(l.map_or("auto", |l| l.dir())) {
                h3 { (l.map_or(tag.as_str(), |l| l.endonym())) }
                p { strong { (text.subject) } }
                p class="preserve" { (text.body) }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    csrf: String,
    /// The digest of the text the page showed.
    #[serde(default)]
    seen: String,
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ApproveForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (c, live, role) = campaign_for(&console, &staff, &id).await?;
    let approval = campaigns::approve(
        &console.store,
        &console.keyring,
        &live,
        &c,
        member(&staff, role),
        &form.seen,
        &super::replies::mail_settings(&console),
    )
    .await?;
    let done = match approval {
        Approval::Dispatched => "dispatched",
        Approval::Conflict => "conflict",
        Approval::TextChanged => "campaign-changed",
    };
    Ok(see_other(&format!("/console/c/{}?done={done}", c.id)))
}

async fn cancel(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (c, _, role) = campaign_for(&console, &staff, &id).await?;
    let done = match campaigns::cancel(&console.store, &c, member(&staff, role)).await {
        Ok(true) => "cancelled",
        Ok(false) => "conflict",
        Err(CampaignError::Refused(Refusal::NeedsSupervisor)) => return Err(AppError::Forbidden),
        Err(e) => return Err(e.into()),
    };
    Ok(see_other(&format!("/console/c/{}?done={done}", c.id)))
}
