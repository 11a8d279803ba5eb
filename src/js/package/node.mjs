// `import … from "intent-edge"` in Node: the CommonJS module's objects (one instance of the wasm module, whichever
// way the package is loaded).
import node from "./index.cjs";

export const { IntentMatcher, Coalescer, wasmMemoryBytes, ResponseCache, RateLimiter, Decision } = node;
