//! The store conformance suite: the checks every [`Store`] implementation must pass.
//!
//! Each check is a public function taking a fresh, empty store. [`store_conformance_tests!`]
//! expands to one `#[test]` per check, given an expression that makes such a store:
//!
//! ```ignore
//! #[cfg(test)]
//! mod tests {
//!     pivotal_core::store_conformance_tests!(|| MyStore::open_in_memory().expect("store opens"));
//! }
//! ```
//!
//! Out-of-tree stores get the suite with the crate's `conformance` feature. The checks talk to the
//! store through [`Tx`] only, in the order a service would (workspaces first, parents before
//! children, display ids taken from the counters), so stores with foreign keys pass too.
//!
//! [`store_conformance_tests!`]: crate::store_conformance_tests

use super::{
    CustomerFilter, DisplayKind, EventFilter, ListCursor, NewEvent, OnboardingFilter, PageRequest,
    Scope, Store, StoreExt, StoredApiKey, TimelineCursor, Tx,
};
use crate::analytics::{
    ByPhase, ByState, HistoryEntry, NewHistoryEntry, RankSample, ReportQuery, ReportTotals,
    Snapshot,
};
use crate::error::{Error, ErrorCode, ErrorType, Result};
use crate::model::{
    Contact, Customer, CustomerStatus, Event, EventData, EventType, Onboarding, Phase,
    PhaseTransition, State, Timestamp, Workspace,
};
use serde_json::json;

mod import;
pub use import::{check_display_id_owner, check_raise_display_id, check_record_exists};
use std::fmt::Debug;

/// Expands to one `#[test]` per conformance check, each running against a fresh store made by the
/// given closure (returning a `Store` or a `Box<dyn Store>`).
#[macro_export]
macro_rules! store_conformance_tests {
    ($make:expr $(,)?) => {
        $crate::store_conformance_tests!(@tests $make;
            check_workspaces,
            check_workspace_slugs_are_unique,
            check_display_ids_per_workspace_and_kind,
            check_display_ids_never_reused,
            check_customer_round_trip,
            check_customer_update,
            check_customer_soft_delete,
            check_contact_round_trip,
            check_contact_update_and_delete,
            check_onboarding_round_trip,
            check_onboarding_update_and_delete,
            check_deleted_customer_hides_children,
            check_scope_isolation,
            check_updates_keep_fixed_fields,
            check_same_id_in_two_scopes,
            check_integrity_constraints,
            check_rollback_on_error,
            check_read_refuses_mutations,
            check_list_customers_order_and_cursors,
            check_list_customers_filters,
            check_list_contacts_order_and_cursors,
            check_list_onboardings_filters_and_cursors,
            check_customer_onboardings_returns_all,
            check_contacts_by_email_and_primary,
            check_transitions_order,
            check_event_sequences_and_scope_fields,
            check_event_filters,
            check_timeline,
            check_idempotency_entries,
            check_forget_idempotency_entries,
            check_api_keys,
            check_extreme_timestamps,
            check_concurrent_writers,
            check_pagination_property,
            check_history_append_and_read,
            check_history_rollback,
            check_report_hand_computed,
            check_report_matches_reference,
            check_raise_display_id,
            check_display_id_owner,
            check_record_exists,
        );
    };
    (@tests $make:expr; $($check:ident),* $(,)?) => {
        $(
            #[test]
            // `|| MyStore::new()` reads naturally even where `MyStore::new` would do.
            #[allow(clippy::redundant_closure)]
            fn $check() {
                $crate::store::conformance::run($make, $crate::store::conformance::$check);
            }
        )*
    };
}

/// What the suite can run against: a store, or a boxed one.
pub trait AsStore {
    /// The store to check.
    fn as_store(&self) -> &dyn Store;
}

impl<S: Store> AsStore for S {
    fn as_store(&self) -> &dyn Store {
        self
    }
}

impl AsStore for Box<dyn Store> {
    fn as_store(&self) -> &dyn Store {
        self.as_ref()
    }
}

/// Makes a store with `make` and runs `check` against it.
pub fn run<S: AsStore>(make: impl FnOnce() -> S, check: fn(&dyn Store)) {
    let store = make();
    check(store.as_store());
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The records and steps the checks are made of, public for the store tests and the benches.
pub mod fixtures {
    use crate::analytics::{NewHistoryEntry, Snapshot};
    use crate::error::Result;
    use crate::model::time::{from_unix_ms, parse_instant};
    use crate::model::{
        ApiKey, Contact, Customer, CustomerStatus, Event, EventData, EventType, Metadata,
        Onboarding, Phase, PhaseTransition, State, Timestamp, Workspace, API_VERSION,
    };
    use crate::store::{
        DisplayKind, IdempotencyEntry, ListCursor, NewEvent, PageRequest, Scope, Store, StoreExt,
        Tx,
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
    pub fn write<R>(store: &dyn Store, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> R {
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
    pub fn idempotency(
        fingerprint: &str,
        response: &str,
        created_at: Timestamp,
    ) -> IdempotencyEntry {
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
}

use fixtures::*;

#[track_caller]
fn assert_fails<T: Debug>(outcome: Result<T>, what: &str) {
    assert!(
        outcome.is_err(),
        "{what}: expected an error, got {outcome:?}"
    );
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| panic!("serialisable: {e}"))
}

/// Equal, and equal as JSON text (so object key order is kept too).
#[track_caller]
fn assert_same<T: serde::Serialize + PartialEq + Debug>(got: &T, want: &T, what: &str) {
    assert_eq!(got, want, "{what}");
    assert_eq!(json_text(got), json_text(want), "{what} (as JSON)");
}

/// A record of a paginated list.
trait Listed: Clone + Debug + PartialEq {
    fn id(&self) -> &str;
    fn created_at(&self) -> Timestamp;
}

impl Listed for Customer {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

impl Listed for Contact {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

impl Listed for Onboarding {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
}

fn ids<T: Listed>(records: &[T]) -> Vec<&str> {
    records.iter().map(Listed::id).collect()
}

fn sequences(events: &[Event]) -> Vec<i64> {
    events.iter().map(|e| e.sequence).collect()
}

/// Sorts into list order: `created_at` descending, then `id` descending.
fn list_order<T: Listed>(mut records: Vec<T>) -> Vec<T> {
    records.sort_by(|a, b| (b.created_at(), b.id()).cmp(&(a.created_at(), a.id())));
    records
}

/// Walks a list page by page with `After` cursors taken from each page's last record, the page
/// limits cycling through `limits` (each ≥ 1). Every page must hold exactly
/// `min(limit, records left)` records. Returns the records in walk order.
fn walk<T: Listed>(
    limits: &[usize],
    expected_len: usize,
    mut fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
) -> std::result::Result<Vec<T>, String> {
    let mut seen: Vec<T> = Vec::new();
    let mut cursor = None;
    for step in 0..=expected_len {
        let limit = limits[step % limits.len()];
        let request = PageRequest {
            cursor: cursor.clone(),
            limit,
        };
        let records = fetch(&request).map_err(|e| format!("page {step} failed: {e:?}"))?;
        let want = limit.min(expected_len.saturating_sub(seen.len()));
        if records.len() != want {
            return Err(format!(
                "page {step} ({request:?}) after {} records returned {} records, expected {want}: {:?}",
                seen.len(),
                records.len(),
                ids(&records)
            ));
        }
        let Some(last) = records.last() else {
            return Ok(seen);
        };
        cursor = Some(ListCursor::After(last.created_at(), last.id().to_owned()));
        seen.extend(records);
    }
    Err(format!("the walk did not end after {expected_len} records"))
}

/// Walks with each of several limit patterns and checks the result is exactly `expected`.
#[track_caller]
fn assert_walks<T: Listed>(
    expected: &[T],
    mut fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
    what: &str,
) {
    for limits in [&[1][..], &[2], &[3, 1, 5], &[7], &[100]] {
        match walk(limits, expected.len(), &mut fetch) {
            Ok(got) => {
                assert_eq!(
                    ids(&got),
                    ids(expected),
                    "{what}: walk with limits {limits:?}"
                );
                assert_eq!(got, expected, "{what}: walk with limits {limits:?}");
            }
            Err(e) => panic!("{what}: walk with limits {limits:?}: {e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Workspaces and display ids
// ---------------------------------------------------------------------------------------------

/// Workspaces are found by id and by slug (a slug is not an id) and listed oldest first.
pub fn check_workspaces(store: &dyn Store) {
    let a = Workspace {
        id: "org_aaaaaaaaaaaaaaaaaaaa".to_owned(),
        slug: "acme".to_owned(),
        name: "Acme Ünïcødé 東京".to_owned(),
    };
    let b = workspace("org_bbbbbbbbbbbbbbbbbbbb");
    let c = workspace("org_cccccccccccccccccccc");
    write(store, |tx| {
        tx.insert_workspace(&b, t(1_000))?;
        tx.insert_workspace(&a, ts("1970-01-01T00:00:00.000Z"))
    });
    write(store, |tx| tx.insert_workspace(&c, t(2_000)));
    read(store, |tx| {
        assert_eq!(tx.workspaces()?, vec![a.clone(), b.clone(), c.clone()]);
        assert_eq!(tx.workspace(&a.id)?, Some(a.clone()));
        assert_eq!(tx.workspace(&c.id)?, Some(c.clone()));
        assert_eq!(tx.workspace("org_missing")?, None);
        assert_eq!(tx.workspace_by_slug("acme")?, Some(a.clone()));
        assert_eq!(tx.workspace_by_slug(&b.slug)?, Some(b.clone()));
        assert_eq!(tx.workspace_by_slug(&a.id)?, None, "an id is not a slug");
        assert_eq!(tx.workspace("acme")?, None, "a slug is not an id");
        Ok(())
    });
}

/// A workspace slug is unique (see [`Workspace::slug`]): adding a second workspace with a slug that
/// is taken fails, and `workspace_by_slug` keeps finding the first.
pub fn check_workspace_slugs_are_unique(store: &dyn Store) {
    let first = workspace("org_first000000000000000");
    let mut second = workspace("org_second00000000000000");
    second.slug.clone_from(&first.slug);
    write(store, |tx| tx.insert_workspace(&first, t(0)));
    assert_fails(
        store.write_with(|tx| tx.insert_workspace(&second, t(1))),
        "adding a workspace whose slug is taken",
    );
    read(store, |tx| {
        assert_eq!(tx.workspace_by_slug(&first.slug)?, Some(first.clone()));
        assert_eq!(tx.workspace(&second.id)?, None);
        Ok(())
    });
}

/// Display ids count 1, 2, 3, … per (workspace, kind), both modes drawing from one counter, and the
/// counters persist across transactions.
pub fn check_display_ids_per_workspace_and_kind(store: &dyn Store) {
    setup(store);
    let taken = write(store, |tx| {
        let mut taken = Vec::new();
        for (workspace_id, kind) in [
            (WS_A, DisplayKind::Customer),
            (WS_A, DisplayKind::Customer),
            (WS_A, DisplayKind::Contact),
            (WS_A, DisplayKind::Onboarding),
            (WS_A, DisplayKind::Customer),
            (WS_B, DisplayKind::Customer),
            (WS_A, DisplayKind::Onboarding),
            (WS_B, DisplayKind::Contact),
        ] {
            taken.push(tx.next_display_id(workspace_id, kind)?);
        }
        Ok(taken)
    });
    assert_eq!(taken, vec![1, 2, 1, 1, 3, 1, 2, 1]);

    // Live and test records of one workspace share the counter.
    let (l, t2) = write(store, |tx| {
        let l = add_customer(tx, &live(WS_A), "cus_livelivelivelivelive", t(0))?;
        let t2 = add_customer(tx, &test_mode(WS_A), "cus_testtesttesttesttest", t(0))?;
        Ok((l, t2))
    });
    assert_eq!((l.display_id, t2.display_id), (4, 5));
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Customer)),
        6
    );
    assert_eq!(
        write(store, |tx| tx
            .next_display_id(WS_B, DisplayKind::Onboarding)),
        1
    );
}

/// A deleted record's display id is never handed out again, and no longer finds the record.
pub fn check_display_ids_never_reused(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_00000000000000000001", t(0))?;
        let k = add_contact(tx, &scope, "con_00000000000000000001", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_00000000000000000001", &c.id, t(0))?;
        Ok((c, k, o))
    });
    assert_eq!((c.display_id, k.display_id, o.display_id), (1, 1, 1));
    write(store, |tx| {
        tx.delete_onboarding(&scope, &o.id, t(1))?;
        tx.delete_contact(&scope, &k.id, t(1))?;
        tx.delete_customer(&scope, &c.id, t(1))
    });
    let (c2, k2, o2) = write(store, |tx| {
        let c2 = add_customer(tx, &scope, "cus_00000000000000000002", t(2))?;
        let k2 = add_contact(tx, &scope, "con_00000000000000000002", &c2.id, t(2))?;
        let o2 = add_onboarding(tx, &scope, "onb_00000000000000000002", &c2.id, t(2))?;
        Ok((c2, k2, o2))
    });
    assert_eq!((c2.display_id, k2.display_id, o2.display_id), (2, 2, 2));
    read(store, |tx| {
        assert_eq!(tx.customer_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.contact_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.onboarding_by_display_id(&scope, 1)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, 2)?, Some(c2.clone()));
        assert_eq!(tx.contact_by_display_id(&scope, 2)?, Some(k2.clone()));
        assert_eq!(tx.onboarding_by_display_id(&scope, 2)?, Some(o2.clone()));
        assert_eq!(tx.customer_by_display_id(&scope, 3)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, 0)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, -1)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, i64::MAX)?, None);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Records: round trips, updates, soft deletes
// ---------------------------------------------------------------------------------------------

/// Customers come back exactly as inserted, every field, by id and by display id: all optional
/// fields empty, all set (unicode, nested metadata in its key order), and every status.
pub fn check_customer_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let mut customers = vec![
        bare_customer("cus_bare0000000000000000", 0, t(1)),
        full_customer("cus_full0000000000000000", 0, t(123)),
    ];
    for (i, status) in CustomerStatus::ALL.iter().enumerate() {
        let mut c = full_customer(&format!("cus_status{i:014}"), 0, t(i as i64));
        c.status = *status;
        customers.push(c);
    }
    write(store, |tx| {
        for c in &mut customers {
            c.display_id = tx.next_display_id(WS_A, DisplayKind::Customer)?;
            tx.insert_customer(&scope, c)?;
        }
        Ok(())
    });
    read(store, |tx| {
        for c in &customers {
            let by_id = tx.customer(&scope, &c.id)?;
            assert_same(&by_id, &Some(c.clone()), "customer by id");
            let by_display = tx.customer_by_display_id(&scope, c.display_id)?;
            assert_same(&by_display, &Some(c.clone()), "customer by display id");
            assert_eq!(tx.customer_id_by_slug(&scope, &c.slug)?, Some(c.id.clone()));
        }
        let listed = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_same(&listed, &list_order(customers.clone()), "customers list");
        assert_eq!(tx.customer(&scope, "cus_missing")?, None);
        assert_eq!(tx.customer(&scope, "")?, None);
        Ok(())
    });
}

/// An update replaces every field; lookups and filters follow the new values.
pub fn check_customer_update(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let original = write(store, |tx| {
        let d = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        let c = full_customer("cus_update00000000000000", d, t(0));
        tx.insert_customer(&scope, &c)?;
        Ok(c)
    });

    // Everything cleared or changed.
    let mut cleared = bare_customer(&original.id, original.display_id, original.created_at);
    cleared.name = "Renamed".to_owned();
    cleared.slug = "renamed".to_owned();
    cleared.status = CustomerStatus::Churned;
    cleared.updated_at = t(5_000);
    write(store, |tx| tx.update_customer(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &original.id)?,
            &Some(cleared.clone()),
            "cleared",
        );
        assert_same(
            &tx.customer_by_display_id(&scope, original.display_id)?,
            &Some(cleared.clone()),
            "cleared by display id",
        );
        assert_eq!(
            tx.customer_id_by_slug(&scope, "renamed")?,
            Some(original.id.clone())
        );
        assert_eq!(tx.customer_id_by_slug(&scope, &original.slug)?, None);
        let by_old_status = CustomerFilter {
            status: Some(original.status),
            slug: None,
        };
        assert!(tx
            .list_customers(&scope, &by_old_status, &page(ALL))?
            .is_empty());
        let by_new_status = CustomerFilter {
            status: Some(CustomerStatus::Churned),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(&scope, &by_new_status, &page(ALL))?,
            vec![cleared.clone()]
        );
        Ok(())
    });

    // And everything set again, with other values.
    let mut refilled = full_customer(&original.id, original.display_id, original.created_at);
    refilled.metadata = serde_json::from_value(json!({"b": [1, {"c": "ü"}], "a": {}}))
        .unwrap_or_else(|e| panic!("metadata fixture: {e}"));
    refilled.mrr = Some(0);
    refilled.updated_at = t(6_000);
    write(store, |tx| tx.update_customer(&scope, &refilled));
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &original.id)?,
            &Some(refilled.clone()),
            "refilled",
        );
        assert_eq!(
            tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?,
            vec![refilled.clone()]
        );
        Ok(())
    });

    assert_fails(
        store.write_with(|tx| tx.update_customer(&scope, &bare_customer("cus_missing", 99, t(0)))),
        "updating a customer that does not exist",
    );
}

