//! The PostgreSQL store against hand-written baselines and beside SQLite (BENCHMARKS.md, one run):
//!
//! 1. one customer created, and one retrieved by id: the library against the same statements
//!    written by hand with the same client (`postgres`), on the same server;
//! 2. writer scaling: 1, 2, 4 and 8 writer processes creating customers, each in its own workspace
//!    or all in one, on PostgreSQL and on one SQLite file;
//! 3. the workspace report over 100,000 onboardings (a year of history each; the size is
//!    `PIVOTAL_BENCH_REPORT_N`), PostgreSQL beside SQLite;
//! 4. one large transaction: `create_many` of 20,000 customers (`PIVOTAL_BENCH_BULK_N`), each
//!    taking a display id and an event sequence, PostgreSQL beside SQLite.
//!
//! Run with `make bench-pg` (starts a throwaway server). `cargo test --bench postgres` (or
//! `PIVOTAL_BENCH_SMOKE=1`) runs each part on a few rows, to check the bench still works.

#[path = "support/report_data.rs"]
mod report_data;
#[path = "support/mod.rs"]
mod support;

use pivotal_core::store::conformance::fixtures::at;
use pivotal_core::store::postgres::testing::fresh_database;
use pivotal_core::{CustomerParams, Pivotal, PostgresStore, SqliteStore, WorkspaceReportParams};
use postgres::{Client, NoTls, Statement};
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CHILD: &str = "--writer-child";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == CHILD) {
        writer_child(
            &args[i + 1],
            &args[i + 2],
            args[i + 3].parse().unwrap(),
            args[i + 4].parse().unwrap(),
        );
        return;
    }
    let smoke = support::smoke();
    // PIVOTAL_BENCH_PARTS: a comma-separated subset of `single,writers,report,bulk` (default: all).
    let parts = std::env::var("PIVOTAL_BENCH_PARTS").unwrap_or_default();
    let part = |name: &str| parts.is_empty() || parts.split(',').any(|p| p == name);
    if part("single") {
        single_operations(smoke);
    }
    if part("writers") {
        writer_scaling(smoke);
    }
    if part("report") {
        report(smoke);
    }
    if part("bulk") {
        bulk(smoke);
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

// 1. Single operations ---------------------------------------------------------------------

/// The statements a customer create runs, by hand, each prepared once like the library's: lock
/// the workspace (reading its event sequence), check the slug, take the display id, insert the
/// customer, append its event (storing the next sequence in the locked row). And a retrieve by id: one select in a read-only snapshot.
struct Baseline {
    client: Client,
    workspace: String,
    statements: [Statement; 6],
}

const BASELINE: [&str; 6] = [
    "INSERT INTO write_locks (workspace_id) VALUES ($1)
     ON CONFLICT (workspace_id) DO UPDATE SET sequence = write_locks.sequence RETURNING sequence",
    "SELECT c.id FROM customers c WHERE c.workspace_id = $1 AND c.livemode = $2 AND c.slug = $3
       AND c.deleted_at IS NULL ORDER BY c.created_at DESC, c.id DESC LIMIT 1",
    "INSERT INTO counters (workspace_id, kind, value) VALUES ($1, 'customer', 1)
     ON CONFLICT (workspace_id, kind) DO UPDATE SET value = counters.value + 1 RETURNING value",
    "INSERT INTO customers (workspace_id, livemode, id, display_id, name, slug, domain, status,
         plan, mrr, monthly_orders, hubspot_company_id, hubspot_deal_id, stripe_customer_id,
         intercom_company_id, slack_channel_id, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, NULL, 'onboarding', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, '{}', $7, $7)",
    "WITH s AS (UPDATE write_locks SET sequence = $7 WHERE workspace_id = $1)
     INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id, customer_id,
         created_at, actor, data)
     VALUES ($1, $2, $7, $3, 'customer.created', $4, $4, $5, 'bench', $6)",
    "SELECT c.id, c.display_id, c.name, c.slug, c.domain, c.status, c.plan, c.mrr,
         c.monthly_orders, c.hubspot_company_id, c.hubspot_deal_id, c.stripe_customer_id,
         c.intercom_company_id, c.slack_channel_id, c.metadata, c.created_at, c.updated_at
     FROM customers c WHERE c.workspace_id = $1 AND c.livemode = $2 AND c.id = $3
       AND c.deleted_at IS NULL",
];

