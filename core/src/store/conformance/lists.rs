//! Conformance checks of the paginated lists: order, cursors, filters.

use super::fixtures::{
    add_contact, add_customer, add_onboarding, page, page_at, read, scrambled, setup, t, write, ALL,
};
use super::support::{assert_walks, ids, list_order};
use crate::model::{Customer, CustomerStatus, Onboarding, Phase, State};
use crate::store::{
    CustomerFilter, ListCursor, OnboardingFilter, PageRequest, Scope, Store, StoreExt,
};

/// Customers list newest first, ties by id descending; `After` walks see each record exactly once
/// whatever the page size, even when the cursor's record was deleted meanwhile; `OlderThan` is
/// strictly older; deleted customers are left out.
pub fn check_list_customers_order_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 40;
    let all = write(store, |tx| {
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("cus_{:020}", scrambled(i, n));
            all.push(add_customer(tx, &scope, &id, t((i % 3) as i64 * 1_000))?);
        }
        Ok(all)
    });
    let expected = list_order(all.clone());
    let everyone = CustomerFilter::default();
    let fetch =
        |request: &PageRequest| store.read_with(|tx| tx.list_customers(&scope, &everyone, request));
    assert_walks(&expected, fetch, "customers");

    assert_customer_cursors(store, &scope, &expected, n);

    // The cursor's record is deleted between two pages.
    let first = read(store, |tx| tx.list_customers(&scope, &everyone, &page(7)));
    let last = first
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("a first page"));
    write(store, |tx| tx.delete_customer(&scope, &last.id, t(5_000)));
    let rest = read(store, |tx| {
        tx.list_customers(
            &scope,
            &everyone,
            &page_at(ListCursor::After(last.created_at, last.id.clone()), ALL),
        )
    });
    assert_eq!(ids(&rest), ids(&expected[7..]));

    // Deleted records are left out of walks.
    write(store, |tx| {
        for c in expected.iter().skip(1).step_by(4) {
            tx.delete_customer(&scope, &c.id, t(5_000))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 6 && i % 4 != 1)
        .map(|(_, c)| c.clone())
        .collect();
    assert_walks(&remaining, fetch, "customers after deletes");
}

/// Page limits and `OlderThan` and `After` cursors on the customers list, against `expected`
/// (the whole list in order, made of `n` customers).
#[track_caller]
fn assert_customer_cursors(store: &dyn Store, scope: &Scope, expected: &[Customer], n: usize) {
    let everyone = CustomerFilter::default();
    read(store, |tx| {
        assert_eq!(
            tx.list_customers(scope, &everyone, &page(usize::MAX))?,
            expected
        );
        assert!(tx.list_customers(scope, &everyone, &page(0))?.is_empty());
        let first = tx.list_customers(scope, &everyone, &page(5))?;
        assert_eq!(first, expected[..5]);
        // Strictly older than an instant: none of the records created at that instant.
        let older = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::OlderThan(t(1_000)), ALL),
        )?;
        let want: Vec<_> = expected
            .iter()
            .filter(|c| c.created_at < t(1_000))
            .cloned()
            .collect();
        assert_eq!(ids(&older), ids(&want), "OlderThan(t) is created_at < t");
        let none =
            tx.list_customers(scope, &everyone, &page_at(ListCursor::OlderThan(t(0)), ALL))?;
        assert!(none.is_empty());
        let every = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::OlderThan(t(2_001)), ALL),
        )?;
        assert_eq!(every, expected);
        // After a position no record holds.
        let mid = (t(1_000), format!("cus_{:020}", n / 2));
        let after = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::After(mid.0, mid.1.clone()), ALL),
        )?;
        let want: Vec<_> = expected
            .iter()
            .filter(|c| (c.created_at, c.id.as_str()) < (mid.0, mid.1.as_str()))
            .cloned()
            .collect();
        assert_eq!(
            ids(&after),
            ids(&want),
            "After(t, id) is strictly after (t, id)"
        );
        Ok(())
    });
}

