//! Import and export (docs/reference.md#import-and-export), against the in-memory store and SQLite: mirror semantics, the
//! fixture's ids, timestamps and analytics, references in any order, chunks and errors, hostile
//! input, the export formats, and export → import round trips.

use pivotal_core::model::time::{parse_instant, FixedClock};
use pivotal_core::store::{MemoryStore, SqliteStore, Store};
use pivotal_core::{
    wire, ContactParams, CustomerListParams, CustomerParams, ErrorCode, Event, EventListParams,
    EventType, ExportFormat, ExportList, ImportOptions, ImportSummary, OnError,
    OnboardingListParams, OnboardingParams, Page, Phase, Pivotal, State,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

const NOW: &str = "2024-06-01T12:00:00.000Z";
const FIXTURE: &str = include_str!("fixtures/list-customer-onboardings.json");

fn stores() -> Vec<(&'static str, Box<dyn Store>)> {
    vec![
        ("memory", Box::new(MemoryStore::new())),
        ("sqlite", Box::new(SqliteStore::open_in_memory().unwrap())),
    ]
}

fn open(store: Box<dyn Store>) -> Pivotal {
    let clock = Arc::new(FixedClock::new(parse_instant(NOW).unwrap()));
    Pivotal::options()
        .clock(clock)
        .actor("importer")
        .with_store(store)
        .unwrap()
}

fn each_store(check: impl Fn(&str, Pivotal)) {
    for (name, store) in stores() {
        check(name, open(store));
    }
}

fn ndjson(items: &[Value]) -> String {
    items.iter().map(|v| format!("{v}\n")).collect()
}

fn import(db: &Pivotal, text: &str) -> pivotal_core::Result<ImportSummary> {
    db.import_json(text.as_bytes(), &ImportOptions::default())
}

fn skip() -> ImportOptions {
    ImportOptions {
        on_error: OnError::Skip,
        ..Default::default()
    }
}

fn counts(s: &ImportSummary) -> (u64, u64, u64, u64) {
    (s.created, s.updated, s.unchanged, s.skipped)
}

fn events(db: &Pivotal) -> Vec<Event> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .events()
            .list(&EventListParams {
                after_sequence: after,
                limit: Some(100),
                ..Default::default()
            })
            .unwrap();
        out.extend(page.data.iter().cloned());
        if !page.has_more {
            return out;
        }
        after = page.data.last().map(|e| e.sequence);
    }
}

/// The customer every fixture onboarding belongs to, as the API returns it.
fn fixture_customer() -> Value {
    serde_json::from_str(include_str!("fixtures/customer.json")).unwrap()
}

fn contact(id: &str, display_id: i64, customer: &str, email: &str) -> Value {
    json!({
        "object": "contact", "id": id, "display_id": display_id, "customer_id": customer,
        "name": "Ada", "email": email, "title": null, "phone": null, "is_primary": false,
        "labels": ["vip"], "created_at": "2024-01-01T00:00:00.000Z",
        "updated_at": "2024-01-01T00:00:00.000Z"
    })
}

fn customer(id: &str, display_id: i64, slug: &str) -> Value {
    json!({
        "object": "customer", "id": id, "display_id": display_id, "name": slug, "slug": slug,
        "created_at": "2024-01-01T00:00:00.000Z", "updated_at": "2024-01-01T00:00:00.000Z"
    })
}

