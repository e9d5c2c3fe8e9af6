//! Referring an enquiry to a partner organisation, approving referrals, the one-time
//! download, the partners of a programme and its disclosure register: the handlers.
//!
//! Each parses the request, calls one function of `crate::referrals::workflow` (which
//! decides, opens the enquiry through the keyring and audits), and renders a page from
//! `pages`. The agent sees exactly what would leave (and what is withheld) before
//! asking; a profile with personal data waits for a supervisor other than the
//! requester, and is refused outright for an enquiry whose sender did not consent.

mod pages;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;
use serde::Deserialize;

use super::pages::{Shell, render};
use super::queues::Done;
use super::{Console, member, page, see_other};
use crate::audit::AuditAction;
use crate::auth::Staff;
use crate::casework::{Action, Case, ProgrammeRole, Refusal, Subject, permit};
use crate::domain::ProgrammeSlug;
use crate::error::AppError;
use crate::i18n::t;
use crate::keyring::Read;
use crate::programme::live::LiveProgramme;
use crate::referrals::workflow::{self, FlowError};
use crate::referrals::{Approved, Downloaded, ReferralError, RequestProblem, Requested};
use crate::store::{EnquiryRecord, OutboxState, ReferralRecord};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/e/{id}/refer")
            .route(web::get().to(refer_form))
            .route(web::post().to(refer)),
    )
    .route("/r/{id}", web::get().to(show))
    .route("/r/{id}/approve", web::post().to(approve))
    .route("/r/{id}/cancel", web::post().to(cancel))
    .route("/r/{id}/download", web::post().to(download))
    .route("/p/{slug}/partners", web::get().to(partners))
    .route("/p/{slug}/disclosures", web::get().to(register));
}

impl From<FlowError> for AppError {
    fn from(e: FlowError) -> Self {
        match e {
            FlowError::Refused(_) => AppError::Forbidden,
            FlowError::NoSuchPartner => AppError::BadRequest,
            FlowError::Gate(e) => e.into(),
            FlowError::Store(e) => e.into(),
            FlowError::Referral(ReferralError::Crypto(c)) => AppError::Crypto(c),
            FlowError::Referral(other) => AppError::Internal(other.to_string()),
        }
    }
}

fn case(record: &EnquiryRecord) -> Case<'_> {
    Case {
        status: record.status,
        assigned_to: record.assigned_to.as_deref(),
    }
}

fn is_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

fn shell(staff: &Staff, title_id: &str, status: StatusCode, markup: Markup) -> HttpResponse {
    page(
        status,
        render(
            &Shell {
                title: &t(staff.lang, title_id),
                staff: Some(staff),
                lang: staff.lang,
            },
            markup,
        ),
    )
}

#[derive(Deserialize, Default)]
pub struct ReferQuery {
    #[serde(default)]
    partner: String,
}

#[derive(Deserialize, Default)]
pub struct ReferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    basis: String,
    #[serde(default)]
    delivery: String,
}

async fn refer_form(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Reply,
        Subject::Enquiry(case(&record)),
    )
    .map_err(|_| AppError::Forbidden)?;
    let p = &live.programme;
    if p.file().partners.is_empty() {
        return Err(AppError::NotFound);
    }
    let query = web::Query::<ReferQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let partner = p.partner(&query.partner);
    // Seeing the values that would leave (or only the reference code) is a read.
    let read = Read::new(AuditAction::ReferralPreview)
        .detail(serde_json::json!({ "partner": partner.map(|x| x.key.as_str()) }));
    let content = console
        .keyring
        .open_enquiry(&staff.actor(), read, &record)
        .await?;
    let sent_with = crate::referrals::form_sent_with(&console.store, &live, &record).await?;
    let view = pages::ReferPage {
        staff: &staff,
        live: &live,
        record: &record,
        content: &content,
        sent_with: sent_with.as_ref(),
        partner,
        typed: &ReferForm::default(),
        errors: &[],
    };
    Ok(shell(
        &staff,
        "console-referral-refer-title",
        StatusCode::OK,
        pages::refer_page(&view),
    ))
}

async fn refer(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<ReferForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (record, live, role) = console.enquiry_for(&staff, &id).await?;
    permit(
        member(&staff, role),
        Action::Reply,
        Subject::Enquiry(case(&record)),
    )
    .map_err(|_| AppError::Forbidden)?;
    let requested = workflow::request(
        &console.store,
        &console.keyring,
        &live,
        &record,
        member(&staff, role),
        &form.partner,
        &form.basis,
        &form.delivery,
        &super::replies::mail_settings(&console),
    )
    .await?;
    let (content, sent_with, problems) = match requested {
        Requested::Made { id, state } => {
            return Ok(see_other(&format!("/console/r/{id}?done=referral-{state}")));
        }
        Requested::Refused {
            content,
            sent_with,
            problems,
        } => (content, sent_with, problems),
    };
    let lang = staff.lang;
    let errors: Vec<(&str, String)> = problems
        .iter()
        .map(|p| match p {
            RequestProblem::Basis => ("basis", t(lang, "console-referral-error-basis")),
            RequestProblem::Delivery => ("delivery", t(lang, "console-referral-error-delivery")),
            RequestProblem::NoConsent => (
                "partner-choice",
                t(lang, "console-referral-error-no-consent"),
            ),
        })
        .collect();
    // The form comes back with the preview's values (the read was audited).
    let view = pages::ReferPage {
        staff: &staff,
        live: &live,
        record: &record,
        content: &content,
        sent_with: sent_with.as_deref(),
        partner: live.programme.partner(&form.partner),
        typed: &form,
        errors: &errors,
    };
    Ok(shell(
        &staff,
        "console-referral-refer-title",
        StatusCode::UNPROCESSABLE_ENTITY,
        pages::refer_page(&view),
    ))
}

