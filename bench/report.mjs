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
const us = (v) => (v === undefined ? "-" : v < 10 ? v.toFixed(2) : v.toFixed(1));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const sets = (node ?? chromium ?? native).results.map((r) => r.set);
const find = (run, set) => run?.results.find((r) => r.set === set);

console.log("\nSpeed-up over the JavaScript RegExp loop (Node, Chromium) / a loop of Rust regexes (native); same process, median of 9 runs");
console.log([pad("set", 12), lpad("patterns", 8), pad("  variant", 24), lpad("native", 8), lpad("Node", 8), lpad("Chromium", 9)].join(""));
for (const set of sets) {
  const [n, j, c] = [find(native, set), find(node, set), find(chromium, set)];
  const rows = [
    ["first match, 1 call/text", n?.speedup.first, j?.speedup.first, c?.speedup.first],
    ["all matches, 1 call/text", n?.speedup.all, j?.speedup.all, c?.speedup.all],
    ["first match, batch", undefined, j?.speedup.batchFirst, c?.speedup.batchFirst],
    ["all matches, batch", undefined, j?.speedup.batchAll, c?.speedup.batchAll],
    ["vs default RegexSet (all)", n?.speedup.regexSetDefault, undefined, undefined],
  ];
  rows.forEach(([label, a, b, d], i) =>
    console.log([pad(i ? "" : set, 12), lpad(i ? "" : (j ?? n).patterns, 8), pad("  " + label, 24), lpad(x(a), 8), lpad(x(b), 8), lpad(x(d), 9)].join("")));
}

console.log("\nMicroseconds per text (JS loop first/all -> ours first/all/batch first/batch all); mismatches must be 0");
for (const [label, run] of [["Node", node], ["Chromium", chromium]]) {
  if (!run) continue;
  for (const r of run.results) {
    const u = r.us;
    console.log(`${pad(label, 9)} ${pad(r.set, 12)} JS ${us(u.jsFirst)}/${us(u.jsAll)} -> ${us(u.first)}/${us(u.all)}/${us(u.batchFirst)}/${us(u.batchAll)}  texts ${r.texts}  mismatches ${r.mismatches}`);
  }
}
if (native) for (const r of native.results) {
  const u = r.us;
  console.log(`${pad("native", 9)} ${pad(r.set, 12)} loop ${us(u.loopFirst)}/${us(u.loopAll)}, RegexSet ${us(u.regexSetDefault)} -> ${us(u.first)}/${us(u.all)}  mismatches ${r.mismatches}`);
}

console.log("\nLoading the precompiled set (fromBytes: a dense set copies its DFA table, a lazy one decodes its NFA) and its first match, median of 5");
for (const [label, run] of [["Node", node], ["Chromium", chromium]]) {
  if (!run) continue;
  for (const r of run.results) {
    console.log(`${pad(label, 9)} ${pad(r.set, 12)} .iedge ${lpad((r.iedgeBytes / 1024).toFixed(0), 6)} KiB (${r.automaton})  load ${r.loadMs.toFixed(2)} ms  first match ${r.firstMatchMs.toFixed(3)} ms  ${r.compileFromJsonMs == null ? "(no compiler in this package)" : `(compiling the JSON instead: ${r.compileFromJsonMs.toFixed(1)} ms)`}`);
  }
}
if (native) for (const r of native.results) console.log(`${pad("native", 9)} ${pad(r.set, 12)} load ${r.loadMs.toFixed(2)} ms`);
console.log(`\nRuntimes: ${[native?.runtime, node?.runtime, chromium?.runtime].filter(Boolean).join("; ")}`);
