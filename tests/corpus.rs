//! Runs the behaviour corpus (`tests/corpus/`) and BANKING77 against the native crate.
//! The same files are run against the wasm builds (`tests/wasm/suite.rs`), the Node package (`tests/js/`) and the
//! HTTP component (`tests/edge/`).
#![cfg(not(target_arch = "wasm32"))]

use intent_edge::cache::{CacheConfig, CacheError, EntryOptions, ResponseCache};
use intent_edge::intent::{AutomatonKind, IntentMatcher, IntentSetConfig};
use intent_edge::ratelimit::{ratelimit_header, retry_after_header, LimiterConfig, RateLimiter};
use intent_edge::Timestamp;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_files(kind: &str) -> Vec<(PathBuf, Value)> {
    let dir = repo().join("tests/corpus").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    files
        .into_iter()
        .map(|path| {
            let value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            (path, value)
        })
        .collect()
}

fn intent_set(file: &Value) -> IntentSetConfig {
    match (&file["set"], file["setFile"].as_str()) {
        (Value::Null, Some(path)) => {
            serde_json::from_str(&std::fs::read_to_string(repo().join(path)).unwrap()).unwrap()
        }
        (set, _) => serde_json::from_value(set.clone()).unwrap(),
    }
}

fn case_text(case: &Value) -> String {
    let text = case["text"].as_str().unwrap();
    text.repeat(case["repeat"].as_u64().unwrap_or(1) as usize)
}

/// The set compiled both ways: lazily determinized, and determinized ahead of time then saved and loaded back
/// through the precompiled format (what the edge component and the JS package load).
fn both_forms(config: IntentSetConfig) -> Vec<(&'static str, IntentMatcher)> {
    let lazy = IntentMatcher::new(config.clone()).unwrap();
    let bytes = IntentMatcher::new_dense(config)
        .unwrap()
        .precompile()
        .unwrap();
    let loaded = IntentMatcher::from_precompiled(&bytes).unwrap();
    // What the edge component does with a set compiled into it: static bytes read in place (leaked here).
    let embedded: &'static [u8] = bytes.clone().leak();
    let embedded = intent_edge::intent::precompiled::decode_embedded(embedded).unwrap();
    assert_eq!(lazy.stats().automaton, AutomatonKind::Lazy);
    // Dense when the whole set determinizes within options.dfaSizeLimit, otherwise saved lazy: both must answer.
    assert_eq!(
        loaded.stats().automaton,
        embedded.stats().automaton,
        "the in-place reader sees the same automaton"
    );
    // The form a set too large for one dense DFA gets, forced here on every corpus set.
    let anchored_bytes = IntentMatcher::new_anchored(lazy.to_config())
        .unwrap()
        .precompile()
        .unwrap();
    let anchored = IntentMatcher::from_precompiled(&anchored_bytes).unwrap();
    assert_eq!(anchored.stats().automaton, AutomatonKind::Anchored);
    let anchored_embedded =
        intent_edge::intent::precompiled::decode_embedded(anchored_bytes.leak()).unwrap();
    vec![
        ("lazy", lazy),
        ("precompiled", loaded),
        ("embedded", embedded),
        ("anchored", anchored),
        ("anchored embedded", anchored_embedded),
    ]
}

