//! Request coalescing: identical requests in flight at the same time share one upstream call.
//!
//! The [`Coalescer`] is the bookkeeping only (sans-IO): a table from [`RequestKey`] to the flight in progress, plus
//! an optional window of recent results. The adapter decides what a flight *is* — a JavaScript `Promise`, a shared
//! future, a list of waiters — as the type parameter `H`, and what a replayable result is, as `R`.
//!
//! The protocol, for each request:
//! 1. [`Coalescer::begin`] returns [`Admission::Lead`] (do the call, and build the shared handle others will wait
//!    on), [`Admission::Join`] (wait on the handle of the flight already in progress) or [`Admission::Replay`]
//!    (a result that finished within the window).
//! 2. The leader calls [`Coalescer::finish`] with its ticket when the call settles: with `Some(result)` to make it
//!    replayable within the window, `None` when it failed or was cancelled. Either way the key is free again, so
//!    the next request starts a fresh call; a failure is never replayed.
//!
//! Waiters receive the outcome through the handle, so a failing leader fails its waiters rather than stranding
//! them. A leader that never calls `finish` (lost, crashed) is presumed dead after `maxFlightMs`: the next request
//! for its key becomes a new leader. The in-flight table is bounded by `maxInFlight`.

mod key;

pub use key::{canonical_url, RequestKey};

use crate::time::Timestamp;
use lru::LruCache;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// Bounds and the replay window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct CoalescerConfig {
    /// Most keys in flight at once; beyond it `begin` refuses (the caller should go upstream uncoalesced or shed
    /// load). Default 10,000.
    pub max_in_flight: usize,
    /// How long after a successful finish a result is replayed to identical requests, in milliseconds. Default 0
    /// (no replay).
    pub window_ms: u64,
    /// Most results kept for replay (least recently finished dropped first). Default 1,000.
    pub max_recent: usize,
    /// A flight older than this is presumed dead and replaced by the next request's, in milliseconds.
    /// Default 30,000.
    pub max_flight_ms: u64,
}

impl Default for CoalescerConfig {
    fn default() -> Self {
        CoalescerConfig {
            max_in_flight: 10_000,
            window_ms: 0,
            max_recent: 1_000,
            max_flight_ms: 30_000,
        }
    }
}

/// Identifies one flight; only its leader holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlightTicket {
    key: RequestKey,
    id: u64,
}

impl FlightTicket {
    /// The key this flight serves.
    pub fn key(&self) -> &RequestKey {
        &self.key
    }
}

/// What a request should do.
#[derive(Debug)]
pub enum Admission<'a, H, R> {
    /// No identical request is in flight: make the call, then [`Coalescer::finish`] with this ticket.
    Lead(FlightTicket, &'a H),
    /// An identical request is in flight: wait on its handle.
    Join(&'a H),
    /// An identical request finished successfully within the window: here is its result.
    Replay(&'a R),
}

/// Why `begin` refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoalesceError {
    /// `maxInFlight` keys are already in flight.
    TooManyInFlight { limit: usize },
}

impl fmt::Display for CoalesceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoalesceError::TooManyInFlight { limit } => {
                write!(
                    f,
                    "{limit} distinct requests are already in flight (maxInFlight)"
                )
            }
        }
    }
}

impl std::error::Error for CoalesceError {}

/// Counters since creation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoalescerStats {
    /// Requests that led a flight (upstream calls).
    pub led: u64,
    /// Requests that joined a flight in progress.
    pub joined: u64,
    /// Requests answered from the replay window.
    pub replayed: u64,
    /// Requests refused because the table was full.
    pub refused: u64,
    /// Flights presumed dead and replaced.
    pub abandoned: u64,
    /// Flights that finished with a failure.
    pub failed: u64,
    /// Keys in flight now.
    pub in_flight: usize,
}

struct Flight<H> {
    id: u64,
    started_at: Timestamp,
    handle: H,
}

struct Recent<R> {
    finished_at: Timestamp,
    result: R,
}

