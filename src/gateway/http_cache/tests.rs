use super::*;
use crate::gateway::cache_control::RequestDirectives;

const T0: u64 = 1_700_000_000; // a Unix time, seconds

fn at(secs: u64) -> Timestamp {
    Timestamp::from_secs(secs)
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    h
}

fn date(secs: u64) -> String {
    format_http_date(at(secs))
}

fn store(response: &[(&str, &str)]) -> Result<Freshness, NotStorable> {
    store_for(&[], response)
}

fn store_for(
    request: &[(&str, &str)],
    response: &[(&str, &str)],
) -> Result<Freshness, NotStorable> {
    let request = headers(request);
    storable(
        &CachePolicy::default(),
        &Exchange {
            method: &Method::GET,
            request: &request,
            request_directives: &RequestDirectives::of(&request),
            status: StatusCode::OK,
            response: &headers(response),
            request_time: at(T0),
            response_time: at(T0),
        },
    )
}

fn req(cc: &str) -> RequestDirectives {
    RequestDirectives::of(&headers(&[("cache-control", cc)]))
}

#[test]
fn what_a_shared_cache_may_store() {
    assert_eq!(
        store(&[("cache-control", "max-age=60")]).unwrap().lifetime,
        60
    );
    assert_eq!(
        store(&[("cache-control", "private, max-age=60")]),
        Err(NotStorable::Private)
    );
    assert_eq!(
        store(&[("cache-control", "no-store, max-age=60")]),
        Err(NotStorable::NoStore)
    );
    assert_eq!(
        store(&[
            ("cache-control", "public, max-age=60"),
            ("set-cookie", "s=1")
        ]),
        Err(NotStorable::SetCookie)
    );
    assert_eq!(
        store(&[("cache-control", "max-age=60"), ("vary", "Accept, *")]),
        Err(NotStorable::VaryStar)
    );
    assert_eq!(store(&[]), Err(NotStorable::NoFreshness));
    assert_eq!(
        store_for(
            &[("cache-control", "no-store")],
            &[("cache-control", "max-age=60")]
        ),
        Err(NotStorable::RequestNoStore)
    );
    // Authorization: only public, s-maxage or must-revalidate responses (RFC 9111 §3.5).
    let auth = [("authorization", "Bearer x")];
    assert_eq!(
        store_for(&auth, &[("cache-control", "max-age=60")]),
        Err(NotStorable::Authorization)
    );
    for ok in [
        "public, max-age=60",
        "s-maxage=60",
        "max-age=60, must-revalidate",
    ] {
        assert!(store_for(&auth, &[("cache-control", ok)]).is_ok(), "{ok}");
    }
    // no-cache responses are stored, but every use revalidates.
    let f = store(&[("cache-control", "no-cache"), ("etag", "\"v1\"")]).unwrap();
    assert_eq!(
        usability(&f, &RequestDirectives::default(), at(T0)),
        Usability::Revalidate
    );
    for status in [
        StatusCode::PARTIAL_CONTENT,
        StatusCode::NOT_MODIFIED,
        StatusCode::CONTINUE,
    ] {
        let r = storable(
            &CachePolicy::default(),
            &Exchange {
                method: &Method::GET,
                request: &HeaderMap::new(),
                request_directives: &RequestDirectives::default(),
                status,
                response: &headers(&[("cache-control", "max-age=60")]),
                request_time: at(T0),
                response_time: at(T0),
            },
        );
        assert_eq!(r, Err(NotStorable::Status));
    }
    let post = storable(
        &CachePolicy::default(),
        &Exchange {
            method: &Method::POST,
            request: &HeaderMap::new(),
            request_directives: &RequestDirectives::default(),
            status: StatusCode::OK,
            response: &headers(&[("cache-control", "max-age=60")]),
            request_time: at(T0),
            response_time: at(T0),
        },
    );
    assert_eq!(post, Err(NotStorable::Method));
}

