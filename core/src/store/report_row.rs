//! The one row a SQL store's workspace report query returns, and the totals it stands for. The
//! SQLite and PostgreSQL stores compute the report in SQL and read its row here.

use crate::analytics::{ByPhase, ByState, RankSample, ReportTotals};
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// Counts, and JSON objects of counts by phase and by state and of launch durations by rank.
pub(crate) struct ReportRow {
    pub(crate) total: i64,
    pub(crate) by_phase: String,
    pub(crate) by_state: String,
    pub(crate) launched: i64,
    pub(crate) launched_with_target: i64,
    pub(crate) launched_on_time: i64,
    pub(crate) overdue: i64,
    pub(crate) at_risk: i64,
    pub(crate) stalled: i64,
    pub(crate) time_to_launch: String,
    pub(crate) sla_time_to_launch: String,
}

impl ReportRow {
    /// The report's totals.
    pub(crate) fn totals(self) -> Result<ReportTotals> {
        let mut by_phase = ByPhase::default();
        for (phase, n) in tally(&self.by_phase, "phase")? {
            *by_phase.get_mut(phase) += n;
        }
        let mut by_state = ByState::default();
        for (state, n) in tally(&self.by_state, "state")? {
            *by_state.get_mut(state) += n;
        }
        Ok(ReportTotals {
            total: self.total,
            by_phase,
            by_state,
            launched: self.launched,
            launched_with_target: self.launched_with_target,
            launched_on_time: self.launched_on_time,
            overdue: self.overdue,
            at_risk: self.at_risk,
            stalled: self.stalled,
            time_to_launch: ranks(self.launched, &self.time_to_launch)?,
            sla_time_to_launch: ranks(self.launched, &self.sla_time_to_launch)?,
        })
    }
}

/// A JSON object `{wire value: count}` as pairs.
fn tally<T: std::str::FromStr>(json: &str, what: &str) -> Result<Vec<(T, i64)>> {
    let counts: BTreeMap<String, i64> = serde_json::from_str(json)
        .map_err(|e| Error::internal(format!("report counts by {what}: {e}")))?;
    counts
        .into_iter()
        .map(|(k, n)| {
            k.parse().map(|v| (v, n)).map_err(|_| {
                Error::new(
                    ErrorCode::StorageCorrupt,
                    format!("unknown {what} `{k}` in the history"),
                )
            })
        })
        .collect()
}

/// A JSON object `{rank: value}` of `count` values as a [`RankSample`].
fn ranks(count: i64, json: &str) -> Result<RankSample> {
    let by_rank: BTreeMap<String, i64> =
        serde_json::from_str(json).map_err(|e| Error::internal(format!("report ranks: {e}")))?;
    let values = by_rank
        .into_iter()
        .map(|(k, v)| {
            k.parse::<i64>()
                .map(|rank| (rank, v))
                .map_err(|e| Error::internal(format!("report rank `{k}`: {e}")))
        })
        .collect::<Result<_>>()?;
    Ok(RankSample { count, values })
}
