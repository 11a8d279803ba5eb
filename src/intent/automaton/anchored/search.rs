//! Searching a whole text with an anchored DFA (module `table`): every position starts a run, and the
//! runs alive after each byte form one state of the unanchored DFA, built lazily and cached.
//!
//! A pattern matches somewhere in a text exactly when it matches a run that starts at some position. So the
//! search keeps the set of anchored states of all live runs (runs that reach the same state have the same future,
//! so each state is kept once), steps each of them on the next byte, and adds the run starting after that byte.
//! Such a set *is* a state of the unanchored DFA, built here by subset construction over the anchored DFA instead
//! of over the NFA: a new state costs one table lookup per live run (a handful) instead of an ε-closure over
//! thousands of NFA states, so a cold cache costs microseconds per text, not milliseconds. Each set, once seen,
//! gets a row of the dense transitions computed so far, so a warm search is one lookup per byte, as with a DFA
//! determinized ahead of time.
//!
//! The cache is bounded (`options.lazyCacheLimit`): when full it is cleared and refilled from the current set.
//! Work per byte is bounded by the number of live runs whatever the cache does, so the search stays linear.
//!
//! # The hot loop, and what it costs
//! A warm step is one class lookup and one load: a transition below [`SPECIAL`] is where the next row starts, used
//! as it is. Each load waits on the one before, so one text costs one memory latency per byte (an L1 hit is
//! ~2.7 ns on the machine this was measured on: `bench/callgrind.sh` counts 14–18 instructions per byte, times are
//! in the README). Three things keep the loop at that:
//! - it is a small function of its own ([`plain_steps`]), so its few values stay in registers (V8 spilled them
//!   inside the large search function);
//! - one comparison per step tells a plain transition from one to compute or one into a set holding match states;
//!   a match transition is kept in [`Passed`] and stepped over, the patterns reported after the loop from the
//!   set's report (made when the set was interned);
//! - a batch of texts is searched [`LANES`] at a time ([`plain_steps_lanes`]): the lanes' loads are independent,
//!   so they overlap, 1.2–1.7 times the throughput of one text at a time.

use super::table::AnchoredTable;
use crate::intent::automaton::header::DEAD;
use crate::intent::automaton::hits::{splits_a_character, PatternHits};
use crate::intent::error::SearchError;
use std::collections::HashMap;

/// A transition not computed yet.
const UNKNOWN: u32 = u32::MAX;
/// Flag on a transition whose target set holds a match state.
const MATCH: u32 = 1 << 31;
/// Transitions at or above this need more than a step (computing, or reporting matches): one comparison on the
/// hot path tells both apart from a plain step, whose value is where the next row starts, used as it is.
const SPECIAL: u32 = MATCH;
/// Transitions name their target by where its row starts (`set × stride`), so a step is one load and no
/// multiplication; rows may not reach past this.
const ROWS_LIMIT: usize = MATCH as usize - 1;
/// Bytes counted per cached set besides its row and members (its index entry).
const SET_OVERHEAD: usize = 48;

/// Where [`plain_steps`] stopped.
enum Steps {
    /// The step from the row at `row` on `column` (the byte before `at`) needs more than the hot loop does (a
    /// transition to compute, or one match too many to keep in [`Passed`]).
    Special {
        at: usize,
        row: usize,
        column: usize,
    },
    /// The text ended in the set whose row starts at `row`.
    End { row: usize },
}

/// How many match transitions the hot loops keep before they stop.
const PASSED: usize = 16;

/// Transitions into sets holding match states that the hot loops took without stopping: where each target's row
/// starts and which lane took it (0 for one text alone), for the caller to report. A match that would end inside a
/// character is not kept ([`splits_a_character`]).
struct Passed {
    rows: [u32; PASSED],
    lanes: [u8; PASSED],
    len: usize,
}

impl Passed {
    fn new() -> Self {
        Passed {
            rows: [0; PASSED],
            lanes: [0; PASSED],
            len: 0,
        }
    }
}

