//! `LimiterCore`: the wasm half of the package's `RateLimiter` (src/js/package/engines.js).
//!
//! A decision is [`RateLimiter::check_brief`]: no allocation, answered as a code plus numbers the JS class reads
//! through getters (each a call with no string), so a check costs one string crossing (the key) and a handful of
//! number reads. The header strings are rendered only when a decision's `headers` are read, from the same numbers
//! (each quota's remaining count and reset in whole seconds, rounded up here so no float rounding can move it).

use super::typescript::*;
use super::{from_js, js_error, to_js};
use crate::ratelimit::{
    self, ratelimit_header_fields, retry_after_seconds, Brief, DenyReason, LimiterConfig,
    QuotaBrief,
};
use crate::time::Timestamp;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `check`'s answer: 0 allowed, else why not.
fn code(brief: &Brief) -> u32 {
    match brief.reason {
        None => 0,
        Some(DenyReason::QuotaExhausted) => 1,
        Some(DenyReason::KeyTableFull) => 2,
        Some(DenyReason::CostExceedsBurst) => 3,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The decisions of one `RateLimiter` (see the module docs). Used by the package's `RateLimiter` class; not meant
/// to be called directly.
#[wasm_bindgen]
pub struct LimiterCore {
    inner: ratelimit::RateLimiter,
    names: Vec<String>,
    last: Brief,
    quotas: Vec<QuotaBrief>,
}

#[wasm_bindgen]
impl LimiterCore {
    /// A limiter with these quotas. Throws a `TypeError` for a bad or unknown field, a `LimiterConfigError` naming
    /// the field at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(config: LimiterConfigJs) -> Result<LimiterCore, JsValue> {
        let config: LimiterConfig = from_js("limiter config", config.into())?;
        let inner = ratelimit::RateLimiter::new(config)
            .map_err(|e| js_error("LimiterConfigError", &e.to_string()))?;
        let names = inner.quota_names().map(str::to_owned).collect();
        let quotas = vec![QuotaBrief::default(); inner.quota_count()];
        Ok(LimiterCore {
            inner,
            names,
            last: Brief {
                allowed: true,
                reason: None,
                remaining: 0,
                reset: Duration::ZERO,
                retry_after: Duration::ZERO,
            },
            quotas,
        })
    }

    /// Decides one request of `cost` (a whole number ≥ 1, checked by the caller) for `key` at `now` (ms): 0 when
    /// allowed, else 1 quota exhausted, 2 key table full, 3 cost above a burst. The numbers are read next.
    pub fn check(&mut self, key: &str, cost: u32, now: f64) -> u32 {
        self.last =
            self.inner
                .check_brief(key, cost, Timestamp::from_millis_f64(now), &mut self.quotas);
        code(&self.last)
    }

    /// What `key` would get now, spending nothing (same answer as `check`).
    pub fn peek(&mut self, key: &str, now: f64) -> u32 {
        self.last = self
            .inner
            .peek_brief(key, Timestamp::from_millis_f64(now), &mut self.quotas);
        code(&self.last)
    }

    /// The last decision's smallest remaining count over all quotas.
    #[wasm_bindgen(getter)]
    pub fn remaining(&self) -> f64 {
        self.last.remaining as f64
    }

    /// The last decision's reset (ms) of the quota with the smallest remaining count.
    #[wasm_bindgen(getter, js_name = "resetMs")]
    pub fn reset_ms(&self) -> f64 {
        millis(self.last.reset)
    }

    /// The last decision's retry-after (ms; 0 when allowed).
    #[wasm_bindgen(getter, js_name = "retryAfterMs")]
    pub fn retry_after_ms(&self) -> f64 {
        millis(self.last.retry_after)
    }

    /// The last decision's `Retry-After` in whole seconds, or -1 when there is none to send.
    #[wasm_bindgen(getter, js_name = "retryAfterSeconds")]
    pub fn retry_after_seconds(&self) -> f64 {
        retry_after_seconds(&self.last).map_or(-1.0, |s| s as f64)
    }

    /// Quota `i`'s remaining count in the last decision.
    #[wasm_bindgen(js_name = "quotaRemaining")]
    pub fn quota_remaining(&self, i: usize) -> f64 {
        self.quotas.get(i).map_or(0.0, |q| q.remaining as f64)
    }

    /// Quota `i`'s reset (ms) in the last decision.
    #[wasm_bindgen(js_name = "quotaResetMs")]
    pub fn quota_reset_ms(&self, i: usize) -> f64 {
        self.quotas.get(i).map_or(0.0, |q| millis(q.reset))
    }

    /// Quota `i`'s reset in whole seconds, rounded up, in the last decision.
    #[wasm_bindgen(js_name = "quotaResetSeconds")]
    pub fn quota_reset_seconds(&self, i: usize) -> f64 {
        self.quotas.get(i).map_or(0.0, |q| q.reset_seconds() as f64)
    }

    /// Whether quota `i` allowed the last decision's request.
    #[wasm_bindgen(js_name = "quotaAllowed")]
    pub fn quota_allowed(&self, i: usize) -> bool {
        self.quotas.get(i).is_some_and(|q| q.allowed)
    }

    /// The `RateLimit` field value from per-quota `[remaining, reset in whole seconds]` pairs, flattened (as a
    /// decision kept them).
    #[wasm_bindgen(js_name = "rateLimitHeader")]
    pub fn rate_limit_header(&self, pairs: &[f64]) -> String {
        ratelimit_header_fields(
            self.names
                .iter()
                .zip(pairs.chunks_exact(2))
                .map(|(name, pair)| {
                    (
                        name.as_str(),
                        pair[0] as u64,
                        Duration::from_secs(pair[1] as u64),
                    )
                }),
        )
    }

    /// The quotas' names, in configuration order.
    #[wasm_bindgen(js_name = "quotaNames")]
    pub fn quota_names(&self) -> Vec<String> {
        self.names.clone()
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
