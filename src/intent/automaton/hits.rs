//! [`PatternHits`]: which patterns a search found, each once, in the order found.
//!
//! A search reports the patterns of the match states it passes; a text that matches few patterns costs little
//! whatever the size of the set: adding a pattern, clearing the hits and reading them are proportional to the
//! patterns found, never to the patterns in the set (a `regex_automata::PatternSet` is cleared and scanned whole,
//! which cost a 1,500-pattern set ~4,000 instructions per text).

/// Whether a match that a DFA reports on stepping over `byte` would end inside a character. DFAs report a match one
/// byte late, on the byte after its end; when that byte continues a UTF-8 sequence, the match ends between two
/// bytes of one character. Only an empty match can (a pattern's characters are whole), and such a match is no
/// match at all (`\B` between the two bytes of `ß`: JavaScript sees one character there, and `regex` skips it):
/// every search drops it, as `regex-automata`'s own searches do.
#[inline(always)]
pub(crate) fn splits_a_character(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// The patterns a search found (each once) and a bitset of the same, for a set of `pattern_len` patterns.
pub(crate) struct PatternHits {
    seen: Vec<u64>,
    found: Vec<u32>,
    pattern_len: usize,
}

impl PatternHits {
    /// No hits, for a set of `pattern_len` patterns.
    pub(crate) fn new(pattern_len: usize) -> Self {
        PatternHits {
            seen: vec![0; pattern_len.div_ceil(64)],
            found: Vec::new(),
            pattern_len,
        }
    }

    /// Records `pattern`; false when it is not a pattern of the set (only a corrupt table names one).
    #[inline]
    pub(crate) fn insert(&mut self, pattern: u32) -> bool {
        let (word, bit) = (pattern as usize / 64, 1u64 << (pattern % 64));
        match self.seen.get_mut(word) {
            Some(bits) if (pattern as usize) < self.pattern_len => {
                if *bits & bit == 0 {
                    *bits |= bit;
                    self.found.push(pattern);
                }
                true
            }
            _ => false,
        }
    }

    /// Every pattern of the set was found: a search may stop.
    pub(crate) fn is_full(&self) -> bool {
        self.found.len() == self.pattern_len
    }

    /// Forgets every hit (in time proportional to the hits).
    pub(crate) fn clear(&mut self) {
        for &pattern in &self.found {
            self.seen[pattern as usize / 64] = 0;
        }
        self.found.clear();
    }

    /// The patterns found, in the order found.
    pub(crate) fn found(&self) -> &[u32] {
        &self.found
    }

    /// The patterns found, ascending.
    pub(crate) fn sorted(&mut self) -> &[u32] {
        self.found.sort_unstable();
        &self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pattern_once_cleared_in_full_and_out_of_range_refused() {
        let mut hits = PatternHits::new(130);
        for p in [129, 3, 64, 3, 129, 0] {
            assert!(hits.insert(p));
        }
        assert!(!hits.insert(130), "not a pattern of the set");
        assert_eq!(hits.found(), [129, 3, 64, 0]);
        assert_eq!(hits.sorted(), [0, 3, 64, 129]);
        hits.clear();
        assert!(hits.found().is_empty());
        assert!(hits.insert(64) && hits.insert(3));
        assert_eq!(hits.found(), [64, 3], "bits of earlier hits were cleared");
        let mut one = PatternHits::new(1);
        one.insert(0);
        assert!(one.is_full());
    }
}
