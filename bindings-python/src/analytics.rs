//! Analytics (SPEC 7): `db.analytics.onboarding(...)` and `db.analytics.workspace(...)`, and the
//! frozen objects they return.

use crate::convert::{self, opt_string, ToPyEnum};
use crate::errors::{run, OrPyErr};
use crate::objects::repr_str;
use chrono::{DateTime, Utc};
use pivotal_core::model::time::parse_instant;
use pivotal_core::{
    wire, ByPhase, ByState, Error, ErrorCode, LaunchDays, OnboardingMetrics, Phase, Pivotal, State,
    Timestamp, WorkspaceReport, WorkspaceReportParams,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyType};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An optional number as Python writes it.
fn opt_repr<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "None".into(), |v| v.to_string())
}

/// Reads an analytics object from its API JSON: tagged with `kind`, or untagged (`what`).
fn read<T: DeserializeOwned>(
    value: &Value,
    kind: Option<&str>,
    what: &str,
) -> pivotal_core::Result<T> {
    match kind {
        Some(kind) => wire::tagged(value, kind),
        None => wire::untagged(value, what),
    }
}

/// The methods every analytics class has: `to_dict`, `from_dict`, `__reduce__`, plus its own.
macro_rules! analytics_class {
    ($class:ident, $record:ty, kind = $kind:expr, what = $what:literal, { $($methods:tt)* }) => {
        #[pymethods]
        impl $class {
            $($methods)*

            /// The API JSON of this object, as a `dict` of built-in values.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                convert::wire_dict(py, &self.0)
            }

            /// Reads the API JSON of this object.
            #[classmethod]
            fn from_dict(cls: &Bound<'_, PyType>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
                let py = cls.py();
                let value = convert::to_json(data, "data").or_py(py)?;
                read(&value, $kind, $what).map(Self).or_py(py)
            }

            /// Pickles as `from_dict(to_dict())`.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyAny>,))> {
                let from_dict = slf.get_type().getattr("from_dict")?;
                Ok((from_dict, (slf.get().to_dict(slf.py())?,)))
            }
        }
    };
}

/// One number per phase (durations in milliseconds, or counts): an attribute per phase, and
/// `by_phase[Phase.REVIEW]` (or `["review"]`).
#[pyclass(frozen, eq, module = "pivotal_core", name = "ByPhase")]
#[derive(PartialEq)]
pub struct PyByPhase(pub ByPhase);

analytics_class!(PyByPhase, ByPhase, kind = None, what = "by-phase record", {
    /// `before_getting_started`
    #[getter]
    fn before_getting_started(&self) -> i64 {
        self.0.before_getting_started
    }
    /// `program_design`
    #[getter]
    fn program_design(&self) -> i64 {
        self.0.program_design
    }
    /// `review`
    #[getter]
    fn review(&self) -> i64 {
        self.0.review
    }
    /// `program_buildout`
    #[getter]
    fn program_buildout(&self) -> i64 {
        self.0.program_buildout
    }
    /// `internal_qa`
    #[getter]
    fn internal_qa(&self) -> i64 {
        self.0.internal_qa
    }
    /// `launch`
    #[getter]
    fn launch(&self) -> i64 {
        self.0.launch
    }
    /// `completed`
    #[getter]
    fn completed(&self) -> i64 {
        self.0.completed
    }
    /// The sum over every phase.
    fn total(&self) -> i64 {
        self.0.total()
    }
    fn __getitem__(&self, phase: &Bound<'_, PyAny>) -> PyResult<i64> {
        let py = phase.py();
        let phase: Phase = key(phase, "phase").or_py(py)?;
        Ok(self.0.get(phase))
    }
    fn __repr__(&self) -> String {
        let b = &self.0;
        format!(
            "ByPhase(before_getting_started={}, program_design={}, review={}, program_buildout={}, internal_qa={}, launch={}, completed={})",
            b.before_getting_started, b.program_design, b.review, b.program_buildout, b.internal_qa, b.launch, b.completed
        )
    }
});

/// One count per state: an attribute per state, and `by_state[State.WAITING]` (or `["waiting"]`).
#[pyclass(frozen, eq, module = "pivotal_core", name = "ByState")]
#[derive(PartialEq)]
pub struct PyByState(pub ByState);

