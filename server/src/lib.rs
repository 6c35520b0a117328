//! # pivotal-server
//!
//! The Pivotal REST API over HTTP from any pivotal-core store: what `pivotal serve` runs. Every
//! operation of the API is its route under `/api/v1` (see `routes`), on axum + tokio; store work
//! runs on tokio's blocking pool, since the core is synchronous.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use pivotal_server::{AppState, Config};
//! let db = pivotal_core::Pivotal::open("pivotal.db").expect("the store");
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8787").await?;
//! let state = AppState::new(db.clone(), false, None);
//! pivotal_server::serve(listener, state, Config::default(), pivotal_server::shutdown_signal()).await?;
//! db.close();
//! # Ok(()) }
//! ```

mod app;
pub mod auth;
mod conn;
mod manners;
pub mod openapi;
mod routes;

pub use app::{AppState, BODY_LIMIT};
pub use routes::api;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How the server treats connections and requests.
#[derive(Debug, Clone)]
pub struct Config {
    /// Requests handled at once; more wait for a slot (default 256).
    pub max_concurrent: usize,
    /// Time a connection may take to send a request's headers (past it the answer is 408), and
    /// may stay idle between requests (then it is closed), from its opening or its previous
    /// answer (default 30 s).
    pub header_timeout: Duration,
    /// Time a request may take from its headers to its answer, body included (default 30 s);
    /// past it the answer is 408.
    pub request_timeout: Duration,
    /// Time in-flight requests get to finish at shutdown (default 30 s).
    pub shutdown_grace: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_concurrent: 256,
            header_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = interrupt => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = interrupt.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// Serves the API on `listener` until `shutdown` resolves; then stops accepting, lets in-flight
/// requests finish (up to [`Config::shutdown_grace`]) and returns. The caller closes the store.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = manners::layer(api(state), &config);
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    // Heads are read, timed and refused by `conn` before hyper parses them.
    http.timer(TokioTimer::new())
        .header_read_timeout(None)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, then accept again.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let shared = Arc::new(conn::Shared::default());
                let service = conn::service(router.clone(), shared.clone());
                let io = conn::Guarded::new(stream, config.header_timeout, shared);
                let conn = http.serve_connection(TokioIo::new(io), service);
                let conn = graceful.watch(conn);
                tokio::spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(error = %e, "connection closed with an error");
                    }
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    if tokio::time::timeout(config.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("in-flight requests still running after the grace period");
    }
    Ok(())
}
