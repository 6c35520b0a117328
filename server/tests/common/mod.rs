#![allow(dead_code)] // each test file uses its part
//! A server on a free port and a minimal HTTP/1.1 client over a real loopback socket.

use pivotal_core::Pivotal;
use pivotal_server::{AppState, Config};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// A server over `db` on a free port, on its own runtime thread; its address.
pub fn start(db: Pivotal, no_auth: bool) -> (SocketAddr, AppState) {
    start_with(AppState::new(db, no_auth, None))
}

/// A server with this state on a free port, on its own runtime thread; its address.
pub fn start_with(state: AppState) -> (SocketAddr, AppState) {
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
pub fn request(
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
