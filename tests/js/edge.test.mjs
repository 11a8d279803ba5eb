// The edge component under a real Wasm HTTP runtime (`wasmtime serve`, Spin's default instance model), driven by
// real HTTP requests on 127.0.0.1: the intent API against the behaviour corpus and BANKING77, every error as
// problem+json. The gateway in front of an origin is tested in gateway.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repo, corpus, intentSetOf, caseText, banking77 } from "./corpus.mjs";
import { problem } from "./problem.mjs";
import { startEdge, plainComponent } from "./servers.mjs";
import { execFileSync } from "node:child_process";

const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const utf16 = (text, span) => text.slice(span.startUtf16, span.endUtf16);

let edge;
before(async () => {
  edge = await startEdge({
    dirs: { [join(repo, "config")]: "/config", [join(repo, "www")]: "/www" },
    env: { INTENT_EDGE_MAX_BODY_BYTES: "16384", INTENT_EDGE_MAX_BATCH: "50" },
  });
});
after(() => edge?.stop());

test("GET /healthz reports the loaded intent set", async () => {
  const res = await fetch(`${edge.url}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: "ok", intents: 8, patterns: 12, preinitialized: true });
});

test("POST /api/intent answers the assistant corpus (single and batch)", async () => {
  const [file] = corpus("intents").filter((f) => f.setFile === "config/intents.json");
  assert.ok(file, "the assistant corpus exists");
  const cases = file.cases.filter((c) => !c.error);
  for (const c of cases) {
    const text = caseText(c);
    const res = await fetch(`${edge.url}/api/intent`, json({ text, all: true }));
    assert.equal(res.status, 200, text);
    assert.match(res.headers.get("ratelimit") ?? "", /r=\d+/);
    const body = await res.json();
    assert.equal(body.intent, c.best, text);
    if (c.all) assert.deepEqual(body.matches.map((m) => m.intent), c.all, text);
    if (c.slots) assert.deepEqual(Object.fromEntries(body.match.slots.map((s) => [s.name, s.value])), c.slots, text);
    if (c.span) assert.equal(utf16(text, body.match.span), c.span, text);
  }
  const res = await fetch(`${edge.url}/api/intent`, json({ texts: cases.map(caseText) }));
  const { results } = await res.json();
  assert.deepEqual(results.map((r) => r.intent), cases.map((c) => c.best));
  assert.ok(results.every((r) => !("matches" in r)), "matches only when all: true");
});

test("every bad request is a 4xx problem+json naming what and where", async () => {
  await problem(await fetch(`${edge.url}/api/intent`), 405);
  assert.equal((await fetch(`${edge.url}/api/intent`, { method: "PUT" })).headers.get("allow"), "POST");
  await problem(await fetch(`${edge.url}/api/intent`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }), 415);
  const tooBig = await problem(await fetch(`${edge.url}/api/intent`, json({ text: "x".repeat(17000) })), 413);
  assert.match(tooBig.detail, /16384/);
  const chunked = await problem(
    await fetch(`${edge.url}/api/intent`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(`{"text":"${"y".repeat(20000)}"}`)); c.close(); } }),
      duplex: "half",
    }),
    413,
  );
  assert.match(chunked.detail, /exceeds/);
  const invalid = await problem(await fetch(`${edge.url}/api/intent`, { method: "POST", headers: { "content-type": "application/json" }, body: "{\"text\": " }), 400);
  assert.match(invalid.detail, /EOF|line 1/);
  const nonString = await problem(await fetch(`${edge.url}/api/intent`, json({ text: 42 })), 400);
  assert.equal(nonString.pointer, "/text");
  const nested = await problem(await fetch(`${edge.url}/api/intent`, json({ texts: ["ok", 7] })), 400);
  assert.equal(nested.pointer, "/texts/1");
  const unknown = await problem(await fetch(`${edge.url}/api/intent`, json({ text: "hi", lang: "en" })), 400);
  assert.match(unknown.detail, /unknown field `lang`/);
  await problem(await fetch(`${edge.url}/api/intent`, json({})), 400);
  await problem(await fetch(`${edge.url}/api/intent`, json({ text: "a", texts: ["b"] })), 400);
  const long = await problem(await fetch(`${edge.url}/api/intent`, json({ text: "é".repeat(2100) })), 400);
  assert.match(long.detail, /4200 bytes.*4096/);
  assert.equal(long.pointer, "/text");
  const batch = await problem(await fetch(`${edge.url}/api/intent`, json({ texts: Array(51).fill("x") })), 400);
  assert.equal(batch.pointer, "/texts");
  await problem(await fetch(`${edge.url}/nope.html`), 404);
  await problem(await fetch(`${edge.url}/../Cargo.toml`), 404);
  // After all of that, the instance still answers.
  assert.equal((await (await fetch(`${edge.url}/api/intent`, json({ text: "hello" }))).json()).intent, "greeting");
});

test("static files: hidden files and directories are never served; types by extension in any case; nosniff", async () => {
  const www = mkdtempSync(join(tmpdir(), "intent-edge-www-"));
  writeFileSync(join(www, "index.html"), "<!doctype html><title>home</title>");
  writeFileSync(join(www, "Page.HTML"), "<p>upper</p>");
  writeFileSync(join(www, ".env"), "CONTENT-OF-A-HIDDEN-FILE");
  mkdirSync(join(www, ".git"));
  writeFileSync(join(www, ".git", "config"), "CONTENT-OF-A-HIDDEN-FILE");
  mkdirSync(join(www, "assets"));
  writeFileSync(join(www, "assets", ".hidden.js"), "CONTENT-OF-A-HIDDEN-FILE");
  mkdirSync(join(www, ".well-known"));
  writeFileSync(join(www, ".well-known", "security.txt"), "Contact: mailto:security@example.org");
  writeFileSync(join(www, ".well-known", ".secret"), "CONTENT-OF-A-HIDDEN-FILE");
  const site = await startEdge({ dirs: { [join(repo, "config")]: "/config", [www]: "/www" } });
  try {
    for (const path of ["/.env", "/.git/config", "/%2Eenv", "/assets/.hidden.js", "/assets/%2ehidden.js", "/.well-known/.secret", "/assets/.well-known/x"]) {
      const res = await fetch(`${site.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.doesNotMatch(await res.text(), /CONTENT-OF-A-HIDDEN-FILE/, path);
    }
    const wellKnown = await fetch(`${site.url}/.well-known/security.txt`);
    assert.equal(wellKnown.status, 200, "RFC 8615's directory is served");
    assert.match(await wellKnown.text(), /^Contact:/);
    const page = await fetch(`${site.url}/Page.HTML`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type"), /^text\/html/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    const home = await fetch(`${site.url}/`);
    assert.equal(home.status, 200);
    assert.equal(home.headers.get("x-content-type-options"), "nosniff");
  } finally {
    await site.stop();
  }
});

test("GET /api/intent-set serves the set, static files serve the demo page, /metrics counts", async () => {
  const set = await (await fetch(`${edge.url}/api/intent-set`)).json();
  assert.equal(set.intents.length, 8);
  const page = await fetch(`${edge.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /text\/html/);
  // Counters are per instance, and an instance idle for 1 s is dropped: count a match just before scraping.
  await (await fetch(`${edge.url}/api/intent`, json({ text: "hello" }))).arrayBuffer();
  const metrics = await (await fetch(`${edge.url}/metrics`)).text();
  assert.match(metrics, /intent_edge_requests_total\{route="intent",status="200",cache=""\} \d+/);
  assert.match(metrics, /intent_edge_intent_matches_total\{intent="greeting"\} \d+/);
  assert.match(metrics, /intent_edge_intent_set_load_seconds \d/);
});

test("a fresh instance of the plain component loads the set compiled into it on first use, without compiling", async () => {
  const fresh = await startEdge({ wasm: plainComponent });
  try {
    const t0 = performance.now();
    const first = await fetch(`${fresh.url}/api/intent`, json({ text: "send £20 to Zoë" }));
    const firstMs = performance.now() - t0;
    assert.equal(first.status, 200);
    assert.equal((await first.json()).intent, "transfer_money");
    const timing = first.headers.get("server-timing") ?? "";
    const loadMs = Number(/intent-set-load;dur=([\d.]+)/.exec(timing)?.[1]);
    const matchMs = Number(/match;dur=([\d.]+)/.exec(timing)?.[1]);
    // Reading the embedded DFA in place is pointer work; a compile would take milliseconds (tens in wasm).
    assert.ok(loadMs < 1, `embedded set load should take well under 1 ms: ${timing}`);
    const health = await (await fetch(`${fresh.url}/healthz`)).json();
    assert.equal(health.preinitialized, false);
    console.log(`# embedded demo set, plain component, fresh instance: load ${loadMs.toFixed(3)} ms + first match with slots ${matchMs.toFixed(3)} ms ` +
      `inside the instance; first HTTP answer ${firstMs.toFixed(1)} ms after the server was up (Server-Timing: ${timing})`);
  } finally {
    await fresh.stop();
  }
});

