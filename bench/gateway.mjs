// The gateway benchmark: the edge component under `wasmtime serve` next to a hello-world component under the same
// runtime flags, loaded by `wrk` at concurrency 32 from the same machine, in interleaved rounds; medians of each
// scenario's requests/s and latency percentiles, and the ratio of a cache hit to hello-world from the same round.
//
//   node bench/gateway.mjs [--rounds 3] [--seconds 10] [--connections 32] [--wide] [--instructions 500]
//
// Scenarios:
//   hello     GET /              on bench/hello_component.rs (what a request costs the runtime when the component
//                                does nothing but answer)
//   fields    GET /fields        the same hello-world answering with the nine fields a hit carries, fixed strings
//                                through spin-sdk's response path (what sending them costs, apart from deciding them)
//   hit       GET one cacheable URL on the gateway (rate limit, cache lookup, Cache-Status, RateLimit fields, Via)
//   miss      GET a new URL each time through the gateway to a local origin (cache miss, coalescing, forwarding)
//   origin    the same requests straight to the origin (what the miss adds)
//   intent    POST /api/intent with a short text (the intent API)
//
// Requests/s on a shared machine are noisy; --instructions N adds a repeatable measure: each server runs under
// valgrind's callgrind (code precompiled for a baseline x86-64 CPU, which valgrind emulates) and the instructions it
// executes (user space: runtime + component; not the kernel) while serving N requests of the hello and hit
// scenarios, 4 at a time, are divided by N. The same binary and inputs give the same count to a fraction of a percent.
//
// Instance flags: Spin's defaults (an instance serves at most 128 requests, 16 at once, dropped after 1 s idle), or
// with --wide the flags scripts/serve.sh uses (one long-lived instance per 64 concurrent requests).
// Needs: wrk (scripts/setup.sh installs it), the gateway built by scripts/build.sh; the hello-world component is
// built here.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]?.startsWith("--") || all[i + 1] === undefined ? "true" : all[i + 1]]] : pairs), []),
);
const rounds = Number(args.rounds ?? 3);
const seconds = Number(args.seconds ?? 10);
const connections = Number(args.connections ?? 32);
const flags = args.wide
  ? ["--max-instance-reuse-count", "100000", "--max-instance-concurrent-reuse-count", "64", "--idle-instance-timeout", "300s"]
  : ["--max-instance-reuse-count", "128", "--max-instance-concurrent-reuse-count", "16", "--idle-instance-timeout", "1s"];

const gatewayWasm = join(repo, "target/wasm32-wasip2/release/intent_edge.preinit.wasm");
const helloWasm = join(repo, "target/wasm32-wasip2/release/examples/hello_component.wasm");
if (!existsSync(gatewayWasm)) {
  console.error(`${gatewayWasm} is missing: run bash scripts/build.sh first`);
  process.exit(1);
}
// Built (or found up to date) on every run, so the baseline is never older than its source.
execFileSync("cargo", ["build", "--release", "--quiet", "--target", "wasm32-wasip2", "--example", "hello_component"], { cwd: repo, stdio: "inherit" });

const children = [];
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function up(url) {
  for (let i = 0; i < 200; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`${url} did not come up`);
}

async function start(command, argv, probe) {
  const child = spawn(command, argv, { stdio: ["ignore", "ignore", "inherit"] });
  children.push(child);
  await up(probe);
  return child;
}

/** CPU time (user + system) a process has used, in nanoseconds (Linux /proc). */
function cpuNanos(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1e9 / 100);
}

const originPort = await freePort();
await start("node", [join(repo, "tests/js/test-origin.mjs"), "--port", String(originPort)], `http://127.0.0.1:${originPort}/_hits`);
const origin = `http://127.0.0.1:${originPort}`;

const helloPort = await freePort();
const helloServer = await start("wasmtime", ["serve", "-Scli=y", "--addr", `127.0.0.1:${helloPort}`, ...flags, helloWasm], `http://127.0.0.1:${helloPort}/`);

