//! Intent matching: one pass of a multi-pattern automaton over a text, then captures only for the winner.
//!
//! An [`IntentMatcher`] is compiled from an [`IntentSetConfig`] (JSON data, see [`config`]). Every pattern of every
//! intent goes into one set automaton, so finding *which* intents match is a single linear-time scan whatever the
//! number of patterns; nothing backtracks, so no pattern/input pair can take exponential time (the ReDoS a loop of
//! JavaScript `RegExp`s is open to). Spans and slots (named capture groups) are then computed only for the intents
//! reported, by a per-pattern PikeVM built on the pattern's first use (from its capture NFA, compiled from the
//! source or decoded from a precompiled set).
//!
//! # Which automaton
//! The set automaton takes one of three forms ([`AutomatonKind`], `stats().automaton`); module `automaton` has the
//! full comparison:
//! - **anchored** — determinized ahead of time (`IntentMatcher::new_anchored`, `intent-edge compile`): the set's
//!   DFA for runs starting at one position, compact (about one state per pattern byte), searched from every position
//!   at once, its unanchored states built and cached as texts need them (microseconds each). The form for any set
//!   compiled before traffic.
//! - **dense** — the whole unanchored DFA determinized ahead of time (`IntentMatcher::new_dense`, `intent-edge
//!   compile --dense`): nothing to build while matching, but 1.7–6× the states, seconds to minutes to build, and
//!   only small sets fit `dfaSizeLimit`.
//! - **lazy** — determinized while matching from the NFA ([`IntentMatcher::new`], `new IntentMatcher(json)`): the
//!   cheap way to compile at run time; a large set's first texts pay milliseconds for their states.
//!
//! Any of them is saved by [`IntentMatcher::precompile`] with every pattern's capture NFA, and
//! [`IntentMatcher::from_precompiled`] loads it without compiling anything — the only constructor in a build
//! without the `compiler` feature (the browser package), which leaves the regex parser, its Unicode tables and the
//! NFA compiler out.
//!
//! # Pattern semantics
//! Patterns use Rust `regex` syntax, with JavaScript's meaning for `\w`, `\d`, `\b` and `\B` (ASCII-only, see
//! [`syntax`]); `\s`, `.`, `\p{…}` and case folding are Unicode-aware, as with JavaScript's `u` flag.
//!
//! # Which intent wins
//! Among the intents with at least one matching pattern, the best is the one with the highest `priority`; ties go to
//! the intent declared first. For an intent with several matching patterns, the reported span and slots come from
//! its first matching pattern in declaration order, and within that pattern from the leftmost-first match.
//! With equal priorities this is exactly what a loop over `RegExp`s that returns the first hit would answer.
//!
//! # Offsets
//! Spans are given both as UTF-8 byte offsets (Rust `&str` indexes) and as UTF-16 code-unit offsets (what
//! JavaScript's `String.prototype.slice` takes), half-open `[start, end)`.
//!
//! # Layers
//! Each file uses only the ones listed before it:
//!
//! | module | what it is for |
//! |---|---|
//! | `config`, `error` | the intent-set document and its options; public errors, and each layer's internal error type |
//! | `wire` | bytes: a reader that names what is missing and where, sections kept from a file, 2/4-byte ids |
//! | `syntax` | pattern text → HIR, with JavaScript's `\w \d \b` (compiler builds) |
//! | `nfa_codec` | Thompson NFAs ↔ bytes, so a build without the compiler can run them |
//! | `automaton` | the set automaton in its three forms (`header`, `tabulate`, `dense`, `anchored/`, `lazy`) |
//! | `set` | the set as a matcher keeps it (ids, priorities, sources in one buffer) and its binary form |
//! | `captures` | each pattern's capture engine: spans, slots, UTF-16 offsets |
//! | `samples` | texts made from the patterns, to warm a set up without traffic (compiler builds) |
//! | `matcher` | [`IntentMatcher`]: best intent, every intent, warm-up |
//! | [`precompiled`] | the `.iedge` container, through the matcher's parts |

mod automaton;
mod captures;
pub mod config;
mod error;
mod matcher;
mod nfa_codec;
pub mod precompiled;
#[cfg(feature = "compiler")]
mod samples;
mod set;
#[cfg(feature = "compiler")]
pub mod syntax;
mod wire;

pub use automaton::AutomatonKind;
pub use captures::{Slot, Span};
pub use config::{IntentConfig, IntentSetConfig, MatchOptions};
pub use error::{BatchMatchError, IntentSetError, MatchError};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) use matcher::SteppingForm;
pub use matcher::{IntentMatch, IntentMatcher, MatcherStats, WarmUp};

#[cfg(test)]
mod tests;
