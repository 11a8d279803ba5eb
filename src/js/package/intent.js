// The JavaScript half of the package's IntentMatcher: `bestIndex`, `matchingIndexes`, `matchBatch` and
// `matchAllBatch` for short texts, over the wasm-bindgen class (src/js/intent.rs) on the prototype, so that users
// construct the class as wasm-bindgen made it. This file is the same for every target: each entry module (web,
// bundler, node) passes in its wasm-bindgen module. tests/js/stepping.test.mjs checks it against wasm's own search.

/** Puts the short-text paths on `wasm.IntentMatcher.prototype` (once: a second call changes nothing). */
export function stepShortTexts(wasm) {
  fastShortTexts(wasm.IntentMatcher, wasm.shortTextBuffer);
}

/**
 * `IntentMatcher.prototype.bestIndex`, `matchingIndexes`, `matchBatch` and `matchAllBatch` for short texts without
 * wasm-bindgen's string passing, whose fixed cost dominated a short text's call.
 *
 * First choice, for a set in the anchored form (what `intent-edge compile` writes, unless told `--dense` or the
 * anchored table does not fit): a short text (up to 256 characters) is stepped right here, through views of wasm
 * memory, with no call into wasm at all. Once asked (`steppingView` in src/js/intent.rs), the matcher's search cache
 * publishes where its arrays are after every wasm call (`Published` in src/intent/automaton/anchored/search.rs), and
 * a warm step is the same as wasm's: one class lookup and one slot read per byte (the text's UTF-8 bytes, made as it
 * is read). A step the cache does not hold yet (a set to compute, a transition kept outside the slots), a text longer
 * than `maxTextBytes` or more than 64 matches passed stops this, and the text goes to wasm, which computes and caches
 * the step for next time. `matchBatch` and `matchAllBatch` step their short texts two at a time (the loads of one
 * wait on each other, two texts' overlap) and hand the rest to wasm's batch in one call. They allocate nothing but
 * their answer, where wasm's batch joins the texts into strings first: after other JavaScript work (the benchmark's
 * RegExp loop) that costs wasm's batch 15-60 %, so stepping here is faster there on most sets, though slower than
 * wasm's three lanes on a warm run of long texts (docs/performance-log.md).
 *
 * For a set in the dense form (`--dense`) with 2-byte state ids, `bestIndex` and `matchingIndexes` step a short text
 * through its table here (`stepDense`): the table never changes, so from the first call. Its batches go to wasm's,
 * which steps three texts side by side (BANKING77 after the benchmark's RegExp loop: 467 ns a text there, 520
 * stepped here one at a time).
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
    matchAllBatch: proto.matchAllBatch,
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
  const NO_BYTES = new Uint8Array(0);
  /** Set in the length passed with a text written by hand: ASCII, which wasm then does not check (ASCII_TEXT in
   * src/js/intent.rs). */
  const ASCII_TEXT = 1 << 30;
  /** Writes `text` into the short-text buffer: its UTF-8 length (with ASCII_TEXT when it is ASCII), or -1 when it
   * is not a string of at most SHORT characters. An ASCII text by hand: `encodeInto` costs ~60 ns a call in Node
   * (the loop ~2 ns a character, so it would pay past ~30), but 270–620 ns in Chromium, where the loop wins up to
   * 200 characters. */
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

  // Stepping in JavaScript. A matcher's stepping view (`steppingView` in src/js/intent.rs) is fifteen words: where
  // the anchored cache publishes its arrays (0 for the dense form), the byte classes, the end-of-text column,
  // maxTextBytes, the pattern count, each pattern's rank, the intent of each rank, the intent of each pattern; then
  // for the dense form its table, columns, states, match states, start state, match offsets and the patterns they
  // index (`DenseParts` in src/intent/automaton/dense.rs). The published words: where the slots, set_at, report_at
  // and reports are, the start row (-1 before the first search) and how many times rows moved.
  /** A matcher's stepping view: the word index of its view in wasm memory (0 when it has none: neither the anchored
   * form nor the dense one with 2-byte ids, or freed), its byte classes copied into a JavaScript array (read once per character: an array of small
   * integers is cheaper to read than wasm memory, whose views V8 checks for detaching), and the view's words that do
   * not change while the matcher lives, as word indexes (`published`, `ranks`, `intentOfPattern`) or numbers (`end`,
   * `maxBytes`, `patterns`), or copied (the intent of each rank, `intentByRank`); only the published words are read
   * from wasm memory each call. And `stepped`, the texts answered here since wasm was last told (`noteIfDue`);
   * match rows' best ranks (`bestRanks`, see `bestOfPassed`) and the published `moves` they hold for
   * (`bestRanksMoves`). For the dense form (`dense`), its table's words as numbers (`table`, an address, `columns`,
   * `states`, `matchStates`, `start`) or word indexes (`matchOffsets`, `matchPatterns`), and a view of the table's
   * bytes (`tableBytes`, taken again when memory grows). Undefined until asked. */
  const VIEW = Symbol("intent-edge stepping view");
  /** Match rows whose best rank a matcher keeps (a power of two: rows are kept by their low bits; 32 KB). With
   * 1,024, rows sharing their low bits pushed each other out: a warm pass recomputed the rank of 8 % of assistant-64's
   * match rows and 29 % of support-150's, against 1.8 % and 8 % with 4,096. */
  const BEST_RANKS = 4096;
  const NO_VIEW = {
    v: 0,
    classes: null,
    published: 0,
    end: 0,
    maxBytes: 0,
    patterns: 0,
    ranks: 0,
    intentOfPattern: 0,
    stepped: 0,
    intentByRank: null,
    bestRanks: null,
    bestRanksMoves: -1,
    dense: false,
    table: 0,
    columns: 0,
    states: 0,
    matchStates: 0,
    start: 0,
    matchOffsets: 0,
    matchPatterns: 0,
    tableBytes: NO_BYTES,
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
          intentOfPattern: words[v + 7] >>> 2,
          stepped: 0,
          intentByRank: Array.from(new Int32Array(memory.buffer, words[v + 6], words[v + 4])),
          bestRanks: new Int32Array(2 * BEST_RANKS),
          bestRanksMoves: -1,
          dense: words[v + 8] !== 0,
          table: words[v + 8] >>> 0,
          columns: words[v + 9],
          states: words[v + 10],
          matchStates: words[v + 11],
          start: words[v + 12],
          matchOffsets: words[v + 13] >>> 2,
          matchPatterns: words[v + 14] >>> 2,
          tableBytes: NO_BYTES,
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
   * starts at `fromRow` (-1: the set a search starts from, with no match rows passed yet; otherwise those in
   * `passedRows` are kept), through the cache of the matcher whose stepping view is `view`, as its UTF-8 bytes (what
   * `encodeInto` writes: a lone surrogate as U+FFFD), adding the match rows it passes to `passedRows`: true when it
   * got to the end of the text, false when wasm must search it (a step not cached, a text past maxTextBytes, more
   * matches than PASSED). */
  function stepFrom(view, text, from, fromRow) {
    memoryViews();
    const classes = view.classes;
    const words = memoryWords;
    // Locals, not the parameters: V8 keeps these as small integers (the parameters cost ~5 % a call).
    let i = from | 0;
    let row = fromRow | 0;
    if (fromRow < 0) {
      row = words[view.published + 4];
      if (row < 0) return false;
      passedCount = 0;
    }
    const n = text.length;
    const slots = words[view.published] >>> 2;
    let extraBytes = 0;
    for (;;) {
      // Plain ASCII steps. This loop calls nothing: a call inside it (to step a wider character, or to keep a
      // match) made V8 keep more of its values on the stack, ~15 % of a call on every set.
      let c = 0;
      let found = 0;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (c > 0x7f) break;
        const column = classes[c];
        // `| 0`: a 32-bit add, without the overflow checks V8 puts on an add it cannot bound (a word index of wasm
        // memory is below 2^30, and every row has a slot for every column: the slots reach past the last row).
        found = words[(slots + row + column) | 0] ^ (column << CHECK_SHIFT);
        if (found >>> MATCH_SHIFT !== 0) break;
        row = found;
      }
      if (i >= n) break;
      if (c > 0x7f) {
        // Past ASCII: the character's UTF-8 bytes.
        const point = text.codePointAt(i);
        row = stepCharacter(slots, classes, row, point);
        if (row < 0) return false;
        extraBytes += point < 0x800 ? 1 : 2;
        i += point > 0xffff ? 2 : 1;
        continue;
      }
      if (found >>> MATCH_SHIFT !== 1 || passedCount === PASSED) return false;
      row = found & ROW_MASK;
      passedRows[passedCount++] = row;
      i++;
    }
    return endStep(view, row, n + extraBytes);
  }
  /** The end-of-text step of a text of `bytes` UTF-8 bytes from `row` (its match row kept in `passedRows`): false
   * when wasm must take it (a step not cached, a text past maxTextBytes, more matches than PASSED). */
  function endStep(view, row, bytes) {
    if (bytes > view.maxBytes) return false;
    const words = memoryWords;
    const end = view.end;
    const found = words[((words[view.published] >>> 2) + row + end) | 0] ^ (end << CHECK_SHIFT);
    if (found >>> MATCH_SHIFT === 0) return true;
    if (found >>> MATCH_SHIFT !== 1 || passedCount === PASSED) return false;
    passedRows[passedCount++] = found & ROW_MASK;
    return true;
  }
  /** The UTF-8 bytes `encodeCharacter` wrote last. */
  const characterBytes = new Uint8Array(4);
  /** Writes the UTF-8 bytes of code point `c` (past ASCII; a lone surrogate as U+FFFD, as `encodeInto` writes it)
   * into `characterBytes`: how many. */
  function encodeCharacter(c) {
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    const count = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    characterBytes[0] = count === 2 ? 0xc0 | (c >> 6) : count === 3 ? 0xe0 | (c >> 12) : 0xf0 | (c >> 18);
    for (let k = 1; k < count; k++) characterBytes[k] = 0x80 | ((c >> (6 * (count - 1 - k))) & 0x3f);
    return count;
  }
  /** Steps the UTF-8 bytes of code point `c` (past ASCII; see encodeCharacter) from `row`: the row after them, or
   * -1 when wasm must take a step. A match passed on a byte that continues the character ends inside it and is not
   * kept (`splits_a_character` in src/intent/automaton/hits.rs). */
  function stepCharacter(slots, classes, row, c) {
    const count = encodeCharacter(c);
    const words = memoryWords;
    for (let k = 0; k < count; k++) {
      const column = classes[characterBytes[k]];
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
  /** The dead state of a dense table: nothing matches from it on. */
  const DEAD = 0;
  /** What `denseCharacter` answers for a character that stepped into the dead state. */
  const TO_DEAD = -2;
  /** The bytes of the dense table of the matcher whose stepping view is `view` (a view taken again when memory
   * grows). */
  function denseTable(view) {
    let table = view.tableBytes;
    if (table.length === 0) {
      table = view.tableBytes = new Uint8Array(wasmMemory().buffer, view.table, 2 * view.states * view.columns);
    }
    return table;
  }
  /** Steps `text` (at most SHORT characters) through the dense table of the matcher whose stepping view is `view`,
   * as its UTF-8 bytes (a lone surrogate as U+FFFD), adding the match states it passes to `passedRows`, as
   * `DenseTable::matching` does (src/intent/automaton/dense.rs): true when it answered (at the end of the text, or
   * in the dead state, from which nothing more matches), false when wasm must search it (a transition naming no
   * state, which only a damaged table has; a text past maxTextBytes; more matches than PASSED). Each step reads a
   * 2-byte id a byte at a time: the table is stored at any alignment. */
  function stepDense(view, text) {
    // The match lists are read through memoryWords.
    memoryViews();
    const table = denseTable(view);
    const classes = view.classes;
    const columns = view.columns;
    // A plain state (neither the dead state nor a match state) is in firstPlain..states.
    const firstPlain = view.matchStates + 1;
    const plainStates = view.states - firstPlain;
    const n = text.length;
    let state = view.start;
    let extraBytes = 0;
    let i = 0;
    passedCount = 0;
    for (;;) {
      // Plain ASCII steps; like stepFrom's, this loop calls nothing.
      let c = 0;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (c > 0x7f) break;
        const at = 2 * (state * columns + classes[c]);
        state = table[at] | (table[at + 1] << 8);
        if ((state - firstPlain) >>> 0 >= plainStates) break;
      }
      if (i >= n) break;
      if (c > 0x7f) {
        const point = text.codePointAt(i);
        state = denseCharacter(view, table, state, point);
        if (state === TO_DEAD) return withinLimit(view, n);
        if (state < 0) return false;
        extraBytes += point < 0x800 ? 1 : 2;
        i += point > 0xffff ? 2 : 1;
        continue;
      }
      if (state === DEAD) return withinLimit(view, n);
      if (state >= view.states || passedCount === PASSED) return false;
      passedRows[passedCount++] = state;
      i++;
    }
    return denseEnd(view, table, state, n + extraBytes);
  }
  /** Whether a text of `n` UTF-16 code units is surely within maxTextBytes (at most 3 bytes each), for a search
   * that stopped before its end; when it may not be, wasm answers (or throws the error that names the limit). */
  function withinLimit(view, n) {
    return 3 * n <= view.maxBytes;
  }
  /** The dense table's end-of-text step of a text of `bytes` UTF-8 bytes from `state`: false when wasm must take it
   * (see stepDense). */
  function denseEnd(view, table, state, bytes) {
    if (bytes > view.maxBytes) return false;
    const at = 2 * (state * view.columns + view.end);
    const next = table[at] | (table[at + 1] << 8);
    if (next >= view.states) return false;
    if (next === DEAD || next > view.matchStates) return true;
    if (passedCount === PASSED) return false;
    passedRows[passedCount++] = next;
    return true;
  }
  /** Steps the UTF-8 bytes of code point `c` (past ASCII; see encodeCharacter) through the dense table from
   * `state`: the state after them, TO_DEAD when they reach the dead state, or -1 when wasm must search the text. A
   * match passed on a byte that continues the character ends inside it and is not kept (see stepCharacter). */
  function denseCharacter(view, table, state, c) {
    const count = encodeCharacter(c);
    for (let k = 0; k < count; k++) {
      const at = 2 * (state * view.columns + view.classes[characterBytes[k]]);
      state = table[at] | (table[at + 1] << 8);
      if (state >= view.states) return -1;
      if (state === DEAD) return TO_DEAD;
      if (state <= view.matchStates && k === 0) {
        if (passedCount === PASSED) return -1;
        passedRows[passedCount++] = state;
      }
    }
    return state;
  }
  /** Where the last `reportOf`'s patterns end (a word index). */
  let reportEnd = 0;
  /** Where the patterns that match row `row` reports start in wasm memory (a word index; they end at `reportEnd`),
   * or -1: for the anchored form, the report of the set whose row starts at `row` (its count, then its patterns);
   * for the dense form, match state `row`'s list. */
  function reportOf(view, row) {
    const words = memoryWords;
    if (view.dense) {
      const offsets = view.matchOffsets + row - 1;
      reportEnd = view.matchPatterns + words[offsets + 1];
      return view.matchPatterns + words[offsets];
    }
    const published = view.published;
    const set = words[(words[published + 1] >>> 2) + row];
    if (set < 0) return -1;
    const report = (words[published + 3] >>> 2) + words[(words[published + 2] >>> 2) + set];
    reportEnd = report + 1 + words[report];
    return report + 1;
  }
  /** No rank yet (ranks are below the pattern count). */
  const NO_RANK = 0x7fffffff;
  /** The least rank of the patterns match row `row` reports (see reportOf; NO_RANK for none), or -2 when its report
   * names no pattern of the set. */
  function rankOfRow(view, row) {
    const words = memoryWords;
    const patterns = view.patterns;
    const ranks = view.ranks;
    const report = reportOf(view, row);
    if (report < 0) return -2;
    const end = reportEnd;
    let best = NO_RANK;
    for (let j = report; j < end; j++) {
      const pattern = words[j];
      if (pattern >>> 0 >= patterns) return -2;
      const rank = words[ranks + pattern];
      if (rank < best) best = rank;
    }
    return best;
  }
  /** The best intent of the last stepped text (-1 for none), or -2 when a report names no pattern of the set.
   * Each match row's least rank is kept in the matcher's `bestRanks`, by the row's low bits (the row + 1, 0 for
   * none, then the rank): reading it from the row's report takes five loads from wasm memory, each waiting on the
   * one before (the row's set, the set's report, a pattern, its rank), ~20 ns a text after other work. A row keeps
   * its set while the cache's rows do not move, which the published `moves` counts: when it changed, the kept ranks
   * are dropped. */
  function bestOfPassed(view) {
    const bestRanks = view.bestRanks;
    // The dense form's states never move.
    const moves = view.dense ? 0 : memoryWords[view.published + 5];
    if (moves !== view.bestRanksMoves) {
      bestRanks.fill(0);
      view.bestRanksMoves = moves;
    }
    let best = NO_RANK;
    for (let k = 0; k < passedCount; k++) {
      const row = passedRows[k];
      const at = (row & (BEST_RANKS - 1)) << 1;
      let rank = bestRanks[at + 1];
      if (bestRanks[at] !== row + 1) {
        rank = rankOfRow(view, row);
        if (rank === -2) return -2;
        bestRanks[at] = row + 1;
        bestRanks[at + 1] = rank;
      }
      if (rank < best) best = rank;
    }
    return best === NO_RANK ? -1 : view.intentByRank[best];
  }
  /** The second lane's match rows while `stepPair` steps two texts (the first lane's are in `passedRows`). */
  const passedRowsB = new Int32Array(PASSED);
  let passedCountB = 0;
  /** Where the last `stepPair` stopped: the character both texts were stepped to, and each one's row there (-1 when
   * no search has published a start row yet). */
  let pairAt = 0;
  let pairRowA = -1;
  let pairRowB = -1;
  /** Steps two short texts side by side: one text's steps wait on each other's loads, two texts' loads overlap (as
   * wasm's batch lanes do). While both are ASCII and every step is plain or a match; each lane's match rows go to
   * its own array (`passedRows`, `passedRowsB`), and where they stopped to `pairAt`, `pairRowA` and `pairRowB`. Each
   * then goes on alone (`finishFirst`, `finishSecond`). */
  function stepPair(view, first, second) {
    const classes = view.classes;
    memoryViews();
    const words = memoryWords;
    const published = view.published;
    const start = words[published + 4];
    passedCount = 0;
    passedCountB = 0;
    if (start < 0) {
      pairRowA = pairRowB = -1;
      return;
    }
    const slots = words[published] >>> 2;
    const n = Math.min(first.length, second.length);
    let rowA = start;
    let rowB = start;
    let i = 0;
    for (;;) {
      // Plain steps of both; this loop calls nothing (see stepFrom).
      let foundA = 0;
      let foundB = 0;
      let stopped = false;
      for (; i < n; i++) {
        const a = first.charCodeAt(i);
        const b = second.charCodeAt(i);
        if ((a | b) > 0x7f) break;
        const columnA = classes[a];
        const columnB = classes[b];
        foundA = words[(slots + rowA + columnA) | 0] ^ (columnA << CHECK_SHIFT);
        foundB = words[(slots + rowB + columnB) | 0] ^ (columnB << CHECK_SHIFT);
        if ((foundA | foundB) >>> MATCH_SHIFT !== 0) {
          stopped = true;
          break;
        }
        rowA = foundA;
        rowB = foundB;
      }
      // A match step in either: both take theirs. A step only wasm can take, or a lane's match rows full: neither
      // takes this step, and each goes on alone from here (where that lane stops again).
      if (!stopped) break;
      const kindA = foundA >>> MATCH_SHIFT;
      const kindB = foundB >>> MATCH_SHIFT;
      if (kindA > 1 || kindB > 1 || (kindA === 1 && passedCount === PASSED)) break;
      if (kindB === 1 && passedCountB === PASSED) break;
      rowA = foundA & ROW_MASK;
      rowB = foundB & ROW_MASK;
      if (kindA === 1) passedRows[passedCount++] = rowA;
      if (kindB === 1) passedRowsB[passedCountB++] = rowB;
      i++;
    }
    pairAt = i;
    pairRowA = rowA;
    pairRowB = rowB;
  }
  /** The rest of a text `stepPair` stepped to character `at` (every character before it ASCII) in the row at `row`,
   * its match rows so far in `passedRows`: as stepFrom answers. */
  function finishLane(view, text, at, row) {
    if (row < 0) return false;
    return at < text.length ? stepFrom(view, text, at, row) : endStep(view, row, at);
  }
  /** The rest of the last `stepPair`'s first text (see finishLane). */
  function finishFirst(view, text) {
    return finishLane(view, text, pairAt, pairRowA);
  }
  /** The rest of the last `stepPair`'s second text, its match rows moved to `passedRows` first (see finishLane). */
  function finishSecond(view, text) {
    for (let k = 0; k < passedCountB; k++) passedRows[k] = passedRowsB[k];
    passedCount = passedCountB;
    return finishLane(view, text, pairAt, pairRowB);
  }
  /** The most intents JavaScript collects for one text; a text that matches more goes to wasm. */
  const FOUND = 64;
  /** Where `matchingIndexes` collects a text's intents. */
  const found = new Int32Array(FOUND);
  /** Writes the intents of the last stepped text into `out` from `start` on (room for FOUND), ascending, each once
   * (kept in order as they come: a text matches a few): how many, or -1 when a report names no pattern of the set or
   * more than FOUND intents match. */
  function collectIntents(view, out, start) {
    const words = memoryWords;
    const patterns = view.patterns;
    const intentOf = view.intentOfPattern;
    let end = start;
    for (let k = 0; k < passedCount; k++) {
      const report = reportOf(view, passedRows[k]);
      if (report < 0) return -1;
      const reportEnds = reportEnd;
      for (let j = report; j < reportEnds; j++) {
        const pattern = words[j];
        if (pattern >>> 0 >= patterns) return -1;
        const intent = words[intentOf + pattern];
        let at = end;
        while (at > start && out[at - 1] > intent) at--;
        if (at > start && out[at - 1] === intent) continue;
        if (end - start === FOUND) return -1;
        for (let m = end; m > at; m--) out[m] = out[m - 1];
        out[at] = intent;
        end++;
      }
    }
    return end - start;
  }
  /** How many texts JavaScript answers between two reports of them to wasm. */
  const NOTE_EVERY = 256;
  /** Tells wasm how many texts were stepped here since it was last told (`noteSteppedTexts` in src/js/intent.rs),
   * once they are NOTE_EVERY or more. The cache settles and compacts by the searches it counts
   * (`RunSets::searched_elsewhere`); told only of its own, the few texts that missed here, it would keep its rows
   * where the first searches placed them (a fifth slower to step on assistant-64 and support-150). Only between
   * texts: rows may move. (A dense matcher's count goes to wasm too, where it changes nothing.) */
  function noteIfDue(matcher, view) {
    if (view.stepped >= NOTE_EVERY) {
      const count = view.stepped;
      view.stepped = 0;
      matcher.noteSteppedTexts(count);
    }
  }
  /** The best intent of `text` stepped in JavaScript, or -2 when wasm must answer. */
  function steppedBest(matcher, text) {
    if (typeof text !== "string" || text.length > SHORT) return -2;
    const view = viewOf(matcher);
    if (view.v === 0) return -2;
    noteIfDue(matcher, view);
    if (!(view.dense ? stepDense(view, text) : stepFrom(view, text, 0, -1))) return -2;
    view.stepped++;
    return passedCount === 0 ? -1 : bestOfPassed(view);
  }
  /** How many intents `text` stepped in JavaScript has, collected into `found`, or -1 when wasm must answer. */
  function steppedAll(matcher, text) {
    if (typeof text !== "string" || text.length > SHORT) return -1;
    const view = viewOf(matcher);
    if (view.v === 0) return -1;
    noteIfDue(matcher, view);
    if (!(view.dense ? stepDense(view, text) : stepFrom(view, text, 0, -1))) return -1;
    view.stepped++;
    return collectIntents(view, found, 0);
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
    const count = steppedAll(this, text);
    if (count >= 0) {
      const answer = new Uint32Array(count);
      for (let k = 0; k < count; k++) answer[k] = found[k];
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
  /** The best intent of the text whose match rows are in `passedRows`, when its stepping `finished` (-1 for none);
   * -2 when wasm must answer. */
  function bestIf(view, finished) {
    return !finished ? -2 : passedCount === 0 ? -1 : bestOfPassed(view);
  }
  // How a batch's short texts are answered (`IntentMatcher.batchStepping`): "javascript", the default, steps them
  // here (two at a time; the rest go to one wasm batch); "wasm" hands the whole batch to wasm's own (three or four
  // texts side by side there, after joining them into one string). The answers are the same. Stepped here is 9–20 %
  // faster on most sets when other JavaScript runs between batches (the benchmark's paired rounds: `node
  // bench/compare.mjs`), once V8 has optimized the stepping functions. Until then it runs at interpreter speed, and in
  // a fresh process on a 2-core machine the optimizing compiles land only by batch 8–30: over a new process's first
  // 30 batches wasm's batch was 1.7–3.3 times faster (`node bench/fresh.mjs`), and back to back it stays a little
  // faster on some sets. So a short-lived process (a CLI, a job over a few thousand texts) or a loop of batches with
  // little else between them does better with "wasm". Tried and not kept: choosing by measuring both on part of each
  // batch until JavaScript proved faster (docs/performance-log.md, "Stop 34").
  const BATCH_STEPPING = ["javascript", "wasm"];
  let batchesToWasm = false;
  Object.defineProperty(IntentMatcher, "batchStepping", {
    enumerable: true,
    get: () => (batchesToWasm ? "wasm" : "javascript"),
    set(mode) {
      if (!BATCH_STEPPING.includes(mode)) {
        const shown = typeof mode === "string" ? JSON.stringify(mode) : typeof mode;
        throw new TypeError(`IntentMatcher.batchStepping: ${shown} is not "javascript" or "wasm"`);
      }
      batchesToWasm = mode === "wasm";
    },
  });
  function matchBatch(texts) {
    if (!Array.isArray(texts) || batchesToWasm) return generated.matchBatch.call(this, texts);
    const view = viewOf(this);
    // The dense form's batch is wasm's: three texts side by side there (see fastShortTexts).
    if (view.v === 0 || view.dense) return generated.matchBatch.call(this, texts);
    noteIfDue(this, view);
    const count = texts.length;
    const out = new Int32Array(count);
    let stepped = 0;
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
        const first = texts[waiting];
        stepPair(view, first, text);
        const bestFirst = bestIf(view, finishFirst(view, first));
        const bestSecond = bestIf(view, finishSecond(view, text));
        if (bestFirst === -2) (rest ??= []).push(waiting);
        else {
          out[waiting] = bestFirst;
          stepped++;
        }
        if (bestSecond === -2) (rest ??= []).push(i);
        else {
          out[i] = bestSecond;
          stepped++;
        }
        waiting = -1;
      }
    }
    view.stepped += stepped;
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

  /** Writes at `at` in `out` (room for 1 + FOUND entries) the count and then the intents (ascending) of the text
   * whose match rows are in `passedRows`, when its stepping `finished`; else -1 alone, and its `index` in the batch
   * goes to `rest` for wasm to answer. Where the next text's entries go. */
  function putAll(view, finished, out, at, rest, index) {
    const count = finished ? collectIntents(view, out, at + 1) : -1;
    out[at] = count;
    if (count < 0) {
      rest.push(index);
      return at + 1;
    }
    return at + 1 + count;
  }
  /** `out` with room for `need` entries: itself, or a copy of its first `used` entries in a larger array. */
  function roomFor(out, used, need) {
    if (out.length >= need) return out;
    const grown = new Int32Array(Math.max(2 * out.length, need));
    grown.set(out.subarray(0, used));
    return grown;
  }
  const NO_ANSWER = new Int32Array(0);
  /** The answer `stepAll` wrote into (see there): grown as it goes, taken by `matchAllBatch`. */
  let allOut = NO_ANSWER;
  /** `matchAllBatch`'s stepping: for each text in order its count of intents and the intents, or -1 alone for a text
   * wasm must answer (its index pushed to `rest`), written into `allOut`: how many entries, or -1 when a text is not
   * a string. Its own function, so that V8 compiles this loop alone: compiled inside `matchAllBatch` while its first
   * call was still in the loop (on-stack replacement), the code after the loop had never run, and the compiled code
   * left for the interpreter there on every later call (`node --trace-deopt`: "insufficient type feedback", 131
   * times in 400 calls on support-150). */
  function stepAll(view, texts, rest) {
    const count = texts.length;
    let out = new Int32Array(3 * count + 2 * (1 + FOUND));
    let at = 0;
    let waiting = -1;
    for (let i = 0; i < count; i++) {
      const text = texts[i];
      if (typeof text !== "string") return -1;
      out = roomFor(out, at, at + 2 * (1 + FOUND));
      if (text.length > SHORT) {
        // The text waiting for a pair first, alone, to keep the answers in order.
        if (waiting >= 0) at = putAll(view, stepFrom(view, texts[waiting], 0, -1), out, at, rest, waiting);
        waiting = -1;
        at = putAll(view, false, out, at, rest, i);
      } else if (waiting < 0) {
        waiting = i;
      } else {
        const first = texts[waiting];
        stepPair(view, first, text);
        at = putAll(view, finishFirst(view, first), out, at, rest, waiting);
        at = putAll(view, finishSecond(view, text), out, at, rest, i);
        waiting = -1;
      }
    }
    if (waiting >= 0) at = putAll(view, stepFrom(view, texts[waiting], 0, -1), out, at, rest, waiting);
    allOut = out;
    return at;
  }
  function matchAllBatch(texts) {
    if (!Array.isArray(texts) || batchesToWasm) return generated.matchAllBatch.call(this, texts);
    const view = viewOf(this);
    if (view.v === 0 || view.dense) return generated.matchAllBatch.call(this, texts);
    noteIfDue(this, view);
    // Texts wasm must answer, by index, in order (the answer is in the texts' order).
    const rest = [];
    const at = stepAll(view, texts, rest);
    const out = allOut;
    allOut = NO_ANSWER;
    if (at < 0) return generated.matchAllBatch.call(this, texts);
    view.stepped += texts.length - rest.length;
    if (rest.length === 0) return out.slice(0, at);
    let answers;
    try {
      answers = generated.matchAllBatch.call(this, rest.map((i) => texts[i]));
    } catch {
      return generated.matchAllBatch.call(this, texts);
    }
    // Ours and wasm's, in the texts' order.
    const merged = new Int32Array(at - rest.length + answers.length);
    let to = 0;
    let fromWasm = 0;
    for (let k = 0; k < at; ) {
      const n = out[k++];
      if (n < 0) {
        const end = fromWasm + 1 + answers[fromWasm];
        merged.set(answers.subarray(fromWasm, end), to);
        to += end - fromWasm;
        fromWasm = end;
      } else {
        merged[to++] = n;
        for (let j = 0; j < n; j++) merged[to++] = out[k++];
      }
    }
    return merged;
  }
  function free() {
    this[VIEW] = NO_VIEW;
    return generated.free.call(this);
  }
  bestIndex.fast = true;
  proto.bestIndex = bestIndex;
  proto.matchingIndexes = matchingIndexes;
  proto.matchBatch = matchBatch;
  proto.matchAllBatch = matchAllBatch;
  proto.free = free;
  if (Symbol.dispose && proto[Symbol.dispose] === generated.free) proto[Symbol.dispose] = free;
}
