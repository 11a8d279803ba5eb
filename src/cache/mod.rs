//! A response cache with exact LRU recency, bounded by entry count and by bytes, with per-entry TTL, tags and
//! statistics.
//!
//! Built on the [`lru`] crate's `LruCache` (a hash map threaded by a recency list, O(1) per operation). The cache
//! adds what a response cache needs on top:
//! - **Two bounds.** `maxEntries` and `maxBytes`; an entry is charged `key.len() + size` bytes, where `size` is the
//!   byte size the caller declares for the value. Inserting evicts least-recently-used entries (expired ones first)
//!   until both bounds hold; an entry that alone exceeds `maxBytes` is refused and nothing is evicted for it.
//! - **TTL.** Per entry, or a default; an expired entry is never returned and counts as a miss and an expiration.
//! - **Recency.** [`ResponseCache::get`] refreshes recency and counts a hit or miss; [`ResponseCache::peek`] does neither.
//! - **Invalidation** by key, by key prefix, by glob (`*` any run, `?` one character) and by tag.
//!
//! Time is an argument ([`Timestamp`]); the cache reads no clock.

use crate::time::Timestamp;
use lru::LruCache;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Bounds and defaults of a [`ResponseCache`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CacheConfig {
    /// Most entries held at once (≥ 1).
    pub max_entries: usize,
    /// Most bytes held at once, counting each entry as `key.len() + size` (≥ 1).
    pub max_bytes: usize,
    /// TTL for entries inserted without one, in milliseconds; `None` keeps them until evicted.
    #[serde(default)]
    pub default_ttl_ms: Option<u64>,
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

struct Entry<V> {
    value: V,
    bytes: usize,
    stored_at: Timestamp,
    expires_at: Option<Timestamp>,
    tags: Vec<String>,
}

impl<V> Entry<V> {
    fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }
}

/// The cache. `V` is the stored value (a response, a JS value, bytes, …).
pub struct ResponseCache<V> {
    config: CacheConfig,
    entries: LruCache<String, Entry<V>>,
    bytes: usize,
    /// No held entry expires before this (a lower bound; `None`: no entry has a TTL). Lets a full cache skip the
    /// expired-entries scan on insert when nothing can have expired yet.
    next_expiry: Option<Timestamp>,
    stats: CacheStats,
}

impl<V> fmt::Debug for ResponseCache<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseCache")
            .field("config", &self.config)
            .field("entries", &self.entries.len())
            .field("bytes", &self.bytes)
            .finish()
    }
}

impl<V> ResponseCache<V> {
    /// An empty cache; fails if a bound is zero.
    pub fn new(config: CacheConfig) -> Result<Self, CacheError> {
        if config.max_entries == 0 {
            return Err(CacheError::InvalidConfig {
                field: "maxEntries",
                message: "must be at least 1".into(),
            });
        }
        if config.max_bytes == 0 {
            return Err(CacheError::InvalidConfig {
                field: "maxBytes",
                message: "must be at least 1".into(),
            });
        }
        if config.default_ttl_ms == Some(0) {
            return Err(CacheError::InvalidConfig {
                field: "defaultTtlMs",
                message: "must be at least 1 (omit it for no TTL)".into(),
            });
        }
        Ok(ResponseCache {
            config,
            entries: LruCache::unbounded(),
            bytes: 0,
            next_expiry: None,
            stats: CacheStats::default(),
        })
    }

    /// The bounds this cache was built with.
    pub fn config(&self) -> &CacheConfig {
        &self.config
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
        if bytes > self.config.max_bytes {
            return Err(CacheError::EntryTooLarge {
                key: key.to_owned(),
                bytes,
                limit: self.config.max_bytes,
            });
        }
        if let Some(old) = self.entries.pop(key) {
            self.bytes -= old.bytes;
        }
        let ttl = options
            .ttl
            .or(self.config.default_ttl_ms.map(Duration::from_millis));
        let expires_at = ttl.map(|ttl| now.saturating_add(ttl));
        let mut evicted = 0;
        let full = self.entries.len() + 1 > self.config.max_entries
            || self.bytes + bytes > self.config.max_bytes;
        if full && self.next_expiry.is_some_and(|at| at <= now) {
            self.purge_expired(now);
        }
        while self.entries.len() + 1 > self.config.max_entries
            || self.bytes + bytes > self.config.max_bytes
        {
            match self.entries.pop_lru() {
                Some((_, old)) => {
                    self.bytes -= old.bytes;
                    evicted += 1;
                }
                None => break,
            }
        }
        self.stats.evictions += evicted as u64;
        self.stats.inserts += 1;
        self.bytes += bytes;
        if let Some(at) = expires_at {
            self.next_expiry = Some(self.next_expiry.map_or(at, |next| next.min(at)));
        }
        self.entries.push(
            key.to_owned(),
            Entry {
                value,
                bytes,
                stored_at: now,
                expires_at,
                tags: options.tags,
            },
        );
        Ok(evicted)
    }

