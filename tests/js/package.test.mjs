// The Node package (wasm-pack --target nodejs, in pkg/node) run against the behaviour corpus, as a JS user calls it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { repo, corpus, intentSetOf, caseText, banking77, generatedSets, assertAllBatch, automatonTableSection, compileNatively } from "./corpus.mjs";

const require = createRequire(import.meta.url);
const { IntentMatcher, ResponseCache, RateLimiter, Coalescer } = require(join(repo, "pkg", "node", "intent_edge.js"));

const utf16 = (text, span) => text.slice(span.startUtf16, span.endUtf16);

test("intent corpus", () => {
  let checked = 0;
  for (const file of corpus("intents")) {
    const matcher = new IntentMatcher(intentSetOf(file));
    for (const c of file.cases) {
      const text = caseText(c);
      const ctx = `${file.file}: ${JSON.stringify(c.text)}`;
      if (c.error) {
        assert.throws(() => matcher.match(text), (e) => e instanceof Error && e.name === c.error, ctx);
        checked++;
        continue;
      }
      const best = matcher.match(text);
      assert.equal(best?.intent ?? null, c.best, ctx);
      if (c.all) assert.deepEqual(matcher.matchAll(text).map((m) => m.intent), c.all, ctx);
      if (c.slots) {
        assert.deepEqual(Object.fromEntries(best.slots.map((s) => [s.name, s.value])), c.slots, ctx);
        for (const s of best.slots) assert.equal(utf16(text, s.span), s.value, ctx);
      }
      if (c.span) assert.equal(utf16(text, best.span), c.span, ctx);
      checked++;
    }
  }
  assert.ok(checked >= 20);
});

test("BANKING77: all 3,080 queries give exactly expected_ids", () => {
  const { set, queries } = banking77();
  const matcher = new IntentMatcher(set);
  assert.equal(queries.length, 3080);
  const best = matcher.matchBatch(queries.map((q) => q.text));
  queries.forEach((q, i) => {
    assert.deepEqual([...matcher.matchingIndexes(q.text)], q.expected_ids, q.text);
    assert.equal(best[i], q.expected_first ?? -1, q.text);
    assert.deepEqual(matcher.matchAll(q.text).map((m) => m.intentIndex), q.expected_ids, q.text);
  });
});

/// The demo set compiled by `intent-edge compile` with `flags`.
const compiledDemoSet = (flags) => compileNatively(JSON.parse(readFileSync(join(repo, "config/intents.json"), "utf8")), flags);

test("a precompiled set (intent-edge compile, anchored or --dense) loads with fromBytes and answers like its JSON", () => {
  const compiled = new IntentMatcher(JSON.parse(readFileSync(join(repo, "config/intents.json"), "utf8")));
  assert.equal(compiled.stats().automaton, "lazy");
  const file = corpus("intents").find((f) => f.setFile === "config/intents.json");
  const texts = file.cases.filter((c) => !c.error).map(caseText);
  for (const [form, bytes] of [["anchored", new Uint8Array(readFileSync(join(repo, "target/sets/intents.iedge")))], ["dense", compiledDemoSet(["--dense"])]]) {
    const loaded = IntentMatcher.fromBytes(bytes);
    assert.equal(loaded.stats().automaton, form);
    assert.ok(loaded.stats().automatonBytes > 0);
    assert.deepEqual(loaded.intentIds(), compiled.intentIds());
    for (const text of texts) {
      assert.deepEqual(loaded.match(text), compiled.match(text), `${form}: ${text}`);
      assert.deepEqual(loaded.matchAll(text), compiled.matchAll(text), `${form}: ${text}`);
      assert.equal(loaded.bestIndex(text), compiled.bestIndex(text), `${form}: ${text}`);
    }
    assert.deepEqual([...loaded.matchAllBatch(texts)], [...compiled.matchAllBatch(texts)], form);
    // Not a set, a truncated set, a corrupt table header: each an IntentSetError naming the problem, never a trap.
    assert.throws(() => IntentMatcher.fromBytes(new TextEncoder().encode("{}")), (e) => e.name === "IntentSetError" && /magic/.test(e.message));
    assert.throws(() => IntentMatcher.fromBytes(bytes.subarray(0, 200)), (e) => e.name === "IntentSetError" && /truncated/.test(e.message));
    const table = automatonTableSection(bytes);
    assert.equal(table.kind, form);
    const badWidth = bytes.slice();
    badWidth[table.width] = 3;
    assert.throws(() => IntentMatcher.fromBytes(badWidth), (e) => e.name === "IntentSetError" && /width 3/.test(e.message), form);
    // Transitions are checked as a search reads them (no pass over the table at load): a corrupt one is a MatchError.
    const badTransitions = bytes.slice();
    badTransitions.fill(0xff, table.rows, table.end);
    const damaged = IntentMatcher.fromBytes(badTransitions);
    const named = form === "dense" ? /corrupt DFA table/ : /corrupt anchored DFA table/;
    assert.throws(() => damaged.bestIndex("lost my card"), (e) => e.name === "MatchError" && named.test(e.message), form);
    assert.equal(loaded.bestIndex("lost my card"), compiled.bestIndex("lost my card"), "still usable after the errors");
  }
});