#[test]
fn the_fixture_imports_with_its_ids_timestamps_and_analytics() {
    each_store(|name, db| {
        let text = format!("{}\n{FIXTURE}", fixture_customer());
        let summary = import(&db, &text).unwrap();
        assert_eq!(counts(&summary), (3, 0, 0, 0), "{name}");

        let list = wire::parse(FIXTURE).unwrap();
        for item in list["data"].as_array().unwrap() {
            let want = wire::onboarding(item).unwrap();
            let got = db.onboardings().retrieve(&want.id).unwrap();
            assert_eq!(got, want, "{name}: every field verbatim");
            assert_eq!(
                db.onboardings()
                    .retrieve(&want.display_id.to_string())
                    .unwrap(),
                want
            );
        }
        let customer = db.customers().retrieve("12").unwrap();
        assert_eq!(
            customer,
            wire::customer(&fixture_customer()).unwrap(),
            "{name}"
        );

        // The completed onboarding launched at its completed_at: ~56 days, on time.
        let m = db
            .analytics()
            .onboarding("onb_1a2b3c4d5e6f7g8h", None)
            .unwrap();
        assert_eq!(
            m.launched_at,
            parse_instant("2024-01-10T16:00:00Z"),
            "{name}"
        );
        let days = m.time_to_launch_ms.unwrap() as f64 / 86_400_000.0;
        assert!(
            (56.0..57.0).contains(&days),
            "{name}: {days} days to launch"
        );
        assert_eq!(m.on_time, Some(true), "{name}");
        assert_eq!(
            m.completed_at,
            parse_instant("2024-01-10T16:00:00Z"),
            "{name}"
        );
        // The open one counts from its own started_at, in its own phase.
        let m = db.analytics().onboarding("42", None).unwrap();
        assert_eq!(m.started_at, parse_instant("2024-04-01T10:00:00Z").unwrap());
        assert_eq!(m.phase, Phase::ProgramBuildout);
        assert_eq!(
            m.time_in_phase_ms.program_buildout, m.elapsed_ms,
            "{name}: all its time in its own phase"
        );
        let report = db.analytics().workspace(&Default::default()).unwrap();
        assert_eq!(report.launched, 1, "{name}");
        assert_eq!(report.launched_on_time, 1, "{name}");

        // Counters moved past the imported display ids.
        let next = db
            .onboardings()
            .create(
                OnboardingParams {
                    customer_id: "12".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        assert_eq!(next.display_id, 43, "{name}");
        let next = db
            .customers()
            .create(
                CustomerParams {
                    name: "Globex".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        assert_eq!(next.display_id, 13, "{name}");
    });
}

#[test]
fn each_insert_is_one_imported_event_at_import_time() {
    each_store(|name, db| {
        import(&db, &format!("{}\n{FIXTURE}", fixture_customer())).unwrap();
        let log = events(&db);
        let types: Vec<_> = log.iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            [
                EventType::CustomerImported,
                EventType::OnboardingImported,
                EventType::OnboardingImported
            ],
            "{name}"
        );
        let onb = db.onboardings().retrieve("41").unwrap();
        let e = &log[2];
        assert_eq!(e.created_at, parse_instant(NOW).unwrap(), "{name}");
        assert_eq!(e.actor, "importer");
        assert_eq!(e.data.object, serde_json::to_value(&onb).unwrap());
        assert_eq!(e.data.previous_attributes, None);
    });
}

#[test]
fn importing_twice_changes_nothing() {
    each_store(|name, db| {
        let text = format!("{}\n{FIXTURE}", fixture_customer());
        import(&db, &text).unwrap();
        let before = events(&db);
        let again = import(&db, &text).unwrap();
        assert_eq!(counts(&again), (0, 0, 3, 0), "{name}");
        assert_eq!(events(&db), before, "{name}: no new event");
        let all = db
            .onboardings()
            .list(&OnboardingListParams::default())
            .unwrap();
        assert_eq!(all.data.len(), 2, "{name}: no second record");
    });
}

#[test]
fn a_newer_version_replaces_an_older_or_equal_one_does_not() {
    each_store(|name, db| {
        import(&db, &fixture_customer().to_string()).unwrap();
        let mut newer = fixture_customer();
        newer["plan"] = json!("enterprise");
        newer["updated_at"] = json!("2023-12-01T00:00:00Z");
        let s = import(&db, &newer.to_string()).unwrap();
        assert_eq!(counts(&s), (0, 1, 0, 0), "{name}");
        let c = db.customers().retrieve("cus_1234567890abcdef").unwrap();
        assert_eq!(c.plan.as_deref(), Some("enterprise"));
        assert_eq!(c.updated_at, parse_instant("2023-12-01T00:00:00Z").unwrap());
        let log = events(&db);
        assert_eq!(log.len(), 2, "{name}");
        assert_eq!(log[1].event_type, EventType::CustomerUpdated);
        let previous = log[1].data.previous_attributes.clone().unwrap();
        assert_eq!(Value::Object(previous), json!({"plan": "growth"}), "{name}");

        // Older, or as old with other values: unchanged.
        for updated_at in ["2023-11-15T00:00:00Z", "2023-12-01T00:00:00Z"] {
            let mut stale = fixture_customer();
            stale["plan"] = json!("starter");
            stale["updated_at"] = json!(updated_at);
            let s = import(&db, &stale.to_string()).unwrap();
            assert_eq!(counts(&s), (0, 0, 1, 0), "{name}: {updated_at}");
        }
        assert_eq!(events(&db).len(), 2, "{name}");
        let c = db.customers().retrieve("12").unwrap();
        assert_eq!(c.plan.as_deref(), Some("enterprise"), "{name}");
    });
}

#[test]
fn a_newer_onboarding_adds_history_and_one_updated_event() {
    each_store(|name, db| {
        import(&db, &format!("{}\n{FIXTURE}", fixture_customer())).unwrap();
        let list = wire::parse(FIXTURE).unwrap();
        let mut open = list["data"][0].clone();
        open["phase"] = json!("completed");
        open["completed_at"] = json!("2024-05-01T00:00:00Z");
        open["updated_at"] = json!("2024-05-01T00:00:00Z");
        let s = import(&db, &open.to_string()).unwrap();
        assert_eq!(counts(&s), (0, 1, 0, 0), "{name}");
        let log = events(&db);
        assert_eq!(log.last().unwrap().event_type, EventType::OnboardingUpdated);
        assert_eq!(log.len(), 4, "{name}: one event");
        let m = db.analytics().onboarding("42", None).unwrap();
        assert_eq!(
            m.completed_at,
            parse_instant("2024-05-01T00:00:00Z"),
            "{name}"
        );
        assert_eq!(m.on_time, Some(true), "{name}: launched before 2024-06-15");
    });
}

#[test]
fn another_record_claiming_a_display_id_is_display_id_taken() {
    each_store(|name, db| {
        import(&db, &customer("cus_first", 5, "first").to_string()).unwrap();
        let text = ndjson(&[
            customer("cus_other", 6, "other"),
            customer("cus_second", 5, "second"),
        ]);
        let e = import(&db, &text).unwrap_err();
        assert_eq!(e.code, ErrorCode::DisplayIdTaken, "{name}");
        assert_eq!(e.error_type().as_str(), "conflict");
        assert_eq!(e.field.as_deref(), Some("display_id"));
        assert!(e.message.starts_with("item 1 (line 2): "), "{}", e.message);
        // Stop rolled the chunk back: cus_other is not there either.
        assert!(db.customers().retrieve("cus_other").is_err(), "{name}");

        // Deleted records keep their display ids, and a deleted record is never brought back.
        db.customers().delete("5").unwrap();
        let e = import(&db, &customer("cus_third", 5, "third").to_string()).unwrap_err();
        assert_eq!(e.code, ErrorCode::DisplayIdTaken, "{name}");
        let s = import(&db, &customer("cus_first", 5, "first").to_string()).unwrap();
        assert_eq!(counts(&s), (0, 0, 1, 0), "{name}");
        assert!(db.customers().retrieve("cus_first").is_err(), "{name}");

        // A known id with another display id is a contradiction.
        import(&db, &customer("cus_kept", 8, "kept").to_string()).unwrap();
        let e = import(&db, &customer("cus_kept", 9, "kept").to_string()).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ConflictingFields, Some("display_id"))
        );
    });
}

#[test]
fn references_resolve_in_any_order_and_a_missing_one_is_customer_not_found() {
    each_store(|name, db| {
        let text = ndjson(&[
            contact("con_early", 1, "cus_later", "ada@acme.com"),
            customer("cus_other", 2, "other"),
            customer("cus_later", 1, "later"),
        ]);
        for chunk_size in [1, 1000] {
            let db = db.with_workspace("default").unwrap();
            let options = ImportOptions {
                chunk_size,
                ..Default::default()
            };
            let s = db.import_json(text.as_bytes(), &options).unwrap();
            assert_eq!(s.created + s.unchanged, 3, "{name}");
        }
        let c = db.contacts().retrieve("con_early").unwrap();
        assert_eq!(c.customer_id, "cus_later", "{name}");

        let text = ndjson(&[
            contact("con_orphan", 2, "cus_nowhere", "bob@acme.com"),
            contact("con_fine", 3, "cus_other", "cy@acme.com"),
        ]);
        let e = import(&db, &text).unwrap_err();
        assert_eq!(e.code, ErrorCode::CustomerNotFound, "{name}");
        assert_eq!(e.field.as_deref(), Some("customer_id"));
        assert!(e.message.starts_with("item 0 (line 1): "), "{}", e.message);
        // Items waiting for their customer come last, in a chunk of their own: the items
        // before them stay imported.
        assert!(
            e.message.ends_with("(1 items before it were imported)"),
            "{}",
            e.message
        );
        assert!(db.contacts().retrieve("con_fine").is_ok(), "{name}");
        let s = db.import_json(text.as_bytes(), &skip()).unwrap();
        assert_eq!(counts(&s), (0, 0, 1, 1), "{name}");
        assert_eq!(s.errors[0].position.index, 0);
        assert_eq!(s.errors[0].position.line, Some(1));
        assert_eq!(s.errors[0].error.code, ErrorCode::CustomerNotFound);

        // The summary lists errors in input order, the waiting items' among the others, and
        // keeps the first `max_errors` of them.
        let mut bad = contact("con_bad", 9, "cus_other", "not an email");
        bad["id"] = json!("con_bad");
        let text = ndjson(&[
            contact("con_orphan2", 7, "cus_nowhere", "dan@acme.com"),
            bad,
            contact("con_orphan3", 8, "cus_nowhere", "eve@acme.com"),
        ]);
        let s = db.import_json(text.as_bytes(), &skip()).unwrap();
        let order: Vec<usize> = s.errors.iter().map(|e| e.position.index).collect();
        assert_eq!((s.skipped, order), (3, vec![0, 1, 2]), "{name}");
        let two = ImportOptions {
            max_errors: 2,
            ..skip()
        };
        let s = db.import_json(text.as_bytes(), &two).unwrap();
        let order: Vec<usize> = s.errors.iter().map(|e| e.position.index).collect();
        assert_eq!((s.skipped, order), (3, vec![0, 1]), "{name}");
    });
}

#[test]
fn items_are_validated_as_creates_are() {
    each_store(|name, db| {
        import(&db, &customer("cus_a", 1, "a").to_string()).unwrap();
        let mut bad_email = contact("con_x", 1, "cus_a", "not-an-email");
        bad_email["labels"] = json!(["ok"]);
        let mut unknown = customer("cus_b", 2, "b");
        unknown["colour"] = json!("red");
        let mut bad_time = customer("cus_c", 3, "c");
        bad_time["created_at"] = json!("yesterday");
        let mut waiting = wire::parse(FIXTURE).unwrap()["data"][0].clone();
        waiting["customer_id"] = json!("cus_a");
        waiting["state"] = json!("waiting");
        let mut digits = customer("12345", 4, "d");
        digits["name"] = json!("D");
        let taken = customer("cus_e", 5, "a");
        let cases = [
            (bad_email, ErrorCode::InvalidEmail, "email"),
            (unknown, ErrorCode::UnknownField, "colour"),
            (bad_time, ErrorCode::InvalidTimestamp, "created_at"),
            (waiting, ErrorCode::ConflictingFields, "waiting_on_customer"),
            (digits, ErrorCode::InvalidType, "id"),
            (taken, ErrorCode::SlugTaken, "slug"),
            (
                json!({"object": "event", "id": "evt_1"}),
                ErrorCode::InvalidEnumValue,
                "object",
            ),
            (
                json!({"object": "phase_transition"}),
                ErrorCode::InvalidEnumValue,
                "object",
            ),
            (json!({"id": "cus_z"}), ErrorCode::MissingField, "object"),
        ];
        for (item, code, field) in cases {
            let e = import(&db, &item.to_string()).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (code, Some(field)),
                "{name}: {item}"
            );
            assert!(e.message.starts_with("item 0 (line 1): "), "{}", e.message);
        }
        assert_eq!(
            events(&db).len(),
            1,
            "{name}: nothing but the first customer"
        );
    });
}

