//! Storage: the [`Store`] trait every backend implements, and the backends.
//!
//! A store only persists and queries; every rule lives in the service layer above it. One operation is
//! one call to [`Store::write`]: the closure's changes commit together when it returns `Ok` and are all
//! rolled back when it returns `Err`, in every implementation.

pub mod memory;
#[cfg(feature = "postgres")]
pub mod postgres;
mod report_row;
mod sql_values;
pub mod sqlite;

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;

use crate::analytics::{self, HistoryEntry, NewHistoryEntry, ReportQuery, ReportTotals};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{
    ApiKey, Contact, Customer, CustomerStatus, Event, EventData, EventType, IdKind, Onboarding,
    Phase, PhaseTransition, State, Timestamp, Workspace,
};

pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use sqlite::{Durability, SqliteStore};

/// How deep stored JSON may nest and still be read. Input is limited to
/// [`crate::validate::MAX_NESTING`]; older versions let deeper values in (up to about 130 levels
/// through the bindings), which must stay readable rather than fail every read that meets them.
const STORED_NESTING: usize = 256;

#[cfg(test)]
mod location_tests {
    use super::display_location;

    #[test]
    fn a_url_is_shown_without_its_password() {
        for (target, shown) in [
            ("pivotal.db", "pivotal.db"),
            (
                "postgresql://ada:pw@db:5432/p",
                "postgresql://ada@db:5432/p",
            ),
            (
                "postgres://ada@db/p?sslmode=disable",
                "postgres://ada@db/p?sslmode=disable",
            ),
            (
                "postgresql://db/p?user=ada&password=pw",
                "postgresql://db/p?user=ada",
            ),
            ("postgresql://a:b:c@h/p?password=x", "postgresql://a@h/p"),
        ] {
            assert_eq!(display_location(target), shown);
        }
    }
}

/// Reads JSON the store wrote: at serde_json's default limit (128 levels) first, and a value
/// nested deeper (written by an older version) up to [`STORED_NESTING`] levels, measured before
/// it is parsed so that the recursion stays bounded.
/// The answer to a call through a revoked (or deleted) API key.
pub(crate) fn api_key_revoked() -> Error {
    Error::new(ErrorCode::ApiKeyRevoked, "the API key was revoked")
}

pub(crate) fn read_stored_json<T: serde::de::DeserializeOwned>(
    text: &str,
) -> serde_json::Result<T> {
    match serde_json::from_str(text) {
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            if json_text_nesting(text) > STORED_NESTING {
                return Err(e);
            }
            let mut de = serde_json::Deserializer::from_str(text);
            de.disable_recursion_limit();
            let value = T::deserialize(&mut de)?;
            de.end()?;
            Ok(value)
        }
        result => result,
    }
}

/// The deepest nesting of brackets in JSON text, outside strings.
fn json_text_nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0, false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Whether `target` names a PostgreSQL database (`postgresql://…` or `postgres://…`, opened by
/// the `postgres` feature's store) rather than a SQLite file.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgresql://") || target.starts_with("postgres://")
}

/// `target` for messages and logs: a file path as it is; a PostgreSQL URL without its password.
pub fn display_location(target: &str) -> String {
    if !is_postgres_url(target) {
        return target.to_owned();
    }
    let (scheme, rest) = target.split_once("://").unwrap_or(("", target));
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let tail = redact_password_parameter(tail);
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => format!("{scheme}://{authority}{}", redact_password_parameter(tail)),
    }
}

/// `?…&password=…` with the password left out.
fn redact_password_parameter(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.to_ascii_lowercase().starts_with("password="))
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// The (workspace, mode) pair a session works in. Every record belongs to exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// The workspace's `org_…` id.
    pub workspace_id: String,
    /// Live (`true`) or test (`false`) mode.
    pub livemode: bool,
}

/// Where a list page starts, in the order `created_at` descending, then `id` descending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListCursor {
    /// Records created strictly before this instant.
    OlderThan(Timestamp),
    /// Records strictly after this (created_at, id) position in list order.
    After(Timestamp, String),
}

/// One page request: up to `limit` records after `cursor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Where to start; `None` for the newest record.
    pub cursor: Option<ListCursor>,
    /// How many records at most.
    pub limit: usize,
}

/// Filters of the customers list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFilter {
    /// Only customers with this status.
    pub status: Option<CustomerStatus>,
    /// Only the customer with this slug.
    pub slug: Option<String>,
}

