//! The Python classes of the core's records, declared once with [`py_record!`]: a frozen class with
//! one getter per field of the core struct (a field without a getter fails to compile), `to_dict()`,
//! `from_dict()`, pickling, and the class's part of `_native.pyi`, written from the same list.

use crate::convert::{self, ToPyEnum};
use pivotal_core::model::EventData;
use pivotal_core::{CustomerStatus, EventType, Metadata, Phase, State, Timestamp};
use pyo3::prelude::*;
use pyo3::types::{PyDelta, PyList};
use pyo3::IntoPyObjectExt;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A field value as Python sees it: what its getter returns, and its annotation in the stubs.
pub trait PyValue {
    /// The type in `_native.pyi`.
    fn annotation() -> String;
    /// The Python object (containers are new on each access).
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
    /// The value in a record's `to_record()`: as [`to_py`](Self::to_py), but nested records as
    /// their own `to_record()` dicts and, for a `duration` (a `*_ms` field), milliseconds as a
    /// `datetime.timedelta`.
    fn to_native<'py>(&self, py: Python<'py>, duration: bool) -> PyResult<Bound<'py, PyAny>> {
        let _ = duration;
        self.to_py(py)
    }
}

macro_rules! scalar_values {
    ($($ty:ty => $annotation:literal),*) => {$(
        impl PyValue for $ty {
            fn annotation() -> String {
                $annotation.into()
            }
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.into_bound_py_any(py)
            }
        }
    )*};
}

scalar_values!(String => "str", f64 => "float", bool => "bool", Timestamp => "datetime.datetime");

/// Counts, display ids and, in `*_ms` fields, durations in milliseconds.
impl PyValue for i64 {
    fn annotation() -> String {
        "int".into()
    }
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.into_bound_py_any(py)
    }
    fn to_native<'py>(&self, py: Python<'py>, duration: bool) -> PyResult<Bound<'py, PyAny>> {
        if !duration {
            return self.to_py(py);
        }
        const DAY_MS: i64 = 86_400_000;
        let days = i32::try_from(self.div_euclid(DAY_MS))
            .map_err(|_| pyo3::exceptions::PyOverflowError::new_err("a duration out of range"))?;
        let ms = self.rem_euclid(DAY_MS) as i32;
        Ok(PyDelta::new(py, days, ms / 1000, (ms % 1000) * 1000, true)?.into_any())
    }
}

macro_rules! enum_values {
    ($($ty:ident),*) => {$(
        /// A member of the Python `str` enum of the same name.
        impl PyValue for $ty {
            fn annotation() -> String {
                stringify!($ty).into()
            }
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.to_py_enum(py)
            }
        }
    )*};
}

enum_values!(CustomerStatus, Phase, State, EventType);

impl<T: PyValue> PyValue for Option<T> {
    fn annotation() -> String {
        format!("{} | None", T::annotation())
    }
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
    fn to_native<'py>(&self, py: Python<'py>, duration: bool) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(value) => value.to_native(py, duration),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: PyValue> PyValue for Vec<T> {
    fn annotation() -> String {
        format!("builtins.list[{}]", T::annotation())
    }
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|item| item.to_py(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
    fn to_native<'py>(&self, py: Python<'py>, duration: bool) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|item| item.to_native(py, duration))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

impl PyValue for Metadata {
    fn annotation() -> String {
        "dict[str, Any]".into()
    }
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(convert::map_to_py(py, self)?.into_any())
    }
}

/// An event's payload, as the `dict` of its API JSON.
impl PyValue for EventData {
    fn annotation() -> String {
        "dict[str, Any]".into()
    }
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::wire_dict(py, self)
    }
}

/// The docstring of every record's `to_record()`, line by line (a macro: `#[doc]` takes literals).
macro_rules! to_record_doc {
    (1) => {
        " The attributes as a `dict` of native values, for analysis (e.g. `pandas`):"
    };
    (2) => {
        " `datetime`, `int`, enum members, nested records as dicts, and durations"
    };
    (3) => {
        " (the `*_ms` fields) as `datetime.timedelta`."
    };
}
pub(crate) use to_record_doc;

/// The stub annotation of a field, picked by the type `field` returns.
pub fn annotation_of<R, T: PyValue>(_field: fn(&R) -> &T) -> String {
    T::annotation()
}

