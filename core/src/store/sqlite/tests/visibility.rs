//! Scopes and visibility.

use super::*;

#[test]
fn scopes_are_isolated() {
    let store = SqliteStore::open_in_memory().unwrap();
    let (a_live, a_test, b_live) = (
        scope("org_a", true),
        scope("org_a", false),
        scope("org_b", true),
    );
    write(&store, |tx| {
        // The same (imported) id may exist in every scope.
        for (s, display, name) in [
            (&a_live, 1, "A live"),
            (&a_test, 2, "A test"),
            (&b_live, 1, "B live"),
        ] {
            let mut c = bare_customer("cus_same", display, at(T0));
            c.name = name.into();
            tx.insert_customer(s, &c)?;
            tx.insert_contact(s, &bare_contact("con_same", display, "cus_same", at(T0)))?;
            tx.insert_onboarding(s, &bare_onboarding("onb_same", display, "cus_same", at(T0)))?;
            tx.insert_transition(
                s,
                &transition_to(&format!("ptr_{name}"), "onb_same", at(T0), Phase::Review),
            )?;
            tx.put_idempotency_entry(
                s,
                "op",
                "k",
                &IdempotencyEntry {
                    fingerprint: name.into(),
                    response: "{}".into(),
                    created_at: at(T0),
                },
            )?;
        }
        Ok(())
    });
    read(&store, |tx| {
        for (s, display, name) in [
            (&a_live, 1, "A live"),
            (&a_test, 2, "A test"),
            (&b_live, 1, "B live"),
        ] {
            assert_eq!(tx.customer(s, "cus_same")?.unwrap().name, name);
            let list = tx.list_customers(s, &CustomerFilter::default(), &all())?;
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].name, name);
            assert_eq!(tx.customer_by_display_id(s, display)?.unwrap().name, name);
            assert_eq!(tx.list_contacts(s, "cus_same", &all())?.len(), 1);
            assert_eq!(
                tx.list_onboardings(s, &OnboardingFilter::default(), &all())?
                    .len(),
                1
            );
            assert_eq!(tx.customer_onboardings(s, "cus_same")?.len(), 1);
            let trs = tx.transitions(s, "onb_same")?;
            assert_eq!(trs.len(), 1);
            assert_eq!(trs[0].id, format!("ptr_{name}"));
            assert_eq!(
                tx.idempotency_entry(s, "op", "k")?.unwrap().fingerprint,
                name
            );
        }
        // Display id 2 exists in org_a's test mode only.
        assert_eq!(tx.customer_by_display_id(&a_live, 2)?, None);
        assert_eq!(tx.contact_by_display_id(&a_live, 2)?, None);
        assert_eq!(tx.onboarding_by_display_id(&b_live, 2)?, None);
        Ok(())
    });
    // Deleting in one scope leaves the others alone.
    write(&store, |tx| {
        tx.delete_customer(&a_test, "cus_same", at(T0 + 1))
    });
    read(&store, |tx| {
        assert_eq!(tx.customer(&a_test, "cus_same")?, None);
        assert!(tx.customer(&a_live, "cus_same")?.is_some());
        assert!(tx.contact(&a_live, "con_same")?.is_some());
        assert!(tx.onboarding(&b_live, "onb_same")?.is_some());
        Ok(())
    });
    // A record of another workspace cannot be changed.
    let err = store
        .write(&mut |tx| tx.delete_customer(&scope("org_c", true), "cus_same", at(T0)))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
}

#[test]
fn a_deleted_customer_hides_its_contacts_and_onboardings() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    write(&store, |tx| {
        tx.insert_customer(&s, &bare_customer("cus_1", 1, at(T0)))?;
        tx.insert_customer(&s, &bare_customer("cus_2", 2, at(T0)))?;
        let primary = Contact {
            is_primary: true,
            ..bare_contact("con_1", 1, "cus_1", at(T0))
        };
        tx.insert_contact(&s, &primary)?;
        tx.insert_contact(&s, &bare_contact("con_2", 2, "cus_2", at(T0)))?;
        tx.insert_onboarding(&s, &bare_onboarding("onb_1", 1, "cus_1", at(T0)))?;
        tx.insert_onboarding(&s, &bare_onboarding("onb_2", 2, "cus_2", at(T0)))?;
        tx.delete_customer(&s, "cus_1", at(T0 + 1))
    });
    read(&store, |tx| {
        assert_eq!(tx.customer(&s, "cus_1")?, None);
        assert_eq!(tx.customer_by_display_id(&s, 1)?, None);
        assert_eq!(tx.customer_id_by_slug(&s, "cus-1")?, None);
        assert_eq!(tx.contact(&s, "con_1")?, None);
        assert_eq!(tx.contact_by_display_id(&s, 1)?, None);
        assert_eq!(
            tx.contact_id_by_email(&s, "cus_1", "con_1@example.com")?,
            None
        );
        assert_eq!(tx.primary_contact(&s, "cus_1")?, None);
        assert_eq!(tx.list_contacts(&s, "cus_1", &all())?, vec![]);
        assert_eq!(tx.onboarding(&s, "onb_1")?, None);
        assert_eq!(tx.onboarding_by_display_id(&s, 1)?, None);
        assert_eq!(tx.customer_onboardings(&s, "cus_1")?, vec![]);
        let filter = OnboardingFilter {
            customer_id: Some("cus_1".into()),
            ..OnboardingFilter::default()
        };
        assert_eq!(tx.list_onboardings(&s, &filter, &all())?, vec![]);
        let ids: Vec<String> = tx
            .list_onboardings(&s, &OnboardingFilter::default(), &all())?
            .into_iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(ids, ["onb_2"]);
        let ids: Vec<String> = tx
            .list_customers(&s, &CustomerFilter::default(), &all())?
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["cus_2"]);
        assert!(tx.contact(&s, "con_2")?.is_some());
        Ok(())
    });
    for result in [
        store.write(&mut |tx| tx.update_contact(&s, &bare_contact("con_1", 1, "cus_1", at(T0)))),
        store.write(&mut |tx| tx.delete_contact(&s, "con_1", at(T0))),
        store.write(&mut |tx| {
            tx.update_onboarding(&s, &bare_onboarding("onb_1", 1, "cus_1", at(T0)))
        }),
        store.write(&mut |tx| tx.delete_onboarding(&s, "onb_1", at(T0))),
        store.write(&mut |tx| tx.delete_customer(&s, "cus_1", at(T0))),
    ] {
        assert_eq!(result.unwrap_err().code, ErrorCode::Internal);
    }
    // The rows are kept, untouched.
    let writer = store.lock();
    let conn = &writer.conn;
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM contacts WHERE deleted_at IS NULL"),
        2
    );
    assert_eq!(
        count("SELECT count(*) FROM onboardings WHERE deleted_at IS NULL"),
        2
    );
    assert_eq!(
        count("SELECT count(*) FROM customers WHERE deleted_at IS NOT NULL"),
        1
    );
}

