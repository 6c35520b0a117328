//! Crash safety: a child process runs random operations on a SQLite file through the public API,
//! printing an acknowledgement after each one returns, and is killed with SIGKILL at a random
//! moment. After each kill the file is reopened and checked (see [`Snapshot::check`] and
//! [`Snapshot::check_ack`]): SQLite's integrity and foreign keys, every acknowledged operation
//! present with its events, nothing half-applied, the SPEC invariants.
//!
//! `crash_trials` runs one child in four with `Durability::Full` (`synchronous=FULL`), the others
//! with the default `Normal`; `crash_trials_full_durability` runs every child with `Full`.
//! `PIVOTAL_CRASH_TRIALS` (default 200) and `PIVOTAL_CRASH_FULL_TRIALS` (default 30) set their
//! numbers of kills, e.g. 10000 and 1000 for a soak; `PIVOTAL_CRASH_SEED` repeats a run. The child
//! is this test binary itself, run as `crash_child`.
//!
//! A kill tests what survives the process dying, not the machine: a power cut (what `Full` is
//! for) would need a VM or a fault-injecting block device, which the test machines do not have.

mod reliability_support;

use pivotal_core::{Durability, Pivotal};
use reliability_support::{
    child_command, env_u64, seed_from_env, sqlite_checks, Ack, Rng, Snapshot, Workload,
};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ENV_DB: &str = "PIVOTAL_CRASH_CHILD_DB";
const ENV_SEED: &str = "PIVOTAL_CRASH_CHILD_SEED";
const ENV_TRIAL: &str = "PIVOTAL_CRASH_CHILD_TRIAL";
const ENV_FULL: &str = "PIVOTAL_CRASH_CHILD_FULL";

/// Kills on one file before starting a fresh one (the log grows, and so does checking it).
const TRIALS_PER_FILE: u64 = 10;

/// The child: opens the file, then runs operations until killed, printing `@@START <actor>`
/// before and `@@ACK <json>` after each one.
#[test]
#[ignore = "the child process of crash_trials, which runs it"]
fn crash_child() {
    let Ok(path) = std::env::var(ENV_DB) else {
        return;
    };
    let seed = env_u64(ENV_SEED, 1);
    let trial = env_u64(ENV_TRIAL, 0);
    let durability = if std::env::var_os(ENV_FULL).is_some() {
        Durability::Full
    } else {
        Durability::Normal
    };
    let mut out = std::io::stdout().lock();
    let db = Pivotal::options()
        .actor("crash")
        .durability(durability)
        .open(&path)
        .expect("the child opens the file");
    let mut work = Workload::discover(&db).expect("the child lists the file");
    writeln!(out, "@@READY").unwrap();
    out.flush().unwrap();
    let mut rng = Rng::new(seed);
    for n in 0..200_000u64 {
        let actor = format!("t{trial}-{n}");
        writeln!(out, "@@START {actor}").unwrap();
        out.flush().unwrap();
        let ack = work.step(&db, &mut rng, &actor, &format!("t{trial}"));
        if ack
            .err
            .as_deref()
            .is_some_and(|c| c.starts_with("storage") || c == "internal")
        {
            panic!("{} failed with {:?}", ack.op, ack.err);
        }
        writeln!(out, "@@ACK {}", serde_json::to_string(&ack).unwrap()).unwrap();
        out.flush().unwrap();
    }
}

/// What one kill left behind, for the summary.
#[derive(Default)]
struct Stats {
    acks: u64,
    full_trials: u64,
    full_acks: u64,
    before_ready: u64,
    mid_op_committed: u64,
    mid_op_not_committed: u64,
    between_ops: u64,
}

/// Which children run with `Durability::Full`.
#[derive(Clone, Copy)]
enum Mix {
    /// One in four, the others `Normal`.
    OneInFour,
    /// Every child.
    AllFull,
}

#[test]
fn crash_trials() {
    run_trials(
        "crash_trials",
        env_u64("PIVOTAL_CRASH_TRIALS", 200),
        Mix::OneInFour,
    );
}

#[test]
fn crash_trials_full_durability() {
    run_trials(
        "crash_trials_full_durability",
        env_u64("PIVOTAL_CRASH_FULL_TRIALS", 30),
        Mix::AllFull,
    );
}

