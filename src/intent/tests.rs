use super::*;

fn matcher(json: &str) -> IntentMatcher {
    IntentMatcher::from_json(json).expect("valid set")
}

#[test]
fn best_is_highest_priority_then_first_declared() {
    let m = matcher(
        r#"{"intents":[
            {"id":"a","patterns":["card"]},
            {"id":"b","patterns":["lost"],"priority":5},
            {"id":"c","patterns":["card"]}]}"#,
    );
    assert_eq!(m.find("my card").unwrap().unwrap().intent, "a");
    assert_eq!(m.find("lost my card").unwrap().unwrap().intent, "b");
    let all: Vec<_> = m
        .find_all("lost my card")
        .unwrap()
        .into_iter()
        .map(|x| x.intent)
        .collect();
    assert_eq!(all, ["b", "a", "c"]);
    assert_eq!(
        m.matching_intent_indexes("lost my card").unwrap(),
        [0, 1, 2]
    );
    assert_eq!(m.best_intent_index("nothing here").unwrap(), None);
}

#[test]
fn slots_and_spans_in_bytes_and_utf16() {
    let m = matcher(
        r#"{"intents":[{"id":"pay","patterns":["pay (?P<amount>£\\d+) to (?<who>\\p{L}+)"]}]}"#,
    );
    let text = "😀 please PAY £20 to Zoë";
    let hit = m.find(text).unwrap().unwrap();
    assert_eq!(&text[hit.span.start..hit.span.end], "PAY £20 to Zoë");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(
        String::from_utf16(&utf16[hit.span.start_utf16..hit.span.end_utf16]).unwrap(),
        "PAY £20 to Zoë"
    );
    assert_eq!(hit.slots.len(), 2);
    assert_eq!(
        (hit.slots[0].name.as_str(), hit.slots[0].value.as_str()),
        ("amount", "£20")
    );
    assert_eq!(
        (hit.slots[1].name.as_str(), hit.slots[1].value.as_str()),
        ("who", "Zoë")
    );
    assert_eq!(hit.slots[1].span.start_utf16, 21);
}

