//! The edge component: a `wasi:http` handler (spin-sdk 7, `wasm32-wasip2`) that puts the gateway in front of an
//! origin and serves the intent API, health, metrics and purging. The same `.wasm` runs under Spin and under
//! `wasmtime serve`; it imports no Spin-only interface.
//!
//! | path | what |
//! |---|---|
//! | `GET /healthz` | 200 with the intent set's size when it loads, 503 problem+json otherwise |
//! | `GET /metrics` | Prometheus text for this instance (bearer token with `INTENT_EDGE_METRICS_TOKEN`) |
//! | `POST /api/purge` | remove stored responses by key, prefix or tag ([`endpoints::purge`]) |
//! | `POST /api/intent` | text → intent, slots, spans ([`endpoints::intent_api`]) |
//! | `GET /api/intent-set` | the intent set, for clients that match locally with the JS package |
//! | anything else | a proxied route (`INTENT_EDGE_ORIGIN` or `INTENT_EDGE_ROUTES`), else static files |
//!
//! Layout: [`router`] picks the target; [`pipeline`] composes the stages (intent → limit → cache → coalesce →
//! endpoint); the policy they apply lives in [`crate::gateway`] (sans-IO, tested natively). Every error is an
//! RFC 9457 `application/problem+json` body. Configuration: see [`config`].

mod body;
mod clock;
mod config;
mod endpoints;
mod intent_set;
mod metrics;
mod pipeline;
mod preinit;
mod problem;
mod response;
mod router;
mod store;

use crate::gateway::proxy_headers;
use http::header::HeaderValue;
use spin_sdk::http::Request;
use spin_sdk::http_service;
use spin_sdk::wasip3::http::types::{ErrorCode, Response};

/// The name this cache uses in `Cache-Status` (RFC 9211).
const CACHE_NAME: &str = "intent-edge";

#[http_service]
async fn handle(request: Request) -> Result<Response, ErrorCode> {
    let (started, now) = clock::read();
    metrics::note_start(now.as_nanos() as f64 / 1e9);
    let head = router::is_head(request.method());
    let (route, mut reply, rate_limit) = router::handle(request, now).await;
    if let Some(fields) = rate_limit {
        fields.apply(&mut reply.headers);
    }
    let cache_label = match reply.cache {
        Some(outcome) => {
            let status = outcome.cache_status(CACHE_NAME, reply.ttl, reply.collapsed);
            if let Ok(value) = HeaderValue::try_from(status) {
                reply.headers.insert("cache-status", value);
            }
            if reply.collapsed {
                reply.headers.insert(
                    "x-intent-edge-coalesced",
                    HeaderValue::from_static("joined"),
                );
            }
            outcome.label()
        }
        None => "",
    };
    if reply.origin.is_some() {
        // An origin's response, live: its hop-by-hop fields went in the forward stage; the cache's tags go here.
        proxy_headers::strip_cache_tags(&mut reply.headers);
    }
    if reply.origin.is_some() || reply.cache.is_some() {
        proxy_headers::append_via(&mut reply.headers);
    }
    metrics::count(
        metrics::Counter::Requests,
        &[route, metrics::status_label(reply.status), cache_label],
    );
    metrics::observe_latency(route, started.elapsed());
    response::into_wasi(reply, head)
}
