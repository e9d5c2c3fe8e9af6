//! A programme's first page: the launch checklist (GOV.UK Forms' task list is the
//! model), each part with its state and links to what is missing or to review, and
//! the status form. Opening is refused while a language lacks a text or nobody holds
//! a role ([`crate::programme::launch`], asked by `editing::save`); the refusal names
//! and links each item, and an admin in a hurry can drop the unfinished languages and
//! open in one step.
//!
//! Longer than ~500 lines because the checklist is one page: each part's summary, the
//! gaps and reviews it links, and the status forms render together from one `Facts`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::super::pages::csrf_field;
use super::shown::Form;
use super::tabs::{self, Tab};
use super::widgets::isolated;
use super::widgets::{
    self, Posted, errors_box, flash_box, status_label, status_value, version_field,
};
use super::{Console, Editing, Saving, done_of, for_get, for_post, reauth, save_text, saved};
use crate::audit::{AuditAction, Entry};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::editing::{self, next_states};
use crate::programme::launch::{
    self, Checklist, Facts, Gap, Item, Review, Section, State, Text, incomplete_languages,
};
use crate::programme::{ContactMode, EmailDisclosure, ProgrammeStatus};

/// What the checklist needs besides the definition, from the store.
async fn facts(console: &Console, ed: &Editing) -> Result<Facts, AppError> {
    Ok(Facts {
        staff: console.store.programme_staff(&ed.record.id).await?.len(),
        marks: console.store.launch_marks(&ed.record.id).await?,
    })
}

pub(super) async fn overview(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    let facts = facts(&console, &ed).await?;
    Ok(page(&ed, &facts, done_of(&req).as_deref(), &[], &[]))
}

/// Where a missing text is typed: its page and the input's id.
fn text_link(ed: &Editing, language: Language, text: &Text) -> String {
    let base = ed.base();
    let tag = language.tag();
    match text {
        Text::Title => format!("{base}/general#title-{tag}"),
        Text::Intro => format!("{base}/general#intro-{tag}"),
        Text::PrivacyNotice => format!("{base}/general#privacy_notice-{tag}"),
        Text::ClosedMessage => format!("{base}/general#closed_message-{tag}"),
        Text::HandlingRules => format!("{base}/general#handling_rules-{tag}"),
        Text::Label { field } => format!("{base}/fields/{field}#label-{tag}"),
        Text::Hint { field } => format!("{base}/fields/{field}#hint-{tag}"),
        Text::Error { field } => format!("{base}/fields/{field}#error-{tag}"),
        Text::Option { field, value } => {
            let row = ed
                .programme
                .field(field)
                .and_then(|f| f.options.iter().position(|o| o.value == *value))
                .unwrap_or(0);
            format!("{base}/fields/{field}#opt-{row}-{tag}")
        }
        Text::Subject { template } => format!("{base}/templates/{template}#subject-{tag}"),
        Text::Body { template } => format!("{base}/templates/{template}#body-{tag}"),
    }
}

/// A missing text in words.
fn text_words(ed: &Editing, text: &Text) -> String {
    let lang = ed.lang;
    let p = &ed.programme;
    let question = |key: &str| {
        isolated(
            &p.field(key)
                .map_or_else(|| key.to_owned(), |f| p.text(&f.label, lang).to_owned()),
        )
    };
    let template = |key: &str| {
        isolated(
            &p.template(key)
                .map_or_else(|| key.to_owned(), |t| t.name.clone()),
        )
    };
    match text {
        Text::Title => t(lang, "launch-text-title"),
        Text::Intro => t(lang, "launch-text-intro"),
        Text::PrivacyNotice => t(lang, "launch-text-privacy"),
        Text::ClosedMessage => t(lang, "launch-text-closed"),
        Text::HandlingRules => t(lang, "launch-text-handling"),
        Text::Label { field } => {
            t_args(lang, "launch-text-label", &[("question", question(field))])
        }
        Text::Hint { field } => t_args(lang, "launch-text-hint", &[("question", question(field))]),
        Text::Error { field } => {
            t_args(lang, "launch-text-error", &[("question", question(field))])
        }
        Text::Option { field, value } => {
            let answer = p
                .field(field)
                .and_then(|f| f.options.iter().find(|o| o.value == *value))
                .map_or_else(|| value.clone(), |o| p.text(&o.label, lang).to_owned());
            t_args(
                lang,
                "launch-text-option",
                &[("answer", isolated(&answer)), ("question", question(field))],
            )
        }
        Text::Subject { template: k } => {
            t_args(lang, "launch-text-subject", &[("template", template(k))])
        }
        Text::Body { template: k } => {
            t_args(lang, "launch-text-body", &[("template", template(k))])
        }
    }
}

