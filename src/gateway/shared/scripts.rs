//! The store's other scripts, each one round trip and atomic in Redis.
//!
//! Coalescing across instances: the first instance to miss takes a lease (`SET lease token NX PX ttl`), calls the
//! origin, and stores a shareable answer and gives the lease back in one step ([`STORE`]); the others [`POLL`] until
//! the answer is there (use it), the lease is gone with no answer (not shareable, or the holder died: ask the origin
//! themselves), the holder left a failure (the origin unreachable or timed out: every waiter answers with the same
//! 502/504 at once), or their own deadline passes.

/// `KEYS[1]`: the entry; `KEYS[2]`: the lease; `KEYS[3]`: the hit-for-miss mark. `ARGV`: a lease token and TTL in ms.
/// A coalescible miss in one round trip: the entry if another instance stored it (`{1, record}`), else `{3}` if the
/// key was lately answered with something not shareable (do not coalesce), else the lease if free (`{2}`: this
/// request calls the origin), else `{0}` (someone else holds it: wait).
pub const LOOKUP_OR_LEASE: &str = r#"
local value = redis.call('GET', KEYS[1])
if value then return { 1, value } end
if redis.call('EXISTS', KEYS[3]) == 1 then return { 3 } end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return { 2 } end
return { 0 }
"#;

/// `KEYS[1]`: the entry; `KEYS[2]`: the lease; `KEYS[3]`: the entry under its variant's name (for a response with
/// `Vary`; else the entry again); `KEYS[4]`: the purge epoch; `KEYS[5..]`: the entry's tag sets. `ARGV`: the record,
/// its TTL in ms, the lease token (empty: no lease held), the purge epoch the request saw when it left for the origin
/// (empty: none read yet). Unless a purge moved the epoch since (then the answer may be what was purged: it is not
/// stored, and 0 is returned), stores the entry under both names, adds them to its tags' sets (each kept as long as
/// its longest-lived entry) and returns 1. Either way gives the lease back if this token holds it.
pub const STORE: &str = r#"
local purged = ARGV[4] ~= '' and (redis.call('GET', KEYS[4]) or '0') ~= ARGV[4]
if not purged then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  if KEYS[3] ~= KEYS[1] then redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[2]) end
  local ttl = tonumber(ARGV[2])
  for i = 5, #KEYS do
    redis.call('SADD', KEYS[i], KEYS[1], KEYS[3])
    if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
end
if ARGV[3] ~= '' and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
if purged then return 0 end
return 1
"#;

/// `KEYS[1]`: the lease; `KEYS[2]`: the key's hit-for-miss mark; `KEYS[3]`: the key's failure. `ARGV`: the token,
/// and the mark's TTL in ms (empty: no mark). Gives the lease back if this token holds it (1, else 0), and clears a
/// failure an earlier holder left (this holder's answer is the newer one: its waiters must not get the old 502); with
/// a TTL, marks the key as answered with something not shareable, so requests for it skip coalescing for that long
/// (Varnish's "hit-for-miss").
pub const RELEASE: &str = r#"
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[3])
  return redis.call('DEL', KEYS[1])
end
return 0
"#;

/// `KEYS[1]`: the entry; `KEYS[2]`: the lease; `KEYS[3]`: the key's failure. The entry if stored; else whether
/// someone holds the lease; else the failure the last holder met, if any: `{1, record}`, `{2}` (held: keep waiting),
/// `{3, record}` (the holder's 502/504: waiters answer with it) or `{0}` (none of these). The lease comes before the
/// failure: a failure is left as its holder gives the lease back, so while a lease is held its holder is trying again
/// and the failure is an earlier holder's, not the answer the waiter is waiting for.
pub const POLL: &str = r#"
local value = redis.call('GET', KEYS[1])
if value then return { 1, value } end
if redis.call('EXISTS', KEYS[2]) == 1 then return { 2 } end
local failure = redis.call('GET', KEYS[3])
if failure then return { 3, failure } end
return { 0 }
"#;

/// `KEYS[1]`: the key's failure; `KEYS[2]`: the lease. `ARGV`: the failure (a record), its TTL in ms, the lease
/// token. Leaves the holder's gateway failure (origin unreachable, timed out) for the waiters, briefly, and gives the
/// lease back if this token holds it.
pub const FAIL: &str = r#"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
"#;

/// `KEYS[1]`: a tag set; `KEYS[2]`: the purge epoch. Removes every entry in the set and the set, bumps the epoch,
/// and returns how many entries went.
pub const PURGE_TAG: &str = r#"
local members = redis.call('SMEMBERS', KEYS[1])
local removed = 0
for _, name in ipairs(members) do removed = removed + redis.call('DEL', name) end
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
return removed
"#;
