//! The RFC 9111 policy functions under arbitrary headers, statuses and times: no panic, and the promises hold —
//! nothing `private`, `no-store`, `Set-Cookie` or `Vary: *` is ever storable; a response is `Fresh` only while its
//! age is below its lifetime; `must-revalidate` is never served stale; age never decreases as time passes; retention
//! outlives freshness and stays within what Redis takes as an expiry; a refreshed header set keeps the stored framing.
#![no_main]

use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, StatusCode};
use intent_edge::gateway::cache_control::{
    RequestDirectives, ResponseDirectives, MAX_DELTA_SECONDS,
};
use intent_edge::gateway::http_cache::{
    client_not_modified, invalidation_targets, refresh_headers, storable, usability,
    usable_on_error, CachePolicy, Exchange, NotStorable, Usability, Vary,
};
use intent_edge::gateway::shared::MAX_EXPIRY;
use intent_edge::Timestamp;
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

const NAMES: [&str; 12] = [
    "cache-control",
    "expires",
    "date",
    "age",
    "last-modified",
    "etag",
    "vary",
    "set-cookie",
    "pragma",
    "if-none-match",
    "if-modified-since",
    "location",
];

/// Input: 2 bytes status, 2 bytes time offsets, then records `name-index value \n`, split between the request and
/// the response by a `\0` record.
fn parse(data: &[u8]) -> Option<(StatusCode, u64, u64, HeaderMap, HeaderMap)> {
    if data.len() < 4 {
        return None;
    }
    let status = StatusCode::from_u16(100 + u16::from_le_bytes([data[0], data[1]]) % 500).ok()?;
    let delay = u64::from(data[2] % 8);
    let later = u64::from(data[3]) * 7;
    let (mut request, mut response) = (HeaderMap::new(), HeaderMap::new());
    let mut in_response = false;
    for record in data[4..].split(|&b| b == b'\n').take(24) {
        let Some((&first, value)) = record.split_first() else {
            continue;
        };
        if first == 0 {
            in_response = true;
            continue;
        }
        let name = HeaderName::from_static(NAMES[usize::from(first) % NAMES.len()]);
        let Ok(value) = HeaderValue::from_bytes(value) else {
            continue;
        };
        if in_response {
            &mut response
        } else {
            &mut request
        }
        .append(name, value);
    }
    Some((status, delay, later, request, response))
}

fuzz_target!(|data: &[u8]| {
    let Some((status, delay, later, request, response)) = parse(data) else {
        return;
    };
    let t0 = Timestamp::from_secs(1_700_000_000);
    let request_directives = RequestDirectives::of(&request);
    let response_directives = ResponseDirectives::of(&response);
    for policy in [
        CachePolicy::default(),
        CachePolicy {
            ttl_override: Some(Duration::from_secs(30)),
            ..CachePolicy::default()
        },
    ] {
        let exchange = Exchange {
            method: &Method::GET,
            request: &request,
            request_directives: &request_directives,
            status,
            response: &response,
            request_time: t0,
            response_time: t0.saturating_add(Duration::from_secs(delay)),
        };
        match storable(&policy, &exchange) {
            Ok(freshness) => {
                assert!(!response_directives.private && !response_directives.no_store);
                assert!(!response.contains_key("set-cookie"));
                assert_ne!(Vary::of(&response), Vary::Star);
                assert!(!request_directives.no_store);
                assert!(freshness.lifetime <= MAX_DELTA_SECONDS);
                let mut previous_age = 0;
                let mut steps = [0, 1, later, later * 3, 86_400 * 400];
                steps.sort_unstable();
                for step in steps {
                    let now = t0.saturating_add(Duration::from_secs(delay + step));
                    let age = freshness.current_age(now);
                    assert!(age >= previous_age, "age never goes back");
                    previous_age = age;
                    let use_ = usability(&freshness, &request_directives, now);
                    if use_ == Usability::Fresh {
                        assert!(freshness.ttl(now) > 0);
                    }
                    if use_ != Usability::Revalidate && use_ != Usability::Fresh {
                        assert!(
                            !freshness.directives.must_revalidate && !freshness.directives.no_cache
                        );
                    }
                    if usable_on_error(&freshness, &request_directives, now)
                        && freshness.ttl(now) <= 0
                    {
                        assert!(!freshness.directives.must_revalidate);
                    }
                    let kept = freshness.retention(now, Duration::from_secs(60));
                    assert!(kept.as_secs() >= freshness.ttl(now).max(1) as u64);
                    assert!(
                        kept <= MAX_EXPIRY,
                        "a store's expiry stays within what Redis takes"
                    );
                }
            }
            Err(reason) => {
                if reason == NotStorable::Private {
                    assert!(response_directives.private);
                }
            }
        }
    }
    let refreshed = refresh_headers(&response, &request);
    assert_eq!(
        refreshed.get("content-length"),
        response.get("content-length")
    );
    let _ = client_not_modified(&request, &response);
    let targets = invalidation_targets("/a/b?c", &response, &["origin.example"]);
    assert_eq!(targets[0], "/a/b?c");
    assert!(targets.iter().all(|t| t.starts_with('/')));
});
