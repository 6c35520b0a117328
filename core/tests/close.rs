//! `Pivotal::close()`: it waits for the operations already running, then every handle made from
//! the store (clones, derived sessions, key sessions) answers `store_closed`.

use pivotal_core::model::time::{from_unix_ms, Clock, FixedClock};
use pivotal_core::{CustomerListParams, CustomerParams, ErrorCode, Pivotal, Timestamp};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A clock that, once armed, tells when an operation reads it (inside its transaction) and then
/// holds that operation for `hold`.
struct Tripwire {
    at: FixedClock,
    armed: Mutex<Option<Sender<()>>>,
    hold: Duration,
}

impl Clock for Tripwire {
    fn now(&self) -> Timestamp {
        if let Some(started) = self.armed.lock().unwrap().take() {
            started.send(()).unwrap();
            thread::sleep(self.hold);
        }
        self.at.now()
    }
}

fn params(n: usize) -> Vec<CustomerParams> {
    (0..n)
        .map(|i| CustomerParams {
            name: format!("C{i}"),
            ..Default::default()
        })
        .collect()
}

fn count(db: &Pivotal) -> usize {
    let mut n = 0;
    let mut cursor = None;
    loop {
        let page = db
            .customers()
            .list(&CustomerListParams {
                limit: Some(100),
                cursor: cursor.take(),
                ..Default::default()
            })
            .unwrap();
        n += page.data.len();
        match page.next_cursor {
            Some(c) if page.has_more => cursor = Some(c),
            _ => return n,
        }
    }
}

#[test]
fn close_waits_for_a_running_batch_then_the_batch_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("close.db");
    let clock = Arc::new(Tripwire {
        at: FixedClock::new(from_unix_ms(1_700_000_000_000).unwrap()),
        armed: Mutex::new(None),
        hold: Duration::from_millis(300),
    });
    let db = Pivotal::options().clock(clock.clone()).open(&path).unwrap();
    let (started, running) = channel();
    *clock.armed.lock().unwrap() = Some(started);
    let worker = {
        let db = db.clone();
        thread::spawn(move || db.customers().create_many(params(2_000)))
    };
    running.recv().unwrap();
    let t = Instant::now();
    db.close();
    let waited = t.elapsed();
    // When close() returns, the batch has committed: another handle on the file sees all of it.
    let reader = Pivotal::open(&path).unwrap();
    assert_eq!(
        count(&reader),
        2_000,
        "close() returned before the batch committed"
    );
    assert!(
        waited >= Duration::from_millis(200),
        "close() did not wait: {waited:?}"
    );
    assert_eq!(worker.join().unwrap().unwrap().len(), 2_000);
}

#[test]
fn every_handle_of_a_closed_store_answers_store_closed() {
    let db = Pivotal::options()
        .key_iterations(1)
        .open_in_memory()
        .unwrap();
    let key = db.api_keys().create("sync").unwrap();
    let keyed = db.authenticate(&key.secret).unwrap();
    let test = db.with_livemode(false).unwrap();
    let clone = db.clone();
    assert!(!db.is_closed());
    test.close();
    test.close(); // idempotent
    for handle in [&db, &keyed, &test, &clone] {
        assert!(handle.is_closed());
        let e = handle
            .customers()
            .create(params(1).remove(0), None)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreClosed);
        assert_eq!(e.http_status(), 400);
        for e in [
            handle.customers().retrieve("1").unwrap_err(),
            handle.events().list(&Default::default()).unwrap_err(),
            handle.health().unwrap_err(),
            handle.me().unwrap_err(),
            handle.workspaces().list().unwrap_err(),
            handle.authenticate(&key.secret).unwrap_err(),
        ] {
            assert_eq!(e.code, ErrorCode::StoreClosed, "{e}");
        }
    }
    for e in [
        db.with_actor("other").unwrap_err(),
        db.with_livemode(false).unwrap_err(),
        db.with_workspace("default").unwrap_err(),
    ] {
        assert_eq!(e.code, ErrorCode::StoreClosed, "{e}");
    }
}

#[test]
fn closing_releases_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("released.db");
    let db = Pivotal::open(&path).unwrap();
    let kept = db.with_actor("kept").unwrap();
    db.close();
    // The connections are closed although handles remain: the WAL was checkpointed and removed.
    assert!(!path.with_extension("db-wal").exists());
    drop(kept);
}