/// A deleted customer is gone from every lookup and list, cannot be updated or deleted again, and
/// leaves other customers alone.
pub fn check_customer_soft_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (gone, kept) = write(store, |tx| {
        let gone = add_customer(tx, &scope, "cus_gone0000000000000000", t(0))?;
        let kept = add_customer(tx, &scope, "cus_kept0000000000000000", t(0))?;
        Ok((gone, kept))
    });
    write(store, |tx| tx.delete_customer(&scope, &gone.id, t(10)));
    read(store, |tx| {
        assert_eq!(tx.customer(&scope, &gone.id)?, None);
        assert_eq!(tx.customer_by_display_id(&scope, gone.display_id)?, None);
        assert_eq!(tx.customer_id_by_slug(&scope, &gone.slug)?, None);
        assert_eq!(
            tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?,
            vec![kept.clone()]
        );
        let by_slug = CustomerFilter {
            status: None,
            slug: Some(gone.slug.clone()),
        };
        assert!(tx.list_customers(&scope, &by_slug, &page(ALL))?.is_empty());
        let by_status = CustomerFilter {
            status: Some(gone.status),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(&scope, &by_status, &page(ALL))?,
            vec![kept.clone()]
        );
        assert_eq!(tx.customer(&scope, &kept.id)?, Some(kept.clone()));
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_customer(&scope, &gone)),
        "updating a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(&scope, &gone.id, t(11))),
        "deleting a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(&scope, "cus_missing", t(11))),
        "deleting a customer that does not exist",
    );
    // A new customer may take the deleted one's slug.
    let mut heir = bare_customer("cus_heir0000000000000000", 0, t(20));
    heir.slug = gone.slug.clone();
    write(store, |tx| {
        heir.display_id = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        tx.insert_customer(&scope, &heir)
    });
    read(store, |tx| {
        assert_eq!(
            tx.customer_id_by_slug(&scope, &gone.slug)?,
            Some(heir.id.clone())
        );
        Ok(())
    });
}

/// Contacts come back exactly as inserted, by id and by display id, bare and full.
pub fn check_contact_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let contacts = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let mut contacts = vec![
            bare_contact("con_bare0000000000000000", 0, &c.id, t(1)),
            full_contact("con_full0000000000000000", 0, &c.id, t(2)),
        ];
        for k in &mut contacts {
            k.display_id = tx.next_display_id(WS_A, DisplayKind::Contact)?;
            tx.insert_contact(&scope, k)?;
        }
        Ok(contacts)
    });
    read(store, |tx| {
        for k in &contacts {
            assert_same(
                &tx.contact(&scope, &k.id)?,
                &Some(k.clone()),
                "contact by id",
            );
            assert_same(
                &tx.contact_by_display_id(&scope, k.display_id)?,
                &Some(k.clone()),
                "contact by display id",
            );
        }
        let listed = tx.list_contacts(&scope, &contacts[0].customer_id, &page(ALL))?;
        assert_same(&listed, &list_order(contacts.clone()), "contacts list");
        assert_eq!(tx.contact(&scope, "con_missing")?, None);
        Ok(())
    });
}

/// A contact update replaces every field; a deleted contact is gone and cannot be changed.
pub fn check_contact_update_and_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, other) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let k = add_contact(tx, &scope, "con_update00000000000000", &c.id, t(1))?;
        let other = add_contact(tx, &scope, "con_other000000000000000", &c.id, t(2))?;
        Ok((c, k, other))
    });
    let full = full_contact(&k.id, k.display_id, &c.id, k.created_at);
    write(store, |tx| tx.update_contact(&scope, &full));
    read(store, |tx| {
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(full.clone()),
            "filled contact",
        );
        Ok(())
    });
    let mut cleared = bare_contact(&k.id, k.display_id, &c.id, k.created_at);
    cleared.email = "new@example.com".to_owned();
    cleared.updated_at = t(100);
    write(store, |tx| tx.update_contact(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(cleared.clone()),
            "cleared contact",
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "new@example.com")?,
            Some(k.id.clone())
        );
        assert_eq!(tx.contact_id_by_email(&scope, &c.id, &full.email)?, None);
        Ok(())
    });
    write(store, |tx| tx.delete_contact(&scope, &k.id, t(200)));
    read(store, |tx| {
        assert_eq!(tx.contact(&scope, &k.id)?, None);
        assert_eq!(tx.contact_by_display_id(&scope, k.display_id)?, None);
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "new@example.com")?,
            None
        );
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![other.clone()]
        );
        assert_eq!(tx.contact(&scope, &other.id)?, Some(other.clone()));
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_contact(&scope, &cleared)),
        "updating a deleted contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, &k.id, t(300))),
        "deleting a deleted contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, "con_missing", t(300))),
        "deleting a contact that does not exist",
    );
}

/// Onboardings come back exactly as inserted, bare, full, and in every phase and state.
pub fn check_onboarding_round_trip(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let onboardings = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let mut all = vec![
            bare_onboarding("onb_bare0000000000000000", 0, &c.id, t(1)),
            full_onboarding("onb_full0000000000000000", 0, &c.id, t(2)),
        ];
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let mut o = bare_onboarding(&format!("onb_phase{i:015}"), 0, &c.id, t(3));
            o.phase = *phase;
            all.push(o);
        }
        for (i, state) in State::ALL.iter().enumerate() {
            let mut o = full_onboarding(&format!("onb_state{i:015}"), 0, &c.id, t(4));
            o.state = *state;
            all.push(o);
        }
        for o in &mut all {
            o.display_id = tx.next_display_id(WS_A, DisplayKind::Onboarding)?;
            tx.insert_onboarding(&scope, o)?;
        }
        Ok(all)
    });
    read(store, |tx| {
        for o in &onboardings {
            assert_same(
                &tx.onboarding(&scope, &o.id)?,
                &Some(o.clone()),
                "onboarding by id",
            );
            assert_same(
                &tx.onboarding_by_display_id(&scope, o.display_id)?,
                &Some(o.clone()),
                "onboarding by display id",
            );
        }
        let listed = tx.list_onboardings(&scope, &OnboardingFilter::default(), &page(ALL))?;
        assert_same(
            &listed,
            &list_order(onboardings.clone()),
            "onboardings list",
        );
        assert_eq!(tx.onboarding(&scope, "onb_missing")?, None);
        Ok(())
    });
}

/// An onboarding update replaces every field and moves it between filters; a deleted onboarding
/// is gone and cannot be changed.
pub fn check_onboarding_update_and_delete(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o = add_onboarding(tx, &scope, "onb_update00000000000000", &c.id, t(1))?;
        Ok((c, o))
    });
    let full = full_onboarding(&o.id, o.display_id, &c.id, o.created_at);
    write(store, |tx| tx.update_onboarding(&scope, &full));
    read(store, |tx| {
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(full.clone()),
            "filled onboarding",
        );
        let old_phase = OnboardingFilter {
            phase: Some(o.phase),
            ..OnboardingFilter::default()
        };
        assert!(tx
            .list_onboardings(&scope, &old_phase, &page(ALL))?
            .is_empty());
        let new_state = OnboardingFilter {
            state: Some(full.state),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(&scope, &new_state, &page(ALL))?,
            vec![full.clone()]
        );
        Ok(())
    });
    let mut cleared = bare_onboarding(&o.id, o.display_id, &c.id, o.created_at);
    cleared.phase = Phase::InternalQa;
    cleared.state = State::Paused;
    cleared.updated_at = t(100);
    write(store, |tx| tx.update_onboarding(&scope, &cleared));
    read(store, |tx| {
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(cleared.clone()),
            "cleared onboarding",
        );
        Ok(())
    });
    write(store, |tx| tx.delete_onboarding(&scope, &o.id, t(200)));
    read(store, |tx| {
        assert_eq!(tx.onboarding(&scope, &o.id)?, None);
        assert_eq!(tx.onboarding_by_display_id(&scope, o.display_id)?, None);
        assert!(tx
            .list_onboardings(&scope, &OnboardingFilter::default(), &page(ALL))?
            .is_empty());
        assert!(tx.customer_onboardings(&scope, &c.id)?.is_empty());
        Ok(())
    });
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(&scope, &cleared)),
        "updating a deleted onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, &o.id, t(300))),
        "deleting a deleted onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, "onb_missing", t(300))),
        "deleting an onboarding that does not exist",
    );
}

/// Deleting a customer hides its contacts and onboardings everywhere (get, display id, email,
/// primary, lists, filters), makes them unchangeable, keeps its events in the log, and leaves
/// other customers' children alone.
pub fn check_deleted_customer_hides_children(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k1, k2, o1, o2, d, dk, d_o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_deleted0000000000000", t(0))?;
        let mut k1 = add_contact(tx, &scope, "con_primary0000000000000", &c.id, t(1))?;
        k1.is_primary = true;
        tx.update_contact(&scope, &k1)?;
        let k2 = add_contact(tx, &scope, "con_second00000000000000", &c.id, t(2))?;
        let o1 = add_onboarding(tx, &scope, "onb_first000000000000000", &c.id, t(3))?;
        let o2 = add_onboarding(tx, &scope, "onb_second00000000000000", &c.id, t(4))?;
        let d = add_customer(tx, &scope, "cus_kept0000000000000000", t(0))?;
        let mut dk = add_contact(tx, &scope, "con_kept0000000000000000", &d.id, t(1))?;
        dk.is_primary = true;
        tx.update_contact(&scope, &dk)?;
        let d_o = add_onboarding(tx, &scope, "onb_kept0000000000000000", &d.id, t(3))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_ofdeleted00000000000",
                EventType::CustomerCreated,
                &c.id,
                &c.id,
                t(0),
            ),
        )?;
        Ok((c, k1, k2, o1, o2, d, dk, d_o))
    });
    write(store, |tx| tx.delete_customer(&scope, &c.id, t(10)));
    assert_children_hidden(store, &scope, &c, &[&k1, &k2], &[&o1, &o2], &d_o);
    assert_other_children_kept(store, &scope, &d, &dk, &d_o);
    assert_fails(
        store.write_with(|tx| tx.update_contact(&scope, &k2)),
        "updating a contact of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(&scope, &k2.id, t(20))),
        "deleting a contact of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(&scope, &o1)),
        "updating an onboarding of a deleted customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(&scope, &o1.id, t(20))),
        "deleting an onboarding of a deleted customer",
    );
}

/// The deleted customer `c`'s contacts and onboardings are gone from every lookup, list and
/// filter, where `d_o` (another customer's onboarding) still shows.
#[track_caller]
fn assert_children_hidden(
    store: &dyn Store,
    scope: &Scope,
    c: &Customer,
    contacts: &[&Contact],
    onboardings: &[&Onboarding],
    d_o: &Onboarding,
) {
    read(store, |tx| {
        for k in contacts {
            assert_eq!(
                tx.contact(scope, &k.id)?,
                None,
                "contact of a deleted customer"
            );
            assert_eq!(tx.contact_by_display_id(scope, k.display_id)?, None);
            assert_eq!(tx.contact_id_by_email(scope, &c.id, &k.email)?, None);
        }
        assert_eq!(tx.primary_contact(scope, &c.id)?, None);
        assert!(tx.list_contacts(scope, &c.id, &page(ALL))?.is_empty());
        for o in onboardings {
            assert_eq!(
                tx.onboarding(scope, &o.id)?,
                None,
                "onboarding of a deleted customer"
            );
            assert_eq!(tx.onboarding_by_display_id(scope, o.display_id)?, None);
        }
        assert!(tx.customer_onboardings(scope, &c.id)?.is_empty());
        let all = OnboardingFilter::default();
        assert_eq!(
            tx.list_onboardings(scope, &all, &page(ALL))?,
            vec![d_o.clone()]
        );
        let of_c = OnboardingFilter {
            customer_id: Some(c.id.clone()),
            ..OnboardingFilter::default()
        };
        assert!(tx.list_onboardings(scope, &of_c, &page(ALL))?.is_empty());
        let by_phase = OnboardingFilter {
            phase: Some(Phase::BeforeGettingStarted),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(scope, &by_phase, &page(ALL))?,
            vec![d_o.clone()]
        );
        let by_state = OnboardingFilter {
            state: Some(State::Active),
            ..OnboardingFilter::default()
        };
        assert_eq!(
            tx.list_onboardings(scope, &by_state, &page(ALL))?,
            vec![d_o.clone()]
        );
        Ok(())
    });
}

/// Another customer's children are untouched by a customer's deletion, and the deleted
/// customer's events stay in the log.
#[track_caller]
fn assert_other_children_kept(
    store: &dyn Store,
    scope: &Scope,
    d: &Customer,
    dk: &Contact,
    d_o: &Onboarding,
) {
    read(store, |tx| {
        // The other customer's children are untouched.
        assert_eq!(tx.contact(scope, &dk.id)?, Some(dk.clone()));
        assert_eq!(tx.primary_contact(scope, &d.id)?, Some(dk.clone()));
        assert_eq!(
            tx.list_contacts(scope, &d.id, &page(ALL))?,
            vec![dk.clone()]
        );
        assert_eq!(tx.customer_onboardings(scope, &d.id)?, vec![d_o.clone()]);
        // History stays.
        let log = tx.list_events(
            scope,
            &EventFilter {
                limit: ALL,
                ..EventFilter::default()
            },
        )?;
        assert_eq!(
            log.len(),
            1,
            "the deleted customer's events stay in the log"
        );
        Ok(())
    });
}

/// Records of one (workspace, mode) are invisible and unchangeable from the other mode and from
/// other workspaces, whatever the lookup (id, display id, slug, email, lists, filters, transitions,
/// events, timeline, idempotency keys).
pub fn check_scope_isolation(store: &dyn Store) {
    let (home, test_a, live_b) = setup(store);
    let test_b = test_mode(WS_B);
    let (c, k, o, tr, ev) = write(store, |tx| {
        let mut c = add_customer(tx, &home, "cus_home0000000000000000", t(0))?;
        c.slug = "shared-slug".to_owned();
        tx.update_customer(&home, &c)?;
        let mut k = add_contact(tx, &home, "con_home0000000000000000", &c.id, t(1))?;
        k.is_primary = true;
        tx.update_contact(&home, &k)?;
        let o = add_onboarding(tx, &home, "onb_home0000000000000000", &c.id, t(2))?;
        let tr = transition("ptr_home0000000000000000", &o.id, t(3));
        tx.insert_transition(&home, &tr)?;
        let ev = tx.append_event(
            &home,
            new_event(
                "evt_home0000000000000000",
                EventType::OnboardingCreated,
                &o.id,
                &c.id,
                t(2),
            ),
        )?;
        tx.put_idempotency_entry(
            &home,
            "customers.create",
            "key-1",
            &idempotency("f", "{}", t(0)),
        )?;
        Ok((c, k, o, tr, ev))
    });
    // Another scope's customer with the same slug does not see or hide the first.
    let twin = write(store, |tx| {
        let mut twin = add_customer(tx, &test_a, "cus_twin0000000000000000", t(0))?;
        twin.slug = "shared-slug".to_owned();
        tx.update_customer(&test_a, &twin)?;
        Ok(twin)
    });

    for other in [&test_a, &live_b, &test_b] {
        let own_slug = (other == &test_a).then(|| twin.id.clone());
        assert_invisible_from(store, other, &c, &k, &o, own_slug);
        assert_unchangeable_from(store, other, &c, &k, &o);
    }
    assert_home_intact(store, &home, &c, &k, &o, &tr, &ev);
}

