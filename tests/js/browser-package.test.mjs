// The browser package (pkg/web: built without the regex compiler, loads precompiled sets only), run in Node as
// an ES module. Every set is compiled elsewhere — by the Node package's `toBytes()` (lazy automaton: the set's
// NFA) or by `intent-edge compile` (anchored DFA, or dense with --dense) — and must answer here exactly as the compiling package does,
// slots and spans included (each pattern's capture NFA travels in the file).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { repo, corpus, intentSetOf, caseText, banking77, generatedSets, assertAllBatch, compileNatively } from "./corpus.mjs";
import { runEngineCorpus } from "./engine-corpus.mjs";

const full = createRequire(import.meta.url)(join(repo, "pkg", "node", "index.cjs"));
const web = await import(join(repo, "pkg", "web", "index.js"));

before(async () => {
  await web.default({ module_or_path: readFileSync(join(repo, "pkg", "web", "intent_edge_bg.wasm")) });
});

const precompileWithNode = (set) => {
  const compiled = new full.IntentMatcher(set);
  const bytes = compiled.toBytes();
  compiled.free();
  return bytes;
};

test("the browser package has no compiler: the constructor says to load a precompiled set", () => {
  assert.throws(
    () => new web.IntentMatcher({ intents: [{ id: "a", patterns: ["x"] }] }),
    (e) => e.name === "IntentSetError" && /fromBytes/.test(e.message),
  );
});

test("intent corpus, every set precompiled by the Node package, answers the same in the browser package", () => {
  let checked = 0;
  for (const file of corpus("intents")) {
    const set = intentSetOf(file);
    const reference = new full.IntentMatcher(set);
    const loaded = web.IntentMatcher.fromBytes(precompileWithNode(set));
    assert.equal(loaded.stats().automaton, "lazy", file.file);
    for (const c of file.cases) {
      const text = caseText(c);
      const ctx = `${file.file}: ${JSON.stringify(c.text)}`;
      if (c.error) {
        assert.throws(() => loaded.match(text), (e) => e.name === c.error, ctx);
        checked++;
        continue;
      }
      const best = loaded.match(text);
      assert.equal(best?.intent ?? null, c.best, ctx);
      assert.deepEqual(best, reference.match(text), ctx);
      assert.deepEqual(loaded.matchAll(text), reference.matchAll(text), ctx);
      if (c.slots) assert.deepEqual(Object.fromEntries(best.slots.map((s) => [s.name, s.value])), c.slots, ctx);
      checked++;
    }
    loaded.free();
    reference.free();
  }
  assert.ok(checked >= 20, `${checked} cases`);
});

test("BANKING77 precompiled anchored and dense (intent-edge compile) and lazy (toBytes): all 3,080 queries give exactly expected_ids", () => {
  const { set, queries } = banking77();
  const forms = [["anchored", compileNatively(set)], ["dense", compileNatively(set, ["--dense"])], ["lazy", precompileWithNode(set)]];
  for (const [form, bytes] of forms) {
    const matcher = web.IntentMatcher.fromBytes(bytes);
    assert.equal(matcher.stats().automaton, form);
    const best = matcher.matchBatch(queries.map((q) => q.text));
    queries.forEach((q, i) => {
      assert.deepEqual([...matcher.matchingIndexes(q.text)], q.expected_ids, `${form}: ${q.text}`);
      assert.equal(best[i], q.expected_first ?? -1, `${form}: ${q.text}`);
    });
    // The batches again, warm (the anchored form's now stepped in JavaScript).
    const texts = queries.map((q) => q.text);
    assert.deepEqual([...matcher.matchBatch(texts)], queries.map((q) => q.expected_first ?? -1), `${form}: warm matchBatch`);
    assertAllBatch(matcher.matchAllBatch(texts), queries.map((q) => q.expected_ids), (i) => `${form} warm matchAllBatch: ${texts[i]}`);
    // Spans come from each pattern's precompiled capture NFA: the first 300 queries, checked against the Node package.
    const reference = new full.IntentMatcher(set);
    for (const q of queries.slice(0, 300)) assert.deepEqual(matcher.matchAll(q.text), reference.matchAll(q.text), `${form}: ${q.text}`);
    matcher.free();
    reference.free();
  }
});

