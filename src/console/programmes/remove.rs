//! Remove asks first: a page naming what goes and what uses it (the rules that test a
//! question's answers, the partners that receive it, the rules that send to a queue),
//! with the button that removes it and a way back. Nothing is removed by one click
//! on a list.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::super::pages::csrf_field;
use super::fields::use_text;
use super::tabs::{self, Tab};
use super::widgets::isolated;
use super::widgets::version_field;
use super::{Console, Editing, for_get};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::uses;

/// `GET /{slug}/{list}/{item}/remove`: `item` is the place in the list (a partner's
/// key for partners).
pub(super) async fn confirm(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, list, item) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let Removal {
        tab,
        name,
        action,
        effects,
        conditions,
    } = removal(&ed, &list, &item)?;
    let lang = ed.lang;
    let base = ed.base();
    Ok(tabs::page(
        &ed,
        tab,
        &name,
        StatusCode::OK,
        html! {
            (effects)
            form method="post" action=(action) novalidate {
                (csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                @if conditions {
                    div class="choice field" {
                        input type="checkbox" id="drop_conditions" name="drop_conditions" value="yes" checked;
                        label for="drop_conditions" { (t(lang, "launch-remove-question-conditions")) }
                    }
                }
                button type="submit" class="warning" { (t(lang, "launch-remove-confirm")) }
                " "
                a href={ (base) (tab.path()) } { (t(lang, "launch-remove-cancel")) }
            }
        },
    ))
}

/// What the page asks about: the item of `list` at `item`, what it is called, where
/// the removal posts, and what else it touches.
struct Removal {
    tab: Tab,
    name: String,
    action: String,
    effects: Markup,
    /// A question that other questions' conditions test: the page offers to drop them.
    conditions: bool,
}

fn removal(ed: &Editing, list: &str, item: &str) -> Result<Removal, AppError> {
    let file = ed.file();
    let lang = ed.lang;
    let p = &ed.programme;
    let index = || item.parse::<usize>().map_err(|_| AppError::NotFound);
    let base = ed.base();
    let (tab, name, action, effects) = match list {
        "fields" => {
            let i = index()?;
            let f = file.fields.get(i).ok_or(AppError::NotFound)?;
            let label = p.text(&f.label, lang).to_owned();
            (
                Tab::Questions,
                t_args(
                    lang,
                    "launch-remove-question",
                    &[("name", isolated(&label))],
                ),
                format!("{base}/fields/{i}/remove"),
                question_effects(ed, &f.key),
            )
        }
        "queues" => {
            let i = index()?;
            let q = file.queues.get(i).ok_or(AppError::NotFound)?;
            let rules: Vec<&str> = file
                .routing
                .rules
                .iter()
                .filter(|r| r.queue == q.key)
                .map(|r| r.name.as_str())
                .collect();
            let default = file.routing.default_queue == q.key;
            (
                Tab::Queues,
                t_args(
                    lang,
                    "launch-remove-queue",
                    &[("name", isolated(p.text(&q.name, lang)))],
                ),
                format!("{base}/queues/{i}/remove"),
                html! {
                    @if default || !rules.is_empty() {
                        div class="notice" {
                            p { (t(lang, "launch-remove-queue-used")) }
                            ul {
                                @if default { li { a href={ (base) "/routing#default_queue" } { (t(lang, "pe-default-queue")) } } }
                                @for r in &rules { li { bdi { (r) } } }
                            }
                        }
                    }
                },
            )
        }
        "rules" => {
            let i = index()?;
            let r = file.routing.rules.get(i).ok_or(AppError::NotFound)?;
            (
                Tab::Routing,
                t_args(lang, "launch-remove-rule", &[("name", isolated(&r.name))]),
                format!("{base}/rules/{i}/remove"),
                html! {},
            )
        }
        "templates" => {
            let i = index()?;
            let tpl = file.templates.get(i).ok_or(AppError::NotFound)?;
            (
                Tab::Templates,
                t_args(
                    lang,
                    "launch-remove-template",
                    &[("name", isolated(&tpl.name))],
                ),
                format!("{base}/templates/{i}/remove"),
                html! {},
            )
        }
        "partners" => {
            let partner = p.partner(item).ok_or(AppError::NotFound)?;
            (
                Tab::Partners,
                t_args(
                    lang,
                    "launch-remove-partner",
                    &[("name", isolated(&partner.name))],
                ),
                format!("{base}/partners/{}/remove", partner.key),
                html! { p { (t(lang, "launch-remove-partner-effect")) } },
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let conditions =
        list == "fields" && !uses::conditions_on(file, &file.fields[index()?].key).is_empty();
    Ok(Removal {
        tab,
        name,
        action,
        effects,
        conditions,
    })
}

/// What removing a question touches: rule conditions on its answers, and other uses.
fn question_effects(ed: &Editing, key: &str) -> Markup {
    let lang = ed.lang;
    let file = ed.file();
    let mut rules: Vec<usize> = uses::conditions_on(file, key)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    rules.dedup();
    let others = uses::other_uses(file, key);
    html! {
        @if !rules.is_empty() {
            p { (t(lang, "launch-remove-question-rules")) }
            ul {
                @for r in &rules {
                    @let rule = &file.routing.rules[*r];
                    li {
                        bdi { a href={ (ed.base()) "/rules/" (r) } { (rule.name) } }
                        @if rule.when.iter().all(|c| c.field == key) {
                            " – " (t(lang, "launch-remove-question-rule-goes"))
                        }
                    }
                }
            }
        }
        @if !others.is_empty() {
            div class="notice" {
                p { (t(lang, "launch-remove-question-others")) }
                ul { @for u in &others { li { (use_text(ed, u)) } } }
            }
        }
    }
}
