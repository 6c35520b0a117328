//! Conformance checks of customers: round trips, updates, soft deletes.

use super::fixtures::{
    add_customer, bare_customer, full_customer, page, read, setup, t, write, ALL, WS_A,
};
use super::support::{assert_fails, assert_same, list_order};
use crate::model::CustomerStatus;
use crate::store::{CustomerFilter, DisplayKind, Store, StoreExt};
use serde_json::json;

/// Customers come back exactly as inserted, every field, by id and by display id: all optional
/// fields empty, all set (unicode, nested metadata in its key order), and every status.
pub fn check_customer_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let mut customers = vec![
        bare_customer("cus_bare0000000000000000", 0, t(1)),
        full_customer("cus_full0000000000000000", 0, t(123)),
    ];
    for (i, status) in CustomerStatus::ALL.iter().enumerate() {
        let mut c = full_customer(&format!("cus_status{i:014}"), 0, t(i as i64));
        c.status = *status;
        customers.push(c);
    }
    write(store, |tx| {
        for c in &mut customers {
            c.display_id = tx.next_display_id(WS_A, DisplayKind::Customer)?;
            tx.insert_customer(&scope, c)?;
        }
        Ok(())
    });
    read(store, |tx| {
        for c in &customers {
            let by_id = tx.customer(&scope, &c.id)?;
            assert_same(&by_id, &Some(c.clone()), "customer by id");
            let by_display = tx.customer_by_display_id(&scope, c.display_id)?;
            assert_same(&by_display, &Some(c.clone()), "customer by display id");
            assert_eq!(tx.customer_id_by_slug(&scope, &c.slug)?, Some(c.id.clone()));
        }
        let listed = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_same(&listed, &list_order(customers.clone()), "customers list");
        assert_eq!(tx.customer(&scope, "cus_missing")?, None);
        assert_eq!(tx.customer(&scope, "")?, None);
        Ok(())
    });
}

/// An update replaces every field; lookups and filters follow the new values.
pub fn check_customer_update(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let original = write(store, |tx| {
        let d = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        let c = full_customer("cus_update00000000000000", d, t(0));
        tx.insert_customer(&scope, &c)?;
        Ok(c)
    });

    // Everything cleared or changed.
    let mut cleared = bare_customer(&original.id, original.display_id, original.created_at);
    cleared.name = "Renamed".to_owned();
    cleared.slug = "renamed".to_owned();
    cleared.status = CustomerStatus::Churned;
    cleared.updated_at = t(5_000);
    write(store, |tx| tx.update_customer(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &original.id)?,
            &Some(cleared.clone()),
            "cleared",
        );
        assert_same(
            &tx.customer_by_display_id(&scope, original.display_id)?,
            &Some(cleared.clone()),
            "cleared by display id",
        );
        assert_eq!(
            tx.customer_id_by_slug(&scope, "renamed")?,
            Some(original.id.clone())
        );
        assert_eq!(tx.customer_id_by_slug(&scope, &original.slug)?, None);
        let by_old_status = CustomerFilter {
            status: Some(original.status),
            slug: None,
        };
        assert!(tx
            .list_customers(&scope, &by_old_status, &page(ALL))?
            .is_empty());
        let by_new_status = CustomerFilter {
            status: Some(CustomerStatus::Churned),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(&scope, &by_new_status, &page(ALL))?,
            vec![cleared.clone()]
        );
        Ok(())
    });

    // And everything set again, with other values.
    let mut refilled = full_customer(&original.id, original.display_id, original.created_at);
    refilled.metadata = serde_json::from_value(json!({"b": [1, {"c": "ü"}], "a": {}}))
        .unwrap_or_else(|e| panic!("metadata fixture: {e}"));
    refilled.mrr = Some(0);
    refilled.updated_at = t(6_000);
    write(store, |tx| tx.update_customer(&scope, &refilled));
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &original.id)?,
            &Some(refilled.clone()),
            "refilled",
        );
        assert_eq!(
            tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?,
            vec![refilled.clone()]
        );
        Ok(())
    });

    assert_fails(
        store.write_with(|tx| tx.update_customer(&scope, &bare_customer("cus_missing", 99, t(0)))),
        "updating a customer that does not exist",
    );
}

/// A deleted customer is gone from every lookup and list, cannot be updated or deleted again, and
/// leaves other customers alone.
pub fn check_customer_soft_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (gone, kept) = write(store, |tx| {
        let gone = add_customer(tx, &scope, "cus_gone0000000000000000", t(0))?;
        let kept = add_customer(tx, &scope, "cus_kept0000000000000000", t(0))?;
        Ok((gone, kept))
    });
    write(store, |tx| tx.delete_customer(&scope, &gone.id, t(10)));
    read(store, |tx| {
        assert_eq!(tx.customer(&scope, &gone.id)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, gone.display_id)?, None);
        assert_eq!(tx.customer_id_by_slug(&scope, &gone.slug)?, None);
        assert_eq!(
            tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?,
            vec![kept.clone()]
        );
        let by_slug = CustomerFilter {
            status: None,
            slug: Some(gone.slug.clone()),
        };
        assert!(tx.list_customers(&scope, &by_slug, &page(ALL))?.is_empty());
        let by_status = CustomerFilter {
            status: Some(gone.status),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(&scope, &by_status, &page(ALL))?,
            vec![kept.clone()]
        );
        assert_eq!(tx.customer(&scope, &kept.id)?, Some(kept.clone()));
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_customer(&scope, &gone)),
        "updating a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(&scope, &gone.id, t(11))),
        "deleting a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(&scope, "cus_missing", t(11))),
        "deleting a customer that does not exist",
    );
    // A new customer may take the deleted one's slug.
    let mut heir = bare_customer("cus_heir0000000000000000", 0, t(20));
    heir.slug = gone.slug.clone();
    write(store, |tx| {
        heir.display_id = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        tx.insert_customer(&scope, &heir)
    });
    read(store, |tx| {
        assert_eq!(
            tx.customer_id_by_slug(&scope, &gone.slug)?,
            Some(heir.id.clone())
        );
        Ok(())
    });
}
