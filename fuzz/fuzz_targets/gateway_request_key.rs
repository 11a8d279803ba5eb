//! Request canonicalization under arbitrary bytes: the cache's primary key, the coalescer's request key, the client
//! identity and the headers sent to the origin never panic, and keep their promises:
//! - the primary key of a target with no key headers is the target itself (byte for byte), or its query sorted by
//!   name, and sorting is idempotent and keeps every parameter;
//! - two requests that differ in a key header's bytes get different keys;
//! - a path's normal form is normal (idempotent) and holds nothing ambiguous;
//! - the identity is an `ip:` key from the trusted position only (the client-written prefix never matters, on a line
//!   of its own or on the first line, open quotes included);
//! - nothing in the gateway's own namespace, and no hop-by-hop field, reaches the origin.
#![no_main]

use http::header::{HeaderName, HeaderValue};
use http::HeaderMap;
use intent_edge::coalesce::{canonical_url, RequestKey};
use intent_edge::gateway::cache_key::{primary_key, sort_query_by_name, KeyRules};
use intent_edge::gateway::identity::{client_key, IdentityConfig, IdentitySource};
use intent_edge::gateway::proxy_headers::{to_origin, ForwardContext};
use intent_edge::gateway::request_path::normalize;
use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;

/// Splits the input at `\n` into: the target, then header lines `name:value`.
fn parse(data: &[u8]) -> (String, HeaderMap) {
    let mut lines = data.split(|&b| b == b'\n');
    let target = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let mut headers = HeaderMap::new();
    for line in lines.take(32) {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&line[..colon]),
            HeaderValue::from_bytes(&line[colon + 1..]),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    (target, headers)
}

