//! The shared store's scripts against a real `redis-server` (started here on a free 127.0.0.1 port, stopped at the
//! end): the limiter script decides exactly as the in-memory [`RateLimiter`] on the behaviour corpus's timelines and
//! on random ones; cache records, coalescing leases and purges behave as `src/gateway/shared` says.
//!
//! Needs `redis-server` on the `PATH` (`scripts/setup.sh` installs it); without it these tests fail and say so.

#![cfg(not(target_arch = "wasm32"))]

use bytes::{Bytes, BytesMut};
use intent_edge::gateway::shared::keys::KeySpace;
use intent_edge::gateway::shared::resp::{self, Reply, RespError};
use intent_edge::gateway::shared::{cache_record, expiry_ms, limit_script, scripts};
use intent_edge::ratelimit::{
    ratelimit_header_fields, retry_after_seconds, Brief, LimiterConfig, QuotaBrief, QuotaConfig,
    RateLimiter,
};
use intent_edge::Timestamp;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// A `redis-server` of this test's own.
struct RedisServer {
    port: u16,
    pidfile: PathBuf,
}

impl RedisServer {
    fn start() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pidfile = std::env::temp_dir().join(format!("intent-edge-redis-{port}.pid"));
        let status = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(["--daemonize", "yes", "--pidfile", pidfile.to_str().unwrap()])
            .status()
            .expect("redis-server is not installed (scripts/setup.sh installs it)");
        assert!(status.success(), "redis-server did not start");
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return RedisServer { port, pidfile };
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("redis-server on port {port} did not come up");
    }

    fn client(&self) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Client {
            stream,
            buf: BytesMut::new(),
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(&self.pidfile) {
            let _ = Command::new("kill").arg(pid.trim()).status();
        }
    }
}

/// A blocking client on the same codec the component uses.
struct Client {
    stream: TcpStream,
    buf: BytesMut,
}

impl Client {
    fn call<A: AsRef<[u8]>>(&mut self, args: &[A]) -> Result<Reply, RespError> {
        let mut out = BytesMut::new();
        resp::encode_command(args, &mut out);
        self.stream.write_all(&out).unwrap();
        loop {
            if let Some(reply) = resp::decode_reply(&mut self.buf)? {
                return Ok(reply);
            }
            let mut chunk = [0u8; 16384];
            let n = self.stream.read(&mut chunk).unwrap();
            assert!(n > 0, "redis closed the connection");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn load(&mut self, script: &str) -> String {
        let sha = resp::bulk(self.call(&["SCRIPT", "LOAD", script]).unwrap())
            .unwrap()
            .unwrap();
        String::from_utf8(sha.to_vec()).unwrap()
    }

    fn evalsha(&mut self, sha: &str, keys: &[&[u8]], args: &[&[u8]]) -> Result<Reply, RespError> {
        let count = keys.len().to_string();
        let mut all: Vec<&[u8]> = vec![b"EVALSHA", sha.as_bytes(), count.as_bytes()];
        all.extend_from_slice(keys);
        all.extend_from_slice(args);
        self.call(&all)
    }
}

/// A limiter in Redis, decided by the script, next to the same configuration's in-memory limiter.
struct SharedLimiter<'c> {
    client: &'c mut Client,
    sha: String,
    keys: KeySpace,
    params: Vec<intent_edge::ratelimit::GcraParams>,
}

impl SharedLimiter<'_> {
    fn check(
        &mut self,
        key: &str,
        cost: u32,
        now: Timestamp,
        quotas: &mut [QuotaBrief],
    ) -> (Brief, i64) {
        let args = limit_script::arguments(Some(now.as_nanos()), cost, &self.params);
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let name = self.keys.limiter("scope", key);
        let epoch = self.keys.purge_epoch();
        let reply = self
            .client
            .evalsha(&self.sha, &[&name, &epoch], &args)
            .unwrap();
        limit_script::decision(&reply, quotas).unwrap()
    }
}

/// A time far from zero (2026), so the seconds/nanoseconds split is exercised as it is in production.
const BASE_NANOS: u64 = 1_796_000_000_123_456_789;

