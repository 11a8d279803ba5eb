//! The set automaton: says *which* patterns of a set match a text, in one left-to-right pass, linear in the text
//! whatever the patterns (nothing backtracks).
//!
//! # The three forms, when to use each, and what each costs
//!
//! | form ([`AutomatonKind`]) | built | build cost | size | first texts | warm search |
//! |---|---|---|---|---|---|
//! | **anchored** ([`anchored`]) | ahead of time (`intent-edge compile`, the default) | ms to ~1 s | ~1 state per pattern byte, sparse rows (BANKING77 160 KB) | build their unanchored states from the table: µs per text | one lookup per byte, batches three texts at once (BANKING77 natively, whole search: 23 instructions per byte one call per text and 20 batched, 2.1 ns per byte one call per text and 1.3 batched) |
//! | **dense** ([`dense`]) | ahead of time (`intent-edge compile --dense`) | s to minutes | the whole unanchored DFA (BANKING77 1.8 MB; larger sets do not fit `dfaSizeLimit`) | nothing to build | one lookup per byte after a multiplication, batches three texts at once (BANKING77 natively, whole search: 21 instructions per byte one call per text and 24 batched, 3.4 ns per byte one call per text and 2.0 batched) |
//! | **lazy** ([`lazy`]) | at run time (`new IntentMatcher(json)`, `IntentMatcher::new`) | compiling the NFA: ms | the NFA | an ε-closure over the NFA per new state: ms per text on large sets | one lookup per byte |
//!
//! - **anchored** is the set's DFA for runs that start at one position: for sets of phrases, trie-like, most
//!   transitions dead, stored as sparse rows. Searching starts a run at every position at once; the set of live
//!   runs after each byte is a state of the unanchored DFA, built from the table when a text first needs it and
//!   cached in dense rows (bounded by `options.lazyCacheLimit`). Use it for any set compiled ahead of time.
//! - **dense** is the unanchored DFA determinized whole, a flat table. Its states multiply with the set (every state
//!   carries each pattern that may be starting anywhere before): 1.7–6 times the anchored DFA's states on every set
//!   measured, support-150 ~98,000 states / 57 MB / 5.4 min, and its 2-byte state ids cost a multiplication per
//!   byte, so warm it is slower than the anchored form. Use it for small sets whose size does not matter, where a
//!   fresh instance must not build anything (BANKING77 in Node, load included: 100 texts 0.3–0.4 ms, anchored 0.7–1.1).
//! - **lazy** determinizes the unanchored DFA from the NFA while matching (`regex-automata`'s hybrid engine). Use it
//!   for sets compiled at run time, and for sets whose anchored table exceeds `dfaSizeLimit` (saved with the NFA).
//!
//! Splitting a set into several dense DFAs was tried earlier: every extra DFA is one more pass over the text, and on
//! a 184-pattern set four 8 MiB DFAs matched 3–4× slower than one warm lazy DFA.
//!
//! Layers: [`header`] (the table header and match lists both tables share) and, natively with the compiler,
//! [`tabulate`] (numbering a `regex-automata` DFA's states into a table) sit under [`dense`] and [`anchored`];
//! bytes are read and written through module `wire`. Nothing here knows the matcher or the `.iedge` container.

pub(crate) mod anchored;
pub(crate) mod dense;
pub(crate) mod header;
pub(crate) mod hits;
pub(crate) mod lazy;
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
pub(crate) mod tabulate;

use super::config::MatchOptions;
#[cfg(feature = "compiler")]
use super::error::BuildError;
use super::error::{LoadError, SearchError};
use super::nfa_codec;
use super::wire::Keep;
use anchored::table::AnchoredTable;
use anchored::AnchoredSet;
pub(crate) use anchored::Published;
pub(crate) use dense::DenseParts;
use dense::DenseTable;
pub(crate) use hits::{BestPattern, Found, PatternHits, LANES};
use lazy::LazySet;
use serde::Serialize;
use std::fmt;

/// Which form a set automaton takes (see the module docs for when to use each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AutomatonKind {
    /// The anchored DFA determinized ahead of time, searched from every position at once.
    Anchored,
    /// The whole unanchored DFA determinized ahead of time.
    Dense,
    /// The unanchored DFA determinized lazily while matching, from the set's NFA.
    Lazy,
}

impl AutomatonKind {
    /// `"anchored"`, `"dense"` or `"lazy"`: the name `stats().automaton` shows in JavaScript and over HTTP.
    pub fn as_str(self) -> &'static str {
        match self {
            AutomatonKind::Anchored => "anchored",
            AutomatonKind::Dense => "dense",
            AutomatonKind::Lazy => "lazy",
        }
    }
}

impl fmt::Display for AutomatonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which patterns of a set match a text.
pub(crate) enum SetAutomaton {
    Anchored(Box<AnchoredSet>),
    Dense(Box<DenseTable>),
    Lazy(Box<LazySet>),
}

