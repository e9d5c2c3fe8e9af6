//! Routing: the default queue and priority, each rule and its conditions, and the
//! "test these rules" box (sample answers through `triage::route`, nothing saved).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::parts::{finish, priority_select, section_page};
use super::shown::{Form, Shown, Tested};
use super::widgets::{Posted, errors_box, input, version_field};
use super::{Console, Editing, for_get, for_post, save_edit, saved};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::intake::form::{RawForm, sample_answers};
use crate::programme::{Condition, Match, RoutingRule};
use crate::triage::route;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/routing", web::post().to(routing_defaults))
        .route("/{slug}/rules-test", web::post().to(test_rules))
        .route("/{slug}/new-rule", web::get().to(new_rule_page))
        .route("/{slug}/new-rule", web::post().to(save_new_rule))
        .route("/{slug}/rules/{index}", web::get().to(rule_page))
        .route("/{slug}/rules/{index}", web::post().to(save_rule));
}

// ── Routing ──────────────────────────────────────────────────────────────────

pub(super) async fn routing_defaults(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    file.routing.default_queue = posted.text("default_queue").to_owned();
    let mut errors = Vec::new();
    match posted.text("default_priority").parse::<u8>() {
        Ok(n) => file.routing.default_priority = n,
        Err(_) => errors.push(t(ed.lang, "pe-error-priority")),
    }
    finish(&console, &ed, &posted, file, errors, "routing").await
}

/// "Test these rules": sample answers through `triage::route`, nothing saved.
pub(super) async fn test_rules(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let sample = RawForm::from_pairs(posted.under("t."));
    let (answers, errors) = sample_answers(&ed.programme, &sample, ed.lang);
    let routed = route(&ed.file().routing, &answers);
    // The launch checklist counts the rules as tried, as they are now.
    crate::programme::launch::record_tried(&console.store, &ed.record.id, ed.file()).await?;
    Ok(section_page(
        &ed,
        super::tabs::Tab::Routing,
        &Shown {
            test: Some(Tested {
                typed: posted.without_secrets(),
                route: routed,
                errors,
            }),
            ..Default::default()
        },
    ))
}

pub(super) const OPS: [&str; 5] = ["equals", "in", "contains", "answered", "unanswered"];

pub(super) fn op_of(c: &Condition) -> (&'static str, String) {
    if let Some(v) = &c.equals {
        ("equals", v.clone())
    } else if let Some(vs) = &c.one_of {
        ("in", vs.join(", "))
    } else if let Some(v) = &c.contains {
        ("contains", v.clone())
    } else if c.answered == Some(false) {
        ("unanswered", String::new())
    } else {
        ("answered", String::new())
    }
}

pub(super) fn rule_from(posted: &Posted, lang: Language) -> Result<RoutingRule, String> {
    let fields: Vec<&str> = posted.all("when.field").collect();
    let ops: Vec<&str> = posted.all("when.op").collect();
    let values: Vec<&str> = posted.all("when.value").collect();
    let mut when = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if field.is_empty() {
            continue;
        }
        let value = values.get(i).copied().unwrap_or("").trim().to_owned();
        let mut c = Condition {
            field: (*field).to_owned(),
            equals: None,
            one_of: None,
            contains: None,
            answered: None,
        };
        match ops.get(i).copied().unwrap_or("") {
            "equals" => c.equals = Some(value),
            "in" => {
                c.one_of = Some(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            "contains" => c.contains = Some(value),
            "answered" => c.answered = Some(true),
            "unanswered" => c.answered = Some(false),
            _ => return Err(t(lang, "pe-error-operator")),
        }
        when.push(c);
    }
    let priority = posted
        .text("priority")
        .parse::<u8>()
        .map_err(|_| t(lang, "pe-error-priority"))?;
    Ok(RoutingRule {
        name: posted.text("name").trim().to_owned(),
        queue: posted.text("queue").to_owned(),
        priority,
        match_: if posted.text("match") == "any" {
            Match::Any
        } else {
            Match::All
        },
        when,
    })
}

pub(super) async fn rule_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, usize)>,
) -> Result<HttpResponse, AppError> {
    let (slug, index) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let rule = ed
        .file()
        .routing
        .rules
        .get(index)
        .ok_or(AppError::NotFound)?
        .clone();
    Ok(rule_form(&ed, Some(index), &rule, &[]))
}

pub(super) async fn new_rule_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    let rule = RoutingRule {
        name: String::new(),
        queue: ed.file().routing.default_queue.clone(),
        priority: ed.file().routing.default_priority,
        match_: Match::All,
        when: Vec::new(),
    };
    Ok(rule_form(&ed, None, &rule, &[]))
}

