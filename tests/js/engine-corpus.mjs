// Runs the cache and rate-limiter behaviour corpus (tests/corpus/cache, tests/corpus/ratelimit) against the package's
// ResponseCache and RateLimiter classes. One function with no imports or outside references, so the very same code
// runs in Node (package.test.mjs, browser-package.test.mjs) and, through its source text, inside a Chromium page
// (demo.test.mjs). It returns what it checked and every difference instead of asserting, so each caller reports.

/**
 * @param {{ResponseCache: Function, RateLimiter: Function}} engines
 * @param {{cache: object[], ratelimit: object[]}} files  corpus files as parsed JSON (each with its `file` name)
 * @returns {{checked: number, failures: string[]}}
 */
export function runEngineCorpus(engines, files) {
  const failures = [];
  let checked = 0;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const expectEqual = (got, want, where) => {
    checked++;
    if (!same(got, want)) failures.push(`${where}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  for (const file of files.cache) {
    const cache = new engines.ResponseCache(file.config);
    file.steps.forEach((step, i) => {
      const where = `${file.file} step ${i} (${step.op})`;
      const now = step.at;
      let got;
      switch (step.op) {
        case "set":
          try {
            const options = step.size === undefined && step.ttlMs === undefined && step.tags === undefined ? undefined : { size: step.size, ttlMs: step.ttlMs, tags: step.tags };
            got = { evicted: cache.set(step.key, step.value, options, now) };
          } catch (e) {
            got = { error: e.name.replace(/Error$/, "") };
          }
          break;
        case "get": got = cache.get(step.key, now) ?? null; break;
        case "getRun": {
          got = 0;
          for (let i = 0; i < step.times; i++) if (cache.get(step.keys[i % step.keys.length], now) !== undefined) got++;
          break;
        }
        case "peek": got = cache.peek(step.key, now) ?? null; break;
        case "has": got = cache.has(step.key, now); break;
        case "age": got = cache.age(step.key, now) ?? null; break;
        case "delete": got = cache.delete(step.key); break;
        case "invalidatePrefix": got = cache.invalidatePrefix(step.prefix); break;
        case "invalidateGlob": got = cache.invalidateGlob(step.glob); break;
        case "invalidateTag": got = cache.invalidateTag(step.tag); break;
        case "purgeExpired": got = cache.purgeExpired(now); break;
        case "keys": got = cache.keys(); break;
        case "stats": {
          const stats = cache.stats();
          got = Object.fromEntries(Object.keys(step.expect).map((k) => [k, Math.abs(stats[k] - step.expect[k]) < 1e-9 ? step.expect[k] : stats[k]]));
          expectEqual(cache.size, stats.entries, `${where}: size`);
          expectEqual(cache.bytes, stats.bytes, `${where}: bytes`);
          break;
        }
        default:
          failures.push(`${where}: unknown op`);
          return;
      }
      expectEqual(got, step.expect, where);
    });
    cache.free();
  }
  for (const file of files.ratelimit) {
    const limiter = new engines.RateLimiter(file.config);
    file.steps.forEach((step, i) => {
      const d = limiter.check(step.key, { now: step.at, cost: step.cost });
      const got = {
        allowed: d.allowed, reason: d.reason, remaining: d.remaining, resetMs: d.reset, retryAfterMs: d.retryAfter,
        rateLimit: d.headers["RateLimit"], retryAfter: d.headers["Retry-After"] ?? null,
      };
      for (const [k, v] of Object.entries(step.expect)) expectEqual(got[k], v, `${file.file} step ${i}: ${k}`);
      expectEqual(d.headers["RateLimit-Policy"], limiter.policyHeader(), `${file.file} step ${i}: RateLimit-Policy`);
      expectEqual(d.quotas.map((q) => q.name), file.config.quotas.map((q) => q.name), `${file.file} step ${i}: quota names`);
    });
    limiter.free();
  }
  return { checked, failures };
}
