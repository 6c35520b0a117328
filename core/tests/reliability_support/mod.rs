//! Shared by the reliability tests (`crash.rs`, `concurrency.rs`): a small seeded PRNG, spawning
//! this very test binary as a child process, and [`Snapshot`], which reads a database file with
//! plain SQL and checks everything a crash or a race could break.

#![allow(dead_code)]

use pivotal_core::model::time::parse_instant;
use pivotal_core::Pivotal;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};

/// xorshift64*: deterministic, dependency-free, good enough to pick operations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len() as u64) as usize])
        }
    }
}

/// A seed from the environment variable `var`, or from the clock.
pub fn seed_from_env(var: &str) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

pub fn env_u64(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A copy of this test binary in `dir`, to spawn as the child: a rebuild during a long soak
/// replaces the original under the running test.
pub fn copy_of_this_binary(dir: &Path) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let copy = dir.join("child-process");
    std::fs::copy(&exe, &copy).expect("copying the test binary");
    copy
}

/// A command that runs the test named `test` of the test binary `exe` (a copy of this one) as a
/// child process, with `--nocapture` so what it prints reaches the parent's pipe at once.
pub fn child_command(exe: &Path, test: &str) -> Command {
    let mut cmd = Command::new(exe);
    cmd.args([
        test,
        "--exact",
        "--nocapture",
        "--include-ignored",
        "--test-threads=1",
        "-q",
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::inherit());
    cmd
}

/// One row of `events`.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub workspace_id: String,
    pub sequence: i64,
    pub livemode: bool,
    pub id: String,
    pub event_type: String,
    pub object_id: String,
    pub customer_id: String,
    pub created_at: i64,
    pub actor: String,
    pub data: Value,
}

impl EventRow {
    pub fn object(&self) -> &Value {
        &self.data["object"]
    }

    pub fn kind(&self) -> &str {
        self.event_type.split('.').next().unwrap_or("")
    }

    pub fn action(&self) -> &str {
        self.event_type.split('.').nth(1).unwrap_or("")
    }
}

/// One customer, contact or onboarding row, with the columns the checks compare.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub kind: &'static str,
    pub workspace_id: String,
    pub livemode: bool,
    pub id: String,
    pub display_id: i64,
    /// The parent customer (contacts, onboardings), or the record itself (customers).
    pub customer_id: String,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Wire fields read from their columns, to compare with the last event's object.
    pub fields: serde_json::Map<String, Value>,
}

#[derive(Debug, Clone)]
pub struct TransitionRow {
    pub seq: i64,
    pub onboarding_id: String,
    pub from_phase: String,
    pub to_phase: String,
    pub actor: String,
    pub created_at: i64,
}

/// Everything in a database file, read in one transaction.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub events: Vec<EventRow>,
    pub records: Vec<RecordRow>,
    pub transitions: Vec<TransitionRow>,
    /// (workspace_id, kind) → value.
    pub counters: BTreeMap<(String, String), i64>,
    /// (operation, key) → stored response.
    pub idempotency: HashMap<(String, String), Value>,
    /// Onboarding id → its `onboarding_history` rows (seq, phase, state), when the table exists.
    pub history: HashMap<String, Vec<(i64, String, String)>>,
    by_object: HashMap<String, Vec<usize>>,
    by_actor: HashMap<String, Vec<usize>>,
    by_id: HashMap<String, usize>,
}

/// Milliseconds of an RFC 3339 instant in an event's object.
fn ms_of(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(parse_instant)
        .map(|t| t.timestamp_millis())
}

fn bool_col(v: i64) -> Value {
    Value::Bool(v != 0)
}

