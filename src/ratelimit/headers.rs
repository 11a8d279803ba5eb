//! Rendering of the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11).
//!
//! `RateLimit-Policy` announces the quotas: a Structured Fields list of `"name";q=<units>;w=<seconds>`.
//! `RateLimit` reports the state for this request: `"name";r=<remaining>;t=<seconds until reset>`.
//! Seconds are rounded up, so a client that waits `t` seconds never arrives early. Quota names are restricted (see
//! [`super::QuotaConfig::name`]) to characters that need no escaping in an sf-string.

use super::Decision;
use std::fmt::Write;
use std::time::Duration;

pub(super) fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// `RateLimit-Policy` value for `(name, limit, window)` quotas, e.g. `"default";q=100;w=60`.
pub fn ratelimit_policy_header<'a>(
    quotas: impl IntoIterator<Item = (&'a str, u32, Duration)>,
) -> String {
    let mut out = String::new();
    for (name, limit, window) in quotas {
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(out, "\"{name}\";q={limit};w={}", ceil_secs(window).max(1));
    }
    out
}

/// `RateLimit` value for a decision, one item per quota, e.g. `"default";r=42;t=17`.
pub fn ratelimit_header(decision: &Decision) -> String {
    ratelimit_items(
        decision
            .quotas
            .iter()
            .map(|q| (q.name.as_str(), q.remaining, q.reset)),
    )
}

/// `RateLimit` value from each quota's `(name, remaining, reset)` (numbers written without the formatting
/// machinery: this runs on every response).
pub(super) fn ratelimit_items<'a>(
    quotas: impl IntoIterator<Item = (&'a str, u64, Duration)>,
) -> String {
    let mut out = String::with_capacity(32);
    let mut digits = itoa::Buffer::new();
    for (name, remaining, reset) in quotas {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\";r=");
        out.push_str(digits.format(remaining));
        out.push_str(";t=");
        out.push_str(digits.format(ceil_secs(reset)));
    }
    out
}

/// `Retry-After` value (delay-seconds) for a denied decision, rounded up; `None` when allowed or never retryable.
pub fn retry_after_header(decision: &Decision) -> Option<String> {
    if decision.allowed || decision.retry_after == Duration::MAX {
        return None;
    }
    Some(ceil_secs(decision.retry_after).max(1).to_string())
}
