//! Every error response becomes a page in the reader's language: handler errors,
//! extractor errors, unknown routes, refused methods. Server errors get an incident
//! id that is logged with the cause, so support can find it without the person
//! having to describe what they sent.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use maud::html;

use crate::crypto::random_id;
use crate::domain::Language;
use crate::i18n::{t, t_args};
use crate::web::layout::{Page, render};

/// Marks a response whose body is already a complete page (e.g. a form shown again
/// with its errors), so the error-page middleware leaves it alone.
#[derive(Clone, Copy)]
pub struct RenderedPage;

/// Sets the [`RenderedPage`] marker on a response.
pub fn mark_rendered(mut res: HttpResponse) -> HttpResponse {
    res.extensions_mut().insert(RenderedPage);
    res
}

pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Inner middleware answers refusals with responses, not errors, so that this one
    // always has a request to attach the page to.
    let res = next.call(req).await?.map_into_boxed_body();
    let chosen = res
        .request()
        .extensions()
        .get::<crate::web::ChosenLanguage>()
        .map(|c| c.0);
    let lang =
        chosen.unwrap_or_else(|| crate::web::request_language(res.request(), &Language::ALL));
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || res.response().extensions().get::<RenderedPage>().is_some()
    {
        return Ok(res);
    }
    let incident = status.is_server_error().then(random_id);
    if let Some(id) = &incident {
        // The cause is one of Haven's own error types: they carry no personal data.
        let cause = res
            .response()
            .error()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "no error attached".into());
        tracing::error!(incident = %id, status = status.as_u16(), %cause, "request failed");
    }
    // A refusal by a limit says when the limit lets the next one through.
    let retry_after = (status == StatusCode::TOO_MANY_REQUESTS)
        .then(|| {
            res.headers()
                .get(actix_web::http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        })
        .flatten();
    // A programme refused for its unsigned state says so plainly: the form is not
    // available, rather than "busy, try again in a few minutes".
    let unavailable = res
        .response()
        .error()
        .and_then(|e| e.as_error::<crate::error::AppError>())
        .is_some_and(|e| {
            matches!(
                e,
                crate::error::AppError::Store(crate::store::StoreError::UnsignedProgramme)
            )
        });
    let page = error_page(lang, status, incident.as_deref(), retry_after, unavailable);
    Ok(res.map_body(|head, _| {
        head.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        BoxBody::new(page)
    }))
}

fn error_page(
    lang: Language,
    status: StatusCode,
    incident: Option<&str>,
    retry_after_secs: Option<u64>,
    programme_unavailable: bool,
) -> String {
    let code = match status.as_u16() {
        c @ (400 | 403 | 404 | 405 | 408 | 410 | 413 | 415 | 429 | 503) => c,
        c if c >= 500 => 500,
        _ => 400,
    };
    let prefix = if programme_unavailable {
        "signed-state-unavailable".to_owned()
    } else {
        format!("error-{code}")
    };
    let title = t(lang, &format!("{prefix}-title"));
    let body = t(lang, &format!("{prefix}-body"));
    render(
        &Page {
            lang,
            title: &title,
            languages: &[],
        },
        html! {
            h1 { (title) }
            p { (body) }
            @if code == 429 {
                p {
                    @match retry_after_secs {
                        Some(secs) => (t_args(lang, "error-429-wait", &[("minutes", secs.div_ceil(60).max(1).to_string())])),
                        None => (t(lang, "error-429-later")),
                    }
                }
            }
            @if let Some(id) = incident {
                p { (t_args(lang, "error-incident", &[("id", id.to_owned())])) }
            }
        },
    )
    .into_string()
}

/// For `App::default_service`: unknown paths are a 404 page.
pub async fn not_found() -> Result<HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}

/// Extractor errors (query, path, form) become the same pages as everything else.
/// The extractor's own message is not logged: deserialisation errors can quote the
/// submitted value.
pub fn extractor_error<E>(_err: E, _req: &actix_web::HttpRequest) -> actix_web::Error {
    crate::error::AppError::BadRequest.into()
}

/// Form extractor errors: a body that came too slowly is a 408 page, any other
/// problem the 400 page (the message is not logged, as above).
pub fn form_error(
    err: actix_web::error::UrlencodedError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    match &err {
        actix_web::error::UrlencodedError::Payload(p) => crate::web::body::payload_error(p),
        _ => crate::error::AppError::BadRequest,
    }
    .into()
}
