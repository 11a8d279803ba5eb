//! `IntentMatcher` for JavaScript.

#[cfg(feature = "compiler")]
use super::json_text;
use super::typescript::*;
use super::{js_error, js_error_at, to_js};
use crate::intent::{self, BatchMatchError, IntentSetError, MatchError, SteppingForm};
use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn set_error(e: IntentSetError) -> JsValue {
    js_error_at("IntentSetError", &e.to_string(), &e.pointer())
}

fn match_error(e: MatchError) -> JsValue {
    js_error("MatchError", &e.to_string())
}

/// Texts come into wasm through one buffer that stays allocated between calls: JavaScript writes a text with
/// `TextEncoder.encodeInto` straight into wasm memory (0.1–0.2 ns per byte), where wasm-bindgen's own string
/// passing allocates a buffer per call, copies the text in a JavaScript loop (2.4 ns per byte measured) and frees
/// it. A batch is joined with NUL in JavaScript and written the same way in one go. Texts are checked in JavaScript
/// (a `TypeError` naming the one that is not a string) and are valid UTF-8 once written (`encodeInto` replaces a
/// lone surrogate, as wasm-bindgen's passing does).
#[wasm_bindgen(inline_js = r#"
const encoder = new TextEncoder();
let memory = null, bytes = new Uint8Array(0), dest = null, destAt = -1, destLen = -1;
export function useMemory(m) { memory = m; }
const NOT_A_STRING = -0x80000000;
function encode(text, at, len) {
  const n = text.length;
  if (n * 3 > len) return -Math.min(3 * n, 0x40000000);
  // A grown memory detaches the old buffer, and views over it become empty.
  if (bytes.length === 0) { bytes = new Uint8Array(memory.buffer); destAt = -1; }
  // A short ASCII text costs less copied by hand than through encodeInto's call.
  if (n <= 32) {
    let i = 0;
    for (; i < n; i++) { const c = text.charCodeAt(i); if (c > 0x7f) break; bytes[at + i] = c; }
    if (i === n) return n;
  }
  if (at !== destAt || len !== destLen || dest.length === 0) { dest = bytes.subarray(at, at + len); destAt = at; destLen = len; }
  return encoder.encodeInto(text, dest).written;
}
export function encodeText(text, at, len) {
  return typeof text === "string" ? encode(text, at, len) : NOT_A_STRING;
}
// Texts are joined and written a chunk at a time: one text that is not Latin-1 makes its whole joined string
// two-byte, which encodeInto converts character by character (BANKING77: 9 such texts in 3,080 made the whole
// batch 3-4 times slower to write); smaller joined strings are also cheaper to build.
const CHUNK = 256;
export function encodeBatch(texts, at, len) {
  if (!Array.isArray(texts)) return NOT_A_STRING;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i];
    if (typeof text !== "string") return NOT_A_STRING + 1 + i;
    chars += text.length + 1;
  }
  if (chars * 3 > len) return -Math.min(3 * chars, 0x40000000);
  if (bytes.length === 0) { bytes = new Uint8Array(memory.buffer); destAt = -1; }
  let written = 0;
  for (let i = 0; i < texts.length; i += CHUNK) {
    const chunk = texts.length <= CHUNK ? texts : texts.slice(i, i + CHUNK);
    const joined = i + CHUNK < texts.length ? chunk.join("\0") + "\0" : chunk.join("\0");
    written += encoder.encodeInto(joined, bytes.subarray(at + written, at + len)).written;
  }
  return written;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = "useMemory")]
    fn use_memory(memory: &JsValue);
    /// Writes `text` as UTF-8 at `at` (in `len` bytes): its length, or minus the length it may need, or
    /// [`NOT_A_STRING`].
    #[wasm_bindgen(js_name = "encodeText")]
    fn encode_text(text: &JsValue, at: u32, len: u32) -> i32;
    /// Writes `texts` joined with NUL the same way; [`NOT_A_STRING`] when `texts` is not an array, that plus 1 + `i`
    /// when `texts[i]` is not a string.
    #[wasm_bindgen(js_name = "encodeBatch")]
    fn encode_batch(texts: &JsValue, at: u32, len: u32) -> i32;
}

