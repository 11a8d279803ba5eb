//! The dense form: the set's unanchored DFA, fully determinized ahead of time, as a flat transition table that a
//! precompiled set loads in place, with no validation pass.
//!
//! The DFA itself comes from `regex-automata`'s dense determinizer (ahead of time, natively:
//! [`DenseTable::from_dfa`]). Its own serialization is not what precompiled sets store, for two reasons:
//! - its search reads transitions unchecked, so bytes from a file must be validated transition by transition before
//!   use — a pass over the whole table that cost more than the first match itself (BANKING77, 4.8 MB: 4.5 ms in
//!   Node, 13–18 ms in the edge component);
//! - its state ids are 4 bytes and rows are padded to a power of two classes.
//!
//! Here every lookup is bounds-checked while searching (a corrupt table yields an error or a wrong answer, never a
//! panic or undefined behaviour), so loading is a copy of the bytes, or nothing for a set compiled into the binary;
//! and ids take 2 bytes when the DFA has at most 65,536 states, in rows exactly as wide as the alphabet: BANKING77's
//! table is 1.8 MB. Searching is one class lookup and one transition per byte, like `regex-automata`'s overlapping
//! search without its acceleration of self-looping states.
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 271 | the table header (module `header`) |
//! | 4 | start state (of an unanchored search from the start of a text) |
//! | 4·(`M` + 1) + 4·`K` | the match lists (module `header`) |
//! | `S`·`C`·`W` | transitions, row by row |

use super::header::{MatchLists, TableHeader, DEAD, HEADER_BYTES};
use super::hits::{splits_a_character, Found, LANES};
use crate::intent::error::{LoadError, SearchError};
use crate::intent::wire::{id_at, Keep, Reader, Section};

/// A determinized multi-pattern automaton over a transition table that may be borrowed from embedded bytes.
pub(crate) struct DenseTable {
    header: TableHeader,
    start: u32,
    matches: MatchLists,
    transitions: Section,
}

/// What a reader outside Rust needs to step a dense table itself and answer as [`DenseTable::matching`] does (the
/// JavaScript package's short-text path, `fastShortTexts` in `src/js/package/intent.js`): the table as it is stored
/// (2-byte little-endian ids, state `s`'s row at id `s * columns`, at any alignment), its shape and start state,
/// and the match lists (state `s` in `1..=match_states` reports `match_patterns[match_offsets[s - 1] as usize..
/// match_offsets[s] as usize]`). Nothing here changes while the table lives.
#[cfg_attr(
    not(all(target_arch = "wasm32", target_os = "unknown")),
    allow(dead_code)
)]
pub(crate) struct DenseParts<'t> {
    pub(crate) transitions: &'t [u8],
    pub(crate) columns: usize,
    pub(crate) states: u32,
    pub(crate) match_states: u32,
    pub(crate) start: u32,
    pub(crate) classes: &'t [u8; 256],
    pub(crate) match_offsets: &'t [u32],
    pub(crate) match_patterns: &'t [u32],
}

/// Where one text's search is: its bytes, the next byte to step, the state reached, its place in a batch.
#[derive(Clone, Copy)]
struct Run<'t> {
    text: &'t [u8],
    at: usize,
    state: u32,
    index: usize,
}

/// Why [`DenseTable::plain_steps_lanes`] stopped: lane `lane` reached a match state (or the dead state) on the byte
/// before its `at`, or the end of its text.
enum LaneStop {
    MatchState { lane: usize },
    End { lane: usize },
}

impl DenseTable {
    /// Adds every pattern that matches somewhere in `text` to `hits`.
    pub(crate) fn matching(&self, text: &[u8], hits: &mut impl Found) -> Result<(), SearchError> {
        let run = Run {
            text,
            at: 0,
            state: self.start,
            index: 0,
        };
        match self.header.width {
            2 => self.finish::<2>(run, hits),
            _ => self.finish::<4>(run, hits),
        }
    }

