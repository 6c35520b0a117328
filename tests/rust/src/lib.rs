//! Runs the shared scenario files (`tests/scenarios/*.json`, format in that directory's README)
//! against the Rust API, over each store backend.

pub mod matching;
pub mod ops;

use ops::Runner;
use pivotal_core::model::time::parse_instant;
use pivotal_core::{FixedClock, MemoryStore, Options, SqliteStore, Store};
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;

/// The store a scenario runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// [`MemoryStore`].
    Memory,
    /// [`SqliteStore`], in memory.
    Sqlite,
    /// `PostgresStore` on a fresh database of the test server (feature `postgres`; see
    /// `pivotal_core::store::postgres::testing`). Not in [`Backend::ALL`]: it needs a server.
    #[cfg(feature = "postgres")]
    Postgres,
}

impl Backend {
    /// Every backend.
    pub const ALL: [Backend; 2] = [Backend::Memory, Backend::Sqlite];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Memory => "memory",
            Backend::Sqlite => "sqlite",
            #[cfg(feature = "postgres")]
            Backend::Postgres => "postgres",
        }
    }

    fn open(self) -> Result<Box<dyn Store>, String> {
        match self {
            Backend::Memory => Ok(Box::new(MemoryStore::new())),
            Backend::Sqlite => match SqliteStore::open_in_memory() {
                Ok(store) => Ok(Box::new(store)),
                Err(e) => Err(format!("opening SQLite in memory: {e}")),
            },
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let url = pivotal_core::store::postgres::testing::fresh_database();
                match pivotal_core::store::PostgresStore::open(&url) {
                    Ok(store) => Ok(Box::new(store)),
                    Err(e) => Err(format!("opening PostgreSQL: {e}")),
                }
            }
        }
    }
}

/// The actor every scenario starts with.
pub const ACTOR: &str = "scenario";

const DEFAULT_CLOCK: &str = "2024-01-01T00:00:00.000Z";

/// Reads a scenario file.
pub fn read_file(path: impl AsRef<Path>) -> Result<Value, String> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// Runs a scenario file on every backend. The error names the file, backend, step and difference.
pub fn run_file(path: impl AsRef<Path>) -> Result<(), String> {
    run_file_on(path, &Backend::ALL)
}

/// Runs a scenario file on each of `backends`; see [`run_file`].
pub fn run_file_on(path: impl AsRef<Path>, backends: &[Backend]) -> Result<(), String> {
    let path = path.as_ref();
    let scenario = read_file(path)?;
    let failures: Vec<String> = backends
        .iter()
        .copied()
        .filter_map(|b| {
            run_scenario(&scenario, b)
                .err()
                .map(|e| format!("{} [{}] {e}", path.display(), b.name()))
        })
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Runs one parsed scenario on a fresh store of `backend`. The error names the step and difference.
pub fn run_scenario(scenario: &Value, backend: Backend) -> Result<(), String> {
    let top = scenario
        .as_object()
        .ok_or("a scenario must be a JSON object")?;
    if let Some(k) = top
        .keys()
        .find(|k| !["name", "spec", "clock", "steps"].contains(&k.as_str()))
    {
        return Err(format!("unknown scenario key `{k}`"));
    }
    top.get("name")
        .and_then(Value::as_str)
        .ok_or("`name` is missing")?;
    let start = top
        .get("clock")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_CLOCK);
    let start =
        parse_instant(start).ok_or_else(|| format!("`clock`: not an RFC 3339 instant: {start}"))?;
    let steps = top
        .get("steps")
        .and_then(Value::as_array)
        .ok_or("`steps` must be an array")?;

    let clock = Arc::new(FixedClock::new(start));
    let db = Options::default()
        .actor(ACTOR)
        .clock(clock.clone())
        .with_store(backend.open()?)
        .map_err(|e| format!("opening the store: {e}"))?;
    let mut runner = Runner::new(db, clock);
    for (i, step) in steps.iter().enumerate() {
        let op = step.get("op").and_then(Value::as_str).unwrap_or("?");
        runner
            .step(step)
            .map_err(|e| format!("steps[{i}] ({op}): {e}"))?;
    }
    Ok(())
}
