//! RFC 9111 for a shared cache, as pure functions over headers and time: what may be stored and for how long,
//! how old a stored response is, whether it may answer a request (fresh, stale with permission, or only after
//! revalidation), how a `304` refreshes it, which stored responses an unsafe request invalidates, and the
//! `Cache-Status` (RFC 9211) that says what happened. RFC 5861 (`stale-while-revalidate`, `stale-if-error`) is
//! included.
//!
//! Times are [`Timestamp`]s counted from the **Unix epoch** (so that they compare with HTTP dates); the caller reads
//! the clock once per request and passes it in.
//!
//! Not covered (and never served wrongly because of it: each case is a miss or a pass-through): partial content
//! (`206`, `Range`), storing `HEAD` responses, combining partial stored responses, and `no-cache`/`private` with
//! field names (treated as the unqualified directives).

use super::cache_control::{
    delta_seconds, MaxStale, RequestDirectives, ResponseDirectives, MAX_DELTA_SECONDS,
};
use crate::time::Timestamp;
use http::header::{self, HeaderName};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use sha2::{Digest, Sha256};
use std::time::{Duration, UNIX_EPOCH};

/// How the operator tuned the RFC's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct CachePolicy {
    /// Share of `Date − Last-Modified` used as a heuristic lifetime when a response has no explicit one (RFC 9111
    /// §4.2.2 suggests 10 %); 0 disables heuristic freshness.
    pub heuristic_fraction: f64,
    /// Upper bound of a heuristic lifetime.
    pub heuristic_max: Duration,
    /// Replaces the origin's freshness lifetime for every storable response (an "edge TTL"). Never makes a
    /// `no-store`, `private`, `Set-Cookie` or `Vary: *` response storable.
    pub ttl_override: Option<Duration>,
}

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            heuristic_fraction: 0.1,
            heuristic_max: Duration::from_secs(24 * 3600),
            ttl_override: None,
        }
    }
}

/// Why a response is not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotStorable {
    /// Only `GET` responses are stored.
    Method,
    /// Not a final status this cache stores (`1xx`, `206`, `304`).
    Status,
    /// The request said `no-store`.
    RequestNoStore,
    /// The response said `no-store`.
    NoStore,
    /// `private`: for one user's cache only.
    Private,
    /// A `Set-Cookie` response is one client's session; a shared cache never keeps it.
    SetCookie,
    /// `Vary: *` can never match a later request.
    VaryStar,
    /// The request carried `Authorization` and the response did not say `public`, `s-maxage` or
    /// `must-revalidate` (§3.5).
    Authorization,
    /// No explicit lifetime, and the status or headers allow no heuristic one.
    NoFreshness,
}

impl NotStorable {
    /// A short token for `Cache-Status`' `detail` and for metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            NotStorable::Method => "method",
            NotStorable::Status => "status",
            NotStorable::RequestNoStore => "request-no-store",
            NotStorable::NoStore => "no-store",
            NotStorable::Private => "private",
            NotStorable::SetCookie => "set-cookie",
            NotStorable::VaryStar => "vary-star",
            NotStorable::Authorization => "authorization",
            NotStorable::NoFreshness => "no-freshness",
        }
    }

    /// Whether the origin made the response unshareable (`no-store`, `private`, `Set-Cookie`, `Vary: *`, no lifetime),
    /// so that other requests for the key would get the same: what marks a key hit-for-miss. The others come from
    /// the request (its method, `no-store`, `Range` or validators giving a `206`/`304`, credentials): one client's
    /// choice, which must not change how everyone else's requests for the key are served.
    pub fn is_the_origins(self) -> bool {
        matches!(
            self,
            NotStorable::NoStore
                | NotStorable::Private
                | NotStorable::SetCookie
                | NotStorable::VaryStar
                | NotStorable::NoFreshness
        )
    }
}

/// Statuses that are cacheable by default (RFC 9110 §15.1): a heuristic lifetime may apply to them.
fn heuristically_cacheable(status: StatusCode) -> bool {
    matches!(
        status.as_u16(),
        200 | 203 | 204 | 206 | 300 | 301 | 308 | 404 | 405 | 410 | 414 | 501
    )
}