/// The hot loop of every search: steps from the row at `row` over `text[at..]` while the cached transitions are
/// known, four bytes per round, and keeps match transitions in `passed`. Kept a small function of its own so that
/// the loop's few values stay in registers (in wasm too, where V8 spilled them to the stack inside the large search
/// function). A plain transition is where the next row starts, used as it is: one load per byte and no arithmetic
/// on it.
#[inline(never)]
fn plain_steps(
    rows: &[u32],
    classes: &[u8; 256],
    text: &[u8],
    at: usize,
    row: usize,
    passed: &mut Passed,
) -> Steps {
    let (mut at, mut row) = (at, row);
    macro_rules! step {
        ($byte:expr) => {{
            let column = usize::from(classes[usize::from($byte)]);
            // Rows are whole and classes below the row width (checked when loading), so this holds; indexing
            // checks it anyway, off the path each step waits on.
            let transition = rows[row + column];
            if transition < SPECIAL {
                row = transition as usize;
            } else if transition != UNKNOWN && passed.len < PASSED {
                if !splits_a_character($byte) {
                    passed.rows[passed.len] = transition & !MATCH;
                    passed.lanes[passed.len] = 0;
                    passed.len += 1;
                }
                row = (transition & !MATCH) as usize;
            } else {
                return Steps::Special {
                    at: at + 1,
                    row,
                    column,
                };
            }
            at += 1;
        }};
    }
    while let Some(&[b0, b1, b2, b3]) = text.get(at..at + 4) {
        step!(b0);
        step!(b1);
        step!(b2);
        step!(b3);
    }
    while let Some(&byte) = text.get(at) {
        step!(byte);
    }
    Steps::End { row }
}

/// How many texts of a batch are searched at once: their steps interleave, so the loads one text waits on overlap
/// with the other's (one text alone is a chain of dependent loads, one per byte).
pub(crate) const LANES: usize = 3;

/// One text of a batch being searched: its bytes, where it is, the row of its current set, its place in the batch.
#[derive(Clone, Copy)]
struct Lane<'t> {
    text: &'t [u8],
    at: usize,
    row: usize,
    index: usize,
}

/// Where [`plain_steps_lanes`] stopped.
enum LaneStop {
    /// Lane `lane`'s step on `column` (its byte at `at`) needs more than the hot loop does; it has not moved.
    Special { lane: usize, column: usize },
    /// Lane `lane` is at the end of its text.
    End { lane: usize },
}

/// [`plain_steps`] for several texts at once: one step of each lane per round, until one lane ends or needs a
/// special step. The lanes are copied into locals, so the loop runs on registers.
#[inline(never)]
fn plain_steps_lanes(
    rows: &[u32],
    classes: &[u8; 256],
    lanes: &mut [Lane<'_>; LANES],
    passed: &mut Passed,
) -> LaneStop {
    let mut local = *lanes;
    let stop = 'search: loop {
        let rounds = local.iter().map(|l| l.text.len() - l.at).min().unwrap_or(0);
        if rounds == 0 {
            let lane = local.iter().position(|l| l.at == l.text.len()).unwrap_or(0);
            break LaneStop::End { lane };
        }
        // Every lane's next `rounds` bytes: slices of one length, so reading them needs no check per byte.
        let next: [&[u8]; LANES] = std::array::from_fn(|l| &local[l].text[local[l].at..][..rounds]);
        // One round steps every lane once: the round indexes every lane's bytes.
        #[allow(clippy::needless_range_loop)]
        for round in 0..rounds {
            for (lane, l) in local.iter_mut().enumerate() {
                let byte = next[lane][round];
                let column = usize::from(classes[usize::from(byte)]);
                let transition = rows[l.row + column];
                if transition < SPECIAL {
                    l.row = transition as usize;
                } else if transition != UNKNOWN && passed.len < PASSED {
                    if !splits_a_character(byte) {
                        passed.rows[passed.len] = transition & !MATCH;
                        passed.lanes[passed.len] = lane as u8;
                        passed.len += 1;
                    }
                    l.row = (transition & !MATCH) as usize;
                } else {
                    // The lanes before this one took this round's step, this one and those after did not.
                    for (other, l) in local.iter_mut().enumerate() {
                        l.at += round + usize::from(other < lane);
                    }
                    break 'search LaneStop::Special { lane, column };
                }
            }
        }
        for l in local.iter_mut() {
            l.at += rounds;
        }
    };
    *lanes = local;
    stop
}

