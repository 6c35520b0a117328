//! Conformance checks of transitions, the event log and timelines.

use super::fixtures::{
    add_customer, add_onboarding, new_event, read, rich_metadata, setup, stored_event, t,
    test_mode, transition, ts, write, ALL, WS_B,
};
use super::support::{assert_same, sequences};
use crate::error::Result;
use crate::model::{Event, EventData, EventType, Phase};
use crate::store::{EventFilter, NewEvent, Scope, Store, TimelineCursor};
use serde_json::json;

/// Transitions come back per onboarding, oldest first, ties in insertion order (not id order),
/// every field intact.
pub fn check_transitions_order(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (o1, o2) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o1 = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        let o2 = add_onboarding(tx, &scope, "onb_two00000000000000000", &c.id, t(0))?;
        Ok((o1, o2))
    });
    let mut tie_z = transition("ptr_zzzzzzzzzzzzzzzzzzzz", &o1.id, t(10));
    tie_z.from_phase = Phase::Launch;
    tie_z.to_phase = Phase::Completed;
    tie_z.reason = Some("Skipped QA — client request 🚀".to_owned());
    tie_z.actor = "Zoë (api key)".to_owned();
    let early = transition("ptr_mmmmmmmmmmmmmmmmmmmm", &o1.id, t(5));
    let mut tie_a = transition("ptr_aaaaaaaaaaaaaaaaaaaa", &o1.id, t(10));
    tie_a.from_phase = Phase::Completed;
    tie_a.to_phase = Phase::Review;
    tie_a.reason = Some(String::new());
    let tie_m = transition("ptr_mmmmmmmmmmmmmmmmmmmn", &o1.id, t(10));
    let earliest = transition(
        "ptr_00000000000000000000",
        &o1.id,
        ts("1969-12-31T23:59:59.999Z"),
    );
    let other = transition("ptr_other000000000000000", &o2.id, t(7));
    write(store, |tx| {
        tx.insert_transition(&scope, &tie_z)?;
        tx.insert_transition(&scope, &early)?;
        tx.insert_transition(&scope, &other)?;
        tx.insert_transition(&scope, &tie_a)
    });
    write(store, |tx| {
        tx.insert_transition(&scope, &tie_m)?;
        tx.insert_transition(&scope, &earliest)
    });
    read(store, |tx| {
        assert_eq!(
            tx.transitions(&scope, &o1.id)?,
            vec![
                earliest.clone(),
                early.clone(),
                tie_z.clone(),
                tie_a.clone(),
                tie_m.clone()
            ]
        );
        assert_eq!(tx.transitions(&scope, &o2.id)?, vec![other.clone()]);
        assert!(tx.transitions(&scope, "onb_missing")?.is_empty());
        Ok(())
    });
}

/// Event sequences start at 1 and increase strictly per workspace, shared by both modes; the store
/// fills `sequence`, `org_id`, `livemode` and `api_version`, keeps every other field, and lists a
/// scope's events only.
pub fn check_event_sequences_and_scope_fields(store: &dyn Store) {
    let (live_a, test_a, live_b) = setup(store);
    let rich = rich_event();
    let plan = [
        (&live_a, rich.clone()),
        (
            &test_a,
            new_event("evt_2", EventType::CustomerCreated, "cus_x", "cus_x", t(1)),
        ),
        (
            &live_a,
            new_event("evt_3", EventType::ContactCreated, "con_x", "cus_x", t(2)),
        ),
        (
            &live_b,
            new_event("evt_b1", EventType::CustomerCreated, "cus_y", "cus_y", t(3)),
        ),
        (
            &test_a,
            new_event("evt_4", EventType::ContactDeleted, "con_x", "cus_x", t(4)),
        ),
    ];
    let appended = write(store, |tx| {
        plan.iter()
            .map(|(scope, event)| tx.append_event(scope, event.clone()))
            .collect::<Result<Vec<_>>>()
    });
    let expected: Vec<Event> = plan
        .iter()
        .zip([1, 2, 3, 1, 4])
        .map(|((scope, event), sequence)| stored_event(scope, sequence, event))
        .collect();
    for (got, want) in appended.iter().zip(&expected) {
        assert_same(got, want, "the appended event");
    }
    let everything = EventFilter {
        limit: ALL,
        ..EventFilter::default()
    };
    read(store, |tx| {
        let got = tx.list_events(&live_a, &everything)?;
        assert_same(
            &got,
            &vec![expected[0].clone(), expected[2].clone()],
            "A live events",
        );
        let got = tx.list_events(&test_a, &everything)?;
        assert_same(
            &got,
            &vec![expected[1].clone(), expected[4].clone()],
            "A test events",
        );
        assert_eq!(
            tx.list_events(&live_b, &everything)?,
            vec![expected[3].clone()]
        );
        assert!(tx.list_events(&test_mode(WS_B), &everything)?.is_empty());
        Ok(())
    });
    assert_sequences_continue(store, &live_a, &everything);
}

