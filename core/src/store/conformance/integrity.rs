//! Conformance checks of integrity: fixed fields, taken ids and display ids, dangling references.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, bare_contact, bare_customer, bare_onboarding,
    full_contact, full_customer, full_onboarding, idempotency, page, read, setup, t, transition,
    workspace, write, ALL, WS_A,
};
use super::support::{assert_fails, assert_same};
use crate::error::Result;
use crate::model::{Contact, Customer, Onboarding};
use crate::store::{CustomerFilter, Scope, Store, StoreExt, Tx};

/// An update replaces the mutable fields only: a record's `display_id`, `created_at` and (for
/// contacts and onboardings) `customer_id` stay as inserted, whatever the update carries.
pub fn check_updates_keep_fixed_fields(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, d, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_c000000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_d000000000000000000", t(1))?;
        let k = add_contact(tx, &scope, "con_k000000000000000000", &c.id, t(2))?;
        let o = add_onboarding(tx, &scope, "onb_o000000000000000000", &c.id, t(3))?;
        Ok((c, d, k, o))
    });
    let mut changed_c = full_customer(&c.id, 77, t(9_000));
    changed_c.name = "Changed".to_owned();
    let mut changed_k = full_contact(&k.id, 77, &d.id, t(9_000));
    changed_k.name = "Changed".to_owned();
    let mut changed_o = full_onboarding(&o.id, 77, &d.id, t(9_000));
    changed_o.notes = Some("Changed".to_owned());
    write(store, |tx| {
        tx.update_customer(&scope, &changed_c)?;
        tx.update_contact(&scope, &changed_k)?;
        tx.update_onboarding(&scope, &changed_o)
    });
    let want_c = Customer {
        display_id: c.display_id,
        created_at: c.created_at,
        ..changed_c
    };
    let want_k = Contact {
        display_id: k.display_id,
        created_at: k.created_at,
        customer_id: c.id.clone(),
        ..changed_k
    };
    let want_o = Onboarding {
        display_id: o.display_id,
        created_at: o.created_at,
        customer_id: c.id.clone(),
        ..changed_o
    };
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &c.id)?,
            &Some(want_c.clone()),
            "updated customer",
        );
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(want_k.clone()),
            "updated contact",
        );
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(want_o.clone()),
            "updated onboarding",
        );
        assert_eq!(tx.customer_by_display_id(&scope, 77)?, None);
        assert_eq!(
            tx.contact_by_display_id(&scope, k.display_id)?,
            Some(want_k.clone())
        );
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(
            customers,
            vec![d.clone(), want_c.clone()],
            "list position unchanged"
        );
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![want_k.clone()]
        );
        assert!(tx.list_contacts(&scope, &d.id, &page(ALL))?.is_empty());
        assert_eq!(
            tx.customer_onboardings(&scope, &c.id)?,
            vec![want_o.clone()]
        );
        assert!(tx.customer_onboardings(&scope, &d.id)?.is_empty());
        Ok(())
    });
}

/// One write of [`check_integrity_constraints`] that must fail.
type Attempt<'a> = Box<dyn Fn(&mut dyn Tx) -> Result<()> + 'a>;

/// The committed records of [`check_integrity_constraints`]: a customer `c` with a contact `k`
/// and an onboarding `o`, a deleted customer `gone` (all in the live scope), and a customer `tc`
/// of the test mode.
struct Existing {
    c: Customer,
    gone: Customer,
    k: Contact,
    o: Onboarding,
    tc: Customer,
}

/// Writes that would break the store's integrity fail: an id that exists in the scope (even
/// deleted), a display id taken in either mode of the workspace, a contact or onboarding whose
/// customer is not in the scope, a transition whose onboarding is not in the scope, a workspace id
/// that exists. Nothing of the failed transaction stays.
pub fn check_integrity_constraints(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let (c, gone, k, o, tc) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_c000000000000000000", t(0))?;
        let gone = add_customer(tx, &scope, "cus_gone000000000000000", t(0))?;
        tx.delete_customer(&scope, &gone.id, t(1))?;
        let k = add_contact(tx, &scope, "con_k000000000000000000", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_o000000000000000000", &c.id, t(0))?;
        let tc = add_customer(tx, &test_a, "cus_t000000000000000000", t(0))?;
        Ok((c, gone, k, o, tc))
    });
    let existing = Existing {
        c: c.clone(),
        gone,
        k: k.clone(),
        o: o.clone(),
        tc: tc.clone(),
    };
    let attempts = taken_id_attempts(&scope, &test_a, &existing)
        .into_iter()
        .chain(dangling_attempts(&scope, &test_a, &existing));
    for (what, attempt) in attempts {
        let outcome = store.write_with(|tx| {
            tx.put_idempotency_entry(
                &scope,
                "op",
                "in-the-failed-transaction",
                &idempotency("f", "r", t(5)),
            )?;
            attempt(tx)
        });
        assert_fails(outcome, &format!("inserting {what}"));
    }
    read(store, |tx| {
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(customers, vec![c.clone()]);
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![k.clone()]
        );
        assert_eq!(tx.customer_onboardings(&scope, &c.id)?, vec![o.clone()]);
        assert!(tx.transitions(&scope, &o.id)?.is_empty());
        assert!(tx.transitions(&test_a, &o.id)?.is_empty());
        let test_customers = tx.list_customers(&test_a, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(test_customers, vec![tc.clone()]);
        assert_eq!(tx.workspace(WS_A)?, Some(workspace(WS_A)));
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "in-the-failed-transaction")?,
            None
        );
        Ok(())
    });
}

