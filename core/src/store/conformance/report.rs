//! Conformance checks of the workspace report: worked out by hand, and against the reference.

use super::fixtures::{add_customer, add_with_history, d, history, read, setup, t, write, DAY};
use crate::analytics::{
    ByPhase, ByState, NewHistoryEntry, RankSample, ReportQuery, ReportTotals, Snapshot,
};
use crate::error::Result;
use crate::model::{Customer, Phase, State};
use crate::store::{Scope, Store, Tx};

fn report(store: &dyn Store, scope: &Scope, query: &ReportQuery) -> ReportTotals {
    read(store, |tx| tx.onboarding_report(scope, query))
}

fn ranks(count: i64, values: &[(i64, i64)]) -> RankSample {
    RankSample {
        count,
        values: values.iter().copied().collect(),
    }
}

/// The report over a small workspace, worked out by hand: visibility (deleted onboardings and
/// customers, scope, creation after the instant), values as of the instant, launch, on time,
/// overdue, at risk, stalled on the SLA clock, launch-duration ranks, filters.
pub fn check_report_hand_computed(store: &dyn Store) {
    let (scope, test, other) = setup(store);
    let (c1, c3) = add_report_workspace(store, &scope, &test, &other);
    let query = ReportQuery {
        as_of: d(8),
        customer_id: None,
        csm_id: None,
        template_id: None,
        stalled_after_ms: Some(DAY),
    };
    assert_eq!(report(store, &scope, &query), as_of_day_8(), "as of day 8");

    // A stricter threshold: only o2 and o6 (o1 has 2 SLA days in launch).
    let strict = ReportQuery {
        stalled_after_ms: Some(2 * DAY),
        ..query.clone()
    };
    assert_eq!(report(store, &scope, &strict).stalled, 2);
    let none = ReportQuery {
        stalled_after_ms: None,
        ..query.clone()
    };
    assert_eq!(report(store, &scope, &none).stalled, 0);
    assert_report_filters(store, &scope, &query, &c1, &c3);
    assert_report_early_and_empty(store, &scope, &query);
    // Every store agrees with the reference computation on this data too.
    assert_matches_reference(store, &scope, &[&query, &strict, &none]);
}

/// The store's report equals the reference computation for each of `queries`.
#[track_caller]
fn assert_matches_reference(store: &dyn Store, scope: &Scope, queries: &[&ReportQuery]) {
    for q in queries {
        let reference = read(store, |tx| crate::store::reference_report(tx, scope, q));
        assert_eq!(report(store, scope, q), reference, "{q:?}");
    }
}

/// `e` with `f` applied to its snapshot.
fn with(mut e: NewHistoryEntry, f: &dyn Fn(&mut Snapshot)) -> NewHistoryEntry {
    f(&mut e.snapshot);
    e
}

/// Sets the target launch date to day `days`.
fn target(days: i64) -> impl Fn(&mut Snapshot) {
    move |s: &mut Snapshot| s.target_launch_date = Some(d(days))
}

/// The workspace of [`check_report_hand_computed`]; returns customers 1 and 3.
fn add_report_workspace(
    store: &dyn Store,
    scope: &Scope,
    test: &Scope,
    other: &Scope,
) -> (Customer, Customer) {
    use Phase::*;
    use State::*;
    write(store, |tx| {
        let c1 = add_customer(tx, scope, "cus_one00000000000000000", t(0))?;
        let c2 = add_customer(tx, scope, "cus_two00000000000000000", t(0))?;
        let c3 = add_customer(tx, scope, "cus_three000000000000000", t(0))?;
        add_report_o1(tx, scope, &c1)?;
        add_report_counted(tx, scope, &c1, &c3)?;
        // Left out: deleted (o3), deleted customer (o4), created after the instant (o5),
        // another mode, another workspace.
        let gone = [history("", d(0), None, Launch, Active)];
        let o3 = add_with_history(tx, scope, "onb_three000000000000000", &c1.id, &gone)?;
        tx.delete_onboarding(scope, &o3.id, d(1))?;
        add_with_history(tx, scope, "onb_four0000000000000000", &c2.id, &gone)?;
        tx.delete_customer(scope, &c2.id, d(1))?;
        let late = [history("", d(9), None, Launch, Active)];
        add_with_history(tx, scope, "onb_five0000000000000000", &c1.id, &late)?;
        let ct = add_customer(tx, test, "cus_one00000000000000000", t(0))?;
        add_with_history(tx, test, "onb_one00000000000000000", &ct.id, &gone)?;
        let cb = add_customer(tx, other, "cus_one00000000000000000", t(0))?;
        add_with_history(tx, other, "onb_one00000000000000000", &cb.id, &gone)?;
        Ok((c1, c3))
    })
}

