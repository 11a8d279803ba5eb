//! The edge component: a `wasi:http` handler (spin-sdk 7, `wasm32-wasip2`) that serves the intent API, health and
//! metrics, and static files. The same `.wasm` runs under Spin and under `wasmtime serve`; it imports no
//! Spin-only interface.
//!
//! Routes, in the order they are tried:
//!
//! | route | what |
//! |---|---|
//! | `GET /healthz` | 200 with the intent set's size when it loads, 503 problem+json otherwise |
//! | `GET /metrics` | Prometheus text for this instance |
//! | `GET /api/intent-set` | the intent set file, for clients that match locally with the JS package |
//! | `POST /api/intent` | see [`intent_api`] |
//! | anything else | with `INTENT_EDGE_ORIGIN`: the [`gateway`] (cache, coalescing, origin); else static files |
//!
//! Every route but `/healthz` and `/metrics` passes the rate limiter first. Every error is an RFC 9457
//! `application/problem+json` body. Configuration: see [`config`].

mod body;
mod config;
mod gateway;
mod intent_api;
mod preinit;
mod problem;
mod state;
mod static_files;

use bytes::Bytes;
use config::GatewayConfig;
use http::{header, HeaderValue, Method, StatusCode};
use http_body_util::Full;
use problem::{method_not_allowed, not_found};
use serde::Serialize;
use spin_sdk::http::Request;
use spin_sdk::http_service;

type HttpRequest = Request;
type HttpResponse = http::Response<Full<Bytes>>;

fn json_response<T: Serialize>(status: StatusCode, value: &T) -> HttpResponse {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = HttpResponse::new(Bytes::from(body).into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn text_response(content_type: &'static str, body: String) -> HttpResponse {
    let mut response = HttpResponse::new(Bytes::from(body).into());
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    intents: usize,
    patterns: usize,
    /// The set came loaded (and warmed up) in the snapshot this instance started from (module `preinit`).
    preinitialized: bool,
}

async fn route(request: HttpRequest) -> (&'static str, HttpResponse) {
    let path = request.uri().path().to_owned();
    let config = match GatewayConfig::load().await {
        Ok(config) => config,
        Err(problem) => return ("config", problem.for_path(&path).into_response()),
    };
    if path == "/healthz" || path == "/metrics" {
        return operational(request, &config, &path);
    }
    let state = match state::gateway(&config) {
        Ok(state) => state,
        Err(problem) => return ("config", problem.for_path(&path).into_response()),
    };
    let decision = match gateway::admit(&state, request.headers(), &config.client_header, &path) {
        Ok(decision) => decision,
        Err(denied) => return ("ratelimited", denied),
    };
    let (route, response) = match path.as_str() {
        "/api/intent" => {
            let response = match intent_api::handle(request, &config).await {
                Ok(response) => response,
                Err(problem) => problem.into_response(),
            };
            ("intent", response)
        }
        "/api/intent-set" => (
            "intent-set",
            intent_set_file(request.method(), &config, &path),
        ),
        _ => match &config.origin {
            Some(origin) => (
                "proxy",
                gateway::proxy(request, &config, origin, &state).await,
            ),
            None => {
                let response = static_files::serve(request.method(), &path, &config.www_dir)
                    .unwrap_or_else(|| not_found(&path));
                ("static", response)
            }
        },
    };
    (
        route,
        gateway::with_rate_limit_headers(response, &state, &decision),
    )
}

/// The intent set exactly as the instance loaded it (not re-read from disk), rendered only when asked for.
fn intent_set_file(method: &Method, config: &GatewayConfig, path: &str) -> HttpResponse {
    if method != Method::GET {
        return method_not_allowed(path, "GET");
    }
    match state::matcher(config) {
        Ok(loaded) => json_response(StatusCode::OK, &loaded.set.matcher.to_config()),
        Err(problem) => problem.for_path(path).into_response(),
    }
}

fn operational(
    request: HttpRequest,
    config: &GatewayConfig,
    path: &str,
) -> (&'static str, HttpResponse) {
    match path {
        "/healthz" => {
            let response = if request.method() != Method::GET && request.method() != Method::HEAD {
                method_not_allowed(path, "GET, HEAD")
            } else {
                match state::matcher(config) {
                    Ok(loaded) => {
                        let stats = loaded.set.matcher.stats();
                        json_response(
                            StatusCode::OK,
                            &Health {
                                status: "ok",
                                intents: stats.intents,
                                patterns: stats.patterns,
                                preinitialized: loaded.set.preinitialized,
                            },
                        )
                    }
                    Err(problem) => problem.for_path(path).into_response(),
                }
            };
            ("healthz", response)
        }
        "/metrics" => {
            let response = if request.method() != Method::GET {
                method_not_allowed(path, "GET")
            } else {
                text_response(
                    "text/plain; version=0.0.4; charset=utf-8",
                    state::render_metrics(),
                )
            };
            ("metrics", response)
        }
        _ => ("metrics", not_found(path)),
    }
}

#[http_service]
async fn handle(request: Request) -> HttpResponse {
    let (route_name, response) = route(request).await;
    state::record_request(route_name, response.status().as_u16());
    response
}
