// Coalescing: a burst of identical requests, fired at the edge gateway (which coalesces them before its origin) and
// through the in-page Coalescer. Served by `scripts/serve.sh` the page sits behind the gateway, whose responses carry
// `RateLimit-Policy`; served any other way there is no gateway, and a simulated slow origin (600 ms) stands in.
import { Coalescer } from "./pkg/index.js";
import { formatCount } from "./format.js";

const $ = (selector) => document.querySelector(selector);
let gateway = false;
let simulatedCalls = 0;

/** A stand-in for /demo/slow when there is no gateway: answers after `ms`, numbering each call as the origin does. */
const simulatedSlow = (ms) =>
  new Promise((resolve) => setTimeout(() => resolve({ originRequest: ++simulatedCalls, simulated: true }), ms));

async function slowRequest(url) {
  if (!gateway) return simulatedSlow(600);
  // no-store: skip the browser's HTTP cache, whose per-URL lock would otherwise send identical GETs one at a time.
  // Fetch then adds `Cache-Control: no-cache` (ask every cache, the gateway's included, to go to the origin) unless
  // the request already has the header: a harmless directive keeps the requests eligible for coalescing.
  const response = await fetch(url, { cache: "no-store", headers: { "cache-control": "no-transform", pragma: "no-transform" } });
  // A request that waited for another's origin call says so in its Cache-Status (RFC 9211: `collapsed`).
  const collapsed = /;\s*collapsed\b/.test(response.headers.get("cache-status") ?? "");
  return { body: await response.json(), collapsed };
}

const burstSize = () => Math.max(2, Math.min(50, Number($("#burst-size").value) || 20));

async function edgeBurst() {
  const n = burstSize();
  const path = `/demo/slow?ms=600&burst=${Date.now()}`;
  $("#edge-burst-result").textContent = "in flight…";
  if (!gateway) {
    const before = simulatedCalls;
    await Promise.all(Array.from({ length: n }, () => simulatedSlow(600)));
    $("#edge-burst-result").textContent = `${n} requests → ${simulatedCalls - before} origin calls (no gateway in front of this page: a simulated origin answered each one)`;
    return;
  }
  const answers = await Promise.all(Array.from({ length: n }, () => slowRequest(path)));
  const originCalls = new Set(answers.map((a) => a.body.originRequest)).size;
  const joined = answers.filter((a) => a.collapsed).length;
  // The origin's own count for this URL (the demo origin counts every request that reached it).
  let originCount = "";
  const hits = await fetch("/origin/hits", { cache: "no-store" });
  if (hits.ok) originCount = ` (the origin counted ${(await hits.json())[path] ?? 0})`;
  const result = $("#edge-burst-result");
  result.dataset.requests = String(n);
  result.dataset.originCalls = String(originCalls);
  result.textContent = `${n} requests → ${originCalls} reached the origin${originCount}` + (joined ? `; ${joined} waited for another's call (Cache-Status: collapsed)` : "");
}

async function pageBurst() {
  const n = burstSize();
  const coalescer = new Coalescer();
  const path = `/demo/slow?ms=600&page=${Date.now()}`;
  let networkRequests = 0;
  const task = async () => {
    networkRequests++;
    const answer = await slowRequest(path);
    return answer.body ?? answer;
  };
  $("#burst-result").textContent = "in flight…";
  const results = await Promise.all(Array.from({ length: n }, () => coalescer.run(path, task)));
  const distinct = new Set(results.map((r) => r.originRequest)).size;
  const { led, joined } = coalescer.stats();
  coalescer.free();
  $("#burst-result").textContent = `${n} callers → ${networkRequests} network request (${distinct} distinct response; Coalescer stats: led ${led}, joined ${formatCount(joined)})`;
}

export async function setupCoalescing() {
  // Any small file will do: its response headers say whether the gateway handled it.
  const response = await fetch("format.js", { cache: "no-store" });
  await response.text();
  gateway = response.headers.has("ratelimit-policy");
  $("#gateway-note").textContent = gateway
    ? "This page came through the intent-edge gateway: the first button goes through it to the demo origin."
    : "This page did not come through the intent-edge gateway (no RateLimit-Policy header): a simulated origin stands in.";
  const onClick = (button, output, action) =>
    $(button).addEventListener("click", () => action().catch((e) => ($(output).textContent = `failed: ${e.message}`)));
  onClick("#edge-burst", "#edge-burst-result", edgeBurst);
  onClick("#burst", "#burst-result", pageBurst);
}
