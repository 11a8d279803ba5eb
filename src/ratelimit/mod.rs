//! A GCRA rate limiter: several quotas per key, a bounded key table, and decisions that answer the caller's next
//! question (how many left, when it resets, when to retry), rendered as IETF `RateLimit-Policy` / `RateLimit` fields.
//!
//! # Algorithm
//! The Generic Cell Rate Algorithm keeps one number per key and quota: the *theoretical arrival time* (TAT). A quota
//! of `limit` requests per `window` with a burst of `burst` has an emission interval `T = window / limit`. A request
//! of cost `n` at time `t` is allowed iff `max(TAT, t) + n·T − burst·T ≤ t`; if allowed, TAT becomes
//! `max(TAT, t) + n·T`. This is exact (no window-boundary bursts, unlike fixed windows) and needs 8 bytes per quota per
//! key. A request is allowed only if *every* quota allows it; a denied request changes no state.
//!
//! # Bounded memory
//! The key table holds at most `maxKeys` keys, in least-recently-used order. A key whose every TAT is at or before
//! `now` is *idle*: forgetting it changes no decision, because a new key starts in exactly that state. When the table
//! is full, idle keys are forgotten to make room; if none is idle, the new key is denied (`KeyTableFull`) with a
//! retry-after telling when the first key becomes idle. Memory never grows past the bound and no decision is ever
//! changed by forgetting.
//!
//! Time is an argument ([`Timestamp`]); the limiter reads no clock.

mod brief;
mod headers;
mod slots;

pub use brief::{ratelimit_header_fields, retry_after_seconds, Brief, QuotaBrief};
pub use headers::{ratelimit_header, ratelimit_policy_header, retry_after_header};
pub use slots::SlotLimiter;

use crate::time::{duration_nanos, Timestamp};
use lru::LruCache;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// One quota: `limit` requests per `window`, with bursts of up to `burst` requests at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuotaConfig {
    /// Name used in the RateLimit header fields (letters, digits, `-`, `_`, `.`; at most 64).
    pub name: String,
    /// Requests allowed per window (≥ 1).
    pub limit: u32,
    /// Window length in milliseconds (≥ 1).
    pub window_ms: u64,
    /// Largest burst (defaults to `limit`: the whole window's budget may be spent at once).
    #[serde(default)]
    pub burst: Option<u32>,
}

impl QuotaConfig {
    /// `limit` requests per `window`, named `name`.
    pub fn new(name: &str, limit: u32, window: Duration) -> Self {
        QuotaConfig {
            name: name.to_owned(),
            limit,
            window_ms: window.as_millis() as u64,
            burst: None,
        }
    }

    /// `limit` requests per second.
    pub fn per_second(name: &str, limit: u32) -> Self {
        Self::new(name, limit, Duration::from_secs(1))
    }

    /// `limit` requests per minute.
    pub fn per_minute(name: &str, limit: u32) -> Self {
        Self::new(name, limit, Duration::from_secs(60))
    }

    /// The same quota with a different burst size.
    pub fn allow_burst(mut self, burst: u32) -> Self {
        self.burst = Some(burst);
        self
    }
}

/// The limiter's configuration: quotas applied together, and the key-table bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LimiterConfig {
    /// Every quota applies to every key; a request must pass all of them.
    pub quotas: Vec<QuotaConfig>,
    /// Most keys tracked at once (≥ 1). Default 100,000.
    #[serde(default = "default_max_keys")]
    pub max_keys: usize,
}

fn default_max_keys() -> usize {
    100_000
}

impl LimiterConfig {
    /// A config with these quotas and the default key bound.
    pub fn new(quotas: Vec<QuotaConfig>) -> Self {
        LimiterConfig {
            quotas,
            max_keys: default_max_keys(),
        }
    }
}

/// A limiter configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimiterConfigError {
    /// Where: `quotas`, `quotas[1].limit`, `maxKeys`, …
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LimiterConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid rate limiter config `{}`: {}",
            self.field, self.message
        )
    }
}

impl std::error::Error for LimiterConfigError {}

#[derive(Debug, Clone)]
struct Quota {
    name: String,
    limit: u32,
    window: Duration,
    burst: u32,
    /// Emission interval `T`, in nanoseconds (≥ 1).
    interval: u64,
    /// `burst · T`, in nanoseconds.
    tolerance: u64,
}

/// Why a request was denied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DenyReason {
    /// A quota is exhausted.
    QuotaExhausted,
    /// The key table is full of active keys; this key cannot be tracked yet.
    KeyTableFull,
    /// The request costs more than a quota's burst: it can never be allowed.
    CostExceedsBurst,
}

