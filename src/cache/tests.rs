use super::*;

fn t(ms: u64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn cache(entries: usize, bytes: usize) -> ResponseCache<&'static str> {
    ResponseCache::new(CacheConfig::new(entries, bytes)).unwrap()
}

#[test]
fn get_refreshes_recency_and_peek_does_not() {
    let mut c = cache(2, 1000);
    c.insert("a", "A", 1, t(0), EntryOptions::default())
        .unwrap();
    c.insert("b", "B", 1, t(0), EntryOptions::default())
        .unwrap();
    assert_eq!(c.peek("a", t(1)), Some(&"A"));
    c.insert("c", "C", 1, t(2), EntryOptions::default())
        .unwrap(); // evicts a: peek did not refresh it
    assert_eq!(c.peek("a", t(3)), None);
    assert_eq!(c.get("b", t(3)), Some(&"B"));
    c.insert("d", "D", 1, t(4), EntryOptions::default())
        .unwrap(); // evicts c: get refreshed b
    assert_eq!(c.keys().collect::<Vec<_>>(), ["d", "b"]);
    let s = c.stats();
    assert_eq!((s.hits, s.misses, s.evictions, s.entries), (1, 0, 2, 2));
}

#[test]
fn byte_bound_evicts_until_it_fits_and_refuses_oversized_entries() {
    let mut c = cache(100, 30);
    c.insert("a", "A", 9, t(0), EntryOptions::default())
        .unwrap(); // 10 bytes
    c.insert("b", "B", 9, t(0), EntryOptions::default())
        .unwrap();
    c.insert("c", "C", 9, t(0), EntryOptions::default())
        .unwrap();
    assert_eq!(c.bytes(), 30);
    assert_eq!(
        c.insert("d", "D", 19, t(0), EntryOptions::default())
            .unwrap(),
        2
    );
    assert_eq!(c.bytes(), 30);
    let err = c
        .insert("huge", "X", 27, t(0), EntryOptions::default())
        .unwrap_err();
    assert_eq!(
        err,
        CacheError::EntryTooLarge {
            key: "huge".into(),
            bytes: 31,
            limit: 30
        }
    );
    assert_eq!(c.len(), 2, "a refused entry evicts nothing");
}

#[test]
fn ttl_expires_entries_and_counts_them() {
    let mut c = ResponseCache::new(CacheConfig {
        default_ttl_ms: Some(100),
        ..CacheConfig::new(10, 1000)
    })
    .unwrap();
    c.insert("a", 1, 1, t(0), EntryOptions::default()).unwrap();
    c.insert(
        "b",
        2,
        1,
        t(0),
        EntryOptions {
            ttl: Some(Duration::from_millis(500)),
            tags: vec![],
        },
    )
    .unwrap();
    assert_eq!(c.age("a", t(40)), Some(Duration::from_millis(40)));
    assert_eq!(c.get("a", t(99)), Some(&1));
    assert_eq!(c.get("a", t(100)), None);
    assert_eq!(c.get("b", t(100)), Some(&2));
    assert_eq!(c.purge_expired(t(500)), 1);
    let s = c.stats();
    assert_eq!((s.hits, s.misses, s.expirations, s.entries), (2, 1, 2, 0));
    assert!((s.hit_ratio - 2.0 / 3.0).abs() < 1e-9);
}

#[test]
fn invalidation_by_key_prefix_and_tag() {
    let mut c = cache(10, 1000);
    let tagged = |tags: &[&str]| EntryOptions {
        ttl: None,
        tags: tags.iter().map(|s| s.to_string()).collect(),
    };
    c.insert("GET /users/1", "u1", 1, t(0), tagged(&["user:1"]))
        .unwrap();
    c.insert("GET /users/2", "u2", 1, t(0), tagged(&["user:2"]))
        .unwrap();
    c.insert("GET /posts/1", "p1", 1, t(0), tagged(&["user:1"]))
        .unwrap();
    assert_eq!(c.invalidate_tag("user:1"), 2);
    assert_eq!(c.invalidate_prefix("GET /users/"), 1);
    assert_eq!(c.remove("GET /posts/1"), None);
    assert!(c.is_empty());
    assert_eq!(c.bytes(), 0);
    assert_eq!(c.stats().invalidations, 3);
}

