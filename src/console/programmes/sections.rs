//! The editors for general settings, queues, reply templates, order and removal, the
//! parts' pages, and their routes (fields, rules, partners and staff have their own
//! files and routes). Each
//! editor changes a copy of the stored definition and hands it to
//! [`super::save_edit`]; none writes anything itself.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::parts::{finish, section_page};
use super::shown::{Form, Shown, text_in};
use super::tabs::{self, Tab};
use super::widgets::{Posted, errors_box, input, localised, version_field};
use super::{Console, Editing, done_of, for_get, for_post, save_edit, saved};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::editing::keep_languages;
use crate::programme::{ContactMode, EmailDisclosure, Queue, Template};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/general", web::get().to(general_page))
        .route("/{slug}/general", web::post().to(general))
        .route("/{slug}/fields", web::get().to(questions_page))
        .route("/{slug}/queues", web::get().to(queues_page))
        .route("/{slug}/routing", web::get().to(routing_page))
        .route("/{slug}/templates", web::get().to(templates_page))
        .route("/{slug}/queues", web::post().to(add_queue))
        .route("/{slug}/queues/{key}", web::get().to(queue_page))
        .route("/{slug}/queues/{key}", web::post().to(save_queue))
        .route("/{slug}/new-template", web::get().to(new_template_page))
        .route("/{slug}/new-template", web::post().to(save_new_template))
        .route("/{slug}/templates/{key}", web::get().to(template_page))
        .route("/{slug}/templates/{key}", web::post().to(save_template))
        .route(
            "/{slug}/{list}/{index}/remove",
            web::get().to(super::remove::confirm),
        )
        .route("/{slug}/{list}/{index}/{op}", web::post().to(reorder));
}

// ── The parts' pages ─────────────────────────────────────────────────────────

async fn show(
    console: &Console,
    req: &HttpRequest,
    slug: &str,
    tab: Tab,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(console, req, slug).await?;
    Ok(section_page(
        &ed,
        tab,
        &Shown {
            done: done_of(req),
            ..Default::default()
        },
    ))
}

async fn general_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&console, &req, &slug, Tab::General).await
}

async fn questions_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&console, &req, &slug, Tab::Questions).await
}

async fn queues_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&console, &req, &slug, Tab::Queues).await
}

async fn routing_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&console, &req, &slug, Tab::Routing).await
}

async fn templates_page(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    show(&console, &req, &slug, Tab::Templates).await
}

// ── General ──────────────────────────────────────────────────────────────────

pub(super) async fn general(
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
    file.handling_rules = posted.localised("handling_rules", &languages);
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

// ── Queues ───────────────────────────────────────────────────────────────────

pub(super) async fn add_queue(
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

pub(super) async fn queue_page(
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

pub(super) fn queue_form(
    ed: &Editing,
    queue: &Queue,
    typed: Option<&Posted>,
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let title = t_args(lang, "pe-queue-title", &[("key", queue.key.clone())]);
    let value = |name: &str, current: String| typed.map_or(current, |t| t.text(name).to_owned());
    tabs::page(
        ed,
        Tab::Queues,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
            form method="post" action={ (ed.base()) "/queues/" (queue.key) } novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(ed.record.version))
                // Queue names are read by staff, whose console may be in any shipped
                // language, not only the programme's: every one is offered and kept.
                (localised(lang, &Language::ALL, "name", &t(lang, "pe-queue-name"), false, |l| value(&format!("name.{}", l.tag()), text_in(&queue.name, l))))
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

pub(super) async fn save_queue(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let mut file = ed.file().clone();
    let queue = file
        .queues
        .iter_mut()
        .find(|q| q.key == key)
        .ok_or(AppError::NotFound)?;
    queue.name = posted.localised("name", &Language::ALL);
    let shown = queue.clone();
    Ok(save_edit(&console, &ed, &posted, &file, "queues")
        .await?
        .respond(
            |outcome| saved(&ed, &outcome, "queues"),
            |errors| queue_form(&ed, &shown, Some(&posted.without_secrets()), &errors),
        ))
}

// ── Templates ────────────────────────────────────────────────────────────────

pub(super) async fn template_page(
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

pub(super) async fn new_template_page(
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

pub(super) fn template_form(
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
    tabs::page(
        ed,
        Tab::Templates,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            (errors_box(lang, errors))
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

pub(super) async fn save_template(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    store_template(console, req, slug, Some(key), form).await
}

pub(super) async fn save_new_template(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    store_template(console, req, slug.into_inner(), None, form).await
}

pub(super) async fn store_template(
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
    Ok(save_edit(&console, &ed, &posted, &file, "templates")
        .await?
        .respond(
            |outcome| saved(&ed, &outcome, "templates"),
            |errors| template_form(&ed, key.as_deref(), &template, &errors),
        ))
}

// ── Order and removal ────────────────────────────────────────────────────────

pub(super) fn shift<T>(items: &mut Vec<T>, index: usize, op: &str) -> Result<(), AppError> {
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

pub(super) async fn reorder(
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
        // A question's removal may take the rule conditions on it along (the
        // confirmation page offers it); rules left without a condition go too.
        "fields" if op == "remove" && posted.has("drop_conditions") => {
            let key = file
                .fields
                .get(index)
                .ok_or(AppError::NotFound)?
                .key
                .clone();
            let places = crate::programme::uses::conditions_on(&file, &key);
            crate::programme::uses::drop_conditions(&mut file, &places);
            shift(&mut file.fields, index, &op)?;
            ("fields", "fields")
        }
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
    Ok(save_edit(&console, &ed, &posted, &file, part)
        .await?
        .respond(
            |outcome| saved(&ed, &outcome, anchor),
            |errors| {
                section_page(
                    &ed,
                    Tab::of_form(anchor),
                    &Shown {
                        errors,
                        ..Default::default()
                    },
                )
            },
        ))
}