/// o1 of [`check_report_hand_computed`], of customer `c1`.
fn add_report_o1(tx: &mut dyn Tx, scope: &Scope, c1: &Customer) -> Result<()> {
    use Phase::*;
    use State::*;
    // o1: design from day 2, waiting days 3–5, skips to launch on day 6; CSM x, then y
    // from day 4; target day 10. As of day 8: launched on day 6 (6 days, 4 on the SLA
    // clock), on time; its launch stint has 2 SLA days.
    let x = |s: &mut Snapshot| {
        s.target_launch_date = Some(d(10));
        s.csm_id = Some("csm_x".to_owned());
    };
    let y = |s: &mut Snapshot| {
        s.target_launch_date = Some(d(10));
        s.csm_id = Some("csm_y".to_owned());
    };
    add_with_history(
        tx,
        scope,
        "onb_one00000000000000000",
        &c1.id,
        &[
            with(history("", d(0), None, BeforeGettingStarted, Active), &x),
            with(
                history("", d(2), Some(BeforeGettingStarted), ProgramDesign, Active),
                &x,
            ),
            with(
                history("", d(3), Some(ProgramDesign), ProgramDesign, Waiting),
                &x,
            ),
            with(
                history("", d(4), Some(ProgramDesign), ProgramDesign, Waiting),
                &y,
            ),
            with(
                history("", d(5), Some(ProgramDesign), ProgramDesign, Active),
                &y,
            ),
            with(history("", d(6), Some(ProgramDesign), Launch, Active), &y),
        ],
    )?;
    Ok(())
}

/// o2, o6 (customer 1) and o7 (customer 3) of [`check_report_hand_computed`].
fn add_report_counted(tx: &mut dyn Tx, scope: &Scope, c1: &Customer, c3: &Customer) -> Result<()> {
    use Phase::*;
    use State::*;
    // o2: created on day 1 directly in launch, no target: launched at once (0 days); its
    // first stint has 7 SLA days by day 8.
    let mut o2 = history("", d(1), None, Launch, Active);
    o2.snapshot.started_at = d(1);
    add_with_history(tx, scope, "onb_two00000000000000000", &c1.id, &[o2])?;
    // o6: at risk from creation, target day 7, never launches: overdue and at risk (once).
    add_with_history(
        tx,
        scope,
        "onb_six00000000000000000",
        &c1.id,
        &[with(
            history("", d(0), None, BeforeGettingStarted, AtRisk),
            &target(7),
        )],
    )?;
    // o7 (customer 3): internal QA, skips to completed on day 1 (its launch), target day 0:
    // late; closed, so neither at risk nor stalled.
    add_with_history(
        tx,
        scope,
        "onb_seven000000000000000",
        &c3.id,
        &[
            with(history("", d(0), None, InternalQa, Active), &target(0)),
            with(
                history("", d(1), Some(InternalQa), Completed, Active),
                &target(0),
            ),
        ],
    )?;
    Ok(())
}

