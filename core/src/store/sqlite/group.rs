//! Group commit: the writes of one process that arrive together share one transaction and one
//! commit.
//!
//! A commit writes every page its transaction changed (in WAL mode, a frame each), and a single
//! create changes pages of a dozen B-trees (the record's table and indexes, its history row, its
//! event and the log's indexes, the display-id counter): about 17 frames for one onboarding. When
//! writes of this process queue for the connection (threads of one program, requests of
//! `pivotal serve`), each commit would rewrite the same index pages again.
//!
//! So a write that finishes while another waits for the connection does not commit: it leaves
//! its work in the open transaction, hands the connection on, and waits. The next write runs in
//! the same transaction inside a savepoint, so that its failure undoes only its own work, and the
//! write that finds nobody waiting (or the group full, [`MAX_GROUP`]) commits for all. Every write
//! returns after the commit that holds it: `Ok` once it is as durable as the store's
//! [`Durability`](super::Durability) makes any commit, the commit's error otherwise (its work is
//! then rolled back with the group's; a write is never acknowledged before it can be read). A
//! write that finds nobody waiting commits at once, as without grouping.
//!
//! In-memory stores do not group: their reads share the writing connection, and would see a
//! group's work before its commit.

use super::checkpoint::{self, Checkpointer};
use super::{backoff, sql, tx};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Tx;
use rusqlite::Connection;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The most writes one commit holds: bounds how long the first of a group waits.
pub(super) const MAX_GROUP: usize = 64;

/// The writing connection, and the writes waiting for it.
#[derive(Debug)]
pub(super) struct Writer {
    state: Mutex<State>,
    /// Writes blocked on `state`'s mutex: while there are any, a finished write leaves the
    /// commit to the next one.
    waiting: AtomicUsize,
    grouping: bool,
    /// Commits made (tests read it).
    commits: AtomicUsize,
    /// Files: the thread that checkpoints the WAL.
    checkpointer: Option<Checkpointer>,
}

/// The connection, and the group whose transaction is open on it.
#[derive(Debug)]
pub(super) struct State {
    pub(super) conn: Connection,
    /// Finished writes in the open transaction, waiting for its commit (0: no group open).
    members: usize,
    /// Where the open group's members wait for its outcome (they do not hold `state` meanwhile).
    outcome: Arc<Outcome>,
}

/// The outcome of one group's commit, and its members waiting for it.
#[derive(Debug, Default)]
struct Outcome {
    result: Mutex<Option<Result<()>>>,
    ready: Condvar,
}

impl Outcome {
    fn set(&self, result: Result<()>) {
        *self.result.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
        self.ready.notify_all();
    }

    fn wait(&self) -> Result<()> {
        let mut result = self.result.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(result) = &*result {
                return result.clone();
            }
            result = self.ready.wait(result).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Writer {
    /// `grouping`: whether writes may share a commit (files; not in memory). `checkpointer`:
    /// the thread that checkpoints a file's WAL, if any ([`checkpoint::watch`] the connection).
    pub(super) fn new(
        conn: Connection,
        grouping: bool,
        checkpointer: Option<Checkpointer>,
    ) -> Self {
        Self {
            state: Mutex::new(State {
                conn,
                members: 0,
                outcome: Arc::default(),
            }),
            waiting: AtomicUsize::new(0),
            grouping,
            commits: AtomicUsize::new(0),
            checkpointer,
        }
    }

    /// The connection, recovered if a panic poisoned its mutex: the panicking write's work was
    /// rolled back before the panic went on.
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| {
            self.state.clear_poison();
            poisoned.into_inner()
        })
    }

    /// Writes waiting for the connection.
    #[cfg(test)]
    pub(super) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Commits of groups made so far.
    #[cfg(test)]
    pub(super) fn commits(&self) -> usize {
        self.commits.load(Ordering::SeqCst)
    }

