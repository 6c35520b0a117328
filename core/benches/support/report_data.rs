//! The data of the workspace-report benches (`analytics`, `postgres`): onboardings with a year of
//! history, loaded through the store's transaction API in one write (the path a bulk import
//! takes), so that the setup takes seconds, not the minutes 100k service calls would. Each bench
//! uses part of it.
#![allow(dead_code)]

use pivotal_core::analytics::{NewHistoryEntry, Snapshot};
use pivotal_core::model::time::FixedClock;
use pivotal_core::store::conformance::fixtures::{at, bare_customer, bare_onboarding, live};
use pivotal_core::store::{DisplayKind, StoreExt, Tx};
use pivotal_core::{Customer, Onboarding, Phase, Pivotal, State, Store, Workspace};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const DAY: i64 = 86_400_000;
/// 2024-01-01T00:00:00.000Z: the first onboarding starts then; the clock stands a year later.
pub const T0: i64 = 1_704_067_200_000;
const WORKSPACE: &str = "org_bench000000000000000";
const CUSTOMERS: usize = 1_000;

pub fn customer(i: usize) -> Customer {
    bare_customer(&format!("cus_bench{i:015}"), i as i64 + 1, at(T0))
}

/// One onboarding's life: created some day of the year, then walking forward through the phases
/// (now and then back one), waiting on the customer, at risk, paused; about 6 history entries
/// each, a third of them completed by the end.
fn life(rng: &mut StdRng, n: usize) -> (Onboarding, Vec<NewHistoryEntry>) {
    let id = format!("onb_bench{n:015}");
    let mut t = T0 + rng.random_range(0..300) * DAY;
    let mut snapshot = Snapshot {
        phase: Phase::BeforeGettingStarted,
        state: State::Active,
        started_at: at(t),
        target_launch_date: rng
            .random_bool(0.8)
            .then(|| at(t + rng.random_range(30..120) * DAY)),
        csm_id: Some(format!("csm_{}", n % 20)),
        template_id: Some(format!("tpl_{}", n % 5)),
    };
    let mut entries = vec![NewHistoryEntry {
        onboarding_id: id.clone(),
        at: at(t),
        previous_phase: None,
        snapshot: snapshot.clone(),
    }];
    for _ in 0..rng.random_range(0..11) {
        if snapshot.phase == Phase::Completed {
            break;
        }
        t += rng.random_range(1..10) * DAY / 2;
        let previous_phase = Some(snapshot.phase);
        let roll = rng.random_range(0..100);
        match roll {
            0..=49 if snapshot.state != State::Paused => {
                snapshot.phase = Phase::ALL[snapshot.phase.index() + 1];
                if snapshot.phase == Phase::Completed {
                    snapshot.state = State::Active;
                }
            }
            50..=54 if snapshot.phase != Phase::BeforeGettingStarted => {
                snapshot.phase = Phase::ALL[snapshot.phase.index() - 1];
            }
            55..=79 => {
                snapshot.state = if snapshot.state == State::Waiting {
                    State::Active
                } else {
                    State::Waiting
                };
            }
            80..=91 => {
                snapshot.state = if snapshot.state == State::AtRisk {
                    State::Active
                } else {
                    State::AtRisk
                };
            }
            92..=95 => {
                snapshot.state = if snapshot.state == State::Paused {
                    State::Active
                } else {
                    State::Paused
                };
            }
            _ => continue,
        }
        entries.push(NewHistoryEntry {
            onboarding_id: id.clone(),
            at: at(t),
            previous_phase,
            snapshot: snapshot.clone(),
        });
    }
    let created = entries[0].at;
    let onboarding = Onboarding {
        template_id: snapshot.template_id.clone(),
        phase: snapshot.phase,
        state: snapshot.state,
        started_at: snapshot.started_at,
        target_launch_date: snapshot.target_launch_date,
        csm_id: snapshot.csm_id.clone(),
        waiting_on_customer: snapshot.state == State::Waiting,
        waiting_on_customer_since: (snapshot.state == State::Waiting).then_some(created),
        updated_at: at(t),
        ..bare_onboarding(&id, n as i64 + 1, &customer(n % CUSTOMERS).id, created)
    };
    (onboarding, entries)
}

/// Loads `n` onboardings (2% of them deleted) into `store` in one transaction and opens a
/// session over it with the clock a year after T0. Returns the session, the history row count
/// and how long the load took.
pub fn load(store: Box<dyn Store>, n: usize) -> (Pivotal, usize, Duration) {
    load_in_chunks(store, n, n)
}

/// [`load`], in transactions of `chunk` onboardings (PostgreSQL slows down on one transaction
/// that takes tens of thousands of display ids: BENCHMARKS.md).
pub fn load_in_chunks(store: Box<dyn Store>, n: usize, chunk: usize) -> (Pivotal, usize, Duration) {
    let started = Instant::now();
    let scope = live(WORKSPACE);
    let mut rng = StdRng::seed_from_u64(2024);
    store
        .write_with(|tx: &mut dyn Tx| {
            let workspace = Workspace {
                id: WORKSPACE.into(),
                slug: "default".into(),
                name: "Bench".into(),
            };
            tx.insert_workspace(&workspace, at(T0))?;
            for i in 0..CUSTOMERS {
                tx.next_display_id(WORKSPACE, DisplayKind::Customer)?;
                tx.insert_customer(&scope, &customer(i))?;
            }
            Ok(())
        })
        .expect("the customers load");
    let mut rows = 0;
    for first in (0..n).step_by(chunk.max(1)) {
        rows += store
            .write_with(|tx: &mut dyn Tx| {
                let mut rows = 0;
                for i in first..n.min(first + chunk.max(1)) {
                    let (onboarding, entries) = life(&mut rng, i);
                    tx.next_display_id(WORKSPACE, DisplayKind::Onboarding)?;
                    tx.insert_onboarding(&scope, &onboarding)?;
                    rows += entries.len();
                    for entry in entries {
                        tx.append_history(&scope, entry)?;
                    }
                    if i % 50 == 7 {
                        tx.delete_onboarding(&scope, &onboarding.id, at(T0 + 360 * DAY))?;
                    }
                }
                Ok(rows)
            })
            .expect("the data loads");
    }
    let clock = Arc::new(FixedClock::new(at(T0 + 365 * DAY)));
    let db = Pivotal::options()
        .clock(clock)
        .with_store(store)
        .expect("the store opens");
    (db, rows, started.elapsed())
}
