//! The records and steps the checks are made of, public for the store tests and the benches.

use crate::analytics::{NewHistoryEntry, Snapshot};
use crate::error::Result;
use crate::model::time::{from_unix_ms, parse_instant};
use crate::model::{
    ApiKey, Contact, Customer, CustomerStatus, Event, EventData, EventType, Metadata, Onboarding,
    Phase, PhaseTransition, State, Timestamp, Workspace, API_VERSION,
};
use crate::store::{
    DisplayKind, IdempotencyEntry, ListCursor, NewEvent, PageRequest, Scope, Store, StoreExt, Tx,
};
use serde_json::json;

/// The instant `ms` milliseconds after the Unix epoch.
pub fn at(ms: i64) -> Timestamp {
    from_unix_ms(ms).unwrap_or_else(|| panic!("instant {ms}ms is representable"))
}

/// Workspace A of [`setup`].
pub const WS_A: &str = "org_conformanceaaaaaaa";

/// Workspace B of [`setup`].
pub const WS_B: &str = "org_conformancebbbbbbb";

/// 2024-04-01T10:00:00.000Z.
pub const BASE_MS: i64 = 1_711_965_600_000;

/// A day, in milliseconds.
pub const DAY: i64 = 86_400_000;

/// A limit large enough to mean "everything" in these checks.
pub const ALL: usize = 10_000;

/// `ms` milliseconds after the base instant.
pub fn t(ms: i64) -> Timestamp {
    at(BASE_MS + ms)
}

/// `d` days after the base instant.
pub fn d(days: i64) -> Timestamp {
    t(days * DAY)
}

/// The instant an RFC 3339 text names.
pub fn ts(s: &str) -> Timestamp {
    parse_instant(s).unwrap_or_else(|| panic!("`{s}` is an RFC 3339 instant"))
}

/// The live mode of a workspace.
pub fn live(workspace_id: &str) -> Scope {
    Scope {
        workspace_id: workspace_id.to_owned(),
        livemode: true,
    }
}

/// The test mode of a workspace.
pub fn test_mode(workspace_id: &str) -> Scope {
    Scope {
        workspace_id: workspace_id.to_owned(),
        livemode: false,
    }
}

/// A workspace whose slug is its id with dashes.
pub fn workspace(id: &str) -> Workspace {
    Workspace {
        id: id.to_owned(),
        slug: id.replace('_', "-"),
        name: format!("Workspace {id}"),
    }
}

/// Runs `f` in a write transaction that must succeed.
#[track_caller]
pub fn write<R>(store: &dyn Store, f: impl FnMut(&mut dyn Tx) -> Result<R>) -> R {
    store
        .write_with(f)
        .unwrap_or_else(|e| panic!("write transaction failed: {e:?}"))
}

/// Runs `f` in a read transaction that must succeed.
#[track_caller]
pub fn read<R>(store: &dyn Store, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> R {
    store
        .read_with(f)
        .unwrap_or_else(|e| panic!("read transaction failed: {e:?}"))
}

/// Adds workspaces A and B and returns the scopes (A live, A test, B live).
pub fn setup(store: &dyn Store) -> (Scope, Scope, Scope) {
    write(store, |tx| {
        tx.insert_workspace(&workspace(WS_A), t(0))?;
        tx.insert_workspace(&workspace(WS_B), t(1))
    });
    (live(WS_A), test_mode(WS_A), live(WS_B))
}

/// The first page, of at most `limit` records.
pub fn page(limit: usize) -> PageRequest {
    PageRequest {
        cursor: None,
        limit,
    }
}

/// The page at `cursor`, of at most `limit` records.
pub fn page_at(cursor: ListCursor, limit: usize) -> PageRequest {
    PageRequest {
        cursor: Some(cursor),
        limit,
    }
}

/// A permutation of `0..n` (7919 is prime), so ids do not follow insertion order.
pub fn scrambled(i: usize, n: usize) -> usize {
    (i * 7919) % n
}

/// Metadata with unsorted keys, nesting, unicode, escapes and numbers at the edges.
pub fn rich_metadata() -> Metadata {
    serde_json::from_str(
        r#"{
            "zeta": "keys are not sorted",
            "alpha": 1,
            "nested": {"list": [1, 2.5, -3, true, false, null, "x", {"k": []}], "deep": {"deeper": {"emoji": "🎉"}}},
            "empty_object": {},
            "empty_list": [],
            "quotes and lines": "she said \"hi\"\n\ttab \\ backslash \u0000 nul",
            "ключ": "значение 東京 ✓",
            "i64_min": -9223372036854775808,
            "u64_max": 18446744073709551615,
            "fraction": 0.1,
            "bool": true,
            "null": null
        }"#,
    )
    .unwrap_or_else(|e| panic!("metadata fixture parses: {e}"))
}

