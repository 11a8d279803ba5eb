// The intent playground: a bundled set (precompiled at build time, sets/*.iedge, loaded by the browser package
// which has no regex compiler), the text matched on every keystroke (best intent, every matching intent, slots and
// highlighted spans, match time), and the set's patterns editable in place. The first edit loads the package built
// with the regex compiler (pkg-compiler/, about 0.9 MB, once) and every edit recompiles the whole set in the page;
// an invalid pattern gets the engine's error next to it and the last valid set keeps answering.
import { IntentMatcher } from "./pkg/index.js";
import { escapeHtml, formatBytes, formatCount, formatDuration } from "./format.js";

const $ = (selector) => document.querySelector(selector);

const EXAMPLES = {
  assistant: [
    "😀 café — please send £20 to Zoë",
    "What’s the weather in Zürich?",
    "book a flight from New York to São Paulo",
    "set a timer for 10 minutes",
    "please cancel my order #AB-1234",
    "hey, I lost my card",
  ],
  banking77: [],
};

/** What the page knows of each bundled set once loaded. */
const sets = new Map();
let current;
let compilerModule;
let compileTimer;
const listeners = [];

/** The set being shown: its name, config (as edited), matcher and texts. */
export const currentSet = () => current;

/** Calls `listener(set)` whenever the matcher changes (another set chosen, or a successful edit). */
export const onSetChange = (listener) => listeners.push(listener);

async function fetchOk(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (run scripts/build.sh)`);
  return as === "json" ? response.json() : new Uint8Array(await response.arrayBuffer());
}

async function loadSet(name) {
  if (sets.has(name)) return sets.get(name);
  const [config, bytes, texts] = await Promise.all([
    fetchOk(`sets/${name}.json`, "json"),
    fetchOk(`sets/${name}.iedge`, "bytes"),
    fetchOk(`sets/${name}.texts.json`, "json"),
  ]);
  const matcher = IntentMatcher.fromBytes(bytes);
  const stats = matcher.stats();
  const set = {
    name,
    original: JSON.stringify(config),
    config,
    matcher,
    precompiled: { matcher, bytes: bytes.length, automaton: stats.automaton },
    texts,
    engine: `precompiled at build time: ${stats.automaton} DFA, ${formatBytes(bytes.length)} .iedge, loaded with IntentMatcher.fromBytes`,
  };
  if (name === "banking77") {
    // Examples: a few real questions the keyword set recognises, and one it does not.
    const hits = texts.filter((t) => matcher.bestIndex(t) >= 0);
    EXAMPLES.banking77 = [hits[0], hits[7], hits[20], hits[41], texts.find((t) => matcher.bestIndex(t) < 0)].filter(Boolean);
  }
  // Before the first keystroke: cache the DFA states and build the capture engines that typical texts need.
  matcher.warmUp([...EXAMPLES[name], ...texts.slice(0, 200)]);
  sets.set(name, set);
  return set;
}

/** The text with the best match's span and its slots marked, by the UTF-16 offsets JavaScript strings index by. */
function highlight(text, match) {
  if (!match) return escapeHtml(text);
  const { startUtf16: start, endUtf16: end } = match.span;
  let html = escapeHtml(text.slice(0, start)) + '<mark class="match">';
  let at = start;
  const slots = [...match.slots].sort((a, b) => a.span.startUtf16 - b.span.startUtf16);
  for (const slot of slots) {
    if (slot.span.startUtf16 < at) continue; // a group nested in another one: the outer one is shown
    html += escapeHtml(text.slice(at, slot.span.startUtf16));
    html += `<mark class="slot" data-slot="${escapeHtml(slot.name)}" title="slot ${escapeHtml(slot.name)}">${escapeHtml(text.slice(slot.span.startUtf16, slot.span.endUtf16))}</mark>`;
    at = slot.span.endUtf16;
  }
  return html + escapeHtml(text.slice(at, end)) + "</mark>" + escapeHtml(text.slice(end));
}

function render() {
  const text = $("#text").value;
  const matcher = current.matcher;
  if (text === "") {
    $("#intent").textContent = "—";
    $("#match-time").textContent = "type a message to match it";
    $("#highlight").textContent = "";
    $("#slots tbody").textContent = "";
    $("#all").textContent = "—";
    return;
  }
  let best;
  let all;
  try {
    best = matcher.match(text);
    all = matcher.matchAll(text);
  } catch (e) {
    $("#intent").textContent = `${e.name}: ${e.message}`;
    $("#match-time").textContent = "";
    return;
  }
  // Match time: one call is a microsecond or two, below the browser's timer resolution, so the same two calls run
  // again for about 2 ms and the mean is shown.
  let runs = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < 2 && runs < 100_000) {
    matcher.match(text);
    matcher.matchAll(text);
    runs++;
    t1 = performance.now();
  }
  $("#match-time").textContent = `match + matchAll: ${formatDuration((t1 - t0) / runs)} (mean of ${formatCount(runs)} runs)`;
  $("#intent").textContent = best ? best.intent : "none";
  $("#highlight").innerHTML = highlight(text, best);
  $("#slots tbody").innerHTML = (best?.slots ?? [])
    .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.value)}</td><td>${s.span.startUtf16}–${s.span.endUtf16}</td><td>${s.span.start}–${s.span.end}</td></tr>`)
    .join("");
  $("#all").innerHTML =
    all.map((m) => `<span class="chip"><strong>${escapeHtml(m.intent)}</strong> «${escapeHtml(text.slice(m.span.startUtf16, m.span.endUtf16))}»${m.priority ? ` <span class="muted">priority ${m.priority}</span>` : ""}</span>`).join(" ") || "—";
}

