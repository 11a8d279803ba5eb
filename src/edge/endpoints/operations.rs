//! `GET /healthz` and `GET /metrics` (optionally behind a bearer token).

use super::purge::bearer_refusal;
use crate::edge::intent_set;
use crate::edge::metrics;
use crate::edge::pipeline::{Pipeline, Reply};
use crate::edge::problem::method_not_allowed;
use crate::edge::response::{json_reply, text_reply};
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    intents: usize,
    patterns: usize,
    /// The set came loaded (and warmed up) in the snapshot this instance started from (module `preinit`).
    preinitialized: bool,
}

/// `GET /healthz`: 200 with the intent set's size when it loads, 503 problem otherwise.
pub fn health(method: &Method, intents_path: &str) -> Reply {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed("/healthz", "GET, HEAD");
    }
    match intent_set::matcher(intents_path) {
        Ok(loaded) => {
            let stats = loaded.set.matcher.stats();
            json_reply(
                StatusCode::OK,
                &Health {
                    status: "ok",
                    intents: stats.intents,
                    patterns: stats.patterns,
                    preinitialized: loaded.set.preinitialized,
                },
            )
        }
        Err(problem) => problem.for_path("/healthz").into_reply(),
    }
}

/// `GET /metrics`: this instance's counters and gauges as Prometheus text.
pub fn metrics(
    method: &Method,
    headers: &HeaderMap,
    token: Option<&str>,
    pipeline: Option<&Pipeline>,
) -> Reply {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed("/metrics", "GET, HEAD");
    }
    if let Some(token) = token {
        if let Some(refusal) = bearer_refusal(headers, token, "/metrics") {
            return refusal;
        }
    }
    let mut out = String::new();
    metrics::render(&mut out);
    if let Some(pipeline) = pipeline {
        crate::edge::pipeline::render_gauges(pipeline, &mut out);
    }
    if let Some(loaded) = intent_set::loaded_matcher() {
        let stats = loaded.matcher.stats();
        metrics::gauge(
            &mut out,
            "intent_edge_intent_set_load_seconds",
            "Time this instance took to read and compile the intent set.",
            &[(String::new(), loaded.load_time.as_secs_f64())],
        );
        metrics::gauge(
            &mut out,
            "intent_edge_intent_set_patterns",
            "Patterns in the loaded intent set.",
            &[(String::new(), stats.patterns as f64)],
        );
    }
    let _ = writeln!(out);
    text_reply("text/plain; version=0.0.4; charset=utf-8", out)
}
