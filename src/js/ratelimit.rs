//! `RateLimiter` for JavaScript; decisions carry the HTTP header values to send.

use super::typescript::*;
use super::{from_js, js_error, now_or_clock, number_field, options_object, to_js};
use crate::ratelimit::{self, Decision, LimiterConfig};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Serialize)]
struct DecisionWithHeaders<'a> {
    #[serde(flatten)]
    decision: &'a Decision,
    headers: BTreeMap<&'static str, String>,
}

/// A GCRA rate limiter over string keys (client IP, API key, intent, …).
#[wasm_bindgen]
pub struct RateLimiter {
    inner: ratelimit::RateLimiter,
}

#[wasm_bindgen]
impl RateLimiter {
    /// A limiter with these quotas. Throws a `LimiterConfigError` naming the field at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(config: LimiterConfigJs) -> Result<RateLimiter, JsValue> {
        let config: LimiterConfig = from_js("limiter config", config.into())?;
        let inner = ratelimit::RateLimiter::new(config)
            .map_err(|e| js_error("LimiterConfigError", &e.to_string()))?;
        Ok(RateLimiter { inner })
    }

    /// Decides one request for `key`, spending `cost` (default 1) of every quota if allowed.
    pub fn check(&mut self, key: &str, options: CheckOptionsJs) -> Result<DecisionJs, JsValue> {
        let (mut cost, mut now) = (None, None);
        if let Some(options) = options_object("check options", &options.into(), &["cost", "now"])? {
            cost = number_field(&options, "cost")?;
            now = number_field(&options, "now")?;
        }
        let cost = match cost {
            None => 1,
            Some(c)
                if c.is_finite() && c >= 1.0 && c <= f64::from(u32::MAX) && c.fract() == 0.0 =>
            {
                c as u32
            }
            Some(c) => {
                return Err(js_error(
                    "RangeError",
                    &format!("`cost` must be a whole number ≥ 1, got {c}"),
                ))
            }
        };
        let decision = self.inner.check_n(key, cost, now_or_clock(now));
        self.with_headers(&decision)
    }

    /// The state of `key` without spending anything.
    pub fn peek(&self, key: &str, now: Option<f64>) -> Result<DecisionJs, JsValue> {
        let decision = self.inner.peek(key, now_or_clock(now));
        self.with_headers(&decision)
    }

    fn with_headers(&self, decision: &Decision) -> Result<DecisionJs, JsValue> {
        let mut headers = BTreeMap::new();
        headers.insert("RateLimit-Policy", self.inner.policy_header());
        headers.insert("RateLimit", ratelimit::ratelimit_header(decision));
        if let Some(retry) = ratelimit::retry_after_header(decision) {
            headers.insert("Retry-After", retry);
        }
        Ok(to_js(&DecisionWithHeaders { decision, headers })?.unchecked_into())
    }

    /// Forgets `key`; true if it was tracked.
    #[wasm_bindgen(js_name = "resetKey")]
    pub fn reset_key(&mut self, key: &str) -> bool {
        self.inner.reset_key(key)
    }

    /// The `RateLimit-Policy` header value.
    #[wasm_bindgen(js_name = "policyHeader")]
    pub fn policy_header(&self) -> String {
        self.inner.policy_header()
    }

    /// Allowed, denied, forgotten keys and keys tracked.
    pub fn stats(&self) -> Result<LimiterStatsJs, JsValue> {
        Ok(to_js(&self.inner.stats())?.unchecked_into())
    }
}
