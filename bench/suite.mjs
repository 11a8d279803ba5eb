// The JavaScript side of the benchmark, shared by Node (bench/node.mjs) and headless Chromium (bench/browser.mjs):
// the same code times the JS baseline and the wasm package in one process, on the same texts.
//
// Baseline = what a user writes today: one `new RegExp(p, "i")` per pattern (no "i" for case-sensitive sets),
// intents sorted by priority, and a loop that returns the first hit ("first") or every intent with a hit ("all").

const RUNS = 9; // timed runs per measurement; the median is reported

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Milliseconds for one call of `f`, median of RUNS after two warm-up calls. */
function time(f) {
  f();
  f();
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    f();
    runs.push(performance.now() - start);
  }
  return median(runs);
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

  // Load: a fresh matcher from the precompiled bytes, and its first answer (median of 5 fresh loads).
  const loads = [];
  const firsts = [];
  let matcher;
  for (let i = 0; i < 5; i++) {
    matcher?.free();
    const t0 = performance.now();
    matcher = IntentMatcher.fromBytes(bytes);
    const t1 = performance.now();
    matcher.bestIndex(texts[i % texts.length]);
    firsts.push(performance.now() - t1);
    loads.push(t1 - t0);
  }
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
  const us = {
    jsFirst: perText(time(() => { for (const t of texts) js.first(t); })),
    jsAll: perText(time(() => { for (const t of texts) js.all(t); })),
    first: perText(time(() => { for (const t of texts) matcher.bestIndex(t); })),
    all: perText(time(() => { for (const t of texts) matcher.matchingIndexes(t); })),
    batchFirst: perText(time(() => matcher.matchBatch(texts))),
    batchAll: perText(time(() => matcher.matchAllBatch(texts))),
  };
  const stats = matcher.stats();
  matcher.free();
  return {
    set: set.name,
    patterns: stats.patterns,
    intents: stats.intents,
    texts: texts.length,
    automaton: stats.automaton,
    automatonBytes: stats.automatonBytes,
    iedgeBytes: bytes.length,
    mismatches,
    us,
    speedup: {
      first: us.jsFirst / us.first,
      all: us.jsAll / us.all,
      batchFirst: us.jsFirst / us.batchFirst,
      batchAll: us.jsAll / us.batchAll,
    },
    loadMs: median(loads),
    firstMatchMs: median(firsts),
    compileFromJsonMs: compileMs,
  };
}
