//! The benchmark's baseline (server/bench/run.sh): the minimal hand-written handler the issue asks
//! to compare `pivotal serve` with. The same stack (axum + tokio, the query on the blocking pool);
//! one key checked with a constant-time compare; no validation, no rules, no change log:
//! `GET /api/v1/onboardings/{id}` reads one row's JSON by primary key, `POST /api/v1/onboardings`
//! inserts the body as it came. On a file, over rusqlite in WAL mode with `synchronous=NORMAL` like
//! the store (one reading and one writing connection); on a `postgresql://` URL, over the
//! `postgres` crate with prepared statements and the store's kind of pool (idle connections kept
//! for reuse, a new one when none is idle), one statement per request, no transaction around it.
//!
//! `http_baseline DB_FILE_OR_URL ADDR SECRET` (prints `listening on http://ADDR`).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rusqlite::{Connection, OptionalExtension};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq;

const SCHEMA: &str =
    "CREATE TABLE IF NOT EXISTS baseline_onboardings (id TEXT PRIMARY KEY, body TEXT NOT NULL)";
const GET: &str = "SELECT body FROM baseline_onboardings WHERE id = $1";
const PUT: &str = "INSERT INTO baseline_onboardings (id, body) VALUES ($1, $2)";
const SQLITE_GET: &str = "SELECT body FROM baseline_onboardings WHERE id = ?1";
const SQLITE_PUT: &str = "INSERT INTO baseline_onboardings (id, body) VALUES (?1, ?2)";

struct Db {
    store: Store,
    secret: String,
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

/// A PostgreSQL connection with its prepared statements.
struct Pg {
    client: postgres::Client,
    get: postgres::Statement,
    put: postgres::Statement,
}

fn sqlite(path: &str) -> Connection {
    let c = Connection::open(path).expect("the baseline's file");
    c.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; {SCHEMA};"
    ))
    .expect("the baseline's schema");
    c
}

fn pg(url: &str) -> Pg {
    let mut client =
        postgres::Client::connect(url, postgres::NoTls).expect("the baseline's server");
    client.batch_execute(SCHEMA).expect("the baseline's schema");
    let get = client.prepare(GET).unwrap();
    let put = client.prepare(PUT).unwrap();
    Pg { client, get, put }
}

impl Store {
    fn open(db: &str) -> Self {
        if db.starts_with("postgresql://") || db.starts_with("postgres://") {
            let first = pg(db);
            Self::Postgres {
                url: db.to_owned(),
                idle: Mutex::new(vec![first]),
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

    fn get(&self, id: &str) -> Option<String> {
        match self {
            Self::Sqlite { read, .. } => {
                let c = read.lock().unwrap();
                let mut s = c.prepare_cached(SQLITE_GET).unwrap();
                s.query_row([id], |r| r.get::<_, String>(0))
                    .optional()
                    .unwrap()
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                c.client
                    .query_opt(&c.get, &[&id])
                    .unwrap()
                    .map(|r| r.get(0))
            }),
        }
    }

    fn insert(&self, id: &str, body: &str) {
        match self {
            Self::Sqlite { write, .. } => {
                let c = write.lock().unwrap();
                c.prepare_cached(SQLITE_PUT)
                    .unwrap()
                    .execute([id, body])
                    .unwrap();
            }
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                c.client.execute(&c.put, &[&id, &body]).unwrap();
            }),
        }
    }

    fn count(&self) -> u64 {
        match self {
            Self::Sqlite { write, .. } => write
                .lock()
                .unwrap()
                .query_row("SELECT count(*) FROM baseline_onboardings", [], |r| {
                    r.get(0)
                })
                .unwrap(),
            Self::Postgres { url, idle } => Self::with_pg(url, idle, |c| {
                let n: i64 = c
                    .client
                    .query_one("SELECT count(*) FROM baseline_onboardings", &[])
                    .unwrap()
                    .get(0);
                n as u64
            }),
        }
    }
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
    let row = tokio::task::spawn_blocking(move || db.store.get(&id))
        .await
        .unwrap();
    match row {
        Some(body) => json(StatusCode::OK, body),
        None => json(StatusCode::NOT_FOUND, r#"{"error":"not found"}"#.into()),
    }
}

async fn create(State(db): State<Arc<Db>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&db, &headers) {
        return json(
            StatusCode::UNAUTHORIZED,
            r#"{"error":"unauthorized"}"#.into(),
        );
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let id = format!("onb_{}", db.next.fetch_add(1, Ordering::Relaxed));
    let answer = tokio::task::spawn_blocking(move || {
        db.store.insert(&id, &body);
        body
    })
    .await
    .unwrap();
    json(StatusCode::CREATED, answer)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, addr, secret] = &args[..] else {
        eprintln!("usage: http_baseline DB_FILE_OR_URL ADDR SECRET");
        std::process::exit(1);
    };
    let store = Store::open(db);
    let start = store.count();
    if start == 0 {
        store.insert("onb_bench", r#"{"object":"onboarding","id":"onb_bench"}"#);
    }
    let db = Arc::new(Db {
        store,
        secret: secret.clone(),
        next: AtomicU64::new(start + 1),
    });
    let app = Router::new()
        .route("/api/v1/onboardings/{id}", get(retrieve))
        .route("/api/v1/onboardings", post(create))
        .with_state(db);
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        println!("listening on http://{}", listener.local_addr().unwrap());
        axum::serve(listener, app).await.unwrap();
    });
}