/// The sets of live runs seen so far and their transitions: one per thread that searches.
pub(crate) struct RunSets {
    columns: usize,
    /// A row's length: the `columns` transitions, then where the set's report starts in `reports`.
    stride: usize,
    /// `stride` entries per set: its transitions (where the target set's row starts, [`MATCH`] flag), [`UNKNOWN`]
    /// until computed, then its report's offset.
    rows: Vec<u32>,
    /// Each set's report: how many patterns its match states report, then those patterns (each once). Sets
    /// without match states share the empty report at offset 0.
    reports: Vec<u32>,
    /// Set `i`'s anchored states are `members[ends[i - 1]..ends[i]]` (ascending).
    members: Vec<u32>,
    ends: Vec<u32>,
    index: HashMap<Box<[u32]>, u32>,
    /// The set a search starts from (the run starting at the start of the text), once interned.
    start: Option<u32>,
    limit: usize,
    scratch: Vec<u32>,
    /// Times the cache was full and cleared.
    clears: u64,
}

impl RunSets {
    /// An empty cache for a table of `columns` columns, holding at most about `limit` bytes (at least a few sets
    /// whatever the limit).
    pub(crate) fn new(columns: usize, limit: usize) -> Self {
        RunSets {
            columns,
            stride: columns + 1,
            rows: Vec::new(),
            reports: vec![0],
            members: Vec::new(),
            ends: Vec::new(),
            index: HashMap::new(),
            start: None,
            limit,
            scratch: Vec::new(),
            clears: 0,
        }
    }

    /// Bytes held by the cached sets.
    pub(crate) fn memory_usage(&self) -> usize {
        4 * (self.rows.len() + 2 * self.members.len() + self.ends.len() + self.reports.len())
            + SET_OVERHEAD * self.ends.len()
    }

    fn members(&self, set: u32) -> &[u32] {
        let end = self.ends[set as usize] as usize;
        let start = if set == 0 {
            0
        } else {
            self.ends[set as usize - 1] as usize
        };
        &self.members[start..end]
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.reports.truncate(1);
        self.members.clear();
        self.ends.clear();
        self.index.clear();
        self.start = None;
        self.clears += 1;
    }

    /// The id of the set in `self.scratch` (sorted, no duplicates), adding it if new. Clears the cache first
    /// when it is full, so ids taken before this call may be gone: `false` in the result says so.
    fn intern(&mut self, table: &AnchoredTable) -> (u32, bool) {
        if let Some(&id) = self.index.get(self.scratch.as_slice()) {
            return (id, true);
        }
        let mut kept = true;
        let adding = 4 * (self.stride + 2 * self.scratch.len() + 1) + SET_OVERHEAD;
        let full =
            self.memory_usage() + adding > self.limit || self.rows.len() + self.stride > ROWS_LIMIT;
        if self.ends.len() >= 4 && full {
            self.clear();
            kept = false;
        }
        let id = self.ends.len() as u32;
        self.members.extend_from_slice(&self.scratch);
        self.ends.push(self.members.len() as u32);
        self.rows.resize(self.rows.len() + self.columns, UNKNOWN);
        // The report: every pattern of the set's match states, once.
        let mut report: Vec<u32> = self
            .scratch
            .iter()
            .filter(|&&state| table.header().is_match(state))
            .flat_map(|&state| table.patterns_of(state).iter().copied())
            .collect();
        if report.is_empty() {
            self.rows.push(0);
        } else {
            report.sort_unstable();
            report.dedup();
            self.rows.push(self.reports.len() as u32);
            self.reports.push(report.len() as u32);
            self.reports.extend_from_slice(&report);
        }
        self.index
            .insert(self.scratch.clone().into_boxed_slice(), id);
        (id, kept)
    }

    fn start_set(&mut self, table: &AnchoredTable) -> u32 {
        if let Some(set) = self.start {
            return set;
        }
        self.scratch.clear();
        let start = table.start(table.header().end_of_input());
        if start != DEAD {
            self.scratch.push(start);
        }
        let (set, _) = self.intern(table);
        self.start = Some(set);
        set
    }

