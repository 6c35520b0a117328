//! Many writers, one truth, on PostgreSQL: three processes of two threads each (every thread its
//! own store, so its own connections) write to one workspace at once, while this process tails
//! the change log with `events.list(after_sequence = the last sequence seen)`.
//!
//! Checked: the tailer sees every event exactly once, in sequence order, and the sequences are
//! 1, 2, 3, … (PostgreSQL commits concurrent transactions out of order: a sequence taken
//! outside the workspace's lock would let a committed event appear behind one the tailer has
//! passed, and the tailer would skip it); display ids are unique and gap-free; every
//! acknowledged write is there; and a rule the service checks by reading holds across
//! processes: of the writers racing to create a customer with the same slug, exactly one wins
//! and the others get `slug_taken`.
//!
//! Needs a PostgreSQL server (`PIVOTAL_TEST_POSTGRES_URL`): make pg-test.
#![cfg(feature = "postgres")]

use pivotal_core::store::postgres::testing::fresh_database;
use pivotal_core::{
    CustomerListParams, CustomerParams, ErrorCode, EventListParams, OnboardingParams,
    OnboardingPatch, Patch, Phase, Pivotal,
};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ENV_URL: &str = "PIVOTAL_PG_CONCURRENCY_CHILD_URL";
const ENV_NAME: &str = "PIVOTAL_PG_CONCURRENCY_CHILD_NAME";
const PROCESSES: usize = 3;
const THREADS: usize = 2;
/// Rounds per thread; each writes four events and races for one shared slug.
const ROUNDS: usize = 40;

/// One writer thread: per round, a customer, its onboarding, a phase change, and an attempt at
/// the round's shared slug. Prints `@@CUSTOMER <id>` per acknowledged customer and
/// `@@SLUG <round> <ok|taken>`.
fn writer(url: &str, name: &str) -> Vec<String> {
    let db = Pivotal::options()
        .actor(name)
        .open(url)
        .expect("the writer opens the database");
    let mut out = Vec::new();
    for round in 0..ROUNDS {
        let params = CustomerParams {
            name: format!("{name} {round}"),
            ..Default::default()
        };
        let c = db.customers().create(params, None).expect("a customer");
        out.push(format!("@@CUSTOMER {}", c.id));
        let o = db
            .onboardings()
            .create(
                OnboardingParams {
                    customer_id: c.id.clone(),
                    ..Default::default()
                },
                None,
            )
            .expect("an onboarding");
        let patch = OnboardingPatch {
            phase: Patch::Set(Phase::ProgramDesign),
            ..Default::default()
        };
        db.onboardings()
            .update(&o.id, patch)
            .expect("a phase change");
        let shared = CustomerParams {
            name: format!("Shared {round}"),
            slug: Some(format!("shared-{round}")),
            ..Default::default()
        };
        match db.customers().create(shared, None) {
            Ok(c) => out.push(format!("@@SLUG {round} ok {}", c.id)),
            Err(e) if e.code == ErrorCode::SlugTaken => out.push(format!("@@SLUG {round} taken")),
            Err(e) => panic!("the shared slug: {e}"),
        }
    }
    out
}

#[test]
#[ignore = "a child process of writers_in_several_processes_and_a_tailer, which runs it"]
fn postgres_writer_child() {
    let Ok(url) = std::env::var(ENV_URL) else {
        return;
    };
    let name = std::env::var(ENV_NAME).unwrap();
    let lines: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (url, name) = (url.clone(), format!("{name}t{t}"));
                s.spawn(move || writer(&url, &name))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for line in lines {
        println!("{line}");
    }
}

#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn writers_in_several_processes_and_a_tailer() {
    let url = fresh_database();
    let db = Pivotal::open(&url).expect("the store opens");
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            Command::new(&exe)
                .args([
                    "postgres_writer_child",
                    "--exact",
                    "--nocapture",
                    "--include-ignored",
                    "-q",
                ])
                .env(ENV_URL, &url)
                .env(ENV_NAME, format!("p{p}"))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .expect("a writer process starts")
        })
        .collect();

    // Tail until every writer has exited, then once more.
    let mut seen: Vec<i64> = Vec::new();
    let tail = |seen: &mut Vec<i64>| loop {
        let params = EventListParams {
            after_sequence: seen.last().copied(),
            limit: Some(100),
            ..Default::default()
        };
        let page = db.events().list(&params).expect("the tailer reads");
        seen.extend(page.data.iter().map(|e| e.sequence));
        if !page.has_more {
            break;
        }
    };
    let mut children = children;
    let started = Instant::now();
    let mut outputs = Vec::new();
    while !children.is_empty() {
        tail(&mut seen);
        let mut running = Vec::new();
        for mut child in children {
            if child.try_wait().unwrap().is_some() {
                outputs.push(child);
            } else {
                running.push(child);
            }
        }
        children = running;
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the writers hang"
        );
    }
    tail(&mut seen);

    let mut customers = BTreeSet::new();
    let mut winners = vec![0; ROUNDS];
    for child in outputs {
        let mut child = child;
        let stdout = child.stdout.take().unwrap();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["@@CUSTOMER", id] => {
                    customers.insert(id.to_string());
                }
                ["@@SLUG", round, "ok", id] => {
                    winners[round.parse::<usize>().unwrap()] += 1;
                    customers.insert(id.to_string());
                }
                ["@@SLUG", _, "taken"] => {}
                _ => {}
            }
        }
        assert!(child.wait().unwrap().success(), "a writer process failed");
    }
    let writers = PROCESSES * THREADS;
    // Per round: customer.created, onboarding.created, onboarding.updated and
    // onboarding.phase_changed; and one customer.created per shared slug.
    let events = writers * ROUNDS * 4 + ROUNDS;
    let expected: Vec<i64> = (1..=events as i64).collect();
    assert_eq!(seen.len(), events, "the tailer saw every event once");
    assert_eq!(seen, expected, "the tailer saw 1, 2, 3, … in order");

    assert_eq!(
        customers.len(),
        writers * ROUNDS + ROUNDS,
        "acknowledged customers"
    );
    assert_eq!(
        winners,
        vec![1; ROUNDS],
        "exactly one writer gets each shared slug"
    );

    let mut listed = Vec::new();
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
        listed.extend(page.data.iter().map(|c| (c.display_id, c.id.clone())));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let ids: BTreeSet<String> = listed.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(
        ids, customers,
        "every acknowledged customer is there, nothing else"
    );
    let mut display_ids: Vec<i64> = listed.iter().map(|(d, _)| *d).collect();
    display_ids.sort();
    let gap_free: Vec<i64> = (1..=customers.len() as i64).collect();
    assert_eq!(display_ids, gap_free, "display ids are unique and gap-free");
}