/// An HTTP-date header as seconds since the Unix epoch; `None` when absent or not a valid date.
pub fn http_date(headers: &HeaderMap, name: HeaderName) -> Option<u64> {
    let value = headers.get(name)?.to_str().ok()?;
    let time = httpdate::parse_http_date(value.trim()).ok()?;
    Some(time.duration_since(UNIX_EPOCH).ok()?.as_secs())
}

/// `t` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn format_http_date(t: Timestamp) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_nanos(t.as_nanos()))
}

fn secs(t: Timestamp) -> u64 {
    t.as_nanos() / 1_000_000_000
}

/// The `Vary` of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vary {
    /// No `Vary`: one stored response serves every request for the URL.
    None,
    /// `Vary: *`: never matches.
    Star,
    /// The request fields (lower-cased, deduplicated, sorted) that select this response.
    Fields(Vec<HeaderName>),
}

impl Vary {
    /// The `Vary` of a response's headers. A field name that is not a valid header name makes it `Star` (it can
    /// never be matched safely).
    pub fn of(headers: &HeaderMap) -> Vary {
        let mut names = Vec::new();
        for line in headers.get_all(header::VARY) {
            let Ok(line) = line.to_str() else {
                return Vary::Star;
            };
            for name in line.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if name == "*" {
                    return Vary::Star;
                }
                match HeaderName::from_bytes(name.as_bytes()) {
                    Ok(name) => names.push(name),
                    Err(_) => return Vary::Star,
                }
            }
        }
        if names.is_empty() {
            return Vary::None;
        }
        names.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        names.dedup();
        Vary::Fields(names)
    }

    /// The secondary key of `request` under this `Vary`: a digest of the named fields' values exactly as sent
    /// (every byte counts, an absent field differs from an empty one), or `None` for [`Vary::None`].
    pub fn secondary_key(&self, request: &HeaderMap) -> Option<String> {
        match self {
            Vary::None | Vary::Star => None,
            Vary::Fields(names) => Some(field_digest(names, request)),
        }
    }
}

/// Hex SHA-256 (first 16 bytes) of the named fields' values in `headers`, in the given order: multiple field lines
/// are joined with `, ` and trimmed; an absent field is marked as absent.
pub fn field_digest(names: &[HeaderName], headers: &HeaderMap) -> String {
    let mut digest = Sha256::new();
    for name in names {
        digest.update(name.as_str().as_bytes());
        let mut values = headers.get_all(name).iter().peekable();
        if values.peek().is_none() {
            digest.update(b"\x00absent\n");
            continue;
        }
        digest.update(b":");
        let mut first = true;
        for value in values {
            if !first {
                digest.update(b", ");
            }
            first = false;
            digest.update(value.as_bytes().trim_ascii());
        }
        digest.update(b"\n");
    }
    hex16(&digest.finalize())
}

