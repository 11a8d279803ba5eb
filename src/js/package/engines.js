// The JavaScript half of the package's ResponseCache, RateLimiter and Coalescer: the classes users construct. Each wraps one
// wasm object that makes every decision (src/js/cache.rs, src/js/ratelimit.rs, on the same Rust engines the edge
// gateway runs) and keeps on this side only what is cheaper here:
//
// - ResponseCache: keys in a Map (key → slot number) and values, as they are, in an array by slot. A cache bounded
//   by entries only (no maxBytes, no TTL) is an exact LRU kept here alone until its first `set` with options:
//   recency a linked list through typed arrays, the counts as numbers, no call into wasm (its decisions are few
//   and the same corpus pins them); that `set` hands the whole state to the wasm table. Otherwise a `get` is one
//   Map lookup plus, when nothing in the cache can expire, one number written into a log (the table applies the
//   logged gets in order before anything that depends on recency) or, in a long run of gets, one stamp written by
//   slot (the table sorts the run's slots by stamp when it ends), else one call into wasm with two numbers: no
//   string is copied into wasm memory. The wasm table decides recency, both bounds, TTL, tags and
//   statistics, and says which slots an operation vacated.
// - RateLimiter: the keys it has seen in a Map, next to the slot each has in the wasm limiter's table; a decision
//   for a known key is one call into wasm with numbers (slot, generation, cost, time) and a few number reads — no
//   string copied, no hash computed in wasm. The header strings are rendered by wasm only when `decision.headers` is
//   read.
// - Coalescer: the promises (which only JavaScript can make) in a Map by flight number; wasm decides lead, join,
//   replay or refuse for each call's key and keeps replayable values (as JS values) for the window.
//
// This file is the same for every target: each entry module (web, bundler, node) passes in its wasm-bindgen module.
// The tests run one behaviour corpus (tests/corpus) against these classes in Node and in Chromium, and the same
// corpus against the Rust engines natively.

