// A programmable origin for the gateway tests: every behaviour a real origin can have (per-user answers, cookies,
// Vary, validators, any Cache-Control, slowness, failures, hanging, large and slow bodies) chosen per request by
// query parameters, plus a record of what reached it.
//
//   node tests/js/test-origin.mjs --port P
//
//   GET  /r?cc=..&status=..&etag=..&lm=..&vary=..&tag=..&skey=..&delay=ms&body=..&location=..
//        answers 200 (or status) with those headers; a matching If-None-Match / If-Modified-Since gets 304
//   GET  /me?delay=ms&cc=..         {"user": <x-api-key>}; Cache-Control: cc (default "private, no-store")
//   GET  /login?delay=ms&cc=..      a fresh Set-Cookie session each time; Cache-Control: cc (default "public, max-age=60")
//   GET  /variant?delay=ms           Vary: X-Variant; the body names the variant
//   GET  /hang                        never answers
//   GET  /drip?bytes=N&chunk=C&every=ms[&chunked]   N bytes, C at a time, one chunk every `every` ms
//                                    (Content-Length: N, or none with `chunked`)
//   GET  /cut?bytes=N&send=M[&chunked]&cc=..   declares N bytes (or chunked), sends M, drops the connection
//   ANY  /items/...                   GET: cacheable; unsafe methods answer 201 with `Location: <x-location header>`
//   POST /support                     echoes the x-intent-edge-* headers it got; Cache-Control: public, max-age=60
//   ANY  /echo?cc=..                 {"method", "body", "headers"} of the request; Cache-Control: cc (default no-store)
//   POST /_behaviour {path, status?, cc?, etag?, delayMs?, hang?, reset?, times?}   override the next `times` answers
//                                    of path (`reset`: drop the connection without answering)
//   GET  /_hits                       {"path?query": count}    POST /_reset
//   GET  /_seen?path=/p              the headers of the last request for path
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const port = Number(args.port ?? 0);
const hits = new Map();
const seen = new Map();
const behaviours = new Map();
let served = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function send(res, status, headers, body = "") {
  const buf = Buffer.from(body);
  res.writeHead(status, { "content-length": buf.length, ...headers });
  res.end(status === 304 || res.req.method === "HEAD" ? undefined : buf);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

const server = createServer({ maxHeaderSize: 1 << 20 }, async (req, res) => {
  const url = new URL(req.url, "http://origin");
  const key = url.pathname + url.search;
  const q = url.searchParams;
  if (!url.pathname.startsWith("/_")) {
    hits.set(key, (hits.get(key) ?? 0) + 1);
    seen.set(url.pathname, { method: req.method, headers: req.headers, rawHeaders: req.rawHeaders });
  }
  served++;
  const n = hits.get(key) ?? 0;
  try {
    if (url.pathname === "/_hits") return send(res, 200, { "content-type": "application/json" }, JSON.stringify(Object.fromEntries(hits)));
    if (url.pathname === "/_reset") { hits.clear(); seen.clear(); behaviours.clear(); return send(res, 200, {}, "reset"); }
    if (url.pathname === "/_seen") return send(res, 200, { "content-type": "application/json" }, JSON.stringify(seen.get(q.get("path")) ?? null));
    if (url.pathname === "/_behaviour") {
      const b = JSON.parse(await readBody(req));
      behaviours.set(b.path, { times: Infinity, ...b });
      return send(res, 200, {}, "ok");
    }
    const override = behaviours.get(url.pathname);
    if (override && override.times > 0) {
      override.times--;
      if (override.hang) return; // never answer
      if (override.reset) return res.socket.destroy();
      if (override.delayMs) await sleep(override.delayMs);
      if (override.status) {
        return send(res, override.status, { "content-type": "text/plain", ...(override.cc ? { "cache-control": override.cc } : {}) }, `override ${override.status} #${n}`);
      }
    }
    const delay = Number(q.get("delay") ?? 0);
    if (delay) await sleep(delay);
    if (url.pathname === "/hang") return; // never answers; the socket stays open
    if (url.pathname === "/me") {
      return send(res, 200, { "content-type": "application/json", "cache-control": q.get("cc") ?? "private, no-store" },
        JSON.stringify({ user: req.headers["x-api-key"] ?? null, n }));
    }
    if (url.pathname === "/login") {
      return send(res, 200, { "content-type": "application/json", "cache-control": q.get("cc") ?? "public, max-age=60", "set-cookie": `session=${randomUUID()}; HttpOnly` },
        JSON.stringify({ n }));
    }
    if (url.pathname === "/variant") {
      return send(res, 200, { "content-type": "text/plain", "cache-control": "public, max-age=60", vary: "X-Variant" },
        `variant ${req.headers["x-variant"] ?? "(none)"} #${n}`);
    }
    if (url.pathname === "/drip") {
      const total = Number(q.get("bytes") ?? 1000);
      const chunk = Number(q.get("chunk") ?? 100);
      const every = Number(q.get("every") ?? 10);
      const length = q.has("chunked") ? {} : { "content-length": total };
      res.writeHead(200, { "content-type": "text/plain", ...length, "cache-control": q.get("cc") ?? "no-store" });
      for (let sent = 0; sent < total; sent += chunk) {
        if (!res.write("x".repeat(Math.min(chunk, total - sent)))) await new Promise((r) => res.once("drain", r));
        await sleep(every);
        if (res.destroyed) return;
      }
      return res.end();
    }
    if (url.pathname === "/cut") {
      // Declares `bytes` (or sends chunks with `chunked`), sends `send` of them, then drops the connection.
      const total = Number(q.get("bytes") ?? 1000);
      const length = q.has("chunked") ? {} : { "content-length": total };
      res.writeHead(200, { "content-type": "text/plain", ...length, "cache-control": q.get("cc") ?? "public, max-age=60" });
      res.write("x".repeat(Number(q.get("send") ?? 100)));
      await sleep(50);
      return res.socket.destroy();
    }
    if (url.pathname.startsWith("/items")) {
      if (req.method === "GET" || req.method === "HEAD") {
        return send(res, 200, { "content-type": "text/plain", "cache-control": "public, max-age=60" }, `item ${url.pathname} #${n}`);
      }
      await readBody(req);
      const location = req.headers["x-location"];
      return send(res, 201, { "content-type": "text/plain", ...(location ? { location } : {}) }, `${req.method} done`);
    }
    if (url.pathname === "/echo") {
      const body = await readBody(req);
      return send(res, 200, { "content-type": "application/json", "cache-control": q.get("cc") ?? "no-store" },
        JSON.stringify({ method: req.method, body, headers: req.headers }));
    }
    if (url.pathname === "/support") {
      const body = await readBody(req);
      const intentHeaders = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith("x-intent-edge-")));
      return send(res, 200, { "content-type": "application/json", "cache-control": "public, max-age=60" },
        JSON.stringify({ n: served, body, intentHeaders }));
    }
    if (url.pathname === "/r") {
      const headers = { "content-type": "text/plain" };
      if (q.has("cc")) headers["cache-control"] = q.get("cc");
      if (q.has("etag")) headers.etag = q.get("etag");
      if (q.has("lm")) headers["last-modified"] = q.get("lm");
      if (q.has("vary")) headers.vary = q.get("vary");
      if (q.has("tag")) headers["cache-tag"] = q.get("tag");
      if (q.has("skey")) headers["surrogate-key"] = q.get("skey");
      if (q.has("expires")) headers.expires = q.get("expires");
      if (q.has("location")) headers.location = q.get("location");
      if (q.has("via")) headers.via = q.get("via");
      if (q.has("age")) headers.age = q.get("age");
      const inm = req.headers["if-none-match"];
      if (q.has("etag") && inm && inm.split(",").map((s) => s.trim().replace(/^W\//, "")).includes(q.get("etag").replace(/^W\//, ""))) {
        return send(res, 304, headers);
      }
      const ims = req.headers["if-modified-since"];
      if (!inm && q.has("lm") && ims && Date.parse(q.get("lm")) <= Date.parse(ims)) return send(res, 304, headers);
      return send(res, Number(q.get("status") ?? 200), headers, `${q.get("body") ?? "r"} #${n}`);
    }
    send(res, 404, { "content-type": "text/plain" }, `no ${url.pathname}`);
  } catch (e) {
    send(res, 500, { "content-type": "text/plain" }, String(e));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => console.log(`test origin listening on http://127.0.0.1:${server.address().port}/`));
