//! The SQLite store: one file (or an in-memory database), two connections behind mutexes.
//!
//! Files use WAL. Every write is `BEGIN IMMEDIATE … COMMIT` on the writing connection, so writes
//! of one process run one at a time and other processes wait up to the busy timeout. Every read is
//! a deferred transaction on the reading connection: it sees the last commit, and runs while a
//! write is in progress (in memory, where WAL is not available, reads share the one connection).
//! The schema version lives in `PRAGMA user_version`; a file from a newer library is refused
//! (`schema_too_new`) and one that is not a database is reported (`storage_corrupt`), both left
//! untouched.

mod checkpoint;
mod error;
mod group;
mod open;
mod rows;
mod sql;
mod tx;

#[cfg(test)]
mod tests;

use crate::error::Result;
use crate::store::{Store, Tx};
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How hard a commit waits for the disk.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL`: a commit survives a crash of the process; a power loss may undo the
    /// last commits, never corrupt the file.
    #[default]
    Normal,
    /// `synchronous=FULL`: a commit also survives a power loss, at the cost of an fsync per commit.
    Full,
}

/// How to open a SQLite store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqliteOptions {
    /// How hard a commit waits for the disk. Default: [`Durability::Normal`].
    pub durability: Durability,
    /// How long to wait for another process's lock before `storage_busy`. Default: 5 seconds.
    pub busy_timeout: Duration,
    /// Bytes of the file that reads may memory-map (`PRAGMA mmap_size`; SQLite caps it near
    /// 2 GiB). Default: 0, every page read through `pread`.
    ///
    /// Mapping keeps reads on a file larger than the page cache close to their small-file speed
    /// (BENCHMARKS.md, target 3), and the mapped pages count in the process's resident memory. An
    /// I/O error on a mapped page (a failing disk, a file truncated behind SQLite's back) raises
    /// `SIGBUS` instead of an error. Only the reading connection maps the file: writes, imports
    /// included, never do.
    pub mmap_size: u64,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            durability: Durability::Normal,
            busy_timeout: Duration::from_secs(5),
            mmap_size: 0,
        }
    }
}

/// The path that names a fresh in-memory database instead of a file.
pub const MEMORY_PATH: &str = ":memory:";

/// Whether `path` is [`MEMORY_PATH`]: opening it gives an in-memory store, with no file.
pub fn is_memory_path(path: &Path) -> bool {
    path.as_os_str() == MEMORY_PATH
}

/// A [`Store`] in a SQLite database.
#[derive(Debug)]
pub struct SqliteStore {
    /// The connection of every write (and of reads, in memory).
    writer: group::Writer,
    /// Files: the connection of reads, so that they never queue behind a write.
    reader: Option<Mutex<Connection>>,
    busy_timeout: Duration,
}

impl SqliteStore {
    /// Opens (creating it if needed) the database file at `path` with the default options.
    ///
    /// Errors: `storage_corrupt` for a file that is not a pivotal-core database, `schema_too_new`
    /// for one written by a newer library, `storage_busy` when another process holds it locked.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(path, SqliteOptions::default())
    }

    /// Opens (creating it if needed) the database file at `path`; see [`SqliteStore::open`].
    ///
    /// `path` is always a file name, never a SQLite URI (`file:x.db` is the file `./file:x.db`);
    /// `:memory:` ([`MEMORY_PATH`]) opens a fresh in-memory database like
    /// [`open_in_memory`](Self::open_in_memory). An empty path, or one with a NUL byte, is an
    /// `invalid_request_error` (field `path`).
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self> {
        let path = path.as_ref();
        if is_memory_path(path) {
            return Self::open_in_memory_with(options);
        }
        let path = open::file_name(path)?;
        let conn = open::open(Some(&path), &options)?;
        let reader = open::open_reader(&path, &options)?;
        let checkpointer = checkpoint::Checkpointer::start(open::open_checkpointer(&path)?)?;
        checkpoint::watch(&conn);
        Ok(Self {
            writer: group::Writer::new(conn, true, Some(checkpointer)),
            reader: Some(Mutex::new(reader)),
            busy_timeout: options.busy_timeout,
        })
    }

    /// A fresh database in memory, gone when the store is dropped.
    pub fn open_in_memory() -> Result<Self> {
        Self::open_in_memory_with(SqliteOptions::default())
    }

    /// A fresh database in memory with `options` (its one connection serves reads and writes).
    fn open_in_memory_with(options: SqliteOptions) -> Result<Self> {
        Ok(Self {
            // Reads share the writing connection: writes must not share commits.
            writer: group::Writer::new(open::open(None, &options)?, false, None),
            reader: None,
            busy_timeout: options.busy_timeout,
        })
    }

    /// The writing connection.
    fn lock(&self) -> MutexGuard<'_, group::State> {
        self.writer.lock()
    }
}

/// A connection, recovered if a panic poisoned its mutex: the panicking transaction was rolled
/// back while unwinding (and `tx::read` abandons anything still open).
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| {
        conn.clear_poison();
        poisoned.into_inner()
    })
}

/// How long to sleep before attempt `attempt + 1` of taking a lock: 50 µs doubling to 1 ms, plus
/// up to 0.5 ms of jitter so that waiting processes do not poll in step.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = 50u64 << attempt.min(5);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()) / 1000 % 500);
    Duration::from_micros(base.min(1_000) + jitter)
}

impl Store for SqliteStore {
    fn read(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        match &self.reader {
            Some(reader) => tx::read(&lock(reader), f),
            None => tx::read(&self.lock().conn, f),
        }
    }

    /// Commits alone, or with other writes of this process that arrive together (group commit;
    /// README, "Concurrency model").
    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        self.writer.write(self.busy_timeout, f)
    }

    fn schema_version(&self) -> i64 {
        open::SCHEMA_VERSION
    }
}
