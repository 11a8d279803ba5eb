//! The cache stage: a shared HTTP cache in front of the origin, following RFC 9111 (with RFC 5861's stale
//! extensions); the decisions are the pure functions of [`crate::gateway::http_cache`], the storage is this
//! instance's [`ResponseCache`] (bounded by entries and bytes).
//!
//! For each proxied request:
//! - **Not cacheable** (a route with the cache off, a method other than `GET`/`HEAD`, a credentialed request on a
//!   route that does not share them, an intent route whose text matched nothing): forwarded as `BYPASS`. A
//!   successful unsafe request invalidates its target and the same-origin `Location` / `Content-Location`.
//! - **Lookup** by primary key (see [`crate::gateway::cache_key`]; on an intent route with `cacheKey`, the intent
//!   and its slots), then by the `Vary` of what was stored. `only-if-cached` with nothing usable is a 504.
//! - **Fresh** → `HIT` (with `Age`); **stale** but the client's `max-stale` allows → `STALE`; stale within
//!   `stale-while-revalidate` → `STALE` now and a revalidation in the background (one per key at a time).
//! - Otherwise **forwarded**, conditionally (`If-None-Match` / `If-Modified-Since`) when the stored response has a
//!   validator: a `304` refreshes the stored response (`REVALIDATED`); a `5xx` or no answer is covered by the
//!   stored response within `stale-if-error` (`STALE`); anything storable replaces it (`MISS`).
//! - The client's own `If-None-Match` / `If-Modified-Since` are answered here: they are not forwarded on a
//!   cacheable request (so the origin's full answer can be stored and shared), and a `304` is made from the stored
//!   or new response when they match.
//! - Tags come from `Cache-Tag` / `Surrogate-Key`; purging (`POST /api/purge`) removes by key, prefix or tag.
//!
//! With a shared store (`INTENT_EDGE_STORE=redis://…`), this instance's cache is the first level and Redis the
//! second: a local miss looks in Redis (and keeps what it finds, for at most `INTENT_EDGE_STORE_LOCAL_TTL_MS`), and
//! whatever is stored here is stored in Redis too, with its tags, for as long as it is kept here. A response with
//! `Vary` is stored under the URL (the latest variant) and under its variant's key: a request whose `Vary` values
//! differ from the latest reads its own variant by that key. Purges and invalidations reach
//! Redis and bump its purge epoch; other instances drop their own copies when they see it move (every limiter
//! decision reads it, and this stage reads it when it was not read for `store::PURGE_CHECK`, 100 ms).

use super::{Exchange, Reply, Stage, Target};
use crate::cache::{CacheError, EntryOptions, ResponseCache};
use crate::edge::config::GatewayConfig;
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::edge::store::{Lookup, Store, Stored as StoreOutcome};
use crate::gateway::cache_control::RequestDirectives;
use crate::gateway::cache_key::{primary_key, variant_key, variants_prefix, KeyRules};
use crate::gateway::http_cache::{
    self, client_not_modified, conditional_headers, field_digest, invalidates,
    invalidation_targets, not_modified_applies, not_modified_headers, refresh_headers, storable,
    usability, usable_on_error, CacheOutcome, Exchange as HttpExchange, ForwardCause, Freshness,
    NotStorable, StaleReason, Usability, Vary,
};
use crate::gateway::proxy_headers::cache_tags;
use crate::gateway::routes::{Credentials, Route};
use crate::gateway::shared::cache_record::{self, RecordHead};
use crate::time::Timestamp;
use bytes::Bytes;
use http::header::{self, HeaderName};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

/// How long a lease holder's gateway failure stays in the shared store for the waiters polling for it.
const FAILURE_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// Most tags kept per response, and the longest tag.
const MAX_TAGS: usize = 32;
const MAX_TAG_BYTES: usize = 128;

/// A response held by the cache.
#[derive(Debug)]
pub struct StoredResponse {
    pub status: StatusCode,
    /// Shared with every reply served from it (see [`Reply::base_headers`]).
    pub headers: Rc<HeaderMap>,
    pub body: Bytes,
    pub freshness: Freshness,
    /// The origin's cache tags (for purging), kept with the response so that a refresh (`304`) keeps them.
    pub tags: Vec<String>,
}

/// The purges a request's answer must not have missed: this instance's purge count and the shared store's purge epoch
/// when it left for the origin. An answer that comes back after a purge is served, not stored: it may be the purged
/// content (a revalidation's `304` applied to the copy it started from, or an origin still sending the old page).
#[derive(Clone, Copy)]
struct PurgeMark {
    local: u64,
    shared_epoch: Option<i64>,
}

/// What is stored under a key: a response, or (under a primary key whose responses vary) the `Vary` fields that
/// select among the variants stored under it.
enum Stored {
    Response(Rc<StoredResponse>),
    Variants(Vec<HeaderName>),
}

pub struct Cache<N> {
    config: &'static GatewayConfig,
    /// The shared store, the second level behind this instance's cache.
    shared: Option<&'static Store>,
    store: RefCell<ResponseCache<Rc<Stored>>>,
    /// Keys with a background revalidation running.
    revalidating: RefCell<HashSet<String>>,
    /// Purges this instance made or saw (counted, for [`PurgeMark`]).
    purges: std::cell::Cell<u64>,
    pub(super) next: N,
}

