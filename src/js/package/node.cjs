// intent-edge for Node (wasm-bindgen --target nodejs, with the regex compiler): `require("intent-edge")`; the .wasm
// is read and instantiated synchronously when this module loads. `import` gets the same objects (index.mjs).
"use strict";
const wasm = require("./intent_edge.js");
const { defineEngines } = require("./engines.cjs");
const { stepShortTexts } = require("./intent.cjs");

stepShortTexts(wasm);
const { ResponseCache, RateLimiter, Decision, Coalescer } = defineEngines(wasm);
module.exports = {
  IntentMatcher: wasm.IntentMatcher,
  Coalescer,
  wasmMemoryBytes: wasm.wasmMemoryBytes,
  ResponseCache,
  RateLimiter,
  Decision,
};
