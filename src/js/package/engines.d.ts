// Declarations of the classes written in JavaScript (engines.js): ResponseCache, RateLimiter and its Decision,
// Coalescer. The
// data types they take and return are declared with the wasm module (intent_edge.d.ts).
import type {
  CacheConfig, CacheSetOptions, CacheStats, LimiterConfig, LimiterStats, CoalescerConfig, CoalescerStats, RequestDescription,
} from "./intent_edge.js";

/**
 * An LRU cache bounded by entries (and optionally bytes), with TTL, tags, invalidation and statistics. Values are
 * kept as they are: `get` returns the very object `set` was given. Every time-dependent method takes an optional
 * `now` (milliseconds, e.g. `Date.now()` or a test's own clock); without it the cache reads `Date.now()` (a `get`
 * reads it only when some entry can expire).
 */
export declare class ResponseCache<V = unknown> implements Disposable {
  /** Throws a `TypeError` naming a bad or unknown field, a `CacheConfigError` for a zero bound. */
  constructor(config: CacheConfig);
  /**
   * Stores `value` under `key`, replacing any previous entry; returns how many least-recently-used entries were
   * evicted to make room. Throws an `EntryTooLargeError` (storing nothing) when the entry alone exceeds `maxBytes`.
   */
  set(key: string, value: V, options?: CacheSetOptions, now?: number): number;
  /** The value under `key`, marked most recently used (a hit), or `undefined` (a miss; an expired entry is removed). */
  get(key: string, now?: number): V | undefined;
  /** The value under `key` without changing recency or statistics, or `undefined`. */
  peek(key: string, now?: number): V | undefined;
  /** Whether a fresh entry is stored under `key` (no recency or statistics change). */
  has(key: string, now?: number): boolean;
  /** Milliseconds since the entry under `key` was stored (the HTTP `Age`), or `undefined`. */
  age(key: string, now?: number): number | undefined;
  /** Removes the entry under `key`; true if there was one. */
  delete(key: string): boolean;
  /** Removes every entry whose key starts with `prefix`; returns how many. */
  invalidatePrefix(prefix: string): number;
  /** Removes every entry whose whole key matches `glob` (`*` any run, `?` one character); returns how many.
   * Throws a `RangeError` for a glob over 1,024 bytes. */
  invalidateGlob(glob: string): number;
  /** Removes every entry stored with `tag`; returns how many. */
  invalidateTag(tag: string): number;
  /** Removes every expired entry; returns how many. */
  purgeExpired(now?: number): number;
  /** Removes every entry. */
  clear(): void;
  /** Keys from most to least recently used. */
  keys(): string[];
  /** Entries held. */
  readonly size: number;
  /** Bytes held: each entry's key (UTF-8) plus its value's size. */
  readonly bytes: number;
  stats(): CacheStats;
  /** Releases the cache's wasm memory now and drops every value (otherwise both go when the cache is
   * garbage-collected). The cache cannot be used afterwards. */
  free(): void;
  /** `free()`, for `using cache = new ResponseCache(…)`. */
  [Symbol.dispose](): void;
}

/** Why a request was denied. */
export type DenyReason = "quotaExhausted" | "keyTableFull" | "costExceedsBurst";

/** One quota's part in a decision. */
export interface QuotaState {
  name: string;
  /** Requests this quota still allows right now. */
  remaining: number;
  /** Milliseconds until this quota's full burst is available again. */
  reset: number;
  /** Whether this quota allowed the request. */
  allowed: boolean;
}

/** The header fields to send with a response (draft-ietf-httpapi-ratelimit-headers-11, RFC 9110 Retry-After). */
export interface RateLimitHeaders {
  "RateLimit-Policy": string;
  "RateLimit": string;
  /** Present when the request was denied and can be retried: whole seconds, rounded up. */
  "Retry-After"?: string;
}

