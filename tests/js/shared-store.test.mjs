// The gateway on a shared store: a real `redis-server` started here, the component under `wasmtime serve` with
// Spin's default instance model (at most 128 requests and 16 at once per instance, dropped after 1 s idle), and two
// separate `wasmtime serve` processes standing for two nodes. One limit, one cache, one origin call across every
// instance and node; Redis faults follow the configured policy, never hang a request, and recover.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { repo } from "./corpus.mjs";
import { problem } from "./problem.mjs";
import { freePort, startEdge, startRedis, startTestOrigin } from "./servers.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let origin;
let redis;
const started = [];
before(async () => {
  [origin, redis] = await Promise.all([startTestOrigin(), startRedis()]);
});
after(() => Promise.all([origin?.stop(), redis?.stop(), ...started.map((g) => g.stop())]));

/** A node: the component under `wasmtime serve` (Spin's defaults), allowed to open TCP connections to Redis.
 * Its Redis deadline is 1 s unless a test sets its own: these tests count exact admissions and origin calls, whose
 * premise is a Redis that answers. With the 50 ms default, a machine busy with two CPU-bound processes made calls
 * miss the deadline and fall back per instance (policy `local`, as documented) in 1 of 16 runs of the first test
 * (5 of 16 before an instance waited for three faults in a row to back off); the tests that set 50 ms cover that. */
async function node(env = {}) {
  const gw = await startEdge({
    dirs: { [join(repo, "config")]: "/config" },
    env: { INTENT_EDGE_ORIGIN: origin.url, INTENT_EDGE_STORE: redis.url, INTENT_EDGE_PURGE_TOKEN: "purge-secret", INTENT_EDGE_STORE_TIMEOUT_MS: "1000", ...env },
    extraArgs: ["-S", "inherit-network=y"],
  });
  started.push(gw);
  return gw;
}

const hits = async () => (await fetch(`${origin.url}/_hits`)).json();
const perHour = (limit) => JSON.stringify({ quotas: [{ name: "hour", limit, windowMs: 3_600_000 }] });