/// Inputs longer than the reading side may run ahead of the writing side: an error on either
/// side stops both, with the same outcome as a short input.
#[test]
fn long_inputs_stop_at_the_first_error_of_either_side() {
    each_store(|name, db| {
        let items: Vec<Value> = (1..=5_000)
            .map(|i| customer(&format!("cus_{i}"), i, &format!("c{i}")))
            .collect();
        let mut bad = items.clone();
        bad[2_500]["mrr"] = json!(-1);
        let options = ImportOptions {
            chunk_size: 1_000,
            ..Default::default()
        };
        let e = db
            .import_json(ndjson(&bad).as_bytes(), &options)
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("mrr"), "{name}");
        assert!(
            e.message.starts_with("item 2500 (line 2501): ")
                && e.message.ends_with("(2000 items before it were imported)"),
            "{name}: {}",
            e.message
        );
        let mut text = ndjson(&items[2_000..4_500]);
        text.push_str("{\"object\": \"customer\",\n");
        let e = db.import_json(text.as_bytes(), &options).unwrap_err();
        assert!(
            e.message.starts_with("line 2502, ")
                && e.message.ends_with("(2000 items before it were imported)"),
            "{name}: {}",
            e.message
        );
        let all = CustomerListParams {
            limit: Some(100),
            ..Default::default()
        };
        let pages = db.export(
            &ExportList::Customers(all),
            ExportFormat::Ndjson,
            std::io::sink(),
        );
        assert_eq!(pages.unwrap(), 4_000, "{name}: two chunks of each import");
    });
}

