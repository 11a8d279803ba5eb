//! TypeScript declarations for every config and result object crossing the boundary, so users get precise types
//! instead of `any`. Field names match the serde (camelCase) names of the Rust types. The classes written in
//! JavaScript (`ResponseCache`, `RateLimiter` and its `Decision`) are declared in `package/engines.d.ts`, which
//! imports these.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Matching flags and limits for a whole intent set. Every field is optional. */
export interface MatchOptions {
  /** Case-insensitive matching (default true). */
  caseInsensitive?: boolean;
  /** Unicode case folding, `\s`, `.` and `\p{…}` (default true); `\w \d \b` are ASCII either way, as in JavaScript. */
  unicode?: boolean;
  /** Longest text accepted, UTF-8 bytes (default 16384). */
  maxTextBytes?: number;
  /** Most patterns in the set (default 4096). */
  maxPatterns?: number;
  /** Longest single pattern, bytes (default 4096). */
  maxPatternBytes?: number;
  /** Largest compiled NFA of the whole set, bytes (default 10 MiB). */
  sizeLimit?: number;
  /** Largest table determinized ahead of time (a dense DFA, else an anchored one), bytes; larger sets stay lazy (default 16 MiB). */
  dfaSizeLimit?: number;
  /** Largest state cache of an anchored or lazily determinized set, bytes; grows only as needed (default 64 MiB). */
  lazyCacheLimit?: number;
}
/** One intent: unique id, one or more regexes, optional priority (higher wins). */
export interface IntentConfig {
  id: string;
  patterns: string[];
  priority?: number;
  description?: string;
}
/** An intent set, as written in an intent-set JSON file. */
export interface IntentSetConfig {
  options?: MatchOptions;
  intents: IntentConfig[];
}
/** A half-open range: UTF-8 byte offsets and UTF-16 offsets (use the latter with String.prototype.slice). */
export interface Span {
  start: number;
  end: number;
  startUtf16: number;
  endUtf16: number;
}
/** A named capture group that took part in the match. */
export interface Slot {
  name: string;
  value: string;
  span: Span;
}
/** One matching intent. */
export interface IntentMatch {
  intent: string;
  intentIndex: number;
  patternIndex: number;
  priority: number;
  span: Span;
  slots: Slot[];
}
export interface MatcherStats {
  intents: number;
  patterns: number;
  /** "anchored" or "dense": determinized ahead of time (fromBytes of an `intent-edge compile` file; anchored by default,
   * dense with --dense); "lazy": while matching (constructor, toBytes, or a set too large to precompile). */
  automaton: "anchored" | "dense" | "lazy";
  /** Bytes of the automaton (anchored and lazy ones add a search cache of at most options.lazyCacheLimit). */
  automatonBytes: number;
}
/** How `matchBatch` and `matchAllBatch` answer a batch's short texts: `"javascript"` steps them in the package's
 * JavaScript (faster once V8 has optimized it, when other JavaScript runs between batches); `"wasm"` hands every
 * batch to wasm's own (faster in a fresh process's first batches, and in loops of batches back to back). The answers
 * are the same. */
export type BatchStepping = "javascript" | "wasm";
export declare namespace IntentMatcher {
  /** How every matcher of this module answers its batches (`"javascript"` unless set); setting any other value throws
   * a `TypeError`. */
  let batchStepping: BatchStepping;
}
/** What IntentMatcher.warmUp did. */
export interface WarmUp {
  /** Texts run through the set. */
  texts: number;
  /** Texts skipped: longer than options.maxTextBytes. */
  skipped: number;
  /** Patterns whose capture engine is built. */
  captureEngines: number;
  /** Bytes of DFA states an anchored or lazily determinized set has cached (0 for a dense one). */
  cacheBytes: number;
}
/** Bounds of a ResponseCache. */
export interface CacheConfig {
  /** Most entries held at once (≥ 1). */
  maxEntries: number;
  /** Most bytes held at once, each entry counted as its key's UTF-8 length plus its value's size (≥ 1). Without it
   * only maxEntries bounds the cache and values are not measured (an entry's size is 0 unless `set` gives one). */
  maxBytes?: number;
  /** TTL of entries stored without one, in milliseconds (≥ 1); absent or null: kept until evicted. */
  defaultTtlMs?: number | null;
}
/** Options of ResponseCache.set. In a cache with maxBytes, `size` defaults to the UTF-8 length of a string, the
 * byteLength of a typed array or ArrayBuffer, or the UTF-8 length of JSON.stringify(value) otherwise (pass it when
 * you know it: measuring costs more than the rest of the call); without maxBytes it defaults to 0. */
