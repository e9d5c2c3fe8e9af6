//! The questions of the form: adding one, and one page per question for its kind,
//! texts, options and the routing rules that test its answers.
//!
//! Options are one row each, with an input per language (each marked with its
//! language and direction, so Dari and English are typed and read correctly side by
//! side). The rules that use the question are on the same page, so that one save can
//! change an option and the rules that test for it; a save that would leave a rule
//! testing for an option (or a question) that is gone is refused in words, naming the
//! rule and linking to the row that fixes it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::super::pages::csrf_field;
use super::options::{BLANK_ROWS, option_rows, options_from};
use super::parts::finish;
use super::shown::{Form, KINDS, kind_of, kind_value, text_in};
use super::tabs::{self, Tab};
use super::widgets::{self, Posted, localised, version_field};
use super::{Console, Editing, Saving, for_get, for_post, saved};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::uses::{self, Broken, Why};
use crate::programme::{Field, FieldKind, ProgrammeFile};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/fields", web::post().to(add_field))
        .route("/{slug}/fields/{key}", web::get().to(field_page))
        .route("/{slug}/fields/{key}", web::post().to(save_field));
}

// ── Adding a question ────────────────────────────────────────────────────────

pub(super) async fn add_field(
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
    let options = options_from(&posted, &[default]).unwrap_or_else(|row| {
        errors.push(t_args(
            lang,
            "launch-error-option-value",
            &[("n", row.to_string())],
        ));
        Vec::new()
    });
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
        error: Default::default(),
        first: Vec::new(),
    });
    finish(&console, &ed, &posted, file, errors, "add-field").await
}

// ── One question ─────────────────────────────────────────────────────────────

pub(super) async fn field_page(
    console: web::Data<Console>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let ed = for_get(&console, &req, &slug).await?;
    let field = ed.programme.field(&key).ok_or(AppError::NotFound)?.clone();
    Ok(field_form(&ed, &field, None, &[]))
}

/// The operator of a condition, as the rule page names it.
fn op_label(lang: Language, c: &crate::programme::Condition) -> String {
    t(lang, &format!("pe-op-{}", super::rules::op_of(c).0))
}

