// Edge startup: how long a fresh instance of the component takes to answer its first /api/intent request, with the
// benchmark's sets compiled in, as built (the set loaded on first use) and pre-initialized by `wasmtime wizer`
// (src/edge/preinit.rs), with and without warm-up. Every request goes to a fresh instance
// (`wasmtime serve --max-instance-reuse-count 1`); the component's own Server-Timing header gives the time spent
// loading the set (first use only) and matching (best intent with spans and slots). Texts: the last third of each
// set's queries (the warm-up with "real texts" uses the first two thirds, so the measured texts are held out).
// Also each set as a mounted file (`INTENT_EDGE_INTENTS=/sets/<set>.iedge`, `--dir target/bench::/sets`), which a fresh
// instance reads and loads on its first request. Run via `bash bench/run.sh --edge` (after the sets are precompiled);
// `node bench/edge.mjs --mounted` measures the mounted files only (one component build), each twice: under `wasmtime
// serve`'s default (on-demand) instance allocator, whose fresh instance gets fresh memory pages, and under its pooling
// allocator keeping RESIDENT bytes of each recycled memory resident (`-O pooling-allocator=y -O
// pooling-memory-keep-resident=N`); beside them, what writing the file's size into fresh memory costs this machine
// (Node, `Buffer.allocUnsafeSlow(n).fill`), the floor a fresh page's first touch sets. Writes target/bench/edge.json
// (edge-mounted.json with --mounted).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startEdge } from "../tests/js/servers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "target/bench/edge");
mkdirSync(out, { recursive: true });
const REQUESTS = 100;
// A target directory of its own: the component the tests and scripts/serve.sh use stays as scripts/build.sh made it.
const targetDir = join(root, "target/bench/edge/cargo");
const built = join(targetDir, "wasm32-wasip2/release/intent_edge");

