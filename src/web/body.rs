//! Reading a request body with both a size limit and a time limit. actix-web has a
//! timeout for the request head only; a client trickling a body one byte a second
//! would otherwise hold a connection and its buffer indefinitely.
//!
//! [`body_deadline`] puts a deadline on every request's body, whatever extractor reads
//! it (`web::Form` in the console, [`read_limited`] on the public form): once it
//! passes, the body stream fails with a timed-out error, the request is answered 408
//! and actix closes the connection, since its body was never read to the end.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload as DevPayload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes, BytesMut, Payload};
use futures_util::{Stream, StreamExt};

use crate::config::Config;
use crate::error::AppError;

pub async fn read_limited(
    mut payload: Payload,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, AppError> {
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| payload_error(&e))?;
            if body.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| AppError::RequestTimeout)?
}

/// The page for a body that could not be read: too slow is a 408, anything else 400.
pub fn payload_error(e: &PayloadError) -> AppError {
    match e {
        PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            AppError::RequestTimeout
        }
        _ => AppError::BadRequest,
    }
}

/// The slowest average rate a large declared body may arrive at, on top of the
/// base timeout: a 32 MiB upload gets about nine minutes more, a form a second.
const MIN_BYTES_PER_SEC: u64 = 64 * 1024;

/// Beyond this, a declared length earns no more time (no route takes more).
const MAX_CREDITED_BYTES: u64 = 64 * 1024 * 1024;

/// The time a body of `declared` bytes (its `Content-Length`, if any) may take.
pub fn allowed_time(base: Duration, declared: Option<u64>) -> Duration {
    let credited = declared.unwrap_or(0).min(MAX_CREDITED_BYTES);
    base + Duration::from_secs(credited / MIN_BYTES_PER_SEC)
}

/// Middleware: the body of every request must have arrived within
/// `Config::body_timeout` (plus time for a large declared length, see
/// [`allowed_time`], at most 17 minutes more) of the request reaching Haven. Form
/// routes refuse a declared length over their limit before reading, and the public
/// form reads with its own 60 s limit, so there a trickling client is held at most
/// about a minute.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(config) = req.app_data::<web::Data<Config>>() {
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let limit = allowed_time(config.body_timeout, declared);
        let inner = req.take_payload();
        let stream: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(Deadline {
            inner,
            expires: Box::pin(tokio::time::sleep(limit)),
            expired: false,
        });
        req.set_payload(DevPayload::from(stream));
    }
    next.call(req).await
}

struct Deadline<S> {
    inner: S,
    expires: Pin<Box<tokio::time::Sleep>>,
    expired: bool,
}

impl<S> Stream for Deadline<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.expires.as_mut().poll(cx).is_ready() {
            self.expired = true;
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "request body too slow",
            )))));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_declared_bodies_get_time_for_a_slow_but_steady_link() {
        let base = Duration::from_secs(60);
        assert_eq!(allowed_time(base, None), base);
        assert_eq!(allowed_time(base, Some(16 * 1024)), base);
        assert_eq!(
            allowed_time(base, Some(32 * 1024 * 1024)),
            base + Duration::from_secs(512)
        );
        assert_eq!(
            allowed_time(base, Some(u64::MAX)),
            base + Duration::from_secs(1024)
        );
    }
}
