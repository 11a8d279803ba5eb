//! Precompiled intent sets: the set as JSON plus its determinized automaton, in one versioned binary file.
//!
//! Determinizing a set into a dense DFA takes from milliseconds to seconds; loading the result is a copy and a
//! linear validation pass. So the expensive step runs once, before traffic (`intent-edge compile`, natively), and
//! a fresh edge instance or browser tab only loads bytes. The intents stay data the user edits: the JSON inside
//! is the document they wrote (normalized), and recompiling it is one command.
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `IEDGESET` |
//! | 4 | format version, [`FORMAT_VERSION`] |
//! | 4 + `V` | length `V`, then the producer (`intent-edge <version>`): embedded sets must match the loader's |
//! | 4 | length `J` of the JSON |
//! | `J` | the intent set as JSON (same schema as the source file) |
//! | 4 | number of parts `P` (module `intent::automaton`) |
//! | per part | 1 byte kind (0 dense, 1 lazy), 4 bytes pattern count `N`, `N` × 4 bytes global pattern indexes (none: the whole set), then for a dense part 4 bytes length `D`, zero padding to a multiple of 8 from the start, and `D` bytes of DFA in `regex-automata`'s own serialization (which checks its version and endianness) |
//!
//! A lazy part holds patterns that could not be determinized within budget; the loader compiles just those.

use super::automaton::{
    dfa_from_bytes, dfa_from_embedded_bytes, dfa_to_bytes, Engine, SetAutomaton,
};
use super::{syntax, IntentMatcher, IntentSetConfig, IntentSetError};

/// First bytes of every precompiled set.
pub const MAGIC: &[u8; 8] = b"IEDGESET";
/// Version of the layout above; a loader refuses any other.
pub const FORMAT_VERSION: u32 = 1;
/// Who wrote a file; an embedded set (loaded without validating its DFAs) must come from this very version.
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

/// Writes `matcher` in the layout above (a lazy part lists its patterns explicitly, even when it is the whole
/// set). `None` on builds without the DFA serializer (wasm).
pub(crate) fn encode(matcher: &IntentMatcher) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(&matcher.to_config()).ok()?;
    let mut out = Vec::with_capacity(16 + json.len() + matcher.automaton.memory_usage());
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
    u32_le(&mut out, matcher.automaton.parts.len())?;
    for part in &matcher.automaton.parts {
        let dfa = match part.engine {
            Engine::Lazy(_) => None,
            // `None` on builds without the DFA serializer (wasm): nothing to save there.
            _ => Some(dfa_to_bytes(&part.engine)?),
        };
        out.push(if dfa.is_some() { 0 } else { 1 });
        let all: Vec<u32>;
        let patterns = if dfa.is_none() && part.patterns.is_empty() {
            all = (0..matcher.automaton.pattern_len() as u32).collect();
            &all
        } else {
            &part.patterns
        };
        u32_le(&mut out, patterns.len())?;
        for &p in patterns {
            u32_le(&mut out, p as usize)?;
        }
        if let Some(bytes) = dfa {
            u32_le(&mut out, bytes.len())?;
            out.resize(out.len().next_multiple_of(8), 0);
            out.extend_from_slice(&bytes);
        }
    }
    Some(out)
}

/// A cursor over the input that names the byte offset of whatever is missing.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'b [u8], IntentSetError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| {
            invalid(format!(
                "truncated: {what} needs {n} bytes at byte {}, the input has {}",
                self.at,
                self.bytes.len()
            ))
        })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self, what: &str) -> Result<usize, IntentSetError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

/// Reads a set written by [`encode`], validating each automaton and checking the parts cover the JSON's patterns.
pub(crate) fn decode(bytes: &[u8]) -> Result<IntentMatcher, IntentSetError> {
    decode_with(bytes, |_, dfa| dfa_from_bytes(dfa))
}

