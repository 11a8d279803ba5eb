//! The multi-pattern automaton that says *which* patterns match a text, in one left-to-right pass per part.
//!
//! A set's automaton is one or more [`Part`]s, each over a subset of the patterns, in one of two forms:
//! - **dense**: fully determinized DFA (`MatchKind::All`, unanchored). Determinizing is the expensive step, so it
//!   runs once, ahead of time ([`SetAutomaton::dense`], saved by [`crate::intent::precompiled`]); loading it back
//!   is a copy and a linear validation pass. Searching is one table lookup per byte, with no cache to fill.
//! - **lazy**: the same DFA determinized lazily while matching (`regex-automata`'s hybrid engine behind its meta
//!   regex), with a state cache bounded by `options.lazyCacheLimit` and a PikeVM fallback if that cache thrashes.
//!   It needs no ahead-of-time step ([`SetAutomaton::lazy`]: sets compiled at run time).
//!
//! [`SetAutomaton::dense`] determinizes the whole set into one dense part when it fits `options.dfaSizeLimit`, and
//! otherwise keeps the lazy form: a dense DFA is a table of `states × byte classes × 4` bytes, and patterns that
//! combine badly (`.*` gaps, large Unicode classes, many multi-word alternations with Unicode `\s`) can make it
//! far larger than the states a real workload ever visits. (Splitting such sets into several dense parts was
//! tried: every extra part is one more pass over the text, and on a 184-pattern set four 8 MiB parts matched
//! 3–4× slower than one warm lazy DFA.) The file format and matcher still accept several parts. Every form is
//! linear in the text whatever the patterns: nothing backtracks.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Input, MatchKind, PatternID, PatternSet};
use regex_syntax::hir::Hir;

use super::config::MatchOptions;

/// How a part answers.
pub(crate) enum Engine {
    /// A dense DFA owned on the heap (built here, or loaded and validated from bytes).
    Dense(Box<dense::DFA<Vec<u32>>>),
    /// A dense DFA read in place from bytes compiled into this binary (see [`crate::intent::precompiled`]).
    Embedded(Box<dense::DFA<&'static [u32]>>),
    /// Determinized lazily while matching.
    Lazy(meta::Regex),
}

/// An automaton over some of the set's patterns.
pub(crate) struct Part {
    /// Global pattern indexes, ascending; local pattern `i` of the engine is `patterns[i]`. Empty means the part
    /// covers the whole set with local = global.
    pub(crate) patterns: Vec<u32>,
    pub(crate) engine: Engine,
}

/// Which patterns of a set match a text.
pub(crate) struct SetAutomaton {
    pub(crate) parts: Vec<Part>,
    pattern_len: usize,
}

/// Reusable per-search buffers: one pattern set per part.
pub(crate) struct Scratch {
    per_part: Vec<PatternSet>,
}

impl Scratch {
    /// Buffers for parts with these pattern counts (`Part::patterns.len()`, in order).
    pub(crate) fn with_part_sizes(sizes: &[usize]) -> Self {
        Scratch {
            per_part: sizes.iter().map(|&n| PatternSet::new(n)).collect(),
        }
    }
}

fn lazy_engine(hirs: &[&Hir], options: &MatchOptions) -> Result<Engine, String> {
    let config = meta::Config::new()
        .match_kind(MatchKind::All)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(options.size_limit))
        .hybrid_cache_capacity(options.lazy_cache_limit)
        // A prefilter cannot speed up an all-patterns scan, and extracting literals from every pattern was
        // three quarters of the time to build a 1,500-pattern set (quadratic dedup of the literal sequences).
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .build_many_from_hir(hirs)
        .map(Engine::Lazy)
        .map_err(|e| e.to_string())
}

impl SetAutomaton {
    /// One lazily determinized part over the whole set: cheap to build (an NFA), fast once its cache is warm.
    pub(crate) fn lazy(hirs: &[Hir], options: &MatchOptions) -> Result<Self, String> {
        let refs: Vec<&Hir> = hirs.iter().collect();
        Ok(SetAutomaton {
            parts: vec![Part {
                patterns: Vec::new(),
                engine: lazy_engine(&refs, options)?,
            }],
            pattern_len: hirs.len(),
        })
    }