/** Sends `requests` (each `[url, headers]`) with at most `concurrency` in flight; answers in request order. */
async function load(requests, concurrency) {
  const answers = new Array(requests.length);
  let next = 0;
  async function worker() {
    while (next < requests.length) {
      const i = next++;
      const [url, headers = {}] = requests[i];
      const started = performance.now();
      const res = await fetch(url, { headers });
      answers[i] = {
        status: res.status,
        headers: res.headers,
        body: await res.text(),
        ms: performance.now() - started,
      };
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

const count = (answers, status) => answers.filter((a) => a.status === status).length;

test("one client at concurrency 32 against 100 per hour: exactly 100 admitted, the rest 429 with the exact Retry-After", async () => {
  const gw = await node({ INTENT_EDGE_RATE_LIMIT: perHour(100) });
  const answers = await load(Array.from({ length: 300 }, () => [`${gw.url}/r?cc=no-store`, { "x-forwarded-for": "203.0.113.7" }]), 32);
  assert.equal(count(answers, 200), 100, "admitted");
  assert.equal(count(answers, 429), 200, "denied");
  for (const denied of answers.filter((a) => a.status === 429)) {
    // The 101st request may go 36 s after the first (3600 s / 100): Retry-After counts down from 36.
    const retry = Number(denied.headers.get("retry-after"));
    assert.ok(retry >= 30 && retry <= 36, `Retry-After ${retry}`);
    assert.match(denied.headers.get("ratelimit"), /^"hour";r=0;t=\d+$/);
    assert.equal(denied.headers.get("content-type"), "application/problem+json");
    const body = JSON.parse(denied.body);
    assert.equal(body.type, "urn:intent-edge:problem:rate-limited");
    assert.doesNotMatch(denied.body, /203\.0\.113\.7/, "the 429 never names the key");
  }
  const remaining = answers.filter((a) => a.status === 200).map((a) => Number(/r=(\d+)/.exec(a.headers.get("ratelimit"))[1]));
  assert.deepEqual([...remaining].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), "each admission saw its own remaining count");
});

test("16 clients interleaved at concurrency 32: each gets exactly its own 10", async () => {
  const gw = await node({ INTENT_EDGE_RATE_LIMIT: perHour(10) });
  const requests = [];
  for (let round = 0; round < 25; round++) {
    for (let client = 0; client < 16; client++) requests.push([`${gw.url}/r?cc=no-store`, { "x-forwarded-for": `198.51.100.${client}` }]);
  }
  const answers = await load(requests, 32);
  for (let client = 0; client < 16; client++) {
    const own = answers.filter((_, i) => i % 16 === client);
    assert.equal(count(own, 200), 10, `client ${client} admitted`);
    assert.equal(count(own, 429), 15, `client ${client} denied`);
  }
});

test("two nodes (two wasmtime serve processes) sharing one Redis enforce one limit", async () => {
  const env = { INTENT_EDGE_RATE_LIMIT: perHour(50), INTENT_EDGE_STORE_PREFIX: "two-nodes:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const requests = Array.from({ length: 160 }, (_, i) => [`${(i % 2 ? a : b).url}/r?cc=no-store`, { "x-forwarded-for": "192.0.2.1" }]);
  const answers = await load(requests, 32);
  assert.equal(count(answers, 200), 50, "admitted over both nodes");
  assert.ok(count(answers.filter((_, i) => i % 2), 200) > 0 && count(answers.filter((_, i) => i % 2 === 0), 200) > 0, "both nodes admitted some");
  // Memory store, same traffic: each node (and each instance) limits alone — what the shared store fixes.
  const local = { INTENT_EDGE_RATE_LIMIT: perHour(50), INTENT_EDGE_STORE: "memory" };
  const [c, d] = await Promise.all([node(local), node(local)]);
  const alone = await load(Array.from({ length: 160 }, (_, i) => [`${(i % 2 ? c : d).url}/r?cc=no-store`, { "x-forwarded-for": "192.0.2.1" }]), 32);
  assert.ok(count(alone, 200) >= 100, `per-instance limits admit one budget per node at least (${count(alone, 200)})`);
});

test("50 concurrent identical cacheable misses over two nodes: 1 origin call, everyone gets the answer", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "coalesce:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D60&delay=400&body=shared-once";
  const answers = await load(Array.from({ length: 50 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`, { "x-forwarded-for": `10.1.0.${i}` }]), 50);
  assert.equal(count(answers, 200), 50);
  // The origin numbers its answers: every client got answer #1.
  assert.deepEqual(new Set(answers.map((x) => x.body)), new Set(["shared-once #1"]));
  assert.equal((await hits())[path], 1, "origin calls");
  const collapsed = answers.filter((x) => /collapsed/.test(x.headers.get("cache-status"))).length;
  assert.equal(collapsed, 49, "every other request shared the one call");
  // Later requests on either node are hits (from the instance or from Redis), still one origin call.
  const later = await load(Array.from({ length: 10 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`]), 5);
  assert.ok(later.every((x) => /hit/.test(x.headers.get("cache-status"))), later.map((x) => x.headers.get("cache-status")).join(" | "));
  assert.equal((await hits())[path], 1);
});

test("a response that is not shareable is never handed across instances: each waiter asks the origin", async () => {
  const gw = await node({ INTENT_EDGE_STORE_PREFIX: "private:" });
  const answers = await load(Array.from({ length: 8 }, (_, i) => [`${gw.url}/me?delay=300`, { "x-api-key": `user-${i}`, "x-forwarded-for": `10.2.0.${i}` }]), 8);
  answers.forEach((a, i) => assert.equal(JSON.parse(a.body).user, `user-${i}`, `request ${i} got its own answer`));
  assert.equal(new Set(answers.map((a) => JSON.parse(a.body).n)).size, 8, "eight origin calls");
  const keys = await redis.command(["KEYS", "private:c:*"]);
  assert.equal(keys, "*0\r\n", "nothing private stored in Redis");
  // The key is marked hit-for-miss: for a while its requests go straight to the origin, none waits for another's.
  assert.match(await redis.command(["KEYS", "private:hfm:*"]), /^\*1\r\n/);
  const again = await load(Array.from({ length: 8 }, (_, i) => [`${gw.url}/me?delay=300`, { "x-api-key": `again-${i}`, "x-forwarded-for": `10.2.1.${i}` }]), 8);
  again.forEach((a, i) => assert.equal(JSON.parse(a.body).user, `again-${i}`));
});

test("a hanging origin: the lease holder's 504 reaches the waiters of every node at once, after one origin call", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "hang:", INTENT_EDGE_TOTAL_TIMEOUT_MS: "1500", INTENT_EDGE_FIRST_BYTE_TIMEOUT_MS: "1500" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const started = performance.now();
  const answers = await load(Array.from({ length: 12 }, (_, i) => [`${(i % 2 ? a : b).url}/hang`, { "x-forwarded-for": `10.3.0.${i}` }]), 12);
  const elapsed = performance.now() - started;
  assert.deepEqual(answers.map((x) => x.status), Array(12).fill(504));
  assert.ok(answers.every((x) => x.headers.get("content-type") === "application/problem+json"));
  assert.ok(elapsed < 2900, `all answered within one total timeout (1.5 s) and a margin, not two: ${elapsed.toFixed(0)} ms`);
  assert.equal((await hits())["/hang"], 1, "one origin call for the twelve");
});

test("a failure an earlier lease holder left is not the answer for the waiters of a later holder", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "refail:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D60&delay=1000&body=refail";
  // The first call's connection is dropped: a 502, left in Redis for that holder's waiters (2 s).
  await fetch(`${origin.url}/_behaviour`, { method: "POST", body: JSON.stringify({ path: "/r", reset: true, times: 1 }) });
  const first = await fetch(`${a.url}${path}`);
  assert.equal(first.status, 502);
  await first.arrayBuffer();
  // A new holder asks again (1 s); a request on the other node 300 ms later waits for that holder's answer.
  const second = fetch(`${a.url}${path}`);
  await sleep(300);
  const waiter = await fetch(`${b.url}${path}`);
  const [held, waited] = await Promise.all([second.then(async (r) => [r.status, await r.text()]), waiter.text().then((t) => [waiter.status, t])]);
  assert.deepEqual(held, [200, "refail #2"]);
  assert.deepEqual(waited, [200, "refail #2"], "the waiter got its holder's answer, not the earlier 502");
  assert.equal((await hits())[path], 2);
});

