//! The benchmark's baseline (server/bench/run.sh): the minimal hand-written handler the issue asks
//! to compare `pivotal serve` with: the same stack (axum + tokio, the queries on the blocking
//! pool), the same queries, one key checked with a constant-time compare, no validation, no rules.
//!
//! `GET /api/v1/onboardings/{id}` runs the store's select of an onboarding by id and writes its
//! JSON by hand. `POST /api/v1/onboardings` runs, in one transaction, the statements the store runs
//! for a create: (on PostgreSQL) lock the workspace's row of `write_locks`, find the customer by
//! display id, take the display id, insert the onboarding, append its history row, append its event
//! (on SQLite, after reading the workspace's last sequence). The rules' reads (the API key's state,
//! idempotency) and every check are left out. The data lives in a workspace of its own, `baseline`,
//! made with the library before the server starts.
//!
//! With `--one-row`, the floor of any handler instead: `GET` reads one row's JSON by primary key
//! from a table of its own, and `POST` inserts the body as it came, one statement each.
//!
//! On a file, over rusqlite in WAL mode with `synchronous=NORMAL` like the store (one reading and
//! one writing connection); on a `postgresql://` URL, over the `postgres` crate with prepared
//! statements and the store's kind of pool (idle connections kept for reuse, a new one when none
//! is idle).
//!
//! `http_baseline DB_FILE_OR_URL ADDR SECRET [--one-row]` prints `listening on http://ADDR`, then
//! `onboarding ID` (the id to read).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, SecondsFormat};
use pivotal_core::{CustomerParams, OnboardingParams, Pivotal};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use subtle::ConstantTimeEq;

/// The statements of one dialect. `$n`/`?n` parameters as in the store's own text.
struct Sql {
    /// ws, live, id → the onboarding's 22 columns (the store's `ONBOARDING`).
    onboarding: &'static str,
    /// ws, live, display id → the customer's id (the store's `CUSTOMER_BY_DISPLAY_ID`).
    customer: &'static str,
    /// ws, kind → the next display id (`NEXT_DISPLAY_ID`).
    display_id: &'static str,
    /// The 24 columns of `INSERT_ONBOARDING`.
    insert: &'static str,
    /// ws, live, onboarding, at, previous phase, phase, state, started_at, target launch, csm,
    /// template (`APPEND_HISTORY`).
    history: &'static str,
    /// ws, live, id, type, object, customer, created_at, actor, data, sequence (`APPEND_EVENT`).
    event: &'static str,
}

macro_rules! onboarding_columns {
    () => {
        "o.id, o.display_id, o.customer_id, o.template_id, o.phase, o.state, o.started_at, \
         o.completed_at, o.target_launch_date, o.csm_id, o.se_id, o.designer_id, o.product_ops_id, \
         o.notes, o.waiting_on_customer, o.waiting_on_customer_since, o.wizard_completed_at, \
         o.reminder_email, o.reminder_slack, o.reminder_frequency_days, o.created_at, o.updated_at"
    };
}

macro_rules! customer_columns {
    () => {
        "c.id, c.display_id, c.name, c.slug, c.domain, c.status, c.plan, c.mrr, c.monthly_orders, \
         c.hubspot_company_id, c.hubspot_deal_id, c.stripe_customer_id, c.intercom_company_id, \
         c.slack_channel_id, c.metadata, c.created_at, c.updated_at"
    };
}

macro_rules! insert_onboarding {
    () => {
        "INSERT INTO onboardings (workspace_id, livemode, id, display_id, customer_id, template_id, \
         phase, state, started_at, completed_at, target_launch_date, csm_id, se_id, designer_id, \
         product_ops_id, notes, waiting_on_customer, waiting_on_customer_since, \
         wizard_completed_at, reminder_email, reminder_slack, reminder_frequency_days, created_at, \
         updated_at) "
    };
}