/// The referral, if it belongs to a programme the staff member has a role in.
async fn referral_for(
    console: &Console,
    staff: &Staff,
    id: &str,
) -> Result<(ReferralRecord, Arc<LiveProgramme>, ProgrammeRole), AppError> {
    if !is_id(id) {
        return Err(AppError::NotFound);
    }
    let r = console
        .store
        .referral(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = staff.role_in(&r.programme_id).ok_or(AppError::NotFound)?;
    let slug = console
        .store
        .programme_slug(&r.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = ProgrammeSlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let live = console
        .programmes
        .get(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r, live, role))
}

async fn names(console: &Console) -> Result<BTreeMap<String, String>, AppError> {
    Ok(console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (r, live, role) = referral_for(&console, &staff, &id).await?;
    let who = member(&staff, role);
    let mut deliveries = console.store.referral_deliveries(&r.programme_id).await?;
    let mut rows = [r];
    if workflow::stop_moved(&console.store, &live, who, &mut rows, &deliveries).await? {
        deliveries = console.store.referral_deliveries(&live.id).await?;
    }
    let [r] = rows;
    // The approver approves what they see: the values, decrypted (and audited).
    let preview =
        workflow::approval_preview(&console.store, &console.keyring, &live, &r, who).await?;
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let view = pages::ReferralView {
        staff: &staff,
        live: &live,
        role,
        r: &r,
        deliveries: &deliveries,
        preview: preview.as_ref(),
        names: &names(&console).await?,
        done: done.as_deref(),
    };
    Ok(shell(
        &staff,
        "console-referral-page-title",
        StatusCode::OK,
        pages::referral_page(&view),
    ))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

fn back(r: &ReferralRecord, done: &str) -> HttpResponse {
    see_other(&format!("/console/r/{}?done={done}", r.id))
}

fn stopped(done: bool) -> &'static str {
    if done { "referral-stopped" } else { "conflict" }
}

async fn approve(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, live, role) = referral_for(&console, &staff, &id).await?;
    let mail = super::replies::mail_settings(&console);
    let who = member(&staff, role);
    let approved =
        workflow::approve(&console.store, &console.keyring, &live, &r, who, &mail).await?;
    Ok(back(
        &r,
        match approved {
            Approved::Approved => "referral-approved",
            Approved::Stopped(done) => stopped(done),
            Approved::Conflict => "conflict",
        },
    ))
}

async fn cancel(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, _, role) = referral_for(&console, &staff, &id).await?;
    let done = workflow::cancel(&console.store, &r, member(&staff, role)).await?;
    Ok(back(
        &r,
        if done {
            "referral-cancelled"
        } else {
            "conflict"
        },
    ))
}

async fn download(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (r, live, role) = referral_for(&console, &staff, &id).await?;
    let who = member(&staff, role);
    match workflow::download(&console.store, &console.keyring, &live, &r, who).await {
        Ok(Downloaded::Package(package)) => Ok(HttpResponse::Ok()
            .content_type("application/octet-stream")
            .insert_header((
                "Content-Disposition",
                format!(
                    "attachment; filename=\"{}\"",
                    crate::referrals::file_name(&r.id)
                ),
            ))
            .body(package)),
        Ok(Downloaded::Stopped(done)) => Ok(back(&r, stopped(done))),
        Ok(Downloaded::Conflict) => Ok(back(&r, "conflict")),
        Err(FlowError::Refused(Refusal::NotRequester)) => Err(AppError::Forbidden),
        Err(e) => Err(e.into()),
    }
}

async fn partners(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    Ok(shell(
        &staff,
        "console-partners-link",
        StatusCode::OK,
        pages::partners_page(&staff, &live, role),
    ))
}

/// The referrals section of an enquiry page (`rows`: the enquiry's referrals); those
/// whose partner moved are stopped as they are shown.
pub async fn section(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    role: ProgrammeRole,
    record: &EnquiryRecord,
    rows: &[ReferralRecord],
    may_refer: bool,
) -> Result<Markup, AppError> {
    if live.programme.file().partners.is_empty() && rows.is_empty() {
        return Ok(maud::html! {});
    }
    let mut deliveries: HashMap<String, OutboxState> = if rows.iter().any(|r| r.outbox_id.is_some())
    {
        console.store.referral_deliveries(&live.id).await?
    } else {
        HashMap::new()
    };
    let mut rows = rows.to_vec();
    let who = member(staff, role);
    if workflow::stop_moved(&console.store, live, who, &mut rows, &deliveries).await?
        && !deliveries.is_empty()
    {
        deliveries = console.store.referral_deliveries(&live.id).await?;
    }
    Ok(pages::section_markup(
        staff,
        live,
        record,
        &rows,
        &deliveries,
        &names(console).await?,
        may_refer,
    ))
}

async fn register(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    permit(
        member(&staff, role),
        Action::SeeRegister,
        Subject::Programme,
    )
    .map_err(|_| AppError::Forbidden)?;
    let rows = console.store.referrals_of_programme(&live.id).await?;
    let deliveries = console.store.referral_deliveries(&live.id).await?;
    Ok(shell(
        &staff,
        "console-register-title",
        StatusCode::OK,
        pages::register_page(&staff, &live, &rows, &deliveries, &names(&console).await?),
    ))
}
