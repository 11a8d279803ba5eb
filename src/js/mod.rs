//! JavaScript bindings (browser and Node), built by `wasm-pack` for `wasm32-unknown-unknown`.
//!
//! This layer only converts and delegates: each class wraps one engine, takes plain JS objects typed by the
//! TypeScript declarations in `typescript.rs`, and turns every engine error into a JS `Error` whose `name` says
//! which kind and whose message names the field at fault.
//!
//! `IntentMatcher` is used as exported. The package's `ResponseCache`, `RateLimiter` and `Coalescer` are small
//! JavaScript classes (`package/engines.js`) over [`CacheEntryTable`], [`LimiterCore`] and [`CoalescerCore`]: keys,
//! values and promises stay JS values in a `Map` and arrays, the hot calls cross into wasm with numbers (a key only
//! for the coalescer), and the JavaScript side reads the clock (`Date.now()`) when the caller gives no `now`.
//! `package/` holds the rest of the npm package: the entry module per target, the declarations of the JS classes,
//! `package.json` and the package README (assembled by `scripts/build-package.sh`).

mod cache;
mod coalesce;
mod intent;
mod ratelimit;
mod typescript;

pub use cache::{CacheEntryTable, KeyGlobJs};
pub use coalesce::CoalescerCore;
pub use intent::IntentMatcher;
pub use ratelimit::LimiterCore;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A JS error: a real `TypeError` / `RangeError` for those names, otherwise an `Error` whose `name` is the kind.
fn js_error(name: &str, message: &str) -> JsValue {
    match name {
        "TypeError" => js_sys::TypeError::new(message).into(),
        "RangeError" => js_sys::RangeError::new(message).into(),
        _ => {
            let error = js_sys::Error::new(message);
            error.set_name(name);
            error.into()
        }
    }
}

/// Like [`js_error`], with a `pointer` property (a JSON pointer into the config at fault).
fn js_error_at(name: &str, message: &str, pointer: &str) -> JsValue {
    let error = js_error(name, message);
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("pointer"),
        &JsValue::from_str(pointer),
    );
    error
}

/// Converts a Rust value to a plain JS object (objects, not `Map`s; 64-bit integers as numbers).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| js_error("TypeError", &e.to_string()))
}

/// The JSON text of a config given as an object or as a JSON string.
fn json_text(what: &str, value: &JsValue) -> Result<String, JsValue> {
    match value.as_string() {
        Some(json) => Ok(json),
        None => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                js_error(
                    "TypeError",
                    &format!("invalid {what}: expected an object or a JSON string"),
                )
            }),
    }
}

/// Reads a config object (once per construction, so the cost of going through JSON does not matter): unknown
/// fields are rejected and the error names the field, e.g. `invalid intent set at /intents/0/patterns: …`.
fn from_js<T: serde::de::DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    crate::json::from_str(&json_text(what, &value)?).map_err(|e| {
        let at = if e.pointer.is_empty() {
            String::new()
        } else {
            format!(" at {}", e.pointer)
        };
        js_error("TypeError", &format!("invalid {what}{at}: {e}"))
    })
}

/// Reads a small per-call options object field by field (no JSON round trip on hot paths); `undefined` and `null`
/// mean "no options". Unknown fields are rejected so a typo is not silently ignored.
fn options_object(
    what: &str,
    value: &JsValue,
    fields: &[&str],
) -> Result<Option<js_sys::Object>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let object: js_sys::Object = value
        .clone()
        .dyn_into()
        .map_err(|_| js_error("TypeError", &format!("{what} must be an object")))?;
    for key in js_sys::Object::keys(&object).iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            return Err(js_error(
                "TypeError",
                &format!(
                    "unknown field `{key}` in {what}; expected one of {}",
                    fields.join(", ")
                ),
            ));
        }
    }
    Ok(Some(object))
}

/// A numeric option: `None` when absent or `undefined`, an error naming the field when not a number.
fn number_field(object: &js_sys::Object, field: &str) -> Result<Option<f64>, JsValue> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(field))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_f64()
        .map(Some)
        .ok_or_else(|| js_error("TypeError", &format!("`{field}` must be a number")))
}

/// Bytes of WebAssembly memory this instance of the package holds (it grows when needed and never shrinks): for
/// watching memory use, e.g. that a cache churning through entries stays flat.
#[wasm_bindgen(js_name = "wasmMemoryBytes")]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}