/// Whether a request's response may be stored (and so shared), judged by RFC 9111 and the route's policy.
pub fn assess(route: &Route, exchange: &Exchange, reply: &Reply) -> Result<Freshness, NotStorable> {
    let intent_keyed = is_intent_keyed(route, exchange);
    let method = if intent_keyed {
        &Method::GET
    } else {
        &exchange.method
    };
    let origin = reply.origin_timing(exchange.now);
    storable(
        &route.cache.policy,
        &HttpExchange {
            method,
            request: &exchange.headers,
            request_directives: &RequestDirectives::of(&exchange.headers),
            status: reply.status,
            response: &reply.headers,
            request_time: origin.request_time,
            response_time: origin.response_time,
        },
    )
}

fn is_intent_keyed(route: &Route, exchange: &Exchange) -> bool {
    exchange.method == Method::POST && route.intent.as_ref().is_some_and(|i| i.cache_key)
}

/// Whether a request declares a body (`Content-Length` above 0, or `Transfer-Encoding`).
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// The fields frameworks read to take a request for another method (Rails, Express's `method-override`, Symfony,
/// ASP.NET, Laravel): a `GET` carrying one may be a `DELETE` to the origin, and its answer is not the target's.
const METHOD_OVERRIDES: [&str; 3] = [
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

fn overrides_method(headers: &HeaderMap) -> bool {
    // One pass over the request's few fields: cheaper than three lookups by name, each parsing and hashing it.
    headers
        .keys()
        .any(|name| METHOD_OVERRIDES.contains(&name.as_str()))
}

fn has_credentials(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || headers.contains_key(header::COOKIE)
}

/// The key of an intent route's answer: the target's key (`target_key`: path, query and the route's key fields, as
/// any cached answer's), then the intent and its slots (form-encoded, sorted by name), in place of the body they
/// were matched in.
fn intent_key(target_key: &str, exchange: &Exchange) -> Option<String> {
    let intent = exchange.intent.as_ref()?;
    let id = intent.id.as_deref()?;
    let mut slots: Vec<String> = intent
        .slots
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                super::forward::form_encode(k),
                super::forward::form_encode(v)
            )
        })
        .collect();
    slots.sort();
    Some(format!(
        "{target_key}#intent={}&{}",
        super::forward::form_encode(id),
        slots.join("&")
    ))
}

/// The client's own validators, taken out of a request the cache forwards (and answered by the cache).
fn take_client_conditionals(headers: &mut HeaderMap) -> HeaderMap {
    let mut taken = HeaderMap::new();
    for name in [header::IF_NONE_MATCH, header::IF_MODIFIED_SINCE] {
        for value in headers.get_all(&name) {
            taken.append(name.clone(), value.clone());
        }
        headers.remove(&name);
    }
    taken
}

fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum()
}

impl<N: Stage> Cache<N> {
    pub fn new(
        config: &'static GatewayConfig,
        shared: Option<&'static Store>,
        next: N,
    ) -> Result<Self, Problem> {
        let store = ResponseCache::new(config.cache.clone())
            .map_err(|e| super::super::config::misconfigured(format!("INTENT_EDGE_CACHE: {e}")))?;
        Ok(Cache {
            config,
            shared,
            store: RefCell::new(store),
            revalidating: RefCell::new(HashSet::new()),
            purges: std::cell::Cell::new(0),
            next,
        })
    }

    /// The stored response for `primary` that matches `headers`' `Vary` values, and whether a response was stored
    /// for another variant.
    fn lookup(
        &self,
        primary: &str,
        headers: &HeaderMap,
        now: Timestamp,
    ) -> (Option<Rc<StoredResponse>>, bool) {
        let mut store = self.store.borrow_mut();
        let entry = store.get(primary, now).cloned();
        match entry.as_deref() {
            Some(Stored::Response(response)) => (Some(Rc::clone(response)), false),
            Some(Stored::Variants(names)) => {
                let key = variant_key(primary, &field_digest(names, headers));
                match store.get(&key, now).map(|s| &**s) {
                    Some(Stored::Response(response)) => (Some(Rc::clone(response)), false),
                    _ => (None, true),
                }
            }
            None => (None, false),
        }
    }

