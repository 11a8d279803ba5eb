// Cache and rate limiter, live: a stream of requests the visitor controls (rate, key spread, cache capacity and TTL,
// the limiter's quota and burst). Every 100 ms the page makes that slice's requests, spread evenly over the slice:
// each asks the RateLimiter for one client's budget and, if allowed, looks its key up in the ResponseCache (a miss
// stores it). Two canvases plot the last 30 s: the cache hit ratio, and the limiter's remaining budget with a mark
// at each moment of denial.
import { ResponseCache, RateLimiter } from "./pkg/index.js";
import { TimePlot } from "./plot.js";
import { formatCount } from "./format.js";

const $ = (selector) => document.querySelector(selector);
const TICK_MS = 100;
const WINDOW_MS = 30_000;
const CLIENT = "visitor";

const control = (id) => Number($(`#${id}`).value);

let cache;
let limiter;
let zipf;
let running = true;
let pending = 0;
let lastTick = 0;
let timer;
const history = { perSecond: [], cumulative: [], remaining: [], denials: [] };
let second = { start: 0, hits: 0, misses: 0 };
let samples = 0;

function buildCache() {
  cache?.free();
  const ttl = control("ttl");
  cache = new ResponseCache({ maxEntries: control("capacity"), ...(ttl > 0 ? { defaultTtlMs: ttl } : {}) });
}

function buildLimiter() {
  limiter?.free();
  limiter = new RateLimiter({ quotas: [{ name: "visitor", limit: control("quota"), windowMs: 10_000, burst: control("burst-quota") }] });
}

/** Cumulative weights of Zipf(1) over `n` keys, for drawing keys by inverse CDF. */
function buildZipf() {
  const n = control("spread");
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cdf[i] = total += 1 / (i + 1);
  zipf = { cdf, total };
}

function drawKey() {
  const r = Math.random() * zipf.total;
  let lo = 0;
  let hi = zipf.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (zipf.cdf[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return `GET /items/${lo}`;
}

function tick() {
  const now = Date.now();
  const elapsed = Math.min(now - lastTick, 1000);
  lastTick = now;
  if (!running) return;
  pending += (control("rate") * elapsed) / 1000;
  const count = Math.floor(pending);
  pending -= count;
  let deniedHere = false;
  for (let i = 0; i < count; i++) {
    const at = now - elapsed + ((i + 1) * elapsed) / count;
    const decision = limiter.check(CLIENT, { now: at });
    if (!decision.allowed) {
      if (!deniedHere) history.denials.push(at);
      deniedHere = true;
      continue;
    }
    const key = drawKey();
    if (cache.get(key, at) === undefined) {
      second.misses++;
      cache.set(key, { key, storedAt: at }, undefined, at);
    } else {
      second.hits++;
    }
  }
  if (now - second.start >= 1000) {
    const lookups = second.hits + second.misses;
    if (lookups > 0) history.perSecond.push([now, second.hits / lookups]);
    second = { start: now, hits: 0, misses: 0 };
  }
  const stats = cache.stats();
  history.cumulative.push([now, stats.hitRatio]);
  const state = limiter.peek(CLIENT, now);
  history.remaining.push([now, state.remaining]);
  for (const list of Object.values(history)) {
    while (list.length > 0 && (Array.isArray(list[0]) ? list[0][0] : list[0]) < now - WINDOW_MS) list.shift();
  }
  samples++;
  draw(now, stats, state);
}

let cachePlot;
let limitPlot;

function draw(now, stats, state) {
  cachePlot.draw(now, [
    { kind: "bars", color: "#9fc3f0", points: history.perSecond },
    { kind: "line", color: "#1f5fbf", points: history.cumulative },
  ]);
  limitPlot.draw(now, [{ kind: "line", color: "#2e7d32", points: history.remaining }], { color: "#c62828", times: history.denials });
  const limits = limiter.stats();
  for (const canvas of [cachePlot.canvas, limitPlot.canvas]) canvas.dataset.samples = String(samples);
  cachePlot.canvas.setAttribute("aria-label", `Cache hit ratio over the last 30 seconds: now ${(stats.hitRatio * 100).toFixed(0)} % since the start`);
  limitPlot.canvas.setAttribute("aria-label", `Rate limiter budget over the last 30 seconds: ${state.remaining} remaining, ${limits.denied} denied so far`);
  $("#live-stats").textContent =
    `cache    hits ${formatCount(stats.hits)} · misses ${formatCount(stats.misses)} · hit ratio ${(stats.hitRatio * 100).toFixed(1)} % · ` +
    `entries ${formatCount(stats.entries)} · evictions ${formatCount(stats.evictions)} · expirations ${formatCount(stats.expirations)}\n` +
    `limiter  allowed ${formatCount(limits.allowed)} · denied ${formatCount(limits.denied)} · remaining ${formatCount(state.remaining)} · ` +
    `RateLimit: ${state.headers["RateLimit"]}`;
}

function showValues() {
  for (const id of ["rate", "spread", "capacity", "ttl", "quota", "burst-quota"]) $(`#${id}-out`).value = formatCount(control(id));
}

function setRunning(on) {
  running = on;
  lastTick = Date.now();
  $("#stream-toggle").textContent = on ? "Pause" : "Resume";
  $("#stream-toggle").setAttribute("aria-pressed", String(on));
}

export function setupLive() {
  cachePlot = new TimePlot($("#cache-plot"), {
    windowMs: WINDOW_MS,
    yMax: () => 1,
    yTicks: () => [0, 0.5, 1],
    yFormat: (v) => `${(v * 100).toFixed(0)} %`,
  });
  limitPlot = new TimePlot($("#limit-plot"), {
    windowMs: WINDOW_MS,
    yMax: () => Math.max(1, control("burst-quota")),
    yTicks: (max) => [0, Math.round(max / 2), max],
    yFormat: (v) => formatCount(v),
  });
  buildCache();
  buildLimiter();
  buildZipf();
  showValues();
  $("#stream-form").addEventListener("submit", (e) => e.preventDefault());
  for (const id of ["capacity", "ttl"]) $(`#${id}`).addEventListener("change", buildCache);
  for (const id of ["quota", "burst-quota"]) $(`#${id}`).addEventListener("change", buildLimiter);
  $("#spread").addEventListener("change", buildZipf);
  $("#stream-form").addEventListener("input", showValues);
  $("#stream-toggle").addEventListener("click", () => setRunning(!running));
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) clearInterval(timer);
    else {
      lastTick = Date.now();
      timer = setInterval(tick, TICK_MS);
    }
  });
  second.start = lastTick = Date.now();
  timer = setInterval(tick, TICK_MS);
}
