// The shared store's price and what it buys: the gateway with the `redis` store next to the same gateway with the
// `memory` store, on the same load, under `wasmtime serve` with Spin's default instance model (an instance serves at
// most 128 requests, 16 at once, and is dropped after 1 s idle), in interleaved rounds; medians.
//
//   node bench/store.mjs [--rounds 3] [--seconds 6] [--connections 32]
//
// Scenarios (wrk -t2, one client address, a quota far above the load so every request is admitted):
//   decision  GET /r?cc=no-store: a limiter decision, then forwarded to a local origin and not stored
//   hit       GET one cacheable URL: a limiter decision and a cache hit (from the instance, or from Redis when the
//             instance is new)
// and, with one client against 100 per hour, how many requests over the limit each store admits at concurrency
// 16, 32 and 64 (300 requests; goal 0), and the Redis round trips per request (counted by a RESP-reading TCP relay
// between a third gateway and Redis, in a separate pass: the relay's own latency stays out of the timed rounds).
// Needs wrk and redis-server (scripts/setup.sh installs both) and the gateway built by scripts/build.sh.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer, connect } from "node:net";
import { freePort, startEdge, startRedis, startTestOrigin } from "../tests/js/servers.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const rounds = Number(args.rounds ?? 3);
const seconds = Number(args.seconds ?? 6);
const connections = Number(args.connections ?? 32);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP relay to Redis that counts the commands (RESP arrays) clients send through it. */
async function countingRelay(target) {
  const counter = { commands: 0 };
  const server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    let pending = Buffer.alloc(0);
    client.on("data", (chunk) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // Consume whole commands: *N\r\n then N bulk strings $L\r\n<L bytes>\r\n.
      for (;;) {
        let at = 0;
        const line = () => {
          const end = pending.indexOf("\r\n", at);
          if (end < 0) return null;
          const text = pending.toString("latin1", at, end);
          at = end + 2;
          return text;
        };
        const head = line();
        if (head === null || head[0] !== "*") break;
        let complete = true;
        for (let i = 0; i < Number(head.slice(1)); i++) {
          const len = line();
          if (len === null || at + Number(len.slice(1)) + 2 > pending.length) { complete = false; break; }
          at += Number(len.slice(1)) + 2;
        }
        if (!complete) break;
        counter.commands++;
        pending = pending.subarray(at);
      }
    });
    upstream.on("data", (d) => client.write(d));
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { port, counter };
}

// The servers of the end-to-end tests (tests/js/servers.mjs): a redis-server of its own, the programmable origin,
// and the component under `wasmtime serve` with Spin's default instance flags.
const [redis, testOrigin] = await Promise.all([startRedis(), startTestOrigin()]);
const origin = testOrigin.url;
let gatewaysStarted = 0;

async function gateway(store, limit, viaPort = redis.port) {
  const env = {
    INTENT_EDGE_ORIGIN: origin,
    INTENT_EDGE_RATE_LIMIT: JSON.stringify({ quotas: [{ name: "hour", limit, windowMs: 3_600_000 }] }),
    INTENT_EDGE_STORE: store === "redis" ? `redis://127.0.0.1:${viaPort}` : "memory",
    INTENT_EDGE_STORE_PREFIX: `bench-${++gatewaysStarted}:`,
  };
  return startEdge({ env, extraArgs: ["-S", "inherit-network=y"] });
}

const toMs = (s) => (s.endsWith("us") ? parseFloat(s) / 1000 : s.endsWith("ms") ? parseFloat(s) : parseFloat(s) * 1000);
// Asynchronous, so the counting relay in this process keeps relaying while wrk runs.
async function wrk(url) {
  const { stdout: out } = await promisify(execFile)("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "-H", "x-forwarded-for: 192.0.2.200", url], { encoding: "utf8" });
  return {
    requests: Number(/(\d+) requests in/.exec(out)[1]),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: toMs(/\s50%\s+(\S+)/.exec(out)[1]),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)[1]),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
  };
}

const stores = ["memory", "redis"];
const gateways = Object.fromEntries(await Promise.all(stores.map(async (s) => [s, await gateway(s, 100_000_000)])));
const paths = { decision: "/r?cc=no-store", hit: "/r?cc=public%2C%20max-age%3D600&body=bench" };
const results = {};
for (let round = 1; round <= rounds; round++) {
  for (const [scenario, path] of Object.entries(paths)) {
    for (const store of round % 2 ? stores : [...stores].reverse()) {
      const r = await wrk(gateways[store].url + path);
      (results[`${scenario} ${store}`] ??= []).push(r);
      await sleep(1200);
    }
  }
  console.error(`round ${round}: ${Object.entries(results).map(([k, v]) => `${k} ${v.at(-1).rps.toFixed(0)}/s`).join(", ")}`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Round trips per request: the same load through the counting relay.
const relay = await countingRelay(redis.port);
const counted = await gateway("redis", 100_000_000, relay.port);
const roundTrips = {};
for (const [scenario, path] of Object.entries(paths)) {
  const before = relay.counter.commands;
  const r = await wrk(counted.url + path + "&counted=1");
  roundTrips[scenario] = (relay.counter.commands - before) / r.requests;
  await sleep(1200);
}

console.log(`\n### Gateway with the redis store vs the memory store (wasmtime serve, Spin's default instance model; wrk -t2 -c${connections}, ${seconds} s x ${rounds} rounds, medians)\n`);
console.log("| scenario | store | requests/s | p50 ms | p99 ms | Redis round trips/request | non-2xx | redis/memory requests/s |");
console.log("|---|---|---|---|---|---|---|---|");
for (const scenario of Object.keys(paths)) {
  const memoryRps = median(results[`${scenario} memory`].map((r) => r.rps));
  for (const store of stores) {
    const rs = results[`${scenario} ${store}`];
    const rps = median(rs.map((r) => r.rps));
    console.log(`| ${scenario} | ${store} | ${rps.toFixed(0)} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.p99)).toFixed(2)} | ${store === "redis" ? roundTrips[scenario].toFixed(3) : "-"} | ${median(rs.map((r) => r.errors))} | ${store === "redis" ? (rps / memoryRps).toFixed(2) : ""} |`);
  }
}

// Over-admission: one client, 100 per hour, 300 requests at each concurrency, on a fresh gateway per run.
console.log("\n### Over-admission: one client against 100 per hour, 300 requests (admitted beyond 100; goal 0)\n");
console.log("| concurrency | memory store | redis store |");
console.log("|---|---|---|");
for (const concurrency of [16, 32, 64]) {
  const row = [];
  for (const store of stores) {
    const gw = await gateway(store, 100);
    let next = 0;
    let admitted = 0;
    const client = `198.51.100.${concurrency}`;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < 300) {
        next++;
        const res = await fetch(`${gw.url}/r?cc=no-store`, { headers: { "x-forwarded-for": client } });
        await res.arrayBuffer();
        if (res.status === 200) admitted++;
      }
    }));
    row.push(admitted - 100);
    await gw.stop();
  }
  console.log(`| ${concurrency} | ${row[0]} | ${row[1]} |`);
}
process.exit(0);
