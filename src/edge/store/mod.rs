//! Where the gateway's state lives: per instance (`memory`, the default) or shared by every instance and node in
//! Redis (`INTENT_EDGE_STORE=redis://HOST:PORT[/DB]`).
//!
//! - **memory**: each stage keeps its own state (limiters, the response cache, the in-flight table) in the
//!   instance. Nothing else is needed, and under a runtime that runs many short-lived instances (Spin's default: at
//!   most 128 requests and 16 at once per instance, dropped after 1 s idle) a limit holds per instance, a cached
//!   response is shared only within one, and identical misses coalesce only within one.
//! - **redis**: every limiter decision is one atomic script call in Redis (all quotas or none); a shareable
//!   response is stored in Redis too (the instance's cache stays in front of it as a first level) and found there by
//!   every instance; the first instance to miss takes a lease and calls the origin, the others wait for its answer.
//!   Purges reach Redis and bump a purge epoch that every limiter decision reads (and the cache stage reads when it
//!   was not read for [`PURGE_CHECK`]), so an instance drops its own copies within 100 ms of a purge anywhere.
//!
//! Faults (Redis down, slow, restarted) never hang a request: every call has a deadline
//! (`INTENT_EDGE_STORE_TIMEOUT_MS`), and after [`FAULTS_BEFORE_BACK_OFF`] faults in a row the instance stops asking
//! Redis for `INTENT_EDGE_STORE_RETRY_MS`, then tries again (recovery needs no restart). Meanwhile the limiter follows
//! `INTENT_EDGE_STORE_ON_ERROR` (`local`: the instance's own limiter; `open`: allow; `closed`: 503), and the cache and
//! coalescing work per instance. Every call is counted in `/metrics` by operation and result.

pub mod redis;

use super::config::misconfigured;
use super::metrics::{self, Counter};
use super::problem::Problem;
use crate::gateway::shared::keys::KeySpace;
use crate::gateway::shared::resp::{self, Reply};
use crate::gateway::shared::{expiry_ms, limit_script, scripts};
use crate::ratelimit::{Brief, GcraParams, QuotaBrief};
use bytes::Bytes;
use redis::{CallError, RedisAddress, RedisClient};
use sha1::{Digest, Sha1};
use std::cell::Cell;
use std::time::Duration;

/// What the limiter does when Redis cannot decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPolicy {
    /// Decide with the instance's own limiter (limits hold per instance meanwhile).
    Local,
    /// Allow the request.
    Open,
    /// Refuse it (503).
    Closed,
}

/// The shared store's configuration.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub address: RedisAddress,
    pub prefix: String,
    pub timeout: Duration,
    pub pool: usize,
    pub retry_after_fault: Duration,
    pub on_error: FaultPolicy,
    /// Longest an instance serves its own copy of a shared response without looking in Redis again.
    pub local_ttl: Duration,
    /// How often a waiter looks for the lease holder's answer.
    pub poll_interval: Duration,
}