/// One run of trials at a time: a run copies this binary while the other spawns children, and a
/// child forked then holds the copy open for writing until it execs, so that exec'ing the copy
/// fails with "text file busy" (ETXTBSY).
static ONE_RUN_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Kills `trials` children at random moments, checking the file after each kill.
fn run_trials(name: &str, trials: u64, mix: Mix) {
    let _one = ONE_RUN_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let seed = seed_from_env("PIVOTAL_CRASH_SEED");
    eprintln!("{name}: {trials} trials, PIVOTAL_CRASH_SEED={seed}");
    let started = Instant::now();
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let exe = reliability_support::copy_of_this_binary(dir.path());
    let mut stats = Stats::default();
    let mut verify_time = Duration::ZERO;
    let mut acks: Vec<Ack> = Vec::new();
    // Operations in flight at earlier kills: they may or may not have committed.
    let mut unacked: Vec<String> = Vec::new();
    let mut path = PathBuf::new();
    for trial in 0..trials {
        if trial % TRIALS_PER_FILE == 0 {
            if trial > 0 {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            path = dir.path().join(format!("crash-{trial}.db"));
            acks.clear();
            unacked.clear();
        }
        // Mostly kills while operations run; some during start-up (creating, migrating or
        // recovering the file).
        let fresh = trial % TRIALS_PER_FILE == 0;
        let at_startup = rng.chance(if fresh { 60 } else { 10 });
        let delay = Duration::from_micros(if at_startup {
            rng.below(15_000)
        } else {
            rng.below(60_000)
        });
        let mut cmd = child_command(&exe, "crash_child");
        cmd.env(ENV_DB, &path)
            .env(ENV_SEED, rng.next_u64().to_string())
            .env(ENV_TRIAL, trial.to_string());
        let full = match mix {
            Mix::OneInFour => rng.chance(25),
            Mix::AllFull => true,
        };
        if full {
            cmd.env(ENV_FULL, "1");
            stats.full_trials += 1;
        }
        let mut child = cmd.spawn().expect("spawning the child");
        let stdout = child.stdout.take().unwrap();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line == "@@READY" {
                    let _ = ready_tx.send(());
                }
                lines.push(line);
            }
            lines
        });
        if !at_startup {
            // A child that never gets ready is reported below, from its output.
            let _ = ready_rx.recv_timeout(Duration::from_secs(30));
        }
        std::thread::sleep(delay);
        child.kill().expect("SIGKILL");
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        if status.code().is_some() {
            panic!(
                "trial {trial}: the child exited by itself ({status}); PIVOTAL_CRASH_SEED={seed}\n{}",
                lines.join("\n")
            );
        }

        let mut last_started = None;
        let mut ready = false;
        let mut trial_acks = 0;
        for line in &lines {
            if let Some(actor) = line.strip_prefix("@@START ") {
                last_started = Some(actor.to_owned());
            } else if let Some(json) = line.strip_prefix("@@ACK ") {
                let ack: Ack = serde_json::from_str(json).expect("an ack line");
                acks.push(ack);
                trial_acks += 1;
            } else if line == "@@READY" {
                ready = true;
            }
        }
        stats.acks += trial_acks;
        if full {
            stats.full_acks += trial_acks;
        }
        let in_flight = last_started.filter(|a| acks.last().map(|k| &k.actor) != Some(a));

        if let Some(actor) = &in_flight {
            unacked.push(actor.clone());
        }
        let verify_started = Instant::now();
        let errors = verify_copy(
            &path,
            dir.path(),
            &acks,
            &unacked,
            in_flight.as_deref(),
            &mut stats,
            ready,
        );
        verify_time += verify_started.elapsed();
        if !errors.is_empty() {
            let keep = std::env::temp_dir().join(format!("pivotal-crash-{seed}-{trial}"));
            let _ = std::fs::create_dir_all(&keep);
            for suffix in ["", "-wal"] {
                let from = PathBuf::from(format!("{}{suffix}", path.display()));
                let _ = std::fs::copy(&from, keep.join(format!("crash.db{suffix}")));
            }
            panic!(
                "trial {trial} (PIVOTAL_CRASH_SEED={seed}), in flight {in_flight:?}, files kept in {}:\n{}",
                keep.display(),
                errors.join("\n")
            );
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{name}: {trials} kills in {:.1}s ({:.1}s checking); {} acknowledged operations, all found ({} kills \
         and {} operations with Durability::Full); killed before the file was open {}, between operations {}, \
         mid-operation {} (committed {}, rolled back {})",
        elapsed.as_secs_f64(),
        verify_time.as_secs_f64(),
        stats.acks,
        stats.full_trials,
        stats.full_acks,
        stats.before_ready,
        stats.between_ops,
        stats.mid_op_committed + stats.mid_op_not_committed,
        stats.mid_op_committed,
        stats.mid_op_not_committed,
    );
}