/// None of `c`, `k`, `o` and their transitions, events and idempotency key shows from `other`,
/// whose own customer with the same slug, if any, is `own_slug`.
#[track_caller]
fn assert_invisible_from(
    store: &dyn Store,
    other: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
    own_slug: Option<String>,
) {
    read(store, |tx| {
        let what = format!("seen from {other:?}");
        assert_eq!(tx.customer(other, &c.id)?, None, "{what}");
        assert_eq!(
            tx.customer_by_display_id(other, c.display_id)?,
            None,
            "{what}"
        );
        assert_eq!(
            tx.customer_id_by_slug(other, "shared-slug")?,
            own_slug,
            "{what}"
        );
        let customers = tx.list_customers(other, &CustomerFilter::default(), &page(ALL))?;
        assert!(!ids(&customers).contains(&c.id.as_str()), "{what}");
        assert_eq!(tx.contact(other, &k.id)?, None, "{what}");
        assert_eq!(
            tx.contact_by_display_id(other, k.display_id)?,
            None,
            "{what}"
        );
        assert_eq!(
            tx.contact_id_by_email(other, &c.id, &k.email)?,
            None,
            "{what}"
        );
        assert_eq!(tx.primary_contact(other, &c.id)?, None, "{what}");
        assert!(
            tx.list_contacts(other, &c.id, &page(ALL))?.is_empty(),
            "{what}"
        );
        assert_eq!(tx.onboarding(other, &o.id)?, None, "{what}");
        assert_eq!(
            tx.onboarding_by_display_id(other, o.display_id)?,
            None,
            "{what}"
        );
        let of_c = OnboardingFilter {
            customer_id: Some(c.id.clone()),
            ..OnboardingFilter::default()
        };
        assert!(
            tx.list_onboardings(other, &of_c, &page(ALL))?.is_empty(),
            "{what}"
        );
        let any = tx.list_onboardings(other, &OnboardingFilter::default(), &page(ALL))?;
        assert!(any.is_empty(), "{what}");
        assert!(tx.customer_onboardings(other, &c.id)?.is_empty(), "{what}");
        assert!(tx.transitions(other, &o.id)?.is_empty(), "{what}");
        let events = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(other, &events)?.is_empty(), "{what}");
        let about_o = EventFilter {
            object_id: Some(o.id.clone()),
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(other, &about_o)?.is_empty(), "{what}");
        assert!(tx.timeline(other, &c.id, None, ALL)?.is_empty(), "{what}");
        assert_eq!(
            tx.idempotency_entry(other, "customers.create", "key-1")?,
            None,
            "{what}"
        );
        Ok(())
    });
}

/// `c`, `k` and `o` cannot be updated or deleted from `other`.
#[track_caller]
fn assert_unchangeable_from(
    store: &dyn Store,
    other: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
) {
    let mut changed_c = c.clone();
    changed_c.name = "Hijacked".to_owned();
    assert_fails(
        store.write_with(|tx| tx.update_customer(other, &changed_c)),
        "updating another scope's customer",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_customer(other, &c.id, t(9))),
        "deleting another scope's customer",
    );
    let mut changed_k = k.clone();
    changed_k.name = "Hijacked".to_owned();
    assert_fails(
        store.write_with(|tx| tx.update_contact(other, &changed_k)),
        "updating another scope's contact",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_contact(other, &k.id, t(9))),
        "deleting another scope's contact",
    );
    let mut changed_o = o.clone();
    changed_o.notes = Some("Hijacked".to_owned());
    assert_fails(
        store.write_with(|tx| tx.update_onboarding(other, &changed_o)),
        "updating another scope's onboarding",
    );
    assert_fails(
        store.write_with(|tx| tx.delete_onboarding(other, &o.id, t(9))),
        "deleting another scope's onboarding",
    );
}

/// Everything of the home scope reads back as written.
#[track_caller]
fn assert_home_intact(
    store: &dyn Store,
    home: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
    tr: &PhaseTransition,
    ev: &Event,
) {
    read(store, |tx| {
        assert_eq!(tx.customer(home, &c.id)?, Some(c.clone()));
        assert_eq!(
            tx.customer_id_by_slug(home, "shared-slug")?,
            Some(c.id.clone())
        );
        assert_eq!(tx.contact(home, &k.id)?, Some(k.clone()));
        assert_eq!(tx.primary_contact(home, &c.id)?, Some(k.clone()));
        assert_eq!(tx.onboarding(home, &o.id)?, Some(o.clone()));
        assert_eq!(tx.transitions(home, &o.id)?, vec![tr.clone()]);
        assert_eq!(tx.timeline(home, &c.id, None, ALL)?, vec![ev.clone()]);
        assert_eq!(
            tx.idempotency_entry(home, "customers.create", "key-1")?,
            Some(idempotency("f", "{}", t(0)))
        );
        Ok(())
    });
}

/// An update replaces the mutable fields only: a record's `display_id`, `created_at` and (for
/// contacts and onboardings) `customer_id` stay as inserted, whatever the update carries.
pub fn check_updates_keep_fixed_fields(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, d, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_c000000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_d000000000000000000", t(1))?;
        let k = add_contact(tx, &scope, "con_k000000000000000000", &c.id, t(2))?;
        let o = add_onboarding(tx, &scope, "onb_o000000000000000000", &c.id, t(3))?;
        Ok((c, d, k, o))
    });
    let mut changed_c = full_customer(&c.id, 77, t(9_000));
    changed_c.name = "Changed".to_owned();
    let mut changed_k = full_contact(&k.id, 77, &d.id, t(9_000));
    changed_k.name = "Changed".to_owned();
    let mut changed_o = full_onboarding(&o.id, 77, &d.id, t(9_000));
    changed_o.notes = Some("Changed".to_owned());
    write(store, |tx| {
        tx.update_customer(&scope, &changed_c)?;
        tx.update_contact(&scope, &changed_k)?;
        tx.update_onboarding(&scope, &changed_o)
    });
    let want_c = Customer {
        display_id: c.display_id,
        created_at: c.created_at,
        ..changed_c
    };
    let want_k = Contact {
        display_id: k.display_id,
        created_at: k.created_at,
        customer_id: c.id.clone(),
        ..changed_k
    };
    let want_o = Onboarding {
        display_id: o.display_id,
        created_at: o.created_at,
        customer_id: c.id.clone(),
        ..changed_o
    };
    read(store, |tx| {
        assert_same(
            &tx.customer(&scope, &c.id)?,
            &Some(want_c.clone()),
            "updated customer",
        );
        assert_same(
            &tx.contact(&scope, &k.id)?,
            &Some(want_k.clone()),
            "updated contact",
        );
        assert_same(
            &tx.onboarding(&scope, &o.id)?,
            &Some(want_o.clone()),
            "updated onboarding",
        );
        assert_eq!(tx.customer_by_display_id(&scope, 77)?, None);
        assert_eq!(
            tx.contact_by_display_id(&scope, k.display_id)?,
            Some(want_k.clone())
        );
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(
            customers,
            vec![d.clone(), want_c.clone()],
            "list position unchanged"
        );
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![want_k.clone()]
        );
        assert!(tx.list_contacts(&scope, &d.id, &page(ALL))?.is_empty());
        assert_eq!(
            tx.customer_onboardings(&scope, &c.id)?,
            vec![want_o.clone()]
        );
        assert!(tx.customer_onboardings(&scope, &d.id)?.is_empty());
        Ok(())
    });
}

/// The same id in two scopes names two independent records (as when one export is imported into
/// both modes, or into two workspaces): each scope reads, changes and deletes its own.
pub fn check_same_id_in_two_scopes(store: &dyn Store) {
    let (live_a, test_a, live_b) = setup(store);
    let (cus, con, onb) = (
        "cl9bn00of0000g7l8gcq8c4xk",
        "cl9bn00of0001g7l8gcq8c4xk",
        "cl9bn00of0002g7l8gcq8c4xk",
    );
    let scopes = [live_a.clone(), test_a.clone(), live_b.clone()];
    let copies = write(store, |tx| {
        let mut copies = Vec::new();
        for (n, scope) in scopes.iter().enumerate() {
            let mut c = add_customer(tx, scope, cus, t(0))?;
            c.name = format!("Copy {n}");
            tx.update_customer(scope, &c)?;
            let k = add_contact(tx, scope, con, cus, t(1))?;
            let o = add_onboarding(tx, scope, onb, cus, t(2))?;
            let tr = transition("ptr_imported000000000000", onb, t(3));
            tx.insert_transition(scope, &tr)?;
            copies.push((c, k, o, tr));
        }
        Ok(copies)
    });
    let display_ids: Vec<_> = copies.iter().map(|(c, _, _, _)| c.display_id).collect();
    assert_eq!(display_ids, vec![1, 2, 1]);
    let mut renamed = copies[1].0.clone();
    renamed.name = "Renamed in test mode".to_owned();
    write(store, |tx| {
        tx.update_customer(&test_a, &renamed)?;
        tx.delete_customer(&live_b, cus, t(10))
    });
    read(store, |tx| {
        let (c, k, o, tr) = &copies[0];
        assert_eq!(tx.customer(&live_a, cus)?, Some(c.clone()));
        assert_eq!(tx.contact(&live_a, con)?, Some(k.clone()));
        assert_eq!(tx.onboarding(&live_a, onb)?, Some(o.clone()));
        assert_eq!(tx.transitions(&live_a, onb)?, vec![tr.clone()]);
        let (_, k, o, tr) = &copies[1];
        assert_eq!(tx.customer(&test_a, cus)?, Some(renamed.clone()));
        assert_eq!(tx.contact(&test_a, con)?, Some(k.clone()));
        assert_eq!(tx.onboarding(&test_a, onb)?, Some(o.clone()));
        assert_eq!(tx.transitions(&test_a, onb)?, vec![tr.clone()]);
        assert_eq!(tx.customer(&live_b, cus)?, None);
        assert_eq!(tx.contact(&live_b, con)?, None);
        assert_eq!(tx.onboarding(&live_b, onb)?, None);
        Ok(())
    });
}

/// One write of [`check_integrity_constraints`] that must fail.
type Attempt<'a> = Box<dyn Fn(&mut dyn Tx) -> Result<()> + 'a>;

/// The committed records of [`check_integrity_constraints`]: a customer `c` with a contact `k`
/// and an onboarding `o`, a deleted customer `gone` (all in the live scope), and a customer `tc`
/// of the test mode.
struct Existing {
    c: Customer,
    gone: Customer,
    k: Contact,
    o: Onboarding,
    tc: Customer,
}

/// Writes that would break the store's integrity fail: an id that exists in the scope (even
/// deleted), a display id taken in either mode of the workspace, a contact or onboarding whose
/// customer is not in the scope, a transition whose onboarding is not in the scope, a workspace id
/// that exists. Nothing of the failed transaction stays.
pub fn check_integrity_constraints(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let (c, gone, k, o, tc) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_c000000000000000000", t(0))?;
        let gone = add_customer(tx, &scope, "cus_gone000000000000000", t(0))?;
        tx.delete_customer(&scope, &gone.id, t(1))?;
        let k = add_contact(tx, &scope, "con_k000000000000000000", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_o000000000000000000", &c.id, t(0))?;
        let tc = add_customer(tx, &test_a, "cus_t000000000000000000", t(0))?;
        Ok((c, gone, k, o, tc))
    });
    let existing = Existing {
        c: c.clone(),
        gone,
        k: k.clone(),
        o: o.clone(),
        tc: tc.clone(),
    };
    let attempts = taken_id_attempts(&scope, &test_a, &existing)
        .into_iter()
        .chain(dangling_attempts(&scope, &test_a, &existing));
    for (what, attempt) in attempts {
        let outcome = store.write_with(|tx| {
            tx.put_idempotency_entry(
                &scope,
                "op",
                "in-the-failed-transaction",
                &idempotency("f", "r", t(5)),
            )?;
            attempt(tx)
        });
        assert_fails(outcome, &format!("inserting {what}"));
    }
    read(store, |tx| {
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(customers, vec![c.clone()]);
        assert_eq!(
            tx.list_contacts(&scope, &c.id, &page(ALL))?,
            vec![k.clone()]
        );
        assert_eq!(tx.customer_onboardings(&scope, &c.id)?, vec![o.clone()]);
        assert!(tx.transitions(&scope, &o.id)?.is_empty());
        assert!(tx.transitions(&test_a, &o.id)?.is_empty());
        let test_customers = tx.list_customers(&test_a, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(test_customers, vec![tc.clone()]);
        assert_eq!(tx.workspace(WS_A)?, Some(workspace(WS_A)));
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "in-the-failed-transaction")?,
            None
        );
        Ok(())
    });
}

/// Inserts of ids, display ids and a workspace id that are taken.
fn taken_id_attempts<'a>(
    scope: &'a Scope,
    test_a: &'a Scope,
    existing: &'a Existing,
) -> Vec<(&'static str, Attempt<'a>)> {
    let Existing { c, gone, k, o, tc } = existing;
    vec![
        (
            "a customer id that exists",
            Box::new(move |tx| tx.insert_customer(scope, &bare_customer(&c.id, 100, t(5)))),
        ),
        (
            "a deleted customer's id",
            Box::new(move |tx| tx.insert_customer(scope, &bare_customer(&gone.id, 100, t(5)))),
        ),
        (
            "a contact id that exists",
            Box::new(move |tx| tx.insert_contact(scope, &bare_contact(&k.id, 100, &c.id, t(5)))),
        ),
        (
            "an onboarding id that exists",
            Box::new(move |tx| {
                tx.insert_onboarding(scope, &bare_onboarding(&o.id, 100, &c.id, t(5)))
            }),
        ),
        (
            "a customer display id taken in the scope",
            Box::new(move |tx| {
                tx.insert_customer(scope, &bare_customer("cus_new", c.display_id, t(5)))
            }),
        ),
        (
            "a deleted customer's display id",
            Box::new(move |tx| {
                tx.insert_customer(scope, &bare_customer("cus_new", gone.display_id, t(5)))
            }),
        ),
        (
            "a customer display id taken in the other mode",
            Box::new(move |tx| {
                tx.insert_customer(test_a, &bare_customer("cus_new", c.display_id, t(5)))
            }),
        ),
        (
            "a contact display id taken in the other mode",
            Box::new(move |tx| {
                let contact = bare_contact("con_new", k.display_id, &tc.id, t(5));
                tx.insert_contact(test_a, &contact)
            }),
        ),
        (
            "an onboarding display id taken in the other mode",
            Box::new(move |tx| {
                let onboarding = bare_onboarding("onb_new", o.display_id, &tc.id, t(5));
                tx.insert_onboarding(test_a, &onboarding)
            }),
        ),
        (
            "a workspace id that exists",
            Box::new(move |tx| {
                let mut again = workspace(WS_A);
                again.slug = "another-slug".to_owned();
                tx.insert_workspace(&again, t(5))
            }),
        ),
    ]
}