/// Filters of the onboardings list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnboardingFilter {
    /// Only this customer's onboardings (canonical id).
    pub customer_id: Option<String>,
    /// Only onboardings in this phase.
    pub phase: Option<Phase>,
    /// Only onboardings in this state.
    pub state: Option<State>,
}

/// Filters of the event log, read in ascending sequence order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events with a sequence strictly greater than this.
    pub after_sequence: Option<i64>,
    /// Only events of these types (all types when empty).
    pub types: Vec<EventType>,
    /// Only events about this object id.
    pub object_id: Option<String>,
    /// How many events at most.
    pub limit: usize,
}

/// Where a timeline page starts, in descending sequence order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineCursor {
    /// Events created strictly before this instant.
    OlderThan(Timestamp),
    /// Events with a sequence strictly below this one.
    BeforeSequence(i64),
}

/// An event to append; the store assigns its sequence and fills `org_id` and `livemode` from the scope.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// `evt_…`
    pub id: String,
    /// What happened.
    pub event_type: EventType,
    /// The id of the object the event is about.
    pub object_id: String,
    /// The customer the object belongs to (the customer itself for customer events), for timelines.
    pub customer_id: String,
    /// When.
    pub created_at: Timestamp,
    /// Who.
    pub actor: String,
    /// The payload.
    pub data: EventData,
}

/// A remembered create response, keyed by (scope, operation, key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyEntry {
    /// A canonical serialisation of the first request's parameters.
    pub fingerprint: String,
    /// The first response, as JSON text.
    pub response: String,
    /// When the first request was made (entries expire 24 hours later).
    pub created_at: Timestamp,
}

/// An API key as stored: the public record, its workspace and the hash of its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApiKey {
    /// The key's workspace.
    pub workspace_id: String,
    /// The key.
    pub key: ApiKey,
    /// The salted hash of its secret (see [`crate::keys::hash`]).
    pub hash: String,
}

/// The record kinds that get display ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DisplayKind {
    /// Customers.
    Customer,
    /// Contacts.
    Contact,
    /// Onboardings.
    Onboarding,
}

impl DisplayKind {
    /// The name the counter is stored under.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Contact => "contact",
            Self::Onboarding => "onboarding",
        }
    }

    /// The id kind of records of this kind.
    pub fn id_kind(self) -> IdKind {
        match self {
            Self::Customer => IdKind::Customer,
            Self::Contact => IdKind::Contact,
            Self::Onboarding => IdKind::Onboarding,
        }
    }
}

/// The domain-level operations available inside a transaction.
///
/// "Visible" means: not soft-deleted, and (for contacts and onboardings) whose customer is not
/// soft-deleted either. Every method is confined to the given scope; a record of another scope is
/// never returned, counted, changed or deleted. Methods that change a record assume it exists and is
/// visible (the service checked); they return an `internal` error otherwise.
pub trait Tx {
    /// The workspace with this id.
    fn workspace(&mut self, id: &str) -> Result<Option<Workspace>>;
    /// The workspace with this slug.
    fn workspace_by_slug(&mut self, slug: &str) -> Result<Option<Workspace>>;
    /// Adds a workspace.
    fn insert_workspace(&mut self, workspace: &Workspace, created_at: Timestamp) -> Result<()>;
    /// All workspaces, oldest first.
    fn workspaces(&mut self) -> Result<Vec<Workspace>>;
    /// Takes the next display id (1, 2, 3, …) of `kind` in the workspace; never reused, shared by
    /// both modes.
    fn next_display_id(&mut self, workspace_id: &str, kind: DisplayKind) -> Result<i64>;
    /// Moves the display-id counter of `kind` in the workspace to at least `value`, so that every
    /// display id taken afterwards is above it (import). Never moves it back.
    fn raise_display_id(&mut self, workspace_id: &str, kind: DisplayKind, value: i64)
        -> Result<()>;
    /// The record of `kind` that holds `display_id` in the workspace, in either mode, deleted or
    /// not (display ids are never reused): its mode (`livemode`) and id.
    fn display_id_owner(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        display_id: i64,
    ) -> Result<Option<(bool, String)>>;
    /// Whether the scope holds a record of `kind` with this id, visible or not (deleted, or its
    /// customer deleted).
    fn record_exists(&mut self, scope: &Scope, kind: DisplayKind, id: &str) -> Result<bool>;

