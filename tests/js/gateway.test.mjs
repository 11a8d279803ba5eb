// The gateway in front of a real origin, under a real Wasm HTTP runtime (`wasmtime serve` with Spin's default
// instance model), driven by real HTTP requests on 127.0.0.1, with hostile input: trusted client identity, RFC 9111
// caching (Vary, request directives, revalidation, stale-while-revalidate, stale-if-error, invalidation, purge),
// coalescing that never hands one client's response to another, a proxy's manners, timeouts, intent-aware routes.
//
// The cache is per instance (shared state is another module): tests that check what an instance remembers send
// their requests one at a time to a gateway of their own, and keep its instance alive across waits.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { repo } from "./corpus.mjs";
import { problem } from "./problem.mjs";
import { startEdge, startTestOrigin } from "./servers.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let origin;
before(async () => {
  origin = await startTestOrigin();
});
after(() => origin?.stop());

const started = [];
after(() => Promise.all(started.map((g) => g.stop())));

/** A gateway of its own in front of the test origin. */
async function gateway(env = {}, options = {}) {
  const gw = await startEdge({
    dirs: { [join(repo, "config")]: "/config" },
    env: { INTENT_EDGE_ORIGIN: origin.url, ...env },
    ...options,
  });
  started.push(gw);
  gw.get = (path, headers = {}, init = {}) => fetch(`${gw.url}${path}`, { headers, ...init });
  return gw;
}

/** Keeps the gateway's instance alive (Spin drops an instance idle for 1 s) while a test waits. */
async function keepWarm(gw, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await (await fetch(`${gw.url}/healthz`)).arrayBuffer();
    await sleep(250);
  }
}

const hits = async () => (await fetch(`${origin.url}/_hits`)).json();
const seen = async (path) => (await fetch(`${origin.url}/_seen?path=${encodeURIComponent(path)}`)).json();
const behave = (b) => fetch(`${origin.url}/_behaviour`, { method: "POST", body: JSON.stringify(b) });
/** What the cache did, read from the standard Cache-Status field (RFC 9211): HIT, STALE, REVALIDATED, MISS, BYPASS. */
function cacheOf(res) {
  const status = res.headers.get("cache-status");
  if (status === null) return null;
  if (/fwd-status=304/.test(status)) return "REVALIDATED";
  if (/; hit/.test(status)) return /detail=(max-stale|stale-while-revalidate|stale-if-error)/.test(status) ? "STALE" : "HIT";
  if (/fwd=bypass/.test(status)) return "BYPASS";
  return "MISS";
}

/** Sends raw bytes on a fresh connection and returns what came back (status line and headers parsed). */
function raw(port, bytes) {
  return new Promise((resolve, reject) => {
    // The request says `Connection: close`: the server closes when it has answered (ending our side early would
    // read as a client that went away).
    const socket = connect(port, "127.0.0.1", () => socket.write(bytes));
    const chunks = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...lines] = head.split("\r\n");
      resolve({ status: Number(statusLine.split(" ")[1]), headers: Object.fromEntries(lines.map((l) => [l.split(":")[0].toLowerCase(), l.slice(l.indexOf(":") + 1).trim()])), body: rest.join("\r\n\r\n") });
    });
  });
}

test("coalescing: two users on a private slow endpoint each get their own body; a shareable one is collapsed", async () => {
  const gw = await gateway();
  const me = (user, cc, round) => gw.get(`/me?delay=700&round=${round}${cc ? `&cc=${encodeURIComponent(cc)}` : ""}`, { "x-api-key": user });
  await (await gw.get("/healthz")).arrayBuffer(); // one warm instance, which takes up to 16 requests at once
  // The control: concurrent requests for a response the origin marks public are collapsed into one origin call,
  // so the private case below runs through a real flight, not around it. (The runtime spreads concurrent requests
  // over instances as it likes, so a round sends several; one collapsed round proves the path.)
  let collapsed = 0;
  for (let round = 0; round < 5 && !collapsed; round++) {
    const users = ["carol", "dave", "erin", "frank", "grace", "heidi"];
    const responses = await Promise.all(users.map((u) => me(u, "public, max-age=60", round)));
    const bodies = await Promise.all(responses.map((r) => r.json()));
    responses.forEach((r, i) => {
      if (r.headers.get("x-intent-edge-coalesced") !== "joined") return;
      collapsed++;
      assert.match(r.headers.get("cache-status"), /collapsed/);
      assert.ok(bodies.some((b, j) => j !== i && b.n === bodies[i].n && b.user === bodies[i].user),
        "a collapsed request gets its leader's (public) response");
    });
  }
  assert.ok(collapsed > 0, "identical concurrent public requests were collapsed");
  for (let round = 0; round < 3; round++) {
    const [alice, bob] = await Promise.all([me("alice", undefined, round), me("bob", undefined, round)]);
    assert.equal((await alice.json()).user, "alice");
    assert.equal((await bob.json()).user, "bob", "bob never receives alice's private response");
    assert.notEqual(bob.headers.get("x-intent-edge-coalesced"), "joined");
    assert.equal((await hits())[`/me?delay=700&round=${round}`], 2, "each went to the origin");
  }
});

test("coalescing: concurrent anonymous requests to a Set-Cookie endpoint get distinct cookies", async () => {
  const gw = await gateway();
  const responses = await Promise.all(Array.from({ length: 6 }, () => gw.get("/login?delay=500")));
  const cookies = responses.map((r) => r.headers.get("set-cookie"));
  assert.ok(cookies.every(Boolean));
  assert.equal(new Set(cookies).size, 6, `distinct sessions: ${cookies.join(" | ")}`);
  // And none was stored: the next one is a new session too.
  const again = await gw.get("/login");
  assert.ok(!cookies.includes(again.headers.get("set-cookie")));
  assert.equal(cacheOf(again), "MISS");
});

test("coalescing: 20 concurrent identical cacheable misses make fewer origin calls, every waiter gets the leader's body", async () => {
  const gw = await gateway();
  const path = "/r?cc=public,max-age=0&delay=800&body=burst";
  const responses = await Promise.all(Array.from({ length: 20 }, () => gw.get(path)));
  const bodies = await Promise.all(responses.map((r) => r.text()));
  const calls = (await hits())[path];
  const joined = responses.filter((r) => r.headers.get("x-intent-edge-coalesced") === "joined").length;
  console.log(`# coalescing, per instance: 20 concurrent identical misses -> ${calls} origin calls (${joined} joined a flight)`);
  assert.ok(calls < 20, `${calls} origin calls`);
  assert.equal(joined, 20 - calls);
  assert.equal(new Set(bodies).size, calls, "each flight's waiters got its leader's body");
});

test("cache: Vary selects the variant; a request with another value misses", async () => {
  const gw = await gateway();
  const a1 = await gw.get("/variant", { "x-variant": "a" });
  assert.match(await a1.text(), /^variant a/);
  const a2 = await gw.get("/variant", { "x-variant": "a" });
  assert.equal(cacheOf(a2), "HIT");
  const b = await gw.get("/variant", { "x-variant": "b" });
  assert.match(await b.text(), /^variant b/, "never the stored a variant");
  assert.match(b.headers.get("cache-status"), /fwd=vary-miss/);
  const none = await gw.get("/variant");
  assert.match(await none.text(), /^variant \(none\)/);
  assert.equal(cacheOf(await gw.get("/variant", { "x-variant": "b" })), "HIT");
});

