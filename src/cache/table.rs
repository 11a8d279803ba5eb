//! The cache's bookkeeping by slot number: exact LRU recency, the two bounds, TTL, tags and statistics — everything
//! a [`super::ResponseCache`] decides — with the keys and values left to the caller.
//!
//! Each entry lives in a *slot* (a small integer). The caller keeps its own index from key to slot and its own
//! array of values by slot; the table says which slot an insert got and which slots an operation vacated, so the
//! caller can drop their keys and values. Two callers use it:
//! - the Rust [`super::ResponseCache`] (a `HashMap<String, slot>` and a `Vec` of values), and
//! - the JavaScript package, whose keys stay in a JS `Map` and whose values stay JS values: a `get` there is one
//!   `Map` lookup plus one call into wasm with two numbers, never a string copied into wasm memory. (A cache bounded
//!   by entries only is kept in JavaScript alone until its first `set` with options, then handed to a table with
//!   [`EntryTable::adopt`].)
//!
//! Both therefore evict, expire and count in exactly the same order, and one behaviour corpus (`tests/corpus/cache`)
//! pins them.
//!
//! Recency is a [`RecencyList`] over the slots (O(1) per operation); freed slots are reused last freed first, so an
//! insert that evicts exactly one entry gets that entry's slot back.

use super::recency::RecencyList;
pub use super::recency::SlotId;
use super::{CacheConfig, CacheError, CacheStats, EntryOptions};
use crate::time::Timestamp;
use std::time::Duration;

/// What a slot's entry holds besides its place and expiry (read on insert, eviction and invalidation only).
#[derive(Debug, Clone)]
struct Entry {
    bytes: u64,
    stored_at: Timestamp,
    tags: Vec<String>,
}

/// `expires_at` of an entry without TTL.
const NEVER: u64 = u64::MAX;

/// What [`EntryTable::insert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    /// The slot now holding the new entry.
    pub slot: SlotId,
    /// Least-recently-used entries evicted to make room (expired entries removed on the way are counted as
    /// expirations, not here).
    pub evicted: usize,
}

/// Recency, bounds, TTL, tags and statistics of a cache whose keys and values live elsewhere (see the module docs).
#[derive(Debug, Clone)]
pub struct EntryTable {
    config: CacheConfig,
    // Per slot, as parallel arrays: what a `get` reads (liveness, expiry, recency) stays in a few small arrays.
    live: Vec<bool>,
    /// Nanoseconds; [`NEVER`] for no TTL.
    expires_at: Vec<u64>,
    entries: Vec<Entry>,
    recency: RecencyList,
    free: Vec<SlotId>,
    len: usize,
    /// Bytes held (u64: in wasm32 a cache whose values live in JavaScript may be told of sizes past 4 GiB).
    bytes: u64,
    /// No held entry expires before this (a lower bound; `None`: no entry has a TTL). Lets a full cache skip the
    /// expired-entries scan on insert when nothing can have expired yet.
    next_expiry: Option<Timestamp>,
    stats: CacheStats,
    /// Slots vacated by the last operation that reports them.
    released: Vec<SlotId>,
    /// Scratch for [`EntryTable::touch_stamped`]: the slots got, by stamp.
    stamped: Vec<(u64, SlotId)>,
}

impl EntryTable {
    /// An empty table; fails if a bound is zero.
    pub fn new(config: CacheConfig) -> Result<Self, CacheError> {
        let invalid = |field, message: &str| {
            Err(CacheError::InvalidConfig {
                field,
                message: message.into(),
            })
        };
        if config.max_entries == 0 {
            return invalid("maxEntries", "must be at least 1");
        }
        if config.max_bytes == 0 {
            return invalid("maxBytes", "must be at least 1");
        }
        if config.default_ttl_ms == Some(0) {
            return invalid("defaultTtlMs", "must be at least 1 (omit it for no TTL)");
        }
        Ok(EntryTable {
            config,
            live: Vec::new(),
            expires_at: Vec::new(),
            entries: Vec::new(),
            recency: RecencyList::default(),
            free: Vec::new(),
            len: 0,
            bytes: 0,
            next_expiry: None,
            stats: CacheStats::default(),
            released: Vec::new(),
            stamped: Vec::new(),
        })
    }

