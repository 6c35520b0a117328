//! Conformance checks of the onboarding history the analytics read.

use super::fixtures::{add_customer, add_onboarding, d, history, read, setup, t, ts, write};
use super::support::{assert_fails, assert_same};
use crate::analytics::{HistoryEntry, NewHistoryEntry, Snapshot};
use crate::error::Error;
use crate::model::{Phase, State, Timestamp};
use crate::store::{Scope, Store, StoreExt};

/// History entries get `seq` 0, 1, 2, … per onboarding, each closing the previous one at its
/// instant; they come back in `seq` order with every field intact, per onboarding and per scope;
/// an entry for an onboarding that does not exist in the scope is refused.
pub fn check_history_append_and_read(store: &dyn Store) {
    let (scope, test, other) = setup(store);
    let (o1, o2, t1) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o1 = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        let o2 = add_onboarding(tx, &scope, "onb_two00000000000000000", &c.id, t(0))?;
        let ct = add_customer(tx, &test, "cus_parent00000000000000", t(0))?;
        let t1 = add_onboarding(tx, &test, "onb_one00000000000000000", &ct.id, t(0))?;
        Ok((o1, o2, t1))
    });
    let rich = rich_history(&o1.id);
    let second = history(
        &o1.id,
        d(2),
        Some(Phase::Review),
        Phase::Launch,
        State::Active,
    );
    let third = history(
        &o1.id,
        d(1),
        Some(Phase::Launch),
        Phase::Launch,
        State::Paused,
    );
    let other_onboarding = history(&o2.id, d(1), None, Phase::Completed, State::AtRisk);
    let test_mode_entry = history(&t1.id, d(3), None, Phase::ProgramDesign, State::Active);
    let stored = write(store, |tx| {
        let a = tx.append_history(&scope, rich.clone())?;
        let b = tx.append_history(&scope, other_onboarding.clone())?;
        let c = tx.append_history(&scope, second.clone())?;
        let e = tx.append_history(&test, test_mode_entry.clone())?;
        Ok((a, b, c, e))
    });
    assert_eq!(stored.0, HistoryEntry::new(rich.clone(), 0));
    assert_eq!(stored.1, HistoryEntry::new(other_onboarding.clone(), 0));
    assert_eq!(stored.2, HistoryEntry::new(second.clone(), 1));
    assert_eq!(stored.3, HistoryEntry::new(test_mode_entry.clone(), 0));
    // A later transaction continues the numbering; an earlier instant is kept as given.
    let last = write(store, |tx| tx.append_history(&scope, third.clone()));
    assert_eq!(last, HistoryEntry::new(third.clone(), 2));

    let closed = |entry: &NewHistoryEntry, seq: i64, until: Option<Timestamp>| HistoryEntry {
        until,
        ..HistoryEntry::new(entry.clone(), seq)
    };
    read(store, |tx| {
        assert_same(
            &tx.onboarding_history(&scope, &o1.id)?,
            &vec![
                closed(&rich, 0, Some(d(2))),
                closed(&second, 1, Some(d(1))),
                closed(&third, 2, None),
            ],
            "history in seq order, each closed by the next",
        );
        assert_same(
            &tx.onboarding_history(&scope, &o2.id)?,
            &vec![closed(&other_onboarding, 0, None)],
            "another onboarding's history",
        );
        assert_same(
            &tx.onboarding_history(&test, &t1.id)?,
            &vec![closed(&test_mode_entry, 0, None)],
            "the same id in test mode",
        );
        assert!(tx.onboarding_history(&other, &o1.id)?.is_empty());
        assert!(tx.onboarding_history(&scope, "onb_missing")?.is_empty());
        Ok(())
    });
    assert_history_refused(store, &scope, &other, &o1.id, &third);
    // A deleted onboarding keeps its history.
    write(store, |tx| tx.delete_onboarding(&scope, &o2.id, d(5)));
    assert_eq!(
        read(store, |tx| tx.onboarding_history(&scope, &o2.id)).len(),
        1
    );
}

/// A first history entry of `onboarding_id` with every snapshot field set, at the edges of the
/// time range and in unicode.
fn rich_history(onboarding_id: &str) -> NewHistoryEntry {
    let mut rich = history(onboarding_id, d(0), None, Phase::Review, State::Waiting);
    rich.snapshot = Snapshot {
        phase: Phase::Review,
        state: State::Waiting,
        started_at: ts("1969-12-31T23:59:59.999Z"),
        target_launch_date: Some(ts("9999-12-31T23:59:59.999Z")),
        csm_id: Some("Zoë 東京 🚀".to_owned()),
        template_id: Some("tpl_✓".to_owned()),
    };
    rich
}

/// History is refused for a missing onboarding, another workspace's (`o1_id` seen from
/// `other`), and in a read transaction.
#[track_caller]
fn assert_history_refused(
    store: &dyn Store,
    scope: &Scope,
    other: &Scope,
    o1_id: &str,
    third: &NewHistoryEntry,
) {
    assert_fails(
        store.write_with(|tx| {
            tx.append_history(
                scope,
                history("onb_missing", d(1), None, Phase::Review, State::Active),
            )
        }),
        "history of a missing onboarding",
    );
    assert_fails(
        store.write_with(|tx| {
            tx.append_history(
                other,
                history(o1_id, d(1), None, Phase::Review, State::Active),
            )
        }),
        "history of another workspace's onboarding",
    );
    assert_fails(
        store.read_with(|tx| tx.append_history(scope, third.clone())),
        "appending history in a read transaction",
    );
}

/// A rolled-back append leaves no entry, and the entry it closed open again; numbering goes on
/// from the committed state.
pub fn check_history_rollback(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let o = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        tx.append_history(
            &scope,
            history(
                &o.id,
                d(0),
                None,
                Phase::BeforeGettingStarted,
                State::Active,
            ),
        )?;
        Ok(o)
    });
    let before = read(store, |tx| tx.onboarding_history(&scope, &o.id));
    let outcome = store.write_with(|tx| {
        let entry = history(
            &o.id,
            d(1),
            Some(Phase::BeforeGettingStarted),
            Phase::ProgramDesign,
            State::Active,
        );
        tx.append_history(&scope, entry.clone())?;
        tx.append_history(&scope, entry)?;
        Err::<(), _>(Error::internal("roll back"))
    });
    assert_fails(outcome, "the rolled-back transaction");
    assert_eq!(
        read(store, |tx| tx.onboarding_history(&scope, &o.id)),
        before
    );
    let next = write(store, |tx| {
        tx.append_history(
            &scope,
            history(
                &o.id,
                d(2),
                Some(Phase::BeforeGettingStarted),
                Phase::Review,
                State::Active,
            ),
        )
    });
    assert_eq!((next.seq, next.until), (1, None));
    let all = read(store, |tx| tx.onboarding_history(&scope, &o.id));
    assert_eq!(all[0].until, Some(d(2)));
}
