// Node half of the benchmark: the JS RegExp loop vs the Node package (pkg/node), same process, same texts.
// Writes target/bench/node.json; bench/report.mjs prints it with the native and Chromium results.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { benchSet } from "./suite.mjs";
import { loadSets } from "./sets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { IntentMatcher } = createRequire(import.meta.url)(join(root, "pkg/node/index.cjs"));
const results = [];
for (const set of loadSets(root)) {
  const r = benchSet(IntentMatcher, set);
  console.log(`node ${r.set}: first ${r.speedup.first.toFixed(1)}x, all ${r.speedup.all.toFixed(1)}x, ` +
    `batch ${r.speedup.batchFirst.toFixed(1)}x / ${r.speedup.batchAll.toFixed(1)}x, mismatches ${r.mismatches}`);
  results.push(r);
}
writeFileSync(join(root, "target/bench/node.json"), JSON.stringify({ runtime: `Node ${process.version}`, results }, null, 2));
