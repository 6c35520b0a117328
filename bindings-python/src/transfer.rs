//! Import and export (docs/reference.md#import-and-export): `db.import_records(...)` and
//! `db.export(...)`, mapped onto the core's `import_json` / `import_values` / `export`, and the
//! `ImportSummary` they return. The rules (parsing, validation, mirror semantics) are the core's.

use crate::convert::{self, path_arg};
use crate::errors::{run, wrong_kind, OrPyErr};
use crate::objects::{PyContact, PyCustomer, PyEvent, PyOnboarding, PyPage, PyPhaseTransition};
use crate::record::{py_record, repr_str};
use crate::resources::{customer_list, event_list, onboarding_list, Request};
use pivotal_core::{
    wire, Error, ErrorCode, ExportFormat, ExportList, ImportOptions, OnError, Pivotal,
};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::sync::Mutex;

/// An item an import left out: where it is and the error the API would answer for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemError {
    index: i64,
    line: Option<i64>,
    #[serde(rename = "type")]
    error_type: String,
    code: String,
    field: Option<String>,
    message: String,
}

/// What an import did (the core's `ImportSummary`, counts as `int`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "import_summary")]
pub struct ImportSummary {
    created: i64,
    updated: i64,
    unchanged: i64,
    skipped: i64,
    errors: Vec<ItemError>,
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<pivotal_core::ImportSummary> for ImportSummary {
    fn from(s: pivotal_core::ImportSummary) -> Self {
        let errors = s
            .errors
            .into_iter()
            .map(|e| ItemError {
                index: count(e.position.index as u64),
                line: e.position.line.map(|l| count(l as u64)),
                error_type: e.error.error_type().as_str().to_owned(),
                code: e.error.code.as_str().to_owned(),
                field: e.error.field.clone(),
                message: e.error.message.clone(),
            })
            .collect();
        Self {
            created: count(s.created),
            updated: count(s.updated),
            unchanged: count(s.unchanged),
            skipped: count(s.skipped),
            errors,
        }
    }
}

py_record! {
    /// An item an import skipped (`on_error="skip"`): its position and its error, as the API would answer it.
    PyItemError(ItemError) as "ItemError", read = |v| wire::untagged(v, "item error"),
    fields {
        /// The item's index among the input's items, from 0.
        index,
        /// The line its JSON text ends on, from 1 (`None` for items given as Python values).
        line,
        /// The error's type, e.g. `invalid_request_error`.
        error_type as r#type,
        /// The error's code, e.g. `invalid_email`.
        code,
        /// The field at fault, if any.
        field,
        /// What is wrong (without the position).
        message,
    }
    fn __repr__(&self) -> String {
        format!(
            "ItemError(index={}, line={}, code={}, field={})",
            self.0.index,
            self.0.line.map_or_else(|| "None".into(), |l| l.to_string()),
            repr_str(&self.0.code),
            self.0.field.as_deref().map_or_else(|| "None".into(), repr_str)
        )
    }
}

py_record! {
    /// What `import_records()` did: records created, updated (a newer `updated_at`), unchanged, skipped.
    PyImportSummary(ImportSummary) as "ImportSummary", object = "import_summary",
    read = |v| wire::tagged(v, "import_summary"),
    fields {
        /// Records inserted (ids, display ids and timestamps as given).
        created,
        /// Records replaced by a newer version.
        updated,
        /// Items that changed nothing (not newer, identical, or deleted here).
        unchanged,
        /// Items left out for their errors (`on_error="skip"`).
        skipped,
        /// The first 100 skipped items' errors, in input order (a new `list` on each access).
        errors,
    }
    fn __repr__(&self) -> String {
        format!(
            "ImportSummary(created={}, updated={}, unchanged={}, skipped={}, errors=[{} items])",
            self.0.created, self.0.updated, self.0.unchanged, self.0.skipped, self.0.errors.len()
        )
    }
}

/// Whether `value` names a file: a `str`, `bytes` or `os.PathLike`.
fn is_path(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyString>()
        || value.is_instance_of::<PyBytes>()
        || value.hasattr("__fspath__").unwrap_or(false)
}

/// The import options from the keyword arguments.
fn import_options(
    py: Python<'_>,
    on_error: Option<&Bound<'_, PyAny>>,
    chunk_size: Option<&Bound<'_, PyAny>>,
) -> PyResult<ImportOptions> {
    let on_error = match on_error.filter(|v| !v.is_none()) {
        Some(v) => convert::text_arg(v, "on_error")?,
        None => "stop".to_owned(),
    };
    let on_error = match on_error.as_str() {
        "stop" => OnError::Stop,
        "skip" => OnError::Skip,
        other => {
            return Err(Error::field(
                ErrorCode::InvalidEnumValue,
                "on_error",
                format!("`on_error` must be \"stop\" or \"skip\", not {other:?}"),
            ))
            .or_py(py)
        }
    };
    let chunk_size = convert::int_arg::<u64>(chunk_size, "chunk_size")
        .or_py(py)?
        .unwrap_or(1_000);
    Ok(ImportOptions {
        on_error,
        chunk_size: usize::try_from(chunk_size).unwrap_or(usize::MAX),
        ..ImportOptions::default()
    })
}

/// One item of an iterable source as JSON: a record object, a `Page` (its list envelope) or a `dict`.
fn item_json(item: &Bound<'_, PyAny>) -> Result<Value, Error> {
    let wire = |r: serde_json::Result<Value>| r.map_err(|e| Error::internal(e.to_string()));
    if let Ok(c) = item.cast::<PyCustomer>() {
        return wire(serde_json::to_value(&c.get().0));
    }
    if let Ok(c) = item.cast::<PyContact>() {
        return wire(serde_json::to_value(&c.get().0));
    }
    if let Ok(o) = item.cast::<PyOnboarding>() {
        return wire(serde_json::to_value(&o.get().0));
    }
    // Passed on for the core to refuse as it refuses their JSON.
    if let Ok(e) = item.cast::<PyEvent>() {
        return wire(serde_json::to_value(&e.get().0));
    }
    if let Ok(t) = item.cast::<PyPhaseTransition>() {
        return wire(serde_json::to_value(&t.get().0));
    }
    if item.is_instance_of::<PyPage>() {
        let envelope = item
            .call_method0("to_dict")
            .map_err(|e| Error::field(ErrorCode::InvalidType, "item", e.to_string()))?;
        return convert::to_json(&envelope, "item");
    }
    if item.is_instance_of::<PyDict>() {
        return convert::to_json(item, "item");
    }
    Err(Error::field(
        ErrorCode::InvalidType,
        "item",
        "an item must be a dict, a Customer, Contact or Onboarding, or a Page",
    ))
}

/// `db.import_records(source, *, on_error, chunk_size)`.
pub fn import_records(
    py: Python<'_>,
    db: &Pivotal,
    source: &Bound<'_, PyAny>,
    on_error: Option<&Bound<'_, PyAny>>,
    chunk_size: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyImportSummary> {
    let options = import_options(py, on_error, chunk_size)?;
    let db = db.clone();
    let summary = if is_path(source) {
        let file = File::open(path_arg(source)?)?;
        run(py, move || {
            db.import_json(BufReader::with_capacity(1 << 16, file), &options)
        })?
    } else {
        let values = if source.is_instance_of::<PyPage>() {
            vec![item_json(source).or_py(py)?]
        } else {
            let Ok(items) = source.try_iter() else {
                return Err(wrong_kind(
                    "`source` must be a path, a Page or an iterable of dicts or records",
                    source,
                ));
            };
            let mut values = Vec::new();
            for (index, item) in items.enumerate() {
                values.push(item_json(&item?).map_err(|e| e.at_index(index)).or_py(py)?);
            }
            values
        };
        run(py, move || db.import_values(values, &options))?
    };
    Ok(PyImportSummary(summary.into()))
}

/// Takes the filters `kind` has from `filters`; a filter left over is a `TypeError`, as an
/// unexpected keyword argument is.
fn export_list(
    py: Python<'_>,
    kind: &str,
    filters: Option<&Bound<'_, PyDict>>,
) -> PyResult<ExportList> {
    let filters = match filters {
        Some(f) => f.copy()?,
        None => PyDict::new(py),
    };
    let take = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        let value = filters.get_item(name)?;
        if value.is_some() {
            filters.del_item(name)?;
        }
        Ok(value)
    };
    let list = match kind {
        "customers" => {
            let (status, slug, limit, cursor) = (take("status")?, take("slug")?, take("limit")?, take("cursor")?);
            match customer_list(py, status.as_ref(), slug.as_ref(), limit.as_ref(), cursor.as_ref())? {
                Request::Customers(p) => ExportList::Customers(p),
                _ => unreachable!("customer_list builds a customer list"),
            }
        }
        "contacts" => {
            let customer = take("customer")?
                .filter(|c| !c.is_none())
                .map(|c| convert::reference(&c))
                .transpose()?;
            ExportList::Contacts(customer)
        }
        "onboardings" => {
            let (customer_id, phase, state) = (take("customer_id")?, take("phase")?, take("state")?);
            let (limit, cursor) = (take("limit")?, take("cursor")?);
            let request = onboarding_list(
                py,
                customer_id.as_ref(),
                phase.as_ref(),
                state.as_ref(),
                limit.as_ref(),
                cursor.as_ref(),
            )?;
            match request {
                Request::Onboardings(p) => ExportList::Onboardings(p),
                _ => unreachable!("onboarding_list builds an onboarding list"),
            }
        }
        "events" => {
            let (after, types) = (take("after_sequence")?, take("types")?);
            let (object_id, limit) = (take("object_id")?, take("limit")?);
            match event_list(py, after.as_ref(), types.as_ref(), object_id.as_ref(), limit.as_ref())? {
                Request::Events(p) => ExportList::Events(p),
                _ => unreachable!("event_list builds an event list"),
            }
        }
        other => {
            return Err(Error::field(
                ErrorCode::InvalidEnumValue,
                "kind",
                format!(
                    "`kind` must be \"customers\", \"contacts\", \"onboardings\" or \"events\", not {other:?}"
                ),
            ))
            .or_py(py)
        }
    };
    if let Some((name, _)) = filters.iter().next() {
        return Err(PyTypeError::new_err(format!(
            "export() got an unexpected filter {name} for {kind}"
        )));
    }
    Ok(list)
}

fn export_format(py: Python<'_>, format: Option<&Bound<'_, PyAny>>) -> PyResult<ExportFormat> {
    let format = match format.filter(|v| !v.is_none()) {
        Some(v) => convert::text_arg(v, "format")?,
        None => "ndjson".to_owned(),
    };
    match format.as_str() {
        "ndjson" => Ok(ExportFormat::Ndjson),
        "json" => Ok(ExportFormat::Json),
        "csv" => Ok(ExportFormat::Csv),
        other => Err(Error::field(
            ErrorCode::InvalidEnumValue,
            "format",
            format!("`format` must be \"ndjson\", \"json\" or \"csv\", not {other:?}"),
        ))
        .or_py(py),
    }
}

/// A binary file object as a [`Write`]: each write attaches to the interpreter and calls its
/// `write()`; the Python exception of a failing write is kept to be raised as it is.
struct PyFile<'a> {
    file: Py<PyAny>,
    failure: &'a Mutex<Option<PyErr>>,
}