/// The first 16 bytes of a digest in hex (128 bits: collisions are not a practical concern).
pub fn hex16(digest: &[u8]) -> String {
    digest[..16]
        .iter()
        .fold(String::with_capacity(32), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// What a cache keeps with a stored response to decide on later requests (computed once, at store time).
#[derive(Debug, Clone, PartialEq)]
pub struct Freshness {
    /// When the request that produced the response was sent, and when the response arrived (Unix epoch).
    pub request_time: Timestamp,
    pub response_time: Timestamp,
    /// `corrected_initial_age` (§4.2.3), in seconds.
    pub initial_age: u64,
    /// The freshness lifetime (§4.2.1), in seconds.
    pub lifetime: u64,
    pub directives: ResponseDirectives,
}

impl Freshness {
    /// The age of the stored response at `now`, in seconds (§4.2.3).
    pub fn current_age(&self, now: Timestamp) -> u64 {
        self.initial_age
            .saturating_add(secs(now).saturating_sub(secs(self.response_time)))
    }

    /// Seconds of freshness left at `now` (negative: stale by that much; saturating at the ends of `i64`).
    pub fn ttl(&self, now: Timestamp) -> i64 {
        let lifetime = i64::try_from(self.lifetime).unwrap_or(i64::MAX);
        let age = i64::try_from(self.current_age(now)).unwrap_or(i64::MAX);
        lifetime.saturating_sub(age)
    }

    /// How long a cache keeps the response, counted from `now`: while fresh, then stale for as long as it may still
    /// serve (`stale-while-revalidate`, `stale-if-error`, a client's `max-stale`) or be revalidated — at least
    /// `stale_retention`. The TTL to give the storage (whose bounds evict first what is least recently used).
    pub fn retention(&self, now: Timestamp, stale_retention: Duration) -> Duration {
        let stale_use = self
            .directives
            .stale_while_revalidate
            .unwrap_or(0)
            .max(self.directives.stale_if_error.unwrap_or(0))
            .max(stale_retention.as_secs());
        let keep = (self.ttl(now).max(0) as u64).saturating_add(stale_use);
        Duration::from_secs(keep.max(1))
    }
}

/// One request and the origin's response to it, as the cache sees them.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    pub method: &'a Method,
    pub request: &'a HeaderMap,
    pub request_directives: &'a RequestDirectives,
    pub status: StatusCode,
    pub response: &'a HeaderMap,
    /// When the request was sent and the response arrived (Unix epoch).
    pub request_time: Timestamp,
    pub response_time: Timestamp,
}

/// Decides whether the response of `exchange` may be stored, and computes its freshness.
pub fn storable(policy: &CachePolicy, exchange: &Exchange<'_>) -> Result<Freshness, NotStorable> {
    let Exchange {
        method,
        request,
        request_directives,
        status,
        response,
        request_time,
        response_time,
    } = *exchange;
    if *method != Method::GET {
        return Err(NotStorable::Method);
    }
    if status.is_informational()
        || status == StatusCode::PARTIAL_CONTENT
        || status == StatusCode::NOT_MODIFIED
    {
        return Err(NotStorable::Status);
    }
    if request_directives.no_store {
        return Err(NotStorable::RequestNoStore);
    }
    let directives = ResponseDirectives::of(response);
    if directives.no_store {
        return Err(NotStorable::NoStore);
    }
    if directives.private {
        return Err(NotStorable::Private);
    }
    if response.contains_key(header::SET_COOKIE) {
        return Err(NotStorable::SetCookie);
    }
    if Vary::of(response) == Vary::Star {
        return Err(NotStorable::VaryStar);
    }
    if request.contains_key(header::AUTHORIZATION)
        && !(directives.public || directives.s_maxage_present || directives.must_revalidate)
    {
        return Err(NotStorable::Authorization);
    }
    // A lifetime past 2^31 s (~68 years: `Expires` in the year 9999) counts as 2^31 s, the most a delta-seconds
    // says (§1.2.2): it keeps every expiry given to a store within what the store takes.
    let lifetime = match policy.ttl_override {
        Some(ttl) => ttl.as_secs(),
        None => freshness_lifetime(policy, status, response, &directives, response_time)
            .ok_or(NotStorable::NoFreshness)?,
    }
    .min(MAX_DELTA_SECONDS);
    Ok(Freshness {
        request_time,
        response_time,
        initial_age: initial_age(response, request_time, response_time),
        lifetime,
        directives,
    })
}

/// The freshness lifetime (§4.2.1): `s-maxage`, `max-age`, `Expires − Date`, or a heuristic; `None` when there is
/// none and the response is not cacheable without one. A `public` response with no lifetime is stored stale
/// (lifetime 0: every use revalidates).
fn freshness_lifetime(
    policy: &CachePolicy,
    status: StatusCode,
    response: &HeaderMap,
    directives: &ResponseDirectives,
    response_time: Timestamp,
) -> Option<u64> {
    if let Some(max_age) = directives.max_age {
        return Some(max_age);
    }
    let date = http_date(response, header::DATE).unwrap_or_else(|| secs(response_time));
    if response.contains_key(header::EXPIRES) {
        // An invalid Expires (`0`, `-1`) means "already expired" (§5.3).
        let expires = http_date(response, header::EXPIRES).unwrap_or(0);
        return Some(expires.saturating_sub(date));
    }
    if heuristically_cacheable(status) && policy.heuristic_fraction > 0.0 {
        if let Some(last_modified) = http_date(response, header::LAST_MODIFIED) {
            let since = date.saturating_sub(last_modified) as f64;
            let heuristic = (since * policy.heuristic_fraction) as u64;
            return Some(heuristic.min(policy.heuristic_max.as_secs()));
        }
    }
    if directives.public || directives.no_cache {
        return Some(0);
    }
    None
}

/// `corrected_initial_age` (§4.2.3), in seconds. `Age` is a `delta-seconds` (§5.1): past 2³¹ it counts as 2³¹, and
/// a value that is not digits (`-5`, `+5`, `soon`) is ignored: 0, what §4.2.3 takes when no `Age` is available.
fn initial_age(response: &HeaderMap, request_time: Timestamp, response_time: Timestamp) -> u64 {
    let age_value = response
        .get(header::AGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| delta_seconds(Some(v.trim())))
        .unwrap_or(0);
    let date = http_date(response, header::DATE).unwrap_or_else(|| secs(response_time));
    let apparent_age = secs(response_time).saturating_sub(date);
    let response_delay = secs(response_time).saturating_sub(secs(request_time));
    apparent_age.max(age_value.saturating_add(response_delay))
}

/// Whether a stored response may answer a request now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usability {
    /// Fresh and acceptable to the client: serve it.
    Fresh,
    /// Stale, but the client's `max-stale` accepts it: serve it.
    StaleAccepted,
    /// Stale within `stale-while-revalidate`: serve it and revalidate in the background.
    StaleWhileRevalidate,
    /// Forward the request (conditionally when the stored response has a validator).
    Revalidate,
}