#[test]
fn stop_rolls_back_the_failing_chunk_and_skip_leaves_bad_items_out() {
    each_store(|name, db| {
        let items: Vec<Value> = (1..=5)
            .map(|i| customer(&format!("cus_{i}"), i, &format!("c{i}")))
            .collect();
        let mut bad = items.clone();
        bad[3]["mrr"] = json!(-1);
        let text = ndjson(&bad);
        let options = ImportOptions {
            chunk_size: 2,
            ..Default::default()
        };
        let e = db.import_json(text.as_bytes(), &options).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::TooSmall, Some("mrr"))
        );
        assert!(
            e.message.starts_with("item 3 (line 4): ")
                && e.message.ends_with("(2 items before it were imported)"),
            "{name}: {}",
            e.message
        );
        let listed = db.customers().list(&CustomerListParams::default()).unwrap();
        assert_eq!(listed.data.len(), 2, "{name}: the first chunk only");

        let s = db
            .import_json(
                text.as_bytes(),
                &ImportOptions {
                    chunk_size: 2,
                    ..skip()
                },
            )
            .unwrap();
        assert_eq!(counts(&s), (2, 0, 2, 1), "{name}");
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].position.index, 3);
        assert_eq!(s.errors[0].error.field.as_deref(), Some("mrr"));
        let listed = db.customers().list(&CustomerListParams::default()).unwrap();
        assert_eq!(listed.data.len(), 4, "{name}");

        // max_errors bounds the list, not the count.
        let mut many = items.clone();
        for item in &mut many {
            item["mrr"] = json!(-1);
            item["id"] = json!(format!("{}x", item["id"].as_str().unwrap()));
        }
        let options = ImportOptions {
            max_errors: 2,
            ..skip()
        };
        let s = db.import_json(ndjson(&many).as_bytes(), &options).unwrap();
        assert_eq!((s.skipped, s.errors.len()), (5, 2), "{name}");
    });
}

