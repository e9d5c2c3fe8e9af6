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

/// Middleware: the body of every request must have arrived within
/// `Config::body_timeout` of the handler starting to wait for it.
pub async fn body_deadline(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(config) = req.app_data::<web::Data<Config>>() {
        let limit = config.body_timeout;
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
