//! The benchmark's baseline (server/bench/run.sh): the minimal hand-written handler the issue asks
//! to compare `pivotal serve` with. The same stack (axum + tokio, the query on the blocking pool)
//! over rusqlite in WAL mode with `synchronous=NORMAL` like the store; one key checked with a
//! constant-time compare; no validation, no rules, no change log: `GET /api/v1/onboardings/{id}`
//! reads one row's JSON by primary key, `POST /api/v1/onboardings` inserts the body as it came.
//!
//! `http_baseline DB_FILE ADDR SECRET` (prints `listening on http://ADDR`).

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

struct Db {
    read: Mutex<Connection>,
    write: Mutex<Connection>,
    secret: String,
    next: AtomicU64,
}

fn open(path: &str) -> Connection {
    let c = Connection::open(path).expect("the baseline's file");
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
         CREATE TABLE IF NOT EXISTS onboardings (id TEXT PRIMARY KEY, body TEXT NOT NULL);",
    )
    .expect("the baseline's schema");
    c
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
    let row = tokio::task::spawn_blocking(move || {
        let c = db.read.lock().unwrap();
        let mut s = c
            .prepare_cached("SELECT body FROM onboardings WHERE id = ?1")
            .unwrap();
        s.query_row([&id], |r| r.get::<_, String>(0))
            .optional()
            .unwrap()
    })
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
        let c = db.write.lock().unwrap();
        c.prepare_cached("INSERT INTO onboardings (id, body) VALUES (?1, ?2)")
            .unwrap()
            .execute([&id, &body])
            .unwrap();
        body
    })
    .await
    .unwrap();
    json(StatusCode::CREATED, answer)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, addr, secret] = &args[..] else {
        eprintln!("usage: http_baseline DB_FILE ADDR SECRET");
        std::process::exit(1);
    };
    let write = open(file);
    let start: u64 = write
        .query_row("SELECT count(*) FROM onboardings", [], |r| r.get(0))
        .unwrap();
    if start == 0 {
        write
            .execute(
                "INSERT INTO onboardings (id, body) VALUES ('onb_bench', '{\"object\":\"onboarding\",\"id\":\"onb_bench\"}')",
                [],
            )
            .unwrap();
    }
    let db = Arc::new(Db {
        read: Mutex::new(open(file)),
        write: Mutex::new(write),
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
