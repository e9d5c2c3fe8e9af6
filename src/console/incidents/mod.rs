//! Incident response in the console (issue 20): "who received it" (a campaign, a
//! template within a window, one reply, or an address with a stated reason). What a
//! list is and who may ask is `crate::incident`; this module parses the requests and
//! draws the pages. Everything here works with JavaScript off.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::pages::{Shell, render};
use super::{Console, member, page};
use crate::auth::Staff;
use crate::casework::{ProgrammeRole, Refusal};
use crate::domain::{EmailAddress, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::t;
use crate::incident::recipients::{Asker, In, LookupError};
use crate::incident::{self, Recipients, Source};
use crate::programme::live::LiveProgramme;
use crate::store::IncidentRecord;

mod notify;
mod pages;
mod records;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/incident/recipients")
            .route(web::get().to(recipients))
            .route(web::post().to(by_address)),
    )
    .configure(records::routes)
    .configure(notify::routes);
}

impl From<LookupError> for AppError {
    fn from(e: LookupError) -> Self {
        match e {
            LookupError::Refused(_) => AppError::Forbidden,
            LookupError::Limited => AppError::TooManyRequests,
            LookupError::NoReason => AppError::BadRequest,
            LookupError::NoIndexKey => AppError::Internal("no intake key".into()),
            LookupError::Gate(e) => e.into(),
            LookupError::Store(e) => e.into(),
        }
    }
}

/// A look-up as the page's forms send it (GET: campaign, template, reply).
#[derive(Deserialize, Default, Debug, Clone)]
pub struct LookupQuery {
    #[serde(default)]
    pub campaign: String,
    #[serde(default)]
    pub template: String,
    #[serde(default)]
    pub since: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub reply: String,
    /// A staff account's email: what it opened between `since` and `until`.
    #[serde(default)]
    pub account: String,
    /// Set: the enquiries that arrived between `since` and `until`.
    #[serde(default)]
    pub submitted: String,
    /// A key believed leaked: a programme key's id, or `master`.
    #[serde(default)]
    pub key: String,
}

/// A look-up by address: posted, so the address never sits in a URL or a log.
#[derive(Deserialize, Default)]
pub struct AddressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    reason: String,
}

fn hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The source a query names, or the problems with it (field, message id).
fn source_of(
    live: &LiveProgramme,
    q: &LookupQuery,
) -> Result<Option<Source>, Vec<(&'static str, &'static str)>> {
    let mut problems = Vec::new();
    let source = if !q.campaign.is_empty() {
        if !hex_id(&q.campaign) {
            problems.push(("campaign", "incident-problem-campaign"));
        }
        Some(Source::Campaign(q.campaign.clone()))
    } else if !q.template.is_empty() {
        if live.programme.template(&q.template).is_none() {
            problems.push(("template", "incident-problem-template"));
        }
        let time = |s: &str, field: &'static str, problems: &mut Vec<_>| {
            if s.trim().is_empty() {
                return None;
            }
            let parsed = incident::time::parse(s);
            if parsed.is_none() {
                problems.push((field, "incident-problem-time"));
            }
            parsed
        };
        let since = time(&q.since, "since", &mut problems);
        let until = time(&q.until, "until", &mut problems);
        if let (Some(a), Some(b)) = (since, until)
            && a >= b
        {
            problems.push(("until", "incident-problem-window"));
        }
        Some(Source::Template {
            key: q.template.clone(),
            since,
            until,
        })
    } else if !q.reply.is_empty() {
        if !hex_id(q.reply.trim()) {
            problems.push(("reply", "incident-problem-reply"));
        }
        Some(Source::Reply(q.reply.trim().to_owned()))
    } else if !q.key.is_empty() {
        let key = q.key.trim();
        if key == "master" {
            Some(Source::SealedUnder(None))
        } else {
            if !hex_id(key) {
                problems.push(("key", "incident2-problem-key"));
            }
            Some(Source::SealedUnder(Some(key.to_owned())))
        }
    } else if !q.account.is_empty() || !q.submitted.is_empty() {
        let window = (
            incident::time::parse(&q.since),
            incident::time::parse(&q.until),
        );
        match window {
            (Some(since), Some(until)) if since < until => Some(if q.account.is_empty() {
                Source::Submitted { since, until }
            } else {
                Source::OpenedBy {
                    account: q.account.trim().to_owned(),
                    since,
                    until,
                }
            }),
            (Some(_), Some(_)) => {
                problems.push(("until", "incident-problem-window"));
                None
            }
            _ => {
                problems.push(("since", "incident-problem-time"));
                None
            }
        }
    } else {
        None
    };
    if problems.is_empty() {
        Ok(source)
    } else {
        Err(problems)
    }
}

