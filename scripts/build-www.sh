#!/usr/bin/env bash
# The demo page's generated files, from the npm package (pkg/, scripts/build-package.sh) and the compiler
# (target/release/intent-edge, scripts/build.sh):
#   www/pkg            the browser package (no regex compiler: loads precompiled sets)
#   www/pkg-compiler   the browser package with the regex compiler, loaded only when a visitor edits a pattern
#   www/sets/          the playground's sets: the hand-written demo set (config/intents.json) and BANKING77
#                      (../shared/data/banking77), each as JSON (the patterns shown for editing) and precompiled
#                      (.iedge, what the page matches with until a pattern is edited), with texts for the
#                      side-by-side timing; and the catastrophic-backtracking pattern precompiled (redos.iedge)
set -euo pipefail
cd "$(dirname "$0")/.."
compile=target/release/intent-edge
banking=../shared/data/banking77

rm -rf www/pkg www/pkg-compiler www/sets
cp -r pkg/web www/pkg
cp -r pkg/web-compiler www/pkg-compiler
mkdir -p www/sets

node - "$banking" <<'JS'
// JSON sets and texts for the page. The demo set's texts are the behaviour corpus's (tests/corpus/intents).
const fs = require("fs");
const [banking] = process.argv.slice(2);
const write = (name, value) => fs.writeFileSync(`www/sets/${name}`, JSON.stringify(value, null, 1) + "\n");

write("assistant.json", JSON.parse(fs.readFileSync("config/intents.json", "utf8")));
const corpus = JSON.parse(fs.readFileSync("tests/corpus/intents/assistant.json", "utf8"));
write("assistant.texts.json", corpus.cases.filter((c) => !c.error && !c.repeat).map((c) => c.text));

const source = JSON.parse(fs.readFileSync(`${banking}/intents-keywords.json`, "utf8"));
write("banking77.json", {
  options: { caseInsensitive: true },
  intents: source.patterns.map((p) => ({ id: p.intent, patterns: [p.pattern] })),
});
const queries = fs.readFileSync(`${banking}/queries.jsonl`, "utf8").split("\n").filter((l) => l.trim());
write("banking77.texts.json", queries.map((l) => JSON.parse(l).text));

write("redos.json", { options: { maxTextBytes: 2_000_000 }, intents: [{ id: "catastrophic", patterns: ["(a+)+$"] }] });
JS

for set in assistant banking77 redos; do
  "$compile" compile "www/sets/$set.json" "www/sets/$set.iedge" >/dev/null
done
rm www/sets/redos.json
