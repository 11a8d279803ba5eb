//! Precompiled intent sets: the set as JSON plus everything compiled from it, in one versioned binary file.
//!
//! Compiling patterns needs the regex parser, the Unicode tables and the NFA compiler; determinizing a set into a
//! dense DFA takes from milliseconds to seconds. A precompiled set holds the results, so a fresh edge instance or
//! browser tab only loads bytes, and a build without the compiler (the browser package) can run it. The intents
//! stay data the user edits: the JSON inside is the document they wrote (normalized), and recompiling it is one
//! command (`intent-edge compile`, or `toBytes()` in the Node package).
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `IEDGESET` |
//! | 4 | format version, [`FORMAT_VERSION`] |
//! | 4 + `V` | length `V`, then the producer (`intent-edge <version>`): embedded sets must match the loader's |
//! | 4 + `J` | length `J`, then the intent set as JSON (same schema as the source file) |
//! | 4 + 4·`P` + … | capture NFAs: the pattern count `P`, each pattern's NFA length, then the NFAs (module `nfa_codec`), decoded on a pattern's first match with spans |
//! | 1 | automaton kind: 0 dense, 2 anchored (a set whose DFA did not fit `dfaSizeLimit`), 1 lazy (nor its anchored DFA) |
//! | dense | 4 bytes length `D`, then the DFA as a transition table (module `dfa_table`), read in place |
//! | anchored | 4 bytes length `A`, then the anchored DFA as sparse rows (module `anchored_table`), read in place |
//! | lazy | 4 bytes length `N`, then the set's NFA (module `nfa_codec`), determinized while matching |

use super::anchored_table::AnchoredTable;
use super::automaton::SetAutomaton;
use super::dfa_table::DfaTable;
use super::{nfa_codec, IntentMatcher, IntentSetConfig, IntentSetError};
use std::ops::{Deref, Range};
use std::sync::Arc;

/// First bytes of every precompiled set.
pub const MAGIC: &[u8; 8] = b"IEDGESET";
/// Version of the layout above; a loader refuses any other.
pub const FORMAT_VERSION: u32 = 5;
/// Who wrote a file (shown by `intent-edge info`; an embedded set must come from this very version).
const PRODUCER: &str = concat!("intent-edge ", env!("CARGO_PKG_VERSION"));

/// True when `bytes` start like a precompiled set (as opposed to JSON text).
pub fn is_precompiled(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

fn invalid(message: impl Into<String>) -> IntentSetError {
    IntentSetError::InvalidPrecompiled {
        message: message.into(),
    }
}

/// Part of a precompiled file that a loaded set keeps reading (its DFA table, its capture NFAs): borrowed from
/// bytes compiled into the binary, or a range of the one copy of the file the loader owns.
pub(crate) enum Section {
    Static(&'static [u8]),
    Shared(Arc<Vec<u8>>, Range<usize>),
}

impl Section {
    /// A section owning `bytes` alone.
    pub(crate) fn owned(bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        Section::Shared(Arc::new(bytes), 0..len)
    }
}

impl Deref for Section {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Section::Static(bytes) => bytes,
            // The range was taken from this very buffer by the loader.
            Section::Shared(buffer, range) => buffer.get(range.clone()).unwrap_or_default(),
        }
    }
}

/// Every pattern's capture NFA, serialized, in pattern order; each is decoded on its pattern's first use.
pub(crate) struct CaptureNfas {
    bytes: Section,
    /// `ends[i]` is where pattern `i`'s NFA ends in `bytes` (it starts where pattern `i - 1`'s ends).
    ends: Vec<usize>,
}

impl CaptureNfas {
    /// The serialized capture NFA of pattern `flat`.
    pub(crate) fn get(&self, flat: usize) -> &[u8] {
        let start = if flat == 0 { 0 } else { self.ends[flat - 1] };
        &self.bytes[start..self.ends[flat]]
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Writes `matcher` in the layout above. `None` only when a section outgrows the format's 4-byte lengths.
pub(crate) fn encode(matcher: &IntentMatcher) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(&matcher.to_config()).ok()?;
    let captures: Vec<Vec<u8>> = (0..matcher.patterns.len())
        .map(|flat| matcher.capture_nfa_bytes(flat))
        .collect::<Option<_>>()?;
    let (kind, automaton) = match &matcher.automaton {
        SetAutomaton::Lazy(lazy) => (1, lazy.nfa_bytes()),
        SetAutomaton::Anchored(_) => (2, matcher.automaton.table_bytes()?),
        table => (0, table.table_bytes()?),
    };
    let capture_len: usize = captures.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(64 + json.len() + capture_len + automaton.len());
    let u32_le = |out: &mut Vec<u8>, n: usize| -> Option<()> {
        out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
        Some(())
    };
    out.extend_from_slice(MAGIC);
    u32_le(&mut out, FORMAT_VERSION as usize)?;
    u32_le(&mut out, PRODUCER.len())?;
    out.extend_from_slice(PRODUCER.as_bytes());
    u32_le(&mut out, json.len())?;
    out.extend_from_slice(&json);
    u32_le(&mut out, captures.len())?;
    for nfa in &captures {
        u32_le(&mut out, nfa.len())?;
    }
    captures.iter().for_each(|nfa| out.extend_from_slice(nfa));
    out.push(kind);
    u32_le(&mut out, automaton.len())?;
    out.extend_from_slice(&automaton);
    Some(out)
}

/// A cursor over bytes that names the byte offset of whatever is missing.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// Offset of the next byte to read.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub(crate) fn take(&mut self, n: usize, what: &str) -> Result<&'b [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| {
            format!(
                "truncated: {what} needs {n} bytes at byte {}, the input has {}",
                self.at,
                self.bytes.len()
            )
        })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<usize, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

