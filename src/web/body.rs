//! Reading a request body with both a size limit and a time limit. actix-web has a
//! timeout for the request head only; a client trickling a body one byte a second
//! would otherwise hold a connection and its buffer indefinitely.

use std::time::Duration;

use actix_web::web::{Bytes, BytesMut, Payload};
use futures_util::StreamExt;

use crate::error::AppError;

pub async fn read_limited(
    mut payload: Payload,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, AppError> {
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest)?;
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
