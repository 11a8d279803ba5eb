// The public types of the package, the same for every target (each target's index.d.ts adds its own loader).
export { IntentMatcher, wasmMemoryBytes } from "./intent_edge.js";
export type {
  MatchOptions, IntentConfig, IntentSetConfig, Span, Slot, IntentMatch, MatcherStats, WarmUp,
  CacheConfig, CacheSetOptions, CacheStats, QuotaConfig, LimiterConfig, LimiterStats,
  CoalescerConfig, CoalescerStats, RequestDescription, BatchStepping,
} from "./intent_edge.js";
export * from "./engines.js";