impl Baseline {
    fn new(url: &str, workspace: String) -> Self {
        let mut client = Client::connect(url, NoTls).unwrap();
        let statements = BASELINE.map(|sql| client.prepare(sql).unwrap());
        Self {
            client,
            workspace,
            statements,
        }
    }

    fn create(&mut self, n: usize) -> String {
        let id = format!("cus_base{n:016}");
        let name = format!("Baseline {n}");
        let slug = format!("baseline-{n}");
        let ms = now_ms() as i64;
        let [lock, by_slug, counter, insert, event, _] = &self.statements;
        let ws = &self.workspace;
        let mut tx = self.client.transaction().unwrap();
        let sequence: i64 = tx.query_one(lock, &[ws]).unwrap().get(0);
        assert!(tx.query(by_slug, &[ws, &true, &slug]).unwrap().is_empty());
        let display_id: i64 = tx.query_one(counter, &[ws]).unwrap().get(0);
        tx.execute(insert, &[ws, &true, &id, &display_id, &name, &slug, &ms])
            .unwrap();
        let object = json!({"object": "customer", "id": id, "display_id": display_id,
            "name": name, "slug": slug, "status": "onboarding", "metadata": {}});
        let data = json!({"object": object, "previous_attributes": null}).to_string();
        let event_id = format!("evt_base{n:016}");
        let sequence = sequence + 1;
        tx.execute(event, &[ws, &true, &event_id, &id, &ms, &data, &sequence])
            .unwrap();
        tx.commit().unwrap();
        id
    }

    fn retrieve(&mut self, id: &str) -> (String, serde_json::Value) {
        let select = &self.statements[5];
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .unwrap();
        let row = tx
            .query_one(select, &[&self.workspace, &true, &id])
            .unwrap();
        let metadata = serde_json::from_str(row.get::<_, &str>(14)).unwrap();
        let name: String = row.get(2);
        tx.rollback().unwrap();
        (name, metadata)
    }
}

fn single_operations(smoke: bool) {
    let url = fresh_database();
    let db = Pivotal::options().actor("bench").open(&url).unwrap();
    let mut baseline = Baseline::new(&url, db.session().workspace.id.clone());
    let (rounds, per_round) = if smoke { (1, 10) } else { (5, 1_000) };
    let (mut lib_create, mut base_create) = (Duration::ZERO, Duration::ZERO);
    let (mut lib_read, mut base_read) = (Duration::ZERO, Duration::ZERO);
    let (mut lib_ids, mut base_ids) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let started = Instant::now();
        for i in 0..per_round {
            let n = round * per_round + i;
            let params = CustomerParams {
                name: format!("Library {n}"),
                ..Default::default()
            };
            lib_ids.push(db.customers().create(params, None).unwrap().id);
        }
        lib_create += started.elapsed();
        let started = Instant::now();
        for i in 0..per_round {
            base_ids.push(baseline.create(round * per_round + i));
        }
        base_create += started.elapsed();
        let started = Instant::now();
        for id in &lib_ids[round * per_round..] {
            std::hint::black_box(db.customers().retrieve(id).unwrap());
        }
        lib_read += started.elapsed();
        let started = Instant::now();
        for id in &base_ids[round * per_round..] {
            std::hint::black_box(baseline.retrieve(id));
        }
        base_read += started.elapsed();
    }
    let ops = (rounds * per_round) as u32;
    for (what, lib, base) in [
        ("create", lib_create, base_create),
        ("retrieve by id", lib_read, base_read),
    ] {
        println!(
            "single {what}: library {:?}/op, hand-written baseline {:?}/op: {:.2}x the baseline's speed",
            lib / ops,
            base / ops,
            base.as_secs_f64() / lib.as_secs_f64()
        );
    }
}

