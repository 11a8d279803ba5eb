// The package's ResponseCache, RateLimiter and Coalescer through the JavaScript boundary, against what a JavaScript
// developer would otherwise use, on the same keys:
//
//   cache    intent-edge ResponseCache vs lru-cache 11, tiny-lru, a Map used as an exact LRU (delete + set on a
//            hit, drop the oldest key when full) and a Map with a size check (FIFO: a hit does not refresh) — 10,000
//            entries, keys drawn from a Zipf distribution (s = 0.99) over 100,000 URL-like keys, values JS objects:
//              get hits           every key present (the 10,000 most popular), each get refreshes recency
//              gets with sets     the same, and every 1,000th key set again (read-heavy, written now and then)
//              get-or-set replay  1,000,000 draws; a miss sets the key (every exact LRU gets the same hit count,
//                                 which is checked; the FIFO Map's differs and is shown)
//   limiter  RateLimiter.check with the time given (a decision; header strings not read), check reading Date.now()
//            itself, and check + headers, vs a JS sliding log (an array of up to `limit` timestamps per key, what
//            people write by hand: no bounded key table, no headers) — Zipf keys over 10,000 clients
//   coalescer Coalescer.run vs a Map of promises: bursts of 20 callers per key, tasks that resolve at once
//   memory   a 1,000-entry cache of JS objects through 1,000,000 set/evict cycles: wasm memory and JS heap (after
//            gc) before and after
//
// Each measurement is repeated in rounds that run every contender once, back to back, alternating the direction of
// the order (after 2 unrecorded warm-up rounds). On a shared machine the load changes from second to second, and a
// ratio of two adjacent runs is what stays comparable: the table shows each contender's median rate and, for
// intent-edge, the median of the per-round ratios with the middle half of the rounds [25th–75th percentile].
//
// Order matters in one process: the cache built and run first is often much faster on `get` hits than the same cache
// built last (the heap and the JIT's state differ), so the cache measurements run in separate Node processes
// (--processes N, default 5: one per cache contender), process k building and running the contenders in the order
// rotated by k — with 5 processes every contender is first in one, second in one, and so on. Rates and ratios are
// pooled over all rounds of all processes (get hits: 21 rounds of 200,000 gets per process on caches filled once;
// gets with sets: 7 rounds of the same; replay: 7 rounds of 1,000,000 operations per process, a fresh cache each), and a line under each table gives the
// intent-edge ÷ lru-cache median of each process with the contender that process built first. The limiter,
// coalescer and memory parts run in the parent process (11 rounds; their contenders are set up before every run).
// --bounds adds three reference classes to show where the time goes in a cache of this shape (keys in a JS Map to
// slot numbers, values in an array by slot, as the package keeps them). In the get tables only (they never evict):
// "bound: slot Map, no recency" is that lookup alone (the fastest any such cache's get can be), and "bound: + one
// stamp write" adds the least an exact LRU must do per get (write the use into a Float64Array). In every table:
// "bound: Map + list in JS", a complete exact LRU in JavaScript alone with nothing else (no TTL, bytes,
// statistics or checks), the least a replay can cost in this shape.
// Run:   bash bench/engines.sh [--processes 5] [--rounds N] [--quick] [--bounds] [--only cache,limiter,coalescer,memory]
//        (--rounds N: N rounds per process for the replay, 3N for get hits, N for the limiter and coalescer)
// (it builds the package if missing and writes target/bench/engines.txt; or: node --expose-gc bench/engines.mjs).
import { createRequire } from "node:module";
import { readFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { ResponseCache, RateLimiter, Coalescer, wasmMemoryBytes } = require(join(root, "pkg/node/index.cjs"));
const { LRUCache } = require("lru-cache");
const { LRU } = require("tiny-lru");
const versionOf = (name) => JSON.parse(readFileSync(join(root, "bench/node_modules", name, "package.json"), "utf8")).version;
const lruCacheVersion = versionOf("lru-cache");
const tinyLruVersion = versionOf("tiny-lru");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const bounds = args.includes("--bounds");
/** `--only cache,limiter,coalescer,memory` runs those sections alone. */
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : ["cache", "limiter", "coalescer", "memory"];
const option = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
const roundsGiven = option("--rounds");
const rounds = roundsGiven || (quick ? 3 : 11);
/** Rounds per process of the cache measurements. */
const replayRounds = roundsGiven || (quick ? 3 : 7);
const hitRounds = 3 * replayRounds;
/** `--worker k` (internal): run the cache measurements alone, contenders rotated by k, and print the rates as JSON. */
const worker = option("--worker");
const TRACE = quick ? 200_000 : 1_000_000;
const HIT_TRACE = quick ? 100_000 : 200_000;
const CAPACITY = 10_000;
const UNIVERSE = 100_000;

// ---- workload ------------------------------------------------------------------------------------------------
function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** `count` ranks in [0, n) drawn from Zipf(s) by inverse CDF. */
function zipfRanks(n, s, count, seed) {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / Math.pow(i + 1, s);
  const random = xorshift(seed);
  const ranks = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const r = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    ranks[k] = lo;
  }
  return ranks;
}

