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

/// Marks the branch that calls it as the unlikely one: the hot loops then lay out their plain steps one after the
/// other and jump only to leave them (a match step, or one the loop cannot take, comes a few times in a text).
/// Without it the plain step jumped over the match step's code: callgrind, assistant-64 batched, 714 → 683
/// instructions a text; natively 2.02–2.18 → 1.58–2.06 ns a byte (docs/performance-log.md, stop 30).
#[cold]
#[inline(always)]
pub(crate) fn unlikely() {}

/// How many texts of a batch the tables search at once (a batch's hits are `[F; LANES]`): their steps interleave,
/// so the loads one text waits on overlap with the others' (one text alone is a chain of dependent loads, one per
/// byte).
pub(crate) const LANES: usize = 3;

/// What a search collects from the match states it passes: every pattern ([`PatternHits`]), or only the best one
/// ([`BestPattern`]). Every search form is generic over it, so asking only for the best costs no set of hits.
pub(crate) trait Found {
    /// Takes in `pattern`; false when it is not a pattern of the set (only a corrupt table names one).
    fn insert(&mut self, pattern: u32) -> bool;
    /// Nothing a search could still find would change the answer: it may stop.
    fn is_full(&self) -> bool;
    /// Forgets everything found.
    fn clear(&mut self);
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

impl Found for PatternHits {
    /// Records `pattern` (once).
    #[inline]
    fn insert(&mut self, pattern: u32) -> bool {
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

    /// Every pattern of the set was found.
    fn is_full(&self) -> bool {
        self.found.len() == self.pattern_len
    }

    /// Forgets every hit (in time proportional to the hits).
    fn clear(&mut self) {
        for &pattern in &self.found {
            self.seen[pattern as usize / 64] = 0;
        }
        self.found.clear();
    }
}

/// The best pattern a search found: the one of least rank, where `ranks[p]` is pattern `p`'s place in the order
/// that decides which match wins (the matcher ranks them by priority, then declaration). One comparison per pattern
/// passed; nothing to clear or scan after.
pub(crate) struct BestPattern<'r> {
    ranks: &'r [u32],
    best: u32,
}

impl<'r> BestPattern<'r> {
    /// Nothing found yet, for the set whose patterns have `ranks`.
    pub(crate) fn new(ranks: &'r [u32]) -> Self {
        BestPattern {
            ranks,
            best: u32::MAX,
        }
    }

    /// The least rank found, if any.
    pub(crate) fn rank(&self) -> Option<u32> {
        (self.best != u32::MAX).then_some(self.best)
    }
}

impl Found for BestPattern<'_> {
    #[inline]
    fn insert(&mut self, pattern: u32) -> bool {
        match self.ranks.get(pattern as usize) {
            Some(&rank) => {
                self.best = self.best.min(rank);
                true
            }
            None => false,
        }
    }

    /// The best-ranked pattern of all was found.
    fn is_full(&self) -> bool {
        self.best == 0
    }

    fn clear(&mut self) {
        self.best = u32::MAX;
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

    #[test]
    fn the_best_pattern_is_the_least_ranked_and_rank_zero_ends_the_search() {
        let ranks = [2, 0, 3, 1];
        let mut best = BestPattern::new(&ranks);
        assert_eq!(best.rank(), None);
        assert!(best.insert(2) && best.insert(3) && best.insert(0));
        assert_eq!(best.rank(), Some(1));
        assert!(!best.is_full());
        assert!(!best.insert(4), "not a pattern of the set");
        assert!(best.insert(1));
        assert!(best.is_full());
        best.clear();
        assert_eq!(best.rank(), None);
    }
}
