//! The one mapping from SQLite's errors to the library's.

use crate::error::{Error, ErrorCode};
use rusqlite::ffi;

/// Maps a rusqlite error: busy or locked → `storage_busy`; not a database, corrupt, or a stored
/// value that cannot be read back → `storage_corrupt`; anything else → `internal`.
pub(super) fn map_err(e: rusqlite::Error) -> Error {
    use rusqlite::Error as E;
    let code = match &e {
        E::SqliteFailure(f, _) => match f.code {
            ffi::ErrorCode::DatabaseBusy | ffi::ErrorCode::DatabaseLocked => ErrorCode::StorageBusy,
            ffi::ErrorCode::NotADatabase | ffi::ErrorCode::DatabaseCorrupt => {
                ErrorCode::StorageCorrupt
            }
            _ => ErrorCode::Internal,
        },
        E::FromSqlConversionFailure(..)
        | E::IntegralValueOutOfRange(..)
        | E::InvalidColumnType(..)
        | E::Utf8Error(..) => ErrorCode::StorageCorrupt,
        _ => ErrorCode::Internal,
    };
    let what = match code {
        ErrorCode::StorageBusy => "the database is busy",
        ErrorCode::StorageCorrupt => "the database is corrupt or not a pivotal-core database",
        _ => "database error",
    };
    Error::new(code, format!("{what}: {e}"))
}

/// `storage_corrupt` for a file that SQLite can read but that is not ours, or not in a shape we
/// wrote.
pub(super) fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::StorageCorrupt, message)
}
