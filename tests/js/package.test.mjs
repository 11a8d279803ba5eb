// The npm package's Node build (pkg/node: wasm-bindgen --target nodejs plus the package's JavaScript classes) run
// against the behaviour corpus, as a JS user calls it; then the package as npm ships it (packed, installed by name
// into a fresh project, loaded through its `exports`, its declarations checked by `tsc --strict`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readFileSync, writeFileSync, mkdtempSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync, spawnSync } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { repo, corpus, intentSetOf, caseText, banking77, generatedSets, crawlerUserAgents, regexpAnswers, assertAllBatch, automatonTableSection, compileNatively } from "./corpus.mjs";
import { runEngineCorpus } from "./engine-corpus.mjs";

const require = createRequire(import.meta.url);
const { IntentMatcher, ResponseCache, RateLimiter, Coalescer, Decision, wasmMemoryBytes } = require(join(repo, "pkg", "node", "index.cjs"));

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
    assert.deepEqual([...loaded.matchBatch(texts)], [...compiled.matchBatch(texts)], form);
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
    // A batch (searched three texts at once) names a text whose own search fails. Every text does here, but an empty
    // one in the dense form (its one step, the end of the text, reads a damaged id as no match).
    for (const batch of [["lost my card", "b", "c", "d", "e"], ["lost my card", "b"], ["", "", "", "lost my card", ""]]) {
      let index = -1;
      assert.throws(() => damaged.matchBatch(batch), (e) => {
        index = Number(/texts\[(\d+)\]/.exec(e.message)?.[1] ?? -1);
        return e.name === "MatchError" && named.test(e.message) && index >= 0 && index < batch.length;
      }, form);
      assert.throws(() => damaged.bestIndex(batch[index]), (e) => e.name === "MatchError", `${form}: texts[${index}] of ${batch}`);
    }
    if (form === "dense") assert.deepEqual([...damaged.matchBatch(["", "", ""])], [-1, -1, -1]);
    assert.equal(loaded.bestIndex("lost my card"), compiled.bestIndex("lost my card"), "still usable after the errors");
  }
});