/// Reads a set written by [`encode`], checking its structure and that it belongs to the JSON's patterns (see
/// [`decode_owned`]).
pub(crate) fn decode(bytes: &[u8]) -> Result<IntentMatcher, IntentSetError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] for bytes the caller gives away: a dense set keeps reading its table and capture NFAs from them (no
/// copy; transitions are checked as searches read them), a lazy one copies its capture NFAs out and drops them.
pub(crate) fn decode_owned(bytes: Vec<u8>) -> Result<IntentMatcher, IntentSetError> {
    let shared = Arc::new(bytes);
    decode_with(&shared, |range| Section::Shared(shared.clone(), range))
}

/// Reads a set compiled into this binary (`include_bytes!` of a file written by this build's `intent-edge
/// compile`), leaving its transition table and capture NFAs in place: no copy, so a fresh instance answers its
/// first match after touching only the pages that match visits.
///
/// Refuses bytes from another producer version: the build embeds the set it compiled itself.
pub fn decode_embedded(bytes: &'static [u8]) -> Result<IntentMatcher, IntentSetError> {
    let producer = read_header(&mut Reader::new(bytes)).map_err(invalid)?;
    if producer != PRODUCER {
        return Err(invalid(format!(
            "embedded set was written by {producer:?}, this is {PRODUCER:?}"
        )));
    }
    decode_with(bytes, |range| Section::Static(&bytes[range]))
}

/// Checks the magic and the format version, and returns the producer.
fn read_header<'b>(r: &mut Reader<'b>) -> Result<&'b str, String> {
    if !is_precompiled(r.take(8, "the magic")?) {
        return Err("bytes 0..8 are not the magic \"IEDGESET\"".into());
    }
    let version = r.u32("the format version")?;
    if version != FORMAT_VERSION as usize {
        return Err(format!(
            "format version {version} (bytes 8..12); this build reads version {FORMAT_VERSION}: recompile the set"
        ));
    }
    let producer_len = r.u32("the producer length")?;
    std::str::from_utf8(r.take(producer_len, "the producer")?).map_err(|e| format!("producer: {e}"))
}

/// Reads the layout above; `keep` turns a byte range of `bytes` that the set goes on reading (the capture NFAs,
/// the transition table) into a [`Section`].
fn decode_with(
    bytes: &[u8],
    keep: impl Fn(Range<usize>) -> Section,
) -> Result<IntentMatcher, IntentSetError> {
    let mut r = Reader::new(bytes);
    read_header(&mut r).map_err(invalid)?;
    let json_len = r.u32("the JSON length").map_err(invalid)?;
    let json = r.take(json_len, "the JSON section").map_err(invalid)?;
    let json = std::str::from_utf8(json).map_err(|e| invalid(format!("JSON section: {e}")))?;
    let config: IntentSetConfig = crate::json::from_str(json)
        .map_err(|e| invalid(format!("JSON section at {:?}: {}", e.pointer, e.message)))?;

    let capture_count = r.u32("the capture NFA count").map_err(invalid)?;
    let mut ends = Vec::with_capacity(capture_count.min(r.remaining() / 4));
    let mut total = 0usize;
    for _ in 0..capture_count {
        let len = r.u32("a capture NFA length").map_err(invalid)?;
        total = total
            .checked_add(len)
            .ok_or_else(|| invalid("capture NFA lengths overflow"))?;
        ends.push(total);
    }
    let captures_at = r.at();
    r.take(total, "the capture NFAs").map_err(invalid)?;
    let mut captures = CaptureNfas {
        bytes: keep(captures_at..captures_at + total),
        ends,
    };

    let kind = r.take(1, "the automaton kind").map_err(invalid)?[0];
    let len = r.u32("the automaton length").map_err(invalid)?;
    let automaton = match kind {
        0 => {
            let at = r.at();
            let table = r.take(len, "the DFA").map_err(invalid)?;
            SetAutomaton::from_table(
                DfaTable::from_bytes(table, |range| keep(at + range.start..at + range.end))
                    .map_err(|e| invalid(format!("DFA at byte {at}: {e}")))?,
            )
        }
        1 => {
            let at = r.at();
            let nfa = r.take(len, "the set NFA").map_err(invalid)?;
            let nfa = nfa_codec::decode(nfa)
                .map_err(|e| invalid(format!("set NFA at byte {at}: {e}")))?;
            // Nothing else of the file is read again: keep the capture NFAs alone, not the whole file.
            if let Section::Shared(..) = captures.bytes {
                captures.bytes = Section::owned(captures.bytes.to_vec());
            }
            SetAutomaton::lazy_from_nfa(nfa, &config.options).map_err(invalid)?
        }
        2 => {
            let at = r.at();
            let table = r.take(len, "the anchored DFA").map_err(invalid)?;
            SetAutomaton::from_anchored(
                AnchoredTable::from_bytes(table, |range| keep(at + range.start..at + range.end))
                    .map_err(|e| invalid(format!("anchored DFA at byte {at}: {e}")))?,
                &config.options,
            )
        }
        other => return Err(invalid(format!("unknown automaton kind {other}"))),
    };
    if !r.is_empty() {
        return Err(invalid(format!(
            "{} unexpected bytes after the automaton",
            r.remaining()
        )));
    }
    IntentMatcher::assemble(config, automaton, Some(captures))
}