test("a fresh instance of the pre-initialized component starts with the set loaded: its first answer loads nothing", async () => {
  // One request per instance, so every request below meets a fresh instance started from the snapshot.
  const fresh = await startEdge({ extraArgs: ["--max-instance-reuse-count", "1"] });
  try {
    const timings = [];
    for (const [text, intent] of [["send £20 to Zoë", "transfer_money"], ["hi there", "greeting"], ["send £20 to Zoë", "transfer_money"]]) {
      const res = await fetch(`${fresh.url}/api/intent`, json({ text }));
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.intent, intent, text);
      const timing = res.headers.get("server-timing") ?? "";
      assert.match(timing, /^match;dur=[\d.]+$/, `no intent-set-load: the set came in the snapshot (${timing})`);
      timings.push(Number(/match;dur=([\d.]+)/.exec(timing)[1]));
    }
    const slots = (await (await fetch(`${fresh.url}/api/intent`, json({ text: "send £20 to Zoë" }))).json()).match.slots;
    assert.deepEqual(slots.map((s) => [s.name, s.value]), [["amount", "£20"], ["recipient", "Zoë"]]);
    const health = await (await fetch(`${fresh.url}/healthz`)).json();
    assert.equal(health.preinitialized, true);
    console.log(`# embedded demo set, pre-initialized component, fresh instances: first match with slots ${timings.map((t) => t.toFixed(3)).join(", ")} ms`);
  } finally {
    await fresh.stop();
  }
});

