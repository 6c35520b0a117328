//! Runs every shared scenario file against `Pivotal` over each store backend.

use pivotal_scenarios::{run_file_on, run_scenario, Backend};
use serde_json::json;
use std::path::PathBuf;

const MIN_SCENARIOS: usize = 30;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let dir = dir.canonicalize().unwrap_or(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_passes_on_every_backend() {
    run_all(&Backend::ALL);
}

/// Every scenario on a real PostgreSQL server (make pg-test starts one).
#[cfg(feature = "postgres")]
#[test]
#[ignore = "needs PostgreSQL: make pg-test"]
fn every_scenario_passes_on_postgres() {
    run_all(&[Backend::Postgres]);
}

fn run_all(backends: &[Backend]) {
    let files = scenario_files();
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        match run_file_on(file, backends) {
            Ok(()) => {
                passed += 1;
                println!("ok   {name}");
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {name}\n  {}", e.replace('\n', "\n  "));
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    assert!(
        files.len() >= MIN_SCENARIOS,
        "only {} scenario files, expected at least {MIN_SCENARIOS}",
        files.len()
    );
    assert_eq!(failed, 0, "{failed} scenario(s) failed");
}

#[test]
fn a_wrong_expectation_fails_the_scenario() {
    let wrong = json!({"name": "wrong", "steps": [
        {"op": "customers.create", "params": {"name": "Acme"}, "expect": {"slug": "not-acme"}}
    ]});
    let missing_error = json!({"name": "no error", "steps": [
        {"op": "customers.create", "params": {"name": "Acme"}, "error": {"code": "missing_field"}}
    ]});
    let unexpected_error =
        json!({"name": "error", "steps": [{"op": "customers.create", "params": {}}]});
    for scenario in [wrong, missing_error, unexpected_error] {
        for backend in Backend::ALL {
            let e = run_scenario(&scenario, backend).expect_err("the scenario must fail");
            assert!(e.starts_with("steps[0] (customers.create)"), "{e}");
        }
    }
}
