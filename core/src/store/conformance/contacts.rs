//! Conformance checks of contacts: round trips, updates, deletes, email and primary lookups.

use super::fixtures::{
    add_contact, add_customer, bare_contact, full_contact, page, read, setup, t, write, ALL, WS_A,
};
use super::support::{assert_fails, assert_same, list_order};
use crate::model::{Contact, Customer};
use crate::store::{DisplayKind, Scope, Store, StoreExt};

/// Contacts come back exactly as inserted, by id and by display id, bare and full.
pub fn check_contact_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let contacts = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let mut contacts = vec![
            bare_contact("con_bare0000000000000000", 0, &c.id, t(1)),
            full_contact("con_full0000000000000000", 0, &c.id, t(2)),
        ];
        for k in &mut contacts {
            k.display_id = tx.next_display_id(WS_A, DisplayKind::Contact)?;
            tx.insert_contact(&scope, k)?;
        }
        Ok(contacts)
    });
    read(store, |tx| {
        for k in &contacts {
            assert_same(
                &tx.contact(&scope, &k.id)?,
                &Some(k.clone()),
                "contact by id",
            );
            assert_same(
                &tx.contact_by_display_id(&scope, k.display_id)?,
                &Some(k.clone()),
                "contact by display id",
            );
        }
        let listed = tx.list_contacts(&scope, &contacts[0].customer_id, &page(ALL))?;
        assert_same(&listed, &list_order(contacts.clone()), "contacts list");
        assert_eq!(tx.contact(&scope, "con_missing")?, None);
        Ok(())
    });
}

/// A contact update replaces every field; a deleted contact is gone and cannot be changed.
pub fn check_contact_update_and_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, other) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let k = add_contact(tx, &scope, "con_update00000000000000", &c.id, t(1))?;
        let other = add_contact(tx, &scope, "con_other000000000000000", &c.id, t(2))?;
        Ok((c, k, other))
    });
    let full = full_contact(&k.id, k.display_id, &c.id, k.created_at);
    write(store, |tx| tx.update_contact(&scope, &full));
    read(store, |tx| {
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(full.clone()),
            "filled contact",
        );
        Ok(())
    });
    let mut cleared = bare_contact(&k.id, k.display_id, &c.id, k.created_at);
    cleared.email = "new@example.com".to_owned();
    cleared.updated_at = t(100);
    write(store, |tx| tx.update_contact(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(cleared.clone()),
            "cleared contact",
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "new@example.com")?,
            Some(k.id.clone())
        );
        assert_eq!(tx.contact_id_by_email(&scope, &c.id, &full.email)?, None);
        Ok(())
    });
    write(store, |tx| tx.delete_contact(&scope, &k.id, t(200)));
    read(store, |tx| {
        assert_eq!(tx.contact(&scope, &k.id)?, None);
        assert_eq!(tx.contact_by_display_id(&scope, k.display_id)?, None);
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "new@example.com")?,
            None
        );
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![other.clone()]
        );
        assert_eq!(tx.contact(&scope, &other.id)?, Some(other.clone()));
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_contact(&scope, &cleared)),
        "updating a deleted contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, &k.id, t(300))),
        "deleting a deleted contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, "con_missing", t(300))),
        "deleting a contact that does not exist",
    );
}

/// Email lookups are per customer and exact; the primary contact follows updates and deletes.
pub fn check_contacts_by_email_and_primary(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, d, k1, k2, k3) = contacts_with_emails(store, &scope);
    read(store, |tx| {
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "ana@example.com")?,
            Some(k1.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "bo@example.com")?,
            Some(k2.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &d.id, "ana@example.com")?,
            Some(k3.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &d.id, "bo@example.com")?,
            None
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "missing@example.com")?,
            None
        );
        assert_eq!(tx.contact_id_by_email(&scope, &c.id, "ana@example")?, None);
        assert_eq!(
            tx.contact_id_by_email(&scope, "cus_missing", "ana@example.com")?,
            None
        );
        assert_eq!(tx.primary_contact(&scope, &c.id)?, Some(k1.clone()));
        assert_eq!(tx.primary_contact(&scope, &d.id)?, None);
        Ok(())
    });
    // The primary moves to k2 in one transaction.
    let (k1, k2) = write(store, |tx| {
        let mut k1 = k1.clone();
        k1.is_primary = false;
        tx.update_contact(&scope, &k1)?;
        let mut k2 = k2.clone();
        k2.is_primary = true;
        tx.update_contact(&scope, &k2)?;
        Ok((k1, k2))
    });
    read(store, |tx| {
        assert_eq!(tx.primary_contact(&scope, &c.id)?, Some(k2.clone()));
        assert_eq!(tx.contact(&scope, &k1.id)?, Some(k1.clone()));
        Ok(())
    });
    write(store, |tx| tx.delete_contact(&scope, &k2.id, t(10)));
    let k4 = write(store, |tx| {
        let mut k4 = add_contact(tx, &scope, "con_k400000000000000000", &c.id, t(11))?;
        k4.email = "bo@example.com".to_owned();
        tx.update_contact(&scope, &k4)?;
        Ok(k4)
    });
    read(store, |tx| {
        assert_eq!(
            tx.primary_contact(&scope, &c.id)?,
            None,
            "the primary was deleted"
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "bo@example.com")?,
            Some(k4.id.clone()),
            "a deleted contact's email is free"
        );
        Ok(())
    });
}

/// Customers `c` and `d`; `c`'s primary contact ana@ and contact bo@, and `d`'s contact ana@.
fn contacts_with_emails(
    store: &dyn Store,
    scope: &Scope,
) -> (Customer, Customer, Contact, Contact, Contact) {
    write(store, |tx| {
        let c = add_customer(tx, scope, "cus_c000000000000000000", t(0))?;
        let d = add_customer(tx, scope, "cus_d000000000000000000", t(0))?;
        let mut k1 = add_contact(tx, scope, "con_k100000000000000000", &c.id, t(1))?;
        k1.email = "ana@example.com".to_owned();
        k1.is_primary = true;
        tx.update_contact(scope, &k1)?;
        let mut k2 = add_contact(tx, scope, "con_k200000000000000000", &c.id, t(2))?;
        k2.email = "bo@example.com".to_owned();
        tx.update_contact(scope, &k2)?;
        let mut k3 = add_contact(tx, scope, "con_k300000000000000000", &d.id, t(3))?;
        k3.email = "ana@example.com".to_owned();
        tx.update_contact(scope, &k3)?;
        Ok((c, d, k1, k2, k3))
    })
}
