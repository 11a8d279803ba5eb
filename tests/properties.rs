//! Property tests: the engines against simple reference models, over random operation sequences.
#![cfg(not(target_arch = "wasm32"))]

use intent_edge::cache::{CacheConfig, EntryOptions, EntryTable, ResponseCache, SlotId};
use intent_edge::coalesce::RequestKey;
use intent_edge::ratelimit::{LimiterConfig, QuotaConfig, RateLimiter};
use intent_edge::Timestamp;
use proptest::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone)]
enum Op {
    Insert { key: u8, size: u8, ttl: Option<u8> },
    Get(u8),
    Peek(u8),
    Remove(u8),
    Advance(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..8, 0u8..40, proptest::option::of(1u8..30)).prop_map(|(key, size, ttl)| Op::Insert { key, size, ttl }),
        3 => (0u8..8).prop_map(Op::Get),
        1 => (0u8..8).prop_map(Op::Peek),
        1 => (0u8..8).prop_map(Op::Remove),
        2 => (0u8..20).prop_map(Op::Advance),
    ]
}

/// The obvious LRU: a vector, most recent last, scanned linearly.
#[derive(Default)]
struct ModelCache {
    entries: Vec<(String, u32, usize, Option<u64>)>, // key, value, charged bytes, expires at (ms)
}