/// Inserts of contacts, onboardings and transitions whose parent is not in the scope.
fn dangling_attempts<'a>(
    scope: &'a Scope,
    test_a: &'a Scope,
    existing: &'a Existing,
) -> Vec<(&'static str, Attempt<'a>)> {
    let Existing { c, o, .. } = existing;
    vec![
        (
            "a contact of a customer that does not exist",
            Box::new(move |tx| {
                tx.insert_contact(scope, &bare_contact("con_new", 100, "cus_missing", t(5)))
            }),
        ),
        (
            "a contact of the other mode's customer",
            Box::new(move |tx| {
                tx.insert_contact(test_a, &bare_contact("con_new", 100, &c.id, t(5)))
            }),
        ),
        (
            "an onboarding of a customer that does not exist",
            Box::new(move |tx| {
                tx.insert_onboarding(scope, &bare_onboarding("onb_new", 100, "cus_missing", t(5)))
            }),
        ),
        (
            "an onboarding of the other mode's customer",
            Box::new(move |tx| {
                tx.insert_onboarding(test_a, &bare_onboarding("onb_new", 100, &c.id, t(5)))
            }),
        ),
        (
            "a transition of an onboarding that does not exist",
            Box::new(move |tx| {
                tx.insert_transition(scope, &transition("ptr_new", "onb_missing", t(5)))
            }),
        ),
        (
            "a transition of the other mode's onboarding",
            Box::new(move |tx| tx.insert_transition(test_a, &transition("ptr_new", &o.id, t(5)))),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------

/// A write whose closure fails leaves nothing behind: no rows, no changes to existing rows, no
/// counter increments, no events, no transitions, no idempotency entries, no workspace; and the
/// closure's own error is what `write` returns.
pub fn check_rollback_on_error(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let key = ("customers.create", "key-0");
    let (c0, k0, o0, tr0, ev0) = rollback_baseline(store, &scope, key);
    let failure = Error::field(ErrorCode::SlugTaken, "slug", "rolled back on purpose");
    let outcome = store.write_with(|tx| -> Result<()> {
        tx.insert_workspace(&workspace("org_rolledback0000000000"), t(1))?;
        let c1 = add_customer(tx, &scope, "cus_new00000000000000000", t(1))?;
        add_contact(tx, &scope, "con_new00000000000000000", &c1.id, t(1))?;
        let o1 = add_onboarding(tx, &scope, "onb_new00000000000000000", &c0.id, t(1))?;
        tx.insert_transition(
            &scope,
            &transition("ptr_new00000000000000000", &o1.id, t(1)),
        )?;
        tx.insert_transition(
            &scope,
            &transition("ptr_new00000000000000001", &o0.id, t(1)),
        )?;
        let mut c = full_customer(&c0.id, c0.display_id, c0.created_at);
        c.status = CustomerStatus::Archived;
        tx.update_customer(&scope, &c)?;
        let mut k = full_contact(&k0.id, k0.display_id, &c0.id, k0.created_at);
        tx.update_contact(&scope, &k)?;
        k.name = "Twice".to_owned();
        tx.update_contact(&scope, &k)?;
        tx.delete_contact(&scope, &k0.id, t(2))?;
        let mut o = full_onboarding(&o0.id, o0.display_id, &c0.id, o0.created_at);
        o.phase = Phase::Launch;
        tx.update_onboarding(&scope, &o)?;
        tx.delete_onboarding(&scope, &o0.id, t(2))?;
        tx.delete_customer(&scope, &c0.id, t(2))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_new00000000000000000",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(2),
            ),
        )?;
        tx.append_event(
            &test_mode(WS_A),
            new_event(
                "evt_new00000000000000001",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(2),
            ),
        )?;
        tx.put_idempotency_entry(&scope, key.0, key.1, &idempotency("fp1", "r1", t(2)))?;
        tx.put_idempotency_entry(&scope, key.0, "key-new", &idempotency("fp2", "r2", t(2)))?;
        Err(failure.clone())
    });
    assert_eq!(outcome, Err(failure), "write returns the closure's error");
    assert_untouched(store, &scope, (&c0, &k0, &o0, &tr0, &ev0), key);

    // The same when the error comes from the store itself, halfway through.
    let outcome = store.write_with(|tx| {
        let c1 = add_customer(tx, &scope, "cus_new00000000000000000", t(1))?;
        tx.append_event(
            &scope,
            new_event(
                "evt_new00000000000000000",
                EventType::CustomerCreated,
                &c1.id,
                &c1.id,
                t(1),
            ),
        )?;
        tx.put_idempotency_entry(&scope, key.0, key.1, &idempotency("fp1", "r1", t(2)))?;
        tx.update_customer(&scope, &bare_customer("cus_missing", 77, t(0)))
    });
    assert!(outcome.is_err(), "updating a missing customer fails");
    assert_untouched(store, &scope, (&c0, &k0, &o0, &tr0, &ev0), key);
    assert_counters_resume(store, &scope, &c0);
}

/// The committed baseline of [`check_rollback_on_error`]: a customer with a contact, an
/// onboarding with a transition, an event and the idempotency entry `key`.
fn rollback_baseline(
    store: &dyn Store,
    scope: &Scope,
    key: (&str, &str),
) -> (Customer, Contact, Onboarding, PhaseTransition, Event) {
    write(store, |tx| {
        let c0 = add_customer(tx, scope, "cus_base0000000000000000", t(0))?;
        let k0 = add_contact(tx, scope, "con_base0000000000000000", &c0.id, t(0))?;
        let o0 = add_onboarding(tx, scope, "onb_base0000000000000000", &c0.id, t(0))?;
        let tr0 = transition("ptr_base0000000000000000", &o0.id, t(0));
        tx.insert_transition(scope, &tr0)?;
        let ev0 = tx.append_event(
            scope,
            new_event(
                "evt_base0000000000000000",
                EventType::CustomerCreated,
                &c0.id,
                &c0.id,
                t(0),
            ),
        )?;
        tx.put_idempotency_entry(scope, key.0, key.1, &idempotency("fp0", "r0", t(0)))?;
        Ok((c0, k0, o0, tr0, ev0))
    })
}

/// Display ids and event sequences pick up where the committed state left them.
#[track_caller]
fn assert_counters_resume(store: &dyn Store, scope: &Scope, c0: &Customer) {
    let (d, e) = write(store, |tx| {
        let d = tx.next_display_id(WS_A, DisplayKind::Customer)?;
        let e = tx.append_event(
            scope,
            new_event(
                "evt_after000000000000000",
                EventType::CustomerUpdated,
                &c0.id,
                &c0.id,
                t(3),
            ),
        )?;
        Ok((d, e))
    });
    assert_eq!(d, 2, "the rolled-back display ids are free again");
    assert_eq!(e.sequence, 2, "the rolled-back sequences are free again");
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Contact)),
        2
    );
    assert_eq!(
        write(store, |tx| tx
            .next_display_id(WS_A, DisplayKind::Onboarding)),
        2
    );
}

/// The committed baseline of [`check_rollback_on_error`] is exactly as it was.
#[track_caller]
fn assert_untouched(
    store: &dyn Store,
    scope: &Scope,
    (c0, k0, o0, tr0, ev0): (&Customer, &Contact, &Onboarding, &PhaseTransition, &Event),
    key: (&str, &str),
) {
    read(store, |tx| {
        assert_eq!(tx.workspaces()?.len(), 2, "no workspace added");
        assert_eq!(tx.workspace("org_rolledback0000000000")?, None);
        assert_eq!(tx.customer(scope, &c0.id)?, Some(c0.clone()));
        assert_eq!(tx.customer_by_display_id(scope, 2)?, None);
        assert_eq!(tx.customer(scope, "cus_new00000000000000000")?, None);
        assert_eq!(
            tx.customer_id_by_slug(scope, &c0.slug)?,
            Some(c0.id.clone())
        );
        let customers = tx.list_customers(scope, &CustomerFilter::default(), &page(ALL))?;
        assert_eq!(customers, vec![c0.clone()]);
        let archived = CustomerFilter {
            status: Some(CustomerStatus::Archived),
            slug: None,
        };
        assert!(tx.list_customers(scope, &archived, &page(ALL))?.is_empty());
        let onboarding = CustomerFilter {
            status: Some(c0.status),
            slug: None,
        };
        assert_eq!(
            tx.list_customers(scope, &onboarding, &page(ALL))?,
            vec![c0.clone()]
        );
        assert_eq!(tx.contact(scope, &k0.id)?, Some(k0.clone()));
        assert_eq!(tx.contact(scope, "con_new00000000000000000")?, None);
        assert_eq!(tx.contact_by_display_id(scope, 2)?, None);
        assert_eq!(
            tx.list_contacts(scope, &c0.id, &page(ALL))?,
            vec![k0.clone()]
        );
        assert_eq!(
            tx.contact_id_by_email(scope, &c0.id, &k0.email)?,
            Some(k0.id.clone())
        );
        assert_eq!(tx.onboarding(scope, &o0.id)?, Some(o0.clone()));
        assert_eq!(tx.onboarding(scope, "onb_new00000000000000000")?, None);
        assert_eq!(tx.onboarding_by_display_id(scope, 2)?, None);
        assert_eq!(tx.customer_onboardings(scope, &c0.id)?, vec![o0.clone()]);
        let launch = OnboardingFilter {
            phase: Some(Phase::Launch),
            ..OnboardingFilter::default()
        };
        assert!(tx.list_onboardings(scope, &launch, &page(ALL))?.is_empty());
        assert_eq!(tx.transitions(scope, &o0.id)?, vec![tr0.clone()]);
        assert!(tx
            .transitions(scope, "onb_new00000000000000000")?
            .is_empty());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert_eq!(tx.list_events(scope, &everything)?, vec![ev0.clone()]);
        assert!(tx.list_events(&test_mode(WS_A), &everything)?.is_empty());
        assert_eq!(tx.timeline(scope, &c0.id, None, ALL)?, vec![ev0.clone()]);
        assert_eq!(
            tx.idempotency_entry(scope, key.0, key.1)?,
            Some(idempotency("fp0", "r0", t(0)))
        );
        assert_eq!(tx.idempotency_entry(scope, key.0, "key-new")?, None);
        Ok(())
    });
}

/// Every mutating method fails with an internal error inside a read transaction and changes
/// nothing; `read` returns the closure's own error.
pub fn check_read_refuses_mutations(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, k, o) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_base0000000000000000", t(0))?;
        let k = add_contact(tx, &scope, "con_base0000000000000000", &c.id, t(0))?;
        let o = add_onboarding(tx, &scope, "onb_base0000000000000000", &c.id, t(0))?;
        Ok((c, k, o))
    });
    let outcome = store.read(&mut |tx| {
        for (method, result) in every_mutation(tx, &scope, &c, &k, &o) {
            match result {
                Err(e) => assert_eq!(
                    e.error_type(),
                    ErrorType::InternalError,
                    "{method} in a read transaction: {e:?}"
                ),
                Ok(()) => panic!("{method} succeeded in a read transaction"),
            }
        }
        Err(Error::new(
            ErrorCode::CustomerNotFound,
            "the closure's own error",
        ))
    });
    assert_eq!(
        outcome.map_err(|e| e.code),
        Err(ErrorCode::CustomerNotFound),
        "read returns the closure's error"
    );
    read(store, |tx| {
        assert_eq!(tx.workspaces()?.len(), 2);
        assert_eq!(tx.customer(&scope, &c.id)?, Some(c.clone()));
        assert_eq!(tx.customer(&scope, "cus_ro")?, None);
        assert_eq!(tx.contact(&scope, &k.id)?, Some(k.clone()));
        assert_eq!(tx.contact(&scope, "con_ro")?, None);
        assert_eq!(tx.onboarding(&scope, &o.id)?, Some(o.clone()));
        assert_eq!(tx.onboarding(&scope, "onb_ro")?, None);
        assert!(tx.transitions(&scope, &o.id)?.is_empty());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert!(tx.list_events(&scope, &everything)?.is_empty());
        assert_eq!(tx.idempotency_entry(&scope, "op", "key")?, None);
        Ok(())
    });
    assert_eq!(
        write(store, |tx| tx.next_display_id(WS_A, DisplayKind::Customer)),
        2,
        "a read transaction takes no display id"
    );
}

/// Calls every mutating method of `tx` once, on `c`, `k` and `o` or new records, and returns
/// each outcome by method name.
fn every_mutation(
    tx: &mut dyn Tx,
    scope: &Scope,
    c: &Customer,
    k: &Contact,
    o: &Onboarding,
) -> Vec<(&'static str, Result<()>)> {
    let mut changed_c = c.clone();
    changed_c.name = "Changed".to_owned();
    let mut changed_k = k.clone();
    changed_k.name = "Changed".to_owned();
    let mut changed_o = o.clone();
    changed_o.phase = Phase::Review;
    vec![
        (
            "insert_workspace",
            tx.insert_workspace(&workspace("org_readonly00000000000"), t(1)),
        ),
        (
            "next_display_id",
            tx.next_display_id(WS_A, DisplayKind::Customer).map(drop),
        ),
        (
            "insert_customer",
            tx.insert_customer(scope, &bare_customer("cus_ro", 50, t(1))),
        ),
        ("update_customer", tx.update_customer(scope, &changed_c)),
        ("delete_customer", tx.delete_customer(scope, &c.id, t(1))),
        (
            "insert_contact",
            tx.insert_contact(scope, &bare_contact("con_ro", 50, &c.id, t(1))),
        ),
        ("update_contact", tx.update_contact(scope, &changed_k)),
        ("delete_contact", tx.delete_contact(scope, &k.id, t(1))),
        (
            "insert_onboarding",
            tx.insert_onboarding(scope, &bare_onboarding("onb_ro", 50, &c.id, t(1))),
        ),
        ("update_onboarding", tx.update_onboarding(scope, &changed_o)),
        (
            "delete_onboarding",
            tx.delete_onboarding(scope, &o.id, t(1)),
        ),
        (
            "insert_transition",
            tx.insert_transition(scope, &transition("ptr_ro", &o.id, t(1))),
        ),
        (
            "append_event",
            tx.append_event(
                scope,
                new_event("evt_ro", EventType::CustomerUpdated, &c.id, &c.id, t(1)),
            )
            .map(drop),
        ),
        (
            "put_idempotency_entry",
            tx.put_idempotency_entry(scope, "op", "key", &idempotency("f", "r", t(1))),
        ),
        (
            "forget_idempotency_entries",
            tx.forget_idempotency_entries(scope, t(100), 10).map(drop),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

/// Customers list newest first, ties by id descending; `After` walks see each record exactly once
/// whatever the page size, even when the cursor's record was deleted meanwhile; `OlderThan` is
/// strictly older; deleted customers are left out.
pub fn check_list_customers_order_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 40;
    let all = write(store, |tx| {
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("cus_{:020}", scrambled(i, n));
            all.push(add_customer(tx, &scope, &id, t((i % 3) as i64 * 1_000))?);
        }
        Ok(all)
    });
    let expected = list_order(all.clone());
    let everyone = CustomerFilter::default();
    let fetch =
        |request: &PageRequest| store.read_with(|tx| tx.list_customers(&scope, &everyone, request));
    assert_walks(&expected, fetch, "customers");

    assert_customer_cursors(store, &scope, &expected, n);

    // The cursor's record is deleted between two pages.
    let first = read(store, |tx| tx.list_customers(&scope, &everyone, &page(7)));
    let last = first
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("a first page"));
    write(store, |tx| tx.delete_customer(&scope, &last.id, t(5_000)));
    let rest = read(store, |tx| {
        tx.list_customers(
            &scope,
            &everyone,
            &page_at(ListCursor::After(last.created_at, last.id.clone()), ALL),
        )
    });
    assert_eq!(ids(&rest), ids(&expected[7..]));

    // Deleted records are left out of walks.
    write(store, |tx| {
        for c in expected.iter().skip(1).step_by(4) {
            tx.delete_customer(&scope, &c.id, t(5_000))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 6 && i % 4 != 1)
        .map(|(_, c)| c.clone())
        .collect();
    assert_walks(&remaining, fetch, "customers after deletes");
}

/// Page limits and `OlderThan` and `After` cursors on the customers list, against `expected`
/// (the whole list in order, made of `n` customers).
#[track_caller]
fn assert_customer_cursors(store: &dyn Store, scope: &Scope, expected: &[Customer], n: usize) {
    let everyone = CustomerFilter::default();
    read(store, |tx| {
        assert_eq!(
            tx.list_customers(scope, &everyone, &page(usize::MAX))?,
            expected
        );
        assert!(tx.list_customers(scope, &everyone, &page(0))?.is_empty());
        let first = tx.list_customers(scope, &everyone, &page(5))?;
        assert_eq!(first, expected[..5]);
        // Strictly older than an instant: none of the records created at that instant.
        let older = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::OlderThan(t(1_000)), ALL),
        )?;
        let want: Vec<_> = expected
            .iter()
            .filter(|c| c.created_at < t(1_000))
            .cloned()
            .collect();
        assert_eq!(ids(&older), ids(&want), "OlderThan(t) is created_at < t");
        let none =
            tx.list_customers(scope, &everyone, &page_at(ListCursor::OlderThan(t(0)), ALL))?;
        assert!(none.is_empty());
        let every = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::OlderThan(t(2_001)), ALL),
        )?;
        assert_eq!(every, expected);
        // After a position no record holds.
        let mid = (t(1_000), format!("cus_{:020}", n / 2));
        let after = tx.list_customers(
            scope,
            &everyone,
            &page_at(ListCursor::After(mid.0, mid.1.clone()), ALL),
        )?;
        let want: Vec<_> = expected
            .iter()
            .filter(|c| (c.created_at, c.id.as_str()) < (mid.0, mid.1.as_str()))
            .cloned()
            .collect();
        assert_eq!(
            ids(&after),
            ids(&want),
            "After(t, id) is strictly after (t, id)"
        );
        Ok(())
    });
}

