//! The pages of one programme's parts (general settings and texts, questions, queues,
//! routing with the rules test box, templates, partners), what a refused save shows
//! back, and the pieces they share. It runs over ~500 lines because each part's page is
//! a form of its own and they share the refused-save redraw; split it by part if it grows.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::{Markup, html};

use super::super::pages::csrf_field;
use super::shown::{KINDS, Shown, Tested, kind_value, typed_text};
use super::tabs::{self, Tab};
use super::widgets::{self, Posted, errors_box, flash_box, input, localised, version_field};
use super::{Console, Editing, Saving, save_edit, saved};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::{Condition, ContactMode, EmailDisclosure, FieldKind, Match};

/// A small form of one button that changes the order or removes an item.
pub(super) fn item_button(
    ed: &Editing,
    list: &str,
    index: usize,
    op: &str,
    label: &str,
    item: &str,
) -> Markup {
    html! {
        form method="post" action={ (ed.base()) "/" (list) "/" (index) "/" (op) } class="inline" {
            (csrf_field(&ed.staff.csrf))
            (version_field(ed.record.version))
            button type="submit" class="secondary" { (label) span class="visually-hidden" { " " (item) } }
        }
    }
}

/// Up and down (small forms) and Remove, which is a link to a page that asks first.
pub(super) fn item_buttons(
    ed: &Editing,
    list: &str,
    index: usize,
    count: usize,
    item: &str,
) -> Markup {
    let lang = ed.lang;
    html! {
        @if index > 0 { (item_button(ed, list, index, "up", &t(lang, "pe-up"), item)) " " }
        @if index + 1 < count { (item_button(ed, list, index, "down", &t(lang, "pe-down"), item)) " " }
        a class="button secondary" href={ (ed.base()) "/" (list) "/" (index) "/remove" } {
            (t(lang, "pe-remove")) span class="visually-hidden" { " " (item) }
        }
    }
}

pub(super) fn condition_summary(c: &Condition) -> String {
    if let Some(v) = &c.equals {
        format!("{} = {v}", c.field)
    } else if let Some(vs) = &c.one_of {
        format!("{} ∈ {{{}}}", c.field, vs.join(", "))
    } else if let Some(v) = &c.contains {
        format!("{} ∋ “{v}”", c.field)
    } else if c.answered == Some(false) {
        format!("{} = ∅", c.field)
    } else {
        format!("{} ≠ ∅", c.field)
    }
}

/// The page of `tab` (any but the overview, the staff and the TOML pages, which have
/// their own), with what `shown` carries: a refused save's errors and typed values,
/// the rules test's outcome.
pub(super) fn section_page(ed: &Editing, tab: Tab, shown: &Shown) -> HttpResponse {
    let lang = ed.lang;
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let content = match tab {
        Tab::General => general(ed, shown),
        Tab::Questions => questions(ed, shown),
        Tab::Queues => queues(ed, shown),
        Tab::Routing => routing(ed, shown),
        Tab::Templates => templates(ed),
        Tab::Partners => super::partners_section::section(ed, shown),
        Tab::Overview | Tab::Staff | Tab::Toml => html! {},
    };
    tabs::page(
        ed,
        tab,
        &t(lang, tab.label_id()),
        status,
        html! {
            (flash_box(lang, shown.done.as_deref()))
            (errors_box(lang, &shown.errors))
            (content)
        },
    )
}