/// Runs `steps` (time from the start in ns, key, cost) through both limiters, step by step; returns how many were
/// allowed and denied.
fn compare_timeline(
    client: &mut Client,
    prefix: &str,
    config: LimiterConfig,
    steps: &[(u64, String, u32)],
    ctx: &str,
) -> (usize, usize) {
    let mut counts = (0, 0);
    let mut memory = RateLimiter::new(config).unwrap();
    let sha = client.load(limit_script::SCRIPT);
    let mut shared = SharedLimiter {
        client,
        sha,
        keys: KeySpace::new(prefix),
        params: memory.gcra_params(),
    };
    let names: Vec<String> = memory.quota_names().map(str::to_owned).collect();
    let mut mem_quotas = vec![QuotaBrief::default(); names.len()];
    let mut redis_quotas = mem_quotas.clone();
    for (i, (at_nanos, key, cost)) in steps.iter().enumerate() {
        let now = Timestamp::from_nanos(BASE_NANOS + at_nanos);
        let (mem, _) = memory.check_brief(key, *cost, now, &mut mem_quotas);
        let (red, _) = shared.check(key, *cost, now, &mut redis_quotas);
        let header = |q: &[QuotaBrief]| {
            ratelimit_header_fields(
                names
                    .iter()
                    .zip(q)
                    .map(|(n, q)| (n.as_str(), q.remaining, q.reset)),
            )
        };
        assert_eq!(
            red, mem,
            "{ctx} step {i} ({key} at +{at_nanos} ns, cost {cost})"
        );
        assert_eq!(redis_quotas, mem_quotas, "{ctx} step {i}: per-quota state");
        assert_eq!(header(&redis_quotas), header(&mem_quotas), "{ctx} step {i}");
        assert_eq!(
            retry_after_seconds(&red),
            retry_after_seconds(&mem),
            "{ctx} step {i}"
        );
        if mem.allowed {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    counts
}

#[test]
fn the_limiter_script_decides_the_corpus_timelines_as_the_memory_engine() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/ratelimit");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut config: LimiterConfig = serde_json::from_value(file["config"].clone()).unwrap();
        // Redis keeps every active key (no key table): compare with a table that never fills.
        config.max_keys = 1_000_000;
        let steps: Vec<(u64, String, u32)> = file["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["at"].as_u64().unwrap_or(0) * 1_000_000,
                    s["key"].as_str().unwrap().to_owned(),
                    s["cost"].as_u64().unwrap_or(1) as u32,
                )
            })
            .collect();
        let prefix = format!("corpus{files}:");
        compare_timeline(
            &mut client,
            &prefix,
            config,
            &steps,
            &path.display().to_string(),
        );
        files += 1;
    }
    assert!(files >= 4, "only {files} corpus files");
}

#[test]
fn the_limiter_script_decides_random_timelines_as_the_memory_engine() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    // A small linear congruential generator: reproducible timelines without a dependency.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |bound: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % bound
    };
    let mut totals = (0, 0);
    for round in 0..40 {
        let quota_count = 1 + next(3) as usize;
        let quotas: Vec<QuotaConfig> = (0..quota_count)
            .map(|i| {
                // Windows and limits that do not divide evenly (1000 ms / 3, 60 s / 7) and long windows.
                let window = [1000, 1000, 60_000, 3_600_000, 86_400_000][next(5) as usize];
                let mut q = QuotaConfig::new(
                    &format!("q{i}"),
                    1 + next(9) as u32,
                    Duration::from_millis(window),
                );
                if next(2) == 0 {
                    q = q.allow_burst(1 + next(12) as u32);
                }
                q
            })
            .collect();
        let mut config = LimiterConfig::new(quotas);
        config.max_keys = 1_000_000;
        let mut at = 0u64;
        let steps: Vec<(u64, String, u32)> = (0..120)
            .map(|_| {
                // Mostly close together (sub-millisecond to a second apart), sometimes a long pause.
                at += match next(10) {
                    0 => next(100_000_000_000),
                    1..=3 => next(1_000_000),
                    _ => next(400_000_000),
                };
                (
                    at,
                    format!("k{}", next(3)),
                    1 + (next(6) / 5) as u32 * next(4) as u32,
                )
            })
            .collect();
        let (allowed, denied) = compare_timeline(
            &mut client,
            &format!("random{round}:"),
            config,
            &steps,
            &format!("round {round}"),
        );
        totals = (totals.0 + allowed, totals.1 + denied);
    }
    assert!(
        totals.0 > 1000 && totals.1 > 1000,
        "both answers exercised: {totals:?}"
    );
}

