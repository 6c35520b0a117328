//! Opening a database: the checks that leave a foreign or newer file untouched, the pragmas, and
//! the migrations.

use super::error::{corrupt, is_busy, map_err};
use super::{sql, Durability, SqliteOptions};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior, MAIN_DB};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The schema version this library reads and writes (`PRAGMA user_version`).
pub(super) const SCHEMA_VERSION: i64 = 2;

/// Marks a file as a pivotal-core database (`PRAGMA application_id`): `PVTL`.
const APPLICATION_ID: i64 = 0x5056_544C;

/// The forward steps: `(v, sql)` takes a file from version `v - 1` to `v`. A file runs every step
/// above its version, all in one transaction; a new file runs them all.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/v1.sql")),
    (2, include_str!("migrations/v2.sql")),
];

/// Opens the file at `path` (in memory when `None`), checks it, configures the connection and
/// brings the schema up to [`SCHEMA_VERSION`].
///
/// Nothing is written before the checks pass: a file that is not a database, not ours, or from a
/// newer library is reported and left byte-for-byte as it was.
pub(super) fn open(path: Option<&Path>, options: &SqliteOptions) -> Result<Connection> {
    if let Some(path) = path {
        check_header(path)?;
    }
    let mut conn = match path {
        Some(path) => Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ),
        None => Connection::open_in_memory(),
    }
    .map_err(map_err)?;
    conn.busy_timeout(options.busy_timeout).map_err(map_err)?;
    // Until the file is known to be ours and current, closing must not checkpoint into it a WAL
    // that another program left behind.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(map_err)?;
    if conn.is_readonly(MAIN_DB).map_err(map_err)? {
        // SQLite falls back to reading a file it may not write; every write would then fail.
        return Err(Error::new(
            ErrorCode::StorageUnavailable,
            "the database file is read-only (permissions, immutable, or a read-only file system)",
        ));
    }
    let version = check(&conn)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
        .map_err(map_err)?;
    configure(&conn, options, path.is_some())?;
    if version < SCHEMA_VERSION {
        migrate(&mut conn)?;
    }
    check_objects(&conn)?;
    Ok(conn)
}

/// The tables and indexes of a current file, `(type, name)`: what the migrations create, learned
/// once per process by running them on an empty in-memory database.
fn expected_objects() -> Result<&'static BTreeSet<(String, String)>> {
    static EXPECTED: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    if let Some(expected) = EXPECTED.get() {
        return Ok(expected);
    }
    let conn = Connection::open_in_memory().map_err(map_err)?;
    for (_, step) in MIGRATIONS {
        conn.execute_batch(step).map_err(map_err)?;
    }
    Ok(EXPECTED.get_or_init(|| objects(&conn).unwrap_or_default()))
}

/// The tables and indexes of the file (SQLite's own `sqlite_*` ones aside).
fn objects(conn: &Connection) -> Result<BTreeSet<(String, String)>> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name FROM sqlite_schema \
             WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'",
        )
        .map_err(map_err)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(map_err)?;
    rows.collect::<rusqlite::Result<_>>().map_err(map_err)
}