    /// Stores `response` under `primary` (and its variant key when it varies).
    fn insert(
        &self,
        primary: &str,
        request: &HeaderMap,
        response: StoredResponse,
        tags: Vec<String>,
        now: Timestamp,
    ) -> bool {
        let mut retention = response
            .freshness
            .retention(now, self.config.stale_retention);
        if let Some(shared) = self.shared {
            // The copy here is a first level in front of Redis: kept only as long as a purge may take to be seen.
            retention = retention.min(
                shared
                    .config
                    .local_ttl
                    .max(std::time::Duration::from_millis(1)),
            );
        }
        let size = response.body.len() + header_bytes(&response.headers);
        let vary = Vary::of(&response.headers);
        let mut store = self.store.borrow_mut();
        let options = |tags: Vec<String>| EntryOptions {
            ttl: Some(retention),
            tags,
        };
        let result = match vary {
            Vary::Fields(names) => {
                let key = variant_key(primary, &field_digest(&names, request));
                let index_size = names.iter().map(|n| n.as_str().len()).sum();
                let index = store.insert(
                    primary,
                    Rc::new(Stored::Variants(names)),
                    index_size,
                    now,
                    options(tags.clone()),
                );
                index.and_then(|_| {
                    store.insert(
                        &key,
                        Rc::new(Stored::Response(Rc::new(response))),
                        size,
                        now,
                        options(tags),
                    )
                })
            }
            Vary::None | Vary::Star => {
                store.invalidate_prefix(&variants_prefix(primary));
                store.insert(
                    primary,
                    Rc::new(Stored::Response(Rc::new(response))),
                    size,
                    now,
                    options(tags),
                )
            }
        };
        match result {
            Ok(_) => {
                metrics::count(Counter::CacheStored, &[]);
                true
            }
            Err(CacheError::EntryTooLarge { .. }) => {
                metrics::count(Counter::CacheNotStored, &["too-large"]);
                false
            }
            Err(_) => false,
        }
    }

    /// Stores `reply` if RFC 9111 and the route allow it, reading its body into memory to do so. Returns whether it
    /// was stored; a body that fails while being read turns `reply` into the problem.
    async fn maybe_store(
        &self,
        route: &Route,
        exchange: &mut Exchange,
        primary: &str,
        reply: &mut Reply,
        mark: PurgeMark,
    ) -> bool {
        if reply.gateway_error {
            return false;
        }
        if reply.collapsed && !reply.from_shared_store {
            // The leader of the flight, in this same instance, stored it.
            return reply.storable.as_ref().is_some_and(|s| s.is_ok());
        }
        let freshness = match reply
            .storable
            .take()
            .unwrap_or_else(|| assess(route, exchange, reply))
        {
            Ok(freshness) => freshness,
            Err(reason) => {
                metrics::count(Counter::CacheNotStored, &[reason.as_str()]);
                reply.storable = Some(Err(reason));
                return false;
            }
        };
        let body = match reply.buffer(self.config.max_response_bytes).await {
            Ok(body) => body,
            Err(problem) => {
                *reply = problem.into_reply();
                reply.gateway_error = true;
                return false;
            }
        };
        if self.purged_since(mark) {
            metrics::count(Counter::CacheNotStored, &["purged"]);
            return false;
        }
        let tags = cache_tags(&reply.headers, MAX_TAGS, MAX_TAG_BYTES);
        let mut headers = reply.headers.clone();
        crate::gateway::proxy_headers::strip_cache_tags(&mut headers);
        if !headers.contains_key(header::DATE) {
            let date = http_cache::format_http_date(
                reply.origin.map_or(exchange.now, |o| o.response_time),
            );
            if let Ok(value) = HeaderValue::from_str(&date) {
                headers.insert(header::DATE, value);
            }
        }
        if !reply.from_shared_store {
            let origin = reply.origin_timing(exchange.now);
            let kept = self
                .share(
                    exchange,
                    primary,
                    reply.status,
                    &headers,
                    &body,
                    origin,
                    &freshness,
                    &tags,
                    mark,
                )
                .await;
            if !kept || self.purged_since(mark) {
                // Purged since this request left (elsewhere, or here while the store was asked): not kept here.
                return false;
            }
        }
        let response = StoredResponse {
            status: reply.status,
            headers: Rc::new(headers),
            body,
            freshness: freshness.clone(),
            tags: tags.clone(),
        };
        reply.storable = Some(Ok(freshness));
        self.insert(primary, &exchange.headers, response, tags, exchange.now)
    }

    /// Writes a response this instance stores to the shared store too (with the coalescing lease this request
    /// holds, given back in the same step). A failure is counted; the response is still served and kept here. False
    /// when the store refused it because a purge happened (anywhere) since the request left: then it is not kept
    /// here either.
    #[allow(clippy::too_many_arguments)]
    async fn share(
        &self,
        exchange: &mut Exchange,
        primary: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &Bytes,
        origin: super::OriginTiming,
        freshness: &Freshness,
        tags: &[String],
        mark: PurgeMark,
    ) -> bool {
        let Some(shared) = self.shared else {
            return true;
        };
        let head = RecordHead {
            tags: tags.to_vec(),
            ..RecordHead::new(
                status,
                headers,
                origin.request_time.as_nanos(),
                origin.response_time.as_nanos(),
                Vary::of(headers).secondary_key(&exchange.headers),
            )
        };
        let variant = head.variant.as_deref().map(|v| variant_key(primary, v));
        let record = cache_record::encode(&head, body);
        let ttl = freshness.retention(exchange.now, self.config.stale_retention);
        let lease = exchange.lease.take();
        match shared
            .put(
                primary,
                variant.as_deref(),
                &record,
                ttl,
                tags,
                lease.as_deref(),
                // An epoch never read (Redis unreachable when the request left) matches none: not stored.
                Some(mark.shared_epoch.unwrap_or(-1)),
            )
            .await
        {
            Ok(StoreOutcome::Yes) => true,
            Ok(StoreOutcome::PurgedSince) => {
                metrics::count(Counter::CacheNotStored, &["purged"]);
                false
            }
            Err(_) => {
                metrics::count(Counter::StoreFallbacks, &["cache", "not-shared"]);
                if let Some(token) = lease {
                    // Waiters elsewhere go to the origin now rather than at the lease's expiry.
                    let _ = shared.release_lease(primary, &token, false).await;
                }
                true
            }
        }
    }