/// Whether the stored response described by `freshness` may answer a request with `request` directives at `now`
/// (§4, §4.2.4, §5.2.1, RFC 5861 §3).
pub fn usability(freshness: &Freshness, request: &RequestDirectives, now: Timestamp) -> Usability {
    let response = &freshness.directives;
    if response.no_cache || request.no_cache {
        return Usability::Revalidate;
    }
    let age = freshness.current_age(now);
    if request.max_age.is_some_and(|max_age| age > max_age) && request.max_stale.is_none() {
        return Usability::Revalidate;
    }
    let ttl = freshness.ttl(now);
    if ttl > 0 {
        return match request.min_fresh {
            Some(min_fresh) if (ttl as u64) < min_fresh => Usability::Revalidate,
            _ => Usability::Fresh,
        };
    }
    if response.must_revalidate {
        return Usability::Revalidate;
    }
    let staleness = ttl.unsigned_abs();
    match request.max_stale {
        Some(MaxStale::Any) => return Usability::StaleAccepted,
        Some(MaxStale::Seconds(n)) if staleness <= n => return Usability::StaleAccepted,
        _ => {}
    }
    if request.min_fresh.is_none()
        && response
            .stale_while_revalidate
            .is_some_and(|window| staleness <= window)
    {
        return Usability::StaleWhileRevalidate;
    }
    Usability::Revalidate
}

/// Whether the stored response may answer in place of an origin error (`5xx` or no answer) at `now`: fresh, or
/// stale within `stale-if-error` of the response or the request (RFC 5861 §4); never with `must-revalidate` or
/// `no-cache`.
pub fn usable_on_error(freshness: &Freshness, request: &RequestDirectives, now: Timestamp) -> bool {
    let response = &freshness.directives;
    if response.no_cache {
        return false;
    }
    let ttl = freshness.ttl(now);
    if ttl > 0 {
        return true;
    }
    if response.must_revalidate {
        return false;
    }
    let window = response
        .stale_if_error
        .unwrap_or(0)
        .max(request.stale_if_error.unwrap_or(0));
    ttl.unsigned_abs() <= window
        && (response.stale_if_error.is_some() || request.stale_if_error.is_some())
}

/// The headers of a conditional request that revalidates a stored response (§4.3.1): `If-None-Match` with its
/// `ETag`, and `If-Modified-Since` with its `Last-Modified`. Empty when it has no validator.
pub fn conditional_headers(stored: &HeaderMap) -> Vec<(HeaderName, HeaderValue)> {
    let mut out = Vec::new();
    if let Some(etag) = stored.get(header::ETAG) {
        out.push((header::IF_NONE_MATCH, etag.clone()));
    }
    if let Some(last_modified) = stored.get(header::LAST_MODIFIED) {
        out.push((header::IF_MODIFIED_SINCE, last_modified.clone()));
    }
    out
}