analytics_class!(PyByState, ByState, kind = None, what = "by-state record", {
    /// `active`
    #[getter]
    fn active(&self) -> i64 {
        self.0.active
    }
    /// `paused`
    #[getter]
    fn paused(&self) -> i64 {
        self.0.paused
    }
    /// `at_risk`
    #[getter]
    fn at_risk(&self) -> i64 {
        self.0.at_risk
    }
    /// `waiting`
    #[getter]
    fn waiting(&self) -> i64 {
        self.0.waiting
    }
    /// The sum over every state.
    fn total(&self) -> i64 {
        self.0.total()
    }
    fn __getitem__(&self, state: &Bound<'_, PyAny>) -> PyResult<i64> {
        let py = state.py();
        let state: State = key(state, "state").or_py(py)?;
        Ok(self.0.get(state))
    }
    fn __repr__(&self) -> String {
        let b = &self.0;
        format!(
            "ByState(active={}, paused={}, at_risk={}, waiting={})",
            b.active, b.paused, b.at_risk, b.waiting
        )
    }
});

/// A phase or state given as a key: its wire string or enum member.
fn key<T: std::str::FromStr<Err = pivotal_core::UnknownVariant>>(
    value: &Bound<'_, PyAny>,
    field: &str,
) -> Result<T, Error> {
    match opt_string(Some(value), field)? {
        Some(s) => convert::parse_enum(field, &s),
        None => Err(Error::field(
            ErrorCode::InvalidType,
            field,
            format!("`{field}` must be a string"),
        )),
    }
}

/// Launch durations of the launched onboardings, in days: `count`, `median`, `p90`.
#[pyclass(frozen, eq, module = "pivotal_core", name = "LaunchDays")]
#[derive(PartialEq)]
pub struct PyLaunchDays(pub LaunchDays);

analytics_class!(
    PyLaunchDays,
    LaunchDays,
    kind = None,
    what = "launch-days record",
    {
        /// How many launched onboardings the statistics cover.
        #[getter]
        fn count(&self) -> i64 {
            self.0.count
        }
        /// The median, in days; `None` when none launched.
        #[getter]
        fn median(&self) -> Option<f64> {
            self.0.median
        }
        /// The 90th percentile, in days; `None` when none launched.
        #[getter]
        fn p90(&self) -> Option<f64> {
            self.0.p90
        }
        fn __repr__(&self) -> String {
            format!(
                "LaunchDays(count={}, median={}, p90={})",
                self.0.count,
                opt_repr(self.0.median),
                opt_repr(self.0.p90)
            )
        }
    }
);

/// One onboarding's clocks as of an instant (SPEC 7); durations in milliseconds.
#[pyclass(frozen, eq, module = "pivotal_core", name = "OnboardingMetrics")]
#[derive(PartialEq)]
pub struct PyOnboardingMetrics(pub OnboardingMetrics);

