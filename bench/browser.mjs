// Headless-Chromium half of the benchmark: the same bench/suite.mjs, run inside a page that loads the browser
// package (pkg/web), so the JS RegExp loop and the wasm module are timed in one real browser process.
// Writes target/bench/chromium.json.
import { createServer } from "node:http";
import { readFile, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join, dirname, extname, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = createRequire(join(root, "tests/js/package.json"))("playwright-core");
const types = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

// Serves the repository read-only on 127.0.0.1 (the page needs pkg/web, bench/ and target/bench/).
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (path === "/") {
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>bench</title>");
    return;
  }
  try {
    const body = await readFile(join(root, path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

const executablePath = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
});
try {
  const page = await browser.newPage();
  await page.goto(base + "/");
  const out = await page.evaluate(async () => {
    // The package as a user imports it: index.js puts the JavaScript layer (engines.js) over wasm-bindgen's glue.
    const wasm = await import("/pkg/web/index.js");
    await wasm.default();
    const { benchSet } = await import("/bench/suite.mjs");
    const manifest = await (await fetch("/target/bench/sets.json")).json();
    const results = [];
    for (const entry of manifest) {
      const set = {
        name: entry.name,
        config: await (await fetch("/" + entry.json)).json(),
        bytes: new Uint8Array(await (await fetch("/" + entry.iedge)).arrayBuffer()),
        texts: (await (await fetch("/" + entry.queries)).text()).trim().split("\n").map((l) => JSON.parse(l).text),
      };
      results.push(benchSet(wasm.IntentMatcher, set));
    }
    return { runtime: navigator.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? "Chromium", results };
  });
  for (const r of out.results) {
    console.log(`chromium ${r.set}: first ${r.speedup.first.toFixed(1)}x, all ${r.speedup.all.toFixed(1)}x, ` +
      `batch ${r.speedup.batchFirst.toFixed(1)}x / ${r.speedup.batchAll.toFixed(1)}x, mismatches ${r.mismatches}`);
  }
  await writeFile(join(root, "target/bench/chromium.json"), JSON.stringify(out, null, 2));
} finally {
  await browser.close();
  server.close();
}