/// The hash of a record with an id: its kind and id.
pub fn hash_of(kind: &str, id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (kind, id).hash(&mut h);
    h.finish()
}

/// A string as Python's `repr` writes it.
pub fn repr_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Writes one class of `_native.pyi` as `ruff format` leaves it, docstrings from the Rust docs.
pub struct StubClass {
    name: &'static str,
    text: String,
}

impl StubClass {
    /// A `@final` class with its docstring.
    pub fn new(name: &'static str, doc: &[&str]) -> Self {
        let mut text = format!("@final\nclass {name}:\n");
        if let Some(doc) = docstring(doc, "    ") {
            text.push_str(&format!("    {doc}\n\n"));
        }
        Self { name, text }
    }

    /// The `object` property: the wire tag.
    pub fn tag(&mut self, kind: &str) {
        self.property(
            "object",
            &format!("Literal[\"{kind}\"]"),
            &[" The wire `object` tag."],
        );
    }

    /// A read-only attribute.
    pub fn property(&mut self, name: &str, annotation: &str, doc: &[&str]) {
        self.text.push_str("    @property\n");
        self.member(&format!("def {name}(self) -> {annotation}:"), doc);
    }

    /// Members written by hand (methods other than the generated ones), as stub text.
    pub fn extra(&mut self, stub: &str) {
        self.text.push_str(stub.trim_start_matches('\n'));
    }

    /// The class's stub: the common methods added.
    pub fn finish(mut self, hashable: bool) -> String {
        let name = self.name;
        self.member(
            "def to_dict(self) -> dict[str, Any]:",
            &[" The API JSON of this object."],
        );
        self.member(
            "def to_record(self) -> dict[str, Any]:",
            &[to_record_doc!(1), to_record_doc!(2), to_record_doc!(3)],
        );
        self.text.push_str("    @classmethod\n");
        self.member(
            &format!("def from_dict(cls, data: Mapping[str, Any]) -> {name}:"),
            &[" Reads the API JSON of this object."],
        );
        self.member("def __eq__(self, other: builtins.object, /) -> bool:", &[]);
        if hashable {
            self.member("def __hash__(self) -> int:", &[]);
        }
        self.text
    }

    /// A `def` line, then its docstring or `...`.
    fn member(&mut self, def: &str, doc: &[&str]) {
        match docstring(doc, "        ") {
            Some(doc) => self.text.push_str(&format!("    {def}\n        {doc}\n")),
            None => self.text.push_str(&format!("    {def} ...\n")),
        }
    }
}

/// Rust doc lines (`#[doc]` values) as a Python docstring indented by `indent`, Markdown code
/// spans written as reStructuredText literals; `None` without a doc.
fn docstring(doc: &[&str], indent: &str) -> Option<String> {
    let lines: Vec<String> = doc
        .iter()
        .map(|line| line.strip_prefix(' ').unwrap_or(line).replace('`', "``"))
        .collect();
    match lines.as_slice() {
        [] => None,
        [line] => Some(format!("\"\"\"{line}\"\"\"")),
        [first, rest @ ..] => {
            let mut text = format!("\"\"\"{first}\n");
            for line in rest {
                if !line.is_empty() {
                    text.push_str(indent);
                    text.push_str(line);
                }
                text.push('\n');
            }
            text.push_str(indent);
            text.push_str("\"\"\"");
            Some(text)
        }
    }
}