test("cache: Vary: * and private, no-store, Set-Cookie, Authorization responses are never stored", async () => {
  const gw = await gateway();
  for (const path of ["/r?cc=max-age=60&vary=*", "/r?cc=private,max-age=60", "/r?cc=no-store", "/login?cc=public,max-age=60"]) {
    await (await gw.get(path)).arrayBuffer();
    const second = await gw.get(path);
    assert.equal(cacheOf(second), "MISS", path);
    assert.doesNotMatch(second.headers.get("cache-status"), /stored/, path);
  }
  // Credentialed requests bypass the cache unless the route shares them.
  const auth = await gw.get("/r?cc=public,max-age=60&body=auth", { authorization: "Bearer x" });
  assert.equal(cacheOf(auth), "BYPASS");
  assert.match(auth.headers.get("cache-status"), /fwd=bypass; detail=credentials/);
});

test("cache: the query is part of the key byte for byte (?a=1&a=2 is not ?a=2&a=1)", async () => {
  const gw = await gateway();
  const first = await (await gw.get("/r?cc=max-age=60&a=1&a=2")).text();
  assert.equal(cacheOf(await gw.get("/r?cc=max-age=60&a=1&a=2")), "HIT");
  const swapped = await gw.get("/r?cc=max-age=60&a=2&a=1");
  assert.equal(cacheOf(swapped), "MISS");
  assert.match(first, /#1$/);
  assert.equal((await hits())["/r?cc=max-age=60&a=2&a=1"], 1, "the swapped query reached the origin");
  // A GET with a body asks something the target alone does not say: never answered from (or stored in) the cache.
  const withBody = () => raw(gw.port, Buffer.from("GET /r?cc=max-age=60&a=1&a=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nquery"));
  assert.match((await withBody()).headers["cache-status"], /fwd=bypass; detail=body/);
  // A chunked body (no Content-Length) shows only when read: on a miss it is, and the answer is neither stored nor
  // shared; on a hit the stored answer for the target is served (a GET's body has no meaning of its own).
  const chunked = () => raw(gw.port, Buffer.from("GET /r?cc=max-age=60&body=chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nquery\r\n0\r\n\r\n"));
  assert.match((await chunked()).headers["cache-status"], /fwd=bypass; detail=body/, "a chunked body counts too");
  assert.equal(cacheOf(await gw.get("/r?cc=max-age=60&body=chunked")), "MISS", "its answer was not stored");
  assert.match((await chunked()).headers["cache-status"], /; hit/);
  // A GET that asks the origin to take it for another method (X-HTTP-Method-Override and kin) is not a GET of the
  // target: neither answered from the cache nor stored, so it cannot plant its answer for everyone else.
  for (const name of ["x-http-method-override", "x-http-method", "x-method-override"]) {
    const overridden = await gw.get("/r?cc=max-age=60&body=override", { [name]: "DELETE" });
    assert.match(overridden.headers.get("cache-status"), /fwd=bypass; detail=method-override/, name);
  }
  assert.equal(cacheOf(await gw.get("/r?cc=max-age=60&body=override")), "MISS", "nothing was stored by them");
  // A path containing :// is kept as it is.
  await (await gw.get("/r/http://Example.com/X?cc=max-age=60")).arrayBuffer();
  assert.equal(cacheOf(await gw.get("/r/http://example.com/X?cc=max-age=60")), "MISS");
});

test("cache: a non-ASCII cookie cannot poison the key of a route that keys by cookie", async () => {
  const routes = {
    routes: [{ name: "session", prefix: "/r", cache: { credentials: "share", keyHeaders: ["cookie"] } }],
  };
  const gw = await gateway({ INTENT_EDGE_ROUTES: JSON.stringify(routes) });
  const send = (cookie, body) => raw(gw.port, Buffer.concat([
    Buffer.from(`GET /r?cc=public,max-age=60&body=${body} HTTP/1.1\r\nHost: x\r\nCookie: s=`),
    Buffer.from(cookie, "latin1"),
    Buffer.from("\r\nConnection: close\r\n\r\n"),
  ]));
  const poisoned = await send("\xe9vil", "evil");
  assert.equal(poisoned.status, 200);
  assert.match(poisoned.body, /^evil/);
  const other = await send("\xeaother", "other");
  assert.match(other.body, /^other/, "a different non-ASCII cookie is a different key");
  const plain = await send("plain", "plain");
  assert.match(plain.body, /^plain/, "nor does the poisoned entry answer a plain cookie");
  const again = await send("\xe9vil", "evil");
  assert.match(again.headers["cache-status"], /hit/, "the same bytes are the same key");
  assert.match(again.body, /^evil #1/);
});

test("cache: request directives (max-age, min-fresh, max-stale, no-cache, only-if-cached)", async () => {
  const gw = await gateway();
  const path = "/r?cc=max-age=30&body=directives";
  await (await gw.get(path)).arrayBuffer();
  // Ages count whole seconds: 2.2 s later the entry is at least 2 s old.
  await keepWarm(gw, 2200);
  const old = await gw.get(path, { "cache-control": "max-age=1" });
  assert.equal(cacheOf(old), "MISS", "max-age=1 on an entry more than a second old goes to the origin");
  assert.match(old.headers.get("cache-status"), /fwd=request/);
  assert.equal(cacheOf(await gw.get(path, { "cache-control": "max-age=20" })), "HIT");
  assert.equal(cacheOf(await gw.get(path, { "cache-control": "min-fresh=60" })), "MISS");
  assert.equal(cacheOf(await gw.get(path, { "cache-control": "no-cache" })), "MISS");
  assert.equal(cacheOf(await gw.get(path, { pragma: "no-cache" })), "MISS");
  const missing = await problem(await gw.get("/r?never-stored=1", { "cache-control": "only-if-cached" }), 504);
  assert.match(missing.detail, /only-if-cached/);
  assert.equal((await hits())["/r?never-stored=1"], undefined, "only-if-cached never reaches the origin");
  const cached = await gw.get(path, { "cache-control": "only-if-cached" });
  assert.equal(cached.status, 200);
  // max-stale accepts a stale entry.
  await (await gw.get("/r?cc=max-age=1&body=stale")).arrayBuffer();
  await keepWarm(gw, 2200);
  const stale = await gw.get("/r?cc=max-age=1&body=stale", { "cache-control": "max-stale=30" });
  assert.equal(cacheOf(stale), "STALE");
  assert.match(stale.headers.get("cache-status"), /max-stale/);
});

test("cache: Age counts from storage; HEAD is answered from a stored GET with its Content-Length", async () => {
  const gw = await gateway();
  const path = "/r?cc=max-age=60&body=0123456789";
  const first = await gw.get(path);
  const length = (await first.arrayBuffer()).byteLength;
  await keepWarm(gw, 1200);
  const head = await gw.get(path, {}, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(cacheOf(head), "HIT");
  assert.equal(head.headers.get("content-length"), String(length));
  assert.ok(Number(head.headers.get("age")) >= 1, `age ${head.headers.get("age")}`);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  // A HEAD miss is passed through with the origin's Content-Length.
  const passed = await gw.get("/r?cc=no-store&body=abcdef", {}, { method: "HEAD" });
  assert.equal(passed.status, 200);
  assert.equal(passed.headers.get("content-length"), String("abcdef #1".length));
});

test("cache: an origin's Age past 2^31 makes its response stale on arrival; an Age that is not digits is ignored", async () => {
  const gw = await gateway();
  // u64::MAX once read as -1 in a signed subtraction: max-age=60 then looked fresh for 61 s.
  for (const age of ["18446744073709551615", "18446744073709551616", "9223372036854775807", "2147483649"]) {
    const path = `/r?cc=max-age=60&age=${age}&body=huge-age`;
    assert.equal(cacheOf(await gw.get(path)), "MISS");
    await keepWarm(gw, 1100);
    const again = await gw.get(path);
    assert.notEqual(cacheOf(again), "HIT", `Age: ${age} (max-age=60) is stale on arrival`);
    assert.equal((await again.text()).startsWith("huge-age #"), true);
  }
  // Ignored, not read as 5: the response is fresh, and a hit says how long it was stored.
  for (const age of ["+5", "-5", "5s"]) {
    const path = `/r?cc=max-age=3&age=${encodeURIComponent(age)}&body=odd-age`;
    assert.equal(cacheOf(await gw.get(path)), "MISS");
    const again = await gw.get(path);
    assert.equal(cacheOf(again), "HIT", `Age: ${age} is ignored`);
    assert.ok(Number(again.headers.get("age")) < 3, `Age: ${age} gave ${again.headers.get("age")}`);
  }
  // A plain Age still counts: 10 of max-age=60 leaves a fresh response.
  const path = "/r?cc=max-age=60&age=10&body=plain-age";
  await gw.get(path);
  const again = await gw.get(path);
  assert.equal(cacheOf(again), "HIT");
  assert.ok(Number(again.headers.get("age")) >= 10);
});

test("cache: stale-while-revalidate serves stale at once and refreshes in the background", async () => {
  const gw = await gateway();
  const path = "/r?cc=max-age=3,stale-while-revalidate=30&body=swr";
  assert.match(await (await gw.get(path)).text(), /#1$/);
  await keepWarm(gw, 4200);
  const t0 = performance.now();
  const stale = await gw.get(path, {});
  assert.equal(cacheOf(stale), "STALE");
  assert.match(stale.headers.get("cache-status"), /stale-while-revalidate/);
  assert.match(await stale.text(), /#1$/, "the stale body, at once");
  assert.ok(performance.now() - t0 < 500);
  await keepWarm(gw, 600);
  assert.equal((await hits())[path], 2, "one background revalidation");
  const fresh = await gw.get(path);
  assert.equal(cacheOf(fresh), "HIT");
  assert.match(await fresh.text(), /#2$/, "the refreshed response");
});

test("cache: stale-if-error covers an origin 500 and an origin that does not answer; must-revalidate does not", async () => {
  const gw = await gateway({ INTENT_EDGE_TOTAL_TIMEOUT_MS: "1000" });
  const path = "/r?cc=max-age=1,stale-if-error=60&body=sie";
  const good = await (await gw.get(path)).text();
  await keepWarm(gw, 2200);
  await behave({ path: "/r", status: 500, times: 1 });
  const covered = await gw.get(path);
  assert.equal(covered.status, 200);
  assert.equal(cacheOf(covered), "STALE");
  assert.match(covered.headers.get("cache-status"), /stale-if-error/);
  assert.equal(await covered.text(), good);
  // No answer at all within the total timeout: the stale response too, instead of a 504.
  await behave({ path: "/r", hang: true, times: 1 });
  const t0 = performance.now();
  const silent = await gw.get(path);
  assert.equal(silent.status, 200);
  assert.equal(cacheOf(silent), "STALE");
  assert.equal(await silent.text(), good);
  assert.ok(performance.now() - t0 < 3000);
  const strict = "/r?cc=max-age=1,must-revalidate,stale-if-error=60&body=strict";
  await (await gw.get(strict)).arrayBuffer();
  await keepWarm(gw, 2200);
  await behave({ path: "/r", status: 500, times: 1 });
  const refused = await gw.get(strict);
  assert.equal(refused.status, 500, "must-revalidate: the origin's error passes through");
});

test("cache: a stale entry with a validator is revalidated (304 refreshes it); a client's If-None-Match gets a 304", async () => {
  const gw = await gateway();
  const path = '/r?cc=max-age=1&etag="v1"&body=etag';
  const first = await gw.get(path);
  const body = await first.text();
  assert.equal(first.headers.get("etag"), '"v1"');
  await keepWarm(gw, 2200);
  const revalidated = await gw.get(path);
  assert.equal(cacheOf(revalidated), "REVALIDATED");
  assert.match(revalidated.headers.get("cache-status"), /fwd-status=304/);
  assert.equal(await revalidated.text(), body, "the stored body, confirmed");
  assert.equal(cacheOf(await gw.get(path)), "HIT", "refreshed: fresh again");
  assert.equal((await seen("/r")).headers["if-none-match"], '"v1"');
  const notModified = await gw.get(path, { "if-none-match": 'W/"v0", "v1"' });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get("etag"), '"v1"');
  assert.equal((await gw.get(path, { "if-none-match": '"v9"' })).status, 200);
  // On a miss, the client's validator is answered by the gateway too (the origin's full answer is stored).
  const fresh = '/r?cc=max-age=60&etag="x"&body=x';
  const miss = await gw.get(fresh, { "if-none-match": '"x"' });
  assert.equal(miss.status, 304);
  assert.equal((await seen("/r")).headers["if-none-match"], undefined, "not forwarded on a cacheable miss");
  assert.equal(cacheOf(await gw.get(fresh)), "HIT");
});

test("cache: successful unsafe requests invalidate the target and same-origin Location", async () => {
  const gw = await gateway();
  await (await gw.get("/items/1")).arrayBuffer();
  await (await gw.get("/items/2")).arrayBuffer();
  assert.equal(cacheOf(await gw.get("/items/1")), "HIT");
  const post = await gw.get("/items/1", { "x-location": "/items/2" }, { method: "POST", body: "x" });
  assert.equal(post.status, 201);
  assert.equal(cacheOf(post), "BYPASS");
  assert.equal(cacheOf(await gw.get("/items/1")), "MISS", "the POST target was invalidated");
  assert.equal(cacheOf(await gw.get("/items/2")), "MISS", "its Location too");
  // Another origin's Location invalidates nothing here.
  await (await gw.get("/items/4")).arrayBuffer();
  await (await gw.get("/items/5", { "x-location": "http://elsewhere.example/items/4" }, { method: "PUT", body: "y" })).arrayBuffer();
  assert.equal(cacheOf(await gw.get("/items/4")), "HIT");
  await (await gw.get("/items/3")).arrayBuffer();
  await (await gw.get("/items/3", {}, { method: "DELETE" })).arrayBuffer();
  assert.equal(cacheOf(await gw.get("/items/3")), "MISS");
});

test("purge: by tag, key and prefix behind a bearer token; 401/403 problems without it", async () => {
  const gw = await gateway({ INTENT_EDGE_PURGE_TOKEN: "s3cret-token" });
  const tagged = ["/r?cc=max-age=60&tag=catalog,a&body=1", "/r?cc=max-age=60&skey=catalog%20b&body=2", "/r?cc=max-age=60&tag=other&body=3"];
  for (const p of tagged) await (await gw.get(p)).arrayBuffer();
  for (const p of tagged) {
    const hit = await gw.get(p);
    assert.equal(cacheOf(hit), "HIT");
    assert.equal(hit.headers.get("cache-tag"), null, "tags are for the cache, not the client");
  }
  const purge = (body, headers = {}) => gw.get("/api/purge", { "content-type": "application/json", ...headers }, { method: "POST", body: JSON.stringify(body) });
  const none = await problem(await purge({ tags: ["catalog"] }), 401);
  assert.match(none.detail, /Bearer/);
  await problem(await purge({ tags: ["catalog"] }, { authorization: "Bearer wrong" }), 403);
  await problem(await purge({ tags: ["catalog"] }, { authorization: "Basic czNjcmV0" }), 401);
  assert.equal(cacheOf(await gw.get(tagged[0])), "HIT", "refused purges removed nothing");
  const ok = await purge({ tags: ["catalog"] }, { authorization: "Bearer s3cret-token" });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { purged: { keys: 0, prefixes: 0, tags: 2 }, shared: null, scope: "instance" });
  assert.equal(cacheOf(await gw.get(tagged[0])), "MISS");
  assert.equal(cacheOf(await gw.get(tagged[1])), "MISS");
  assert.equal(cacheOf(await gw.get(tagged[2])), "HIT");
  const byKey = await purge({ keys: [tagged[2]] }, { authorization: "Bearer s3cret-token" });
  assert.equal((await byKey.json()).purged.keys, 1);
  assert.equal(cacheOf(await gw.get(tagged[2])), "MISS");
  const byPrefix = await purge({ prefixes: ["/r?cc=max-age=60&tag="] }, { authorization: "Bearer s3cret-token" });
  assert.equal((await byPrefix.json()).purged.prefixes, 2);
  await problem(await purge({ prefixes: [""] }, { authorization: "Bearer s3cret-token" }), 400);
  await problem(await purge({ tagz: [] }, { authorization: "Bearer s3cret-token" }), 400);
  // Without a configured token, purging is off.
  const off = await gateway();
  await problem(await off.get("/api/purge", { authorization: "Bearer x" }, { method: "POST", body: "{}" }), 403);
});

test("identity: rotating client-written X-Forwarded-For prefixes behind one trusted hop share one bucket", async () => {
  const gw = await gateway({ INTENT_EDGE_RATE_LIMIT: JSON.stringify({ quotas: [{ name: "per-client", limit: 10, windowMs: 60_000 }] }) });
  const statuses = [];
  let denied;
  for (let i = 0; i < 15; i++) {
    const res = await gw.get("/r?cc=max-age=60&body=limited", { "x-forwarded-for": `10.${i}.${i * 7 % 255}.1, 198.18.${i}.9, 203.0.113.50` });
    statuses.push(res.status);
    if (res.status === 429) denied ??= res;
    else await res.arrayBuffer();
  }
  assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(5).fill(429)]);
  const body = await problem(denied, 429);
  assert.doesNotMatch(body.detail, /203\.0\.113|10\.|198\./, "the 429 names the quota, never the key");
  assert.match(body.detail, /per-client/);
  assert.ok(["5", "6"].includes(denied.headers.get("retry-after")), `Retry-After ${denied.headers.get("retry-after")}`);
  assert.equal(denied.headers.get("ratelimit-policy"), '"per-client";q=10;w=60');
  assert.match(denied.headers.get("ratelimit"), /^"per-client";r=0;t=\d+$/);
  // Another client (another address appended by the trusted proxy) has its own budget.
  const other = await gw.get("/r?cc=max-age=60&body=other", { "x-forwarded-for": "203.0.113.50, 203.0.113.51" });
  assert.equal(other.status, 200);
  assert.equal(other.headers.get("ratelimit"), '"per-client";r=9;t=6');
  // The origin saw only the trusted part of the list, plus Via.
  const forwarded = (await seen("/r")).headers;
  assert.equal(forwarded["x-forwarded-for"], "203.0.113.51");
  assert.match(forwarded.via, /intent-edge/);
});

test("identity: IPv6 clients are limited per /64; unidentified clients share a bucket or are refused; API keys are digested", async () => {
  const quota = JSON.stringify({ quotas: [{ name: "q", limit: 3, windowMs: 60_000 }] });
  const gw = await gateway({ INTENT_EDGE_RATE_LIMIT: quota });
  const v6 = [];
  for (let i = 0; i < 5; i++) v6.push((await gw.get("/r?cc=max-age=60", { "x-forwarded-for": `2001:db8:1:2::${i + 1}` })).status);
  assert.deepEqual(v6, [200, 200, 200, 429, 429]);
  const reject = await gateway({ INTENT_EDGE_RATE_LIMIT: quota, INTENT_EDGE_UNIDENTIFIED: "reject" });
  const refused = await problem(await reject.get("/r?cc=max-age=60"), 403);
  assert.match(refused.detail, /no trusted client address/);
  const tooFew = await problem(await reject.get("/r", { "x-forwarded-for": "" }), 403);
  assert.ok(tooFew.detail);
  const routes = { routes: [{ name: "keyed", prefix: "/me", limit: { key: "apiKey", quotas: [{ name: "user", limit: 2, windowMs: 60_000 }] }, cache: { enabled: false } }] };
  const keyed = await gateway({ INTENT_EDGE_ROUTES: JSON.stringify(routes) });
  const huge = "k".repeat(20_000);
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await keyed.get("/me", { "x-api-key": huge })).status);
  assert.deepEqual(statuses, [200, 200, 429]);
  const denial = await keyed.get("/me", { "x-api-key": huge });
  const text = await denial.text();
  assert.ok(text.length < 1000 && !text.includes("kkkk"), "a long key is neither stored nor echoed");
  assert.equal((await keyed.get("/me", { "x-api-key": "other" })).status, 200);
});