/** BANKING77 precompiled the way a user would (`intent-edge compile`) into `intents.iedge` in a new folder, to mount
 * as /config; and its queries. */
function compiledBanking77(prefix) {
  const { set, queries } = banking77();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, "intents.json"), JSON.stringify(set));
  execFileSync(join(repo, "target/release/intent-edge"), ["compile", join(dir, "intents.json"), join(dir, "intents.iedge")]);
  return { dir, queries };
}

test("BANKING77 over HTTP: all 3,080 queries give exactly expected_ids; first answer from a fresh instance", async () => {
  // Precompiled, then mounted: loaded with full validation, nothing compiled.
  const { dir, queries } = compiledBanking77("intent-edge-b77-");
  const b77 = await startEdge({ dirs: { [dir]: "/config" }, env: { INTENT_EDGE_INTENTS: "/config/intents.iedge" } });
  try {
    const t0 = performance.now();
    const first = await fetch(`${b77.url}/api/intent`, json({ text: queries[0].text }));
    const firstMs = performance.now() - t0;
    assert.equal(first.status, 200);
    const timing = first.headers.get("server-timing") ?? "";
    const loadMs = Number(/intent-set-load;dur=([\d.]+)/.exec(timing)?.[1]);
    assert.ok(loadMs >= 0, `the first answer of an instance reports the set's load time: ${timing}`);
    console.log(`# BANKING77 .iedge mounted, fresh instance: first /api/intent answer ${firstMs.toFixed(1)} ms after the server was up ` +
      `(reading the ${(statSync(join(dir, "intents.iedge")).size / 1e6).toFixed(1)} MB set file and copying its automaton table inside the instance: ${loadMs.toFixed(1)} ms; Server-Timing: ${timing})`);
    let checked = 0;
    for (let i = 0; i < queries.length; i += 1000) {
      const chunk = queries.slice(i, i + 1000);
      const res = await fetch(`${b77.url}/api/intent`, json({ texts: chunk.map((q) => q.text), all: true }));
      assert.equal(res.status, 200);
      const { results } = await res.json();
      results.forEach((r, j) => {
        assert.deepEqual(r.matches.map((m) => m.intentIndex), chunk[j].expected_ids, chunk[j].text);
        assert.equal(r.match?.intentIndex ?? null, chunk[j].expected_first, chunk[j].text);
        checked++;
      });
    }
    assert.equal(checked, 3080);
  } finally {
    await b77.stop();
  }
});