impl Snapshot {
    /// Reads the file at `path` (which must not be written to meanwhile, or readers see a snapshot
    /// anyway: everything is read in one transaction).
    pub fn read(path: &Path) -> Result<Snapshot, String> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|e| format!("raw open: {e}"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| e.to_string())?;
        Self::read_conn(&conn)
    }

    pub fn read_conn(conn: &Connection) -> Result<Snapshot, String> {
        let e = |e: rusqlite::Error| format!("reading the snapshot: {e}");
        conn.execute_batch("BEGIN").map_err(e)?;
        let result = Self::read_in_tx(conn).map_err(e);
        conn.execute_batch("COMMIT").map_err(e)?;
        result
    }

    fn read_in_tx(conn: &Connection) -> rusqlite::Result<Snapshot> {
        let mut s = Snapshot::default();
        let mut stmt = conn.prepare(
            "SELECT workspace_id, sequence, livemode, id, type, object_id, customer_id, created_at,
                    actor, data FROM events ORDER BY workspace_id, sequence",
        )?;
        s.events = stmt
            .query_map([], |r| {
                let data: String = r.get(9)?;
                Ok(EventRow {
                    workspace_id: r.get(0)?,
                    sequence: r.get(1)?,
                    livemode: r.get::<_, i64>(2)? != 0,
                    id: r.get(3)?,
                    event_type: r.get(4)?,
                    object_id: r.get(5)?,
                    customer_id: r.get(6)?,
                    created_at: r.get(7)?,
                    actor: r.get(8)?,
                    data: serde_json::from_str(&data).unwrap_or(Value::Null),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = conn.prepare(
            "SELECT workspace_id, livemode, id, display_id, id, deleted_at, created_at, updated_at,
                    name, slug, status FROM customers",
        )?;
        let customers = stmt.query_map([], |r| {
            let mut fields = serde_json::Map::new();
            fields.insert("name".into(), Value::String(r.get(8)?));
            fields.insert("slug".into(), Value::String(r.get(9)?));
            fields.insert("status".into(), Value::String(r.get(10)?));
            record(r, "customer", fields)
        })?;
        s.records
            .extend(customers.collect::<rusqlite::Result<Vec<_>>>()?);

        let mut stmt = conn.prepare(
            "SELECT workspace_id, livemode, id, display_id, customer_id, deleted_at, created_at,
                    updated_at, email, is_primary FROM contacts",
        )?;
        let contacts = stmt.query_map([], |r| {
            let mut fields = serde_json::Map::new();
            fields.insert("customer_id".into(), Value::String(r.get(4)?));
            fields.insert("email".into(), Value::String(r.get(8)?));
            fields.insert("is_primary".into(), bool_col(r.get(9)?));
            record(r, "contact", fields)
        })?;
        s.records
            .extend(contacts.collect::<rusqlite::Result<Vec<_>>>()?);

        let mut stmt = conn.prepare(
            "SELECT workspace_id, livemode, id, display_id, customer_id, deleted_at, created_at,
                    updated_at, phase, state, waiting_on_customer,
                    waiting_on_customer_since IS NOT NULL, completed_at IS NOT NULL
             FROM onboardings",
        )?;
        let onboardings = stmt.query_map([], |r| {
            let mut fields = serde_json::Map::new();
            fields.insert("customer_id".into(), Value::String(r.get(4)?));
            fields.insert("phase".into(), Value::String(r.get(8)?));
            fields.insert("state".into(), Value::String(r.get(9)?));
            fields.insert("waiting_on_customer".into(), bool_col(r.get(10)?));
            // Presence flags, compared with the object's nullable timestamps.
            fields.insert("~waiting_since_set".into(), bool_col(r.get(11)?));
            fields.insert("~completed_at_set".into(), bool_col(r.get(12)?));
            record(r, "onboarding", fields)
        })?;
        s.records
            .extend(onboardings.collect::<rusqlite::Result<Vec<_>>>()?);

        let mut stmt = conn.prepare(
            "SELECT seq, onboarding_id, from_phase, to_phase, actor, created_at
             FROM phase_transitions ORDER BY seq",
        )?;
        s.transitions = stmt
            .query_map([], |r| {
                Ok(TransitionRow {
                    seq: r.get(0)?,
                    onboarding_id: r.get(1)?,
                    from_phase: r.get(2)?,
                    to_phase: r.get(3)?,
                    actor: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = conn.prepare("SELECT workspace_id, kind, value FROM counters")?;
        s.counters = stmt
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;

        let mut stmt = conn.prepare("SELECT operation, key, response FROM idempotency")?;
        s.idempotency = stmt
            .query_map([], |r| {
                let response: String = r.get(2)?;
                Ok((
                    (r.get(0)?, r.get(1)?),
                    serde_json::from_str(&response).unwrap_or(Value::Null),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let has_history: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'onboarding_history'",
            [],
            |r| r.get(0),
        )?;
        if has_history {
            let mut stmt = conn.prepare(
                "SELECT onboarding_id, seq, phase, state FROM onboarding_history
                 ORDER BY onboarding_id, seq",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
            })?;
            for row in rows {
                let (id, entry) = row?;
                s.history.entry(id).or_default().push(entry);
            }
        }
        for (i, e) in s.events.iter().enumerate() {
            s.by_object.entry(e.object_id.clone()).or_default().push(i);
            s.by_actor.entry(e.actor.clone()).or_default().push(i);
        }
        s.by_id = s
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(s)
    }

    /// The events of one object, in sequence order.
    pub fn events_of(&self, object_id: &str) -> Vec<&EventRow> {
        self.by_object
            .get(object_id)
            .map(|ix| ix.iter().map(|&i| &self.events[i]).collect())
            .unwrap_or_default()
    }

    pub fn events_by_actor(&self, actor: &str) -> Vec<&EventRow> {
        self.by_actor
            .get(actor)
            .map(|ix| ix.iter().map(|&i| &self.events[i]).collect())
            .unwrap_or_default()
    }

    pub fn record(&self, id: &str) -> Option<&RecordRow> {
        self.by_id.get(id).map(|&i| &self.records[i])
    }

    /// Every check that holds for any file this library wrote, however it was interrupted:
    /// - sequences are 1, 2, 3, … per workspace, and event ids are unique;
    /// - display ids are 1, 2, 3, … per workspace and kind, and the counter equals the largest;
    /// - every record has exactly one `created` event, first, and no event lacks its record;
    /// - a record's row equals the object of its last event (no half-applied operation), and a
    ///   row is deleted exactly when its last event is a `deleted`;
    /// - the phase transitions of each onboarding match its `phase_changed` events one for one;
    /// - the waiting invariant, `completed_at` ⇔ `completed`, at most one primary contact;
    /// - every stored idempotent response names a record that exists.
    pub fn check(&self) -> Vec<String> {
        let mut errors = Vec::new();
        let mut err = |m: String| {
            if errors.len() < 50 {
                errors.push(m)
            }
        };

        // Sequences and event ids.
        let mut by_ws: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
        let mut event_ids = BTreeSet::new();
        for e in &self.events {
            by_ws.entry(&e.workspace_id).or_default().push(e.sequence);
            if !event_ids.insert(&e.id) {
                err(format!("duplicate event id {}", e.id));
            }
            if e.data.is_null() {
                err(format!("event {} has unreadable data", e.id));
            }
        }
        for (ws, seqs) in &by_ws {
            let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
            if *seqs != expected {
                err(format!(
                    "workspace {ws}: sequences are not 1..={}",
                    seqs.len()
                ));
            }
        }

        // Display ids and counters.
        let mut display: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
        for r in &self.records {
            display
                .entry((r.workspace_id.clone(), r.kind.to_owned()))
                .or_default()
                .push(r.display_id);
        }
        for (key, ids) in &mut display {
            ids.sort_unstable();
            let expected: Vec<i64> = (1..=ids.len() as i64).collect();
            if *ids != expected {
                err(format!(
                    "{key:?}: display ids are not 1..={} (gaps or duplicates)",
                    ids.len()
                ));
            }
            let counter = self.counters.get(key).copied().unwrap_or(0);
            if counter != ids.len() as i64 {
                err(format!(
                    "{key:?}: counter {counter} but {} records",
                    ids.len()
                ));
            }
        }
        for (key, value) in &self.counters {
            if *value > 0 && !display.contains_key(key) {
                err(format!("{key:?}: counter {value} but no records"));
            }
        }

        // Records against their events.
        let mut events_by_object: HashMap<&str, Vec<&EventRow>> = HashMap::new();
        for e in &self.events {
            events_by_object.entry(&e.object_id).or_default().push(e);
        }
        let records: HashMap<&str, &RecordRow> =
            self.records.iter().map(|r| (r.id.as_str(), r)).collect();
        for (object_id, events) in &events_by_object {
            match records.get(object_id) {
                None => err(format!(
                    "event {} ({}) has no record {object_id}",
                    events[0].id, events[0].event_type
                )),
                Some(r) if events.iter().any(|e| e.kind() != r.kind) => {
                    err(format!("{object_id}: events of another kind"))
                }
                Some(_) => {}
            }
        }
        for r in &self.records {
            let Some(events) = events_by_object.get(r.id.as_str()) else {
                err(format!("{} {} has no events", r.kind, r.id));
                continue;
            };
            let created = events.iter().filter(|e| e.action() == "created").count();
            if created != 1 || events[0].action() != "created" {
                err(format!(
                    "{} {}: {created} created events, first is {}",
                    r.kind, r.id, events[0].event_type
                ));
            }
            let deletes = events.iter().filter(|e| e.action() == "deleted").count();
            let last = events[events.len() - 1];
            if deletes > 1 || (deletes == 1 && last.action() != "deleted") {
                err(format!("{} {}: events after its deletion", r.kind, r.id));
            }
            if r.deleted_at.is_some() != (last.action() == "deleted") {
                err(format!(
                    "{} {}: deleted_at {:?} but last event {}",
                    r.kind, r.id, r.deleted_at, last.event_type
                ));
            }
            let object = last.object();
            let mut compare = |name: &str, stored: Value, logged: Value| {
                if stored != logged {
                    err(format!(
                        "{} {}: {name} is {stored} in the row but {logged} in its last event {} ({})",
                        r.kind, r.id, last.id, last.event_type
                    ));
                }
            };
            compare("id", Value::from(r.id.as_str()), object["id"].clone());
            compare(
                "display_id",
                Value::from(r.display_id),
                object["display_id"].clone(),
            );
            compare(
                "updated_at",
                Value::from(r.updated_at),
                ms_of(&object["updated_at"]).map_or(Value::Null, Value::from),
            );
            compare(
                "created_at",
                Value::from(r.created_at),
                ms_of(&object["created_at"]).map_or(Value::Null, Value::from),
            );
            for (name, stored) in &r.fields {
                let logged = match name.as_str() {
                    "~waiting_since_set" => {
                        Value::Bool(!object["waiting_on_customer_since"].is_null())
                    }
                    "~completed_at_set" => Value::Bool(!object["completed_at"].is_null()),
                    _ => object[name.as_str()].clone(),
                };
                compare(name, stored.clone(), logged);
            }
        }

        // Transitions against phase_changed events.
        let mut transitions: HashMap<&str, Vec<&TransitionRow>> = HashMap::new();
        for t in &self.transitions {
            transitions.entry(&t.onboarding_id).or_default().push(t);
        }
        let onboarding_ids: BTreeSet<&str> = self
            .records
            .iter()
            .filter(|r| r.kind == "onboarding")
            .map(|r| r.id.as_str())
            .chain(transitions.keys().copied())
            .collect();
        for id in onboarding_ids {
            let changes: Vec<&&EventRow> = events_by_object
                .get(id)
                .map(|es| {
                    es.iter()
                        .filter(|e| e.event_type == "onboarding.phase_changed")
                        .collect()
                })
                .unwrap_or_default();
            let trs = transitions.get(id).cloned().unwrap_or_default();
            if changes.len() != trs.len() {
                err(format!(
                    "onboarding {id}: {} phase_changed events but {} transitions",
                    changes.len(),
                    trs.len()
                ));
                continue;
            }
            for (e, t) in changes.iter().zip(&trs) {
                let from = e.data["previous_attributes"]["phase"]
                    .as_str()
                    .unwrap_or("");
                let to = e.object()["phase"].as_str().unwrap_or("");
                if (from, to, e.actor.as_str(), e.created_at)
                    != (
                        t.from_phase.as_str(),
                        t.to_phase.as_str(),
                        t.actor.as_str(),
                        t.created_at,
                    )
                {
                    err(format!(
                        "onboarding {id}: event {} ({from}→{to} by {}) does not match transition {:?}",
                        e.id, e.actor, t
                    ));
                }
            }
            // Every specific event rides with an `onboarding.updated` of the same operation.
            if let Some(es) = events_by_object.get(id) {
                for e in es.iter().filter(|e| {
                    e.kind() == "onboarding"
                        && !matches!(e.action(), "created" | "updated" | "deleted")
                }) {
                    let paired = es.iter().any(|u| {
                        u.event_type == "onboarding.updated"
                            && u.actor == e.actor
                            && u.created_at == e.created_at
                            && u.sequence < e.sequence
                    });
                    if !paired {
                        err(format!(
                            "onboarding {id}: {} {} without its onboarding.updated",
                            e.event_type, e.id
                        ));
                    }
                }
            }
        }

        // The analytics history, when the file has one: rows 0, 1, 2, … per onboarding, the
        // newest holding the onboarding's current phase and state.
        if !self.history.is_empty() {
            for r in self.records.iter().filter(|r| r.kind == "onboarding") {
                let rows = self
                    .history
                    .get(&r.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let seqs: Vec<i64> = rows.iter().map(|h| h.0).collect();
                if seqs != (0..rows.len() as i64).collect::<Vec<_>>() {
                    err(format!("onboarding {}: history rows {seqs:?}", r.id));
                } else if let Some((_, phase, state)) = rows.last() {
                    if r.fields["phase"] != phase.as_str() || r.fields["state"] != state.as_str() {
                        err(format!(
                            "onboarding {}: newest history row is {phase}/{state}, the row {}/{}",
                            r.id, r.fields["phase"], r.fields["state"]
                        ));
                    }
                }
            }
        }

        // SPEC invariants on the rows.
        let mut primaries: HashMap<(&str, bool, &str), usize> = HashMap::new();
        for r in &self.records {
            match r.kind {
                "onboarding" => {
                    let waiting = r.fields["state"] == "waiting";
                    let flag = r.fields["waiting_on_customer"] == true;
                    let since = r.fields["~waiting_since_set"] == true;
                    if waiting != flag || flag != since {
                        err(format!(
                            "onboarding {}: waiting invariant broken (state waiting {waiting}, flag {flag}, since set {since})",
                            r.id
                        ));
                    }
                    let completed = r.fields["phase"] == "completed";
                    if completed != (r.fields["~completed_at_set"] == true) {
                        err(format!("onboarding {}: completed_at vs phase", r.id));
                    }
                }
                "contact" if r.deleted_at.is_none() && r.fields["is_primary"] == true => {
                    *primaries
                        .entry((&r.workspace_id, r.livemode, &r.customer_id))
                        .or_default() += 1;
                }
                _ => {}
            }
        }
        for (key, n) in primaries {
            if n > 1 {
                err(format!("customer {}: {n} primary contacts", key.2));
            }
        }

        for ((op, key), response) in &self.idempotency {
            match response["id"].as_str() {
                Some(id) if records.contains_key(id) => {}
                _ => err(format!(
                    "idempotency entry {op}/{key} names no record: {response}"
                )),
            }
        }
        errors
    }

    /// Through the public API: every visible record retrieves as its last event's object, and the
    /// event log tails in strictly increasing sequence order, as many as the file holds.
    pub fn check_api(&self, db: &Pivotal) -> Vec<String> {
        let mut errors = Vec::new();
        let live_deleted_customers: BTreeSet<&str> = self
            .records
            .iter()
            .filter(|r| r.kind == "customer" && r.deleted_at.is_some())
            .map(|r| r.id.as_str())
            .collect();
        for r in self.records.iter().filter(|r| r.livemode) {
            let events = self.events_of(&r.id);
            let Some(last) = events.last() else { continue };
            let hidden =
                r.deleted_at.is_some() || live_deleted_customers.contains(r.customer_id.as_str());
            let got = match r.kind {
                "customer" => db.customers().retrieve(&r.id).map(|v| to_value(&v)),
                "contact" => db.contacts().retrieve(&r.id).map(|v| to_value(&v)),
                _ => db.onboardings().retrieve(&r.id).map(|v| to_value(&v)),
            };
            match (hidden, got) {
                (false, Ok(v)) if &v == last.object() => {}
                (false, Ok(v)) => errors.push(format!(
                    "{} {}: retrieves as {v} but its last event says {}",
                    r.kind,
                    r.id,
                    last.object()
                )),
                (false, Err(e)) => {
                    errors.push(format!("{} {}: retrieve failed: {e}", r.kind, r.id))
                }
                (true, Ok(_)) => {
                    errors.push(format!("{} {}: deleted but retrievable", r.kind, r.id))
                }
                (true, Err(e)) if e.http_status() == 404 => {}
                (true, Err(e)) => errors.push(format!("{} {}: {e}", r.kind, r.id)),
            }
        }
        let live_events = self.events.iter().filter(|e| e.livemode).count();
        let mut seen = 0usize;
        let mut after = None;
        loop {
            let page = match db.events().list(&pivotal_core::EventListParams {
                after_sequence: after,
                limit: Some(100),
                ..Default::default()
            }) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(format!("events.list: {e}"));
                    break;
                }
            };
            for e in &page.data {
                if after.is_some_and(|a| e.sequence <= a) {
                    errors.push(format!(
                        "events.list: sequence {} after {after:?}",
                        e.sequence
                    ));
                }
                after = Some(e.sequence);
                seen += 1;
            }
            if !page.has_more {
                break;
            }
        }
        if seen != live_events {
            errors.push(format!(
                "events.list returned {seen} events, the file holds {live_events}"
            ));
        }
        errors
    }
}

fn record(
    r: &rusqlite::Row<'_>,
    kind: &'static str,
    fields: serde_json::Map<String, Value>,
) -> rusqlite::Result<RecordRow> {
    Ok(RecordRow {
        kind,
        workspace_id: r.get(0)?,
        livemode: r.get::<_, i64>(1)? != 0,
        id: r.get(2)?,
        display_id: r.get(3)?,
        customer_id: r.get(4)?,
        deleted_at: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        fields,
    })
}

pub fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("objects serialise")
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of the file.
pub fn sqlite_checks(path: &Path) -> Vec<String> {
    let mut errors = Vec::new();
    let conn = match Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
        Ok(c) => c,
        Err(e) => return vec![format!("raw open: {e}")],
    };
    let _ = conn.busy_timeout(std::time::Duration::from_secs(10));
    match conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
    {
        Ok::<Vec<String>, _>(rows) if rows == ["ok"] => {}
        Ok(rows) => errors.push(format!("integrity_check: {rows:?}")),
        Err(e) => errors.push(format!("integrity_check failed: {e}")),
    }
    match conn.prepare("PRAGMA foreign_key_check").and_then(|mut s| {
        s.query_map([], |r| {
            Ok(format!(
                "{} row {:?} → {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?
            ))
        })?
        .collect()
    }) {
        Ok::<Vec<String>, _>(rows) if rows.is_empty() => {}
        Ok(rows) => errors.push(format!("foreign_key_check: {rows:?}")),
        Err(e) => errors.push(format!("foreign_key_check failed: {e}")),
    }
    errors
}

/// What a worker reports after an operation returned: `{"actor", "op", "key", "ok" | "err"}`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Ack {
    /// The actor the operation ran under: unique per operation, so its events can be found.
    pub actor: String,
    /// `customers.create`, `onboardings.update`, …
    pub op: String,
    /// The idempotency key of a create, if it had one.
    pub key: Option<String>,
    /// The returned object (or deletion envelope).
    pub ok: Option<Value>,
    /// The error code.
    pub err: Option<String>,
}

/// Random operations through the public API, remembering the ids it created or found.
#[derive(Debug, Default)]
pub struct Workload {
    pub customers: Vec<String>,
    pub contacts: Vec<String>,
    pub onboardings: Vec<String>,
    /// Keyed creates that may be replayed: (op, key, customer name).
    keyed: Vec<(String, String, String)>,
    counter: u64,
}

const PHASES: &[&str] = &[
    "before_getting_started",
    "program_design",
    "review",
    "program_buildout",
    "internal_qa",
    "launch",
    "completed",
];
const STATES: &[&str] = &["active", "paused", "at_risk", "waiting"];
const STATUSES: &[&str] = &["onboarding", "active", "at_risk", "churned", "archived"];

impl Workload {
    /// Learns the visible records of an existing file.
    pub fn discover(db: &Pivotal) -> pivotal_core::Result<Self> {
        let mut w = Workload::default();
        let mut cursor = None;
        loop {
            let page = db.customers().list(&pivotal_core::CustomerListParams {
                limit: Some(100),
                cursor: cursor.take(),
                ..Default::default()
            })?;
            w.customers.extend(page.data.iter().map(|c| c.id.clone()));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        for customer in w.customers.clone() {
            let mut cursor = None;
            loop {
                let page = match db.contacts().list(
                    &customer,
                    &pivotal_core::ListParams {
                        limit: Some(100),
                        cursor: cursor.take(),
                    },
                ) {
                    Ok(page) => page,
                    // Deleted by another writer since the customers were listed.
                    Err(e) if e.http_status() == 404 => break,
                    Err(e) => return Err(e),
                };
                w.contacts.extend(page.data.iter().map(|c| c.id.clone()));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
        }
        let mut cursor = None;
        loop {
            let page = db.onboardings().list(&pivotal_core::OnboardingListParams {
                limit: Some(100),
                cursor: cursor.take(),
                ..Default::default()
            })?;
            w.onboardings.extend(page.data.iter().map(|c| c.id.clone()));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        Ok(w)
    }

    /// A reference to one of `ids`: its id, or now and then its display id (looked up), or a
    /// missing one.
    fn target(rng: &mut Rng, ids: &[String]) -> String {
        match rng.pick(ids) {
            Some(id) => id.clone(),
            None => "cus_missing".into(),
        }
    }

    /// Runs one random operation as `actor` and reports it. `unique` makes names, emails and
    /// keys unique across workers and processes.
    pub fn step(&mut self, db: &Pivotal, rng: &mut Rng, actor: &str, unique: &str) -> Ack {
        use pivotal_core::{
            ContactParams, ContactPatch, CustomerParams, CustomerPatch, OnboardingParams,
            OnboardingPatch, Patch,
        };
        self.counter += 1;
        let n = self.counter;
        let db = db.with_actor(actor).expect("the workers' actors are valid");
        let mut key = None;
        let roll = rng.below(100);
        let (op, result): (&str, pivotal_core::Result<Value>) = match roll {
            // Customers: creates (some keyed, some replayed, some colliding on the slug).
            0..=11 => {
                let replay = rng.chance(10) && !self.keyed.is_empty();
                let (k, name) = if replay {
                    let (_, k, name) = rng.pick(&self.keyed).cloned().unwrap();
                    (Some(k), name)
                } else {
                    let name = if rng.chance(5) && !self.customers.is_empty() {
                        format!("Dup {unique}") // the second one is slug_taken
                    } else {
                        format!("Cust {unique} {n}")
                    };
                    let k = rng.chance(30).then(|| format!("k-{unique}-{n}"));
                    if let Some(k) = &k {
                        self.keyed
                            .push(("customers.create".into(), k.clone(), name.clone()));
                    }
                    (k, name)
                };
                key = k.clone();
                let params = CustomerParams {
                    name,
                    mrr: Some(1000),
                    ..Default::default()
                };
                let r = db.customers().create(params, k.as_deref());
                if let Ok(c) = &r {
                    if !self.customers.contains(&c.id) {
                        self.customers.push(c.id.clone());
                    }
                }
                ("customers.create", r.map(|v| to_value(&v)))
            }
            12..=19 => {
                let status = *rng.pick(STATUSES).unwrap();
                let patch = CustomerPatch {
                    status: Patch::Set(status.parse().unwrap()),
                    mrr: if rng.chance(50) {
                        Patch::Set(rng.below(10_000) as i64)
                    } else {
                        Patch::Unchanged
                    },
                    ..Default::default()
                };
                let target = Self::target(rng, &self.customers);
                (
                    "customers.update",
                    db.customers().update(&target, patch).map(|v| to_value(&v)),
                )
            }
            20..=21 => {
                let target = Self::target(rng, &self.customers);
                (
                    "customers.delete",
                    db.customers().delete(&target).map(|v| to_value(&v)),
                )
            }
            // Contacts: creates (some primary, some with a taken email), updates, deletes.
            22..=35 => {
                let email = if rng.chance(10) {
                    format!("same-{unique}@example.com")
                } else {
                    format!("c-{unique}-{n}@example.com")
                };
                let params = ContactParams {
                    name: format!("Contact {n}"),
                    email,
                    is_primary: rng.chance(40).then_some(true),
                    labels: Some(vec!["a".into(), "B".into()]),
                    ..Default::default()
                };
                let target = Self::target(rng, &self.customers);
                let k = rng.chance(20).then(|| format!("kc-{unique}-{n}"));
                key = k.clone();
                let r = db.contacts().create(&target, params, k.as_deref());
                if let Ok(c) = &r {
                    self.contacts.push(c.id.clone());
                }
                ("contacts.create", r.map(|v| to_value(&v)))
            }
            36..=43 => {
                let patch = ContactPatch {
                    is_primary: Patch::Set(rng.chance(70)),
                    title: if rng.chance(50) {
                        Patch::Set(format!("Title {n}"))
                    } else {
                        Patch::Clear
                    },
                    ..Default::default()
                };
                let target = Self::target(rng, &self.contacts);
                (
                    "contacts.update",
                    db.contacts().update(&target, patch).map(|v| to_value(&v)),
                )
            }
            44..=46 => {
                let target = Self::target(rng, &self.contacts);
                (
                    "contacts.delete",
                    db.contacts().delete(&target).map(|v| to_value(&v)),
                )
            }
            // Onboardings: creates in any phase, phase and state changes, deletes.
            47..=58 => {
                let params = OnboardingParams {
                    customer_id: Self::target(rng, &self.customers),
                    phase: rng
                        .chance(30)
                        .then(|| rng.pick(PHASES).unwrap().parse().unwrap()),
                    waiting_on_customer: rng.chance(20).then_some(true),
                    notes: Some(format!("notes {n}")),
                    ..Default::default()
                };
                let k = rng.chance(20).then(|| format!("ko-{unique}-{n}"));
                key = k.clone();
                let r = db.onboardings().create(params, k.as_deref());
                if let Ok(o) = &r {
                    self.onboardings.push(o.id.clone());
                }
                ("onboardings.create", r.map(|v| to_value(&v)))
            }
            59..=96 => {
                let target = Self::target(rng, &self.onboardings);
                let mut patch = OnboardingPatch::default();
                match rng.below(6) {
                    // One step forward, the common case.
                    0 | 1 => {
                        if let Ok(o) = db.onboardings().retrieve(&target) {
                            let i = PHASES.iter().position(|p| *p == o.phase.as_str()).unwrap();
                            if let Some(next) = PHASES.get(i + 1) {
                                patch.phase = Patch::Set(next.parse().unwrap());
                            }
                        }
                    }
                    // Any phase, with or without a reason.
                    2 => {
                        patch.phase = Patch::Set(rng.pick(PHASES).unwrap().parse().unwrap());
                        if rng.chance(70) {
                            patch.reason = Some(format!("reason {n}"));
                        }
                    }
                    3 => patch.state = Patch::Set(rng.pick(STATES).unwrap().parse().unwrap()),
                    4 => patch.waiting_on_customer = Patch::Set(rng.chance(50)),
                    _ => {
                        patch.notes = Patch::Set(format!("note {n}"));
                        patch.state = Patch::Set(rng.pick(STATES).unwrap().parse().unwrap());
                        patch.phase = Patch::Set(rng.pick(PHASES).unwrap().parse().unwrap());
                        patch.reason = Some("why not".into());
                    }
                }
                (
                    "onboardings.update",
                    db.onboardings()
                        .update(&target, patch)
                        .map(|v| to_value(&v)),
                )
            }
            _ => {
                let target = Self::target(rng, &self.onboardings);
                (
                    "onboardings.delete",
                    db.onboardings().delete(&target).map(|v| to_value(&v)),
                )
            }
        };
        let (ok, err) = match result {
            Ok(v) => (Some(v), None),
            Err(e) => (None, Some(e.code.as_str().to_owned())),
        };
        Ack {
            actor: actor.to_owned(),
            op: op.to_owned(),
            key,
            ok,
            err,
        }
    }
}

impl Snapshot {
    /// The checks of one acknowledged operation: a success left exactly its result in the log
    /// (a create its `created` event, a delete its `deleted` event, an update an event carrying
    /// the returned object unless it changed nothing) and a keyed create its idempotency entry;
    /// a failure left nothing.
    pub fn check_ack(&self, ack: &Ack) -> Vec<String> {
        let mut errors = Vec::new();
        let mine = self.events_by_actor(&ack.actor);
        let Some(ok) = &ack.ok else {
            if !mine.is_empty() {
                errors.push(format!(
                    "{} {} failed ({:?}) but wrote {} events",
                    ack.actor,
                    ack.op,
                    ack.err,
                    mine.len()
                ));
            }
            return errors;
        };
        let id = ok["id"].as_str().unwrap_or_default();
        let kind = ack.op.trim_end_matches(|c| c != '.').trim_end_matches('.');
        let kind = kind.strip_suffix('s').unwrap_or(kind);
        let action = ack.op.rsplit('.').next().unwrap_or_default();
        let own: Vec<&&EventRow> = mine.iter().filter(|e| e.object_id == id).collect();
        match action {
            "create" => {
                let created = own
                    .iter()
                    .any(|e| e.action() == "created" && e.object() == ok);
                // A replayed key writes nothing and returns the first response.
                let replayed = own.is_empty()
                    && ack.key.is_some()
                    && self
                        .events_of(id)
                        .first()
                        .is_some_and(|e| e.action() == "created" && e.object() == ok);
                if !(created || replayed) {
                    errors.push(format!(
                        "{} {}: no created event for {ok}",
                        ack.actor, ack.op
                    ));
                }
                if let Some(key) = &ack.key {
                    match self.idempotency.get(&(ack.op.clone(), key.clone())) {
                        Some(stored) if stored == ok => {}
                        other => errors.push(format!(
                            "{} {}: idempotency entry {key} is {other:?}, returned {ok}",
                            ack.actor, ack.op
                        )),
                    }
                }
                match self.record(id) {
                    Some(r) if r.kind == kind && ok["display_id"] == r.display_id => {}
                    other => errors.push(format!(
                        "{} {}: record {id} is {other:?}",
                        ack.actor, ack.op
                    )),
                }
            }
            "update" => {
                let logged = if own.is_empty() {
                    // Nothing changed: the result is the object as last logged before.
                    self.events_of(id).iter().any(|e| e.object() == ok)
                } else {
                    own.iter()
                        .any(|e| e.event_type == format!("{kind}.updated") && e.object() == ok)
                };
                if !logged {
                    errors.push(format!(
                        "{} {}: the returned {id} is in no event",
                        ack.actor, ack.op
                    ));
                }
            }
            _ => {
                if !own.iter().any(|e| e.action() == "deleted") {
                    errors.push(format!(
                        "{} {}: no deleted event for {id}",
                        ack.actor, ack.op
                    ));
                }
                if self.record(id).and_then(|r| r.deleted_at).is_none() {
                    errors.push(format!("{} {}: {id} is not deleted", ack.actor, ack.op));
                }
            }
        }
        errors
    }
}
