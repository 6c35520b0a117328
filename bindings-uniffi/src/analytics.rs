//! Analytics (docs/reference.md#analytics): the records `PivotalStore.analytics_onboarding` and
//! `PivotalStore.analytics_workspace` return, and the parameters of the report.
//!
//! Every value is computed by the core, from the onboardings' recorded history; these records only
//! carry it across. Units as in the core: durations in milliseconds (`i64`), days and rates as
//! `f64`, instants as `Timestamp` (Kotlin `Instant`, Swift `Date`). `to_json()` is the core's JSON
//! (`{"object": "onboarding_metrics", …}`, `{"object": "workspace_report", …}`).

use crate::error::{guard, PivotalError};
use crate::types::{mirror_record, to_json, wire_text, Bridge, Phase, State};
use pivotal_core::Timestamp;

mirror_record! {
    /// One number per phase, in phase order: milliseconds (`time_in_phase_ms`) or counts
    /// (`by_phase`). Its JSON is an object keyed by the phases' wire strings.
    ByPhase => pivotal_core::ByPhase {
        /// `before_getting_started`
        before_getting_started: i64,
        /// `program_design`
        program_design: i64,
        /// `review`
        review: i64,
        /// `program_buildout`
        program_buildout: i64,
        /// `internal_qa`
        internal_qa: i64,
        /// `launch`
        launch: i64,
        /// `completed`
        completed: i64,
    }
}

mirror_record! {
    /// One count per state, in state order. Its JSON is an object keyed by the states' wire strings.
    ByState => pivotal_core::ByState {
        /// `active`
        active: i64,
        /// `paused`
        paused: i64,
        /// `at_risk`
        at_risk: i64,
        /// `waiting`
        waiting: i64,
    }
}

mirror_record! {
    /// Launch durations of the launched onboardings, in days.
    LaunchDays => pivotal_core::LaunchDays {
        /// How many launched onboardings the statistics cover.
        count: i64,
        /// The median, in days; null when none launched.
        median: Option<f64>,
        /// The 90th percentile (linear interpolation between closest ranks); null when none launched.
        p90: Option<f64>,
    }
}

mirror_record! {
    /// One onboarding's clocks as of an instant (`"object": "onboarding_metrics"`), computed from
    /// its history. Durations in milliseconds.
    OnboardingMetrics => pivotal_core::OnboardingMetrics {
        /// The onboarding's id.
        onboarding_id: String,
        /// Its display id.
        display_id: i64,
        /// Its customer's id.
        customer_id: String,
        /// The instant the metrics are computed for.
        as_of: Timestamp,
        /// The phase as of that instant.
        phase: Phase,
        /// The state as of that instant.
        state: State,
        /// `started_at` as of that instant: where the clocks start.
        started_at: Timestamp,
        /// `target_launch_date` as of that instant.
        target_launch_date: Option<Timestamp>,
        /// From `started_at` to `as_of`, or to completion.
        elapsed_ms: i64,
        /// The part of `elapsed_ms` spent waiting on the customer (state `waiting`).
        waiting_ms: i64,
        /// `elapsed_ms - waiting_ms`: the SLA clock.
        sla_ms: i64,
        /// Elapsed time in each phase, summed over re-entries; the phases add up to `elapsed_ms`.
        time_in_phase_ms: ByPhase,
        /// When the current stint in the current phase began.
        current_phase_since: Timestamp,
        /// SLA time of the current stint (what "stalled" is measured on).
        current_phase_sla_ms: i64,
        /// The first instant at or beyond `launch`; null before.
        launched_at: Option<Timestamp>,
        /// Elapsed time from `started_at` to the launch; null before.
        time_to_launch_ms: Option<i64>,
        /// SLA time from `started_at` to the launch; null before.
        sla_time_to_launch_ms: Option<i64>,
        /// The first entry into `completed`; null before.
        completed_at: Option<Timestamp>,
        /// Launched at or before the target; null without a target or before the launch.
        on_time: Option<bool>,
        /// Not launched, and the target is before `as_of`.
        overdue: bool,
    }
}

