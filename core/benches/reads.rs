//! Reads through the library at 10k, 100k and 1M onboardings (10 per customer), against the
//! hand-written rusqlite baseline for the same reads; and opening a store.
//!
//! The data files are built once through the batch API and cached under `target/bench-data/`
//! (see `support::fixture`; the 1M file takes a few minutes the first time).
//!
//! `cargo bench -p pivotal-core --bench reads` runs two passes:
//!
//! 1. the targets (BENCHMARKS.md): per-operation latency percentiles of retrieve (by id, by
//!    display id), list a customer's onboardings, one page of the list filtered by phase (the
//!    first page and a page deep in the list), each at every size, with the growth from 10k to
//!    1M; the same with the file memory-mapped (`Options::mmap_size`); the baseline's retrieve and
//!    phase page timed alternately with the library's; opening an existing file and creating a
//!    new one. Written to `target/bench-results/reads.json`.
//! 2. criterion groups of the same operations.
//!
//! `cargo test -p pivotal-core --bench reads` (or `PIVOTAL_BENCH_SMOKE=1`) runs both on tiny files.

#[path = "baseline/mod.rs"]
mod baseline;
#[path = "support/mod.rs"]
mod support;

use baseline::Baseline;
use criterion::Criterion;
use pivotal_core::model::time::format;
use pivotal_core::{OnboardingListParams, Options, Phase, Pivotal};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use support::{at, size, smoke, Latencies, T0};

/// Onboardings sampled per file; every timed operation cycles through them. Enough that at 1M
/// their pages (about 35,000) far exceed the 32 MiB page cache (8,192 pages): the reads measure a
/// file larger than the cache, not a hot set held in it.
const KEYS: usize = 20_000;

/// The memory map of the `mmap` variant: the whole file (SQLite caps it just under 2 GiB).
const MMAP_BYTES: u64 = 2 << 30;

fn sizes() -> Vec<usize> {
    if smoke() {
        vec![100, 1_000]
    } else {
        vec![10_000, 100_000, 1_000_000]
    }
}

/// Random onboardings of a file: (id, display id, customer id, created_at).
struct Keys {
    onboardings: Vec<(String, i64, String, i64)>,
}

impl Keys {
    fn sample(path: &Path, n: usize) -> Self {
        let conn = rusqlite::Connection::open(path).expect("the fixture opens");
        let mut stmt = conn
            .prepare(
                "SELECT id, display_id, customer_id, created_at FROM onboardings WHERE rowid = ?1",
            )
            .unwrap();
        let mut rng = StdRng::seed_from_u64(n as u64);
        let onboardings = (0..KEYS)
            .map(|_| {
                let rowid = rng.random_range(1..=n as i64);
                stmt.query_row([rowid], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .expect("a sampled onboarding")
            })
            .collect();
        Self { onboardings }
    }

    fn get(&self, i: usize) -> &(String, i64, String, i64) {
        &self.onboardings[i % self.onboardings.len()]
    }

    /// A phase filter and, for deep pages, a cursor (`created_at` of a random onboarding).
    fn phase_page(&self, i: usize, deep: bool) -> OnboardingListParams {
        let (_, _, _, created) = self.get(i * 7919);
        OnboardingListParams {
            phase: Some(Phase::ALL[i % Phase::ALL.len()]),
            cursor: deep.then(|| format(&at(*created))),
            ..Default::default()
        }
    }
}

/// One file's readers: the library as shipped, the library with the file memory-mapped
/// (`Options::mmap_size`), and the baseline, all opened on it.
struct Readers {
    n: usize,
    path: PathBuf,
    db: Pivotal,
    mapped: Pivotal,
    base: Baseline,
    keys: Keys,
}

impl Readers {
    fn open(n: usize, tmp: &Path) -> Self {
        let path = support::fixture(n, tmp);
        let db = Pivotal::open(&path).expect("the fixture opens");
        let mapped = Options::default()
            .mmap_size(MMAP_BYTES)
            .open(&path)
            .expect("the fixture opens, mapped");
        let base = Baseline::open(&path, at(T0));
        let keys = Keys::sample(&path, n);
        Self {
            n,
            path,
            db,
            mapped,
            base,
            keys,
        }
    }

    fn retrieve_by_id(&self, db: &Pivotal, i: usize) {
        black_box(db.onboardings().retrieve(&self.keys.get(i).0).unwrap());
    }

    fn retrieve_by_display_id(&self, db: &Pivotal, i: usize) {
        let display = self.keys.get(i).1.to_string();
        black_box(db.onboardings().retrieve(&display).unwrap());
    }

