//! Differential fuzzing of the set automaton: a small random intent set is built lazily (`IntentMatcher::new`) and
//! determinized ahead of time, anchored (`new_anchored`) or dense (`new_dense`: one or the other per input), each
//! also saved and loaded back through `.iedge` — and every form must say exactly which patterns match each text that
//! `regex_automata::meta` says, one call per text and in a batch; the best intent's span must be the pattern's own
//! leftmost-first match.
#![no_main]

use intent_edge::intent::IntentMatcher;
use intent_edge_fuzz::{Reference, SetAndTexts};
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A set in every form, and the reference for it.
struct Built {
    reference: Reference,
    forms: Vec<(&'static str, IntentMatcher)>,
}

thread_local! {
    /// Sets built for earlier inputs: most mutations change the texts only, and determinizing a set is most of an
    /// execution. (A kept set's caches are warm: warm and cold searches both get checked.)
    static BUILT: RefCell<HashMap<String, Option<Rc<Built>>>> = RefCell::new(HashMap::new());
}

fn build(input: &SetAndTexts) -> Option<Rc<Built>> {
    let key = format!(
        "{} {} {:?}",
        input.case_insensitive,
        input.ascii_only,
        input.pattern_strings()
    );
    if let Some(built) = BUILT.with_borrow(|b| b.get(&key).cloned()) {
        return built;
    }
    let config = input.config();
    let built = (|| {
        if config.intents.is_empty() {
            return None;
        }
        let reference = Reference::new(&config)?;
        // A set the matcher refuses (an ASCII-only set with a pattern that could match invalid UTF-8) is skipped:
        // refusing it is the documented answer, and the reference refused nothing the matcher accepts above.
        let lazy = IntentMatcher::new(config.clone()).ok()?;
        // Determinizing is most of an execution: each input builds one of the two forms determinized ahead of time
        // (`new_dense` gives a set over dfaSizeLimit the anchored form too).
        let ahead = if input.case_insensitive ^ (input.texts.len() % 2 == 0) {
            (
                "anchored",
                IntentMatcher::new_anchored(config).expect("the lazy form built"),
            )
        } else {
            (
                "dense",
                IntentMatcher::new_dense(config).expect("the lazy form built"),
            )
        };
        let mut forms = vec![("lazy", lazy), ahead];
        let reloaded: Vec<_> = forms
            .iter()
            .map(|(form, m)| {
                let bytes = m.precompile().expect("serializable");
                (
                    *form,
                    IntentMatcher::from_precompiled(&bytes).expect("loads what it wrote"),
                )
            })
            .collect();
        forms.extend(reloaded);
        Some(Rc::new(Built { reference, forms }))
    })();
    BUILT.with_borrow_mut(|b| {
        if b.len() >= 256 {
            b.clear();
        }
        b.insert(key, built.clone());
    });
    built
}

fuzz_target!(|input: SetAndTexts| {
    let Some(built) = build(&input) else {
        return;
    };
    let (reference, forms) = (&built.reference, &built.forms);
    let texts = input.text_strings();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (form, matcher) in forms {
        let batch = matcher
            .matching_intent_indexes_batch(&refs)
            .expect("texts within the limit");
        let best = matcher
            .best_intent_indexes(&refs)
            .expect("texts within the limit");
        for (i, text) in texts.iter().enumerate() {
            let want = reference.matching(text);
            let got = matcher
                .matching_pattern_indexes(text)
                .expect("text within the limit");
            assert_eq!(
                got,
                want,
                "{form} ({:?}): {text:?} {:?}",
                matcher.stats().automaton,
                input.pattern_strings()
            );
            // One pattern per intent: intent indexes are pattern indexes.
            assert_eq!(
                batch[i],
                want,
                "{form} batch: {text:?} {:?}",
                input.pattern_strings()
            );
            assert_eq!(
                best[i],
                want.first().copied(),
                "{form} best of batch: {text:?}"
            );
            match matcher.find(text).expect("text within the limit") {
                Some(hit) => {
                    assert_eq!(
                        Some(hit.intent_index),
                        want.first().copied(),
                        "{form}: {text:?}"
                    );
                    let span = reference.find(hit.intent_index, text);
                    assert_eq!(
                        Some((hit.span.start, hit.span.end)),
                        span,
                        "{form} span: {text:?}"
                    );
                }
                None => assert!(
                    want.is_empty(),
                    "{form}: no best for {text:?}, reference {want:?}"
                ),
            }
        }
    }
});