/// Reads a set compiled into this binary (`include_bytes!` of a file written by this build's `intent-edge
/// compile`), reading its DFAs in place without validating them: no copy, no pass over the tables, so a fresh
/// instance answers its first match after touching only the pages that match visits.
///
/// Refuses bytes from another producer version or not 8-byte aligned.
pub fn decode_embedded(bytes: &'static [u8]) -> Result<IntentMatcher, IntentSetError> {
    if bytes.as_ptr().align_offset(8) != 0 {
        return Err(invalid("embedded set is not 8-byte aligned"));
    }
    decode_with(bytes, |producer, dfa| {
        if producer != PRODUCER {
            return Err(format!(
                "embedded set was written by {producer:?}, this is {PRODUCER:?}"
            ));
        }
        // SAFETY: `dfa` lies inside bytes compiled into this binary, written by `encode` of this same version
        // (checked just above), and starts 8-byte aligned (the file is aligned, `encode` pads every DFA to 8).
        unsafe { dfa_from_embedded_bytes(dfa) }
    })
}

fn decode_with<'b>(
    bytes: &'b [u8],
    load_dfa: impl Fn(&str, &'b [u8]) -> Result<Engine, String>,
) -> Result<IntentMatcher, IntentSetError> {
    let mut r = Reader { bytes, at: 0 };
    if !is_precompiled(r.take(8, "the magic")?) {
        return Err(invalid("bytes 0..8 are not the magic \"IEDGESET\""));
    }
    let version = r.u32("the format version")?;
    if version != FORMAT_VERSION as usize {
        return Err(invalid(format!(
            "format version {version} (bytes 8..12); this build reads version {FORMAT_VERSION}: recompile the set"
        )));
    }
    let producer_len = r.u32("the producer length")?;
    let producer = std::str::from_utf8(r.take(producer_len, "the producer")?)
        .map_err(|e| invalid(format!("producer: {e}")))?;
    let json_len = r.u32("the JSON length")?;
    let json = r.take(json_len, "the JSON section")?;
    let json = std::str::from_utf8(json).map_err(|e| invalid(format!("JSON section: {e}")))?;
    let config: IntentSetConfig = crate::json::from_str(json)
        .map_err(|e| invalid(format!("JSON section at {:?}: {}", e.pointer, e.message)))?;
    let sources: Vec<&str> = config
        .intents
        .iter()
        .flat_map(|i| i.patterns.iter().map(String::as_str))
        .collect();
    let part_count = r.u32("the part count")?;
    let mut dense_parts = Vec::new();
    let mut lazy_patterns = Vec::new();
    for part in 0..part_count {
        let kind = r.take(1, "a part kind")?[0];
        let n = r.u32("a part's pattern count")?;
        if n > sources.len() {
            return Err(invalid(format!(
                "part {part} lists {n} patterns, the set has {}",
                sources.len()
            )));
        }
        let mut patterns = Vec::with_capacity(n);
        for _ in 0..n {
            patterns.push(r.u32("a pattern index")? as u32);
        }
        match kind {
            0 => {
                let len = r.u32("a DFA length")?;
                r.take(r.at.next_multiple_of(8) - r.at, "padding")?;
                let at = r.at;
                let dfa = load_dfa(producer, r.take(len, "a DFA")?)
                    .map_err(|e| invalid(format!("DFA of part {part} at byte {at}: {e}")))?;
                dense_parts.push((patterns, dfa));
            }
            1 => lazy_patterns.extend(patterns),
            other => return Err(invalid(format!("part {part} has unknown kind {other}"))),
        }
    }
    if r.at != bytes.len() {
        return Err(invalid(format!(
            "{} unexpected bytes after the last part",
            bytes.len() - r.at
        )));
    }
    let options = config.options.clone();
    let automaton = SetAutomaton::from_parts(
        sources.len(),
        dense_parts,
        lazy_patterns,
        |i| syntax::to_hir(sources[i as usize], &options).map(|h| syntax::for_existence(&h)),
        &options,
    )
    .map_err(invalid)?;
    drop(sources);
    IntentMatcher::assemble(config, automaton)
}
