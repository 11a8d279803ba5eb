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
//! The key table holds at most `maxKeys` keys. A key whose every TAT is at or before `now` is *idle*: forgetting it
//! changes no decision, because a new key starts in exactly that state. When a new key finds the table full, the
//! limiter forgets *any* idle key to make room: keys are indexed by the time they become idle (a min-heap whose
//! entries are lower bounds, refreshed lazily when popped), so finding one costs O(log n) amortized and the requests
//! of known keys pay nothing for it. Memory never grows past the bound, and forgetting idle keys never changes a
//! decision.
//!
//! When every slot holds an *active* key, a new key is handled by the configured [`FullTablePolicy`]: denied until
//! the first key goes idle (`deny`, the default: exact for every tracked key), or admitted by forgetting the key that
//! goes idle soonest (`forgetSoonestIdle`: new clients are never refused, at the price of forgiving that key's
//! remaining backlog), or decided against one shared overflow bucket with the same quotas (`sharedOverflow`: a flood
//! of new keys shares one client's budget, tracked keys are untouched). [`LimiterStats`] counts each case.
//!
//! Time is an argument ([`Timestamp`]); the limiter reads no clock.

mod brief;
mod headers;

pub use brief::{ratelimit_header_fields, retry_after_seconds, Brief, KeySlot, QuotaBrief};
pub use headers::{ratelimit_header, ratelimit_policy_header, retry_after_header};

use crate::time::{duration_nanos, Timestamp};
use hashbrown::HashTable;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
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
    /// What happens to a new key when every slot holds an active key (default `deny`).
    #[serde(default)]
    pub on_full: FullTablePolicy,
}

/// What a new key meets when the key table is full and no tracked key is idle.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FullTablePolicy {
    /// Deny the new key (`KeyTableFull`) until the first tracked key goes idle. Tracked keys stay exact.
    #[default]
    Deny,
    /// Forget the tracked key that goes idle soonest and admit the new one: nobody new is refused, and the forgotten
    /// key's remaining backlog is forgiven (at most one burst of extra requests for it).
    ForgetSoonestIdle,
    /// Decide the new key against one overflow bucket shared by every key that did not fit, with the same quotas.
    SharedOverflow,
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
            on_full: FullTablePolicy::Deny,
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

/// One quota as GCRA sees it: the emission interval `T`, the tolerance `τ = burst · T` (both in nanoseconds) and
/// the burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GcraParams {
    pub interval_nanos: u64,
    pub tolerance_nanos: u64,
    pub burst: u32,
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
    /// Times a new key found every slot held by an active key (handled by the [`FullTablePolicy`]).
    pub table_full: u64,
    /// Active keys forgotten under [`FullTablePolicy::ForgetSoonestIdle`].
    pub forgotten_active_keys: u64,
    /// Decisions made against the shared overflow bucket ([`FullTablePolicy::SharedOverflow`]).
    pub overflow_decisions: u64,
    /// Keys tracked now.
    pub keys: usize,
}

/// One tracked key.
struct Slot {
    key: Box<str>,
    /// Bumped when the slot is freed, so idle-queue entries of an earlier key are recognised as stale.
    generation: u32,
    live: bool,
}

/// An idle-queue entry: no earlier than `idle_at` (nanoseconds) will the key in `slot` be idle.
type IdleEntry = Reverse<(u64, u32, u32)>;

/// A rate limiter over string keys.
pub struct RateLimiter {
    quotas: Vec<Quota>,
    max_keys: usize,
    on_full: FullTablePolicy,
    hasher: RandomState,
    /// Key → slot index; the key itself is stored once, in the slot.
    index: HashTable<u32>,
    slots: Vec<Slot>,
    /// One TAT (nanoseconds) per quota per slot: slot `i` owns `tats[i·q .. (i+1)·q]`.
    tats: Vec<u64>,
    free: Vec<u32>,
    /// Min-heap of lower bounds of the time each live key goes idle (exactly one entry per live key, plus stale
    /// entries of freed slots, dropped when met).
    idle_queue: BinaryHeap<IdleEntry>,
    /// TATs of the bucket shared by keys that did not fit ([`FullTablePolicy::SharedOverflow`]).
    overflow: Vec<u64>,
    live: usize,
    stats: LimiterStats,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("quotas", &self.quotas)
            .field("keys", &self.live)
            .finish()
    }
}