/// A customer with every optional field empty.
pub fn bare_customer(id: &str, display_id: i64, created_at: Timestamp) -> Customer {
    Customer {
        id: id.to_owned(),
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
        created_at,
        updated_at: created_at,
    }
}

/// A customer with every field set (unicode, rich metadata).
pub fn full_customer(id: &str, display_id: i64, created_at: Timestamp) -> Customer {
    Customer {
        id: id.to_owned(),
        display_id,
        name: "Ünïcødé Çorp 東京 🚀 \"Ltd\"".to_owned(),
        slug: format!("full-{}", id.replace('_', "-")),
        domain: Some("xn--bcher-kva.example.co.uk".to_owned()),
        status: CustomerStatus::AtRisk,
        plan: Some("enterprise ✨".to_owned()),
        mrr: Some(1_234_567_890_123),
        monthly_orders: Some(0),
        hubspot_company_id: Some("hs-123".to_owned()),
        hubspot_deal_id: Some("deal-456".to_owned()),
        stripe_customer_id: Some("cus_Stripe789".to_owned()),
        intercom_company_id: Some("ic-0".to_owned()),
        slack_channel_id: Some("C05ABCDEF".to_owned()),
        metadata: rich_metadata(),
        created_at,
        updated_at: ts("2030-01-02T03:04:05.678Z"),
    }
}

/// A contact of `customer_id` with every optional field empty.
pub fn bare_contact(
    id: &str,
    display_id: i64,
    customer_id: &str,
    created_at: Timestamp,
) -> Contact {
    Contact {
        id: id.to_owned(),
        display_id,
        customer_id: customer_id.to_owned(),
        name: format!("Contact {id}"),
        email: format!("{id}@example.com"),
        title: None,
        phone: None,
        is_primary: false,
        labels: Vec::new(),
        created_at,
        updated_at: created_at,
    }
}

/// A primary contact of `customer_id` with every field set.
pub fn full_contact(
    id: &str,
    display_id: i64,
    customer_id: &str,
    created_at: Timestamp,
) -> Contact {
    Contact {
        id: id.to_owned(),
        display_id,
        customer_id: customer_id.to_owned(),
        name: "Zoë O'Brien-Łukasiewicz 🌍".to_owned(),
        email: "zoe.obrien+tag@sub.example.co.uk".to_owned(),
        title: Some("Directrice générale — 東京".to_owned()),
        phone: Some("+1 (555) 010-0000".to_owned()),
        is_primary: true,
        labels: vec![
            "vip".to_owned(),
            "décideur".to_owned(),
            "東京".to_owned(),
            "a-b.c".to_owned(),
        ],
        created_at,
        updated_at: ts("2031-05-06T07:08:09.010Z"),
    }
}

/// An active onboarding of `customer_id`, before getting started, every optional field empty.
pub fn bare_onboarding(
    id: &str,
    display_id: i64,
    customer_id: &str,
    created_at: Timestamp,
) -> Onboarding {
    Onboarding {
        id: id.to_owned(),
        display_id,
        customer_id: customer_id.to_owned(),
        template_id: None,
        phase: Phase::BeforeGettingStarted,
        state: State::Active,
        started_at: created_at,
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
        created_at,
        updated_at: created_at,
    }
}

/// A completed onboarding of `customer_id` with every field set (long unicode notes).
pub fn full_onboarding(
    id: &str,
    display_id: i64,
    customer_id: &str,
    created_at: Timestamp,
) -> Onboarding {
    Onboarding {
        id: id.to_owned(),
        display_id,
        customer_id: customer_id.to_owned(),
        template_id: Some("tpl_✓_01".to_owned()),
        phase: Phase::Completed,
        state: State::Waiting,
        started_at: ts("2023-12-31T23:59:59.999Z"),
        completed_at: Some(ts("2024-06-30T12:00:00.001Z")),
        target_launch_date: Some(ts("2024-07-15T00:00:00.000Z")),
        csm_id: Some("usr_csm".to_owned()),
        se_id: Some("usr_se".to_owned()),
        designer_id: Some("usr_designer".to_owned()),
        product_ops_id: Some("usr_ops".to_owned()),
        notes: Some(format!(
            "Première ligne\n\"quoted\" 🚀\n{}",
            "lorem ipsum ✓ ".repeat(700)
        )),
        waiting_on_customer: true,
        waiting_on_customer_since: Some(ts("2024-05-01T08:30:00.250Z")),
        wizard_completed_at: Some(ts("2024-01-02T03:04:05.006Z")),
        reminder_email: false,
        reminder_slack: false,
        reminder_frequency_days: 0,
        created_at,
        updated_at: ts("2032-02-29T23:59:59.999Z"),
    }
}

/// A transition of `onboarding_id` from before getting started to program design.
pub fn transition(id: &str, onboarding_id: &str, created_at: Timestamp) -> PhaseTransition {
    PhaseTransition {
        id: id.to_owned(),
        onboarding_id: onboarding_id.to_owned(),
        from_phase: Phase::BeforeGettingStarted,
        to_phase: Phase::ProgramDesign,
        actor: "conformance".to_owned(),
        reason: None,
        created_at,
    }
}