#[test]
fn an_idle_limiter_key_expires_so_redis_holds_only_active_keys() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    let config = LimiterConfig::new(vec![QuotaConfig::new(
        "fast",
        5,
        Duration::from_millis(200),
    )]);
    let memory = RateLimiter::new(config).unwrap();
    let sha = client.load(limit_script::SCRIPT);
    let keys = KeySpace::new("idle:");
    let shared = SharedLimiter {
        client: &mut client,
        sha,
        keys: keys.clone(),
        params: memory.gcra_params(),
    };
    let mut quotas = vec![QuotaBrief::default()];
    // Redis' own clock (what the gateway uses): the key's expiry is on the same clock.
    let args = limit_script::arguments(None, 1, &shared.params);
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let name = keys.limiter("scope", "client");
    let reply = shared
        .client
        .evalsha(&shared.sha, &[&name, &keys.purge_epoch()], &args)
        .unwrap();
    let (brief, _) = limit_script::decision(&reply, &mut quotas).unwrap();
    assert!(brief.allowed);
    assert_eq!(quotas[0].remaining, 4);
    let ttl = resp::integer(
        &client
            .call(&[b"PTTL".as_slice(), &keys.limiter("scope", "client")])
            .unwrap(),
    )
    .unwrap();
    assert!(
        (1..=41).contains(&ttl),
        "one request of 5 per 200 ms keeps the key 40 ms (+1), got {ttl} ms"
    );
    std::thread::sleep(Duration::from_millis(80));
    let exists = resp::integer(
        &client
            .call(&[b"EXISTS".as_slice(), &keys.limiter("scope", "client")])
            .unwrap(),
    )
    .unwrap();
    assert_eq!(exists, 0, "the idle key is gone");
}

#[test]
fn a_lost_script_cache_is_a_noscript_error_the_adapter_reloads_on() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    let sha = client.load(limit_script::SCRIPT);
    client.call(&["SCRIPT", "FLUSH"]).unwrap();
    let err = client
        .evalsha(&sha, &[b"k", b"e"], &[b"1", b"2", b"1"])
        .unwrap_err();
    assert!(err.is_noscript(), "{err}");
}

