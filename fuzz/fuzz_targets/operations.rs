//! Random operation sequences, derived with `arbitrary`, run against the in-memory store and the
//! SQLite store (in memory) side by side: both answer identically, nothing panics, errors are
//! request errors, and the SPEC invariants hold after every step.

#![no_main]

mod common;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pivotal_core::model::time::{parse_instant, FixedClock};
use pivotal_core::store::Store;
use pivotal_core::{
    ContactParams, ContactPatch, CustomerListParams, CustomerParams, CustomerPatch, CustomerStatus,
    EventListParams, ListParams, MemoryStore, OnboardingListParams, OnboardingParams,
    OnboardingPatch, Patch, Phase, Pivotal, SqliteStore, State,
};
use serde_json::{json, Value};
use std::sync::Arc;

#[derive(Debug, Arbitrary)]
enum Op {
    CreateCustomer {
        name: String,
        status: Option<u8>,
        key: Option<u8>,
        slug: Option<String>,
    },
    UpdateCustomer {
        target: u8,
        status: Option<u8>,
        name: Option<String>,
        mrr: Option<i64>,
    },
    DeleteCustomer {
        target: u8,
    },
    CreateContact {
        customer: u8,
        email: String,
        primary: Option<bool>,
        labels: Vec<String>,
    },
    UpdateContact {
        target: u8,
        primary: Option<bool>,
        email: Option<String>,
    },
    DeleteContact {
        target: u8,
    },
    CreateOnboarding {
        customer: u8,
        phase: Option<u8>,
        state: Option<u8>,
        waiting: Option<bool>,
    },
    UpdateOnboarding {
        target: u8,
        phase: Option<u8>,
        state: Option<u8>,
        waiting: Option<bool>,
        reason: Option<String>,
        frequency: Option<i64>,
    },
    DeleteOnboarding {
        target: u8,
    },
    ListCustomers {
        limit: i8,
        status: Option<u8>,
    },
    ListOnboardings {
        limit: i8,
        phase: Option<u8>,
        state: Option<u8>,
    },
    Timeline {
        customer: u8,
        limit: i8,
    },
    Events {
        after: i16,
        limit: i8,
    },
    Advance {
        ms: u16,
    },
}

fn status(i: u8) -> CustomerStatus {
    CustomerStatus::ALL[i as usize % CustomerStatus::ALL.len()]
}
fn phase(i: u8) -> Phase {
    Phase::ALL[i as usize % Phase::ALL.len()]
}
fn state(i: u8) -> State {
    State::ALL[i as usize % State::ALL.len()]
}

struct Subject {
    db: Pivotal,
    clock: Arc<FixedClock>,
    customers: Vec<String>,
    contacts: Vec<String>,
    onboardings: Vec<String>,
}

fn pick(ids: &[String], i: u8) -> String {
    if ids.is_empty() {
        i.to_string() // a display id, or nothing
    } else {
        ids[i as usize % ids.len()].clone()
    }
}

fn out<T: serde::Serialize>(r: pivotal_core::Result<T>) -> Value {
    match r {
        Ok(v) => serde_json::to_value(v).unwrap(),
        Err(e) => {
            common::typed(&e);
            json!({"error": e.code.as_str(), "field": e.field})
        }
    }
}