// 2. Writer scaling --------------------------------------------------------------------------

/// A writer process: opens `target`, switches to workspace `slug`, waits for `start_ms`, creates
/// customers for `millis`, prints how many.
fn writer_child(target: &str, slug: &str, start_ms: u64, millis: u64) {
    let db = Pivotal::options().actor("writer").open(target).unwrap();
    let db = if slug == "default" {
        db
    } else {
        db.with_workspace(slug).unwrap()
    };
    std::thread::sleep(Duration::from_millis(start_ms.saturating_sub(now_ms())));
    let deadline = Instant::now() + Duration::from_millis(millis);
    let (mut n, pid) = (0u64, std::process::id());
    while Instant::now() < deadline {
        let params = CustomerParams {
            name: format!("W {pid} {n}"),
            ..Default::default()
        };
        db.customers().create(params, None).unwrap();
        n += 1;
    }
    println!("@@COUNT {n}");
}

/// CPU time used so far by this process's waited-for children (the writers).
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// CPU time used so far by the server's processes on this machine (every process named
/// `postgres`, and the backends that have exited, counted in their parent's `cutime`).
fn server_cpu() -> Duration {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        if !head.ends_with("(postgres") {
            continue;
        }
        // After the command: state is field 3; utime, stime, cutime, cstime are 14 to 17.
        let fields: Vec<u64> = tail
            .split_whitespace()
            .skip(11)
            .take(4)
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        total += fields.iter().sum::<u64>();
    }
    Duration::from_secs_f64(total as f64 / ticks)
}

/// What one run of writers did: creates per second, and the client's and (PostgreSQL only)
/// the server's CPU time per create.
struct Rate {
    per_second: f64,
    client_cpu: Duration,
    server_cpu: Option<Duration>,
}