export interface CacheSetOptions {
  ttlMs?: number;
  tags?: string[];
  size?: number;
}
export interface CacheStats {
  hits: number;
  misses: number;
  inserts: number;
  evictions: number;
  expirations: number;
  invalidations: number;
  entries: number;
  bytes: number;
  hitRatio: number;
}
/** One rate-limit quota: `limit` requests per `windowMs`, bursts up to `burst` (default `limit`). */
export interface QuotaConfig {
  name: string;
  limit: number;
  windowMs: number;
  burst?: number | null;
}
export interface LimiterConfig {
  quotas: QuotaConfig[];
  /** Most keys tracked at once (default 100000); idle keys are forgotten to make room. */
  maxKeys?: number;
  /** A new key meeting a table full of active keys: denied (`keyTableFull`) until one goes idle ("deny", the
   * default), admitted by forgetting the key that goes idle soonest ("forgetSoonestIdle"), or decided against one
   * bucket shared by every key that did not fit ("sharedOverflow"). */
  onFull?: "deny" | "forgetSoonestIdle" | "sharedOverflow";
}
export interface LimiterStats {
  allowed: number;
  denied: number;
  /** Idle keys forgotten to make room. */
  forgottenKeys: number;
  /** Times a new key found every slot held by an active key. */
  tableFull: number;
  /** Active keys forgotten under "forgetSoonestIdle". */
  forgottenActiveKeys: number;
  /** Decisions made against the shared overflow bucket ("sharedOverflow"). */
  overflowDecisions: number;
  /** Keys tracked now. */
  keys: number;
}
export interface CoalescerConfig {
  maxInFlight?: number;
  windowMs?: number;
  maxRecent?: number;
  maxFlightMs?: number;
}
export interface CoalescerStats {
  led: number;
  joined: number;
  replayed: number;
  refused: number;
  abandoned: number;
  failed: number;
  inFlight: number;
}
/** The parts of a request that make up its canonical key. */
export interface RequestDescription {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Header names that take part in the key (case-insensitive). */
  vary?: string[];
  body?: string | Uint8Array;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "IntentSetConfig | string")]
    pub type IntentSetConfigJs;
    #[wasm_bindgen(typescript_type = "IntentMatch | null")]
    pub type IntentMatchOrNull;
    #[wasm_bindgen(typescript_type = "IntentMatch[]")]
    pub type IntentMatchArray;
    #[wasm_bindgen(typescript_type = "MatcherStats")]
    pub type MatcherStatsJs;
    #[wasm_bindgen(typescript_type = "WarmUp")]
    pub type WarmUpJs;
    #[wasm_bindgen(typescript_type = "string[]")]
    pub type StringArray;
    #[wasm_bindgen(typescript_type = "CacheConfig")]
    pub type CacheConfigJs;
    #[wasm_bindgen(typescript_type = "CacheSetOptions | undefined")]
    pub type CacheSetOptionsJs;
    #[wasm_bindgen(typescript_type = "CacheStats")]
    pub type CacheStatsJs;
    #[wasm_bindgen(typescript_type = "LimiterConfig")]
    pub type LimiterConfigJs;
    #[wasm_bindgen(typescript_type = "LimiterStats")]
    pub type LimiterStatsJs;
    #[wasm_bindgen(typescript_type = "CoalescerConfig | undefined")]
    pub type CoalescerConfigJs;
    #[wasm_bindgen(typescript_type = "CoalescerStats")]
    pub type CoalescerStatsJs;
    #[wasm_bindgen(typescript_type = "RequestDescription")]
    pub type RequestDescriptionJs;
    /// Any JS value, kept as it is (a cached value, a coalesced result).
    #[wasm_bindgen(typescript_type = "unknown")]
    pub type UnknownJs;
    /// A JS `Error`.
    #[wasm_bindgen(typescript_type = "Error")]
    pub type ErrorJs;
}
