//! Taking an enquiry by phone (issue 22, item 1): `/console/p/{slug}/new`, for every
//! member of the programme (`casework::permit`, `Action::PhoneIntake`). The agent
//! fills the programme's form in the caller's language while talking; the checks,
//! routing and sealing are the public form's (`intake::phone`), with no public rate
//! limit (the agent is signed in; the console's own limits apply). The enquiry and the
//! audit entry naming who entered it commit together. The receipt is built for reading
//! aloud (`page`) and is never cached; its codes travel only sealed (`held`), in the
//! body of its "Done" form, which the server refuses until "read back" is ticked.

pub mod held;
mod page;

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{Console, member, see_other};
use crate::audit::{AuditAction, Entry};
use crate::auth::{Staff, check_csrf};
use crate::casework::{Action, Subject, permit};
use crate::domain::Language;
use crate::error::AppError;
use crate::intake::form::{CSRF, FieldError, LANG, RawForm, SWITCH_LANG};
use crate::intake::phone;
use crate::programme::live::LiveProgramme;
use crate::programme::{Programme, ProgrammeStatus};
use crate::store::now;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/p/{slug}/new")
            .route(web::get().to(show))
            .route(web::post().to(submit)),
    )
    .route("/p/{slug}/new/done", web::post().to(done));
}

/// The console home's link to take a call (open programmes only: the others take none).
pub fn link(lang: Language, p: &Programme) -> maud::Markup {
    maud::html! {
        @if p.status() == ProgrammeStatus::Open {
            p class="phone-link" {
                a href={ "/console/p/" (p.slug()) "/new" } { (crate::i18n::t(lang, "phone-link")) }
            }
        }
    }
}

/// What a phone intake recorded about the call, on the enquiry page (nothing for an
/// enquiry that did not come by phone). `name_of` names a staff account.
pub fn call_section(
    lang: Language,
    call: Option<&crate::enquiry::CallDetails>,
    name_of: &dyn Fn(&str) -> String,
) -> maud::Markup {
    use crate::i18n::t;
    maud::html! {
        @if let Some(call) = call {
            h2 { (t(lang, "phone-call-heading")) }
            dl class="summary call" {
                dt { (t(lang, "phone-call-safe")) }
                dd { (t(lang, if call.safe_to_talk { "console-yes" } else { "console-no" })) }
                dt { (t(lang, "phone-call-back")) }
                dd dir="auto" { (call.call_back) }
                dt { (t(lang, "phone-entered-by")) }
                dd { (name_of(&call.entered_by)) }
            }
        }
    }
}

/// An open programme the staff member may take calls for; anything else is "not found".
async fn phone_programme(
    console: &Console,
    staff: &Staff,
    slug: &str,
) -> Result<Arc<LiveProgramme>, AppError> {
    let (live, role) = console.programme_for(staff, slug).await?;
    permit(member(staff, role), Action::PhoneIntake, Subject::Programme)
        .map_err(|_| AppError::NotFound)?;
    if live.programme.status() != ProgrammeStatus::Open {
        return Err(AppError::NotFound);
    }
    Ok(live)
}

/// The caller's language if the programme offers it, else the programme's default.
fn caller_language(p: &Programme, asked: Option<&str>) -> Language {
    asked
        .and_then(|l| Language::parse(l).ok())
        .filter(|l| p.languages().contains(l))
        .unwrap_or_else(|| p.default_language())
}

/// Never cached, never compressed: the receipt's codes, and what the caller said.
fn private(status: StatusCode, markup: maud::Markup) -> HttpResponse {
    let mut res = super::page(status, markup);
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    caller: Option<String>,
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = phone_programme(&console, &staff, &slug).await?;
    let query = web::Query::<ShowQuery>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let caller = caller_language(&live.programme, query.caller.as_deref());
    Ok(private(
        StatusCode::OK,
        page::form(&page::FormView {
            staff: &staff,
            programme: &live.programme,
            caller,
            typed: &RawForm::default(),
            errors: &[],
        }),
    ))
}

async fn submit(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = phone_programme(&console, &staff, &slug).await?;
    let p = &live.programme;
    let typed = crate::intake::read_form(&req, payload).await?;
    if !check_csrf(&req, &console.mac, &staff, typed.get(CSRF).unwrap_or("")) {
        return Err(AppError::Forbidden);
    }
    typed
        .without(&phone::OWN_FIELDS)
        .check_shape(p)
        .map_err(|_| AppError::BadRequest)?;
    let redraw = |status, caller, errors: &[FieldError]| {
        private(
            status,
            page::form(&page::FormView {
                staff: &staff,
                programme: p,
                caller,
                typed: &typed,
                errors,
            }),
        )
    };
    // The caller's language changed half-way: the same form in it, every word kept.
    if let Some(to) = typed.get(SWITCH_LANG) {
        return Ok(redraw(StatusCode::OK, caller_language(p, Some(to)), &[]));
    }
    let caller = caller_language(p, typed.get(LANG));
    let call = match phone::validate(&live, &typed, caller) {
        Ok(call) => call,
        Err(errors) => return Ok(redraw(StatusCode::UNPROCESSABLE_ENTITY, caller, &errors)),
    };
    let at = now();
    let (enquiry, receipt) = phone::seal(&live, call, caller, &staff.id, &console.intake_key, at)?;
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::PhoneIntake,
        &format!("enquiry:{}", enquiry.id),
    )
    .detail(serde_json::json!({
        "source": phone::SOURCE,
        "language": caller.tag(),
        "queue": enquiry.queue,
    }));
    console.store.insert_phone_enquiry(&enquiry, &entry).await?;
    let held = held::Held {
        lang: caller,
        enquiry_id: enquiry.id,
        receipt,
    };
    let sealed = held::seal(&console.mac, &staff.id, p.slug(), &held, at);
    Ok(private(
        StatusCode::OK,
        page::receipt(&staff, p, &held, &sealed, false),
    ))
}

#[derive(Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    read_back: String,
}

/// "Done": refused (the receipt again, with the reason) until "read back" is ticked.
async fn done(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<DoneForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let live = phone_programme(&console, &staff, &slug).await?;
    let p = &live.programme;
    let at = now();
    let Some(held) = held::open(&console.mac, &staff.id, p.slug(), &form.receipt, at) else {
        // Too old, or not this agent's: nothing to show again.
        return Ok(see_other(&format!("/console/p/{}/new", p.slug())));
    };
    if form.read_back != "yes" {
        return Ok(private(
            StatusCode::UNPROCESSABLE_ENTITY,
            page::receipt(&staff, p, &held, &form.receipt, true),
        ));
    }
    console
        .store
        .record_audit(&Entry::new(
            &staff.actor(),
            AuditAction::PhoneReadBack,
            &format!("enquiry:{}", held.enquiry_id),
        ))
        .await?;
    Ok(see_other(&format!(
        "/console/p/{}/new?caller={}",
        p.slug(),
        held.lang.tag()
    )))
}