    /// Determinizes the whole set into one dense DFA of at most `options.dfaSizeLimit` bytes. A set that does not
    /// fit gets the lazy form instead (see the module docs): still linear and fast once warm, but compiled when
    /// loaded. Raising `dfaSizeLimit` trades memory for precompiling larger sets.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn dense(hirs: &[Hir], options: &MatchOptions) -> Result<Self, String> {
        match build_dense(hirs, options, options.dfa_size_limit) {
            Ok(dfa) => Ok(SetAutomaton {
                parts: vec![Part {
                    patterns: Vec::new(),
                    engine: Engine::Dense(Box::new(dfa)),
                }],
                pattern_len: hirs.len(),
            }),
            Err(_) => Self::lazy(hirs, options),
        }
    }

    /// Reassembles a set from its parts (the precompiled loader); lazy parts are compiled from `hirs_of`.
    pub(crate) fn from_parts(
        pattern_len: usize,
        dense_parts: Vec<(Vec<u32>, Engine)>,
        lazy_patterns: Vec<u32>,
        hir_of: impl Fn(u32) -> Result<Hir, String>,
        options: &MatchOptions,
    ) -> Result<Self, String> {
        let mut parts = Vec::with_capacity(dense_parts.len() + 1);
        let mut covered = vec![false; pattern_len];
        for (patterns, engine) in dense_parts {
            let local_len = if patterns.is_empty() {
                pattern_len
            } else {
                patterns.len()
            };
            let dfa_len = match &engine {
                Engine::Dense(dfa) => dfa.pattern_len(),
                Engine::Embedded(dfa) => dfa.pattern_len(),
                Engine::Lazy(regex) => regex.pattern_len(),
            };
            if dfa_len != local_len {
                return Err(format!(
                    "a DFA has {dfa_len} patterns, its part lists {local_len}"
                ));
            }
            mark(&mut covered, &patterns)?;
            parts.push(Part { patterns, engine });
        }
        if !lazy_patterns.is_empty() {
            mark(&mut covered, &lazy_patterns)?;
            let hirs = lazy_patterns
                .iter()
                .map(|&i| hir_of(i))
                .collect::<Result<Vec<Hir>, String>>()?;
            let refs: Vec<&Hir> = hirs.iter().collect();
            parts.push(Part {
                patterns: lazy_patterns,
                engine: lazy_engine(&refs, options)?,
            });
        }
        if let Some(missing) = covered.iter().position(|&c| !c) {
            return Err(format!("pattern {missing} is in no part"));
        }
        Ok(SetAutomaton { parts, pattern_len })
    }

    /// How many patterns the automaton covers.
    pub(crate) fn pattern_len(&self) -> usize {
        self.pattern_len
    }

    /// `"dense"` (every part determinized ahead of time), `"lazy"`, or `"dense+lazy"`.
    pub(crate) fn kind(&self) -> &'static str {
        let dense = self
            .parts
            .iter()
            .filter(|p| !matches!(p.engine, Engine::Lazy(_)))
            .count();
        match (dense, self.parts.len() - dense) {
            (_, 0) => "dense",
            (0, _) => "lazy",
            _ => "dense+lazy",
        }
    }

    /// Heap bytes held by the automaton (lazy parts: without their search caches, each bounded by
    /// `options.lazyCacheLimit`).
    pub(crate) fn memory_usage(&self) -> usize {
        self.parts
            .iter()
            .map(|p| {
                p.patterns.len() * 4
                    + match &p.engine {
                        Engine::Dense(dfa) => dfa.memory_usage(),
                        Engine::Embedded(dfa) => dfa.memory_usage(),
                        Engine::Lazy(regex) => regex.memory_usage(),
                    }
            })
            .sum()
    }

    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for the whole set).
    pub(crate) fn matching(
        &self,
        text: &str,
        matched: &mut PatternSet,
        scratch: &mut Scratch,
    ) -> Result<(), String> {
        let input = Input::new(text);
        for (part, local) in self.parts.iter().zip(scratch.per_part.iter_mut()) {
            if part.patterns.is_empty() {
                search(&part.engine, &input, matched)?;
                continue;
            }
            local.clear();
            search(&part.engine, &input, local)?;
            for pattern in local.iter() {
                let global = part.patterns[pattern.as_usize()] as usize;
                matched.insert(PatternID::new_unchecked(global));
            }
        }
        Ok(())
    }
}

