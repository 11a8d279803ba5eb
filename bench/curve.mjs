// Load curve: how long a fresh matcher takes to answer its first match, as the set grows to 2,000 patterns.
// Two families of sets:
// - intent keyword sets, mined from BANKING77's train.csv the way ../shared/data/banking77/intents-keywords.json
//   was: each of the 77 categories split into k parts (k = 1, 2, 4, 8, 13, 26: 77 to 2,002 intents), one
//   case-insensitive `\b(?:kw1|…|kw8)\b` pattern per part from its 8 most distinctive 1–3-word phrases;
// - the first N patterns of bench/sets/bots-1500.json (N > 1,500: plus renamed copies), case-sensitive.
// Each is compiled with `intent-edge compile` (timed: the build-time cost), then loaded in Node with fromBytes (median
// of 5 fresh loads) and matched once on one of its own texts. Also how the same set compiled from JSON at run time
// fares. Run via `bash bench/run.sh --curve`.
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

/// BANKING77's training texts by category, each category's texts dealt round-robin into `parts` pseudo-intents,
/// each given the pattern of its 8 most distinctive phrases (count in the part × log(parts overall / parts using it)).
function minedKeywordSet(parts) {
  const rows = parseCsv(readFileSync(join(root, "../shared/data/banking77/train.csv"), "utf8")).slice(1);
  const byPart = new Map();
  const dealt = new Map();
  for (const [text, category] of rows) {
    const n = dealt.get(category) ?? 0;
    dealt.set(category, n + 1);
    const key = `${category}_${n % parts}`;
    if (!byPart.has(key)) byPart.set(key, []);
    byPart.get(key).push(text);
  }
  const phrases = (text) => {
    const words = text.toLowerCase().match(/[a-z0-9£€’']+/g) ?? [];
    const out = new Set();
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(" "));
    return out;
  };
  const counts = new Map();
  const usedBy = new Map();
  for (const [key, texts] of byPart) {
    const c = new Map();
    for (const t of texts) for (const p of phrases(t)) c.set(p, (c.get(p) ?? 0) + 1);
    counts.set(key, c);
    for (const p of c.keys()) usedBy.set(p, (usedBy.get(p) ?? 0) + 1);
  }
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const intents = [...byPart.keys()].sort().map((key) => {
    const c = counts.get(key);
    const score = (p) => c.get(p) * Math.log(byPart.size / usedBy.get(p));
    const best = [...c.keys()].sort((a, b) => score(b) - score(a) || (a < b ? -1 : 1)).slice(0, 8);
    return { id: key, patterns: [`\\b(?:${best.map((p) => p.split(" ").map(escape).join("\\s+")).join("|")})\\b`] };
  });
  // Over 1,000 patterns need a larger NFA budget than the default options.sizeLimit (10 MiB).
  const options = { caseInsensitive: true, sizeLimit: 64 << 20 };
  return { set: { options, intents }, texts: rows.map(([text]) => text) };
}

/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

function botsSet(n) {
  const patterns = Array.from({ length: n }, (_, i) => (i < flat.length ? flat[i] : `Variant${i}-${flat[i % flat.length]}`));
  return { set: { options: bots.options, intents: patterns.map((p, i) => ({ id: `p${i}`, patterns: [p] })) }, texts };
}

console.log("\nLoad curve (Node, fromBytes on a fresh matcher; compile = intent-edge compile, once, before traffic)");
console.log("set        patterns  automaton    .iedge KiB  compile s  load ms  first match ms  (JSON at run time: compile ms)");
const rows = [];
const curve = [
  ...[1, 2, 4, 8, 13, 26].map((parts) => ["keywords", () => minedKeywordSet(parts)]),
  ...[50, 100, 200, 500, 1000, 1500, 2000].map((n) => ["bots", () => botsSet(n)]),
];
for (const [family, make] of curve) {
  const { set, texts } = make();
  const n = set.intents.length;
  const json = join(out, `${family}-${n}.json`);
  const iedge = join(out, `${family}-${n}.iedge`);
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
  const row = { set: family, patterns: n, automaton, iedgeKiB: statSync(iedge).size / 1024, compileS, loadMs: median(loads), firstMatchMs: median(firsts), jsonCompileMs: jsonMs };
  rows.push(row);
  console.log(`${family.padEnd(9)} ${String(n).padStart(9)}  ${automaton.padEnd(10)} ${row.iedgeKiB.toFixed(0).padStart(11)} ${compileS.toFixed(1).padStart(10)} ${row.loadMs.toFixed(2).padStart(8)} ${row.firstMatchMs.toFixed(3).padStart(15)}  (${jsonMs.toFixed(1)})`);
}
writeFileSync(join(root, "target/bench/curve.json"), JSON.stringify(rows, null, 2));
