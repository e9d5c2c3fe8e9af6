//! Verifying a caller about an existing enquiry (issue 22, item 2), at
//! `/console/e/{id}/verify`: the agent shows a one-time number (`intake::caller`), the
//! caller types it into their reply inbox, and this page, refreshed, says "verified"
//! for that call. Until then it says that no status or detail may be given. Each
//! number issued and each look at the result is audited; the number itself is shown
//! once, never stored, never in a URL.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::pages::{Shell, csrf_field, render};
use super::{Console, member};
use crate::audit::{AuditAction, Entry};
use crate::auth::Staff;
use crate::casework::{Action, Case, Subject, permit};
use crate::error::AppError;
use crate::i18n::t;
use crate::intake::caller::{self, Verdict};
use crate::store::{CallerCheck, EnquiryRecord, now};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/e/{id}/verify")
            .route(web::get().to(show))
            .route(web::post().to(issue)),
    );
}

/// The link the enquiry page shows.
pub fn link(lang: crate::domain::Language, enquiry_id: &str) -> Markup {
    html! {
        p class="verify-caller" {
            a href={ "/console/e/" (enquiry_id) "/verify" } { (t(lang, "verify-link")) }
        }
    }
}

/// The enquiry, if the staff member may verify a caller about it (else "not found").
async fn enquiry(console: &Console, staff: &Staff, id: &str) -> Result<EnquiryRecord, AppError> {
    let (record, _live, role) = console.enquiry_for(staff, id).await?;
    let case = Case {
        status: record.status,
        assigned_to: record.assigned_to.as_deref(),
    };
    permit(
        member(staff, role),
        Action::VerifyCaller,
        Subject::Enquiry(case),
    )
    .map_err(|_| AppError::NotFound)?;
    Ok(record)
}

fn private(markup: Markup) -> HttpResponse {
    let mut res = super::page(StatusCode::OK, markup);
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn subject(id: &str) -> String {
    format!("enquiry:{id}")
}

/// Where this staff member's newest check of the enquiry stands (`None`: none yet).
async fn current(
    console: &Console,
    staff: &Staff,
    record: &EnquiryRecord,
) -> Result<Option<Verdict>, AppError> {
    let Some(check) = console
        .store
        .latest_caller_check(&record.id, &staff.id)
        .await?
    else {
        return Ok(None);
    };
    let answers = console
        .store
        .caller_answers(&record.id, check.created_at)
        .await?;
    let verdict = caller::verdict(&check, &answers, now());
    console
        .store
        .record_audit(
            &Entry::new(
                &staff.actor(),
                AuditAction::CallerCheck,
                &subject(&record.id),
            )
            .detail(serde_json::json!({ "check": check.id, "verdict": verdict.as_str() })),
        )
        .await?;
    Ok(Some(verdict))
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let record = enquiry(&console, &staff, &id).await?;
    let verdict = current(&console, &staff, &record).await?;
    Ok(private(page(&staff, &record.id, verdict, None)))
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf: String,
}

/// A new number for this call: its hash stored (with the audit entry), the number
/// shown on this one answer only.
async fn issue(
    console: web::Data<Console>,
    req: HttpRequest,
    id: web::Path<String>,
    form: web::Form<IssueForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let record = enquiry(&console, &staff, &id).await?;
    let number = zeroize::Zeroizing::new(caller::generate());
    let at = now();
    let check = CallerCheck {
        id: crate::crypto::random_id(),
        enquiry_id: record.id.clone(),
        staff_id: staff.id.clone(),
        number_hash: caller::number_hash(&console.intake_key, &record.id, &number).to_vec(),
        created_at: at,
        expires_at: at + caller::LIFETIME_SECS,
    };
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::CallerCheckIssued,
        &subject(&record.id),
    )
    .detail(serde_json::json!({ "check": check.id }));
    console.store.insert_caller_check(&check, &entry).await?;
    Ok(private(page(
        &staff,
        &record.id,
        Some(Verdict::Waiting),
        Some(&number),
    )))
}

fn page(staff: &Staff, id: &str, verdict: Option<Verdict>, number: Option<&str>) -> Markup {
    let lang = staff.lang;
    let title = t(lang, "verify-title");
    let (verdict_id, verified) = match verdict {
        Some(Verdict::Verified) => ("verify-verified", true),
        Some(Verdict::Waiting) => ("verify-waiting", false),
        Some(Verdict::Expired) => ("verify-expired", false),
        Some(Verdict::TooManyAttempts) => ("verify-too-many", false),
        None => ("verify-none", false),
    };
    let base = format!("/console/e/{id}/verify");
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            p { a href={ "/console/e/" (id) } { (t(lang, "verify-back")) } }
            h1 { (title) }
            div class={ "notice" @if verified { " verified" } } role="status" {
                p id="caller-verdict" data-verdict=(verdict.map_or("none", Verdict::as_str)) {
                    strong { (t(lang, verdict_id)) }
                }
                @if !verified {
                    p id="no-detail" { (t(lang, "verify-no-detail")) }
                }
            }
            @if let Some(n) = number {
                h2 { (t(lang, "verify-number-heading")) }
                p class="code" id="caller-number" dir="ltr" {
                    span class="group" { (&n[..3]) } " " span class="group" { (&n[3..]) }
                }
                p { (t(lang, "verify-number-instructions")) }
            }
            @if verdict.is_some() && !verified {
                p { a href=(base) { (t(lang, "verify-refresh")) } }
            }
            form method="post" action=(base) {
                (csrf_field(&staff.csrf))
                button type="submit" class={ @if number.is_some() || verified { "secondary" } } {
                    (t(lang, "verify-issue"))
                }
            }
        },
    )
}
