//! HTTP plumbing shared by every role: page layout, security headers, error pages,
//! client identification, rate limits, CSRF tokens, body reading, static assets.

pub mod assets;
pub mod body;
pub mod client;
pub mod csrf;
pub mod errors;
pub mod headers;
pub mod layout;
pub mod proxy_protocol;
pub mod ratelimit;
pub mod server;

use actix_web::HttpRequest;

use crate::domain::Language;

/// The interface language for a request: an explicit `?lang=` wins, then the browser's
/// `Accept-Language` among `offered`, then the first offered language.
pub fn request_language(req: &HttpRequest, offered: &[Language]) -> Language {
    explicit_language(req, offered)
        .or_else(|| {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| Language::negotiate(v, offered))
        })
        .or_else(|| offered.first().copied())
        .unwrap_or(Language::En)
}

/// A signed-in staff member's language, left on the request so that an error page
/// for it is in that language too.
#[derive(Debug, Clone, Copy)]
pub struct ChosenLanguage(pub Language);

/// The language asked for with `?lang=`, if it is one of `offered`.
pub fn explicit_language(req: &HttpRequest, offered: &[Language]) -> Option<Language> {
    req.query_string().split('&').find_map(|pair| {
        pair.strip_prefix("lang=")
            .and_then(|tag| Language::parse(tag).ok())
            .filter(|l| offered.contains(l))
    })
}