impl StoreConfig {
    /// From `INTENT_EDGE_STORE` and its companions; `None` for the memory store.
    pub fn from_values(
        store: Option<&str>,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<StoreConfig>, Problem> {
        let store = match store.map(str::trim) {
            None | Some("memory") => return Ok(None),
            Some(url) => url,
        };
        let address = RedisAddress::parse(store)
            .map_err(|e| misconfigured(format!("INTENT_EDGE_STORE: {e}")))?;
        let number = |name: &str, default: u64, min: u64| -> Result<u64, Problem> {
            match get(name) {
                None => Ok(default),
                Some(v) => match v.trim().parse::<u64>() {
                    Ok(n) if n >= min => Ok(n),
                    _ => Err(misconfigured(format!(
                        "{name}={v:?} is not a whole number of at least {min}"
                    ))),
                },
            }
        };
        let on_error = match get("INTENT_EDGE_STORE_ON_ERROR").as_deref().map(str::trim) {
            None | Some("local") => FaultPolicy::Local,
            Some("open") => FaultPolicy::Open,
            Some("closed") => FaultPolicy::Closed,
            Some(other) => {
                return Err(misconfigured(format!(
                    "INTENT_EDGE_STORE_ON_ERROR={other:?}: use \"local\", \"open\" or \"closed\""
                )))
            }
        };
        Ok(Some(StoreConfig {
            address,
            prefix: get("INTENT_EDGE_STORE_PREFIX").unwrap_or_else(|| "intent-edge:".to_owned()),
            timeout: Duration::from_millis(number("INTENT_EDGE_STORE_TIMEOUT_MS", 50, 1)?),
            pool: number("INTENT_EDGE_STORE_POOL", 8, 1)? as usize,
            retry_after_fault: Duration::from_millis(number(
                "INTENT_EDGE_STORE_RETRY_MS",
                1000,
                0,
            )?),
            on_error,
            local_ttl: Duration::from_millis(number("INTENT_EDGE_STORE_LOCAL_TTL_MS", 1000, 0)?),
            poll_interval: Duration::from_millis(number("INTENT_EDGE_STORE_POLL_MS", 5, 1)?),
        }))
    }
}

/// A script and its SHA-1 (what `EVALSHA` names it by).
struct Script {
    text: &'static str,
    sha: String,
}

impl Script {
    fn new(text: &'static str) -> Self {
        let sha = Sha1::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Script { text, sha }
    }
}

/// What a coalescing leader found on a miss.
pub enum Lookup {
    /// The entry another instance stored (a cache record).
    Found(Bytes),
    /// The lease, with its token: this request calls the origin.
    Leased(String),
    /// Someone else holds the lease.
    Held,
    /// The key was lately answered with something not shareable: no coalescing (see [`HIT_FOR_MISS`]).
    NotShareable,
}

/// How long a key answered with something not shareable (private, `no-store`, `Set-Cookie`, …) skips coalescing
/// across instances: its requests would only wait for an answer they cannot have (Varnish's "hit-for-miss").
pub const HIT_FOR_MISS: Duration = Duration::from_secs(10);

/// Whether [`Store::put`] stored its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Yes,
    /// Not stored: a purge happened after the request left for the origin (its answer may be what was purged).
    PurgedSince,
}

/// The longest an instance goes without reading the purge epoch while it serves cached responses: a purge anywhere
/// reaches its own copies within this (or at its next limiter decision, which reads the epoch too).
pub const PURGE_CHECK: Duration = Duration::from_millis(100);

/// What a waiter found when it looked for the lease holder's answer.
pub enum Polled {
    /// The answer, as a cache record.
    Ready(Bytes),
    /// The holder met a gateway failure (as a cache record): every waiter answers with it.
    Failed(Bytes),
    /// Someone still holds the lease.
    Held,
    /// No answer and no lease: not shareable, or the holder went away.
    Gone,
}

/// Faults in a row (timeouts, refused or broken connections; not Redis's error replies) after which an instance
/// stops asking Redis for `INTENT_EDGE_STORE_RETRY_MS`. Backing off at the first fault turned one late answer into a
/// second of per-instance limits: on a loaded machine, one client at concurrency 32 against 100 per hour was then
/// admitted up to 249 times out of 300 (`tests/js/shared-store.test.mjs` with two CPU-bound processes beside it).
const FAULTS_BEFORE_BACK_OFF: u32 = 3;

/// Why the store gave no answer: a fault (counted, and the instance backs off), or the back-off itself.
pub type StoreResult<T> = Result<T, CallError>;

/// The instance's handle on the shared store.
pub struct Store {
    pub config: StoreConfig,
    keys: KeySpace,
    client: RedisClient,
    /// Until when (monotonic time since the instance's first reading) calls skip Redis after faults.
    down_until: Cell<Option<std::time::Instant>>,
    /// Faults since the last call Redis answered: the instance backs off at [`FAULTS_BEFORE_BACK_OFF`].
    faults_in_a_row: Cell<u32>,
    /// The purge epoch last seen.
    epoch: Cell<i64>,
    /// Set when the epoch moved (a purge somewhere): the cache stage drops its own copies and clears it.
    purge_noticed: Cell<bool>,
    /// When the epoch was last read (by a limiter decision or [`Store::check_purges`]).
    epoch_read_at: Cell<Option<std::time::Instant>>,
    limit: Script,
    store: Script,
    release: Script,
    poll: Script,
    lookup_or_lease: Script,
    fail: Script,
    purge_tag: Script,
    next_token: Cell<u64>,
}