const gatewayPort = await freePort();
const unlimited = JSON.stringify({ quotas: [{ name: "bench", limit: 1_000_000_000, windowMs: 1000 }] });
const gatewayServer = await start("wasmtime", [
  "serve", "-Scli=y", "--addr", `127.0.0.1:${gatewayPort}`, ...flags,
  "--dir", `${join(repo, "config")}::/config`,
  "--env", `INTENT_EDGE_ORIGIN=${origin}`,
  "--env", `INTENT_EDGE_RATE_LIMIT=${unlimited}`,
  gatewayWasm,
], `http://127.0.0.1:${gatewayPort}/healthz`);
const gateway = `http://127.0.0.1:${gatewayPort}`;

const scripts = mkdtempSync(join(tmpdir(), "intent-edge-bench-"));
// A new URL each request: `n` counts per wrk thread; the thread's address keeps threads apart.
writeFileSync(join(scripts, "unique.lua"), `
local n = 0
local id = tostring({}):sub(8)
request = function()
  n = n + 1
  return wrk.format("GET", "/r?cc=no-store&body=m&t=" .. id .. "&n=" .. n)
end
`);
writeFileSync(join(scripts, "intent.lua"), `
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"text":"send £20 to Zoë please"}'
`);

const hitUrl = "/r?cc=public,max-age=86400&body=hit";
await (await fetch(gateway + hitUrl)).arrayBuffer();

// Each scenario: wrk's target, and the server whose CPU time per request is reported.
const scenarios = {
  hello: [[`http://127.0.0.1:${helloPort}/`], helloServer.pid],
  fields: [[`http://127.0.0.1:${helloPort}/fields`], helloServer.pid],
  hit: [[gateway + hitUrl], gatewayServer.pid],
  miss: [["-s", join(scripts, "unique.lua"), gateway], gatewayServer.pid],
  origin: [["-s", join(scripts, "unique.lua"), origin], null],
  intent: [["-s", join(scripts, "intent.lua"), `${gateway}/api/intent`], gatewayServer.pid],
};

function toMs(text) {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

function wrk(target, pid) {
  const cpuBefore = pid ? cpuNanos(pid) : 0;
  const out = execFileSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", ...target], { encoding: "utf8" });
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const cpuUs = pid ? (cpuNanos(pid) - cpuBefore) / requests / 1000 : NaN;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)[1]);
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)[1]);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: .*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors, cpuUs };
}