    /// The transition of `set` on `column`, computed and cached: every live run steps, and (on a byte) the run
    /// starting after it joins.
    fn compute(
        &mut self,
        table: &AnchoredTable,
        set: u32,
        column: usize,
    ) -> Result<u32, SearchError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        for &state in self.members(set) {
            let next = table.next(state, column)?;
            if next != DEAD {
                scratch.push(next);
            }
        }
        if column != table.header().end_of_input() {
            let start = table.start(column);
            if start != DEAD {
                scratch.push(start);
            }
        }
        scratch.sort_unstable();
        scratch.dedup();
        let flag = if scratch.iter().any(|&s| table.header().is_match(s)) {
            MATCH
        } else {
            0
        };
        self.scratch = scratch;
        let (target, kept) = self.intern(table);
        let transition = (target as usize * self.stride) as u32 | flag;
        if kept {
            self.rows[set as usize * self.stride + column] = transition;
        }
        Ok(transition)
    }

    /// The transition from the set whose row starts at `row` on `column`: cached, or computed now.
    #[inline(always)]
    fn step(
        &mut self,
        table: &AnchoredTable,
        row: usize,
        column: usize,
    ) -> Result<u32, SearchError> {
        match self.rows[row + column] {
            UNKNOWN => self.compute(table, (row / self.stride) as u32, column),
            transition => Ok(transition),
        }
    }

    /// The rest of a step whose cached transition is [`SPECIAL`]: computes an unknown transition, reports the
    /// patterns of a target set holding match states (when `at_boundary`: see [`splits_a_character`]), and returns
    /// where the target's row starts.
    #[cold]
    #[inline(never)]
    fn special(
        &mut self,
        table: &AnchoredTable,
        row: usize,
        column: usize,
        at_boundary: bool,
        hits: &mut PatternHits,
    ) -> Result<usize, SearchError> {
        let transition = self.step(table, row, column)?;
        if transition & MATCH != 0 && at_boundary {
            self.add_matches(transition, hits)?;
        }
        Ok((transition & !MATCH) as usize)
    }

    /// Reports the matches the hot loop passed (into each lane's hits) and forgets them.
    fn report_passed(
        &self,
        passed: &mut Passed,
        hits: &mut [PatternHits],
    ) -> Result<(), SearchError> {
        for i in 0..passed.len {
            let hits = &mut hits[usize::from(passed.lanes[i])];
            self.add_matches(passed.rows[i] | MATCH, hits)?;
        }
        passed.len = 0;
        Ok(())
    }

    /// Adds the patterns of the match states of `transition`'s target set (its report).
    fn add_matches(&self, transition: u32, hits: &mut PatternHits) -> Result<(), SearchError> {
        let row = (transition & !MATCH) as usize;
        let at = self.rows[row + self.columns] as usize;
        let count = self.reports[at] as usize;
        for &pattern in &self.reports[at + 1..at + 1 + count] {
            if !hits.insert(pattern) {
                return Err(SearchError::CorruptTable {
                    table: "anchored DFA",
                    detail: format!("pattern {pattern} is not one of the set's"),
                });
            }
        }
        Ok(())
    }

    /// Adds every pattern that matches somewhere in `text` to `hits`.
    pub(crate) fn matching(
        &mut self,
        table: &AnchoredTable,
        text: &[u8],
        hits: &mut PatternHits,
    ) -> Result<(), SearchError> {
        let row = self.start_set(table) as usize * self.stride;
        self.matching_from(table, text, 0, row, hits)
    }

    /// [`RunSets::matching`] from byte `at` of `text`, in the set whose row starts at `row`.
    fn matching_from(
        &mut self,
        table: &AnchoredTable,
        text: &[u8],
        mut at: usize,
        mut row: usize,
        hits: &mut PatternHits,
    ) -> Result<(), SearchError> {
        let header = table.header();
        let mut passed = Passed::new();
        loop {
            let steps = plain_steps(&self.rows, &header.classes, text, at, row, &mut passed);
            self.report_passed(&mut passed, std::slice::from_mut(hits))?;
            match steps {
                Steps::Special {
                    at: next,
                    row: from,
                    column,
                } => {
                    let at_boundary = !splits_a_character(text[next - 1]);
                    row = self.special(table, from, column, at_boundary, hits)?;
                    if hits.is_full() {
                        return Ok(());
                    }
                    at = next;
                }
                Steps::End { row: last } => {
                    self.special(table, last, header.end_of_input(), true, hits)?;
                    return Ok(());
                }
            }
        }
    }

    /// Searches every text of `texts` ([`LANES`] at a time, their steps interleaved) and hands each one's hits to
    /// `done` (with its index) as it finishes: in no particular order. Fails naming the text whose search failed.
    pub(crate) fn matching_batch(
        &mut self,
        table: &AnchoredTable,
        texts: &[&[u8]],
        hits: &mut [PatternHits; LANES],
        mut done: impl FnMut(usize, &mut PatternHits),
    ) -> Result<(), (usize, SearchError)> {
        let header = table.header();
        hits.iter_mut().for_each(PatternHits::clear);
        let mut queued = texts.iter().copied().enumerate();
        if texts.len() < LANES {
            for (index, text) in queued {
                let row = self.start_set(table) as usize * self.stride;
                self.finish(
                    table,
                    Lane {
                        text,
                        at: 0,
                        row,
                        index,
                    },
                    &mut hits[0],
                    &mut done,
                )?;
            }
            return Ok(());
        }
        let start = self.start_set(table) as usize * self.stride;
        let mut lanes: [Lane<'_>; LANES] = std::array::from_fn(|_| {
            let (index, text) = queued.next().unwrap_or_default();
            Lane {
                text,
                at: 0,
                row: start,
                index,
            }
        });
        let clears = self.clears;
        let mut passed = Passed::new();
        loop {
            let stop = plain_steps_lanes(&self.rows, &header.classes, &mut lanes, &mut passed);
            if passed.len > 0 {
                let lane = usize::from(passed.lanes[0]);
                self.report_passed(&mut passed, hits)
                    .map_err(|e| (lanes[lane].index, e))?;
            }
            let (lane, end) = match stop {
                LaneStop::Special { lane, column } => {
                    let l = &mut lanes[lane];
                    l.row = self
                        .special(
                            table,
                            l.row,
                            column,
                            !splits_a_character(l.text[l.at]),
                            &mut hits[lane],
                        )
                        .map_err(|e| (l.index, e))?;
                    l.at += 1;
                    (lane, false)
                }
                LaneStop::End { lane } => {
                    let l = &lanes[lane];
                    self.special(table, l.row, header.end_of_input(), true, &mut hits[lane])
                        .map_err(|e| (l.index, e))?;
                    (lane, true)
                }
            };
            if self.clears != clears {
                // The cache was full and cleared: only this lane's row is still valid. It finishes, the other
                // lanes start their texts again, and the rest of the batch goes one text at a time (which always
                // progresses, however small the cache).
                let current = lanes[lane];
                if end {
                    done(current.index, &mut hits[lane]);
                    hits[lane].clear();
                } else {
                    self.finish(table, current, &mut hits[lane], &mut done)?;
                }
                let others = lanes.iter().enumerate().filter(|&(other, _)| other != lane);
                let restarted: Vec<(usize, &[u8])> =
                    others.map(|(_, l)| (l.index, l.text)).collect();
                for (index, text) in restarted.into_iter().chain(queued) {
                    let row = self.start_set(table) as usize * self.stride;
                    self.finish(
                        table,
                        Lane {
                            text,
                            at: 0,
                            row,
                            index,
                        },
                        &mut hits[lane],
                        &mut done,
                    )?;
                }
                return Ok(());
            }
            if end {
                done(lanes[lane].index, &mut hits[lane]);
                hits[lane].clear();
                match queued.next() {
                    Some((index, text)) => {
                        let row = self.start_set(table) as usize * self.stride;
                        lanes[lane] = Lane {
                            text,
                            at: 0,
                            row,
                            index,
                        };
                    }
                    None => {
                        // The batch is drained: the other lanes finish one at a time. Finishing one may fill and
                        // clear the cache, and then the rows the others are at are gone: those start their texts
                        // again (found by fuzzing: fuzz/artifacts/iedge/crash-f04bdd67…, a set whose
                        // lazyCacheLimit is a few bytes).
                        for (other, (l, hits)) in lanes.into_iter().zip(hits.iter_mut()).enumerate()
                        {
                            if other == lane {
                                continue;
                            }
                            let l = if self.clears == clears {
                                l
                            } else {
                                hits.clear();
                                let row = self.start_set(table) as usize * self.stride;
                                Lane { at: 0, row, ..l }
                            };
                            self.finish(table, l, hits, &mut done)?;
                        }
                        return Ok(());
                    }
                }
            }
        }
    }

    /// One text of a batch to its end with the single-text search, from where its lane is.
    fn finish(
        &mut self,
        table: &AnchoredTable,
        lane: Lane<'_>,
        hits: &mut PatternHits,
        done: &mut impl FnMut(usize, &mut PatternHits),
    ) -> Result<(), (usize, SearchError)> {
        self.matching_from(table, lane.text, lane.at, lane.row, hits)
            .map_err(|e| (lane.index, e))?;
        done(lane.index, hits);
        hits.clear();
        Ok(())
    }

    /// Times the cache filled up and was cleared.
    #[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn clears(&self) -> u64 {
        self.clears
    }
}

