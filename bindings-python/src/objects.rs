//! The objects: frozen classes over the core's records, with attributes named as the wire fields,
//! `to_dict()` giving exactly the API JSON and `from_dict()` reading it back.

use crate::convert::{self, ToPyEnum};
use crate::errors::OrPyErr;
use chrono::{DateTime, Utc};
use pivotal_core::{
    wire, ApiKey, Contact, CreatedApiKey, Customer, Deleted, Error, ErrorCode, Event, Health,
    Identity, KeyIdentity, Onboarding, Page, PhaseTransition, Workspace,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use serde_json::Value;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pivotal_core::wire::{tagged as read_tagged, untagged as read_untagged};

fn hash_of(kind: &str, id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    (kind, id).hash(&mut h);
    h.finish()
}

pub(crate) fn repr_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The methods every object class has: `object`, `to_dict`, `from_dict`, `__reduce__`, plus its own.
macro_rules! object_class {
    ($class:ident, $record:ty, kind = $kind:literal, read = $read:expr, { $($methods:tt)* }) => {
        object_class!($class, $record, read = $read, {
            $($methods)*

            /// The wire `object` tag.
            #[getter]
            fn object(&self) -> &'static str {
                $kind
            }
        });
    };
    ($class:ident, $record:ty, read = $read:expr, { $($methods:tt)* }) => {
        #[pymethods]
        impl $class {
            $($methods)*

            /// The API JSON of this object, as a `dict` of built-in values (timestamps as RFC 3339 strings).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                convert::wire_dict(py, &self.0)
            }

            /// Reads the API JSON of this object (as `to_dict()` returns it; `datetime` values are also accepted).
            #[classmethod]
            fn from_dict(cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
                let py = cls.py();
                let value = convert::to_json(data, "data").or_py(py)?;
                let read: fn(&Value) -> pivotal_core::Result<$record> = $read;
                read(&value).map(Self).or_py(py)
            }

            /// Pickles as `from_dict(to_dict())`.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
                let from_dict = slf.get_type().getattr("from_dict")?;
                Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
            }
        }

        impl $class {
            /// The Python object for a core record.
            #[allow(dead_code)]
            pub fn object_of(py: Python<'_>, record: $record) -> PyResult<Py<PyAny>> {
                Ok(Py::new(py, $class(record))?.into_any())
            }
        }
    };
}

/// A customer (SPEC 3.1). Frozen; compare with `==`; `to_dict()` is the API JSON.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Customer")]
#[derive(PartialEq)]
pub struct PyCustomer(pub Customer);

object_class!(
    PyCustomer,
    Customer,
    kind = "customer",
    read = wire::customer,
    {
        /// `cus_…`, or an imported id kept verbatim.
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// Per-workspace sequence number, 1, 2, 3, …
        #[getter]
        fn display_id(&self) -> i64 {
            self.0.display_id
        }
        /// 1–200 characters.
        #[getter]
        fn name(&self) -> &str {
            &self.0.name
        }
        /// Unique among the workspace's customers.
        #[getter]
        fn slug(&self) -> &str {
            &self.0.slug
        }
        /// A lowercased host name.
        #[getter]
        fn domain(&self) -> Option<&str> {
            self.0.domain.as_deref()
        }
        /// Lifecycle status.
        #[getter]
        fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.status.to_py_enum(py)
        }
        /// Plan name.
        #[getter]
        fn plan(&self) -> Option<&str> {
            self.0.plan.as_deref()
        }
        /// Monthly recurring revenue, in minor currency units.
        #[getter]
        fn mrr(&self) -> Option<i64> {
            self.0.mrr
        }
        /// Orders per month.
        #[getter]
        fn monthly_orders(&self) -> Option<i64> {
            self.0.monthly_orders
        }
        /// HubSpot company id.
        #[getter]
        fn hubspot_company_id(&self) -> Option<&str> {
            self.0.hubspot_company_id.as_deref()
        }
        /// HubSpot deal id.
        #[getter]
        fn hubspot_deal_id(&self) -> Option<&str> {
            self.0.hubspot_deal_id.as_deref()
        }
        /// Stripe customer id.
        #[getter]
        fn stripe_customer_id(&self) -> Option<&str> {
            self.0.stripe_customer_id.as_deref()
        }
        /// Intercom company id.
        #[getter]
        fn intercom_company_id(&self) -> Option<&str> {
            self.0.intercom_company_id.as_deref()
        }
        /// Slack channel id.
        #[getter]
        fn slack_channel_id(&self) -> Option<&str> {
            self.0.slack_channel_id.as_deref()
        }
        /// Free-form data (a new `dict` on each access).
        #[getter]
        fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
            convert::map_to_py(py, &self.0.metadata)
        }
        /// Creation time (aware, UTC).
        #[getter]
        fn created_at(&self) -> DateTime<Utc> {
            self.0.created_at
        }
        /// Time of the last change (aware, UTC).
        #[getter]
        fn updated_at(&self) -> DateTime<Utc> {
            self.0.updated_at
        }
        fn __hash__(&self) -> u64 {
            hash_of("customer", &self.0.id)
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
);