fn general(ed: &Editing, shown: &Shown) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let languages = p.languages();
    let default = p.default_language();
    let base = ed.base();
    let general = shown.typed_in("general");
    let chosen = |l: Language| match general {
        Some(posted) => posted.all("languages").any(|v| v == l.tag()),
        None => languages.contains(&l),
    };
    let text_value = |prefix, texts| typed_text(shown, prefix, texts);
    let contact = shown.value("general", "contact", || {
        match file.contact {
            ContactMode::EmailOptional => "email-optional",
            ContactMode::InboxOnly => "inbox-only",
        }
        .to_owned()
    });
    let email = shown.value("general", "email", || {
        match file.outbound.email {
            EmailDisclosure::Minimal => "minimal",
            EmailDisclosure::Full => "full",
        }
        .to_owned()
    });
    let name_field = shown.value("general", "name_field", || {
        file.outbound.name_field.clone().unwrap_or_default()
    });
    html! {
        form method="post" action={ (base) "/general" } novalidate {
            (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
            fieldset class="field" {
                legend { (t(lang, "pe-languages")) }
                p class="hint" { (t(lang, "pe-languages-hint")) }
                @for l in Language::ALL {
                    div class="choice" {
                        input type="checkbox" id={ "lang-" (l.tag()) } name="languages" value=(l.tag()) checked[chosen(l)];
                        label for={ "lang-" (l.tag()) } lang=(l.tag()) { (l.endonym()) }
                    }
                }
            }
            div class="field" {
                label for="default_language" { (t(lang, "pe-default-language")) }
                @let chosen_default = shown.value("general", "default_language", || default.tag().to_owned());
                select id="default_language" name="default_language" {
                    @for l in Language::ALL {
                        option value=(l.tag()) selected[chosen_default == l.tag()] { (l.endonym()) }
                    }
                }
            }
            (localised(lang, languages, "title", &t(lang, "pe-title"), false, text_value("title", &file.title)))
            (localised(lang, languages, "intro", &t(lang, "pe-intro"), true, text_value("intro", &file.intro)))
            (localised(lang, languages, "privacy_notice", &t(lang, "pe-privacy"), true, text_value("privacy_notice", &file.privacy_notice)))
            (localised(lang, languages, "closed_message", &t(lang, "pe-closed-message"), true, text_value("closed_message", &file.closed_message)))
            (localised(lang, languages, "handling_rules", &t(lang, "launch-handling-rules"), true, text_value("handling_rules", &file.handling_rules)))
            (widgets::number("retention_days", "retention_days", &t(lang, "pe-retention"), &shown.value("general", "retention_days", || file.retention_days.to_string())))
            fieldset class="field" id="contact" {
                legend { (t(lang, "pe-contact")) }
                @for (value, id) in [("email-optional", "pe-contact-email"), ("inbox-only", "pe-contact-inbox")] {
                    div class="choice" {
                        input type="radio" id={ "contact-" (value) } name="contact" value=(value) checked[contact == value];
                        label for={ "contact-" (value) } { (t(lang, id)) }
                    }
                }
            }
            fieldset class="field" {
                legend { (t(lang, "pe-email-mode")) }
                @for (value, id) in [("minimal", "pe-email-minimal"), ("full", "pe-email-full")] {
                    div class="choice" {
                        input type="radio" id={ "email-" (value) } name="email" value=(value) checked[email == value];
                        label for={ "email-" (value) } { (t(lang, id)) }
                    }
                }
            }
            div class="field" {
                label for="name_field" { (t(lang, "pe-name-field")) }
                select id="name_field" name="name_field" {
                    option value="" selected[name_field.is_empty()] { (t(lang, "pe-none")) }
                    @for f in file.fields.iter().filter(|f| f.kind == FieldKind::Text) {
                        option value=(f.key) selected[name_field == f.key] { (p.text(&f.label, lang)) " (" (f.key) ")" }
                    }
                }
            }
            button type="submit" { (t(lang, "pe-save")) }
        }
    }
}