test("proxy: hop-by-hop fields never reach the origin, gateway fields cannot be forged, HTTP2-Settings is not a 502, Via both ways", async () => {
  const gw = await gateway();
  const res = await raw(gw.port, Buffer.from(
    "GET /r?cc=no-store&body=hop HTTP/1.1\r\nHost: shop.example\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n" +
    "Connection: close, X-Hop\r\nX-Hop: secret\r\nTE: trailers\r\nKeep-Alive: timeout=5\r\nX-Intent-Edge-Intent: admin\r\n" +
    "X-Forwarded-Host: evil.example\r\nX-Original-URL: /admin\r\nX-Forwarded-Proto: https\r\n\r\n"));
  assert.equal(res.status, 200);
  assert.match(res.body, /^hop/);
  const got = (await seen("/r")).headers;
  for (const name of ["http2-settings", "te", "keep-alive", "connection", "x-intent-edge-intent", "x-forwarded-host", "x-original-url"]) {
    assert.equal(got[name], undefined, name);
  }
  assert.equal(got["x-forwarded-proto"], "http", "the gateway's, not the client's");
  // Known limit of the runtime: wasmtime (and Spin) remove `Connection` before the component sees the request, so the
  // fields it names (X-Hop here) cannot be told apart from end-to-end ones; the gateway strips them when it does see
  // `Connection` (unit-tested in src/gateway/proxy_headers.rs).
  // wasmtime serve drops `Host` too (a forbidden field) and gives origin-form requests no authority, so the gateway
  // cannot pass the client's host on here; under a runtime that sets the authority it goes as X-Forwarded-Host.
  assert.equal(got.host, new URL(origin.url).host, "the origin sees its own authority");
  assert.match(got.via, /1\.1 intent-edge/);
  assert.match(res.headers.via, /intent-edge/);
  // The origin's own Via stays, live and from the cache, with this hop after it.
  for (let i = 0; i < 2; i++) {
    const hop = await gw.get("/r?cc=max-age=60&via=1.1%20upstream&body=via");
    assert.equal(hop.headers.get("via"), "1.1 upstream, 1.1 intent-edge");
    assert.equal(cacheOf(hop), i === 0 ? "MISS" : "HIT");
  }
});

