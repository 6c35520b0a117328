//! Shared by the benches: smoke mode, the data they create, the cached fixture files, latency
//! percentiles and the results files.
//!
//! Each bench target includes this file with `#[path = "support/mod.rs"] mod support;`, and uses
//! only part of it.
#![allow(dead_code)]

use pivotal_core::model::time::FixedClock;
use pivotal_core::{CustomerParams, CustomerStatus, OnboardingParams, Phase, Pivotal, State};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 2024-01-01T00:00:00.000Z: the clock of every bench store starts here.
pub const T0: i64 = 1_704_067_200_000;
/// Onboardings per customer in every data set (1M onboardings over 100k customers).
pub const PER_CUSTOMER: usize = 10;
/// Bump when the generated data changes: cached fixtures are keyed by it (and by the schema).
const FIXTURE_VERSION: &str = "f1";
/// The schema the fixtures were written with (every migration): a change of it rebuilds them.
const SCHEMA: &str = concat!(
    include_str!("../../src/store/sqlite/migrations/v1.sql"),
    include_str!("../../src/store/sqlite/migrations/v2.sql"),
);

/// A quick run that only checks the benches work: `cargo test --benches` (criterion's test mode:
/// no `--bench`, or `--test`) or `PIVOTAL_BENCH_SMOKE=1`. Sizes shrink to a few hundred rows.
pub fn smoke() -> bool {
    std::env::var("PIVOTAL_BENCH_SMOKE").is_ok_and(|v| v == "1")
        || !std::env::args().any(|a| a == "--bench")
        || std::env::args().any(|a| a == "--test")
}

/// Whether to run a pass (`targets` or `criterion`): both unless `PIVOTAL_BENCH_PASS` names one.
pub fn pass(name: &str) -> bool {
    std::env::var("PIVOTAL_BENCH_PASS").map_or(true, |p| p.is_empty() || p == name)
}

/// How many alternating rounds a comparison runs: `PIVOTAL_BENCH_ROUNDS`, else `full` (1 in
/// smoke mode).
pub fn rounds(full: usize) -> usize {
    std::env::var("PIVOTAL_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(size(full, 1))
}

/// `full` in a real run, `tiny` in smoke mode.
pub fn size(full: usize, tiny: usize) -> usize {
    if smoke() {
        tiny
    } else {
        full
    }
}

pub use pivotal_core::store::conformance::fixtures::at;

/// `<workspace>/target`, where the cached fixtures and the results files live.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// A deterministic pseudo-random number for item `i` (splitmix64).
pub fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Customer `i` (0-based) of a data set.
pub fn customer_params(i: usize) -> CustomerParams {
    let r = mix(i as u64);
    CustomerParams {
        name: format!("Customer {i}"),
        domain: Some(format!("customer{i}.example.com")),
        plan: Some(["starter", "growth", "enterprise"][(r % 3) as usize].into()),
        mrr: Some((r % 100_000) as i64),
        status: Some(CustomerStatus::Onboarding),
        metadata: Some(serde_json::from_value(json!({"region": "eu", "tier": r % 4})).unwrap()),
        ..Default::default()
    }
}

/// The phase of onboarding `r`: 20% not started, 20% completed, the rest in between.
fn phase(r: u64) -> Phase {
    const WEIGHTED: [Phase; 10] = [
        Phase::BeforeGettingStarted,
        Phase::BeforeGettingStarted,
        Phase::ProgramDesign,
        Phase::ProgramDesign,
        Phase::Review,
        Phase::ProgramBuildout,
        Phase::InternalQa,
        Phase::Launch,
        Phase::Completed,
        Phase::Completed,
    ];
    WEIGHTED[(r % 10) as usize]
}

/// Onboarding `i` (0-based) of a data set with `customers` customers: customer `i % customers`
/// (by display id), a phase and a state drawn from `i`, a CSM, a template, usually a target.
pub fn onboarding_params(i: usize, customers: usize) -> OnboardingParams {
    let r = mix(i as u64 ^ 0x5EED);
    let phase = phase(r >> 8);
    let state = match (r >> 16) % 10 {
        _ if phase == Phase::Completed => None,
        0 => Some(State::AtRisk),
        1 => Some(State::Waiting),
        2 => Some(State::Paused),
        _ => None,
    };
    OnboardingParams {
        customer_id: (i % customers + 1).to_string(),
        phase: Some(phase),
        state,
        template_id: Some(format!("tpl_{}", (r >> 24) % 5)),
        csm_id: Some(format!("csm_{}", (r >> 32) % 20)),
        target_launch_date: (!(r >> 40).is_multiple_of(5))
            .then(|| at(T0 + ((r >> 44) % 300) as i64 * 86_400_000)),
        notes: (r >> 48)
            .is_multiple_of(4)
            .then(|| "Kick-off call done; waiting for the brand kit.".into()),
        ..Default::default()
    }
}

/// A session on a SQLite file with a clock standing at T0 and reproducible ids.
pub fn open(path: &Path, clock: &Arc<FixedClock>) -> Pivotal {
    Pivotal::options()
        .actor("bench")
        .clock(clock.clone())
        .id_seed(42)
        .open(path)
        .expect("the bench store opens")
}

pub fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(at(T0)))
}

