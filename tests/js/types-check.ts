// Compiled with `tsc --noEmit --strict` (see tsconfig.json): the package's declarations must type configs and
// results precisely. Each `@ts-expect-error` line fails the check if the declarations were loose (`any`).
import { IntentMatcher, ResponseCache, RateLimiter, Coalescer } from "../../pkg/node/intent_edge.js";
import type { IntentMatch, IntentSetConfig, Decision, CacheStats, LimiterConfig } from "../../pkg/node/intent_edge.js";

const set: IntentSetConfig = { options: { caseInsensitive: true }, intents: [{ id: "a", patterns: ["x"], priority: 1 }] };
const matcher = new IntentMatcher(set);
const best: IntentMatch | null = matcher.match("x");
const startUtf16: number | undefined = best?.span.startUtf16;
const slotNames: string[] = matcher.matchAll("x").flatMap((m) => m.slots.map((s) => s.name));
const indexes: Int32Array = matcher.matchBatch(["x", "y"]);
const all: Int32Array = matcher.matchAllBatch(["x", "y"]);
const bestIndex: number = matcher.bestIndex("x");
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

const cache = new ResponseCache({ maxEntries: 10, maxBytes: 1024, defaultTtlMs: 500 });
cache.set("k", { any: "value" }, { ttlMs: 100, tags: ["t"], size: 12 });
const stats: CacheStats = cache.stats();
const ratio: number = stats.hitRatio;
// @ts-expect-error maxBytes is required
new ResponseCache({ maxEntries: 10 });
// @ts-expect-error tags are strings
cache.set("k", 1, { tags: [1] });

const limiterConfig: LimiterConfig = { quotas: [{ name: "default", limit: 100, windowMs: 60_000 }], maxKeys: 1000 };
const limiter = new RateLimiter(limiterConfig);
const decision: Decision = limiter.check("client", { cost: 1 });
const header: string = decision.headers["RateLimit"];
const reason: "quotaExhausted" | "keyTableFull" | "costExceedsBurst" | null = decision.reason;
// @ts-expect-error windowMs is required
new RateLimiter({ quotas: [{ name: "default", limit: 100 }] });

const coalescer = new Coalescer({ windowMs: 100 });
const shared: Promise<unknown> = coalescer.run("key", async () => 42);
const key: string = Coalescer.requestKey({ method: "GET", url: "/x", vary: ["accept"] });
// @ts-expect-error method is required
Coalescer.requestKey({ url: "/x" });

export { badSet, startUtf16, slotNames, indexes, ratio, header, reason, shared, key };