    /// Searches every text of `texts` and hands each one's hits to `done` with its index, in no particular order:
    /// [`LANES`] texts at once, their steps interleaved, so the loads of one overlap with the others' (one text's
    /// steps are a chain: each transition's address needs the state before). Fails naming the text whose search
    /// failed (only a table loaded from damaged bytes fails).
    pub(crate) fn matching_batch<F: Found>(
        &self,
        texts: &[&[u8]],
        hits: &mut [F; LANES],
        done: impl FnMut(usize, &mut F),
    ) -> Result<(), (usize, SearchError)> {
        match self.header.width {
            2 => self.batch::<2, F>(texts, hits, done),
            _ => self.batch::<4, F>(texts, hits, done),
        }
    }

    fn batch<const W: usize, F: Found>(
        &self,
        texts: &[&[u8]],
        hits: &mut [F; LANES],
        mut done: impl FnMut(usize, &mut F),
    ) -> Result<(), (usize, SearchError)> {
        hits.iter_mut().for_each(Found::clear);
        let mut queued = texts.iter().enumerate().map(|(index, &text)| Run {
            text,
            at: 0,
            state: self.start,
            index,
        });
        if texts.len() < LANES {
            for run in queued {
                self.finish_alone::<W, F>(run, &mut hits[0], &mut done)?;
            }
            return Ok(());
        }
        let mut lanes: [Run<'_>; LANES] = std::array::from_fn(|_| {
            queued.next().unwrap_or(Run {
                text: &[],
                at: 0,
                state: self.start,
                index: 0,
            })
        });
        loop {
            let stop = self.plain_steps_lanes::<W>(&mut lanes);
            let (lane, finished) = match stop {
                Ok(LaneStop::MatchState { lane }) => {
                    let run = lanes[lane];
                    let goes_on = self
                        .passed(run.state, run.text[run.at - 1], &mut hits[lane])
                        .map_err(|e| (run.index, e))?;
                    (lane, !goes_on)
                }
                Ok(LaneStop::End { lane }) => {
                    let run = lanes[lane];
                    self.end_step::<W>(run.state, &mut hits[lane])
                        .map_err(|e| (run.index, e))?;
                    (lane, true)
                }
                Err((lane, e)) => return Err((lanes[lane].index, e)),
            };
            if !finished {
                continue;
            }
            done(lanes[lane].index, &mut hits[lane]);
            hits[lane].clear();
            if let Some(next) = queued.next() {
                lanes[lane] = next;
                continue;
            }
            // No text left to start: the other lanes finish one at a time.
            for (other, run) in lanes.iter().enumerate() {
                if other != lane {
                    self.finish_alone::<W, F>(*run, &mut hits[other], &mut done)?;
                }
            }
            return Ok(());
        }
    }

    /// A batch's text searched on its own from where `run` is: its hits handed to `done`, then cleared.
    fn finish_alone<const W: usize, F: Found>(
        &self,
        run: Run<'_>,
        hits: &mut F,
        done: &mut impl FnMut(usize, &mut F),
    ) -> Result<(), (usize, SearchError)> {
        self.finish::<W>(run, hits).map_err(|e| (run.index, e))?;
        done(run.index, hits);
        hits.clear();
        Ok(())
    }

    /// Steps `run` to the end of its text, or until nothing it could still pass would change `hits`.
    fn finish<const W: usize>(
        &self,
        run: Run<'_>,
        hits: &mut impl Found,
    ) -> Result<(), SearchError> {
        let (table, columns, states) = (
            &self.transitions[..],
            self.header.columns,
            self.header.states,
        );
        let mut state = run.state;
        for &byte in &run.text[run.at..] {
            let class = self.header.class(byte);
            state = match transition::<W>(table, columns, states, state, class) {
                Some(next) => next,
                None => return Err(self.corrupt_step(state, class)),
            };
            if state <= self.header.match_states && !self.passed(state, byte, hits)? {
                return Ok(());
            }
        }
        self.end_step::<W>(state, hits)
    }

    /// One step of every lane per round, until a lane reaches a match state (or the dead state, which is numbered
    /// below them) or the end of its text. The lanes are copied into locals, so the loop runs on registers.
    #[inline(never)]
    fn plain_steps_lanes<const W: usize>(
        &self,
        lanes: &mut [Run<'_>; LANES],
    ) -> Result<LaneStop, (usize, SearchError)> {
        let (table, columns, states) = (
            &self.transitions[..],
            self.header.columns,
            self.header.states,
        );
        let match_states = self.header.match_states;
        let mut local = *lanes;
        let stop = 'search: loop {
            let rounds = local.iter().map(|r| r.text.len() - r.at).min().unwrap_or(0);
            if rounds == 0 {
                let lane = local.iter().position(|r| r.at == r.text.len()).unwrap_or(0);
                break Ok(LaneStop::End { lane });
            }
            // Every lane's next `rounds` bytes: slices of one length, so reading them needs no check per byte.
            let next: [&[u8]; LANES] =
                std::array::from_fn(|l| &local[l].text[local[l].at..][..rounds]);
            #[allow(clippy::needless_range_loop)]
            for round in 0..rounds {
                for (lane, run) in local.iter_mut().enumerate() {
                    let class = self.header.class(next[lane][round]);
                    run.state = match transition::<W>(table, columns, states, run.state, class) {
                        Some(state) => state,
                        // Off the loop's path: the error is made here, so the loop keeps nothing for it.
                        None => break 'search Err((lane, self.corrupt_step(run.state, class))),
                    };
                    if run.state <= match_states {
                        // This lane and those before it took this round's step, those after did not.
                        for (other, r) in local.iter_mut().enumerate() {
                            r.at += round + usize::from(other <= lane);
                        }
                        break 'search Ok(LaneStop::MatchState { lane });
                    }
                }
            }
            for r in local.iter_mut() {
                r.at += rounds;
            }
        };
        *lanes = local;
        stop
    }

    /// A search stepped over `byte` into `state`, a match state or the dead state: adds the state's patterns to
    /// `hits` (unless the match would end inside a character). False when the search can stop: in the dead state
    /// nothing more matches, and full `hits` want nothing more.
    #[inline(always)]
    fn passed(&self, state: u32, byte: u8, hits: &mut impl Found) -> Result<bool, SearchError> {
        if state == DEAD {
            return Ok(false);
        }
        if splits_a_character(byte) {
            return Ok(true);
        }
        self.matches.add(state, hits).map_err(corrupt)?;
        Ok(!hits.is_full())
    }

    /// The step past the last byte: matches that end the text.
    fn end_step<const W: usize>(
        &self,
        state: u32,
        hits: &mut impl Found,
    ) -> Result<(), SearchError> {
        let state = self.next::<W>(state, self.header.end_of_input())?;
        if self.header.is_match(state) {
            self.matches.add(state, hits).map_err(corrupt)?;
        }
        Ok(())
    }

    /// The error of a step that [`transition`] found no transition for: made apart from the loops (cold, not
    /// inlined), so that they keep nothing for its message.
    #[cold]
    #[inline(never)]
    fn corrupt_step(&self, state: u32, class: usize) -> SearchError {
        corrupt(format!(
            "state {state} has no transition on class {class} ({} states)",
            self.header.states
        ))
    }

    /// The transition from `state` on `class`, or the error that names what is wrong with the table.
    fn next<const W: usize>(&self, state: u32, class: usize) -> Result<u32, SearchError> {
        let (table, columns, states) = (&self.transitions, self.header.columns, self.header.states);
        transition::<W>(table, columns, states, state, class)
            .ok_or_else(|| self.corrupt_step(state, class))
    }

    /// The table's parts for a reader outside Rust (see [`DenseParts`]), for a table of 2-byte ids (`None` for
    /// 4-byte ones: more than 65,536 states, a table too large to step well outside Rust anyway).
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn stepping_parts(&self) -> Option<DenseParts<'_>> {
        if self.header.width != 2 {
            return None;
        }
        let (match_offsets, match_patterns) = self.matches.parts();
        Some(DenseParts {
            transitions: &self.transitions,
            columns: self.header.columns,
            states: self.header.states,
            match_states: self.header.match_states,
            start: self.start,
            classes: &self.header.classes,
            match_offsets,
            match_patterns,
        })
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        self.header.pattern_len
    }

    /// Bytes the automaton reads: its transition table (in the binary's data for an embedded set) and match
    /// lists.
    pub(crate) fn memory_usage(&self) -> usize {
        self.transitions.len() + self.matches.memory_usage()
    }

    /// The layout above.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + 4 + self.memory_usage());
        self.header.write(&mut out);
        out.extend_from_slice(&self.start.to_le_bytes());
        self.matches.write(&mut out);
        out.extend_from_slice(&self.transitions);
        out
    }

    /// Reads the layout above. The header and match lists are checked here (O(match states)); transitions are
    /// checked as searches read them. `keep` makes the [`Section`] holding the transitions from their range in
    /// `bytes`.
    pub(crate) fn from_bytes(bytes: &[u8], keep: impl Keep) -> Result<Self, LoadError> {
        let mut r = Reader::new(bytes);
        let header = TableHeader::read(&mut r)?;
        let start = header.read_state(&mut r, "the start state")?;
        let matches = MatchLists::read(&mut r, &header)?;
        let (states, columns, width) = (header.states as usize, header.columns, header.width);
        let table_len = states
            .checked_mul(columns)
            .and_then(|n| n.checked_mul(width))
            .ok_or(LoadError::invalid("the table size", "overflows"))?;
        if r.remaining() != table_len {
            return Err(LoadError::invalid(
                "the transitions",
                format!(
                    "take {} bytes, {states} states × {columns} classes × {width} need {table_len}",
                    r.remaining()
                ),
            ));
        }
        let transitions = keep(r.at()..r.at() + table_len);
        Ok(DenseTable {
            header,
            start,
            matches,
            transitions,
        })
    }

    /// Tabulates a dense DFA (`MatchKind::All`, unanchored, no quit bytes): every state reachable from the start
    /// of a text, the dead state first, then the match states.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn from_dfa(
        dfa: &super::tabulate::DenseDfa,
    ) -> Result<Self, crate::intent::error::BuildError> {
        use super::tabulate::{reachable_states, transitions, StateNumbering};
        use crate::intent::error::BuildError;
        use crate::intent::wire::push_id;
        use regex_automata::dfa::Automaton;

        let start = dfa
            .start_state_forward(&regex_automata::Input::new(""))
            .map_err(|_| BuildError::Table("the DFA has no unanchored start state"))?;
        // The dead state first (even when unreachable), then the match states, then the rest.
        let numbering = StateNumbering::new(dfa, &reachable_states(dfa, &[start])?)?;
        let header = numbering.header(dfa);
        let mut table = Vec::with_capacity(numbering.states.len() * header.columns * header.width);
        let mut row = Vec::with_capacity(header.columns);
        for &state in &numbering.states {
            transitions(dfa, state, &mut row);
            for &to in &row {
                push_id(&mut table, numbering.id(dfa, to), header.width);
            }
        }
        Ok(DenseTable {
            start: numbering.id(dfa, start),
            matches: numbering.match_lists(dfa),
            header,
            transitions: Section::owned(table),
        })
    }
}