/// What an import did.
#[derive(Debug, Clone, Copy)]
pub struct Imported {
    pub customers: usize,
    pub onboardings: usize,
    pub took: Duration,
}

/// Creates `customers` customers, then `onboardings` onboardings over them, through the batch
/// API in chunks of `chunk` items (one transaction each), the clock moving 1 s after each chunk.
pub fn import(
    db: &Pivotal,
    clock: &FixedClock,
    customers: usize,
    onboardings: usize,
    chunk: usize,
) -> Imported {
    let started = Instant::now();
    for start in (0..customers).step_by(chunk) {
        let params = (start..(start + chunk).min(customers))
            .map(customer_params)
            .collect();
        db.customers()
            .create_many(params)
            .expect("the customers import");
        clock.advance_ms(1_000);
    }
    for start in (0..onboardings).step_by(chunk) {
        let params = (start..(start + chunk).min(onboardings))
            .map(|i| onboarding_params(i, customers))
            .collect();
        db.onboardings()
            .create_many(params)
            .expect("the onboardings import");
        clock.advance_ms(1_000);
    }
    Imported {
        customers,
        onboardings,
        took: started.elapsed(),
    }
}

/// A 64-bit FNV-1a hash, to key the fixtures by the schema's text.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The file holding `onboardings` onboardings over `onboardings / 10` customers, built once
/// through the batch API (chunks of 1,000) and cached under `target/bench-data/`, keyed by the
/// data's version and the schema. Smoke runs build theirs in a temporary directory instead.
pub fn fixture(onboardings: usize, tmp: &Path) -> PathBuf {
    let key = format!("{FIXTURE_VERSION}-{:016x}", fnv(SCHEMA));
    let dir = if smoke() {
        tmp.to_path_buf()
    } else {
        target_dir().join("bench-data").join(&key)
    };
    std::fs::create_dir_all(&dir).expect("the fixture directory");
    let path = dir.join(format!("onboardings-{onboardings}.db"));
    let done = dir.join(format!("onboardings-{onboardings}.done"));
    if done.exists() && path.exists() {
        return path;
    }
    for stale in [
        path.clone(),
        path.with_extension("db-wal"),
        path.with_extension("db-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    let clock = clock();
    let db = open(&path, &clock);
    let customers = (onboardings / PER_CUSTOMER).max(1);
    let imported = import(&db, &clock, customers, onboardings, 1_000);
    drop(db);
    eprintln!(
        "fixture: {} onboardings over {} customers built in {:.1?} ({:.0} onboardings/s) -> {}",
        imported.onboardings,
        imported.customers,
        imported.took,
        imported.onboardings as f64 / imported.took.as_secs_f64(),
        path.display()
    );
    std::fs::write(&done, format!("{imported:?}\n")).expect("the fixture marker");
    path
}

/// Latencies of single operations, in nanoseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies(Vec<u64>);

impl Latencies {
    pub fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    /// Times one call of `f`.
    pub fn time<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let started = Instant::now();
        let out = f();
        self.0.push(started.elapsed().as_nanos() as u64);
        out
    }

    pub fn push(&mut self, d: Duration) {
        self.0.push(d.as_nanos() as u64);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The `p`-th percentile (0–100, nearest rank), in microseconds.
    pub fn percentile_us(&mut self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        self.0.sort_unstable();
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        self.0[rank.clamp(1, self.0.len()) - 1] as f64 / 1_000.0
    }

    pub fn mean_us(&self) -> f64 {
        self.0.iter().sum::<u64>() as f64 / self.0.len().max(1) as f64 / 1_000.0
    }

    pub fn summary(&mut self) -> Value {
        json!({
            "n": self.len(),
            "p50_us": self.percentile_us(50.0),
            "p90_us": self.percentile_us(90.0),
            "p99_us": self.percentile_us(99.0),
            "mean_us": self.mean_us(),
        })
    }
}

/// The median of some durations, in seconds.
pub fn median_s(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// What else was running: the load average, the CPU, the SQLite version.
pub fn machine() -> Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    json!({
        "cpu": cpu,
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "loadavg": read("/proc/loadavg").trim(),
        "sqlite": rusqlite::version(),
        "smoke": smoke(),
    })
}

/// Writes `value` to `target/bench-results/<name>.json` (smoke runs: `<name>.smoke.json`) and
/// prints it.
pub fn write_results(name: &str, value: &Value) {
    let dir = target_dir().join("bench-results");
    std::fs::create_dir_all(&dir).expect("the results directory");
    let file = if smoke() {
        format!("{name}.smoke.json")
    } else {
        format!("{name}.json")
    };
    let text = serde_json::to_string_pretty(value).expect("results serialise");
    std::fs::write(dir.join(&file), &text).expect("the results file");
    eprintln!("{text}\nresults -> {}", dir.join(file).display());
}

/// This process's peak resident set size (`VmHWM`, what `/usr/bin/time -v` reports as "Maximum
/// resident set size"), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
