//! The overview of one programme and its structured editors: general settings,
//! fields, queues, routing rules (with a box to try them out), reply templates.
//! Each editor changes a copy of the stored definition and hands it to
//! [`super::save_edit`]; none writes anything itself.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::widgets::{
    self, Posted, errors_box, flash_box, input, localised, normalise, status_label, status_value,
    version_field,
};
use super::{Console, Editing, for_get, for_post, save_edit, saved, shell_page};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::intake::form::{FieldError, RawForm, sample_answers};
use crate::programme::editing::{keep_languages, next_states};
use crate::programme::{
    Condition, ContactMode, EmailDisclosure, Field, FieldKind, FieldOption, Match, Queue,
    RoutingRule, Template,
};
use crate::triage::{Route, route};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/general", web::post().to(general))
        .route("/{slug}/fields", web::post().to(add_field))
        .route("/{slug}/fields/{key}", web::get().to(field_page))
        .route("/{slug}/fields/{key}", web::post().to(save_field))
        .route("/{slug}/queues", web::post().to(add_queue))
        .route("/{slug}/queues/{key}", web::get().to(queue_page))
        .route("/{slug}/queues/{key}", web::post().to(save_queue))
        .route("/{slug}/routing", web::post().to(routing_defaults))
        .route("/{slug}/rules-test", web::post().to(test_rules))
        .route("/{slug}/new-rule", web::get().to(new_rule_page))
        .route("/{slug}/new-rule", web::post().to(save_new_rule))
        .route("/{slug}/rules/{index}", web::get().to(rule_page))
        .route("/{slug}/rules/{index}", web::post().to(save_rule))
        .route("/{slug}/new-template", web::get().to(new_template_page))
        .route("/{slug}/new-template", web::post().to(save_new_template))
        .route("/{slug}/templates/{key}", web::get().to(template_page))
        .route("/{slug}/templates/{key}", web::post().to(save_template))
        .route("/{slug}/{list}/{index}/{op}", web::post().to(reorder));
}

type Form = web::Form<Vec<(String, String)>>;

const KINDS: [(FieldKind, &str); 9] = [
    (FieldKind::Text, "text"),
    (FieldKind::Textarea, "textarea"),
    (FieldKind::Email, "email"),
    (FieldKind::Phone, "phone"),
    (FieldKind::Select, "select"),
    (FieldKind::Radio, "radio"),
    (FieldKind::Checkbox, "checkbox"),
    (FieldKind::Country, "country"),
    (FieldKind::Date, "date"),
];

fn kind_value(kind: FieldKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("text", |(_, v)| v)
}

fn kind_of(value: &str) -> Option<FieldKind> {
    KINDS.iter().find(|(_, v)| *v == value).map(|(k, _)| *k)
}

/// What the overview shows besides the programme: a message, errors of a refused
/// save with the form's typed values, the outcome of the rules test box.
#[derive(Default)]
pub struct Shown {
    pub done: Option<String>,
    pub errors: Vec<String>,
    /// The form (its anchor) whose typed values are shown back, and those values.
    pub typed: Option<(&'static str, Posted)>,
    pub test: Option<Tested>,
}

pub struct Tested {
    typed: Posted,
    route: Route,
    errors: Vec<FieldError>,
}

impl Shown {
    fn refused(form: &'static str, posted: &Posted, errors: Vec<String>) -> Self {
        Self {
            errors,
            typed: Some((form, posted.without_secrets())),
            ..Default::default()
        }
    }

    /// The typed value of `name` if the refused form was `form`, else `current`.
    fn value(&self, form: &str, name: &str, current: impl FnOnce() -> String) -> String {
        match &self.typed {
            Some((f, posted)) if *f == form => posted.text(name).to_owned(),
            _ => current(),
        }
    }