/// The state of one quota after a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaState {
    /// The quota's name.
    pub name: String,
    /// Requests still allowed right now.
    pub remaining: u64,
    /// Time until the full burst is available again.
    #[serde(serialize_with = "as_millis")]
    pub reset: Duration,
    /// Whether this quota allowed the request.
    pub allowed: bool,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Set when denied.
    pub reason: Option<DenyReason>,
    /// The smallest `remaining` over all quotas.
    pub remaining: u64,
    /// The reset of the quota with the smallest `remaining`.
    #[serde(serialize_with = "as_millis")]
    pub reset: Duration,
    /// When denied: how long to wait before the same request can be allowed (zero when allowed).
    #[serde(serialize_with = "as_millis")]
    pub retry_after: Duration,
    /// Per-quota detail, in configuration order.
    pub quotas: Vec<QuotaState>,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1000.0)
}

/// Counters since the limiter was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimiterStats {
    /// Requests allowed.
    pub allowed: u64,
    /// Requests denied.
    pub denied: u64,
    /// Idle keys forgotten to make room.
    pub forgotten_keys: u64,
    /// Keys tracked now.
    pub keys: usize,
}

/// A rate limiter over string keys.
pub struct RateLimiter {
    quotas: Vec<Quota>,
    max_keys: usize,
    /// Per key, one TAT (nanoseconds) per quota.
    table: LruCache<String, Box<[u64]>>,
    /// No key becomes idle before this time (a lower bound); saves rescanning a full table of active keys.
    next_idle_at: u64,
    stats: LimiterStats,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("quotas", &self.quotas)
            .field("keys", &self.table.len())
            .finish()
    }
}

fn is_valid_quota_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl RateLimiter {
    /// Validates the configuration and builds an empty limiter.
    pub fn new(config: LimiterConfig) -> Result<Self, LimiterConfigError> {
        let err = |field: String, message: &str| LimiterConfigError {
            field,
            message: message.to_owned(),
        };
        if config.quotas.is_empty() {
            return Err(err("quotas".into(), "must list at least one quota"));
        }
        if config.max_keys == 0 {
            return Err(err("maxKeys".into(), "must be at least 1"));
        }
        let mut quotas = Vec::with_capacity(config.quotas.len());
        for (i, q) in config.quotas.iter().enumerate() {
            if !is_valid_quota_name(&q.name) {
                return Err(err(
                    format!("quotas[{i}].name"),
                    "must be 1–64 characters of letters, digits, '-', '_' or '.'",
                ));
            }
            if quotas.iter().any(|other: &Quota| other.name == q.name) {
                return Err(err(
                    format!("quotas[{i}].name"),
                    "repeats the name of an earlier quota",
                ));
            }
            if q.limit == 0 {
                return Err(err(format!("quotas[{i}].limit"), "must be at least 1"));
            }
            if q.window_ms == 0 {
                return Err(err(format!("quotas[{i}].windowMs"), "must be at least 1"));
            }
            let burst = q.burst.unwrap_or(q.limit);
            if burst == 0 {
                return Err(err(format!("quotas[{i}].burst"), "must be at least 1"));
            }
            let window = Duration::from_millis(q.window_ms);
            let interval = (duration_nanos(window) / u64::from(q.limit)).max(1);
            quotas.push(Quota {
                name: q.name.clone(),
                limit: q.limit,
                window,
                burst,
                interval,
                tolerance: interval.saturating_mul(u64::from(burst)),
            });
        }
        Ok(RateLimiter {
            quotas,
            max_keys: config.max_keys,
            table: LruCache::unbounded(),
            next_idle_at: 0,
            stats: LimiterStats::default(),
        })
    }

    /// Decides one request of cost 1 for `key` at `now`.
    pub fn check(&mut self, key: &str, now: Timestamp) -> Decision {
        self.check_n(key, 1, now)
    }

    /// Decides one request of cost `cost` (≥ 1 units of every quota) for `key` at `now`.
    pub fn check_n(&mut self, key: &str, cost: u32, now: Timestamp) -> Decision {
        let t = now.as_nanos();
        let cost = cost.max(1);
        if !self.table.contains(key) && self.table.len() >= self.max_keys && !self.make_room(t) {
            self.stats.denied += 1;
            let fresh = vec![0u64; self.quotas.len()];
            let retry_after = Duration::from_nanos(self.next_idle_at.saturating_sub(t));
            let blocked = vec![true; self.quotas.len()];
            return self.decide(
                &fresh,
                t,
                &blocked,
                Some(DenyReason::KeyTableFull),
                retry_after,
            );
        }
        let fresh_state = || vec![0u64; self.quotas.len()].into_boxed_slice();
        let tats: &mut Box<[u64]> = self.table.get_or_insert_mut(key.to_owned(), fresh_state);
        let verdict = evaluate(&self.quotas, tats, cost, t);
        let state = if verdict.reason.is_none() {
            tats.copy_from_slice(&verdict.new_tats);
            self.stats.allowed += 1;
            verdict.new_tats
        } else {
            self.stats.denied += 1;
            tats.to_vec()
        };
        self.decide(
            &state,
            t,
            &verdict.blocked,
            verdict.reason,
            verdict.retry_after,
        )
    }

    fn decide(
        &self,
        tats: &[u64],
        t: u64,
        blocked: &[bool],
        reason: Option<DenyReason>,
        retry_after: Duration,
    ) -> Decision {
        let allowed = reason.is_none();
        let quotas: Vec<QuotaState> = self
            .quotas
            .iter()
            .zip(tats)
            .zip(blocked)
            .map(|((quota, &tat), &blocked)| {
                let backlog = tat.saturating_sub(t);
                let headroom = quota.tolerance.saturating_sub(backlog);
                QuotaState {
                    name: quota.name.clone(),
                    remaining: headroom / quota.interval,
                    reset: Duration::from_nanos(backlog),
                    allowed: !blocked,
                }
            })
            .collect();
        let tightest = quotas
            .iter()
            .min_by_key(|q| (q.remaining, std::cmp::Reverse(q.reset)));
        Decision {
            allowed,
            reason,
            remaining: tightest.map_or(0, |q| q.remaining),
            reset: tightest.map_or(Duration::ZERO, |q| q.reset),
            retry_after: if allowed { Duration::ZERO } else { retry_after },
            quotas,
        }
    }

    /// Forgets idle keys so one more key fits; false if every tracked key is still active.
    fn make_room(&mut self, t: u64) -> bool {
        // Cheap case first: the least recently used key is usually the one that went idle.
        if let Some((_, tats)) = self.table.peek_lru() {
            if tats.iter().all(|&tat| tat <= t) {
                self.table.pop_lru();
                self.stats.forgotten_keys += 1;
                return true;
            }
        }
        if t < self.next_idle_at {
            return false;
        }
        let idle: Vec<String> = self
            .table
            .iter()
            .filter(|(_, tats)| tats.iter().all(|&tat| tat <= t))
            .map(|(k, _)| k.clone())
            .collect();
        for key in &idle {
            self.table.pop(key);
        }
        self.stats.forgotten_keys += idle.len() as u64;
        self.next_idle_at = self
            .table
            .iter()
            .map(|(_, tats)| tats.iter().copied().max().unwrap_or(0))
            .min()
            .unwrap_or(0);
        !idle.is_empty()
    }

    /// The state `key` would report now, without spending anything.
    pub fn peek(&self, key: &str, now: Timestamp) -> Decision {
        let t = now.as_nanos();
        let fresh = vec![0u64; self.quotas.len()];
        let tats = self.table.peek(key).map_or(&fresh[..], |b| &b[..]);
        let verdict = evaluate(&self.quotas, tats, 1, t);
        self.decide(
            tats,
            t,
            &verdict.blocked,
            verdict.reason,
            verdict.retry_after,
        )
    }

    /// Forgets `key` (as if it had never been seen).
    pub fn reset_key(&mut self, key: &str) -> bool {
        self.table.pop(key).is_some()
    }

    /// Keys tracked now.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Counters.
    pub fn stats(&self) -> LimiterStats {
        LimiterStats {
            keys: self.table.len(),
            ..self.stats
        }
    }

    /// The `RateLimit-Policy` field value for this limiter's quotas.
    pub fn policy_header(&self) -> String {
        ratelimit_policy_header(
            self.quotas
                .iter()
                .map(|q| (q.name.as_str(), q.limit, q.window)),
        )
    }
}

