//! The gateway's clock: wall-clock time from the Unix epoch, read once per request (and once when an origin
//! response arrives, for RFC 9111's age calculation). The engines and policies never read it; they are given it.
//!
//! Each read is a call into the runtime, so the wall clock is read once per instance and later times are derived from
//! the monotonic clock (one call), which also times the request for the latency histogram. An instance lives seconds
//! to minutes, so the two clocks cannot drift apart in that time by anything a cache or limiter could notice.

use crate::time::Timestamp;
use std::cell::OnceCell;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

thread_local! {
    /// The monotonic and the wall clock at the same moment, taken at the instance's first reading.
    static ANCHOR: OnceCell<(Instant, u64)> = const { OnceCell::new() };
}

/// The monotonic clock now, and the wall-clock time it stands for as a [`Timestamp`] from the Unix epoch.
pub fn read() -> (Instant, Timestamp) {
    let instant = Instant::now();
    let (anchor, wall) = ANCHOR.with(|a| {
        *a.get_or_init(|| {
            let since = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            (instant, u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
        })
    });
    let elapsed =
        u64::try_from(instant.saturating_duration_since(anchor).as_nanos()).unwrap_or(u64::MAX);
    (instant, Timestamp::from_nanos(wall.saturating_add(elapsed)))
}

/// Now, as a [`Timestamp`] from the Unix epoch.
pub fn now() -> Timestamp {
    read().1
}
