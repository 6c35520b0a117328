//! The metrics of one onboarding as of an instant: `{"object": "onboarding_metrics", …}`.

use super::summary::Summary;
use super::tally::ByPhase;
use crate::model::time::{serde_ts, Timestamp};
use crate::model::{Onboarding, Phase, State};
use serde::{Deserialize, Serialize};

/// One onboarding's clocks as of `as_of`, computed from its history. Durations in milliseconds.
///
/// See [`crate::analytics`] for how each is measured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "onboarding_metrics")]
pub struct OnboardingMetrics {
    /// The onboarding's id.
    pub onboarding_id: String,
    /// Its display id.
    pub display_id: i64,
    /// Its customer's id.
    pub customer_id: String,
    /// The instant the metrics are computed for.
    #[serde(with = "serde_ts")]
    pub as_of: Timestamp,
    /// The phase as of that instant.
    pub phase: Phase,
    /// The state as of that instant.
    pub state: State,
    /// `started_at` as of that instant: where the clocks start.
    #[serde(with = "serde_ts")]
    pub started_at: Timestamp,
    /// `target_launch_date` as of that instant.
    #[serde(with = "serde_ts::option")]
    pub target_launch_date: Option<Timestamp>,
    /// From `started_at` to `as_of`, or to completion.
    pub elapsed_ms: i64,
    /// The part of `elapsed_ms` spent waiting on the customer.
    pub waiting_ms: i64,
    /// `elapsed_ms - waiting_ms`: the SLA clock.
    pub sla_ms: i64,
    /// Elapsed time in each phase, summed over re-entries; the phases add up to `elapsed_ms`.
    pub time_in_phase_ms: ByPhase,
    /// When the current stint in the current phase began.
    #[serde(with = "serde_ts")]
    pub current_phase_since: Timestamp,
    /// SLA time of the current stint (what "stalled" is measured on).
    pub current_phase_sla_ms: i64,
    /// The first instant at or beyond `launch`; `null` before.
    #[serde(with = "serde_ts::option")]
    pub launched_at: Option<Timestamp>,
    /// Elapsed time from `started_at` to the launch; `null` before.
    pub time_to_launch_ms: Option<i64>,
    /// SLA time from `started_at` to the launch; `null` before.
    pub sla_time_to_launch_ms: Option<i64>,
    /// The first entry into `completed`; `null` before.
    #[serde(with = "serde_ts::option")]
    pub completed_at: Option<Timestamp>,
    /// Launched at or before the target; `null` without a target or before the launch.
    pub on_time: Option<bool>,
    /// Not launched, and the target is before `as_of`.
    pub overdue: bool,
}

impl OnboardingMetrics {
    /// The metrics of `onboarding` from its summary as of `as_of`.
    pub fn new(onboarding: &Onboarding, as_of: Timestamp, summary: &Summary) -> Self {
        Self {
            onboarding_id: onboarding.id.clone(),
            display_id: onboarding.display_id,
            customer_id: onboarding.customer_id.clone(),
            as_of,
            phase: summary.snapshot.phase,
            state: summary.snapshot.state,
            started_at: summary.snapshot.started_at,
            target_launch_date: summary.snapshot.target_launch_date,
            elapsed_ms: summary.elapsed,
            waiting_ms: summary.waiting,
            sla_ms: summary.sla(),
            time_in_phase_ms: summary.time_in_phase,
            current_phase_since: summary.current_phase_since,
            current_phase_sla_ms: summary.current_phase_sla,
            launched_at: summary.launched_at,
            time_to_launch_ms: summary.time_to_launch,
            sla_time_to_launch_ms: summary.sla_time_to_launch,
            completed_at: summary.completed_at,
            on_time: summary.on_time(),
            overdue: summary.overdue(as_of),
        }
    }
}
