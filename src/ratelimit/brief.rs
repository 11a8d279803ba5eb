//! Decisions without allocation: [`RateLimiter::check_brief`] decides exactly as [`RateLimiter::check_n`] does,
//! but answers with plain numbers ([`Brief`], and one [`QuotaBrief`] per quota written into the caller's buffer)
//! instead of a [`Decision`] with a `Vec` of named quota states; it also says where the key lives ([`KeySlot`]), and
//! [`RateLimiter::check_slot_brief`] decides later requests for that key by its slot, without the key.
//!
//! This is the hot path of the JavaScript package, which keeps its keys in a JS `Map` next to their slots: a
//! decision for a known key crosses into wasm with numbers only (no string copied, no hash computed), and the header
//! strings are rendered only when asked for, from the same numbers, by [`ratelimit_header_fields`] and
//! [`retry_after_seconds`].
//! [`Brief::into_decision`] turns a brief back into the full [`Decision`], which the tests use to pin both paths to
//! the same answers.

use super::headers::ceil_secs;
use super::{Decision, DenyReason, GcraParams, Quota, QuotaState, RateLimiter};
use crate::time::Timestamp;
use std::time::Duration;

/// The answer to one request, as numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Set when denied.
    pub reason: Option<DenyReason>,
    /// The smallest `remaining` over all quotas.
    pub remaining: u64,
    /// The reset of the quota with the smallest `remaining`.
    pub reset: Duration,
    /// When denied: how long until the same request can be allowed (`Duration::MAX`: never); zero when allowed.
    pub retry_after: Duration,
}

/// One quota's part in a decision (its name is the limiter's: [`RateLimiter::quota_names`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuotaBrief {
    /// Requests this quota still allows right now.
    pub remaining: u64,
    /// Time until this quota's full burst is available again.
    pub reset: Duration,
    /// Whether this quota allowed the request.
    pub allowed: bool,
}

impl QuotaBrief {
    /// The reset in whole seconds, rounded up (what the `RateLimit` field's `t` says).
    pub fn reset_seconds(&self) -> u64 {
        ceil_secs(self.reset)
    }
}

impl Brief {
    /// The full [`Decision`] these numbers stand for, with the quotas named as `names` (configuration order).
    pub fn into_decision<'a>(
        self,
        names: impl IntoIterator<Item = &'a str>,
        quotas: &[QuotaBrief],
    ) -> Decision {
        self.with_quotas(
            names
                .into_iter()
                .zip(quotas)
                .map(|(name, q)| QuotaState {
                    name: name.to_owned(),
                    remaining: q.remaining,
                    reset: q.reset,
                    allowed: q.allowed,
                })
                .collect(),
        )
    }

    /// The full [`Decision`]: these numbers and each quota's state.
    pub(super) fn with_quotas(self, quotas: Vec<QuotaState>) -> Decision {
        Decision {
            allowed: self.allowed,
            reason: self.reason,
            remaining: self.remaining,
            reset: self.reset,
            retry_after: self.retry_after,
            quotas,
        }
    }
}

impl Brief {
    /// A decision's numbers from its per-quota states (made elsewhere: the gateway's Redis script, a remembered
    /// denial): the tightest quota's remaining and reset, picked as [`RateLimiter::check_n`] picks it (the first
    /// with the fewest remaining, and of those the latest reset); `retry_after` counts only for a denial.
    pub fn from_quotas(
        reason: Option<DenyReason>,
        retry_after: Duration,
        quotas: &[QuotaBrief],
    ) -> Brief {
        let tightest = tightest(quotas.iter().map(|q| (q.remaining, q.reset)));
        Brief::with_tightest(reason, retry_after, tightest)
    }

    /// A decision's numbers from its tightest quota's `(remaining, reset)` ([`tightest`]; none without quotas);
    /// `retry_after` counts only for a denial.
    pub(super) fn with_tightest(
        reason: Option<DenyReason>,
        retry_after: Duration,
        tightest: Option<(u64, Duration)>,
    ) -> Brief {
        let allowed = reason.is_none();
        let (remaining, reset) = tightest.unwrap_or((0, Duration::ZERO));
        Brief {
            allowed,
            reason,
            remaining,
            reset,
            retry_after: if allowed { Duration::ZERO } else { retry_after },
        }
    }
}

/// The tightest of a decision's quotas, given as `(remaining, reset)`: the first with the fewest remaining, and of
/// those the latest reset. Every decision (`check_n`, the compact brief, the Redis script's answer) picks it so.
pub(super) fn tightest(
    quotas: impl IntoIterator<Item = (u64, Duration)>,
) -> Option<(u64, Duration)> {
    quotas
        .into_iter()
        .min_by_key(|&(remaining, reset)| (remaining, std::cmp::Reverse(reset)))
}