fn questions(ed: &Editing, shown: &Shown) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let default = p.default_language();
    let base = ed.base();
    html! {
        div class="table-scroll" {
            table class="compact" {
                thead { tr {
                    th scope="col" class="num" { "#" }
                    th scope="col" { (t(lang, "pe-field-label")) }
                    th scope="col" { (t(lang, "pe-key")) }
                    th scope="col" { (t(lang, "pe-kind")) }
                    th scope="col" { (t(lang, "pe-required")) }
                    th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                } }
                tbody {
                    @for (i, f) in file.fields.iter().enumerate() {
                        @let label = p.text(&f.label, lang).to_owned();
                        tr {
                            td class="num" { (i + 1) }
                            td dir="auto" { a href={ (base) "/fields/" (f.key) } { (label) } }
                            td { span class="code" { (f.key) } }
                            td { (t(lang, &format!("pe-kind-{}", kind_value(f.kind)))) }
                            td { @if f.required { (t(lang, "pe-yes")) } @else { (t(lang, "pe-no")) } }
                            td class="row-actions" { (item_buttons(ed, "fields", i, file.fields.len(), &label)) }
                        }
                    }
                }
            }
        }
        h2 id="add" { (t(lang, "pe-add-field")) }
        form method="post" action={ (base) "/fields" } novalidate {
            (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
            div class="field-row" {
                (input("new-field-key", "key", &t(lang, "pe-key"), Some(&t(lang, "pe-key-hint")), &shown.value("add-field", "key", String::new)))
                div class="field" {
                    label for="new-field-kind" { (t(lang, "pe-kind")) }
                    @let kind = shown.value("add-field", "kind", || "text".into());
                    select id="new-field-kind" name="kind" {
                        @for (_, v) in KINDS {
                            option value=(v) selected[kind == v] { (t(lang, &format!("pe-kind-{v}"))) }
                        }
                    }
                }
            }
            (input("new-field-label", "label", &t_args(lang, "pe-label-in", &[("language", default.endonym().to_owned())]), None, &shown.value("add-field", "label", String::new)))
            (super::options::option_rows(lang, &[default], &[], shown.typed_in("add-field"), 3))
            button type="submit" { (t(lang, "pe-add-field")) }
        }
    }
}

fn queues(ed: &Editing, shown: &Shown) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let default = p.default_language();
    let base = ed.base();
    html! {
        div class="table-scroll" {
            table class="compact" {
                thead { tr {
                    th scope="col" { (t(lang, "pe-queue-name")) }
                    th scope="col" { (t(lang, "pe-key")) }
                    th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                } }
                tbody {
                    @for (i, q) in file.queues.iter().enumerate() {
                        @let name = p.text(&q.name, lang).to_owned();
                        tr {
                            td dir="auto" { a href={ (base) "/queues/" (q.key) } { (name) } }
                            td { span class="code" { (q.key) } }
                            td class="row-actions" { (item_buttons(ed, "queues", i, file.queues.len(), &name)) }
                        }
                    }
                }
            }
        }
        h2 id="add" { (t(lang, "pe-add-queue")) }
        form method="post" action={ (base) "/queues" } novalidate {
            (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
            div class="field-row" {
                (input("new-queue-key", "key", &t(lang, "pe-key"), None, &shown.value("add-queue", "key", String::new)))
                (input("new-queue-name", "name", &t_args(lang, "pe-label-in", &[("language", default.endonym().to_owned())]), None, &shown.value("add-queue", "name", String::new)))
            }
            button type="submit" { (t(lang, "pe-add-queue")) }
        }
    }
}

