//! One table of records (customers, contacts or onboardings) of one scope, with its indexes.

use crate::model::{Contact, Customer, CustomerStatus, Onboarding, Phase, State, Timestamp};
use crate::store::ListCursor;
use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

/// A record's place in list order: sorted ascending, read backwards.
pub(super) type Pos = (Timestamp, String);

/// A secondary index key: what the lists filter on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Status(CustomerStatus),
    Slug(String),
    Customer(String),
    Phase(Phase),
    State(State),
}

/// What a table needs to know about the records it holds.
pub(super) trait Record: Clone {
    fn id(&self) -> &str;
    fn display_id(&self) -> i64;
    fn created_at(&self) -> Timestamp;
    /// The parent customer's id, for records hidden with their customer.
    fn parent(&self) -> Option<&str>;
    /// The secondary index keys of the record.
    fn keys(&self) -> Vec<Key>;
    /// Takes from `stored` the fields an update never changes: display id, creation time, parent.
    fn keep_fixed_fields(&mut self, stored: &Self);

    fn pos(&self) -> Pos {
        (self.created_at(), self.id().to_owned())
    }
}

impl Record for Customer {
    fn id(&self) -> &str {
        &self.id
    }
    fn display_id(&self) -> i64 {
        self.display_id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn parent(&self) -> Option<&str> {
        None
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::Status(self.status), Key::Slug(self.slug.clone())]
    }
    fn keep_fixed_fields(&mut self, stored: &Self) {
        self.display_id = stored.display_id;
        self.created_at = stored.created_at;
    }
}

impl Record for Contact {
    fn id(&self) -> &str {
        &self.id
    }
    fn display_id(&self) -> i64 {
        self.display_id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.customer_id)
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::Customer(self.customer_id.clone())]
    }
    fn keep_fixed_fields(&mut self, stored: &Self) {
        self.display_id = stored.display_id;
        self.created_at = stored.created_at;
        self.customer_id.clone_from(&stored.customer_id);
    }
}

impl Record for Onboarding {
    fn id(&self) -> &str {
        &self.id
    }
    fn display_id(&self) -> i64 {
        self.display_id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn parent(&self) -> Option<&str> {
        Some(&self.customer_id)
    }
    fn keys(&self) -> Vec<Key> {
        vec![
            Key::Customer(self.customer_id.clone()),
            Key::Phase(self.phase),
            Key::State(self.state),
        ]
    }
    fn keep_fixed_fields(&mut self, stored: &Self) {
        self.display_id = stored.display_id;
        self.created_at = stored.created_at;
        self.customer_id.clone_from(&stored.customer_id);
    }
}

/// A stored record and its soft-deletion time.
#[derive(Debug, Clone)]
pub(super) struct Row<T> {
    pub(super) record: T,
    pub(super) deleted_at: Option<Timestamp>,
}

/// The rows of one kind in one scope. Every row (deleted or not) is in `rows` and `by_display`;
/// only non-deleted rows are in the ordered indexes, so lists never walk over deleted ones.
#[derive(Debug)]
pub(super) struct Table<T> {
    rows: HashMap<String, Row<T>>,
    by_display: HashMap<i64, String>,
    order: BTreeSet<Pos>,
    by_key: HashMap<Key, BTreeSet<Pos>>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
            by_display: HashMap::new(),
            order: BTreeSet::new(),
            by_key: HashMap::new(),
        }
    }
}

impl<T: Record> Table<T> {
    /// The row with this id, deleted or not.
    pub(super) fn row(&self, id: &str) -> Option<&Row<T>> {
        self.rows.get(id)
    }

    /// The row with this display id, deleted or not.
    pub(super) fn row_by_display_id(&self, display_id: i64) -> Option<&Row<T>> {
        self.by_display
            .get(&display_id)
            .and_then(|id| self.rows.get(id))
    }

    /// The id of the row holding `display_id`, if any.
    pub(super) fn display_id_owner(&self, display_id: i64) -> Option<&str> {
        self.by_display.get(&display_id).map(String::as_str)
    }

    /// Puts `row` (or nothing) under `id`, keeping every index in step, and returns what was there.
    pub(super) fn replace(&mut self, id: &str, row: Option<Row<T>>) -> Option<Row<T>> {
        let old = self.rows.remove(id);
        if let Some(old) = &old {
            self.unindex(old);
        }
        if let Some(row) = row {
            self.index(&row);
            self.rows.insert(id.to_owned(), row);
        }
        old
    }

    /// The non-deleted records in list order (created_at, id descending), starting after `cursor`;
    /// only those indexed under `key` when one is given.
    pub(super) fn scan<'a>(
        &'a self,
        key: Option<&Key>,
        cursor: Option<&ListCursor>,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let set = match key {
            None => Some(&self.order),
            Some(key) => self.by_key.get(key),
        };
        let upper = match cursor {
            None => Bound::Unbounded,
            // The empty string sorts before every id, so this excludes all of instant `t`.
            Some(ListCursor::OlderThan(t)) => Bound::Excluded((*t, String::new())),
            Some(ListCursor::After(t, id)) => Bound::Excluded((*t, id.clone())),
        };
        set.map(move |set| set.range((Bound::Unbounded, upper)).rev())
            .into_iter()
            .flatten()
            .filter_map(|(_, id)| self.rows.get(id))
            .map(|row| &row.record)
    }

    fn index(&mut self, row: &Row<T>) {
        let record = &row.record;
        self.by_display
            .insert(record.display_id(), record.id().to_owned());
        if row.deleted_at.is_none() {
            let pos = record.pos();
            for key in record.keys() {
                self.by_key.entry(key).or_default().insert(pos.clone());
            }
            self.order.insert(pos);
        }
    }

    fn unindex(&mut self, row: &Row<T>) {
        let record = &row.record;
        if self.display_id_owner(record.display_id()) == Some(record.id()) {
            self.by_display.remove(&record.display_id());
        }
        if row.deleted_at.is_none() {
            let pos = record.pos();
            for key in record.keys() {
                if let Some(set) = self.by_key.get_mut(&key) {
                    set.remove(&pos);
                    if set.is_empty() {
                        self.by_key.remove(&key);
                    }
                }
            }
            self.order.remove(&pos);
        }
    }
}