/// An event with every field set: unicode, nested metadata, nulls, previous attributes.
fn rich_event() -> NewEvent {
    let mut rich = new_event(
        "evt_rich0000000000000000",
        EventType::OnboardingUpdated,
        "onb_x",
        "cus_x",
        t(123),
    );
    rich.actor = "Zoë's key 🔑".to_owned();
    rich.data = EventData {
        object: json!({"object": "onboarding", "id": "onb_x", "metadata": rich_metadata(), "n": null}),
        previous_attributes: Some(
            serde_json::from_value(json!({"phase": "review", "notes": null, "list": [1, "ü"]}))
                .unwrap_or_else(|e| panic!("previous attributes fixture: {e}")),
        ),
    };
    rich
}

/// Sequences continue across transactions after the four of `scope`'s workspace, and every
/// event type round-trips.
#[track_caller]
fn assert_sequences_continue(store: &dyn Store, live_a: &Scope, everything: &EventFilter) {
    // Sequences continue across transactions; every event type round-trips.
    let more = write(store, |tx| {
        EventType::ALL
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                tx.append_event(
                    live_a,
                    new_event(&format!("evt_type{i:02}"), *ty, "cus_x", "cus_x", t(9)),
                )
            })
            .collect::<Result<Vec<_>>>()
    });
    assert_eq!(
        sequences(&more),
        (5..5 + EventType::ALL.len() as i64).collect::<Vec<_>>()
    );
    read(store, |tx| {
        let got = tx.list_events(live_a, everything)?;
        let types: Vec<_> = got[2..].iter().map(|e| e.event_type).collect();
        assert_eq!(types, EventType::ALL);
        assert_eq!(got[2..], more);
        Ok(())
    });
}

/// The event log reads ascending by sequence, with `after_sequence` (strict), `types` (any of;
/// all when empty), `object_id` and `limit`, alone and combined.
pub fn check_event_filters(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let types = [
        EventType::CustomerCreated,
        EventType::OnboardingPhaseChanged,
        EventType::ContactUpdated,
        EventType::OnboardingStateChanged,
    ];
    let objects = ["cus_o1", "onb_o2", "con_o3"];
    let events = append_filter_events(store, &scope, &test_a, &types, &objects);
    assert!(
        sequences(&events).windows(2).all(|w| w[0] < w[1]),
        "sequences increase strictly"
    );
    let cases = event_filter_cases(&events, &types, &objects);
    for filter in &cases {
        let want: Vec<Event> = events
            .iter()
            .filter(|e| filter.after_sequence.is_none_or(|after| e.sequence > after))
            .filter(|e| filter.types.is_empty() || filter.types.contains(&e.event_type))
            .filter(|e| {
                filter
                    .object_id
                    .as_ref()
                    .is_none_or(|o| e.data.object["id"] == o.as_str())
            })
            .take(filter.limit)
            .cloned()
            .collect();
        let got = read(store, |tx| tx.list_events(&scope, filter));
        assert_eq!(sequences(&got), sequences(&want), "events with {filter:?}");
        assert_eq!(got, want, "events with {filter:?}");
    }
    // Tailing: reading on from the last sequence seen never misses or repeats an event.
    let mut tailed = Vec::new();
    let mut after = None;
    loop {
        let filter = EventFilter {
            after_sequence: after,
            limit: 6,
            ..EventFilter::default()
        };
        let batch = read(store, |tx| tx.list_events(&scope, &filter));
        let Some(last) = batch.last() else { break };
        after = Some(last.sequence);
        tailed.extend(batch);
    }
    assert_eq!(tailed, events);
}

/// Appends 40 events to `scope`, cycling through `types` and `objects`, and now and then one to
/// `test_a` (a gap in `scope`'s sequences); returns `scope`'s.
fn append_filter_events(
    store: &dyn Store,
    scope: &Scope,
    test_a: &Scope,
    types: &[EventType],
    objects: &[&str],
) -> Vec<Event> {
    write(store, |tx| {
        let mut events = Vec::new();
        for i in 0..40 {
            let event = new_event(
                &format!("evt_{i:020}"),
                types[i % types.len()],
                objects[i % objects.len()],
                "cus_o1",
                t(i as i64),
            );
            events.push(tx.append_event(scope, event)?);
            if i % 7 == 0 {
                // Takes a sequence number in the other mode: a gap in this scope's log.
                tx.append_event(
                    test_a,
                    new_event(
                        &format!("evt_test{i:016}"),
                        types[0],
                        objects[0],
                        "cus_o1",
                        t(0),
                    ),
                )?;
            }
        }
        Ok(events)
    })
}

/// Event filters alone and combined, over `events` made with `types` and `objects`.
fn event_filter_cases(events: &[Event], types: &[EventType], objects: &[&str]) -> Vec<EventFilter> {
    let mut cases = paging_filters(events);
    cases.extend(matching_filters(events, types, objects));
    cases
}

/// Event filters by limit and `after_sequence` only.
fn paging_filters(events: &[Event]) -> Vec<EventFilter> {
    vec![
        EventFilter {
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            limit: usize::MAX,
            ..EventFilter::default()
        },
        EventFilter {
            limit: 5,
            ..EventFilter::default()
        },
        EventFilter {
            limit: 0,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[10].sequence),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[10].sequence - 1),
            limit: 3,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(0),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(-5),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(i64::MAX),
            limit: ALL,
            ..EventFilter::default()
        },
    ]
}

