//! A programme's handling rules (`/console/p/{slug}/rules`): before their first look
//! at a programme's queues and enquiries, and again after its rules change, each staff
//! member reads them and acknowledges them; the acknowledgement is recorded in the
//! audit log (`rules.acknowledge`), with the version of the programme read.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::pages::{Shell, csrf_field, render};
use super::{Console, page, see_other};
use crate::audit::{AuditAction, Entry};
use crate::auth::Staff;
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::launch::rules_fingerprint;
use crate::programme::live::LiveProgramme;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/p/{slug}/rules", web::get().to(show))
        .route("/p/{slug}/rules", web::post().to(acknowledge));
}

/// A programme the staff member holds a role in (the rules page itself cannot go
/// through `Console::programme_for`, which sends here).
async fn member_of(
    console: &Console,
    staff: &Staff,
    slug: &str,
) -> Result<Arc<LiveProgramme>, AppError> {
    let slug = ProgrammeSlug::parse(slug).map_err(|_| AppError::NotFound)?;
    let live = console
        .programmes
        .get(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    staff.role_in(&live.id).ok_or(AppError::NotFound)?;
    Ok(live)
}

async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let live = member_of(&console, &staff, &slug).await?;
    let p = &live.programme;
    let rules = &p.file().handling_rules;
    if rules.is_empty() {
        return Ok(see_other(&format!("/console/p/{}", p.slug())));
    }
    let lang = staff.lang;
    // In the staff member's language when the programme has it, else its default.
    let shown = if rules.contains_key(lang.tag()) {
        lang
    } else {
        p.default_language()
    };
    let read = console
        .store
        .acknowledged_rules(&staff.id, &live.id)
        .await?;
    let title = t(lang, "rules-title");
    let programme_title = p.text(&p.file().title, shown);
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang,
            },
            html! {
                p class="caption" lang=(shown.tag()) dir=(shown.dir()) { (programme_title) }
                h1 { (title) }
                @if read.is_some() {
                    div class="notice" role="status" { p { (t(lang, "rules-changed")) } }
                }
                p { (t(lang, "rules-intro")) }
                div class="handling-rules preserve" id="rules" lang=(shown.tag()) dir=(shown.dir()) {
                    (p.text(rules, shown))
                }
                @if shown != lang {
                    p class="hint" { (t_args(lang, "rules-in-language", &[("language", shown.endonym().to_owned())])) }
                }
                form method="post" action={ "/console/p/" (p.slug()) "/rules" } novalidate {
                    (csrf_field(&staff.csrf))
                    input type="hidden" name="language" value=(shown.tag());
                    button type="submit" { (t(lang, "rules-acknowledge")) }
                }
            },
        ),
    ))
}

#[derive(Deserialize)]
struct AckForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    language: String,
}

async fn acknowledge(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<AckForm>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let live = member_of(&console, &staff, &slug).await?;
    let p = &live.programme;
    let rules = &p.file().handling_rules;
    let shown = Language::parse(&form.language).unwrap_or_else(|_| p.default_language());
    let version = console
        .store
        .programme_by_slug(p.slug().as_str())
        .await?
        .map(|r| r.version);
    let entry = Entry::new(
        &staff.actor(),
        AuditAction::RulesAcknowledge,
        &format!("programme:{}", p.slug()),
    )
    .detail(serde_json::json!({ "version": version, "language": shown.tag() }));
    console
        .store
        .acknowledge_rules(&staff.id, &live.id, &rules_fingerprint(rules), &entry)
        .await?;
    Ok(see_other(&format!("/console/p/{}", p.slug())))
}
