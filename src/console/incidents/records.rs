//! Incident records in the console: the programme's list with the form that opens a
//! blank one, opening one from a recipients list, an incident's page (its words
//! opened through the keyring's gate, the clock to the 72-hour deadline, the affected
//! set), its changes and the extension of its affected set.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::pages::{self as incident_pages};
use super::{LookupQuery, incident_for, may_look_up, run, source_of};
use crate::console::pages::{Shell, render};
use crate::console::{Console, member, page, see_other};
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::i18n::t;
use crate::incident::record::{self, Change, IncidentError, Words};
use crate::incident::{Recipients, Source};
use crate::programme::live::LiveProgramme;
use crate::store::now;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/incidents")
            .route(web::get().to(list))
            .route(web::post().to(open)),
    )
    .service(
        web::resource("/incidents/{id}")
            .route(web::get().to(show))
            .route(web::post().to(update)),
    )
    .route("/incidents/{id}/extend", web::post().to(extend))
    .route("/incidents/{id}/report", web::get().to(report));
}

impl From<IncidentError> for AppError {
    fn from(e: IncidentError) -> Self {
        match e {
            IncidentError::Refused(_) => AppError::Forbidden,
            IncidentError::Closed => AppError::BadRequest,
            IncidentError::Gate(e) => e.into(),
            IncidentError::Store(e) => e.into(),
            IncidentError::Crypto(e) => e.into(),
        }
    }
}

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

/// The look-up a posted form names (the same fields as the recipients page's), with
/// the word the incident records as its source.
fn posted_source(
    live: &LiveProgramme,
    f: &Fields,
) -> Result<Option<(&'static str, Source)>, AppError> {
    if !field(f, "address").is_empty() {
        let email =
            EmailAddress::parse(field(f, "address").trim()).map_err(|_| AppError::BadRequest)?;
        return Ok(Some((
            "address",
            Source::Address {
                email,
                reason: field(f, "reason").trim().to_owned(),
            },
        )));
    }
    let q = LookupQuery {
        campaign: field(f, "campaign").to_owned(),
        template: field(f, "template").to_owned(),
        since: field(f, "since").to_owned(),
        until: field(f, "until").to_owned(),
        reply: field(f, "reply").to_owned(),
        account: field(f, "account").to_owned(),
        submitted: field(f, "submitted").to_owned(),
        key: field(f, "key").to_owned(),
    };
    Ok(
        match source_of(live, &q).map_err(|_| AppError::BadRequest)? {
            None => None,
            Some(s @ Source::Campaign(_)) => Some(("campaign", s)),
            Some(s @ Source::Template { .. }) => Some(("template", s)),
            Some(s @ Source::Reply(_)) => Some(("reply", s)),
            Some(s @ Source::Address { .. }) => Some(("address", s)),
            Some(s @ Source::OpenedBy { .. }) => Some(("opened", s)),
            Some(s @ Source::Submitted { .. }) => Some(("submitted", s)),
            Some(s @ Source::SealedUnder(_)) => Some(("key", s)),
        },
    )
}

/// What the form sets; the discovery time defaults to now.
fn change_of(f: &Fields) -> Result<Change, AppError> {
    let discovered = field(f, "discovered");
    let discovered_at = if discovered.trim().is_empty() {
        now()
    } else {
        crate::incident::time::parse(discovered).ok_or(AppError::BadRequest)?
    };
    let or = |name: &str, default: &str| {
        let v = field(f, name);
        if v.is_empty() {
            default.to_owned()
        } else {
            v.to_owned()
        }
    };
    let change = Change {
        discovered_at,
        categories: record::CATEGORIES
            .iter()
            .filter(|c| !field(f, &format!("category-{c}")).is_empty())
            .map(|c| (*c).to_owned())
            .collect(),
        likelihood: or("likelihood", "unknown"),
        severity: or("severity", "unknown"),
        reporting: or("reporting", "undecided"),
        close: !field(f, "close").is_empty(),
        words: Words {
            what_happened: field(f, "what_happened").trim().to_owned(),
            harm_reasons: field(f, "harm_reasons").trim().to_owned(),
            actions: field(f, "actions").trim().to_owned(),
            reporting_reasons: field(f, "reporting_reasons").trim().to_owned(),
        },
    };
    if change.problems(now()).is_empty() {
        Ok(change)
    } else {
        Err(AppError::BadRequest)
    }
}

