//! Conversions between Python values and the core's: JSON values (request bodies, metadata, the
//! wire objects), timestamps, enumerations and references. Every crossing goes through here.

use crate::errors::wrong_kind;
use chrono::{DateTime, Utc};
use pivotal_core::model::time::{format as format_instant, parse_instant};
use pivotal_core::validate;
use pivotal_core::{
    CustomerStatus, Error, ErrorCode, EventType, Phase, State, Timestamp, UnknownVariant,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use std::str::FromStr;

fn invalid_type(field: &str, message: String) -> Error {
    Error::field(ErrorCode::InvalidType, field, message)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A Python value as JSON, the way the API reads a request body: `None`, `bool`, `int`, `float`,
/// `str` (enum members included), `dict` with `str` keys, `list`, `tuple`; an aware `datetime` becomes
/// an RFC 3339 instant and a `date` a `YYYY-MM-DD` string. Anything else is `invalid_type` on `field`.
///
/// A whole document (a wire object, a page) may nest the core's `MAX_DOCUMENT_NESTING` levels;
/// deeper is refused as the core refuses it, so a self-referencing or absurdly deep structure is
/// an error, never a stack overflow.
pub fn to_json(value: &Bound<'_, PyAny>, field: &str) -> Result<Value, Error> {
    to_json_within(value, field, validate::MAX_DOCUMENT_NESTING)
}

/// [`to_json`] for a value that may nest at most `max` levels.
fn to_json_within(value: &Bound<'_, PyAny>, field: &str, max: usize) -> Result<Value, Error> {
    to_json_at(value, field, 1, max)
}

fn to_json_at(
    value: &Bound<'_, PyAny>,
    field: &str,
    depth: usize,
    max: usize,
) -> Result<Value, Error> {
    if depth > max
        && (value.is_instance_of::<PyDict>()
            || value.is_instance_of::<PyList>()
            || value.is_instance_of::<PyTuple>())
    {
        return Err(validate::too_deep(field, max));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid_type(
            field,
            format!("`{field}` holds an integer out of the 64-bit range"),
        ));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid_type(field, format!("`{field}` holds a non-finite number")));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| {
                invalid_type(
                    field,
                    format!("`{field}` holds a string that is not valid Unicode"),
                )
            });
    }
    if value.is_instance_of::<PyDateTime>() {
        return instant_of_datetime(value, field).map(|t| Value::String(format_instant(&t)));
    }
    if value.is_instance_of::<PyDate>() {
        let iso = value
            .call_method0("isoformat")
            .and_then(|s| s.extract::<String>());
        return iso
            .map(Value::String)
            .map_err(|e| invalid_type(field, e.to_string()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let key = match k.cast::<PyString>().map(|k| k.to_cow()) {
                Ok(Ok(key)) => key.into_owned(),
                _ => {
                    return Err(invalid_type(
                        field,
                        format!("`{field}` has a key that is not a string"),
                    ))
                }
            };
            map.insert(key, to_json_at(&v, field, depth + 1, max)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for item in value
            .try_iter()
            .map_err(|e| invalid_type(field, e.to_string()))?
        {
            let item = item.map_err(|e| invalid_type(field, e.to_string()))?;
            items.push(to_json_at(&item, field, depth + 1, max)?);
        }
        return Ok(Value::Array(items));
    }
    Err(invalid_type(
        field,
        format!("`{field}` cannot be a {}", type_name(value)),
    ))
}

/// An aware `datetime` as a UTC instant (millisecond precision); a naive one is `invalid_timestamp`.
fn instant_of_datetime(value: &Bound<'_, PyAny>, field: &str) -> Result<Timestamp, Error> {
    let bad = |message: String| Error::field(ErrorCode::InvalidTimestamp, field, message);
    let offset = value
        .call_method0("utcoffset")
        .map_err(|e| bad(e.to_string()))?;
    if offset.is_none() {
        return Err(bad(format!(
            "`{field}` must be a timezone-aware datetime (e.g. tzinfo=timezone.utc)"
        )));
    }
    let utc = pyo3::types::PyTzInfo::utc(value.py()).map_err(|e| bad(e.to_string()))?;
    // In UTC the instant may fall outside the years 1–9999 (year 1 at +14:00), which Python
    // reports as an `OverflowError`.
    let t: DateTime<Utc> = value
        .call_method1("astimezone", (utc,))
        .and_then(|t| t.extract())
        .map_err(|_| {
            bad(format!(
                "`{field}` must lie in the years 1 to 9999 (in UTC)"
            ))
        })?;
    pivotal_core::validate::instant(field, t)
}

/// An instant given as an aware `datetime` or an RFC 3339 string (a clock's time).
pub fn instant(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyResult<Timestamp> {
    let result = if value.is_instance_of::<PyDateTime>() {
        instant_of_datetime(value, what)
    } else if let Ok(s) = value.cast::<PyString>() {
        let s = s.to_cow().map_err(|_| {
            crate::errors::to_py(
                py,
                Error::field(
                    ErrorCode::InvalidTimestamp,
                    what,
                    format!("`{what}` holds a string that is not valid Unicode"),
                ),
            )
        })?;
        parse_instant(&s).ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidTimestamp,
                what,
                format!("`{what}` must be an RFC 3339 instant, not `{s}`"),
            )
        })
    } else {
        return Err(wrong_kind(
            &format!("`{what}` must be a datetime or an RFC 3339 string"),
            value,
        ));
    };
    result.map_err(|e| crate::errors::to_py(py, e))
}