const POSTGRES: Sql = Sql {
    onboarding: concat!(
        "SELECT ",
        onboarding_columns!(),
        " FROM onboardings o JOIN customers p
             ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode AND p.id = o.customer_id
         WHERE o.workspace_id = $1 AND o.livemode = $2 AND o.id = $3 AND o.deleted_at IS NULL
           AND p.deleted_at IS NULL"
    ),
    customer: concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers c WHERE c.workspace_id = $1 AND c.display_id = $3 AND c.livemode = $2
           AND c.deleted_at IS NULL"
    ),
    display_id: "INSERT INTO counters (workspace_id, kind, value) VALUES ($1, $2, 1)
        ON CONFLICT (workspace_id, kind) DO UPDATE SET value = counters.value + 1 RETURNING value",
    insert: concat!(
        insert_onboarding!(),
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20, $21, $22, $23, $24)"
    ),
    history:
        "INSERT INTO onboarding_history (workspace_id, livemode, onboarding_id, seq, at, until,
            previous_phase, phase, state, started_at, target_launch_date, csm_id, template_id)
        SELECT $1::text, $2::boolean, $3::text,
            coalesce((SELECT max(seq) + 1 FROM onboarding_history
                      WHERE workspace_id = $1 AND livemode = $2 AND onboarding_id = $3), 0),
            $4::bigint, NULL, $5::text, $6::text, $7::text, $8::bigint, $9::bigint, $10::text,
            $11::text
        RETURNING seq",
    event: "WITH s AS (UPDATE write_locks SET sequence = $10 WHERE workspace_id = $1)
        INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id, customer_id,
            created_at, actor, data)
        VALUES ($1, $2, $10, $3, $4, $5, $6, $7, $8, $9)",
};

/// PostgreSQL's first statement of a write: the workspace's lock, returning its last sequence.
const PG_LOCK: &str = "INSERT INTO write_locks (workspace_id) VALUES ($1)
    ON CONFLICT (workspace_id) DO UPDATE SET sequence = write_locks.sequence RETURNING sequence";
/// SQLite's read of the workspace's last sequence.
const SQLITE_LAST_SEQUENCE: &str =
    "SELECT sequence FROM events WHERE workspace_id = ?1 ORDER BY sequence DESC LIMIT 1";

const SQLITE: Sql = Sql {
    onboarding: concat!(
        "SELECT ",
        onboarding_columns!(),
        " FROM onboardings o CROSS JOIN customers p
             ON p.workspace_id = o.workspace_id AND p.livemode = o.livemode AND p.id = o.customer_id
         WHERE o.workspace_id = ?1 AND o.livemode = ?2 AND o.id = ?3 AND o.deleted_at IS NULL
           AND p.deleted_at IS NULL"
    ),
    customer: concat!(
        "SELECT ",
        customer_columns!(),
        " FROM customers c WHERE c.workspace_id = ?1 AND c.display_id = ?3 AND c.livemode = ?2
           AND c.deleted_at IS NULL"
    ),
    display_id: "INSERT INTO counters (workspace_id, kind, value) VALUES (?1, ?2, 1)
        ON CONFLICT (workspace_id, kind) DO UPDATE SET value = value + 1 RETURNING value",
    insert: concat!(
        insert_onboarding!(),
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24)"
    ),
    history:
        "INSERT INTO onboarding_history (workspace_id, livemode, onboarding_id, seq, at, until,
            previous_phase, phase, state, started_at, target_launch_date, csm_id, template_id)
        SELECT ?1, ?2, ?3,
            coalesce((SELECT max(seq) + 1 FROM onboarding_history
                      WHERE workspace_id = ?1 AND livemode = ?2 AND onboarding_id = ?3), 0),
            ?4, NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?11
        RETURNING seq",
    event: "INSERT INTO events (workspace_id, livemode, sequence, id, type, object_id, customer_id,
            created_at, actor, data)
        VALUES (?1, ?2, ?10, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
};

const ONE_ROW_SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS baseline_onboardings (id TEXT PRIMARY KEY, body TEXT NOT NULL)";
const ONE_ROW_GET: &str = "SELECT body FROM baseline_onboardings WHERE id = $1";
const ONE_ROW_PUT: &str = "INSERT INTO baseline_onboardings (id, body) VALUES ($1, $2)";

/// An onboarding row, as the select and the insert carry it.
struct Row {
    id: String,
    display_id: i64,
    customer_id: String,
    phase: String,
    state: String,
    started_at: i64,
    waiting_on_customer: bool,
    reminder_email: bool,
    reminder_slack: bool,
    reminder_frequency_days: i64,
    created_at: i64,
    updated_at: i64,
    /// The nullable text columns: template, csm, se, designer, product ops, notes.
    texts: [Option<String>; 6],
    /// The nullable instants: completed, target launch, waiting since, wizard completed.
    instants: [Option<i64>; 4],
}