#[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::intent::config::MatchOptions;
    use crate::intent::syntax;
    use regex_automata::dfa::{dense, Automaton, StartKind};
    use regex_automata::nfa::thompson::{WhichCaptures, NFA};
    use regex_automata::{Input, MatchKind, PatternSet};

    /// Word boundaries, anchors, gaps, empty matches, non-ASCII and overlapping phrases.
    pub(crate) const PATTERNS: &[&str] = &[
        r"\b(?:lost|stolen)\s+card\b",
        r"\bcard\b",
        r"(?:£|€)\d+",
        r"^hi\b",
        r"caf[eé]$",
        r"\bzoë\b",
        r"\bcard\b.*\b(?:lost|stolen)\b",
        r"\Bing\b",
        r"(?m)^end",
        r"x*",
        r"(?i)ΣΟΦΊΑ",
        r"a[a ]*b",
    ];
    pub(crate) const TEXTS: &[&str] = &[
        "",
        "hi, I lost my card",
        "Lost  CARD yesterday",
        "send £20 to Zoë",
        "a café",
        "cafe!",
        "hi",
        "xhi card€5",
        "my card was stolen, card",
        "singing\nend",
        "σοφία a a a a ab",
        "stolen card",
        "zoë",
        "a a a a a a a",
    ];

    fn nfa() -> NFA {
        let options = MatchOptions::default();
        let hirs: Vec<_> = PATTERNS
            .iter()
            .map(|p| syntax::to_hir(p, &options).unwrap())
            .collect();
        syntax::compile_nfa(&hirs, WhichCaptures::None, &options).unwrap()
    }

    pub(crate) fn table() -> AnchoredTable {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Anchored),
            )
            .build_from_nfa(&nfa())
            .unwrap();
        AnchoredTable::from_dfa(&dfa).unwrap()
    }

    /// What the set's unanchored DFA answers.
    fn expected(text: &str) -> Vec<usize> {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Unanchored),
            )
            .build_from_nfa(&nfa())
            .unwrap();
        let mut want = PatternSet::new(PATTERNS.len());
        dfa.try_which_overlapping_matches(&Input::new(text), &mut want)
            .unwrap();
        want.iter().map(|p| p.as_usize()).collect()
    }

    pub(crate) fn answers(
        table: &AnchoredTable,
        cache: &mut RunSets,
        text: &str,
    ) -> Result<Vec<usize>, SearchError> {
        let mut hits = PatternHits::new(PATTERNS.len());
        cache.matching(table, text.as_bytes(), &mut hits)?;
        Ok(hits.sorted().iter().map(|&p| p as usize).collect())
    }

    #[test]
    fn answers_like_the_unanchored_dfa_with_a_warm_cold_or_tiny_cache() {
        let table = table();
        let mut warm = RunSets::new(table.header().columns, 1 << 20);
        let mut tiny = RunSets::new(table.header().columns, 0);
        for text in TEXTS {
            let want = expected(text);
            for round in 0..2 {
                assert_eq!(
                    answers(&table, &mut warm, text).unwrap(),
                    want,
                    "{text:?} round {round}"
                );
                assert_eq!(
                    answers(&table, &mut tiny, text).unwrap(),
                    want,
                    "{text:?}, tiny cache"
                );
            }
            let mut cold = RunSets::new(table.header().columns, 1 << 20);
            assert_eq!(
                answers(&table, &mut cold, text).unwrap(),
                want,
                "{text:?}, cold"
            );
        }
        assert_eq!(
            answers(&table, &mut warm, "hi, lost card").unwrap(),
            vec![0, 1, 3, 9]
        );
        assert!(tiny.clears() > 0, "the tiny cache was never cleared");
        assert!(tiny.memory_usage() < warm.memory_usage());
    }

    #[test]
    fn a_batch_answers_like_each_text_alone_with_a_warm_cold_or_tiny_cache() {
        let table = table();
        let texts: Vec<&[u8]> = TEXTS
            .iter()
            .chain(TEXTS.iter().rev())
            .chain(["x", "a a a a a a ab", ""].iter())
            .map(|t| t.as_bytes())
            .collect();
        let want: Vec<Vec<usize>> = texts
            .iter()
            .map(|t| expected(std::str::from_utf8(t).unwrap()))
            .collect();
        for limit in [1 << 20, 1 << 12, 0] {
            let mut cache = RunSets::new(table.header().columns, limit);
            for round in 0..2 {
                for count in [0, 1, texts.len()] {
                    let mut hits = std::array::from_fn(|_| PatternHits::new(PATTERNS.len()));
                    let mut got = vec![None; count];
                    cache
                        .matching_batch(&table, &texts[..count], &mut hits, |i, h| {
                            assert!(got[i].is_none(), "text {i} answered twice");
                            got[i] =
                                Some(h.sorted().iter().map(|&p| p as usize).collect::<Vec<_>>());
                        })
                        .unwrap();
                    for (i, got) in got.into_iter().enumerate() {
                        assert_eq!(
                            got.as_ref(),
                            Some(&want[i]),
                            "limit {limit}, round {round}, text {i}"
                        );
                    }
                }
            }
            if limit == 0 {
                assert!(cache.clears() > 0, "the tiny cache was never cleared");
            }
        }
    }

    #[test]
    fn a_batch_whose_last_texts_fill_the_cache_answers_like_each_text_alone() {
        // From fuzzing (fuzz/artifacts/iedge/crash-f04bdd67…): when the queue is empty the lanes left finish one
        // at a time, and one of them filling and clearing the cache took the others' rows away.
        let table = table();
        let long = "my card was stolen, card card hi singing lost card a a ab zoë €5 ".repeat(3);
        let texts = [
            "x",
            long.as_str(),
            "stolen card lost my card stolen card xhi",
            "a café",
            long.as_str(),
        ];
        for limit in [0, 64, 300, 1000, 3000] {
            for count in 2..=texts.len() {
                let batch: Vec<&[u8]> = texts[..count].iter().map(|t| t.as_bytes()).collect();
                let mut cache = RunSets::new(table.header().columns, limit);
                let mut hits = std::array::from_fn(|_| PatternHits::new(PATTERNS.len()));
                let mut got = vec![None; count];
                cache
                    .matching_batch(&table, &batch, &mut hits, |i, h| {
                        got[i] = Some(h.sorted().iter().map(|&p| p as usize).collect::<Vec<_>>());
                    })
                    .unwrap();
                for (i, text) in texts[..count].iter().enumerate() {
                    assert_eq!(
                        got[i].as_ref(),
                        Some(&expected(text)),
                        "limit {limit}, {count} texts, text {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn runs_that_reach_the_same_state_are_kept_once() {
        // `a[a ]*b` alive from every `a`: all the runs merge, so the live set stays small however long the text.
        let table = table();
        let mut cache = RunSets::new(table.header().columns, 1 << 20);
        let text = "a ".repeat(5000);
        assert_eq!(answers(&table, &mut cache, &text).unwrap(), expected(&text));
        let widest = (0..cache.ends.len() as u32)
            .map(|set| cache.members(set).len())
            .max()
            .unwrap();
        assert!(widest <= 8, "a set of {widest} live runs");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_gets_the_unanchored_dfa_answer(
            text in "(a|b| |x|card|lost|stolen|hi|£|€|1|é|ë|zo|caf|ing|end|\n|Σ|σ){0,24}"
        ) {
            let table = table();
            let mut cache = RunSets::new(table.header().columns, 1 << 16);
            proptest::prop_assert_eq!(answers(&table, &mut cache, &text).unwrap(), expected(&text));
        }
    }
}
