//! Analytics through the API, on both stores, against hand-computed expectations.
//!
//! One workspace lives through 26 days (clock fixed, moved day by day); the expectations below
//! were worked out by hand from this timeline (d = day, from 2024-01-01T00:00:00Z):
//!
//! - A (Globex, target d30, CSM a, template 1): created d0 in `before_getting_started`;
//!   `program_design` d1; waits d2–d3; waits again d5–d8, across the move to `review` on d6;
//!   back to `program_design` d10 (a regression, with a reason); `review` d12;
//!   `program_buildout` d13; paused d16 by the churn rule (Globex churned); resumed d18;
//!   `internal_qa` d19; `launch` d20; `completed` d25.
//! - B (Acme, no target, CSM a until d21, then b): created d0 in `internal_qa`; `launch` d4.
//! - C (Acme, target d10): created d0, deleted d7 — left out.
//! - D (Initech, target d5): created d0; Initech deleted d9 — left out.
//! - E (Acme, target d1, CSM b, template 1): imported d2 in `review` with `started_at` d−8;
//!   never launches (overdue from d1).
//! - F (Acme, CSM b): created d3 in state `at_risk`.

use super::WorkspaceReportParams;
use crate::error::ErrorCode;
use crate::model::time::{from_unix_ms, FixedClock};
use crate::model::{
    CustomerParams, CustomerPatch, CustomerStatus, OnboardingParams, OnboardingPatch, Patch, Phase,
    State, Timestamp,
};
use crate::store::{MemoryStore, SqliteStore, Store};
use crate::{OnboardingMetrics, Pivotal, WorkspaceReport};
use serde_json::{json, Value};
use std::sync::Arc;

const DAY: i64 = 86_400_000;
/// 2024-01-01T00:00:00.000Z.
const T0: i64 = 1_704_067_200_000;

fn day(d: f64) -> Timestamp {
    from_unix_ms(T0 + (d * DAY as f64).round() as i64).unwrap()
}

fn days(ms: i64) -> f64 {
    ms as f64 / DAY as f64
}

struct World {
    db: Pivotal,
    clock: Arc<FixedClock>,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

impl World {
    fn at(&self, d: f64) {
        self.clock.set(day(d));
    }

    fn update(&self, id: &str, patch: OnboardingPatch) {
        self.db.onboardings().update(id, patch).unwrap();
    }

    fn phase(&self, id: &str, phase: Phase, reason: Option<&str>) {
        self.update(
            id,
            OnboardingPatch {
                phase: Patch::Set(phase),
                reason: reason.map(Into::into),
                ..Default::default()
            },
        );
    }

    fn waiting(&self, id: &str, waiting: bool) {
        self.update(
            id,
            OnboardingPatch {
                waiting_on_customer: Patch::Set(waiting),
                ..Default::default()
            },
        );
    }

    fn metrics(&self, id: &str, as_of: Option<f64>) -> OnboardingMetrics {
        self.db.analytics().onboarding(id, as_of.map(day)).unwrap()
    }

