// Starts real servers on 127.0.0.1 for the end-to-end tests: the edge component under `wasmtime serve` and the demo
// origin (scripts/origin.mjs). Every server is killed when the test process exits.
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { repo } from "./corpus.mjs";

/** The component as built (loads its set on first use) and pre-initialized (starts with it loaded): scripts/build.sh. */
export const plainComponent = join(repo, "target", "wasm32-wasip2", "release", "intent_edge.wasm");
export const component = join(repo, "target", "wasm32-wasip2", "release", "intent_edge.preinit.wasm");
const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitFor(url, deadlineMs = 60_000) {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch (e) {
      if (Date.now() - started > deadlineMs) throw new Error(`${url} did not come up: ${e.message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function track(child, name) {
  children.add(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  child.on("exit", () => children.delete(child));
  return {
    child,
    output: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    }),
    name,
  };
}

/** Spin's default instance model: an instance serves at most 128 requests, 16 at once, and goes after 1 s idle. */
export const SPIN_INSTANCE_DEFAULTS = {
  "--max-instance-reuse-count": "128",
  "--max-instance-concurrent-reuse-count": "16",
  "--idle-instance-timeout": "1s",
};

/**
 * `wasmtime serve` with the component (the pre-initialized one unless `wasm` says otherwise) under Spin's default
 * instance model (`instance` overrides a flag); `dirs` maps host directories to guest paths, `env` sets variables.
 */
export async function startEdge({ dirs = {}, env = {}, extraArgs = [], instance = {}, wasm = component } = {}) {
  const port = await freePort();
  // Instance flags given in extraArgs override the defaults too (a flag may appear only once).
  const overrides = { ...instance };
  const rest = [];
  for (let i = 0; i < extraArgs.length; i++) {
    if (extraArgs[i] in SPIN_INSTANCE_DEFAULTS) overrides[extraArgs[i]] = extraArgs[++i];
    else rest.push(extraArgs[i]);
  }
  const flags = Object.entries({ ...SPIN_INSTANCE_DEFAULTS, ...overrides }).flat();
  const args = ["serve", "-Scli=y", "--addr", `127.0.0.1:${port}`, ...flags, ...rest];
  for (const [host, guest] of Object.entries(dirs)) args.push("--dir", `${host}::${guest}`);
  for (const [k, v] of Object.entries(env)) args.push("--env", `${k}=${v}`);
  args.push(wasm);
  const startedAt = performance.now();
  const server = track(spawn("wasmtime", args, { stdio: ["ignore", "pipe", "pipe"] }), "edge");
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/metrics`);
  return { ...server, url, port, startedAt };
}

/** The programmable test origin (tests/js/test-origin.mjs). */
export async function startTestOrigin() {
  const port = await freePort();
  const server = track(spawn("node", [join(repo, "tests", "js", "test-origin.mjs"), "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] }), "test-origin");
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/_hits`);
  return { ...server, url, port };
}

/** The demo origin (scripts/origin.mjs). */
export async function startOrigin() {
  const port = await freePort();
  const server = track(spawn("node", [join(repo, "scripts", "origin.mjs"), "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] }), "origin");
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/origin/hits`);
  return { ...server, url, port };
}

/**
 * A `redis-server` of the test's own on a free 127.0.0.1 port (or `port`), no persistence, memory bounded as the
 * README recommends. `stop()` shuts it down (its data goes with it); start it again on the same port to model a
 * restart.
 */
export async function startRedis({ port, args = [] } = {}) {
  port ??= await freePort();
  const child = spawn("redis-server", [
    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru", "--enable-debug-command", "local", ...args,
  ], { stdio: ["ignore", "pipe", "pipe"] });
  const server = track(child, "redis");
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${server.output()}`);
    try {
      await redisCommand(port, ["PING"]).catch((e) => { if (!/NOAUTH/.test(e.message)) throw e; });
      break;
    } catch (e) {
      if (Date.now() - started > 10_000) throw new Error(`redis-server on ${port} did not come up: ${e.message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { ...server, port, url: `redis://127.0.0.1:${port}`, command: (command) => redisCommand(port, command) };
}

/** One command to Redis on `port` (RESP2 written and read by hand: the tests check the gateway, not a client). */
export function redisCommand(port, args) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setTimeout(10_000, () => { socket.destroy(); reject(new Error("redis timed out")); });
    socket.on("error", reject);
    socket.on("data", (d) => {
      data += d;
      if (data.endsWith("\r\n")) {
        socket.end();
        if (data.startsWith("-")) reject(new Error(data.trim()));
        else resolve(data);
      }
    });
    socket.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join(""));
  });
}