#[test]
fn freshness_lifetime_from_expires_and_heuristics() {
    let f = store(&[("date", &date(T0)), ("expires", &date(T0 + 120))]).unwrap();
    assert_eq!(f.lifetime, 120);
    assert_eq!(
        store(&[("date", &date(T0)), ("expires", "0")])
            .unwrap()
            .lifetime,
        0
    );
    // max-age beats Expires.
    assert_eq!(
        store(&[("expires", &date(T0 + 120)), ("cache-control", "max-age=5")])
            .unwrap()
            .lifetime,
        5
    );
    // 10 % of the time since Last-Modified, capped at a day.
    let f = store(&[("date", &date(T0)), ("last-modified", &date(T0 - 1000))]).unwrap();
    assert_eq!(f.lifetime, 100);
    let f = store(&[
        ("date", &date(T0)),
        ("last-modified", &date(T0 - 100 * 86_400)),
    ])
    .unwrap();
    assert_eq!(f.lifetime, 86_400);
    // An edge TTL replaces the origin's lifetime but never makes private storable.
    let policy = CachePolicy {
        ttl_override: Some(Duration::from_secs(9)),
        ..CachePolicy::default()
    };
    let h = HeaderMap::new();
    let f = storable(
        &policy,
        &Exchange {
            method: &Method::GET,
            request: &h,
            request_directives: &RequestDirectives::default(),
            status: StatusCode::OK,
            response: &HeaderMap::new(),
            request_time: at(T0),
            response_time: at(T0),
        },
    );
    assert_eq!(f.unwrap().lifetime, 9);
    let private = headers(&[("cache-control", "private")]);
    let f = storable(
        &policy,
        &Exchange {
            method: &Method::GET,
            request: &h,
            request_directives: &RequestDirectives::default(),
            status: StatusCode::OK,
            response: &private,
            request_time: at(T0),
            response_time: at(T0),
        },
    );
    assert_eq!(f, Err(NotStorable::Private));
}

/// Found by `fuzz/fuzz_targets/gateway_cache_policy.rs` (CI, stop 27): `Age: 9223372036854775807` overflowed
/// `ttl`'s subtraction. `Age` is a delta-seconds: capped at 2^31, and ignored when it is not digits.
#[test]
fn an_age_past_two_to_the_31_counts_as_two_to_the_31_and_a_signed_one_is_ignored() {
    for huge in [
        "9223372036854775807",
        "18446744073709551616",
        "99999999999999999999999999",
    ] {
        let f = store(&[("cache-control", "max-age=60"), ("age", huge)]).unwrap();
        assert_eq!(f.initial_age, 1 << 31, "Age: {huge}");
        assert_eq!(f.ttl(at(T0)), 60 - (1 << 31));
        assert_eq!(
            f.ttl(at(u64::MAX / 1_000_000_000)),
            60 - (1 << 31) - (u64::MAX / 1_000_000_000 - T0) as i64
        );
        assert_eq!(
            usability(&f, &RequestDirectives::default(), at(T0)),
            Usability::Revalidate
        );
    }
    for not_digits in ["+5", "-5", "5s", "0x10", "", " "] {
        let f = store(&[("cache-control", "max-age=60"), ("age", not_digits)]).unwrap();
        assert_eq!(f.initial_age, 0, "Age: {not_digits:?}");
    }
    assert_eq!(
        store(&[("cache-control", "max-age=60"), ("age", " 7 ")])
            .unwrap()
            .initial_age,
        7
    );
}

