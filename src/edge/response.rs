//! From the pipeline's [`Reply`] to a `wasi:http` response: the body in memory or streamed from the origin, and
//! `HEAD` answered with the `Content-Length` of the body it would have had but no body at all.

use super::pipeline::{Reply, ReplyBody};
use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{HeaderMap, StatusCode};
use http_body_util::Full;
use serde::Serialize;
use spin_sdk::wasip3::http::types::{ErrorCode, Fields, Response as WasiResponse, Trailers};
use spin_sdk::wasip3::http_compat::BodyWriter;
use spin_sdk::wasip3::wit_future;
use std::cell::RefCell;

/// A JSON reply.
pub fn json_reply<T: Serialize>(status: StatusCode, value: &T) -> Reply {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Reply::full(status, headers, Bytes::from(body))
}

/// A text reply of the given media type.
pub fn text_reply(content_type: &'static str, body: String) -> Reply {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Reply::full(StatusCode::OK, headers, Bytes::from(body))
}

thread_local! {
    /// The field lines of the response being converted, kept between responses: the names and values keep their
    /// capacity, so lowering a header section to the runtime allocates nothing once the instance is warm.
    static FIELD_LINES: RefCell<Vec<(String, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
}

/// The runtime's fields for `base` (when given) overridden by `headers`.
fn fields_of(base: Option<&HeaderMap>, headers: &HeaderMap) -> Result<Fields, ErrorCode> {
    FIELD_LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let mut used = 0;
        let mut push = |name: &str, value: &[u8]| {
            if used == lines.len() {
                lines.push((String::new(), Vec::new()));
            }
            let (n, v) = &mut lines[used];
            n.clear();
            n.push_str(name);
            v.clear();
            v.extend_from_slice(value);
            used += 1;
        };
        for (name, value) in base.into_iter().flatten() {
            // `Via` is a list every hop appends to: the stored hops stay, this one follows in `headers`.
            if name == header::VIA || !headers.contains_key(name) {
                push(name.as_str(), value.as_bytes());
            }
        }
        for (name, value) in headers {
            push(name.as_str(), value.as_bytes());
        }
        Fields::from_list(&lines[..used])
            .map_err(|e| ErrorCode::InternalError(Some(format!("{e:?}"))))
    })
}

/// A trailers future that resolves to "no trailers" (a body with nothing to send).
fn no_trailers() -> spin_sdk::wit_bindgen::FutureReader<Result<Option<Trailers>, ErrorCode>> {
    let (writer, reader) = wit_future::new(|| Ok(None));
    drop(writer);
    reader
}

/// Converts `reply` for the runtime; `head`: the request was `HEAD` (send the length, not the body).
pub fn into_wasi(reply: Reply, head: bool) -> Result<WasiResponse, ErrorCode> {
    let Reply {
        status,
        mut headers,
        base_headers,
        body,
        ..
    } = reply;
    let no_content = status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED;
    let bodiless = head || no_content;
    match &body {
        _ if no_content => {
            headers.remove(header::CONTENT_LENGTH);
        }
        // In memory: its exact length (also for HEAD: the length the body would have had).
        ReplyBody::Full(bytes) => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        }
        // Streamed from the origin (or a HEAD passed through): the origin's declared length, which the runtime
        // checks the body against.
        ReplyBody::Stream(_) => {}
    }
    let fields = fields_of(base_headers.as_deref(), &headers)?;
    let contents = if bodiless {
        None
    } else {
        let (writer, contents, trailers) = BodyWriter::new();
        match body {
            ReplyBody::Full(bytes) if bytes.is_empty() => {
                drop(writer);
                let (response, _sent) = WasiResponse::new(fields, None, no_trailers());
                let _ = response.set_status_code(status.as_u16());
                return Ok(response);
            }
            ReplyBody::Full(bytes) => spin_sdk::wasip3::spawn(async move {
                let mut body = Full::new(bytes);
                let _ = writer.send_http_body(&mut body).await;
            }),
            ReplyBody::Stream(mut stream) => spin_sdk::wasip3::spawn(async move {
                let _ = writer.send_http_body(&mut stream).await;
            }),
        }
        Some((contents, trailers))
    };
    let (response, _sent) = match contents {
        Some((contents, trailers)) => WasiResponse::new(fields, Some(contents), trailers),
        None => WasiResponse::new(fields, None, no_trailers()),
    };
    let _ = response.set_status_code(status.as_u16());
    Ok(response)
}
