//! An in-memory store: the whole state behind one mutex, transactions undone from a journal.
//!
//! Every mutating [`Tx`] method records how to restore what it touched (a row, a counter, an index
//! entry) in the transaction's journal. Commit drops the journal (O(1)); rollback replays it in
//! reverse (O(changes)). The journal is replayed when the transaction handle is dropped uncommitted,
//! so a closure that panics leaves the state as it was before the transaction, and the mutex's
//! poisoning can safely be ignored.

mod idempotency;
mod state;
mod table;

use self::state::{EventRow, Kind, ScopeData, State, Undo};
use self::table::{Key, Row};
use super::{
    CustomerFilter, DisplayKind, EventFilter, IdempotencyEntry, ListCursor, NewEvent,
    OnboardingFilter, PageRequest, Scope, Store, StoredApiKey, TimelineCursor, Tx,
};
use crate::analytics::{self, HistoryEntry, NewHistoryEntry, ReportQuery, ReportTotals};
use crate::error::{Error, Result};
use crate::model::{
    ApiKey, Contact, Customer, Event, Onboarding, PhaseTransition, Timestamp, Workspace,
    API_VERSION,
};
use std::fmt;
use std::ops::Bound;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A [`Store`] kept in memory: fast, isolated, gone when dropped. Its schema version is 0.
///
/// Transactions are serialised by one mutex. A closure must not call back into the same store.
pub struct MemoryStore {
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State::default()),
        }
    }

    /// The state. A panic inside a transaction rolled it back before the lock was released (see
    /// [`MemoryTx`]'s `Drop`), so a poisoned lock still guards a consistent state.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

impl Store for MemoryStore {
    fn read(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut state = self.lock();
        let mut tx = MemoryTx {
            state: &mut state,
            journal: None,
        };
        f(&mut tx)
    }

    fn write(&self, f: &mut dyn FnMut(&mut dyn Tx) -> Result<()>) -> Result<()> {
        let mut state = self.lock();
        let mut tx = MemoryTx {
            state: &mut state,
            journal: Some(Vec::new()),
        };
        let outcome = f(&mut tx);
        if outcome.is_ok() {
            tx.commit();
        }
        outcome
    }

    fn schema_version(&self) -> i64 {
        0
    }
}

/// A transaction over the locked state. Dropped without [`MemoryTx::commit`], it rolls back.
struct MemoryTx<'a> {
    state: &'a mut State,
    /// The undo steps of this transaction, oldest first; `None` in a read transaction.
    journal: Option<Vec<Undo>>,
}

impl MemoryTx<'_> {
    /// Keeps every change: forgets how to undo them.
    fn commit(mut self) {
        self.journal = None;
    }

    /// The state and the journal, or an error in a read transaction.
    fn writable(&mut self) -> Result<(&mut State, &mut Vec<Undo>)> {
        match &mut self.journal {
            Some(journal) => Ok((&mut *self.state, journal)),
            None => Err(Error::internal(
                "a read transaction cannot change the store",
            )),
        }
    }

    fn data(&self, scope: &Scope) -> Option<&ScopeData> {
        self.state.scopes.get(scope)
    }

    fn get<T: Kind>(&self, scope: &Scope, id: &str) -> Option<T> {
        self.data(scope)?.visible::<T>(id).cloned()
    }

    fn get_by_display_id<T: Kind>(&self, scope: &Scope, display_id: i64) -> Option<T> {
        self.data(scope)?
            .visible_by_display_id::<T>(display_id)
            .cloned()
    }

    fn insert<T: Kind>(&mut self, scope: &Scope, record: &T) -> Result<()> {
        let (state, journal) = self.writable()?;
        let id = record.id();
        check_references(state, scope, record)?;
        let table = T::table_mut(state.scopes.entry(scope.clone()).or_default());
        if table.row(id).is_some() {
            return Err(Error::internal(format!("{} {id} already exists", T::NAME)));
        }
        let row = Row {
            record: record.clone(),
            deleted_at: None,
        };
        let previous = table.replace(id, Some(row));
        journal.push(T::undo(scope.clone(), id.to_owned(), previous));
        Ok(())
    }

    fn update<T: Kind>(&mut self, scope: &Scope, record: &T) -> Result<()> {
        let (state, journal) = self.writable()?;
        let id = record.id();
        let table = T::table_mut(visible_scope::<T>(state, scope, id)?);
        let mut updated = record.clone();
        let stored = table.row(id).ok_or_else(|| not_visible(T::NAME, id))?;
        updated.keep_fixed_fields(&stored.record);
        let row = Row {
            record: updated,
            deleted_at: None,
        };
        let previous = table.replace(id, Some(row));
        journal.push(T::undo(scope.clone(), id.to_owned(), previous));
        Ok(())
    }

    fn delete<T: Kind>(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        let (state, journal) = self.writable()?;
        let table = T::table_mut(visible_scope::<T>(state, scope, id)?);
        let record = table
            .row(id)
            .map(|row| row.record.clone())
            .ok_or_else(|| not_visible(T::NAME, id))?;
        let row = Row {
            record,
            deleted_at: Some(at),
        };
        let previous = table.replace(id, Some(row));
        journal.push(T::undo(scope.clone(), id.to_owned(), previous));
        Ok(())
    }
}