// Keys are built once (as a server builds each request's key once); the rank order is shuffled so popularity does
// not follow creation order.
const keyOf = Array.from({ length: UNIVERSE }, (_, i) => `GET https://api.example.com/v1/items/${(i * 7919) % UNIVERSE}?fields=summary`);
const replayKeys = worker === undefined ? [] : Array.from(zipfRanks(UNIVERSE, 0.99, TRACE, 7), (r) => keyOf[r]);
const hitKeys = worker === undefined ? [] : Array.from(zipfRanks(CAPACITY, 0.99, HIT_TRACE, 11), (r) => keyOf[r]);
const value = { status: 200, headers: { "content-type": "application/json" }, body: '{"id":1}' };

// ---- contenders ----------------------------------------------------------------------------------------------
/** The LRU a JavaScript developer writes with a Map: insertion order is recency. */
class MapLru {
  constructor(max) {
    this.max = max;
    this.map = new Map();
  }
  get(key) {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key, v) {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }
}

const BOUND_NO_RECENCY = "bound: slot Map, no recency";
const BOUND_STAMP = "bound: + one stamp write";

/** --bounds: the package's get path without its recency (see the header), never evicting; `stamp`: plus one write
 * of a use counter into a Float64Array by slot, the least an exact LRU records per get. */
