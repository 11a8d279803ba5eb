//! The lazy form: the set's unanchored DFA determinized while matching, by `regex-automata`'s hybrid engine, from
//! the set's NFA (compiled from the patterns, or decoded from a precompiled set by module `nfa_codec`: no regex
//! compilation). Cheap to build; each new DFA state costs an ε-closure over the NFA (for a large set, milliseconds
//! for a text's first states), cached up to `options.lazyCacheLimit` per thread that matches concurrently.

use super::hits::{splits_a_character, Found};
use crate::intent::config::MatchOptions;
use crate::intent::error::{BuildError, SearchError};
use crate::intent::nfa_codec;
use regex_automata::hybrid;
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind};

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

    /// Adds every pattern that matches somewhere in `text` to `hits`: one overlapping pass, reporting the
    /// patterns of every match state passed (a match shows one byte late, so the end of the text is a step too).
    pub(crate) fn matching<F: Found>(&self, text: &[u8], hits: &mut F) -> Result<(), SearchError> {
        let mut cache = self.caches.get();
        let dfa = &self.dfa;
        let report = |cache: &hybrid::dfa::Cache, state, hits: &mut F| {
            for i in 0..dfa.match_len(cache, state) {
                hits.insert(dfa.match_pattern(cache, state, i).as_u32());
            }
        };
        let mut state = dfa
            .start_state_forward(&mut cache, &Input::new(text))
            .map_err(SearchError::Lazy)?;
        for &byte in text {
            state = dfa
                .next_state(&mut cache, state, byte)
                .map_err(SearchError::LazyCache)?;
            if state.is_tagged() {
                if state.is_match() {
                    if splits_a_character(byte) {
                        continue;
                    }
                    report(&cache, state, hits);
                    if hits.is_full() {
                        return Ok(());
                    }
                } else if state.is_dead() {
                    return Ok(());
                } else if state.is_quit() {
                    return Err(SearchError::Lazy(regex_automata::MatchError::quit(byte, 0)));
                }
            }
        }
        state = dfa
            .next_eoi_state(&mut cache, state)
            .map_err(SearchError::LazyCache)?;
        if state.is_match() {
            report(&cache, state, hits);
        }
        Ok(())
    }
}