/// How much larger than `dfaSizeLimit` the dense anchored DFA may grow while it is built (natively, ahead of
/// time), before it is stored as sparse rows that must fit `dfaSizeLimit`.
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
const ANCHORED_BUILD_FACTOR: usize = 16;

#[cfg(feature = "compiler")]
fn compile_nfa(
    hirs: &[regex_syntax::hir::Hir],
    options: &MatchOptions,
) -> Result<regex_automata::nfa::thompson::NFA, BuildError> {
    super::syntax::compile_nfa(
        hirs,
        regex_automata::nfa::thompson::WhichCaptures::None,
        options,
    )
    .map_err(BuildError::Nfa)
}

impl SetAutomaton {
    /// The lazy form over the patterns' NFA: cheap to build, fast once its cache is warm.
    #[cfg(feature = "compiler")]
    pub(crate) fn build_lazy(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, BuildError> {
        let nfa = compile_nfa(hirs, options)?;
        Ok(SetAutomaton::Lazy(Box::new(LazySet::new(nfa, options)?)))
    }

    /// The dense form when the set's unanchored DFA fits `options.dfaSizeLimit`, else the anchored form, else — a
    /// set whose anchored table does not fit either — the lazy form. Raising `dfaSizeLimit` trades memory for
    /// larger tables.
    ///
    /// The anchored DFA is built first (it is the cheap one: BANKING77 57 ms, support-150 0.6 s). The unanchored
    /// DFA had 1.65–6 times its states on every set measured (BANKING77 9,405 vs 5,703; bots-200 17,069 vs
    /// 2,865), so when 1.5 times the anchored states would not fit the limit as a dense table, the unanchored DFA
    /// is not attempted (support-150: 0.6 s instead of 36 s spent finding that it does not fit).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn build_dense(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, BuildError> {
        use regex_automata::dfa::{dense, StartKind};
        use regex_automata::MatchKind;
        let nfa = compile_nfa(hirs, options)?;
        let anchored = anchored_table(&nfa, options);
        let worth_trying = anchored.as_ref().map_or(true, |table| {
            table.dense_size().saturating_mul(3) / 2 <= options.dfa_size_limit
        });
        if worth_trying {
            let dfa = dense::Builder::new()
                .configure(
                    dense::Config::new()
                        .match_kind(MatchKind::All)
                        .start_kind(StartKind::Unanchored)
                        .dfa_size_limit(Some(options.dfa_size_limit))
                        .determinize_size_limit(Some(options.dfa_size_limit)),
                )
                .build_from_nfa(&nfa);
            // Over the limit (or not tabulable): the anchored form below.
            if let Ok(table) = dfa
                .map_err(|e| BuildError::Determinize(Box::new(e)))
                .and_then(|dfa| DenseTable::from_dfa(&dfa))
            {
                return Ok(SetAutomaton::Dense(Box::new(table)));
            }
        }
        anchored_or_lazy(anchored, nfa, options)
    }

