// The demo page: everything below runs on the browser package (wasm-pack --target web), served from /pkg/.
import init, { IntentMatcher, Coalescer, ResponseCache, RateLimiter } from "./pkg/intent_edge.js";

const $ = (selector) => document.querySelector(selector);
const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** The text with the match span and slot spans marked, using the UTF-16 offsets JavaScript strings index by. */
function highlight(text, match) {
  if (!match) return escapeHtml(text);
  const marks = [{ start: match.span.startUtf16, end: match.span.endUtf16, cls: "" }];
  const slots = match.slots.map((s) => ({ start: s.span.startUtf16, end: s.span.endUtf16, cls: "slot", name: s.name }));
  let html = "";
  let pos = 0;
  const whole = marks[0];
  html += escapeHtml(text.slice(0, whole.start));
  html += "<mark>";
  pos = whole.start;
  for (const s of slots.sort((a, b) => a.start - b.start)) {
    if (s.start < pos) continue;
    html += escapeHtml(text.slice(pos, s.start));
    html += `<mark class="slot" title="${escapeHtml(s.name)}">${escapeHtml(text.slice(s.start, s.end))}</mark>`;
    pos = s.end;
  }
  html += escapeHtml(text.slice(pos, whole.end)) + "</mark>" + escapeHtml(text.slice(whole.end));
  return html;
}

async function setupIntents() {
  // The set precompiled by scripts/build.sh (intent-edge compile): loaded, not compiled — the browser package has
  // no regex compiler, which is what keeps its .wasm small.
  const precompiled = await fetch("/pkg/intents.iedge");
  if (!precompiled.ok) throw new Error(`/pkg/intents.iedge: HTTP ${precompiled.status} (run scripts/build.sh)`);
  const matcher = IntentMatcher.fromBytes(new Uint8Array(await precompiled.arrayBuffer()));
  let edgeTimer;
  const render = () => {
    const text = $("#text").value;
    const t0 = performance.now();
    let best;
    let all;
    try {
      best = matcher.match(text);
      all = matcher.matchAll(text);
    } catch (e) {
      $("#intent").textContent = `error: ${e.message}`;
      return;
    }
    const micros = (performance.now() - t0) * 1000;
    $("#match-time").textContent = `matched in the page in ${micros < 1000 ? micros.toFixed(0) + " µs" : (micros / 1000).toFixed(2) + " ms"}`;
    $("#intent").textContent = best ? best.intent : "none";
    $("#highlight").innerHTML = highlight(text, best);
    $("#slots tbody").innerHTML = (best?.slots ?? [])
      .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.value)}</td><td>${s.span.startUtf16}–${s.span.endUtf16}</td></tr>`)
      .join("");
    $("#all").textContent = all.map((m) => `${m.intent} (priority ${m.priority})`).join(", ") || "—";
    clearTimeout(edgeTimer);
    edgeTimer = setTimeout(async () => {
      const res = await fetch("/api/intent", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
      const body = await res.json();
      $("#edge-intent").textContent = res.ok ? `${body.intent ?? "none"} (HTTP ${res.status}, ${res.headers.get("server-timing") ?? ""})` : `HTTP ${res.status}: ${body.detail}`;
    }, 250);
  };
  $("#text").addEventListener("input", render);
  render();
}

function setupCoalescing() {
  const coalescer = new Coalescer();
  $("#burst").addEventListener("click", async () => {
    let networkRequests = 0;
    const url = `/demo/slow?ms=600&burst=${Date.now()}`;
    const key = Coalescer.requestKey({ method: "GET", url });
    const task = async () => {
      networkRequests++;
      const res = await fetch(url);
      return res.json();
    };
    $("#burst-result").textContent = "in flight…";
    const results = await Promise.all(Array.from({ length: 20 }, () => coalescer.run(key, task)));
    const distinct = new Set(results.map((r) => r.originRequest)).size;
    $("#burst-result").textContent = `20 callers → ${networkRequests} network request (${distinct} distinct response)`;
  });
  $("#edge-burst").addEventListener("click", async () => {
    const url = `/demo/slow?ms=600&edge=${Date.now()}`;
    $("#edge-burst-result").textContent = "in flight…";
    // no-store: skip the browser HTTP cache, whose per-URL lock would otherwise send identical GETs one at a time.
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(url, { cache: "no-store" })));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    const joined = responses.filter((r) => r.headers.get("x-intent-edge-coalesced") === "joined").length;
    const originCalls = new Set(bodies.map((b) => b.originRequest)).size;
    $("#edge-burst-result").textContent = `20 fetches → ${originCalls} origin calls at the gateway (${joined} joined a flight in progress)`;
  });
}

function setupCache() {
  const cache = new ResponseCache({ maxEntries: 3, maxBytes: 64 * 1024, defaultTtlMs: 10_000 });
  const show = () => {
    const s = cache.stats();
    $("#cache-stats").textContent =
      `hits ${s.hits} · misses ${s.misses} · hit ratio ${(s.hitRatio * 100).toFixed(0)}% · entries ${s.entries} · evictions ${s.evictions} · expirations ${s.expirations}`;
    $("#cache-ratio-bar").style.width = `${s.hitRatio * 100}%`;
  };
  for (const button of document.querySelectorAll(".cache-fetch")) {
    button.addEventListener("click", async () => {
      const url = `/demo/cached?ttl=30&item=${button.dataset.id}`;
      let value = cache.get(url);
      let source = "page cache hit";
      if (value === undefined) {
        const res = await fetch(url);
        value = await res.json();
        cache.set(url, value);
        source = `network (gateway cache: ${res.headers.get("x-intent-edge-cache") ?? "n/a"})`;
      }
      $("#cache-last").textContent = `item ${button.dataset.id}: ${source}; served by origin request #${value.originRequest}`;
      show();
    });
  }
  show();
}

function setupLimiter() {
  const limiter = new RateLimiter({ quotas: [{ name: "demo", limit: 5, windowMs: 10_000 }] });
  const show = (d) => {
    $("#limit-state").textContent = d.allowed
      ? `allowed · ${d.remaining} left · full again in ${(d.reset / 1000).toFixed(1)} s`
      : `denied (${d.reason}) · retry in ${(d.retryAfter / 1000).toFixed(1)} s`;
    $("#limit-bar").style.width = `${(d.remaining / 5) * 100}%`;
    $("#limit-headers").textContent =
      `RateLimit-Policy: ${d.headers["RateLimit-Policy"]}\nRateLimit: ${d.headers["RateLimit"]}` +
      (d.headers["Retry-After"] ? `\nRetry-After: ${d.headers["Retry-After"]}` : "");
  };
  $("#limit-send").addEventListener("click", () => show(limiter.check("this-page")));
  show(limiter.peek("this-page"));
}

try {
  await init();
  await setupIntents();
  setupCoalescing();
  setupCache();
  setupLimiter();
  $("#status").textContent = "ready";
  $("#status").classList.add("ready");
} catch (e) {
  $("#status").textContent = `failed: ${e.message}`;
  $("#status").classList.add("error");
  throw e;
}
