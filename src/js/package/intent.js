// The JavaScript half of the package's IntentMatcher: `bestIndex`, `matchingIndexes` and `matchBatch` for short
// texts, over the wasm-bindgen class (src/js/intent.rs) on the prototype, so that users construct the class as
// wasm-bindgen made it. This file is the same for every target: each entry module (web, bundler, node) passes in its
// wasm-bindgen module. tests/js/stepping.test.mjs checks it against wasm's own search.

/** Puts the short-text paths on `wasm.IntentMatcher.prototype` (once: a second call changes nothing). */
export function stepShortTexts(wasm) {
  fastShortTexts(wasm.IntentMatcher, wasm.shortTextBuffer);
}

/**
 * `IntentMatcher.prototype.bestIndex`, `matchingIndexes` and `matchBatch` for short texts without wasm-bindgen's
 * string passing, whose fixed cost dominated a short text's call.
 *
 * First choice, for a set in the anchored form (what `intent-edge compile` writes unless the dense table fits): a
 * short text (up to 256 characters) is stepped right here, through views of wasm memory, with no call into wasm at
 * all. Once asked (`steppingView` in src/js/intent.rs), the matcher's search cache publishes where its arrays are
 * after every wasm call (`Published` in src/intent/automaton/anchored/search.rs), and a warm step is the same as
 * wasm's: one class lookup and one slot read per byte (the text's UTF-8 bytes, made as it is read). A step the cache
 * does not hold yet (a set to compute, a transition kept outside the slots), a text longer than `maxTextBytes` or
 * more than 64 matches passed stops this, and the text goes to wasm, which computes and caches the step for next
 * time. `matchBatch` steps its short texts two at a time (the loads of one wait on each other, two texts' overlap)
 * and hands the rest to wasm's batch in one call. It allocates nothing but its answer, where wasm's batch joins the
 * texts into strings first: after other JavaScript work (the benchmark's RegExp loop) that costs wasm's batch
 * 15-60 %, so stepping here is faster there on most sets, though slower than wasm's three lanes on a warm run of
 * long texts (README, Performance).
 *
 * Otherwise the text (up to 256 characters) is written from JavaScript into a buffer wasm keeps for this, an ASCII
 * text by hand and anything else with `encodeInto`, and one call with its length returns the answer as a number
 * (for `matchingIndexes`, the count of intents, written into a second buffer the answer is copied from). Anything
 * else (not a string, longer, or an answer that is an error) goes through the generated method, which answers or
 * throws exactly as before.
 */