fn opaque_tag(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// Whether the `304` in `not_modified` may refresh the stored response (§4.3.4): when both carry an `ETag` they
/// must be the same entity-tag (weakly: `W/` is ignored); otherwise it applies.
pub fn not_modified_applies(stored: &HeaderMap, not_modified: &HeaderMap) -> bool {
    match (stored.get(header::ETAG), not_modified.get(header::ETAG)) {
        (Some(a), Some(b)) => {
            opaque_tag(a.as_bytes().trim_ascii()) == opaque_tag(b.as_bytes().trim_ascii())
        }
        _ => true,
    }
}

/// Header fields a `304` must not change in the stored response (§3.2): its framing, and fields this cache handles
/// itself.
const NOT_UPDATED_BY_304: [HeaderName; 3] = [
    header::CONTENT_LENGTH,
    header::CONTENT_ENCODING,
    header::TRANSFER_ENCODING,
];

/// The stored response's headers refreshed by a `304` (§3.2, §4.3.4): every field of the 304 replaces the stored
/// one, but framing.
pub fn refresh_headers(stored: &HeaderMap, not_modified: &HeaderMap) -> HeaderMap {
    let mut headers = stored.clone();
    for name in not_modified.keys() {
        if NOT_UPDATED_BY_304.contains(name) {
            continue;
        }
        headers.remove(name);
        for value in not_modified.get_all(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    headers
}

/// Whether the client's own conditional request (`If-None-Match`, else `If-Modified-Since`) is satisfied by the
/// stored response, so the answer is `304 Not Modified` (RFC 9110 §13.1.2, §13.1.3; weak comparison for
/// `If-None-Match`).
pub fn client_not_modified(request: &HeaderMap, stored: &HeaderMap) -> bool {
    let inm: Vec<&HeaderValue> = request.get_all(header::IF_NONE_MATCH).iter().collect();
    if !inm.is_empty() {
        let Some(etag) = stored.get(header::ETAG) else {
            return false;
        };
        let etag = opaque_tag(etag.as_bytes().trim_ascii());
        return inm.iter().any(|line| {
            let line = line.as_bytes();
            line.trim_ascii() == b"*"
                || line
                    .split(|&b| b == b',')
                    .any(|candidate| opaque_tag(candidate.trim_ascii()) == etag)
        });
    }
    match (
        http_date(request, header::IF_MODIFIED_SINCE),
        http_date(stored, header::LAST_MODIFIED),
    ) {
        (Some(since), Some(modified)) => modified <= since,
        _ => false,
    }
}

/// The fields of a `304` made from a stored response (RFC 9110 §15.4.5).
pub fn not_modified_headers(stored: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for name in [
        header::CACHE_CONTROL,
        header::CONTENT_LOCATION,
        header::DATE,
        header::ETAG,
        header::EXPIRES,
        header::VARY,
        header::LAST_MODIFIED,
    ] {
        for value in stored.get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    headers
}

/// Whether a response to `method` invalidates stored responses (§4.4): an unsafe method answered with a
/// non-error status.
pub fn invalidates(method: &Method, status: StatusCode) -> bool {
    !method.is_safe() && (status.is_success() || status.is_redirection())
}

/// The request targets (path and query) an unsafe request invalidates (§4.4): its own target, and the
/// `Location` / `Content-Location` of the response when they point to the same origin (a path, or an absolute
/// URI whose authority is one of `own_authorities`).
pub fn invalidation_targets(
    target: &str,
    response: &HeaderMap,
    own_authorities: &[&str],
) -> Vec<String> {
    let mut targets = vec![target.to_owned()];
    for name in [header::LOCATION, header::CONTENT_LOCATION] {
        let Some(value) = response.get(&name).and_then(|v| v.to_str().ok()) else {
            continue;
        };
        if let Some(path) = same_origin_target(target, value.trim(), own_authorities) {
            if !targets.contains(&path) {
                targets.push(path);
            }
        }
    }
    targets
}

fn same_origin_target(base: &str, reference: &str, own_authorities: &[&str]) -> Option<String> {
    let reference = reference.split('#').next().unwrap_or_default();
    if reference.is_empty() {
        return None;
    }
    if let Some(rest) = reference.strip_prefix("//") {
        return same_authority(rest, own_authorities);
    }
    if let Some((scheme, rest)) = reference.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return None;
        }
        return same_authority(rest, own_authorities);
    }
    if reference.starts_with('/') {
        return Some(reference.to_owned());
    }
    if reference.contains(':') {
        // Another scheme (`mailto:`, …).
        return None;
    }
    // A relative path: resolved against the directory of the base path.
    let base_path = base.split('?').next().unwrap_or("/");
    let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
    Some(format!(
        "{}{reference}",
        if dir.is_empty() { "/" } else { dir }
    ))
}

fn same_authority(rest: &str, own_authorities: &[&str]) -> Option<String> {
    let (authority, path) = rest
        .find(['/', '?'])
        .map_or((rest, "/"), |i| rest.split_at(i));
    let path = if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    own_authorities
        .iter()
        .any(|own| own.eq_ignore_ascii_case(authority))
        .then_some(path)
}

/// What the cache did with one request, as reported in `Cache-Status` (RFC 9211) and counted in metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Served from storage, fresh.
    Hit,
    /// Served from storage, stale (client `max-stale`, `stale-while-revalidate` or `stale-if-error`).
    Stale(StaleReason),
    /// A stored response confirmed by the origin with `304`.
    Revalidated,
    /// Forwarded to the origin; `stored`: its response was stored.
    Forwarded { cause: ForwardCause, stored: bool },
    /// Not a cacheable request at all (method, credentials, route policy).
    Bypass(&'static str),
}

/// Why a cacheable request went to the origin (RFC 9211 `fwd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardCause {
    /// Nothing stored for the URL.
    UriMiss,
    /// A response is stored for the URL, but for other `Vary` values.
    VaryMiss,
    /// The stored response was stale.
    Stale,
    /// The client's directives (`no-cache`, `max-age`, `min-fresh`) refused a fresh stored response.
    Request,
}

/// Why a stale response was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    MaxStale,
    WhileRevalidate,
    IfError,
}

