// Independent computation of expected pattern indexes with JavaScript RegExp (called by generate.py).
//
// stdin:  {"patterns": [..], "flags": "i" | "", "texts": [..], "wasm"?: "path/to/pkg/node/intent_edge.js", "options"?: {..}}
// stdout: {"regexp": [[ids], ..], "wasm"?: [[ids], ..]}
//   regexp: for each text, the indexes of every pattern p with new RegExp(p, flags).test(text), ascending.
//   wasm (only when a path is given): the same through the project's IntentMatcher, one single-pattern intent per
//   pattern, with the set's options (so the Rust engine's own Unicode semantics are checked too).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";

const req = JSON.parse(readFileSync(0, "utf8"));
const regexps = req.patterns.map((p, i) => {
  try {
    return new RegExp(p, req.flags);
  } catch (e) {
    console.error(`expected.mjs: pattern ${i} does not compile in JavaScript: ${p}\n  ${e.message}`);
    process.exit(2);
  }
});

const out = {
  regexp: req.texts.map((t) => {
    const ids = [];
    for (let i = 0; i < regexps.length; i++) if (regexps[i].test(t)) ids.push(i);
    return ids;
  }),
};

if (req.wasm) {
  const require = createRequire(import.meta.url);
  const { IntentMatcher } = require(resolve(req.wasm));
  const config = {
    options: req.options ?? {},
    intents: req.patterns.map((p, i) => ({ id: `p${i}`, patterns: [p] })),
  };
  const matcher = new IntentMatcher(config);
  out.wasm = req.texts.map((t) => Array.from(matcher.matchingIndexes(t)));
  matcher.free();
}

process.stdout.write(JSON.stringify(out));
