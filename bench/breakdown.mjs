// Where one matcher call's time goes, in Node (pkg/node), per set: what `bench/run.sh` reports as one number split
// into parts a change can be measured against. For each set (the sets of target/bench/sets.json; bench/run.sh
// writes it):
//
//   call      bestIndex on each query, one call per text (ns per call)
//   empty     bestIndex on "" as many times (the fixed cost: the call, the text buffer, the pool, the start set)
//   no-match  bestIndex on each query with its vowels replaced by "x" (same length; most match nothing and stay in
//             few states), so call - no-match is roughly what reporting matches and the states they visit cost
//   hot-30    bestIndex on 30 of the queries, repeated to the same count (the states they visit stay in the CPU's
//             caches), so call - hot-30 is roughly what the sets' working set costs
//   batch     matchBatch over all queries (ns per byte)
//   encode    joining the texts with NUL and one TextEncoder.encodeInto (what a batch does in JavaScript), against
//             writing each text separately (a copy loop for short ASCII, else encodeInto per text), ns per byte
//
// Each figure is the median of the rounds; the parts of one round run back to back. Times on a shared machine
// move from run to run; compare figures of one run.
//   node bench/breakdown.mjs [--rounds 15] [SET ...]
import { createRequire } from "node:module";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSets } from "./sets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { IntentMatcher } = createRequire(import.meta.url)(join(root, "pkg/node/index.cjs"));
const args = process.argv.slice(2);
const rounds = args.includes("--rounds") ? Number(args[args.indexOf("--rounds") + 1]) : 15;
const names = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--rounds");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const encoder = new TextEncoder();
const utf8Bytes = (texts) => texts.reduce((n, t) => n + encoder.encode(t).length, 0);

/** One batch's texts written as the package does (joined in chunks, one encodeInto each). */
function encodeJoined(texts, bytes) {
  let written = 0;
  for (let i = 0; i < texts.length; i += 256) {
    const chunk = texts.slice(i, i + 256);
    written += encoder.encodeInto(chunk.join("\0") + "\0", bytes.subarray(written)).written;
  }
  return written;
}

/** The same texts written one at a time, with their end offsets (what a batch without joining would do). */
function encodeEach(texts, bytes, ends) {
  let written = 0;
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k];
    const n = text.length;
    let i = 0;
    if (n <= 32) {
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c > 0x7f) break;
        bytes[written + i] = c;
      }
    }
    written += i === n ? n : encoder.encodeInto(text, bytes.subarray(written)).written;
    ends[k] = written;
  }
  return written;
}

/** ns per `bestIndex` call over `list` (a function of its own, so the loop is optimized as a user's would be). */
function timeCalls(matcher, list) {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < list.length; i++) sink += matcher.bestIndex(list[i]);
  const ns = Number(process.hrtime.bigint() - t0) / list.length;
  return sink === Infinity ? -1 : ns;
}

console.log(`Node ${process.version}; ${rounds} rounds; ns per call unless said`);
console.log("set             call   empty  no-match  hot-30   batch ns/B   encode joined / each ns/B");
for (const set of loadSets(root)) {
  if (names.length > 0 && !names.includes(set.name)) continue;
  const matcher = IntentMatcher.fromBytes(set.bytes);
  const texts = set.texts;
  const parts = {
    call: texts,
    empty: texts.map(() => ""),
    "no-match": texts.map((t) => t.replace(/[aeiouAEIOU]/g, "x")),
    "hot-30": texts.map((_, i) => texts[i % 30]),
  };
  const bytes = utf8Bytes(texts);
  const buffer = new Uint8Array(3 * bytes + 4 * texts.length + 16);
  const ends = new Uint32Array(texts.length);
  const times = { call: [], empty: [], "no-match": [], "hot-30": [], batch: [], joined: [], each: [] };
  let sink = 0;
  for (let round = 0; round < rounds + 2; round++) {
    const record = (name, ns) => round >= 2 && times[name].push(ns);
    for (const [name, list] of Object.entries(parts)) record(name, timeCalls(matcher, list));
    let t0 = process.hrtime.bigint();
    sink += matcher.matchBatch(texts).length;
    record("batch", Number(process.hrtime.bigint() - t0) / bytes);
    t0 = process.hrtime.bigint();
    sink += encodeJoined(texts, buffer);
    record("joined", Number(process.hrtime.bigint() - t0) / bytes);
    t0 = process.hrtime.bigint();
    sink += encodeEach(texts, buffer, ends);
    record("each", Number(process.hrtime.bigint() - t0) / bytes);
  }
  matcher.free();
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  console.log(
    `${set.name.padEnd(14)} ${m.call.toFixed(0).padStart(5)} ${m.empty.toFixed(0).padStart(7)} ${m["no-match"].toFixed(0).padStart(9)}` +
      ` ${m["hot-30"].toFixed(0).padStart(7)} ${m.batch.toFixed(2).padStart(12)}   ${m.joined.toFixed(2).padStart(8)} / ${m.each.toFixed(2)}` +
      `   (${(bytes / texts.length).toFixed(1)} bytes a text)`,
  );
  if (sink === -1) console.log(sink);
}