#[test]
fn records_leases_and_purges_work_as_documented() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    let keys = KeySpace::new("t:");
    let store = client.load(scripts::STORE);
    let poll = client.load(scripts::POLL);
    let release = client.load(scripts::RELEASE);
    let purge_tag = client.load(scripts::PURGE_TAG);
    let entry = keys.cache_entry("/a#host=x");
    let lease = keys.lease("/a#host=x");
    let failure = keys.failure("/a#host=x");
    let fail = client.load(scripts::FAIL);

    // Nothing stored, nobody leading: a waiter goes to the origin itself.
    let polled = client
        .evalsha(&poll, &[&entry, &lease, &failure], &[])
        .unwrap();
    assert_eq!(resp::integers(&polled).unwrap(), vec![0]);

    // One lease at a time.
    let take = |c: &mut Client, token: &str| {
        c.call(&[
            b"SET".as_slice(),
            &lease,
            token.as_bytes(),
            b"NX",
            b"PX",
            b"5000",
        ])
        .unwrap()
    };
    assert!(resp::bulk(take(&mut client, "one")).unwrap().is_some());
    assert!(
        resp::bulk(take(&mut client, "two")).unwrap().is_none(),
        "the second taker waits"
    );
    let polled = client
        .evalsha(&poll, &[&entry, &lease, &failure], &[])
        .unwrap();
    assert_eq!(
        resp::integers(&polled).unwrap(),
        vec![2],
        "held: keep waiting"
    );

    // Releasing with another token does nothing; the holder's store gives the lease back.
    let mark = keys.hit_for_miss("/a#host=x");
    let released = client
        .evalsha(&release, &[&lease, &mark, &failure], &[b"two", b""])
        .unwrap();
    assert_eq!(resp::integer(&released).unwrap(), 0);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "cache-control",
        http::HeaderValue::from_static("max-age=60"),
    );
    let head = cache_record::RecordHead::new(http::StatusCode::OK, &headers, 1, 2, None);
    let record = cache_record::encode(&head, b"shared body");
    let tag = keys.tag("news");
    let epoch = keys.purge_epoch();
    // A store whose request left before a purge (epoch 0 then, 1 now) stores nothing, and still gives the lease back.
    client.call(&[b"SET".as_slice(), &epoch, b"1"]).unwrap();
    let store_seeing = |client: &mut Client, seen: &[u8]| {
        let reply = client
            .evalsha(
                &store,
                &[&entry, &lease, &entry, &epoch, &tag],
                &[&record, b"60000", b"one", seen],
            )
            .unwrap();
        resp::integer(&reply).unwrap()
    };
    assert_eq!(
        store_seeing(&mut client, b"0"),
        0,
        "purged since: not stored"
    );
    let exists =
        resp::integer(&client.call(&[b"EXISTS".as_slice(), &entry, &tag]).unwrap()).unwrap();
    assert_eq!(exists, 0, "neither the entry nor its tag set");
    assert!(
        resp::bulk(take(&mut client, "one")).unwrap().is_some(),
        "the lease went with it"
    );
    assert_eq!(
        store_seeing(&mut client, b"1"),
        1,
        "the epoch it saw: stored"
    );
    client.call(&[b"DEL".as_slice(), &epoch]).unwrap();
    let exists = resp::integer(&client.call(&[b"EXISTS".as_slice(), &lease]).unwrap()).unwrap();
    assert_eq!(exists, 0, "the lease went with the store");
    let polled = client
        .evalsha(&poll, &[&entry, &lease, &failure], &[])
        .unwrap();
    let Reply::Array(items) = polled else {
        panic!("an array")
    };
    assert_eq!(resp::integer(&items[0]).unwrap(), 1);
    let value = resp::bulk(items[1].clone()).unwrap().unwrap();
    let (read, body) = cache_record::decode(value).unwrap();
    assert_eq!((read, body), (head, Bytes::from_static(b"shared body")));

    // A leader's miss in one round trip: the stored entry, else the lease if free, else "held".
    let lookup = client.load(scripts::LOOKUP_OR_LEASE);
    let found = client
        .evalsha(&lookup, &[&entry, &lease, &mark], &[b"t1", b"5000"])
        .unwrap();
    let Reply::Array(items) = found else {
        panic!("an array")
    };
    assert_eq!(
        resp::integer(&items[0]).unwrap(),
        1,
        "the entry stored above"
    );
    let fresh = keys.cache_entry("/c");
    let fresh_lease = keys.lease("/c");
    let fresh_mark = keys.hit_for_miss("/c");
    // A miss of "/c" by `token`: the script's answer as integers.
    let lookup_fresh = |client: &mut Client, token: &[u8]| {
        let reply = client
            .evalsha(
                &lookup,
                &[&fresh, &fresh_lease, &fresh_mark],
                &[token, b"5000"],
            )
            .unwrap();
        resp::integers(&reply).unwrap()
    };
    assert_eq!(lookup_fresh(&mut client, b"t1"), vec![2], "free: leased");
    assert_eq!(lookup_fresh(&mut client, b"t2"), vec![0], "held by t1");
    let holder = resp::bulk(client.call(&[b"GET".as_slice(), &fresh_lease]).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(&holder[..], b"t1");
    // The holder's answer was not shareable: released with a hit-for-miss mark, the next miss does not coalesce.
    let released = client
        .evalsha(
            &release,
            &[&fresh_lease, &fresh_mark, &keys.failure("/c")],
            &[b"t1", b"300"],
        )
        .unwrap();
    assert_eq!(resp::integer(&released).unwrap(), 1);
    assert_eq!(
        lookup_fresh(&mut client, b"t3"),
        vec![3],
        "marked: no coalescing"
    );
    std::thread::sleep(Duration::from_millis(350));
    assert_eq!(
        lookup_fresh(&mut client, b"t4"),
        vec![2],
        "the mark expired: leased again"
    );

    // A holder's failure reaches the waiters (and frees the lease) until it expires.
    let other = keys.cache_entry("/b");
    let other_lease = keys.lease("/b");
    let other_failure = keys.failure("/b");
    client
        .call(&[
            b"SET".as_slice(),
            &other_lease,
            b"holder",
            b"NX",
            b"PX",
            b"5000",
        ])
        .unwrap();
    client
        .evalsha(
            &fail,
            &[&other_failure, &other_lease],
            &[b"failure-record", b"200", b"holder"],
        )
        .unwrap();
    let polled = client
        .evalsha(&poll, &[&other, &other_lease, &other_failure], &[])
        .unwrap();
    let Reply::Array(items) = polled else {
        panic!("an array")
    };
    assert_eq!(resp::integer(&items[0]).unwrap(), 3);
    // While another holder has the lease, its waiters wait for it: the failure is the earlier holder's.
    client
        .call(&[b"SET".as_slice(), &other_lease, b"next", b"PX", b"5000"])
        .unwrap();
    let polled = client
        .evalsha(&poll, &[&other, &other_lease, &other_failure], &[])
        .unwrap();
    assert_eq!(
        resp::integers(&polled).unwrap(),
        vec![2],
        "held by the next holder"
    );
    client.call(&[b"DEL".as_slice(), &other_lease]).unwrap();
    let polled = client
        .evalsha(&poll, &[&other, &other_lease, &other_failure], &[])
        .unwrap();
    let Reply::Array(items) = polled else {
        panic!("an array")
    };
    assert_eq!(resp::integer(&items[0]).unwrap(), 3);
    assert_eq!(
        resp::bulk(items[1].clone()).unwrap().unwrap(),
        Bytes::from_static(b"failure-record")
    );
    std::thread::sleep(Duration::from_millis(250));
    let polled = client
        .evalsha(&poll, &[&other, &other_lease, &other_failure], &[])
        .unwrap();
    assert_eq!(
        resp::integers(&polled).unwrap(),
        vec![0],
        "the failure expired and the lease is free"
    );

    // Purge by tag removes the entry, drops the set and bumps the epoch.
    let removed = client.evalsha(&purge_tag, &[&tag, &epoch], &[]).unwrap();
    assert_eq!(resp::integer(&removed).unwrap(), 1);
    let exists =
        resp::integer(&client.call(&[b"EXISTS".as_slice(), &entry, &tag]).unwrap()).unwrap();
    assert_eq!(exists, 0);
    let epoch_now = resp::bulk(client.call(&[b"GET".as_slice(), &epoch]).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(&epoch_now[..], b"1");

    // A prefix pattern matches only entries, literally (glob characters in keys are escaped).
    for key in ["/p/1", "/p/2", "/p*/3", "/q/1"] {
        client
            .call(&[b"SET".as_slice(), &keys.cache_entry(key), b"x"])
            .unwrap();
    }
    let pattern = keys.cache_entries_matching("/p*");
    let Reply::Array(scan) = client
        .call(&[
            b"SCAN".as_slice(),
            b"0",
            b"MATCH",
            &pattern,
            b"COUNT",
            b"1000",
        ])
        .unwrap()
    else {
        panic!("an array")
    };
    let Reply::Array(found) = &scan[1] else {
        panic!("an array")
    };
    assert_eq!(found.len(), 1, "only /p*/3 starts with the literal /p*");
}

#[test]
fn the_longest_expiry_the_gateway_gives_redis_is_one_redis_takes() {
    let redis = RedisServer::start();
    let mut client = redis.client();
    let keys = KeySpace::new("t:");
    let store = client.load(scripts::STORE);
    let entry = keys.cache_entry("/forever");
    let lease = keys.lease("/forever");
    let epoch = keys.purge_epoch();
    let put = |client: &mut Client, px: &str| {
        client.evalsha(
            &store,
            &[&entry, &lease, &entry, &epoch],
            &[b"record", px.as_bytes(), b"", b""],
        )
    };
    // What the gateway passes for any retention, however long (an Expires in the year 9999, a huge
    // INTENT_EDGE_STALE_RETENTION_SECONDS): clamped to MAX_EXPIRY, which Redis stores.
    put(&mut client, &expiry_ms(Duration::MAX)).unwrap();
    let pttl = resp::integer(&client.call(&[b"PTTL".as_slice(), &entry]).unwrap()).unwrap();
    assert!(pttl > 4_294_967_000_000, "PTTL {pttl}");
    // Unclamped, the same store is refused: why the clamp is there.
    assert!(put(&mut client, &Duration::MAX.as_millis().to_string()).is_err());
}
