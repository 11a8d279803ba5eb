//! The wasm test suite, shared by `tests/wasm_node.rs` (Node) and `tests/wasm_browser.rs` (headless Chromium).
//! It drives the JavaScript-facing classes (`intent_edge::js`) with the behaviour corpus and BANKING77, exactly as
//! JS code would: configs and results are plain JS objects.

use intent_edge::js::{Coalescer, IntentMatcher, RateLimiter, ResponseCache};
use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// A Rust string as the JS string the binding methods take (written into wasm by `TextEncoder.encodeInto`).
fn js_string(text: &str) -> js_sys::JsString {
    js_sys::JsString::from(text)
}

const ASSISTANT_SET: &str = include_str!("../../config/intents.json");
const INTENT_FILES: [&str; 2] = [
    include_str!("../corpus/intents/assistant.json"),
    include_str!("../corpus/intents/priorities-and-unicode.json"),
];
const CACHE_FILES: [&str; 2] = [
    include_str!("../corpus/cache/lru-and-bytes.json"),
    include_str!("../corpus/cache/ttl-and-invalidation.json"),
];
const LIMITER_FILES: [&str; 2] = [
    include_str!("../corpus/ratelimit/gcra-burst.json"),
    include_str!("../corpus/ratelimit/multi-quota-and-key-table.json"),
];
const BANKING77_SET: &str = include_str!("../../../shared/data/banking77/intents-keywords.json");
const BANKING77_QUERIES: &str = include_str!("../../../shared/data/banking77/queries.jsonl");

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("corpus files are valid JSON")
}

fn get(value: &JsValue, field: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(field)).unwrap()
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value)
        .unwrap()
        .as_string()
        .unwrap_or_else(|| "undefined".into())
}

fn array(value: &JsValue) -> Vec<JsValue> {
    js_sys::Array::from(value).iter().collect()
}

/// `null` and `undefined` compare equal (a missing expectation or a miss).
fn same(a: &JsValue, b: &JsValue) -> bool {
    if a.is_undefined() || a.is_null() {
        return b.is_undefined() || b.is_null();
    }
    if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
        return (x - y).abs() < 1e-9;
    }
    json(a) == json(b)
}

fn assert_subset(got: &JsValue, want: &JsValue, ctx: &str) {
    for field in js_sys::Object::keys(want.unchecked_ref::<js_sys::Object>()).iter() {
        let field = field.as_string().unwrap();
        let (g, w) = (get(got, &field), get(want, &field));
        assert!(
            same(&g, &w),
            "{ctx}: {field} = {}, expected {}",
            json(&g),
            json(&w)
        );
    }
}

fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start..end]).unwrap()
}