impl Write for PyFile<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Python::attach(|py| {
            let written = self
                .file
                .bind(py)
                .call_method1("write", (PyBytes::new(py, buf),))
                .and_then(|n| {
                    if n.is_none() {
                        Ok(buf.len())
                    } else {
                        n.extract::<usize>()
                    }
                });
            written.map_err(|e| {
                let message = e.to_string();
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                std::io::Error::other(message)
            })
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `db.export(kind, path_or_file, *, format, **filters)`: the record count written to a path or
/// a file object, or the exported `bytes` when there is neither.
pub fn export(
    py: Python<'_>,
    db: &Pivotal,
    kind: &Bound<'_, PyAny>,
    path_or_file: Option<&Bound<'_, PyAny>>,
    format: Option<&Bound<'_, PyAny>>,
    filters: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let kind = convert::text_arg(kind, "kind")?;
    let list = export_list(py, &kind, filters)?;
    let format = export_format(py, format)?;
    let db = db.clone();
    match path_or_file.filter(|p| !p.is_none()) {
        None => {
            let bytes = run(py, move || {
                let mut out = Vec::new();
                db.export(&list, format, &mut out)?;
                Ok(out)
            })?;
            Ok(PyBytes::new(py, &bytes).into_any().unbind())
        }
        Some(target) if is_path(target) => {
            let file = File::create(path_arg(target)?)?;
            let n = run(py, move || {
                db.export(&list, format, BufWriter::with_capacity(1 << 16, file))
            })?;
            Ok(n.into_pyobject(py)?.into_any().unbind())
        }
        Some(target) if target.hasattr("write")? => {
            let failure = Mutex::new(None);
            let file = PyFile {
                file: target.clone().unbind(),
                failure: &failure,
            };
            let result = run(py, || {
                db.export(&list, format, BufWriter::with_capacity(1 << 16, file))
            });
            if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
                return Err(e);
            }
            Ok(result?.into_pyobject(py)?.into_any().unbind())
        }
        Some(target) => Err(wrong_kind(
            "`path_or_file` must be a path, a binary file object or None",
            target,
        )),
    }
}
