//! Hostile files through the public `Pivotal::open`: a file from a newer schema, truncated,
//! zeroed, garbage or damaged files, a foreign WAL, read-only files and directories. Each is a
//! typed error (never a panic), and a file that is refused is left byte for byte as it was,
//! WAL included. (The store-level versions of some of these live in
//! `src/store/sqlite/tests/files.rs`.)

use pivotal_core::{
    ContactParams, CustomerParams, CustomerPatch, ErrorCode, OnboardingParams, OnboardingPatch,
    Patch, Phase, Pivotal,
};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pivotal.db");
    (dir, path)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// SHA-256 of the file and of its `-wal`, or `None` for a missing one.
fn hashes(path: &Path) -> [Option<Vec<u8>>; 2] {
    let hash = |p: PathBuf| std::fs::read(p).ok().map(|b| Sha256::digest(b).to_vec());
    [hash(path.to_owned()), hash(sidecar(path, "-wal"))]
}

/// A real store with a few hundred records, closed cleanly.
fn populated(path: &Path) {
    let db = Pivotal::open(path).unwrap();
    for i in 0..60 {
        let c = db
            .customers()
            .create(
                CustomerParams {
                    name: format!("Customer {i} {}", "x".repeat(100)),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        db.contacts()
            .create(
                &c.id,
                ContactParams {
                    name: "Ada".into(),
                    email: format!("ada{i}@example.com"),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        let o = db
            .onboardings()
            .create(
                OnboardingParams {
                    customer_id: c.id.clone(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        db.onboardings()
            .update(
                &o.id,
                OnboardingPatch {
                    phase: Patch::Set(Phase::ProgramDesign),
                    ..Default::default()
                },
            )
            .unwrap();
    }
}

/// `Pivotal::open` refuses `path` with `code`, and neither the file nor its WAL changed.
#[track_caller]
fn refused_untouched(path: &Path, code: ErrorCode) {
    let before = hashes(path);
    let err = Pivotal::open(path).expect_err("the open should be refused");
    assert_eq!(err.code, code, "{err}");
    assert_eq!(hashes(path), before, "the file or its WAL changed");
    // And again: the refusal itself left nothing that changes the next answer.
    assert_eq!(Pivotal::open(path).unwrap_err().code, code);
    assert_eq!(hashes(path), before, "the file or its WAL changed");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched_with_its_wal() {
    let (_dir, path) = temp_db();
    populated(&path);
    {
        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", 99).unwrap();
    }
    refused_untouched(&path, ErrorCode::SchemaTooNew);

    // A newer library left committed work in the WAL, not yet checkpointed: the refusal must not
    // checkpoint it into the file, nor reset the WAL.
    {
        let raw = Connection::open(&path).unwrap();
        raw.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        raw.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA user_version = 100;
             CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (1);",
        )
        .unwrap();
    }
    let wal = sidecar(&path, "-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the test needs a WAL"
    );
    refused_untouched(&path, ErrorCode::SchemaTooNew);
    // The newer library still finds its work.
    let raw = Connection::open(&path).unwrap();
    let n: i64 = raw
        .query_row("SELECT count(*) FROM from_the_future", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn truncated_zeroed_and_garbage_files_are_corrupt_and_untouched() {
    let (_dir, path) = temp_db();
    populated(&path);
    let full = std::fs::read(&path).unwrap();
    assert!(
        full.len() > 16 * 4096,
        "the test needs a file of many pages"
    );

    // Truncated anywhere: inside the header, inside page 1, at and between page boundaries.
    for len in [
        1,
        15,
        16,
        50,
        99,
        100,
        101,
        512,
        4095,
        4096,
        4097,
        8192,
        3 * 4096 + 7,
    ]
    .into_iter()
    .chain([
        full.len() / 3,
        full.len() / 2,
        full.len() - 4096,
        full.len() - 1,
    ]) {
        std::fs::write(&path, &full[..len]).unwrap();
        refused_untouched(&path, ErrorCode::StorageCorrupt);
    }
    // Zeroed: the same size, all zeros; and a few zero bytes only.
    for len in [1, 100, 4096, full.len()] {
        std::fs::write(&path, vec![0u8; len]).unwrap();
        refused_untouched(&path, ErrorCode::StorageCorrupt);
    }
    // Garbage, of several sizes, and a header that is SQLite's followed by garbage.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    for len in [1, 64, 4096, 100_000] {
        std::fs::write(&path, noise(len)).unwrap();
        refused_untouched(&path, ErrorCode::StorageCorrupt);
    }
    let mut header = full[..100].to_vec();
    header.extend(noise(8192));
    std::fs::write(&path, &header).unwrap();
    refused_untouched(&path, ErrorCode::StorageCorrupt);
    // Text that merely starts like a database.
    std::fs::write(&path, b"SQLite format 3\0 and then a shopping list").unwrap();
    refused_untouched(&path, ErrorCode::StorageCorrupt);
}

#[test]
fn a_directory_or_a_missing_parent_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Pivotal::open(dir.path()).unwrap_err();
    assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err}");
    assert!(err.message.contains("cannot open"), "{err}");
    let err = Pivotal::open(dir.path().join("no/such/dir/x.db")).unwrap_err();
    assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err}");
    assert!(!dir.path().join("no").exists());
}

/// A file damaged past page 1 opens (SQLite reads pages on demand), but no operation panics: each
/// answers, or fails with `storage_corrupt`. The bytes damaged differ per round.
#[test]
fn damaged_pages_give_storage_corrupt_never_a_panic() {
    let (_dir, path) = temp_db();
    populated(&path);
    let full = std::fs::read(&path).unwrap();
    let pages = full.len() / 4096;
    let mut corrupt_answers = 0;
    for round in 0..24usize {
        let mut bytes = full.clone();
        let page = 1 + (round * 7) % (pages - 1);
        let start = page * 4096 + (round * 131) % 4000;
        let len = [4096, 200, 17, 1][round % 4];
        for (i, b) in bytes[start..(start + len).min(full.len())]
            .iter_mut()
            .enumerate()
        {
            *b = if round % 2 == 0 {
                0
            } else {
                b.wrapping_add(i as u8 | 1)
            };
        }
        std::fs::write(&path, &bytes).unwrap();
        let _ = std::fs::remove_file(sidecar(&path, "-wal"));
        let _ = std::fs::remove_file(sidecar(&path, "-shm"));
        let outcome = std::panic::catch_unwind(|| exercise(&path));
        let codes = outcome.unwrap_or_else(|_| panic!("round {round}: a panic"));
        for code in &codes {
            assert!(
                matches!(code, ErrorCode::StorageCorrupt),
                "round {round}: damaged page {page} gave {code:?}"
            );
        }
        corrupt_answers += codes.len();
    }
    assert!(corrupt_answers > 0, "no damage was ever noticed");
}

/// Opens the file and runs reads and writes over everything; the error codes seen.
fn exercise(path: &Path) -> Vec<ErrorCode> {
    let mut codes = Vec::new();
    let db = match Pivotal::open(path) {
        Ok(db) => db,
        Err(e) => return vec![e.code],
    };
    let mut note = |r: Result<(), pivotal_core::Error>| {
        if let Err(e) = r {
            if e.http_status() >= 500 {
                codes.push(e.code);
            }
        }
    };
    let mut cursor = None;
    for _ in 0..10 {
        match db.customers().list(&pivotal_core::CustomerListParams {
            limit: Some(100),
            cursor: cursor.take(),
            ..Default::default()
        }) {
            Ok(page) => {
                for c in &page.data {
                    note(db.customers().retrieve(&c.id).map(drop));
                    note(db.onboardings().list_for_customer(&c.id).map(drop));
                }
                cursor = page.next_cursor;
                if cursor.is_none() {
                    break;
                }
            }
            Err(e) => {
                note(Err(e));
                break;
            }
        }
    }
    note(
        db.events()
            .list(&pivotal_core::EventListParams {
                limit: Some(100),
                after_sequence: Some(50),
                ..Default::default()
            })
            .map(drop),
    );
    note(
        db.customers()
            .update(
                "1",
                CustomerPatch {
                    plan: Patch::Set("gold".into()),
                    ..Default::default()
                },
            )
            .map(drop),
    );
    note(
        db.customers()
            .create(
                CustomerParams {
                    name: "After the damage".into(),
                    ..Default::default()
                },
                None,
            )
            .map(drop),
    );
    codes
}

#[test]
fn a_garbage_wal_is_ignored_and_the_file_still_opens() {
    let (_dir, path) = temp_db();
    populated(&path);
    std::fs::write(sidecar(&path, "-wal"), vec![0xA5u8; 50_000]).unwrap();
    let db = Pivotal::open(&path).unwrap();
    let page = db
        .customers()
        .list(&pivotal_core::CustomerListParams {
            limit: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.data.len(), 60);
}

/// Makes a file or directory immutable for the life of the guard: `chattr +i` when running as
/// root (which permissions do not stop), `chmod` otherwise. `None` when neither works here.
struct ReadOnly {
    path: PathBuf,
    chattr: bool,
    mode: u32,
}

impl ReadOnly {
    fn new(path: &Path) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        let chattr = std::process::Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let guard = Self {
            path: path.to_owned(),
            chattr,
            mode,
        };
        if !chattr {
            let read_only = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(read_only)).ok()?;
        }
        // Root without chattr can still write: then there is nothing to test.
        let probe = if path.is_dir() {
            std::fs::write(path.join(".probe"), b"x").is_ok()
        } else {
            std::fs::OpenOptions::new().append(true).open(path).is_ok()
        };
        if probe {
            let _ = std::fs::remove_file(path.join(".probe"));
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.chattr {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.path)
                .status();
        } else {
            let _ =
                std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(self.mode));
        }
    }
}

#[test]
fn read_only_files_and_directories_are_typed_errors() {
    // A read-only database file (closed cleanly, so there is no WAL to recover).
    let (dir, path) = temp_db();
    populated(&path);
    let before = hashes(&path);
    match ReadOnly::new(&path) {
        None => eprintln!("skipped: cannot make a file read-only here"),
        Some(_guard) => {
            let err = Pivotal::open(&path).expect_err("a read-only file cannot be written");
            assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err}");
            assert!(err.message.contains("read-only"), "{err}");
            assert_eq!(hashes(&path), before);
        }
    }
    // A new file in a read-only directory, and an existing one whose WAL cannot be created.
    match ReadOnly::new(dir.path()) {
        None => eprintln!("skipped: cannot make a directory read-only here"),
        Some(_guard) => {
            let err = Pivotal::open(dir.path().join("new.db")).unwrap_err();
            assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err}");
            assert!(err.message.contains("cannot open"), "{err}");
            assert!(!dir.path().join("new.db").exists());
            let err = Pivotal::open(&path).unwrap_err();
            assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err}");
            assert!(err.message.contains("cannot open"), "{err}");
            assert_eq!(hashes(&path), before);
        }
    }
}

/// A file whose `user_version` was set back, or that lost a table, is reported at open as
/// `storage_corrupt` naming the problem, never as `internal` (nor later, at the first operation).
#[test]
fn a_schema_that_does_not_match_its_version_is_corrupt() {
    let (_dir, path) = temp_db();
    populated(&path);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 1").unwrap();
    drop(conn);
    let e = Pivotal::open(&path).unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageCorrupt, "{e}");
    assert!(e.message.contains("version 1"), "{e}");

    let (_dir, path) = temp_db();
    populated(&path);
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE events").unwrap();
    drop(conn);
    let e = Pivotal::open(&path).unwrap_err();
    assert_eq!(e.code, ErrorCode::StorageCorrupt, "{e}");
    assert!(e.message.contains("table `events`"), "{e}");
}