/// What a full table does for a new key.
enum Room {
    /// A slot is free (or was freed).
    Made,
    /// Every tracked key is active; the first goes idle at this time (nanoseconds).
    Full { first_idle_at: u64 },
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
        let quota_count = quotas.len();
        Ok(RateLimiter {
            quotas,
            max_keys: config.max_keys,
            on_full: config.on_full,
            hasher: RandomState::new(),
            index: HashTable::new(),
            slots: Vec::new(),
            tats: Vec::new(),
            free: Vec::new(),
            idle_queue: BinaryHeap::new(),
            overflow: vec![0; quota_count],
            live: 0,
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
        let slot = match self.find(key) {
            Some(slot) => slot,
            None => match self.admit_new_key(key, cost, t) {
                Ok(slot) => slot,
                Err(decision) => return decision,
            },
        };
        let q = self.quotas.len();
        let range = slot as usize * q..(slot as usize + 1) * q;
        self.decide_against(range.start, cost, t, false)
    }

    /// Decides a request against the TATs at `tats[start..start + q]` (or the overflow bucket), updating them when
    /// allowed.
    fn decide_against(&mut self, start: usize, cost: u32, t: u64, overflow: bool) -> Decision {
        let q = self.quotas.len();
        let tats = if overflow {
            &mut self.overflow[..]
        } else {
            &mut self.tats[start..start + q]
        };
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

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    fn find(&self, key: &str) -> Option<u32> {
        let slots = &self.slots;
        self.index
            .find(self.hash(key), |&slot| &*slots[slot as usize].key == key)
            .copied()
    }

    /// A slot for a key not in the table, or the decision to return instead (table full of active keys).
    fn admit_new_key(&mut self, key: &str, cost: u32, t: u64) -> Result<u32, Decision> {
        if self.live >= self.max_keys {
            if let Room::Full { first_idle_at } = self.make_room(t) {
                self.stats.table_full += 1;
                match self.on_full {
                    FullTablePolicy::Deny => {
                        self.stats.denied += 1;
                        let fresh = vec![0u64; self.quotas.len()];
                        let blocked = vec![true; self.quotas.len()];
                        let retry_after = Duration::from_nanos(first_idle_at.saturating_sub(t));
                        return Err(self.decide(
                            &fresh,
                            t,
                            &blocked,
                            Some(DenyReason::KeyTableFull),
                            retry_after,
                        ));
                    }
                    FullTablePolicy::SharedOverflow => {
                        self.stats.overflow_decisions += 1;
                        return Err(self.decide_against(0, cost, t, true));
                    }
                    FullTablePolicy::ForgetSoonestIdle => {
                        let Some(Reverse((_, slot, _))) = self.idle_queue.pop() else {
                            unreachable!("a full table has a live key in the idle queue")
                        };
                        self.remove_slot(slot);
                        self.stats.forgotten_active_keys += 1;
                    }
                }
            }
        }
        Ok(self.insert(key))
    }

    /// Inserts `key` with a fresh (idle) state.
    fn insert(&mut self, key: &str) -> u32 {
        let q = self.quotas.len();
        let slot = match self.free.pop() {
            Some(slot) => {
                let s = &mut self.slots[slot as usize];
                s.key = key.into();
                s.live = true;
                self.tats[slot as usize * q..(slot as usize + 1) * q].fill(0);
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len()).expect("maxKeys fits in u32 slots");
                self.slots.push(Slot {
                    key: key.into(),
                    generation: 0,
                    live: true,
                });
                self.tats.extend(std::iter::repeat_n(0, q));
                slot
            }
        };
        let hash = self.hash(key);
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.index
            .insert_unique(hash, slot, |&s| hasher.hash_one(&*slots[s as usize].key));
        // A fresh key is idle now; its entry is refreshed lazily when it reaches the top of the queue.
        self.idle_queue
            .push(Reverse((0, slot, self.slots[slot as usize].generation)));
        self.live += 1;
        self.compact_idle_queue();
        slot
    }

    /// Forgets the key in `slot`.
    fn remove_slot(&mut self, slot: u32) {
        let hash = self.hash(&self.slots[slot as usize].key);
        if let Ok(entry) = self.index.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        let s = &mut self.slots[slot as usize];
        s.live = false;
        s.generation = s.generation.wrapping_add(1);
        s.key = Box::from("");
        self.free.push(slot);
        self.live -= 1;
    }

    /// When the key in `slot` goes idle: its latest TAT.
    fn idle_at(&self, slot: u32) -> u64 {
        let q = self.quotas.len();
        self.tats[slot as usize * q..(slot as usize + 1) * q]
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
    }

    /// Forgets one idle key if there is one. Leaves the top of the idle queue exact (its entry is the true time the
    /// first key goes idle), which [`FullTablePolicy::ForgetSoonestIdle`] relies on.
    fn make_room(&mut self, t: u64) -> Room {
        while let Some(&Reverse((at, slot, generation))) = self.idle_queue.peek() {
            let s = &self.slots[slot as usize];
            if !s.live || s.generation != generation {
                self.idle_queue.pop();
                continue;
            }
            let actual = self.idle_at(slot);
            if actual > at {
                // The key was used since this entry was made: move it to when it really goes idle.
                self.idle_queue.pop();
                self.idle_queue.push(Reverse((actual, slot, generation)));
                continue;
            }
            if at <= t {
                self.idle_queue.pop();
                self.remove_slot(slot);
                self.stats.forgotten_keys += 1;
                return Room::Made;
            }
            return Room::Full { first_idle_at: at };
        }
        Room::Made
    }

    /// Drops stale entries when they outnumber live keys (only freed slots leave them).
    fn compact_idle_queue(&mut self) {
        if self.idle_queue.len() > 2 * self.live + 1024 {
            let slots = &self.slots;
            self.idle_queue.retain(|Reverse((_, slot, generation))| {
                let s = &slots[*slot as usize];
                s.live && s.generation == *generation
            });
        }
    }

    fn decide(
        &self,
        tats: &[u64],
        t: u64,
        blocked: &[bool],
        reason: Option<DenyReason>,
        retry_after: Duration,
    ) -> Decision {
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
        let tightest = brief::tightest(quotas.iter().map(|q| (q.remaining, q.reset)));
        Brief::with_tightest(reason, retry_after, tightest).with_quotas(quotas)
    }

    /// Each quota's GCRA parameters, in configuration order: what a decision made elsewhere (the gateway's Redis
    /// script, `crate::gateway::shared::limit_script`) needs to decide exactly as this limiter does.
    pub fn gcra_params(&self) -> Vec<GcraParams> {
        self.quotas
            .iter()
            .map(|q| GcraParams {
                interval_nanos: q.interval,
                tolerance_nanos: q.tolerance,
                burst: q.burst,
            })
            .collect()
    }

    /// The state `key` would report now, without spending anything.
    pub fn peek(&self, key: &str, now: Timestamp) -> Decision {
        let t = now.as_nanos();
        let q = self.quotas.len();
        let fresh = vec![0u64; q];
        let tats = match self.find(key) {
            Some(slot) => &self.tats[slot as usize * q..(slot as usize + 1) * q],
            None => &fresh[..],
        };
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
        match self.find(key) {
            Some(slot) => {
                self.remove_slot(slot);
                true
            }
            None => false,
        }
    }

    /// Keys tracked now.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Counters.
    pub fn stats(&self) -> LimiterStats {
        LimiterStats {
            keys: self.live,
            ..self.stats
        }
    }

    /// The policy for a new key when the table is full of active keys.
    pub fn full_table_policy(&self) -> FullTablePolicy {
        self.on_full
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