    fn report(&self, params: WorkspaceReportParams) -> WorkspaceReport {
        self.db.analytics().workspace(&params).unwrap()
    }
}

fn customer(db: &Pivotal, name: &str) -> String {
    let params = CustomerParams {
        name: name.into(),
        ..Default::default()
    };
    db.customers().create(params, None).unwrap().id
}

fn onboarding(db: &Pivotal, params: OnboardingParams) -> String {
    db.onboardings().create(params, None).unwrap().id
}

/// Lives the timeline up to day 26 on `store`.
fn world(store: Box<dyn Store>) -> World {
    let clock = Arc::new(FixedClock::new(day(0.0)));
    let db = Pivotal::options()
        .actor("analytics")
        .clock(clock.clone())
        .id_seed(7)
        .with_store(store)
        .unwrap();
    let acme = customer(&db, "Acme");
    let globex = customer(&db, "Globex");
    let initech = customer(&db, "Initech");
    let a = onboarding(
        &db,
        OnboardingParams {
            customer_id: globex.clone(),
            target_launch_date: Some(day(30.0)),
            csm_id: Some("csm_a".into()),
            template_id: Some("tpl_1".into()),
            ..Default::default()
        },
    );
    let b = onboarding(
        &db,
        OnboardingParams {
            customer_id: acme.clone(),
            phase: Some(Phase::InternalQa),
            csm_id: Some("csm_a".into()),
            ..Default::default()
        },
    );
    let c = onboarding(
        &db,
        OnboardingParams {
            customer_id: acme.clone(),
            target_launch_date: Some(day(10.0)),
            ..Default::default()
        },
    );
    let d = onboarding(
        &db,
        OnboardingParams {
            customer_id: initech.clone(),
            target_launch_date: Some(day(5.0)),
            ..Default::default()
        },
    );
    let mut w = World {
        db,
        clock,
        a,
        b,
        c,
        d,
        e: String::new(),
    };
    let (a, b) = (w.a.clone(), w.b.clone());
    w.at(1.0);
    w.phase(&a, Phase::ProgramDesign, None);
    w.at(2.0);
    w.waiting(&a, true);
    w.e = onboarding(
        &w.db,
        OnboardingParams {
            customer_id: acme.clone(),
            phase: Some(Phase::Review),
            started_at: Some(day(-8.0)),
            target_launch_date: Some(day(1.0)),
            csm_id: Some("csm_b".into()),
            template_id: Some("tpl_1".into()),
            ..Default::default()
        },
    );
    w.at(3.0);
    w.waiting(&a, false);
    onboarding(
        &w.db,
        OnboardingParams {
            customer_id: acme.clone(),
            state: Some(State::AtRisk),
            csm_id: Some("csm_b".into()),
            ..Default::default()
        },
    );
    w.at(4.0);
    w.phase(&b, Phase::Launch, None);
    w.at(5.0);
    w.waiting(&a, true);
    w.at(6.0);
    w.phase(&a, Phase::Review, None);
    w.at(7.0);
    w.db.onboardings().delete(&w.c).unwrap();
    w.at(8.0);
    w.waiting(&a, false);
    w.at(9.0);
    w.db.customers().delete(&initech).unwrap();
    w.at(10.0);
    w.phase(&a, Phase::ProgramDesign, Some("the review found gaps"));
    w.at(12.0);
    w.phase(&a, Phase::Review, None);
    w.at(13.0);
    w.phase(&a, Phase::ProgramBuildout, None);
    w.at(16.0);
    let churned = CustomerPatch {
        status: Patch::Set(CustomerStatus::Churned),
        ..Default::default()
    };
    w.db.customers().update(&globex, churned).unwrap();
    w.at(18.0);
    w.update(
        &a,
        OnboardingPatch {
            state: Patch::Set(State::Active),
            ..Default::default()
        },
    );
    w.at(19.0);
    w.phase(&a, Phase::InternalQa, None);
    w.at(20.0);
    w.phase(&a, Phase::Launch, None);
    w.at(21.0);
    w.update(
        &b,
        OnboardingPatch {
            csm_id: Patch::Set("csm_b".into()),
            notes: Patch::Set("handed over".into()),
            ..Default::default()
        },
    );
    w.at(25.0);
    w.phase(&a, Phase::Completed, None);
    w.at(26.0);
    w
}

fn worlds() -> Vec<(&'static str, World)> {
    vec![
        ("memory", world(Box::new(MemoryStore::new()))),
        (
            "sqlite",
            world(Box::new(SqliteStore::open_in_memory().unwrap())),
        ),
    ]
}

fn phases(pairs: &[(Phase, f64)]) -> Value {
    let mut all = serde_json::Map::new();
    for p in Phase::ALL {
        let d = pairs.iter().find(|(q, _)| q == p).map_or(0.0, |(_, d)| *d);
        all.insert(p.as_str().into(), json!((d * DAY as f64) as i64));
    }
    Value::Object(all)
}

#[test]
fn one_onboarding_through_waits_a_regression_a_pause_and_completion() {
    for (store, w) in worlds() {
        // As of day 15, asked on day 26: phase and state come from the history.
        let m = w.metrics(&w.a, Some(15.0));
        assert_eq!(
            (m.phase, m.state),
            (Phase::ProgramBuildout, State::Active),
            "{store}"
        );
        assert_eq!(days(m.elapsed_ms), 15.0, "{store}");
        assert_eq!(days(m.waiting_ms), 4.0, "{store}");
        assert_eq!(days(m.sla_ms), 11.0, "{store}");
        assert_eq!(
            serde_json::to_value(m.time_in_phase_ms).unwrap(),
            phases(&[
                (Phase::BeforeGettingStarted, 1.0),
                (Phase::ProgramDesign, 7.0),
                (Phase::Review, 5.0),
                (Phase::ProgramBuildout, 2.0),
            ]),
            "{store}"
        );
        assert_eq!(m.current_phase_since, day(13.0), "{store}");
        assert_eq!(days(m.current_phase_sla_ms), 2.0, "{store}");
        assert_eq!(
            (m.launched_at, m.on_time, m.overdue, m.completed_at),
            (None, None, false, None),
            "{store}"
        );

        // Day 17: paused by the churn rule; a pause does not stop the SLA clock.
        let m = w.metrics(&w.a, Some(17.0));
        assert_eq!(
            (m.phase, m.state),
            (Phase::ProgramBuildout, State::Paused),
            "{store}"
        );
        assert_eq!(
            (days(m.sla_ms), days(m.current_phase_sla_ms)),
            (13.0, 4.0),
            "{store}"
        );

        // Now (day 26): completed on day 25, the clock stopped there.
        let m = w.metrics(&w.a, None);
        assert_eq!(m.as_of, day(26.0), "{store}");
        assert_eq!(
            (m.phase, m.state),
            (Phase::Completed, State::Active),
            "{store}"
        );
        assert_eq!(
            (days(m.elapsed_ms), days(m.waiting_ms), days(m.sla_ms)),
            (25.0, 4.0, 21.0),
            "{store}"
        );
        assert_eq!(
            serde_json::to_value(m.time_in_phase_ms).unwrap(),
            phases(&[
                (Phase::BeforeGettingStarted, 1.0),
                (Phase::ProgramDesign, 7.0),
                (Phase::Review, 5.0),
                (Phase::ProgramBuildout, 6.0),
                (Phase::InternalQa, 1.0),
                (Phase::Launch, 5.0),
            ]),
            "{store}"
        );
        assert_eq!(m.launched_at, Some(day(20.0)), "{store}");
        assert_eq!(m.time_to_launch_ms.map(days), Some(20.0), "{store}");
        assert_eq!(m.sla_time_to_launch_ms.map(days), Some(16.0), "{store}");
        assert_eq!(m.completed_at, Some(day(25.0)), "{store}");
        assert_eq!((m.on_time, m.overdue), (Some(true), false), "{store}");
        assert_eq!(
            (m.current_phase_since, m.current_phase_sla_ms),
            (day(25.0), 0)
        );
    }
}

#[test]
fn no_target_an_import_and_references() {
    for (store, w) in worlds() {
        // B: no target, so on-time is undefined; launched on day 4.
        let m = w.metrics(&w.b, Some(15.0));
        assert_eq!(
            (m.phase, m.launched_at),
            (Phase::Launch, Some(day(4.0))),
            "{store}"
        );
        assert_eq!(
            (m.on_time, m.overdue, m.target_launch_date),
            (None, false, None)
        );
        assert_eq!(m.time_to_launch_ms.map(days), Some(4.0), "{store}");
        assert_eq!(days(m.time_in_phase_ms.launch), 11.0, "{store}");
        // By display id too.
        let by_display =
            w.db.analytics()
                .onboarding(&m.display_id.to_string(), Some(day(15.0)));
        assert_eq!(by_display.unwrap(), m, "{store}");

        // E: imported on day 2, started on day -8: its first segment reaches back to day -8.
        let m = w.metrics(&w.e, Some(15.0));
        assert_eq!(m.started_at, day(-8.0), "{store}");
        assert_eq!(days(m.elapsed_ms), 23.0, "{store}");
        assert_eq!(days(m.time_in_phase_ms.review), 23.0, "{store}");
        assert_eq!(m.current_phase_since, day(-8.0), "{store}");
        assert_eq!((m.on_time, m.overdue), (None, true), "{store}");
        // It did not exist yet on day 1.
        let early = w.db.analytics().onboarding(&w.e, Some(day(1.0)));
        assert_eq!(
            early.unwrap_err().code,
            ErrorCode::OnboardingNotFound,
            "{store}"
        );

        // C was deleted, D's customer was: neither answers.
        for gone in [&w.c, &w.d] {
            let e = w.db.analytics().onboarding(gone, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::OnboardingNotFound, "{store}");
        }
    }
}

fn report_json(w: &World, params: WorkspaceReportParams) -> Value {
    serde_json::to_value(w.report(params)).unwrap()
}

#[test]
fn the_workspace_as_of_day_15_and_now() {
    for (store, w) in worlds() {
        let day15 = report_json(
            &w,
            WorkspaceReportParams {
                as_of: Some(day(15.0)),
                stalled_after_days: Some(10.0),
                ..Default::default()
            },
        );
        let want = json!({
            "object": "workspace_report",
            "as_of": "2024-01-16T00:00:00.000Z",
            "customer_id": null, "csm_id": null, "template_id": null,
            "stalled_after_days": 10.0,
            "total": 4,
            "by_phase": {"before_getting_started": 1, "program_design": 0, "review": 1,
                         "program_buildout": 1, "internal_qa": 0, "launch": 1, "completed": 0},
            "by_state": {"active": 3, "paused": 0, "at_risk": 1, "waiting": 0},
            "launched": 1, "launched_with_target": 0, "launched_on_time": 0,
            "on_time_rate": null,
            "days_to_launch": {"count": 1, "median": 4.0, "p90": 4.0},
            "sla_days_to_launch": {"count": 1, "median": 4.0, "p90": 4.0},
            "overdue": 1,
            "at_risk": 2,
            "stalled": 3,
        });
        assert_eq!(day15, want, "{store}");

        let now = report_json(
            &w,
            WorkspaceReportParams {
                stalled_after_days: Some(10.0),
                ..Default::default()
            },
        );
        let want = json!({
            "object": "workspace_report",
            "as_of": "2024-01-27T00:00:00.000Z",
            "customer_id": null, "csm_id": null, "template_id": null,
            "stalled_after_days": 10.0,
            "total": 4,
            "by_phase": {"before_getting_started": 1, "program_design": 0, "review": 1,
                         "program_buildout": 0, "internal_qa": 0, "launch": 1, "completed": 1},
            "by_state": {"active": 3, "paused": 0, "at_risk": 1, "waiting": 0},
            "launched": 2, "launched_with_target": 1, "launched_on_time": 1,
            "on_time_rate": 1.0,
            // [4, 20] days: median 12, p90 4 + 0.9 × 16; SLA [4, 16]: 10 and 4 + 0.9 × 12.
            "days_to_launch": {"count": 2, "median": 12.0, "p90": 18.4},
            "sla_days_to_launch": {"count": 2, "median": 10.0, "p90": 14.8},
            "overdue": 1,
            "at_risk": 2,
            "stalled": 3,
        });
        assert_eq!(now, want, "{store}");

        // Without a threshold, no stalled count.
        assert_eq!(
            report_json(&w, WorkspaceReportParams::default())["stalled"],
            Value::Null
        );
        // Before anything existed.
        let empty = w.report(WorkspaceReportParams {
            as_of: Some(day(-1.0)),
            ..Default::default()
        });
        assert_eq!(
            (empty.total, empty.days_to_launch.median),
            (0, None),
            "{store}"
        );
    }
}

#[test]
fn filters_use_the_values_as_of_the_instant() {
    for (store, w) in worlds() {
        let count = |params: WorkspaceReportParams| w.report(params).total;
        let csm_a = |as_of: f64| WorkspaceReportParams {
            as_of: Some(day(as_of)),
            csm_id: Some("csm_a".into()),
            ..Default::default()
        };
        // B moved from CSM a to CSM b on day 21.
        assert_eq!((count(csm_a(15.0)), count(csm_a(26.0))), (2, 1), "{store}");
        let tpl = WorkspaceReportParams {
            template_id: Some("tpl_1".into()),
            ..Default::default()
        };
        assert_eq!(count(tpl), 2, "{store}");
        let acme = w.db.customers().list(&Default::default()).unwrap().data;
        let acme = acme.iter().find(|c| c.name == "Acme").unwrap();
        for reference in [acme.id.clone(), acme.display_id.to_string()] {
            let r = w.report(WorkspaceReportParams {
                customer_id: Some(reference),
                ..Default::default()
            });
            assert_eq!(
                (r.total, r.customer_id.as_deref()),
                (3, Some(acme.id.as_str()))
            );
        }
    }
}

#[test]
fn bad_parameters_are_refused_with_the_field() {
    let w = world(Box::new(MemoryStore::new()));
    let refused = |params: WorkspaceReportParams| {
        let e = w.db.analytics().workspace(&params).unwrap_err();
        (e.code, e.field)
    };
    let stalled = |d: f64| WorkspaceReportParams {
        stalled_after_days: Some(d),
        ..Default::default()
    };
    let field = Some("stalled_after_days".to_owned());
    assert_eq!(refused(stalled(-0.5)), (ErrorCode::TooSmall, field.clone()));
    assert_eq!(
        refused(stalled(f64::NAN)),
        (ErrorCode::InvalidType, field.clone())
    );
    assert_eq!(
        refused(stalled(f64::INFINITY)),
        (ErrorCode::InvalidType, field.clone())
    );
    assert_eq!(refused(stalled(36_501.0)), (ErrorCode::TooLarge, field));
    let gone = WorkspaceReportParams {
        customer_id: Some("cus_doesnotexist0000000".into()),
        ..Default::default()
    };
    assert_eq!(
        refused(gone),
        (ErrorCode::CustomerNotFound, Some("customer_id".to_owned()))
    );
    let long = WorkspaceReportParams {
        csm_id: Some("x".repeat(65)),
        ..Default::default()
    };
    assert_eq!(
        refused(long),
        (ErrorCode::TooLong, Some("csm_id".to_owned()))
    );
    // A threshold of 0 days counts every open onboarding with any SLA time in its phase.
    let zero = w.report(stalled(0.0));
    assert_eq!(
        (zero.stalled, zero.stalled_after_days),
        (Some(3), Some(0.0))
    );
}

#[test]
fn history_records_each_change_of_an_analytics_field_and_nothing_else() {
    for (store, w) in worlds() {
        let history = |id: &str| {
            let scope = w.db.scope.clone();
            w.db.engine
                .read_with(|tx| tx.onboarding_history(&scope, id))
                .unwrap()
        };
        let b = history(&w.b);
        // Created, launched, CSM changed (the notes alone would have written nothing).
        let seen: Vec<(i64, Option<Phase>, Phase, Option<String>)> = b
            .iter()
            .map(|e| {
                (
                    e.seq,
                    e.previous_phase,
                    e.snapshot.phase,
                    e.snapshot.csm_id.clone(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, None, Phase::InternalQa, Some("csm_a".into())),
                (
                    1,
                    Some(Phase::InternalQa),
                    Phase::Launch,
                    Some("csm_a".into())
                ),
                (2, Some(Phase::Launch), Phase::Launch, Some("csm_b".into())),
            ],
            "{store}"
        );
        let intervals: Vec<_> = b.iter().map(|e| (e.at, e.until)).collect();
        assert_eq!(
            intervals,
            vec![
                (day(0.0), Some(day(4.0))),
                (day(4.0), Some(day(21.0))),
                (day(21.0), None)
            ],
            "{store}"
        );
        // A: creation + 14 changes of phase or state.
        assert_eq!(history(&w.a).len(), 15, "{store}");
        let before = history(&w.b).len();
        w.update(
            &w.b,
            OnboardingPatch {
                notes: Patch::Set("nothing analytics reads".into()),
                ..Default::default()
            },
        );
        assert_eq!(history(&w.b).len(), before, "{store}");
    }
}

/// The same life on both stores gives the same metrics and reports, whatever the instant and the
/// filters.
#[test]
fn both_stores_agree_at_every_instant() {
    let all = worlds();
    let (_, memory) = &all[0];
    let (_, sqlite) = &all[1];
    let ids = [&memory.a, &memory.b, &memory.e];
    for half_days in -2..=54 {
        let d = half_days as f64 / 2.0;
        for id in ids {
            let m = memory.db.analytics().onboarding(id, Some(day(d)));
            let s = sqlite.db.analytics().onboarding(id, Some(day(d)));
            assert_eq!(m, s, "{id} as of day {d}");
        }
        for (csm, stalled) in [(None, Some(3.0)), (Some("csm_b"), Some(0.5)), (None, None)] {
            let params = WorkspaceReportParams {
                as_of: Some(day(d)),
                csm_id: csm.map(Into::into),
                stalled_after_days: stalled,
                ..Default::default()
            };
            assert_eq!(
                memory.report(params.clone()),
                sqlite.report(params),
                "report as of day {d}"
            );
        }
    }
}
