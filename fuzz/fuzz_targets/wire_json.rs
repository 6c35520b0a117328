//! Every JSON input parser (`wire::*`) on arbitrary text, and what it accepts fed to the
//! operations: no panic, only request errors, and accepted objects round-trip through their wire
//! JSON.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use pivotal_core::wire;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = match wire::parse(text) {
        Ok(v) => v,
        Err(e) => return common::typed(&e),
    };
    let (db, ids) = common::seeded();

    match wire::customer_params(&value) {
        Ok(p) => {
            let r = db.customers().create(p, None);
            common::check(&r);
            if let Ok(c) = r {
                let json = serde_json::to_value(&c).unwrap();
                assert_eq!(wire::customer(&json).unwrap(), c);
            }
        }
        Err(e) => common::typed(&e),
    }
    match wire::contact_params(&value) {
        Ok(p) => {
            let r = db.contacts().create(&ids.customer, p, None);
            common::check(&r);
            if let Ok(c) = r {
                let json = serde_json::to_value(&c).unwrap();
                assert_eq!(wire::contact(&json).unwrap(), c);
            }
        }
        Err(e) => common::typed(&e),
    }
    match wire::onboarding_params(&value) {
        Ok(p) => {
            let r = db.onboardings().create(p, None);
            common::check(&r);
            if let Ok(o) = r {
                common::onboarding_invariants(&o);
                let json = serde_json::to_value(&o).unwrap();
                assert_eq!(wire::onboarding(&json).unwrap(), o);
            }
        }
        Err(e) => common::typed(&e),
    }
    match wire::customer_patch(&value) {
        Ok(p) => {
            let r = db.customers().update(&ids.customer, p);
            common::check(&r);
            if let Ok(c) = r {
                let json = serde_json::to_value(&c).unwrap();
                assert_eq!(wire::customer(&json).unwrap(), c);
            }
        }
        Err(e) => common::typed(&e),
    }
    match wire::contact_patch(&value) {
        Ok(p) => common::check(&db.contacts().update(&ids.contact, p)),
        Err(e) => common::typed(&e),
    }
    match wire::onboarding_patch(&value) {
        Ok(p) => {
            let r = db.onboardings().update(&ids.onboarding, p);
            common::check(&r);
            if let Ok(o) = r {
                common::onboarding_invariants(&o);
                let json = serde_json::to_value(&o).unwrap();
                assert_eq!(wire::onboarding(&json).unwrap(), o);
            }
        }
        Err(e) => common::typed(&e),
    }
    // Objects as the API returns them (import): what is read writes back as the same JSON.
    if let Ok(c) = wire::customer(&value) {
        let again = serde_json::to_value(&c).unwrap();
        assert_eq!(wire::customer(&again).unwrap(), c);
    }
    if let Ok(c) = wire::contact(&value) {
        let again = serde_json::to_value(&c).unwrap();
        assert_eq!(wire::contact(&again).unwrap(), c);
    }
    if let Ok(o) = wire::onboarding(&value) {
        let again = serde_json::to_value(&o).unwrap();
        assert_eq!(wire::onboarding(&again).unwrap(), o);
    }
    common::invariants(&db);
});
