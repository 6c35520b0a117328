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
//! **Round trips.** The store talks to the server through `tokio_postgres`, whose client queues
//! requests to its connection without waiting for their answers, which come back in order; each
//! connection is run by a small synchronous driver of its own (`driver`: a current-thread tokio
//! runtime, as the `postgres` crate has). So a transaction waits for the server only when it
//! needs an answer: its `BEGIN …` goes with its first statement (one round trip for both); a
//! write's lock of a workspace goes with the statement after it (the server runs a transaction's
//! statements in order and refuses every one after a failed one, so that statement runs under
//! the lock or not at all, and the caller gets the lock's failure); so does the check of the
//! API key a call is made through (`Tx::require_live_api_key`): when the key turns out revoked,
//! the statement it went with fails in its place, and the whole transaction with it, whatever
//! the closure makes of that; an event goes with the statement after it, or the `COMMIT`; a
//! write's last counter values (above) go with its `COMMIT`, and it is acknowledged only when all
//! of them succeeded (after a failed statement the server answers COMMIT by rolling back); a
//! read, or a write that failed, ends with a `ROLLBACK` written to the socket at once (the server
//! ends the transaction, and releases its snapshot and locks, without the caller waiting) whose
//! answer the connection's next request reads and discards. A retrieve by id is one round trip (three
//! before), through an API key's session too (four before); a customer's create four (seven
//! before): BEGIN with the lock and the slug check, the display id, the insert, then the event
//! with the counters and COMMIT. Each statement is prepared once per connection (a round trip of
//! its own, the first time it runs there).
//!
//! **Connections** (`pool`). At most [`PostgresOptions::max_connections`] are open at once, each
//! kept for reuse; a transaction takes an idle one, or connects while there are fewer, or waits
//! for one (up to [`PostgresOptions::busy_timeout`], then `storage_busy`), and gives it back
//! afterwards unless the server dropped it. A connection that the server dropped while idle (a
//! restart) is noticed at the transaction's first statement, before anything of the transaction
//! reached the server, and replaced by a new one where the statement runs (once per
//! transaction); so once the server is back, the same store works again, and the caller sees
//! nothing of it. While it is down, every call fails with `storage_unavailable` after at most the
//! connect timeout. (Not r2d2: its `get` retries a refused connection until its timeout and keeps
//! helper threads, where a refused connection should be reported at once.)
//!
//! **Opening** runs the schema's migrations in one transaction under an advisory lock, so that
//! processes opening a database at once migrate it once; a database of a newer version is
//! refused (`schema_too_new`) untouched. Credentials come only from the URL and the standard
//! `PG*` variables, and appear in no message. TLS is set as in libpq, by `sslmode` and
//! `sslrootcert` (`tls`).

mod driver;
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
use rand::rngs::OsRng;
use rand::TryRngCore;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use text::Escaped;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row, Statement};

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
    target: Arc<open::Target>,
    pool: pool::Pool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("server", &self.target.server)
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
        let store = Self {
            target: Arc::new(open::Target::new(url)?),
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
            None => match open::connect(&self.target) {
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
    /// failed, rolls back otherwise (without waiting).
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
        let mut lease = self.connect().map_err(Attempt::Failed)?;
        let conn = lease.conn();
        conn.begin(begin);
        let mut tx = tx::PgTx::new(conn, writable);
        // Both ends settle the checks (a commit first of all): a failed one (a revoked key) is
        // the answer, whatever the closure made of it or failed on after making it.
        let result = f(&mut tx).and_then(|()| if writable { tx.commit() } else { tx.settle() });
        let result = result.or_else(|e| tx.settle().and(Err(e)));
        let result = match (result, conn.conflict.take()) {
            (Ok(()), _) => Ok(()),
            // The conflict, whatever the closure made of it.
            (Err(_), Some(conflict)) => Err(Attempt::Conflict(conflict)),
            (Err(e), None) => Err(Attempt::Failed(e)),
        };
        // A read, or a write that failed: ends without waiting for the server's answer.
        conn.roll_back();
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

/// A connection, the statements prepared on it, and where its transaction is.
pub(super) struct Connection {
    /// Declared before `driver`, so that it is dropped first: the driver then says goodbye.
    client: Client,
    driver: driver::Driver,
    /// Where it connects, to connect again.
    target: Arc<open::Target>,
    statements: HashMap<&'static str, Statement>,
    transaction: Transaction,
    /// The current transaction's `BEGIN …`.
    begin: &'static str,
    /// Whether the current transaction may still replace a connection found closed before
    /// anything of it reached the server (once).
    may_reconnect: bool,
    /// Whether a statement of the current transaction failed: the server refuses the rest.
    failed: bool,
    /// The current transaction's conflict (deadlock or serialization failure), if it met one.
    conflict: Option<Error>,
    /// Statements of the current transaction that go with its next request ([`Connection::defer`]).
    deferred: Vec<Deferred>,
    /// The answers of the current transaction's deferred statements, by ticket; `None` while not
    /// come, `Some(None)` once taken (or failed, the failure reported with its round trip).
    answers: Vec<Option<Option<Vec<Row>>>>,
    /// Deferred statements that must answer a row, by ticket, with the error the transaction
    /// fails with if one does not ([`Connection::defer_check`]).
    checks: Vec<(usize, Error)>,
    /// The error of a failed check: every later request of the transaction fails with it, and
    /// the transaction does, whatever its closure made of it.
    refused: Option<Error>,
}

/// A deferred statement, waiting for the transaction's next request.
struct Deferred {
    ticket: usize,
    sql: &'static str,
    statement: Statement,
    params: Vec<Box<dyn ToSql + Sync + Send>>,
}

/// Where a connection's transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transaction {
    /// None open.
    Idle,
    /// Begun but not sent: its `BEGIN …` goes with the first statement.
    Unsent,
    /// Open on the server.
    Open,
}

type PgResult<T> = std::result::Result<T, tokio_postgres::Error>;
/// A statement's parameters.
pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];
/// A request of a prepared statement, as the client makes it.
type Call<'a, T> = Pin<Box<dyn Future<Output = PgResult<T>> + 'a>>;