    /// The response another instance stored in the shared store for `primary`, if it answers this request (same
    /// `Vary` values) and may still be used; kept here too.
    async fn lookup_shared(
        &self,
        shared: &Store,
        route: &Route,
        exchange: &Exchange,
        primary: &str,
    ) -> Option<Rc<StoredResponse>> {
        let record = match shared.get(primary).await {
            Ok(Some(record)) => record,
            Ok(None) => return None,
            Err(_) => {
                metrics::count(Counter::StoreFallbacks, &["cache", "local-only"]);
                return None;
            }
        };
        self.keep_shared(shared, route, exchange, primary, record)
            .await
    }

    /// A coalescible miss in the shared store, in one round trip: the entry another instance stored (kept here),
    /// else this request takes the key's coalescing lease (`exchange.lease`), else another instance holds it
    /// (`exchange.lease_elsewhere`: the coalescing stage waits for its answer).
    async fn lookup_or_lease_shared(
        &self,
        shared: &Store,
        route: &Route,
        exchange: &mut Exchange,
        primary: &str,
    ) -> Option<Rc<StoredResponse>> {
        // The holder's origin call ends within the route's total timeout: the lease outlives it by a second, so a
        // holder that died frees the key soon after.
        let lease_ttl = route.timeouts.total + std::time::Duration::from_secs(1);
        let record = match shared.lookup_or_lease(primary, lease_ttl).await {
            Ok(Lookup::Found(record)) => record,
            Ok(Lookup::Leased(token)) => {
                exchange.lease = Some(token);
                return None;
            }
            Ok(Lookup::Held) => {
                exchange.lease_elsewhere = true;
                return None;
            }
            Ok(Lookup::NotShareable) => {
                metrics::count(Counter::Coalescing, &["hit-for-miss-shared"]);
                exchange.coalescible = false;
                return None;
            }
            Err(_) => {
                metrics::count(Counter::StoreFallbacks, &["cache", "local-only"]);
                return None;
            }
        };
        if let Some(stored) = self
            .keep_shared(shared, route, exchange, primary, record)
            .await
        {
            return Some(stored);
        }
        // Stored, but not for this request (another variant, or unusable here): it asks the origin, as the lease
        // holder if the lease is free.
        match shared.take_lease(primary, lease_ttl).await {
            Ok(Some(token)) => exchange.lease = Some(token),
            Ok(None) => exchange.lease_elsewhere = true,
            Err(_) => {}
        }
        None
    }

    /// The stored response a shared record gives this request (see [`shared_response`]), kept here too.
    async fn keep_shared(
        &self,
        shared: &Store,
        route: &Route,
        exchange: &Exchange,
        primary: &str,
        record: Bytes,
    ) -> Option<Rc<StoredResponse>> {
        let (stored, head) = shared_response(shared, route, exchange, primary, record).await?;
        let stored = Rc::new(stored);
        let tags = head.tags;
        // Kept here as a first level: `insert` bounds it by the local TTL.
        let copy = StoredResponse {
            status: stored.status,
            headers: Rc::clone(&stored.headers),
            body: stored.body.clone(),
            freshness: stored.freshness.clone(),
            tags: tags.clone(),
        };
        self.insert(primary, &exchange.headers, copy, tags, exchange.now);
        Some(stored)
    }

    /// A reply from a stored response: `Age`, and `304` when the client's own validators match.
    fn serve(&self, exchange: &Exchange, stored: &StoredResponse, outcome: CacheOutcome) -> Reply {
        let age = stored.freshness.current_age(exchange.now);
        let mut reply = if client_not_modified(&exchange.headers, &stored.headers) {
            Reply::full(
                StatusCode::NOT_MODIFIED,
                not_modified_headers(&stored.headers),
                Bytes::new(),
            )
        } else {
            let mut reply = Reply::full(
                stored.status,
                HeaderMap::with_capacity(8),
                stored.body.clone(),
            );
            reply.base_headers = Some(Rc::clone(&stored.headers));
            reply
        };
        reply.headers.insert(header::AGE, HeaderValue::from(age));
        reply.cache = Some(outcome);
        reply.ttl = Some(stored.freshness.ttl(exchange.now));
        reply
    }

