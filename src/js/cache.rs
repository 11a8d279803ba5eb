//! `CacheEntryTable`: the wasm half of the package's `ResponseCache` (src/js/package/engines.js).
//!
//! The JavaScript class keeps the keys in a `Map` (key → slot) and the values, as they are, in an array by slot;
//! this table makes every decision — recency, the entry and byte bounds, TTL, tags, statistics — through the same
//! [`EntryTable`] the Rust [`crate::cache::ResponseCache`] uses. One exception: a cache bounded by entries only (no
//! `maxBytes`, no `defaultTtlMs`) needs no decision but the LRU order and the counts, and the JS class keeps those
//! itself (a linked list through typed arrays, as the fastest JavaScript LRUs do: measured in `bench/engines.mjs
//! --bounds`, a get-or-set replay through such a list ran 1.35× lru-cache while the one through this table ran
//! level with it) until its first `set` with options, which hands the entries, their order, stored times and counts
//! to this table ([`CacheEntryTable::adopt`]). The behaviour corpus pins both forms to the native engine. Keys cross
//! into wasm only for glob invalidation ([`KeyGlob`]) and tags only when given.
//!
//! A `get` of a cache in which nothing can expire does not call into wasm at all: it writes the slot it found into
//! the *touch log*, a `Uint32Array` over a buffer in wasm memory ([`CacheEntryTable::touch_log`]), and the table
//! applies the logged touches in order (the same recency moves and hit counts, one call for thousands of gets)
//! before anything that depends on recency or the counters: an insert, an invalidation, `keys`, `stats`. Once a
//! run of gets with nothing else between them outgrows a few logs, the JS class stops logging and stamps instead:
//! each get writes a counter into the slot's cell of a JS `Float64Array` (a random write, with no moves in wasm at
//! all), and the run ends with one [`CacheEntryTable::apply_stamps`] that moves the slots got in stamp order — the
//! order the log would have left. A read-heavy cache then pays one write per get; one whose gets and sets
//! interleave keeps the log, whose moves cost less than sorting each short run. When
//! entries can expire, each `get` calls [`CacheEntryTable::touch`] so the expiry is decided at the time of the get.
//!
//! `insert` answers with one number: the new entry's slot, plus 2³² × (2 × evicted + more), where `more` says the
//! insert vacated other slots than the one it reused (the JS side then calls `takeReleased`); a slot that comes back
//! occupied by another key was that key's, evicted (or expired) and reused. -1: the entry is larger than `maxBytes`.

use super::typescript::*;
use super::{from_js, js_error, number_field, options_object, to_js};
use crate::cache::{self, CacheConfig, CacheError, EntryOptions, EntryTable};
use crate::time::Timestamp;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Entries in the touch log.
const TOUCH_LOG: usize = 4096;

fn cache_error(e: CacheError) -> JsValue {
    let name = match e {
        CacheError::InvalidConfig { .. } => "CacheConfigError",
        CacheError::EntryTooLarge { .. } => "EntryTooLargeError",
        CacheError::GlobTooLong { .. } => "RangeError",
    };
    js_error(name, &e.to_string())
}

fn non_negative(field: &str, value: f64) -> Result<f64, JsValue> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(js_error(
            "RangeError",
            &format!("`{field}` must be a finite number ≥ 0, got {value}"),
        ))
    }
}

/// The size a value is charged when the caller does not say (only asked when the cache has a `maxBytes`).
fn measured_size(value: &JsValue) -> Result<u64, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s.len() as u64);
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(u64::from(buffer.byte_length()));
    }
    if js_sys::ArrayBuffer::is_view(value) {
        let length = js_sys::Reflect::get(value, &JsValue::from_str("byteLength"))?;
        return Ok(length.as_f64().unwrap_or(0.0) as u64);
    }
    let json = js_sys::JSON::stringify(value).map_err(|_| {
        js_error(
            "TypeError",
            "value cannot be sized with JSON.stringify; pass options.size",
        )
    })?;
    Ok(json.as_string().map_or(0, |s| s.len() as u64))
}

fn millis(now: f64) -> Timestamp {
    Timestamp::from_millis_f64(now)
}