test("generated sets (bench/sets): every query gives exactly the intents of its expected_ids", () => {
  for (const { name, set, queries, expectedIntents } of generatedSets()) {
    const matcher = new IntentMatcher(set);
    const all = matcher.matchAllBatch(queries.map((q) => q.text));
    assertAllBatch(all, expectedIntents, (i) => `${name}: ${queries[i].text}`);
  }
});

test("warmUp fills a lazy set's DFA cache with texts sampled from its patterns; answers do not change", () => {
  const [{ set, queries, expectedIntents }] = generatedSets(); // support-150: determinized lazily
  const matcher = new IntentMatcher(set);
  const samples = matcher.sampleTexts(2);
  assert.ok(samples.length >= set.intents.length * 2, `${samples.length} samples`);
  assert.deepEqual(matcher.sampleTexts(2), samples, "the same set always gets the same samples");
  const hit = samples.filter((t) => matcher.bestIndex(t) >= 0).length;
  assert.ok(hit > samples.length / 2, `most samples match some intent: ${hit} of ${samples.length}`);
  const report = matcher.warmUp([...samples, "x".repeat(20000)]);
  assert.equal(report.texts, samples.length);
  assert.equal(report.skipped, 1, "a text over maxTextBytes is skipped, not an error");
  assert.equal(report.captureEngines, matcher.stats().patterns);
  assert.ok(report.cacheBytes > 100_000, `cached DFA states: ${report.cacheBytes} bytes`);
  assertAllBatch(matcher.matchAllBatch(queries.map((q) => q.text)), expectedIntents, (i) => queries[i].text);
  // A dense set has no cache to fill: only the capture engines are built. An anchored one caches the states it met.
  const dense = IntentMatcher.fromBytes(compiledDemoSet(["--dense"]));
  const denseReport = dense.warmUp(["send £20 to Zoë"]);
  assert.deepEqual(denseReport, { texts: 1, skipped: 0, captureEngines: dense.stats().patterns, cacheBytes: 0 });
  const anchored = IntentMatcher.fromBytes(readFileSync(join(repo, "target/sets/intents.iedge")));
  assert.equal(anchored.stats().automaton, "anchored");
  assert.ok(anchored.warmUp(["send £20 to Zoë"]).cacheBytes > 0);
});

test("batch calls: texts containing NUL answer like single calls; a non-string is a TypeError naming its index", () => {
  const matcher = IntentMatcher.fromBytes(readFileSync(join(repo, "target/sets/intents.iedge")));
  const texts = ["send £20 to Zoë", "", "hi\0there", "a\0b\0send £5 to Al", "nothing here"];
  const single = texts.map((t) => matcher.bestIndex(t));
  assert.deepEqual([...matcher.matchBatch(texts)], single);
  assert.ok(single[0] >= 0 && single[3] >= 0 && single[4] === -1, JSON.stringify(single));
  const plain = texts.filter((t) => !t.includes("\0"));
  assert.deepEqual([...matcher.matchBatch(plain)], plain.map((t) => matcher.bestIndex(t)));
  assert.deepEqual([...matcher.matchBatch([])], []);
  assert.deepEqual([...matcher.matchAllBatch([""])], [0]);
  assert.throws(() => matcher.matchBatch(["ok", 42]), (e) => e instanceof TypeError && /texts\[1\]/.test(e.message));
  assert.throws(() => matcher.matchAllBatch("not an array"), TypeError);
});

test("invalid intent sets throw an IntentSetError with a pointer", () => {
  const bad = { intents: [{ id: "a", patterns: ["ok"] }, { id: "b", patterns: ["fine", "(unclosed"] }] };
  assert.throws(() => new IntentMatcher(bad), (e) => e.name === "IntentSetError" && e.pointer === "/intents/1/patterns/1" && /"b"/.test(e.message));
  assert.throws(() => new IntentMatcher({ intents: [] }), (e) => e.name === "IntentSetError" && e.pointer === "/intents");
  assert.throws(() => new IntentMatcher("{not json"), (e) => e.name === "IntentSetError");
  assert.throws(() => new IntentMatcher({ intents: [{ id: "a", patterns: ["x"], prio: 1 }] }), /unknown field `prio`/);
  assert.throws(() => new IntentMatcher({ intents: [{ id: "a", patterns: "x" }] }), (e) => e.name === "IntentSetError" && e.pointer === "/intents/0/patterns");
  assert.throws(() => new ResponseCache({ maxEntries: 1 }), (e) => e instanceof TypeError && /maxBytes/.test(e.message));
  assert.throws(() => new ResponseCache({ maxEntries: 1, maxBytes: 9 }).set("k", "v", { ttl: 5 }), (e) => e instanceof TypeError && /unknown field `ttl`/.test(e.message));
});

