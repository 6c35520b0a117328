//! The SQLite store: one file (or an in-memory database), one connection behind a mutex.
//!
//! Files use WAL. Every write is `BEGIN IMMEDIATE … COMMIT`, every read a deferred transaction on
//! the same connection, so operations of one process run one at a time and other processes wait
//! up to the busy timeout. The schema version lives in `PRAGMA user_version`; a file from a newer
//! library is refused (`schema_too_new`) and one that is not a database is reported
//! (`storage_corrupt`), both left untouched.

mod error;
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
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            durability: Durability::Normal,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A [`Store`] in a SQLite database.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
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
    pub fn open_with(path: impl AsRef<Path>, options: SqliteOptions) -> Result<Self> {
        Ok(Self::new(open::open(Some(path.as_ref()), &options)?))
    }

    /// A fresh database in memory, gone when the store is dropped.
    pub fn open_in_memory() -> Result<Self> {
        Ok(Self::new(open::open(None, &SqliteOptions::default())?))
    }

    fn new(conn: Connection) -> Self {
        Self {
            conn: Mutex::new(conn),
        }
    }

    /// The connection, recovered if a panic poisoned the mutex: the panicking transaction was
    /// rolled back while unwinding (and `tx::run` abandons anything still open).
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| {
            self.conn.clear_poison();
            poisoned.into_inner()
        })
    }
}

impl Store for SqliteStore {
    fn read(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        tx::run(&self.lock(), false, f)
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        tx::run(&self.lock(), true, f)
    }

    fn schema_version(&self) -> i64 {
        open::SCHEMA_VERSION
    }
}
