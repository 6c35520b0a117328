//! The one mapping from PostgreSQL's errors to the library's.

use crate::error::{Error, ErrorCode};
use tokio_postgres::error::SqlState;

/// Maps a client error. A server that cannot be reached, refuses the connection (authentication,
/// a missing database, too many connections), shuts down or drops the connection is
/// `storage_unavailable`; a serialization failure, a deadlock or a lock timeout is `storage_busy`
/// (the transaction was rolled back and may be retried); a stored value that does not decode is
/// `storage_corrupt`; anything else (a statement the server rejects) is `internal`. The client's
/// error stays the `source()`; neither it nor the message holds the password.
pub(super) fn map_err(e: tokio_postgres::Error) -> Error {
    let code = classify(&e);
    let what = match code {
        ErrorCode::StorageUnavailable => "the PostgreSQL server is unavailable",
        ErrorCode::StorageBusy => "the PostgreSQL transaction conflicted with another one",
        ErrorCode::StorageCorrupt => "a value stored in PostgreSQL does not decode",
        _ => "PostgreSQL error",
    };
    let detail = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(&e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    };
    Error::new(code, format!("{what}: {detail}")).with_source(e)
}

fn classify(e: &tokio_postgres::Error) -> ErrorCode {
    if e.is_closed() {
        return ErrorCode::StorageUnavailable;
    }
    let Some(state) = e.code() else {
        // No SQLSTATE: the client's own error kinds, told apart by their fixed messages.
        let text = e.to_string();
        let starts = |prefix: &str| text.starts_with(prefix);
        return if starts("error connecting")
            || starts("error performing TLS handshake")
            || starts("error communicating")
            || starts("timeout")
            || starts("authentication error")
        {
            ErrorCode::StorageUnavailable
        } else if starts("error deserializing") {
            ErrorCode::StorageCorrupt
        } else {
            ErrorCode::Internal
        };
    };
    let class = &state.code()[..2];
    if *state == SqlState::T_R_SERIALIZATION_FAILURE
        || *state == SqlState::T_R_DEADLOCK_DETECTED
        || *state == SqlState::LOCK_NOT_AVAILABLE
    {
        ErrorCode::StorageBusy
    } else if matches!(class, "08" | "28" | "3D" | "53" | "57") {
        // Connection exceptions, authorization, a missing database, insufficient resources,
        // operator intervention (shutdown, crash, cannot connect now).
        ErrorCode::StorageUnavailable
    } else {
        ErrorCode::Internal
    }
}

/// Whether `e` is a serialization failure (40001) or a deadlock (40P01): the server rolled the
/// transaction back, and running it again may succeed. A lock timeout (55P03) is not: it is the
/// bound on waiting that the server's administrator set.
pub(super) fn is_conflict(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|state| {
        *state == SqlState::T_R_SERIALIZATION_FAILURE || *state == SqlState::T_R_DEADLOCK_DETECTED
    })
}

/// `storage_unavailable` with the reason.
pub(super) fn unavailable(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::StorageUnavailable, message)
}
