//! Per-instance state: the compiled intent set (loaded on first use) and the counters behind `/metrics`.
//!
//! A Wasm HTTP runtime reuses an instance for a bounded number of requests and runs several instances under load,
//! so this state is per instance and short-lived: counters are "since this instance started", and nothing here is
//! the only copy of anything.

use super::config::{misconfigured, GatewayConfig};
use super::gateway::{BufferedResponse, Flight};
use super::problem::Problem;
use crate::cache::{CacheConfig, ResponseCache};
use crate::coalesce::{Coalescer, CoalescerConfig};
use crate::intent::{precompiled, IntentMatcher};
use crate::ratelimit::{LimiterConfig, RateLimiter};
use crate::time::Timestamp;
use http::StatusCode;
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write;
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

#[derive(Default)]
struct Counters {
    requests: BTreeMap<(String, u16), u64>,
    intents: BTreeMap<String, u64>,
    no_intent: u64,
}

/// The gateway's engines for this instance.
pub struct GatewayState {
    started: Instant,
    pub limiter: RefCell<RateLimiter>,
    pub cache: RefCell<ResponseCache<Rc<BufferedResponse>>>,
    pub coalescer: RefCell<Coalescer<Rc<Flight>, ()>>,
    events: RefCell<BTreeMap<&'static str, u64>>,
}

impl GatewayState {
    /// Time since this instance started: the clock the engines are given.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_nanos(self.started.elapsed().as_nanos() as u64)
    }

    /// Counts one gateway event for `/metrics`.
    pub fn count(&self, event: &'static str) {
        *self.events.borrow_mut().entry(event).or_default() += 1;
    }
}