/// The transition from `state` on `class` (below `columns`, as the header's classes are) in a table of `states` rows
/// `columns` wide with `W`-byte state ids: `None` when the table has no such transition (`state` past the last row:
/// only a table loaded from damaged bytes names one). Below `states`, the id's offset cannot overflow: the table's
/// length, `states × columns × W`, is a `usize`.
#[inline(always)]
fn transition<const W: usize>(
    table: &[u8],
    columns: usize,
    states: u32,
    state: u32,
    class: usize,
) -> Option<u32> {
    // A 2-byte id's row is within 2 × 65,536 × 257 bytes of the table's start, so a state past the last row
    // reads past the table's end, which `id_at` checks: only 4-byte ids need the check (their offset could wrap).
    if W == 4 && state >= states {
        return None;
    }
    id_at(table, (state as usize * columns + class) * W, W)
}

fn corrupt(detail: String) -> SearchError {
    SearchError::CorruptTable {
        table: "DFA",
        detail,
    }
}

#[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::intent::automaton::hits::{BestPattern, PatternHits};
    use crate::intent::config::MatchOptions;
    use crate::intent::syntax;
    use regex_automata::dfa::{dense, Automaton, StartKind};
    use regex_automata::nfa::thompson::WhichCaptures;
    use regex_automata::{Input, MatchKind, PatternSet};

    const PATTERNS: &[&str] = &[
        r"\b(?:lost|stolen)\s+card\b",
        r"\bcard\b",
        r"(?:£|€)\d+",
        r"^hi\b",
        r"caf[eé]$",
        r"\bzoë\b",
    ];
    const TEXTS: &[&str] = &[
        "",
        "hi, I lost my card",
        "Lost  CARD yesterday",
        "send £20 to Zoë",
        "a café",
        "cafe!",
        "hi",
        "xhi card€5",
    ];

    fn dense_dfa() -> dense::DFA<Vec<u32>> {
        dense_dfa_of(PATTERNS)
    }

    fn dense_dfa_of(patterns: &[&str]) -> dense::DFA<Vec<u32>> {
        let options = MatchOptions::default();
        let hirs: Vec<_> = patterns
            .iter()
            .map(|p| syntax::to_hir(p, &options).unwrap())
            .collect();
        let nfa = syntax::compile_nfa(&hirs, WhichCaptures::None, &options).unwrap();
        dense::Builder::new()
            .configure(
                dense::Config::new()
                    .match_kind(MatchKind::All)
                    .start_kind(StartKind::Unanchored),
            )
            .build_from_nfa(&nfa)
            .unwrap()
    }

    fn load(bytes: &[u8]) -> Result<DenseTable, LoadError> {
        DenseTable::from_bytes(bytes, |range| Section::owned(bytes[range].to_vec()))
    }

    fn answers(table: &DenseTable, text: &str) -> Result<Vec<usize>, SearchError> {
        let mut hits = PatternHits::new(PATTERNS.len());
        table.matching(text.as_bytes(), &mut hits)?;
        Ok(hits.sorted().iter().map(|&p| p as usize).collect())
    }

    /// The same table with 4-byte state ids (what a DFA of more than 65,536 states gets).
    fn widened(table: &DenseTable) -> DenseTable {
        let transitions = table
            .transitions
            .chunks_exact(2)
            .flat_map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])).to_le_bytes())
            .collect();
        DenseTable {
            header: TableHeader {
                width: 4,
                ..table.header.clone()
            },
            start: table.start,
            transitions: Section::owned(transitions),
            matches: table.matches.clone(),
        }
    }

    #[test]
    fn table_answers_like_the_dense_dfa_it_came_from_with_either_id_width() {
        let dfa = dense_dfa();
        let table = DenseTable::from_dfa(&dfa).unwrap();
        assert_eq!(table.header.width, 2);
        let wide = load(&widened(&table).to_bytes()).unwrap();
        for text in TEXTS {
            let mut want = PatternSet::new(PATTERNS.len());
            dfa.try_which_overlapping_matches(&Input::new(text), &mut want)
                .unwrap();
            let want: Vec<usize> = want.iter().map(|p| p.as_usize()).collect();
            assert_eq!(answers(&table, text).unwrap(), want, "{text:?}");
            assert_eq!(answers(&wide, text).unwrap(), want, "4-byte ids, {text:?}");
        }
        assert_eq!(answers(&table, "hi, lost card").unwrap(), vec![0, 1, 3]);
    }

    /// A text's patterns stepped by hand through [`DenseTable::stepping_parts`], as the package's JavaScript steps
    /// them: the parts must say all a reader outside Rust needs.
    fn answers_from_parts(parts: &DenseParts<'_>, text: &str) -> Vec<usize> {
        let next = |state: u32, column: usize| {
            let at = 2 * (state as usize * parts.columns + column);
            let next = u32::from(u16::from_le_bytes([
                parts.transitions[at],
                parts.transitions[at + 1],
            ]));
            assert!(next < parts.states, "a transition to {next}");
            next
        };
        let patterns_of = |state: u32| {
            let (first, last) = (
                parts.match_offsets[state as usize - 1],
                parts.match_offsets[state as usize],
            );
            parts.match_patterns[first as usize..last as usize]
                .iter()
                .map(|&p| p as usize)
        };
        let mut found = Vec::new();
        let mut state = parts.start;
        let mut dead = false;
        for &byte in text.as_bytes() {
            state = next(state, usize::from(parts.classes[usize::from(byte)]));
            if state == DEAD {
                dead = true;
                break;
            }
            if state <= parts.match_states && !splits_a_character(byte) {
                found.extend(patterns_of(state));
            }
        }
        if !dead {
            state = next(state, parts.columns - 1);
            if state != DEAD && state <= parts.match_states {
                found.extend(patterns_of(state));
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn stepping_parts_say_all_a_reader_outside_rust_needs_for_2_byte_ids() {
        let table = DenseTable::from_dfa(&dense_dfa()).unwrap();
        let parts = table.stepping_parts().expect("2-byte ids");
        assert_eq!(
            parts.transitions.len(),
            2 * parts.states as usize * parts.columns
        );
        assert_eq!(parts.match_offsets.len(), parts.match_states as usize + 1);
        // Patterns anchored at the start: the search reaches the dead state and stops there.
        let anchored = ["^hi\\b", "^(?:lost|stolen) card"];
        let early = DenseTable::from_dfa(&dense_dfa_of(&anchored)).unwrap();
        let early_parts = early.stepping_parts().unwrap();
        for text in TEXTS.iter().chain(&[
            "hi there",
            "xhi",
            "lost card",
            " lost card",
            "hi 🙂",
            "🙂hi",
        ]) {
            assert_eq!(
                answers_from_parts(&parts, text),
                answers(&table, text).unwrap(),
                "{text:?}"
            );
            let mut hits = PatternHits::new(anchored.len());
            early.matching(text.as_bytes(), &mut hits).unwrap();
            let want: Vec<usize> = hits.sorted().iter().map(|&p| p as usize).collect();
            assert_eq!(
                answers_from_parts(&early_parts, text),
                want,
                "anchored patterns, {text:?}"
            );
        }
        assert_eq!(answers_from_parts(&early_parts, "hi card"), vec![0]);
        assert_eq!(answers_from_parts(&early_parts, "xhi"), Vec::<usize>::new());
        let after_x = 2
            * (early_parts.start as usize * early_parts.columns
                + usize::from(early_parts.classes[usize::from(b'x')]));
        assert_eq!(
            early_parts.transitions[after_x..after_x + 2],
            [0, 0],
            "\"x\" leads to the dead state"
        );
        // 4-byte ids are not handed out.
        assert!(widened(&table).stepping_parts().is_none());
    }

    /// Every text's answer from one batch call (texts searched [`LANES`] at once), by its index.
    fn batch_answers(
        table: &DenseTable,
        texts: &[&str],
    ) -> Result<Vec<Vec<usize>>, (usize, SearchError)> {
        let bytes: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        let mut hits: [PatternHits; LANES] =
            std::array::from_fn(|_| PatternHits::new(PATTERNS.len()));
        let mut answers = vec![None; texts.len()];
        table.matching_batch(&bytes, &mut hits, |index, found| {
            assert!(answers[index].is_none(), "text {index} answered twice");
            answers[index] = Some(found.sorted().iter().map(|&p| p as usize).collect());
        })?;
        Ok(answers
            .into_iter()
            .enumerate()
            .map(|(i, a)| a.unwrap_or_else(|| panic!("text {i} never answered")))
            .collect())
    }

    /// Texts from pieces that match, end inside characters and end early, with lengths that make lanes finish in
    /// every order.
    fn batch_texts() -> Vec<String> {
        let pieces = [
            "",
            "hi",
            " lost  card",
            "card",
            "£5",
            "€",
            "café",
            "zoë",
            "x",
            "ß",
            "🙂",
            " ",
            "cafe",
            "\u{80}",
        ];
        let mut state = 0x2545_f491u32;
        (0..200)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let parts = (state % 9) as usize;
                (0..parts)
                    .map(|k| pieces[(state as usize >> (k * 3)) % pieces.len()])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_batch_answers_every_text_as_its_own_search_does_whatever_lane_finishes_first() {
        let table = DenseTable::from_dfa(&dense_dfa()).unwrap();
        let wide = load(&widened(&table).to_bytes()).unwrap();
        let texts = batch_texts();
        let texts: Vec<&str> = texts
            .iter()
            .map(String::as_str)
            .chain(TEXTS.iter().copied())
            .collect();
        for table in [&table, &wide] {
            for count in [0, 1, 2, 3, 4, 5, 7, 64, texts.len()] {
                let batch = &texts[..count];
                let want: Vec<Vec<usize>> =
                    batch.iter().map(|t| answers(table, t).unwrap()).collect();
                assert_eq!(batch_answers(table, batch).unwrap(), want, "{count} texts");
            }
        }
        // The best pattern only: a lane stops at rank 0 (pattern 3, `^hi\b`) and takes the next text.
        let ranks = [3, 1, 2, 0, 4, 5];
        let bytes: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        let mut best: [BestPattern<'_>; LANES] = std::array::from_fn(|_| BestPattern::new(&ranks));
        let mut got = vec![None; texts.len()];
        table
            .matching_batch(&bytes, &mut best, |index, found| {
                got[index] = Some(found.rank())
            })
            .unwrap();
        for (text, got) in texts.iter().zip(got) {
            let mut one = BestPattern::new(&ranks);
            table.matching(text.as_bytes(), &mut one).unwrap();
            assert_eq!(got, Some(one.rank()), "{text:?}");
        }
    }

    #[test]
    fn a_batch_over_a_corrupt_table_fails_naming_a_text_whose_own_search_fails() {
        let bytes = DenseTable::from_dfa(&dense_dfa()).unwrap().to_bytes();
        let texts = batch_texts();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (mut failed, mut answered) = (0, 0);
        for at in (HEADER_BYTES..bytes.len()).step_by(7) {
            let mut corrupt = bytes.clone();
            corrupt[at] ^= 0xff;
            let Ok(table) = load(&corrupt) else { continue };
            let own: Vec<_> = texts.iter().map(|t| answers(&table, t)).collect();
            match batch_answers(&table, &texts) {
                Ok(batch) => {
                    answered += 1;
                    for (i, answer) in batch.into_iter().enumerate() {
                        assert_eq!(own[i].as_ref().ok(), Some(&answer), "byte {at}, text {i}");
                    }
                }
                Err((index, _)) => {
                    failed += 1;
                    assert!(
                        own[index].is_err(),
                        "byte {at}: text {index} is named but searches fine alone"
                    );
                }
            }
        }
        assert!(
            failed > 0 && answered > 0,
            "{failed} batches failed, {answered} answered"
        );
    }

    #[test]
    fn a_transition_past_the_last_state_is_an_error_with_either_id_width() {
        let table = DenseTable::from_dfa(&dense_dfa()).unwrap();
        let (states, columns) = (table.header.states, table.header.columns);
        let start_h = (table.start as usize * columns + table.header.class(b'h')) * 2;
        for bad in [states, states + 1, 0xffff] {
            let mut bytes = table.to_bytes();
            let at = bytes.len() - table.transitions.len() + start_h;
            bytes[at..at + 2].copy_from_slice(&(bad as u16).to_le_bytes());
            let damaged = load(&bytes).unwrap();
            let wide = widened(&damaged);
            for table in [&damaged, &wide] {
                // Each steps from the start state over "h" first.
                for text in ["h", "hi", "hi card"] {
                    let error = answers(table, text).unwrap_err().to_string();
                    assert!(
                        error.contains(&format!("state {bad} has no transition")),
                        "{text:?}: {error}"
                    );
                }
                let (index, _) =
                    batch_answers(table, &["x", "y", "z", "hi card", "w"]).unwrap_err();
                assert_eq!(index, 3);
            }
        }
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_or_an_answer_never_a_panic() {
        let bytes = DenseTable::from_dfa(&dense_dfa()).unwrap().to_bytes();
        let original = load(&bytes).unwrap();
        assert_eq!(original.to_bytes(), bytes, "round trip");
        for len in 0..bytes.len() {
            assert!(load(&bytes[..len]).is_err(), "truncated to {len} bytes");
        }
        let mut loaded = 0;
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[at] ^= flip;
                if let Ok(table) = load(&corrupt) {
                    loaded += 1;
                    for text in TEXTS {
                        let _ = answers(&table, text);
                    }
                }
            }
        }
        assert!(
            loaded > 0,
            "corrupt transitions load, and are caught (or not) while searching"
        );
    }
}
