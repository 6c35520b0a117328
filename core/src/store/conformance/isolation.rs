//! Conformance checks of scope isolation: workspaces and modes see only their own records.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, idempotency, new_event, page, read, setup, t,
    test_mode, transition, write, ALL, WS_B,
};
use super::support::{assert_fails, ids};
use crate::model::{Contact, Customer, Event, EventType, Onboarding, PhaseTransition};
use crate::store::{CustomerFilter, EventFilter, OnboardingFilter, Scope, Store, StoreExt};

/// Records of one (workspace, mode) are invisible and unchangeable from the other mode and from
/// other workspaces, whatever the lookup (id, display id, slug, email, lists, filters, transitions,
/// events, timeline, idempotency keys).
pub fn check_scope_isolation(store: &dyn Store) {
    let (home, test_a, live_b) = setup(store);
    let test_b = test_mode(WS_B);
    let (c, k, o, tr, ev) = write(store, |tx| {
        let mut c = add_customer(tx, &home, "cus_home0000000000000000", t(0))?;
        c.slug = "shared-slug".to_owned();
        tx.update_customer(&home, &c)?;
        let mut k = add_contact(tx, &home, "con_home0000000000000000", &c.id, t(1))?;
        k.is_primary = true;
        tx.update_contact(&home, &k)?;
        let o = add_onboarding(tx, &home, "onb_home0000000000000000", &c.id, t(2))?;
        let tr = transition("ptr_home0000000000000000", &o.id, t(3));
        tx.insert_transition(&home, &tr)?;
        let ev = tx.append_event(
            &home,
            new_event(
                "evt_home0000000000000000",
                EventType::OnboardingCreated,
                &o.id,
                &c.id,
                t(2),
            ),
        )?;
        tx.put_idempotency_entry(
            &home,
            "customers.create",
            "key-1",
            &idempotency("f", "{}", t(0)),
        )?;
        Ok((c, k, o, tr, ev))
    });
    // Another scope's customer with the same slug does not see or hide the first.
    let twin = write(store, |tx| {
        let mut twin = add_customer(tx, &test_a, "cus_twin0000000000000000", t(0))?;
        twin.slug = "shared-slug".to_owned();
        tx.update_customer(&test_a, &twin)?;
        Ok(twin)
    });

    for other in [&test_a, &live_b, &test_b] {
        let own_slug = (other == &test_a).then(|| twin.id.clone());
        assert_invisible_from(store, other, &c, &k, &o, own_slug);
        assert_unchangeable_from(store, other, &c, &k, &o);
    }
    assert_home_intact(store, &home, &c, &k, &o, &tr, &ev);
}

/// None of `c`, `k`, `o` and their transitions, events and idempotency key shows from `other`,
/// whose own customer with the same slug, if any, is `own_slug`.
#[track_caller]
fn assert_invisible_from(
    store: &dyn Store,
    other: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
    own_slug: Option<String>,
) {
    read(store, |tx| {
        let what = format!("seen from {other:?}");
        assert_eq!(tx.customer(other, &c.id)?, None, "{what}");
        assert_eq!(
            tx.customer_by_display_id(other, c.display_id)?,
            None,
            "{what}"
        );
        assert_eq!(
            tx.customer_id_by_slug(other, "shared-slug")?,
            own_slug,
            "{what}"
        );
        let customers = tx.list_customers(other, &CustomerFilter::default(), &page(ALL))?;
        assert!(!ids(&customers).contains(&c.id.as_str()), "{what}");
        assert_eq!(tx.contact(other, &k.id)?, None, "{what}");
        assert_eq!(
            tx.contact_by_display_id(other, k.display_id)?,
            None,
            "{what}"
        );
        assert_eq!(
            tx.contact_id_by_email(other, &c.id, &k.email)?,
            None,
            "{what}"
        );
        assert_eq!(tx.primary_contact(other, &c.id)?, None, "{what}");
        assert!(
            tx.list_contacts(other, &c.id, &page(ALL))?.is_empty(),
            "{what}"
        );
        assert_eq!(tx.onboarding(other, &o.id)?, None, "{what}");
        assert_eq!(
            tx.onboarding_by_display_id(other, o.display_id)?,
            None,
            "{what}"
        );
        let of_c = OnboardingFilter {
            customer_id: Some(c.id.clone()),
            ..OnboardingFilter::default()
        };
        assert!(
            tx.list_onboardings(other, &of_c, &page(ALL))?.is_empty(),
            "{what}"
        );
        let any = tx.list_onboardings(other, &OnboardingFilter::default(), &page(ALL))?;
        assert!(any.is_empty(), "{what}");
        assert!(tx.customer_onboardings(other, &c.id)?.is_empty(), "{what}");
        assert!(tx.transitions(other, &o.id)?.is_empty(), "{what}");
        let events = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(other, &events)?.is_empty(), "{what}");
        let about_o = EventFilter {
            object_id: Some(o.id.clone()),
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(other, &about_o)?.is_empty(), "{what}");
        assert!(tx.timeline(other, &c.id, None, ALL)?.is_empty(), "{what}");
        assert_eq!(
            tx.idempotency_entry(other, "customers.create", "key-1")?,
            None,
            "{what}"
        );
        Ok(())
    });
}

