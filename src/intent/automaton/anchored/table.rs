//! The set's DFA for matches that start at one given position (an *anchored* DFA), stored with sparse rows: the
//! precompiled half of the anchored form (module `search` runs it over every start position at once).
//!
//! Why anchored: an unanchored DFA must remember, in every state, each pattern that could be starting at every
//! position seen so far, so for large sets of phrases its states multiply (support-150: ~98,000 states, minutes to
//! determinize, a 57 MB table). Anchored at one position, the states are only the runs that started there: about
//! one per pattern byte, trie-like, most transitions dead. support-150's anchored DFA determinizes in 0.5 s and its
//! rows, stored as ranges of byte classes, take ~1 MB.
//!
//! Every lookup is bounds-checked while searching, as in module `dense`: loading is a copy of the bytes (or nothing
//! for a set compiled into the binary), and a corrupt table gives an error or a wrong answer, never a panic.
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 271 | the table header (module `header`) |
//! | 4·`C` | start states: of a run starting right after a byte of class `c` (column `c`), at the start of the text (column `C - 1`) |
//! | 4·(`M` + 1) + 4·`K` | the match lists (module `header`) |
//! | 4·(`S` + 1) | where each state's row starts in the list of ranges below (counted in ranges), and where it ends |
//! | (2 + `W`)·`R` | ranges: the last column of the range (2 bytes) and the target state (`W` bytes); a row's ranges ascend and its last one ends at column `C - 1` |

use crate::intent::automaton::header::{MatchLists, TableHeader, HEADER_BYTES};
use crate::intent::error::{LoadError, SearchError};
use crate::intent::wire::{id_at, Keep, Reader, Section};

/// An anchored multi-pattern DFA over sparse rows that may be borrowed from embedded bytes.
pub(crate) struct AnchoredTable {
    header: TableHeader,
    starts: Vec<u32>,
    matches: MatchLists,
    /// Row offsets, then ranges.
    rows: Section,
}

impl AnchoredTable {
    /// The header: columns, byte classes, which states match.
    pub(crate) fn header(&self) -> &TableHeader {
        &self.header
    }

    /// The state of a run that starts right after a byte of column `column`, or at the start of the text for the
    /// end-of-input column.
    pub(crate) fn start(&self, column: usize) -> u32 {
        self.starts[column]
    }

