//! Gateway state shared across instances and nodes through Redis, as sans-IO pieces: what to send and how to read
//! the answer, never a socket. The edge adapter (`src/edge/store/`) moves the bytes; these modules are tested
//! natively against a real `redis-server` (`tests/redis_store.rs`).
//!
//! | module | what |
//! |---|---|
//! | [`resp`] | commands as RESP2 bytes and replies read back (the `redis-protocol` codec) |
//! | [`keys`] | the names of everything the gateway keeps in Redis, under one configurable prefix |
//! | [`limit_script`] | the GCRA decision as one Lua script (`EVALSHA`): every quota of a request, atomically |
//! | [`cache_record`] | a stored response as one Redis value (metadata in `postcard`, then the body) |
//! | [`scripts`] | the other scripts: store-and-release a coalescing lease, poll for a leader's result, purge by tag |
//!
//! Times are nanoseconds from the Unix epoch, passed in by the caller, split into whole seconds and the rest for the
//! scripts: Lua numbers are doubles, exact only below 2^53, and every difference the scripts compute stays far
//! below it (a window of up to ~100 days).

pub mod cache_record;
pub mod keys;
pub mod limit_script;
pub mod resp;
pub mod scripts;

/// The longest expiry the gateway gives Redis: 2^32 s (~136 years), twice RFC 9111's largest delta-seconds (a
/// freshness lifetime and a stale retention of 2^31 s each). Redis refuses an expiry past `i64` milliseconds from
/// now (`ERR invalid expire time`), which would make a store fail; nothing the gateway keeps needs longer.
pub const MAX_EXPIRY: std::time::Duration = std::time::Duration::from_secs(1 << 32);

/// An expiry as the `PX` milliseconds the scripts pass to Redis: at least 1 ms (0 would be refused), at most
/// [`MAX_EXPIRY`].
pub fn expiry_ms(ttl: std::time::Duration) -> String {
    ttl.clamp(std::time::Duration::from_millis(1), MAX_EXPIRY)
        .as_millis()
        .to_string()
}

/// Splits a time in nanoseconds into whole seconds and the nanoseconds left, as the scripts take it.
pub fn split_nanos(nanos: u64) -> (u64, u64) {
    (nanos / 1_000_000_000, nanos % 1_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_expiry_is_between_a_millisecond_and_max_expiry() {
        assert_eq!(expiry_ms(Duration::ZERO), "1");
        assert_eq!(expiry_ms(Duration::from_micros(1500)), "1");
        assert_eq!(expiry_ms(Duration::from_secs(60)), "60000");
        assert_eq!(expiry_ms(Duration::MAX), "4294967296000");
        assert_eq!(expiry_ms(Duration::from_secs(u64::MAX)), "4294967296000");
    }
}
