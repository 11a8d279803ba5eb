// intent-edge for browsers without a bundler (wasm-bindgen --target web). Call the default export once and await it
// (it fetches intent_edge_bg.wasm next to this file, or takes the bytes/URL you pass), then use the classes.
import * as wasm from "./intent_edge.js";
import { defineEngines } from "./engines.js";
import { stepShortTexts } from "./intent.js";

export { default, initSync, IntentMatcher, wasmMemoryBytes } from "./intent_edge.js";
stepShortTexts(wasm);
export const { ResponseCache, RateLimiter, Decision, Coalescer } = defineEngines(wasm);
