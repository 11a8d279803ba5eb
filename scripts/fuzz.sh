#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 20; CI runs the short pass from scripts/test.sh) and fails
# on the first crash. Long runs: `bash scripts/fuzz.sh 3600`; a crash is saved under fuzz/artifacts/<target>/.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  out=$(cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" 2>&1) || {
    echo "$out" | tail -40
    echo "fuzz target $target FAILED"
    exit 1
  }
  echo "fuzz $target: $(echo "$out" | grep -E '^Done [0-9]+ runs' | tail -1)"
done
