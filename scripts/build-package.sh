#!/usr/bin/env bash
# Builds the npm package `intent-edge` into pkg/ (one package, four builds, chosen by package.json `exports`):
#   pkg/web           browsers without a bundler (--target web), no regex compiler: loads precompiled sets
#   pkg/bundler       bundlers (--target bundler), no regex compiler
#   pkg/web-compiler  browsers, with the regex compiler (`new IntentMatcher(json)`): the demo playground loads it lazily
#   pkg/node          Node (--target nodejs), with the regex compiler
# Each directory holds wasm-bindgen's output plus the package's JavaScript layer (src/js/package: engines.js, intent.js and the
# entry module index.js / index.cjs + index.mjs, with declarations). The version comes from Cargo.toml.
#   bash scripts/build-package.sh          then: npm pack ./pkg
set -euo pipefail
# Multi-value returns in the JS glue (wasm-bindgen turns it on by itself when the module says it uses multi-value;
# the stripped release build no longer says so): a call that may throw returns its answer and error flag directly
# instead of through memory, ~860 fewer instructions per call in Node 20.
export WASM_BINDGEN_MULTI_VALUE=1
cd "$(dirname "$0")/.."
src=src/js/package

build() { # target out-dir cargo-flags…
  local target=$1 out=$2
  shift 2
  wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install "$@" >/dev/null 2>&1 \
    || wasm-pack build --release --target "$target" --out-dir "$out" --mode no-install "$@"
  rm -f "$out/package.json" "$out/README.md" "$out/.gitignore"
}

rm -rf pkg
# Without the compiler first, then with it: the last build leaves the compiler-enabled .wasm in target/, which
# wasm-bindgen turns into the web-compiler build without compiling again.
build web pkg/web --no-default-features
build bundler pkg/bundler --no-default-features
build nodejs pkg/node
wasm-bindgen --target web --out-dir pkg/web-compiler target/wasm32-unknown-unknown/release/intent_edge.wasm

# wasm-bindgen types the module's raw exports (intent_edge_bg.wasm.d.ts, and InitOutput, what `init()` returns)
# with `any` for JS values; they are `unknown`.
for dir in web web-compiler bundler node; do
  sed -i -E '/^    readonly [A-Za-z0-9_]+: \(/ s/\bany\b/unknown/g' "pkg/$dir/intent_edge.d.ts"
  sed -i -E '/^export const [A-Za-z0-9_]+: \(/ s/\bany\b/unknown/g' "pkg/$dir/intent_edge_bg.wasm.d.ts"
done

# The JavaScript layer: ES modules for web, web-compiler and bundler; CommonJS (plus an ES module facade) for Node.
for dir in web web-compiler bundler; do
  cp "$src/engines.js" "$src/intent.js" "$src/engines.d.ts" "$src/types.d.ts" "pkg/$dir/"
  echo '{ "type": "module" }' >"pkg/$dir/package.json"
done
cp "$src/web.js" pkg/web/index.js
cp "$src/web.js" pkg/web-compiler/index.js
cp "$src/bundler.js" pkg/bundler/index.js
web_types='export * from "./types.js";
export { default, initSync } from "./intent_edge.js";
export type { InitInput, InitOutput, SyncInitInput } from "./intent_edge.js";'
echo "$web_types" >pkg/web/index.d.ts
echo "$web_types" >pkg/web-compiler/index.d.ts
echo 'export * from "./types.js";' >pkg/bundler/index.d.ts

# Node's CommonJS copies of the two ES modules, each of which exports exactly one function.
to_commonjs() { # module function
  [ "$(grep -c '^export ' "$src/$1.js")" = 1 ] || { echo "$1.js must have exactly one export ($2)" >&2; exit 1; }
  {
    echo '"use strict";'
    sed "s/^export function $2/function $2/" "$src/$1.js"
    echo "module.exports = { $2 };"
  } >"pkg/node/$1.cjs"
}
to_commonjs engines defineEngines
to_commonjs intent stepShortTexts
cp "$src/engines.d.ts" "$src/types.d.ts" pkg/node/
cp "$src/node.cjs" pkg/node/index.cjs
cp "$src/node.mjs" pkg/node/index.mjs
echo 'export * from "./types.js";' >pkg/node/index.d.cts
echo 'export * from "./types.js";' >pkg/node/index.d.mts

version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
node -e '
  const fs = require("fs");
  const manifest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  manifest.version = process.argv[2];
  fs.writeFileSync("pkg/package.json", JSON.stringify(manifest, null, 2) + "\n");
' "$src/package.json" "$version"
cp "$src/README.md" pkg/README.md