/// The customers list filters by status and by slug (together too), before paging.
pub fn check_list_customers_filters(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let n = 30;
    let all = write(store, |tx| {
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("cus_{:020}", scrambled(i, n));
            let mut c = add_customer(tx, &scope, &id, t((i % 2) as i64))?;
            c.status = CustomerStatus::ALL[i % CustomerStatus::ALL.len()];
            tx.update_customer(&scope, &c)?;
            all.push(c);
        }
        // Same statuses in the other mode, to be left out.
        for i in 0..5 {
            let mut c = add_customer(tx, &test_a, &format!("cus_test{i:016}"), t(0))?;
            c.status = CustomerStatus::ALL[i];
            tx.update_customer(&test_a, &c)?;
        }
        Ok(all)
    });
    let expected = list_order(all);
    for status in CustomerStatus::ALL {
        let filter = CustomerFilter {
            status: Some(*status),
            slug: None,
        };
        let want: Vec<_> = expected
            .iter()
            .filter(|c| c.status == *status)
            .cloned()
            .collect();
        assert_walks(
            &want,
            |request| store.read_with(|tx| tx.list_customers(&scope, &filter, request)),
            &format!("customers with status {status}"),
        );
    }
    let target = &expected[4];
    read(store, |tx| {
        let by_slug = CustomerFilter {
            status: None,
            slug: Some(target.slug.clone()),
        };
        assert_eq!(
            tx.list_customers(&scope, &by_slug, &page(20))?,
            vec![target.clone()]
        );
        let after = page_at(ListCursor::After(target.created_at, target.id.clone()), 20);
        assert!(tx.list_customers(&scope, &by_slug, &after)?.is_empty());
        let both = CustomerFilter {
            status: Some(target.status),
            slug: Some(target.slug.clone()),
        };
        assert_eq!(
            tx.list_customers(&scope, &both, &page(20))?,
            vec![target.clone()]
        );
        let other_status = CustomerStatus::ALL
            .iter()
            .copied()
            .find(|s| *s != target.status)
            .unwrap_or(CustomerStatus::Active);
        let mismatch = CustomerFilter {
            status: Some(other_status),
            slug: Some(target.slug.clone()),
        };
        assert!(tx.list_customers(&scope, &mismatch, &page(20))?.is_empty());
        let unknown = CustomerFilter {
            status: None,
            slug: Some("no-such-slug".to_owned()),
        };
        assert!(tx.list_customers(&scope, &unknown, &page(20))?.is_empty());
        Ok(())
    });
}

/// A customer's contacts list newest first with exact cursors, leaving out other customers'
/// contacts and deleted ones.
pub fn check_list_contacts_order_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 25;
    let (c, d, mine, theirs) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_mine0000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_theirs00000000000000", t(0))?;
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        for i in 0..n {
            let id = format!("con_{:020}", scrambled(i, n));
            mine.push(add_contact(tx, &scope, &id, &c.id, t((i % 3) as i64))?);
            if i % 5 == 0 {
                let id = format!("con_theirs{i:014}");
                theirs.push(add_contact(tx, &scope, &id, &d.id, t((i % 3) as i64))?);
            }
        }
        Ok((c, d, mine, theirs))
    });
    let expected = list_order(mine);
    let fetch =
        |request: &PageRequest| store.read_with(|tx| tx.list_contacts(&scope, &c.id, request));
    assert_walks(&expected, fetch, "contacts");
    assert_walks(
        &list_order(theirs),
        |request| store.read_with(|tx| tx.list_contacts(&scope, &d.id, request)),
        "the other customer's contacts",
    );
    read(store, |tx| {
        let older = tx.list_contacts(&scope, &c.id, &page_at(ListCursor::OlderThan(t(2)), ALL))?;
        let want: Vec<_> = expected
            .iter()
            .filter(|k| k.created_at < t(2))
            .cloned()
            .collect();
        assert_eq!(older, want);
        assert!(tx
            .list_contacts(&scope, "cus_missing", &page(ALL))?
            .is_empty());
        Ok(())
    });
    write(store, |tx| {
        for k in expected.iter().step_by(3) {
            tx.delete_contact(&scope, &k.id, t(10))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, k)| k.clone())
        .collect();
    assert_walks(&remaining, fetch, "contacts after deletes");
}

/// The onboardings list filters by customer, phase and state in any combination, before paging,
/// newest first with exact cursors.
pub fn check_list_onboardings_filters_and_cursors(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 60;
    let (customers, all) = write(store, |tx| {
        let mut customers = Vec::new();
        for i in 0..3 {
            customers.push(add_customer(tx, &scope, &format!("cus_{i:020}"), t(0))?);
        }
        let mut all = Vec::new();
        for i in 0..n {
            let id = format!("onb_{:020}", scrambled(i, n));
            let customer = &customers[i % 3];
            let mut o = add_onboarding(tx, &scope, &id, &customer.id, t((i % 4) as i64))?;
            o.phase = Phase::ALL[i % Phase::ALL.len()];
            o.state = State::ALL[(i / 2) % State::ALL.len()];
            tx.update_onboarding(&scope, &o)?;
            all.push(o);
        }
        Ok((customers, all))
    });
    let expected = list_order(all);
    let filters = onboarding_filters(&customers);
    let matches = |f: &OnboardingFilter, o: &Onboarding| {
        f.customer_id.as_ref().is_none_or(|c| *c == o.customer_id)
            && f.phase.is_none_or(|p| p == o.phase)
            && f.state.is_none_or(|s| s == o.state)
    };
    let mut nonempty = 0;
    for filter in &filters {
        let want: Vec<_> = expected
            .iter()
            .filter(|o| matches(filter, o))
            .cloned()
            .collect();
        nonempty += usize::from(!want.is_empty());
        assert_walks(
            &want,
            |request| store.read_with(|tx| tx.list_onboardings(&scope, filter, request)),
            &format!("onboardings filtered by {filter:?}"),
        );
        let older = read(store, |tx| {
            tx.list_onboardings(&scope, filter, &page_at(ListCursor::OlderThan(t(2)), ALL))
        });
        let want_older: Vec<_> = want
            .iter()
            .filter(|o| o.created_at < t(2))
            .cloned()
            .collect();
        assert_eq!(ids(&older), ids(&want_older), "OlderThan with {filter:?}");
    }
    assert!(
        nonempty > filters.len() / 2,
        "the fixture exercises the filters"
    );

    write(store, |tx| {
        for o in expected.iter().step_by(5) {
            tx.delete_onboarding(&scope, &o.id, t(10))?;
        }
        Ok(())
    });
    let remaining: Vec<_> = expected
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 0)
        .map(|(_, o)| o.clone())
        .collect();
    let everything = OnboardingFilter::default();
    assert_walks(
        &remaining,
        |request| store.read_with(|tx| tx.list_onboardings(&scope, &everything, request)),
        "onboardings after deletes",
    );
}

/// Every onboarding filter alone and some combinations, for three customers' onboardings.
fn onboarding_filters(customers: &[Customer]) -> Vec<OnboardingFilter> {
    let mut filters = vec![OnboardingFilter::default()];
    for customer in customers {
        filters.push(OnboardingFilter {
            customer_id: Some(customer.id.clone()),
            ..OnboardingFilter::default()
        });
    }
    for phase in Phase::ALL {
        filters.push(OnboardingFilter {
            phase: Some(*phase),
            ..OnboardingFilter::default()
        });
    }
    for state in State::ALL {
        filters.push(OnboardingFilter {
            state: Some(*state),
            ..OnboardingFilter::default()
        });
    }
    filters.push(OnboardingFilter {
        customer_id: Some(customers[1].id.clone()),
        phase: Some(Phase::ProgramDesign),
        state: None,
    });
    filters.push(OnboardingFilter {
        customer_id: None,
        phase: Some(Phase::Review),
        state: Some(State::AtRisk),
    });
    filters.push(OnboardingFilter {
        customer_id: Some(customers[0].id.clone()),
        phase: Some(Phase::BeforeGettingStarted),
        state: Some(State::Active),
    });
    filters.push(OnboardingFilter {
        customer_id: Some(customers[0].id.clone()),
        phase: None,
        state: Some(State::Waiting),
    });
    filters.push(OnboardingFilter {
        customer_id: Some("cus_missing".to_owned()),
        ..OnboardingFilter::default()
    });
    filters
}

/// A customer's onboardings come all at once (no page limit), newest first, without other
/// customers' or deleted ones.
pub fn check_customer_onboardings_returns_all(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let n = 130;
    let (c, d, mine, theirs) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_mine0000000000000000", t(0))?;
        let d = add_customer(tx, &scope, "cus_theirs00000000000000", t(0))?;
        let mut mine = Vec::new();
        for i in 0..n {
            let id = format!("onb_{:020}", scrambled(i, n));
            mine.push(add_onboarding(tx, &scope, &id, &c.id, t((i % 3) as i64))?);
        }
        let theirs = add_onboarding(tx, &scope, "onb_theirs00000000000000", &d.id, t(1))?;
        Ok((c, d, mine, theirs))
    });
    let expected = list_order(mine);
    read(store, |tx| {
        let got = tx.customer_onboardings(&scope, &c.id)?;
        assert_eq!(ids(&got), ids(&expected));
        assert_eq!(got, expected);
        assert_eq!(
            tx.customer_onboardings(&scope, &d.id)?,
            vec![theirs.clone()]
        );
        assert!(tx.customer_onboardings(&scope, "cus_missing")?.is_empty());
        Ok(())
    });
    write(store, |tx| {
        tx.delete_onboarding(&scope, &expected[3].id, t(10))
    });
    read(store, |tx| {
        let got = tx.customer_onboardings(&scope, &c.id)?;
        let mut want = expected.clone();
        want.remove(3);
        assert_eq!(ids(&got), ids(&want));
        Ok(())
    });
}

/// Email lookups are per customer and exact; the primary contact follows updates and deletes.
pub fn check_contacts_by_email_and_primary(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (c, d, k1, k2, k3) = contacts_with_emails(store, &scope);
    read(store, |tx| {
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "ana@example.com")?,
            Some(k1.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "bo@example.com")?,
            Some(k2.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &d.id, "ana@example.com")?,
            Some(k3.id.clone())
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &d.id, "bo@example.com")?,
            None
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "missing@example.com")?,
            None
        );
        assert_eq!(tx.contact_id_by_email(&scope, &c.id, "ana@example")?, None);
        assert_eq!(
            tx.contact_id_by_email(&scope, "cus_missing", "ana@example.com")?,
            None
        );
        assert_eq!(tx.primary_contact(&scope, &c.id)?, Some(k1.clone()));
        assert_eq!(tx.primary_contact(&scope, &d.id)?, None);
        Ok(())
    });
    // The primary moves to k2 in one transaction.
    let (k1, k2) = write(store, |tx| {
        let mut k1 = k1.clone();
        k1.is_primary = false;
        tx.update_contact(&scope, &k1)?;
        let mut k2 = k2.clone();
        k2.is_primary = true;
        tx.update_contact(&scope, &k2)?;
        Ok((k1, k2))
    });
    read(store, |tx| {
        assert_eq!(tx.primary_contact(&scope, &c.id)?, Some(k2.clone()));
        assert_eq!(tx.contact(&scope, &k1.id)?, Some(k1.clone()));
        Ok(())
    });
    write(store, |tx| tx.delete_contact(&scope, &k2.id, t(10)));
    let k4 = write(store, |tx| {
        let mut k4 = add_contact(tx, &scope, "con_k400000000000000000", &c.id, t(11))?;
        k4.email = "bo@example.com".to_owned();
        tx.update_contact(&scope, &k4)?;
        Ok(k4)
    });
    read(store, |tx| {
        assert_eq!(
            tx.primary_contact(&scope, &c.id)?,
            None,
            "the primary was deleted"
        );
        assert_eq!(
            tx.contact_id_by_email(&scope, &c.id, "bo@example.com")?,
            Some(k4.id.clone()),
            "a deleted contact's email is free"
        );
        Ok(())
    });
}

/// Customers `c` and `d`; `c`'s primary contact ana@ and contact bo@, and `d`'s contact ana@.
fn contacts_with_emails(
    store: &dyn Store,
    scope: &Scope,
) -> (Customer, Customer, Contact, Contact, Contact) {
    write(store, |tx| {
        let c = add_customer(tx, scope, "cus_c000000000000000000", t(0))?;
        let d = add_customer(tx, scope, "cus_d000000000000000000", t(0))?;
        let mut k1 = add_contact(tx, scope, "con_k100000000000000000", &c.id, t(1))?;
        k1.email = "ana@example.com".to_owned();
        k1.is_primary = true;
        tx.update_contact(scope, &k1)?;
        let mut k2 = add_contact(tx, scope, "con_k200000000000000000", &c.id, t(2))?;
        k2.email = "bo@example.com".to_owned();
        tx.update_contact(scope, &k2)?;
        let mut k3 = add_contact(tx, scope, "con_k300000000000000000", &d.id, t(3))?;
        k3.email = "ana@example.com".to_owned();
        tx.update_contact(scope, &k3)?;
        Ok((c, d, k1, k2, k3))
    })
}

// ---------------------------------------------------------------------------------------------
// History: transitions, events, timeline, idempotency
// ---------------------------------------------------------------------------------------------

/// Transitions come back per onboarding, oldest first, ties in insertion order (not id order),
/// every field intact.
pub fn check_transitions_order(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (o1, o2) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o1 = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        let o2 = add_onboarding(tx, &scope, "onb_two00000000000000000", &c.id, t(0))?;
        Ok((o1, o2))
    });
    let mut tie_z = transition("ptr_zzzzzzzzzzzzzzzzzzzz", &o1.id, t(10));
    tie_z.from_phase = Phase::Launch;
    tie_z.to_phase = Phase::Completed;
    tie_z.reason = Some("Skipped QA — client request 🚀".to_owned());
    tie_z.actor = "Zoë (api key)".to_owned();
    let early = transition("ptr_mmmmmmmmmmmmmmmmmmmm", &o1.id, t(5));
    let mut tie_a = transition("ptr_aaaaaaaaaaaaaaaaaaaa", &o1.id, t(10));
    tie_a.from_phase = Phase::Completed;
    tie_a.to_phase = Phase::Review;
    tie_a.reason = Some(String::new());
    let tie_m = transition("ptr_mmmmmmmmmmmmmmmmmmmn", &o1.id, t(10));
    let earliest = transition(
        "ptr_00000000000000000000",
        &o1.id,
        ts("1969-12-31T23:59:59.999Z"),
    );
    let other = transition("ptr_other000000000000000", &o2.id, t(7));
    write(store, |tx| {
        tx.insert_transition(&scope, &tie_z)?;
        tx.insert_transition(&scope, &early)?;
        tx.insert_transition(&scope, &other)?;
        tx.insert_transition(&scope, &tie_a)
    });
    write(store, |tx| {
        tx.insert_transition(&scope, &tie_m)?;
        tx.insert_transition(&scope, &earliest)
    });
    read(store, |tx| {
        assert_eq!(
            tx.transitions(&scope, &o1.id)?,
            vec![
                earliest.clone(),
                early.clone(),
                tie_z.clone(),
                tie_a.clone(),
                tie_m.clone()
            ]
        );
        assert_eq!(tx.transitions(&scope, &o2.id)?, vec![other.clone()]);
        assert!(tx.transitions(&scope, "onb_missing")?.is_empty());
        Ok(())
    });
}

/// Event sequences start at 1 and increase strictly per workspace, shared by both modes; the store
/// fills `sequence`, `org_id`, `livemode` and `api_version`, keeps every other field, and lists a
/// scope's events only.
pub fn check_event_sequences_and_scope_fields(store: &dyn Store) {
    let (live_a, test_a, live_b) = setup(store);
    let rich = rich_event();
    let plan = [
        (&live_a, rich.clone()),
        (
            &test_a,
            new_event("evt_2", EventType::CustomerCreated, "cus_x", "cus_x", t(1)),
        ),
        (
            &live_a,
            new_event("evt_3", EventType::ContactCreated, "con_x", "cus_x", t(2)),
        ),
        (
            &live_b,
            new_event("evt_b1", EventType::CustomerCreated, "cus_y", "cus_y", t(3)),
        ),
        (
            &test_a,
            new_event("evt_4", EventType::ContactDeleted, "con_x", "cus_x", t(4)),
        ),
    ];
    let appended = write(store, |tx| {
        plan.iter()
            .map(|(scope, event)| tx.append_event(scope, event.clone()))
            .collect::<Result<Vec<_>>>()
    });
    let expected: Vec<Event> = plan
        .iter()
        .zip([1, 2, 3, 1, 4])
        .map(|((scope, event), sequence)| stored_event(scope, sequence, event))
        .collect();
    for (got, want) in appended.iter().zip(&expected) {
        assert_same(got, want, "the appended event");
    }
    let everything = EventFilter {
        limit: ALL,
        ..EventFilter::default()
    };
    read(store, |tx| {
        let got = tx.list_events(&live_a, &everything)?;
        assert_same(
            &got,
            &vec![expected[0].clone(), expected[2].clone()],
            "A live events",
        );
        let got = tx.list_events(&test_a, &everything)?;
        assert_same(
            &got,
            &vec![expected[1].clone(), expected[4].clone()],
            "A test events",
        );
        assert_eq!(
            tx.list_events(&live_b, &everything)?,
            vec![expected[3].clone()]
        );
        assert!(tx.list_events(&test_mode(WS_B), &everything)?.is_empty());
        Ok(())
    });
    assert_sequences_continue(store, &live_a, &everything);
}