fn instant(ms: i64) -> Value {
    DateTime::from_timestamp_millis(ms)
        .map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::Millis, true)))
        .unwrap_or(Value::Null)
}

fn opt_instant(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, instant)
}

impl Row {
    fn to_json(&self) -> Value {
        let [template, csm, se, designer, product_ops, notes] = &self.texts;
        let [completed, target, since, wizard] = self.instants;
        json!({
            "object": "onboarding", "id": self.id, "display_id": self.display_id,
            "customer_id": self.customer_id, "template_id": template, "phase": self.phase,
            "state": self.state, "started_at": instant(self.started_at),
            "completed_at": opt_instant(completed), "target_launch_date": opt_instant(target),
            "csm_id": csm, "se_id": se, "designer_id": designer, "product_ops_id": product_ops,
            "notes": notes, "waiting_on_customer": self.waiting_on_customer,
            "waiting_on_customer_since": opt_instant(since),
            "wizard_completed_at": opt_instant(wizard), "reminder_email": self.reminder_email,
            "reminder_slack": self.reminder_slack,
            "reminder_frequency_days": self.reminder_frequency_days,
            "created_at": instant(self.created_at), "updated_at": instant(self.updated_at),
        })
    }

    /// A new onboarding of `customer_id`, as a create without options makes it.
    fn new(id: String, display_id: i64, customer_id: String, now: i64) -> Self {
        Self {
            id,
            display_id,
            customer_id,
            phase: "before_getting_started".into(),
            state: "active".into(),
            started_at: now,
            waiting_on_customer: false,
            reminder_email: true,
            reminder_slack: true,
            reminder_frequency_days: 1,
            created_at: now,
            updated_at: now,
            texts: Default::default(),
            instants: [None; 4],
        }
    }
}

/// What a create writes besides the row: its event's id and JSON.
struct Created {
    row: Row,
    event_id: String,
    data: String,
}

impl Created {
    fn new(n: u64, customer_id: String, display_id: i64) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let row = Row::new(format!("onb_base{n:016}"), display_id, customer_id, now);
        let data = json!({"object": row.to_json(), "previous_attributes": null}).to_string();
        Self {
            row,
            event_id: format!("evt_base{n:016}"),
            data,
        }
    }
}

struct Db {
    store: Store,
    secret: String,
    one_row: bool,
    /// The `baseline` workspace.
    workspace: String,
    next: AtomicU64,
}

/// One per process: the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
enum Store {
    Sqlite {
        read: Mutex<Connection>,
        write: Mutex<Connection>,
    },
    Postgres {
        url: String,
        idle: Mutex<Vec<Pg>>,
    },
}

/// A PostgreSQL connection and the statements prepared on it.
struct Pg {
    client: postgres::Client,
    prepared: HashMap<&'static str, postgres::Statement>,
}

impl Pg {
    /// `sql`, prepared on this connection the first time.
    fn prepare(&mut self, sql: &'static str) -> postgres::Statement {
        let client = &mut self.client;
        self.prepared
            .entry(sql)
            .or_insert_with(|| client.prepare(sql).expect("the baseline's statement"))
            .clone()
    }
}

fn is_postgres(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

fn sqlite(path: &str) -> Connection {
    let c = Connection::open(path).expect("the baseline's file");
    c.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; {ONE_ROW_SCHEMA};"
    ))
    .expect("the baseline's schema");
    c
}

fn pg(url: &str) -> Pg {
    let mut client =
        postgres::Client::connect(url, postgres::NoTls).expect("the baseline's server");
    client
        .batch_execute(ONE_ROW_SCHEMA)
        .expect("the baseline's schema");
    Pg {
        client,
        prepared: HashMap::new(),
    }
}

