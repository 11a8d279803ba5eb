//! The multi-pattern automaton that says *which* patterns match a text, in one left-to-right pass.
//!
//! It takes one of two forms:
//! - **table**: a fully determinized DFA over every pattern (`MatchKind::All`, unanchored). Determinizing is the
//!   expensive step, so it runs once, ahead of time ([`SetAutomaton::dense`], natively, with `regex-automata`'s
//!   dense determinizer) and is stored as a [`DfaTable`] (module `dfa_table`): loading it back is a copy of its
//!   bytes, or nothing at all for a set compiled into the binary. Searching is one table lookup per byte, with no
//!   cache to fill.
//! - **lazy**: the same DFA determinized lazily while matching (`regex-automata`'s hybrid engine), from the set's
//!   NFA, with a state cache bounded by `options.lazyCacheLimit` (one per thread that matches concurrently).
//!   Building it is compiling the NFA ([`SetAutomaton::lazy`], sets compiled at run time) or decoding one saved
//!   in a precompiled set ([`SetAutomaton::lazy_from_nfa`], no regex compilation).
//!
//! [`SetAutomaton::dense`] determinizes the whole set when it fits `options.dfaSizeLimit`, and otherwise keeps the
//! lazy form: the table is `states × byte classes × 2 or 4` bytes, and large sets of multi-word phrases (with
//! Unicode `\s` and case folding, about two DFA states per NFA state: support-150's ~98,000 states over 145 byte
//! classes make a 57 MB table that takes minutes to determinize) or patterns that combine badly (`.*` gaps) make it
//! far larger than the states a real workload ever visits. (Splitting such sets into several dense DFAs was tried: every extra DFA is
//! one more pass over the text, and on a 184-pattern set four 8 MiB DFAs matched 3–4× slower than one warm lazy
//! DFA.) Both forms are linear in the text whatever the patterns: nothing backtracks.

use regex_automata::hybrid;
#[cfg(feature = "compiler")]
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};

use super::config::MatchOptions;
use super::dfa_table::DfaTable;

/// Which patterns of a set match a text.
pub(crate) enum SetAutomaton {
    /// Determinized ahead of time (built here, loaded from a precompiled set, or read in place from one
    /// compiled into this binary).
    Table(Box<DfaTable>),
    /// Determinized lazily while matching.
    Lazy(Box<LazySet>),
}

type LazyCachePool = Pool<hybrid::dfa::Cache, Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>>;

/// A lazy DFA and its search caches.
pub(crate) struct LazySet {
    dfa: hybrid::dfa::DFA,
    caches: LazyCachePool,
}

impl LazySet {
    /// The set's NFA, serialized (what a precompiled lazy set stores).
    pub(crate) fn nfa_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        super::nfa_codec::encode(self.dfa.get_nfa(), &mut out);
        out
    }
}

impl SetAutomaton {
    /// The lazily determinized form: cheap to build (an NFA), fast once its cache is warm.
    #[cfg(feature = "compiler")]
    pub(crate) fn lazy(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, String> {
        Self::lazy_from_nfa(
            super::syntax::compile_nfa(hirs, WhichCaptures::None, options)?,
            options,
        )
    }

    /// The lazily determinized form over an NFA already compiled (or decoded from a precompiled set).
    pub(crate) fn lazy_from_nfa(nfa: NFA, options: &MatchOptions) -> Result<Self, String> {
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .cache_capacity(options.lazy_cache_limit)
                    // A limit below the minimum the NFA needs is raised to that minimum rather than refused.
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let for_caches = dfa.clone();
        let caches: LazyCachePool = Pool::new(Box::new(move || for_caches.create_cache()));
        Ok(SetAutomaton::Lazy(Box::new(LazySet { dfa, caches })))
    }

    /// Determinizes the whole set into one dense DFA of at most `options.dfaSizeLimit` bytes. A set that does not
    /// fit gets the lazy form instead (see the module docs): still linear and fast once warm, but its cache fills
    /// while matching. Raising `dfaSizeLimit` trades memory for precompiling larger sets.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn dense(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, String> {
        use regex_automata::dfa::{dense, StartKind};
        let nfa = super::syntax::compile_nfa(hirs, WhichCaptures::None, options)?;
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Unanchored)
                    .dfa_size_limit(Some(options.dfa_size_limit))
                    .determinize_size_limit(Some(options.dfa_size_limit)),
            )
            .build_from_nfa(&nfa);
        match dfa {
            Ok(dfa) => Ok(SetAutomaton::Table(Box::new(DfaTable::from_dense(&dfa)?))),
            Err(_) => Self::lazy_from_nfa(nfa, options),
        }
    }

    /// The determinized form, from a table read by [`DfaTable::from_bytes`].
    pub(crate) fn from_table(table: DfaTable) -> Self {
        SetAutomaton::Table(Box::new(table))
    }

    /// The table's serialized form; `None` for the lazy form.
    pub(crate) fn table_bytes(&self) -> Option<Vec<u8>> {
        match self {
            SetAutomaton::Table(table) => Some(table.to_bytes()),
            SetAutomaton::Lazy(_) => None,
        }
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        match self {
            SetAutomaton::Table(table) => table.pattern_len(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.pattern_len(),
        }
    }

    /// `"dense"` (determinized ahead of time) or `"lazy"`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            SetAutomaton::Table(_) => "dense",
            SetAutomaton::Lazy(_) => "lazy",
        }
    }

    /// Heap bytes held by the automaton (for the lazy form: without its search cache, which is bounded by
    /// `options.lazyCacheLimit`).
    pub(crate) fn memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Table(table) => table.memory_usage(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.get_nfa().memory_usage(),
        }
    }

    /// Bytes of DFA states the lazy form has cached so far (0 for the table).
    pub(crate) fn cache_memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Table(_) => 0,
            SetAutomaton::Lazy(lazy) => lazy.caches.get().memory_usage(),
        }
    }

    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for the whole set).
    pub(crate) fn matching(&self, text: &str, matched: &mut PatternSet) -> Result<(), String> {
        match self {
            // Only a corrupt table (from a damaged file) can fail here.
            SetAutomaton::Table(table) => table.matching(text.as_bytes(), matched),
            SetAutomaton::Lazy(lazy) => {
                let mut cache = lazy.caches.get();
                lazy.dfa
                    .try_which_overlapping_matches(&mut cache, &Input::new(text), matched)
                    .map_err(|e| e.to_string())
            }
        }
    }
}
