//! Everything the in-memory store holds, and the undo journal that takes a transaction back out.

use super::idempotency::{Idempotency, IdempotencyKey};
use super::table::{Record, Row, Table};
use crate::analytics::HistoryEntry;
use crate::model::{Contact, Customer, Event, Onboarding, PhaseTransition, Timestamp, Workspace};
use crate::store::{DisplayKind, IdempotencyEntry, Scope, StoredApiKey};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An appended event, with the object it is about and the customer it is filed under.
#[derive(Debug, Clone)]
pub(super) struct EventRow {
    pub(super) event: Event,
    pub(super) object_id: String,
    pub(super) customer_id: String,
}

/// The records of one (workspace, mode) pair.
#[derive(Debug, Default)]
pub(super) struct ScopeData {
    pub(super) customers: Table<Customer>,
    pub(super) contacts: Table<Contact>,
    pub(super) onboardings: Table<Onboarding>,
    /// Per onboarding, oldest first, ties in insertion order.
    pub(super) transitions: HashMap<String, Vec<PhaseTransition>>,
    /// Per onboarding, in `seq` order (the index in the list is the `seq`).
    pub(super) history: HashMap<String, Vec<HistoryEntry>>,
    /// By sequence.
    pub(super) events: BTreeMap<i64, EventRow>,
    pub(super) events_by_customer: HashMap<String, BTreeSet<i64>>,
    pub(super) events_by_object: HashMap<String, BTreeSet<i64>>,
    pub(super) idempotency: Idempotency,
}

impl ScopeData {
    /// Whether the customer exists and is not deleted.
    pub(super) fn customer_visible(&self, id: &str) -> bool {
        self.customers
            .row(id)
            .is_some_and(|row| row.deleted_at.is_none())
    }

    /// Whether the row is not deleted and neither is its customer.
    pub(super) fn row_visible<T: Kind>(&self, row: &Row<T>) -> bool {
        row.deleted_at.is_none()
            && row
                .record
                .parent()
                .is_none_or(|customer| self.customer_visible(customer))
    }

    /// The visible record with this id.
    pub(super) fn visible<T: Kind>(&self, id: &str) -> Option<&T> {
        T::table(self)
            .row(id)
            .filter(|row| self.row_visible(*row))
            .map(|row| &row.record)
    }

    /// The visible record with this display id.
    pub(super) fn visible_by_display_id<T: Kind>(&self, display_id: i64) -> Option<&T> {
        T::table(self)
            .row_by_display_id(display_id)
            .filter(|row| self.row_visible(*row))
            .map(|row| &row.record)
    }

    pub(super) fn insert_event(&mut self, row: EventRow) {
        let sequence = row.event.sequence;
        self.events_by_customer
            .entry(row.customer_id.clone())
            .or_default()
            .insert(sequence);
        self.events_by_object
            .entry(row.object_id.clone())
            .or_default()
            .insert(sequence);
        self.events.insert(sequence, row);
    }

    fn remove_event(&mut self, sequence: i64) {
        let Some(row) = self.events.remove(&sequence) else {
            return;
        };
        remove_from(&mut self.events_by_customer, &row.customer_id, sequence);
        remove_from(&mut self.events_by_object, &row.object_id, sequence);
    }

    /// Takes back the newest history entry of the onboarding and reopens the one before it
    /// (giving back the `until` it had).
    fn remove_history_entry(&mut self, onboarding_id: &str, until: Option<Timestamp>) {
        let Some(list) = self.history.get_mut(onboarding_id) else {
            return;
        };
        list.pop();
        match list.last_mut() {
            Some(previous) => previous.until = until,
            None => {
                self.history.remove(onboarding_id);
            }
        }
    }

    fn remove_transition(&mut self, onboarding_id: &str, index: usize) {
        let Some(list) = self.transitions.get_mut(onboarding_id) else {
            return;
        };
        if index < list.len() {
            list.remove(index);
        }
        if list.is_empty() {
            self.transitions.remove(onboarding_id);
        }
    }
}

fn remove_from(index: &mut HashMap<String, BTreeSet<i64>>, key: &str, sequence: i64) {
    if let Some(set) = index.get_mut(key) {
        set.remove(&sequence);
        if set.is_empty() {
            index.remove(key);
        }
    }
}

/// The three record kinds, each with its table and its undo step.
pub(super) trait Kind: Record {
    /// How the kind is named in error messages.
    const NAME: &'static str;
    fn table(data: &ScopeData) -> &Table<Self>;
    fn table_mut(data: &mut ScopeData) -> &mut Table<Self>;
    /// The step that puts `previous` back under `id`.
    fn undo(scope: Scope, id: String, previous: Option<Row<Self>>) -> Undo;
}