const results = Object.fromEntries(Object.keys(scenarios).map((k) => [k, []]));
const ratios = [];
const fieldRatios = [];
for (let round = 1; round <= rounds; round++) {
  for (const [name, [target, pid]] of Object.entries(scenarios)) {
    results[name].push(wrk(target, pid));
    await sleep(1500); // let instances idle out between scenarios, as after a real burst
  }
  const r = results.hit.at(-1).rps / results.hello.at(-1).rps;
  ratios.push(r);
  fieldRatios.push(results.hit.at(-1).rps / results.fields.at(-1).rps);
  console.error(`round ${round}: ${Object.entries(results).map(([k, v]) => `${k} ${v.at(-1).rps.toFixed(0)}/s`).join(", ")}; hit/hello ${(100 * r).toFixed(0)} %, hit/fields ${(100 * fieldRatios.at(-1)).toFixed(0)} %`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const originCalls = Object.entries(await (await fetch(`${origin}/_hits`)).json())
  .filter(([k]) => k === hitUrl)
  .map(([, v]) => v)[0];
console.log(`\n### Gateway under wasmtime serve (${args.wide ? "wide instance flags" : "Spin's default instance model"}), wrk -t2 -c${connections}, ${seconds} s x ${rounds} rounds, medians\n`);
console.log("| scenario | requests/s | p50 ms | p99 ms | server CPU µs/request | non-2xx |");
console.log("|---|---|---|---|---|---|");
for (const [name, runs] of Object.entries(results)) {
  const cpu = median(runs.map((r) => r.cpuUs));
  console.log(`| ${name} | ${median(runs.map((r) => r.rps)).toFixed(0)} | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} | ${Number.isNaN(cpu) ? "–" : cpu.toFixed(1)} | ${runs.reduce((a, r) => a + r.errors, 0)} |`);
}
console.log(`\ncache hit / hello-world: **${(100 * median(ratios)).toFixed(0)} %** (median of per-round ratios: ${ratios.map((r) => (100 * r).toFixed(0) + " %").join(", ")})`);
console.log(`cache hit / hello-world with a hit's nine fields: **${(100 * median(fieldRatios)).toFixed(0)} %** (${fieldRatios.map((r) => (100 * r).toFixed(0) + " %").join(", ")})`);
console.log(`origin calls for the hit URL over the whole run: ${originCalls} (each new instance starts with an empty per-instance cache)`);

if (args.instructions) {
  const n = Number(args.instructions === "true" ? 500 : args.instructions);
  const perRequest = {};
  for (const [name, wasm, path, env] of [
    ["hello", helloWasm, "/", []],
    ["fields", helloWasm, "/fields", []],
    ["hit", gatewayWasm, hitUrl, ["--dir", `${join(repo, "config")}::/config`, "--env", `INTENT_EDGE_ORIGIN=${origin}`, "--env", `INTENT_EDGE_RATE_LIMIT=${unlimited}`]],
  ]) {
    perRequest[name] = await instructionsPerRequest(name, wasm, path, env, n);
  }
  console.log(`\ninstructions per request under callgrind (${n} requests, 4 at a time, ${args.wide ? "wide flags" : "Spin's default instance model"}): ` +
    `hello ${perRequest.hello.toFixed(0)}, hello with nine fields ${perRequest.fields.toFixed(0)}, hit ${perRequest.hit.toFixed(0)}; ` +
    `hello / hit **${(100 * perRequest.hello / perRequest.hit).toFixed(1)} %**, fields / hit **${(100 * perRequest.fields / perRequest.hit).toFixed(1)} %**`);
}
process.exit(0);

/** Instructions executed by `wasmtime serve` (runtime and component) per request, counted by callgrind. */
async function instructionsPerRequest(name, wasm, path, env, n) {
  const cwasm = join(scripts, `${name}.cwasm`);
  execFileSync("wasmtime", ["compile", "--target", "x86_64-unknown-linux-gnu", "-Ccranelift-nehalem", wasm, "-o", cwasm]);
  const out = join(scripts, `callgrind-${name}.out`);
  const port = await freePort();
  const child = spawn("valgrind", [
    "--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${out}`, "--smc-check=all-non-file",
    "wasmtime", "serve", "-Scli=y", "--allow-precompiled", "--addr", `127.0.0.1:${port}`, ...flags, ...env, cwasm,
  ], { stdio: ["ignore", "ignore", "ignore"] });
  children.push(child);
  const url = `http://127.0.0.1:${port}${path}`;
  for (let i = 0; ; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      break;
    } catch (e) {
      if (i > 600) throw e;
      await sleep(200);
    }
  }
  const requests = async (count) => {
    let left = count;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (left-- > 0) await (await fetch(url)).arrayBuffer();
    }));
  };
  await requests(50);
  execFileSync("callgrind_control", ["-i", "on", String(child.pid)]);
  await requests(n);
  execFileSync("callgrind_control", ["-i", "off", String(child.pid)]);
  execFileSync("callgrind_control", ["-d", String(child.pid)]);
  await sleep(1000);
  child.kill("SIGKILL");
  const dumps = readdirSync(scripts).filter((f) => f.startsWith(`callgrind-${name}.out`));
  const total = dumps
    .map((f) => /^totals: (\d+)/m.exec(readFileSync(join(scripts, f), "utf8"))?.[1] ?? 0)
    .reduce((a, b) => a + Number(b), 0);
  return total / n;
}
