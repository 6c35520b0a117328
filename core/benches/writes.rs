//! Creates through the library against the hand-written rusqlite baseline (`baseline/mod.rs`):
//! single creates (one transaction each) and batch creates (`create_many`, one transaction), of
//! onboardings and of customers, on SQLite files.
//!
//! `cargo bench -p pivotal-core --bench writes` runs two passes:
//!
//! 1. the targets (BENCHMARKS.md): library and baseline measured in alternating rounds (so both
//!    see the same machine load), medians of the rounds, their ratio, and per-operation
//!    percentiles of single creates; printed and written to `target/bench-results/writes.json`;
//! 2. criterion groups of the same operations (batches of 10k), for criterion's statistics and
//!    its comparison with the previous run.
//!
//! `cargo test -p pivotal-core --bench writes` (or `PIVOTAL_BENCH_SMOKE=1`) runs both passes on a
//! few hundred rows, to check they still work.

#[path = "baseline/mod.rs"]
mod baseline;
#[path = "support/mod.rs"]
mod support;

use baseline::Baseline;
use criterion::{BatchSize, Criterion, SamplingMode, Throughput};
use pivotal_core::model::time::FixedClock;
use pivotal_core::{CustomerParams, OnboardingParams, Pivotal};
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{at, customer_params, onboarding_params, size, Latencies, T0};

/// Files of one run, in `target/bench-data/tmp` (the same disk as the fixtures).
struct Files {
    dir: tempfile::TempDir,
    next: AtomicUsize,
}

impl Files {
    fn new() -> Self {
        let parent = support::target_dir().join("bench-data").join("tmp");
        std::fs::create_dir_all(&parent).expect("the bench directory");
        Self {
            dir: tempfile::tempdir_in(parent).expect("a temporary directory"),
            next: AtomicUsize::new(0),
        }
    }

