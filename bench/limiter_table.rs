//! The rate limiter's bounded key table under a flood: 1,000,000 distinct keys through a 10,000-key table while an
//! established client keeps sending at its own pace. Measures, for each full-table policy, the heap the limiter
//! holds (a counting allocator), the time per decision, and whether the established client's decisions are exactly
//! those of a limiter with no bound at all.
//!
//!   cargo run --release --example limiter_table [-- --keys 1000000 --table 10000]
//!
//! The flood sends each new key once, 20,000 keys per simulated second; every key's quota is 100 per minute, so a
//! key goes idle 0.6 s after its request and the table is full of active keys half the time.

use intent_edge::ratelimit::{FullTablePolicy, LimiterConfig, QuotaConfig, RateLimiter};
use intent_edge::Timestamp;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

fn config(max_keys: usize, on_full: FullTablePolicy) -> LimiterConfig {
    LimiterConfig {
        quotas: vec![
            QuotaConfig::per_minute("minute", 100),
            QuotaConfig::per_second("second", 5),
        ],
        max_keys,
        on_full,
    }
}

struct Run {
    peak_bytes: usize,
    held_bytes: usize,
    ns_per_check: f64,
    established_diverged: usize,
    established_checks: usize,
    stats: intent_edge::ratelimit::LimiterStats,
}

/// Runs the flood through `limiter`, comparing the established client's decisions with `reference` (unbounded).
fn run(mut limiter: RateLimiter, keys: usize, reference: &mut RateLimiter) -> Run {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut diverged = 0;
    let mut established = 0;
    let started = Instant::now();
    let mut key = String::with_capacity(32);
    for i in 0..keys {
        // 20,000 new keys per simulated second: one every 50 µs.
        let now = Timestamp::from_nanos(i as u64 * 50_000);
        key.clear();
        use std::fmt::Write;
        let _ = write!(key, "flood-{i}");
        limiter.check(&key, now);
        // The established client: one request every 250 ms (4/s, within its quotas most of the time, over the
        // minute quota after 25 s: both allowed and denied decisions are compared).
        if i % 5_000 == 0 {
            established += 1;
            let a = limiter.check("established-client", now);
            let b = reference.check("established-client", now);
            if a != b {
                diverged += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    let stats = limiter.stats();
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    Run {
        peak_bytes: PEAK.load(Ordering::Relaxed).saturating_sub(before),
        held_bytes: held,
        ns_per_check: elapsed.as_nanos() as f64 / (keys + established) as f64,
        established_diverged: diverged,
        established_checks: established,
        stats,
    }
}

fn main() {
    let keys = arg("--keys", 1_000_000);
    let table = arg("--table", 10_000);
    println!("{keys} distinct keys through a {table}-key table (quotas 100/min and 5/s per key), an established client alongside\n");
    println!("| table | policy | peak heap | held at end | ns per decision | established client's decisions equal to unbounded | table full | idle keys forgotten | active keys forgotten | overflow decisions |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (max_keys, policy, label) in [
        (table, FullTablePolicy::Deny, "deny"),
        (
            table,
            FullTablePolicy::ForgetSoonestIdle,
            "forgetSoonestIdle",
        ),
        (table, FullTablePolicy::SharedOverflow, "sharedOverflow"),
        (usize::MAX, FullTablePolicy::Deny, "(unbounded)"),
    ] {
        let mut reference = RateLimiter::new(config(usize::MAX, FullTablePolicy::Deny)).unwrap();
        let limiter = RateLimiter::new(config(max_keys, policy)).unwrap();
        let r = run(limiter, keys, &mut reference);
        drop(reference);
        let table = if max_keys == usize::MAX {
            "none".to_owned()
        } else {
            max_keys.to_string()
        };
        println!(
            "| {table} | {label} | {:.1} MB | {:.1} MB | {:.0} | {}/{} | {} | {} | {} | {} |",
            r.peak_bytes as f64 / 1e6,
            r.held_bytes as f64 / 1e6,
            r.ns_per_check,
            r.established_checks - r.established_diverged,
            r.established_checks,
            r.stats.table_full,
            r.stats.forgotten_keys,
            r.stats.forgotten_active_keys,
            r.stats.overflow_decisions,
        );
    }
    println!("\n(peak heap counts the limiter and the unbounded reference run beside it, which holds one key.)");
}
