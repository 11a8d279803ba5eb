//! Turning a `regex-automata` dense DFA (determinized ahead of time, natively) into this crate's tables: which
//! states a search can reach, how they are numbered (the dead state 0, then the match states, then the rest: see
//! module `header`), where each goes on each column, and the header and match lists that describe them.

use super::header::{MatchLists, TableHeader};
use crate::intent::error::BuildError;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::primitives::StateID;
use std::collections::{HashMap, HashSet};

/// The DFAs this module tabulates.
pub(crate) type DenseDfa = dense::DFA<Vec<u32>>;

/// Where `state` goes on each column of a table row: every byte class in order, then end-of-input.
pub(crate) fn transitions(dfa: &DenseDfa, state: StateID, row: &mut Vec<StateID>) {
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
    dfa: &DenseDfa,
    starts: &[StateID],
) -> Result<Vec<StateID>, BuildError> {
    let mut seen: HashSet<StateID> = HashSet::new();
    let mut order: Vec<StateID> = starts.iter().copied().filter(|&s| seen.insert(s)).collect();
    let mut row = Vec::new();
    let mut next = 0;
    while let Some(&state) = order.get(next) {
        next += 1;
        if dfa.is_quit_state(state) {
            return Err(BuildError::Table("the DFA has quit bytes"));
        }
        transitions(dfa, state, &mut row);
        order.extend(row.iter().copied().filter(|&to| seen.insert(to)));
    }
    Ok(order)
}

/// A DFA's reachable states numbered the way both tables store them: the dead state 0, then the match states
/// `1..=M`, then the rest.
pub(crate) struct StateNumbering {
    /// The DFA's state of each table state.
    pub(crate) states: Vec<StateID>,
    match_states: usize,
    index: HashMap<StateID, u32>,
}

impl StateNumbering {
    /// Numbers `reachable` (every state a search can reach, in any order, without duplicates).
    pub(crate) fn new(dfa: &DenseDfa, reachable: &[StateID]) -> Result<Self, BuildError> {
        let dead = StateID::ZERO;
        if !dfa.is_dead_state(dead) {
            return Err(BuildError::Table("the DFA's state 0 is not its dead state"));
        }
        let mut states: Vec<StateID> = vec![dead];
        states.extend(reachable.iter().filter(|&&s| dfa.is_match_state(s)));
        let match_states = states.len() - 1;
        states.extend(
            reachable
                .iter()
                .filter(|&&s| !dfa.is_match_state(s) && !dfa.is_dead_state(s)),
        );
        if states.len() > u32::MAX as usize / 2 {
            return Err(BuildError::Table("more states than a table can number"));
        }
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
    pub(crate) fn id(&self, dfa: &DenseDfa, state: StateID) -> u32 {
        if dfa.is_dead_state(state) {
            0
        } else {
            self.index[&state]
        }
    }

    /// The header of a table of these states: 2-byte ids when every number fits, else 4.
    pub(crate) fn header(&self, dfa: &DenseDfa) -> TableHeader {
        let byte_classes = dfa.byte_classes();
        let mut classes = [0u8; 256];
        for (byte, class) in classes.iter_mut().enumerate() {
            *class = byte_classes.get(byte as u8);
        }
        TableHeader {
            states: self.states.len() as u32,
            match_states: self.match_states as u32,
            pattern_len: dfa.pattern_len(),
            columns: byte_classes.alphabet_len(),
            width: if self.states.len() <= 1 << 16 { 2 } else { 4 },
            classes,
        }
    }

    /// The patterns each match state reports.
    pub(crate) fn match_lists(&self, dfa: &DenseDfa) -> MatchLists {
        let mut offsets = vec![0u32];
        let mut patterns = Vec::new();
        for &state in &self.states[1..=self.match_states] {
            for i in 0..dfa.match_len(state) {
                patterns.push(dfa.match_pattern(state, i).as_u32());
            }
            offsets.push(patterns.len() as u32);
        }
        MatchLists::new(offsets, patterns)
    }
}
