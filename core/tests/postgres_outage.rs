//! The PostgreSQL server killed in the middle of a write load, again and again
//! (`pg_ctl stop -m immediate`: no shutdown, as in a crash), with one store object throughout.
//!
//! Checked, per outage: a call made while the server is down fails with `storage_unavailable`
//! within the connect timeout, never another code; once the server is back, the same store works
//! again (without reopening) within a bound. At the end: every acknowledged write is there, and
//! nothing is half-written: each customer has exactly its `customer.created` event, display ids
//! are 1, 2, 3, … and event sequences too (a write cut off at its commit is either wholly there
//! or wholly not).
//!
//! `PIVOTAL_PG_OUTAGES` sets the number of outages (default 50; `make pg-soak` runs 500). Prints
//! `outages: …` with the counts. Needs a server (make pg-test).
#![cfg(feature = "postgres")]

use pivotal_core::store::postgres::testing::fresh_database;
use pivotal_core::{CustomerParams, ErrorCode, EventListParams, Pivotal};
use std::collections::BTreeSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Runs one of the commands `tests/postgres/cluster.sh` exports.
fn server(which: &str) {
    let line = std::env::var(which).unwrap_or_else(|_| panic!("{which} is not set: make pg-test"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let status = Command::new(words[0])
        .args(&words[1..])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{line}");
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn writes_survive_the_server_killed_under_load() {
    let outages: usize = std::env::var("PIVOTAL_PG_OUTAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let url = fresh_database();
    let db = Pivotal::open(&url).expect("the store opens");
    let acked = Mutex::new(BTreeSet::new());
    let failures = Mutex::new(0usize);
    let stop = AtomicBool::new(false);
    let (mut slowest_failure, mut slowest_recovery) = (Duration::ZERO, Duration::ZERO);
    std::thread::scope(|s| {
        for w in 0..2 {
            let (db, acked, failures, stop) = (&db, &acked, &failures, &stop);
            s.spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let params = CustomerParams {
                        name: format!("w{w} {n}"),
                        ..Default::default()
                    };
                    n += 1;
                    match db.customers().create(params, None) {
                        Ok(c) => {
                            acked.lock().unwrap().insert(c.id);
                        }
                        Err(e) => {
                            assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
                            *failures.lock().unwrap() += 1;
                            std::thread::sleep(Duration::from_millis(5));
                        }
                    }
                }
            });
        }
        for trial in 0..outages {
            std::thread::sleep(Duration::from_millis(20 + (trial as u64 * 37) % 60));
            server("PIVOTAL_TEST_POSTGRES_STOP");
            let started = Instant::now();
            let e = db.customers().list(&Default::default()).unwrap_err();
            slowest_failure = slowest_failure.max(started.elapsed());
            assert_eq!(e.code, ErrorCode::StorageUnavailable, "{e}");
            server("PIVOTAL_TEST_POSTGRES_START");
            let started = Instant::now();
            while db.customers().list(&Default::default()).is_err() {
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "the store stays down"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            slowest_recovery = slowest_recovery.max(started.elapsed());
        }
        stop.store(true, Ordering::Relaxed);
    });

    let acked = acked.into_inner().unwrap();
    let mut customers = Vec::new();
    let mut cursor = None;
    loop {
        let params = pivotal_core::CustomerListParams {
            limit: Some(100),
            cursor: cursor.take(),
            ..Default::default()
        };
        let page = db.customers().list(&params).unwrap();
        customers.extend(page.data.iter().map(|c| (c.display_id, c.id.clone())));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let stored: BTreeSet<String> = customers.iter().map(|(_, id)| id.clone()).collect();
    let missing: Vec<&String> = acked.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    let mut display_ids: Vec<i64> = customers.iter().map(|(d, _)| *d).collect();
    display_ids.sort();
    assert_eq!(
        display_ids,
        (1..=customers.len() as i64).collect::<Vec<_>>()
    );

    let mut events = Vec::new();
    loop {
        let params = EventListParams {
            after_sequence: events.last().map(|(s, _)| *s),
            limit: Some(100),
            ..Default::default()
        };
        let page = db.events().list(&params).unwrap();
        events.extend(
            page.data
                .into_iter()
                .map(|e| (e.sequence, e.data.object["id"].clone())),
        );
        if !page.has_more {
            break;
        }
    }
    let sequences: Vec<i64> = events.iter().map(|(s, _)| *s).collect();
    assert_eq!(sequences, (1..=events.len() as i64).collect::<Vec<_>>());
    let objects: BTreeSet<String> = events
        .iter()
        .map(|(_, id)| id.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(events.len(), stored.len(), "one event per customer");
    assert_eq!(objects, stored, "each customer has its event");
    println!(
        "outages: {outages} kills, {} writes acknowledged and all there, {} stored ({} cut off at \
         commit and kept), {} calls failed with storage_unavailable; slowest failure {:?}, slowest \
         recovery {:?}",
        acked.len(),
        stored.len(),
        stored.len() - acked.len(),
        failures.into_inner().unwrap(),
        slowest_failure,
        slowest_recovery
    );
}