impl CacheOutcome {
    /// The short form: `HIT`, `STALE`, `REVALIDATED`, `MISS` or `BYPASS`.
    pub fn label(self) -> &'static str {
        match self {
            CacheOutcome::Hit => "HIT",
            CacheOutcome::Stale(_) => "STALE",
            CacheOutcome::Revalidated => "REVALIDATED",
            CacheOutcome::Forwarded { .. } => "MISS",
            CacheOutcome::Bypass(_) => "BYPASS",
        }
    }

    /// The `Cache-Status` member for this cache (`name`), with the remaining `ttl` when served from storage and
    /// `collapsed` when the request waited for another's origin call.
    pub fn cache_status(self, name: &str, ttl: Option<i64>, collapsed: bool) -> String {
        let mut s = String::with_capacity(64);
        s.push_str(name);
        match self {
            CacheOutcome::Hit => s.push_str("; hit"),
            CacheOutcome::Stale(reason) => {
                s.push_str("; hit");
                s.push_str(match reason {
                    StaleReason::MaxStale => "; detail=max-stale",
                    StaleReason::WhileRevalidate => "; fwd=stale; detail=stale-while-revalidate",
                    StaleReason::IfError => "; detail=stale-if-error",
                });
            }
            CacheOutcome::Revalidated => s.push_str("; fwd=stale; fwd-status=304"),
            CacheOutcome::Forwarded { cause, stored } => {
                s.push_str(match cause {
                    ForwardCause::UriMiss => "; fwd=uri-miss",
                    ForwardCause::VaryMiss => "; fwd=vary-miss",
                    ForwardCause::Stale => "; fwd=stale",
                    ForwardCause::Request => "; fwd=request",
                });
                if stored {
                    s.push_str("; stored");
                }
            }
            CacheOutcome::Bypass(why) => {
                s.push_str("; fwd=bypass; detail=");
                s.push_str(why);
            }
        }
        if let Some(ttl) = ttl {
            s.push_str("; ttl=");
            s.push_str(itoa::Buffer::new().format(ttl));
        }
        if collapsed {
            s.push_str("; collapsed");
        }
        s
    }
}

/// Seconds since the Unix epoch of `t` — for callers that format `Age` or compare with HTTP dates.
pub fn unix_seconds(t: Timestamp) -> u64 {
    secs(t)
}

#[cfg(test)]
mod tests;
