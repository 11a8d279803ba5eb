// The JavaScript side of the benchmark, shared by Node (bench/node.mjs) and headless Chromium (bench/browser.mjs):
// the same code times the JS baseline and the wasm package in one process, on the same texts.
//
// Baseline = what a user writes today: one `new RegExp(p, "i")` per pattern (no "i" for case-sensitive sets),
// intents sorted by priority, and a loop that returns the first hit ("first") or every intent with a hit ("all").

const ROUNDS = 9; // timed rounds per comparison; medians are reported, with the spread of the per-round ratios

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Touches `buffer` (64 MiB: twice the L3 of the machines measured here), so what a pass reads next comes from
 * memory. The buffer is made for these rounds only: held through the timed rounds above, 64 MiB of external memory
 * made V8 collect more often and slowed them. */
let evictionSum = 0;
function evictCaches(buffer) {
  for (let i = 0; i < buffer.length; i += 16) evictionSum += buffer[i]++;
  return evictionSum;
}

function once(f) {
  const start = performance.now();
  f();
  return performance.now() - start;
}

/**
 * Times the baseline and ours back to back, ROUNDS times, alternating which goes first, after two warm-up calls
 * of each: whatever slows a busy machine down for a while slows both sides of a round, so the per-round ratio
 * stays meaningful. Returns milliseconds per call (medians) and the ratio's median, minimum and maximum.
 */
