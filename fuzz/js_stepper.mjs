// Differential fuzzing of the package's JavaScript stepper (`fastShortTexts` in src/js/package/intent.js): it reads
// an anchored set's search cache (or a dense set's table) straight from wasm memory and steps short texts itself, a
// hand-written automaton that `cargo fuzz` cannot reach. Random sets from the `forms` target's grammar, compiled to
// the anchored form (and, when its DFA fits, to the dense form, whose one-text calls are checked too), with
// the patterns `regex_automata::meta` says match each text (fuzz/examples/js_cases.rs writes them), are loaded into
// the Node package (pkg/node) and every answer is compared with meta's: `bestIndex` and `matchingIndexes` cold (wasm
// searches and caches) and warm (stepped in JavaScript), again after the cache's rows moved (compacted), then
// `matchBatch` and `matchAllBatch` (texts two at a time, in order and reversed, and with a long text among them that
// wasm answers; the first of them also through wasm's own batch, `IntentMatcher.batchStepping = "wasm"`). Some
// sets get a cache small enough to clear while their texts are searched. A mismatch is written to
// fuzz/artifacts/js_stepper/ and fails the run.
//   node fuzz/js_stepper.mjs [--seconds N | --runs N] [--seed S]     (default: 10 seconds from seed 1)
// Prints the cases run and how many of the stepped calls JavaScript answered without wasm (which must not be few:
// a stepper that always gives up would agree with wasm and check nothing).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const runs = option("--runs", Infinity);
const seconds = option("--seconds", runs === Infinity ? 10 : Infinity);
let seed = option("--seed", 1);

// Counts of what went to wasm: the package's layer keeps the generated methods it finds when it loads, so they are
// wrapped before it loads (as tests/js/stepping.test.mjs does).
const require = createRequire(import.meta.url);
const toWasm = { bestIndexIn: 0, matchingIndexesIn: 0, bestIndex: 0, matchingIndexes: 0, matchBatch: 0, matchAllBatch: 0 };
{
  const glue = require(join(root, "pkg", "node", "intent_edge.js"));
  for (const name of Object.keys(toWasm)) {
    const generated = glue.IntentMatcher.prototype[name];
    glue.IntentMatcher.prototype[name] = function (input) {
      toWasm[name] += Array.isArray(input) ? input.length : 1;
      return generated.call(this, input);
    };
  }
}
const { IntentMatcher } = require(join(root, "pkg", "node", "index.cjs"));

const generator = join(root, "fuzz", "target", "release", "examples", "js_cases");
const started = performance.now();
/** A text longer than the 256 characters JavaScript steps: wasm answers it, in the middle of a batch. */
const LONG = "card lost ".repeat(30);

/** Deterministic pseudo-random numbers below `n` (xorshift32), restarted for each chunk of cases from its seed, so
 * `--seed S` replays chunk S exactly. */
let state = 1;
function random(n) {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) % n;
}

let cases = 0;
let singleCalls = 0;
let batchTexts = 0;
/** Texts of batches given to wasm's own batch on purpose (`batchStepping = "wasm"`): checked, but not stepping. */
let wasmBatchTexts = 0;
const wasmAnswers = () => Object.values(toWasm).reduce((a, b) => a + b, 0);

/** The best intent of a text that matches `patterns` (one pattern per intent, ascending). */
const best = (patterns) => (patterns.length ? patterns[0] : -1);
/** Cases whose set was also compiled to the dense form (whose table the stepper steps too). */
let denseCases = 0;