impl Store {
    pub fn new(config: StoreConfig) -> Self {
        let client = RedisClient::new(config.address.clone(), config.timeout, config.pool);
        Store {
            keys: KeySpace::new(&config.prefix),
            client,
            down_until: Cell::new(None),
            faults_in_a_row: Cell::new(0),
            epoch: Cell::new(-1),
            purge_noticed: Cell::new(false),
            epoch_read_at: Cell::new(None),
            limit: Script::new(limit_script::SCRIPT),
            store: Script::new(scripts::STORE),
            release: Script::new(scripts::RELEASE),
            poll: Script::new(scripts::POLL),
            lookup_or_lease: Script::new(scripts::LOOKUP_OR_LEASE),
            fail: Script::new(scripts::FAIL),
            purge_tag: Script::new(scripts::PURGE_TAG),
            next_token: Cell::new(0),
            config,
        }
    }

    /// One call, counted under `op`; skipped while backing off after a fault.
    async fn call<A: AsRef<[u8]>>(&self, op: &'static str, args: &[A]) -> StoreResult<Reply> {
        if let Some(until) = self.down_until.get() {
            if std::time::Instant::now() < until {
                metrics::count(Counter::StoreCalls, &[op, "skipped"]);
                return Err(CallError::Unavailable("backing off after a fault".into()));
            }
            self.down_until.set(None);
        }
        let result = self.client.call(args).await;
        let fault = match &result {
            Ok(_) => {
                metrics::count(Counter::StoreCalls, &[op, "ok"]);
                false
            }
            Err(e) if e.is_noscript() => false,
            Err(e) => {
                metrics::count(Counter::StoreCalls, &[op, e.label()]);
                // A server error is an answer: the connection is still in step.
                !matches!(e, CallError::Server(_))
            }
        };
        if !fault {
            self.faults_in_a_row.set(0);
            return result;
        }
        self.client.reset();
        // One late answer (this instance starved of CPU for a moment, as on a loaded node) costs only its own
        // request; faults in a row mean Redis is down or hung, and the instance stops asking.
        let faults = self.faults_in_a_row.get() + 1;
        if faults >= FAULTS_BEFORE_BACK_OFF && !self.config.retry_after_fault.is_zero() {
            self.faults_in_a_row.set(0);
            self.down_until.set(Some(
                std::time::Instant::now() + self.config.retry_after_fault,
            ));
        } else {
            self.faults_in_a_row.set(faults);
        }
        result
    }

    /// Runs a script by its SHA-1, sending its text once if Redis does not know it (first use, or after a restart).
    async fn eval(
        &self,
        op: &'static str,
        script: &Script,
        keys: &[&[u8]],
        args: &[&[u8]],
    ) -> StoreResult<Reply> {
        let count = keys.len().to_string();
        let mut command: Vec<&[u8]> = Vec::with_capacity(3 + keys.len() + args.len());
        command.extend_from_slice(&[b"EVALSHA", script.sha.as_bytes(), count.as_bytes()]);
        command.extend_from_slice(keys);
        command.extend_from_slice(args);
        match self.call(op, &command).await {
            Err(e) if e.is_noscript() => {
                command[0] = b"EVAL";
                command[1] = script.text.as_bytes();
                self.call(op, &command).await
            }
            other => other,
        }
    }

