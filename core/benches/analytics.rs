//! The workspace report (docs/reference.md#analytics) over 10k and 100k onboardings, on a SQLite file and in memory.
//!
//! Run with `cargo bench -p pivotal-core --bench analytics` (results in BENCHMARKS.md). The data
//! is loaded through the store's transaction API in one write (the path a bulk import takes), so
//! the setup takes seconds, not the minutes 100k service calls would. `cargo test -p pivotal-core
//! --bench analytics` (or `PIVOTAL_BENCH_SMOKE=1`) runs each report once on 200 and 1,000
//! onboardings, to check the bench still works.

#[path = "support/report_data.rs"]
mod report_data;
#[path = "support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use pivotal_core::store::conformance::fixtures::at;
use pivotal_core::{MemoryStore, Pivotal, SqliteStore, WorkspaceReportParams};
use report_data::{customer, load, DAY, T0};
use std::hint::black_box;
use std::time::Duration;

fn report(db: &Pivotal, params: &WorkspaceReportParams) -> i64 {
    db.analytics()
        .workspace(params)
        .expect("the report runs")
        .total
}

fn bench_reports(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let everything = WorkspaceReportParams {
        stalled_after_days: Some(14.0),
        ..Default::default()
    };
    let half_year = WorkspaceReportParams {
        as_of: Some(at(T0 + 182 * DAY)),
        ..everything.clone()
    };
    let one_csm = WorkspaceReportParams {
        csm_id: Some("csm_3".into()),
        ..everything.clone()
    };
    let one_customer = WorkspaceReportParams {
        customer_id: Some(customer(42).id),
        ..everything.clone()
    };

    let (small, large) = (support::size(10_000, 200), support::size(100_000, 1_000));
    for n in [small, large] {
        let path = dir.path().join(format!("bench-{n}.db"));
        let sqlite = SqliteStore::open(&path).expect("the file opens");
        let (db, rows, took) = load(Box::new(sqlite), n);
        let total = report(&db, &everything);
        eprintln!("sqlite: {n} onboardings, {rows} history rows, loaded in {took:?}; {total} in the report");

        let mut group = c.benchmark_group(format!("workspace_report/sqlite/{n}"));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(if n > small { 20 } else { 5 }));
        group.bench_function("all", |b| b.iter(|| black_box(report(&db, &everything))));
        group.bench_function("as_of_mid_year", |b| {
            b.iter(|| black_box(report(&db, &half_year)))
        });
        group.bench_function("one_csm", |b| b.iter(|| black_box(report(&db, &one_csm))));
        group.bench_function("one_customer", |b| {
            b.iter(|| black_box(report(&db, &one_customer)))
        });
        group.finish();

        if n == large {
            let id = "onb_bench000000000000042";
            c.bench_function(&format!("onboarding_metrics/sqlite/{large}"), |b| {
                b.iter(|| black_box(db.analytics().onboarding(id, None).expect("metrics")))
            });
        }
    }

    let (db, rows, took) = load(Box::new(MemoryStore::new()), large);
    eprintln!("memory: {large} onboardings, {rows} history rows, loaded in {took:?}");
    let mut group = c.benchmark_group(format!("workspace_report/memory/{large}"));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("all", |b| b.iter(|| black_box(report(&db, &everything))));
    group.finish();
}

criterion_group!(benches, bench_reports);
criterion_main!(benches);