/// `c`, `k` and `o` cannot be updated or deleted from `other`.
#[track_caller]
fn assert_unchangeable_from(
    store: &dyn Store,
    other: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
) {
    let mut changed_c = c.clone();
    changed_c.name = "Hijacked".to_owned();
    assert_fails(
        store.write_with(|tx| tx.update_customer(other, &changed_c)),
        "updating another scope's customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(other, &c.id, t(9))),
        "deleting another scope's customer",
    );
    let mut changed_k = k.clone();
    changed_k.name = "Hijacked".to_owned();
    assert_fails(
        store.write_with(|tx| tx.update_contact(other, &changed_k)),
        "updating another scope's contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(other, &k.id, t(9))),
        "deleting another scope's contact",
    );
    let mut changed_o = o.clone();
    changed_o.notes = Some("Hijacked".to_owned());
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(other, &changed_o)),
        "updating another scope's onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(other, &o.id, t(9))),
        "deleting another scope's onboarding",
    );
}

/// Everything of the home scope reads back as written.
#[track_caller]
fn assert_home_intact(
    store: &dyn Store,
    home: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
    tr: &PhaseTransition,
    ev: &Event,
) {
    read(store, |tx| {
        assert_eq!(tx.customer(home, &c.id)?, Some(c.clone()));
        assert_eq!(
            tx.customer_id_by_slug(home, "shared-slug")?,
            Some(c.id.clone())
        );
        assert_eq!(tx.contact(home, &k.id)?, Some(k.clone()));
        assert_eq!(tx.primary_contact(home, &c.id)?, Some(k.clone()));
        assert_eq!(tx.onboarding(home, &o.id)?, Some(o.clone()));
        assert_eq!(tx.transitions(home, &o.id)?, vec![tr.clone()]);
        assert_eq!(tx.timeline(home, &c.id, None, ALL)?, vec![ev.clone()]);
        assert_eq!(
            tx.idempotency_entry(home, "customers.create", "key-1")?,
            Some(idempotency("f", "{}", t(0)))
        );
        Ok(())
    });
}

/// The same id in two scopes names two independent records (as when one export is imported into
/// both modes, or into two workspaces): each scope reads, changes and deletes its own.
pub fn check_same_id_in_two_scopes(store: &dyn Store) {
    let (live_a, test_a, live_b) = setup(store);
    let (cus, con, onb) = (
        "cl9bn00of0000g7l8gcq8c4xk",
        "cl9bn00of0001g7l8gcq8c4xk",
        "cl9bn00of0002g7l8gcq8c4xk",
    );
    let scopes = [live_a.clone(), test_a.clone(), live_b.clone()];
    let copies = write(store, |tx| {
        let mut copies = Vec::new();
        for (n, scope) in scopes.iter().enumerate() {
            let mut c = add_customer(tx, scope, cus, t(0))?;
            c.name = format!("Copy {n}");
            tx.update_customer(scope, &c)?;
            let k = add_contact(tx, scope, con, cus, t(1))?;
            let o = add_onboarding(tx, scope, onb, cus, t(2))?;
            let tr = transition("ptr_imported000000000000", onb, t(3));
            tx.insert_transition(scope, &tr)?;
            copies.push((c, k, o, tr));
        }
        Ok(copies)
    });
    let display_ids: Vec<_> = copies.iter().map(|(c, _, _, _)| c.display_id).collect();
    assert_eq!(display_ids, vec![1, 2, 1]);
    let mut renamed = copies[1].0.clone();
    renamed.name = "Renamed in test mode".to_owned();
    write(store, |tx| {
        tx.update_customer(&test_a, &renamed)?;
        tx.delete_customer(&live_b, cus, t(10))
    });
    read(store, |tx| {
        let (c, k, o, tr) = &copies[0];
        assert_eq!(tx.customer(&live_a, cus)?, Some(c.clone()));
        assert_eq!(tx.contact(&live_a, con)?, Some(k.clone()));
        assert_eq!(tx.onboarding(&live_a, onb)?, Some(o.clone()));
        assert_eq!(tx.transitions(&live_a, onb)?, vec![tr.clone()]);
        let (_, k, o, tr) = &copies[1];
        assert_eq!(tx.customer(&test_a, cus)?, Some(renamed.clone()));
        assert_eq!(tx.contact(&test_a, con)?, Some(k.clone()));
        assert_eq!(tx.onboarding(&test_a, onb)?, Some(o.clone()));
        assert_eq!(tx.transitions(&test_a, onb)?, vec![tr.clone()]);
        assert_eq!(tx.customer(&live_b, cus)?, None);
        assert_eq!(tx.contact(&live_b, con)?, None);
        assert_eq!(tx.onboarding(&live_b, onb)?, None);
        Ok(())
    });
}
