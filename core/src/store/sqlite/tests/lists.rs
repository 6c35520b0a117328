//! Lists and pagination.

use super::*;

/// `ids` in list order: `created_at` descending, then `id` descending.
fn list_order<T>(mut items: Vec<T>, key: impl Fn(&T) -> (Timestamp, String)) -> Vec<String> {
    items.sort_by_key(|x| std::cmp::Reverse(key(x)));
    items.iter().map(|x| key(x).1).collect()
}

/// Walks a list page by page with `After` cursors, returning every id in order.
fn walk<T>(
    limit: usize,
    mut fetch: impl FnMut(&PageRequest) -> Vec<T>,
    key: impl Fn(&T) -> (Timestamp, String),
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let items = fetch(&page(cursor.clone(), limit));
        assert!(items.len() <= limit);
        let Some(last) = items.last() else { break };
        let (t, id) = key(last);
        cursor = Some(ListCursor::After(t, id));
        out.extend(items.iter().map(|x| key(x).1));
    }
    out
}

#[test]
fn pagination_returns_every_record_once_despite_equal_created_at() {
    let store = SqliteStore::open_in_memory().unwrap();
    let s = live();
    let phases = [Phase::BeforeGettingStarted, Phase::Review, Phase::Launch];
    let states = [State::Active, State::Paused, State::AtRisk, State::Waiting];
    let statuses = [
        CustomerStatus::Onboarding,
        CustomerStatus::Active,
        CustomerStatus::Churned,
    ];
    let mut customers = Vec::new();
    let mut contacts = Vec::new();
    let mut onboardings = Vec::new();
    for i in 0..120_i64 {
        // Scrambled ids, four distinct creation instants.
        let n = (i * 37) % 120;
        let created = T0 + (i % 4) * 1000;
        let mut c = bare_customer(&format!("cus_{n:03}"), i + 1, at(created));
        c.status = statuses[(i % 3) as usize];
        c.slug = format!("slug-{}", i % 5);
        customers.push(c);
        contacts.push(bare_contact(
            &format!("con_{n:03}"),
            i + 1,
            "cus_000",
            at(created),
        ));
        let mut o = bare_onboarding(
            &format!("onb_{n:03}"),
            i + 1,
            &format!("cus_{:03}", i % 2),
            at(created),
        );
        o.phase = phases[(i % 3) as usize];
        o.state = states[(i % 4) as usize];
        onboardings.push(o);
    }
    write(&store, |tx| {
        for c in &customers {
            tx.insert_customer(&s, c)?;
        }
        for k in &contacts {
            tx.insert_contact(&s, k)?;
        }
        for o in &onboardings {
            tx.insert_onboarding(&s, o)?;
        }
        Ok(())
    });
    let ckey = |c: &Customer| (c.created_at, c.id.clone());
    let kkey = |k: &Contact| (k.created_at, k.id.clone());
    let okey = |o: &Onboarding| (o.created_at, o.id.clone());

    let customer_filters = [
        CustomerFilter::default(),
        CustomerFilter {
            status: Some(CustomerStatus::Active),
            slug: None,
        },
        CustomerFilter {
            status: None,
            slug: Some("slug-3".into()),
        },
        CustomerFilter {
            status: Some(CustomerStatus::Churned),
            slug: Some("slug-1".into()),
        },
    ];
    for filter in &customer_filters {
        let expected = list_order(
            customers
                .iter()
                .filter(|c| filter.status.is_none_or(|st| c.status == st))
                .filter(|c| filter.slug.as_ref().is_none_or(|sl| &c.slug == sl))
                .cloned()
                .collect(),
            ckey,
        );
        assert!(!expected.is_empty());
        for limit in [1, 7, 100] {
            let got = walk(
                limit,
                |p| read(&store, |tx| tx.list_customers(&s, filter, p)),
                ckey,
            );
            assert_eq!(got, expected, "{filter:?} limit {limit}");
        }
    }

    let expected = list_order(contacts.clone(), kkey);
    let got = walk(
        9,
        |p| read(&store, |tx| tx.list_contacts(&s, "cus_000", p)),
        kkey,
    );
    assert_eq!(got, expected);

    let mut onboarding_filters = vec![];
    for customer_id in [None, Some("cus_001".to_string())] {
        for phase in [None, Some(Phase::Review)] {
            for state in [None, Some(State::Waiting)] {
                onboarding_filters.push(OnboardingFilter {
                    customer_id: customer_id.clone(),
                    phase,
                    state,
                });
            }
        }
    }
    for filter in &onboarding_filters {
        let expected = list_order(
            onboardings
                .iter()
                .filter(|o| {
                    filter
                        .customer_id
                        .as_ref()
                        .is_none_or(|c| &o.customer_id == c)
                })
                .filter(|o| filter.phase.is_none_or(|p| o.phase == p))
                .filter(|o| filter.state.is_none_or(|st| o.state == st))
                .cloned()
                .collect(),
            okey,
        );
        assert!(!expected.is_empty(), "{filter:?}");
        let got = walk(
            6,
            |p| read(&store, |tx| tx.list_onboardings(&s, filter, p)),
            okey,
        );
        assert_eq!(got, expected, "{filter:?}");
    }
    let expected = list_order(
        onboardings
            .iter()
            .filter(|o| o.customer_id == "cus_001")
            .cloned()
            .collect(),
        okey,
    );
    let got: Vec<String> = read(&store, |tx| tx.customer_onboardings(&s, "cus_001"))
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(got, expected);

    // `OlderThan` starts strictly before an instant.
    let older = read(&store, |tx| {
        tx.list_customers(
            &s,
            &CustomerFilter::default(),
            &page(Some(ListCursor::OlderThan(at(T0 + 2000))), 1000),
        )
    });
    assert_eq!(older.len(), 60);
    assert!(older.iter().all(|c| c.created_at < at(T0 + 2000)));
    // `After` an id that does not exist still resumes at the right place.
    let after = read(&store, |tx| {
        tx.list_customers(
            &s,
            &CustomerFilter::default(),
            &page(
                Some(ListCursor::After(at(T0 + 3000), "cus_050".into())),
                1000,
            ),
        )
    });
    assert!(after
        .iter()
        .all(|c| c.created_at < at(T0 + 3000) || c.id.as_str() < "cus_050"));
    assert_eq!(
        read(&store, |tx| tx.list_contacts(&s, "cus_000", &page(None, 0))),
        vec![]
    );
}
