//! `IntentMatcher` for JavaScript.

#[cfg(feature = "compiler")]
use super::json_text;
use super::typescript::*;
use super::{js_error, js_error_at, to_js};
use crate::intent::{self, IntentSetError, MatchError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn set_error(e: IntentSetError) -> JsValue {
    js_error_at("IntentSetError", &e.to_string(), &e.pointer())
}

fn match_error(e: MatchError) -> JsValue {
    js_error("MatchError", &e.to_string())
}

/// The texts of a batch call, brought into wasm as one string: JavaScript joins the array with NUL (one native
/// call) and the joined string is copied in once, instead of one crossing and one allocation per text (which
/// cost about as much as matching a short text). A text that itself contains NUL splits into more pieces than
/// there are texts; the batch is then copied text by text instead.
struct BatchTexts {
    len: usize,
    joined: String,
    each: Option<Vec<String>>,
}

#[wasm_bindgen(inline_js = r#"
export function joinTexts(texts) {
  if (!Array.isArray(texts)) throw new TypeError("texts must be an array of strings");
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== "string") throw new TypeError(`texts[${i}] is not a string`);
  }
  return texts.join("\0");
}
"#)]
extern "C" {
    /// The batch joined with NUL, after checking in JavaScript (no call into wasm per text) that it holds strings.
    #[wasm_bindgen(js_name = "joinTexts", catch)]
    fn join_texts(texts: &StringArray) -> Result<String, JsValue>;
}

impl BatchTexts {
    fn from_js(texts: StringArray) -> Result<Self, JsValue> {
        let joined = join_texts(&texts)?;
        let array: js_sys::Array = texts.unchecked_into();
        let len = array.length() as usize;
        let pieces = if len == 0 {
            0
        } else {
            joined.bytes().filter(|&b| b == 0).count() + 1
        };
        let each =
            (pieces != len).then(|| array.iter().filter_map(|text| text.as_string()).collect());
        Ok(BatchTexts { len, joined, each })
    }

    fn iter(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match &self.each {
            Some(each) => Box::new(each.iter().map(String::as_str)),
            None => Box::new(self.joined.split('\0').take(self.len)),
        }
    }
}

/// A compiled intent set. Build it once; match many texts.
#[wasm_bindgen]
pub struct IntentMatcher {
    inner: intent::IntentMatcher,
}

#[wasm_bindgen]
impl IntentMatcher {
    /// Compiles an intent set given as an object or as JSON text. Throws an `IntentSetError` (with a `pointer` to
    /// the field at fault) for an invalid set.
    #[cfg(feature = "compiler")]
    #[wasm_bindgen(constructor)]
    pub fn new(config: IntentSetConfigJs) -> Result<IntentMatcher, JsValue> {
        let json = json_text("intent set", &config.into())?;
        let inner = intent::IntentMatcher::from_json(&json).map_err(set_error)?;
        Ok(IntentMatcher { inner })
    }

    /// This build (the browser package) has no regex compiler, which keeps its `.wasm` small: it only loads
    /// precompiled sets. Throws an `IntentSetError` saying so; use `IntentMatcher.fromBytes`.
    #[cfg(not(feature = "compiler"))]
    #[wasm_bindgen(constructor)]
    pub fn new(_config: IntentSetConfigJs) -> Result<IntentMatcher, JsValue> {
        Err(js_error_at(
            "IntentSetError",
            "this package loads precompiled sets only (no regex compiler, to stay small): compile the set with \
             `intent-edge compile set.json set.iedge` or `new IntentMatcher(json).toBytes()` in the Node package, then call \
             `IntentMatcher.fromBytes(bytes)`",
            "",
        ))
    }

    /// Loads a precompiled set (the bytes of an `.iedge` file written by `intent-edge compile` or `toBytes()`): no
    /// pattern is compiled and no table is walked, the file's structure is checked and its DFA table copied in.
    /// Throws an `IntentSetError` for bytes that are not one.
    #[wasm_bindgen(js_name = "fromBytes")]
    pub fn from_bytes(bytes: Vec<u8>) -> Result<IntentMatcher, JsValue> {
        let inner = intent::IntentMatcher::from_precompiled_vec(bytes).map_err(set_error)?;
        Ok(IntentMatcher { inner })
    }

    /// Index of the best intent for `text` (see `intentIds()`), or -1: the cheapest call, nothing allocated.
    #[wasm_bindgen(js_name = "bestIndex")]
    pub fn best_index(&self, text: &str) -> Result<i32, JsValue> {
        let best = self.inner.best_intent_index(text).map_err(match_error)?;
        Ok(best.map_or(-1, |b| b as i32))
    }

    /// The best intent for `text` with span and slots, or `null`.
    #[wasm_bindgen(js_name = "match")]
    pub fn match_text(&self, text: &str) -> Result<IntentMatchOrNull, JsValue> {
        let best = self.inner.find(text).map_err(match_error)?;
        Ok(to_js(&best)?.unchecked_into())
    }

