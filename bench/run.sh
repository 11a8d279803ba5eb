#!/usr/bin/env bash
# The intent-matcher benchmark in one command: builds what is missing, precompiles every set, then times the
# JS RegExp loop vs the package in Node and in headless Chromium, and regex loops vs the matcher natively, and
# prints one table of ratios (bench/report.mjs). Then the ReDoS side-by-side (bench/redos.mjs).
#   bash bench/run.sh            everything
#   bash bench/run.sh --no-redos skip the ReDoS demonstration
#   bash bench/run.sh --curve    also the load curve up to 2,000 patterns (bench/curve.mjs; several minutes)
#   BENCH_EXTRA_SETS=dir bash bench/run.sh   also every NAME.json + NAME.queries.jsonl in dir (bench/sets/mine_keywords.py)
#   bash bench/run.sh --edge     also the edge component's first answers, as built, pre-initialized and with the set as a
#                                mounted file (bench/edge.mjs; builds the component once per set and warm-up: long)
#   bash bench/run.sh --fresh    also what a fresh Node process's first 30 batches cost, batches stepped in JavaScript
#                                and in wasm, against the RegExp loop (bench/fresh.mjs; about 5 minutes)
# The report ends with issue 13's targets checked on every set. Instruction counts, which repeat exactly where times
# do not: bash bench/callgrind.sh (native, one call per text and batched).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f pkg/node/intent_edge.js ] && [ -f pkg/web/intent_edge.js ] || bash scripts/build.sh
# The crawler-user-agents list is one of the sets (bench/prepare.mjs): npm, pinned in bench/package-lock.json.
[ -d bench/node_modules/crawler-user-agents ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
cargo build --release --quiet --bin intent-edge --example bench
node bench/prepare.mjs >/dev/null
node -e 'for (const s of require("./target/bench/sets.json")) console.log([s.iedge, s.json, ...s.compile].join(" "))' |
while read -r out json flags; do
  # Recompile when the set or the compiler changed (a dense DFA of a large set takes seconds to minutes).
  if [ ! -f "$out" ] || [ "$json" -nt "$out" ] || [ target/release/intent-edge -nt "$out" ]; then
    # shellcheck disable=SC2086  # flags: zero or more words
    ./target/release/intent-edge compile $flags "$json" "$out"
  fi
done

./target/release/examples/bench
node bench/node.mjs
node bench/browser.mjs
node bench/report.mjs | tee target/bench/report.txt

case " $* " in *" --no-redos "*) ;; *) node bench/redos.mjs ;; esac
case " $* " in *" --curve "*) node bench/curve.mjs ;; esac
case " $* " in *" --edge "*) node bench/edge.mjs && node bench/report.mjs --edge | tee -a target/bench/report.txt ;; esac
case " $* " in *" --fresh "*) node bench/fresh.mjs | tee -a target/bench/report.txt ;; esac
