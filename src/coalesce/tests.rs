use super::*;
use std::cell::RefCell;
use std::rc::Rc;

/// A handle the way a simple adapter would build one: a shared slot the leader fills and waiters read.
type Slot = Rc<RefCell<Option<Result<String, String>>>>;

fn t(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn key(url: &str) -> RequestKey {
    RequestKey::new("GET", url, [], &[], b"")
}

#[test]
fn concurrent_identical_requests_share_one_flight_and_its_result() {
    let mut c: Coalescer<Slot, String> = Coalescer::new(CoalescerConfig::default());
    let k = key("/a");
    let (ticket, leader_slot) = match c.begin(&k, t(0), |_| Slot::default()).unwrap() {
        Admission::Lead(ticket, slot) => (ticket, slot.clone()),
        other => panic!("expected lead, got {other:?}"),
    };
    let waiters: Vec<Slot> = (0..5)
        .map(|i| {
            match c
                .begin(&k, t(i), |_| unreachable!("only the first request leads"))
                .unwrap()
            {
                Admission::Join(slot) => slot.clone(),
                other => panic!("expected join, got {other:?}"),
            }
        })
        .collect();
    *leader_slot.borrow_mut() = Some(Ok("body".into()));
    assert!(c.finish(ticket, Some("body".into()), t(10)).is_some());
    for w in &waiters {
        assert_eq!(*w.borrow(), Some(Ok("body".to_string())));
    }
    let s = c.stats();
    assert_eq!((s.led, s.joined, s.in_flight), (1, 5, 0));
    // No window: the next request leads a fresh call.
    assert!(matches!(
        c.begin(&k, t(11), |_| Slot::default()).unwrap(),
        Admission::Lead(..)
    ));
}

#[test]
fn a_failed_leader_fails_its_waiters_and_is_never_replayed() {
    let mut c: Coalescer<Slot, String> = Coalescer::new(CoalescerConfig {
        window_ms: 1000,
        ..Default::default()
    });
    let k = key("/a");
    let Admission::Lead(ticket, slot) = c.begin(&k, t(0), |_| Slot::default()).unwrap() else {
        panic!()
    };
    let slot = slot.clone();
    let Admission::Join(waiter) = c.begin(&k, t(1), |_| Slot::default()).unwrap() else {
        panic!()
    };
    let waiter = waiter.clone();
    *slot.borrow_mut() = Some(Err("upstream 502".into()));
    c.finish(ticket, None, t(2));
    assert_eq!(*waiter.borrow(), Some(Err("upstream 502".to_string())));
    assert!(matches!(
        c.begin(&k, t(3), |_| Slot::default()).unwrap(),
        Admission::Lead(..)
    ));
    assert_eq!(c.stats().failed, 1);
}

#[test]
fn window_replays_recent_success_then_expires() {
    let mut c: Coalescer<(), String> = Coalescer::new(CoalescerConfig {
        window_ms: 100,
        ..Default::default()
    });
    let k = key("/a");
    let Admission::Lead(ticket, _) = c.begin(&k, t(0), |_| ()).unwrap() else {
        panic!()
    };
    c.finish(ticket, Some("v".into()), t(50));
    assert!(matches!(c.begin(&k, t(149), |_| ()).unwrap(), Admission::Replay(v) if v == "v"));
    assert!(matches!(
        c.begin(&k, t(150), |_| ()).unwrap(),
        Admission::Lead(..)
    ));
}

#[test]
fn dead_leader_is_replaced_and_its_late_finish_is_ignored() {
    let mut c: Coalescer<u32, ()> = Coalescer::new(CoalescerConfig {
        max_flight_ms: 1000,
        ..Default::default()
    });
    let k = key("/a");
    let Admission::Lead(old, _) = c.begin(&k, t(0), |_| 1).unwrap() else {
        panic!()
    };
    assert!(matches!(
        c.begin(&k, t(999), |_| 2).unwrap(),
        Admission::Join(1)
    ));
    let Admission::Lead(new, 2) = c.begin(&k, t(1000), |_| 2).unwrap() else {
        panic!()
    };
    assert_eq!(
        c.finish(old, None, t(1001)),
        None,
        "the stale leader cannot end the new flight"
    );
    assert_eq!(c.in_flight(), 1);
    assert_eq!(c.finish(new, None, t(1002)), Some(2));
}

#[test]
fn in_flight_table_is_bounded() {
    let mut c: Coalescer<(), ()> = Coalescer::new(CoalescerConfig {
        max_in_flight: 2,
        ..Default::default()
    });
    c.begin(&key("/1"), t(0), |_| ()).unwrap();
    c.begin(&key("/2"), t(0), |_| ()).unwrap();
    assert_eq!(
        c.begin(&key("/3"), t(0), |_| ()).unwrap_err(),
        CoalesceError::TooManyInFlight { limit: 2 }
    );
    assert!(matches!(
        c.begin(&key("/1"), t(0), |_| ()).unwrap(),
        Admission::Join(())
    ));
}

#[test]
fn canonical_keys_ignore_order_case_and_fragments_but_not_content() {
    let a = RequestKey::new(
        "get",
        "HTTPS://Api.Example/p?b=2&a=1#frag",
        [("Accept", "json")],
        &["accept"],
        b"",
    );
    let b = RequestKey::new(
        "GET",
        "https://api.example/p?a=1&b=2",
        [("accept", " json ")],
        &["Accept"],
        b"",
    );
    assert_eq!(a, b);
    assert!(a.as_str().starts_with("GET https://api.example/p?a=1&b=2#"));
    let other_header = RequestKey::new(
        "GET",
        "https://api.example/p?a=1&b=2",
        [("accept", "xml")],
        &["accept"],
        b"",
    );
    assert_ne!(a, other_header);
    let ignored_header = RequestKey::new("GET", "/p", [("x-trace", "1")], &["accept"], b"");
    assert_eq!(ignored_header.as_str(), "GET /p");
    assert_ne!(
        RequestKey::new("POST", "/p", [], &[], b"x"),
        RequestKey::new("POST", "/p", [], &[], b"y")
    );
    assert_eq!(canonical_url("https://h"), "https://h/");
}

#[test]
fn repeated_query_names_keep_their_order_and_paths_keep_their_case() {
    assert_ne!(key("/p?a=1&a=2"), key("/p?a=2&a=1"));
    assert_eq!(key("/p?b=1&a=2"), key("/p?a=2&b=1"));
    assert_eq!(
        canonical_url("/go/http://Example.COM/X?b&a"),
        "/go/http://Example.COM/X?a&b"
    );
    assert_eq!(
        canonical_url("HTTPS://Example.COM/X"),
        "https://example.com/X"
    );
    assert_eq!(
        canonical_url("1http://Example.COM/X"),
        "1http://Example.COM/X"
    );
}