/// JSON as Python values: objects as `dict` (in order), arrays as `list`.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any(),
    })
}

/// A JSON object as a Python `dict`.
pub fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, v) in map {
        dict.set_item(k, to_py(py, v)?)?;
    }
    Ok(dict)
}

/// A wire object (anything the core serialises) as a Python `dict` of its API JSON.
pub fn wire_dict<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| crate::errors::to_py(py, Error::internal(format!("serialising: {e}"))))?;
    to_py(py, &json)
}

/// The request body of a create or update: the API's JSON body given as a mapping (`params`),
/// and keyword arguments (`fields`), each value converted with its name as the field; a field given
/// both ways is `conflicting_fields`.
/// `customer_id` may be given as an `int` display id. A `params` that is not a `dict` is passed on
/// as is, for the core to refuse as the API refuses a body that is not a JSON object.
pub fn body(
    params: Option<&Bound<'_, PyAny>>,
    fields: Option<&Bound<'_, PyDict>>,
) -> Result<Value, Error> {
    let mut map = Map::new();
    let mut add = |dict: &Bound<'_, PyDict>, from_params: bool| -> Result<(), Error> {
        for (k, v) in dict.iter() {
            let key = match k.cast::<PyString>().map(|k| k.to_cow()) {
                Ok(Ok(key)) => key.into_owned(),
                _ => {
                    return Err(invalid_type(
                        "body",
                        "the body's keys must be strings".into(),
                    ))
                }
            };
            let json = if key == "customer_id"
                && v.is_instance_of::<PyInt>()
                && !v.is_instance_of::<PyBool>()
            {
                Value::String(decimal(&v).map_err(|e| invalid_type(&key, e.to_string()))?)
            } else {
                // A field of the body: nested as deep as a field may be (`metadata`).
                to_json_within(&v, &key, validate::MAX_NESTING)?
            };
            if !from_params && map.contains_key(&key) {
                return Err(Error::field(
                    ErrorCode::ConflictingFields,
                    key.as_str(),
                    format!("`{key}` is given both in `params` and as a keyword argument"),
                ));
            }
            map.insert(key, json);
        }
        Ok(())
    };
    if let Some(params) = params.filter(|p| !p.is_none()) {
        match params.cast::<PyDict>() {
            Ok(dict) => add(dict, true)?,
            Err(_) => return to_json(params, "body"),
        }
    }
    if let Some(fields) = fields {
        add(fields, false)?;
    }
    Ok(Value::Object(map))
}

/// An `int` (or an `int` subclass such as an `IntEnum` member) in decimal digits.
fn decimal(value: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(value
        .py()
        .get_type::<PyInt>()
        .call1((value,))?
        .str()?
        .to_string())
}

/// A `str` argument of the binding (`actor`, `durability`): another kind is a `TypeError`, as
/// for references; a lone surrogate (which UTF-8 cannot hold) is `invalid_type`, never a bare
/// `UnicodeEncodeError`.
pub fn text_arg(value: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    let s = value
        .cast::<PyString>()
        .map_err(|_| wrong_kind(&format!("`{field}` must be a str"), value))?;
    s.to_cow().map(|s| s.into_owned()).map_err(|_| {
        crate::errors::to_py(
            value.py(),
            invalid_type(
                field,
                format!("`{field}` holds a string that is not valid Unicode"),
            ),
        )
    })
}

/// A file path argument: a `str` or an `os.PathLike` (`bytes` paths too), through `os.fspath`;
/// another kind is a `TypeError`, a `str` with a lone surrogate `invalid_type` (field `path`).
pub fn path_arg(value: &Bound<'_, PyAny>) -> PyResult<std::path::PathBuf> {
    let fspath = value
        .py()
        .import("os")?
        .call_method1("fspath", (value,))
        .map_err(|_| wrong_kind("`path` must be a str or an os.PathLike", value))?;
    #[cfg(unix)]
    if let Ok(bytes) = fspath.cast::<pyo3::types::PyBytes>() {
        use std::os::unix::ffi::OsStrExt;
        return Ok(std::ffi::OsStr::from_bytes(bytes.as_bytes()).into());
    }
    text_arg(&fspath, "path").map(Into::into)
}

/// A reference to a record: an `int` display id or a `str` id (digits-only strings are display ids).
pub fn reference(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        return decimal(value);
    }
    if let Ok(s) = value.cast::<PyString>() {
        // A lone surrogate cannot be UTF-8: the same `invalid_type` as in a field.
        return s.to_cow().map(|s| s.into_owned()).map_err(|_| {
            crate::errors::to_py(
                value.py(),
                invalid_type(
                    "reference",
                    "the reference holds a string that is not valid Unicode".into(),
                ),
            )
        });
    }
    Err(wrong_kind(
        "a reference must be an int (display id) or a str (id)",
        value,
    ))
}

