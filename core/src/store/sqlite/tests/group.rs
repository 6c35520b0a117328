//! Group commit: writes that arrive together share a commit; each keeps its own outcome.

use super::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Inserts the customer `id` into the default scope.
fn insert(tx: &mut dyn crate::store::Tx, id: &str, display_id: i64) -> crate::error::Result<()> {
    tx.insert_customer(&live(), &bare_customer(id, display_id, at(T0)))
}

fn customer_ids(store: &SqliteStore) -> Vec<String> {
    let mut ids = Vec::new();
    read(store, |tx| {
        let filter = CustomerFilter::default();
        ids = tx
            .list_customers(&live(), &filter, &all())?
            .into_iter()
            .map(|c| c.id)
            .collect();
        Ok(())
    });
    ids.sort();
    ids
}

fn file_store() -> (tempfile::TempDir, PathBuf, SqliteStore) {
    let (dir, path) = temp_db();
    let store = SqliteStore::open(&path).unwrap();
    write(&store, |tx| {
        tx.insert_workspace(&workspace("org_a"), at(T0))
    });
    (dir, path, store)
}

/// Holds the first write open until `others` writes wait for the connection, then runs the
/// others: `b` fails (an error, or a panic when `panics`) and `c` succeeds. Returns the three
/// outcomes, a panic as `Err(None)`.
fn three_writes(
    store: &SqliteStore,
    panics: bool,
) -> [std::result::Result<(), Option<ErrorCode>>; 3] {
    let others = 2;
    let holding = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let a = scope.spawn(|| {
            store.write(&mut |tx| {
                holding.store(true, Ordering::SeqCst);
                insert(tx, "cus_a", 1)?;
                let started = Instant::now();
                while store.writer.waiting() < others {
                    assert!(started.elapsed() < Duration::from_secs(10), "nobody came");
                    std::thread::yield_now();
                }
                Ok(())
            })
        });
        while !holding.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        // `a` holds the connection now: `b` and `c` wait for it.
        let b = scope.spawn(|| {
            store.write(&mut |tx| {
                insert(tx, "cus_b", 2)?;
                if panics {
                    panic!("b panics");
                }
                Err(Error::new(ErrorCode::SlugTaken, "b fails"))
            })
        });
        let c = scope.spawn(|| store.write(&mut |tx| insert(tx, "cus_c", 3)));
        [a, b, c].map(|h| match h.join() {
            Ok(result) => result.map_err(|e| Some(e.code)),
            Err(_) => Err(None),
        })
    })
}

#[test]
fn writes_waiting_together_share_one_commit_and_a_failure_undoes_only_its_own_work() {
    let (_dir, path, store) = file_store();
    let before = store.writer.commits();
    let outcomes = three_writes(&store, false);
    assert_eq!(
        outcomes,
        [Ok(()), Err(Some(ErrorCode::SlugTaken)), Ok(())],
        "each write keeps its own outcome"
    );
    assert_eq!(
        store.writer.commits() - before,
        1,
        "one commit for the group"
    );
    assert_eq!(customer_ids(&store), ["cus_a", "cus_c"]);
    // The group is over: the next write begins and commits its own transaction.
    write(&store, |tx| insert(tx, "cus_d", 4));
    assert_eq!(store.writer.commits() - before, 2);
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(customer_ids(&reopened), ["cus_a", "cus_c", "cus_d"]);
}

#[test]
fn a_panicking_write_in_a_group_undoes_only_its_own_work() {
    let (_dir, _path, store) = file_store();
    let outcomes = three_writes(&store, true);
    assert_eq!(outcomes, [Ok(()), Err(None), Ok(())]);
    assert_eq!(customer_ids(&store), ["cus_a", "cus_c"]);
    write(&store, |tx| insert(tx, "cus_d", 4));
    assert_eq!(customer_ids(&store), ["cus_a", "cus_c", "cus_d"]);
}

#[test]
fn a_write_alone_commits_at_once() {
    let (_dir, _path, store) = file_store();
    let before = store.writer.commits();
    for (i, id) in ["cus_1", "cus_2", "cus_3"].into_iter().enumerate() {
        write(&store, |tx| insert(tx, id, i as i64 + 1));
        assert_eq!(store.writer.commits() - before, i + 1);
    }
}

#[test]
fn in_memory_writes_never_share_a_commit() {
    // Reads share the writing connection there: they would see a group's work before its commit.
    let store = SqliteStore::open_in_memory().unwrap();
    write(&store, |tx| {
        tx.insert_workspace(&workspace("org_a"), at(T0))
    });
    let before = store.writer.commits();
    let outcomes = three_writes(&store, false);
    assert_eq!(outcomes, [Ok(()), Err(Some(ErrorCode::SlugTaken)), Ok(())]);
    assert_eq!(store.writer.commits() - before, 2, "a and c commit alone");
    assert_eq!(customer_ids(&store), ["cus_a", "cus_c"]);
}

#[test]
fn many_threads_writing_at_once_each_see_their_write_committed() {
    let (_dir, _path, store) = file_store();
    let threads = 8;
    let each = 40;
    let before = store.writer.commits();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let store = &store;
            scope.spawn(move || {
                for i in 0..each {
                    let id = format!("cus_{t}_{i}");
                    let display_id = (t * each + i + 1) as i64;
                    write(store, |tx| insert(tx, &id, display_id));
                    // Acknowledged means readable, through the other connection.
                    let mut found = None;
                    read(store, |tx| {
                        found = tx.customer(&live(), &id)?;
                        Ok(())
                    });
                    assert!(found.is_some(), "{id} acknowledged but not readable");
                }
            });
        }
    });
    assert_eq!(customer_ids(&store).len(), threads * each);
    assert!(store.writer.commits() - before <= threads * each);
}

#[test]
fn the_checkpoint_thread_copies_a_long_wal_into_the_file() {
    let (_dir, path, store) = file_store();
    let file_len = || std::fs::metadata(&path).unwrap().len();
    let before = file_len();
    // One commit of ~48 MB: past the threshold, which wakes the thread (the commit itself no
    // longer checkpoints: its WAL hook replaced SQLite's automatic checkpoint).
    let pages = super::super::checkpoint::THRESHOLD as usize + 2_000;
    write(&store, |tx| {
        for i in 0..pages / 10 {
            let mut customer = bare_customer(&format!("cus_{i}"), i as i64 + 1, at(T0));
            customer
                .metadata
                .insert("blob".into(), "x".repeat(40_000).into());
            tx.insert_customer(&live(), &customer)?;
        }
        Ok(())
    });
    let started = Instant::now();
    while file_len() < before + 40_000_000 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the WAL was not checkpointed: the file is {} bytes",
            file_len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(store);
    let reopened = SqliteStore::open(&path).unwrap();
    let last = format!("cus_{}", pages / 10 - 1);
    assert!(read(&reopened, |tx| tx.customer(&live(), &last)).is_some());
}