/// A contact of a customer (SPEC 3.2). Frozen; compare with `==`; `to_dict()` is the API JSON.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Contact")]
#[derive(PartialEq)]
pub struct PyContact(pub Contact);

object_class!(
    PyContact,
    Contact,
    kind = "contact",
    read = wire::contact,
    {
        /// `con_…`, or an imported id kept verbatim.
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// Per-workspace sequence number.
        #[getter]
        fn display_id(&self) -> i64 {
            self.0.display_id
        }
        /// The parent customer's id.
        #[getter]
        fn customer_id(&self) -> &str {
            &self.0.customer_id
        }
        /// 1–200 characters.
        #[getter]
        fn name(&self) -> &str {
            &self.0.name
        }
        /// Lowercased; unique among the customer's contacts.
        #[getter]
        fn email(&self) -> &str {
            &self.0.email
        }
        /// Job title.
        #[getter]
        fn title(&self) -> Option<&str> {
            self.0.title.as_deref()
        }
        /// Digits, spaces and `+-().`.
        #[getter]
        fn phone(&self) -> Option<&str> {
            self.0.phone.as_deref()
        }
        /// At most one primary contact per customer.
        #[getter]
        fn is_primary(&self) -> bool {
            self.0.is_primary
        }
        /// Lowercased, deduplicated, in order (a new `list` on each access).
        #[getter]
        fn labels(&self) -> Vec<String> {
            self.0.labels.clone()
        }
        /// Creation time (aware, UTC).
        #[getter]
        fn created_at(&self) -> DateTime<Utc> {
            self.0.created_at
        }
        /// Time of the last change (aware, UTC).
        #[getter]
        fn updated_at(&self) -> DateTime<Utc> {
            self.0.updated_at
        }
        fn __hash__(&self) -> u64 {
            hash_of("contact", &self.0.id)
        }
        fn __repr__(&self) -> String {
            format!(
                "Contact(id={}, display_id={}, customer_id={}, name={}, email={}, is_primary={})",
                repr_str(&self.0.id),
                self.0.display_id,
                repr_str(&self.0.customer_id),
                repr_str(&self.0.name),
                repr_str(&self.0.email),
                if self.0.is_primary { "True" } else { "False" }
            )
        }
    }
);

/// An onboarding engagement (SPEC 3.3). Frozen; compare with `==`; `to_dict()` is the API JSON.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Onboarding")]
#[derive(PartialEq)]
pub struct PyOnboarding(pub Onboarding);

