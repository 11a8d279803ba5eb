//! The instance's counters and latency histogram, rendered as Prometheus text for `GET /metrics`.
//!
//! Every count is "since this instance started": a Wasm HTTP runtime runs many short-lived instances, so a scrape
//! reaches one of them. `intent_edge_instance_start_time_seconds` tells a scraper when a series was reset; sum the
//! counters over instances (or use shared state) for a deployment-wide view.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Duration;

/// The counters this gateway keeps. Each has a Prometheus name, help text and a fixed set of label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Counter {
    /// Requests answered, by route, status and cache outcome.
    Requests,
    /// Rate-limit decisions, by limiter scope and result (`allowed`, `quota`, `table-full`, `cost`).
    RateLimitDecisions,
    /// Requests without a trusted client identity, by reason.
    Unidentified,
    /// Coalescing: `lead`, `join`, `hit-for-miss` (a waiter sent to the origin itself), `waiter-timeout`,
    /// `table-full`.
    Coalescing,
    /// Origin failures, by kind: `unreachable`, `timeout`, `too-large`, `invalid`.
    OriginErrors,
    /// Responses not stored, by reason (`private`, `no-store`, `set-cookie`, …).
    CacheNotStored,
    /// Responses stored.
    CacheStored,
    /// Background revalidations (`stale-while-revalidate`), by result.
    BackgroundRevalidations,
    /// Entries purged, by kind (`key`, `prefix`, `tag`, `invalidation`).
    CachePurged,
    /// Texts matched by the intent API and intent routes, by best intent (`""` for none).
    IntentMatches,
    /// Calls to the shared store, by operation (`limit`, `cache-get`, `cache-put`, `lease`, `poll`, `purge`) and
    /// result (`ok`, `timeout`, `unavailable`, `broken`, `error`, `skipped` while backing off after a fault).
    StoreCalls,
    /// Requests decided without the shared store because of a fault, by stage and what was done instead.
    StoreFallbacks,
    /// Local cache misses answered from the shared store.
    StoreHits,
}

impl Counter {
    fn name(self) -> &'static str {
        match self {
            Counter::Requests => "intent_edge_requests_total",
            Counter::RateLimitDecisions => "intent_edge_ratelimit_decisions_total",
            Counter::Unidentified => "intent_edge_unidentified_clients_total",
            Counter::Coalescing => "intent_edge_coalescing_total",
            Counter::OriginErrors => "intent_edge_origin_errors_total",
            Counter::CacheNotStored => "intent_edge_cache_not_stored_total",
            Counter::CacheStored => "intent_edge_cache_stored_total",
            Counter::BackgroundRevalidations => "intent_edge_cache_background_revalidations_total",
            Counter::CachePurged => "intent_edge_cache_purged_total",
            Counter::IntentMatches => "intent_edge_intent_matches_total",
            Counter::StoreCalls => "intent_edge_store_calls_total",
            Counter::StoreFallbacks => "intent_edge_store_fallbacks_total",
            Counter::StoreHits => "intent_edge_store_cache_hits_total",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Counter::Requests => {
                "Requests answered by this instance, by route, status and cache outcome."
            }
            Counter::RateLimitDecisions => "Rate-limit decisions, by limiter scope and result.",
            Counter::Unidentified => "Requests without a trusted client identity, by reason.",
            Counter::Coalescing => {
                "Coalescing events: lead, join, hit-for-miss, waiter-timeout, table-full."
            }
            Counter::OriginErrors => "Origin failures answered with 502/504, by kind.",
            Counter::CacheNotStored => "Origin responses the cache did not store, by reason.",
            Counter::CacheStored => "Origin responses stored in the cache.",
            Counter::BackgroundRevalidations => {
                "stale-while-revalidate background revalidations, by result."
            }
            Counter::CachePurged => "Cache entries removed by purge or invalidation, by kind.",
            Counter::IntentMatches => "Texts matched, by best intent (\"\" for none).",
            Counter::StoreCalls => "Calls to the shared store (Redis), by operation and result.",
            Counter::StoreFallbacks => {
                "Requests handled without the shared store after a fault, by stage and fallback."
            }
            Counter::StoreHits => "Local cache misses answered from the shared store.",
        }
    }

    fn labels(self) -> &'static [&'static str] {
        match self {
            Counter::Requests => &["route", "status", "cache"],
            Counter::RateLimitDecisions => &["scope", "result"],
            Counter::Unidentified | Counter::CacheNotStored => &["reason"],
            Counter::Coalescing | Counter::BackgroundRevalidations => &["event"],
            Counter::OriginErrors | Counter::CachePurged => &["kind"],
            Counter::CacheStored | Counter::StoreHits => &[],
            Counter::IntentMatches => &["intent"],
            Counter::StoreCalls => &["op", "result"],
            Counter::StoreFallbacks => &["stage", "fallback"],
        }
    }
}

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Label values of one series (unused trailing labels are `""`).
type Labels = [&'static str; 3];

/// A series while counting: its label values by address. Values are interned or literals, so the same text is
/// (almost always) the same address; rendering merges by text, so the rare duplicate literal still counts right.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SeriesKey(Counter, [usize; 3]);

/// The hasher of the counting maps: their keys are small integers the gateway chose (never client input), so a
/// multiply-rotate mix is enough and far cheaper than SipHash in wasm.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(23) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<AddressHasher>>;

#[derive(Default)]
struct Metrics {
    counters: FastMap<SeriesKey, (Labels, u64)>,
    latency: FastMap<usize, (&'static str, Histogram)>,
    started_at: Option<f64>,
    interned: HashSet<&'static str>,
    statuses: Vec<Option<&'static str>>,
}

thread_local! {
    static METRICS: RefCell<Metrics> = RefCell::new(Metrics::default());
}

/// A label value that lives as long as the instance: values come from a bounded set (route names, intent ids,
/// statuses), so each distinct one is stored once. Counting then allocates nothing.
pub fn intern(value: &str) -> &'static str {
    METRICS.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(found) = m.interned.get(value) {
            return *found;
        }
        let leaked: &'static str = Box::leak(value.to_owned().into_boxed_str());
        m.interned.insert(leaked);
        leaked
    })
}

