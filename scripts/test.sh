#!/usr/bin/env bash
# Runs every test: lint and docs, the native crate, the wasm suite in Node and in headless Chromium, the Node
# package and its TypeScript declarations, the HTTP component under `wasmtime serve`, and the demo page in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
mkdir -p target
exec > >(tee target/test.log) 2>&1

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "format, lint (native, browser and edge targets), docs"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
cargo clippy --lib --target wasm32-wasip2 -- -D warnings
cargo clippy --lib --target wasm32-wasip2 --features spin-variables -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet --target wasm32-unknown-unknown

step "native: unit tests, behaviour corpus, BANKING77, doc tests, the shared store's scripts against a real redis-server"
cargo test

step "wasm suite in Node (wasm-pack test --node)"
wasm-pack test --node --mode no-install

step "wasm suite in headless Chromium (wasm-pack test --headless --chrome)"
wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" --mode no-install

step "build: browser/Node packages (web, bundler, nodejs) and the edge component"
bash scripts/build.sh

step "npm package: Node and browser builds (corpus, BANKING77, errors, memory), packed and installed by name, tsc --strict"
(cd tests/js && node --test package.test.mjs stepping.test.mjs browser-package.test.mjs)

step "edge component under wasmtime serve (Spin's default instance model): intent API, the gateway in front of an origin; the demo page in headless Chromium"
(cd tests/js && node --test edge.test.mjs gateway.test.mjs demo.test.mjs)

step "shared state: the gateway on a real redis-server (started here), two wasmtime serve nodes, Redis stopped, slow and restarted"
(cd tests/js && node --test shared-store.test.mjs)

step "fuzzing, a short pass per target: every automaton form vs regex_automata::meta, .iedge bytes, intent-set JSON, the gateway's request key and cache policy, the package's JavaScript stepper vs meta (fuzz/run.sh; long runs: bash fuzz/run.sh --runs 10000000)"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  bash fuzz/run.sh --seconds "${FUZZ_SECONDS:-10}"
else
  echo "skipped: no nightly toolchain (cargo fuzz needs it)"
fi

step "sizes"
cat "$ROOT/target/sizes.txt"

step "summary"
sleep 0.5  # let tee flush
# Totals over every runner above: cargo/wasm-bindgen-test ("test result: ok. N passed; M failed") and node --test.
sed 's/\x1b\[[0-9;]*m//g' target/test.log | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
  /^# pass / { p += $3 } /^# fail / { f += $3 }
  END { printf "all suites: %d passed, %d failed\n", p, f; exit (f > 0) }'