#[test]
fn hostile_input_is_a_clear_error_naming_the_line_and_imports_nothing() {
    let good = customer("cus_good", 1, "good").to_string();
    let long = format!(
        "{{\"object\":\"customer\",\"name\":\"{}\"}}",
        "x".repeat(2 << 20)
    );
    let cases: Vec<(String, ErrorCode, &str)> = vec![
        (
            format!("{good}\n{{\"object\":\"customer\",\"id\":"),
            ErrorCode::InvalidType,
            "line 2, ",
        ),
        (
            format!("{good}\n\u{1}\u{2}garbage"),
            ErrorCode::InvalidType,
            "line 2, ",
        ),
        (format!("{good}\n{long}\n"), ErrorCode::TooLarge, "line 2: "),
        (
            format!("[{good},\n{good}"),
            ErrorCode::InvalidType,
            "line 2, ",
        ),
        (
            format!(
                "{good}\n{}",
                json!({"object": "event", "id": "evt_1", "data": {}})
            ),
            ErrorCode::InvalidEnumValue,
            "item 1 (line 2): ",
        ),
    ];
    for (text, code, start) in cases {
        each_store(|name, db| {
            let e = import(&db, &text).unwrap_err();
            assert_eq!(e.code, code, "{name}: {}", e.message);
            assert!(e.message.starts_with(start), "{name}: {}", e.message);
            let listed = db.customers().list(&CustomerListParams::default()).unwrap();
            assert!(listed.data.is_empty(), "{name}: nothing half-imported");
            assert!(events(&db).is_empty(), "{name}");
        });
    }
    // Binary garbage in bytes that are not UTF-8 at all.
    each_store(|name, db| {
        let bytes = [good.as_bytes(), b"\n\xff\xfe\x00\x01"].concat();
        let e = db
            .import_json(&bytes[..], &ImportOptions::default())
            .unwrap_err();
        assert!(e.message.starts_with("line 2, "), "{name}: {}", e.message);
    });
}

