//! Authentication at request rates, over real HTTP on loopback: verified keys are cached (a key's
//! later requests skip PBKDF2), a revoked key fails on the very next request, through this server
//! or another one sharing the store file.

use pivotal_core::Pivotal;
use pivotal_server::{AppState, Config};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::Instant;

/// A server over `db` on a free port, on its own runtime thread; its address.
fn start(db: Pivotal, no_auth: bool) -> (SocketAddr, AppState) {
    let state = AppState::new(db, no_auth, None);
    let served = state.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            pivotal_server::serve(listener, served, Config::default(), std::future::pending())
                .await
                .unwrap();
        });
    });
    (rx.recv().unwrap(), state)
}

/// One HTTP/1.1 request (connection closed after it); the status and the JSON answer.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = key
        .map(|k| format!("Authorization: Bearer {k}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} /api/v1{path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, serde_json::from_str(json).unwrap_or(Value::Null))
}

fn open(path: &Path, iterations: u32) -> Pivotal {
    Pivotal::options()
        .key_iterations(iterations)
        .open(path)
        .unwrap()
}

/// A key of the default workspace's live mode: (id, secret).
fn new_key(addr: SocketAddr, name: &str) -> (String, String) {
    let (status, created) = request(addr, "POST", "/api_keys", None, Some(json!({"name": name})));
    assert_eq!(status, 201, "{created}");
    (
        created["api_key"]["id"].as_str().unwrap().to_owned(),
        created["secret"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn a_keys_later_requests_skip_the_verification() {
    let dir = tempfile::tempdir().unwrap();
    // 100,000 PBKDF2 rounds: a verification costs about 100 ms here.
    let (addr, state) = start(open(&dir.path().join("p.db"), 100_000), true);
    let (_, secret) = new_key(addr, "slow-hash");
    let started = Instant::now();
    assert_eq!(request(addr, "GET", "/me", Some(&secret), None).0, 200);
    let first = started.elapsed();
    assert_eq!(state.keys().len(), 1);
    let started = Instant::now();
    for _ in 0..20 {
        let (status, me) = request(addr, "GET", "/me", Some(&secret), None);
        assert_eq!(
            (status, me["api_key"]["name"].as_str()),
            (200, Some("slow-hash"))
        );
    }
    let twenty = started.elapsed();
    // Without the cache, each of the 20 would pay what the first paid.
    assert!(twenty < first * 5, "first {first:?}, 20 more {twenty:?}");
    // Unknown keys are refused and not cached.
    let last = if secret.ends_with('x') { 'y' } else { 'x' };
    let wrong = format!("{}{last}", &secret[..secret.len() - 1]);
    let (status, e) = request(addr, "GET", "/me", Some(&wrong), None);
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (401, Some("invalid_api_key"))
    );
    assert_eq!(state.keys().len(), 1);
}

#[test]
fn missing_and_malformed_keys_are_401_with_the_envelope() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, _) = start(open(&dir.path().join("p.db"), 1_000), false);
    for key in [
        None,
        Some("garbage"),
        Some("pivotal_00000000000000000000000000000000"),
    ] {
        let (status, e) = request(addr, "GET", "/customers", key, None);
        assert_eq!(status, 401, "{key:?}");
        assert_eq!(e["error"]["type"], "authentication_error");
        assert_eq!(e["error"]["code"], "invalid_api_key");
    }
    // Health needs no key.
    assert_eq!(request(addr, "GET", "/health", None, None).0, 200);
}

#[test]
fn a_revoked_key_fails_on_the_next_request_here_and_on_another_server() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.db");
    let (a, _) = start(open(&file, 1_000), true);
    let (b, _) = start(open(&file, 1_000), true); // another store handle: as another process
    let (id, secret) = new_key(a, "to-revoke");
    let (_, admin) = new_key(a, "admin");
    for server in [a, b] {
        // Both servers have verified and cached the key.
        assert_eq!(
            request(server, "GET", "/customers", Some(&secret), None).0,
            200
        );
    }
    let (status, revoked) = request(
        a,
        "POST",
        &format!("/api_keys/{id}/revoke"),
        Some(&admin),
        None,
    );
    assert_eq!(status, 200, "{revoked}");
    assert!(revoked["revoked_at"].is_string());
    for server in [a, b] {
        for (method, path) in [
            ("GET", "/customers"),
            ("GET", "/me"),
            ("POST", "/customers"),
        ] {
            let (status, e) = request(
                server,
                method,
                path,
                Some(&secret),
                Some(json!({"name": "X"})),
            );
            assert_eq!(status, 401, "{method} {path}: {e}");
            assert_eq!(e["error"]["code"], "api_key_revoked");
        }
    }
    // Nothing was written with the revoked key.
    let (_, list) = request(b, "GET", "/customers", Some(&admin), None);
    assert_eq!(list["data"], json!([]));
}