    /// Every matching intent, best first.
    #[wasm_bindgen(js_name = "matchAll")]
    pub fn match_all(&self, text: &str) -> Result<IntentMatchArray, JsValue> {
        let all = self.inner.find_all(text).map_err(match_error)?;
        Ok(to_js(&all)?.unchecked_into())
    }

    /// For each text, the index of its best intent (see `intentIds()`), or -1 when none matches. One call for the
    /// whole batch. Throws a `MatchError` naming the first text over the length limit.
    #[wasm_bindgen(js_name = "matchBatch")]
    pub fn match_batch(&self, texts: StringArray) -> Result<js_sys::Int32Array, JsValue> {
        let texts = BatchTexts::from_js(texts)?;
        let mut out = Vec::with_capacity(texts.len);
        for (i, text) in texts.iter().enumerate() {
            let best = self
                .inner
                .best_intent_index(text)
                .map_err(|e| js_error("MatchError", &format!("texts[{i}]: {e}")))?;
            out.push(best.map_or(-1, |b| b as i32));
        }
        Ok(js_sys::Int32Array::from(&out[..]))
    }

    /// Every matching intent for each text, in one call: for each text in order, the number of intents that
    /// match it, followed by their indexes (ascending). `[2, 0, 5, 0, 1, 3]` = text 0 matches intents 0 and 5,
    /// text 1 none, text 2 intent 3.
    #[wasm_bindgen(js_name = "matchAllBatch")]
    pub fn match_all_batch(&self, texts: StringArray) -> Result<js_sys::Int32Array, JsValue> {
        let texts = BatchTexts::from_js(texts)?;
        let mut out = Vec::with_capacity(texts.len * 2);
        for (i, text) in texts.iter().enumerate() {
            let hits = self
                .inner
                .matching_intent_indexes(text)
                .map_err(|e| js_error("MatchError", &format!("texts[{i}]: {e}")))?;
            out.push(hits.len() as i32);
            out.extend(hits.into_iter().map(|h| h as i32));
        }
        Ok(js_sys::Int32Array::from(&out[..]))
    }

    /// Indexes of every intent matching `text`, ascending (no spans or slots: the cheapest query).
    #[wasm_bindgen(js_name = "matchingIndexes")]
    pub fn matching_indexes(&self, text: &str) -> Result<js_sys::Uint32Array, JsValue> {
        let hits = self
            .inner
            .matching_intent_indexes(text)
            .map_err(match_error)?;
        let hits: Vec<u32> = hits.into_iter().map(|i| i as u32).collect();
        Ok(js_sys::Uint32Array::from(&hits[..]))
    }

    /// The intent ids in declaration order (index `i` is intent `i`).
    #[wasm_bindgen(js_name = "intentIds")]
    pub fn intent_ids(&self) -> Result<StringArray, JsValue> {
        let ids: Vec<&str> = self.inner.intent_ids().collect();
        Ok(to_js(&ids)?.unchecked_into())
    }

    /// This matcher as a precompiled set (the bytes `fromBytes` loads): its automaton (the table of a set loaded
    /// from an `intent-edge compile` file, otherwise the set's NFA) and each pattern's capture program, so loading it compiles nothing.
    #[wasm_bindgen(js_name = "toBytes")]
    pub fn to_bytes(&self) -> Result<js_sys::Uint8Array, JsValue> {
        let bytes = self.inner.precompile().ok_or_else(|| {
            js_error(
                "IntentSetError",
                "the set cannot be serialized (a capture NFA did not compile, or a section exceeds 4 GiB)",
            )
        })?;
        Ok(js_sys::Uint8Array::from(&bytes[..]))
    }

    /// Does now what the first texts would otherwise pay for: runs `texts` through the set (a lazily
    /// determinized or anchored set caches the DFA states they visit, up to `options.lazyCacheLimit`) and builds every
    /// pattern's capture engine. Call it where time is cheap (at server start, in `requestIdleCallback`) with
    /// texts like the traffic to come; answers never change. Texts over `maxTextBytes` are skipped and counted.
    #[wasm_bindgen(js_name = "warmUp")]
    pub fn warm_up(&self, texts: Vec<String>) -> Result<WarmUpJs, JsValue> {
        Ok(to_js(&self.inner.warm_up(texts.iter().map(String::as_str)))?.unchecked_into())
    }

    /// Texts the set's own patterns match, `perPattern` for each in four contexts: a warm-up corpus for
    /// `warmUp` when no real traffic is at hand (the Node package only: it needs the regex parser).
    #[cfg(feature = "compiler")]
    #[wasm_bindgen(js_name = "sampleTexts")]
    pub fn sample_texts(&self, per_pattern: u32) -> Result<StringArray, JsValue> {
        Ok(to_js(&self.inner.sample_texts(per_pattern as usize))?.unchecked_into())
    }

    /// Counts of intents and patterns.
    pub fn stats(&self) -> Result<MatcherStatsJs, JsValue> {
        Ok(to_js(&self.inner.stats())?.unchecked_into())
    }
}
