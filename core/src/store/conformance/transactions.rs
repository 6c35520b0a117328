//! Conformance checks of transactions: rollback, read-only transactions, concurrent writers.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, bare_contact, bare_customer, bare_onboarding,
    full_contact, full_customer, full_onboarding, idempotency, new_event, page, read, setup, t,
    test_mode, transition, workspace, write, ALL, WS_A,
};
use super::support::sequences;
use crate::error::{Error, ErrorCode, ErrorType, Result};
use crate::model::{
    Contact, Customer, CustomerStatus, Event, EventType, Onboarding, Phase, PhaseTransition,
};
use crate::store::{
    CustomerFilter, DisplayKind, EventFilter, OnboardingFilter, Scope, Store, StoreExt, Tx,
};

/// A write whose closure fails leaves nothing behind: no rows, no changes to existing rows, no
/// counter increments, no events, no transitions, no idempotency entries, no workspace; and the
/// closure's own error is what `write` returns.
pub fn check_rollback_on_error(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let key = ("customers.create", "key-0");
    let (c0, k0, o0, tr0, ev0) = rollback_baseline(store, &scope, key);
    let failure = Error::field(ErrorCode::SlugTaken, "slug", "rolled back on purpose");
    let outcome = store.write_with(|tx| -> Result<()> {
        tx.insert_workspace(&workspace("org_rolledback0000000000"), t(1))?;
        let c1 = add_customer(tx, &scope, "cus_new00000000000000000", t(1))?;
        add_contact(tx, &scope, "con_new00000000000000000", &c1.id, t(1))?;
        let o1 = add_onboarding(tx, &scope, "onb_new00000000000000000", &c0.id, t(1))?;
        tx.insert_transition(
            &scope,
            &transition("ptr_new00000000000000000", &o1.id, t(1)),
        )?;
        tx.insert_transition(
            &scope,
            &transition("ptr_new00000000000000001", &o0.id, t(1)),
        )?;
        let mut c = full_customer(&c0.id, c0.display_id, c0.created_at);
        c.status = CustomerStatus::Archived;
        tx.update_customer(&scope, &c)?;
        let mut k = full_contact(&k0.id, k0.display_id, &c0.id, k0.created_at);
        tx.update_contact(&scope, &k)?;
        k.name = "Twice".to_owned();
        tx.update_contact(&scope, &k)?;
        tx.delete_contact(&scope, &k0.id, t(2))?;
        let mut o = full_onboarding(&o0.id, o0.display_id, &c0.id, o0.created_at);
        o.phase = Phase::Launch;
        tx.update_onboarding(&scope, &o)?;
        tx.delete_onboarding(&scope, &o0.id, t(2))?;
        tx.delete_customer(&scope, &c0.id, t(2))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_new00000000000000000",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(2),
            ),
        )?;
        tx.append_event(
            &test_mode(WS_A),
            new_event(
                "evt_new00000000000000001",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(2),
            ),
        )?;
        tx.put_idempotency_entry(&scope, key.0, key.1, &idempotency("fp1", "r1", t(2)))?;
        tx.put_idempotency_entry(&scope, key.0, "key-new", &idempotency("fp2", "r2", t(2)))?;
        Err(failure.clone())
    });
    assert_eq!(outcome, Err(failure), "write returns the closure's error");
    assert_untouched(store, &scope, (&c0, &k0, &o0, &tr0, &ev0), key);

    // The same when the error comes from the store itself, halfway through.
    let outcome = store.write_with(|tx| {
        let c1 = add_customer(tx, &scope, "cus_new00000000000000000", t(1))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_new00000000000000000",
                EventType::CustomerCreated,
                &c1.id,
                &c1.id,
                t(1),
            ),
        )?;
        tx.put_idempotency_entry(&scope, key.0, key.1, &idempotency("fp1", "r1", t(2)))?;
        tx.update_customer(&scope, &bare_customer("cus_missing", 77, t(0)))
    });
    assert!(outcome.is_err(), "updating a missing customer fails");
    assert_untouched(store, &scope, (&c0, &k0, &o0, &tr0, &ev0), key);
    assert_counters_resume(store, &scope, &c0);
}

/// The committed baseline of [`check_rollback_on_error`]: a customer with a contact, an
/// onboarding with a transition, an event and the idempotency entry `key`.
fn rollback_baseline(
    store: &dyn Store,
    scope: &Scope,
    key: (&str, &str),
) -> (Customer, Contact, Onboarding, PhaseTransition, Event) {
    write(store, |tx| {
        let c0 = add_customer(tx, scope, "cus_base0000000000000000", t(0))?;
        let k0 = add_contact(tx, scope, "con_base0000000000000000", &c0.id, t(0))?;
        let o0 = add_onboarding(tx, scope, "onb_base0000000000000000", &c0.id, t(0))?;
        let tr0 = transition("ptr_base0000000000000000", &o0.id, t(0));
        tx.insert_transition(scope, &tr0)?;
        let ev0 = tx.append_event(
            scope,
            new_event(
                "evt_base0000000000000000",
                EventType::CustomerCreated,
                &c0.id,
                &c0.id,
                t(0),
            ),
        )?;
        tx.put_idempotency_entry(scope, key.0, key.1, &idempotency("fp0", "r0", t(0)))?;
        Ok((c0, k0, o0, tr0, ev0))
    })
}

