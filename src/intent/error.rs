//! Errors of the intent engine. Each names what is wrong and where, as a message and as a JSON pointer into the
//! intent-set document (`/intents/3/patterns/1`), so an HTTP adapter can return it in a problem+json body.
//!
//! The public errors are [`IntentSetError`] (a set refused) and [`MatchError`] (one text not matched). Inside the
//! module, each layer reports in its own type, turned into a public error at the matcher: [`BuildError`] (an
//! automaton builder refused the set), [`LoadError`] (bytes of a precompiled set that cannot be read, with what and
//! where) and [`SearchError`] (a search that could not finish).

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
    /// The set's automaton could not be built for another reason than its size (not expected for patterns that
    /// translated: the message says what the automaton builder refused).
    BuildFailed { message: String },
    /// Bytes given as a precompiled set are not one (wrong magic, version, truncated, corrupt automaton, …).
    InvalidPrecompiled { message: String },
}

impl IntentSetError {
    /// A JSON pointer (RFC 6901) to the part of the intent-set document at fault; `""` means the whole document.
    pub fn pointer(&self) -> String {
        match self {
            IntentSetError::Json { pointer, .. } => pointer.clone(),
            IntentSetError::SetTooLarge { .. }
            | IntentSetError::BuildFailed { .. }
            | IntentSetError::InvalidPrecompiled { .. } => String::new(),
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
            IntentSetError::BuildFailed { message } => {
                write!(f, "the intent set's automaton could not be built: {message}")
            }
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

/// Why a batch of texts could not be matched: the first text that could not, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMatchError {
    /// The text's position in the batch.
    pub index: usize,
    /// What went wrong with it.
    pub error: MatchError,
}

impl fmt::Display for BatchMatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "texts[{}]: {}", self.index, self.error)
    }
}

impl std::error::Error for BatchMatchError {}

/// Why a set automaton could not be built.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// The Thompson NFA compiler refused the patterns (over `options.sizeLimit`, or too many states).
    #[cfg(feature = "compiler")]
    Nfa(Box<regex_automata::nfa::thompson::BuildError>),
    /// The lazy DFA could not be configured over the NFA.
    Lazy(Box<regex_automata::hybrid::BuildError>),
    /// Determinizing ahead of time failed (over the size limit it was given, or an NFA it cannot take).
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    Determinize(Box<regex_automata::dfa::dense::BuildError>),
    /// A DFA determinized ahead of time cannot be written as a table: why.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    Table(&'static str),
    /// A table came out larger than `options.dfaSizeLimit`.
    #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
    TableTooLarge { bytes: usize, limit: usize },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "compiler")]
            BuildError::Nfa(e) => write!(f, "{e}"),
            BuildError::Lazy(e) => write!(f, "lazy DFA: {e}"),
            #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
            BuildError::Determinize(e) => write!(f, "determinizing: {e}"),
            #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
            BuildError::Table(why) => write!(f, "the DFA cannot be tabulated: {why}"),
            #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
            BuildError::TableTooLarge { bytes, limit } => {
                write!(
                    f,
                    "the table takes {bytes} bytes, over dfaSizeLimit ({limit})"
                )
            }
        }
    }
}

impl From<BuildError> for IntentSetError {
    fn from(e: BuildError) -> Self {
        let message = e.to_string();
        let too_large = match &e {
            #[cfg(feature = "compiler")]
            BuildError::Nfa(nfa) => nfa.size_limit().is_some(),
            #[cfg(all(feature = "compiler", not(target_arch = "wasm32")))]
            BuildError::TableTooLarge { .. } => true,
            _ => false,
        };
        if too_large {
            IntentSetError::SetTooLarge { message }
        } else {
            IntentSetError::BuildFailed { message }
        }
    }
}

/// Why bytes could not be read as (part of) a precompiled set: what, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoadError {
    /// The bytes end before `what`: `needed` bytes at byte `at`, of `len`.
    Truncated {
        what: &'static str,
        at: usize,
        needed: usize,
        len: usize,
    },
    /// `what` holds a value that cannot be; `why` says which and why, to follow `what` in a sentence.
    Invalid { what: &'static str, why: String },
    /// The error is in a part that starts at byte `at` of the bytes being read.
    In {
        part: &'static str,
        at: usize,
        error: Box<LoadError>,
    },
}

impl LoadError {
    pub(crate) fn invalid(what: &'static str, why: impl Into<String>) -> Self {
        LoadError::Invalid {
            what,
            why: why.into(),
        }
    }

    /// This error, located in `part` at byte `at`.
    pub(crate) fn within(self, part: &'static str, at: usize) -> Self {
        LoadError::In {
            part,
            at,
            error: Box::new(self),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Truncated {
                what,
                at,
                needed,
                len,
            } => write!(
                f,
                "truncated: {what} needs {needed} bytes at byte {at}, the input has {len}"
            ),
            LoadError::Invalid { what, why } => write!(f, "{what} {why}"),
            LoadError::In { part, at, error } => write!(f, "{part} at byte {at}: {error}"),
        }
    }
}

impl From<LoadError> for IntentSetError {
    fn from(e: LoadError) -> Self {
        IntentSetError::InvalidPrecompiled {
            message: e.to_string(),
        }
    }
}

/// Why a search of the set automaton could not finish.
#[derive(Debug)]
pub(crate) enum SearchError {
    /// A table loaded from damaged bytes led the search somewhere impossible (tables are checked as searches read
    /// them, not when loading). `table` names it: `"DFA"` or `"anchored DFA"`.
    CorruptTable { table: &'static str, detail: String },
    /// The lazy DFA could not start or stop (a quit byte).
    Lazy(regex_automata::MatchError),
    /// The lazy DFA gave up on a cache that kept filling up.
    LazyCache(regex_automata::hybrid::CacheError),
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SearchError::CorruptTable { table, detail } => {
                write!(f, "corrupt {table} table: {detail}")
            }
            SearchError::Lazy(e) => write!(f, "{e}"),
            SearchError::LazyCache(e) => write!(f, "{e}"),
        }
    }
}

impl From<SearchError> for MatchError {
    fn from(e: SearchError) -> Self {
        MatchError::SearchFailed {
            message: e.to_string(),
        }
    }
}