/// The customers list filters by status and by slug (together too), before paging.
pub fn check_list_customers_filters(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let n = 30;
    let all = write(store, |tx| {
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("cus_{:020}", scrambled(i, n));
            let mut c = add_customer(tx, &scope, &id, t((i % 2) as i64))?;
            c.status = CustomerStatus::ALL[i % CustomerStatus::ALL.len()];
            tx.update_customer(&scope, &c)?;
            all.push(c);
        }
        // Same statuses in the other mode, to be left out.
        for i in 0..5 {
            let mut c = add_customer(tx, &test_a, &format!("cus_test{i:016}"), t(0))?;
            c.status = CustomerStatus::ALL[i];
            tx.update_customer(&test_a, &c)?;
        }
        Ok(all)
    });
    let expected = list_order(all);
    for status in CustomerStatus::ALL {
        let filter = CustomerFilter {
            status: Some(*status),
            slug: None,
        };
        let want: Vec<_> = expected
            .iter()
            .filter(|c| c.status == *status)
            .cloned()
            .collect();
        assert_walks(
            &want,
            |request| store.read_with(|tx| tx.list_customers(&scope, &filter, request)),
            &format!("customers with status {status}"),
        );
    }
    let target = &expected[4];
    read(store, |tx| {
        let by_slug = CustomerFilter {
            status: None,
            slug: Some(target.slug.clone()),
        };
        assert_eq!(
            tx.list_customers(&scope, &by_slug, &page(20))?,
            vec![target.clone()]
        );
        let after = page_at(ListCursor::After(target.created_at, target.id.clone()), 20);
        assert!(tx.list_customers(&scope, &by_slug, &after)?.is_empty());
        let both = CustomerFilter {
            status: Some(target.status),
            slug: Some(target.slug.clone()),
        };
        assert_eq!(
            tx.list_customers(&scope, &both, &page(20))?,
            vec![target.clone()]
        );
        let other_status = CustomerStatus::ALL
            .iter()
            .copied()
            .find(|s| *s != target.status)
            .unwrap_or(CustomerStatus::Active);
        let mismatch = CustomerFilter {
            status: Some(other_status),
            slug: Some(target.slug.clone()),
        };
        assert!(tx.list_customers(&scope, &mismatch, &page(20))?.is_empty());
        let unknown = CustomerFilter {
            status: None,
            slug: Some("no-such-slug".to_owned()),
        };
        assert!(tx.list_customers(&scope, &unknown, &page(20))?.is_empty());
        Ok(())
    });
}

/// A customer's contacts list newest first with exact cursors, leaving out other customers'
/// contacts and deleted ones.
pub fn check_list_contacts_order_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 25;
    let (c, d, mine, theirs) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_mine0000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_theirs00000000000000", t(0))?;
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for i in 0..n {
            let id = format!("con_{:020}", scrambled(i, n));
            mine.push(add_contact(tx, &scope, &id, &c.id, t((i % 3) as i64))?);
            if i % 5 == 0 {
                let id = format!("con_theirs{i:014}");
                theirs.push(add_contact(tx, &scope, &id, &d.id, t((i % 3) as i64))?);
            }
        }
        Ok((c, d, mine, theirs))
    });
    let expected = list_order(mine);
    let fetch =
        |request: &PageRequest| store.read_with(|tx| tx.list_contacts(&scope, &c.id, request));
    assert_walks(&expected, fetch, "contacts");
    assert_walks(
        &list_order(theirs),
        |request| store.read_with(|tx| tx.list_contacts(&scope, &d.id, request)),
        "the other customer's contacts",
    );
    read(store, |tx| {
        let older = tx.list_contacts(&scope, &c.id, &page_at(ListCursor::OlderThan(t(2)), ALL))?;
        let want: Vec<_> = expected
            .iter()
            .filter(|k| k.created_at < t(2))
            .cloned()
            .collect();
        assert_eq!(older, want);
        assert!(tx
            .list_contacts(&scope, "cus_missing", &page(ALL))?
            .is_empty());
        Ok(())
    });
    write(store, |tx| {
        for k in expected.iter().step_by(3) {
            tx.delete_contact(&scope, &k.id, t(10))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, k)| k.clone())
        .collect();
    assert_walks(&remaining, fetch, "contacts after deletes");
}