object_class!(
    PyOnboarding,
    Onboarding,
    kind = "onboarding",
    read = wire::onboarding,
    {
        /// `onb_…`, or an imported id kept verbatim.
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// Per-workspace sequence number.
        #[getter]
        fn display_id(&self) -> i64 {
            self.0.display_id
        }
        /// The customer's id.
        #[getter]
        fn customer_id(&self) -> &str {
            &self.0.customer_id
        }
        /// Opaque template reference.
        #[getter]
        fn template_id(&self) -> Option<&str> {
            self.0.template_id.as_deref()
        }
        /// Where the engagement is.
        #[getter]
        fn phase<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.phase.to_py_enum(py)
        }
        /// Whether anything blocks it.
        #[getter]
        fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.state.to_py_enum(py)
        }
        /// When the work started.
        #[getter]
        fn started_at(&self) -> DateTime<Utc> {
            self.0.started_at
        }
        /// When the phase became `completed`.
        #[getter]
        fn completed_at(&self) -> Option<DateTime<Utc>> {
            self.0.completed_at
        }
        /// The planned launch.
        #[getter]
        fn target_launch_date(&self) -> Option<DateTime<Utc>> {
            self.0.target_launch_date
        }
        /// Customer success manager.
        #[getter]
        fn csm_id(&self) -> Option<&str> {
            self.0.csm_id.as_deref()
        }
        /// Solutions engineer.
        #[getter]
        fn se_id(&self) -> Option<&str> {
            self.0.se_id.as_deref()
        }
        /// Designer.
        #[getter]
        fn designer_id(&self) -> Option<&str> {
            self.0.designer_id.as_deref()
        }
        /// Product operations.
        #[getter]
        fn product_ops_id(&self) -> Option<&str> {
            self.0.product_ops_id.as_deref()
        }
        /// Free text.
        #[getter]
        fn notes(&self) -> Option<&str> {
            self.0.notes.as_deref()
        }
        /// True exactly while `state` is `waiting`.
        #[getter]
        fn waiting_on_customer(&self) -> bool {
            self.0.waiting_on_customer
        }
        /// When the current waiting period began.
        #[getter]
        fn waiting_on_customer_since(&self) -> Option<DateTime<Utc>> {
            self.0.waiting_on_customer_since
        }
        /// When the setup wizard was finished.
        #[getter]
        fn wizard_completed_at(&self) -> Option<DateTime<Utc>> {
            self.0.wizard_completed_at
        }
        /// Send reminder emails.
        #[getter]
        fn reminder_email(&self) -> bool {
            self.0.reminder_email
        }
        /// Send reminder Slack messages.
        #[getter]
        fn reminder_slack(&self) -> bool {
            self.0.reminder_slack
        }
        /// 0–90; at least 1 while a reminder is on.
        #[getter]
        fn reminder_frequency_days(&self) -> i64 {
            self.0.reminder_frequency_days
        }
        /// Creation time (aware, UTC).
        #[getter]
        fn created_at(&self) -> DateTime<Utc> {
            self.0.created_at
        }
        /// Time of the last change (aware, UTC).
        #[getter]
        fn updated_at(&self) -> DateTime<Utc> {
            self.0.updated_at
        }
        fn __hash__(&self) -> u64 {
            hash_of("onboarding", &self.0.id)
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
);

/// One entry of the change log (SPEC 4.3). Frozen; `to_dict()` is the API JSON.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Event")]
#[derive(PartialEq)]
pub struct PyEvent(pub Event);

object_class!(PyEvent, Event, kind = "event", read = wire::event, {
    /// `evt_…`
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    /// Strictly increasing within a workspace.
    #[getter]
    fn sequence(&self) -> i64 {
        self.0.sequence
    }
    /// What happened, e.g. `EventType.ONBOARDING_PHASE_CHANGED` (== `"onboarding.phase_changed"`).
    #[getter(r#type)]
    fn event_type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.0.event_type.to_py_enum(py)
    }
    /// When it happened (aware, UTC).
    #[getter]
    fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The workspace (`org_…`).
    #[getter]
    fn org_id(&self) -> &str {
        &self.0.org_id
    }
    /// Live or test mode.
    #[getter]
    fn livemode(&self) -> bool {
        self.0.livemode
    }
    /// Always `v1`.
    #[getter]
    fn api_version(&self) -> &str {
        &self.0.api_version
    }
    /// Who made the change.
    #[getter]
    fn actor(&self) -> &str {
        &self.0.actor
    }
    /// `{"object": {…after…}, "previous_attributes": {…} | None}` (a new `dict` on each access).
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::wire_dict(py, &self.0.data)
    }
    fn __hash__(&self) -> u64 {
        hash_of("event", &self.0.id)
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
});

/// A recorded change of an onboarding's phase (SPEC 4.1). Frozen; `to_dict()` is the API JSON.
#[pyclass(frozen, eq, module = "pivotal_core", name = "PhaseTransition")]
#[derive(PartialEq)]
pub struct PyPhaseTransition(pub PhaseTransition);