    /// The bounds this table was built with.
    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    /// Whether an entry charged `bytes` can be stored at all (`bytes ≤ maxBytes`).
    pub fn fits(&self, bytes: u64) -> bool {
        bytes <= self.max_bytes()
    }

    fn max_bytes(&self) -> u64 {
        self.config.max_bytes as u64
    }

    /// Stores a new entry charged `bytes` (key length + value size), replacing the entry in `replacing` if the key
    /// already had one, and evicts least-recently-used entries (expired ones first, when anything can have
    /// expired) until both bounds hold. Returns `None`, changing nothing, when the entry alone exceeds `maxBytes`.
    ///
    /// Afterwards [`EntryTable::released`] lists every slot this insert vacated (the caller drops their keys and
    /// values *before* storing the new entry, whose slot may be one of them). The replaced slot is not among
    /// them: the new entry takes it over.
    pub fn insert(
        &mut self,
        replacing: Option<SlotId>,
        bytes: u64,
        now: Timestamp,
        options: EntryOptions,
    ) -> Option<Inserted> {
        self.released.clear();
        if !self.fits(bytes) {
            return None;
        }
        if let Some(slot) = replacing {
            self.recency.remove(slot);
            self.bytes = self.bytes.saturating_sub(self.entries[slot as usize].bytes);
            self.len -= 1;
        }
        let ttl = options
            .ttl
            .or(self.config.default_ttl_ms.map(Duration::from_millis));
        let expires_at = ttl.map(|ttl| now.saturating_add(ttl));
        if self.over_bounds(bytes) && self.next_expiry.is_some_and(|at| at <= now) {
            self.purge_expired_into_released(now);
        }
        let mut evicted = 0;
        while self.over_bounds(bytes) {
            let Some(slot) = self.recency.oldest() else {
                break;
            };
            self.vacate(slot);
            self.released.push(slot);
            evicted += 1;
        }
        self.stats.evictions += evicted as u64;
        self.stats.inserts += 1;
        if let Some(at) = expires_at {
            self.next_expiry = Some(self.next_expiry.map_or(at, |next| next.min(at)));
        }
        let entry = Entry {
            bytes,
            stored_at: now,
            tags: options.tags,
        };
        let expires_at = expires_at.map_or(NEVER, Timestamp::as_nanos);
        let slot = match replacing.or_else(|| self.free.pop()) {
            Some(slot) => {
                let i = slot as usize;
                (self.live[i], self.expires_at[i], self.entries[i]) = (true, expires_at, entry);
                slot
            }
            None => {
                self.live.push(true);
                self.expires_at.push(expires_at);
                self.entries.push(entry);
                (self.entries.len() - 1) as SlotId
            }
        };
        self.bytes = self.bytes.saturating_add(bytes);
        self.len += 1;
        self.recency.push_newest(slot);
        Some(Inserted { slot, evicted })
    }

    fn over_bounds(&self, incoming: u64) -> bool {
        self.len + 1 > self.config.max_entries
            || self.bytes.saturating_add(incoming) > self.max_bytes()
    }

    /// Slots vacated by the last `insert`, `invalidate_tag` or `purge_expired`, in the order they were vacated.
    pub fn released(&self) -> &[SlotId] {
        &self.released
    }

    /// A `get`: if the entry in `slot` is fresh, marks it most recently used, counts a hit and returns true;
    /// if it has expired, removes it (the caller drops its key and value), counts an expiration and a miss and
    /// returns false.
    pub fn touch(&mut self, slot: SlotId, now: Timestamp) -> bool {
        debug_assert!(self.live[slot as usize], "touch of a vacant slot");
        if self.is_expired(slot, now) {
            self.vacate(slot);
            self.stats.expirations += 1;
            self.stats.misses += 1;
            return false;
        }
        self.stats.hits += 1;
        self.recency.touch(slot);
        true
    }

    /// Like [`EntryTable::touch`], also returning how long ago the entry was stored (the HTTP `Age`).
    pub fn touch_with_age(&mut self, slot: SlotId, now: Timestamp) -> Option<Duration> {
        let stored_at = self.entries[slot as usize].stored_at;
        self.touch(slot, now)
            .then(|| now.saturating_duration_since(stored_at))
    }

    fn is_expired(&self, slot: SlotId, now: Timestamp) -> bool {
        let at = self.expires_at[slot as usize];
        at != NEVER && now.as_nanos() >= at
    }