function fastShortTexts(IntentMatcher, shortTextBuffer) {
  if (!IntentMatcher || !shortTextBuffer) return;
  const proto = IntentMatcher.prototype;
  if (proto.bestIndex.fast) return;
  const generated = {
    bestIndex: proto.bestIndex,
    matchingIndexes: proto.matchingIndexes,
    matchBatch: proto.matchBatch,
    free: proto.free,
  };
  const SHORT = 256;
  const encoder = new TextEncoder();
  let memory = null;
  let at = 0;
  let len = 0;
  let answerAt = 0;
  let answerLen = 0;
  /** The short-text buffer and the short-answer buffer, as views of wasm memory. */
  let shortText = new Uint8Array(0);
  let answers = new Uint32Array(0);
  /** Wasm memory and where the two buffers are, asked for once. */
  function wasmMemory() {
    if (memory === null) [memory, at, len, answerAt, answerLen] = shortTextBuffer();
    return memory;
  }
  /** All of wasm memory by 32-bit words: taken again when memory grows (the old view is then empty). */
  let memoryWords = new Int32Array(0);
  function memoryViews() {
    if (memoryWords.length === 0) memoryWords = new Int32Array(wasmMemory().buffer);
  }
  /** Set in the length passed with a text written by hand: ASCII, which wasm then does not check (ASCII_TEXT in
   * src/js/intent.rs). */
  const ASCII_TEXT = 1 << 30;
  /** Writes `text` into the short-text buffer: its UTF-8 length (with ASCII_TEXT when it is ASCII), or -1 when it
   * is not a string of at most SHORT characters. */
  function writeShort(text) {
    if (typeof text !== "string") return -1;
    const n = text.length;
    if (n > SHORT) return -1;
    let bytes = shortText;
    // A grown memory detaches the old buffer, and views over it become empty (and the first call has none).
    if (bytes.length === 0) bytes = shortText = new Uint8Array(wasmMemory().buffer, at, len);
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) break;
      bytes[i] = c;
    }
    return i === n ? n | ASCII_TEXT : encoder.encodeInto(text, bytes).written;
  }

  // Stepping in JavaScript. A matcher's stepping view (`steppingView` in src/js/intent.rs) is eight words: where the
  // cache publishes its arrays, the byte classes, the end-of-text column, maxTextBytes, the pattern count, each
  // pattern's rank, the intent of each rank, the intent of each pattern. The published words: where the slots,
  // set_at, report_at and reports are, and the start row (-1 before the first search).
  /** A matcher's stepping view: the word index of its view in wasm memory (0 when it has none: not the anchored
   * form, or freed), its byte classes copied into a JavaScript array (read once per character: an array of small
   * integers is cheaper to read than wasm memory, whose views V8 checks for detaching), and the view's words that do
   * not change while the matcher lives, as word indexes (`published`, `ranks`, `intentOfRank`, `intentOfPattern`) or
   * numbers (`end`, `maxBytes`, `patterns`); only the published words are read from wasm memory each call.
   * Undefined until asked. */
  const VIEW = Symbol("intent-edge stepping view");
  const NO_VIEW = {
    v: 0,
    classes: null,
    published: 0,
    end: 0,
    maxBytes: 0,
    patterns: 0,
    ranks: 0,
    intentOfRank: 0,
    intentOfPattern: 0,
  };
  function viewOf(matcher) {
    let view = matcher[VIEW];
    if (view === undefined) {
      const v = matcher.steppingView() >>> 2;
      if (v === 0) view = NO_VIEW;
      else {
        memoryViews();
        const words = memoryWords;
        view = {
          v,
          classes: Array.from(new Uint8Array(memory.buffer, words[v + 1], 256)),
          published: words[v] >>> 2,
          end: words[v + 2],
          maxBytes: words[v + 3] >>> 0,
          patterns: words[v + 4],
          ranks: words[v + 5] >>> 2,
          intentOfRank: words[v + 6] >>> 2,
          intentOfPattern: words[v + 7] >>> 2,
        };
      }
      matcher[VIEW] = view;
    }
    return view;
  }
  /** A slot read xor its column, shifted by 22: 0 for a plain step, 1 for a step into a set holding match states,
   * anything else a step only wasm can take. */
  const CHECK_SHIFT = 23;
  const MATCH_SHIFT = 22;
  const ROW_MASK = (1 << MATCH_SHIFT) - 1;
  /** The rows of the sets holding match states that the last `stepFrom` passed (the end step's included). */
  const PASSED = 64;
  const passedRows = new Int32Array(PASSED);
  let passedCount = 0;
  /** Steps `text` (at most SHORT characters) from character `from` (those before it ASCII), in the set whose row
   * starts at `fromRow` (-1: the set a search starts from), through the cache of the matcher whose stepping view is
   * `view`, as its UTF-8 bytes (what `encodeInto` writes: a lone surrogate as U+FFFD), keeping the match rows it
   * passes in `passedRows`: true when it got to the end of the text, false when wasm must search it (a step not
   * cached, a text past maxTextBytes, more matches than PASSED). */
  function stepFrom(view, text, from, fromRow) {
    memoryViews();
    const classes = view.classes;
    const words = memoryWords;
    // Locals, not the parameters: V8 keeps these as small integers (the parameters cost ~5 % a call).
    let i = from | 0;
    let row = fromRow < 0 ? words[view.published + 4] : fromRow | 0;
    if (row < 0) return false;
    const n = text.length;
    const slots = words[view.published] >>> 2;
    passedCount = 0;
    let extraBytes = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        // Past ASCII: the character's UTF-8 bytes, off the hot loop.
        const pair = c >= 0xd800 && c < 0xdc00 && i + 1 < n ? text.charCodeAt(i + 1) : 0;
        const wide = pair >= 0xdc00 && pair < 0xe000;
        row = stepCharacter(slots, classes, row, wide ? 0x10000 + ((c - 0xd800) << 10) + (pair - 0xdc00) : c);
        if (row < 0) return false;
        extraBytes += c < 0x800 ? 1 : 2;
        i += wide ? 1 : 0;
        continue;
      }
      const column = classes[c];
      const found = words[slots + row + column] ^ (column << CHECK_SHIFT);
      if (found >>> MATCH_SHIFT === 0) {
        row = found;
      } else {
        if (found >>> MATCH_SHIFT !== 1 || passedCount === PASSED) return false;
        row = found & ROW_MASK;
        passedRows[passedCount++] = row;
      }
    }
    if (n + extraBytes > view.maxBytes) return false;
    const end = view.end;
    const found = words[slots + row + end] ^ (end << CHECK_SHIFT);
    if (found >>> MATCH_SHIFT !== 0) {
      if (found >>> MATCH_SHIFT !== 1 || passedCount === PASSED) return false;
      passedRows[passedCount++] = found & ROW_MASK;
    }
    return true;
  }
  /** Steps the UTF-8 bytes of code point `c` (past ASCII; a lone surrogate is U+FFFD) from `row`: the row after
   * them, or -1 when wasm must take a step. A match passed on a byte that continues the character ends inside it
   * and is not kept (`splits_a_character` in src/intent/automaton/hits.rs). */
  function stepCharacter(slots, classes, row, c) {
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    const count = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    const lead = count === 2 ? 0xc0 | (c >> 6) : count === 3 ? 0xe0 | (c >> 12) : 0xf0 | (c >> 18);
    const words = memoryWords;
    for (let k = 0; k < count; k++) {
      const byte = k === 0 ? lead : 0x80 | ((c >> (6 * (count - 1 - k))) & 0x3f);
      const column = classes[byte];
      const found = words[slots + row + column] ^ (column << CHECK_SHIFT);
      if (found >>> MATCH_SHIFT === 0) {
        row = found;
      } else {
        if (found >>> MATCH_SHIFT !== 1 || passedCount === PASSED) return -1;
        row = found & ROW_MASK;
        if (k === 0) passedRows[passedCount++] = row;
      }
    }
    return row;
  }
  /** Where the report of the set whose row starts at `row` is (its count, then its patterns), or -1. */
  function reportOf(view, row) {
    const words = memoryWords;
    const published = view.published;
    const set = words[(words[published + 1] >>> 2) + row];
    if (set < 0) return -1;
    return (words[published + 3] >>> 2) + words[(words[published + 2] >>> 2) + set];
  }
  /** No rank yet (ranks are below the pattern count). */
  const NO_RANK = 0x7fffffff;
  /** The least rank of the patterns of the set whose row starts at `row` (NO_RANK for none), or -2 when its report
   * names no pattern of the set. */
  function rankOfRow(view, row) {
    const words = memoryWords;
    const patterns = view.patterns;
    const ranks = view.ranks;
    const report = reportOf(view, row);
    if (report < 0) return -2;
    const count = words[report];
    let best = NO_RANK;
    for (let j = 1; j <= count; j++) {
      const pattern = words[report + j];
      if (pattern >>> 0 >= patterns) return -2;
      const rank = words[ranks + pattern];
      if (rank < best) best = rank;
    }
    return best;
  }
  /** The least rank of the last stepped text's matches, starting from `best` (NO_RANK for none), or -2. */
  function rankOfPassed(view, best) {
    for (let k = 0; k < passedCount; k++) {
      const rank = rankOfRow(view, passedRows[k]);
      if (rank < 0) return -2;
      if (rank < best) best = rank;
    }
    return best;
  }
  /** The intent of a rank from `rankOfPassed` (-1 for NO_RANK, -2 for -2). */
  function intentOfRank(view, rank) {
    return rank === NO_RANK ? -1 : rank < 0 ? -2 : memoryWords[view.intentOfRank + rank];
  }
  /** The best intent of the last stepped text (-1 for none), or -2 when a report names no pattern of the set. */
  function bestOfPassed(view) {
    return intentOfRank(view, rankOfPassed(view, NO_RANK));
  }
  /** The answers of the last `stepPair`: each text's best intent, -1 for none, -2 when wasm must answer. */
  let pairFirst = -2;
  let pairSecond = -2;
  /** The best intents of two short texts stepped side by side (into `pairFirst` and `pairSecond`): one text's steps
   * wait on each other's loads, two texts' loads overlap (as wasm's batch lanes do). While both are ASCII and every
   * step is plain or a match; then each goes on alone (`stepFrom`). */
  function stepPair(view, first, second) {
    const classes = view.classes;
    memoryViews();
    const words = memoryWords;
    const published = view.published;
    const start = words[published + 4];
    if (start < 0) {
      pairFirst = pairSecond = -2;
      return;
    }
    const slots = words[published] >>> 2;
    const n = Math.min(first.length, second.length);
    let rowA = start;
    let rowB = start;
    let rankA = NO_RANK;
    let rankB = NO_RANK;
    let i = 0;
    for (; i < n; i++) {
      const a = first.charCodeAt(i);
      const b = second.charCodeAt(i);
      if ((a | b) > 0x7f) break;
      const columnA = classes[a];
      const columnB = classes[b];
      const foundA = words[slots + rowA + columnA] ^ (columnA << CHECK_SHIFT);
      const foundB = words[slots + rowB + columnB] ^ (columnB << CHECK_SHIFT);
      if ((foundA | foundB) >>> MATCH_SHIFT === 0) {
        rowA = foundA;
        rowB = foundB;
        continue;
      }
      // A match step in either: both take theirs; a step only wasm can take: both go on alone from here.
      if (foundA >>> MATCH_SHIFT > 1 || foundB >>> MATCH_SHIFT > 1) break;
      rowA = foundA & ROW_MASK;
      rowB = foundB & ROW_MASK;
      if (foundA >>> MATCH_SHIFT === 1) rankA = Math.min(rankA, rankOfRow(view, rowA));
      if (foundB >>> MATCH_SHIFT === 1) rankB = Math.min(rankB, rankOfRow(view, rowB));
    }
    pairFirst = finishLane(view, first, i, rowA, rankA);
    pairSecond = finishLane(view, second, i, rowB, rankB);
  }
  /** The best intent of a text `stepPair` stepped to character `i` (all ASCII so far), in the row at `row`, with
   * least rank `rank` so far: at its end, its end step here; else the rest alone (`stepFrom`). -2 when wasm must
   * answer. */
  function finishLane(view, text, i, row, rank) {
    if (rank < 0) return -2;
    if (i < text.length) return stepFrom(view, text, i, row) ? intentOfRank(view, rankOfPassed(view, rank)) : -2;
    const words = memoryWords;
    if (i > view.maxBytes) return -2;
    const end = view.end;
    const found = words[(words[view.published] >>> 2) + row + end] ^ (end << CHECK_SHIFT);
    if (found >>> MATCH_SHIFT === 1) rank = Math.min(rank, rankOfRow(view, found & ROW_MASK));
    else if (found >>> MATCH_SHIFT !== 0) return -2;
    return intentOfRank(view, rank);
  }
  /** The most intents JavaScript collects for one text; a text that matches more goes to wasm. */
  const FOUND = 64;
  /** The intents of the last stepped text, ascending, each once: `found[0..foundCount]`. */
  const found = new Int32Array(FOUND);
  let foundCount = 0;
  /** Collects the intents of the last stepped text into `found` (kept ascending as they come: a text matches a
   * few); false when a report names no pattern of the set or more than FOUND intents match. */
  function allOfPassed(view) {
    const words = memoryWords;
    const patterns = view.patterns;
    const intentOf = view.intentOfPattern;
    foundCount = 0;
    for (let k = 0; k < passedCount; k++) {
      const report = reportOf(view, passedRows[k]);
      if (report < 0) return false;
      const count = words[report];
      for (let j = 1; j <= count; j++) {
        const pattern = words[report + j];
        if (pattern >>> 0 >= patterns) return false;
        const intent = words[intentOf + pattern];
        let at = foundCount;
        while (at > 0 && found[at - 1] > intent) at--;
        if (at > 0 && found[at - 1] === intent) continue;
        if (foundCount === FOUND) return false;
        for (let m = foundCount; m > at; m--) found[m] = found[m - 1];
        found[at] = intent;
        foundCount++;
      }
    }
    return true;
  }
  /** The best intent of `text` stepped in JavaScript, or -2 when wasm must answer. */
  function steppedBest(matcher, text) {
    if (typeof text !== "string" || text.length > SHORT) return -2;
    const view = viewOf(matcher);
    if (view.v === 0 || !stepFrom(view, text, 0, -1)) return -2;
    return passedCount === 0 ? -1 : bestOfPassed(view);
  }
  /** The intents of `text` stepped in JavaScript into `found` (`foundCount` of them), or false when wasm must
   * answer. */
  function steppedAll(matcher, text) {
    if (typeof text !== "string" || text.length > SHORT) return false;
    const view = viewOf(matcher);
    if (view.v === 0 || !stepFrom(view, text, 0, -1)) return false;
    return allOfPassed(view);
  }

  function bestIndex(text) {
    const stepped = steppedBest(this, text);
    if (stepped !== -2) return stepped;
    const n = writeShort(text);
    if (n >= 0) {
      const answer = this.bestIndexIn(n);
      if (answer >= -1) return answer;
    }
    return generated.bestIndex.call(this, text);
  }
  function matchingIndexes(text) {
    if (steppedAll(this, text)) {
      const answer = new Uint32Array(foundCount);
      for (let k = 0; k < foundCount; k++) answer[k] = found[k];
      return answer;
    }
    const n = writeShort(text);
    if (n >= 0) {
      const count = this.matchingIndexesIn(n);
      if (count >= 0) {
        if (answers.length === 0) answers = new Uint32Array(memory.buffer, answerAt, answerLen);
        return answers.slice(0, count);
      }
    }
    return generated.matchingIndexes.call(this, text);
  }
  function matchBatch(texts) {
    if (!Array.isArray(texts)) return generated.matchBatch.call(this, texts);
    const view = viewOf(this);
    if (view.v === 0) return generated.matchBatch.call(this, texts);
    const count = texts.length;
    const out = new Int32Array(count);
    // Texts wasm must answer (longer than SHORT, or a step JavaScript cannot take), by index.
    let rest = null;
    let waiting = -1;
    for (let i = 0; i < count; i++) {
      const text = texts[i];
      // Not a string: the generated method throws the TypeError that names it.
      if (typeof text !== "string") return generated.matchBatch.call(this, texts);
      if (text.length > SHORT) {
        (rest ??= []).push(i);
      } else if (waiting < 0) {
        waiting = i;
      } else {
        stepPair(view, texts[waiting], text);
        if (pairFirst === -2) (rest ??= []).push(waiting);
        else out[waiting] = pairFirst;
        if (pairSecond === -2) (rest ??= []).push(i);
        else out[i] = pairSecond;
        waiting = -1;
      }
    }
    if (waiting >= 0) {
      const best = steppedBest(this, texts[waiting]);
      if (best === -2) (rest ??= []).push(waiting);
      else out[waiting] = best;
    }
    if (rest !== null) {
      // One wasm batch for the rest; if it throws, the whole batch again, so that the error names the text by its
      // place in the batch.
      let answers;
      try {
        answers = generated.matchBatch.call(this, rest.map((i) => texts[i]));
      } catch {
        return generated.matchBatch.call(this, texts);
      }
      for (let k = 0; k < rest.length; k++) out[rest[k]] = answers[k];
    }
    return out;
  }
  function free() {
    this[VIEW] = NO_VIEW;
    return generated.free.call(this);
  }
  bestIndex.fast = true;
  proto.bestIndex = bestIndex;
  proto.matchingIndexes = matchingIndexes;
  proto.matchBatch = matchBatch;
  proto.free = free;
  if (Symbol.dispose && proto[Symbol.dispose] === generated.free) proto[Symbol.dispose] = free;
}