/// What the encoders answer for a value that is not a string (or an array of strings): this and above, up to
/// `-(1 << 30)` exclusive (the answers from there to -1 are lengths a text needs).
const NOT_A_STRING: i32 = i32::MIN;
/// The largest text buffer: a text (or batch) that may need more is refused without trying.
const BUFFER_LIMIT: usize = 1 << 30;
/// A buffer grown past this for one large text is given back after the call.
const BUFFER_KEPT: usize = 1 << 20;

thread_local! {
    /// The buffer texts are written into (wasm runs one thread); its bytes past a text's length are left as they
    /// were.
    static TEXT_BUFFER: std::cell::RefCell<Option<Vec<u8>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` on the text (or NUL-joined batch) that `write` puts into the text buffer; `not_a_string` names what
/// was not a string for an answer of [`NOT_A_STRING`] and above (below the largest length a buffer may need).
fn with_text<R>(
    write: impl Fn(u32, u32) -> i32,
    not_a_string: impl Fn(i32) -> JsValue,
    f: impl FnOnce(&str) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    TEXT_BUFFER.with_borrow_mut(|buffer| {
        let buffer = buffer.get_or_insert_with(|| {
            use_memory(&wasm_bindgen::memory());
            vec![0; 1024]
        });
        let written = loop {
            // JavaScript writes the bytes: the buffer's address goes out as a number, as wasm-bindgen's own glue
            // does with every string it passes.
            let written = write(buffer.as_mut_ptr() as u32, buffer.len() as u32);
            if written >= 0 {
                break written as usize;
            }
            if written < -(BUFFER_LIMIT as i32) {
                return Err(not_a_string(written - NOT_A_STRING));
            }
            let needed = written.unsigned_abs() as usize;
            if needed >= BUFFER_LIMIT {
                return Err(js_error(
                    "MatchError",
                    "text is longer than 350 million characters (1 GiB of UTF-8 may not fit)",
                ));
            }
            buffer.resize(needed, 0);
        };
        let answer = std::str::from_utf8(&buffer[..written])
            .map_err(|e| js_error("TypeError", &format!("text is not valid UTF-8: {e}")))
            .and_then(f);
        if buffer.len() > BUFFER_KEPT {
            *buffer = vec![0; 1024];
        }
        answer
    })
}

/// Bytes of the short-text buffer: the package's JavaScript layer (intent.js) writes a text of up to a third of
/// this many characters here itself and then calls `bestIndexIn` with its length, one call into wasm with a number
/// instead of a call that calls back out to JavaScript to have the text written.
const SHORT_BUFFER: usize = 768;

/// Intents `matchingIndexesIn` can answer with in the short-answer buffer; a text that matches more goes through
/// `matchingIndexes`.
const SHORT_ANSWERS: usize = 256;

thread_local! {
    /// The short-text buffer: allocated once, never resized or freed (JavaScript keeps a view of it).
    static SHORT_TEXT: Box<[u8]> = vec![0; SHORT_BUFFER].into_boxed_slice();
    /// Where `matchingIndexesIn` writes its answer for JavaScript to copy: allocated once, never resized or freed.
    static SHORT_ANSWER: std::cell::RefCell<Box<[u32]>> =
        std::cell::RefCell::new(vec![0; SHORT_ANSWERS].into_boxed_slice());
}

/// The short-text buffer's address and length and the short-answer buffer's (the JavaScript layer's views of them),
/// and wasm memory: `[memory, text address, text bytes, answer address, answer entries]`.
#[wasm_bindgen(js_name = "shortTextBuffer", skip_typescript)]
pub fn short_text_buffer() -> js_sys::Array {
    let at = SHORT_TEXT.with(|buffer| buffer.as_ptr() as u32);
    let answer_at = SHORT_ANSWER.with_borrow(|answer| answer.as_ptr() as u32);
    js_sys::Array::of5(
        &wasm_bindgen::memory(),
        &JsValue::from(at),
        &JsValue::from(SHORT_BUFFER as u32),
        &JsValue::from(answer_at),
        &JsValue::from(SHORT_ANSWERS as u32),
    )
}

/// Set in the length JavaScript passes with a short text it wrote by hand, every character below 0x80: ASCII, so
/// valid UTF-8 without looking (`encodeInto`'s texts are checked).
const ASCII_TEXT: u32 = 1 << 30;

/// `f`'s answer for the short text JavaScript wrote (its `len` bytes, [`ASCII_TEXT`] set when it wrote ASCII), or -2
/// when they are not a text (past the buffer, or not UTF-8): what the short-text calls answer when JavaScript should
/// call the generated method instead.
fn with_short_text(len: u32, f: impl FnOnce(&[u8]) -> i32) -> i32 {
    SHORT_TEXT.with(|buffer| {
        let ascii = len & ASCII_TEXT != 0;
        buffer
            .get(..(len & !ASCII_TEXT) as usize)
            .filter(|bytes| ascii || std::str::from_utf8(bytes).is_ok())
            .map_or(-2, f)
    })
}

/// The texts of a batch: the NUL-joined string split again (a text that itself contains NUL would split into
/// more pieces than there are texts: the batch is then read text by text).
fn with_batch<R>(
    texts: &JsValue,
    f: impl FnOnce(&[&str]) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    with_text(
        |at, len| encode_batch(texts, at, len),
        |code| match code {
            0 => js_error("TypeError", "texts must be an array of strings"),
            code => js_error("TypeError", &format!("texts[{}] is not a string", code - 1)),
        },
        |joined| {
            let array: &js_sys::Array = texts.unchecked_ref();
            let count = array.length() as usize;
            let pieces = if count == 0 {
                Some(Vec::new())
            } else {
                split_at_nul(joined, count)
            };
            if let Some(pieces) = pieces {
                f(&pieces)
            } else {
                let each: Vec<String> = array.iter().filter_map(|text| text.as_string()).collect();
                f(&each.iter().map(String::as_str).collect::<Vec<_>>())
            }
        },
    )
}

/// `joined` split at every NUL into `count` pieces, eight bytes per step with 64-bit integers (which wasm has;
/// `str::split` looks for the separator four bytes at a time there, a byte at a time past each hit); `None` when
/// there are more pieces (a text holds a NUL).
fn split_at_nul(joined: &str, count: usize) -> Option<Vec<&str>> {
    const LOWS: u64 = u64::from_ne_bytes([0x7f; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    fn cut<'j>(joined: &'j str, start: &mut usize, end: usize, pieces: &mut Vec<&'j str>) {
        // NUL is one byte and never part of a longer UTF-8 sequence: every piece is whole characters.
        pieces.push(joined.get(*start..end).unwrap_or_default());
        *start = end + 1;
    }
    let bytes = joined.as_bytes();
    let mut pieces = Vec::with_capacity(count);
    let mut start = 0;
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        // The high bit of each byte of `zeros` is set exactly where `word` has a 0 byte (no carry crosses bytes).
        let mut zeros = !(((word & LOWS) + LOWS) | word) & HIGHS;
        while zeros != 0 {
            cut(
                joined,
                &mut start,
                at + zeros.trailing_zeros() as usize / 8,
                &mut pieces,
            );
            zeros &= zeros - 1;
        }
        at += 8;
    }
    for (i, &byte) in bytes.iter().enumerate().skip(at) {
        if byte == 0 {
            cut(joined, &mut start, i, &mut pieces);
        }
    }
    pieces.push(joined.get(start..).unwrap_or_default());
    (pieces.len() == count).then_some(pieces)
}

/// A batch call's error: a `MatchError` naming the text.
fn batch_error(e: BatchMatchError) -> JsValue {
    js_error("MatchError", &e.to_string())
}

/// A compiled intent set. Build it once; match many texts.
#[wasm_bindgen]
pub struct IntentMatcher {
    inner: intent::IntentMatcher,
    /// What `steppingView` hands JavaScript, made on its first call.
    stepping: std::cell::OnceCell<Option<SteppingView>>,
}

/// Words of a stepping view (see `steppingView`), in order.
const VIEW_WORDS: usize = 15;

/// What the JavaScript layer reads to step a short text through the matcher's automaton itself (`fastShortTexts`
/// in intent.js): for the anchored form, its search cache (the protocol is `Published`'s, in
/// `src/intent/automaton/anchored/search.rs`); for the dense form, its table (`DenseParts` in
/// `src/intent/automaton/dense.rs`). And the arrays it points into, owned here so that they live as long as the
/// matcher.
struct SteppingView {
    /// Addresses and numbers, each a `u32`: where the anchored cache publishes its arrays (0 for the dense form),
    /// the byte classes (256 bytes), the end-of-text column, `maxTextBytes`, the pattern count, each pattern's rank,
    /// the intent of each rank, the intent of each pattern; then for the dense form (0 for the anchored one) its
    /// transitions, columns, states, match states, start state, match offsets and the patterns they index.
    words: Box<[u32; VIEW_WORDS]>,
    _intent_of_rank: Vec<u32>,
    _intent_of_pattern: Vec<u32>,
}

impl IntentMatcher {
    fn wrap(inner: intent::IntentMatcher) -> Self {
        IntentMatcher {
            inner,
            stepping: std::cell::OnceCell::new(),
        }
    }
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
        Ok(IntentMatcher::wrap(inner))
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
        Ok(IntentMatcher::wrap(inner))
    }

    /// Index of the best intent for `text` (see `intentIds()`), or -1: the cheapest call, nothing allocated.
    #[wasm_bindgen(js_name = "bestIndex")]
    pub fn best_index(&self, text: &JsString) -> Result<i32, JsValue> {
        with_text(
            |at, len| encode_text(text, at, len),
            |_| js_error("TypeError", "text must be a string"),
            |text| {
                let best = self.inner.best_intent_index(text).map_err(match_error)?;
                Ok(best.map_or(-1, |b| b as i32))
            },
        )
    }

    /// The address of the words JavaScript reads to step short texts through this matcher's automaton without
    /// calling wasm (see `SteppingView`), or 0 when the set is in neither the anchored form nor the dense one with
    /// 2-byte ids (the JavaScript layer then always calls wasm). The arrays it points to live as long as the
    /// matcher; the anchored cache's own move between calls, and where they are is published after each.
    #[wasm_bindgen(js_name = "steppingView", skip_typescript)]
    pub fn stepping_view(&self) -> u32 {
        let view = self.stepping.get_or_init(|| {
            let parts = self.inner.stepping_parts()?;
            let address = |at: usize| u32::try_from(at).ok();
            let (published, dense) = match &parts.form {
                SteppingForm::Anchored(published) => (address(*published as usize)?, [0; 7]),
                SteppingForm::Dense(dense) => (
                    0,
                    [
                        address(dense.transitions.as_ptr() as usize)?,
                        u32::try_from(dense.columns).ok()?,
                        dense.states,
                        dense.match_states,
                        dense.start,
                        address(dense.match_offsets.as_ptr() as usize)?,
                        address(dense.match_patterns.as_ptr() as usize)?,
                    ],
                ),
            };
            let [transitions, columns, states, match_states, start, offsets, patterns] = dense;
            let words = [
                published,
                address(parts.classes.as_ptr() as usize)?,
                u32::try_from(parts.end_column).ok()?,
                u32::try_from(parts.max_text_bytes).unwrap_or(u32::MAX),
                u32::try_from(parts.ranks.len()).ok()?,
                address(parts.ranks.as_ptr() as usize)?,
                address(parts.intent_of_rank.as_ptr() as usize)?,
                address(parts.intent_of_pattern.as_ptr() as usize)?,
                transitions,
                columns,
                states,
                match_states,
                start,
                offsets,
                patterns,
            ];
            Some(SteppingView {
                words: Box::new(words),
                _intent_of_rank: parts.intent_of_rank,
                _intent_of_pattern: parts.intent_of_pattern,
            })
        });
        view.as_ref().map_or(0, |view| view.words.as_ptr() as u32)
    }

    /// Counts `count` texts JavaScript answered by stepping through this matcher's search cache (see
    /// `steppingView`), so that the cache settles and compacts as it would had wasm searched them: JavaScript calls
    /// it between texts, every so many. Rows may move; where they are is published again before this returns.
    #[wasm_bindgen(js_name = "noteSteppedTexts", skip_typescript)]
    pub fn note_stepped_texts(&self, count: u32) {
        self.inner.searched_elsewhere(count as usize);
    }

    /// [`IntentMatcher::best_index`] for the `len` bytes JavaScript wrote into the short-text buffer (see
    /// `shortTextBuffer`): the intent's index, -1 for none, or -2 when the bytes are not a text this can answer
    /// (then JavaScript calls `bestIndex`, which throws the error).
    #[wasm_bindgen(js_name = "bestIndexIn", skip_typescript)]
    pub fn best_index_in(&self, len: u32) -> i32 {
        with_short_text(len, |text| {
            self.inner
                .best_intent_index_of_utf8(text)
                .map_or(-2, |best| best.map_or(-1, |b| b as i32))
        })
    }

    /// [`IntentMatcher::matching_indexes`] for the `len` bytes JavaScript wrote into the short-text buffer (see
    /// `shortTextBuffer`): how many intents match, their indexes written ascending into the short-answer buffer; or
    /// -2 when this cannot answer (the bytes are not a text this can search, or more intents match than the buffer
    /// holds: then JavaScript calls `matchingIndexes`, which answers or throws).
    #[wasm_bindgen(js_name = "matchingIndexesIn", skip_typescript)]
    pub fn matching_indexes_in(&self, len: u32) -> i32 {
        with_short_text(len, |text| {
            SHORT_ANSWER.with_borrow_mut(|answer| {
                match self.inner.matching_intent_indexes_into(text, answer) {
                    Ok(Some(count)) => count as i32,
                    _ => -2,
                }
            })
        })
    }

    /// The best intent for `text` with span and slots, or `null`.
    #[wasm_bindgen(js_name = "match")]
    pub fn match_text(&self, text: &JsString) -> Result<IntentMatchOrNull, JsValue> {
        with_text(
            |at, len| encode_text(text, at, len),
            |_| js_error("TypeError", "text must be a string"),
            |text| Ok(to_js(&self.inner.find(text).map_err(match_error)?)?.unchecked_into()),
        )
    }

    /// Every matching intent, best first.
    #[wasm_bindgen(js_name = "matchAll")]
    pub fn match_all(&self, text: &JsString) -> Result<IntentMatchArray, JsValue> {
        with_text(
            |at, len| encode_text(text, at, len),
            |_| js_error("TypeError", "text must be a string"),
            |text| Ok(to_js(&self.inner.find_all(text).map_err(match_error)?)?.unchecked_into()),
        )
    }

    /// For each text, the index of its best intent (see `intentIds()`), or -1 when none matches. One call for the
    /// whole batch. Throws a `MatchError` naming the first text over the length limit.
    #[wasm_bindgen(js_name = "matchBatch")]
    pub fn match_batch(&self, texts: StringArray) -> Result<js_sys::Int32Array, JsValue> {
        let best = with_batch(&texts, |texts| {
            let mut best = vec![-1; texts.len()];
            self.inner
                .best_intent_indexes_i32(texts, &mut best)
                .map_err(batch_error)?;
            Ok(best)
        })?;
        Ok(js_sys::Int32Array::from(&best[..]))
    }

    /// Every matching intent for each text, in one call: for each text in order, the number of intents that
    /// match it, followed by their indexes (ascending). `[2, 0, 5, 0, 1, 3]` = text 0 matches intents 0 and 5,
    /// text 1 none, text 2 intent 3.
    #[wasm_bindgen(js_name = "matchAllBatch")]
    pub fn match_all_batch(&self, texts: StringArray) -> Result<js_sys::Int32Array, JsValue> {
        let all = with_batch(&texts, |texts| {
            self.inner
                .matching_intent_indexes_batch_flat(texts)
                .map_err(batch_error)
        })?;
        Ok(js_sys::Int32Array::from(&all[..]))
    }

    /// Indexes of every intent matching `text`, ascending (no spans or slots: the cheapest query).
    #[wasm_bindgen(js_name = "matchingIndexes")]
    pub fn matching_indexes(&self, text: &JsString) -> Result<js_sys::Uint32Array, JsValue> {
        let hits = with_text(
            |at, len| encode_text(text, at, len),
            |_| js_error("TypeError", "text must be a string"),
            |text| {
                self.inner
                    .matching_intent_indexes(text)
                    .map_err(match_error)
            },
        )?;
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
