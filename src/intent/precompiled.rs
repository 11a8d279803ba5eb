//! Precompiled intent sets (`.iedge`): the set plus everything compiled from it, in one versioned binary file. The container on top of the module: it reads and writes a matcher's parts (`MatcherParts`: the set,
//! its automaton, each pattern's capture NFA) and knows nothing of what is inside a table or an NFA.
//!
//! Compiling patterns needs the regex parser, the Unicode tables and the NFA compiler; determinizing a set takes
//! from milliseconds to seconds. A precompiled set holds the results, so a fresh edge instance or browser tab only
//! loads bytes, and a build without the compiler (the browser package) can run it. The intents stay data the user
//! edits: the set inside is the document they wrote (`to_config()`, `intent-edge info`, `GET /api/intent-set` give
//! it back as JSON, normalized), and recompiling it is one command (`intent-edge compile`, or `toBytes()` in the
//! Node package). Loading reads only what matching needs: the set's strings are checked as UTF-8 once, the
//! automaton's table is kept where it lies, and each pattern's capture NFA is decoded on its first match with spans.
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `IEDGESET` |
//! | 4 | format version, [`FORMAT_VERSION`] |
//! | 4 + `V` | length `V`, then the producer (`intent-edge <version>`): embedded sets must match the loader's |
//! | 4 + `J` | length `J`, then the intent set (module `set`: options, ids, priorities, pattern sources), read without parsing; `to_config()` gives the JSON document back |
//! | 4 + 4·`P` + … | capture NFAs: the pattern count `P`, each pattern's NFA length, then the NFAs (module `nfa_codec`), decoded on a pattern's first match with spans |
//! | 1 | automaton form: 0 dense, 2 anchored, 1 lazy (see module `automaton`) |
//! | 4 + `A` | length `A`, then the automaton: a table (modules `automaton::dense`, `automaton::anchored::table`), read in place, or the lazy form's NFA (module `nfa_codec`) |

use super::automaton::{AutomatonKind, SetAutomaton};
use super::captures::CaptureNfas;
use super::error::{IntentSetError, LoadError};
use super::matcher::{IntentMatcher, MatcherParts};
use super::set::SetData;
use super::wire::{keep_within, push_u32, Keep, Reader, Section};
use std::sync::Arc;

/// First bytes of every precompiled set.
pub const MAGIC: &[u8; 8] = b"IEDGESET";
/// Version of the layout above (and of the parts inside); a loader refuses any other.
pub const FORMAT_VERSION: u32 = 7;
/// Who wrote a file (shown by `intent-edge info`; an embedded set must come from this very version).
const PRODUCER: &str = concat!("intent-edge ", env!("CARGO_PKG_VERSION"));

