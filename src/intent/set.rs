//! The intent set as a matcher keeps it ([`SetData`]): the options, each intent's id, priority and description,
//! each pattern's source and intent — every string in one buffer — and its binary form, the first part of a
//! precompiled set.
//!
//! A precompiled set used to carry the set as JSON, parsed on every load: for a 1,500-pattern set that parse was
//! most of loading. The binary form is read with a few length checks and one UTF-8 check of all the strings
//! together; [`SetData::to_config`] gives back the document (as the JSON section did, normalized) when someone asks
//! for it.
//!
//! Layout, integers little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 1 | flags: bit 0 `caseInsensitive`, bit 1 `unicode` |
//! | 8·6 | `maxTextBytes`, `maxPatterns`, `maxPatternBytes`, `sizeLimit`, `dfaSizeLimit`, `lazyCacheLimit` |
//! | 4 | intent count `I` (at least 1) |
//! | 4 | pattern count `P` |
//! | 16·`I` | per intent: priority (`i32`), pattern count (at least 1), id length, description length (`u32::MAX`: none) |
//! | 4·`P` | per pattern: source length |
//! | `S` | the strings, UTF-8: each intent's id then its description, in order, then every pattern's source |

use super::config::{IntentConfig, IntentSetConfig, MatchOptions};
use super::error::LoadError;
use super::wire::{push_u32, Reader};
use std::ops::Range;

/// Written for an intent without a description.
const NO_DESCRIPTION: u32 = u32::MAX;

struct IntentEntry {
    id: Range<usize>,
    description: Option<Range<usize>>,
    priority: i32,
    patterns: usize,
}

struct PatternEntry {
    source: Range<usize>,
    intent: usize,
    /// The pattern's position among its intent's patterns.
    index: usize,
}

/// An intent set: its options, intents and patterns (numbered from 0 over all intents in declaration order: the
/// "flat" index).
pub(crate) struct SetData {
    pub(crate) options: MatchOptions,
    strings: Box<str>,
    intents: Vec<IntentEntry>,
    patterns: Vec<PatternEntry>,
}

impl SetData {
    #[cfg(feature = "compiler")]
    pub(crate) fn from_config(config: IntentSetConfig) -> Self {
        let mut strings = String::new();
        let mut add = |s: &str| {
            let start = strings.len();
            strings.push_str(s);
            start..strings.len()
        };
        let mut intents = Vec::with_capacity(config.intents.len());
        for intent in &config.intents {
            intents.push(IntentEntry {
                id: add(&intent.id),
                description: intent.description.as_deref().map(&mut add),
                priority: intent.priority,
                patterns: intent.patterns.len(),
            });
        }
        let mut patterns = Vec::new();
        for (i, intent) in config.intents.iter().enumerate() {
            for (index, source) in intent.patterns.iter().enumerate() {
                patterns.push(PatternEntry {
                    source: add(source),
                    intent: i,
                    index,
                });
            }
        }
        SetData {
            options: config.options,
            strings: strings.into_boxed_str(),
            intents,
            patterns,
        }
    }

    /// The set as the document it was written as (normalized).
    pub(crate) fn to_config(&self) -> IntentSetConfig {
        let mut intents: Vec<IntentConfig> = self
            .intents
            .iter()
            .map(|intent| IntentConfig {
                id: self.text(&intent.id).to_owned(),
                patterns: Vec::with_capacity(intent.patterns),
                priority: intent.priority,
                description: intent.description.as_ref().map(|d| self.text(d).to_owned()),
            })
            .collect();
        for pattern in &self.patterns {
            intents[pattern.intent]
                .patterns
                .push(self.text(&pattern.source).to_owned());
        }
        IntentSetConfig {
            options: self.options.clone(),
            intents,
        }
    }

    fn text(&self, range: &Range<usize>) -> &str {
        // Ranges are made here, or checked to fall on character boundaries when reading.
        self.strings.get(range.clone()).unwrap_or_default()
    }