test("intent-edge compile --dense says so when the set's dense DFA does not fit, and saves the set anchored", () => {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-dense-"));
  const demo = JSON.parse(readFileSync(join(repo, "config/intents.json"), "utf8"));
  const compile = (options) => {
    writeFileSync(join(dir, "set.json"), JSON.stringify({ ...demo, options: { ...demo.options, ...options } }));
    const run = spawnSync(join(repo, "target/release/intent-edge"), ["compile", "--dense", join(dir, "set.json"), join(dir, "set.iedge")], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    return { stderr: run.stderr, automaton: IntentMatcher.fromBytes(new Uint8Array(readFileSync(join(dir, "set.iedge")))).stats().automaton };
  };
  const fits = compile({});
  assert.equal(fits.automaton, "dense");
  assert.equal(fits.stderr, "");
  const tooLarge = compile({ dfaSizeLimit: 100000 });
  assert.equal(tooLarge.automaton, "anchored");
  assert.match(tooLarge.stderr, /does not fit one dense DFA within options\.dfaSizeLimit \(100000 bytes\); saved anchored instead/);
});

test("generated sets (bench/sets): every query gives exactly the intents of its expected_ids", () => {
  for (const { name, set, queries, expectedIntents } of generatedSets()) {
    const matcher = new IntentMatcher(set);
    const all = matcher.matchAllBatch(queries.map((q) => q.text));
    assertAllBatch(all, expectedIntents, (i) => `${name}: ${queries[i].text}`);
  }
});

test("a real pattern set, the crawler-user-agents list: each example user agent answers as RegExp does, lazy and anchored", () => {
  const { set, patterns, texts } = crawlerUserAgents();
  assert.ok(patterns.length >= 1400 && texts.length >= 2000, `${patterns.length} patterns, ${texts.length} texts`);
  // The expected answers, independently: every pattern as a JavaScript RegExp (case-sensitive, as the list is used).
  const expected = regexpAnswers(patterns, "", texts);
  const matched = expected.filter((ids) => ids.length > 0).length;
  assert.ok(matched > 0.9 * texts.length, `${matched} of ${texts.length} examples match some pattern`);
  const forms = [["lazy", new IntentMatcher(set)], ["anchored", IntentMatcher.fromBytes(compileNatively(set))]];
  for (const [form, matcher] of forms) {
    assert.equal(matcher.stats().automaton, form);
    // Three passes: the first fills the anchored form's cache; the later ones are answered by the package's
    // JavaScript from that cache (short texts), and must not differ.
    for (let pass = 0; pass < 3; pass++) {
      const best = matcher.matchBatch(texts);
      assertAllBatch(matcher.matchAllBatch(texts), expected, (i) => `${form}, pass ${pass}, matchAllBatch: ${texts[i]}`);
      texts.forEach((text, i) => {
        const want = expected[i];
        assert.equal(best[i], want.length ? want[0] : -1, `${form}, pass ${pass}, matchBatch: ${text}`);
        assert.equal(matcher.bestIndex(text), want.length ? want[0] : -1, `${form}, pass ${pass}, bestIndex: ${text}`);
        assert.deepEqual([...matcher.matchingIndexes(text)], want, `${form}, pass ${pass}, matchingIndexes: ${text}`);
      });
    }
    matcher.free();
  }
});

test("bench/sets/mine_keywords.py mines BANKING77's keyword set again from its train.csv; the set answers as RegExp does", () => {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-mined-"));
  const data = join(repo, "..", "shared", "data", "banking77");
  execFileSync("python3", [join(repo, "bench/sets/mine_keywords.py"), "--train", join(data, "train.csv"), "--queries", join(data, "test.csv"), "--out", join(dir, "banking77")], { stdio: "ignore" });
  const set = JSON.parse(readFileSync(join(dir, "banking77.json"), "utf8"));
  const texts = readFileSync(join(dir, "banking77.queries.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).text);
  assert.equal(set.intents.length, 77);
  assert.equal(texts.length, 3080);
  // Close kin of the hand-off set: most of intents-keywords.json's keywords, per intent.
  const { source } = banking77();
  const keywordsOf = (pattern) => new Set(/^\\b\(\?:(.*)\)\\b$/.exec(pattern)[1].split("|").map((k) => k.replaceAll("\\s+", " ")));
  const mined = new Map(set.intents.map((intent) => [intent.id, keywordsOf(intent.patterns[0])]));
  const overlap = source.patterns.map((p) => p.keywords.filter((k) => mined.get(p.intent)?.has(k)).length / p.keywords.length);
  const mean = overlap.reduce((a, b) => a + b, 0) / overlap.length;
  assert.ok(mean >= 0.85, `mean keyword overlap ${mean.toFixed(3)}`);
  // And the matcher answers the mined set's queries as a RegExp loop does, lazy and anchored.
  const expected = regexpAnswers(set.intents.map((intent) => intent.patterns[0]), "i", texts);
  assert.ok(expected.filter((ids) => ids.length > 0).length > 1000, "the mined keywords match many queries");
  for (const matcher of [new IntentMatcher(set), IntentMatcher.fromBytes(compileNatively(set))]) {
    assertAllBatch(matcher.matchAllBatch(texts), expected, (i) => `${matcher.stats().automaton}: ${texts[i]}`);
    const best = matcher.matchBatch(texts);
    texts.forEach((text, i) => assert.equal(best[i], expected[i].length ? expected[i][0] : -1, text));
    matcher.free();
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

test("bestIndex: short texts (written by the package's JavaScript) answer like the batch and like long ones", () => {
  const matcher = IntentMatcher.fromBytes(readFileSync(join(repo, "target/sets/intents.iedge")));
  const base = ["send £20 to Zoë", "lost my card", "LOST MY CARD 🙂", "lone \ud800 surrogate lost my card", "", "é".repeat(256)];
  const texts = [...base];
  for (const n of [254, 255, 256, 257, 300]) texts.push("lost my card ".padEnd(n, "x"), "🙂 lost my card ".padEnd(n, "é"));
  const batch = [...matcher.matchBatch(texts)];
  assert.deepEqual(texts.map((t) => matcher.bestIndex(t)), batch);
  assert.ok(batch[1] >= 0 && batch[2] === batch[1], JSON.stringify(batch));
  // Alternating short and long texts, after wasm memory grew (the short-text view is taken again).
  new IntentMatcher(JSON.parse(readFileSync(join(repo, "config/intents.json"), "utf8")));
  assert.deepEqual(texts.map((t) => matcher.bestIndex(t)), batch);
  assert.throws(() => matcher.bestIndex(42), TypeError);
});

test("matchingIndexes: short texts (written by the package's JavaScript) answer like the batch and like long ones", () => {
  const matcher = IntentMatcher.fromBytes(readFileSync(join(repo, "target/sets/intents.iedge")));
  const base = ["send £20 to Zoë", "lost my card", "LOST MY CARD 🙂 send £5 to Al", "lone \ud800 surrogate lost my card", "", "é".repeat(256)];
  const texts = [...base];
  for (const n of [254, 255, 256, 257, 300]) texts.push("lost my card, send £5 ".padEnd(n, "x"), "🙂 lost my card ".padEnd(n, "é"));
  // matchAllBatch: for each text its count, then its intents.
  const flat = [...matcher.matchAllBatch(texts)];
  const want = [];
  for (let at = 0; at < flat.length; at += 1 + flat[at]) want.push(flat.slice(at + 1, at + 1 + flat[at]));
  const answers = () => texts.map((t) => matcher.matchingIndexes(t));
  const got = answers();
  assert.ok(got.every((a) => a instanceof Uint32Array), "a Uint32Array each");
  assert.deepEqual(got.map((a) => [...a]), want);
  assert.ok(want[2].length >= 2, JSON.stringify(want[2]));
  // Each answer is the caller's own copy: the next call does not change it.
  const first = matcher.matchingIndexes("LOST MY CARD 🙂 send £5 to Al");
  matcher.matchingIndexes("nothing");
  assert.deepEqual([...first], want[2]);
  // After wasm memory grew (the views are taken again), alternating short and long texts.
  new IntentMatcher(JSON.parse(readFileSync(join(repo, "config/intents.json"), "utf8")));
  assert.deepEqual(answers().map((a) => [...a]), want);
  assert.throws(() => matcher.matchingIndexes(42), TypeError);
  // More intents match than the short answer holds (256): the generated method answers.
  const many = new IntentMatcher({ intents: Array.from({ length: 300 }, (_, i) => ({ id: `i${i}`, patterns: ["hey"] })) });
  assert.deepEqual([...many.matchingIndexes("hey")], Array.from({ length: 300 }, (_, i) => i));
  assert.deepEqual([...many.matchingIndexes("no")], []);
});

test("invalid intent sets throw an IntentSetError with a pointer", () => {
  const bad = { intents: [{ id: "a", patterns: ["ok"] }, { id: "b", patterns: ["fine", "(unclosed"] }] };
  assert.throws(() => new IntentMatcher(bad), (e) => e.name === "IntentSetError" && e.pointer === "/intents/1/patterns/1" && /"b"/.test(e.message));
  assert.throws(() => new IntentMatcher({ intents: [] }), (e) => e.name === "IntentSetError" && e.pointer === "/intents");
  assert.throws(() => new IntentMatcher("{not json"), (e) => e.name === "IntentSetError");
  assert.throws(() => new IntentMatcher({ intents: [{ id: "a", patterns: ["x"], prio: 1 }] }), /unknown field `prio`/);
  assert.throws(() => new IntentMatcher({ intents: [{ id: "a", patterns: "x" }] }), (e) => e.name === "IntentSetError" && e.pointer === "/intents/0/patterns");
  assert.throws(() => new ResponseCache({ maxBytes: 100 }), (e) => e instanceof TypeError && /maxEntries/.test(e.message));
  assert.throws(() => new ResponseCache({ maxEntries: 1, maxBytes: 9 }).set("k", "v", { ttl: 5 }), (e) => e instanceof TypeError && /unknown field `ttl`/.test(e.message));
});

test("cache and rate limiter corpus through the package's classes (Node build)", () => {
  const { checked, failures } = runEngineCorpus({ ResponseCache, RateLimiter }, { cache: corpus("cache"), ratelimit: corpus("ratelimit") });
  assert.deepEqual(failures, []);
  assert.ok(checked >= 80, `${checked} checks`);
  assert.throws(() => new RateLimiter({ quotas: [{ name: "bad name", limit: 1, windowMs: 1000 }] }), (e) => e.name === "LimiterConfigError" && /quotas\[0\]\.name/.test(e.message));
  const limiter = new RateLimiter({ quotas: [{ name: "a", limit: 1, windowMs: 1000 }] });
  assert.throws(() => limiter.check("k", { cost: 0.5 }), (e) => e instanceof RangeError && /whole number/.test(e.message));
  assert.throws(() => limiter.check("k", { cots: 2 }), (e) => e instanceof TypeError && /unknown field `cots`/.test(e.message));
  assert.throws(() => limiter.check(42), TypeError);
});

test("the cache keeps JS values as they are, evicts exactly, and says what is wrong", () => {
  const cache = new ResponseCache({ maxEntries: 3, maxBytes: 1000 });
  const value = { nested: { list: [1, 2] } };
  cache.set("a", value, { size: 10 });
  assert.equal(cache.get("a"), value, "the very same object comes back");
  assert.equal(cache.set("b", "x".repeat(100)), 0, "a string is charged its UTF-8 length");
  assert.equal(cache.bytes, 1 + 10 + 1 + 100);
  cache.set("c", new Uint8Array(300));
  assert.equal(cache.bytes, 112 + 1 + 300);
  assert.throws(() => cache.set("huge", "y".repeat(2000)), (e) => e.name === "EntryTooLargeError" && /"huge" needs 2004 bytes/.test(e.message));
  assert.equal(cache.set("d", { big: "z".repeat(600) }), 2, "JSON-sized, and two entries evicted to fit");
  assert.deepEqual(cache.keys(), ["d", "c"]);
  assert.throws(() => cache.set("e", 1, { size: -1 }), (e) => e instanceof RangeError && /`size`/.test(e.message));
  assert.throws(() => cache.set("e", 1, { tags: [1] }), (e) => e instanceof TypeError && /tags/.test(e.message));
  assert.throws(() => cache.set(7, 1), TypeError);
  assert.throws(() => cache.invalidateGlob("*".repeat(2000)), RangeError);
  assert.throws(() => new ResponseCache({ maxEntries: 0 }), (e) => e.name === "CacheConfigError" && /maxEntries/.test(e.message));
  assert.throws(() => new ResponseCache({ maxEntries: 1, maxBytse: 9 }), (e) => e instanceof TypeError && /unknown field `maxBytse`/.test(e.message));
  // A churning cache: the JS index and the wasm table stay in step (every key reachable, none left behind).
  const churn = new ResponseCache({ maxEntries: 50, maxBytes: 2000, defaultTtlMs: 400 });
  for (let i = 0; i < 20_000; i++) {
    const key = `k${(i * 7) % 130}`;
    if (i % 3 === 0) churn.get(key, i);
    else if (i % 11 === 0) churn.invalidatePrefix(`k${i % 9}`);
    else churn.set(key, i, { size: i % 40, ttlMs: i % 7 === 0 ? 30 : undefined, tags: i % 5 === 0 ? ["five"] : undefined }, i);
    if (i % 997 === 0) churn.invalidateTag("five");
  }
  const keys = churn.keys();
  assert.equal(keys.length, churn.size);
  assert.equal(new Set(keys).size, keys.length);
  for (const key of keys) assert.notEqual(churn.peek(key, 0), undefined, key);
  const { hits, evictions, expirations } = churn.stats();
  assert.ok(hits > 300 && evictions > 1000 && expirations > 100, JSON.stringify(churn.stats()));
});

/** A repeatable random source: `random(n)` is an integer in [0, n). */
function xorshift(seed) {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

/** A get as an exact LRU does it, on a Map whose insertion order is the recency order: the value, or undefined. */
function modelGet(model, key) {
  const value = model.get(key);
  if (value !== undefined) {
    model.delete(key);
    model.set(key, value);
  }
  return value;
}

test("the cache stays an exact LRU through logged gets: random operations against a Map model", () => {
  // Gets of a cache whose entries cannot expire are logged in JavaScript and applied by wasm in batches (up to
  // 4,096, or a few before a set) when it has a maxBytes, and move a slot on a list kept in JavaScript when it has
  // not (the LISTED form): runs of thousands of gets with hot keys repeated, sets that evict, deletes, and the
  // order, hits and misses read back, each compared with a Map whose insertion order is the recency order.
  const random = xorshift(0x2545f491);
  for (const [maxEntries, maxBytes] of [1, 7, 64, 300].flatMap((n) => [[n], [n, 2 ** 31]])) {
    const cache = new ResponseCache({ maxEntries, maxBytes });
    const model = new Map();
    const universe = 3 * maxEntries + 2;
    // Skewed keys: a few hot, many cold.
    const key = () => `k${Math.min(random(universe), random(universe), random(universe))}`;
    let hits = 0;
    let misses = 0;
    for (let step = 0; step < 40_000; step++) {
      const ctx = `maxEntries ${maxEntries}, maxBytes ${maxBytes}, step ${step}`;
      const burst = step % 5_000 < 4_500 ? 90 : 40; // stretches of gets only, then mixed
      const roll = random(100);
      const k = key();
      if (roll < burst) {
        const expected = modelGet(model, k);
        if (expected !== undefined) hits++;
        else misses++;
        assert.equal(cache.get(k), expected, ctx);
      } else if (roll < 97) {
        const value = { step };
        cache.set(k, value);
        model.delete(k);
        model.set(k, value);
        if (model.size > maxEntries) model.delete(model.keys().next().value);
      } else {
        assert.equal(cache.delete(k), model.delete(k), ctx);
      }
      if (step % 2_477 === 0) assert.deepEqual(cache.keys(), [...model.keys()].reverse(), ctx);
    }
    assert.deepEqual(cache.keys(), [...model.keys()].reverse(), `maxEntries ${maxEntries}, maxBytes ${maxBytes}: final order`);
    const stats = cache.stats();
    assert.equal(stats.hits, hits, `maxEntries ${maxEntries}, maxBytes ${maxBytes}: hits`);
    assert.equal(stats.misses, misses, `maxEntries ${maxEntries}, maxBytes ${maxBytes}: misses`);
    assert.equal(cache.size, model.size);
  }
});

test("the cache stays an exact LRU through long runs of gets (recorded as stamps): random runs against a Map model", () => {
  // A run of gets with nothing else between them that outlasts a few full logs is recorded as stamps by slot and
  // sorted when it ends (a cache with a maxBytes; one without keeps its list in JavaScript, run here too): runs of 10,000-70,000 gets (skewed keys, misses among them) ended by a set, a delete, a
  // peek-free read of the order or the counts, or a TTL entry, each compared with a Map kept in recency order.
  const random = xorshift(0x1b873593);
  for (const [maxEntries, maxBytes] of [1, 5, 300, 20_000].flatMap((n) => [[n], [n, 2 ** 31]])) {
    const cache = new ResponseCache({ maxEntries, maxBytes });
    const model = new Map();
    const universe = Math.ceil(1.3 * maxEntries) + 1;
    const key = () => `k${Math.min(random(universe), random(universe))}`;
    const set = (k) => {
      const value = { k };
      cache.set(k, value);
      model.delete(k);
      model.set(k, value);
      if (model.size > maxEntries) model.delete(model.keys().next().value);
    };
    for (let i = 0; i < maxEntries; i++) set(`k${i}`);
    let hits = 0;
    let misses = 0;
    for (let run = 0; run < 8; run++) {
      const ctx = `maxEntries ${maxEntries}, maxBytes ${maxBytes}, run ${run}`;
      const gets = 10_000 + random(60_000);
      for (let i = 0; i < gets; i++) {
        const k = key();
        const expected = modelGet(model, k);
        if (expected !== undefined) hits++;
        else misses++;
        assert.equal(cache.get(k), expected, ctx);
      }
      // Something other than a get ends the run; each kind in turn.
      switch (run % 4) {
        case 0:
          set(`new${run}`);
          break;
        case 1: {
          const k = key();
          assert.equal(cache.delete(k), model.delete(k), ctx);
          break;
        }
        case 2:
          assert.deepEqual(cache.keys(), [...model.keys()].reverse(), ctx);
          break;
        case 3:
          assert.equal(cache.stats().hits, hits, ctx);
          break;
      }
    }
    assert.deepEqual(cache.keys(), [...model.keys()].reverse(), `maxEntries ${maxEntries}, maxBytes ${maxBytes}: final order`);
    const stats = cache.stats();
    assert.deepEqual([stats.hits, stats.misses, cache.size], [hits, misses, model.size], `maxEntries ${maxEntries}, maxBytes ${maxBytes}: counts`);
    // A TTL entry after a long run: gets are then decided by the table one at a time, in the same order.
    for (let i = 0; i < 20_000; i++) cache.get(`k${i % Math.max(1, maxEntries)}`);
    cache.set("ttl", 1, { ttlMs: 60_000 });
    assert.equal(cache.get("ttl"), 1);
    assert.equal(cache.keys()[0], "ttl");
  }
});

test("a cache bounded by entries only is kept in JavaScript, with no call to its wasm table, until a set with options hands it over", () => {
  // Random get-or-set traffic with deletes and sets of held keys, against a Map kept in recency order, with the
  // counts and ages kept beside it; then one set with tags (the hand-over) and the same traffic on, the counts and
  // ages carried over. Every call the class makes into its wasm table is counted: none before the hand-over.
  const { CacheEntryTable } = require(join(repo, "pkg", "node", "intent_edge.js"));
  const calls = new Map();
  const restore = [];
  for (const name of Object.getOwnPropertyNames(CacheEntryTable.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(CacheEntryTable.prototype, name);
    if (name === "constructor" || typeof descriptor.value !== "function") continue;
    restore.push(() => Object.defineProperty(CacheEntryTable.prototype, name, descriptor));
    CacheEntryTable.prototype[name] = function (...args) {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return descriptor.value.apply(this, args);
    };
  }
  try {
    const random = xorshift(0x3c6ef372);
    for (const maxEntries of [1, 2, 50, 700]) {
      const cache = new ResponseCache({ maxEntries });
      const model = new Map();
      const storedAt = new Map();
      const counts = { hits: 0, misses: 0, inserts: 0, evictions: 0, invalidations: 0 };
      const universe = 3 * maxEntries + 2;
      const key = () => `/v1/items/${Math.min(random(universe), random(universe))}`;
      let now = 5_000;
      const set = (k, value, options) => {
        const evicts = !model.has(k) && model.size === maxEntries;
        assert.equal(cache.set(k, value, options, now), evicts ? 1 : 0);
        model.delete(k);
        model.set(k, value);
        storedAt.set(k, now);
        counts.inserts++;
        if (evicts) {
          model.delete(model.keys().next().value);
          counts.evictions++;
        }
      };
      const traffic = (steps, phase) => {
        for (let step = 0; step < steps; step++) {
          const ctx = `maxEntries ${maxEntries}, ${phase} step ${step}`;
          now += random(4);
          const k = key();
          const roll = random(100);
          if (roll < 90) {
            const expected = modelGet(model, k);
            counts[expected === undefined ? "misses" : "hits"]++;
            assert.equal(cache.get(k, now), expected, ctx);
            if (expected === undefined) set(k, { step });
          } else if (roll < 96) {
            set(k, { step });
          } else if (roll < 99) {
            const held = model.delete(k);
            if (held) counts.invalidations++;
            assert.equal(cache.delete(k), held, ctx);
          } else {
            assert.equal(cache.age(k, now + 3), model.has(k) ? now + 3 - storedAt.get(k) : undefined, ctx);
            assert.equal(cache.peek(k, now), model.get(k), ctx);
          }
        }
        assert.deepEqual(cache.keys(), [...model.keys()].reverse(), `maxEntries ${maxEntries}: order after ${phase}`);
        const stats = cache.stats();
        const { hits, misses, inserts, evictions, invalidations, entries } = stats;
        assert.deepEqual({ hits, misses, inserts, evictions, invalidations, entries }, { ...counts, entries: model.size }, `maxEntries ${maxEntries}: counts after ${phase}`);
      };
      calls.clear();
      traffic(30_000, "the JavaScript form");
      assert.deepEqual([...calls], [], `maxEntries ${maxEntries}: calls into wasm before the hand-over`);
      set("/tagged", { tagged: true }, { tags: ["t"] });
      assert.ok(calls.get("adopt") === 1, `maxEntries ${maxEntries}: one hand-over`);
      traffic(30_000, "the hand-over");
      for (const k of model.keys()) assert.equal(cache.age(k, now + 1), now + 1 - storedAt.get(k), `maxEntries ${maxEntries}: age of ${k}`);
    }
  } finally {
    for (const undo of restore) undo();
  }
});

test("rate limiter decisions: numbers now, quotas and header strings when read", () => {
  const limiter = new RateLimiter({ quotas: [{ name: "burst", limit: 2, windowMs: 1000 }, { name: "hour", limit: 3, windowMs: 3_600_000 }] });
  const first = limiter.check("k", { now: 0 });
  const second = limiter.check("k", { now: 0 });
  const denied = limiter.check("k", { now: 0 });
  assert.ok(first instanceof Decision);
  assert.deepEqual([first.allowed, first.remaining, second.remaining, denied.allowed, denied.reason], [true, 1, 0, false, "quotaExhausted"]);
  // Each decision keeps its own numbers: reading the first one's headers after later checks still describes it.
  assert.equal(first.headers["RateLimit"], '"burst";r=1;t=1, "hour";r=2;t=1200');
  assert.deepEqual(first.quotas.map((q) => [q.name, q.remaining, q.allowed]), [["burst", 1, true], ["hour", 2, true]]);
  assert.deepEqual(denied.quotas.map((q) => q.allowed), [false, true]);
  assert.equal(denied.headers["Retry-After"], "1");
  assert.equal(first.headers["Retry-After"], undefined);
  assert.equal(first.headers, first.headers, "rendered once");
  assert.deepEqual(JSON.parse(JSON.stringify(denied)), {
    allowed: false, reason: "quotaExhausted", remaining: 0, reset: 1000, retryAfter: 500,
    quotas: [{ name: "burst", remaining: 0, reset: 1000, allowed: false }, { name: "hour", remaining: 1, reset: 2_400_000, allowed: true }],
    headers: { "RateLimit-Policy": '"burst";q=2;w=1, "hour";q=3;w=3600', RateLimit: '"burst";r=0;t=1, "hour";r=1;t=2400', "Retry-After": "1" },
  });
  const peeked = limiter.peek("k", 500);
  assert.deepEqual([peeked.allowed, peeked.remaining], [true, 1], "half the burst interval later, one more");
  assert.equal(limiter.stats().allowed, 2, "peek spends nothing");
  assert.equal(limiter.check("k", { now: 500 }).allowed, true);
  assert.equal(limiter.resetKey("k"), true);
  assert.equal(limiter.stats().keys, 0);
});

test("free() and Symbol.dispose release the wasm objects; a freed object says so", () => {
  for (const [name, make, use] of [
    ["ResponseCache", () => new ResponseCache({ maxEntries: 2 }), (o) => o.get("a")],
    ["RateLimiter", () => new RateLimiter({ quotas: [{ name: "q", limit: 1, windowMs: 1 }] }), (o) => o.check("a")],
    ["Coalescer", () => new Coalescer(), (o) => o.run("a", () => 1)],
    ["IntentMatcher", () => new IntentMatcher({ intents: [{ id: "a", patterns: ["a"] }] }), (o) => o.bestIndex("a")],
  ]) {
    const viaFree = make();
    use(viaFree);
    viaFree.free();
    assert.throws(() => use(viaFree), Error, name);
    const viaDispose = make();
    viaDispose[Symbol.dispose]();
    assert.throws(() => use(viaDispose), Error, name);
  }
  const cache = new ResponseCache({ maxEntries: 2 });
  cache.free();
  assert.throws(() => cache.get("a"), /ResponseCache was freed/);
});

test("memory: a 1,000-entry cache of JS objects through 1,000,000 set/evict cycles holds no wasm or JS memory", async () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // Both forms: kept in JavaScript (entries only) and in the wasm table (with a maxBytes no value reaches).
  for (const config of [{ maxEntries: 1_000 }, { maxEntries: 1_000, maxBytes: 2 ** 31 }]) {
    const form = JSON.stringify(config);
    const cache = new ResponseCache({ maxEntries: 1_000 });
    for (let i = 0; i < 20_000; i++) cache.set(`warm-${i}`, { i, payload: `value ${i}` });
    const [heapBefore, wasmBefore] = [heap(), wasmMemoryBytes()];
    const evictedProbes = [];
    let evictions = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const value = { i, payload: `value ${i}` };
      if (i % 100_000 === 0) evictedProbes.push(new WeakRef(value));
      evictions += cache.set(`key-${i}`, value);
    }
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets stay alive until the job that made them ends
    const [heapAfter, wasmAfter] = [heap(), wasmMemoryBytes()];
    assert.equal(evictions, 1_000_000);
    assert.equal(cache.size, 1_000);
    assert.equal(wasmAfter, wasmBefore, `${form}: wasm memory did not grow`);
    assert.ok(heapAfter - heapBefore < 1_000_000, `${form}: JS heap grew by ${heapAfter - heapBefore} bytes`);
    assert.ok(evictedProbes.slice(0, -1).every((probe) => probe.deref() === undefined), `${form}: evicted values were garbage-collected`);
    console.log(`# memory, ${form}: wasm ${wasmBefore} → ${wasmAfter} bytes; JS heap after gc ${heapBefore} → ${heapAfter} bytes`);
  }
});

test("the npm package: packs, installs by name into a fresh project, loads through its exports, types check strictly", () => {
  const project = mkdtempSync(join(tmpdir(), "intent-edge-consumer-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", join(repo, "pkg"), "--pack-destination", project, "--json", "--silent"]).toString())[0];
  const files = packed.files.map((f) => f.path).sort();
  for (const target of ["web", "web-compiler", "bundler", "node"]) {
    for (const file of ["intent_edge_bg.wasm", "intent_edge.js", "intent_edge.d.ts", "engines.d.ts"]) assert.ok(files.includes(`${target}/${file}`), `${target}/${file} packed`);
  }
  assert.ok(files.includes("README.md") && files.includes("package.json"));
  assert.ok(files.every((f) => /^(web|web-compiler|bundler|node)\/|^README\.md$|^package\.json$/.test(f)), files.join(" "));
  const manifest = JSON.parse(readFileSync(join(repo, "pkg", "package.json"), "utf8"));
  assert.equal(manifest.name, "intent-edge");
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.ok(Array.isArray(manifest.sideEffects) && manifest.types && manifest.exports["."].node);
  for (const file of files.filter((f) => /\.d\.[cm]?ts$/.test(f))) {
    const declarations = readFileSync(join(repo, "pkg", file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(declarations, /\bany\b/, `${file} declares something as any`);
  }

  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", join(project, packed.filename)], { cwd: project });
  const run = (args) => execFileSync("node", args, { cwd: project }).toString().trim();
  const cjs = run(["-e", `const m = require("intent-edge"); const c = new m.ResponseCache({ maxEntries: 1 }); c.set("k", 1); console.log(Object.keys(m).sort().join(","), c.get("k"), new m.IntentMatcher({ intents: [{ id: "a", patterns: ["a+"] }] }).bestIndex("caa"))`]);
  assert.equal(cjs, "Coalescer,Decision,IntentMatcher,RateLimiter,ResponseCache,wasmMemoryBytes 1 0");
  const esm = run(["--input-type=module", "-e", `
    import { RateLimiter } from "intent-edge";
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    import init, { IntentMatcher, ResponseCache } from "intent-edge/web";
    import * as compiler from "intent-edge/web-compiler";
    const wasm = createRequire(import.meta.url).resolve("intent-edge/web/intent_edge_bg.wasm");
    await init({ module_or_path: readFileSync(wasm) });
    compiler.initSync({ module: readFileSync(createRequire(import.meta.url).resolve("intent-edge/web-compiler/intent_edge_bg.wasm")) });
    const bytes = new compiler.IntentMatcher({ intents: [{ id: "greet", patterns: ["hi+"] }] }).toBytes();
    let browserConstructor = "";
    try { new IntentMatcher({ intents: [{ id: "a", patterns: ["a"] }] }); } catch (e) { browserConstructor = e.name; }
    const cache = new ResponseCache({ maxEntries: 1 });
    cache.set("k", "v");
    console.log(new RateLimiter({ quotas: [{ name: "q", limit: 1, windowMs: 1000 }] }).check("c").allowed, IntentMatcher.fromBytes(bytes).bestIndex("oh hi"), browserConstructor, cache.get("k"));
  `]);
  assert.equal(esm, "true 0 IntentSetError v");

  for (const file of ["types-check.ts", "types-check-require.cts"]) copyFileSync(join(repo, "tests", "js", file), join(project, file));
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", lib: ["esnext", "dom"], module: "node16", moduleResolution: "node16", skipLibCheck: false, types: [] },
    files: ["types-check.ts", "types-check-require.cts"],
  }));
  try {
    execFileSync(join(repo, "tests", "js", "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], { cwd: project, stdio: "pipe" });
  } catch (e) {
    assert.fail(`tsc --strict on the installed package: ${e.stdout ?? ""}${e.stderr ?? ""}${e.stdout ? "" : e.message}`);
  }
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

test("coalescer: a window replays a success, never a failure; a task that throws synchronously rejects", async () => {
  const coalescer = new Coalescer({ windowMs: 60_000 });
  let calls = 0;
  const first = await coalescer.run("GET /a", async () => ({ n: ++calls }));
  const again = await coalescer.run("GET /a", async () => ({ n: ++calls }));
  assert.equal(again, first, "the very value, replayed");
  assert.equal(calls, 1);
  await assert.rejects(coalescer.run("GET /b", () => { throw new Error("sync"); }), /sync/);
  assert.deepEqual(await coalescer.run("GET /b", () => "fresh"), "fresh", "a failure is not replayed");
  const reentrant = await coalescer.run("GET /c", () => coalescer.run("GET /d", () => "inner"));
  assert.equal(reentrant, "inner");
  await assert.rejects(coalescer.run("GET /e", "not a function"), TypeError);
  assert.deepEqual(
    (({ led, replayed, failed }) => ({ led, replayed, failed }))(coalescer.stats()),
    { led: 5, replayed: 1, failed: 1 },
  );
});