thread_local! {
    static MATCHER: OnceCell<Result<LoadedSet, String>> = const { OnceCell::new() };
    static COUNTERS: RefCell<Counters> = RefCell::new(Counters::default());
    static GATEWAY: OnceCell<Result<Rc<GatewayState>, String>> = const { OnceCell::new() };
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

fn parse_json<T: serde::de::DeserializeOwned>(variable: &str, json: &str) -> Result<T, String> {
    crate::json::from_str(json)
        .map_err(|e| format!("{variable} is invalid at {:?}: {e}", e.pointer))
}

fn build_gateway(config: &GatewayConfig) -> Result<GatewayState, String> {
    let limiter: LimiterConfig = parse_json("INTENT_EDGE_RATE_LIMIT", &config.rate_limit_json)?;
    let cache: CacheConfig = parse_json("INTENT_EDGE_CACHE", &config.cache_json)?;
    let mut coalesce: CoalescerConfig = parse_json("INTENT_EDGE_COALESCE", &config.coalesce_json)?;
    coalesce.window_ms = 0;
    Ok(GatewayState {
        started: Instant::now(),
        limiter: RefCell::new(
            RateLimiter::new(limiter).map_err(|e| format!("INTENT_EDGE_RATE_LIMIT: {e}"))?,
        ),
        cache: RefCell::new(
            ResponseCache::new(cache).map_err(|e| format!("INTENT_EDGE_CACHE: {e}"))?,
        ),
        coalescer: RefCell::new(Coalescer::new(coalesce)),
        events: RefCell::new(BTreeMap::new()),
    })
}

/// The instance's gateway engines, built from the configuration on first use. A bad configuration is a 500
/// problem naming the variable and field, on every request, never a panic.
pub fn gateway(config: &GatewayConfig) -> Result<Rc<GatewayState>, Problem> {
    GATEWAY
        .with(|cell| {
            cell.get_or_init(|| build_gateway(config).map(Rc::new))
                .clone()
        })
        .map_err(misconfigured)
}

/// The instance's matcher, compiled from `config.intents_path` on first use. A broken file is reported (503) on
/// every request until the instance is replaced; it never panics.
pub fn matcher(config: &GatewayConfig) -> Result<Loaded, Problem> {
    let mut just_loaded = false;
    let set = MATCHER.with(|cell| {
        cell.get_or_init(|| {
            // The embedded set, when this instance started from a pre-initialized snapshot: nothing to load.
            if config.intents_path == super::config::EMBEDDED {
                if let Some(set) = EMBEDDED_SET.with(|cell| cell.get().cloned()) {
                    return set;
                }
            }
            just_loaded = true;
            load_set(&config.intents_path)
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
fn loaded_matcher() -> Option<LoadedSet> {
    MATCHER.with(|cell| cell.get().and_then(|r| r.as_ref().ok().cloned()))
}

pub fn record_request(route: &str, status: u16) {
    COUNTERS.with(|c| {
        *c.borrow_mut()
            .requests
            .entry((route.to_owned(), status))
            .or_default() += 1
    });
}

pub fn record_intent(intent: Option<&str>) {
    COUNTERS.with(|c| {
        let mut c = c.borrow_mut();
        match intent {
            Some(id) => *c.intents.entry(id.to_owned()).or_default() += 1,
            None => c.no_intent += 1,
        }
    });
}

/// Prometheus text exposition of this instance's counters.
pub fn render_metrics() -> String {
    let mut out = String::new();
    COUNTERS.with(|c| {
        let c = c.borrow();
        out.push_str("# HELP intent_edge_requests_total Requests handled by this instance, by route and status.\n");
        out.push_str("# TYPE intent_edge_requests_total counter\n");
        for ((route, status), n) in &c.requests {
            let _ = writeln!(out, "intent_edge_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP intent_edge_intent_matches_total Texts matched, by best intent (\"\" for none).\n");
        out.push_str("# TYPE intent_edge_intent_matches_total counter\n");
        for (intent, n) in &c.intents {
            let _ = writeln!(out, "intent_edge_intent_matches_total{{intent=\"{}\"}} {n}", escape_label(intent));
        }
        let _ = writeln!(out, "intent_edge_intent_matches_total{{intent=\"\"}} {}", c.no_intent);
    });
    if let Some(Ok(state)) = GATEWAY.with(|cell| cell.get().cloned()) {
        out.push_str("# HELP intent_edge_gateway_events_total Gateway events: rate-limit decisions, cache hits/misses/stores, coalescing.\n");
        out.push_str("# TYPE intent_edge_gateway_events_total counter\n");
        for (event, n) in state.events.borrow().iter() {
            let _ = writeln!(
                out,
                "intent_edge_gateway_events_total{{event=\"{event}\"}} {n}"
            );
        }
        let cache = state.cache.borrow().stats();
        out.push_str("# TYPE intent_edge_cache_entries gauge\n");
        let _ = writeln!(out, "intent_edge_cache_entries {}", cache.entries);
        out.push_str("# TYPE intent_edge_cache_bytes gauge\n");
        let _ = writeln!(out, "intent_edge_cache_bytes {}", cache.bytes);
        out.push_str("# TYPE intent_edge_cache_evictions_total counter\n");
        let _ = writeln!(out, "intent_edge_cache_evictions_total {}", cache.evictions);
        out.push_str("# TYPE intent_edge_ratelimit_keys gauge\n");
        let _ = writeln!(
            out,
            "intent_edge_ratelimit_keys {}",
            state.limiter.borrow().len()
        );
        out.push_str("# TYPE intent_edge_in_flight gauge\n");
        let _ = writeln!(
            out,
            "intent_edge_in_flight {}",
            state.coalescer.borrow().in_flight()
        );
    }
    if let Some(loaded) = loaded_matcher() {
        let stats = loaded.matcher.stats();
        out.push_str("# HELP intent_edge_intent_set_load_seconds Time this instance took to read and compile the intent set.\n");
        out.push_str("# TYPE intent_edge_intent_set_load_seconds gauge\n");
        let _ = writeln!(
            out,
            "intent_edge_intent_set_load_seconds {}",
            loaded.load_time.as_secs_f64()
        );
        out.push_str("# TYPE intent_edge_intent_set_patterns gauge\n");
        let _ = writeln!(out, "intent_edge_intent_set_patterns {}", stats.patterns);
    }
    out
}

fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