analytics_class!(
    PyOnboardingMetrics,
    OnboardingMetrics,
    kind = Some("onboarding_metrics"),
    what = "onboarding_metrics object",
    {
        /// The wire `object` tag.
        #[getter]
        fn object(&self) -> &'static str {
            "onboarding_metrics"
        }
        /// The onboarding's id.
        #[getter]
        fn onboarding_id(&self) -> &str {
            &self.0.onboarding_id
        }
        /// Its display id.
        #[getter]
        fn display_id(&self) -> i64 {
            self.0.display_id
        }
        /// Its customer's id.
        #[getter]
        fn customer_id(&self) -> &str {
            &self.0.customer_id
        }
        /// The instant the metrics are computed for.
        #[getter]
        fn as_of(&self) -> DateTime<Utc> {
            self.0.as_of
        }
        /// The phase as of that instant.
        #[getter]
        fn phase<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.phase.to_py_enum(py)
        }
        /// The state as of that instant.
        #[getter]
        fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.0.state.to_py_enum(py)
        }
        /// `started_at` as of that instant: where the clocks start.
        #[getter]
        fn started_at(&self) -> DateTime<Utc> {
            self.0.started_at
        }
        /// `target_launch_date` as of that instant.
        #[getter]
        fn target_launch_date(&self) -> Option<DateTime<Utc>> {
            self.0.target_launch_date
        }
        /// From `started_at` to `as_of`, or to completion.
        #[getter]
        fn elapsed_ms(&self) -> i64 {
            self.0.elapsed_ms
        }
        /// The part of `elapsed_ms` spent waiting on the customer.
        #[getter]
        fn waiting_ms(&self) -> i64 {
            self.0.waiting_ms
        }
        /// `elapsed_ms - waiting_ms`: the SLA clock.
        #[getter]
        fn sla_ms(&self) -> i64 {
            self.0.sla_ms
        }
        /// Elapsed time in each phase, summed over re-entries.
        #[getter]
        fn time_in_phase_ms(&self) -> PyByPhase {
            PyByPhase(self.0.time_in_phase_ms)
        }
        /// When the current stint in the current phase began.
        #[getter]
        fn current_phase_since(&self) -> DateTime<Utc> {
            self.0.current_phase_since
        }
        /// SLA time of the current stint (what "stalled" is measured on).
        #[getter]
        fn current_phase_sla_ms(&self) -> i64 {
            self.0.current_phase_sla_ms
        }
        /// The first instant at or beyond `launch`; `None` before.
        #[getter]
        fn launched_at(&self) -> Option<DateTime<Utc>> {
            self.0.launched_at
        }
        /// Elapsed time from `started_at` to the launch; `None` before.
        #[getter]
        fn time_to_launch_ms(&self) -> Option<i64> {
            self.0.time_to_launch_ms
        }
        /// SLA time from `started_at` to the launch; `None` before.
        #[getter]
        fn sla_time_to_launch_ms(&self) -> Option<i64> {
            self.0.sla_time_to_launch_ms
        }
        /// The first entry into `completed`; `None` before.
        #[getter]
        fn completed_at(&self) -> Option<DateTime<Utc>> {
            self.0.completed_at
        }
        /// Launched at or before the target; `None` without a target or before the launch.
        #[getter]
        fn on_time(&self) -> Option<bool> {
            self.0.on_time
        }
        /// Not launched, and the target is before `as_of`.
        #[getter]
        fn overdue(&self) -> bool {
            self.0.overdue
        }
        fn __repr__(&self) -> String {
            format!(
            "OnboardingMetrics(onboarding_id={}, phase='{}', elapsed_ms={}, waiting_ms={}, sla_ms={})",
            repr_str(&self.0.onboarding_id), self.0.phase, self.0.elapsed_ms, self.0.waiting_ms, self.0.sla_ms
        )
        }
    }
);

/// A workspace's onboardings as of an instant (SPEC 7): counts, rates in `[0, 1]`, days.
#[pyclass(frozen, eq, module = "pivotal_core", name = "WorkspaceReport")]
#[derive(PartialEq)]
pub struct PyWorkspaceReport(pub WorkspaceReport);

analytics_class!(
    PyWorkspaceReport,
    WorkspaceReport,
    kind = Some("workspace_report"),
    what = "workspace_report object",
    {
        /// The wire `object` tag.
        #[getter]
        fn object(&self) -> &'static str {
            "workspace_report"
        }
        /// The instant of the report.
        #[getter]
        fn as_of(&self) -> DateTime<Utc> {
            self.0.as_of
        }
        /// The customer filter (canonical id), if any.
        #[getter]
        fn customer_id(&self) -> Option<&str> {
            self.0.customer_id.as_deref()
        }
        /// The CSM filter, if any.
        #[getter]
        fn csm_id(&self) -> Option<&str> {
            self.0.csm_id.as_deref()
        }
        /// The template filter, if any.
        #[getter]
        fn template_id(&self) -> Option<&str> {
            self.0.template_id.as_deref()
        }
        /// The stalled threshold, in days, if any.
        #[getter]
        fn stalled_after_days(&self) -> Option<f64> {
            self.0.stalled_after_days
        }
        /// Onboardings covered.
        #[getter]
        fn total(&self) -> i64 {
            self.0.total
        }
        /// Covered onboardings by phase.
        #[getter]
        fn by_phase(&self) -> PyByPhase {
            PyByPhase(self.0.by_phase)
        }
        /// Covered onboardings by state.
        #[getter]
        fn by_state(&self) -> PyByState {
            PyByState(self.0.by_state)
        }
        /// Launched (reached `launch` or beyond) by the instant.
        #[getter]
        fn launched(&self) -> i64 {
            self.0.launched
        }
        /// Launched, with a target launch date.
        #[getter]
        fn launched_with_target(&self) -> i64 {
            self.0.launched_with_target
        }
        /// Launched at or before their target.
        #[getter]
        fn launched_on_time(&self) -> i64 {
            self.0.launched_on_time
        }
        /// `launched_on_time / launched_with_target`; `None` when no launched onboarding has a target.
        #[getter]
        fn on_time_rate(&self) -> Option<f64> {
            self.0.on_time_rate
        }
        /// Days from `started_at` to the launch (elapsed time).
        #[getter]
        fn days_to_launch(&self) -> PyLaunchDays {
            PyLaunchDays(self.0.days_to_launch)
        }
        /// Days from `started_at` to the launch on the SLA clock (waiting left out).
        #[getter]
        fn sla_days_to_launch(&self) -> PyLaunchDays {
            PyLaunchDays(self.0.sla_days_to_launch)
        }
        /// Not launched, and the target launch date has passed.
        #[getter]
        fn overdue(&self) -> i64 {
            self.0.overdue
        }
        /// Open and either in state `at_risk` or overdue.
        #[getter]
        fn at_risk(&self) -> i64 {
            self.0.at_risk
        }
        /// Open, and stuck in the current phase longer than `stalled_after_days`; `None` without a threshold.
        #[getter]
        fn stalled(&self) -> Option<i64> {
            self.0.stalled
        }
        fn __repr__(&self) -> String {
            format!(
                "WorkspaceReport(total={}, launched={}, on_time_rate={}, stalled={})",
                self.0.total,
                self.0.launched,
                opt_repr(self.0.on_time_rate),
                opt_repr(self.0.stalled)
            )
        }
    }
);