fn run_writers(target: &str, processes: usize, separate: bool, millis: u64) -> Rate {
    let (client_before, server_before) = (children_cpu(), server_cpu());
    let exe = std::env::current_exe().unwrap();
    let start = now_ms() + 1_500;
    let children: Vec<_> = (0..processes)
        .map(|p| {
            let slug = if separate {
                format!("w{p}")
            } else {
                "default".into()
            };
            Command::new(&exe)
                .args([
                    CHILD,
                    target,
                    &slug,
                    &start.to_string(),
                    &millis.to_string(),
                ])
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut total = 0u64;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let count = text
            .lines()
            .find_map(|l| l.strip_prefix("@@COUNT "))
            .expect("a count");
        total += count.trim().parse::<u64>().unwrap();
    }
    let creates = total.max(1) as u32;
    Rate {
        per_second: total as f64 / (millis as f64 / 1000.0),
        client_cpu: (children_cpu() - client_before) / creates,
        server_cpu: pivotal_core::store::is_postgres_url(target)
            .then(|| (server_cpu().saturating_sub(server_before)) / creates),
    }
}

fn writer_scaling(smoke: bool) {
    let millis = if smoke { 200 } else { 3_000 };
    let counts: &[usize] = if smoke { &[1, 2] } else { &[1, 2, 4, 8] };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("scaling.db").to_string_lossy().into_owned();
    let url = fresh_database();
    let mut server = Client::connect(&url, NoTls).unwrap();
    let setting = |server: &mut Client, name: &str| -> String {
        server
            .query_one(&format!("SHOW {name}"), &[])
            .unwrap()
            .get(0)
    };
    let postgresql = format!(
        "postgresql (fsync {}, synchronous_commit {})",
        setting(&mut server, "fsync"),
        setting(&mut server, "synchronous_commit")
    );
    for (backend, target) in [(postgresql.as_str(), url), ("sqlite", sqlite)] {
        let db = Pivotal::open(&target).unwrap();
        for w in 0..8 {
            db.workspaces()
                .create(&format!("W{w}"), Some(&format!("w{w}")))
                .unwrap();
        }
        for separate in [true, false] {
            let rates: Vec<Rate> = counts
                .iter()
                .map(|&n| run_writers(&target, n, separate, millis))
                .collect();
            let line: Vec<String> = counts
                .iter()
                .zip(&rates)
                .map(|(n, r)| {
                    let server = r
                        .server_cpu
                        .map(|cpu| format!(", server {} µs", cpu.as_micros()))
                        .unwrap_or_default();
                    format!(
                        "{n}: {:.0}/s ({:.2}x; CPU per create: client {} µs{server})",
                        r.per_second,
                        r.per_second / rates[0].per_second,
                        r.client_cpu.as_micros()
                    )
                })
                .collect();
            let place = if separate {
                "separate workspaces"
            } else {
                "one workspace"
            };
            println!("writers {backend}, {place}: {}", line.join(", "));
        }
    }
}

// 3. The workspace report -----------------------------------------------------------------------

fn report(smoke: bool) {
    // PIVOTAL_BENCH_REPORT_N sets the size. Loaded in transactions of 1,000 onboardings.
    let n = std::env::var("PIVOTAL_BENCH_REPORT_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if smoke { 200 } else { 100_000 });
    let params = WorkspaceReportParams {
        stalled_after_days: Some(14.0),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("report.db")).unwrap();
    let url = fresh_database();
    let postgres = PostgresStore::open(&url).unwrap();
    for (backend, store) in [
        (
            "postgresql",
            Box::new(postgres) as Box<dyn pivotal_core::Store>,
        ),
        ("sqlite", Box::new(sqlite)),
    ] {
        let (db, rows, took) = report_data::load_in_chunks(store, n, 1_000);
        if backend == "postgresql" {
            // The planner's statistics, as autovacuum would gather them after a bulk load.
            Client::connect(&url, NoTls)
                .unwrap()
                .batch_execute("ANALYZE")
                .unwrap();
        }
        let mut best = Duration::MAX;
        let mut total = 0;
        for _ in 0..3 {
            let started = Instant::now();
            total = db.analytics().workspace(&params).unwrap().total;
            best = best.min(started.elapsed());
        }
        let mid = WorkspaceReportParams {
            as_of: Some(at(report_data::T0 + 182 * report_data::DAY)),
            ..params.clone()
        };
        std::hint::black_box(db.analytics().workspace(&mid).unwrap());
        println!("report {backend}: {n} onboardings ({rows} history rows, loaded in {took:.1?}): {best:?} (best of 3), {total} covered");
    }
}

// 4. One large transaction -----------------------------------------------------------------------

fn bulk(smoke: bool) {
    let n: usize = std::env::var("PIVOTAL_BENCH_BULK_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if smoke { 200 } else { 20_000 });
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("bulk.db").to_string_lossy().into_owned();
    for (backend, target) in [("postgresql", fresh_database()), ("sqlite", sqlite)] {
        let db = Pivotal::options().actor("bench").open(&target).unwrap();
        let params: Vec<CustomerParams> = (0..n)
            .map(|i| CustomerParams {
                name: format!("Bulk {i}"),
                ..Default::default()
            })
            .collect();
        let started = Instant::now();
        let created = db.customers().create_many(params).unwrap();
        let took = started.elapsed();
        assert_eq!(created.last().map(|c| c.display_id), Some(n as i64));
        println!(
            "bulk {backend}: create_many of {n} customers in one transaction: {took:.2?} ({:.0}/s)",
            n as f64 / took.as_secs_f64()
        );
    }
}