#[wasm_bindgen_test]
fn intent_corpus() {
    let mut checked = 0;
    for file in INTENT_FILES {
        let file = parse(file);
        let set = if get(&file, "set").is_undefined() {
            parse(ASSISTANT_SET)
        } else {
            get(&file, "set")
        };
        let matcher = IntentMatcher::new(set.unchecked_into()).unwrap();
        for case in array(&get(&file, "cases")) {
            let repeat = get(&case, "repeat").as_f64().unwrap_or(1.0) as usize;
            let text = get(&case, "text").as_string().unwrap().repeat(repeat);
            let ctx = format!("{:?}", get(&case, "text").as_string());
            if !get(&case, "error").is_undefined() {
                let err = matcher
                    .match_text(&js_string(&text))
                    .err()
                    .expect("an error");
                assert_eq!(
                    get(&err, "name").as_string().unwrap(),
                    "MatchError",
                    "{ctx}"
                );
                checked += 1;
                continue;
            }
            let best: JsValue = matcher.match_text(&js_string(&text)).unwrap().into();
            let best_id = if best.is_null() {
                JsValue::NULL
            } else {
                get(&best, "intent")
            };
            assert!(
                same(&best_id, &get(&case, "best")),
                "{ctx}: best {}",
                json(&best_id)
            );
            let all = get(&case, "all");
            if !all.is_undefined() {
                let got: Vec<JsValue> =
                    array(&matcher.match_all(&js_string(&text)).unwrap().into())
                        .iter()
                        .map(|m| get(m, "intent"))
                        .collect();
                let got = js_sys::Array::from_iter(got);
                assert_eq!(json(&got), json(&all), "{ctx}");
            }
            let slots = get(&case, "slots");
            if !slots.is_undefined() {
                let got = js_sys::Object::new();
                for slot in array(&get(&best, "slots")) {
                    Reflect::set(&got, &get(&slot, "name"), &get(&slot, "value")).unwrap();
                    let span = get(&slot, "span");
                    let (s, e) = (
                        get(&span, "startUtf16").as_f64().unwrap(),
                        get(&span, "endUtf16").as_f64().unwrap(),
                    );
                    assert_eq!(
                        utf16_slice(&text, s as usize, e as usize),
                        get(&slot, "value").as_string().unwrap()
                    );
                }
                assert_subset(&got, &slots, &ctx);
                assert_subset(&slots, &got, &ctx);
            }
            if let Some(expected) = get(&case, "span").as_string() {
                let span = get(&best, "span");
                let (s, e) = (
                    get(&span, "startUtf16").as_f64().unwrap(),
                    get(&span, "endUtf16").as_f64().unwrap(),
                );
                assert_eq!(
                    utf16_slice(&text, s as usize, e as usize),
                    expected,
                    "{ctx}"
                );
                let (s, e) = (
                    get(&span, "start").as_f64().unwrap(),
                    get(&span, "end").as_f64().unwrap(),
                );
                assert_eq!(&text[s as usize..e as usize], expected, "{ctx}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20);
}

#[wasm_bindgen_test]
fn banking77_every_query_gives_exactly_the_expected_ids() {
    let source = parse(BANKING77_SET);
    let intents = js_sys::Array::new();
    for p in array(&get(&source, "patterns")) {
        let intent = js_sys::Object::new();
        Reflect::set(&intent, &"id".into(), &get(&p, "intent")).unwrap();
        Reflect::set(
            &intent,
            &"patterns".into(),
            &js_sys::Array::of1(&get(&p, "pattern")),
        )
        .unwrap();
        intents.push(&intent);
    }
    let set = js_sys::Object::new();
    Reflect::set(&set, &"intents".into(), &intents).unwrap();
    let matcher = IntentMatcher::new(set.unchecked_into()).unwrap();
    let queries: Vec<JsValue> = BANKING77_QUERIES.lines().map(parse).collect();
    assert_eq!(queries.len(), 3080);
    let texts: Vec<String> = queries
        .iter()
        .map(|q| get(q, "text").as_string().unwrap())
        .collect();
    let batch: js_sys::Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    let best = matcher
        .match_batch(batch.unchecked_into())
        .unwrap()
        .to_vec();
    for ((q, text), best) in queries.iter().zip(&texts).zip(best) {
        let expected_ids = get(q, "expected_ids");
        let got = js_sys::Array::from(&matcher.matching_indexes(&js_string(text)).unwrap().into());
        assert_eq!(json(&got), json(&expected_ids), "{text:?}");
        let first = get(q, "expected_first").as_f64().map_or(-1, |v| v as i32);
        assert_eq!(best, first, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn invalid_intent_sets_throw_errors_naming_the_field() {
    let err = IntentMatcher::new(
        JsValue::from_str(r#"{"intents":[{"id":"a","patterns":["(x"]}]}"#).unchecked_into(),
    )
    .err()
    .unwrap();
    assert_eq!(get(&err, "name").as_string().unwrap(), "IntentSetError");
    assert_eq!(
        get(&err, "pointer").as_string().unwrap(),
        "/intents/0/patterns/0"
    );
    let err =
        IntentMatcher::new(parse(r#"{"intents":[{"id":"a","patterns":[1]}]}"#).unchecked_into())
            .err()
            .unwrap();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&err, "pointer").as_string().unwrap(),
        "/intents/0/patterns/0"
    );
    let err = IntentMatcher::new(
        parse(r#"{"intents":[{"id":"a","patterns":["x"],"prio":1}]}"#).unchecked_into(),
    )
    .err()
    .unwrap();
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("unknown field `prio`"));
}

#[wasm_bindgen_test]
fn cache_corpus() {
    let mut checked = 0;
    for file in CACHE_FILES {
        let file = parse(file);
        let mut cache = ResponseCache::new(get(&file, "config").unchecked_into()).unwrap();
        for (i, step) in array(&get(&file, "steps")).iter().enumerate() {
            let ctx = format!("step {i}: {}", json(step));
            let now = get(step, "at").as_f64();
            let key = get(step, "key").as_string().unwrap_or_default();
            let expect = get(step, "expect");
            let got: JsValue = match get(step, "op").as_string().unwrap().as_str() {
                "set" => {
                    let options = js_sys::Object::new();
                    for field in ["size", "ttlMs", "tags"] {
                        let v = get(step, field);
                        if !v.is_undefined() {
                            Reflect::set(&options, &field.into(), &v).unwrap();
                        }
                    }
                    match cache.set(&key, get(step, "value"), options.unchecked_into(), now) {
                        Ok(evicted) => parse(&format!("{{\"evicted\":{evicted}}}")),
                        Err(e) => {
                            let name = get(&e, "name").as_string().unwrap();
                            parse(&format!(
                                "{{\"error\":{:?}}}",
                                name.trim_end_matches("Error")
                            ))
                        }
                    }
                }
                "get" => cache.get(&key, now),
                "peek" => cache.peek(&key, now),
                "delete" => cache.delete(&key).into(),
                "invalidateGlob" => cache
                    .invalidate_glob(&get(step, "glob").as_string().unwrap())
                    .unwrap()
                    .into(),
                "invalidatePrefix" => cache
                    .invalidate_prefix(&get(step, "prefix").as_string().unwrap())
                    .into(),
                "invalidateTag" => cache
                    .invalidate_tag(&get(step, "tag").as_string().unwrap())
                    .into(),
                "purgeExpired" => cache.purge_expired(now).into(),
                "keys" => cache.keys().unwrap().into(),
                "stats" => {
                    assert_subset(&cache.stats().unwrap().into(), &expect, &ctx);
                    checked += 1;
                    continue;
                }
                op => panic!("unknown op {op}"),
            };
            assert!(same(&got, &expect), "{ctx}: got {}", json(&got));
            checked += 1;
        }
    }
    assert!(checked >= 20);
}

#[wasm_bindgen_test]
fn cache_keeps_js_values_as_they_are() {
    let mut cache =
        ResponseCache::new(parse(r#"{"maxEntries":2,"maxBytes":1000}"#).unchecked_into()).unwrap();
    let object = parse(r#"{"status":200,"body":"hello"}"#);
    cache
        .set(
            "k",
            object.clone(),
            JsValue::UNDEFINED.unchecked_into(),
            None,
        )
        .unwrap();
    assert!(
        Object::is(&cache.get("k", None), &object),
        "the same object comes back, not a copy"
    );
    assert_eq!(
        cache.bytes(),
        1.0 + 29.0,
        "sized by JSON.stringify when no size is given"
    );
    let err = cache
        .set(
            "k",
            JsValue::from_str(&"x".repeat(1000)),
            JsValue::UNDEFINED.unchecked_into(),
            None,
        )
        .err()
        .unwrap();
    assert_eq!(get(&err, "name").as_string().unwrap(), "EntryTooLargeError");
}

#[wasm_bindgen_test]
fn ratelimit_corpus() {
    let mut checked = 0;
    for file in LIMITER_FILES {
        let file = parse(file);
        let mut limiter = RateLimiter::new(get(&file, "config").unchecked_into()).unwrap();
        for (i, step) in array(&get(&file, "steps")).iter().enumerate() {
            let ctx = format!("step {i}: {}", json(step));
            let options = Object::new();
            Reflect::set(&options, &"now".into(), &get(step, "at")).unwrap();
            let cost = get(step, "cost");
            if !cost.is_undefined() {
                Reflect::set(&options, &"cost".into(), &cost).unwrap();
            }
            let key = get(step, "key").as_string().unwrap();
            let decision: JsValue = limiter
                .check(&key, options.unchecked_into())
                .unwrap()
                .into();
            let headers = get(&decision, "headers");
            let got = Object::new();
            for (from, to) in [
                ("allowed", "allowed"),
                ("reason", "reason"),
                ("remaining", "remaining"),
                ("reset", "resetMs"),
                ("retryAfter", "retryAfterMs"),
            ] {
                Reflect::set(&got, &to.into(), &get(&decision, from)).unwrap();
            }
            Reflect::set(&got, &"rateLimit".into(), &get(&headers, "RateLimit")).unwrap();
            Reflect::set(&got, &"retryAfter".into(), &get(&headers, "Retry-After")).unwrap();
            let expect = get(step, "expect");
            // costExceedsBurst reports an effectively infinite retry-after; the corpus never pins it.
            assert_subset(&got, &expect, &ctx);
            checked += 1;
        }
    }
    assert!(checked >= 15);
}

#[wasm_bindgen_test]
fn limiter_config_errors_name_the_field() {
    let err = RateLimiter::new(
        parse(r#"{"quotas":[{"name":"a","limit":0,"windowMs":1000}]}"#).unchecked_into(),
    )
    .err()
    .unwrap();
    assert_eq!(get(&err, "name").as_string().unwrap(), "LimiterConfigError");
    assert!(get(&err, "message")
        .as_string()
        .unwrap()
        .contains("quotas[0].limit"));
}

fn counting_task(
    calls: &std::rc::Rc<std::cell::Cell<u32>>,
    outcome: Result<&str, &str>,
) -> JsValue {
    let calls = calls.clone();
    let outcome = outcome.map(str::to_owned).map_err(str::to_owned);
    Closure::<dyn FnMut() -> Promise>::new(move || {
        calls.set(calls.get() + 1);
        match &outcome {
            Ok(v) => Promise::resolve(&JsValue::from_str(v)),
            Err(e) => Promise::reject(&js_sys::Error::new(e)),
        }
    })
    .into_js_value()
}

#[wasm_bindgen_test]
async fn coalescer_shares_one_call_and_its_failure() {
    let coalescer = Coalescer::new(JsValue::UNDEFINED.unchecked_into()).unwrap();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let task = counting_task(&calls, Ok("result"));
    let promises: Vec<Promise> = (0..5)
        .map(|_| coalescer.run("GET /x", task.clone().unchecked_into()))
        .collect();
    assert_eq!(coalescer.in_flight(), 1);
    for p in promises {
        assert_eq!(
            JsFuture::from(p).await.unwrap().as_string().unwrap(),
            "result"
        );
    }
    assert_eq!(calls.get(), 1, "five concurrent callers, one call");
    assert_eq!(coalescer.in_flight(), 0);

    let failing = counting_task(&calls, Err("upstream down"));
    let a = coalescer.run("GET /y", failing.clone().unchecked_into());
    let b = coalescer.run("GET /y", failing.unchecked_into());
    for p in [a, b] {
        let err = JsFuture::from(p).await.unwrap_err();
        assert_eq!(get(&err, "message").as_string().unwrap(), "upstream down");
    }
    assert_eq!(calls.get(), 2, "both waiters got the one failure");
    let retry = coalescer.run(
        "GET /y",
        counting_task(&calls, Ok("fresh")).unchecked_into(),
    );
    assert_eq!(
        JsFuture::from(retry).await.unwrap().as_string().unwrap(),
        "fresh"
    );
    assert_eq!(
        calls.get(),
        3,
        "after a failure the next call starts afresh"
    );
    let stats: JsValue = coalescer.stats().unwrap().into();
    assert_subset(
        &stats,
        &parse(r#"{"led":3,"joined":5,"failed":1,"inFlight":0}"#),
        "stats",
    );
}

#[wasm_bindgen_test]
async fn coalescer_window_replays_and_sync_throw_rejects() {
    let coalescer = Coalescer::new(parse(r#"{"windowMs":60000}"#).unchecked_into()).unwrap();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let first = coalescer.run("k", counting_task(&calls, Ok("v")).unchecked_into());
    assert_eq!(
        JsFuture::from(first).await.unwrap().as_string().unwrap(),
        "v"
    );
    let again = coalescer.run("k", counting_task(&calls, Ok("other")).unchecked_into());
    assert_eq!(
        JsFuture::from(again).await.unwrap().as_string().unwrap(),
        "v",
        "replayed within the window"
    );
    assert_eq!(calls.get(), 1);
    let thrower = Function::new_no_args("throw new Error('sync boom')");
    let err = JsFuture::from(coalescer.run("t", thrower.unchecked_into()))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "message").as_string().unwrap(), "sync boom");
    assert_eq!(coalescer.in_flight(), 0);
    let not_a_function = JsFuture::from(coalescer.run("t", JsValue::from(3).unchecked_into()))
        .await
        .unwrap_err();
    assert_eq!(
        get(&not_a_function, "name").as_string().unwrap(),
        "TypeError"
    );
}

#[wasm_bindgen_test]
fn request_keys_are_canonical() {
    let a = Coalescer::request_key(parse(r#"{"method":"get","url":"https://H/p?b=2&a=1","headers":{"Accept":"json"},"vary":["accept"]}"#).unchecked_into()).unwrap();
    let b = Coalescer::request_key(parse(r#"{"method":"GET","url":"https://h/p?a=1&b=2","headers":{"accept":"json","x-trace":"9"},"vary":["Accept"]}"#).unchecked_into()).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with("GET https://h/p?a=1&b=2#"));
}