/// An optional instant parameter: an aware `datetime` or an RFC 3339 string.
fn opt_instant(value: Option<&Bound<'_, PyAny>>, field: &str) -> Result<Option<Timestamp>, Error> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    match convert::to_json(value, field)? {
        Value::String(s) => parse_instant(&s).map(Some).ok_or_else(|| {
            Error::field(
                ErrorCode::InvalidTimestamp,
                field,
                format!("`{field}` must be an RFC 3339 instant, not `{s}`"),
            )
        }),
        _ => Err(Error::field(
            ErrorCode::InvalidType,
            field,
            format!("`{field}` must be a datetime or an RFC 3339 string"),
        )),
    }
}

/// An optional number of days (`int` or `float`).
fn opt_days(value: Option<&Bound<'_, PyAny>>, field: &str) -> Result<Option<f64>, Error> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let number = !value.is_instance_of::<PyBool>()
        && (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>());
    match number.then(|| value.extract::<f64>().ok()).flatten() {
        Some(days) => Ok(Some(days)),
        None => Err(Error::field(
            ErrorCode::InvalidType,
            field,
            format!("`{field}` must be a number"),
        )),
    }
}

/// Analytics of the session's workspace and mode: `db.analytics`.
#[pyclass(frozen, module = "pivotal_core", name = "Analytics")]
pub struct Analytics {
    db: Pivotal,
}

impl Analytics {
    pub fn new(db: Pivotal) -> Self {
        Self { db }
    }
}

#[pymethods]
impl Analytics {
    /// The metrics of one onboarding (id or display id) as of `as_of` (default: now by the
    /// store's clock): elapsed, waiting and SLA time, time in each phase, launch time, on-time.
    #[pyo3(signature = (r#ref, *, as_of = None))]
    fn onboarding(
        &self,
        py: Python<'_>,
        r#ref: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyOnboardingMetrics> {
        let reference = convert::reference(r#ref)?;
        let as_of = opt_instant(as_of, "as_of").or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.analytics().onboarding(&reference, as_of)).map(PyOnboardingMetrics)
    }

    /// The report over the workspace's onboardings as of `as_of` (default: now): counts by phase
    /// and state, on-time launch rate, median and 90th-percentile days to launch, and — with
    /// `stalled_after_days` — how many are stalled. Filters: `customer_id`, `csm_id`, `template_id`.
    #[pyo3(signature = (*, as_of = None, customer_id = None, csm_id = None, template_id = None, stalled_after_days = None))]
    fn workspace(
        &self,
        py: Python<'_>,
        as_of: Option<&Bound<'_, PyAny>>,
        customer_id: Option<&Bound<'_, PyAny>>,
        csm_id: Option<&Bound<'_, PyAny>>,
        template_id: Option<&Bound<'_, PyAny>>,
        stalled_after_days: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyWorkspaceReport> {
        let customer_id = customer_id
            .filter(|c| !c.is_none())
            .map(convert::reference)
            .transpose()?;
        let params = (|| {
            Ok::<_, Error>(WorkspaceReportParams {
                as_of: opt_instant(as_of, "as_of")?,
                customer_id,
                csm_id: opt_string(csm_id, "csm_id")?,
                template_id: opt_string(template_id, "template_id")?,
                stalled_after_days: opt_days(stalled_after_days, "stalled_after_days")?,
            })
        })()
        .or_py(py)?;
        let db = self.db.clone();
        run(py, move || db.analytics().workspace(&params)).map(PyWorkspaceReport)
    }
}