test("one client's no-store request does not turn coalescing off for everyone else", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "hfm-req:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D60&delay=400&body=noreq";
  const asked = await fetch(`${a.url}${path}`, { headers: { "cache-control": "no-store" } });
  assert.equal(asked.status, 200);
  await asked.arrayBuffer();
  assert.equal(await redis.command(["KEYS", "hfm-req:hfm:*"]), "*0\r\n", "no hit-for-miss mark");
  const answers = await load(Array.from({ length: 10 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`, { "x-forwarded-for": `10.9.0.${i}` }]), 10);
  assert.deepEqual(new Set(answers.map((x) => x.body)), new Set(["noreq #2"]));
  assert.equal((await hits())[path], 2, "one origin call for the ten");
});

test("a no-store request in flight leads no one: concurrent normal requests share one call of their own", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "nolead:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D60&delay=600&body=nolead";
  const own = fetch(`${a.url}${path}`, { headers: { "cache-control": "no-store", "x-forwarded-for": "10.8.0.99" } });
  await sleep(100);
  const answers = await load(Array.from({ length: 10 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`, { "x-forwarded-for": `10.8.0.${i}` }]), 10);
  const mine = await own;
  assert.equal(mine.status, 200);
  assert.equal(await mine.text(), "nolead #1");
  assert.deepEqual(new Set(answers.map((x) => x.body)), new Set(["nolead #2"]), "the ten shared one answer, not the no-store one's");
  assert.equal((await hits())[path], 2, "two origin calls: the no-store request's and the ten's");
});

