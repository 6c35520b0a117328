//! The resource namespaces (`db.customers`, `db.contacts`, `db.onboardings`, `db.events`,
//! `db.workspaces`, `db.api_keys`) and the lazy iterator over every page of a list.

use crate::convert::{self, opt_enum, opt_int, opt_string, parse_enum};
use crate::errors::{run, OrPyErr};
use crate::objects::{
    PyApiKey, PyContact, PyCreatedApiKey, PyCustomer, PyDeleted, PyEvent, PyOnboarding, PyPage,
    PyPhaseTransition, PyWorkspace,
};
use pivotal_core::{
    wire, Contact, Customer, CustomerListParams, Error, ErrorCode, Event, EventListParams,
    EventType, ListParams, Onboarding, OnboardingListParams, Page, Pivotal,
};
use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::{PyDict, PyList, PyString};
use std::collections::VecDeque;
use std::sync::Mutex;

/// The request body of a create or update, from its mapping and keyword arguments.
fn body(
    py: Python<'_>,
    params: Option<&Bound<'_, PyAny>>,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<serde_json::Value> {
    convert::body(params, fields).or_py(py)
}

/// The items of a batch create: each a request body (a mapping, as `create` takes), read with
/// `parse`. A bad item's error names its index (0-based) the way the core's batch errors do.
fn batch_items<P>(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    parse: fn(&serde_json::Value) -> pivotal_core::Result<P>,
) -> PyResult<Vec<P>> {
    let Ok(iter) = items.try_iter() else {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "items",
            "`items` must be an iterable of request bodies (mappings)",
        ))
        .or_py(py);
    };
    let mut params = Vec::with_capacity(items.len().unwrap_or(0));
    for (index, item) in iter.enumerate() {
        let item = item?;
        let parsed = convert::body(Some(&item), None).and_then(|body| parse(&body));
        params.push(parsed.map_err(|e| e.at_index(index)).or_py(py)?);
    }
    Ok(params)
}

/// An idempotency key: a `str`, or `None` for none.
fn idempotency_key(py: Python<'_>, key: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    opt_string(key, "idempotency_key").or_py(py)
}

/// One record of a list, still in Rust until it is handed to Python.
enum Record {
    Customer(Customer),
    Contact(Contact),
    Onboarding(Onboarding),
    Event(Event),
}

impl Record {
    fn into_object(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Record::Customer(r) => PyCustomer::object_of(py, r),
            Record::Contact(r) => PyContact::object_of(py, r),
            Record::Onboarding(r) => PyOnboarding::object_of(py, r),
            Record::Event(r) => PyEvent::object_of(py, r),
        }
    }
}

fn records<T>(page: Page<T>, wrap: fn(T) -> Record) -> Page<Record> {
    Page {
        data: page.data.into_iter().map(wrap).collect(),
        has_more: page.has_more,
        next_cursor: page.next_cursor,
    }
}

/// A list request: which list, with which filters. `cursor` overrides the request's own cursor.
#[derive(Clone)]
pub(crate) enum Request {
    Customers(CustomerListParams),
    Contacts(String, ListParams),
    Onboardings(OnboardingListParams),
    Timeline(String, ListParams),
    Events(EventListParams),
}

impl Request {
    fn fetch(&self, db: &Pivotal, cursor: Option<String>) -> pivotal_core::Result<Page<Record>> {
        let with = |mut params: ListParams| {
            if cursor.is_some() {
                params.cursor = cursor.clone();
            }
            params
        };
        Ok(match self {
            Request::Customers(p) => {
                let mut p = p.clone();
                p.cursor = cursor.or(p.cursor);
                records(db.customers().list(&p)?, Record::Customer)
            }
            Request::Contacts(customer, p) => records(
                db.contacts().list(customer, &with(p.clone()))?,
                Record::Contact,
            ),
            Request::Onboardings(p) => {
                let mut p = p.clone();
                p.cursor = cursor.or(p.cursor);
                records(db.onboardings().list(&p)?, Record::Onboarding)
            }
            Request::Timeline(customer, p) => records(
                db.customers().timeline(customer, &with(p.clone()))?,
                Record::Event,
            ),
            Request::Events(p) => {
                let mut p = p.clone();
                if let Some(c) = cursor {
                    p.after_sequence =
                        Some(c.parse().map_err(|_| Error::internal("bad event cursor"))?);
                }
                records(db.events().list(&p)?, Record::Event)
            }
        })
    }