test("proxy: an absolute-form request URI is answered by the configured origin only", async () => {
  const gw = await gateway();
  const res = await raw(gw.port, Buffer.from("GET http://evil.example/r?cc=max-age=60&body=abs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"));
  assert.equal(res.status, 200);
  assert.match(res.body, /^abs/);
  assert.equal((await hits())["/r?cc=max-age=60&body=abs"], 1, "the configured origin answered");
  // Stored under the host the client named: the same request again is a hit...
  const again = await raw(gw.port, Buffer.from("GET http://evil.example/r?cc=max-age=60&body=abs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"));
  assert.match(again.headers["cache-status"], /^intent-edge; hit/);
  // ...but a client naming another host never fills the entry everyone else gets.
  assert.equal(cacheOf(await gw.get("/r?cc=max-age=60&body=abs")), "MISS");
  assert.equal((await hits())["/r?cc=max-age=60&body=abs"], 2);
});

test("proxy: a hanging origin is a 504 within the total timeout; the instance keeps serving", async () => {
  const gw = await gateway({ INTENT_EDGE_TOTAL_TIMEOUT_MS: "1500" });
  const t0 = performance.now();
  const res = await gw.get("/hang");
  const elapsed = performance.now() - t0;
  assert.equal(res.headers.get("cache-status"), "intent-edge; fwd=uri-miss", "a gateway failure says what the cache did too");
  const body = await problem(res, 504);
  assert.ok(elapsed >= 1400 && elapsed < 4000, `answered after ${elapsed.toFixed(0)} ms`);
  assert.doesNotMatch(body.detail, /127\.0\.0\.1|localhost|http:/, "no internal address");
  // A body that stops mid-way is cut at the deadline too (headers already sent: the response is aborted).
  const dripping = await gw.get("/drip?bytes=100000&chunk=100&every=50").then((r) => r.arrayBuffer()).then(() => "complete", () => "cut");
  assert.equal(dripping, "cut");
  // Waiters of a hanging flight get the same 504 promptly.
  const waiters = await Promise.all(Array.from({ length: 3 }, () => gw.get("/r?cc=public,max-age=60&delay=5000&body=slow")));
  assert.ok(waiters.every((r) => r.status === 504), waiters.map((r) => r.status).join());
  assert.ok(waiters.every((r) => /^intent-edge; fwd=uri-miss/.test(r.headers.get("cache-status"))), waiters.map((r) => r.headers.get("cache-status")).join());
  assert.equal((await gw.get("/healthz")).status, 200);
  // An unreachable origin: 502, no address in the detail.
  const dead = await gateway({ INTENT_EDGE_ORIGIN: "http://127.0.0.1:9" });
  const unreachable = await dead.get("/anything");
  assert.equal(unreachable.headers.get("cache-status"), "intent-edge; fwd=uri-miss");
  const down = await problem(unreachable, 502);
  assert.doesNotMatch(down.detail, /127\.0\.0\.1|:9/);
});