/// A duration as JavaScript's fractional milliseconds: whole nanoseconds divided once, so a whole number of
/// milliseconds stays whole (`as_secs_f64() * 1000.0` rounds twice: 1,239 ms came out as 1238.9999999999998).
fn as_millis(duration: Duration) -> f64 {
    duration.as_nanos() as f64 / 1_000_000.0
}

/// The decisions of one `ResponseCache` (see the module docs). Used by the package's `ResponseCache` class; not
/// meant to be called directly.
#[wasm_bindgen]
pub struct CacheEntryTable {
    table: EntryTable,
    /// Slots of gets not yet applied, written by JavaScript (never reallocated: JS holds a view of it).
    touch_log: Vec<u32>,
    /// Bytes of the last entry refused as too large (for its error message).
    last_refused: u64,
}

#[wasm_bindgen]
impl CacheEntryTable {
    /// A table with these bounds. Throws a `TypeError` naming a bad or unknown field, a `CacheConfigError` for a
    /// zero bound.
    #[wasm_bindgen(constructor)]
    pub fn new(config: CacheConfigJs) -> Result<CacheEntryTable, JsValue> {
        let config: CacheConfig = from_js("cache config", config.into())?;
        Ok(CacheEntryTable {
            table: EntryTable::new(config).map_err(cache_error)?,
            touch_log: vec![0; TOUCH_LOG],
            last_refused: 0,
        })
    }

    /// Whether the cache has a `maxBytes` (values must then be sized).
    #[wasm_bindgen(getter, js_name = "byteBounded")]
    pub fn byte_bounded(&self) -> bool {
        self.table.config().max_bytes != usize::MAX
    }

    /// The most entries the cache holds (`maxEntries`).
    #[wasm_bindgen(getter, js_name = "maxEntries")]
    pub fn max_entries(&self) -> f64 {
        self.table.config().max_entries as f64
    }

    /// Whether entries get a TTL when `set` gives none.
    #[wasm_bindgen(getter, js_name = "hasDefaultTtl")]
    pub fn has_default_ttl(&self) -> bool {
        self.table.config().default_ttl_ms.is_some()
    }

    /// The touch log: a view of wasm memory where the JS class writes the slots of its gets (valid until wasm
    /// memory grows, when its length drops to 0 and JS asks again).
    #[wasm_bindgen(js_name = "touchLog")]
    pub fn touch_log(&self) -> js_sys::Uint32Array {
        // SAFETY: the view is of a buffer this table owns and never reallocates; JavaScript checks it before each
        // write (a view whose memory grew has length 0) and never keeps one past `free()`.
        unsafe { js_sys::Uint32Array::view(&self.touch_log) }
    }

    /// Applies the first `touches` logged gets, in order (recency and hits), and counts `misses` gets of keys the
    /// cache did not hold. The log is used only while no entry can expire (the JS class asks `touch` otherwise).
    #[wasm_bindgen(js_name = "applyTouches")]
    pub fn apply_touches(&mut self, touches: usize, misses: u32) {
        self.table.count_misses(u64::from(misses));
        let touches = touches.min(TOUCH_LOG);
        self.table.touch_logged(&self.touch_log[..touches]);
    }

    /// Applies a run of gets recorded as stamps instead of logged (what the JS class does once a run of gets with
    /// no insert in between grows long: see the module docs): `stamps[s]` is slot `s`'s last get, and the slots
    /// stamped above `since` become the most recently used in stamp order; `gets` hits and `misses` misses are
    /// counted (numbers, not 32-bit integers: billions of gets may pass between two calls).
    #[wasm_bindgen(js_name = "applyStamps")]
    pub fn apply_stamps(&mut self, stamps: &[f64], since: f64, gets: f64, misses: f64) {
        self.table.count_misses(misses as u64);
        self.table.touch_stamped(stamps, since, gets as u64);
    }

    /// Stores an entry charged `bytes` with no options (`replacing`: the key's current slot, or -1), after applying
    /// the pending touches and misses. Returns its slot and evictions (see the module docs), or -1.
    pub fn insert(
        &mut self,
        replacing: i32,
        bytes: f64,
        now: f64,
        touches: usize,
        misses: u32,
    ) -> f64 {
        self.apply_touches(touches, misses);
        self.insert_entry(
            replacing,
            bytes as u64,
            millis(now),
            EntryOptions::default(),
        )
    }