impl GcraParams {
    /// This quota's state when `backlog` of its tolerance is spent (its TAT minus now), as a decision reports it.
    pub fn state(&self, backlog: Duration, allowed: bool) -> QuotaBrief {
        let backlog = u64::try_from(backlog.as_nanos()).unwrap_or(u64::MAX);
        QuotaBrief {
            remaining: self.tolerance_nanos.saturating_sub(backlog) / self.interval_nanos.max(1),
            reset: Duration::from_nanos(backlog),
            allowed,
        }
    }
}

/// `Retry-After` in whole seconds (rounded up, at least 1) for a denial that can be retried; `None` when the
/// request was allowed or can never be (as [`super::retry_after_header`] decides).
pub fn retry_after_seconds(brief: &Brief) -> Option<u64> {
    if brief.allowed || brief.retry_after == Duration::MAX {
        return None;
    }
    Some(ceil_secs(brief.retry_after).max(1))
}

/// The `RateLimit` field value from each quota's name, remaining count and reset (as [`super::ratelimit_header`]
/// renders a [`Decision`]).
pub fn ratelimit_header_fields<'a>(
    quotas: impl IntoIterator<Item = (&'a str, u64, Duration)>,
) -> String {
    super::headers::ratelimit_items(quotas)
}

/// Where a tracked key lives in the limiter's table: its slot and the slot's generation (bumped whenever the slot
/// is freed), so a caller that remembers it can decide later requests for the key without the key itself, and learns
/// when the key was forgotten (the slot's generation moved on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySlot {
    /// The slot.
    pub slot: u32,
    /// Its generation when the key was given it.
    pub generation: u32,
}

impl Brief {
    /// The numbers of a full [`Decision`], each quota's written into `quotas`.
    fn of(decision: &Decision, quotas: &mut [QuotaBrief]) -> Brief {
        for (out, q) in quotas.iter_mut().zip(&decision.quotas) {
            *out = QuotaBrief {
                remaining: q.remaining,
                reset: q.reset,
                allowed: q.allowed,
            };
        }
        Brief {
            allowed: decision.allowed,
            reason: decision.reason,
            remaining: decision.remaining,
            reset: decision.reset,
            retry_after: decision.retry_after,
        }
    }
}

impl RateLimiter {
    /// How many quotas every decision reports.
    pub fn quota_count(&self) -> usize {
        self.quotas.len()
    }

    /// The quotas' names, in configuration order.
    pub fn quota_names(&self) -> impl Iterator<Item = &str> {
        self.quotas.iter().map(|q| q.name.as_str())
    }