    /// A new file with `customers` customers (created through the library, untimed).
    fn with_customers(&self, customers: usize) -> (PathBuf, Pivotal, Arc<FixedClock>) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.path().join(format!("w{n}.db"));
        let clock = support::clock();
        let db = support::open(&path, &clock);
        for start in (0..customers).step_by(10_000) {
            let params = (start..(start + 10_000).min(customers))
                .map(customer_params)
                .collect();
            db.customers().create_many(params).expect("customers");
        }
        clock.advance_ms(1_000);
        (path, db, clock)
    }

    fn library(&self, customers: usize) -> Pivotal {
        self.with_customers(customers).1
    }

    fn baseline(&self, customers: usize) -> Baseline {
        let (path, db, _) = self.with_customers(customers);
        drop(db);
        Baseline::open(&path, at(T0 + 1_000))
    }

    /// Removes the files of finished rounds (they reach hundreds of MB).
    fn clean(&self) {
        if let Ok(entries) = std::fs::read_dir(self.dir.path()) {
            for e in entries.flatten() {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

fn onboardings(range: std::ops::Range<usize>, customers: usize) -> Vec<OnboardingParams> {
    range.map(|i| onboarding_params(i, customers)).collect()
}

/// Customers numbered from `from` (so their derived slugs are new in a file that has `from`).
fn customers(from: usize, n: usize) -> Vec<CustomerParams> {
    (from..from + n).map(customer_params).collect()
}

/// One side of a comparison: seconds per round, and per-operation latencies for single creates.
#[derive(Default)]
struct Side {
    seconds: Vec<f64>,
    ops: usize,
    latencies: Latencies,
}

impl Side {
    fn result(&mut self, items_per_round: usize) -> Value {
        let median = support::median_s(self.seconds.clone());
        json!({
            "rounds_s": self.seconds,
            "median_round_s": median,
            "per_second": items_per_round as f64 / median,
            "per_op": if self.latencies.len() > 0 { self.latencies.summary() } else { Value::Null },
        })
    }
}

/// Library ÷ baseline throughput, from the two sides' median rounds.
fn compare(name: &str, items: usize, library: &mut Side, baseline: &mut Side) -> Value {
    let (l, b) = (library.result(items), baseline.result(items));
    let ratio = l["per_second"].as_f64().unwrap() / b["per_second"].as_f64().unwrap();
    eprintln!(
        "{name}: library {:.0}/s, rusqlite {:.0}/s, ratio {ratio:.2}",
        l["per_second"].as_f64().unwrap(),
        b["per_second"].as_f64().unwrap()
    );
    json!({"items_per_round": items, "library": l, "rusqlite": b, "ratio": ratio})
}

/// Alternating rounds of a batch create: `lib(round)` and `base(round)` each return the time of
/// the timed part; the side that goes first alternates.
fn rounds(
    n: usize,
    mut lib: impl FnMut() -> Duration,
    mut base: impl FnMut() -> Duration,
) -> (Side, Side) {
    let (mut l, mut b) = (Side::default(), Side::default());
    for round in 0..n {
        if round % 2 == 0 {
            l.seconds.push(lib().as_secs_f64());
            b.seconds.push(base().as_secs_f64());
        } else {
            b.seconds.push(base().as_secs_f64());
            l.seconds.push(lib().as_secs_f64());
        }
    }
    (l, b)
}

/// Target 1: a batch of onboardings (100k) in one transaction; and the same for customers.
fn batch_targets(files: &Files, rounds_n: usize) -> Value {
    let n = size(100_000, 300);
    let c = n / support::PER_CUSTOMER;
    let (mut l, mut b) = rounds(
        rounds_n,
        || {
            let db = files.library(c);
            let params = onboardings(0..n, c);
            let started = Instant::now();
            black_box(db.onboardings().create_many(params).expect("the batch"));
            let took = started.elapsed();
            drop(db);
            files.clean();
            took
        },
        || {
            let mut base = files.baseline(c);
            let params = onboardings(0..n, c);
            let started = Instant::now();
            black_box(base.create_onboardings(&params));
            let took = started.elapsed();
            drop(base);
            files.clean();
            took
        },
    );
    let onboardings_batch = compare("onboardings batch", n, &mut l, &mut b);

    let n = size(10_000, 100);
    let (mut l, mut b) = rounds(
        rounds_n,
        || {
            let db = files.library(0);
            let params = customers(0, n);
            let started = Instant::now();
            black_box(db.customers().create_many(params).expect("the batch"));
            let took = started.elapsed();
            drop(db);
            files.clean();
            took
        },
        || {
            let mut base = files.baseline(0);
            let params = customers(0, n);
            let started = Instant::now();
            black_box(base.create_customers(&params));
            let took = started.elapsed();
            drop(base);
            files.clean();
            took
        },
    );
    let customers_batch = compare("customers batch", n, &mut l, &mut b);
    json!({"onboardings": onboardings_batch, "customers": customers_batch})
}

/// Target 2: single creates, one transaction each, timed one by one, in alternating rounds on
/// two files that start with 1,000 customers.
fn single_targets(files: &Files, rounds_n: usize) -> Value {
    let per_round = size(2_000, 50);
    let c = 1_000;
    let db = files.library(c);
    let mut base = files.baseline(c);
    let (mut l, mut b) = (Side::default(), Side::default());
    let lib_round = |round: usize, l: &mut Side| {
        let params = onboardings(round * per_round..(round + 1) * per_round, c);
        let started = Instant::now();
        for p in params {
            l.latencies
                .time(|| black_box(db.onboardings().create(p, None).expect("a create")));
        }
        l.seconds.push(started.elapsed().as_secs_f64());
        l.ops += per_round;
    };
    let mut base_round = |round: usize, b: &mut Side| {
        let params = onboardings(round * per_round..(round + 1) * per_round, c);
        let started = Instant::now();
        for p in &params {
            b.latencies.time(|| black_box(base.create_onboarding(p)));
        }
        b.seconds.push(started.elapsed().as_secs_f64());
        b.ops += per_round;
    };
    for round in 0..rounds_n {
        if round % 2 == 0 {
            lib_round(round, &mut l);
            base_round(round, &mut b);
        } else {
            base_round(round, &mut b);
            lib_round(round, &mut l);
        }
    }
    let onboardings_single = compare("onboarding single", per_round, &mut l, &mut b);

    let (mut l, mut b) = (Side::default(), Side::default());
    for round in 0..rounds_n {
        let from = c + round * per_round;
        let lib = |l: &mut Side| {
            let started = Instant::now();
            for p in customers(from, per_round) {
                l.latencies
                    .time(|| black_box(db.customers().create(p, None).expect("a create")));
            }
            l.seconds.push(started.elapsed().as_secs_f64());
        };
        let mut bas = |b: &mut Side| {
            let params = customers(from, per_round);
            let started = Instant::now();
            for p in &params {
                b.latencies.time(|| black_box(base.create_customer(p)));
            }
            b.seconds.push(started.elapsed().as_secs_f64());
        };
        if round % 2 == 0 {
            lib(&mut l);
            bas(&mut b);
        } else {
            bas(&mut b);
            lib(&mut l);
        }
    }
    let customers_single = compare("customer single", per_round, &mut l, &mut b);
    drop((db, base));
    files.clean();
    json!({"onboardings": onboardings_single, "customers": customers_single})
}

fn targets() {
    let files = Files::new();
    let rounds_n = support::rounds(5);
    let started = Instant::now();
    let machine_before = support::machine();
    let single = single_targets(&files, rounds_n);
    let batch = batch_targets(&files, rounds_n);
    let results = json!({
        "bench": "writes",
        "command": "cargo bench -p pivotal-core --bench writes",
        "machine_before": machine_before,
        "machine_after": support::machine(),
        "took_s": started.elapsed().as_secs_f64(),
        "single": single,
        "batch": batch,
    });
    support::write_results("writes", &results);
}

fn criterion_groups(c: &mut Criterion) {
    let files = Files::new();
    let customers_n = 1_000;

    let mut group = c.benchmark_group("create_onboarding");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(5));
    let db = files.library(customers_n);
    let mut i = 0;
    group.bench_function("library", |bench| {
        bench.iter(|| {
            i += 1;
            let p = onboarding_params(i, customers_n);
            black_box(db.onboardings().create(p, None).expect("a create"))
        })
    });
    let mut base = files.baseline(customers_n);
    let mut i = 0;
    group.bench_function("rusqlite", |bench| {
        bench.iter(|| {
            i += 1;
            let p = onboarding_params(i, customers_n);
            black_box(base.create_onboarding(&p))
        })
    });
    group.finish();
    drop((db, base));
    files.clean();

    let n = size(10_000, 100);
    let c_n = n / support::PER_CUSTOMER;
    let mut group = c.benchmark_group("create_onboardings_batch_10k");
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("library", |bench| {
        bench.iter_batched(
            || (files.library(c_n), onboardings(0..n, c_n)),
            |(db, params)| {
                black_box(db.onboardings().create_many(params).expect("the batch"));
                db
            },
            BatchSize::PerIteration,
        )
    });
    files.clean();
    group.bench_function("rusqlite", |bench| {
        bench.iter_batched(
            || (files.baseline(c_n), onboardings(0..n, c_n)),
            |(mut base, params)| {
                black_box(base.create_onboardings(&params));
                base
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    files.clean();
}

fn main() {
    if support::pass("targets") {
        targets();
    }
    if support::pass("criterion") {
        let mut c = Criterion::default().configure_from_args();
        criterion_groups(&mut c);
        c.final_summary();
    }
}
