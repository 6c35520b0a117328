//! The open store: a public object over one core session (`Pivotal`); `with_actor`,
//! `with_livemode`, `with_workspace` and `authenticate` derive new handles, and `close()` on any of
//! them closes the store for all (the core does both).

use crate::analytics::{OnboardingMetrics, WorkspaceReport, WorkspaceReportParams};
use crate::error::{guard, PivotalError};
use crate::paging::{
    after_sequence, ContactPages, CustomerPages, EventPages, OnboardingPages, Pager,
};
use crate::patch::{ContactPatch, CustomerPatch, OnboardingPatch};
use crate::transfer::{ExportFormat, ExportList, ImportSummary, OnError};
use crate::types::{
    ApiKey, Bridge, Contact, ContactPage, ContactParams, CreatedApiKey, Customer,
    CustomerListParams, CustomerPage, CustomerParams, Deleted, Durability, EventListParams,
    EventPage, Health, Identity, ListParams, Onboarding, OnboardingListParams, OnboardingPage,
    OnboardingParams, PhaseTransition, Session, Workspace,
};
use pivotal_core::{Options, Pivotal, Timestamp};
use std::sync::Arc;

/// A clock that stands still until told to move, for tests and reproducible analytics.
#[derive(Debug, uniffi::Object)]
pub struct FixedClock {
    inner: Arc<pivotal_core::FixedClock>,
}

#[uniffi::export]
impl FixedClock {
    /// A clock fixed at `at`; `invalid_timestamp` (field `at`) outside the years 1–9999.
    #[uniffi::constructor]
    pub fn new(at: Timestamp) -> Result<Arc<Self>, PivotalError> {
        let clock = Self {
            inner: Arc::new(pivotal_core::FixedClock::new(Timestamp::UNIX_EPOCH)),
        };
        clock.set(at)?;
        Ok(Arc::new(clock))
    }

    /// Moves the clock to `at` (backwards is allowed); `invalid_timestamp` (field `at`), the clock
    /// unchanged, outside the years 1–9999.
    pub fn set(&self, at: Timestamp) -> Result<(), PivotalError> {
        guard(|| Ok(self.inner.try_set(at)?))
    }

    /// Moves the clock forward by `ms` milliseconds (backward when negative); `invalid_timestamp`
    /// (field `ms`), the clock unchanged, when that would leave the years 1–9999.
    pub fn advance_ms(&self, ms: i64) -> Result<(), PivotalError> {
        guard(|| Ok(self.inner.try_advance_ms(ms)?))
    }

    /// The clock's instant.
    pub fn now(&self) -> Timestamp {
        pivotal_core::Clock::now(&*self.inner)
    }
}

/// An open Pivotal store: every operation of the API, under one session (workspace, mode, actor).
///
/// Safe to share between threads. `close()` closes the store for every handle derived from it
/// (`with_actor`, `with_livemode`, `with_workspace`, `authenticate`), after the calls in flight
/// have returned; any later call raises `PivotalError.InvalidRequest` with code `store_closed`.
/// The store also closes when its last handle is released (Kotlin: the object's `close()`/`use {}`;
/// Swift: deinit).
#[derive(Debug, uniffi::Object)]
pub struct PivotalStore {
    db: Pivotal,
}

fn options(actor: Option<String>, clock: Option<Arc<FixedClock>>) -> Options {
    let mut options = Pivotal::options();
    if let Some(actor) = actor {
        options = options.actor(actor);
    }
    if let Some(clock) = clock {
        options = options.clock(clock.inner.clone());
    }
    options
}

impl PivotalStore {
    fn from_pivotal(db: Pivotal) -> Arc<Self> {
        Arc::new(Self { db })
    }

    /// Runs `f` on this handle's session.
    fn with<R>(
        &self,
        f: impl FnOnce(&Pivotal) -> pivotal_core::Result<R>,
    ) -> Result<R, PivotalError> {
        guard(|| Ok(f(&self.db)?))
    }

