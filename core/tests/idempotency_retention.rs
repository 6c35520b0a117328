//! Idempotency keys are remembered for 24 hours (docs/reference.md#idempotency) and then forgotten for good: the store
//! keeps about a day of keys however long it lives, checked here by counting the SQLite file's rows.

use pivotal_core::model::time::{parse_instant, FixedClock};
use pivotal_core::{CustomerParams, Options};
use std::sync::Arc;

fn customer(name: &str) -> CustomerParams {
    CustomerParams {
        name: name.into(),
        ..Default::default()
    }
}

#[test]
fn expired_keys_are_forgotten_by_later_keyed_creates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pivotal.db");
    let clock = Arc::new(FixedClock::new(
        parse_instant("2024-03-05T10:00:00.000Z").unwrap(),
    ));
    let db = Options::default().clock(clock.clone()).open(&path).unwrap();
    let remembered = || -> i64 {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.query_row("SELECT count(*) FROM idempotency", [], |r| r.get(0))
            .unwrap()
    };
    for i in 0..20 {
        let key = format!("day-1-{i}");
        db.customers()
            .create(customer(&format!("Day one {i}")), Some(&key))
            .unwrap();
        clock.advance_ms(60_000);
    }
    assert_eq!(remembered(), 20);

    // A day later the first keys have expired; each keyed create forgets some of them.
    clock.advance_ms(24 * 3_600_000 - 10 * 60_000);
    let first = db
        .customers()
        .create(customer("Day two"), Some("day-2-0"))
        .unwrap();
    let forgotten = 21 - remembered();
    assert!(forgotten > 0, "nothing forgotten");
    assert!(
        forgotten < 10,
        "only expired keys: the last ten are younger than a day"
    );
    for i in 1..5 {
        db.customers()
            .create(
                customer(&format!("Day two {i}")),
                Some(&format!("day-2-{i}")),
            )
            .unwrap();
    }
    assert_eq!(
        remembered(),
        10 + 5,
        "the ten unexpired keys of day one and the five of day two"
    );

    // Remembered keys still replay; a forgotten key creates anew.
    let replayed = db
        .customers()
        .create(customer("Day two"), Some("day-2-0"))
        .unwrap();
    assert_eq!(replayed, first);
    let again = db
        .customers()
        .create(customer("Day one, again"), Some("day-1-0"))
        .unwrap();
    assert_eq!(again.name, "Day one, again");
}
