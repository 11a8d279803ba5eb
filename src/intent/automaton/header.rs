//! What the two tables determinized ahead of time (modules `dense` and `anchored::table`) declare alike: a
//! [`TableHeader`] (state counts, row width, id width, the byte → class map) and the [`MatchLists`] saying which
//! patterns each match state reports.
//!
//! Both tables number their states the same way: state 0 is the dead state (no pattern can match any more), states
//! `1..=M` are the match states, the rest follow. Layout of the header, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 4 | state count `S` |
//! | 4 | match state count `M` |
//! | 4 | pattern count (every pattern id is below it) |
//! | 2 | columns `C` of a row: the byte classes, then end-of-input in column `C - 1` |
//! | 1 | state id width `W`: 2 or 4 bytes |
//! | 256 | the byte → class map |

use super::hits::Found;
use crate::intent::error::LoadError;
use crate::intent::wire::Reader;

/// The dead state: no pattern can match any more.
pub(crate) const DEAD: u32 = 0;

/// Bytes [`TableHeader::write`] writes.
pub(crate) const HEADER_BYTES: usize = 4 + 4 + 4 + 2 + 1 + 256;

/// The shape of a table (see the module docs).
#[derive(Clone)]
pub(crate) struct TableHeader {
    pub(crate) states: u32,
    pub(crate) match_states: u32,
    pub(crate) pattern_len: usize,
    pub(crate) columns: usize,
    pub(crate) width: usize,
    pub(crate) classes: [u8; 256],
}

impl TableHeader {
    /// The column of `byte`.
    #[inline(always)]
    pub(crate) fn class(&self, byte: u8) -> usize {
        usize::from(self.classes[usize::from(byte)])
    }

    /// The column end-of-input takes.
    pub(crate) fn end_of_input(&self) -> usize {
        self.columns - 1
    }

    /// Whether `state` reports patterns.
    #[inline(always)]
    pub(crate) fn is_match(&self, state: u32) -> bool {
        state != DEAD && state <= self.match_states
    }

    /// Appends the layout above.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        for n in [self.states, self.match_states, self.pattern_len as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&(self.columns as u16).to_le_bytes());
        out.push(self.width as u8);
        out.extend_from_slice(&self.classes);
    }

    /// Reads the layout above and checks that it holds together: 2- or 4-byte ids enough for the states, match
    /// states among them, every byte class a column before end-of-input.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, LoadError> {
        let states = r.u32("the state count")?;
        let match_states = r.u32("the match state count")?;
        let pattern_len = r.u32("the pattern count")?;
        let columns = usize::from(r.u16("the column count")?);
        let width = usize::from(r.u8("the state id width")?);
        let mut classes = [0u8; 256];
        classes.copy_from_slice(r.take(256, "the byte classes")?);
        if !(width == 2 || width == 4) {
            return Err(LoadError::invalid(
                "state id width",
                format!("{width}: must be 2 or 4"),
            ));
        }
        if width == 2 && states > 1 << 16 {
            return Err(LoadError::invalid(
                "state count",
                format!("{states} does not fit 2-byte ids"),
            ));
        }
        // Below half the u32 range: searches may flag ids and name rows by where they start.
        if states == 0 || match_states >= states || states > u32::MAX as usize / 2 {
            return Err(LoadError::invalid(
                "state counts",
                format!("{states} states and {match_states} match states do not fit together"),
            ));
        }
        if let Some(class) = classes.iter().find(|&&c| usize::from(c) + 1 >= columns) {
            return Err(LoadError::invalid(
                "byte class",
                format!("{class} outside rows of {columns} columns"),
            ));
        }
        Ok(TableHeader {
            states: states as u32,
            match_states: match_states as u32,
            pattern_len,
            columns,
            width,
            classes,
        })
    }

    /// Reads a state id that must name a state (`what` says which).
    pub(crate) fn read_state(
        &self,
        r: &mut Reader<'_>,
        what: &'static str,
    ) -> Result<u32, LoadError> {
        let state = r.u32(what)?;
        if state >= self.states as usize {
            return Err(LoadError::invalid(
                what,
                format!("{state} is not one of {} states", self.states),
            ));
        }
        Ok(state as u32)
    }
}

/// The patterns of match states `1..=M`: state `s` reports `patterns[offsets[s - 1]..offsets[s]]`.
///
/// Serialized as `4·(M + 1)` bytes of offsets then `4·K` bytes of pattern ids, little-endian.
#[derive(Clone)]
pub(crate) struct MatchLists {
    offsets: Vec<u32>,
    patterns: Vec<u32>,
}

impl MatchLists {
    /// Lists from their parts: `offsets` ascending from 0, one more than there are match states.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    pub(crate) fn new(offsets: Vec<u32>, patterns: Vec<u32>) -> Self {
        MatchLists { offsets, patterns }
    }

    /// The patterns of match state `state` (in `1..=M`).
    pub(crate) fn of(&self, state: u32) -> &[u32] {
        let index = state as usize - 1;
        &self.patterns[self.offsets[index] as usize..self.offsets[index + 1] as usize]
    }

    /// The offsets (`M + 1`, ascending from 0) and the pattern ids they index, as [`MatchLists::of`] reads them.
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn parts(&self) -> (&[u32], &[u32]) {
        (&self.offsets, &self.patterns)
    }

    /// Adds the patterns of match state `state` (in `1..=M`) to `hits`.
    pub(crate) fn add(&self, state: u32, hits: &mut impl Found) -> Result<(), String> {
        for &pattern in self.of(state) {
            // Pattern ids were checked against the pattern count when loading; the hits are sized for it.
            if !hits.insert(pattern) {
                return Err(format!("pattern {pattern} is not one of the set's"));
            }
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

    /// Reads the layout above for `header`'s match states, checking that offsets ascend and every pattern id is
    /// below its pattern count.
    pub(crate) fn read(r: &mut Reader<'_>, header: &TableHeader) -> Result<Self, LoadError> {
        let match_states = header.match_states as usize;
        let offsets = r.u32s(match_states + 1, "the match offsets")?;
        if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) {
            return Err(LoadError::invalid(
                "the match offsets",
                "are not ascending from 0",
            ));
        }
        let patterns = r.u32s(offsets[match_states] as usize, "the match patterns")?;
        if let Some(p) = patterns.iter().find(|&&p| p as usize >= header.pattern_len) {
            return Err(LoadError::invalid(
                "a match state",
                format!("reports pattern {p}, of {} patterns", header.pattern_len),
            ));
        }
        Ok(MatchLists { offsets, patterns })
    }
}