/// A transition of `onboarding_id` to `to_phase`, with a reason.
pub fn transition_to(
    id: &str,
    onboarding_id: &str,
    created_at: Timestamp,
    to_phase: Phase,
) -> PhaseTransition {
    PhaseTransition {
        to_phase,
        reason: Some(format!("why {id}")),
        ..transition(id, onboarding_id, created_at)
    }
}

/// An event about `object_id`, filed under `customer_id`.
pub fn new_event(
    id: &str,
    event_type: EventType,
    object_id: &str,
    customer_id: &str,
    created_at: Timestamp,
) -> NewEvent {
    NewEvent {
        id: id.to_owned(),
        event_type,
        object_id: object_id.to_owned(),
        customer_id: customer_id.to_owned(),
        created_at,
        actor: "conformance".to_owned(),
        data: EventData {
            object: json!({ "id": object_id, "n": id }),
            previous_attributes: None,
        },
    }
}

/// The event the store must make of `event` as the `sequence`th of the workspace.
pub fn stored_event(scope: &Scope, sequence: i64, event: &NewEvent) -> Event {
    Event {
        id: event.id.clone(),
        sequence,
        event_type: event.event_type,
        created_at: event.created_at,
        org_id: scope.workspace_id.clone(),
        livemode: scope.livemode,
        api_version: API_VERSION.to_owned(),
        actor: event.actor.clone(),
        data: event.data.clone(),
    }
}

/// An idempotency entry.
pub fn idempotency(fingerprint: &str, response: &str, created_at: Timestamp) -> IdempotencyEntry {
    IdempotencyEntry {
        fingerprint: fingerprint.to_owned(),
        response: response.to_owned(),
        created_at,
    }
}

/// An API key, not revoked.
pub fn api_key(id: &str, prefix: &str, livemode: bool, created_at: Timestamp) -> ApiKey {
    ApiKey {
        id: id.to_owned(),
        name: format!("key {id}"),
        prefix: prefix.to_owned(),
        livemode,
        created_at,
        revoked_at: None,
    }
}

/// A history entry of `onboarding_id` at `at`: `(previous phase, phase, state)`, started on day
/// 0, no target, no CSM, no template.
pub fn history(
    onboarding_id: &str,
    at: Timestamp,
    previous_phase: Option<Phase>,
    phase: Phase,
    state: State,
) -> NewHistoryEntry {
    NewHistoryEntry {
        onboarding_id: onboarding_id.to_owned(),
        at,
        previous_phase,
        snapshot: Snapshot {
            phase,
            state,
            started_at: d(0),
            target_launch_date: None,
            csm_id: None,
            template_id: None,
        },
    }
}

/// Takes a customer display id and adds a bare customer.
pub fn add_customer(
    tx: &mut dyn Tx,
    scope: &Scope,
    id: &str,
    created_at: Timestamp,
) -> Result<Customer> {
    let display_id = tx.next_display_id(&scope.workspace_id, DisplayKind::Customer)?;
    let customer = bare_customer(id, display_id, created_at);
    tx.insert_customer(scope, &customer)?;
    Ok(customer)
}

/// Takes a contact display id and adds a bare contact.
pub fn add_contact(
    tx: &mut dyn Tx,
    scope: &Scope,
    id: &str,
    customer_id: &str,
    created_at: Timestamp,
) -> Result<Contact> {
    let display_id = tx.next_display_id(&scope.workspace_id, DisplayKind::Contact)?;
    let contact = bare_contact(id, display_id, customer_id, created_at);
    tx.insert_contact(scope, &contact)?;
    Ok(contact)
}

/// Takes an onboarding display id and adds a bare onboarding.
pub fn add_onboarding(
    tx: &mut dyn Tx,
    scope: &Scope,
    id: &str,
    customer_id: &str,
    created_at: Timestamp,
) -> Result<Onboarding> {
    let display_id = tx.next_display_id(&scope.workspace_id, DisplayKind::Onboarding)?;
    let onboarding = bare_onboarding(id, display_id, customer_id, created_at);
    tx.insert_onboarding(scope, &onboarding)?;
    Ok(onboarding)
}

/// Adds an onboarding of `customer_id` (bare, created at its first entry's instant) with the
/// given history.
pub fn add_with_history(
    tx: &mut dyn Tx,
    scope: &Scope,
    id: &str,
    customer_id: &str,
    entries: &[NewHistoryEntry],
) -> Result<Onboarding> {
    let created = entries.first().map_or(d(0), |e| e.at);
    let o = add_onboarding(tx, scope, id, customer_id, created)?;
    for entry in entries {
        tx.append_history(
            scope,
            NewHistoryEntry {
                onboarding_id: o.id.clone(),
                ..entry.clone()
            },
        )?;
    }
    Ok(o)
}
