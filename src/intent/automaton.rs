//! The multi-pattern automaton that says *which* patterns match a text, in one left-to-right pass.
//!
//! It takes one of three forms:
//! - **table** (`"dense"`): a fully determinized DFA over every pattern (`MatchKind::All`, unanchored).
//!   Determinizing is the expensive step, so it runs once, ahead of time ([`SetAutomaton::dense`], natively, with
//!   `regex-automata`'s dense determinizer) and is stored as a [`DfaTable`] (module `dfa_table`): loading it back
//!   is a copy of its bytes, or nothing at all for a set compiled into the binary. Searching is one table lookup
//!   per byte, with no cache to fill.
//! - **anchored**: the set's DFA for runs that start at one position, determinized ahead of time
//!   ([`SetAutomaton::anchored`]) and stored as sparse rows ([`AnchoredTable`], module `anchored_table`, read in
//!   place like the dense table); the search runs it from every position at once, building the unanchored DFA's
//!   states from it as texts need them and caching them (module `anchored_search`, bounded by
//!   `options.lazyCacheLimit`). Warm, that is one lookup per byte too; cold, a new state costs a few table lookups.
//! - **lazy**: the unanchored DFA determinized lazily while matching (`regex-automata`'s hybrid engine), from the
//!   set's NFA, with a state cache bounded by `options.lazyCacheLimit` (one per thread that matches
//!   concurrently). Building it is compiling the NFA ([`SetAutomaton::lazy`], sets compiled at run time) or
//!   decoding one saved in a precompiled set ([`SetAutomaton::lazy_from_nfa`], no regex compilation). A new state
//!   costs an ε-closure over the NFA: for a large set, milliseconds for a text's first states.
//!
//! Why the anchored form exists: the unanchored DFA carries, in every state, every pattern that could be starting
//! anywhere before, so for large sets of multi-word phrases (Unicode `\s`, case folding) its states multiply:
//! support-150 has ~98,000 (a 57 MB table, minutes to determinize), 1.7–6 times the anchored DFA's on every set
//! measured. Anchored, support-150 is 33,000 states in 1 MB of rows, determinized in under a second; BANKING77 is
//! 5,703 states in 160 KB (its dense table: 9,405 states, 1.8 MB, 5 s). (Splitting a set into several dense DFAs
//! was tried earlier: every extra DFA is one more pass over the text, and on a 184-pattern set four 8 MiB DFAs
//! matched 3–4× slower than one warm lazy DFA.) All three forms are linear in the text whatever the patterns:
//! nothing backtracks.

use regex_automata::hybrid;
#[cfg(feature = "compiler")]
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};

use super::anchored_search::RunSets;
use super::anchored_table::AnchoredTable;
use super::config::MatchOptions;
use super::dfa_table::DfaTable;

/// Which patterns of a set match a text.
pub(crate) enum SetAutomaton {
    /// One dense DFA determinized ahead of time (built here, loaded from a precompiled set, or read in place from
    /// one compiled into this binary).
    Table(Box<DfaTable>),
    /// An anchored DFA determinized ahead of time, searched over every start position at once (module
    /// `anchored_search`), its unanchored states built and cached while matching.
    Anchored(Box<AnchoredSet>),
    /// Determinized lazily while matching.
    Lazy(Box<LazySet>),
}

/// How much larger than `dfaSizeLimit` the dense anchored DFA may grow while it is built (natively, ahead of
/// time), before it is stored as sparse rows that must fit `dfaSizeLimit`.
#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
const ANCHORED_BUILD_FACTOR: usize = 16;

type RunSetsPool = Pool<RunSets, Box<dyn Fn() -> RunSets + Send + Sync>>;

/// An anchored DFA table and its search caches.
pub(crate) struct AnchoredSet {
    table: AnchoredTable,
    caches: RunSetsPool,
}

impl AnchoredSet {
    fn new(table: AnchoredTable, options: &MatchOptions) -> Self {
        let (columns, limit) = (table.columns(), options.lazy_cache_limit);
        let caches: RunSetsPool = Pool::new(Box::new(move || RunSets::new(columns, limit)));
        AnchoredSet { table, caches }
    }
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