    /// The value under `key` if present and fresh; marks it most recently used and counts a hit, or counts a miss.
    pub fn get(&mut self, key: &str, now: Timestamp) -> Option<&V> {
        self.get_with_age(key, now).map(|(value, _)| value)
    }

    /// Like [`ResponseCache::get`], also returning how long ago the entry was stored (the HTTP `Age`), in one lookup.
    pub fn get_with_age(&mut self, key: &str, now: Timestamp) -> Option<(&V, Duration)> {
        if self.entries.peek(key).is_some_and(|e| e.is_expired(now)) {
            self.drop_entry(key);
            self.stats.expirations += 1;
        }
        match self.entries.get(key) {
            Some(entry) => {
                self.stats.hits += 1;
                Some((&entry.value, now.saturating_duration_since(entry.stored_at)))
            }
            None => {
                self.stats.misses += 1;
                None
            }
        }
    }

    /// The value under `key` if present and fresh, without touching recency or statistics.
    pub fn peek(&self, key: &str, now: Timestamp) -> Option<&V> {
        self.entries
            .peek(key)
            .filter(|e| !e.is_expired(now))
            .map(|e| &e.value)
    }

    /// How long ago a fresh entry was stored (the HTTP `Age`), without touching recency or statistics.
    pub fn age(&self, key: &str, now: Timestamp) -> Option<Duration> {
        self.entries
            .peek(key)
            .filter(|e| !e.is_expired(now))
            .map(|e| now.saturating_duration_since(e.stored_at))
    }

    /// Whether a fresh entry exists under `key` (no recency or statistics change).
    pub fn contains(&self, key: &str, now: Timestamp) -> bool {
        self.peek(key, now).is_some()
    }

    fn drop_entry(&mut self, key: &str) -> Option<V> {
        let entry = self.entries.pop(key)?;
        self.bytes -= entry.bytes;
        Some(entry.value)
    }

    /// Removes the entry under `key`, returning its value (even if expired).
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let value = self.drop_entry(key)?;
        self.stats.invalidations += 1;
        Some(value)
    }

    fn remove_where(&mut self, mut doomed: impl FnMut(&str, &Entry<V>) -> bool) -> usize {
        let keys: Vec<String> = self
            .entries
            .iter()
            .filter(|(k, e)| doomed(k, e))
            .map(|(k, _)| k.clone())
            .collect();
        for key in &keys {
            self.drop_entry(key);
        }
        keys.len()
    }

    /// Removes every entry whose key starts with `prefix`; returns how many.
    pub fn invalidate_prefix(&mut self, prefix: &str) -> usize {
        let n = self.remove_where(|key, _| key.starts_with(prefix));
        self.stats.invalidations += n as u64;
        n
    }

    /// Removes every entry whose whole key matches `glob` (`*` matches any run of characters, `?` exactly one,
    /// everything else itself); returns how many.
    pub fn invalidate_glob(&mut self, glob: &str) -> Result<usize, CacheError> {
        if glob.len() > MAX_GLOB_BYTES {
            return Err(CacheError::GlobTooLong {
                len: glob.len(),
                limit: MAX_GLOB_BYTES,
            });
        }
        // `wildmatch` matches `*`/`?` globs with no backtracking blow-up (one restart point), and treats every
        // other character, regex metacharacters included, as itself.
        let matcher = wildmatch::WildMatch::new(glob);
        let n = self.remove_where(|key, _| matcher.matches(key));
        self.stats.invalidations += n as u64;
        Ok(n)
    }

    /// Removes every entry carrying `tag`; returns how many.
    pub fn invalidate_tag(&mut self, tag: &str) -> usize {
        let n = self.remove_where(|_, entry| entry.tags.iter().any(|t| t == tag));
        self.stats.invalidations += n as u64;
        n
    }

    /// Removes every expired entry; returns how many.
    pub fn purge_expired(&mut self, now: Timestamp) -> usize {
        let n = self.remove_where(|_, entry| entry.is_expired(now));
        self.stats.expirations += n as u64;
        self.next_expiry = self.entries.iter().filter_map(|(_, e)| e.expires_at).min();
        n
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.stats.invalidations += self.entries.len() as u64;
        self.entries.clear();
        self.bytes = 0;
        self.next_expiry = None;
    }

    /// Entries held (expired ones included until they are touched or purged).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Keys from most to least recently used.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// Counters and current size.
    pub fn stats(&self) -> CacheStats {
        let lookups = self.stats.hits + self.stats.misses;
        CacheStats {
            entries: self.entries.len(),
            bytes: self.bytes,
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
}

#[cfg(test)]
mod tests;
