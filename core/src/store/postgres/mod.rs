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
//! `READ COMMITTED` no serialization failure. Were one to happen anyway (another program's
//! transaction taking the same rows in another order, a server running every transaction
//! `SERIALIZABLE`), the write is rolled back and its closure runs again, up to 5 times in all
//! after short random pauses (up to 2, 4, 8, 16 ms): a write closure may run more than once
//! (`StoreExt::write_with`). Only then does the caller get `storage_busy`, never `internal`. A
//! lock timeout (`lock_timeout`, 55P03) is reported at once, as `storage_busy`: it is the bound on
//! waiting that the server's administrator chose. Reads never conflict (a read-only snapshot
//! takes no lock) and run once. A closure that goes on after one of its statements failed is
//! not committed (the server would roll it back and answer COMMIT as if it had not): it fails.
//!
//! **Event sequences a tailer never misses.** PostgreSQL can commit concurrent transactions out
//! of the order in which they took numbers from a sequence, so a reader that has passed event
//! `n + 1` could later see `n` appear. Here an event's sequence is taken from the `sequence` column
//! of the workspace's `write_locks` row, which the transaction holds locked until it commits:
//! the next transaction of the workspace cannot take a number before this one's commit is
//! visible, so sequences become visible in increasing order, without gaps (a rolled-back
//! transaction's numbers are rolled back with it). Display ids are taken the same way, from
//! `counters` rows under the same lock. The cost: the writes of one workspace go one at a time,
//! one transaction's round trips each (BENCHMARKS.md). A transaction counts the numbers it takes
//! itself: a counter's row is written by the statement that first uses it and once more before
//! COMMIT with the last value, since PostgreSQL keeps every version of a row that an open
//! transaction made, and a row updated once per item would make a 20,000-item import walk ever
//! longer chains of them.
//!
//! **Connections** (`pool`). At most [`PostgresOptions::max_connections`] are open at once, each
//! kept for reuse; a transaction takes an idle one, or connects while there are fewer, or waits
//! for one (up to [`PostgresOptions::busy_timeout`], then `storage_busy`), and gives it back
//! afterwards unless the server dropped it. A connection that the server dropped while idle (a restart) is noticed at
//! `BEGIN`, before anything else ran, and replaced; so once the server is back, the same store
//! works again. While it is down, every call fails with `storage_unavailable` after at most the
//! connect timeout. (Not r2d2: its `get` retries a refused connection until its timeout and keeps
//! helper threads, where a refused connection should be reported at once.)
//!
//! **Opening** runs the schema's migrations in one transaction under an advisory lock, so that
//! processes opening a database at once migrate it once; a database of a newer version is
//! refused (`schema_too_new`) untouched. Credentials come only from the URL and the standard
//! `PG*` variables, and appear in no message. TLS is set as in libpq, by `sslmode` and
//! `sslrootcert` (`tls`).

mod error;
mod open;
mod pool;
mod rows;
mod sql;
mod text;
mod tls;
mod tx;

#[cfg(any(test, feature = "conformance"))]
pub mod testing;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::store::{Store, Tx};
use error::{is_conflict, map_err};
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};
use rand::rngs::OsRng;
use rand::TryRngCore;
use std::collections::HashMap;
use std::time::Duration;
use text::Escaped;

/// How to open a PostgreSQL store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostgresOptions {
    /// How many connections the store opens at most, each kept for reuse. Default: 16.
    pub max_connections: usize,
    /// How long a transaction waits for a connection while all are in use, before
    /// `storage_busy`. Default: 5 seconds.
    pub busy_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A [`Store`] in a PostgreSQL database.
