// The demo page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core), served the way
// `scripts/serve.sh` serves it: the edge gateway under `wasmtime serve` in front of the demo origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { repo } from "./corpus.mjs";
import { startEdge, startOrigin } from "./servers.mjs";

const chromiumPath = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"]).toString().trim();
let origin, edge, browser, page;
const pageErrors = [];

before(async () => {
  origin = await startOrigin();
  edge = await startEdge({
    dirs: { [join(repo, "config")]: "/config" },
    env: { INTENT_EDGE_ORIGIN: origin.url },
    extraArgs: ["--max-instance-reuse-count", "100000", "--idle-instance-timeout", "60s"],
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${edge.url}/`);
  await page.waitForSelector("#status.ready", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await edge?.stop();
  await origin?.stop();
});

test("typing shows the intent, slots and highlighted spans as you type", async () => {
  await page.fill("#text", "");
  await page.type("#text", "Please send £20 to Zoë 😀");
  await page.waitForFunction(() => document.querySelector("#intent").textContent === "transfer_money");
  const marked = await page.$$eval("#highlight mark.slot", (marks) => marks.map((m) => [m.title, m.textContent]));
  assert.deepEqual(marked, [["amount", "£20"], ["recipient", "Zoë"]]);
  assert.equal(await page.textContent("#highlight mark:not(.slot)"), "send £20 to Zoë");
  const rows = await page.$$eval("#slots tbody tr", (trs) => trs.map((tr) => tr.children[1].textContent));
  assert.deepEqual(rows, ["£20", "Zoë"]);
  await page.waitForFunction(() => document.querySelector("#edge-intent").textContent.startsWith("transfer_money"));
  await page.fill("#text", "tell me a joke");
  await page.waitForFunction(() => document.querySelector("#intent").textContent === "none");
});

test("a burst of 20 identical calls collapses to one request", async () => {
  await page.click("#burst");
  await page.waitForFunction(() => document.querySelector("#burst-result").textContent.startsWith("20 callers"));
  assert.equal(await page.textContent("#burst-result"), "20 callers → 1 network request (1 distinct response)");
  await page.click("#edge-burst");
  await page.waitForFunction(() => document.querySelector("#edge-burst-result").textContent.startsWith("20 fetches"));
  const text = await page.textContent("#edge-burst-result");
  const calls = Number(/→ (\d+) origin calls/.exec(text)[1]);
  assert.ok(calls >= 1 && calls < 20, text);
});

test("the cache hit ratio and the limiter budget move", async () => {
  for (const id of [1, 1, 2, 1]) await page.click(`.cache-fetch[data-id="${id}"]`);
  await page.waitForFunction(() => document.querySelector("#cache-stats").textContent.includes("hits 2"));
  assert.match(await page.textContent("#cache-stats"), /hits 2 · misses 2 · hit ratio 50%/);
  for (let i = 0; i < 5; i++) await page.click("#limit-send");
  assert.match(await page.textContent("#limit-state"), /allowed · 0 left/);
  await page.click("#limit-send");
  assert.match(await page.textContent("#limit-state"), /denied \(quotaExhausted\) · retry in/);
  assert.match(await page.textContent("#limit-headers"), /RateLimit: "demo";r=0;t=\d+/);
  mkdirSync(join(repo, "target"), { recursive: true });
  await page.screenshot({ path: join(repo, "target", "demo.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