class SlotMapBound {
  #index = new Map();
  #values = [];
  /** Always false: here only so that a get makes the same check the package's `get` makes before its fast path. */
  #mayExpire = false;
  #stamps = new Float64Array(CAPACITY);
  #clock = 0;
  #stamp;
  constructor(stamp) {
    this.#stamp = stamp;
  }
  get(key) {
    const slot = this.#index.get(key);
    if (slot === undefined) return undefined;
    if (this.#mayExpire) throw new Error("bound classes hold no TTL");
    if (this.#stamp) this.#stamps[slot] = ++this.#clock;
    return this.#values[slot];
  }
  set(key, v) {
    let slot = this.#index.get(key);
    if (slot === undefined) this.#index.set(key, (slot = this.#index.size));
    this.#values[slot] = v;
  }
}

/** A Map with a size check: evicts in insertion order, a hit does not refresh (not an LRU). */
class MapFifo {
  constructor(max) {
    this.max = max;
    this.map = new Map();
  }
  get(key) {
    return this.map.get(key);
  }
  set(key, v) {
    this.map.set(key, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
  }
}

const BOUND_LIST = "bound: Map + list in JS";

/** --bounds: the least an exact LRU of this shape does, in JavaScript alone: keys in a Map to slots, values in an
 * array by slot, recency a doubly linked list in two Uint32Arrays (a get moves its slot to the tail; a set of a new
 * key into a full cache takes the head's slot). No TTL, no byte bound, no statistics, no checks. */
class SlotListBound {
  #index = new Map();
  #keys = [];
  #values = [];
  #next;
  #previous;
  #head = 0;
  #tail = 0;
  #size = 0;
  #max;
  constructor(max) {
    this.#max = max;
    this.#next = new Uint32Array(max);
    this.#previous = new Uint32Array(max);
  }
  get(key) {
    const slot = this.#index.get(key);
    if (slot === undefined) return undefined;
    this.#toTail(slot);
    return this.#values[slot];
  }
  set(key, v) {
    let slot = this.#index.get(key);
    if (slot !== undefined) {
      this.#values[slot] = v;
      this.#toTail(slot);
      return;
    }
    if (this.#size === this.#max) {
      slot = this.#head;
      this.#index.delete(this.#keys[slot]);
      this.#head = this.#next[slot];
    } else {
      slot = this.#size++;
    }
    this.#keys[slot] = key;
    this.#values[slot] = v;
    this.#index.set(key, slot);
    if (this.#size === 1 && slot === 0) this.#head = slot;
    else this.#link(slot);
  }
  #toTail(slot) {
    if (slot === this.#tail) return;
    const previous = this.#previous[slot];
    const next = this.#next[slot];
    if (slot === this.#head) this.#head = next;
    else this.#next[previous] = next;
    this.#previous[next] = previous;
    this.#link(slot);
  }
  #link(slot) {
    this.#previous[slot] = this.#tail;
    this.#next[this.#tail] = slot;
    this.#tail = slot;
  }
}

const evictingCaches = {
  "intent-edge": () => new ResponseCache({ maxEntries: CAPACITY }),
  [`lru-cache ${lruCacheVersion}`]: () => new LRUCache({ max: CAPACITY }),
  [`tiny-lru ${tinyLruVersion}`]: () => new LRU(CAPACITY),
  "Map as exact LRU": () => new MapLru(CAPACITY),
  "Map, size check (FIFO)": () => new MapFifo(CAPACITY),
  ...(bounds ? { [BOUND_LIST]: () => new SlotListBound(CAPACITY) } : {}),
};
/** --bounds: reference classes for the get-hits table only (they never evict, so they have no replay). */
const boundCaches = bounds ? { [BOUND_NO_RECENCY]: () => new SlotMapBound(false), [BOUND_STAMP]: () => new SlotMapBound(true) } : {};
const caches = { ...evictingCaches, ...boundCaches };
const exactLru = (name) => !name.includes("FIFO");
const cacheNames = Object.keys(caches);
/** The contenders of the replay, in the same order as in `cacheNames`. */
const replayNames = Object.keys(evictingCaches);
const processes = option("--processes") || cacheNames.length;
/** The contenders' names rotated by k: the order process k builds and runs them in. */
const rotated = (names, k) => names.map((_, i) => names[(i + k) % names.length]);

// Each contender gets its own copy of each loop (compiled from the same source), so every call site in it sees one
// class: what an application with one cache sees. A loop shared by all four would make the calls polymorphic.
const loop = (body) => new Function("keys", "value", `return (cache) => { let hits = 0; for (let i = 0; i < keys.length; i++) { ${body} } return hits; };`);
const getHitsLoop = loop("if (cache.get(keys[i]) !== undefined) hits++;");
/** Read-heavy: the same gets, and every 1,000th key set again (a cache that is written now and then, no eviction). */
const SET_EVERY = 1000;
const getMostlyLoop = loop(`if (cache.get(keys[i]) !== undefined) hits++; if (i % ${SET_EVERY} === ${SET_EVERY - 1}) cache.set(keys[i], value);`);
const replayLoop = loop("const key = keys[i]; if (cache.get(key) !== undefined) hits++; else cache.set(key, value);");

// ---- measurement ---------------------------------------------------------------------------------------------
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * Runs `warmUp + rounds` rounds; each round runs every contender once (order rotated per round), and records
 * operations per second from the wall clock. Adjacent runs share the machine's load of the moment, so each round's
 * ratio is a fair pair even when the load changes between rounds; warm-up rounds (JIT) are not recorded. `reuse`:
 * each contender's state is set up once (a pre-filled cache); otherwise before every run.
 */
function measure(contenders, operations, { rounds: count = rounds, warmUp = 2, reuse = false, names = Object.keys(contenders) } = {}) {
  const rates = Object.fromEntries(names.map((n) => [n, []]));
  const answers = {};
  const states = reuse ? Object.fromEntries(names.map((n) => [n, contenders[n].setup()])) : {};
  for (let round = 0; round < warmUp + count; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const state = reuse ? states[name] : contenders[name].setup();
      const t0 = process.hrtime.bigint();
      const answer = contenders[name].run(state);
      const ns = Number(process.hrtime.bigint() - t0);
      if (round >= warmUp) rates[name].push(operations / (ns / 1e9));
      answers[name] ??= answer;
      if (answers[name] !== answer) throw new Error(`${name}: round ${round} answered ${answer}, earlier ${answers[name]}`);
    }
  }
  return { rates, answers };
}

const fmt = (rate) => (rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(0)} k/s`);

/** Median rates; for intent-edge against each other contender, the median of the per-round ratios and the middle
 * half of the rounds (25th–75th percentile). */
function report(title, { rates }, baseline) {
  const names = Object.keys(rates);
  const ours = names[0];
  const lines = [`${title}`];
  for (const name of names) {
    let line = `  ${name.padEnd(26)} ${fmt(median(rates[name])).padStart(11)}`;
    if (name !== ours && baseline !== undefined) {
      const ratios = rates[ours].map((r, i) => r / rates[name][i]);
      line += `   intent-edge ÷ this: ${median(ratios).toFixed(2)}× [${percentile(ratios, 0.25).toFixed(2)}–${percentile(ratios, 0.75).toFixed(2)}]`;
    }
    lines.push(line);
  }
  console.log(lines.join("\n"));
  return lines.join("\n");
}

/** The cache measurements of one process (`--worker k`): contenders built and run in the order rotated by k. */
function cacheRates(k) {
  const names = rotated(cacheNames, k);
  // get hits: each contender pre-filled with the 10,000 most popular keys, built in `names` order; then the same
  // with a set every 1,000 gets (each contender pre-filled afresh).
  const preFilled = (runLoop) =>
    Object.fromEntries(
      names.map((name) => [
        name,
        {
          setup: () => {
            const cache = caches[name]();
            for (let i = CAPACITY - 1; i >= 0; i--) cache.set(keyOf[i], value);
            return cache;
          },
          run: runLoop(hitKeys, value),
        },
      ]),
    );
  const hits = measure(preFilled(getHitsLoop), hitKeys.length, { rounds: hitRounds, reuse: true, names });
  for (const [name, count] of Object.entries(hits.answers)) if (count !== hitKeys.length) throw new Error(`${name}: ${count} hits of ${hitKeys.length}`);
  const mostly = measure(preFilled(getMostlyLoop), hitKeys.length, { rounds: replayRounds, reuse: true, names });
  for (const [name, count] of Object.entries(mostly.answers)) if (count !== hitKeys.length) throw new Error(`${name}: ${count} hits of ${hitKeys.length} (with sets)`);
  // get-or-set replay: a fresh cache per round.
  const replayOrder = names.filter((name) => name in evictingCaches);
  const replayContenders = Object.fromEntries(replayOrder.map((name) => [name, { setup: caches[name], run: replayLoop(replayKeys, value) }]));
  const replay = measure(replayContenders, replayKeys.length, { rounds: replayRounds, names: replayOrder });
  return { first: names[0], hits, mostly, replay };
}

if (worker !== undefined) {
  writeSync(1, JSON.stringify(cacheRates(worker)));
  process.exit(0);
}

const out = [];
console.log(
  `Node ${process.version}; cache: ${processes} processes × ${hitRounds} rounds (get hits), × ${replayRounds} rounds (gets with sets; replay), ` +
    `contenders' order rotated per process; limiter and coalescer: ${rounds} rounds; trace ${TRACE.toLocaleString("en")} keys; cache ${CAPACITY.toLocaleString("en")} entries`,
);

if (only.includes("cache")) {
  // One Node process per construction order, one after the other (never two at once: they would share the cores).
  const self = fileURLToPath(import.meta.url);
  const passed = [...(quick ? ["--quick"] : []), ...(bounds ? ["--bounds"] : []), ...(roundsGiven ? ["--rounds", String(roundsGiven)] : [])];
  const runs = [];
  for (let k = 0; k < processes; k++) {
    process.stderr.write(`cache: process ${k + 1} of ${processes}, ${rotated(cacheNames, k)[0]} built and run first\n`);
    const child = spawnSync(process.execPath, [...process.execArgv, self, "--worker", String(k), ...passed], {
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 26,
    });
    if (child.status !== 0) throw new Error(`cache process ${k} failed (status ${child.status}, signal ${child.signal})`);
    runs.push(JSON.parse(child.stdout.toString()));
  }
  // Pool the rounds: the same contender order in every array, so index i stays one round's adjacent runs.
  const pooled = (part) => ({
    rates: Object.fromEntries((part === "replay" ? replayNames : cacheNames).map((name) => [name, runs.flatMap((run) => run[part].rates[name])])),
    answers: runs[0][part].answers,
  });
  const lru = cacheNames[1];
  const byProcess = (part) =>
    `  intent-edge ÷ ${lru} by process (built first): ` +
    runs.map((run) => `${median(run[part].rates[cacheNames[0]].map((r, i) => r / run[part].rates[lru][i])).toFixed(2)}× (${run.first})`).join(", ");

  const hits = pooled("hits");
  for (const run of runs) for (const name of cacheNames) if (run.hits.answers[name] !== hits.answers[name]) throw new Error(`${name}: hit counts differ between processes`);
  out.push(report("cache get, every key present (hits / s)", hits, true));
  console.log(byProcess("hits"));
  out.push(byProcess("hits"));

  const mostly = pooled("mostly");
  out.push(report(`cache get, every key present, and a set every ${SET_EVERY.toLocaleString("en")} gets (gets / s)`, mostly, true));
  console.log(byProcess("mostly"));
  out.push(byProcess("mostly"));

  const replay = pooled("replay");
  for (const run of runs) for (const name of replayNames) if (run.replay.answers[name] !== replay.answers[name]) throw new Error(`${name}: replay hit counts differ between processes`);
  const counts = new Set(Object.entries(replay.answers).filter(([name]) => exactLru(name)).map(([, count]) => count));
  if (counts.size !== 1) throw new Error(`exact LRUs disagree on hits: ${JSON.stringify(replay.answers)}`);
  const ratio = (count) => `${((100 * count) / TRACE).toFixed(1)} %`;
  const fifo = Object.entries(replay.answers).find(([name]) => !exactLru(name))[1];
  out.push(report(`cache get-or-set replay (operations / s; hit ratio ${ratio([...counts][0])} for every exact LRU, ${ratio(fifo)} for the FIFO Map)`, replay, true));
  console.log(byProcess("replay"));
  out.push(byProcess("replay"));
}

// rate limiter
if (only.includes("limiter")) {
  const clients = Array.from({ length: 10_000 }, (_, i) => `203.0.113.${i % 256}:${i}`);
  const clientKeys = Array.from(zipfRanks(clients.length, 0.99, TRACE, 13), (r) => clients[r]);
  const config = { quotas: [{ name: "default", limit: 100, windowMs: 60_000 }], maxKeys: 100_000 };
  const start = Date.now();
  const at = (i) => start + i / 1000; // 1,000 requests per millisecond of simulated time
  const slidingLog = () => {
    const log = new Map();
    return {
      check(key, now) {
        let times = log.get(key);
        if (times === undefined) log.set(key, (times = []));
        while (times.length > 0 && times[0] <= now - 60_000) times.shift();
        if (times.length >= 100) return { allowed: false, remaining: 0, retryAfter: times[0] + 60_000 - now };
        times.push(now);
        return { allowed: true, remaining: 100 - times.length, retryAfter: 0 };
      },
    };
  };
  const countAllowed = (limiter, withHeaders) => {
    let allowed = 0;
    let headerBytes = 0;
    for (let i = 0; i < clientKeys.length; i++) {
      const d = limiter.check(clientKeys[i], { now: at(i) });
      if (d.allowed) allowed++;
      if (withHeaders) headerBytes += d.headers["RateLimit"].length;
    }
    return withHeaders ? `${allowed}/${headerBytes > 0}` : allowed;
  };
  // With the real clock the allowed count depends on when the round ran: count the decisions instead.
  const countAllowedNow = (limiter) => {
    let decided = 0;
    for (let i = 0; i < clientKeys.length; i++) if (limiter.check(clientKeys[i]).remaining >= 0) decided++;
    return decided;
  };
  const contenders = {
    "intent-edge check": { setup: () => new RateLimiter(config), run: (l) => countAllowed(l, false) },
    "  check, reading Date.now()": { setup: () => new RateLimiter(config), run: countAllowedNow },
    "  check + headers": { setup: () => new RateLimiter(config), run: (l) => countAllowed(l, true) },
    "JS sliding log": {
      setup: slidingLog,
      run: (l) => {
        let allowed = 0;
        for (let i = 0; i < clientKeys.length; i++) if (l.check(clientKeys[i], at(i)).allowed) allowed++;
        return allowed;
      },
    },
  };
  out.push(report("rate limiter decisions / s (Zipf keys over 10,000 clients, 100 per minute each)", measure(contenders, clientKeys.length)));
}

// coalescer: bursts of 20 identical calls per key, the task resolving at once.
if (only.includes("coalescer")) {
  const BURSTS = quick ? 10_000 : 50_000;
  const burstKeys = Array.from({ length: BURSTS }, (_, i) => `GET https://api.example.com/v1/slow/${i}`);
  const task = () => Promise.resolve(value);
  const mapOfPromises = () => {
    const inFlight = new Map();
    return {
      run(key, job) {
        let p = inFlight.get(key);
        if (p === undefined) {
          p = Promise.resolve()
            .then(job)
            .finally(() => inFlight.delete(key));
          inFlight.set(key, p);
        }
        return p;
      },
    };
  };
  const bursts = async (coalescer) => {
    let calls = 0;
    const counted = () => {
      calls++;
      return task();
    };
    for (let b = 0; b < burstKeys.length; b += 100) {
      const waiters = [];
      for (let k = b; k < b + 100 && k < burstKeys.length; k++) for (let c = 0; c < 20; c++) waiters.push(coalescer.run(burstKeys[k], counted));
      await Promise.all(waiters);
    }
    return calls;
  };
  const names = ["intent-edge Coalescer", "Map of promises"];
  const makers = [() => new Coalescer(), mapOfPromises];
  const perCall = { [names[0]]: [], [names[1]]: [] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const coalescer = makers[i]();
      const t0 = process.hrtime.bigint();
      const calls = await bursts(coalescer);
      const ns = Number(process.hrtime.bigint() - t0);
      if (calls !== burstKeys.length) throw new Error(`${names[i]}: ${calls} upstream calls for ${burstKeys.length} bursts`);
      perCall[names[i]].push(ns / (burstKeys.length * 20));
    }
  }
  const lines = ["coalescer, bursts of 20 identical calls (ns per call, including awaiting the shared promise)"];
  for (const name of names) lines.push(`  ${name.padEnd(26)} ${median(perCall[name]).toFixed(0).padStart(7)} ns`);
  const overhead = perCall[names[0]].map((ns, i) => ns - perCall[names[1]][i]);
  lines.push(`  overhead of intent-edge    ${median(overhead).toFixed(0).padStart(7)} ns per call (median of rounds)`);
  console.log(lines.join("\n"));
  out.push(lines.join("\n"));
}

// memory: a 1,000-entry cache of JS objects through 1,000,000 set/evict cycles.
if (!only.includes("memory")) {
  // skipped
} else if (globalThis.gc) {
  const CYCLES = quick ? 200_000 : 1_000_000;
  const heap = () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  const cache = new ResponseCache({ maxEntries: 1_000 });
  for (let i = 0; i < 10_000; i++) cache.set(`warm-${i}`, { i, payload: "x".repeat(100) });
  const [heap0, wasm0] = [heap(), wasmMemoryBytes()];
  let evicted = 0;
  for (let i = 0; i < CYCLES; i++) evicted += cache.set(`key-${i}`, { i, payload: "x".repeat(100) });
  const [heap1, wasm1] = [heap(), wasmMemoryBytes()];
  const line = `memory: 1,000-entry cache, ${CYCLES.toLocaleString("en")} set/evict cycles (${evicted.toLocaleString("en")} evictions): wasm memory ${wasm0} → ${wasm1} bytes, JS heap after gc ${(heap0 / 1e6).toFixed(2)} → ${(heap1 / 1e6).toFixed(2)} MB`;
  console.log(line);
  out.push(line);
  cache.free();
} else {
  console.log("memory: skipped (run with node --expose-gc)");
}

export const text = out.join("\n");
