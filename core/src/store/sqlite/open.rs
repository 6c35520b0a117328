//! Opening a database: the checks that leave a foreign or newer file untouched, the pragmas, and
//! the migrations.

use super::error::{corrupt, map_err};
use super::{sql, Durability, SqliteOptions};
use crate::error::{Error, ErrorCode, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;

/// The schema version this library reads and writes (`PRAGMA user_version`).
pub(super) const SCHEMA_VERSION: i64 = 1;

/// Marks a file as a pivotal-core database (`PRAGMA application_id`): `PVTL`.
const APPLICATION_ID: i64 = 0x5056_544C;

/// The forward steps: `(v, sql)` takes a file from version `v - 1` to `v`. A file runs every step
/// above its version, all in one transaction; a new file runs them all.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("migrations/v1.sql"))];

/// Opens the file at `path` (in memory when `None`), checks it, configures the connection and
/// brings the schema up to [`SCHEMA_VERSION`].
///
/// Nothing is written before the checks pass: a file that is not a database, not ours, or from a
/// newer library is reported and left byte-for-byte as it was.
pub(super) fn open(path: Option<&Path>, options: &SqliteOptions) -> Result<Connection> {
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
    let version = check(&conn)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
        .map_err(map_err)?;
    configure(&conn, options, path.is_some())?;
    if version < SCHEMA_VERSION {
        migrate(&mut conn)?;
    }
    conn.set_prepared_statement_cache_capacity(sql::ALL.len());
    Ok(conn)
}

/// Reads the file's identity and version (reading page 1 is also where SQLite notices a file that
/// is not a database, or is truncated) and returns the version if this library can use the file.
fn check(conn: &Connection) -> Result<i64> {
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

/// Sets the connection's pragmas: WAL for files (in-memory databases cannot use it), the
/// durability, foreign keys.
fn configure(conn: &Connection, options: &SqliteOptions, file: bool) -> Result<()> {
    if file {
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            .map_err(map_err)?;
    }
    conn.execute_batch(match options.durability {
        Durability::Normal => "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        Durability::Full => "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    })
    .map_err(map_err)
}

/// Runs the steps above the file's version and records the new version, in one transaction.
fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(map_err)?;
    // Another connection may have migrated the file since `check` read its version.
    let version = pragma(&tx, "user_version")?;
    if version > SCHEMA_VERSION {
        return Err(too_new(version));
    }
    for (_, step) in MIGRATIONS.iter().filter(|(v, _)| *v > version) {
        tx.execute_batch(step).map_err(map_err)?;
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
    ))
    .map_err(map_err)?;
    tx.commit().map_err(map_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_step_one_version_at_a_time_up_to_the_current() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
    }
}