impl Kind for Customer {
    const NAME: &'static str = "customer";
    fn table(data: &ScopeData) -> &Table<Self> {
        &data.customers
    }
    fn table_mut(data: &mut ScopeData) -> &mut Table<Self> {
        &mut data.customers
    }
    fn undo(scope: Scope, id: String, previous: Option<Row<Self>>) -> Undo {
        Undo::Customer(scope, id, previous)
    }
}

impl Kind for Contact {
    const NAME: &'static str = "contact";
    fn table(data: &ScopeData) -> &Table<Self> {
        &data.contacts
    }
    fn table_mut(data: &mut ScopeData) -> &mut Table<Self> {
        &mut data.contacts
    }
    fn undo(scope: Scope, id: String, previous: Option<Row<Self>>) -> Undo {
        Undo::Contact(scope, id, previous)
    }
}

impl Kind for Onboarding {
    const NAME: &'static str = "onboarding";
    fn table(data: &ScopeData) -> &Table<Self> {
        &data.onboardings
    }
    fn table_mut(data: &mut ScopeData) -> &mut Table<Self> {
        &mut data.onboardings
    }
    fn undo(scope: Scope, id: String, previous: Option<Row<Self>>) -> Undo {
        Undo::Onboarding(scope, id, previous)
    }
}

/// The whole store.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Oldest first, ties in insertion order.
    pub(super) workspaces: Vec<(Workspace, Timestamp)>,
    /// The last display id taken, per (workspace, kind).
    pub(super) display_ids: HashMap<(String, DisplayKind), i64>,
    /// The last event sequence taken, per workspace.
    pub(super) sequences: HashMap<String, i64>,
    pub(super) scopes: HashMap<Scope, ScopeData>,
    /// Every API key, in insertion order.
    pub(super) api_keys: Vec<StoredApiKey>,
}

/// One step of the undo journal: how to restore what a mutation changed.
#[derive(Debug)]
pub(super) enum Undo {
    /// Remove the workspace with this id.
    Workspace(String),
    /// Remove the API key with this id.
    ApiKey(String),
    /// Restore the revocation time of the API key with this id.
    ApiKeyRevocation(String, Option<Timestamp>),
    /// Restore a display-id counter.
    DisplayId(String, DisplayKind, Option<i64>),
    /// Restore an event-sequence counter.
    Sequence(String, Option<i64>),
    /// Put back a customer row (or nothing).
    Customer(Scope, String, Option<Row<Customer>>),
    /// Put back a contact row (or nothing).
    Contact(Scope, String, Option<Row<Contact>>),
    /// Put back an onboarding row (or nothing).
    Onboarding(Scope, String, Option<Row<Onboarding>>),
    /// Remove the transition at this index of the onboarding's list.
    Transition(Scope, String, usize),
    /// Remove the onboarding's newest history entry; give the one before it this `until`.
    History(Scope, String, Option<Timestamp>),
    /// Remove the event with this sequence.
    Event(Scope, i64),
    /// Put back an idempotency entry (or nothing).
    Idempotency(Scope, IdempotencyKey, Option<IdempotencyEntry>),
}

impl State {
    /// Takes back one step. Steps must be undone in reverse order of their recording.
    pub(super) fn undo(&mut self, step: Undo) {
        match step {
            Undo::Workspace(id) => self.workspaces.retain(|(w, _)| w.id != id),
            Undo::ApiKey(id) => self.api_keys.retain(|k| k.key.id != id),
            Undo::ApiKeyRevocation(id, previous) => {
                if let Some(stored) = self.api_keys.iter_mut().find(|k| k.key.id == id) {
                    stored.key.revoked_at = previous;
                }
            }
            Undo::DisplayId(workspace, kind, previous) => {
                restore(&mut self.display_ids, (workspace, kind), previous)
            }
            Undo::Sequence(workspace, previous) => {
                restore(&mut self.sequences, workspace, previous)
            }
            Undo::Customer(scope, id, previous) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.customers.replace(&id, previous);
                }
            }
            Undo::Contact(scope, id, previous) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.contacts.replace(&id, previous);
                }
            }
            Undo::Onboarding(scope, id, previous) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.onboardings.replace(&id, previous);
                }
            }
            Undo::Transition(scope, onboarding_id, index) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.remove_transition(&onboarding_id, index);
                }
            }
            Undo::History(scope, onboarding_id, until) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.remove_history_entry(&onboarding_id, until);
                }
            }
            Undo::Event(scope, sequence) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.remove_event(sequence);
                }
            }
            Undo::Idempotency(scope, key, previous) => {
                if let Some(data) = self.scopes.get_mut(&scope) {
                    data.idempotency.set(key, previous);
                }
            }
        }
    }
}

fn restore<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, previous: Option<V>) {
    match previous {
        Some(value) => map.insert(key, value),
        None => map.remove(&key),
    };
}