test("cache corpus", () => {
  for (const file of corpus("cache")) {
    const cache = new ResponseCache(file.config);
    file.steps.forEach((step, i) => {
      const ctx = `${file.file} step ${i}`;
      const now = step.at;
      let got;
      switch (step.op) {
        case "set":
          try {
            got = { evicted: cache.set(step.key, step.value, { size: step.size, ttlMs: step.ttlMs, tags: step.tags }, now) };
          } catch (e) {
            got = { error: e.name.replace(/Error$/, "") };
          }
          break;
        case "get": got = cache.get(step.key, now) ?? null; break;
        case "peek": got = cache.peek(step.key, now) ?? null; break;
        case "delete": got = cache.delete(step.key); break;
        case "invalidatePrefix": got = cache.invalidatePrefix(step.prefix); break;
        case "invalidateGlob": got = cache.invalidateGlob(step.glob); break;
        case "invalidateTag": got = cache.invalidateTag(step.tag); break;
        case "purgeExpired": got = cache.purgeExpired(now); break;
        case "keys": got = cache.keys(); break;
        case "stats": {
          const stats = cache.stats();
          for (const [k, v] of Object.entries(step.expect)) assert.ok(Math.abs(stats[k] - v) < 1e-9, `${ctx}: ${k}=${stats[k]}`);
          return;
        }
        default: throw new Error(`unknown op ${step.op}`);
      }
      assert.deepEqual(got, step.expect, ctx);
    });
  }
});

test("rate limiter corpus, with header values", () => {
  for (const file of corpus("ratelimit")) {
    const limiter = new RateLimiter(file.config);
    file.steps.forEach((step, i) => {
      const d = limiter.check(step.key, { now: step.at, cost: step.cost });
      const got = {
        allowed: d.allowed, reason: d.reason, remaining: d.remaining, resetMs: d.reset, retryAfterMs: d.retryAfter,
        rateLimit: d.headers["RateLimit"], retryAfter: d.headers["Retry-After"] ?? null,
      };
      for (const [k, v] of Object.entries(step.expect)) assert.deepEqual(got[k], v, `${file.file} step ${i}: ${k}`);
      assert.ok(d.headers["RateLimit-Policy"].length > 0);
    });
  }
  assert.throws(() => new RateLimiter({ quotas: [{ name: "bad name", limit: 1, windowMs: 1000 }] }), (e) => e.name === "LimiterConfigError" && /quotas\[0\]\.name/.test(e.message));
  assert.throws(() => new RateLimiter({ quotas: [{ name: "a", limit: 1, windowMs: 1000 }] }).check("k", { cost: 0.5 }), RangeError);
});

test("coalescer: concurrent callers share one Promise, failures reach every waiter and are not replayed", async () => {
  const coalescer = new Coalescer();
  let calls = 0;
  let release;
  const gate = new Promise((r) => (release = r));
  const task = async () => { calls++; await gate; return { body: "shared" }; };
  const waiters = Array.from({ length: 20 }, () => coalescer.run("GET /slow", task));
  assert.equal(coalescer.inFlight, 1);
  release();
  const results = await Promise.all(waiters);
  assert.equal(calls, 1);
  assert.ok(results.every((r) => r === results[0]), "every caller gets the very same value");

  const boom = () => { calls++; return Promise.reject(new Error("origin 503")); };
  const failures = await Promise.allSettled([coalescer.run("k", boom), coalescer.run("k", boom), coalescer.run("k", boom)]);
  assert.ok(failures.every((f) => f.status === "rejected" && f.reason.message === "origin 503"));
  assert.equal(calls, 2);
  assert.equal(await coalescer.run("k", async () => { calls++; return "fresh"; }), "fresh");
  assert.equal(calls, 3);
  assert.deepEqual(
    { led: coalescer.stats().led, joined: coalescer.stats().joined, failed: coalescer.stats().failed },
    { led: 3, joined: 21, failed: 1 },
  );
  const bounded = new Coalescer({ maxInFlight: 1 });
  const pending = bounded.run("a", () => new Promise((r) => setTimeout(() => r("a"), 20)));
  await assert.rejects(bounded.run("b", async () => "b"), (e) => e.name === "CoalesceError" && /maxInFlight/.test(e.message));
  assert.equal(await pending, "a");
  assert.equal(await bounded.run("b", async () => "b"), "b", "room again once the first settled");
  const key = Coalescer.requestKey({ method: "get", url: "https://API.example/p?b=2&a=1", headers: { Accept: "json" }, vary: ["accept"] });
  assert.equal(key, Coalescer.requestKey({ method: "GET", url: "https://api.example/p?a=1&b=2", headers: { accept: "json" }, vary: ["Accept"] }));
});
