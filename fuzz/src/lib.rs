//! Inputs for the fuzz targets in `fuzz_targets/`: small intent sets and texts built from the fuzzer's bytes
//! (`arbitrary`), and the reference answers every automaton form is compared with.
//!
//! Patterns are drawn from a small grammar rather than from raw bytes, so that nearly every input is a valid set
//! that stresses what the hand-written automata must get right: word boundaries and anchors next to non-ASCII
//! text, case folding (Kelvin sign, final sigma, `ß`), alternations that share prefixes, repetitions at the ends
//! of a pattern (which the set automaton trims), empty matches, and texts longer than one search round.

use arbitrary::Arbitrary;
use intent_edge::intent::{syntax, IntentSetConfig, MatchOptions};
use regex_automata::{meta, Input, MatchKind, PatternSet};
use regex_syntax::hir::Hir;

/// Characters patterns and texts are made of: ASCII letters and digits, separators, and the non-ASCII letters
/// whose case folding or UTF-8 length trips automata up.
const CHARS: &[char] = &[
    'a', 'b', 'c', 'k', 'K', 's', 'S', ' ', '-', '1', '9', '\n', 'é', 'É', 'ß', 'σ', 'Σ', 'ς',
    '\u{212A}', '£', '€', '’', 'ž',
];
/// Words that recur, so that alternations and texts share prefixes and suffixes.
const WORDS: &[&str] = &[
    "card", "lost", "cards", "stolen", "car", "a b", "ab", "ba", "Zoë", "café",
];

#[derive(Arbitrary, Debug)]
pub enum Piece {
    Char(u8),
    Word(u8),
    /// `\w`, `\d`, `\s`, `\W`, `[ab]`, `[^a ]`, `.`, `[a-c]`, `\p{L}`, `[[:digit:]]`.
    Class(u8),
    /// `^`, `$`, `\b`, `\B`, `(?m:^)`, `(?m:$)`.
    Look(u8),
    /// `(?:…)`, `(…)`, `(?P<g>…)`, `(?i:…)`, `(?-i:…)`.
    Group(u8, Vec<Piece>),
    Alt(Vec<Vec<Piece>>),
    /// `*`, `+`, `?`, `{0,2}`, `{1,3}`, `{2}`, lazy `*?`, `+?`.
    Repeat(u8, Box<Piece>),
}

/// A small intent set (one pattern per intent) and texts to match.
#[derive(Arbitrary, Debug)]
pub struct SetAndTexts {
    pub case_insensitive: bool,
    pub ascii_only: bool,
    pub patterns: Vec<Vec<Piece>>,
    pub texts: Vec<Vec<u8>>,
}

const MAX_PATTERNS: usize = 4;
const MAX_PIECES: usize = 6;
const MAX_DEPTH: u32 = 3;
const MAX_TEXTS: usize = 5;
const MAX_TEXT_TOKENS: usize = 40;

fn render(pieces: &[Piece], depth: u32, out: &mut String) {
    for piece in pieces.iter().take(MAX_PIECES) {
        render_piece(piece, depth, out);
    }
}

