//! The console's overview pages: my programmes and their queues, one programme's
//! dashboard (with its charts), and one queue's enquiries.
//!
//! Longer than ~500 lines because the three overview pages share their queue rows,
//! the programmes a member works in and the charts' data; every handler is short.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::pages::{Shell, csrf_field, flash_box, render};
use super::{Console, charts, page, queue_list};
use crate::auth::Staff;
use crate::casework::{Action, Status, Subject, age_label, permit};
use crate::domain::{Language, ProgrammeSlug};
use crate::error::AppError;
use crate::i18n::t;
use crate::programme::live::LiveProgramme;
use crate::store::{QueueStat, now};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/p/{slug}", web::get().to(dashboard))
        .route("/p/{slug}/daily.svg", web::get().to(daily_chart))
        .route("/p/{slug}/backlog.svg", web::get().to(backlog_chart))
        .route("/p/{slug}/q/{queue}", web::get().to(queue_view))
        .route(
            "/p/{slug}/q/{queue}/next",
            web::post().to(queue_list::take_next),
        )
        .route("/p/{slug}/preview", web::get().to(preview));
}

#[derive(Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// The programmes a staff member works in, by slug.
pub async fn my_programmes(
    console: &Console,
    staff: &Staff,
) -> Result<Vec<Arc<LiveProgramme>>, AppError> {
    let slugs: Vec<String> = if staff.may(crate::casework::Action::WorkInEveryProgramme) {
        console
            .store
            .programme_ids()
            .await?
            .into_iter()
            .map(|(_, slug)| slug)
            .collect()
    } else {
        staff.memberships.iter().map(|m| m.slug.clone()).collect()
    };
    let mut out = Vec::new();
    for slug in slugs {
        if let Ok(slug) = ProgrammeSlug::parse(&slug)
            && let Some(live) = console.programmes.get(&slug).await?
        {
            out.push(live);
        }
    }
    Ok(out)
}

/// Counts on the overview pages stop here ("5000+"): each costs at most this many
/// index entries, whatever the size of the programme (issue 22, item 3).
pub const COUNT_CAP: i64 = 5_000;

async fn queue_stats(console: &Console, live: &LiveProgramme) -> Result<Vec<QueueStat>, AppError> {
    let keys: Vec<String> = live
        .programme
        .file()
        .queues
        .iter()
        .map(|q| q.key.clone())
        .collect();
    Ok(console
        .store
        .queue_stats_capped(&live.id, &keys, COUNT_CAP)
        .await?)
}

fn count_label(n: i64) -> String {
    if n >= COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else {
        n.to_string()
    }
}

/// Per queue: open enquiries by status and the age of the oldest open one.
struct QueueRow {
    key: String,
    name: String,
    by_status: BTreeMap<Status, i64>,
    oldest_open_hour: Option<i64>,
}

/// Queue names in `lang` where the programme file gives them (issue 22, item 7).
fn queue_rows(live: &LiveProgramme, stats: &[QueueStat], lang: Language) -> Vec<QueueRow> {
    let p = &live.programme;
    p.file()
        .queues
        .iter()
        .map(|q| {
            let mut row = QueueRow {
                key: q.key.clone(),
                name: p.text(&q.name, lang).to_owned(),
                by_status: BTreeMap::new(),
                oldest_open_hour: None,
            };
            for s in stats.iter().filter(|s| s.queue == q.key) {
                *row.by_status.entry(s.status).or_default() += s.count;
                if s.status.is_open() {
                    row.oldest_open_hour = Some(
                        row.oldest_open_hour
                            .map_or(s.oldest_hour, |o| o.min(s.oldest_hour)),
                    );
                }
            }
            row
        })
        .collect()
}