mirror_record! {
    /// A workspace's onboardings as of an instant (`"object": "workspace_report"`): counts, rates
    /// in `[0, 1]`, days.
    WorkspaceReport => pivotal_core::WorkspaceReport {
        /// The instant of the report.
        as_of: Timestamp,
        /// The customer filter (canonical id), if any.
        customer_id: Option<String>,
        /// The CSM filter, if any.
        csm_id: Option<String>,
        /// The template filter, if any.
        template_id: Option<String>,
        /// The stalled threshold, in days, if any.
        stalled_after_days: Option<f64>,
        /// Onboardings covered: visible, created by `as_of`, matching the filters.
        total: i64,
        /// Covered onboardings by phase as of the instant.
        by_phase: ByPhase,
        /// Covered onboardings by state as of the instant.
        by_state: ByState,
        /// Launched (reached `launch` or beyond) by the instant.
        launched: i64,
        /// Launched, with a target launch date.
        launched_with_target: i64,
        /// Launched at or before their target.
        launched_on_time: i64,
        /// `launched_on_time / launched_with_target`; null when no launched onboarding has a target.
        on_time_rate: Option<f64>,
        /// Days from `started_at` to the launch (elapsed time).
        days_to_launch: LaunchDays,
        /// Days from `started_at` to the launch on the SLA clock (waiting left out).
        sla_days_to_launch: LaunchDays,
        /// Not launched, and the target launch date has passed.
        overdue: i64,
        /// Open (not `completed`) and either in state `at_risk` or overdue.
        at_risk: i64,
        /// Open, and the SLA time of the current stint in the current phase is above
        /// `stalled_after_days`; null without a threshold.
        stalled: Option<i64>,
    }
}

to_json!(
    ByPhase,
    ByState,
    LaunchDays,
    OnboardingMetrics,
    WorkspaceReport
);

mirror_record! {
    /// Parameters of `analytics_workspace`. Every field is optional.
    #[derive(Default)]
    WorkspaceReportParams => pivotal_core::WorkspaceReportParams {
        /// The instant of the report (default: now, by the store's clock).
        #[uniffi(default)]
        as_of: Option<Timestamp>,
        /// Only this customer's onboardings (id or display id).
        #[uniffi(default)]
        customer_id: Option<String>,
        /// Only onboardings whose CSM was this one at `as_of` (≤ 64 characters).
        #[uniffi(default)]
        csm_id: Option<String>,
        /// Only onboardings whose template was this one at `as_of` (≤ 64 characters).
        #[uniffi(default)]
        template_id: Option<String>,
        /// Count as stalled the open onboardings whose SLA time in their current phase is above
        /// this many days (0–36,500; fractions allowed). No count (`stalled` null) without it.
        #[uniffi(default)]
        stalled_after_days: Option<f64>,
    }
}

#[uniffi::export]
impl ByPhase {
    /// The number for `phase`.
    pub fn get(&self, phase: Phase) -> i64 {
        self.clone().into_core().get(phase.into_core())
    }

    /// The sum over every phase.
    pub fn total(&self) -> i64 {
        self.clone().into_core().total()
    }
}

#[uniffi::export]
impl ByState {
    /// The number for `state`.
    pub fn get(&self, state: State) -> i64 {
        self.clone().into_core().get(state.into_core())
    }