    /// Determinizes the set ahead of time into the fastest form that fits `options.dfaSizeLimit`: one dense DFA
    /// table, or else the anchored table (module `anchored_table`), or else — a set whose anchored DFA does not fit
    /// either — the lazy form (see the module docs). Raising `dfaSizeLimit` trades memory for larger tables.
    ///
    /// The anchored DFA is built first (it is the cheap one: BANKING77 57 ms, support-150 0.6 s). The unanchored
    /// DFA had 1.65–6 times its states on every set measured (BANKING77 9,405 vs 5,703; bots-200 17,069 vs
    /// 2,865), so when 1.5 times the anchored states would not fit the limit as a dense table, the unanchored DFA
    /// is not attempted (support-150: 0.6 s instead of 36 s spent finding that it does not fit).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn dense(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, String> {
        use regex_automata::dfa::{dense, StartKind};
        let nfa = super::syntax::compile_nfa(hirs, WhichCaptures::None, options)?;
        let anchored = Self::anchored_table(&nfa, options);
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
            if let Ok(dfa) = dfa {
                return Ok(SetAutomaton::Table(Box::new(DfaTable::from_dense(&dfa)?)));
            }
        }
        Self::anchored_or_lazy(anchored, nfa, options)
    }

    /// The anchored form determinized ahead of time, whatever the size of the set's dense DFA; the lazy form when
    /// the anchored table does not fit `options.dfaSizeLimit`.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn anchored(
        hirs: &[regex_syntax::hir::Hir],
        options: &MatchOptions,
    ) -> Result<Self, String> {
        let nfa = super::syntax::compile_nfa(hirs, WhichCaptures::None, options)?;
        Self::anchored_or_lazy(Self::anchored_table(&nfa, options), nfa, options)
    }

    /// The anchored form when its table was built within the limits, else the lazy form over `nfa`.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    fn anchored_or_lazy(
        anchored: Result<AnchoredTable, String>,
        nfa: NFA,
        options: &MatchOptions,
    ) -> Result<Self, String> {
        match anchored {
            Ok(table) => Ok(Self::from_anchored(table, options)),
            Err(_) => Self::lazy_from_nfa(nfa, options),
        }
    }

    /// Determinizes the set anchored (runs that start at one position) and keeps it as sparse rows of at most
    /// `options.dfaSizeLimit` bytes. The dense DFA this goes through may take up to
    /// [`ANCHORED_BUILD_FACTOR`] times that while it is built.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    fn anchored_table(nfa: &NFA, options: &MatchOptions) -> Result<AnchoredTable, String> {
        use regex_automata::dfa::{dense, StartKind};
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
            .map_err(|e| e.to_string())?;
        let table = AnchoredTable::from_dense(&dfa)?;
        if table.memory_usage() > options.dfa_size_limit {
            return Err(format!(
                "the anchored table takes {} bytes, over dfaSizeLimit",
                table.memory_usage()
            ));
        }
        Ok(table)
    }

    /// The anchored form, from a table read by [`AnchoredTable::from_bytes`].
    pub(crate) fn from_anchored(table: AnchoredTable, options: &MatchOptions) -> Self {
        SetAutomaton::Anchored(Box::new(AnchoredSet::new(table, options)))
    }

    /// The determinized form, from a table read by [`DfaTable::from_bytes`].
    pub(crate) fn from_table(table: DfaTable) -> Self {
        SetAutomaton::Table(Box::new(table))
    }

    /// The dense or anchored table's serialized form; `None` for the lazy form.
    pub(crate) fn table_bytes(&self) -> Option<Vec<u8>> {
        match self {
            SetAutomaton::Table(table) => Some(table.to_bytes()),
            SetAutomaton::Anchored(anchored) => Some(anchored.table.to_bytes()),
            SetAutomaton::Lazy(_) => None,
        }
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        match self {
            SetAutomaton::Table(table) => table.pattern_len(),
            SetAutomaton::Anchored(anchored) => anchored.table.pattern_len(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.pattern_len(),
        }
    }

    /// `"dense"` or `"anchored"` (determinized ahead of time) or `"lazy"`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            SetAutomaton::Table(_) => "dense",
            SetAutomaton::Anchored(_) => "anchored",
            SetAutomaton::Lazy(_) => "lazy",
        }
    }

    /// Bytes held by the automaton (for the anchored and lazy forms: without their search cache, which is bounded
    /// by `options.lazyCacheLimit`).
    pub(crate) fn memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Table(table) => table.memory_usage(),
            SetAutomaton::Anchored(anchored) => anchored.table.memory_usage(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.get_nfa().memory_usage(),
        }
    }

    /// Bytes of DFA states the anchored or lazy form has cached so far (0 for the dense table).
    pub(crate) fn cache_memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Table(_) => 0,
            SetAutomaton::Anchored(anchored) => anchored.caches.get().memory_usage(),
            SetAutomaton::Lazy(lazy) => lazy.caches.get().memory_usage(),
        }
    }

    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for the whole set).
    pub(crate) fn matching(&self, text: &str, matched: &mut PatternSet) -> Result<(), String> {
        match self {
            // Only a corrupt table (from a damaged file) can fail here.
            SetAutomaton::Table(table) => table.matching(text.as_bytes(), matched),
            SetAutomaton::Anchored(anchored) => {
                anchored
                    .caches
                    .get()
                    .matching(&anchored.table, text.as_bytes(), matched)
            }
            SetAutomaton::Lazy(lazy) => {
                let mut cache = lazy.caches.get();
                lazy.dfa
                    .try_which_overlapping_matches(&mut cache, &Input::new(text), matched)
                    .map_err(|e| e.to_string())
            }
        }
    }
}
