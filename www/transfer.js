// What this page cost to load: every file it fetched, from the Resource Timing API, kept up to date as more arrive
// (the BANKING77 set, the compiler package). "Transferred" is what crossed the network (0 for a file the browser
// had cached); "body" is the file's size as sent.
import { formatBytes } from "./format.js";

const $ = (selector) => document.querySelector(selector);
const files = new Map();

function render() {
  let transferred = 0;
  let wasm = 0;
  const rows = [];
  for (const [name, entry] of files) {
    transferred += entry.transferSize;
    if (name.endsWith(".wasm")) wasm += entry.transferSize;
    rows.push(`<tr><td>${name}</td><td>${formatBytes(entry.transferSize)}</td><td>${formatBytes(entry.encodedBodySize)}</td></tr>`);
  }
  $("#transfer-files").innerHTML = rows.join("");
  $("#transfer-total").textContent = `${formatBytes(transferred)} in ${files.size} files (WebAssembly: ${formatBytes(wasm)})`;
  $("#transfer").dataset.bytes = String(transferred);
}

function add(entries) {
  for (const entry of entries) {
    const url = new URL(entry.name);
    if (url.origin !== location.origin) continue;
    files.set(url.pathname + url.search, entry);
  }
  render();
}

export function watchTransfers() {
  add(performance.getEntriesByType("navigation"));
  add(performance.getEntriesByType("resource"));
  new PerformanceObserver((list) => add(list.getEntries())).observe({ type: "resource" });
}
