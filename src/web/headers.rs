//! Security headers on every response, and the methods Haven answers at all.

use actix_web::ResponseError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{DefaultHeaders, Next};

use crate::error::AppError;

/// Pages need nothing but their own stylesheet and icon: everything else is denied,
/// including scripts of any origin.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), \
     payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), \
     serial=(), usb=(), xr-spatial-tracking=()";

/// Headers added to every response that does not set its own (static assets set
/// their own `Cache-Control`; everything else must never be cached).
pub fn security_headers(hsts: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("Permissions-Policy", PERMISSIONS_POLICY))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Robots-Tag", "noindex, nofollow"))
        .add(("Cache-Control", "no-store"));
    if hsts {
        headers.add((
            "Strict-Transport-Security",
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// Only GET, POST and HEAD reach a handler; anything else is answered 405 here. (Staff
/// and monitoring routes do not exist on the onion listener's app: `web::server`.)
pub async fn allowed_methods(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::POST | Method::HEAD) {
        Ok(next.call(req).await?.map_into_left_body())
    } else {
        Ok(req
            .into_response(AppError::MethodNotAllowed.error_response())
            .map_into_right_body())
    }
}