impl Drop for MemoryTx<'_> {
    fn drop(&mut self) {
        if let Some(journal) = self.journal.take() {
            for step in journal.into_iter().rev() {
                self.state.undo(step);
            }
        }
    }
}

/// The scope's data, if the record `id` of kind `T` is visible in it.
fn visible_scope<'s, T: Kind>(
    state: &'s mut State,
    scope: &Scope,
    id: &str,
) -> Result<&'s mut ScopeData> {
    state
        .scopes
        .get_mut(scope)
        .filter(|data| data.visible::<T>(id).is_some())
        .ok_or_else(|| not_visible(T::NAME, id))
}

/// A new record's display id must be free in both modes of the workspace, and its customer, if it
/// has one, must exist in the scope.
fn check_references<T: Kind>(state: &State, scope: &Scope, record: &T) -> Result<()> {
    let display_id = record.display_id();
    for livemode in [true, false] {
        let mode = Scope {
            workspace_id: scope.workspace_id.clone(),
            livemode,
        };
        let taken = state
            .scopes
            .get(&mode)
            .is_some_and(|data| T::table(data).display_id_owner(display_id).is_some());
        if taken {
            return Err(Error::internal(format!(
                "{} display id {display_id} is taken",
                T::NAME
            )));
        }
    }
    if let Some(customer_id) = record.parent() {
        let exists = state
            .scopes
            .get(scope)
            .is_some_and(|data| data.customers.row(customer_id).is_some());
        if !exists {
            return Err(Error::internal(format!(
                "customer {customer_id} does not exist"
            )));
        }
    }
    Ok(())
}

fn in_scope(key: &StoredApiKey, scope: &Scope) -> bool {
    key.workspace_id == scope.workspace_id && key.key.livemode == scope.livemode
}

fn not_visible(kind: &str, id: &str) -> Error {
    Error::internal(format!("{kind} {id} does not exist or is not visible"))
}

/// The first `limit` of `records` (already in list order), cloned.
fn page_of<'a, T: Clone + 'a>(records: impl Iterator<Item = &'a T>, limit: usize) -> Vec<T> {
    records.take(limit).cloned().collect()
}

