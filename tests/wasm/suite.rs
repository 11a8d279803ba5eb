//! The wasm test suite, shared by `tests/wasm_node.rs` (Node) and `tests/wasm_browser.rs` (headless Chromium).
//! It drives the JavaScript-facing classes (`intent_edge::js`) with the behaviour corpus and BANKING77, exactly as
//! JS code would: configs and results are plain JS objects.
//!
//! The package's `ResponseCache`, `RateLimiter` and `Coalescer` are JavaScript classes over wasm cores
//! (`src/js/package/engines.js`); their corpus runs through the built package, in Node
//! (`tests/js/package.test.mjs`) and in Chromium (`tests/js/demo.test.mjs`).

use intent_edge::js::{CoalescerCore, IntentMatcher};
use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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
fn request_keys_are_canonical() {
    let a = CoalescerCore::request_key(parse(r#"{"method":"get","url":"https://H/p?b=2&a=1","headers":{"Accept":"json"},"vary":["accept"]}"#).unchecked_into()).unwrap();
    let b = CoalescerCore::request_key(parse(r#"{"method":"GET","url":"https://h/p?a=1&b=2","headers":{"accept":"json","x-trace":"9"},"vary":["Accept"]}"#).unchecked_into()).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with("GET https://h/p?a=1&b=2#"));
}