/// Declares the Python class of a core record.
///
/// ```ignore
/// py_record! {
///     /// Class doc.
///     PyCustomer(Customer) as "Customer", object = "customer", hash = "customer", read = wire::customer,
///     stub = "…stub text of the own methods…",
///     fields {
///         /// Field doc.
///         id,
///         event_type as r#type, // a field with another Python name
///     }
///     fn __repr__(&self) -> String { … }
/// }
/// ```
///
/// Every field of the core struct must be listed (the struct is destructured exhaustively), each
/// becoming a getter whose Python type follows from the field's Rust type ([`PyValue`]). `object`
/// adds the wire tag property, `hash` a `__hash__` over the kind and `id`; `read` turns the API JSON
/// into the record for `from_dict()`; the methods after the fields are the class's own.
macro_rules! py_record {
    (
        $(#[doc = $doc:literal])*
        $class:ident($core:ident) as $name:literal
        $(, object = $kind:literal)?
        $(, hash = $hash:literal)?
        , read = $read:expr,
        $(stub = $stub:expr,)?
        fields {
            $($(#[doc = $fdoc:literal])* $field:ident $(as $py:ident)?,)*
        }
        $($methods:tt)*
    ) => {
        $(#[doc = $doc])*
        #[pyclass(frozen, eq, module = "pivotal_core", name = $name)]
        #[derive(PartialEq)]
        pub struct $class(pub $core);

        #[pymethods]
        impl $class {
            $(
                $(#[doc = $fdoc])*
                #[getter $(($py))?]
                #[allow(clippy::wrong_self_convention)]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    $crate::record::PyValue::to_py(&self.0.$field, py)
                }
            )*

            $(
                /// The wire `object` tag.
                #[getter]
                fn object(&self) -> &'static str {
                    $kind
                }
            )?

            $(
                fn __hash__(&self) -> u64 {
                    $crate::record::hash_of($hash, &self.0.id)
                }
            )?

            /// The API JSON of this object, as a `dict` of built-in values (timestamps as RFC 3339 strings).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $crate::convert::wire_dict(py, &self.0)
            }

            #[doc = $crate::record::to_record_doc!(1)]
            #[doc = $crate::record::to_record_doc!(2)]
            #[doc = $crate::record::to_record_doc!(3)]
            fn to_record<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $crate::record::PyValue::to_native(&self.0, py, false)
            }

            /// Reads the API JSON of this object (as `to_dict()` returns it; `datetime` values are also accepted).
            #[classmethod]
            fn from_dict(
                cls: &Bound<'_, pyo3::types::PyType>,
                data: &Bound<'_, PyAny>,
            ) -> PyResult<Self> {
                use $crate::errors::OrPyErr;
                let py = cls.py();
                let value = $crate::convert::to_json(data, "data").or_py(py)?;
                let read: fn(&serde_json::Value) -> pivotal_core::Result<$core> = $read;
                read(&value).map(Self).or_py(py)
            }

            /// Pickles as `from_dict(to_dict())`.
            fn __reduce__<'py>(
                slf: &Bound<'py, Self>,
            ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
                let from_dict = slf.get_type().getattr("from_dict")?;
                Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
            }

            $($methods)*
        }

        impl $class {
            /// Destructures the core record exhaustively: a field missing from `fields` fails to
            /// compile here ("pattern does not mention field" or "pattern requires `..`").
            #[allow(dead_code)]
            fn every_field_has_a_getter(&self) {
                let $core { $($field: _,)* } = &self.0;
            }
        }

        impl $crate::record::PyValue for $core {
            fn annotation() -> String {
                $name.into()
            }
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(Bound::new(py, $class(self.clone()))?.into_any())
            }
            fn to_native<'py>(&self, py: Python<'py>, duration: bool) -> PyResult<Bound<'py, PyAny>> {
                let record = pyo3::types::PyDict::new(py);
                $(
                    let name = [$(stringify!($py).trim_start_matches("r#"),)? stringify!($field)][0];
                    let value = $crate::record::PyValue::to_native(
                        &self.$field,
                        py,
                        duration || name.ends_with("_ms"),
                    )?;
                    pyo3::types::PyDictMethods::set_item(&record, name, value)?;
                )*
                Ok(record.into_any())
            }
        }

        impl $class {
            /// The Python object of a core record.
            #[allow(dead_code)]
            pub fn object_of(py: Python<'_>, record: $core) -> PyResult<Py<PyAny>> {
                Ok(Py::new(py, $class(record))?.into_any())
            }

            /// This class in `_native.pyi`.
            pub fn stub() -> String {
                let mut class = $crate::record::StubClass::new($name, &[$($doc),*]);
                $(class.tag($kind);)?
                $(
                    // The Python name: the renamed one when given.
                    let name = [$(stringify!($py).trim_start_matches("r#"),)? stringify!($field)][0];
                    let annotation = $crate::record::annotation_of(|r: &$core| &r.$field);
                    class.property(name, &annotation, &[$($fdoc),*]);
                )*
                $(class.extra($stub);)?
                let hash: &[&str] = &[$($hash)?];
                class.finish(!hash.is_empty())
            }
        }
    };
}

pub(crate) use py_record;