object_class!(
    PyPhaseTransition,
    PhaseTransition,
    kind = "phase_transition",
    read = wire::phase_transition,
    {
        /// `ptr_…`
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// The onboarding's id.
        #[getter]
        fn onboarding_id(&self) -> &str {
            &self.0.onboarding_id
        }
        /// The phase before.
        #[getter(from_phase)]
        fn phase_before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.from_phase.to_py_enum(py)
        }
        /// The phase after.
        #[getter]
        fn to_phase<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.to_phase.to_py_enum(py)
        }
        /// Who made the change.
        #[getter]
        fn actor(&self) -> &str {
            &self.0.actor
        }
        /// Why (required for skips and regressions).
        #[getter]
        fn reason(&self) -> Option<&str> {
            self.0.reason.as_deref()
        }
        /// When (aware, UTC).
        #[getter]
        fn created_at(&self) -> DateTime<Utc> {
            self.0.created_at
        }
        fn __hash__(&self) -> u64 {
            hash_of("phase_transition", &self.0.id)
        }
        fn __repr__(&self) -> String {
            format!(
                "PhaseTransition(id={}, from_phase='{}', to_phase='{}', reason={})",
                repr_str(&self.0.id),
                self.0.from_phase,
                self.0.to_phase,
                self.0
                    .reason
                    .as_deref()
                    .map_or_else(|| "None".into(), repr_str)
            )
        }
    }
);

/// The answer to a delete: `{"object": "deleted", "id", "display_id", "deleted": true}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Deleted")]
#[derive(PartialEq)]
pub struct PyDeleted(pub Deleted);

object_class!(
    PyDeleted,
    Deleted,
    kind = "deleted",
    read = |v| read_tagged(v, "deleted"),
    {
        /// The deleted record's id.
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// Its display id.
        #[getter]
        fn display_id(&self) -> i64 {
            self.0.display_id
        }
        /// Always `True`.
        #[getter]
        fn deleted(&self) -> bool {
            self.0.deleted
        }
        fn __hash__(&self) -> u64 {
            hash_of("deleted", &self.0.id)
        }
        fn __repr__(&self) -> String {
            format!(
                "Deleted(id={}, display_id={})",
                repr_str(&self.0.id),
                self.0.display_id
            )
        }
    }
);

/// The answer of `health()`: `{"status": "ok", "timestamp", "version", "schema_version"}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Health")]
#[derive(PartialEq)]
pub struct PyHealth(pub Health);

object_class!(PyHealth, Health, read = |v| read_untagged(v, "health"), {
    /// `"ok"` when the store answers.
    #[getter]
    fn status(&self) -> &str {
        &self.0.status
    }
    /// Now, by the store's clock (aware, UTC).
    #[getter]
    fn timestamp(&self) -> DateTime<Utc> {
        self.0.timestamp
    }
    /// The library version.
    #[getter]
    fn version(&self) -> &str {
        &self.0.version
    }
    /// The store's schema version.
    #[getter]
    fn schema_version(&self) -> i64 {
        self.0.schema_version
    }
    fn __repr__(&self) -> String {
        format!(
            "Health(status={}, version={}, schema_version={})",
            repr_str(&self.0.status),
            repr_str(&self.0.version),
            self.0.schema_version
        )
    }
});

/// A workspace (the API's organization): `{"id", "slug", "name"}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Workspace")]
#[derive(PartialEq)]
pub struct PyWorkspace(pub Workspace);

