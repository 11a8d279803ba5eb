//! [`IntentMatcher`]: a compiled intent set. One pass of the set automaton (module `automaton`) says which patterns
//! match; the best intent is chosen by priority, then declaration order; spans and slots come from the winner's
//! capture engine (module `captures`), built on its first use.

use super::automaton::{
    AutomatonKind, BestPattern, DenseParts, Found, PatternHits, Published, SetAutomaton, LANES,
};
use super::captures::{CaptureEngine, CaptureNfas, Slot, Span};
use super::config::{IntentSetConfig, MatchOptions};
use super::error::{BatchMatchError, IntentSetError, MatchError};
use super::nfa_codec;
use super::set::SetData;
#[cfg(feature = "compiler")]
use super::{samples, syntax};
use regex_automata::nfa::thompson::NFA;
use regex_automata::util::pool::Pool;
use serde::Serialize;
use std::sync::OnceLock;

/// One intent that matched a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntentMatch {
    /// The intent's id.
    pub intent: String,
    /// The intent's position in the set (0-based, declaration order).
    pub intent_index: usize,
    /// Which of the intent's patterns produced `span` and `slots` (0-based).
    pub pattern_index: usize,
    /// The intent's priority.
    pub priority: i32,
    /// The whole match.
    pub span: Span,
    /// Named groups that participated, in pattern order.
    pub slots: Vec<Slot>,
}

/// Size facts about a compiled matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MatcherStats {
    /// Number of intents.
    pub intents: usize,
    /// Number of patterns over all intents.
    pub patterns: usize,
    /// The set automaton's form (serialized `"anchored"`, `"dense"` or `"lazy"`).
    pub automaton: AutomatonKind,
    /// Heap bytes of the set's automaton. The anchored and lazy forms add a search cache of at most
    /// `options.lazyCacheLimit`.
    pub automaton_bytes: usize,
}

/// What [`IntentMatcher::warm_up`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmUp {
    /// Texts run through the automaton.
    pub texts: usize,
    /// Texts refused (longer than `options.maxTextBytes`).
    pub skipped: usize,
    /// Patterns whose capture engine is now built (all of them unless one failed to build).
    pub capture_engines: usize,
    /// Bytes of DFA states cached by an anchored or lazy set (0 for a dense one); bounded by
    /// `options.lazyCacheLimit`.
    pub cache_bytes: usize,
}

/// "Which patterns matched" buffers: one per text searched at once.
type Scratch = [PatternHits; LANES];

type ScratchPool = Pool<Scratch, Box<dyn Fn() -> Scratch + Send + Sync>>;

/// What a matcher is made of, as the `.iedge` container (module `precompiled`) reads and writes it: the set as
/// data, its automaton, and every pattern's capture NFA serialized.
pub(crate) struct MatcherParts {
    pub(crate) set: SetData,
    pub(crate) automaton: SetAutomaton,
    pub(crate) captures: CaptureNfas,
}

/// A compiled intent set. Immutable after construction; safe to share between threads.
pub struct IntentMatcher {
    set: SetData,
    automaton: SetAutomaton,
    /// Each pattern's capture engine, built on the pattern's first match with spans.
    capture_engines: Vec<OnceLock<Result<CaptureEngine, String>>>,
    /// Each pattern's capture NFA when loaded from a precompiled set; otherwise compiled from the source.
    precompiled_captures: Option<CaptureNfas>,
    /// Reused "which patterns matched" buffers, one per thread that matches concurrently.
    scratch: ScratchPool,
    /// Each pattern's rank in the order that picks the best match: highest priority, then lowest flat index
    /// (patterns are numbered in declaration order, so among equal priorities that is the earliest intent and its
    /// first matching pattern). A search for the best keeps the least rank it passes ([`BestPattern`]), nothing
    /// else.
    ranks: Vec<u32>,
    /// The pattern of each rank.
    by_rank: Vec<u32>,
}

