//! What the two tables determinized ahead of time (modules `dfa_table` and `anchored_table`) share: the patterns
//! each match state reports, and (natively, when tabulating) the numbering of a `regex-automata` DFA's states.

use super::precompiled::Reader;
use regex_automata::{PatternID, PatternSet};

/// The patterns of match states `1..=M`: state `s` reports `patterns[offsets[s - 1]..offsets[s]]`.
///
/// Serialized as `4·(M + 1)` bytes of offsets then `4·K` bytes of pattern ids, little-endian.
#[derive(Clone)]
pub(crate) struct MatchLists {
    offsets: Vec<u32>,
    patterns: Vec<u32>,
}

impl MatchLists {
    /// Adds the patterns of match state `state` (in `1..=M`) to `matched` (sized for at least the pattern count).
    pub(crate) fn add(&self, state: u32, matched: &mut PatternSet) -> Result<(), String> {
        let index = state as usize - 1;
        let range = self.offsets[index] as usize..self.offsets[index + 1] as usize;
        for &pattern in &self.patterns[range] {
            // Pattern ids were checked against the pattern count when loading.
            matched
                .try_insert(PatternID::new_unchecked(pattern as usize))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Bytes held (and written).
    pub(crate) fn memory_usage(&self) -> usize {
        4 * (self.offsets.len() + self.patterns.len())
    }

    /// Appends the layout above.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        for n in self.offsets.iter().chain(&self.patterns) {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }

    /// Reads the layout above for `match_states` states, checking that offsets ascend and every pattern id is below
    /// `pattern_len`.
    pub(crate) fn read(
        r: &mut Reader<'_>,
        match_states: usize,
        pattern_len: usize,
    ) -> Result<Self, String> {
        let offsets = read_u32s(r, match_states + 1, "the match offsets")?;
        if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err("match offsets are not ascending from 0".into());
        }
        let patterns = read_u32s(r, offsets[match_states] as usize, "the match patterns")?;
        if let Some(p) = patterns.iter().find(|&&p| p as usize >= pattern_len) {
            return Err(format!(
                "pattern {p} in a match state, of {pattern_len} patterns"
            ));
        }
        Ok(MatchLists { offsets, patterns })
    }
}

/// The state id at byte `at` of `bytes`, `width` (2 or 4) bytes little-endian; `None` past the end.
#[inline(always)]
pub(crate) fn id_at(bytes: &[u8], at: usize, width: usize) -> Option<u32> {
    match *bytes.get(at..at + width)? {
        [a, b] => Some(u32::from(u16::from_le_bytes([a, b]))),
        [a, b, c, d] => Some(u32::from_le_bytes([a, b, c, d])),
        _ => None,
    }
}

/// Checks what both table headers declare alike: 2- or 4-byte ids enough for `states`, and every byte class a
/// column of rows `columns` wide whose last column is end-of-input.
pub(crate) fn check_shape(
    states: usize,
    width: usize,
    classes: &[u8; 256],
    columns: usize,
) -> Result<(), String> {
    if !(width == 2 || width == 4) {
        return Err(format!("state id width {width}: must be 2 or 4"));
    }
    if width == 2 && states > 1 << 16 {
        return Err(format!("{states} states do not fit 2-byte ids"));
    }
    if let Some(class) = classes.iter().find(|&&c| usize::from(c) + 1 >= columns) {
        return Err(format!(
            "byte class {class} outside rows of {columns} columns"
        ));
    }
    Ok(())
}

/// `count` little-endian `u32`s.
pub(crate) fn read_u32s(r: &mut Reader<'_>, count: usize, what: &str) -> Result<Vec<u32>, String> {
    let raw = r.take(count.checked_mul(4).ok_or("length overflows")?, what)?;
    Ok(raw
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
pub(crate) use tabulating::{
    byte_class_map, push_id, reachable_states, transitions, StateNumbering,
};

#[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
mod tabulating {
    use super::MatchLists;
    use regex_automata::dfa::{dense, Automaton};
    use regex_automata::util::alphabet::ByteClasses;
    use regex_automata::util::primitives::StateID;
    use std::collections::{HashMap, HashSet};

    /// Where `state` goes on each column of a table row: every byte class in order, then end-of-input.
    pub(crate) fn transitions(dfa: &dense::DFA<Vec<u32>>, state: StateID, row: &mut Vec<StateID>) {
        let classes = dfa.byte_classes();
        row.clear();
        row.resize(classes.alphabet_len(), StateID::ZERO);
        for byte in classes.representatives(..).filter_map(|unit| unit.as_u8()) {
            row[usize::from(classes.get(byte))] = dfa.next_state(state, byte);
        }
        row[classes.alphabet_len() - 1] = dfa.next_eoi_state(state);
    }

    /// Every state reachable from `starts` (them included), in breadth-first order. Fails on quit states, which
    /// neither table represents.
    pub(crate) fn reachable_states(
        dfa: &dense::DFA<Vec<u32>>,
        starts: &[StateID],
    ) -> Result<Vec<StateID>, String> {
        let mut seen: HashSet<StateID> = HashSet::new();
        let mut order: Vec<StateID> = starts.iter().copied().filter(|&s| seen.insert(s)).collect();
        let mut row = Vec::new();
        let mut next = 0;
        while let Some(&state) = order.get(next) {
            next += 1;
            if dfa.is_quit_state(state) {
                return Err("the DFA has quit bytes, which a table cannot represent".into());
            }
            transitions(dfa, state, &mut row);
            order.extend(row.iter().copied().filter(|&to| seen.insert(to)));
        }
        Ok(order)
    }

    /// Appends state id `id` in `width` (2 or 4) bytes, little-endian.
    pub(crate) fn push_id(out: &mut Vec<u8>, id: u32, width: usize) {
        if width == 2 {
            out.extend_from_slice(&(id as u16).to_le_bytes());
        } else {
            out.extend_from_slice(&id.to_le_bytes());
        }
    }

    /// A DFA's reachable states numbered the way both tables store them: the dead state 0, then the match states
    /// `1..=M`, then the rest.
    pub(crate) struct StateNumbering {
        /// The DFA's state of each table state.
        pub(crate) states: Vec<StateID>,
        pub(crate) match_states: usize,
        index: HashMap<StateID, u32>,
    }

    impl StateNumbering {
        /// Numbers `reachable` (every state a search can reach, in any order, without duplicates).
        pub(crate) fn new(
            dfa: &dense::DFA<Vec<u32>>,
            reachable: &[StateID],
        ) -> Result<Self, String> {
            let dead = StateID::ZERO;
            if !dfa.is_dead_state(dead) {
                return Err("the DFA's state 0 is not its dead state".into());
            }
            let mut states: Vec<StateID> = vec![dead];
            states.extend(reachable.iter().filter(|&&s| dfa.is_match_state(s)));
            let match_states = states.len() - 1;
            states.extend(
                reachable
                    .iter()
                    .filter(|&&s| !dfa.is_match_state(s) && !dfa.is_dead_state(s)),
            );
            let index = states
                .iter()
                .enumerate()
                .map(|(i, &s)| (s, i as u32))
                .collect();
            Ok(StateNumbering {
                states,
                match_states,
                index,
            })
        }

        /// The table number of DFA state `state` (0 for any dead state).
        pub(crate) fn id(&self, dfa: &dense::DFA<Vec<u32>>, state: StateID) -> u32 {
            if dfa.is_dead_state(state) {
                0
            } else {
                self.index[&state]
            }
        }

        /// 2 when every number fits 2 bytes, else 4.
        pub(crate) fn width(&self) -> usize {
            if self.states.len() <= 1 << 16 {
                2
            } else {
                4
            }
        }

        /// The patterns each match state reports.
        pub(crate) fn match_lists(&self, dfa: &dense::DFA<Vec<u32>>) -> MatchLists {
            let mut offsets = vec![0u32];
            let mut patterns = Vec::new();
            for &state in &self.states[1..=self.match_states] {
                for i in 0..dfa.match_len(state) {
                    patterns.push(dfa.match_pattern(state, i).as_u32());
                }
                offsets.push(patterns.len() as u32);
            }
            MatchLists { offsets, patterns }
        }
    }

    /// The byte → class map of `classes`.
    pub(crate) fn byte_class_map(classes: &ByteClasses) -> [u8; 256] {
        let mut map = [0u8; 256];
        for (byte, class) in map.iter_mut().enumerate() {
            *class = classes.get(byte as u8);
        }
        map
    }
}