#[test]
fn zero_bounds_are_rejected() {
    assert!(matches!(
        ResponseCache::<()>::new(CacheConfig::new(0, 1)),
        Err(CacheError::InvalidConfig {
            field: "maxEntries",
            ..
        })
    ));
    assert!(matches!(
        ResponseCache::<()>::new(CacheConfig::new(1, 0)),
        Err(CacheError::InvalidConfig {
            field: "maxBytes",
            ..
        })
    ));
}

#[test]
fn glob_invalidation_matches_whole_keys() {
    let mut c = cache(10, 1000);
    for key in [
        "GET /users/1/posts",
        "GET /users/2/posts",
        "GET /users/2",
        "POST /users/1/posts",
        "GET /a.b?c",
    ] {
        c.insert(key, "v", 1, t(0), EntryOptions::default())
            .unwrap();
    }
    assert_eq!(c.invalidate_glob("GET /users/*/posts").unwrap(), 2);
    assert_eq!(
        c.invalidate_glob("GET /a?b\\?c").unwrap(),
        0,
        "regex metacharacters are literals"
    );
    assert_eq!(c.invalidate_glob("GET /a.b?c").unwrap(), 1);
    assert_eq!(
        c.keys().collect::<Vec<_>>(),
        ["POST /users/1/posts", "GET /users/2"]
    );
    assert!(matches!(
        c.invalidate_glob(&"*".repeat(2000)),
        Err(CacheError::GlobTooLong { .. })
    ));
}

#[test]
fn get_with_age_reports_the_stored_age_and_counts_a_hit() {
    let mut c = cache(2, 100);
    c.insert("a", "A", 1, t(10), EntryOptions::default())
        .unwrap();
    assert_eq!(
        c.get_with_age("a", t(35)),
        Some((&"A", Duration::from_millis(25)))
    );
    assert_eq!(c.get_with_age("b", t(35)), None);
    assert_eq!((c.stats().hits, c.stats().misses), (1, 1));
}

#[test]
fn a_table_adopts_entries_kept_elsewhere_in_their_slots_order_and_counts() {
    let config = CacheConfig::new(3, usize::MAX);
    let counts = CacheStats {
        hits: 7,
        misses: 2,
        inserts: 5,
        evictions: 1,
        invalidations: 1,
        ..Default::default()
    };
    // Slots 4, 0, 2 hold entries (oldest first); 1 and 3 are free.
    let entries = [(4, t(40)), (0, t(10)), (2, t(25))];
    let mut table = EntryTable::new(config.clone()).unwrap();
    assert!(table.adopt(entries, 5, counts));
    assert_eq!(table.by_recency().collect::<Vec<_>>(), [2, 0, 4]);
    assert_eq!(table.age(0, t(15)), Some(Duration::from_millis(5)));
    let stats = table.stats();
    assert_eq!(
        (
            stats.hits,
            stats.misses,
            stats.inserts,
            stats.evictions,
            stats.invalidations,
            stats.entries
        ),
        (7, 2, 5, 1, 1, 3)
    );
    // Full: the next insert evicts the oldest (slot 4) and reuses its slot; a removed slot is reused next, and the
    // slots the other side had free are free here.
    let inserted = table
        .insert(None, 0, t(50), EntryOptions::default())
        .unwrap();
    assert_eq!((inserted.slot, inserted.evicted), (4, 1));
    assert_eq!(table.by_recency().collect::<Vec<_>>(), [4, 2, 0]);
    table.remove(0);
    assert_eq!(
        table
            .insert(None, 0, t(60), EntryOptions::default())
            .unwrap()
            .slot,
        0
    );
    assert!(!table.is_live(1) && !table.is_live(3));

    // Refused, changing nothing: a repeated slot, a slot past `slots`, more entries than maxEntries, a used table.
    for (bad, slots) in [
        (vec![(1, t(0)), (1, t(0))], 3),
        (vec![(3, t(0))], 3),
        (vec![(0, t(0)), (1, t(0)), (2, t(0)), (3, t(0))], 4),
    ] {
        let mut fresh = EntryTable::new(config.clone()).unwrap();
        assert!(!fresh.adopt(bad, slots, counts));
        assert_eq!(fresh.len(), 0);
        assert_eq!(fresh.stats(), CacheStats::default());
    }
    assert!(!table.adopt([(0, t(0))], 1, CacheStats::default()));
}