    fn page(&self, py: Python<'_>, db: &Pivotal) -> PyResult<PyPage> {
        let db = db.clone();
        let request = self.clone();
        let page = run(py, move || request.fetch(&db, None))?;
        PyPage::of(py, page, |py, r| r.into_object(py))
    }
}

struct IterState {
    buffer: VecDeque<Record>,
    next_cursor: Option<String>,
    done: bool,
}

/// Iterates every record of a list, fetching one page at a time as it goes.
///
/// The first page is fetched when the list is called (so a bad filter raises right there); later
/// pages when the iteration reaches them.
#[pyclass(frozen, generic, module = "pivotal_core", name = "ListIterator")]
pub struct ListIterator {
    db: Pivotal,
    request: Request,
    state: Mutex<IterState>,
}

impl ListIterator {
    fn start(py: Python<'_>, db: Pivotal, request: Request) -> PyResult<Self> {
        let first = request.clone();
        let current = db.clone();
        let page = run(py, move || first.fetch(&current, None))?;
        let state = IterState {
            done: !page.has_more || page.next_cursor.is_none(),
            next_cursor: page.next_cursor,
            buffer: page.data.into(),
        };
        Ok(Self {
            db,
            request,
            state: Mutex::new(state),
        })
    }
}

#[pymethods]
impl ListIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // Waits for the lock detached from the interpreter, so a thread fetching a page (GIL
        // released) and a thread waiting here cannot deadlock.
        let mut state = self
            .state
            .lock_py_attached(py)
            .unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(record) = state.buffer.pop_front() {
                return record.into_object(py).map(Some);
            }
            if state.done {
                return Ok(None);
            }
            let db = self.db.clone();
            let (request, cursor) = (self.request.clone(), state.next_cursor.clone());
            let page = run(py, move || request.fetch(&db, cursor))?;
            state.done = !page.has_more || page.next_cursor.is_none();
            state.next_cursor = page.next_cursor;
            state.buffer.extend(page.data);
        }
    }
}

/// Customer operations: `db.customers`.
#[pyclass(frozen, module = "pivotal_core", name = "Customers")]
pub struct Customers {
    db: Pivotal,
}

impl Customers {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

pub(crate) fn customer_list(
    py: Python<'_>,
    status: Option<&Bound<'_, PyAny>>,
    slug: Option<&Bound<'_, PyAny>>,
    limit: Option<&Bound<'_, PyAny>>,
    cursor: Option<&Bound<'_, PyAny>>,
) -> PyResult<Request> {
    let params = (|| {
        Ok::<_, Error>(CustomerListParams {
            status: opt_enum(status, "status")?,
            slug: opt_string(slug, "slug")?,
            limit: opt_int(limit, "limit")?,
            cursor: opt_string(cursor, "cursor")?,
        })
    })()
    .or_py(py)?;
    Ok(Request::Customers(params))
}

fn paging(
    py: Python<'_>,
    limit: Option<&Bound<'_, PyAny>>,
    cursor: Option<&Bound<'_, PyAny>>,
) -> PyResult<ListParams> {
    (|| {
        Ok::<_, Error>(ListParams {
            limit: opt_int(limit, "limit")?,
            cursor: opt_string(cursor, "cursor")?,
        })
    })()
    .or_py(py)
}

#[pymethods]
impl Customers {
    /// Creates a customer from keyword arguments named as the API's fields (`name` required), or
    /// from the API's JSON body as a mapping (`params`). A repeated `idempotency_key` returns the
    /// first response.
    #[pyo3(signature = (params = None, /, *, idempotency_key = None, **fields))]
    fn create(
        &self,
        py: Python<'_>,
        params: Option<&Bound<'_, PyAny>>,
        idempotency_key: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyCustomer> {
        let params = wire::customer_params(&body(py, params, fields)?).or_py(py)?;
        let key = self::idempotency_key(py, idempotency_key)?;
        let db = self.db.clone();
        run(py, move || db.customers().create(params, key.as_deref())).map(PyCustomer)
    }

    /// Creates every customer of `items` (each a body mapping, as `create` takes) in one
    /// transaction, in order, with the rules and events of single creates; returns them in the
    /// same order. All or nothing: the first bad item raises (its message starts `item <index>: `)
    /// and nothing is written.
    fn create_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let params = batch_items(py, items, wire::customer_params)?;
        let db = self.db.clone();
        let created = run(py, move || db.customers().create_many(params))?;
        PyList::new(py, created.into_iter().map(PyCustomer))
    }