    /// Like `insert`, with `set`'s options object (`size`, `ttlMs`, `tags`; unknown fields are a `TypeError`).
    /// Without `size`, a byte-bounded cache measures `value` (the UTF-8 length of a string, the byte length of a
    /// buffer or view, the UTF-8 length of `JSON.stringify(value)` otherwise).
    #[wasm_bindgen(js_name = "insertWithOptions")]
    #[allow(clippy::too_many_arguments)]
    pub fn insert_with_options(
        &mut self,
        replacing: i32,
        key_bytes: f64,
        value: &UnknownJs,
        options: CacheSetOptionsJs,
        now: f64,
        touches: usize,
        misses: u32,
    ) -> Result<f64, JsValue> {
        self.apply_touches(touches, misses);
        let options = options_object(
            "cache set options",
            &options.into(),
            &["size", "ttlMs", "tags"],
        )?;
        let (mut size, mut ttl, mut tags) = (None, None, Vec::new());
        if let Some(options) = options {
            size = number_field(&options, "size")?
                .map(|s| non_negative("size", s))
                .transpose()?;
            ttl = number_field(&options, "ttlMs")?
                .map(|ms| non_negative("ttlMs", ms).map(|ms| Duration::from_secs_f64(ms / 1000.0)))
                .transpose()?;
            let tag_list = js_sys::Reflect::get(&options, &JsValue::from_str("tags"))?;
            if !tag_list.is_undefined() && !tag_list.is_null() {
                if !js_sys::Array::is_array(&tag_list) {
                    return Err(js_error("TypeError", "`tags` must be an array of strings"));
                }
                for tag in js_sys::Array::from(&tag_list).iter() {
                    tags.push(tag.as_string().ok_or_else(|| {
                        js_error("TypeError", "`tags` must be an array of strings")
                    })?);
                }
            }
        }
        let size = match size {
            Some(size) => size as u64,
            None if self.byte_bounded() => measured_size(value.unchecked_ref())?,
            None => 0,
        };
        let bytes = (key_bytes as u64).saturating_add(size);
        Ok(self.insert_entry(replacing, bytes, millis(now), EntryOptions { ttl, tags }))
    }

    fn insert_entry(
        &mut self,
        replacing: i32,
        bytes: u64,
        now: Timestamp,
        options: EntryOptions,
    ) -> f64 {
        let replacing = u32::try_from(replacing)
            .ok()
            .filter(|&s| self.table.is_live(s));
        let Some(inserted) = self.table.insert(replacing, bytes, now, options) else {
            self.last_refused = bytes;
            return -1.0;
        };
        let more = match self.table.released() {
            [] => false,
            [only] => *only != inserted.slot,
            _ => true,
        };
        let high = 2 * inserted.evicted as u64 + u64::from(more);
        (high as f64) * 4_294_967_296.0 + f64::from(inserted.slot)
    }

    /// The error for the entry (under `key`) the last insert refused as larger than `maxBytes`.
    #[wasm_bindgen(js_name = "tooLargeError")]
    pub fn too_large_error(&self, key: &str) -> ErrorJs {
        cache_error(CacheError::EntryTooLarge {
            key: key.to_owned(),
            bytes: usize::try_from(self.last_refused).unwrap_or(usize::MAX),
            limit: self.table.config().max_bytes,
        })
        .unchecked_into()
    }

    /// Every slot the last insert, tag invalidation or purge vacated.
    #[wasm_bindgen(js_name = "takeReleased")]
    pub fn take_released(&self) -> Vec<u32> {
        self.table.released().to_vec()
    }

    /// A `get` of the entry in `slot`: true (a hit, now most recently used), or false (it had expired and is gone).
    pub fn touch(&mut self, slot: u32, now: f64) -> bool {
        self.table.is_live(slot) && self.table.touch(slot, millis(now))
    }

    /// Whether the entry in `slot` is fresh (a `peek`: no recency or statistics change).
    #[wasm_bindgen(js_name = "isFresh")]
    pub fn is_fresh(&self, slot: u32, now: f64) -> bool {
        self.table.is_live(slot) && self.table.is_fresh(slot, millis(now))
    }

    /// Milliseconds since the entry in `slot` was stored, or `undefined` if it has expired.
    pub fn age(&self, slot: u32, now: f64) -> Option<f64> {
        if !self.table.is_live(slot) {
            return None;
        }
        self.table.age(slot, millis(now)).map(as_millis)
    }

