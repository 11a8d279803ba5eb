#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (Rust stable, Node 20, Python 3.11 and gcc assumed),
# from crates.io, npm and Debian apt only. Idempotent: whatever is already present at the right version is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

WASMTIME_VERSION=48.0.8
WASM_PACK_VERSION=0.15.1
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)

for target in wasm32-unknown-unknown wasm32-wasip2; do
  if ! rustup target list --installed | grep -qx "$target"; then
    log "rustup target add $target"
    rustup target add "$target"
  fi
done

# Debian packages: the browser for the browser tests; wrk and valgrind for the benchmarks (bench/gateway.mjs loads
# with wrk; its --instructions mode and bench/callgrind.sh count instructions with callgrind); redis-server for the
# shared store (the tests start their own on a free port; `STORE=redis bash scripts/serve.sh` starts one too).
apt_packages=()
command -v chromium >/dev/null || apt_packages+=(chromium)
command -v chromedriver >/dev/null || apt_packages+=(chromium-driver)
command -v wrk >/dev/null || apt_packages+=(wrk)
command -v valgrind >/dev/null || apt_packages+=(valgrind)
command -v redis-server >/dev/null || apt_packages+=(redis-server)
if [ ${#apt_packages[@]} -gt 0 ]; then
  log "apt: ${apt_packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" || {
    apt-get install -y -qq -f
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
  }
fi

installed_version() { "$1" --version 2>/dev/null | awk '{print $2}' || true; }

if [ "$(installed_version wasm-pack)" != "$WASM_PACK_VERSION" ]; then
  log "cargo install wasm-pack $WASM_PACK_VERSION (~4 min)"
  cargo install wasm-pack --locked --version "$WASM_PACK_VERSION"
fi

if [ "$(installed_version wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (~6 min)"
  # Unlocked on purpose: the crate's own lock pins a webpki-roots version absent from crates.io.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(installed_version wasmtime)" != "$WASMTIME_VERSION" ]; then
  log "cargo install wasmtime-cli $WASMTIME_VERSION (~20-40 min on 2 cores)"
  cargo install wasmtime-cli --locked --version "$WASMTIME_VERSION"
fi

# Differential fuzzing (fuzz/run.sh) runs on the nightly toolchain with cargo-fuzz; without nightly the test run
# skips it and says so.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  log "rustup toolchain install nightly (for cargo fuzz)"
  rustup toolchain install nightly --profile minimal || log "nightly toolchain unavailable: fuzzing will be skipped"
fi
CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (~2 min)"
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

for dir in tests/js bench; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

log "toolchain ready: $(wasm-pack --version), $(wasm-bindgen --version), $(wasmtime --version), $(chromium --version 2>/dev/null | head -1), $(cargo fuzz --version), wrk, valgrind"
