//! Per-instance state: the compiled intent set (loaded on first use) and the counters behind `/metrics`.
//!
//! A Wasm HTTP runtime reuses an instance for a bounded number of requests and runs several instances under load,
//! so this state is per instance and short-lived: counters are "since this instance started", and nothing here is
//! the only copy of anything.

use super::config::GatewayConfig;
use super::problem::Problem;
use crate::intent::IntentMatcher;
use http::StatusCode;
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A compiled intent set and what it cost to load.
pub struct Loaded {
    pub matcher: Rc<IntentMatcher>,
    pub load_time: Duration,
}

impl Clone for Loaded {
    fn clone(&self) -> Self {
        Loaded { matcher: Rc::clone(&self.matcher), load_time: self.load_time }
    }
}

#[derive(Default)]
struct Counters {
    requests: BTreeMap<(String, u16), u64>,
    intents: BTreeMap<String, u64>,
    no_intent: u64,
}

thread_local! {
    static MATCHER: OnceCell<Result<Loaded, String>> = const { OnceCell::new() };
    static COUNTERS: RefCell<Counters> = RefCell::new(Counters::default());
}

/// The instance's matcher, compiled from `config.intents_path` on first use. A broken file is reported (503) on
/// every request until the instance is replaced; it never panics.
pub fn matcher(config: &GatewayConfig) -> Result<Loaded, Problem> {
    let loaded = MATCHER.with(|cell| {
        cell.get_or_init(|| {
            let started = Instant::now();
            let json = std::fs::read_to_string(&config.intents_path)
                .map_err(|e| format!("cannot read the intent set {}: {e}", config.intents_path))?;
            let matcher = IntentMatcher::from_json(&json)
                .map_err(|e| format!("the intent set {} is invalid at {:?}: {e}", config.intents_path, e.pointer()))?;
            Ok(Loaded { matcher: Rc::new(matcher), load_time: started.elapsed() })
        })
        .clone()
    });
    loaded.map_err(|detail| {
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "intent-set-unavailable", "Intent set unavailable", detail)
    })
}

/// The matcher if it has been loaded already (for metrics; never triggers a load).
fn loaded_matcher() -> Option<Loaded> {
    MATCHER.with(|cell| cell.get().and_then(|r| r.as_ref().ok().cloned()))
}

pub fn record_request(route: &str, status: u16) {
    COUNTERS.with(|c| *c.borrow_mut().requests.entry((route.to_owned(), status)).or_default() += 1);
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
    if let Some(loaded) = loaded_matcher() {
        let stats = loaded.matcher.stats();
        out.push_str("# HELP intent_edge_intent_set_load_seconds Time this instance took to read and compile the intent set.\n");
        out.push_str("# TYPE intent_edge_intent_set_load_seconds gauge\n");
        let _ = writeln!(out, "intent_edge_intent_set_load_seconds {}", loaded.load_time.as_secs_f64());
        out.push_str("# TYPE intent_edge_intent_set_patterns gauge\n");
        let _ = writeln!(out, "intent_edge_intent_set_patterns {}", stats.patterns);
    }
    out
}

fn escape_label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