/// The GCRA test of one request of `cost` at `t` against every quota, changing nothing.
struct Verdict {
    /// Each quota's TAT if the request were allowed.
    new_tats: Vec<u64>,
    /// Which quotas refuse it.
    blocked: Vec<bool>,
    /// `None` when every quota allows it.
    reason: Option<DenyReason>,
    /// How long until it would pass (`Duration::MAX` when it never can).
    retry_after: Duration,
}

fn evaluate(quotas: &[Quota], tats: &[u64], cost: u32, t: u64) -> Verdict {
    let mut verdict = Verdict {
        new_tats: Vec::with_capacity(quotas.len()),
        blocked: Vec::with_capacity(quotas.len()),
        reason: None,
        retry_after: Duration::ZERO,
    };
    let mut wait = 0u64;
    for (quota, &tat) in quotas.iter().zip(tats) {
        let new_tat = tat
            .max(t)
            .saturating_add(quota.interval.saturating_mul(u64::from(cost)));
        let allow_at = new_tat.saturating_sub(quota.tolerance);
        let blocked = if cost > quota.burst {
            verdict.reason = Some(DenyReason::CostExceedsBurst);
            true
        } else if allow_at > t {
            wait = wait.max(allow_at - t);
            verdict.reason.get_or_insert(DenyReason::QuotaExhausted);
            true
        } else {
            false
        };
        verdict.new_tats.push(new_tat);
        verdict.blocked.push(blocked);
    }
    verdict.retry_after = if verdict.reason == Some(DenyReason::CostExceedsBurst) {
        Duration::MAX
    } else {
        Duration::from_nanos(wait)
    };
    verdict
}

#[cfg(test)]
mod tests;
