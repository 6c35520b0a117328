//! Transactions.

use super::*;

#[test]
fn an_error_rolls_everything_back() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    let err = store
        .write(&mut |tx| {
            tx.insert_workspace(&workspace("org_a"), at(T0))?;
            tx.next_display_id("org_a", DisplayKind::Customer)?;
            tx.insert_customer(&s, &full_customer("cus_full", 1, at(T0)))?;
            tx.insert_onboarding(&s, &full_onboarding("onb_full", 1, "cus_full", at(T0)))?;
            tx.insert_transition(
                &s,
                &transition_to("ptr_1", "onb_full", at(T0), Phase::Launch),
            )?;
            tx.append_event(
                &s,
                new_event(
                    "evt_1",
                    EventType::CustomerCreated,
                    "cus_full",
                    "cus_full",
                    at(T0),
                ),
            )?;
            let entry = IdempotencyEntry {
                fingerprint: "f".into(),
                response: "{}".into(),
                created_at: at(T0),
            };
            tx.put_idempotency_entry(&s, "op", "k", &entry)?;
            Err(Error::new(ErrorCode::SlugTaken, "boom"))
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SlugTaken);
    read(&store, |tx| {
        assert_eq!(tx.workspaces()?, vec![]);
        assert_eq!(tx.customer(&s, "cus_full")?, None);
        assert_eq!(tx.onboarding(&s, "onb_full")?, None);
        assert_eq!(tx.transitions(&s, "onb_full")?, vec![]);
        assert_eq!(tx.idempotency_entry(&s, "op", "k")?, None);
        let filter = EventFilter {
            limit: 10,
            ..EventFilter::default()
        };
        assert_eq!(tx.list_events(&s, &filter)?, vec![]);
        Ok(())
    });
    write(&store, |tx| {
        assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 1);
        let e = tx.append_event(
            &s,
            new_event("evt_2", EventType::CustomerCreated, "c", "c", at(T0)),
        )?;
        assert_eq!(e.sequence, 1);
        Ok(())
    });
}

#[test]
fn a_panic_rolls_back_and_the_store_recovers() {
    let store = SqliteStore::open_in_memory().unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.write(&mut |tx| {
            tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))?;
            panic!("closure panicked");
        });
    }));
    assert!(outcome.is_err());
    assert_eq!(read(&store, |tx| tx.customer(&live(), "cus_full")), None);
    write(&store, |tx| {
        tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))
    });
    assert!(read(&store, |tx| tx.customer(&live(), "cus_full")).is_some());
}

#[test]
fn read_transactions_refuse_changes() {
    let store = SqliteStore::open_in_memory().unwrap();
    let err = store
        .read(&mut |tx| tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0))))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    let err = store
        .read(&mut |tx| tx.next_display_id("org_a", DisplayKind::Contact).map(drop))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(read(&store, |tx| tx.customer(&live(), "cus_full")), None);
}

#[test]
fn changes_to_missing_records_are_internal_errors() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    for result in [
        store.write(&mut |tx| tx.update_customer(&s, &full_customer("cus_full", 1, at(T0)))),
        store.write(&mut |tx| tx.delete_customer(&s, "cus_none", at(T0))),
        store.write(&mut |tx| tx.update_contact(&s, &bare_contact("con_x", 1, "cus_x", at(T0)))),
        store.write(&mut |tx| tx.delete_contact(&s, "con_x", at(T0))),
        store.write(&mut |tx| {
            tx.update_onboarding(&s, &bare_onboarding("onb_x", 1, "cus_x", at(T0)))
        }),
        store.write(&mut |tx| tx.delete_onboarding(&s, "onb_x", at(T0))),
    ] {
        assert_eq!(result.unwrap_err().code, ErrorCode::Internal);
    }
}

#[test]
fn concurrent_writers_take_turns() {
    let store = Arc::new(SqliteStore::open_in_memory().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for i in 0..25 {
                    write(&*store, |tx| {
                        let id = format!("cus_{t}_{i}");
                        let display = tx.next_display_id("org_a", DisplayKind::Customer)?;
                        tx.insert_customer(&live(), &bare_customer(&id, display, at(T0)))?;
                        tx.append_event(
                            &live(),
                            new_event(&id, EventType::CustomerCreated, &id, &id, at(T0)),
                        )
                    });
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let filter = EventFilter {
        limit: 1000,
        ..EventFilter::default()
    };
    let events = read(&*store, |tx| tx.list_events(&live(), &filter));
    let sequences: Vec<i64> = events.iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, (1..=100).collect::<Vec<_>>());
    let mut displays: Vec<i64> = read(&*store, |tx| {
        tx.list_customers(&live(), &CustomerFilter::default(), &all())
    })
    .iter()
    .map(|c| c.display_id)
    .collect();
    displays.sort_unstable();
    assert_eq!(displays, (1..=100).collect::<Vec<_>>());
}

#[test]
fn reads_of_a_file_do_not_wait_for_a_write_in_progress() {
    let (_dir, path) = temp_db();
    let store = Arc::new(SqliteStore::open(&path).unwrap());
    write(&*store, |tx| {
        tx.insert_workspace(&workspace("org_a"), at(T0))
    });
    let (in_write, wait_in_write) = std::sync::mpsc::channel();
    let (finish, wait_finish) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn({
        let store = Arc::clone(&store);
        move || {
            write(&*store, |tx| {
                tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))?;
                in_write.send(()).unwrap();
                wait_finish.recv().unwrap();
                Ok(())
            })
        }
    });
    wait_in_write.recv().unwrap();
    // The write holds the writing connection: the read runs beside it and sees the last commit.
    let (done, read_done) = std::sync::mpsc::channel();
    let reader = std::thread::spawn({
        let store = Arc::clone(&store);
        move || {
            done.send(read(&*store, |tx| tx.customer(&live(), "cus_full")))
                .unwrap()
        }
    });
    let seen = read_done.recv_timeout(Duration::from_secs(10));
    finish.send(()).unwrap();
    writer.join().unwrap();
    reader.join().unwrap();
    assert_eq!(
        seen,
        Ok(None),
        "the read waited for the write, or saw it uncommitted"
    );
    assert!(read(&*store, |tx| tx.customer(&live(), "cus_full")).is_some());
}
