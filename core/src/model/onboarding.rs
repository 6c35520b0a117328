//! The onboarding object (docs/reference.md#onboarding), its create parameters and its patch.

use super::enums::{Phase, State};
use super::patch::Patch;
use super::time::{serde_ts, Timestamp};
use serde::{Deserialize, Serialize};

/// One customer's onboarding engagement, exactly as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "object", rename = "onboarding")]
pub struct Onboarding {
    /// `onb_…`, or an imported id kept verbatim.
    pub id: String,
    /// Per-workspace sequence number, from 1.
    #[serde(deserialize_with = "super::ids::deserialize_display_id")]
    pub display_id: i64,
    /// The customer's canonical id.
    pub customer_id: String,
    /// Opaque template reference.
    pub template_id: Option<String>,
    /// Where the engagement is.
    pub phase: Phase,
    /// Whether anything blocks it.
    pub state: State,
    /// When the work started; the creation time by default.
    #[serde(with = "serde_ts")]
    pub started_at: Timestamp,
    /// Set when the phase becomes `completed`.
    #[serde(with = "serde_ts::option")]
    pub completed_at: Option<Timestamp>,
    /// The planned launch.
    #[serde(with = "serde_ts::option")]
    pub target_launch_date: Option<Timestamp>,
    /// Customer success manager.
    pub csm_id: Option<String>,
    /// Solutions engineer.
    pub se_id: Option<String>,
    /// Designer.
    pub designer_id: Option<String>,
    /// Product operations.
    pub product_ops_id: Option<String>,
    /// Free text, ≤ 10,000 characters.
    pub notes: Option<String>,
    /// True exactly while `state` is `waiting`.
    pub waiting_on_customer: bool,
    /// When the current waiting period began.
    #[serde(with = "serde_ts::option")]
    pub waiting_on_customer_since: Option<Timestamp>,
    /// When the setup wizard was finished.
    #[serde(with = "serde_ts::option")]
    pub wizard_completed_at: Option<Timestamp>,
    /// Send reminder emails.
    pub reminder_email: bool,
    /// Send reminder Slack messages.
    pub reminder_slack: bool,
    /// 0–90; at least 1 while a reminder is on.
    pub reminder_frequency_days: i64,
    /// Creation time.
    #[serde(with = "serde_ts")]
    pub created_at: Timestamp,
    /// Time of the last change.
    #[serde(with = "serde_ts")]
    pub updated_at: Timestamp,
}

/// Parameters of `onboardings.create`. Only `customer_id` is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OnboardingParams {
    /// The customer's id or display id.
    pub customer_id: String,
    /// ≤ 64 characters.
    pub template_id: Option<String>,
    /// Defaults to `before_getting_started`; any phase may be given.
    pub phase: Option<Phase>,
    /// Defaults to `active` (or `waiting` when `waiting_on_customer` is true).
    pub state: Option<State>,
    /// Defaults to the creation time.
    #[serde(with = "serde_ts::option")]
    pub started_at: Option<Timestamp>,
    /// The planned launch.
    #[serde(with = "serde_ts::option")]
    pub target_launch_date: Option<Timestamp>,
    /// ≤ 64 characters.
    pub csm_id: Option<String>,
    /// ≤ 64 characters.
    pub se_id: Option<String>,
    /// ≤ 64 characters.
    pub designer_id: Option<String>,
    /// ≤ 64 characters.
    pub product_ops_id: Option<String>,
    /// ≤ 10,000 characters.
    pub notes: Option<String>,
    /// Defaults to false.
    pub waiting_on_customer: Option<bool>,
    /// When the setup wizard was finished.
    #[serde(with = "serde_ts::option")]
    pub wizard_completed_at: Option<Timestamp>,
    /// Defaults to true.
    pub reminder_email: Option<bool>,
    /// Defaults to true.
    pub reminder_slack: Option<bool>,
    /// Defaults to 1.
    pub reminder_frequency_days: Option<i64>,
}

/// A change to an onboarding, plus the `reason` a skip or regression of phase needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OnboardingPatch {
    /// See [`Onboarding::template_id`].
    pub template_id: Patch<String>,
    /// Cannot be cleared; checked by the phase rules.
    pub phase: Patch<Phase>,
    /// Cannot be cleared; kept consistent with `waiting_on_customer`.
    pub state: Patch<State>,
    /// Cannot be cleared.
    pub started_at: Patch<Timestamp>,
    /// See [`Onboarding::target_launch_date`].
    pub target_launch_date: Patch<Timestamp>,
    /// See [`Onboarding::csm_id`].
    pub csm_id: Patch<String>,
    /// See [`Onboarding::se_id`].
    pub se_id: Patch<String>,
    /// See [`Onboarding::designer_id`].
    pub designer_id: Patch<String>,
    /// See [`Onboarding::product_ops_id`].
    pub product_ops_id: Patch<String>,
    /// See [`Onboarding::notes`].
    pub notes: Patch<String>,
    /// Cannot be cleared; kept consistent with `state`.
    pub waiting_on_customer: Patch<bool>,
    /// See [`Onboarding::wizard_completed_at`].
    pub wizard_completed_at: Patch<Timestamp>,
    /// Cannot be cleared.
    pub reminder_email: Patch<bool>,
    /// Cannot be cleared.
    pub reminder_slack: Patch<bool>,
    /// Cannot be cleared.
    pub reminder_frequency_days: Patch<i64>,
    /// Why a phase is skipped or moved backward; recorded on the transition.
    pub reason: Option<String>,
}