/// Event filters by type and object, alone and combined with the others.
fn matching_filters(events: &[Event], types: &[EventType], objects: &[&str]) -> Vec<EventFilter> {
    vec![
        EventFilter {
            types: vec![types[1]],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            types: vec![types[0], types[2]],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            types: vec![EventType::CustomerDeleted],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            object_id: Some(objects[1].to_owned()),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            object_id: Some("nothing".to_owned()),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[5].sequence),
            types: vec![types[0], types[1], types[3]],
            object_id: Some(objects[0].to_owned()),
            limit: 3,
        },
        EventFilter {
            after_sequence: Some(events[2].sequence),
            types: vec![types[3]],
            object_id: None,
            limit: 4,
        },
    ]
}

/// A customer's timeline holds the events filed under it (its own and its children's), newest
/// sequence first, with `BeforeSequence` and `OlderThan` cursors and a limit.
pub fn check_timeline(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let (c, d) = ("cus_c000000000000000000", "cus_d000000000000000000");
    let plan = [
        (EventType::CustomerCreated, c, c, t(0)),
        (EventType::ContactCreated, "con_k", c, t(1)),
        (EventType::CustomerCreated, d, d, t(2)),
        (EventType::OnboardingCreated, "onb_o", c, t(3)),
        (EventType::OnboardingPhaseChanged, "onb_o", c, t(4)),
        // Clocks can go backwards: sequence order, not time order.
        (EventType::ContactUpdated, "con_k", c, t(-10)),
        (EventType::CustomerUpdated, d, d, t(5)),
        (EventType::CustomerUpdated, c, c, t(6)),
        (EventType::OnboardingLaunched, "onb_o", c, t(6)),
    ];
    let events = write(store, |tx| {
        let mut events = Vec::new();
        for (i, (ty, object, customer, at)) in plan.iter().enumerate() {
            let event = tx.append_event(
                &scope,
                new_event(&format!("evt_{i:020}"), *ty, object, customer, *at),
            )?;
            events.push((event, *customer));
        }
        tx.append_event(
            &test_a,
            new_event("evt_test", EventType::CustomerUpdated, c, c, t(7)),
        )?;
        Ok(events)
    });
    let of = |customer: &str| -> Vec<Event> {
        let mut v: Vec<Event> = events
            .iter()
            .filter(|(_, owner)| *owner == customer)
            .map(|(e, _)| e.clone())
            .collect();
        v.reverse();
        v
    };
    let c_events = of(c);
    read(store, |tx| {
        assert_eq!(
            sequences(&tx.timeline(&scope, c, None, ALL)?),
            sequences(&c_events)
        );
        assert_eq!(tx.timeline(&scope, c, None, ALL)?, c_events);
        assert_eq!(tx.timeline(&scope, c, None, usize::MAX)?, c_events);
        assert_eq!(tx.timeline(&scope, d, None, ALL)?, of(d));
        assert_eq!(tx.timeline(&scope, c, None, 2)?, c_events[..2]);
        assert!(tx.timeline(&scope, c, None, 0)?.is_empty());
        assert!(tx.timeline(&scope, "cus_missing", None, ALL)?.is_empty());
        let before = TimelineCursor::BeforeSequence(c_events[2].sequence);
        assert_eq!(tx.timeline(&scope, c, Some(&before), ALL)?, c_events[3..]);
        // A cursor at a sequence that is not in this timeline (another customer's event).
        let before_d = TimelineCursor::BeforeSequence(events[6].0.sequence);
        assert_eq!(tx.timeline(&scope, c, Some(&before_d), 1)?, c_events[2..3]);
        let first = TimelineCursor::BeforeSequence(1);
        assert!(tx.timeline(&scope, c, Some(&first), ALL)?.is_empty());
        let older = TimelineCursor::OlderThan(t(4));
        let want: Vec<_> = c_events
            .iter()
            .filter(|e| e.created_at < t(4))
            .cloned()
            .collect();
        assert_eq!(
            sequences(&tx.timeline(&scope, c, Some(&older), ALL)?),
            sequences(&want)
        );
        assert_eq!(tx.timeline(&scope, c, Some(&older), 2)?, want[..2]);
        Ok(())
    });
    assert_timeline_walk(store, &scope, c, &c_events);
}

/// Walking `c`'s timeline with `BeforeSequence` cursors sees every event once: `c_events`.
#[track_caller]
fn assert_timeline_walk(store: &dyn Store, scope: &Scope, c: &str, c_events: &[Event]) {
    // Walking with BeforeSequence cursors sees every event once.
    let mut walked = Vec::new();
    let mut cursor = None;
    loop {
        let batch = read(store, |tx| tx.timeline(scope, c, cursor.as_ref(), 2));
        let Some(last) = batch.last() else { break };
        cursor = Some(TimelineCursor::BeforeSequence(last.sequence));
        walked.extend(batch);
    }
    assert_eq!(walked, c_events);
}