    /// A new handle on the same store, with the session `derive` makes from this one's.
    fn derive(
        &self,
        derive: impl FnOnce(&Pivotal) -> pivotal_core::Result<Pivotal>,
    ) -> Result<Arc<Self>, PivotalError> {
        self.with(derive).map(Self::from_pivotal)
    }
}

#[uniffi::export]
impl PivotalStore {
    /// Opens (creating or migrating as needed) a SQLite file, in live mode of the default workspace.
    /// `mmap_size`: how many bytes of the file reads may memory-map (default none): faster reads of
    /// a file larger than the page cache, the mapped pages counting as resident memory.
    #[uniffi::constructor(default(actor = None, clock = None, durability = None, mmap_size = None))]
    pub fn open(
        path: String,
        actor: Option<String>,
        clock: Option<Arc<FixedClock>>,
        durability: Option<Durability>,
        mmap_size: Option<u64>,
    ) -> Result<Arc<Self>, PivotalError> {
        guard(|| {
            let options = options(actor, clock)
                .durability(durability.unwrap_or_default().into_core())
                .mmap_size(mmap_size.unwrap_or(0));
            Ok(Self::from_pivotal(options.open(path)?))
        })
    }

    /// Opens a fresh store held in memory (gone when closed).
    #[uniffi::constructor(default(actor = None, clock = None))]
    pub fn open_in_memory(
        actor: Option<String>,
        clock: Option<Arc<FixedClock>>,
    ) -> Result<Arc<Self>, PivotalError> {
        guard(|| Ok(Self::from_pivotal(options(actor, clock).open_in_memory()?)))
    }

    /// Closes the store for this handle and every handle derived from it, once the calls in flight
    /// have returned. Idempotent. (Kotlin: `closeStore()`; the object's own `close()` releases the handle.)
    pub fn close(&self) {
        self.db.close();
    }

    /// The SQLite file this store was opened on; `None` for an in-memory store (`open_in_memory`,
    /// or `open(":memory:")`).
    pub fn path(&self) -> Option<String> {
        self.db.path().map(|p| p.to_string_lossy().into_owned())
    }

    /// Whether `close()` was called on this store.
    pub fn is_closed(&self) -> bool {
        self.db.is_closed()
    }

    /// A handle on the same store acting under another actor name (trimmed, 1 to 200 characters).
    /// A key's session keeps the key's name: `permission_error/permission_denied`.
    pub fn with_actor(&self, actor: String) -> Result<Arc<Self>, PivotalError> {
        self.derive(|db| db.with_actor(&actor))
    }

    /// A handle on the same store and workspace in live (`true`) or test (`false`) mode. A key's
    /// session keeps the key's mode: `permission_error/permission_denied`.
    pub fn with_livemode(&self, livemode: bool) -> Result<Arc<Self>, PivotalError> {
        self.derive(|db| db.with_livemode(livemode))
    }

    /// A handle on another workspace of the same store (by id or slug), in live mode. A key's
    /// session keeps the key's workspace: `permission_error/permission_denied`.
    pub fn with_workspace(&self, reference: String) -> Result<Arc<Self>, PivotalError> {
        self.derive(|db| db.with_workspace(&reference))
    }

    /// A handle whose session is an API key's: its workspace, its mode, its name as the actor.
    /// A malformed or unknown secret is `authentication_error/invalid_api_key`, a revoked one
    /// `authentication_error/api_key_revoked`; a key revoked later fails every call of the handle.
    pub fn authenticate(&self, secret: String) -> Result<Arc<Self>, PivotalError> {
        self.derive(|db| db.authenticate(&secret))
    }

    /// This handle's session: workspace, mode, actor and API key.
    pub fn session(&self) -> Result<Session, PivotalError> {
        self.with(|db| {
            db.ensure_open()?;
            Ok(Session::from_core(db.session().clone()))
        })
    }

