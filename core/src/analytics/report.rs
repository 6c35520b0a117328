//! The workspace report: what a store computes ([`ReportTotals`], for a [`ReportQuery`]), the
//! reference computation every store must agree with, and the report built from it
//! (`{"object": "workspace_report", …}`).

use super::history::HistoryEntry;
use super::percentile::{RankSample, MEDIAN, P90};
use super::summary::{summarize, Summary};
use super::tally::{ByPhase, ByState};
use crate::model::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Which onboardings a report covers and as of when. Filters are canonical values: the service
/// resolves the customer reference and validates the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    /// The instant of the report: onboardings created later are left out, and every value
    /// (phase, state, CSM, template, target, `started_at`) is taken as it was then.
    pub as_of: Timestamp,
    /// Only this customer's onboardings (its canonical id).
    pub customer_id: Option<String>,
    /// Only onboardings whose CSM was this one as of `as_of`.
    pub csm_id: Option<String>,
    /// Only onboardings whose template was this one as of `as_of`.
    pub template_id: Option<String>,
    /// Count as stalled the open onboardings whose current stint's SLA time is above this.
    pub stalled_after_ms: Option<i64>,
}

/// What a store computes for a [`ReportQuery`]: counts over the covered onboardings, and the
/// samples the launch percentiles need. Every store must return exactly what
/// [`reference()`] computes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTotals {
    /// Onboardings covered.
    pub total: i64,
    /// By phase as of the instant.
    pub by_phase: ByPhase,
    /// By state as of the instant.
    pub by_state: ByState,
    /// Launched (at or beyond `launch`) by the instant.
    pub launched: i64,
    /// Launched, with a target.
    pub launched_with_target: i64,
    /// Launched at or before the target.
    pub launched_on_time: i64,
    /// Not launched, the target passed.
    pub overdue: i64,
    /// Open, and in state `at_risk` or overdue.
    pub at_risk: i64,
    /// Open, and the current stint's SLA time above the threshold (0 without one).
    pub stalled: i64,
    /// Elapsed milliseconds from start to launch, of the launched ones.
    pub time_to_launch: RankSample,
    /// SLA milliseconds from start to launch, of the launched ones.
    pub sla_time_to_launch: RankSample,
}

/// Adds onboardings' summaries up into [`ReportTotals`].
#[derive(Debug, Clone)]
pub struct ReportBuilder<'q> {
    query: &'q ReportQuery,
    totals: ReportTotals,
    to_launch: Vec<i64>,
    sla_to_launch: Vec<i64>,
}

impl<'q> ReportBuilder<'q> {
    /// An empty report for `query`.
    pub fn new(query: &'q ReportQuery) -> Self {
        Self {
            query,
            totals: ReportTotals::default(),
            to_launch: Vec::new(),
            sla_to_launch: Vec::new(),
        }
    }

    /// Counts one onboarding, if the query's CSM and template filters (on the values as of the
    /// instant) let it in.
    pub fn add(&mut self, summary: &Summary) {
        let q = self.query;
        let snapshot = &summary.snapshot;
        if q.csm_id
            .as_ref()
            .is_some_and(|c| snapshot.csm_id.as_ref() != Some(c))
            || q.template_id
                .as_ref()
                .is_some_and(|t| snapshot.template_id.as_ref() != Some(t))
        {
            return;
        }
        let t = &mut self.totals;
        t.total += 1;
        *t.by_phase.get_mut(snapshot.phase) += 1;
        *t.by_state.get_mut(snapshot.state) += 1;
        if summary.launched_at.is_some() {
            t.launched += 1;
            if snapshot.target_launch_date.is_some() {
                t.launched_with_target += 1;
            }
            self.to_launch
                .push(summary.time_to_launch.unwrap_or_default());
            self.sla_to_launch
                .push(summary.sla_time_to_launch.unwrap_or_default());
        }
        if summary.on_time() == Some(true) {
            t.launched_on_time += 1;
        }
        let overdue = summary.overdue(q.as_of);
        if overdue {
            t.overdue += 1;
        }
        if summary.is_open() {
            if snapshot.state == crate::model::State::AtRisk || overdue {
                t.at_risk += 1;
            }
            if q.stalled_after_ms
                .is_some_and(|limit| summary.current_phase_sla > limit)
            {
                t.stalled += 1;
            }
        }
    }