/// An event with every field set: unicode, nested metadata, nulls, previous attributes.
fn rich_event() -> NewEvent {
    let mut rich = new_event(
        "evt_rich0000000000000000",
        EventType::OnboardingUpdated,
        "onb_x",
        "cus_x",
        t(123),
    );
    rich.actor = "Zoë's key 🔑".to_owned();
    rich.data = EventData {
        object: json!({"object": "onboarding", "id": "onb_x", "metadata": rich_metadata(), "n": null}),
        previous_attributes: Some(
            serde_json::from_value(json!({"phase": "review", "notes": null, "list": [1, "ü"]}))
                .unwrap_or_else(|e| panic!("previous attributes fixture: {e}")),
        ),
    };
    rich
}

/// Sequences continue across transactions after the four of `scope`'s workspace, and every
/// event type round-trips.
#[track_caller]
fn assert_sequences_continue(store: &dyn Store, live_a: &Scope, everything: &EventFilter) {
    // Sequences continue across transactions; every event type round-trips.
    let more = write(store, |tx| {
        EventType::ALL
            .iter()
            .enumerate()
            .map(|(i, ty)| {
                tx.append_event(
                    live_a,
                    new_event(&format!("evt_type{i:02}"), *ty, "cus_x", "cus_x", t(9)),
                )
            })
            .collect::<Result<Vec<_>>>()
    });
    assert_eq!(
        sequences(&more),
        (5..5 + EventType::ALL.len() as i64).collect::<Vec<_>>()
    );
    read(store, |tx| {
        let got = tx.list_events(live_a, everything)?;
        let types: Vec<_> = got[2..].iter().map(|e| e.event_type).collect();
        assert_eq!(types, EventType::ALL);
        assert_eq!(got[2..], more);
        Ok(())
    });
}

/// The event log reads ascending by sequence, with `after_sequence` (strict), `types` (any of;
/// all when empty), `object_id` and `limit`, alone and combined.
pub fn check_event_filters(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let types = [
        EventType::CustomerCreated,
        EventType::OnboardingPhaseChanged,
        EventType::ContactUpdated,
        EventType::OnboardingStateChanged,
    ];
    let objects = ["cus_o1", "onb_o2", "con_o3"];
    let events = append_filter_events(store, &scope, &test_a, &types, &objects);
    assert!(
        sequences(&events).windows(2).all(|w| w[0] < w[1]),
        "sequences increase strictly"
    );
    let cases = event_filter_cases(&events, &types, &objects);
    for filter in &cases {
        let want: Vec<Event> = events
            .iter()
            .filter(|e| filter.after_sequence.is_none_or(|after| e.sequence > after))
            .filter(|e| filter.types.is_empty() || filter.types.contains(&e.event_type))
            .filter(|e| {
                filter
                    .object_id
                    .as_ref()
                    .is_none_or(|o| e.data.object["id"] == o.as_str())
            })
            .take(filter.limit)
            .cloned()
            .collect();
        let got = read(store, |tx| tx.list_events(&scope, filter));
        assert_eq!(sequences(&got), sequences(&want), "events with {filter:?}");
        assert_eq!(got, want, "events with {filter:?}");
    }
    // Tailing: reading on from the last sequence seen never misses or repeats an event.
    let mut tailed = Vec::new();
    let mut after = None;
    loop {
        let filter = EventFilter {
            after_sequence: after,
            limit: 6,
            ..EventFilter::default()
        };
        let batch = read(store, |tx| tx.list_events(&scope, &filter));
        let Some(last) = batch.last() else { break };
        after = Some(last.sequence);
        tailed.extend(batch);
    }
    assert_eq!(tailed, events);
}

/// Appends 40 events to `scope`, cycling through `types` and `objects`, and now and then one to
/// `test_a` (a gap in `scope`'s sequences); returns `scope`'s.
fn append_filter_events(
    store: &dyn Store,
    scope: &Scope,
    test_a: &Scope,
    types: &[EventType],
    objects: &[&str],
) -> Vec<Event> {
    write(store, |tx| {
        let mut events = Vec::new();
        for i in 0..40 {
            let event = new_event(
                &format!("evt_{i:020}"),
                types[i % types.len()],
                objects[i % objects.len()],
                "cus_o1",
                t(i as i64),
            );
            events.push(tx.append_event(scope, event)?);
            if i % 7 == 0 {
                // Takes a sequence number in the other mode: a gap in this scope's log.
                tx.append_event(
                    test_a,
                    new_event(
                        &format!("evt_test{i:016}"),
                        types[0],
                        objects[0],
                        "cus_o1",
                        t(0),
                    ),
                )?;
            }
        }
        Ok(events)
    })
}

/// Event filters alone and combined, over `events` made with `types` and `objects`.
fn event_filter_cases(events: &[Event], types: &[EventType], objects: &[&str]) -> Vec<EventFilter> {
    let mut cases = paging_filters(events);
    cases.extend(matching_filters(events, types, objects));
    cases
}

/// Event filters by limit and `after_sequence` only.
fn paging_filters(events: &[Event]) -> Vec<EventFilter> {
    vec![
        EventFilter {
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            limit: usize::MAX,
            ..EventFilter::default()
        },
        EventFilter {
            limit: 5,
            ..EventFilter::default()
        },
        EventFilter {
            limit: 0,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[10].sequence),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[10].sequence - 1),
            limit: 3,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(0),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(-5),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(i64::MAX),
            limit: ALL,
            ..EventFilter::default()
        },
    ]
}

/// Event filters by type and object, alone and combined with the others.
fn matching_filters(events: &[Event], types: &[EventType], objects: &[&str]) -> Vec<EventFilter> {
    vec![
        EventFilter {
            types: vec![types[1]],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            types: vec![types[0], types[2]],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            types: vec![EventType::CustomerDeleted],
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            object_id: Some(objects[1].to_owned()),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            object_id: Some("nothing".to_owned()),
            limit: ALL,
            ..EventFilter::default()
        },
        EventFilter {
            after_sequence: Some(events[5].sequence),
            types: vec![types[0], types[1], types[3]],
            object_id: Some(objects[0].to_owned()),
            limit: 3,
        },
        EventFilter {
            after_sequence: Some(events[2].sequence),
            types: vec![types[3]],
            object_id: None,
            limit: 4,
        },
    ]
}

/// A customer's timeline holds the events filed under it (its own and its children's), newest
/// sequence first, with `BeforeSequence` and `OlderThan` cursors and a limit.
pub fn check_timeline(store: &dyn Store) {
    let (scope, test_a, _) = setup(store);
    let (c, d) = ("cus_c000000000000000000", "cus_d000000000000000000");
    let plan = [
        (EventType::CustomerCreated, c, c, t(0)),
        (EventType::ContactCreated, "con_k", c, t(1)),
        (EventType::CustomerCreated, d, d, t(2)),
        (EventType::OnboardingCreated, "onb_o", c, t(3)),
        (EventType::OnboardingPhaseChanged, "onb_o", c, t(4)),
        // Clocks can go backwards: sequence order, not time order.
        (EventType::ContactUpdated, "con_k", c, t(-10)),
        (EventType::CustomerUpdated, d, d, t(5)),
        (EventType::CustomerUpdated, c, c, t(6)),
        (EventType::OnboardingLaunched, "onb_o", c, t(6)),
    ];
    let events = write(store, |tx| {
        let mut events = Vec::new();
        for (i, (ty, object, customer, at)) in plan.iter().enumerate() {
            let event = tx.append_event(
                &scope,
                new_event(&format!("evt_{i:020}"), *ty, object, customer, *at),
            )?;
            events.push((event, *customer));
        }
        tx.append_event(
            &test_a,
            new_event("evt_test", EventType::CustomerUpdated, c, c, t(7)),
        )?;
        Ok(events)
    });
    let of = |customer: &str| -> Vec<Event> {
        let mut v: Vec<Event> = events
            .iter()
            .filter(|(_, owner)| *owner == customer)
            .map(|(e, _)| e.clone())
            .collect();
        v.reverse();
        v
    };
    let c_events = of(c);
    read(store, |tx| {
        assert_eq!(
            sequences(&tx.timeline(&scope, c, None, ALL)?),
            sequences(&c_events)
        );
        assert_eq!(tx.timeline(&scope, c, None, ALL)?, c_events);
        assert_eq!(tx.timeline(&scope, c, None, usize::MAX)?, c_events);
        assert_eq!(tx.timeline(&scope, d, None, ALL)?, of(d));
        assert_eq!(tx.timeline(&scope, c, None, 2)?, c_events[..2]);
        assert!(tx.timeline(&scope, c, None, 0)?.is_empty());
        assert!(tx.timeline(&scope, "cus_missing", None, ALL)?.is_empty());
        let before = TimelineCursor::BeforeSequence(c_events[2].sequence);
        assert_eq!(tx.timeline(&scope, c, Some(&before), ALL)?, c_events[3..]);
        // A cursor at a sequence that is not in this timeline (another customer's event).
        let before_d = TimelineCursor::BeforeSequence(events[6].0.sequence);
        assert_eq!(tx.timeline(&scope, c, Some(&before_d), 1)?, c_events[2..3]);
        let first = TimelineCursor::BeforeSequence(1);
        assert!(tx.timeline(&scope, c, Some(&first), ALL)?.is_empty());
        let older = TimelineCursor::OlderThan(t(4));
        let want: Vec<_> = c_events
            .iter()
            .filter(|e| e.created_at < t(4))
            .cloned()
            .collect();
        assert_eq!(
            sequences(&tx.timeline(&scope, c, Some(&older), ALL)?),
            sequences(&want)
        );
        assert_eq!(tx.timeline(&scope, c, Some(&older), 2)?, want[..2]);
        Ok(())
    });
    assert_timeline_walk(store, &scope, c, &c_events);
}

/// Walking `c`'s timeline with `BeforeSequence` cursors sees every event once: `c_events`.
#[track_caller]
fn assert_timeline_walk(store: &dyn Store, scope: &Scope, c: &str, c_events: &[Event]) {
    // Walking with BeforeSequence cursors sees every event once.
    let mut walked = Vec::new();
    let mut cursor = None;
    loop {
        let batch = read(store, |tx| tx.timeline(scope, c, cursor.as_ref(), 2));
        let Some(last) = batch.last() else { break };
        cursor = Some(TimelineCursor::BeforeSequence(last.sequence));
        walked.extend(batch);
    }
    assert_eq!(walked, c_events);
}

/// Idempotency entries are kept per (scope, operation, key), read back exactly, and replaced by a
/// second put.
pub fn check_idempotency_entries(store: &dyn Store) {
    let (scope, test_a, live_b) = setup(store);
    let long_key = "k".repeat(255);
    let unicode_key = "clé-🔑-東京";
    let response = json_text(&full_customer("cus_x", 1, t(0)));
    let first = idempotency("{\"name\":\"Acme\"}", &response, t(123));
    let second = idempotency("{\"name\":\"Other\"}", "{}", ts("1970-01-01T00:00:00.000Z"));
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            None
        );
        Ok(())
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "k1", &first)?;
        tx.put_idempotency_entry(&scope, "customers.create", &long_key, &second)?;
        tx.put_idempotency_entry(&scope, "contacts.create", unicode_key, &first)
    });
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", &long_key)?,
            Some(second.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", unicode_key)?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", "k1")?,
            None,
            "per operation"
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "K1")?,
            None,
            "exact keys"
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k2")?,
            None
        );
        for other in [&test_a, &live_b] {
            assert_eq!(
                tx.idempotency_entry(other, "customers.create", "k1")?,
                None,
                "per scope"
            );
        }
        Ok(())
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "k1", &second)
    });
    write(store, |tx| {
        tx.put_idempotency_entry(&test_a, "customers.create", "k1", &first)
    });
    read(store, |tx| {
        assert_eq!(
            tx.idempotency_entry(&scope, "customers.create", "k1")?,
            Some(second.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&test_a, "customers.create", "k1")?,
            Some(first.clone())
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "contacts.create", unicode_key)?,
            Some(first.clone())
        );
        Ok(())
    });
}

/// Forgetting idempotency entries: only the scope's entries created before the instant, oldest
/// first, at most the limit; a replaced entry counts from its new creation; a rollback brings the
/// forgotten ones back.
pub fn check_forget_idempotency_entries(store: &dyn Store) {
    let (scope, test_a, live_b) = setup(store);
    let at = |ms| idempotency("f", "{}", t(ms));
    write(store, |tx| {
        tx.put_idempotency_entry(&scope, "customers.create", "old", &at(10))?;
        tx.put_idempotency_entry(&scope, "contacts.create", "oldest", &at(5))?;
        tx.put_idempotency_entry(&scope, "customers.create", "renewed", &at(1))?;
        tx.put_idempotency_entry(&scope, "customers.create", "renewed", &at(50))?;
        tx.put_idempotency_entry(&scope, "customers.create", "new", &at(40))?;
        tx.put_idempotency_entry(&test_a, "customers.create", "old", &at(0))
    });
    let kept = |keys: &[(&Scope, &str, &str)]| {
        read(store, |tx| {
            let mut present = Vec::new();
            for &(scope, operation, key) in keys {
                present.push(tx.idempotency_entry(scope, operation, key)?.is_some());
            }
            Ok(present)
        })
    };
    let all = [
        (&scope, "contacts.create", "oldest"),
        (&scope, "customers.create", "old"),
        (&scope, "customers.create", "renewed"),
        (&scope, "customers.create", "new"),
        (&test_a, "customers.create", "old"),
    ];

    let rolled_back = store.write_with(|tx| -> Result<()> {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(100), 10)?, 4);
        Err(Error::internal("rolled back on purpose"))
    });
    assert!(rolled_back.is_err());
    assert_eq!(kept(&all), [true, true, true, true, true]);

    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 1)?, 1);
        Ok(())
    });
    assert_eq!(
        kept(&all),
        [false, true, true, true, true],
        "the oldest first"
    );
    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 10)?, 1);
        assert_eq!(tx.forget_idempotency_entries(&scope, t(30), 10)?, 0);
        assert_eq!(tx.forget_idempotency_entries(&live_b, t(100), 10)?, 0);
        Ok(())
    });
    assert_eq!(kept(&all), [false, false, true, true, true]);
    write(store, |tx| {
        assert_eq!(tx.forget_idempotency_entries(&scope, t(50), 10)?, 1);
        Ok(())
    });
    assert_eq!(
        kept(&all),
        [false, false, true, false, true],
        "before, not at"
    );
}

/// Timestamps at the edges of the range (before 1970, the epoch, 9999-12-31) and with milliseconds
/// round-trip in every field that holds one, and order correctly.
pub fn check_extreme_timestamps(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let instants = [
        ts("1969-12-31T23:59:59.999Z"),
        ts("1970-01-01T00:00:00.000Z"),
        ts("2024-02-29T23:59:59.123Z"),
        ts("9999-12-31T23:59:59.999Z"),
    ];
    let (customers, onboardings, transitions, events) = add_records_at(store, &scope, &instants);
    read(store, |tx| {
        for c in &customers {
            assert_same(
                &tx.customer(&scope, &c.id)?,
                &Some(c.clone()),
                "customer timestamps",
            );
        }
        for o in &onboardings {
            assert_same(
                &tx.onboarding(&scope, &o.id)?,
                &Some(o.clone()),
                "onboarding timestamps",
            );
        }
        let everyone = CustomerFilter::default();
        let listed = tx.list_customers(&scope, &everyone, &page(ALL))?;
        assert_eq!(
            ids(&listed),
            ids(&list_order(customers.clone())),
            "newest first across eras"
        );
        assert_eq!(listed[0].created_at, instants[3]);
        let before_epoch = page_at(ListCursor::OlderThan(instants[1]), ALL);
        assert_eq!(
            tx.list_customers(&scope, &everyone, &before_epoch)?,
            vec![customers[0].clone()]
        );
        let after_last = page_at(ListCursor::After(instants[3], customers[3].id.clone()), ALL);
        assert_eq!(tx.list_customers(&scope, &everyone, &after_last)?.len(), 3);
        let mut oldest_first = transitions.clone();
        oldest_first.reverse();
        assert_eq!(
            tx.transitions(&scope, "onb_time0000000000000000")?,
            oldest_first
        );
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        assert_same(
            &tx.list_events(&scope, &everything)?,
            &events,
            "event timestamps",
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "early")?,
            Some(idempotency("f", "r", instants[0]))
        );
        assert_eq!(
            tx.idempotency_entry(&scope, "op", "late")?,
            Some(idempotency("f", "r", instants[3]))
        );
        Ok(())
    });
}