/// A bad request's answer (a customer that is not there, a body without `customer_id`).
type Answer = Result<String, (StatusCode, &'static str)>;

const NOT_FOUND: (StatusCode, &str) = (StatusCode::NOT_FOUND, r#"{"error":"not found"}"#);

impl Store {
    fn open(db: &str) -> Self {
        if is_postgres(db) {
            Self::Postgres {
                url: db.to_owned(),
                idle: Mutex::new(vec![pg(db)]),
            }
        } else {
            Self::Sqlite {
                read: Mutex::new(sqlite(db)),
                write: Mutex::new(sqlite(db)),
            }
        }
    }

    /// Runs `f` on an idle PostgreSQL connection (or a new one), then keeps it for reuse.
    fn with_pg<T>(url: &str, idle: &Mutex<Vec<Pg>>, f: impl FnOnce(&mut Pg) -> T) -> T {
        let taken = idle.lock().unwrap().pop();
        let mut conn = taken.unwrap_or_else(|| pg(url));
        let out = f(&mut conn);
        idle.lock().unwrap().push(conn);
        out
    }

    fn onboarding(&self, ws: &str, id: &str) -> Option<Row> {
        match self {
            Self::Sqlite { read, .. } => {
                let c = read.lock().unwrap();
                let mut s = c.prepare_cached(SQLITE.onboarding).unwrap();
                s.query_row(rusqlite::params![ws, true, id], |r| {
                    Ok(Row {
                        id: r.get(0)?,
                        display_id: r.get(1)?,
                        customer_id: r.get(2)?,
                        texts: [
                            r.get(3)?,
                            r.get(9)?,
                            r.get(10)?,
                            r.get(11)?,
                            r.get(12)?,
                            r.get(13)?,
                        ],
                        phase: r.get(4)?,
                        state: r.get(5)?,
                        started_at: r.get(6)?,
                        instants: [r.get(7)?, r.get(8)?, r.get(15)?, r.get(16)?],
                        waiting_on_customer: r.get(14)?,
                        reminder_email: r.get(17)?,
                        reminder_slack: r.get(18)?,
                        reminder_frequency_days: r.get(19)?,
                        created_at: r.get(20)?,
                        updated_at: r.get(21)?,
                    })
                })
                .optional()
                .unwrap()
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                let s = c.prepare(POSTGRES.onboarding);
                c.client
                    .query_opt(&s, &[&ws, &true, &id])
                    .unwrap()
                    .map(|r| Row {
                        id: r.get(0),
                        display_id: r.get(1),
                        customer_id: r.get(2),
                        texts: [
                            r.get(3),
                            r.get(9),
                            r.get(10),
                            r.get(11),
                            r.get(12),
                            r.get(13),
                        ],
                        phase: r.get(4),
                        state: r.get(5),
                        started_at: r.get(6),
                        instants: [r.get(7), r.get(8), r.get(15), r.get(16)],
                        waiting_on_customer: r.get(14),
                        reminder_email: r.get(17),
                        reminder_slack: r.get(18),
                        reminder_frequency_days: r.get(19),
                        created_at: r.get(20),
                        updated_at: r.get(21),
                    })
            }),
        }
    }

    /// Creates an onboarding of the customer with display id `customer`, in one transaction.
    fn create(&self, ws: &str, n: u64, customer: i64) -> Option<Row> {
        match self {
            Self::Sqlite { write, .. } => {
                let mut c = write.lock().unwrap();
                let tx = c
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                    .unwrap();
                let customer_id: String = tx
                    .prepare_cached(SQLITE.customer)
                    .unwrap()
                    .query_row(rusqlite::params![ws, true, customer], |r| r.get(0))
                    .optional()
                    .unwrap()?;
                let display_id: i64 = tx
                    .prepare_cached(SQLITE.display_id)
                    .unwrap()
                    .query_row([ws, "onboarding"], |r| r.get(0))
                    .unwrap();
                let new = Created::new(n, customer_id, display_id);
                let o = &new.row;
                let [template, csm, se, designer, product_ops, notes] = &o.texts;
                let [completed, target, since, wizard] = o.instants;
                tx.prepare_cached(SQLITE.insert)
                    .unwrap()
                    .execute(rusqlite::params![
                        ws,
                        true,
                        o.id,
                        o.display_id,
                        o.customer_id,
                        template,
                        o.phase,
                        o.state,
                        o.started_at,
                        completed,
                        target,
                        csm,
                        se,
                        designer,
                        product_ops,
                        notes,
                        o.waiting_on_customer,
                        since,
                        wizard,
                        o.reminder_email,
                        o.reminder_slack,
                        o.reminder_frequency_days,
                        o.created_at,
                        o.updated_at
                    ])
                    .unwrap();
                let none: Option<String> = None;
                tx.prepare_cached(SQLITE.history)
                    .unwrap()
                    .query_row(
                        rusqlite::params![
                            ws,
                            true,
                            o.id,
                            o.created_at,
                            none,
                            o.phase,
                            o.state,
                            o.started_at,
                            target,
                            csm,
                            template
                        ],
                        |r| r.get::<_, i64>(0),
                    )
                    .unwrap();
                let last: Option<i64> = tx
                    .prepare_cached(SQLITE_LAST_SEQUENCE)
                    .unwrap()
                    .query_row([ws], |r| r.get(0))
                    .optional()
                    .unwrap();
                tx.prepare_cached(SQLITE.event)
                    .unwrap()
                    .execute(rusqlite::params![
                        ws,
                        true,
                        new.event_id,
                        "onboarding.created",
                        o.id,
                        o.customer_id,
                        o.created_at,
                        "bench",
                        new.data,
                        last.unwrap_or(0) + 1
                    ])
                    .unwrap();
                tx.commit().unwrap();
                Some(new.row)
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                let [lock, by_display_id, display_id, insert, history, event] = [
                    PG_LOCK,
                    POSTGRES.customer,
                    POSTGRES.display_id,
                    POSTGRES.insert,
                    POSTGRES.history,
                    POSTGRES.event,
                ]
                .map(|sql| c.prepare(sql));
                let mut tx = c.client.transaction().unwrap();
                let sequence: i64 = tx.query_one(&lock, &[&ws]).unwrap().get(0);
                let customer_id: String = tx
                    .query_opt(&by_display_id, &[&ws, &true, &customer])
                    .unwrap()?
                    .get(0);
                let display: i64 = tx
                    .query_one(&display_id, &[&ws, &"onboarding"])
                    .unwrap()
                    .get(0);
                let new = Created::new(n, customer_id, display);
                let o = &new.row;
                let [template, csm, se, designer, product_ops, notes] = &o.texts;
                let [completed, target, since, wizard] = &o.instants;
                tx.execute(
                    &insert,
                    &[
                        &ws,
                        &true,
                        &o.id,
                        &o.display_id,
                        &o.customer_id,
                        template,
                        &o.phase,
                        &o.state,
                        &o.started_at,
                        completed,
                        target,
                        csm,
                        se,
                        designer,
                        product_ops,
                        notes,
                        &o.waiting_on_customer,
                        since,
                        wizard,
                        &o.reminder_email,
                        &o.reminder_slack,
                        &o.reminder_frequency_days,
                        &o.created_at,
                        &o.updated_at,
                    ],
                )
                .unwrap();
                let none: Option<String> = None;
                tx.query_one(
                    &history,
                    &[
                        &ws,
                        &true,
                        &o.id,
                        &o.created_at,
                        &none,
                        &o.phase,
                        &o.state,
                        &o.started_at,
                        target,
                        csm,
                        template,
                    ],
                )
                .unwrap();
                tx.execute(
                    &event,
                    &[
                        &ws,
                        &true,
                        &new.event_id,
                        &"onboarding.created",
                        &o.id,
                        &o.customer_id,
                        &o.created_at,
                        &"bench",
                        &new.data,
                        &(sequence + 1),
                    ],
                )
                .unwrap();
                tx.commit().unwrap();
                Some(new.row)
            }),
        }
    }

    fn one_row_get(&self, id: &str) -> Option<String> {
        match self {
            Self::Sqlite { read, .. } => {
                let c = read.lock().unwrap();
                let mut s = c.prepare_cached(&sqlite_text(ONE_ROW_GET)).unwrap();
                s.query_row([id], |r| r.get::<_, String>(0))
                    .optional()
                    .unwrap()
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                let s = c.prepare(ONE_ROW_GET);
                c.client.query_opt(&s, &[&id]).unwrap().map(|r| r.get(0))
            }),
        }
    }

    fn one_row_put(&self, id: &str, body: &str) {
        match self {
            Self::Sqlite { write, .. } => {
                let c = write.lock().unwrap();
                c.prepare_cached(&sqlite_text(ONE_ROW_PUT))
                    .unwrap()
                    .execute([id, body])
                    .unwrap();
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                let s = c.prepare(ONE_ROW_PUT);
                c.client.execute(&s, &[&id, &body]).unwrap();
            }),
        }
    }
}

