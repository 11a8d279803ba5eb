// The package's JavaScript steps short texts through an anchored set's search cache itself, with no call into wasm
// (`fastShortTexts` in src/js/package/intent.js, `Published` in src/intent/automaton/anchored/search.rs). Nothing
// else checks that reader, so here it answers random texts against wasm's own search of the same set: a matcher
// compiled at run time (the lazy form, which JavaScript never steps) and the anchored matcher's `match`/`matchAll`
// (which always search in wasm), cold and warm, across memory growth, cache clears, the text limit and free(). A
// dense set's table, which JavaScript steps too (`stepDense`), is checked the same way in the last test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repo, compileNatively } from "./corpus.mjs";

const require = createRequire(import.meta.url);
/** How many texts the generated `matchBatch` / `matchAllBatch` were given: how many texts of a batch went to wasm.
 * The package's layer keeps the generated methods it finds when it loads, so they are wrapped before it loads. */
const toWasm = { matchBatch: 0, matchAllBatch: 0 };
{
  const glue = require(join(repo, "pkg", "node", "intent_edge.js"));
  for (const name of Object.keys(toWasm)) {
    const generated = glue.IntentMatcher.prototype[name];
    glue.IntentMatcher.prototype[name] = function (texts) {
      toWasm[name] += Array.isArray(texts) ? texts.length : 0;
      return generated.call(this, texts);
    };
  }
}
const { IntentMatcher, wasmMemoryBytes } = require(join(repo, "pkg", "node", "index.cjs"));

/** Word boundaries and anchors next to non-ASCII text, case folding (Kelvin sign, ß, final sigma), non-ASCII
 * literals, empty matches, many overlapping hits, and one intent with two patterns. */
const SET = {
  options: { caseInsensitive: true },
  intents: [
    { id: "card", patterns: [String.raw`\b(?:lost|stolen)\s+card\b`, String.raw`\bcard\b.*\b(?:lost|stolen)\b`] },
    { id: "money", patterns: [String.raw`(?:£|€)\d+`], priority: 2 },
    { id: "hello", patterns: [String.raw`^hi\b`] },
    { id: "cafe", patterns: [String.raw`caf[eé]$`] },
    { id: "zoe", patterns: [String.raw`\bzoë\b`] },
    { id: "ing", patterns: [String.raw`\Bing\b`] },
    { id: "end", patterns: [String.raw`(?m)^end`] },
    { id: "kelvin", patterns: ["kelvin", "straße", "σοφία"] },
    { id: "smile", patterns: ["🙂+", "x🙂"] },
    { id: "aa", patterns: ["a[a ]*b"] },
    { id: "every-a", patterns: ["a"] },
    { id: "replacement", patterns: [String.raw`\x{FFFD}x`] },
    { id: "empty", patterns: ["q*"], priority: -1 },
    // Empty at every position that is not a word boundary, but never inside a character (as in `ß` or `🙂`).
    { id: "not-boundary", patterns: [String.raw`\B`], priority: -2 },
  ],
};

const PIECES = ["lost", "stolen", " card", "card ", "hi", " ", "  ", "£5", "€20", "café", "cafe", "Zoë", "zoe", "singing",
  "\nend", "end", "KELVIN", "\u212Aelvin", "STRASSE", "straße", "ΣΟΦΊΑ", "σοφίας", "🙂", "x🙂", "a a b", "aaaa", "é", "ß",
  "\ud800", "\udc00", "\ud83d", "\0", "-", ".", "q", "ñ", "中文", "z"];

/** Every piece alone and every two pieces, then deterministic pseudo-random texts from `PIECES`, 0 to ~300
 * characters (past the 256 stepped in JavaScript). */
function texts(count, seed) {
  const pairs = PIECES.flatMap((a) => [a, ...PIECES.map((b) => a + b)]);
  return [...pairs, ...randomTexts(count, seed)];
}