/// An optional string query parameter.
pub fn opt_string(value: Option<&Bound<'_, PyAny>>, field: &str) -> Result<Option<String>, Error> {
    match value.map(|v| to_json(v, field)).transpose()? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid_type(field, format!("`{field}` must be a string"))),
    }
}

/// An optional integer query parameter; integers beyond 64 bits saturate (and fail the range check
/// of the operation, e.g. `invalid_limit`).
pub fn opt_int(value: Option<&Bound<'_, PyAny>>, field: &str) -> Result<Option<i64>, Error> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if value.is_instance_of::<PyInt>() && !value.is_instance_of::<PyBool>() {
        return Ok(Some(value.extract::<i64>().unwrap_or_else(|_| {
            if value.lt(0i64).unwrap_or(false) {
                i64::MIN
            } else {
                i64::MAX
            }
        })));
    }
    Err(invalid_type(field, format!("`{field}` must be an integer")))
}

/// An integer argument of the binding (`id_seed`, `mmap_size`, `ms`) that must fit `T`: `None`
/// or Python `None` → `None`; out of `T`'s range → `too_small` / `too_large`, not the bare
/// `OverflowError` of a direct conversion; not an `int` → `invalid_type`.
pub fn int_arg<T>(value: Option<&Bound<'_, PyAny>>, field: &str) -> Result<Option<T>, Error>
where
    T: TryFrom<i128> + std::fmt::Display + num_bounds::Bounded,
{
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if !value.is_instance_of::<PyInt>() || value.is_instance_of::<PyBool>() {
        return Err(invalid_type(field, format!("`{field}` must be an integer")));
    }
    let negative = value.lt(0i64).unwrap_or(false);
    let fitted = value
        .extract::<i128>()
        .ok()
        .and_then(|n| T::try_from(n).ok());
    match fitted {
        Some(n) => Ok(Some(n)),
        None if negative => Err(Error::field(
            ErrorCode::TooSmall,
            field,
            format!("`{field}` must be at least {}", T::MIN),
        )),
        None => Err(Error::field(
            ErrorCode::TooLarge,
            field,
            format!("`{field}` must be at most {}", T::MAX),
        )),
    }
}

/// The range of the integer types [`int_arg`] converts to.
mod num_bounds {
    /// An integer type's smallest and largest values.
    pub trait Bounded: Sized {
        /// The smallest value.
        const MIN: Self;
        /// The largest value.
        const MAX: Self;
    }
    macro_rules! bounded {
        ($($t:ty),*) => {$(impl Bounded for $t { const MIN: Self = <$t>::MIN; const MAX: Self = <$t>::MAX; })*};
    }
    bounded!(i64, u64);
}

/// An enumeration value given as its wire string (or an enum member, which is one).
pub use pivotal_core::wire::parse_enum;

/// An optional enumeration query parameter.
pub fn opt_enum<T: FromStr<Err = UnknownVariant>>(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
) -> Result<Option<T>, Error> {
    opt_string(value, field)?
        .map(|s| parse_enum(field, &s))
        .transpose()
}

/// The Python enum members (defined in `pivotal_core/enums.py`), indexed like the Rust variants.
struct Enums {
    customer_status: Vec<Py<PyAny>>,
    phase: Vec<Py<PyAny>>,
    state: Vec<Py<PyAny>>,
    event_type: Vec<Py<PyAny>>,
}

static ENUMS: PyOnceLock<Enums> = PyOnceLock::new();

fn enums(py: Python<'_>) -> PyResult<&Enums> {
    ENUMS.get_or_try_init(py, || {
        let module = py.import("pivotal_core.enums")?;
        let members = |class: &str, values: Vec<&str>| -> PyResult<Vec<Py<PyAny>>> {
            let class = module.getattr(class)?;
            values
                .into_iter()
                .map(|v| Ok(class.call1((v,))?.unbind()))
                .collect()
        };
        Ok(Enums {
            customer_status: members(
                "CustomerStatus",
                CustomerStatus::ALL.iter().map(|v| v.as_str()).collect(),
            )?,
            phase: members("Phase", Phase::ALL.iter().map(|v| v.as_str()).collect())?,
            state: members("State", State::ALL.iter().map(|v| v.as_str()).collect())?,
            event_type: members(
                "EventType",
                EventType::ALL.iter().map(|v| v.as_str()).collect(),
            )?,
        })
    })
}

/// Rust enumerations as the members of their Python `str` enums.
pub trait ToPyEnum: Copy {
    /// The Python enum member.
    fn to_py_enum<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! to_py_enum {
    ($($ty:ty => $field:ident),*) => {$(
        impl ToPyEnum for $ty {
            fn to_py_enum<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                let members = &enums(py)?.$field;
                let index = <$ty>::ALL.iter().position(|v| *v == self).unwrap_or_default();
                Ok(members[index].bind(py).clone())
            }
        }
    )*};
}

to_py_enum!(CustomerStatus => customer_status, Phase => phase, State => state, EventType => event_type);
