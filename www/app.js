// The demo page. Everything runs on the npm package's browser build (www/pkg, wasm-bindgen --target web, no regex
// compiler) except pattern editing, which loads the build with the compiler (www/pkg-compiler) on first use.
// Each section is its own module: playground.js, versus.js (+ regexp-worker.js), coalescing.js, live.js (+ plot.js);
// transfer.js reports what the page fetched.
import init from "./pkg/index.js";
import { setupPlayground } from "./playground.js";
import { setupVersus } from "./versus.js";
import { setupCoalescing } from "./coalescing.js";
import { setupLive } from "./live.js";
import { watchTransfers } from "./transfer.js";

const status = document.querySelector("#status");
try {
  watchTransfers();
  await init();
  await setupPlayground();
  setupVersus();
  await setupCoalescing();
  setupLive();
  status.textContent = "ready";
  status.classList.add("ready");
} catch (e) {
  status.textContent = `failed: ${e.message}`;
  status.classList.add("error");
  throw e;
}
