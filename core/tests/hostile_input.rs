//! Hostile input through the public API (issue 13): clocks out of range, emails with control or
//! bidi characters, altered cursors. Each is a typed `invalid_request_error`, and nothing a clock
//! out of range would stamp is ever written.

use pivotal_core::model::time::parse_instant;
use pivotal_core::{
    ContactParams, CustomerListParams, CustomerParams, ErrorCode, EventListParams, FixedClock,
    ListParams, Pivotal,
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