#[test]
fn intent_corpus() {
    let mut checked = 0;
    let mut dense_files = 0;
    for (path, file) in corpus_files("intents") {
        for (form, matcher) in both_forms(intent_set(&file)) {
            if form == "embedded" && matcher.stats().automaton == AutomatonKind::Dense {
                dense_files += 1;
            }
            for case in file["cases"].as_array().unwrap() {
                let text = case_text(case);
                let ctx = format!("{} ({form}): {:?}", path.display(), case["text"]);
                if let Some(kind) = case["error"].as_str() {
                    assert_eq!(kind, "MatchError", "{ctx}");
                    assert!(matcher.find(&text).is_err(), "{ctx}");
                    checked += 1;
                    continue;
                }
                let best = matcher.find(&text).unwrap();
                assert_eq!(
                    best.as_ref().map(|m| m.intent.as_str()),
                    case["best"].as_str(),
                    "{ctx}"
                );
                if let Some(all) = case["all"].as_array() {
                    let got: Vec<String> = matcher
                        .find_all(&text)
                        .unwrap()
                        .into_iter()
                        .map(|m| m.intent)
                        .collect();
                    let want: Vec<&str> = all.iter().map(|v| v.as_str().unwrap()).collect();
                    assert_eq!(got, want, "{ctx}");
                }
                if let Some(slots) = case["slots"].as_object() {
                    let best = best.as_ref().unwrap();
                    let got: serde_json::Map<String, Value> = best
                        .slots
                        .iter()
                        .map(|s| (s.name.clone(), json!(s.value)))
                        .collect();
                    assert_eq!(&got, slots, "{ctx}");
                    for slot in &best.slots {
                        assert_eq!(&text[slot.span.start..slot.span.end], slot.value, "{ctx}");
                    }
                }
                if let Some(span) = case["span"].as_str() {
                    let s = best.as_ref().unwrap().span;
                    assert_eq!(&text[s.start..s.end], span, "{ctx}");
                    let utf16: Vec<u16> = text.encode_utf16().collect();
                    assert_eq!(
                        String::from_utf16(&utf16[s.start_utf16..s.end_utf16]).unwrap(),
                        span,
                        "{ctx}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "only {checked} intent cases ran");
    assert!(
        dense_files >= 1,
        "no corpus set exercised the dense, in-place path"
    );
}

/// `../shared/data/banking77`, converted to an intent set: one intent per pattern, in file order.
pub fn banking77() -> (IntentSetConfig, Vec<Value>) {
    let dir = repo().join("../shared/data/banking77");
    let set: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("intents-keywords.json")).unwrap())
            .unwrap();
    let intents: Vec<Value> = set["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!({"id": p["intent"], "patterns": [p["pattern"]]}))
        .collect();
    let config =
        serde_json::from_value(json!({"options": {"caseInsensitive": true}, "intents": intents}))
            .unwrap();
    let queries = std::fs::read_to_string(dir.join("queries.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (config, queries)
}

#[test]
fn banking77_every_query_gives_exactly_the_expected_ids() {
    let (config, queries) = banking77();
    assert_eq!(queries.len(), 3080);
    for (form, matcher) in both_forms(config) {
        for q in &queries {
            let text = q["text"].as_str().unwrap();
            let want: Vec<usize> = q["expected_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as usize)
                .collect();
            assert_eq!(
                matcher.matching_intent_indexes(text).unwrap(),
                want,
                "{form}: {text:?}"
            );
            assert_eq!(
                matcher.best_intent_index(text).unwrap(),
                q["expected_first"].as_u64().map(|v| v as usize),
                "{form}: {text:?}"
            );
            let all: Vec<usize> = matcher
                .find_all(text)
                .unwrap()
                .iter()
                .map(|m| m.intent_index)
                .collect();
            assert_eq!(all, want, "{form}: {text:?}");
        }
        // The batch calls, which search several texts at once, answer the same in the same order.
        let texts: Vec<&str> = queries
            .iter()
            .map(|q| q["text"].as_str().unwrap())
            .collect();
        let best = matcher.best_intent_indexes(&texts).unwrap();
        let all = matcher.matching_intent_indexes_batch(&texts).unwrap();
        for (i, q) in queries.iter().enumerate() {
            let want: Vec<usize> = serde_json::from_value(q["expected_ids"].clone()).unwrap();
            assert_eq!(all[i], want, "{form} batch: {:?}", texts[i]);
            assert_eq!(
                best[i],
                q["expected_first"].as_u64().map(|v| v as usize),
                "{form} batch: {:?}",
                texts[i]
            );
        }
    }
}

/// The generated sets in bench/sets/ (expected ids computed and cross-checked with Python `re` and JavaScript):
/// every query yields exactly its expected pattern ids, compiled lazily and precompiled in the anchored form (what
/// `new_dense` gives them: their dense DFAs exceed the default dfaSizeLimit), loaded back from its bytes.
#[test]
fn generated_sets_every_query_gives_exactly_the_expected_pattern_ids() {
    for name in ["support-150", "bots-1500", "assistant-64", "crawlers-1500"] {
        let dir = repo().join("bench/sets");
        let config: IntentSetConfig = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let lazy = IntentMatcher::new(config.clone()).unwrap();
        let precompiled = IntentMatcher::new_anchored(config)
            .unwrap()
            .precompile()
            .unwrap();
        let precompiled = IntentMatcher::from_precompiled(&precompiled).unwrap();
        assert_eq!(
            precompiled.stats().automaton,
            AutomatonKind::Anchored,
            "{name}"
        );
        let queries = std::fs::read_to_string(dir.join(format!("{name}.queries.jsonl"))).unwrap();
        let mut checked = 0;
        for line in queries.lines() {
            let q: Value = serde_json::from_str(line).unwrap();
            let text = q["text"].as_str().unwrap();
            let want: Vec<usize> = serde_json::from_value(q["expected_ids"].clone()).unwrap();
            for (form, matcher) in [("lazy", &lazy), ("anchored", &precompiled)] {
                assert_eq!(
                    matcher.matching_pattern_indexes(text).unwrap(),
                    want,
                    "{name} ({form}): {text:?}"
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 3000, "{name}");
        // The batch call (several texts searched at once) gives each text the intents of its expected ids.
        let queries: Vec<Value> = queries
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let texts: Vec<&str> = queries
            .iter()
            .map(|q| q["text"].as_str().unwrap())
            .collect();
        let intent_of: Vec<usize> = precompiled
            .to_config()
            .intents
            .iter()
            .enumerate()
            .flat_map(|(i, intent)| intent.patterns.iter().map(move |_| i))
            .collect();
        for (form, matcher) in [("lazy", &lazy), ("anchored", &precompiled)] {
            let all = matcher.matching_intent_indexes_batch(&texts).unwrap();
            for (i, q) in queries.iter().enumerate() {
                let mut want: Vec<usize> =
                    serde_json::from_value::<Vec<usize>>(q["expected_ids"].clone())
                        .unwrap()
                        .into_iter()
                        .map(|p| intent_of[p])
                        .collect();
                want.dedup();
                assert_eq!(all[i], want, "{name} ({form}) batch: {:?}", texts[i]);
            }
        }
    }
}

fn at(step: &Value) -> Timestamp {
    Timestamp::from_millis(step["at"].as_u64().unwrap_or(0))
}

fn assert_subset(got: &Value, want: &Value, ctx: &str) {
    for (field, expected) in want.as_object().unwrap() {
        let actual = &got[field];
        match (actual.as_f64(), expected.as_f64()) {
            (Some(a), Some(e)) => assert!(
                (a - e).abs() < 1e-9,
                "{ctx}: {field} = {actual}, expected {expected}"
            ),
            _ => assert_eq!(actual, expected, "{ctx}: {field}"),
        }
    }
}

#[test]
fn cache_corpus() {
    let mut checked = 0;
    for (path, file) in corpus_files("cache") {
        let config: CacheConfig = serde_json::from_value(file["config"].clone()).unwrap();
        let mut cache: ResponseCache<Value> = ResponseCache::new(config).unwrap();
        for (i, step) in file["steps"].as_array().unwrap().iter().enumerate() {
            let ctx = format!("{} step {i}", path.display());
            let now = at(step);
            let key = step["key"].as_str().unwrap_or_default();
            let expect = &step["expect"];
            match step["op"].as_str().unwrap() {
                "set" => {
                    let options = EntryOptions {
                        ttl: step["ttlMs"].as_u64().map(Duration::from_millis),
                        tags: serde_json::from_value(step["tags"].clone()).unwrap_or_default(),
                    };
                    let size = step["size"].as_u64().unwrap_or(0) as usize;
                    match cache.insert(key, step["value"].clone(), size, now, options) {
                        Ok(evicted) => assert_eq!(json!({"evicted": evicted}), *expect, "{ctx}"),
                        Err(CacheError::EntryTooLarge { .. }) => {
                            assert_eq!(expect["error"], "EntryTooLarge", "{ctx}")
                        }
                        Err(e) => panic!("{ctx}: {e}"),
                    }
                }
                "get" => assert_eq!(
                    cache.get(key, now).cloned().unwrap_or(Value::Null),
                    *expect,
                    "{ctx}"
                ),
                "getRun" => {
                    let keys: Vec<&str> = step["keys"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|k| k.as_str().unwrap())
                        .collect();
                    let times = step["times"].as_u64().unwrap() as usize;
                    let hits = (0..times)
                        .filter(|i| cache.get(keys[i % keys.len()], now).is_some())
                        .count();
                    assert_eq!(json!(hits), *expect, "{ctx}");
                }
                "peek" => assert_eq!(
                    cache.peek(key, now).cloned().unwrap_or(Value::Null),
                    *expect,
                    "{ctx}"
                ),
                "delete" => assert_eq!(json!(cache.remove(key).is_some()), *expect, "{ctx}"),
                "has" => assert_eq!(json!(cache.contains(key, now)), *expect, "{ctx}"),
                "age" => assert_eq!(
                    cache.age(key, now).map(|d| d.as_secs_f64() * 1000.0),
                    expect.as_f64(),
                    "{ctx}"
                ),
                "invalidateGlob" => assert_eq!(
                    json!(cache
                        .invalidate_glob(step["glob"].as_str().unwrap())
                        .unwrap()),
                    *expect,
                    "{ctx}"
                ),
                "invalidatePrefix" => {
                    assert_eq!(
                        json!(cache.invalidate_prefix(step["prefix"].as_str().unwrap())),
                        *expect,
                        "{ctx}"
                    )
                }
                "invalidateTag" => assert_eq!(
                    json!(cache.invalidate_tag(step["tag"].as_str().unwrap())),
                    *expect,
                    "{ctx}"
                ),
                "purgeExpired" => assert_eq!(json!(cache.purge_expired(now)), *expect, "{ctx}"),
                "keys" => assert_eq!(json!(cache.keys().collect::<Vec<_>>()), *expect, "{ctx}"),
                "stats" => {
                    assert_subset(&serde_json::to_value(cache.stats()).unwrap(), expect, &ctx)
                }
                op => panic!("{ctx}: unknown op {op}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} cache steps ran");
}

#[test]
fn ratelimit_corpus() {
    let mut checked = 0;
    for (path, file) in corpus_files("ratelimit") {
        let config: LimiterConfig = serde_json::from_value(file["config"].clone()).unwrap();
        let mut limiter = RateLimiter::new(config).unwrap();
        for (i, step) in file["steps"].as_array().unwrap().iter().enumerate() {
            let ctx = format!("{} step {i}", path.display());
            let cost = step["cost"].as_u64().unwrap_or(1) as u32;
            let decision = limiter.check_n(step["key"].as_str().unwrap(), cost, at(step));
            let got = json!({
                "allowed": decision.allowed,
                "reason": decision.reason,
                "remaining": decision.remaining,
                "resetMs": decision.reset.as_secs_f64() * 1000.0,
                "retryAfterMs": decision.retry_after.as_secs_f64() * 1000.0,
                "rateLimit": ratelimit_header(&decision),
                "retryAfter": retry_after_header(&decision),
            });
            assert_subset(&got, &step["expect"], &ctx);
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} limiter steps ran");
}
