//! The served OpenAPI document describes exactly the routes the server answers: every documented
//! method of every documented path is routed, every other method of it is `route_not_found`, and
//! every route the code declares is documented.

mod common;

use common::request;
use pivotal_core::model::time::parse_instant;
use pivotal_core::{FixedClock, Pivotal};
use pivotal_server::AppState;
use std::collections::BTreeSet;
use std::sync::Arc;

const METHODS: &[&str] = &["get", "post", "patch", "delete", "put"];

#[test]
fn every_documented_route_is_served_and_only_those() {
    let doc = pivotal_server::openapi::document();
    assert_eq!(doc["openapi"], "3.1.0");
    let clock = Arc::new(FixedClock::new(
        parse_instant("2024-01-01T00:00:00Z").unwrap(),
    ));
    let db = Pivotal::options()
        .clock(clock.clone())
        .open_in_memory()
        .unwrap();
    let (addr, _) = common::start_with(AppState::new(db, true, Some(clock)));
    let paths = doc["paths"].as_object().unwrap();
    for (path, item) in paths {
        let concrete = path.replace("{id}", "1");
        for method in METHODS {
            let (status, answer) = request(addr, &method.to_uppercase(), &concrete, None, None);
            let unrouted = answer["error"]["code"] == "route_not_found";
            let documented = item.get(*method).is_some();
            assert_eq!(
                documented, !unrouted,
                "{method} {path}: documented {documented}, answered {status} {answer}"
            );
            if documented {
                let responses = &item[*method]["responses"];
                assert!(
                    responses["default"]["content"]["application/json"]["schema"]["$ref"]
                        .as_str()
                        .is_some_and(|r| r.ends_with("/Error"))
                );
            }
        }
    }
    // The code's routes, as written in routes.rs, are the documented paths.
    let source = include_str!("../src/routes.rs");
    let routed: BTreeSet<&str> = source
        .split(".route(")
        .skip(1)
        .map(|rest| rest.trim_start().trim_start_matches('"'))
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .filter(|p| !p.ends_with('/')) // `/customers/`: the empty reference, same operations
        .collect();
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    assert_eq!(routed, documented);
    // Every error code is in the document's error schema.
    let codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
        ["enum"]
        .as_array()
        .unwrap();
    assert_eq!(codes.len(), pivotal_core::ErrorCode::ALL.len());
}
