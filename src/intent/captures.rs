//! Spans and slots: after the set automaton says which patterns match, the winner's own engine says where.
//!
//! Each pattern has a capture NFA (its named groups are the slots), compiled from the source or decoded from a
//! precompiled set ([`CaptureNfas`], decoded on the pattern's first match with spans), and a PikeVM over it
//! ([`CaptureEngine`]) that reports the leftmost-first match and its groups. Offsets come in UTF-8 bytes and UTF-16
//! code units ([`Span`]).

use super::wire::Section;
use regex_automata::nfa::thompson::{pikevm, NFA};
use regex_automata::util::pool::Pool;
use regex_automata::PatternID;
use serde::Serialize;

/// A half-open range of the matched text, in UTF-8 bytes and in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Span {
    /// First byte of the match.
    pub start: usize,
    /// One past the last byte of the match.
    pub end: usize,
    /// `start` counted in UTF-16 code units (JavaScript string index).
    pub start_utf16: usize,
    /// `end` counted in UTF-16 code units.
    pub end_utf16: usize,
}

/// A named capture group that took part in the match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// The group's name.
    pub name: String,
    /// The captured text.
    pub value: String,
    /// Where it was captured.
    pub span: Span,
}

type PikeCachePool = Pool<pikevm::Cache, Box<dyn Fn() -> pikevm::Cache + Send + Sync>>;

/// One pattern's PikeVM, which reports the leftmost-first match and its capture groups.
pub(crate) struct CaptureEngine {
    vm: pikevm::PikeVM,
    caches: PikeCachePool,
}

impl CaptureEngine {
    pub(crate) fn new(nfa: NFA) -> Result<Self, String> {
        let vm = pikevm::PikeVM::new_from_nfa(nfa).map_err(|e| e.to_string())?;
        let for_caches = vm.clone();
        let caches: PikeCachePool = Pool::new(Box::new(move || for_caches.create_cache()));
        Ok(CaptureEngine { vm, caches })
    }

    /// Creates this thread's search cache now (the pool keeps it for the thread that will match).
    pub(crate) fn prepare(&self) {
        drop(self.caches.get());
    }

    /// The pattern's leftmost-first match in `text`, with every named group that took part; `None` when it does
    /// not match.
    pub(crate) fn find(&self, text: &str) -> Option<(Span, Vec<Slot>)> {
        let mut utf16 = Utf16Offsets::new(text);
        let mut caps = self.vm.create_captures();
        self.vm.captures(&mut self.caches.get(), text, &mut caps);
        let whole = caps.get_match()?;
        let span = utf16.span(whole.start(), whole.end());
        let slots = caps
            .group_info()
            .pattern_names(PatternID::ZERO)
            .enumerate()
            .filter_map(|(group, name)| Some((name?, caps.get_group(group)?)))
            .map(|(name, m)| Slot {
                name: name.to_owned(),
                value: text[m.start..m.end].to_owned(),
                span: utf16.span(m.start, m.end),
            })
            .collect();
        Some((span, slots))
    }
}

/// Every pattern's capture NFA, serialized, in pattern order; each is decoded on its pattern's first use.
pub(crate) struct CaptureNfas {
    bytes: Section,
    /// `ends[i]` is where pattern `i`'s NFA ends in `bytes` (it starts where pattern `i - 1`'s ends).
    ends: Vec<usize>,
}

impl CaptureNfas {
    /// NFAs laid end to end in `bytes`, each ending at its entry of `ends` (ascending, the last at most
    /// `bytes.len()`).
    pub(crate) fn new(bytes: Section, ends: Vec<usize>) -> Self {
        CaptureNfas { bytes, ends }
    }

    /// The serialized capture NFA of pattern `flat`.
    pub(crate) fn get(&self, flat: usize) -> &[u8] {
        let start = if flat == 0 { 0 } else { self.ends[flat - 1] };
        &self.bytes[start..self.ends[flat]]
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The same NFAs owning their bytes alone (not the whole file they were read from).
    pub(crate) fn detached(self) -> Self {
        CaptureNfas {
            bytes: self.bytes.detached(),
            ends: self.ends,
        }
    }
}

/// Converts UTF-8 byte offsets of one text to UTF-16 offsets; free for ASCII text.
pub(crate) struct Utf16Offsets<'t> {
    text: &'t str,
    ascii: bool,
}

impl<'t> Utf16Offsets<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Utf16Offsets {
            text,
            ascii: text.is_ascii(),
        }
    }

    fn offset(&mut self, byte: usize) -> usize {
        if self.ascii {
            byte
        } else {
            self.text[..byte].chars().map(char::len_utf16).sum()
        }
    }

    pub(crate) fn span(&mut self, start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            start_utf16: self.offset(start),
            end_utf16: self.offset(end),
        }
    }
}
