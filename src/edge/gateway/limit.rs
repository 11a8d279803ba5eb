//! The rate-limit stage: one GCRA decision per request, keyed by client, rendered as IETF RateLimit fields.

use super::super::problem::Problem;
use super::super::state::GatewayState;
use super::super::HttpResponse;
use crate::ratelimit::{ratelimit_header, retry_after_header, Decision, DenyReason};
use http::{HeaderMap, HeaderValue, StatusCode};

/// The client key: the first address in the configured header (default `x-forwarded-for`), else `anonymous`.
fn client_key(headers: &HeaderMap, header: &str) -> String {
    headers
        .get(header)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "anonymous".to_owned())
}

/// Decides the request; `Err` is the 429 response to send instead.
pub fn admit(
    state: &GatewayState,
    headers: &HeaderMap,
    client_header: &str,
    path: &str,
) -> Result<Decision, HttpResponse> {
    let key = client_key(headers, client_header);
    let decision = state.limiter.borrow_mut().check(&key, state.now());
    state.count(if decision.allowed {
        "ratelimit_allowed"
    } else {
        "ratelimit_denied"
    });
    if decision.allowed {
        return Ok(decision);
    }
    let detail = match decision.reason {
        Some(DenyReason::KeyTableFull) => {
            "too many distinct clients are active; retry later".to_owned()
        }
        _ => format!(
            "client {key:?} exceeded its quota; retry in {} s",
            retry_after_header(&decision).unwrap_or_default()
        ),
    };
    let response = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate-limited",
        "Too many requests",
        detail,
    )
    .for_path(path)
    .into_response();
    Err(with_rate_limit_headers(response, state, &decision))
}

/// Adds `RateLimit-Policy`, `RateLimit` and, when denied, `Retry-After`.
pub fn with_rate_limit_headers(
    mut response: HttpResponse,
    state: &GatewayState,
    decision: &Decision,
) -> HttpResponse {
    let headers = response.headers_mut();
    let policy = state.limiter.borrow().policy_header();
    for (name, value) in [
        ("ratelimit-policy", Some(policy)),
        ("ratelimit", Some(ratelimit_header(decision))),
        ("retry-after", retry_after_header(decision)),
    ] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, value);
        }
    }
    response
}
