//! Tests of the SQLite store: files, versions, transactions, visibility, pagination, query plans.

mod conformance;
mod files;
mod lists;
mod log;
mod plans;
mod transactions;
mod visibility;

use super::{sql, Durability, SqliteOptions, SqliteStore};
use crate::error::{Error, ErrorCode, Result};
use crate::model::time::from_unix_ms;
use crate::model::{
    Contact, Customer, CustomerStatus, Event, EventData, EventType, Metadata, Onboarding, Phase,
    PhaseTransition, State, Timestamp, Workspace,
};
use crate::store::{
    CustomerFilter, DisplayKind, EventFilter, IdempotencyEntry, ListCursor, NewEvent,
    OnboardingFilter, PageRequest, Scope, Store, StoreExt, TimelineCursor, Tx,
};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const T0: i64 = 1_711_965_600_000; // 2024-04-01T10:00:00.000Z

fn at(ms: i64) -> Timestamp {
    from_unix_ms(ms).unwrap()
}

fn scope(ws: &str, livemode: bool) -> Scope {
    Scope {
        workspace_id: ws.into(),
        livemode,
    }
}

fn live() -> Scope {
    scope("org_a", true)
}

fn customer(id: &str, display_id: i64, created_ms: i64) -> Customer {
    Customer {
        id: id.into(),
        display_id,
        name: format!("Customer {id}"),
        slug: id.replace('_', "-"),
        domain: None,
        status: CustomerStatus::Onboarding,
        plan: None,
        mrr: None,
        monthly_orders: None,
        hubspot_company_id: None,
        hubspot_deal_id: None,
        stripe_customer_id: None,
        intercom_company_id: None,
        slack_channel_id: None,
        metadata: Metadata::new(),
        created_at: at(created_ms),
        updated_at: at(created_ms),
    }
}

fn full_customer() -> Customer {
    let metadata = serde_json::json!({
        "zeta": "last key first",
        "alpha": {"nested": [1, "two", null, true, 3.5]},
        "unicode": "Grüße 👋",
    });
    Customer {
        domain: Some("acme.com".into()),
        status: CustomerStatus::AtRisk,
        plan: Some("enterprise".into()),
        mrr: Some(1_234_500),
        monthly_orders: Some(0),
        hubspot_company_id: Some("hc".into()),
        hubspot_deal_id: Some("hd".into()),
        stripe_customer_id: Some("sc".into()),
        intercom_company_id: Some("ic".into()),
        slack_channel_id: Some("sl".into()),
        metadata: metadata.as_object().unwrap().clone(),
        updated_at: at(T0 + 5_000),
        ..customer("cus_full", 1, T0)
    }
}

fn contact(id: &str, display_id: i64, customer_id: &str, created_ms: i64) -> Contact {
    Contact {
        id: id.into(),
        display_id,
        customer_id: customer_id.into(),
        name: format!("Contact {id}"),
        email: format!("{id}@example.com"),
        title: None,
        phone: None,
        is_primary: false,
        labels: vec![],
        created_at: at(created_ms),
        updated_at: at(created_ms),
    }
}

fn onboarding(id: &str, display_id: i64, customer_id: &str, created_ms: i64) -> Onboarding {
    Onboarding {
        id: id.into(),
        display_id,
        customer_id: customer_id.into(),
        template_id: None,
        phase: Phase::BeforeGettingStarted,
        state: State::Active,
        started_at: at(created_ms),
        completed_at: None,
        target_launch_date: None,
        csm_id: None,
        se_id: None,
        designer_id: None,
        product_ops_id: None,
        notes: None,
        waiting_on_customer: false,
        waiting_on_customer_since: None,
        wizard_completed_at: None,
        reminder_email: true,
        reminder_slack: true,
        reminder_frequency_days: 1,
        created_at: at(created_ms),
        updated_at: at(created_ms),
    }
}

fn full_onboarding(customer_id: &str) -> Onboarding {
    Onboarding {
        template_id: Some("tpl".into()),
        phase: Phase::Launch,
        state: State::Waiting,
        started_at: at(T0 - 86_400_000),
        completed_at: Some(at(T0 + 1)),
        target_launch_date: Some(at(T0 + 30 * 86_400_000)),
        csm_id: Some("u_csm".into()),
        se_id: Some("u_se".into()),
        designer_id: Some("u_designer".into()),
        product_ops_id: Some("u_ops".into()),
        notes: Some("line one\nline two, with 'quotes' and \"more\"".into()),
        waiting_on_customer: true,
        waiting_on_customer_since: Some(at(T0 + 2)),
        wizard_completed_at: Some(at(T0 + 3)),
        reminder_email: false,
        reminder_slack: true,
        reminder_frequency_days: 90,
        updated_at: at(T0 + 4),
        ..onboarding("onb_full", 1, customer_id, T0)
    }
}

fn transition(id: &str, onboarding_id: &str, created_ms: i64, to: Phase) -> PhaseTransition {
    PhaseTransition {
        id: id.into(),
        onboarding_id: onboarding_id.into(),
        from_phase: Phase::BeforeGettingStarted,
        to_phase: to,
        actor: "tester".into(),
        reason: Some(format!("why {id}")),
        created_at: at(created_ms),
    }
}

fn new_event(id: &str, event_type: EventType, object_id: &str, customer_id: &str) -> NewEvent {
    NewEvent {
        id: id.into(),
        event_type,
        object_id: object_id.into(),
        customer_id: customer_id.into(),
        created_at: at(T0),
        actor: "tester".into(),
        data: EventData {
            object: serde_json::json!({"id": object_id}),
            previous_attributes: None,
        },
    }
}

fn workspace(id: &str) -> Workspace {
    Workspace {
        id: id.into(),
        slug: format!("{id}-slug"),
        name: format!("Workspace {id}"),
    }
}

fn write<R>(store: &SqliteStore, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> R {
    store.write_with(f).unwrap()
}

fn read<R>(store: &SqliteStore, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> R {
    store.read_with(f).unwrap()
}

fn page(cursor: Option<ListCursor>, limit: usize) -> PageRequest {
    PageRequest { cursor, limit }
}

fn all() -> PageRequest {
    page(None, 1000)
}

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pivotal.db");
    (dir, path)
}

fn open_err(path: &Path) -> Error {
    SqliteStore::open(path).expect_err("open should fail")
}

/// Opens `path`, expects `code`, and checks the file was neither changed nor removed.
fn assert_refused_untouched(path: &Path, code: ErrorCode) {
    let before = std::fs::read(path).unwrap();
    let err = open_err(path);
    assert_eq!(err.code, code, "{err}");
    assert_eq!(std::fs::read(path).unwrap(), before, "the file changed");
}