impl ModelCache {
    fn bytes(&self) -> usize {
        self.entries.iter().map(|e| e.2).sum()
    }
    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == key)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn cache_behaves_like_a_simple_lru_model(ops in proptest::collection::vec(op(), 1..120), max_entries in 1usize..6, max_bytes in 10usize..120) {
        let mut cache: ResponseCache<u32> = ResponseCache::new(CacheConfig::new(max_entries, max_bytes)).unwrap();
        let mut model = ModelCache::default();
        let mut now_ms = 0u64;
        for (i, op) in ops.into_iter().enumerate() {
            let now = Timestamp::from_millis(now_ms);
            match op {
                Op::Insert { key, size, ttl } => {
                    let key = format!("k{key}");
                    let bytes = key.len() + size as usize;
                    let result = cache.insert(&key, i as u32, size as usize, now, EntryOptions { ttl: ttl.map(|t| Duration::from_millis(t as u64)), tags: vec![] });
                    if bytes > max_bytes {
                        prop_assert!(result.is_err());
                        continue;
                    }
                    prop_assert!(result.is_ok());
                    if let Some(p) = model.position(&key) { model.entries.remove(p); }
                    // Expired entries go first, then least recently used, until the new entry fits.
                    if model.entries.len() + 1 > max_entries || model.bytes() + bytes > max_bytes {
                        model.entries.retain(|e| e.3.is_none_or(|at| now_ms < at));
                    }
                    while model.entries.len() + 1 > max_entries || model.bytes() + bytes > max_bytes {
                        model.entries.remove(0);
                    }
                    model.entries.push((key, i as u32, bytes, ttl.map(|t| now_ms + t as u64)));
                }
                Op::Get(key) => {
                    let key = format!("k{key}");
                    let expected = match model.position(&key) {
                        Some(p) if model.entries[p].3.is_some_and(|at| now_ms >= at) => { model.entries.remove(p); None }
                        Some(p) => { let e = model.entries.remove(p); let v = e.1; model.entries.push(e); Some(v) }
                        None => None,
                    };
                    prop_assert_eq!(cache.get(&key, now).copied(), expected);
                }
                Op::Peek(key) => {
                    let key = format!("k{key}");
                    let expected = model.position(&key).map(|p| &model.entries[p]).filter(|e| e.3.is_none_or(|at| now_ms < at)).map(|e| e.1);
                    prop_assert_eq!(cache.peek(&key, now).copied(), expected);
                }
                Op::Remove(key) => {
                    let key = format!("k{key}");
                    let expected = model.position(&key).map(|p| model.entries.remove(p).1);
                    prop_assert_eq!(cache.remove(&key), expected);
                }
                Op::Advance(ms) => now_ms += ms as u64,
            }
            prop_assert!(cache.len() <= max_entries);
            prop_assert!(cache.bytes() <= max_bytes);
            prop_assert_eq!(cache.len(), model.entries.len());
            prop_assert_eq!(cache.bytes(), model.bytes());
            let keys: Vec<String> = model.entries.iter().rev().map(|e| e.0.clone()).collect();
            prop_assert_eq!(cache.keys().map(str::to_owned).collect::<Vec<_>>(), keys);
        }
    }

    /// The JS package records a run of gets either as a log (applied in order) or, once the run is long, as each
    /// slot's last-get stamp: both must leave the same recency order and counts, for any runs between inserts.
    #[test]
    fn a_run_of_gets_as_stamps_ends_like_the_same_run_logged(
        runs in proptest::collection::vec((proptest::collection::vec(0u8..40, 0..60), 0u8..40), 1..30),
        max_entries in 1usize..30,
    ) {
        let config = CacheConfig::new(max_entries, usize::MAX);
        let (mut logged, mut stamped) = (EntryTable::new(config.clone()).unwrap(), EntryTable::new(config).unwrap());
        let now = Timestamp::from_millis(0);
        // Keys (0..40) to slots, the same in both tables (they make the same decisions, so they pick the same slots).
        let mut slot_of: Vec<Option<SlotId>> = vec![None; 40];
        let mut stamps: Vec<f64> = Vec::new();
        let mut clock = 0.0;
        for (gets, insert) in runs {
            let since = clock;
            let mut log = Vec::new();
            for key in gets {
                if let Some(slot) = slot_of[key as usize] {
                    log.push(slot);
                    clock += 1.0;
                    stamps[slot as usize] = clock;
                }
            }
            logged.touch_logged(&log);
            stamped.touch_stamped(&stamps, since, log.len() as u64);
            prop_assert_eq!(logged.by_recency().collect::<Vec<_>>(), stamped.by_recency().collect::<Vec<_>>());
            prop_assert_eq!(logged.stats(), stamped.stats());
            if slot_of[insert as usize].is_none() {
                let a = logged.insert(None, 1, now, EntryOptions::default()).unwrap();
                let released: Vec<SlotId> = logged.released().to_vec();
                let b = stamped.insert(None, 1, now, EntryOptions::default()).unwrap();
                prop_assert_eq!(a, b);
                for key in slot_of.iter_mut() {
                    if key.is_some_and(|slot| slot == a.slot || released.contains(&slot)) {
                        *key = None;
                    }
                }
                slot_of[insert as usize] = Some(a.slot);
                if stamps.len() <= a.slot as usize {
                    stamps.resize(a.slot as usize + 1, 0.0);
                }
            }
        }
    }

    #[test]
    fn gcra_never_allows_more_than_burst_plus_rate(gaps in proptest::collection::vec(0u64..400, 1..200), limit in 1u32..20, burst in 1u32..10) {
        let window_ms = 1000u64;
        let mut limiter = RateLimiter::new(LimiterConfig::new(vec![QuotaConfig::new("q", limit, Duration::from_millis(window_ms)).allow_burst(burst)])).unwrap();
        let interval_ns = window_ms * 1_000_000 / limit as u64;
        let mut now = 0u64;
        let mut allowed_at = Vec::new();
        for gap in gaps {
            now += gap * 1_000_000 / 4;
            let d = limiter.check("k", Timestamp::from_nanos(now));
            if d.allowed {
                allowed_at.push(now);
                prop_assert!(d.remaining < burst as u64);
            } else {
                // The retry-after is exact: one nanosecond earlier is still denied, at it the request passes.
                let retry = d.retry_after.as_nanos() as u64;
                prop_assert!(retry > 0);
                let mut probe = RateLimiter::new(LimiterConfig::new(vec![QuotaConfig::new("q", limit, Duration::from_millis(window_ms)).allow_burst(burst)])).unwrap();
                for &t in &allowed_at { prop_assert!(probe.check("k", Timestamp::from_nanos(t)).allowed); }
                prop_assert!(!probe.peek("k", Timestamp::from_nanos(now + retry - 1)).allowed);
                prop_assert!(probe.check("k", Timestamp::from_nanos(now + retry)).allowed);
            }
        }
        // In any span of length L, at most burst + L / T requests pass.
        for (i, &start) in allowed_at.iter().enumerate() {
            for (j, &end) in allowed_at.iter().enumerate().skip(i) {
                let passed = (j - i + 1) as u64;
                prop_assert!(passed <= burst as u64 + (end - start) / interval_ns, "{passed} requests in {} ns", end - start);
            }
        }
    }

    #[test]
    fn request_keys_ignore_the_order_of_names_but_not_of_repeated_names(mut pairs in proptest::collection::vec(("[a-c]{1,2}", "[0-9]{0,2}"), 0..6), seed in any::<u64>()) {
        let query = |pairs: &[(String, String)]| pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let original = RequestKey::new("GET", &format!("/p?{}", query(&pairs)), [], &[], b"");
        let n = pairs.len();
        if n > 1 {
            let (i, j) = ((seed % n as u64) as usize, ((seed / 7) % n as u64) as usize);
            // What an origin reads: each name's values, in order.
            let by_name = |pairs: &[(String, String)]| {
                let mut m = std::collections::BTreeMap::<String, Vec<String>>::new();
                for (k, v) in pairs { m.entry(k.clone()).or_default().push(v.clone()); }
                m
            };
            let before = by_name(&pairs);
            pairs.swap(i, j);
            let swapped = RequestKey::new("GET", &format!("/p?{}", query(&pairs)), [], &[], b"");
            // `?a=1&a=2` is not `?a=2&a=1`: most origins read repeated parameters in order.
            prop_assert_eq!(before == by_name(&pairs), original == swapped);
            pairs.swap(i, j);
        }
        prop_assert_eq!(&original, &RequestKey::new("GET", &format!("/p?{}", query(&pairs)), [], &[], b""));
        pairs.push(("zz".into(), "1".into()));
        prop_assert_ne!(&original, &RequestKey::new("GET", &format!("/p?{}", query(&pairs)), [], &[], b""));
    }
}

