//! Reading a request body without ever buffering more than the configured limit, or waiting longer than the
//! configured time for it.

use super::problem::Problem;
use futures::future::{select, Either};
use http::StatusCode;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::time::Duration;

/// The whole body, or a 413 problem as soon as it exceeds `limit` bytes (checked against `Content-Length` first,
/// then while streaming, so a lying or absent length cannot make the gateway buffer more), or a 408 problem when it
/// has not all arrived `timeout` after reading began (a client that declares a body and trickles or stops sending
/// it would otherwise hold one of its instance's request slots for as long as it keeps the connection open).
pub async fn read_bounded<B>(
    headers: &http::HeaderMap,
    body: B,
    limit: usize,
    timeout: Duration,
) -> Result<bytes::Bytes, Problem>
where
    B: http_body::Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let too_large = |what: String| {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            "Request body too large",
            what,
        )
    };
    if let Some(length) = headers.get(http::header::CONTENT_LENGTH) {
        let declared: Option<usize> = length.to_str().ok().and_then(|v| v.trim().parse().ok());
        match declared {
            Some(n) if n > limit => {
                return Err(too_large(format!(
                    "the body is {n} bytes; the limit is {limit} bytes"
                )));
            }
            Some(_) => {}
            None => {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "bad-content-length",
                    "Invalid Content-Length",
                    "the Content-Length header is not a number",
                ))
            }
        }
    }
    let collect = std::pin::pin!(Limited::new(body, limit).collect());
    let deadline = std::pin::pin!(spin_sdk::time::sleep(timeout));
    let collected = match select(collect, deadline).await {
        Either::Left((collected, _)) => collected,
        Either::Right(_) => {
            return Err(Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "body-timeout",
                "Request body too slow",
                format!(
                    "the request body did not arrive within {} ms (INTENT_EDGE_BODY_TIMEOUT_MS)",
                    timeout.as_millis()
                ),
            ))
        }
    };
    match collected {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large(format!(
            "the body exceeds the limit of {limit} bytes"
        ))),
        Err(e) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "body-read-failed",
            "Request body could not be read",
            e.to_string(),
        )),
    }
}
