//! Timestamps given through the typed API are stored with millisecond precision, like the wire's.

use chrono::{TimeZone, Utc};
use pivotal_core::{CustomerParams, OnboardingParams, OnboardingPatch, Patch, Pivotal};

#[test]
fn typed_instants_are_truncated_to_milliseconds() {
    let db = Pivotal::open_in_memory().unwrap();
    let c = db
        .customers()
        .create(
            CustomerParams {
                name: "Acme".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let precise = Utc.timestamp_nanos(1_700_000_000_123_456_789);
    let params = OnboardingParams {
        customer_id: c.id,
        started_at: Some(precise),
        target_launch_date: Some(precise),
        wizard_completed_at: Some(precise),
        ..Default::default()
    };
    let o = db.onboardings().create(params, None).unwrap();
    let millis = Utc.timestamp_millis_opt(1_700_000_000_123).unwrap();
    assert_eq!(
        (o.started_at, o.target_launch_date, o.wizard_completed_at),
        (millis, Some(millis), Some(millis))
    );
    let patch = OnboardingPatch {
        target_launch_date: Patch::Set(precise),
        ..Default::default()
    };
    let o = db.onboardings().update(&o.id, patch).unwrap();
    assert_eq!(o.target_launch_date, Some(millis));
    assert_eq!(db.onboardings().retrieve(&o.id).unwrap(), o);
}

#[test]
fn typed_instants_outside_years_1_to_9999_are_invalid() {
    let db = Pivotal::open_in_memory().unwrap();
    let c = db
        .customers()
        .create(
            CustomerParams {
                name: "Acme".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let year_0 = Utc.with_ymd_and_hms(0, 6, 1, 0, 0, 0).unwrap();
    let year_10000 = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
    for bad in [year_0, year_10000] {
        let params = OnboardingParams {
            customer_id: c.id.clone(),
            started_at: Some(bad),
            ..Default::default()
        };
        let e = db.onboardings().create(params, None).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (
                pivotal_core::ErrorCode::InvalidTimestamp,
                Some("started_at")
            )
        );
    }
    let o = db
        .onboardings()
        .create(
            OnboardingParams {
                customer_id: c.id,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let patch = OnboardingPatch {
        wizard_completed_at: Patch::Set(year_10000),
        ..Default::default()
    };
    let e = db.onboardings().update(&o.id, patch).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("wizard_completed_at"));
}
