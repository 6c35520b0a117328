//! Analytics (docs/reference.md#analytics): `db.analytics.onboarding(...)` and `db.analytics.workspace(...)`, and the
//! frozen objects they return.

use crate::convert::{self, opt_string};
use crate::errors::{run, OrPyErr};
use crate::record::{py_record, repr_str};
use pivotal_core::model::time::parse_instant;
use pivotal_core::{
    wire, ByPhase, ByState, Error, ErrorCode, LaunchDays, OnboardingMetrics, Phase, Pivotal, State,
    Timestamp, WorkspaceReport, WorkspaceReportParams,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};
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

/// The stub of `total()` and `[key]` on a record with one number per `enum_name` member.
macro_rules! tally_stub {
    ($what:literal, $enum_name:literal) => {
        concat!(
            "    def total(self) -> int:\n",
            "        \"\"\"The sum over every ",
            $what,
            ".\"\"\"\n",
            "    def __getitem__(self, key: ",
            $enum_name,
            " | str, /) -> int: ...\n",
        )
    };
}

py_record! {
    /// One number per phase (durations in milliseconds, or counts): an attribute per phase, and
    /// `by_phase[Phase.REVIEW]` (or `["review"]`).
    PyByPhase(ByPhase) as "ByPhase", read = |v| read(v, None, "by-phase record"),
    stub = tally_stub!("phase", "Phase"),
    fields {
        /// `before_getting_started`
        before_getting_started,
        /// `program_design`
        program_design,
        /// `review`
        review,
        /// `program_buildout`
        program_buildout,
        /// `internal_qa`
        internal_qa,
        /// `launch`
        launch,
        /// `completed`
        completed,
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
}

py_record! {
    /// One count per state: an attribute per state, and `by_state[State.WAITING]` (or `["waiting"]`).
    PyByState(ByState) as "ByState", read = |v| read(v, None, "by-state record"),
    stub = tally_stub!("state", "State"),
    fields {
        /// `active`
        active,
        /// `paused`
        paused,
        /// `at_risk`
        at_risk,
        /// `waiting`
        waiting,
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
}

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

py_record! {
    /// Launch durations of the launched onboardings, in days: `count`, `median`, `p90`.
    PyLaunchDays(LaunchDays) as "LaunchDays", read = |v| read(v, None, "launch-days record"),
    fields {
        /// How many launched onboardings the statistics cover.
        count,
        /// The median, in days; `None` when none launched.
        median,
        /// The 90th percentile, in days; `None` when none launched.
        p90,
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

py_record! {
    /// One onboarding's clocks as of an instant (docs/reference.md#analytics); durations in milliseconds.
    PyOnboardingMetrics(OnboardingMetrics) as "OnboardingMetrics", object = "onboarding_metrics",
    read = |v| read(v, Some("onboarding_metrics"), "onboarding_metrics object"),
    fields {
        /// The onboarding's id.
        onboarding_id,
        /// Its display id.
        display_id,
        /// Its customer's id.
        customer_id,
        /// The instant the metrics are computed for.
        as_of,
        /// The phase as of that instant.
        phase,
        /// The state as of that instant.
        state,
        /// `started_at` as of that instant: where the clocks start.
        started_at,
        /// `target_launch_date` as of that instant.
        target_launch_date,
        /// From `started_at` to `as_of`, or to completion.
        elapsed_ms,
        /// The part of `elapsed_ms` spent waiting on the customer.
        waiting_ms,
        /// `elapsed_ms - waiting_ms`: the SLA clock.
        sla_ms,
        /// Elapsed time in each phase, summed over re-entries.
        time_in_phase_ms,
        /// When the current stint in the current phase began.
        current_phase_since,
        /// SLA time of the current stint (what "stalled" is measured on).
        current_phase_sla_ms,
        /// The first instant at or beyond `launch`; `None` before.
        launched_at,
        /// Elapsed time from `started_at` to the launch; `None` before.
        time_to_launch_ms,
        /// SLA time from `started_at` to the launch; `None` before.
        sla_time_to_launch_ms,
        /// The first entry into `completed`; `None` before.
        completed_at,
        /// Launched at or before the target; `None` without a target or before the launch.
        on_time,
        /// Not launched, and the target is before `as_of`.
        overdue,
    }
    fn __repr__(&self) -> String {
        format!(
            "OnboardingMetrics(onboarding_id={}, phase='{}', elapsed_ms={}, waiting_ms={}, sla_ms={})",
            repr_str(&self.0.onboarding_id),
            self.0.phase,
            self.0.elapsed_ms,
            self.0.waiting_ms,
            self.0.sla_ms
        )
    }
}

py_record! {
    /// A workspace's onboardings as of an instant (docs/reference.md#analytics): counts, rates in `[0, 1]`, days.
    PyWorkspaceReport(WorkspaceReport) as "WorkspaceReport", object = "workspace_report",
    read = |v| read(v, Some("workspace_report"), "workspace_report object"),
    fields {
        /// The instant of the report.
        as_of,
        /// The customer filter (canonical id), if any.
        customer_id,
        /// The CSM filter, if any.
        csm_id,
        /// The template filter, if any.
        template_id,
        /// The stalled threshold, in days, if any.
        stalled_after_days,
        /// Onboardings covered.
        total,
        /// Covered onboardings by phase.
        by_phase,
        /// Covered onboardings by state.
        by_state,
        /// Launched (reached `launch` or beyond) by the instant.
        launched,
        /// Launched, with a target launch date.
        launched_with_target,
        /// Launched at or before their target.
        launched_on_time,
        /// `launched_on_time / launched_with_target`; `None` when no launched onboarding has a
        /// target.
        on_time_rate,
        /// Days from `started_at` to the launch (elapsed time).
        days_to_launch,
        /// Days from `started_at` to the launch on the SLA clock (waiting left out).
        sla_days_to_launch,
        /// Not launched, and the target launch date has passed.
        overdue,
        /// Open and either in state `at_risk` or overdue.
        at_risk,
        /// Open, and stuck in the current phase longer than `stalled_after_days`; `None` without a
        /// threshold.
        stalled,
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
