#!/usr/bin/env bash
# Instruction counts of the matcher's warm search, per set, under callgrind: repeatable to the instruction on a
# shared machine where times are not. One warm pass of each set's queries, best intent per text, one call each and
# one batch call (bench/native.rs --callgrind). Prints instructions per text and per byte, and simulated cache misses.
#   bash bench/callgrind.sh [SET ...]    default: every set in target/bench/sets.json (bench/run.sh writes it)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile profiling --quiet --example bench
sets=("$@")
[ ${#sets[@]} -gt 0 ] || mapfile -t sets < <(node -e 'for (const s of require("./target/bench/sets.json")) console.log(s.name)')
mkdir -p target/bench/callgrind
for set in "${sets[@]}"; do for mode in call batch; do
  out=target/bench/callgrind/$set.$mode.out
  line=$(valgrind --tool=callgrind --cache-sim=yes --toggle-collect='*measured_*' --callgrind-out-file="$out" \
    ./target/profiling/examples/bench --callgrind "$set" "$mode" 2>/dev/null)
  read -r texts bytes < <(echo "$line" | sed -E 's/.*: ([0-9]+) texts, ([0-9]+) bytes.*/\1 \2/')
  # Totals in the order Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw (percentages dropped).
  callgrind_annotate "$out" 2>/dev/null | sed -E 's/\([0-9.]+%\)//g' | awk -v set="$set" -v texts="$texts" -v bytes="$bytes" '
    /PROGRAM TOTALS/ { gsub(",", ""); ir = $1; d1mr = $5; d1mw = $6; dlmr = $8
      printf "%-16s %-5s %12d instructions  %7.1f per text  %6.2f per byte   D1 misses %8d (%.3f per byte)  LL %d\n",
        set, mode, ir, ir / texts, ir / bytes, d1mr + d1mw, (d1mr + d1mw) / bytes, dlmr }' mode="$mode"
done; done
