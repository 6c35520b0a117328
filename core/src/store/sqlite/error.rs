//! The one mapping from SQLite's errors to the library's.

use crate::error::{Error, ErrorCode};
use rusqlite::ffi;

/// Maps a rusqlite error: busy or locked → `storage_busy`; not a database, corrupt, or a stored
/// value that cannot be read back → `storage_corrupt`; a file that cannot be opened or written
/// (permissions, a read-only file or file system, a missing directory, a full disk, an I/O error)
/// → `storage_unavailable`; anything else → `internal`. The SQLite error stays the `source()`.
pub(super) fn map_err(e: rusqlite::Error) -> Error {
    use rusqlite::Error as E;
    let code = match &e {
        E::SqliteFailure(f, _) => match f.code {
            ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked => ErrorCode::StorageBusy,
            ffi::ErrorCode::NotADatabase | ffi::ErrorCode::DatabaseCorrupt => {
                ErrorCode::StorageCorrupt
            }
            ffi::ErrorCode::ReadOnly
            | ffi::ErrorCode::CannotOpen
            | ffi::ErrorCode::PermissionDenied
            | ffi::ErrorCode::DiskFull
            | ffi::ErrorCode::SystemIoFailure => ErrorCode::StorageUnavailable,
            _ => ErrorCode::Internal,
        },
        E::FromSqlConversionFailure(..)
        | E::IntegralValueOutOfRange(..)
        | E::InvalidColumnType(..)
        | E::Utf8Error(..) => ErrorCode::StorageCorrupt,
        _ => ErrorCode::Internal,
    };
    let what = match (code, &e) {
        (ErrorCode::StorageBusy, _) => "the database is busy",
        (ErrorCode::StorageCorrupt, _) => "the database is corrupt or not a pivotal-core database",
        (_, E::SqliteFailure(f, _)) => match f.code {
            ffi::ErrorCode::ReadOnly => "the database file is read-only",
            ffi::ErrorCode::CannotOpen | ffi::ErrorCode::PermissionDenied => {
                "cannot open the database file or its -wal/-shm (a missing or read-only \
                 directory, permissions, or not a file)"
            }
            ffi::ErrorCode::DiskFull => "the disk is full",
            ffi::ErrorCode::SystemIoFailure => "the file system failed",
            _ => "database error",
        },
        _ => "database error",
    };
    Error::new(code, format!("{what}: {e}")).with_source(e)
}

/// Whether SQLite answered `SQLITE_BUSY` or `SQLITE_LOCKED` (any extended code).
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked)
    )
}

/// `storage_corrupt` for a file that SQLite can read but that is not ours, or not in a shape we
/// wrote.
pub(super) fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::StorageCorrupt, message)
}
