//! The values both SQL stores bind to their statements: timestamps as unix milliseconds, JSON as
//! text, a list page's position and size, and the check that a change found its one record.

use crate::error::{Error, Result};
use crate::model::Timestamp;
use crate::store::{ListCursor, PageRequest};

/// A timestamp as stored: unix milliseconds.
pub(crate) fn ms(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

/// An optional timestamp as stored.
pub(crate) fn opt_ms(t: &Option<Timestamp>) -> Option<i64> {
    t.as_ref().map(ms)
}

/// A value as JSON text.
pub(crate) fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::internal(format!("cannot encode JSON: {e}")))
}

/// The list position a page starts after, as `(created_at, id)`: rows with
/// `(created_at, id) < position` come next. No id sorts below `""`.
pub(crate) fn position(page: &PageRequest) -> (i64, &str) {
    match &page.cursor {
        None => (i64::MAX, ""),
        Some(ListCursor::OlderThan(t)) => (ms(t), ""),
        Some(ListCursor::After(t, id)) => (ms(t), id.as_str()),
    }
}

/// A page size as a SQL `LIMIT`.
pub(crate) fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Checks that a change matched exactly one visible record (`changed`: the rows it changed, as
/// each driver counts them).
pub(crate) fn changed_one<N: PartialEq + From<u8>>(changed: N, what: &str, id: &str) -> Result<()> {
    if changed == N::from(1) {
        Ok(())
    } else {
        Err(Error::internal(format!("no visible {what} `{id}`")))
    }
}
