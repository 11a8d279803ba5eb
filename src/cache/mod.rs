//! A response cache with exact LRU recency, bounded by entry count and by bytes, with per-entry TTL, tags and
//! statistics.
//!
//! Every decision is made by the [`EntryTable`] (`table.rs`): recency as a list threaded through numbered slots
//! (O(1) per operation), the bounds, TTL, tags and statistics. [`ResponseCache`] adds the keys and values (a hash map
//! from key to slot); the JavaScript package drives the same table with its keys in a JS `Map`, so both builds make
//! the same decisions. What the cache guarantees:
//! - **Two bounds.** `maxEntries` and `maxBytes` (optional: without it only the entry count bounds the cache); an
//!   entry is charged `key.len() + size` bytes, where `size` is the byte size the caller declares for the value. Inserting evicts least-recently-used entries (expired ones first)
//!   until both bounds hold; an entry that alone exceeds `maxBytes` is refused and nothing is evicted for it.
//! - **TTL.** Per entry, or a default; an expired entry is never returned and counts as a miss and an expiration.
//! - **Recency.** [`ResponseCache::get`] refreshes recency and counts a hit or miss; [`ResponseCache::peek`] does neither.
//! - **Invalidation** by key, by key prefix, by glob (`*` any run, `?` one character) and by tag.
//!
//! Time is an argument ([`Timestamp`]); the cache reads no clock.

mod recency;
mod table;

pub use table::{EntryTable, Inserted, SlotId};

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// Bounds and defaults of a [`ResponseCache`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CacheConfig {
    /// Most entries held at once (≥ 1).
    pub max_entries: usize,
    /// Most bytes held at once, counting each entry as `key.len() + size` (≥ 1). Omitted in JSON: no byte bound
    /// (`usize::MAX`).
    #[serde(default = "no_byte_bound")]
    pub max_bytes: usize,
    /// TTL for entries inserted without one, in milliseconds; `None` keeps them until evicted.
    #[serde(default)]
    pub default_ttl_ms: Option<u64>,
}

fn no_byte_bound() -> usize {
    usize::MAX
}

impl CacheConfig {
    /// A config with both bounds and no default TTL.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        CacheConfig {
            max_entries,
            max_bytes,
            default_ttl_ms: None,
        }
    }
}

/// Per-insert options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryOptions {
    /// Time to live; overrides the cache's default.
    pub ttl: Option<Duration>,
    /// Labels for [`ResponseCache::invalidate_tag`].
    pub tags: Vec<String>,
}

/// Counters since the cache was created (or since [`ResponseCache::reset_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheStats {
    /// `get` calls that returned a value.
    pub hits: u64,
    /// `get` calls that returned nothing (absent or expired).
    pub misses: u64,
    /// Successful inserts.
    pub inserts: u64,
    /// Entries removed to make room.
    pub evictions: u64,
    /// Entries removed because their TTL had passed.
    pub expirations: u64,
    /// Entries removed by `remove`, `invalidate_prefix`, `invalidate_tag` or `clear`.
    pub invalidations: u64,
    /// Entries held now.
    pub entries: usize,
    /// Bytes held now.
    pub bytes: usize,
    /// `hits / (hits + misses)`, or 0 before any `get`.
    pub hit_ratio: f64,
}

/// Why a cache could not be built or an entry could not be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheError {
    /// A bound in [`CacheConfig`] is zero.
    InvalidConfig {
        field: &'static str,
        message: String,
    },
    /// The entry alone is larger than `maxBytes`; it was not stored and nothing was evicted.
    EntryTooLarge {
        key: String,
        bytes: usize,
        limit: usize,
    },
    /// An invalidation glob is longer than [`MAX_GLOB_BYTES`].
    GlobTooLong { len: usize, limit: usize },
}

/// Longest glob accepted by [`ResponseCache::invalidate_glob`].
pub const MAX_GLOB_BYTES: usize = 1024;

