//! Concurrency: four threads of this process and two more processes (two threads each) create,
//! update and delete through one SQLite file for a few seconds, while readers watch.
//!
//! Checked: no caller ever gets `storage_busy` (or any storage error); display ids are unique and
//! gap-free per workspace and kind; event sequences are 1, 2, 3, …; every acknowledged operation
//! is in the file with its events; readers never see a partial operation, neither through the API
//! (a record read is always followed by its event, a transition by its `phase_changed`) nor in a
//! raw snapshot of the whole file taken mid-run (see `Snapshot::check`).
//!
//! `PIVOTAL_CONCURRENCY_SECS` (default 3) sets how long the writers run. The extra processes are
//! this test binary, run as `concurrency_child`.

mod reliability_support;

use pivotal_core::{EventListParams, OnboardingListParams, Pivotal};
use reliability_support::{
    child_command, env_u64, seed_from_env, sqlite_checks, to_value, Ack, Rng, Snapshot, Workload,
};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const ENV_DB: &str = "PIVOTAL_CONCURRENCY_CHILD_DB";
const ENV_NAME: &str = "PIVOTAL_CONCURRENCY_CHILD_NAME";
const ENV_SEED: &str = "PIVOTAL_CONCURRENCY_CHILD_SEED";
const ENV_MILLIS: &str = "PIVOTAL_CONCURRENCY_CHILD_MILLIS";

const THREADS: usize = 4;
const PROCESSES: usize = 2;
const THREADS_PER_PROCESS: usize = 2;

/// What one writer thread did.
struct WriterReport {
    acks: Vec<Ack>,
    /// The longest single operation (the periodic re-reads of the file aside).
    max_latency: Duration,
}

/// Runs random operations as `name` until `deadline`; every few operations it re-reads the file
/// to find records the other writers made, so they update and delete each other's records too.
fn writer(db: &Pivotal, name: &str, seed: u64, deadline: Instant) -> WriterReport {
    let mut rng = Rng::new(seed);
    let mut work = Workload::default();
    let mut acks = Vec::new();
    let mut max_latency = Duration::ZERO;
    let mut n = 0u64;
    while Instant::now() < deadline {
        if n.is_multiple_of(40) {
            match Workload::discover(db) {
                Ok(found) => {
                    work.customers = found.customers;
                    work.contacts = found.contacts;
                    work.onboardings = found.onboardings;
                }
                Err(e) => acks.push(Ack {
                    actor: format!("{name}-discover-{n}"),
                    op: "discover".into(),
                    key: None,
                    ok: None,
                    err: Some(format!("{}: {e}", e.code)),
                }),
            }
        }
        let started = Instant::now();
        let ack = work.step(db, &mut rng, &format!("{name}-{n}"), name);
        max_latency = max_latency.max(started.elapsed());
        acks.push(ack);
        n += 1;
    }
    WriterReport { acks, max_latency }
}