    fn list_for_customer(&self, db: &Pivotal, i: usize) {
        let customer = &self.keys.get(i).2;
        let page = db.onboardings().list_for_customer(customer).unwrap();
        assert!(!page.data.is_empty());
        black_box(page);
    }

    fn list_by_phase(&self, db: &Pivotal, i: usize, deep: bool) {
        let params = self.keys.phase_page(i, deep);
        black_box(db.onboardings().list(&params).unwrap());
    }

    fn base_retrieve_by_id(&self, i: usize) {
        black_box(self.base.retrieve_onboarding(&self.keys.get(i).0).unwrap());
    }

    fn base_list_by_phase(&self, i: usize) {
        black_box(self.base.list_by_phase(Phase::ALL[i % Phase::ALL.len()]));
    }
}

/// Times `ops` calls of `f(i)` one by one after one warm-up pass over the keys.
fn latencies(ops: usize, mut f: impl FnMut(usize)) -> Latencies {
    for i in 0..KEYS.min(ops) {
        f(i);
    }
    let mut l = Latencies::with_capacity(ops);
    for i in 0..ops {
        l.time(|| f(i));
    }
    l
}

/// Times `lib(i)` and `base(i)` alternately (which goes first alternates too).
fn paired(
    ops: usize,
    mut lib: impl FnMut(usize),
    mut base: impl FnMut(usize),
) -> (Latencies, Latencies) {
    for i in 0..KEYS.min(ops) {
        lib(i);
        base(i);
    }
    let (mut l, mut b) = (Latencies::with_capacity(ops), Latencies::with_capacity(ops));
    for i in 0..ops {
        if i % 2 == 0 {
            l.time(|| lib(i));
            b.time(|| base(i));
        } else {
            b.time(|| base(i));
            l.time(|| lib(i));
        }
    }
    (l, b)
}

/// The library's latencies at one size (as shipped, then mapped), and the paired baseline ones.
fn size_targets(r: &Readers) -> Value {
    let ops = size(20_000, 200);
    let started = Instant::now();
    let (mut by_id, mut base_by_id) = paired(
        ops,
        |i| r.retrieve_by_id(&r.db, i),
        |i| r.base_retrieve_by_id(i),
    );
    let (mut first_page, mut base_first_page) = paired(
        ops / 4,
        |i| r.list_by_phase(&r.db, i, false),
        |i| r.base_list_by_phase(i),
    );
    let library = json!({
        "retrieve_by_id": by_id.summary(),
        "retrieve_by_display_id": latencies(ops, |i| r.retrieve_by_display_id(&r.db, i)).summary(),
        "list_for_customer": latencies(ops, |i| r.list_for_customer(&r.db, i)).summary(),
        "list_by_phase_first_page": first_page.summary(),
        "list_by_phase_deep_page": latencies(ops / 4, |i| r.list_by_phase(&r.db, i, true)).summary(),
    });
    let mapped = json!({
        "retrieve_by_id": latencies(ops, |i| r.retrieve_by_id(&r.mapped, i)).summary(),
        "retrieve_by_display_id":
            latencies(ops, |i| r.retrieve_by_display_id(&r.mapped, i)).summary(),
        "list_for_customer": latencies(ops, |i| r.list_for_customer(&r.mapped, i)).summary(),
        "list_by_phase_first_page":
            latencies(ops / 4, |i| r.list_by_phase(&r.mapped, i, false)).summary(),
        "list_by_phase_deep_page":
            latencies(ops / 4, |i| r.list_by_phase(&r.mapped, i, true)).summary(),
    });
    let file_mb = std::fs::metadata(&r.path).map_or(0, |m| m.len()) / 1_000_000;
    eprintln!(
        "reads at {}: retrieve p50 {:.1} µs p99 {:.1} µs (rusqlite p50 {:.1}, mapped p50 {:.1}); \
         phase page p99 {:.1}",
        r.n,
        by_id.percentile_us(50.0),
        by_id.percentile_us(99.0),
        base_by_id.percentile_us(50.0),
        mapped["retrieve_by_id"]["p50_us"]
            .as_f64()
            .unwrap_or(f64::NAN),
        first_page.percentile_us(99.0),
    );
    json!({
        "onboardings": r.n,
        "customers": r.n / support::PER_CUSTOMER,
        "file": r.path.display().to_string(),
        "file_mb": file_mb,
        "took_s": started.elapsed().as_secs_f64(),
        "library": library,
        "library_mmap": mapped,
        "rusqlite": {
            "retrieve_by_id": base_by_id.summary(),
            "list_by_phase_first_page": base_first_page.summary(),
        },
    })
}

/// Target 7: opening an existing file (the largest fixture), and creating a new one.
fn open_targets(existing: &Path, tmp: &Path) -> Value {
    let n = size(200, 5);
    let mut open_existing = Latencies::with_capacity(n);
    let mut create_new = Latencies::with_capacity(n);
    for i in 0..n {
        let db = open_existing.time(|| Pivotal::open(existing).expect("opens"));
        drop(db);
        let path = tmp.join(format!("new-{i}.db"));
        let db = create_new.time(|| Pivotal::open(&path).expect("creates"));
        drop(db);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    json!({
        "existing_file": existing.display().to_string(),
        "open_existing": open_existing.summary(),
        "create_new": create_new.summary(),
    })
}

/// Growth of each operation's p50 and p99 from the smallest to the largest file, for one side
/// (`library` or `library_mmap`).
fn growth(per_size: &[Value], side: &str) -> Value {
    let (first, last) = (&per_size[0][side], &per_size[per_size.len() - 1][side]);
    let mut out = Map::new();
    for (op, small) in first.as_object().unwrap() {
        let large = &last[op];
        let ratio = |p: &str| large[p].as_f64().unwrap() / small[p].as_f64().unwrap();
        out.insert(
            op.clone(),
            json!({"p50": ratio("p50_us"), "p99": ratio("p99_us")}),
        );
    }
    Value::Object(out)
}

fn targets(tmp: &Path) -> Vec<Readers> {
    let started = Instant::now();
    let machine_before = support::machine();
    let readers: Vec<Readers> = sizes().into_iter().map(|n| Readers::open(n, tmp)).collect();
    let per_size: Vec<Value> = readers.iter().map(size_targets).collect();
    let open = open_targets(&readers[readers.len() - 1].path, tmp);
    let results = json!({
        "bench": "reads",
        "command": "cargo bench -p pivotal-core --bench reads",
        "machine_before": machine_before,
        "machine_after": support::machine(),
        "took_s": started.elapsed().as_secs_f64(),
        "sizes": per_size,
        "growth_smallest_to_largest": growth(&per_size, "library"),
        "growth_smallest_to_largest_mmap": growth(&per_size, "library_mmap"),
        "open": open,
    });
    support::write_results("reads", &results);
    readers
}

fn criterion_groups(c: &mut Criterion, readers: &[Readers], tmp: &Path) {
    for r in readers {
        let mut group = c.benchmark_group(format!("reads/{}", r.n));
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(2));
        let mut i = 0;
        let mut next = || {
            i += 1;
            i
        };
        group.bench_function("retrieve_by_id/library", |b| {
            b.iter(|| r.retrieve_by_id(&r.db, next()))
        });
        group.bench_function("retrieve_by_id/rusqlite", |b| {
            b.iter(|| r.base_retrieve_by_id(next()))
        });
        group.bench_function("retrieve_by_display_id/library", |b| {
            b.iter(|| r.retrieve_by_display_id(&r.db, next()))
        });
        group.bench_function("list_for_customer/library", |b| {
            b.iter(|| r.list_for_customer(&r.db, next()))
        });
        group.bench_function("list_by_phase/library", |b| {
            b.iter(|| r.list_by_phase(&r.db, next(), false))
        });
        group.bench_function("list_by_phase/rusqlite", |b| {
            b.iter(|| r.base_list_by_phase(next()))
        });
        group.bench_function("list_by_phase_deep/library", |b| {
            b.iter(|| r.list_by_phase(&r.db, next(), true))
        });
        group.finish();
    }

    let existing = &readers[readers.len() - 1].path;
    let mut group = c.benchmark_group("open");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("existing", |b| {
        b.iter(|| drop(Pivotal::open(existing).expect("opens")))
    });
    let mut i = 0;
    group.bench_function("create_new", |b| {
        b.iter_batched(
            || {
                i += 1;
                tmp.join(format!("crit-{i}.db"))
            },
            |path| drop(Pivotal::open(&path).expect("creates")),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn main() {
    let parent = support::target_dir().join("bench-data").join("tmp");
    std::fs::create_dir_all(&parent).expect("the bench directory");
    let tmp = tempfile::tempdir_in(parent).expect("a temporary directory");
    let readers = if support::pass("targets") {
        targets(tmp.path())
    } else {
        sizes()
            .into_iter()
            .map(|n| Readers::open(n, tmp.path()))
            .collect()
    };
    if support::pass("criterion") {
        let mut c = Criterion::default().configure_from_args();
        criterion_groups(&mut c, &readers, tmp.path());
        c.final_summary();
    }
}
