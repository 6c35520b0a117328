//! The store's connections: at most [`PostgresOptions::max_connections`] open at once, each kept
//! for reuse once its transaction ends. A transaction that finds none free waits for one, up to
//! [`PostgresOptions::busy_timeout`], then fails with `storage_busy`; so a server process handling
//! hundreds of requests at once holds a bounded number of the database's connections (PostgreSQL
//! allows 100 by default) and never pays a new connection's handshake per request.
//!
//! [`PostgresOptions::max_connections`]: super::PostgresOptions::max_connections
//! [`PostgresOptions::busy_timeout`]: super::PostgresOptions::busy_timeout

use super::Connection;
use crate::error::{Error, ErrorCode, Result};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

#[derive(Debug)]
pub(super) struct Pool {
    state: Mutex<State>,
    /// Signalled when a connection is given back or its place freed.
    freed: Condvar,
    max_open: usize,
    wait: Duration,
}

#[derive(Default)]
struct State {
    idle: Vec<Connection>,
    /// Connections open (idle or in use), and places taken for connections being opened.
    open: usize,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("idle", &self.idle.len())
            .field("open", &self.open)
            .finish()
    }
}

impl Pool {
    pub(super) fn new(max_open: usize, wait: Duration) -> Self {
        Self {
            state: Mutex::default(),
            freed: Condvar::new(),
            max_open: max_open.max(1),
            wait,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An idle connection, else `None`: a place for a new one (open it, or [`Pool::release`] the
    /// place). Waits while every connection is in use.
    pub(super) fn take(&self) -> Result<Option<Connection>> {
        let deadline = Instant::now() + self.wait;
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Ok(Some(conn));
            }
            if state.open < self.max_open {
                state.open += 1;
                return Ok(None);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::new(
                    ErrorCode::StorageBusy,
                    format!(
                        "all {} connections to the database stayed in use for {} ms",
                        self.max_open,
                        self.wait.as_millis()
                    ),
                ));
            }
            state = self
                .freed
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Keeps `conn` for the next transaction (one the server closed is let go).
    pub(super) fn give_back(&self, conn: Connection) {
        let mut state = self.lock();
        if conn.client.is_closed() {
            state.open -= 1;
        } else {
            state.idle.push(conn);
        }
        drop(state);
        self.freed.notify_one();
    }

    /// Frees the place of a connection that is gone (closed, dropped, or never opened).
    pub(super) fn release(&self) {
        self.lock().open -= 1;
        self.freed.notify_one();
    }

    /// Connections open or being opened.
    #[cfg(test)]
    pub(super) fn open(&self) -> usize {
        self.lock().open
    }
}

/// A connection of the pool in use: given back with [`Lease::give_back`]; dropped otherwise (a
/// failure, a panic: its transaction may still be open), which closes it and frees its place.
pub(super) struct Lease<'p> {
    pool: &'p Pool,
    conn: Option<Connection>,
}

impl<'p> Lease<'p> {
    pub(super) fn new(pool: &'p Pool, conn: Connection) -> Self {
        Self {
            pool,
            conn: Some(conn),
        }
    }

    pub(super) fn conn(&mut self) -> &mut Connection {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until it ends")
    }

    pub(super) fn give_back(mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.give_back(conn);
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if self.conn.take().is_some() {
            self.pool.release();
        }
    }
}
