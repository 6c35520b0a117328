//! Files and versions.

use super::super::open::SCHEMA_VERSION;
use super::*;

#[test]
fn store_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<SqliteStore>();
}

#[test]
fn reopened_file_reads_back_everything() {
    let (_dir, path) = temp_db();
    let s = live();
    let cus = full_customer("cus_full", 1, at(T0));
    let plain = bare_customer("cus_plain", 2, at(T0 + 10));
    let con = Contact {
        title: Some("CTO".into()),
        phone: Some("+1 (555) 010-0000".into()),
        is_primary: true,
        labels: vec!["billing".into(), "tech".into()],
        updated_at: at(T0 + 9),
        ..bare_contact("con_1", 1, "cus_full", at(T0 + 1))
    };
    let plain_con = bare_contact("con_2", 2, "cus_full", at(T0 + 2));
    let onb = full_onboarding("onb_full", 1, "cus_full", at(T0));
    let plain_onb = bare_onboarding("onb_plain", 2, "cus_plain", at(T0 + 20));
    let trs = vec![
        transition_to("ptr_b", "onb_full", at(T0 + 5), Phase::ProgramDesign),
        transition_to("ptr_a", "onb_full", at(T0 + 5), Phase::Review),
        transition_to("ptr_c", "onb_full", at(T0 + 6), Phase::Launch),
    ];
    let entry = IdempotencyEntry {
        fingerprint: "fp".into(),
        response: r#"{"id":"cus_full"}"#.into(),
        created_at: at(T0),
    };
    let events = {
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version(), SCHEMA_VERSION);
        write(&store, |tx| {
            tx.insert_workspace(&workspace("org_a"), at(T0))?;
            assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 1);
            assert_eq!(tx.next_display_id("org_a", DisplayKind::Customer)?, 2);
            tx.insert_customer(&s, &cus)?;
            tx.insert_customer(&s, &plain)?;
            tx.insert_contact(&s, &con)?;
            tx.insert_contact(&s, &plain_con)?;
            tx.insert_onboarding(&s, &onb)?;
            tx.insert_onboarding(&s, &plain_onb)?;
            for t in &trs {
                tx.insert_transition(&s, t)?;
            }
            tx.put_idempotency_entry(&s, "customers.create", "key-1", &entry)?;
            let mut e1 = new_event(
                "evt_1",
                EventType::CustomerCreated,
                "cus_full",
                "cus_full",
                at(T0),
            );
            e1.data.previous_attributes = Some(
                serde_json::json!({"name": "Old", "mrr": null})
                    .as_object()
                    .unwrap()
                    .clone(),
            );
            let e2 = new_event(
                "evt_2",
                EventType::ContactCreated,
                "con_1",
                "cus_full",
                at(T0),
            );
            Ok(vec![tx.append_event(&s, e1)?, tx.append_event(&s, e2)?])
        })
    };
    assert_eq!(events[0].sequence, 1);
    assert_eq!(events[1].sequence, 2);
    assert_eq!(events[0].org_id, "org_a");
    assert_eq!(events[0].api_version, "v1");

    let store = SqliteStore::open(&path).unwrap();
    read(&store, |tx| {
        assert_eq!(tx.workspace("org_a")?, Some(workspace("org_a")));
        assert_eq!(tx.workspace_by_slug("org-a")?, Some(workspace("org_a")));
        assert_eq!(tx.workspaces()?, vec![workspace("org_a")]);
        assert_eq!(tx.customer(&s, "cus_full")?, Some(cus.clone()));
        assert_eq!(tx.customer(&s, "cus_plain")?, Some(plain.clone()));
        assert_eq!(tx.customer_by_display_id(&s, 1)?, Some(cus.clone()));
        assert_eq!(
            tx.customer_id_by_slug(&s, &cus.slug)?,
            Some("cus_full".into())
        );
        assert_eq!(tx.contact(&s, "con_1")?, Some(con.clone()));
        assert_eq!(tx.contact_by_display_id(&s, 2)?, Some(plain_con.clone()));
        assert_eq!(
            tx.contact_id_by_email(&s, "cus_full", "con_1@example.com")?,
            Some("con_1".into())
        );
        assert_eq!(tx.primary_contact(&s, "cus_full")?, Some(con.clone()));
        assert_eq!(
            tx.list_contacts(&s, "cus_full", &all())?,
            vec![plain_con.clone(), con.clone()]
        );
        assert_eq!(tx.onboarding(&s, "onb_full")?, Some(onb.clone()));
        assert_eq!(tx.onboarding_by_display_id(&s, 2)?, Some(plain_onb.clone()));
        assert_eq!(tx.customer_onboardings(&s, "cus_full")?, vec![onb.clone()]);
        assert_eq!(
            tx.list_onboardings(&s, &OnboardingFilter::default(), &all())?,
            vec![plain_onb.clone(), onb.clone()]
        );
        assert_eq!(
            tx.list_customers(&s, &CustomerFilter::default(), &all())?,
            vec![plain.clone(), cus.clone()]
        );
        assert_eq!(tx.transitions(&s, "onb_full")?, trs);
        assert_eq!(
            tx.idempotency_entry(&s, "customers.create", "key-1")?,
            Some(entry.clone())
        );
        let filter = EventFilter {
            limit: 10,
            ..EventFilter::default()
        };
        assert_eq!(tx.list_events(&s, &filter)?, events);
        Ok(())
    });
    // The metadata keeps its key order through the JSON column.
    let stored = read(&store, |tx| tx.customer(&s, "cus_full")).unwrap();
    let keys: Vec<&String> = stored.metadata.keys().collect();
    assert_eq!(keys, cus.metadata.keys().collect::<Vec<_>>());
    assert_eq!(keys[..2], ["zeta", "alpha"], "not sorted");
    // Counters continue where they were.
    assert_eq!(
        write(&store, |tx| tx
            .next_display_id("org_a", DisplayKind::Customer)),
        3
    );
}