impl Subject {
    fn new(store: Box<dyn Store>) -> Self {
        let clock = Arc::new(FixedClock::new(
            parse_instant("2024-01-01T00:00:00Z").unwrap(),
        ));
        let db = Pivotal::options()
            .actor("fuzz")
            .id_seed(3)
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

    fn apply(&mut self, op: &Op) -> Value {
        let db = &self.db;
        match op {
            Op::CreateCustomer {
                name,
                status: s,
                key,
                slug,
            } => {
                let p = CustomerParams {
                    name: name.clone(),
                    slug: slug.clone(),
                    status: s.map(status),
                    ..Default::default()
                };
                let key = key.map(|k| format!("key-{}", k % 4));
                let r = db.customers().create(p, key.as_deref());
                if let Ok(c) = &r {
                    self.customers.push(c.id.clone());
                }
                out(r)
            }
            Op::UpdateCustomer {
                target,
                status: s,
                name,
                mrr,
            } => {
                let p = CustomerPatch {
                    status: Patch::from_option(s.map(status)),
                    name: Patch::from_option(name.clone()),
                    mrr: mrr.map_or(Patch::Unchanged, |m| {
                        if m == i64::MIN {
                            Patch::Clear
                        } else {
                            Patch::Set(m)
                        }
                    }),
                    ..Default::default()
                };
                out(db.customers().update(&pick(&self.customers, *target), p))
            }
            Op::DeleteCustomer { target } => {
                out(db.customers().delete(&pick(&self.customers, *target)))
            }
            Op::CreateContact {
                customer,
                email,
                primary,
                labels,
            } => {
                let p = ContactParams {
                    name: "C".into(),
                    email: email.clone(),
                    is_primary: *primary,
                    labels: Some(labels.clone()),
                    ..Default::default()
                };
                let r = db
                    .contacts()
                    .create(&pick(&self.customers, *customer), p, None);
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
                    is_primary: Patch::from_option(*primary),
                    email: Patch::from_option(email.clone()),
                    ..Default::default()
                };
                out(db.contacts().update(&pick(&self.contacts, *target), p))
            }
            Op::DeleteContact { target } => {
                out(db.contacts().delete(&pick(&self.contacts, *target)))
            }
            Op::CreateOnboarding {
                customer,
                phase: ph,
                state: st,
                waiting,
            } => {
                let p = OnboardingParams {
                    customer_id: pick(&self.customers, *customer),
                    phase: ph.map(phase),
                    state: st.map(state),
                    waiting_on_customer: *waiting,
                    ..Default::default()
                };
                let r = db.onboardings().create(p, None);
                if let Ok(o) = &r {
                    common::onboarding_invariants(o);
                    self.onboardings.push(o.id.clone());
                }
                out(r)
            }
            Op::UpdateOnboarding {
                target,
                phase: ph,
                state: st,
                waiting,
                reason,
                frequency,
            } => {
                let p = OnboardingPatch {
                    phase: Patch::from_option(ph.map(phase)),
                    state: Patch::from_option(st.map(state)),
                    waiting_on_customer: Patch::from_option(*waiting),
                    reminder_frequency_days: Patch::from_option(*frequency),
                    reason: reason.clone(),
                    ..Default::default()
                };
                let r = db
                    .onboardings()
                    .update(&pick(&self.onboardings, *target), p);
                if let Ok(o) = &r {
                    common::onboarding_invariants(o);
                }
                out(r)
            }
            Op::DeleteOnboarding { target } => {
                out(db.onboardings().delete(&pick(&self.onboardings, *target)))
            }
            Op::ListCustomers { limit, status: s } => {
                out(db.customers().list(&CustomerListParams {
                    status: s.map(status),
                    limit: Some(i64::from(*limit)),
                    ..Default::default()
                }))
            }
            Op::ListOnboardings {
                limit,
                phase: ph,
                state: st,
            } => out(db.onboardings().list(&OnboardingListParams {
                phase: ph.map(phase),
                state: st.map(state),
                limit: Some(i64::from(*limit)),
                ..Default::default()
            })),
            Op::Timeline { customer, limit } => out(db.customers().timeline(
                &pick(&self.customers, *customer),
                &ListParams {
                    limit: Some(i64::from(*limit)),
                    cursor: None,
                },
            )),
            Op::Events { after, limit } => out(db.events().list(&EventListParams {
                after_sequence: Some(i64::from(*after)),
                limit: Some(i64::from(*limit)),
                ..Default::default()
            })),
            Op::Advance { ms } => {
                self.clock.advance_ms(i64::from(*ms));
                Value::Null
            }
        }
    }
}

fuzz_target!(|ops: Vec<Op>| {
    if ops.len() > 64 {
        return;
    }
    let mut memory = Subject::new(Box::new(MemoryStore::new()));
    let mut sqlite = Subject::new(Box::new(SqliteStore::open_in_memory().unwrap()));
    for (i, op) in ops.iter().enumerate() {
        let (a, b) = (memory.apply(op), sqlite.apply(op));
        assert_eq!(a, b, "step {i} {op:?}: the stores disagree");
    }
    common::invariants(&memory.db);
    common::invariants(&sqlite.db);
});
