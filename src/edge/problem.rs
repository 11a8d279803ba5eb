//! RFC 9457 problem details: every error the gateway returns is `application/problem+json` naming what and where.

use super::HttpResponse;
use bytes::Bytes;
use http::{header, HeaderValue, StatusCode};
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

    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = HttpResponse::new(Bytes::from(body).into());
        *response.status_mut() = status;
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

pub fn method_not_allowed(path: &str, allowed: &'static str) -> HttpResponse {
    let mut response = Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        format!("{path} accepts only {allowed}"),
    )
    .for_path(path)
    .into_response();
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
    response
}

pub fn not_found(path: &str) -> HttpResponse {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        format!("nothing is served at {path}"),
    )
    .for_path(path)
    .into_response()
}
