//! The multi-pattern automaton that says *which* patterns match a text, in one left-to-right pass.
//!
//! It takes one of two forms:
//! - **dense**: a fully determinized DFA over every pattern (`MatchKind::All`, unanchored). Determinizing is the
//!   expensive step, so it runs once, ahead of time ([`SetAutomaton::dense`], saved by
//!   [`crate::intent::precompiled`]); loading it back is a copy and a linear validation pass, or nothing at all for
//!   a set compiled into the binary. Searching is one table lookup per byte, with no cache to fill.
//! - **lazy**: the same DFA determinized lazily while matching (`regex-automata`'s hybrid engine), from the set's
//!   NFA, with a state cache bounded by `options.lazyCacheLimit` (one per thread that matches concurrently).
//!   Building it is compiling the NFA ([`SetAutomaton::lazy`], sets compiled at run time) or decoding one saved
//!   in a precompiled set ([`SetAutomaton::lazy_from_nfa`], no regex compilation).
//!
//! [`SetAutomaton::dense`] determinizes the whole set when it fits `options.dfaSizeLimit`, and otherwise keeps the
//! lazy form: a dense DFA is a table of `states × byte classes × 4` bytes, and patterns that combine badly (`.*`
//! gaps, large Unicode classes, many multi-word alternations with Unicode `\s`) can make it far larger than the
//! states a real workload ever visits. (Splitting such sets into several dense DFAs was tried: every extra DFA is
//! one more pass over the text, and on a 184-pattern set four 8 MiB DFAs matched 3–4× slower than one warm lazy
//! DFA.) Both forms are linear in the text whatever the patterns: nothing backtracks.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::hybrid;
#[cfg(feature = "compiler")]
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};

use super::config::MatchOptions;

/// Which patterns of a set match a text.
pub(crate) enum SetAutomaton {
    /// A dense DFA owned on the heap (built here, or loaded and validated from bytes).
    Dense(Box<dense::DFA<Vec<u32>>>),
    /// A dense DFA read in place from bytes compiled into this binary (see [`crate::intent::precompiled`]).
    Embedded(Box<dense::DFA<&'static [u32]>>),
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
        use regex_automata::dfa::StartKind;
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
            Ok(dfa) => Ok(SetAutomaton::Dense(Box::new(dfa))),
            Err(_) => Self::lazy_from_nfa(nfa, options),
        }
    }

    /// Loads a dense DFA written by [`SetAutomaton::dense_bytes`], validating every transition.
    pub(crate) fn from_dense_bytes(bytes: &[u8]) -> Result<Self, String> {
        // The DFA's transition table is read in place as `u32`s, so it must start 4-byte aligned.
        let mut buffer = vec![0u8; bytes.len() + 3];
        let start = buffer.as_ptr().align_offset(4).min(3);
        let aligned = &mut buffer[start..start + bytes.len()];
        aligned.copy_from_slice(bytes);
        let (dfa, read) = dense::DFA::from_bytes(aligned).map_err(|e| e.to_string())?;
        check_read_all(read, bytes.len())?;
        Ok(SetAutomaton::Dense(Box::new(dfa.to_owned())))
    }

    /// Reads a dense DFA in place from bytes compiled into this binary, without validating its transitions.
    ///
    /// # Safety
    /// `bytes` must have been written by [`SetAutomaton::dense_bytes`] of this same build, and be 4-byte aligned.
    /// Only [`crate::intent::precompiled`]'s embedded-set loader calls this, for bytes `include_bytes!`-ed at build
    /// time from a file this crate's own compiler wrote (it checks the producer version first): they are as
    /// trusted as the code itself. Bytes from anywhere else go through the validating
    /// [`SetAutomaton::from_dense_bytes`].
    pub(crate) unsafe fn from_embedded_dense_bytes(bytes: &'static [u8]) -> Result<Self, String> {
        // SAFETY: the caller guarantees the bytes are a DFA this build serialized (see above).
        let (dfa, read) =
            unsafe { dense::DFA::from_bytes_unchecked(bytes) }.map_err(|e| e.to_string())?;
        check_read_all(read, bytes.len())?;
        Ok(SetAutomaton::Embedded(Box::new(dfa)))
    }

    /// The dense DFA's serialized form (little-endian, without alignment padding); `None` for the lazy form, and
    /// on wasm, whose builds leave out `regex-automata`'s DFA builder and serializer (they only load sets).
    pub(crate) fn dense_bytes(&self) -> Option<Vec<u8>> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let (bytes, padding) = match self {
                SetAutomaton::Dense(dfa) => dfa.to_bytes_little_endian(),
                SetAutomaton::Embedded(dfa) => dfa.to_bytes_little_endian(),
                SetAutomaton::Lazy(_) => return None,
            };
            Some(bytes[padding..].to_vec())
        }
        #[cfg(target_arch = "wasm32")]
        None
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        match self {
            SetAutomaton::Dense(dfa) => dfa.pattern_len(),
            SetAutomaton::Embedded(dfa) => dfa.pattern_len(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.pattern_len(),
        }
    }

    /// `"dense"` (determinized ahead of time) or `"lazy"`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            SetAutomaton::Dense(_) | SetAutomaton::Embedded(_) => "dense",
            SetAutomaton::Lazy(_) => "lazy",
        }
    }

    /// Heap bytes held by the automaton (for the lazy form: without its search cache, which is bounded by
    /// `options.lazyCacheLimit`).
    pub(crate) fn memory_usage(&self) -> usize {
        match self {
            SetAutomaton::Dense(dfa) => dfa.memory_usage(),
            SetAutomaton::Embedded(dfa) => dfa.memory_usage(),
            SetAutomaton::Lazy(lazy) => lazy.dfa.get_nfa().memory_usage(),
        }
    }

    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for the whole set).
    pub(crate) fn matching(&self, text: &str, matched: &mut PatternSet) -> Result<(), String> {
        let input = Input::new(text);
        match self {
            // Only a "quit" byte or a too-small PatternSet can fail a dense search; these DFAs have no quit bytes
            // (word boundaries are ASCII) and the caller sizes the set, so this is not expected to fail.
            SetAutomaton::Dense(dfa) => dfa
                .try_which_overlapping_matches(&input, matched)
                .map_err(|e| e.to_string()),
            SetAutomaton::Embedded(dfa) => dfa
                .try_which_overlapping_matches(&input, matched)
                .map_err(|e| e.to_string()),
            SetAutomaton::Lazy(lazy) => {
                let mut cache = lazy.caches.get();
                lazy.dfa
                    .try_which_overlapping_matches(&mut cache, &input, matched)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

fn check_read_all(read: usize, len: usize) -> Result<(), String> {
    if read == len {
        Ok(())
    } else {
        Err(format!("{} trailing bytes after the automaton", len - read))
    }
}