/// A PostgreSQL statement's text for SQLite (`$n` → `?n`).
fn sqlite_text(sql: &str) -> String {
    sql.replace('$', "?")
}

fn authorized(db: &Db, headers: &HeaderMap) -> bool {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .unwrap_or_default();
    bool::from(given.ct_eq(db.secret.as_bytes()))
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn answer(status: StatusCode, result: Answer) -> Response {
    match result {
        Ok(body) => json(status, body),
        Err((status, body)) => json(status, body.into()),
    }
}

async fn retrieve(
    State(db): State<Arc<Db>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorized(&db, &headers) {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"unauthorized"}"#.into(),
        );
    }
    let result = tokio::task::spawn_blocking(move || {
        if db.one_row {
            db.store.one_row_get(&id).ok_or(NOT_FOUND)
        } else {
            db.store
                .onboarding(&db.workspace, &id)
                .map(|o| o.to_json().to_string())
                .ok_or(NOT_FOUND)
        }
    })
    .await
    .unwrap();
    answer(StatusCode::OK, result)
}

async fn create(State(db): State<Arc<Db>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&db, &headers) {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"unauthorized"}"#.into(),
        );
    }
    let n = db.next.fetch_add(1, Ordering::Relaxed);
    let result = tokio::task::spawn_blocking(move || {
        if db.one_row {
            let body = String::from_utf8_lossy(&body).into_owned();
            db.store.one_row_put(&format!("onb_{n}"), &body);
            return Ok(body);
        }
        let customer = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v.get("customer_id")?.as_str()?.parse::<i64>().ok())
            .ok_or((
                StatusCode::BAD_REQUEST,
                r#"{"error":"customer_id: a display id"}"#,
            ))?;
        db.store
            .create(&db.workspace, n, customer)
            .map(|o| o.to_json().to_string())
            .ok_or(NOT_FOUND)
    })
    .await
    .unwrap();
    answer(StatusCode::CREATED, result)
}