    fn typed_in(&self, form: &str) -> Option<&Posted> {
        match &self.typed {
            Some((f, posted)) if *f == form => Some(posted),
            _ => None,
        }
    }
}

/// A text of the general form per language: as typed after a refused save, else stored.
fn typed_text<'a>(
    shown: &'a Shown,
    prefix: &'a str,
    texts: &'a crate::programme::Localised,
) -> impl Fn(Language) -> String + 'a {
    move |l| {
        shown.value("general", &format!("{prefix}.{}", l.tag()), || {
            text_in(texts, l)
        })
    }
}

fn text_in(texts: &crate::programme::Localised, l: Language) -> String {
    texts.get(l.tag()).cloned().unwrap_or_default()
}

/// A small form of one button that changes the order or removes an item.
fn item_button(
    ed: &Editing,
    list: &str,
    index: usize,
    op: &str,
    label: &str,
    item: &str,
) -> Markup {
    html! {
        form method="post" action={ (ed.base()) "/" (list) "/" (index) "/" (op) } class="inline" {
            (super::super::pages::csrf_field(&ed.staff.csrf))
            (version_field(ed.record.version))
            button type="submit" class="secondary" { (label) span class="visually-hidden" { " " (item) } }
        }
    }
}

fn item_buttons(ed: &Editing, list: &str, index: usize, count: usize, item: &str) -> Markup {
    let lang = ed.lang;
    html! {
        @if index > 0 { (item_button(ed, list, index, "up", &t(lang, "pe-up"), item)) " " }
        @if index + 1 < count { (item_button(ed, list, index, "down", &t(lang, "pe-down"), item)) " " }
        (item_button(ed, list, index, "remove", &t(lang, "pe-remove"), item))
    }
}

