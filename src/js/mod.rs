//! JavaScript bindings (browser and Node), built by `wasm-pack` for `wasm32-unknown-unknown`.
//!
//! This layer only converts and delegates: each class wraps one engine, takes plain JS objects typed by the
//! TypeScript declarations in [`typescript`], reads the time from `Date.now()` unless the caller passes `now`
//! (milliseconds), and turns every engine error into a JS `Error` whose `name` says which kind and whose message
//! names the field at fault.

mod cache;
mod coalesce;
mod intent;
mod ratelimit;
mod typescript;

pub use cache::ResponseCache;
pub use coalesce::Coalescer;
pub use intent::IntentMatcher;
pub use ratelimit::RateLimiter;

use crate::time::Timestamp;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A JS `Error` with a `name` (the error kind) and optional extra properties.
fn js_error(name: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

/// Like [`js_error`], with a `pointer` property (a JSON pointer into the config at fault).
fn js_error_at(name: &str, message: &str, pointer: &str) -> JsValue {
    let error = js_error(name, message);
    let _ = js_sys::Reflect::set(&error, &JsValue::from_str("pointer"), &JsValue::from_str(pointer));
    error
}

/// Converts a Rust value to a plain JS object (objects, not `Map`s; 64-bit integers as numbers).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).map_err(|e| js_error("TypeError", &e.to_string()))
}

/// Reads a config object, naming the config kind in the error.
fn from_js<T: serde::de::DeserializeOwned>(what: &str, value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error("TypeError", &format!("invalid {what}: {e}")))
}

/// `now` if the caller passed one (milliseconds), else `Date.now()`.
fn now_or_clock(now: Option<f64>) -> Timestamp {
    Timestamp::from_millis_f64(now.unwrap_or_else(js_sys::Date::now))
}