impl Tx for MemoryTx<'_> {
    fn workspace(&mut self, id: &str) -> Result<Option<Workspace>> {
        Ok(self
            .state
            .workspaces
            .iter()
            .find(|(w, _)| w.id == id)
            .map(|(w, _)| w.clone()))
    }

    fn workspace_by_slug(&mut self, slug: &str) -> Result<Option<Workspace>> {
        Ok(self
            .state
            .workspaces
            .iter()
            .find(|(w, _)| w.slug == slug)
            .map(|(w, _)| w.clone()))
    }

    fn insert_workspace(&mut self, workspace: &Workspace, created_at: Timestamp) -> Result<()> {
        let (state, journal) = self.writable()?;
        if let Some((taken, _)) = state
            .workspaces
            .iter()
            .find(|(w, _)| w.id == workspace.id || w.slug == workspace.slug)
        {
            return Err(Error::internal(format!(
                "workspace {} ({}) clashes with workspace {} ({})",
                workspace.id, workspace.slug, taken.id, taken.slug
            )));
        }
        let at = state.workspaces.partition_point(|(_, t)| *t <= created_at);
        state.workspaces.insert(at, (workspace.clone(), created_at));
        journal.push(Undo::Workspace(workspace.id.clone()));
        Ok(())
    }

    fn workspaces(&mut self) -> Result<Vec<Workspace>> {
        Ok(self
            .state
            .workspaces
            .iter()
            .map(|(w, _)| w.clone())
            .collect())
    }

    fn next_display_id(&mut self, workspace_id: &str, kind: DisplayKind) -> Result<i64> {
        let (state, journal) = self.writable()?;
        let key = (workspace_id.to_owned(), kind);
        let previous = state.display_ids.get(&key).copied();
        let next = previous
            .unwrap_or(0)
            .checked_add(1)
            .ok_or_else(|| Error::internal("display ids exhausted"))?;
        state.display_ids.insert(key.clone(), next);
        journal.push(Undo::DisplayId(key.0, kind, previous));
        Ok(next)
    }

    fn raise_display_id(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        value: i64,
    ) -> Result<()> {
        let (state, journal) = self.writable()?;
        let key = (workspace_id.to_owned(), kind);
        let previous = state.display_ids.get(&key).copied();
        if previous.is_some_and(|current| current >= value) {
            return Ok(());
        }
        state.display_ids.insert(key.clone(), value);
        journal.push(Undo::DisplayId(key.0, kind, previous));
        Ok(())
    }

    fn display_id_owner(
        &mut self,
        workspace_id: &str,
        kind: DisplayKind,
        display_id: i64,
    ) -> Result<Option<(bool, String)>> {
        for livemode in [true, false] {
            let scope = Scope {
                workspace_id: workspace_id.to_owned(),
                livemode,
            };
            let Some(data) = self.data(&scope) else {
                continue;
            };
            let owner = match kind {
                DisplayKind::Customer => data.customers.display_id_owner(display_id),
                DisplayKind::Contact => data.contacts.display_id_owner(display_id),
                DisplayKind::Onboarding => data.onboardings.display_id_owner(display_id),
            };
            if let Some(id) = owner {
                return Ok(Some((livemode, id.to_owned())));
            }
        }
        Ok(None)
    }

    fn record_exists(&mut self, scope: &Scope, kind: DisplayKind, id: &str) -> Result<bool> {
        Ok(self.data(scope).is_some_and(|data| match kind {
            DisplayKind::Customer => data.customers.row(id).is_some(),
            DisplayKind::Contact => data.contacts.row(id).is_some(),
            DisplayKind::Onboarding => data.onboardings.row(id).is_some(),
        }))
    }

    fn insert_api_key(&mut self, scope: &Scope, key: &ApiKey, hash: &str) -> Result<()> {
        let (state, journal) = self.writable()?;
        if state.api_keys.iter().any(|k| k.key.id == key.id) {
            return Err(Error::internal(format!("api key {} exists", key.id)));
        }
        if !state
            .workspaces
            .iter()
            .any(|(w, _)| w.id == scope.workspace_id)
        {
            return Err(Error::internal(format!(
                "no workspace {}",
                scope.workspace_id
            )));
        }
        state.api_keys.push(StoredApiKey {
            workspace_id: scope.workspace_id.clone(),
            key: ApiKey {
                livemode: scope.livemode,
                ..key.clone()
            },
            hash: hash.to_owned(),
        });
        journal.push(Undo::ApiKey(key.id.clone()));
        Ok(())
    }

    fn api_keys(&mut self, scope: &Scope) -> Result<Vec<ApiKey>> {
        let mut keys: Vec<ApiKey> = self
            .state
            .api_keys
            .iter()
            .filter(|k| in_scope(k, scope))
            .map(|k| k.key.clone())
            .collect();
        keys.sort_by_key(|k| k.created_at);
        Ok(keys)
    }

    fn api_key(&mut self, scope: &Scope, id: &str) -> Result<Option<ApiKey>> {
        Ok(self
            .state
            .api_keys
            .iter()
            .find(|k| k.key.id == id && in_scope(k, scope))
            .map(|k| k.key.clone()))
    }

    fn revoke_api_key(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        let (state, journal) = self.writable()?;
        let stored = state
            .api_keys
            .iter_mut()
            .find(|k| k.key.id == id && in_scope(k, scope))
            .ok_or_else(|| Error::internal(format!("api key {id} does not exist")))?;
        journal.push(Undo::ApiKeyRevocation(id.to_owned(), stored.key.revoked_at));
        stored.key.revoked_at.get_or_insert(at);
        Ok(())
    }

    fn api_keys_by_prefix(&mut self, prefix: &str) -> Result<Vec<StoredApiKey>> {
        Ok(self
            .state
            .api_keys
            .iter()
            .filter(|k| k.key.prefix == prefix)
            .cloned()
            .collect())
    }

    fn insert_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()> {
        self.insert(scope, customer)
    }

    fn update_customer(&mut self, scope: &Scope, customer: &Customer) -> Result<()> {
        self.update(scope, customer)
    }

    fn delete_customer(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.delete::<Customer>(scope, id, at)
    }

    fn customer(&mut self, scope: &Scope, id: &str) -> Result<Option<Customer>> {
        Ok(self.get(scope, id))
    }

    fn customer_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Customer>> {
        Ok(self.get_by_display_id(scope, display_id))
    }

    fn customer_id_by_slug(&mut self, scope: &Scope, slug: &str) -> Result<Option<String>> {
        let Some(data) = self.data(scope) else {
            return Ok(None);
        };
        Ok(data
            .customers
            .scan(Some(&Key::Slug(slug.to_owned())), None)
            .next()
            .map(|c| c.id.clone()))
    }

    fn list_customers(
        &mut self,
        scope: &Scope,
        filter: &CustomerFilter,
        page: &PageRequest,
    ) -> Result<Vec<Customer>> {
        let Some(data) = self.data(scope) else {
            return Ok(Vec::new());
        };
        let key = match (&filter.slug, filter.status) {
            (Some(slug), _) => Some(Key::Slug(slug.clone())),
            (None, Some(status)) => Some(Key::Status(status)),
            (None, None) => None,
        };
        let matching = data
            .customers
            .scan(key.as_ref(), page.cursor.as_ref())
            .filter(|c| {
                filter.status.is_none_or(|s| c.status == s)
                    && filter.slug.as_ref().is_none_or(|s| c.slug == *s)
            });
        Ok(page_of(matching, page.limit))
    }

    fn insert_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()> {
        self.insert(scope, contact)
    }

    fn update_contact(&mut self, scope: &Scope, contact: &Contact) -> Result<()> {
        self.update(scope, contact)
    }

    fn delete_contact(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.delete::<Contact>(scope, id, at)
    }

    fn contact(&mut self, scope: &Scope, id: &str) -> Result<Option<Contact>> {
        Ok(self.get(scope, id))
    }

    fn contact_by_display_id(&mut self, scope: &Scope, display_id: i64) -> Result<Option<Contact>> {
        Ok(self.get_by_display_id(scope, display_id))
    }

    fn contact_id_by_email(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        email: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .customer_contacts(scope, customer_id, None)
            .find(|c| c.email == email)
            .map(|c| c.id.clone()))
    }

    fn primary_contact(&mut self, scope: &Scope, customer_id: &str) -> Result<Option<Contact>> {
        Ok(self
            .customer_contacts(scope, customer_id, None)
            .find(|c| c.is_primary)
            .cloned())
    }

    fn list_contacts(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        page: &PageRequest,
    ) -> Result<Vec<Contact>> {
        let contacts = self.customer_contacts(scope, customer_id, page.cursor.as_ref());
        Ok(page_of(contacts, page.limit))
    }

    fn insert_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()> {
        self.insert(scope, onboarding)
    }

    fn update_onboarding(&mut self, scope: &Scope, onboarding: &Onboarding) -> Result<()> {
        self.update(scope, onboarding)
    }

    fn delete_onboarding(&mut self, scope: &Scope, id: &str, at: Timestamp) -> Result<()> {
        self.delete::<Onboarding>(scope, id, at)
    }

    fn onboarding(&mut self, scope: &Scope, id: &str) -> Result<Option<Onboarding>> {
        Ok(self.get(scope, id))
    }

    fn onboarding_by_display_id(
        &mut self,
        scope: &Scope,
        display_id: i64,
    ) -> Result<Option<Onboarding>> {
        Ok(self.get_by_display_id(scope, display_id))
    }

    fn list_onboardings(
        &mut self,
        scope: &Scope,
        filter: &OnboardingFilter,
        page: &PageRequest,
    ) -> Result<Vec<Onboarding>> {
        let Some(data) = self.data(scope) else {
            return Ok(Vec::new());
        };
        let key = match (&filter.customer_id, filter.phase, filter.state) {
            (Some(customer_id), _, _) => Some(Key::Customer(customer_id.clone())),
            (None, Some(phase), _) => Some(Key::Phase(phase)),
            (None, None, Some(state)) => Some(Key::State(state)),
            (None, None, None) => None,
        };
        let matching = data
            .onboardings
            .scan(key.as_ref(), page.cursor.as_ref())
            .filter(|o| {
                filter
                    .customer_id
                    .as_ref()
                    .is_none_or(|c| o.customer_id == *c)
                    && filter.phase.is_none_or(|p| o.phase == p)
                    && filter.state.is_none_or(|s| o.state == s)
                    && data.customer_visible(&o.customer_id)
            });
        Ok(page_of(matching, page.limit))
    }

    fn customer_onboardings(
        &mut self,
        scope: &Scope,
        customer_id: &str,
    ) -> Result<Vec<Onboarding>> {
        let Some(data) = self
            .data(scope)
            .filter(|data| data.customer_visible(customer_id))
        else {
            return Ok(Vec::new());
        };
        let key = Key::Customer(customer_id.to_owned());
        Ok(data.onboardings.scan(Some(&key), None).cloned().collect())
    }

    fn insert_transition(&mut self, scope: &Scope, transition: &PhaseTransition) -> Result<()> {
        let (state, journal) = self.writable()?;
        let data = state
            .scopes
            .get_mut(scope)
            .filter(|data| data.onboardings.row(&transition.onboarding_id).is_some())
            .ok_or_else(|| {
                Error::internal(format!(
                    "onboarding {} does not exist",
                    transition.onboarding_id
                ))
            })?;
        let list = data
            .transitions
            .entry(transition.onboarding_id.clone())
            .or_default();
        let at = list.partition_point(|t| t.created_at <= transition.created_at);
        list.insert(at, transition.clone());
        journal.push(Undo::Transition(
            scope.clone(),
            transition.onboarding_id.clone(),
            at,
        ));
        Ok(())
    }

    fn transitions(&mut self, scope: &Scope, onboarding_id: &str) -> Result<Vec<PhaseTransition>> {
        Ok(self
            .data(scope)
            .and_then(|data| data.transitions.get(onboarding_id))
            .cloned()
            .unwrap_or_default())
    }

    fn append_history(&mut self, scope: &Scope, entry: NewHistoryEntry) -> Result<HistoryEntry> {
        let (state, journal) = self.writable()?;
        let data = state
            .scopes
            .get_mut(scope)
            .filter(|data| data.onboardings.row(&entry.onboarding_id).is_some())
            .ok_or_else(|| {
                Error::internal(format!("onboarding {} does not exist", entry.onboarding_id))
            })?;
        let list = data.history.entry(entry.onboarding_id.clone()).or_default();
        let at = entry.at;
        let stored = HistoryEntry::new(entry, list.len() as i64);
        let reopened = list
            .last_mut()
            .and_then(|previous| previous.until.replace(at));
        list.push(stored.clone());
        journal.push(Undo::History(
            scope.clone(),
            stored.onboarding_id.clone(),
            reopened,
        ));
        Ok(stored)
    }

    fn onboarding_history(
        &mut self,
        scope: &Scope,
        onboarding_id: &str,
    ) -> Result<Vec<HistoryEntry>> {
        Ok(self
            .data(scope)
            .and_then(|data| data.history.get(onboarding_id))
            .cloned()
            .unwrap_or_default())
    }

    /// [`analytics::report::reference`] over the stored rows in place: no record is copied.
    fn onboarding_report(&mut self, scope: &Scope, query: &ReportQuery) -> Result<ReportTotals> {
        let key = query.customer_id.clone().map(Key::Customer);
        let histories = self.data(scope).into_iter().flat_map(|data| {
            data.onboardings
                .scan(key.as_ref(), None)
                .filter(move |o| data.customer_visible(&o.customer_id))
                .map(move |o| data.history.get(&o.id).map_or(&[][..], Vec::as_slice))
        });
        Ok(analytics::report::reference(histories, query))
    }

    fn append_event(&mut self, scope: &Scope, event: NewEvent) -> Result<Event> {
        let (state, journal) = self.writable()?;
        let previous = state.sequences.get(&scope.workspace_id).copied();
        let sequence = previous
            .unwrap_or(0)
            .checked_add(1)
            .ok_or_else(|| Error::internal("event sequences exhausted"))?;
        state.sequences.insert(scope.workspace_id.clone(), sequence);
        journal.push(Undo::Sequence(scope.workspace_id.clone(), previous));
        let stored = Event {
            id: event.id,
            sequence,
            event_type: event.event_type,
            created_at: event.created_at,
            org_id: scope.workspace_id.clone(),
            livemode: scope.livemode,
            api_version: API_VERSION.to_owned(),
            actor: event.actor,
            data: event.data,
        };
        let data = state.scopes.entry(scope.clone()).or_default();
        data.insert_event(EventRow {
            event: stored.clone(),
            object_id: event.object_id,
            customer_id: event.customer_id,
        });
        journal.push(Undo::Event(scope.clone(), sequence));
        Ok(stored)
    }

    fn list_events(&mut self, scope: &Scope, filter: &EventFilter) -> Result<Vec<Event>> {
        let Some(data) = self.data(scope) else {
            return Ok(Vec::new());
        };
        let range = (
            filter
                .after_sequence
                .map_or(Bound::Unbounded, Bound::Excluded),
            Bound::Unbounded,
        );
        let rows: Box<dyn Iterator<Item = &EventRow>> = match &filter.object_id {
            Some(object_id) => Box::new(
                data.events_by_object
                    .get(object_id)
                    .map(|set| set.range(range))
                    .into_iter()
                    .flatten()
                    .filter_map(|sequence| data.events.get(sequence)),
            ),
            None => Box::new(data.events.range(range).map(|(_, row)| row)),
        };
        Ok(rows
            .map(|row| &row.event)
            .filter(|e| filter.types.is_empty() || filter.types.contains(&e.event_type))
            .take(filter.limit)
            .cloned()
            .collect())
    }

    fn timeline(
        &mut self,
        scope: &Scope,
        customer_id: &str,
        cursor: Option<&TimelineCursor>,
        limit: usize,
    ) -> Result<Vec<Event>> {
        let Some(data) = self.data(scope) else {
            return Ok(Vec::new());
        };
        let Some(sequences) = data.events_by_customer.get(customer_id) else {
            return Ok(Vec::new());
        };
        let (upper, before) = match cursor {
            None => (Bound::Unbounded, None),
            Some(TimelineCursor::BeforeSequence(s)) => (Bound::Excluded(*s), None),
            Some(TimelineCursor::OlderThan(t)) => (Bound::Unbounded, Some(*t)),
        };
        Ok(sequences
            .range((Bound::Unbounded, upper))
            .rev()
            .filter_map(|sequence| data.events.get(sequence))
            .map(|row| &row.event)
            .filter(|e| before.is_none_or(|t| e.created_at < t))
            .take(limit)
            .cloned()
            .collect())
    }

    fn idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
    ) -> Result<Option<IdempotencyEntry>> {
        Ok(self
            .data(scope)
            .and_then(|data| {
                data.idempotency
                    .get(&(operation.to_owned(), key.to_owned()))
            })
            .cloned())
    }

    fn put_idempotency_entry(
        &mut self,
        scope: &Scope,
        operation: &str,
        key: &str,
        entry: &IdempotencyEntry,
    ) -> Result<()> {
        let (state, journal) = self.writable()?;
        let data = state.scopes.entry(scope.clone()).or_default();
        let key = (operation.to_owned(), key.to_owned());
        let previous = data.idempotency.set(key.clone(), Some(entry.clone()));
        journal.push(Undo::Idempotency(scope.clone(), key, previous));
        Ok(())
    }

    fn forget_idempotency_entries(
        &mut self,
        scope: &Scope,
        before: Timestamp,
        limit: usize,
    ) -> Result<usize> {
        let (state, journal) = self.writable()?;
        let Some(data) = state.scopes.get_mut(scope) else {
            return Ok(0);
        };
        let keys = data.idempotency.created_before(before, limit);
        for key in &keys {
            let previous = data.idempotency.set(key.clone(), None);
            journal.push(Undo::Idempotency(scope.clone(), key.clone(), previous));
        }
        Ok(keys.len())
    }
}