test("proxy: an oversized response is refused by its Content-Length, or cut while streaming", async () => {
  const gw = await gateway({ INTENT_EDGE_MAX_RESPONSE_BYTES: "50000" });
  const ok = await gw.get("/drip?bytes=40000&chunk=10000&every=1");
  assert.equal((await ok.arrayBuffer()).byteLength, 40000);
  const declared = await problem(await gw.get("/drip?bytes=60000&chunk=10000&every=1"), 502);
  assert.match(declared.detail, /INTENT_EDGE_MAX_RESPONSE_BYTES/);
  // Storable and too large: refused before anything is sent.
  const cacheable = await problem(await gw.get("/drip?bytes=60000&chunk=10000&every=1&cc=max-age=60"), 502);
  assert.match(cacheable.detail, /50000/);
  // No Content-Length: a response streamed through is cut once it passes the bound (the client sees an aborted
  // body, never more than the bound)...
  const streamed = await gw.get("/drip?bytes=200000&chunk=10000&every=1&chunked");
  assert.equal(streamed.status, 200);
  const outcome = await streamed.arrayBuffer().then((b) => b.byteLength, () => "aborted");
  assert.ok(outcome === "aborted" || outcome <= 50000, `got ${outcome}`);
  // ...and one that would be stored is read within the bound, then refused.
  const buffered = await problem(await gw.get("/drip?bytes=200000&chunk=10000&every=1&chunked&cc=max-age=60"), 502);
  assert.match(buffered.detail, /INTENT_EDGE_MAX_RESPONSE_BYTES/);
  assert.equal((await gw.get("/healthz")).status, 200);
});

test("proxy: an origin that drops the connection mid-body is never stored or shared (with or without Content-Length)", async () => {
  const gw = await gateway();
  for (const path of ["/cut?bytes=1000&send=100", "/cut?bytes=1000&send=100&chunked"]) {
    for (let i = 0; i < 2; i++) {
      const res = await gw.get(path);
      // Read into memory to be stored, the cut body is an error: a 502 problem, never a 200 with part of the body.
      const body = await problem(res, 502);
      assert.doesNotMatch(body.detail, /127\.0\.0\.1|localhost|http:/, "no internal address");
    }
    assert.equal((await hits())[path], 2, `${path}: asked twice, nothing was stored`);
  }
  // Streamed through (not storable), the cut reaches the client as a cut: an aborted body, never one that ends
  // cleanly and could pass for complete (or be stored by a cache downstream).
  for (const path of ["/cut?bytes=1000&send=100&cc=no-store", "/cut?bytes=1000&send=100&chunked&cc=no-store"]) {
    const res = await gw.get(path);
    assert.equal(res.status, 200);
    const outcome = await res.arrayBuffer().then((b) => `complete (${b.byteLength} bytes)`, () => "aborted");
    assert.equal(outcome, "aborted", path);
  }
  // Concurrent waiters of a flight whose leader's body was cut get the error too, none a partial body.
  const path = "/cut?bytes=1000&send=100&delay=0&w=1";
  const answers = await Promise.all(Array.from({ length: 6 }, () => gw.get(path).then((r) => r.status)));
  assert.ok(answers.every((s) => s === 502), answers.join());
  assert.equal((await gw.get("/healthz")).status, 200);
});

test("a client that declares a body and stops sending it gets a 408 problem within the body timeout; others are served meanwhile", async () => {
  const gw = await gateway({ INTENT_EDGE_BODY_TIMEOUT_MS: "1500" });
  const t0 = performance.now();
  const slow = raw(gw.port, Buffer.from("POST /items/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n0123456789"));
  // The instance answers other clients while that one stalls.
  assert.equal((await gw.get("/items/other")).status, 200);
  const res = await slow;
  const elapsed = performance.now() - t0;
  assert.equal(res.status, 408);
  assert.ok(elapsed >= 1400 && elapsed < 5000, `answered after ${elapsed.toFixed(0)} ms`);
  assert.equal(res.headers["content-type"], "application/problem+json");
  assert.match(JSON.parse(res.body).detail, /INTENT_EDGE_BODY_TIMEOUT_MS/);
  assert.equal((await hits())["/items/slow"], undefined, "nothing reached the origin");
  // The same request sent whole is forwarded.
  const whole = await gw.get("/items/slow", {}, { method: "POST", body: "x".repeat(1000) });
  assert.equal(whole.status, 201);
});