    /// Forwards a cacheable request (conditionally when `stale` has validators), stores what may be stored, and
    /// answers: a refreshed stored response on `304`, the stale one on an error it covers, else the origin's. A
    /// coalescing lease the request still holds afterwards (nothing was shared) is given back, so waiters on other
    /// instances ask the origin themselves at once, or, after a 502/504, left with that failure for them.
    async fn forward_and_store(
        &'static self,
        route: &'static Route,
        exchange: &mut Exchange,
        primary: &str,
        directives: &RequestDirectives,
        stale: Option<Rc<StoredResponse>>,
        cause: ForwardCause,
    ) -> Reply {
        let mut reply = Box::pin(
            self.forward_and_store_once(route, exchange, primary, directives, stale, cause),
        )
        .await;
        if let (Some(shared), Some(token)) = (self.shared, exchange.lease.take()) {
            if reply.gateway_error {
                // Waiters on other instances get the same 502/504 at once, not a second wait on the origin.
                let body = reply.buffer(usize::MAX).await.unwrap_or_default();
                let head = RecordHead::new(reply.status, &reply.headers, 0, 0, None);
                let record = cache_record::encode(&head, &body);
                if shared
                    .fail(primary, &record, FAILURE_TTL, &token)
                    .await
                    .is_ok()
                {
                    return reply;
                }
            }
            // Marked hit-for-miss only when the origin made the answer unshareable, not when this request did
            // (a `Range`, `no-store`, a validator): one client must not turn coalescing off for everyone.
            let not_shareable =
                matches!(reply.storable, Some(Err(reason)) if reason.is_the_origins());
            let _ = shared.release_lease(primary, &token, not_shareable).await;
        }
        reply
    }

    async fn forward_and_store_once(
        &'static self,
        route: &'static Route,
        exchange: &mut Exchange,
        primary: &str,
        directives: &RequestDirectives,
        stale: Option<Rc<StoredResponse>>,
        cause: ForwardCause,
    ) -> Reply {
        let mark = self.purge_mark();
        // A body sent without `Content-Length` (chunked; the runtime keeps `Transfer-Encoding` to itself) shows only
        // when read. The forward stage reads it anyway; read here, before a flight can be joined, a body makes the
        // request one the target does not describe: forwarded alone, never stored or shared.
        if !is_intent_keyed(route, exchange) {
            match exchange.body().await {
                Ok(body) if !body.is_empty() => {
                    exchange.coalescible = false;
                    let mut reply = self.next.handle(exchange).await;
                    reply.cache = Some(CacheOutcome::Bypass("body"));
                    return reply;
                }
                Ok(_) => {}
                Err(problem) => {
                    let mut reply = problem.into_reply();
                    reply.cache = Some(CacheOutcome::Bypass("body"));
                    return reply;
                }
            }
        }
        let client_conditionals = take_client_conditionals(&mut exchange.headers);
        let conditional = stale
            .as_ref()
            .map(|s| conditional_headers(&s.headers))
            .unwrap_or_default();
        for (name, value) in &conditional {
            exchange.headers.insert(name.clone(), value.clone());
        }
        if !conditional.is_empty() {
            // A conditional request's answer (304) is for this stored response only.
            exchange.coalescible = false;
        }
        let mut reply = self.next.handle(exchange).await;
        for (name, _) in &conditional {
            exchange.headers.remove(name);
        }
        for (name, value) in client_conditionals.iter() {
            exchange.headers.append(name.clone(), value.clone());
        }

        if let Some(stale) = &stale {
            if reply.status == StatusCode::NOT_MODIFIED && !reply.gateway_error {
                if not_modified_applies(&stale.headers, &reply.headers) {
                    return self
                        .refresh(route, exchange, primary, stale, &reply, mark)
                        .await;
                }
                // A 304 for something else: ask again, unconditionally.
                exchange.coalescible = false;
                return Box::pin(
                    self.forward_and_store_once(route, exchange, primary, directives, None, cause),
                )
                .await;
            }
            if (reply.gateway_error || reply.status.is_server_error())
                && usable_on_error(&stale.freshness, directives, exchange.now)
            {
                return self.serve(exchange, stale, CacheOutcome::Stale(StaleReason::IfError));
            }
        }
        let stored = self
            .maybe_store(route, exchange, primary, &mut reply, mark)
            .await;
        let outcome = CacheOutcome::Forwarded { cause, stored };
        if reply.status == StatusCode::OK
            && !client_conditionals.is_empty()
            && client_not_modified(&client_conditionals, &reply.headers)
        {
            let mut not_modified = Reply::full(
                StatusCode::NOT_MODIFIED,
                not_modified_headers(&reply.headers),
                Bytes::new(),
            );
            not_modified.cache = Some(outcome);
            not_modified.collapsed = reply.collapsed;
            return not_modified;
        }
        // A gateway failure (502/504) says so too: forwarded, not stored (RFC 9211 asks it of every response the
        // cache handled; the problem body says what failed).
        reply.cache = Some(outcome);
        reply
    }