    /// The anchored form, whatever the size of the set's dense DFA; the lazy form when the anchored table does not
    /// fit `options.dfaSizeLimit`.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn build_anchored(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, BuildError> {
        let nfa = compile_nfa(hirs, options)?;
        anchored_or_lazy(anchored_table(&nfa, options), nfa, options)
    }

    /// Reads an automaton of form `kind` written by [`SetAutomaton::to_bytes`]: a table's structure is checked and
    /// its body kept through `keep` (checked as searches read it), an NFA is decoded.
    pub(crate) fn from_bytes(
        kind: AutomatonKind,
        bytes: &[u8],
        keep: impl Keep,
        options: &MatchOptions,
    ) -> Result<Self, LoadError> {
        Ok(match kind {
            AutomatonKind::Anchored => SetAutomaton::Anchored(Box::new(AnchoredSet::new(
                AnchoredTable::from_bytes(bytes, keep)?,
                options,
            ))),
            AutomatonKind::Dense => {
                SetAutomaton::Dense(Box::new(DenseTable::from_bytes(bytes, keep)?))
            }
            AutomatonKind::Lazy => {
                let nfa = nfa_codec::decode(bytes)?;
                let lazy = LazySet::new(nfa, options)
                    .map_err(|e| LoadError::invalid("the set NFA", format!("is refused: {e}")))?;
                SetAutomaton::Lazy(Box::new(lazy))
            }
        })
    }

    /// The serialized form: a table, or the lazy form's NFA.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        match self {
            SetAutomaton::Anchored(anchored) => anchored.table().to_bytes(),
            SetAutomaton::Dense(table) => table.to_bytes(),
            SetAutomaton::Lazy(lazy) => lazy.nfa_bytes(),
        }
    }

    pub(crate) fn kind(&self) -> AutomatonKind {
        match self {
            SetAutomaton::Anchored(_) => AutomatonKind::Anchored,
            SetAutomaton::Dense(_) => AutomatonKind::Dense,
            SetAutomaton::Lazy(_) => AutomatonKind::Lazy,
        }
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        match self {
            SetAutomaton::Anchored(anchored) => anchored.table().pattern_len(),
            SetAutomaton::Dense(table) => table.pattern_len(),
            SetAutomaton::Lazy(lazy) => lazy.pattern_len(),
        }
    }

    /// Bytes held by the automaton (for the anchored and lazy forms: without their search cache, which is bounded
    /// by `options.lazyCacheLimit`).
    pub(crate) fn memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Anchored(anchored) => anchored.table().memory_usage(),
            SetAutomaton::Dense(table) => table.memory_usage(),
            SetAutomaton::Lazy(lazy) => lazy.memory_usage(),
        }
    }

    /// Bytes of DFA states the anchored or lazy form has cached so far (0 for the dense table).
    pub(crate) fn cache_memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Anchored(anchored) => anchored.cache_memory_usage(),
            SetAutomaton::Dense(_) => 0,
            SetAutomaton::Lazy(lazy) => lazy.cache_memory_usage(),
        }
    }

    /// Re-places the anchored form's cached rows as tightly as they go (see `RunSets::compact`); nothing for the
    /// other forms.
    pub(crate) fn compact(&self) {
        if let SetAutomaton::Anchored(anchored) = self {
            anchored.compact();
        }
    }

    /// Counts `searches` answered outside Rust through the anchored form's published cache (see
    /// `RunSets::searched_elsewhere`); nothing for the other forms, which publish nothing.
    pub(crate) fn searched_elsewhere(&self, searches: usize) {
        if let SetAutomaton::Anchored(anchored) = self {
            anchored.searched_elsewhere(searches);
        }
    }

    /// Searches every text of `texts` and hands each one's hits to `done` with its index, in no particular order
    /// (the anchored and dense forms search [`LANES`] texts at once, their steps interleaved). `hits` are made for
    /// this set. Fails naming the text whose search failed.
    pub(crate) fn matching_batch<F: Found>(
        &self,
        texts: &[&[u8]],
        hits: &mut [F; LANES],
        mut done: impl FnMut(usize, &mut F),
    ) -> Result<(), (usize, SearchError)> {
        let lazy = match self {
            SetAutomaton::Anchored(anchored) => return anchored.matching_batch(texts, hits, done),
            SetAutomaton::Dense(table) => return table.matching_batch(texts, hits, done),
            SetAutomaton::Lazy(lazy) => lazy,
        };
        let hits = &mut hits[0];
        for (index, text) in texts.iter().enumerate() {
            hits.clear();
            lazy.matching(text, hits).map_err(|e| (index, e))?;
            done(index, hits);
        }
        Ok(())
    }

    /// Adds every pattern that matches somewhere in `text` (UTF-8) to `hits` (made for this set). Fails only for a
    /// table loaded from damaged bytes, or a lazy DFA that gave up.
    pub(crate) fn matching(&self, text: &[u8], hits: &mut impl Found) -> Result<(), SearchError> {
        match self {
            SetAutomaton::Anchored(anchored) => anchored.matching(text, hits),
            SetAutomaton::Dense(table) => table.matching(text, hits),
            SetAutomaton::Lazy(lazy) => lazy.matching(text, hits),
        }
    }
}

/// The anchored form when its table was built within the limits, else the lazy form over `nfa`.
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
fn anchored_or_lazy(
    anchored: Result<AnchoredTable, BuildError>,
    nfa: regex_automata::nfa::thompson::NFA,
    options: &MatchOptions,
) -> Result<SetAutomaton, BuildError> {
    Ok(match anchored {
        Ok(table) => SetAutomaton::Anchored(Box::new(AnchoredSet::new(table, options))),
        Err(_) => SetAutomaton::Lazy(Box::new(LazySet::new(nfa, options)?)),
    })
}

/// Determinizes the set anchored (runs that start at one position) and keeps it as sparse rows of at most
/// `options.dfaSizeLimit` bytes. The dense DFA this goes through may take up to [`ANCHORED_BUILD_FACTOR`] times
/// that while it is built.
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
fn anchored_table(
    nfa: &regex_automata::nfa::thompson::NFA,
    options: &MatchOptions,
) -> Result<AnchoredTable, BuildError> {
    use regex_automata::dfa::{dense, StartKind};
    use regex_automata::MatchKind;
    let build_limit = options.dfa_size_limit.saturating_mul(ANCHORED_BUILD_FACTOR);
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(StartKind::Anchored)
                .dfa_size_limit(Some(build_limit))
                .determinize_size_limit(Some(build_limit)),
        )
        .build_from_nfa(nfa)
        .map_err(|e| BuildError::Determinize(Box::new(e)))?;
    let table = AnchoredTable::from_dfa(&dfa)?;
    if table.memory_usage() > options.dfa_size_limit {
        return Err(BuildError::TableTooLarge {
            bytes: table.memory_usage(),
            limit: options.dfa_size_limit,
        });
    }
    Ok(table)
}
