//! `LimiterCore`: the wasm half of the package's `RateLimiter` (src/js/package/engines.js).
//!
//! The JavaScript class keeps the keys it has seen in a `Map`, next to the slot ([`KeySlot`]) each lives in, and asks
//! by slot (`checkSlot`): a decision for a known key crosses into wasm with numbers only — no string copied, no hash
//! computed — through [`RateLimiter::check_slot_brief`], the same decision `check_n` makes. A new key, or one the
//! limiter forgot since (its slot's generation moved on), is decided by key (`check`), which also says where it lives.
//!
//! Both answer with one number, `reason + 4 × tracked + 16 × remaining` (or -1 from `checkSlot` when the slot no
//! longer holds the key): the reason is 0 (allowed), 1 (quota exhausted), 2 (key table full) or 3 (cost above a
//! burst); `tracked` says the key has a slot (read `slot` and `generation`). The other numbers are read through
//! getters. The header strings are rendered only when a decision's `headers` are read, from numbers the decision kept
//! (each quota's remaining count and reset in whole seconds, rounded up here so no float rounding can move it).

use super::typescript::*;
use super::{from_js, js_error, to_js};
use crate::ratelimit::{
    ratelimit_header_fields, retry_after_seconds, Brief, DenyReason, KeySlot, LimiterConfig,
    QuotaBrief, RateLimiter,
};
use crate::time::Timestamp;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `check`'s and `peek`'s answer (see the module docs).
fn answer(brief: &Brief, tracked: bool) -> f64 {
    let reason = match brief.reason {
        None => 0,
        Some(DenyReason::QuotaExhausted) => 1,
        Some(DenyReason::KeyTableFull) => 2,
        Some(DenyReason::CostExceedsBurst) => 3,
    };
    let flags = reason + 4 * u64::from(tracked);
    flags as f64 + 16.0 * brief.remaining as f64
}

/// `checkSlot`'s answer when the slot no longer holds the key.
const STALE: f64 = -1.0;

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The decisions of one `RateLimiter` (see the module docs). Used by the package's `RateLimiter` class; not meant
/// to be called directly.
#[wasm_bindgen]
pub struct LimiterCore {
    inner: RateLimiter,
    names: Vec<String>,
    last: Brief,
    quotas: Vec<QuotaBrief>,
    /// Where the key of the last `check` by key lives.
    at: KeySlot,
}

#[wasm_bindgen]
impl LimiterCore {
    /// A limiter with these quotas. Throws a `TypeError` for a bad or unknown field, a `LimiterConfigError` naming
    /// the field at fault.
    #[wasm_bindgen(constructor)]
    pub fn new(config: LimiterConfigJs) -> Result<LimiterCore, JsValue> {
        let config: LimiterConfig = from_js("limiter config", config.into())?;
        let inner =
            RateLimiter::new(config).map_err(|e| js_error("LimiterConfigError", &e.to_string()))?;
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
            at: KeySlot {
                slot: 0,
                generation: 0,
            },
        })
    }

    /// Decides one request of `cost` (a whole number ≥ 1, checked by the caller) for `key` at `now` (ms). Returns the
    /// answer described in the module docs.
    pub fn check(&mut self, key: &str, cost: u32, now: f64) -> f64 {
        let now = Timestamp::from_millis_f64(now);
        let (brief, at) = self.inner.check_brief(key, cost, now, &mut self.quotas);
        self.last = brief;
        if let Some(at) = at {
            self.at = at;
        }
        answer(&brief, at.is_some())
    }

    /// Decides one request for the key that `check` placed in `slot` (of `generation`): the answer, or -1 when the
    /// slot no longer holds that key (decide by key again).
    #[wasm_bindgen(js_name = "checkSlot")]
    pub fn check_slot(&mut self, slot: u32, generation: u32, cost: u32, now: f64) -> f64 {
        let at = KeySlot { slot, generation };
        let now = Timestamp::from_millis_f64(now);
        match self.inner.check_slot_brief(at, cost, now, &mut self.quotas) {
            Some(brief) => {
                self.last = brief;
                answer(&brief, true)
            }
            None => STALE,
        }
    }

    /// What `key` would get now, spending nothing (same answer as `check`).
    pub fn peek(&mut self, key: &str, now: f64) -> f64 {
        let now = Timestamp::from_millis_f64(now);
        self.last = self.inner.peek_brief(key, now, &mut self.quotas);
        answer(&self.last, false)
    }

    /// `peek` for the key in `slot` (of `generation`), or -1 when the slot no longer holds it.
    #[wasm_bindgen(js_name = "peekSlot")]
    pub fn peek_slot(&mut self, slot: u32, generation: u32, now: f64) -> f64 {
        let at = KeySlot { slot, generation };
        let now = Timestamp::from_millis_f64(now);
        match self.inner.peek_slot_brief(at, now, &mut self.quotas) {
            Some(brief) => {
                self.last = brief;
                answer(&brief, false)
            }
            None => STALE,
        }
    }

    /// The slot of the key of the last `check` by key.
    #[wasm_bindgen(getter)]
    pub fn slot(&self) -> u32 {
        self.at.slot
    }

    /// That slot's generation.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.at.generation
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

    /// Forgets the key in `slot` (of `generation`); false when the slot no longer holds it.
    #[wasm_bindgen(js_name = "resetSlot")]
    pub fn reset_slot(&mut self, slot: u32, generation: u32) -> bool {
        self.inner.reset_slot(KeySlot { slot, generation })
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
