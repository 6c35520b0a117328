//! The change log: events and phase transitions (docs/reference.md#phases, #change-log).

use super::enums::{EventType, Phase};
use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// The API version every event is written for.
pub const API_VERSION: &str = "v1";

/// One entry of the change log, exactly as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "event")]
pub struct Event {
    /// `evt_…`
    pub id: String,
    /// Strictly increasing within a workspace.
    pub sequence: i64,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When it happened.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
    /// The workspace (`org_…`).
    pub org_id: String,
    /// Live or test mode.
    pub livemode: bool,
    /// Always `v1`.
    pub api_version: String,
    /// Who made the change.
    pub actor: String,
    /// The object after the change and what it was before.
    pub data: EventData,
}

/// The payload of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventData {
    /// The object after the change (at deletion, for deletes).
    pub object: serde_json::Value,
    /// Old values of exactly the changed fields; `null` for creates and deletes.
    pub previous_attributes: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A recorded change of an onboarding's phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "phase_transition")]
pub struct PhaseTransition {
    /// `ptr_…`
    pub id: String,
    /// The onboarding's id.
    pub onboarding_id: String,
    /// The phase before.
    pub from_phase: Phase,
    /// The phase after.
    pub to_phase: Phase,
    /// Who made the change.
    pub actor: String,
    /// Why, for skips and regressions (and whenever one was given).
    pub reason: Option<String>,
    /// When.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
}