    /// The sum over every state.
    pub fn total(&self) -> i64 {
        self.clone().into_core().total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::OnboardingPatch;
    use crate::store::{FixedClock, PivotalStore};
    use crate::types::{CustomerParams, OnboardingParams};
    use crate::{onboarding_metrics_from_json, workspace_report_from_json};
    use chrono::Duration;
    use pivotal_core::model::time::parse_instant;
    use std::sync::Arc;

    const DAY: i64 = 86_400_000;

    fn t0() -> Timestamp {
        parse_instant("2024-01-01T00:00:00Z").unwrap()
    }

    fn at(ms: i64) -> Timestamp {
        t0() + Duration::milliseconds(ms)
    }

    fn store() -> (Arc<PivotalStore>, Arc<FixedClock>) {
        let clock = FixedClock::new(t0()).unwrap();
        let db = PivotalStore::open_in_memory(Some("t".into()), Some(clock.clone())).unwrap();
        (db, clock)
    }

    fn customer(db: &PivotalStore, name: &str) -> String {
        let params = CustomerParams {
            name: name.into(),
            ..Default::default()
        };
        db.create_customer(params, None).unwrap().id
    }

    #[test]
    fn onboarding_metrics_as_of_now_and_a_past_instant() {
        let (db, clock) = store();
        let params = OnboardingParams {
            customer_id: customer(&db, "Acme"),
            target_launch_date: Some(at(10 * DAY)),
            ..Default::default()
        };
        let o = db.create_onboarding(params, None).unwrap();
        let patch = |p: OnboardingPatch| db.update_onboarding(o.id.clone(), p).unwrap();
        clock.advance_ms(DAY).unwrap();
        patch(OnboardingPatch {
            phase: Some(Phase::ProgramDesign),
            ..Default::default()
        });
        clock.advance_ms(DAY).unwrap();
        patch(OnboardingPatch {
            waiting_on_customer: Some(true),
            ..Default::default()
        });
        clock.advance_ms(2 * DAY).unwrap();
        patch(OnboardingPatch {
            waiting_on_customer: Some(false),
            ..Default::default()
        });
        clock.advance_ms(DAY / 2).unwrap();

        let m = db.analytics_onboarding(o.id.clone(), None).unwrap();
        assert_eq!(m.as_of, at(9 * DAY / 2));
        assert_eq!((m.phase, m.state), (Phase::ProgramDesign, State::Active));
        assert_eq!(
            (m.elapsed_ms, m.waiting_ms, m.sla_ms),
            (9 * DAY / 2, 2 * DAY, 5 * DAY / 2)
        );
        assert_eq!(m.time_in_phase_ms.before_getting_started, DAY);
        assert_eq!(m.time_in_phase_ms.get(Phase::ProgramDesign), 7 * DAY / 2);
        assert_eq!(m.time_in_phase_ms.total(), m.elapsed_ms);
        assert_eq!(
            (m.current_phase_since, m.current_phase_sla_ms),
            (at(DAY), 3 * DAY / 2)
        );
        assert_eq!((m.launched_at, m.on_time, m.overdue), (None, None, false));

        let text = m.to_json().unwrap();
        assert!(text.starts_with(r#"{"object":"onboarding_metrics","onboarding_id":"#));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["as_of"], "2024-01-05T12:00:00.000Z");
        assert_eq!(json["time_in_phase_ms"]["program_design"], 7 * DAY / 2);
        assert_eq!(onboarding_metrics_from_json(text).unwrap(), m);

        let past = db
            .analytics_onboarding(o.display_id.to_string(), Some(at(3 * DAY)))
            .unwrap();
        assert_eq!(
            (past.state, past.elapsed_ms, past.waiting_ms),
            (State::Waiting, 3 * DAY, DAY)
        );
        for (reference, as_of) in [(o.id.clone(), Some(at(-1))), ("onb_missing".into(), None)] {
            let e = db.analytics_onboarding(reference, as_of).unwrap_err();
            assert!(
                matches!(e, PivotalError::NotFound { ref code, http_status: 404, .. } if code == "onboarding_not_found")
            );
        }
    }

    #[test]
    fn workspace_report_counts_rates_and_filters() {
        let (db, clock) = store();
        let (acme, beta) = (customer(&db, "Acme"), customer(&db, "Beta"));
        let create = |p: OnboardingParams| db.create_onboarding(p, None).unwrap();
        let a = create(OnboardingParams {
            customer_id: acme.clone(),
            phase: Some(Phase::InternalQa),
            target_launch_date: Some(at(3 * DAY)),
            csm_id: Some("csm_1".into()),
            ..Default::default()
        });
        let b = create(OnboardingParams {
            customer_id: acme.clone(),
            target_launch_date: Some(at(DAY)),
            ..Default::default()
        });
        create(OnboardingParams {
            customer_id: beta.clone(),
            state: Some(State::AtRisk),
            csm_id: Some("csm_2".into()),
            ..Default::default()
        });
        clock.advance_ms(2 * DAY).unwrap();
        let patch = |id: &str, p: OnboardingPatch| db.update_onboarding(id.into(), p).unwrap();
        patch(
            &a.id,
            OnboardingPatch {
                phase: Some(Phase::Launch),
                ..Default::default()
            },
        );
        patch(
            &b.id,
            OnboardingPatch {
                waiting_on_customer: Some(true),
                ..Default::default()
            },
        );
        clock.advance_ms(3 * DAY).unwrap();

        let r = db
            .analytics_workspace(WorkspaceReportParams {
                stalled_after_days: Some(2.5),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((r.as_of, r.total), (at(5 * DAY), 3));
        assert_eq!(
            r.by_phase,
            ByPhase {
                before_getting_started: 2,
                launch: 1,
                ..ByPhase::from_core(Default::default())
            }
        );
        assert_eq!(
            (r.by_state.active, r.by_state.waiting, r.by_state.at_risk),
            (1, 1, 1)
        );
        assert_eq!(r.by_state.get(State::Paused), 0);
        assert_eq!(
            (r.launched, r.launched_with_target, r.launched_on_time),
            (1, 1, 1)
        );
        assert_eq!(r.on_time_rate, Some(1.0));
        let two_days = LaunchDays {
            count: 1,
            median: Some(2.0),
            p90: Some(2.0),
        };
        assert_eq!(
            (r.days_to_launch.clone(), r.sla_days_to_launch.clone()),
            (two_days.clone(), two_days)
        );
        assert_eq!((r.overdue, r.at_risk, r.stalled), (1, 2, Some(2)));
        let text = r.to_json().unwrap();
        assert!(
            text.starts_with(r#"{"object":"workspace_report","as_of":"2024-01-06T00:00:00.000Z","#)
        );
        assert!(text.contains(r#""stalled_after_days":2.5,"#));
        assert_eq!(workspace_report_from_json(text).unwrap(), r);

        let beta_only = db
            .analytics_workspace(WorkspaceReportParams {
                customer_id: Some("2".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (beta_only.customer_id, beta_only.total, beta_only.stalled),
            (Some(beta), 1, None)
        );
        let early = db
            .analytics_workspace(WorkspaceReportParams {
                as_of: Some(at(DAY / 2)),
                csm_id: Some("csm_1".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (early.total, early.launched, early.on_time_rate),
            (1, 0, None)
        );
        assert_eq!(early.days_to_launch.median, None);

        for (params, code, field) in [
            (
                WorkspaceReportParams {
                    customer_id: Some("cus_missing".into()),
                    ..Default::default()
                },
                "customer_not_found",
                "customer_id",
            ),
            (
                WorkspaceReportParams {
                    stalled_after_days: Some(-1.0),
                    ..Default::default()
                },
                "too_small",
                "stalled_after_days",
            ),
            (
                WorkspaceReportParams {
                    stalled_after_days: Some(f64::NAN),
                    ..Default::default()
                },
                "invalid_type",
                "stalled_after_days",
            ),
        ] {
            let e = db.analytics_workspace(params).unwrap_err().info();
            assert_eq!((e.code.as_str(), e.field.as_deref()), (code, Some(field)));
        }
    }
}