test("a purge through one node wins over a revalidation's late 304 on the other: the purged copy is not stored again", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "late304:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=max-age=1&etag=%22L%22&tag=late304&body=late304";
  const first = await fetch(`${a.url}${path}`);
  assert.match(first.headers.get("cache-status"), /stored/);
  await first.arrayBuffer();
  await sleep(1300);
  // The next conditional request waits 1.5 s for its 304; meanwhile the tag is purged through the other node.
  await fetch(`${origin.url}/_behaviour`, { method: "POST", body: JSON.stringify({ path: "/r", delayMs: 1500, times: 1 }) });
  const revalidating = fetch(`${a.url}${path}`);
  await sleep(400);
  const purged = await fetch(`${b.url}/api/purge`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer purge-secret" }, body: JSON.stringify({ tags: ["late304"] }) });
  assert.equal(purged.status, 200, await purged.text());
  const late = await revalidating;
  assert.equal(late.status, 200);
  await late.arrayBuffer();
  assert.equal(await redis.command(["EXISTS", `late304:c:${path}`]), ":0\r\n", "not in Redis again");
  // The node that revalidated asks the origin again; the other then gets that new answer, never the purged one.
  const again = await fetch(`${a.url}${path}`);
  assert.match(again.headers.get("cache-status"), /fwd=uri-miss/, "the purged copy was not kept on the node that revalidated");
  const fresh = await again.text();
  assert.notEqual(fresh, "late304 #1");
  assert.equal(await (await fetch(`${b.url}${path}`)).text(), fresh);
});

