//! `Coalescer` for JavaScript: concurrent `run(key, task)` calls with the same key share one Promise.

use super::typescript::*;
use super::{from_js, js_error, now_or_clock, to_js};
use crate::coalesce::{self, Admission, CoalescerConfig, RequestKey};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Table = coalesce::Coalescer<js_sys::Promise, JsValue>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestDescription {
    method: String,
    url: String,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    vary: Vec<String>,
    #[serde(default, with = "serde_bytes_or_string")]
    body: Vec<u8>,
}

mod serde_bytes_or_string {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Body {
        Text(String),
        Bytes(serde_bytes_compat::Bytes),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(match Body::deserialize(d)? {
            Body::Text(s) => s.into_bytes(),
            Body::Bytes(b) => b.0,
        })
    }

    mod serde_bytes_compat {
        use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

        /// A byte buffer from a `Uint8Array` (serde-wasm-bindgen hands it over as bytes) or an array of numbers.
        pub struct Bytes(pub Vec<u8>);

        impl<'de> Deserialize<'de> for Bytes {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct BytesVisitor;
                impl<'de> Visitor<'de> for BytesVisitor {
                    type Value = Bytes;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a string or a Uint8Array")
                    }
                    fn visit_bytes<E>(self, v: &[u8]) -> Result<Bytes, E> {
                        Ok(Bytes(v.to_vec()))
                    }
                    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Bytes, E> {
                        Ok(Bytes(v))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
                        let mut out = Vec::new();
                        while let Some(b) = seq.next_element::<u8>()? {
                            out.push(b);
                        }
                        Ok(Bytes(out))
                    }
                }
                d.deserialize_bytes(BytesVisitor)
            }
        }
    }
}

/// Shares one in-flight call among concurrent callers with the same key.
#[wasm_bindgen]
pub struct Coalescer {
    table: Rc<RefCell<Table>>,
}

#[wasm_bindgen]
impl Coalescer {
    /// A coalescer; `windowMs` > 0 also replays a successful result to identical calls shortly after it settled.
    #[wasm_bindgen(constructor)]
    pub fn new(config: CoalescerConfigJs) -> Result<Coalescer, JsValue> {
        let config: JsValue = config.into();
        let config: CoalescerConfig =
            if config.is_undefined() || config.is_null() { CoalescerConfig::default() } else { from_js("coalescer config", config)? };
        Ok(Coalescer { table: Rc::new(RefCell::new(Table::new(config))) })
    }

    /// Runs `task` unless a call with the same `key` is in flight, in which case its Promise is returned instead.
    /// Every caller gets the task's value or its rejection; a rejected task is never replayed, and the next call
    /// after it runs `task` afresh. Rejects with a `CoalesceError` when `maxInFlight` keys are already in flight.
    pub fn run(&self, key: &str, task: TaskJs) -> js_sys::Promise {
        let task: js_sys::Function = match task.dyn_into() {
            Ok(f) => f,
            Err(_) => return js_sys::Promise::reject(&js_error("TypeError", "`task` must be a function")),
        };
        let key = RequestKey::from_canonical(key);
        let table = Rc::clone(&self.table);
        let mut guard = self.table.borrow_mut();
        let admission = guard.begin(&key, now_or_clock(None), |ticket| {
            let ticket = ticket.clone();
            // The future runs from the microtask queue, after this borrow ends, so `task` may re-enter `run`.
            future_to_promise(async move {
                let outcome = match task.call0(&JsValue::UNDEFINED) {
                    Ok(value) => JsFuture::from(js_sys::Promise::resolve(&value)).await,
                    Err(thrown) => Err(thrown),
                };
                table.borrow_mut().finish(ticket, outcome.as_ref().ok().cloned(), now_or_clock(None));
                outcome
            })
        });
        match admission {
            Ok(Admission::Lead(_, promise)) | Ok(Admission::Join(promise)) => promise.clone(),
            Ok(Admission::Replay(value)) => js_sys::Promise::resolve(value),
            Err(e) => js_sys::Promise::reject(&js_error("CoalesceError", &e.to_string())),
        }
    }

    /// Keys in flight now.
    #[wasm_bindgen(getter, js_name = "inFlight")]
    pub fn in_flight(&self) -> u32 {
        self.table.borrow().in_flight() as u32
    }

    /// Led, joined, replayed, refused, abandoned and failed counts.
    pub fn stats(&self) -> Result<CoalescerStatsJs, JsValue> {
        to_js(&self.table.borrow().stats()).map(JsCast::unchecked_into)
    }

    /// The canonical key of a request: method, URL with sorted query, the `vary` headers, and the body's digest.
    #[wasm_bindgen(js_name = "requestKey")]
    pub fn request_key(request: RequestDescriptionJs) -> Result<String, JsValue> {
        let r: RequestDescription = from_js("request", request.into())?;
        let vary: Vec<&str> = r.vary.iter().map(String::as_str).collect();
        let headers = r.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        Ok(RequestKey::new(&r.method, &r.url, headers, &vary, &r.body).into())
    }
}