/// Inserts of ids, display ids and a workspace id that are taken.
fn taken_id_attempts<'a>(
    scope: &'a Scope,
    test_a: &'a Scope,
    existing: &'a Existing,
) -> Vec<(&'static str, Attempt<'a>)> {
    let Existing { c, gone, k, o, tc } = existing;
    vec![
        (
            "a customer id that exists",
            Box::new(move |tx| tx.insert_customer(scope, &bare_customer(&c.id, 100, t(5)))),
        ),
        (
            "a deleted customer's id",
            Box::new(move |tx| tx.insert_customer(scope, &bare_customer(&gone.id, 100, t(5)))),
        ),
        (
            "a contact id that exists",
            Box::new(move |tx| tx.insert_contact(scope, &bare_contact(&k.id, 100, &c.id, t(5)))),
        ),
        (
            "an onboarding id that exists",
            Box::new(move |tx| {
                tx.insert_onboarding(scope, &bare_onboarding(&o.id, 100, &c.id, t(5)))
            }),
        ),
        (
            "a customer display id taken in the scope",
            Box::new(move |tx| {
                tx.insert_customer(scope, &bare_customer("cus_new", c.display_id, t(5)))
            }),
        ),
        (
            "a deleted customer's display id",
            Box::new(move |tx| {
                tx.insert_customer(scope, &bare_customer("cus_new", gone.display_id, t(5)))
            }),
        ),
        (
            "a customer display id taken in the other mode",
            Box::new(move |tx| {
                tx.insert_customer(test_a, &bare_customer("cus_new", c.display_id, t(5)))
            }),
        ),
        (
            "a contact display id taken in the other mode",
            Box::new(move |tx| {
                let contact = bare_contact("con_new", k.display_id, &tc.id, t(5));
                tx.insert_contact(test_a, &contact)
            }),
        ),
        (
            "an onboarding display id taken in the other mode",
            Box::new(move |tx| {
                let onboarding = bare_onboarding("onb_new", o.display_id, &tc.id, t(5));
                tx.insert_onboarding(test_a, &onboarding)
            }),
        ),
        (
            "a workspace id that exists",
            Box::new(move |tx| {
                let mut again = workspace(WS_A);
                again.slug = "another-slug".to_owned();
                tx.insert_workspace(&again, t(5))
            }),
        ),
    ]
}

/// Inserts of contacts, onboardings and transitions whose parent is not in the scope.
fn dangling_attempts<'a>(
    scope: &'a Scope,
    test_a: &'a Scope,
    existing: &'a Existing,
) -> Vec<(&'static str, Attempt<'a>)> {
    let Existing { c, o, .. } = existing;
    vec![
        (
            "a contact of a customer that does not exist",
            Box::new(move |tx| {
                tx.insert_contact(scope, &bare_contact("con_new", 100, "cus_missing", t(5)))
            }),
        ),
        (
            "a contact of the other mode's customer",
            Box::new(move |tx| {
                tx.insert_contact(test_a, &bare_contact("con_new", 100, &c.id, t(5)))
            }),
        ),
        (
            "an onboarding of a customer that does not exist",
            Box::new(move |tx| {
                tx.insert_onboarding(scope, &bare_onboarding("onb_new", 100, "cus_missing", t(5)))
            }),
        ),
        (
            "an onboarding of the other mode's customer",
            Box::new(move |tx| {
                tx.insert_onboarding(test_a, &bare_onboarding("onb_new", 100, &c.id, t(5)))
            }),
        ),
        (
            "a transition of an onboarding that does not exist",
            Box::new(move |tx| {
                tx.insert_transition(scope, &transition("ptr_new", "onb_missing", t(5)))
            }),
        ),
        (
            "a transition of the other mode's onboarding",
            Box::new(move |tx| tx.insert_transition(test_a, &transition("ptr_new", &o.id, t(5)))),
        ),
    ]
}