/// The report of [`check_report_hand_computed`] as of day 8, worked out by hand.
fn as_of_day_8() -> ReportTotals {
    ReportTotals {
        total: 4,
        by_phase: ByPhase {
            before_getting_started: 1,
            launch: 2,
            completed: 1,
            ..ByPhase::default()
        },
        by_state: ByState {
            active: 3,
            at_risk: 1,
            ..ByState::default()
        },
        launched: 3,
        launched_with_target: 2,
        launched_on_time: 1,
        overdue: 1,
        at_risk: 1,
        // o1 (2 SLA days in launch), o2 (7), o6 (8).
        stalled: 3,
        // [0, 1, 6] days: the median and the 90th percentile need ranks 1 and 2.
        time_to_launch: ranks(3, &[(1, DAY), (2, 6 * DAY)]),
        sla_time_to_launch: ranks(3, &[(1, DAY), (2, 4 * DAY)]),
    }
}

/// The report's filters by customer, by CSM as of the instant and by template, each agreeing
/// with the reference computation.
#[track_caller]
fn assert_report_filters(
    store: &dyn Store,
    scope: &Scope,
    query: &ReportQuery,
    c1: &Customer,
    c3: &Customer,
) {
    // Filters: the customer; the CSM as of the instant (o1 was x until day 4, then y).
    let of_customer = |id: &str| ReportQuery {
        customer_id: Some(id.to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &of_customer(&c1.id)).total, 3);
    assert_eq!(report(store, scope, &of_customer(&c3.id)).total, 1);
    assert_eq!(
        report(store, scope, &of_customer("cus_two00000000000000000")).total,
        0
    );
    let csm = |id: &str, days: i64| ReportQuery {
        as_of: d(days),
        csm_id: Some(id.to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &csm("csm_y", 8)).total, 1);
    assert_eq!(report(store, scope, &csm("csm_x", 8)).total, 0);
    assert_eq!(report(store, scope, &csm("csm_x", 3)).total, 1);
    let template = ReportQuery {
        template_id: Some("tpl".to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &template).total, 0);

    assert_matches_reference(store, scope, &[&of_customer(&c1.id), &csm("csm_x", 3)]);
}

/// The report as of day 3, before day 0, and of an empty scope.
#[track_caller]
fn assert_report_early_and_empty(store: &dyn Store, scope: &Scope, query: &ReportQuery) {
    // As of day 3, waiting: o1 in design, not launched; o7 completed; o2 launched.
    let early = report(
        store,
        scope,
        &ReportQuery {
            as_of: d(3),
            ..query.clone()
        },
    );
    assert_eq!(
        (early.total, early.by_state.active, early.by_state.waiting),
        (4, 2, 1)
    );
    assert_eq!((early.launched, early.overdue, early.at_risk), (2, 0, 1));
    // Nothing before day 0; an empty scope.
    let before = ReportQuery {
        as_of: t(-1),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &before), ReportTotals::default());
    let empty = Scope {
        workspace_id: "org_nothinghere000000000".to_owned(),
        livemode: true,
    };
    assert_eq!(report(store, &empty, query), ReportTotals::default());
}