/// Checks that a file at [`SCHEMA_VERSION`] has every table and index of that version, so that a
/// damaged schema is reported at open (`storage_corrupt`, naming what is missing) rather than as
/// an `internal` error of the first operation that needs it.
fn check_objects(conn: &Connection) -> Result<()> {
    let present = objects(conn)?;
    let missing: Vec<String> = expected_objects()?
        .difference(&present)
        .map(|(kind, name)| format!("{kind} `{name}`"))
        .collect();
    if !missing.is_empty() {
        return Err(corrupt(format!(
            "the database lacks part of its schema (version {SCHEMA_VERSION}): {}",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// The name SQLite opens for `path`: a relative path that SQLite would read as a URI (`file:…`,
/// with URI support compiled in) gets `./` before it, so every path names a file. An empty path
/// and one with a NUL byte are `invalid_request_error`s.
pub(super) fn file_name(path: &Path) -> Result<std::borrow::Cow<'_, Path>> {
    let bytes = path.as_os_str().as_encoded_bytes();
    if bytes.is_empty() {
        return Err(Error::field(
            ErrorCode::MissingField,
            "path",
            "the database path is empty (use `:memory:` or open_in_memory() for a store without a file)",
        ));
    }
    if bytes.contains(&0) {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "path",
            "the database path contains a NUL byte",
        ));
    }
    if bytes.starts_with(b"file:") {
        return Ok(std::borrow::Cow::Owned(Path::new(".").join(path)));
    }
    Ok(std::borrow::Cow::Borrowed(path))
}

/// Checks the header of an existing file before SQLite opens it, so that what can be refused
/// from the header is refused without creating a `-wal` or `-shm` beside it: a newer schema
/// version, another application's id, and a file shorter than the pages its header counts
/// (truncated), when no WAL could hold the rest. The same checks run again through SQLite, which
/// also sees committed changes still in a WAL.
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(()); // missing (to be created) or unreadable: SQLite reports it
    };
    let Ok(metadata) = file.metadata() else {
        return Ok(());
    };
    if !metadata.is_file() {
        return Ok(()); // a directory, a device: SQLite reports it
    }
    let len = metadata.len();
    let mut header = [0u8; 100];
    if len == 0 {
        return Ok(()); // an empty file becomes a new store
    }
    if len < 100 || file.read_exact(&mut header).is_err() {
        // SQLite would take a file shorter than its header for an empty database, and write.
        return Err(corrupt(format!(
            "not a database: {len} bytes, shorter than a header"
        )));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(corrupt("not a SQLite database"));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let application_id = i64::from(be32(68) as i32);
    let version = i64::from(be32(60) as i32);
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(corrupt(format!(
            "not a pivotal-core database (application_id {application_id:#x})"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(too_new(version));
    }
    // Page size: a power of two from 512 to 32768, or 1 meaning 65536.
    let page_size = match u64::from(u16::from_be_bytes([header[16], header[17]])) {
        1 => 65_536,
        n if n.is_power_of_two() && (512..=32_768).contains(&n) => n,
        n => return Err(corrupt(format!("the header has an invalid page size {n}"))),
    };
    // Frames in a WAL, or a rollback journal (a crash while the file was being created, before
    // it was switched to WAL), may hold the pages the file lacks: SQLite recovers those.
    let sidecar = |suffix: &str| std::fs::metadata(format!("{}{suffix}", path.display()));
    let recoverable = sidecar("-wal").is_ok_and(|m| m.len() > 32) || sidecar("-journal").is_ok();
    // The header's page count is valid when its change counter matches "version valid for".
    let pages = u64::from(be32(28));
    if !recoverable && pages > 0 && be32(24) == be32(92) && len < pages * page_size {
        return Err(corrupt(format!(
            "the file is truncated: {len} bytes, its header counts {pages} pages of {page_size}"
        )));
    }
    if !recoverable && len % page_size != 0 {
        return Err(corrupt(format!(
            "the file is truncated: {len} bytes is not a whole number of {page_size}-byte pages"
        )));
    }
    Ok(())
}

/// Reads the file's identity and version (reading page 1 is also where SQLite notices a file that
/// is not a database, or is truncated) and returns the version if this library can use the file.
///
/// Everything is read in one read transaction: another connection may be creating the schema at
/// this moment, and the identity, the version and the tables must come from the same state.
fn check(conn: &Connection) -> Result<i64> {
    let tx = conn.unchecked_transaction().map_err(map_err)?;
    let version = check_in(&tx)?;
    tx.finish().map_err(map_err)?;
    Ok(version)
}

fn check_in(conn: &Connection) -> Result<i64> {
    let application_id = pragma(conn, "application_id")?;
    let version = pragma(conn, "user_version")?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(corrupt(format!(
            "not a pivotal-core database (application_id {application_id:#x})"
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(too_new(version));
    }
    if version < 0 || (version > 0 && application_id != APPLICATION_ID) {
        return Err(corrupt(format!(
            "not a pivotal-core database (user_version {version}, no application_id)"
        )));
    }
    if version == 0 {
        let objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(map_err)?;
        if objects > 0 {
            return Err(corrupt(
                "not a pivotal-core database (it has tables but no schema version)",
            ));
        }
    }
    Ok(version)
}

fn pragma(conn: &Connection, name: &str) -> Result<i64> {
    conn.pragma_query_value(None, name, |r| r.get(0))
        .map_err(map_err)
}

fn too_new(version: i64) -> Error {
    Error::new(
        ErrorCode::SchemaTooNew,
        format!(
            "the database has schema version {version}; this library reads up to {SCHEMA_VERSION}"
        ),
    )
}

/// Page cache per connection, in KiB: 32 MiB instead of SQLite's 2 MiB, so that the inner pages
/// of every B-tree stay cached on files of millions of rows (BENCHMARKS.md, target 3).
const CACHE_KIB: i64 = 32 * 1024;

/// WAL pages between automatic checkpoints while the file is opened and migrated (SQLite:
/// 1,000); once open, the store's checkpoint thread takes over at the same length
/// ([`checkpoint::THRESHOLD`](super::checkpoint::THRESHOLD)). The WAL file grows to about 40 MB
/// and stays that size.
const WAL_AUTOCHECKPOINT: i64 = super::checkpoint::THRESHOLD as i64;

/// Sets the writing connection's pragmas: WAL for files (in-memory databases cannot use it), the
/// durability, foreign keys, the checkpoint interval, journals and dirty pages in memory, then
/// what every connection gets ([`tune`]).
fn configure(conn: &Connection, options: &SqliteOptions, file: bool) -> Result<()> {
    if file {
        set_wal(conn, options.busy_timeout)?;
    }
    conn.execute_batch(match options.durability {
        Durability::Normal => "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        Durability::Full => "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    })
    .map_err(map_err)?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT)
        .map_err(map_err)?;
    // Batches stay linear in their size (README, "Concurrency model"): statement journals in memory rather
    // than in a temporary file (in a long transaction nearly every page a statement changes is
    // already dirty, so each statement journals its pages: ~14 writes per item, 20 times the
    // data), and a transaction's dirty pages held in memory until it commits rather than spilled
    // into the WAL and read back once they outgrow the page cache.
    conn.execute_batch("PRAGMA temp_store = MEMORY; PRAGMA cache_spill = OFF;")
        .map_err(map_err)?;
    tune(conn)
}

/// What both connections get: the page cache, and the query planner stability guarantee, under
/// which a value bound to a statement never makes SQLite re-plan it (see `sql::tests`).
fn tune(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -CACHE_KIB)
        .map_err(map_err)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
        .map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(sql::ALL.len());
    Ok(())
}

/// Opens the connection that serves reads of a file the writing connection has opened, checked
/// and migrated: read transactions there never wait for this process's writes, nor for another
/// process's lock the writer is waiting on. `query_only` makes any write through it an error.
/// With [`SqliteOptions::mmap_size`], reads come from a memory map of the file instead of a
/// `pread` per page.
pub(super) fn open_reader(path: &Path, options: &SqliteOptions) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(map_err)?;
    conn.busy_timeout(options.busy_timeout).map_err(map_err)?;
    conn.pragma_update(None, "query_only", true)
        .map_err(map_err)?;
    let mmap_size = i64::try_from(options.mmap_size).unwrap_or(i64::MAX);
    conn.pragma_update(None, "mmap_size", mmap_size)
        .map_err(map_err)?;
    tune(&conn)?;
    Ok(conn)
}

/// Opens the connection of a file's checkpoint thread (`checkpoint`): it reads no rows, so it
/// gets SQLite's small default cache.
pub(super) fn open_checkpointer(path: &Path) -> Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(map_err)
}

/// Switches the file to WAL. Leaving rollback-journal mode takes an exclusive lock without
/// SQLite's busy handler, so a connection that opens a new file while another one reads it gets
/// `SQLITE_BUSY` at once: retried here, with short jittered sleeps, up to the busy timeout.
fn set_wal(conn: &Connection, timeout: Duration) -> Result<()> {
    let started = Instant::now();
    for attempt in 0u32.. {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && started.elapsed() < timeout => {
                std::thread::sleep(super::backoff(attempt))
            }
            Err(e) => return Err(map_err(e)),
        }
    }
    unreachable!("the loop returns")
}