test("purge by tag through one node is seen by every instance of every node", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "purge:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D300&tag=catalog&body=v1";
  await (await fetch(`${a.url}${path}`)).text();
  // Warm copies in several instances of both nodes.
  const warm = await load(Array.from({ length: 24 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`]), 24);
  assert.ok(warm.every((x) => /hit/.test(x.headers.get("cache-status"))), "all hits before the purge");
  assert.equal((await hits())[path], 1);
  const purge = await fetch(`${a.url}/api/purge`, {
    method: "POST",
    headers: { authorization: "Bearer purge-secret", "content-type": "application/json" },
    body: JSON.stringify({ tags: ["catalog"] }),
  });
  const answer = await purge.json();
  assert.equal(purge.status, 200, JSON.stringify(answer));
  assert.equal(answer.scope, "shared");
  assert.equal(answer.shared.tags, 1, "the Redis entry went");
  // The first request after the purge, on the other node, goes to the origin; nobody serves the old copy.
  const first = await fetch(`${b.url}${path}`);
  await first.text();
  assert.match(first.headers.get("cache-status"), /fwd=/, first.headers.get("cache-status"));
  const after = await load(Array.from({ length: 24 }, (_, i) => [`${(i % 2 ? a : b).url}${path}`]), 24);
  const ages = after.map((x) => Number(x.headers.get("age") ?? 0));
  assert.ok(ages.every((age) => age <= 1), `no copy from before the purge (ages ${ages})`);
  assert.equal((await hits())[path], 2, "one new origin call after the purge");
});

test("Redis stopped mid-run (policy local): no request hangs, limits fall back per instance, and the shared limit returns after a restart", async () => {
  const own = await startRedis();
  const gw = await node({ INTENT_EDGE_STORE: own.url, INTENT_EDGE_RATE_LIMIT: perHour(20), INTENT_EDGE_STORE_RETRY_MS: "500" });
  const client = { "x-forwarded-for": "203.0.113.50" };
  const before = await load(Array.from({ length: 10 }, () => [`${gw.url}/r?cc=no-store`, client]), 4);
  assert.equal(count(before, 200), 10);
  await own.stop();
  const during = await load(Array.from({ length: 40 }, (_, i) => [`${gw.url}/r?cc=public%2C%20max-age%3D60&body=down&n=${i % 4}`, client]), 8);
  assert.ok(during.every((x) => x.status === 200 || x.status === 429), `answers while Redis is down: ${during.map((x) => x.status)}`);
  assert.ok(during.every((x) => x.ms < 2000), `slowest ${Math.max(...during.map((x) => x.ms)).toFixed(0)} ms`);
  assert.ok(during.filter((x) => x.status === 200).every((x) => x.body.startsWith("down #")), "what the origin sent reaches the client");
  assert.ok(during.some((x) => x.headers.get("ratelimit")), "the instance's own limiter answers");
  const metrics = await (await fetch(`${gw.url}/metrics`)).text();
  assert.match(metrics, /intent_edge_store_calls_total\{op="limit",result="(unavailable|skipped)"\}/);
  // Redis comes back (empty, as after a restart without persistence): after the back-off, one limit again.
  const back = await startRedis({ port: own.port });
  started.push(back);
  await sleep(700);
  const fresh = { "x-forwarded-for": "203.0.113.51" };
  const recovered = await load(Array.from({ length: 60 }, () => [`${gw.url}/r?cc=no-store`, fresh]), 32);
  assert.equal(count(recovered, 200), 20, "exactly the shared limit once Redis is back");
});

test("a slow Redis (DEBUG SLEEP) costs a request at most the store deadline, never a hang", async () => {
  const own = await startRedis();
  started.push(own);
  const gw = await node({ INTENT_EDGE_STORE: own.url, INTENT_EDGE_STORE_TIMEOUT_MS: "50" });
  await load(Array.from({ length: 4 }, () => [`${gw.url}/r?cc=no-store`]), 4);
  const sleeping = own.command(["DEBUG", "SLEEP", "2"]);
  await sleep(50);
  const answers = await load(Array.from({ length: 16 }, () => [`${gw.url}/r?cc=no-store`]), 8);
  await sleeping;
  assert.ok(answers.every((x) => x.status === 200), answers.map((x) => x.status).join(","));
  const slowest = Math.max(...answers.map((x) => x.ms));
  assert.ok(slowest < 1000, `slowest ${slowest.toFixed(0)} ms while Redis sleeps 2 s`);
});

test("one late answer from Redis costs only its own request: the next one is decided in Redis again, not by the instance", async () => {
  const own = await startRedis();
  started.push(own);
  // A 300 ms deadline, not the 50 ms default: on a loaded machine a healthy call can take 50 ms, and this test is
  // about one call that is late on purpose.
  const gw = await node({ INTENT_EDGE_STORE: own.url, INTENT_EDGE_STORE_TIMEOUT_MS: "300", INTENT_EDGE_RATE_LIMIT: perHour(10) });
  const client = { "x-forwarded-for": "203.0.113.60" };
  const remaining = (res) => Number(/r=(\d+)/.exec(res.headers.get("ratelimit"))[1]);
  for (const expected of [9, 8, 7]) assert.equal(remaining(await fetch(`${gw.url}/r?cc=no-store`, { headers: client })), expected);
  // Redis busy for 900 ms: this request's call misses its deadline and the instance's own limiter (fresh: r=9, so
  // the three above were Redis's) decides it; Redis still runs the queued call when it wakes. The instance is idle
  // less than Spin's 1 s meanwhile, so the next request finds it.
  const sleeping = own.command(["DEBUG", "SLEEP", "0.9"]);
  await sleep(100);
  const late = await fetch(`${gw.url}/r?cc=no-store`, { headers: client });
  assert.equal(late.status, 200);
  assert.equal(remaining(late), 9, "decided by the instance's own limiter");
  await sleeping;
  // Redis answers again: the next decision is Redis's (7 - the late call - this one = 5), not a second local one
  // (8) as when one fault made the instance stop asking for INTENT_EDGE_STORE_RETRY_MS (1 s).
  const next = await fetch(`${gw.url}/r?cc=no-store`, { headers: client });
  assert.equal(remaining(next), 5, "decided in Redis");
});

test("fault policies: closed answers 503, open allows without limit fields; a bad store URL is a 500 naming the variable", async () => {
  const nobody = `redis://127.0.0.1:${await freePort()}`;
  const [closed, open, bad] = await Promise.all([
    node({ INTENT_EDGE_STORE: nobody, INTENT_EDGE_STORE_ON_ERROR: "closed" }),
    node({ INTENT_EDGE_STORE: nobody, INTENT_EDGE_STORE_ON_ERROR: "open" }),
    node({ INTENT_EDGE_STORE: "redis://user:pw@127.0.0.1:1/x" }),
  ]);
  const refused = await problem(await fetch(`${closed.url}/r?cc=no-store`), 503);
  assert.equal(refused.type, "urn:intent-edge:problem:limiter-unavailable");
  const allowed = await fetch(`${open.url}/r?cc=no-store&body=open`);
  assert.equal(allowed.status, 200);
  assert.match(await allowed.text(), /^open #\d+$/);
  assert.equal(allowed.headers.get("ratelimit"), null);
  const misconfigured = await problem(await fetch(`${bad.url}/r`), 500);
  assert.match(misconfigured.detail, /INTENT_EDGE_STORE/);
  assert.doesNotMatch(misconfigured.detail, /pw/, "the password is never echoed");
});

test("a Redis that requires a password: the right one in the URL works, a wrong one is a fault (policy closed: 503)", async () => {
  const locked = await startRedis({ args: ["--requirepass", "s3cret"] });
  started.push(locked);
  const limit = perHour(5);
  const [good, wrong] = await Promise.all([
    node({ INTENT_EDGE_STORE: `redis://:s3cret@127.0.0.1:${locked.port}`, INTENT_EDGE_RATE_LIMIT: limit }),
    node({ INTENT_EDGE_STORE: `redis://default:nope@127.0.0.1:${locked.port}`, INTENT_EDGE_STORE_ON_ERROR: "closed" }),
  ]);
  const answers = await load(Array.from({ length: 12 }, () => [`${good.url}/r?cc=no-store`, { "x-forwarded-for": "203.0.113.90" }]), 6);
  assert.equal(count(answers, 200), 5, "the shared limit, through an authenticated connection");
  const refused = await problem(await fetch(`${wrong.url}/r?cc=no-store`), 503);
  assert.doesNotMatch(JSON.stringify(refused), /nope|s3cret/);
});

test("Vary across nodes: a variant stored by one node never answers another variant's request on the other", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "vary:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const first = await fetch(`${a.url}/variant?cc=x`, { headers: { "x-variant": "alpha" } });
  assert.match(await first.text(), /^variant alpha #/);
  // The other node, the other variant: not alpha's answer, whatever Redis holds.
  const other = await fetch(`${b.url}/variant?cc=x`, { headers: { "x-variant": "beta" } });
  assert.match(await other.text(), /^variant beta #/);
  // Both variants are in Redis: once the instances that stored them are gone (1 s idle), new instances on the
  // other nodes find each one (hits), and the origin is not asked again.
  await new Promise((r) => setTimeout(r, 1500));
  const betaOnA = await fetch(`${a.url}/variant?cc=x`, { headers: { "x-variant": "beta" } });
  const alphaOnB = await fetch(`${b.url}/variant?cc=x`, { headers: { "x-variant": "alpha" } });
  assert.match(await betaOnA.text(), /^variant beta #/);
  assert.match(await alphaOnB.text(), /^variant alpha #/);
  assert.match(betaOnA.headers.get("cache-status"), /hit/);
  assert.match(alphaOnB.headers.get("cache-status"), /hit/);
  assert.equal((await hits())["/variant?cc=x"], 2, "one origin call per variant");
  // Concurrent mixed variants over both nodes: each gets its own.
  const answers = await load(Array.from({ length: 20 }, (_, i) => [`${(i % 2 ? a : b).url}/variant?cc=y&delay=200`, { "x-variant": i % 4 < 2 ? "alpha" : "beta", "x-forwarded-for": `10.4.0.${i}` }]), 20);
  answers.forEach((x, i) => assert.match(x.body, new RegExp(`^variant ${i % 4 < 2 ? "alpha" : "beta"} #`), `request ${i}`));
});

test("a routes file: each route's own quota and key, shared across two nodes", async () => {
  const routes = {
    routes: [
      { name: "search", prefix: "/r", limit: { quotas: [{ name: "search", limit: 7, windowMs: 3_600_000 }] } },
      { name: "account", prefix: "/me", limit: { key: "apiKey", quotas: [{ name: "user", limit: 3, windowMs: 3_600_000 }] }, cache: { enabled: false } },
    ],
  };
  const env = { INTENT_EDGE_ROUTES: JSON.stringify(routes), INTENT_EDGE_STORE_PREFIX: "routes:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const client = { "x-forwarded-for": "198.51.100.77" };
  const search = await load(Array.from({ length: 20 }, (_, i) => [`${(i % 2 ? a : b).url}/r?cc=no-store`, client]), 10);
  assert.equal(count(search, 200), 7);
  // Same client address, other route: its own budget, keyed by API key (from any address).
  const account = await load(Array.from({ length: 10 }, (_, i) => [`${(i % 2 ? a : b).url}/me`, { "x-api-key": "k-1", "x-forwarded-for": `203.0.113.${i}` }]), 5);
  assert.equal(count(account, 200), 3);
  assert.ok(account.filter((x) => x.status === 429).every((x) => /"user";r=0/.test(x.headers.get("ratelimit"))));
});

test("a revalidation (304) refreshes the shared entry too: another node then hits without asking the origin", async () => {
  const env = { INTENT_EDGE_STORE_PREFIX: "revalidate:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=max-age%3D1&etag=v1&body=validated";
  await (await fetch(`${a.url}${path}`)).text();
  await new Promise((r) => setTimeout(r, 1600)); // stale now, and the instances are gone
  const revalidated = await fetch(`${a.url}${path}`);
  assert.match(await revalidated.text(), /^validated #1/);
  assert.match(revalidated.headers.get("cache-status"), /fwd=stale/);
  const elsewhere = await fetch(`${b.url}${path}`);
  assert.match(await elsewhere.text(), /^validated #1/);
  assert.match(elsewhere.headers.get("cache-status"), /hit/, elsewhere.headers.get("cache-status"));
  assert.equal((await hits())[path], 2, "the first request and one conditional request");
});

test("on a route without a limit, a purge reaches the other node's copies within the purge check (100 ms)", async () => {
  const routes = { routes: [{ name: "open", prefix: "/r", limit: "none" }] };
  const env = { INTENT_EDGE_ROUTES: JSON.stringify(routes), INTENT_EDGE_STORE_PREFIX: "nolimit:" };
  const [a, b] = await Promise.all([node(env), node(env)]);
  const path = "/r?cc=public%2C%20max-age%3D300&body=unlimited";
  await (await fetch(`${a.url}${path}`)).text();
  const warm = await fetch(`${b.url}${path}`);
  await warm.text();
  assert.match(warm.headers.get("cache-status"), /hit/);
  const purge = await fetch(`${a.url}/api/purge`, {
    method: "POST",
    headers: { authorization: "Bearer purge-secret", "content-type": "application/json" },
    body: JSON.stringify({ keys: ["/r?cc=public%2C%20max-age%3D300&body=unlimited"] }),
  });
  assert.equal(purge.status, 200, await purge.text());
  await new Promise((r) => setTimeout(r, 150));
  const after = await fetch(`${b.url}${path}`);
  assert.match(await after.text(), /^unlimited #2/, "the origin's new answer, not the purged copy");
  assert.match(after.headers.get("cache-status"), /fwd=/);
});
