//! The onboarding history analytics reads: one entry when an onboarding is created and one each
//! time one of its analytics fields changes, written in the same transaction as the change.

use crate::model::time::{serde_ts, Timestamp};
use crate::model::{Onboarding, Phase, State};
use serde::{Deserialize, Serialize};

/// The fields of an onboarding that analytics reads, as they were from one instant on.
///
/// A change to any of them appends a history entry: phase and state (the clocks), `started_at`
/// and `target_launch_date` (the inputs of elapsed time and on-time), `csm_id` and `template_id`
/// (the report's filters), so that a report as of a past instant sees each as it was then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Where the engagement was.
    pub phase: Phase,
    /// Whether anything blocked it.
    pub state: State,
    /// When the work started.
    #[serde(with = "serde_ts")]
    pub started_at: Timestamp,
    /// The planned launch.
    #[serde(with = "serde_ts::option")]
    pub target_launch_date: Option<Timestamp>,
    /// The customer success manager.
    pub csm_id: Option<String>,
    /// The template.
    pub template_id: Option<String>,
}

impl Snapshot {
    /// The analytics fields of `onboarding`.
    pub fn of(onboarding: &Onboarding) -> Self {
        Self {
            phase: onboarding.phase,
            state: onboarding.state,
            started_at: onboarding.started_at,
            target_launch_date: onboarding.target_launch_date,
            csm_id: onboarding.csm_id.clone(),
            template_id: onboarding.template_id.clone(),
        }
    }
}

/// An entry to append; the store gives it the onboarding's next `seq` and closes the previous
/// entry at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHistoryEntry {
    /// The onboarding's id.
    pub onboarding_id: String,
    /// When the values took effect.
    pub at: Timestamp,
    /// The phase before this entry; `None` for the entry written at creation.
    pub previous_phase: Option<Phase>,
    /// The values from `at` on.
    pub snapshot: Snapshot,
}

/// One stored history entry: the onboarding's analytics fields over `[at, until)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The onboarding's id.
    pub onboarding_id: String,
    /// The entry's position in the onboarding's history: 0 for the entry written at creation,
    /// then 1, 2, … in the order the changes were made.
    pub seq: i64,
    /// When the values took effect.
    #[serde(with = "serde_ts")]
    pub at: Timestamp,
    /// When the next entry took over (its `at`); `None` for the newest entry.
    #[serde(with = "serde_ts::option")]
    pub until: Option<Timestamp>,
    /// The phase before this entry; `None` for the entry written at creation.
    pub previous_phase: Option<Phase>,
    /// The values over `[at, until)`.
    #[serde(flatten)]
    pub snapshot: Snapshot,
}

impl HistoryEntry {
    /// The entry the store makes of `entry` as the onboarding's `seq`th, not yet closed.
    pub fn new(entry: NewHistoryEntry, seq: i64) -> Self {
        Self {
            onboarding_id: entry.onboarding_id,
            seq,
            at: entry.at,
            until: None,
            previous_phase: entry.previous_phase,
            snapshot: entry.snapshot,
        }
    }

    /// Whether this entry is the one written at creation.
    pub fn is_creation(&self) -> bool {
        self.previous_phase.is_none()
    }

    /// Whether this entry starts a stint in a phase: the creation entry, or a change of phase.
    pub fn enters_phase(&self) -> bool {
        self.previous_phase != Some(self.snapshot.phase)
    }
}
