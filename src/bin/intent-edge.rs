//! `intent-edge`: the ahead-of-time step for intent sets.
//!
//! ```text
//! intent-edge compile [--dense] <set.json> <out.iedge>   compile (and determinize) a set into a precompiled file
//! intent-edge info <file.iedge>                          show what a precompiled file holds
//! ```
//!
//! Compiling is where the expensive work happens; the edge component and the JS package then load the `.iedge`
//! file without compiling anything. The set is determinized anchored (milliseconds to a second, a compact table;
//! see `src/intent/automaton/mod.rs`); `--dense` determinizes it into one dense DFA table when that fits
//! `options.dfaSizeLimit` (seconds to minutes, ~10 times larger; no cache to fill while matching), and otherwise saves
//! it anchored with a warning (the real 1,500-pattern crawler list: 9 s to find out).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use intent_edge::intent::{AutomatonKind, IntentMatcher};
    use std::process::ExitCode;
    use std::time::Instant;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let fail = |message: String| {
        eprintln!("intent-edge: {message}");
        ExitCode::FAILURE
    };
    let describe = |m: &IntentMatcher| {
        let s = m.stats();
        format!(
            "{} intents, {} patterns, automaton {} ({} bytes in memory)",
            s.intents, s.patterns, s.automaton, s.automaton_bytes
        )
    };
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["compile", input, output] | ["compile", "--dense", input, output] => {
            let dense = args[1] == "--dense";
            let json = match std::fs::read_to_string(input) {
                Ok(json) => json,
                Err(e) => return fail(format!("cannot read {input}: {e}")),
            };
            let started = Instant::now();
            let config = match intent_edge::json::from_str(&json) {
                Ok(config) => config,
                Err(e) => return fail(format!("{input} is invalid at {:?}: {e}", e.pointer)),
            };
            let built = if dense {
                IntentMatcher::new_dense(config)
            } else {
                IntentMatcher::new_anchored(config)
            };
            let matcher = match built {
                Ok(m) => m,
                Err(e) => return fail(format!("{input} is invalid at {:?}: {e}", e.pointer())),
            };
            let Some(bytes) = matcher.precompile() else {
                return fail(format!("{input}: the compiled set could not be serialized"));
            };
            let automaton = matcher.stats().automaton;
            if automaton == AutomatonKind::Lazy {
                eprintln!(
                    "intent-edge: warning: {input} does not determinize within options.dfaSizeLimit ({} bytes), \
                     even anchored; saved with its NFA for lazy determinization: loading compiles nothing, but the \
                     first texts fill the DFA cache (raise the limit to determinize it)",
                    matcher.options().dfa_size_limit
                );
            }
            if dense && automaton == AutomatonKind::Anchored {
                eprintln!(
                    "intent-edge: warning: {input} does not fit one dense DFA within options.dfaSizeLimit ({} bytes); \
                     saved anchored instead, as without --dense (raise the limit for the dense form)",
                    matcher.options().dfa_size_limit
                );
            }
            if let Err(e) = std::fs::write(output, &bytes) {
                return fail(format!("cannot write {output}: {e}"));
            }
            println!(
                "{output}: {} bytes; {}; compiled in {:.0?}",
                bytes.len(),
                describe(&matcher),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        ["info", input] => {
            let bytes = match std::fs::read(input) {
                Ok(bytes) => bytes,
                Err(e) => return fail(format!("cannot read {input}: {e}")),
            };
            let started = Instant::now();
            match IntentMatcher::from_precompiled(&bytes) {
                Ok(m) => {
                    println!(
                        "{input}: {} bytes; {}; loaded in {:.0?}",
                        bytes.len(),
                        describe(&m),
                        started.elapsed()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(format!("{input}: {e}")),
            }
        }
        _ => fail(
            "usage: intent-edge compile [--dense] <set.json> <out.iedge> | intent-edge info <file.iedge>"
                .into(),
        ),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
