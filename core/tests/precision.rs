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