    /// Who this session is (`GET /me`).
    pub fn me(&self) -> Result<Identity, PivotalError> {
        self.with(|db| db.me().map(Identity::from_core))
    }

    // Workspaces and API keys.

    /// Creates a workspace; its slug is derived from the name when not given.
    #[uniffi::method(default(slug = None))]
    pub fn create_workspace(
        &self,
        name: String,
        slug: Option<String>,
    ) -> Result<Workspace, PivotalError> {
        self.with(|db| {
            db.workspaces()
                .create(&name, slug.as_deref())
                .map(Workspace::from_core)
        })
    }

    /// Every workspace of the store.
    pub fn list_workspaces(&self) -> Result<Vec<Workspace>, PivotalError> {
        self.with(|db| db.workspaces().list().map(Vec::from_core))
    }

    /// The workspace with this id or slug.
    pub fn retrieve_workspace(&self, reference: String) -> Result<Workspace, PivotalError> {
        self.with(|db| {
            db.workspaces()
                .retrieve(&reference)
                .map(Workspace::from_core)
        })
    }

    /// Creates an API key of this session's workspace and mode; the only time its secret is returned.
    pub fn create_api_key(&self, name: String) -> Result<CreatedApiKey, PivotalError> {
        self.with(|db| db.api_keys().create(&name).map(CreatedApiKey::from_core))
    }

    /// The API keys of this session's workspace and mode (never their secrets).
    pub fn list_api_keys(&self) -> Result<Vec<ApiKey>, PivotalError> {
        self.with(|db| db.api_keys().list().map(Vec::from_core))
    }

    /// Revokes an API key, effective immediately.
    pub fn revoke_api_key(&self, id: String) -> Result<ApiKey, PivotalError> {
        self.with(|db| db.api_keys().revoke(&id).map(ApiKey::from_core))
    }

    /// Checks that the store answers (`GET /health`).
    pub fn health(&self) -> Result<Health, PivotalError> {
        self.with(|db| db.health().map(Health::from_core))
    }

    // Customers.

    /// Creates a customer (`POST /customers`). A repeated `idempotency_key` replays the first response.
    #[uniffi::method(default(idempotency_key = None))]
    pub fn create_customer(
        &self,
        params: CustomerParams,
        idempotency_key: Option<String>,
    ) -> Result<Customer, PivotalError> {
        self.with(|db| {
            db.customers()
                .create(params.into_core(), idempotency_key.as_deref())
                .map(Customer::from_core)
        })
    }

    /// The customer with this id or display id (`GET /customers/{id}`).
    pub fn retrieve_customer(&self, reference: String) -> Result<Customer, PivotalError> {
        self.with(|db| db.customers().retrieve(&reference).map(Customer::from_core))
    }

    /// Applies a patch (`PATCH /customers/{id}`). Becoming `churned` pauses every open onboarding.
    pub fn update_customer(
        &self,
        reference: String,
        patch: CustomerPatch,
    ) -> Result<Customer, PivotalError> {
        self.with(|db| {
            db.customers()
                .update(&reference, patch.into_core()?)
                .map(Customer::from_core)
        })
    }

    /// Soft-deletes a customer and hides its contacts and onboardings (`DELETE /customers/{id}`).
    pub fn delete_customer(&self, reference: String) -> Result<Deleted, PivotalError> {
        self.with(|db| db.customers().delete(&reference).map(Deleted::from_core))
    }

    /// One page of customers, newest first (`GET /customers`).
    #[uniffi::method(default(params))]
    pub fn list_customers(&self, params: CustomerListParams) -> Result<CustomerPage, PivotalError> {
        self.with(|db| {
            db.customers()
                .list(&params.into_core())
                .map(CustomerPage::from_core)
        })
    }

    /// One page of the events of the customer and of its contacts and onboardings, newest first.
    #[uniffi::method(default(params))]
    pub fn customer_timeline(
        &self,
        reference: String,
        params: ListParams,
    ) -> Result<EventPage, PivotalError> {
        self.with(|db| {
            db.customers()
                .timeline(&reference, &params.into_core())
                .map(EventPage::from_core)
        })
    }

