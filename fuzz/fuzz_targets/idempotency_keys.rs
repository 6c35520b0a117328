//! Idempotency keys as arbitrary strings, on every create: an invalid key (not 1–255 bytes) is
//! refused; a repeat with the same parameters replays the first answer and writes nothing; other
//! parameters are `idempotency_key_reused`; keys are scoped per operation.
//!
//! Input: the first line is the key, the rest a customer name.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pivotal_core::{
    ContactParams, CustomerParams, ErrorCode, EventListParams, OnboardingParams, Pivotal, Result,
};
use serde::Serialize;

fn event_count(db: &Pivotal) -> usize {
    db.events()
        .list(&EventListParams {
            limit: Some(100),
            ..Default::default()
        })
        .unwrap()
        .data
        .len()
}

fn same<T: Serialize>(a: &Result<T>, b: &Result<T>) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::to_value(b).unwrap()
        ),
        (Err(a), Err(b)) => assert_eq!(a.code, b.code),
        _ => panic!("a repeat answered differently"),
    }
}

/// Runs `create(variant)` with `key` three times: first, the same again, and with other
/// parameters.
fn exercise<T: Serialize>(db: &Pivotal, key: &str, create: impl Fn(bool) -> Result<T>) {
    let valid = !key.is_empty() && key.len() <= 255;
    let first = create(false);
    common::check(&first);
    if !valid {
        assert_eq!(
            first.as_ref().err().map(|e| e.code),
            Some(ErrorCode::InvalidIdempotencyKey)
        );
        return;
    }
    // Keys are scoped per operation: the same key on another create is no reuse.
    assert_ne!(
        first.as_ref().err().map(|e| e.code),
        Some(ErrorCode::IdempotencyKeyReused)
    );
    let events = event_count(db);
    let again = create(false);
    same(&first, &again);
    assert_eq!(event_count(db), events, "a replay wrote events");
    let other = create(true);
    common::check(&other);
    if first.is_ok() {
        assert_eq!(
            other.err().map(|e| e.code),
            Some(ErrorCode::IdempotencyKeyReused)
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (key, name) = text.split_once('\n').unwrap_or((&text, "Acme"));
    let (db, ids) = common::seeded();
    exercise(&db, key, |variant| {
        db.customers().create(
            CustomerParams {
                name: name.to_owned(),
                plan: variant.then(|| "other".into()),
                ..Default::default()
            },
            Some(key),
        )
    });
    exercise(&db, key, |variant| {
        db.contacts().create(
            &ids.other_customer,
            ContactParams {
                name: name.to_owned(),
                email: "k@example.com".into(),
                title: variant.then(|| "other".into()),
                ..Default::default()
            },
            Some(key),
        )
    });
    exercise(&db, key, |variant| {
        db.onboardings().create(
            OnboardingParams {
                customer_id: ids.customer.clone(),
                notes: Some(name.to_owned()),
                csm_id: variant.then(|| "other".into()),
                ..Default::default()
            },
            Some(key),
        )
    });
    common::invariants(&db);
});