/** Options of RateLimiter.check. */
export interface CheckOptions {
  /** Units of every quota the request spends (a whole number ≥ 1; default 1). */
  cost?: number;
  /** The time, in milliseconds (default `Date.now()`). */
  now?: number;
}

/** A decision's fields as plain data (what `JSON.stringify(decision)` writes). */
export interface DecisionData {
  allowed: boolean;
  reason: DenyReason | null;
  remaining: number;
  reset: number;
  retryAfter: number;
  quotas: QuotaState[];
  headers: RateLimitHeaders;
}

/**
 * The answer for one request. The numbers are read when the decision is made; `quotas` and `headers` are built
 * the first time they are read (a decision whose headers are never read costs no string).
 */
export declare class Decision implements DecisionData {
  private constructor();
  readonly allowed: boolean;
  /** Set when denied. */
  readonly reason: DenyReason | null;
  /** The smallest remaining count over all quotas. */
  readonly remaining: number;
  /** Milliseconds until the quota with the fewest remaining is full again. */
  readonly reset: number;
  /** Milliseconds to wait before the same request can be allowed (0 when allowed; about 1.8e16 for
   * costExceedsBurst, which never can be). */
  readonly retryAfter: number;
  /** Each quota's state, in configuration order. */
  readonly quotas: QuotaState[];
  /** The header values for this decision, rendered on first read. */
  readonly headers: RateLimitHeaders;
  toJSON(): DecisionData;
}

/**
 * A GCRA rate limiter over string keys (client IP, API key, intent, …), with several quotas at once and a bounded
 * key table.
 */
export declare class RateLimiter implements Disposable {
  /** Throws a `TypeError` naming a bad or unknown field, a `LimiterConfigError` naming the quota field at fault. */
  constructor(config: LimiterConfig);
  /** Decides one request for `key`, spending `cost` of every quota if allowed. Throws a `RangeError` for a cost
   * that is not a whole number ≥ 1. */
  check(key: string, options?: CheckOptions): Decision;
  /** What a request for `key` would get now, spending nothing. */
  peek(key: string, now?: number): Decision;
  /** Forgets `key`; true if it was tracked. */
  resetKey(key: string): boolean;
  /** The `RateLimit-Policy` header value. */
  policyHeader(): string;
  stats(): LimiterStats;
  /** Releases the limiter's wasm memory now (otherwise when it is garbage-collected); it cannot be used afterwards. */
  free(): void;
  /** `free()`, for `using limiter = new RateLimiter(…)`. */
  [Symbol.dispose](): void;
}

/**
 * Shares one in-flight call among concurrent callers with the same key. Keys are strings: a canonical request key
 * (`Coalescer.requestKey`) or any id of your own.
 */
export declare class Coalescer implements Disposable {
  /** `windowMs` > 0 also replays a successful result to identical calls shortly after it settled. Throws a
   * `TypeError` naming a bad or unknown field. */
  constructor(config?: CoalescerConfig);
  /**
   * Runs `task` (from the microtask queue: it may call `run` again) unless a call with the same `key` is in
   * flight, in which case that call's promise is returned. Every caller gets the task's value or its rejection; a
   * rejected task is never replayed, and the next call after it runs `task` afresh. Rejects with a `CoalesceError`
   * when `maxInFlight` keys are already in flight.
   */
  run<T>(key: string, task: () => T | PromiseLike<T>): Promise<T>;
  /** Keys in flight now. */
  readonly inFlight: number;
  stats(): CoalescerStats;
  /** Releases the coalescer's wasm memory now (otherwise when it is garbage-collected); flights in progress still
   * settle for their callers, and the coalescer cannot be used afterwards. */
  free(): void;
  /** `free()`, for `using coalescer = new Coalescer(…)`. */
  [Symbol.dispose](): void;
  /** The canonical key of a request: method, URL with sorted query, the `vary` headers, and the body's digest. */
  static requestKey(request: RequestDescription): string;
}
