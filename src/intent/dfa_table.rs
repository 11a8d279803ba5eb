//! A fully determinized set automaton stored as a flat transition table: what a precompiled set loads in place,
//! with no validation pass.
//!
//! The DFA itself comes from `regex-automata`'s dense determinizer (ahead of time, natively:
//! [`DfaTable::from_dense`]). Its own serialization is not what precompiled sets store, for two reasons:
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
//! | 4 | state count `S` (state 0 is the dead state) |
//! | 4 | match state count `M`: states `1..=M` are the match states |
//! | 4 | start state (of an unanchored search from the start of a text) |
//! | 4 | pattern count (every pattern id is below it) |
//! | 2 | classes per row `C`: the byte classes, then end-of-input in column `C - 1` |
//! | 1 | state id width `W`: 2 or 4 bytes |
//! | 256 | the byte → class map |
//! | 4·(`M` + 1) | where each match state's patterns start in the list below, and where the list ends |
//! | 4·`K` | the match states' pattern ids |
//! | `S`·`C`·`W` | transitions, row by row |

use super::precompiled::{Reader, Section};
use super::table_parts::{check_shape, id_at, MatchLists};
use regex_automata::PatternSet;
use std::ops::Range;

/// The dead state: no pattern can match any more.
const DEAD: u32 = 0;

/// A determinized multi-pattern automaton over a transition table that may be borrowed from embedded bytes.
pub(crate) struct DfaTable {
    states: u32,
    match_states: u32,
    start: u32,
    pattern_len: usize,
    stride: usize,
    width: usize,
    classes: [u8; 256],
    matches: MatchLists,
    transitions: Section,
}

impl DfaTable {
    /// Adds every pattern that matches somewhere in `text` to `matched` (sized for at least `pattern_len`).
    pub(crate) fn matching(&self, text: &[u8], matched: &mut PatternSet) -> Result<(), String> {
        match self.width {
            2 => self.search::<2>(text, matched),
            _ => self.search::<4>(text, matched),
        }
    }

    fn search<const W: usize>(&self, text: &[u8], matched: &mut PatternSet) -> Result<(), String> {
        let table: &[u8] = &self.transitions;
        let mut state = self.start;
        for &byte in text {
            state = self.next::<W>(table, state, usize::from(self.classes[usize::from(byte)]))?;
            if state <= self.match_states {
                if state == DEAD {
                    return Ok(());
                }
                self.matches.add(state, matched).map_err(corrupt)?;
                if matched.is_full() {
                    return Ok(());
                }
            }
        }
        state = self.next::<W>(table, state, self.stride - 1)?;
        if state != DEAD && state <= self.match_states {
            self.matches.add(state, matched).map_err(corrupt)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn next<const W: usize>(&self, table: &[u8], state: u32, class: usize) -> Result<u32, String> {
        if state >= self.states {
            return Err(corrupt(format!("state {state} out of range")));
        }
        let at = (state as usize * self.stride + class) * W;
        id_at(table, at, W).ok_or_else(|| corrupt(format!("no transition at byte {at}")))
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        self.pattern_len
    }

    /// Bytes the automaton reads: its transition table (in the binary's data for an embedded set) and match
    /// lists.
    pub(crate) fn memory_usage(&self) -> usize {
        self.transitions.len() + self.matches.memory_usage()
    }

    /// The layout above.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(275 + self.memory_usage());
        for n in [self.states, self.match_states, self.start] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&(self.pattern_len as u32).to_le_bytes());
        out.extend_from_slice(&(self.stride as u16).to_le_bytes());
        out.push(self.width as u8);
        out.extend_from_slice(&self.classes);
        self.matches.write(&mut out);
        out.extend_from_slice(&self.transitions);
        out
    }