    /// Runs `f` as one write; see the module documentation.
    ///
    /// `BEGIN IMMEDIATE` waits for other processes' writes by polling every millisecond or so
    /// until `busy_timeout`, instead of through SQLite's busy handler, whose sleeps grow to
    /// 100 ms: against a process that writes back to back, a poller that rarely looks rarely finds
    /// the lock free, and could starve past the timeout. Only the `BEGIN` is retried: `f` runs
    /// exactly once. The mutex is released between attempts, so this process's reads (and
    /// other writes) are not held up by the wait.
    pub(super) fn write(
        &self,
        busy_timeout: Duration,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        let started = Instant::now();
        for attempt in 0u32.. {
            self.waiting.fetch_add(1, Ordering::SeqCst);
            let state = self.lock();
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            if state.members > 0 {
                return self.run(state, true, f);
            }
            // The BEGIN fails at once when the file is locked; inside the transaction (where a
            // rollback-journal commit could still have to wait) the busy timeout is back.
            set_busy_timeout(&state.conn, Duration::ZERO);
            let begun = tx::begin(&state.conn, true);
            set_busy_timeout(&state.conn, busy_timeout);
            match begun {
                Ok(()) => return self.run(state, false, f),
                Err(e) if e.code == ErrorCode::StorageBusy && started.elapsed() < busy_timeout => {
                    drop(state);
                    std::thread::sleep(backoff(attempt));
                }
                Err(e) => return Err(e),
            }
        }
        unreachable!("the loop returns")
    }

    /// Runs `f` in the open transaction (inside a savepoint when it `joined` a group), then
    /// leaves the commit to a waiting write or commits.
    fn run(
        &self,
        mut state: MutexGuard<'_, State>,
        joined: bool,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>,
    ) -> Result<()> {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            if joined {
                tx::execute(&state.conn, sql::SAVEPOINT, [])?;
            }
            tx::body(&state.conn, true, f)?;
            if joined {
                tx::execute(&state.conn, sql::RELEASE, [])?;
            }
            Ok(())
        }));
        let result = match &outcome {
            Ok(result) => result.clone(),
            Err(_) => Err(Error::internal("a write panicked")),
        };
        if result.is_err() {
            undo(&mut state, joined);
            if state.members > 0 && state.conn.is_autocommit() {
                // The failure took the whole transaction with it (a full disk, an I/O error):
                // the group's writes are lost too.
                end_group(&mut state, result.clone());
            }
        } else {
            state.members += 1;
        }
        let mine = result.is_ok().then(|| state.outcome.clone());
        if state.members > 0 {
            if self.grouping && state.members < MAX_GROUP && self.waiting.load(Ordering::SeqCst) > 0
            {
                // The next write runs in this transaction and commits it, or passes it on.
                if let Some(outcome) = mine {
                    drop(state);
                    return outcome.wait();
                }
            } else {
                let commit = tx::execute(&state.conn, sql::COMMIT, []).map(drop);
                self.commits.fetch_add(1, Ordering::Relaxed);
                match (&commit, &self.checkpointer) {
                    (Err(_), _) => tx::rollback_if_open(&state.conn),
                    (Ok(()), Some(checkpointer)) => {
                        checkpoint::after_commit(&state.conn, checkpointer);
                    }
                    (Ok(()), None) => {}
                }
                end_group(&mut state, commit.clone());
                if mine.is_some() {
                    return commit;
                }
            }
        }
        drop(state);
        match outcome {
            Ok(result) => result,
            Err(payload) => panic::resume_unwind(payload),
        }
    }
}

/// Closes the open group with its commit's outcome, which its members waiting for it then read.
fn end_group(state: &mut State, result: Result<()>) {
    state.members = 0;
    std::mem::take(&mut state.outcome).set(result);
}

/// Undoes a failed write's work: back to its savepoint when it joined a group, the whole
/// transaction otherwise.
fn undo(state: &mut State, joined: bool) {
    if joined && !state.conn.is_autocommit() {
        let back = tx::execute(&state.conn, sql::ROLLBACK_TO, [])
            .and_then(|_| tx::execute(&state.conn, sql::RELEASE, []));
        if back.is_ok() {
            return;
        }
    }
    tx::rollback_if_open(&state.conn);
}

fn set_busy_timeout(conn: &Connection, timeout: Duration) {
    // Only fails for a closed connection, which the next statement then reports.
    let _ = conn.busy_timeout(timeout);
}
