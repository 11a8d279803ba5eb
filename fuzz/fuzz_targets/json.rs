//! Intent-set JSON from arbitrary bytes: an `IntentSetError` naming where (its pointer is a JSON pointer), or a
//! matcher that answers, saves itself (unless a capture program is too large) and loads back answering the same —
//! never a panic.
#![no_main]

use intent_edge::intent::IntentMatcher;
use libfuzzer_sys::fuzz_target;

const TEXTS: &[&str] = &[
    "",
    "hi there",
    "lost my card",
    "send £20 to Zoë",
    "ΣΟΦΊΑ σοφία",
    "x\u{0}y",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
];

fuzz_target!(|bytes: &[u8]| {
    let Ok(json) = std::str::from_utf8(bytes) else {
        return;
    };
    match IntentMatcher::from_json(json) {
        Err(e) => {
            let pointer = e.pointer();
            assert!(
                pointer.is_empty() || pointer.starts_with('/'),
                "{pointer:?}: {e}"
            );
            let _ = e.to_string();
        }
        Ok(matcher) => {
            // `None` only when a pattern's capture program outgrows the size limit (its set program did not): then
            // the set still answers, without panicking (tests/fuzz_regressions.rs, stop 35's finding).
            let Some(saved) = matcher.precompile() else {
                for text in TEXTS {
                    let _ = matcher.find_all(text);
                    let _ = matcher.find(text);
                }
                return;
            };
            let loaded = IntentMatcher::from_precompiled(&saved).expect("loads what it wrote");
            for text in TEXTS {
                let answer = matcher.find_all(text);
                assert_eq!(answer, loaded.find_all(text), "{text:?}");
                assert_eq!(
                    matcher.best_intent_index(text),
                    loaded.best_intent_index(text)
                );
            }
            let _ = matcher.sample_texts(1);
        }
    }
});
