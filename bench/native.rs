//! Native half of the benchmark (`cargo run --release --example bench`): the precompiled matcher against what a
//! Rust user would otherwise write, on the sets listed in target/bench/sets.json (see bench/prepare.mjs).
//!
//! Baselines, all built from the same patterns with the same (JavaScript-compatible) semantics:
//! - a loop over one `regex_automata::meta::Regex` per pattern (what `regex::Regex` wraps), intents by priority;
//! - one multi-pattern `meta::Regex` with default settings (what `regex::RegexSet` wraps: lazy DFA, 2 MiB cache).
//!
//! Writes target/bench/native.json. `bench SET ...` measures only the sets named (target/bench/sets.json has their
//! names).
//!
//! `bench --callgrind SET [batch]` instead runs one warm pass of SET's queries through the matcher (best intent of each,
//! one call per text or one batch call), for `valgrind --tool=callgrind --toggle-collect=*measured_*`: instruction counts, unlike times, repeat exactly
//! from run to run on a shared machine (`bash bench/callgrind.sh` prints them per byte and per text).

use intent_edge::intent::{syntax, IntentMatcher, IntentSetConfig};
use regex_automata::{meta, Input, MatchKind, PatternSet};
use serde_json::{json, Value};
use std::time::Instant;

const RUNS: usize = 9;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Microseconds per text of running `f` on the whole batch at once, median of RUNS after two warm-ups.
fn per_batch(texts: &[String], mut f: impl FnMut(&[&str]) -> usize) -> f64 {
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut sink = 0usize;
    let mut runs = Vec::with_capacity(RUNS);
    for run in 0..RUNS + 2 {
        let start = Instant::now();
        sink = sink.wrapping_add(f(&refs));
        if run >= 2 {
            runs.push(start.elapsed().as_secs_f64() * 1e6 / texts.len() as f64);
        }
    }
    std::hint::black_box(sink);
    median(runs)
}

/// Microseconds per text of running `f` over every text, median of RUNS after two warm-ups.
fn per_text(texts: &[String], mut f: impl FnMut(&str) -> usize) -> f64 {
    let mut sink = 0usize;
    let mut runs = Vec::with_capacity(RUNS);
    for run in 0..RUNS + 2 {
        let start = Instant::now();
        for t in texts {
            sink = sink.wrapping_add(f(t));
        }
        if run >= 2 {
            runs.push(start.elapsed().as_secs_f64() * 1e6 / texts.len() as f64);
        }
    }
    std::hint::black_box(sink);
    median(runs)
}

/// The pass `--callgrind` measures: the best intent of every text, one call each.
#[inline(never)]
fn measured_pass(matcher: &IntentMatcher, texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| matcher.best_intent_index(t).unwrap().unwrap_or(0))
        .sum()
}

/// The pass `--callgrind SET batch` measures: the best intent of every text, in one batch call.
#[inline(never)]
fn measured_batch(matcher: &IntentMatcher, texts: &[&str]) -> usize {
    let best = matcher.best_intent_indexes(texts).unwrap();
    best.iter().flatten().sum()
}

/// Nanoseconds per step of a chain of dependent loads within the L1 cache (a random cycle through 16 KiB): the
/// least one DFA step can cost, since each step's load needs the one before. Median of RUNS.
fn dependent_load_ns() -> f64 {
    let n = 4096usize;
    let mut order: Vec<usize> = (0..n).collect();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let mut next = vec![0u32; n];
    for i in 0..n {
        next[order[i]] = order[(i + 1) % n] as u32;
    }
    let steps = 20_000_000;
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let mut at = 0u32;
        let start = Instant::now();
        for _ in 0..steps {
            at = next[at as usize];
        }
        std::hint::black_box(at);
        runs.push(start.elapsed().as_secs_f64() * 1e9 / steps as f64);
    }
    median(runs)
}