    pub(crate) fn intent_len(&self) -> usize {
        self.intents.len()
    }

    pub(crate) fn pattern_len(&self) -> usize {
        self.patterns.len()
    }

    pub(crate) fn id(&self, intent: usize) -> &str {
        self.text(&self.intents[intent].id)
    }

    pub(crate) fn priority(&self, intent: usize) -> i32 {
        self.intents[intent].priority
    }

    /// Pattern `flat`'s intent.
    pub(crate) fn intent_of(&self, flat: usize) -> usize {
        self.patterns[flat].intent
    }

    /// Pattern `flat`'s position among its intent's patterns.
    pub(crate) fn index_in_intent(&self, flat: usize) -> usize {
        self.patterns[flat].index
    }

    #[cfg(feature = "compiler")]
    pub(crate) fn source(&self, flat: usize) -> &str {
        self.text(&self.patterns[flat].source)
    }

    /// Appends the layout above; `None` when a count or length outgrows 4 bytes.
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> Option<()> {
        let o = &self.options;
        out.push(u8::from(o.case_insensitive) | u8::from(o.unicode) << 1);
        for n in [
            o.max_text_bytes,
            o.max_patterns,
            o.max_pattern_bytes,
            o.size_limit,
            o.dfa_size_limit,
            o.lazy_cache_limit,
        ] {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        push_u32(out, self.intents.len())?;
        push_u32(out, self.patterns.len())?;
        for intent in &self.intents {
            out.extend_from_slice(&intent.priority.to_le_bytes());
            push_u32(out, intent.patterns)?;
            push_u32(out, intent.id.len())?;
            match &intent.description {
                Some(d) if d.len() < NO_DESCRIPTION as usize => push_u32(out, d.len())?,
                Some(_) => return None,
                None => out.extend_from_slice(&NO_DESCRIPTION.to_le_bytes()),
            }
        }
        for pattern in &self.patterns {
            push_u32(out, pattern.source.len())?;
        }
        // Strings in reading order: ids and descriptions intent by intent, then sources.
        for intent in &self.intents {
            out.extend_from_slice(self.text(&intent.id).as_bytes());
            if let Some(d) = &intent.description {
                out.extend_from_slice(self.text(d).as_bytes());
            }
        }
        for pattern in &self.patterns {
            out.extend_from_slice(self.text(&pattern.source).as_bytes());
        }
        Some(())
    }

    /// Reads the layout above, checking that counts agree, every length stays within the strings, and every string
    /// is UTF-8.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, LoadError> {
        let flags = r.u8("the set's flags")?;
        let mut limit = |what: &'static str| -> Result<usize, LoadError> {
            let n = r.u64(what)?;
            usize::try_from(n)
                .map_err(|_| LoadError::invalid(what, format!("{n} does not fit this platform")))
        };
        let options = MatchOptions {
            case_insensitive: flags & 1 != 0,
            unicode: flags & 2 != 0,
            max_text_bytes: limit("maxTextBytes")?,
            max_patterns: limit("maxPatterns")?,
            max_pattern_bytes: limit("maxPatternBytes")?,
            size_limit: limit("sizeLimit")?,
            dfa_size_limit: limit("dfaSizeLimit")?,
            lazy_cache_limit: limit("lazyCacheLimit")?,
        };
        let intent_len = r.u32("the intent count")?;
        let pattern_len = r.u32("the pattern count")?;
        if intent_len == 0 {
            return Err(LoadError::invalid("the intent count", "is 0"));
        }
        // Lengths are read first and the strings checked against them after: counts larger than the bytes could
        // hold fail on the first missing entry, not by allocating for them.
        let mut lengths = Vec::with_capacity(intent_len.min(r.remaining() / 16));
        let mut in_intents = 0usize;
        for _ in 0..intent_len {
            let priority = r.i32("an intent's priority")?;
            let patterns = r.u32("an intent's pattern count")?;
            if patterns == 0 {
                return Err(LoadError::invalid("an intent's pattern count", "is 0"));
            }
            in_intents = in_intents.saturating_add(patterns);
            let id = r.u32("an intent's id length")?;
            let description = r.u32("an intent's description length")?;
            lengths.push((priority, patterns, id, description));
        }
        if in_intents != pattern_len {
            return Err(LoadError::invalid(
                "the pattern count",
                format!("is {pattern_len}, the intents have {in_intents}"),
            ));
        }
        let sources = r.u32s(pattern_len, "the pattern source lengths")?;
        let strings = r.rest();
        let strings = std::str::from_utf8(strings)
            .map_err(|e| LoadError::invalid("the set's strings", format!("are not UTF-8: {e}")))?;
        let mut at = 0usize;
        let mut take = |len: usize, what: &'static str| -> Result<Range<usize>, LoadError> {
            let end = at
                .checked_add(len)
                .filter(|&end| end <= strings.len() && strings.is_char_boundary(end))
                .ok_or_else(|| {
                    LoadError::invalid(
                        what,
                        format!("of {len} bytes at {at} does not fit the strings"),
                    )
                })?;
            let range = at..end;
            at = end;
            Ok(range)
        };
        let mut intents = Vec::with_capacity(lengths.len());
        for (priority, patterns, id, description) in lengths {
            intents.push(IntentEntry {
                id: take(id, "an intent's id")?,
                description: match description {
                    d if d == NO_DESCRIPTION as usize => None,
                    d => Some(take(d, "an intent's description")?),
                },
                priority,
                patterns,
            });
        }
        let mut patterns = Vec::with_capacity(pattern_len);
        for (intent_index, intent) in intents.iter().enumerate() {
            for index in 0..intent.patterns {
                let len = sources[patterns.len()] as usize;
                patterns.push(PatternEntry {
                    source: take(len, "a pattern's source")?,
                    intent: intent_index,
                    index,
                });
            }
        }
        if at != strings.len() {
            return Err(LoadError::invalid(
                "the set's strings",
                format!("run {} bytes past the last one", strings.len() - at),
            ));
        }
        Ok(SetData {
            options,
            strings: strings.into(),
            intents,
            patterns,
        })
    }
}

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;

    fn config() -> IntentSetConfig {
        serde_json::from_str(
            r#"{"options":{"caseInsensitive":false,"maxTextBytes":99},"intents":[
                {"id":"café","priority":-3,"description":"ünïcode","patterns":["a","(?P<x>b)"]},
                {"id":"b","patterns":["ç+"]}]}"#,
        )
        .unwrap()
    }

    fn read(bytes: &[u8]) -> Result<SetData, LoadError> {
        let mut r = Reader::new(bytes);
        SetData::read(&mut r)
    }

    #[test]
    fn round_trips_the_document_and_answers_by_flat_index() {
        let set = SetData::from_config(config());
        let mut bytes = Vec::new();
        set.write(&mut bytes).unwrap();
        let back = read(&bytes).unwrap();
        assert_eq!(back.to_config(), config());
        assert_eq!((back.intent_len(), back.pattern_len()), (2, 3));
        assert_eq!(
            (back.id(0), back.priority(0), back.source(1)),
            ("café", -3, "(?P<x>b)")
        );
        assert_eq!(
            (back.intent_of(2), back.index_in_intent(2), back.source(2)),
            (1, 0, "ç+")
        );
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_or_a_set_never_a_panic() {
        let mut bytes = Vec::new();
        SetData::from_config(config()).write(&mut bytes).unwrap();
        for len in 0..bytes.len() {
            assert!(read(&bytes[..len]).is_err(), "truncated to {len}");
        }
        for at in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut corrupt = bytes.clone();
                corrupt[at] ^= flip;
                if let Ok(set) = read(&corrupt) {
                    let _ = set.to_config();
                }
            }
        }
    }
}