/// What a reader outside Rust needs to step texts through a matcher's automaton itself and answer as the matcher
/// does (the JavaScript package's short-text path): the form's own parts ([`SteppingForm`]), the byte classes, the
/// end-of-text column, the text limit, each pattern's rank (the best match is the least rank), and the intent of
/// each rank and of each pattern.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_os = "unknown")),
    allow(dead_code)
)]
pub(crate) struct SteppingParts<'m> {
    pub(crate) form: SteppingForm<'m>,
    pub(crate) classes: &'m [u8; 256],
    pub(crate) end_column: usize,
    pub(crate) max_text_bytes: usize,
    pub(crate) ranks: &'m [u32],
    pub(crate) intent_of_rank: Vec<u32>,
    pub(crate) intent_of_pattern: Vec<u32>,
}

/// The automaton a reader outside Rust steps through (see [`SteppingParts`]).
#[cfg_attr(
    not(all(target_arch = "wasm32", target_os = "unknown")),
    allow(dead_code)
)]
pub(crate) enum SteppingForm<'m> {
    /// The anchored form's search cache: where it publishes its arrays after every search (see [`Published`]).
    Anchored(*const Published),
    /// The dense form's table (2-byte ids only), which never changes.
    Dense(DenseParts<'m>),
}

impl std::fmt::Debug for IntentMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntentMatcher")
            .field("intents", &self.set.intent_len())
            .field("patterns", &self.set.pattern_len())
            .field("automaton", &self.automaton.kind())
            .finish()
    }
}

impl IntentMatcher {
    /// Parses an intent-set JSON document and compiles it (lazily determinized, see [`IntentMatcher::new`]).
    #[cfg(feature = "compiler")]
    pub fn from_json(json: &str) -> Result<Self, IntentSetError> {
        Self::new(parse_config(json)?)
    }

    /// Validates and compiles an intent set, with an automaton determinized lazily while matching (the lazy form,
    /// see module `automaton`): the cheap way to build a set at run time.
    #[cfg(feature = "compiler")]
    pub fn new(config: IntentSetConfig) -> Result<Self, IntentSetError> {
        let hirs = validate(&config)?;
        let automaton = SetAutomaton::build_lazy(&hirs, &config.options)?;
        Self::assemble(SetData::from_config(config), automaton, None)
    }