test("generated sets (support-150, bots-1500) precompiled anchored and lazy: every query gives exactly its expected intents", () => {
  for (const { name, set, queries, expectedIntents } of generatedSets()) {
    for (const [form, bytes] of [["anchored", compileNatively(set)], ["lazy", precompileWithNode(set)]]) {
      const matcher = web.IntentMatcher.fromBytes(bytes);
      assert.equal(matcher.stats().automaton, form);
      // Twice: cold (the anchored form's texts mostly go to wasm, which fills the cache) and warm (stepped in
      // JavaScript, src/js/package/intent.js).
      for (const pass of ["cold", "warm"]) {
        const all = matcher.matchAllBatch(queries.map((q) => q.text));
        assertAllBatch(all, expectedIntents, (i) => `${name} (${form}, ${pass}): ${queries[i].text}`);
      }
      matcher.free();
    }
  }
});

test("warmUp in the browser package: texts sampled by the Node package fill a lazy set's cache", () => {
  const [{ set, queries, expectedIntents }] = generatedSets(); // support-150: determinized lazily
  const samples = new full.IntentMatcher(set).sampleTexts(1);
  const matcher = web.IntentMatcher.fromBytes(precompileWithNode(set));
  assert.equal(typeof matcher.sampleTexts, "undefined", "sampling needs the regex parser, which this package leaves out");
  const report = matcher.warmUp(samples);
  assert.equal(report.texts, samples.length);
  assert.equal(report.captureEngines, matcher.stats().patterns);
  assert.ok(report.cacheBytes > 100_000, `cached DFA states: ${report.cacheBytes} bytes`);
  assertAllBatch(matcher.matchAllBatch(queries.map((q) => q.text)), expectedIntents, (i) => queries[i].text);
});

test("corrupt or truncated precompiled sets are an IntentSetError in the browser package, never a trap", () => {
  const bytes = precompileWithNode({ intents: [{ id: "book", patterns: ["book (?P<n>\\d+) seats?"] }, { id: "hi", patterns: ["\\bhi\\b"] }] });
  let refused = 0;
  for (let len = 0; len < bytes.length; len += 3) {
    assert.throws(() => web.IntentMatcher.fromBytes(bytes.subarray(0, len)), (e) => e.name === "IntentSetError", `truncated at ${len}`);
    refused++;
  }
  // Flipped bytes: refused at load, or (inside a capture NFA, decoded on first use) a MatchError on the first span.
  for (let i = 0; i < bytes.length; i++) {
    const corrupt = bytes.slice();
    corrupt[i] ^= 0xa5;
    let m;
    try {
      m = web.IntentMatcher.fromBytes(corrupt);
    } catch (e) {
      assert.equal(e.name, "IntentSetError");
      continue;
    }
    try {
      m.match("book 2 seats, hi");
    } catch (e) {
      assert.ok(["MatchError"].includes(e.name), `${i}: ${e.name}: ${e.message}`);
    }
    m.free();
  }
  const ok = web.IntentMatcher.fromBytes(bytes);
  assert.deepEqual(ok.match("please book 2 seats").slots.map((s) => [s.name, s.value]), [["n", "2"]], "still usable after the errors");
  assert.ok(refused > 10);
});

test("cache and rate limiter corpus through the browser build's classes (the same engines.js over the web glue)", () => {
  const { checked, failures } = runEngineCorpus(web, { cache: corpus("cache"), ratelimit: corpus("ratelimit") });
  assert.deepEqual(failures, []);
  assert.ok(checked >= 80, `${checked} checks`);
});
