//! Conformance checks of onboardings: round trips, updates, deletes.

use super::fixtures::{
    add_customer, add_onboarding, bare_onboarding, full_onboarding, page, read, setup, t, write,
    ALL, WS_A,
};
use super::support::{assert_fails, assert_same, list_order};
use crate::model::{Phase, State};
use crate::store::{DisplayKind, OnboardingFilter, Store, StoreExt};

/// Onboardings come back exactly as inserted, bare, full, and in every phase and state.
pub fn check_onboarding_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let onboardings = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let mut all = vec![
            bare_onboarding("onb_bare0000000000000000", 0, &c.id, t(1)),
            full_onboarding("onb_full0000000000000000", 0, &c.id, t(2)),
        ];
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let mut o = bare_onboarding(&format!("onb_phase{i:015}"), 0, &c.id, t(3));
            o.phase = *phase;
            all.push(o);
        }
        for (i, state) in State::ALL.iter().enumerate() {
            let mut o = full_onboarding(&format!("onb_state{i:015}"), 0, &c.id, t(4));
            o.state = *state;
            all.push(o);
        }
        for o in &mut all {
            o.display_id = tx.next_display_id(WS_A, DisplayKind::Onboarding)?;
            tx.insert_onboarding(&scope, o)?;
        }
        Ok(all)
    });
    read(store, |tx| {
        for o in &onboardings {
            assert_same(
                &tx.onboarding(&scope, &o.id)?,
                &Some(o.clone()),
                "onboarding by id",
            );
            assert_same(
                &tx.onboarding_by_display_id(&scope, o.display_id)?,
                &Some(o.clone()),
                "onboarding by display id",
            );
        }
        let listed = tx.list_onboardings(&scope, &OnboardingFilter::default(), &page(ALL))?;
        assert_same(
            &listed,
            &list_order(onboardings.clone()),
            "onboardings list",
        );
        assert_eq!(tx.onboarding(&scope, "onb_missing")?, None);
        Ok(())
    });
}

/// An onboarding update replaces every field and moves it between filters; a deleted onboarding
/// is gone and cannot be changed.
pub fn check_onboarding_update_and_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o = add_onboarding(tx, &scope, "onb_update00000000000000", &c.id, t(1))?;
        Ok((c, o))
    });
    let full = full_onboarding(&o.id, o.display_id, &c.id, o.created_at);
    write(store, |tx| tx.update_onboarding(&scope, &full));
    read(store, |tx| {
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(full.clone()),
            "filled onboarding",
        );
        let old_phase = OnboardingFilter {
            phase: Some(o.phase),
            ..OnboardingFilter::default()
        };
        assert!(tx
            .list_onboardings(&scope, &old_phase, &page(ALL))?
            .is_empty());
        let new_state = OnboardingFilter {
            state: Some(full.state),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(&scope, &new_state, &page(ALL))?,
            vec![full.clone()]
        );
        Ok(())
    });
    let mut cleared = bare_onboarding(&o.id, o.display_id, &c.id, o.created_at);
    cleared.phase = Phase::InternalQa;
    cleared.state = State::Paused;
    cleared.updated_at = t(100);
    write(store, |tx| tx.update_onboarding(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(cleared.clone()),
            "cleared onboarding",
        );
        Ok(())
    });
    write(store, |tx| tx.delete_onboarding(&scope, &o.id, t(200)));
    read(store, |tx| {
        assert_eq!(tx.onboarding(&scope, &o.id)?, None);
        assert_eq!(tx.onboarding_by_display_id(&scope, o.display_id)?, None);
        assert!(tx
            .list_onboardings(&scope, &OnboardingFilter::default(), &page(ALL))?
            .is_empty());
        assert!(tx.customer_onboardings(&scope, &c.id)?.is_empty());
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(&scope, &cleared)),
        "updating a deleted onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, &o.id, t(300))),
        "deleting a deleted onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, "onb_missing", t(300))),
        "deleting an onboarding that does not exist",
    );
}