    /// Validates an intent set and determinizes it ahead of time (the slow step, done once before traffic); save it
    /// with [`IntentMatcher::precompile`]. The set becomes one dense DFA when that fits `options.dfaSizeLimit`
    /// (`stats().automaton == AutomatonKind::Dense`), otherwise an anchored DFA searched over every start position
    /// (`Anchored`), and only when neither fits the lazy automaton (`Lazy`).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub fn new_dense(config: IntentSetConfig) -> Result<Self, IntentSetError> {
        let hirs = validate(&config)?;
        let automaton = SetAutomaton::build_dense(&hirs, &config.options)?;
        Self::assemble(SetData::from_config(config), automaton, None)
    }

    /// Validates an intent set and determinizes it *anchored* (see module `automaton`): the form `intent-edge
    /// compile` writes by default, whatever the size of the set's dense DFA. A set whose anchored table does not
    /// fit `options.dfaSizeLimit` gets the lazy automaton.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub fn new_anchored(config: IntentSetConfig) -> Result<Self, IntentSetError> {
        let hirs = validate(&config)?;
        let automaton = SetAutomaton::build_anchored(&hirs, &config.options)?;
        Self::assemble(SetData::from_config(config), automaton, None)
    }

    /// A matcher from the parts a precompiled set holds, checking that they belong together.
    pub(crate) fn from_parts(parts: MatcherParts) -> Result<Self, IntentSetError> {
        Self::assemble(parts.set, parts.automaton, Some(parts.captures))
    }

    /// The set automaton (what a precompiled set stores of it: its form and bytes).
    pub(crate) fn automaton(&self) -> &SetAutomaton {
        &self.automaton
    }

    /// Counts `texts` a reader outside Rust answered by stepping through this matcher's search cache (see
    /// [`SteppingParts`]), so that the cache settles and compacts as it does for its own searches. Between searches
    /// only: rows may move (where they are is published again).
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn searched_elsewhere(&self, texts: usize) {
        self.automaton.searched_elsewhere(texts);
    }

    /// What a reader outside Rust needs to step texts through this matcher's automaton itself, for a set in the
    /// anchored form or the dense one with 2-byte ids (`None` for the others): see [`SteppingParts`].
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn stepping_parts(&self) -> Option<SteppingParts<'_>> {
        let (form, classes, end_column) = match &self.automaton {
            SetAutomaton::Anchored(anchored) => {
                let header = anchored.table().header();
                let form = SteppingForm::Anchored(anchored.published());
                (form, &header.classes, header.end_of_input())
            }
            SetAutomaton::Dense(dense) => {
                let parts = dense.stepping_parts()?;
                let (classes, end_column) = (parts.classes, parts.columns - 1);
                (SteppingForm::Dense(parts), classes, end_column)
            }
            SetAutomaton::Lazy(_) => return None,
        };
        Some(SteppingParts {
            form,
            classes,
            end_column,
            max_text_bytes: self.set.options.max_text_bytes,
            ranks: &self.ranks,
            intent_of_rank: self
                .by_rank
                .iter()
                .map(|&flat| self.set.intent_of(flat as usize) as u32)
                .collect(),
            intent_of_pattern: (0..self.set.pattern_len())
                .map(|flat| self.set.intent_of(flat) as u32)
                .collect(),
        })
    }

    fn assemble(
        set: SetData,
        automaton: SetAutomaton,
        precompiled_captures: Option<CaptureNfas>,
    ) -> Result<Self, IntentSetError> {
        let pattern_count = set.pattern_len();
        let capture_count = precompiled_captures
            .as_ref()
            .map_or(pattern_count, CaptureNfas::len);
        if automaton.pattern_len() != pattern_count
            || capture_count != pattern_count
            || set.intent_len() == 0
        {
            return Err(IntentSetError::InvalidPrecompiled {
                message: format!(
                    "the automaton has {} patterns and the capture section {capture_count}, but the intent set \
                     {pattern_count}",
                    automaton.pattern_len()
                ),
            });
        }
        let scratch: ScratchPool = Pool::new(Box::new(move || {
            std::array::from_fn(|_| PatternHits::new(pattern_count))
        }));
        let mut by_rank: Vec<u32> = (0..pattern_count as u32).collect();
        by_rank.sort_by_key(|&flat| {
            let priority = set.priority(set.intent_of(flat as usize));
            (std::cmp::Reverse(priority), flat)
        });
        let mut ranks = vec![0; pattern_count];
        for (rank, &flat) in by_rank.iter().enumerate() {
            ranks[flat as usize] = rank as u32;
        }
        Ok(IntentMatcher {
            set,
            automaton,
            capture_engines: (0..pattern_count).map(|_| OnceLock::new()).collect(),
            precompiled_captures,
            scratch,
            ranks,
            by_rank,
        })
    }

    /// The set as data again (the document it was compiled from, normalized).
    pub fn to_config(&self) -> IntentSetConfig {
        self.set.to_config()
    }

    /// The set as the matcher keeps it (what a precompiled set stores of it).
    pub(crate) fn set(&self) -> &SetData {
        &self.set
    }

    /// The options the set was compiled with.
    pub fn options(&self) -> &MatchOptions {
        &self.set.options
    }

    /// Counts of intents and patterns, and the automaton's form and size.
    pub fn stats(&self) -> MatcherStats {
        MatcherStats {
            intents: self.set.intent_len(),
            patterns: self.set.pattern_len(),
            automaton: self.automaton.kind(),
            automaton_bytes: self.automaton.memory_usage(),
        }
    }

    /// Does before traffic what a fresh matcher would otherwise do on its first texts: runs `texts` through the set
    /// automaton (a lazily determinized set caches the DFA states they visit) and builds every pattern's capture
    /// engine (decoding its NFA), so a first match with spans and slots finds the work done. Answers are unchanged;
    /// a dense set only gains the capture engines. The edge component calls this once at build time and snapshots
    /// the result (`wasmtime wizer`, see `scripts/build.sh`); a long-lived process can call it at start.
    pub fn warm_up<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> WarmUp {
        let mut report = WarmUp::default();
        for text in texts {
            match self.each_matching_pattern(text.as_bytes(), false, |_| {}) {
                Ok(()) => report.texts += 1,
                Err(_) => report.skipped += 1,
            }
        }
        for flat in 0..self.set.pattern_len() {
            if let Ok(engine) = self.capture_engine(flat) {
                engine.prepare();
                report.capture_engines += 1;
            }
        }
        // The rows the pass cached are placed as tightly as they go now, not during the first searches after it.
        self.automaton.compact();
        report.cache_bytes = self.automaton.cache_memory_usage();
        report
    }

    /// Texts the set's own patterns match, `per_pattern` for each, each in four contexts (alone, between spaces,
    /// between letters, after a sample of another pattern, as phrases follow each other in a message): the warm-up
    /// corpus when no real traffic is at hand (module `samples`). The same set always gets the same texts.
    #[cfg(feature = "compiler")]
    pub fn sample_texts(&self, per_pattern: usize) -> Vec<String> {
        const SEPARATORS: [&str; 5] = [" ", ", ", ". ", "? ", " and "];
        let mut sampler = samples::Sampler::new(0x1e5e_7a11);
        let mut texts = Vec::with_capacity(self.set.pattern_len() * per_pattern * 4);
        let mut previous = String::new();
        for flat in 0..self.set.pattern_len() {
            // Every pattern translated when the set was built; a failure here only means fewer samples.
            let Ok(hir) = syntax::to_hir(self.set.source(flat), &self.set.options) else {
                continue;
            };
            for i in 0..per_pattern {
                let text = sampler.text_for(&hir);
                texts.push(format!("x {text} y"));
                texts.push(format!("ab{text}cd"));
                if !previous.is_empty() {
                    texts.push(format!(
                        "{previous}{}{text}",
                        SEPARATORS[i % SEPARATORS.len()]
                    ));
                }
                texts.push(text);
            }
            // The bare sample is pushed last: the next pattern's samples follow this pattern's last one.
            if per_pattern > 0 {
                previous = texts.last().cloned().unwrap_or_default();
            }
        }
        texts
    }

    /// The intent ids, in declaration order.
    pub fn intent_ids(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.set.intent_len()).map(|i| self.set.id(i))
    }

    fn check_text(&self, text: &[u8]) -> Result<(), MatchError> {
        if text.len() > self.set.options.max_text_bytes {
            return Err(MatchError::TextTooLong {
                len: text.len(),
                limit: self.set.options.max_text_bytes,
            });
        }
        Ok(())
    }

    /// Runs the automaton once on `text` (UTF-8) and hands the matching flat pattern indexes to `visit`: ascending
    /// when `ascending`, else in the order found.
    fn each_matching_pattern(
        &self,
        text: &[u8],
        ascending: bool,
        mut visit: impl FnMut(usize),
    ) -> Result<(), MatchError> {
        self.check_text(text)?;
        let mut scratch = self.scratch.get();
        let hits = &mut scratch[0];
        hits.clear();
        self.automaton.matching(text, hits)?;
        let found = if ascending {
            hits.sorted()
        } else {
            hits.found()
        };
        found.iter().for_each(|&pattern| visit(pattern as usize));
        Ok(())
    }

    /// For each matching intent, its index and the index (in the flat pattern list) of its first matching
    /// pattern; ascending by intent index.
    fn matching(&self, text: &str) -> Result<Vec<(usize, usize)>, MatchError> {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        self.each_matching_pattern(text.as_bytes(), true, |flat| {
            let intent_index = self.set.intent_of(flat);
            // Patterns are stored intent by intent, so the first hit per intent is its first matching pattern.
            if hits.last().map(|&(i, _)| i) != Some(intent_index) {
                hits.push((intent_index, flat));
            }
        })?;
        Ok(hits)
    }

    /// Flat indexes (over all intents' patterns, in declaration order) of every pattern matching `text`, ascending.
    pub fn matching_pattern_indexes(&self, text: &str) -> Result<Vec<usize>, MatchError> {
        let mut flats = Vec::new();
        self.each_matching_pattern(text.as_bytes(), true, |flat| flats.push(flat))?;
        Ok(flats)
    }

    /// Indexes of every intent that matches `text`, ascending, without spans or slots (the cheapest query).
    pub fn matching_intent_indexes(&self, text: &str) -> Result<Vec<usize>, MatchError> {
        Ok(self.matching(text)?.into_iter().map(|(i, _)| i).collect())
    }

    /// The best intent (see the module docs for the rule) and its first matching pattern (flat index) for `text`
    /// (UTF-8). Allocates nothing.
    fn best(&self, text: &[u8]) -> Result<Option<(usize, usize)>, MatchError> {
        self.check_text(text)?;
        let mut best = BestPattern::new(&self.ranks);
        self.automaton.matching(text, &mut best)?;
        Ok(self.of_rank(&best))
    }

    /// The intent and pattern (flat index) of the best pattern found, if any.
    #[inline]
    fn of_rank(&self, best: &BestPattern<'_>) -> Option<(usize, usize)> {
        let flat = self.by_rank[best.rank()? as usize] as usize;
        Some((self.set.intent_of(flat), flat))
    }

    /// A batch's best hits: one [`BestPattern`] per lane.
    fn best_lanes(&self) -> [BestPattern<'_>; LANES] {
        std::array::from_fn(|_| BestPattern::new(&self.ranks))
    }

    /// The best intent of each text of a batch (index into [`IntentMatcher::intent_ids`], or `None`), in the
    /// batch's order: what [`IntentMatcher::best_intent_index`] answers for each, in one pass that searches
    /// several texts at once (their steps interleaved: one text alone waits on each byte's table lookup before the
    /// next). Fails naming the first text over `options.maxTextBytes` (or whose search failed).
    pub fn best_intent_indexes(
        &self,
        texts: &[&str],
    ) -> Result<Vec<Option<usize>>, BatchMatchError> {
        let mut out = vec![None; texts.len()];
        self.batch(texts, &mut self.best_lanes(), |index, best| {
            out[index] = self.of_rank(best).map(|(intent_index, _)| intent_index)
        })?;
        Ok(out)
    }

    /// [`IntentMatcher::best_intent_indexes`] written into `out` (one entry per text, -1 for none): what the
    /// JavaScript binding hands back, without a vector of options in between.
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn best_intent_indexes_i32(
        &self,
        texts: &[&str],
        out: &mut [i32],
    ) -> Result<(), BatchMatchError> {
        self.batch(texts, &mut self.best_lanes(), |index, best| {
            out[index] = self
                .of_rank(best)
                .map_or(-1, |(intent_index, _)| intent_index as i32)
        })
    }

    /// [`IntentMatcher::matching_intent_indexes`] written into `out` (ascending, each once): how many there are, or
    /// `None` when they do not fit. Allocates nothing: what the JavaScript binding's short-text path answers with.
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn matching_intent_indexes_into(
        &self,
        text: &[u8],
        out: &mut [u32],
    ) -> Result<Option<usize>, MatchError> {
        let (mut count, mut fits) = (0, true);
        self.each_matching_pattern(text, true, |flat| {
            // Patterns are stored intent by intent: ascending patterns give ascending intents, repeats together.
            let intent_index = self.set.intent_of(flat) as u32;
            if count > 0 && out.get(count - 1) == Some(&intent_index) {
                return;
            }
            match out.get_mut(count) {
                Some(slot) => {
                    *slot = intent_index;
                    count += 1;
                }
                None => fits = false,
            }
        })?;
        Ok(fits.then_some(count))
    }

    /// Every intent matching each text of a batch, ascending, in the batch's order: what
    /// [`IntentMatcher::matching_intent_indexes`] answers for each, in one pass (see
    /// [`IntentMatcher::best_intent_indexes`]).
    pub fn matching_intent_indexes_batch(
        &self,
        texts: &[&str],
    ) -> Result<Vec<Vec<usize>>, BatchMatchError> {
        let flat = self.matching_intent_indexes_batch_flat(texts)?;
        let mut out = Vec::with_capacity(texts.len());
        let mut at = 0;
        while let Some(&count) = flat.get(at) {
            let intents = &flat[at + 1..at + 1 + count as usize];
            out.push(intents.iter().map(|&i| i as usize).collect());
            at += 1 + count as usize;
        }
        Ok(out)
    }

    /// [`IntentMatcher::matching_intent_indexes_batch`] in one flat vector, as the JavaScript binding hands it
    /// back: for each text in order, how many intents match it, then their indexes (ascending). The searches
    /// finish in no particular order, so each text's intents go into one shared buffer first, with where they
    /// start: no vector per text.
    pub(crate) fn matching_intent_indexes_batch_flat(
        &self,
        texts: &[&str],
    ) -> Result<Vec<i32>, BatchMatchError> {
        let mut found: Vec<i32> = Vec::with_capacity(texts.len());
        let mut spans: Vec<(u32, u32)> = vec![(0, 0); texts.len()];
        self.batch(
            texts,
            &mut self.scratch.get(),
            |index, hits: &mut PatternHits| {
                let start = found.len();
                for &flat in hits.sorted() {
                    // Patterns are stored intent by intent: repeats of one intent come together.
                    let intent_index = self.set.intent_of(flat as usize) as i32;
                    if found.len() == start || found.last() != Some(&intent_index) {
                        found.push(intent_index);
                    }
                }
                spans[index] = (start as u32, (found.len() - start) as u32);
            },
        )?;
        let mut out = Vec::with_capacity(texts.len() + found.len());
        for &(start, count) in &spans {
            out.push(count as i32);
            out.extend_from_slice(&found[start as usize..(start + count) as usize]);
        }
        Ok(out)
    }

    /// Checks every text of a batch, then searches them and hands each one's hits to `done` with its index (in no
    /// particular order).
    fn batch<F: Found>(
        &self,
        texts: &[&str],
        found: &mut [F; LANES],
        done: impl FnMut(usize, &mut F),
    ) -> Result<(), BatchMatchError> {
        for (index, text) in texts.iter().enumerate() {
            self.check_text(text.as_bytes())
                .map_err(|error| BatchMatchError { index, error })?;
        }
        let bytes: Vec<&[u8]> = texts.iter().map(|text| text.as_bytes()).collect();
        self.automaton
            .matching_batch(&bytes, found, done)
            .map_err(|(index, e)| BatchMatchError {
                index,
                error: e.into(),
            })
    }

    /// Index of the best intent for `text`, without spans or slots. Allocates nothing.
    pub fn best_intent_index(&self, text: &str) -> Result<Option<usize>, MatchError> {
        self.best_intent_index_of_utf8(text.as_bytes())
    }

    /// [`IntentMatcher::best_intent_index`] for a text given as its UTF-8 bytes, not checked again: what the
    /// JavaScript binding's short-text path calls with an ASCII text it wrote itself. (Bytes that are not UTF-8
    /// get some answer, never a panic: every form steps over any byte.)
    pub(crate) fn best_intent_index_of_utf8(
        &self,
        text: &[u8],
    ) -> Result<Option<usize>, MatchError> {
        Ok(self.best(text)?.map(|(intent_index, _)| intent_index))
    }

    /// The best intent for `text` with its span and slots, or `None` when nothing matches.
    pub fn find(&self, text: &str) -> Result<Option<IntentMatch>, MatchError> {
        self.best(text.as_bytes())?
            .map(|(_, flat)| self.describe(text, flat))
            .transpose()
    }

    /// Every intent that matches `text`, best first (priority descending, then declaration order).
    pub fn find_all(&self, text: &str) -> Result<Vec<IntentMatch>, MatchError> {
        let mut hits = self.matching(text)?;
        hits.sort_by_key(|&(i, _)| (std::cmp::Reverse(self.set.priority(i)), i));
        hits.into_iter()
            .map(|(_, flat)| self.describe(text, flat))
            .collect()
    }

    /// Pattern `flat`'s capture NFA: decoded from the precompiled set, or compiled from its source.
    fn capture_nfa(&self, flat: usize) -> Result<NFA, String> {
        if let Some(captures) = &self.precompiled_captures {
            return nfa_codec::decode(captures.get(flat))
                .map_err(|e| format!("precompiled capture NFA: {e}"));
        }
        #[cfg(feature = "compiler")]
        {
            // With its capture groups, for the PikeVM that reports spans and slots.
            let hir = syntax::to_hir(self.set.source(flat), &self.set.options)?;
            syntax::compile_nfa(
                std::slice::from_ref(&hir),
                regex_automata::nfa::thompson::WhichCaptures::All,
                &self.set.options,
            )
            .map_err(|e| e.to_string())
        }
        #[cfg(not(feature = "compiler"))]
        Err("this build has no regex compiler and the set carries no capture NFAs".to_owned())
    }

    /// Pattern `flat`'s capture NFA, serialized (what [`IntentMatcher::precompile`] stores).
    pub(crate) fn capture_nfa_bytes(&self, flat: usize) -> Option<Vec<u8>> {
        if let Some(captures) = &self.precompiled_captures {
            return Some(captures.get(flat).to_vec());
        }
        let mut out = Vec::new();
        nfa_codec::encode(&self.capture_nfa(flat).ok()?, &mut out);
        Some(out)
    }

    fn capture_engine(&self, flat: usize) -> Result<&CaptureEngine, MatchError> {
        self.capture_engines[flat]
            .get_or_init(|| CaptureEngine::new(self.capture_nfa(flat)?))
            .as_ref()
            // The same pattern with the same flags and limits already compiled inside the (larger) set, so this
            // is not expected to fail; if it ever does, the caller gets an error naming the pattern, not a trap.
            .map_err(|message| MatchError::PatternUnavailable {
                id: self.set.id(self.set.intent_of(flat)).to_owned(),
                pattern_index: self.set.index_in_intent(flat),
                message: message.clone(),
            })
    }

    fn describe(&self, text: &str, flat: usize) -> Result<IntentMatch, MatchError> {
        let intent_index = self.set.intent_of(flat);
        // The set automaton and the pattern's own engine implement the same language, so `None` does not happen in
        // practice; an empty span answers better than a panic.
        let (span, slots) = self.capture_engine(flat)?.find(text).unwrap_or_else(|| {
            (
                super::captures::Utf16Offsets::new(text).span(0, 0),
                Vec::new(),
            )
        });
        Ok(IntentMatch {
            intent: self.set.id(intent_index).to_owned(),
            intent_index,
            pattern_index: self.set.index_in_intent(flat),
            priority: self.set.priority(intent_index),
            span,
            slots,
        })
    }
}