/// The extra process: opens the file (racing the others to create it), runs its writer threads,
/// then prints `@@ACK <json>` per operation and `@@MAX_LATENCY_MS <n>`.
#[test]
#[ignore = "a child process of concurrent_writers_and_readers, which runs it"]
fn concurrency_child() {
    let Ok(path) = std::env::var(ENV_DB) else {
        return;
    };
    let name = std::env::var(ENV_NAME).unwrap();
    let seed = env_u64(ENV_SEED, 1);
    let deadline = Instant::now() + Duration::from_millis(env_u64(ENV_MILLIS, 3000));
    let db = Pivotal::open(&path).expect("the child opens the file");
    let reports: Vec<WriterReport> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS_PER_PROCESS)
            .map(|t| {
                let db = db.clone();
                let name = format!("{name}t{t}");
                s.spawn(move || writer(&db, &name, seed + t as u64, deadline))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut out = std::io::stdout().lock();
    let mut max = Duration::ZERO;
    for report in reports {
        max = max.max(report.max_latency);
        for ack in report.acks {
            writeln!(out, "@@ACK {}", serde_json::to_string(&ack).unwrap()).unwrap();
        }
    }
    writeln!(out, "@@MAX_LATENCY_MS {}", max.as_millis()).unwrap();
    out.flush().unwrap();
}

/// Reads through the API and checks what a partial operation would break: a record read must
/// then be found in its events, and a phase transition with its `phase_changed` event.
fn api_reader(db: &Pivotal, stop: &AtomicBool) -> (u64, Vec<String>) {
    let mut errors = Vec::new();
    let mut rounds = 0;
    let mut rng = Rng::new(7);
    while !stop.load(Ordering::Relaxed) && errors.len() < 10 {
        rounds += 1;
        let page = match db.onboardings().list(&OnboardingListParams {
            limit: Some(10),
            ..Default::default()
        }) {
            Ok(p) => p,
            Err(e) => {
                errors.push(format!("onboardings.list: {e}"));
                continue;
            }
        };
        let Some(o) = rng.pick(&page.data).cloned() else {
            std::thread::sleep(Duration::from_millis(5));
            continue;
        };
        let transitions = match db.onboardings().transitions(&o.id) {
            Ok(t) => t,
            Err(e) if e.http_status() == 404 => continue, // deleted meanwhile
            Err(e) => {
                errors.push(format!("transitions: {e}"));
                continue;
            }
        };
        let mut events = Vec::new();
        let mut after = None;
        loop {
            match db.events().list(&EventListParams {
                object_id: Some(o.id.clone()),
                after_sequence: after,
                limit: Some(100),
                ..Default::default()
            }) {
                Ok(page) => {
                    after = page.data.last().map(|e| e.sequence);
                    events.extend(page.data);
                    if !page.has_more {
                        break;
                    }
                }
                Err(e) => {
                    errors.push(format!("events.list: {e}"));
                    break;
                }
            }
        }
        let object = to_value(&o);
        if !events.iter().any(|e| e.data.object == object) {
            errors.push(format!("onboarding {} was read without its event", o.id));
        }
        for t in &transitions {
            let found = events.iter().any(|e| {
                e.event_type.as_str() == "onboarding.phase_changed"
                    && e.actor == t.actor
                    && e.created_at == t.created_at
                    && e.data.object["phase"] == t.to_phase.as_str()
            });
            if !found {
                errors.push(format!("transition {} read without its event", t.id));
            }
        }
        if events.windows(2).any(|w| w[0].sequence >= w[1].sequence) {
            errors.push(format!("events of {} out of order", o.id));
        }
    }
    (rounds, errors)
}

/// Reads the whole file in one raw transaction, over and over, and checks every snapshot.
fn snapshot_reader(path: &Path, stop: &AtomicBool) -> (u64, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    let mut rounds = 0;
    let mut errors = Vec::new();
    while !stop.load(Ordering::Relaxed) && errors.is_empty() {
        match Snapshot::read_conn(&conn) {
            Ok(s) => errors.extend(s.check()),
            Err(e) => errors.push(e),
        }
        rounds += 1;
    }
    (rounds, errors)
}

#[test]
fn concurrent_writers_and_readers() {
    let millis = env_u64("PIVOTAL_CONCURRENCY_SECS", 3) * 1000;
    let seed = seed_from_env("PIVOTAL_CONCURRENCY_SEED");
    eprintln!("concurrency: {millis} ms, PIVOTAL_CONCURRENCY_SEED={seed}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let exe = reliability_support::copy_of_this_binary(dir.path());

    // The children start first, and all three processes race to create the file.
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| {
            let mut cmd = child_command(&exe, "concurrency_child");
            cmd.env(ENV_DB, &path)
                .env(ENV_NAME, format!("p{p}"))
                .env(ENV_SEED, (seed ^ ((p as u64 + 1) * 1000)).to_string())
                .env(ENV_MILLIS, millis.to_string());
            let mut child = cmd.spawn().expect("spawning a child");
            let stdout = child.stdout.take().unwrap();
            let reader = std::thread::spawn(move || {
                BufReader::new(stdout)
                    .lines()
                    .map_while(Result::ok)
                    .collect::<Vec<String>>()
            });
            (child, reader)
        })
        .collect();
    let db = Pivotal::open(&path).expect("opening the shared file");
    let deadline = Instant::now() + Duration::from_millis(millis);
    let stop = AtomicBool::new(false);

    let (reports, api, snapshots) = std::thread::scope(|s| {
        let writers: Vec<_> = (0..THREADS)
            .map(|t| {
                let db = db.clone();
                s.spawn(move || writer(&db, &format!("main{t}"), seed + t as u64, deadline))
            })
            .collect();
        let api = s.spawn(|| api_reader(&db, &stop));
        let snapshots = s.spawn(|| snapshot_reader(&path, &stop));
        let reports: Vec<WriterReport> = writers.into_iter().map(|h| h.join().unwrap()).collect();
        stop.store(true, Ordering::Relaxed);
        (reports, api.join().unwrap(), snapshots.join().unwrap())
    });

    let mut acks: Vec<Ack> = Vec::new();
    let mut latencies = Vec::new();
    let main_max = reports
        .iter()
        .map(|r| r.max_latency)
        .max()
        .unwrap_or_default();
    latencies.push(format!("main {} ms", main_max.as_millis()));
    for report in reports {
        acks.extend(report.acks);
    }
    for (p, (mut child, reader)) in children.into_iter().enumerate() {
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        assert!(
            status.success(),
            "child p{p} failed: {status}\n{}",
            lines.join("\n")
        );
        for line in lines {
            if let Some(json) = line.strip_prefix("@@ACK ") {
                acks.push(serde_json::from_str(json).unwrap());
            } else if let Some(ms) = line.strip_prefix("@@MAX_LATENCY_MS ") {
                latencies.push(format!("p{p} {ms} ms"));
            }
        }
    }

    let mut errors: Vec<String> = Vec::new();
    let storage_errors: Vec<&Ack> = acks
        .iter()
        .filter(|a| {
            a.err.as_deref().is_some_and(|c| {
                c.starts_with("storage") || c.starts_with("internal") || a.op == "discover"
            })
        })
        .collect();
    for a in storage_errors.iter().take(10) {
        errors.push(format!("{} {} failed: {:?}", a.actor, a.op, a.err));
    }
    errors.extend(api.1.iter().cloned());
    errors.extend(snapshots.1.iter().cloned());
    errors.extend(sqlite_checks(&path));
    let snapshot = Snapshot::read(&path).unwrap();
    errors.extend(snapshot.check());
    for ack in &acks {
        errors.extend(snapshot.check_ack(ack));
    }
    let actors: std::collections::HashSet<&str> = acks.iter().map(|a| a.actor.as_str()).collect();
    for e in &snapshot.events {
        if !actors.contains(e.actor.as_str()) {
            errors.push(format!(
                "event {} by {}, who reported no operation",
                e.id, e.actor
            ));
        }
    }
    errors.extend(snapshot.check_api(&db));

    let ok = acks.iter().filter(|a| a.ok.is_some()).count();
    eprintln!(
        "concurrency: {} operations ({ok} succeeded) by {} threads in 3 processes, {} events; \
         max operation latency: {}; API reader rounds {}, raw snapshot checks {}",
        acks.len(),
        THREADS + PROCESSES * THREADS_PER_PROCESS,
        snapshot.events.len(),
        latencies.join(", "),
        api.0,
        snapshots.0
    );
    assert!(
        errors.is_empty(),
        "PIVOTAL_CONCURRENCY_SEED={seed}:\n{}",
        errors.join("\n")
    );
    assert!(ok > 100, "too few operations succeeded: {ok}");
}

/// Many connections opening one fresh file at the same instant: every open succeeds, the schema
/// is created once, and there is one default workspace.
#[test]
fn racing_opens_of_a_fresh_file() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..15 {
        let path: PathBuf = dir.path().join(format!("fresh-{round}.db"));
        let barrier = Arc::new(Barrier::new(6));
        let results: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let barrier = barrier.clone();
                    let path = path.clone();
                    s.spawn(move || {
                        barrier.wait();
                        let db = Pivotal::open(&path)?;
                        db.customers().create(
                            pivotal_core::CustomerParams {
                                name: "Racer".into(),
                                slug: Some(format!("racer-{i}")),
                                ..Default::default()
                            },
                            None,
                        )?;
                        Ok::<_, pivotal_core::Error>(db.session().workspace.id.clone())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let workspaces: std::collections::BTreeSet<String> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("round {round}: {e}")))
            .collect();
        assert_eq!(workspaces.len(), 1, "round {round}: {workspaces:?}");
        let snapshot = Snapshot::read(&path).unwrap();
        let errors = snapshot.check();
        assert!(errors.is_empty(), "{errors:?}");
    }
}
