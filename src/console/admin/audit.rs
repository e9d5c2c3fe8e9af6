//! The audit log viewer: filters, pages of 100 entries, the chain's check; reading
//! the log is itself recorded.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::admin;
use crate::audit::{Actor, AuditAction, Entry, Filter, Record, Verdict};
use crate::auth::Staff;
use crate::casework::Action;
use crate::console::pages::{Shell, datetime, render};
use crate::console::{Console, page};
use crate::error::AppError;
use crate::i18n::{t, t_args};

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    outcome: String,
    /// `YYYY-MM-DD`, UTC.
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    before: Option<i64>,
}

/// `YYYY-MM-DD` to the Unix time of its midnight (UTC).
fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.split('-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant), the inverse of pages::date.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

const AUDIT_PAGE: i64 = 100;

pub(super) async fn audit_log(
    console: web::Data<Console>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let staff = admin(&console, &req, Action::ReadAuditLog).await?;
    let q = web::Query::<AuditQuery>::from_query(req.query_string())
        .map_err(|_| AppError::BadRequest)?
        .into_inner();
    let view = read(&console, &staff, &q).await?;
    Ok(page(StatusCode::OK, audit_page(&staff, &q, &view)))
}

/// One page of the log, as the viewer shows it.
struct LogPage {
    filter: Filter,
    entries: Vec<Record>,
    verdict: Verdict,
    /// Staff members' addresses by actor (`user:<id>`).
    emails: BTreeMap<String, String>,
    /// The next (older) page, when this one is full.
    next_link: Option<String>,
}

/// The entries `q` asks for and the chain's check; the reading itself is recorded
/// first (who looked, with which filters).
async fn read(console: &Console, staff: &Staff, q: &AuditQuery) -> Result<LogPage, AppError> {
    let filter = Filter {
        actor: q.actor.trim().to_owned(),
        action: q.action.trim().to_owned(),
        subject: q.subject.trim().to_owned(),
        outcome: q.outcome.trim().to_owned(),
        from: parse_day(q.from.trim()),
        until: parse_day(q.until.trim()).map(|d| d + 86_400),
        before: q.before,
    };
    let entries = console.store.search_audit(&filter, AUDIT_PAGE).await?;
    let verdict = console.store.verify_audit().await?;
    // Reading the log is itself recorded (who looked, with which filters).
    console
        .store
        .record_audit(
            &Entry::new(&staff.actor(), AuditAction::AuditView, "audit_log").detail(
                serde_json::json!({
                    "actor": filter.actor, "action": filter.action, "subject": filter.subject,
                    "outcome": filter.outcome, "from": q.from, "until": q.until,
                }),
            ),
        )
        .await?;
    let emails: BTreeMap<String, String> = console
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (Actor::staff(&u.id).to_string(), u.email))
        .collect();
    let next = entries
        .last()
        .map(|e| e.seq)
        .filter(|_| entries.len() as i64 == AUDIT_PAGE);
    let next_link = next.map(|seq| {
        let mut params = serde_urlencoded::to_string([
            ("actor", filter.actor.as_str()),
            ("action", filter.action.as_str()),
            ("subject", filter.subject.as_str()),
            ("outcome", filter.outcome.as_str()),
            ("from", q.from.as_str()),
            ("until", q.until.as_str()),
        ])
        .unwrap_or_default();
        params.push_str(&format!("&before={seq}"));
        format!("/admin/audit?{params}")
    });
    Ok(LogPage {
        filter,
        entries,
        verdict,
        emails,
        next_link,
    })
}

/// The viewer's page (rendering only).
fn audit_page(staff: &Staff, q: &AuditQuery, view: &LogPage) -> Markup {
    let LogPage {
        filter,
        entries,
        verdict,
        emails,
        next_link,
    } = view;
    let lang = staff.lang;
    let title = t(lang, "console-nav-audit");
    render(
        &Shell {
            title: &title,
            staff: Some(staff),
            lang,
        },
        html! {
            h1 { (title) }
            @match verdict {
                Verdict::Intact { entries, head } => {
                    div class="notice" role="status" {
                        p { (t_args(lang, "admin-audit-intact", &[("entries", entries.to_string())])) " " span class="code" { (&head[..16]) "…" } }
                    }
                }
                Verdict::Broken { seq, reason } => {
                    div class="error-summary" role="alert" {
                        h2 { (t(lang, "admin-audit-broken")) }
                        p { (t_args(lang, "admin-audit-broken-at", &[("seq", seq.to_string())])) " (" (reason) ")." }
                    }
                }
            }
            form method="get" action="/admin/audit" class="filters" {
                div class="field-row" {
                    div class="field" { label for="actor" { (t(lang, "admin-audit-actor")) } input type="text" id="actor" name="actor" value=(filter.actor) placeholder="user:…"; }
                    div class="field" { label for="action" { (t(lang, "admin-audit-action")) } input type="text" id="action" name="action" value=(filter.action) placeholder=(t(lang, "admin-audit-action-example")); }
                    div class="field" { label for="subject" { (t(lang, "admin-audit-subject")) } input type="text" id="subject" name="subject" value=(filter.subject) placeholder="enquiry:…"; }
                    div class="field" {
                        label for="outcome" { (t(lang, "admin-audit-outcome")) }
                        select id="outcome" name="outcome" {
                            @for o in ["", "ok", "denied", "failed", "alert"] {
                                option value=(o) selected[filter.outcome == o] { @if o.is_empty() { (t(lang, "console-any-lower")) } @else { (o) } }
                            }
                        }
                    }
                    div class="field" { label for="from" { (t(lang, "admin-audit-from")) } input type="date" id="from" name="from" value=(q.from); }
                    div class="field" { label for="until" { (t(lang, "admin-audit-until")) } input type="date" id="until" name="until" value=(q.until); }
                }
                button type="submit" { (t(lang, "admin-audit-filter")) }
            }
            table class="audit" {
                thead { tr {
                    th scope="col" class="num" { "#" } th scope="col" { (t(lang, "admin-audit-when")) } th scope="col" { (t(lang, "admin-audit-who")) }
                    th scope="col" { (t(lang, "admin-audit-action")) } th scope="col" { (t(lang, "admin-audit-subject")) } th scope="col" { (t(lang, "admin-audit-outcome")) } th scope="col" { (t(lang, "admin-audit-detail")) }
                } }
                tbody {
                    @for e in entries {
                        tr class={ "outcome-" (e.outcome) } {
                            td class="num" { (e.seq) }
                            td { (datetime(e.at)) }
                            td { (emails.get(&e.actor).cloned().unwrap_or_else(|| e.actor.clone())) }
                            td { (e.action) }
                            td { span class="code" { (e.subject) } }
                            td { (e.outcome) }
                            td { span class="code" { (e.detail) } }
                        }
                    }
                }
            }
            @if let Some(link) = next_link {
                p { a href=(link) { (t(lang, "admin-audit-older")) } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_to_utc_midnight_and_back() {
        for d in ["1970-01-01", "2000-02-29", "2026-11-24", "2100-12-31"] {
            let t = parse_day(d).unwrap();
            assert_eq!(crate::console::pages::date(t), d);
            assert_eq!(t % 86_400, 0);
        }
        for bad in ["", "2026-13-01", "2026-11", "x-y-z", "2026-11-24-1"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
