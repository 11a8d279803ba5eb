//! Writes the seed inputs of the `iedge` and `json` fuzz targets (`cargo run --release --example fuzz-seeds -- DIR`):
//! every intent set of the behaviour corpus, the demo set and assistant-64 as JSON, and each of them precompiled
//! in every form it takes (anchored, dense when it fits, lazy) as `.iedge` bytes of this very build (files under
//! 200 KB) — so the
//! fuzzer starts from files that load and mutates its way into every section of the format.
//!
//! Files: `DIR/json/*.json`, `DIR/iedge/*.iedge`.

#[cfg(not(target_arch = "wasm32"))]
use intent_edge::intent::{IntentMatcher, IntentSetConfig};
#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

/// (Determinizing ahead of time is native: the wasm test builds compile this example to nothing.)
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: fuzz-seeds DIR"));
    let (json_dir, iedge_dir) = (dir.join("json"), dir.join("iedge"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&json_dir).unwrap();
    std::fs::create_dir_all(&iedge_dir).unwrap();
    // A small ASCII set, whose dense table is small too.
    let mut sets: Vec<(String, String)> = vec![(
        "small".into(),
        r#"{"options":{"unicode":false,"maxTextBytes":64},"intents":[{"id":"lost","priority":2,"patterns":["lost\\s+(?P<what>card|phone)","stolen"]},{"id":"hi","patterns":["^(?:hi|hello)\\b","\\bhey$"]},{"id":"book","patterns":["book (?P<n>\\d+) tickets? to (?P<city>[A-Za-z]+)"]}]}"#.into(),
    )];
    for name in ["config/intents.json", "bench/sets/assistant-64.json"] {
        sets.push((
            stem(Path::new(name)),
            std::fs::read_to_string(root.join(name)).unwrap(),
        ));
    }
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(root.join("tests/corpus/intents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    corpus.sort();
    for path in corpus {
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if !file["set"].is_null() {
            sets.push((stem(&path), file["set"].to_string()));
        }
    }
    for (name, json) in &sets {
        std::fs::write(json_dir.join(format!("{name}.json")), json).unwrap();
        let config: IntentSetConfig = serde_json::from_str(json).unwrap();
        let forms = [
            ("lazy", IntentMatcher::new(config.clone())),
            ("anchored", IntentMatcher::new_anchored(config.clone())),
            ("dense", IntentMatcher::new_dense(config)),
        ];
        for (form, matcher) in forms {
            let matcher = matcher.unwrap();
            let bytes = matcher.precompile().unwrap();
            // A set whose dense DFA does not fit is anchored under --dense too: one file is enough. Large files
            // only slow every execution down: the small sets cover every section.
            if (matcher.stats().automaton.as_str() == form || form == "lazy")
                && bytes.len() < 200_000
            {
                std::fs::write(iedge_dir.join(format!("{name}.{form}.iedge")), bytes).unwrap();
            }
        }
    }
    println!("{} sets written to {}", sets.len(), dir.display());
}

#[cfg(not(target_arch = "wasm32"))]
fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}
