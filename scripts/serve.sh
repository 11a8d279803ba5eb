#!/usr/bin/env bash
# Builds everything, then serves the edge gateway (the component under `wasmtime serve`) on 127.0.0.1:3000 in front
# of the demo origin on 127.0.0.1:3001, which serves www/ (the demo page) and a few demo endpoints.
#   PORT=3000 ORIGIN_PORT=3001 bash scripts/serve.sh
# With STORE=redis, limits, cached responses and coalescing are shared through a redis-server this script starts on
# 127.0.0.1:$REDIS_PORT (6379 by default; no persistence), and the component runs under Spin's default instance
# model (at most 128 requests and 16 at once per instance, dropped after 1 s idle), as a deployment would.
#   STORE=redis bash scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-3000}
ORIGIN_PORT=${ORIGIN_PORT:-3001}
STORE=${STORE:-memory}
REDIS_PORT=${REDIS_PORT:-6379}

bash scripts/setup.sh
bash scripts/build.sh

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

node scripts/origin.mjs --port "$ORIGIN_PORT" &
pids+=($!)

# Per instance (memory): wide instance flags keep one instance's state in use. Shared (redis): Spin's defaults.
instance_flags=(--max-instance-reuse-count 100000 --max-instance-concurrent-reuse-count 64 --idle-instance-timeout 300s)
store_args=()
case "$STORE" in
  memory) ;;
  redis)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --maxmemory 64mb --maxmemory-policy volatile-lru &
    pids+=($!)
    instance_flags=(--max-instance-reuse-count 128 --max-instance-concurrent-reuse-count 16 --idle-instance-timeout 1s)
    store_args=(-S inherit-network=y --env INTENT_EDGE_STORE="redis://127.0.0.1:$REDIS_PORT")
    ;;
  *) echo "STORE=$STORE: use memory or redis" >&2; exit 2 ;;
esac
wasmtime serve -Scli=y --addr "127.0.0.1:$PORT" "${instance_flags[@]}" "${store_args[@]}" \
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
  State: $STORE$( [ "$STORE" = redis ] && echo " (redis-server on 127.0.0.1:$REDIS_PORT, shared by every instance)" || echo " (per instance; STORE=redis shares it through Redis)")
  Ctrl-C stops both servers.

MSG
wait -n "${pids[@]}"
