// ReDoS side by side: patterns with nested quantifiers on inputs that make a backtracking engine explode, matched
// by JavaScript RegExp (in a worker, killed after a time cap) and by the intent matcher (linear: no backtracking).
//   node bench/redos.mjs [capSeconds]
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { IntentMatcher } = createRequire(import.meta.url)(join(root, "pkg/node/intent_edge.js"));
const capMs = Number(process.argv[2] ?? 2) * 1000;

const cases = [
  { pattern: "(a+)+$", input: (n) => "a".repeat(n - 1) + "!" },
  { pattern: "(\\w+\\s?)*$", input: (n) => "a".repeat(n - 1) + "!" },
  { pattern: "^(\\d+)*[a-z]$", input: (n) => "1".repeat(n - 1) + "!" },
];
const jsSizes = [16, 20, 24, 26, 28, 30, 1_000_000];
const oursSizes = [16, 30, 1_000, 10_000, 100_000, 1_000_000];

/** Runs `new RegExp(pattern).test(input)` in a worker; resolves to milliseconds, or null when killed at the cap. */
function jsTime(pattern, input) {
  return new Promise((resolve) => {
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const re = new RegExp(workerData.pattern);
       const t0 = performance.now(); re.test(workerData.input); parentPort.postMessage(performance.now() - t0);`,
      { eval: true, workerData: { pattern, input } },
    );
    const timer = setTimeout(() => { worker.terminate(); resolve(null); }, capMs);
    worker.once("message", (ms) => { clearTimeout(timer); worker.terminate(); resolve(ms); });
  });
}

function oursTime(matcher, input) {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    matcher.bestIndex(input);
    runs.push(performance.now() - t0);
  }
  return runs.sort((a, b) => a - b)[2];
}

const fmt = (ms) => (ms === null ? `> ${capMs / 1000} s (killed)` : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
const size = (n) => (n >= 1_000_000 ? `${n / 1_000_000} MB` : n >= 1000 ? `${n / 1000} KB` : `${n} B`);

console.log(`\nReDoS: JavaScript RegExp (time cap ${capMs / 1000} s) vs intent-edge (linear time), Node ${process.version}`);
for (const { pattern, input } of cases) {
  const matcher = new IntentMatcher({
    options: { caseInsensitive: false, maxTextBytes: 2_000_000 },
    intents: [{ id: "redos", patterns: [pattern] }],
  });
  console.log(`\n  pattern ${pattern}`);
  let jsKilled = false;
  for (const n of jsSizes) {
    // Once the JS engine blew the cap, larger inputs only take longer: say so instead of waiting again.
    const ms = jsKilled ? null : await jsTime(pattern, input(n));
    jsKilled ||= ms === null;
    console.log(`    JS RegExp   ${size(n).padStart(8)}  ${fmt(ms)}`);
  }
  for (const n of oursSizes) {
    const text = input(n);
    const best = matcher.bestIndex(text);
    console.log(`    intent-edge ${size(n).padStart(8)}  ${fmt(oursTime(matcher, text))}  (${best === -1 ? "no match" : "match"})`);
  }
  matcher.free();
}