/** Builds the component with `iedge` compiled in and the given warm-up; returns {plain, preinit} paths. */
function build(name, iedge, { samples = 0, texts = null } = {}) {
  const env = { ...process.env, CARGO_TARGET_DIR: targetDir, INTENT_EDGE_EMBEDDED_SET: join(root, iedge), INTENT_EDGE_WARMUP_SAMPLES: String(samples) };
  delete env.INTENT_EDGE_WARMUP_TEXTS;
  if (texts) {
    env.INTENT_EDGE_WARMUP_TEXTS = join(out, `${name}.warmup.txt`);
    writeFileSync(env.INTENT_EDGE_WARMUP_TEXTS, texts.map((t) => t.replace(/\n/g, " ")).join("\n"));
  }
  const report = execFileSync("bash", [join(root, "scripts/build-component.sh")], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  console.log(`edge ${name}: ${report.trim()}`);
  const plain = join(out, `${name}.wasm`);
  const preinit = join(out, `${name}.preinit.wasm`);
  copyFileSync(`${built}.wasm`, plain);
  copyFileSync(`${built}.preinit.wasm`, preinit);
  return { plain, preinit };
}

/** The runtime's instance allocators the mounted files are measured under: `wasmtime serve`'s default, and its pooling
 * allocator keeping RESIDENT bytes of a recycled instance's memory resident (its pages are not faulted in again). */
const RESIDENT = 16 << 20;
const HOSTS = [
  ["on-demand allocator (default)", []],
  [`pooling allocator, ${RESIDENT >> 20} MiB kept resident`, ["-O", "pooling-allocator=y", "-O", `pooling-memory-keep-resident=${RESIDENT}`]],
];

/** Median milliseconds to write `bytes` bytes into freshly allocated memory in this process: what a fresh page's first
 * touch costs on this machine, for the size of a file a fresh instance must read into fresh memory. */
function freshMemoryWrite(bytes) {
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    Buffer.allocUnsafeSlow(bytes).fill(i + 1);
    times.push(performance.now() - t0);
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** One request per fresh instance for each text; Server-Timing's load and match durations. */
async function firstAnswers(wasm, texts, { dirs = {}, env = {}, host = [] } = {}) {
  const edge = await startEdge({ wasm, dirs, env, extraArgs: ["--max-instance-reuse-count", "1", ...host] });
  try {
    const loads = [];
    const matches = [];
    for (const text of texts) {
      const res = await fetch(`${edge.url}/api/intent`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
      if (res.status !== 200) throw new Error(`${wasm}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      const timing = res.headers.get("server-timing") ?? "";
      matches.push(Number(/match;dur=([\d.]+)/.exec(timing)[1]));
      loads.push(Number(/intent-set-load;dur=([\d.]+)/.exec(timing)?.[1] ?? 0));
    }
    const totals = loads.map((l, i) => l + matches[i]).sort((a, b) => a - b);
    const sortedMatches = [...matches].sort((a, b) => a - b);
    return {
      component: wasm.slice(root.length + 1),
      componentBytes: statSync(wasm).size,
      requests: texts.length,
      loadMs: quantile([...loads].sort((a, b) => a - b), 0.5),
      matchMs: { p50: quantile(sortedMatches, 0.5), p90: quantile(sortedMatches, 0.9), max: sortedMatches.at(-1) },
      firstAnswerMs: { p50: quantile(totals, 0.5), p90: quantile(totals, 0.9), max: totals.at(-1) },
    };
  } finally {
    await edge.stop();
  }
}

const manifest = JSON.parse(readFileSync(join(root, "target/bench/sets.json"), "utf8"));
const mountedOnly = process.argv.includes("--mounted");
const results = [];
const mounted = (set) => ({ dirs: { [join(root, "target/bench")]: "/sets" }, env: { INTENT_EDGE_INTENTS: `/sets/${set.name}.iedge` } });
let anyComponent = null;
for (const set of manifest) {
  const texts = readFileSync(join(root, set.queries), "utf8").trim().split("\n").map((l) => JSON.parse(l).text);
  const cut = Math.floor((texts.length * 2) / 3);
  const measured = texts.slice(cut, cut + REQUESTS);
  if (mountedOnly) {
    anyComponent ??= build("mounted", "target/sets/intents.iedge").plain;
    const fileBytes = statSync(join(root, set.iedge)).size;
    const freshMemoryMs = freshMemoryWrite(fileBytes);
    for (const [allocator, host] of HOSTS) {
      const r = { set: set.name, variant: "mounted .iedge file, loaded on first use", allocator, ...(await firstAnswers(anyComponent, measured, { ...mounted(set), host })) };
      Object.assign(r, { fileBytes, freshMemoryMs });
      console.log(`edge ${r.set}, mounted, ${allocator}: first answer p50 ${r.firstAnswerMs.p50.toFixed(3)} ms, p90 ${r.firstAnswerMs.p90.toFixed(3)} ms (load ${r.loadMs.toFixed(3)} + match p50 ${r.matchMs.p50.toFixed(3)}); writing its ${(fileBytes / 1024).toFixed(0)} KiB into fresh memory takes ${freshMemoryMs.toFixed(3)} ms here`);
      results.push(r);
    }
    continue;
  }
  const variants = [];
  const base = build(set.name, set.iedge);
  variants.push(["as built (set loaded on first use)", base.plain], ["pre-initialized", base.preinit]);
  variants.push(["mounted .iedge file, loaded on first use", base.plain, mounted(set)]);
  // Warm-up only matters for a set with a cache to fill: anchored or lazy (a dense one has none). Texts sampled from
  // the patterns are tried on lazy sets only (on anchored ones real texts are what is left to show).
  const kind = execFileSync(join(root, "target/release/intent-edge"), ["info", join(root, set.iedge)], { encoding: "utf8" });
  if (/automaton lazy/.test(kind)) {
    variants.push(["pre-initialized + 5 samples/pattern", build(`${set.name}-samples`, set.iedge, { samples: 5 }).preinit]);
  }
  if (!/automaton dense/.test(kind)) {
    variants.push([`pre-initialized + ${cut} real texts`, build(`${set.name}-texts`, set.iedge, { texts: texts.slice(0, cut) }).preinit]);
  }
  for (const [variant, wasm, mount] of variants) {
    const r = { set: set.name, variant, ...(await firstAnswers(wasm, measured, mount)) };
    console.log(`edge ${r.set}, ${variant}: ${(r.componentBytes / 1e6).toFixed(1)} MB; first answer p50 ${r.firstAnswerMs.p50.toFixed(3)} ms, ` +
      `p90 ${r.firstAnswerMs.p90.toFixed(3)} ms (load ${r.loadMs.toFixed(3)} + match p50 ${r.matchMs.p50.toFixed(3)})`);
    results.push(r);
  }
}
writeFileSync(join(root, mountedOnly ? "target/bench/edge-mounted.json" : "target/bench/edge.json"), JSON.stringify({ runtime: execFileSync("wasmtime", ["--version"], { encoding: "utf8" }).trim(), results }, null, 2));