    /// Bytes the same states would take as a dense table with 2-byte ids (what deciding between the forms
    /// compares with `dfaSizeLimit`).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn dense_size(&self) -> usize {
        self.header.states as usize * self.header.columns * 2
    }

    /// How many patterns the automaton was built from.
    pub(crate) fn pattern_len(&self) -> usize {
        self.header.pattern_len
    }

    /// Where `state` goes on `column`.
    pub(crate) fn next(&self, state: u32, column: usize) -> Result<u32, SearchError> {
        let states = self.header.states;
        if state >= states {
            return Err(corrupt(format!("state {state} out of range")));
        }
        let rows: &[u8] = &self.rows;
        let u32_at = |at: usize| match rows.get(at..at + 4) {
            Some(&[a, b, c, d]) => Ok(u32::from_le_bytes([a, b, c, d]) as usize),
            _ => Err(corrupt(format!("no row offset at byte {at}"))),
        };
        let first = u32_at(4 * state as usize)?;
        let end = u32_at(4 * state as usize + 4)?;
        let ranges_at = 4 * (states as usize + 1);
        let entry = 2 + self.header.width;
        let last_column = |i: usize| -> Result<usize, SearchError> {
            let at = ranges_at + i * entry;
            match rows.get(at..at + 2) {
                Some(&[a, b]) => Ok(usize::from(u16::from_le_bytes([a, b]))),
                _ => Err(corrupt(format!("no range at byte {at}"))),
            }
        };
        // The first range of the row whose last column is at or after `column`.
        let (mut low, mut high) = (first, end);
        while low < high {
            let mid = low + (high - low) / 2;
            if last_column(mid)? < column {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        if low >= end {
            return Err(corrupt(format!(
                "state {state} has no range for column {column}"
            )));
        }
        let at = ranges_at + low * entry + 2;
        let target = id_at(rows, at, self.header.width)
            .ok_or_else(|| corrupt(format!("no target at byte {at}")))?;
        if target >= states {
            return Err(corrupt(format!("target state {target} out of range")));
        }
        Ok(target)
    }

    /// The patterns match state `state` reports.
    pub(crate) fn patterns_of(&self, state: u32) -> &[u32] {
        self.matches.of(state)
    }

    /// Bytes the table reads (in the binary's data for an embedded set).
    pub(crate) fn memory_usage(&self) -> usize {
        self.rows.len() + 4 * self.starts.len() + self.matches.memory_usage()
    }

    /// The layout above.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_BYTES + self.memory_usage());
        self.header.write(&mut out);
        for n in &self.starts {
            out.extend_from_slice(&n.to_le_bytes());
        }
        self.matches.write(&mut out);
        out.extend_from_slice(&self.rows);
        out
    }

    /// Reads the layout above. The header, start states and match lists are checked here (O(match states)); rows
    /// are checked as searches read them. `keep` makes the [`Section`] holding the rows from their range in `bytes`.
    pub(crate) fn from_bytes(bytes: &[u8], keep: impl Keep) -> Result<Self, LoadError> {
        let mut r = Reader::new(bytes);
        let header = TableHeader::read(&mut r)?;
        let starts = (0..header.columns)
            .map(|_| header.read_state(&mut r, "a start state"))
            .collect::<Result<Vec<u32>, _>>()?;
        let matches = MatchLists::read(&mut r, &header)?;
        let (states, width) = (header.states as usize, header.width);
        let at = r.at();
        let rows = r.rest();
        let ranges_at = 4 * (states + 1);
        if rows.len() < ranges_at || (rows.len() - ranges_at) % (2 + width) != 0 {
            return Err(LoadError::invalid(
                "the rows",
                format!(
                    "({} bytes for {states} states) do not make whole ranges",
                    rows.len()
                ),
            ));
        }
        let last_end = &rows[ranges_at - 4..ranges_at];
        let last_end = u32::from_le_bytes(last_end.try_into().expect("4 bytes")) as usize;
        if last_end != (rows.len() - ranges_at) / (2 + width) {
            return Err(LoadError::invalid(
                "the rows",
                format!(
                    "end at range {last_end}, the table holds {}",
                    (rows.len() - ranges_at) / (2 + width)
                ),
            ));
        }
        Ok(AnchoredTable {
            header,
            starts,
            matches,
            rows: keep(at..at + rows.len()),
        })
    }

    /// Tabulates an anchored dense DFA (`MatchKind::All`, `StartKind::Anchored`, no quit bytes): every state
    /// reachable from its start states, the dead state first, then the match states. Fails when the DFA's byte
    /// classes do not tell apart the bytes that start runs in different states (the search keys start states by
    /// class).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn from_dfa(
        dfa: &crate::intent::automaton::tabulate::DenseDfa,
    ) -> Result<Self, crate::intent::error::BuildError> {
        use crate::intent::automaton::tabulate::{reachable_states, transitions, StateNumbering};
        use crate::intent::error::BuildError;
        use crate::intent::wire::push_id;
        use regex_automata::dfa::Automaton;
        use regex_automata::util::primitives::StateID;
        use regex_automata::util::start;
        use regex_automata::Anchored;

        let byte_classes = dfa.byte_classes();
        let columns = byte_classes.alphabet_len();
        let start_after = |byte: Option<u8>| {
            dfa.start_state(
                &start::Config::new()
                    .anchored(Anchored::Yes)
                    .look_behind(byte),
            )
            .map_err(|_| BuildError::Table("the DFA has no anchored start state"))
        };
        let mut starts = vec![StateID::ZERO; columns];
        starts[columns - 1] = start_after(None)?;
        let mut start_seen = vec![false; columns];
        for byte in 0..=255u8 {
            let class = usize::from(byte_classes.get(byte));
            let state = start_after(Some(byte))?;
            if !start_seen[class] {
                starts[class] = state;
                start_seen[class] = true;
            } else if starts[class] != state {
                return Err(BuildError::Table(
                    "bytes of one byte class start runs in different states",
                ));
            }
        }
        if starts.iter().any(|&start| dfa.is_match_state(start)) {
            return Err(BuildError::Table("a start state is a match state"));
        }
        let numbering = StateNumbering::new(dfa, &reachable_states(dfa, &starts)?)?;
        let header = numbering.header(dfa);
        let id = |s: StateID| numbering.id(dfa, s);
        let mut offsets = Vec::with_capacity(4 * (numbering.states.len() + 1));
        let mut ranges = Vec::new();
        let mut range_count = 0u32;
        let mut row = Vec::with_capacity(columns);
        for &state in &numbering.states {
            offsets.extend_from_slice(&range_count.to_le_bytes());
            transitions(dfa, state, &mut row);
            let targets: Vec<u32> = row.iter().map(|&to| id(to)).collect();
            for (column, &target) in targets.iter().enumerate() {
                // A range ends where the next column goes elsewhere (or at the last column).
                if targets.get(column + 1) == Some(&target) {
                    continue;
                }
                ranges.extend_from_slice(&(column as u16).to_le_bytes());
                push_id(&mut ranges, target, header.width);
                range_count += 1;
            }
        }
        offsets.extend_from_slice(&range_count.to_le_bytes());
        offsets.extend_from_slice(&ranges);
        Ok(AnchoredTable {
            starts: starts.into_iter().map(id).collect(),
            matches: numbering.match_lists(dfa),
            header,
            rows: Section::owned(offsets),
        })
    }
}