fn queries(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run bench/run.sh)", path.display()))
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let ["--callgrind", set, mode @ ..] =
        &args.iter().map(String::as_str).collect::<Vec<_>>()[..]
    {
        let manifest: Vec<Value> =
            serde_json::from_slice(&std::fs::read(root.join("target/bench/sets.json")).unwrap())
                .unwrap();
        let entry = manifest
            .iter()
            .find(|e| e["name"] == *set)
            .unwrap_or_else(|| panic!("no set {set} in target/bench/sets.json"));
        let bytes = std::fs::read(root.join(entry["iedge"].as_str().unwrap())).unwrap();
        let texts = queries(&root.join(entry["queries"].as_str().unwrap()));
        let matcher = IntentMatcher::from_precompiled(&bytes).unwrap();
        // Warm (outside the measured function): the anchored and lazy forms build their states on a text's first
        // pass.
        matcher.warm_up(texts.iter().map(String::as_str));
        let sum = if mode == ["batch"] {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            measured_batch(&matcher, &refs)
        } else {
            measured_pass(&matcher, &texts)
        };
        let total: usize = texts.iter().map(String::len).sum();
        println!(
            "{set}: {} texts, {total} bytes, checksum {sum}",
            texts.len()
        );
        return;
    }
    let read = |p: &str| {
        std::fs::read(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e} (run bench/run.sh)"))
    };
    let manifest: Vec<Value> = serde_json::from_slice(&read("target/bench/sets.json")).unwrap();
    let mut results = Vec::new();
    // `bench SET ...` measures only the sets named.
    let wanted = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    for entry in manifest
        .iter()
        .filter(|e| wanted(e["name"].as_str().unwrap()))
    {
        let name = entry["name"].as_str().unwrap();
        let config: IntentSetConfig =
            serde_json::from_slice(&read(entry["json"].as_str().unwrap())).unwrap();
        let bytes = read(entry["iedge"].as_str().unwrap());
        let texts = queries(&root.join(entry["queries"].as_str().unwrap()));
        let text_bytes: usize = texts.iter().map(String::len).sum();

        let started = Instant::now();
        let matcher = IntentMatcher::from_precompiled(&bytes).unwrap();
        let load_ms = started.elapsed().as_secs_f64() * 1e3;

        // Baselines from the same translated patterns.
        let hirs: Vec<(usize, regex_syntax::hir::Hir)> = config
            .intents
            .iter()
            .enumerate()
            .flat_map(|(i, intent)| intent.patterns.iter().map(move |p| (i, p)))
            .map(|(i, p)| (i, syntax::to_hir(p, &config.options).unwrap()))
            .collect();
        let loop_regexes: Vec<(usize, meta::Regex)> = hirs
            .iter()
            .map(|(i, h)| (*i, meta::Builder::new().build_from_hir(h).unwrap()))
            .collect();
        let mut by_priority = loop_regexes.iter().collect::<Vec<_>>();
        by_priority.sort_by_key(|(i, _)| std::cmp::Reverse(config.intents[*i].priority));
        let loop_first = |t: &str| {
            by_priority
                .iter()
                .find(|(_, r)| r.is_match(t))
                .map_or(usize::MAX, |(i, _)| *i)
        };
        let loop_all = |t: &str| {
            let mut hits: Vec<usize> = loop_regexes
                .iter()
                .filter(|(_, r)| r.is_match(t))
                .map(|(i, _)| *i)
                .collect();
            hits.dedup();
            hits
        };
        let default_set = meta::Builder::new()
            .configure(meta::Config::new().match_kind(MatchKind::All))
            .build_many_from_hir(&hirs.iter().map(|(_, h)| h).collect::<Vec<_>>())
            .unwrap();
        let mut patset = PatternSet::new(hirs.len());

        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let batch = matcher.best_intent_indexes(&refs).unwrap();
        let mismatches = texts
            .iter()
            .zip(&batch)
            .filter(|(t, batch)| {
                let first = matcher.best_intent_index(t).unwrap();
                first.unwrap_or(usize::MAX) != loop_first(t)
                    || **batch != first
                    || matcher.matching_intent_indexes(t).unwrap() != loop_all(t)
            })
            .count();

        let us = json!({
            "loopFirst": per_text(&texts, loop_first),
            "loopAll": per_text(&texts, |t| loop_all(t).len()),
            "regexSetDefault": per_text(&texts, |t| {
                patset.clear();
                default_set.which_overlapping_matches(&Input::new(t), &mut patset);
                patset.len()
            }),
            "first": per_text(&texts, |t| matcher.best_intent_index(t).unwrap().unwrap_or(0)),
            "batchFirst": per_batch(&texts, |all| matcher.best_intent_indexes(all).unwrap().iter().flatten().sum()),
            "all": per_text(&texts, |t| matcher.matching_intent_indexes(t).unwrap().len()),
        });
        let f = |k: &str| us[k].as_f64().unwrap();
        let r = json!({
            "set": name,
            "patterns": matcher.stats().patterns,
            "automaton": matcher.stats().automaton,
            "automatonBytes": matcher.stats().automaton_bytes,
            "texts": texts.len(),
            "bytesPerText": text_bytes as f64 / texts.len() as f64,
            "nsPerByte": {
                "first": f("first") * 1e3 * texts.len() as f64 / text_bytes as f64,
                "all": f("all") * 1e3 * texts.len() as f64 / text_bytes as f64,
                "batchFirst": f("batchFirst") * 1e3 * texts.len() as f64 / text_bytes as f64,
            },
            "mismatches": mismatches,
            "loadMs": load_ms,
            "us": us,
            "speedup": {
                "first": f("loopFirst") / f("first"),
                "all": f("loopAll") / f("all"),
                "regexSetDefault": f("regexSetDefault") / f("all"),
            },
        });
        println!(
            "native {name}: first {:.1}x, all {:.1}x vs a loop of regexes; {:.1}x vs a default RegexSet; {:.2} ns/byte per call, {:.2} batched; mismatches {mismatches}",
            r["speedup"]["first"].as_f64().unwrap(),
            r["speedup"]["all"].as_f64().unwrap(),
            r["speedup"]["regexSetDefault"].as_f64().unwrap(),
            r["nsPerByte"]["first"].as_f64().unwrap(),
            r["nsPerByte"]["batchFirst"].as_f64().unwrap(),
        );
        results.push(r);
    }
    let load_ns = dependent_load_ns();
    println!("native: one dependent load in L1 takes {load_ns:.2} ns here (the least a DFA step on one text costs)");
    let out = json!({ "runtime": "native (x86_64, release)", "dependentLoadNs": load_ns, "results": results });
    std::fs::write(
        root.join("target/bench/native.json"),
        serde_json::to_string_pretty(&out).unwrap(),
    )
    .unwrap();
}