/// Small patterns over a tiny alphabet, built from the pieces that matter to the set automaton: repetitions at
/// either end (which it drops or shortens), anchors, word boundaries, alternations, optional groups, captures.
fn pattern() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a".to_owned()),
        Just("b+".to_owned()),
        Just("c*".to_owned()),
        Just("(?:ab|c)?".to_owned()),
        Just("(a+b?)".to_owned()),
        Just("[a-c]{1,3}".to_owned()),
        Just(r"\b".to_owned()),
        Just(r"\B".to_owned()),
        Just(r"\s+".to_owned()),
        Just(r"\w+".to_owned()),
        Just("x|b".to_owned()),
    ];
    (
        proptest::bool::weighted(0.2),
        proptest::collection::vec(piece, 1..5),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(start, pieces, end)| {
            format!(
                "{}{}{}",
                if start { "^" } else { "" },
                pieces.concat(),
                if end { "$" } else { "" }
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Which patterns match, as the set automaton says (lazily determinized, and determinized ahead of time then
    /// saved and loaded), is exactly what each full pattern says on its own.
    #[test]
    fn set_automaton_agrees_with_each_pattern_alone(
        patterns in proptest::collection::vec(pattern(), 1..5),
        texts in proptest::collection::vec("[abcxAB _-]{0,12}", 1..8),
    ) {
        use intent_edge::intent::{syntax, IntentMatcher, IntentSetConfig};
        let set: IntentSetConfig = serde_json::from_value(serde_json::json!({
            "intents": patterns.iter().enumerate().map(|(i, p)| serde_json::json!({"id": format!("p{i}"), "patterns": [p]})).collect::<Vec<_>>()
        })).unwrap();
        let singles: Vec<regex_automata::meta::Regex> = patterns
            .iter()
            .map(|p| regex_automata::meta::Regex::builder().build_from_hir(&syntax::to_hir(p, &set.options).unwrap()).unwrap())
            .collect();
        let lazy = IntentMatcher::new(set.clone()).unwrap();
        let loaded = IntentMatcher::from_precompiled(&IntentMatcher::new_dense(set).unwrap().precompile().unwrap()).unwrap();
        for text in &texts {
            let want: Vec<usize> = (0..patterns.len()).filter(|&i| singles[i].is_match(text.as_str())).collect();
            prop_assert_eq!(lazy.matching_pattern_indexes(text).unwrap(), want.clone(), "lazy, {:?}", text);
            prop_assert_eq!(loaded.matching_pattern_indexes(text).unwrap(), want, "precompiled, {:?}", text);
        }
    }
}