#[test]
fn envelopes_arrays_and_values_import_alike() {
    each_store(|name, db| {
        let items = [customer("cus_a", 1, "a"), customer("cus_b", 2, "b")];
        let envelope =
            json!({"object": "list", "data": items, "has_more": false, "next_cursor": null});
        let array = Value::Array(items.to_vec());
        for text in [
            envelope.to_string(),
            serde_json::to_string_pretty(&array).unwrap(),
        ] {
            let s = import(&db, &text).unwrap();
            assert_eq!(s.created + s.unchanged, 2, "{name}");
        }
        let s = db
            .import_values([envelope, items[0].clone()], &ImportOptions::default())
            .unwrap();
        assert_eq!(counts(&s), (0, 0, 3, 0), "{name}");
        let mut bad = items[1].clone();
        bad["name"] = json!("");
        let e = db
            .import_values([bad], &ImportOptions::default())
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingField);
        assert!(e.message.starts_with("item 0: "), "{}", e.message);
    });
}

#[test]
fn an_imported_primary_contact_demotes_the_current_one() {
    each_store(|name, db| {
        import(&db, &customer("cus_a", 1, "a").to_string()).unwrap();
        let first = db
            .contacts()
            .create(
                "cus_a",
                ContactParams {
                    name: "First".into(),
                    email: "first@acme.com".into(),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        assert!(first.is_primary);
        let mut primary = contact("con_imported", 7, "cus_a", "ada@acme.com");
        primary["is_primary"] = json!(true);
        import(&db, &primary.to_string()).unwrap();
        assert!(
            !db.contacts().retrieve(&first.id).unwrap().is_primary,
            "{name}"
        );
        assert!(db.contacts().retrieve("7").unwrap().is_primary, "{name}");
    });
}

#[test]
fn export_writes_the_apis_json_and_csv() {
    each_store(|name, db| {
        import(&db, &format!("{}\n{FIXTURE}", fixture_customer())).unwrap();
        let list = ExportList::Onboardings(OnboardingListParams {
            limit: Some(1),
            ..Default::default()
        });
        let all = db
            .onboardings()
            .list(&OnboardingListParams::default())
            .unwrap();

        let mut out = Vec::new();
        assert_eq!(db.export(&list, ExportFormat::Ndjson, &mut out).unwrap(), 2);
        let want: String = all
            .data
            .iter()
            .map(|o| serde_json::to_string(o).unwrap() + "\n")
            .collect();
        assert_eq!(String::from_utf8(out).unwrap(), want, "{name}: NDJSON");

        let mut out = Vec::new();
        db.export(&list, ExportFormat::Json, &mut out).unwrap();
        let page = Page {
            data: all.data.clone(),
            has_more: false,
            next_cursor: None,
        };
        assert_eq!(out, serde_json::to_vec(&page).unwrap(), "{name}: envelope");

        let mut out = Vec::new();
        let customers = ExportList::Customers(Default::default());
        db.export(&customers, ExportFormat::Csv, &mut out).unwrap();
        let mut rows = csv::Reader::from_reader(&out[..]);
        let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header[..3], ["object", "id", "display_id"], "{name}");
        let row = rows.records().next().unwrap().unwrap();
        let at = |field: &str| row[header.iter().position(|h| h == field).unwrap()].to_owned();
        assert_eq!(at("metadata"), r#"{"region":"eu","tier":{"level":2}}"#);
        assert_eq!(at("created_at"), "2023-11-01T09:00:00.000Z");
        assert_eq!(at("monthly_orders"), "");
        assert_eq!(at("mrr"), "250000");

        let mut out = Vec::new();
        let events = ExportList::Events(EventListParams {
            types: vec![EventType::OnboardingImported],
            limit: Some(1),
            ..Default::default()
        });
        assert_eq!(
            db.export(&events, ExportFormat::Ndjson, &mut out).unwrap(),
            2
        );

        // An empty list: an empty envelope, and nothing at all in CSV.
        let none = ExportList::Onboardings(OnboardingListParams {
            state: Some(State::Waiting),
            ..Default::default()
        });
        let mut out = Vec::new();
        db.export(&none, ExportFormat::Json, &mut out).unwrap();
        assert_eq!(
            out,
            br#"{"object":"list","data":[],"has_more":false,"next_cursor":null}"#
        );
        let mut out = Vec::new();
        db.export(&none, ExportFormat::Csv, &mut out).unwrap();
        assert!(out.is_empty());
    });
}

/// Everything a store holds, as the lists show it.
fn everything(db: &Pivotal) -> Vec<Value> {
    let mut out = Vec::new();
    for (list, _) in [
        (ExportList::Customers(Default::default()), ()),
        (ExportList::Contacts(None), ()),
        (ExportList::Onboardings(Default::default()), ()),
    ] {
        let mut text = Vec::new();
        db.export(&list, ExportFormat::Ndjson, &mut text).unwrap();
        for line in String::from_utf8(text).unwrap().lines() {
            out.push(serde_json::from_str(line).unwrap());
        }
    }
    out
}

/// One record to make: customers, then contacts and onboardings of earlier customers.
#[derive(Debug, Clone)]
enum Make {
    Customer(String, Option<i64>),
    Contact(usize, bool),
    Onboarding(usize, Phase, State, Option<u8>),
    Delete(usize),
}

fn make() -> impl Strategy<Value = Make> {
    prop_oneof![
        ("[A-Za-zé ]{1,12}", proptest::option::of(0i64..1_000_000))
            .prop_map(|(n, mrr)| Make::Customer(n, mrr)),
        (0usize..8, any::<bool>()).prop_map(|(c, p)| Make::Contact(c, p)),
        (
            0usize..8,
            proptest::sample::select(Phase::ALL.to_vec()),
            proptest::sample::select(State::ALL.to_vec()),
            proptest::option::of(0u8..60)
        )
            .prop_map(|(c, ph, st, d)| Make::Onboarding(c, ph, st, d)),
        (0usize..8).prop_map(Make::Delete),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// import(export(store)) into an empty store reproduces every object exactly, in both stores,
    /// and importing the export again changes nothing.
    #[test]
    fn export_then_import_reproduces_every_object(steps in proptest::collection::vec(make(), 1..30), sqlite in any::<bool>()) {
        let source = open(Box::new(MemoryStore::new()));
        let mut customers: Vec<String> = Vec::new();
        for (i, step) in steps.into_iter().enumerate() {
            let pick = |c: usize| customers.get(c % customers.len().max(1)).cloned();
            match step {
                Make::Customer(name, mrr) => {
                    let params = CustomerParams { name: format!("{name} {i}"), mrr, ..Default::default() };
                    customers.push(source.customers().create(params, None).unwrap().id);
                }
                Make::Contact(c, primary) => {
                    let Some(customer) = pick(c) else { continue };
                    let params = ContactParams {
                        name: "N".into(), email: format!("n{i}@acme.com"), is_primary: Some(primary),
                        labels: Some(vec![format!("l{i}")]), ..Default::default()
                    };
                    let _ = source.contacts().create(&customer, params, None);
                }
                Make::Onboarding(c, phase, state, days) => {
                    let Some(customer) = pick(c) else { continue };
                    let params = OnboardingParams {
                        customer_id: customer, phase: Some(phase), state: Some(state),
                        target_launch_date: days.map(|d| parse_instant(NOW).unwrap() + chrono::Duration::days(d.into())),
                        ..Default::default()
                    };
                    let _ = source.onboardings().create(params, None);
                }
                Make::Delete(c) => {
                    if let Some(customer) = pick(c) { let _ = source.customers().delete(&customer); }
                }
            }
        }
        let want = everything(&source);
        let mut text = Vec::new();
        for list in [ExportList::Contacts(None), ExportList::Onboardings(Default::default()), ExportList::Customers(Default::default())] {
            source.export(&list, ExportFormat::Ndjson, &mut text).unwrap();
        }
        let store: Box<dyn Store> = if sqlite { Box::new(SqliteStore::open_in_memory().unwrap()) } else { Box::new(MemoryStore::new()) };
        let copy = open(store);
        let options = ImportOptions { chunk_size: 7, ..Default::default() };
        let s = copy.import_json(&text[..], &options).unwrap();
        prop_assert_eq!(s.created as usize, want.len());
        prop_assert_eq!(everything(&copy), want.clone());
        let again = copy.import_json(&text[..], &options).unwrap();
        prop_assert_eq!(again.unchanged as usize, want.len());
        prop_assert_eq!(events(&copy).len(), want.len());
    }
}