pub struct PostgresStore {
    config: postgres::Config,
    tls: tls::Connector,
    /// `user@host:port/database`, for messages.
    server: String,
    pool: pool::Pool,
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
        let (config, tls) = open::config(url)?;
        let server = open::describe(&config);
        let store = Self {
            config,
            tls,
            server,
            pool: pool::Pool::new(options.max_connections, options.busy_timeout),
        };
        let mut conn = store.connect()?;
        open::migrate(conn.conn())?;
        conn.give_back();
        Ok(store)
    }

    /// A connection for one transaction: an idle one, else a new one (see `pool`).
    fn connect(&self) -> Result<pool::Lease<'_>> {
        Ok(match self.pool.take()? {
            Some(conn) => pool::Lease::new(&self.pool, conn),
            None => match open::connect(&self.config, &self.server, &self.tls) {
                Ok(conn) => pool::Lease::new(&self.pool, conn),
                Err(e) => {
                    self.pool.release();
                    return Err(e);
                }
            },
        })
    }

    /// Runs `f` in transactions until one commits (for a write; a read ends with `ROLLBACK`) or
    /// fails for another reason than a conflict: a transaction that lost a deadlock or a
    /// serialization conflict is rolled back and `f` runs again, up to [`ATTEMPTS`] times in all,
    /// after a short random pause that grows with each attempt; then the caller gets the last
    /// conflict, `storage_busy`.
    fn run(&self, writable: bool, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut attempt = 1;
        loop {
            match self.attempt(writable, f) {
                Err(Attempt::Conflict(_)) if writable && attempt < ATTEMPTS => {
                    std::thread::sleep(backoff(attempt));
                    attempt += 1;
                }
                Err(Attempt::Conflict(e) | Attempt::Failed(e)) => return Err(e),
                Ok(()) => return Ok(()),
            }
        }
    }

    /// Runs `f` in one transaction: commits when it returns `Ok` (for a write) and no statement
    /// failed, rolls back otherwise. A connection found dropped at `BEGIN` is replaced before `f`
    /// runs.
    fn attempt(
        &self,
        writable: bool,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> std::result::Result<(), Attempt> {
        let begin = if writable {
            "BEGIN ISOLATION LEVEL READ COMMITTED"
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        };
        let mut lease = loop {
            let mut lease = self.connect().map_err(Attempt::Failed)?;
            match lease.conn().client.batch_execute(begin) {
                Ok(()) => break lease,
                // Dropped while idle (a server restart): the next one, or a new connection.
                Err(_) if lease.conn().client.is_closed() => continue,
                Err(e) => return Err(Attempt::Failed(map_err(e))),
            }
        };
        let conn = lease.conn();
        conn.conflict = None;
        conn.failed = false;
        let mut tx = tx::PgTx::new(conn, writable);
        let result = f(&mut tx).and_then(|()| if writable { tx.flush() } else { Ok(()) });
        let end = if writable { "COMMIT" } else { "ROLLBACK" };
        let result = result.and_then(|()| {
            if conn.failed {
                // The server has aborted the transaction, and would answer COMMIT by rolling it
                // back: the closure went on after an error, but nothing may be acknowledged.
                return Err(Error::internal(
                    "a statement of the transaction failed and the operation went on",
                ));
            }
            conn.batch_execute(end)
        });
        let result = match (result, conn.conflict.take()) {
            (Ok(()), _) => Ok(()),
            // The conflict, whatever the closure made of it.
            (Err(_), Some(conflict)) => Err(Attempt::Conflict(conflict)),
            (Err(e), None) => Err(Attempt::Failed(e)),
        };
        if result.is_err() && !conn.client.is_closed() {
            // Ends the failed transaction; a connection where even that fails is not reused.
            if conn.client.batch_execute("ROLLBACK").is_err() {
                return result;
            }
        }
        lease.give_back();
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

/// How many times a transaction runs before a conflict is reported.
const ATTEMPTS: u32 = 5;

/// The pause before attempt `attempt + 1`: random, up to 2, 4, 8, then 16 ms.
fn backoff(attempt: u32) -> Duration {
    let most = 2u64 << attempt.saturating_sub(1).min(3);
    let jitter = OsRng.try_next_u64().unwrap_or(0) % 1000;
    Duration::from_micros(most * jitter)
}

/// Why a transaction did not commit.
enum Attempt {
    /// It lost a deadlock or a serialization conflict: it was rolled back and may run again.
    Conflict(Error),
    /// Anything else.
    Failed(Error),
}

/// A connection and the statements prepared on it.
pub(super) struct Connection {
    client: Client,
    statements: HashMap<&'static str, Statement>,
    /// Whether a statement of the current transaction failed: the server refuses the rest.
    failed: bool,
    /// The current transaction's conflict (deadlock or serialization failure), if it met one.
    conflict: Option<Error>,
}

impl Connection {
    fn new(client: Client) -> Self {
        Self {
            client,
            statements: HashMap::new(),
            failed: false,
            conflict: None,
        }
    }

    /// The library's error for a failed statement, noting the failure (and a conflict).
    fn failure(&mut self, e: postgres::Error) -> Error {
        let conflict = is_conflict(&e);
        let error = map_err(e);
        self.failed = true;
        if conflict && self.conflict.is_none() {
            self.conflict = Some(error.clone());
        }
        error
    }

    fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(|e| self.failure(e))
    }

    /// `sql`, prepared on this connection the first time it runs here.
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql).map_err(|e| self.failure(e))?;
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
        let result = self.client.execute(&statement, &params);
        result.map_err(|e| self.failure(e))
    }

    pub(super) fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let statement = self.statement(sql)?;
        let escaped: Vec<Escaped> = params.iter().map(|p| Escaped(*p)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = escaped.iter().map(|p| p as _).collect();
        let result = self.client.query(&statement, &params);
        result.map_err(|e| self.failure(e))
    }
}
