//! Where a request goes: the operational endpoints (health, metrics, purge) are answered here; everything else
//! becomes an [`Exchange`] for the pipeline, aimed at its [`Target`] — the intent API, the intent-set file, a
//! proxied route (first match in the routes table), or static files when no origin is configured.
//!
//! Before anything else, the path is brought to its normal form ([`request_path`]: decoded unreserved escapes,
//! merged slashes, no dot segments; ambiguous paths are a 400 problem), a request whose header section is larger
//! than `INTENT_EDGE_MAX_HEADER_BYTES` gets a 431 problem, and `TRACE` a 501: no stage sees them, nothing is stored
//! for them.
//!
//! The instance's gateway (its validated configuration and its pipeline) is built on the instance's first request and
//! kept for its life; a configuration that cannot be used is a 500 problem naming the variable, on every request.

use super::config::GatewayConfig;
use super::endpoints::{operations, purge};
use super::pipeline::{self, Exchange, Pipeline, RateLimitFields, Reply, Stage, Target};
use super::problem::Problem;
use crate::gateway::request_path;
use crate::time::Timestamp;
use http::{Method, StatusCode, Uri};
use spin_sdk::http::Request;
use std::borrow::Cow;
use std::cell::OnceCell;

/// The instance's gateway: configuration and pipeline, alive as long as the instance.
pub struct Gateway {
    pub config: &'static GatewayConfig,
    pub pipeline: &'static Pipeline,
}

thread_local! {
    static GATEWAY: OnceCell<Result<&'static Gateway, String>> = const { OnceCell::new() };
}

/// The instance's gateway, built on first use.
pub async fn gateway() -> Result<&'static Gateway, String> {
    if let Some(built) = GATEWAY.with(|g| g.get().cloned()) {
        return built;
    }
    let built = match GatewayConfig::read().await {
        Ok(config) => {
            // Both live as long as the instance (one allocation per instance, never freed before it ends).
            let config: &'static GatewayConfig = Box::leak(Box::new(config));
            match pipeline::build(config) {
                Ok(pipeline) => Ok(&*Box::leak(Box::new(Gateway {
                    config,
                    pipeline: Box::leak(Box::new(pipeline)),
                }))),
                Err(problem) => Err(problem.detail),
            }
        }
        Err(problem) => Err(problem.detail),
    };
    // Another request may have finished building first while this one awaited: keep a single gateway.
    GATEWAY.with(|g| g.get_or_init(|| built).clone())
}

/// The size of a header section as HTTP/1.1 would carry it: `name: value\r\n` per field.
fn header_section_bytes(headers: &http::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum()
}

/// The request with its path in normal form ([`request_path`]), or the 400 problem that refuses it.
fn with_normal_path(mut request: Request, merge_slashes: bool) -> Result<Request, Problem> {
    let refuse = |detail: String| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "ambiguous-path",
            "Ambiguous request path",
            detail,
        )
        .for_path("/")
    };
    let uri = request.uri();
    let normal = match request_path::normalize(uri.path(), merge_slashes) {
        Ok(Cow::Borrowed(_)) => return Ok(request),
        Ok(Cow::Owned(normal)) => normal,
        Err(e) => return Err(refuse(e.to_string())),
    };
    let target = match uri.query() {
        Some(query) => format!("{normal}?{query}"),
        None => normal,
    };
    let mut parts = uri.clone().into_parts();
    let rebuilt = target
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())
        .and_then(|pq| {
            parts.path_and_query = Some(pq);
            Uri::from_parts(parts).map_err(|e| e.to_string())
        });
    *request.uri_mut() =
        rebuilt.map_err(|e| refuse(format!("the normalized path is not a valid target: {e}")))?;
    Ok(request)
}

