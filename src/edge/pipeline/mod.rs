//! The gateway pipeline: one stage interface, and the one place that composes the stages.
//!
//! ```text
//!  request ─▶ router ─▶ intent ─▶ limit ─▶ cache ─▶ coalesce ─▶ endpoint
//!             (which     (match    (429 +    (RFC 9111 (identical   forward to the origin, or the
//!              target)    body for  RateLimit hit/stale/ in-flight   intent API, the intent-set file,
//!                         intent    fields)   revalidate, misses     static files
//!                         routes)             store)     share one)
//! ```
//!
//! Every stage implements [`Stage`]: it gets the [`Exchange`] (the request, its one [`Timestamp`], what earlier
//! stages learned) and returns a [`Reply`], either its own or the next stage's. Each stage owns its state (the
//! limiters, the response cache, the in-flight table) for the life of the instance; the [`Pipeline`] is built once
//! per instance and lives as long as it (`&'static`), so a stage can finish work after the response has gone (a
//! background revalidation). Stages that do not apply to a target pass it on: the cache and coalescing act only on
//! proxied routes.

pub mod cache;
pub mod coalesce;
pub mod endpoint;
mod flight;
pub mod forward;
pub mod intent;
pub mod limit;

use super::body::read_bounded;
use super::config::GatewayConfig;
use super::problem::Problem;
use super::store::Store;
use crate::gateway::http_cache::{CacheOutcome, Freshness, NotStorable};
use crate::gateway::identity::Unidentified;
use crate::gateway::routes::Route;
use crate::time::Timestamp;
use bytes::Bytes;
use forward::OriginBody;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use spin_sdk::wasip3::http_compat::IncomingRequestBody;
use std::rc::Rc;
use std::time::Duration;

/// What serves a request.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A proxied route: cache, coalesce, forward.
    Proxy(&'static Route),
    /// `POST /api/intent`.
    IntentApi,
    /// `GET /api/intent-set`.
    IntentSet,
    /// The static files (no origin configured).
    Static,
    /// `POST /api/purge`, answered by the router (never through the pipeline).
    Purge,
}

impl Target {
    /// The route name used in metrics and in the limiter's scope.
    pub fn name(&self) -> &'static str {
        match self {
            Target::Proxy(route) => &route.name,
            Target::IntentApi => "intent",
            Target::IntentSet => "intent-set",
            Target::Static => "static",
            Target::Purge => "purge",
        }
    }
}

/// The intent matched in a request body (intent routes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedIntent {
    /// `None`: the text matched no intent.
    pub id: Option<String>,
    /// Slot names and values, in pattern order.
    pub slots: Vec<(String, String)>,
}

enum RequestBody {
    Unread(IncomingRequestBody),
    Read(Bytes),
    Taken,
}

/// One request on its way through the pipeline.
pub struct Exchange {
    /// The time of this request (Unix epoch), read once when it arrived.
    pub now: Timestamp,
    pub target: Target,
    pub method: Method,
    /// The path (no query).
    pub path: String,
    /// The request target in origin form: path and query exactly as sent.
    pub target_uri: String,
    /// The authority the client asked for (the runtime carries it in the URI, not in a `Host` field).
    pub host: Option<String>,
    pub headers: HeaderMap,
    body: RequestBody,
    max_body_bytes: usize,
    body_timeout: Duration,
    /// Who the client is (see `crate::gateway::identity`).
    pub client: Result<String, Unidentified>,
    pub intent: Option<MatchedIntent>,
    /// `RateLimit-Policy`, `RateLimit` and (when denied) `Retry-After` for the response, set by the limit stage.
    pub rate_limit: Option<RateLimitFields>,
    /// The cache's primary key, when the request may be served from or stored in the cache (set by the cache stage;
    /// the coalescing stage joins flights by it).
    pub cache_key: Option<String>,
    /// Whether identical in-flight requests may share this one's response (set by the cache stage).
    pub coalescible: bool,
    /// The shared store's coalescing lease this request holds (taken and settled by the cache stage: given back
    /// with the answer stored, with the origin's 502/504 for the waiters, or empty-handed).
    pub lease: Option<String>,
    /// Another instance holds the coalescing lease of this request's key (set by the cache stage): the coalescing
    /// stage waits for that instance's answer instead of calling the origin.
    pub lease_elsewhere: bool,
}

