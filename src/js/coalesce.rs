//! `CoalescerCore`: the wasm half of the package's `Coalescer` (src/js/package/engines.js), and the canonical
//! request key.
//!
//! The Rust [`coalesce::Coalescer`] decides — lead, join, replay or refuse; stale flights abandoned after
//! `maxFlightMs`; the bounded in-flight table and replay window; the statistics — with a flight number as its handle
//! and the settled value (kept as a JS value, not copied) as its replayable result. The JavaScript class keeps each
//! flight's `Promise` in a `Map` by flight number, runs the task, and reports how it settled. So a call crosses
//! into wasm once with its key and comes back with a number; no future, closure or promise is made in Rust.

use super::typescript::*;
use super::{from_js, js_error, options_object, to_js};
use crate::coalesce::{self, Admission, CoalescerConfig, FlightTicket, RequestKey};
use crate::time::Timestamp;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `begin`'s answer is `flight * 4 + kind`, with these kinds.
const LEAD: f64 = 0.0;
const JOIN: f64 = 1.0;
const REPLAY: f64 = 2.0;
const REFUSED: f64 = 3.0;

fn string_field(object: &js_sys::Object, field: &str) -> Result<String, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(field))?
        .as_string()
        .ok_or_else(|| js_error("TypeError", &format!("request `{field}` must be a string")))
}

/// The coalescing decisions of one `Coalescer` (see the module docs). Used by the package's `Coalescer` class;
/// not meant to be called directly.
#[wasm_bindgen]
pub struct CoalescerCore {
    table: coalesce::Coalescer<u32, JsValue>,
    /// The leader's ticket of each flight in progress, by flight number.
    tickets: HashMap<u32, FlightTicket>,
    next_flight: u32,
    /// The value the last `begin` answered `REPLAY` with.
    replay: JsValue,
    /// The message of the last refusal.
    refusal: String,
}

#[wasm_bindgen]
impl CoalescerCore {
    /// A coalescer; `undefined` takes every default. Throws a `TypeError` naming a bad or unknown field.
    #[wasm_bindgen(constructor)]
    pub fn new(config: CoalescerConfigJs) -> Result<CoalescerCore, JsValue> {
        let config: JsValue = config.into();
        let config: CoalescerConfig = if config.is_undefined() || config.is_null() {
            CoalescerConfig::default()
        } else {
            from_js("coalescer config", config)?
        };
        Ok(CoalescerCore {
            table: coalesce::Coalescer::new(config),
            tickets: HashMap::new(),
            next_flight: 0,
            replay: JsValue::UNDEFINED,
            refusal: String::new(),
        })
    }

    /// Admits one call for `key` at `now` (ms): `flight * 4 + kind`, kind 0 lead (run the task, then `finish`),
    /// 1 join (wait on that flight's promise), 2 replay (`takeReplay`), 3 refused (`refusalMessage`).
    pub fn begin(&mut self, key: &str, now: f64) -> f64 {
        let key = RequestKey::from_canonical(key);
        let next = self.next_flight.wrapping_add(1);
        let mut leader = None;
        let admission = self
            .table
            .begin(&key, Timestamp::from_millis_f64(now), |ticket| {
                leader = Some(ticket.clone());
                next
            });
        let answer = match admission {
            Ok(Admission::Lead(_, &flight)) => f64::from(flight) * 4.0 + LEAD,
            Ok(Admission::Join(&flight)) => f64::from(flight) * 4.0 + JOIN,
            Ok(Admission::Replay(value)) => {
                self.replay = value.clone();
                REPLAY
            }
            Err(e) => {
                self.refusal = e.to_string();
                REFUSED
            }
        };
        if let Some(ticket) = leader {
            self.next_flight = next;
            self.tickets.insert(next, ticket);
        }
        answer
    }

    /// The value the last `begin` answered "replay" with (once).
    #[wasm_bindgen(js_name = "takeReplay")]
    pub fn take_replay(&mut self) -> UnknownJs {
        std::mem::replace(&mut self.replay, JsValue::UNDEFINED).unchecked_into()
    }

    /// The error for the last refusal.
    #[wasm_bindgen(js_name = "refusalError")]
    pub fn refusal_error(&self) -> ErrorJs {
        js_error("CoalesceError", &self.refusal).unchecked_into()
    }

    /// Ends `flight` at `now`: `ok` with its `value` (kept for the replay window), or failed. A flight that was
    /// replaced (it outlived `maxFlightMs`) changes nothing.
    pub fn finish(&mut self, flight: u32, ok: bool, value: UnknownJs, now: f64) {
        if let Some(ticket) = self.tickets.remove(&flight) {
            let result = ok.then_some(JsValue::from(value));
            self.table
                .finish(ticket, result, Timestamp::from_millis_f64(now));
        }
    }

    /// Keys in flight now.
    #[wasm_bindgen(getter, js_name = "inFlight")]
    pub fn in_flight(&self) -> u32 {
        self.table.in_flight() as u32
    }

    /// Led, joined, replayed, refused, abandoned and failed counts.
    pub fn stats(&self) -> Result<CoalescerStatsJs, JsValue> {
        to_js(&self.table.stats()).map(JsCast::unchecked_into)
    }

    /// The canonical key of a request: method, URL with sorted query, the `vary` headers, and the body's digest.
    #[wasm_bindgen(js_name = "requestKey")]
    pub fn request_key(request: RequestDescriptionJs) -> Result<String, JsValue> {
        let request = options_object(
            "request",
            &request.into(),
            &["method", "url", "headers", "vary", "body"],
        )?
        .ok_or_else(|| js_error("TypeError", "request must be an object"))?;
        let method = string_field(&request, "method")?;
        let url = string_field(&request, "url")?;
        let mut headers = Vec::new();
        let header_object = js_sys::Reflect::get(&request, &JsValue::from_str("headers"))?;
        if !header_object.is_undefined() && !header_object.is_null() {
            let entries = js_sys::Object::entries(header_object.unchecked_ref());
            for entry in entries.iter() {
                let pair = js_sys::Array::from(&entry);
                let (name, value) = (pair.get(0).as_string(), pair.get(1).as_string());
                match (name, value) {
                    (Some(name), Some(value)) => headers.push((name, value)),
                    (name, _) => {
                        return Err(js_error(
                            "TypeError",
                            &format!(
                                "header {:?} must have a string value",
                                name.unwrap_or_default()
                            ),
                        ))
                    }
                }
            }
        }
        let vary_list = js_sys::Reflect::get(&request, &JsValue::from_str("vary"))?;
        let vary: Vec<String> = if vary_list.is_undefined() || vary_list.is_null() {
            Vec::new()
        } else {
            js_sys::Array::from(&vary_list)
                .iter()
                .map(|v| {
                    v.as_string().ok_or_else(|| {
                        js_error("TypeError", "`vary` must be an array of header names")
                    })
                })
                .collect::<Result<_, _>>()?
        };
        let body_value = js_sys::Reflect::get(&request, &JsValue::from_str("body"))?;
        let body: Vec<u8> = if body_value.is_undefined() || body_value.is_null() {
            Vec::new()
        } else if let Some(text) = body_value.as_string() {
            text.into_bytes()
        } else if let Some(bytes) = body_value.dyn_ref::<js_sys::Uint8Array>() {
            bytes.to_vec()
        } else {
            return Err(js_error(
                "TypeError",
                "request `body` must be a string or a Uint8Array",
            ));
        };
        let vary: Vec<&str> = vary.iter().map(String::as_str).collect();
        let headers = headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        Ok(RequestKey::new(&method, &url, headers, &vary, &body).into())
    }
}
