//! Texts the set's own patterns match, for warming a lazily determinized automaton before traffic
//! ([`IntentMatcher::sample_texts`](super::IntentMatcher::sample_texts), then
//! [`IntentMatcher::warm_up`](super::IntentMatcher::warm_up)).
//!
//! A set too large to determinize ahead of time builds its DFA states while matching: a fresh instance pays for
//! every state its first texts visit (tens of microseconds each on a 150-intent set). Real texts spend most of their
//! bytes in the states that spell out the patterns' phrases, so walking strings those phrases produce, in the
//! contexts text puts them in, caches most of what later texts need. The strings are built from a pattern's HIR
//! the way a person would write them, not uniformly at random: lowercase ASCII letters, spaces and digits when a
//! class offers them (a space, half the time, for a broad class such as `.`), one or two rounds of a repetition,
//! a random branch of each alternation.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Pattern nodes one sample may visit: nested repetitions (`a+++…`, each `+` a repetition of the one before) would
/// otherwise multiply the work by up to three per level (a fuzzed set with 110 of them never finished).
const STEPS_PER_SAMPLE: usize = 4096;
/// Longest sample, in bytes.
const SAMPLE_BYTES: usize = 256;

/// A deterministic pseudo-random sequence (SplitMix64): the same set always gets the same samples.
pub(crate) struct Sampler {
    state: u64,
    /// Pattern nodes the current sample may still visit.
    steps: usize,
}

impl Sampler {
    pub(crate) fn new(seed: u64) -> Self {
        Sampler {
            state: seed,
            steps: 0,
        }
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    /// One string `hir` matches (ignoring look-around assertions, which the contexts in
    /// [`IntentMatcher::sample_texts`](super::IntentMatcher::sample_texts) satisfy or not), cut short for a
    /// pattern that would take more than a few thousand steps or make more than 256 bytes.
    pub(crate) fn text_for(&mut self, hir: &Hir) -> String {
        let mut out = String::new();
        self.steps = STEPS_PER_SAMPLE;
        self.write(hir, &mut out, 0);
        out
    }

    fn write(&mut self, hir: &Hir, out: &mut String, depth: u32) {
        // The parser bounds nesting already; this keeps the recursion obviously finite.
        if depth > 256 || self.steps == 0 || out.len() >= SAMPLE_BYTES {
            return;
        }
        self.steps -= 1;
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
            HirKind::Class(Class::Unicode(class)) => {
                // Up to 64 characters of each range are candidates: enough to pick from, bounded for `.`.
                let candidates: Vec<char> = class
                    .iter()
                    .flat_map(|range| (range.start()..=range.end()).take(64))
                    .collect();
                let plain: Vec<char> = candidates
                    .iter()
                    .copied()
                    .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == ' ')
                    .collect();
                // A broad class (`.`, `[^…]`) stands for "anything between two words": most often a space.
                let broad = candidates.len() > 64 && candidates.contains(&' ');
                let pick = if broad && self.below(2) == 0 {
                    ' '
                } else if !plain.is_empty() && self.below(10) < 8 {
                    plain[self.below(plain.len())]
                } else if candidates.is_empty() {
                    return;
                } else {
                    candidates[self.below(candidates.len())]
                };
                out.push(pick);
            }
            HirKind::Class(Class::Bytes(class)) => {
                let ascii: Vec<u8> = class
                    .iter()
                    .flat_map(|range| range.start()..=range.end())
                    .filter(u8::is_ascii)
                    .collect();
                if !ascii.is_empty() {
                    out.push(char::from(ascii[self.below(ascii.len())]));
                }
            }
            HirKind::Repetition(repetition) => {
                let extra = match repetition.max {
                    Some(max) if max == repetition.min => 0,
                    // An unbounded gap (`.*`) is rarely empty in real text.
                    None if repetition.min == 0 => 1 + self.below(2) as u32,
                    _ => self.below(2) as u32,
                };
                for _ in 0..(repetition.min + extra).min(3) {
                    self.write(&repetition.sub, out, depth + 1);
                }
            }
            HirKind::Capture(capture) => self.write(&capture.sub, out, depth + 1),
            HirKind::Concat(parts) => {
                for part in parts {
                    self.write(part, out, depth + 1);
                }
            }
            HirKind::Alternation(branches) => {
                let branch = self.below(branches.len());
                self.write(&branches[branch], out, depth + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intent::{syntax, MatchOptions};

    #[test]
    fn samples_match_their_pattern_and_look_like_text() {
        let options = MatchOptions::default();
        let mut sampler = Sampler::new(7);
        // (pattern, whether every sample matches: a `.*` gap may put a word byte before a `\b`, as real text can)
        for (pattern, always) in [
            (
                r"\b(?:where\s+(?:is|[’']s)\s+my\s+(?:order|parcel)|track(?:ing)?\s+(?:number|link))\b",
                true,
            ),
            (
                r"\b(?:send|pay)\s+(?<amount>(?:£|€|\$)\s?\d+(?:[.,]\d{2})?)\s+to\s+(?<who>[A-Za-z]+)",
                true,
            ),
            (r"\bcard\b.*\b(?:lost|stolen)\b", false),
            (r"Mozilla/5\.0.*\bPetalBot\b", false),
        ] {
            let hir = syntax::to_hir(pattern, &options).unwrap();
            let vm = regex_automata::nfa::thompson::pikevm::PikeVM::new_from_nfa(
                regex_automata::nfa::thompson::Compiler::new()
                    .build_from_hir(&hir)
                    .unwrap(),
            )
            .unwrap();
            let mut matched = 0;
            for _ in 0..50 {
                let text = sampler.text_for(&hir);
                assert!(text.len() < 200, "{text:?}");
                // In a context that satisfies the word boundaries at both ends.
                if vm.is_match(&mut vm.create_cache(), format!(" {text} ").as_str()) {
                    matched += 1;
                }
            }
            assert!(
                matched == 50 || (!always && matched >= 15),
                "{pattern}: {matched} of 50 samples match"
            );
        }
        let hir = syntax::to_hir(r"a|b|c|d|(?:e|f)+", &options).unwrap();
        let run = |seed| -> Vec<String> {
            let mut sampler = Sampler::new(seed);
            (0..16).map(|_| sampler.text_for(&hir)).collect()
        };
        assert_eq!(run(7), run(7), "same seed, same samples");
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn nested_repetitions_make_a_bounded_sample_in_bounded_steps() {
        // From fuzzing (fuzz/artifacts/json/timeout-368ebc08…): every `+` repeats the repetition before it, and
        // writing one to three rounds of each made the work grow threefold per level.
        let pattern = format!("to (?P<city>[A-Za-z]{})", "+".repeat(110));
        let hir = syntax::to_hir(&pattern, &MatchOptions::default()).unwrap();
        let mut sampler = Sampler::new(1);
        for _ in 0..20 {
            let text = sampler.text_for(&hir);
            assert!(
                text.to_lowercase().starts_with("to ") && text.len() <= SAMPLE_BYTES + 4,
                "{text:?}"
            );
        }
        let empty = format!("x(?:(?:){})", "+".repeat(110));
        let hir = syntax::to_hir(&empty, &MatchOptions::default()).unwrap();
        assert_eq!(sampler.text_for(&hir), "x");
    }
}
