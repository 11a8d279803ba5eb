//! [`SlotLimiter`]: the rate limiter for a caller that keeps its keys itself and names each tracked key by a slot
//! number — the JavaScript package, whose keys stay in a JS `Map` so that a decision crosses into wasm with numbers
//! only (no string is copied, no hash is computed in wasm).
//!
//! It decides exactly as [`RateLimiter::check_n`] does over the same keys: the same GCRA test (`brief.rs`), the same
//! bounded key table in least-recently-used order, and the same rule for making room (forget the least recently
//! used key if it is idle, else every idle key once one can be, else deny with `KeyTableFull`). The tests below run
//! both over one random timeline, with a `HashMap` standing in for the caller's key index.
//!
//! The protocol: `check(slot, …)` with the key's slot if the caller holds one, `None` for a key it has not seen
//! (or that was forgotten); the answer carries the key's slot afterwards. Keys forgotten to make room are listed by
//! [`SlotLimiter::released`]: the caller drops them *before* recording the new key's slot (which may be one of
//! them).

use super::brief::{blocks, brief_from, gcra_test, next_tat};
use super::{
    Brief, DenyReason, LimiterConfig, LimiterConfigError, LimiterStats, Quota, QuotaBrief,
    RateLimiter,
};
use crate::recency::{RecencyList, SlotId};
use crate::time::Timestamp;
use std::time::Duration;

/// A rate limiter over caller-held keys named by slot numbers (see the module docs).
#[derive(Debug, Clone)]
pub struct SlotLimiter {
    quotas: Vec<Quota>,
    max_keys: usize,
    policy: String,
    /// Per slot, one TAT (nanoseconds) per quota: `tats[slot * quotas.len() + q]`.
    tats: Vec<u64>,
    live: Vec<bool>,
    recency: RecencyList,
    free: Vec<SlotId>,
    len: usize,
    /// No key becomes idle before this time (a lower bound); saves rescanning a full table of active keys.
    next_idle_at: u64,
    stats: LimiterStats,
    released: Vec<SlotId>,
}

impl SlotLimiter {
    /// Validates the configuration (as [`RateLimiter::new`]) and builds an empty limiter.
    pub fn new(config: LimiterConfig) -> Result<Self, LimiterConfigError> {
        let limiter = RateLimiter::new(config)?;
        Ok(SlotLimiter {
            policy: limiter.policy_header(),
            quotas: limiter.quotas,
            max_keys: limiter.max_keys,
            tats: Vec::new(),
            live: Vec::new(),
            recency: RecencyList::default(),
            free: Vec::new(),
            len: 0,
            next_idle_at: 0,
            stats: LimiterStats::default(),
            released: Vec::new(),
        })
    }

    fn tats(&self, slot: SlotId) -> &[u64] {
        let n = self.quotas.len();
        &self.tats[slot as usize * n..(slot as usize + 1) * n]
    }

    /// Whether `slot` names a tracked key.
    pub fn is_live(&self, slot: SlotId) -> bool {
        self.live.get(slot as usize).copied().unwrap_or(false)
    }