    /// Decides one request of cost `cost` (≥ 1) for `key` at `now`, exactly as [`RateLimiter::check_n`] does,
    /// writing each quota's state into `quotas` (at least [`RateLimiter::quota_count`] long; extra entries are left
    /// alone). Also returns where the key lives afterwards (`None` when it was not admitted to the table: a full
    /// table's `deny` or `sharedOverflow`). Allocates only when `key` is new to the table.
    pub fn check_brief(
        &mut self,
        key: &str,
        cost: u32,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> (Brief, Option<KeySlot>) {
        let t = now.as_nanos();
        let cost = cost.max(1);
        let slot = match self.find(key) {
            Some(slot) => slot,
            None => match self.admit_new_key(key, cost, t) {
                Ok(slot) => slot,
                Err(decision) => return (Brief::of(&decision, quotas), None),
            },
        };
        let brief = self.decide_slot(slot, cost, t, quotas);
        let generation = self.slots[slot as usize].generation;
        (brief, Some(KeySlot { slot, generation }))
    }

    /// Like [`RateLimiter::check_brief`] for a key the caller found in `at` earlier, without the key: `None` when
    /// the slot no longer holds that key (it was forgotten; decide by key again).
    pub fn check_slot_brief(
        &mut self,
        at: KeySlot,
        cost: u32,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> Option<Brief> {
        self.holds(at)
            .then(|| self.decide_slot(at.slot, cost.max(1), now.as_nanos(), quotas))
    }

    fn holds(&self, at: KeySlot) -> bool {
        self.slots
            .get(at.slot as usize)
            .is_some_and(|s| s.live && s.generation == at.generation)
    }

    /// The GCRA decision against the key in `slot`, committing it when allowed (as `check_n` decides a known key).
    fn decide_slot(&mut self, slot: u32, cost: u32, t: u64, quotas: &mut [QuotaBrief]) -> Brief {
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
        let (tats, all) = (&self.tats[range], &self.quotas);
        let blocked = |i: usize| reason.is_some() && blocks(&all[i], tats[i], cost, t);
        brief_from(all, |i| tats[i], t, blocked, reason, retry_after, quotas)
    }

    /// The state `key` would report now, without spending anything (as [`RateLimiter::peek`]).
    pub fn peek_brief(&self, key: &str, now: Timestamp, quotas: &mut [QuotaBrief]) -> Brief {
        let slot = self.find(key);
        self.peek_at(slot, now.as_nanos(), quotas)
    }

    /// Like [`RateLimiter::peek_brief`] for the key in `at`: `None` when the slot no longer holds it.
    pub fn peek_slot_brief(
        &self,
        at: KeySlot,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> Option<Brief> {
        self.holds(at)
            .then(|| self.peek_at(Some(at.slot), now.as_nanos(), quotas))
    }

    fn peek_at(&self, slot: Option<u32>, t: u64, quotas: &mut [QuotaBrief]) -> Brief {
        let n = self.quotas.len();
        let fresh;
        let tats: &[u64] = match slot {
            Some(slot) => &self.tats[slot as usize * n..(slot as usize + 1) * n],
            None => {
                fresh = vec![0u64; n];
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

    /// Forgets the key in `at` (as [`RateLimiter::reset_key`]); false when the slot no longer holds it.
    pub fn reset_slot(&mut self, at: KeySlot) -> bool {
        if !self.holds(at) {
            return false;
        }
        self.remove_slot(at.slot);
        true
    }
}

/// `max(TAT, t) + cost·T`: the quota's TAT if the request is allowed.
pub(super) fn next_tat(quota: &Quota, tat: u64, cost: u32, t: u64) -> u64 {
    tat.max(t)
        .saturating_add(quota.interval.saturating_mul(u64::from(cost)))
}

/// Whether `quota` refuses a request of `cost` at `t` given its TAT.
pub(super) fn blocks(quota: &Quota, tat: u64, cost: u32, t: u64) -> bool {
    cost > quota.burst || next_tat(quota, tat, cost, t).saturating_sub(quota.tolerance) > t
}

/// The GCRA test of one request against every quota, changing nothing: why it is refused (`None`: allowed) and how
/// long until it would pass (`Duration::MAX` when it never can).
pub(super) fn gcra_test(
    quotas: &[Quota],
    tats: &[u64],
    cost: u32,
    t: u64,
) -> (Option<DenyReason>, Duration) {
    let mut reason = None;
    let mut wait = 0u64;
    for (quota, &tat) in quotas.iter().zip(tats) {
        let allow_at = next_tat(quota, tat, cost, t).saturating_sub(quota.tolerance);
        if cost > quota.burst {
            reason = Some(DenyReason::CostExceedsBurst);
        } else if allow_at > t {
            wait = wait.max(allow_at - t);
            reason.get_or_insert(DenyReason::QuotaExhausted);
        }
    }
    let retry_after = if reason == Some(DenyReason::CostExceedsBurst) {
        Duration::MAX
    } else {
        Duration::from_nanos(wait)
    };
    (reason, retry_after)
}

/// Per-quota states from each quota's TAT after the decision (written into `out`), and the tightest quota's
/// numbers.
pub(super) fn brief_from(
    quotas: &[Quota],
    tat: impl Fn(usize) -> u64,
    t: u64,
    blocked: impl Fn(usize) -> bool,
    reason: Option<DenyReason>,
    retry_after: Duration,
    out: &mut [QuotaBrief],
) -> Brief {
    // Each quota's state is written into `out` as the tightest is picked: one pass, no allocation.
    let tightest = tightest(quotas.iter().enumerate().map(|(i, quota)| {
        let backlog = tat(i).saturating_sub(t);
        let headroom = quota.tolerance.saturating_sub(backlog);
        let state = QuotaBrief {
            remaining: headroom / quota.interval,
            reset: Duration::from_nanos(backlog),
            allowed: !blocked(i),
        };
        if let Some(slot) = out.get_mut(i) {
            *slot = state;
        }
        (state.remaining, state.reset)
    }));
    Brief::with_tightest(reason, retry_after, tightest)
}

#[cfg(test)]
mod tests {
    use super::super::{
        ratelimit_header, retry_after_header, FullTablePolicy, LimiterConfig, QuotaConfig,
    };
    use super::*;
    use std::collections::HashMap;

    /// Two limiters with the same config over one pseudo-random timeline (several quotas, costs up to above the
    /// burst, a key table that fills up), for each full-table policy: one decided by `check_n` / `peek` /
    /// `reset_key`, the other as the JavaScript package decides — by slot for keys it remembers (a `HashMap` from
    /// key to [`KeySlot`]), by key for new or forgotten ones. Every decision, header and counter must agree.
    #[test]
    fn briefs_by_key_or_by_slot_answer_exactly_like_full_decisions() {
        for on_full in [
            FullTablePolicy::Deny,
            FullTablePolicy::ForgetSoonestIdle,
            FullTablePolicy::SharedOverflow,
        ] {
            let config = LimiterConfig {
                quotas: vec![
                    QuotaConfig::per_second("s", 5).allow_burst(3),
                    QuotaConfig::per_minute("m", 40),
                    QuotaConfig::new("odd", 7, Duration::from_millis(1300)),
                ],
                max_keys: 4,
                on_full,
            };
            let mut full = RateLimiter::new(config.clone()).unwrap();
            let mut brief = RateLimiter::new(config).unwrap();
            let mut remembered: HashMap<String, KeySlot> = HashMap::new();
            let names: Vec<String> = full.quota_names().map(str::to_owned).collect();
            let names = || names.iter().map(String::as_str);
            let mut quotas = [QuotaBrief::default(); 3];
            let mut seed = 0x2545_f491_4f6c_dd1du64;
            let mut next = |n: u64| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed % n
            };
            let (mut now_ms, mut seen, mut by_slot) = (0, Vec::new(), 0);
            for step in 0..20_000 {
                now_ms += if next(200) == 0 { 70_000 } else { next(120) };
                let now = Timestamp::from_millis(now_ms);
                let key = format!("k{}", next(7));
                let ctx = format!("{on_full:?} step {step}");
                let at = remembered.get(&key).copied();
                match next(20) {
                    0 => {
                        let expected = full.peek(&key, now);
                        let got = at
                            .and_then(|at| brief.peek_slot_brief(at, now, &mut quotas))
                            .unwrap_or_else(|| brief.peek_brief(&key, now, &mut quotas));
                        assert_eq!(got.into_decision(names(), &quotas), expected, "peek, {ctx}");
                    }
                    1 => {
                        let expected = full.reset_key(&key);
                        let got = match at {
                            Some(at) if brief.reset_slot(at) => true,
                            _ => brief.reset_key(&key),
                        };
                        assert_eq!(got, expected, "reset, {ctx}");
                        remembered.remove(&key);
                    }
                    _ => {
                        let cost = 1 + next(4) as u32;
                        let expected = full.check_n(&key, cost, now);
                        let got = match at
                            .and_then(|at| brief.check_slot_brief(at, cost, now, &mut quotas))
                        {
                            Some(got) => {
                                by_slot += 1;
                                got
                            }
                            None => {
                                let (got, at) = brief.check_brief(&key, cost, now, &mut quotas);
                                match at {
                                    Some(at) => remembered.insert(key.clone(), at),
                                    None => remembered.remove(&key),
                                };
                                got
                            }
                        };
                        assert_eq!(got.into_decision(names(), &quotas), expected, "{ctx}");
                        let fields = names().zip(&quotas).map(|(n, q)| (n, q.remaining, q.reset));
                        assert_eq!(ratelimit_header_fields(fields), ratelimit_header(&expected));
                        assert_eq!(
                            retry_after_seconds(&got).map(|s| s.to_string()),
                            retry_after_header(&expected)
                        );
                        if !seen.contains(&got.reason) {
                            seen.push(got.reason);
                        }
                    }
                }
                assert_eq!(full.stats(), brief.stats(), "counters, {ctx}");
            }
            assert!(by_slot > 5_000, "{on_full:?}: {by_slot} decisions by slot");
            let stats = brief.stats();
            assert!(
                stats.allowed > 1000 && stats.denied > 1000 && stats.forgotten_keys > 10,
                "{on_full:?}: {stats:?}"
            );
            let mut expected_reasons = vec![
                None,
                Some(DenyReason::QuotaExhausted),
                Some(DenyReason::CostExceedsBurst),
            ];
            if on_full == FullTablePolicy::Deny {
                expected_reasons.push(Some(DenyReason::KeyTableFull));
            }
            for reason in expected_reasons {
                assert!(
                    seen.contains(&reason),
                    "{on_full:?}: {reason:?} never happened"
                );
            }
        }
    }
}
