//! The gateway's clock: wall-clock time from the Unix epoch, read once per request (and once when an origin
//! response arrives, for RFC 9111's age calculation). The engines and policies never read it; they are given it.

use crate::time::Timestamp;
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as a [`Timestamp`] from the Unix epoch.
pub fn now() -> Timestamp {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp::from_nanos(u64::try_from(since.as_nanos()).unwrap_or(u64::MAX))
}
