//! Opening a store: `open()`, `open_in_memory()`, the `Pivotal` handle and the `FixedClock`.

use crate::analytics::Analytics;
use crate::convert;
use crate::errors::run;
use crate::errors::OrPyErr;
use crate::objects::{PyHealth, PyIdentity, PyWorkspace};
use crate::resources::{ApiKeys, Contacts, Customers, Events, Onboardings, Workspaces};
use crate::transfer::{self, PyImportSummary};
use chrono::{DateTime, TimeDelta, Utc};
use pivotal_core::{Durability, FixedClock, Pivotal, Session};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use std::path::PathBuf;
use std::sync::Arc;

/// A clock that stands still until told to move, for tests and reproducible runs.
///
/// Pass it to `open(..., clock=...)` or `open_in_memory(clock=...)`; the store then reads "now"
/// from it. Safe to share between threads.
#[pyclass(frozen, module = "pivotal_core", name = "FixedClock")]
pub struct PyFixedClock(Arc<FixedClock>);

#[pymethods]
impl PyFixedClock {
    /// A clock fixed at `start` (an aware `datetime` or an RFC 3339 string); now (UTC) when omitted.
    #[new]
    #[pyo3(signature = (start = None))]
    fn new(py: Python<'_>, start: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let start = match start {
            Some(s) => convert::instant(py, s, "start")?,
            None => pivotal_core::model::time::to_millis(Utc::now()),
        };
        Ok(Self(Arc::new(FixedClock::new(start))))
    }

    /// The clock's current instant (aware, UTC, millisecond precision).
    fn now(&self) -> DateTime<Utc> {
        use pivotal_core::Clock;
        self.0.now()
    }

    /// Moves the clock to `at` (an aware `datetime` or an RFC 3339 string); backwards is allowed.
    fn set(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<()> {
        self.0.try_set(convert::instant(py, at, "at")?).or_py(py)
    }

    /// Moves the clock by `delta` (a `timedelta`) plus `ms` milliseconds; a move out of the years
    /// 1–9999 raises `InvalidRequestError` (`invalid_timestamp`) and leaves the clock unchanged.
    #[pyo3(signature = (delta = None, *, ms = None))]
    fn advance(
        &self,
        py: Python<'_>,
        delta: Option<TimeDelta>,
        ms: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let ms: i64 = convert::int_arg(ms, "ms").or_py(py)?.unwrap_or(0);
        let total = delta
            .map(|d| d.num_milliseconds())
            .unwrap_or(0)
            .checked_add(ms)
            .unwrap_or(i64::MAX);
        self.0.try_advance_ms(total).or_py(py)
    }

    fn __repr__(&self) -> String {
        use pivotal_core::Clock;
        format!(
            "FixedClock('{}')",
            pivotal_core::model::time::format(&self.0.now())
        )
    }
}

/// An open store with a session (workspace, mode, actor): the entry point of the library.
///
/// Get one from `open()` or `open_in_memory()`. Operations are grouped by resource:
/// `customers`, `contacts`, `onboardings`, `events`, `workspaces`, `api_keys`, `analytics`. Use it as a
/// context manager, or call `close()`; any call after closing raises `StoreClosedError`. One
/// handle may be used from several threads at once; the GIL is released while the store works.
#[pyclass(frozen, module = "pivotal_core", name = "Pivotal")]
pub struct PyPivotal {
    db: Pivotal,
    customers: Py<Customers>,
    contacts: Py<Contacts>,
    onboardings: Py<Onboardings>,
    events: Py<Events>,
    workspaces: Py<Workspaces>,
    api_keys: Py<ApiKeys>,
    analytics: Py<Analytics>,
}

impl PyPivotal {
    fn new(py: Python<'_>, db: Pivotal) -> PyResult<Self> {
        Ok(Self {
            customers: Py::new(py, Customers::new(db.clone()))?,
            contacts: Py::new(py, Contacts::new(db.clone()))?,
            onboardings: Py::new(py, Onboardings::new(db.clone()))?,
            events: Py::new(py, Events::new(db.clone()))?,
            workspaces: Py::new(py, Workspaces::new(db.clone()))?,
            api_keys: Py::new(py, ApiKeys::new(db.clone()))?,
            analytics: Py::new(py, Analytics::new(db.clone()))?,
            db,
        })
    }

    fn session(&self) -> &Session {
        self.db.session()
    }
}

#[pymethods]
impl PyPivotal {
    /// Customer operations.
    #[getter]
    fn customers(&self, py: Python<'_>) -> Py<Customers> {
        self.customers.clone_ref(py)
    }

    /// Contact operations.
    #[getter]
    fn contacts(&self, py: Python<'_>) -> Py<Contacts> {
        self.contacts.clone_ref(py)
    }

    /// Onboarding operations.
    #[getter]
    fn onboardings(&self, py: Python<'_>) -> Py<Onboardings> {
        self.onboardings.clone_ref(py)
    }

    /// The change log.
    #[getter]
    fn events(&self, py: Python<'_>) -> Py<Events> {
        self.events.clone_ref(py)
    }

