// Load curve: how long a fresh matcher takes to answer its first match, as the set grows to 2,000 patterns.
// Sets are the first N patterns of bench/sets/bots-1500.json (N > 1,500: plus renamed copies), compiled with
// `intent-edge compile` (timed: the build-time cost), then loaded in Node with fromBytes (median of 5 fresh loads)
// and matched once. Also how the same set compiled from JSON at run time fares. Run via `bash bench/run.sh --curve`.
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { IntentMatcher } = createRequire(import.meta.url)(join(root, "pkg/node/intent_edge.js"));
const out = join(root, "target/bench/curve");
mkdirSync(out, { recursive: true });

const bots = JSON.parse(readFileSync(join(root, "bench/sets/bots-1500.json"), "utf8"));
const flat = bots.intents.flatMap((intent) => intent.patterns);
const texts = readFileSync(join(root, "bench/sets/bots-1500.queries.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).text);
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

console.log("\nLoad curve (Node, fromBytes on a fresh matcher; compile = intent-edge compile, once, before traffic)");
console.log("patterns  automaton    .iedge KiB  compile s  load ms  first match ms  (JSON at run time: compile ms)");
const rows = [];
for (const n of [50, 100, 200, 500, 1000, 1500, 2000]) {
  const patterns = Array.from({ length: n }, (_, i) => (i < flat.length ? flat[i] : `Variant${i}-${flat[i % flat.length]}`));
  const set = { options: bots.options, intents: patterns.map((p, i) => ({ id: `p${i}`, patterns: [p] })) };
  const json = join(out, `bots-${n}.json`);
  const iedge = join(out, `bots-${n}.iedge`);
  writeFileSync(json, JSON.stringify(set));
  const c0 = performance.now();
  execFileSync(join(root, "target/release/intent-edge"), ["compile", json, iedge], { stdio: "ignore" });
  const compileS = (performance.now() - c0) / 1000;
  const bytes = new Uint8Array(readFileSync(iedge));
  const loads = [];
  const firsts = [];
  let automaton = "";
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const m = IntentMatcher.fromBytes(bytes);
    const t1 = performance.now();
    m.bestIndex(texts[i]);
    firsts.push(performance.now() - t1);
    loads.push(t1 - t0);
    automaton = m.stats().automaton;
    m.free();
  }
  const j0 = performance.now();
  new IntentMatcher(set).free();
  const jsonMs = performance.now() - j0;
  const row = { patterns: n, automaton, iedgeKiB: statSync(iedge).size / 1024, compileS, loadMs: median(loads), firstMatchMs: median(firsts), jsonCompileMs: jsonMs };
  rows.push(row);
  console.log(`${String(n).padStart(8)}  ${automaton.padEnd(10)} ${row.iedgeKiB.toFixed(0).padStart(11)} ${compileS.toFixed(1).padStart(10)} ${row.loadMs.toFixed(2).padStart(8)} ${row.firstMatchMs.toFixed(3).padStart(15)}  (${jsonMs.toFixed(1)})`);
}
writeFileSync(join(root, "target/bench/curve.json"), JSON.stringify(rows, null, 2));
