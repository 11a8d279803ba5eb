#!/usr/bin/env bash
# Differential fuzzing of the intent matcher (cargo fuzz, nightly): builds the targets and seeds, then runs each
# target and prints its executions and findings.
#   bash fuzz/run.sh                   a short pass, 10 s per target (what scripts/test.sh runs)
#   bash fuzz/run.sh --seconds N       N seconds per target
#   bash fuzz/run.sh --runs N          N executions per target, the targets side by side, at the lowest priority
#                                      (nice -n 19; forms, the slowest, in two processes sharing its corpus), logs in
#                                      fuzz/logs/ (the long run: N = 10000000)
# Targets (fuzz/fuzz_targets): forms (every automaton form against regex_automata::meta), iedge (arbitrary bytes
# loaded as a precompiled set), json (arbitrary intent-set JSON), gateway_request_key (the gateway's cache key and
# client identity from arbitrary request parts), gateway_cache_policy (RFC 9111 storability, freshness and Vary on
# arbitrary header values). A crash is saved in fuzz/artifacts/<target>/ and
# fails the run (see fuzz/README.md: each one becomes a regression test).
# Then js_stepper (fuzz/js_stepper.mjs, in Node on pkg/node, which it builds if missing): the package's JavaScript
# stepper against regex_automata::meta on random sets from the forms grammar (not libFuzzer: the code is
# JavaScript); its executions are cases, a set and its texts each.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=seconds limit=10
case "${1:-}" in
  --seconds) mode=seconds limit=$2 ;;
  --runs) mode=runs limit=$2 ;;
  "") ;;
  *) echo "usage: bash fuzz/run.sh [--seconds N | --runs N]" >&2; exit 2 ;;
esac

targets=(forms iedge json gateway_request_key gateway_cache_policy)
# No sanitizer (the code under test has no unsafe) and no tracing of comparisons: each halved the executions per
# second; the seeds give the fuzzer the format's header and the JSON's field names that tracing would find.
cargo +nightly fuzz build -s none --no-trace-compares 2>/dev/null || cargo +nightly fuzz build -s none --no-trace-compares
cargo run --release --quiet --example fuzz-seeds -- fuzz/seeds >/dev/null
cargo build --release --quiet --manifest-path fuzz/Cargo.toml --example js_cases
[ -f pkg/node/index.cjs ] || bash scripts/build-package.sh >/dev/null

run() {
  local target=$1 seeds=()
  case $target in iedge | json) seeds=("fuzz/seeds/$target") ;; esac
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  local flags=(-artifact_prefix="fuzz/artifacts/$target/" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1)
  # A forms input past 64 bytes only makes larger sets (four patterns and five texts fit in fewer).
  [ "$target" = forms ] && flags+=(-max_len=64)
  if [ "$mode" = seconds ]; then flags+=(-max_total_time="$limit"); else flags+=(-runs="$limit"); fi
  "fuzz/target/x86_64-unknown-linux-gnu/release/$target" "${flags[@]}" "fuzz/corpus/$target" "${seeds[@]}"
}

summary() {
  local target=$1
  shift
  local runs crashes slow
  runs=$(cat "$@" | awk '/stat::number_of_executed_units/ {n += $2} END {print n + 0}')
  # crash-, timeout-, oom- and leak- files are findings; slow-unit- files (over 10 s, which a paused run also
  # writes) are reported apart.
  crashes=$(ls "fuzz/artifacts/$target" 2>/dev/null | grep -cv '^slow-unit-' || true)
  slow=$(ls "fuzz/artifacts/$target" 2>/dev/null | grep -c '^slow-unit-' || true)
  echo "fuzz $target: ${runs:-?} executions, $crashes findings, $slow slow units (fuzz/artifacts/$target)"
  [ "$crashes" -eq 0 ]
}

status=0
if [ "$mode" = seconds ]; then
  for target in "${targets[@]}"; do
    log=$(mktemp)
    run "$target" >"$log" 2>&1 || { tail -30 "$log"; status=1; }
    summary "$target" "$log" || status=1
    rm -f "$log"
  done
  node fuzz/js_stepper.mjs --seconds "$limit" || status=1
else
  mkdir -p fuzz/logs
  pids=()
  for target in "${targets[@]}"; do
    workers=1
    [ "$target" = forms ] && workers=2
    for w in $(seq 1 $workers); do
      nice -n 19 bash -c "$(declare -f run); mode=$mode limit=$((limit / workers)) run $target" \
        >"fuzz/logs/$target.$w.log" 2>&1 &
      pids+=($!)
    done
  done
  nice -n 19 node fuzz/js_stepper.mjs --runs "$limit" >fuzz/logs/js_stepper.log 2>&1 &
  pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  tail -3 fuzz/logs/js_stepper.log
  for target in "${targets[@]}"; do summary "$target" fuzz/logs/"$target".*.log || status=1; done
fi
exit $status