/// Supervisors and admins only; agents are refused before anything is read.
fn may_look_up(staff: &Staff, role: ProgrammeRole) -> Result<(), AppError> {
    crate::casework::permit(
        member(staff, role),
        crate::casework::Action::Incident,
        crate::casework::Subject::Programme,
    )
    .map_err(|_: Refusal| AppError::Forbidden)
}

async fn run(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
    role: ProgrammeRole,
    source: &Source,
) -> Result<Recipients, AppError> {
    Ok(incident::look_up(
        &console.store,
        Some(&console.keyring),
        Asker::Staff(member(staff, role)),
        In {
            programme_id: &live.id,
            slug: live.programme.slug().as_str(),
        },
        source,
    )
    .await?)
}

fn show(staff: &Staff, status: StatusCode, view: &pages::RecipientsView<'_>) -> HttpResponse {
    page(
        status,
        render(
            &Shell {
                title: &t(staff.lang, "incident-recipients-title"),
                staff: Some(staff),
                lang: staff.lang,
            },
            pages::recipients_page(view),
        ),
    )
}

async fn recipients(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let query = web::Query::<LookupQuery>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    if let Err(e) = may_look_up(&staff, role) {
        // Refused and audited as such (an agent trying is worth knowing about).
        if let Ok(Some(source)) = source_of(&live, &query) {
            let _ = run(&console, &staff, &live, role, &source).await;
        }
        return Err(e);
    }
    let campaigns = console.store.campaigns_of(&live.id).await?;
    let mut view = pages::RecipientsView {
        staff: &staff,
        live: &live,
        campaigns: &campaigns,
        query: &query,
        reason: "",
        errors: Vec::new(),
        list: None,
        by_address: false,
        address: None,
    };
    let list;
    match source_of(&live, &query) {
        Ok(None) => {}
        Ok(Some(source)) => {
            list = run(&console, &staff, &live, role, &source).await?;
            view.list = Some(&list);
        }
        Err(problems) => {
            view.errors = problems
                .into_iter()
                .map(|(f, id)| (f, t(staff.lang, id)))
                .collect();
            return Ok(show(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
        }
    }
    Ok(show(&staff, StatusCode::OK, &view))
}

async fn by_address(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<AddressForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let email = EmailAddress::parse(form.address.trim());
    let reason = form.reason.trim();
    if let Err(e) = may_look_up(&staff, role) {
        if let Ok(email) = email {
            let source = Source::Address {
                email,
                reason: reason.to_owned(),
            };
            let _ = run(&console, &staff, &live, role, &source).await;
        }
        return Err(e);
    }
    let campaigns = console.store.campaigns_of(&live.id).await?;
    let query = LookupQuery::default();
    let mut view = pages::RecipientsView {
        staff: &staff,
        live: &live,
        campaigns: &campaigns,
        query: &query,
        reason,
        errors: Vec::new(),
        list: None,
        by_address: true,
        address: None,
    };
    if email.is_err() {
        view.errors
            .push(("address", t(staff.lang, "incident-problem-address")));
    }
    if reason.is_empty() || reason.chars().count() > incident::recipients::MAX_REASON {
        view.errors
            .push(("reason", t(staff.lang, "incident-problem-reason")));
    }
    let Ok(email) = email else {
        return Ok(show(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
    };
    if !view.errors.is_empty() {
        return Ok(show(&staff, StatusCode::UNPROCESSABLE_ENTITY, &view));
    }
    let typed = form.address.trim().to_owned();
    let source = Source::Address {
        email,
        reason: reason.to_owned(),
    };
    let list = run(&console, &staff, &live, role, &source).await?;
    view.list = Some(&list);
    view.address = Some(&typed);
    Ok(show(&staff, StatusCode::OK, &view))
}

/// The incident, if it belongs to a programme the staff member may keep incidents in
/// (any other: 404; an agent of its programme: 403).
pub(super) async fn incident_for(
    console: &Console,
    staff: &crate::auth::Staff,
    id: &str,
) -> Result<
    (
        IncidentRecord,
        std::sync::Arc<LiveProgramme>,
        crate::casework::ProgrammeRole,
    ),
    AppError,
> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let record = console
        .store
        .incident(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = staff
        .role_in(&record.programme_id)
        .ok_or(AppError::NotFound)?;
    let slug = console
        .store
        .programme_slug(&record.programme_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let slug = ProgrammeSlug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let (live, role2) = console.programme_for(staff, slug.as_str()).await?;
    debug_assert_eq!(role, role2);
    may_look_up(staff, role)?;
    Ok((record, live, role))
}
