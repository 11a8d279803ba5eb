//! The lazy form: the set's unanchored DFA determinized while matching, by `regex-automata`'s hybrid engine, from
//! the set's NFA (compiled from the patterns, or decoded from a precompiled set by module `nfa_codec`: no regex
//! compilation). Cheap to build; each new DFA state costs an ε-closure over the NFA (for a large set, milliseconds
//! for a text's first states), cached up to `options.lazyCacheLimit` per thread that matches concurrently.

use crate::intent::config::MatchOptions;
use crate::intent::error::{BuildError, SearchError};
use crate::intent::nfa_codec;
use regex_automata::hybrid;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet};

type LazyCachePool = Pool<hybrid::dfa::Cache, Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>>;

/// A lazy DFA and its search caches.
pub(crate) struct LazySet {
    dfa: hybrid::dfa::DFA,
    caches: LazyCachePool,
}

impl LazySet {
    /// The lazy DFA over `nfa` (all matches, overlapping), its cache bounded by `options.lazyCacheLimit`.
    pub(crate) fn new(nfa: NFA, options: &MatchOptions) -> Result<Self, BuildError> {
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .cache_capacity(options.lazy_cache_limit)
                    // A limit below the minimum the NFA needs is raised to that minimum rather than refused.
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa)
            .map_err(|e| BuildError::Lazy(Box::new(e)))?;
        let for_caches = dfa.clone();
        let caches: LazyCachePool = Pool::new(Box::new(move || for_caches.create_cache()));
        Ok(LazySet { dfa, caches })
    }

    /// The set's NFA, serialized (what a precompiled lazy set stores).
    pub(crate) fn nfa_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        nfa_codec::encode(self.dfa.get_nfa(), &mut out);
        out
    }

    pub(crate) fn pattern_len(&self) -> usize {
        self.dfa.pattern_len()
    }

    /// Bytes of the NFA (the cache comes on top).
    pub(crate) fn memory_usage(&self) -> usize {
        self.dfa.get_nfa().memory_usage()
    }

    /// Bytes of DFA states this thread's cache holds.
    pub(crate) fn cache_memory_usage(&self) -> usize {
        self.caches.get().memory_usage()
    }

    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for the set's patterns).
    pub(crate) fn matching(
        &self,
        text: &[u8],
        matched: &mut PatternSet,
    ) -> Result<(), SearchError> {
        let mut cache = self.caches.get();
        self.dfa
            .try_which_overlapping_matches(&mut cache, &Input::new(text), matched)
            .map_err(SearchError::Lazy)
    }
}