/// Runs the steps above the file's version and records the new version, in one transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_steps(conn, MIGRATIONS, SCHEMA_VERSION)
}

/// [`migrate`] over the given steps up to `target`: every step above the file's version, then the
/// new version, in one transaction; a failing step rolls back everything.
fn migrate_steps(conn: &mut Connection, steps: &[(i64, &str)], target: i64) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    // Another connection may have migrated the file since `check` read its version.
    let version = pragma(&tx, "user_version")?;
    if version > target {
        return Err(too_new(version));
    }
    for (v, step) in steps.iter().filter(|(v, _)| *v > version) {
        tx.execute_batch(step).map_err(|e| match map_err(e) {
            // A step that cannot apply to the file's schema: the version does not match it.
            e if e.code == ErrorCode::Internal => corrupt(format!(
                "the database's schema does not match its version {version}: \
                 upgrading it to version {v} failed: {}",
                e.message
            )),
            e => e,
        })?;
        #[cfg(test)]
        tests::after_step(*v)?;
        #[cfg(not(test))]
        let _ = v;
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {target};"
    ))
    .map_err(map_err)?;
    tx.commit().map_err(map_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// Makes the migration fail right after running this step (on this thread).
        static FAIL_AFTER_STEP: Cell<Option<i64>> = const { Cell::new(None) };
    }

    /// The failure injected by [`FAIL_AFTER_STEP`], if it names step `v`.
    pub(super) fn after_step(v: i64) -> Result<()> {
        if FAIL_AFTER_STEP.get() == Some(v) {
            return Err(Error::internal(format!("injected failure after step {v}")));
        }
        Ok(())
    }

    fn temp_file() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        (dir, path)
    }

    /// `sqlite_master` rows: (type, name, sql).
    type Objects = Vec<(String, String, Option<String>)>;

    /// `sqlite_master` and the version pragmas: the whole logical schema of a file.
    fn schema(path: &Path) -> (Objects, i64, i64) {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        (
            rows,
            pragma(&conn, "user_version").unwrap(),
            pragma(&conn, "application_id").unwrap(),
        )
    }

    fn bytes(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_failure_while_creating_a_new_file_leaves_it_empty() {
        let (_dir, path) = temp_file();
        FAIL_AFTER_STEP.set(Some(1));
        let err = open(Some(&path), &SqliteOptions::default()).unwrap_err();
        FAIL_AFTER_STEP.set(None);
        assert!(err.message.contains("injected"), "{err}");
        assert_eq!(schema(&path), (vec![], 0, 0));
        // The next open creates the store as if nothing had happened.
        open(Some(&path), &SqliteOptions::default()).unwrap();
        let (objects, version, id) = schema(&path);
        assert!(!objects.is_empty());
        assert_eq!((version, id), (SCHEMA_VERSION, APPLICATION_ID));
    }

    /// An upgrade over several steps that fails in the middle (after a step that added a table
    /// and a column) leaves the file exactly as it was: same bytes, same schema, same version.
    #[test]
    fn a_failure_mid_upgrade_leaves_the_file_unchanged() {
        let (_dir, path) = temp_file();
        {
            let conn = open(Some(&path), &SqliteOptions::default()).unwrap();
            conn.execute_batch(
                "INSERT INTO workspaces (id, slug, name, created_at) VALUES ('org_1', 'd', 'D', 0)",
            )
            .unwrap();
        }
        let (before_bytes, before_schema) = (bytes(&path), schema(&path));
        let mut steps: Vec<(i64, &str)> = MIGRATIONS.to_vec();
        let next = SCHEMA_VERSION + 1;
        steps.push((
            next,
            "CREATE TABLE added (x INTEGER); ALTER TABLE workspaces ADD COLUMN extra TEXT;
             UPDATE workspaces SET extra = 'changed';",
        ));
        steps.push((next + 1, "CREATE INDEX added_x ON added (x);"));
        steps.push((next + 2, "CREATE TABLE unreachable (y);"));
        for fail in [next, next + 1] {
            let mut conn = Connection::open(&path).unwrap();
            FAIL_AFTER_STEP.set(Some(fail));
            let err = migrate_steps(&mut conn, &steps, next + 2).unwrap_err();
            FAIL_AFTER_STEP.set(None);
            assert!(err.message.contains("injected"), "{err}");
            drop(conn);
            assert_eq!(schema(&path), before_schema, "failing after step {fail}");
            assert_eq!(bytes(&path), before_bytes, "failing after step {fail}");
        }
        // A step that is itself broken fails the same way, with SQLite's error.
        steps.push((next + 3, "CREATE TABLE broken ("));
        let mut conn = Connection::open(&path).unwrap();
        migrate_steps(&mut conn, &steps, next + 3).unwrap_err();
        drop(conn);
        assert_eq!(schema(&path), before_schema);
        assert_eq!(bytes(&path), before_bytes);
        // Without a failure the same steps apply, and the data is carried along.
        let mut conn = Connection::open(&path).unwrap();
        migrate_steps(&mut conn, &steps[..steps.len() - 1], next + 2).unwrap();
        let extra: String = conn
            .query_row("SELECT extra FROM workspaces", [], |r| r.get(0))
            .unwrap();
        assert_eq!(extra, "changed");
        assert_eq!(pragma(&conn, "user_version").unwrap(), next + 2);
    }

    #[test]
    fn migrations_step_one_version_at_a_time_up_to_the_current() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    }
}
