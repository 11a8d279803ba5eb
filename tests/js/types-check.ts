// Checked by `tsc --strict` (tests/js/package.test.mjs) in a fresh project that installed the packed npm package: the
// declarations must type configs and results precisely, through the package's `exports` as a user imports them.
// Each `@ts-expect-error` line fails the check if the declarations were loose (`any`) or missing.
import { IntentMatcher, ResponseCache, RateLimiter, Coalescer, Decision, wasmMemoryBytes } from "intent-edge";
import type { IntentMatch, IntentSetConfig, CacheStats, LimiterConfig, RateLimitHeaders, QuotaState, DecisionData, BatchStepping } from "intent-edge";
import initWeb, { IntentMatcher as BrowserMatcher, ResponseCache as BrowserCache, initSync } from "intent-edge/web";
import * as bundler from "intent-edge/bundler";

const set: IntentSetConfig = { options: { caseInsensitive: true }, intents: [{ id: "a", patterns: ["x"], priority: 1 }] };
const matcher = new IntentMatcher(set);
const best: IntentMatch | null = matcher.match("x");
const startUtf16: number | undefined = best?.span.startUtf16;
const slotNames: string[] = matcher.matchAll("x").flatMap((m) => m.slots.map((s) => s.name));
const indexes: Int32Array = matcher.matchBatch(["x", "y"]);
const all: Int32Array = matcher.matchAllBatch(["x", "y"]);
const bestIndex: number = matcher.bestIndex("x");
const stepping: BatchStepping = IntentMatcher.batchStepping;
IntentMatcher.batchStepping = "wasm";
BrowserMatcher.batchStepping = stepping;
// @ts-expect-error batches are stepped in "javascript" or "wasm"
IntentMatcher.batchStepping = "auto";
const loaded: IntentMatcher = IntentMatcher.fromBytes(new Uint8Array(0));
const automaton: "anchored" | "dense" | "lazy" = loaded.stats().automaton;
// @ts-expect-error fromBytes takes bytes, not JSON
IntentMatcher.fromBytes(set);
const samples: string[] = matcher.sampleTexts(3);
const cachedBytes: number = matcher.warmUp(samples).cacheBytes;
// @ts-expect-error warmUp takes texts
matcher.warmUp("x");
// @ts-expect-error priority is a number
const badSet: IntentSetConfig = { intents: [{ id: "a", patterns: ["x"], priority: "high" }] };
// @ts-expect-error patterns is required
new IntentMatcher({ intents: [{ id: "a" }] });
// @ts-expect-error a match result has no `score`
best?.score;

// ResponseCache is generic over its values.
const cache = new ResponseCache<{ status: number; body: string }>({ maxEntries: 10, maxBytes: 1024, defaultTtlMs: 500 });
const evicted: number = cache.set("k", { status: 200, body: "ok" }, { ttlMs: 100, tags: ["t"], size: 12 });
const hit: { status: number; body: string } | undefined = cache.get("k");
const status: number | undefined = cache.peek("k", Date.now())?.status;
const age: number | undefined = cache.age("k");
const keys: string[] = cache.keys();
const stats: CacheStats = cache.stats();
const ratio: number = stats.hitRatio;
const countOnly = new ResponseCache({ maxEntries: 10 });
const unknownValue: unknown = countOnly.get("k");
// @ts-expect-error the value type is fixed by the cache
cache.set("k", "not a response");
// @ts-expect-error maxEntries is required
new ResponseCache({ maxBytes: 1024 });
// @ts-expect-error tags are strings
cache.set("k", { status: 1, body: "" }, { tags: [1] });
// @ts-expect-error keys are strings
cache.get(42);
// @ts-expect-error size is read-only
cache.size = 3;
{
  using scoped = new ResponseCache<number>({ maxEntries: 1 });
  scoped.set("n", 1);
}

const limiterConfig: LimiterConfig = { quotas: [{ name: "default", limit: 100, windowMs: 60_000 }], maxKeys: 1000 };
const limiter = new RateLimiter(limiterConfig);
const decision: Decision = limiter.check("client", { cost: 1 });
const allowed: boolean = decision.allowed;
const headers: RateLimitHeaders = decision.headers;
const header: string = decision.headers["RateLimit"];
const retry: string | undefined = decision.headers["Retry-After"];
const quotas: QuotaState[] = decision.quotas;
const reason: "quotaExhausted" | "keyTableFull" | "costExceedsBurst" | null = decision.reason;
const data: DecisionData = decision.toJSON();
// @ts-expect-error decisions are read-only
decision.allowed = false;
// @ts-expect-error decisions come from a limiter
new Decision();
// @ts-expect-error windowMs is required
new RateLimiter({ quotas: [{ name: "default", limit: 100 }] });
const overflowing = new RateLimiter({ quotas: [{ name: "q", limit: 1, windowMs: 1000 }], maxKeys: 10, onFull: "sharedOverflow" });
const overflowDecisions: number = overflowing.stats().overflowDecisions;
// @ts-expect-error onFull is one of three policies
new RateLimiter({ quotas: [{ name: "q", limit: 1, windowMs: 1000 }], onFull: "drop" });
// @ts-expect-error check options are cost and now
limiter.check("client", { weight: 2 });

const coalescer = new Coalescer({ windowMs: 100 });
const shared: Promise<number> = coalescer.run("key", async () => 42);
const sharedSync: Promise<string> = coalescer.run("key2", () => "now");
const key: string = Coalescer.requestKey({ method: "GET", url: "/x", vary: ["accept"] });
// @ts-expect-error method is required
Coalescer.requestKey({ url: "/x" });
// @ts-expect-error the task's result type carries through
const wrong: Promise<string> = coalescer.run("key", async () => 42);
coalescer[Symbol.dispose]();
const memory: number = wasmMemoryBytes();

// The browser build: an init function, the same classes, and a matcher that loads precompiled sets.
const ready: Promise<unknown> = initWeb({ module_or_path: new URL("https://example.com/intent_edge_bg.wasm") });
initSync({ module: new Uint8Array(0) });
const browserMatcher: BrowserMatcher = BrowserMatcher.fromBytes(new Uint8Array(0));
const browserCache = new BrowserCache<string>({ maxEntries: 1 });
const fromBundler: number | undefined = new bundler.ResponseCache<number>({ maxEntries: 1 }).get("k");

export {
  badSet, startUtf16, slotNames, indexes, all, bestIndex, automaton, cachedBytes, evicted, hit, status, age, keys, ratio,
  unknownValue, allowed, headers, header, retry, quotas, reason, data, overflowDecisions, shared, sharedSync, key, wrong,
  memory, ready,
  browserMatcher, browserCache, fromBundler,
};