/// Each gap in words, linking to where it is fixed, grouped by language.
fn gap_list(ed: &Editing, gaps: &[Gap]) -> Markup {
    let lang = ed.lang;
    let by_language = launch::by_language(gaps);
    html! {
        @for (language, texts) in &by_language {
            li {
                (t_args(lang, "launch-missing-in", &[("language", language.endonym().to_owned())]))
                ul {
                    @for text in texts {
                        li { a href=(text_link(ed, *language, text)) { (text_words(ed, text)) } }
                    }
                }
            }
        }
        @if gaps.contains(&Gap::NoStaff) {
            li { a href={ (ed.base()) "/staff" } { (t(lang, "launch-gap-staff")) } }
        }
    }
}

/// A to-review item in words, with where to look.
fn review_item(ed: &Editing, review: &Review) -> (String, String) {
    let lang = ed.lang;
    let p = &ed.programme;
    let base = ed.base();
    match review {
        Review::RulesUntried => (
            t(lang, "launch-review-rules"),
            format!("{base}/routing#test-title"),
        ),
        Review::Copied(item) => match item {
            Item::Texts => (t(lang, "launch-review-texts"), format!("{base}/general")),
            Item::Hint(k) => (
                t_args(
                    lang,
                    "launch-review-hint",
                    &[(
                        "question",
                        isolated(
                            &p.field(k)
                                .map_or_else(|| k.clone(), |f| p.text(&f.label, lang).to_owned()),
                        ),
                    )],
                ),
                format!("{base}/fields/{k}#hint-{}", p.default_language().tag()),
            ),
            Item::Template(k) => (
                t_args(
                    lang,
                    "launch-review-template",
                    &[(
                        "template",
                        isolated(&p.template(k).map_or_else(|| k.clone(), |t| t.name.clone())),
                    )],
                ),
                format!("{base}/templates/{k}"),
            ),
            Item::Partner(k) => (
                t_args(
                    lang,
                    "launch-review-partner",
                    &[(
                        "partner",
                        isolated(&p.partner(k).map_or_else(|| k.clone(), |p| p.name.clone())),
                    )],
                ),
                format!("{base}/partners/{k}"),
            ),
            Item::Retention => (
                t_args(
                    lang,
                    "launch-review-retention",
                    &[("days", p.file().retention_days.to_string())],
                ),
                format!("{base}/general#retention_days"),
            ),
            Item::Contact => (
                t(lang, "launch-review-contact"),
                format!("{base}/general#contact"),
            ),
        },
    }
}

/// What the part says when nothing is missing.
fn part_summary(ed: &Editing, section: Section, facts: &Facts) -> String {
    let lang = ed.lang;
    let file = ed.file();
    let count = |n: usize| n.to_string();
    match section {
        Section::Texts => t_args(
            lang,
            "launch-summary-texts",
            &[("count", count(ed.programme.languages().len()))],
        ),
        Section::Questions => t_args(
            lang,
            "launch-summary-questions",
            &[("count", count(file.fields.len()))],
        ),
        Section::Routing => t_args(
            lang,
            "launch-summary-routing",
            &[
                ("queues", count(file.queues.len())),
                ("rules", count(file.routing.rules.len())),
            ],
        ),
        Section::Templates => t_args(
            lang,
            "launch-summary-templates",
            &[("count", count(file.templates.len()))],
        ),
        Section::Staff => t_args(
            lang,
            "launch-summary-staff",
            &[("count", count(facts.staff))],
        ),
        Section::Retention => t_args(
            lang,
            "launch-summary-retention",
            &[("days", file.retention_days.to_string())],
        ),
        Section::Partners => t_args(
            lang,
            "launch-summary-partners",
            &[("count", count(file.partners.len()))],
        ),
        Section::Contact => {
            let contact = match file.contact {
                ContactMode::EmailOptional => t(lang, "pe-contact-email"),
                ContactMode::InboxOnly => t(lang, "pe-contact-inbox"),
            };
            let email = match file.outbound.email {
                EmailDisclosure::Minimal => t(lang, "pe-email-minimal"),
                EmailDisclosure::Full => t(lang, "pe-email-full"),
            };
            format!("{contact} {email}")
        }
    }
}

