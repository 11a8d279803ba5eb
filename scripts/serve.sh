#!/usr/bin/env bash
# Builds everything, then serves the edge gateway (the component under `wasmtime serve`) on 127.0.0.1:3000 in front
# of the demo origin on 127.0.0.1:3001, which serves www/ (the demo page) and a few demo endpoints.
#   PORT=3000 ORIGIN_PORT=3001 bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3000}
ORIGIN_PORT=${ORIGIN_PORT:-3001}

bash scripts/setup.sh
bash scripts/build.sh

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

node scripts/origin.mjs --port "$ORIGIN_PORT" &
pids+=($!)
wasmtime serve -Scli=y --addr "127.0.0.1:$PORT" \
  --max-instance-reuse-count 100000 --max-instance-concurrent-reuse-count 64 --idle-instance-timeout 300s \
  --dir config::/config --dir www::/www \
  --env INTENT_EDGE_ORIGIN="http://127.0.0.1:$ORIGIN_PORT" \
  target/wasm32-wasip2/release/intent_edge.preinit.wasm &
pids+=($!)

cat <<MSG

  intent-edge is up:
    demo page          http://127.0.0.1:$PORT/            (through the gateway; origin on :$ORIGIN_PORT)
    intent API         curl -s -H 'content-type: application/json' -d '{"text":"send £20 to Zoë"}' http://127.0.0.1:$PORT/api/intent
    health, metrics    http://127.0.0.1:$PORT/healthz   http://127.0.0.1:$PORT/metrics
  Intents: config/intents.json, precompiled into the component by this script (restart to pick up edits).
  Ctrl-C stops both servers.

MSG
wait -n "${pids[@]}"