export function defineEngines(wasm) {
  const { CacheEntryTable, KeyGlob, LimiterCore, CoalescerCore } = wasm;

  /** What a class holds instead of its wasm object once `free()` ran: any use says so. */
  const released = (what) =>
    new Proxy(
      {},
      {
        get() {
          throw new Error(`this ${what} was freed (free() or Symbol.dispose) and cannot be used any more`);
        },
      },
    );

  /**
   * The time for stamps that need no more precision than "when this task ran": `Date.now()` read once per
   * synchronous task (forgotten at the next microtask checkpoint), so a burst of `set`s or coalesced calls reads the
   * clock once. Used where being early by at most the current task's duration is harmless: a cache entry's stored-at
   * time (its TTL then ends no later than asked, its age reads no younger) and the coalescer's flight times. Expiry
   * checks and rate-limit decisions read `Date.now()` every time.
   */
  let taskTime;
  const forgetTaskTime = () => {
    taskTime = undefined;
  };
  function taskNow() {
    if (taskTime === undefined) {
      taskTime = Date.now();
      queueMicrotask(forgetTaskTime);
    }
    return taskTime;
  }

  /** Gets logged before the table applies them (CacheEntryTable's TOUCH_LOG). */
  const LOG_SIZE = 4096;

  /** How a ResponseCache records its gets (see `ResponseCache#mode`). */
  const STAMPING = 0;
  const LOGGING = 1;
  const EXPIRING = 2;
  const LISTED = 3;

  /** "No slot" at an end of a LISTED cache's recency list. */
  const NO_SLOT = -1;

  /** CacheEntryTable.insert's answer is slot + 2^32 × (2 × evicted + more); -1 for an entry over maxBytes. */
  const HIGH = 4294967296;

  /** The UTF-8 length of a JS string (what the Rust cache charges for a key); a lone surrogate counts as U+FFFD. */
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(256);
  function utf8Length(text) {
    if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
    return encoder.encodeInto(text, scratch).written;
  }

  /**
   * An LRU cache bounded by entries (and optionally bytes), with TTL, tags, invalidation and statistics. Values are
   * kept as they are: `get` returns the very object `set` was given.
   *
   * Every entry is charged its key's UTF-8 length plus its value's size. With a `maxBytes` the key's length is
   * measured on `set` (the bound depends on it); without one nothing depends on it but the `bytes` figure, so the
   * table is charged only the sizes and `bytes` / `stats()` add the keys' lengths when read (one pass over the keys).
   */
  class ResponseCache {
    #table;
    #index = new Map();
    #keys = [];
    #values = [];
    #byteBounded;
    /**
     * How a `get` of a held key records its use. A cache bounded by entries only (no `maxBytes`, no `defaultTtlMs`)
     * starts LISTED and stays so until its first `set` with options:
     * - LISTED: the cache is kept here alone, the way the fastest JavaScript LRU keeps it: recency a doubly linked
     *   list through typed arrays by slot (a get moves its slot to the newest end, an insert into a full cache takes
     *   the oldest slot), the counts as numbers, the time each entry was stored by slot; the wasm table stays empty.
     *   Nothing else is needed without TTLs, tags or sizes, and a replay then makes no call into wasm at all. The
     *   first `set` with options hands the whole state to the table (`#adopt`) and goes on in LOGGING.
     * The other modes leave every decision to the table, which has to see every get before anything that depends
     * on recency or the counts:
     * - EXPIRING, once any entry may carry a TTL: each get asks the table at once (expiry is decided at the get).
     * - LOGGING: the slot is appended to a log that the table applies in order, 4,096 gets at a time or at the next
     *   operation that depends on them (an insert, a delete, `keys`, `stats`, …).
     * - STAMPING, once a run of gets with nothing else between them has filled the log at least twice and at least
     *   as often as it takes to reach the stamps' length (see `#logFull`): each get writes the next value of a
     *   counter into its slot's cell of `#stamps` — one random write, no work in wasm — and the run ends with one
     *   call in which the table moves the slots got in stamp order (the order the log would have left) and counts
     *   them. A run that ends costs a pass over the stamps and a sort of the slots
     *   got, which a read-heavy cache pays rarely; gets interleaved with sets keep the log, whose moves cost less.
     */
    #mode;
    /** Gets not yet applied (their slots, in order) and misses not yet counted. The log is a plain typed array:
     * writing into a view of wasm memory costs more per get than copying the log there when it is applied. */
    #log = new Uint32Array(LOG_SIZE);
    #logged = 0;
    #misses = 0;
    /** The table's own touch log: a view of wasm memory, taken again when wasm memory grows (its length drops to 0). */
    #wasmLog;
    /** The key of the last `get` that missed, until the next `set`: the get-or-set idiom then looks it up once. */
    #lastMiss;
    /** STAMPING: each slot's last get (the clock's value then), as long as the slot numbers in use. */
    #stamps = new Float64Array(16);
    /** The stamp of the latest stamped get (it only grows, so a run's stamps are the ones above `#since`). */
    #clock = 0;
    /** The clock when the current STAMPING run began. */
    #since = 0;
    /** LOGGING: how many full logs were applied since anything else reached the table. */
    #fullLogs = 0;
    /** LISTED (see `#mode`): per slot, the next newer and older slot, and when its entry was stored; the newest and
     * oldest slot; how many slot numbers are in use, and the free ones (reused last freed first); the counts (misses
     * are counted in `#misses`). */
    #newer = new Int32Array(16);
    #older = new Int32Array(16);
    #storedAt = new Float64Array(16);
    #newest = NO_SLOT;
    #oldest = NO_SLOT;
    #slots = 0;
    #free = [];
    #hits = 0;
    #inserts = 0;
    #evictions = 0;
    #invalidations = 0;
    #maxEntries;
    /** Whether the cache is kept in JavaScript (LISTED, or STAMPING a run of gets that started LISTED). */
    #listed;
    /** LISTED: gets since anything else happened (a run that reaches `#stampAfter` goes on STAMPING). */
    #runGets = 0;

    constructor(config) {
      this.#table = new CacheEntryTable(config);
      this.#byteBounded = this.#table.byteBounded;
      this.#mode = this.#table.hasDefaultTtl ? EXPIRING : this.#byteBounded ? LOGGING : LISTED;
      this.#listed = this.#mode === LISTED;
      this.#wasmLog = this.#table.touchLog();
      this.#maxEntries = this.#table.maxEntries;
    }

    set(key, value, options, now) {
      if (typeof key !== "string") throw new TypeError(`cache key must be a string, got ${typeof key}`);
      const table = this.#table;
      const old = key === this.#lastMiss ? undefined : this.#index.get(key);
      this.#lastMiss = undefined;
      if (this.#listed) {
        this.#sync();
        if (options === undefined) return this.#setListed(key, value, old, now === undefined ? taskNow() : now);
        this.#adopt();
      }
      const replacing = old === undefined ? -1 : old;
      const at = now === undefined ? taskNow() : now;
      if (this.#mode === STAMPING) this.#sync();
      this.#fullLogs = 0;
      const touches = this.#stageLog();
      const misses = this.#misses;
      this.#logged = this.#misses = 0;
      let answer;
      if (options === undefined && !this.#byteBounded) {
        answer = table.insert(replacing, 0, at, touches, misses);
      } else {
        const keyBytes = this.#byteBounded ? utf8Length(key) : 0;
        answer = table.insertWithOptions(replacing, keyBytes, value, options, at, touches, misses);
        if (options != null && options.ttlMs != null) this.#mode = EXPIRING;
      }
      if (answer < 0) throw table.tooLargeError(key);
      const high = Math.floor(answer / HIGH);
      // `| 0` keeps the slot a small integer (a Smi): computed from the f64 answer, it would otherwise be stored in
      // the Map as a boxed number while this code is not yet optimized, and every later `get` of such a key would
      // read that box and index the arrays with a non-Smi (measured: `get` hits 5–8 % slower).
      const slot = (answer - high * HIGH) | 0;
      if (high & 1) {
        for (const vacated of table.takeReleased()) this.#forget(vacated);
      } else if (slot !== old) {
        const evicted = this.#keys[slot];
        if (evicted !== undefined) this.#index.delete(evicted);
      }
      if (slot !== old) {
        this.#keys[slot] = key;
        this.#index.set(key, slot);
        if (slot >= this.#stamps.length) this.#growStamps(slot);
      }
      this.#values[slot] = value;
      return high >>> 1;
    }

    get(key, now) {
      const slot = this.#index.get(key);
      if (slot === undefined) {
        this.#misses++;
        this.#lastMiss = key;
        return undefined;
      }
      const mode = this.#mode;
      if (mode === LISTED) {
        this.#hits++;
        if (slot !== this.#newest) this.#moveToNewest(slot);
        if (++this.#runGets >= this.#stampAfter()) this.#startStamping();
        return this.#values[slot];
      }
      if (mode === STAMPING) {
        this.#stamps[slot] = ++this.#clock;
        return this.#values[slot];
      }
      if (mode === EXPIRING) return this.#getExpiring(slot, now);
      let logged = this.#logged;
      if (logged === LOG_SIZE) {
        this.#logFull();
        if (this.#mode === STAMPING) {
          this.#stamps[slot] = ++this.#clock;
          return this.#values[slot];
        }
        logged = 0;
      }
      this.#log[logged] = slot;
      this.#logged = logged + 1;
      return this.#values[slot];
    }

    /** The log is full: the table applies it, and a long enough run of gets goes on in STAMPING. */
    #logFull() {
      this.#table.applyTouches(this.#stageLog(), this.#misses);
      this.#logged = this.#misses = 0;
      // A run's end costs a pass over the stamps: start one only after at least as many gets as there are slots.
      if (++this.#fullLogs >= Math.max(2, Math.ceil(this.#stamps.length / LOG_SIZE))) {
        this.#mode = STAMPING;
        this.#since = this.#clock;
      }
    }

    /** Room in `#stamps` for `slot` (a new array is enough: no stamp in it is above the next run's start). */
    #growStamps(slot) {
      this.#stamps = new Float64Array(Math.max(slot + 1, this.#stamps.length * 2));
    }

    /** A get when entries can expire: the table decides at once, at this time. */
    #getExpiring(slot, now) {
      this.#sync();
      if (this.#table.touch(slot, now === undefined ? Date.now() : now)) return this.#values[slot];
      this.#forget(slot);
      return undefined;
    }

    /** LISTED: `set` without options. */
    #setListed(key, value, old, at) {
      this.#inserts++;
      if (old !== undefined) {
        this.#values[old] = value;
        this.#storedAt[old] = at;
        if (old !== this.#newest) this.#moveToNewest(old);
        return 0;
      }
      let slot;
      let evicted = 0;
      if (this.#index.size === this.#maxEntries) {
        slot = this.#oldest;
        this.#index.delete(this.#keys[slot]);
        this.#unlink(slot);
        this.#evictions++;
        evicted = 1;
      } else if (this.#free.length !== 0) {
        slot = this.#free.pop();
      } else {
        slot = this.#slots++;
        if (slot === this.#newer.length) this.#growList();
        if (slot >= this.#stamps.length) this.#growStamps(slot);
      }
      this.#keys[slot] = key;
      this.#values[slot] = value;
      this.#storedAt[slot] = at;
      this.#index.set(key, slot);
      this.#pushNewest(slot);
      return evicted;
    }

    /** LISTED: how long a run of gets goes before it is stamped instead (as long as the table's form waits: two
     * full logs, and at least as many gets as there are slots, so that ending it costs little per get). */
    #stampAfter() {
      return Math.max(2 * LOG_SIZE, this.#stamps.length);
    }

    /** LISTED → STAMPING: each get of the run now only writes a stamp (see `#mode`). */
    #startStamping() {
      this.#mode = STAMPING;
      this.#since = this.#clock;
    }

    /** STAMPING, kept in JavaScript: the slots got in the run become the newest in stamp order (each slot's last get
     * decides where it ends, as if each get had moved it), the run's gets count as hits, and gets move slots again. */
    #endListedRun() {
      const stamps = this.#stamps;
      const since = this.#since;
      const got = [];
      for (let slot = 0; slot < this.#slots; slot++) if (stamps[slot] > since && this.#keys[slot] !== undefined) got.push(slot);
      got.sort((a, b) => stamps[a] - stamps[b]);
      for (const slot of got) if (slot !== this.#newest) this.#moveToNewest(slot);
      this.#hits += this.#clock - since;
      this.#mode = LISTED;
      if (this.#clock > 2 ** 52) {
        this.#clock = 0;
        stamps.fill(0);
      }
    }

    /** LISTED: the list's arrays, twice as long. */
    #growList() {
      const grown = (array) => {
        const longer = new array.constructor(2 * array.length);
        longer.set(array);
        return longer;
      };
      this.#newer = grown(this.#newer);
      this.#older = grown(this.#older);
      this.#storedAt = grown(this.#storedAt);
    }

    /** `slot`, held and not the newest, becomes the newest (the hot path of a LISTED get: no end can be empty). */
    #moveToNewest(slot) {
      const newerOf = this.#newer;
      const olderOf = this.#older;
      const newer = newerOf[slot];
      const older = olderOf[slot];
      if (older === NO_SLOT) this.#oldest = newer;
      else newerOf[older] = newer;
      olderOf[newer] = older;
      const newest = this.#newest;
      olderOf[slot] = newest;
      newerOf[slot] = NO_SLOT;
      newerOf[newest] = slot;
      this.#newest = slot;
    }

    #pushNewest(slot) {
      const newest = this.#newest;
      this.#older[slot] = newest;
      this.#newer[slot] = NO_SLOT;
      if (newest === NO_SLOT) this.#oldest = slot;
      else this.#newer[newest] = slot;
      this.#newest = slot;
    }

    #unlink(slot) {
      const newer = this.#newer[slot];
      const older = this.#older[slot];
      if (older === NO_SLOT) this.#oldest = newer;
      else this.#newer[older] = newer;
      if (newer === NO_SLOT) this.#newest = older;
      else this.#older[newer] = older;
    }

    /** LISTED: removes the entry in `slot`, counted as an invalidation. */
    #removeListed(slot) {
      this.#unlink(slot);
      this.#free.push(slot);
      this.#forget(slot);
      this.#invalidations++;
    }

    /** LISTED → LOGGING: the table takes over the entries (in their slots and recency order), their stored times
     * and the counts; this side keeps the keys and values, as in every other mode. */
    #adopt() {
      const oldestFirst = new Uint32Array(this.#index.size);
      const storedAt = new Float64Array(oldestFirst.length);
      let n = 0;
      for (let slot = this.#oldest; slot !== NO_SLOT; slot = this.#newer[slot]) {
        oldestFirst[n] = slot;
        storedAt[n++] = this.#storedAt[slot];
      }
      const counts = Float64Array.of(this.#hits, this.#misses, this.#inserts, this.#evictions, this.#invalidations);
      if (n !== oldestFirst.length || !this.#table.adopt(oldestFirst, storedAt, this.#slots, counts)) {
        throw new Error("intent-edge ResponseCache: the wasm table could not take over the entries (a bug in intent-edge; please report it)");
      }
      if (this.#slots > this.#stamps.length) this.#growStamps(this.#slots - 1);
      this.#mode = LOGGING;
      this.#listed = false;
      this.#misses = 0;
      this.#newer = this.#older = this.#storedAt = undefined;
      this.#free = [];
    }

    peek(key, now) {
      const slot = this.#freshSlot(key, now);
      return slot === undefined ? undefined : this.#values[slot];
    }

    has(key, now) {
      return this.#freshSlot(key, now) !== undefined;
    }

    age(key, now) {
      const slot = this.#index.get(key);
      if (slot === undefined) return undefined;
      if (this.#listed) return CacheEntryTable.ageMs(this.#storedAt[slot], now === undefined ? Date.now() : now);
      return this.#table.age(slot, now === undefined ? Date.now() : now);
    }

    delete(key) {
      const slot = this.#index.get(key);
      if (slot === undefined) return false;
      this.#sync();
      if (this.#listed) {
        this.#removeListed(slot);
        return true;
      }
      this.#table.remove(slot);
      this.#forget(slot);
      return true;
    }

    invalidatePrefix(prefix) {
      return this.#invalidateKeys((key) => key.startsWith(prefix));
    }

    invalidateGlob(glob) {
      const matcher = new KeyGlob(glob);
      try {
        return this.#invalidateKeys((key) => matcher.matches(key));
      } finally {
        matcher.free();
      }
    }

    invalidateTag(tag) {
      this.#sync();
      const vacated = this.#table.invalidateTag(tag);
      for (const slot of vacated) this.#forget(slot);
      return vacated.length;
    }

    purgeExpired(now) {
      this.#sync();
      const vacated = this.#table.purgeExpired(now === undefined ? Date.now() : now);
      for (const slot of vacated) this.#forget(slot);
      return vacated.length;
    }

    clear() {
      this.#sync();
      if (this.#listed) {
        this.#invalidations += this.#index.size;
        this.#newest = this.#oldest = NO_SLOT;
        this.#slots = 0;
        this.#free = [];
      }
      this.#table.clear();
      this.#index.clear();
      this.#keys = [];
      this.#values = [];
    }

    keys() {
      this.#sync();
      if (this.#listed) {
        const keys = [];
        for (let slot = this.#newest; slot !== NO_SLOT; slot = this.#older[slot]) keys.push(this.#keys[slot]);
        return keys;
      }
      return Array.from(this.#table.byRecency(), (slot) => this.#keys[slot]);
    }

    get size() {
      return this.#index.size;
    }

    get bytes() {
      return this.#table.bytes + this.#unchargedKeyBytes();
    }

    stats() {
      this.#sync();
      if (this.#listed) {
        const hits = this.#hits;
        const lookups = hits + this.#misses;
        return {
          hits,
          misses: this.#misses,
          inserts: this.#inserts,
          evictions: this.#evictions,
          expirations: 0,
          invalidations: this.#invalidations,
          entries: this.#index.size,
          bytes: this.#unchargedKeyBytes(),
          hitRatio: lookups === 0 ? 0 : hits / lookups,
        };
      }
      const stats = this.#table.stats();
      stats.bytes += this.#unchargedKeyBytes();
      return stats;
    }

    /** Releases the wasm memory now (otherwise when the cache is garbage-collected) and drops every value. */
    free() {
      this.#keys = [];
      this.#values = [];
      this.#logged = 0;
      this.#table.free();
      this.#table = this.#index = released("ResponseCache");
    }

    [Symbol.dispose]() {
      this.free();
    }

    /** Has the table apply the gets recorded so far (logged or stamped) and count the misses. */
    #sync() {
      if (this.#listed) {
        if (this.#mode === STAMPING) this.#endListedRun();
        this.#runGets = 0;
        return;
      }
      this.#fullLogs = 0;
      if (this.#mode === STAMPING) {
        this.#table.applyStamps(this.#stamps, this.#since, this.#clock - this.#since, this.#misses);
        this.#misses = 0;
        this.#mode = LOGGING;
        // Stamps are exact integers below 2^53: far from it, start again from 0 (every stamp is then old).
        if (this.#clock > 2 ** 52) {
          this.#clock = 0;
          this.#stamps.fill(0);
        }
      } else if (this.#logged > 0 || this.#misses > 0) {
        this.#table.applyTouches(this.#stageLog(), this.#misses);
        this.#logged = this.#misses = 0;
      }
    }

    /** Copies the logged gets into the table's log (in wasm memory); returns how many. */
    #stageLog() {
      const n = this.#logged;
      if (n === 0) return 0;
      let target = this.#wasmLog;
      if (target.length === 0) target = this.#wasmLog = this.#table.touchLog();
      if (n < 64) {
        const log = this.#log;
        for (let i = 0; i < n; i++) target[i] = log[i];
      } else {
        target.set(n === this.#log.length ? this.#log : this.#log.subarray(0, n));
      }
      return n;
    }

    /** The keys' UTF-8 lengths, when the table was not charged them (no maxBytes). */
    #unchargedKeyBytes() {
      if (this.#byteBounded) return 0;
      let bytes = 0;
      for (const key of this.#index.keys()) bytes += utf8Length(key);
      return bytes;
    }

    #freshSlot(key, now) {
      const slot = this.#index.get(key);
      if (slot === undefined || this.#listed) return slot;
      return this.#table.isFresh(slot, now === undefined ? Date.now() : now) ? slot : undefined;
    }

    #invalidateKeys(doomed) {
      this.#sync();
      const slots = [];
      for (const [key, slot] of this.#index) if (doomed(key)) slots.push(slot);
      if (this.#listed) {
        for (const slot of slots) this.#removeListed(slot);
        return slots.length;
      }
      const removed = this.#table.invalidateSlots(Uint32Array.from(slots));
      for (const slot of slots) this.#forget(slot);
      return removed;
    }

    /** Drops the key and value of a slot the table vacated. */
    #forget(slot) {
      const key = this.#keys[slot];
      if (key === undefined) return;
      this.#index.delete(key);
      this.#keys[slot] = undefined;
      this.#values[slot] = undefined;
    }
  }

  const REASONS = [null, "quotaExhausted", "keyTableFull", "costExceedsBurst"];

  /** What a RateLimiter shares with its decisions. */
  class LimiterInfo {
    constructor(core) {
      this.core = core;
      this.names = core.quotaNames();
      this.policy = core.policyHeader();
    }
  }

  /**
   * The answer for one request: plain numbers, read when the decision is made; `quotas` and `headers` are built
   * when first read, from numbers kept at decision time.
   */
  class Decision {
    #info;
    /** Per quota: remaining, reset (ms), reset (whole seconds, rounded up), allowed — only for several quotas. */
    #perQuota;
    #resetSeconds;
    #retryAfterSeconds;
    #headers;

    constructor(info, reason, remaining) {
      const core = info.core;
      this.allowed = reason === 0;
      this.reason = REASONS[reason];
      this.remaining = remaining;
      this.reset = core.resetMs;
      this.retryAfter = reason === 0 ? 0 : core.retryAfterMs;
      this.#info = info;
      this.#retryAfterSeconds = reason === 0 ? -1 : core.retryAfterSeconds;
      const n = info.names.length;
      if (n === 1) {
        this.#resetSeconds = core.quotaResetSeconds(0);
      } else {
        const perQuota = new Array(n);
        for (let i = 0; i < n; i++) {
          perQuota[i] = [core.quotaRemaining(i), core.quotaResetMs(i), core.quotaResetSeconds(i), core.quotaAllowed(i)];
        }
        this.#perQuota = perQuota;
      }
    }

    get quotas() {
      const names = this.#info.names;
      if (this.#perQuota === undefined) {
        return [{ name: names[0], remaining: this.remaining, reset: this.reset, allowed: this.allowed }];
      }
      return this.#perQuota.map(([remaining, reset, , allowed], i) => ({ name: names[i], remaining, reset, allowed }));
    }

    get headers() {
      if (this.#headers === undefined) {
        const info = this.#info;
        const pairs = this.#perQuota === undefined ? Float64Array.of(this.remaining, this.#resetSeconds) : Float64Array.from(this.#perQuota.flatMap((q) => [q[0], q[2]]));
        const headers = { "RateLimit-Policy": info.policy, RateLimit: info.core.rateLimitHeader(pairs) };
        if (this.#retryAfterSeconds >= 0) headers["Retry-After"] = String(this.#retryAfterSeconds);
        this.#headers = headers;
      }
      return this.#headers;
    }

    toJSON() {
      const { allowed, reason, remaining, reset, retryAfter, quotas, headers } = this;
      return { allowed, reason, remaining, reset, retryAfter, quotas, headers };
    }
  }

  /** Reads `check`'s options; unknown fields are a TypeError so a typo is not silently ignored. */
  function checkOptions(options) {
    if (typeof options !== "object") throw new TypeError("check options must be an object");
    for (const field in options) {
      if (field !== "cost" && field !== "now") throw new TypeError(`unknown field \`${field}\` in check options; expected one of cost, now`);
    }
    let { cost, now } = options;
    if (cost === undefined || cost === null) cost = 1;
    else if (typeof cost !== "number") throw new TypeError("`cost` must be a number");
    else if (!(Number.isInteger(cost) && cost >= 1 && cost <= 0xffffffff)) throw new RangeError(`\`cost\` must be a whole number ≥ 1, got ${cost}`);
    if (now === undefined || now === null) now = Date.now();
    else if (typeof now !== "number") throw new TypeError("`now` must be a number");
    return { cost, now };
  }

  /**
   * A GCRA rate limiter over string keys (client IP, API key, intent, …), with several quotas at once and a bounded
   * key table. The keys it has seen live here, in a Map next to the slot each has in the wasm limiter's table: a
   * decision for a known key passes numbers only; a new key, or one the table forgot since, goes by key.
   */
  class RateLimiter {
    #core;
    #info;
    /** Key → slot; per slot, the key believed to live there and the slot's generation then. At most one key per
     * slot, so this index is bounded by the table's slots (a key the table forgot stays until its slot is reused). */
    #index = new Map();
    #keys = [];
    #generations = [];

    constructor(config) {
      this.#core = new LimiterCore(config);
      this.#info = new LimiterInfo(this.#core);
    }

    check(key, options) {
      if (typeof key !== "string") throw new TypeError(`rate limit key must be a string, got ${typeof key}`);
      let cost = 1;
      let now;
      if (options === undefined || options === null) now = Date.now();
      else ({ cost, now } = checkOptions(options));
      const slot = this.#index.get(key);
      let answer = slot === undefined ? -1 : this.#core.checkSlot(slot, this.#generations[slot], cost, now);
      if (answer < 0) answer = this.#checkByKey(key, slot, cost, now);
      const flags = answer % 16;
      return new Decision(this.#info, flags & 3, (answer - flags) / 16);
    }

    #checkByKey(key, staleSlot, cost, now) {
      if (staleSlot !== undefined) this.#unmap(key, staleSlot);
      const core = this.#core;
      const answer = core.check(key, cost, now);
      if (answer % 16 >= 4) {
        const slot = core.slot;
        const previous = this.#keys[slot];
        if (previous !== undefined) this.#index.delete(previous);
        this.#keys[slot] = key;
        this.#generations[slot] = core.generation;
        this.#index.set(key, slot);
      }
      return answer;
    }

    peek(key, now) {
      if (typeof key !== "string") throw new TypeError(`rate limit key must be a string, got ${typeof key}`);
      const at = now === undefined ? Date.now() : now;
      const slot = this.#index.get(key);
      let answer = slot === undefined ? -1 : this.#core.peekSlot(slot, this.#generations[slot], at);
      if (answer < 0) answer = this.#core.peek(key, at);
      const flags = answer % 16;
      return new Decision(this.#info, flags & 3, (answer - flags) / 16);
    }

    resetKey(key) {
      const slot = this.#index.get(key);
      if (slot !== undefined) {
        this.#unmap(key, slot);
        if (this.#core.resetSlot(slot, this.#generations[slot])) return true;
      }
      return this.#core.resetKey(key);
    }

    policyHeader() {
      return this.#info.policy;
    }

    stats() {
      return this.#core.stats();
    }

    /** Releases the wasm memory now (otherwise when the limiter is garbage-collected). */
    free() {
      this.#keys = [];
      this.#core.free();
      this.#core = this.#info.core = this.#index = released("RateLimiter");
    }

    [Symbol.dispose]() {
      this.free();
    }

    #unmap(key, slot) {
      this.#index.delete(key);
      if (this.#keys[slot] === key) this.#keys[slot] = undefined;
    }
  }

  /**
   * Shares one in-flight call among concurrent callers with the same key: `run(key, task)` starts `task` unless a
   * call with that key is in flight, in which case it returns that call's promise. Every caller gets the task's value
   * or its rejection; a failure is never replayed.
   */
  class Coalescer {
    #core;
    /** Flight number → the promise its callers share. */
    #flights = new Map();
    #freed = false;

    constructor(config) {
      this.#core = new CoalescerCore(config);
    }

    run(key, task) {
      if (typeof task !== "function") return Promise.reject(new TypeError("`task` must be a function"));
      if (typeof key !== "string") return Promise.reject(new TypeError(`coalescing key must be a string, got ${typeof key}`));
      const core = this.#core;
      const answer = core.begin(key, taskNow());
      const kind = answer % 4;
      const flight = (answer - kind) / 4;
      if (kind === 1) return this.#flights.get(flight);
      if (kind === 2) return Promise.resolve(core.takeReplay());
      if (kind === 3) return Promise.reject(core.refusalError());
      // Lead: the task runs from the microtask queue, so it may call run() again (and join this very flight).
      const shared = Promise.resolve()
        .then(task)
        .then(
          (value) => {
            this.#settle(flight, true, value);
            return value;
          },
          (error) => {
            this.#settle(flight, false, undefined);
            throw error;
          },
        );
      this.#flights.set(flight, shared);
      return shared;
    }

    #settle(flight, ok, value) {
      this.#flights.delete(flight);
      if (!this.#freed) this.#core.finish(flight, ok, value, taskNow());
    }

    /** Keys in flight now. */
    get inFlight() {
      return this.#core.inFlight;
    }

    stats() {
      return this.#core.stats();
    }

    /** Releases the coalescer's wasm memory now (otherwise when it is garbage-collected). Flights in progress still
     * settle for their callers. */
    free() {
      this.#core.free();
      this.#core = released("Coalescer");
      this.#freed = true;
    }

    [Symbol.dispose]() {
      this.free();
    }

    /** The canonical key of a request: method, URL with sorted query, the `vary` headers, and the body's digest. */
    static requestKey(request) {
      return CoalescerCore.requestKey(request);
    }
  }

  return { ResponseCache, RateLimiter, Decision, Coalescer };
}
