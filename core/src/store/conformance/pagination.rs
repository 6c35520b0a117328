//! Pagination as a property, over seeded random cases.

use super::fixtures::{add_contact, add_customer, add_onboarding, live, t, workspace};
use super::support::{ids, list_order, walk, Listed};
use crate::error::Result;
use crate::store::{CustomerFilter, OnboardingFilter, PageRequest, Store, StoreExt};
use std::fmt::Debug;

/// The instants of a pagination case, in milliseconds after the base: few, so many records tie.
const TIE_INSTANTS_MS: [i64; 3] = [0, 1, 60_000];

/// Which list a pagination case walks.
#[derive(Debug, Clone, Copy)]
enum ListKind {
    Customers,
    Contacts,
    Onboardings,
}

/// One pagination case: record `i` is created at `TIE_INSTANTS_MS[instants[i]]` with id number
/// `id_numbers[i]`; pages take `limits` in turn.
#[derive(Debug, Clone)]
struct PaginationCase {
    list: ListKind,
    instants: Vec<usize>,
    id_numbers: Vec<usize>,
    limits: Vec<usize>,
}

/// Pagination as a property: for many random cases (1–200 records drawn from three instants, ids
/// in random order, random page limits), a full walk with `After` cursors returns every record
/// exactly once, in (created_at, id) descending order, with full pages until the last.
///
/// Each case runs in a workspace of its own in the one store; the cases come from a seeded
/// random generator, so every run (and every store) sees the same ones.
pub fn check_pagination_property(store: &dyn Store) {
    use rand::{rngs::StdRng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(0x5EED_2024);
    for n in 0..48u32 {
        let case = PaginationCase::random(&mut rng);
        if let Err(e) = check_pagination_case(store, &format!("org_pagination{n:08}"), &case) {
            panic!("pagination property: {e} in {case:?}");
        }
    }
}

impl PaginationCase {
    /// A random case: 1–200 records over the three instants, ids shuffled, 1–4 page limits
    /// (small ones, 1–5, half the time).
    fn random(rng: &mut rand::rngs::StdRng) -> Self {
        use rand::{seq::SliceRandom, Rng};
        let n = rng.random_range(1..=200);
        let list = [
            ListKind::Customers,
            ListKind::Contacts,
            ListKind::Onboardings,
        ][rng.random_range(0..3)];
        let instants = (0..n)
            .map(|_| rng.random_range(0..TIE_INSTANTS_MS.len()))
            .collect();
        let mut id_numbers: Vec<usize> = (0..n).collect();
        id_numbers.shuffle(rng);
        let limits = (0..rng.random_range(1..5))
            .map(|_| {
                if rng.random_bool(0.5) {
                    rng.random_range(1..=5)
                } else {
                    rng.random_range(1..=100)
                }
            })
            .collect();
        Self {
            list,
            instants,
            id_numbers,
            limits,
        }
    }
}

/// Inserts the case's records into a new workspace and walks its list.
fn check_pagination_case(
    store: &dyn Store,
    workspace_id: &str,
    case: &PaginationCase,
) -> std::result::Result<(), String> {
    let scope = live(workspace_id);
    let parent_id = format!("cus_parent_{workspace_id}");
    let record = |i: usize| {
        let at = t(TIE_INSTANTS_MS[case.instants[i]]);
        (format!("{:06}", case.id_numbers[i]), at)
    };
    let n = case.instants.len();
    let outcome = store.write_with(|tx| {
        tx.insert_workspace(&workspace(workspace_id), t(0))?;
        let parent = add_customer(tx, &scope, &parent_id, t(-1))?;
        let mut customers = Vec::new();
        let mut contacts = Vec::new();
        let mut onboardings = Vec::new();
        for i in 0..n {
            let (number, at) = record(i);
            match case.list {
                ListKind::Customers => {
                    customers.push(add_customer(tx, &scope, &format!("cus_{number}"), at)?)
                }
                ListKind::Contacts => contacts.push(add_contact(
                    tx,
                    &scope,
                    &format!("con_{number}"),
                    &parent.id,
                    at,
                )?),
                ListKind::Onboardings => onboardings.push(add_onboarding(
                    tx,
                    &scope,
                    &format!("onb_{number}"),
                    &parent.id,
                    at,
                )?),
            }
        }
        customers.push(parent);
        Ok((customers, contacts, onboardings))
    });
    let (customers, contacts, onboardings) =
        outcome.map_err(|e| format!("setting up the case failed: {e:?}"))?;
    match case.list {
        ListKind::Customers => {
            let filter = CustomerFilter::default();
            compare_walk(&case.limits, &list_order(customers), |request| {
                store.read_with(|tx| tx.list_customers(&scope, &filter, request))
            })
        }
        ListKind::Contacts => compare_walk(&case.limits, &list_order(contacts), |request| {
            store.read_with(|tx| tx.list_contacts(&scope, &parent_id, request))
        }),
        ListKind::Onboardings => {
            let filter = OnboardingFilter::default();
            compare_walk(&case.limits, &list_order(onboardings), |request| {
                store.read_with(|tx| tx.list_onboardings(&scope, &filter, request))
            })
        }
    }
}

/// Walks and compares with `expected`, for the property.
fn compare_walk<T: Listed>(
    limits: &[usize],
    expected: &[T],
    fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
) -> std::result::Result<(), String> {
    let got = walk(limits, expected.len(), fetch)?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "walk with limits {limits:?} returned {:?}, expected {:?}",
            ids(&got),
            ids(expected)
        ))
    }
}