    /// One limiter decision in Redis for `key` in `scope` (see [`limit_script`]). Also notes the purge epoch the
    /// script returns (see [`Store::take_purge_notice`]).
    pub async fn limit(
        &self,
        scope: &str,
        key: &str,
        params: &[GcraParams],
        quotas: &mut [QuotaBrief],
    ) -> StoreResult<Brief> {
        // Redis' clock, not the instance's: one clock for every instance and node.
        let args = limit_script::arguments(None, 1, params);
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let name = self.keys.limiter(scope, key);
        let epoch_key = self.keys.purge_epoch();
        let reply = self
            .eval("limit", &self.limit, &[&name, &epoch_key], &args)
            .await?;
        let (brief, epoch) =
            limit_script::decision(&reply, quotas).map_err(|e| CallError::Broken(e.to_string()))?;
        self.note_epoch(epoch);
        Ok(brief)
    }

    /// Records the purge epoch seen; a move since this instance last looked (or the first sighting: the instance
    /// may hold copies from before it) is noticed for the cache stage.
    fn note_epoch(&self, epoch: i64) {
        self.epoch_read_at.set(Some(std::time::Instant::now()));
        if self.epoch.replace(epoch) != epoch {
            self.purge_noticed.set(true);
        }
    }

    /// Reads the purge epoch unless it was read within [`PURGE_CHECK`] (every limiter decision reads it at no
    /// cost; this covers routes without a limit, at most one round trip per `PURGE_CHECK` per instance).
    pub async fn check_purges(&self) {
        let recent = self
            .epoch_read_at
            .get()
            .is_some_and(|at| at.elapsed() < PURGE_CHECK);
        if recent {
            return;
        }
        if let Ok(reply) = self
            .call(
                "purge-check",
                &[b"GET".as_slice(), &self.keys.purge_epoch()],
            )
            .await
        {
            let epoch = resp::bulk(reply)
                .ok()
                .flatten()
                .and_then(|b| std::str::from_utf8(&b).ok()?.parse().ok())
                .unwrap_or(0);
            self.note_epoch(epoch);
        }
    }

    /// The purge epoch this instance last read, if it has read one.
    pub fn epoch_seen(&self) -> Option<i64> {
        Some(self.epoch.get()).filter(|&epoch| epoch >= 0)
    }

    /// Whether a purge happened (anywhere) since the last call: the instance's own copies may be out of date.
    pub fn take_purge_notice(&self) -> bool {
        self.purge_noticed.replace(false)
    }

    /// The shared record stored under `cache_key`.
    pub async fn get(&self, cache_key: &str) -> StoreResult<Option<Bytes>> {
        let reply = self
            .call(
                "cache-get",
                &[b"GET".as_slice(), &self.keys.cache_entry(cache_key)],
            )
            .await?;
        resp::bulk(reply).map_err(|e| CallError::Broken(e.to_string()))
    }

    /// Stores a record for `ttl` under `cache_key` (the latest of its variants) and, for a response with `Vary`,
    /// under `variant_key` too; files it under `tags`, and gives back `lease` if it is held. With `if_epoch` (the purge
    /// epoch the request saw when it left), stores nothing if a purge has moved the epoch since.
    #[allow(clippy::too_many_arguments)]
    pub async fn put(
        &self,
        cache_key: &str,
        variant_key: Option<&str>,
        record: &[u8],
        ttl: Duration,
        tags: &[String],
        lease: Option<&str>,
        if_epoch: Option<i64>,
    ) -> StoreResult<Stored> {
        let entry = self.keys.cache_entry(cache_key);
        let lease_key = self.keys.lease(cache_key);
        let variant = self.keys.cache_entry(variant_key.unwrap_or(cache_key));
        let epoch_key = self.keys.purge_epoch();
        let tag_keys: Vec<Vec<u8>> = tags.iter().map(|t| self.keys.tag(t)).collect();
        let mut keys: Vec<&[u8]> = vec![&entry, &lease_key, &variant, &epoch_key];
        keys.extend(tag_keys.iter().map(Vec::as_slice));
        let ttl_ms = expiry_ms(ttl);
        let token = lease.unwrap_or("");
        let epoch = if_epoch.map(|e| e.to_string()).unwrap_or_default();
        self.eval(
            "cache-put",
            &self.store,
            &keys,
            &[
                record,
                ttl_ms.as_bytes(),
                token.as_bytes(),
                epoch.as_bytes(),
            ],
        )
        .await
        .and_then(|reply| match resp::integer(&reply) {
            Ok(1) => Ok(Stored::Yes),
            Ok(0) => Ok(Stored::PurgedSince),
            _ => Err(CallError::Broken("unexpected cache-put reply".into())),
        })
    }

