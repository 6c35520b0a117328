//! The PostgreSQL store (feature `postgres`): many processes, on many machines, on one database.
//!
//! **Transactions.** A read is a `REPEATABLE READ READ ONLY` transaction: one snapshot, which
//! never waits for a write nor fails for one. A write is a `READ COMMITTED` transaction that,
//! before its first statement about a workspace, locks the workspace's row of `write_locks`
//! (`INSERT … ON CONFLICT DO UPDATE`, which takes the row lock; the key `""` stands for the
//! workspace list, which workspace creation changes). The writes of one workspace therefore run
//! one at a time, whichever process or machine makes them, and each sees everything committed
//! before it: exactly the serial behaviour of the SQLite store, so every rule the service checks
//! by reading (unique slugs and emails, phase transitions, idempotency keys) holds across
//! processes. Writes to different workspaces run in parallel, and the server commits them
//! together (group commit). Every operation of the library touches one workspace (or only the
//! workspace list), so transactions never wait for each other in a cycle: no deadlock, and at
//! `READ COMMITTED` no serialization failure. Were one to happen (a transaction of an embedder's
//! own spanning workspaces), it is rolled back and reported as `storage_busy`, never `internal`.
//!
//! **Event sequences a tailer never misses.** PostgreSQL can commit concurrent transactions out
//! of the order in which they took numbers from a sequence, so a reader that has passed event
//! `n + 1` could later see `n` appear. Here an event's sequence is taken from the `sequence` column
//! of the workspace's `write_locks` row, which the transaction holds locked until it commits:
//! the next transaction of the workspace cannot take a number before this one's commit is
//! visible, so sequences become visible in increasing order, without gaps (a rolled-back
//! transaction's numbers are rolled back with it). Display ids are taken the same way, from
//! `counters` rows under the same lock. The cost: the writes of one workspace go one at a time,
//! one transaction's round trips each (BENCHMARKS.md).
//!
//! **Connections.** Idle connections are kept for reuse (up to [`PostgresOptions::max_idle`]); a
//! transaction takes one, or connects when none is idle, and puts it back afterwards unless the
//! server dropped it. A connection that the server dropped while idle (a restart) is noticed at
//! `BEGIN`, before anything else ran, and replaced; so once the server is back, the same store
//! works again. While it is down, every call fails with `storage_unavailable` after at most the
//! connect timeout. (Not r2d2: its `get` retries a refused connection until its timeout and keeps
//! helper threads, where a refused connection should be reported at once.)
//!
//! **Opening** runs the schema's migrations in one transaction under an advisory lock, so that
//! processes opening a database at once migrate it once; a database of a newer version is
//! refused (`schema_too_new`) untouched. Credentials come only from the URL and the standard
//! `PG*` variables, and appear in no message. TLS is not supported (`sslmode=require` fails to
//! connect): use a local server, a Unix socket or a tunnel.

mod error;
mod open;
mod rows;
mod sql;
mod text;
mod tx;

#[cfg(any(test, feature = "conformance"))]
pub mod testing;
#[cfg(test)]
mod tests;

use crate::error::Result;
use crate::store::{Store, Tx};
use error::map_err;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use text::Escaped;

/// How to open a PostgreSQL store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostgresOptions {
    /// How many idle connections to keep for reuse. Default: 16.
    pub max_idle: usize,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self { max_idle: 16 }
    }
}

/// A [`Store`] in a PostgreSQL database.
pub struct PostgresStore {
    config: postgres::Config,
    /// `user@host:port/database`, for messages.
    server: String,
    idle: Mutex<Vec<Connection>>,
    max_idle: usize,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Opens the database at `url` (`postgresql://user:password@host:port/database?…`, libpq's
    /// URL form; what it leaves out comes from the `PG*` environment variables), creating or
    /// migrating the schema as needed.
    ///
    /// Errors: `storage_unavailable` (with the cause) when the server cannot be reached or refuses
    /// the connection, `schema_too_new` for a database written by a newer library,
    /// `invalid_request_error` (field `url`) for a URL that does not parse.
    pub fn open(url: &str) -> Result<Self> {
        Self::open_with(url, PostgresOptions::default())
    }

    /// Opens the database at `url` with `options`; see [`PostgresStore::open`].
    pub fn open_with(url: &str, options: PostgresOptions) -> Result<Self> {
        let config = open::config(url)?;
        let server = open::describe(&config);
        let mut conn = open::connect(&config, &server)?;
        open::migrate(&mut conn)?;
        let store = Self {
            config,
            server,
            idle: Mutex::new(Vec::new()),
            max_idle: options.max_idle,
        };
        store.put_back(conn);
        Ok(store)
    }

    /// An idle connection, if any. The list is only held for a push or a pop.
    fn take_idle(&self) -> Option<Connection> {
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
    }

    fn put_back(&self, conn: Connection) {
        if conn.client.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }

    /// Runs `f` in a transaction: commits when it returns `Ok` (for a write), rolls back
    /// otherwise. A connection found dropped at `BEGIN` is replaced before `f` runs; once `f`
    /// has begun it runs exactly once.
    fn run(&self, writable: bool, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let begin = if writable {
            "BEGIN ISOLATION LEVEL READ COMMITTED"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        };
        let mut conn = loop {
            let (mut conn, pooled) = match self.take_idle() {
                Some(conn) => (conn, true),
                None => (open::connect(&self.config, &self.server)?, false),
            };
            match conn.client.batch_execute(begin) {
                Ok(()) => break conn,
                // Dropped while idle (a server restart): the next one, or a new connection.
                Err(_) if pooled && conn.client.is_closed() => continue,
                Err(e) => return Err(map_err(e)),
            }
        };
        let mut tx = tx::PgTx {
            conn: &mut conn,
            writable,
            locked: HashSet::new(),
        };
        let end = if writable { "COMMIT" } else { "ROLLBACK" };
        let result = f(&mut tx).and_then(|()| conn.client.batch_execute(end).map_err(map_err));
        if result.is_err() && !conn.client.is_closed() {
            // Ends the failed transaction; a connection where even that fails is not reused.
            if conn.client.batch_execute("ROLLBACK").is_err() {
                return result;
            }
        }
        self.put_back(conn);
        result
    }
}

impl Store for PostgresStore {
    fn read(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        self.run(false, f)
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        self.run(true, f)
    }

    fn schema_version(&self) -> i64 {
        open::SCHEMA_VERSION
    }
}

/// A connection and the statements prepared on it.
pub(super) struct Connection {
    client: Client,
    statements: HashMap<&'static str, Statement>,
}

impl Connection {
    fn new(client: Client) -> Self {
        Self {
            client,
            statements: HashMap::new(),
        }
    }

    /// `sql`, prepared on this connection the first time it runs here.
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(map_err)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub(super) fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        let statement = self.statement(sql)?;
        let escaped: Vec<Escaped> = params.iter().map(|p| Escaped(*p)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = escaped.iter().map(|p| p as _).collect();
        self.client.execute(&statement, &params).map_err(map_err)
    }

    pub(super) fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        let escaped: Vec<Escaped> = params.iter().map(|p| Escaped(*p)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = escaped.iter().map(|p| p as _).collect();
        self.client.query(&statement, &params).map_err(map_err)
    }
}
