//! The one nesting limit on arbitrary JSON input (`validate::MAX_NESTING`): metadata at every
//! depth around it is either refused with `invalid_request_error/invalid_type` (field `metadata`) or
//! accepted and readable everywhere it is copied to (the record, lists, events, the timeline,
//! idempotent replays, wire round trips), on both stores; and a value stored deeper by an older
//! version never makes reads fail.

use pivotal_core::validate::{MAX_DOCUMENT_NESTING, MAX_NESTING};
use pivotal_core::{
    wire, CustomerListParams, CustomerParams, CustomerPatch, ErrorCode, EventListParams,
    ListParams, Metadata, Patch, Pivotal,
};
use serde_json::{json, Value};

/// Metadata nesting `levels` levels, itself included: `{"k": {"k": … {}}}`.
fn nested(levels: usize) -> Metadata {
    let mut v = json!({});
    for _ in 1..levels {
        v = json!({ "k": v });
    }
    v.as_object().unwrap().clone()
}

fn stores() -> Vec<(&'static str, Pivotal, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let file = Pivotal::open(dir.path().join("n.db")).unwrap();
    vec![
        ("memory", Pivotal::open_in_memory().unwrap(), None),
        ("sqlite", file, Some(dir)),
    ]
}

fn params(name: &str, metadata: Metadata) -> CustomerParams {
    CustomerParams {
        name: name.into(),
        metadata: Some(metadata),
        ..Default::default()
    }
}

fn everything_reads(db: &Pivotal, id: &str) {
    let c = db.customers().retrieve(id).unwrap();
    db.customers().list(&CustomerListParams::default()).unwrap();
    db.customers().timeline(id, &ListParams::default()).unwrap();
    let events = db.events().list(&EventListParams::default()).unwrap();
    let json = serde_json::to_value(&events).unwrap();
    for e in json["data"].as_array().unwrap() {
        wire::event(e).unwrap();
    }
    let back = wire::customer(&serde_json::to_value(&c).unwrap()).unwrap();
    assert_eq!(back, c);
}

#[test]
fn metadata_at_every_depth_around_the_limit() {
    for (store, db, _dir) in stores() {
        for levels in MAX_NESTING - 2..=MAX_NESTING + 3 {
            let name = format!("Depth {levels}");
            let key = format!("key-{levels}");
            let create = db
                .customers()
                .create(params(&name, nested(levels)), Some(&key));
            let base = db
                .customers()
                .create(params(&format!("{name} base"), Metadata::new()), None)
                .unwrap();
            let update = db.customers().update(
                &base.id,
                CustomerPatch {
                    metadata: Patch::Set(nested(levels)),
                    ..Default::default()
                },
            );
            if levels <= MAX_NESTING {
                let c = create.unwrap_or_else(|e| panic!("{store} {levels}: {e}"));
                assert_eq!(c.metadata, nested(levels));
                update.unwrap();
                // The idempotent replay reads the stored response back.
                let again = db
                    .customers()
                    .create(params(&name, nested(levels)), Some(&key))
                    .unwrap();
                assert_eq!(again, c, "{store} {levels}");
                everything_reads(&db, &c.id);
                everything_reads(&db, &base.id);
            } else {
                for e in [create.unwrap_err(), update.unwrap_err()] {
                    assert_eq!(
                        (e.code, e.field.as_deref()),
                        (ErrorCode::InvalidType, Some("metadata")),
                        "{store} {levels}: {e}"
                    );
                    assert_eq!(e.error_type().as_str(), "invalid_request_error");
                }
            }
        }
    }
}

