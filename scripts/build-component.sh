#!/usr/bin/env bash
# The edge component with an intent set compiled in, as built (the set loaded on an instance's first use) and
# pre-initialized by `wasmtime wizer` (the set already loaded; src/edge/preinit.rs):
#
#   INTENT_EDGE_EMBEDDED_SET=set.iedge [INTENT_EDGE_WARMUP_TEXTS=file] [INTENT_EDGE_WARMUP_SAMPLES=N] \
#     bash scripts/build-component.sh
#
# writes <target>/wasm32-wasip2/release/intent_edge.wasm and intent_edge.preinit.wasm (<target>: $CARGO_TARGET_DIR,
# else target/) and prints the pre-initialization's report. Called by scripts/build.sh and bench/edge.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=$(realpath -m "${CARGO_TARGET_DIR:-target}")
mkdir -p "$target_dir"
# Warm-up texts are compiled in (the initialization reads no file): the given file, or none.
warmup_texts=$target_dir/intent-edge-warmup.txt
if [ -n "${INTENT_EDGE_WARMUP_TEXTS:-}" ]; then cp "$INTENT_EDGE_WARMUP_TEXTS" "$warmup_texts"; else : >"$warmup_texts"; fi
INTENT_EDGE_EMBEDDED_SET=$(realpath "${INTENT_EDGE_EMBEDDED_SET:?the .iedge file to compile in}") \
INTENT_EDGE_WARMUP_TEXTS="$warmup_texts" INTENT_EDGE_WARMUP_SAMPLES="${INTENT_EDGE_WARMUP_SAMPLES:-0}" \
  cargo build --release --target wasm32-wasip2 --lib --features embedded-set --quiet

# The component imports wasi:http 0.3 (spin-sdk 7): wizer links WASIp3 and the component-model async ABI. The init
# export stays (`--keep-init-func`): the component's own export list refers to it. Wizer prints its result.
component=$target_dir/wasm32-wasip2/release/intent_edge
report=$(wasmtime wizer -S cli,http,p3 -W component-model-async --keep-init-func=true \
  "$component.wasm" -o "$component.preinit.wasm")
case "$report" in
  ok\(*) echo "pre-initialized $component.preinit.wasm: $report" ;;
  *) echo "pre-initialization failed: $report" >&2; rm -f "$component.preinit.wasm"; exit 1 ;;
esac
