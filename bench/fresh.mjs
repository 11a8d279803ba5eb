// A fresh Node process: what the first batches cost before V8 has optimized anything. Each run is a new process that
// loads the package and one set (`fromBytes`), then sends the set's texts to `matchBatch` BATCHES times, timing each
// batch: with `IntentMatcher.batchStepping` "javascript" (the default: short texts stepped in the package's
// JavaScript) and "wasm" (every batch to wasm's own), and the same texts through the JS RegExp loop
// (bench/suite.mjs's baseline), each in new processes. Reports, per set and side, the median over PROCESSES runs of
// the first batch and of the mean over the batches after it (ns per byte of text), and the batch at which three in a
// row are within 1.5x of the run's last five. The benchmark's other figures are for a process that has run long
// enough; this is what a short-lived one (a CLI, a job over a few thousand texts) gets.
//   node bench/fresh.mjs [--sets a,b] [--processes 9] [--batches 30]     (after bench/prepare.mjs: bash bench/run.sh)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { jsBaseline } from "./suite.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const SIDES = ["javascript", "wasm", "RegExp loop"];

/** The benchmark's sets, as bench/prepare.mjs listed them. */
const readManifest = () => JSON.parse(readFileSync(join(root, "target/bench/sets.json"), "utf8"));

/** One set's entry in target/bench/sets.json. */
function setEntry(name) {
  const entry = readManifest().find((s) => s.name === name);
  if (!entry) throw new Error(`no set ${name} in target/bench/sets.json (bash bench/run.sh prepares them)`);
  return entry;
}

/** In a child process: times `batches` batches of one side on one set, printing ns per byte for each. */
function child(side, name, batches) {
  const entry = setEntry(name);
  const texts = readFileSync(join(root, entry.queries), "utf8").trim().split("\n").map((l) => JSON.parse(l).text);
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  const require = createRequire(import.meta.url);
  let run;
  if (side === "RegExp loop") {
    const js = jsBaseline(JSON.parse(readFileSync(join(root, entry.json), "utf8")));
    run = () => texts.map(js.first);
  } else {
    const { IntentMatcher } = require(join(root, "pkg/node/index.cjs"));
    IntentMatcher.batchStepping = side;
    const matcher = IntentMatcher.fromBytes(readFileSync(join(root, entry.iedge)));
    run = () => matcher.matchBatch(texts);
  }
  const times = [];
  for (let k = 0; k < batches; k++) {
    const t0 = performance.now();
    run();
    times.push(((performance.now() - t0) * 1e6) / bytes);
  }
  console.log(JSON.stringify(times));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The first batch (1-based) at which the median of it and the next two is within 1.5x of the median of the run's
 * last five: when it got there (a later collection pause does not move it). */
function settledAt(times) {
  const settled = median(times.slice(-5));
  for (let k = 0; k + 3 <= times.length; k++) if (median(times.slice(k, k + 3)) <= 1.5 * settled) return k + 1;
  return times.length;
}

if (args[0] === "--child") {
  child(args[1], args[2], Number(args[3]));
} else {
  const processes = Number(option("--processes", "9"));
  const batches = Number(option("--batches", "30"));
  const only = option("--sets", null)?.split(",");
  const names = readManifest().map((s) => s.name).filter((n) => !only || only.includes(n));
  if (only) for (const n of only) if (!names.includes(n)) throw new Error(`--sets: no set ${n} in target/bench/sets.json`);
  console.log(`Fresh Node processes (${process.version}): ${processes} per side and set, ${batches} batches of the set's texts each; ns per byte, medians over the processes`);
  for (const name of names) {
    const summary = {};
    for (const side of SIDES) {
      const runs = [];
      // Sides interleaved by process would be fairer still; one side's processes back to back keep this simple.
      for (let p = 0; p < processes; p++) {
        const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child", side, name, String(batches)], { encoding: "utf8" });
        runs.push(JSON.parse(out.trim().split("\n").at(-1)));
      }
      const rest = runs.map((t) => t.slice(1).reduce((a, b) => a + b, 0) / (t.length - 1));
      summary[side] = {
        first: median(runs.map((t) => t[0])),
        rest: median(rest),
        restMin: Math.min(...rest),
        restMax: Math.max(...rest),
        settled: median(runs.map((t) => median(t.slice(-5)))),
        settledAt: median(runs.map(settledAt)),
      };
    }
    const loop = summary["RegExp loop"].rest;
    for (const side of SIDES) {
      const s = summary[side];
      const ratio = side === "RegExp loop" ? "" : `  ${(loop / s.rest).toFixed(1)}x the RegExp loop over batches 2-${batches}`;
      console.log(
        `${name.padEnd(16)} ${side.padEnd(12)} first batch ${s.first.toFixed(1).padStart(6)}  batches 2-${batches} ${s.rest.toFixed(1).padStart(6)} [${s.restMin.toFixed(1)}-${s.restMax.toFixed(1)}]` +
          `  last five ${s.settled.toFixed(2).padStart(6)}, within 1.5x of it at batch ${s.settledAt}${ratio}`,
      );
    }
  }
}