fn search(engine: &Engine, input: &Input<'_>, matched: &mut PatternSet) -> Result<(), String> {
    match engine {
        // Only a "quit" byte or a too-small PatternSet can fail a dense search; these DFAs have no quit bytes
        // (word boundaries are ASCII) and the sets are sized by the caller, so this is not expected to fail.
        Engine::Dense(dfa) => dfa
            .try_which_overlapping_matches(input, matched)
            .map_err(|e| e.to_string()),
        Engine::Embedded(dfa) => dfa
            .try_which_overlapping_matches(input, matched)
            .map_err(|e| e.to_string()),
        Engine::Lazy(regex) => {
            regex.which_overlapping_matches(input, matched);
            Ok(())
        }
    }
}

fn mark(covered: &mut [bool], patterns: &[u32]) -> Result<(), String> {
    if patterns.is_empty() {
        covered.iter_mut().for_each(|c| *c = true);
    }
    for &p in patterns {
        let slot = covered
            .get_mut(p as usize)
            .ok_or_else(|| format!("a part lists pattern {p}, beyond the set"))?;
        *slot = true;
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn build_dense(
    hirs: &[Hir],
    options: &MatchOptions,
    limit: usize,
) -> Result<dense::DFA<Vec<u32>>, String> {
    use regex_automata::dfa::StartKind;
    use regex_automata::nfa::thompson;
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(options.size_limit)),
        )
        .build_many_from_hir(hirs)
        .map_err(|e| e.to_string())?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(StartKind::Unanchored)
                .dfa_size_limit(Some(limit))
                .determinize_size_limit(Some(limit)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| e.to_string())
}

/// Serializes a dense DFA (little-endian), without the alignment padding; `None` for other engines.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn dfa_to_bytes(engine: &Engine) -> Option<Vec<u8>> {
    let (bytes, padding) = match engine {
        Engine::Dense(dfa) => dfa.to_bytes_little_endian(),
        Engine::Embedded(dfa) => dfa.to_bytes_little_endian(),
        Engine::Lazy(_) => return None,
    };
    Some(bytes[padding..].to_vec())
}

/// Serializing needs `regex-automata`'s DFA builder, which the wasm builds leave out: they only load sets.
#[cfg(target_arch = "wasm32")]
pub(crate) fn dfa_to_bytes(_: &Engine) -> Option<Vec<u8>> {
    None
}

/// Reads a dense DFA in place from bytes compiled into this binary, without validating its transitions.
///
/// # Safety
/// `bytes` must have been written by [`dfa_to_bytes`] of this same build, and be 4-byte aligned. Only
/// [`crate::intent::precompiled`]'s embedded-set loader calls this, for bytes `include_bytes!`-ed at build time
/// from a file this crate's own compiler wrote (it checks the producer version first): they are as trusted as
/// the code itself. Bytes from anywhere else go through the validating [`dfa_from_bytes`].
pub(crate) unsafe fn dfa_from_embedded_bytes(bytes: &'static [u8]) -> Result<Engine, String> {
    // SAFETY: the caller guarantees the bytes are a DFA this build serialized (see above).
    let (dfa, read) =
        unsafe { dense::DFA::from_bytes_unchecked(bytes) }.map_err(|e| e.to_string())?;
    if read != bytes.len() {
        return Err(format!(
            "{} trailing bytes after the automaton",
            bytes.len() - read
        ));
    }
    Ok(Engine::Embedded(Box::new(dfa)))
}

/// Loads a dense DFA written by [`dfa_to_bytes`], validating every transition.
pub(crate) fn dfa_from_bytes(bytes: &[u8]) -> Result<Engine, String> {
    // The DFA's transition table is read in place as `u32`s, so it must start 4-byte aligned.
    let mut buffer = vec![0u8; bytes.len() + 3];
    let start = buffer.as_ptr().align_offset(4).min(3);
    let aligned = &mut buffer[start..start + bytes.len()];
    aligned.copy_from_slice(bytes);
    let (dfa, read) = dense::DFA::from_bytes(aligned).map_err(|e| e.to_string())?;
    if read != bytes.len() {
        return Err(format!(
            "{} trailing bytes after the automaton",
            bytes.len() - read
        ));
    }
    Ok(Engine::Dense(Box::new(dfa.to_owned())))
}