#[test]
fn files_are_wal_with_foreign_keys_and_versioned() {
    let (_dir, path) = temp_db();
    let store = SqliteStore::open_with(
        &path,
        SqliteOptions {
            durability: Durability::Full,
            busy_timeout: Duration::from_millis(250),
            mmap_size: 1 << 20,
        },
    )
    .unwrap();
    let writer = store.lock();
    let conn = &writer.conn;
    let text = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let int = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(text("PRAGMA journal_mode"), "wal");
    assert_eq!(int("PRAGMA synchronous"), 2); // FULL
    assert_eq!(int("PRAGMA foreign_keys"), 1);
    assert_eq!(int("PRAGMA user_version"), SCHEMA_VERSION);
    assert_eq!(int("PRAGMA busy_timeout"), 250);
    assert_ne!(int("PRAGMA application_id"), 0);
    assert_eq!(int("PRAGMA cache_size"), -32 * 1024);
    // The checkpoint thread checkpoints the file once it is open: the writer's commits do not.
    assert_eq!(int("PRAGMA wal_autocheckpoint"), 0);
    assert_eq!(int("PRAGMA mmap_size"), 0, "the writer never maps the file");
    assert_eq!(int("PRAGMA query_only"), 0);

    let reader = super::super::lock(store.reader.as_ref().expect("a file has a reader"));
    let int = |sql: &str| -> i64 { reader.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(int("PRAGMA query_only"), 1);
    assert_eq!(int("PRAGMA mmap_size"), 1 << 20);
    assert_eq!(int("PRAGMA cache_size"), -32 * 1024);
    assert_eq!(int("PRAGMA busy_timeout"), 250);
    assert!(reader
        .execute("DELETE FROM workspaces", [])
        .is_err_and(|e| e.to_string().contains("readonly")));
}

#[test]
fn mapped_reads_see_every_commit() {
    let (_dir, path) = temp_db();
    let options = SqliteOptions {
        mmap_size: 64 << 20,
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open_with(&path, options).unwrap();
    let s = live();
    write(&store, |tx| {
        tx.insert_workspace(&workspace("org_a"), at(T0))
    });
    for i in 0..200 {
        let mut customer = full_customer("cus_full", 1, at(T0));
        customer.id = format!("cus_{i}");
        customer.display_id = i + 1;
        customer.slug = format!("slug-{i}");
        write(&store, |tx| tx.insert_customer(&s, &customer));
        let stored = read(&store, |tx| tx.customer(&s, &customer.id)).unwrap();
        assert_eq!(stored, customer);
    }
    drop(store);
    let again = SqliteStore::open_with(&path, options).unwrap();
    assert!(read(&again, |tx| tx.customer(&s, "cus_199")).is_some());
}

#[test]
fn in_memory_store_has_the_schema() {
    let store = SqliteStore::open_in_memory().unwrap();
    assert_eq!(store.schema_version(), SCHEMA_VERSION);
    write(&store, |tx| {
        tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))
    });
    assert_eq!(
        read(&store, |tx| tx.customer(&live(), "cus_full")),
        Some(full_customer("cus_full", 1, at(T0)))
    );
}

#[test]
fn schema_too_new_leaves_the_file_untouched() {
    let (_dir, path) = temp_db();
    {
        let store = SqliteStore::open(&path).unwrap();
        write(&store, |tx| {
            tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))
        });
    }
    {
        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    assert_refused_untouched(&path, ErrorCode::SchemaTooNew);
    // Nor is a WAL that a newer program left behind checkpointed into it.
    {
        let raw = Connection::open(&path).unwrap();
        raw.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .unwrap();
        raw.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA user_version = {};",
            SCHEMA_VERSION + 2
        ))
        .unwrap();
    }
    let wal = path.with_extension("db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    assert_refused_untouched(&path, ErrorCode::SchemaTooNew);
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    // A bare SQLite file claiming a future version is refused the same way.
    let (_dir2, bare) = temp_db();
    {
        let raw = Connection::open(&bare).unwrap();
        raw.pragma_update(None, "user_version", 7).unwrap();
    }
    assert_refused_untouched(&bare, ErrorCode::SchemaTooNew);
}

