//! Random operation sequences run against the in-memory and the SQLite store must give identical
//! results, and the SPEC invariants must hold after every step; so must the SQLite and the
//! PostgreSQL store (with the `postgres` feature and a server: make pg-test).

use pivotal_core::model::time::{parse_instant, FixedClock};
use pivotal_core::store::Store;
use pivotal_core::{
    ContactParams, ContactPatch, CustomerListParams, CustomerParams, CustomerPatch, CustomerStatus,
    EventListParams, ListParams, MemoryStore, OnboardingListParams, OnboardingParams,
    OnboardingPatch, Patch, Phase, Pivotal, SqliteStore, State,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Op {
    CreateCustomer {
        name: usize,
        status: Option<CustomerStatus>,
        key: Option<usize>,
    },
    UpdateCustomer {
        target: usize,
        status: Option<CustomerStatus>,
        name: Option<usize>,
    },
    DeleteCustomer {
        target: usize,
    },
    CreateContact {
        customer: usize,
        email: usize,
        primary: Option<bool>,
    },
    UpdateContact {
        target: usize,
        primary: Option<bool>,
        email: Option<usize>,
    },
    DeleteContact {
        target: usize,
    },
    CreateOnboarding {
        customer: usize,
        phase: Option<Phase>,
        waiting: Option<bool>,
        key: Option<usize>,
    },
    UpdateOnboarding {
        target: usize,
        phase: Option<Phase>,
        state: Option<State>,
        waiting: Option<bool>,
        reason: bool,
    },
    DeleteOnboarding {
        target: usize,
    },
    ListCustomers {
        limit: i64,
        status: Option<CustomerStatus>,
    },
    ListOnboardings {
        limit: i64,
        phase: Option<Phase>,
        state: Option<State>,
    },
    ListContacts {
        customer: usize,
        limit: i64,
    },
    Timeline {
        customer: usize,
        limit: i64,
    },
    Events {
        after: i64,
        limit: i64,
    },
    Transitions {
        target: usize,
    },
    Advance {
        ms: i64,
    },
}

const NAMES: &[&str] = &["Acme", "Acme!", "Zürich AG", "Globex", "  ", "x"];

fn status() -> impl Strategy<Value = CustomerStatus> {
    prop::sample::select(CustomerStatus::ALL)
}
fn phase() -> impl Strategy<Value = Phase> {
    prop::sample::select(Phase::ALL)
}
fn state() -> impl Strategy<Value = State> {
    prop::sample::select(State::ALL)
}

fn op() -> impl Strategy<Value = Op> {
    let idx = 0usize..6;
    prop_oneof![
        (
            0..NAMES.len(),
            prop::option::of(status()),
            prop::option::of(0usize..2)
        )
            .prop_map(|(name, status, key)| Op::CreateCustomer { name, status, key }),
        (
            idx.clone(),
            prop::option::of(status()),
            prop::option::of(0..NAMES.len())
        )
            .prop_map(|(target, status, name)| Op::UpdateCustomer {
                target,
                status,
                name
            }),
        idx.clone().prop_map(|target| Op::DeleteCustomer { target }),
        (idx.clone(), 0usize..3, prop::option::of(any::<bool>())).prop_map(
            |(customer, email, primary)| Op::CreateContact {
                customer,
                email,
                primary
            }
        ),
        (
            idx.clone(),
            prop::option::of(any::<bool>()),
            prop::option::of(0usize..3)
        )
            .prop_map(|(target, primary, email)| Op::UpdateContact {
                target,
                primary,
                email
            }),
        idx.clone().prop_map(|target| Op::DeleteContact { target }),
        (
            idx.clone(),
            prop::option::of(phase()),
            prop::option::of(any::<bool>()),
            prop::option::of(0usize..2)
        )
            .prop_map(|(customer, phase, waiting, key)| Op::CreateOnboarding {
                customer,
                phase,
                waiting,
                key
            }),
        (
            idx.clone(),
            prop::option::of(phase()),
            prop::option::of(state()),
            prop::option::of(any::<bool>()),
            any::<bool>()
        )
            .prop_map(
                |(target, phase, state, waiting, reason)| Op::UpdateOnboarding {
                    target,
                    phase,
                    state,
                    waiting,
                    reason
                }
            ),
        idx.clone()
            .prop_map(|target| Op::DeleteOnboarding { target }),
        (1i64..4, prop::option::of(status()))
            .prop_map(|(limit, status)| Op::ListCustomers { limit, status }),
        (
            1i64..4,
            prop::option::of(phase()),
            prop::option::of(state())
        )
            .prop_map(|(limit, phase, state)| Op::ListOnboardings {
                limit,
                phase,
                state
            }),
        (idx.clone(), 1i64..4).prop_map(|(customer, limit)| Op::ListContacts { customer, limit }),
        (idx.clone(), 1i64..4).prop_map(|(customer, limit)| Op::Timeline { customer, limit }),
        (0i64..20, 1i64..5).prop_map(|(after, limit)| Op::Events { after, limit }),
        idx.prop_map(|target| Op::Transitions { target }),
        (0i64..3).prop_map(|ms| Op::Advance { ms }),
    ]
}

/// One store under test with the ids it has handed out, by kind.
struct Subject {
    db: Pivotal,
    clock: Arc<FixedClock>,
    customers: Vec<String>,
    contacts: Vec<String>,
    onboardings: Vec<String>,
}

impl Subject {
    fn new(store: Box<dyn Store>) -> Self {
        let clock = Arc::new(FixedClock::new(
            parse_instant("2024-01-01T00:00:00Z").unwrap(),
        ));
        let db = Pivotal::options()
            .actor("prop")
            .id_seed(42)
            .clock(clock.clone())
            .with_store(store)
            .unwrap();
        Self {
            db,
            clock,
            customers: vec![],
            contacts: vec![],
            onboardings: vec![],
        }
    }

    fn pick(ids: &[String], i: usize) -> String {
        if ids.is_empty() {
            "cus_missing".into()
        } else {
            ids[i % ids.len()].clone()
        }
    }

    /// Runs one operation; the result as JSON, or the error's code and field.
    fn apply(&mut self, op: &Op) -> Value {
        fn out<T: serde::Serialize>(r: pivotal_core::Result<T>) -> Value {
            match r {
                Ok(v) => serde_json::to_value(v).unwrap(),
                Err(e) => json!({"error": e.code.as_str(), "field": e.field}),
            }
        }
        let keys = ["k1", "k2"];
        let db = &self.db;
        match op.clone() {
            Op::CreateCustomer { name, status, key } => {
                let p = CustomerParams {
                    name: NAMES[name].into(),
                    status,
                    ..Default::default()
                };
                let r = db.customers().create(p, key.map(|k| keys[k]));
                if let Ok(c) = &r {
                    self.customers.push(c.id.clone());
                }
                out(r)
            }
            Op::UpdateCustomer {
                target,
                status,
                name,
            } => {
                let p = CustomerPatch {
                    status: status.map_or(Patch::Unchanged, Patch::Set),
                    name: name.map_or(Patch::Unchanged, |n| Patch::Set(NAMES[n].into())),
                    ..Default::default()
                };
                out(db
                    .customers()
                    .update(&Self::pick(&self.customers, target), p))
            }
            Op::DeleteCustomer { target } => {
                out(db.customers().delete(&Self::pick(&self.customers, target)))
            }
            Op::CreateContact {
                customer,
                email,
                primary,
            } => {
                let p = ContactParams {
                    name: "C".into(),
                    email: format!("c{email}@x.io"),
                    is_primary: primary,
                    ..Default::default()
                };
                let r = db
                    .contacts()
                    .create(&Self::pick(&self.customers, customer), p, None);
                if let Ok(c) = &r {
                    self.contacts.push(c.id.clone());
                }
                out(r)
            }
            Op::UpdateContact {
                target,
                primary,
                email,
            } => {
                let p = ContactPatch {
                    is_primary: primary.map_or(Patch::Unchanged, Patch::Set),
                    email: email.map_or(Patch::Unchanged, |e| Patch::Set(format!("C{e}@X.io"))),
                    ..Default::default()
                };
                out(db.contacts().update(&Self::pick(&self.contacts, target), p))
            }
            Op::DeleteContact { target } => {
                out(db.contacts().delete(&Self::pick(&self.contacts, target)))
            }
            Op::CreateOnboarding {
                customer,
                phase,
                waiting,
                key,
            } => {
                let p = OnboardingParams {
                    customer_id: Self::pick(&self.customers, customer),
                    phase,
                    waiting_on_customer: waiting,
                    ..Default::default()
                };
                let r = db.onboardings().create(p, key.map(|k| keys[k]));
                if let Ok(o) = &r {
                    self.onboardings.push(o.id.clone());
                }
                out(r)
            }
            Op::UpdateOnboarding {
                target,
                phase,
                state,
                waiting,
                reason,
            } => {
                let p = OnboardingPatch {
                    phase: phase.map_or(Patch::Unchanged, Patch::Set),
                    state: state.map_or(Patch::Unchanged, Patch::Set),
                    waiting_on_customer: waiting.map_or(Patch::Unchanged, Patch::Set),
                    reason: reason.then(|| "because".into()),
                    ..Default::default()
                };
                out(db
                    .onboardings()
                    .update(&Self::pick(&self.onboardings, target), p))
            }
            Op::DeleteOnboarding { target } => out(db
                .onboardings()
                .delete(&Self::pick(&self.onboardings, target))),
            Op::ListCustomers { limit, status } => {
                let mut all = vec![];
                let mut p = CustomerListParams {
                    status,
                    limit: Some(limit),
                    ..Default::default()
                };
                loop {
                    match db.customers().list(&p) {
                        Ok(page) => {
                            all.push(serde_json::to_value(&page).unwrap());
                            match page.next_cursor {
                                Some(c) => p.cursor = Some(c),
                                None => break Value::Array(all),
                            }
                        }
                        Err(e) => break json!({"error": e.code.as_str()}),
                    }
                }
            }
            Op::ListOnboardings {
                limit,
                phase,
                state,
            } => {
                let p = OnboardingListParams {
                    phase,
                    state,
                    limit: Some(limit),
                    ..Default::default()
                };
                out(db.onboardings().list(&p))
            }
            Op::ListContacts { customer, limit } => out(db.contacts().list(
                &Self::pick(&self.customers, customer),
                &ListParams {
                    limit: Some(limit),
                    cursor: None,
                },
            )),
            Op::Timeline { customer, limit } => out(db.customers().timeline(
                &Self::pick(&self.customers, customer),
                &ListParams {
                    limit: Some(limit),
                    cursor: None,
                },
            )),
            Op::Events { after, limit } => out(db.events().list(&EventListParams {
                after_sequence: Some(after),
                limit: Some(limit),
                ..Default::default()
            })),
            Op::Transitions { target } => out(db
                .onboardings()
                .transitions(&Self::pick(&self.onboardings, target))),
            Op::Advance { ms } => {
                self.clock.advance_ms(ms);
                Value::Null
            }
        }
    }

    /// The invariants of docs/reference.md#state-and-waiting, #contact, #change-log over everything visible.
    fn check_invariants(&self) {
        let onboardings = self.db.onboardings();
        let mut page = OnboardingListParams {
            limit: Some(100),
            ..Default::default()
        };
        loop {
            let p = onboardings.list(&page).unwrap();
            for o in &p.data {
                let waiting = o.state == State::Waiting;
                assert_eq!(waiting, o.waiting_on_customer, "{o:?}");
                assert_eq!(waiting, o.waiting_on_customer_since.is_some(), "{o:?}");
                assert_eq!(
                    o.phase == Phase::Completed,
                    o.completed_at.is_some(),
                    "{o:?}"
                );
            }
            match p.next_cursor {
                Some(c) => page.cursor = Some(c),
                None => break,
            }
        }
        for customer in &self.customers {
            if let Ok(p) = self.db.contacts().list(
                customer,
                &ListParams {
                    limit: Some(100),
                    cursor: None,
                },
            ) {
                assert!(p.data.iter().filter(|c| c.is_primary).count() <= 1);
            }
        }
        let events = self
            .db
            .events()
            .list(&EventListParams {
                limit: Some(100),
                ..Default::default()
            })
            .unwrap();
        assert!(events
            .data
            .windows(2)
            .all(|w| w[0].sequence < w[1].sequence));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn memory_and_sqlite_agree(ops in prop::collection::vec(op(), 1..60)) {
        let mut memory = Subject::new(Box::new(MemoryStore::new()));
        let mut sqlite = Subject::new(Box::new(SqliteStore::open_in_memory().unwrap()));
        for (i, op) in ops.iter().enumerate() {
            let (a, b) = (memory.apply(op), sqlite.apply(op));
            prop_assert_eq!(&a, &b, "step {} {:?}", i, op);
            memory.check_invariants();
        }
    }
}

#[cfg(feature = "postgres")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    #[ignore = "needs PostgreSQL: make pg-test"]
    fn sqlite_and_postgres_agree(ops in prop::collection::vec(op(), 1..60)) {
        let url = pivotal_core::store::postgres::testing::fresh_database();
        let mut sqlite = Subject::new(Box::new(SqliteStore::open_in_memory().unwrap()));
        let mut postgres = Subject::new(Box::new(pivotal_core::PostgresStore::open(&url).unwrap()));
        for (i, op) in ops.iter().enumerate() {
            let (a, b) = (sqlite.apply(op), postgres.apply(op));
            prop_assert_eq!(&a, &b, "step {} {:?}", i, op);
            postgres.check_invariants();
        }
    }
}
