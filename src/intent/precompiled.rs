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
//! | 1 | automaton kind: 0 dense, 1 lazy (a set that did not determinize within `dfaSizeLimit`: nothing follows, the loader compiles it) |
//! | dense only | 4 bytes length `D`, zero padding to a multiple of 8 from the start, then `D` bytes of DFA in `regex-automata`'s own serialization (which checks its version and endianness) |

use super::automaton::SetAutomaton;
use super::{IntentMatcher, IntentSetConfig, IntentSetError};

/// First bytes of every precompiled set.
pub const MAGIC: &[u8; 8] = b"IEDGESET";
/// Version of the layout above; a loader refuses any other.
pub const FORMAT_VERSION: u32 = 2;
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

/// Writes `matcher` in the layout above. `None` on builds without the DFA serializer (wasm).
pub(crate) fn encode(matcher: &IntentMatcher) -> Option<Vec<u8>> {
    let json = serde_json::to_vec(&matcher.to_config()).ok()?;
    let dfa = match matcher.automaton {
        SetAutomaton::Lazy(_) => None,
        _ => Some(matcher.automaton.dense_bytes()?),
    };
    let mut out = Vec::with_capacity(64 + json.len() + dfa.as_ref().map_or(0, Vec::len));
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
    match dfa {
        None => out.push(1),
        Some(bytes) => {
            out.push(0);
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

/// Reads a set written by [`encode`], validating its DFA and checking it belongs to the JSON's patterns.
pub(crate) fn decode(bytes: &[u8]) -> Result<IntentMatcher, IntentSetError> {
    decode_with(bytes, |_, dfa| SetAutomaton::from_dense_bytes(dfa))
}

/// Reads a set compiled into this binary (`include_bytes!` of a file written by this build's `intent-edge
/// compile`), reading its DFA in place without validating it: no copy, no pass over the tables, so a fresh
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
        // (checked just above), and starts 8-byte aligned (the file is aligned, `encode` pads the DFA to 8).
        unsafe { SetAutomaton::from_embedded_dense_bytes(dfa) }
    })
}

fn decode_with<'b>(
    bytes: &'b [u8],
    load_dfa: impl Fn(&str, &'b [u8]) -> Result<SetAutomaton, String>,
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
    let automaton = match r.take(1, "the automaton kind")?[0] {
        0 => {
            let len = r.u32("the DFA length")?;
            r.take(r.at.next_multiple_of(8) - r.at, "padding")?;
            let at = r.at;
            let dfa = r.take(len, "the DFA")?;
            Some(load_dfa(producer, dfa).map_err(|e| invalid(format!("DFA at byte {at}: {e}")))?)
        }
        1 => None,
        other => return Err(invalid(format!("unknown automaton kind {other}"))),
    };
    if r.at != bytes.len() {
        return Err(invalid(format!(
            "{} unexpected bytes after the automaton",
            bytes.len() - r.at
        )));
    }
    match automaton {
        Some(automaton) => IntentMatcher::assemble(config, automaton),
        // Saved lazy: the set did not fit a dense DFA, so it is compiled now, exactly as from JSON.
        None => IntentMatcher::new(config),
    }
}
