//! Conformance checks of the [`Tx`] methods import relies on: raising display-id counters, finding
//! who holds a display id, and telling whether an id exists in a scope whatever its visibility.

use super::fixtures::{add_contact, add_customer, read, setup, t, write};
use crate::error::Error;
use crate::store::{DisplayKind, Store, StoreExt};

/// `raise_display_id` moves a counter forward only, per workspace and kind, and rolls back.
pub fn check_raise_display_id(store: &dyn Store) {
    let (a, a_test, b) = setup(store);
    let ws = a.workspace_id.clone();
    write(store, |tx| add_customer(tx, &a, "cus_first", t(0)));
    write(store, |tx| {
        tx.raise_display_id(&ws, DisplayKind::Customer, 10)
    });
    let next = write(store, |tx| tx.next_display_id(&ws, DisplayKind::Customer));
    assert_eq!(next, 11, "the counter moved past the raised value");
    write(store, |tx| {
        tx.raise_display_id(&ws, DisplayKind::Customer, 5)
    });
    let next = write(store, |tx| tx.next_display_id(&ws, DisplayKind::Customer));
    assert_eq!(next, 12, "a lower value never moves the counter back");

    // A counter never taken before starts from the raised value; other kinds and workspaces
    // keep their own counters; test mode shares the workspace's.
    write(store, |tx| {
        tx.raise_display_id(&ws, DisplayKind::Onboarding, 41)
    });
    let next = write(store, |tx| tx.next_display_id(&ws, DisplayKind::Onboarding));
    assert_eq!(next, 42);
    let next = write(store, |tx| {
        tx.next_display_id(&a_test.workspace_id, DisplayKind::Contact)
    });
    assert_eq!(next, 1, "contacts count on their own");
    let next = write(store, |tx| {
        tx.next_display_id(&b.workspace_id, DisplayKind::Customer)
    });
    assert_eq!(next, 1, "another workspace counts on its own");

    // A raise in a transaction that fails is undone.
    let failed = store.write_with(|tx| {
        tx.raise_display_id(&ws, DisplayKind::Customer, 1_000)?;
        Err::<(), _>(Error::internal("roll back"))
    });
    assert!(failed.is_err());
    let next = write(store, |tx| tx.next_display_id(&ws, DisplayKind::Customer));
    assert_eq!(next, 13, "the failed raise was rolled back");
}

/// `display_id_owner` finds the holder in either mode, deleted or not, per kind and workspace.
pub fn check_display_id_owner(store: &dyn Store) {
    let (a, a_test, b) = setup(store);
    let ws = a.workspace_id.clone();
    let live = write(store, |tx| add_customer(tx, &a, "cus_live", t(0)));
    let test = write(store, |tx| add_customer(tx, &a_test, "cus_test", t(1)));
    write(store, |tx| add_contact(tx, &a, "con_live", &live.id, t(2)));
    write(store, |tx| tx.delete_customer(&a, &live.id, t(3)));

    let owner = |kind, display_id| read(store, |tx| tx.display_id_owner(&ws, kind, display_id));
    assert_eq!(
        owner(DisplayKind::Customer, live.display_id),
        Some((true, live.id.clone())),
        "a deleted record keeps its display id"
    );
    assert_eq!(
        owner(DisplayKind::Customer, test.display_id),
        Some((false, test.id.clone())),
        "test-mode records share the workspace's display ids"
    );
    assert_eq!(
        owner(DisplayKind::Contact, 1),
        Some((true, "con_live".to_owned())),
        "a contact hidden by its customer's deletion keeps its display id"
    );
    assert_eq!(owner(DisplayKind::Onboarding, 1), None, "per kind");
    assert_eq!(owner(DisplayKind::Customer, 99), None);
    let other = read(store, |tx| {
        tx.display_id_owner(&b.workspace_id, DisplayKind::Customer, 1)
    });
    assert_eq!(other, None, "per workspace");
}

/// `record_exists` sees every record of the scope, deleted and hidden ones included, and no other.
pub fn check_record_exists(store: &dyn Store) {
    let (a, a_test, _) = setup(store);
    let customer = write(store, |tx| add_customer(tx, &a, "cus_kept", t(0)));
    let gone = write(store, |tx| add_customer(tx, &a, "cus_gone", t(1)));
    write(store, |tx| {
        add_contact(tx, &a, "con_hidden", &gone.id, t(2))
    });
    write(store, |tx| tx.delete_customer(&a, &gone.id, t(3)));

    let exists = |scope, kind, id: &str| read(store, |tx| tx.record_exists(scope, kind, id));
    assert!(exists(&a, DisplayKind::Customer, &customer.id));
    assert!(exists(&a, DisplayKind::Customer, &gone.id), "deleted");
    assert!(exists(&a, DisplayKind::Contact, "con_hidden"), "hidden");
    assert!(!exists(&a, DisplayKind::Contact, &customer.id), "per kind");
    assert!(
        !exists(&a_test, DisplayKind::Customer, &customer.id),
        "per mode"
    );
    assert!(!exists(&a, DisplayKind::Onboarding, "onb_none"));
}