/// Answers one request. Returns the route name (for metrics) and the reply.
pub async fn handle(
    request: Request,
    now: Timestamp,
) -> (&'static str, Reply, Option<RateLimitFields>) {
    let gateway = match gateway().await {
        Ok(gateway) => gateway,
        Err(detail) => {
            // Health and metrics still answer: they say what is wrong. Metrics behind their own token, read on its
            // own (the rest of the configuration could not be), and refused if even that cannot be read.
            let path = request.uri().path();
            let method = request.method().clone();
            let reply = match path {
                "/metrics" => match super::config::metrics_token().await {
                    Ok(token) => {
                        operations::metrics(&method, request.headers(), token.as_deref(), None)
                    }
                    Err(problem) => problem.for_path(path).into_reply(),
                },
                "/healthz" => Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "bad-gateway-config",
                    "Gateway misconfigured",
                    detail,
                )
                .for_path(path)
                .into_reply(),
                _ => super::config::misconfigured(detail)
                    .for_path(path)
                    .into_reply(),
            };
            return ("config", reply, None);
        }
    };
    let config = gateway.config;
    // One normal path for routing, keys and forwarding, so what a route matched is what the origin is asked for.
    let request = match with_normal_path(request, config.merge_slashes) {
        Ok(request) => request,
        Err(problem) => return ("ambiguous-path", problem.into_reply(), None),
    };
    let path = request.uri().path().to_owned();
    let size = header_section_bytes(request.headers());
    if size > config.max_header_bytes {
        let reply = Problem::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers-too-large",
            "Request header fields too large",
            format!(
                "the request's header section is {size} bytes; the limit is {} bytes (INTENT_EDGE_MAX_HEADER_BYTES)",
                config.max_header_bytes
            ),
        )
        .for_path(&path)
        .into_reply();
        return ("headers-too-large", reply, None);
    }
    let method = request.method().clone();
    // Methods are case-sensitive, but origins are not all so strict: `trace`, and IIS's `TRACK`, echo too.
    if ["TRACE", "TRACK"]
        .iter()
        .any(|echo| method.as_str().eq_ignore_ascii_case(echo))
    {
        // TRACE asks the origin to echo the request back, fields and all: a page that can make one would read the
        // cookies and credentials the browser attached (cross-site tracing). Not passed on, and not answered here
        // either (the echo would be this gateway's copy of the same fields).
        let reply = Problem::new(
            StatusCode::NOT_IMPLEMENTED,
            "method-not-implemented",
            "Method not implemented",
            format!("{method} is not passed on: its echo would carry the request's cookies and credentials back"),
        )
        .for_path(&path)
        .into_reply();
        return ("trace", reply, None);
    }
    match path.as_str() {
        "/healthz" => {
            return (
                "healthz",
                operations::health(&method, &config.intents_path),
                None,
            )
        }
        "/metrics" => {
            let reply = operations::metrics(
                &method,
                request.headers(),
                config.metrics_token.as_deref(),
                Some(gateway.pipeline),
            );
            return ("metrics", reply, None);
        }
        _ => {}
    }
    let target = match path.as_str() {
        "/api/purge" => None,
        "/api/intent" => Some(Target::IntentApi),
        "/api/intent-set" => Some(Target::IntentSet),
        _ => match &config.routes {
            Some(routes) => match routes.find(&method, &path) {
                Some(route) => Some(Target::Proxy(route)),
                None => {
                    let reply = Problem::new(
                        StatusCode::NOT_FOUND,
                        "no-route",
                        "No route",
                        format!("no route takes {method} {path}"),
                    )
                    .for_path(&path)
                    .into_reply();
                    return ("no-route", reply, None);
                }
            },
            None => Some(Target::Static),
        },
    };
    let (parts, body) = request.into_parts();
    match target {
        None => {
            let mut exchange = Exchange::new(now, Target::Purge, parts, body, config);
            let reply = purge::handle(
                &mut exchange,
                config.purge_token.as_deref(),
                pipeline::cache_of(gateway.pipeline),
            )
            .await;
            ("purge", reply, None)
        }
        Some(target) => {
            let mut exchange = Exchange::new(now, target, parts, body, config);
            let reply = gateway.pipeline.handle(&mut exchange).await;
            (target.name(), reply, exchange.rate_limit.take())
        }
    }
}

/// Whether `method` is `HEAD` (answered with headers and the body's length only).
pub fn is_head(method: &Method) -> bool {
    method == Method::HEAD
}