fn routing(ed: &Editing, shown: &Shown) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let base = ed.base();
    let queue_name = |key: &str| {
        file.queues
            .iter()
            .find(|q| q.key == key)
            .map(|q| p.text(&q.name, lang).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    html! {
        p { (t(lang, "pe-routing-intro")) }
        div class="table-scroll" {
            table class="compact" {
                thead { tr {
                    th scope="col" class="num" { "#" }
                    th scope="col" { (t(lang, "pe-rule-name")) }
                    th scope="col" { (t(lang, "pe-rule-when")) }
                    th scope="col" { (t(lang, "pe-rule-queue")) }
                    th scope="col" class="num" { (t(lang, "pe-priority")) }
                    th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                } }
                tbody {
                    @for (i, r) in file.routing.rules.iter().enumerate() {
                        tr {
                            td class="num" { (i + 1) }
                            td dir="auto" { a href={ (base) "/rules/" (i) } { (r.name) } }
                            td {
                                span class="code" {
                                    (r.when.iter().map(condition_summary).collect::<Vec<_>>().join(if r.match_ == Match::All { " ∧ " } else { " ∨ " }))
                                }
                            }
                            td { (queue_name(&r.queue)) }
                            td class="num" { (r.priority) }
                            td class="row-actions" { (item_buttons(ed, "rules", i, file.routing.rules.len(), &r.name)) }
                        }
                    }
                }
            }
        }
        p { a href={ (base) "/new-rule" } { (t(lang, "pe-add-rule")) } }
        form method="post" action={ (base) "/routing" } novalidate {
            (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
            div class="field-row" {
                div class="field" {
                    label for="default_queue" { (t(lang, "pe-default-queue")) }
                    @let dq = shown.value("routing", "default_queue", || file.routing.default_queue.clone());
                    select id="default_queue" name="default_queue" {
                        @for q in &file.queues {
                            option value=(q.key) selected[dq == q.key] { (p.text(&q.name, lang)) }
                        }
                    }
                }
                (priority_select(lang, "default_priority", "default_priority", &shown.value("routing", "default_priority", || file.routing.default_priority.to_string())))
            }
            button type="submit" { (t(lang, "pe-save")) }
        }
        (test_box(ed, shown.test.as_ref()))
    }
}

fn templates(ed: &Editing) -> Markup {
    let lang = ed.lang;
    let file = ed.file();
    let base = ed.base();
    html! {
        @if file.templates.is_empty() {
            p { (t(lang, "pe-templates-none")) }
        } @else {
            div class="table-scroll" {
                table class="compact" {
                    thead { tr {
                        th scope="col" { (t(lang, "pe-template-name")) }
                        th scope="col" { (t(lang, "pe-key")) }
                        th scope="col" { (t(lang, "pe-template-missing")) }
                        th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                    } }
                    tbody {
                        @for (i, tpl) in file.templates.iter().enumerate() {
                            tr {
                                td dir="auto" { a href={ (base) "/templates/" (tpl.key) } { (tpl.name) } }
                                td { span class="code" { (tpl.key) } }
                                @let missing = crate::template_checks::missing(&ed.programme, tpl);
                                td id={ (if missing.is_empty() { "complete-" } else { "missing-" }) (tpl.key) } {
                                    @if missing.is_empty() { (t(lang, "template-all-languages")) }
                                    @else { @for (j, l) in missing.iter().enumerate() { @if j > 0 { ", " } span lang=(l.tag()) { (l.endonym()) } } }
                                }
                                td class="row-actions" { (item_buttons(ed, "templates", i, file.templates.len(), &tpl.name)) }
                            }
                        }
                    }
                }
            }
        }
        p { a href={ (base) "/new-template" } { (t(lang, "pe-add-template")) } }
        p { a href={ "/console/p/" (ed.programme.slug()) "/templates" } { (t(lang, "pe-template-previews")) } }
    }
}

pub(super) fn priority_select(lang: Language, id: &str, name: &str, value: &str) -> Markup {
    html! {
        div class="field" {
            label for=(id) { (t(lang, "pe-priority")) }
            select id=(id) name=(name) {
                @for n in 1..=9u8 {
                    option value=(n) selected[value == n.to_string()] {
                        (n)
                        @if n == 1 { " – " (t(lang, "pe-priority-most")) }
                    }
                }
            }
        }
    }
}

/// The "test these rules" box: one input per field, filled with the last sample.
pub(super) fn test_box(ed: &Editing, tested: Option<&Tested>) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let typed = tested.map(|t| &t.typed);
    let value = |key: &str| typed.map_or("", |t| t.text(&format!("t.{key}")));
    html! {
        section aria-labelledby="test-title" class="test-box" {
            h3 id="test-title" { (t(lang, "pe-test-title")) }
            p { (t(lang, "pe-test-intro")) }
            @if let Some(tested) = tested {
                div class="notice" role="status" id="test-result" {
                    @if !tested.errors.is_empty() {
                        ul { @for e in &tested.errors { li { (e.message.render(lang)) } } }
                    }
                    p {
                        (t_args(lang, "pe-test-result", &[
                            ("queue", p.file().queues.iter().find(|q| q.key == tested.route.queue).map(|q| p.text(&q.name, lang).to_owned()).unwrap_or_else(|| tested.route.queue.clone())),
                            ("priority", tested.route.priority.to_string()),
                        ]))
                    }
                    p {
                        @match &tested.route.rule {
                            Some(rule) => (t_args(lang, "pe-test-by-rule", &[("rule", rule.clone())])),
                            None => (t(lang, "pe-test-by-default")),
                        }
                    }
                }
            }
            form method="post" action={ (ed.base()) "/rules-test#test-result" } novalidate {
                (csrf_field(&ed.staff.csrf))
                @for f in &p.file().fields {
                    @let id = format!("t-{}", f.key);
                    @let name = format!("t.{}", f.key);
                    @let label = p.text(&f.label, lang);
                    @match f.kind {
                        FieldKind::Select | FieldKind::Radio => {
                            div class="field" {
                                label for=(id) { (label) }
                                select id=(id) name=(name) {
                                    option value="" { (t(lang, "pe-none")) }
                                    @for o in &f.options {
                                        option value=(o.value) selected[value(&f.key) == o.value] { (p.text(&o.label, lang)) }
                                    }
                                }
                            }
                        }
                        FieldKind::Checkbox if !f.options.is_empty() => {
                            fieldset class="field" {
                                legend { (label) }
                                @for o in &f.options {
                                    @let oid = format!("{id}-{}", o.value);
                                    div class="choice" {
                                        input type="checkbox" id=(oid) name=(name) value=(o.value)
                                            checked[typed.is_some_and(|t| t.all(&name).any(|v| v == o.value))];
                                        label for=(oid) { (p.text(&o.label, lang)) }
                                    }
                                }
                            }
                        }
                        FieldKind::Checkbox => {
                            div class="choice field" {
                                input type="checkbox" id=(id) name=(name) value="yes" checked[!value(&f.key).is_empty()];
                                label for=(id) { (label) }
                            }
                        }
                        _ => {
                            div class="field" {
                                label for=(id) { (label) }
                                input type="text" id=(id) name=(name) value=(value(&f.key)) autocomplete="off";
                            }
                        }
                    }
                }
                button type="submit" class="secondary" { (t(lang, "pe-test-submit")) }
            }
        }
    }
}

/// Saves `file` unless `errors` were already found; back to the form's page either way.
pub(super) async fn finish(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    file: crate::programme::ProgrammeFile,
    mut errors: Vec<String>,
    form: &'static str,
) -> Result<HttpResponse, AppError> {
    if errors.is_empty() {
        match save_edit(console, ed, posted, &file, form).await? {
            Saving::Saved(outcome) => return Ok(saved(ed, &outcome, anchor_of(form))),
            Saving::Refused(refused) => errors = refused,
            Saving::Confirm(page) => return Ok(page),
            Saving::NotReady(gaps) => errors = gaps.iter().map(|g| g.name()).collect(),
        }
    }
    Ok(section_page(
        ed,
        Tab::of_form(form),
        &Shown::refused(form, posted, errors),
    ))
}

pub(super) fn anchor_of(form: &str) -> &str {
    match form {
        "add-field" => "fields",
        "add-queue" => "queues",
        other => other,
    }
}
