//! No operation in one (workspace, mode) pair ever returns, counts, updates or deletes a record of
//! another pair — not even when it guesses ids and display ids, and whether it runs through the
//! local handle of the pair or through a session of one of the pair's API keys, which can never
//! switch to another workspace, mode or actor.

use pivotal_core::{
    ContactParams, CustomerListParams, CustomerParams, CustomerPatch, ErrorCode, ListParams,
    OnboardingListParams, OnboardingParams, Patch, Pivotal,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
enum Op {
    Create {
        session: usize,
    },
    CreateChildren {
        session: usize,
        target: usize,
    },
    Update {
        session: usize,
        target: usize,
        by_display_id: bool,
    },
    Delete {
        session: usize,
        target: usize,
        by_display_id: bool,
    },
    /// A key's session tries to leave its pair (to the workspace and mode of `to`, or another actor).
    Escape {
        session: usize,
        to: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let s = 0usize..4;
    prop_oneof![
        s.clone().prop_map(|session| Op::Create { session }),
        (s.clone(), 0usize..50)
            .prop_map(|(session, target)| Op::CreateChildren { session, target }),
        (s.clone(), 0usize..50, any::<bool>()).prop_map(|(session, target, by_display_id)| {
            Op::Update {
                session,
                target,
                by_display_id,
            }
        }),
        (s.clone(), 0usize..50, any::<bool>()).prop_map(|(session, target, by_display_id)| {
            Op::Delete {
                session,
                target,
                by_display_id,
            }
        }),
        (s.clone(), s).prop_map(|(session, to)| Op::Escape { session, to }),
    ]
}

/// A customer some session created: its owner, id and display id.
#[derive(Debug, Clone)]
struct Record {
    owner: usize,
    id: String,
    display_id: i64,
}

/// The four (workspace, mode) pairs, each as `[local handle, session of the pair's API key]`.
fn sessions(db: &Pivotal) -> Vec<[Pivotal; 2]> {
    db.workspaces().create("Other", Some("other")).unwrap();
    let other = db.with_workspace("other").unwrap();
    let locals = [
        db.clone(),
        db.with_livemode(false).unwrap(),
        other.clone(),
        other.with_livemode(false).unwrap(),
    ];
    locals
        .into_iter()
        .enumerate()
        .map(|(i, local)| {
            let key = local.api_keys().create(&format!("key-{i}")).unwrap();
            let keyed = db.authenticate(&key.secret).unwrap();
            [local, keyed]
        })
        .collect()
}

/// Every way a key's session could leave its pair, each refused with `permission_denied`.
fn escapes(keyed: &Pivotal, to: &Pivotal) -> Vec<Option<ErrorCode>> {
    let target = &to.session().workspace;
    vec![
        keyed.with_workspace(&target.slug).err().map(|e| e.code),
        keyed.with_workspace(&target.id).err().map(|e| e.code),
        keyed
            .with_livemode(to.session().livemode)
            .err()
            .map(|e| e.code),
        keyed.with_actor("spoofed").err().map(|e| e.code),
    ]
}

/// The ids visible to a session through every list.
fn visible(db: &Pivotal) -> (BTreeSet<String>, usize, usize) {
    let page = CustomerListParams {
        limit: Some(100),
        ..Default::default()
    };
    let customers: BTreeSet<String> = db
        .customers()
        .list(&page)
        .unwrap()
        .data
        .into_iter()
        .map(|c| c.id)
        .collect();
    let onboardings = db.onboardings().list(&OnboardingListParams {
        limit: Some(100),
        ..Default::default()
    });
    let contacts: usize = customers
        .iter()
        .map(|c| {
            db.contacts()
                .list(
                    c,
                    &ListParams {
                        limit: Some(100),
                        cursor: None,
                    },
                )
                .unwrap()
                .data
                .len()
        })
        .sum();
    (customers, onboardings.unwrap().data.len(), contacts)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn sessions_never_see_each_other(ops in prop::collection::vec(op(), 1..40)) {
        check(Pivotal::options().key_iterations(1).open_in_memory().unwrap(), ops)?;
    }
}

// The same on a PostgreSQL database (a fresh one per case): make pg-test.
#[cfg(feature = "postgres")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    #[ignore = "needs PostgreSQL: make pg-test"]
    fn sessions_never_see_each_other_on_postgres(ops in prop::collection::vec(op(), 1..40)) {
        let url = pivotal_core::store::postgres::testing::fresh_database();
        check(Pivotal::options().key_iterations(1).open(url).unwrap(), ops)?;
    }
}

fn check(db: Pivotal, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let handles = sessions(&db);
    // Even steps run through the local handles, odd ones through a clone of the key sessions.
    let mut sessions: Vec<Pivotal> = handles.iter().map(|h| h[0].clone()).collect();
    let mut records: Vec<Record> = Vec::new();
    let mut alive: Vec<BTreeSet<String>> = vec![BTreeSet::new(); 4];
    let mut children = [0usize; 4];
    for (step, op) in ops.into_iter().enumerate() {
        for (pair, h) in handles.iter().enumerate() {
            sessions[pair] = h[step % 2].clone();
        }
        match op {
            Op::Create { session } => {
                let params = CustomerParams {
                    name: format!("C{}", records.len()),
                    ..Default::default()
                };
                let c = sessions[session].customers().create(params, None).unwrap();
                alive[session].insert(c.id.clone());
                records.push(Record {
                    owner: session,
                    id: c.id,
                    display_id: c.display_id,
                });
            }
            Op::CreateChildren { session, target } if !records.is_empty() => {
                let r = &records[target % records.len()];
                let db = &sessions[session];
                let reference = r.display_id.to_string();
                let contact = ContactParams {
                    name: "N".into(),
                    email: format!("n{}@x.io", children[session]),
                    ..Default::default()
                };
                let made = db.contacts().create(&reference, contact, None);
                let onboarding = OnboardingParams {
                    customer_id: reference.clone(),
                    ..Default::default()
                };
                let made_onb = db.onboardings().create(onboarding, None);
                // A display id names the session's own customer with that number, if it has one.
                let own = records.iter().find(|o| {
                    o.owner == session
                        && o.display_id == r.display_id
                        && alive[session].contains(&o.id)
                });
                prop_assert_eq!(made.is_ok(), own.is_some());
                prop_assert_eq!(made_onb.is_ok(), own.is_some());
                if let (Ok(c), Some(own)) = (made, own) {
                    prop_assert_eq!(&c.customer_id, &own.id);
                    children[session] += 1;
                }
                let by_id = OnboardingParams {
                    customer_id: r.id.clone(),
                    ..Default::default()
                };
                prop_assert_eq!(
                    db.onboardings().create(by_id, None).is_ok(),
                    r.owner == session && alive[session].contains(&r.id)
                );
            }
            Op::Update {
                session,
                target,
                by_display_id,
            } if !records.is_empty() => {
                let r = &records[target % records.len()];
                let reference = if by_display_id {
                    r.display_id.to_string()
                } else {
                    r.id.clone()
                };
                let patch = CustomerPatch {
                    plan: Patch::Set("gold".into()),
                    ..Default::default()
                };
                if let Ok(updated) = sessions[session].customers().update(&reference, patch) {
                    prop_assert!(
                        alive[session].contains(&updated.id),
                        "updated another pair's record"
                    );
                } else {
                    prop_assert!(!(r.owner == session && alive[session].contains(&r.id)));
                }
            }
            Op::Delete {
                session,
                target,
                by_display_id,
            } if !records.is_empty() => {
                let r = &records[target % records.len()];
                let reference = if by_display_id {
                    r.display_id.to_string()
                } else {
                    r.id.clone()
                };
                if let Ok(deleted) = sessions[session].customers().delete(&reference) {
                    prop_assert!(
                        alive[session].remove(&deleted.id),
                        "deleted another pair's record"
                    );
                }
            }
            Op::Escape { session, to } => {
                let refused = Some(ErrorCode::PermissionDenied);
                for e in escapes(&handles[session][1], &handles[to][0]) {
                    prop_assert_eq!(e, refused);
                }
            }
            _ => {}
        }
        for (i, db) in handles
            .iter()
            .flatten()
            .enumerate()
            .map(|(n, db)| (n / 2, db))
        {
            let (customers, _, _) = visible(db);
            prop_assert_eq!(&customers, &alive[i]);
            for r in records.iter().filter(|r| r.owner != i) {
                prop_assert!(db.customers().retrieve(&r.id).is_err());
                if let Ok(found) = db.customers().retrieve(&r.display_id.to_string()) {
                    prop_assert!(alive[i].contains(&found.id));
                }
            }
            let events = db.events().list(&Default::default()).unwrap();
            prop_assert!(events
                .data
                .iter()
                .all(|e| e.livemode == db.session().livemode
                    && e.org_id == db.session().workspace.id));
            // The key's session writes under the key's name, and only the two actors appear.
            let key_name = format!("key-{}", i);
            prop_assert!(events
                .data
                .iter()
                .all(|e| e.actor == "local" || e.actor == key_name));
        }
    }
    for (i, db) in handles
        .iter()
        .flatten()
        .enumerate()
        .map(|(n, db)| (n / 2, db))
    {
        let (_, onboardings, contacts) = visible(db);
        prop_assert!(onboardings <= 100 && contacts <= children[i]);
    }
    Ok(())
}