    /// Applies a matching `304` to the stored response, stores the result when it is still storable (here and in the
    /// shared store), and serves it.
    async fn refresh(
        &self,
        route: &Route,
        exchange: &mut Exchange,
        primary: &str,
        stale: &Rc<StoredResponse>,
        not_modified: &Reply,
        mark: PurgeMark,
    ) -> Reply {
        let mut headers = refresh_headers(&stale.headers, &not_modified.headers);
        // The 304's own tags, if it has any, replace the stored ones (as its other fields do); either way they are
        // this cache's to read, never stored among the fields clients get.
        let tags_of_304 = cache_tags(&not_modified.headers, MAX_TAGS, MAX_TAG_BYTES);
        let tags = if tags_of_304.is_empty() {
            stale.tags.clone()
        } else {
            tags_of_304
        };
        crate::gateway::proxy_headers::strip_cache_tags(&mut headers);
        let origin = not_modified.origin_timing(exchange.now);
        // What is stored is a GET response (or an intent route's answer, stored as one), whatever asked for it.
        let assessed = storable(
            &route.cache.policy,
            &HttpExchange {
                method: &Method::GET,
                request: &exchange.headers,
                request_directives: &RequestDirectives::default(),
                status: stale.status,
                response: &headers,
                request_time: origin.request_time,
                response_time: origin.response_time,
            },
        );
        let refreshed = StoredResponse {
            status: stale.status,
            headers: Rc::new(headers),
            body: stale.body.clone(),
            freshness: assessed.clone().unwrap_or_else(|_| stale.freshness.clone()),
            tags: tags.clone(),
        };
        let reply = self.serve(exchange, &refreshed, CacheOutcome::Revalidated);
        // A purge since the revalidation left, or a newer answer stored meanwhile: the 304 is about the copy this
        // request started from, which is no longer what the cache holds. Served, not stored again.
        // (The copy kept here of a shared record shares its fields with the record: the same response.)
        let replaced = match self.lookup(primary, &exchange.headers, exchange.now).0 {
            Some(current) => !Rc::ptr_eq(&current.headers, &stale.headers),
            None => false,
        };
        if self.purged_since(mark) || replaced {
            metrics::count(Counter::CacheNotStored, &["superseded"]);
            return reply;
        }
        match assessed {
            Ok(freshness) => {
                let kept = self
                    .share(
                        exchange,
                        primary,
                        refreshed.status,
                        &refreshed.headers,
                        &refreshed.body,
                        origin,
                        &freshness,
                        &tags,
                        mark,
                    )
                    .await;
                if kept && !self.purged_since(mark) {
                    self.insert(primary, &exchange.headers, refreshed, tags, exchange.now);
                }
            }
            Err(reason) => {
                metrics::count(Counter::CacheNotStored, &[reason.as_str()]);
                self.store.borrow_mut().remove(primary);
            }
        }
        reply
    }

    /// Starts revalidating `stale` in the background (`stale-while-revalidate`), unless one is running for `primary`.
    fn revalidate_in_background(
        &'static self,
        route: &'static Route,
        exchange: &Exchange,
        primary: &str,
        stale: Rc<StoredResponse>,
    ) {
        if !self.revalidating.borrow_mut().insert(primary.to_owned()) {
            return;
        }
        let mut headers = exchange.headers.clone();
        take_client_conditionals(&mut headers);
        let mut background = Exchange::internal(
            exchange.now,
            exchange.target,
            Method::GET,
            exchange.target_uri.clone(),
            headers,
        );
        background.cache_key = Some(primary.to_owned());
        let primary = primary.to_owned();
        spin_sdk::wasip3::spawn(async move {
            let reply = self
                .forward_and_store(
                    route,
                    &mut background,
                    &primary,
                    &RequestDirectives::default(),
                    Some(stale),
                    ForwardCause::Stale,
                )
                .await;
            let result = match reply.cache {
                Some(CacheOutcome::Revalidated) => "revalidated",
                Some(CacheOutcome::Forwarded { stored: true, .. }) => "replaced",
                _ => "failed",
            };
            metrics::count(Counter::BackgroundRevalidations, &[result]);
            self.revalidating.borrow_mut().remove(&primary);
        });
    }

    /// Removes every stored response for the request targets an unsafe request invalidated.
    async fn invalidate_after_unsafe(&self, route: &Route, exchange: &Exchange, reply: &Reply) {
        let host = exchange.host.as_deref().unwrap_or("");
        let own = [route.origin.authority.as_str(), host];
        let mut removed = 0;
        for target in invalidation_targets(&exchange.target_uri, &reply.headers, &own) {
            let rules = KeyRules {
                sort_query: route.cache.key.sort_query,
                headers: Vec::new(),
            };
            let key = primary_key(&target, &rules, &HeaderMap::new());
            removed += self.purge_key(&key);
            if let Some(shared) = self.shared {
                match shared.purge_key(&key).await {
                    Ok(n) => removed += n as usize,
                    Err(_) => {
                        metrics::count(Counter::StoreFallbacks, &["invalidation", "local-only"])
                    }
                }
            }
        }
        metrics::add(Counter::CachePurged, &["invalidation"], removed as u64);
    }