#[test]
fn deleted_records_free_their_slug_and_email() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    write(&store, |tx| {
        tx.insert_customer(&s, &bare_customer("cus_1", 1, at(T0)))?;
        tx.insert_contact(&s, &bare_contact("con_1", 1, "cus_1", at(T0)))?;
        tx.delete_contact(&s, "con_1", at(T0 + 1))?;
        let mut twin = bare_contact("con_2", 2, "cus_1", at(T0 + 2));
        twin.email = "con_1@example.com".into();
        tx.insert_contact(&s, &twin)
    });
    assert_eq!(
        read(&store, |tx| tx.contact_id_by_email(
            &s,
            "cus_1",
            "con_1@example.com"
        )),
        Some("con_2".into())
    );
    write(&store, |tx| {
        tx.delete_customer(&s, "cus_1", at(T0 + 3))?;
        let mut again = bare_customer("cus_2", 2, at(T0 + 4));
        again.slug = "cus-1".into();
        tx.insert_customer(&s, &again)
    });
    read(&store, |tx| {
        assert_eq!(tx.customer_id_by_slug(&s, "cus-1")?, Some("cus_2".into()));
        let filter = CustomerFilter {
            slug: Some("cus-1".into()),
            ..CustomerFilter::default()
        };
        assert_eq!(tx.list_customers(&s, &filter, &all())?.len(), 1);
        assert_eq!(
            tx.contact_id_by_email(&s, "cus_1", "con_1@example.com")?,
            None
        );
        Ok(())
    });
}

#[test]
fn updates_replace_the_mutable_fields() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    write(&store, |tx| {
        tx.insert_customer(&s, &bare_customer("cus_full", 1, at(T0)))?;
        tx.insert_contact(&s, &bare_contact("con_1", 1, "cus_full", at(T0)))?;
        tx.insert_onboarding(&s, &bare_onboarding("onb_full", 1, "cus_full", at(T0)))
    });
    let mut c = full_customer("cus_full", 1, at(T0));
    c.created_at = at(T0);
    let k = Contact {
        name: "Renamed".into(),
        email: "new@example.com".into(),
        title: Some("CEO".into()),
        phone: Some("123".into()),
        is_primary: true,
        labels: vec!["a".into()],
        updated_at: at(T0 + 7),
        ..bare_contact("con_1", 1, "cus_full", at(T0))
    };
    let mut o = full_onboarding("onb_full", 1, "cus_full", at(T0));
    o.created_at = at(T0);
    write(&store, |tx| {
        tx.update_customer(&s, &c)?;
        tx.update_contact(&s, &k)?;
        tx.update_onboarding(&s, &o)
    });
    read(&store, |tx| {
        assert_eq!(tx.customer(&s, "cus_full")?, Some(c.clone()));
        assert_eq!(tx.contact(&s, "con_1")?, Some(k.clone()));
        assert_eq!(tx.primary_contact(&s, "cus_full")?, Some(k.clone()));
        assert_eq!(tx.onboarding(&s, "onb_full")?, Some(o.clone()));
        let filter = CustomerFilter {
            status: Some(CustomerStatus::AtRisk),
            ..CustomerFilter::default()
        };
        assert_eq!(tx.list_customers(&s, &filter, &all())?, vec![c.clone()]);
        Ok(())
    });
    // Clearing every nullable field round-trips too.
    let cleared = bare_onboarding("onb_full", 1, "cus_full", at(T0));
    write(&store, |tx| tx.update_onboarding(&s, &cleared));
    assert_eq!(
        read(&store, |tx| tx.onboarding(&s, "onb_full")),
        Some(cleared)
    );
}