fn render_piece(piece: &Piece, depth: u32, out: &mut String) {
    let escape = |c: char, out: &mut String| {
        if "\\.+*?()|[]{}^$-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    };
    match piece {
        Piece::Char(i) => escape(CHARS[usize::from(*i) % CHARS.len()], out),
        Piece::Word(i) => WORDS[usize::from(*i) % WORDS.len()]
            .chars()
            .for_each(|c| escape(c, out)),
        Piece::Class(i) => out.push_str(
            [
                r"\w",
                r"\d",
                r"\s",
                r"\W",
                "[ab]",
                "[^a ]",
                ".",
                "[a-c]",
                r"\p{L}",
                "[[:digit:]]",
            ][usize::from(*i) % 10],
        ),
        Piece::Look(i) => {
            out.push_str([r"^", r"$", r"\b", r"\B", r"(?m:^)", r"(?m:$)"][usize::from(*i) % 6])
        }
        Piece::Group(kind, inner) if depth < MAX_DEPTH => {
            out.push_str(["(?:", "(", "(?P<g>", "(?i:", "(?-i:"][usize::from(*kind) % 5]);
            render(inner, depth + 1, out);
            out.push(')');
        }
        Piece::Alt(branches) if depth < MAX_DEPTH && !branches.is_empty() => {
            out.push_str("(?:");
            for (k, branch) in branches.iter().take(4).enumerate() {
                if k > 0 {
                    out.push('|');
                }
                render(branch, depth + 1, out);
            }
            out.push(')');
        }
        Piece::Repeat(kind, inner) if depth < MAX_DEPTH => {
            out.push_str("(?:");
            render_piece(inner, depth + 1, out);
            out.push(')');
            out.push_str(
                ["*", "+", "?", "{0,2}", "{1,3}", "{2}", "*?", "+?"][usize::from(*kind) % 8],
            );
        }
        // Too deep: a plain character keeps the pattern valid and small.
        _ => out.push('a'),
    }
}

impl SetAndTexts {
    /// The patterns as strings (a named group at most once per pattern, as the syntax requires).
    pub fn pattern_strings(&self) -> Vec<String> {
        self.patterns
            .iter()
            .take(MAX_PATTERNS)
            .map(|pieces| {
                let mut pattern = String::new();
                render(pieces, 0, &mut pattern);
                // Only the first `(?P<g>` keeps its name: the rest become plain groups.
                if let Some(first) = pattern.find("(?P<g>") {
                    let (head, tail) = pattern.split_at(first + 6);
                    pattern = format!("{head}{}", tail.replace("(?P<g>", "("));
                }
                pattern
            })
            .collect()
    }

    /// The texts: each byte picks a character or a word.
    pub fn text_strings(&self) -> Vec<String> {
        self.texts
            .iter()
            .take(MAX_TEXTS)
            .map(|tokens| {
                tokens
                    .iter()
                    .take(MAX_TEXT_TOKENS)
                    .map(|&t| {
                        if t < 200 {
                            CHARS[usize::from(t) % CHARS.len()].to_string()
                        } else {
                            WORDS[usize::from(t) % WORDS.len()].to_owned()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// The intent set: one intent per pattern, ids `p0`, `p1`, …
    pub fn config(&self) -> IntentSetConfig {
        let intents: Vec<serde_json::Value> = self
            .pattern_strings()
            .into_iter()
            .enumerate()
            .map(|(i, p)| serde_json::json!({"id": format!("p{i}"), "patterns": [p]}))
            .collect();
        // A 1 MiB dfaSizeLimit keeps determinizing a set bounded (a set over it takes the anchored or lazy form,
        // which the fuzzing covers too).
        serde_json::from_value(serde_json::json!({
            "options": {"caseInsensitive": self.case_insensitive, "unicode": !self.ascii_only, "dfaSizeLimit": 1 << 20},
            "intents": intents,
        }))
        .expect("a well-formed set")
    }
}

/// The reference: `regex_automata::meta` over the same translated patterns (what `regex::RegexSet` is).
pub struct Reference {
    set: meta::Regex,
    each: Vec<meta::Regex>,
}

impl Reference {
    /// `None` when a pattern does not translate (the matcher refuses those sets too).
    // meta's build error is large, and dropped here at once.
    #[allow(clippy::result_large_err)]
    pub fn new(config: &IntentSetConfig) -> Option<Self> {
        let options: &MatchOptions = &config.options;
        let hirs: Vec<Hir> = config
            .intents
            .iter()
            .flat_map(|i| &i.patterns)
            .map(|p| syntax::to_hir(p, options))
            .collect::<Result<_, _>>()
            .ok()?;
        let set = meta::Builder::new()
            .configure(meta::Config::new().match_kind(MatchKind::All))
            .build_many_from_hir(&hirs)
            .ok()?;
        let each = hirs
            .iter()
            .map(|h| meta::Builder::new().build_from_hir(h))
            .collect::<Result<_, _>>()
            .ok()?;
        Some(Reference { set, each })
    }

    /// Every pattern that matches somewhere in `text`, ascending.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        let mut found = PatternSet::new(self.set.pattern_len());
        self.set
            .which_overlapping_matches(&Input::new(text), &mut found);
        found.iter().map(|p| p.as_usize()).collect()
    }

    /// Pattern `i`'s leftmost-first match (what a span reports).
    pub fn find(&self, i: usize, text: &str) -> Option<(usize, usize)> {
        self.each[i].find(text).map(|m| (m.start(), m.end()))
    }
}
