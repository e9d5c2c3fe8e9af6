//! The templates page of a programme: every template rendered for a made-up enquiry,
//! the programme languages each lacks, and (issue 19, item 6) "Send me a test": one
//! message, of one template in one language, to the signed-in staff member's own
//! address, filled with
//! sample data (`template_checks::test_message`), sent at once through the configured
//! relay or file outbox. Supervisors and admins of the programme may (as for
//! campaigns, which use the templates); each is audited, at most
//! `template_checks::TESTS_PER_HOUR` per staff member an hour.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::pages::{Shell, csrf_field, render};
use super::{Console, page, see_other};
use crate::audit::{AuditAction, Entry, Filter, Outcome};
use crate::casework::Action;
use crate::domain::{EmailAddress, Language};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::outbound::Transport;
use crate::outbound::template::{self, Context};
use crate::store::now;
use crate::template_checks::{self, TESTS_PER_HOUR};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/p/{slug}/templates", web::get().to(templates))
        .route("/p/{slug}/templates/{key}/test", web::post().to(send_test));
}

#[derive(Deserialize)]
pub struct PageQuery {
    /// How the last test ended: `sent`, `failed`, `stopped` or `limit`.
    #[serde(default)]
    test: String,
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    lang: String,
}

/// How a test ended, as the templates page says it (`?test=…`).
fn back(slug: &str, key: &str, how: &str) -> HttpResponse {
    see_other(&format!(
        "/console/p/{slug}/templates?test={how}#template-{key}"
    ))
}

async fn send_test(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<TestForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let staff = console.staff_posting(&req, &form.csrf).await?;
    let (live, _) = console.programme_for(&staff, &slug).await?;
    if !staff.may_in(&live.id, Action::PrepareCampaign) {
        return Err(AppError::Forbidden);
    }
    let p = &live.programme;
    let template = p.template(&key).ok_or(AppError::NotFound)?;
    let lang = Language::parse(&form.lang)
        .ok()
        .filter(|l| p.languages().contains(l))
        .ok_or(AppError::BadRequest)?;
    let actor = staff.actor();
    let recent = Filter {
        actor: actor.to_string(),
        action: AuditAction::TemplateTestSend.as_str().to_owned(),
        from: Some(now() - 3600),
        ..Filter::default()
    };
    if console.store.search_audit(&recent, 100).await?.len() >= TESTS_PER_HOUR {
        return Ok(back(p.slug().as_str(), &key, "limit"));
    }
    if crate::outbound::stop::status(&console.store)
        .await?
        .is_some()
    {
        return Ok(back(p.slug().as_str(), &key, "stopped"));
    }
    let to = EmailAddress::parse(&staff.email).map_err(|_| AppError::BadRequest)?;
    let mail = super::replies::mail_settings(&console);
    let message = template_checks::test_message(&mail, p, template, lang, staff.lang, to)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // Audited before it leaves, so no test message is ever sent unrecorded; a failed
    // send is a second entry. The address is the actor's own: not written again.
    let entry = |outcome| {
        Entry::new(
            &actor,
            AuditAction::TemplateTestSend,
            &format!("programme:{}", p.slug()),
        )
        .outcome(outcome)
        .detail(serde_json::json!({ "template": key, "language": lang.tag() }))
    };
    console.store.record_audit(&entry(Outcome::Ok)).await?;
    let sent = match Transport::from_config(&console.config) {
        Ok(transport) => transport
            .send(&crate::crypto::random_id(), &message)
            .await
            .is_ok(),
        Err(_) => false,
    };
    if !sent {
        console.store.record_audit(&entry(Outcome::Failed)).await?;
    }
    Ok(back(
        p.slug().as_str(),
        &key,
        if sent { "sent" } else { "failed" },
    ))
}

/// Every template of a programme, rendered for a made-up enquiry, with the languages
/// it lacks and, for supervisors and admins, "Send me a test".
async fn templates(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, _) = console.programme_for(&staff, &slug).await?;
    let p = &live.programme;
    let may_test = staff.may_in(&live.id, Action::PrepareCampaign);
    let mail = super::replies::mail_settings(&console);
    let ui = staff.lang;
    let title = t(ui, "console-templates-title");
    let notice = match query.test.as_str() {
        "sent" => Some(t(ui, "template-test-sent")),
        "failed" => Some(t(ui, "template-test-failed")),
        "stopped" => Some(t(ui, "template-test-stopped")),
        "limit" => Some(t(ui, "template-test-limit")),
        _ => None,
    };
    let body = html! {
        p { a href={ "/console/p/" (p.slug()) } { (p.text(&p.file().title, Language::En)) } }
        h1 { (title) }
        @if let Some(notice) = notice {
            p class="notice" role="status" id="test-notice" { (notice) }
        }
        p { (t(ui, "console-templates-intro")) " "
            @for (i, name) in template::PLACEHOLDERS.iter().enumerate() {
                @if i > 0 { ", " }
                code { "{" (name) "}" }
            }
            "." }
        @if p.file().templates.is_empty() {
            p { (t(ui, "console-templates-none")) }
        }
        @for t in &p.file().templates {
            section class="template" id={ "template-" (t.key) } {
                h2 { (t.name) " " span class="hint" { "(" (t.key) ")" } }
                @let missing: Vec<&str> = template_checks::missing(p, t).iter().map(|l| l.endonym()).collect();
                @if missing.is_empty() {
                    p id={ "complete-" (t.key) } { (crate::i18n::t(ui, "template-all-languages")) }
                } @else {
                    p class="warning" id={ "missing-" (t.key) } { (t_args(ui, "mail-template-missing", &[("languages", missing.join(", "))])) }
                }
                @if may_test {
                    form method="post" action={ "/console/p/" (p.slug()) "/templates/" (t.key) "/test" } class="inline" {
                        (csrf_field(&staff.csrf))
                        label for={ "test-lang-" (t.key) } { (crate::i18n::t(ui, "template-test-language")) }
                        " "
                        select id={ "test-lang-" (t.key) } name="lang" {
                            @for lang in p.languages() { option value=(lang.tag()) { (lang.endonym()) } }
                        }
                        " "
                        button type="submit" class="secondary" { (crate::i18n::t(ui, "template-test-button")) }
                    }
                }
                @for lang in p.languages() {
                    @if t.body.contains_key(lang.tag()) {
                        @let ctx = Context {
                            reference: "ABCDE-FGHJK-MNPQR-STVWX".into(),
                            name: p.file().outbound.name_field.as_ref().map(|_| crate::i18n::t(*lang, "console-sample-name")),
                            inbox_url: crate::letters::inbox_address(mail.public_url.as_deref()),
                            programme: crate::letters::programme_name(&mail, p, *lang),
                        };
                        @let r = template::render(p.text(&t.subject, *lang), p.text(&t.body, *lang), &ctx);
                        div class="preview" lang=(lang.tag()) dir=(lang.dir()) {
                            h3 { (lang.endonym()) }
                            p { strong { (r.subject) } }
                            p class="preserve" { (r.text) }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell {
        title: &title,
        staff: Some(&staff),
        lang: ui,
    };
    Ok(page(StatusCode::OK, render(&shell, body)))
}