impl fmt::Display for CacheError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CacheError::InvalidConfig { field, message } => write!(f, "invalid cache config `{field}`: {message}"),
            CacheError::EntryTooLarge { key, bytes, limit } => write!(
                f,
                "cache entry {key:?} needs {bytes} bytes, more than the cache's maxBytes of {limit}; not stored"
            ),
            CacheError::GlobTooLong { len, limit } => {
                write!(f, "invalidation glob is {len} bytes, more than the limit of {limit}")
            }
        }
    }
}

impl std::error::Error for CacheError {}

/// The cache. `V` is the stored value (a response, a JS value, bytes, …).
///
/// Keys and values live here; every decision (recency, bounds, TTL, tags, statistics) is the [`EntryTable`]'s,
/// the same table the JavaScript package drives with its keys in a JS `Map`.
pub struct ResponseCache<V> {
    table: EntryTable,
    /// Key → slot.
    index: HashMap<String, SlotId>,
    /// Slot → key and value (`None` for a vacant slot).
    entries: Vec<Option<(String, V)>>,
}

impl<V> fmt::Debug for ResponseCache<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseCache")
            .field("config", self.table.config())
            .field("entries", &self.table.len())
            .field("bytes", &self.table.bytes())
            .finish()
    }
}

impl<V> ResponseCache<V> {
    /// An empty cache; fails if a bound is zero.
    pub fn new(config: CacheConfig) -> Result<Self, CacheError> {
        Ok(ResponseCache {
            table: EntryTable::new(config)?,
            index: HashMap::new(),
            entries: Vec::new(),
        })
    }

    /// The bounds this cache was built with.
    pub fn config(&self) -> &CacheConfig {
        self.table.config()
    }

    /// Stores `value` under `key`, replacing any previous entry, and evicts least-recently-used entries until the
    /// bounds hold. Returns how many entries were evicted. `size` is the value's size in bytes as the caller counts
    /// it; the entry is charged `key.len() + size`.
    pub fn insert(
        &mut self,
        key: &str,
        value: V,
        size: usize,
        now: Timestamp,
        options: EntryOptions,
    ) -> Result<usize, CacheError> {
        let bytes = key.len().saturating_add(size);
        let replacing = self.index.get(key).copied();
        let Some(inserted) = self.table.insert(replacing, bytes as u64, now, options) else {
            return Err(CacheError::EntryTooLarge {
                key: key.to_owned(),
                bytes,
                limit: self.table.config().max_bytes,
            });
        };
        for i in 0..self.table.released().len() {
            let slot = self.table.released()[i];
            self.drop_slot(slot);
        }
        let slot = inserted.slot as usize;
        if slot == self.entries.len() {
            self.entries.push(None);
        }
        match &mut self.entries[slot] {
            Some((_, old)) if replacing.is_some() => *old = value,
            vacant => {
                *vacant = Some((key.to_owned(), value));
                self.index.insert(key.to_owned(), inserted.slot);
            }
        }
        Ok(inserted.evicted)
    }

    /// Forgets the key and value of a slot the table vacated.
    fn drop_slot(&mut self, slot: SlotId) -> Option<V> {
        let (key, value) = self.entries[slot as usize].take()?;
        self.index.remove(&key);
        Some(value)
    }

    /// The value under `key` if present and fresh; marks it most recently used and counts a hit, or counts a miss.
    pub fn get(&mut self, key: &str, now: Timestamp) -> Option<&V> {
        self.get_with_age(key, now).map(|(value, _)| value)
    }

    /// Like [`ResponseCache::get`], also returning how long ago the entry was stored (the HTTP `Age`), in one lookup.
    pub fn get_with_age(&mut self, key: &str, now: Timestamp) -> Option<(&V, Duration)> {
        let Some(&slot) = self.index.get(key) else {
            self.table.count_miss();
            return None;
        };
        match self.table.touch_with_age(slot, now) {
            Some(age) => self.entries[slot as usize].as_ref().map(|(_, v)| (v, age)),
            None => {
                self.drop_slot(slot);
                None
            }
        }
    }

    fn fresh_slot(&self, key: &str, now: Timestamp) -> Option<SlotId> {
        let slot = *self.index.get(key)?;
        self.table.is_fresh(slot, now).then_some(slot)
    }