    /// Adds an API key to the scope's workspace (its mode is `key.livemode`, the scope's mode).
    fn insert_api_key(&mut self, scope: &Scope, key: &ApiKey, hash: &str) -> Result<()>;
    /// The scope's API keys, revoked ones included, oldest first (ties in insertion order).
    fn api_keys(&mut self, scope: &Scope) -> Result<Vec<ApiKey>>;
    /// The scope's API key with this id.
    fn api_key(&mut self, scope: &Scope, id: &str) -> Result<Option<ApiKey>>;
    /// Fails with `api_key_revoked` unless the scope's API key `id` exists and is not revoked:
    /// what every call through a key's session checks first. A store may instead check it with
    /// the transaction's next statement, which then fails in its place (the PostgreSQL store
    /// saves a round trip so); the transaction then fails, whatever the closure makes of it.
    fn require_live_api_key(&mut self, scope: &Scope, id: &str) -> Result<()> {
        match self.api_key(scope, id)? {
            Some(k) if k.revoked_at.is_none() => Ok(()),
            _ => Err(api_key_revoked()),
        }
    }
    /// Marks the scope's API key as revoked at `at` (a no-op for a key already revoked).
    fn revoke_api_key(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()>;
    /// Every stored key, of any workspace and mode, whose display prefix is `prefix`: the
    /// candidates an authentication checks the secret against.
    fn api_keys_by_prefix(&mut self, prefix: &str) -> Result<Vec<StoredApiKey>>;

    /// Adds a customer.
    fn insert_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()>;
    /// Replaces a visible customer's fields (matched by id).
    fn update_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()>;
    /// Soft-deletes a visible customer (its contacts and onboardings become invisible with it).
    fn delete_customer(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()>;
    /// A visible customer by id.
    fn customer(&mut self, scope: &Scope, id: &str) -> Result<Option<Customer>>;
    /// A visible customer by display id.
    fn customer_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Customer>>;
    /// The id of the visible customer with this slug.
    fn customer_id_by_slug(&mut self, scope: &Scope, slug: &str) -> Result<Option<String>>;
    /// One page of visible customers, filtered, newest first.
    fn list_customers(
        &mut self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: &PageRequest,
    ) -> Result<Vec<Customer>>;

    /// Adds a contact.
    fn insert_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()>;
    /// Replaces a visible contact's fields (matched by id).
    fn update_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()>;
    /// Soft-deletes a visible contact.
    fn delete_contact(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()>;
    /// A visible contact by id.
    fn contact(&mut self, scope: &Scope, id: &str) -> Result<Option<Contact>>;
    /// A visible contact by display id.
    fn contact_by_display_id(&mut self, scope: &Scope, display_id: i64) -> Result<Option<Contact>>;
    /// The id of the customer's visible contact with this (already lowercased) email.
    fn contact_id_by_email(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        email: &str,
    ) -> Result<Option<String>>;
    /// The customer's visible primary contact.
    fn primary_contact(&mut self, scope: &Scope, customer_id: &str) -> Result<Option<Contact>>;
    /// One page of the customer's visible contacts, newest first.
    fn list_contacts(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Contact>>;

    /// Adds an onboarding.
    fn insert_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()>;
    /// Replaces a visible onboarding's fields (matched by id).
    fn update_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()>;
    /// Soft-deletes a visible onboarding.
    fn delete_onboarding(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()>;
    /// A visible onboarding by id.
    fn onboarding(&mut self, scope: &Scope, id: &str) -> Result<Option<Onboarding>>;
    /// A visible onboarding by display id.
    fn onboarding_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Onboarding>>;
    /// One page of visible onboardings, filtered, newest first.
    fn list_onboardings(
        &mut self,
        scope: &Scope,
        filter: &OnboardingFilter,
        page: &PageRequest,
    ) -> Result<Vec<Onboarding>>;
    /// All of a customer's visible onboardings, newest first.
    fn customer_onboardings(&mut self, scope: &Scope, customer_id: &str)
        -> Result<Vec<Onboarding>>;

    /// Records a phase transition.
    fn insert_transition(&mut self, scope: &Scope, transition: &PhaseTransition) -> Result<()>;
    /// An onboarding's transitions, oldest first (ties in insertion order).
    fn transitions(&mut self, scope: &Scope, onboarding_id: &str) -> Result<Vec<PhaseTransition>>;

    /// Appends an entry to an onboarding's history (the onboarding must exist in the scope): it
    /// becomes the onboarding's next (`seq` = the number of entries before it, so 0 for the
    /// first), open (`until` = `None`), and the previous newest entry, if any, gets
    /// `until = entry.at`. Returns the stored entry.
    fn append_history(&mut self, scope: &Scope, entry: NewHistoryEntry) -> Result<HistoryEntry>;
    /// An onboarding's history in `seq` order (deleted or not: the caller checks visibility).
    fn onboarding_history(
        &mut self,
        scope: &Scope,
        onboarding_id: &str,
    ) -> Result<Vec<HistoryEntry>>;
    /// The totals of the workspace report over the scope's visible onboardings (docs/reference.md#analytics). Must
    /// equal [`reference_report`], which is the default; a store with a query language computes
    /// them in it, without reading every record out.
    fn onboarding_report(&mut self, scope: &Scope, query: &ReportQuery) -> Result<ReportTotals> {
        reference_report(self, scope, query)
    }

    /// Appends an event, giving it the workspace's next sequence number.
    fn append_event(&mut self, scope: &Scope, event: NewEvent) -> Result<Event>;
    /// Events in ascending sequence order.
    fn list_events(&mut self, scope: &Scope, filter: &EventFilter) -> Result<Vec<Event>>;
    /// Up to `limit` events of a customer and of its contacts and onboardings, newest (highest
    /// sequence) first.
    fn timeline(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        cursor: Option<&TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<Event>>;

    /// The remembered response for an idempotency key, if any (expired or not: the caller decides).
    fn idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
    ) -> Result<Option<IdempotencyEntry>>;
    /// Remembers (or replaces) the response for an idempotency key.
    fn put_idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
        entry: &IdempotencyEntry,
    ) -> Result<()>;
    /// Forgets at most `limit` of the scope's idempotency entries created before `before`, oldest
    /// first; returns how many it forgot.
    fn forget_idempotency_entries(
        &mut self,
        scope: &Scope,
        before: Timestamp,
        limit: usize,
    ) -> Result<usize>;

    /// The problems a full check of the store's storage finds, none when it is sound. The default
    /// finds none: a store without a storage-level check relies on its own invariants.
    fn integrity_problems(&mut self) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// The reference totals of the workspace report: every visible onboarding of the scope (of the
/// customer, when the query names one) and its history read through `tx`, one record at a time,
/// and added up by [`analytics::report::reference`]. The default of [`Tx::onboarding_report`].
pub fn reference_report<T: Tx + ?Sized>(
    tx: &mut T,
    scope: &Scope,
    query: &ReportQuery,
) -> Result<ReportTotals> {
    let filter = OnboardingFilter {
        customer_id: query.customer_id.clone(),
        ..OnboardingFilter::default()
    };
    let everything = PageRequest {
        cursor: None,
        limit: usize::MAX,
    };
    let histories = tx
        .list_onboardings(scope, &filter, &everything)?
        .iter()
        .map(|o| tx.onboarding_history(scope, &o.id))
        .collect::<Result<Vec<_>>>()?;
    Ok(analytics::report::reference(
        histories.iter().map(Vec::as_slice),
        query,
    ))
}

/// A place to keep the domain's records, with closure-scoped transactions.
pub trait Store: Send + Sync {
    /// Runs `f` in a read transaction: it sees one consistent snapshot. Mutating methods may fail.
    fn read(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>;
    /// Runs `f` in a write transaction: commits when it returns `Ok`, rolls everything back on `Err`.
    /// A store may roll back a transaction that lost a conflict with another and run `f` again.
    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>;
    /// The version of the store's schema (0 for stores without one).
    fn schema_version(&self) -> i64;
}

/// Value-returning wrappers over [`Store::read`] and [`Store::write`].
pub trait StoreExt: Store {
    /// Runs `f` in a read transaction and returns its value.
    fn read_with<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        let mut f = Some(f);
        run_returning(
            |tx| {
                let f = f
                    .take()
                    .ok_or_else(|| crate::Error::internal("a read closure ran twice"))?;
                f(tx)
            },
            |g| self.read(g),
        )
    }

    /// Runs `f` in a write transaction and returns its value. A store may run `f` more than once
    /// (the PostgreSQL store re-runs it after a deadlock): the value of the run that committed
    /// is returned.
    fn write_with<R>(&self, f: impl FnMut(&mut dyn Tx) -> Result<R>) -> Result<R> {
        run_returning(f, |g| self.write(g))
    }
}

impl<S: Store + ?Sized> StoreExt for S {}

/// Runs `f` through `run`, keeping the value of its last run.
fn run_returning<R>(
    mut f: impl FnMut(&mut dyn Tx) -> Result<R>,
    run: impl FnOnce(&mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()>,
) -> Result<R> {
    let mut out = None;
    run(&mut |tx| {
        out = Some(f(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| crate::Error::internal("transaction closure did not run"))
}
