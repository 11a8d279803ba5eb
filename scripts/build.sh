#!/usr/bin/env bash
# Release builds: the intent-set compiler (target/release/intent-edge) and the demo set precompiled with it
# (target/sets/intents.iedge), the JS packages, the demo page's copy (www/pkg, with the precompiled set) and the
# edge component with that set compiled in (target/wasm32-wasip2/release/intent_edge.wasm), and the same component
# pre-initialized by `wasmtime wizer` (intent_edge.preinit.wasm: the set already loaded, what `scripts/serve.sh` and
# the tests run). Prints raw and gzip sizes to target/sizes.txt.
#
# Pre-initialization can also warm a set that is determinized lazily (see src/edge/preinit.rs), at the cost of a
# larger component: INTENT_EDGE_WARMUP_SAMPLES=N (texts made from each pattern, default 0) and
# INTENT_EDGE_WARMUP_TEXTS=file (real texts, one per line). INTENT_EDGE_EMBEDDED_SET=file.iedge compiles in another
# set than the demo's.
#
# The browser packages (pkg/web, pkg/bundler) are built without the `compiler` feature: they load precompiled
# sets (IntentMatcher.fromBytes) and leave the regex parser, Unicode tables and NFA compiler out of the .wasm.
# The Node package (pkg/node) has everything, including `new IntentMatcher(json)` and `toBytes()`.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin intent-edge
mkdir -p target/sets
./target/release/intent-edge compile config/intents.json target/sets/intents.iedge

# Multi-value returns in the JS glue (wasm-bindgen's own switch, which it turns on by itself when the module says
# it uses multi-value; the stripped release build no longer says so): a call that may throw then returns its
# answer and error flag directly instead of through memory, ~860 fewer instructions per call in Node 20.
export WASM_BINDGEN_MULTI_VALUE=1
for target in web bundler nodejs; do
  out=pkg/${target/nodejs/node}
  features=()
  [ "$target" = nodejs ] || features=(--no-default-features)
  wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install "${features[@]}" >/dev/null 2>&1 \
    || wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install "${features[@]}"
done
rm -rf www/pkg && cp -r pkg/web www/pkg && cp target/sets/intents.iedge www/pkg/
INTENT_EDGE_EMBEDDED_SET="${INTENT_EDGE_EMBEDDED_SET:-target/sets/intents.iedge}" bash scripts/build-component.sh

size_line() { printf '%-48s %9d bytes raw  %8d bytes gzip\n' "$1" "$(stat -c %s "$1")" "$(gzip -9c "$1" | wc -c)"; }
mkdir -p target
{
  size_line pkg/web/intent_edge_bg.wasm
  size_line pkg/node/intent_edge_bg.wasm
  size_line target/wasm32-wasip2/release/intent_edge.wasm
  size_line target/wasm32-wasip2/release/intent_edge.preinit.wasm
  size_line target/sets/intents.iedge
} | tee target/sizes.txt
