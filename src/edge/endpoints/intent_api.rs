//! `POST /api/intent`: text in, intent + slots + spans out; `{"texts": [...]}` for a batch. And
//! `GET /api/intent-set`: the set itself, for clients that match locally with the JS package.
//!
//! Request: `{"text": "...", "all": false}` or `{"texts": ["...", ...], "all": false}` as `application/json`.
//! Response: `{"intent": id|null, "match": IntentMatch|null, "matches"?: IntentMatch[]}` or, for a batch,
//! `{"results": [ ...one object per text... ]}`. `all: true` adds every matching intent as `matches`.

use crate::edge::config::GatewayConfig;
use crate::edge::intent_set::{self, Loaded};
use crate::edge::metrics::{self, Counter};
use crate::edge::pipeline::{Exchange, Reply};
use crate::edge::problem::{method_not_allowed, Problem};
use crate::edge::response::json_reply;
use crate::intent::{IntentMatch, IntentMatcher, MatchError};
use http::{header, HeaderValue, Method, StatusCode};
use serde::{Deserialize, Serialize};
use std::time::Instant;

const PATH: &str = "/api/intent";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IntentRequest {
    text: Option<String>,
    texts: Option<Vec<String>>,
    #[serde(default)]
    all: bool,
}

#[derive(Serialize)]
struct IntentAnswer {
    intent: Option<String>,
    #[serde(rename = "match")]
    best: Option<IntentMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matches: Option<Vec<IntentMatch>>,
}

#[derive(Serialize)]
struct BatchAnswer {
    results: Vec<IntentAnswer>,
}

fn bad_request(kind: &str, detail: impl Into<String>, pointer: impl Into<String>) -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        kind,
        "Invalid intent request",
        detail,
    )
    .at(pointer)
    .for_path(PATH)
}

fn answer(
    matcher: &IntentMatcher,
    text: &str,
    all: bool,
    pointer: &str,
) -> Result<IntentAnswer, Problem> {
    let to_problem = |e: MatchError| match e {
        MatchError::TextTooLong { .. } => bad_request("text-too-long", e.to_string(), pointer),
        MatchError::PatternUnavailable { .. } => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "pattern-unavailable",
            "Pattern unavailable",
            e.to_string(),
        ),
        MatchError::SearchFailed { .. } => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "search-failed",
            "Search failed",
            e.to_string(),
        ),
    };
    if all {
        let matches = matcher.find_all(text).map_err(to_problem)?;
        let best = matches.first().cloned();
        Ok(IntentAnswer {
            intent: best.as_ref().map(|m| m.intent.clone()),
            best,
            matches: Some(matches),
        })
    } else {
        let best = matcher.find(text).map_err(to_problem)?;
        Ok(IntentAnswer {
            intent: best.as_ref().map(|m| m.intent.clone()),
            best,
            matches: None,
        })
    }
}

/// Answers `POST /api/intent`.
pub async fn handle(exchange: &mut Exchange, config: &GatewayConfig) -> Reply {
    match answer_exchange(exchange, config).await {
        Ok(reply) => reply,
        Err(problem) => problem.into_reply(),
    }
}

async fn answer_exchange(
    exchange: &mut Exchange,
    config: &GatewayConfig,
) -> Result<Reply, Problem> {
    if exchange.method != Method::POST {
        return Ok(method_not_allowed(PATH, "POST"));
    }
    let content_type = exchange
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            format!("{PATH} takes application/json, not {:?}", content_type),
        )
        .for_path(PATH));
    }
    let body = exchange.body().await?;
    let parsed: IntentRequest = crate::json::from_slice(&body)
        .map_err(|e| bad_request("invalid-json", e.to_string(), e.pointer))?;
    let loaded: Loaded = intent_set::matcher(&config.intents_path)?;
    let matcher = &loaded.set.matcher;
    let started = Instant::now();
    let mut reply = answer_request(matcher, parsed, config)?;
    // Server-Timing (W3C): time spent matching, and on an instance's first request the set's load time.
    let mut timing = format!("match;dur={:.3}", started.elapsed().as_secs_f64() * 1000.0);
    if loaded.just_loaded {
        timing.push_str(&format!(
            ", intent-set-load;dur={:.3}",
            loaded.set.load_time.as_secs_f64() * 1000.0
        ));
    }
    if let Ok(value) = HeaderValue::from_str(&timing) {
        reply.headers.insert("server-timing", value);
    }
    Ok(reply)
}

/// `GET /api/intent-set`: the intent set exactly as the instance loaded it (not re-read from disk).
pub fn intent_set_file(exchange: &Exchange, config: &GatewayConfig) -> Reply {
    if exchange.method != Method::GET && exchange.method != Method::HEAD {
        return method_not_allowed("/api/intent-set", "GET, HEAD");
    }
    match intent_set::matcher(&config.intents_path) {
        Ok(loaded) => json_reply(StatusCode::OK, &loaded.set.matcher.to_config()),
        Err(problem) => problem.for_path("/api/intent-set").into_reply(),
    }
}

fn answer_request(
    matcher: &IntentMatcher,
    parsed: IntentRequest,
    config: &GatewayConfig,
) -> Result<Reply, Problem> {
    match (parsed.text, parsed.texts) {
        (Some(text), None) => {
            let answer = answer(matcher, &text, parsed.all, "/text")?;
            record_intent(answer.intent.as_deref());
            Ok(json_reply(StatusCode::OK, &answer))
        }
        (None, Some(texts)) => {
            if texts.len() > config.max_batch {
                return Err(bad_request(
                    "batch-too-large",
                    format!(
                        "{} texts in one batch; the limit is {} (INTENT_EDGE_MAX_BATCH)",
                        texts.len(),
                        config.max_batch
                    ),
                    "/texts",
                ));
            }
            let mut results = Vec::with_capacity(texts.len());
            for (i, text) in texts.iter().enumerate() {
                let answer = answer(matcher, text, parsed.all, &format!("/texts/{i}"))?;
                record_intent(answer.intent.as_deref());
                results.push(answer);
            }
            Ok(json_reply(StatusCode::OK, &BatchAnswer { results }))
        }
        (Some(_), Some(_)) => Err(bad_request(
            "ambiguous-request",
            "give either `text` or `texts`, not both",
            "",
        )),
        (None, None) => Err(bad_request(
            "missing-text",
            "the body needs a `text` string or a `texts` array",
            "/text",
        )),
    }
}

fn record_intent(intent: Option<&str>) {
    metrics::count(
        Counter::IntentMatches,
        &[intent.map_or("", metrics::intern)],
    );
}