fn condition_summary(c: &Condition) -> String {
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

pub fn overview_page(ed: &Editing, shown: &Shown) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let languages = p.languages();
    let default = p.default_language();
    let base = ed.base();
    let csrf = || super::super::pages::csrf_field(&ed.staff.csrf);
    let version = || version_field(ed.record.version);
    let title = p.text(&file.title, lang).to_owned();
    let status = if shown.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
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
    let queue_name = |key: &str| {
        file.queues
            .iter()
            .find(|q| q.key == key)
            .map(|q| p.text(&q.name, lang).to_owned())
            .unwrap_or_else(|| key.to_owned())
    };
    shell_page(
        &ed.staff,
        lang,
        &title,
        status,
        html! {
            (flash_box(lang, shown.done.as_deref()))
            (errors_box(lang, &shown.errors))
            p { a href="/admin/programmes" { (t(lang, "pe-list-title")) } }
            h1 id="top" dir="auto" { (title) }
            dl class="summary" {
                dt { (t(lang, "pe-col-slug")) } dd { span class="code" { (p.slug()) } }
                dt { (t(lang, "pe-col-status")) } dd { (status_label(lang, p.status())) }
                dt { (t(lang, "pe-col-version")) } dd {
                    (ed.record.version)
                    @if ed.staff.is_admin {
                        " – " a href={ "/admin/audit?subject=programme%3A" (p.slug()) } { (t(lang, "pe-history")) }
                    }
                }
                dt { (t(lang, "pe-preview")) } dd {
                    ul class="inline-list" {
                        @for l in languages {
                            li { a href={ "/console/p/" (p.slug()) "/preview?lang=" (l.tag()) } lang=(l.tag()) hreflang=(l.tag()) { (l.endonym()) } }
                        }
                    }
                }
            }
            nav aria-label=(t(lang, "pe-sections")) class="filters" {
                ul {
                    li { a href="#general" { (t(lang, "pe-general")) } }
                    li { a href="#fields" { (t(lang, "pe-fields")) } }
                    li { a href="#queues" { (t(lang, "pe-queues")) } }
                    li { a href="#routing" { (t(lang, "pe-routing")) } }
                    li { a href="#templates" { (t(lang, "pe-templates")) } }
                    li { a href="#status" { (t(lang, "pe-status")) } }
                    li { a href={ (base) "/toml" } { (t(lang, "pe-toml-link")) } }
                }
            }

            h2 id="general" { (t(lang, "pe-general")) }
            form method="post" action={ (base) "/general" } novalidate {
                (csrf()) (version())
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
                (widgets::number("retention_days", "retention_days", &t(lang, "pe-retention"), &shown.value("general", "retention_days", || file.retention_days.to_string())))
                fieldset class="field" {
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

            h2 id="fields" { (t(lang, "pe-fields")) }
            table {
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
                            td { (item_buttons(ed, "fields", i, file.fields.len(), &label)) }
                        }
                    }
                }
            }
            h3 { (t(lang, "pe-add-field")) }
            form method="post" action={ (base) "/fields" } novalidate {
                (csrf()) (version())
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
                (widgets::textarea("new-field-options", "options", &t(lang, "pe-options"), Some(&options_hint(lang, &[default])), &shown.value("add-field", "options", String::new)))
                button type="submit" { (t(lang, "pe-add-field")) }
            }

            h2 id="queues" { (t(lang, "pe-queues")) }
            table {
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
                            td { (item_buttons(ed, "queues", i, file.queues.len(), &name)) }
                        }
                    }
                }
            }
            h3 { (t(lang, "pe-add-queue")) }
            form method="post" action={ (base) "/queues" } novalidate {
                (csrf()) (version())
                div class="field-row" {
                    (input("new-queue-key", "key", &t(lang, "pe-key"), None, &shown.value("add-queue", "key", String::new)))
                    (input("new-queue-name", "name", &t_args(lang, "pe-label-in", &[("language", default.endonym().to_owned())]), None, &shown.value("add-queue", "name", String::new)))
                }
                button type="submit" { (t(lang, "pe-add-queue")) }
            }

            h2 id="routing" { (t(lang, "pe-routing")) }
            p { (t(lang, "pe-routing-intro")) }
            table {
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
                            td { (item_buttons(ed, "rules", i, file.routing.rules.len(), &r.name)) }
                        }
                    }
                }
            }
            p { a href={ (base) "/new-rule" } { (t(lang, "pe-add-rule")) } }
            form method="post" action={ (base) "/routing" } novalidate {
                (csrf()) (version())
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

            h2 id="templates" { (t(lang, "pe-templates")) }
            @if file.templates.is_empty() {
                p { (t(lang, "pe-templates-none")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (t(lang, "pe-template-name")) }
                        th scope="col" { (t(lang, "pe-key")) }
                        th scope="col" { span class="visually-hidden" { (t(lang, "pe-actions")) } }
                    } }
                    tbody {
                        @for (i, tpl) in file.templates.iter().enumerate() {
                            tr {
                                td dir="auto" { a href={ (base) "/templates/" (tpl.key) } { (tpl.name) } }
                                td { span class="code" { (tpl.key) } }
                                td { (item_buttons(ed, "templates", i, file.templates.len(), &tpl.name)) }
                            }
                        }
                    }
                }
            }
            p { a href={ (base) "/new-template" } { (t(lang, "pe-add-template")) } }

            h2 id="status" { (t(lang, "pe-status")) }
            p { (t_args(lang, "pe-status-now", &[("status", status_label(lang, p.status()))])) }
            p { (t(lang, &format!("pe-status-{}-means", status_value(p.status())))) }
            @if !next_states(p.status()).is_empty() {
                form method="post" action={ (base) "/status" } novalidate {
                    (csrf()) (version())
                    div class="field" {
                        label for="status-to" { (t(lang, "pe-status-to")) }
                        select id="status-to" name="to" {
                            @for s in next_states(p.status()) {
                                option value=(status_value(*s)) { (status_label(lang, *s)) }
                            }
                        }
                    }
                    (widgets::password(lang, "status"))
                    button type="submit" { (t(lang, "pe-status-submit")) }
                }
            }
        },
    )
}