    /// The shared store, if any (purges reach it too).
    pub fn shared(&self) -> Option<&'static Store> {
        self.shared
    }

    /// Removes the response stored for a target key, its variants and its key-header forms. Returns how many
    /// entries went.
    pub fn purge_key(&self, key: &str) -> usize {
        self.count_purge();
        let mut store = self.store.borrow_mut();
        usize::from(store.remove(key).is_some())
            + store.invalidate_prefix(&format!("{key}#"))
            + store.invalidate_prefix(&variants_prefix(key))
    }

    /// Removes every stored response whose key starts with `prefix`.
    pub fn purge_prefix(&self, prefix: &str) -> usize {
        self.count_purge();
        self.store.borrow_mut().invalidate_prefix(prefix)
    }

    /// Removes every stored response tagged `tag`.
    pub fn purge_tag(&self, tag: &str) -> usize {
        self.count_purge();
        self.store.borrow_mut().invalidate_tag(tag)
    }

    fn count_purge(&self) {
        self.purges.set(self.purges.get().wrapping_add(1));
    }

    /// Where purges stand now, for an answer about to be asked for.
    fn purge_mark(&self) -> PurgeMark {
        PurgeMark {
            local: self.purges.get(),
            shared_epoch: self.shared.and_then(Store::epoch_seen),
        }
    }

    /// Whether a purge happened here since `mark` (one elsewhere is caught by the shared store's own check).
    fn purged_since(&self, mark: PurgeMark) -> bool {
        self.purges.get() != mark.local
    }

    /// Gauges of the response cache, for `/metrics`.
    pub fn render_gauges(&self, out: &mut String) {
        let stats = self.store.borrow().stats();
        metrics::gauge(
            out,
            "intent_edge_cache_entries",
            "Entries in this instance's cache.",
            &[(String::new(), stats.entries as f64)],
        );
        metrics::gauge(
            out,
            "intent_edge_cache_bytes",
            "Bytes held by this instance's cache.",
            &[(String::new(), stats.bytes as f64)],
        );
        metrics::gauge(
            out,
            "intent_edge_cache_evictions",
            "Entries evicted to make room.",
            &[(String::new(), stats.evictions as f64)],
        );
        metrics::gauge(
            out,
            "intent_edge_cache_hit_ratio",
            "Lookups answered from storage.",
            &[(String::new(), stats.hit_ratio)],
        );
    }
}

impl<N: Stage> Stage for Cache<N> {
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply {
        let Target::Proxy(route) = exchange.target else {
            return self.next.handle(exchange).await;
        };
        let bypass = |mut reply: Reply, why: &'static str| {
            reply.cache = Some(CacheOutcome::Bypass(why));
            reply
        };
        if !route.cache.enabled {
            let reply = self.next.handle(exchange).await;
            return bypass(reply, "route");
        }
        let intent_keyed = is_intent_keyed(route, exchange);
        let safe = matches!(exchange.method, Method::GET | Method::HEAD);
        if !safe && !intent_keyed {
            let reply = self.next.handle(exchange).await;
            if invalidates(&exchange.method, reply.status) && !reply.gateway_error {
                self.invalidate_after_unsafe(route, exchange, &reply).await;
            }
            return bypass(reply, "method");
        }
        if has_credentials(&exchange.headers) && route.cache.credentials == Credentials::Bypass {
            let reply = self.next.handle(exchange).await;
            return bypass(reply, "credentials");
        }
        if !intent_keyed && has_body(&exchange.headers) {
            // A GET with a body (some search APIs) asks something the target alone does not say.
            let reply = self.next.handle(exchange).await;
            return bypass(reply, "body");
        }
        if overrides_method(&exchange.headers) {
            // Neither served from the cache nor stored: what the origin does with it is not a GET of the target.
            let reply = self.next.handle(exchange).await;
            return bypass(reply, "method-override");
        }
        let target_key = primary_key(&exchange.target_uri, &route.cache.key, &exchange.headers);
        let mut primary = if intent_keyed {
            // The intent stands for the body, and only for it: the query and the host are still the request's.
            match intent_key(&target_key, exchange) {
                Some(key) => key,
                None => {
                    let reply = self.next.handle(exchange).await;
                    return bypass(reply, "no-intent");
                }
            }
        } else {
            target_key
        };
        // The origin hears the client's host (X-Forwarded-Host) where the runtime tells it: then it is part of what
        // the response may depend on, so of the key.
        if let Some(host) = &exchange.host {
            primary.push_str("#host=");
            primary.push_str(host);
        }
        exchange.cache_key = Some(primary.clone());
        let directives = RequestDirectives::of(&exchange.headers);
        // A request whose answer is its own (`no-store`, or a `Range` that gets a `206`) neither leads a flight nor
        // joins one: leading, it would make every waiter wait for an answer none of them can have.
        exchange.coalescible = route.coalesce
            && exchange.method != Method::HEAD
            && !directives.no_store
            && !exchange.headers.contains_key(header::RANGE);
        if let Some(shared) = self.shared {
            shared.check_purges().await;
            if shared.take_purge_notice() {
                self.count_purge();
                self.store.borrow_mut().clear();
            }
        }
        let (mut stored, vary_miss) = self.lookup(&primary, &exchange.headers, exchange.now);
        if let (None, Some(shared)) = (&stored, self.shared) {
            stored = if exchange.coalescible && !directives.only_if_cached {
                self.lookup_or_lease_shared(shared, route, exchange, &primary)
                    .await
            } else {
                self.lookup_shared(shared, route, exchange, &primary).await
            };
            if stored.is_some() {
                metrics::count(Counter::StoreHits, &[]);
            }
        }
        let Some(stored) = stored else {
            if directives.only_if_cached {
                return only_if_cached(exchange);
            }
            let cause = if vary_miss {
                ForwardCause::VaryMiss
            } else {
                ForwardCause::UriMiss
            };
            return self
                .forward_and_store(route, exchange, &primary, &directives, None, cause)
                .await;
        };
        match usability(&stored.freshness, &directives, exchange.now) {
            Usability::Fresh => self.serve(exchange, &stored, CacheOutcome::Hit),
            Usability::StaleAccepted => self.serve(
                exchange,
                &stored,
                CacheOutcome::Stale(StaleReason::MaxStale),
            ),
            Usability::StaleWhileRevalidate if exchange.method != Method::POST => {
                self.revalidate_in_background(route, exchange, &primary, Rc::clone(&stored));
                self.serve(
                    exchange,
                    &stored,
                    CacheOutcome::Stale(StaleReason::WhileRevalidate),
                )
            }
            Usability::StaleWhileRevalidate | Usability::Revalidate => {
                if directives.only_if_cached {
                    return only_if_cached(exchange);
                }
                let cause = if stored.freshness.ttl(exchange.now) > 0 {
                    ForwardCause::Request
                } else {
                    ForwardCause::Stale
                };
                self.forward_and_store(route, exchange, &primary, &directives, Some(stored), cause)
                    .await
            }
        }
    }
}