/// Copies the killed child's file (and its WAL, not yet checkpointed) aside, so the next child
/// recovers the crashed original, and checks the copy.
fn verify_copy(
    path: &Path,
    dir: &Path,
    acks: &[Ack],
    unacked: &[String],
    in_flight: Option<&str>,
    stats: &mut Stats,
    ready: bool,
) -> Vec<String> {
    let copy = dir.join("check.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    if !path.exists() {
        stats.before_ready += 1;
        return vec![];
    }
    std::fs::copy(path, &copy).unwrap();
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if wal.exists() {
        std::fs::copy(&wal, format!("{}-wal", copy.display())).unwrap();
    }

    // The library must open whatever a kill left.
    let db = match Pivotal::open(&copy) {
        Ok(db) => db,
        Err(e) => return vec![format!("reopening after the kill: {e}")],
    };
    let mut errors = sqlite_checks(&copy);
    let snapshot = match Snapshot::read(&copy) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    errors.extend(snapshot.check());
    for ack in acks {
        errors.extend(snapshot.check_ack(ack));
    }
    // Operations run one at a time: only those in flight at a kill may have written beyond the
    // acknowledged ones.
    let acked: std::collections::HashSet<&str> = acks
        .iter()
        .map(|a| a.actor.as_str())
        .chain(unacked.iter().map(String::as_str))
        .collect();
    let mut in_flight_wrote = false;
    for e in &snapshot.events {
        if Some(e.actor.as_str()) == in_flight {
            in_flight_wrote = true;
        } else if !acked.contains(e.actor.as_str()) {
            errors.push(format!(
                "event {} {} by {} of no acknowledged or in-flight operation",
                e.id, e.event_type, e.actor
            ));
        }
    }
    if !ready {
        stats.before_ready += 1;
    } else if in_flight.is_none() {
        stats.between_ops += 1;
    } else if in_flight_wrote {
        stats.mid_op_committed += 1;
    } else {
        stats.mid_op_not_committed += 1;
    }
    errors.extend(snapshot.check_api(&db));
    errors
}

/// The checker itself: a file with everything consistent passes, and each kind of damage a
/// half-applied operation would leave is reported.
#[test]
fn the_checker_notices_half_applied_operations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.db");
    {
        let db = Pivotal::open(&path).unwrap();
        let mut work = Workload::default();
        let mut rng = Rng::new(11);
        let mut transitions = 0;
        for n in 0..400 {
            let ack = work.step(&db, &mut rng, &format!("op-{n}"), "x");
            if ack.op == "onboardings.update" && ack.ok.is_some() {
                transitions += 1;
            }
        }
        assert!(transitions > 10, "the workload changes onboardings");
    }
    let snapshot = Snapshot::read(&path).unwrap();
    assert_eq!(snapshot.check(), Vec::<String>::new());
    assert!(sqlite_checks(&path).is_empty());
    let damages = [
        "DELETE FROM events WHERE sequence = (SELECT max(sequence) FROM events)",
        "DELETE FROM events WHERE type = 'onboarding.phase_changed' AND rowid =
           (SELECT max(rowid) FROM events WHERE type = 'onboarding.phase_changed')",
        "DELETE FROM phase_transitions WHERE seq = (SELECT max(seq) FROM phase_transitions)",
        "DELETE FROM events WHERE type LIKE '%.created' AND rowid =
           (SELECT min(rowid) FROM events WHERE type = 'contact.created')",
        "UPDATE onboardings SET state = 'waiting' WHERE rowid =
           (SELECT min(rowid) FROM onboardings WHERE state = 'active')",
        "UPDATE onboardings SET updated_at = updated_at + 1 WHERE rowid = 1",
        "UPDATE customers SET deleted_at = 1 WHERE rowid =
           (SELECT min(rowid) FROM customers WHERE deleted_at IS NULL)",
        "UPDATE counters SET value = value + 1 WHERE kind = 'contact'",
        "UPDATE events SET sequence = sequence + 1 WHERE sequence = (SELECT max(sequence) FROM events)",
        "UPDATE contacts SET is_primary = 1 WHERE deleted_at IS NULL",
        "PRAGMA foreign_keys = OFF; DELETE FROM contacts WHERE rowid = 1",
        "INSERT INTO events SELECT workspace_id, (SELECT max(sequence) + 1 FROM events), livemode,
           'evt_extra', 'onboarding.launched', object_id, customer_id, created_at, 'someone', data
           FROM events WHERE type = 'onboarding.created' LIMIT 1",
    ];
    for damage in damages {
        let copy = dir.path().join("damaged.db");
        std::fs::copy(&path, &copy).unwrap();
        {
            let conn = rusqlite::Connection::open(&copy).unwrap();
            let changed = conn.execute_batch(damage).map(|_| conn.changes());
            assert!(changed.is_ok_and(|n| n > 0), "{damage}: changed nothing");
        }
        let errors = Snapshot::read(&copy).unwrap().check();
        assert!(!errors.is_empty(), "not noticed: {damage}");
        std::fs::remove_file(&copy).unwrap();
    }
}