/// On random workspaces — random phases and states in any order, `started_at` before or after
/// the creation, targets, CSMs, templates, deletions, instants recorded out of order — the
/// store's report equals the reference computation, for many instants and filters.
pub fn check_report_matches_reference(store: &dyn Store) {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let (scope, test, _) = setup(store);
    let mut rng = StdRng::seed_from_u64(0x05EE_DA11);
    let pick = |rng: &mut StdRng, n: usize| rng.random_range(0..n);
    let customers = write(store, |tx| {
        let mut customers = Vec::new();
        for (i, s) in [&scope, &scope, &scope, &test].into_iter().enumerate() {
            let id = format!("cus_rand{i:016}");
            customers.push((s.clone(), add_customer(tx, s, &id, t(0))?.id));
        }
        Ok(customers)
    });
    let deleted_customer = customers[2].1.clone();
    write(store, |tx| {
        for n in 0..120 {
            let (s, customer) = &customers[pick(&mut rng, customers.len())];
            let entries = random_history(&mut rng);
            let id = format!("onb_rand{n:016}");
            add_with_history(tx, s, &id, customer, &entries)?;
            if pick(&mut rng, 8) == 0 {
                tx.delete_onboarding(s, &id, t(0))?;
            }
        }
        tx.delete_customer(&scope, &deleted_customer, t(0))
    });
    let mut compared = 0;
    for half_days in -6..90 {
        let as_of = t(half_days * DAY / 2 + 333);
        for (customer, csm, template, stalled) in [
            (None, None, None, Some(DAY)),
            (None, None, None, None),
            (Some(&customers[0].1), None, None, Some(3 * DAY)),
            (None, Some("csm_a"), None, Some(0)),
            (None, None, Some("tpl_2"), Some(DAY / 2)),
            (
                Some(&customers[1].1),
                Some("csm_b"),
                Some("tpl_1"),
                Some(5 * DAY),
            ),
        ] {
            let query = ReportQuery {
                as_of,
                customer_id: customer.cloned(),
                csm_id: csm.map(str::to_owned),
                template_id: template.map(str::to_owned),
                stalled_after_ms: stalled,
            };
            for s in [&scope, &test] {
                let (got, want) = read(store, |tx| {
                    let got = tx.onboarding_report(s, &query)?;
                    let want = crate::store::reference_report(tx, s, &query)?;
                    Ok((got, want))
                });
                assert_eq!(got, want, "{query:?} in {s:?}");
                compared += usize::from(got.total > 0);
            }
        }
    }
    assert!(compared > 300, "only {compared} non-empty reports compared");
}

/// A random history of one onboarding: random phases and states in any order, `started_at`
/// before or after the creation, targets, CSMs, templates, instants now and then out of order.
fn random_history(rng: &mut rand::rngs::StdRng) -> Vec<NewHistoryEntry> {
    use rand::{rngs::StdRng, Rng};
    let pick = |rng: &mut StdRng, n: usize| rng.random_range(0..n);
    let csms = [None, Some("csm_a"), Some("csm_b")];
    let templates = [None, Some("tpl_1"), Some("tpl_2")];
    let mut at = rng.random_range(-5..40) * DAY / 2 + rng.random_range(0..1000);
    let mut snapshot = Snapshot {
        phase: Phase::ALL[pick(rng, Phase::ALL.len())],
        state: State::ALL[pick(rng, State::ALL.len())],
        started_at: t(at + rng.random_range(-20..5) * DAY / 2),
        target_launch_date: rng
            .random_bool(0.7)
            .then(|| t(rng.random_range(0..60) * DAY / 2)),
        csm_id: csms[pick(rng, 3)].map(str::to_owned),
        template_id: templates[pick(rng, 3)].map(str::to_owned),
    };
    let mut entries = vec![NewHistoryEntry {
        onboarding_id: String::new(),
        at: t(at),
        previous_phase: None,
        snapshot: snapshot.clone(),
    }];
    for _ in 0..pick(rng, 12) {
        // Mostly forward in time; now and then the same instant or a step back.
        at += match pick(rng, 10) {
            0 => 0,
            1 => -rng.random_range(1..DAY),
            _ => rng.random_range(1..4 * DAY),
        };
        let previous_phase = Some(snapshot.phase);
        match pick(rng, 6) {
            0 | 1 => snapshot.phase = Phase::ALL[pick(rng, Phase::ALL.len())],
            2 | 3 => snapshot.state = State::ALL[pick(rng, State::ALL.len())],
            4 => snapshot.csm_id = csms[pick(rng, 3)].map(str::to_owned),
            _ => snapshot.started_at = t(at - rng.random_range(0..10) * DAY),
        }
        entries.push(NewHistoryEntry {
            onboarding_id: String::new(),
            at: t(at),
            previous_phase,
            snapshot: snapshot.clone(),
        });
    }
    entries
}