/// The onboardings list filters by customer, phase and state in any combination, before paging,
/// newest first with exact cursors.
pub fn check_list_onboardings_filters_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 60;
    let (customers, all) = write(store, |tx| {
        let mut customers = Vec::new();
        for i in 0..3 {
            customers.push(add_customer(tx, &scope, &format!("cus_{i:020}"), t(0))?);
        }
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("onb_{:020}", scrambled(i, n));
            let customer = &customers[i % 3];
            let mut o = add_onboarding(tx, &scope, &id, &customer.id, t((i % 4) as i64))?;
            o.phase = Phase::ALL[i % Phase::ALL.len()];
            o.state = State::ALL[(i / 2) % State::ALL.len()];
            tx.update_onboarding(&scope, &o)?;
            all.push(o);
        }
        Ok((customers, all))
    });
    let expected = list_order(all);
    let filters = onboarding_filters(&customers);
    let matches = |f: &OnboardingFilter, o: &Onboarding| {
        f.customer_id.as_ref().is_none_or(|c| *c == o.customer_id)
            && f.phase.is_none_or(|p| p == o.phase)
            && f.state.is_none_or(|s| s == o.state)
    };
    let mut nonempty = 0;
    for filter in &filters {
        let want: Vec<_> = expected
            .iter()
            .filter(|o| matches(filter, o))
            .cloned()
            .collect();
        nonempty += usize::from(!want.is_empty());
        assert_walks(
            &want,
            |request| store.read_with(|tx| tx.list_onboardings(&scope, filter, request)),
            &format!("onboardings filtered by {filter:?}"),
        );
        let older = read(store, |tx| {
            tx.list_onboardings(&scope, filter, &page_at(ListCursor::OlderThan(t(2)), ALL))
        });
        let want_older: Vec<_> = want
            .iter()
            .filter(|o| o.created_at < t(2))
            .cloned()
            .collect();
        assert_eq!(ids(&older), ids(&want_older), "OlderThan with {filter:?}");
    }
    assert!(
        nonempty > filters.len() / 2,
        "the fixture exercises the filters"
    );

    write(store, |tx| {
        for o in expected.iter().step_by(5) {
            tx.delete_onboarding(&scope, &o.id, t(10))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 0)
        .map(|(_, o)| o.clone())
        .collect();
    let everything = OnboardingFilter::default();
    assert_walks(
        &remaining,
        |request| store.read_with(|tx| tx.list_onboardings(&scope, &everything, request)),
        "onboardings after deletes",
    );
}

/// Every onboarding filter alone and some combinations, for three customers' onboardings.
fn onboarding_filters(customers: &[Customer]) -> Vec<OnboardingFilter> {
    let mut filters = vec![OnboardingFilter::default()];
    for customer in customers {
        filters.push(OnboardingFilter {
            customer_id: Some(customer.id.clone()),
            ..OnboardingFilter::default()
        });
    }
    for phase in Phase::ALL {
        filters.push(OnboardingFilter {
            phase: Some(*phase),
            ..OnboardingFilter::default()
        });
    }
    for state in State::ALL {
        filters.push(OnboardingFilter {
            state: Some(*state),
            ..OnboardingFilter::default()
        });
    }
    filters.push(OnboardingFilter {
        customer_id: Some(customers[1].id.clone()),
        phase: Some(Phase::ProgramDesign),
        state: None,
    });
    filters.push(OnboardingFilter {
        customer_id: None,
        phase: Some(Phase::Review),
        state: Some(State::AtRisk),
    });
    filters.push(OnboardingFilter {
        customer_id: Some(customers[0].id.clone()),
        phase: Some(Phase::BeforeGettingStarted),
        state: Some(State::Active),
    });
    filters.push(OnboardingFilter {
        customer_id: Some(customers[0].id.clone()),
        phase: None,
        state: Some(State::Waiting),
    });
    filters.push(OnboardingFilter {
        customer_id: Some("cus_missing".to_owned()),
        ..OnboardingFilter::default()
    });
    filters
}

/// A customer's onboardings come all at once (no page limit), newest first, without other
/// customers' or deleted ones.
pub fn check_customer_onboardings_returns_all(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 130;
    let (c, d, mine, theirs) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_mine0000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_theirs00000000000000", t(0))?;
        let mut mine = Vec::new();
        for i in 0..n {
            let id = format!("onb_{:020}", scrambled(i, n));
            mine.push(add_onboarding(tx, &scope, &id, &c.id, t((i % 3) as i64))?);
        }
        let theirs = add_onboarding(tx, &scope, "onb_theirs00000000000000", &d.id, t(1))?;
        Ok((c, d, mine, theirs))
    });
    let expected = list_order(mine);
    read(store, |tx| {
        let got = tx.customer_onboardings(&scope, &c.id)?;
        assert_eq!(ids(&got), ids(&expected));
        assert_eq!(got, expected);
        assert_eq!(
            tx.customer_onboardings(&scope, &d.id)?,
            vec![theirs.clone()]
        );
        assert!(tx.customer_onboardings(&scope, "cus_missing")?.is_empty());
        Ok(())
    });
    write(store, |tx| {
        tx.delete_onboarding(&scope, &expected[3].id, t(10))
    });
    read(store, |tx| {
        let got = tx.customer_onboardings(&scope, &c.id)?;
        let mut want = expected.clone();
        want.remove(3);
        assert_eq!(ids(&got), ids(&want));
        Ok(())
    });
}
