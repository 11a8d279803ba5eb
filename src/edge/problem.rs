//! RFC 9457 problem details: every error the gateway returns is `application/problem+json` naming what and where.

use super::pipeline::Reply;
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;

/// One problem: `type` is a stable URN per kind, `title` a short summary, `detail` the specific case, and
/// `pointer` (an RFC 6901 JSON pointer) the field at fault when there is one.
#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        kind: &str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Problem {
            kind: format!("urn:intent-edge:problem:{kind}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            pointer: None,
            instance: None,
        }
    }

    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn for_path(mut self, path: &str) -> Self {
        self.instance = Some(path.to_owned());
        self
    }

    /// The HTTP status.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The problem as a response (`application/problem+json`, never stored by a cache).
    pub fn into_reply(self) -> Reply {
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Reply::full(self.status_code(), headers, Bytes::from(body))
    }
}

pub fn method_not_allowed(path: &str, allowed: &'static str) -> Reply {
    let mut reply = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        format!("{path} accepts only {allowed}"),
    )
    .for_path(path)
    .into_reply();
    reply
        .headers
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
    reply
}

pub fn not_found(path: &str) -> Reply {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("nothing is served at {path}"),
    )
    .for_path(path)
    .into_reply()
}
