//! The objects: frozen classes over the core's records (declared with [`py_record!`]), with
//! attributes named as the wire fields, `to_dict()` giving exactly the API JSON and `from_dict()`
//! reading it back; and the list page.

use crate::convert;
use crate::errors::OrPyErr;
use crate::record::{py_record, repr_str};
use pivotal_core::wire::{tagged as read_tagged, untagged as read_untagged};
use pivotal_core::{
    wire, ApiKey, Contact, CreatedApiKey, Customer, Deleted, Error, ErrorCode, Event, Health,
    Identity, KeyIdentity, Onboarding, Page, PhaseTransition, Workspace,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use serde_json::Value;

/// Python's `True` or `False`.
fn repr_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

py_record! {
    /// A customer (docs/reference.md#customer). Frozen; compare with `==`; `to_dict()` is the API JSON.
    PyCustomer(Customer) as "Customer", object = "customer", hash = "customer", read = wire::customer,
    fields {
        /// `cus_…`, or an imported id kept verbatim.
        id,
        /// Per-workspace sequence number, 1, 2, 3, …
        display_id,
        /// 1–200 characters.
        name,
        /// Unique among the workspace's customers.
        slug,
        /// A lowercased host name.
        domain,
        /// Lifecycle status.
        status,
        /// Plan name.
        plan,
        /// Monthly recurring revenue, in minor currency units.
        mrr,
        /// Orders per month.
        monthly_orders,
        /// HubSpot company id.
        hubspot_company_id,
        /// HubSpot deal id.
        hubspot_deal_id,
        /// Stripe customer id.
        stripe_customer_id,
        /// Intercom company id.
        intercom_company_id,
        /// Slack channel id.
        slack_channel_id,
        /// Free-form data (a new `dict` on each access).
        metadata,
        /// Creation time (aware, UTC).
        created_at,
        /// Time of the last change (aware, UTC).
        updated_at,
    }
    fn __repr__(&self) -> String {
        format!(
            "Customer(id={}, display_id={}, name={}, slug={}, status='{}')",
            repr_str(&self.0.id),
            self.0.display_id,
            repr_str(&self.0.name),
            repr_str(&self.0.slug),
            self.0.status
        )
    }
}

py_record! {
    /// A contact of a customer (docs/reference.md#contact). Frozen; compares with `==`; `to_dict()`: API JSON.
    PyContact(Contact) as "Contact", object = "contact", hash = "contact", read = wire::contact,
    fields {
        /// `con_…`, or an imported id kept verbatim.
        id,
        /// Per-workspace sequence number.
        display_id,
        /// The parent customer's id.
        customer_id,
        /// 1–200 characters.
        name,
        /// Lowercased; unique among the customer's contacts.
        email,
        /// Job title.
        title,
        /// Digits, spaces and `+-().`.
        phone,
        /// At most one primary contact per customer.
        is_primary,
        /// Lowercased, deduplicated, in order (a new `list` on each access).
        labels,
        /// Creation time (aware, UTC).
        created_at,
        /// Time of the last change (aware, UTC).
        updated_at,
    }
    fn __repr__(&self) -> String {
        format!(
            "Contact(id={}, display_id={}, customer_id={}, name={}, email={}, is_primary={})",
            repr_str(&self.0.id),
            self.0.display_id,
            repr_str(&self.0.customer_id),
            repr_str(&self.0.name),
            repr_str(&self.0.email),
            repr_bool(self.0.is_primary)
        )
    }
}

py_record! {
    /// An onboarding (docs/reference.md#onboarding). Frozen; compare with `==`; `to_dict()` is the API JSON.
    PyOnboarding(Onboarding) as "Onboarding", object = "onboarding", hash = "onboarding",
    read = wire::onboarding,
    fields {
        /// `onb_…`, or an imported id kept verbatim.
        id,
        /// Per-workspace sequence number.
        display_id,
        /// The customer's id.
        customer_id,
        /// Opaque template reference.
        template_id,
        /// Where the engagement is.
        phase,
        /// Whether anything blocks it.
        state,
        /// When the work started.
        started_at,
        /// When the phase became `completed`.
        completed_at,
        /// The planned launch.
        target_launch_date,
        /// Customer success manager.
        csm_id,
        /// Solutions engineer.
        se_id,
        /// Designer.
        designer_id,
        /// Product operations.
        product_ops_id,
        /// Free text.
        notes,
        /// True exactly while `state` is `waiting`.
        waiting_on_customer,
        /// When the current waiting period began.
        waiting_on_customer_since,
        /// When the setup wizard was finished.
        wizard_completed_at,
        /// Send reminder emails.
        reminder_email,
        /// Send reminder Slack messages.
        reminder_slack,
        /// 0–90; at least 1 while a reminder is on.
        reminder_frequency_days,
        /// Creation time (aware, UTC).
        created_at,
        /// Time of the last change (aware, UTC).
        updated_at,
    }
    fn __repr__(&self) -> String {
        format!(
            "Onboarding(id={}, display_id={}, customer_id={}, phase='{}', state='{}')",
            repr_str(&self.0.id),
            self.0.display_id,
            repr_str(&self.0.customer_id),
            self.0.phase,
            self.0.state
        )
    }
}

py_record! {
    /// One entry of the change log (docs/reference.md#change-log). Frozen; `to_dict()` is the API JSON.
    PyEvent(Event) as "Event", object = "event", hash = "event",
    read = wire::event,
    fields {
        /// `evt_…`
        id,
        /// Strictly increasing within a workspace.
        sequence,
        /// What happened, e.g. `EventType.ONBOARDING_PHASE_CHANGED` (== `"onboarding.phase_changed"`).
        event_type as r#type,
        /// When it happened (aware, UTC).
        created_at,
        /// The workspace (`org_…`).
        org_id,
        /// Live or test mode.
        livemode,
        /// Always `v1`.
        api_version,
        /// Who made the change.
        actor,
        /// `{"object": {…after…}, "previous_attributes": {…} | None}` (a new `dict` on each access).
        data,
    }
    fn __repr__(&self) -> String {
        format!(
            "Event(id={}, sequence={}, type='{}', actor={})",
            repr_str(&self.0.id),
            self.0.sequence,
            self.0.event_type,
            repr_str(&self.0.actor)
        )
    }
}

py_record! {
    /// A recorded change of an onboarding's phase (docs/reference.md#phases). Frozen; `to_dict()` is the API JSON.
    PyPhaseTransition(PhaseTransition) as "PhaseTransition", object = "phase_transition",
    hash = "phase_transition", read = wire::phase_transition,
    fields {
        /// `ptr_…`
        id,
        /// The onboarding's id.
        onboarding_id,
        /// The phase before.
        from_phase,
        /// The phase after.
        to_phase,
        /// Who made the change.
        actor,
        /// Why (required for skips and regressions).
        reason,
        /// When (aware, UTC).
        created_at,
    }
    fn __repr__(&self) -> String {
        format!(
            "PhaseTransition(id={}, from_phase='{}', to_phase='{}', reason={})",
            repr_str(&self.0.id),
            self.0.from_phase,
            self.0.to_phase,
            self.0.reason.as_deref().map_or_else(|| "None".into(), repr_str)
        )
    }
}

py_record! {
    /// The answer to a delete: `{"object": "deleted", "id", "display_id", "deleted": true}`.
    PyDeleted(Deleted) as "Deleted", object = "deleted", hash = "deleted",
    read = |v| read_tagged(v, "deleted"),
    fields {
        /// The deleted record's id.
        id,
        /// Its display id.
        display_id,
        /// Always `True`.
        deleted,
    }
    fn __repr__(&self) -> String {
        format!("Deleted(id={}, display_id={})", repr_str(&self.0.id), self.0.display_id)
    }
}

py_record! {
    /// The answer of `health()`: `{"status": "ok", "timestamp", "version", "schema_version"}`.
    PyHealth(Health) as "Health", read = |v| read_untagged(v, "health"),
    fields {
        /// `"ok"` when the store answers.
        status,
        /// Now, by the store's clock (aware, UTC).
        timestamp,
        /// The library version.
        version,
        /// The store's schema version.
        schema_version,
    }
    fn __repr__(&self) -> String {
        format!(
            "Health(status={}, version={}, schema_version={})",
            repr_str(&self.0.status),
            repr_str(&self.0.version),
            self.0.schema_version
        )
    }
}

py_record! {
    /// A workspace (the API's organization): `{"id", "slug", "name"}`.
    PyWorkspace(Workspace) as "Workspace", hash = "workspace",
    read = |v| read_untagged(v, "workspace"),
    fields {
        /// `org_…`
        id,
        /// Short unique name (`default` for the workspace a store opens in).
        slug,
        /// Display name.
        name,
    }
    fn __repr__(&self) -> String {
        format!(
            "Workspace(id={}, slug={}, name={})",
            repr_str(&self.0.id),
            repr_str(&self.0.slug),
            repr_str(&self.0.name)
        )
    }
}

py_record! {
    /// An API key as listed (never its secret):
    /// `{"object": "api_key", "id", "name", "prefix", "livemode", "created_at", "revoked_at"}`.
    PyApiKey(ApiKey) as "ApiKey", object = "api_key", hash = "api_key",
    read = |v| read_tagged(v, "api_key"),
    fields {
        /// `key_…`
        id,
        /// The key's name: the actor of every change made with it.
        name,
        /// The first 12 characters of the secret, for recognising it.
        prefix,
        /// Live (`pivotal_…`) or test (`pivotal_test_…`) key.
        livemode,
        /// When the key was created (aware, UTC).
        created_at,
        /// When the key was revoked; it authenticates nothing from then on.
        revoked_at,
    }
    fn __repr__(&self) -> String {
        format!(
            "ApiKey(id={}, name={}, prefix={}, livemode={}, revoked={})",
            repr_str(&self.0.id),
            repr_str(&self.0.name),
            repr_str(&self.0.prefix),
            repr_bool(self.0.livemode),
            repr_bool(self.0.revoked_at.is_some())
        )
    }
}

py_record! {
    /// A key just created: `{"api_key": {…}, "secret": "…"}`, the only time its secret is returned.
    PyCreatedApiKey(CreatedApiKey) as "CreatedApiKey",
    read = |v| read_untagged(v, "created API key"),
    fields {
        /// The key as it will be listed.
        api_key,
        /// The secret to hand to the key's user (`pivotal_…` or `pivotal_test_…`); only its hash is kept.
        secret,
    }
    fn __repr__(&self) -> String {
        // The secret stays out of logs: only its displayed prefix is shown.
        format!(
            "CreatedApiKey(api_key=ApiKey(id={}), secret='{}…')",
            repr_str(&self.0.api_key.id),
            self.0.api_key.prefix
        )
    }
}

py_record! {
    /// The key of an identity: `{"id", "name", "prefix", "livemode"}`.
    PyKeyIdentity(KeyIdentity) as "KeyIdentity", read = |v| read_untagged(v, "key identity"),
    fields {
        /// `key_…`
        id,
        /// The key's name.
        name,
        /// The secret's first 12 characters.
        prefix,
        /// The key's mode.
        livemode,
    }
    fn __repr__(&self) -> String {
        format!("KeyIdentity(id={}, name={})", repr_str(&self.0.id), repr_str(&self.0.name))
    }
}

py_record! {
    /// Who a session is: `{"object": "me", "api_key": {…} | None, "organization": {…}}`.
    PyIdentity(Identity) as "Identity", object = "me", read = |v| read_tagged(v, "me"),
    fields {
        /// The key the session authenticated with; `None` for a local session.
        api_key,
        /// The session's workspace.
        organization,
    }
    fn __repr__(&self) -> String {
        format!(
            "Identity(api_key={}, organization={})",
            self.0.api_key.as_ref().map_or_else(|| "None".into(), |k| repr_str(&k.name)),
            repr_str(&self.0.organization.slug)
        )
    }
}

/// The Python object of a record read from a list envelope, by its `"object"` tag.
fn record_from_dict(py: Python<'_>, value: &Value) -> pivotal_core::Result<Option<Py<PyAny>>> {
    let wrap = |r: PyResult<Py<PyAny>>| r.map_err(|e| Error::internal(e.to_string()));
    Ok(Some(match value.get("object").and_then(Value::as_str) {
        Some("customer") => wrap(PyCustomer::object_of(py, wire::customer(value)?))?,
        Some("contact") => wrap(PyContact::object_of(py, wire::contact(value)?))?,
        Some("onboarding") => wrap(PyOnboarding::object_of(py, wire::onboarding(value)?))?,
        Some("event") => wrap(PyEvent::object_of(py, wire::event(value)?))?,
        Some("phase_transition") => wrap(PyPhaseTransition::object_of(
            py,
            wire::phase_transition(value)?,
        ))?,
        _ => return Ok(None),
    }))
}

/// One page of a list: `data` (the records), `has_more`, `next_cursor`. Iterating a page iterates
/// its records; `to_dict()` is the API's list envelope.
#[pyclass(frozen, generic, module = "pivotal_core", name = "Page")]
pub struct PyPage {
    data: Vec<Py<PyAny>>,
    has_more: bool,
    next_cursor: Option<String>,
}

impl PyPage {
    /// A page of core records.
    pub fn of<T>(
        py: Python<'_>,
        page: Page<T>,
        object: fn(Python<'_>, T) -> PyResult<Py<PyAny>>,
    ) -> PyResult<Self> {
        let data = page
            .data
            .into_iter()
            .map(|r| object(py, r))
            .collect::<PyResult<_>>()?;
        Ok(Self {
            data,
            has_more: page.has_more,
            next_cursor: page.next_cursor,
        })
    }
}

#[pymethods]
impl PyPage {
    /// The records of this page, in list order (a new `list` on each access).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.data.iter().map(|o| o.bind(py)))
    }
    /// Whether more records follow.
    #[getter]
    fn has_more(&self) -> bool {
        self.has_more
    }
    /// Pass as `cursor` to get the next page; `None` on the last page.
    #[getter]
    fn next_cursor(&self) -> Option<&str> {
        self.next_cursor.as_deref()
    }
    /// The wire `object` tag, `"list"`.
    #[getter]
    fn object(&self) -> &'static str {
        "list"
    }
    /// The API's list envelope: `{"object": "list", "data": [...], "has_more", "next_cursor"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("object", "list")?;
        let data = PyList::empty(py);
        for item in &self.data {
            data.append(item.bind(py).call_method0("to_dict")?)?;
        }
        dict.set_item("data", data)?;
        dict.set_item("has_more", self.has_more)?;
        dict.set_item("next_cursor", self.next_cursor.as_deref())?;
        Ok(dict)
    }
    /// Reads a list envelope whose records are customers, contacts, onboardings, events or phase transitions.
    #[classmethod]
    fn from_dict(cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = cls.py();
        let value = convert::to_json(data, "data").or_py(py)?;
        let invalid =
            |message: &str| crate::errors::to_py(py, Error::new(ErrorCode::InvalidType, message));
        let wire::ListEnvelope {
            data: items,
            has_more,
            next_cursor,
        } = wire::list_envelope(&value).or_py(py)?;
        let mut records = Vec::with_capacity(items.len());
        for item in items {
            match record_from_dict(py, item).or_py(py)? {
                Some(record) => records.push(record),
                None => return Err(invalid("a list item has no known `object` tag")),
            }
        }
        Ok(Self {
            data: records,
            has_more,
            next_cursor,
        })
    }
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.data(py)?.into_any().try_iter()?.into_any())
    }
    fn __len__(&self) -> usize {
        self.data.len()
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let py = other.py();
        let Ok(other) = other.cast::<PyPage>() else {
            return Ok(false);
        };
        let other = other.get();
        if self.has_more != other.has_more
            || self.next_cursor != other.next_cursor
            || self.data.len() != other.data.len()
        {
            return Ok(false);
        }
        for (a, b) in self.data.iter().zip(&other.data) {
            if !a.bind(py).eq(b.bind(py))? {
                return Ok(false);
            }
        }
        Ok(true)
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let items = PyTuple::new(py, self.data.iter().map(|o| o.bind(py)))?;
        let reprs: Vec<String> = items
            .iter()
            .map(|o| o.repr().map(|r| r.to_string()))
            .collect::<PyResult<_>>()?;
        Ok(format!(
            "Page(data=[{}], has_more={}, next_cursor={})",
            reprs.join(", "),
            if self.has_more { "True" } else { "False" },
            self.next_cursor
                .as_deref()
                .map_or_else(|| "None".into(), repr_str)
        ))
    }
}
