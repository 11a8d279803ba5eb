//! RFC 9111 rules for a shared cache, as far as an edge cache needs them.

use http::HeaderMap;
use std::time::Duration;

/// `Cache-Control` directives of one header map, lower-cased: `(name, optional value)`.
fn directives(headers: &HeaderMap) -> Vec<(String, Option<String>)> {
    headers
        .get_all(http::header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|d| {
            let d = d.trim();
            if d.is_empty() {
                return None;
            }
            Some(match d.split_once('=') {
                Some((k, v)) => (
                    k.trim().to_ascii_lowercase(),
                    Some(v.trim().trim_matches('"').to_owned()),
                ),
                None => (d.to_ascii_lowercase(), None),
            })
        })
        .collect()
}

fn seconds(directives: &[(String, Option<String>)], name: &str) -> Option<u64> {
    directives
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.as_deref()?.parse().ok())
}

fn has(directives: &[(String, Option<String>)], name: &str) -> bool {
    directives.iter().any(|(k, _)| k == name)
}

/// What the request allows the cache to do.
#[derive(Debug, Clone, Copy)]
pub struct RequestPolicy {
    /// False for `no-cache`, `no-store` or `max-age=0` (and `Pragma: no-cache`): go to the origin.
    pub may_use_stored: bool,
    /// False for `no-store`.
    pub may_store: bool,
}

impl RequestPolicy {
    pub fn of(headers: &HeaderMap) -> Self {
        let d = directives(headers);
        let pragma_no_cache = headers
            .get(http::header::PRAGMA)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("no-cache"));
        let no_store = has(&d, "no-store");
        RequestPolicy {
            may_use_stored: !(no_store
                || has(&d, "no-cache")
                || seconds(&d, "max-age") == Some(0)
                || pragma_no_cache),
            may_store: !no_store,
        }
    }
}

/// How long a response may be served from a shared cache, or `None` if it must not be stored.
/// Explicit freshness only (`s-maxage`, else `max-age`); no heuristic freshness.
pub fn response_freshness(
    status: u16,
    headers: &HeaderMap,
    request_had_authorization: bool,
) -> Option<Duration> {
    if !matches!(status, 200 | 203 | 204 | 300 | 301 | 308 | 404 | 410) {
        return None;
    }
    let d = directives(headers);
    if has(&d, "no-store") || has(&d, "private") || has(&d, "no-cache") {
        return None;
    }
    if headers.contains_key(http::header::SET_COOKIE) {
        return None;
    }
    if headers
        .get_all(http::header::VARY)
        .iter()
        .any(|v| v.to_str().map_or(true, |v| v.contains('*')))
    {
        return None;
    }
    let shared_max_age = seconds(&d, "s-maxage");
    if request_had_authorization
        && shared_max_age.is_none()
        && !has(&d, "public")
        && !has(&d, "must-revalidate")
    {
        return None;
    }
    let ttl = shared_max_age.or_else(|| seconds(&d, "max-age"))?;
    // The origin's own Age counts against the lifetime.
    let age: u64 = headers
        .get(http::header::AGE)
        .and_then(|v| v.to_str().ok()?.trim().parse().ok())
        .unwrap_or(0);
    let remaining = ttl.checked_sub(age)?;
    (remaining > 0).then(|| Duration::from_secs(remaining))
}
