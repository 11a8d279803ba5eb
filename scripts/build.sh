#!/usr/bin/env bash
# Release builds: the JS packages (pkg/web, pkg/bundler, pkg/node), the demo page's copy (www/pkg) and the edge
# component (target/wasm32-wasip2/release/intent_edge.wasm). Prints raw and gzip sizes to target/sizes.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

for target in web bundler nodejs; do
  out=pkg/${target/nodejs/node}
  wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install >/dev/null 2>&1 \
    || wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install
done
rm -rf www/pkg && cp -r pkg/web www/pkg
cargo build --release --target wasm32-wasip2 --quiet

size_line() { printf '%-48s %9d bytes raw  %8d bytes gzip\n' "$1" "$(stat -c %s "$1")" "$(gzip -9c "$1" | wc -c)"; }
mkdir -p target
{
  size_line pkg/web/intent_edge_bg.wasm
  size_line target/wasm32-wasip2/release/intent_edge.wasm
} | tee target/sizes.txt