/// A lifetime past 2^31 s counts as 2^31 s, so what the cache gives a store as an expiry stays within what Redis
/// takes (`MAX_EXPIRY`): an `Expires` in the year 9999 would otherwise make the shared store refuse the entry.
#[test]
fn a_lifetime_past_two_to_the_31_counts_as_two_to_the_31() {
    let f = store(&[
        ("date", &date(T0)),
        ("expires", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ("cache-control", "stale-while-revalidate=99999999999"),
    ])
    .unwrap();
    assert_eq!(f.lifetime, 1 << 31);
    // Whatever the stale retention configured, the expiry a store gets is at most MAX_EXPIRY.
    let kept = f.retention(at(T0), Duration::from_secs(u64::MAX));
    assert_eq!(crate::gateway::shared::expiry_ms(kept), "4294967296000");
    let f = store(&[
        ("date", &date(T0)),
        ("expires", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    .unwrap();
    assert_eq!(
        f.retention(at(T0), Duration::from_secs(60)),
        Duration::from_secs((1 << 31) + 60)
    );
}

/// `ttl` saturates instead of overflowing, whatever the lifetime and age.
#[test]
fn ttl_saturates_at_the_ends_of_i64() {
    let mut f = store(&[("cache-control", "max-age=60")]).unwrap();
    f.lifetime = u64::MAX;
    assert_eq!(f.ttl(at(T0)), i64::MAX);
    f.lifetime = 0;
    f.initial_age = u64::MAX;
    assert_eq!(f.ttl(at(T0)), -i64::MAX);
    assert!(f.retention(at(T0), Duration::from_secs(60)) >= Duration::from_secs(60));
}

#[test]
fn age_counts_the_origins_age_transit_and_residence() {
    let request = HeaderMap::new();
    let f = storable(
        &CachePolicy::default(),
        &Exchange {
            method: &Method::GET,
            request: &request,
            request_directives: &RequestDirectives::default(),
            status: StatusCode::OK,
            response: &headers(&[
                ("cache-control", "max-age=100"),
                ("age", "30"),
                ("date", &date(T0)),
            ]),
            request_time: at(T0),
            response_time: at(T0 + 2),
        },
    )
    .unwrap();
    // corrected_initial_age = max(apparent 2, 30 + delay 2) = 32
    assert_eq!(f.initial_age, 32);
    assert_eq!(f.current_age(at(T0 + 12)), 42);
    assert_eq!(f.ttl(at(T0 + 12)), 58);
    // An origin clock running behind: apparent age dominates.
    let f = storable(
        &CachePolicy::default(),
        &Exchange {
            method: &Method::GET,
            request: &request,
            request_directives: &RequestDirectives::default(),
            status: StatusCode::OK,
            response: &headers(&[("cache-control", "max-age=100"), ("date", &date(T0 - 50))]),
            request_time: at(T0),
            response_time: at(T0),
        },
    )
    .unwrap();
    assert_eq!(f.current_age(at(T0)), 50);
}

#[test]
fn request_directives_decide_whether_a_stored_response_answers() {
    let f = store(&[("cache-control", "max-age=60")]).unwrap();
    // (request Cache-Control, seconds after storing, answer)
    for (directives, after, expected) in [
        ("", 10, Usability::Fresh),
        ("", 60, Usability::Revalidate),
        ("no-cache", 1, Usability::Revalidate),
        // max-age=1 on an entry 10 s old: not acceptable.
        ("max-age=1", 10, Usability::Revalidate),
        ("max-age=20", 10, Usability::Fresh),
        ("min-fresh=55", 10, Usability::Revalidate),
        ("min-fresh=10", 10, Usability::Fresh),
        ("max-stale=30", 80, Usability::StaleAccepted),
        ("max-stale=10", 80, Usability::Revalidate),
        ("max-stale", 8000, Usability::StaleAccepted),
    ] {
        assert_eq!(
            usability(&f, &req(directives), at(T0 + after)),
            expected,
            "{directives:?} after {after} s"
        );
    }
    let strict = store(&[("cache-control", "max-age=60, must-revalidate")]).unwrap();
    assert_eq!(
        usability(&strict, &req("max-stale"), at(T0 + 61)),
        Usability::Revalidate
    );
}

#[test]
fn stale_while_revalidate_and_stale_if_error() {
    let f = store(&[(
        "cache-control",
        "max-age=10, stale-while-revalidate=30, stale-if-error=300",
    )])
    .unwrap();
    let none = RequestDirectives::default();
    assert_eq!(
        usability(&f, &none, at(T0 + 20)),
        Usability::StaleWhileRevalidate
    );
    assert_eq!(usability(&f, &none, at(T0 + 41)), Usability::Revalidate);
    assert!(usable_on_error(&f, &none, at(T0 + 200)));
    assert!(!usable_on_error(&f, &none, at(T0 + 311)));
    let plain = store(&[("cache-control", "max-age=10")]).unwrap();
    assert!(
        usable_on_error(&plain, &none, at(T0 + 5)),
        "fresh is always usable"
    );
    assert!(!usable_on_error(&plain, &none, at(T0 + 11)));
    assert!(usable_on_error(
        &plain,
        &req("stale-if-error=60"),
        at(T0 + 30)
    ));
    let strict = store(&[(
        "cache-control",
        "max-age=10, must-revalidate, stale-if-error=60",
    )])
    .unwrap();
    assert!(!usable_on_error(&strict, &none, at(T0 + 30)));
    // Kept long enough for every stale use.
    assert_eq!(
        f.retention(at(T0), Duration::ZERO),
        Duration::from_secs(310)
    );
    assert_eq!(
        plain.retention(at(T0), Duration::from_secs(3600)),
        Duration::from_secs(3610)
    );
}

#[test]
fn validators_and_conditional_requests() {
    let stored = headers(&[("etag", "W/\"v1\""), ("last-modified", &date(T0 - 100))]);
    let cond = conditional_headers(&stored);
    assert_eq!(cond.len(), 2);
    assert_eq!(cond[0].0, header::IF_NONE_MATCH);
    // Weak comparison for If-None-Match.
    assert!(client_not_modified(
        &headers(&[("if-none-match", "\"v0\", \"v1\"")]),
        &stored
    ));
    assert!(client_not_modified(
        &headers(&[("if-none-match", "*")]),
        &stored
    ));
    assert!(!client_not_modified(
        &headers(&[("if-none-match", "\"v2\"")]),
        &stored
    ));
    // If-Modified-Since only counts without If-None-Match.
    assert!(client_not_modified(
        &headers(&[("if-modified-since", &date(T0 - 50))]),
        &stored
    ));
    assert!(!client_not_modified(
        &headers(&[("if-modified-since", &date(T0 - 500))]),
        &stored
    ));
    assert!(!client_not_modified(
        &headers(&[
            ("if-none-match", "\"v2\""),
            ("if-modified-since", &date(T0))
        ]),
        &stored
    ));
    // A 304 refreshes the stored fields, but not the framing; a 304 for another entity-tag does not apply.
    let refreshed = refresh_headers(
        &headers(&[
            ("etag", "\"v1\""),
            ("cache-control", "max-age=1"),
            ("content-length", "10"),
        ]),
        &headers(&[
            ("etag", "\"v1\""),
            ("cache-control", "max-age=99"),
            ("content-length", "0"),
        ]),
    );
    assert_eq!(refreshed["cache-control"], "max-age=99");
    assert_eq!(refreshed["content-length"], "10");
    assert!(not_modified_applies(
        &headers(&[("etag", "\"v1\"")]),
        &headers(&[("etag", "W/\"v1\"")])
    ));
    assert!(!not_modified_applies(
        &headers(&[("etag", "\"v1\"")]),
        &headers(&[("etag", "\"v2\"")])
    ));
    let nm = not_modified_headers(&headers(&[
        ("etag", "\"v1\""),
        ("content-type", "text/plain"),
        ("vary", "accept"),
    ]));
    assert!(nm.contains_key("etag") && nm.contains_key("vary") && !nm.contains_key("content-type"));
}

#[test]
fn vary_selects_by_the_exact_request_values() {
    let vary = Vary::of(&headers(&[
        ("vary", "X-Variant, accept-language"),
        ("vary", "x-variant"),
    ]));
    let Vary::Fields(names) = &vary else {
        panic!("{vary:?}")
    };
    assert_eq!(
        names.iter().map(|n| n.as_str()).collect::<Vec<_>>(),
        ["accept-language", "x-variant"]
    );
    let a = vary.secondary_key(&headers(&[("x-variant", "a")]));
    let b = vary.secondary_key(&headers(&[("x-variant", "b")]));
    let empty = vary.secondary_key(&headers(&[("x-variant", "")]));
    let absent = vary.secondary_key(&HeaderMap::new());
    assert!(a != b && empty != absent && a != absent);
    assert_eq!(
        a,
        vary.secondary_key(&headers(&[("x-variant", "  a ")])),
        "whitespace around a value is not part of it"
    );
    assert_eq!(Vary::of(&HeaderMap::new()), Vary::None);
    assert_eq!(Vary::of(&headers(&[("vary", "bad header")])), Vary::Star);
}

#[test]
fn unsafe_requests_invalidate_their_target_and_same_origin_locations() {
    assert!(invalidates(&Method::POST, StatusCode::CREATED));
    assert!(invalidates(&Method::DELETE, StatusCode::SEE_OTHER));
    assert!(!invalidates(
        &Method::POST,
        StatusCode::INTERNAL_SERVER_ERROR
    ));
    assert!(!invalidates(&Method::GET, StatusCode::OK));
    let own = ["shop.example", "127.0.0.1:3001"];
    let response = headers(&[
        ("location", "http://SHOP.example/items/7?x=1"),
        ("content-location", "https://evil.example/x"),
    ]);
    assert_eq!(
        invalidation_targets("/items", &response, &own),
        ["/items", "/items/7?x=1"]
    );
    let relative = headers(&[("location", "7"), ("content-location", "/items/list")]);
    assert_eq!(
        invalidation_targets("/items/new?a", &relative, &own),
        ["/items/new?a", "/items/7", "/items/list"]
    );
    assert_eq!(
        invalidation_targets("/a", &headers(&[("location", "mailto:x@y")]), &own),
        ["/a"]
    );
}

#[test]
fn cache_status_members() {
    assert_eq!(
        CacheOutcome::Hit.cache_status("intent-edge", Some(12), false),
        "intent-edge; hit; ttl=12"
    );
    assert_eq!(
        CacheOutcome::Forwarded {
            cause: ForwardCause::UriMiss,
            stored: true
        }
        .cache_status("intent-edge", None, true),
        "intent-edge; fwd=uri-miss; stored; collapsed"
    );
    assert_eq!(
        CacheOutcome::Stale(StaleReason::IfError).cache_status("e", Some(-30), false),
        "e; hit; detail=stale-if-error; ttl=-30"
    );
    assert_eq!(CacheOutcome::Bypass("method").label(), "BYPASS");
    assert_eq!(CacheOutcome::Revalidated.label(), "REVALIDATED");
}