#[test]
fn json_bodies_and_wire_objects_have_the_same_limit() {
    for levels in [MAX_NESTING, MAX_NESTING + 1, 200, 10_000] {
        // As text: a value this deep would overflow the test's own stack (serialising, dropping).
        let metadata = format!(
            "{}{}",
            r#"{"k":"#.repeat(levels - 1),
            "{}".to_owned() + &"}".repeat(levels - 1)
        );
        let text = format!(r#"{{"name": "A", "metadata": {metadata}}}"#);
        let result = wire::parse(&text).and_then(|v| wire::customer_params(&v));
        if levels <= MAX_NESTING {
            let p = result.unwrap();
            let db = Pivotal::open_in_memory().unwrap();
            db.customers().create(p, None).unwrap();
        } else {
            // Refused at the body (deeper than a document may be) or at the field.
            let e = match result {
                Ok(p) => Pivotal::open_in_memory()
                    .unwrap()
                    .customers()
                    .create(p, None)
                    .unwrap_err(),
                Err(e) => e,
            };
            assert_eq!(e.code, ErrorCode::InvalidType, "{levels}: {e}");
            assert!(
                matches!(e.field.as_deref(), Some("metadata" | "body")),
                "{e:?}"
            );
        }
    }
    // A customer object whose metadata is too deep is refused like the input.
    let db = Pivotal::open_in_memory().unwrap();
    let c = db
        .customers()
        .create(params("A", Metadata::new()), None)
        .unwrap();
    let mut wire_c = serde_json::to_value(&c).unwrap();
    wire_c["metadata"] = Value::Object(nested(MAX_NESTING + 1));
    let e = wire::customer(&wire_c).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidType, Some("metadata"))
    );
    let mut deep = json!(1);
    for _ in 0..MAX_DOCUMENT_NESTING + 1 {
        deep = json!([deep]);
    }
    let mut event = json!({"object": "event", "data": {"object": deep}});
    assert_eq!(
        wire::event(&event).unwrap_err().code,
        ErrorCode::InvalidType
    );
    let e = wire::event(&event).unwrap_err();
    assert!(e.message.contains("nest"), "{e}");
    event["data"]["object"] = json!({});
    assert!(!wire::event(&event).unwrap_err().message.contains("nest"));
}

/// A file written by an older version holds a customer whose metadata nests 130 levels (and its
/// event): every read, of it and of the others, still answers.
#[test]
fn values_stored_too_deep_by_an_older_version_stay_readable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let (poisoned, other) = {
        let db = Pivotal::open(&path).unwrap();
        let p = db
            .customers()
            .create(params("Poison", Metadata::new()), Some("k"))
            .unwrap();
        let o = db
            .customers()
            .create(params("Other", Metadata::new()), None)
            .unwrap();
        (p, o)
    };
    let deep = serde_json::to_string(&Value::Object(nested(130))).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE customers SET metadata = ?1 WHERE id = ?2",
        (&deep, &poisoned.id),
    )
    .unwrap();
    conn.execute(
        "UPDATE events SET data = json_set(data, '$.object.metadata', json(?1)) WHERE object_id = ?2",
        (&deep, &poisoned.id),
    )
    .unwrap();
    let response: String = conn
        .query_row("SELECT response FROM idempotency", [], |r| r.get(0))
        .unwrap();
    let mut response: Value = serde_json::from_str(&response).unwrap();
    response["metadata"] = Value::Object(nested(130));
    conn.execute(
        "UPDATE idempotency SET response = ?1",
        [serde_json::to_string(&response).unwrap()],
    )
    .unwrap();
    drop(conn);

    let db = Pivotal::open(&path).unwrap();
    let list = db.customers().list(&CustomerListParams::default()).unwrap();
    assert_eq!(list.data.len(), 2);
    assert_eq!(
        db.customers().retrieve(&poisoned.id).unwrap().metadata,
        nested(130)
    );
    db.customers().retrieve(&other.id).unwrap();
    assert_eq!(
        db.events()
            .list(&EventListParams::default())
            .unwrap()
            .data
            .len(),
        2
    );
    db.customers()
        .timeline(&poisoned.id, &ListParams::default())
        .unwrap();
    let replay = db
        .customers()
        .create(params("Poison", Metadata::new()), Some("k"))
        .unwrap();
    assert_eq!(replay.id, poisoned.id);
    // It can be repaired and removed through the API.
    db.customers()
        .update(
            &poisoned.id,
            CustomerPatch {
                metadata: Patch::Set(Metadata::new()),
                ..Default::default()
            },
        )
        .unwrap();
    db.customers().delete(&poisoned.id).unwrap();
}