function paired(baseline, ours) {
  for (let i = 0; i < 2; i++) {
    baseline();
    ours();
  }
  const baselineMs = [];
  const oursMs = [];
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    let b, o;
    if (round % 2 === 0) {
      b = once(baseline);
      o = once(ours);
    } else {
      o = once(ours);
      b = once(baseline);
    }
    baselineMs.push(b);
    oursMs.push(o);
    ratios.push(b / o);
  }
  return { baselineMs: median(baselineMs), oursMs: median(oursMs), ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** The JS loop a user would write for this set. Returns {first(text), all(text)} giving intent indexes. */
export function jsBaseline(config) {
  const flags = config.options?.caseInsensitive === false ? "" : "i";
  const intents = config.intents.map((intent, index) => ({
    index,
    priority: intent.priority ?? 0,
    regexes: intent.patterns.map((p) => new RegExp(p, flags)),
  }));
  const byPriority = [...intents].sort((a, b) => b.priority - a.priority); // stable: ties keep file order
  return {
    first(text) {
      for (const intent of byPriority) for (const re of intent.regexes) if (re.test(text)) return intent.index;
      return -1;
    },
    all(text) {
      const hits = [];
      for (const intent of intents) for (const re of intent.regexes) if (re.test(text)) { hits.push(intent.index); break; }
      return hits;
    },
  };
}

/**
 * Times one set. `set` = {name, config (intent-set JSON object), bytes (precompiled .iedge), texts}.
 * Returns per-text microseconds for each variant, speed-ups over the JS loop, load figures, and mismatches
 * between the two (which must be 0: same answers, or the speed means nothing).
 */
export function benchSet(IntentMatcher, set) {
  const { config, bytes, texts } = set;
  const js = jsBaseline(config);
  const textBytes = texts.reduce((sum, t) => sum + new TextEncoder().encode(t).length, 0);

  // Load: a fresh matcher from the precompiled bytes, and its first answer: the very first in this process (the
  // wasm code it runs not yet compiled by the engine, for the first set measured) and the median of 5 fresh loads.
  const loads = [];
  const firsts = [];
  let matcher;
  for (let i = 0; i < 6; i++) {
    matcher?.free();
    const t0 = performance.now();
    matcher = IntentMatcher.fromBytes(bytes);
    const t1 = performance.now();
    matcher.bestIndex(texts[i % texts.length]);
    firsts.push(performance.now() - t1);
    loads.push(t1 - t0);
  }
  const veryFirst = { loadMs: loads.shift(), firstMatchMs: firsts.shift() };
  // Compiling the JSON at run time instead (the Node package only: the browser package has no regex compiler).
  let compileMs = null;
  try {
    const t0 = performance.now();
    const fromJson = new IntentMatcher(config);
    compileMs = performance.now() - t0;
    fromJson.free();
  } catch {}

  let mismatches = 0;
  const batchFirst = matcher.matchBatch(texts);
  const batchAll = matcher.matchAllBatch(texts);
  let at = 0;
  texts.forEach((text, i) => {
    const first = js.first(text);
    const all = js.all(text);
    const count = batchAll[at];
    const ours = Array.from(batchAll.subarray(at + 1, at + 1 + count));
    at += 1 + count;
    if (matcher.bestIndex(text) !== first || batchFirst[i] !== first) mismatches++;
    else if (ours.join() !== all.join() || Array.from(matcher.matchingIndexes(text)).join() !== all.join()) mismatches++;
  });

  const perText = (ms) => (ms * 1000) / texts.length;
  const jsFirst = () => { for (const t of texts) js.first(t); };
  const jsAll = () => { for (const t of texts) js.all(t); };
  const runs = {
    first: paired(jsFirst, () => { for (const t of texts) matcher.bestIndex(t); }),
    all: paired(jsAll, () => { for (const t of texts) matcher.matchingIndexes(t); }),
    batchFirst: paired(jsFirst, () => matcher.matchBatch(texts)),
    batchAll: paired(jsAll, () => matcher.matchAllBatch(texts)),
  };
  const us = {
    jsFirst: perText((runs.first.baselineMs + runs.batchFirst.baselineMs) / 2),
    jsAll: perText((runs.all.baselineMs + runs.batchAll.baselineMs) / 2),
    first: perText(runs.first.oursMs),
    all: perText(runs.all.oursMs),
    batchFirst: perText(runs.batchFirst.oursMs),
    batchAll: perText(runs.batchAll.oursMs),
  };
  // Where the paired figures' time per byte goes: the same batches back to back (each pass starts with the caches
  // the one before left), and each after touching 64 MiB, twice the L3 of the machines measured here (so the
  // cache's rows and the texts come from memory, as they do after the JS loop's pass).
  const backToBack = (f) => { f(); f(); return median(Array.from({ length: ROUNDS }, () => once(f))); };
  const evicted = (f) => {
    const buffer = new Int32Array(16 << 20);
    return median(Array.from({ length: ROUNDS }, () => { evictCaches(buffer); return once(f); }));
  };
  const batches = { batchFirst: () => matcher.matchBatch(texts), batchAll: () => matcher.matchAllBatch(texts) };
  const stats = matcher.stats();
  const nsPerByte = (ms) => (ms * 1e6) / textBytes;
  const batchNsPerByte = Object.fromEntries(Object.entries(batches).map(([k, f]) =>
    [k, { backToBack: nsPerByte(backToBack(f)), evicted: nsPerByte(evicted(f)) }]));
  // A fresh matcher's first texts, its load included (median of 5), once the engine has compiled the code they run:
  // an anchored set builds the states they need as it goes, a dense one has them all from the start.
  const fresh = (count) => median(Array.from({ length: 5 }, () => {
    const t0 = performance.now();
    const cold = IntentMatcher.fromBytes(bytes);
    for (let i = 0; i < count; i++) cold.bestIndex(texts[i]);
    const ms = performance.now() - t0;
    cold.free();
    return ms;
  }));
  const freshMs = { 10: fresh(Math.min(10, texts.length)), 100: fresh(Math.min(100, texts.length)), all: fresh(texts.length) };
  matcher.free();
  return {
    set: set.name,
    patterns: stats.patterns,
    intents: stats.intents,
    texts: texts.length,
    bytesPerText: textBytes / texts.length,
    nsPerByte: { first: nsPerByte(runs.first.oursMs), all: nsPerByte(runs.all.oursMs), batchFirst: nsPerByte(runs.batchFirst.oursMs), batchAll: nsPerByte(runs.batchAll.oursMs) },
    batchNsPerByte,
    automaton: stats.automaton,
    automatonBytes: stats.automatonBytes,
    iedgeBytes: bytes.length,
    mismatches,
    us,
    // Median of the per-round ratios, and their range over the ROUNDS rounds.
    speedup: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, r.ratio])),
    spread: Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, [r.min, r.max]])),
    loadMs: median(loads),
    firstMatchMs: median(firsts),
    veryFirst,
    freshMs,
    compileFromJsonMs: compileMs,
  };
}