    /// The workspaces of the store.
    #[getter]
    fn workspaces(&self, py: Python<'_>) -> Py<Workspaces> {
        self.workspaces.clone_ref(py)
    }

    /// The API keys of this session's workspace and mode.
    #[getter]
    fn api_keys(&self, py: Python<'_>) -> Py<ApiKeys> {
        self.api_keys.clone_ref(py)
    }

    /// Analytics of this session's workspace and mode (docs/reference.md#analytics).
    #[getter]
    fn analytics(&self, py: Python<'_>) -> Py<Analytics> {
        self.analytics.clone_ref(py)
    }

    /// The actor name recorded on every change made through this handle.
    #[getter]
    fn actor(&self) -> &str {
        &self.session().actor
    }

    /// Live (`True`) or test (`False`) mode.
    #[getter]
    fn livemode(&self) -> bool {
        self.session().livemode
    }

    /// The workspace this session works in.
    #[getter]
    fn workspace(&self) -> PyWorkspace {
        PyWorkspace(self.session().workspace.clone())
    }

    /// The SQLite file, or `None` for an in-memory store.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.db.path().map(PathBuf::from)
    }

    /// Whether `close()` was called on this store (through any of its handles).
    #[getter]
    fn closed(&self) -> bool {
        self.db.is_closed()
    }

    /// A handle on the same store acting as another actor (closing either closes both). The name
    /// is trimmed and must have 1 to 200 characters. A key's session keeps the key's name:
    /// `PermissionDeniedError` (`permission_denied`).
    fn with_actor(&self, py: Python<'_>, actor: &Bound<'_, PyAny>) -> PyResult<Self> {
        let actor = convert::text_arg(actor, "actor")?;
        let db = self.db.with_actor(&actor).or_py(py)?;
        Self::new(py, db)
    }

    /// A handle on the same store and workspace in live (`True`) or test (`False`) mode. A key's
    /// session keeps the key's mode: `PermissionDeniedError` (`permission_denied`).
    fn with_livemode(&self, py: Python<'_>, livemode: bool) -> PyResult<Self> {
        let db = self.db.with_livemode(livemode).or_py(py)?;
        Self::new(py, db)
    }

    /// A handle on the same store in another workspace (its id or slug), in live mode. A key's
    /// session keeps the key's workspace: `PermissionDeniedError` (`permission_denied`).
    fn with_workspace(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<Self> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        let db = run(py, move || db.with_workspace(&reference))?;
        Self::new(py, db)
    }

    /// A handle for an API key's session: its workspace, its mode, and its name as the actor. A
    /// malformed or unknown secret raises `AuthenticationError` (`invalid_api_key`), a revoked one
    /// `AuthenticationError` (`api_key_revoked`); so does every call once the key is revoked.
    fn authenticate(&self, py: Python<'_>, secret: &Bound<'_, PyAny>) -> PyResult<Self> {
        let secret = convert::opt_string(Some(secret), "secret")
            .or_py(py)?
            .unwrap_or_default();
        let db = self.db.clone();
        let db = run(py, move || db.authenticate(&secret))?;
        Self::new(py, db)
    }

    /// Who this session is: its API key (`None` for a local session) and its workspace.
    fn me(&self, py: Python<'_>) -> PyResult<PyIdentity> {
        let db = self.db.clone();
        run(py, move || db.me()).map(PyIdentity)
    }

    /// The store's current instant, by its clock (aware, UTC).
    fn now(&self, py: Python<'_>) -> PyResult<DateTime<Utc>> {
        self.db.now().or_py(py)
    }

    /// Checks that the store answers: status `"ok"`, the clock's time, versions.
    fn health(&self, py: Python<'_>) -> PyResult<PyHealth> {
        let db = self.db.clone();
        run(py, move || db.health()).map(PyHealth)
    }

    /// Imports the API's own JSON, keeping ids, display ids and timestamps
    /// (docs/reference.md#import-and-export). `source` is a path (`str` or `os.PathLike`) to a
    /// JSON or NDJSON file of any size, streamed; or a `Page`, or an iterable of `dict`s (API
    /// JSON), `Customer`, `Contact` and `Onboarding` objects or `Page`s, read whole first.
    /// Importing the same data again changes nothing; a newer `updated_at` replaces a record.
    /// `on_error="stop"` raises the first bad item's error (message `item 3 (line 4): …`), its
    /// chunk rolled back; `"skip"` leaves bad items out and lists them in the summary.
    /// `chunk_size` items are written per transaction.
    #[pyo3(
        signature = (source, *, on_error = None, chunk_size = None),
        text_signature = "($self, source, *, on_error='stop', chunk_size=1000)"
    )]
    fn import_records(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        on_error: Option<&Bound<'_, PyAny>>,
        chunk_size: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyImportSummary> {
        transfer::import_records(py, &self.db, source, on_error, chunk_size)
    }

    /// Exports every record of a list (`kind`: `"customers"`, `"contacts"`, `"onboardings"` or
    /// `"events"`, with that list's filters as keywords; contacts take `customer`) as `"ndjson"`,
    /// `"json"` (one list envelope) or `"csv"`. Writes to a path or a binary file object and
    /// returns how many records it wrote, or returns the `bytes` when `path_or_file` is `None`.
    #[pyo3(
        signature = (kind, path_or_file = None, *, format = None, **filters),
        text_signature = "($self, kind, path_or_file=None, *, format='ndjson', **filters)"
    )]
    fn export(
        &self,
        py: Python<'_>,
        kind: &Bound<'_, PyAny>,
        path_or_file: Option<&Bound<'_, PyAny>>,
        format: Option<&Bound<'_, PyAny>>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        transfer::export(py, &self.db, kind, path_or_file, format, filters)
    }

    /// Closes the store, for every handle on it. Idempotent. Operations already running on other
    /// threads finish first (`close()` waits for them); later calls raise `StoreClosedError`.
    fn close(&self, py: Python<'_>) {
        py.detach(|| self.db.close());
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        let state = if self.closed() { " closed" } else { "" };
        let place = match self.db.path() {
            Some(p) => format!("path={:?}", p.display().to_string()),
            None => "in_memory".into(),
        };
        let session = self.session();
        let livemode = if session.livemode { "True" } else { "False" };
        format!(
            "<Pivotal {place} workspace={:?} actor={:?} livemode={livemode}{state}>",
            session.workspace.slug, session.actor
        )
    }
}

