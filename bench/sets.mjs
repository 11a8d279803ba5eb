// The benchmark's pattern sets, as listed in target/bench/sets.json by bench/prepare.mjs: each has the intent-set
// JSON, its precompiled .iedge (written by `intent-edge compile`) and the query texts.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function loadSets(root) {
  const manifest = JSON.parse(readFileSync(join(root, "target/bench/sets.json"), "utf8"));
  return manifest.map((entry) => ({
    name: entry.name,
    config: JSON.parse(readFileSync(join(root, entry.json), "utf8")),
    bytes: new Uint8Array(readFileSync(join(root, entry.iedge))),
    texts: readFileSync(join(root, entry.queries), "utf8").trim().split("\n").map((l) => JSON.parse(l).text),
  }));
}