    /// Every customer matching `params`, one page at a time (`next_page()`); the first page is read
    /// now, so a bad filter fails here.
    #[uniffi::method(default(params))]
    pub fn customer_pages(
        &self,
        params: CustomerListParams,
    ) -> Result<Arc<CustomerPages>, PivotalError> {
        let params = params.into_core();
        self.with(|db| {
            Pager::start(
                db,
                Box::new(move |db, cursor| {
                    let mut p = params.clone();
                    p.cursor = cursor.map(str::to_owned).or(p.cursor);
                    db.customers().list(&p)
                }),
            )
        })
        .map(|p| Arc::new(CustomerPages(p)))
    }

    /// Every event of the customer's timeline, newest first, one page at a time (`next_page()`).
    #[uniffi::method(default(params))]
    pub fn timeline_pages(
        &self,
        reference: String,
        params: ListParams,
    ) -> Result<Arc<EventPages>, PivotalError> {
        let params = params.into_core();
        self.with(|db| {
            Pager::start(
                db,
                Box::new(move |db, cursor| {
                    let mut p = params.clone();
                    p.cursor = cursor.map(str::to_owned).or(p.cursor);
                    db.customers().timeline(&reference, &p)
                }),
            )
        })
        .map(|p| Arc::new(EventPages(p)))
    }

    // Contacts.

    /// Creates a contact of the customer `customer` (`POST /customers/{id}/contacts`).
    #[uniffi::method(default(idempotency_key = None))]
    pub fn create_contact(
        &self,
        customer: String,
        params: ContactParams,
        idempotency_key: Option<String>,
    ) -> Result<Contact, PivotalError> {
        self.with(|db| {
            db.contacts()
                .create(&customer, params.into_core(), idempotency_key.as_deref())
                .map(Contact::from_core)
        })
    }

    /// The contact with this id or display id (`GET /contacts/{id}`).
    pub fn retrieve_contact(&self, reference: String) -> Result<Contact, PivotalError> {
        self.with(|db| db.contacts().retrieve(&reference).map(Contact::from_core))
    }

    /// Applies a patch (`PATCH /contacts/{id}`). Making a contact primary demotes the previous one.
    pub fn update_contact(
        &self,
        reference: String,
        patch: ContactPatch,
    ) -> Result<Contact, PivotalError> {
        self.with(|db| {
            db.contacts()
                .update(&reference, patch.into_core()?)
                .map(Contact::from_core)
        })
    }

    /// Soft-deletes a contact (`DELETE /contacts/{id}`).
    pub fn delete_contact(&self, reference: String) -> Result<Deleted, PivotalError> {
        self.with(|db| db.contacts().delete(&reference).map(Deleted::from_core))
    }

    /// One page of the customer's contacts, newest first (`GET /customers/{id}/contacts`).
    #[uniffi::method(default(params))]
    pub fn list_contacts(
        &self,
        customer: String,
        params: ListParams,
    ) -> Result<ContactPage, PivotalError> {
        self.with(|db| {
            db.contacts()
                .list(&customer, &params.into_core())
                .map(ContactPage::from_core)
        })
    }

    /// Every contact of the customer, newest first, one page at a time (`next_page()`).
    #[uniffi::method(default(params))]
    pub fn contact_pages(
        &self,
        customer: String,
        params: ListParams,
    ) -> Result<Arc<ContactPages>, PivotalError> {
        let params = params.into_core();
        self.with(|db| {
            Pager::start(
                db,
                Box::new(move |db, cursor| {
                    let mut p = params.clone();
                    p.cursor = cursor.map(str::to_owned).or(p.cursor);
                    db.contacts().list(&customer, &p)
                }),
            )
        })
        .map(|p| Arc::new(ContactPages(p)))
    }

    // Onboardings.

