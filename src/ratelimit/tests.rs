use super::*;

fn t(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn limiter(quotas: Vec<QuotaConfig>, max_keys: usize) -> RateLimiter {
    RateLimiter::new(LimiterConfig {
        quotas,
        max_keys,
        on_full: FullTablePolicy::Deny,
    })
    .unwrap()
}

#[test]
fn burst_then_steady_rate() {
    let mut l = limiter(vec![QuotaConfig::per_second("ps", 10).allow_burst(3)], 10);
    for expected_remaining in [2, 1, 0] {
        let d = l.check("k", t(0));
        assert!(d.allowed);
        assert_eq!(d.remaining, expected_remaining);
    }
    let d = l.check("k", t(0));
    assert!(!d.allowed);
    assert_eq!(d.reason, Some(DenyReason::QuotaExhausted));
    assert_eq!(d.retry_after, Duration::from_millis(100));
    assert!(!l.check("k", t(99)).allowed);
    assert!(l.check("k", t(100)).allowed);
    assert_eq!(l.stats().denied, 2);
}

#[test]
fn every_quota_must_allow_and_denial_spends_nothing() {
    let mut l = limiter(
        vec![
            QuotaConfig::per_second("ps", 2),
            QuotaConfig::per_minute("pm", 3),
        ],
        10,
    );
    assert!(l.check("k", t(0)).allowed);
    assert!(l.check("k", t(0)).allowed);
    let d = l.check("k", t(0));
    assert!(!d.allowed);
    assert!(!d.quotas[0].allowed && d.quotas[1].allowed);
    assert_eq!(
        d.quotas[1].remaining, 1,
        "a denied request spent nothing from the minute quota"
    );
    assert!(l.check("k", t(1000)).allowed);
    let d = l.check("k", t(2000));
    assert!(!d.allowed);
    assert_eq!(d.retry_after, Duration::from_secs(18));
    assert_eq!(ratelimit_header(&d), "\"ps\";r=2;t=0, \"pm\";r=0;t=58");
    assert_eq!(l.policy_header(), "\"ps\";q=2;w=1, \"pm\";q=3;w=60");
    assert_eq!(retry_after_header(&d).as_deref(), Some("18"));
}

#[test]
fn full_table_forgets_idle_keys_and_denies_when_all_are_active() {
    let mut l = limiter(vec![QuotaConfig::per_second("ps", 1)], 2);
    assert!(l.check("a", t(0)).allowed);
    assert!(l.check("b", t(500)).allowed);
    let d = l.check("c", t(600));
    assert_eq!(d.reason, Some(DenyReason::KeyTableFull));
    assert_eq!(d.retry_after, Duration::from_millis(400));
    assert!(
        l.check("c", t(1000)).allowed,
        "a went idle at 1000 ms and was forgotten"
    );
    assert_eq!(l.len(), 2);
    assert_eq!(l.stats().forgotten_keys, 1);
    // Forgetting changed nothing: "a" is as fresh as a new key would be.
    assert!(l.check("a", t(1500)).allowed);
}

#[test]
fn cost_above_burst_is_never_allowed() {
    let mut l = limiter(vec![QuotaConfig::per_second("ps", 5)], 2);
    let d = l.check_n("k", 6, t(0));
    assert_eq!(d.reason, Some(DenyReason::CostExceedsBurst));
    assert_eq!(retry_after_header(&d), None);
    assert!(l.check_n("k", 5, t(0)).allowed);
}

#[test]
fn config_errors_name_the_field() {
    let e = RateLimiter::new(LimiterConfig::new(vec![])).unwrap_err();
    assert_eq!(e.field, "quotas");
    let e = RateLimiter::new(LimiterConfig::new(vec![
        QuotaConfig::per_second("ok", 1),
        QuotaConfig::per_second("b d", 1),
    ]))
    .unwrap_err();
    assert_eq!(e.field, "quotas[1].name");
    let e =
        RateLimiter::new(LimiterConfig::new(vec![QuotaConfig::per_second("a", 0)])).unwrap_err();
    assert_eq!(e.field, "quotas[0].limit");
}

#[test]
fn making_room_finds_an_idle_key_that_is_not_the_least_recent() {
    // "a" is the oldest key and stays busy; "b" came later and went idle first.
    let mut l = limiter(vec![QuotaConfig::per_second("ps", 1).allow_burst(5)], 2);
    for _ in 0..5 {
        assert!(l.check("a", t(0)).allowed); // a's TAT: 5 s
    }
    assert!(l.check("b", t(100)).allowed); // b idle at 1.1 s
    let d = l.check("c", t(1100));
    assert!(d.allowed, "b was idle and is forgotten, though a is older");
    assert_eq!(l.stats().forgotten_keys, 1);
    assert_eq!(l.peek("a", t(1100)).remaining, 1, "a keeps its state");
}

#[test]
fn full_table_policies() {
    let quotas = || vec![QuotaConfig::per_second("ps", 1)];
    let full = |on_full| {
        let mut l = RateLimiter::new(LimiterConfig {
            quotas: quotas(),
            max_keys: 2,
            on_full,
        })
        .unwrap();
        assert!(l.check("a", t(0)).allowed); // idle at 1000
        assert!(l.check("b", t(200)).allowed); // idle at 1200
        l
    };
    let mut deny = full(FullTablePolicy::Deny);
    let d = deny.check("c", t(500));
    assert_eq!(
        (d.reason, d.retry_after),
        (Some(DenyReason::KeyTableFull), Duration::from_millis(500))
    );
    assert_eq!(deny.stats().table_full, 1);

    let mut forget = full(FullTablePolicy::ForgetSoonestIdle);
    assert!(forget.check("c", t(500)).allowed);
    assert_eq!(forget.stats().forgotten_active_keys, 1);
    assert!(
        forget.check("a", t(500)).allowed,
        "a (the soonest idle) was forgotten: its backlog forgiven"
    );
    assert!(!forget.check("c", t(600)).allowed || forget.len() == 2);

    let mut shared = full(FullTablePolicy::SharedOverflow);
    assert!(shared.check("c", t(500)).allowed);
    let d = shared.check("d", t(600));
    assert!(!d.allowed, "d shares c's overflow bucket");
    assert_eq!(d.reason, Some(DenyReason::QuotaExhausted));
    assert_eq!(shared.stats().overflow_decisions, 2);
    assert_eq!(shared.len(), 2);
    assert!(
        !shared.check("b", t(600)).allowed,
        "tracked keys are untouched"
    );
}

#[test]
fn a_flood_of_new_keys_never_changes_an_established_clients_decisions() {
    let quotas = vec![
        QuotaConfig::per_minute("pm", 100),
        QuotaConfig::per_second("ps", 5),
    ];
    let mut bounded = limiter(quotas.clone(), 1_000);
    let mut unbounded = limiter(quotas, usize::MAX);
    let mut flood = 0u64;
    for ms in 0..60_000u64 {
        if ms % 300 == 0 {
            let a = bounded.check("client", t(ms));
            let b = unbounded.check("client", t(ms));
            assert_eq!(a, b, "at {ms} ms");
        }
        for _ in 0..2 {
            flood += 1;
            bounded.check(&format!("flood-{flood}"), t(ms));
        }
        assert!(bounded.len() <= 1_000);
    }
    let stats = bounded.stats();
    eprintln!("{stats:?}");
    assert!(
        stats.forgotten_keys > 50_000 && stats.table_full > 0,
        "{stats:?}"
    );
}