/// Records whose every timestamp is one of `instants`, in each field: four customers, their
/// onboardings, four transitions of the first onboarding, four events and two idempotency entries.
fn add_records_at(
    store: &dyn Store,
    scope: &Scope,
    instants: &[Timestamp; 4],
) -> (
    Vec<Customer>,
    Vec<Onboarding>,
    Vec<PhaseTransition>,
    Vec<Event>,
) {
    write(store, |tx| {
        let mut customers = Vec::new();
        let mut onboardings = Vec::new();
        let mut transitions = Vec::new();
        let mut events = Vec::new();
        for (i, at) in instants.iter().enumerate() {
            let mut c = add_customer(tx, scope, &format!("cus_time{i:016}"), *at)?;
            c.updated_at = instants[instants.len() - 1 - i];
            tx.update_customer(scope, &c)?;
            let display_id = tx.next_display_id(WS_A, DisplayKind::Onboarding)?;
            let mut o = full_onboarding(&format!("onb_time{i:016}"), display_id, &c.id, *at);
            o.started_at = instants[(i + 1) % 4];
            o.completed_at = Some(instants[(i + 2) % 4]);
            o.target_launch_date = Some(instants[(i + 3) % 4]);
            o.waiting_on_customer_since = Some(instants[i]);
            o.wizard_completed_at = Some(instants[(i + 1) % 4]);
            o.updated_at = instants[(i + 2) % 4];
            tx.insert_onboarding(scope, &o)?;
            let tr = transition(
                &format!("ptr_time{i:016}"),
                "onb_time0000000000000000",
                instants[3 - i],
            );
            tx.insert_transition(scope, &tr)?;
            events.push(tx.append_event(
                scope,
                new_event(
                    &format!("evt_time{i:016}"),
                    EventType::CustomerCreated,
                    &c.id,
                    &c.id,
                    *at,
                ),
            )?);
            customers.push(c);
            onboardings.push(o);
            transitions.push(tr);
        }
        tx.put_idempotency_entry(scope, "op", "early", &idempotency("f", "r", instants[0]))?;
        tx.put_idempotency_entry(scope, "op", "late", &idempotency("f", "r", instants[3]))?;
        Ok((customers, onboardings, transitions, events))
    })
}

/// Writers on several threads never share a display id or an event sequence, and none is lost.
pub fn check_concurrent_writers(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let (threads, per_thread) = (4, 25);
    std::thread::scope(|s| {
        for worker in 0..threads {
            let scope = scope.clone();
            s.spawn(move || {
                for i in 0..per_thread {
                    write(store, |tx| {
                        let c = add_customer(tx, &scope, &format!("cus_w{worker}_{i:02}"), t(i))?;
                        tx.append_event(
                            &scope,
                            new_event(
                                &format!("evt_w{worker}_{i:02}"),
                                EventType::CustomerCreated,
                                &c.id,
                                &c.id,
                                t(i),
                            ),
                        )?;
                        Ok(())
                    });
                }
            });
        }
    });
    let total = (threads * per_thread) as usize;
    read(store, |tx| {
        let customers = tx.list_customers(&scope, &CustomerFilter::default(), &page(ALL))?;
        let mut display_ids: Vec<_> = customers.iter().map(|c| c.display_id).collect();
        display_ids.sort_unstable();
        assert_eq!(display_ids, (1..=total as i64).collect::<Vec<_>>());
        let everything = EventFilter {
            limit: ALL,
            ..EventFilter::default()
        };
        let events = tx.list_events(&scope, &everything)?;
        assert_eq!(sequences(&events), (1..=total as i64).collect::<Vec<_>>());
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Pagination property
// ---------------------------------------------------------------------------------------------

/// The instants of a pagination case, in milliseconds after the base: few, so many records tie.
const TIE_INSTANTS_MS: [i64; 3] = [0, 1, 60_000];

/// Which list a pagination case walks.
#[derive(Debug, Clone, Copy)]
enum ListKind {
    Customers,
    Contacts,
    Onboardings,
}

/// One pagination case: record `i` is created at `TIE_INSTANTS_MS[instants[i]]` with id number
/// `id_numbers[i]`; pages take `limits` in turn.
#[derive(Debug, Clone)]
struct PaginationCase {
    list: ListKind,
    instants: Vec<usize>,
    id_numbers: Vec<usize>,
    limits: Vec<usize>,
}

/// Pagination as a property: for many random cases (1–200 records drawn from three instants, ids
/// in random order, random page limits), a full walk with `After` cursors returns every record
/// exactly once, in (created_at, id) descending order, with full pages until the last.
///
/// Each case runs in a workspace of its own in the one store; the cases come from a seeded
/// random generator, so every run (and every store) sees the same ones.
pub fn check_pagination_property(store: &dyn Store) {
    use rand::{rngs::StdRng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(0x5EED_2024);
    for n in 0..48u32 {
        let case = PaginationCase::random(&mut rng);
        if let Err(e) = check_pagination_case(store, &format!("org_pagination{n:08}"), &case) {
            panic!("pagination property: {e} in {case:?}");
        }
    }
}

impl PaginationCase {
    /// A random case: 1–200 records over the three instants, ids shuffled, 1–4 page limits
    /// (small ones, 1–5, half the time).
    fn random(rng: &mut rand::rngs::StdRng) -> Self {
        use rand::{seq::SliceRandom, Rng};
        let n = rng.random_range(1..=200);
        let list = [
            ListKind::Customers,
            ListKind::Contacts,
            ListKind::Onboardings,
        ][rng.random_range(0..3)];
        let instants = (0..n)
            .map(|_| rng.random_range(0..TIE_INSTANTS_MS.len()))
            .collect();
        let mut id_numbers: Vec<usize> = (0..n).collect();
        id_numbers.shuffle(rng);
        let limits = (0..rng.random_range(1..5))
            .map(|_| {
                if rng.random_bool(0.5) {
                    rng.random_range(1..=5)
                } else {
                    rng.random_range(1..=100)
                }
            })
            .collect();
        Self {
            list,
            instants,
            id_numbers,
            limits,
        }
    }
}

/// Inserts the case's records into a new workspace and walks its list.
fn check_pagination_case(
    store: &dyn Store,
    workspace_id: &str,
    case: &PaginationCase,
) -> std::result::Result<(), String> {
    let scope = live(workspace_id);
    let parent_id = format!("cus_parent_{workspace_id}");
    let record = |i: usize| {
        let at = t(TIE_INSTANTS_MS[case.instants[i]]);
        (format!("{:06}", case.id_numbers[i]), at)
    };
    let n = case.instants.len();
    let outcome = store.write_with(|tx| {
        tx.insert_workspace(&workspace(workspace_id), t(0))?;
        let parent = add_customer(tx, &scope, &parent_id, t(-1))?;
        let mut customers = Vec::new();
        let mut contacts = Vec::new();
        let mut onboardings = Vec::new();
        for i in 0..n {
            let (number, at) = record(i);
            match case.list {
                ListKind::Customers => {
                    customers.push(add_customer(tx, &scope, &format!("cus_{number}"), at)?)
                }
                ListKind::Contacts => contacts.push(add_contact(
                    tx,
                    &scope,
                    &format!("con_{number}"),
                    &parent.id,
                    at,
                )?),
                ListKind::Onboardings => onboardings.push(add_onboarding(
                    tx,
                    &scope,
                    &format!("onb_{number}"),
                    &parent.id,
                    at,
                )?),
            }
        }
        customers.push(parent);
        Ok((customers, contacts, onboardings))
    });
    let (customers, contacts, onboardings) =
        outcome.map_err(|e| format!("setting up the case failed: {e:?}"))?;
    match case.list {
        ListKind::Customers => {
            let filter = CustomerFilter::default();
            compare_walk(&case.limits, &list_order(customers), |request| {
                store.read_with(|tx| tx.list_customers(&scope, &filter, request))
            })
        }
        ListKind::Contacts => compare_walk(&case.limits, &list_order(contacts), |request| {
            store.read_with(|tx| tx.list_contacts(&scope, &parent_id, request))
        }),
        ListKind::Onboardings => {
            let filter = OnboardingFilter::default();
            compare_walk(&case.limits, &list_order(onboardings), |request| {
                store.read_with(|tx| tx.list_onboardings(&scope, &filter, request))
            })
        }
    }
}

/// Walks and compares with `expected`, for the property.
fn compare_walk<T: Listed>(
    limits: &[usize],
    expected: &[T],
    fetch: impl FnMut(&PageRequest) -> Result<Vec<T>>,
) -> std::result::Result<(), String> {
    let got = walk(limits, expected.len(), fetch)?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "walk with limits {limits:?} returned {:?}, expected {:?}",
            ids(&got),
            ids(expected)
        ))
    }
}

/// API keys: scoped listing and lookup, first revocation kept, prefix lookup across scopes,
/// rollback.
pub fn check_api_keys(store: &dyn Store) {
    let (a_live, a_test, b_live) = setup(store);
    let k1 = api_key("key_1", "pivotal_AAAA", true, t(20));
    let k2 = api_key("key_2", "pivotal_test", false, t(10));
    let k3 = api_key("key_3", "pivotal_AAAA", true, t(5));
    let k4 = api_key("key_4", "pivotal_BBBB", true, t(20));
    write(store, |tx| {
        tx.insert_api_key(&a_live, &k1, "h1")?;
        tx.insert_api_key(&a_test, &k2, "h2")?;
        tx.insert_api_key(&b_live, &k3, "h3")?;
        tx.insert_api_key(&a_live, &k4, "h4")
    });
    assert_eq!(
        read(store, |tx| tx.api_keys(&a_live)),
        vec![k1.clone(), k4.clone()]
    );
    assert_eq!(read(store, |tx| tx.api_keys(&a_test)), vec![k2.clone()]);
    assert_eq!(
        read(store, |tx| tx.api_key(&a_live, "key_2")),
        None,
        "another mode's key"
    );
    assert_eq!(
        read(store, |tx| tx.api_key(&b_live, "key_1")),
        None,
        "another workspace's key"
    );
    assert_eq!(
        read(store, |tx| tx.api_key(&a_test, "key_2")),
        Some(k2.clone())
    );

    let mut by_prefix = read(store, |tx| tx.api_keys_by_prefix("pivotal_AAAA"));
    by_prefix.sort_by(|x, y| x.key.id.cmp(&y.key.id));
    let expected = vec![
        StoredApiKey {
            workspace_id: WS_A.into(),
            key: k1.clone(),
            hash: "h1".into(),
        },
        StoredApiKey {
            workspace_id: WS_B.into(),
            key: k3.clone(),
            hash: "h3".into(),
        },
    ];
    assert_eq!(by_prefix, expected);

    write(store, |tx| tx.revoke_api_key(&a_live, "key_1", t(30)));
    write(store, |tx| tx.revoke_api_key(&a_live, "key_1", t(40)));
    let revoked = read(store, |tx| tx.api_key(&a_live, "key_1")).map(|k| k.revoked_at);
    assert_eq!(
        revoked,
        Some(Some(t(30))),
        "the first revocation time is kept"
    );
    assert_fails(
        store.write_with(|tx| tx.revoke_api_key(&b_live, "key_1", t(50))),
        "revoking another workspace's key",
    );
    assert_fails(
        store.read_with(|tx| tx.insert_api_key(&a_live, &k1, "h")),
        "inserting in a read transaction",
    );

    let outcome = store.write_with(|tx| {
        tx.insert_api_key(
            &a_live,
            &api_key("key_5", "pivotal_CCCC", true, t(60)),
            "h5",
        )?;
        tx.revoke_api_key(&a_live, "key_4", t(60))?;
        Err::<(), _>(Error::internal("roll back"))
    });
    assert_fails(outcome, "the rolled-back transaction");
    assert_eq!(
        read(store, |tx| tx.api_keys_by_prefix("pivotal_CCCC")),
        vec![]
    );
    assert_eq!(read(store, |tx| tx.api_key(&a_live, "key_4")), Some(k4));
}

// ---------------------------------------------------------------------------------------------
// Onboarding history and the analytics report
// ---------------------------------------------------------------------------------------------

/// History entries get `seq` 0, 1, 2, … per onboarding, each closing the previous one at its
/// instant; they come back in `seq` order with every field intact, per onboarding and per scope;
/// an entry for an onboarding that does not exist in the scope is refused.
pub fn check_history_append_and_read(store: &dyn Store) {
    let (scope, test, other) = setup(store);
    let (o1, o2, t1) = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o1 = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        let o2 = add_onboarding(tx, &scope, "onb_two00000000000000000", &c.id, t(0))?;
        let ct = add_customer(tx, &test, "cus_parent00000000000000", t(0))?;
        let t1 = add_onboarding(tx, &test, "onb_one00000000000000000", &ct.id, t(0))?;
        Ok((o1, o2, t1))
    });
    let rich = rich_history(&o1.id);
    let second = history(
        &o1.id,
        d(2),
        Some(Phase::Review),
        Phase::Launch,
        State::Active,
    );
    let third = history(
        &o1.id,
        d(1),
        Some(Phase::Launch),
        Phase::Launch,
        State::Paused,
    );
    let other_onboarding = history(&o2.id, d(1), None, Phase::Completed, State::AtRisk);
    let test_mode_entry = history(&t1.id, d(3), None, Phase::ProgramDesign, State::Active);
    let stored = write(store, |tx| {
        let a = tx.append_history(&scope, rich.clone())?;
        let b = tx.append_history(&scope, other_onboarding.clone())?;
        let c = tx.append_history(&scope, second.clone())?;
        let e = tx.append_history(&test, test_mode_entry.clone())?;
        Ok((a, b, c, e))
    });
    assert_eq!(stored.0, HistoryEntry::new(rich.clone(), 0));
    assert_eq!(stored.1, HistoryEntry::new(other_onboarding.clone(), 0));
    assert_eq!(stored.2, HistoryEntry::new(second.clone(), 1));
    assert_eq!(stored.3, HistoryEntry::new(test_mode_entry.clone(), 0));
    // A later transaction continues the numbering; an earlier instant is kept as given.
    let last = write(store, |tx| tx.append_history(&scope, third.clone()));
    assert_eq!(last, HistoryEntry::new(third.clone(), 2));

    let closed = |entry: &NewHistoryEntry, seq: i64, until: Option<Timestamp>| HistoryEntry {
        until,
        ..HistoryEntry::new(entry.clone(), seq)
    };
    read(store, |tx| {
        assert_same(
            &tx.onboarding_history(&scope, &o1.id)?,
            &vec![
                closed(&rich, 0, Some(d(2))),
                closed(&second, 1, Some(d(1))),
                closed(&third, 2, None),
            ],
            "history in seq order, each closed by the next",
        );
        assert_same(
            &tx.onboarding_history(&scope, &o2.id)?,
            &vec![closed(&other_onboarding, 0, None)],
            "another onboarding's history",
        );
        assert_same(
            &tx.onboarding_history(&test, &t1.id)?,
            &vec![closed(&test_mode_entry, 0, None)],
            "the same id in test mode",
        );
        assert!(tx.onboarding_history(&other, &o1.id)?.is_empty());
        assert!(tx.onboarding_history(&scope, "onb_missing")?.is_empty());
        Ok(())
    });
    assert_history_refused(store, &scope, &other, &o1.id, &third);
    // A deleted onboarding keeps its history.
    write(store, |tx| tx.delete_onboarding(&scope, &o2.id, d(5)));
    assert_eq!(
        read(store, |tx| tx.onboarding_history(&scope, &o2.id)).len(),
        1
    );
}

/// A first history entry of `onboarding_id` with every snapshot field set, at the edges of the
/// time range and in unicode.
fn rich_history(onboarding_id: &str) -> NewHistoryEntry {
    let mut rich = history(onboarding_id, d(0), None, Phase::Review, State::Waiting);
    rich.snapshot = Snapshot {
        phase: Phase::Review,
        state: State::Waiting,
        started_at: ts("1969-12-31T23:59:59.999Z"),
        target_launch_date: Some(ts("9999-12-31T23:59:59.999Z")),
        csm_id: Some("Zoë 東京 🚀".to_owned()),
        template_id: Some("tpl_✓".to_owned()),
    };
    rich
}

/// History is refused for a missing onboarding, another workspace's (`o1_id` seen from
/// `other`), and in a read transaction.
#[track_caller]
fn assert_history_refused(
    store: &dyn Store,
    scope: &Scope,
    other: &Scope,
    o1_id: &str,
    third: &NewHistoryEntry,
) {
    assert_fails(
        store.write_with(|tx| {
            tx.append_history(
                scope,
                history("onb_missing", d(1), None, Phase::Review, State::Active),
            )
        }),
        "history of a missing onboarding",
    );
    assert_fails(
        store.write_with(|tx| {
            tx.append_history(
                other,
                history(o1_id, d(1), None, Phase::Review, State::Active),
            )
        }),
        "history of another workspace's onboarding",
    );
    assert_fails(
        store.read_with(|tx| tx.append_history(scope, third.clone())),
        "appending history in a read transaction",
    );
}