    /// Gets of entries that cannot have expired (stored without a TTL), applied in the order they happened: each
    /// slot of `log` that holds an entry counts a hit and becomes the most recently used. A slot vacated since it
    /// was logged is skipped (a caller applies its log before anything that vacates). Moving every logged slot in
    /// turn costs less than first finding each slot's last get and moving each slot once (measured natively on
    /// Zipf gets over 10,000 entries: 4.8 against 10.5 ns a get), and ends in the same order.
    pub fn touch_logged(&mut self, log: &[SlotId]) {
        let mut hits = 0;
        for &slot in log {
            if self.is_live(slot) {
                debug_assert_eq!(self.expires_at[slot as usize], NEVER);
                hits += 1;
                self.recency.touch(slot);
            }
        }
        self.stats.hits += hits;
    }

    /// Takes over a cache kept elsewhere until now (the JS package keeps a cache bounded by entries only in
    /// JavaScript until its first `set` with options): `entries` are its slots with the time each entry was stored,
    /// least recently used first, each stored without TTL or tags and charged nothing; `slots` is how many slot
    /// numbers it used (those not in `entries` are free); `counts` its statistics so far. Only an empty table with
    /// fresh counts takes over; returns false, changing nothing, otherwise or when a slot is repeated or not below
    /// `slots`, or when there are more entries than `maxEntries`.
    pub fn adopt(
        &mut self,
        entries: impl IntoIterator<Item = (SlotId, Timestamp)> + Clone,
        slots: usize,
        counts: CacheStats,
    ) -> bool {
        if self.len != 0 || !self.live.is_empty() || self.stats != CacheStats::default() {
            return false;
        }
        let mut seen = vec![false; slots];
        let mut held = 0;
        for (slot, _) in entries.clone() {
            match seen.get_mut(slot as usize) {
                Some(cell) if !*cell => *cell = true,
                _ => return false,
            }
            held += 1;
        }
        if held > self.config.max_entries {
            return false;
        }
        self.live = vec![false; slots];
        self.expires_at = vec![NEVER; slots];
        self.entries = vec![
            Entry {
                bytes: 0,
                stored_at: Timestamp::ZERO,
                tags: Vec::new(),
            };
            slots
        ];
        for (slot, stored_at) in entries {
            let i = slot as usize;
            self.live[i] = true;
            self.entries[i].stored_at = stored_at;
            self.recency.push_newest(slot);
        }
        self.free = (0..slots as SlotId)
            .rev()
            .filter(|&s| !seen[s as usize])
            .collect();
        self.len = held;
        self.stats = CacheStats {
            entries: 0,
            bytes: 0,
            hit_ratio: 0.0,
            ..counts
        };
        true
    }

    /// `gets` gets of entries that cannot have expired, given as each slot's last-get stamp (slot `s` at
    /// `stamps[s]`; stamps count the gets, so a later get has a larger stamp): every slot whose stamp is above
    /// `since` becomes the most recently used, in stamp order. That is the order [`EntryTable::touch_logged`] ends in
    /// for the same gets in the order they happened (only each slot's last get decides where it ends), so a caller
    /// may record a long run of gets in either form. Costs one pass over `stamps` and a sort of the slots got; a
    /// slot vacated since (or never filled) is skipped, and each of the `gets` counts a hit.
    pub fn touch_stamped(&mut self, stamps: &[f64], since: f64, gets: u64) {
        let mut got = std::mem::take(&mut self.stamped);
        got.clear();
        got.extend(
            stamps
                .iter()
                .take(self.live.len())
                .enumerate()
                .filter(|&(slot, &stamp)| stamp > since && self.is_live(slot as SlotId))
                .map(|(slot, &stamp)| ((stamp - since) as u64, slot as SlotId)),
        );
        got.sort_unstable();
        for &(_, slot) in &got {
            self.recency.touch(slot);
        }
        self.stats.hits += gets;
        self.stamped = got;
    }

    /// A `get` of a key the caller does not hold: counts a miss.
    pub fn count_miss(&mut self) {
        self.stats.misses += 1;
    }

    /// `n` gets of keys the caller does not hold.
    pub fn count_misses(&mut self, n: u64) {
        self.stats.misses += n;
    }