fn priority_select(lang: Language, id: &str, name: &str, value: &str) -> Markup {
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

fn options_hint(lang: Language, languages: &[Language]) -> String {
    t_args(
        lang,
        "pe-options-hint",
        &[(
            "languages",
            languages
                .iter()
                .map(|l| l.endonym())
                .collect::<Vec<_>>()
                .join(" | "),
        )],
    )
}

/// Options as lines `value | label | label …`, the labels in the programme's
/// language order (an empty cell: no text in that language).
fn options_text(options: &[FieldOption], languages: &[Language]) -> String {
    options
        .iter()
        .map(|o| {
            let mut cells = vec![o.value.clone()];
            cells.extend(languages.iter().map(|l| text_in(&o.label, *l)));
            while cells.len() > 1 && cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            cells.join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse_options(
    lang: Language,
    text: &str,
    languages: &[Language],
) -> Result<Vec<FieldOption>, String> {
    let mut options = Vec::new();
    for (n, line) in normalise(text).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut cells = line.split('|').map(str::trim);
        let value = cells.next().unwrap_or("").to_owned();
        let labels: Vec<&str> = cells.collect();
        if labels.len() > languages.len() {
            return Err(t_args(
                lang,
                "pe-error-options-cells",
                &[("line", (n + 1).to_string())],
            ));
        }
        let label = languages
            .iter()
            .zip(labels)
            .filter(|(_, l)| !l.is_empty())
            .map(|(lang, l)| (lang.tag().to_owned(), l.to_owned()))
            .collect();
        options.push(FieldOption { value, label });
    }
    Ok(options)
}

fn test_box(ed: &Editing, tested: Option<&Tested>) -> Markup {
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
                (super::super::pages::csrf_field(&ed.staff.csrf))
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

// ── General ──────────────────────────────────────────────────────────────────

async fn general(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let lang = ed.lang;
    let mut errors = Vec::new();
    let mut file = ed.file().clone();
    let languages = ed.programme.languages().to_vec();
    let chosen: Vec<Language> = Language::ALL
        .into_iter()
        .filter(|l| posted.all("languages").any(|v| v == l.tag()))
        .collect();
    match Language::parse(posted.text("default_language")) {
        Ok(default) if chosen.contains(&default) => {
            file.languages = std::iter::once(default)
                .chain(chosen.iter().copied().filter(|l| *l != default))
                .map(|l| l.tag().to_owned())
                .collect();
        }
        _ => errors.push(t(lang, "pe-error-default-language")),
    }
    file.title = posted.localised("title", &languages);
    file.intro = posted.localised("intro", &languages);
    file.privacy_notice = posted.localised("privacy_notice", &languages);
    file.closed_message = posted.localised("closed_message", &languages);
    match posted.text("retention_days").trim().parse::<u32>() {
        Ok(days) => file.retention_days = days,
        Err(_) => errors.push(t(lang, "pe-error-retention")),
    }
    file.contact = match posted.text("contact") {
        "inbox-only" => ContactMode::InboxOnly,
        _ => ContactMode::EmailOptional,
    };
    file.outbound.email = match posted.text("email") {
        "full" => EmailDisclosure::Full,
        _ => EmailDisclosure::Minimal,
    };
    file.outbound.name_field = Some(posted.text("name_field").to_owned()).filter(|s| !s.is_empty());
    keep_languages(&mut file);
    finish(&console, &ed, &posted, file, errors, "general").await
}

/// Saves `file` unless `errors` were already found; back to the overview either way.
async fn finish(
    console: &Console,
    ed: &Editing,
    posted: &Posted,
    file: crate::programme::ProgrammeFile,
    mut errors: Vec<String>,
    form: &'static str,
) -> Result<HttpResponse, AppError> {
    if errors.is_empty() {
        match save_edit(console, ed, posted, &file, form).await? {
            Ok(outcome) => return Ok(saved(ed, &outcome, anchor_of(form))),
            Err(refused) => errors = refused,
        }
    }
    Ok(overview_page(ed, &Shown::refused(form, posted, errors)))
}

fn anchor_of(form: &str) -> &str {
    match form {
        "add-field" => "fields",
        "add-queue" => "queues",
        other => other,
    }
}

// ── Fields ───────────────────────────────────────────────────────────────────

async fn add_field(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let lang = ed.lang;
    let default = ed.programme.default_language();
    let mut errors = Vec::new();
    let mut file = ed.file().clone();
    let kind = kind_of(posted.text("kind")).unwrap_or(FieldKind::Text);
    let label = posted.text("label").trim();
    let options = match parse_options(lang, posted.text("options"), &[default]) {
        Ok(o) => o,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    file.fields.push(Field {
        key: posted.text("key").trim().to_owned(),
        kind,
        required: false,
        max_length: None,
        label: Some((default.tag().to_owned(), label.to_owned()))
            .filter(|_| !label.is_empty())
            .into_iter()
            .collect(),
        hint: Default::default(),
        options,
    });
    finish(&console, &ed, &posted, file, errors, "add-field").await
}

async fn field_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let field = ed.programme.field(&key).ok_or(AppError::NotFound)?.clone();
    Ok(field_form(&ed, &field, None, &[]))
}

fn field_form(
    ed: &Editing,
    field: &Field,
    typed: Option<&Posted>,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let languages = p.languages();
    let value = |name: &str, current: String| typed.map_or(current, |t| t.text(name).to_owned());
    let title = t_args(lang, "pe-field-title", &[("key", field.key.clone())]);
    let kind = value("kind", kind_value(field.kind).to_owned());
    let required = typed.map_or(field.required, |t| t.has("required"));
    shell_page(
        &ed.staff,
        lang,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            p { a href={ (ed.base()) "#fields" } { (t(lang, "pe-back")) } }
            h1 { (title) }
            form method="post" action={ (ed.base()) "/fields/" (field.key) } novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                div class="field" {
                    label for="kind" { (t(lang, "pe-kind")) }
                    select id="kind" name="kind" {
                        @for (_, v) in KINDS {
                            option value=(v) selected[kind == v] { (t(lang, &format!("pe-kind-{v}"))) }
                        }
                    }
                }
                div class="choice field" {
                    input type="checkbox" id="required" name="required" value="yes" checked[required];
                    label for="required" { (t(lang, "pe-required")) }
                }
                (widgets::number("max_length", "max_length", &t(lang, "pe-max-length"), &value("max_length", field.max_length.map(|m| m.to_string()).unwrap_or_default())))
                (localised(lang, languages, "label", &t(lang, "pe-field-label"), false, |l| value(&format!("label.{}", l.tag()), text_in(&field.label, l))))
                (localised(lang, languages, "hint", &t(lang, "pe-hint"), true, |l| value(&format!("hint.{}", l.tag()), text_in(&field.hint, l))))
                (widgets::textarea("options", "options", &t(lang, "pe-options"), Some(&options_hint(lang, languages)), &value("options", options_text(&field.options, languages))))
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

async fn save_field(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let lang = ed.lang;
    let languages = ed.programme.languages().to_vec();
    let mut file = ed.file().clone();
    let Some(index) = file.fields.iter().position(|f| f.key == key) else {
        return Err(AppError::NotFound);
    };
    let mut errors = Vec::new();
    let field = &mut file.fields[index];
    field.kind = kind_of(posted.text("kind")).unwrap_or(field.kind);
    field.required = posted.has("required");
    field.max_length = match posted.text("max_length").trim() {
        "" => None,
        n => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(t(lang, "pe-error-max-length"));
                None
            }
        },
    };
    field.label = posted.localised("label", &languages);
    field.hint = posted.localised("hint", &languages);
    match parse_options(lang, posted.text("options"), &languages) {
        Ok(o) => field.options = o,
        Err(e) => errors.push(e),
    }
    let shown = field.clone();
    if errors.is_empty() {
        match save_edit(&console, &ed, &posted, &file, "fields").await? {
            Ok(outcome) => return Ok(saved(&ed, &outcome, "fields")),
            Err(refused) => errors = refused,
        }
    }
    Ok(field_form(
        &ed,
        &shown,
        Some(&posted.without_secrets()),
        &errors,
    ))
}

// ── Queues ───────────────────────────────────────────────────────────────────

async fn add_queue(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let default = ed.programme.default_language();
    let mut file = ed.file().clone();
    let name = posted.text("name").trim();
    file.queues.push(Queue {
        key: posted.text("key").trim().to_owned(),
        name: Some((default.tag().to_owned(), name.to_owned()))
            .filter(|_| !name.is_empty())
            .into_iter()
            .collect(),
    });
    finish(&console, &ed, &posted, file, Vec::new(), "add-queue").await
}

async fn queue_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let queue = ed
        .file()
        .queues
        .iter()
        .find(|q| q.key == key)
        .ok_or(AppError::NotFound)?
        .clone();
    Ok(queue_form(&ed, &queue, None, &[]))
}

fn queue_form(
    ed: &Editing,
    queue: &Queue,
    typed: Option<&Posted>,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let title = t_args(lang, "pe-queue-title", &[("key", queue.key.clone())]);
    let value = |name: &str, current: String| typed.map_or(current, |t| t.text(name).to_owned());
    shell_page(
        &ed.staff,
        lang,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            p { a href={ (ed.base()) "#queues" } { (t(lang, "pe-back")) } }
            h1 { (title) }
            form method="post" action={ (ed.base()) "/queues/" (queue.key) } novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                (localised(lang, ed.programme.languages(), "name", &t(lang, "pe-queue-name"), false, |l| value(&format!("name.{}", l.tag()), text_in(&queue.name, l))))
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

async fn save_queue(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let languages = ed.programme.languages().to_vec();
    let mut file = ed.file().clone();
    let queue = file
        .queues
        .iter_mut()
        .find(|q| q.key == key)
        .ok_or(AppError::NotFound)?;
    queue.name = posted.localised("name", &languages);
    let shown = queue.clone();
    match save_edit(&console, &ed, &posted, &file, "queues").await? {
        Ok(outcome) => Ok(saved(&ed, &outcome, "queues")),
        Err(errors) => Ok(queue_form(
            &ed,
            &shown,
            Some(&posted.without_secrets()),
            &errors,
        )),
    }
}

// ── Routing ──────────────────────────────────────────────────────────────────

async fn routing_defaults(
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
async fn test_rules(
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
    Ok(overview_page(
        &ed,
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

const OPS: [&str; 5] = ["equals", "in", "contains", "answered", "unanswered"];

fn op_of(c: &Condition) -> (&'static str, String) {
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

fn rule_from(posted: &Posted, lang: Language) -> Result<RoutingRule, String> {
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

async fn rule_page(
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

async fn new_rule_page(
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

fn rule_form(
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
    shell_page(
        &ed.staff,
        lang,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            p { a href={ (ed.base()) "#routing" } { (t(lang, "pe-back")) } }
            h1 dir="auto" { (title) }
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
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

async fn save_rule(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, usize)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, index) = path.into_inner();
    store_rule(console, req, slug, Some(index), form).await
}

async fn save_new_rule(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    store_rule(console, req, slug.into_inner(), None, form).await
}

async fn store_rule(
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
    match save_edit(&console, &ed, &posted, &file, "rules").await? {
        Ok(outcome) => Ok(saved(&ed, &outcome, "routing")),
        Err(errors) => Ok(rule_form(&ed, index, &rule, &errors)),
    }
}

// ── Templates ────────────────────────────────────────────────────────────────

async fn template_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let template = ed
        .programme
        .template(&key)
        .ok_or(AppError::NotFound)?
        .clone();
    Ok(template_form(&ed, Some(&key), &template, &[]))
}

async fn new_template_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    let blank = Template {
        key: String::new(),
        name: String::new(),
        subject: Default::default(),
        body: Default::default(),
    };
    Ok(template_form(&ed, None, &blank, &[]))
}

fn template_form(
    ed: &Editing,
    key: Option<&str>,
    template: &Template,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let title = match key {
        Some(k) => t_args(lang, "pe-template-title", &[("key", k.to_owned())]),
        None => t(lang, "pe-add-template"),
    };
    let action = match key {
        Some(k) => format!("{}/templates/{k}", ed.base()),
        None => format!("{}/new-template", ed.base()),
    };
    let languages = ed.programme.languages();
    shell_page(
        &ed.staff,
        lang,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            p { a href={ (ed.base()) "#templates" } { (t(lang, "pe-back")) } }
            h1 { (title) }
            p { (t(lang, "pe-template-placeholders")) }
            form method="post" action=(action) novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                @if key.is_none() {
                    (input("key", "key", &t(lang, "pe-key"), Some(&t(lang, "pe-key-hint")), &template.key))
                }
                (input("name", "name", &t(lang, "pe-template-name"), None, &template.name))
                (localised(lang, languages, "subject", &t(lang, "pe-subject"), false, |l| text_in(&template.subject, l)))
                (localised(lang, languages, "body", &t(lang, "pe-body"), true, |l| text_in(&template.body, l)))
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

async fn save_template(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    store_template(console, req, slug, Some(key), form).await
}

async fn save_new_template(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    store_template(console, req, slug.into_inner(), None, form).await
}

async fn store_template(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: String,
    key: Option<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let languages = ed.programme.languages().to_vec();
    let mut file = ed.file().clone();
    let template = Template {
        key: key
            .clone()
            .unwrap_or_else(|| posted.text("key").trim().to_owned()),
        name: posted.text("name").trim().to_owned(),
        subject: posted.localised("subject", &languages),
        body: posted.localised("body", &languages),
    };
    match &key {
        Some(k) => {
            let slot = file
                .templates
                .iter_mut()
                .find(|t| t.key == *k)
                .ok_or(AppError::NotFound)?;
            *slot = template.clone();
        }
        None => file.templates.push(template.clone()),
    }
    match save_edit(&console, &ed, &posted, &file, "templates").await? {
        Ok(outcome) => Ok(saved(&ed, &outcome, "templates")),
        Err(errors) => Ok(template_form(&ed, key.as_deref(), &template, &errors)),
    }
}

// ── Order and removal ────────────────────────────────────────────────────────

fn shift<T>(items: &mut Vec<T>, index: usize, op: &str) -> Result<(), AppError> {
    if index >= items.len() {
        return Err(AppError::NotFound);
    }
    match op {
        "up" if index > 0 => items.swap(index, index - 1),
        "down" if index + 1 < items.len() => items.swap(index, index + 1),
        "remove" => {
            items.remove(index);
        }
        _ => return Err(AppError::BadRequest),
    }
    Ok(())
}

async fn reorder(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String, usize, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, list, index, op) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    let (part, anchor): (&'static str, &'static str) = match list.as_str() {
        "fields" => {
            shift(&mut file.fields, index, &op)?;
            ("fields", "fields")
        }
        "queues" => {
            shift(&mut file.queues, index, &op)?;
            ("queues", "queues")
        }
        "rules" => {
            shift(&mut file.routing.rules, index, &op)?;
            ("rules", "routing")
        }
        "templates" => {
            shift(&mut file.templates, index, &op)?;
            ("templates", "templates")
        }
        _ => return Err(AppError::NotFound),
    };
    match save_edit(&console, &ed, &posted, &file, part).await? {
        Ok(outcome) => Ok(saved(&ed, &outcome, anchor)),
        Err(errors) => Ok(overview_page(
            &ed,
            &Shown {
                errors,
                ..Default::default()
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_back_as_they_are_shown() {
        let langs = [Language::En, Language::Fr];
        let typed = "yes | Yes | Oui\r\nno | No\n\n maybe |  | Peut-être ";
        let options = parse_options(Language::En, typed, &langs).unwrap();
        assert_eq!(options.len(), 3);
        assert_eq!(options[1].label.get("fr"), None);
        assert_eq!(options[2].label.get("en"), None);
        assert_eq!(
            options[2].label.get("fr").map(String::as_str),
            Some("Peut-être")
        );
        let shown = options_text(&options, &langs);
        assert_eq!(shown, "yes | Yes | Oui\nno | No\nmaybe |  | Peut-être");
        assert_eq!(
            parse_options(Language::En, &shown, &langs).unwrap(),
            options
        );
        assert!(parse_options(Language::En, "a | b | c | d", &langs).is_err());
    }
}
