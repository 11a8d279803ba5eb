//! Errors of the intent engine. Each names what is wrong and where, as a message and as a JSON pointer into the
//! intent-set document (`/intents/3/patterns/1`), so an HTTP adapter can return it in a problem+json body.

use std::fmt;

/// Why an intent set was refused. Nothing of a refused set is kept; a matcher already built stays usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentSetError {
    /// The document is not valid JSON, or does not have the expected shape (unknown field, wrong type, …).
    /// `pointer` locates the offending value (`/intents/2/priority`), empty when the document itself is broken.
    Json {
        pointer: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// `intents` is empty.
    NoIntents,
    /// An intent's `id` is empty.
    EmptyId { intent_index: usize },
    /// Two intents share an `id`.
    DuplicateId {
        id: String,
        first_index: usize,
        intent_index: usize,
    },
    /// An intent has an empty `patterns` list.
    NoPatterns { id: String, intent_index: usize },
    /// The set has more patterns than `options.maxPatterns`.
    TooManyPatterns { count: usize, limit: usize },
    /// One pattern is longer than `options.maxPatternBytes`.
    PatternTooLong {
        id: String,
        intent_index: usize,
        pattern_index: usize,
        len: usize,
        limit: usize,
    },
    /// One pattern does not parse (the message shows the pattern and the offending position).
    InvalidPattern {
        id: String,
        intent_index: usize,
        pattern_index: usize,
        message: String,
    },
    /// The compiled set exceeds `options.sizeLimit`.
    SetTooLarge { message: String },
    /// Bytes given as a precompiled set are not one (wrong magic, version, truncated, corrupt automaton, …).
    InvalidPrecompiled { message: String },
}

impl IntentSetError {
    /// A JSON pointer (RFC 6901) to the part of the intent-set document at fault; `""` means the whole document.
    pub fn pointer(&self) -> String {
        match self {
            IntentSetError::Json { pointer, .. } => pointer.clone(),
            IntentSetError::SetTooLarge { .. } | IntentSetError::InvalidPrecompiled { .. } => {
                String::new()
            }
            IntentSetError::NoIntents => "/intents".to_owned(),
            IntentSetError::EmptyId { intent_index }
            | IntentSetError::DuplicateId { intent_index, .. } => {
                format!("/intents/{intent_index}/id")
            }
            IntentSetError::NoPatterns { intent_index, .. } => {
                format!("/intents/{intent_index}/patterns")
            }
            IntentSetError::TooManyPatterns { .. } => "/options/maxPatterns".to_owned(),
            IntentSetError::PatternTooLong {
                intent_index,
                pattern_index,
                ..
            }
            | IntentSetError::InvalidPattern {
                intent_index,
                pattern_index,
                ..
            } => {
                format!("/intents/{intent_index}/patterns/{pattern_index}")
            }
        }
    }
}

impl fmt::Display for IntentSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntentSetError::Json { pointer, line, column, message } if pointer.is_empty() => {
                write!(f, "intent set is not valid JSON of the expected shape: {message} (line {line}, column {column})")
            }
            IntentSetError::Json { pointer, line, column, message } => {
                write!(f, "intent set field {pointer} is not valid: {message} (line {line}, column {column})")
            }
            IntentSetError::NoIntents => write!(f, "intent set has no intents: `intents` must list at least one"),
            IntentSetError::EmptyId { intent_index } => write!(f, "intent #{intent_index} has an empty `id`"),
            IntentSetError::DuplicateId { id, first_index, intent_index } => write!(
                f,
                "intent #{intent_index} repeats the id {id:?} already used by intent #{first_index}"
            ),
            IntentSetError::NoPatterns { id, intent_index } => {
                write!(f, "intent {id:?} (#{intent_index}) has no patterns")
            }
            IntentSetError::TooManyPatterns { count, limit } => {
                write!(f, "intent set has {count} patterns, more than the limit of {limit} (options.maxPatterns)")
            }
            IntentSetError::PatternTooLong { id, pattern_index, len, limit, .. } => write!(
                f,
                "intent {id:?}, pattern #{pattern_index} is {len} bytes, more than the limit of {limit} \
                 (options.maxPatternBytes)"
            ),
            IntentSetError::InvalidPattern { id, pattern_index, message, .. } => {
                write!(f, "intent {id:?}, pattern #{pattern_index} is not a valid regex:\n{message}")
            }
            IntentSetError::SetTooLarge { message } => write!(
                f,
                "the compiled intent set is larger than options.sizeLimit allows: {message}"
            ),
            IntentSetError::InvalidPrecompiled { message } => {
                write!(f, "not a usable precompiled intent set: {message}")
            }
        }
    }
}

impl std::error::Error for IntentSetError {}

/// Why one text could not be matched. The matcher itself is unaffected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchError {
    /// The text is longer than `options.maxTextBytes`.
    TextTooLong { len: usize, limit: usize },
    /// A pattern could not be compiled on its own for spans and slots (not expected: it compiled in the set).
    PatternUnavailable {
        id: String,
        pattern_index: usize,
        message: String,
    },
    /// The set's automaton could not finish a search (not expected for sets this crate compiled).
    SearchFailed { message: String },
}

impl fmt::Display for MatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchError::TextTooLong { len, limit } => write!(
                f,
                "text is {len} bytes, more than the limit of {limit} bytes (options.maxTextBytes)"
            ),
            MatchError::PatternUnavailable {
                id,
                pattern_index,
                message,
            } => {
                write!(f, "intent {id:?}, pattern #{pattern_index} could not be compiled for spans: {message}")
            }
            MatchError::SearchFailed { message } => {
                write!(f, "the intent set's automaton failed: {message}")
            }
        }
    }
}

impl std::error::Error for MatchError {}