impl Connection {
    fn new(client: Client, driver: driver::Driver, target: Arc<open::Target>) -> Self {
        Self {
            client,
            driver,
            target,
            statements: HashMap::new(),
            transaction: Transaction::Idle,
            begin: "BEGIN",
            may_reconnect: false,
            failed: false,
            conflict: None,
            deferred: Vec::new(),
            answers: Vec::new(),
            checks: Vec::new(),
            refused: None,
        }
    }

    /// Starts a transaction with `begin` (`BEGIN …`), which is sent with its first statement.
    fn begin(&mut self, begin: &'static str) {
        self.transaction = Transaction::Unsent;
        self.begin = begin;
        self.may_reconnect = true;
        self.failed = false;
        self.conflict = None;
        self.deferred.clear();
        self.answers.clear();
        self.checks.clear();
        self.refused = None;
    }

    /// The library's error for a failed request, noting the failure (and a conflict).
    fn failure(&mut self, e: tokio_postgres::Error) -> Error {
        let conflict = is_conflict(&e);
        let error = map_err(e);
        self.failed = true;
        if conflict && self.conflict.is_none() {
            self.conflict = Some(error.clone());
        }
        error
    }

    /// `sql`, prepared on this connection the first time it runs here (a round trip of its own,
    /// once per connection).
    fn statement(&mut self, sql: &'static str) -> PgResult<Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.driver.block_on(self.client.prepare(sql))?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    pub(super) fn execute(&mut self, sql: &'static str, params: Params) -> Result<u64> {
        self.request(sql, params, |client, statement, params| {
            Box::pin(client.execute(statement, params))
        })
    }

    pub(super) fn query(&mut self, sql: &'static str, params: Params) -> Result<Vec<Row>> {
        self.request(sql, params, |client, statement, params| {
            Box::pin(client.query(statement, params))
        })
    }