#[cfg(feature = "compiler")]
fn parse_config(json: &str) -> Result<IntentSetConfig, IntentSetError> {
    crate::json::from_str(json).map_err(|e| IntentSetError::Json {
        pointer: e.pointer,
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// Checks every rule an intent set must follow and translates each pattern, naming the first problem found.
#[cfg(feature = "compiler")]
fn validate(config: &IntentSetConfig) -> Result<Vec<regex_syntax::hir::Hir>, IntentSetError> {
    let IntentSetConfig {
        options,
        intents: intent_configs,
    } = config;
    if intent_configs.is_empty() {
        return Err(IntentSetError::NoIntents);
    }
    let pattern_count: usize = intent_configs.iter().map(|i| i.patterns.len()).sum();
    if pattern_count > options.max_patterns {
        return Err(IntentSetError::TooManyPatterns {
            count: pattern_count,
            limit: options.max_patterns,
        });
    }
    let mut first_index_of_id: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(intent_configs.len());
    let mut hirs = Vec::with_capacity(pattern_count);
    for (intent_index, intent) in intent_configs.iter().enumerate() {
        if intent.id.is_empty() {
            return Err(IntentSetError::EmptyId { intent_index });
        }
        if let Some(&first_index) = first_index_of_id.get(intent.id.as_str()) {
            return Err(IntentSetError::DuplicateId {
                id: intent.id.clone(),
                first_index,
                intent_index,
            });
        }
        first_index_of_id.insert(&intent.id, intent_index);
        if intent.patterns.is_empty() {
            return Err(IntentSetError::NoPatterns {
                id: intent.id.clone(),
                intent_index,
            });
        }
        for (pattern_index, pattern) in intent.patterns.iter().enumerate() {
            if pattern.len() > options.max_pattern_bytes {
                return Err(IntentSetError::PatternTooLong {
                    id: intent.id.clone(),
                    intent_index,
                    pattern_index,
                    len: pattern.len(),
                    limit: options.max_pattern_bytes,
                });
            }
            // Each pattern on its own, so a syntax error names its intent and pattern.
            let hir = syntax::to_hir(pattern, options).map_err(|message| {
                IntentSetError::InvalidPattern {
                    id: intent.id.clone(),
                    intent_index,
                    pattern_index,
                    message,
                }
            })?;
            hirs.push(syntax::for_existence(&hir));
        }
    }
    Ok(hirs)
}
