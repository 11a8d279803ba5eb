//! Cases for `fuzz/js_stepper.mjs`, the differential fuzzing of the package's JavaScript stepper (`fastShortTexts`
//! in `src/js/package/intent.js`), which reads an anchored set's search cache straight from wasm memory and so is
//! a hand-written automaton of its own that `cargo fuzz` cannot reach.
//!
//! Writes one JSON line per case: a small random set from the `forms` target's grammar (`SetAndTexts`, drawn from
//! seeded pseudo-random bytes instead of libFuzzer's), compiled to the anchored form and saved as `.iedge` (hex), and
//! to the dense form when its DFA fits (`dense`, else null),
//! 4 to 25 texts of 0 to 40 characters or words, and for each text the patterns `regex_automata::meta` says match it (one pattern per intent, so
//! these are the intents too). Sets the matcher refuses are skipped, as in `forms`.
//!
//! `cargo run --release --manifest-path fuzz/Cargo.toml --example js_cases -- SEED COUNT`

use arbitrary::{Arbitrary, Unstructured};
use intent_edge::intent::{AutomatonKind, IntentMatcher};
use intent_edge_fuzz::{Reference, SetAndTexts};
use std::io::{BufWriter, Write};

/// xorshift64*: deterministic bytes for `Unstructured`, so a seed names its cases.
struct Bytes(u64);

impl Bytes {
    fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let word = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("usage: js_cases SEED COUNT"))
        .collect();
    let [seed, count] = args[..] else {
        panic!("usage: js_cases SEED COUNT")
    };
    let mut bytes = Bytes(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut buffer = vec![0u8; 256];
    let mut written = 0;
    while written < count {
        bytes.fill(&mut buffer);
        let mut input = Unstructured::new(&buffer);
        let Ok(set) = SetAndTexts::arbitrary(&mut input) else {
            continue;
        };
        let mut config = set.config();
        if config.intents.is_empty() {
            continue;
        }
        // Now and then a cache small enough to clear while the texts are searched (the stepper must notice).
        if buffer[0] < 32 {
            config.options.lazy_cache_limit = 1 << (10 + buffer[1] % 6);
        }
        let Some(reference) = Reference::new(&config) else {
            continue;
        };
        let Ok(matcher) = IntentMatcher::new_anchored(config.clone()) else {
            continue;
        };
        let Some(iedge) = matcher.precompile() else {
            continue;
        };
        // The same set as one dense DFA too, when it fits (the stepper steps that table as well).
        let dense = IntentMatcher::new_dense(config)
            .ok()
            .filter(|m| m.stats().automaton == AutomatonKind::Dense)
            .and_then(|m| m.precompile());
        // Texts of 0 to 40 tokens (a character or a word each, as `forms` makes them), more of them than one draw
        // gives: 4 to 20 on top of its own.
        let mut texts = set.text_strings();
        bytes.fill(&mut buffer);
        let extra = 4 + usize::from(buffer[0] % 17);
        let tokens: Vec<Vec<u8>> = (0..extra)
            .map(|k| {
                let len = usize::from(buffer[1 + k] % 41);
                buffer[32 + 8 * k..][..len.min(224 - 8 * k)].to_vec()
            })
            .collect();
        for five in tokens.chunks(5) {
            let more = SetAndTexts {
                case_insensitive: false,
                ascii_only: false,
                patterns: Vec::new(),
                texts: five.to_vec(),
            };
            texts.extend(more.text_strings());
        }
        // Characters the grammar lacks but JavaScript strings step differently: four-byte ones (a surrogate pair in
        // JavaScript; U+10FFFD the last plane), three-byte ones (U+D55C's lead byte is the one surrogates would
        // have), and U+FFFD (which js_stepper.mjs also tries as a lone surrogate: what `encodeInto` writes for one).
        bytes.fill(&mut buffer);
        for (k, text) in texts.iter_mut().enumerate() {
            let roll = &buffer[(6 * k) % 240..][..6];
            if !roll[0].is_multiple_of(3) {
                continue;
            }
            for pick in &roll[1..=1 + usize::from(roll[0] % 3)] {
                // Before a character of the text, or at its end.
                let before = usize::from(roll[5]) % (text.chars().count() + 1);
                let at = text
                    .char_indices()
                    .nth(before)
                    .map_or(text.len(), |(i, _)| i);
                // U+FFFD twice: it is also the lone surrogates' stand-in.
                let extra = [
                    '\u{FFFD}',
                    '🙂',
                    '中',
                    '𝔘',
                    '\u{FFFD}',
                    '힣',
                    '\u{10FFFD}',
                    '𠀀',
                ][usize::from(*pick) % 8];
                text.insert(at, extra);
            }
        }
        let want: Vec<Vec<usize>> = texts.iter().map(|t| reference.matching(t)).collect();
        let line = serde_json::json!({
            "patterns": set.pattern_strings(),
            "iedge": hex(&iedge),
            "dense": dense.as_deref().map(hex),
            "texts": texts,
            "want": want,
        });
        writeln!(out, "{line}").expect("stdout");
        written += 1;
    }
}
