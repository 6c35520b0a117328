//! References (id or display id) and list cursors as arbitrary strings, through every operation
//! that takes them: no panic, only request errors, a record found is the one named, and every
//! `next_cursor` handed out is accepted back.
//!
//! Input: lines `reference`, `cursor`, `limit`, `after_sequence` (missing lines are absent).

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pivotal_core::{
    CustomerListParams, CustomerPatch, EventListParams, ListParams, OnboardingListParams,
};

/// A reference of ASCII digits only is a display id (`"02"` too); anything else an exact id.
fn names(reference: &str, id: &str, display_id: i64) {
    let digits = !reference.is_empty() && reference.bytes().all(|b| b.is_ascii_digit());
    if digits {
        assert_eq!(
            reference.parse::<i64>().ok(),
            Some(display_id),
            "{reference} found {id}"
        );
    } else {
        assert_eq!(reference, id);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let reference = lines.next().unwrap_or_default().to_owned();
    let cursor = lines.next().map(str::to_owned);
    let limit = lines.next().and_then(|l| l.trim().parse::<i64>().ok());
    let after = lines.next().and_then(|l| l.trim().parse::<i64>().ok());
    let (db, _ids) = common::seeded();
    let r = &reference;

    match db.customers().retrieve(r) {
        Ok(c) => names(r, &c.id, c.display_id),
        Err(e) => common::typed(&e),
    }
    match db.contacts().retrieve(r) {
        Ok(c) => names(r, &c.id, c.display_id),
        Err(e) => common::typed(&e),
    }
    match db.onboardings().retrieve(r) {
        Ok(o) => names(r, &o.id, o.display_id),
        Err(e) => common::typed(&e),
    }
    common::check(&db.onboardings().transitions(r));
    common::check(&db.onboardings().list_for_customer(r));

    let paging = ListParams {
        limit,
        cursor: cursor.clone(),
    };
    let page = db.customers().list(&CustomerListParams {
        slug: Some(reference.clone()),
        limit,
        cursor: cursor.clone(),
        ..Default::default()
    });
    common::check(&page);
    let page = db.customers().list(&CustomerListParams {
        limit,
        cursor: cursor.clone(),
        ..Default::default()
    });
    common::check(&page);
    if let Ok(p) = page {
        if let Some(next) = p.next_cursor {
            db.customers()
                .list(&CustomerListParams {
                    limit,
                    cursor: Some(next),
                    ..Default::default()
                })
                .unwrap();
        }
    }
    let page = db.contacts().list(r, &paging);
    common::check(&page);
    if let Ok(p) = page {
        if let Some(next) = p.next_cursor {
            db.contacts()
                .list(
                    r,
                    &ListParams {
                        limit,
                        cursor: Some(next),
                    },
                )
                .unwrap();
        }
    }
    let page = db.onboardings().list(&OnboardingListParams {
        customer_id: Some(reference.clone()),
        limit,
        cursor: cursor.clone(),
        ..Default::default()
    });
    common::check(&page);
    let page = db.onboardings().list(&OnboardingListParams {
        limit,
        cursor: cursor.clone(),
        ..Default::default()
    });
    common::check(&page);
    if let Ok(p) = page {
        if let Some(next) = p.next_cursor {
            db.onboardings()
                .list(&OnboardingListParams {
                    limit,
                    cursor: Some(next),
                    ..Default::default()
                })
                .unwrap();
        }
    }
    let page = db.customers().timeline(r, &paging);
    common::check(&page);
    if let Ok(p) = page {
        if let Some(next) = p.next_cursor {
            db.customers()
                .timeline(
                    r,
                    &ListParams {
                        limit,
                        cursor: Some(next),
                    },
                )
                .unwrap();
        }
    }
    let events = db.events().list(&EventListParams {
        after_sequence: after,
        object_id: Some(reference.clone()),
        limit,
        ..Default::default()
    });
    common::check(&events);
    if let Ok(p) = events {
        assert!(p
            .data
            .iter()
            .all(|e| e.data.object["id"] == reference.as_str()));
    }

    // Writes that take a reference.
    common::check(&db.customers().update(r, CustomerPatch::default()));
    common::check(&db.onboardings().delete(r));
    common::check(&db.contacts().delete(r));
    common::check(&db.customers().delete(r));
    common::invariants(&db);
});
