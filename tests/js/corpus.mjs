// Loads the behaviour corpus, BANKING77 and the generated sets for the Node-side tests (the same files the Rust suites
// run), and checks batch answers against them.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const corpusDir = join(repo, "tests", "corpus");

export function corpus(kind) {
  const dir = join(corpusDir, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), "utf8")) }));
}

/// `set` (an intent-set object) precompiled by `intent-edge compile` with `flags` (anchored by default, `--dense` for
/// one dense DFA): the `.iedge` bytes.
export function compileNatively(set, flags = []) {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-set-"));
  const json = join(dir, "set.json");
  const iedge = join(dir, "set.iedge");
  writeFileSync(json, JSON.stringify(set));
  execFileSync(join(repo, "target/release/intent-edge"), ["compile", ...flags, json, iedge], { stdio: "ignore" });
  return new Uint8Array(readFileSync(iedge));
}

export function intentSetOf(file) {
  return file.set ?? JSON.parse(readFileSync(join(repo, file.setFile), "utf8"));
}

export function caseText(c) {
  return c.text.repeat(c.repeat ?? 1);
}

/** BANKING77 as an intent set (one intent per pattern, in file order) plus its 3,080 queries. */
export function banking77() {
  const dir = join(repo, "..", "shared", "data", "banking77");
  const source = JSON.parse(readFileSync(join(dir, "intents-keywords.json"), "utf8"));
  const set = {
    options: { caseInsensitive: true },
    intents: source.patterns.map((p) => ({ id: p.intent, patterns: [p.pattern] })),
  };
  const queries = readFileSync(join(dir, "queries.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  return { set, source, queries };
}

/**
 * The generated sets in bench/sets, each with its queries and, per query, the intent indexes its `expected_ids`
 * (pattern ids, several per intent) name, ascending.
 */
export function generatedSets() {
  return ["support-150", "bots-1500"].map((name) => {
    const set = JSON.parse(readFileSync(join(repo, `bench/sets/${name}.json`), "utf8"));
    const intentOf = set.intents.flatMap((intent, i) => intent.patterns.map(() => i));
    const queries = readFileSync(join(repo, `bench/sets/${name}.queries.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const expectedIntents = queries.map((q) => [...new Set(q.expected_ids.map((id) => intentOf[id]))].sort((a, b) => a - b));
    return { name, set, queries, expectedIntents };
  });
}

/**
 * A real pattern set: the crawler-user-agents list (npm, pinned in bench/package.json, installed by scripts/setup.sh)
 * as an intent set of one case-sensitive pattern per intent, in file order, and its example user agents
 * ("instances"), each once.
 */
export function crawlerUserAgents() {
  const list = JSON.parse(readFileSync(join(repo, "bench/node_modules/crawler-user-agents/crawler-user-agents.json"), "utf8"));
  const set = {
    options: { caseInsensitive: false },
    intents: list.map((entry, index) => ({ id: `ua.${index}`, patterns: [entry.pattern] })),
  };
  return { set, patterns: list.map((entry) => entry.pattern), texts: [...new Set(list.flatMap((entry) => entry.instances ?? []))] };
}

/** The answer a loop of JavaScript `RegExp`s gives (`new RegExp(p, flags)` per pattern): for each text, the indexes
 * of every pattern that matches it, ascending. */
export function regexpAnswers(patterns, flags, texts) {
  const regexps = patterns.map((p) => new RegExp(p, flags));
  return texts.map((text) => regexps.flatMap((re, i) => (re.test(text) ? [i] : [])));
}

/** Checks a `matchAllBatch` answer (per text: a count, then that many intent indexes) against one list per text. */
export function assertAllBatch(all, expected, describe) {
  let at = 0;
  expected.forEach((want, i) => {
    const count = all[at];
    assert.deepEqual([...all.subarray(at + 1, at + 1 + count)], want, describe(i));
    at += 1 + count;
  });
  assert.equal(at, all.length);
}

/// Where a precompiled set (`.iedge`, see src/intent/precompiled.rs) keeps its automaton table, read from the file's
/// own lengths: `{ kind, header, width, rows, end }` byte offsets. Both tables start with the same header
/// (src/intent/automaton/header.rs; `width` is its state id width byte). `kind` is "dense"
/// (src/intent/automaton/dense.rs: `rows` is where the transitions start) or "anchored"
/// (src/intent/automaton/anchored/table.rs: `rows` is where the ranges start).
export function automatonTableSection(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at) => view.getUint32(at, true);
  let at = 12;
  at += 4 + u32(at); // producer
  at += 4 + u32(at); // the set (ids, priorities, sources)
  const patterns = u32(at);
  let nfas = 0;
  for (let i = 0; i < patterns; i++) nfas += u32(at + 4 + 4 * i);
  at += 4 + 4 * patterns + nfas;
  const header = at + 5;
  const [states, matchStates, columns] = [u32(header), u32(header + 4), view.getUint16(header + 12, true)];
  const afterHeader = header + 271;
  // Then the dense table's start state, or the anchored table's start state per column; then the match lists.
  const offsets = bytes[at] === 0 ? afterHeader + 4 : afterHeader + 4 * columns;
  const lists = offsets + 4 * (matchStates + 1) + 4 * u32(offsets + 4 * matchStates);
  if (bytes[at] === 0) return { kind: "dense", header, width: header + 14, rows: lists, end: bytes.length };
  if (bytes[at] === 2) return { kind: "anchored", header, width: header + 14, rows: lists + 4 * (states + 1), end: bytes.length };
  throw new Error(`automaton kind ${bytes[at]} has no table`);
}
