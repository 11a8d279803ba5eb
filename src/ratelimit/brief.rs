//! Decisions without allocation: [`RateLimiter::check_brief`] decides exactly as [`RateLimiter::check_n`] does,
//! but answers with plain numbers ([`Brief`], and one [`QuotaBrief`] per quota written into the caller's buffer)
//! instead of a [`Decision`] with a `Vec` of named quota states.
//!
//! This is the hot path of the JavaScript package (millions of decisions per second: the header strings are
//! rendered only when asked for, from the same numbers, by [`ratelimit_header_fields`] and [`retry_after_seconds`]).
//! [`Brief::into_decision`] turns a brief back into the full [`Decision`], which the tests use to pin both paths to
//! the same answers.

use super::headers::ceil_secs;
use super::{Decision, DenyReason, Quota, QuotaState, RateLimiter};
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
        Decision {
            allowed: self.allowed,
            reason: self.reason,
            remaining: self.remaining,
            reset: self.reset,
            retry_after: self.retry_after,
            quotas: names
                .into_iter()
                .zip(quotas)
                .map(|(name, q)| QuotaState {
                    name: name.to_owned(),
                    remaining: q.remaining,
                    reset: q.reset,
                    allowed: q.allowed,
                })
                .collect(),
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
    /// alone). Allocates only when `key` is new to the table.
    pub fn check_brief(
        &mut self,
        key: &str,
        cost: u32,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> Brief {
        let t = now.as_nanos();
        let cost = cost.max(1);
        if self.table.len() >= self.max_keys && !self.table.contains(key) && !self.make_room(t) {
            self.stats.denied += 1;
            let retry_after = Duration::from_nanos(self.next_idle_at.saturating_sub(t));
            let reason = Some(DenyReason::KeyTableFull);
            return brief_from(
                &self.quotas,
                |_| 0,
                t,
                |_| true,
                reason,
                retry_after,
                quotas,
            );
        }
        let count = self.quotas.len();
        let fresh = || vec![0u64; count].into_boxed_slice();
        let tats = self.table.get_or_insert_mut_ref(key, fresh);
        let (reason, retry_after) = gcra_test(&self.quotas, tats, cost, t);
        if reason.is_none() {
            for (quota, tat) in self.quotas.iter().zip(tats.iter_mut()) {
                *tat = next_tat(quota, *tat, cost, t);
            }
            self.stats.allowed += 1;
        } else {
            self.stats.denied += 1;
        }
        // A denied request changed nothing, so which quotas refused it can be read off the state it left.
        let (tats, all): (&[u64], _) = (tats, &self.quotas);
        let blocked = |i: usize| reason.is_some() && blocks(&all[i], tats[i], cost, t);
        brief_from(all, |i| tats[i], t, blocked, reason, retry_after, quotas)
    }

    /// The state `key` would report now, without spending anything (as [`RateLimiter::peek`]).
    pub fn peek_brief(&self, key: &str, now: Timestamp, quotas: &mut [QuotaBrief]) -> Brief {
        let t = now.as_nanos();
        let fresh;
        let tats: &[u64] = match self.table.peek(key) {
            Some(tats) => tats,
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
    let allowed = reason.is_none();
    let mut tightest: Option<QuotaBrief> = None;
    for (i, quota) in quotas.iter().enumerate() {
        let backlog = tat(i).saturating_sub(t);
        let headroom = quota.tolerance.saturating_sub(backlog);
        let state = QuotaBrief {
            remaining: headroom / quota.interval,
            reset: Duration::from_nanos(backlog),
            allowed: !blocked(i),
        };
        // The first quota with the fewest remaining, and of those the latest reset (as `check_n` picks it).
        let tighter = |best: QuotaBrief| {
            (state.remaining, std::cmp::Reverse(state.reset))
                < (best.remaining, std::cmp::Reverse(best.reset))
        };
        if tightest.is_none_or(tighter) {
            tightest = Some(state);
        }
        if let Some(slot) = out.get_mut(i) {
            *slot = state;
        }
    }
    Brief {
        allowed,
        reason,
        remaining: tightest.map_or(0, |q| q.remaining),
        reset: tightest.map_or(Duration::ZERO, |q| q.reset),
        retry_after: if allowed { Duration::ZERO } else { retry_after },
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ratelimit_header, retry_after_header, LimiterConfig, QuotaConfig};
    use super::*;

    /// Two limiters with the same config, one decided by `check_n`/`peek`, one by `check_brief`/`peek_brief`, over
    /// the same pseudo-random timeline (several quotas, costs up to above the burst, a key table that fills up):
    /// every decision, header and counter must agree.
    #[test]
    fn briefs_answer_exactly_like_full_decisions() {
        let config = LimiterConfig {
            quotas: vec![
                QuotaConfig::per_second("s", 5).allow_burst(3),
                QuotaConfig::per_minute("m", 40),
                QuotaConfig::new("odd", 7, Duration::from_millis(1300)),
            ],
            max_keys: 4,
        };
        let mut full = RateLimiter::new(config.clone()).unwrap();
        let mut brief = RateLimiter::new(config).unwrap();
        let mut quotas = [QuotaBrief::default(); 3];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let names: Vec<String> = full.quota_names().map(str::to_owned).collect();
        let names = || names.iter().map(String::as_str);
        let mut now_ms = 0;
        let mut seen = Vec::new();
        for step in 0..20_000 {
            now_ms += if next(200) == 0 { 70_000 } else { next(120) };
            let now = Timestamp::from_millis(now_ms);
            let key = format!("k{}", next(7));
            if next(10) == 0 {
                let expected = full.peek(&key, now);
                let got = brief.peek_brief(&key, now, &mut quotas);
                assert_eq!(
                    got.into_decision(names(), &quotas),
                    expected,
                    "peek at step {step}"
                );
                continue;
            }
            let cost = 1 + next(4) as u32;
            let expected = full.check_n(&key, cost, now);
            let got = brief.check_brief(&key, cost, now, &mut quotas);
            if !seen.contains(&got.reason) {
                seen.push(got.reason);
            }
            assert_eq!(got.into_decision(names(), &quotas), expected, "step {step}");
            let fields = names().zip(&quotas).map(|(n, q)| (n, q.remaining, q.reset));
            assert_eq!(ratelimit_header_fields(fields), ratelimit_header(&expected));
            assert_eq!(
                retry_after_seconds(&got).map(|s| s.to_string()),
                retry_after_header(&expected)
            );
        }
        assert_eq!(full.stats(), brief.stats());
        let stats = brief.stats();
        assert!(
            stats.allowed > 1000 && stats.denied > 1000 && stats.forgotten_keys > 10,
            "{stats:?}"
        );
        for reason in [
            None,
            Some(DenyReason::QuotaExhausted),
            Some(DenyReason::KeyTableFull),
            Some(DenyReason::CostExceedsBurst),
        ] {
            assert!(seen.contains(&reason), "{reason:?} never happened");
        }
    }
}
