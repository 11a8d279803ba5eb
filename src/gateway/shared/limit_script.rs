//! The limiter's decision in Redis: GCRA over every quota of a request in one Lua script, so a decision is atomic
//! and takes one round trip (`EVALSHA`). It decides exactly as [`crate::ratelimit::RateLimiter`] does (the same
//! arithmetic, on nanoseconds; `tests/redis_store.rs` runs the behaviour corpus's timelines through both):
//!
//! - each quota's theoretical arrival time (TAT) is kept as `seconds:nanoseconds`, one per quota, in one string;
//! - a request costing `c` is allowed when, for every quota, `max(TAT, now) + c·T − τ ≤ now` (and `c` ≤ burst);
//!   then every TAT moves, else none does (all quotas or none);
//! - the key expires (`PX`) when its last TAT passes: an idle key is the same as a fresh one, so Redis holds only
//!   keys that are active, and needs no key table (no `maxKeys`, no `onFull`).
//!
//! The time of a decision is Redis' own clock (`TIME`) unless the caller gives one: instances and nodes whose clocks
//! differ by milliseconds would otherwise decide out of order (a request stamped earlier arriving later), and report
//! `remaining` counts that go up and down. Tests give the time, to replay timelines.
//!
//! The reply also carries the store's purge epoch (see [`super::keys::KeySpace::purge_epoch`]), so a decision tells
//! an instance, at no extra cost, whether a purge happened since it last looked.

use super::resp::{integers, Reply, RespError};
use super::split_nanos;
use crate::ratelimit::{Brief, DenyReason, GcraParams, QuotaBrief};
use std::time::Duration;

/// `KEYS[1]`: the limiter key; `KEYS[2]`: the purge epoch. `ARGV`: now (seconds, nanoseconds; both empty: Redis'
/// clock), cost, then per
/// quota its emission interval `T` and tolerance `τ` (nanoseconds) and burst.
/// Reply: allowed (0/1), reason (0 none, 1 quota exhausted, 2 cost above burst), wait in ns (−1: never), the purge
/// epoch, then per quota: remaining, reset (ns), blocked (0/1).
pub const SCRIPT: &str = r#"
local ts, tn
if ARGV[1] == '' then
  local clock = redis.call('TIME')
  ts = tonumber(clock[1])
  tn = tonumber(clock[2]) * 1000
else
  ts = tonumber(ARGV[1])
  tn = tonumber(ARGV[2])
end
local cost = tonumber(ARGV[3])
local q = (#ARGV - 3) / 3
local backlog = {}
local stored = redis.call('GET', KEYS[1])
if stored then
  for s, n in string.gmatch(stored, '(%d+):(%d+)') do
    local b = (tonumber(s) - ts) * 1000000000 + (tonumber(n) - tn)
    if b < 0 then b = 0 end
    backlog[#backlog + 1] = b
  end
end
for i = #backlog + 1, q do backlog[i] = 0 end
local reason = 0
local wait = 0
local moved = {}
local blocked = {}
for i = 1, q do
  local interval = tonumber(ARGV[3 + 3 * i - 2])
  local tolerance = tonumber(ARGV[3 + 3 * i - 1])
  local burst = tonumber(ARGV[3 + 3 * i])
  local b = backlog[i] + interval * cost
  moved[i] = b
  blocked[i] = 0
  if cost > burst then
    reason = 2
    blocked[i] = 1
  elseif b - tolerance > 0 then
    if b - tolerance > wait then wait = b - tolerance end
    if reason == 0 then reason = 1 end
    blocked[i] = 1
  end
end
local state = backlog
if reason == 0 then
  state = moved
  local parts = {}
  local longest = 0
  for i = 1, q do
    local total = tn + moved[i]
    local carry = math.floor(total / 1000000000)
    parts[i] = string.format('%d:%d', ts + carry, total - carry * 1000000000)
    if moved[i] > longest then longest = moved[i] end
  end
  redis.call('SET', KEYS[1], table.concat(parts, ' '), 'PX', math.floor(longest / 1000000) + 1)
end
if reason == 2 then wait = -1 end
local epoch = tonumber(redis.call('GET', KEYS[2]) or '0')
local out = { reason == 0 and 1 or 0, reason, wait, epoch }
for i = 1, q do
  local tolerance = tonumber(ARGV[3 + 3 * i - 1])
  local interval = tonumber(ARGV[3 + 3 * i - 2])
  local headroom = tolerance - state[i]
  if headroom < 0 then headroom = 0 end
  out[#out + 1] = math.floor(headroom / interval)
  out[#out + 1] = state[i]
  out[#out + 1] = blocked[i]
end
return out
"#;

/// The script's `ARGV` for a request costing `cost` against `quotas`, at `now_nanos` (`None`: Redis' clock).
pub fn arguments(now_nanos: Option<u64>, cost: u32, quotas: &[GcraParams]) -> Vec<String> {
    let mut args = Vec::with_capacity(3 + 3 * quotas.len());
    match now_nanos.map(split_nanos) {
        Some((secs, nanos)) => {
            args.push(secs.to_string());
            args.push(nanos.to_string());
        }
        None => args.extend([String::new(), String::new()]),
    }
    args.push(cost.max(1).to_string());
    for q in quotas {
        args.push(q.interval_nanos.to_string());
        args.push(q.tolerance_nanos.to_string());
        args.push(q.burst.to_string());
    }
    args
}

/// A decision read from the script's reply: the [`Brief`] (as [`crate::ratelimit::RateLimiter::check_brief`] gives
/// it), each quota's part written into `quotas`, and the store's purge epoch.
pub fn decision(reply: &Reply, quotas: &mut [QuotaBrief]) -> Result<(Brief, i64), RespError> {
    let numbers = integers(reply)?;
    if numbers.len() != 4 + 3 * quotas.len() {
        return Err(RespError::Shape("one decision and three numbers per quota"));
    }
    let nanos = |n: i64| Duration::from_nanos(u64::try_from(n).unwrap_or(0));
    for (quota, n) in quotas.iter_mut().zip(numbers[4..].chunks_exact(3)) {
        *quota = QuotaBrief {
            remaining: u64::try_from(n[0]).unwrap_or(0),
            reset: nanos(n[1]),
            allowed: n[2] == 0,
        };
    }
    let reason = match (numbers[0], numbers[1]) {
        (1, _) => None,
        (_, 2) => Some(DenyReason::CostExceedsBurst),
        _ => Some(DenyReason::QuotaExhausted),
    };
    let retry_after = match numbers[2] {
        wait if wait < 0 => Duration::MAX,
        wait => nanos(wait),
    };
    let brief = Brief::from_quotas(reason, retry_after, quotas);
    Ok((brief, numbers[3]))
}