    /// Creates an onboarding (`POST /onboardings`), in any phase (no transition is recorded).
    #[uniffi::method(default(idempotency_key = None))]
    pub fn create_onboarding(
        &self,
        params: OnboardingParams,
        idempotency_key: Option<String>,
    ) -> Result<Onboarding, PivotalError> {
        self.with(|db| {
            db.onboardings()
                .create(params.into_core(), idempotency_key.as_deref())
                .map(Onboarding::from_core)
        })
    }

    /// The onboarding with this id or display id (`GET /onboardings/{id}`).
    pub fn retrieve_onboarding(&self, reference: String) -> Result<Onboarding, PivotalError> {
        self.with(|db| {
            db.onboardings()
                .retrieve(&reference)
                .map(Onboarding::from_core)
        })
    }

    /// Applies a patch under the phase rules and the waiting invariant (`PATCH /onboardings/{id}`).
    pub fn update_onboarding(
        &self,
        reference: String,
        patch: OnboardingPatch,
    ) -> Result<Onboarding, PivotalError> {
        self.with(|db| {
            db.onboardings()
                .update(&reference, patch.into_core()?)
                .map(Onboarding::from_core)
        })
    }

    /// Soft-deletes an onboarding (`DELETE /onboardings/{id}`).
    pub fn delete_onboarding(&self, reference: String) -> Result<Deleted, PivotalError> {
        self.with(|db| db.onboardings().delete(&reference).map(Deleted::from_core))
    }

    /// One page of onboardings, newest first (`GET /onboardings`).
    #[uniffi::method(default(params))]
    pub fn list_onboardings(
        &self,
        params: OnboardingListParams,
    ) -> Result<OnboardingPage, PivotalError> {
        self.with(|db| {
            db.onboardings()
                .list(&params.into_core())
                .map(OnboardingPage::from_core)
        })
    }

    /// Every onboarding matching `params`, newest first, one page at a time (`next_page()`); the
    /// first page is read now, so a bad filter fails here.
    #[uniffi::method(default(params))]
    pub fn onboarding_pages(
        &self,
        params: OnboardingListParams,
    ) -> Result<Arc<OnboardingPages>, PivotalError> {
        let params = params.into_core();
        self.with(|db| {
            Pager::start(
                db,
                Box::new(move |db, cursor| {
                    let mut p = params.clone();
                    p.cursor = cursor.map(str::to_owned).or(p.cursor);
                    db.onboardings().list(&p)
                }),
            )
        })
        .map(|p| Arc::new(OnboardingPages(p)))
    }

    /// All of a customer's onboardings, newest first, in one page (`GET /customers/{id}/onboardings`).
    pub fn list_customer_onboardings(
        &self,
        customer: String,
    ) -> Result<OnboardingPage, PivotalError> {
        self.with(|db| {
            db.onboardings()
                .list_for_customer(&customer)
                .map(OnboardingPage::from_core)
        })
    }

    /// The onboarding's phase transitions, oldest first.
    pub fn onboarding_transitions(
        &self,
        reference: String,
    ) -> Result<Vec<PhaseTransition>, PivotalError> {
        self.with(|db| db.onboardings().transitions(&reference).map(Vec::from_core))
    }

    // The change log.

    /// Events in ascending sequence order, for tailing the change log.
    #[uniffi::method(default(params))]
    pub fn list_events(&self, params: EventListParams) -> Result<EventPage, PivotalError> {
        self.with(|db| {
            db.events()
                .list(&params.into_core())
                .map(EventPage::from_core)
        })
    }

    /// Every event matching `params`, in ascending sequence order, one page at a time
    /// (`next_page()`): a cursor over the change log that a tailing reader can keep calling.
    #[uniffi::method(default(params))]
    pub fn event_pages(&self, params: EventListParams) -> Result<Arc<EventPages>, PivotalError> {
        let params = params.into_core();
        self.with(|db| {
            Pager::start(
                db,
                Box::new(move |db, cursor| {
                    let mut p = params.clone();
                    if let Some(cursor) = cursor {
                        p.after_sequence = Some(after_sequence(cursor)?);
                    }
                    db.events().list(&p)
                }),
            )
        })
        .map(|p| Arc::new(EventPages(p)))
    }