/// Display ids and event sequences pick up where the committed state left them.
#[track_caller]
fn assert_counters_resume(store: &dyn Store, scope: &Scope, c0: &Customer) {
    let (d, e) = write(store, |tx| {
        let d = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        let e = tx.append_event(
            scope,
            new_event(
                "evt_after000000000000000",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(3),
            ),
        )?;
        Ok((d, e))
    });
    assert_eq!(d, 2, "the rolled-back display ids are free again");
    assert_eq!(e.sequence, 2, "the rolled-back sequences are free again");
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Contact)),
        2
    );
    assert_eq!(
        write(store, |tx| tx
            .next_display_id(WS_A, DisplayKind::Onboarding)),
        2
    );
}

/// The committed baseline of [`check_rollback_on_error`] is exactly as it was.
#[track_caller]
fn assert_untouched(
    store: &dyn Store,
    scope: &Scope,
    (c0, k0, o0, tr0, ev0): (&Customer, &Contact, &Onboarding, &PhaseTransition, &Event),
    key: (&str, &str),
) {
    read(store, |tx| {
        assert_eq!(tx.workspaces()?.len(), 2, "no workspace added");
        assert_eq!(tx.workspace("org_rolledback0000000000")?, None);
        assert_eq!(tx.customer(scope, &c0.id)?, Some(c0.clone()));
        assert_eq!(tx.customer_by_display_id(scope, 2)?, None);
        assert_eq!(tx.customer(scope, "cus_new00000000000000000")?, None);
        assert_eq!(
            tx.customer_id_by_slug(scope, &c0.slug)?,
            Some(c0.id.clone())
        );
        let customers = tx.list_customers(scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(customers, vec![c0.clone()]);
        let archived = CustomerFilter {
            status: Some(CustomerStatus::Archived),
            slug: None,
        };
        assert!(tx.list_customers(scope, &archived, &page(ALL))?.is_empty());
        let onboarding = CustomerFilter {
            status: Some(c0.status),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(scope, &onboarding, &page(ALL))?,
            vec![c0.clone()]
        );
        assert_eq!(tx.contact(scope, &k0.id)?, Some(k0.clone()));
        assert_eq!(tx.contact(scope, "con_new00000000000000000")?, None);
        assert_eq!(tx.contact_by_display_id(scope, 2)?, None);
        assert_eq!(
            tx.list_contacts(scope, &c0.id, &page(ALL))?,
            vec![k0.clone()]
        );
        assert_eq!(
            tx.contact_id_by_email(scope, &c0.id, &k0.email)?,
            Some(k0.id.clone())
        );
        assert_eq!(tx.onboarding(scope, &o0.id)?, Some(o0.clone()));
        assert_eq!(tx.onboarding(scope, "onb_new00000000000000000")?, None);
        assert_eq!(tx.onboarding_by_display_id(scope, 2)?, None);
        assert_eq!(tx.customer_onboardings(scope, &c0.id)?, vec![o0.clone()]);
        let launch = OnboardingFilter {
            phase: Some(Phase::Launch),
            ..OnboardingFilter::default()
        };
        assert!(tx.list_onboardings(scope, &launch, &page(ALL))?.is_empty());
        assert_eq!(tx.transitions(scope, &o0.id)?, vec![tr0.clone()]);
        assert!(tx
            .transitions(scope, "onb_new00000000000000000")?
            .is_empty());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert_eq!(tx.list_events(scope, &everything)?, vec![ev0.clone()]);
        assert!(tx.list_events(&test_mode(WS_A), &everything)?.is_empty());
        assert_eq!(tx.timeline(scope, &c0.id, None, ALL)?, vec![ev0.clone()]);
        assert_eq!(
            tx.idempotency_entry(scope, key.0, key.1)?,
            Some(idempotency("fp0", "r0", t(0)))
        );
        assert_eq!(tx.idempotency_entry(scope, key.0, "key-new")?, None);
        Ok(())
    });
}

/// Every mutating method fails with an internal error inside a read transaction and changes
/// nothing; `read` returns the closure's own error.
pub fn check_read_refuses_mutations(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_base0000000000000000", t(0))?;
        let k = add_contact(tx, &scope, "con_base0000000000000000", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_base0000000000000000", &c.id, t(0))?;
        Ok((c, k, o))
    });
    let outcome = store.read(&mut |tx| {
        for (method, result) in every_mutation(tx, &scope, &c, &k, &o) {
            match result {
                Err(e) => assert_eq!(
                    e.error_type(),
                    ErrorType::InternalError,
                    "{method} in a read transaction: {e:?}"
                ),
                Ok(()) => panic!("{method} succeeded in a read transaction"),
            }
        }
        Err(Error::new(
            ErrorCode::CustomerNotFound,
            "the closure's own error",
        ))
    });
    assert_eq!(
        outcome.map_err(|e| e.code),
        Err(ErrorCode::CustomerNotFound),
        "read returns the closure's error"
    );
    read(store, |tx| {
        assert_eq!(tx.workspaces()?.len(), 2);
        assert_eq!(tx.customer(&scope, &c.id)?, Some(c.clone()));
        assert_eq!(tx.customer(&scope, "cus_ro")?, None);
        assert_eq!(tx.contact(&scope, &k.id)?, Some(k.clone()));
        assert_eq!(tx.contact(&scope, "con_ro")?, None);
        assert_eq!(tx.onboarding(&scope, &o.id)?, Some(o.clone()));
        assert_eq!(tx.onboarding(&scope, "onb_ro")?, None);
        assert!(tx.transitions(&scope, &o.id)?.is_empty());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(&scope, &everything)?.is_empty());
        assert_eq!(tx.idempotency_entry(&scope, "op", "key")?, None);
        Ok(())
    });
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Customer)),
        2,
        "a read transaction takes no display id"
    );
}