impl Exchange {
    pub fn new(
        now: Timestamp,
        target: Target,
        parts: http::request::Parts,
        body: IncomingRequestBody,
        config: &GatewayConfig,
    ) -> Self {
        let target_uri = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        let client = crate::gateway::identity::client_key(&parts.headers, &config.identity);
        let host = parts
            .uri
            .authority()
            .map(|a| a.as_str().to_ascii_lowercase())
            .or_else(|| {
                let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
                Some(host.trim().to_ascii_lowercase())
            });
        Exchange {
            now,
            target,
            method: parts.method,
            path: parts.uri.path().to_owned(),
            target_uri,
            host,
            headers: parts.headers,
            body: RequestBody::Unread(body),
            max_body_bytes: config.max_body_bytes,
            body_timeout: config.body_timeout,
            client,
            intent: None,
            rate_limit: None,
            cache_key: None,
            coalescible: false,
            lease: None,
            lease_elsewhere: false,
        }
    }

    /// A request made by the gateway itself (a background revalidation): no body, no client.
    pub fn internal(
        now: Timestamp,
        target: Target,
        method: Method,
        target_uri: String,
        headers: HeaderMap,
    ) -> Self {
        Exchange {
            now,
            target,
            method,
            path: target_uri.split('?').next().unwrap_or("/").to_owned(),
            target_uri,
            host: None,
            headers,
            body: RequestBody::Read(Bytes::new()),
            max_body_bytes: 0,
            body_timeout: Duration::ZERO,
            client: Err(Unidentified::Missing),
            intent: None,
            rate_limit: None,
            cache_key: None,
            coalescible: false,
            lease: None,
            lease_elsewhere: false,
        }
    }

    /// The request body, read on first use within `INTENT_EDGE_MAX_BODY_BYTES` (413 problem beyond it) and
    /// `INTENT_EDGE_BODY_TIMEOUT_MS` (408 problem after it).
    pub async fn body(&mut self) -> Result<Bytes, Problem> {
        match std::mem::replace(&mut self.body, RequestBody::Taken) {
            RequestBody::Read(bytes) => {
                self.body = RequestBody::Read(bytes.clone());
                Ok(bytes)
            }
            RequestBody::Unread(body) => {
                let bytes =
                    read_bounded(&self.headers, body, self.max_body_bytes, self.body_timeout)
                        .await
                        .map_err(|p| p.for_path(&self.path))?;
                self.body = RequestBody::Read(bytes.clone());
                Ok(bytes)
            }
            RequestBody::Taken => Ok(Bytes::new()),
        }
    }
}

/// The rate-limit fields of a response.
#[derive(Debug, Clone)]
pub struct RateLimitFields {
    pub policy: HeaderValue,
    pub state: HeaderValue,
    pub retry_after: Option<HeaderValue>,
}

impl RateLimitFields {
    /// Adds the fields to `headers`.
    pub fn apply(self, headers: &mut HeaderMap) {
        headers.insert(HeaderName::from_static("ratelimit-policy"), self.policy);
        headers.insert(HeaderName::from_static("ratelimit"), self.state);
        if let Some(retry) = self.retry_after {
            headers.insert(http::header::RETRY_AFTER, retry);
        }
    }
}

/// A response body.
pub enum ReplyBody {
    /// In memory (a cache hit, a shared response, a problem).
    Full(Bytes),
    /// Streaming from the origin, bounded in size and time.
    Stream(OriginBody),
}

/// What the origin exchange looked like, for RFC 9111's age calculation.
#[derive(Debug, Clone, Copy)]
pub struct OriginTiming {
    pub request_time: Timestamp,
    pub response_time: Timestamp,
}

