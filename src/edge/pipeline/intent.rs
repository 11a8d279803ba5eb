//! The intent stage: on an intent route, the request body's text is matched against the intent set before anything
//! else, so the intent and its slots can choose the quota, form the cache key and reach the origin as headers.
//! Other targets pass through untouched.

use super::{Exchange, MatchedIntent, Reply, Stage, Target};
use crate::edge::config::GatewayConfig;
use crate::edge::intent_set;
use crate::edge::metrics::{self, Counter};
use crate::edge::problem::Problem;
use crate::intent::MatchError;
use http::StatusCode;

pub struct IntentStage<N> {
    config: &'static GatewayConfig,
    pub(super) next: N,
}

impl<N: Stage> IntentStage<N> {
    pub fn new(config: &'static GatewayConfig, next: N) -> Self {
        IntentStage { config, next }
    }

    async fn classify(
        &self,
        exchange: &mut Exchange,
        pointer: Option<&str>,
    ) -> Result<MatchedIntent, Problem> {
        let body = exchange.body().await?;
        let bad = |detail: String, at: &str| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "intent-text-unreadable",
                "Intent text unreadable",
                detail,
            )
            .at(at)
            .for_path(&exchange.path)
        };
        let text = match pointer {
            None | Some("") => String::from_utf8(body.to_vec())
                .map_err(|e| bad(format!("the body is not UTF-8 text: {e}"), ""))?,
            Some(pointer) => {
                let document: serde_json::Value = crate::json::from_slice(&body)
                    .map_err(|e| bad(format!("the body is not JSON: {e}"), &e.pointer))?;
                match document.pointer(pointer) {
                    Some(serde_json::Value::String(text)) => text.clone(),
                    Some(_) => return Err(bad(format!("{pointer} is not a string"), pointer)),
                    None => return Err(bad(format!("the body has no {pointer}"), pointer)),
                }
            }
        };
        let loaded = intent_set::matcher(&self.config.intents_path)?;
        let found = loaded.set.matcher.find(&text).map_err(|e| match e {
            MatchError::TextTooLong { .. } => bad(e.to_string(), pointer.unwrap_or("")),
            other => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "search-failed",
                "Search failed",
                other.to_string(),
            ),
        })?;
        metrics::count(
            Counter::IntentMatches,
            &[found.as_ref().map_or("", |m| metrics::intern(&m.intent))],
        );
        Ok(match found {
            Some(m) => MatchedIntent {
                id: Some(m.intent),
                slots: m.slots.into_iter().map(|s| (s.name, s.value)).collect(),
            },
            None => MatchedIntent {
                id: None,
                slots: Vec::new(),
            },
        })
    }
}

impl<N: Stage> Stage for IntentStage<N> {
    async fn handle(&'static self, exchange: &mut Exchange) -> Reply {
        if let Target::Proxy(route) = exchange.target {
            if let Some(spec) = &route.intent {
                match self.classify(exchange, spec.text_pointer.as_deref()).await {
                    Ok(intent) => exchange.intent = Some(intent),
                    Err(problem) => return problem.into_reply(),
                }
            }
        }
        self.next.handle(exchange).await
    }
}