    // Analytics (docs/reference.md#analytics).

    /// The metrics of the onboarding with this id or display id as of `as_of` (default: now, by
    /// the store's clock): elapsed, waiting and SLA time, time in each phase, launch, on-time.
    /// `not_found/onboarding_not_found` for an onboarding that is not visible, or did not exist
    /// yet at `as_of`.
    #[uniffi::method(default(as_of = None))]
    pub fn analytics_onboarding(
        &self,
        reference: String,
        as_of: Option<Timestamp>,
    ) -> Result<OnboardingMetrics, PivotalError> {
        self.with(|db| {
            db.analytics()
                .onboarding(&reference, as_of)
                .map(OnboardingMetrics::from_core)
        })
    }

    /// The report over this session's workspace and mode as of `params.as_of` (default: now):
    /// counts by phase and state, on-time launch rate, median and 90th-percentile days to launch,
    /// overdue, at risk and (with `stalled_after_days`) stalled; filtered by customer, CSM or
    /// template. A customer that is not visible is `not_found/customer_not_found` (field
    /// `customer_id`); a threshold below 0, above 36,500 or not finite is refused (field
    /// `stalled_after_days`).
    #[uniffi::method(default(params))]
    pub fn analytics_workspace(
        &self,
        params: WorkspaceReportParams,
    ) -> Result<WorkspaceReport, PivotalError> {
        self.with(|db| {
            db.analytics()
                .workspace(&params.into_core())
                .map(WorkspaceReport::from_core)
        })
    }

    // Import and export (docs/reference.md#import-and-export).

    /// Imports the API's own JSON — objects, arrays, list envelopes or NDJSON — keeping ids,
    /// display ids and timestamps. Importing the same data again changes nothing; a newer
    /// `updated_at` replaces a record. `on_error` `Stop` (default) throws the first bad item's
    /// error (message `item 3 (line 4): …`, its chunk rolled back); `Skip` lists bad items in the
    /// summary. `chunk_size` items (default 1,000) are written per transaction.
    #[uniffi::method(default(on_error = None, chunk_size = None))]
    pub fn import_json(
        &self,
        json: String,
        on_error: Option<OnError>,
        chunk_size: Option<u32>,
    ) -> Result<ImportSummary, PivotalError> {
        let defaults = pivotal_core::ImportOptions::default();
        let options = pivotal_core::ImportOptions {
            on_error: on_error.unwrap_or_default().into_core(),
            chunk_size: chunk_size.map_or(defaults.chunk_size, |n| n as usize),
            ..defaults
        };
        self.with(|db| {
            db.import_json(json.as_bytes(), &options)
                .map(ImportSummary::from_core)
        })
    }

