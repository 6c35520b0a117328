//! Hostile input through the public API (issue 13): clocks out of range, emails with control or
//! bidi characters, altered cursors. Each is a typed `invalid_request_error`, and nothing a clock
//! out of range would stamp is ever written.

use pivotal_core::model::time::parse_instant;
use pivotal_core::{
    ContactParams, CustomerListParams, CustomerParams, ErrorCode, FixedClock, ListParams, Patch,
    Pivotal,
};
use std::sync::Arc;

fn customer(name: &str) -> CustomerParams {
    CustomerParams {
        name: name.into(),
        ..Default::default()
    }
}

#[test]
fn a_clock_outside_the_years_1_to_9999_stamps_nothing() {
    let last = parse_instant("9999-12-31T23:59:59.999Z").unwrap();
    let clock = Arc::new(FixedClock::new(last));
    let db = Pivotal::options()
        .clock(clock.clone())
        .open_in_memory()
        .unwrap();
    let c = db.customers().create(customer("Last"), None).unwrap();
    assert_eq!(c.created_at, last);

    clock.advance_ms(1);
    let refused = |e: pivotal_core::Error| {
        assert_eq!(e.code, ErrorCode::InvalidTimestamp, "{e}");
        assert_eq!(e.error_type().as_str(), "invalid_request_error");
    };
    refused(db.customers().create(customer("Late"), None).unwrap_err());
    refused(
        db.customers()
            .list(&CustomerListParams::default())
            .unwrap_err(),
    );
    refused(db.health().unwrap_err());
    refused(db.now().unwrap_err());
    refused(db.analytics().workspace(&Default::default()).unwrap_err());
    refused(
        db.workspaces()
            .create("Globex", Some("globex"))
            .unwrap_err(),
    );
    refused(
        Pivotal::options()
            .clock(clock.clone())
            .open_in_memory()
            .unwrap_err(),
    );
    // Saturated far beyond, it never wraps back to 1970.
    clock.advance_ms(i64::MAX);
    clock.advance_ms(i64::MAX);
    refused(
        db.customers()
            .create(customer("Wrapped"), None)
            .unwrap_err(),
    );
    clock.set(last);
    assert_eq!(
        db.customers()
            .list(&CustomerListParams::default())
            .unwrap()
            .data,
        vec![c]
    );
}

#[test]
fn emails_with_control_or_bidi_characters_or_symbol_domains_are_invalid() {
    let db = Pivotal::open_in_memory().unwrap();
    let acme = db.customers().create(customer("Acme"), None).unwrap();
    let contact = |email: &str| ContactParams {
        name: "Ada".into(),
        email: email.into(),
        ..Default::default()
    };
    let ada = db
        .contacts()
        .create(&acme.id, contact("ada@bücher.de"), None)
        .unwrap();
    for bad in [
        "ada\0@x.com",
        "ada\u{7}@x.com",
        "ad\u{202E}moc.x@a",
        "ada@x\u{2066}.com",
        "ada@\u{1F600}.com",
    ] {
        let e = db
            .contacts()
            .create(&acme.id, contact(bad), None)
            .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidEmail, Some("email")),
            "{bad:?}"
        );
        let patch = pivotal_core::ContactPatch {
            email: Patch::Set(bad.into()),
            ..Default::default()
        };
        let e = db.contacts().update(&ada.id, patch).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidEmail, "{bad:?}");
    }
}

#[test]
fn a_cursor_with_a_character_appended_is_invalid() {
    let db = Pivotal::open_in_memory().unwrap();
    let mut last = None;
    for i in 0..3 {
        let c = db
            .customers()
            .create(customer(&format!("C{i}")), None)
            .unwrap();
        let patch = pivotal_core::CustomerPatch {
            plan: Patch::Set(format!("p{i}")),
            ..Default::default()
        };
        db.customers().update(&c.id, patch).unwrap();
        last = Some(c);
    }
    let last = last.unwrap();
    let list = |cursor: &str| {
        db.customers().list(&CustomerListParams {
            limit: Some(1),
            cursor: Some(cursor.into()),
            ..Default::default()
        })
    };
    let timeline = |cursor: &str| {
        let params = ListParams {
            limit: Some(1),
            cursor: Some(cursor.into()),
        };
        db.customers().timeline(&last.id, &params)
    };
    let first = db
        .customers()
        .list(&CustomerListParams {
            limit: Some(1),
            ..Default::default()
        })
        .unwrap();
    let cursor = first.next_cursor.unwrap();
    assert_eq!(list(&cursor).unwrap().data.len(), 1);
    let params = ListParams {
        limit: Some(1),
        cursor: None,
    };
    let t_cursor = db
        .customers()
        .timeline(&last.id, &params)
        .unwrap()
        .next_cursor
        .unwrap();
    assert_eq!(timeline(&t_cursor).unwrap().data.len(), 1);
    for c in ["A", "0", "AA", "w", "_"] {
        let e = list(&format!("{cursor}{c}")).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidCursor, Some("cursor"))
        );
        let e = timeline(&format!("{t_cursor}{c}")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidCursor);
    }
}
