//! Conformance checks of workspaces and display ids.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, live, read, setup, t, test_mode, ts, workspace,
    write, WS_A, WS_B,
};
use super::support::assert_fails;
use crate::model::Workspace;
use crate::store::{DisplayKind, Store, StoreExt};

/// Workspaces are found by id and by slug (a slug is not an id) and listed oldest first.
pub fn check_workspaces(store: &dyn Store) {
    let a = Workspace {
        id: "org_aaaaaaaaaaaaaaaaaaaa".to_owned(),
        slug: "acme".to_owned(),
        name: "Acme Ünïcødé 東京".to_owned(),
    };
    let b = workspace("org_bbbbbbbbbbbbbbbbbbbb");
    let c = workspace("org_cccccccccccccccccccc");
    write(store, |tx| {
        tx.insert_workspace(&b, t(1_000))?;
        tx.insert_workspace(&a, ts("1970-01-01T00:00:00.000Z"))
    });
    write(store, |tx| tx.insert_workspace(&c, t(2_000)));
    read(store, |tx| {
        assert_eq!(tx.workspaces()?, vec![a.clone(), b.clone(), c.clone()]);
        assert_eq!(tx.workspace(&a.id)?, Some(a.clone()));
        assert_eq!(tx.workspace(&c.id)?, Some(c.clone()));
        assert_eq!(tx.workspace("org_missing")?, None);
        assert_eq!(tx.workspace_by_slug("acme")?, Some(a.clone()));
        assert_eq!(tx.workspace_by_slug(&b.slug)?, Some(b.clone()));
        assert_eq!(tx.workspace_by_slug(&a.id)?, None, "an id is not a slug");
        assert_eq!(tx.workspace("acme")?, None, "a slug is not an id");
        Ok(())
    });
}

/// A workspace slug is unique (see [`Workspace::slug`]): adding a second workspace with a slug that
/// is taken fails, and `workspace_by_slug` keeps finding the first.
pub fn check_workspace_slugs_are_unique(store: &dyn Store) {
    let first = workspace("org_first000000000000000");
    let mut second = workspace("org_second00000000000000");
    second.slug.clone_from(&first.slug);
    write(store, |tx| tx.insert_workspace(&first, t(0)));
    assert_fails(
        store.write_with(|tx| tx.insert_workspace(&second, t(1))),
        "adding a workspace whose slug is taken",
    );
    read(store, |tx| {
        assert_eq!(tx.workspace_by_slug(&first.slug)?, Some(first.clone()));
        assert_eq!(tx.workspace(&second.id)?, None);
        Ok(())
    });
}

/// Display ids count 1, 2, 3, … per (workspace, kind), both modes drawing from one counter, and the
/// counters persist across transactions.
pub fn check_display_ids_per_workspace_and_kind(store: &dyn Store) {
    setup(store);
    let taken = write(store, |tx| {
        let mut taken = Vec::new();
        for (workspace_id, kind) in [
            (WS_A, DisplayKind::Customer),
            (WS_A, DisplayKind::Customer),
            (WS_A, DisplayKind::Contact),
            (WS_A, DisplayKind::Onboarding),
            (WS_A, DisplayKind::Customer),
            (WS_B, DisplayKind::Customer),
            (WS_A, DisplayKind::Onboarding),
            (WS_B, DisplayKind::Contact),
        ] {
            taken.push(tx.next_display_id(workspace_id, kind)?);
        }
        Ok(taken)
    });
    assert_eq!(taken, vec![1, 2, 1, 1, 3, 1, 2, 1]);

    // Live and test records of one workspace share the counter.
    let (l, t2) = write(store, |tx| {
        let l = add_customer(tx, &live(WS_A), "cus_livelivelivelivelive", t(0))?;
        let t2 = add_customer(tx, &test_mode(WS_A), "cus_testtesttesttesttest", t(0))?;
        Ok((l, t2))
    });
    assert_eq!((l.display_id, t2.display_id), (4, 5));
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Customer)),
        6
    );
    assert_eq!(
        write(store, |tx| tx
            .next_display_id(WS_B, DisplayKind::Onboarding)),
        1
    );
}

/// A deleted record's display id is never handed out again, and no longer finds the record.
pub fn check_display_ids_never_reused(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_00000000000000000001", t(0))?;
        let k = add_contact(tx, &scope, "con_00000000000000000001", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_00000000000000000001", &c.id, t(0))?;
        Ok((c, k, o))
    });
    assert_eq!((c.display_id, k.display_id, o.display_id), (1, 1, 1));
    write(store, |tx| {
        tx.delete_onboarding(&scope, &o.id, t(1))?;
        tx.delete_contact(&scope, &k.id, t(1))?;
        tx.delete_customer(&scope, &c.id, t(1))
    });
    let (c2, k2, o2) = write(store, |tx| {
        let c2 = add_customer(tx, &scope, "cus_00000000000000000002", t(2))?;
        let k2 = add_contact(tx, &scope, "con_00000000000000000002", &c2.id, t(2))?;
        let o2 = add_onboarding(tx, &scope, "onb_00000000000000000002", &c2.id, t(2))?;
        Ok((c2, k2, o2))
    });
    assert_eq!((c2.display_id, k2.display_id, o2.display_id), (2, 2, 2));
    read(store, |tx| {
        assert_eq!(tx.customer_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.contact_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.onboarding_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, 2)?, Some(c2.clone()));
        assert_eq!(tx.contact_by_display_id(&scope, 2)?, Some(k2.clone()));
        assert_eq!(tx.onboarding_by_display_id(&scope, 2)?, Some(o2.clone()));
        assert_eq!(tx.customer_by_display_id(&scope, 3)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, 0)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, -1)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, i64::MAX)?, None);
        Ok(())
    });
}
