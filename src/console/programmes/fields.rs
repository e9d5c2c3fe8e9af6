//! The fields of the form: adding one, editing its kind, texts and options.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::overview::finish;
use super::overview::options_hint;
use super::shown::{Form, KINDS, kind_of, kind_value, text_in};
use super::widgets::{self, Posted, errors_box, localised, normalise, version_field};
use super::{Console, Editing, Saving, for_get, for_post, save_edit, saved, shell_page};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::{Field, FieldKind, FieldOption};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/fields", web::post().to(add_field))
        .route("/{slug}/fields/{key}", web::get().to(field_page))
        .route("/{slug}/fields/{key}", web::post().to(save_field));
}

/// Options as lines `value | label | label …`, the labels in the programme's
/// language order (an empty cell: no text in that language).
pub(super) fn options_text(options: &[FieldOption], languages: &[Language]) -> String {
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

pub(super) fn parse_options(
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

// ── Fields ───────────────────────────────────────────────────────────────────

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

pub(super) fn field_form(
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
            Saving::Saved(outcome) => return Ok(saved(&ed, &outcome, "fields")),
            Saving::Refused(refused) => errors = refused,
            Saving::Confirm(page) => return Ok(page),
        }
    }
    Ok(field_form(
        &ed,
        &shown,
        Some(&posted.without_secrets()),
        &errors,
    ))
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