object_class!(
    PyWorkspace,
    Workspace,
    read = |v| read_untagged(v, "workspace"),
    {
        /// `org_…`
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// Short unique name (`default` for the workspace a store opens in).
        #[getter]
        fn slug(&self) -> &str {
            &self.0.slug
        }
        /// Display name.
        #[getter]
        fn name(&self) -> &str {
            &self.0.name
        }
        fn __hash__(&self) -> u64 {
            hash_of("workspace", &self.0.id)
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
);

/// An API key as listed (never its secret): `{"object": "api_key", "id", "name", "prefix", "livemode", "created_at", "revoked_at"}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "ApiKey")]
#[derive(PartialEq)]
pub struct PyApiKey(pub ApiKey);

object_class!(
    PyApiKey,
    ApiKey,
    kind = "api_key",
    read = |v| read_tagged(v, "api_key"),
    {
        /// `key_…`
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// The key's name: the actor of every change made with it.
        #[getter]
        fn name(&self) -> &str {
            &self.0.name
        }
        /// The first 12 characters of the secret, for recognising it.
        #[getter]
        fn prefix(&self) -> &str {
            &self.0.prefix
        }
        /// Live (`pivotal_…`) or test (`pivotal_test_…`) key.
        #[getter]
        fn livemode(&self) -> bool {
            self.0.livemode
        }
        /// When the key was created (aware, UTC).
        #[getter]
        fn created_at(&self) -> DateTime<Utc> {
            self.0.created_at
        }
        /// When the key was revoked; it authenticates nothing from then on.
        #[getter]
        fn revoked_at(&self) -> Option<DateTime<Utc>> {
            self.0.revoked_at
        }
        fn __hash__(&self) -> u64 {
            hash_of("api_key", &self.0.id)
        }
        fn __repr__(&self) -> String {
            format!(
                "ApiKey(id={}, name={}, prefix={}, livemode={}, revoked={})",
                repr_str(&self.0.id),
                repr_str(&self.0.name),
                repr_str(&self.0.prefix),
                if self.0.livemode { "True" } else { "False" },
                if self.0.revoked_at.is_some() {
                    "True"
                } else {
                    "False"
                }
            )
        }
    }
);

/// A key just created: `{"api_key": {…}, "secret": "…"}`, the only time its secret is returned.
#[pyclass(frozen, eq, module = "pivotal_core", name = "CreatedApiKey")]
#[derive(PartialEq)]
pub struct PyCreatedApiKey(pub CreatedApiKey);

object_class!(
    PyCreatedApiKey,
    CreatedApiKey,
    read = |v| read_untagged(v, "created API key"),
    {
        /// The key as it will be listed.
        #[getter]
        fn api_key(&self) -> PyApiKey {
            PyApiKey(self.0.api_key.clone())
        }
        /// The secret to hand to the key's user (`pivotal_…` or `pivotal_test_…`); only its hash is kept.
        #[getter]
        fn secret(&self) -> &str {
            &self.0.secret
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
);

/// The key of an identity: `{"id", "name", "prefix", "livemode"}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "KeyIdentity")]
#[derive(PartialEq)]
pub struct PyKeyIdentity(pub KeyIdentity);

object_class!(
    PyKeyIdentity,
    KeyIdentity,
    read = |v| read_untagged(v, "key identity"),
    {
        /// `key_…`
        #[getter]
        fn id(&self) -> &str {
            &self.0.id
        }
        /// The key's name.
        #[getter]
        fn name(&self) -> &str {
            &self.0.name
        }
        /// The secret's first 12 characters.
        #[getter]
        fn prefix(&self) -> &str {
            &self.0.prefix
        }
        /// The key's mode.
        #[getter]
        fn livemode(&self) -> bool {
            self.0.livemode
        }
        fn __repr__(&self) -> String {
            format!(
                "KeyIdentity(id={}, name={})",
                repr_str(&self.0.id),
                repr_str(&self.0.name)
            )
        }
    }
);

/// Who a session is: `{"object": "me", "api_key": {…} | None, "organization": {…}}`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "Identity")]
#[derive(PartialEq)]
pub struct PyIdentity(pub Identity);

object_class!(
    PyIdentity,
    Identity,
    kind = "me",
    read = |v| read_tagged(v, "me"),
    {
        /// The key the session authenticated with; `None` for a local session.
        #[getter]
        fn api_key(&self) -> Option<PyKeyIdentity> {
            self.0.api_key.clone().map(PyKeyIdentity)
        }
        /// The session's workspace.
        #[getter]
        fn organization(&self) -> PyWorkspace {
            PyWorkspace(self.0.organization.clone())
        }
        fn __repr__(&self) -> String {
            format!(
                "Identity(api_key={}, organization={})",
                self.0
                    .api_key
                    .as_ref()
                    .map_or_else(|| "None".into(), |k| repr_str(&k.name)),
                repr_str(&self.0.organization.slug)
            )
        }
    }
);

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
        if value.get("object").and_then(Value::as_str) != Some("list") {
            return Err(crate::errors::to_py(
                py,
                Error::field(
                    ErrorCode::InvalidType,
                    "object",
                    "expected `\"object\": \"list\"`",
                ),
            ));
        }
        let items = value
            .get("data")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("`data` must be a list"))?;
        let has_more = value
            .get("has_more")
            .and_then(Value::as_bool)
            .ok_or_else(|| invalid("`has_more` must be a bool"))?;
        let next_cursor = match value.get("next_cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(invalid("`next_cursor` must be a string or null")),
        };
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