/// Makes the `baseline` workspace (or finds it) with a customer and an onboarding, through the
/// library; returns the workspace's id and the onboarding's.
fn prepare(db: &str) -> (String, String) {
    let lib = Pivotal::options().actor("bench").open(db).unwrap();
    let ws = match lib.with_workspace("baseline") {
        Ok(ws) => ws,
        Err(_) => {
            lib.workspaces()
                .create("Baseline", Some("baseline"))
                .unwrap();
            lib.with_workspace("baseline").unwrap()
        }
    };
    let customer = ws
        .customers()
        .create(
            CustomerParams {
                name: "Bench".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let onboarding = ws
        .onboardings()
        .create(
            OnboardingParams {
                customer_id: customer.id,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    (ws.session().workspace.id.clone(), onboarding.id)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (db, addr, secret, one_row) = match &args[1..] {
        [db, addr, secret] => (db, addr, secret, false),
        [db, addr, secret, flag] if flag == "--one-row" => (db, addr, secret, true),
        _ => {
            eprintln!("usage: http_baseline DB_FILE_OR_URL ADDR SECRET [--one-row]");
            std::process::exit(1);
        }
    };
    let (workspace, onboarding) = if one_row {
        (String::new(), "onb_bench".to_owned())
    } else {
        prepare(db)
    };
    let store = Store::open(db);
    if one_row && store.one_row_get(&onboarding).is_none() {
        store.one_row_put(&onboarding, r#"{"object":"onboarding","id":"onb_bench"}"#);
    }
    let db = Arc::new(Db {
        store,
        secret: secret.clone(),
        one_row,
        workspace,
        // Ids of this run's rows: unique across runs on one database.
        next: AtomicU64::new(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_micros() as u64,
        ),
    });
    let app = Router::new()
        .route("/api/v1/onboardings/{id}", get(retrieve))
        .route("/api/v1/onboardings", post(create))
        .with_state(db);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        println!("listening on http://{}", listener.local_addr().unwrap());
        println!("onboarding {onboarding}");
        axum::serve(listener, app).await.unwrap();
    });
}
