// Prints the benchmark's results (target/bench/{native,node,chromium}.json) as one table of speed-ups over the
// baseline each runtime's user would write, plus per-text times, load figures and sizes.
import { readFileSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../target/bench");
const load = (name) => (existsSync(join(dir, `${name}.json`)) ? JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) : null);
const native = load("native");
const node = load("node");
const chromium = load("chromium");
const x = (v) => (v === undefined ? "-" : `${v.toFixed(1)}x`);
// A JS runtime's ratio with the range of its per-round ratios (bench/suite.mjs times both sides back to back).
const xr = (run, key) => {
  const v = run?.speedup[key];
  if (v === undefined) return "-";
  const range = run.spread?.[key];
  return range ? `${v.toFixed(1)}x [${range[0].toFixed(0)}-${range[1].toFixed(0)}]` : `${v.toFixed(1)}x`;
};
const us = (v) => (v === undefined ? "-" : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const sets = (node ?? chromium ?? native).results.map((r) => r.set);
const find = (run, set) => run?.results.find((r) => r.set === set);

console.log("\nSpeed-up over the JavaScript RegExp loop (Node, Chromium: median of 9 back-to-back rounds [lowest-highest round]) / a loop of Rust regexes (native: median of 9 runs)");
console.log([pad("set", 16), lpad("patterns", 8), pad("  variant", 28), lpad("native", 8), lpad("Node", 19), lpad("Chromium", 19)].join(""));
for (const set of sets) {
  const [n, j, c] = [find(native, set), find(node, set), find(chromium, set)];
  const rows = [
    ["first match, 1 call/text", x(n?.speedup.first), xr(j, "first"), xr(c, "first")],
    ["all matches, 1 call/text", x(n?.speedup.all), xr(j, "all"), xr(c, "all")],
    ["first match, batch", "-", xr(j, "batchFirst"), xr(c, "batchFirst")],
    ["all matches, batch", "-", xr(j, "batchAll"), xr(c, "batchAll")],
    ["vs default RegexSet (all)", x(n?.speedup.regexSetDefault), "-", "-"],
  ];
  rows.forEach(([label, a, b, d], i) =>
    console.log([pad(i ? "" : set, 16), lpad(i ? "" : (j ?? n).patterns, 8), pad("  " + label, 28), lpad(a, 8), lpad(b, 19), lpad(d, 19)].join("")));
}

console.log("\nMicroseconds per text (JS loop first/all -> ours first/all/batch first/batch all); mismatches must be 0");
for (const [label, run] of [["Node", node], ["Chromium", chromium]]) {
  if (!run) continue;
  for (const r of run.results) {
    const u = r.us;
    console.log(`${pad(label, 9)} ${pad(r.set, 16)} JS ${us(u.jsFirst)}/${us(u.jsAll)} -> ${us(u.first)}/${us(u.all)}/${us(u.batchFirst)}/${us(u.batchAll)}  texts ${r.texts}  mismatches ${r.mismatches}`);
  }
}
if (native) for (const r of native.results) {
  const u = r.us;
  console.log(`${pad("native", 9)} ${pad(r.set, 16)} loop ${us(u.loopFirst)}/${us(u.loopAll)}, RegexSet ${us(u.regexSetDefault)} -> ${us(u.first)}/${us(u.all)}  mismatches ${r.mismatches}`);
}

console.log("\nLoading the precompiled set (fromBytes: an anchored or dense set copies its table, a lazy one decodes its NFA) and its first match, median of 5");
for (const [label, run] of [["Node", node], ["Chromium", chromium]]) {
  if (!run) continue;
  for (const r of run.results) {
    console.log(`${pad(label, 9)} ${pad(r.set, 16)} .iedge ${lpad((r.iedgeBytes / 1024).toFixed(0), 6)} KiB (${r.automaton})  load ${r.loadMs.toFixed(2)} ms  first match ${r.firstMatchMs.toFixed(3)} ms  ${r.compileFromJsonMs == null ? "(no compiler in this package)" : `(compiling the JSON instead: ${r.compileFromJsonMs.toFixed(1)} ms)`}`);
  }
}
if (native) for (const r of native.results) console.log(`${pad("native", 9)} ${pad(r.set, 16)} load ${r.loadMs.toFixed(2)} ms`);
console.log(`\nRuntimes: ${[native?.runtime, node?.runtime, chromium?.runtime].filter(Boolean).join("; ")}`);

const edge = process.argv.includes("--edge") ? load("edge") : null;
if (edge) {
  console.log(`\nEdge component, first /api/intent answer of a fresh instance (load + match with spans/slots, Server-Timing), ${edge.results[0]?.requests} held-out texts; ${edge.runtime}`);
  for (const r of edge.results) {
    const ms = (v) => v.toFixed(3);
    console.log(`${pad(r.set, 16)} ${pad(r.variant, 40)} ${lpad((r.componentBytes / 1e6).toFixed(1), 5)} MB  p50 ${lpad(ms(r.firstAnswerMs.p50), 7)} ms  p90 ${lpad(ms(r.firstAnswerMs.p90), 7)} ms  (load ${ms(r.loadMs)} + match p50 ${ms(r.matchMs.p50)} / p90 ${ms(r.matchMs.p90)})`);
  }
}
