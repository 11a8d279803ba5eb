//! The instance's intent set: loaded on first use (or found in the pre-initialized snapshot) and kept for the
//! instance's life. A broken set is reported on every request (503 problem naming the intent, pattern and byte),
//! never a panic.

use super::problem::Problem;
use crate::intent::{precompiled, IntentMatcher};
use http::StatusCode;
use std::cell::OnceCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A compiled intent set and what it cost to load.
#[derive(Clone)]
pub struct LoadedSet {
    pub matcher: Rc<IntentMatcher>,
    pub load_time: Duration,
    /// Loaded (and warmed up) at build time, in the snapshot this instance started from (module `preinit`).
    pub preinitialized: bool,
}

/// The instance's set, and whether this very call loaded it (the instance's first use).
pub struct Loaded {
    pub set: LoadedSet,
    pub just_loaded: bool,
}

thread_local! {
    static MATCHER: OnceCell<Result<LoadedSet, String>> = const { OnceCell::new() };
    static EMBEDDED_SET: OnceCell<Result<LoadedSet, String>> = const { OnceCell::new() };
}

/// Pre-initialization (module `preinit`): loads the embedded set and warms it up (see
/// [`IntentMatcher::warm_up`]) with `samples_per_pattern` texts made from each pattern plus `texts`, keeping it
/// for every request of every instance started from the snapshot. Returns what was done, for the build log.
pub fn preload_embedded(samples_per_pattern: usize, texts: &[&str]) -> Result<String, String> {
    let set = EMBEDDED_SET.with(|cell| {
        cell.get_or_init(|| {
            load_set(super::config::EMBEDDED).map(|set| LoadedSet {
                preinitialized: true,
                ..set
            })
        })
        .clone()
    })?;
    let samples = set.matcher.sample_texts(samples_per_pattern);
    let started = Instant::now();
    let report = set.matcher.warm_up(
        samples
            .iter()
            .map(String::as_str)
            .chain(texts.iter().copied()),
    );
    let stats = set.matcher.stats();
    Ok(format!(
        "embedded set: {} intents, {} patterns, {} automaton, loaded in {:.1?}; warmed up with {} texts ({} sampled \
         from the patterns, {} given; {} too long) in {:.1?}: {} capture engines, {} bytes of cached DFA states",
        stats.intents,
        stats.patterns,
        stats.automaton,
        set.load_time,
        report.texts,
        samples.len(),
        texts.len(),
        report.skipped,
        started.elapsed(),
        report.capture_engines,
        report.cache_bytes
    ))
}

/// The instance's matcher, compiled from `config.intents_path` on first use. A broken file is reported (503) on
/// every request until the instance is replaced; it never panics.
pub fn matcher(intents_path: &str) -> Result<Loaded, Problem> {
    let mut just_loaded = false;
    let set = MATCHER.with(|cell| {
        cell.get_or_init(|| {
            // The embedded set, when this instance started from a pre-initialized snapshot: nothing to load.
            if intents_path == super::config::EMBEDDED {
                if let Some(set) = EMBEDDED_SET.with(|cell| cell.get().cloned()) {
                    return set;
                }
            }
            just_loaded = true;
            load_set(intents_path)
        })
        .clone()
    });
    set.map(|set| Loaded { set, just_loaded })
        .map_err(|detail| {
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "intent-set-unavailable",
                "Intent set unavailable",
                detail,
            )
        })
}

fn load_set(path: &str) -> Result<LoadedSet, String> {
    let started = Instant::now();
    let matcher = if path == super::config::EMBEDDED {
        embedded_set()?
    } else {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read the intent set {path}: {e}"))?;
        if precompiled::is_precompiled(&bytes) {
            IntentMatcher::from_precompiled_vec(bytes)
        } else {
            let text = String::from_utf8(bytes)
                .map_err(|e| format!("the intent set {path} is not UTF-8: {e}"))?;
            IntentMatcher::from_json(&text)
        }
        .map_err(|e| format!("the intent set {path} is invalid at {:?}: {e}", e.pointer()))?
    };
    Ok(LoadedSet {
        matcher: Rc::new(matcher),
        load_time: started.elapsed(),
        preinitialized: false,
    })
}

/// The set `scripts/build.sh` compiled into this component (`INTENT_EDGE_EMBEDDED_SET` at build time).
#[cfg(feature = "embedded-set")]
fn embedded_set() -> Result<IntentMatcher, String> {
    static EMBEDDED: &[u8] = include_bytes!(env!("INTENT_EDGE_EMBEDDED_SET"));
    precompiled::decode_embedded(EMBEDDED).map_err(|e| format!("the embedded intent set: {e}"))
}

#[cfg(not(feature = "embedded-set"))]
fn embedded_set() -> Result<IntentMatcher, String> {
    Err("INTENT_EDGE_INTENTS=embedded, but this component was built without the embedded-set feature".into())
}

/// The matcher if it has been loaded already (for metrics; never triggers a load).
pub fn loaded_matcher() -> Option<LoadedSet> {
    MATCHER.with(|cell| cell.get().and_then(|r| r.as_ref().ok().cloned()))
}
