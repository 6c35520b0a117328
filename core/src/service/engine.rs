//! What every session of one open store shares: the store behind a gate that `close()` shuts,
//! the clock, the id generator, and the process that opened it.
//!
//! Every operation passes the gate: it fails with `store_closed` once the store is closed, or when
//! it runs in a process forked from the one that opened the store (SQLite connections must not
//! cross a fork). `close()` shuts the gate, waits for the operations already inside to finish,
//! then releases the store, so that when it returns nothing of the store is running any more.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Clock, IdGenerator};
use crate::store::{Store, StoreExt, Tx};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The shared state of one open store.
pub(crate) struct Engine {
    gate: Mutex<Gate>,
    /// Signalled when the last operation inside the gate leaves it.
    idle: Condvar,
    /// The process that opened the store.
    pid: u32,
    pub clock: Arc<dyn Clock>,
    pub ids: IdGenerator,
    pub key_iterations: u32,
    /// The SQLite file, or `None` for a store without one.
    pub path: Option<PathBuf>,
}

struct Gate {
    /// `None` once closed.
    store: Option<Arc<dyn Store>>,
    /// Operations inside the gate.
    running: usize,
}

/// One operation inside the gate; leaving (on drop) lets a waiting `close()` go on.
struct Running<'a> {
    store: Option<Arc<dyn Store>>,
    engine: &'a Engine,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        // The store is released before `close()` may drop the last reference.
        self.store = None;
        let mut gate = self.engine.lock();
        gate.running -= 1;
        if gate.running == 0 {
            self.engine.idle.notify_all();
        }
    }
}

impl Engine {
    pub fn new(
        store: Box<dyn Store>,
        clock: Arc<dyn Clock>,
        ids: IdGenerator,
        key_iterations: u32,
        path: Option<PathBuf>,
    ) -> Self {
        Self {
            gate: Mutex::new(Gate {
                store: Some(Arc::from(store)),
                running: 0,
            }),
            idle: Condvar::new(),
            pid: std::process::id(),
            clock,
            ids,
            key_iterations,
            path,
        }
    }

    /// The gate's state; it is only ever held for a few instructions, never across a panic.
    fn lock(&self) -> MutexGuard<'_, Gate> {
        self.gate.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn forked(&self) -> bool {
        std::process::id() != self.pid
    }

    fn enter(&self) -> Result<(Running<'_>, Arc<dyn Store>)> {
        if self.forked() {
            return Err(Error::new(
                ErrorCode::StoreClosed,
                format!(
                    "the store was opened by process {} and this process was forked from it: a \
                     store cannot be used across fork(); open it again in this process",
                    self.pid
                ),
            ));
        }
        let mut gate = self.lock();
        let store = gate.store.clone().ok_or_else(closed)?;
        gate.running += 1;
        let running = Running {
            store: Some(store.clone()),
            engine: self,
        };
        Ok((running, store))
    }

    /// `store_closed` when the store is closed (or opened by another process).
    pub fn check_open(&self) -> Result<()> {
        self.enter().map(drop)
    }

    /// Runs `f` in a read transaction of the open store.
    pub fn read_with<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        let (_running, store) = self.enter()?;
        store.read_with(f)
    }

    /// Runs `f` in a write transaction of the open store; `f` may run more than once
    /// ([`StoreExt::write_with`]).
    pub fn write_with<R>(&self, f: impl FnMut(&mut dyn Tx) -> Result<R>) -> Result<R> {
        let (_running, store) = self.enter()?;
        store.write_with(f)
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        let (_running, store) = self.enter()?;
        Ok(store.schema_version())
    }

    /// Shuts the gate, waits for the operations inside, then releases the store. Idempotent.
    pub fn close(&self) {
        let mut gate = self.lock();
        let store = gate.store.take();
        while gate.running > 0 {
            gate = self.idle.wait(gate).unwrap_or_else(PoisonError::into_inner);
        }
        drop(gate);
        self.release(store);
    }

    /// Whether the store is closed, or was opened by another process (before a fork).
    pub fn is_closed(&self) -> bool {
        self.forked() || self.lock().store.is_none()
    }

    /// Drops the store, except in a forked child: closing SQLite connections there could disturb
    /// the parent's use of the file, so the child leaves them to the operating system.
    fn release(&self, store: Option<Arc<dyn Store>>) {
        if self.forked() {
            std::mem::forget(store);
        } else {
            drop(store);
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let store = self.lock().store.take();
        self.release(store);
    }
}

fn closed() -> Error {
    Error::new(ErrorCode::StoreClosed, "the store is closed")
}
