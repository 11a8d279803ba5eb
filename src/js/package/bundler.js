// intent-edge for bundlers (webpack 5, Vite with a wasm plugin, …; wasm-bindgen --target bundler): the bundler loads
// intent_edge_bg.wasm as an ES module import, so the classes are ready as soon as this module is.
import * as wasm from "./intent_edge.js";
import { defineEngines } from "./engines.js";
import { stepShortTexts } from "./intent.js";

export { IntentMatcher, wasmMemoryBytes } from "./intent_edge.js";
stepShortTexts(wasm);
export const { ResponseCache, RateLimiter, Decision, Coalescer } = defineEngines(wasm);