    /// Whether the entry in `slot` is fresh at `now` (no recency or statistics change: a `peek`).
    pub fn is_fresh(&self, slot: SlotId, now: Timestamp) -> bool {
        !self.is_expired(slot, now)
    }

    /// How long ago the entry in `slot` was stored, if it is fresh (no recency or statistics change).
    pub fn age(&self, slot: SlotId, now: Timestamp) -> Option<Duration> {
        (!self.is_expired(slot, now))
            .then(|| now.saturating_duration_since(self.entries[slot as usize].stored_at))
    }

    /// Removes the entry in `slot` (expired or not), counting an invalidation.
    pub fn remove(&mut self, slot: SlotId) {
        self.vacate(slot);
        self.stats.invalidations += 1;
    }

    /// Removes the entries in `slots` (the caller's choice, e.g. by key prefix), counting invalidations; returns
    /// how many.
    pub fn invalidate(&mut self, slots: impl IntoIterator<Item = SlotId>) -> usize {
        let mut n = 0;
        for slot in slots {
            self.remove(slot);
            n += 1;
        }
        n
    }

    /// Removes every entry tagged `tag`, counting invalidations; [`EntryTable::released`] lists them.
    pub fn invalidate_tag(&mut self, tag: &str) -> usize {
        self.released.clear();
        let tagged: Vec<SlotId> = self
            .recency
            .newest_first()
            .filter(|&slot| self.entries[slot as usize].tags.iter().any(|t| t == tag))
            .collect();
        for &slot in &tagged {
            self.remove(slot);
        }
        self.released = tagged;
        self.released.len()
    }

    /// Removes every expired entry, counting expirations; [`EntryTable::released`] lists them.
    pub fn purge_expired(&mut self, now: Timestamp) -> usize {
        self.released.clear();
        self.purge_expired_into_released(now)
    }

    fn purge_expired_into_released(&mut self, now: Timestamp) -> usize {
        let expired: Vec<SlotId> = self
            .recency
            .newest_first()
            .filter(|&slot| self.is_expired(slot, now))
            .collect();
        for &slot in &expired {
            self.vacate(slot);
        }
        self.released.extend_from_slice(&expired);
        self.stats.expirations += expired.len() as u64;
        self.next_expiry = self
            .recency
            .newest_first()
            .map(|slot| self.expires_at[slot as usize])
            .filter(|&at| at != NEVER)
            .min()
            .map(Timestamp::from_nanos);
        expired.len()
    }

    /// Removes every entry, counting invalidations.
    pub fn clear(&mut self) {
        self.stats.invalidations += self.len as u64;
        self.live.clear();
        self.expires_at.clear();
        self.entries.clear();
        self.recency.clear();
        self.free.clear();
        self.released.clear();
        self.len = 0;
        self.bytes = 0;
        self.next_expiry = None;
    }

    /// Entries held (expired ones included until they are touched or purged).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Occupied slots from most to least recently used.
    pub fn by_recency(&self) -> impl Iterator<Item = SlotId> + '_ {
        self.recency.newest_first()
    }

    /// Counters and current size.
    pub fn stats(&self) -> CacheStats {
        let lookups = self.stats.hits + self.stats.misses;
        CacheStats {
            entries: self.len,
            bytes: usize::try_from(self.bytes).unwrap_or(usize::MAX),
            hit_ratio: if lookups == 0 {
                0.0
            } else {
                self.stats.hits as f64 / lookups as f64
            },
            ..self.stats
        }
    }

    /// Zeroes the counters (entries stay).
    pub fn reset_stats(&mut self) {
        self.stats = CacheStats::default();
    }

    /// Takes `slot` out of the recency list and frees it.
    fn vacate(&mut self, slot: SlotId) {
        self.recency.remove(slot);
        self.live[slot as usize] = false;
        let entry = &mut self.entries[slot as usize];
        entry.tags = Vec::new();
        self.bytes = self.bytes.saturating_sub(entry.bytes);
        self.len -= 1;
        self.free.push(slot);
    }

    /// Whether `slot` holds an entry (for callers checking a slot number that came from outside, e.g. JavaScript).
    pub fn is_live(&self, slot: SlotId) -> bool {
        self.live.get(slot as usize).copied().unwrap_or(false)
    }
}