async fn list(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    may_look_up(&staff, role)?;
    let incidents = console.store.incidents_of(&live.id).await?;
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(staff.lang, "incident-list-heading"),
                staff: Some(&staff),
                lang: staff.lang,
            },
            incident_pages::incidents_page(&staff, &live, &incidents, now()),
        ),
    ))
}

async fn open(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    may_look_up(&staff, role)?;
    let change = change_of(&f)?;
    // The affected set is the list as it is now, looked up again (and audited again).
    let (source, list) = match posted_source(&live, &f)? {
        None => ("blank", None),
        Some((word, source)) => (
            word,
            Some(run(&console, &staff, &live, role, &source).await?),
        ),
    };
    let id = record::open(
        &console.store,
        &live.sealer,
        &live.id,
        member(&staff, role),
        source,
        list.as_ref(),
        &change,
    )
    .await?;
    Ok(see_other(&format!("/console/incidents/{id}")))
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let words = record::read(&console.keyring, member(&staff, role), &record).await?;
    let affected = console.store.incident_enquiries(&record.id).await?;
    let campaigns = console.store.campaigns_of(&live.id).await?;
    let done = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("done").cloned());
    let (notices, ways, actions) = super::notify::load(&console, &record).await?;
    let extra = super::notify::section(&super::notify::Section {
        staff: &staff,
        record: &record,
        live: &live,
        notices: &notices,
        ways: &ways,
        campaigns: &campaigns,
        actions: &actions,
    });
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &t(staff.lang, "incident-title"),
                staff: Some(&staff),
                lang: staff.lang,
            },
            incident_pages::incident_page(&incident_pages::IncidentView {
                staff: &staff,
                live: &live,
                record: &record,
                words: &words,
                affected: &affected,
                campaigns: &campaigns,
                at: now(),
                done: done.as_deref(),
                extra,
            }),
        ),
    ))
}

async fn update(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let change = change_of(&f)?;
    // What changed is judged against the words as stored (a read, audited).
    let before = record::read(&console.keyring, member(&staff, role), &record).await?;
    let done = record::update(
        &console.store,
        &live.sealer,
        member(&staff, role),
        &record,
        &before,
        &change,
    )
    .await;
    back_to(&record.id, done.map(|()| "saved"))
}

/// Back to the incident after a change: what was done, or that it was closed first.
fn back_to(id: &str, done: Result<&str, IncidentError>) -> Result<HttpResponse, AppError> {
    let done = match done {
        Ok(word) => word,
        Err(IncidentError::Closed) => "closed",
        Err(e) => return Err(e.into()),
    };
    Ok(see_other(&format!("/console/incidents/{id}?done={done}")))
}

async fn extend(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<Fields>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let staff = console.staff_posting(&req, field(&f, "csrf")).await?;
    let (record, live, role) = incident_for(&console, &staff, &id).await?;
    let Some((word, source)) = posted_source(&live, &f)? else {
        return Err(AppError::BadRequest);
    };
    let list: Recipients = run(&console, &staff, &live, role, &source).await?;
    let done = record::extend(&console.store, member(&staff, role), &record, word, &list).await;
    back_to(&record.id, done.map(|_| "extended"))
}

/// The report for the regulator, as a Markdown download.
async fn report(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (record, _live, role) = incident_for(&console, &staff, &id).await?;
    let text = crate::incident::report::report(
        &console.store,
        &console.keyring,
        crate::incident::report::Reader::Staff(member(&staff, role)),
        &record.id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"incident-{}.md\"", record.id),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(text))
}
