//! Onboarding analytics (docs/reference.md#analytics), computed only from the recorded history.
//!
//! # The history
//!
//! Every onboarding has a history ([`HistoryEntry`]): one entry when it is created and one each
//! time its phase, state, `started_at`, `target_launch_date`, `csm_id` or `template_id` changes
//! (the churn rule's pauses included), written in the same transaction as the change. Each entry
//! holds those fields from its instant `at` until the next entry's (`until`). Waiting on the
//! customer is the state `waiting`, so the history is also the record of every waiting period.
//!
//! # One onboarding, as of an instant
//!
//! [`OnboardingMetrics`] — all from the entries at or before the instant, so asking about a past
//! instant gives the answer that would have been computed then (see [`summary`] for the exact
//! rules):
//!
//! - `elapsed_ms`: from `started_at` to the instant, or to completion (the clock stops when the
//!   onboarding enters `completed`);
//! - `time_in_phase_ms`: elapsed time by phase, summed over re-entries (they add up to elapsed);
//! - `waiting_ms`: the part spent in state `waiting`; `sla_ms` = elapsed − waiting. Only waiting
//!   suspends the SLA clock: a paused or at-risk onboarding's clock runs;
//! - `launched_at`: the first instant recorded at or beyond `launch` (a skip straight to
//!   `completed` counts as launching then; an onboarding created in `launch` or `completed`
//!   launched when it was recorded); `time_to_launch_ms` / `sla_time_to_launch_ms` from
//!   `started_at`;
//! - `completed_at`: the first entry into `completed`;
//! - `on_time`: launched at or before `target_launch_date`; `null` without a target or before the
//!   launch. `overdue`: not launched and the target has passed;
//! - `current_phase_since` / `current_phase_sla_ms`: the current stint in the current phase (it
//!   restarts when the phase changes, not when the state does) and its SLA time.
//!
//! `started_at` earlier than the creation (an imported or mirrored onboarding): the first entry
//! is taken to begin at `started_at`, so the time before the record existed counts in the phase
//! and state it was created with. `started_at` later than the creation: nothing counts before it.
//!
//! # A workspace, as of an instant
//!
//! [`WorkspaceReport`] over the session's workspace and mode, optionally one customer's, one
//! CSM's or one template's onboardings (CSM and template as they were at the instant): counts by
//! phase and by state, launched / launched with a target / on time and the on-time rate, median
//! and 90th-percentile days from start to launch (elapsed and SLA;
//! [`percentile`]: linear interpolation between closest ranks), overdue, at risk (open and in
//! state `at_risk` or overdue), and stalled (open, and the current stint's SLA time above a
//! threshold you pass).
//!
//! Deleted onboardings, and those of deleted customers, are left out whatever the instant: a
//! deletion is taken as a correction of the record (the SPEC's "behaves as gone"), not as an event
//! in the engagement. Onboardings created after the instant are left out.
//!
//! Units: durations in milliseconds (`i64`), days as `f64` (`ms / 86_400_000`), rates in `[0, 1]`.
//!
//! # Where it is computed
//!
//! The per-onboarding metrics come from [`summarize`] over the onboarding's history, the same in
//! every store. The workspace report is [`Tx::onboarding_report`](crate::store::Tx::onboarding_report):
//! [`crate::store::reference_report`] (record by record through the `Tx` reads, added up in Rust
//! by [`report::reference`]) unless the store overrides it. SQLite runs one statement over the history table (`REPORT` in
//! `store/sqlite/sql.rs`: one pass over the scope's history in key order, per-onboarding
//! aggregates, no row leaves the database but the one answer); the memory store summarises its
//! rows in place. The conformance suite checks every store's answer equals the reference, on
//! hand-computed and on random histories.
//!
//! Cost (BENCHMARKS.md): linear in the scope's history rows — about 0.7 s for 100,000 onboardings
//! (550,000 history rows) on SQLite, on a 2-core machine; a customer's report reads only that
//! customer's rows.

pub mod history;
pub mod metrics;
pub mod percentile;
pub mod report;
pub mod summary;
pub mod tally;

pub use history::{HistoryEntry, NewHistoryEntry, Snapshot};
pub use metrics::OnboardingMetrics;
pub use percentile::{Quantile, RankSample, MEDIAN, P90};
pub use report::{LaunchDays, ReportBuilder, ReportQuery, ReportTotals, WorkspaceReport, DAY_MS};
pub use summary::{summarize, Summary};
pub use tally::{ByPhase, ByState};
