//! Time as the engines see it: a value passed in by the caller.
//!
//! No engine in this crate reads a clock. Every operation that depends on time takes a [`Timestamp`] argument, so the
//! same code runs natively, in a browser (where `std::time::Instant::now` panics) and at the edge, and tests move time
//! by hand. A timestamp counts nanoseconds from an epoch the caller picks (process start, the Unix epoch, a test's
//! zero); only differences between timestamps given to the same engine matter.

use std::time::Duration;

/// A point in time, in nanoseconds since a caller-chosen epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The epoch itself.
    pub const ZERO: Timestamp = Timestamp(0);

    /// A timestamp `nanos` nanoseconds after the epoch.
    pub const fn from_nanos(nanos: u64) -> Self {
        Timestamp(nanos)
    }

    /// A timestamp `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Self {
        Timestamp(millis.saturating_mul(1_000_000))
    }

    /// A timestamp from fractional milliseconds, as JavaScript's `Date.now()` and `performance.now()` give them.
    /// Negative and non-finite inputs clamp to the epoch; values beyond ~584 years saturate.
    pub fn from_millis_f64(millis: f64) -> Self {
        if millis.is_finite() && millis > 0.0 {
            // `as` saturates for out-of-range floats.
            Timestamp((millis * 1_000_000.0) as u64)
        } else {
            Timestamp::ZERO
        }
    }

    /// A timestamp `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Timestamp(secs.saturating_mul(1_000_000_000))
    }

    /// Nanoseconds since the epoch.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Whole milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0 / 1_000_000
    }

    /// This timestamp moved `d` later, saturating at the far future.
    pub fn saturating_add(self, d: Duration) -> Self {
        Timestamp(self.0.saturating_add(duration_nanos(d)))
    }

    /// The time from `earlier` to `self`, or zero if `earlier` is later.
    pub fn saturating_duration_since(self, earlier: Timestamp) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }
}

/// A duration in nanoseconds, saturating at `u64::MAX` (about 584 years).
pub(crate) fn duration_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip_and_clamp() {
        assert_eq!(Timestamp::from_millis(3).as_nanos(), 3_000_000);
        assert_eq!(Timestamp::from_secs(2).as_millis(), 2_000);
        assert_eq!(Timestamp::from_millis_f64(1.5).as_nanos(), 1_500_000);
        assert_eq!(Timestamp::from_millis_f64(-4.0), Timestamp::ZERO);
        assert_eq!(Timestamp::from_millis_f64(f64::NAN), Timestamp::ZERO);
        assert_eq!(Timestamp::from_millis_f64(f64::INFINITY), Timestamp::ZERO);
        let t = Timestamp::from_millis(10);
        assert_eq!(
            t.saturating_add(Duration::from_millis(5)),
            Timestamp::from_millis(15)
        );
        assert_eq!(
            t.saturating_duration_since(Timestamp::from_millis(20)),
            Duration::ZERO
        );
        assert_eq!(
            Timestamp::from_nanos(u64::MAX)
                .saturating_add(Duration::from_secs(1))
                .as_nanos(),
            u64::MAX
        );
    }
}