/// What a shared record is to a request.
enum FromRecord {
    /// It answers the request.
    Usable(StoredResponse, RecordHead),
    /// It is another variant of the URL (`Vary`): the request's own variant is stored under this key suffix.
    OtherVariant(String),
    /// Unreadable, or not storable by this route's policy.
    Unusable,
}

/// A stored response from a shared record, if the record answers `exchange` (the same `Vary` values) and is
/// storable by this route's policy; its freshness computed again from its fields and times.
fn from_record(route: &Route, exchange: &Exchange, record: Bytes) -> FromRecord {
    let Ok((head, body)) = cache_record::decode(record) else {
        metrics::count(Counter::StoreCalls, &["cache-get", "unreadable"]);
        return FromRecord::Unusable;
    };
    let Ok((status, headers)) = head.response_parts() else {
        return FromRecord::Unusable;
    };
    let wanted = Vary::of(&headers).secondary_key(&exchange.headers);
    if wanted != head.variant {
        return match wanted {
            Some(variant) => FromRecord::OtherVariant(variant),
            None => FromRecord::Unusable,
        };
    }
    let freshness = storable(
        &route.cache.policy,
        &HttpExchange {
            method: &Method::GET,
            request: &exchange.headers,
            request_directives: &RequestDirectives::default(),
            status,
            response: &headers,
            request_time: Timestamp::from_nanos(head.request_time_nanos),
            response_time: Timestamp::from_nanos(head.response_time_nanos),
        },
    );
    let Ok(freshness) = freshness else {
        return FromRecord::Unusable;
    };
    let stored = StoredResponse {
        status,
        headers: Rc::new(headers),
        body,
        freshness,
        tags: head.tags.clone(),
    };
    FromRecord::Usable(stored, head)
}

/// The stored response a shared record under `primary` gives `exchange`: the record itself, or (when it is another
/// variant of the URL) the request's own variant, read by its variant key; `None` if neither answers.
async fn shared_response(
    shared: &Store,
    route: &Route,
    exchange: &Exchange,
    primary: &str,
    record: Bytes,
) -> Option<(StoredResponse, RecordHead)> {
    match from_record(route, exchange, record) {
        FromRecord::Usable(stored, head) => Some((stored, head)),
        FromRecord::Unusable => None,
        FromRecord::OtherVariant(variant) => {
            let record = shared.get(&variant_key(primary, &variant)).await.ok()??;
            match from_record(route, exchange, record) {
                FromRecord::Usable(stored, head) => Some((stored, head)),
                _ => None,
            }
        }
    }
}

/// A reply from the shared record another instance's origin call stored (after a coalesced wait across instances),
/// if it is fresh for this request: as the origin's response, marked collapsed, with its freshness.
pub async fn reply_from_record(
    shared: &Store,
    route: &Route,
    exchange: &Exchange,
    primary: &str,
    record: Bytes,
) -> Option<Reply> {
    let (stored, head) = shared_response(shared, route, exchange, primary, record).await?;
    let directives = RequestDirectives::of(&exchange.headers);
    if usability(&stored.freshness, &directives, exchange.now) != Usability::Fresh {
        return None;
    }
    let mut headers = (*stored.headers).clone();
    for tag in &head.tags {
        // The origin's tags go back on, so the cache stage files the copy it keeps under them.
        if let Ok(value) = HeaderValue::from_str(tag) {
            headers.append(HeaderName::from_static("cache-tag"), value);
        }
    }
    let mut reply = Reply::full(stored.status, headers, stored.body.clone());
    reply.origin = Some(super::OriginTiming {
        request_time: Timestamp::from_nanos(head.request_time_nanos),
        response_time: Timestamp::from_nanos(head.response_time_nanos),
    });
    reply.collapsed = true;
    reply.from_shared_store = true;
    reply.storable = Some(Ok(stored.freshness));
    Some(reply)
}

fn only_if_cached(exchange: &Exchange) -> Reply {
    let mut reply = Problem::new(
        StatusCode::GATEWAY_TIMEOUT,
        "not-cached",
        "Not in cache",
        "the request said only-if-cached and no usable response is stored",
    )
    .for_path(&exchange.path)
    .into_reply();
    reply.cache = Some(CacheOutcome::Forwarded {
        cause: ForwardCause::UriMiss,
        stored: false,
    });
    reply
}

impl<N> std::fmt::Debug for Cache<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").finish_non_exhaustive()
    }
}
