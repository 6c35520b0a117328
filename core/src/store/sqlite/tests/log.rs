//! Counters, events, idempotency.

use super::*;

#[test]
fn display_ids_are_never_reused() {
    let (_dir, path) = temp_db();
    {
        let store = SqliteStore::open(&path).unwrap();
        write(&store, |tx| {
            assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 1);
            assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 2);
            assert_eq!(tx.next_display_id("org_a", DisplayKind::Contact)?, 1);
            assert_eq!(tx.next_display_id("org_b", DisplayKind::Customer)?, 1);
            tx.insert_customer(&live(), &bare_customer("cus_1", 1, at(T0)))?;
            tx.insert_customer(&live(), &bare_customer("cus_2", 2, at(T0)))?;
            tx.delete_customer(&live(), "cus_2", at(T0))
        });
        // Test mode shares the workspace's counter: nothing distinguishes the modes here.
        write(&store, |tx| {
            let n = tx.next_display_id("org_a", DisplayKind::Customer)?;
            assert_eq!(n, 3);
            tx.insert_customer(&scope("org_a", false), &bare_customer("cus_3", n, at(T0)))
        });
    }
    let store = SqliteStore::open(&path).unwrap();
    write(&store, |tx| {
        assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 4);
        assert_eq!(tx.next_display_id("org_a", DisplayKind::Onboarding)?, 1);
        assert_eq!(tx.next_display_id("org_a", DisplayKind::Contact)?, 2);
        Ok(())
    });
    // The store refuses a second record with a taken display id in the workspace.
    let err = store
        .write(&mut |tx| {
            tx.insert_customer(&scope("org_a", false), &bare_customer("cus_x", 1, at(T0)))
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
}

#[test]
fn event_sequences_count_per_workspace() {
    let store = SqliteStore::open_in_memory().unwrap();
    let (a_live, a_test, b_live) = (
        scope("org_a", true),
        scope("org_a", false),
        scope("org_b", true),
    );
    let appended: Vec<Event> = write(&store, |tx| {
        let mut out = vec![];
        let plan = [
            (
                &a_live,
                "evt_1",
                EventType::CustomerCreated,
                "cus_1",
                "cus_1",
            ),
            (
                &b_live,
                "evt_2",
                EventType::CustomerCreated,
                "cus_9",
                "cus_9",
            ),
            (
                &a_test,
                "evt_3",
                EventType::CustomerCreated,
                "cus_t",
                "cus_t",
            ),
            (
                &a_live,
                "evt_4",
                EventType::OnboardingCreated,
                "onb_1",
                "cus_1",
            ),
            (
                &a_live,
                "evt_5",
                EventType::OnboardingPhaseChanged,
                "onb_1",
                "cus_1",
            ),
            (
                &b_live,
                "evt_6",
                EventType::CustomerUpdated,
                "cus_9",
                "cus_9",
            ),
            (
                &a_live,
                "evt_7",
                EventType::ContactCreated,
                "con_1",
                "cus_1",
            ),
            (
                &a_live,
                "evt_8",
                EventType::CustomerCreated,
                "cus_2",
                "cus_2",
            ),
        ];
        for (i, (s, id, ty, object, customer)) in plan.into_iter().enumerate() {
            let mut e = new_event(id, ty, object, customer, at(T0));
            e.created_at = at(T0 + i as i64 * 10);
            out.push(tx.append_event(s, e)?);
        }
        Ok(out)
    });
    let seqs: Vec<(String, i64)> = appended
        .iter()
        .map(|e| (e.id.clone(), e.sequence))
        .collect();
    let expected = [
        ("evt_1", 1),
        ("evt_2", 1),
        ("evt_3", 2),
        ("evt_4", 3),
        ("evt_5", 4),
        ("evt_6", 2),
        ("evt_7", 5),
        ("evt_8", 6),
    ];
    assert_eq!(seqs, expected.map(|(id, n)| (id.to_string(), n)).to_vec());
    assert!(!appended[2].livemode);
    assert_eq!(appended[1].org_id, "org_b");

    let ids = |events: Vec<Event>| events.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let events =
        |s: &Scope, filter: EventFilter| ids(read(&store, |tx| tx.list_events(s, &filter)));
    let base = EventFilter {
        limit: 100,
        ..EventFilter::default()
    };
    assert_eq!(
        events(&a_live, base.clone()),
        ["evt_1", "evt_4", "evt_5", "evt_7", "evt_8"]
    );
    assert_eq!(events(&a_test, base.clone()), ["evt_3"]);
    assert_eq!(events(&b_live, base.clone()), ["evt_2", "evt_6"]);
    let after = EventFilter {
        after_sequence: Some(3),
        ..base.clone()
    };
    assert_eq!(events(&a_live, after), ["evt_5", "evt_7", "evt_8"]);
    let limited = EventFilter {
        after_sequence: Some(1),
        limit: 2,
        ..base.clone()
    };
    assert_eq!(events(&a_live, limited), ["evt_4", "evt_5"]);
    let typed = EventFilter {
        types: vec![EventType::CustomerCreated, EventType::ContactCreated],
        ..base.clone()
    };
    assert_eq!(events(&a_live, typed), ["evt_1", "evt_7", "evt_8"]);
    let object = EventFilter {
        object_id: Some("onb_1".into()),
        ..base.clone()
    };
    assert_eq!(events(&a_live, object), ["evt_4", "evt_5"]);
    let both = EventFilter {
        object_id: Some("onb_1".into()),
        types: vec![EventType::OnboardingPhaseChanged],
        after_sequence: Some(0),
        ..base.clone()
    };
    assert_eq!(events(&a_live, both), ["evt_5"]);
    assert_eq!(
        read(&store, |tx| tx.list_events(&a_live, &base)),
        appended
            .iter()
            .filter(|e| e.org_id == "org_a" && e.livemode)
            .cloned()
            .collect::<Vec<_>>()
    );

    let timeline = |cursor: Option<TimelineCursor>, limit| {
        ids(read(&store, |tx| {
            tx.timeline(&a_live, "cus_1", cursor.as_ref(), limit)
        }))
    };
    assert_eq!(timeline(None, 10), ["evt_7", "evt_5", "evt_4", "evt_1"]);
    assert_eq!(timeline(None, 2), ["evt_7", "evt_5"]);
    assert_eq!(
        timeline(Some(TimelineCursor::BeforeSequence(4)), 10),
        ["evt_4", "evt_1"]
    );
    assert_eq!(
        timeline(Some(TimelineCursor::OlderThan(at(T0 + 40))), 10),
        ["evt_4", "evt_1"]
    );
}

#[test]
fn idempotency_entries_are_scoped_and_replaced() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    let entry = |fp: &str, ms: i64| IdempotencyEntry {
        fingerprint: fp.into(),
        response: format!(r#"{{"fp":"{fp}"}}"#),
        created_at: at(ms),
    };
    write(&store, |tx| {
        tx.put_idempotency_entry(&s, "customers.create", "k", &entry("one", T0))?;
        tx.put_idempotency_entry(&s, "contacts.create", "k", &entry("two", T0))?;
        tx.put_idempotency_entry(&s, "customers.create", "k", &entry("three", T0 + 1))
    });
    read(&store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&s, "customers.create", "k")?,
            Some(entry("three", T0 + 1))
        );
        assert_eq!(
            tx.idempotency_entry(&s, "contacts.create", "k")?,
            Some(entry("two", T0))
        );
        assert_eq!(
            tx.idempotency_entry(&scope("org_a", false), "customers.create", "k")?,
            None
        );
        assert_eq!(tx.idempotency_entry(&s, "customers.create", "K")?, None);
        Ok(())
    });
}