pub(super) fn field_form(
    ed: &Editing,
    field: &Field,
    typed: Option<&Posted>,
    errors: &[Markup],
) -> HttpResponse {
    let lang = ed.lang;
    let p = &ed.programme;
    let file = ed.file();
    let languages = p.languages();
    let value = |name: &str, current: String| typed.map_or(current, |t| t.text(name).to_owned());
    let title = t_args(lang, "pe-field-title", &[("key", field.key.clone())]);
    let kind = value("kind", kind_value(field.kind).to_owned());
    let required = typed.map_or(field.required, |t| t.has("required"));
    let conditions = uses::conditions_on(file, &field.key);
    let others = uses::other_uses(file, &field.key);
    tabs::page(
        ed,
        Tab::Questions,
        &title,
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        html! {
            @if !errors.is_empty() {
                div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                    h2 id="error-summary-title" { (t(lang, "pe-error-title")) }
                    ul { @for e in errors { li { (e) } } }
                }
            }
            p { a href={ (ed.base()) "/fields" } { (t(lang, "launch-back-to-questions")) } }
            form method="post" action={ (ed.base()) "/fields/" (field.key) } novalidate {
                (csrf_field(&ed.staff.csrf))
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
                (localised(lang, languages, "error", &t(lang, "launch-field-error"), false, |l| value(&format!("error.{}", l.tag()), text_in(&field.error, l))))
                p class="hint" { (t(lang, "launch-field-error-hint")) }
                (option_rows(lang, languages, &field.options, typed, BLANK_ROWS))
                @if !conditions.is_empty() {
                    fieldset class="rules-using" id="rules" {
                        legend { (t(lang, "launch-rules-using")) }
                        p class="hint" { (t(lang, "launch-rules-using-hint")) }
                        div class="table-scroll" {
                            table class="compact" {
                                thead { tr {
                                    th scope="col" { (t(lang, "pe-rule-name")) }
                                    th scope="col" { (t(lang, "pe-condition-op")) }
                                    th scope="col" { (t(lang, "pe-condition-value")) }
                                    th scope="col" { (t(lang, "launch-remove-condition")) }
                                } }
                                tbody {
                                    @for (r, c) in &conditions {
                                        @let rule = &file.routing.rules[*r];
                                        @let cond = &rule.when[*c];
                                        @let (op, current) = super::rules::op_of(cond);
                                        @let name = format!("cond.{r}.{c}");
                                        @let id = format!("cond-{r}-{c}");
                                        tr id=(id) {
                                            td dir="auto" { a href={ (ed.base()) "/rules/" (r) } { (rule.name) } }
                                            td { (op_label(lang, cond)) }
                                            td {
                                                @if matches!(op, "equals" | "in" | "contains") {
                                                    label class="visually-hidden" for={ (id) "-value" } {
                                                        (t_args(lang, "launch-condition-value-of", &[("rule", rule.name.clone())]))
                                                    }
                                                    input type="text" id={ (id) "-value" } name={ (name) ".value" } dir="ltr"
                                                        value=(value(&format!("{name}.value"), current)) autocomplete="off" spellcheck="false";
                                                }
                                            }
                                            td {
                                                input type="checkbox" id={ (id) "-remove" } name={ (name) ".remove" } value="yes"
                                                    checked[typed.is_some_and(|t| t.has(&format!("{name}.remove")))];
                                                label for={ (id) "-remove" } {
                                                    @if rule.when.len() == 1 {
                                                        (t(lang, "launch-remove-condition-and-rule"))
                                                    } @else {
                                                        (t(lang, "launch-remove-condition-only"))
                                                    }
                                                    span class="visually-hidden" { " " (rule.name) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !others.is_empty() {
                    div class="notice" {
                        p { (t(lang, "launch-other-uses")) }
                        ul { @for u in &others { li { (use_text(ed, u)) } } }
                    }
                }
                button type="submit" { (t(lang, "pe-save")) }
            }
        },
    )
}

/// What else names a question, in words, with a link where it is set.
pub(super) fn use_text(ed: &Editing, u: &uses::Use) -> Markup {
    let lang = ed.lang;
    let base = ed.base();
    match u {
        uses::Use::Partner(key) => {
            let name = ed
                .programme
                .partner(key)
                .map_or_else(|| key.clone(), |p| p.name.clone());
            html! { a href={ (base) "/partners/" (key) } dir="auto" { (t_args(lang, "launch-use-partner", &[("partner", name)])) } }
        }
        uses::Use::Consent => {
            html! { a href={ (base) "/partners#referrals" } { (t(lang, "launch-use-consent")) } }
        }
        uses::Use::NameField => {
            html! { a href={ (base) "/general#name_field" } { (t(lang, "launch-use-name")) } }
        }
        uses::Use::ImportText => html! { (t(lang, "launch-use-import")) },
    }
}

/// A rule's condition that no longer fits, in words, linking to the row of `page`
/// that fixes it (on a question's page) or to the rule.
pub(super) fn broken_text(ed: &Editing, b: &Broken, on_page: bool) -> Markup {
    let lang = ed.lang;
    let p = &ed.programme;
    let question = p
        .field(&b.field)
        .map_or_else(|| b.field.clone(), |f| p.text(&f.label, lang).to_owned());
    let text = match &b.why {
        Why::NoOption(value) => t_args(
            lang,
            "launch-broken-option",
            &[
                ("rule", b.rule_name.clone()),
                ("question", question),
                ("value", value.clone()),
            ],
        ),
        Why::NoQuestion => t_args(
            lang,
            "launch-broken-question",
            &[("rule", b.rule_name.clone()), ("question", question)],
        ),
    };
    let href = if on_page {
        format!("#cond-{}-{}-value", b.rule, b.condition)
    } else {
        format!("{}/rules/{}", ed.base(), b.rule)
    };
    html! {
        a href=(href) { (text) }
        " "
        @if on_page {
            a href={ (ed.base()) "/rules/" (b.rule) } { (t(lang, "launch-open-rule")) }
        }
    }
}

/// Applies the posted changes to the conditions on the question: new values, and the
/// conditions to remove (with rules left without any). Returns the rules removed.
fn apply_conditions(posted: &Posted, file: &mut ProgrammeFile, field: &str) -> Vec<String> {
    let places = uses::conditions_on(file, field);
    let mut remove = Vec::new();
    for (r, c) in places {
        let name = format!("cond.{r}.{c}");
        if posted.has(&format!("{name}.remove")) {
            remove.push((r, c));
            continue;
        }
        let Some(value) = posted.get(&format!("{name}.value")) else {
            continue;
        };
        let cond = &mut file.routing.rules[r].when[c];
        let value = value.trim().to_owned();
        if cond.equals.is_some() {
            cond.equals = Some(value);
        } else if cond.one_of.is_some() {
            cond.one_of = Some(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        } else if cond.contains.is_some() {
            cond.contains = Some(value);
        }
    }
    uses::drop_conditions(file, &remove)
}

pub(super) async fn save_field(
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
    let shown = file.fields[index].clone();
    let mut errors: Vec<Markup> = Vec::new();
    let field = &mut file.fields[index];
    field.kind = kind_of(posted.text("kind")).unwrap_or(field.kind);
    field.required = posted.has("required");
    field.max_length = match posted.text("max_length").trim() {
        "" => None,
        n => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(html! { (t(lang, "pe-error-max-length")) });
                None
            }
        },
    };
    field.label = posted.localised("label", &languages);
    field.hint = posted.localised("hint", &languages);
    field.error = posted.localised("error", &languages);
    match options_from(&posted, &languages) {
        Ok(o) => field.options = o,
        Err(row) => errors.push(html! {
            a href={ "#opt-" (row - 1) "-value" } {
                (t_args(lang, "launch-error-option-value", &[("n", row.to_string())]))
            }
        }),
    }
    let removed_rules = apply_conditions(&posted, &mut file, &key);
    // A rule left testing for an option or a question that is gone: said in words,
    // with the row that fixes it, before the parser would say it in paths.
    errors.extend(
        uses::broken_conditions(&file)
            .iter()
            .map(|b| broken_text(&ed, b, b.field == key)),
    );
    if errors.is_empty() {
        let mut detail = crate::programme::editing::change("fields");
        detail.insert("field".into(), key.clone().into());
        if !removed_rules.is_empty() {
            detail.insert("rules_removed".into(), removed_rules.into());
        }
        match super::save_edit_noting(&console, &ed, &posted, &file, detail).await? {
            Saving::Saved(outcome) => return Ok(saved(&ed, &outcome, "fields")),
            Saving::Refused(refused) => {
                errors = refused.into_iter().map(|e| html! { (e) }).collect()
            }
            Saving::Confirm(page) => return Ok(page),
            Saving::NotReady(gaps) => errors = gaps.iter().map(|g| html! { (g.name()) }).collect(),
        }
    }
    Ok(field_form(
        &ed,
        &shown,
        Some(&posted.without_secrets()),
        &errors,
    ))
}