#[test]
fn reports_first_matching_pattern_of_an_intent() {
    let m = matcher(r#"{"intents":[{"id":"x","patterns":["zzz","b+","a"]}]}"#);
    let hit = m.find("abbb").unwrap().unwrap();
    assert_eq!(hit.pattern_index, 1);
    assert_eq!((hit.span.start, hit.span.end), (1, 4));
}

#[test]
fn errors_name_intent_pattern_and_field() {
    let err = IntentMatcher::from_json(
        r#"{"intents":[{"id":"ok","patterns":["a"]},{"id":"bad","patterns":["x","(unclosed"]}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            IntentSetError::InvalidPattern {
                intent_index: 1,
                pattern_index: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.pointer(), "/intents/1/patterns/1");
    assert!(err.to_string().contains("\"bad\""), "{err}");

    let err = IntentMatcher::from_json(
        r#"{"intents":[{"id":"a","patterns":["a"]},{"id":"a","patterns":["b"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        err,
        IntentSetError::DuplicateId {
            id: "a".into(),
            first_index: 0,
            intent_index: 1
        }
    );

    let err = IntentMatcher::from_json(r#"{"intents":[]}"#).unwrap_err();
    assert_eq!(err, IntentSetError::NoIntents);

    let err = IntentMatcher::from_json(r#"{"intents":[{"id":"a","patterns":["a"],"prio":1}]}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown field `prio`"), "{err}");
    let err = IntentMatcher::from_json(
        r#"{"intents":[{"id":"a","patterns":["a"]},{"id":"b","patterns":[7]}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.pointer(), "/intents/1/patterns/0");

    let err = IntentMatcher::from_json(
        r#"{"options":{"maxPatternBytes":3},"intents":[{"id":"a","patterns":["abcd"]}]}"#,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        IntentSetError::PatternTooLong {
            len: 4,
            limit: 3,
            ..
        }
    ));

    let err = IntentMatcher::from_json(
        r#"{"options":{"sizeLimit":100},"intents":[{"id":"a","patterns":["\\w{50}"]}]}"#,
    )
    .unwrap_err();
    assert!(matches!(err, IntentSetError::SetTooLarge { .. }), "{err:?}");

    let err = IntentMatcher::from_json(
        r#"{"options":{"unicode":false},"intents":[{"id":"a","patterns":["."]}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, IntentSetError::InvalidPattern { .. }),
        "{err:?}"
    );
}

#[test]
fn text_limit_is_enforced_and_the_matcher_stays_usable() {
    let m = matcher(r#"{"options":{"maxTextBytes":5},"intents":[{"id":"a","patterns":["a"]}]}"#);
    assert_eq!(
        m.find("aaaaaa").unwrap_err(),
        MatchError::TextTooLong { len: 6, limit: 5 }
    );
    assert!(m.find("aaaaa").unwrap().is_some());
}

#[test]
fn pathological_patterns_run_in_linear_time() {
    let m = matcher(
        r#"{"options":{"maxTextBytes":1000000},"intents":[{"id":"redos","patterns":["^(a+)+$","(\\w+\\s?)*$"]}]}"#,
    );
    let text = format!("{}!", "a".repeat(100_000));
    // A backtracking engine would not finish; here this is one linear scan per pattern.
    let hit = m.find(&text).unwrap().unwrap();
    assert_eq!(hit.pattern_index, 1);
}

#[test]
fn backtracking_only_constructs_are_rejected_with_their_location() {
    for pattern in ["foo(?=bar)", "(?<!x)y", "(a)\\1"] {
        let json =
            serde_json::json!({"intents": [{"id": "x", "patterns": ["ok", pattern]}]}).to_string();
        let err = IntentMatcher::from_json(&json).unwrap_err();
        assert_eq!(err.pointer(), "/intents/0/patterns/1", "{pattern}: {err}");
        assert!(err.to_string().contains("not a valid regex"), "{err}");
    }
}

#[test]
fn word_classes_are_ascii_like_javascript_and_unicode_mode_folds_non_ascii() {
    let json = r#"{"intents":[{"id":"name","patterns":["to (?P<who>\\w+)"]},{"id":"cafe","patterns":["CAFÉ"]}]}"#;
    let unicode = matcher(json);
    assert_eq!(
        unicode.find("pay to Zoë").unwrap().unwrap().slots[0].value,
        "Zo",
        "ASCII \\w, as in JavaScript"
    );
    assert_eq!(
        unicode.find("un café").unwrap().unwrap().intent,
        "cafe",
        "Unicode case folding"
    );
    let ascii =
        matcher(&json.replace(r#"{"intents""#, r#"{"options":{"unicode":false},"intents""#));
    assert_eq!(
        ascii.find("pay to Zoë").unwrap().unwrap().slots[0].value,
        "Zo"
    );
    assert_eq!(
        ascii.find("un café").unwrap(),
        None,
        "ASCII-only case folding"
    );
    assert_eq!(ascii.find("un CAFÉ").unwrap().unwrap().intent, "cafe");
}

/// A repeatable pseudo-random source (xorshift from `seed`): each call gives a number below its argument.
#[cfg(not(target_arch = "wasm32"))]
fn below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

/// The best intent comes from a search that keeps only the least-ranked pattern it passes (`BestPattern`); every
/// other query collects every hit. Both must agree, in every form, one call and batched, on a set whose priorities
/// cross declaration order, with several patterns per intent and texts that match many of them at once. (Native:
/// the dense and anchored forms are built natively only.)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_best_intent_agrees_with_every_hit_ranked_in_every_form() {
    let json = r#"{"intents":[
        {"id":"greet","patterns":["\\bhi\\b","\\bhello\\b","^hey"]},
        {"id":"card","patterns":["\\bcard\\b","\\bcards?\\s+\\w+"],"priority":2},
        {"id":"lost","patterns":["\\b(?:lost|stolen)\\b"],"priority":5},
        {"id":"lost-card","patterns":["\\b(?:lost|stolen)\\s+(?:my\\s+)?card\\b"],"priority":5},
        {"id":"money","patterns":["[£€$]\\d+","\\d+\\s*(?:pounds|euros)"],"priority":-1},
        {"id":"end","patterns":["card$","\\?$"],"priority":2},
        {"id":"any","patterns":["\\w{12,}"],"priority":-3}]}"#;
    let config = || serde_json::from_str::<IntentSetConfig>(json).unwrap();
    let forms = [
        ("lazy", IntentMatcher::new(config()).unwrap()),
        ("dense", IntentMatcher::new_dense(config()).unwrap()),
        ("anchored", IntentMatcher::new_anchored(config()).unwrap()),
    ];
    let words = [
        "hi",
        "hello",
        "hey",
        "card",
        "cards",
        "lost",
        "stolen",
        "my",
        "£20",
        "20 pounds",
        "?",
        "extraordinarily",
        "",
        "zoë",
        "x",
    ];
    let mut next = below(0x2545_f491);
    let texts: Vec<String> = (0..400)
        .map(|_| {
            let count = next(7);
            (0..count)
                .map(|_| words[next(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (form, m) in &forms {
        let batch = m.best_intent_indexes(&refs).unwrap();
        for (text, batched) in texts.iter().zip(&batch) {
            let ranked = m
                .find_all(text)
                .unwrap()
                .first()
                .map(|hit| hit.intent_index);
            assert_eq!(
                m.best_intent_index(text).unwrap(),
                ranked,
                "{form}: {text:?}"
            );
            assert_eq!(*batched, ranked, "{form} batched: {text:?}");
            let found = m.find(text).unwrap().map(|hit| hit.intent_index);
            assert_eq!(found, ranked, "{form} find: {text:?}");
        }
    }
    assert!(
        batch_answers_vary(&forms[2].1, &refs),
        "the texts reach several intents, and none"
    );
}

/// The JavaScript binding's short-text path hands the matcher bytes it does not validate again (an ASCII text it
/// copied itself). Bytes that are not UTF-8 must then get an answer, never a panic, in every form; and UTF-8 bytes
/// must answer as the text does.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn bytes_that_are_not_utf8_get_an_answer_never_a_panic_in_every_form() {
    let json = r#"{"intents":[
        {"id":"card","patterns":["\\bcards?\\b","^lost"]},
        {"id":"word","patterns":["\\w{4}\\b","é$"],"priority":1},
        {"id":"money","patterns":["[£€]\\d+"]}]}"#;
    let config = || serde_json::from_str::<IntentSetConfig>(json).unwrap();
    let forms = [
        ("lazy", IntentMatcher::new(config()).unwrap()),
        ("dense", IntentMatcher::new_dense(config()).unwrap()),
        ("anchored", IntentMatcher::new_anchored(config()).unwrap()),
    ];
    let pieces: [&[u8]; 12] = [
        b"card",
        b"lost ",
        b" ",
        b"\xc3",
        b"\xa9",
        b"\xe2\x82",
        b"\xac5",
        b"\xff",
        b"\x80\x80",
        b"\xf0\x9f",
        b"word",
        b"\0",
    ];
    let mut next = below(0x9e37_79b9);
    let (mut invalid, mut answered) = (0, 0);
    for _ in 0..600 {
        let text: Vec<u8> = (0..next(8))
            .flat_map(|_| pieces[next(pieces.len())].iter().copied())
            .collect();
        for (form, m) in &forms {
            let best = m.best_intent_index_of_utf8(&text);
            let mut all = [0u32; 8];
            let every = m.matching_intent_indexes_into(&text, &mut all);
            assert!(best.is_ok() && every.is_ok(), "{form}: {text:?}");
            let best = best.unwrap();
            answered += usize::from(best.is_some());
            if let Ok(utf8) = std::str::from_utf8(&text) {
                assert_eq!(best, m.best_intent_index(utf8).unwrap(), "{form}: {utf8:?}");
            } else {
                invalid += 1;
            }
        }
    }
    assert!(
        invalid > 600 && answered > 300,
        "{invalid} invalid, {answered} answered"
    );
}

/// Whether a batch's best intents include none and at least four different intents (so a test over it means
/// something).
#[cfg(not(target_arch = "wasm32"))]
fn batch_answers_vary(m: &IntentMatcher, texts: &[&str]) -> bool {
    let best = m.best_intent_indexes(texts).unwrap();
    let distinct: std::collections::BTreeSet<_> = best.iter().flatten().collect();
    best.contains(&None) && distinct.len() >= 4
}
