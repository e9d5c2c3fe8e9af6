//! The one error type that handlers return, and how it maps to status codes. The page
//! a person sees is rendered by `web::errors` in their language; nothing internal
//! (SQL, paths, key ids) ever reaches them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::crypto::CryptoError;
use crate::store::{StoreError, WriterError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("malformed request")]
    BadRequest,
    /// Staff pages without a valid session: a redirect to the sign-in page.
    #[error("sign-in required")]
    SignInRequired,
    /// A programme's handling rules are to be read and acknowledged first: a redirect
    /// to that page (the path, already checked to be a local one).
    #[error("handling rules to acknowledge")]
    RulesUnread(String),
    #[error("request refused")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too slow")]
    RequestTimeout,
    #[error("programme closed")]
    Gone,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    TooManyRequests,
    #[error("service unavailable: {0}")]
    Unavailable(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Writer(#[from] WriterError),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<crate::keyring::GateError> for AppError {
    fn from(e: crate::keyring::GateError) -> Self {
        use crate::keyring::GateError;
        match e {
            GateError::Capped => Self::TooManyRequests,
            GateError::KeyDestroyed => Self::Crypto(CryptoError::KeyDestroyed),
            GateError::MissingKey => Self::Internal(e.to_string()),
            GateError::Store(e) => Self::Store(e),
            GateError::Crypto(e) => Self::Crypto(e),
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::SignInRequired | Self::RulesUnread(_) => StatusCode::SEE_OTHER,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Gone => StatusCode::GONE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_)
            | Self::Writer(WriterError::Stopped)
            | Self::Store(StoreError::UnsignedProgramme) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Store(_) | Self::Writer(_) | Self::Crypto(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// A bare response: `web::errors::error_pages` replaces the body with a page.
    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        match self {
            Self::MethodNotAllowed => {
                res.insert_header(("Allow", "GET, POST, HEAD"));
            }
            Self::TooManyRequests => {
                res.insert_header(("Retry-After", "3600"));
            }
            Self::SignInRequired => {
                res.insert_header(("Location", "/console/sign-in"));
            }
            Self::RulesUnread(to) => {
                res.insert_header(("Location", to.as_str()));
            }
            _ => {}
        }
        res.finish()
    }
}
