// Two builds of the Node package side by side in one process, against the JS RegExp loop, per set (one call per
// text, the first-match batch and the all-matches batch): what a change to the matcher is worth, measured the way bench/node.mjs measures one build (the JS loop runs before each timed
// pass, so each build starts with the caches the loop left, as in bench/run.sh). Rounds alternate which build goes
// first; figures are medians of 9 rounds (ns per text), ratios over the JS loop.
//   node bench/compare.mjs BEFORE_PKG_DIR [AFTER_PKG_DIR (default pkg/node)] [--sets a,b] [--warm]
// --warm leaves the JS loop out: each build's pass runs right after the other's, 41 rounds (a change's effect on the
// matcher alone, without the caches the JS loop leaves; the JS loop is timed once for the ratios).
// e.g. to measure a commit against its parent:
//   git stash; git checkout HEAD~1 -- src; bash scripts/build-package.sh; cp -r pkg/node /tmp/before
//   git checkout HEAD -- src; git stash pop; bash scripts/build-package.sh; node bench/compare.mjs /tmp/before
import { createRequire } from "node:module";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSets } from "./sets.mjs";
import { jsBaseline } from "./suite.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const setsAt = args.indexOf("--sets");
const only = setsAt >= 0 ? args[setsAt + 1].split(",") : [];
const dirs = args.filter((a, i) => !a.startsWith("--") && (setsAt < 0 || i !== setsAt + 1));
const warm = args.includes("--warm");
if (dirs.length < 1) {
  console.error("usage: node bench/compare.mjs BEFORE_PKG_DIR [AFTER_PKG_DIR] [--sets a,b] [--warm]");
  process.exit(2);
}
const load = (dir) => createRequire(import.meta.url)(join(resolve(dir), "index.cjs")).IntentMatcher;
const builds = { before: load(dirs[0]), after: load(dirs[1] ?? join(root, "pkg/node")) };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const set of loadSets(root)) {
  if (only.length && !only.includes(set.name)) continue;
  const texts = set.texts;
  const js = jsBaseline(set.config);
  const matchers = { before: builds.before.fromBytes(set.bytes), after: builds.after.fromBytes(set.bytes) };
  const time = (f) => {
    const t0 = performance.now();
    f();
    return ((performance.now() - t0) * 1e6) / texts.length;
  };
  const jsLoop = () => { for (const t of texts) js.first(t); };
  const perCall = (m) => () => { for (const t of texts) m.bestIndex(t); };
  const batch = (m) => () => m.matchBatch(texts);
  const allBatch = (m) => () => m.matchAllBatch(texts);
  const mismatches = texts.filter((t) => matchers.before.bestIndex(t) !== matchers.after.bestIndex(t)).length +
    (matchers.before.matchAllBatch(texts).join() === matchers.after.matchAllBatch(texts).join() ? 0 : 1);
  for (let i = 0; i < 2; i++) for (const m of Object.values(matchers)) { jsLoop(); perCall(m)(); batch(m)(); allBatch(m)(); }
  const runs = { js: [], beforeCall: [], afterCall: [], beforeBatch: [], afterBatch: [], beforeAll: [], afterAll: [] };
  const between = warm ? () => {} : () => runs.js.push(time(jsLoop));
  if (warm) runs.js.push(time(jsLoop));
  for (let round = 0; round < (warm ? 41 : 9); round++) {
    const order = round % 2 ? ["before", "after"] : ["after", "before"];
    for (const which of order) { between(); runs[`${which}Call`].push(time(perCall(matchers[which]))); }
    for (const which of order) { between(); runs[`${which}Batch`].push(time(batch(matchers[which]))); }
    for (const which of order) { between(); runs[`${which}All`].push(time(allBatch(matchers[which]))); }
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const x = (ns) => `${ns.toFixed(0)} ns (${(m.js / ns).toFixed(1)}x)`;
  // The all-matches batch: ns a text only (the JS loop between passes is the first-match one).
  const ns = (value) => `${value.toFixed(0)} ns`;
  console.log(`${set.name.padEnd(16)} JS loop ${m.js.toFixed(0)} ns | one call: before ${x(m.beforeCall)}, after ` +
    `${x(m.afterCall)} | batch: before ${x(m.beforeBatch)}, after ${x(m.afterBatch)} | all-matches batch: before ` +
    `${ns(m.beforeAll)}, after ${ns(m.afterAll)} | answers differ on ${mismatches}`);
}