    /// Runs `sql` with `params` (escaped) through `call`, with what the transaction has not sent
    /// yet (its BEGIN, deferred statements): one round trip. A server restart closes the pooled
    /// connections while they are idle: when the first request finds its connection closed before
    /// anything of the transaction reached the server, the connection is replaced by a new one
    /// and the request made there.
    fn request<T>(
        &mut self,
        sql: &'static str,
        params: Params,
        call: impl for<'a> Fn(&'a Client, &'a Statement, Params<'a>) -> Call<'a, T>,
    ) -> Result<T> {
        self.verify()?;
        let escaped: Vec<Escaped> = params.iter().map(|p| Escaped(*p)).collect();
        let params: Vec<&(dyn ToSql + Sync)> = escaped.iter().map(|p| p as _).collect();
        loop {
            let statement = self.prepare(sql)?;
            match self.round_trip(|client| call(client, &statement, &params)) {
                Ok(answer) => return self.verify().map(|()| answer),
                Err((e, sent)) => {
                    if !self.replaced(sent, &e)? {
                        return Err(self.failure(e));
                    }
                }
            }
        }
    }

    /// `sql`, prepared (see [`Connection::request`] for a connection found closed).
    fn prepare(&mut self, sql: &'static str) -> Result<Statement> {
        loop {
            let sent = self.transaction != Transaction::Unsent;
            match self.statement(sql) {
                Ok(statement) => return Ok(statement),
                Err(e) => {
                    if !self.replaced(sent, &e)? {
                        return Err(self.failure(e));
                    }
                }
            }
        }
    }

    /// After a failed request: whether the connection, found closed before anything of the
    /// transaction was `sent`, was replaced by a new one (once per transaction). Closed means the
    /// client saw the connection end, or the answer was the server's farewell: a `FATAL` error
    /// (an administrator's `pg_terminate_backend`, a shutdown), after which the server closes it,
    /// whichever of the two the client read first.
    fn replaced(&mut self, sent: bool, e: &tokio_postgres::Error) -> Result<bool> {
        let fatal = (e.as_db_error())
            .is_some_and(|db| db.parsed_severity() == Some(tokio_postgres::error::Severity::Fatal));
        if sent || !self.may_reconnect || !(self.client.is_closed() || fatal) {
            return Ok(false);
        }
        self.may_reconnect = false;
        self.reconnect()?;
        Ok(true)
    }

    /// Queues `sql` with `params` (a statement of the transaction whose answer is not needed at
    /// once) to go with the transaction's next request, saving it a round trip; its answer is
    /// [`Connection::answer`]`(ticket)`. The server runs the statements of a transaction in
    /// order, and refuses every one after a failed one: so the next request runs after this
    /// one, and only when it succeeded; its failure is the next request's.
    pub(super) fn defer(
        &mut self,
        sql: &'static str,
        params: Vec<Box<dyn ToSql + Sync + Send>>,
    ) -> Result<usize> {
        let statement = self.prepare(sql)?;
        let ticket = self.answers.len();
        self.answers.push(None);
        self.deferred.push(Deferred {
            ticket,
            sql,
            statement,
            params,
        });
        Ok(ticket)
    }

    /// Defers `sql` with `params` like [`Connection::defer`], as a check: when its answer comes
    /// without a row, the request it went with fails with `error` instead of answering, and so
    /// does every later request and the transaction itself.
    pub(super) fn defer_check(
        &mut self,
        sql: &'static str,
        params: Vec<Box<dyn ToSql + Sync + Send>>,
        error: Error,
    ) -> Result<()> {
        let ticket = self.defer(sql, params)?;
        self.checks.push((ticket, error));
        Ok(())
    }

    /// Fails with the error of a check whose answer came without a row (now or before).
    fn verify(&mut self) -> Result<()> {
        let answers = &self.answers;
        let refused = &mut self.refused;
        self.checks
            .retain(|(ticket, error)| match answers.get(*ticket) {
                Some(Some(Some(rows))) => {
                    if rows.is_empty() {
                        refused.get_or_insert_with(|| error.clone());
                    }
                    false
                }
                // Failed: reported with its round trip, and the transaction with it.
                Some(Some(None)) => false,
                _ => true,
            });
        self.refused.clone().map_or(Ok(()), Err)
    }

    /// Sends the deferred statements still unsent, if any, and waits for their answers.
    fn send_deferred(&mut self) -> Result<()> {
        if !self.deferred.is_empty() {
            self.round_trip(|_| Box::pin(async { Ok(()) }))
                .map_err(|(e, _)| self.failure(e))?;
        }
        Ok(())
    }

    /// Settles the checks still open (sending what they went with): the end of a read, and the
    /// start of a commit.
    fn settle(&mut self) -> Result<()> {
        // After a failed statement the server refuses the rest; the checks sent before it came.
        if !self.checks.is_empty() && !self.failed {
            self.send_deferred()?;
        }
        self.verify()
    }

    /// The rows of deferred statement `ticket` (sent now if it has not been), once.
    pub(super) fn answer(&mut self, ticket: usize) -> Result<Vec<Row>> {
        if self.deferred.iter().any(|d| d.ticket == ticket) {
            self.send_deferred()?;
            self.verify()?;
        }
        match self.answers.get_mut(ticket).and_then(Option::take) {
            Some(Some(rows)) => Ok(rows),
            _ => Err(Error::internal(
                "the answer of a deferred statement is gone or failed",
            )),
        }
    }

    /// Sends what the transaction has not sent yet (its BEGIN, deferred statements) and then
    /// the request `call` makes, and waits for all their answers. A failure is the first in that
    /// order, and tells whether the transaction had begun: not when BEGIN failed, which happens
    /// when the connection is closed. (On an open connection BEGIN cannot fail: every
    /// transaction on it ended with COMMIT or ROLLBACK.)
    fn round_trip<'s, T>(
        &'s mut self,
        call: impl FnOnce(&'s Client) -> Call<'s, T>,
    ) -> std::result::Result<T, (tokio_postgres::Error, bool)> {
        let Self {
            client,
            driver,
            transaction,
            begin,
            deferred: unsent,
            answers,
            ..
        } = self;
        let begin = (*transaction == Transaction::Unsent).then_some(*begin);
        *transaction = Transaction::Open;
        let deferred = std::mem::take(unsent);
        let escaped: Vec<Vec<Escaped>> = (deferred.iter())
            .map(|d| d.params.iter().map(|p| Escaped(&**p as _)).collect())
            .collect();
        let params: Vec<Vec<&(dyn ToSql + Sync)>> = (escaped.iter())
            .map(|e| e.iter().map(|p| p as _).collect())
            .collect();
        let client: &'s Client = client;
        let began = async {
            match begin {
                Some(begin) => client.batch_execute(begin).await,
                None => Ok(()),
            }
        };
        let queued =
            (deferred.iter().zip(&params)).map(|(d, params)| client.query(&d.statement, params));
        let all = futures_util::future::join3(
            began,
            futures_util::future::join_all(queued),
            call(client),
        );
        let answers_came = driver.block_on(async { Ok(all.await) });
        let (queued, answer) = match answers_came {
            Ok((Ok(()), queued, answer)) => (queued, answer),
            Ok((Err(e), ..)) | Err(e) if begin.is_some() => {
                // Nothing of the transaction ran: it stays unsent, with its deferred statements.
                *transaction = Transaction::Unsent;
                *unsent = deferred;
                return Err((e, false));
            }
            Ok((Err(e), ..)) | Err(e) => return Err((e, true)),
        };
        let mut failed = None;
        for (d, rows) in deferred.iter().zip(queued) {
            match rows {
                Ok(rows) => answers[d.ticket] = Some(Some(rows)),
                Err(e) => {
                    answers[d.ticket] = Some(None);
                    failed = failed.or(Some(e));
                }
            }
        }
        match failed {
            Some(e) => Err((e, true)),
            None => answer.map_err(|e| (e, true)),
        }
    }

    /// Replaces the connection with a new one to the same server, for a transaction that has
    /// sent nothing yet (its deferred statements are prepared again there).
    fn reconnect(&mut self) -> Result<()> {
        let fresh = open::connect(&self.target).inspect_err(|_| self.failed = true)?;
        let begin = self.begin;
        let mut deferred = std::mem::take(&mut self.deferred);
        let answers = std::mem::take(&mut self.answers);
        let checks = std::mem::take(&mut self.checks);
        *self = fresh;
        self.transaction = Transaction::Unsent;
        self.begin = begin;
        self.answers = answers;
        self.checks = checks;
        for d in &mut deferred {
            d.statement = self.statement(d.sql).map_err(|e| self.failure(e))?;
        }
        self.deferred = deferred;
        Ok(())
    }

    /// Runs `flush` (statements whose answer is only a success) and COMMIT, in one round trip,
    /// and succeeds only when all did: after a failed statement the server answers COMMIT by
    /// rolling back. A transaction that sent nothing, and deferred nothing, has nothing to commit.
    fn commit(&mut self, flush: &[(&'static str, Params)]) -> Result<()> {
        self.settle()?;
        if self.failed {
            // The server has aborted the transaction, and would answer COMMIT by rolling it
            // back: the closure went on after an error, but nothing may be acknowledged.
            return Err(Error::internal(
                "a statement of the transaction failed and the operation went on",
            ));
        }
        if self.transaction != Transaction::Open && self.deferred.is_empty() {
            self.transaction = Transaction::Idle;
            return Ok(());
        }
        let mut statements = Vec::with_capacity(flush.len());
        for (sql, _) in flush {
            statements.push(self.statement(sql).map_err(|e| self.failure(e))?);
        }
        let escaped: Vec<Vec<Escaped>> = flush
            .iter()
            .map(|(_, params)| params.iter().map(|p| Escaped(*p)).collect())
            .collect();
        let params: Vec<Vec<&(dyn ToSql + Sync)>> = escaped
            .iter()
            .map(|e| e.iter().map(|p| p as _).collect())
            .collect();
        let answers = self.round_trip(|client| {
            let flushed = (statements.iter().zip(&params))
                .map(|(statement, params)| client.execute(statement, params));
            let flushed = futures_util::future::join_all(flushed);
            Box::pin(async move {
                let (flushed, committed) =
                    futures_util::future::join(flushed, client.batch_execute("COMMIT")).await;
                // The first failure: after it the server answers COMMIT by rolling back.
                flushed.into_iter().find(Result::is_err).unwrap_or(Ok(0))?;
                committed
            })
        });
        // Ended, whatever the answers: committed, rolled back, or the connection is gone.
        self.transaction = Transaction::Idle;
        answers.map_err(|(e, _)| self.failure(e))
    }

    /// Ends an open transaction with ROLLBACK, without waiting: it is written to the socket now,
    /// so the server ends the transaction at once (and frees its snapshot and locks), and its
    /// answer is read, and discarded, by the connection's next request.
    fn roll_back(&mut self) {
        if self.transaction == Transaction::Open && !self.client.is_closed() {
            self.driver.send(self.client.batch_execute("ROLLBACK"));
        }
        self.transaction = Transaction::Idle;
    }
}
