#!/usr/bin/env bash
# The package's ResponseCache, RateLimiter and Coalescer against lru-cache, tiny-lru, a Map and a Map of promises, in
# Node processes (bench/engines.mjs: the cache measurements in one process per construction order, the rest in one);
# builds the package first if it is missing. Writes target/bench/engines.txt.
#   bash bench/engines.sh [--processes 5] [--rounds N] [--quick] [--bounds] [--only cache,limiter,coalescer,memory]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d bench/node_modules/lru-cache ] && [ -d bench/node_modules/tiny-lru ] || (cd bench && npm ci --no-audit --no-fund --loglevel=error)
[ -f pkg/node/index.cjs ] || bash scripts/build-package.sh
mkdir -p target/bench
node --expose-gc bench/engines.mjs "$@" | tee target/bench/engines.txt