fn queue_table(lang: Language, slug: &str, rows: &[QueueRow]) -> maud::Markup {
    let at = now();
    html! {
        table class="queues" {
            thead {
                tr {
                    th scope="col" { (t(lang, "console-queue")) }
                    @for s in Status::ALL { th scope="col" class="num" { (t(lang, s.label_id())) } }
                    th scope="col" class="num" { (t(lang, "console-oldest-open")) }
                }
            }
            tbody {
                @for r in rows {
                    tr {
                        th scope="row" { a href={ "/console/p/" (slug) "/q/" (r.key) } { (r.name) } }
                        @for s in Status::ALL {
                            td class="num" { (count_label(r.by_status.get(&s).copied().unwrap_or(0))) }
                        }
                        td class="num" {
                            @match r.oldest_open_hour {
                                Some(h) => (age_label(at - h).render(lang)),
                                None => "–",
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn home(console: web::Data<Console>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let programmes = my_programmes(&console, &staff).await?;
    let mut sections = Vec::new();
    for live in &programmes {
        let stats = queue_stats(&console, live).await?;
        let pending = pending_notice(&console, &staff, live).await?;
        sections.push((live.clone(), queue_rows(live, &stats, staff.lang), pending));
    }
    let done = web::Query::<Done>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().done);
    let lang = staff.lang;
    let title = t(lang, "console-nav-queues");
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title: &title,
                staff: Some(&staff),
                lang,
            },
            html! {
                (flash_box(lang, done.as_deref()))
                h1 { (title) }
                (search_form(&staff, None))
                @if sections.is_empty() {
                    p { (t(lang, "console-no-programmes")) }
                }
                @for (live, rows, pending) in &sections {
                    section class="programme" {
                        h2 {
                            (live.programme.text(&live.programme.file().title, Language::En))
                        }
                        p {
                            a href={ "/console/p/" (live.programme.slug()) } { (t(lang, "console-dashboard")) } " · "
                            a href={ "/console/p/" (live.programme.slug()) "/templates" } { (t(lang, "console-templates-title")) } " · "
                            a href={ "/console/p/" (live.programme.slug()) "/campaigns" } { (t(lang, "console-campaigns-title")) }
                        }
                        (super::phone::link(lang, &live.programme))
                        @if let Some(pending) = pending { (pending) }
                        (queue_table(lang, live.programme.slug().as_str(), rows))
                    }
                }
            },
        ),
    ))
}

/// For a supervisor's home page: how many bulk replies of the programme wait for
/// approval, with a link, when any do (issue 19, item 4).
async fn pending_notice(
    console: &Console,
    staff: &Staff,
    live: &LiveProgramme,
) -> Result<Option<maud::Markup>, AppError> {
    let Some(role) = staff.role_in(&live.id) else {
        return Ok(None);
    };
    let who = super::member(staff, role);
    if permit(who, Action::PrepareCampaign, Subject::Programme).is_err() {
        return Ok(None);
    }
    let n = console.store.pending_campaigns(&live.id).await?;
    let slug = live.programme.slug();
    let said = crate::i18n::t_args(
        staff.lang,
        "review-pending-approvals",
        &[("n", n.to_string())],
    );
    Ok((n > 0).then(|| {
        html! {
            p class="warning" data-pending-approvals=(n) {
                a href={ "/console/p/" (slug) "/campaigns" } { (said) }
            }
        }
    }))
}

pub fn search_form(staff: &Staff, problem: Option<&str>) -> maud::Markup {
    let lang = staff.lang;
    html! {
        form method="post" action="/console/search" class="search" role="search" {
            (csrf_field(&staff.csrf))
            div class=@if problem.is_some() { "field has-error" } @else { "field" } {
                label for="reference" { (t(lang, "console-search-label")) }
                @if let Some(p) = problem {
                    p class="error-message" id="reference-error" { (p) }
                }
                input type="text" id="reference" name="reference" autocomplete="off" spellcheck="false"
                    aria-describedby=[problem.map(|_| "reference-error")];
                button type="submit" { (t(lang, "console-search-submit")) }
            }
        }
    }
}

const CHART_DAYS: i64 = 30;

async fn daily_data(
    console: &Console,
    live: &LiveProgramme,
) -> Result<Vec<(String, i64)>, AppError> {
    let today = now().div_euclid(86_400) * 86_400;
    let since = today - (CHART_DAYS - 1) * 86_400;
    let counts: BTreeMap<i64, i64> = console
        .store
        .daily_counts(&live.id, since)
        .await?
        .into_iter()
        .collect();
    Ok((0..CHART_DAYS)
        .map(|i| {
            let day = since + i * 86_400;
            (
                super::pages::date(day),
                counts.get(&day).copied().unwrap_or(0),
            )
        })
        .collect())
}

async fn backlog_data(
    console: &Console,
    live: &LiveProgramme,
) -> Result<Vec<(String, i64)>, AppError> {
    let stats = queue_stats(console, live).await?;
    Ok(queue_rows(live, &stats, Language::En)
        .into_iter()
        .map(|r| {
            let open = r
                .by_status
                .iter()
                .filter(|(s, _)| s.is_open())
                .map(|(_, n)| n)
                .sum();
            (r.name, open)
        })
        .collect())
}

async fn dashboard(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let stats = queue_stats(&console, &live).await?;
    let rows = queue_rows(&live, &stats, staff.lang);
    let daily = daily_data(&console, &live).await?;
    let backlog = backlog_data(&console, &live).await?;
    let slug = live.programme.slug().as_str();
    let title = live
        .programme
        .text(&live.programme.file().title, Language::En);
    let lang = staff.lang;
    let may = |a: Action| permit(super::member(&staff, role), a, Subject::Programme).is_ok();
    Ok(page(
        StatusCode::OK,
        render(
            &Shell {
                title,
                staff: Some(&staff),
                lang,
            },
            html! {
                h1 { (title) }
                p {
                    a href={ "/console/p/" (slug) "/templates" } { (t(lang, "console-templates-title")) } " · "
                    a href={ "/console/p/" (slug) "/campaigns" } { (t(lang, "console-campaigns-title")) }
                    @if !live.programme.file().partners.is_empty() {
                        " · " a href={ "/console/p/" (slug) "/partners" } { (t(lang, "console-partners-link")) }
                    }
                    @if may(Action::Incident) {
                        " · " a href={ "/console/p/" (slug) "/incident/recipients" } { (t(lang, "incident-link")) }
                    }
                    @if may(Action::ImportMail) {
                        " · " a href={ "/console/p/" (slug) "/import" } { (t(lang, "import-title")) }
                    }
                    @if may(Action::PreviewForm) {
                        " · " (t(lang, "console-preview-form")) " "
                        @for (i, l) in live.programme.languages().iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={ "/console/p/" (slug) "/preview?lang=" (l.tag()) } lang=(l.tag()) { (l.endonym()) }
                        }
                    }
                    @if may(Action::ManageKeys) {
                        " · " a href={ "/admin/programmes/" (slug) "/keys" } { (t(lang, "keys-title")) }
                        " · " a href={ "/admin/programmes/" (slug) "/archive" } { (t(lang, "archive-link")) }
                    }
                }
                (queue_table(lang, slug, &rows))
                div class="charts" {
                    figure {
                        img src={ "/console/p/" (slug) "/daily.svg" } width=(charts::WIDTH) height=(charts::HEIGHT)
                            alt=(t(lang, "console-chart-daily-alt"));
                        figcaption { (t(lang, "console-chart-daily-caption")) }
                        details {
                            summary { (t(lang, "console-show-numbers")) }
                            table {
                                thead { tr { th scope="col" { (t(lang, "console-day")) } th scope="col" class="num" { (t(lang, "console-enquiries")) } } }
                                tbody { @for (d, n) in &daily { tr { td { (d) } td class="num" { (n) } } } }
                            }
                        }
                    }
                    figure {
                        img src={ "/console/p/" (slug) "/backlog.svg" } width=(charts::WIDTH) height=(charts::backlog_height(backlog.len()))
                            alt=(t(lang, "console-chart-backlog-alt"));
                        figcaption { (t(lang, "console-chart-backlog")) }
                        details {
                            summary { (t(lang, "console-show-numbers")) }
                            table {
                                thead { tr { th scope="col" { (t(lang, "console-queue")) } th scope="col" class="num" { (t(lang, "console-open")) } } }
                                tbody { @for (q, n) in &backlog { tr { td { (q) } td class="num" { (n) } } } }
                            }
                        }
                    }
                }
            },
        ),
    ))
}

fn svg(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .body(body)
}

async fn daily_chart(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, _) = console.programme_for(&staff, &slug).await?;
    let data = daily_data(&console, &live).await?;
    Ok(svg(charts::daily_svg(
        &data,
        &t(staff.lang, "console-chart-daily"),
    )))
}

async fn backlog_chart(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff(&req).await?;
    let (live, _) = console.programme_for(&staff, &slug).await?;
    let data = backlog_data(&console, &live).await?;
    Ok(svg(charts::backlog_svg(
        &data,
        &t(staff.lang, "console-chart-backlog"),
    )))
}

pub(super) const QUEUE_PAGE: i64 = 100;

async fn queue_view(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, queue_key) = path.into_inner();
    let staff = console.staff(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    let queue = live
        .programme
        .file()
        .queues
        .iter()
        .find(|q| q.key == queue_key)
        .ok_or(AppError::NotFound)?;
    let query = web::Query::<queue_list::QueueQuery>::from_query(req.query_string())
        .map_err(|_| AppError::BadRequest)?
        .into_inner();
    let view = queue_list::QueueView::from_query(&staff, &query)?;
    let page = console
        .store
        .queue_page(
            &live.id,
            &queue.key,
            &view.filter,
            view.after.as_ref(),
            QUEUE_PAGE,
        )
        .await?;
    let staff_names: BTreeMap<String, String> = console
        .store
        .programme_staff(&live.id)
        .await?
        .into_iter()
        .map(|(id, email, _)| (id, email))
        .collect();
    let may_take = permit(
        super::member(&staff, role),
        Action::Claim,
        Subject::Enquiry(crate::casework::Case {
            status: Status::New,
            assigned_to: None,
        }),
    )
    .is_ok();
    let title = live.programme.text(&queue.name, staff.lang);
    let markup = queue_list::queue_page(&queue_list::QueuePageView {
        staff: &staff,
        live: &live,
        queue: &queue.key,
        name: title,
        view: &view,
        page: &page,
        staff_names: &staff_names,
        may_take,
        done: query.done.as_deref(),
    });
    Ok(super::page(
        StatusCode::OK,
        render(
            &Shell {
                title,
                staff: Some(&staff),
                lang: staff.lang,
            },
            markup,
        ),
    ))
}

/// The public form exactly as the public sees it, in any of the programme's languages,
/// whatever the programme's state (a draft can be checked before it opens). Its token
/// is not a valid form token, so the preview cannot submit anything. Its `?lang=` is
/// the form's language, not the staff member's: their console language stays.
async fn preview(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let staff = console.staff_previewing(&req).await?;
    let (live, role) = console.programme_for(&staff, &slug).await?;
    permit(
        super::member(&staff, role),
        Action::PreviewForm,
        Subject::Programme,
    )
    .map_err(|_| AppError::NotFound)?;
    let p = &live.programme;
    let lang = crate::web::request_language(&req, p.languages());
    Ok(page(
        StatusCode::OK,
        crate::intake::pages::form_page(&crate::intake::pages::FormView {
            programme: p,
            lang,
            csrf_token: "preview",
            typed: &crate::intake::form::RawForm::default(),
            errors: &[],
            notice: Some(crate::i18n::Msg::new("preview-notice")),
        }),
    ))
}