function randomTexts(count, seed) {
  let state = seed;
  const below = (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  return Array.from({ length: count }, () => {
    const parts = below(8) === 0 ? 40 + below(60) : below(12);
    let text = "";
    for (let k = 0; k < parts; k++) text += PIECES[below(PIECES.length)];
    return text;
  });
}

/** How many times a call went to wasm with a short text (`bestIndexIn` / `matchingIndexesIn`) while `f` ran. */
function wasmCalls(matcher, f) {
  let calls = 0;
  for (const name of ["bestIndexIn", "matchingIndexesIn"]) {
    const method = IntentMatcher.prototype[name];
    matcher[name] = function (n) {
      calls++;
      return method.call(this, n);
    };
  }
  try {
    f();
  } finally {
    delete matcher.bestIndexIn;
    delete matcher.matchingIndexesIn;
  }
  return calls;
}

const bytes = compileNatively(SET);


function check(matcher, oracle, list, label) {
  for (const text of list) {
    const best = oracle.bestIndex(text);
    const all = [...oracle.matchingIndexes(text)];
    assert.equal(matcher.bestIndex(text), best, `${label} bestIndex ${JSON.stringify(text)}`);
    assert.deepEqual([...matcher.matchingIndexes(text)], all, `${label} matchingIndexes ${JSON.stringify(text)}`);
    // match/matchAll always search in wasm.
    assert.equal(matcher.match(text)?.intentIndex ?? -1, best, `${label} match ${JSON.stringify(text)}`);
  }
  const batch = [...matcher.matchBatch(list)];
  assert.deepEqual(batch, list.map((t) => oracle.bestIndex(t)), `${label} matchBatch`);
  assert.deepEqual([...matcher.matchAllBatch(list)], [...oracle.matchAllBatch(list)], `${label} matchAllBatch`);
}

test("texts stepped in JavaScript answer as wasm's search does, cold and warm", () => {
  const matcher = IntentMatcher.fromBytes(bytes);
  const oracle = new IntentMatcher(SET);
  assert.equal(matcher.stats().automaton, "anchored");
  assert.equal(oracle.stats().automaton, "lazy");
  const list = texts(2000, 0x9e3779b9);
  // Cold: most texts meet steps the cache does not hold yet, and go to wasm.
  check(matcher, oracle, list, "cold");
  // Warm: the same texts are stepped in JavaScript; only those past 256 characters (or with more than 64 matches
  // passed, like a long run of "a") still go to wasm.
  let warm = 0;
  const calls = wasmCalls(matcher, () => {
    for (const text of list) warm += matcher.bestIndex(text) === oracle.bestIndex(text) ? 1 : 0;
  });
  assert.equal(warm, list.length);
  const short = list.filter((t) => t.length <= 256).length;
  assert.ok(calls < short / 10, `${calls} of ${short} short texts went to wasm when warm`);
  check(matcher, oracle, list, "warm");
  check(matcher, oracle, texts(500, 12345), "new texts");
  // Batches of texts not seen before, on caches that hold a few texts' steps: pairs stepped side by side meet
  // steps not cached yet in either text, and those texts go to wasm.
  for (const seed of [99, 100, 101, 102]) {
    const fresh = randomTexts(800, seed);
    const few = IntentMatcher.fromBytes(bytes);
    for (const text of randomTexts(3 * (seed - 98), seed + 1000)) few.bestIndex(text);
    const batches = [fresh.slice(0, 400), fresh.slice(400)];
    for (const batch of batches) {
      assert.deepEqual([...few.matchBatch(batch)], batch.map((t) => oracle.bestIndex(t)), `fresh batch ${seed}`);
    }
    const fewAll = IntentMatcher.fromBytes(bytes);
    for (const text of randomTexts(3 * (seed - 98), seed + 1000)) fewAll.matchingIndexes(text);
    for (const batch of batches) {
      assert.deepEqual([...fewAll.matchAllBatch(batch)], [...oracle.matchAllBatch(batch)], `fresh all-batch ${seed}`);
    }
  }
});

test("batches are stepped in JavaScript two texts at a time, and the texts wasm answers keep their places", () => {
  const matcher = IntentMatcher.fromBytes(bytes);
  const oracle = new IntentMatcher(SET);
  const list = texts(1500, 0x5eed);
  const long = list.filter((t) => t.length > 256).length;
  assert.ok(long > 20, `${long} texts past 256 characters`);
  for (const text of list) matcher.matchingIndexes(text);
  // Odd and even lengths (a lone last text), texts past 256 characters in the middle, and one answered by wasm
  // between two stepped ones: each answer is in its text's place.
  for (const batch of [list, list.slice(1), [list[0], "x".repeat(300), list[1]], ["x".repeat(300)], []]) {
    const wantAll = [...oracle.matchAllBatch(batch)];
    const longHere = batch.filter((t) => t.length > 256).length;
    for (const [name, want] of [["matchBatch", batch.map((t) => oracle.bestIndex(t))], ["matchAllBatch", wantAll]]) {
      const before = toWasm[name];
      assert.deepEqual([...matcher[name](batch)], want, `${name} of ${batch.length}`);
      // Warm: texts past 256 characters go to wasm, and only a few others (more than 64 matches passed).
      const sent = toWasm[name] - before;
      assert.ok(sent >= longHere && sent <= longHere + batch.length / 20, `${name}: ${sent} of ${batch.length} texts to wasm, ${longHere} long`);
    }
  }
  // More than 64 match rows passed in one text of a pair, the last of them the best match: JavaScript keeps no more
  // than 64, so wasm answers (the 65th and later are not dropped). Each text is searched in wasm 40 times first, so
  // that the cache holds every step of it in the slots (transitions first kept outside are packed in), and
  // JavaScript steps both to their ends.
  const fewMatches = { intents: [{ id: "card", patterns: [String.raw`\blost card\b`] }, { id: "a", patterns: ["a"] }, { id: "z", patterns: ["zzz"] }] };
  const sparse = IntentMatcher.fromBytes(compileNatively(fewMatches));
  const sparseOracle = new IntentMatcher(fewMatches);
  const crowded = "a".repeat(100) + " lost card";
  const plain = "b".repeat(crowded.length);
  for (let round = 0; round < 40; round++) for (const text of [crowded, plain]) sparse.matchingIndexes(text);
  for (const batch of [[crowded, plain], [plain, crowded], [crowded, crowded], [crowded + " x", crowded], [plain, "hi"]]) {
    for (let pass = 0; pass < 2; pass++) {
      assert.deepEqual([...sparse.matchBatch(batch)], batch.map((t) => sparseOracle.bestIndex(t)), `crowded pair ${pass}`);
      assert.deepEqual([...sparse.matchAllBatch(batch)], [...sparseOracle.matchAllBatch(batch)], `crowded pair ${pass}`);
    }
  }
  // A matcher's first call a batch: no search has published its start row yet. Empty texts match here ("q*").
  for (const batch of [["", ""], ["", "", ""], ["lost card", "hi"]]) {
    for (const name of ["matchBatch", "matchAllBatch"]) {
      const fresh = IntentMatcher.fromBytes(bytes);
      const want = name === "matchBatch" ? batch.map((t) => oracle.bestIndex(t)) : [...oracle.matchAllBatch(batch)];
      assert.deepEqual([...fresh[name](batch)], want, `${name} first ${JSON.stringify(batch)}`);
    }
  }
  // Not strings: the generated method throws the TypeError that names the text.
  for (const name of ["matchBatch", "matchAllBatch"]) {
    assert.throws(() => matcher[name](["a", "b", 3]), (e) => e.name === "TypeError" && /texts\[2\]/.test(e.message), name);
    assert.throws(() => matcher[name]("not an array"), (e) => e.name === "TypeError", name);
  }
});

test("IntentMatcher.batchStepping: \"wasm\" hands every batch to wasm's own, with the same answers; \"javascript\" steps them here again", () => {
  const matcher = IntentMatcher.fromBytes(bytes);
  const oracle = new IntentMatcher(SET);
  const list = texts(600, 0xba7c);
  const short = list.filter((t) => t.length <= 256).length;
  const want = { matchBatch: list.map((t) => oracle.bestIndex(t)), matchAllBatch: [...oracle.matchAllBatch(list)] };
  assert.equal(IntentMatcher.batchStepping, "javascript", "the default");
  try {
    for (const mode of ["wasm", "javascript", "wasm"]) {
      IntentMatcher.batchStepping = mode;
      assert.equal(IntentMatcher.batchStepping, mode);
      for (let pass = 0; pass < 2; pass++) {
        for (const name of ["matchBatch", "matchAllBatch"]) {
          const before = toWasm[name];
          assert.deepEqual([...matcher[name](list)], want[name], `${mode} ${name} pass ${pass}`);
          const sent = toWasm[name] - before;
          // "wasm": the whole batch in one call. "javascript", warm: only texts past 256 characters and a few others.
          if (mode === "wasm") assert.equal(sent, list.length, `${mode} ${name}: ${sent} of ${list.length} texts to wasm`);
          else if (pass === 1) assert.ok(sent <= list.length - short + list.length / 20, `${mode} ${name}: ${sent} of ${list.length} texts to wasm`);
        }
      }
      // Errors name the text by its place either way.
      assert.throws(() => matcher.matchBatch(["a", "b", 3]), (e) => e.name === "TypeError" && /texts\[2\]/.test(e.message), mode);
    }
    for (const bad of ["auto", "WASM", "", 1, null, undefined, Symbol("wasm")]) {
      assert.throws(() => (IntentMatcher.batchStepping = bad), (e) => e.name === "TypeError" && /batchStepping: .* is not "javascript" or "wasm"/.test(e.message), String(bad));
      assert.equal(IntentMatcher.batchStepping, "wasm", "a bad value changes nothing");
    }
  } finally {
    IntentMatcher.batchStepping = "javascript";
  }
});

/** How many times `matcher`'s cache moved its rows (cleared, packed or compacted): the `moves` word of what it
 * publishes (`Published` in src/intent/automaton/anchored/search.rs), read as JavaScript reads it. */
function rowMoves(matcher) {
  const [memory] = require(join(repo, "pkg", "node", "intent_edge.js")).shortTextBuffer();
  const words = new Uint32Array(memory.buffer);
  const published = words[matcher.steppingView() >>> 2] >>> 2;
  return words[published + 5];
}

test("texts stepped in JavaScript are counted by wasm's cache, which settles and compacts as for its own searches", () => {
  const matcher = IntentMatcher.fromBytes(bytes);
  const oracle = new IntentMatcher(SET);
  const noted = [];
  const note = IntentMatcher.prototype.noteSteppedTexts;
  matcher.noteSteppedTexts = function (count) {
    noted.push(count);
    return note.call(this, count);
  };
  // Cold: wasm searches most texts and places their rows one by one.
  const list = texts(1500, 31337).filter((t) => t.length <= 256);
  for (const text of list) assert.equal(matcher.bestIndex(text), oracle.bestIndex(text));
  const before = rowMoves(matcher);
  // Warm: JavaScript answers nearly every text; wasm hears of them every 256 and compacts once the cache settles
  // (told only of its own few searches, it would keep the rows where the cold pass put them).
  let stepped = 0;
  for (let pass = 0; pass < 3; pass++) {
    const calls = wasmCalls(matcher, () => {
      for (const text of list) assert.equal(matcher.bestIndex(text), oracle.bestIndex(text), `pass ${pass} ${JSON.stringify(text)}`);
    });
    stepped += list.length - calls;
    assert.deepEqual([...matcher.matchBatch(list)], list.map((t) => oracle.bestIndex(t)), `pass ${pass} matchBatch`);
    assert.deepEqual([...matcher.matchAllBatch(list)], [...oracle.matchAllBatch(list)], `pass ${pass} matchAllBatch`);
    stepped += 2 * list.length;
  }
  assert.ok(noted.length > 0 && noted.every((count) => count >= 256), `noted ${noted}`);
  const total = noted.reduce((a, b) => a + b, 0);
  // Every text JavaScript answered is told, but for those since the last report (fewer than 256, plus a batch's).
  assert.ok(total <= stepped && total >= stepped - 256 - list.length, `noted ${total} of ${stepped}`);
  assert.ok(rowMoves(matcher) > before, `rows moved ${before} -> ${rowMoves(matcher)}`);
  // After the rows moved, the best ranks JavaScript kept by row were dropped: every answer is still wasm's.
  check(matcher, oracle, list, "after compacting");
});

test("a cache that clears all the time (lazyCacheLimit of a few bytes): its arrays move between every call", () => {
  const small = compileNatively({ ...SET, options: { ...SET.options, lazyCacheLimit: 64 } });
  const matcher = IntentMatcher.fromBytes(small);
  const oracle = new IntentMatcher(SET);
  const list = texts(600, 777);
  check(matcher, oracle, list, "tiny cache");
  check(matcher, oracle, list, "tiny cache, again");
});

test("a small cache that clears now and then: texts stepped in JavaScript between clears answer as wasm does", () => {
  // Set ids are given again after a clear, to other sets, and rows move: JavaScript reads only what was published.
  const oracle = new IntentMatcher(SET);
  for (const limit of [4096, 16384, 65536]) {
    const matcher = IntentMatcher.fromBytes(compileNatively({ ...SET, options: { ...SET.options, lazyCacheLimit: limit } }));
    // Short texts (a piece or two), so that most fit the cache between clears.
    const list = texts(0, 1);
    let stepped = 0;
    for (const text of list) {
      const want = oracle.bestIndex(text);
      assert.equal(matcher.bestIndex(text), want, `${limit} ${JSON.stringify(text)}`);
      const calls = wasmCalls(matcher, () => assert.equal(matcher.bestIndex(text), want, `${limit} again ${JSON.stringify(text)}`));
      if (calls === 0 && text.length <= 256) stepped++;
      assert.deepEqual([...matcher.matchBatch([text, list[0], text])], [want, oracle.bestIndex(list[0]), want]);
      assert.deepEqual([...matcher.matchAllBatch([text, list[0], text])], [...oracle.matchAllBatch([text, list[0], text])]);
    }
    assert.ok(stepped > list.length / 4, `${stepped} texts stepped in JavaScript with a ${limit}-byte cache`);
  }
});

test("two matchers interleaved, and memory growing between calls, each reads its own cache", () => {
  const a = IntentMatcher.fromBytes(bytes);
  const b = IntentMatcher.fromBytes(compileNatively({ intents: [{ id: "x", patterns: ["card"] }, { id: "y", patterns: [String.raw`\bhi\b`] }] }));
  const oracleA = new IntentMatcher(SET);
  const oracleB = new IntentMatcher({ intents: [{ id: "x", patterns: ["card"] }, { id: "y", patterns: [String.raw`\bhi\b`] }] });
  const list = texts(400, 4242);
  for (let round = 0; round < 3; round++) {
    for (const text of list) {
      assert.equal(a.bestIndex(text), oracleA.bestIndex(text), text);
      assert.equal(b.bestIndex(text), oracleB.bestIndex(text), text);
    }
    // Grow wasm memory: the views over it are taken again.
    const before = wasmMemoryBytes();
    const big = new IntentMatcher({ intents: Array.from({ length: 200 }, (_, i) => ({ id: `i${i}`, patterns: [`word${i}\\d+ and \\w+ then ${i}`] })) });
    big.warmUp(randomTexts(50, round + 1));
    big.free();
    assert.ok(wasmMemoryBytes() >= before);
  }
});

/** Texts at and past `maxTextBytes: 20` on a matcher of SET: answered within it, a MatchError naming the length
 * past it, whatever the characters. */
function assertTextLimit(limited) {
  assert.equal(limited.bestIndex("a".repeat(20)), limited.intentIds().indexOf("every-a"));
  assert.equal(limited.bestIndex("中中" + "a".repeat(14)), limited.intentIds().indexOf("every-a"));
  // 17 characters, 21 bytes of UTF-8.
  assert.throws(() => limited.bestIndex("中中" + "a".repeat(15)), (e) => e.name === "MatchError" && /21 bytes/.test(e.message));
  assert.throws(() => limited.bestIndex("a".repeat(21)), (e) => e.name === "MatchError" && /21 bytes/.test(e.message));
  // 19 characters, 21 bytes of UTF-8.
  assert.throws(() => limited.bestIndex("é".repeat(2) + "a".repeat(17)), (e) => e.name === "MatchError" && /21 bytes/.test(e.message));
  assert.throws(() => limited.matchingIndexes("🙂".repeat(6)), (e) => e.name === "MatchError" && /24 bytes/.test(e.message));
}

test("the text limit, more matches than JavaScript keeps, and free(): wasm answers or throws as it always did", () => {
  const limited = IntentMatcher.fromBytes(compileNatively({ ...SET, options: { ...SET.options, maxTextBytes: 20 } }));
  // Texts within the limit first, so the cache holds the steps of the texts past it.
  for (const text of ["中中aaaaa", "🙂🙂🙂", "éé", "a".repeat(20), "b".repeat(20)]) limited.matchingIndexes(text);
  for (let pass = 0; pass < 2; pass++) {
    assertTextLimit(limited);
    // A batch names the text as it is in the batch, whichever texts JavaScript answered.
    assert.throws(() => limited.matchBatch(["a", "hi", "a".repeat(25), "b"]), (e) => e.name === "MatchError" && /texts\[2\]/.test(e.message));
    assert.throws(() => limited.matchAllBatch(["a", "é".repeat(11)]), (e) => e.name === "MatchError" && /texts\[1\]/.test(e.message));
    // Two ASCII texts of one length: both end inside the paired loop, which checks the limit itself.
    for (const name of ["matchBatch", "matchAllBatch"]) {
      assert.throws(() => limited[name](["a".repeat(21), "b".repeat(21)]), (e) => e.name === "MatchError" && /texts\[0\]/.test(e.message));
      assert.throws(() => limited[name](["b".repeat(20), "a".repeat(21)]), (e) => e.name === "MatchError" && /texts\[1\]/.test(e.message));
    }
  }
  // 100 match transitions in one text: more than JavaScript keeps (64), so wasm answers.
  const matcher = IntentMatcher.fromBytes(bytes);
  const oracle = new IntentMatcher(SET);
  for (const text of ["a".repeat(100), "a ".repeat(100), "🙂".repeat(100)]) {
    for (let pass = 0; pass < 2; pass++) {
      assert.equal(matcher.bestIndex(text), oracle.bestIndex(text));
      assert.deepEqual([...matcher.matchingIndexes(text)], [...oracle.matchingIndexes(text)]);
    }
  }
  // More intents than JavaScript collects for one text (64): wasm answers. (One intent that does not match, so
  // that wasm's search does not stop early with every pattern found, and caches every step of the text.)
  const crowd = { intents: [...Array.from({ length: 100 }, (_, i) => ({ id: `i${i}`, patterns: [i % 2 ? "hey" : String.raw`\bhey\b`] })), { id: "other", patterns: ["zzz"] }] };
  const crowded = IntentMatcher.fromBytes(compileNatively(crowd));
  const crowdOracle = new IntentMatcher(crowd);
  // Repeated, so that transitions first kept outside the slots are packed into them and JavaScript reads them.
  for (let round = 0; round < 40; round++) {
    for (const text of ["hey", "they", "hey hey", "nothing"]) {
      assert.deepEqual([...crowded.matchingIndexes(text)], [...crowdOracle.matchingIndexes(text)], text);
    }
  }
  assert.equal(crowded.matchingIndexes("hey").length, 100);
  // A freed matcher reads nothing: each call throws as the generated method does.
  for (const release of [(m) => m.free(), (m) => m[Symbol.dispose]()]) {
    const gone = IntentMatcher.fromBytes(bytes);
    gone.bestIndex("lost card");
    gone.bestIndex("lost card");
    release(gone);
    assert.throws(() => gone.bestIndex("lost card"));
    assert.throws(() => gone.matchingIndexes("lost card"));
    assert.throws(() => gone.matchBatch(["lost card"]));
  }
});

test("the dense form's table is stepped in JavaScript too, one call per text: answers as wasm's search, across memory growth, the dead state and the text limit", () => {
  const dense = IntentMatcher.fromBytes(compileNatively(SET, ["--dense"]));
  const oracle = new IntentMatcher(SET);
  assert.equal(dense.stats().automaton, "dense");
  const list = texts(2000, 0x51ed);
  // Nothing to warm: from the first call, every short text is stepped here, but those passing more than 64
  // matches (a long run of "a").
  const short = list.filter((t) => t.length <= 256);
  let calls = wasmCalls(dense, () => {
    for (const text of short) assert.equal(dense.bestIndex(text), oracle.bestIndex(text), JSON.stringify(text));
  });
  assert.ok(calls < short.length / 10, `${calls} of ${short.length} short texts went to wasm`);
  calls = wasmCalls(dense, () => {
    for (const text of short) {
      assert.deepEqual([...dense.matchingIndexes(text)], [...oracle.matchingIndexes(text)], JSON.stringify(text));
    }
  });
  assert.ok(calls < short.length / 10, `${calls} of ${short.length} short texts went to wasm for all matches`);
  // Batches are wasm's for this form, and long texts too.
  check(dense, oracle, list, "dense");
  for (let round = 0; round < 2; round++) {
    // Grow wasm memory: the views of the table and of the match lists are taken again.
    const before = wasmMemoryBytes();
    const big = new IntentMatcher({ intents: Array.from({ length: 200 }, (_, i) => ({ id: `i${i}`, patterns: [`word${i}\\d+ and \\w+ then ${i}`] })) });
    big.warmUp(randomTexts(50, round + 7));
    big.free();
    assert.ok(wasmMemoryBytes() >= before);
    check(dense, oracle, texts(300, round + 99), `dense after growth ${round}`);
  }

  // Patterns anchored at the start: the DFA reaches its dead state, where the search stops, whatever follows.
  const anchored = { intents: [{ id: "hi", patterns: [String.raw`^hi\b`] }, { id: "card", patterns: ["^(?:lost|stolen) card"] }] };
  const early = IntentMatcher.fromBytes(compileNatively(anchored, ["--dense"]));
  const earlyOracle = new IntentMatcher(anchored);
  const earlyTexts = ["hi there", "hi", "xhi", "lost card", "stolen card now", " lost card", "hi🙂", "🙂hi", "é lost card",
    "stolen carpet", "\ud800hi", "hi\ud800", ...randomTexts(300, 5)];
  calls = wasmCalls(early, () => check(early, earlyOracle, earlyTexts, "dead state"));
  assert.ok(calls < earlyTexts.length / 10, `${calls} texts went to wasm`);
  // Stopped in the dead state before its end, a text past the limit still throws (wasm answers it).
  const limitedEarly = IntentMatcher.fromBytes(compileNatively({ ...anchored, options: { maxTextBytes: 10 } }, ["--dense"]));
  assert.equal(limitedEarly.bestIndex("x".repeat(3)), -1);
  assert.equal(limitedEarly.bestIndex("hi " + "é".repeat(3)), 0);
  assert.throws(() => limitedEarly.bestIndex("x" + "a".repeat(10)), (e) => e.name === "MatchError" && /11 bytes/.test(e.message));
  assert.throws(() => limitedEarly.bestIndex("x" + "é".repeat(5)), (e) => e.name === "MatchError" && /11 bytes/.test(e.message));

  // Every limit check of the anchored form's test, on the dense form.
  const limited = IntentMatcher.fromBytes(compileNatively({ ...SET, options: { ...SET.options, maxTextBytes: 20 } }, ["--dense"]));
  assert.equal(limited.stats().automaton, "dense");
  for (let pass = 0; pass < 2; pass++) assertTextLimit(limited);
  // 100 match states passed in one text: more than JavaScript keeps (64), so wasm answers.
  for (const text of ["a".repeat(100), "a ".repeat(100), "🙂".repeat(100)]) {
    assert.equal(dense.bestIndex(text), oracle.bestIndex(text));
    assert.deepEqual([...dense.matchingIndexes(text)], [...oracle.matchingIndexes(text)]);
  }
  dense.free();
  assert.throws(() => dense.bestIndex("lost card"));
  assert.throws(() => dense.matchingIndexes("lost card"));
});