    /// A new lease token: random bits from the host (not std's hash seed, which pre-initialization freezes), the
    /// time and a counter.
    fn token(&self) -> String {
        let n = self.next_token.get().wrapping_add(1);
        self.next_token.set(n);
        format!(
            "{:016x}-{:x}-{n}",
            spin_sdk::wasip3::random::random::get_random_u64(),
            super::clock::now().as_nanos()
        )
    }

    /// Takes the lease on `cache_key` for `ttl`: `Some(token)` when this request is the one to call the origin.
    pub async fn take_lease(&self, cache_key: &str, ttl: Duration) -> StoreResult<Option<String>> {
        let token = self.token();
        let ttl_ms = expiry_ms(ttl);
        let reply = self
            .call(
                "lease",
                &[
                    b"SET".as_slice(),
                    &self.keys.lease(cache_key),
                    token.as_bytes(),
                    b"NX",
                    b"PX",
                    ttl_ms.as_bytes(),
                ],
            )
            .await?;
        let taken = resp::bulk(reply).map_err(|e| CallError::Broken(e.to_string()))?;
        Ok(taken.map(|_| token))
    }

    /// A coalescing leader's miss in one round trip: the entry another instance stored, else the lease (when
    /// free), else word that someone else holds it.
    pub async fn lookup_or_lease(&self, cache_key: &str, ttl: Duration) -> StoreResult<Lookup> {
        let token = self.token();
        let ttl_ms = expiry_ms(ttl);
        let entry = self.keys.cache_entry(cache_key);
        let lease = self.keys.lease(cache_key);
        let mark = self.keys.hit_for_miss(cache_key);
        let reply = self
            .eval(
                "lookup",
                &self.lookup_or_lease,
                &[&entry, &lease, &mark],
                &[token.as_bytes(), ttl_ms.as_bytes()],
            )
            .await?;
        match resp::tagged(reply).map_err(|e| CallError::Broken(e.to_string()))? {
            (1, Some(record)) => Ok(Lookup::Found(record)),
            (2, None) => Ok(Lookup::Leased(token)),
            (3, None) => Ok(Lookup::NotShareable),
            (0, None) => Ok(Lookup::Held),
            _ => Err(CallError::Broken("unexpected lookup reply".into())),
        }
    }

    /// Gives the lease back (the answer was not shareable: waiters should ask the origin themselves).
    /// With `not_shareable`, the key is marked for [`HIT_FOR_MISS`]: its requests skip coalescing meanwhile.
    pub async fn release_lease(
        &self,
        cache_key: &str,
        token: &str,
        not_shareable: bool,
    ) -> StoreResult<()> {
        let lease = self.keys.lease(cache_key);
        let mark = self.keys.hit_for_miss(cache_key);
        let failure = self.keys.failure(cache_key);
        let mark_ttl = if not_shareable {
            HIT_FOR_MISS.as_millis().to_string()
        } else {
            String::new()
        };
        self.eval(
            "lease",
            &self.release,
            &[&lease, &mark, &failure],
            &[token.as_bytes(), mark_ttl.as_bytes()],
        )
        .await
        .map(|_| ())
    }

    /// Leaves the holder's gateway failure for the waiters (for `ttl`) and gives the lease back.
    pub async fn fail(
        &self,
        cache_key: &str,
        record: &[u8],
        ttl: std::time::Duration,
        token: &str,
    ) -> StoreResult<()> {
        let failure = self.keys.failure(cache_key);
        let lease = self.keys.lease(cache_key);
        let ttl_ms = expiry_ms(ttl);
        self.eval(
            "lease",
            &self.fail,
            &[&failure, &lease],
            &[record, ttl_ms.as_bytes(), token.as_bytes()],
        )
        .await
        .map(|_| ())
    }

