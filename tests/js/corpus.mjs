// Loads the behaviour corpus and BANKING77 for the Node-side tests (the same files the Rust suites run).
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const corpusDir = join(repo, "tests", "corpus");

export function corpus(kind) {
  const dir = join(corpusDir, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(dir, f), "utf8")) }));
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