pub(super) fn rule_form(
    ed: &Editing,
    index: Option<usize>,
    rule: &RoutingRule,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let title = match index {
        Some(_) => t_args(lang, "pe-rule-title", &[("name", rule.name.clone())]),
        None => t(lang, "pe-add-rule"),
    };
    let action = match index {
        Some(i) => format!("{}/rules/{i}", ed.base()),
        None => format!("{}/new-rule", ed.base()),
    };
    // The rule's conditions and two empty rows to add more.
    let mut rows: Vec<(String, &'static str, String)> = rule
        .when
        .iter()
        .map(|c| {
            let (op, value) = op_of(c);
            (c.field.clone(), op, value)
        })
        .collect();
    rows.extend([
        (String::new(), "equals", String::new()),
        (String::new(), "equals", String::new()),
    ]);
    super::tabs::page(
        ed,
        super::tabs::Tab::Routing,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            form method="post" action=(action) novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                (input("name", "name", &t(lang, "pe-rule-name"), None, &rule.name))
                div class="field-row" {
                    div class="field" {
                        label for="queue" { (t(lang, "pe-rule-queue")) }
                        select id="queue" name="queue" {
                            @for q in &p.file().queues {
                                option value=(q.key) selected[rule.queue == q.key] { (p.text(&q.name, lang)) }
                            }
                        }
                    }
                    (priority_select(lang, "priority", "priority", &rule.priority.to_string()))
                    div class="field" {
                        label for="match" { (t(lang, "pe-match")) }
                        select id="match" name="match" {
                            option value="all" selected[rule.match_ == Match::All] { (t(lang, "pe-match-all")) }
                            option value="any" selected[rule.match_ == Match::Any] { (t(lang, "pe-match-any")) }
                        }
                    }
                }
                fieldset {
                    legend { (t(lang, "pe-rule-when")) }
                    p class="hint" { (t(lang, "pe-conditions-hint")) }
                    div class="table-scroll" {
                        table {
                            thead { tr {
                                th scope="col" { (t(lang, "pe-condition-field")) }
                                th scope="col" { (t(lang, "pe-condition-op")) }
                                th scope="col" { (t(lang, "pe-condition-value")) }
                            } }
                            tbody {
                                @for (i, (field, op, value)) in rows.iter().enumerate() {
                                    tr {
                                        td {
                                            label class="visually-hidden" for={ "when-field-" (i) } { (t(lang, "pe-condition-field")) " " (i + 1) }
                                            select id={ "when-field-" (i) } name="when.field" {
                                                option value="" { (t(lang, "pe-none")) }
                                                @for f in &p.file().fields {
                                                    option value=(f.key) selected[*field == f.key] { (p.text(&f.label, lang)) " (" (f.key) ")" }
                                                }
                                            }
                                        }
                                        td {
                                            label class="visually-hidden" for={ "when-op-" (i) } { (t(lang, "pe-condition-op")) " " (i + 1) }
                                            select id={ "when-op-" (i) } name="when.op" {
                                                @for o in OPS {
                                                    option value=(o) selected[*op == o] { (t(lang, &format!("pe-op-{o}"))) }
                                                }
                                            }
                                        }
                                        td {
                                            label class="visually-hidden" for={ "when-value-" (i) } { (t(lang, "pe-condition-value")) " " (i + 1) }
                                            input type="text" id={ "when-value-" (i) } name="when.value" value=(value) autocomplete="off";
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

pub(super) async fn save_rule(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, usize)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, index) = path.into_inner();
    store_rule(console, req, slug, Some(index), form).await
}

pub(super) async fn save_new_rule(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    store_rule(console, req, slug.into_inner(), None, form).await
}

pub(super) async fn store_rule(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: String,
    index: Option<usize>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    if index.is_some_and(|i| i >= file.routing.rules.len()) {
        return Err(AppError::NotFound);
    }
    let rule = match rule_from(&posted, ed.lang) {
        Ok(rule) => rule,
        Err(e) => {
            let fallback = RoutingRule {
                name: posted.text("name").to_owned(),
                queue: posted.text("queue").to_owned(),
                priority: file.routing.default_priority,
                match_: Match::All,
                when: Vec::new(),
            };
            return Ok(rule_form(&ed, index, &fallback, &[e]));
        }
    };
    match index {
        Some(i) => file.routing.rules[i] = rule.clone(),
        None => file.routing.rules.push(rule.clone()),
    }
    Ok(save_edit(&console, &ed, &posted, &file, "rules")
        .await?
        .respond(
            |outcome| saved(&ed, &outcome, "routing"),
            |errors| rule_form(&ed, index, &rule, &errors),
        ))
}