test("under wasmtime's pooling allocator with memory kept resident, each fresh instance loads the mounted set again and answers exactly", async () => {
  // The host setting README "Startup" recommends for mounted sets: a recycled instance's memory pages stay resident
  // (zeroed by the runtime) instead of being faulted in again. Every request here is a fresh instance in a recycled
  // slot: none may see the previous one's loaded set or answers.
  const { dir, queries } = compiledBanking77("intent-edge-pool-");
  const pooled = await startEdge({
    dirs: { [dir]: "/config" },
    env: { INTENT_EDGE_INTENTS: "/config/intents.iedge" },
    extraArgs: ["--max-instance-reuse-count", "1", "-O", "pooling-allocator=y", "-O", `pooling-memory-keep-resident=${16 << 20}`],
  });
  try {
    const loads = [];
    // Every 77th of the 3,080 queries (40 of them), each to a fresh instance.
    for (let i = 0; i < queries.length; i += 77) {
      const q = queries[i];
      const res = await fetch(`${pooled.url}/api/intent`, json({ text: q.text, all: true }));
      assert.equal(res.status, 200, q.text);
      const body = await res.json();
      assert.deepEqual(body.matches.map((m) => m.intentIndex), q.expected_ids, q.text);
      assert.equal(body.match?.intentIndex ?? null, q.expected_first, q.text);
      const timing = res.headers.get("server-timing") ?? "";
      const load = /intent-set-load;dur=([\d.]+)/.exec(timing);
      assert.ok(load, `a fresh instance in a recycled slot loads the set itself (Server-Timing: ${timing})`);
      loads.push(Number(load[1]));
    }
    assert.equal(loads.length, 40);
    loads.sort((a, b) => a - b);
    console.log(`# BANKING77 .iedge mounted, pooling allocator with 16 MiB kept resident: 40 fresh instances, set load p50 ${loads[20].toFixed(3)} ms`);
  } finally {
    await pooled.stop();
  }
});

test("a broken intent set or gateway config is a problem+json, never a crash", async () => {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-bad-"));
  writeFileSync(join(dir, "intents.json"), JSON.stringify({ intents: [{ id: "a", patterns: ["ok"] }, { id: "b", patterns: ["(open"] }] }));
  const badSet = await startEdge({ dirs: { [dir]: "/config" }, env: { INTENT_EDGE_INTENTS: "/config/intents.json" } });
  const badConfig = await startEdge({ dirs: { [dir]: "/config" }, env: { INTENT_EDGE_RATE_LIMIT: '{"quotas":[{"name":"x","limit":0,"windowMs":1}]}' } });
  try {
    const health = await problem(await fetch(`${badSet.url}/healthz`), 503);
    assert.match(health.detail, /\/intents\/1\/patterns\/0/);
    await problem(await fetch(`${badSet.url}/api/intent`, json({ text: "ok" })), 503);
    const config = await problem(await fetch(`${badConfig.url}/api/intent`, json({ text: "ok" })), 500);
    assert.match(config.detail, /INTENT_EDGE_RATE_LIMIT.*quotas\[0\]\.limit/);
    const unhealthy = await problem(await fetch(`${badConfig.url}/healthz`), 503);
    assert.match(unhealthy.detail, /INTENT_EDGE_RATE_LIMIT/);
    assert.equal((await fetch(`${badConfig.url}/metrics`)).status, 200);
  } finally {
    await Promise.all([badSet.stop(), badConfig.stop()]);
  }
});