/// The label value of an HTTP status (`"200"`), without allocating after the first time.
pub fn status_label(status: http::StatusCode) -> &'static str {
    let code = usize::from(status.as_u16());
    let known = METRICS.with(|m| m.borrow().statuses.get(code).copied().flatten());
    known.unwrap_or_else(|| {
        let label = intern(status.as_str());
        METRICS.with(|m| {
            let mut m = m.borrow_mut();
            if m.statuses.len() <= code {
                m.statuses.resize(code + 1, None);
            }
            m.statuses[code] = Some(label);
        });
        label
    })
}

/// Adds `n` to `counter` with these label values (in the order of the counter's label names).
pub fn add(counter: Counter, labels: &[&'static str], n: u64) {
    debug_assert_eq!(labels.len(), counter.labels().len());
    let mut values: Labels = [""; 3];
    values[..labels.len()].copy_from_slice(labels);
    let key = SeriesKey(counter, values.map(|v| v.as_ptr() as usize));
    METRICS.with(|m| {
        m.borrow_mut().counters.entry(key).or_insert((values, 0)).1 += n;
    });
}

/// Adds one to `counter`.
pub fn count(counter: Counter, labels: &[&'static str]) {
    add(counter, labels, 1);
}

/// Records one request's latency for `route`.
pub fn observe_latency(route: &'static str, elapsed: Duration) {
    let seconds = elapsed.as_secs_f64();
    METRICS.with(|m| {
        let mut m = m.borrow_mut();
        let (_, h) = m
            .latency
            .entry(route.as_ptr() as usize)
            .or_insert_with(|| (route, Histogram::default()));
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += seconds;
    });
}

/// Notes when this instance started (Unix seconds), once.
pub fn note_start(unix_seconds: f64) {
    METRICS.with(|m| {
        m.borrow_mut().started_at.get_or_insert(unix_seconds);
    });
}

pub fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn labels_text(names: &[&str], values: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("{n}=\"{}\"", escape_label(v)))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

/// A gauge line for [`render`]'s caller.
pub fn gauge(out: &mut String, name: &str, help: &str, samples: &[(String, f64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (labels, value) in samples {
        let _ = writeln!(out, "{name}{labels} {value}");
    }
}

/// Prometheus text of every counter and the latency histogram.
pub fn render(out: &mut String) {
    METRICS.with(|m| {
        let m = m.borrow();
        if let Some(started) = m.started_at {
            gauge(
                out,
                "intent_edge_instance_start_time_seconds",
                "When this instance served its first request (Unix time): counters below count from then.",
                &[(String::new(), started)],
            );
        }
        // Merge by text (see `SeriesKey`) and sort, so the output is stable.
        let mut series: std::collections::BTreeMap<(Counter, Labels), u64> = Default::default();
        for (SeriesKey(counter, _), (values, n)) in &m.counters {
            *series.entry((*counter, *values)).or_default() += n;
        }
        let mut last = None;
        for ((counter, values), n) in &series {
            if last != Some(*counter) {
                let _ = writeln!(out, "# HELP {} {}", counter.name(), counter.help());
                let _ = writeln!(out, "# TYPE {} counter", counter.name());
                last = Some(*counter);
            }
            let values = &values[..counter.labels().len()];
            let _ = writeln!(out, "{}{} {n}", counter.name(), labels_text(counter.labels(), values));
        }
        if !m.latency.is_empty() {
            let name = "intent_edge_request_duration_seconds";
            let _ = writeln!(out, "# HELP {name} Time from a request's arrival to its response head, by route.");
            let _ = writeln!(out, "# TYPE {name} histogram");
            let mut routes: Vec<_> = m.latency.values().collect();
            routes.sort_by_key(|(route, _)| *route);
            for (route, h) in routes {
                let route = escape_label(route);
                for (bound, count) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}");
                }
                let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {}", h.count);
            }
        }
    });
}
