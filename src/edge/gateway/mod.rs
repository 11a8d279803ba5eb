//! The gateway in front of the origin: one stage per concern, composed in the order a request meets them.
//!
//! ```text
//! request ─▶ rate limit ─▶ cache lookup ─▶ coalesce ─▶ forward to origin ─▶ cache store ─▶ response
//!            (429 + RateLimit)  (hit: Age)    (join an identical flight)
//! ```
//!
//! - [`limit`]: GCRA per client key; every response carries `RateLimit-Policy` / `RateLimit`; a denial is a 429
//!   problem+json with `Retry-After`.
//! - [`http_cache`]: RFC 9111 for a shared cache: only GET/HEAD, only responses with explicit freshness
//!   (`s-maxage` over `max-age`), never `no-store` or `private`, never requests with `Authorization` unless the
//!   response says `public` or `s-maxage`; the key is the exact canonical request key. Hits carry `Age`.
//! - coalescing: identical GET/HEAD requests in flight at once share one origin call (`x-intent-edge-coalesced`).
//! - [`forward`]: the origin call, with bounded request and response bodies.
//!
//! State is per component instance (see `state`): a best-effort cache and a limiter that each instance enforces on
//! the traffic it sees.

mod flight;
mod forward;
pub mod http_cache;
mod limit;

use super::config::GatewayConfig;
use super::problem::Problem;
use super::state::GatewayState;
use super::HttpResponse;
use crate::cache::EntryOptions;
use crate::coalesce::{Admission, RequestKey};
use bytes::Bytes;
pub use flight::Flight;
use flight::{LeaderGuard, Outcome};
pub use forward::BufferedResponse;
use forward::ForwardRequest;
use http::{HeaderValue, Method, StatusCode};
use std::rc::Rc;

/// Request headers that make two requests different for the cache and for coalescing.
const VARY: &[&str] = &[
    "accept",
    "accept-encoding",
    "accept-language",
    "authorization",
    "cookie",
];

pub use limit::{admit, with_rate_limit_headers};

/// Cache, coalesce and forward one request that the rate limiter admitted.
pub async fn proxy(
    request: super::HttpRequest,
    config: &GatewayConfig,
    origin: &str,
    state: &Rc<GatewayState>,
) -> HttpResponse {
    let path = request.uri().path().to_owned();
    let forward = match ForwardRequest::read(request, config, origin).await {
        Ok(forward) => forward,
        Err(problem) => return problem.for_path(&path).into_response(),
    };
    let key = RequestKey::new(
        forward.method.as_str(),
        &forward.path_and_query,
        forward
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?))),
        VARY,
        &forward.body,
    );
    let cacheable_method = forward.method == Method::GET || forward.method == Method::HEAD;
    let policy = http_cache::RequestPolicy::of(&forward.headers);

    if cacheable_method && policy.may_use_stored {
        let now = state.now();
        let hit = state
            .cache
            .borrow_mut()
            .get_with_age(key.as_str(), now)
            .map(|(stored, age)| (Rc::clone(stored), age));
        if let Some((stored, age)) = hit {
            state.count("cache_hit");
            return stored.to_response(Some(age), "HIT", None);
        }
        state.count("cache_miss");
    }

    if !cacheable_method {
        return match forward.send().await {
            Ok(response) => response.to_response(None, "BYPASS", None),
            Err(problem) => problem.for_path(&path).into_response(),
        };
    }

    // Coalesce: one origin call per key in flight; the others wait for its outcome.
    let admission = {
        let mut table = state.coalescer.borrow_mut();
        match table.begin(&key, state.now(), |_| Rc::new(Flight::default())) {
            Ok(Admission::Lead(ticket, flight)) => Some((Some(ticket), Rc::clone(flight))),
            Ok(Admission::Join(flight)) => Some((None, Rc::clone(flight))),
            // The gateway keeps no replay window (windowMs is forced to 0), so there is nothing to replay.
            Ok(Admission::Replay(())) => None,
            Err(_) => None,
        }
    };
    let Some((ticket, flight)) = admission else {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too-many-in-flight",
            "Too many requests in flight",
            "the gateway's in-flight table is full (INTENT_EDGE_COALESCE maxInFlight)",
        )
        .for_path(&path)
        .into_response();
    };
    let joined = ticket.is_none();
    let outcome = match ticket {
        Some(ticket) => {
            state.count("coalesce_lead");
            let guard = LeaderGuard::new(Rc::clone(&flight), ticket, Rc::clone(state));
            let outcome: Outcome = forward
                .send()
                .await
                .map(Rc::new)
                .map_err(|p| Rc::new(p.detail));
            if let Ok(response) = &outcome {
                store(
                    state,
                    &key,
                    response,
                    policy.may_store,
                    forward.headers.contains_key(http::header::AUTHORIZATION),
                );
            }
            guard.finish(outcome.clone());
            outcome
        }
        None => {
            state.count("coalesce_join");
            flight.wait().await
        }
    };
    match outcome {
        Ok(response) => response.to_response(None, "MISS", joined.then_some("joined")),
        Err(detail) => Problem::new(
            StatusCode::BAD_GATEWAY,
            "origin-unavailable",
            "Origin unavailable",
            detail.as_str(),
        )
        .for_path(&path)
        .into_response(),
    }
}

fn store(
    state: &GatewayState,
    key: &RequestKey,
    response: &Rc<BufferedResponse>,
    may_store: bool,
    had_authorization: bool,
) {
    if !may_store {
        return;
    }
    if let Some(ttl) = response.freshness(had_authorization) {
        let stored = state.cache.borrow_mut().insert(
            key.as_str(),
            Rc::clone(response),
            response.size(),
            state.now(),
            EntryOptions {
                ttl: Some(ttl),
                tags: Vec::new(),
            },
        );
        state.count(if stored.is_ok() {
            "cache_store"
        } else {
            "cache_too_large"
        });
    }
}

impl BufferedResponse {
    fn to_response(
        &self,
        age: Option<std::time::Duration>,
        cache: &'static str,
        coalesced: Option<&'static str>,
    ) -> HttpResponse {
        let mut response = HttpResponse::new(Bytes::clone(&self.body).into());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        let headers = response.headers_mut();
        if let Some(age) = age {
            let total = self.age_at_origin.saturating_add(age.as_secs());
            headers.insert(http::header::AGE, HeaderValue::from(total));
        }
        headers.insert("x-intent-edge-cache", HeaderValue::from_static(cache));
        if let Some(coalesced) = coalesced {
            headers.insert(
                "x-intent-edge-coalesced",
                HeaderValue::from_static(coalesced),
            );
        }
        response
    }
}
