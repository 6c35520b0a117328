//! Checkpoints off the write path.
//!
//! In WAL mode a commit appends the pages it changed to the `-wal` file, and a checkpoint copies
//! them back into the database file and syncs it. SQLite's automatic checkpoint runs inside the
//! commit that crosses its threshold: that write, and every write queued behind it, waits while
//! tens of megabytes are copied and flushed (the 30–45 ms p99 of single creates over HTTP).
//!
//! A file store hands checkpoints to a thread of its own, with its own connection. A commit only
//! notes how long the WAL has grown (`sqlite3_wal_hook`, which also turns SQLite's automatic
//! checkpoint off for the writing connection); past [`THRESHOLD`] frames it wakes the thread,
//! which runs a `PASSIVE` checkpoint while writes and reads go on. Should the WAL reach
//! [`INLINE`] frames all the same (a long read holding old frames, a thread that cannot keep
//! up), the commit that finds it so checkpoints in place, as SQLite would, so the WAL stays
//! bounded. Other processes writing the file keep SQLite's automatic checkpoints.

use super::error::map_err;
use crate::error::Result;
use rusqlite::hooks::Wal;
use rusqlite::Connection;
use std::cell::Cell;
use std::ffi::c_int;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

/// WAL frames after which a commit wakes the checkpoint thread: about 40 MB of 4 KiB pages.
/// SQLite's default is 1,000; every 10,000 a checkpoint runs a tenth as often and writes each hot
/// page (the end of every index) once for many commits: single creates took 25% less time when
/// commits still checkpointed themselves (BENCHMARKS.md, target 2).
pub(super) const THRESHOLD: i32 = 10_000;

/// WAL frames at which a commit checkpoints in place.
pub(super) const INLINE: i32 = 4 * THRESHOLD;

thread_local! {
    /// Frames in the WAL after this thread's last commit, as the WAL hook reported them.
    static WAL_FRAMES: Cell<i32> = const { Cell::new(0) };
}

fn note_frames(_wal: &Wal, frames: c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.with(|f| f.set(frames));
    Ok(())
}

/// Makes `conn`'s commits note the WAL's length (for [`after_commit`]) instead of checkpointing.
pub(super) fn watch(conn: &Connection) {
    conn.wal_hook(Some(note_frames));
}

/// What the commit just made on this thread calls for: wakes `checkpointer` past [`THRESHOLD`]
/// frames, checkpoints `conn` in place at [`INLINE`].
pub(super) fn after_commit(conn: &Connection, checkpointer: &Checkpointer) {
    let frames = WAL_FRAMES.with(|f| f.replace(0));
    if frames >= INLINE {
        // A failure here is a checkpoint put off; the next commit tries again.
        let _ = passive(conn);
    } else if frames >= THRESHOLD {
        checkpointer.wake();
    }
}

/// Copies what it can of the WAL into the database file, waiting for no one.
fn passive(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .map_err(map_err)
}

/// The checkpoint thread of a file store; stopped (after its checkpoint in progress) on drop.
#[derive(Debug)]
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<Wake>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Wake {
    requested: bool,
    stop: bool,
}

impl Checkpointer {
    /// Starts the thread; `conn` is its own connection to the file.
    pub(super) fn start(conn: Connection) -> Result<Self> {
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("pivotal-checkpoint".into())
            .spawn({
                let shared = shared.clone();
                move || run(&conn, &shared)
            })
            .map_err(|e| crate::Error::internal(format!("starting the checkpoint thread: {e}")))?;
        Ok(Self {
            shared,
            thread: Some(thread),
        })
    }

    fn wake(&self) {
        let mut state = lock(&self.shared.state);
        state.requested = true;
        self.shared.changed.notify_one();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        lock(&self.shared.state).stop = true;
        self.shared.changed.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: &Connection, shared: &Shared) {
    loop {
        {
            let mut state = lock(&shared.state);
            while !state.requested && !state.stop {
                state = shared
                    .changed
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if state.stop {
                return;
            }
            state.requested = false;
        }
        // A failure (the file locked by another process's checkpoint) waits for the next wake.
        let _ = passive(conn);
    }
}

fn lock(state: &Mutex<Wake>) -> std::sync::MutexGuard<'_, Wake> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