fn corrupt(detail: String) -> SearchError {
    SearchError::CorruptTable {
        table: "anchored DFA",
        detail,
    }
}

#[cfg(all(test, feature = "compiler", not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::intent::automaton::anchored::search::tests::{answers, table, TEXTS};
    use crate::intent::automaton::anchored::search::RunSets;

    fn load(bytes: &[u8]) -> Result<AnchoredTable, LoadError> {
        AnchoredTable::from_bytes(bytes, |range| Section::owned(bytes[range].to_vec()))
    }

    /// The same table with 4-byte state ids (what an anchored DFA of more than 65,536 states gets).
    fn widened(table: &AnchoredTable) -> AnchoredTable {
        let offsets = 4 * (table.header.states as usize + 1);
        let mut rows = table.rows[..offsets].to_vec();
        for entry in table.rows[offsets..].chunks_exact(4) {
            rows.extend_from_slice(&entry[..2]);
            rows.extend_from_slice(
                &u32::from(u16::from_le_bytes([entry[2], entry[3]])).to_le_bytes(),
            );
        }
        AnchoredTable {
            header: TableHeader {
                width: 4,
                ..table.header.clone()
            },
            rows: Section::owned(rows),
            starts: table.starts.clone(),
            matches: table.matches.clone(),
        }
    }

    #[test]
    fn round_trips_and_answers_alike_with_either_id_width() {
        let table = table();
        assert_eq!(table.header.width, 2);
        let bytes = table.to_bytes();
        let loaded = load(&bytes).unwrap();
        assert_eq!(loaded.to_bytes(), bytes, "round trip");
        let wide = load(&widened(&table).to_bytes()).unwrap();
        for text in TEXTS {
            let mut cache = RunSets::new(table.header.columns, 1 << 20);
            let want = answers(&table, &mut cache, text).unwrap();
            let mut cache = RunSets::new(loaded.header.columns, 1 << 20);
            assert_eq!(
                answers(&loaded, &mut cache, text).unwrap(),
                want,
                "{text:?}"
            );
            let mut cache = RunSets::new(wide.header.columns, 1 << 20);
            assert_eq!(
                answers(&wide, &mut cache, text).unwrap(),
                want,
                "4-byte ids, {text:?}"
            );
        }
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_or_an_answer_never_a_panic() {
        let bytes = table().to_bytes();
        for len in 0..bytes.len() {
            assert!(load(&bytes[..len]).is_err(), "truncated to {len} bytes");
        }
        let (mut loaded, mut failed_searches) = (0, 0);
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[at] ^= flip;
                if let Ok(table) = load(&corrupt) {
                    loaded += 1;
                    let mut cache = RunSets::new(table.header.columns, 1 << 16);
                    for text in TEXTS {
                        failed_searches += usize::from(answers(&table, &mut cache, text).is_err());
                    }
                }
            }
        }
        assert!(
            loaded > 0,
            "corrupt rows load, and are caught (or not) while searching"
        );
        assert!(
            failed_searches > 0,
            "no corruption was caught while searching"
        );
    }
}