    /// Every record of `list` (with its filters), as NDJSON (default), one list envelope, or CSV.
    #[uniffi::method(default(format = None))]
    pub fn export_json(
        &self,
        list: ExportList,
        format: Option<ExportFormat>,
    ) -> Result<String, PivotalError> {
        let (list, format) = (list.into_core(), format.unwrap_or_default().into_core());
        self.with(|db| {
            let mut out = Vec::new();
            db.export(&list, format, &mut out)?;
            String::from_utf8(out).map_err(|e| pivotal_core::Error::internal(e.to_string()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::CustomerField;
    use pivotal_core::ErrorCode;

    fn store() -> Arc<PivotalStore> {
        let at = pivotal_core::model::time::parse_instant("2024-01-01T00:00:00Z").unwrap();
        PivotalStore::open_in_memory(Some("t".into()), Some(FixedClock::new(at).unwrap())).unwrap()
    }

    #[test]
    fn create_update_and_close() {
        let db = store();
        let params = CustomerParams {
            name: "Acme".into(),
            domain: Some("acme.com".into()),
            ..Default::default()
        };
        let c = db.create_customer(params, Some("k1".into())).unwrap();
        assert_eq!((c.slug.as_str(), c.display_id), ("acme", 1));
        let patch = CustomerPatch {
            clear: vec![CustomerField::Domain],
            ..Default::default()
        };
        let c = db.update_customer(c.id, patch).unwrap();
        assert_eq!(c.domain, None);
        let test = db.with_livemode(false).unwrap();
        assert!(test
            .list_customers(Default::default())
            .unwrap()
            .data
            .is_empty());
        test.close();
        assert!(db.is_closed());
        assert_eq!(
            db.retrieve_customer("1".into()).unwrap_err().info().code,
            ErrorCode::StoreClosed.as_str()
        );
        assert_eq!(
            db.with_actor("x".into()).unwrap_err().info().code,
            ErrorCode::StoreClosed.as_str()
        );
        db.close();
    }

    #[test]
    fn the_clock_refuses_instants_outside_the_years_1_to_9999() {
        use pivotal_core::model::time::parse_instant;
        let last = parse_instant("9999-12-31T23:59:59.999Z").unwrap();
        let clock = FixedClock::new(last).unwrap();
        for ms in [1, i64::MAX] {
            let e = clock.advance_ms(ms).unwrap_err().info();
            assert_eq!(
                (e.code.as_str(), e.field.as_deref()),
                ("invalid_timestamp", Some("ms"))
            );
            assert_eq!(clock.now(), last);
        }
        let beyond = last + chrono::Duration::milliseconds(1);
        let e = clock.set(beyond).unwrap_err().info();
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("invalid_timestamp", Some("at"))
        );
        assert_eq!(
            FixedClock::new(beyond).unwrap_err().info().code,
            "invalid_timestamp"
        );
        let first = parse_instant("0001-01-01T00:00:00Z").unwrap();
        clock.set(first).unwrap();
        assert!(clock.advance_ms(-1).is_err() && clock.advance_ms(i64::MIN).is_err());
        assert_eq!(clock.now(), first);
        clock.advance_ms(1).unwrap();
        assert_eq!(clock.now(), first + chrono::Duration::milliseconds(1));
    }

    #[test]
    fn path_is_the_file_or_none_in_memory() {
        assert_eq!(store().path(), None);
        assert_eq!(
            PivotalStore::open(":memory:".into(), None, None, None, None)
                .unwrap()
                .path(),
            None
        );
        let dir = std::env::temp_dir().join(format!("pivotal-uniffi-path-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.db").to_string_lossy().into_owned();
        // The largest mmap size a caller can pass is clamped, not an overflow.
        let db = PivotalStore::open(file.clone(), None, None, None, Some(u64::MAX)).unwrap();
        assert_eq!(db.path(), Some(file));
        assert!(db.health().is_ok());
        db.close();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn derived_handles_keep_their_own_session() {
        let db = store();
        let key = db.create_api_key("sync".into()).unwrap();
        let keyed = db.authenticate(key.secret.clone()).unwrap();
        assert_eq!(keyed.session().unwrap().actor, "sync");
        let other = db.create_workspace("Other".into(), None).unwrap();
        let there = db.with_workspace(other.slug.clone()).unwrap();
        assert_eq!(there.me().unwrap().organization, other);
        assert_eq!(there.me().unwrap().api_key, None);
        let e = keyed.with_workspace(other.slug.clone()).unwrap_err();
        assert!(matches!(
            e,
            PivotalError::Permission {
                http_status: 403,
                ..
            }
        ));
        assert_eq!(e.info().code, ErrorCode::PermissionDenied.as_str());
        let e = db.authenticate("pivotal_nope".into()).unwrap_err();
        assert!(matches!(
            e,
            PivotalError::Authentication {
                http_status: 401,
                ..
            }
        ));
        // Releasing a handle releases its session only.
        drop(there);
        assert!(keyed.list_customers(Default::default()).is_ok());
    }
}