    /// The customer with this id (`str`) or display id (`int`).
    fn retrieve(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyCustomer> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.customers().retrieve(&reference)).map(PyCustomer)
    }

    /// Updates the named fields (keywords, or a body mapping): an omitted field is unchanged,
    /// `None` clears it. Becoming `churned` pauses every open onboarding of the customer.
    #[pyo3(signature = (r#ref, params = None, /, **fields))]
    fn update(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyCustomer> {
        let reference = convert::reference(r#ref)?;
        let patch = wire::customer_patch(&body(py, params, fields)?).or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.customers().update(&reference, patch)).map(PyCustomer)
    }

    /// Deletes a customer; its contacts and onboardings disappear with it.
    fn delete(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyDeleted> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.customers().delete(&reference)).map(PyDeleted)
    }

    /// Every customer (newest first), optionally filtered, fetched `limit` per page as you iterate.
    #[pyo3(signature = (*, status = None, slug = None, limit = None, cursor = None))]
    fn list(
        &self,
        py: Python<'_>,
        status: Option<&Bound<'_, PyAny>>,
        slug: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ListIterator> {
        ListIterator::start(
            py,
            self.db.clone(),
            customer_list(py, status, slug, limit, cursor)?,
        )
    }

    /// One page of customers (newest first): `limit` 1–100 (default 20), `cursor` = the previous
    /// page's `next_cursor` or an RFC 3339 instant.
    #[pyo3(signature = (*, status = None, slug = None, limit = None, cursor = None))]
    fn list_page(
        &self,
        py: Python<'_>,
        status: Option<&Bound<'_, PyAny>>,
        slug: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPage> {
        customer_list(py, status, slug, limit, cursor)?.page(py, &self.db)
    }

    /// Every event of the customer and of its contacts and onboardings (newest first), fetched
    /// page by page as you iterate.
    #[pyo3(signature = (r#ref, *, limit = None, cursor = None))]
    fn timeline(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ListIterator> {
        let request = Request::Timeline(convert::reference(r#ref)?, paging(py, limit, cursor)?);
        ListIterator::start(py, self.db.clone(), request)
    }

    /// One page of the customer's timeline (newest first).
    #[pyo3(signature = (r#ref, *, limit = None, cursor = None))]
    fn timeline_page(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPage> {
        Request::Timeline(convert::reference(r#ref)?, paging(py, limit, cursor)?).page(py, &self.db)
    }
}

/// Contact operations: `db.contacts`.
#[pyclass(frozen, module = "pivotal_core", name = "Contacts")]
pub struct Contacts {
    db: Pivotal,
}

impl Contacts {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

#[pymethods]
impl Contacts {
    /// Creates a contact of `customer` (id or display id) from keyword arguments named as the API's
    /// fields (`name`, `email` required), or from a body mapping (`params`). A repeated
    /// `idempotency_key` returns the first response.
    #[pyo3(signature = (customer, params = None, /, *, idempotency_key = None, **fields))]
    fn create(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        idempotency_key: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyContact> {
        let customer = convert::reference(customer)?;
        let params = wire::contact_params(&body(py, params, fields)?).or_py(py)?;
        let key = self::idempotency_key(py, idempotency_key)?;
        let db = self.db.clone();
        run(py, move || {
            db.contacts().create(&customer, params, key.as_deref())
        })
        .map(PyContact)
    }

    /// The contact with this id (`str`) or display id (`int`).
    fn retrieve(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyContact> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.contacts().retrieve(&reference)).map(PyContact)
    }

    /// Updates the named fields (keywords, or a body mapping): an omitted field is unchanged,
    /// `None` clears it. Making a contact primary demotes the previous primary.
    #[pyo3(signature = (r#ref, params = None, /, **fields))]
    fn update(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyContact> {
        let reference = convert::reference(r#ref)?;
        let patch = wire::contact_patch(&body(py, params, fields)?).or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.contacts().update(&reference, patch)).map(PyContact)
    }

    /// Deletes a contact.
    fn delete(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyDeleted> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.contacts().delete(&reference)).map(PyDeleted)
    }

    /// Every contact of `customer` (newest first), fetched `limit` per page as you iterate.
    #[pyo3(signature = (customer, *, limit = None, cursor = None))]
    fn list(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ListIterator> {
        let request = Request::Contacts(convert::reference(customer)?, paging(py, limit, cursor)?);
        ListIterator::start(py, self.db.clone(), request)
    }

    /// One page of the contacts of `customer` (newest first).
    #[pyo3(signature = (customer, *, limit = None, cursor = None))]
    fn list_page(
        &self,
        py: Python<'_>,
        customer: &Bound<'_, PyAny>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPage> {
        Request::Contacts(convert::reference(customer)?, paging(py, limit, cursor)?)
            .page(py, &self.db)
    }
}

/// Onboarding operations: `db.onboardings`.
#[pyclass(frozen, module = "pivotal_core", name = "Onboardings")]
pub struct Onboardings {
    db: Pivotal,
}

impl Onboardings {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

pub(crate) fn onboarding_list(
    py: Python<'_>,
    customer_id: Option<&Bound<'_, PyAny>>,
    phase: Option<&Bound<'_, PyAny>>,
    state: Option<&Bound<'_, PyAny>>,
    limit: Option<&Bound<'_, PyAny>>,
    cursor: Option<&Bound<'_, PyAny>>,
) -> PyResult<Request> {
    let customer_id = customer_id
        .filter(|c| !c.is_none())
        .map(convert::reference)
        .transpose()?;
    let params = (|| {
        Ok::<_, Error>(OnboardingListParams {
            customer_id,
            phase: opt_enum(phase, "phase")?,
            state: opt_enum(state, "state")?,
            limit: opt_int(limit, "limit")?,
            cursor: opt_string(cursor, "cursor")?,
        })
    })()
    .or_py(py)?;
    Ok(Request::Onboardings(params))
}

#[pymethods]
impl Onboardings {
    /// Creates an onboarding from keyword arguments named as the API's fields (`customer_id`
    /// required: id or display id), or from a body mapping (`params`), in any phase. A repeated
    /// `idempotency_key` returns the first response.
    #[pyo3(signature = (params = None, /, *, idempotency_key = None, **fields))]
    fn create(
        &self,
        py: Python<'_>,
        params: Option<&Bound<'_, PyAny>>,
        idempotency_key: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyOnboarding> {
        let params = wire::onboarding_params(&body(py, params, fields)?).or_py(py)?;
        let key = self::idempotency_key(py, idempotency_key)?;
        let db = self.db.clone();
        run(py, move || db.onboardings().create(params, key.as_deref())).map(PyOnboarding)
    }

    /// Creates every onboarding of `items` (each a body mapping, as `create` takes) in one
    /// transaction, in order, with the rules, history and events of single creates; returns them
    /// in the same order. All or nothing: the first bad item raises (its message starts
    /// `item <index>: `) and nothing is written. Send a large import in chunks (10,000 items,
    /// say), one call each.
    fn create_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let params = batch_items(py, items, wire::onboarding_params)?;
        let db = self.db.clone();
        let created = run(py, move || db.onboardings().create_many(params))?;
        PyList::new(py, created.into_iter().map(PyOnboarding))
    }

    /// The onboarding with this id (`str`) or display id (`int`).
    fn retrieve(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyOnboarding> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.onboardings().retrieve(&reference)).map(PyOnboarding)
    }

    /// Updates the named fields (keywords, or a body mapping) under the phase rules and the waiting
    /// invariant: an omitted field is unchanged, `None` clears it; `reason` explains a skipped or
    /// reversed phase.
    #[pyo3(signature = (r#ref, params = None, /, **fields))]
    fn update(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PyOnboarding> {
        let reference = convert::reference(r#ref)?;
        let patch = wire::onboarding_patch(&body(py, params, fields)?).or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.onboardings().update(&reference, patch)).map(PyOnboarding)
    }

    /// Deletes an onboarding.
    fn delete(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyDeleted> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.onboardings().delete(&reference)).map(PyDeleted)
    }

    /// Every onboarding (newest first), optionally filtered, fetched `limit` per page as you iterate.
    #[pyo3(signature = (*, customer_id = None, phase = None, state = None, limit = None, cursor = None))]
    fn list(
        &self,
        py: Python<'_>,
        customer_id: Option<&Bound<'_, PyAny>>,
        phase: Option<&Bound<'_, PyAny>>,
        state: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ListIterator> {
        let request = onboarding_list(py, customer_id, phase, state, limit, cursor)?;
        ListIterator::start(py, self.db.clone(), request)
    }

    /// One page of onboardings (newest first): `limit` 1–100 (default 25).
    #[pyo3(signature = (*, customer_id = None, phase = None, state = None, limit = None, cursor = None))]
    fn list_page(
        &self,
        py: Python<'_>,
        customer_id: Option<&Bound<'_, PyAny>>,
        phase: Option<&Bound<'_, PyAny>>,
        state: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
        cursor: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPage> {
        onboarding_list(py, customer_id, phase, state, limit, cursor)?.page(py, &self.db)
    }

    /// All of a customer's onboardings, newest first, in one page (`has_more` is `False`).
    fn list_for_customer(&self, py: Python<'_>, customer: &Bound<'_, PyAny>) -> PyResult<PyPage> {
        let customer = convert::reference(customer)?;
        let db = self.db.clone();
        let page = run(py, move || db.onboardings().list_for_customer(&customer))?;
        PyPage::of(py, page, PyOnboarding::object_of)
    }

    /// The onboarding's phase transitions, oldest first.
    fn transitions<'py>(
        &self,
        py: Python<'py>,
        r#ref: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        let transitions = run(py, move || db.onboardings().transitions(&reference))?;
        let objects = transitions
            .into_iter()
            .map(|t| PyPhaseTransition::object_of(py, t))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, objects)
    }
}

/// The change log: `db.events`.
#[pyclass(frozen, module = "pivotal_core", name = "Events")]
pub struct Events {
    db: Pivotal,
}

impl Events {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

fn event_types(types: Option<&Bound<'_, PyAny>>) -> Result<Vec<EventType>, Error> {
    let Some(types) = types.filter(|t| !t.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(one) = types.cast::<PyString>() {
        return Ok(vec![parse_enum(
            "types",
            &one.to_cow().map_err(|e| wrong("types", e))?,
        )?]);
    }
    let Ok(items) = types.try_iter() else {
        return Err(Error::field(
            ErrorCode::InvalidType,
            "types",
            "`types` must be a list of event types",
        ));
    };
    let mut parsed = Vec::new();
    for item in items {
        let item = item.map_err(|e| wrong("types", e))?;
        match opt_string(Some(&item), "types")? {
            Some(s) => parsed.push(parse_enum("types", &s)?),
            None => {
                return Err(Error::field(
                    ErrorCode::InvalidType,
                    "types",
                    "`types` must hold strings",
                ))
            }
        }
    }
    Ok(parsed)
}

fn wrong(field: &str, e: PyErr) -> Error {
    Error::field(ErrorCode::InvalidType, field, e.to_string())
}

pub(crate) fn event_list(
    py: Python<'_>,
    after_sequence: Option<&Bound<'_, PyAny>>,
    types: Option<&Bound<'_, PyAny>>,
    object_id: Option<&Bound<'_, PyAny>>,
    limit: Option<&Bound<'_, PyAny>>,
) -> PyResult<Request> {
    let params = (|| {
        Ok::<_, Error>(EventListParams {
            after_sequence: opt_int(after_sequence, "after_sequence")?,
            types: event_types(types)?,
            object_id: opt_string(object_id, "object_id")?,
            limit: opt_int(limit, "limit")?,
        })
    })()
    .or_py(py)?;
    Ok(Request::Events(params))
}

#[pymethods]
impl Events {
    /// Every event after `after_sequence` (ascending by sequence, for tailing), optionally only of
    /// some `types` or about one `object_id`, fetched `limit` per page as you iterate.
    #[pyo3(signature = (*, after_sequence = None, types = None, object_id = None, limit = None))]
    fn list(
        &self,
        py: Python<'_>,
        after_sequence: Option<&Bound<'_, PyAny>>,
        types: Option<&Bound<'_, PyAny>>,
        object_id: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<ListIterator> {
        let request = event_list(py, after_sequence, types, object_id, limit)?;
        ListIterator::start(py, self.db.clone(), request)
    }

    /// One page of events (ascending by sequence). When `has_more`, `next_cursor` is the last
    /// sequence returned, to pass as the next `after_sequence`.
    #[pyo3(signature = (*, after_sequence = None, types = None, object_id = None, limit = None))]
    fn list_page(
        &self,
        py: Python<'_>,
        after_sequence: Option<&Bound<'_, PyAny>>,
        types: Option<&Bound<'_, PyAny>>,
        object_id: Option<&Bound<'_, PyAny>>,
        limit: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPage> {
        event_list(py, after_sequence, types, object_id, limit)?.page(py, &self.db)
    }
}

/// A required text parameter given to the core as `&str`: `None` is passed on as empty (the core
/// then answers `missing_field`), any other non-string is `invalid_type`.
fn text(py: Python<'_>, value: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<String> {
    Ok(opt_string(value, field).or_py(py)?.unwrap_or_default())
}

/// The workspaces (the API's organizations) of the store: `db.workspaces`.
#[pyclass(frozen, module = "pivotal_core", name = "Workspaces")]
pub struct Workspaces {
    db: Pivotal,
}

impl Workspaces {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

#[pymethods]
impl Workspaces {
    /// Creates a workspace; its slug is derived from the name when not given, and must be unique.
    /// Work in it through `db.with_workspace(slug)`.
    #[pyo3(signature = (name, *, slug = None))]
    fn create(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyAny>,
        slug: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyWorkspace> {
        let name = text(py, Some(name), "name")?;
        let slug = opt_string(slug, "slug").or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.workspaces().create(&name, slug.as_deref())).map(PyWorkspace)
    }

    /// The workspace with this id or slug.
    fn retrieve(&self, py: Python<'_>, r#ref: &Bound<'_, PyAny>) -> PyResult<PyWorkspace> {
        let reference = convert::reference(r#ref)?;
        let db = self.db.clone();
        run(py, move || db.workspaces().retrieve(&reference)).map(PyWorkspace)
    }

    /// Every workspace of the store, oldest first.
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let db = self.db.clone();
        let workspaces = run(py, move || db.workspaces().list())?;
        PyList::new(py, workspaces.into_iter().map(PyWorkspace))
    }
}

/// The API keys of the session's workspace and mode: `db.api_keys`.
#[pyclass(frozen, module = "pivotal_core", name = "ApiKeys")]
pub struct ApiKeys {
    db: Pivotal,
}

impl ApiKeys {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

#[pymethods]
impl ApiKeys {
    /// Creates a key in the session's mode. The result holds the secret, returned this once only;
    /// `db.authenticate(secret)` opens the key's session.
    fn create(&self, py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<PyCreatedApiKey> {
        let name = text(py, Some(name), "name")?;
        let db = self.db.clone();
        run(py, move || db.api_keys().create(&name)).map(PyCreatedApiKey)
    }

    /// The session's keys, revoked ones included, oldest first (never their secrets).
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let db = self.db.clone();
        let keys = run(py, move || db.api_keys().list())?;
        PyList::new(py, keys.into_iter().map(PyApiKey))
    }

    /// Revokes a key (by its id): from now on it authenticates nothing, and its sessions fail.
    fn revoke(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<PyApiKey> {
        let id = convert::reference(id)?;
        let db = self.db.clone();
        run(py, move || db.api_keys().revoke(&id)).map(PyApiKey)
    }
}
