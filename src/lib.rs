//! # intent-edge
//!
//! Four request-path engines that run the same natively, in the browser and at the edge:
//!
//! | module | engine |
//! |---|---|
//! | [`intent`] | intent matching: one multi-pattern automaton over a text, best intent, slots, spans |
//! | [`coalesce`] | request coalescing: identical in-flight requests share one upstream call |
//! | [`cache`] | an LRU response cache bounded by entries and bytes, with TTL, tags and stats |
//! | [`ratelimit`] | a GCRA rate limiter with several quotas, a bounded key table and IETF RateLimit fields |
//!
//! Every engine is sans-IO: it owns no clock, socket or thread, and takes the current time as a [`Timestamp`].
//! Adapters do the I/O: `js` (wasm-bindgen classes for browsers and Node, built for `wasm32-unknown-unknown`) and
//! `edge` (the Spin / `wasi:http` gateway component, built for `wasm32-wasip2`).
//!
//! Feature `compiler` (default) builds intent sets from JSON patterns; without it (the browser packages) the
//! matcher only loads precompiled sets ([`intent::IntentMatcher::from_precompiled`]), which leaves the regex
//! parser, its Unicode tables and the NFA compiler out of the `.wasm`.
//!
//! ```
//! # #[cfg(feature = "compiler")] {
//! use intent_edge::intent::IntentMatcher;
//!
//! let matcher = IntentMatcher::from_json(r#"{
//!   "intents": [
//!     {"id": "weather", "patterns": ["weather in (?P<city>\\w+)"]},
//!     {"id": "greeting", "patterns": ["^(hi|hello)\\b"]}
//!   ]}"#).unwrap();
//! let hit = matcher.find("Hello! What's the weather in Paris?").unwrap().unwrap();
//! assert_eq!(hit.intent, "weather"); // declared first, so it wins the tie with "greeting"
//! assert_eq!(hit.slots[0].value, "Paris");
//! # }
//! ```

pub mod cache;
pub mod coalesce;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub mod gateway;
pub mod intent;
pub mod json;
pub mod ratelimit;
pub mod time;

pub use time::Timestamp;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod js;

#[cfg(target_os = "wasi")]
mod edge;