/// Calls every mutating method of `tx` once, on `c`, `k` and `o` or new records, and returns
/// each outcome by method name.
fn every_mutation(
    tx: &mut dyn Tx,
    scope: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
) -> Vec<(&'static str, Result<()>)> {
    let mut changed_c = c.clone();
    changed_c.name = "Changed".to_owned();
    let mut changed_k = k.clone();
    changed_k.name = "Changed".to_owned();
    let mut changed_o = o.clone();
    changed_o.phase = Phase::Review;
    vec![
        (
            "insert_workspace",
            tx.insert_workspace(&workspace("org_readonly00000000000"), t(1)),
        ),
        (
            "next_display_id",
            tx.next_display_id(WS_A, DisplayKind::Customer).map(drop),
        ),
        (
            "insert_customer",
            tx.insert_customer(scope, &bare_customer("cus_ro", 50, t(1))),
        ),
        ("update_customer", tx.update_customer(scope, &changed_c)),
        ("delete_customer", tx.delete_customer(scope, &c.id, t(1))),
        (
            "insert_contact",
            tx.insert_contact(scope, &bare_contact("con_ro", 50, &c.id, t(1))),
        ),
        ("update_contact", tx.update_contact(scope, &changed_k)),
        ("delete_contact", tx.delete_contact(scope, &k.id, t(1))),
        (
            "insert_onboarding",
            tx.insert_onboarding(scope, &bare_onboarding("onb_ro", 50, &c.id, t(1))),
        ),
        ("update_onboarding", tx.update_onboarding(scope, &changed_o)),
        (
            "delete_onboarding",
            tx.delete_onboarding(scope, &o.id, t(1)),
        ),
        (
            "insert_transition",
            tx.insert_transition(scope, &transition("ptr_ro", &o.id, t(1))),
        ),
        (
            "append_event",
            tx.append_event(
                scope,
                new_event("evt_ro", EventType::CustomerUpdated, &c.id, &c.id, t(1)),
            )
            .map(drop),
        ),
        (
            "put_idempotency_entry",
            tx.put_idempotency_entry(scope, "op", "key", &idempotency("f", "r", t(1))),
        ),
        (
            "forget_idempotency_entries",
            tx.forget_idempotency_entries(scope, t(100), 10).map(drop),
        ),
    ]
}

/// Writers on several threads never share a display id or an event sequence, and none is lost.
pub fn check_concurrent_writers(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (threads, per_thread) = (4, 25);
    std::thread::scope(|s| {
        for worker in 0..threads {
            let scope = scope.clone();
            s.spawn(move || {
                for i in 0..per_thread {
                    write(store, |tx| {
                        let c = add_customer(tx, &scope, &format!("cus_w{worker}_{i:02}"), t(i))?;
                        tx.append_event(
                            &scope,
                            new_event(
                                &format!("evt_w{worker}_{i:02}"),
                                EventType::CustomerCreated,
                                &c.id,
                                &c.id,
                                t(i),
                            ),
                        )?;
                        Ok(())
                    });
                }
            });
        }
    });
    let total = (threads * per_thread) as usize;
    read(store, |tx| {
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        let mut display_ids: Vec<_> = customers.iter().map(|c| c.display_id).collect();
        display_ids.sort_unstable();
        assert_eq!(display_ids, (1..=total as i64).collect::<Vec<_>>());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        let events = tx.list_events(&scope, &everything)?;
        assert_eq!(sequences(&events), (1..=total as i64).collect::<Vec<_>>());
        Ok(())
    });
}
