//! `ResponseCache` for JavaScript: any JS value as the cached value, kept as is (no copy into wasm memory).

use super::typescript::*;
use super::{from_js, js_error, now_or_clock, number_field, options_object, to_js};
use crate::cache::{self, CacheConfig, CacheError, EntryOptions};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

/// The size a value is charged when the caller does not say.
fn measured_size(value: &JsValue) -> Result<usize, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s.len());
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(buffer.byte_length() as usize);
    }
    if js_sys::ArrayBuffer::is_view(value) {
        let length = js_sys::Reflect::get(value, &JsValue::from_str("byteLength"))?;
        return Ok(length.as_f64().unwrap_or(0.0) as usize);
    }
    let json = js_sys::JSON::stringify(value).map_err(|_| {
        js_error(
            "TypeError",
            "value cannot be sized with JSON.stringify; pass options.size",
        )
    })?;
    Ok(json.as_string().map_or(0, |s| s.len()))
}

/// An LRU cache bounded by entries and bytes, with TTL, tags and statistics.
#[wasm_bindgen]
pub struct ResponseCache {
    inner: cache::ResponseCache<JsValue>,
}

#[wasm_bindgen]
impl ResponseCache {
    /// A cache with these bounds. Throws a `CacheConfigError` for a zero bound.
    #[wasm_bindgen(constructor)]
    pub fn new(config: CacheConfigJs) -> Result<ResponseCache, JsValue> {
        let config: CacheConfig = from_js("cache config", config.into())?;
        Ok(ResponseCache {
            inner: cache::ResponseCache::new(config).map_err(cache_error)?,
        })
    }

    /// Stores `value` under `key`; returns how many entries were evicted to make room. Throws an
    /// `EntryTooLargeError` (and stores nothing) when the entry alone exceeds `maxBytes`.
    pub fn set(
        &mut self,
        key: &str,
        value: JsValue,
        options: CacheSetOptionsJs,
        now: Option<f64>,
    ) -> Result<u32, JsValue> {
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
            Some(size) => size as usize,
            None => measured_size(&value)?,
        };
        let evicted = self
            .inner
            .insert(
                key,
                value,
                size,
                now_or_clock(now),
                EntryOptions { ttl, tags },
            )
            .map_err(cache_error)?;
        Ok(evicted as u32)
    }

    /// The value under `key` (refreshing its recency), or `undefined`.
    pub fn get(&mut self, key: &str, now: Option<f64>) -> JsValue {
        self.inner
            .get(key, now_or_clock(now))
            .cloned()
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// The value under `key` without refreshing recency or counting a hit, or `undefined`.
    pub fn peek(&self, key: &str, now: Option<f64>) -> JsValue {
        self.inner
            .peek(key, now_or_clock(now))
            .cloned()
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// Whether a fresh entry exists under `key`.
    pub fn has(&self, key: &str, now: Option<f64>) -> bool {
        self.inner.contains(key, now_or_clock(now))
    }

    /// Milliseconds since the entry under `key` was stored, or `undefined`.
    pub fn age(&self, key: &str, now: Option<f64>) -> Option<f64> {
        self.inner
            .age(key, now_or_clock(now))
            .map(|d| d.as_secs_f64() * 1000.0)
    }

    /// Removes the entry under `key`; true if there was one.
    pub fn delete(&mut self, key: &str) -> bool {
        self.inner.remove(key).is_some()
    }

    /// Removes every entry whose key starts with `prefix`; returns how many.
    #[wasm_bindgen(js_name = "invalidatePrefix")]
    pub fn invalidate_prefix(&mut self, prefix: &str) -> u32 {
        self.inner.invalidate_prefix(prefix) as u32
    }

    /// Removes every entry whose whole key matches `glob` (`*` any run, `?` one character); returns how many.
    #[wasm_bindgen(js_name = "invalidateGlob")]
    pub fn invalidate_glob(&mut self, glob: &str) -> Result<u32, JsValue> {
        self.inner
            .invalidate_glob(glob)
            .map(|n| n as u32)
            .map_err(cache_error)
    }

    /// Removes every entry tagged `tag`; returns how many.
    #[wasm_bindgen(js_name = "invalidateTag")]
    pub fn invalidate_tag(&mut self, tag: &str) -> u32 {
        self.inner.invalidate_tag(tag) as u32
    }

    /// Removes every expired entry; returns how many.
    #[wasm_bindgen(js_name = "purgeExpired")]
    pub fn purge_expired(&mut self, now: Option<f64>) -> u32 {
        self.inner.purge_expired(now_or_clock(now)) as u32
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.inner.clear();
    }

    /// Keys from most to least recently used.
    pub fn keys(&self) -> Result<StringArray, JsValue> {
        let keys: Vec<&str> = self.inner.keys().collect();
        Ok(to_js(&keys)?.unchecked_into())
    }

    /// Entries held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Bytes held.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.inner.bytes() as f64
    }

    /// Hits, misses, evictions, expirations, invalidations, size and hit ratio.
    pub fn stats(&self) -> Result<CacheStatsJs, JsValue> {
        Ok(to_js(&self.inner.stats())?.unchecked_into())
    }
}
