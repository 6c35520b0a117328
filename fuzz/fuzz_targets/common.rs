//! Shared by the fuzz targets: a seeded in-memory store and the checks every answer must pass.

#![allow(dead_code)]

use pivotal_core::model::time::{parse_instant, FixedClock};
use pivotal_core::{
    ContactParams, CustomerParams, Error, ErrorCode, OnboardingListParams, OnboardingParams,
    OnboardingPatch, Patch, Phase, Pivotal, State,
};
use std::sync::Arc;

/// A fresh in-memory store with a fixed clock and reproducible ids.
pub fn db() -> Pivotal {
    let clock = Arc::new(FixedClock::new(
        parse_instant("2024-04-01T10:00:00Z").unwrap(),
    ));
    Pivotal::options()
        .actor("fuzz")
        .id_seed(7)
        .clock(clock)
        .open_in_memory()
        .unwrap()
}

/// Ids of the records [`seeded`] creates.
pub struct Seeded {
    pub customer: String,
    pub other_customer: String,
    pub contact: String,
    pub onboarding: String,
}

/// A store with two customers, two contacts and two onboardings (one with a transition).
pub fn seeded() -> (Pivotal, Seeded) {
    let db = db();
    let c1 = db
        .customers()
        .create(
            CustomerParams {
                name: "Acme".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let c2 = db
        .customers()
        .create(
            CustomerParams {
                name: "Globex".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let mut contact = None;
    for (i, email) in ["a@acme.com", "b@acme.com"].into_iter().enumerate() {
        contact = Some(
            db.contacts()
                .create(
                    &c1.id,
                    ContactParams {
                        name: format!("Contact {i}"),
                        email: email.into(),
                        ..Default::default()
                    },
                    None,
                )
                .unwrap(),
        );
    }
    let mut onboarding = None;
    for c in [&c1, &c2] {
        onboarding = Some(
            db.onboardings()
                .create(
                    OnboardingParams {
                        customer_id: c.id.clone(),
                        ..Default::default()
                    },
                    None,
                )
                .unwrap(),
        );
    }
    let onboarding = onboarding.unwrap();
    db.onboardings()
        .update(
            &onboarding.id,
            OnboardingPatch {
                phase: Patch::Set(Phase::ProgramDesign),
                ..Default::default()
            },
        )
        .unwrap();
    let ids = Seeded {
        customer: c1.id,
        other_customer: c2.id,
        contact: contact.unwrap().id,
        onboarding: onboarding.id,
    };
    (db, ids)
}

/// An error any input may cause: a request error, never the library's or the store's failure.
pub fn typed(e: &Error) {
    assert!(
        !matches!(
            e.code,
            ErrorCode::Internal
                | ErrorCode::StorageBusy
                | ErrorCode::StorageCorrupt
                | ErrorCode::SchemaTooNew
        ),
        "{e:?}"
    );
    assert!((400..500).contains(&e.http_status()), "{e:?}");
    let json = e.to_json();
    assert_eq!(json["error"]["code"], e.code.as_str());
}

pub fn check<T>(r: &pivotal_core::Result<T>) {
    if let Err(e) = r {
        typed(e);
    }
}

/// The SPEC invariants over every visible onboarding, and the event log's order.
pub fn invariants(db: &Pivotal) {
    let mut params = OnboardingListParams {
        limit: Some(100),
        ..Default::default()
    };
    loop {
        let page = db.onboardings().list(&params).unwrap();
        for o in &page.data {
            onboarding_invariants(o);
        }
        match page.next_cursor {
            Some(c) => params.cursor = Some(c),
            None => break,
        }
    }
    let mut after = None;
    let mut expected = 1;
    loop {
        let page = db
            .events()
            .list(&pivotal_core::EventListParams {
                after_sequence: after,
                limit: Some(100),
                ..Default::default()
            })
            .unwrap();
        for e in &page.data {
            assert_eq!(e.sequence, expected, "sequences are 1, 2, 3, …");
            expected += 1;
            after = Some(e.sequence);
        }
        if !page.has_more {
            break;
        }
    }
}

pub fn onboarding_invariants(o: &pivotal_core::Onboarding) {
    let waiting = o.state == State::Waiting;
    assert_eq!(waiting, o.waiting_on_customer, "{o:?}");
    assert_eq!(waiting, o.waiting_on_customer_since.is_some(), "{o:?}");
    assert_eq!(
        o.phase == Phase::Completed,
        o.completed_at.is_some(),
        "{o:?}"
    );
}
