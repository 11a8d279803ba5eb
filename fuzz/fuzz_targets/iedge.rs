//! Loading arbitrary bytes as a precompiled set (`.iedge`): an `IntentSetError`, or a matcher whose every call
//! answers or returns a `MatchError` — never a panic, a hang or an allocation the bytes ask for without having.
#![no_main]

use intent_edge::intent::IntentMatcher;
use libfuzzer_sys::fuzz_target;

const TEXTS: &[&str] = &[
    "",
    "hi",
    "lost my card",
    "send £20 to Zoë",
    "book 2 tickets to Lisbon",
    "a\u{0}b",
];

fuzz_target!(|bytes: &[u8]| {
    // (`from_precompiled` copies the bytes and reads them as `from_precompiled_vec` does.)
    if let Ok(matcher) = IntentMatcher::from_precompiled(bytes) {
        let _ = matcher.stats();
        let _ = matcher.to_config();
        for text in TEXTS {
            let _ = matcher.find(text);
            let _ = matcher.find_all(text);
            let _ = matcher.best_intent_index(text);
        }
        let _ = matcher.best_intent_indexes(TEXTS);
        let _ = matcher.matching_intent_indexes_batch(TEXTS);
        let _ = matcher.warm_up(TEXTS.iter().copied());
        if let Some(again) = matcher.precompile() {
            let _ = IntentMatcher::from_precompiled(&again);
        }
    }
});
