//! The origin call: copy the request (minus hop-by-hop headers) to the origin, buffer the answer within bounds.

use super::super::body::read_bounded;
use super::super::config::GatewayConfig;
use super::super::problem::Problem;
use super::http_cache::response_freshness;
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use std::time::Duration;

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), plus `host` (set from the origin).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

/// A request read in full (within `INTENT_EDGE_MAX_BODY_BYTES`) and ready to send to the origin.
pub struct ForwardRequest {
    pub method: Method,
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    origin: String,
    max_response_bytes: usize,
}

/// An origin response held in memory (shared by coalesced waiters and the cache).
#[derive(Debug)]
pub struct BufferedResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The `Age` the origin reported, in seconds.
    pub age_at_origin: u64,
}

impl BufferedResponse {
    /// Bytes charged to the cache: body plus header names and values.
    pub fn size(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len() + 4)
                .sum::<usize>()
    }

    /// How long this response may be served from the cache (`None`: not storable).
    pub fn freshness(&self, request_had_authorization: bool) -> Option<Duration> {
        response_freshness(
            self.status.as_u16(),
            &self.headers,
            request_had_authorization,
        )
    }
}

impl ForwardRequest {
    pub async fn read(
        request: super::super::HttpRequest,
        config: &GatewayConfig,
        origin: &str,
    ) -> Result<Self, Problem> {
        let (parts, body) = request.into_parts();
        let body = read_bounded(&parts.headers, body, config.max_body_bytes).await?;
        let mut headers = parts.headers;
        strip_hop_by_hop(&mut headers);
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        Ok(ForwardRequest {
            method: parts.method,
            path_and_query,
            headers,
            body,
            origin: origin.trim_end_matches('/').to_owned(),
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Sends the request to the origin and buffers the response (at most `INTENT_EDGE_MAX_RESPONSE_BYTES`).
    pub async fn send(&self) -> Result<BufferedResponse, Problem> {
        let bad_gateway = |detail: String| {
            Problem::new(
                StatusCode::BAD_GATEWAY,
                "origin-unavailable",
                "Origin unavailable",
                detail,
            )
        };
        let url = format!("{}{}", self.origin, self.path_and_query);
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(&url);
        if let Some(headers) = builder.headers_mut() {
            *headers = self.headers.clone();
        }
        let request = builder
            .body(Full::new(self.body.clone()))
            .map_err(|e| bad_gateway(format!("cannot build the origin request for {url}: {e}")))?;
        let response = spin_sdk::http::send(request)
            .await
            .map_err(|e| bad_gateway(format!("origin request to {url} failed: {e:?}")))?;
        let (parts, body) = response.into_parts();
        let body = match Limited::new(body, self.max_response_bytes).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<LengthLimitError>() => {
                return Err(bad_gateway(format!(
                "the origin's response to {url} exceeds INTENT_EDGE_MAX_RESPONSE_BYTES ({} bytes)",
                self.max_response_bytes
            )))
            }
            Err(e) => {
                return Err(bad_gateway(format!(
                    "reading the origin's response to {url} failed: {e}"
                )))
            }
        };
        let mut headers = parts.headers;
        strip_hop_by_hop(&mut headers);
        let age_at_origin = headers
            .get(http::header::AGE)
            .and_then(|v| v.to_str().ok()?.trim().parse().ok())
            .unwrap_or(0);
        Ok(BufferedResponse {
            status: parts.status,
            headers,
            body,
            age_at_origin,
        })
    }
}
