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
use super::hits::{splits_a_character, Found};
use crate::intent::error::{LoadError, SearchError};
use crate::intent::wire::{id_at, Keep, Reader, Section};

/// A determinized multi-pattern automaton over a transition table that may be borrowed from embedded bytes.
pub(crate) struct DenseTable {
    header: TableHeader,
    start: u32,
    matches: MatchLists,
    transitions: Section,
}

impl DenseTable {
    /// Adds every pattern that matches somewhere in `text` to `hits`.
    pub(crate) fn matching(&self, text: &[u8], hits: &mut impl Found) -> Result<(), SearchError> {
        match self.header.width {
            2 => self.search::<2>(text, hits),
            _ => self.search::<4>(text, hits),
        }
    }

    fn search<const W: usize>(
        &self,
        text: &[u8],
        hits: &mut impl Found,
    ) -> Result<(), SearchError> {
        let table: &[u8] = &self.transitions;
        let mut state = self.start;
        for &byte in text {
            state = self.next::<W>(table, state, self.header.class(byte))?;
            if state <= self.header.match_states {
                if state == DEAD {
                    return Ok(());
                }
                if splits_a_character(byte) {
                    continue;
                }
                self.matches.add(state, hits).map_err(corrupt)?;
                if hits.is_full() {
                    return Ok(());
                }
            }
        }
        state = self.next::<W>(table, state, self.header.end_of_input())?;
        if self.header.is_match(state) {
            self.matches.add(state, hits).map_err(corrupt)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn next<const W: usize>(
        &self,
        table: &[u8],
        state: u32,
        class: usize,
    ) -> Result<u32, SearchError> {
        if state >= self.header.states {
            return Err(corrupt(format!("state {state} out of range")));
        }
        let at = (state as usize * self.header.columns + class) * W;
        id_at(table, at, W).ok_or_else(|| corrupt(format!("no transition at byte {at}")))
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

fn corrupt(detail: String) -> SearchError {
    SearchError::CorruptTable {
        table: "DFA",
        detail,
    }
}

#[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::intent::automaton::hits::PatternHits;
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
