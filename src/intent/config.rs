//! The intent-set file format: what a user writes, as plain data.
//!
//! ```json
//! {
//!   "options": { "caseInsensitive": true, "maxTextBytes": 16384 },
//!   "intents": [
//!     { "id": "weather", "priority": 10,
//!       "patterns": ["\\bweather in (?P<city>\\w+)", "\\bforecast\\b"] },
//!     { "id": "greeting", "patterns": ["^(hi|hello|hey)\\b"] }
//!   ]
//! }
//! ```
//!
//! Field names are camelCase (the same spelling in JSON files, over HTTP and in JavaScript). Unknown fields are
//! rejected, so a typo never silently changes behaviour. Every limit has a default and can be raised or lowered per
//! set; see [`MatchOptions`].

use serde::{Deserialize, Serialize};

/// A whole intent set: options shared by every pattern, then the intents in priority-tie order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IntentSetConfig {
    /// Matching flags and resource limits for the whole set.
    #[serde(default)]
    pub options: MatchOptions,
    /// The intents. Order matters only to break ties between intents of equal priority: earlier wins.
    pub intents: Vec<IntentConfig>,
}

/// One intent: an id, the patterns that recognise it, and a priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IntentConfig {
    /// Unique, non-empty name returned in match results.
    pub id: String,
    /// One or more regular expressions (Rust `regex` syntax). Named groups `(?P<name>…)` or `(?<name>…)` become slots.
    pub patterns: Vec<String>,
    /// Higher wins when several intents match the same text. Default 0.
    #[serde(default)]
    pub priority: i32,
    /// Free text for people reading the file; ignored by the matcher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Flags applied to every pattern, and the limits that keep a hostile or mistaken set from taking the machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct MatchOptions {
    /// Case-insensitive matching (Unicode simple case folding when `unicode` is on). Default `true`.
    /// A pattern can still opt out locally with `(?-i:…)`.
    pub case_insensitive: bool,
    /// Unicode-aware `\w`, `\d`, `\s`, `\b` and case folding. Default `true`. With `false` these classes are
    /// ASCII-only; patterns that could then match invalid UTF-8 (such as `.`) are rejected with an error.
    pub unicode: bool,
    /// Longest text accepted by a match call, in UTF-8 bytes. Default 16 KiB.
    pub max_text_bytes: usize,
    /// Most patterns in the whole set. Default 4,096.
    pub max_patterns: usize,
    /// Longest single pattern, in bytes. Default 4 KiB.
    pub max_pattern_bytes: usize,
    /// Largest compiled NFA of the whole set, in bytes. Default 10 MiB.
    pub size_limit: usize,
    /// Largest table determinized ahead of time, in bytes: an anchored DFA's sparse rows (`intent-edge compile`),
    /// or one dense DFA (`--dense`, else the anchored table). A set whose table needs more is kept for lazy
    /// determinization instead (`intent-edge compile` warns). Default 16 MiB.
    pub dfa_size_limit: usize,
    /// Largest state cache of a lazily determinized or anchored set, in bytes (it grows only as texts need states,
    /// and is cleared and refilled beyond this). Too small a cache thrashes: a lazy set falls back to a slower NFA
    /// simulation, an anchored one recomputes states from its table.
    /// Default 64 MiB.
    pub lazy_cache_limit: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            case_insensitive: true,
            unicode: true,
            max_text_bytes: 16 * 1024,
            max_patterns: 4096,
            max_pattern_bytes: 4096,
            size_limit: 10 * 1024 * 1024,
            dfa_size_limit: 16 * 1024 * 1024,
            lazy_cache_limit: 64 * 1024 * 1024,
        }
    }
}