function renderExamples() {
  const holder = $("#examples");
  holder.textContent = "";
  for (const example of EXAMPLES[current.name]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "example";
    button.textContent = example;
    button.addEventListener("click", () => {
      $("#text").value = example;
      render();
      $("#text").focus();
    });
    holder.append(button);
  }
}

/** The pattern editor: one input per pattern, grouped by intent, each with a place for its error. */
function renderEditor() {
  const list = $("#patterns");
  list.textContent = "";
  let count = 0;
  current.config.intents.forEach((intent, i) => {
    const item = document.createElement("li");
    item.dataset.intent = intent.id;
    const title = document.createElement("div");
    title.className = "intent-title";
    title.innerHTML = `<strong>${escapeHtml(intent.id)}</strong>${intent.priority ? ` <span class="muted">priority ${intent.priority}</span>` : ""}`;
    item.append(title);
    intent.patterns.forEach((pattern, j) => {
      const input = document.createElement("input");
      input.type = "text";
      input.className = "pattern";
      input.value = pattern;
      input.spellcheck = false;
      input.autocomplete = "off";
      input.dataset.pointer = `/intents/${i}/patterns/${j}`;
      input.setAttribute("aria-label", `${intent.id}, pattern ${j + 1}`);
      const error = document.createElement("p");
      error.className = "pattern-error";
      error.id = `error-${i}-${j}`;
      error.hidden = true;
      input.setAttribute("aria-describedby", error.id);
      input.addEventListener("input", () => {
        current.config.intents[i].patterns[j] = input.value;
        clearTimeout(compileTimer);
        compileTimer = setTimeout(compileEdited, 250);
      });
      item.append(input, error);
      count++;
    });
    list.append(item);
  });
  $("#pattern-count").textContent = `${current.config.intents.length} intents, ${count} patterns`;
  applyFilter();
}

function applyFilter() {
  const needle = $("#pattern-filter").value.trim().toLowerCase();
  for (const item of $("#patterns").children) {
    const haystack = item.dataset.intent.toLowerCase() + " " + [...item.querySelectorAll("input")].map((i) => i.value.toLowerCase()).join(" ");
    item.hidden = needle !== "" && !haystack.includes(needle);
  }
}

function showErrors(pointer, message) {
  for (const input of document.querySelectorAll("#patterns input.pattern")) {
    const error = document.getElementById(input.getAttribute("aria-describedby"));
    const here = pointer !== undefined && pointer === input.dataset.pointer;
    input.toggleAttribute("aria-invalid", here);
    error.hidden = !here;
    error.textContent = here ? message : "";
  }
}

async function loadCompiler() {
  if (!compilerModule) {
    $("#compile-status").textContent = "Loading the package with the regex compiler (pkg-compiler, once)…";
    const module = await import("./pkg-compiler/index.js");
    await module.default();
    compilerModule = module;
  }
  return compilerModule;
}

async function compileEdited() {
  const set = current;
  const { IntentMatcher: CompilingMatcher } = await loadCompiler();
  if (set !== current) return; // another set was chosen meanwhile
  const t0 = performance.now();
  let matcher;
  try {
    matcher = new CompilingMatcher(set.config);
  } catch (e) {
    const onPattern = typeof e.pointer === "string" && document.querySelector(`#patterns input[data-pointer="${e.pointer}"]`);
    showErrors(onPattern ? e.pointer : undefined, `${e.name} at ${e.pointer}: ${e.message}`);
    $("#compile-status").textContent = onPattern
      ? "The last valid version of the set keeps answering until this pattern compiles."
      : `${e.name}: ${e.message} — the last valid version of the set keeps answering.`;
    $("#compile-status").classList.add("error");
    return;
  }
  const ms = performance.now() - t0;
  showErrors(undefined, "");
  if (set.matcher !== set.precompiled.matcher) set.matcher.free();
  set.matcher = matcher;
  set.engine = `compiled in this page by pkg-compiler in ${formatDuration(ms)} (lazy DFA)`;
  $("#compile-status").classList.remove("error");
  $("#compile-status").textContent = `Compiled ${set.config.intents.length} intents in ${formatDuration(ms)}.`;
  $("#set-engine").textContent = set.engine;
  render();
  for (const listener of listeners) listener(set);
}

async function selectSet(name) {
  $("#set-engine").textContent = "loading…";
  const set = await loadSet(name);
  current = set;
  $("#set").value = name;
  $("#set-engine").textContent = set.engine;
  $("#compile-status").textContent = "";
  renderExamples();
  renderEditor();
  render();
  for (const listener of listeners) listener(set);
}

function resetSet() {
  const set = current;
  if (set.matcher !== set.precompiled.matcher) set.matcher.free();
  set.config = JSON.parse(set.original);
  set.matcher = set.precompiled.matcher;
  set.engine = `precompiled at build time: ${set.precompiled.automaton} DFA, ${formatBytes(set.precompiled.bytes)} .iedge, loaded with IntentMatcher.fromBytes`;
  $("#set-engine").textContent = set.engine;
  $("#compile-status").textContent = "Back to the precompiled set.";
  $("#compile-status").classList.remove("error");
  renderEditor();
  render();
  for (const listener of listeners) listener(set);
}

export async function setupPlayground() {
  $("#text").addEventListener("input", render);
  $("#set").addEventListener("change", () => selectSet($("#set").value));
  $("#pattern-filter").addEventListener("input", applyFilter);
  $("#reset-set").addEventListener("click", resetSet);
  await selectSet($("#set").value);
}
