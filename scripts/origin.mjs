// A small origin server for the demo and the end-to-end tests: it serves www/ and a few endpoints whose caching
// headers and latency are chosen by the caller, and counts how often each path reached it.
//
//   node scripts/origin.mjs [--port 3001] [--host 127.0.0.1]
//
//   GET  /demo/slow?ms=300&tag=x   waits, answers JSON, Cache-Control: public, max-age=0  (shareable, so concurrent
//                                  identical requests are coalesced; stale at once, so each burst reaches the origin)
//   GET  /demo/cached?ttl=30       answers JSON, Cache-Control: public, max-age=ttl   (cache hits are visible)
//   GET  /demo/private             answers JSON, Cache-Control: private, max-age=60   (never cached by the gateway)
//   GET  /demo/big?bytes=N         N bytes of "x", cacheable
//   POST /demo/echo                echoes the body
//   GET  /origin/hits              {path+query: count} of requests that reached the origin
//   POST /origin/reset             zeroes the counts
//   anything else                  static files from www/ (Cache-Control: public, max-age=5)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const port = Number(args.port ?? 3001);
const host = args.host ?? "127.0.0.1";
const www = join(dirname(fileURLToPath(import.meta.url)), "..", "www");
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm", ".css": "text/css", ".json": "application/json", ".ts": "text/plain" };
const hits = new Map();
let served = 0;

function json(res, status, value, cacheControl) {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "cache-control": cacheControl, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host ?? "origin"}`);
  if (!url.pathname.startsWith("/origin/")) hits.set(url.pathname + url.search, (hits.get(url.pathname + url.search) ?? 0) + 1);
  served++;
  const stamp = { servedAt: new Date().toISOString(), originRequest: served, path: url.pathname + url.search };
  try {
    if (url.pathname === "/origin/hits") return json(res, 200, Object.fromEntries(hits), "no-store");
    if (url.pathname === "/origin/reset" && req.method === "POST") { hits.clear(); return json(res, 200, { reset: true }, "no-store"); }
    if (url.pathname === "/demo/slow") {
      await new Promise((r) => setTimeout(r, Math.min(Number(url.searchParams.get("ms") ?? 300), 10_000)));
      return json(res, 200, stamp, "public, max-age=0");
    }
    if (url.pathname === "/demo/cached") return json(res, 200, stamp, `public, max-age=${Number(url.searchParams.get("ttl") ?? 30)}`);
    if (url.pathname === "/demo/private") return json(res, 200, stamp, "private, max-age=60");
    if (url.pathname === "/demo/big") {
      const body = "x".repeat(Math.min(Number(url.searchParams.get("bytes") ?? 1024), 64 * 1024 * 1024));
      res.writeHead(200, { "content-type": "text/plain", "cache-control": "public, max-age=60" });
      return res.end(body);
    }
    if (url.pathname === "/demo/echo" && req.method === "POST") {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      res.writeHead(200, { "content-type": req.headers["content-type"] ?? "application/octet-stream", "cache-control": "no-store" });
      return res.end(Buffer.concat(chunks));
    }
    const relative = normalize(url.pathname === "/" ? "/index.html" : url.pathname).replace(/^(\.\.[/\\])+/, "");
    const body = await readFile(join(www, relative));
    res.writeHead(200, { "content-type": types[extname(relative)] ?? "application/octet-stream", "cache-control": "public, max-age=5" });
    res.end(body);
  } catch {
    json(res, 404, { error: `not found: ${url.pathname}` }, "no-store");
  }
});
server.listen(port, host, () => console.log(`origin listening on http://${host}:${port}/`));