    /// Decides one request of `cost` (≥ 1) for the key in `slot` (`None`: a key not tracked) at `now`, writing each
    /// quota's state into `quotas`. Returns the decision and the key's slot afterwards (`None` when the key table
    /// was full of active keys). [`SlotLimiter::released`] lists the keys forgotten to make room.
    pub fn check(
        &mut self,
        slot: Option<SlotId>,
        cost: u32,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> (Brief, Option<SlotId>) {
        let t = now.as_nanos();
        let cost = cost.max(1);
        self.released.clear();
        let slot = match slot.filter(|&s| self.is_live(s)) {
            Some(slot) => {
                self.recency.touch(slot);
                slot
            }
            None => {
                if self.len >= self.max_keys && !self.make_room(t) {
                    self.stats.denied += 1;
                    let retry_after = Duration::from_nanos(self.next_idle_at.saturating_sub(t));
                    let reason = Some(DenyReason::KeyTableFull);
                    let brief = brief_from(
                        &self.quotas,
                        |_| 0,
                        t,
                        |_| true,
                        reason,
                        retry_after,
                        quotas,
                    );
                    return (brief, None);
                }
                self.track_new_key()
            }
        };
        let n = self.quotas.len();
        let range = slot as usize * n..(slot as usize + 1) * n;
        let (reason, retry_after) = gcra_test(&self.quotas, &self.tats[range.clone()], cost, t);
        if reason.is_none() {
            for (quota, tat) in self.quotas.iter().zip(&mut self.tats[range.clone()]) {
                *tat = next_tat(quota, *tat, cost, t);
            }
            self.stats.allowed += 1;
        } else {
            self.stats.denied += 1;
        }
        // A denied request changed nothing, so which quotas refused it can be read off the state it left.
        let tats = &self.tats[range];
        let blocked = |i: usize| reason.is_some() && blocks(&self.quotas[i], tats[i], cost, t);
        let brief = brief_from(
            &self.quotas,
            |i| tats[i],
            t,
            blocked,
            reason,
            retry_after,
            quotas,
        );
        (brief, Some(slot))
    }

    fn track_new_key(&mut self) -> SlotId {
        let n = self.quotas.len();
        let slot = match self.free.pop() {
            Some(slot) => {
                self.tats[slot as usize * n..(slot as usize + 1) * n].fill(0);
                self.live[slot as usize] = true;
                slot
            }
            None => {
                self.tats.resize(self.tats.len() + n, 0);
                self.live.push(true);
                (self.live.len() - 1) as SlotId
            }
        };
        self.recency.push_newest(slot);
        self.len += 1;
        slot
    }

    fn is_idle(&self, slot: SlotId, t: u64) -> bool {
        self.tats(slot).iter().all(|&tat| tat <= t)
    }

    fn vacate(&mut self, slot: SlotId) {
        self.recency.remove(slot);
        self.live[slot as usize] = false;
        self.free.push(slot);
        self.len -= 1;
    }

    /// Forgets idle keys so one more key fits; false if every tracked key is still active (as `RateLimiter` does).
    fn make_room(&mut self, t: u64) -> bool {
        // Cheap case first: the least recently used key is usually the one that went idle.
        if let Some(oldest) = self.recency.oldest() {
            if self.is_idle(oldest, t) {
                self.vacate(oldest);
                self.released.push(oldest);
                self.stats.forgotten_keys += 1;
                return true;
            }
        }
        if t < self.next_idle_at {
            return false;
        }
        let idle: Vec<SlotId> = self
            .recency
            .newest_first()
            .filter(|&slot| self.is_idle(slot, t))
            .collect();
        for &slot in &idle {
            self.vacate(slot);
        }
        self.stats.forgotten_keys += idle.len() as u64;
        self.next_idle_at = self
            .recency
            .newest_first()
            .map(|slot| self.tats(slot).iter().copied().max().unwrap_or(0))
            .min()
            .unwrap_or(0);
        self.released.extend_from_slice(&idle);
        !idle.is_empty()
    }

    /// What the key in `slot` (`None`: a key not tracked) would get now, spending nothing (as [`RateLimiter::peek`]).
    pub fn peek(&self, slot: Option<SlotId>, now: Timestamp, quotas: &mut [QuotaBrief]) -> Brief {
        let t = now.as_nanos();
        let fresh;
        let tats: &[u64] = match slot.filter(|&s| self.is_live(s)) {
            Some(slot) => self.tats(slot),
            None => {
                fresh = vec![0u64; self.quotas.len()];
                &fresh
            }
        };
        let (reason, retry_after) = gcra_test(&self.quotas, tats, 1, t);
        let blocked = |i: usize| blocks(&self.quotas[i], tats[i], 1, t);
        brief_from(
            &self.quotas,
            |i| tats[i],
            t,
            blocked,
            reason,
            retry_after,
            quotas,
        )
    }

    /// Forgets the key in `slot` (as if it had never been seen); true if it was tracked.
    pub fn forget(&mut self, slot: SlotId) -> bool {
        if !self.is_live(slot) {
            return false;
        }
        self.vacate(slot);
        true
    }

    /// Slots of the keys the last `check` forgot to make room.
    pub fn released(&self) -> &[SlotId] {
        &self.released
    }

    /// Keys tracked now.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many quotas every decision reports.
    pub fn quota_count(&self) -> usize {
        self.quotas.len()
    }

    /// The quotas' names, in configuration order.
    pub fn quota_names(&self) -> impl Iterator<Item = &str> {
        self.quotas.iter().map(|q| q.name.as_str())
    }

    /// The `RateLimit-Policy` field value.
    pub fn policy_header(&self) -> &str {
        &self.policy
    }

    /// Counters.
    pub fn stats(&self) -> LimiterStats {
        LimiterStats {
            keys: self.len,
            ..self.stats
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::QuotaConfig;
    use super::*;
    use std::collections::HashMap;

    /// `RateLimiter` by key and `SlotLimiter` by slot (with a `HashMap` as the caller's key index, dropping the
    /// keys the limiter forgets) over one pseudo-random timeline: every decision and counter agrees.
    #[test]
    fn decides_exactly_like_the_keyed_limiter() {
        let config = LimiterConfig {
            quotas: vec![
                QuotaConfig::per_second("s", 5).allow_burst(3),
                QuotaConfig::per_minute("m", 40),
                QuotaConfig::new("odd", 7, Duration::from_millis(1300)),
            ],
            max_keys: 4,
        };
        let mut keyed = RateLimiter::new(config.clone()).unwrap();
        let mut slotted = SlotLimiter::new(config).unwrap();
        let mut index: HashMap<String, SlotId> = HashMap::new();
        let mut key_of: HashMap<SlotId, String> = HashMap::new();
        let names: Vec<String> = keyed.quota_names().map(str::to_owned).collect();
        let names = || names.iter().map(String::as_str);
        let (mut expected_quotas, mut quotas) =
            ([QuotaBrief::default(); 3], [QuotaBrief::default(); 3]);
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let (mut now_ms, mut seen) = (0, Vec::new());
        for step in 0..30_000 {
            now_ms += if next(200) == 0 { 70_000 } else { next(120) };
            let now = Timestamp::from_millis(now_ms);
            let key = format!("k{}", next(7));
            let slot = index.get(&key).copied();
            match next(20) {
                0 => {
                    let want = keyed.peek_brief(&key, now, &mut expected_quotas);
                    let got = slotted.peek(slot, now, &mut quotas);
                    assert_eq!(
                        (got, quotas),
                        (want, expected_quotas),
                        "peek at step {step}"
                    );
                }
                1 => {
                    assert_eq!(
                        slot.is_some_and(|s| slotted.forget(s)),
                        keyed.reset_key(&key),
                        "forget at {step}"
                    );
                    if let Some(slot) = slot {
                        index.remove(&key);
                        key_of.remove(&slot);
                    }
                }
                _ => {
                    let cost = 1 + next(4) as u32;
                    let want = keyed.check_brief(&key, cost, now, &mut expected_quotas);
                    let (got, after) = slotted.check(slot, cost, now, &mut quotas);
                    assert_eq!(
                        got.into_decision(names(), &quotas),
                        want.into_decision(names(), &expected_quotas),
                        "step {step}"
                    );
                    for released in slotted.released() {
                        let gone = key_of.remove(released).expect("a released slot held a key");
                        index.remove(&gone);
                    }
                    if let Some(after) = after {
                        assert!(slot.is_none() || slot == Some(after));
                        index.insert(key.clone(), after);
                        key_of.insert(after, key);
                    }
                    if !seen.contains(&got.reason) {
                        seen.push(got.reason);
                    }
                }
            }
            assert_eq!(slotted.stats(), keyed.stats(), "counters at step {step}");
            assert_eq!(index.len(), slotted.len());
        }
        for reason in [
            None,
            Some(DenyReason::QuotaExhausted),
            Some(DenyReason::KeyTableFull),
            Some(DenyReason::CostExceedsBurst),
        ] {
            assert!(seen.contains(&reason), "{reason:?} never happened");
        }
        assert!(keyed.stats().forgotten_keys > 10, "{:?}", keyed.stats());
    }
}