impl MemoryTx<'_> {
    /// The customer's visible contacts in list order after `cursor` (none if the customer is not
    /// visible).
    fn customer_contacts<'a>(
        &'a self,
        scope: &Scope,
        customer_id: &str,
        cursor: Option<&ListCursor>,
    ) -> impl Iterator<Item = &'a Contact> + 'a {
        let key = Key::Customer(customer_id.to_owned());
        self.data(scope)
            .filter(|data| data.customer_visible(customer_id))
            .map(|data| data.contacts.scan(Some(&key), cursor))
            .into_iter()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::model::CustomerStatus;
    use crate::store::conformance::fixtures::{at, bare_customer, live};
    use crate::store::StoreExt;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::time::Instant;

    crate::store_conformance_tests!(|| MemoryStore::new());

    fn scope() -> Scope {
        live("org_memory")
    }

    /// Customer `n`, of one of seven instants and of every status in turn.
    fn customer(n: usize) -> Customer {
        let created = at(1_700_000_000_000 + (n % 7) as i64);
        Customer {
            status: CustomerStatus::ALL[n % CustomerStatus::ALL.len()],
            ..bare_customer(&format!("cus_{n:020}"), n as i64 + 1, created)
        }
    }

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<MemoryStore>();
    }

    #[test]
    fn mutations_in_a_read_transaction_are_internal_errors() {
        let store = MemoryStore::new();
        let outcome = store.read_with(|tx| tx.next_display_id("org_memory", DisplayKind::Customer));
        assert_eq!(outcome.map_err(|e| e.code), Err(ErrorCode::Internal));
    }

    #[test]
    fn a_panicking_transaction_is_rolled_back_and_the_store_still_works() {
        let store = MemoryStore::new();
        let panicked = catch_unwind(AssertUnwindSafe(|| {
            store.write(&mut |tx| {
                tx.next_display_id("org_memory", DisplayKind::Customer)?;
                tx.insert_customer(&scope(), &customer(0))?;
                panic!("the closure panics halfway");
            })
        }));
        assert!(panicked.is_err());
        assert!(store.state.is_poisoned());
        let next = store.write_with(|tx| tx.next_display_id("org_memory", DisplayKind::Customer));
        assert_eq!(next, Ok(1));
        let found = store.read_with(|tx| tx.customer(&scope(), &customer(0).id));
        assert_eq!(found, Ok(None));
    }

    /// Rolling back and committing cost in proportion to the transaction, not to the store.
    #[test]
    fn transactions_stay_cheap_in_a_large_store() {
        let store = MemoryStore::new();
        let n = 100_000;
        let started = Instant::now();
        let loaded = store.write_with(|tx| {
            for i in 0..n {
                tx.insert_customer(&scope(), &customer(i))?;
            }
            Ok(())
        });
        assert_eq!(loaded, Ok(()));
        let load_time = started.elapsed();

        let started = Instant::now();
        for i in 0..1_000 {
            let outcome = store.write_with(|tx| {
                let mut c = customer(i);
                c.name = "changed".to_owned();
                tx.update_customer(&scope(), &c)?;
                tx.insert_customer(&scope(), &customer(n + i))?;
                Err::<(), _>(Error::internal("roll back"))
            });
            assert!(outcome.is_err());
            let page = PageRequest {
                cursor: None,
                limit: 20,
            };
            let listed = store
                .read_with(|tx| tx.list_customers(&scope(), &CustomerFilter::default(), &page));
            assert_eq!(listed.map(|l| l.len()), Ok(20));
        }
        let small_time = started.elapsed();
        // Copying the state per transaction would make each of these cost about as much as the load.
        assert!(
            small_time < load_time,
            "1000 small transactions took {small_time:?}, loading {n} records {load_time:?}"
        );
        assert_eq!(
            store.read_with(|tx| tx.customer(&scope(), &customer(0).id)),
            Ok(Some(customer(0)))
        );
        assert_eq!(
            store.read_with(|tx| tx.customer(&scope(), &customer(n).id)),
            Ok(None)
        );
    }
}
