// The same package through `require` (CommonJS, the "require" condition of its exports), checked by tsc --strict.
import edge = require("intent-edge");

const cache = new edge.ResponseCache<string>({ maxEntries: 2 });
const value: string | undefined = cache.get("k");
const decision: edge.Decision = new edge.RateLimiter({ quotas: [{ name: "q", limit: 1, windowMs: 1000 }] }).check("k");
// @ts-expect-error the cache holds strings
cache.set("k", 1);

export { value, decision };