    /// Milliseconds from `stored_at` to `now` (0 if `now` is earlier), reckoned as `age` reckons them: the JS class
    /// asks this for entries it keeps by itself (see `adopt`).
    #[wasm_bindgen(js_name = "ageMs")]
    pub fn age_ms(stored_at: f64, now: f64) -> f64 {
        as_millis(millis(now).saturating_duration_since(millis(stored_at)))
    }

    /// Takes over a cache bounded by entries only that the JS class kept by itself until its first `set` with
    /// options (keys, values and recency in JavaScript, as a `Map` and a linked list): `oldest_first` are its slots
    /// from least to most recently used, `stored_at` the time each entry was stored (ms, in the same order),
    /// `slots` how many slot numbers it used, and `counts` its hits, misses, inserts, evictions and invalidations.
    /// Returns false, changing nothing, if this table is not fresh or the slots do not fit (the JS class then
    /// throws).
    pub fn adopt(
        &mut self,
        oldest_first: &[u32],
        stored_at: &[f64],
        slots: u32,
        counts: &[f64],
    ) -> bool {
        let [hits, misses, inserts, evictions, invalidations] = match counts {
            [a, b, c, d, e] => [*a, *b, *c, *d, *e].map(|n| n as u64),
            _ => return false,
        };
        if stored_at.len() != oldest_first.len() {
            return false;
        }
        let entries = oldest_first
            .iter()
            .zip(stored_at)
            .map(|(&slot, &ms)| (slot, millis(ms)));
        let counts = cache::CacheStats {
            hits,
            misses,
            inserts,
            evictions,
            invalidations,
            ..Default::default()
        };
        self.table.adopt(entries, slots as usize, counts)
    }

    /// Removes the entry in `slot` (a `delete`).
    pub fn remove(&mut self, slot: u32) {
        if self.table.is_live(slot) {
            self.table.remove(slot);
        }
    }

    /// Removes the entries in `slots` (chosen by key on the JS side); returns how many.
    #[wasm_bindgen(js_name = "invalidateSlots")]
    pub fn invalidate_slots(&mut self, slots: &[u32]) -> u32 {
        let live: Vec<u32> = slots
            .iter()
            .copied()
            .filter(|&s| self.table.is_live(s))
            .collect();
        self.table.invalidate(live) as u32
    }

    /// Removes every entry tagged `tag`; returns their slots.
    #[wasm_bindgen(js_name = "invalidateTag")]
    pub fn invalidate_tag(&mut self, tag: &str) -> Vec<u32> {
        self.table.invalidate_tag(tag);
        self.table.released().to_vec()
    }

    /// Removes every expired entry; returns their slots.
    #[wasm_bindgen(js_name = "purgeExpired")]
    pub fn purge_expired(&mut self, now: f64) -> Vec<u32> {
        self.table.purge_expired(millis(now));
        self.table.released().to_vec()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.table.clear();
    }

    /// Occupied slots from most to least recently used.
    #[wasm_bindgen(js_name = "byRecency")]
    pub fn by_recency(&self) -> Vec<u32> {
        self.table.by_recency().collect()
    }

    /// Entries held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.table.len() as u32
    }

    /// Bytes held.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.table.bytes() as f64
    }

    /// Hits, misses, evictions, expirations, invalidations, size and hit ratio.
    pub fn stats(&self) -> Result<CacheStatsJs, JsValue> {
        Ok(to_js(&self.table.stats())?.unchecked_into())
    }
}

/// A `*`/`?` glob over whole cache keys, as `ResponseCache.invalidateGlob` takes it (the same matcher as the Rust
/// cache's, so both builds invalidate the same keys).
#[wasm_bindgen(js_name = "KeyGlob")]
pub struct KeyGlobJs(cache::KeyGlob);

#[wasm_bindgen(js_class = "KeyGlob")]
impl KeyGlobJs {
    /// Throws a `RangeError` for a glob longer than 1,024 bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(glob: &str) -> Result<KeyGlobJs, JsValue> {
        cache::KeyGlob::new(glob)
            .map(KeyGlobJs)
            .map_err(cache_error)
    }

    /// Whether the whole of `key` matches.
    pub fn matches(&self, key: &str) -> bool {
        self.0.matches(key)
    }
}
