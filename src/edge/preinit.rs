//! Pre-initialization: the component exports `wizer-initialize`, which `wasmtime wizer` runs once at build time
//! (`scripts/build.sh`) before writing the instance's memory into a new component. Every instance started from
//! that component begins with the embedded intent set loaded (capture engines built): its first request decodes
//! nothing. A set determinized lazily can also be warmed up (its DFA states for typical texts cached), at the cost
//! of a larger component; both inputs are fixed when the component is compiled:
//!
//! | compile-time variable | default | meaning |
//! |---|---|---|
//! | `INTENT_EDGE_WARMUP_SAMPLES` | `0` | texts made from each pattern to warm up with ([`IntentMatcher::sample_texts`](crate::intent::IntentMatcher::sample_texts)) |
//! | `INTENT_EDGE_WARMUP_TEXTS` | (required with `embedded-set`) | a file of real texts, one per line (`scripts/build.sh` passes an empty one by default) |
//!
//! The initialization reads no environment variable and no file at run time of the snapshot: WASI's environment
//! and preopened directories are read once per instance and then kept, so touching them here would freeze the
//! build machine's into every instance. It reports what it did as its result, which `wasmtime wizer` prints.
//!
//! Caveat: whatever the initialization computed is frozen into the component, including the seed of the hash
//! maps it created (std's per-thread keys): instances of one build share it. The maps that hold client-chosen
//! keys are built per instance, but their seeds derive from those same keys, so treat the built component as
//! you would its source set and configuration.

use super::intent_set;

spin_sdk::wit_bindgen::generate!({
    inline: r#"
        package intent-edge:gateway;
        world preinit {
            export wizer-initialize: func() -> result<string, string>;
        }
    "#,
    world: "preinit",
    runtime_path: "spin_sdk::wit_bindgen::rt",
});

/// Texts made from each pattern, as given to `cargo build` (see the module docs).
const WARMUP_SAMPLES: Option<&str> = option_env!("INTENT_EDGE_WARMUP_SAMPLES");

#[cfg(feature = "embedded-set")]
static WARMUP_TEXTS: &str = include_str!(env!("INTENT_EDGE_WARMUP_TEXTS"));
#[cfg(not(feature = "embedded-set"))]
static WARMUP_TEXTS: &str = "";

struct Preinit;

impl Guest for Preinit {
    fn wizer_initialize() -> Result<String, String> {
        let samples = match WARMUP_SAMPLES.map(str::trim) {
            None | Some("") => 0,
            Some(value) => value.parse().map_err(|_| {
                format!(
                    "INTENT_EDGE_WARMUP_SAMPLES={value:?} is not a count of samples per pattern"
                )
            })?,
        };
        let texts: Vec<&str> = WARMUP_TEXTS
            .lines()
            .filter(|line| !line.is_empty())
            .collect();
        intent_set::preload_embedded(samples, &texts)
    }
}

export!(Preinit);