    /// The totals.
    pub fn finish(self) -> ReportTotals {
        ReportTotals {
            time_to_launch: RankSample::of(self.to_launch),
            sla_time_to_launch: RankSample::of(self.sla_to_launch),
            ..self.totals
        }
    }
}

/// The reference computation of the totals: every covered onboarding's history (in `seq`
/// order) summarised as of the query's instant and added up. The CSM and template filters are
/// applied here; choosing the covered onboardings (visible ones of the scope, of the customer when
/// the query names one) is the caller's: [`crate::store::reference_report`] reads them through a
/// transaction, and every store's answer must equal it.
pub fn reference<'h>(
    histories: impl IntoIterator<Item = &'h [HistoryEntry]>,
    query: &ReportQuery,
) -> ReportTotals {
    let mut report = ReportBuilder::new(query);
    for history in histories {
        if let Some(summary) = summarize(history, query.as_of) {
            report.add(&summary);
        }
    }
    report.finish()
}

/// Launch durations of the launched onboardings, in days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LaunchDays {
    /// How many launched onboardings the statistics cover.
    pub count: i64,
    /// The median; `null` when none launched.
    pub median: Option<f64>,
    /// The 90th percentile; `null` when none launched.
    pub p90: Option<f64>,
}

impl LaunchDays {
    fn of(sample: &RankSample) -> Self {
        let days = |ms: f64| ms / DAY_MS as f64;
        Self {
            count: sample.count,
            median: sample.quantile(MEDIAN).map(days),
            p90: sample.quantile(P90).map(days),
        }
    }
}

/// A workspace's onboardings as of an instant. Counts, rates in `[0, 1]`, days as numbers.
///
/// See [`crate::analytics`] for how each is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "workspace_report")]
pub struct WorkspaceReport {
    /// The instant of the report.
    #[serde(with = "serde_ts")]
    pub as_of: Timestamp,
    /// The customer filter (canonical id), if any.
    pub customer_id: Option<String>,
    /// The CSM filter, if any.
    pub csm_id: Option<String>,
    /// The template filter, if any.
    pub template_id: Option<String>,
    /// The stalled threshold, in days, if any.
    pub stalled_after_days: Option<f64>,
    /// Onboardings covered: visible (neither they nor their customer deleted), created by `as_of`,
    /// matching the filters.
    pub total: i64,
    /// Covered onboardings by phase as of the instant.
    pub by_phase: ByPhase,
    /// Covered onboardings by state as of the instant.
    pub by_state: ByState,
    /// Launched (reached `launch` or beyond) by the instant.
    pub launched: i64,
    /// Launched, with a target launch date.
    pub launched_with_target: i64,
    /// Launched at or before their target.
    pub launched_on_time: i64,
    /// `launched_on_time / launched_with_target`; `null` when no launched onboarding has a
    /// target.
    pub on_time_rate: Option<f64>,
    /// Days from `started_at` to the launch (elapsed time).
    pub days_to_launch: LaunchDays,
    /// Days from `started_at` to the launch on the SLA clock (waiting left out).
    pub sla_days_to_launch: LaunchDays,
    /// Not launched, and the target launch date has passed.
    pub overdue: i64,
    /// Open (not `completed`) and either in state `at_risk` or overdue.
    pub at_risk: i64,
    /// Open, and the SLA time of the current stint in the current phase is above
    /// `stalled_after_days`; `null` without a threshold.
    pub stalled: Option<i64>,
}

impl WorkspaceReport {
    /// The report of `totals`, computed for `query`, with the threshold as it was given.
    pub fn new(
        query: &ReportQuery,
        stalled_after_days: Option<f64>,
        totals: &ReportTotals,
    ) -> Self {
        let rate = (totals.launched_with_target > 0)
            .then(|| totals.launched_on_time as f64 / totals.launched_with_target as f64);
        Self {
            as_of: query.as_of,
            customer_id: query.customer_id.clone(),
            csm_id: query.csm_id.clone(),
            template_id: query.template_id.clone(),
            stalled_after_days,
            total: totals.total,
            by_phase: totals.by_phase,
            by_state: totals.by_state,
            launched: totals.launched,
            launched_with_target: totals.launched_with_target,
            launched_on_time: totals.launched_on_time,
            on_time_rate: rate,
            days_to_launch: LaunchDays::of(&totals.time_to_launch),
            sla_days_to_launch: LaunchDays::of(&totals.sla_time_to_launch),
            overdue: totals.overdue,
            at_risk: totals.at_risk,
            stalled: query.stalled_after_ms.map(|_| totals.stalled),
        }
    }
}
