// Side by side with JavaScript: the current set's texts through the package and through a loop over RegExp objects
// (what JavaScript code does without it), timed in alternating rounds; and a catastrophic-backtracking pattern run
// by a RegExp in a Worker that is terminated at a time cap, next to the package on the main thread.
import { IntentMatcher } from "./pkg/index.js";
import { currentSet } from "./playground.js";
import { escapeHtml, formatCount, formatDuration } from "./format.js";

const $ = (selector) => document.querySelector(selector);
const ROUNDS = 5;

/**
 * A Rust-syntax pattern as a JavaScript RegExp source: `(?P<name>` becomes `(?<name>` and `\x{…}` becomes `\u{…}`
 * (the u flag is set). Other Rust-only syntax is left as is; RegExp says if it rejects it.
 */
const toJavaScript = (pattern) => pattern.replace(/\(\?P</g, "(?<").replace(/\\x\{([0-9A-Fa-f]+)\}/g, "\\u{$1}");

/** The JavaScript baseline: intents in priority order (stable), each with its RegExps; the first hit wins. */
function regexpLoop(config) {
  const flags = config.options?.caseInsensitive === false ? "u" : "iu";
  const rejected = [];
  const intents = config.intents
    .map((intent, index) => ({ index, priority: intent.priority ?? 0, regexps: intent.patterns.flatMap((p) => {
      try {
        return [new RegExp(toJavaScript(p), flags)];
      } catch (e) {
        rejected.push(`${intent.id}: ${e.message}`);
        return [];
      }
    }) }))
    .sort((a, b) => b.priority - a.priority);
  const best = (text) => {
    for (const intent of intents) for (const re of intent.regexps) if (re.test(text)) return intent.index;
    return -1;
  };
  return { best, rejected };
}

/** At least `count` texts: the set's own, repeated. */
function textsFor(set, count) {
  const texts = [];
  while (texts.length < count) texts.push(...set.texts);
  return texts;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function runVersus() {
  const set = currentSet();
  const button = $("#versus-run");
  button.disabled = true;
  $("#versus-result").textContent = "running…";
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the page paint "running…"
  const texts = textsFor(set, 3000);
  const js = regexpLoop(set.config);
  const matcher = set.matcher;
  const times = { batch: [], single: [], regexp: [] };
  let packageAnswers;
  let jsAnswers;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ["regexp", "batch", "single"] : ["single", "batch", "regexp"];
    for (const who of order) {
      const t0 = performance.now();
      if (who === "batch") packageAnswers = matcher.matchBatch(texts);
      else if (who === "single") for (const text of texts) matcher.bestIndex(text);
      else jsAnswers = texts.map(js.best);
      times[who].push(performance.now() - t0);
    }
  }
  let differ = 0;
  let firstDifference;
  texts.forEach((text, i) => {
    if (packageAnswers[i] !== jsAnswers[i]) {
      differ++;
      firstDifference ??= text;
    }
  });
  const rows = [
    ["intent-edge, one matchBatch call", median(times.batch)],
    ["intent-edge, bestIndex per text", median(times.single)],
    ["JavaScript RegExp loop", median(times.regexp)],
  ];
  $("#versus-table tbody").innerHTML = rows
    .map(([who, ms]) => `<tr><td>${who}</td><td>${formatDuration(ms / texts.length)}</td><td>${formatDuration(ms)}</td></tr>`)
    .join("");
  $("#versus-table").hidden = false;
  const single = median(times.regexp) / median(times.single);
  const batch = median(times.regexp) / median(times.batch);
  let verdict = `${formatCount(texts.length)} texts, median of ${ROUNDS} rounds: the package is ${Math.max(single, batch).toFixed(1)}× as fast as the RegExp loop (one call per text ${single.toFixed(1)}×, one matchBatch call ${batch.toFixed(1)}×).`;
  verdict += differ === 0 ? " Both gave the same best intent for every text." : ` They differ on ${formatCount(differ)} texts (first: “${escapeHtml(firstDifference)}”).`;
  if (js.rejected.length) verdict += ` RegExp rejected ${js.rejected.length} pattern(s): ${escapeHtml(js.rejected.join("; "))}.`;
  $("#versus-result").innerHTML = verdict;
  button.disabled = false;
}

let redosMatcher;

async function runRedos() {
  const length = Math.max(10, Math.min(40, Number($("#redos-length").value) || 28));
  const cap = Math.max(100, Math.min(10_000, Number($("#redos-cap").value) || 2000));
  const text = "a".repeat(length) + "!";
  const button = $("#redos-run");
  button.disabled = true;
  if (!redosMatcher) {
    const response = await fetch("sets/redos.iedge");
    redosMatcher = IntentMatcher.fromBytes(new Uint8Array(await response.arrayBuffer()));
  }
  const t0 = performance.now();
  const matched = redosMatcher.bestIndex(text) >= 0;
  const packageMs = performance.now() - t0;
  const megabyte = "a".repeat(1_000_000) + "!";
  const t1 = performance.now();
  redosMatcher.bestIndex(megabyte);
  const megabyteMs = performance.now() - t1;
  const ours = `intent-edge: ${formatDuration(packageMs)} for ${length + 1} characters (${matched ? "match" : "no match"}), ${formatDuration(megabyteMs)} for 1,000,001.`;
  $("#redos-result").textContent = `${ours} JavaScript RegExp in a Worker: running…`;

  const worker = new Worker("regexp-worker.js");
  const started = performance.now();
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.terminate();
      resolve(`still running after ${formatDuration(cap)} — Worker terminated`);
    }, cap);
    worker.onmessage = ({ data }) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(data.error ? `error: ${data.error}` : `${formatDuration(data.ms)} (${data.matched ? "match" : "no match"})`);
    };
    worker.postMessage({ pattern: "(a+)+$", text });
  });
  $("#redos-result").textContent = `${ours} JavaScript RegExp in a Worker: ${outcome}.`;
  $("#redos-result").dataset.elapsed = String(Math.round(performance.now() - started));
  button.disabled = false;
}

/** Runs `action` on click; a failure is shown in `output` (and the button comes back) instead of escaping. */
function onClick(button, output, action) {
  $(button).addEventListener("click", () =>
    action().catch((e) => {
      $(output).textContent = `failed: ${e.message}`;
      $(button).disabled = false;
    }),
  );
}

export function setupVersus() {
  onClick("#versus-run", "#versus-result", runVersus);
  onClick("#redos-run", "#redos-result", runRedos);
}