    /// Reads the layout above. The header and match lists are checked here (O(match states)); transitions are
    /// checked as searches read them. `keep` makes the [`Section`] holding the transitions from their range in
    /// `bytes`.
    pub(crate) fn from_bytes(
        bytes: &[u8],
        keep: impl FnOnce(Range<usize>) -> Section,
    ) -> Result<Self, String> {
        let mut r = Reader::new(bytes);
        let states = r.u32("the state count")?;
        let match_states = r.u32("the match state count")?;
        let start = r.u32("the start state")?;
        let pattern_len = r.u32("the pattern count")?;
        let stride = usize::from(u16::from_le_bytes(
            r.take(2, "the row width")?.try_into().expect("2 bytes"),
        ));
        let width = usize::from(r.take(1, "the state id width")?[0]);
        let mut classes = [0u8; 256];
        classes.copy_from_slice(r.take(256, "the byte classes")?);
        check_shape(states, width, &classes, stride)?;
        if states == 0 || match_states >= states || start >= states {
            return Err(format!(
                "{states} states, {match_states} match states and start state {start} do not fit together"
            ));
        }
        let matches = MatchLists::read(&mut r, match_states, pattern_len)?;
        let table_len = states
            .checked_mul(stride)
            .and_then(|n| n.checked_mul(width))
            .ok_or("table size overflows")?;
        if r.remaining() != table_len {
            return Err(format!(
                "the transitions take {} bytes, {states} states × {stride} classes × {width} need {table_len}",
                r.remaining()
            ));
        }
        let transitions = keep(r.at()..r.at() + table_len);
        Ok(DfaTable {
            states: states as u32,
            match_states: match_states as u32,
            start: start as u32,
            pattern_len,
            stride,
            width,
            classes,
            matches,
            transitions,
        })
    }

    /// Tabulates a dense DFA (`MatchKind::All`, unanchored, no quit bytes): every state reachable from the start
    /// of a text, the dead state first, then the match states.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn from_dense(
        dfa: &regex_automata::dfa::dense::DFA<Vec<u32>>,
    ) -> Result<Self, String> {
        use super::table_parts::{
            byte_class_map, push_id, reachable_states, transitions, StateNumbering,
        };
        use regex_automata::dfa::Automaton;

        let start = dfa
            .start_state_forward(&regex_automata::Input::new(""))
            .map_err(|e| e.to_string())?;
        let byte_classes = dfa.byte_classes();
        let stride = byte_classes.alphabet_len();
        // The dead state first (even when unreachable), then the match states, then the rest.
        let numbering = StateNumbering::new(dfa, &reachable_states(dfa, &[start])?)?;
        let width = numbering.width();
        let mut table = Vec::with_capacity(numbering.states.len() * stride * width);
        let mut row = Vec::with_capacity(stride);
        for &state in &numbering.states {
            transitions(dfa, state, &mut row);
            for &to in &row {
                push_id(&mut table, numbering.id(dfa, to), width);
            }
        }
        Ok(DfaTable {
            states: numbering.states.len() as u32,
            match_states: numbering.match_states as u32,
            start: numbering.id(dfa, start),
            pattern_len: dfa.pattern_len(),
            stride,
            width,
            classes: byte_class_map(byte_classes),
            matches: numbering.match_lists(dfa),
            transitions: Section::owned(table),
        })
    }
}

fn corrupt(detail: String) -> String {
    format!("corrupt DFA table: {detail}")
}

#[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::intent::config::MatchOptions;
    use crate::intent::syntax;
    use regex_automata::dfa::{dense, Automaton, StartKind};
    use regex_automata::nfa::thompson::WhichCaptures;
    use regex_automata::{Input, MatchKind};

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
        let options = MatchOptions::default();
        let hirs: Vec<_> = PATTERNS
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

    fn load(bytes: &[u8]) -> Result<DfaTable, String> {
        DfaTable::from_bytes(bytes, |range| Section::owned(bytes[range].to_vec()))
    }

    fn answers(table: &DfaTable, text: &str) -> Result<Vec<usize>, String> {
        let mut matched = PatternSet::new(PATTERNS.len());
        table.matching(text.as_bytes(), &mut matched)?;
        Ok(matched.iter().map(|p| p.as_usize()).collect())
    }

    /// The same table with 4-byte state ids (what a DFA of more than 65,536 states gets).
    fn widened(table: &DfaTable) -> DfaTable {
        let transitions = table
            .transitions
            .chunks_exact(2)
            .flat_map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])).to_le_bytes())
            .collect();
        DfaTable {
            width: 4,
            transitions: Section::owned(transitions),
            matches: table.matches.clone(),
            ..*table
        }
    }

    #[test]
    fn table_answers_like_the_dense_dfa_it_came_from_with_either_id_width() {
        let dfa = dense_dfa();
        let table = DfaTable::from_dense(&dfa).unwrap();
        assert_eq!(table.width, 2);
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

    #[test]
    fn every_truncation_and_corruption_is_an_error_or_an_answer_never_a_panic() {
        let bytes = DfaTable::from_dense(&dense_dfa()).unwrap().to_bytes();
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
