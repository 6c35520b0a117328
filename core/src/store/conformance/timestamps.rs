//! Conformance checks of timestamps at the edges of the range.

use super::fixtures::{
    add_customer, full_onboarding, idempotency, new_event, page, page_at, read, setup, transition,
    ts, write, ALL, WS_A,
};
use super::support::{assert_same, ids, list_order};
use crate::model::{Customer, Event, EventType, Onboarding, PhaseTransition, Timestamp};
use crate::store::{CustomerFilter, DisplayKind, EventFilter, ListCursor, Scope, Store};

/// Timestamps at the edges of the range (before 1970, the epoch, 9999-12-31) and with milliseconds
/// round-trip in every field that holds one, and order correctly.
pub fn check_extreme_timestamps(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let instants = [
        ts("1969-12-31T23:59:59.999Z"),
        ts("1970-01-01T00:00:00.000Z"),
        ts("2024-02-29T23:59:59.123Z"),
        ts("9999-12-31T23:59:59.999Z"),
    ];
    let (customers, onboardings, transitions, events) = add_records_at(store, &scope, &instants);
    read(store, |tx| {
        for c in &customers {
            assert_same(
                &tx.customer(&scope, &c.id)?,
                &Some(c.clone()),
                "customer timestamps",
            );
        }
        for o in &onboardings {
            assert_same(
                &tx.onboarding(&scope, &o.id)?,
                &Some(o.clone()),
                "onboarding timestamps",
            );
        }
        let everyone = CustomerFilter::default();
        let listed = tx.list_customers(&scope, &everyone, &page(ALL))?;
        assert_eq!(
            ids(&listed),
            ids(&list_order(customers.clone())),
            "newest first across eras"
        );
        assert_eq!(listed[0].created_at, instants[3]);
        let before_epoch = page_at(ListCursor::OlderThan(instants[1]), ALL);
        assert_eq!(
            tx.list_customers(&scope, &everyone, &before_epoch)?,
            vec![customers[0].clone()]
        );
        let after_last = page_at(ListCursor::After(instants[3], customers[3].id.clone()), ALL);
        assert_eq!(tx.list_customers(&scope, &everyone, &after_last)?.len(), 3);
        let mut oldest_first = transitions.clone();
        oldest_first.reverse();
        assert_eq!(
            tx.transitions(&scope, "onb_time0000000000000000")?,
            oldest_first
        );
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert_same(
            &tx.list_events(&scope, &everything)?,
            &events,
            "event timestamps",
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "early")?,
            Some(idempotency("f", "r", instants[0]))
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "late")?,
            Some(idempotency("f", "r", instants[3]))
        );
        Ok(())
    });
}

/// Records whose every timestamp is one of `instants`, in each field: four customers, their
/// onboardings, four transitions of the first onboarding, four events and two idempotency entries.
fn add_records_at(
    store: &dyn Store,
    scope: &Scope,
    instants: &[Timestamp; 4],
) -> (
    Vec<Customer>,
    Vec<Onboarding>,
    Vec<PhaseTransition>,
    Vec<Event>,
) {
    write(store, |tx| {
        let mut customers = Vec::new();
        let mut onboardings = Vec::new();
        let mut transitions = Vec::new();
        let mut events = Vec::new();
        for (i, at) in instants.iter().enumerate() {
            let mut c = add_customer(tx, scope, &format!("cus_time{i:016}"), *at)?;
            c.updated_at = instants[instants.len() - 1 - i];
            tx.update_customer(scope, &c)?;
            let display_id = tx.next_display_id(WS_A, DisplayKind::Onboarding)?;
            let mut o = full_onboarding(&format!("onb_time{i:016}"), display_id, &c.id, *at);
            o.started_at = instants[(i + 1) % 4];
            o.completed_at = Some(instants[(i + 2) % 4]);
            o.target_launch_date = Some(instants[(i + 3) % 4]);
            o.waiting_on_customer_since = Some(instants[i]);
            o.wizard_completed_at = Some(instants[(i + 1) % 4]);
            o.updated_at = instants[(i + 2) % 4];
            tx.insert_onboarding(scope, &o)?;
            let tr = transition(
                &format!("ptr_time{i:016}"),
                "onb_time0000000000000000",
                instants[3 - i],
            );
            tx.insert_transition(scope, &tr)?;
            events.push(tx.append_event(
                scope,
                new_event(
                    &format!("evt_time{i:016}"),
                    EventType::CustomerCreated,
                    &c.id,
                    &c.id,
                    *at,
                ),
            )?);
            customers.push(c);
            onboardings.push(o);
            transitions.push(tr);
        }
        tx.put_idempotency_entry(scope, "op", "early", &idempotency("f", "r", instants[0]))?;
        tx.put_idempotency_entry(scope, "op", "late", &idempotency("f", "r", instants[3]))?;
        Ok((customers, onboardings, transitions, events))
    })
}
