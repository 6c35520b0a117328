//! Conformance checks of soft deletes' visibility: a deleted customer hides its children.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, new_event, page, read, setup, t, write, ALL,
};
use super::support::assert_fails;
use crate::model::{Contact, Customer, EventType, Onboarding, Phase, State};
use crate::store::{EventFilter, OnboardingFilter, Scope, Store, StoreExt};

/// Deleting a customer hides its contacts and onboardings everywhere (get, display id, email,
/// primary, lists, filters), makes them unchangeable, keeps its events in the log, and leaves
/// other customers' children alone.
pub fn check_deleted_customer_hides_children(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k1, k2, o1, o2, d, dk, d_o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_deleted0000000000000", t(0))?;
        let mut k1 = add_contact(tx, &scope, "con_primary0000000000000", &c.id, t(1))?;
        k1.is_primary = true;
        tx.update_contact(&scope, &k1)?;
        let k2 = add_contact(tx, &scope, "con_second00000000000000", &c.id, t(2))?;
        let o1 = add_onboarding(tx, &scope, "onb_first000000000000000", &c.id, t(3))?;
        let o2 = add_onboarding(tx, &scope, "onb_second00000000000000", &c.id, t(4))?;
        let d = add_customer(tx, &scope, "cus_kept0000000000000000", t(0))?;
        let mut dk = add_contact(tx, &scope, "con_kept0000000000000000", &d.id, t(1))?;
        dk.is_primary = true;
        tx.update_contact(&scope, &dk)?;
        let d_o = add_onboarding(tx, &scope, "onb_kept0000000000000000", &d.id, t(3))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_ofdeleted00000000000",
                EventType::CustomerCreated,
                &c.id,
                &c.id,
                t(0),
            ),
        )?;
        Ok((c, k1, k2, o1, o2, d, dk, d_o))
    });
    write(store, |tx| tx.delete_customer(&scope, &c.id, t(10)));
    assert_children_hidden(store, &scope, &c, &[&k1, &k2], &[&o1, &o2], &d_o);
    assert_other_children_kept(store, &scope, &d, &dk, &d_o);
    assert_fails(
        store.write_with(|tx| tx.update_contact(&scope, &k2)),
        "updating a contact of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, &k2.id, t(20))),
        "deleting a contact of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(&scope, &o1)),
        "updating an onboarding of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, &o1.id, t(20))),
        "deleting an onboarding of a deleted customer",
    );
}

/// The deleted customer `c`'s contacts and onboardings are gone from every lookup, list and
/// filter, where `d_o` (another customer's onboarding) still shows.
#[track_caller]
fn assert_children_hidden(
    store: &dyn Store,
    scope: &Scope,
    c: &Customer,
    contacts: &[&Contact],
    onboardings: &[&Onboarding],
    d_o: &Onboarding,
) {
    read(store, |tx| {
        for k in contacts {
            assert_eq!(
                tx.contact(scope, &k.id)?,
                None,
                "contact of a deleted customer"
            );
            assert_eq!(tx.contact_by_display_id(scope, k.display_id)?, None);
            assert_eq!(tx.contact_id_by_email(scope, &c.id, &k.email)?, None);
        }
        assert_eq!(tx.primary_contact(scope, &c.id)?, None);
        assert!(tx.list_contacts(scope, &c.id, &page(ALL))?.is_empty());
        for o in onboardings {
            assert_eq!(
                tx.onboarding(scope, &o.id)?,
                None,
                "onboarding of a deleted customer"
            );
            assert_eq!(tx.onboarding_by_display_id(scope, o.display_id)?, None);
        }
        assert!(tx.customer_onboardings(scope, &c.id)?.is_empty());
        let all = OnboardingFilter::default();
        assert_eq!(
            tx.list_onboardings(scope, &all, &page(ALL))?,
            vec![d_o.clone()]
        );
        let of_c = OnboardingFilter {
            customer_id: Some(c.id.clone()),
            ..OnboardingFilter::default()
        };
        assert!(tx.list_onboardings(scope, &of_c, &page(ALL))?.is_empty());
        let by_phase = OnboardingFilter {
            phase: Some(Phase::BeforeGettingStarted),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(scope, &by_phase, &page(ALL))?,
            vec![d_o.clone()]
        );
        let by_state = OnboardingFilter {
            state: Some(State::Active),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(scope, &by_state, &page(ALL))?,
            vec![d_o.clone()]
        );
        Ok(())
    });
}

/// Another customer's children are untouched by a customer's deletion, and the deleted
/// customer's events stay in the log.
#[track_caller]
fn assert_other_children_kept(
    store: &dyn Store,
    scope: &Scope,
    d: &Customer,
    dk: &Contact,
    d_o: &Onboarding,
) {
    read(store, |tx| {
        // The other customer's children are untouched.
        assert_eq!(tx.contact(scope, &dk.id)?, Some(dk.clone()));
        assert_eq!(tx.primary_contact(scope, &d.id)?, Some(dk.clone()));
        assert_eq!(
            tx.list_contacts(scope, &d.id, &page(ALL))?,
            vec![dk.clone()]
        );
        assert_eq!(tx.customer_onboardings(scope, &d.id)?, vec![d_o.clone()]);
        // History stays.
        let log = tx.list_events(
            scope,
            &EventFilter {
                limit: ALL,
                ..EventFilter::default()
            },
        )?;
        assert_eq!(
            log.len(),
            1,
            "the deleted customer's events stay in the log"
        );
        Ok(())
    });
}
