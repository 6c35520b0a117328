//! Authentication at request rates, over real HTTP on loopback: verified keys are cached (a key's
//! later requests skip PBKDF2), a revoked key fails on the very next request, through this server
//! or another one sharing the store file.

mod common;

use common::{request, start};
use pivotal_core::Pivotal;
use serde_json::json;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

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
