//! `Coalescer` for JavaScript: concurrent `run(key, task)` calls with the same key share one Promise.

use super::typescript::*;
use super::{from_js, js_error, now_or_clock, options_object, to_js};
use crate::coalesce::{self, Admission, CoalescerConfig, RequestKey};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Table = coalesce::Coalescer<js_sys::Promise, JsValue>;

fn string_field(object: &js_sys::Object, field: &str) -> Result<String, JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(field))?
        .as_string()
        .ok_or_else(|| js_error("TypeError", &format!("request `{field}` must be a string")))
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
        let config: CoalescerConfig = if config.is_undefined() || config.is_null() {
            CoalescerConfig::default()
        } else {
            from_js("coalescer config", config)?
        };
        Ok(Coalescer {
            table: Rc::new(RefCell::new(Table::new(config))),
        })
    }

    /// Runs `task` unless a call with the same `key` is in flight, in which case its Promise is returned instead.
    /// Every caller gets the task's value or its rejection; a rejected task is never replayed, and the next call
    /// after it runs `task` afresh. Rejects with a `CoalesceError` when `maxInFlight` keys are already in flight.
    pub fn run(&self, key: &str, task: TaskJs) -> js_sys::Promise {
        let task: js_sys::Function = match task.dyn_into() {
            Ok(f) => f,
            Err(_) => {
                return js_sys::Promise::reject(&js_error("TypeError", "`task` must be a function"))
            }
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
                table.borrow_mut().finish(
                    ticket,
                    outcome.as_ref().ok().cloned(),
                    now_or_clock(None),
                );
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
