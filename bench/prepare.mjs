// Writes the benchmark inputs into target/bench/: BANKING77 as an intent set (one intent per pattern, file order),
// then the manifest sets.json listing every set with its JSON, its .iedge path (compiled next by bench/run.sh)
// and its queries. Sets: BANKING77 (../shared/data), bench/sets/ (generated, see bench/sets/README.md), and the
// crawler-user-agents list from npm.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { crawlerUserAgents } from "../tests/js/corpus.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "target/bench");
mkdirSync(out, { recursive: true });

const banking = JSON.parse(readFileSync(join(root, "../shared/data/banking77/intents-keywords.json"), "utf8"));
const bankingSet = {
  options: { caseInsensitive: true },
  intents: banking.patterns.map((p) => ({ id: p.intent, patterns: [p.pattern] })),
};
writeFileSync(join(out, "banking77.json"), JSON.stringify(bankingSet));
copyFileSync(join(root, "../shared/data/banking77/queries.jsonl"), join(out, "banking77.queries.jsonl"));

// The real crawler-user-agents list (npm, pinned in bench/package.json; installed by bench/run.sh), as the tests
// read it (tests/js/corpus.mjs): one case-sensitive intent per pattern, in file order, and the list's own example
// user agents as the texts. Its 1,500 patterns are the kind issue 13 names (a 1,498-pattern UA list), and none of its
// texts was made here.
const crawlers = crawlerUserAgents();
writeFileSync(join(out, "crawler-user-agents.json"), JSON.stringify(crawlers.set));
writeFileSync(join(out, "crawler-user-agents.queries.jsonl"), crawlers.texts.map((text) => JSON.stringify({ text }) + "\n").join(""));

// `compile`: extra flags for `intent-edge compile` (anchored by default; BANKING77 also as one dense DFA, to compare).
const sets = [
  { name: "banking77", json: "target/bench/banking77.json", queries: "target/bench/banking77.queries.jsonl" },
  { name: "banking77-dense", json: "target/bench/banking77.json", queries: "target/bench/banking77.queries.jsonl", compile: ["--dense"] },
  { name: "support-150", json: "bench/sets/support-150.json", queries: "bench/sets/support-150.queries.jsonl" },
  { name: "bots-1500", json: "bench/sets/bots-1500.json", queries: "bench/sets/bots-1500.queries.jsonl" },
  { name: "assistant-64", json: "bench/sets/assistant-64.json", queries: "bench/sets/assistant-64.queries.jsonl" },
  { name: "crawlers-1500", json: "bench/sets/crawlers-1500.json", queries: "bench/sets/crawlers-1500.queries.jsonl" },
  { name: "crawler-agents", json: "target/bench/crawler-user-agents.json", queries: "target/bench/crawler-user-agents.queries.jsonl" },
];
// More sets from a folder of your own (BENCH_EXTRA_SETS=dir): every NAME.json with a NAME.queries.jsonl beside it,
// e.g. keyword sets mined from real intent datasets by bench/sets/mine_keywords.py. Copied into target/bench/extra/,
// where the browser half of the benchmark can fetch them too.
const extra = process.env.BENCH_EXTRA_SETS;
if (extra) {
  if (!existsSync(extra)) throw new Error(`BENCH_EXTRA_SETS=${extra}: no such folder`);
  mkdirSync(join(out, "extra"), { recursive: true });
  for (const file of readdirSync(extra).filter((f) => f.endsWith(".json")).sort()) {
    const name = file.slice(0, -".json".length);
    if (!existsSync(join(extra, `${name}.queries.jsonl`))) continue;
    if (sets.some((s) => s.name === name)) throw new Error(`BENCH_EXTRA_SETS: ${join(extra, file)} has the name of a set the benchmark has already; rename it`);
    for (const suffix of [".json", ".queries.jsonl"]) copyFileSync(join(extra, name + suffix), join(out, "extra", name + suffix));
    sets.push({ name, json: `target/bench/extra/${name}.json`, queries: `target/bench/extra/${name}.queries.jsonl` });
  }
}
for (const s of sets) Object.assign(s, { compile: s.compile ?? [], iedge: `target/bench/${s.name}.iedge` });
writeFileSync(join(out, "sets.json"), JSON.stringify(sets, null, 2));
for (const s of sets) console.log(`${s.json} -> ${s.iedge}`);
