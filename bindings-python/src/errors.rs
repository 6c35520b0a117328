//! Errors: the one mapping from the core's error to the Python exceptions of
//! `pivotal_core/exceptions.py`, and the helper every store operation runs through.

use pivotal_core::{Error, ErrorCode, ErrorType};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The Python module that defines the exception classes.
const EXCEPTIONS: &str = "pivotal_core.exceptions";

/// The exception class of each error: by its type, `StoreClosedError` for `store_closed`; the only
/// place this mapping is written.
fn class_name(error: &Error) -> &'static str {
    if error.code == ErrorCode::StoreClosed {
        return "StoreClosedError";
    }
    match error.error_type() {
        ErrorType::InvalidRequestError => "InvalidRequestError",
        ErrorType::AuthenticationError => "AuthenticationError",
        ErrorType::PermissionError => "PermissionDeniedError",
        ErrorType::NotFound => "NotFoundError",
        ErrorType::Conflict => "ConflictError",
        ErrorType::RateLimitError => "RateLimitError",
        _ => "InternalError",
    }
}

/// The Python exception for a core error, with `type`, `code`, `message`, `field` and `http_status`.
pub fn to_py(py: Python<'_>, error: Error) -> PyErr {
    let error_type = error.error_type();
    let build = || -> PyResult<PyErr> {
        let class = py.import(EXCEPTIONS)?.getattr(class_name(&error))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", error.code.as_str())?;
        kwargs.set_item("field", error.field.as_deref())?;
        kwargs.set_item("type", error_type.as_str())?;
        kwargs.set_item("http_status", error_type.http_status())?;
        Ok(PyErr::from_value(
            class.call((error.message.as_str(),), Some(&kwargs))?,
        ))
    };
    build().unwrap_or_else(|import_failure| import_failure)
}

/// A `TypeError` for an argument of the wrong kind (references, clocks, …).
pub fn wrong_kind(what: &str, value: &Bound<'_, PyAny>) -> PyErr {
    let type_name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into());
    PyTypeError::new_err(format!("{what}, not {type_name}"))
}

/// Runs store work with the GIL released (other Python threads run meanwhile), mapping its error,
/// and a panic, should the core ever panic, to a Python exception instead of aborting.
pub fn run<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> pivotal_core::Result<T> + Send,
{
    py.detach(|| Error::catch_panic(work))
        .map_err(|error| to_py(py, error))
}

/// Maps a core error produced while converting input (attached to the interpreter).
pub trait OrPyErr<T> {
    /// The value, or the mapped Python exception.
    fn or_py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> OrPyErr<T> for pivotal_core::Result<T> {
    fn or_py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}

/// For the test suite: every error code of the core with the exception the mapping makes of it.
#[pyfunction]
pub fn _exceptions_by_code(
    py: Python<'_>,
) -> Vec<(&'static str, Py<pyo3::exceptions::PyBaseException>)> {
    pivotal_core::ErrorCode::ALL
        .iter()
        .map(|code| {
            (
                code.as_str(),
                to_py(py, Error::field(*code, "field", "message")).into_value(py),
            )
        })
        .collect()
}
