//! "Edit as TOML": the text `haven programme export` prints, in a textarea. Saving
//! runs the parser `haven programme apply` runs; its errors, which name the line,
//! are shown beside the text as it was typed.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::widgets::{Posted, errors_box, normalise, version_field};
use super::{Console, Editing, for_get, for_post, save_text, saved};
use crate::error::AppError;
use crate::i18n::{t, t_args};
use crate::programme::editing;

pub async fn show(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let ed = for_get(&console, &req, &slug).await?;
    // With the `#:schema` line, so that a copy pasted into a file is one editors check.
    let text = crate::programme::schema::exported(&ed.record.definition);
    Ok(page(&ed, ed.record.version, &text, &[]))
}

pub async fn save(
    console: web::Data<Console>,
    req: HttpRequest,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = Posted::new(form.into_inner());
    let ed = for_post(&console, &req, &slug, &posted).await?;
    let text = normalise(posted.text("definition"));
    let version = posted.text("version").parse().unwrap_or(ed.record.version);
    Ok(save_text(
        &console,
        &ed,
        &posted,
        &text,
        editing::change("toml"),
        None,
        true,
    )
    .await?
    .respond(
        |outcome| saved(&ed, &outcome, "top"),
        |errors| page(&ed, version, &text, &errors),
    ))
}

fn page(ed: &Editing, version: i64, text: &str, errors: &[String]) -> HttpResponse {
    let lang = ed.lang;
    let title = t_args(lang, "pe-toml-title", &[("slug", ed.slug().to_string())]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    super::tabs::page(
        ed,
        super::tabs::Tab::Toml,
        &title,
        status,
        html! {
            p { (t(lang, "pe-toml-intro")) }
            form method="post" action={ (ed.base()) "/toml" } novalidate {
                (super::super::pages::csrf_field(&ed.staff.csrf))
                (version_field(version))
                div class=@if errors.is_empty() { "field" } @else { "field has-error" } {
                    label for="definition" { (t(lang, "pe-toml-label")) }
                    @if !errors.is_empty() {
                        div id="definition-errors" { (errors_box(lang, errors)) }
                    }
                    textarea id="definition" name="definition" rows="40" class="code-text" spellcheck="false" dir="ltr"
                        aria-describedby=[(!errors.is_empty()).then_some("definition-errors")] { (text) }
                }
                button type="submit" { (t(lang, "pe-toml-submit")) }
            }
        },
    )
}