/// A rolled-back append leaves no entry, and the entry it closed open again; numbering goes on
/// from the committed state.
pub fn check_history_rollback(store: &dyn Store) {
    let (scope, _, _) = setup(store);
    let o = write(store, |tx| {
        let c = add_customer(tx, &scope, "cus_parent00000000000000", t(0))?;
        let o = add_onboarding(tx, &scope, "onb_one00000000000000000", &c.id, t(0))?;
        tx.append_history(
            &scope,
            history(
                &o.id,
                d(0),
                None,
                Phase::BeforeGettingStarted,
                State::Active,
            ),
        )?;
        Ok(o)
    });
    let before = read(store, |tx| tx.onboarding_history(&scope, &o.id));
    let outcome = store.write_with(|tx| {
        let entry = history(
            &o.id,
            d(1),
            Some(Phase::BeforeGettingStarted),
            Phase::ProgramDesign,
            State::Active,
        );
        tx.append_history(&scope, entry.clone())?;
        tx.append_history(&scope, entry)?;
        Err::<(), _>(Error::internal("roll back"))
    });
    assert_fails(outcome, "the rolled-back transaction");
    assert_eq!(
        read(store, |tx| tx.onboarding_history(&scope, &o.id)),
        before
    );
    let next = write(store, |tx| {
        tx.append_history(
            &scope,
            history(
                &o.id,
                d(2),
                Some(Phase::BeforeGettingStarted),
                Phase::Review,
                State::Active,
            ),
        )
    });
    assert_eq!((next.seq, next.until), (1, None));
    let all = read(store, |tx| tx.onboarding_history(&scope, &o.id));
    assert_eq!(all[0].until, Some(d(2)));
}

fn report(store: &dyn Store, scope: &Scope, query: &ReportQuery) -> ReportTotals {
    read(store, |tx| tx.onboarding_report(scope, query))
}

fn ranks(count: i64, values: &[(i64, i64)]) -> RankSample {
    RankSample {
        count,
        values: values.iter().copied().collect(),
    }
}

/// The report over a small workspace, worked out by hand: visibility (deleted onboardings and
/// customers, scope, creation after the instant), values as of the instant, launch, on time,
/// overdue, at risk, stalled on the SLA clock, launch-duration ranks, filters.
pub fn check_report_hand_computed(store: &dyn Store) {
    let (scope, test, other) = setup(store);
    let (c1, c3) = add_report_workspace(store, &scope, &test, &other);
    let query = ReportQuery {
        as_of: d(8),
        customer_id: None,
        csm_id: None,
        template_id: None,
        stalled_after_ms: Some(DAY),
    };
    assert_eq!(report(store, &scope, &query), as_of_day_8(), "as of day 8");

    // A stricter threshold: only o2 and o6 (o1 has 2 SLA days in launch).
    let strict = ReportQuery {
        stalled_after_ms: Some(2 * DAY),
        ..query.clone()
    };
    assert_eq!(report(store, &scope, &strict).stalled, 2);
    let none = ReportQuery {
        stalled_after_ms: None,
        ..query.clone()
    };
    assert_eq!(report(store, &scope, &none).stalled, 0);
    assert_report_filters(store, &scope, &query, &c1, &c3);
    assert_report_early_and_empty(store, &scope, &query);
    // Every store agrees with the reference computation on this data too.
    assert_matches_reference(store, &scope, &[&query, &strict, &none]);
}

/// The store's report equals the reference computation for each of `queries`.
#[track_caller]
fn assert_matches_reference(store: &dyn Store, scope: &Scope, queries: &[&ReportQuery]) {
    for q in queries {
        let reference = read(store, |tx| crate::store::reference_report(tx, scope, q));
        assert_eq!(report(store, scope, q), reference, "{q:?}");
    }
}

/// `e` with `f` applied to its snapshot.
fn with(mut e: NewHistoryEntry, f: &dyn Fn(&mut Snapshot)) -> NewHistoryEntry {
    f(&mut e.snapshot);
    e
}

/// Sets the target launch date to day `days`.
fn target(days: i64) -> impl Fn(&mut Snapshot) {
    move |s: &mut Snapshot| s.target_launch_date = Some(d(days))
}

/// The workspace of [`check_report_hand_computed`]; returns customers 1 and 3.
fn add_report_workspace(
    store: &dyn Store,
    scope: &Scope,
    test: &Scope,
    other: &Scope,
) -> (Customer, Customer) {
    use Phase::*;
    use State::*;
    write(store, |tx| {
        let c1 = add_customer(tx, scope, "cus_one00000000000000000", t(0))?;
        let c2 = add_customer(tx, scope, "cus_two00000000000000000", t(0))?;
        let c3 = add_customer(tx, scope, "cus_three000000000000000", t(0))?;
        add_report_o1(tx, scope, &c1)?;
        add_report_counted(tx, scope, &c1, &c3)?;
        // Left out: deleted (o3), deleted customer (o4), created after the instant (o5),
        // another mode, another workspace.
        let gone = [history("", d(0), None, Launch, Active)];
        let o3 = add_with_history(tx, scope, "onb_three000000000000000", &c1.id, &gone)?;
        tx.delete_onboarding(scope, &o3.id, d(1))?;
        add_with_history(tx, scope, "onb_four0000000000000000", &c2.id, &gone)?;
        tx.delete_customer(scope, &c2.id, d(1))?;
        let late = [history("", d(9), None, Launch, Active)];
        add_with_history(tx, scope, "onb_five0000000000000000", &c1.id, &late)?;
        let ct = add_customer(tx, test, "cus_one00000000000000000", t(0))?;
        add_with_history(tx, test, "onb_one00000000000000000", &ct.id, &gone)?;
        let cb = add_customer(tx, other, "cus_one00000000000000000", t(0))?;
        add_with_history(tx, other, "onb_one00000000000000000", &cb.id, &gone)?;
        Ok((c1, c3))
    })
}

/// o1 of [`check_report_hand_computed`], of customer `c1`.
fn add_report_o1(tx: &mut dyn Tx, scope: &Scope, c1: &Customer) -> Result<()> {
    use Phase::*;
    use State::*;
    // o1: design from day 2, waiting days 3–5, skips to launch on day 6; CSM x, then y
    // from day 4; target day 10. As of day 8: launched on day 6 (6 days, 4 on the SLA
    // clock), on time; its launch stint has 2 SLA days.
    let x = |s: &mut Snapshot| {
        s.target_launch_date = Some(d(10));
        s.csm_id = Some("csm_x".to_owned());
    };
    let y = |s: &mut Snapshot| {
        s.target_launch_date = Some(d(10));
        s.csm_id = Some("csm_y".to_owned());
    };
    add_with_history(
        tx,
        scope,
        "onb_one00000000000000000",
        &c1.id,
        &[
            with(history("", d(0), None, BeforeGettingStarted, Active), &x),
            with(
                history("", d(2), Some(BeforeGettingStarted), ProgramDesign, Active),
                &x,
            ),
            with(
                history("", d(3), Some(ProgramDesign), ProgramDesign, Waiting),
                &x,
            ),
            with(
                history("", d(4), Some(ProgramDesign), ProgramDesign, Waiting),
                &y,
            ),
            with(
                history("", d(5), Some(ProgramDesign), ProgramDesign, Active),
                &y,
            ),
            with(history("", d(6), Some(ProgramDesign), Launch, Active), &y),
        ],
    )?;
    Ok(())
}

/// o2, o6 (customer 1) and o7 (customer 3) of [`check_report_hand_computed`].
fn add_report_counted(tx: &mut dyn Tx, scope: &Scope, c1: &Customer, c3: &Customer) -> Result<()> {
    use Phase::*;
    use State::*;
    // o2: created on day 1 directly in launch, no target: launched at once (0 days); its
    // first stint has 7 SLA days by day 8.
    let mut o2 = history("", d(1), None, Launch, Active);
    o2.snapshot.started_at = d(1);
    add_with_history(tx, scope, "onb_two00000000000000000", &c1.id, &[o2])?;
    // o6: at risk from creation, target day 7, never launches: overdue and at risk (once).
    add_with_history(
        tx,
        scope,
        "onb_six00000000000000000",
        &c1.id,
        &[with(
            history("", d(0), None, BeforeGettingStarted, AtRisk),
            &target(7),
        )],
    )?;
    // o7 (customer 3): internal QA, skips to completed on day 1 (its launch), target day 0:
    // late; closed, so neither at risk nor stalled.
    add_with_history(
        tx,
        scope,
        "onb_seven000000000000000",
        &c3.id,
        &[
            with(history("", d(0), None, InternalQa, Active), &target(0)),
            with(
                history("", d(1), Some(InternalQa), Completed, Active),
                &target(0),
            ),
        ],
    )?;
    Ok(())
}

/// The report of [`check_report_hand_computed`] as of day 8, worked out by hand.
fn as_of_day_8() -> ReportTotals {
    ReportTotals {
        total: 4,
        by_phase: ByPhase {
            before_getting_started: 1,
            launch: 2,
            completed: 1,
            ..ByPhase::default()
        },
        by_state: ByState {
            active: 3,
            at_risk: 1,
            ..ByState::default()
        },
        launched: 3,
        launched_with_target: 2,
        launched_on_time: 1,
        overdue: 1,
        at_risk: 1,
        // o1 (2 SLA days in launch), o2 (7), o6 (8).
        stalled: 3,
        // [0, 1, 6] days: the median and the 90th percentile need ranks 1 and 2.
        time_to_launch: ranks(3, &[(1, DAY), (2, 6 * DAY)]),
        sla_time_to_launch: ranks(3, &[(1, DAY), (2, 4 * DAY)]),
    }
}

/// The report's filters by customer, by CSM as of the instant and by template, each agreeing
/// with the reference computation.
#[track_caller]
fn assert_report_filters(
    store: &dyn Store,
    scope: &Scope,
    query: &ReportQuery,
    c1: &Customer,
    c3: &Customer,
) {
    // Filters: the customer; the CSM as of the instant (o1 was x until day 4, then y).
    let of_customer = |id: &str| ReportQuery {
        customer_id: Some(id.to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &of_customer(&c1.id)).total, 3);
    assert_eq!(report(store, scope, &of_customer(&c3.id)).total, 1);
    assert_eq!(
        report(store, scope, &of_customer("cus_two00000000000000000")).total,
        0
    );
    let csm = |id: &str, days: i64| ReportQuery {
        as_of: d(days),
        csm_id: Some(id.to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &csm("csm_y", 8)).total, 1);
    assert_eq!(report(store, scope, &csm("csm_x", 8)).total, 0);
    assert_eq!(report(store, scope, &csm("csm_x", 3)).total, 1);
    let template = ReportQuery {
        template_id: Some("tpl".to_owned()),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &template).total, 0);

    assert_matches_reference(store, scope, &[&of_customer(&c1.id), &csm("csm_x", 3)]);
}

/// The report as of day 3, before day 0, and of an empty scope.
#[track_caller]
fn assert_report_early_and_empty(store: &dyn Store, scope: &Scope, query: &ReportQuery) {
    // As of day 3, waiting: o1 in design, not launched; o7 completed; o2 launched.
    let early = report(
        store,
        scope,
        &ReportQuery {
            as_of: d(3),
            ..query.clone()
        },
    );
    assert_eq!(
        (early.total, early.by_state.active, early.by_state.waiting),
        (4, 2, 1)
    );
    assert_eq!((early.launched, early.overdue, early.at_risk), (2, 0, 1));
    // Nothing before day 0; an empty scope.
    let before = ReportQuery {
        as_of: t(-1),
        ..query.clone()
    };
    assert_eq!(report(store, scope, &before), ReportTotals::default());
    let empty = Scope {
        workspace_id: "org_nothinghere000000000".to_owned(),
        livemode: true,
    };
    assert_eq!(report(store, &empty, query), ReportTotals::default());
}

/// On random workspaces — random phases and states in any order, `started_at` before or after
/// the creation, targets, CSMs, templates, deletions, instants recorded out of order — the
/// store's report equals the reference computation, for many instants and filters.
pub fn check_report_matches_reference(store: &dyn Store) {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let (scope, test, _) = setup(store);
    let mut rng = StdRng::seed_from_u64(0x05EE_DA11);
    let pick = |rng: &mut StdRng, n: usize| rng.random_range(0..n);
    let customers = write(store, |tx| {
        let mut customers = Vec::new();
        for (i, s) in [&scope, &scope, &scope, &test].into_iter().enumerate() {
            let id = format!("cus_rand{i:016}");
            customers.push((s.clone(), add_customer(tx, s, &id, t(0))?.id));
        }
        Ok(customers)
    });
    let deleted_customer = customers[2].1.clone();
    write(store, |tx| {
        for n in 0..120 {
            let (s, customer) = &customers[pick(&mut rng, customers.len())];
            let entries = random_history(&mut rng);
            let id = format!("onb_rand{n:016}");
            add_with_history(tx, s, &id, customer, &entries)?;
            if pick(&mut rng, 8) == 0 {
                tx.delete_onboarding(s, &id, t(0))?;
            }
        }
        tx.delete_customer(&scope, &deleted_customer, t(0))
    });
    let mut compared = 0;
    for half_days in -6..90 {
        let as_of = t(half_days * DAY / 2 + 333);
        for (customer, csm, template, stalled) in [
            (None, None, None, Some(DAY)),
            (None, None, None, None),
            (Some(&customers[0].1), None, None, Some(3 * DAY)),
            (None, Some("csm_a"), None, Some(0)),
            (None, None, Some("tpl_2"), Some(DAY / 2)),
            (
                Some(&customers[1].1),
                Some("csm_b"),
                Some("tpl_1"),
                Some(5 * DAY),
            ),
        ] {
            let query = ReportQuery {
                as_of,
                customer_id: customer.cloned(),
                csm_id: csm.map(str::to_owned),
                template_id: template.map(str::to_owned),
                stalled_after_ms: stalled,
            };
            for s in [&scope, &test] {
                let (got, want) = read(store, |tx| {
                    let got = tx.onboarding_report(s, &query)?;
                    let want = crate::store::reference_report(tx, s, &query)?;
                    Ok((got, want))
                });
                assert_eq!(got, want, "{query:?} in {s:?}");
                compared += usize::from(got.total > 0);
            }
        }
    }
    assert!(compared > 300, "only {compared} non-empty reports compared");
}

/// A random history of one onboarding: random phases and states in any order, `started_at`
/// before or after the creation, targets, CSMs, templates, instants now and then out of order.
fn random_history(rng: &mut rand::rngs::StdRng) -> Vec<NewHistoryEntry> {
    use rand::{rngs::StdRng, Rng};
    let pick = |rng: &mut StdRng, n: usize| rng.random_range(0..n);
    let csms = [None, Some("csm_a"), Some("csm_b")];
    let templates = [None, Some("tpl_1"), Some("tpl_2")];
    let mut at = rng.random_range(-5..40) * DAY / 2 + rng.random_range(0..1000);
    let mut snapshot = Snapshot {
        phase: Phase::ALL[pick(rng, Phase::ALL.len())],
        state: State::ALL[pick(rng, State::ALL.len())],
        started_at: t(at + rng.random_range(-20..5) * DAY / 2),
        target_launch_date: rng
            .random_bool(0.7)
            .then(|| t(rng.random_range(0..60) * DAY / 2)),
        csm_id: csms[pick(rng, 3)].map(str::to_owned),
        template_id: templates[pick(rng, 3)].map(str::to_owned),
    };
    let mut entries = vec![NewHistoryEntry {
        onboarding_id: String::new(),
        at: t(at),
        previous_phase: None,
        snapshot: snapshot.clone(),
    }];
    for _ in 0..pick(rng, 12) {
        // Mostly forward in time; now and then the same instant or a step back.
        at += match pick(rng, 10) {
            0 => 0,
            1 => -rng.random_range(1..DAY),
            _ => rng.random_range(1..4 * DAY),
        };
        let previous_phase = Some(snapshot.phase);
        match pick(rng, 6) {
            0 | 1 => snapshot.phase = Phase::ALL[pick(rng, Phase::ALL.len())],
            2 | 3 => snapshot.state = State::ALL[pick(rng, State::ALL.len())],
            4 => snapshot.csm_id = csms[pick(rng, 3)].map(str::to_owned),
            _ => snapshot.started_at = t(at - rng.random_range(0..10) * DAY),
        }
        entries.push(NewHistoryEntry {
            onboarding_id: String::new(),
            at: t(at),
            previous_phase,
            snapshot: snapshot.clone(),
        });
    }
    entries
}