/// The coalescing table. `H`: what waiters wait on; `R`: a replayable result.
pub struct Coalescer<H, R> {
    config: CoalescerConfig,
    flights: HashMap<RequestKey, Flight<H>>,
    recent: LruCache<RequestKey, Recent<R>>,
    next_id: u64,
    stats: CoalescerStats,
}

impl<H, R> fmt::Debug for Coalescer<H, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Coalescer")
            .field("config", &self.config)
            .field("in_flight", &self.flights.len())
            .finish()
    }
}

impl<H, R> Coalescer<H, R> {
    /// An empty table.
    pub fn new(config: CoalescerConfig) -> Self {
        Coalescer {
            config,
            flights: HashMap::new(),
            recent: LruCache::unbounded(),
            next_id: 0,
            stats: CoalescerStats::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &CoalescerConfig {
        &self.config
    }

    /// Admits one request for `key` at `now`. `make_handle` is called only when this request leads.
    pub fn begin(
        &mut self,
        key: &RequestKey,
        now: Timestamp,
        make_handle: impl FnOnce(&FlightTicket) -> H,
    ) -> Result<Admission<'_, H, R>, CoalesceError> {
        let max_flight = Duration::from_millis(self.config.max_flight_ms);
        let window = Duration::from_millis(self.config.window_ms);
        let stale = self
            .flights
            .get(key)
            .is_some_and(|f| now.saturating_duration_since(f.started_at) >= max_flight);
        if stale {
            self.flights.remove(key);
            self.stats.abandoned += 1;
        }
        if self.flights.contains_key(key) {
            self.stats.joined += 1;
            return Ok(Admission::Join(&self.flights[key].handle));
        }
        let expired = self
            .recent
            .peek(key)
            .is_some_and(|r| now.saturating_duration_since(r.finished_at) >= window);
        if expired {
            self.recent.pop(key);
        }
        if self.recent.contains(key) {
            self.stats.replayed += 1;
            return Ok(Admission::Replay(
                &self.recent.peek(key).expect("checked above").result,
            ));
        }
        if self.flights.len() >= self.config.max_in_flight {
            self.stats.refused += 1;
            return Err(CoalesceError::TooManyInFlight {
                limit: self.config.max_in_flight,
            });
        }
        self.next_id += 1;
        let ticket = FlightTicket {
            key: key.clone(),
            id: self.next_id,
        };
        let handle = make_handle(&ticket);
        self.stats.led += 1;
        let flight = self.flights.entry(key.clone()).or_insert(Flight {
            id: ticket.id,
            started_at: now,
            handle,
        });
        Ok(Admission::Lead(ticket, &flight.handle))
    }

    /// Ends the leader's flight: `Some(result)` keeps the result for the replay window, `None` (failure or
    /// cancellation) keeps nothing. Returns the flight's handle, or `None` if the flight was already replaced (it
    /// outlived `maxFlightMs`); a late finish never disturbs a newer flight.
    pub fn finish(&mut self, ticket: FlightTicket, result: Option<R>, now: Timestamp) -> Option<H> {
        if self
            .flights
            .get(&ticket.key)
            .is_none_or(|f| f.id != ticket.id)
        {
            return None;
        }
        let flight = self.flights.remove(&ticket.key)?;
        match result {
            Some(result) if self.config.window_ms > 0 && self.config.max_recent > 0 => {
                self.recent.push(
                    ticket.key,
                    Recent {
                        finished_at: now,
                        result,
                    },
                );
                while self.recent.len() > self.config.max_recent {
                    self.recent.pop_lru();
                }
            }
            Some(_) => {}
            None => self.stats.failed += 1,
        }
        Some(flight.handle)
    }

    /// Keys in flight now.
    pub fn in_flight(&self) -> usize {
        self.flights.len()
    }

    /// Counters.
    pub fn stats(&self) -> CoalescerStats {
        CoalescerStats {
            in_flight: self.flights.len(),
            ..self.stats
        }
    }
}

#[cfg(test)]
mod tests;