fuzz_target!(|data: &[u8]| {
    let (target, headers) = parse(data);

    let exact = primary_key(&target, &KeyRules::default(), &headers);
    assert_eq!(
        exact, target,
        "without key headers the key is the target as sent"
    );
    let sorted_rules = KeyRules {
        sort_query: true,
        headers: Vec::new(),
    };
    let sorted = primary_key(&target, &sorted_rules, &headers);
    if let Some((_, query)) = target.split_once('?') {
        let once = sort_query_by_name(query);
        assert_eq!(sort_query_by_name(&once), once, "sorting is idempotent");
        let mut a: Vec<&str> = query.split('&').collect();
        let mut b: Vec<&str> = once.split('&').collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "sorting keeps every parameter");
        assert!(sorted.ends_with(&once));
    } else {
        assert_eq!(sorted, target);
    }

    // Key headers: every byte counts.
    if let Some((name, value)) = headers.iter().next() {
        let rules = KeyRules {
            sort_query: false,
            headers: vec![name.clone()],
        };
        let key = primary_key(&target, &rules, &headers);
        let mut changed = headers.clone();
        let mut bytes = value.as_bytes().to_vec();
        bytes.push(b'x');
        changed.insert(name.clone(), HeaderValue::from_bytes(&bytes).unwrap());
        assert_ne!(key, primary_key(&target, &rules, &changed));
    }

    // The path's normal form: never panics, is idempotent (a normal path comes back borrowed, unchanged), starts
    // with `/`, holds no `//`, no dot segment, no backslash and no escape of an unreserved character, `/` or `\`.
    let path = target.split('?').next().unwrap_or_default();
    for merge_slashes in [true, false] {
        if let Ok(normal) = normalize(path, merge_slashes) {
            assert!(
                matches!(normalize(&normal, merge_slashes), Ok(Cow::Borrowed(_))),
                "{path:?} -> {normal:?} is not normal"
            );
            assert!(normal.starts_with('/'), "{normal:?}");
            assert!(!merge_slashes || !normal.contains("//"), "{normal:?}");
            assert!(!normal.contains('\\'), "{normal:?}");
            assert!(
                normal
                    .split('/')
                    .all(|segment| segment != "." && segment != ".."),
                "{normal:?}"
            );
            let lower = normal.to_ascii_lowercase();
            assert!(
                !lower.contains("%2f") && !lower.contains("%5c") && !lower.contains("%2e"),
                "{normal:?}"
            );
        }
    }

    // The coalescer's canonical URL and key never panic and are deterministic.
    assert_eq!(canonical_url(&target), canonical_url(&target));
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?)))
        .collect();
    let a = RequestKey::new(
        "GET",
        &target,
        pairs.iter().copied(),
        &["accept", "cookie"],
        b"",
    );
    let b = RequestKey::new(
        "get",
        &target,
        pairs.iter().copied(),
        &["accept", "cookie"],
        b"",
    );
    assert_eq!(a, b);

    // Identity: only the trusted position counts.
    for hops in 0..3 {
        for source in [
            IdentitySource::ForwardedFor { trusted_hops: hops },
            IdentitySource::Forwarded { trusted_hops: hops },
            IdentitySource::Header(HeaderName::from_static("x-real-ip")),
        ] {
            let config = IdentityConfig {
                source: source.clone(),
                ipv6_prefix: 64,
            };
            if let Ok(key) = client_key(&headers, &config) {
                assert!(key.starts_with("ip:") && key.len() < 64, "{key}");
                // A client-written prefix in front of the list changes nothing.
                if hops > 0 && !matches!(source, IdentitySource::Header(_)) {
                    let name = source.header();
                    let mut prefixed = HeaderMap::new();
                    prefixed.append(name.clone(), HeaderValue::from_static("6.6.6.6, [::1]:9"));
                    for (k, v) in headers.iter() {
                        prefixed.append(k.clone(), v.clone());
                    }
                    assert_eq!(client_key(&prefixed, &config), Ok(key.clone()));
                    // So does one written in front of the first line, on it, a quote left open included (a proxy
                    // that extends the client's line puts its own element after the client's text).
                    let first = headers.get(&name).map(|v| v.as_bytes().to_vec());
                    if let Some(first) = first {
                        let mut line = b"for=6.6.6.6;x=\", 7.7.7.7;y=\"\\\", ".to_vec();
                        line.extend_from_slice(&first);
                        if let Ok(value) = HeaderValue::from_bytes(&line) {
                            let mut same_line = HeaderMap::new();
                            for (k, v) in headers.iter() {
                                let v = if *k == name && same_line.get(&name).is_none() {
                                    value.clone()
                                } else {
                                    v.clone()
                                };
                                same_line.append(k.clone(), v);
                            }
                            assert_eq!(client_key(&same_line, &config), Ok(key));
                        }
                    }
                }
            }
            let out = to_origin(
                &headers,
                &ForwardContext {
                    identity: &config,
                    proto: "http",
                    host: None,
                    front_fields: &[],
                },
            );
            for name in out.keys() {
                let name = name.as_str();
                // Under any spelling the origin's framework reads as the same field (`_` for `-`).
                let read_as = name.replace('_', "-");
                assert!(!read_as.starts_with("x-intent-edge-"), "{name}");
                assert!(
                    !matches!(
                        read_as.as_str(),
                        "connection"
                            | "keep-alive"
                            | "te"
                            | "upgrade"
                            | "http2-settings"
                            | "transfer-encoding"
                            | "x-forwarded-ssl"
                            | "x-original-url"
                            | "true-client-ip"
                    ) && !matches!(name, "host" | "content-length"),
                    "{name}"
                );
                // What the gateway writes itself comes in one spelling, its own.
                if read_as.starts_with("x-forwarded-") || read_as == "forwarded" {
                    assert!(
                        matches!(
                            name,
                            "x-forwarded-for"
                                | "x-forwarded-proto"
                                | "x-forwarded-host"
                                | "forwarded"
                        ),
                        "{name}"
                    );
                }
            }
        }
    }
});