fn options(
    py: Python<'_>,
    actor: Option<&Bound<'_, PyAny>>,
    clock: Option<&Bound<'_, PyFixedClock>>,
    id_seed: Option<&Bound<'_, PyAny>>,
) -> PyResult<pivotal_core::Options> {
    let actor = match actor.filter(|a| !a.is_none()) {
        Some(actor) => convert::text_arg(actor, "actor")?,
        None => pivotal_core::service::DEFAULT_ACTOR.to_owned(),
    };
    let mut options = Pivotal::options().actor(actor);
    if let Some(clock) = clock {
        options = options.clock(clock.get().0.clone());
    }
    if let Some(seed) = convert::int_arg::<u64>(id_seed, "id_seed").or_py(py)? {
        options = options.id_seed(seed);
    }
    Ok(options)
}

/// Opens (creating or migrating as needed) the SQLite file at `path`, or the PostgreSQL database
/// of a `postgresql://` URL (the password from the URL or `PGPASSWORD`).
///
/// `actor` is recorded on every change (default `"local"`); `livemode=False` works in test mode;
/// `clock` fixes "now" (a `FixedClock`); `id_seed` makes new ids reproducible; `durability` is
/// `"normal"` (survives a crash of the process) or `"full"` (also a power loss, at an fsync per commit);
/// `mmap_size` is how many bytes of the file reads may memory-map (default 0: none).
#[pyfunction]
#[pyo3(
    signature = (path, *, actor = None, livemode = true, clock = None, id_seed = None, durability = None, mmap_size = None),
    text_signature = "(path, *, actor='local', livemode=True, clock=None, id_seed=None, durability='normal', mmap_size=None)"
)]
#[expect(
    clippy::too_many_arguments,
    reason = "one parameter per keyword argument of the Python function"
)]
pub fn open(
    py: Python<'_>,
    path: &Bound<'_, PyAny>,
    actor: Option<&Bound<'_, PyAny>>,
    livemode: bool,
    clock: Option<&Bound<'_, PyFixedClock>>,
    id_seed: Option<&Bound<'_, PyAny>>,
    durability: Option<&Bound<'_, PyAny>>,
    mmap_size: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPivotal> {
    let path = convert::path_arg(path)?;
    let durability = match durability.filter(|d| !d.is_none()) {
        Some(d) => convert::text_arg(d, "durability")?,
        None => "normal".to_owned(),
    };
    let durability = match durability.as_str() {
        "normal" => Durability::Normal,
        "full" => Durability::Full,
        other => {
            return Err(PyValueError::new_err(format!(
                "durability must be \"normal\" or \"full\", not {other:?}"
            )))
        }
    };
    let mmap_size = convert::int_arg::<u64>(mmap_size, "mmap_size")
        .or_py(py)?
        .unwrap_or(0);
    let options = options(py, actor, clock, id_seed)?
        .durability(durability)
        .mmap_size(mmap_size);
    let db = run(py, move || options.open(path))?;
    PyPivotal::new(py, db.with_livemode(livemode).or_py(py)?)
}

/// Opens a fresh, empty store in memory (gone when closed). Same options as `open()`.
#[pyfunction]
#[pyo3(
    signature = (*, actor = None, livemode = true, clock = None, id_seed = None),
    text_signature = "(*, actor='local', livemode=True, clock=None, id_seed=None)"
)]
pub fn open_in_memory(
    py: Python<'_>,
    actor: Option<&Bound<'_, PyAny>>,
    livemode: bool,
    clock: Option<&Bound<'_, PyFixedClock>>,
    id_seed: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyPivotal> {
    let options = options(py, actor, clock, id_seed)?;
    let db = run(py, move || options.open_in_memory())?;
    PyPivotal::new(py, db.with_livemode(livemode).or_py(py)?)
}
