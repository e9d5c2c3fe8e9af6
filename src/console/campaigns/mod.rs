//! Bulk replies ("campaigns") in the console: the list and the form that prepares one,
//! a campaign's page, and the approve and cancel buttons. What a campaign is, who may
//! decide it, and what approving it sends are `crate::campaigns`; this module parses
//! the requests and draws the pages.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pages::{Shell, render};
use super::queues::Done;
use super::{Console, member, page, see_other};
use crate::auth::Staff;
use crate::campaign_review::{self, Reviewed};
use crate::campaigns::{self, Approval, CampaignError, CampaignState};
use crate::casework::{ProgrammeRole, Refusal};
use crate::console::admin::{reauth_message, reauthenticate_for};
use crate::domain::ProgrammeSlug;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::live::LiveProgramme;
use crate::store::CampaignRecord;

mod pages;
mod review;
mod review_page;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/campaigns")
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .route("/c/{id}", web::get().to(show))
    .route("/c/{id}/approve", web::post().to(approve))
    .route(
        "/c/{id}/recipients.csv",
        web::get().to(review::recipients_csv),
    )
    .route("/c/{id}/cancel", web::post().to(cancel))
    .route("/c/{id}/pause", web::post().to(pause))
    .route("/c/{id}/resume", web::post().to(resume))
    .route("/c/{id}/stop", web::post().to(stop));
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
            pages::list_page(
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
                .map(|p| (p.field(), pages::problem_text(lang, p)))
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
                    pages::list_page(&staff, &live, role, &campaigns, &form, &errors),
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
    campaign_response(&console, &req, &staff, &id, None).await
}

/// The campaign's page; `problem`: why an approval just failed (shown at the password
/// field, answered 422).
async fn campaign_response(
    console: &Console,
    req: &HttpRequest,
    staff: &Staff,
    id: &str,
    problem: Option<String>,
) -> Result<HttpResponse, AppError> {
    let (c, live, role) = campaign_for(console, staff, id).await?;
    let pinned = campaigns::pinned(&c);
    let changed = !pinned
        .as_ref()
        .is_some_and(|p| campaigns::template_unchanged(&live, &c, p));
    let (opened, preview) = review::opened_and_preview(console, staff, &live, &c, role).await?;
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
    let hold = hold_of(console, staff, &c.id).await?;
    let view = pages::CampaignView {
        staff,
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
        hold,
        review: opened.as_ref().map(|o| &o.review),
        problem: problem.as_deref(),
    };
    let in_flight = c.state == CampaignState::Dispatched && counts.queued + counts.sending > 0;
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut res = page(
        status,
        render(
            &Shell {
                title: &t(staff.lang, "console-campaign-title"),
                staff: Some(staff),
                lang: staff.lang,
            },
            pages::campaign_page(&view),
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

/// A stop on the campaign, said for the page (and whether it is for good).
async fn hold_of(
    console: &Console,
    staff: &Staff,
    campaign: &str,
) -> Result<Option<(String, bool)>, AppError> {
    let scope = crate::store::HoldScope::Campaign(campaign.to_owned());
    let Some(h) = console.store.hold(&scope).await? else {
        return Ok(None);
    };
    let key = if h.is_cancelled() {
        "mail-stop-cancelled"
    } else {
        "mail-stop-paused"
    };
    let said = super::outbound::describe(console, staff, &h, key).await?;
    Ok(Some((said, h.is_cancelled())))
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
    /// The approver's own password, typed again.
    #[serde(default)]
    password: String,
    /// "yes": recipients in a language the template lacks get the default's text.
    #[serde(default)]
    fallback: String,
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ApproveForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (c, live, role) = campaign_for(&console, &staff, &id).await?;
    let lang = staff.lang;
    let proof = match reauthenticate_for(&console, &req, &staff, &form.password).await? {
        Ok(proof) => proof,
        Err(outcome) => {
            let said = reauth_message(lang, outcome, "review-password-wrong");
            return campaign_response(&console, &req, &staff, &id, Some(said)).await;
        }
    };
    let reviewed = campaign_review::approve_reviewed(
        &console.store,
        &console.keyring,
        &live,
        &c,
        member(&staff, role),
        &proof,
        &form.seen,
        form.fallback == "yes",
        &super::replies::mail_settings(&console),
    )
    .await?;
    let done = match reviewed {
        Reviewed::Approval(Approval::Dispatched) => "dispatched",
        Reviewed::Approval(Approval::Conflict) => "conflict",
        Reviewed::Approval(Approval::TextChanged) => "campaign-changed",
        Reviewed::NeedsLanguageChoice => {
            let said = t(lang, "review-language-choice-needed");
            return campaign_response(&console, &req, &staff, &id, Some(said)).await;
        }
        Reviewed::OverCap { n, max } => {
            let args = [("n", n.to_string()), ("max", max.to_string())];
            let said = t_args(lang, "review-over-cap", &args);
            return campaign_response(&console, &req, &staff, &id, Some(said)).await;
        }
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

/// Pause, resume or stop a dispatched campaign (a supervisor, with a reason).
async fn stop_campaign(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<super::outbound::StopForm>,
    what: campaigns::Stop,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, form.csrf()).await?;
    let (c, _, role) = campaign_for(&console, &staff, &id).await?;
    // Who and why, for each of the three (issue 19 item 5).
    if form.reason().trim().is_empty() {
        let said = t(staff.lang, "mail-stop-reason-missing");
        return campaign_response(&console, &req, &staff, &id, Some(said)).await;
    }
    // Resuming sends again: a supervisor who may resume types their password.
    let may = crate::casework::permit(
        member(&staff, role),
        crate::casework::Action::StopCampaign,
        campaigns::subject(&c),
    );
    if what == campaigns::Stop::Resume
        && may.is_ok()
        && let Err(outcome) = reauthenticate_for(&console, &req, &staff, form.password()).await?
    {
        let said = reauth_message(staff.lang, outcome, "review-password-wrong");
        return campaign_response(&console, &req, &staff, &id, Some(said)).await;
    }
    match campaigns::stop(
        &console.store,
        &c,
        member(&staff, role),
        what,
        form.reason(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/console/c/{}", c.id))),
        Err(CampaignError::Refused(Refusal::NeedsSupervisor)) => Err(AppError::Forbidden),
        Err(e) => Err(e.into()),
    }
}

async fn pause(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<super::outbound::StopForm>,
) -> Result<HttpResponse, AppError> {
    stop_campaign(console, req, id, form, campaigns::Stop::Pause).await
}

async fn resume(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<super::outbound::StopForm>,
) -> Result<HttpResponse, AppError> {
    stop_campaign(console, req, id, form, campaigns::Stop::Resume).await
}

async fn stop(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<super::outbound::StopForm>,
) -> Result<HttpResponse, AppError> {
    stop_campaign(console, req, id, form, campaigns::Stop::Cancel).await
}