/** Every check of one case; throws an AssertionError naming the call on a mismatch. */
function check(c) {
  // A text with U+FFFD also with lone surrogates instead, which `encodeInto` writes as U+FFFD: every one high, every
  // one low (never a pair), and the first one high (before whatever follows it: another U+FFFD, say).
  const texts = [...c.texts];
  const want = [...c.want];
  c.texts.forEach((text, i) => {
    if (!text.includes("\ufffd")) return;
    const high = ["\ud800", "\ud83d", "\ud840", "\udbff"][random(4)];
    const low = ["\udc00", "\ude42", "\udfff"][random(3)];
    for (const variant of [text.replaceAll("\ufffd", high), text.replaceAll("\ufffd", low), text.replace("\ufffd", high)]) {
      texts.push(variant);
      want.push(c.want[i]);
    }
  });
  const m = IntentMatcher.fromBytes(new Uint8Array(Buffer.from(c.iedge, "hex")));
  try {
    // Warm the cache through wasm (`match` always searches there) with random texts over the case's characters, so
    // that a stepper that read a text as the wrong bytes would mostly find those steps cached and answer wrong,
    // instead of handing the text to wasm.
    const alphabet = [...new Set(texts.join("") + "\ufffd🙂힣𠀀")];
    for (let k = 0; k < 24; k++) {
      let text = "";
      for (let n = random(48); n > 0; n--) text += alphabet[random(alphabet.length)];
      m.match(text);
    }
    // The first pass searches in wasm and caches the steps, the second is stepped in JavaScript; then the rows move
    // (wasm told of many texts stepped in JavaScript, which settles the cache and may compact it, or `warmUp`, which
    // compacts), and the third is stepped from where they went, the best ranks JavaScript kept by row dropped.
    for (let pass = 0; pass < 3; pass++) {
      if (pass === 2) {
        if (random(2) === 0) m.warmUp([]);
        else for (let k = 0; k < 2; k++) m.noteSteppedTexts(256 << random(3));
      }
      texts.forEach((text, i) => {
        assert.equal(m.bestIndex(text), best(want[i]), `bestIndex pass ${pass} of ${JSON.stringify(text)}`);
        assert.deepEqual(Array.from(m.matchingIndexes(text)), want[i], `matchingIndexes pass ${pass} of ${JSON.stringify(text)}`);
        singleCalls += 2;
      });
    }
    const batches = [texts, [...texts].reverse(), [...texts.slice(0, 3), LONG, ...texts.slice(3)]];
    const wants = [want, [...want].reverse(), [...want.slice(0, 3), null, ...want.slice(3)]];
    // The first batch also as wasm's own batch answers it (`IntentMatcher.batchStepping = "wasm"`).
    batches.forEach((batch, b) => {
      for (const mode of b === 0 ? ["javascript", "wasm"] : ["javascript"]) {
        IntentMatcher.batchStepping = mode;
        const sentBefore = wasmAnswers();
        let firsts;
        let all;
        try {
          firsts = m.matchBatch(batch);
          all = m.matchAllBatch(batch);
        } finally {
          IntentMatcher.batchStepping = "javascript";
        }
        if (mode === "wasm") {
          const sent = wasmAnswers() - sentBefore;
          assert.equal(sent, 2 * batch.length, `batchStepping "wasm": every text of both batches to wasm's batch`);
          wasmBatchTexts += sent;
        }
        let at = 0;
        batch.forEach((text, i) => {
          const count = all[at];
          const intents = Array.from(all.subarray(at + 1, at + 1 + count));
          at += 1 + count;
          if (wants[b][i] === null) return; // the long text: wasm's own answer, checked by the corpus tests
          assert.equal(firsts[i], best(wants[b][i]), `matchBatch (${mode}) #${b} text ${i} ${JSON.stringify(text)}`);
          assert.deepEqual(intents, wants[b][i], `matchAllBatch (${mode}) #${b} text ${i} ${JSON.stringify(text)}`);
        });
        assert.equal(at, all.length, `matchAllBatch (${mode}) #${b}: the answer's length`);
        if (mode === "javascript") batchTexts += 2 * batch.length;
      }
    });
  } finally {
    m.free();
  }
  if (c.dense === null) return;
  // The dense form: its table never changes, so every short text is stepped in JavaScript from the first call;
  // batches are wasm's for this form.
  denseCases++;
  const d = IntentMatcher.fromBytes(new Uint8Array(Buffer.from(c.dense, "hex")));
  try {
    for (let pass = 0; pass < 2; pass++) {
      texts.forEach((text, i) => {
        assert.equal(d.bestIndex(text), best(want[i]), `dense bestIndex pass ${pass} of ${JSON.stringify(text)}`);
        assert.deepEqual(Array.from(d.matchingIndexes(text)), want[i], `dense matchingIndexes pass ${pass} of ${JSON.stringify(text)}`);
        singleCalls += 2;
      });
    }
  } finally {
    d.free();
  }
}

let failed = null;
let done = false;
// Ctrl-C (or `kill -INT`) ends a long run after the case at hand, with its summary.
process.on("SIGINT", () => {
  done = true;
});
while (!done && failed === null) {
  const chunk = Math.min(500, runs - cases);
  const child = spawn(generator, [String(seed), String(chunk)], { stdio: ["ignore", "pipe", "inherit"] });
  state = (Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995) | 1;
  seed++;
  for await (const line of createInterface({ input: child.stdout })) {
    const c = JSON.parse(line);
    try {
      check(c);
    } catch (error) {
      failed = { seed: seed - 1, patterns: c.patterns, message: error.message, case: c };
      child.kill();
      break;
    }
    cases++;
    if (done || cases >= runs || (performance.now() - started) / 1000 >= seconds) {
      done = true;
      child.kill();
      break;
    }
  }
}

const stepped = singleCalls + batchTexts;
const inJs = stepped - (wasmAnswers() - wasmBatchTexts);
console.log(`fuzz js_stepper: ${cases} cases (${denseCases} also dense; ${singleCalls} single calls, ${batchTexts} texts in batches, ${wasmBatchTexts} more in wasm's) from seed ` +
  `${option("--seed", 1)} to ${seed - 1} in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
  `${((100 * inJs) / stepped).toFixed(1)} % answered in JavaScript without wasm; ${failed ? 1 : 0} findings`);
if (failed) {
  const dir = join(root, "fuzz", "artifacts", "js_stepper");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `mismatch-seed-${failed.seed}.json`);
  writeFileSync(file, JSON.stringify(failed, null, 2));
  console.error(`mismatch: ${failed.message}\npatterns ${JSON.stringify(failed.patterns)}\nsaved in ${file}`);
  process.exit(1);
}
// A stepper that gave up on everything would agree with wasm and check nothing.
if (cases > 50 && inJs < stepped / 4) {
  console.error("too few answers came from the JavaScript stepper for this run to check it");
  process.exit(1);
}
