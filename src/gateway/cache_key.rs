//! The cache's primary key for a request: which stored responses could answer it (RFC 9111 §4: the target URI,
//! plus what a route adds). `Vary` then selects among them ([`super::http_cache::Vary`]).
//!
//! The key is the request target exactly as sent — path and query, every byte, parameters in their order
//! (`?a=1&a=2` and `?a=2&a=1` are different requests to most origins). A route may opt in to sorting the query by
//! parameter *name* (stable: repeated names keep their order), and may name request headers whose raw bytes take
//! part. Keys read `path?query`, so purging by prefix (`/products/`) works; header parts follow a `#`.
//!
//! The target must be origin-form (`/path?query`); an absolute-form request (`GET http://host/path`) is reduced to its
//! path and query by the caller, so a client cannot choose the origin or split the cache by naming another host.

use super::http_cache::field_digest;
use http::header::HeaderName;
use http::HeaderMap;

/// What a route adds to the target in its keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRules {
    /// Sort query parameters by name (stable), so `?b=1&a=2` and `?a=2&b=1` share entries.
    pub sort_query: bool,
    /// Request headers whose values (raw bytes) are part of the key, lower-cased names.
    pub headers: Vec<HeaderName>,
}

/// The query with its `name=value` pairs stable-sorted by name; pairs with equal names keep their order.
pub fn sort_query_by_name(query: &str) -> String {
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_by_key(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
    pairs.join("&")
}

/// The primary key of a request for `target` (origin-form `path?query`) under `rules`.
pub fn primary_key(target: &str, rules: &KeyRules, headers: &HeaderMap) -> String {
    let mut key = match (rules.sort_query, target.split_once('?')) {
        (true, Some((path, query))) => format!("{path}?{}", sort_query_by_name(query)),
        _ => target.to_owned(),
    };
    if !rules.headers.is_empty() {
        key.push_str("#h=");
        key.push_str(&field_digest(&rules.headers, headers));
    }
    key
}

/// The key for one variant of `primary` (a response with `Vary`): the primary key, a separator no target contains,
/// and the secondary key.
pub fn variant_key(primary: &str, secondary: &str) -> String {
    format!("{primary}\u{1}{secondary}")
}

/// The prefix under which every variant of `primary` is stored.
pub fn variants_prefix(primary: &str) -> String {
    format!("{primary}\u{1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn query_order_is_kept_unless_the_route_sorts_by_name() {
        let h = HeaderMap::new();
        let exact = KeyRules::default();
        assert_ne!(
            primary_key("/p?a=1&a=2", &exact, &h),
            primary_key("/p?a=2&a=1", &exact, &h)
        );
        assert_ne!(
            primary_key("/p?b=1&a=2", &exact, &h),
            primary_key("/p?a=2&b=1", &exact, &h)
        );
        let sorted = KeyRules {
            sort_query: true,
            ..KeyRules::default()
        };
        assert_eq!(
            primary_key("/p?b=1&a=2", &sorted, &h),
            primary_key("/p?a=2&b=1", &sorted, &h)
        );
        // Repeated names keep their relative order: these stay different.
        assert_ne!(
            primary_key("/p?a=1&a=2", &sorted, &h),
            primary_key("/p?a=2&a=1", &sorted, &h)
        );
        assert_eq!(sort_query_by_name("z=1&a=2&a=1&m"), "a=2&a=1&m&z=1");
    }

    #[test]
    fn paths_are_kept_byte_for_byte() {
        let h = HeaderMap::new();
        let rules = KeyRules::default();
        assert_eq!(
            primary_key("/Go/http://Example.COM/X", &rules, &h),
            "/Go/http://Example.COM/X"
        );
        assert_ne!(
            primary_key("/a%2Fb", &rules, &h),
            primary_key("/a/b", &rules, &h)
        );
    }

    #[test]
    fn key_headers_count_every_byte() {
        let rules = KeyRules {
            sort_query: false,
            headers: vec![HeaderName::from_static("cookie")],
        };
        let mut ascii = HeaderMap::new();
        ascii.insert("cookie", HeaderValue::from_static("s=1"));
        let mut odd = HeaderMap::new();
        odd.insert("cookie", HeaderValue::from_bytes(b"s=1\xe9").unwrap());
        let mut other_odd = HeaderMap::new();
        other_odd.insert("cookie", HeaderValue::from_bytes(b"s=1\xea").unwrap());
        let none = HeaderMap::new();
        let keys = [&ascii, &odd, &other_odd, &none].map(|h| primary_key("/me", &rules, h));
        for i in 0..keys.len() {
            for j in i + 1..keys.len() {
                assert_ne!(keys[i], keys[j]);
            }
        }
        assert!(keys[0].starts_with("/me#h="));
    }
}