/// A response on its way back up the pipeline.
pub struct Reply {
    pub status: StatusCode,
    /// The response's fields; with `base_headers`, only those added to (or replacing) the base ones.
    pub headers: HeaderMap,
    /// The fields of a stored response this reply is served from, shared rather than copied: the response's
    /// fields are these, except where `headers` has a field of the same name.
    pub base_headers: Option<Rc<HeaderMap>>,
    pub body: ReplyBody,
    /// Set when the response came from the origin just now.
    pub origin: Option<OriginTiming>,
    /// Set when the gateway itself failed to get an answer (502/504): never stored, shared as a failure.
    pub gateway_error: bool,
    /// What the cache did, for `Cache-Status`.
    pub cache: Option<CacheOutcome>,
    /// Seconds of freshness left when served from storage.
    pub ttl: Option<i64>,
    /// The response came from another request's origin call.
    pub collapsed: bool,
    /// Whether a shared cache may store (and so share) it, once computed.
    pub storable: Option<Result<Freshness, NotStorable>>,
    /// The response came from the shared store (another instance's origin call): stored here, not written back.
    pub from_shared_store: bool,
}

impl Reply {
    /// A response with a body in memory.
    pub fn full(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Reply {
            status,
            headers,
            base_headers: None,
            body: ReplyBody::Full(body),
            origin: None,
            gateway_error: false,
            cache: None,
            ttl: None,
            collapsed: false,
            storable: None,
            from_shared_store: false,
        }
    }

    /// When the origin exchange behind this reply happened (`now` for a reply made here).
    pub fn origin_timing(&self, now: Timestamp) -> OriginTiming {
        self.origin.unwrap_or(OriginTiming {
            request_time: now,
            response_time: now,
        })
    }

    /// Reads a streaming body into memory (at most `limit` bytes); a body in memory is returned as is.
    pub async fn buffer(&mut self, limit: usize) -> Result<Bytes, Problem> {
        let body = match std::mem::replace(&mut self.body, ReplyBody::Full(Bytes::new())) {
            ReplyBody::Full(bytes) => bytes,
            ReplyBody::Stream(stream) => stream.read_all(limit).await?,
        };
        self.body = ReplyBody::Full(body.clone());
        Ok(body)
    }
}

impl From<Problem> for Reply {
    fn from(problem: Problem) -> Self {
        problem.into_reply()
    }
}

/// One stage of the pipeline.
pub trait Stage {
    /// Answers `exchange`, by itself or through the next stage.
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply;
}

/// The composition, in the order a request meets the stages.
pub type Pipeline = intent::IntentStage<limit::Limit<CacheStage>>;

/// The cache stage and what follows it.
pub type CacheStage = cache::Cache<coalesce::Coalesce<endpoint::Endpoint>>;

/// The instance's response cache (for purging).
pub fn cache_of(pipeline: &Pipeline) -> &CacheStage {
    &pipeline.next.next
}

/// Gauges of every stage's state, for `/metrics`.
pub fn render_gauges(pipeline: &Pipeline, out: &mut String) {
    let limit = &pipeline.next;
    limit.render_gauges(out);
    let cache = &limit.next;
    cache.render_gauges(out);
    super::metrics::gauge(
        out,
        "intent_edge_in_flight",
        "Origin requests in flight that others may join.",
        &[(String::new(), cache.next.in_flight() as f64)],
    );
}

/// Builds the instance's pipeline from its configuration: with `INTENT_EDGE_STORE` set, the limit, cache and
/// coalescing stages share one handle on the store.
pub fn build(config: &'static GatewayConfig) -> Result<Pipeline, Problem> {
    let store: Option<&'static Store> = config
        .store
        .as_ref()
        .map(|c| &*Box::leak(Box::new(Store::new(c.clone()))));
    let endpoint = endpoint::Endpoint::new(config);
    let coalesce = coalesce::Coalesce::new(config, store, endpoint);
    let cache = cache::Cache::new(config, store, coalesce)?;
    let limit = limit::Limit::new(config, store, cache);
    Ok(intent::IntentStage::new(config, limit))
}