fn section_link(ed: &Editing, section: Section) -> String {
    let base = ed.base();
    let path = match section {
        Section::Texts | Section::Retention => "/general",
        Section::Questions => "/fields",
        Section::Routing => "/routing",
        Section::Templates => "/templates",
        Section::Staff => "/staff",
        Section::Partners => "/partners",
        Section::Contact => "/general#contact",
    };
    format!("{base}{path}")
}

fn checklist(ed: &Editing, list: &Checklist, facts: &Facts) -> Markup {
    let lang = ed.lang;
    let (done, all) = list.done();
    html! {
        h2 id="checklist" { (t(lang, "launch-checklist")) }
        p { (t_args(lang, "launch-progress", &[("done", done.to_string()), ("all", all.to_string())])) }
        ol class="task-list" {
            @for part in &list.parts {
                li id={ "part-" (part.section.as_str()) } {
                    div class="task" {
                        a href=(section_link(ed, part.section)) class="task-name" {
                            (t(lang, &format!("launch-part-{}", part.section.as_str())))
                        }
                        " "
                        strong class={ "tag state-" (part.state.as_str()) } {
                            (t(lang, &format!("launch-state-{}", part.state.as_str())))
                        }
                    }
                    @match part.state {
                        State::Missing => { ul class="gaps" { (gap_list(ed, &part.gaps)) } }
                        State::ToReview => {
                            ul class="reviews" {
                                @for review in &part.reviews {
                                    @let (words, href) = review_item(ed, review);
                                    li {
                                        a href=(href) { (words) }
                                        @if let Review::Copied(item) = review {
                                            form method="post" action={ (ed.base()) "/launch/confirm" } class="inline" {
                                                (csrf_field(&ed.staff.csrf))
                                                input type="hidden" name="item" value=(item.key());
                                                " "
                                                button type="submit" class="secondary" {
                                                    (t(lang, "launch-confirm"))
                                                    span class="visually-hidden" { " " (words) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        State::Done => { p class="hint" { (part_summary(ed, part.section, facts)) } }
                    }
                }
            }
        }
    }
}

fn status_forms(ed: &Editing, gaps: &[Gap]) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let base = ed.base();
    let may_open = next_states(p.status()).contains(&ProgrammeStatus::Open);
    let droppable: Vec<Language> = incomplete_languages(gaps, p.languages())
        .into_iter()
        .filter(|l| *l != p.default_language())
        .collect();
    html! {
        h2 id="status" { (t(lang, "pe-status")) }
        p { (t_args(lang, "pe-status-now", &[("status", status_label(lang, p.status()))])) }
        p { (t(lang, &format!("pe-status-{}-means", status_value(p.status())))) }
        @if may_open && !gaps.is_empty() {
            div class="notice" id="not-ready" {
                p { (t(lang, "launch-not-ready")) }
            }
        }
        @if !next_states(p.status()).is_empty() {
            form method="post" action={ (base) "/status" } novalidate {
                (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
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
        @if may_open && !droppable.is_empty() {
            @let names = droppable.iter().map(|l| l.endonym()).collect::<Vec<_>>().join(", ");
            h3 id="hurry" { (t(lang, "launch-hurry")) }
            p { (t_args(lang, "launch-hurry-intro", &[("languages", names.clone())])) }
            form method="post" action={ (base) "/open-without" } novalidate {
                (csrf_field(&ed.staff.csrf)) (version_field(ed.record.version))
                @for l in &droppable {
                    input type="hidden" name="drop" value=(l.tag());
                }
                (widgets::password(lang, "hurry"))
                button type="submit" class="warning" { (t_args(lang, "launch-hurry-submit", &[("languages", names)])) }
            }
        }
    }
}

/// The overview: summary, checklist, status. `refused`: the reasons a status change
/// was refused (the gaps, each linked, or other messages).
pub(super) fn page(
    ed: &Editing,
    facts: &Facts,
    done: Option<&str>,
    refused_gaps: &[Gap],
    errors: &[String],
) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let list = Checklist::of(p.file(), p.languages(), facts);
    let gaps: Vec<Gap> = list.gaps().cloned().collect();
    let status = if refused_gaps.is_empty() && errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = p.text(&p.file().title, lang).to_owned();
    tabs::page(
        ed,
        Tab::Overview,
        &title,
        status,
        html! {
            (flash_box(lang, done))
            (errors_box(lang, errors))
            @if !refused_gaps.is_empty() {
                div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 id="error-summary-title" { (t(lang, "launch-refused-title")) }
                    p { (t(lang, "launch-refused-intro")) }
                    ul { (gap_list(ed, refused_gaps)) }
                }
            }
            dl class="summary" {
                dt { (t(lang, "pe-col-slug")) } dd { span class="code" { (p.slug()) } }
                dt { (t(lang, "pe-col-status")) } dd { (status_label(lang, p.status())) }
                dt { (t(lang, "pe-col-version")) } dd {
                    (ed.record.version)
                    @if ed.staff.may(crate::casework::Action::ReadAuditLog) {
                        " – " a href={ "/admin/audit?subject=programme%3A" (p.slug()) } { (t(lang, "pe-history")) }
                    }
                }
                dt { (t(lang, "pe-preview")) } dd {
                    ul class="inline-list" {
                        @for l in p.languages() {
                            li { a href={ "/console/p/" (p.slug()) "/preview?lang=" (l.tag()) } lang=(l.tag()) hreflang=(l.tag()) { (l.endonym()) } }
                        }
                    }
                }
            }
            (checklist(ed, &list, facts))
            (status_forms(ed, &gaps))
        },
    )
}

/// The status form: one of [`editing::next_states`], after the password. Opening goes
/// through the launch gate in `editing::save`, like any save.
pub(super) async fn change_status(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let to = [
        ProgrammeStatus::Draft,
        ProgrammeStatus::Open,
        ProgrammeStatus::Closed,
        ProgrammeStatus::Archived,
    ]
    .into_iter()
    .find(|s| status_value(*s) == posted.text("to"))
    .filter(|s| next_states(ed.programme.status()).contains(s))
    .ok_or(AppError::BadRequest)?;
    let mut file = ed.file().clone();
    file.status = to;
    set_status(
        &console,
        &req,
        &ed,
        &posted,
        file,
        editing::change("status"),
    )
    .await
}

/// "Drop these languages and open": the unfinished translations leave with their
/// texts, and the programme opens, in one save (the default language stays).
pub(super) async fn open_without(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    if !next_states(ed.programme.status()).contains(&ProgrammeStatus::Open) {
        return Err(AppError::BadRequest);
    }
    let drop: Vec<Language> = posted
        .all("drop")
        .filter_map(|tag| Language::parse(tag).ok())
        .filter(|l| *l != ed.programme.default_language())
        .collect();
    let mut file = ed.file().clone();
    editing::drop_languages(&mut file, &drop);
    file.status = ProgrammeStatus::Open;
    let mut detail = editing::change("status");
    detail.insert(
        "dropped_languages".into(),
        drop.iter().map(|l| l.tag()).collect::<Vec<_>>().into(),
    );
    set_status(&console, &req, &ed, &posted, file, detail).await
}

/// Saves a status change after the password; a refused opening shows the checklist
/// with each missing item linked.
async fn set_status(
    console: &Console,
    req: &HttpRequest,
    ed: &Editing,
    posted: &Posted,
    file: crate::programme::ProgrammeFile,
    detail: serde_json::Map<String, serde_json::Value>,
) -> Result<HttpResponse, AppError> {
    let facts = facts(console, ed).await?;
    let proof = match reauth(console, req, &ed.staff, ed.lang, posted).await? {
        Ok(proof) => proof,
        Err(refused) => return Ok(page(ed, &facts, None, &[], &[refused])),
    };
    let text = editing::to_text(&file).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(
        match save_text(console, ed, posted, &text, detail, Some(&proof), false).await? {
            Saving::Saved(outcome) => saved(ed, &outcome, "status"),
            Saving::NotReady(gaps) => page(ed, &facts, None, &gaps, &[]),
            Saving::Refused(errors) => page(ed, &facts, None, &[], &errors),
            Saving::Confirm(page) => page,
        },
    )
}

/// "Confirm as it is": an admin read a copied item and keeps it; the checklist stops
/// asking. Audited, as a statement about the programme.
pub(super) async fn confirm_item(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let item = Item::parse(posted.text("item")).ok_or(AppError::BadRequest)?;
    console
        .store
        .remove_launch_mark(&ed.record.id, &item.key())
        .await?;
    console
        .store
        .record_audit(
            &Entry::new(
                &ed.staff.actor(),
                AuditAction::ProgrammeReview,
                &format!("programme:{}", ed.slug()),
            )
            .detail(serde_json::json!({ "confirmed": item.key(), "version": ed.record.version })),
        )
        .await?;
    Ok(super::see_other(&format!(
        "{}?done=confirmed#part-{}",
        ed.base(),
        item.section().as_str()
    )))
}