    /// The value under `key` if present and fresh, without touching recency or statistics.
    pub fn peek(&self, key: &str, now: Timestamp) -> Option<&V> {
        let slot = self.fresh_slot(key, now)?;
        self.entries[slot as usize].as_ref().map(|(_, v)| v)
    }

    /// How long ago a fresh entry was stored (the HTTP `Age`), without touching recency or statistics.
    pub fn age(&self, key: &str, now: Timestamp) -> Option<Duration> {
        self.table.age(*self.index.get(key)?, now)
    }

    /// Whether a fresh entry exists under `key` (no recency or statistics change).
    pub fn contains(&self, key: &str, now: Timestamp) -> bool {
        self.fresh_slot(key, now).is_some()
    }

    /// Removes the entry under `key`, returning its value (even if expired).
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let slot = *self.index.get(key)?;
        self.table.remove(slot);
        self.drop_slot(slot)
    }

    fn invalidate_keys(&mut self, doomed: impl Fn(&str) -> bool) -> usize {
        let slots: Vec<SlotId> = self
            .table
            .by_recency()
            .filter(|&slot| {
                self.entries[slot as usize]
                    .as_ref()
                    .is_some_and(|(key, _)| doomed(key))
            })
            .collect();
        for &slot in &slots {
            self.drop_slot(slot);
        }
        self.table.invalidate(slots)
    }

    /// Removes every entry whose key starts with `prefix`; returns how many.
    pub fn invalidate_prefix(&mut self, prefix: &str) -> usize {
        self.invalidate_keys(|key| key.starts_with(prefix))
    }

    /// Removes every entry whose whole key matches `glob` (`*` matches any run of characters, `?` exactly one,
    /// everything else itself); returns how many.
    pub fn invalidate_glob(&mut self, glob: &str) -> Result<usize, CacheError> {
        let glob = KeyGlob::new(glob)?;
        Ok(self.invalidate_keys(|key| glob.matches(key)))
    }

    /// Removes every entry carrying `tag`; returns how many.
    pub fn invalidate_tag(&mut self, tag: &str) -> usize {
        let n = self.table.invalidate_tag(tag);
        for i in 0..n {
            let slot = self.table.released()[i];
            self.drop_slot(slot);
        }
        n
    }

    /// Removes every expired entry; returns how many.
    pub fn purge_expired(&mut self, now: Timestamp) -> usize {
        let n = self.table.purge_expired(now);
        for i in 0..n {
            let slot = self.table.released()[i];
            self.drop_slot(slot);
        }
        n
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.table.clear();
        self.index.clear();
        self.entries.clear();
    }

    /// Entries held (expired ones included until they are touched or purged).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        usize::try_from(self.table.bytes()).unwrap_or(usize::MAX)
    }

    /// Keys from most to least recently used.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.table.by_recency().filter_map(|slot| {
            self.entries[slot as usize]
                .as_ref()
                .map(|(key, _)| key.as_str())
        })
    }

    /// Counters and current size.
    pub fn stats(&self) -> CacheStats {
        self.table.stats()
    }

    /// Zeroes the counters (entries stay).
    pub fn reset_stats(&mut self) {
        self.table.reset_stats();
    }
}

/// A `*`/`?` glob over whole keys, as [`ResponseCache::invalidate_glob`] takes it.
#[derive(Debug)]
pub struct KeyGlob(wildmatch::WildMatch);

impl KeyGlob {
    /// Fails for a glob longer than [`MAX_GLOB_BYTES`].
    pub fn new(glob: &str) -> Result<Self, CacheError> {
        if glob.len() > MAX_GLOB_BYTES {
            return Err(CacheError::GlobTooLong {
                len: glob.len(),
                limit: MAX_GLOB_BYTES,
            });
        }
        // `wildmatch` matches `*`/`?` globs with no backtracking blow-up (one restart point), and treats every
        // other character, regex metacharacters included, as itself.
        Ok(KeyGlob(wildmatch::WildMatch::new(glob)))
    }

    /// Whether the whole of `key` matches.
    pub fn matches(&self, key: &str) -> bool {
        self.0.matches(key)
    }
}

#[cfg(test)]
mod tests;