test("paths: routes see the path the origin is asked for (dot segments, merged slashes, decoded escapes); ambiguous paths are 400", async () => {
  // Only /items is routed: a path dressed up to match it must not reach anything else on the origin.
  const routes = { routes: [{ name: "items", prefix: "/items", origin: origin.url }] };
  const gw = await gateway({ INTENT_EDGE_ROUTES: JSON.stringify(routes) });
  const send = (target) => raw(gw.port, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
  // Dot segments are removed before routing: /items/../r is /r, which no route takes.
  const climbed = await send("/items/../r?body=secret");
  assert.equal(climbed.status, 404);
  assert.match(JSON.parse(climbed.body).detail, /GET \/r\b/);
  assert.equal((await send("/items/%2e%2e/r?body=secret")).status, 404, "escaped dots are dots");
  assert.equal((await hits())["/r?body=secret"], undefined, "nothing outside the route reached the origin");
  // Equivalent spellings of a routed path reach the origin as one path (and share one cache entry).
  for (const target of ["//items/p", "/items/./p", "/%69tems/p", "/items/q/../p"]) {
    const res = await send(target);
    assert.equal(res.status, 200, target);
    assert.match(res.body, /^item \/items\/p #/, target);
  }
  assert.equal((await hits())["/items/p"], 1, "one origin call, the rest from the cache");
  // No single meaning: refused.
  for (const target of ["/items%2f..%2fr", "/items/a%5c..%5cb", "/items\\..\\r", "/items/%zz"]) {
    const res = await send(target);
    assert.equal(res.status, 400, target);
    assert.equal(JSON.parse(res.body).type.endsWith("ambiguous-path"), true, target);
  }
  assert.equal((await gw.get("/healthz")).status, 200);
  // With INTENT_EDGE_MERGE_SLASHES=false, a URL carried in the path keeps its `//` (dot segments still go).
  const keeping = await gateway({ INTENT_EDGE_ROUTES: JSON.stringify(routes), INTENT_EDGE_MERGE_SLASHES: "false" });
  const kept = await raw(keeping.port, Buffer.from("GET /items/fetch/https://example.com/./x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  assert.equal(kept.status, 200);
  assert.match(kept.body, /^item \/items\/fetch\/https:\/\/example\.com\/x #/);
});

test("headers: a 400 KB header section is a 431 problem; the instance keeps serving", async () => {
  const gw = await gateway();
  const res = await raw(gw.port, Buffer.from(`GET /r HTTP/1.1\r\nHost: x\r\nX-Big: ${"x".repeat(400_000)}\r\nConnection: close\r\n\r\n`));
  assert.equal(res.status, 431);
  assert.equal(res.headers["content-type"], "application/problem+json");
  assert.match(JSON.parse(res.body).detail, /INTENT_EDGE_MAX_HEADER_BYTES/);
  assert.equal((await gw.get("/healthz")).status, 200);
});

test("intent-aware route: two phrasings of one intent share one cached answer; intent and slots reach the origin", async () => {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-routes-"));
  // A support desk's set: two phrasings of the opening hours, a transfer with slots, a greeting.
  writeFileSync(join(dir, "intents.json"), JSON.stringify({
    options: { caseInsensitive: true },
    intents: [
      { id: "opening_hours", patterns: ["\\bwhen\\s+do\\s+you\\s+open\\b", "\\bopening\\s+hours\\b"] },
      { id: "transfer_money", patterns: ["\\bsend\\s+(?P<amount>£\\d+)\\s+to\\s+(?P<recipient>\\w+(?:\\x{EB})?)"] },
      { id: "greeting", patterns: ["^(?:hi|hello)\\b"] },
    ],
  }));
  writeFileSync(join(dir, "routes.json"), JSON.stringify({
    routes: [
      {
        name: "support", path: "/support", methods: ["POST"],
        intent: { textPointer: "/text", cacheKey: true },
        limit: { key: "client", quotas: [{ name: "chat", limit: 100, windowMs: 60_000 }], byIntent: { transfer_money: { quotas: [{ name: "transfers", limit: 2, windowMs: 60_000 }] } } },
      },
      { name: "rest", prefix: "/" },
    ],
  }));
  const gw = await gateway({ INTENT_EDGE_ROUTES: "/routes/routes.json", INTENT_EDGE_INTENTS: "/routes/intents.json" }, { dirs: { [dir]: "/routes" } });
  const ask = (text, headers = {}) => gw.get("/support", { "content-type": "application/json", ...headers }, { method: "POST", body: JSON.stringify({ text }) });
  const first = await ask("when do you open?");
  const firstBody = await first.json();
  assert.equal(firstBody.intentHeaders["x-intent-edge-intent"], "opening_hours");
  const second = await ask("What are your opening hours");
  assert.equal(cacheOf(second), "HIT", "the same intent and slots: one cached answer");
  assert.deepEqual(await second.json(), firstBody);
  // Slots are part of the key, and reach the origin form-encoded.
  const transfer = await (await ask("send £20 to Zoë")).json();
  assert.equal(transfer.intentHeaders["x-intent-edge-intent"], "transfer_money");
  assert.deepEqual(Object.fromEntries(new URLSearchParams(transfer.intentHeaders["x-intent-edge-slots"])), { amount: "£20", recipient: "Zoë" });
  assert.equal(cacheOf(await ask("send £30 to Zoë")), "MISS");
  // The intent chose the quota: transfers are limited to 2 per minute, other intents are not.
  const limited = await ask("send £40 to Ann");
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("ratelimit-policy"), '"transfers";q=2;w=60');
  assert.equal((await ask("hello there")).status, 200);
  // A client cannot forge the intent headers, and a text that matches nothing is not cached.
  const forged = await (await ask("zzz qqq", { "x-intent-edge-intent": "admin" })).json();
  assert.equal(forged.intentHeaders["x-intent-edge-intent"], "");
  assert.equal(cacheOf(await ask("zzz qqq")), "BYPASS");
  const bad = await problem(await gw.get("/support", { "content-type": "application/json" }, { method: "POST", body: '{"txt": 1}' }), 400);
  assert.equal(bad.pointer, "/text");
});

test("identity: a quote the client leaves open in Forwarded cannot swallow the trusted proxy's element", async () => {
  // One trusted proxy that extends the client's Forwarded line with the address it saw, as proxies do.
  const gw = await gateway({
    INTENT_EDGE_CLIENT_HEADER: "forwarded",
    INTENT_EDGE_TRUSTED_HOPS: "1",
    INTENT_EDGE_RATE_LIMIT: JSON.stringify({ quotas: [{ name: "q", limit: 3, windowMs: 60_000 }] }),
  });
  const via = (clientWrote, peer) => ({ forwarded: `${clientWrote}, for=${peer}` });
  // The attacker (seen by the proxy as 203.0.113.66) rotates an open-quoted `for=` of its choosing.
  const attacker = [];
  for (let i = 0; i < 6; i++) {
    const res = await gw.get("/r?cc=no-store&body=fwd", via(`for=198.51.100.${i};x="`, "203.0.113.66"));
    attacker.push(res.status);
    await res.arrayBuffer();
  }
  assert.deepEqual(attacker, [200, 200, 200, 429, 429, 429], "one bucket, the proxy's address, whatever the client wrote");
  // Naming the victim's address in the open-quoted part spends nothing of the victim's budget.
  for (let i = 0; i < 3; i++) await (await gw.get("/r?cc=no-store&body=fwd", via(`for=203.0.113.77;x="`, "203.0.113.66"))).arrayBuffer();
  const victim = await gw.get("/r?cc=no-store&body=fwd", via("for=10.0.0.1", "203.0.113.77"));
  assert.equal(victim.status, 200);
  assert.match(victim.headers.get("ratelimit"), /^"q";r=2;t=\d+$/, "the victim's first request of its own budget");
  await victim.arrayBuffer();
  // The origin hears only the trusted element, not the client's text.
  await (await gw.get("/r?cc=no-store&body=fwd2", via(`for=192.0.2.1;x="`, "203.0.113.78"))).arrayBuffer();
  assert.equal((await seen("/r")).headers.forwarded, "for=203.0.113.78");
  // A byte that is not text in the client's part spoils only that part: the attacker stays in its own (spent) bucket
  // rather than reaching the one unidentified clients share.
  const bytes = await raw(gw.port, Buffer.concat([Buffer.from("GET /r?cc=no-store&body=fwd3 HTTP/1.1\r\nHost: a\r\nForwarded: for=\xff"), Buffer.from([0xff, 0xe9]), Buffer.from(";x=\", for=203.0.113.66\r\nConnection: close\r\n\r\n")]));
  assert.equal(bytes.status, 429, "the attacker's own bucket, spent above");
  assert.match(bytes.headers.ratelimit, /^"q";r=0;/);
});

test("intent-aware route: the query and the host the client names stay in the key", async () => {
  const dir = mkdtempSync(join(tmpdir(), "intent-edge-routes-"));
  writeFileSync(join(dir, "intents.json"), JSON.stringify({
    options: { caseInsensitive: true },
    intents: [{ id: "opening_hours", patterns: ["\\bwhen\\s+do\\s+you\\s+open\\b", "\\bopening\\s+hours\\b"] }],
  }));
  writeFileSync(join(dir, "routes.json"), JSON.stringify({
    routes: [
      { name: "support", path: "/support", methods: ["POST"], intent: { textPointer: "/text", cacheKey: true } },
      { name: "rest", prefix: "/" },
    ],
  }));
  const gw = await gateway({ INTENT_EDGE_ROUTES: "/routes/routes.json", INTENT_EDGE_INTENTS: "/routes/intents.json" }, { dirs: { [dir]: "/routes" } });
  const ask = (target, text) => gw.get(target, { "content-type": "application/json" }, { method: "POST", body: JSON.stringify({ text }) });
  // An attacker's query is stored under its own key: no other query, nor none, gets that answer.
  const planted = await ask("/support?lang=%3Cscript%3E", "when do you open");
  assert.equal(cacheOf(planted), "MISS");
  const plantedBody = await planted.json();
  for (const target of ["/support?lang=en", "/support?page=2", "/support"]) {
    const res = await ask(target, "what are your opening hours");
    assert.equal(cacheOf(res), "MISS", `${target} is not the attacker's entry`);
    assert.notEqual((await res.json()).n, plantedBody.n);
  }
  // The same query and intent share one answer, as before.
  const again = await ask("/support?lang=%3Cscript%3E", "opening hours?");
  assert.equal(cacheOf(again), "HIT");
  assert.deepEqual(await again.json(), plantedBody);
  // A host the client names (absolute form) gets an entry of its own, never the one other clients get.
  const body = JSON.stringify({ text: "when do you open" });
  const evil = await raw(gw.port, Buffer.from(`POST http://evil.example/support?h=1 HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
  assert.equal(evil.status, 200);
  assert.match(evil.headers["cache-status"], /fwd=uri-miss; stored/);
  const plain = await ask("/support?h=1", "opening hours");
  assert.equal(cacheOf(plain), "MISS", "the evil host's entry is not everyone's");
  assert.notEqual((await plain.json()).n, JSON.parse(evil.body).n);
});

test("proxy: scheme, path and address fields a client writes never reach the origin", async () => {
  const gw = await gateway();
  const forged = {
    "x-forwarded-ssl": "on", "front-end-https": "on", "x-url-scheme": "https", "x-forwarded-protocol": "https",
    "x-forwarded-scheme": "https", "x-forwarded-port": "443", "x-forwarded-prefix": "/evil", "x-forwarded-path": "/evil",
    "x-forwarded-uri": "/admin", "x-original-uri": "/admin", "x-original-host": "evil.example", "x-forwarded-server": "evil",
    "x-real-ip": "6.6.6.6", "true-client-ip": "6.6.6.6", "x-client-ip": "6.6.6.6", "cf-connecting-ip": "6.6.6.6",
    "fastly-client-ip": "6.6.6.6", "x-cluster-client-ip": "6.6.6.6", "x-originating-ip": "6.6.6.6",
    "x-remote-ip": "6.6.6.6", "x-remote-addr": "6.6.6.6", "x-forwarded": "for=6.6.6.6",
    "x-scheme": "https", "client-ip": "6.6.6.6", "fly-client-ip": "6.6.6.6", "x-forwarded-user": "admin",
    "x-forwarded-client-cert": "Hash=x", "remote-user": "admin", "x-auth-request-user": "admin",
    "x-envoy-original-path": "/admin", "cloudfront-forwarded-proto": "https", "x-arr-ssl": "on",
    "x-http-host-override": "evil.example",
    // The spellings a CGI, WSGI or Rack origin reads as the same fields.
    "x_forwarded_ssl": "on", "x_forwarded_host": "evil.example", "x_intent_edge_intent": "transfer_money",
    "x_forwarded_for": "6.6.6.6", "x-forwarded_proto": "https",
  };
  const res = await gw.get("/echo?cc=public,max-age=60", forged);
  assert.equal(res.status, 200);
  const got = (await res.json()).headers;
  for (const name of Object.keys(forged)) {
    if (name === "x-forwarded-proto" || name === "x-forwarded-host") continue;
    assert.equal(got[name], undefined, `${name} reached the origin`);
  }
  assert.equal(got["x-forwarded-proto"], "http", "the gateway's own");
  // Stored, and so served to everyone: which is why none of them may shape it.
  assert.equal(cacheOf(await gw.get("/echo?cc=public,max-age=60")), "HIT");
  // A header the deployment names as the client's address is the platform's, and is passed on.
  const platform = await gateway({ INTENT_EDGE_CLIENT_HEADER: "x-real-ip" });
  const echoed = (await (await platform.get("/echo?via=platform", { "x-real-ip": "192.0.2.4", "true-client-ip": "6.6.6.6" })).json()).headers;
  assert.equal(echoed["x-real-ip"], "192.0.2.4");
  assert.equal(echoed["true-client-ip"], undefined);
  // Fields the front proxy sets for the origin are passed on when listed, in their exact spelling only.
  const front = await gateway({ INTENT_EDGE_FRONT_FIELDS: "X-Forwarded-User, x-forwarded-email" });
  const user = (await (await front.get("/echo?via=front", { "x-forwarded-user": "alice", "x-forwarded-email": "a@example.org", "x_forwarded_user": "mallory", "remote-user": "mallory" })).json()).headers;
  assert.equal(user["x-forwarded-user"], "alice");
  assert.equal(user["x-forwarded-email"], "a@example.org");
  assert.equal(user.x_forwarded_user, undefined);
  assert.equal(user["remote-user"], undefined);
  const misread = await problem(await (await gateway({ INTENT_EDGE_FRONT_FIELDS: "x-user, bad name" })).get("/echo"), 500);
  assert.match(misread.detail, /INTENT_EDGE_FRONT_FIELDS: "bad name" is not a header name/);
});

test("proxy: a GET with a body reaches the origin with its body, uncached; TRACE is a 501 the origin never sees", async () => {
  const gw = await gateway();
  for (const framing of ["Content-Length: 13\r\n", "Transfer-Encoding: chunked\r\n"]) {
    const payload = framing.startsWith("Content") ? '{"q":"shoes"}' : 'd\r\n{"q":"shoes"}\r\n0\r\n\r\n';
    const res = await raw(gw.port, Buffer.from(`GET /echo?cc=public,max-age=60&search=1 HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n${framing}Connection: close\r\n\r\n${payload}`));
    assert.equal(res.status, 200, framing);
    const echoed = JSON.parse(res.body.replace(/^[0-9a-f]+\r\n/, "").replace(/\r\n0\r\n\r\n$/, ""));
    assert.equal(echoed.method, "GET");
    assert.equal(echoed.body, '{"q":"shoes"}', `the origin got the body (${framing.trim()})`);
    assert.equal(echoed.headers["content-length"], "13");
    assert.match(res.headers["cache-status"], /fwd=bypass; detail=body/);
  }
  // A body-less GET of the same target is not answered with what a body asked for.
  assert.equal(cacheOf(await gw.get("/echo?cc=public,max-age=60&search=1")), "MISS");
  for (const method of ["TRACE", "trace", "Trace", "TRACK", "track"]) {
    const before = (await hits())["/echo?trace=1"] ?? 0;
    const trace = await raw(gw.port, Buffer.from(`${method} /echo?trace=1 HTTP/1.1\r\nHost: a\r\nCookie: session=secret\r\nMax-Forwards: 0\r\nConnection: close\r\n\r\n`));
    assert.equal(trace.status, 501, method);
    assert.match(trace.headers["content-type"], /application\/problem\+json/);
    assert.doesNotMatch(trace.body, /secret/);
    assert.equal((await hits())["/echo?trace=1"] ?? 0, before, `the origin was not asked (${method})`);
  }
});

test("purge: a revalidated (304) entry keeps its tags, a 304's tags never reach clients, and a purge wins over a late 304", async () => {
  const gw = await gateway({ INTENT_EDGE_PURGE_TOKEN: "t" });
  const purge = (body) => gw.get("/api/purge", { "content-type": "application/json", authorization: "Bearer t" }, { method: "POST", body: JSON.stringify(body) });
  const path = "/r?cc=max-age=1&etag=%22e1%22&tag=t304&skey=k304&body=tagged";
  assert.equal(cacheOf(await gw.get(path)), "MISS");
  await keepWarm(gw, 1300);
  const revalidated = await gw.get(path);
  assert.equal(cacheOf(revalidated), "REVALIDATED");
  await revalidated.arrayBuffer();
  for (const res of [revalidated, await gw.get(path)]) {
    assert.equal(res.headers.get("cache-tag"), null, "the 304's tags are the cache's, not the client's");
    assert.equal(res.headers.get("surrogate-key"), null);
  }
  const purged = await (await purge({ tags: ["t304"] })).json();
  assert.ok(purged.purged.tags >= 1, JSON.stringify(purged));
  assert.equal(cacheOf(await gw.get(path)), "MISS", "the refreshed entry went with its tag");
  // A revalidation still waiting for its 304 when a purge lands does not put the purged copy back.
  const late = "/r?cc=max-age=1&etag=%22e2%22&tag=late&body=late";
  assert.equal(cacheOf(await gw.get(late)), "MISS");
  await keepWarm(gw, 1300);
  await behave({ path: "/r", delayMs: 1500, times: 1 });
  const inFlight = gw.get(late);
  await sleep(400);
  assert.ok((await (await purge({ tags: ["late"] })).json()).purged.tags >= 1);
  const answered = await inFlight;
  assert.equal(answered.status, 200);
  assert.match(await answered.text(), /^late #1/);
  const after = await gw.get(late);
  assert.notEqual(cacheOf(after), "HIT", "the purged copy was not stored again by the late 304");
});

test("limits: a key table full of active keys says so in RateLimit too; JSON with anything after the document is a 400", async () => {
  const gw = await gateway({ INTENT_EDGE_RATE_LIMIT: JSON.stringify({ quotas: [{ name: "default", limit: 3, windowMs: 60_000 }], maxKeys: 2, onFull: "deny" }) });
  for (const client of ["192.0.2.1", "192.0.2.2"]) await (await gw.get("/r?cc=no-store", { "x-forwarded-for": client })).arrayBuffer();
  const full = await gw.get("/r?cc=no-store", { "x-forwarded-for": "192.0.2.3" });
  const body = await problem(full, 429);
  assert.match(body.detail, /too many distinct clients/);
  const retry = Number(full.headers.get("retry-after"));
  assert.ok(retry >= 1, `Retry-After ${retry}`);
  const [, remaining, reset] = full.headers.get("ratelimit").match(/^"default";r=(\d+);t=(\d+)$/);
  assert.equal(Number(remaining), 0, "no request left until Retry-After");
  assert.ok(Number(reset) >= retry, `t=${reset} against Retry-After ${retry}`);
  for (const text of ['{"text":"hello"} xyz', '{"text":"hello"}\n{"text":"send money"}']) {
    const res = await gw.get("/api/intent", { "content-type": "application/json", "x-forwarded-for": "192.0.2.1" }, { method: "POST", body: text });
    const refused = await problem(res, 400);
    assert.match(refused.detail, /trailing characters/);
  }
});

test("routes file errors are 500 problems naming the JSON pointer; metrics show the gateway's counters", async () => {
  const broken = await gateway({ INTENT_EDGE_ROUTES: JSON.stringify({ routes: [{ prefix: "/", limit: { quotas: [{ name: "q", limit: 0, windowMs: 1 }] } }] }) });
  const err = await problem(await broken.get("/x"), 500);
  assert.match(err.detail, /\/routes\/0\/limit\/quotas\/0\/limit/);
  assert.equal((await broken.get("/metrics")).status, 200, "metrics still answer");
  // ...behind their token when one is set: a configuration that cannot be read does not open them.
  const brokenWithToken = await gateway({ INTENT_EDGE_METRICS_TOKEN: "m", INTENT_EDGE_CACHE: "not json" });
  await problem(await brokenWithToken.get("/metrics"), 401);
  assert.equal((await brokenWithToken.get("/metrics", { authorization: "Bearer m" })).status, 200);
  const gw = await gateway({ INTENT_EDGE_METRICS_TOKEN: "m" });
  await (await gw.get("/r?cc=max-age=60&body=m")).arrayBuffer();
  await (await gw.get("/r?cc=max-age=60&body=m")).arrayBuffer();
  await problem(await gw.get("/metrics"), 401);
  const text = await (await gw.get("/metrics", { authorization: "Bearer m" })).text();
  assert.match(text, /intent_edge_requests_total\{route="default",status="200",cache="HIT"\} 1/);
  assert.match(text, /intent_edge_requests_total\{route="default",status="200",cache="MISS"\} 1/);
  assert.match(text, /intent_edge_request_duration_seconds_bucket\{route="default",le="\+Inf"\} 2/);
  assert.match(text, /intent_edge_ratelimit_decisions_total\{scope="default",result="allowed"\} 2/);
  assert.match(text, /intent_edge_cache_entries 1/);
});