/// True when `bytes` start like a precompiled set (as opposed to JSON text).
pub fn is_precompiled(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// The byte naming each automaton form.
fn form_code(kind: AutomatonKind) -> u8 {
    match kind {
        AutomatonKind::Dense => 0,
        AutomatonKind::Lazy => 1,
        AutomatonKind::Anchored => 2,
    }
}

fn form_of_code(code: u8) -> Result<AutomatonKind, LoadError> {
    match code {
        0 => Ok(AutomatonKind::Dense),
        1 => Ok(AutomatonKind::Lazy),
        2 => Ok(AutomatonKind::Anchored),
        other => Err(LoadError::invalid(
            "automaton kind",
            format!("{other} is unknown"),
        )),
    }
}

impl IntentMatcher {
    /// The precompiled form of this matcher (see [`precompiled`](self)): its set automaton and each
    /// pattern's capture NFA, so loading it compiles nothing. `None` only when a capture NFA fails to compile or a
    /// section outgrows the format's 4-byte lengths.
    pub fn precompile(&self) -> Option<Vec<u8>> {
        encode(self)
    }

    /// Loads a set written by [`IntentMatcher::precompile`]: its structure is checked, its DFA table copied (and
    /// checked transition by transition as searches read it) and no pattern is compiled (the only way to build a
    /// matcher in a build without the `compiler` feature).
    pub fn from_precompiled(bytes: &[u8]) -> Result<Self, IntentSetError> {
        decode(bytes)
    }

    /// [`IntentMatcher::from_precompiled`] for bytes the caller gives away (a file just read): a set determinized
    /// ahead of time keeps its table in them, without copying it.
    pub fn from_precompiled_vec(bytes: Vec<u8>) -> Result<Self, IntentSetError> {
        decode_owned(bytes)
    }
}

/// Writes `matcher` in the layout above. `None` when a capture NFA does not compile or a section outgrows the
/// format's 4-byte lengths.
fn encode(matcher: &IntentMatcher) -> Option<Vec<u8>> {
    let mut set = Vec::new();
    matcher.set().write(&mut set)?;
    let captures: Vec<Vec<u8>> = (0..matcher.stats().patterns)
        .map(|flat| matcher.capture_nfa_bytes(flat))
        .collect::<Option<_>>()?;
    let automaton = matcher.automaton();
    let automaton_bytes = automaton.to_bytes();
    let capture_len: usize = captures.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(64 + set.len() + capture_len + automaton_bytes.len());
    out.extend_from_slice(MAGIC);
    push_u32(&mut out, FORMAT_VERSION as usize)?;
    push_u32(&mut out, PRODUCER.len())?;
    out.extend_from_slice(PRODUCER.as_bytes());
    push_u32(&mut out, set.len())?;
    out.extend_from_slice(&set);
    push_u32(&mut out, captures.len())?;
    for nfa in &captures {
        push_u32(&mut out, nfa.len())?;
    }
    captures.iter().for_each(|nfa| out.extend_from_slice(nfa));
    out.push(form_code(automaton.kind()));
    push_u32(&mut out, automaton_bytes.len())?;
    out.extend_from_slice(&automaton_bytes);
    Some(out)
}

/// Reads a set written by [`encode`], checking its structure and that it belongs to the JSON's patterns (see
/// [`decode_owned`]).
fn decode(bytes: &[u8]) -> Result<IntentMatcher, IntentSetError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`] for bytes the caller gives away: a set determinized ahead of time keeps reading its table and capture
/// NFAs from them (no copy; transitions are checked as searches read them), a lazy one copies its capture NFAs out
/// and drops them.
fn decode_owned(bytes: Vec<u8>) -> Result<IntentMatcher, IntentSetError> {
    let shared = Arc::new(bytes);
    let parts = read_parts(&shared, |range| Section::Shared(shared.clone(), range))?;
    IntentMatcher::from_parts(parts)
}

/// Reads a set compiled into this binary (`include_bytes!` of a file written by this build's `intent-edge
/// compile`), leaving its transition table and capture NFAs in place: no copy, so a fresh instance answers its
/// first match after touching only the pages that match visits.
///
/// Refuses bytes from another producer version: the build embeds the set it compiled itself.
pub fn decode_embedded(bytes: &'static [u8]) -> Result<IntentMatcher, IntentSetError> {
    let producer = read_header(&mut Reader::new(bytes))?;
    if producer != PRODUCER {
        return Err(LoadError::invalid(
            "embedded set",
            format!("was written by {producer:?}, this is {PRODUCER:?}"),
        )
        .into());
    }
    IntentMatcher::from_parts(read_parts(bytes, |range| Section::Static(&bytes[range]))?)
}

/// Checks the magic and the format version, and returns the producer.
fn read_header<'b>(r: &mut Reader<'b>) -> Result<&'b str, LoadError> {
    if !is_precompiled(r.take(8, "the magic")?) {
        return Err(LoadError::invalid(
            "bytes 0..8",
            "are not the magic \"IEDGESET\"",
        ));
    }
    let version = r.u32("the format version")?;
    if version != FORMAT_VERSION as usize {
        return Err(LoadError::invalid(
            "format version",
            format!("{version} (bytes 8..12); this build reads version {FORMAT_VERSION}: recompile the set"),
        ));
    }
    let producer_len = r.u32("the producer length")?;
    std::str::from_utf8(r.take(producer_len, "the producer")?)
        .map_err(|e| LoadError::invalid("producer", format!("is not UTF-8: {e}")))
}

/// Reads the layout above into a matcher's parts; `keep` turns a byte range of `bytes` that the set goes on reading
/// (the capture NFAs, the automaton's table) into a [`Section`].
fn read_parts(bytes: &[u8], keep: impl Keep) -> Result<MatcherParts, LoadError> {
    let mut r = Reader::new(bytes);
    read_header(&mut r)?;
    let set_len = r.u32("the set's length")?;
    let set_at = r.at();
    let set = SetData::read(&mut Reader::new(r.take(set_len, "the set")?))
        .map_err(|e| e.within("the set", set_at))?;

    let capture_count = r.u32("the capture NFA count")?;
    let mut ends = Vec::with_capacity(capture_count.min(r.remaining() / 4));
    let mut total = 0usize;
    for _ in 0..capture_count {
        total = total
            .checked_add(r.u32("a capture NFA length")?)
            .ok_or(LoadError::invalid("capture NFA lengths", "overflow"))?;
        ends.push(total);
    }
    let captures_at = r.at();
    r.take(total, "the capture NFAs")?;
    let captures = CaptureNfas::new(keep(captures_at..captures_at + total), ends);

    let kind = form_of_code(r.u8("the automaton kind")?)?;
    let len = r.u32("the automaton length")?;
    let at = r.at();
    let automaton_bytes = r.take(len, "the automaton")?;
    let part = match kind {
        AutomatonKind::Dense => "DFA",
        AutomatonKind::Anchored => "anchored DFA",
        AutomatonKind::Lazy => "set NFA",
    };
    let automaton =
        SetAutomaton::from_bytes(kind, automaton_bytes, keep_within(&keep, at), &set.options)
            .map_err(|e| e.within(part, at))?;
    if !r.is_empty() {
        return Err(LoadError::invalid(
            "the automaton",
            format!("is followed by {} unexpected bytes", r.remaining()),
        ));
    }
    // A lazy set reads nothing else of the file again: its capture NFAs keep their bytes alone, not the whole file.
    let captures = match kind {
        AutomatonKind::Lazy => captures.detached(),
        _ => captures,
    };
    Ok(MatcherParts {
        set,
        automaton,
        captures,
    })
}
