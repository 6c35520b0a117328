//! Importing 1M onboardings over 100k customers through the batch API, in chunks of 10,000 (one
//! transaction each), into a new SQLite file: the time it takes and the peak resident memory.
//!
//! Measure the memory with `/usr/bin/time -v` around the run (its "Maximum resident set size");
//! the bench also prints its own `VmHWM`, the same number, from `/proc/self/status`:
//!
//! ```sh
//! /usr/bin/time -v -o target/bench-results/import-time.txt \
//!     cargo bench -p pivotal-core --bench import
//! ```
//!
//! `PIVOTAL_IMPORT_CHUNK` changes the chunk size. `cargo test -p pivotal-core --bench import` (or
//! `PIVOTAL_BENCH_SMOKE=1`) imports 1,000 onboardings.

#[path = "support/mod.rs"]
mod support;

use serde_json::json;
use support::size;

fn main() {
    let onboardings = size(1_000_000, 1_000);
    let customers = onboardings / support::PER_CUSTOMER;
    let chunk = std::env::var("PIVOTAL_IMPORT_CHUNK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let parent = support::target_dir().join("bench-data").join("tmp");
    std::fs::create_dir_all(&parent).expect("the bench directory");
    let dir = tempfile::tempdir_in(parent).expect("a temporary directory");
    let path = dir.path().join("import.db");

    let machine_before = support::machine();
    let rss_before = support::peak_rss_kib();
    let clock = support::clock();
    let db = support::open(&path, &clock);
    let imported = support::import(&db, &clock, customers, onboardings, chunk);
    drop(db);
    let peak = support::peak_rss_kib();
    let file_mb = std::fs::metadata(&path).map_or(0, |m| m.len()) / 1_000_000;
    let results = json!({
        "bench": "import",
        "command": "/usr/bin/time -v cargo bench -p pivotal-core --bench import",
        "machine_before": machine_before,
        "machine_after": support::machine(),
        "customers": customers,
        "onboardings": onboardings,
        "chunk": chunk,
        "took_s": imported.took.as_secs_f64(),
        "onboardings_per_s_incl_customers": onboardings as f64 / imported.took.as_secs_f64(),
        "file_mb": file_mb,
        "peak_rss_kib_before_import": rss_before,
        "peak_rss_kib": peak,
    });
    support::write_results("import", &results);
}