#[test]
fn garbage_files_are_corrupt_and_untouched() {
    let (_dir, path) = temp_db();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let noise: Vec<u8> = (0..10_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(&path, &noise).unwrap();
    assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
    std::fs::write(&path, b"not a database").unwrap();
    assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
    // The magic header alone, followed by zeros, is not a database either.
    let mut header = b"SQLite format 3\0".to_vec();
    header.resize(4096, 0);
    std::fs::write(&path, &header).unwrap();
    assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
}

#[test]
fn truncated_files_are_corrupt_and_untouched() {
    let (_dir, path) = temp_db();
    {
        let store = SqliteStore::open(&path).unwrap();
        write(&store, |tx| {
            for i in 0..300 {
                let mut c = bare_customer(&format!("cus_{i:04}"), i + 1, at(T0 + i));
                c.name = "x".repeat(150);
                tx.insert_customer(&live(), &c)?;
            }
            Ok(())
        });
    }
    let full = std::fs::read(&path).unwrap();
    assert!(full.len() > 8 * 4096, "the test needs a file of many pages");
    for len in [full.len() / 2, 3 * 4096, 4096 + 100, 60] {
        std::fs::write(&path, &full[..len]).unwrap();
        assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
    }
}

#[test]
fn other_applications_databases_are_refused_untouched() {
    let (_dir, path) = temp_db();
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .unwrap();
    }
    assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
    {
        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "application_id", 42).unwrap();
    }
    assert_refused_untouched(&path, ErrorCode::StorageCorrupt);
    let (_dir2, versioned) = temp_db();
    {
        let raw = Connection::open(&versioned).unwrap();
        raw.pragma_update(None, "user_version", 1).unwrap();
    }
    assert_refused_untouched(&versioned, ErrorCode::StorageCorrupt);
}

#[test]
fn an_empty_file_becomes_a_store() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    write(&store, |tx| {
        tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))
    });
}

#[test]
fn a_locked_database_is_busy() {
    let (_dir, path) = temp_db();
    let options = SqliteOptions {
        busy_timeout: Duration::from_millis(50),
        ..SqliteOptions::default()
    };
    let store = SqliteStore::open_with(&path, options).unwrap();
    write(&store, |tx| {
        tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))
    });
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = store
        .write(&mut |tx| tx.insert_customer(&live(), &bare_customer("cus_2", 2, at(T0))))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::StorageBusy, "{err}");
    // Readers are not blocked by a writer in WAL mode.
    assert!(read(&store, |tx| tx.customer(&live(), "cus_full")).is_some());
    other.execute_batch("ROLLBACK").unwrap();
    write(&store, |tx| {
        tx.insert_customer(&live(), &bare_customer("cus_2", 2, at(T0)))
    });
}

#[test]
fn bad_stored_values_are_storage_corrupt() {
    let cases = [
        ("UPDATE customers SET status = 'bogus'", "customer"),
        ("UPDATE customers SET metadata = '{oops'", "customer"),
        ("UPDATE customers SET metadata = '[1, 2]'", "customer"),
        (
            "UPDATE customers SET created_at = 9223372036854775807",
            "customer",
        ),
        ("UPDATE onboardings SET phase = 'Launch'", "onboarding"),
        (
            "UPDATE onboardings SET completed_at = -9223372036854775808",
            "onboarding",
        ),
        ("UPDATE events SET type = 'customer.exploded'", "event"),
        ("UPDATE events SET data = '{}'", "event"),
    ];
    for (corruption, what) in cases {
        let store = SqliteStore::open_in_memory().unwrap();
        write(&store, |tx| {
            tx.insert_customer(&live(), &full_customer("cus_full", 1, at(T0)))?;
            tx.insert_onboarding(&live(), &full_onboarding("onb_full", 1, "cus_full", at(T0)))?;
            let e = new_event(
                "evt_1",
                EventType::CustomerCreated,
                "cus_full",
                "cus_full",
                at(T0),
            );
            tx.append_event(&live(), e).map(drop)
        });
        store.lock().conn.execute_batch(corruption).unwrap();
        let err = store
            .read(&mut |tx| match what {
                "customer" => tx.customer(&live(), "cus_full").map(drop),
                "onboarding" => tx.onboarding(&live(), "onb_full").map(drop),
                _ => tx
                    .list_events(
                        &live(),
                        &EventFilter {
                            limit: 1,
                            ..EventFilter::default()
                        },
                    )
                    .map(drop),
            })
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::StorageCorrupt, "{corruption}: {err}");
    }
}