    /// Looks for the lease holder's answer.
    pub async fn poll(&self, cache_key: &str) -> StoreResult<Polled> {
        let entry = self.keys.cache_entry(cache_key);
        let lease = self.keys.lease(cache_key);
        let failure = self.keys.failure(cache_key);
        let reply = self
            .eval("poll", &self.poll, &[&entry, &lease, &failure], &[])
            .await?;
        match resp::tagged(reply).map_err(|e| CallError::Broken(e.to_string()))? {
            (1, Some(record)) => Ok(Polled::Ready(record)),
            (3, Some(record)) => Ok(Polled::Failed(record)),
            (2, None) => Ok(Polled::Held),
            (0, None) => Ok(Polled::Gone),
            _ => Err(CallError::Broken("unexpected poll reply".into())),
        }
    }

    /// Removes the shared entry of `cache_key`, its variants, and those whose keys continue it with `#` (its
    /// key-header and host forms), and bumps the purge epoch. Returns how many went.
    pub async fn purge_key(&self, cache_key: &str) -> StoreResult<u64> {
        // The epoch moves before anything is removed: an answer in flight stores only if it left after that (see
        // `scripts::STORE`), so none can slip in between a deletion and the bump. It moves again at the end (in
        // `purge_matching`), so instances drop copies they took from Redis while the purge ran.
        self.bump_epoch().await?;
        let exact = self
            .call(
                "purge",
                &[b"DEL".as_slice(), &self.keys.cache_entry(cache_key)],
            )
            .await?;
        let exact = resp::integer(&exact).unwrap_or(0) as u64;
        let forms = self.purge_matching(&format!("{cache_key}#")).await?;
        let variants = self
            .purge_matching(&crate::gateway::cache_key::variants_prefix(cache_key))
            .await?;
        Ok(exact + forms + variants)
    }

    /// Removes every shared entry whose cache key starts with `prefix`, and bumps the purge epoch.
    pub async fn purge_prefix(&self, prefix: &str) -> StoreResult<u64> {
        // Before and after, as for a key (see `purge_key`).
        self.bump_epoch().await?;
        self.purge_matching(prefix).await
    }

    async fn purge_matching(&self, prefix: &str) -> StoreResult<u64> {
        let pattern = self.keys.cache_entries_matching(prefix);
        let mut cursor = b"0".to_vec();
        let mut removed = 0u64;
        loop {
            let reply = self
                .call(
                    "purge",
                    &[
                        b"SCAN".as_slice(),
                        &cursor,
                        b"MATCH",
                        &pattern,
                        b"COUNT",
                        b"1000",
                    ],
                )
                .await?;
            let shape = || CallError::Broken("unexpected SCAN reply".into());
            let Reply::Array(mut parts) = reply else {
                return Err(shape());
            };
            let (Some(Reply::Array(names)), Some(next)) = (parts.pop(), parts.pop()) else {
                return Err(shape());
            };
            if !names.is_empty() {
                let mut command: Vec<Bytes> = vec![Bytes::from_static(b"UNLINK")];
                for name in names {
                    command.push(resp::bulk(name).ok().flatten().ok_or_else(shape)?);
                }
                let reply = self.call("purge", &command).await?;
                removed += resp::integer(&reply).unwrap_or(0) as u64;
            }
            cursor = resp::bulk(next).ok().flatten().ok_or_else(shape)?.to_vec();
            if cursor == b"0" {
                break;
            }
        }
        self.bump_epoch().await?;
        Ok(removed)
    }

    /// Removes every shared entry tagged `tag`, and bumps the purge epoch.
    pub async fn purge_tag(&self, tag: &str) -> StoreResult<u64> {
        let set = self.keys.tag(tag);
        let epoch = self.keys.purge_epoch();
        let reply = self
            .eval("purge", &self.purge_tag, &[&set, &epoch], &[])
            .await?;
        Ok(resp::integer(&reply).unwrap_or(0) as u64)
    }

    async fn bump_epoch(&self) -> StoreResult<()> {
        self.call("purge", &[b"INCR".as_slice(), &self.keys.purge_epoch()])
            .await
            .map(|_| ())
    }
}
